//! What a subject says of its spec's documented examples: the generated type each decodes
//! into, and how each can be broken so that its schema must reject it.

use std::fmt::Debug;

use conformance::spec::Example;
use schemars::r#gen::SchemaGenerator;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// An example decoded into a generated type.
pub struct Decoded {
    /// The type's public path, for snapshot descriptions.
    pub type_name: String,
    /// The decoded value, pretty-printed by its `Debug`: what the snapshot shows.
    pub debug: String,
    /// The decoded value encoded again.
    pub reencoded: Value,
}

/// `example` decoded as a `T`, and encoded again.
pub fn decode<T: DeserializeOwned + Serialize + Debug>(
    example: &Example,
) -> Result<Decoded, String> {
    // The generated module is private; its types are re-exported as `<crate>::types`.
    let type_name = std::any::type_name::<T>().replace("::generated::", "::");
    let decoded: T = serde_json::from_value(example.value.clone()).map_err(|e| {
        format!(
            "{}: does not decode as {type_name}: {e}",
            example.location()
        )
    })?;
    let reencoded = serde_json::to_value(&decoded)
        .map_err(|e| format!("{}: {type_name} does not encode: {e}", example.location()))?;
    Ok(Decoded {
        debug: format!("{decoded:#?}"),
        type_name,
        reencoded,
    })
}

/// One way to break an example, which its schema must then reject.
pub enum Breakage {
    /// Remove what the pointer points at.
    Remove(String),
    /// Replace what the pointer points at.
    Replace(String, Value),
}

/// What a subject says of its spec's documented examples and response types.
pub trait Documented {
    /// Adds to `generator` the schemas of the schema copy of its response types (every
    /// other component is reachable from them), and of any component the spec reaches only
    /// through a type the client replaces with a hand-written one.
    fn response_types(&self, generator: &mut SchemaGenerator);

    /// `example` (a documented response of its spec) decoded into the generated type of its
    /// operation and status; `None` when no type is mapped to it.
    fn decode_example(&self, example: &Example) -> Option<Result<Decoded, String>>;

    /// Breakages of `example` deeper than its top level, each against what its response's
    /// schema says, which the schema must then reject.
    fn deep_breakages(&self, example: &Example) -> Vec<(&'static str, Breakage)>;
}
