//! Checking what a server actually sent (a simulation's answer, a recorded response) against
//! the spec: which operation the request's path names, whether the spec declares the
//! response's status, and whether its body matches the schema declared for that status.
//!
//! Every declared response schema is converted and compiled once, by [`SpecResponses::load`];
//! checking a response is then cheap enough to do for every page of a property test.
//!
//! ```
//! use conformance::responses::SpecResponses;
//!
//! let spotify = SpecResponses::load("spotify-web-api")?;
//! let operation = spotify.operation_for("GET", "/v1/me/player/recently-played");
//! assert_eq!(operation, Some("get_recently_played"));
//!
//! let body = br#"{"error": {"status": 401, "message": "The access token expired"}}"#;
//! let checked = spotify.check("get_recently_played", 401, Some("application/json"), body);
//! assert_eq!(checked, Ok("401".to_string()));
//!
//! // A 401 body in another API's error format is caught.
//! let wrong = br#"{"error": {"status": "401", "message": "expired"}}"#;
//! assert!(spotify.check("get_recently_played", 401, Some("application/json"), wrong).is_err());
//! # Ok::<(), conformance::spec::SpecError>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::schema::{ResponseSchema, to_json_schema};
use crate::spec::{Spec, SpecError};

/// One spec's declared responses, compiled for checking.
#[derive(Debug)]
pub struct SpecResponses {
    spec: Spec,
    /// The path of the spec's first server URL (`/v1`), which prefixes every operation path.
    base_path: String,
    /// `(operationId, status key)` → the declared media types, each with its compiled schema
    /// (`None` for a media type declared without a schema).
    declared: BTreeMap<(String, String), BTreeMap<String, Option<ResponseSchema>>>,
}

/// A response that does not conform to the spec, in a sentence naming the spec, the
/// operation and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Nonconforming {
    /// The spec declares no response for this status (no exact code, no `NXX`, no `default`).
    UndeclaredStatus {
        /// The spec file.
        spec: String,
        /// The operation.
        operation_id: String,
        /// The status that was sent.
        status: u16,
    },
    /// The status is declared, but the response does not match what it declares.
    Mismatch {
        /// The spec file, operation and status key.
        response: String,
        /// What is wrong.
        problem: String,
    },
}

impl fmt::Display for Nonconforming {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UndeclaredStatus {
                spec,
                operation_id,
                status,
            } => write!(f, "{spec}: {operation_id} declares no {status} response"),
            Self::Mismatch { response, problem } => write!(f, "{response}: {problem}"),
        }
    }
}

impl std::error::Error for Nonconforming {}

impl SpecResponses {
    /// Loads `specs/<api>.yaml` and compiles the schema of every declared response body.
    pub fn load(api: &str) -> Result<Self, SpecError> {
        Self::from_spec(Spec::load(api)?)
    }

    /// Compiles the schema of every response body `spec` declares.
    pub fn from_spec(spec: Spec) -> Result<Self, SpecError> {
        let base_path = server_path(&spec)?;
        let mut declared = BTreeMap::new();
        for operation in spec.operations() {
            let Some(operation_id) = operation.id() else {
                continue;
            };
            for (status, response) in operation.responses()? {
                let mut media_types = BTreeMap::new();
                let content = response.get("content").and_then(Value::as_object);
                for (media_type, media) in content.into_iter().flatten() {
                    let schema = match media.get("schema") {
                        Some(_) => Some(ResponseSchema::for_response(
                            &spec,
                            operation_id,
                            status,
                            media_type,
                        )?),
                        None => None,
                    };
                    media_types.insert(media_type.clone(), schema);
                }
                declared.insert((operation_id.to_string(), status.to_string()), media_types);
            }
        }
        Ok(Self {
            spec,
            base_path,
            declared,
        })
    }

    /// The spec.
    pub fn spec(&self) -> &Spec {
        &self.spec
    }

    /// The operation a request for `path` (as received: the server's base path included,
    /// still percent-encoded) names: the one whose path template it fills, each `{parameter}`
    /// with exactly one non-empty segment.
    pub fn operation_for(&self, method: &str, path: &str) -> Option<&str> {
        let rest = path.strip_prefix(&self.base_path)?;
        let segments: Vec<&str> = rest.split('/').collect();
        self.spec.operations().into_iter().find_map(|operation| {
            let template: Vec<&str> = operation.path().split('/').collect();
            let fills = template.len() == segments.len()
                && template.iter().zip(&segments).all(|(expected, segment)| {
                    if expected.starts_with('{') && expected.ends_with('}') {
                        !segment.is_empty()
                    } else {
                        expected == segment
                    }
                });
            (fills && operation.method().eq_ignore_ascii_case(method))
                .then(|| operation.id())
                .flatten()
        })
    }

    /// The status key (`"429"`, `"4XX"` or `"default"`) under which the spec declares
    /// `status` for `operation_id`, most specific first, as OpenAPI reads them.
    pub fn status_key(&self, operation_id: &str, status: u16) -> Option<String> {
        let range = format!("{}XX", status / 100);
        [status.to_string(), range, "default".to_string()]
            .into_iter()
            .find(|key| {
                self.declared
                    .contains_key(&(operation_id.to_string(), key.clone()))
            })
    }

    /// The media types declared for the `key` response (`"200"`, `"4XX"`) of
    /// `operation_id`, each with its compiled schema (`None` for a media type declared
    /// without one); empty for a bodyless response, `None` for an undeclared one.
    pub fn media_types(
        &self,
        operation_id: &str,
        key: &str,
    ) -> Option<&BTreeMap<String, Option<ResponseSchema>>> {
        self.declared
            .get(&(operation_id.to_string(), key.to_string()))
    }

    /// Checks one response of `operation_id`: its status is declared; if the declared response
    /// has a body, the `Content-Type` is one of its media types and the body matches that
    /// media type's schema; if it has none, the body is empty. Returns the status key the
    /// response was checked under.
    pub fn check(
        &self,
        operation_id: &str,
        status: u16,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<String, Nonconforming> {
        let key = self.status_key(operation_id, status).ok_or_else(|| {
            Nonconforming::UndeclaredStatus {
                spec: self.spec.file().to_string(),
                operation_id: operation_id.to_string(),
                status,
            }
        })?;
        let media_types = &self.declared[&(operation_id.to_string(), key.clone())];
        let mismatch = |problem: String| Nonconforming::Mismatch {
            response: format!("{}: {operation_id} {key}", self.spec.file()),
            problem,
        };
        if media_types.is_empty() {
            return if body.is_empty() {
                Ok(key)
            } else {
                Err(mismatch(format!(
                    "the response declares no body, but {} bytes were sent",
                    body.len()
                )))
            };
        }
        let essence = content_type
            .map(|value| value.split(';').next().unwrap_or("").trim().to_lowercase())
            .ok_or_else(|| mismatch("the response has no Content-Type".to_string()))?;
        let schema = media_types.get(&essence).ok_or_else(|| {
            mismatch(format!(
                "Content-Type {essence:?} is not one of the declared {:?}",
                media_types.keys().collect::<Vec<_>>()
            ))
        })?;
        let Some(schema) = schema else {
            return Ok(key);
        };
        let value: Value = serde_json::from_slice(body).map_err(|e| {
            mismatch(format!(
                "the body is not JSON ({e}): {}",
                String::from_utf8_lossy(body)
            ))
        })?;
        schema.validate(&value).map_err(|invalid| {
            mismatch(format!(
                "the body does not match the declared schema:\n  - {}",
                invalid.violations.join("\n  - ")
            ))
        })?;
        Ok(key)
    }

    /// Whether the spec's schema of parameter `name` (in `location`) of `operation_id`
    /// accepts `value`.
    pub fn parameter_accepts(
        &self,
        operation_id: &str,
        name: &str,
        location: &str,
        value: &Value,
    ) -> Result<bool, SpecError> {
        let operation = self.spec.operation(operation_id)?;
        let parameter = operation.parameter(name, location)?.ok_or_else(|| {
            self.spec.error(format!(
                "{operation_id} has no {location} parameter `{name}`"
            ))
        })?;
        let schema = parameter.get("schema").ok_or_else(|| {
            self.spec
                .error(format!("{operation_id} `{name}` has no schema"))
        })?;
        let json_schema = to_json_schema(&self.spec, self.spec.resolve(schema)?)?;
        let validator = jsonschema::draft202012::options()
            .build(&json_schema)
            .map_err(|e| {
                self.spec.error(format!(
                    "{operation_id} `{name}`: not valid JSON Schema: {e}"
                ))
            })?;
        Ok(validator.is_valid(value))
    }
}

/// The path of the spec's first server URL, without a trailing `/` (`""` for none).
fn server_path(spec: &Spec) -> Result<String, SpecError> {
    let url = spec
        .document()
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .ok_or_else(|| spec.error("declares no server URL"))?;
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |at| &after_scheme[at..]);
    Ok(path.trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r##"
openapi: 3.0.3
info: { title: t, version: "1" }
servers: [{ url: "https://api.example/v2/" }]
paths:
  /things/{id}/parts:
    get:
      operationId: list_parts
      parameters:
        - { name: id, in: path, required: true, schema: { type: string } }
        - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: 5 } }
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { type: object, required: [n], properties: { n: { type: integer } } }
        "204": { description: nothing }
        "4XX":
          description: client error
          content:
            application/json:
              schema: { type: object, required: [error] }
"##;

    fn responses() -> SpecResponses {
        SpecResponses::from_spec(Spec::from_yaml("things", "specs/things.yaml", SPEC).unwrap())
            .unwrap()
    }

    #[test]
    fn a_path_names_the_operation_whose_template_it_fills() {
        let responses = responses();
        assert_eq!(
            responses.operation_for("GET", "/v2/things/a%2Fb/parts"),
            Some("list_parts")
        );
        for other in [
            "/v2/things//parts",
            "/v2/things/a/b/parts",
            "/things/a/parts",
            "/v2/things/a/parts/",
        ] {
            assert_eq!(responses.operation_for("GET", other), None, "{other}");
        }
        assert_eq!(responses.operation_for("POST", "/v2/things/a/parts"), None);
    }

    #[test]
    fn a_status_is_checked_under_its_most_specific_key() {
        let responses = responses();
        let json = Some("application/json; charset=utf-8");
        assert_eq!(
            responses.check("list_parts", 200, json, br#"{"n": 1}"#),
            Ok("200".into())
        );
        assert_eq!(
            responses.check("list_parts", 429, json, br#"{"error": 1}"#),
            Ok("4XX".into())
        );
        assert_eq!(
            responses.check("list_parts", 204, None, b""),
            Ok("204".into())
        );
        assert_eq!(
            responses.check("list_parts", 500, json, b"{}"),
            Err(Nonconforming::UndeclaredStatus {
                spec: "specs/things.yaml".into(),
                operation_id: "list_parts".into(),
                status: 500,
            })
        );
    }

    #[test]
    fn a_body_type_or_media_type_the_spec_does_not_declare_is_a_mismatch() {
        let responses = responses();
        for (status, content_type, body) in [
            (200, Some("application/json"), &br#"{"n": "one"}"#[..]),
            (200, Some("text/html"), br#"{"n": 1}"#),
            (200, None, br#"{"n": 1}"#),
            (200, Some("application/json"), b"{\"n\": "),
            (204, None, b"unexpected"),
        ] {
            let checked = responses.check("list_parts", status, content_type, body);
            assert!(
                matches!(checked, Err(Nonconforming::Mismatch { .. })),
                "{status} {content_type:?} {}: {checked:?}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn a_parameter_schema_says_which_values_it_accepts() {
        let responses = responses();
        let accepts = |value| {
            responses
                .parameter_accepts("list_parts", "limit", "query", &serde_json::json!(value))
                .unwrap()
        };
        assert!(accepts(1) && accepts(5));
        assert!(!accepts(0) && !accepts(6) && !accepts(-1));
    }
}
