//! Validating a JSON body against the schema a spec declares for one response.
//!
//! OpenAPI 3.0 schemas are a dialect of JSON Schema, not JSON Schema itself, so each is
//! converted to JSON Schema 2020-12 first and then validated with the `jsonschema` crate:
//!
//! - `$ref: '#/components/schemas/X'` becomes `$ref: '#/$defs/X'`, with every component schema
//!   converted into `$defs`. As in OpenAPI 3.0, keywords beside a `$ref` are ignored.
//! - `nullable: true` is read as OpenAPI 3.0.3 defines it, as strict validators
//!   (`openapi-schema-validator`, Redocly's `nullable-type-sibling`) do: it adds `"null"` to the
//!   `type` beside it (`type: [T, "null"]`) and does nothing else. Every other keyword keeps
//!   its meaning, so an `enum` without `null`, or an `allOf` of a non-nullable schema, still
//!   refuses `null`; and `nullable` without a `type` has no effect at all (`nullable: true`
//!   beside `allOf: [$ref]` refuses `null`). A reference that may be `null` is written
//!   `oneOf: [{$ref: ...}, {enum: [null]}]` in the specs, which every reader agrees on.
//! - `format: int32` / `int64` become the range of that integer type; other formats are
//!   checked where JSON Schema knows them (`date-time`).
//! - Boolean `exclusiveMinimum` / `exclusiveMaximum` (draft 4 style) become numeric ones.
//! - OpenAPI-only keywords (`example`, `discriminator`, `xml`, `externalDocs`) and
//!   extensions (`x-…`) are dropped; `discriminator` only documents which `oneOf` branch
//!   applies, and the branches say that themselves.
//!
//! A keyword outside the OpenAPI 3.0 schema object is an error rather than silently dropped,
//! so a typo in a spec (`maximun: 50`) cannot quietly stop being checked.
//!
//! ```
//! use conformance::{schema::ResponseSchema, spec::Spec};
//! use serde_json::json;
//!
//! let spec = Spec::load("spotify-web-api")?;
//! let schema = ResponseSchema::for_response(&spec, "get_recently_played", "401", "application/json")?;
//! assert!(schema.validate(&json!({"error": {"status": 401, "message": "expired"}})).is_ok());
//!
//! let invalid = schema.validate(&json!({"error": {"status": "401"}})).unwrap_err();
//! assert_eq!(invalid.violations.len(), 2, "{invalid}"); // `status` type, missing `message`
//! # Ok::<(), conformance::spec::SpecError>(())
//! ```

use std::fmt;

use serde_json::{Map, Value, json};

use crate::spec::{Spec, SpecError};

const COMPONENT_SCHEMAS: &str = "#/components/schemas/";

/// The JSON Schema of one documented response body, ready to validate bodies with.
pub struct ResponseSchema {
    response: String,
    json_schema: Value,
    validator: jsonschema::Validator,
}

impl fmt::Debug for ResponseSchema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseSchema")
            .field("response", &self.response)
            .field("json_schema", &self.json_schema)
            .finish_non_exhaustive()
    }
}

impl ResponseSchema {
    /// The schema of the `media_type` body of the `status` response of `operation_id`
    /// (`status` as written in the spec: `"200"`, `"4XX"`, `"default"`).
    ///
    /// Fails if the spec declares no such response, or no schema for it (e.g. a bodyless
    /// `204`), or if its schema cannot be converted.
    pub fn for_response(
        spec: &Spec,
        operation_id: &str,
        status: &str,
        media_type: &str,
    ) -> Result<Self, SpecError> {
        let response_name = format!("{operation_id} {status} {media_type}");
        let response = spec.operation(operation_id)?.response(status)?;
        let schema = response
            .get("content")
            .and_then(|content| content.get(media_type))
            .and_then(|media| media.get("schema"))
            .ok_or_else(|| spec.error(format!("{response_name} declares no body schema")))?;
        Self::build(spec, response_name, schema)
    }

    /// The schema `components/schemas/<name>`, e.g. an API's general error body
    /// (`ErrorResponse`), for a response whose status the spec does not declare.
    pub fn for_component(spec: &Spec, name: &str) -> Result<Self, SpecError> {
        let reference = format!("{COMPONENT_SCHEMAS}{name}");
        spec.pointer(&reference)?;
        Self::build(spec, reference.clone(), &json!({ "$ref": reference }))
    }

    fn build(spec: &Spec, name: String, schema: &Value) -> Result<Self, SpecError> {
        let json_schema = to_json_schema(spec, schema)?;
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&json_schema)
            .map_err(|e| {
                spec.error(format!(
                    "{name}: the converted schema is not valid JSON Schema: {e}"
                ))
            })?;
        Ok(Self {
            response: format!("{}: {name}", spec.file()),
            json_schema,
            validator,
        })
    }

    /// The converted JSON Schema (2020-12) document.
    pub fn json_schema(&self) -> &Value {
        &self.json_schema
    }

    /// Checks `body` against the schema, reporting every violation.
    pub fn validate(&self, body: &Value) -> Result<(), Invalid> {
        let violations: Vec<String> = self
            .validator
            .iter_errors(body)
            .map(|error| {
                let at = error.instance_path().as_str();
                let at = if at.is_empty() { "/" } else { at };
                format!("at `{at}`: {error}")
            })
            .collect();
        if violations.is_empty() {
            Ok(())
        } else {
            Err(Invalid {
                response: self.response.clone(),
                violations,
            })
        }
    }
}

/// One place where a body departs from its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Where, as a JSON pointer into the body; for a missing required property, the pointer
    /// of that property (`/items/0/played_at`), not of the object that lacks it.
    pub pointer: String,
    /// What is wrong there, as the validator says it.
    pub message: String,
}

impl ResponseSchema {
    /// Every place where `body` departs from the schema.
    ///
    /// ```
    /// # use conformance::{schema::ResponseSchema, spec::Spec};
    /// let spec = Spec::load("spotify-web-api")?;
    /// let schema = ResponseSchema::for_component(&spec, "ErrorResponse")?;
    /// let violations = schema.violations(&serde_json::json!({"error": {"status": 401}}));
    /// assert_eq!(violations[0].pointer, "/error/message");
    /// # Ok::<(), conformance::spec::SpecError>(())
    /// ```
    pub fn violations(&self, body: &Value) -> Vec<Violation> {
        self.validator
            .iter_errors(body)
            .map(|error| {
                let mut pointer = error.instance_path().as_str().to_string();
                if let jsonschema::error::ValidationErrorKind::Required { property } = error.kind()
                    && let Some(property) = property.as_str()
                {
                    pointer.push('/');
                    pointer.push_str(&property.replace('~', "~0").replace('/', "~1"));
                }
                Violation {
                    pointer,
                    message: error.to_string(),
                }
            })
            .collect()
    }
}

/// A body that does not match its response's schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    /// Which response's schema it was checked against (`specs/…yaml: <operationId> <status>
    /// <media type>`).
    pub response: String,
    /// Each violation: where in the body (a JSON pointer) and what is wrong there.
    pub violations: Vec<String>,
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the body does not match {}:", self.response)?;
        for violation in &self.violations {
            write!(f, "\n  - {violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Invalid {}

/// Converts one OpenAPI 3.0 schema of `spec` into a standalone JSON Schema 2020-12 document,
/// with every schema of `components/schemas` under `$defs`.
pub fn to_json_schema(spec: &Spec, schema: &Value) -> Result<Value, SpecError> {
    let mut defs = Map::new();
    let components = spec
        .document()
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, component) in components.into_iter().flatten() {
        let at = format!("/components/schemas/{name}");
        defs.insert(
            name.clone(),
            convert(component, &at).map_err(|e| spec.error(e))?,
        );
    }
    let root = convert(schema, "(the response schema)").map_err(|e| spec.error(e))?;
    let Value::Object(mut document) = root else {
        unreachable!("convert returns an object for an object")
    };
    document.insert(
        "$schema".into(),
        "https://json-schema.org/draft/2020-12/schema".into(),
    );
    document.insert("$defs".into(), Value::Object(defs));
    Ok(Value::Object(document))
}

/// Converts one schema object; `at` locates it in the spec, for errors.
fn convert(schema: &Value, at: &str) -> Result<Value, String> {
    let object = schema
        .as_object()
        .ok_or_else(|| format!("{at}: a schema must be a mapping, found {schema}"))?;

    if let Some(reference) = object.get("$ref") {
        let name = reference
            .as_str()
            .and_then(|r| r.strip_prefix(COMPONENT_SCHEMAS))
            .ok_or_else(|| {
                format!("{at}: `$ref: {reference}` does not point into {COMPONENT_SCHEMAS}")
            })?;
        let escaped = name.replace('~', "~0").replace('/', "~1");
        return Ok(json!({ "$ref": format!("#/$defs/{escaped}") }));
    }

    let mut out = Map::new();
    for (keyword, value) in object {
        let here = format!("{at}/{keyword}");
        let converted = match keyword.as_str() {
            "properties" => {
                let properties = value
                    .as_object()
                    .ok_or_else(|| format!("{here}: not a mapping"))?;
                let mut converted = Map::new();
                for (name, property) in properties {
                    converted.insert(name.clone(), convert(property, &format!("{here}/{name}"))?);
                }
                Value::Object(converted)
            }
            "items" | "not" => convert(value, &here)?,
            "additionalProperties" => match value {
                Value::Bool(_) => value.clone(),
                _ => convert(value, &here)?,
            },
            "allOf" | "anyOf" | "oneOf" => {
                let branches = value
                    .as_array()
                    .ok_or_else(|| format!("{here}: not a list"))?;
                let converted: Result<Vec<_>, _> = branches
                    .iter()
                    .enumerate()
                    .map(|(i, branch)| convert(branch, &format!("{here}/{i}")))
                    .collect();
                Value::Array(converted?)
            }
            // Handled after the loop, as they depend on other keywords.
            "nullable" | "exclusiveMinimum" | "exclusiveMaximum" => continue,
            // OpenAPI-only: documentation, or (discriminator) a hint the branches repeat.
            "example" | "discriminator" | "xml" | "externalDocs" => continue,
            extension if extension.starts_with("x-") => continue,
            // The same in JSON Schema 2020-12.
            "title" | "description" | "default" | "deprecated" | "readOnly" | "writeOnly"
            | "type" | "enum" | "format" | "required" | "multipleOf" | "maximum" | "minimum"
            | "maxLength" | "minLength" | "pattern" | "maxItems" | "minItems" | "uniqueItems"
            | "maxProperties" | "minProperties" => value.clone(),
            unknown => {
                return Err(format!(
                    "{here}: `{unknown}` is not an OpenAPI 3.0 schema keyword"
                ));
            }
        };
        out.insert(keyword.clone(), converted);
    }

    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match object.get(exclusive) {
            None | Some(Value::Bool(false)) => {}
            Some(Value::Bool(true)) => {
                let limit = out
                    .remove(bound)
                    .ok_or_else(|| format!("{at}: `{exclusive}: true` without `{bound}`"))?;
                out.insert(exclusive.into(), limit);
            }
            Some(other) => {
                return Err(format!(
                    "{at}/{exclusive}: must be a boolean in OpenAPI 3.0, found {other}"
                ));
            }
        }
    }

    let range = match object.get("format").and_then(Value::as_str) {
        Some("int32") => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
        Some("int64") => Some((i64::MIN, i64::MAX)),
        _ => None,
    };
    if let Some((min, max)) = range {
        tighten(&mut out, "minimum", min, |existing, bound| {
            existing >= bound
        });
        tighten(&mut out, "maximum", max, |existing, bound| {
            existing <= bound
        });
    }

    match object.get("nullable") {
        None | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => allow_null(&mut out),
        Some(other) => return Err(format!("{at}/nullable: not a boolean: {other}")),
    }
    Ok(Value::Object(out))
}

/// Sets `keyword` to `bound` unless it already holds a value at least as tight.
fn tighten(out: &mut Map<String, Value>, keyword: &str, bound: i64, tighter: fn(f64, f64) -> bool) {
    let existing = out.get(keyword).and_then(Value::as_f64);
    // An i64 bound is only compared, never computed with, so the f64 rounding is harmless.
    #[allow(clippy::cast_precision_loss)]
    let keep = existing.is_some_and(|existing| tighter(existing, bound as f64));
    if !keep {
        out.insert(keyword.into(), bound.into());
    }
}

/// Applies `nullable: true` to the converted schema `out` as OpenAPI 3.0.3 defines it: "A
/// true value adds `null` to the allowed types specified by the type keyword, only if type is
/// explicitly defined within the same Schema Object. Other Schema Object constraints retain
/// their defined behavior, and therefore may disallow the use of `null` as a value."
fn allow_null(out: &mut Map<String, Value>) {
    if let Some(Value::String(type_)) = out.get("type") {
        let types = json!([type_.clone(), "null"]);
        out.insert("type".into(), types);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert_yaml(yaml: &str) -> Result<Value, String> {
        convert(&yaml_serde::from_str(yaml).unwrap(), "#")
    }

    /// Validates `instance` against `schema` (YAML, OpenAPI 3.0) with one component schema,
    /// `Cursors`, an object.
    fn accepts(schema: &str, instance: &Value) -> bool {
        let cursors = json!({ "type": "object", "properties": { "after": { "type": "string" } } });
        let mut document = Map::new();
        document.insert(
            "$schema".into(),
            "https://json-schema.org/draft/2020-12/schema".into(),
        );
        document.insert(
            "$defs".into(),
            json!({ "Cursors": convert(&cursors, "#/components/schemas/Cursors").unwrap() }),
        );
        let Value::Object(root) = convert_yaml(schema).unwrap() else {
            unreachable!("a schema converts to an object")
        };
        document.extend(root);
        jsonschema::draft202012::new(&Value::Object(document))
            .unwrap()
            .is_valid(instance)
    }

    #[test]
    fn nullable_adds_null_to_the_type_beside_it_and_nothing_else() {
        let converted = convert_yaml(
            "{ type: string, nullable: true, enum: [a], example: a, x-note: n, format: uri }",
        )
        .unwrap();
        assert_eq!(
            converted,
            json!({ "type": ["string", "null"], "enum": ["a"], "format": "uri" }),
            "the enum keeps refusing null, as OpenAPI 3.0.3 says"
        );
        assert!(accepts("{ type: string, nullable: true }", &Value::Null));
        assert!(!accepts(
            "{ type: string, nullable: true, enum: [a] }",
            &Value::Null
        ));
        assert!(accepts(
            "{ type: string, nullable: true, enum: [a, null] }",
            &Value::Null
        ));
    }

    /// The mistake the Spotify spec once made (`PlayHistory.context`, `CursorPagedPlayHistory.
    /// cursors`): `nullable` beside `allOf: [$ref]` and no `type`. OpenAPI 3.0.3 gives it no
    /// effect, strict validators refuse `null` there, and so does this one.
    #[test]
    fn nullable_without_a_type_refuses_null() {
        let without_type =
            "{ nullable: true, description: d, allOf: [{ $ref: '#/components/schemas/Cursors' }] }";
        assert!(!accepts(without_type, &Value::Null));
        assert!(accepts(without_type, &json!({ "after": "1" })));
        // `type: object` beside it is no cure: the `allOf` still refuses null.
        let with_type =
            "{ type: object, nullable: true, allOf: [{ $ref: '#/components/schemas/Cursors' }] }";
        assert!(!accepts(with_type, &Value::Null));
    }

    /// The form the specs use for a reference that may be `null`.
    #[test]
    fn a_reference_or_an_enum_of_null_takes_both() {
        let nullable_reference =
            "{ oneOf: [{ $ref: '#/components/schemas/Cursors' }, { enum: [null] }] }";
        assert!(accepts(nullable_reference, &Value::Null));
        assert!(accepts(nullable_reference, &json!({ "after": "1" })));
        assert!(!accepts(nullable_reference, &json!("1")));
        assert!(!accepts(nullable_reference, &json!({ "after": 1 })));
    }

    #[test]
    fn integer_formats_bound_the_range_unless_tighter() {
        let converted = convert_yaml("{ type: integer, format: int32, minimum: 1 }").unwrap();
        assert_eq!(
            converted,
            json!({ "type": "integer", "format": "int32", "minimum": 1, "maximum": i32::MAX })
        );
    }

    #[test]
    fn boolean_exclusive_bounds_become_numeric() {
        let converted =
            convert_yaml("{ type: number, minimum: 0, exclusiveMinimum: true }").unwrap();
        assert_eq!(
            converted,
            json!({ "type": "number", "exclusiveMinimum": 0 })
        );
    }

    #[test]
    fn siblings_of_a_reference_are_ignored_as_in_openapi_3_0() {
        let converted =
            convert_yaml("{ $ref: '#/components/schemas/Page', description: ignored }").unwrap();
        assert_eq!(converted, json!({ "$ref": "#/$defs/Page" }));
    }

    #[test]
    fn an_unknown_keyword_is_an_error_not_a_silent_drop() {
        let error =
            convert_yaml("{ type: object, properties: { limit: { maximun: 50 } } }").unwrap_err();
        assert_eq!(
            error,
            "#/properties/limit/maximun: `maximun` is not an OpenAPI 3.0 schema keyword"
        );
    }

    #[test]
    fn a_reference_outside_component_schemas_is_an_error() {
        let error = convert_yaml("{ $ref: '#/components/responses/NotFound' }").unwrap_err();
        assert!(error.contains("does not point into"), "{error}");
    }
}
