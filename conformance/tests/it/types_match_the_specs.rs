//! The generated types held to their specs: for every component schema, what the Rust type
//! accepts (its `schemars` schema, from the schema copy in `conformance/src/generated/`, or,
//! for a hand-written replacement, its serde behaviour) against what the spec says. Every
//! difference must be a named exception of `conformance::type_schemas::EXCEPTIONS`, and every
//! exception must still be needed.

use conformance::generated::{amazon_music, spotify};
use conformance::spec::Spec;
use conformance::type_schemas::{Comparison, EXCEPTIONS, compare_spec};
use schemars::r#gen::{SchemaGenerator, SchemaSettings};
use serde_json::{Map, Value};

use crate::subjects::{ALL, Subject, with_every_subject};

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

/// How the Rust types of `subject` compare with its spec.
fn comparison(subject: &dyn Subject) -> Comparison {
    let spec = Spec::load(subject.api()).unwrap_or_else(|e| panic!("{e}"));
    let definitions = definitions(|generator| subject.response_types(generator));
    compare_spec(&spec, &definitions).unwrap_or_else(|e| panic!("{e}"))
}

/// Fails, naming `api`, unless enough schemas were compared and every difference is a named
/// exception.
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

/// Every service's types accept what its spec says, but where an exception says why not.
fn the_types_accept_what_the_spec_says(subject: &'static dyn Subject) {
    assert_explained(subject.api(), &comparison(subject));
}

with_every_subject!(one_test_each the_types_accept_what_the_spec_says);

/// No exception outlives the difference it was written for, in any service's types.
#[test]
fn every_exception_covers_a_difference_the_comparison_still_finds() {
    let comparisons: Vec<Comparison> = ALL.iter().map(|subject| comparison(*subject)).collect();
    let used: Vec<&str> = comparisons
        .iter()
        .flat_map(|comparison| comparison.exceptions_used())
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
    for d in comparisons
        .iter()
        .flat_map(|comparison| &comparison.differences)
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
