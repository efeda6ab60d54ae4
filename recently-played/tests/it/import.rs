//! `import spotify-history`: Spotify's streaming history export, generated here (both file
//! generations, every field), imported through the binary into the store, each listen once
//! whether a sync stored it first or later.

use std::io::Write;
use std::path::Path;

use music_history_sandbox::amazon::{AmazonMusicHistory, AmazonMusicSimulation};
use music_history_sandbox::spotify::{SpotifyHistory, SpotifyPlay, SpotifySimulation};
use serde_json::{Value, json};

use crate::common::*;
use crate::sync::{SPOTIFY, assert_ok, temp_db};

/// 2024-04-30T10:00:00Z: where the generated histories start.
const START_MS: i64 = 1_714_471_200_000;
const MINUTE: i64 = 60_000;

/// A track as the export and the API name it.
#[derive(Clone, Copy)]
struct Track {
    id: &'static str,
    title: &'static str,
    artist: &'static str,
}

const SONG: Track = Track {
    id: "4iV5W9uYEdYUVa79Axb7Rh",
    title: "Velvet Satellites",
    artist: "Tame Impala",
};
const OTHER: Track = Track {
    id: "2gNfxysfBRfl9Lvi9T3v6R",
    title: "Disciples",
    artist: "The Band",
};

fn rfc3339_seconds(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A row of `Streaming_History_Audio_*.json`, every field of the current generation, for a
/// stream of `track` that ended at `ended_ms` (cut to the second, as the export does).
fn audio_row(ended_ms: i64, ms_played: u64, track: Track) -> Value {
    json!({
        "ts": rfc3339_seconds(ended_ms),
        "platform": "android",
        "ms_played": ms_played,
        "conn_country": "SE",
        "ip_addr": "192.0.2.10",
        "master_metadata_track_name": track.title,
        "master_metadata_album_artist_name": track.artist,
        "master_metadata_album_album_name": "Currents",
        "spotify_track_uri": format!("spotify:track:{}", track.id),
        "episode_name": null,
        "episode_show_name": null,
        "spotify_episode_uri": null,
        "audiobook_title": null,
        "audiobook_uri": null,
        "audiobook_chapter_uri": null,
        "audiobook_chapter_title": null,
        "reason_start": "trackdone",
        "reason_end": "trackdone",
        "shuffle": false,
        "skipped": false,
        "offline": false,
        "offline_timestamp": ended_ms / 1000,
        "incognito_mode": false
    })
}

/// A podcast episode's row.
fn episode_row(ended_ms: i64) -> Value {
    let mut row = audio_row(ended_ms, 1_200_000, SONG);
    for field in [
        "master_metadata_track_name",
        "master_metadata_album_artist_name",
        "master_metadata_album_album_name",
        "spotify_track_uri",
    ] {
        row[field] = Value::Null;
    }
    row["episode_name"] = json!("Episode 12");
    row["episode_show_name"] = json!("The Show");
    row["spotify_episode_uri"] = json!("spotify:episode:5Xt5DXGzch68nYYamXrNxZ");
    row["reason_end"] = json!("endplay");
    row["offline"] = json!(true);
    row
}

/// An audiobook chapter's row.
fn chapter_row(ended_ms: i64) -> Value {
    let mut row = episode_row(ended_ms);
    for field in ["episode_name", "episode_show_name", "spotify_episode_uri"] {
        row[field] = Value::Null;
    }
    row["audiobook_title"] = json!("The Book");
    row["audiobook_uri"] = json!("spotify:audiobook:7iHfbu1YPACw6oZPAFJtqe");
    row["audiobook_chapter_uri"] = json!("spotify:chapter:0D5wENdkdwbqlrHoaJ9g29");
    row["audiobook_chapter_title"] = json!("Chapter 1");
    row["incognito_mode"] = json!(true);
    row
}

/// A row of the older `endsong_*.json`: its IP field's older name, the user agent and user
/// name, and no audiobook fields; `skipped` null, as older rows have it.
fn endsong_row(ended_ms: i64, ms_played: u64, track: Track) -> Value {
    let mut row = audio_row(ended_ms, ms_played, track);
    let object = row.as_object_mut().unwrap();
    object.remove("ip_addr");
    for field in [
        "audiobook_title",
        "audiobook_uri",
        "audiobook_chapter_uri",
        "audiobook_chapter_title",
    ] {
        object.remove(field);
    }
    object.insert("username".into(), json!("someone"));
    object.insert("ip_addr_decrypted".into(), json!("198.51.100.7"));
    object.insert("user_agent_decrypted".into(), json!("unknown"));
    object.insert("skipped".into(), Value::Null);
    object.insert("reason_start".into(), json!("clickrow"));
    object.insert("reason_end".into(), json!("fwdbtn"));
    object.insert("shuffle".into(), json!(true));
    row
}

/// A row of the account data's `StreamingHistory_music_*.json`.
fn account_row(ended_ms: i64, ms_played: u64, track: Track) -> Value {
    let at = chrono::DateTime::from_timestamp_millis(ended_ms).unwrap();
    json!({
        "endTime": at.format("%Y-%m-%d %H:%M").to_string(),
        "artistName": track.artist,
        "trackName": track.title,
        "msPlayed": ms_played
    })
}

fn write_files(folder: &Path, files: &[(&str, String)]) {
    for (name, text) in files {
        let path = folder.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn array(rows: &[Value]) -> String {
    serde_json::to_string_pretty(&Value::Array(rows.to_vec())).unwrap()
}

/// The files zipped as Spotify sends them (deflated, in a folder, beside a PDF).
fn write_zip(path: &Path, files: &[(&str, String)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.add_directory("Spotify Extended Streaming History/", options)
        .unwrap();
    zip.start_file(
        "Spotify Extended Streaming History/ReadMeFirst_ExtendedStreamingHistory.pdf",
        options,
    )
    .unwrap();
    zip.write_all(b"%PDF-1.4").unwrap();
    for (name, text) in files {
        zip.start_file(
            format!("Spotify Extended Streaming History/{name}"),
            options,
        )
        .unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

fn import(export: &Path, db: &Path, more: &[&str]) -> std::process::Output {
    let mut args = vec![
        "import",
        "spotify-history",
        export.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ];
    args.extend_from_slice(more);
    run(&mut recently_played(&args))
}

/// The stored Spotify plays, oldest first: (source, played_at_ms, item id, ms_played).
fn spotify_rows(db: &Path) -> Vec<(String, i64, Option<String>, Option<i64>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT source, played_at_ms, item_id, ms_played FROM plays WHERE service = 'spotify'
             ORDER BY played_at_ms, play_key",
        )
        .unwrap();
    stmt.query_map([], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

fn count_of(rows: &[(String, i64, Option<String>, Option<i64>)], source: &str) -> usize {
    rows.iter().filter(|r| r.0 == source).count()
}

fn export_lines(db: &Path) -> Vec<Value> {
    let output = run(&mut recently_played(&[
        "export",
        "--db",
        db.to_str().unwrap(),
    ]));
    assert_ok(&output);
    json_lines(&output)
}

#[test]
fn an_export_of_both_generations_imported_twice_is_stored_once_with_every_field() {
    let dir = tempfile::tempdir().unwrap();
    let (_db_dir, db) = temp_db();
    let audio = [
        audio_row(START_MS + 3 * MINUTE, 180_000, SONG),
        episode_row(START_MS + 30 * MINUTE),
        chapter_row(START_MS + 60 * MINUTE),
        {
            // A field the export may add one day, and a local file: names, no URI.
            let mut row = audio_row(START_MS + 70 * MINUTE, 12_000, OTHER);
            row["spotify_track_uri"] = Value::Null;
            row["skipped"] = json!(true);
            row["reason_end"] = json!("fwdbtn");
            row["a_field_added_later"] = json!({"nested": [1, 2]});
            row
        },
    ];
    let endsong = [endsong_row(START_MS - 400 * MINUTE, 95_000, OTHER)];
    let zip = dir.path().join("my_spotify_data.zip");
    write_zip(
        &zip,
        &[
            ("Streaming_History_Audio_2024_1.json", array(&audio)),
            ("endsong_0.json", array(&endsong)),
        ],
    );

    let first = import(&zip, &db, &[]);
    assert_ok(&first);
    let said = stdout(&first);
    assert!(
        said.contains("5 rows: 5 new, 0 joined to synced plays, 0 already stored"),
        "{said}"
    );
    assert!(
        stderr(&first).contains("--keep-personal-fields"),
        "{}",
        stderr(&first)
    );

    let again = import(&zip, &db, &[]);
    assert_ok(&again);
    assert!(stdout(&again).contains("5 rows: 0 new, 0 joined to synced plays, 5 already stored"));
    assert_eq!(stored(&db, SPOTIFY), 5, "imported twice, stored once");

    let lines = export_lines(&db);
    assert_eq!(lines.len(), 5);
    let by_kind =
        |kind: &str| -> Vec<&Value> { lines.iter().filter(|l| l["kind"] == kind).collect() };
    // Oldest first: the endsong row, then the audio rows.
    let older = &lines[0];
    assert_eq!(older["source"], "export");
    assert_eq!(older["id"], OTHER.id);
    assert_eq!(older["played_at"], rfc3339_millis(START_MS - 400 * MINUTE));
    assert_eq!(older["item"], Value::Null);
    let playback = &older["playback"];
    assert_eq!(playback["ms_played"], 95_000);
    assert_eq!(
        (&playback["reason_start"], &playback["reason_end"]),
        (&json!("clickrow"), &json!("fwdbtn"))
    );
    assert_eq!(
        (&playback["shuffle"], &playback["skipped"]),
        (&json!(true), &Value::Null)
    );
    assert_eq!(
        (&playback["platform"], &playback["conn_country"]),
        (&json!("android"), &json!("SE"))
    );
    for personal in ["ip_addr_decrypted", "user_agent_decrypted", "username"] {
        assert!(
            playback["row"].get(personal).is_none(),
            "{personal} kept: {older}"
        );
    }
    assert!(playback["row"].get("offline_timestamp").is_some());

    let track = &lines[1];
    assert_eq!(
        (&track["title"], &track["album"]),
        (&json!(SONG.title), &json!("Currents"))
    );
    assert_eq!(track["artists"], json!([SONG.artist]));
    assert_eq!(track["key"], format!("export:spotify:track:{}", SONG.id));
    assert!(track["playback"]["row"].get("ip_addr").is_none(), "{track}");
    assert_eq!(
        track["playback"]["ended_at"],
        rfc3339_millis(START_MS + 3 * MINUTE)
    );

    let episode = by_kind("episode");
    assert_eq!(episode.len(), 1);
    assert_eq!(
        (&episode[0]["title"], &episode[0]["album"]),
        (&json!("Episode 12"), &json!("The Show"))
    );
    assert_eq!(episode[0]["id"], "5Xt5DXGzch68nYYamXrNxZ");
    assert_eq!(episode[0]["playback"]["offline"], true);
    let chapter = by_kind("audiobook_chapter");
    assert_eq!(
        (&chapter[0]["title"], &chapter[0]["album"]),
        (&json!("Chapter 1"), &json!("The Book"))
    );
    assert_eq!(chapter[0]["playback"]["incognito_mode"], true);

    let local = &lines[4];
    assert_eq!(
        (&local["id"], &local["title"]),
        (&Value::Null, &json!(OTHER.title))
    );
    assert_eq!(local["playback"]["skipped"], true);
    assert_eq!(
        local["playback"]["row"]["a_field_added_later"],
        json!({"nested": [1, 2]})
    );

    // The columns to filter on, in SQL.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let skips: i64 = conn
        .query_row(
            "SELECT count(*) FROM plays WHERE skipped AND reason_end = 'fwdbtn'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(skips, 1);
    let private: i64 = conn
        .query_row(
            "SELECT count(*) FROM plays WHERE incognito_mode AND offline",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(private, 1);

    // CSV has the export's fields in columns of their own.
    let csv = run(&mut recently_played(&[
        "export",
        "--db",
        db.to_str().unwrap(),
        "--format",
        "csv",
    ]));
    assert_ok(&csv);
    let text = stdout(&csv);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&rows[0][column("source")], "export");
    assert_eq!(&rows[0][column("ms_played")], "95000");
    assert_eq!(&rows[0][column("reason_end")], "fwdbtn");
    assert_eq!(&rows[4][column("skipped")], "true");
}

fn rfc3339_millis(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[test]
fn personal_fields_are_kept_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let (_db_dir, db) = temp_db();
    write_files(
        dir.path(),
        &[
            (
                "Streaming_History_Audio_2024_0.json",
                array(&[audio_row(START_MS, 1_000, SONG)]),
            ),
            (
                "endsong_0.json",
                array(&[endsong_row(START_MS - MINUTE, 1_000, SONG)]),
            ),
        ],
    );
    assert_ok(&import(dir.path(), &db, &["--keep-personal-fields"]));
    let lines = export_lines(&db);
    assert_eq!(
        lines[0]["playback"]["row"]["ip_addr_decrypted"],
        "198.51.100.7"
    );
    assert_eq!(lines[0]["playback"]["row"]["username"], "someone");
    assert_eq!(lines[1]["playback"]["row"]["ip_addr"], "192.0.2.10");
}

#[test]
fn the_account_data_is_imported_with_what_it_lacks_said_and_left_out_beside_the_extended() {
    let dir = tempfile::tempdir().unwrap();
    let (_db_dir, db) = temp_db();
    let account = dir.path().join("MyData");
    write_files(
        &account,
        &[(
            "StreamingHistory_music_0.json",
            array(&[
                account_row(START_MS, 200_000, SONG),
                account_row(START_MS + 5 * MINUTE, 2_000, OTHER),
            ]),
        )],
    );
    let output = import(&account, &db, &[]);
    assert_ok(&output);
    assert!(
        stderr(&output).contains("no track IDs"),
        "{}",
        stderr(&output)
    );
    let lines = export_lines(&db);
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (&lines[0]["title"], &lines[0]["artists"]),
        (&json!(SONG.title), &json!([SONG.artist]))
    );
    assert_eq!(
        (&lines[0]["id"], &lines[0]["playback"]["ms_played"]),
        (&Value::Null, &json!(200_000))
    );
    assert_eq!(lines[0]["played_at"], rfc3339_millis(START_MS));
    assert_ok(&import(&account, &db, &[]));
    assert_eq!(stored(&db, SPOTIFY), 2, "imported twice, stored once");

    // Beside the extended history, which holds the same plays and more, it is not read.
    let (_other_dir, other_db) = temp_db();
    write_files(
        dir.path(),
        &[(
            "Spotify Extended Streaming History/Streaming_History_Audio_2024_0.json",
            array(&[audio_row(START_MS, 200_000, SONG)]),
        )],
    );
    let output = import(dir.path(), &other_db, &[]);
    assert_ok(&output);
    assert!(
        stderr(&output).contains("StreamingHistory_music_0.json: account data, not read"),
        "{}",
        stderr(&output)
    );
    assert_eq!(stored(&other_db, SPOTIFY), 1);
}

#[test]
fn a_malformed_file_in_the_middle_of_a_folder_is_named_and_the_others_are_imported() {
    let dir = tempfile::tempdir().unwrap();
    let (_db_dir, db) = temp_db();
    let rows = |from: i64, n: i64| -> Vec<Value> {
        (0..n)
            .map(|i| audio_row(START_MS + (from + i) * 5 * MINUTE, 200_000, SONG))
            .collect()
    };
    let truncated = array(&rows(10, 3));
    let mut without_time = rows(30, 3);
    without_time[1].as_object_mut().unwrap().remove("ts");
    write_files(
        dir.path(),
        &[
            ("Streaming_History_Audio_2019_0.json", array(&rows(0, 4))),
            // Cut off in its third row: the two before it are whole.
            (
                "Streaming_History_Audio_2019_1.json",
                truncated[..truncated.len() * 5 / 6].to_string(),
            ),
            (
                "Streaming_History_Audio_2019_2.json",
                r#"{"not": "an export"}"#.to_string(),
            ),
            ("Streaming_History_Audio_2019_3.json", array(&without_time)),
            ("Streaming_History_Audio_2019_4.json", array(&rows(40, 2))),
        ],
    );
    let output = import(dir.path(), &db, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let said = stderr(&output);
    let line_of = |name: &str| {
        said.lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("nothing said of {name}: {said}"))
            .to_string()
    };
    let cut = line_of("Streaming_History_Audio_2019_1.json");
    assert!(
        cut.contains("at row 3") && cut.contains("the 2 rows before it are imported"),
        "{cut}"
    );
    let object = line_of("Streaming_History_Audio_2019_2.json");
    assert!(
        object.contains("not a Spotify streaming history file at row 1"),
        "{object}"
    );
    let timeless = line_of("Streaming_History_Audio_2019_3.json");
    assert!(timeless.contains("row 2 has no time"), "{timeless}");
    // 4 + 2 + 0 + 2 + 2, and nothing of the bad row.
    assert_eq!(stored(&db, SPOTIFY), 10);

    let again = import(dir.path(), &db, &[]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(stored(&db, SPOTIFY), 10, "run again, nothing doubled");
}

#[test]
fn a_path_without_a_history_is_one_sentence_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let (_db_dir, db) = temp_db();
    write_files(dir.path(), &[("Userdata.json", "{}".to_string())]);
    let output = import(dir.path(), &db, &[]);
    assert_eq!(output.status.code(), Some(1));
    let said = stderr(&output);
    assert!(
        said.contains(&format!(
            "{} holds no Spotify listening history",
            dir.path().display()
        )),
        "{said}"
    );
    assert_eq!(said.lines().count(), 1, "{said}");
}

/// A Spotify simulation serving `plays` (and Amazon Music one play, stored apart).
async fn simulations(plays: Vec<SpotifyPlay>) -> (SpotifySimulation, AmazonMusicSimulation) {
    (
        SpotifySimulation::start(SpotifyHistory::new(plays)).await,
        AmazonMusicSimulation::start(AmazonMusicHistory::realistic(1, 7)).await,
    )
}

async fn sync(sims: &(SpotifySimulation, AmazonMusicSimulation), db: &Path) {
    let output = run_beside_simulation(against(
        &sims.0,
        &sims.1,
        &["sync", "--db", db.to_str().unwrap()],
    ))
    .await;
    assert_ok(&output);
}

/// Plays the API lists and rows the export has, some of the same listens: the API dates
/// some plays at their start and some at their end, and lists neither the skip nor the
/// local file's short play... except where said.
struct Overlap {
    api: Vec<SpotifyPlay>,
    rows: Vec<Value>,
    /// How many listens in all.
    listens: usize,
    /// How many of them both list.
    both: usize,
}

fn overlap() -> Overlap {
    let at = |minutes: i64| START_MS + minutes * MINUTE + 123;
    let mut api = Vec::new();
    let mut rows = Vec::new();
    // 1. Dated at its start: the row ends 3:20 later.
    api.push(SpotifyPlay::new(at(0), SONG.id, SONG.title, SONG.artist));
    rows.push(audio_row(at(0) + 200_000, 200_000, SONG));
    // 2. Dated at its end, 29 s after the row's: within the tolerance, one listen.
    api.push(SpotifyPlay::new(
        at(10),
        OTHER.id,
        OTHER.title,
        OTHER.artist,
    ));
    rows.push(audio_row(at(10) - 29_000, 150_000, OTHER));
    // 3. The same track a minute before 4, skipped after 20 s: the API never listed it.
    rows.push({
        let mut row = audio_row(at(19), 20_000, SONG);
        row["skipped"] = json!(true);
        row
    });
    // 4. ... and its listen a minute later, which the API lists (at its end).
    api.push(SpotifyPlay::new(at(20), SONG.id, SONG.title, SONG.artist));
    rows.push(audio_row(at(20), 60_000, SONG));
    // 5. 31 s away at either edge: two listens, as far as anyone can tell.
    api.push(SpotifyPlay::new(
        at(30),
        OTHER.id,
        OTHER.title,
        OTHER.artist,
    ));
    rows.push(audio_row(at(30) - 31_000 - 1_000, 0, OTHER));
    // 6. Only the API: a play after the export was made.
    api.push(SpotifyPlay::new(at(40), SONG.id, SONG.title, SONG.artist));
    Overlap {
        api,
        rows,
        listens: 7,
        both: 3,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_listen_both_list_is_stored_once_whether_the_sync_or_the_import_comes_first() {
    let Overlap {
        api,
        rows,
        listens,
        both,
    } = overlap();
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("Streaming_History_Audio_2024_0.json");
    std::fs::write(&export, array(&rows)).unwrap();
    let sims = simulations(api.clone()).await;

    let (_a, sync_first) = temp_db();
    sync(&sims, &sync_first).await;
    let imported = import(&export, &sync_first, &[]);
    assert_ok(&imported);
    assert!(
        stdout(&imported).contains(&format!(
            "{} rows: {} new, {both} joined",
            rows.len(),
            rows.len() - both
        )),
        "{}",
        stdout(&imported)
    );

    let (_b, import_first) = temp_db();
    assert_ok(&import(&export, &import_first, &[]));
    sync(&sims, &import_first).await;

    for db in [&sync_first, &import_first] {
        let stored = spotify_rows(db);
        assert_eq!(stored.len(), listens, "{stored:?}");
        assert_eq!(count_of(&stored, "api_and_export"), both, "{stored:?}");
        assert_eq!(count_of(&stored, "api"), api.len() - both, "{stored:?}");
        // A joined listen is dated as the API dates it, and keeps what the export says.
        let joined: Vec<i64> = stored
            .iter()
            .filter(|r| r.0 == "api_and_export")
            .map(|r| r.1)
            .collect();
        assert_eq!(
            joined,
            [
                api[0].played_at_ms(),
                api[1].played_at_ms(),
                api[2].played_at_ms()
            ]
        );
        assert!(
            stored
                .iter()
                .filter(|r| r.0 != "api")
                .all(|r| r.3.is_some()),
            "{stored:?}"
        );
        // Again, both ways: nothing more.
        assert_ok(&import(&export, db, &[]));
        sync(&sims, db).await;
        assert_eq!(spotify_rows(db), stored);
        // Rows only the export has are no plays the sync missed: no gap is reported.
        assert_eq!(gaps(db), 0);
    }
    assert_eq!(spotify_rows(&sync_first), spotify_rows(&import_first));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_local_file_and_the_account_data_are_joined_by_title_and_artist() {
    let dir = tempfile::tempdir().unwrap();
    let mut local = SpotifyPlay::new(START_MS + 123, "x", OTHER.title, OTHER.artist);
    local.track.id = None;
    let sims = simulations(vec![
        local,
        SpotifyPlay::new(
            START_MS + 10 * MINUTE + 123,
            SONG.id,
            SONG.title,
            SONG.artist,
        ),
    ])
    .await;
    let mut local_row = audio_row(START_MS + 123 + 90_000, 90_000, OTHER);
    local_row["spotify_track_uri"] = Value::Null;
    write_files(
        dir.path(),
        &[
            ("a/Streaming_History_Audio_2024_0.json", array(&[local_row])),
            (
                "b/StreamingHistory_music_0.json",
                array(&[account_row(START_MS + 10 * MINUTE + 30_000, 200_000, SONG)]),
            ),
        ],
    );
    let (_db_dir, db) = temp_db();
    sync(&sims, &db).await;
    assert_ok(&import(&dir.path().join("a"), &db, &[]));
    assert_ok(&import(&dir.path().join("b"), &db, &[]));
    let stored = spotify_rows(&db);
    assert_eq!(count_of(&stored, "api_and_export"), 2, "{stored:?}");
    assert_eq!(stored.len(), 2);
}

fn gaps(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM gaps", [], |r| r.get(0))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_joined_row_stays_joined_when_the_track_on_repeat_is_synced_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("Streaming_History_Audio_2024_0.json");
    let first = START_MS + 123;
    std::fs::write(&export, array(&[audio_row(first + 200_000, 200_000, SONG)])).unwrap();
    let sims = simulations(vec![SpotifyPlay::new(
        first,
        SONG.id,
        SONG.title,
        SONG.artist,
    )])
    .await;
    let (_db_dir, db) = temp_db();
    sync(&sims, &db).await;
    assert_ok(&import(&export, &db, &[]));
    // Played again as the first listen ended: within the tolerance of the row's end.
    sims.0.record_play(SpotifyPlay::new(
        first + 210_000,
        SONG.id,
        SONG.title,
        SONG.artist,
    ));
    sync(&sims, &db).await;
    let again = import(&export, &db, &[]);
    assert_ok(&again);
    assert!(
        stdout(&again).contains("1 rows: 0 new, 0 joined to synced plays, 1 already stored"),
        "{}",
        stdout(&again)
    );
    let stored = spotify_rows(&db);
    assert_eq!(
        stored
            .iter()
            .map(|r| (r.0.as_str(), r.1))
            .collect::<Vec<_>>(),
        [("api_and_export", first), ("api", first + 210_000)]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn two_rows_near_one_synced_play_join_it_once_and_the_other_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let export = dir.path().join("Streaming_History_Audio_2024_0.json");
    let play = START_MS + 123;
    // A 10 s stream ending as the API dates the play, then one that began there: both
    // within the tolerance of it; the nearer joins it.
    std::fs::write(
        &export,
        array(&[
            audio_row(play, 10_000, SONG),
            audio_row(play + 25_000, 25_000, SONG),
        ]),
    )
    .unwrap();
    let sims = simulations(vec![SpotifyPlay::new(
        play,
        SONG.id,
        SONG.title,
        SONG.artist,
    )])
    .await;
    let (_db_dir, db) = temp_db();
    sync(&sims, &db).await;
    assert_ok(&import(&export, &db, &[]));
    let stored = spotify_rows(&db);
    assert_eq!(
        stored
            .iter()
            .map(|r| (r.0.as_str(), r.3))
            .collect::<Vec<_>>(),
        [("api_and_export", Some(10_000)), ("export", Some(25_000))]
    );
}
