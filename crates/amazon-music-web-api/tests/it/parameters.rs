//! Query and path parameters: documented bounds, the `entityTypes` encoding, path IDs.

use crate::common;

use amazon_music_web_api::types::EntityType;
use amazon_music_web_api::{
    AmazonMusicClient, EntitiesLimit, EntityTypes, Error, MyEntitiesQuery, TracksLimit,
    TracksQuery, UserId,
};
use common::{client, entities_page, percent_decode, received_queries, tracks_page};
use futures_util::StreamExt;
use wiremock::matchers::{any, method, path, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server that must receive no request at all.
async fn silent_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    server
}

async fn tracks_with_limit(client: &AmazonMusicClient, n: u32) -> Result<(), Error> {
    let query = TracksQuery::new().limit(TracksLimit::new(n)?);
    client.fetch(&query).await.map(drop)
}

async fn my_entities_with_limit(client: &AmazonMusicClient, n: u32) -> Result<(), Error> {
    let query = MyEntitiesQuery::new().limit(EntitiesLimit::new(n)?);
    client.fetch(&query).await.map(drop)
}

async fn user_entities_with_limit(client: &AmazonMusicClient, n: u32) -> Result<(), Error> {
    let query = MyEntitiesQuery::new().limit(EntitiesLimit::new(n)?);
    client
        .fetch(&crate::common::for_user("k35wo4lm34masdsadevrs7a", query))
        .await
        .map(drop)
}

#[tokio::test]
async fn a_limit_outside_its_operations_bounds_never_reaches_the_network() {
    let server = silent_server().await;
    let client = client(&server);
    for n in [0, 61, 100, u32::MAX] {
        let error = tracks_with_limit(&client, n).await.unwrap_err();
        assert!(
            matches!(&error, Error::LimitOutOfRange(e) if (e.min, e.max) == (1, 60)),
            "{error:?}"
        );
    }
    for n in [0, 101, u32::MAX] {
        for error in [
            my_entities_with_limit(&client, n).await.unwrap_err(),
            user_entities_with_limit(&client, n).await.unwrap_err(),
        ] {
            assert!(
                matches!(&error, Error::LimitOutOfRange(e) if (e.min, e.max) == (1, 100)),
                "{error:?}"
            );
            assert_eq!(
                error.to_string(),
                format!("request not sent: `limit` must be in 1..=100, got {n}")
            );
        }
    }
}

#[tokio::test]
async fn a_limit_in_bounds_is_sent_verbatim_and_no_limit_sends_no_limit_key() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/player/recentlyPlayed"))
        .respond_with(ResponseTemplate::new(200).set_body_json(tracks_page(&[], None)))
        .mount(&server)
        .await;
    Mock::given(path_regex("recentlyPlayedEntities$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(entities_page(&[], None)))
        .mount(&server)
        .await;
    let client = client(&server);

    for n in [1, 2, 60] {
        tracks_with_limit(&client, n).await.unwrap();
    }
    for n in [1, 100] {
        my_entities_with_limit(&client, n).await.unwrap();
        user_entities_with_limit(&client, n).await.unwrap();
    }
    client.fetch(&TracksQuery::new()).await.unwrap();
    client.fetch(&MyEntitiesQuery::new()).await.unwrap();

    assert_eq!(
        received_queries(&server).await,
        [
            "limit=1",
            "limit=2",
            "limit=60",
            "limit=1",
            "limit=1",
            "limit=100",
            "limit=100",
            "",
            ""
        ]
    );
}

#[tokio::test]
async fn entity_types_are_sent_as_one_comma_separated_value_in_a_fixed_order() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(entities_page(&[], None)))
        .mount(&server)
        .await;
    let client = client(&server);

    let inserted_backwards = MyEntitiesQuery::new()
        .entity_types([
            EntityType::Track,
            EntityType::PodcastEpisode,
            EntityType::Album,
        ])
        .limit(EntitiesLimit::new(5).unwrap())
        .cursor("000000000000001649747125758:ALBUM:B09J9ZRZC5");
    client.fetch(&inserted_backwards).await.unwrap();
    client
        .fetch(&crate::common::for_user("u1", inserted_backwards))
        .await
        .unwrap();
    let one_kind = MyEntitiesQuery::new().entity_types(EntityType::User);
    client.fetch(&one_kind).await.unwrap();
    let every_kind = MyEntitiesQuery::new().entity_types(EntityTypes::new());
    client.fetch(&every_kind).await.unwrap();
    let mut history =
        client
            .history(MyEntitiesQuery::new().entity_types(
                EntityTypes::from([EntityType::Playlist, EntityType::Album]).clone(),
            ));
    assert!(history.next().await.is_none());

    let both = "cursor=000000000000001649747125758%3AALBUM%3AB09J9ZRZC5\
                &entityTypes=Album,PodcastEpisode,Track&limit=5";
    assert_eq!(
        received_queries(&server).await,
        [
            both,
            both,
            "entityTypes=User",
            "",
            "entityTypes=Album,Playlist"
        ]
    );
}

/// IDs a URL would reinterpret if they were pasted into the path unescaped.
const TRICKY_IDS: &[&str] = &[
    "k35wo4lm34masdsadevrs7a",
    "a/b",
    "/",
    "//",
    "a?b=c",
    "?",
    "a#b",
    "#",
    "%",
    "%%",
    "%zz",
    "%41",
    "%2F",
    "%2f..%2f",
    "%2e%2e",
    "%2E",
    ".%2e",
    "...",
    ".a",
    "a.",
    "..a",
    "./",
    "../",
    "/..",
    "a/../b",
    " ",
    "a b",
    "a+b",
    "a;b",
    "a=b&c=d",
    "@:!$'()*,~-_",
    "[::1]",
    "a|b^c",
    "{x}",
    "`",
    "\"",
    "<script>",
    "\t",
    "a\nb",
    "\r\n",
    "\u{0}",
    "\u{7f}",
    "ü",
    "e\u{301}",
    "日本語のID",
    "😀",
    "\u{202e}rtl",
    "\u{feff}",
    "\u{fffd}",
    "Ω≈ç√",
];

#[tokio::test]
async fn every_other_user_id_arrives_as_exactly_one_path_segment_equal_to_itself() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(entities_page(&["x"], None)))
        .mount(&server)
        .await;
    let client = client(&server);
    let long = "x/y?z#".repeat(300);
    let ids: Vec<&str> = TRICKY_IDS.iter().copied().chain([long.as_str()]).collect();

    for id in &ids {
        let response = client
            .fetch(&crate::common::for_user(id, MyEntitiesQuery::new()))
            .await
            .unwrap_or_else(|e| panic!("{id:?}: {e}"));
        assert_eq!(response.edges().len(), 1);
    }

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), ids.len());
    for (id, request) in ids.iter().zip(&requests) {
        let segments: Vec<&str> = request.url.path().split('/').collect();
        assert_eq!(
            segments.len(),
            5,
            "{id:?} arrived as {:?}",
            request.url.path()
        );
        assert_eq!(
            [segments[0], segments[1], segments[2], segments[4]],
            ["", "v1", "users", "recentlyPlayedEntities"],
            "{id:?}"
        );
        assert_eq!(
            percent_decode(segments[3]),
            id.as_bytes(),
            "{id:?} arrived as {:?}",
            segments[3]
        );
        assert_eq!(request.url.query(), None, "{id:?}");
    }
}

#[tokio::test]
async fn ids_that_cannot_be_one_segment_are_refused_before_any_request_exists() {
    // Nothing can be sent for these: a query names a user only by an accepted `UserId`.
    for id in ["", ".", "..", "\\", "a\\b", "..\\..\\me", "\\..\\"] {
        let refused = UserId::new(id).unwrap_err();
        assert_eq!((refused.parameter, refused.value.as_str()), ("id", id));
        let error = Error::from(refused);
        assert!(matches!(error, Error::InvalidParameter(_)), "{error:?}");
        assert!(
            error.to_string().starts_with("request not sent: `id`"),
            "{error}"
        );
    }
}
