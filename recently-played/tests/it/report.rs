//! `report`: the page's figures against SQL over the same store (the sandbox's, as
//! `recently-played sync` stores it), the time zone, what the page may load, its refusals,
//! and the page as a headless Chromium shows it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use rusqlite::Connection;
use serde_json::Value;

use crate::common::*;
use crate::sync::assert_ok;

/// How many artists the page ranks.
const TOP: usize = 15;

/// The built-in sandbox's history, synced once for the whole test binary (a test that
/// changes a store works on a copy).
fn sandbox_store() -> &'static Path {
    static STORE: OnceLock<PathBuf> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("report-sandbox-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("history.sqlite3");
        let _ = std::fs::remove_file(&db);
        assert_ok(&run(&mut recently_played(&[
            "sync",
            "--db",
            db.to_str().unwrap(),
        ])));
        db
    })
}

/// A copy of the sandbox's store in `dir`, to change.
fn copy_of_sandbox(dir: &Path) -> PathBuf {
    let db = dir.join("history.sqlite3");
    std::fs::copy(sandbox_store(), &db).unwrap();
    db
}

/// Runs `report` on `db` with `args`, and returns the page it wrote.
fn report(db: &Path, args: &[&str]) -> String {
    let out = db.with_file_name(format!("report-{}.html", args.join("_").replace('/', "-")));
    let mut all = vec![
        "report",
        "--db",
        db.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    let output = run(&mut recently_played(&all));
    assert_ok(&output);
    assert!(stderr(&output).starts_with("Wrote "), "{}", stderr(&output));
    std::fs::read_to_string(out).expect("the page was written")
}

/// Every start tag of `html` with its attributes (values unescaped): a reader of the page
/// as this program writes it, not of any HTML.
fn tags(html: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let mut found = Vec::new();
    for piece in html.split('<').skip(1) {
        let Some((tag, _)) = piece.split_once('>') else {
            continue;
        };
        if tag.starts_with(['/', '!']) {
            continue;
        }
        let name = tag
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_lowercase();
        let mut attributes = BTreeMap::new();
        let mut rest = &tag[name.len()..];
        while let Some(eq) = rest.find('=') {
            let key = rest[..eq]
                .split_whitespace()
                .last()
                .unwrap_or_default()
                .to_lowercase();
            let after = rest[eq + 1..].trim_start();
            let (value, tail) = match after.strip_prefix('"') {
                Some(quoted) => quoted.split_once('"').unwrap_or((quoted, "")),
                None => after.split_once(char::is_whitespace).unwrap_or((after, "")),
            };
            attributes.insert(key, unescape(value));
            rest = tail;
        }
        found.push((name, attributes));
    }
    found
}

fn unescape(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `(key attribute's value, data-plays)` of every tag with `key`.
fn plays_by(html: &str, key: &str) -> Vec<(String, u64)> {
    tags(html)
        .into_iter()
        .filter_map(|(_, a)| Some((a.get(key)?.clone(), a.get("data-plays")?.parse().ok()?)))
        .collect()
}

/// The page's figures as the tests compare them: plays per day, per "weekday hour", and
/// the top artists with their plays, in order.
#[derive(Debug, PartialEq)]
struct Figures {
    per_day: BTreeMap<String, u64>,
    hour_by_weekday: BTreeMap<String, u64>,
    top_artists: Vec<(String, u64)>,
}

impl Figures {
    /// Read from the page's tables: days without plays and empty hours left out.
    fn of_page(html: &str) -> Self {
        let heat = tags(html).into_iter().filter_map(|(_, a)| {
            let key = format!("{} {}", a.get("data-weekday")?, a.get("data-hour")?);
            Some((key, a.get("data-plays")?.parse().ok()?))
        });
        let top_table = html
            .split("data-figures=\"top-artists\"")
            .nth(1)
            .expect("a top artists table")
            .split("</table>")
            .next()
            .unwrap();
        Self {
            per_day: plays_by(html, "data-day")
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .collect(),
            hour_by_weekday: heat.filter(|(_, n)| *n > 0).collect(),
            top_artists: plays_by(top_table, "data-name"),
        }
    }

    /// As the browser read them (`report.mjs`).
    fn of_browser(figures: &Value) -> Self {
        let counts = |v: &Value| -> BTreeMap<String, u64> {
            v.as_object()
                .unwrap()
                .iter()
                .map(|(k, n)| (k.clone(), n.as_u64().unwrap()))
                .filter(|(_, n)| *n > 0)
                .collect()
        };
        Self {
            per_day: counts(&figures["perDay"]),
            hour_by_weekday: counts(&figures["hourByWeekday"]),
            top_artists: figures["topArtists"]
                .as_array()
                .unwrap()
                .iter()
                .map(|row| {
                    (
                        row[0].as_str().unwrap().to_string(),
                        row[1].as_u64().unwrap(),
                    )
                })
                .collect(),
        }
    }

    /// Counted by SQLite over the store, in UTC.
    fn of_sql(db: &Path) -> Self {
        let conn = Connection::open(db).unwrap();
        let pairs = |sql: &str| -> Vec<(String, u64)> {
            let mut stmt = conn.prepare(sql).unwrap();
            stmt.query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)? as u64))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect()
        };
        const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        Self {
            per_day: pairs(
                "SELECT date(played_at_ms / 1000, 'unixepoch'), count(*) FROM plays GROUP BY 1",
            )
            .into_iter()
            .collect(),
            hour_by_weekday: pairs(
                "SELECT strftime('%w %H', played_at_ms / 1000, 'unixepoch'), count(*)
                 FROM plays GROUP BY 1",
            )
            .into_iter()
            .map(|(key, n)| {
                let (day, hour) = key.split_once(' ').unwrap();
                (
                    format!("{} {hour}", WEEKDAYS[day.parse::<usize>().unwrap()]),
                    n,
                )
            })
            .collect(),
            top_artists: pairs(&format!(
                "SELECT artist.value, count(DISTINCT plays.id) AS n
                 FROM plays, json_each(plays.artists) AS artist
                 GROUP BY artist.value ORDER BY n DESC, artist.value LIMIT {TOP}"
            )),
        }
    }
}

fn sql_count(db: &Path, sql: &str) -> u64 {
    let conn = Connection::open(db).unwrap();
    conn.query_row(sql, [], |row| row.get::<_, i64>(0)).unwrap() as u64
}

/// The `data-…` attribute's value on the page, where one tag carries it.
fn attribute(html: &str, name: &str) -> Option<String> {
    tags(html)
        .into_iter()
        .find_map(|(_, a)| a.get(name).cloned())
}

#[test]
fn the_pages_top_artists_plays_per_day_and_hours_by_weekday_equal_sql_over_the_store() {
    let db = sandbox_store();
    let html = report(db, &["--tz", "UTC"]);
    let expected = Figures::of_sql(db);
    assert!(expected.per_day.len() > 1 && expected.top_artists.len() == TOP);
    assert_eq!(Figures::of_page(&html), expected);
    // Listening time per day: the recordings' lengths added up, in whole minutes.
    let minutes: BTreeMap<String, u64> = tags(&html)
        .into_iter()
        .filter_map(|(_, a)| {
            Some((
                a.get("data-day")?.clone(),
                a.get("data-minutes")?.parse().ok()?,
            ))
        })
        .filter(|(_, m)| *m > 0)
        .collect();
    let conn = Connection::open(db).unwrap();
    let mut per_day = conn
        .prepare(
            "SELECT date(played_at_ms / 1000, 'unixepoch'), sum(duration_ms) / 60000 FROM plays
             GROUP BY 1 HAVING sum(duration_ms) >= 60000",
        )
        .unwrap();
    let expected_minutes: BTreeMap<String, u64> = per_day
        .query_map([], |row| Ok((row.get(0)?, row.get::<_, i64>(1)? as u64)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!expected_minutes.is_empty());
    assert_eq!(minutes, expected_minutes);
    let total = sql_count(db, "SELECT count(*) FROM plays");
    assert_eq!(
        attribute(&html, "data-total-plays"),
        Some(total.to_string())
    );
    for (service, plays) in plays_by(&html, "data-service").into_iter().take(2) {
        assert_eq!(plays, stored(db, &service) as u64, "{service}");
    }
    for chart in [
        "plays-per-day",
        "hours-per-day",
        "hour-by-weekday",
        "top-artists",
        "top-recordings",
        "top-albums",
    ] {
        let figure = html
            .split(&format!("data-chart=\"{chart}\""))
            .nth(1)
            .unwrap_or_else(|| panic!("no {chart} chart"));
        let figure = figure.split("</figure>").next().unwrap();
        assert!(
            figure.contains("<svg") && figure.contains("<rect"),
            "{chart}"
        );
    }
}

#[test]
fn since_until_and_service_select_the_plays_sql_selects() {
    let db = sandbox_store();
    // Bounds that are plays' own times, so that "strictly after" and "at or before" matter.
    let (since, until): (i64, i64) = {
        let conn = Connection::open(db).unwrap();
        let nth = |fraction: f64| -> i64 {
            conn.query_row(
                "SELECT played_at_ms FROM plays WHERE service = 'amazon_music'
                 ORDER BY played_at_ms
                 LIMIT 1 OFFSET CAST((SELECT count(*) FROM plays WHERE service = 'amazon_music')
                                     * ?1 AS INTEGER)",
                [fraction],
                |row| row.get(0),
            )
            .unwrap()
        };
        (nth(0.25), nth(0.75))
    };
    let html = report(
        db,
        &[
            "--since",
            &since.to_string(),
            "--until",
            &until.to_string(),
            "--service",
            "amazon-music",
            "--tz",
            "UTC",
        ],
    );
    let expected = sql_count(
        db,
        &format!(
            "SELECT count(*) FROM plays WHERE service = 'amazon_music'
             AND played_at_ms > {since} AND played_at_ms <= {until}"
        ),
    );
    assert!(expected > 0);
    assert_eq!(
        attribute(&html, "data-total-plays"),
        Some(expected.to_string())
    );
    let services: Vec<String> = plays_by(&html, "data-service")
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert!(services.iter().all(|s| s == "amazon_music"), "{services:?}");
}

/// Sunday 23:30 UTC is Monday in Berlin (00:30 in winter, 01:30 in summer) and still
/// Sunday in New York; the day a play is counted on moves with it.
#[test]
fn tz_moves_each_play_to_its_local_hour_weekday_and_day() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy_of_sandbox(dir.path());
    let winter = 1_704_670_200_000_i64; // 2024-01-07T23:30:00Z, a Sunday
    let summer = 1_720_308_600_000_i64; // 2024-07-06T23:30:00Z, a Saturday
    {
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch(&format!(
            "DELETE FROM plays WHERE id NOT IN (SELECT id FROM plays ORDER BY id LIMIT 2);
             UPDATE plays SET played_at_ms = {winter} WHERE id = (SELECT min(id) FROM plays);
             UPDATE plays SET played_at_ms = {summer} WHERE id = (SELECT max(id) FROM plays);"
        ))
        .unwrap();
    }
    for (zone, cells, days) in [
        ("UTC", ["Sun 23", "Sat 23"], ["2024-01-07", "2024-07-06"]),
        (
            "Europe/Berlin",
            ["Mon 00", "Sun 01"],
            ["2024-01-08", "2024-07-07"],
        ),
        (
            "America/New_York",
            ["Sun 18", "Sat 19"],
            ["2024-01-07", "2024-07-06"],
        ),
    ] {
        let html = report(&db, &["--tz", zone]);
        let figures = Figures::of_page(&html);
        let expected: BTreeMap<String, u64> = cells.iter().map(|c| (c.to_string(), 1)).collect();
        assert_eq!(figures.hour_by_weekday, expected, "{zone}");
        // Over half a year the page counts weeks; each play's week starts on its Monday.
        let weeks: Vec<(String, u64)> = plays_by(&html, "data-week")
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .collect();
        let mondays = days.map(|day| {
            let day: chrono::NaiveDate = day.parse().unwrap();
            use chrono::Datelike;
            (day - chrono::Duration::days(day.weekday().num_days_from_monday().into())).to_string()
        });
        assert_eq!(weeks, mondays.map(|m| (m, 1)).to_vec(), "{zone}");
        assert_eq!(attribute(&html, "data-zone").as_deref(), Some(zone));
    }
}

#[test]
fn the_page_loads_nothing_from_anywhere() {
    let html = report(sandbox_store(), &["--tz", "UTC"]);
    let mut loading = 0;
    for (tag, attributes) in tags(&html) {
        for name in [
            "src",
            "href",
            "srcset",
            "poster",
            "data",
            "action",
            "xlink:href",
        ] {
            if let Some(value) = attributes.get(name) {
                loading += 1;
                assert!(
                    value.starts_with('#'),
                    "<{tag} {name}={value:?}> loads something"
                );
            }
        }
    }
    assert_eq!(loading, 0, "the page has no src or href at all");
    let lower = html.to_lowercase();
    for never in ["<script", "<link", "@import", "url(", "<iframe", "<img"] {
        assert!(!lower.contains(never), "the page has {never}");
    }
}

/// A recording played on two services is one where its plays share an ISRC: the page's
/// count of recordings is SQL's count of distinct ISRCs (else IDs), and the top recording
/// made of both services' plays is one row that names both.
#[test]
fn plays_sharing_an_isrc_are_one_recording_across_services() {
    let dir = tempfile::tempdir().unwrap();
    let db = copy_of_sandbox(dir.path());
    {
        let conn = Connection::open(&db).unwrap();
        // Give 40 Amazon Music plays the ISRC of one Spotify recording: more plays than any.
        conn.execute_batch(
            "UPDATE plays SET isrc = (SELECT isrc FROM plays WHERE service = 'spotify'
                                      AND isrc IS NOT NULL ORDER BY id LIMIT 1)
             WHERE id IN (SELECT id FROM plays WHERE service = 'amazon_music' ORDER BY id LIMIT 40);",
        )
        .unwrap();
    }
    let html = report(&db, &["--tz", "UTC"]);
    let recordings = sql_count(
        &db,
        "SELECT count(DISTINCT CASE WHEN isrc IS NOT NULL THEN 'isrc:' || isrc
                                   WHEN item_id IS NOT NULL THEN service || ':' || item_id
                                   ELSE 'named:' || coalesce(title, '') || artists END)
         FROM plays",
    );
    assert_eq!(
        attribute(&html, "data-recordings"),
        Some(recordings.to_string())
    );
    let shared = sql_count(
        &db,
        "SELECT count(*) FROM plays WHERE isrc = (SELECT isrc FROM plays WHERE service = 'spotify'
                                                  AND isrc IS NOT NULL ORDER BY id LIMIT 1)",
    );
    let table = html
        .split("data-figures=\"top-recordings\"")
        .nth(1)
        .unwrap();
    let first = table
        .split("data-rank=\"1\"")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(
        first.contains(&format!("data-plays=\"{shared}\"")),
        "{first}"
    );
    assert!(first.contains("Spotify, Amazon Music"), "{first}");
}

#[test]
fn a_bad_zone_a_missing_store_and_an_old_one_are_one_sentence_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("page.html");
    let out = out.to_str().unwrap();

    let bad_zone = run(&mut recently_played(&[
        "report",
        "--tz",
        "Mars/Olympus",
        "--out",
        out,
    ]));
    assert_eq!(bad_zone.status.code(), Some(2));
    assert!(
        stderr(&bad_zone).contains("IANA time zone"),
        "{}",
        stderr(&bad_zone)
    );

    let missing = dir.path().join("none.sqlite3");
    let no_store = run(&mut recently_played(&[
        "report",
        "--db",
        missing.to_str().unwrap(),
        "--out",
        out,
    ]));
    assert_eq!(no_store.status.code(), Some(1));
    assert_eq!(
        stderr(&no_store).trim_end(),
        format!(
            "recently-played: no database at {}; run `recently-played sync` first.",
            missing.display()
        )
    );
    assert!(!missing.exists(), "a report creates no database");

    // The report reads and never migrates: a schema 1 store is left as it was.
    let old = dir.path().join("old.sqlite3");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/history-schema-1.sqlite3"),
        &old,
    )
    .unwrap();
    let before = std::fs::read(&old).unwrap();
    let refused = run(&mut recently_played(&[
        "report",
        "--db",
        old.to_str().unwrap(),
        "--out",
        out,
    ]));
    assert_eq!(refused.status.code(), Some(1));
    let said = stderr(&refused);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(
        said.contains("schema version 1, older than the report reads"),
        "{said}"
    );
    assert_eq!(
        std::fs::read(&old).unwrap(),
        before,
        "the store is unchanged"
    );
    assert!(!Path::new(out).exists());
}

#[test]
fn an_empty_range_is_a_page_that_says_so() {
    let html = report(sandbox_store(), &["--until", "0", "--tz", "UTC"]);
    assert_eq!(attribute(&html, "data-empty").as_deref(), Some("true"));
    assert!(!html.contains("<svg"));
}

/// Where Chromium, Node.js and playwright-core are; `None` (with what is missing) when one
/// is not. CI installs all three (`.ci/run`).
fn browser_tools() -> Result<(PathBuf, PathBuf), String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/usr/bin/chromium")))
        .filter(|p| p.is_file())
        .ok_or("no Chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM)")?;
    if !root
        .join("node_modules/playwright-core/package.json")
        .is_file()
    {
        return Err("no node_modules/playwright-core (npm ci)".into());
    }
    let node_runs = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !node_runs {
        return Err("no node".into());
    }
    Ok((chromium, root.to_path_buf()))
}

/// The page as a person sees it: headless Chromium renders it with no console message and
/// no request but the file itself, in light and dark mode; each chart is drawn, labelled,
/// its text in the page's colours; the figures the browser reads equal SQL's; and the
/// screenshot is kept as `target/report-screenshot.png`.
#[test]
fn chromium_renders_the_page_with_no_error_and_no_request_and_the_stores_figures() {
    let (chromium, root) = match browser_tools() {
        Ok(tools) => tools,
        Err(missing) if std::env::var_os("CI").is_some_and(|ci| ci == "true") => {
            panic!("CI must check the page in Chromium: {missing}")
        }
        Err(missing) => {
            eprintln!("skipped: {missing}");
            return;
        }
    };
    let db = sandbox_store();
    let page = db.with_file_name("report-in-chromium.html");
    assert_ok(&run(&mut recently_played(&[
        "report",
        "--db",
        db.to_str().unwrap(),
        "--out",
        page.to_str().unwrap(),
        "--tz",
        "UTC",
    ])));
    let screenshot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../report-screenshot.png");
    let _ = std::fs::remove_file(&screenshot);
    let output = run(Command::new("node")
        .arg(root.join("recently-played/tests/browser/report.mjs"))
        .arg(&page)
        .arg(&screenshot)
        .arg(&chromium)
        .current_dir(&root));
    assert!(output.status.success(), "{}", stderr(&output));
    let seen: Value = serde_json::from_str(&stdout(&output)).expect("one JSON object");

    assert_eq!(seen["console"], serde_json::json!([]), "console messages");
    assert_eq!(seen["pageErrors"], serde_json::json!([]), "page errors");
    let page_url = seen["pageUrl"].as_str().unwrap();
    assert_eq!(
        seen["requests"],
        serde_json::json!([page_url, page_url]),
        "requests"
    );

    let light = &seen["schemes"]["light"];
    let dark = &seen["schemes"]["dark"];
    assert_ne!(
        light["background"], dark["background"],
        "dark mode has its own colours"
    );
    for scheme in [light, dark] {
        let charts = scheme["charts"].as_object().unwrap();
        assert_eq!(charts.len(), 6, "{charts:?}");
        for (name, chart) in charts {
            assert!(chart["width"].as_f64().unwrap() > 300.0, "{name}: {chart}");
            assert!(chart["height"].as_f64().unwrap() > 100.0, "{name}: {chart}");
            assert!(chart["shapes"].as_u64().unwrap() > 0, "{name}: {chart}");
            assert!(chart["texts"].as_u64().unwrap() > 0, "{name}: {chart}");
            assert_eq!(chart["labelled"], true, "{name}");
            assert_eq!(chart["textsInPageColour"], true, "{name}");
        }
        assert_eq!(Figures::of_browser(&scheme["figures"]), Figures::of_sql(db));
    }
    let png = std::fs::read(&screenshot).expect("the screenshot was written");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
        "{} bytes",
        png.len()
    );
}
