//! The APIs this workspace generates clients for, and the generator settings of each.

use progenitor_impl::{
    GenerationSettings, HooksMode, InterfaceStyle, TagStyle, TypeImpl, UnknownPolicy,
};
use quote::quote;

use crate::adapt;

/// One spec and the client crate generated from it.
pub struct Api {
    /// The spec's file stem and the client crate's name: `specs/<name>.yaml`, `crates/<name>`.
    pub name: &'static str,
    /// The module of the conformance crate that holds the schema copy of its types:
    /// `conformance/src/generated/<module>.rs`.
    pub module: &'static str,
    /// The generator settings for this API, for the client crate or for the schema copy,
    /// given the schemas its spec marks as page items (`adapt::page_items`).
    pub settings: fn(&Api, Flavor, &[String]) -> GenerationSettings,
}

/// What a generated file is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// The client crate's `generated.rs`: the whole client.
    Client,
    /// The conformance crate's copy of the generated types, deriving `schemars::JsonSchema`
    /// as well, so that a test can compare what they accept with the spec. Only the `types`
    /// module is kept; the client crates and their dependents never compile it.
    SchemaCopy,
}

impl Api {
    /// The spec, relative to the workspace root.
    pub fn spec_file(&self) -> String {
        format!("specs/{}.yaml", self.name)
    }

    /// The generated file of `flavor`, relative to the workspace root.
    pub fn generated_file(&self, flavor: Flavor) -> String {
        match flavor {
            Flavor::Client => format!("crates/{}/src/generated.rs", self.name),
            Flavor::SchemaCopy => format!("conformance/src/generated/{}.rs", self.module),
        }
    }

    /// The path of a type of the generated `types` module, as the replacements of `flavor`
    /// name it.
    fn types_path(&self, flavor: Flavor) -> String {
        match flavor {
            Flavor::Client => "crate::types".to_string(),
            Flavor::SchemaCopy => format!("crate::generated::{}::types", self.module),
        }
    }
}

/// Where `flavor` finds a hand-written type that replaces a generated one: the client
/// crate's own path, or the conformance crate's stand-in for it (`conformance/src/
/// hand_written.rs`), which wraps the client's type and names it in its schema.
fn hand_written(flavor: Flavor, client_path: &str, name: &str) -> String {
    match flavor {
        Flavor::Client => client_path.to_string(),
        Flavor::SchemaCopy => format!("crate::hand_written::{name}"),
    }
}

/// Every API, in the order `regen` processes them.
pub const ALL: &[Api] = &[
    Api {
        name: "spotify-web-api",
        module: "spotify",
        settings: spotify_settings,
    },
    Api {
        name: "amazon-music-web-api",
        module: "amazon_music",
        settings: amazon_music_settings,
    },
    Api {
        name: "listenbrainz-api",
        module: "listenbrainz",
        settings: common_settings,
    },
];

/// Settings shared by every client (ListenBrainz needs no more). Every choice is set explicitly, because progenitor's
/// README and code disagree on some defaults.
fn common_settings(api: &Api, flavor: Flavor, page_items: &[String]) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        // One method per operation with positional arguments: about a quarter of the code of
        // the builder style, and the hand-written layer is what users call anyway.
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        // The crate's `hooks` module must implement `ClientHooks` (auth, header clean-up,
        // retries); forgetting it is a compile error instead of a silently unauthenticated client.
        .with_hooks(HooksMode::Expected)
        // What those hooks need: the token source, the API key, the retry policy.
        .with_inner_type(quote!(crate::hooks::HookContext))
        // Tests compare decoded pages; maps keep a stable order for snapshots.
        .with_derive("PartialEq")
        .with_map_type("::std::collections::BTreeMap")
        // The specs use no `x-rust-type`; should one appear, generate rather than trust it.
        .with_unknown_crates(UnknownPolicy::Generate)
        // The hand-written layer builds its own `reqwest::Client`; this only sets the default
        // of the generated `Client::new`.
        .with_timeout(30);
    // Each page item decodes on its own (adaptation `decode-page-items-one-by-one`): a
    // malformed one is kept as raw JSON with its reason instead of failing its page.
    for item in page_items {
        let entry = hand_written(flavor, "::client_support::Entry", "Entry");
        settings.with_replacement(
            adapt::entry_schema(item),
            format!("{entry}<{}::{item}>", api.types_path(flavor)),
            std::iter::empty::<TypeImpl>(),
        );
    }
    if flavor == Flavor::SchemaCopy {
        // Only here: the client crates must not depend on schemars.
        settings.with_derive("schemars::JsonSchema");
    }
    // Deliberately unset: pre/post hooks (the `ClientHooks` impl does that work), patches,
    // conversions and extra crates.
    settings
}

/// Spotify adds three replacements: a market code of `available_markets` (adaptation
/// `compact-market-codes`) is the hand-written `Market`, two bytes instead of a `String`;
/// and the open maps of strings `ExternalUrls` and `ExternalIds` are hand-written types with
/// the generated fields that drop, alone, a value that is not a string, where typify's
/// `BTreeMap<String, String>` would fail the whole play over it.
fn spotify_settings(api: &Api, flavor: Flavor, page_items: &[String]) -> GenerationSettings {
    let mut settings = common_settings(api, flavor, page_items);
    settings.with_replacement(
        adapt::MARKET,
        hand_written(flavor, "crate::Market", "Market"),
        std::iter::empty::<TypeImpl>(),
    );
    for open_map in ["ExternalUrls", "ExternalIds"] {
        settings.with_replacement(
            open_map,
            hand_written(flavor, &format!("crate::{open_map}"), open_map),
            std::iter::empty::<TypeImpl>(),
        );
    }
    settings
}

/// Amazon Music adds one replacement: an entity edge's `node` is a union whose kinds the
/// service may extend, so the hand-written `EntityNode` keeps unknown kinds as raw JSON
/// instead of failing the whole page (typify would generate a closed tagged enum).
fn amazon_music_settings(api: &Api, flavor: Flavor, page_items: &[String]) -> GenerationSettings {
    let mut settings = common_settings(api, flavor, page_items);
    settings.with_replacement(
        "EntityNode",
        hand_written(flavor, "crate::entity::EntityNode", "EntityNode"),
        std::iter::empty::<TypeImpl>(),
    );
    settings
}
