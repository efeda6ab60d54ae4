//! `recently-played sync` of 100,000 plays of one service's history from the local
//! simulation into a fresh SQLite database, a second sync with nothing new, then
//! `recently-played export` of it as JSON Lines: plays per second and peak memory (maximum
//! resident set size) of each, and the requests of each sync.
//!
//! Usage: `cargo build --release -p recently-played -p benchmarks --bin sync`, then
//! `target/release/sync [--plays N] [--service amazon-music|listenbrainz] [--bin PATH]`
//! (Amazon Music by default).
//!
//! It drives the real code path: the release `recently-played` binary (next to this one
//! unless `--bin` says where), run as a child process with `--db` in a temporary directory
//! and the service's base URL pointing at an in-process simulation (no credentials: the
//! binary sends the sandbox's); the other services are not configured, so they are skipped.
//! Peak memory is read by running the child under `/usr/bin/time -v`; without it, only the
//! times are reported. The simulation's server shares the machine, so plays per second is
//! that of the whole loop, server included. It fails if the database does not end with
//! exactly the plays served, or if the second sync stores any.

use benchmarks::binary::Count;
use benchmarks::binary::Measured;
use std::path::Path;
use std::process::ExitCode;

use music_history_sandbox::amazon::{AmazonMusicHistory, AmazonMusicSimulation};
use music_history_sandbox::listenbrainz::{ListenBrainzHistory, ListenBrainzSimulation};

const USAGE: &str = "usage: sync [--plays N] [--service amazon-music|listenbrainz] [--bin PATH]";

/// The history's seed, as the walks use.
const SEED: u64 = 2024;

/// The simulation synced from: what it serves, and how the binary reaches it.
struct Simulated {
    /// The service's name in the sync's summary line.
    name: &'static str,
    /// Its base URL variable and the simulation's base URL.
    base_url: (&'static str, String),
    /// How many plays it serves.
    served: usize,
    /// How many requests it has answered.
    requests: Box<dyn Fn() -> usize>,
    /// The simulation, kept serving until this is dropped.
    _server: Box<dyn std::any::Any>,
}

impl Simulated {
    /// The simulation of `service` (`amazon-music`, `listenbrainz`) with `plays` plays of
    /// the realistic history, started on `runtime`.
    fn start(
        service: &str,
        plays: usize,
        runtime: &tokio::runtime::Runtime,
    ) -> Result<Self, String> {
        match service {
            "amazon-music" => {
                let history = AmazonMusicHistory::realistic(plays, SEED);
                let served = history
                    .users
                    .iter()
                    .find(|u| u.id == history.me)
                    .map_or(0, |u| u.tracks.len());
                let sim = std::rc::Rc::new(runtime.block_on(AmazonMusicSimulation::start(history)));
                let counted = std::rc::Rc::clone(&sim);
                Ok(Self {
                    name: "Amazon Music",
                    base_url: ("AMAZON_MUSIC_API_BASE_URL", sim.base_url().to_string()),
                    served,
                    requests: Box::new(move || counted.request_count()),
                    _server: Box::new(sim),
                })
            }
            "listenbrainz" => {
                let history = ListenBrainzHistory::realistic(plays, SEED);
                let served = history.listens.len();
                let sim =
                    std::rc::Rc::new(runtime.block_on(ListenBrainzSimulation::start(history)));
                let counted = std::rc::Rc::clone(&sim);
                Ok(Self {
                    name: "ListenBrainz",
                    base_url: ("LISTENBRAINZ_API_BASE_URL", sim.base_url().to_string()),
                    served,
                    requests: Box::new(move || counted.request_count()),
                    _server: Box::new(sim),
                })
            }
            _ => Err(USAGE.to_string()),
        }
    }
}

fn main() -> ExitCode {
    let mut counts = [Count {
        flag: "--plays",
        value: 100_000,
        min: 1,
    }];
    // `--service NAME` is this bench's own flag; the rest is the benches' common line.
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut service = "amazon-music".to_string();
    if let Some(at) = args.iter().position(|arg| arg == "--service") {
        match args.get(at + 1) {
            Some(name) => service = name.clone(),
            None => {
                eprintln!("{USAGE}");
                return ExitCode::FAILURE;
            }
        }
        args.drain(at..at + 2);
    }
    let bin = match benchmarks::binary::command_line(USAGE, args, &mut counts) {
        Ok(bin) => bin,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let [plays] = counts.map(|count| count.value);
    match run(&bin, &service, plays) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(bin: &Path, service: &str, plays: usize) -> Result<(), String> {
    // The simulations' servers run on threads of their own; this runtime only starts them.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("no runtime: {e}"))?;
    let simulated = Simulated::start(service, plays, &runtime)?;
    let dir =
        std::env::temp_dir().join(format!("recently-played-bench-sync-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let db = dir.join("history.sqlite3");
    let result = measure_all(bin, &db, &simulated);
    let _ = std::fs::remove_dir_all(&dir);
    drop(simulated);
    drop(runtime);
    result
}

/// The new plays the sync's summary line says `name` stored.
fn stored_new(sync: &Measured, name: &str) -> Option<usize> {
    String::from_utf8_lossy(&sync.output.stdout)
        .lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<usize>().ok())
}

fn measure_all(bin: &Path, db: &Path, simulated: &Simulated) -> Result<(), String> {
    let (name, served) = (simulated.name, simulated.served);
    let db_arg = db.to_str().ok_or("the temporary path is not UTF-8")?;
    let sync = measure(bin, &["sync", "--db", db_arg], simulated)?;
    let new = stored_new(&sync, name);
    if new != Some(served) {
        return Err(format!(
            "the sync stored {new:?} new {name} plays, not the {served} served:\n{}",
            String::from_utf8_lossy(&sync.output.stdout)
        ));
    }
    let db_size = std::fs::metadata(db).map(|m| m.len()).unwrap_or(0);
    let first_requests = (simulated.requests)();

    let again = measure(bin, &["sync", "--db", db_arg], simulated)?;
    if stored_new(&again, name) != Some(0) {
        return Err(format!(
            "the second sync stored new {name} plays where none were served:\n{}",
            String::from_utf8_lossy(&again.output.stdout)
        ));
    }
    let again_requests = (simulated.requests)() - first_requests;

    let export = measure(bin, &["export", "--db", db_arg], simulated)?;
    let lines = export
        .output
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    if lines != served {
        return Err(format!("the export wrote {lines} lines, not {served}"));
    }

    println!(
        "{served} {name} plays (realistic history, seed {SEED}), sync into a fresh SQLite \
         database ({:.1} MB, {first_requests} requests), sync again ({again_requests} \
         requests, nothing new), then export as JSON Lines ({:.1} MB)",
        db_size as f64 / 1e6,
        export.output.stdout.len() as f64 / 1e6
    );
    println!(
        "{:<7} {:>9} {:>11} {:>14}",
        "step", "seconds", "plays/s", "peak RSS (MB)"
    );
    for (step, measured) in [("sync", &sync), ("again", &again), ("export", &export)] {
        println!(
            "{:<7} {:>9.2} {:>11.0} {:>14}",
            step,
            measured.elapsed.as_secs_f64(),
            served as f64 / measured.elapsed.as_secs_f64(),
            measured
                .max_rss_kb
                .map_or_else(|| "n/a".into(), |kb| format!("{:.1}", kb as f64 / 1024.0))
        );
    }
    Ok(())
}

/// Runs the binary with `args` against the simulation, under `/usr/bin/time -v` when there
/// is one; fails unless it exits 0.
fn measure(bin: &Path, args: &[&str], simulated: &Simulated) -> Result<Measured, String> {
    let (variable, url) = &simulated.base_url;
    benchmarks::binary::measure(bin, args, |command| {
        command.env(variable, url);
        for cleared in [
            "SPOTIFY_ACCESS_TOKEN",
            "SPOTIFY_API_BASE_URL",
            "AMAZON_MUSIC_ACCESS_TOKEN",
            "AMAZON_MUSIC_API_KEY",
            "AMAZON_MUSIC_API_BASE_URL",
            "LISTENBRAINZ_TOKEN",
            "LISTENBRAINZ_API_BASE_URL",
        ] {
            if cleared != *variable {
                command.env_remove(cleared);
            }
        }
    })
}
