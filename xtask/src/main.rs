//! Project automation, run as `cargo xtask <task>`.
//!
//! This is the only program in the workspace that runs the code generator: client crates
//! commit its output and never compile progenitor themselves.

mod adapt;
mod apis;
mod conformance;
mod ensure;
mod generate;
mod mutants;
mod published;
mod semver;
#[cfg(test)]
mod tidy;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  regen           regenerate every crates/<api>/src/generated.rs from specs/<api>.yaml, and
                  its types deriving schemars::JsonSchema in conformance/src/generated/
  regen --check   write nothing; fail if any committed generated file differs from its spec
  conformance --live [ARGS]
                  the conformance checks against the real services, with the credentials
                  the CLI reads (never run in CI); `conformance --help` lists ARGS
  mutants [ARGS]  mutation testing of the hand-written code with cargo-mutants (installed on
                  demand; slow: hours for the whole workspace, never run in CI); ARGS go to
                  `cargo mutants`; one module is
                  `-p client-support --re client-support/src/retry.rs` (`--file` adds to
                  the globs of .cargo/mutants.toml, so it narrows nothing);
                  `--own-tests CRATE` mutates one library crate against its own tests and
                  its library dependents' only (cheaper; the score is a lower bound)
  semver [--baseline <git ref>]
                  compare the public API of every library crate (`publish = true`) with the
                  last release tag (v*) or the ref given, with cargo-semver-checks; fails on
                  a breaking change without the version bump it needs
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let outcome = match args.as_slice() {
        ["regen"] => regen(ensure::Mode::Write),
        ["regen", "--check"] => regen(ensure::Mode::Check),
        ["mutants", rest @ ..] => mutants::run(rest),
        ["conformance", rest @ ..] => conformance::run(rest),
        ["semver", rest @ ..] => semver::run(rest),
        [] | ["help" | "--help" | "-h"] => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(format!("unknown task `{}`\n\n{USAGE}", args.join(" "))),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Regenerates (or checks) the generated module of every API.
fn regen(mode: ensure::Mode) -> Result<(), String> {
    let root = workspace_root();
    let mut stale = Vec::new();
    for api in apis::ALL {
        for flavor in [apis::Flavor::Client, apis::Flavor::SchemaCopy] {
            let source = generate::generate(&root, api, flavor).map_err(|e| e.to_string())?;
            let file = api.generated_file(flavor);
            if let ensure::Outcome::Stale { diff } =
                ensure::ensure_file_contents(&root.join(&file), &source, mode)?
            {
                eprintln!("{diff}");
                stale.push(format!("{file} is out of date with {}", api.spec_file()));
            }
        }
    }
    if stale.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{}.\nRun `cargo xtask regen` to regenerate it, then review and commit the diff.",
        stale.join("; ")
    ))
}

/// A `cargo` command run from the workspace root: the cargo that runs this program (or its
/// tests) when it says which, else the one on `PATH`.
pub(crate) fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(workspace_root());
    command
}

/// The workspace root: the parent of this crate's manifest directory.
pub(crate) fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

#[cfg(test)]
mod tests {
    /// The drift gate also runs in a plain `cargo test`, so drift cannot pass a test run.
    #[test]
    fn committed_generated_code_matches_the_specs() {
        if let Err(message) = super::regen(super::ensure::Mode::Check) {
            panic!("{message}");
        }
    }
}
