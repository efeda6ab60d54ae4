//! The library crates a dependent uses: the workspace members whose `Cargo.toml` says
//! `publish = true` (the workspace default is `false`). That line is the one list; `semver`
//! checks these crates and the tidy tests hold them to their promises.

use std::path::Path;

use serde_json::Value;

/// One publishable crate, as `cargo metadata` describes it.
#[derive(Debug)]
pub(crate) struct Library {
    /// The package name, e.g. `spotify-web-api`.
    pub(crate) name: String,
    /// Its `[dependencies]`, `[dev-dependencies]` and `[build-dependencies]`.
    pub(crate) dependencies: Vec<Dependency>,
    /// Whether it has a build script (`build.rs`), which every dependent would run.
    #[cfg_attr(not(test), expect(dead_code, reason = "read by the tidy tests only"))]
    pub(crate) has_build_script: bool,
}

/// One dependency line of a [`Library`].
#[derive(Debug)]
pub(crate) struct Dependency {
    pub(crate) name: String,
    /// `None` for `[dependencies]`, else `dev` or `build`.
    pub(crate) kind: Option<String>,
    /// The version requirement; `*` when the line has none (a bare path dependency).
    #[cfg_attr(not(test), expect(dead_code, reason = "read by the tidy tests only"))]
    pub(crate) requirement: String,
    /// Whether it is a path dependency (a crate of this workspace).
    #[cfg_attr(not(test), expect(dead_code, reason = "read by the tidy tests only"))]
    pub(crate) is_path: bool,
}

/// The publishable members of the workspace at `root`, in `cargo metadata`'s order.
pub(crate) fn libraries(root: &Path) -> Result<Vec<Library>, String> {
    let output = crate::cargo()
        .current_dir(root)
        .args(["metadata", "--format-version", "1", "--no-deps", "--locked"])
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "cargo metadata failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let metadata: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("cargo metadata printed what is not JSON: {e}"))?;
    Ok(parse(&metadata))
}

/// The packages of `cargo metadata` output whose `publish` is `null` (any registry).
fn parse(metadata: &Value) -> Vec<Library> {
    let text = |value: &Value, key: &str| value[key].as_str().unwrap_or_default().to_string();
    let packages = metadata["packages"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    packages
        .iter()
        .filter(|package| package["publish"].is_null())
        .map(|package| Library {
            name: text(package, "name"),
            dependencies: package["dependencies"]
                .as_array()
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|dependency| Dependency {
                    name: text(dependency, "name"),
                    kind: dependency["kind"].as_str().map(str::to_string),
                    requirement: text(dependency, "req"),
                    is_path: dependency["path"].is_string(),
                })
                .collect(),
            has_build_script: package["targets"]
                .as_array()
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .any(|target| {
                    target["kind"]
                        .as_array()
                        .is_some_and(|kinds| kinds.iter().any(|k| k == "custom-build"))
                }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_packages_without_a_publish_restriction_are_libraries() {
        let metadata = serde_json::json!({ "packages": [
            { "name": "kept", "publish": null, "targets": [{ "kind": ["lib"] }],
              "dependencies": [
                { "name": "core-crate", "kind": null, "req": "^0.1.0", "path": "/w/core" },
                { "name": "helper", "kind": "dev", "req": "*" }
              ] },
            { "name": "private", "publish": [], "targets": [], "dependencies": [] },
            { "name": "scripted", "publish": null,
              "targets": [{ "kind": ["lib"] }, { "kind": ["custom-build"] }], "dependencies": [] }
        ]});
        let libraries = parse(&metadata);
        let names: Vec<&str> = libraries.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["kept", "scripted"]);
        assert!(!libraries[0].has_build_script && libraries[1].has_build_script);
        let core = &libraries[0].dependencies[0];
        assert!(core.is_path && core.kind.is_none() && core.requirement == "^0.1.0");
        let helper = &libraries[0].dependencies[1];
        assert!(!helper.is_path && helper.kind.as_deref() == Some("dev"));
    }
}
