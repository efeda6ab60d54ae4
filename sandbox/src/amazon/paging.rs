//! How the Amazon Music simulation pages: timelines of plays, opaque cursors that hold a
//! position and a checksum, and the query parameters that choose a page.

use std::collections::BTreeSet;

use amazon_music_web_api::types::{self, EntityType};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::record::RecordedRequest;
use crate::server::{self, Param, Rejection, reject};

use super::history::{EntityPlay, TrackPlay};

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

/// The page after position `after`: up to `limit` plays that pass `keep`, and the token of
/// the next page when more follow.
pub(super) fn paginate<P: Played>(
    timeline: &Timeline<P>,
    after: Option<(i64, u64)>,
    limit: usize,
    scope: u64,
    keep: impl Fn(&P) -> bool,
) -> (Vec<P>, Option<String>) {
    let mut rest = timeline.after(after, keep);
    let page: Vec<&(u64, P)> = rest.by_ref().take(limit).collect();
    let token = match (page.last(), rest.next()) {
        (Some((seq, last)), Some(_)) => {
            Some(issue_cursor(scope, last.at().timestamp_millis(), *seq))
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

/// Reads `cursor`: the position a token issued for `scope` continues after.
pub(super) fn cursor_param(
    request: &RecordedRequest,
    scope: u64,
) -> Result<Option<(i64, u64)>, Rejection> {
    match server::param(request, "cursor") {
        Param::Absent => Ok(None),
        Param::Once(token) => match redeem_cursor(token) {
            Some((token_scope, position)) if token_scope == scope => Ok(Some(position)),
            Some(_) => Err(bad_request(
                "cursor belongs to another user, method or entityTypes filter.",
            )),
            None => Err(bad_request("cursor is not a token this service issued.")),
        },
        Param::Repeated => Err(bad_request("cursor must be given at most once.")),
    }
}

/// Salt of the tokens' checksum, so that a token cannot be made up without this source.
pub(super) const CURSOR_SALT: &[u8] = b"music-history-sandbox/amazon/cursor/v1";

pub(super) fn issue_cursor(scope: u64, ms: i64, seq: u64) -> String {
    let body = format!("{ms}:{seq}:{scope:016x}");
    let sum = fnv1a(&[CURSOR_SALT, body.as_bytes()]);
    format!("{body}+{sum:016x}")
}

/// The `(scope, position)` a token holds, or `None` if it is not one [`issue_cursor`] made.
pub(super) fn redeem_cursor(token: &str) -> Option<(u64, (i64, u64))> {
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
    parts.next().is_none().then_some((scope, (ms, seq)))
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

    #[test]
    fn a_token_redeems_to_what_it_was_issued_for() {
        let token = issue_cursor(42, 1_649_747_125_758, 7);
        assert_eq!(redeem_cursor(&token), Some((42, (1_649_747_125_758, 7))));
    }

    #[test]
    fn a_garbled_token_redeems_to_nothing() {
        let token = issue_cursor(42, 1_649_747_125_758, 7);
        let garbled = [
            token.replacen('7', "8", 1),
            token.replace('+', " "),
            token[1..].to_owned(),
            format!("{token}0"),
            String::new(),
            "1:2:3".to_owned(),
        ];
        for garbled in garbled {
            assert_eq!(redeem_cursor(&garbled), None, "{garbled}");
        }
    }
}
