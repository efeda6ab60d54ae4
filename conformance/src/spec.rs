//! Reading a spec in `specs/` as plain JSON, and what it documents: operations, their
//! parameters, security and responses, and every example response.
//!
//! The spec is read as an untyped [`Value`] rather than through a typed OpenAPI model, so
//! that what the tests check is what the file says, extensions (`x-…`) included, and not what
//! a model chose to keep.
//!
//! ```
//! use conformance::spec::Spec;
//!
//! let spec = Spec::load("spotify-web-api")?;
//! let operation = spec.operation("get_recently_played")?;
//! assert_eq!(operation.path(), "/me/player/recently-played");
//! assert!(spec.examples()?.iter().any(|example| example.status == "200"));
//! # Ok::<(), conformance::spec::SpecError>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The HTTP methods an OpenAPI 3.0 path item can hold, in the order they are enumerated.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The workspace root: the parent of this crate's manifest directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("conformance/ lives one level below the workspace root")
        .to_path_buf()
}

/// Something a spec does not say, or says in a way this module cannot read. The message
/// names the spec file and where in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecError(String);

impl SpecError {
    fn new(spec: &str, message: impl fmt::Display) -> Self {
        Self(format!("{spec}: {message}"))
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SpecError {}

/// One spec, parsed from YAML into JSON.
#[derive(Clone, Debug)]
pub struct Spec {
    api: String,
    file: String,
    document: Value,
}

impl Spec {
    /// Loads `specs/<api>.yaml` from the workspace root.
    pub fn load(api: &str) -> Result<Self, SpecError> {
        let file = format!("specs/{api}.yaml");
        let text = std::fs::read_to_string(workspace_root().join(&file))
            .map_err(|e| SpecError::new(&file, format!("cannot read it: {e}")))?;
        Self::from_yaml(api, &file, &text)
    }

    /// Every spec in `specs/`, in file-name order.
    ///
    /// Tests that cover "every spec" use this rather than a list of names, so that a spec added
    /// later is covered (and fails wherever a test has nothing to say about it yet).
    pub fn all() -> Result<Vec<Self>, SpecError> {
        let dir = workspace_root().join("specs");
        let entries =
            std::fs::read_dir(&dir).map_err(|e| SpecError::new("specs/", format!("{e}")))?;
        let mut apis = Vec::new();
        for entry in entries {
            let path = entry
                .map_err(|e| SpecError::new("specs/", format!("{e}")))?
                .path();
            if path.extension().is_some_and(|ext| ext == "yaml")
                && let Some(stem) = path.file_stem().and_then(|stem| stem.to_str())
            {
                apis.push(stem.to_string());
            }
        }
        apis.sort();
        apis.iter().map(|api| Self::load(api)).collect()
    }

    /// Parses a spec from YAML text; `file` names it in errors.
    pub fn from_yaml(api: &str, file: &str, yaml: &str) -> Result<Self, SpecError> {
        let document: Value = yaml_serde::from_str(yaml)
            .map_err(|e| SpecError::new(file, format!("not valid YAML: {e}")))?;
        if !document.is_object() {
            return Err(SpecError::new(file, "the document is not a mapping"));
        }
        Ok(Self {
            api: api.to_string(),
            file: file.to_string(),
            document,
        })
    }

    /// The API's name: the spec's file stem, which is also its client crate's name
    /// (`spotify-web-api`).
    pub fn api(&self) -> &str {
        &self.api
    }

    /// The spec's path relative to the workspace root (`specs/spotify-web-api.yaml`).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The whole document.
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// An error that names this spec.
    pub fn error(&self, message: impl fmt::Display) -> SpecError {
        SpecError::new(&self.file, message)
    }

    /// `value` itself, or, if it is a `{"$ref": "#/…"}` object, what the reference points at
    /// (following chains of references).
    pub fn resolve<'a>(&'a self, value: &'a Value) -> Result<&'a Value, SpecError> {
        let mut current = value;
        // A chain longer than the number of components would be a cycle.
        for _ in 0..64 {
            let Some(reference) = current.get("$ref") else {
                return Ok(current);
            };
            let reference = reference
                .as_str()
                .ok_or_else(|| self.error(format!("`$ref` is not a string: {reference}")))?;
            current = self.pointer(reference)?;
        }
        Err(self.error("a `$ref` chain does not end (a cycle?)"))
    }

    /// What a local reference (`#/components/…`) points at.
    pub fn pointer(&self, reference: &str) -> Result<&Value, SpecError> {
        let pointer = reference.strip_prefix('#').ok_or_else(|| {
            self.error(format!(
                "`$ref: {reference}` is not local; only `#/…` references are supported"
            ))
        })?;
        self.document
            .pointer(pointer)
            .ok_or_else(|| self.error(format!("`$ref: {reference}` points at nothing")))
    }

    /// Every operation, sorted by path and then in the order get, put, post, delete, options,
    /// head, patch, trace.
    pub fn operations(&self) -> Vec<Operation<'_>> {
        let Some(paths) = self.document.get("paths").and_then(Value::as_object) else {
            return Vec::new();
        };
        let mut operations = Vec::new();
        for (path, item) in paths {
            for method in METHODS {
                if let Some(value) = item.get(method) {
                    operations.push(Operation {
                        spec: self,
                        path,
                        method,
                        value,
                    });
                }
            }
        }
        operations
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, operation_id: &str) -> Result<Operation<'_>, SpecError> {
        self.operations()
            .into_iter()
            .find(|operation| operation.id() == Some(operation_id))
            .ok_or_else(|| self.error(format!("no operation has operationId `{operation_id}`")))
    }

    /// Every documented example response of every operation: in [`Spec::operations`] order,
    /// then sorted by status key, media type and example name.
    ///
    /// Both forms are read: a media type's `examples` map (each entry inline or a `$ref` to
    /// `components/examples`) and its single `example` (named `example`). Responses given as a
    /// `$ref` to `components/responses` are followed.
    pub fn examples(&self) -> Result<Vec<Example>, SpecError> {
        let mut examples = Vec::new();
        for operation in self.operations() {
            let operation_id = operation.id().ok_or_else(|| {
                self.error(format!(
                    "{} {} has no operationId",
                    operation.method().to_uppercase(),
                    operation.path()
                ))
            })?;
            for (status, response) in operation.responses()? {
                let Some(content) = response.get("content").and_then(Value::as_object) else {
                    continue;
                };
                for (media_type, media) in content {
                    let at = || format!("{operation_id} {status} {media_type}");
                    let mut push = |name: &str, value: Value, summary: Option<String>| {
                        examples.push(Example {
                            api: self.api.clone(),
                            spec_file: self.file.clone(),
                            operation_id: operation_id.to_string(),
                            status: status.to_string(),
                            media_type: media_type.clone(),
                            name: name.to_string(),
                            summary,
                            value,
                        });
                    };
                    if let Some(value) = media.get("example") {
                        push("example", value.clone(), None);
                    }
                    let Some(named) = media.get("examples") else {
                        continue;
                    };
                    let named = named
                        .as_object()
                        .ok_or_else(|| self.error(format!("{}: `examples` is not a map", at())))?;
                    for (name, example) in named {
                        let example = self.resolve(example)?;
                        if example.get("externalValue").is_some() {
                            return Err(self.error(format!(
                                "{}: example `{name}` has an `externalValue`, which is not read",
                                at()
                            )));
                        }
                        let value = example.get("value").ok_or_else(|| {
                            self.error(format!("{}: example `{name}` has no `value`", at()))
                        })?;
                        let summary = example
                            .get("summary")
                            .and_then(Value::as_str)
                            .map(str::to_string);
                        push(name, value.clone(), summary);
                    }
                }
            }
        }
        Ok(examples)
    }
}

/// One operation of a spec.
#[derive(Clone, Copy, Debug)]
pub struct Operation<'a> {
    spec: &'a Spec,
    path: &'a str,
    method: &'a str,
    value: &'a Value,
}

impl<'a> Operation<'a> {
    /// Its `operationId`, if it has one.
    pub fn id(&self) -> Option<&'a str> {
        self.value.get("operationId").and_then(Value::as_str)
    }

    /// Its path, as written under `paths` (`/me/player/recently-played`).
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// Its method, lower case as in the spec (`get`).
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The operation object itself.
    pub fn value(&self) -> &'a Value {
        self.value
    }

    /// The parameter with this name and location (`query`, `path`, `header`, `cookie`),
    /// references resolved; operation-level parameters win over path-level ones, as in
    /// OpenAPI.
    pub fn parameter(&self, name: &str, location: &str) -> Result<Option<&'a Value>, SpecError> {
        let path_item = &self.spec.document["paths"][self.path];
        for parameters in [&self.value["parameters"], &path_item["parameters"]] {
            for parameter in parameters.as_array().into_iter().flatten() {
                let parameter = self.spec.resolve(parameter)?;
                if parameter["name"] == name && parameter["in"] == location {
                    return Ok(Some(parameter));
                }
            }
        }
        Ok(None)
    }

    /// The declared responses by status key (`"200"`, `"4XX"`, `"default"`), references
    /// resolved, sorted by status key.
    pub fn responses(&self) -> Result<Vec<(&'a str, &'a Value)>, SpecError> {
        let Some(responses) = self.value.get("responses").and_then(Value::as_object) else {
            return Ok(Vec::new());
        };
        responses
            .iter()
            .map(|(status, response)| Ok((status.as_str(), self.spec.resolve(response)?)))
            .collect()
    }

    /// The declared response for one status key, references resolved.
    pub fn response(&self, status: &str) -> Result<&'a Value, SpecError> {
        self.responses()?
            .into_iter()
            .find_map(|(declared, response)| (declared == status).then_some(response))
            .ok_or_else(|| {
                self.spec.error(format!(
                    "{} declares no `{status}` response",
                    self.id().unwrap_or(self.path)
                ))
            })
    }

    /// The scopes each security scheme must grant, from the operation's `security` or, when it
    /// has none, the document's. Scopes of several alternative requirements are merged.
    pub fn security_scopes(&self) -> BTreeMap<&'a str, Vec<&'a str>> {
        let security = self
            .value
            .get("security")
            .or_else(|| self.spec.document.get("security"));
        let mut scopes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for requirement in security.and_then(Value::as_array).into_iter().flatten() {
            for (scheme, granted) in requirement.as_object().into_iter().flatten() {
                let entry = scopes.entry(scheme.as_str()).or_default();
                for scope in granted.as_array().into_iter().flatten() {
                    if let Some(scope) = scope.as_str()
                        && !entry.contains(&scope)
                    {
                        entry.push(scope);
                    }
                }
            }
        }
        scopes
    }
}

/// One documented example response.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The API's name, the spec's file stem (`spotify-web-api`).
    pub api: String,
    /// The spec it is documented in (`specs/spotify-web-api.yaml`).
    pub spec_file: String,
    /// The operation it answers.
    pub operation_id: String,
    /// The response's status key as written in the spec (`"200"`).
    pub status: String,
    /// The media type it is documented under (`application/json`).
    pub media_type: String,
    /// Its name in the `examples` map (`example` for a lone `example`).
    pub name: String,
    /// Its `summary`, if it has one.
    pub summary: Option<String>,
    /// The example body.
    pub value: Value,
}

impl Example {
    /// The name of this example's snapshot, `<api>__<operationId>__<status>__<example name>`,
    /// which is also the snapshot file's stem.
    ///
    /// ```
    /// # let example = conformance::spec::Example {
    /// #     api: "spotify-web-api".into(), spec_file: String::new(),
    /// #     operation_id: "get_recently_played".into(), status: "200".into(),
    /// #     media_type: "application/json".into(), name: "documented_two_tracks".into(),
    /// #     summary: None, value: serde_json::Value::Null,
    /// # };
    /// assert_eq!(
    ///     example.snapshot_name(),
    ///     "spotify-web-api__get_recently_played__200__documented_two_tracks"
    /// );
    /// ```
    pub fn snapshot_name(&self) -> String {
        // Whatever would not be safe in a file name becomes `_`, as a file must not land in a
        // subdirectory (insta would turn `/` into `__` and the names would no longer match).
        format!(
            "{}__{}__{}__{}",
            self.api, self.operation_id, self.status, self.name
        )
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
    }

    /// Where it is documented, for messages: the spec file, operation, status, media type
    /// and example name.
    pub fn location(&self) -> String {
        format!(
            "{}: {} {} {}, example `{}`",
            self.spec_file, self.operation_id, self.status, self.media_type, self.name
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r##"
openapi: 3.0.3
info: { title: t, version: "1" }
paths:
  /things:
    parameters:
      - { name: limit, in: query, schema: { type: integer, maximum: 5 } }
    get:
      operationId: list_things
      security: [{ oauth: [read] }, { oauth: [read, write], key: [] }]
      parameters:
        - $ref: '#/components/parameters/limit'
      responses:
        "200":
          description: ok
          content:
            application/json:
              example: { n: 0 }
              examples:
                one: { summary: One thing, value: { n: 1 } }
                two: { $ref: '#/components/examples/Two' }
        "204": { description: nothing }
        "404": { $ref: '#/components/responses/NotFound' }
components:
  parameters:
    limit: { name: limit, in: query, schema: { type: integer, maximum: 50 } }
  examples:
    Two: { value: { n: 2 } }
  responses:
    NotFound:
      description: gone
      content:
        application/json:
          examples:
            gone: { value: { error: gone } }
"##;

    fn spec() -> Spec {
        Spec::from_yaml("things", "specs/things.yaml", SPEC).unwrap()
    }

    #[test]
    fn examples_are_enumerated_through_response_and_example_references() {
        let found: Vec<_> = spec()
            .examples()
            .unwrap()
            .into_iter()
            .map(|e| (e.status, e.name, e.value))
            .collect();
        assert_eq!(
            found,
            [
                ("200".into(), "example".into(), serde_json::json!({"n": 0})),
                ("200".into(), "one".into(), serde_json::json!({"n": 1})),
                ("200".into(), "two".into(), serde_json::json!({"n": 2})),
                (
                    "404".into(),
                    "gone".into(),
                    serde_json::json!({"error": "gone"})
                ),
            ]
        );
    }

    #[test]
    fn operation_parameters_override_path_parameters() {
        let spec = spec();
        let limit = spec
            .operation("list_things")
            .unwrap()
            .parameter("limit", "query")
            .unwrap()
            .unwrap();
        assert_eq!(limit["schema"]["maximum"], 50);
    }

    #[test]
    fn scopes_of_alternative_requirements_are_merged() {
        let spec = spec();
        let scopes = spec.operation("list_things").unwrap().security_scopes();
        assert_eq!(scopes["oauth"], ["read", "write"]);
        assert!(scopes["key"].is_empty());
    }

    #[test]
    fn a_dangling_reference_names_the_spec() {
        let spec = spec();
        let error = spec
            .resolve(&serde_json::json!({"$ref": "#/components/examples/Three"}))
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "specs/things.yaml: `$ref: #/components/examples/Three` points at nothing"
        );
    }

    #[test]
    fn snapshot_names_are_file_names() {
        let mut example = spec().examples().unwrap().remove(1);
        example.name = "a/b c".into();
        assert_eq!(example.snapshot_name(), "things__list_things__200__a_b_c");
    }
}
