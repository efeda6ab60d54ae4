//! `recently-played sync` of 100,000 plays of Amazon Music history from the local simulation
//! into a fresh SQLite database, then `recently-played export` of it as JSON Lines: plays per
//! second and peak memory (maximum resident set size) of each.
//!
//! Usage: `cargo build --release -p recently-played -p benchmarks --bin sync`, then
//! `target/release/sync [--plays N] [--bin PATH]`.
//!
//! It drives the real code path: the release `recently-played` binary (next to this one
//! unless `--bin` says where), run as a child process with `--db` in a temporary directory
//! and `AMAZON_MUSIC_API_BASE_URL` pointing at an in-process [`AmazonMusicSimulation`]
//! (no credentials: the binary sends the sandbox's); Spotify points at a simulation with no
//! plays (one request). Peak memory is read by running the child under `/usr/bin/time -v`;
//! without it, only the times are reported. The simulation's server shares the machine, so
//! plays per second is that of the whole loop, server included. It fails if the database
//! does not end with exactly the plays served.

use benchmarks::binary::Count;
use benchmarks::binary::Measured;
use std::path::Path;
use std::process::ExitCode;

use music_history_sandbox::amazon::{AmazonMusicHistory, AmazonMusicSimulation};
use music_history_sandbox::spotify::{SpotifyHistory, SpotifySimulation};

const USAGE: &str = "usage: sync [--plays N] [--bin PATH]";

/// The history's seed, as the walks use.
const SEED: u64 = 2024;

fn main() -> ExitCode {
    let mut counts = [Count {
        flag: "--plays",
        value: 100_000,
        min: 1,
    }];
    let bin = match benchmarks::binary::command_line(USAGE, std::env::args().skip(1), &mut counts) {
        Ok(bin) => bin,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let [plays] = counts.map(|count| count.value);
    match run(&bin, plays) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(bin: &Path, plays: usize) -> Result<(), String> {
    // The simulations' servers run on threads of their own; this runtime only starts them.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("no runtime: {e}"))?;
    let history = AmazonMusicHistory::realistic(plays, SEED);
    let served = history
        .users
        .iter()
        .find(|u| u.id == history.me)
        .map_or(0, |u| u.entities.len());
    let (amazon, spotify) = runtime.block_on(async {
        (
            AmazonMusicSimulation::start(history).await,
            SpotifySimulation::start(SpotifyHistory::new(Vec::new())).await,
        )
    });
    let dir =
        std::env::temp_dir().join(format!("recently-played-bench-sync-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let db = dir.join("history.sqlite3");
    let result = measure_both(bin, &db, &spotify, &amazon, served);
    let _ = std::fs::remove_dir_all(&dir);
    drop(runtime);
    result
}

fn measure_both(
    bin: &Path,
    db: &Path,
    spotify: &SpotifySimulation,
    amazon: &AmazonMusicSimulation,
    served: usize,
) -> Result<(), String> {
    let db_arg = db.to_str().ok_or("the temporary path is not UTF-8")?;
    let sync = measure(bin, &["sync", "--db", db_arg], spotify, amazon)?;
    let said = String::from_utf8_lossy(&sync.output.stdout);
    let new = said
        .lines()
        .find_map(|line| line.strip_prefix("Amazon Music"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<usize>().ok());
    if new != Some(served) {
        return Err(format!(
            "the sync stored {new:?} new Amazon Music plays, not the {served} served:\n{said}"
        ));
    }
    let db_size = std::fs::metadata(db).map(|m| m.len()).unwrap_or(0);
    let requests = amazon.request_count();

    let export = measure(bin, &["export", "--db", db_arg], spotify, amazon)?;
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
        "{served} Amazon Music plays (realistic history, seed {SEED}), sync into a fresh \
         SQLite database ({:.1} MB, {requests} requests), then export as JSON Lines ({:.1} MB)",
        db_size as f64 / 1e6,
        export.output.stdout.len() as f64 / 1e6
    );
    println!(
        "{:<7} {:>9} {:>11} {:>14}",
        "step", "seconds", "plays/s", "peak RSS (MB)"
    );
    for (step, measured) in [("sync", &sync), ("export", &export)] {
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

/// Runs the binary with `args` against the simulations, under `/usr/bin/time -v` when there
/// is one; fails unless it exits 0.
fn measure(
    bin: &Path,
    args: &[&str],
    spotify: &SpotifySimulation,
    amazon: &AmazonMusicSimulation,
) -> Result<Measured, String> {
    benchmarks::binary::measure(bin, args, |command| {
        command
            .env("SPOTIFY_API_BASE_URL", spotify.base_url())
            .env("AMAZON_MUSIC_API_BASE_URL", amazon.base_url())
            .env_remove("SPOTIFY_ACCESS_TOKEN")
            .env_remove("AMAZON_MUSIC_ACCESS_TOKEN")
            .env_remove("AMAZON_MUSIC_API_KEY");
    })
}
