//! Holding the generated types to the specs: what the Rust types accept, schema by schema,
//! against what the spec says.
//!
//! The generated types are compared through their `schemars` schemas (the schema copy in
//! [`crate::generated`], generated from the same specs with the same settings): for every
//! component schema of a spec, the Rust type of the same name must have the same properties,
//! the same required ones, and for each property the same type, format, nullability, enum
//! values, bounds and referenced schema. A hand-written type that replaces a generated one
//! ([`crate::hand_written`]) has no schema of its own: it is held to the spec's schema at its
//! place by its serde behaviour, decoding a valid instance built from the spec and each
//! mutation of it (a property removed, `null`, of another type, an unlisted enum value), and
//! comparing each verdict with the spec's validator.
//!
//! Every difference is a [`Difference`]; the ones the generator is known to introduce, or that
//! a hand-written type makes on purpose, are [`EXCEPTIONS`], each named and justified.
//!
//! ```
//! use conformance::type_schemas::{Aspect, compare_schemas};
//! use serde_json::json;
//!
//! // A spec that requires `id`, and a Rust type that makes it optional.
//! let spec = json!({"type": "object", "required": ["id"],
//!                   "properties": {"id": {"type": "string"}}});
//! let rust = json!({"type": "object", "properties": {"id": {"type": ["string", "null"]}}});
//! let differences = compare_schemas("Thing", &spec, &rust);
//! let aspects: Vec<_> = differences.iter().map(|d| d.aspect).collect();
//! assert_eq!(aspects, [Aspect::Required, Aspect::Nullable]);
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value, json};

use crate::hand_written::{HAND_WRITTEN, HandWritten, MARKER};
use crate::schema::to_json_schema;
use crate::spec::{Spec, SpecError};

/// What about a schema differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Aspect {
    /// The spec has a component the Rust side has no type for (or the other way round).
    Schema,
    /// A property one side has and the other does not.
    Property,
    /// A property required on one side only.
    Required,
    /// `null` accepted on one side only.
    Nullable,
    /// Different JSON types.
    Type,
    /// Different formats (`date-time`, `int64`, …).
    Format,
    /// Different enum values.
    Enum,
    /// Different lower bounds.
    Minimum,
    /// Different upper bounds.
    Maximum,
    /// References to different schemas.
    Reference,
    /// Additional properties typed differently.
    AdditionalProperties,
    /// A probe (a value built from the spec) accepted by one side only.
    Accepts,
}

/// One way in which a Rust type and its spec schema disagree.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// The component schema (`Track`), or the hand-written type and its place.
    pub schema: String,
    /// Where in it, as a JSON pointer into the instance (`/album`, `/available_markets/0`),
    /// `""` for the schema itself.
    pub at: String,
    /// What differs.
    pub aspect: Aspect,
    /// What the spec says.
    pub spec: String,
    /// What the Rust type does.
    pub rust: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}: {:?}: the spec says {}, the Rust type {}",
            self.schema,
            if self.at.is_empty() { "" } else { &self.at },
            self.aspect,
            self.spec,
            self.rust
        )
    }
}

/// A difference that is known and accepted, with its reason.
#[derive(Clone, Copy, Debug)]
pub struct Exception {
    /// A name to refer to it by.
    pub name: &'static str,
    /// Why it is accepted.
    pub reason: &'static str,
    /// Whether it covers a difference.
    pub covers: fn(&Difference) -> bool,
}

/// Every accepted difference. An exception that covers no difference fails the comparison
/// too (`tests/it/types_match_the_specs.rs`), so this list cannot go stale.
pub const EXCEPTIONS: &[Exception] = &[
    Exception {
        name: "optional-accepts-null",
        reason: "typify reads an optional property into an `Option` with `#[serde(default)]`, \
                 which also takes `null`; the specs say an absent optional property and `null` \
                 carry no value alike, and encoding leaves `None` out, so nothing is lost",
        covers: |d| {
            d.aspect == Aspect::Nullable
                && ((d.spec == "not nullable" && d.rust == "nullable")
                    || (d.spec == "refuses null on an optional property" && d.rust == "accepts"))
        },
    },
    Exception {
        name: "integer-bounds-not-enforced",
        reason: "typify types an integer with a `format` by that format alone and checks \
                 neither its `maximum` nor its `minimum` (progenitor 0.15; the example the \
                 notes give is `maximum`): `popularity: 101` decodes. The values are read, \
                 never sent back, and the clients check the bounds they send (typed limits)",
        covers: |d| matches!(d.aspect, Aspect::Maximum | Aspect::Minimum) && d.rust == "none",
    },
    Exception {
        name: "integer-width-from-bounds",
        reason: "typify picks the Rust integer of an integer without a `format` from its \
                 bounds: `minimum: 0` makes it a `u64` (format `uint64`, which takes what \
                 the spec's non-negative integer takes, up to 2^64 - 1)",
        covers: |d| d.aspect == Aspect::Format && d.spec == "none" && d.rust == "uint64",
    },
    Exception {
        name: "decode-page-items-one-by-one",
        reason: "a page item is a `client_support::Entry` (adaptation \
                 `decode-page-items-one-by-one`): an item that does not match its schema is \
                 kept as `Entry::Malformed` with its raw JSON instead of failing the page",
        covers: |d| d.schema.starts_with("client_support::Entry") && d.rust.starts_with("keeps"),
    },
    Exception {
        name: "open-string-maps-drop-odd-values",
        reason: "`ExternalUrls` and `ExternalIds` are hand-written (replacements in \
                 xtask/src/apis.rs): a value that is not a string, where the spec says \
                 string, is dropped alone (a known key such as `spotify` then reads as \
                 absent) instead of failing the play that holds it; every string is kept, and \
                 a value that is not an object at all is still refused",
        covers: |d| {
            (d.schema.starts_with("spotify_web_api::ExternalUrls")
                || d.schema.starts_with("spotify_web_api::ExternalIds"))
                && !d.at.is_empty()
                && d.aspect == Aspect::Type
                && d.spec == "refuses"
                && d.rust == "accepts"
        },
    },
    Exception {
        name: "entity-node-keeps-nodes-without-a-kind",
        reason: "`EntityNode` keeps any node whose `_type` is missing or not a string as \
                 `EntityNode::Unknown` (kind \"\"), and so a node that is not an object at all, \
                 where the spec's catch-all branch requires an object with a string `_type`: one \
                 odd node must never cost its page",
        covers: |d| {
            d.schema.starts_with("amazon_music_web_api::EntityNode")
                && (d.at == "/_type" || d.at.is_empty())
                && matches!(d.aspect, Aspect::Required | Aspect::Type | Aspect::Nullable)
                && d.spec == "refuses"
                && d.rust == "accepts"
        },
    },
];

/// What the comparison found for one API.
#[derive(Debug, Default)]
pub struct Comparison {
    /// The components compared, by name.
    pub compared: Vec<String>,
    /// Every difference found, sorted.
    pub differences: Vec<Difference>,
}

impl Comparison {
    /// The differences no exception covers.
    pub fn unexplained(&self) -> Vec<&Difference> {
        self.differences
            .iter()
            .filter(|d| !EXCEPTIONS.iter().any(|e| (e.covers)(d)))
            .collect()
    }

    /// The names of the exceptions that cover at least one difference.
    pub fn exceptions_used(&self) -> BTreeSet<&'static str> {
        EXCEPTIONS
            .iter()
            .filter(|e| self.differences.iter().any(|d| (e.covers)(d)))
            .map(|e| e.name)
            .collect()
    }
}

/// Compares every component schema of `spec` with the Rust schemas in `definitions` (the
/// `definitions` of a `schemars` root schema, by type name).
///
/// A component with no Rust type is a [`Aspect::Schema`] difference; a Rust type marked as
/// hand-written ([`MARKER`]), wherever it appears, is probed against the spec's schema at
/// that place.
pub fn compare_spec(
    spec: &Spec,
    definitions: &Map<String, Value>,
) -> Result<Comparison, SpecError> {
    compare_spec_with(spec, definitions, HAND_WRITTEN)
}

/// [`compare_spec`], probing hand-written types with `hand_written` instead of
/// [`HAND_WRITTEN`] (to show that a hand-written type that drifts is caught).
pub fn compare_spec_with(
    spec: &Spec,
    definitions: &Map<String, Value>,
    hand_written: &[HandWritten],
) -> Result<Comparison, SpecError> {
    let components = spec
        .document()
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut comparison = Comparison::default();
    let mut probes: BTreeMap<String, Value> = BTreeMap::new();
    for (name, component) in &components {
        comparison.compared.push(name.clone());
        let Some(rust) = definitions.get(name) else {
            comparison.differences.push(Difference {
                schema: name.clone(),
                at: String::new(),
                aspect: Aspect::Schema,
                spec: "a component schema".into(),
                rust: "has no type of that name".into(),
            });
            continue;
        };
        let mut walk = Walk {
            spec_components: &components,
            rust_definitions: definitions,
            differences: &mut comparison.differences,
            probes: &mut probes,
        };
        walk.schema(name, "", component, rust);
    }
    for (place, spec_schema) in probes {
        let (path, _) = place.split_once(' ').unwrap_or((&place, ""));
        let hand_written = hand_written
            .iter()
            .find(|h| h.path == path)
            .ok_or_else(|| {
                spec.error(format!(
                    "{place}: a hand-written type with no probe in conformance::hand_written::HAND_WRITTEN"
                ))
            })?;
        comparison
            .differences
            .extend(probe(spec, &place, &spec_schema, hand_written)?);
    }
    comparison.differences.sort();
    comparison.differences.dedup();
    Ok(comparison)
}

/// Compares one spec schema with one Rust schema, both standalone (references are compared by
/// name only): what [`compare_spec`] does for each component.
pub fn compare_schemas(name: &str, spec: &Value, rust: &Value) -> Vec<Difference> {
    let empty = Map::new();
    let mut differences = Vec::new();
    let mut probes = BTreeMap::new();
    Walk {
        spec_components: &empty,
        rust_definitions: &empty,
        differences: &mut differences,
        probes: &mut probes,
    }
    .schema(name, "", spec, rust);
    differences
}

/// A schema, reduced to what is compared.
#[derive(Clone, Debug, PartialEq)]
enum Shape {
    /// A reference to a named object schema.
    Ref(String),
    /// A hand-written type (its path); for an `Entry`, the item it holds.
    HandWritten(String, Option<Box<Shape>>),
    /// A plain schema.
    Plain(Plain),
    /// Anything (no constraint).
    Any,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Plain {
    types: BTreeSet<String>,
    format: Option<String>,
    enum_values: Option<BTreeSet<String>>,
    minimum: Option<String>,
    maximum: Option<String>,
    items: Option<Box<Shape>>,
    additional: Option<Box<Shape>>,
}

struct Walk<'a> {
    spec_components: &'a Map<String, Value>,
    rust_definitions: &'a Map<String, Value>,
    differences: &'a mut Vec<Difference>,
    probes: &'a mut BTreeMap<String, Value>,
}

impl Walk<'_> {
    fn differ(&mut self, schema: &str, at: &str, aspect: Aspect, spec: String, rust: String) {
        self.differences.push(Difference {
            schema: schema.to_string(),
            at: at.to_string(),
            aspect,
            spec,
            rust,
        });
    }

    /// Compares a whole schema: its properties if it is an object, else its shape.
    fn schema(&mut self, name: &str, at: &str, spec: &Value, rust: &Value) {
        if let Some(path) = rust.get(MARKER).and_then(Value::as_str) {
            self.probes
                .insert(format!("{path} {name}{at}"), spec.clone());
            return;
        }
        let spec_object = spec.get("properties").is_some() || spec["type"] == "object";
        let rust = self.rust_body(rust);
        if spec_object {
            self.object(name, at, spec, &rust);
        } else {
            let (spec_shape, spec_nullable) = self.spec_shape(spec);
            let (rust_shape, rust_nullable) = self.rust_shape(&rust);
            self.nullability(name, at, spec_nullable, rust_nullable);
            self.shapes(name, at, &spec_shape, &rust_shape);
        }
    }

    /// A Rust definition, unwrapped from a lone `allOf`.
    fn rust_body(&self, rust: &Value) -> Value {
        match rust.get("allOf").and_then(Value::as_array) {
            Some(all) if all.len() == 1 && rust.get("properties").is_none() => all[0].clone(),
            _ => rust.clone(),
        }
    }

    fn object(&mut self, name: &str, at: &str, spec: &Value, rust: &Value) {
        let names = |schema: &Value| -> BTreeSet<String> {
            schema
                .get("properties")
                .and_then(Value::as_object)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default()
        };
        let required = |schema: &Value| -> BTreeSet<String> {
            schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let (spec_names, rust_names) = (names(spec), names(rust));
        let (spec_required, rust_required) = (required(spec), required(rust));
        for property in spec_names.union(&rust_names) {
            let here = format!("{at}/{property}");
            match (spec_names.contains(property), rust_names.contains(property)) {
                (true, false) => {
                    self.differ(
                        name,
                        &here,
                        Aspect::Property,
                        "declares it".into(),
                        "has no such field".into(),
                    );
                    continue;
                }
                (false, true) => {
                    self.differ(
                        name,
                        &here,
                        Aspect::Property,
                        "does not declare it".into(),
                        "has a field for it".into(),
                    );
                    continue;
                }
                _ => {}
            }
            let word = |r: bool| if r { "required" } else { "optional" }.to_string();
            let (s, r) = (
                spec_required.contains(property),
                rust_required.contains(property),
            );
            if s != r {
                self.differ(name, &here, Aspect::Required, word(s), word(r));
            }
            let spec_property = &spec["properties"][property];
            let rust_property = &rust["properties"][property];
            if let Some(path) = rust_property.get(MARKER).and_then(Value::as_str) {
                self.probes
                    .insert(format!("{path} {name}{here}"), spec_property.clone());
                continue;
            }
            let (spec_shape, spec_nullable) = self.spec_shape(spec_property);
            let (rust_shape, rust_nullable) = self.rust_shape(rust_property);
            if s && !spec_nullable && rust_nullable {
                // Not the generator's habit for optional properties: a required one that
                // takes `null` lets a page without its value decode.
                self.differ(
                    name,
                    &here,
                    Aspect::Nullable,
                    "not nullable, and required".into(),
                    "nullable".into(),
                );
            } else {
                self.nullability(name, &here, spec_nullable, rust_nullable);
            }
            self.shapes(name, &here, &spec_shape, &rust_shape);
        }
        let additional = |schema: &Value, spec: bool| -> Option<Shape> {
            match schema.get("additionalProperties") {
                // `{}` is any value, as `true` is (ListenBrainz's open objects).
                None | Some(Value::Bool(true)) => None,
                Some(Value::Object(any)) if any.is_empty() => None,
                Some(other) if spec => Some(self.spec_shape(other).0),
                Some(other) => Some(self.rust_shape(other).0),
            }
        };
        let (s, r) = (additional(spec, true), additional(rust, false));
        if s != r {
            self.differ(
                name,
                at,
                Aspect::AdditionalProperties,
                describe(s.as_ref()),
                describe(r.as_ref()),
            );
        }
    }

    fn nullability(&mut self, name: &str, at: &str, spec: bool, rust: bool) {
        if spec != rust {
            let word = |n: bool| if n { "nullable" } else { "not nullable" }.to_string();
            self.differ(name, at, Aspect::Nullable, word(spec), word(rust));
        }
    }

    fn shapes(&mut self, name: &str, at: &str, spec: &Shape, rust: &Shape) {
        match (spec, rust) {
            (Shape::Ref(s), Shape::Ref(r)) if s == r => {}
            (_, Shape::HandWritten(path, item)) => {
                // An `Entry` holds the item the spec names; what it adds is probed.
                if let Some(item) = item {
                    self.shapes(name, at, spec, item);
                }
                if let Shape::Ref(component) = spec {
                    // Keyed by the component, so that each place it appears probes it once.
                    let schema = json!({ "$ref": format!("#/components/schemas/{component}") });
                    let path = match item {
                        Some(_) => format!("{path}<{component}>"),
                        None => path.clone(),
                    };
                    self.probes.insert(format!("{path} {component}"), schema);
                } else {
                    self.probes
                        .insert(format!("{path} {name}{at}"), shape_schema(spec));
                }
            }
            (Shape::Plain(s), Shape::Plain(r)) => {
                let none = || "none".to_string();
                let list = |v: &BTreeSet<String>| v.iter().cloned().collect::<Vec<_>>().join("|");
                if s.types != r.types {
                    self.differ(name, at, Aspect::Type, list(&s.types), list(&r.types));
                }
                if s.format != r.format {
                    self.differ(
                        name,
                        at,
                        Aspect::Format,
                        s.format.clone().unwrap_or_else(none),
                        r.format.clone().unwrap_or_else(none),
                    );
                }
                if s.enum_values != r.enum_values {
                    let values = |v: &Option<BTreeSet<String>>| {
                        v.as_ref().map_or_else(|| "any value".to_string(), list)
                    };
                    self.differ(
                        name,
                        at,
                        Aspect::Enum,
                        values(&s.enum_values),
                        values(&r.enum_values),
                    );
                }
                if s.minimum != r.minimum {
                    self.differ(
                        name,
                        at,
                        Aspect::Minimum,
                        s.minimum.clone().unwrap_or_else(none),
                        r.minimum.clone().unwrap_or_else(none),
                    );
                }
                if s.maximum != r.maximum {
                    self.differ(
                        name,
                        at,
                        Aspect::Maximum,
                        s.maximum.clone().unwrap_or_else(none),
                        r.maximum.clone().unwrap_or_else(none),
                    );
                }
                match (&s.items, &r.items) {
                    (Some(si), Some(ri)) => self.shapes(name, &format!("{at}/0"), si, ri),
                    (None, None) => {}
                    (si, ri) => self.differ(
                        name,
                        &format!("{at}/0"),
                        Aspect::Type,
                        describe(si.as_deref()),
                        describe(ri.as_deref()),
                    ),
                }
                if s.additional != r.additional {
                    self.differ(
                        name,
                        at,
                        Aspect::AdditionalProperties,
                        describe(s.additional.as_deref()),
                        describe(r.additional.as_deref()),
                    );
                }
            }
            (s, r) if s != r => {
                self.differ(
                    name,
                    at,
                    Aspect::Reference,
                    describe(Some(s)),
                    describe(Some(r)),
                );
            }
            _ => {}
        }
    }

    /// The shape of an OpenAPI 3.0 schema, and whether it is nullable.
    ///
    /// Nullable as OpenAPI 3.0.3 reads it (and [`crate::schema`] validates it): `nullable:
    /// true` beside a `type`, or a `oneOf`/`anyOf` of one schema and branches that only take
    /// `null` (`{enum: [null]}`, the specs' form of a reference that may be `null`).
    fn spec_shape(&self, schema: &Value) -> (Shape, bool) {
        let nullable = schema["nullable"] == true && schema.get("type").is_some();
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/components/schemas/");
            return match self.spec_components.get(name) {
                // A reference to a scalar (an enum of kinds): compared as what it holds.
                Some(target)
                    if target.get("properties").is_none()
                        && target["type"] != "object"
                        && target.get("oneOf").is_none()
                        && target.get("anyOf").is_none() =>
                {
                    let (shape, inner) = self.spec_shape(target);
                    (shape, inner)
                }
                _ => (Shape::Ref(name.to_string()), false),
            };
        }
        for combinator in ["oneOf", "anyOf"] {
            if let Some(branches) = schema.get(combinator).and_then(Value::as_array) {
                let (nulls, others): (Vec<&Value>, Vec<&Value>) =
                    branches.iter().partition(|b| only_null(b));
                if others.len() == 1 {
                    let (shape, inner) = self.spec_shape(others[0]);
                    return (shape, nullable || inner || !nulls.is_empty());
                }
            }
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array)
            && all.len() == 1
        {
            let (shape, inner) = self.spec_shape(&all[0]);
            return (shape, nullable || inner);
        }
        let Some(kind) = schema.get("type").and_then(Value::as_str) else {
            return (Shape::Any, nullable);
        };
        let mut plain = Plain {
            types: BTreeSet::from([kind.to_string()]),
            format: schema
                .get("format")
                .and_then(Value::as_str)
                .map(str::to_string),
            enum_values: enum_values(schema),
            minimum: schema.get("minimum").map(number),
            maximum: schema.get("maximum").map(number),
            ..Plain::default()
        };
        if let Some(items) = schema.get("items") {
            plain.items = Some(Box::new(self.spec_shape(items).0));
        }
        if let Some(additional) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            plain.additional = Some(Box::new(self.spec_shape(additional).0));
        }
        // Integers are compared by range: `format: int32` is `minimum`/`maximum` of i32.
        (Shape::Plain(plain), nullable)
    }

    /// The shape of a `schemars` (draft 7) schema, and whether it takes `null`.
    fn rust_shape(&self, schema: &Value) -> (Shape, bool) {
        if let Some(path) = schema.get(MARKER).and_then(Value::as_str) {
            let mut unmarked = schema.clone();
            if let Some(object) = unmarked.as_object_mut() {
                object.remove(MARKER);
            }
            let item = (unmarked.as_object().is_some_and(|o| !o.is_empty()))
                .then(|| Box::new(self.rust_shape(&unmarked).0));
            return (Shape::HandWritten(path.to_string(), item), false);
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/definitions/");
            return match self.rust_definitions.get(name) {
                Some(target) if target.get(MARKER).is_some() => self.rust_shape(target),
                Some(target)
                    if target.get("properties").is_none()
                        && target["type"] != "object"
                        && target.get("oneOf").is_none()
                        && target.get("anyOf").is_none() =>
                {
                    self.rust_shape(target)
                }
                _ => (Shape::Ref(name.to_string()), false),
            };
        }
        for combinator in ["anyOf", "oneOf", "allOf"] {
            if let Some(branches) = schema.get(combinator).and_then(Value::as_array) {
                let (nulls, others): (Vec<&Value>, Vec<&Value>) =
                    branches.iter().partition(|b| b["type"] == "null");
                if others.len() == 1 {
                    let (shape, nullable) = self.rust_shape(others[0]);
                    return (shape, nullable || !nulls.is_empty());
                }
            }
        }
        let mut types: BTreeSet<String> = match schema.get("type") {
            Some(Value::String(t)) => BTreeSet::from([t.clone()]),
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => return (Shape::Any, false),
        };
        let nullable = types.remove("null");
        let mut enum_values = enum_values(schema);
        if let Some(values) = enum_values.as_mut() {
            values.remove("null");
        }
        let mut plain = Plain {
            types,
            format: schema
                .get("format")
                .and_then(Value::as_str)
                .map(str::to_string),
            enum_values,
            minimum: schema.get("minimum").map(number),
            maximum: schema.get("maximum").map(number),
            ..Plain::default()
        };
        if let Some(items) = schema.get("items") {
            plain.items = Some(Box::new(self.rust_shape(items).0));
        }
        if let Some(additional) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            plain.additional = Some(Box::new(self.rust_shape(additional).0));
        }
        (Shape::Plain(plain), nullable)
    }
}

/// Whether an OpenAPI 3.0 schema takes `null` and nothing else: `{enum: [null]}`.
fn only_null(schema: &Value) -> bool {
    schema.get("type").is_none()
        && schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|values| values.iter().all(Value::is_null) && !values.is_empty())
}

fn enum_values(schema: &Value) -> Option<BTreeSet<String>> {
    schema.get("enum").and_then(Value::as_array).map(|values| {
        values
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect()
    })
}

fn number(value: &Value) -> String {
    value
        .as_f64()
        .map_or_else(|| value.to_string(), |n| n.to_string())
}

fn describe(shape: Option<&Shape>) -> String {
    match shape {
        None => "none".into(),
        Some(Shape::Ref(name)) => format!("a {name}"),
        Some(Shape::HandWritten(path, _)) => format!("a {path}"),
        Some(Shape::Any) => "any value".into(),
        Some(Shape::Plain(plain)) => plain.types.iter().cloned().collect::<Vec<_>>().join("|"),
    }
}

/// A JSON schema (OpenAPI flavour) for a plain shape, to probe a hand-written type with.
fn shape_schema(shape: &Shape) -> Value {
    match shape {
        Shape::Ref(name) => json!({ "$ref": format!("#/components/schemas/{name}") }),
        Shape::Plain(plain) => {
            let mut schema = Map::new();
            if let Some(kind) = plain.types.iter().next() {
                schema.insert("type".into(), kind.clone().into());
            }
            if let Some(format) = &plain.format {
                schema.insert("format".into(), format.clone().into());
            }
            if let Some(values) = &plain.enum_values {
                schema.insert(
                    "enum".into(),
                    values.iter().cloned().collect::<Vec<_>>().into(),
                );
            }
            Value::Object(schema)
        }
        Shape::HandWritten(..) | Shape::Any => json!({}),
    }
}

/// Holds the hand-written type at `place` (`<path> <schema>/<pointer>`) to `schema` by its
/// serde behaviour: a valid instance of each branch, then each mutation of it.
fn probe(
    spec: &Spec,
    place: &str,
    schema: &Value,
    hand_written: &HandWritten,
) -> Result<Vec<Difference>, SpecError> {
    let json_schema = to_json_schema(spec, schema)?;
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&json_schema)
        .map_err(|e| spec.error(format!("{place}: not valid JSON Schema: {e}")))?;
    let samples = samples(spec, schema, 0)?;
    if samples.is_empty() {
        return Err(spec.error(format!(
            "{place}: no valid instance could be built to probe with"
        )));
    }
    let mut differences = Vec::new();
    let verdict = |at: &str, aspect: Aspect, value: &Value| -> Option<Difference> {
        let spec_accepts = validator.is_valid(value);
        let rust_accepts = (hand_written.accepts)(value);
        let rust_keeps = (hand_written.keeps)(value);
        let word = |accepts: bool| if accepts { "accepts" } else { "refuses" };
        (spec_accepts != rust_accepts || (!spec_accepts && rust_keeps)).then(|| Difference {
            schema: place.to_string(),
            at: at.to_string(),
            aspect,
            spec: word(spec_accepts).to_string(),
            rust: if !rust_accepts && rust_keeps {
                format!("keeps it as malformed: {value}")
            } else {
                word(rust_accepts).to_string()
            },
        })
    };
    for sample in &samples {
        if !validator.is_valid(sample) {
            return Err(spec.error(format!(
                "{place}: the instance built to probe with does not match the spec: {sample}"
            )));
        }
        differences.extend(verdict("", Aspect::Accepts, sample));
        differences.extend(verdict("", Aspect::Nullable, &Value::Null));
        let wrong = if sample.is_string() {
            json!(42)
        } else {
            json!("text")
        };
        differences.extend(verdict("", Aspect::Type, &wrong));
        // An entry's item is a generated type, compared property by property through its
        // schema; what the entry itself adds shows on the whole item.
        let Some(object) = sample
            .as_object()
            .filter(|_| !place.starts_with("client_support::Entry"))
        else {
            continue;
        };
        for property in properties_of(spec, schema, sample)? {
            let at = format!("/{property}");
            let mut changed = object.clone();
            if changed.remove(&property).is_some() {
                differences.extend(verdict(
                    &at,
                    Aspect::Required,
                    &Value::Object(changed.clone()),
                ));
            }
            let optional = validator.is_valid(&Value::Object(changed.clone()));
            changed.insert(property.clone(), Value::Null);
            let nulled = Value::Object(changed.clone());
            if optional && !validator.is_valid(&nulled) && (hand_written.accepts)(&nulled) {
                // Told apart from a required property that takes `null`, which is no
                // generator habit but a hand-written type's own leniency.
                differences.push(Difference {
                    schema: place.to_string(),
                    at: at.clone(),
                    aspect: Aspect::Nullable,
                    spec: "refuses null on an optional property".into(),
                    rust: "accepts".into(),
                });
            } else {
                differences.extend(verdict(&at, Aspect::Nullable, &nulled));
            }
            let wrong = match object.get(&property) {
                Some(Value::String(_)) | None => json!(42),
                Some(Value::Number(_)) => json!("1"),
                Some(Value::Bool(_)) => json!("true"),
                Some(Value::Array(_)) => json!({}),
                Some(_) => json!("text"),
            };
            changed.insert(property.clone(), wrong);
            differences.extend(verdict(&at, Aspect::Type, &Value::Object(changed.clone())));
            if let Some(Value::String(_)) = object.get(&property) {
                changed.insert(property.clone(), json!("NotAValueAnyoneListed"));
                differences.extend(verdict(&at, Aspect::Enum, &Value::Object(changed)));
            }
        }
    }
    Ok(differences)
}

/// The properties `sample` has, and those its schema declares: at its own level, and in each
/// branch of an `allOf`, `oneOf` or `anyOf` that `sample` matches (for an entity node, the
/// kind it is).
fn properties_of(spec: &Spec, schema: &Value, sample: &Value) -> Result<Vec<String>, SpecError> {
    let schema = spec.resolve(schema)?;
    let mut names: BTreeSet<String> = sample
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    for key in ["allOf", "oneOf", "anyOf"] {
        for branch in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if branch_matches(spec, branch, sample)? {
                names.extend(properties_of(spec, branch, sample)?);
            }
        }
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        names.extend(properties.keys().cloned());
    }
    Ok(names.into_iter().collect())
}

/// Whether `sample` is valid against `branch` alone.
fn branch_matches(spec: &Spec, branch: &Value, sample: &Value) -> Result<bool, SpecError> {
    let json_schema = to_json_schema(spec, branch)?;
    Ok(jsonschema::draft202012::options()
        .build(&json_schema)
        .is_ok_and(|validator| validator.is_valid(sample)))
}

/// Valid instances of `schema`: for an object, one with only its required properties and one
/// with all of them; one per branch of a `oneOf` or `anyOf`.
fn samples(spec: &Spec, schema: &Value, depth: usize) -> Result<Vec<Value>, SpecError> {
    if depth > 8 {
        return Ok(Vec::new());
    }
    let schema = spec.resolve(schema)?;
    for key in ["oneOf", "anyOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            let mut all = Vec::new();
            for branch in branches {
                all.extend(samples(spec, branch, depth + 1)?);
            }
            return Ok(all);
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array)
        && all.len() == 1
    {
        return samples(spec, &all[0], depth + 1);
    }
    if schema.get("type").is_none()
        && let Some(values) = schema.get("enum").and_then(Value::as_array)
    {
        return Ok(values.first().cloned().into_iter().collect());
    }
    let kind = schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("object");
    Ok(match kind {
        "object" => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let required: BTreeSet<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut minimal = Map::new();
            let mut full = Map::new();
            for (name, property) in properties.into_iter().flatten() {
                let Some(value) = samples(spec, property, depth + 1)?.into_iter().next() else {
                    continue;
                };
                if required.contains(name.as_str()) {
                    minimal.insert(name.clone(), value.clone());
                }
                full.insert(name.clone(), value);
            }
            if minimal == full {
                vec![Value::Object(minimal)]
            } else {
                vec![Value::Object(minimal), Value::Object(full)]
            }
        }
        "string" => vec![match (
            schema.get("enum"),
            schema.get("format").and_then(Value::as_str),
        ) {
            (Some(Value::Array(values)), _) if !values.is_empty() => values[0].clone(),
            (_, Some("date-time")) => json!("2024-05-01T12:00:00Z"),
            _ if schema.get("not").is_some() => json!("KindNotYetListed"),
            _ => json!("text"),
        }],
        "integer" => vec![schema.get("minimum").cloned().unwrap_or(json!(1))],
        "number" => vec![json!(1.5)],
        "boolean" => vec![json!(true)],
        "array" => vec![json!([])],
        _ => Vec::new(),
    })
}
