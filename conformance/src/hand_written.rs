//! Stand-ins, in the schema copy of the generated types ([`crate::generated`]), for the
//! hand-written types the client crates put in place of generated ones (the replacements in
//! `xtask/src/apis.rs`).
//!
//! Each stand-in wraps the client crate's own type, so it decodes and encodes exactly as the
//! client does, and gives it a JSON Schema that only names it (`{"x-hand-written": "<path>"}`)
//! instead of describing it a second time, where the description could drift from what the
//! type really accepts. [`crate::type_schemas`] holds each hand-written type to the spec by its
//! serde behaviour instead: it decodes probes built from the spec with the type itself.
//!
//! ```
//! use conformance::hand_written::{HAND_WRITTEN, MARKER};
//! use schemars::JsonSchema;
//!
//! let schema = serde_json::to_value(conformance::hand_written::Market::json_schema(
//!     &mut schemars::r#gen::SchemaGenerator::default(),
//! ))?;
//! assert_eq!(schema[MARKER], "spotify_web_api::Market");
//! assert!(HAND_WRITTEN.iter().any(|t| t.path == "spotify_web_api::Market"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use schemars::JsonSchema;
use schemars::r#gen::SchemaGenerator;
use schemars::schema::{Schema, SchemaObject};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The schema extension that names the hand-written type a stand-in wraps.
pub const MARKER: &str = "x-hand-written";

/// A schema that names the hand-written type at `path` and says nothing else.
fn named(path: &str) -> SchemaObject {
    let mut object = SchemaObject::default();
    object.extensions.insert(MARKER.into(), path.into());
    object
}

/// `spotify_web_api::Market`, where the schema copy's tracks and albums hold their markets.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct Market(pub spotify_web_api::Market);

impl JsonSchema for Market {
    fn schema_name() -> String {
        "Market".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        Schema::Object(named("spotify_web_api::Market"))
    }
}

/// `spotify_web_api::ExternalUrls`, wherever the schema copy holds external URLs.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct ExternalUrls(pub spotify_web_api::ExternalUrls);

impl JsonSchema for ExternalUrls {
    fn schema_name() -> String {
        "ExternalUrls".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        Schema::Object(named("spotify_web_api::ExternalUrls"))
    }
}

/// `spotify_web_api::ExternalIds`, a track's external IDs in the schema copy.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct ExternalIds(pub spotify_web_api::ExternalIds);

impl JsonSchema for ExternalIds {
    fn schema_name() -> String {
        "ExternalIds".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        Schema::Object(named("spotify_web_api::ExternalIds"))
    }
}

/// `amazon_music_web_api::EntityNode`, the `node` of the schema copy's entity edges.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(transparent)]
pub struct EntityNode(pub amazon_music_web_api::EntityNode);

impl JsonSchema for EntityNode {
    fn schema_name() -> String {
        "EntityNode".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        Schema::Object(named("amazon_music_web_api::EntityNode"))
    }
}

/// `client_support::Entry<T>`, each item of the schema copy's pages. Its schema is the
/// item's, marked: an entry is compared as the item it holds, and what it adds (a malformed
/// item kept instead of refused) is probed on its own.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize)]
#[serde(transparent, bound(deserialize = "T: DeserializeOwned"))]
pub struct Entry<T>(pub client_support::Entry<T>);

impl<T: JsonSchema> JsonSchema for Entry<T> {
    fn is_referenceable() -> bool {
        false
    }

    fn schema_name() -> String {
        format!("Entry_for_{}", T::schema_name())
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut item = generator.subschema_for::<T>().into_object();
        item.extensions
            .insert(MARKER.into(), "client_support::Entry".into());
        Schema::Object(item)
    }
}

/// How [`crate::type_schemas`] asks a hand-written type what it accepts.
#[derive(Clone, Copy, Debug)]
pub struct HandWritten {
    /// The type's path, as its stand-in's schema names it.
    pub path: &'static str,
    /// Whether the type decodes `value` (as what it is meant to hold, for [`Entry`]: an
    /// `Entry::Item`, not an item kept as malformed).
    pub accepts: fn(&Value) -> bool,
    /// For a type that accepts some values it does not hold as meant (an [`Entry`] keeps a
    /// malformed item): whether it decodes `value` at all.
    pub keeps: fn(&Value) -> bool,
}

fn decodes<T: DeserializeOwned>(value: &Value) -> bool {
    serde_json::from_value::<T>(value.clone()).is_ok()
}

fn entry_item<T: DeserializeOwned>(value: &Value) -> bool {
    matches!(
        serde_json::from_value::<client_support::Entry<T>>(value.clone()),
        Ok(client_support::Entry::Item(_))
    )
}

/// Every hand-written type the schema copy holds, with its probes. An `Entry` is listed once
/// per page item it holds (`client_support::Entry<PlayHistory>`, …): it is generic.
pub const HAND_WRITTEN: &[HandWritten] = &[
    HandWritten {
        path: "spotify_web_api::Market",
        accepts: decodes::<spotify_web_api::Market>,
        keeps: decodes::<spotify_web_api::Market>,
    },
    HandWritten {
        path: "spotify_web_api::ExternalUrls",
        accepts: decodes::<spotify_web_api::ExternalUrls>,
        keeps: decodes::<spotify_web_api::ExternalUrls>,
    },
    HandWritten {
        path: "spotify_web_api::ExternalIds",
        accepts: decodes::<spotify_web_api::ExternalIds>,
        keeps: decodes::<spotify_web_api::ExternalIds>,
    },
    HandWritten {
        path: "amazon_music_web_api::EntityNode",
        accepts: decodes::<amazon_music_web_api::EntityNode>,
        keeps: decodes::<amazon_music_web_api::EntityNode>,
    },
    HandWritten {
        path: "client_support::Entry<PlayHistory>",
        accepts: entry_item::<spotify_web_api::types::PlayHistory>,
        keeps: decodes::<client_support::Entry<spotify_web_api::types::PlayHistory>>,
    },
    HandWritten {
        path: "client_support::Entry<TrackPlaybackEdge>",
        accepts: entry_item::<amazon_music_web_api::types::TrackPlaybackEdge>,
        keeps: decodes::<client_support::Entry<amazon_music_web_api::types::TrackPlaybackEdge>>,
    },
    HandWritten {
        path: "client_support::Entry<EntityPlaybackEdge>",
        accepts: entry_item::<amazon_music_web_api::types::EntityPlaybackEdge>,
        keeps: decodes::<client_support::Entry<amazon_music_web_api::types::EntityPlaybackEdge>>,
    },
    HandWritten {
        path: "client_support::Entry<Listen>",
        accepts: entry_item::<listenbrainz_api::types::Listen>,
        keeps: decodes::<client_support::Entry<listenbrainz_api::types::Listen>>,
    },
];
