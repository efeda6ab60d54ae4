//! Every example response the specs document decodes into the generated type of its
//! response, loses nothing when encoded again, and matches its response's schema.
//!
//! The examples are read from the specs at test time, never copied here, so an example added
//! to a spec is checked (or, until it is mapped to a type, fails) without touching this file.
//! Each decoded example is a snapshot in `tests/it/snapshots/`, named
//! `<api>__<operationId>__<status>__<example name>`.

use std::collections::BTreeSet;
use std::path::Path;

use amazon_music_web_api::EntityNode;
use amazon_music_web_api::types as amazon;
use conformance::schema::ResponseSchema;
use conformance::spec::{Example, Spec};
use serde_json::{Value, json};

use crate::subjects::{self, Breakage, Decoded};

/// Every spec, and its documented examples.
fn documented() -> Vec<(Spec, Vec<Example>)> {
    let specs = Spec::all().unwrap_or_else(|e| panic!("{e}"));
    assert!(!specs.is_empty(), "no spec found in specs/");
    specs
        .into_iter()
        .map(|spec| {
            let examples = spec.examples().unwrap_or_else(|e| panic!("{e}"));
            (spec, examples)
        })
        .collect()
}

/// Decodes an example into the generated type of its operation and status, as its
/// service's subject maps them.
///
/// The mapping is explicit on purpose: an example of a response that no subject maps fails
/// every test that decodes examples, so a new example cannot be skipped silently.
fn decode_as_documented(example: &Example) -> Result<Decoded, String> {
    if example.media_type != "application/json" {
        return Err(format!(
            "{}: only application/json bodies are decoded",
            example.location()
        ));
    }
    subjects::serving(&example.api)
        .decode_example(example)
        .unwrap_or_else(|| {
            Err(format!(
                "{}: no generated type is mapped to this response; add it to its subject's \
                 `decode_example` in conformance/tests/it/subjects/",
                example.location()
            ))
        })
}

/// Decodes every example, failing with every example that does not decode.
fn decode_all() -> Vec<(Example, Decoded)> {
    let mut decoded = Vec::new();
    let mut failures = Vec::new();
    for (_, examples) in documented() {
        for example in examples {
            match decode_as_documented(&example) {
                Ok(value) => decoded.push((example, value)),
                Err(failure) => failures.push(failure),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    decoded
}

#[test]
fn every_documented_example_decodes_into_the_generated_type_its_snapshot_shows() {
    for (example, decoded) in decode_all() {
        let summary = example
            .summary
            .as_deref()
            .map(|summary| format!(" ({summary})"))
            .unwrap_or_default();
        insta::with_settings!({
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!(
                "{}{summary}, decoded as {}",
                example.location(),
                decoded.type_name
            ),
        }, {
            insta::assert_snapshot!(example.snapshot_name(), decoded.debug);
        });
    }
}

#[test]
fn the_specs_document_examples_and_every_operation_has_a_200_example() {
    let mut failures = Vec::new();
    let mut total = 0;
    for (spec, examples) in documented() {
        total += examples.len();
        for operation in spec.operations() {
            let id = operation.id().unwrap_or(operation.path());
            if !examples
                .iter()
                .any(|example| example.operation_id == id && example.status == "200")
            {
                failures.push(format!(
                    "{}: {id} documents no example of its 200 response",
                    spec.file()
                ));
            }
        }
    }
    assert!(total > 0, "the specs document no example response at all");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Nothing is lost: every member comes back with its value, and nothing appears. One
/// difference is not a loss: a member the example writes as `null` may come back absent where
/// its spec makes it optional as well as nullable, because the specs say that absent and `null`
/// mean the same there, and the generated types (typify) write such a `None` by leaving the
/// member out. The test checks that the spec says so for each such member: the example without
/// it must still match the response's schema.
#[test]
fn decoding_a_documented_example_and_encoding_it_again_gives_back_every_field() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (spec, examples) in documented() {
        for example in examples {
            let decoded = match decode_as_documented(&example) {
                Ok(decoded) => decoded,
                Err(failure) => {
                    failures.push(failure);
                    continue;
                }
            };
            checked += 1;
            let mut differences = Vec::new();
            let mut nulls_left_out = Vec::new();
            differ(
                &example.value,
                &decoded.reencoded,
                "",
                &mut differences,
                &mut nulls_left_out,
            );
            let schema = schema_of(&spec, &example);
            for pointer in nulls_left_out {
                let without = broken(&example.value, &Breakage::Remove(pointer.clone()));
                if without.is_none_or(|without| schema.validate(&without).is_err()) {
                    differences.push(format!(
                        "`{pointer}` (null) is lost, and the spec does not let it be absent"
                    ));
                }
            }
            if !differences.is_empty() {
                failures.push(format!(
                    "{}, decoded as {} and encoded again:\n  - {}",
                    example.location(),
                    decoded.type_name,
                    differences.join("\n  - ")
                ));
            }
        }
    }
    assert!(checked > 0, "no example was checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Where `after` differs from `before`, as JSON pointers into `before`; members of `before`
/// that are `null` and absent from `after` go to `nulls_left_out` instead. Two RFC 3339
/// times of the same instant are the same value: a time written with `.000` milliseconds
/// (the Tracks page's `releaseDate`) comes back without them, and nothing is lost.
fn differ(
    before: &Value,
    after: &Value,
    at: &str,
    out: &mut Vec<String>,
    nulls_left_out: &mut Vec<String>,
) {
    match (before, after) {
        (Value::Object(before), Value::Object(after)) => {
            for (key, value) in before {
                let here = format!("{at}/{key}");
                match after.get(key) {
                    Some(again) => differ(value, again, &here, out, nulls_left_out),
                    None if value.is_null() => nulls_left_out.push(here),
                    None => out.push(format!("`{here}` ({value}) is lost")),
                }
            }
            for (key, value) in after {
                if !before.contains_key(key) {
                    out.push(format!("`{at}/{key}` ({value}) appears"));
                }
            }
        }
        (Value::Array(before_items), Value::Array(after_items))
            if before_items.len() == after_items.len() =>
        {
            for (i, (value, again)) in before_items.iter().zip(after_items).enumerate() {
                differ(value, again, &format!("{at}/{i}"), out, nulls_left_out);
            }
        }
        (Value::String(before), Value::String(after)) if same_instant(before, after) => {}
        _ if before != after => {
            let at = if at.is_empty() { "/" } else { at };
            out.push(format!("`{at}` was {before}, is {after}"));
        }
        _ => {}
    }
}

/// Whether `a` and `b` are both RFC 3339 times, of the same instant.
fn same_instant(a: &str, b: &str) -> bool {
    let time = chrono::DateTime::parse_from_rfc3339;
    matches!((time(a), time(b)), (Ok(a), Ok(b)) if a == b)
}

fn schema_of(spec: &Spec, example: &Example) -> ResponseSchema {
    ResponseSchema::for_response(
        spec,
        &example.operation_id,
        &example.status,
        &example.media_type,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_documented_example_matches_its_response_schema() {
    let mut failures = Vec::new();
    for (spec, examples) in documented() {
        for example in examples {
            if let Err(invalid) = schema_of(&spec, &example).validate(&example.value) {
                failures.push(format!("{}: {invalid}", example.location()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Breakages deeper than the top level, each against what one response's schema says, as
/// its service's subject lists them.
fn deep_breakages(example: &Example) -> Vec<(&'static str, Breakage)> {
    subjects::serving(&example.api).deep_breakages(example)
}

fn pointer_of(breakage: &Breakage) -> &str {
    match breakage {
        Breakage::Remove(pointer) | Breakage::Replace(pointer, _) => pointer,
    }
}

/// `value` broken as described, or `None` if the pointer points at nothing.
fn broken(value: &Value, breakage: &Breakage) -> Option<Value> {
    let mut copy = value.clone();
    match breakage {
        Breakage::Replace(pointer, replacement) => {
            *copy.pointer_mut(pointer)? = replacement.clone();
        }
        Breakage::Remove(pointer) => {
            let (parent, key) = pointer.rsplit_once('/')?;
            match copy.pointer_mut(parent)? {
                Value::Object(object) => {
                    object.remove(key)?;
                }
                Value::Array(items) => {
                    let index: usize = key.parse().ok()?;
                    (index < items.len()).then(|| items.remove(index))?;
                }
                _ => return None,
            }
        }
    }
    Some(copy)
}

/// The schema is live: for every example, removing any top-level property its schema
/// requires, or giving it a value of the wrong type, and each deeper breakage listed in
/// `deep_breakages`, makes the example invalid.
#[test]
fn a_broken_copy_of_every_documented_example_does_not_match_its_schema() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (spec, examples) in documented() {
        for example in examples {
            let schema = schema_of(&spec, &example);
            let response = spec
                .operation(&example.operation_id)
                .and_then(|operation| operation.response(&example.status))
                .unwrap_or_else(|e| panic!("{e}"));
            let root = spec
                .resolve(&response["content"][&example.media_type]["schema"])
                .unwrap_or_else(|e| panic!("{e}"));
            let required: Vec<&str> = root["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            if required.is_empty() {
                failures.push(format!(
                    "{}: its schema requires no top-level property, so nothing proves the \
                     validator rejects anything here",
                    example.location()
                ));
            }
            let mut breakages: Vec<(String, Breakage)> = Vec::new();
            for property in required {
                let pointer = format!("/{property}");
                breakages.push((
                    format!("without its required `{property}`"),
                    Breakage::Remove(pointer.clone()),
                ));
                // `true` is the wrong type, unless the property is a boolean (a token
                // validation's `valid`): then a string.
                let wrong = if root["properties"][property]["type"] == "boolean" {
                    json!("true")
                } else {
                    json!(true)
                };
                breakages.push((
                    format!("with `{property}: {wrong}`"),
                    Breakage::Replace(pointer, wrong),
                ));
            }
            breakages.extend(
                deep_breakages(&example)
                    .into_iter()
                    .map(|(what, breakage)| (what.to_string(), breakage)),
            );
            for (what, breakage) in breakages {
                let Some(broken) = broken(&example.value, &breakage) else {
                    failures.push(format!(
                        "{}: cannot break it as \"{what}\": `{}` points at nothing (did the \
                         example change? update `deep_breakages`)",
                        example.location(),
                        pointer_of(&breakage)
                    ));
                    continue;
                };
                checked += 1;
                if schema.validate(&broken).is_ok() {
                    failures.push(format!(
                        "{}: a copy {what} still matches the schema",
                        example.location()
                    ));
                }
            }
        }
    }
    assert!(checked > 0, "no broken copy was checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_entity_of_a_kind_the_client_does_not_know_is_kept_and_the_rest_of_the_page_decodes() {
    let spec = Spec::load("amazon-music-web-api").unwrap_or_else(|e| panic!("{e}"));
    let documented = spec
        .examples()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .find(|e| e.operation_id == "get_my_recently_played_entities" && e.status == "200")
        .expect("the entities example of get_my_recently_played_entities");

    // The documented page, with its first entity replaced by one of a kind the service may
    // add later: an unknown `_type`, and a field no known kind has.
    let unknown = json!({
        "_type": "Audiobook",
        "id": "B0AUDIOBK1",
        "title": "A kind added after this client was built",
        "narrators": ["Someone"],
    });
    let mut page = documented.value.clone();
    let first = page
        .pointer_mut("/data/user/recentEntitiesPlayback/edges/0/node")
        .expect("the documented page has a first edge");
    *first = unknown.clone();

    let decoded: amazon::RecentlyPlayedEntitiesResponse = serde_json::from_value(page.clone())
        .expect("one entity of an unknown kind must not fail the page");
    let edges = decoded
        .data
        .user
        .as_ref()
        .and_then(|user| user.recent_entities_playback.as_ref())
        .map(|playback| {
            playback
                .edges
                .iter()
                .map(|edge| edge.item().expect("every documented edge decodes"))
                .collect::<Vec<_>>()
        })
        .expect("the page's edges");

    match &edges[0].node {
        EntityNode::Unknown(raw) => assert_eq!(raw, &unknown, "the unknown entity is kept as sent"),
        other => panic!("an `Audiobook` entity decoded as a known kind: {other:?}"),
    }
    assert_eq!(edges[0].node.kind(), "Audiobook");
    assert_eq!(edges[0].id.as_deref(), Some("recentlyPlayedId1"));

    let documented_kinds: Vec<&str> =
        documented.value["data"]["user"]["recentEntitiesPlayback"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .skip(1)
            .filter_map(|edge| edge["node"]["_type"].as_str())
            .collect();
    let decoded_kinds: Vec<&str> = edges[1..].iter().map(|edge| edge.node.kind()).collect();
    assert_eq!(
        decoded_kinds, documented_kinds,
        "the other entities keep their kinds"
    );
    assert!(
        edges[1..]
            .iter()
            .all(|edge| !matches!(edge.node, EntityNode::Unknown(_))),
        "a documented kind decoded as unknown: {edges:#?}"
    );

    let reencoded = serde_json::to_value(&decoded).expect("encodes");
    let mut differences = Vec::new();
    let mut nulls_left_out = Vec::new();
    differ(&page, &reencoded, "", &mut differences, &mut nulls_left_out);
    // The documented user's `"name": null`: optional and nullable, so absent means the same.
    assert_eq!(nulls_left_out, ["/data/user/name"]);
    assert!(
        differences.is_empty(),
        "the page with an unknown entity does not survive decoding: {differences:#?}"
    );
}

/// The directory insta writes this file's snapshots to.
fn snapshot_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/snapshots"))
}

/// A stale snapshot (its example renamed or removed) would otherwise only be found by
/// `cargo insta test --unreferenced=reject`; this needs no cargo-insta.
#[test]
fn every_committed_snapshot_belongs_to_a_documented_example_and_every_example_has_one() {
    let expected: BTreeSet<String> = documented()
        .iter()
        .flat_map(|(_, examples)| examples.iter().map(Example::snapshot_name))
        .collect();
    let mut committed = BTreeSet::new();
    if let Ok(entries) = std::fs::read_dir(snapshot_dir()) {
        for entry in entries {
            let name = entry.expect("a readable directory entry").file_name();
            let name = name.to_string_lossy();
            if let Some(stem) = name.strip_suffix(".snap") {
                committed.insert(stem.to_string());
            }
        }
    }
    let mut failures: Vec<String> = committed
        .difference(&expected)
        .map(|stem| {
            format!(
                "conformance/tests/it/snapshots/{stem}.snap: no documented example produces this \
                 snapshot (was its example renamed or removed?); delete the file"
            )
        })
        .collect();
    failures.extend(expected.difference(&committed).map(|stem| {
        format!(
            "conformance/tests/it/snapshots/{stem}.snap is missing: run \
             `INSTA_UPDATE=always cargo test -p conformance`, review the new file and commit it"
        )
    }));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
