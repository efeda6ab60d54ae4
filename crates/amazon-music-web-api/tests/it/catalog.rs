//! The catalog: `GET /tracks/{id}` through `track` and `fetch(&TrackQuery)`.

use crate::common::{self, client};

use amazon_music_web_api::types::MediaType;
use amazon_music_web_api::{Error, TrackId, TrackQuery};
use serde_json::json;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// The Tracks page's example answer (as the spec gives it).
fn documented_track() -> serde_json::Value {
    json!({"data": {"track": {
        "id": "B076YT2CBT",
        "audioQualities": ["SD", "HD", "UHD", "360RA"],
        "globalAsin": "B076YT2CBT",
        "title": "Happy (From \"Despicable Me 2\")",
        "shortTitle": "Happy (From \"Despicable Me 2\")",
        "duration": 232,
        "album": {"id": "B076YSK8CS", "title": "G I R L", "url": "https://music.amazon.com/albums/B076YSK8CS"},
        "releaseDate": "2013-06-18T04:00:00.000Z",
        "isrc": "USQ4E1300686",
        "artists": [{"id": "B000QJPQTA", "name": "Pharrell Williams", "url": "https://music.amazon.com/artists/B000QJPQTA"}],
        "musicTerritory": {"code": "US", "territoryName": "United States"},
        "market": {"id": "US", "name": "United States"},
        "eligibility": {"isDownloadable": true, "isPurchaseable": true, "isPreviewable": true, "isPrimeEligible": false}
    }}})
}

#[tokio::test]
async fn a_track_is_asked_for_by_its_id_with_both_credentials_and_read_whole() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/tracks/B076YT2CBT"))
        .and(header(
            "authorization",
            format!("Bearer {}", common::TOKEN).as_str(),
        ))
        .and(header("x-api-key", common::API_KEY))
        .and(query_param_is_missing("mediaType"))
        .respond_with(ResponseTemplate::new(200).set_body_json(documented_track()))
        .expect(1)
        .mount(&server)
        .await;
    let track = client(&server)
        .track(TrackId::new("B076YT2CBT").unwrap())
        .await
        .unwrap()
        .expect("the answer holds a track");
    assert_eq!(track.id, "B076YT2CBT");
    assert_eq!(track.duration, Some(232));
    assert_eq!(track.isrc.as_deref(), Some("USQ4E1300686"));
    assert_eq!(
        track.album.and_then(|a| a.title).as_deref(),
        Some("G I R L")
    );
    let artists: Vec<_> = track.artists.into_iter().filter_map(|a| a.name).collect();
    assert_eq!(artists, ["Pharrell Williams"]);
}

#[tokio::test]
async fn a_media_type_is_sent_as_the_spec_spells_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/tracks/B076YT2CBT"))
        .and(query_param("mediaType", "VIDEO"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {}})))
        .expect(1)
        .mount(&server)
        .await;
    let query = TrackQuery::new(TrackId::new("B076YT2CBT").unwrap()).media_type(MediaType::Video);
    let answer = client(&server).fetch(&query).await.unwrap();
    assert_eq!(
        answer.data.track, None,
        "an answer without a track is no track"
    );
}

#[tokio::test]
async fn a_track_the_catalog_does_not_know_is_not_found_and_a_missing_scope_forbidden() {
    let server = MockServer::start().await;
    let error_body = |status: &str, code: &str| json!({"error": {"status": status, "code": code, "message": "no"}});
    Mock::given(path("/v1/tracks/B0UNKNOWN0"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(error_body("404", "RESOURCE_NOT_FOUND")),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1/tracks/B0NOSCOPE0"))
        .respond_with(ResponseTemplate::new(403).set_body_json(error_body("403", "FORBIDDEN")))
        .mount(&server)
        .await;
    let client = client(&server);
    let unknown = client.track(TrackId::new("B0UNKNOWN0").unwrap()).await;
    assert!(matches!(unknown, Err(Error::NotFound(_))), "{unknown:?}");
    let forbidden = client.track(TrackId::new("B0NOSCOPE0").unwrap()).await;
    assert!(
        matches!(forbidden, Err(Error::Forbidden(_))),
        "{forbidden:?}"
    );
}

#[tokio::test]
async fn an_id_with_a_slash_arrives_as_one_segment() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/tracks/a%2Fb"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {}})))
        .expect(1)
        .mount(&server)
        .await;
    let answer = client(&server).track(TrackId::new("a/b").unwrap()).await;
    assert_eq!(answer.unwrap(), None);
}
