//! `cargo xtask semver [--baseline <git ref>]`: does the public API of each library crate
//! break what the last release promised, without the version bump that says so?
//!
//! Runs cargo-semver-checks over every publishable crate (`published`) against a git
//! baseline: the last release tag (`v*`) unless `--baseline` names another ref. A breaking
//! change passes only when the crate's version in `Cargo.toml` is bumped as semver asks
//! (for 0.x crates: the minor number). cargo-semver-checks is not installed on demand: the
//! message says how.

use std::process::Command;

use crate::published;

/// The command line it takes.
const USAGE: &str = "usage: cargo xtask semver [--baseline <git ref>]";

/// How to get the tool, for the message when it is missing.
const INSTALL: &str = "cargo install cargo-semver-checks --locked";

/// Checks every library crate against the baseline `args` name (or the last release tag).
pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let baseline = match named_baseline(args)? {
        Some(rev) => rev.to_string(),
        None => last_release_tag()?,
    };
    ensure_installed()?;
    let libraries = published::libraries(&crate::workspace_root())?;
    let mut command = crate::cargo();
    command.args([
        "semver-checks",
        "check-release",
        "--baseline-rev",
        &baseline,
    ]);
    for library in &libraries {
        command.args(["--package", &library.name]);
    }
    let names: Vec<&str> = libraries.iter().map(|l| l.name.as_str()).collect();
    eprintln!("checking {} against {baseline}", names.join(", "));
    let status = command
        .status()
        .map_err(|e| format!("cannot run cargo semver-checks: {e}"))?;
    if status.success() {
        return Ok(());
    }
    Err(format!(
        "cargo semver-checks failed against {baseline} ({status}): above is each breaking \
         change, or why it could not compare. Undo the change, or bump the crate's version as \
         semver asks (0.x: the minor number) in its Cargo.toml and the root [workspace.dependencies], \
         and say so in CHANGELOG.md"
    ))
}

/// The ref `--baseline` names, or `None` for the last release tag.
fn named_baseline<'a>(args: &[&'a str]) -> Result<Option<&'a str>, String> {
    match args {
        [] => Ok(None),
        ["--baseline", rev] if !rev.starts_with('-') => Ok(Some(rev)),
        _ => Err(format!(
            "unexpected arguments `{}`\n{USAGE}",
            args.join(" ")
        )),
    }
}

/// The newest tag reachable from HEAD that names a release (`v*`).
fn last_release_tag() -> Result<String, String> {
    let output = Command::new("git")
        .current_dir(crate::workspace_root())
        .args(["describe", "--tags", "--abbrev=0", "--match", "v*"])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).trim().to_string());
    }
    Err(format!(
        "no release tag (v*) is reachable from HEAD, so there is no API to compare with \
         (git: {}). Name a baseline: {USAGE}",
        String::from_utf8_lossy(&output.stderr).trim()
    ))
}

/// Fails, saying how to install it, unless `cargo semver-checks` answers.
fn ensure_installed() -> Result<(), String> {
    let answers = crate::cargo()
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|out| out.status.success());
    if answers {
        Ok(())
    } else {
        Err(format!(
            "cargo-semver-checks is not installed (`cargo semver-checks --version` failed). \
             Install it with `{INSTALL}`, then run `cargo xtask semver` again"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::{USAGE, named_baseline};

    #[test]
    fn the_baseline_is_the_last_release_tag_unless_one_is_named() {
        assert_eq!(named_baseline(&[]), Ok(None));
        assert_eq!(
            named_baseline(&["--baseline", "v0.1.0"]),
            Ok(Some("v0.1.0"))
        );
        for wrong in [
            &["--baseline"][..],
            &["--baseline", "--verbose"],
            &["v0.1.0"],
            &["--baseline", "v0.1.0", "extra"],
        ] {
            let refused = named_baseline(wrong).unwrap_err();
            assert!(refused.ends_with(USAGE), "{wrong:?}: {refused}");
        }
    }
}
