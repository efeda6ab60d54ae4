//! `cargo xtask mutants`: does the suite go red when the hand-written code is wrong?
//!
//! Runs cargo-mutants over the hand-written modules of `client-support`, both clients and
//! the CLI, with the configuration in `.cargo/mutants.toml` (what is examined, what is
//! excluded and why, the accepted survivors). cargo-mutants (at the pinned version) and
//! cargo-nextest, which runs each mutant's tests, are installed on demand; CI never runs
//! this: each mutant costs a build and a test run.

use std::process::Command;

use crate::published::Library;

/// The cargo-mutants release this task is written against.
const VERSION: &str = "27.1.0";

/// The cargo-nextest release installed when there is none (any installed one is used).
const NEXTEST_VERSION: &str = "0.9.143";

/// Cases per property for each mutant unless `PROPTEST_CASES` says otherwise: an eighth of
/// proptest's default, so that a mutant that survives costs about 50 s of tests here instead
/// of about 3 minutes. What only a rarer case would catch then counts as missed.
const PROPTEST_CASES: &str = "32";

/// Installs cargo-mutants and cargo-nextest if needed, then runs cargo-mutants with `args`
/// appended (`--own-tests CRATE` expanded, see [`own_tests`]).
pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let args = if args.contains(&"--own-tests") {
        own_tests(
            args,
            &crate::published::libraries(&crate::workspace_root())?,
        )?
    } else {
        args.iter().map(|arg| arg.to_string()).collect()
    };
    install_unless(
        "mutants",
        |version| version.contains(VERSION),
        "cargo-mutants",
        VERSION,
    )?;
    install_unless("nextest", |_| true, "cargo-nextest", NEXTEST_VERSION)?;
    let root = crate::workspace_root();
    let mut mutants = Command::new("cargo");
    if std::env::var_os("PROPTEST_CASES").is_none() {
        mutants.env("PROPTEST_CASES", PROPTEST_CASES);
    }
    if std::env::var_os("PROPTEST_MAX_SHRINK_TIME").is_none() {
        // A failing case already caught the mutant: shrinking it would only cost time.
        mutants.env("PROPTEST_MAX_SHRINK_TIME", "1");
    }
    let status = mutants
        .current_dir(&root)
        .args(["mutants", "--config"])
        .arg(root.join(".cargo/mutants.toml"))
        .args(&args)
        .status()
        .map_err(|e| format!("cannot run cargo mutants: {e}"))?;
    match status.code() {
        Some(0) => Ok(()),
        // cargo-mutants: 2 means some mutants survived, 3 that some timed out.
        Some(code @ (2 | 3)) => Err(format!(
            "cargo mutants finished with missed or timed-out mutants (exit {code}); \
             see mutants.out/ and add a test, or name the survivor in .cargo/mutants.toml"
        )),
        _ => Err(format!("cargo mutants failed ({status})")),
    }
}

/// `--own-tests CRATE`: mutates the library crate CRATE only, and runs only its own tests
/// and those of the library crates that depend on it (not the conformance suite, not the
/// program's): a lower bound on the score, at a fraction of the cost per mutant, since
/// neither the suite nor the CLI is built or run. The other arguments pass through.
fn own_tests(args: &[&str], libraries: &[Library]) -> Result<Vec<String>, String> {
    let names: Vec<&str> = libraries.iter().map(|l| l.name.as_str()).collect();
    let mut expanded = Vec::new();
    let mut rest = args.iter();
    while let Some(&arg) = rest.next() {
        if arg != "--own-tests" {
            expanded.push(arg.to_string());
            continue;
        }
        let krate = rest
            .next()
            .filter(|name| names.contains(name))
            .ok_or_else(|| format!("--own-tests takes one of {}", names.join(", ")))?;
        expanded.extend(
            [
                "-p",
                krate,
                "--test-workspace=false",
                "--test-package",
                krate,
            ]
            .map(String::from),
        );
        for dependent in libraries.iter().filter(|library| {
            library
                .dependencies
                .iter()
                .any(|d| d.name == *krate && d.kind.is_none())
        }) {
            expanded.extend(["--test-package".to_string(), dependent.name.clone()]);
        }
    }
    Ok(expanded)
}

/// Installs `krate` at `version` unless `cargo <subcommand> --version` answers and its first
/// line satisfies `good_enough`.
fn install_unless(
    subcommand: &str,
    good_enough: impl Fn(&str) -> bool,
    krate: &str,
    version: &str,
) -> Result<(), String> {
    let installed = Command::new("cargo")
        .args([subcommand, "--version"])
        .output()
        .is_ok_and(|out| {
            let said = String::from_utf8_lossy(&out.stdout);
            out.status.success() && good_enough(said.lines().next().unwrap_or(""))
        });
    if installed {
        return Ok(());
    }
    eprintln!("installing {krate} {version} (once)...");
    let status = Command::new("cargo")
        .args(["install", krate, "--locked", "--version", version])
        .status()
        .map_err(|e| format!("cannot run cargo install: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cargo install {krate} {version} failed"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::published::Dependency;

    fn library(name: &str, depends_on: &[(&str, Option<&str>)]) -> Library {
        Library {
            name: name.into(),
            dependencies: depends_on
                .iter()
                .map(|(name, kind)| Dependency {
                    name: (*name).into(),
                    kind: kind.map(str::to_string),
                    requirement: "0.1.0".into(),
                    is_path: true,
                })
                .collect(),
            has_build_script: false,
        }
    }

    #[test]
    fn own_tests_mutates_one_crate_and_tests_it_and_its_library_dependents_only() {
        let libraries = [
            library("client-support", &[]),
            library("spotify-web-api", &[("client-support", None)]),
            library("listening-record", &[("spotify-web-api", None)]),
            library("sandboxed", &[("client-support", Some("dev"))]),
        ];
        let expanded = own_tests(
            &["--shard", "2/5", "--own-tests", "client-support"],
            &libraries,
        )
        .unwrap();
        assert_eq!(
            expanded,
            [
                "--shard",
                "2/5",
                "-p",
                "client-support",
                "--test-workspace=false",
                "--test-package",
                "client-support",
                "--test-package",
                "spotify-web-api",
            ]
        );
        let refused = own_tests(&["--own-tests", "conformance"], &libraries).unwrap_err();
        assert!(
            refused.contains("client-support, spotify-web-api"),
            "{refused}"
        );
        assert!(own_tests(&["--own-tests"], &libraries).is_err());
    }
}
