//! What the Amazon Music simulation serves: track and entity plays, users, and a realistic
//! history of them.

use amazon_music_web_api::EntityNode;
use amazon_music_web_api::types::{self, EntityType};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::random::{self, LOWER_BASE32, Rng, UPPER_ALNUM};
use crate::record::percent_encode;

use super::paging::from_millis;
use super::{DEFAULT_ACCESS_TOKEN, DEFAULT_API_KEY};

/// One play of a track, as `/player/recentlyPlayed` serves it.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackPlay {
    /// When the track was played (kept, and served, at millisecond precision).
    pub played_at: DateTime<Utc>,
    /// The track, served as the edge's `node`.
    pub track: types::TrackSummary,
}

impl TrackPlay {
    /// A play, at `played_at_ms` (Unix milliseconds), of track `id` titled `title`.
    pub fn new(played_at_ms: i64, id: &str, title: &str) -> Self {
        Self {
            played_at: from_millis(played_at_ms),
            track: types::TrackSummary {
                id: id.to_owned(),
                title: Some(title.to_owned()),
                url: Some(format!(
                    "https://music.amazon.com/tracks/{}?do=play",
                    percent_encode(id)
                )),
            },
        }
    }
}

/// One play of an entity (album, playlist, podcast episode, …), as the entity methods serve it.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityPlay {
    /// The history entry's ID (the edge's `id`), if it has one.
    pub id: Option<String>,
    /// When the entity was played (kept, and served, at millisecond precision).
    pub played_date: DateTime<Utc>,
    /// The entity, served as the edge's `node`; an [`EntityNode::Unknown`] is served as its
    /// raw JSON.
    pub node: EntityNode,
}

impl EntityPlay {
    /// A play, with history entry ID `id`, at `played_date_ms` (Unix milliseconds), of `node`
    /// (see [`entity`]).
    ///
    /// ```
    /// use amazon_music_web_api::types::EntityType;
    /// use music_history_sandbox::amazon::{EntityPlay, entity};
    ///
    /// let play = EntityPlay::new("recentlyPlayedId2", 1_657_843_360_566,
    ///     entity(EntityType::Album, "B0847V9254", "Changes"));
    /// assert_eq!(play.node.kind(), "Album");
    /// ```
    pub fn new(id: &str, played_date_ms: i64, node: EntityNode) -> Self {
        Self {
            id: Some(id.to_owned()),
            played_date: from_millis(played_date_ms),
            node,
        }
    }
}

/// A node of a documented `kind`, with this `id` and `title` and a made-up Amazon Music `url`.
/// For a kind the spec does not know, build an [`EntityNode::Unknown`] from raw JSON instead.
pub fn entity(kind: EntityType, id: &str, title: &str) -> EntityNode {
    let title = Some(title.to_owned());
    let segment = percent_encode(id);
    let url = |path: &str| Some(format!("https://music.amazon.com/{path}/{segment}"));
    match kind {
        EntityType::Album => EntityNode::Album(types::Album {
            id: id.to_owned(),
            name: None,
            title,
            type_: types::AlbumType::Album,
            url: url("albums"),
        }),
        EntityType::Artist => EntityNode::Artist(types::Artist {
            id: id.to_owned(),
            name: title,
            title: None,
            type_: types::ArtistType::Artist,
            url: url("artists"),
        }),
        EntityType::Category => EntityNode::Category(types::Category {
            id: id.to_owned(),
            name: None,
            title,
            type_: types::CategoryType::Category,
            url: url("categories"),
        }),
        EntityType::Playlist => EntityNode::Playlist(types::Playlist {
            id: id.to_owned(),
            name: None,
            title,
            type_: types::PlaylistType::Playlist,
            url: url("playlists"),
        }),
        EntityType::PodcastEpisode => EntityNode::PodcastEpisode(types::PodcastEpisode {
            id: id.to_owned(),
            name: None,
            title,
            type_: types::PodcastEpisodeType::PodcastEpisode,
            url: url("podcasts/episodes"),
        }),
        EntityType::PodcastShow => EntityNode::PodcastShow(types::PodcastShow {
            id: id.to_owned(),
            name: None,
            title,
            type_: types::PodcastShowType::PodcastShow,
            url: url("podcasts"),
        }),
        EntityType::Track => EntityNode::Track(types::Track {
            id: id.to_owned(),
            name: None,
            title,
            type_: types::TrackType::Track,
            url: url("tracks"),
        }),
        EntityType::User => EntityNode::User(types::User {
            id: id.to_owned(),
            name: title,
            title: None,
            type_: types::UserType::User,
            url: url("profiles"),
        }),
    }
}

/// One Amazon Music user and what they played.
#[derive(Clone, Debug, PartialEq)]
pub struct AmazonMusicUser {
    /// The user's Amazon Music ID: any non-empty text, `/`, `?`, `#`, `%` and any Unicode
    /// included (only `.` and `..` cannot be reached: URL parsing removes them as dot
    /// segments).
    pub id: String,
    /// The display name; `None` is served as `"name": null`.
    pub name: Option<String>,
    /// The tracks they played, in any order (served only for "me", by `/player/recentlyPlayed`).
    pub tracks: Vec<TrackPlay>,
    /// The entities they played, in any order.
    pub entities: Vec<EntityPlay>,
}

impl AmazonMusicUser {
    /// A user who has played nothing yet.
    pub fn new(id: &str, name: Option<&str>) -> Self {
        Self {
            id: id.to_owned(),
            name: name.map(str::to_owned),
            tracks: Vec::new(),
            entities: Vec::new(),
        }
    }
}

/// What an [`AmazonMusicSimulation`](super::AmazonMusicSimulation) starts from: the users, which of them owns the token,
/// and the credentials accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct AmazonMusicHistory {
    /// Every user; with two of the same ID, the first one wins.
    pub users: Vec<AmazonMusicUser>,
    /// The ID of the user who owns the access token: "me" of `/me/...` and `/player/...`.
    pub me: String,
    /// The fixed access token accepted (default [`DEFAULT_ACCESS_TOKEN`]), beside the tokens
    /// the simulated Login with Amazon issues; all of them belong to `me`.
    pub access_token: String,
    /// The one `x-api-key` accepted (default [`DEFAULT_API_KEY`]).
    pub api_key: String,
}

impl AmazonMusicHistory {
    /// A history with one user, `me`, the token's owner, and the default credentials.
    pub fn new(me: AmazonMusicUser) -> Self {
        Self {
            me: me.id.clone(),
            users: vec![me],
            access_token: DEFAULT_ACCESS_TOKEN.to_owned(),
            api_key: DEFAULT_API_KEY.to_owned(),
        }
    }

    /// The same history with one more user.
    pub fn with_user(mut self, user: AmazonMusicUser) -> Self {
        self.users.push(user);
        self
    }

    /// Two users, the same for the same `seed`: "me" (`users[0]`, named) with `n` track plays
    /// and `n` entity plays, and another user (`users[1]`, no name, as in the documented
    /// example) with `n` entity plays. Plays are a few seconds to minutes apart and end on
    /// 2024-05-01; entities are of kinds Track, Album, Playlist, PodcastEpisode, Artist and
    /// PodcastShow (each within every eight plays), with now and then two at the same
    /// instant, as in the documented example; and, for `n >= 2`, one of "me"'s entity plays
    /// is of a kind the spec does not know (`"_type": "Audiobook"`).
    ///
    /// ```
    /// use music_history_sandbox::amazon::AmazonMusicHistory;
    ///
    /// let history = AmazonMusicHistory::realistic(20, 5);
    /// assert_eq!(history.me, history.users[0].id);
    /// assert_eq!(history.users[0].entities.len(), 20);
    /// assert!(history.users[0].entities.iter().any(|play| play.node.kind() == "Audiobook"));
    /// ```
    pub fn realistic(n: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let mut me = AmazonMusicUser::new(&rng.string(LOWER_BASE32, 26), Some("Sandbox Listener"));
        let mut other = AmazonMusicUser::new(&rng.string(LOWER_BASE32, 26), None);

        let catalogue: Vec<(String, String, String)> = (0..(n / 3).max(8))
            .map(|_| {
                let asin = format!("B0{}", rng.string(UPPER_ALNUM, 8));
                let album = format!("B0{}", rng.string(UPPER_ALNUM, 8));
                (asin, album, random::title(&mut rng))
            })
            .collect();
        let mut played_at_ms: i64 = 1_714_564_800_000; // 2024-05-01T12:00:00Z
        for _ in 0..n {
            played_at_ms -= rng.between(31_000, 420_000) as i64;
            let (asin, album, title) = rng.pick(&catalogue);
            me.tracks.push(TrackPlay {
                played_at: from_millis(played_at_ms),
                track: types::TrackSummary {
                    id: asin.clone(),
                    title: Some(title.clone()),
                    url: Some(format!(
                        "https://music.amazon.com/albums/{album}/?trackAsin={asin}&do=play"
                    )),
                },
            });
        }
        me.entities = realistic_entities(&mut rng, n);
        if n >= 2 {
            let at = n / 2;
            let raw = json!({
                "_type": "Audiobook",
                "id": format!("AB{}", rng.string(UPPER_ALNUM, 8)),
                "title": random::title(&mut rng),
                "narrator": random::artist_name(&mut rng),
                "url": "https://music.amazon.com/audiobooks",
            });
            me.entities[at].node = EntityNode::Unknown(raw);
        }
        other.entities = realistic_entities(&mut rng, n);
        Self::new(me).with_user(other)
    }
}

/// `n` entity plays, newest first, each kind within every eight plays.
fn realistic_entities(rng: &mut Rng, n: usize) -> Vec<EntityPlay> {
    let mut schedule: Vec<EntityType> = Vec::new();
    let mut played_ms: i64 = 1_714_564_800_000;
    (0..n)
        .map(|i| {
            if schedule.is_empty() {
                schedule = vec![
                    EntityType::Track,
                    EntityType::Album,
                    EntityType::Playlist,
                    EntityType::PodcastEpisode,
                    EntityType::Track,
                    EntityType::Artist,
                    EntityType::Album,
                    EntityType::PodcastShow,
                ];
                for j in (1..schedule.len()).rev() {
                    schedule.swap(j, rng.below(j as u64 + 1) as usize);
                }
            }
            let kind = schedule.pop().expect("refilled above");
            // Now and then two entities at the same instant (an album and its playlist).
            if i == 0 || !rng.one_in(6) {
                played_ms -= rng.between(31_000, 900_000) as i64;
            }
            let id = match kind {
                EntityType::Playlist | EntityType::PodcastEpisode | EntityType::PodcastShow => {
                    let hex = rng.string(b"0123456789abcdef", 32);
                    format!(
                        "{}-{}-{}-{}-{}",
                        &hex[..8],
                        &hex[8..12],
                        &hex[12..16],
                        &hex[16..20],
                        &hex[20..]
                    )
                }
                _ => format!("B0{}", rng.string(UPPER_ALNUM, 8)),
            };
            let title = match kind {
                EntityType::Artist => random::artist_name(rng),
                EntityType::PodcastEpisode => {
                    format!("Episode {}: {}", rng.between(1, 120), random::title(rng))
                }
                _ => random::title(rng),
            };
            EntityPlay::new(
                &format!("recentlyPlayedId{}", i + 1),
                played_ms,
                entity(kind, &id, &title),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn realistic_entities_hold_every_kind_and_one_unknown() {
        let history = AmazonMusicHistory::realistic(16, 4);
        let kinds: BTreeSet<&str> = history.users[0]
            .entities
            .iter()
            .map(|p| p.node.kind())
            .collect();
        for kind in [
            "Track",
            "Album",
            "Playlist",
            "PodcastEpisode",
            "Artist",
            "PodcastShow",
            "Audiobook",
        ] {
            assert!(kinds.contains(kind), "no {kind} in {kinds:?}");
        }
        let unknown = history.users[0]
            .entities
            .iter()
            .filter(|play| matches!(play.node, EntityNode::Unknown(_)))
            .count();
        assert_eq!(unknown, 1);
        assert_ne!(history.users[0].id, history.users[1].id);
    }
}
