//! Turning one spec into the formatted source of its `generated.rs`.

use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

use openapiv3::OpenAPI;
use progenitor_impl::{GenerationSettings, Generator};

use crate::adapt;
use crate::apis::{Api, Flavor};

/// Why a spec could not be turned into code.
#[derive(Debug)]
pub enum GenerateError {
    /// The spec file could not be read or parsed as OpenAPI 3.0.
    Spec { spec: String, message: String },
    /// progenitor returned an error.
    Generator { spec: String, message: String },
    /// progenitor panicked; `operations` are the ones that make it panic on their own.
    GeneratorPanic {
        spec: String,
        operations: Vec<String>,
        message: String,
    },
    /// The generated tokens are not a valid Rust file.
    Syntax { spec: String, message: String },
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Spec { spec, message } => {
                write!(f, "{spec}: not a valid OpenAPI 3.0 spec: {message}")
            }
            Self::Generator { spec, message } => {
                write!(f, "{spec}: progenitor refused it: {message}")
            }
            Self::GeneratorPanic {
                spec,
                operations,
                message,
            } => write!(
                f,
                "{spec}: progenitor panicked ({message}) on operation(s) {}; \
                 it cannot express that operation as written. Change the spec or add an \
                 adaptation in xtask/src/adapt.rs",
                if operations.is_empty() {
                    "(none alone; only in combination)".to_string()
                } else {
                    operations.join(", ")
                }
            ),
            Self::Syntax { spec, message } => {
                write!(f, "{spec}: progenitor produced invalid Rust: {message}")
            }
        }
    }
}

/// The full contents of `api`'s generated file of `flavor`, header included.
pub fn generate(root: &Path, api: &Api, flavor: Flavor) -> Result<String, GenerateError> {
    let spec_file = api.spec_file();
    let text = std::fs::read_to_string(root.join(&spec_file)).map_err(|e| GenerateError::Spec {
        spec: spec_file.clone(),
        message: e.to_string(),
    })?;
    let spec = parse_spec(&spec_file, &text)?;
    let settings = (api.settings)(api, flavor, &adapt::page_items(&spec));
    let mut generated = generate_from_spec(&spec_file, spec, &settings)?;
    let mut header = format!(
        "// Generated from `{spec_file}` by `cargo xtask regen`. Do not edit by hand:\n\
         // change the spec (or the settings in `xtask/src/apis.rs`) and run `cargo xtask regen`.\n"
    );
    if flavor == Flavor::SchemaCopy {
        header.push_str(&format!(
            "//\n// The `types` module of `{}`, deriving\n\
             // `schemars::JsonSchema` as well, for the conformance crate only (the client crates\n\
             // never compile it): a test compares what these types accept with the spec\n\
             // (conformance/tests/it/types_match_the_specs.rs).\n",
            api.generated_file(Flavor::Client)
        ));
        generated.code = types_module_only(&spec_file, &generated.code)?;
    }
    for adaptation in &generated.adaptations {
        header.push_str(&format!(
            "//\n// Adapted for progenitor in memory (xtask/src/adapt.rs): `{}`.\n//   Why: {}.\n//   Restored: {}.\n",
            adaptation.name, adaptation.why, adaptation.restored_by
        ));
    }
    Ok(format!("{header}\n{}", generated.code))
}

/// The `types` module of generated `code`, alone: what the schema copy keeps.
fn types_module_only(spec_file: &str, code: &str) -> Result<String, GenerateError> {
    let file = syn::parse_file(code).map_err(|e| GenerateError::Syntax {
        spec: spec_file.to_string(),
        message: e.to_string(),
    })?;
    let types = file
        .items
        .into_iter()
        .filter(|item| matches!(item, syn::Item::Mod(module) if module.ident == "types"))
        .collect::<Vec<_>>();
    if types.len() != 1 {
        return Err(GenerateError::Syntax {
            spec: spec_file.to_string(),
            message: "the generated code has no single `types` module".to_string(),
        });
    }
    Ok(prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: types,
    }))
}

/// Generated code, and the adaptations that were needed to get it.
pub struct Generated {
    /// The formatted Rust source.
    pub code: String,
    /// The adaptations that changed the in-memory spec.
    pub adaptations: Vec<&'static adapt::Adaptation>,
}

/// Parses, adapts and generates one spec; `spec_file` only names it in errors. The tests'
/// way in, with settings of their own.
#[cfg(test)]
pub fn generate_from_yaml(
    spec_file: &str,
    yaml: &str,
    settings: &GenerationSettings,
) -> Result<Generated, GenerateError> {
    generate_from_spec(spec_file, parse_spec(spec_file, yaml)?, settings)
}

/// Parses one spec; `spec_file` only names it in errors.
fn parse_spec(spec_file: &str, yaml: &str) -> Result<OpenAPI, GenerateError> {
    yaml_serde::from_str(yaml).map_err(|e| GenerateError::Spec {
        spec: spec_file.to_string(),
        message: e.to_string(),
    })
}

/// Adapts and generates one parsed spec; `spec_file` only names it in errors.
fn generate_from_spec(
    spec_file: &str,
    mut spec: OpenAPI,
    settings: &GenerationSettings,
) -> Result<Generated, GenerateError> {
    let adaptations = adapt::for_generator(&mut spec);
    let tokens = run_generator(spec_file, &spec, settings)?;
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| GenerateError::Syntax {
        spec: spec_file.to_string(),
        message: e.to_string(),
    })?;
    Ok(Generated {
        code: prettyplease::unparse(&file),
        adaptations,
    })
}

/// Runs progenitor, turning its panics into an error that names the operations at fault.
fn run_generator(
    spec_file: &str,
    spec: &OpenAPI,
    settings: &GenerationSettings,
) -> Result<proc_macro2::TokenStream, GenerateError> {
    match catch_panic(|| Generator::new(settings).generate_tokens(spec)) {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(GenerateError::Generator {
            spec: spec_file.to_string(),
            message: e.to_string(),
        }),
        Err(message) => Err(GenerateError::GeneratorPanic {
            spec: spec_file.to_string(),
            operations: operations_that_panic_alone(spec, settings),
            message,
        }),
    }
}

/// Generates each operation on its own to find which ones make progenitor panic.
fn operations_that_panic_alone(spec: &OpenAPI, settings: &GenerationSettings) -> Vec<String> {
    let mut culprits = Vec::new();
    for (path, method, operation) in spec.operations() {
        let mut alone = spec.clone();
        for slot in adapt::operation_slots_mut(&mut alone) {
            if slot.as_ref().map(|other| &other.operation_id) != Some(&operation.operation_id) {
                *slot = None;
            }
        }
        if catch_panic(|| Generator::new(settings).generate_tokens(&alone)).is_err() {
            let id = operation
                .operation_id
                .as_deref()
                .unwrap_or("(no operationId)");
            culprits.push(format!("{id} ({} {path})", method.to_uppercase()));
        }
    }
    culprits
}

/// Runs `f`, returning its panic message instead of unwinding, without printing the panic.
fn catch_panic<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let previous_hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let outcome = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(previous_hook);
    outcome.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_string())
    })
}
