//! The promises the library crates make to their dependents, as tests (rust-analyzer's
//! "tidy" style): each reads the dependency graph cargo resolves and fails on a broken
//! promise, naming the crate and the path that brings the offender in.
//!
//! - A dependent's default build compiles no code generator: the generated code is committed
//!   and shipped (`cargo xtask regen` is the only writer), and no library has a build script.
//! - A dependent's default build needs no TLS library of the system: HTTPS is rustls
//!   (`native-tls` is opt-in). On macOS and Windows rustls asks the operating system to
//!   verify certificates (`security-framework`, `schannel`); that is part of the system,
//!   nothing to install, so it is allowed.
//! - The libraries package: each path dependency is published too and has a version.
//! - Each library's `rust-version` is at least that of every dependency in the lockfile's
//!   graph, so that the declared minimum Rust can build it.
//! - The program without its sandbox (`recently-played --no-default-features`) links no
//!   simulation and no wiremock.

use crate::published::{self, Library};

/// Crates that generate code: a dependent compiling one means the generator runs in its build.
/// (`progenitor-client`, the generated code's runtime, is not one.)
const GENERATORS: &[&str] = &[
    "progenitor",
    "progenitor-impl",
    "progenitor-macro",
    "openapiv3",
    "typify",
    "typify-impl",
    "typify-macro",
    "prettyplease",
];

/// Crates that bind or run a TLS library the system must provide (OpenSSL on Linux).
const SYSTEM_TLS: &[&str] = &[
    "native-tls",
    "openssl",
    "openssl-sys",
    "hyper-tls",
    "tokio-native-tls",
];

/// What the sandbox-less program must not link.
const SIMULATIONS: &[&str] = &["wiremock", "music-history-sandbox"];

fn libraries() -> Vec<Library> {
    let libraries = published::libraries(&crate::workspace_root()).unwrap();
    assert!(
        !libraries.is_empty(),
        "no workspace member says `publish = true`"
    );
    libraries
}

/// `cargo tree` of `package` with `flags`, normal dependencies only, for every target
/// platform; one `name version` per line, the root included.
fn normal_tree(package: &str, flags: &[&str]) -> String {
    let output = crate::cargo()
        .args(["tree", "--locked", "-e", "normal", "--target", "all"])
        .args(["--prefix", "none", "--format", "{p}", "--no-dedupe"])
        .args(["--package", package])
        .args(flags)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree -p {package} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The packages named in `forbidden` that `package` (built with `flags`) depends on.
fn offenders(package: &str, flags: &[&str], forbidden: &[&str]) -> Vec<String> {
    let mut found: Vec<String> = normal_tree(package, flags)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| forbidden.contains(name))
        .map(str::to_string)
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// What a failing check prints: the offenders, and how the first one comes in (an inverted
/// `cargo tree`).
fn explain(package: &str, flags: &[&str], offenders: &[String]) -> String {
    let Some(first) = offenders.first() else {
        return String::new();
    };
    let path = crate::cargo()
        .args(["tree", "--locked", "-e", "normal", "--target", "all"])
        .args(["--package", package, "--invert", first])
        .args(flags)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    format!(
        "{}; {first} comes in through:\n{path}",
        offenders.join(", ")
    )
}

#[test]
fn a_dependents_default_build_compiles_no_generator() {
    for library in libraries() {
        let found = offenders(&library.name, &[], GENERATORS);
        assert!(
            found.is_empty(),
            "{} (default features) brings a code generator into every dependent's build; \
             the generated code is committed so that none runs there:\n{}",
            library.name,
            explain(&library.name, &[], &found)
        );
    }
}

#[test]
fn a_dependents_default_build_needs_no_system_tls_library() {
    for library in libraries() {
        let found = offenders(&library.name, &[], SYSTEM_TLS);
        assert!(
            found.is_empty(),
            "{} (default features) needs a TLS library of the system (OpenSSL on Linux); \
             the default is rustls, and `native-tls` is for dependents who ask for it:\n{}",
            library.name,
            explain(&library.name, &[], &found)
        );
    }
}

#[test]
fn no_library_runs_a_build_script_or_has_build_dependencies() {
    for library in libraries() {
        let build: Vec<&str> = library
            .dependencies
            .iter()
            .filter(|d| d.kind.as_deref() == Some("build"))
            .map(|d| d.name.as_str())
            .collect();
        assert!(
            !library.has_build_script && build.is_empty(),
            "{} has a build script or build dependencies ({build:?}): every dependent would \
             run them; commit generated code instead (`cargo xtask regen`)",
            library.name
        );
    }
}

#[test]
fn every_library_packages_on_its_own_path_dependencies_are_published_with_a_version() {
    let libraries = libraries();
    for library in &libraries {
        for dependency in &library.dependencies {
            // cargo package drops path dev-dependencies that have no version; the others it
            // turns into registry dependencies, which must exist there.
            if !dependency.is_path || dependency.kind.as_deref() == Some("dev") {
                continue;
            }
            assert!(
                libraries.iter().any(|l| l.name == dependency.name),
                "{} depends on {}, which is not `publish = true`: it could not be published",
                library.name,
                dependency.name
            );
            assert_ne!(
                dependency.requirement, "*",
                "{}'s path dependency on {} has no `version`: `cargo package` needs one",
                library.name, dependency.name
            );
        }
    }
}

#[test]
fn the_program_without_its_sandbox_links_no_simulation_and_no_wiremock() {
    let found = offenders("recently-played", &["--no-default-features"], SIMULATIONS);
    assert!(
        found.is_empty(),
        "recently-played --no-default-features still depends on {}",
        explain("recently-played", &["--no-default-features"], &found)
    );
}

#[test]
fn the_checks_see_a_forbidden_crate_where_there_is_one() {
    // Were the tree misread (a wrong column, an empty output), the tests above would pass
    // for nothing: each list must find what is there.
    let spotify_native = offenders(
        "spotify-web-api",
        &["--no-default-features", "--features", "native-tls"],
        SYSTEM_TLS,
    );
    assert!(
        spotify_native.iter().any(|f| f == "openssl-sys"),
        "{spotify_native:?}"
    );
    let generator = offenders("xtask", &[], GENERATORS);
    assert!(
        generator.iter().any(|f| f == "progenitor-impl"),
        "{generator:?}"
    );
    let sandbox = offenders("recently-played", &[], SIMULATIONS);
    assert!(sandbox.iter().any(|f| f == "wiremock"), "{sandbox:?}");
}

#[test]
fn no_dependency_needs_a_newer_rust_than_a_library_declares() {
    let output = crate::cargo()
        .args(["metadata", "--format-version", "1", "--locked"])
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "cargo metadata failed");
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    // (name, version) -> the rust-version it declares, if any.
    let declared_by: std::collections::HashMap<(&str, &str), (u32, u32, u32)> =
        metadata["packages"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| {
                let key = (p["name"].as_str()?, p["version"].as_str()?);
                Some((key, parse_rust_version(p["rust_version"].as_str()?)))
            })
            .collect();
    let rust_version = |name: &str, version: &str| declared_by.get(&(name, version)).copied();
    for library in libraries() {
        let tree = normal_tree(&library.name, &[]);
        let mut packages = tree.lines().filter_map(|line| {
            let mut words = line.split_whitespace();
            Some((words.next()?, words.next()?.trim_start_matches('v')))
        });
        let (name, version) = packages.next().expect("the root comes first");
        let declared = rust_version(name, version)
            .unwrap_or_else(|| panic!("{name} declares no rust-version"));
        let newer: std::collections::BTreeSet<String> = packages
            .filter_map(|(name, version)| {
                let needs = rust_version(name, version)?;
                (needs > declared).then(|| format!("{name} {version} needs {}", show(needs)))
            })
            .collect();
        assert!(
            newer.is_empty(),
            "{name} declares rust-version {}, but {}",
            show(declared),
            newer.into_iter().collect::<Vec<_>>().join(", ")
        );
    }
}

fn show((major, minor, patch): (u32, u32, u32)) -> String {
    format!("{major}.{minor}.{patch}")
}

/// `1.88` or `1.88.0` as comparable numbers (a missing patch is 0).
fn parse_rust_version(text: &str) -> (u32, u32, u32) {
    let mut parts = text.split('.').map(|p| p.parse().unwrap_or(0));
    let mut next = || parts.next().unwrap_or(0);
    (next(), next(), next())
}
