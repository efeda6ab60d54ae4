//! `recently-played report` of 100,000 plays: how long the page takes beyond reading the
//! store.
//!
//! Usage: `cargo build --release -p recently-played -p benchmarks --bin report`, then
//! `target/release/report [--plays N] [--runs N] [--bin PATH]`.
//!
//! The store's schema is the program's own: `sync` against simulations with no plays makes
//! an empty, migrated database. The full one is a copy of it with N plays inserted
//! (deterministic, seed 2024): two years of history, half Spotify (each with a length and an
//! ISRC), half Amazon Music, 2,000 artists, 20,000 recordings (a tenth on both services under
//! one ISRC), 4,000 albums; the history is that long so that the page counts weeks. Then,
//! `--runs` times each (default 5), it times `report` of the full store and of the empty one
//! (the binary's start, opening the store, the page's fixed cost) as child processes, and a
//! read in this process of every row and column the report reads (rusqlite, the same bundled
//! SQLite). What the report costs beyond reading the store is the full report less the
//! empty one less the read; the fastest run of each is taken, the others being the machine's
//! noise.

use benchmarks::binary::Count;
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use music_history_sandbox::amazon::{AmazonMusicHistory, AmazonMusicSimulation};
use music_history_sandbox::spotify::{SpotifyHistory, SpotifySimulation};

const USAGE: &str = "usage: report [--plays N] [--runs N] [--bin PATH]";

/// The histories' seed, as the other benchmarks use.
const SEED: u64 = 2024;

fn main() -> ExitCode {
    let mut counts = [
        Count {
            flag: "--plays",
            value: 100_000,
            min: 2,
        },
        Count {
            flag: "--runs",
            value: 5,
            min: 1,
        },
    ];
    let bin = match benchmarks::binary::command_line(USAGE, std::env::args().skip(1), &mut counts) {
        Ok(bin) => bin,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let [plays, runs] = counts.map(|count| count.value);
    let dir = std::env::temp_dir().join(format!(
        "recently-played-bench-report-{}",
        std::process::id()
    ));
    let result = std::fs::create_dir_all(&dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))
        .and_then(|()| run(&bin, &dir, plays, runs));
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(bin: &Path, dir: &Path, plays: usize, runs: usize) -> Result<(), String> {
    let full = dir.join("full.sqlite3");
    let empty = dir.join("empty.sqlite3");
    empty_store(bin, &empty)?;
    std::fs::copy(&empty, &full).map_err(|e| format!("cannot copy the store: {e}"))?;
    fill(&full, plays)?;
    let stored = count(&full)?;

    let page = dir.join("report.html");
    let mut report_full = Vec::new();
    let mut report_empty = Vec::new();
    let mut read = Vec::new();
    for _ in 0..runs {
        report_full.push(report(bin, &full, &page)?);
        report_empty.push(report(bin, &empty, &dir.join("empty.html"))?);
        read.push(read_as_the_report_does(&full)?);
    }
    let page_size = std::fs::metadata(&page).map(|m| m.len()).unwrap_or(0);
    let fastest = |times: &[Duration]| times.iter().copied().min().unwrap_or_default();
    let (full_s, empty_s, read_s) = (
        fastest(&report_full).as_secs_f64(),
        fastest(&report_empty).as_secs_f64(),
        fastest(&read).as_secs_f64(),
    );
    let beyond = full_s - empty_s - read_s;
    println!(
        "report of {stored} stored plays (two years, half Spotify, half Amazon Music, seed \
         {SEED}); fastest of {runs} runs each"
    );
    println!("{:<44} {:>9}", "what", "seconds");
    println!(
        "{:<44} {:>9.3}",
        "report, full store (child process)", full_s
    );
    println!(
        "{:<44} {:>9.3}",
        "report, empty store (start, open, fixed cost)", empty_s
    );
    println!(
        "{:<44} {:>9.3}",
        "read every row the report reads (in process)", read_s
    );
    println!("{:<44} {:>9.3}", "beyond reading the store", beyond);
    println!(
        "beyond reading: {:.0} plays/s, {:.2}x of one second; page of {:.0} kB",
        stored as f64 / beyond.max(1e-9),
        beyond,
        page_size as f64 / 1e3
    );
    Ok(())
}

/// An empty store, made by `sync` from simulations with no plays.
fn empty_store(bin: &Path, db: &Path) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("no runtime: {e}"))?;
    let (spotify, amazon) = runtime.block_on(async {
        (
            SpotifySimulation::start(SpotifyHistory::new(Vec::new())).await,
            AmazonMusicSimulation::start(AmazonMusicHistory::realistic(0, SEED)).await,
        )
    });
    let output = Command::new(bin)
        .args(["sync", "--db", db.to_str().ok_or("the path is not UTF-8")?])
        .env("SPOTIFY_API_BASE_URL", spotify.base_url())
        .env("AMAZON_MUSIC_API_BASE_URL", amazon.base_url())
        .env_remove("SPOTIFY_ACCESS_TOKEN")
        .env_remove("AMAZON_MUSIC_ACCESS_TOKEN")
        .env_remove("AMAZON_MUSIC_API_KEY")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    if !output.status.success() {
        return Err(format!(
            "the sync failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(())
}

/// Inserts `plays` plays into the store at `db`, in one transaction.
fn fill(db: &Path, plays: usize) -> Result<(), String> {
    const ARTISTS: u64 = 2_000;
    const RECORDINGS: u64 = 20_000;
    const ALBUMS: u64 = 4_000;
    const TWO_YEARS_MS: u64 = 2 * 365 * 24 * 3_600_000;
    const START_MS: i64 = 1_672_531_200_000; // 2023-01-01T00:00:00Z
    let mut conn = rusqlite::Connection::open(db).map_err(|e| e.to_string())?;
    let tx = conn.transaction().map_err(|e| e.to_string())?;
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO plays (service, played_at, played_at_ms, play_key, kind, item_id,
                     title, artists, album, duration_ms, isrc, context, raw, synced_at)
                 VALUES (?1, ?2, ?3, ?4, 'track', ?5, ?6, ?7, ?8, ?9, ?10, NULL, '{}', ?2)",
            )
            .map_err(|e| e.to_string())?;
        let mut random = SplitMix(SEED);
        for i in 0..plays {
            let spotify = i.is_multiple_of(2);
            // Skewed towards the first recordings, as listening is.
            let popular = random.below(RECORDINGS) + 1;
            let recording = random.below(popular);
            let artist = recording % ARTISTS;
            let at = START_MS + random.below(TWO_YEARS_MS) as i64;
            let played_at = chrono::DateTime::from_timestamp_millis(at)
                .ok_or("a time out of range")?
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
            let shared = recording.is_multiple_of(10);
            insert
                .execute(rusqlite::params![
                    if spotify { "spotify" } else { "amazon_music" },
                    played_at,
                    at,
                    format!("play:{i}"),
                    format!("{}{recording}", if spotify { "sp" } else { "am" }),
                    format!("Recording {recording}"),
                    format!("[\"Artist {artist}\"]"),
                    format!("Album {}", recording % ALBUMS),
                    (spotify || shared).then(|| 120_000 + (recording % 240) as i64 * 1_000),
                    (spotify || shared).then(|| format!("QZ{recording:010}")),
                ])
                .map_err(|e| e.to_string())?;
        }
    }
    tx.commit().map_err(|e| e.to_string())
}

/// A small deterministic generator (SplitMix64), so that every run fills the same store.
struct SplitMix(u64);

impl SplitMix {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        (z ^ (z >> 31)) % bound.max(1)
    }
}

fn count(db: &Path) -> Result<i64, String> {
    let conn = rusqlite::Connection::open(db).map_err(|e| e.to_string())?;
    conn.query_row("SELECT count(*) FROM plays", [], |row| row.get(0))
        .map_err(|e| e.to_string())
}

/// One run of `report` on `db`, in UTC.
fn report(bin: &Path, db: &Path, page: &Path) -> Result<Duration, String> {
    let started = Instant::now();
    let output = Command::new(bin)
        .arg("report")
        .arg("--db")
        .arg(db)
        .arg("--out")
        .arg(page)
        .args(["--tz", "UTC"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        return Err(format!(
            "the report failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(elapsed)
}

/// Every row and column the report reads, each value fetched as the report fetches it.
fn read_as_the_report_does(db: &Path) -> Result<Duration, String> {
    let started = Instant::now();
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| e.to_string())?;
    let mut stmt = conn
        .prepare(
            "SELECT service, played_at_ms, item_id, title, artists, album, duration_ms, isrc
             FROM plays",
        )
        .map_err(|e| e.to_string())?;
    let mut rows = stmt.query([]).map_err(|e| e.to_string())?;
    let mut bytes = 0_usize;
    while let Some(row) = rows.next().map_err(|e| e.to_string())? {
        let text = |i| {
            row.get::<_, Option<String>>(i)
                .map(|s| s.map_or(0, |s| s.len()))
        };
        bytes += text(0)
            .and_then(|a| Ok(a + text(2)? + text(3)? + text(4)? + text(5)? + text(7)?))
            .map_err(|e| e.to_string())?;
        let _: (i64, Option<i64>) = (
            row.get(1).map_err(|e| e.to_string())?,
            row.get(6).map_err(|e| e.to_string())?,
        );
    }
    std::hint::black_box(bytes);
    Ok(started.elapsed())
}
