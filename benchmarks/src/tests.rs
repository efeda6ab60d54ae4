use std::collections::BTreeSet;

use amazon_music_web_api::EntityNode;
use amazon_music_web_api::types::RecentlyPlayedEntitiesResponse;
use spotify_web_api::types::CursorPagedPlayHistory;

use super::*;

type RspotifyPage = rspotify_model::CursorBasedPage<rspotify_model::PlayHistory>;

/// The benchmark pages hold only well-formed items.
fn well_formed<T>(entry: &amazon_music_web_api::Entry<T>) -> &T {
    entry.item().expect("every item of the page is well-formed")
}

fn generated_spotify(variant: SpotifyVariant) -> CursorPagedPlayHistory {
    serde_json::from_slice(&spotify_recently_played(variant))
        .unwrap_or_else(|e| panic!("the generated types decode the {variant:?} page: {e}"))
}

#[test]
fn the_served_spotify_page_decodes_into_the_generated_types_with_every_realistic_shape() {
    let page = generated_spotify(SpotifyVariant::AsServed);
    assert_eq!(page.items.len(), SPOTIFY_PAGE_ITEMS);
    let plays: Vec<_> = page
        .items
        .iter()
        .map(|entry| entry.item().expect("every play is well-formed"))
        .collect();

    let local: Vec<_> = plays
        .iter()
        .filter(|p| p.track.is_local == Some(true))
        .collect();
    assert_eq!(local.len(), 1, "one local file");
    let local = &local[0].track;
    assert_eq!((&local.id, &local.href), (&None, &None));
    assert!(
        local
            .artists
            .iter()
            .all(|a| a.id.is_none() && a.uri.is_none())
    );

    let artist_counts: BTreeSet<usize> = plays.iter().map(|p| p.track.artists.len()).collect();
    assert_eq!(artist_counts, BTreeSet::from([1, 2, 3]));

    let market_counts: Vec<usize> = plays
        .iter()
        .map(|p| p.track.available_markets.len())
        .collect();
    assert!(market_counts.contains(&0), "some tracks carry no markets");
    assert!(
        market_counts.iter().any(|&n| (1..=12).contains(&n)),
        "some are restricted"
    );
    assert!(
        market_counts.iter().filter(|&&n| n >= 177).count() >= 30,
        "most are everywhere"
    );

    let null_contexts = plays.iter().filter(|p| p.context.is_none()).count();
    assert!(
        (5..=25).contains(&null_contexts),
        "{null_contexts} null contexts"
    );
    let context_kinds: BTreeSet<&str> = plays
        .iter()
        .filter_map(|p| p.context.as_ref())
        .map(|c| c.type_.as_str())
        .collect();
    assert_eq!(
        context_kinds,
        BTreeSet::from(["album", "artist", "collection", "playlist"])
    );
    assert!(
        plays
            .iter()
            .filter_map(|p| p.context.as_ref())
            .any(|c| c.href.is_none())
    );

    assert!(
        plays.iter().any(|p| p.track.linked_from.is_some()),
        "one relinked track"
    );

    // The album is decoded, not skipped: cover art, and a typed release date.
    let local_album = local.album.as_ref().expect("a local file has an album");
    assert_eq!((&local_album.id, local_album.release()), (&None, None));
    let mut precisions = BTreeSet::new();
    for play in plays.iter().filter(|p| p.track.is_local != Some(true)) {
        let album = play
            .track
            .album
            .as_ref()
            .expect("every track has its album");
        assert_eq!(album.images.len(), 3);
        assert_eq!(album.images[0].width, Some(640));
        let release = album.release().expect("a well-formed release date");
        assert_eq!(Some(release.to_string()), album.release_date);
        precisions.insert(release.precision());
        assert!(play.track.external_ids.is_some() && play.track.popularity.is_some());
    }
    assert_eq!(precisions, BTreeSet::from(["day", "month", "year"]));
    assert!(
        plays.windows(2).all(|w| w[0].played_at > w[1].played_at),
        "newest first"
    );
}

#[test]
fn rspotify_model_rejects_the_served_page_only_for_the_null_context_href() {
    let served = spotify_recently_played(SpotifyVariant::AsServed);
    let error = serde_json::from_slice::<RspotifyPage>(&served)
        .expect_err("rspotify-model's Context::href is a non-nullable String");
    assert!(error.to_string().contains("null"), "{error}");

    let mut served: Value = serde_json::from_slice(&served).unwrap();
    let compatible: Value =
        serde_json::from_slice(&spotify_recently_played(SpotifyVariant::RspotifyCompatible))
            .unwrap();
    let mut null_hrefs = served["items"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .filter_map(|item| item["context"].as_object_mut())
        .map(|context| &mut context["href"])
        .filter(|href| href.is_null())
        .collect::<Vec<_>>();
    assert_eq!(null_hrefs.len(), 1, "one context has a null href");
    *null_hrefs[0] = json!(SAVED_TRACKS_HREF);
    assert!(
        served == compatible,
        "the variants differ in that one href only"
    );
}

#[test]
fn the_generated_types_and_rspotify_model_read_the_same_plays_from_the_compatible_page() {
    let bytes = spotify_recently_played(SpotifyVariant::RspotifyCompatible);
    let generated = generated_spotify(SpotifyVariant::RspotifyCompatible);
    let theirs: RspotifyPage = serde_json::from_slice(&bytes).expect("rspotify-model decodes it");

    assert_eq!(generated.items.len(), theirs.items.len());
    for (ours, theirs) in generated.items.iter().map(well_formed).zip(&theirs.items) {
        assert_eq!(ours.played_at, theirs.played_at);
        assert_eq!(ours.track.name, theirs.track.name);
        assert_eq!(
            ours.track.duration_ms,
            theirs.track.duration.num_milliseconds()
        );
        assert_eq!(
            ours.track.id.as_deref(),
            theirs.track.id.as_ref().map(rspotify_model::Id::id)
        );
        let our_artists: Vec<&str> = ours.track.artists.iter().map(|a| a.name.as_str()).collect();
        let their_artists: Vec<&str> = theirs
            .track
            .artists
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(our_artists, their_artists);
        assert_eq!(
            ours.context.as_ref().map(|c| &c.uri),
            theirs.context.as_ref().map(|c| &c.uri)
        );
        let album = ours
            .track
            .album
            .as_ref()
            .expect("our types decode the album");
        assert_eq!(album.name, theirs.track.album.name);
        assert_eq!(album.release_date, theirs.track.album.release_date);
        assert_eq!(album.images.len(), theirs.track.album.images.len());
        assert_eq!(
            album.images.iter().map(|i| &i.url).collect::<Vec<_>>(),
            theirs
                .track
                .album
                .images
                .iter()
                .map(|i| &i.url)
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_spotify_floor_reads_the_same_plays_as_the_generated_types() {
    let bytes = spotify_recently_played(SpotifyVariant::AsServed);
    let generated = generated_spotify(SpotifyVariant::AsServed);
    let floor: floor::SpotifyPage = serde_json::from_slice(&bytes).expect("the floor decodes it");

    assert_eq!(generated.items.len(), floor.items.len());
    for (ours, least) in generated.items.iter().map(well_formed).zip(&floor.items) {
        assert_eq!(ours.played_at, least.played_at);
        assert_eq!(ours.track.id, least.track.id);
        assert_eq!(ours.track.name, least.track.name);
        assert_eq!(ours.track.duration_ms, least.track.duration_ms as i64);
        let names: Vec<&String> = ours.track.artists.iter().map(|a| &a.name).collect();
        assert_eq!(
            names,
            least
                .track
                .artists
                .iter()
                .map(|a| &a.name)
                .collect::<Vec<_>>()
        );
        assert_eq!(
            ours.context.as_ref().map(|c| &c.uri),
            least.context.as_ref().map(|c| &c.uri)
        );
    }
}

#[test]
fn the_amazon_page_decodes_into_the_generated_types_keeping_the_unknown_kind() {
    let bytes = amazon_recently_played_entities();
    let response: RecentlyPlayedEntitiesResponse =
        serde_json::from_slice(&bytes).expect("the generated types decode the page");
    let connection = response
        .data
        .user
        .unwrap()
        .recent_entities_playback
        .unwrap();
    assert_eq!(connection.edges.len(), AMAZON_PAGE_EDGES);
    assert_eq!(connection.edge_count, Some(AMAZON_PAGE_EDGES as u64));

    let edges: Vec<_> = connection.edges.iter().map(well_formed).collect();
    let kinds: BTreeSet<&str> = edges.iter().map(|e| e.node.kind()).collect();
    let documented = [
        "Album",
        "Artist",
        "Category",
        "Playlist",
        "PodcastEpisode",
        "PodcastShow",
        "Track",
        "User",
    ];
    assert!(
        documented.iter().all(|k| kinds.contains(k)),
        "every kind appears: {kinds:?}"
    );

    let unknown: Vec<_> = edges
        .iter()
        .filter(|e| matches!(e.node, EntityNode::Unknown(_)))
        .collect();
    assert_eq!(
        unknown.len(),
        1,
        "exactly one node of a kind the spec does not know"
    );
    assert_eq!(unknown[0].node.kind(), "Audiobook");

    let floor: floor::AmazonPage = serde_json::from_slice(&bytes).expect("the floor decodes it");
    let floor_edges = &floor.data.user.recent_entities_playback.edges;
    for (ours, least) in edges.iter().zip(floor_edges) {
        assert_eq!(ours.played_date, least.played_date);
        assert_eq!(ours.node.kind(), least.node.kind);
        assert_eq!(ours.node.id(), Some(least.node.id.as_str()));
        assert_eq!(
            ours.node.title(),
            least.node.title.as_deref().or(least.node.name.as_deref())
        );
    }
}
