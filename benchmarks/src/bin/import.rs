//! `recently-played import spotify-history` of a generated export of 1,000,000 rows (the
//! extended streaming history, as Spotify splits it: files of 15,000 rows) into a fresh
//! SQLite database, then the same import again (every row already stored): rows per
//! second and peak memory (maximum resident set size) of each.
//!
//! Usage: `cargo build --release -p recently-played -p benchmarks --bin import`, then
//! `target/release/import [--rows N] [--bin PATH]`.
//!
//! It drives the real code path: the release `recently-played` binary (next to this one
//! unless `--bin` says where), run as a child process with `--db` in a temporary directory,
//! under `/usr/bin/time -v` when there is one (else only the times are reported). The
//! export is a folder of JSON files written here row by row, every field of the current
//! generation filled in, 2,000 tracks played over the years, a row every 3.5 minutes. It
//! fails unless the first import stores every row and the second none.

use benchmarks::binary::Count;
use benchmarks::binary::Measured;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "usage: import [--rows N] [--bin PATH]";

/// Rows per file, as Spotify splits the extended history (about 12 MB each).
const ROWS_PER_FILE: usize = 15_000;

fn main() -> ExitCode {
    let mut counts = [Count {
        flag: "--rows",
        value: 1_000_000,
        min: 1,
    }];
    let bin = match benchmarks::binary::command_line(USAGE, std::env::args().skip(1), &mut counts) {
        Ok(bin) => bin,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let [rows] = counts.map(|count| count.value);
    let dir = std::env::temp_dir().join(format!(
        "recently-played-bench-import-{}",
        std::process::id()
    ));
    let result = run(&bin, &dir, rows);
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(bin: &Path, dir: &Path, rows: usize) -> Result<(), String> {
    let export = dir.join("Spotify Extended Streaming History");
    std::fs::create_dir_all(&export)
        .map_err(|e| format!("cannot create {}: {e}", export.display()))?;
    let bytes = write_export(&export, rows).map_err(|e| format!("cannot write the export: {e}"))?;
    let db = dir.join("history.sqlite3");
    let args = |db: &Path| -> Vec<String> {
        vec![
            "import".into(),
            "spotify-history".into(),
            export.display().to_string(),
            "--db".into(),
            db.display().to_string(),
        ]
    };
    let first = measure(bin, &args(&db))?;
    expect_summary(&first, rows, 0)?;
    let db_size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    let again = measure(bin, &args(&db))?;
    expect_summary(&again, 0, rows)?;

    println!(
        "{rows} rows of a generated extended streaming history ({} files, {:.1} MB), \
         imported into a fresh SQLite database ({:.1} MB), then again",
        rows.div_ceil(ROWS_PER_FILE),
        bytes as f64 / 1e6,
        db_size as f64 / 1e6
    );
    println!(
        "{:<9} {:>9} {:>11} {:>14}",
        "import", "seconds", "rows/s", "peak RSS (MB)"
    );
    for (step, measured) in [("first", &first), ("again", &again)] {
        println!(
            "{:<9} {:>9.2} {:>11.0} {:>14}",
            step,
            measured.elapsed.as_secs_f64(),
            rows as f64 / measured.elapsed.as_secs_f64(),
            measured
                .max_rss_kb
                .map_or_else(|| "n/a".into(), |kb| format!("{:.1}", kb as f64 / 1024.0))
        );
    }
    Ok(())
}

/// Fails unless the run's last summary line says `new` rows new and `already` already
/// stored.
fn expect_summary(measured: &Measured, new: usize, already: usize) -> Result<(), String> {
    let said = String::from_utf8_lossy(&measured.output.stdout);
    let expected = format!("{new} new, 0 joined to synced plays, {already} already stored");
    match said.lines().last() {
        Some(line) if line.ends_with(&expected) => Ok(()),
        _ => Err(format!(
            "expected `{expected}` last, and the import said:\n{said}"
        )),
    }
}

/// Writes `rows` rows into files of [`ROWS_PER_FILE`], oldest first; the bytes written.
fn write_export(folder: &Path, rows: usize) -> std::io::Result<u64> {
    // 2016-01-01T00:00:00Z, then a row every 3.5 minutes.
    const START_S: i64 = 1_451_606_400;
    let mut bytes = 0;
    let mut row = 0;
    for file in 0..rows.div_ceil(ROWS_PER_FILE) {
        let path = folder.join(format!("Streaming_History_Audio_{file:04}.json"));
        let mut out = BufWriter::new(std::fs::File::create(&path)?);
        out.write_all(b"[\n")?;
        for n in 0..ROWS_PER_FILE.min(rows - row) {
            let track = row % 2_000;
            let ts = chrono::DateTime::from_timestamp(START_S + row as i64 * 210, 0)
                .expect("in range")
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let skipped = row % 7 == 0;
            let value = serde_json::json!({
                "ts": ts,
                "platform": "android",
                "ms_played": if skipped { 9_000 } else { 180_000 + (row % 60) as u64 * 1_000 },
                "conn_country": "SE",
                "ip_addr": "192.0.2.10",
                "master_metadata_track_name": format!("Track {track}"),
                "master_metadata_album_artist_name": format!("Artist {}", track % 150),
                "master_metadata_album_album_name": format!("Album {}", track % 400),
                "spotify_track_uri": format!("spotify:track:{track:0>22}"),
                "episode_name": null,
                "episode_show_name": null,
                "spotify_episode_uri": null,
                "audiobook_title": null,
                "audiobook_uri": null,
                "audiobook_chapter_uri": null,
                "audiobook_chapter_title": null,
                "reason_start": "trackdone",
                "reason_end": if skipped { "fwdbtn" } else { "trackdone" },
                "shuffle": row % 3 == 0,
                "skipped": skipped,
                "offline": false,
                "offline_timestamp": START_S + row as i64 * 210,
                "incognito_mode": false
            });
            if n > 0 {
                out.write_all(b",\n")?;
            }
            serde_json::to_writer(&mut out, &value)?;
            row += 1;
        }
        out.write_all(b"\n]\n")?;
        out.flush()?;
        bytes += std::fs::metadata(&path)?.len();
    }
    Ok(bytes)
}

/// Runs the binary with `args` (see `benchmarks::binary::measure`).
fn measure(bin: &Path, args: &[String]) -> Result<Measured, String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    benchmarks::binary::measure(bin, &args, |_| {})
}
