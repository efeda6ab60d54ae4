//! Prints the throughput of each decoder from the last `cargo bench -p benchmarks --bench
//! decode` run, and its ratio to the generated types of the same group (same page, same run).
//!
//! Usage: `cargo run -p benchmarks --bin ratios [CRITERION_DIR]`; the directory defaults to
//! `$CARGO_TARGET_DIR/criterion`, or `target/criterion` of the workspace.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;

/// One measured benchmark.
struct Measured {
    function: String,
    /// The size of the page decoded.
    bytes: f64,
    /// Bytes per second, from criterion's typical estimate (the slope where it fitted one).
    bytes_per_second: f64,
}

fn main() -> ExitCode {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
            target.join("criterion")
        });
    let mut groups: BTreeMap<String, Vec<Measured>> = BTreeMap::new();
    if let Err(e) = collect(&dir, &mut groups) {
        eprintln!("error: cannot read {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    if groups.is_empty() {
        eprintln!(
            "error: no results under {}; run `cargo bench -p benchmarks --bench decode` first",
            dir.display()
        );
        return ExitCode::FAILURE;
    }
    for (group, measured) in &mut groups {
        // The generated types first: every other line is read against them.
        measured.sort_by_key(|m| (m.function != "generated", m.function.clone()));
        println!("{group} ({} bytes)", measured[0].bytes);
        let generated = measured.iter().find(|m| m.function == "generated");
        for m in measured.iter() {
            let mib_per_second = m.bytes_per_second / (1024.0 * 1024.0);
            print!("  {:<16} {mib_per_second:>8.1} MiB/s", m.function);
            match generated {
                Some(g) if m.function != "generated" => println!(
                    "   generated/{} = {:.2}",
                    m.function,
                    g.bytes_per_second / m.bytes_per_second
                ),
                _ => println!(),
            }
        }
    }
    ExitCode::SUCCESS
}

/// Finds every `new/benchmark.json` below `dir` and reads it with its `estimates.json`.
fn collect(dir: &Path, groups: &mut BTreeMap<String, Vec<Measured>>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, groups)?;
        } else if path.ends_with("new/benchmark.json")
            && let Some((group, measured)) = read(path.parent().expect("has a parent"))
        {
            groups.entry(group).or_default().push(measured);
        }
    }
    Ok(())
}

fn read(new: &Path) -> Option<(String, Measured)> {
    let load = |name: &str| -> Option<Value> {
        serde_json::from_slice(&std::fs::read(new.join(name)).ok()?).ok()
    };
    let benchmark = load("benchmark.json")?;
    let estimates = load("estimates.json")?;
    let bytes = benchmark["throughput"]["Bytes"].as_f64()?;
    let typical = match &estimates["slope"] {
        Value::Null => &estimates["mean"],
        slope => slope,
    };
    let nanoseconds = typical["point_estimate"].as_f64()?;
    Some((
        benchmark["group_id"].as_str()?.to_owned(),
        Measured {
            function: benchmark["function_id"].as_str()?.to_owned(),
            bytes,
            bytes_per_second: bytes / (nanoseconds * 1e-9),
        },
    ))
}
