//! `cargo xtask conformance --live [ARGS]`: the conformance gate against the real services.
//!
//! Runs the conformance crate's `conformance` binary, which reads the same credentials as the
//! CLI, checks each configured service within a request budget and writes a report
//! (`--help` says it all). CI never runs it: it needs credentials and the network.

use std::process::Command;

/// Runs `cargo run -p conformance --bin conformance -- ARGS` from the workspace root, so that
/// its default paths (`conformance/live/bounds.json`, `target/live-conformance.json`) resolve.
pub(crate) fn run(args: &[&str]) -> Result<(), String> {
    let status = Command::new("cargo")
        .current_dir(crate::workspace_root())
        .args([
            "run",
            "--quiet",
            "--package",
            "conformance",
            "--bin",
            "conformance",
            "--",
        ])
        .args(args)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    match status.code() {
        Some(0) => Ok(()),
        // The binary has said why, in a sentence or the report table.
        Some(code) => Err(format!("the live conformance run failed (exit {code})")),
        None => Err(format!("the live conformance run was stopped ({status})")),
    }
}
