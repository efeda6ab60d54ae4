//! The page: the figures made into rows, charts and words, and the template
//! (`page.html`, minijinja, HTML-escaped) filled with them.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use minijinja::value::Serde;
use minijinja::{Environment, Value, context};
use serde::Serialize;

use super::ReportError;
use super::charts::{self, Series};
use super::figures::{Figures, Tally};
use super::query::RecordedGap;
use crate::store::Filter;

/// How many artists, recordings and albums the top lists show.
const TOP: usize = 15;

/// Beyond this many days between the first and last play, the history is shown per week.
const MOST_DAYS: i64 = 92;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// What the page is made from.
pub(crate) struct Request<'a> {
    /// The counted plays.
    pub(crate) figures: &'a Figures,
    /// The gaps recorded for the range.
    pub(crate) gaps: &'a [RecordedGap],
    /// The range and service asked for.
    pub(crate) filter: &'a Filter,
    /// Where the time zone came from (`--tz`, `$TZ`, the system's).
    pub(crate) zone_source: &'a str,
    /// When the page was made.
    pub(crate) generated_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct Page {
    zone: String,
    zone_source: String,
    generated_at: String,
    range: String,
    plays: u64,
    listening: String,
    recordings: usize,
    first_play: Option<String>,
    last_play: Option<String>,
    services: Vec<ServiceRow>,
    period: &'static str,
    buckets: Vec<Bucket>,
    weekdays: Vec<WeekdayRow>,
    hours: Vec<String>,
    top_artists: Vec<RankedRow>,
    top_recordings: Vec<RankedRow>,
    top_albums: Vec<RankedRow>,
    gaps: Vec<GapRow>,
    unknown_length: u64,
}

#[derive(Serialize)]
struct ServiceRow {
    key: String,
    name: String,
    plays: u64,
    listening: String,
    unknown_length: u64,
    color: String,
}

#[derive(Serialize)]
struct Bucket {
    /// `2024-05-01`: the day, or the Monday the week starts on.
    key: String,
    plays: Vec<u64>,
    minutes: Vec<u64>,
    total_plays: u64,
    total_minutes: u64,
}

#[derive(Serialize)]
struct WeekdayRow {
    name: &'static str,
    hours: Vec<u64>,
    total: u64,
}

#[derive(Serialize)]
struct RankedRow {
    rank: usize,
    name: String,
    by: String,
    plays: u64,
    listening: String,
    services: String,
}

#[derive(Serialize)]
struct GapRow {
    service: String,
    detected_at: String,
    after: String,
    before: String,
    new_plays: i64,
    note: String,
}

/// The page, as HTML.
pub(crate) fn render(request: &Request<'_>) -> Result<String, ReportError> {
    let figures = request.figures;
    let zone = figures.zone();
    let local = |ms: i64| {
        DateTime::<Utc>::from_timestamp_millis(ms).map_or_else(
            || format!("{ms} ms"),
            |t| t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string(),
        )
    };
    let names: Vec<String> = figures
        .services
        .iter()
        .map(|s| service_name(&s.key))
        .collect();
    let (period, buckets) = buckets(figures);
    let week_hours = &figures.week_hours;
    let page = Page {
        zone: zone.name().to_string(),
        zone_source: request.zone_source.to_string(),
        generated_at: request
            .generated_at
            .with_timezone(&zone)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        range: range(request.filter, &local),
        plays: figures.plays(),
        listening: listening(figures.services.iter().map(|s| s.tally.ms).sum()),
        recordings: figures.recordings(),
        first_play: figures.first_ms.map(local),
        last_play: figures.last_ms.map(local),
        services: figures
            .services
            .iter()
            .zip(&names)
            .enumerate()
            .map(|(i, (s, name))| ServiceRow {
                key: s.key.clone(),
                name: name.clone(),
                plays: s.tally.plays,
                listening: listening(s.tally.ms),
                unknown_length: s.unknown_length,
                color: color(i),
            })
            .collect(),
        period,
        weekdays: WEEKDAYS
            .iter()
            .zip(week_hours)
            .map(|(name, hours)| WeekdayRow {
                name,
                hours: hours.to_vec(),
                total: hours.iter().sum(),
            })
            .collect(),
        hours: (0..24).map(|h| format!("{h:02}")).collect(),
        top_artists: figures
            .top_artists(TOP)
            .into_iter()
            .enumerate()
            .map(|(i, r)| ranked(i, r.what, String::new(), r.tally, String::new()))
            .collect(),
        top_recordings: figures
            .top_recordings(TOP)
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let on: Vec<&str> = r.what.services.iter().map(|&s| names[s].as_str()).collect();
                ranked(
                    i,
                    r.what.title,
                    r.what.artists.join(", "),
                    r.tally,
                    on.join(", "),
                )
            })
            .collect(),
        top_albums: figures
            .top_albums(TOP)
            .into_iter()
            .enumerate()
            .map(|(i, r)| ranked(i, r.what.0, r.what.1, r.tally, String::new()))
            .collect(),
        gaps: request
            .gaps
            .iter()
            .map(|gap| GapRow {
                service: service_name(&gap.service),
                detected_at: gap.detected_at.clone(),
                after: gap.after_ms.map_or_else(|| "—".to_string(), local),
                before: gap.before_ms.map_or_else(|| "—".to_string(), local),
                new_plays: gap.new_plays,
                note: gap.note.clone(),
            })
            .collect(),
        unknown_length: figures.services.iter().map(|s| s.unknown_length).sum(),
        buckets,
    };
    let charts = draw_charts(&page, &names, week_hours).map_err(|e| ReportError::Render(e.0))?;
    let mut env = Environment::new();
    env.add_template("page.html", include_str!("page.html"))
        .map_err(|e| ReportError::Render(e.to_string()))?;
    env.get_template("page.html")
        .and_then(|t| t.render(context! { page => Serde(&page), charts }))
        .map_err(|e| ReportError::Render(e.to_string()))
}

/// Each chart's SVG, marked safe for the template (plotters escapes the text it draws).
fn draw_charts(
    page: &Page,
    names: &[String],
    week_hours: &[[u64; 24]; 7],
) -> Result<Value, charts::ChartError> {
    let labels: Vec<String> = page.buckets.iter().map(|b| b.key.clone()).collect();
    let series = |of: fn(&Bucket, usize) -> f64| -> Vec<Series<'_>> {
        names
            .iter()
            .enumerate()
            .map(|(i, name)| Series {
                name,
                values: page.buckets.iter().map(|b| of(b, i)).collect(),
            })
            .collect()
    };
    let plays = charts::stacked_bars(&labels, &series(|b, i| b.plays[i] as f64), "plays")?;
    let hours = charts::stacked_bars(&labels, &series(|b, i| b.minutes[i] as f64 / 60.0), "hours")?;
    let ranked = |rows: &[RankedRow]| {
        let labels: Vec<String> = rows
            .iter()
            .map(|r| match r.by.as_str() {
                "" => r.name.clone(),
                by => format!("{} — {by}", r.name),
            })
            .collect();
        let plays: Vec<u64> = rows.iter().map(|r| r.plays).collect();
        charts::ranked_bars(&labels, &plays)
    };
    Ok(context! {
        plays => Value::from_safe_string(plays),
        hours => Value::from_safe_string(hours),
        week_hours => Value::from_safe_string(charts::heatmap(week_hours, &WEEKDAYS)?),
        artists => Value::from_safe_string(ranked(&page.top_artists)?),
        recordings => Value::from_safe_string(ranked(&page.top_recordings)?),
        albums => Value::from_safe_string(ranked(&page.top_albums)?),
    })
}

/// The days (or, over a long range, the weeks from Monday) from the first play to the last,
/// each with its plays and minutes per service, empty ones included.
fn buckets(figures: &Figures) -> (&'static str, Vec<Bucket>) {
    let (Some(first), Some(last)) = (figures.days.keys().next(), figures.days.keys().last()) else {
        return ("day", Vec::new());
    };
    let by_week = (*last - *first).num_days() > MOST_DAYS;
    let start_of = |day: NaiveDate| {
        if by_week {
            day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
        } else {
            day
        }
    };
    let step = Duration::days(if by_week { 7 } else { 1 });
    let count = figures.services.len();
    let mut buckets = Vec::new();
    let mut at = start_of(*first);
    while at <= *last {
        buckets.push((at, vec![Tally::default(); count]));
        at += step;
    }
    let first_start = start_of(*first);
    for (day, tallies) in &figures.days {
        let index = ((start_of(*day) - first_start).num_days() / step.num_days()) as usize;
        for (sum, one) in buckets[index].1.iter_mut().zip(tallies) {
            sum.plays += one.plays;
            sum.ms += one.ms;
        }
    }
    let period = if by_week { "week" } else { "day" };
    let rows = buckets
        .into_iter()
        .map(|(start, tallies)| Bucket {
            key: start.format("%Y-%m-%d").to_string(),
            plays: tallies.iter().map(|t| t.plays).collect(),
            minutes: tallies.iter().map(|t| t.ms / 60_000).collect(),
            total_plays: tallies.iter().map(|t| t.plays).sum(),
            total_minutes: tallies.iter().map(|t| t.ms).sum::<u64>() / 60_000,
        })
        .collect();
    (period, rows)
}

fn ranked(index: usize, name: String, by: String, tally: Tally, services: String) -> RankedRow {
    RankedRow {
        rank: index + 1,
        name,
        by,
        plays: tally.plays,
        listening: listening(tally.ms),
        services,
    }
}

/// The service's name (`Amazon Music`) where the program knows its key, else the key.
fn service_name(key: &str) -> String {
    crate::services::ALL
        .iter()
        .find(|s| s.key == key)
        .map_or_else(|| key.to_string(), |s| s.name.to_string())
}

fn color(index: usize) -> String {
    let c = charts::PALETTE[index % charts::PALETTE.len()];
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// `ms` as "3 h 25 min", "42 min".
fn listening(ms: u64) -> String {
    let minutes = ms / 60_000;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m:02} min"),
    }
}

/// The range asked for, in words.
fn range(filter: &Filter, local: &impl Fn(i64) -> String) -> String {
    let service = filter
        .service
        .as_deref()
        .map_or_else(String::new, |key| format!(" ({} only)", service_name(key)));
    let at = |t: Option<DateTime<Utc>>| t.map(|t| local(t.timestamp_millis()));
    let range = match (at(filter.since), at(filter.until)) {
        (None, None) => "The whole history".to_string(),
        (Some(since), None) => format!("After {since}"),
        (None, Some(until)) => format!("Up to {until}"),
        (Some(since), Some(until)) => format!("After {since}, up to {until}"),
    };
    range + &service
}

#[cfg(test)]
mod tests {
    use super::super::figures::StoredPlay;
    use super::*;

    /// One play of `service` at `at` (RFC 3339) lasting `minutes`.
    fn play(service: &str, at: &str, minutes: u64) -> StoredPlay {
        StoredPlay {
            service: service.to_string(),
            played_at_ms: DateTime::parse_from_rfc3339(at)
                .expect("a time")
                .timestamp_millis(),
            item_id: Some(format!("{service}-{at}")),
            title: Some(format!("Song at {at}")),
            artists: vec!["Artist".to_string()],
            album: Some("Album".to_string()),
            duration_ms: Some(minutes * 60_000),
            isrc: None,
        }
    }

    /// The `index`th `<svg>` of `html`, whole.
    fn svg(html: &str, index: usize) -> &str {
        let start = html.match_indices("<svg").nth(index).expect("a chart").0;
        let len = html[start..].find("</svg>").expect("its end") + "</svg>".len();
        &html[start..start + len]
    }

    /// The heights of the bars of `svg` filled with `color` (`#rrggbb`), in drawing order.
    fn bar_heights(svg: &str, color: &str) -> Vec<f64> {
        svg.split("<rect")
            .skip(1)
            .filter(|r| {
                r.to_ascii_lowercase()
                    .contains(&format!("fill=\"{color}\""))
            })
            .map(|r| {
                let at = r.find(" height=\"").expect("a height") + 9;
                let len = r[at..].find('"').expect("a quote");
                r[at..at + len].parse().expect("a number")
            })
            .filter(|&height: &f64| height > 10.0) // not the legend's swatch
            .collect()
    }

    #[test]
    fn each_day_gives_each_service_s_minutes_and_the_hours_chart_draws_them_as_hours() {
        let mut figures = Figures::new(chrono_tz::UTC, &["spotify", "amazon_music"]);
        figures.add(play("spotify", "2024-05-01T10:00:00Z", 15));
        figures.add(play("spotify", "2024-05-01T11:00:00Z", 15));
        figures.add(play("amazon_music", "2024-05-02T10:00:00Z", 120));
        let filter = Filter {
            service: None,
            since: None,
            until: None,
        };
        let request = Request {
            figures: &figures,
            gaps: &[],
            filter: &filter,
            zone_source: "--tz",
            generated_at: DateTime::from_timestamp(1_714_600_000, 0).expect("a time"),
        };
        let html = render(&request).expect("a page");
        assert!(
            html.contains(
                "<td class=\"n\" data-service=\"spotify\" data-plays=\"2\">2</td><td class=\"n\">30</td>"
            ),
            "Spotify's 2 plays and 30 minutes on 2024-05-01"
        );
        assert!(
            html.contains(
                "<td class=\"n\" data-service=\"amazon_music\" data-plays=\"1\">1</td><td class=\"n\">120</td>"
            ),
            "Amazon Music's play of 120 minutes on 2024-05-02"
        );
        // Each service's swatch in the table is the colour of its bars in the charts.
        let (spotify, amazon) = (color(0), color(1));
        assert!(
            html.contains(&format!("background: {spotify}")),
            "{spotify}"
        );
        assert!(html.contains(&format!("background: {amazon}")), "{amazon}");
        let plays = svg(&html, 0);
        assert_eq!(
            bar_heights(plays, &spotify).len(),
            1,
            "a bar on the first day"
        );
        assert_eq!(
            bar_heights(plays, &amazon).len(),
            1,
            "a bar on the second day"
        );
        // The second chart is in hours: 2 hours are 4 times half an hour.
        let hours = svg(&html, 1);
        let written: String = hours.split_whitespace().collect();
        assert!(written.contains(">hours</text>"), "its unit");
        let ticks: Vec<f64> = written
            .split("</text>")
            .filter_map(|text| text.rsplit('>').next()?.parse().ok())
            .collect();
        let top = ticks.iter().copied().fold(0.0, f64::max);
        assert!((2.0..2.2).contains(&top), "an axis up to 2 h: {ticks:?}");
        let (day_one, day_two) = (bar_heights(hours, &spotify), bar_heights(hours, &amazon));
        assert_eq!(
            (day_one.len(), day_two.len()),
            (1, 1),
            "{day_one:?} {day_two:?}"
        );
        assert!(
            (day_two[0] / day_one[0] - 4.0).abs() < 0.1,
            "2 h against 30 min: {day_two:?} against {day_one:?}"
        );
    }

    #[test]
    fn listening_time_reads_in_hours_and_minutes() {
        assert_eq!(listening(0), "0 min");
        assert_eq!(listening(59_999), "0 min");
        assert_eq!(listening(42 * 60_000), "42 min");
        assert_eq!(listening((3 * 60 + 5) * 60_000), "3 h 05 min");
    }
}
