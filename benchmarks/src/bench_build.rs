//! `cargo run -p benchmarks --bin bench_build`: what depending on a client crate costs, measured against
//! `rspotify` 0.16, like with like: each client with `native-tls` against rspotify's default
//! (native-tls), and each client with `rustls` (its default) against rspotify with rustls.
//!
//! For each of them it writes a throwaway crate outside the workspace that depends on it,
//! downloads what it needs (`cargo fetch`, the only step that uses the network), then times a
//! clean `cargo build --release --offline` with a fresh target directory, one crate after
//! another on this machine. It judges each client against rspotify built with the same TLS:
//! its CPU time, the packages it compiles, and that the two really use the same TLS stack.
//! The dependency promises (no generator crate, no system TLS library by default) are tests
//! instead: `xtask/src/tidy.rs`.
//!
//! This is a benchmark, not a test: it takes minutes and is never part of CI.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The client crates measured, each `crates/<package>` in the workspace, with the name of
/// its dependent built with `native-tls`.
const CLIENTS: &[(&str, &str)] = &[
    ("spotify-web-api", "spotify-web-api-native-tls"),
    ("amazon-music-web-api", "amazon-music-web-api-native-tls"),
];

/// The crate every client is compared with: a hand-written Spotify client.
const BASELINE: &str = "rspotify";
const BASELINE_REQUIREMENT: &str = "0.16";

/// A client may take at most this share of the baseline's CPU time for a clean build...
const MAX_TIME_RATIO: f64 = 0.75;
/// ...and compile at most `NUMERATOR / DENOMINATOR` of its packages.
const MAX_PACKAGES: (usize, usize) = (2, 3);

/// The command line it takes.
pub const USAGE: &str = "\
usage: cargo run -p benchmarks --bin bench_build -- [--runs N] [--timings] [--keep]

  --runs N     build each crate N times, round after round, and report the medians
               (default 1)
  --timings    also write cargo's HTML build timings of each build (implies --keep)
  --keep       keep the throwaway crates and their target directories

Needs OpenSSL's headers and pkg-config (Debian: libssl-dev, pkg-config) for the native-tls
builds.
";

/// Runs the benchmark; `args` are its command-line arguments.
pub fn run(args: &[&str]) -> Result<(), String> {
    let mut timings = false;
    let mut keep = false;
    let mut runs = 1;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match *arg {
            "--timings" => {
                timings = true;
                keep = true;
            }
            "--keep" => keep = true,
            "--runs" => {
                runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n: &usize| n > 0)
                    .ok_or_else(|| format!("--runs needs a positive number\n\n{USAGE}"))?;
            }
            _ => return Err(format!("unknown argument `{arg}`\n\n{USAGE}")),
        }
    }

    let root = workspace_root();
    let scratch = std::env::temp_dir().join(format!("bench-build-{}", std::process::id()));
    if scratch.starts_with(&root) {
        return Err(format!(
            "the temporary directory {} is inside the workspace; set TMPDIR elsewhere",
            scratch.display()
        ));
    }
    let subjects = subjects(&root);

    println!("{}", machine_summary());
    println!("throwaway crates in {}\n", scratch.display());
    let mut graphs = Vec::new();
    for subject in &subjects {
        let dir = scratch.join(subject.name);
        write_crate(&dir, subject)?;
        graphs.push(prepare(&dir, subject)?);
    }
    // Round after round, every subject once, so that a burst of other work on the machine
    // spreads over all of them instead of hitting one.
    let mut rounds: Vec<Vec<Timing>> = vec![Vec::new(); subjects.len()];
    for round in 1..=runs {
        for (subject, timings_so_far) in subjects.iter().zip(&mut rounds) {
            let dir = scratch.join(subject.name);
            let target = dir.join(format!("target-{round}"));
            print!("{}: clean release build {round}/{runs} ... ", subject.name);
            let _ = std::io::Write::flush(&mut std::io::stdout());
            let timing = time_build(&dir, &target, subject, timings)?;
            println!(
                "{:.1} s (cpu {} s; other work meanwhile: {} cores)",
                timing.seconds,
                show(timing.cpu_seconds, 1),
                show(timing.others_cores, 2)
            );
            timings_so_far.push(timing);
            if !keep {
                let _ = std::fs::remove_dir_all(&target);
            }
        }
    }
    let results: Vec<Measurement> = subjects
        .iter()
        .zip(graphs)
        .zip(&rounds)
        .map(|((subject, graph), timings)| Measurement::new(subject, graph, timings))
        .collect();

    let report = Report::new(&results, runs)?;
    println!("\n{}", report.render());
    if keep {
        println!("kept {}", scratch.display());
        if timings {
            println!(
                "build timings: {}/*/target-*/cargo-timings/cargo-timing.html",
                scratch.display()
            );
        }
    } else if let Err(e) = std::fs::remove_dir_all(&scratch) {
        eprintln!("warning: could not remove {}: {e}", scratch.display());
    }
    match report.misses() {
        0 => Ok(()),
        n => Err(format!("{n} target(s) missed; see the table above")),
    }
}

/// What a measured crate is there for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// rspotify, which the clients built with the same TLS are compared with.
    Baseline,
    /// A client crate of this workspace, judged against the baseline of its TLS.
    Client,
}

/// The TLS a dependent is built with; a client is judged against the baseline built alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tls {
    /// The system's library through native-tls (OpenSSL here, linked, not compiled).
    Native,
    /// rustls, compiled with its crypto provider.
    Rustls,
}

impl Tls {
    fn label(self) -> &'static str {
        match self {
            Tls::Native => "native-tls",
            Tls::Rustls => "rustls",
        }
    }
}

/// One crate whose dependents are measured.
#[derive(Debug)]
struct Subject {
    /// Names its throwaway crate and directory.
    name: &'static str,
    /// Names it in the table.
    title: String,
    /// The package the throwaway crate depends on.
    package: &'static str,
    /// How the throwaway crate depends on it: the right-hand side of a `[dependencies]` entry.
    requirement: String,
    role: Role,
    tls: Tls,
}

/// Two pairs, each its baseline first: rspotify's default (native-tls) and every client with
/// `native-tls`; then rspotify with rustls and every client with its default, `rustls`.
fn subjects(root: &Path) -> Vec<Subject> {
    let mut subjects = Vec::new();
    for tls in [Tls::Native, Tls::Rustls] {
        subjects.push(match tls {
            Tls::Native => Subject {
                name: BASELINE,
                title: format!("{BASELINE} {BASELINE_REQUIREMENT}"),
                package: BASELINE,
                requirement: format!("\"{BASELINE_REQUIREMENT}\""),
                role: Role::Baseline,
                tls,
            },
            Tls::Rustls => Subject {
                name: "rspotify-rustls",
                title: format!("{BASELINE} {BASELINE_REQUIREMENT} rustls"),
                package: BASELINE,
                requirement: format!(
                    "{{ version = \"{BASELINE_REQUIREMENT}\", default-features = false, \
                     features = [\"client-reqwest\", \"reqwest-rustls-tls\"] }}"
                ),
                role: Role::Baseline,
                tls,
            },
        });
        for &(client, native_name) in CLIENTS {
            let path = root.join("crates").join(client);
            subjects.push(match tls {
                Tls::Native => Subject {
                    name: native_name,
                    title: format!("{client} native-tls"),
                    package: client,
                    requirement: format!(
                        "{{ path = \"{}\", default-features = false, features = [\"native-tls\"] }}",
                        path.display()
                    ),
                    role: Role::Client,
                    tls,
                },
                Tls::Rustls => Subject {
                    name: client,
                    title: client.to_string(),
                    package: client,
                    requirement: format!("{{ path = \"{}\" }}", path.display()),
                    role: Role::Client,
                    tls,
                },
            });
        }
    }
    subjects
}

/// A library crate that depends on `subject` and does nothing else, so that its build is
/// exactly the cost of the dependency. The empty `[workspace]` keeps cargo from looking for
/// a workspace in the directories above.
fn manifest(subject: &Subject) -> String {
    format!(
        "[package]\n\
         name = \"bench-build-{name}\"\n\
         version = \"0.0.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         {package} = {requirement}\n\
         \n\
         [workspace]\n",
        name = subject.name,
        package = subject.package,
        requirement = subject.requirement,
    )
}

fn write_crate(dir: &Path, subject: &Subject) -> Result<(), String> {
    let src = dir.join("src");
    std::fs::create_dir_all(&src).map_err(|e| format!("cannot create {}: {e}", src.display()))?;
    let library = format!("pub use {};\n", subject.package.replace('-', "_"));
    for (path, contents) in [
        (dir.join("Cargo.toml"), manifest(subject)),
        (src.join("lib.rs"), library),
    ] {
        std::fs::write(&path, contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// What one dependent cost.
#[derive(Debug, Clone, PartialEq)]
struct Measurement {
    name: &'static str,
    title: String,
    role: Role,
    tls: Tls,
    /// Wall-clock seconds of a clean release build (the median of the rounds).
    seconds: f64,
    /// CPU seconds (user + system) of the build and everything it ran (the median of the
    /// rounds); less sensitive than wall-clock time to other work on the machine.
    cpu_seconds: Option<f64>,
    /// The most cores that other work kept busy, on average, during one of its builds.
    others_cores: Option<f64>,
    /// Unique packages in the dependent's normal dependency graph (itself excluded).
    normal: BTreeSet<String>,
    /// Unique packages it compiles: the normal graph plus build dependencies.
    compiled: usize,
}

/// The packages a dependent pulls in.
struct Graph {
    normal: BTreeSet<String>,
    compiled: usize,
}

/// Downloads what the throwaway crate in `dir` needs, then reads its dependency graph.
fn prepare(dir: &Path, subject: &Subject) -> Result<Graph, String> {
    let manifest = dir.join("Cargo.toml");
    println!("{}: fetching", subject.name);
    cargo(&manifest, &["fetch", "--quiet"])?;
    let normal = package_names(&cargo(&manifest, &tree_args("normal"))?, subject.name);
    let compiled = package_names(&cargo(&manifest, &tree_args("normal,build"))?, subject.name);
    Ok(Graph {
        normal,
        compiled: compiled.len(),
    })
}

/// One clean build.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Timing {
    seconds: f64,
    cpu_seconds: Option<f64>,
    /// How many cores other processes kept busy, on average, during the build.
    others_cores: Option<f64>,
}

/// Times a clean `cargo build --release --offline` of the crate in `dir` into `target`.
fn time_build(
    dir: &Path,
    target: &Path,
    subject: &Subject,
    timings: bool,
) -> Result<Timing, String> {
    if target.exists() {
        return Err(format!(
            "{} already exists; the build would not be clean",
            target.display()
        ));
    }
    let mut build = vec!["build", "--release", "--offline", "--quiet"];
    if timings {
        build.push("--timings");
    }
    let busy_before = machine_busy_seconds();
    let cpu_before = children_cpu_seconds();
    let started = Instant::now();
    let status = cargo_command(&dir.join("Cargo.toml"), &build)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let seconds = started.elapsed().as_secs_f64();
    let cpu_seconds = children_cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    let others_cores = machine_busy_seconds()
        .zip(busy_before)
        .zip(cpu_seconds)
        .map(|((after, before), ours)| (after - before - ours).max(0.0) / seconds);
    if !status.success() {
        let hint = if subject.tls == Tls::Native {
            " (native-tls needs OpenSSL's headers and pkg-config: Debian's libssl-dev, pkg-config)"
        } else {
            ""
        };
        return Err(format!(
            "the dependent of {} failed to build{hint}",
            subject.name
        ));
    }
    Ok(Timing {
        seconds,
        cpu_seconds,
        others_cores,
    })
}

impl Measurement {
    /// Sums up the rounds of one subject; `rounds` is not empty.
    fn new(subject: &Subject, graph: Graph, rounds: &[Timing]) -> Self {
        let cpu: Option<Vec<f64>> = rounds.iter().map(|t| t.cpu_seconds).collect();
        let others = rounds
            .iter()
            .filter_map(|t| t.others_cores)
            .fold(None, |max: Option<f64>, l| {
                Some(max.map_or(l, |m| m.max(l)))
            });
        Measurement {
            name: subject.name,
            title: subject.title.clone(),
            role: subject.role,
            tls: subject.tls,
            seconds: median(rounds.iter().map(|t| t.seconds).collect()),
            cpu_seconds: cpu.map(median),
            others_cores: others,
            normal: graph.normal,
            compiled: graph.compiled,
        }
    }
}

/// The median of a non-empty list.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    }
}

fn tree_args(edges: &str) -> [&str; 8] {
    [
        "tree",
        "--offline",
        "-e",
        edges,
        "--prefix",
        "none",
        "--format",
        "{p}",
    ]
}

/// A cargo command on the throwaway crate, shielded from the settings of the `cargo run`
/// that runs it: a compiler wrapper (a cache) would make the clean build not clean.
fn cargo_command(manifest: &Path, args: &[&str]) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(args)
        .arg("--manifest-path")
        .arg(manifest)
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTC_WRAPPER")
        .env_remove("RUSTC_WORKSPACE_WRAPPER")
        .env_remove("CARGO_BUILD_RUSTC_WRAPPER");
    command
}

fn cargo(manifest: &Path, args: &[&str]) -> Result<String, String> {
    let output = cargo_command(manifest, args)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "`cargo {}` failed for {}:\n{}",
            args.join(" "),
            manifest.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("cargo printed non-UTF-8: {e}"))
}

/// The package names in `cargo tree --prefix none --format {p}` output, without the root.
/// Each line is `name vX.Y.Z [(source)] [(*)]`; two versions of one package count twice.
fn package_names(tree: &str, root: &str) -> BTreeSet<String> {
    let root = format!("bench-build-{root}");
    tree.lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let name = words.next()?;
            let version = words.next()?;
            (name != root).then(|| format!("{name} {version}"))
        })
        .collect()
}

/// The package names only, without versions.
fn names(packages: &BTreeSet<String>) -> impl Iterator<Item = &str> {
    packages
        .iter()
        .filter_map(|package| package.split_whitespace().next())
}

/// The TLS stack a dependent gets, as far as its package names tell.
fn tls_stack(packages: &BTreeSet<String>) -> String {
    let has = |name: &str| names(packages).any(|n| n == name);
    let mut parts = Vec::new();
    if has("rustls") {
        let provider = [
            ("ring", "ring"),
            ("aws-lc-rs", "aws-lc-rs"),
            ("rustls-graviola", "graviola"),
            ("rustls-rustcrypto", "rustcrypto"),
        ]
        .into_iter()
        .filter(|(package, _)| has(package))
        .map(|(_, label)| label)
        .collect::<Vec<_>>();
        if provider.is_empty() {
            parts.push("rustls (no provider)".to_string());
        } else {
            parts.push(format!("rustls+{}", provider.join("+")));
        }
    }
    if has("native-tls") {
        parts.push("native-tls".to_string());
    }
    if has("openssl-sys") {
        parts.push("(OpenSSL)".to_string());
    }
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(" ")
    }
}

/// Whether a measured client meets one promise.
#[derive(Debug, PartialEq)]
struct Check {
    crate_name: &'static str,
    what: String,
    pass: bool,
}

/// The table and the checks of every client against the baseline built with its TLS.
struct Report<'a> {
    results: &'a [Measurement],
    /// How many clean builds of each crate the figures are the median of.
    runs: usize,
    /// The cores of this machine.
    cores: usize,
    checks: Vec<Check>,
}

impl<'a> Report<'a> {
    fn new(results: &'a [Measurement], runs: usize) -> Result<Self, String> {
        let mut all_checks = Vec::new();
        for client in results.iter().filter(|m| m.role == Role::Client) {
            let baseline = baseline_of(results, client).ok_or_else(|| {
                format!(
                    "no baseline was measured with {} for {}",
                    client.tls.label(),
                    client.name
                )
            })?;
            all_checks.extend(checks(client, baseline));
        }
        Ok(Report {
            results,
            runs,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            checks: all_checks,
        })
    }

    /// The most cores other work kept busy during a build, if that is enough to skew
    /// wall-clock times: a tenth of a core or more.
    fn busiest_others(&self) -> Option<f64> {
        let busiest = self
            .results
            .iter()
            .filter_map(|m| m.others_cores)
            .fold(0.0, f64::max);
        (busiest >= 0.1).then_some(busiest)
    }

    fn misses(&self) -> usize {
        self.checks.iter().filter(|c| !c.pass).count()
    }

    fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:<36} {:>9} {:>6} {:>8} {:>6} {:>9} {:>6} {:>8} {:>6}  tls",
            "dependent of", "build s", "x", "cpu s", "x", "packages", "x", "compiled", "others"
        );
        for m in self.results {
            let base = baseline_of(self.results, m).unwrap_or(m);
            let cpu_ratio = m.cpu_seconds.zip(base.cpu_seconds).map(|(a, b)| a / b);
            let _ = writeln!(
                out,
                "{:<36} {:>9.1} {:>6} {:>8} {:>6} {:>9} {:>6} {:>8} {:>6}  {}",
                m.title,
                m.seconds,
                format!("{:.2}", m.seconds / base.seconds),
                show(m.cpu_seconds, 1),
                show(cpu_ratio, 2),
                m.normal.len(),
                format!("{:.2}", m.normal.len() as f64 / base.normal.len() as f64),
                m.compiled,
                show(m.others_cores, 2),
                tls_stack(&m.normal),
            );
        }
        let _ = writeln!(
            out,
            "\nx: against {BASELINE} built with the same TLS (its default, native-tls, or rustls); \
             build s: wall-clock seconds of a clean `cargo build --release --offline` (median of \
             {runs});\ncpu s: user+system seconds of it; packages: unique packages in the normal \
             dependency graph; compiled: with build dependencies;\nothers: the most cores other \
             processes kept busy during one of its builds\n",
            runs = self.runs
        );
        if let Some(others) = self.busiest_others() {
            let _ = writeln!(
                out,
                "warning: other work kept {others:.2} of the {} cores busy during a build, so \
                 wall-clock ratios are unreliable; the cpu ratios hold better. Re-run on an \
                 idle machine, or with --runs 3 or more.\n",
                self.cores
            );
        }
        for check in &self.checks {
            let verdict = if check.pass { "PASS" } else { "MISS" };
            let _ = writeln!(out, "{verdict}  {}: {}", check.crate_name, check.what);
        }
        out
    }
}

/// The baseline built with the TLS `m` is built with.
fn baseline_of<'a>(results: &'a [Measurement], m: &Measurement) -> Option<&'a Measurement> {
    results
        .iter()
        .find(|b| b.role == Role::Baseline && b.tls == m.tls)
}

/// What one client costs its dependents, judged against the baseline built with its TLS:
/// CPU time (wall-clock time where the system does not tell CPU time), packages, and that
/// the two really use the same TLS stack, so that the pair compares like with like.
fn checks(client: &Measurement, baseline: &Measurement) -> Vec<Check> {
    let check = |what: String, pass: bool| Check {
        crate_name: client.name,
        what,
        pass,
    };
    let (what_time, ours, theirs) = match client.cpu_seconds.zip(baseline.cpu_seconds) {
        Some((ours, theirs)) => ("CPU time", ours, theirs),
        None => ("build time (wall-clock)", client.seconds, baseline.seconds),
    };
    let time_ratio = ours / theirs;
    let (numerator, denominator) = MAX_PACKAGES;
    let packages = client.normal.len();
    let (client_tls, baseline_tls) = (tls_stack(&client.normal), tls_stack(&baseline.normal));
    let has = |m: &Measurement, name: &str| names(&m.normal).any(|n| n == name);
    let same_tls = ["rustls", "native-tls"]
        .iter()
        .all(|name| has(client, name) == has(baseline, name))
        && client_tls != "none";
    vec![
        check(
            format!(
                "{what_time} {ours:.1} s = {time_ratio:.2}x {}'s {theirs:.1} s (target <= {MAX_TIME_RATIO}x)",
                baseline.title
            ),
            time_ratio <= MAX_TIME_RATIO,
        ),
        check(
            format!(
                "{packages} packages = {:.2}x {}'s {} (target <= {numerator}/{denominator})",
                packages as f64 / baseline.normal.len() as f64,
                baseline.title,
                baseline.normal.len()
            ),
            packages * denominator <= baseline.normal.len() * numerator,
        ),
        check(
            format!(
                "TLS {client_tls} against {}'s {baseline_tls}",
                baseline.title
            ),
            same_tls,
        ),
    ]
}

/// The cores, memory and toolchain the figures were taken on.
fn machine_summary() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{:.1} GiB memory", kib / (1024.0 * 1024.0)))
        })
        .unwrap_or_else(|| "memory unknown".to_string());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or_else(|| "rustc unknown".to_string(), |v| v.trim().to_string());
    format!("machine: {cores} cores, {memory}, {rustc}")
}

/// CPU seconds that all processes of the machine have spent busy since boot (Linux only).
fn machine_busy_seconds() -> Option<f64> {
    parse_machine_busy_seconds(&std::fs::read_to_string("/proc/stat").ok()?)
}

/// The busy time of the `cpu` line of `/proc/stat`: user, nice, system, irq, softirq and
/// steal, that is everything but idle and iowait (guest time is already in user), in USER_HZ.
fn parse_machine_busy_seconds(stat: &str) -> Option<f64> {
    const USER_HZ: f64 = 100.0;
    let line = stat.lines().find(|l| l.starts_with("cpu "))?;
    let fields: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    let busy: f64 = [0, 1, 2, 5, 6, 7]
        .iter()
        .map(|&i| fields.get(i).copied().unwrap_or(0.0))
        .sum();
    Some(busy / USER_HZ)
}

/// User + system CPU seconds of this process's waited-for children and their descendants
/// (Linux only).
fn children_cpu_seconds() -> Option<f64> {
    parse_children_cpu_seconds(&std::fs::read_to_string("/proc/self/stat").ok()?)
}

/// `cutime` and `cstime` of a `/proc/<pid>/stat` line, fields 16 and 17, counted after the
/// command name because it may contain spaces. The kernel reports them in USER_HZ, which is
/// 100 on every Linux platform Rust supports.
fn parse_children_cpu_seconds(stat: &str) -> Option<f64> {
    const USER_HZ: f64 = 100.0;
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // `after_name` starts at field 3 (state).
    let cutime: f64 = fields.get(16 - 3)?.parse().ok()?;
    let cstime: f64 = fields.get(17 - 3)?.parse().ok()?;
    Some((cutime + cstime) / USER_HZ)
}

/// The workspace root: the parent of this crate's manifest directory.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("benchmarks lives one level below the workspace root")
        .to_path_buf()
}

fn show(value: Option<f64>, decimals: usize) -> String {
    value.map_or_else(|| "-".to_string(), |v| format!("{v:.decimals$}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measurement(
        name: &'static str,
        baseline: bool,
        seconds: f64,
        packages: &[&str],
    ) -> Measurement {
        Measurement {
            name,
            title: if baseline {
                format!("{name} 0.16")
            } else {
                name.to_string()
            },
            role: if baseline {
                Role::Baseline
            } else {
                Role::Client
            },
            tls: Tls::Rustls,
            seconds,
            cpu_seconds: Some(seconds * 1.5),
            others_cores: Some(0.01),
            normal: packages.iter().map(|p| format!("{p} v1.0.0")).collect(),
            compiled: packages.len() + 1,
        }
    }

    #[test]
    fn tree_output_counts_each_package_version_once_without_the_root() {
        let tree = "\
bench-build-spotify-web-api v0.0.0 (/tmp/x)
spotify-web-api v0.1.0 (/work/main/crates/spotify-web-api)
serde v1.0.228
serde_derive v1.0.228 (proc-macro)
serde v1.0.228 (*)
rand v0.8.5
rand v0.9.2
";
        let packages = package_names(tree, "spotify-web-api");
        assert_eq!(
            packages.into_iter().collect::<Vec<_>>(),
            [
                "rand v0.8.5",
                "rand v0.9.2",
                "serde v1.0.228",
                "serde_derive v1.0.228",
                "spotify-web-api v0.1.0"
            ]
        );
    }

    #[test]
    fn the_throwaway_crate_depends_on_its_subject_and_is_its_own_workspace() {
        let root = Path::new("/work/main");
        let subjects = subjects(root);
        let spotify = subjects
            .iter()
            .find(|s| s.name == "spotify-web-api")
            .unwrap();
        let manifest = manifest(spotify);
        assert!(
            manifest.contains("spotify-web-api = { path = \"/work/main/crates/spotify-web-api\" }"),
            "{manifest}"
        );
        assert!(manifest.trim_end().ends_with("[workspace]"), "{manifest}");
        assert!(!manifest.contains("rspotify"), "{manifest}");
        assert!(super::manifest(&subjects[0]).contains("rspotify = \"0.16\""));
    }

    #[test]
    fn each_client_is_built_with_each_tls_beside_rspotify_built_alike() {
        let subjects = subjects(Path::new("/work/main"));
        let line = |s: &Subject| (s.name, s.role, s.tls);
        assert_eq!(
            subjects.iter().map(line).collect::<Vec<_>>(),
            [
                ("rspotify", Role::Baseline, Tls::Native),
                ("spotify-web-api-native-tls", Role::Client, Tls::Native),
                ("amazon-music-web-api-native-tls", Role::Client, Tls::Native),
                ("rspotify-rustls", Role::Baseline, Tls::Rustls),
                ("spotify-web-api", Role::Client, Tls::Rustls),
                ("amazon-music-web-api", Role::Client, Tls::Rustls),
            ]
        );
        let native = manifest(&subjects[1]);
        assert!(
            native.contains("name = \"bench-build-spotify-web-api-native-tls\"")
                && native.contains(
                    "spotify-web-api = { path = \"/work/main/crates/spotify-web-api\", \
                     default-features = false, features = [\"native-tls\"] }"
                ),
            "{native}"
        );
        let rustls = manifest(&subjects[3]);
        assert!(
            rustls.contains("rspotify = { version = \"0.16\", default-features = false, features = [\"client-reqwest\", \"reqwest-rustls-tls\"] }"),
            "{rustls}"
        );
    }

    #[test]
    fn a_client_is_judged_against_the_baseline_built_with_its_tls() {
        let mut results = vec![
            measurement("rspotify", true, 40.0, &["a", "native-tls"]),
            measurement("rspotify-rustls", true, 100.0, &["a", "rustls"]),
            measurement("spotify-web-api-native-tls", false, 20.0, &["native-tls"]),
            measurement("spotify-web-api", false, 70.0, &["rustls"]),
        ];
        results[0].tls = Tls::Native;
        results[2].tls = Tls::Native;
        let report = Report::new(&results, 1).unwrap();
        let text = report.render();
        // 20 / 40 and 70 / 100 seconds (cpu: the same ratios); neither against the other pair.
        assert!(
            text.contains("CPU time 30.0 s = 0.50x rspotify 0.16's 60.0 s"),
            "{text}"
        );
        assert!(
            text.contains("CPU time 105.0 s = 0.70x rspotify-rustls 0.16's 150.0 s"),
            "{text}"
        );
        assert_eq!(report.misses(), 0, "{text}");

        let unpaired = [results[0].clone(), results[3].clone()];
        let error = Report::new(&unpaired, 1).err().unwrap();
        assert!(
            error.contains("no baseline was measured with rustls"),
            "{error}"
        );
    }

    #[test]
    fn a_client_passes_at_three_quarters_of_the_cpu_time_and_two_thirds_of_the_packages() {
        let all: Vec<String> = (0..30).map(|i| format!("p{i}")).collect();
        let mut all: Vec<&str> = all.iter().map(String::as_str).collect();
        all.push("rustls");
        let baseline = measurement("rspotify", true, 40.0, &all);
        let mut client_packages = all[..19].to_vec();
        client_packages.push("rustls");
        let client = measurement("spotify-web-api", false, 30.0, &client_packages);
        let checks = checks(&client, &baseline);
        assert!(checks.iter().all(|c| c.pass), "{checks:#?}");

        let mut slow = measurement("spotify-web-api", false, 30.0, &client_packages);
        slow.cpu_seconds = Some(45.5);
        let verdicts: Vec<bool> = super::checks(&slow, &baseline)
            .iter()
            .map(|c| c.pass)
            .collect();
        assert_eq!(verdicts, [false, true, true]);

        let mut heavy_packages = client_packages.clone();
        heavy_packages.push("one-too-many");
        let heavy = measurement("spotify-web-api", false, 30.0, &heavy_packages);
        let verdicts: Vec<bool> = super::checks(&heavy, &baseline)
            .iter()
            .map(|c| c.pass)
            .collect();
        assert_eq!(verdicts, [true, false, true]);

        let mut wall_clock_only = client.clone();
        wall_clock_only.cpu_seconds = None;
        let time = &super::checks(&wall_clock_only, &baseline)[0];
        assert!(time.pass && time.what.starts_with("build time (wall-clock) 30.0 s"));
    }

    #[test]
    fn a_pair_with_different_tls_stacks_is_a_miss() {
        let baseline = measurement("rspotify", true, 100.0, &["a", "native-tls"]);
        for packages in [&["rustls"][..], &["rustls", "native-tls"], &["reqwest"]] {
            let client = measurement("spotify-web-api", false, 1.0, packages);
            let check = &checks(&client, &baseline)[2];
            assert!(!check.pass, "{packages:?}: {check:?}");
        }
        let alike = measurement("spotify-web-api", false, 1.0, &["native-tls"]);
        let check = &checks(&alike, &baseline)[2];
        assert!(check.pass, "{check:?}");
        assert_eq!(
            check.what,
            "TLS native-tls against rspotify 0.16's native-tls"
        );
        let none = measurement("rspotify", true, 1.0, &["reqwest"]);
        let plain = measurement("spotify-web-api", false, 1.0, &["reqwest"]);
        assert!(!checks(&plain, &none)[2].pass, "no TLS at all is no pair");
    }

    #[test]
    fn the_tls_stack_is_named_from_the_packages() {
        let set = |names: &[&str]| names.iter().map(|n| format!("{n} v1.0.0")).collect();
        assert_eq!(tls_stack(&set(&["rustls", "ring"])), "rustls+ring");
        assert_eq!(
            tls_stack(&set(&["native-tls", "openssl-sys"])),
            "native-tls (OpenSSL)"
        );
        assert_eq!(tls_stack(&set(&["reqwest"])), "none");
        assert_eq!(tls_stack(&set(&["rustls"])), "rustls (no provider)");
    }

    #[test]
    fn rounds_are_summed_up_as_medians_and_the_busiest_other_work() {
        let subject = Subject {
            name: "spotify-web-api",
            title: "spotify-web-api".to_string(),
            package: "spotify-web-api",
            requirement: String::new(),
            role: Role::Client,
            tls: Tls::Rustls,
        };
        let timing = |seconds, cpu, others| Timing {
            seconds,
            cpu_seconds: Some(cpu),
            others_cores: Some(others),
        };
        let graph = || Graph {
            normal: BTreeSet::new(),
            compiled: 0,
        };
        let rounds = [
            timing(50.0, 80.0, 0.5),
            timing(40.0, 70.0, 2.0),
            timing(45.0, 90.0, 0.1),
        ];
        let m = Measurement::new(&subject, graph(), &rounds);
        assert_eq!(
            (m.seconds, m.cpu_seconds, m.others_cores),
            (45.0, Some(80.0), Some(2.0))
        );

        let m = Measurement::new(&subject, graph(), &rounds[..2]);
        assert_eq!((m.seconds, m.cpu_seconds), (45.0, Some(75.0)));

        let unknown_cpu = [Timing {
            cpu_seconds: None,
            ..rounds[0]
        }];
        assert_eq!(
            Measurement::new(&subject, graph(), &unknown_cpu).cpu_seconds,
            None
        );
    }

    #[test]
    fn machine_busy_time_is_everything_but_idle_and_iowait() {
        let stat = "cpu  100 20 30 4000 500 6 7 8 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n";
        assert_eq!(parse_machine_busy_seconds(stat), Some(1.71));
        assert_eq!(parse_machine_busy_seconds("intr 1 2 3"), None);
    }

    #[test]
    fn children_cpu_time_is_read_after_a_command_name_with_spaces() {
        // Fields 14-17 are utime, stime, cutime, cstime.
        let stat = "4242 (cargo xtask (x)) S 1 2 3 4 5 6 7 8 9 10 11 12 250 50 17 18 19";
        assert_eq!(parse_children_cpu_seconds(stat), Some(3.0));
        assert_eq!(parse_children_cpu_seconds("garbage"), None);
    }

    #[test]
    fn the_report_prints_ratios_against_the_baseline() {
        let results = [
            measurement("rspotify", true, 40.0, &["a", "b", "rustls"]),
            measurement("spotify-web-api", false, 20.0, &["a", "rustls"]),
        ];
        let report = Report::new(&results, 3).unwrap();
        let text = report.render();
        assert!(text.contains("rspotify 0.16"), "{text}");
        assert!(text.contains("median of 3"), "{text}");
        assert!(!text.contains("warning"), "{text}");

        let mut busy = results.clone();
        busy[1].others_cores = Some(1.25);
        let text = Report::new(&busy, 1).unwrap().render();
        assert!(
            text.contains("warning: other work kept 1.25 of the"),
            "{text}"
        );
        assert!(text.contains("0.50"), "{text}");
        assert!(text.contains("0.67"), "{text}");
        assert_eq!(report.misses(), 0, "{text}");
    }
}
