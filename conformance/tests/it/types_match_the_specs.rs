//! The generated types held to their specs: for every component schema, what the Rust type
//! accepts (its `schemars` schema, from the schema copy in `conformance/src/generated/`, or,
//! for a hand-written replacement, its serde behaviour) against what the spec says. Every
//! difference must be a named exception of `conformance::type_schemas::EXCEPTIONS`, and every
//! exception must still be needed.

use conformance::generated::{amazon_music, listenbrainz, spotify};
use conformance::spec::Spec;
use conformance::type_schemas::{Comparison, EXCEPTIONS, compare_spec};
use schemars::r#gen::{SchemaGenerator, SchemaSettings};
use serde_json::{Map, Value};

/// The `definitions` of a schema generator after `roots` were added to it.
fn definitions(roots: impl FnOnce(&mut SchemaGenerator)) -> Map<String, Value> {
    let mut generator = SchemaGenerator::new(SchemaSettings::draft07());
    roots(&mut generator);
    let definitions = serde_json::to_value(generator.take_definitions()).expect("schemas encode");
    match definitions {
        Value::Object(map) => map,
        other => panic!("definitions are not a map: {other}"),
    }
}

fn spotify_comparison() -> Comparison {
    let spec = Spec::load("spotify-web-api").unwrap_or_else(|e| panic!("{e}"));
    // The response types; every other component is reachable from them.
    let definitions = definitions(|generator| {
        generator.subschema_for::<spotify::types::CursorPagedPlayHistory>();
        generator.subschema_for::<spotify::types::ErrorResponse>();
    });
    compare_spec(&spec, &definitions).unwrap_or_else(|e| panic!("{e}"))
}

fn amazon_comparison() -> Comparison {
    let spec = Spec::load("amazon-music-web-api").unwrap_or_else(|e| panic!("{e}"));
    // The response types, the queries' kinds and media types, and each kind of entity
    // (reached in the spec through `EntityNode`, which the client replaces with a
    // hand-written type).
    let definitions = definitions(|generator| {
        use amazon_music::types as t;
        generator.subschema_for::<t::RecentlyPlayedTracksResponse>();
        generator.subschema_for::<t::RecentlyPlayedEntitiesResponse>();
        generator.subschema_for::<t::TrackResponse>();
        generator.subschema_for::<t::ErrorResponse>();
        generator.subschema_for::<t::MediaType>();
        generator.subschema_for::<t::EntityType>();
        generator.subschema_for::<t::Album>();
        generator.subschema_for::<t::Artist>();
        generator.subschema_for::<t::Category>();
        generator.subschema_for::<t::Playlist>();
        generator.subschema_for::<t::PodcastEpisode>();
        generator.subschema_for::<t::PodcastShow>();
        generator.subschema_for::<t::Track>();
        generator.subschema_for::<t::User>();
    });
    compare_spec(&spec, &definitions).unwrap_or_else(|e| panic!("{e}"))
}

fn listenbrainz_comparison() -> Comparison {
    let spec = Spec::load("listenbrainz-api").unwrap_or_else(|e| panic!("{e}"));
    // The response types; every other component is reachable from them.
    let definitions = definitions(|generator| {
        use listenbrainz::types as t;
        generator.subschema_for::<t::ListensResponse>();
        generator.subschema_for::<t::ListenCountResponse>();
        generator.subschema_for::<t::ValidateTokenResponse>();
        generator.subschema_for::<t::ErrorResponse>();
    });
    compare_spec(&spec, &definitions).unwrap_or_else(|e| panic!("{e}"))
}

fn assert_explained(api: &str, comparison: &Comparison) {
    assert!(
        comparison.compared.len() > 5,
        "{api}: only {:?} compared",
        comparison.compared
    );
    let unexplained: Vec<String> = comparison
        .unexplained()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(
        unexplained.is_empty(),
        "{api}: the Rust types and the spec disagree where no exception of \
         conformance::type_schemas::EXCEPTIONS says why:\n  - {}",
        unexplained.join("\n  - ")
    );
}

#[test]
fn the_spotify_types_accept_what_the_spotify_spec_says() {
    assert_explained("spotify-web-api", &spotify_comparison());
}

#[test]
fn the_amazon_music_types_accept_what_the_amazon_music_spec_says() {
    assert_explained("amazon-music-web-api", &amazon_comparison());
}

#[test]
fn the_listenbrainz_types_accept_what_the_listenbrainz_spec_says() {
    assert_explained("listenbrainz-api", &listenbrainz_comparison());
}

#[test]
fn every_exception_covers_a_difference_the_comparison_still_finds() {
    let spotify = spotify_comparison();
    let amazon = amazon_comparison();
    let listenbrainz = listenbrainz_comparison();
    let used: Vec<&str> = spotify
        .exceptions_used()
        .union(&amazon.exceptions_used())
        .copied()
        .chain(listenbrainz.exceptions_used())
        .collect();
    let stale: Vec<&str> = EXCEPTIONS
        .iter()
        .map(|e| e.name)
        .filter(|name| !used.contains(name))
        .collect();
    assert!(
        stale.is_empty(),
        "exceptions that cover no difference any more (remove them): {stale:?}"
    );
    for d in spotify
        .differences
        .iter()
        .chain(&amazon.differences)
        .chain(&listenbrainz.differences)
    {
        eprintln!("{d}");
    }
}

/// The comparison is live: a generated type whose schema no longer says what the spec says
/// (a required property made optional and nullable, a property of another type) is reported,
/// and no exception covers it.
#[test]
fn a_generated_type_that_drifts_from_its_schema_is_reported() {
    let spec = Spec::load("spotify-web-api").unwrap_or_else(|e| panic!("{e}"));
    let mut drifted = definitions(|generator| {
        generator.subschema_for::<spotify::types::CursorPagedPlayHistory>();
        generator.subschema_for::<spotify::types::ErrorResponse>();
    });
    let track = drifted.get_mut("Track").expect("a Track schema");
    track["properties"]["duration_ms"] = serde_json::json!({"type": "string"});
    track["properties"]["name"] = serde_json::json!({"type": ["string", "null"]});
    let required = track["required"]
        .as_array_mut()
        .expect("Track requires properties");
    required.retain(|property| property != "name");

    let comparison = compare_spec(&spec, &drifted).unwrap_or_else(|e| panic!("{e}"));
    let unexplained: Vec<String> = comparison
        .unexplained()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        unexplained,
        [
            "Track/duration_ms: Type: the spec says integer, the Rust type string",
            "Track/duration_ms: Format: the spec says int64, the Rust type none",
            "Track/name: Required: the spec says required, the Rust type optional",
            "Track/name: Nullable: the spec says not nullable, and required, the Rust type nullable",
        ]
    );
}

/// A hand-written replacement that drifts is caught through its serde behaviour: here an
/// entity node that, like a careless rewrite of `EntityNode`, takes any object, so that an
/// `Album` without its required `id` (or with an `id` that is a number) no longer fails.
#[test]
fn a_hand_written_type_that_drifts_from_its_schema_is_reported() {
    use conformance::hand_written::{HAND_WRITTEN, HandWritten};
    use conformance::type_schemas::compare_spec_with;

    fn any_object(value: &Value) -> bool {
        value.is_object()
    }
    let mut drifted: Vec<HandWritten> = HAND_WRITTEN.to_vec();
    for hand_written in &mut drifted {
        if hand_written.path == "amazon_music_web_api::EntityNode" {
            hand_written.accepts = any_object;
            hand_written.keeps = any_object;
        }
    }
    let spec = Spec::load("amazon-music-web-api").unwrap_or_else(|e| panic!("{e}"));
    let definitions = definitions(|generator| {
        generator.subschema_for::<amazon_music::types::RecentlyPlayedEntitiesResponse>();
    });
    let comparison =
        compare_spec_with(&spec, &definitions, &drifted).unwrap_or_else(|e| panic!("{e}"));
    let unexplained: Vec<String> = comparison
        .unexplained()
        .iter()
        .map(ToString::to_string)
        .filter(|d| d.starts_with("amazon_music_web_api::EntityNode"))
        .collect();
    for expected in [
        "amazon_music_web_api::EntityNode EntityNode/id: Required: the spec says refuses, the Rust type accepts",
        "amazon_music_web_api::EntityNode EntityNode/id: Type: the spec says refuses, the Rust type accepts",
    ] {
        assert!(
            unexplained.iter().any(|d| d == expected),
            "not reported: {expected}\nreported: {unexplained:#?}"
        );
    }
}
