//! How the Amazon Music simulation pages: timelines of plays, opaque cursors that hold a
//! position and a checksum, and the query parameters that choose a page.
//!
//! A page token is opaque, and a service that issues opaque tokens may stop honouring them
//! (the documented token, `000000000000001649747125758:ALBUM:B09J9ZRZC5`, holds a time and
//! an entity; nothing public says how long one lasts). Each token carries the generation it
//! was issued in, under its checksum; [`AmazonMusicSimulation::expire_page_tokens`] starts a
//! new generation, and the tokens of older ones are refused.

use std::collections::BTreeSet;

use amazon_music_web_api::types::{self, EntityType};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::record::RecordedRequest;
use crate::server::{self, Param, Rejection, reject};

use super::AmazonMusicSimulation;
use super::history::{EntityPlay, TrackPlay};

impl AmazonMusicSimulation {
    /// Expires every page token issued so far: a request that brings one back as `cursor`
    /// is answered `400` with code `BAD_REQUEST` and a message saying the cursor expired;
    /// tokens issued after the call work. Why `400`: the spec's `cursor` parameter
    /// documents `400` as the answer to a token the service will not continue from (one it
    /// did not issue for this method, user and `entityTypes`), with the `BadRequest`
    /// response's `BAD_REQUEST` code; `422`, the other client error the V1 errors page
    /// lists, documents no case of the Player methods. A client sees what it would see for
    /// any token the service no longer takes, and must start again from the first page.
    ///
    /// ```
    /// use music_history_sandbox::amazon::{
    ///     AmazonMusicHistory, AmazonMusicSimulation, DEFAULT_ACCESS_TOKEN, DEFAULT_API_KEY,
    /// };
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sim = AmazonMusicSimulation::start(AmazonMusicHistory::realistic(10, 1)).await;
    /// let http = client_support::http::client_builder().build()?;
    /// let url = format!("{}/player/recentlyPlayed", sim.base_url());
    /// let get = |query: Vec<(&'static str, String)>| {
    ///     http.get(&url)
    ///         .query(&query)
    ///         .bearer_auth(DEFAULT_ACCESS_TOKEN)
    ///         .header("x-api-key", DEFAULT_API_KEY)
    ///         .send()
    /// };
    /// let first: serde_json::Value = get(vec![("limit", "4".into())]).await?.json().await?;
    /// let token = first["data"]["user"]["recentTrackPlayback"]["pageInfo"]["token"]
    ///     .as_str()
    ///     .unwrap()
    ///     .to_owned();
    /// sim.expire_page_tokens();
    /// let refused = get(vec![("limit", "4".into()), ("cursor", token)]).await?;
    /// assert_eq!(refused.status(), 400);
    /// let error: serde_json::Value = refused.json().await?;
    /// assert_eq!(error["error"]["code"], "BAD_REQUEST");
    /// # Ok(())
    /// # }
    /// ```
    pub fn expire_page_tokens(&self) {
        self.sim.with_service(|s| s.page_generation += 1);
    }
}

/// A play that can be paged: when it happened, at millisecond precision.
pub(super) trait Played: Clone {
    fn at(&self) -> DateTime<Utc>;
    fn truncated(self) -> Self;
}

impl Played for TrackPlay {
    fn at(&self) -> DateTime<Utc> {
        self.played_at
    }
    fn truncated(self) -> Self {
        Self {
            played_at: server::to_millis(self.played_at),
            ..self
        }
    }
}

impl Played for EntityPlay {
    fn at(&self) -> DateTime<Utc> {
        self.played_date
    }
    fn truncated(self) -> Self {
        Self {
            played_date: server::to_millis(self.played_date),
            ..self
        }
    }
}

/// Plays in serving order: newest first, then by sequence number (the order given, then the
/// order recorded). A play's position is `(time in ms, sequence number)`: what tokens hold.
pub(super) struct Timeline<P> {
    plays: Vec<(u64, P)>,
}

impl<P: Played> Timeline<P> {
    pub(super) fn new(plays: Vec<P>) -> Self {
        let mut timeline = Self {
            plays: Vec::with_capacity(plays.len()),
        };
        for (seq, play) in plays.into_iter().enumerate() {
            timeline.insert((seq as u64, play));
        }
        timeline
    }

    pub(super) fn len(&self) -> usize {
        self.plays.len()
    }

    /// Keeps only the `keep` newest plays.
    pub(super) fn truncate(&mut self, keep: usize) {
        self.plays.truncate(keep);
    }

    pub(super) fn key(seq: u64, play: &P) -> (std::cmp::Reverse<i64>, u64) {
        (std::cmp::Reverse(play.at().timestamp_millis()), seq)
    }

    pub(super) fn insert(&mut self, (seq, play): (u64, P)) {
        let play = play.truncated();
        let key = Self::key(seq, &play);
        let at = self.plays.partition_point(|(s, p)| Self::key(*s, p) <= key);
        self.plays.insert(at, (seq, play));
    }

    /// The plays after position `after` (all of them for `None`) that pass `keep`.
    pub(super) fn after<'a>(
        &'a self,
        after: Option<(i64, u64)>,
        keep: impl Fn(&P) -> bool + 'a,
    ) -> impl Iterator<Item = &'a (u64, P)> + 'a {
        let start = match after {
            Some((ms, seq)) => {
                let key = (std::cmp::Reverse(ms), seq);
                self.plays.partition_point(|(s, p)| Self::key(*s, p) <= key)
            }
            None => 0,
        };
        self.plays[start..]
            .iter()
            .filter(move |(_, play)| keep(play))
    }
}

/// What a page token is issued for, and must match when it comes back: a user, method and
/// `entityTypes` filter (`scope`, a hash of them), and the generation of tokens, which
/// [`AmazonMusicSimulation::expire_page_tokens`] moves on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Issuer {
    pub(super) scope: u64,
    pub(super) generation: u64,
}

/// The page after position `after`: up to `limit` plays that pass `keep`, and the token of
/// the next page when more follow.
pub(super) fn paginate<P: Played>(
    timeline: &Timeline<P>,
    after: Option<(i64, u64)>,
    limit: usize,
    issuer: Issuer,
    keep: impl Fn(&P) -> bool,
) -> (Vec<P>, Option<String>) {
    let mut rest = timeline.after(after, keep);
    let page: Vec<&(u64, P)> = rest.by_ref().take(limit).collect();
    let token = match (page.last(), rest.next()) {
        (Some((seq, last)), Some(_)) => {
            Some(issue_cursor(issuer, last.at().timestamp_millis(), *seq))
        }
        _ => None,
    };
    (
        page.into_iter().map(|(_, play)| play.clone()).collect(),
        token,
    )
}

pub(super) fn page_info(token: Option<String>) -> types::PageInfo {
    types::PageInfo {
        has_next_page: token.is_some(),
        token,
    }
}

/// The generated types leave out a `None`; the service sends `null` for the last page's token
/// and for a user without a display name (both nullable in the spec, as in the documented
/// examples), and times at millisecond precision.
pub(super) fn as_served(
    mut body: Value,
    connection: &str,
    time_key: &str,
    times: &[DateTime<Utc>],
) -> Value {
    if let Some(user) = body["data"]["user"].as_object_mut() {
        user.entry("name").or_insert(Value::Null);
    }
    let connection = &mut body["data"]["user"][connection];
    if let Some(page_info) = connection["pageInfo"].as_object_mut() {
        page_info.entry("token").or_insert(Value::Null);
    }
    if let Some(edges) = connection["edges"].as_array_mut() {
        for (edge, at) in edges.iter_mut().zip(times) {
            edge[time_key] = Value::String(server::rfc3339_millis(at));
        }
    }
    body
}

/// Reads `limit` (default and maximum `max`, minimum 1).
pub(super) fn limit_param(request: &RecordedRequest, max: usize) -> Result<usize, Rejection> {
    let invalid = || bad_request(format!("limit must be an integer from 1 to {max}."));
    match server::param(request, "limit") {
        Param::Absent => Ok(max),
        Param::Once(value) => match value.parse::<usize>() {
            Ok(limit) if (1..=max).contains(&limit) => Ok(limit),
            _ => Err(invalid()),
        },
        Param::Repeated => Err(invalid()),
    }
}

/// Reads `entityTypes`: one comma-separated value of `EntityType` names, or nothing.
pub(super) fn entity_types_param(
    request: &RecordedRequest,
) -> Result<Option<BTreeSet<EntityType>>, Rejection> {
    match server::param(request, "entityTypes") {
        Param::Absent => Ok(None),
        Param::Once(value) => value
            .split(',')
            .map(|name| {
                name.parse::<EntityType>().map_err(|_| {
                    bad_request(format!("Unknown entity type {name:?} in entityTypes."))
                })
            })
            .collect::<Result<_, _>>()
            .map(Some),
        Param::Repeated => Err(bad_request(
            "entityTypes is one comma-separated value (entityTypes=Album,Track), \
             not a repeated parameter.",
        )),
    }
}

/// Reads `cursor`: the position a token issued by `issuer` continues after.
pub(super) fn cursor_param(
    request: &RecordedRequest,
    issuer: Issuer,
) -> Result<Option<(i64, u64)>, Rejection> {
    match server::param(request, "cursor") {
        Param::Absent => Ok(None),
        Param::Once(token) => match redeem_cursor(token) {
            Some((issued, position)) if issued == issuer => Ok(Some(position)),
            Some((issued, _)) if issued.scope != issuer.scope => Err(bad_request(
                "cursor belongs to another user, method or entityTypes filter.",
            )),
            Some(_) => Err(bad_request(
                "cursor expired: ask for the first page again, without a cursor.",
            )),
            None => Err(bad_request("cursor is not a token this service issued.")),
        },
        Param::Repeated => Err(bad_request("cursor must be given at most once.")),
    }
}

/// Salt of the tokens' checksum, so that a token cannot be made up without this source.
pub(super) const CURSOR_SALT: &[u8] = b"music-history-sandbox/amazon/cursor/v1";

pub(super) fn issue_cursor(issuer: Issuer, ms: i64, seq: u64) -> String {
    let Issuer { scope, generation } = issuer;
    let body = format!("{ms}:{seq}:{scope:016x}:{generation}");
    let sum = fnv1a(&[CURSOR_SALT, body.as_bytes()]);
    format!("{body}+{sum:016x}")
}

/// The issuer and position a token holds, or `None` if it is not one [`issue_cursor`] made.
pub(super) fn redeem_cursor(token: &str) -> Option<(Issuer, (i64, u64))> {
    let (body, sum) = token.rsplit_once('+')?;
    if sum.len() != 16
        || u64::from_str_radix(sum, 16).ok()? != fnv1a(&[CURSOR_SALT, body.as_bytes()])
    {
        return None;
    }
    let mut parts = body.split(':');
    let ms = parts.next()?.parse().ok()?;
    let seq = parts.next()?.parse().ok()?;
    let scope = u64::from_str_radix(parts.next()?, 16).ok()?;
    let generation = parts.next()?.parse().ok()?;
    let issuer = Issuer { scope, generation };
    parts.next().is_none().then_some((issuer, (ms, seq)))
}

/// FNV-1a over the parts, each followed by a separator byte.
pub(super) fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.iter().chain(&[0xff]) {
            hash = (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

pub(super) fn bad_request(message: impl Into<String>) -> Rejection {
    reject(400, "BAD_REQUEST", message)
}

pub(super) fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).expect("play time within chrono's range")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUER: Issuer = Issuer {
        scope: 42,
        generation: 3,
    };

    #[test]
    fn a_token_redeems_to_what_it_was_issued_for() {
        let token = issue_cursor(ISSUER, 1_649_747_125_758, 7);
        assert_eq!(
            redeem_cursor(&token),
            Some((ISSUER, (1_649_747_125_758, 7)))
        );
    }

    #[test]
    fn a_garbled_token_redeems_to_nothing() {
        let token = issue_cursor(ISSUER, 1_649_747_125_758, 7);
        let garbled = [
            token.replacen('7', "8", 1),
            token.replace('+', " "),
            token[1..].to_owned(),
            format!("{token}0"),
            String::new(),
            "1:2:3".to_owned(),
            token.replacen(":3+", ":4+", 1),
        ];
        for garbled in garbled {
            assert_eq!(redeem_cursor(&garbled), None, "{garbled}");
        }
    }
}
