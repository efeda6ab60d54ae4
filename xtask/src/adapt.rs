//! Adaptations of an in-memory copy of a spec, for what progenitor 0.15 cannot express.
//!
//! The spec files stay true to the APIs; these run on the parsed copy just before
//! generation, and the client crates' hand-written layer restores the documented behaviour
//! (see each adaptation's `restored_by`).

use openapiv3::{
    AnySchema, OpenAPI, ReferenceOr, Response, Schema, SchemaData, SchemaKind, StatusCode, Type,
};

/// One named change to the in-memory spec.
pub struct Adaptation {
    /// A name to refer to it by.
    pub name: &'static str,
    /// Why progenitor needs it, in one line.
    pub why: &'static str,
    /// Where the client layer gives back what it takes away.
    pub restored_by: &'static str,
    apply: fn(&mut OpenAPI) -> bool,
}

/// Every adaptation, in the order they are applied.
pub const ALL: &[Adaptation] = &[
    Adaptation {
        name: "drop-bodyless-success-beside-json",
        why: "progenitor asserts one success type per operation and panics on 200+JSON beside a bodyless 204 (progenitor#344)",
        restored_by: "the client maps the 204 (which then arrives as an unexpected response) to a documented Ok outcome",
        apply: drop_bodyless_success_beside_json,
    },
    Adaptation {
        name: "leave-error-responses-to-the-client",
        why: "a declared error response whose body is not JSON becomes InvalidResponsePayload and loses its status and headers (Retry-After)",
        restored_by: "the client decodes the documented error schema itself from the intact response",
        apply: leave_error_responses_to_the_client,
    },
    Adaptation {
        name: "decode-page-items-one-by-one",
        why: "typify decodes an array all or nothing, so one malformed play or edge would fail its whole page",
        restored_by: "each page item is a `client_support::Entry` (the `<item>Entry` replacements in xtask/src/apis.rs): the item, or its raw JSON and the reason it did not decode",
        apply: decode_page_items_one_by_one,
    },
    Adaptation {
        name: "compact-market-codes",
        why: "typify makes `available_markets` a `Vec<String>`: some 18,000 two-letter strings, each its own allocation, in a page of 50 plays",
        restored_by: "the `Market` schema is replaced by the client's `Market` (the `Market` replacement in xtask/src/apis.rs): a code held in two bytes, any other value kept as its text, encoded and decoded as the same JSON string",
        apply: compact_market_codes,
    },
];

/// The string-array properties, as (schema, property), whose items are market codes (ISO
/// 3166-1 alpha-2) and become [`MARKET`]s (see `compact-market-codes`).
pub const MARKET_LISTS: &[(&str, &str)] = &[
    ("Track", "available_markets"),
    ("SimplifiedAlbum", "available_markets"),
];

/// The schema that stands for one market code, replaced in the generated code by the
/// client's own type.
pub const MARKET: &str = "Market";

/// The extension a spec marks a schema with (`x-page-item: true`) when it is one item of a
/// page, so that each one decodes on its own (see `decode-page-items-one-by-one`): the spec
/// says which, and a new spec needs no list here.
pub const PAGE_ITEM: &str = "x-page-item";

/// The schemas `spec` marks as page items ([`PAGE_ITEM`]), in the spec's order.
pub fn page_items(spec: &OpenAPI) -> Vec<String> {
    let Some(components) = spec.components.as_ref() else {
        return Vec::new();
    };
    components
        .schemas
        .iter()
        .filter(|(_, schema)| match schema {
            ReferenceOr::Item(schema) => {
                schema.schema_data.extensions.get(PAGE_ITEM) == Some(&serde_json::Value::Bool(true))
            }
            ReferenceOr::Reference { .. } => false,
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// The name of the schema that stands for one page item of schema `item`, replaced in the
/// generated code by `client_support::Entry<item>`.
pub fn entry_schema(item: &str) -> String {
    format!("{item}Entry")
}

/// Applies every adaptation to `spec`, returning those that changed it.
pub fn for_generator(spec: &mut OpenAPI) -> Vec<&'static Adaptation> {
    ALL.iter()
        .filter(|adaptation| (adaptation.apply)(spec))
        .collect()
}

fn drop_bodyless_success_beside_json(spec: &mut OpenAPI) -> bool {
    let mut changed = false;
    let components = spec.components.clone();
    let has_body = |response: &ReferenceOr<Response>| match response {
        ReferenceOr::Item(response) => !response.content.is_empty(),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/responses/")
            .and_then(|name| components.as_ref()?.responses.get(name))
            .and_then(ReferenceOr::as_item)
            .is_none_or(|response| !response.content.is_empty()),
    };
    for operation in operations_mut(spec) {
        let responses = &mut operation.responses.responses;
        let is_success = |code: &StatusCode| match code {
            StatusCode::Code(code) => (200..300).contains(code),
            StatusCode::Range(range) => *range == 2,
        };
        let any_json_success = responses
            .iter()
            .any(|(code, response)| is_success(code) && has_body(response));
        if any_json_success {
            let before = responses.len();
            responses.retain(|code, response| !is_success(code) || has_body(response));
            changed |= responses.len() != before;
        }
    }
    changed
}

fn leave_error_responses_to_the_client(spec: &mut OpenAPI) -> bool {
    let mut changed = false;
    for operation in operations_mut(spec) {
        let responses = &mut operation.responses;
        let before = responses.responses.len();
        responses.responses.retain(|code, _| match code {
            StatusCode::Code(code) => *code < 400,
            StatusCode::Range(range) => *range < 4,
        });
        changed |= responses.default.take().is_some() || responses.responses.len() != before;
    }
    changed
}

/// Points every array of a schema marked [`PAGE_ITEM`] at a new `<item>Entry` schema (which
/// the generator settings replace with `client_support::Entry<item>`), leaving the item
/// schema itself as it is.
fn decode_page_items_one_by_one(spec: &mut OpenAPI) -> bool {
    let page_items = page_items(spec);
    let Some(components) = spec.components.as_mut() else {
        return false;
    };
    let mut wrapped = Vec::new();
    for schema in components.schemas.values_mut() {
        let ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::Object(object)),
            ..
        }) = schema
        else {
            continue;
        };
        for property in object.properties.values_mut() {
            let ReferenceOr::Item(property) = property else {
                continue;
            };
            let SchemaKind::Type(Type::Array(array)) = &mut property.schema_kind else {
                continue;
            };
            let Some(ReferenceOr::Reference { reference }) = array.items.as_mut() else {
                continue;
            };
            let Some(item) = reference
                .strip_prefix("#/components/schemas/")
                .filter(|name| page_items.iter().any(|item| item == name))
                .map(str::to_string)
            else {
                continue;
            };
            *reference = format!("#/components/schemas/{}", entry_schema(&item));
            wrapped.push(item);
        }
    }
    for item in &wrapped {
        components.schemas.insert(
            entry_schema(item),
            ReferenceOr::Item(Schema {
                schema_data: SchemaData {
                    description: Some(format!(
                        "One `{item}` of a page, or the raw JSON of one that does not decode."
                    )),
                    ..Default::default()
                },
                schema_kind: SchemaKind::Any(AnySchema::default()),
            }),
        );
    }
    !wrapped.is_empty()
}

/// Points the items of each [`MARKET_LISTS`] property that is an array of strings at a new
/// [`MARKET`] schema (a string, which the generator settings replace with the client's
/// `Market`).
fn compact_market_codes(spec: &mut OpenAPI) -> bool {
    let Some(components) = spec.components.as_mut() else {
        return false;
    };
    let mut changed = false;
    for (schema, property) in MARKET_LISTS {
        let Some(ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::Object(object)),
            ..
        })) = components.schemas.get_mut(*schema)
        else {
            continue;
        };
        let Some(ReferenceOr::Item(property)) = object.properties.get_mut(*property) else {
            continue;
        };
        let SchemaKind::Type(Type::Array(array)) = &mut property.schema_kind else {
            continue;
        };
        let Some(ReferenceOr::Item(item)) = array.items.as_ref() else {
            continue;
        };
        if !matches!(item.schema_kind, SchemaKind::Type(Type::String(_))) {
            continue;
        }
        array.items = Some(ReferenceOr::Reference {
            reference: format!("#/components/schemas/{MARKET}"),
        });
        changed = true;
    }
    if changed {
        components.schemas.insert(
            MARKET.to_string(),
            ReferenceOr::Item(Schema {
                schema_data: SchemaData {
                    description: Some(
                        "A market: an ISO 3166-1 alpha-2 country code, such as `US`.".into(),
                    ),
                    ..Default::default()
                },
                schema_kind: SchemaKind::Type(Type::String(Default::default())),
            }),
        );
    }
    changed
}

/// Every operation slot of every path, filled or not.
pub(crate) fn operation_slots_mut(
    spec: &mut OpenAPI,
) -> impl Iterator<Item = &mut Option<openapiv3::Operation>> {
    spec.paths
        .paths
        .values_mut()
        .filter_map(|item| match item {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { .. } => None,
        })
        .flat_map(|item| {
            [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.options,
                &mut item.head,
                &mut item.patch,
                &mut item.trace,
            ]
        })
}

fn operations_mut(spec: &mut OpenAPI) -> impl Iterator<Item = &mut openapiv3::Operation> {
    operation_slots_mut(spec).filter_map(Option::as_mut)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{GenerateError, generate_from_yaml};

    /// The shape both of our specs have: 200 JSON, a bodyless 204, and a JSON error.
    const SPEC_WITH_204_AND_ERRORS: &str = r##"
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /history:
    get:
      operationId: get_history
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Page" }
        "204":
          description: private session
        "401":
          $ref: "#/components/responses/Unauthorized"
        "500":
          description: plain text error
          content:
            text/plain:
              schema: { type: string }
components:
  schemas:
    Page: { type: object, properties: { n: { type: integer } } }
    Problem: { type: object, properties: { message: { type: string } } }
  responses:
    Unauthorized:
      description: bad token
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Problem" }
"##;

    fn parse(yaml: &str) -> OpenAPI {
        yaml_serde::from_str(yaml).unwrap()
    }

    fn statuses(spec: &OpenAPI) -> Vec<String> {
        let operation = spec.operations().next().unwrap().2;
        operation
            .responses
            .responses
            .keys()
            .map(|code| code.to_string())
            .collect()
    }

    #[test]
    fn bodyless_204_beside_json_200_is_dropped() {
        let mut spec = parse(SPEC_WITH_204_AND_ERRORS);
        assert!(drop_bodyless_success_beside_json(&mut spec));
        assert_eq!(statuses(&spec), ["200", "401", "500"]);
    }

    #[test]
    fn a_lone_bodyless_success_is_kept() {
        let mut spec = parse(SPEC_WITH_204_AND_ERRORS);
        for operation in operations_mut(&mut spec) {
            operation
                .responses
                .responses
                .shift_remove(&StatusCode::Code(200));
        }
        assert!(!drop_bodyless_success_beside_json(&mut spec));
        assert_eq!(statuses(&spec), ["204", "401", "500"]);
    }

    #[test]
    fn error_responses_are_removed_and_successes_kept() {
        let mut spec = parse(SPEC_WITH_204_AND_ERRORS);
        assert!(leave_error_responses_to_the_client(&mut spec));
        assert_eq!(statuses(&spec), ["200", "204"]);
    }

    #[test]
    fn the_adaptations_are_what_lets_progenitor_generate_our_shape() {
        let settings = progenitor_impl::GenerationSettings::new();
        let mut unadapted = parse(SPEC_WITH_204_AND_ERRORS);
        let panicked = std::panic::catch_unwind(|| {
            progenitor_impl::Generator::new(&settings).generate_tokens(&unadapted)
        });
        assert!(
            panicked.is_err(),
            "progenitor no longer panics here: drop the adaptation"
        );

        let applied: Vec<_> = for_generator(&mut unadapted)
            .iter()
            .map(|a| a.name)
            .collect();
        assert_eq!(
            applied,
            [
                "drop-bodyless-success-beside-json",
                "leave-error-responses-to-the-client"
            ]
        );
        let code = progenitor_impl::Generator::new(&settings)
            .generate_tokens(&unadapted)
            .expect("the adapted spec generates")
            .to_string();
        assert!(code.contains("get_history"));
    }

    const SPEC_WITH_A_PAGE: &str = r##"
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /history:
    get:
      operationId: get_history
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Page" }
components:
  schemas:
    Page:
      type: object
      required: [items]
      properties:
        items: { type: array, items: { $ref: "#/components/schemas/PlayHistory" } }
        tags: { type: array, items: { type: string } }
    PlayHistory:
      { type: object, x-page-item: true, required: [n], properties: { n: { type: integer } } }
"##;

    #[test]
    fn only_the_schemas_a_spec_marks_are_page_items() {
        assert_eq!(page_items(&parse(SPEC_WITH_A_PAGE)), ["PlayHistory"]);
        for unmarked in ["x-page-item: false, ", ""] {
            let yaml = SPEC_WITH_A_PAGE.replace("x-page-item: true, ", unmarked);
            let mut spec = parse(&yaml);
            assert!(page_items(&spec).is_empty(), "{unmarked:?}");
            assert!(!decode_page_items_one_by_one(&mut spec), "{unmarked:?}");
        }
    }

    #[test]
    fn page_items_become_entries_and_the_item_type_stays() {
        let mut spec = parse(SPEC_WITH_A_PAGE);
        assert!(decode_page_items_one_by_one(&mut spec));
        let schemas = &spec.components.as_ref().unwrap().schemas;
        assert!(schemas.contains_key("PlayHistory"));
        assert!(schemas.contains_key("PlayHistoryEntry"));
        assert!(
            !decode_page_items_one_by_one(&mut spec),
            "applying it again changes nothing"
        );

        let mut settings = progenitor_impl::GenerationSettings::new();
        settings.with_replacement(
            "PlayHistoryEntry",
            "::client_support::Entry<PlayHistory>",
            std::iter::empty(),
        );
        let code = progenitor_impl::Generator::new(&settings)
            .generate_tokens(&spec)
            .expect("the adapted spec generates")
            .to_string()
            .replace(' ', "");
        assert!(
            code.contains("pubitems:::std::vec::Vec<::client_support::Entry<PlayHistory>>"),
            "{code}"
        );
        assert!(code.contains("pubstructPlayHistory{"), "{code}");
        assert!(code.contains("pubtags:::std::vec::Vec<::std::string::String>"));
    }

    const SPEC_WITH_MARKETS: &str = r##"
openapi: 3.0.3
info: { title: t, version: "1" }
paths: {}
components:
  schemas:
    Track:
      type: object
      properties:
        available_markets: { type: array, items: { type: string } }
        genres: { type: array, items: { type: string } }
    SimplifiedAlbum:
      type: object
      properties:
        available_markets: { type: array, items: { type: string } }
"##;

    #[test]
    fn market_lists_hold_markets_and_other_lists_stay() {
        let mut spec = parse(SPEC_WITH_MARKETS);
        assert!(compact_market_codes(&mut spec));
        assert!(
            !compact_market_codes(&mut spec),
            "applying it again changes nothing"
        );
        let mut settings = progenitor_impl::GenerationSettings::new();
        settings.with_replacement(MARKET, "crate::Market", std::iter::empty());
        let code = progenitor_impl::Generator::new(&settings)
            .generate_tokens(&spec)
            .expect("the adapted spec generates")
            .to_string()
            .replace(' ', "");
        assert_eq!(
            code.matches("pubavailable_markets:::std::vec::Vec<crate::Market>")
                .count(),
            2,
            "{code}"
        );
        assert!(
            code.contains("pubgenres:::std::vec::Vec<::std::string::String>"),
            "{code}"
        );
    }

    #[test]
    fn a_spec_without_market_lists_is_left_alone() {
        let mut spec = parse(SPEC_WITH_A_PAGE);
        assert!(!compact_market_codes(&mut spec));
    }

    #[test]
    fn a_spec_without_page_items_is_left_alone() {
        let mut spec = parse(SPEC_WITH_204_AND_ERRORS);
        assert!(!decode_page_items_one_by_one(&mut spec));
    }

    /// The specs write a reference that may be `null` as `oneOf: [{$ref}, {enum: [null]}]`,
    /// the one form strict OpenAPI 3.0.3 validators read as nullable (`nullable: true` beside
    /// `allOf: [$ref]` and no `type` has no effect there). progenitor reads it as the
    /// referenced type, optional: `Option<T>`, as it read the old form; `anyOf` likewise.
    #[test]
    fn a_reference_or_null_generates_an_option_of_the_referenced_type() {
        for combinator in ["oneOf", "anyOf"] {
            let yaml = format!(
                r##"
openapi: 3.0.3
info: {{ title: t, version: "1" }}
paths: {{}}
components:
  schemas:
    Page:
      type: object
      required: [items]
      properties:
        items: {{ type: array, items: {{ type: string }} }}
        context:
          description: the context, or null
          {combinator}:
            - $ref: "#/components/schemas/Context"
            - enum: [null]
    Context: {{ type: object, required: [uri], properties: {{ uri: {{ type: string }} }} }}
"##
            );
            let code = progenitor_impl::Generator::new(&Default::default())
                .generate_tokens(&parse(&yaml))
                .expect("the spec generates")
                .to_string()
                .replace(' ', "");
            assert!(
                code.contains("pubcontext:::std::option::Option<Context>"),
                "{combinator}: {code}"
            );
            assert!(!code.contains("PageContext"), "{combinator}: {code}");
        }
    }

    #[test]
    fn a_generator_panic_names_the_spec_and_the_operation() {
        // Two success bodies of different types: no adaptation covers this, so it must surface
        // as an error naming the operation, never as a panic of `cargo xtask regen`.
        let yaml = SPEC_WITH_204_AND_ERRORS.replace(
            "\"204\":\n          description: private session",
            "\"201\":\n          description: other\n          content:\n            application/json:\n              schema: { type: string }",
        );
        let Err(error) = generate_from_yaml("specs/example.yaml", &yaml, &Default::default())
        else {
            panic!("progenitor cannot express two success types, yet generation succeeded");
        };
        assert!(
            matches!(error, GenerateError::GeneratorPanic { .. }),
            "{error:?}"
        );
        let message = error.to_string();
        assert!(message.contains("specs/example.yaml"), "{message}");
        assert!(message.contains("get_history (GET /history)"), "{message}");
    }
}
