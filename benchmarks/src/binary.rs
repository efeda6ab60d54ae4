//! Running the `recently-played` binary from a bench binary: finding it, and measuring one
//! run's wall time and peak memory (`/usr/bin/time -v`, where there is one).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// What one run of the binary took.
#[derive(Debug)]
pub struct Measured {
    /// Wall time, start to exit.
    pub elapsed: Duration,
    /// Maximum resident set size in kB, from `/usr/bin/time -v`; `None` without it.
    pub max_rss_kb: Option<u64>,
    /// What it printed (stderr includes `/usr/bin/time`'s report).
    pub output: Output,
}

/// The `recently-played` binary: `given`, or the one beside this executable (both in
/// `target/release`); an error says how to build it.
///
/// ```
/// let missing = benchmarks::binary::recently_played(Some("/nonexistent/rp".into()));
/// assert!(missing.unwrap_err().contains("cargo build --release -p recently-played"));
/// ```
pub fn recently_played(given: Option<PathBuf>) -> Result<PathBuf, String> {
    let sibling = || {
        let exe = std::env::current_exe().ok()?;
        Some(exe.parent()?.join("recently-played"))
    };
    match given.or_else(sibling) {
        Some(bin) if bin.is_file() => Ok(bin),
        other => Err(format!(
            "no recently-played binary at {}; build it with \
             `cargo build --release -p recently-played` or say --bin PATH",
            other.map_or_else(|| "(unknown)".into(), |p| p.display().to_string())
        )),
    }
}

/// A count a bench reads from its command line: `FLAG N`, with N at least `min`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    /// The flag, e.g. `--plays`.
    pub flag: &'static str,
    /// The value: the default until the command line gives another.
    pub value: usize,
    /// The smallest value accepted.
    pub min: usize,
}

/// Reads a bench's command line (`args`, without the program's name): each of `counts`
/// as `FLAG N`, and `--bin PATH`; then finds the binary ([`recently_played`]). What is
/// wrong is one line to print: `usage` for a bad command line, else why there is no binary.
///
/// ```
/// use benchmarks::binary::{Count, command_line};
///
/// let mut counts = [Count { flag: "--plays", value: 100, min: 1 }];
/// let args = ["--plays", "0"].map(String::from);
/// assert_eq!(command_line("usage: x", args, &mut counts).unwrap_err(), "usage: x");
/// ```
pub fn command_line(
    usage: &str,
    args: impl IntoIterator<Item = String>,
    counts: &mut [Count],
) -> Result<PathBuf, String> {
    let mut bin = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let value = args.next().ok_or_else(|| usage.to_string())?;
        if arg == "--bin" {
            bin = Some(PathBuf::from(value));
            continue;
        }
        let count = counts
            .iter_mut()
            .find(|count| count.flag == arg)
            .ok_or_else(|| usage.to_string())?;
        count.value = value
            .parse()
            .ok()
            .filter(|n| *n >= count.min)
            .ok_or_else(|| usage.to_string())?;
    }
    recently_played(bin).map_err(|e| format!("error: {e}"))
}

/// Runs `bin` with `args` (and whatever `configure` adds: environment), under
/// `/usr/bin/time -v` when there is one, stdin closed; fails unless it exits 0.
pub fn measure(
    bin: &Path,
    args: &[&str],
    configure: impl FnOnce(&mut Command),
) -> Result<Measured, String> {
    let time = Path::new("/usr/bin/time");
    let mut command = if time.is_file() {
        let mut command = Command::new(time);
        command.arg("-v").arg(bin);
        command
    } else {
        Command::new(bin)
    };
    command.args(args).stdin(Stdio::null());
    configure(&mut command);
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let elapsed = started.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "`recently-played {}` failed:\n{stderr}",
            args.join(" ")
        ));
    }
    Ok(Measured {
        elapsed,
        max_rss_kb: max_rss_kb(&stderr),
        output,
    })
}

/// The peak memory `/usr/bin/time -v` reported, in kB.
fn max_rss_kb(report: &str) -> Option<u64> {
    report
        .lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix("Maximum resident set size (kbytes):")
        })
        .and_then(|kb| kb.trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bench_command_line_sets_its_counts_and_refuses_what_it_does_not_know() {
        let fresh = || {
            [
                Count {
                    flag: "--plays",
                    value: 100,
                    min: 2,
                },
                Count {
                    flag: "--runs",
                    value: 5,
                    min: 1,
                },
            ]
        };
        let args = |line: &str| {
            line.split_whitespace()
                .map(String::from)
                .collect::<Vec<_>>()
        };
        let mut counts = fresh();
        let found = command_line("usage", args("--runs 3 --bin /nonexistent/rp"), &mut counts);
        assert_eq!((counts[0].value, counts[1].value), (100, 3));
        assert!(
            found
                .unwrap_err()
                .starts_with("error: no recently-played binary at /nonexistent/rp")
        );
        for bad in ["--plays 1", "--plays", "--plays x", "--rows 9", "--bin"] {
            let mut counts = fresh();
            assert_eq!(
                command_line("usage", args(bad), &mut counts).unwrap_err(),
                "usage",
                "{bad}"
            );
        }
    }
    #[test]
    fn the_peak_memory_is_read_from_time_s_report_and_absent_without_it() {
        let report = "\tCommand being timed: \"x\"\n\tMaximum resident set size (kbytes): 56532\n";
        assert_eq!(super::max_rss_kb(report), Some(56_532));
        assert_eq!(super::max_rss_kb("no report"), None);
    }
}
