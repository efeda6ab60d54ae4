//! What the ListenBrainz simulation serves: listens, the user they belong to, and a realistic
//! history of them.

use std::sync::Arc;

use listenbrainz_api::types::{
    self, AdditionalInfo, MbidMapping, MbidMappingArtist, TrackMetadata,
};
use serde_json::{Map, Value, json};

use super::{DEFAULT_TOKEN, DEFAULT_USER_NAME};
use crate::random::{self, Rng};
use crate::spotify::fnv1a;

/// One listen: when it started, when the server stored it, and what was listened to.
///
/// The metadata is shared (an [`Arc`]): a history of 100,000 listens of a few thousand
/// recordings holds each recording's metadata once. The listen's `recording_msid` is its
/// metadata's `additional_info.recording_msid`, as the server serves it (`listenbrainz/listen.py`
/// line 137).
#[derive(Clone, Debug, PartialEq)]
pub struct ListenBrainzListen {
    /// When the listen started, Unix seconds.
    pub listened_at: i64,
    /// When the server stored it, Unix seconds (later than `listened_at` by seconds for a
    /// listen submitted as it happened, by years for an imported one).
    pub inserted_at: i64,
    /// What was listened to, served as the listen's `track_metadata`.
    pub track_metadata: Arc<TrackMetadata>,
}

impl ListenBrainzListen {
    /// A listen at `listened_at` (Unix seconds), stored the same second, of `track_name` by
    /// `artist_name`, with no release, no MusicBrainz mapping and nothing else the client might
    /// have sent. Its `recording_msid` is made from the names without regard to case, as
    /// MessyBrainz gives one ID to each case-insensitive combination of the submitted
    /// metadata (`listenbrainz/messybrainz/__init__.py` lines 98-111): two listens of the same
    /// names share it, and two listens of other names in the same second are told apart by it.
    ///
    /// ```
    /// use music_history_sandbox::listenbrainz::ListenBrainzListen;
    ///
    /// let a = ListenBrainzListen::new(1_771_414_109, "Röyksopp", "Some Resolve");
    /// let b = ListenBrainzListen::new(1_771_414_109, "RÖYKSOPP", "some resolve");
    /// let c = ListenBrainzListen::new(1_771_414_109, "Röyksopp", "Sorry");
    /// assert_eq!(a.recording_msid(), b.recording_msid());
    /// assert_ne!(a.recording_msid(), c.recording_msid());
    /// assert_eq!(a.track_metadata.release_name, None);
    /// ```
    pub fn new(listened_at: i64, artist_name: &str, track_name: &str) -> Self {
        let recording_msid = msid(&[artist_name, track_name]);
        Self {
            listened_at,
            inserted_at: listened_at,
            track_metadata: Arc::new(TrackMetadata {
                additional_info: additional_info(recording_msid),
                artist_name: artist_name.to_owned(),
                mbid_mapping: None,
                release_name: None,
                track_name: track_name.to_owned(),
                extra: Map::new(),
            }),
        }
    }

    /// The listen's MessyBrainz ID: with `listened_at`, what names it among the user's listens.
    pub fn recording_msid(&self) -> &str {
        &self.track_metadata.additional_info.recording_msid
    }

    /// The listen as the API serves it, for user `user_name` (the stored spelling).
    pub(super) fn to_api(&self, user_name: &str) -> types::Listen {
        types::Listen {
            inserted_at: self.inserted_at,
            listened_at: self.listened_at,
            recording_msid: self.recording_msid().to_owned(),
            track_metadata: TrackMetadata::clone(&self.track_metadata),
            user_name: user_name.to_owned(),
        }
    }
}

/// What a [`ListenBrainzSimulation`](super::ListenBrainzSimulation) starts from: one user, their
/// listens and their token.
#[derive(Clone, Debug, PartialEq)]
pub struct ListenBrainzHistory {
    /// The user's name as stored (default [`DEFAULT_USER_NAME`]); a request may spell it in any
    /// case.
    pub user_name: String,
    /// The user's token (default [`DEFAULT_TOKEN`]), which `validate-token` knows.
    pub token: String,
    /// The listens, in any order (served newest first). Two with the same `listened_at` and
    /// `recording_msid` are one listen: the first is kept.
    pub listens: Vec<ListenBrainzListen>,
}

/// Where [`ListenBrainzHistory::realistic`] ends: 2024-05-01T12:00:00Z, where the other
/// simulations' histories end, so that the built-in sandbox's services share one stretch
/// of time (a report of its store charts days, not years).
const NEWEST: i64 = 1_714_564_800;

impl ListenBrainzHistory {
    /// `listens` of user [`DEFAULT_USER_NAME`], with token [`DEFAULT_TOKEN`].
    pub fn new(listens: Vec<ListenBrainzListen>) -> Self {
        Self {
            user_name: DEFAULT_USER_NAME.to_owned(),
            token: DEFAULT_TOKEN.to_owned(),
            listens,
        }
    }

    /// `n` listens, the same for the same `seed`, newest first, the newest at
    /// 2024-05-01T12:00:00Z (where the other simulations' histories end). Listens are half a minute to seven minutes apart,
    /// with a break of days now and then, and now and then two in the same second (of two
    /// recordings, so with two `recording_msid`s). About two in three are mapped to
    /// MusicBrainz (`mbid_mapping` with the recording, release, artists and, for some, cover
    /// art and links; some mapped from the `recording_mbid` their client sent); the others
    /// are not. Some have no `release_name`, some an `isrc`, a `duration_ms`, a
    /// `tracknumber` as a number or as a string, a key the reference does not list, or a
    /// nested one their client sent, stored flattened. The oldest third was imported from
    /// Last.fm after the user began submitting listens as they happened, and says so (`inserted_at`,
    /// `original_submission_client`). Names repeat: the listens are of a few thousand
    /// recordings at most.
    ///
    /// ```
    /// use music_history_sandbox::listenbrainz::ListenBrainzHistory;
    ///
    /// let history = ListenBrainzHistory::realistic(300, 4);
    /// assert_eq!(history, ListenBrainzHistory::realistic(300, 4));
    /// let listens = &history.listens;
    /// assert_eq!(listens.len(), 300);
    /// assert!(listens.windows(2).all(|pair| pair[0].listened_at >= pair[1].listened_at));
    /// assert!(listens.iter().any(|l| l.track_metadata.mbid_mapping.is_some()));
    /// assert!(listens.iter().any(|l| l.track_metadata.mbid_mapping.is_none()));
    /// assert!(listens.iter().any(|l| l.track_metadata.release_name.is_none()));
    /// assert!(listens.iter().any(|l| l.track_metadata.additional_info.isrc.is_some()));
    /// ```
    pub fn realistic(n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let artists: Vec<(String, String)> = (0..(n / 40).clamp(6, 300))
            .map(|_| (random::artist_name(&mut rng), uuid(&mut rng)))
            .collect();
        let releases: Vec<Release> = (0..(n / 30).clamp(6, 600))
            .map(|_| Release::new(&mut rng))
            .collect();
        let recordings: Vec<Arc<TrackMetadata>> = (0..(n / 8).clamp(12, 4000))
            .map(|_| Arc::new(recording(&mut rng, &artists, &releases)))
            .collect();
        // The oldest third was imported from Last.fm an hour after the oldest listen submitted
        // as it happened.
        let imported = n - n / 3 * 2;
        let mut import_at = NEWEST + 3_600;
        let mut listens = Vec::with_capacity(n);
        let mut listened_at = NEWEST;
        let mut previous: Option<usize> = None;
        for i in 0..n {
            let same_second = previous.is_some() && rng.one_in(40);
            if !same_second && i > 0 {
                listened_at -= if rng.one_in(500) {
                    rng.between(86_400, 10 * 86_400) as i64
                } else {
                    rng.between(30, 420) as i64
                };
            }
            let mut pick = rng.below(recordings.len() as u64) as usize;
            if same_second && Some(pick) == previous {
                // Another recording: the same one twice in a second would be one listen.
                pick = (pick + 1) % recordings.len();
            }
            previous = Some(pick);
            let inserted_at = if i >= n - imported {
                import_at + ((n - i) / 100) as i64
            } else {
                import_at = listened_at + 3_600;
                listened_at + rng.between(1, 300) as i64
            };
            listens.push(ListenBrainzListen {
                listened_at,
                inserted_at,
                track_metadata: Arc::clone(&recordings[pick]),
            });
        }
        for listen in &mut listens[n - imported..] {
            let mut metadata = TrackMetadata::clone(&listen.track_metadata);
            let info = &mut metadata.additional_info;
            info.original_submission_client = Some(json!("Last.fm"));
            info.submission_client = Some(json!("ListenBrainz Importer"));
            info.music_service = Some(json!("last.fm"));
            listen.track_metadata = Arc::new(metadata);
        }
        Self::new(listens)
    }
}

/// A release of the made-up catalogue, with its MusicBrainz IDs and, for some, cover art.
struct Release {
    name: String,
    mbid: String,
    group_mbid: String,
    cover: Option<i64>,
}

impl Release {
    fn new(rng: &mut Rng) -> Self {
        Self {
            name: random::title(rng),
            mbid: uuid(rng),
            group_mbid: uuid(rng),
            cover: (!rng.one_in(3)).then(|| rng.between(1_000_000_000, 40_000_000_000) as i64),
        }
    }
}

const CLIENTS: &[(&str, &str)] = &[
    ("navidrome", "0.58.0 (9dbe0c18)"),
    ("Pano Scrobbler", "3.14.1"),
    ("Web Scrobbler", "3.11.0"),
    ("ListenBrainz Android", "2.12.4"),
];

/// One recording's metadata as a client submitted it and the server mapped it (or not).
fn recording(rng: &mut Rng, artists: &[(String, String)], releases: &[Release]) -> TrackMetadata {
    let track_name = random::title(rng);
    let (artist_name, artist_mbid) = rng.pick(artists).clone();
    let featured = rng.one_in(6).then(|| rng.pick(artists).clone());
    let release = rng.pick(releases);
    let release_name = (!rng.one_in(8)).then(|| release.name.clone());
    let credit = match &featured {
        Some((name, _)) => format!("{artist_name} feat. {name}"),
        None => artist_name.clone(),
    };
    let duration_ms = rng.between(95_000, 480_000) as i64;
    let (client, version) = *rng.pick(CLIENTS);
    let mut info = additional_info(msid(&[
        &credit,
        &track_name,
        release_name.as_deref().unwrap_or(""),
    ]));
    info.submission_client = Some(json!(client));
    info.submission_client_version = Some(json!(version));
    if rng.one_in(2) {
        info.duration_ms = Some(json!(duration_ms));
    }
    if rng.one_in(3) {
        info.isrc = Some(json!(format!(
            "GB{}{:02}{:05}",
            rng.string(random::UPPER_ALNUM, 3),
            rng.below(100),
            rng.below(100_000)
        )));
    }
    match rng.below(4) {
        0 => info.tracknumber = Some(json!(rng.between(1, 14))),
        1 => info.tracknumber = Some(json!(rng.between(1, 14).to_string())),
        _ => {}
    }
    if rng.one_in(4) {
        info.music_service = Some(json!("spotify.com"));
        let id = rng.string(random::BASE62, 22);
        info.spotify_id = Some(json!(format!("https://open.spotify.com/track/{id}")));
        info.origin_url = Some(json!(format!("https://open.spotify.com/track/{id}")));
    }
    if rng.one_in(7) {
        // A key the reference does not list, and one a client sent nested, stored flattened
        // (`listenbrainz/listen.py` lines 7-26).
        info.extra.insert("listening_from".into(), json!("radio"));
        info.extra.insert("navidrome.player".into(), json!("web"));
    }
    let recording_mbid = uuid(rng);
    let mapped = !rng.one_in(3);
    if mapped && rng.one_in(3) {
        // The client knew the recording: the server's mapping uses that MBID
        // (`listenbrainz/listenstore/timescale_listenstore.py` line 246).
        info.recording_mbid = Some(recording_mbid.clone());
        info.release_mbid = Some(release.mbid.clone());
        info.artist_mbids = vec![artist_mbid.clone()];
    }
    let mbid_mapping = mapped.then(|| {
        let mut credited = vec![MbidMappingArtist {
            artist_credit_name: artist_name.clone(),
            artist_mbid: artist_mbid.clone(),
            join_phrase: String::new(),
        }];
        if let Some((name, mbid)) = &featured {
            credited[0].join_phrase = " feat. ".into();
            credited.push(MbidMappingArtist {
                artist_credit_name: name.clone(),
                artist_mbid: mbid.clone(),
                join_phrase: String::new(),
            });
        }
        let url_rels = if rng.one_in(3) {
            vec![types::UrlRel {
                type_: "free streaming".into(),
                url: format!(
                    "https://open.spotify.com/track/{}",
                    rng.string(random::BASE62, 22)
                ),
            }]
        } else {
            Vec::new()
        };
        MbidMapping {
            artist_mbids: credited.iter().map(|a| a.artist_mbid.clone()).collect(),
            artists: credited,
            caa_id: release.cover,
            caa_release_mbid: release.cover.map(|_| release.mbid.clone()),
            recording_mbid,
            recording_name: Some(track_name.clone()),
            release_group_mbid: Some(release.group_mbid.clone()),
            release_mbid: Some(release.mbid.clone()),
            url_rels,
        }
    });
    TrackMetadata {
        additional_info: info,
        artist_name: credit,
        mbid_mapping,
        release_name,
        track_name,
        extra: Map::new(),
    }
}

/// An `additional_info` with only the server's `recording_msid` in it.
fn additional_info(recording_msid: String) -> AdditionalInfo {
    AdditionalInfo {
        artist_mbids: Vec::new(),
        duration: None,
        duration_ms: None,
        duration_played: None,
        isrc: None,
        label: None,
        media_player: None,
        media_player_version: None,
        music_service: None,
        music_service_name: None,
        origin_url: None,
        original_submission_client: None,
        recording_mbid: None,
        recording_msid,
        release_group_mbid: None,
        release_mbid: None,
        spotify_id: None,
        submission_client: None,
        submission_client_version: None,
        tags: None,
        track_mbid: None,
        tracknumber: None,
        work_mbids: Vec::new(),
        extra: Map::<String, Value>::new(),
    }
}

/// The MessyBrainz ID of the submitted `names`: the same for the same names in any case.
fn msid(names: &[&str]) -> String {
    let key = names
        .iter()
        .map(|name| name.to_lowercase())
        .collect::<Vec<_>>()
        .join("\u{1f}");
    uuid(&mut Rng::new(fnv1a(key.as_bytes())))
}

/// A random (version 4) UUID in the canonical lowercase hyphenated form.
fn uuid(rng: &mut Rng) -> String {
    let hex = format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64());
    let variant = ["8", "9", "a", "b"][rng.below(4) as usize];
    format!(
        "{}-{}-4{}-{variant}{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_realistic_history_builds_fast_and_keeps_names_apart_in_a_second() {
        let started = std::time::Instant::now();
        let history = ListenBrainzHistory::realistic(100_000, 7);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "took {:?}",
            started.elapsed()
        );
        let listens = &history.listens;
        assert_eq!(listens.len(), 100_000);
        assert!(
            listens.last().unwrap().listened_at > 1_033_410_600,
            "after 2002-10-01"
        );
        let mut shared = 0;
        for pair in listens.windows(2) {
            assert!(pair[0].listened_at >= pair[1].listened_at);
            if pair[0].listened_at == pair[1].listened_at {
                shared += 1;
                assert_ne!(pair[0].recording_msid(), pair[1].recording_msid());
            }
        }
        assert!(shared > 100, "only {shared} same-second pairs");
        assert!(listens.iter().all(|l| l.inserted_at > l.listened_at));
    }

    #[test]
    fn uuids_are_canonical_version_4() {
        let mut rng = Rng::new(1);
        for _ in 0..100 {
            let id = uuid(&mut rng);
            let parts: Vec<&str> = id.split('-').collect();
            assert_eq!(
                parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12]
            );
            assert!(parts[2].starts_with('4'));
            assert!("89ab".contains(&parts[3][..1]));
            assert!(
                id.chars()
                    .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            );
        }
    }

    #[test]
    fn mapped_listens_with_a_client_recording_mbid_are_mapped_to_it() {
        let history = ListenBrainzHistory::realistic(2_000, 3);
        let mut from_client = 0;
        for listen in &history.listens {
            let metadata = &listen.track_metadata;
            if let Some(mbid) = &metadata.additional_info.recording_mbid {
                from_client += 1;
                let mapping = metadata.mbid_mapping.as_ref().expect("mapped");
                assert_eq!(&mapping.recording_mbid, mbid);
            }
            if let Some(mapping) = &metadata.mbid_mapping {
                assert_eq!(mapping.artists.len(), mapping.artist_mbids.len());
                assert_eq!(mapping.caa_id.is_some(), mapping.caa_release_mbid.is_some());
            }
        }
        assert!(from_client > 0);
    }
}
