//! Validating a JSON body against the schema a spec declares for one response.
//!
//! OpenAPI 3.0 schemas are a dialect of JSON Schema, not JSON Schema itself, so each is
//! converted to JSON Schema 2020-12 first and then validated with the `jsonschema` crate:
//!
//! - `$ref: '#/components/schemas/X'` becomes `$ref: '#/$defs/X'`, with every component schema
//!   converted into `$defs`. As in OpenAPI 3.0, keywords beside a `$ref` are ignored.
//! - `nullable: true` also allows `null`: as `type: [T, "null"]` when the schema has a plain
//!   `type`, otherwise (e.g. `nullable` beside `allOf: [$ref]`, which the specs use for nullable
//!   objects) as `anyOf: [{type: "null"}, <the schema>]`. This is how the generator reads it
//!   too (`Option<T>`), and what the specs mean ("`null` if none").
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
        Some(Value::Bool(true)) => return Ok(allow_null(out)),
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

/// The schema `out`, also accepting `null`.
fn allow_null(mut out: Map<String, Value>) -> Value {
    let applicators = ["allOf", "anyOf", "oneOf", "not"];
    let plain_type = out.get("type").and_then(Value::as_str).map(str::to_string);
    match plain_type {
        Some(type_) if !applicators.iter().any(|k| out.contains_key(*k)) => {
            out.insert("type".into(), json!([type_, "null"]));
            if let Some(Value::Array(values)) = out.get_mut("enum")
                && !values.contains(&Value::Null)
            {
                values.push(Value::Null);
            }
            Value::Object(out)
        }
        _ => json!({ "anyOf": [{ "type": "null" }, Value::Object(out)] }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert_yaml(yaml: &str) -> Result<Value, String> {
        convert(&yaml_serde::from_str(yaml).unwrap(), "#")
    }

    #[test]
    fn nullable_plain_types_take_null_and_openapi_keywords_are_dropped() {
        let converted = convert_yaml(
            "{ type: string, nullable: true, enum: [a], example: a, x-note: n, format: uri }",
        )
        .unwrap();
        assert_eq!(
            converted,
            json!({ "type": ["string", "null"], "enum": ["a", null], "format": "uri" })
        );
    }

    #[test]
    fn nullable_references_become_any_of_null() {
        let converted = convert_yaml(
            "{ nullable: true, description: d, allOf: [{ $ref: '#/components/schemas/Cursors' }] }",
        )
        .unwrap();
        assert_eq!(
            converted,
            json!({ "anyOf": [
                { "type": "null" },
                { "description": "d", "allOf": [{ "$ref": "#/$defs/Cursors" }] },
            ] })
        );
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
