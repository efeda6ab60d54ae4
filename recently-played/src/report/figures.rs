//! The figures of the page, counted in one pass over the stored plays: per day and
//! service, per weekday and hour in the user's time zone, per artist, recording and album.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;

/// One stored play, as the report reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StoredPlay {
    /// The service's key (`spotify`, `amazon_music`).
    pub(crate) service: String,
    /// When it was played, Unix milliseconds.
    pub(crate) played_at_ms: i64,
    /// The service's ID of what was played.
    pub(crate) item_id: Option<String>,
    /// Its title.
    pub(crate) title: Option<String>,
    /// Its artists' names.
    pub(crate) artists: Vec<String>,
    /// Its album's name.
    pub(crate) album: Option<String>,
    /// The recording's length, where the service gives it.
    pub(crate) duration_ms: Option<u64>,
    /// The recording's ISRC, where the service gives it.
    pub(crate) isrc: Option<String>,
}

/// Plays and the listening time they stand for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    /// How many plays.
    pub(crate) plays: u64,
    /// Their recordings' lengths added up, for those whose length is known.
    pub(crate) ms: u64,
}

impl Tally {
    fn add(&mut self, duration_ms: Option<u64>) {
        self.plays += 1;
        self.ms = self.ms.saturating_add(duration_ms.unwrap_or(0));
    }
}

/// What names a recording: its ISRC where one is known, so that the same recording on
/// two services (or under two of one service's IDs) is one; else the service's own ID;
/// else its title and artists.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum RecordingKey {
    Isrc(String),
    Item(String, String),
    Named(Option<String>, Vec<String>),
}

/// A recording's figures and how it is shown.
#[derive(Clone, Debug)]
pub(crate) struct Recording {
    /// The title of its first play.
    pub(crate) title: String,
    /// The artists of its first play.
    pub(crate) artists: Vec<String>,
    /// Its plays and time.
    pub(crate) tally: Tally,
    /// The indexes (in [`Figures::services`]) of the services it was played on.
    pub(crate) services: Vec<usize>,
}

/// One service's part of the range.
#[derive(Clone, Debug, Default)]
pub(crate) struct ServiceFigures {
    /// Its key (`spotify`).
    pub(crate) key: String,
    /// Its plays and time.
    pub(crate) tally: Tally,
    /// Its plays with no known length (they add no time).
    pub(crate) unknown_length: u64,
}

/// Everything the page shows, counted from the plays.
#[derive(Debug)]
pub(crate) struct Figures {
    zone: Tz,
    /// The services, first those of `services::ALL` (in that order), then any other key
    /// met in the store.
    pub(crate) services: Vec<ServiceFigures>,
    /// Per local day, per service (indexes of `services`).
    pub(crate) days: BTreeMap<NaiveDate, Vec<Tally>>,
    /// Plays per local weekday (0 = Monday) and hour.
    pub(crate) week_hours: [[u64; 24]; 7],
    /// Per artist name: each play counts once for each of its artists.
    artists: HashMap<String, Tally>,
    recordings: HashMap<RecordingKey, Recording>,
    /// Per (album, its play's first artist).
    albums: HashMap<(String, String), Tally>,
    /// The first and last play, Unix milliseconds.
    pub(crate) first_ms: Option<i64>,
    /// The last play.
    pub(crate) last_ms: Option<i64>,
}

/// A ranked entry of a top list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Ranked<T> {
    /// What is ranked.
    pub(crate) what: T,
    /// Its plays and time.
    pub(crate) tally: Tally,
}

impl Figures {
    /// No plays yet, counted in `zone`, with `known` services listed first.
    pub(crate) fn new(zone: Tz, known: &[&str]) -> Self {
        Self {
            zone,
            services: known
                .iter()
                .map(|key| ServiceFigures {
                    key: (*key).to_string(),
                    ..ServiceFigures::default()
                })
                .collect(),
            days: BTreeMap::new(),
            week_hours: [[0; 24]; 7],
            artists: HashMap::new(),
            recordings: HashMap::new(),
            albums: HashMap::new(),
            first_ms: None,
            last_ms: None,
        }
    }

    /// The zone local days and hours are counted in.
    pub(crate) fn zone(&self) -> Tz {
        self.zone
    }

    /// How many plays were counted.
    pub(crate) fn plays(&self) -> u64 {
        self.services.iter().map(|s| s.tally.plays).sum()
    }

    /// Counts one play. A time out of chrono's range (not written by this program) is
    /// counted in the totals but on no day.
    pub(crate) fn add(&mut self, play: StoredPlay) {
        let service = self.service_index(&play.service);
        let figures = &mut self.services[service];
        figures.tally.add(play.duration_ms);
        figures.unknown_length += u64::from(play.duration_ms.is_none());
        self.first_ms = Some(
            self.first_ms
                .map_or(play.played_at_ms, |f| f.min(play.played_at_ms)),
        );
        self.last_ms = Some(
            self.last_ms
                .map_or(play.played_at_ms, |l| l.max(play.played_at_ms)),
        );

        if let Some(at) = DateTime::<Utc>::from_timestamp_millis(play.played_at_ms) {
            let local = at.with_timezone(&self.zone);
            let count = self.services.len();
            let day = self
                .days
                .entry(local.date_naive())
                .or_insert_with(|| vec![Tally::default(); count]);
            day.resize(count, Tally::default());
            day[service].add(play.duration_ms);
            let weekday = local.weekday().num_days_from_monday() as usize;
            self.week_hours[weekday][local.hour() as usize] += 1;
        }

        let mut artists = play.artists.clone();
        artists.sort_unstable();
        artists.dedup();
        for artist in artists {
            self.artists
                .entry(artist)
                .or_default()
                .add(play.duration_ms);
        }
        if let (Some(album), Some(first_artist)) = (&play.album, play.artists.first()) {
            self.albums
                .entry((album.clone(), first_artist.clone()))
                .or_default()
                .add(play.duration_ms);
        }
        let key = match (&play.isrc, &play.item_id) {
            (Some(isrc), _) => RecordingKey::Isrc(isrc.clone()),
            (None, Some(id)) => RecordingKey::Item(play.service.clone(), id.clone()),
            (None, None) => RecordingKey::Named(play.title.clone(), play.artists.clone()),
        };
        let recording = self.recordings.entry(key).or_insert_with(|| Recording {
            title: play
                .title
                .clone()
                .unwrap_or_else(|| "(untitled)".to_string()),
            artists: play.artists.clone(),
            tally: Tally::default(),
            services: Vec::new(),
        });
        recording.tally.add(play.duration_ms);
        if !recording.services.contains(&service) {
            recording.services.push(service);
            recording.services.sort_unstable();
        }
    }

    fn service_index(&mut self, key: &str) -> usize {
        match self.services.iter().position(|s| s.key == key) {
            Some(at) => at,
            None => {
                self.services.push(ServiceFigures {
                    key: key.to_string(),
                    ..ServiceFigures::default()
                });
                self.services.len() - 1
            }
        }
    }

    /// How many different recordings were played (one per ISRC, see [`RecordingKey`]).
    pub(crate) fn recordings(&self) -> usize {
        self.recordings.len()
    }

    /// The `n` artists with the most plays (ties by name).
    pub(crate) fn top_artists(&self, n: usize) -> Vec<Ranked<String>> {
        top(&self.artists, n)
    }

    /// The `n` albums with the most plays: `(album, artist)`.
    pub(crate) fn top_albums(&self, n: usize) -> Vec<Ranked<(String, String)>> {
        top(&self.albums, n)
    }

    /// The `n` recordings with the most plays (ties by title, then artists).
    pub(crate) fn top_recordings(&self, n: usize) -> Vec<Ranked<Recording>> {
        let all: Vec<&Recording> = self.recordings.values().collect();
        first_n(all, n, |a, b| {
            b.tally
                .plays
                .cmp(&a.tally.plays)
                .then_with(|| a.title.cmp(&b.title))
                .then_with(|| a.artists.cmp(&b.artists))
        })
        .into_iter()
        .map(|r| Ranked {
            what: r.clone(),
            tally: r.tally,
        })
        .collect()
    }
}

/// The `n` keys of `tallies` with the most plays, ties in the order of their keys.
fn top<T: Ord + Clone>(tallies: &HashMap<T, Tally>, n: usize) -> Vec<Ranked<T>> {
    let all: Vec<(&T, &Tally)> = tallies.iter().collect();
    first_n(all, n, |a, b| {
        b.1.plays.cmp(&a.1.plays).then_with(|| a.0.cmp(b.0))
    })
    .into_iter()
    .map(|(what, tally)| Ranked {
        what: what.clone(),
        tally: *tally,
    })
    .collect()
}

/// The first `n` of `items` in `order`, in that order: a selection (linear) and then a sort
/// of those `n` alone, since a history holds many more items than a top list shows.
fn first_n<T>(mut items: Vec<T>, n: usize, order: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    if n == 0 {
        return Vec::new();
    }
    if items.len() > n {
        items.select_nth_unstable_by(n - 1, &order);
        items.truncate(n);
    }
    items.sort_by(order);
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    fn play(service: &str, at: &str, isrc: Option<&str>, artists: &[&str]) -> StoredPlay {
        StoredPlay {
            service: service.into(),
            played_at_ms: at.parse::<DateTime<Utc>>().unwrap().timestamp_millis(),
            item_id: Some(format!("{service}:{at}")),
            title: Some("Song".into()),
            artists: artists.iter().map(|a| (*a).to_string()).collect(),
            album: Some("Album".into()),
            duration_ms: (service == "spotify").then_some(200_000),
            isrc: isrc.map(Into::into),
        }
    }

    #[test]
    fn a_recording_shared_by_isrc_is_one_whatever_the_service_and_id() {
        let mut figures = Figures::new(Tz::UTC, &["spotify", "amazon_music"]);
        figures.add(play("spotify", "2024-05-01T10:00:00Z", Some("QZ1"), &["A"]));
        figures.add(play(
            "amazon_music",
            "2024-05-01T11:00:00Z",
            Some("QZ1"),
            &["A"],
        ));
        figures.add(play("spotify", "2024-05-01T12:00:00Z", None, &["A"]));
        assert_eq!(figures.recordings(), 2);
        let top = figures.top_recordings(1);
        assert_eq!(
            top[0].tally,
            Tally {
                plays: 2,
                ms: 200_000
            }
        );
        assert_eq!(top[0].what.services, vec![0, 1]);
        assert_eq!(figures.services[1].unknown_length, 1);
    }

    #[test]
    fn a_service_the_program_does_not_list_is_counted_under_its_own_key() {
        let mut figures = Figures::new(Tz::UTC, &["spotify"]);
        figures.add(play("elsewhere", "2024-05-01T10:00:00Z", None, &["A"]));
        figures.add(play("spotify", "2024-05-01T11:00:00Z", None, &["A"]));
        let keys: Vec<&str> = figures.services.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ["spotify", "elsewhere"]);
        assert_eq!(figures.services[1].tally.plays, 1);
    }

    #[test]
    fn a_play_counts_once_per_artist_and_ties_rank_by_name() {
        let mut figures = Figures::new(Tz::UTC, &["spotify"]);
        figures.add(play(
            "spotify",
            "2024-05-01T10:00:00Z",
            None,
            &["B", "A", "B"],
        ));
        figures.add(play("spotify", "2024-05-01T11:00:00Z", None, &["C"]));
        let names: Vec<(String, u64)> = figures
            .top_artists(10)
            .into_iter()
            .map(|r| (r.what, r.tally.plays))
            .collect();
        assert_eq!(names, [("A".into(), 1), ("B".into(), 1), ("C".into(), 1)]);
    }

    #[test]
    fn days_and_hours_are_the_zones() {
        // Sunday 23:30 UTC is Monday 00:30 in Berlin (winter) and Sunday 18:30 in New York.
        for (zone, day, weekday, hour) in [
            (Tz::UTC, "2024-01-07", 6, 23),
            (chrono_tz::Europe::Berlin, "2024-01-08", 0, 0),
            (chrono_tz::America::New_York, "2024-01-07", 6, 18),
        ] {
            let mut figures = Figures::new(zone, &["spotify"]);
            figures.add(play("spotify", "2024-01-07T23:30:00Z", None, &["A"]));
            assert_eq!(
                figures.days.keys().next(),
                Some(&day.parse().unwrap()),
                "{zone}"
            );
            assert_eq!(figures.week_hours[weekday][hour], 1, "{zone}");
        }
    }
}
