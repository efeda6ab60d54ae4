//! The checks on the user's real history: walks of its pages (newest first, every play once,
//! cursors that move, `next` that agrees with them, no more items than asked, two page sizes
//! that see the same plays, a forward walk that sees what a backward one saw; ListenBrainz's
//! listens within the bounds sent and its payload consistent with them) and the bounds the
//! documents are silent on, sent as raw requests.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::bounds::Answer;
use super::checks::{Departure, Findings};
use super::exchange::{Halt, Requester};
use super::report::Status;

/// Plays come newest first, within each page and from one page of a backward walk to the next.
pub const NEWEST_FIRST: &str = "newest first";
/// No play appears twice in a walk.
pub const EVERY_PLAY_ONCE: &str = "every play once";
/// Spotify: each page's `before` cursor is older than the last one's (a forward walk: each
/// `after` newer), and a page's `after` is not older than its `before`.
pub const CURSORS_MONOTONIC: &str = "cursors monotonic";
/// Spotify: `next` carries the page's cursor and the `limit` asked for.
pub const NEXT_CONSISTENT: &str = "next consistent with cursors";
/// Amazon Music: a page token is never handed out twice in a walk.
pub const CURSORS_ADVANCE: &str = "cursors advance";
/// Amazon Music: `hasNextPage` is true exactly when a `token` is given.
pub const HAS_NEXT_CONSISTENT: &str = "hasNextPage consistent with token";
/// Amazon Music: `edgeCount`, when given, counts the page's edges.
pub const EDGE_COUNT: &str = "edgeCount counts the edges";
/// No page holds more items than the `limit` asked for.
pub const AT_MOST_LIMIT: &str = "at most limit items";
/// Walks with two page sizes see the same plays where they overlap.
pub const TWO_PAGE_SIZES: &str = "two page sizes agree";
/// Spotify: a walk forward from an old `after` returns the plays a backward walk returned.
pub const FORWARD_WALK: &str = "forward walk agrees";

/// ListenBrainz: every listen lies strictly between the `min_ts` and `max_ts` sent.
pub const WITHIN_BOUNDS: &str = "listens within min_ts and max_ts";
/// ListenBrainz: the payload's `count` counts its listens, and its `oldest_listen_ts` and
/// `latest_listen_ts` (the user's) bound every listen.
pub const PAYLOAD_CONSISTENT: &str = "payload consistent with its listens";

/// The checks of a Spotify run, in report order (the bounds follow).
pub const SPOTIFY_CHECKS: &[&str] = &[
    NEWEST_FIRST,
    EVERY_PLAY_ONCE,
    CURSORS_MONOTONIC,
    NEXT_CONSISTENT,
    AT_MOST_LIMIT,
    TWO_PAGE_SIZES,
    FORWARD_WALK,
];

/// The checks of an Amazon Music run, in report order (the bounds follow).
pub const AMAZON_CHECKS: &[&str] = &[
    NEWEST_FIRST,
    EVERY_PLAY_ONCE,
    CURSORS_ADVANCE,
    HAS_NEXT_CONSISTENT,
    EDGE_COUNT,
    AT_MOST_LIMIT,
    TWO_PAGE_SIZES,
    FORWARD_WALK,
];

/// The checks of a ListenBrainz run, in report order (the bounds follow).
pub const LISTENBRAINZ_CHECKS: &[&str] = &[
    NEWEST_FIRST,
    EVERY_PLAY_ONCE,
    WITHIN_BOUNDS,
    PAYLOAD_CONSISTENT,
    AT_MOST_LIMIT,
    TWO_PAGE_SIZES,
    FORWARD_WALK,
];

/// The most pages one walk fetches: the default budget (25) covers both walks, the forward
/// walk and the bounds of any service.
const MAX_PAGES: usize = 6;
/// The most pages a forward walk fetches.
const MAX_FORWARD_PAGES: usize = 4;

const SPOTIFY_OPERATION: &str = "get_recently_played";
const SPOTIFY_PATH: &str = "/me/player/recently-played";
const TRACKS_OPERATION: &str = "get_recently_played_tracks";
const TRACKS_PATH: &str = "/player/recentlyPlayed";
const ENTITIES_OPERATION: &str = "get_my_recently_played_entities";
const ENTITIES_PATH: &str = "/me/recentlyPlayedEntities";
const USER_ENTITIES_OPERATION: &str = "get_user_recently_played_entities";
const ENTITIES_AT: &str = "/data/user/recentEntitiesPlayback";
const TRACKS_AT: &str = "/data/user/recentTrackPlayback";
const LISTENS_OPERATION: &str = "get_listens";
const LISTEN_COUNT_OPERATION: &str = "get_listen_count";
const VALIDATE_TOKEN_OPERATION: &str = "validate_token";
const LISTENS_AT: &str = "/payload/listens";

/// One page a walk fetched.
struct Page {
    request: String,
    limit: u64,
    body: Value,
}

/// One play a walk saw, and where.
#[derive(Clone, Debug)]
struct Play {
    /// When, in Unix milliseconds.
    ms: i64,
    /// What, to tell plays apart (with `ms`).
    key: String,
    /// Where in its page's body (`/items/3`).
    pointer: String,
    /// Its page's request.
    request: String,
}

impl Play {
    fn same(&self, other: &Play) -> bool {
        self.ms == other.ms && self.key == other.key
    }

    fn departure(&self, excerpt: String, detail: &str) -> Departure {
        Departure {
            pointer: self.pointer.clone(),
            excerpt,
            detail: format!("{}: {detail}", self.request),
        }
    }
}

fn millis(value: Option<&Value>) -> Option<i64> {
    let text = value?.as_str()?;
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp_millis())
}

fn number(value: Option<&Value>) -> Option<i64> {
    let value = value?;
    value
        .as_i64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
}

/// The documented maximum `limit` of `operation` (from the bounds table).
fn max_limit(operation: &str) -> u64 {
    crate::bounds::operation(operation)
        .and_then(|documented| documented.limit)
        .map_or(1, |limit| limit.max)
}

/// A page size for the second walk: about a third of the maximum, so that pages end in other
/// places than the first walk's.
fn small_limit(max: u64) -> u64 {
    (max / 3).max(1)
}

// ---------------------------------------------------------------------------------------
// Spotify

fn spotify_plays(page: &Page) -> Vec<Play> {
    let items = page.body.get("items").and_then(Value::as_array);
    items
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, item)| {
            let track = item.get("track");
            let key = ["uri", "id", "name"]
                .iter()
                .find_map(|k| track.and_then(|t| t.get(*k)).and_then(Value::as_str))
                .unwrap_or("")
                .to_string();
            Some(Play {
                ms: millis(item.get("played_at"))?,
                key,
                pointer: format!("/items/{i}"),
                request: page.request.clone(),
            })
        })
        .collect()
}

/// The direction of a Spotify walk.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// `before`, following `cursors.before`, from the newest play back.
    Back,
    /// `after`, following `cursors.after`, from `after` forward.
    Forward,
}

impl Direction {
    fn param(self) -> &'static str {
        match self {
            Self::Back => "before",
            Self::Forward => "after",
        }
    }
}

/// Walks Spotify's history in `direction` with `limit`, from `start` (a cursor), until the
/// last page, `max_pages`, a cursor that does not move, or an answer other than 200.
async fn spotify_walk(
    req: &mut Requester,
    direction: Direction,
    limit: u64,
    start: Option<i64>,
    max_pages: usize,
    findings: &mut Findings,
) -> Result<Vec<Page>, Halt> {
    let mut pages = Vec::new();
    let mut cursor = start;
    while pages.len() < max_pages {
        let mut query = vec![("limit", limit.to_string())];
        if let Some(at) = cursor {
            query.push((direction.param(), at.to_string()));
        }
        let index = req.get(SPOTIFY_OPERATION, SPOTIFY_PATH, &query).await?;
        let exchange = req.exchange(index);
        if exchange.status == 204 {
            for check in SPOTIFY_CHECKS {
                findings.skip(
                    check,
                    "the user is in a private session (204): the history is hidden",
                );
            }
            break;
        }
        let (200, Some(body)) = (exchange.status, exchange.json()) else {
            // The response checks report it; the walk ends here.
            break;
        };
        let next = body.pointer(&format!("/cursors/{}", direction.param()));
        let next = number(next);
        let more = !body["next"].is_null()
            && body["items"]
                .as_array()
                .is_some_and(|items| !items.is_empty());
        pages.push(Page {
            request: exchange.request.clone(),
            limit,
            body,
        });
        let moved = match (cursor, next, direction) {
            (_, None, _) => false,
            (None, Some(_), _) => true,
            (Some(was), Some(now), Direction::Back) => now < was,
            (Some(was), Some(now), Direction::Forward) => now > was,
        };
        if !more || !moved {
            break;
        }
        cursor = next;
    }
    Ok(pages)
}

/// The checks every Spotify walk gets: order within pages (and across them, backward), each
/// play once, the cursors, `next`, and the limit.
fn check_spotify_walk(pages: &[Page], direction: Direction, findings: &mut Findings) -> Vec<Play> {
    for check in [
        NEWEST_FIRST,
        EVERY_PLAY_ONCE,
        CURSORS_MONOTONIC,
        NEXT_CONSISTENT,
        AT_MOST_LIMIT,
    ] {
        findings.ran(check);
    }
    let mut all: Vec<Play> = Vec::new();
    let mut previous_cursor: Option<i64> = None;
    for page in pages {
        let plays = spotify_plays(page);
        // Newest first: within the page; across pages too for a backward walk.
        let mut last = if direction == Direction::Back {
            all.last().cloned()
        } else {
            None
        };
        for play in &plays {
            if let Some(before) = &last
                && play.ms > before.ms
            {
                findings.depart(
                    NEWEST_FIRST,
                    play.departure(
                        page.body
                            .pointer(&format!("{}/played_at", play.pointer))
                            .map(Value::to_string)
                            .unwrap_or_default(),
                        "a play newer than the one before it",
                    ),
                );
            }
            last = Some(play.clone());
        }
        check_limit(page, "/items", findings);
        // Cursors.
        let cursors = page.body.get("cursors").filter(|c| !c.is_null());
        let before = number(cursors.and_then(|c| c.get("before")));
        let after = number(cursors.and_then(|c| c.get("after")));
        let depart_cursor = |findings: &mut Findings, which: &str, why: &str| {
            findings.depart(
                CURSORS_MONOTONIC,
                Departure {
                    pointer: format!("/cursors/{which}"),
                    excerpt: page
                        .body
                        .pointer(&format!("/cursors/{which}"))
                        .map(Value::to_string)
                        .unwrap_or_default(),
                    detail: format!("{}: {why}", page.request),
                },
            );
        };
        let moving = match direction {
            Direction::Back => before,
            Direction::Forward => after,
        };
        if let (Some(was), Some(now)) = (previous_cursor, moving) {
            let moved = match direction {
                Direction::Back => now < was,
                Direction::Forward => now > was,
            };
            if !moved {
                depart_cursor(
                    findings,
                    direction.param(),
                    &format!(
                        "the `{}` cursor did not move on from the last page's ({was})",
                        direction.param()
                    ),
                );
            }
        }
        // Within the page: the cursor this walk follows is the one to blame.
        if let (Some(before), Some(after)) = (before, after)
            && after < before
        {
            depart_cursor(
                findings,
                direction.param(),
                "the page's `after` cursor is older than its `before`",
            );
        }
        previous_cursor = moving.or(previous_cursor);
        // `next` carries the cursor and the limit.
        if let Some(next) = page.body.get("next").and_then(Value::as_str) {
            let depart_next = |findings: &mut Findings, why: String| {
                findings.depart(
                    NEXT_CONSISTENT,
                    Departure {
                        pointer: "/next".into(),
                        excerpt: next.to_string(),
                        detail: format!("{}: {why}", page.request),
                    },
                );
            };
            match reqwest::Url::parse(next) {
                Err(e) => depart_next(findings, format!("`next` is not a URL: {e}")),
                Ok(url) => {
                    let query: BTreeMap<String, String> = url.query_pairs().into_owned().collect();
                    let param = direction.param();
                    let cursor = query.get(param).and_then(|v| v.parse::<i64>().ok());
                    if cursor.is_none() || cursor != moving {
                        depart_next(
                            findings,
                            format!(
                                "`next` has {param}={}, the page's cursors say {}",
                                query.get(param).map_or("nothing", String::as_str),
                                moving.map_or("nothing".to_string(), |m| m.to_string())
                            ),
                        );
                    }
                    if query.get("limit") != Some(&page.limit.to_string()) {
                        depart_next(
                            findings,
                            format!(
                                "`next` has limit={}, the request asked for {}",
                                query.get("limit").map_or("nothing", String::as_str),
                                page.limit
                            ),
                        );
                    }
                }
            }
        }
        all.extend(plays);
    }
    check_once(&all, findings);
    all
}

/// Spotify: two backward walks, a forward walk, and the bounds.
pub(crate) async fn spotify(
    req: &mut Requester,
    findings: &mut Findings,
    bounds: &mut Bounds<'_>,
) -> Result<(), Halt> {
    let max = max_limit(SPOTIFY_OPERATION);
    let small = small_limit(max);
    let first = spotify_walk(req, Direction::Back, max, None, MAX_PAGES, findings).await?;
    let a = check_spotify_walk(&first, Direction::Back, findings);
    if !first.is_empty() {
        let second = spotify_walk(req, Direction::Back, small, None, MAX_PAGES, findings).await?;
        let b = check_spotify_walk(&second, Direction::Back, findings);
        compare_walks(&a, &b, findings);
        if a.len() >= 2 {
            // From an old `after`: the play `2 * small` back (or the oldest seen), forward in
            // pages of `small`, so that the walk takes more than one page.
            let anchor = (2 * small as usize).min(a.len() - 1);
            let after = a[anchor].ms;
            let newest = a[0].ms;
            let forward = spotify_walk(
                req,
                Direction::Forward,
                small,
                Some(after),
                MAX_FORWARD_PAGES,
                findings,
            )
            .await?;
            let f = check_spotify_walk(&forward, Direction::Forward, findings);
            check_forward(&a[..anchor], after, newest, &f, findings);
        } else {
            findings.skip(FORWARD_WALK, "the history holds fewer than two plays");
        }
    } else {
        findings.skip(TWO_PAGE_SIZES, "the first walk got no page");
        findings.skip(FORWARD_WALK, "the first walk got no page");
    }
    let op = SPOTIFY_OPERATION;
    bounds
        .probe(
            req,
            findings,
            &format!("{op} limit=0"),
            op,
            SPOTIFY_PATH,
            &[("limit", "0".into())],
            "/items",
        )
        .await?;
    bounds
        .probe(
            req,
            findings,
            &format!("{op} limit={max} (the maximum)"),
            op,
            SPOTIFY_PATH,
            &[("limit", max.to_string())],
            "/items",
        )
        .await?;
    bounds
        .probe(
            req,
            findings,
            &format!("{op} limit={} (the maximum + 1)", max + 1),
            op,
            SPOTIFY_PATH,
            &[("limit", (max + 1).to_string())],
            "/items",
        )
        .await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    bounds
        .probe(
            req,
            findings,
            &format!("{op} before with after"),
            op,
            SPOTIFY_PATH,
            &[("after", "0".into()), ("before", now.to_string())],
            "/items",
        )
        .await?;
    Ok(())
}

/// The forward walk from `after` must hold exactly the plays the backward walk saw after it
/// (`expected`, newest first), leaving out plays newer than `newest` (played during the run).
fn check_forward(
    expected: &[Play],
    after: i64,
    newest: i64,
    forward: &[Play],
    findings: &mut Findings,
) {
    findings.ran(FORWARD_WALK);
    let mut got: Vec<&Play> = forward
        .iter()
        .filter(|p| p.ms > after && p.ms <= newest)
        .collect();
    got.sort_by_key(|p| std::cmp::Reverse(p.ms));
    let expected: Vec<&Play> = expected.iter().filter(|p| p.ms > after).collect();
    let first_difference =
        (0..got.len().max(expected.len())).find(|&i| match (got.get(i), expected.get(i)) {
            (Some(g), Some(e)) => !g.same(e),
            _ => true,
        });
    match first_difference {
        None => findings.note(FORWARD_WALK, format!("{} plays after {after}", got.len())),
        Some(i) => {
            let departure = match (got.get(i), expected.get(i)) {
                (Some(g), Some(e)) => g.departure(
                    format!("{} {}", g.ms, g.key),
                    &format!("the backward walk had {} {} here", e.ms, e.key),
                ),
                (Some(g), None) => g.departure(
                    format!("{} {}", g.ms, g.key),
                    "a play the backward walk did not have",
                ),
                (None, Some(e)) => e.departure(
                    format!("{} {}", e.ms, e.key),
                    &format!("the forward walk from after={after} did not return this play"),
                ),
                (None, None) => return,
            };
            findings.depart(FORWARD_WALK, departure);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Amazon Music

fn amazon_plays(page: &Page, at: &str, time: &str) -> Vec<Play> {
    let edges = page
        .body
        .pointer(&format!("{at}/edges"))
        .and_then(Value::as_array);
    edges
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, edge)| {
            let node = edge.get("node");
            let field = |k: &str| {
                node.and_then(|n| n.get(k))
                    .and_then(Value::as_str)
                    .unwrap_or("")
            };
            let key = match edge.get("id").and_then(Value::as_str) {
                Some(id) => id.to_string(),
                None => format!("{}:{}", field("_type"), field("id")),
            };
            Some(Play {
                ms: millis(edge.get(time))?,
                key,
                pointer: format!("{at}/edges/{i}"),
                request: page.request.clone(),
            })
        })
        .collect()
}

/// Walks one Amazon Music history with `limit` until the last page, `max_pages`, a token
/// seen before, or an answer other than 200.
async fn amazon_walk(
    req: &mut Requester,
    (operation, path): (&str, &str),
    limit: u64,
    max_pages: usize,
    at: &str,
) -> Result<Vec<Page>, Halt> {
    let mut pages = Vec::new();
    let mut seen = BTreeSet::new();
    let mut cursor: Option<String> = None;
    while pages.len() < max_pages {
        let mut query = vec![("limit", limit.to_string())];
        if let Some(token) = &cursor {
            query.push(("cursor", token.clone()));
        }
        let index = req.get(operation, path, &query).await?;
        let exchange = req.exchange(index);
        let (200, Some(body)) = (exchange.status, exchange.json()) else {
            break;
        };
        let has_next =
            body.pointer(&format!("{at}/pageInfo/hasNextPage")) == Some(&Value::Bool(true));
        let token = body
            .pointer(&format!("{at}/pageInfo/token"))
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        pages.push(Page {
            request: exchange.request.clone(),
            limit,
            body,
        });
        match token {
            Some(token) if has_next && seen.insert(token.clone()) => cursor = Some(token),
            _ => break,
        }
    }
    Ok(pages)
}

fn check_amazon_walk(pages: &[Page], at: &str, findings: &mut Findings) -> Vec<Play> {
    for check in [
        NEWEST_FIRST,
        EVERY_PLAY_ONCE,
        CURSORS_ADVANCE,
        HAS_NEXT_CONSISTENT,
        EDGE_COUNT,
        AT_MOST_LIMIT,
    ] {
        findings.ran(check);
    }
    let mut all: Vec<Play> = Vec::new();
    let mut tokens = BTreeSet::new();
    for page in pages {
        let plays = amazon_plays(page, at, "playedDate");
        for play in &plays {
            if let Some(before) = all.last()
                && play.ms > before.ms
            {
                findings.depart(
                    NEWEST_FIRST,
                    Departure {
                        pointer: format!("{}/playedDate", play.pointer),
                        excerpt: page
                            .body
                            .pointer(&format!("{}/playedDate", play.pointer))
                            .map(Value::to_string)
                            .unwrap_or_default(),
                        detail: format!("{}: a play newer than the one before it", play.request),
                    },
                );
            }
            all.push(play.clone());
        }
        check_limit(page, &format!("{at}/edges"), findings);
        let info = |k: &str| page.body.pointer(&format!("{at}/pageInfo/{k}"));
        let token = info("token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty());
        let has_next = info("hasNextPage").and_then(Value::as_bool);
        if let Some(has_next) = has_next
            && has_next != token.is_some()
        {
            findings.depart(
                HAS_NEXT_CONSISTENT,
                Departure {
                    pointer: format!("{at}/pageInfo/hasNextPage"),
                    excerpt: has_next.to_string(),
                    detail: format!(
                        "{}: hasNextPage is {has_next} with {} token",
                        page.request,
                        if token.is_some() { "a" } else { "no" }
                    ),
                },
            );
        }
        if let Some(token) = token
            && !tokens.insert(token.to_string())
        {
            findings.depart(
                CURSORS_ADVANCE,
                Departure {
                    pointer: format!("{at}/pageInfo/token"),
                    excerpt: token.to_string(),
                    detail: format!(
                        "{}: a page token handed out before in this walk",
                        page.request
                    ),
                },
            );
        }
        let edges = page
            .body
            .pointer(&format!("{at}/edges"))
            .and_then(Value::as_array)
            .map(Vec::len);
        if let (Some(count), Some(edges)) = (
            page.body
                .pointer(&format!("{at}/edgeCount"))
                .and_then(Value::as_u64),
            edges,
        ) && count != edges as u64
        {
            findings.depart(
                EDGE_COUNT,
                Departure {
                    pointer: format!("{at}/edgeCount"),
                    excerpt: count.to_string(),
                    detail: format!("{}: edgeCount {count}, {edges} edges", page.request),
                },
            );
        }
    }
    check_once(&all, findings);
    all
}

/// Amazon Music: two walks of the entity history, one request to the user's own
/// `/users/{id}` history, and the bounds of the tracks and entities methods.
pub(crate) async fn amazon(
    req: &mut Requester,
    findings: &mut Findings,
    bounds: &mut Bounds<'_>,
) -> Result<(), Halt> {
    findings.skip(
        FORWARD_WALK,
        "Amazon Music has no time cursor to walk forward from",
    );
    let max = max_limit(ENTITIES_OPERATION);
    let small = small_limit(max);
    let entities = (ENTITIES_OPERATION, ENTITIES_PATH);
    let first = amazon_walk(req, entities, max, MAX_PAGES, ENTITIES_AT).await?;
    let a = check_amazon_walk(&first, ENTITIES_AT, findings);
    let user = first
        .first()
        .and_then(|page| page.body.pointer("/data/user/id"))
        .and_then(Value::as_str)
        .map(str::to_string);
    if first.is_empty() {
        findings.skip(TWO_PAGE_SIZES, "the first walk got no page");
    } else {
        let second = amazon_walk(req, entities, small, MAX_PAGES, ENTITIES_AT).await?;
        let b = check_amazon_walk(&second, ENTITIES_AT, findings);
        compare_walks(&a, &b, findings);
    }
    if let Some(user) = user {
        // The user's own ID: what `/users/{id}` answers for it (it needs `music::catalog`).
        let path = format!(
            "/users/{}/recentlyPlayedEntities",
            percent_encode_segment(&user)
        );
        req.get(
            USER_ENTITIES_OPERATION,
            &path,
            &[("limit", small.to_string())],
        )
        .await?;
    }
    for (operation, path, items) in [
        (TRACKS_OPERATION, TRACKS_PATH, format!("{TRACKS_AT}/edges")),
        (
            ENTITIES_OPERATION,
            ENTITIES_PATH,
            format!("{ENTITIES_AT}/edges"),
        ),
    ] {
        let max = max_limit(operation);
        bounds
            .probe(
                req,
                findings,
                &format!("{operation} limit=0"),
                operation,
                path,
                &[("limit", "0".into())],
                &items,
            )
            .await?;
        bounds
            .probe(
                req,
                findings,
                &format!("{operation} limit={max} (the maximum)"),
                operation,
                path,
                &[("limit", max.to_string())],
                &items,
            )
            .await?;
        bounds
            .probe(
                req,
                findings,
                &format!("{operation} limit={} (the maximum + 1)", max + 1),
                operation,
                path,
                &[("limit", (max + 1).to_string())],
                &items,
            )
            .await?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// ListenBrainz

/// One page of listens and the bounds its request sent.
struct ListensPage {
    page: Page,
    min_ts: Option<i64>,
    max_ts: Option<i64>,
}

/// A page's listens as plays (`ms` from `listened_at`, told apart by `recording_msid`), in
/// the page's order.
fn listenbrainz_plays(page: &Page) -> Vec<Play> {
    let listens = page.body.pointer(LISTENS_AT).and_then(Value::as_array);
    listens
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, listen)| {
            Some(Play {
                ms: number(listen.get("listened_at"))?.checked_mul(1000)?,
                key: listen
                    .get("recording_msid")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                pointer: format!("{LISTENS_AT}/{i}"),
                request: page.request.clone(),
            })
        })
        .collect()
}

/// Which way a ListenBrainz walk goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Listens {
    /// `max_ts` alone, from the newest listen back: the next `max_ts` is the oldest second
    /// of the page plus one (a second cut in two is read again, and its listens kept once).
    Back,
    /// Both bounds, as the client walks: the next `min_ts` is the newest second of the page
    /// less one; the walk ends at a page of fewer than `count` listens (one exact query).
    Forward,
}

/// Walks a ListenBrainz history with `count` between `min_ts` and `max_ts`, moving
/// `max_ts` back or `min_ts` forward, until its end, `max_pages`, a bound that does not
/// move or an answer other than 200.
async fn listenbrainz_walk(
    req: &mut Requester,
    path: &str,
    count: u64,
    direction: Listens,
    (mut min_ts, mut max_ts): (Option<i64>, Option<i64>),
    max_pages: usize,
) -> Result<Vec<ListensPage>, Halt> {
    let mut pages = Vec::new();
    while pages.len() < max_pages {
        let mut query = vec![("count", count.to_string())];
        query.extend(min_ts.map(|t| ("min_ts", t.to_string())));
        query.extend(max_ts.map(|t| ("max_ts", t.to_string())));
        let index = req.get(LISTENS_OPERATION, path, &query).await?;
        let exchange = req.exchange(index);
        let (200, Some(body)) = (exchange.status, exchange.json()) else {
            break;
        };
        let page = Page {
            request: exchange.request.clone(),
            limit: count,
            body,
        };
        let seconds: Vec<i64> = listenbrainz_plays(&page)
            .iter()
            .map(|play| play.ms / 1000)
            .collect();
        pages.push(ListensPage {
            page,
            min_ts,
            max_ts,
        });
        let moved = match direction {
            Listens::Back => {
                let next = seconds.iter().min().map(|oldest| oldest + 1);
                let moved = next.is_some_and(|next| max_ts.is_none_or(|was| next < was));
                max_ts = next;
                moved
            }
            Listens::Forward if (seconds.len() as u64) < count => false,
            Listens::Forward => {
                let next = seconds.iter().max().map(|newest| newest - 1);
                let moved = next.is_some_and(|next| min_ts.is_none_or(|was| next > was));
                min_ts = next;
                moved
            }
        };
        if !moved {
            break;
        }
    }
    Ok(pages)
}

/// The checks every ListenBrainz walk gets: order within pages (and across them, back),
/// each listen once (the second read again at a page's edge aside), the bounds sent, the
/// payload, and `count`. Returns the listens, newest first and by `recording_msid` within a
/// second (whose order the server leaves open).
fn check_listenbrainz_walk(
    pages: &[ListensPage],
    direction: Listens,
    findings: &mut Findings,
) -> Vec<Play> {
    for check in [
        NEWEST_FIRST,
        EVERY_PLAY_ONCE,
        WITHIN_BOUNDS,
        PAYLOAD_CONSISTENT,
        AT_MOST_LIMIT,
    ] {
        findings.ran(check);
    }
    let mut all: Vec<Play> = Vec::new();
    for ListensPage {
        page,
        min_ts,
        max_ts,
    } in pages
    {
        let plays = listenbrainz_plays(page);
        let excerpt = |play: &Play, field: &str| {
            page.body
                .pointer(&format!("{}/{field}", play.pointer))
                .map(Value::to_string)
                .unwrap_or_default()
        };
        let mut last = if direction == Listens::Back {
            all.last().cloned()
        } else {
            None
        };
        for play in &plays {
            if let Some(before) = &last
                && play.ms > before.ms
            {
                findings.depart(
                    NEWEST_FIRST,
                    play.departure(
                        excerpt(play, "listened_at"),
                        "a listen newer than the one before it",
                    ),
                );
            }
            last = Some(play.clone());
            let second = play.ms / 1000;
            let outside = match (min_ts, max_ts) {
                (Some(min), _) if second <= *min => Some(format!("not after min_ts={min}")),
                (_, Some(max)) if second >= *max => Some(format!("not before max_ts={max}")),
                _ => None,
            };
            if let Some(why) = outside {
                findings.depart(
                    WITHIN_BOUNDS,
                    play.departure(excerpt(play, "listened_at"), &format!("a listen {why}")),
                );
            }
        }
        let payload = |k: &str| number(page.body.pointer(&format!("/payload/{k}")));
        if let Some(count) = payload("count")
            && count != plays.len() as i64
        {
            findings.depart(
                PAYLOAD_CONSISTENT,
                Departure {
                    pointer: "/payload/count".into(),
                    excerpt: count.to_string(),
                    detail: format!("{}: count {count}, {} listens", page.request, plays.len()),
                },
            );
        }
        let (oldest, latest) = (payload("oldest_listen_ts"), payload("latest_listen_ts"));
        for play in &plays {
            let second = play.ms / 1000;
            let (field, outside) = match (oldest, latest) {
                (Some(oldest), _) if second < oldest => ("oldest_listen_ts", oldest),
                (_, Some(latest)) if second > latest => ("latest_listen_ts", latest),
                _ => continue,
            };
            findings.depart(
                PAYLOAD_CONSISTENT,
                Departure {
                    pointer: format!("/payload/{field}"),
                    excerpt: outside.to_string(),
                    detail: format!(
                        "{}: a listen at {second} is outside the user's listens ({field})",
                        page.request
                    ),
                },
            );
            break;
        }
        check_limit(page, LISTENS_AT, findings);
        // The second at the edge of the last page is asked for again: keep its listens once.
        let edge = all
            .iter()
            .map(|play| play.ms)
            .reduce(|a, b| match direction {
                Listens::Back => a.min(b),
                Listens::Forward => a.max(b),
            });
        let fresh: Vec<Play> = plays
            .into_iter()
            .filter(|play| Some(play.ms) != edge || !all.iter().any(|seen| seen.same(play)))
            .collect();
        all.extend(fresh);
    }
    check_once(&all, findings);
    all.sort_by(|a, b| b.ms.cmp(&a.ms).then_with(|| a.key.cmp(&b.key)));
    all
}

/// ListenBrainz: whose token it is (`validate-token`, unless the user is named), the user's
/// listen count, two backward walks, a forward walk with both bounds (as the client walks),
/// and the bounds of `count`.
pub(crate) async fn listenbrainz(
    req: &mut Requester,
    findings: &mut Findings,
    bounds: &mut Bounds<'_>,
) -> Result<(), Halt> {
    let user = match req.credentials().user() {
        Some(user) => user.to_string(),
        None => {
            let index = req
                .get(VALIDATE_TOKEN_OPERATION, "/1/validate-token", &[])
                .await?;
            let body = req.exchange(index).json();
            let user = body.as_ref().and_then(|b| b.get("user_name"));
            match user.and_then(Value::as_str) {
                Some(user) => user.to_string(),
                None => return Err(Halt::Refused(req.unknown_token())),
            }
        }
    };
    let user = percent_encode_segment(&user);
    req.get(
        LISTEN_COUNT_OPERATION,
        &format!("/1/user/{user}/listen-count"),
        &[],
    )
    .await?;
    let path = format!("/1/user/{user}/listens");
    let max = max_limit(LISTENS_OPERATION);
    let small = small_limit(max);
    let first = listenbrainz_walk(req, &path, max, Listens::Back, (None, None), MAX_PAGES).await?;
    let a = check_listenbrainz_walk(&first, Listens::Back, findings);
    if first.is_empty() {
        findings.skip(TWO_PAGE_SIZES, "the first walk got no page");
        findings.skip(FORWARD_WALK, "the first walk got no page");
    } else {
        let second =
            listenbrainz_walk(req, &path, small, Listens::Back, (None, None), MAX_PAGES).await?;
        let b = check_listenbrainz_walk(&second, Listens::Back, findings);
        compare_walks(&a, &b, findings);
        if a.len() >= 2 {
            // From the listen `2 * small` back (or the oldest seen) to just after the
            // newest, in pages of `small`: more than one page, both bounds sent.
            let anchor = (2 * small as usize).min(a.len() - 1);
            let after = a[anchor].ms;
            let newest = a[0].ms;
            let forward = listenbrainz_walk(
                req,
                &path,
                small,
                Listens::Forward,
                (Some(after / 1000), Some(newest / 1000 + 1)),
                MAX_FORWARD_PAGES,
            )
            .await?;
            let f = check_listenbrainz_walk(&forward, Listens::Forward, findings);
            check_forward(&a[..anchor], after, newest, &f, findings);
        } else {
            findings.skip(FORWARD_WALK, "the history holds fewer than two listens");
        }
    }
    let op = LISTENS_OPERATION;
    for (bound, count) in [
        (format!("{op} count=0"), 0),
        (format!("{op} count={max} (the maximum)"), max),
        (format!("{op} count={} (the maximum + 1)", max + 1), max + 1),
    ] {
        bounds
            .probe(
                req,
                findings,
                &bound,
                op,
                &path,
                &[("count", count.to_string())],
                LISTENS_AT,
            )
            .await?;
    }
    Ok(())
}

/// A path segment, percent-encoded.
fn percent_encode_segment(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Every service

fn check_limit(page: &Page, items_at: &str, findings: &mut Findings) {
    let count = page
        .body
        .pointer(items_at)
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if count as u64 > page.limit {
        findings.depart(
            AT_MOST_LIMIT,
            Departure {
                pointer: items_at.to_string(),
                excerpt: format!("{count} items"),
                detail: format!("{}: {count} items for limit={}", page.request, page.limit),
            },
        );
    }
}

fn check_once(plays: &[Play], findings: &mut Findings) {
    let mut seen = BTreeSet::new();
    for play in plays {
        if !seen.insert((play.ms, play.key.clone())) {
            findings.depart(
                EVERY_PLAY_ONCE,
                play.departure(
                    format!("{} {}", play.ms, play.key),
                    "a play this walk returned before",
                ),
            );
        }
    }
}

/// Two walks of the same history with other page sizes: where their times overlap, the same
/// plays in the same order.
fn compare_walks(a: &[Play], b: &[Play], findings: &mut Findings) {
    findings.ran(TWO_PAGE_SIZES);
    let (Some(a_new), Some(a_old), Some(b_new), Some(b_old)) =
        (a.first(), a.last(), b.first(), b.last())
    else {
        if a.len() != b.len() {
            let detail = format!("one walk saw {} plays, the other {}", a.len(), b.len());
            findings.depart(
                TWO_PAGE_SIZES,
                Departure {
                    pointer: String::new(),
                    excerpt: String::new(),
                    detail,
                },
            );
        }
        return;
    };
    let newest = a_new.ms.min(b_new.ms);
    let oldest = a_old.ms.max(b_old.ms);
    let within = |plays: &[Play]| -> Vec<Play> {
        plays
            .iter()
            .filter(|p| p.ms <= newest && p.ms > oldest)
            .cloned()
            .collect()
    };
    let (a_in, b_in) = (within(a), within(b));
    let differ = (0..a_in.len().max(b_in.len())).find(|&i| match (a_in.get(i), b_in.get(i)) {
        (Some(x), Some(y)) => !x.same(y),
        _ => true,
    });
    match differ {
        None => findings.note(
            TWO_PAGE_SIZES,
            format!("{} plays in both walks", a_in.len()),
        ),
        Some(i) => {
            let departure = match (b_in.get(i), a_in.get(i)) {
                (Some(y), Some(x)) => y.departure(
                    format!("{} {}", y.ms, y.key),
                    &format!("the walk with larger pages had {} {} here", x.ms, x.key),
                ),
                (Some(y), None) => y.departure(
                    format!("{} {}", y.ms, y.key),
                    "a play the walk with larger pages did not have",
                ),
                (None, Some(x)) => x.departure(
                    format!("{} {}", x.ms, x.key),
                    "a play the walk with smaller pages did not have",
                ),
                (None, None) => return,
            };
            findings.depart(TWO_PAGE_SIZES, departure);
        }
    }
}

/// The bounds of one service: what it answers, and what it answered before.
pub(crate) struct Bounds<'a> {
    /// What was recorded before, by bound.
    pub(crate) previous: Option<&'a BTreeMap<String, Answer>>,
    /// What it answers now, by bound.
    pub(crate) answers: BTreeMap<String, Answer>,
}

impl Bounds<'_> {
    /// Sends one bound as a raw request and records the answer as a row `bounds: <bound>`.
    #[allow(clippy::too_many_arguments)]
    async fn probe(
        &mut self,
        req: &mut Requester,
        findings: &mut Findings,
        bound: &str,
        operation: &str,
        path: &str,
        query: &[(&str, String)],
        items: &str,
    ) -> Result<(), Halt> {
        let index = req.get(operation, path, query).await?;
        let answer = Answer::of(req.exchange(index), items);
        let check = format!("bounds: {bound}");
        let request = req.exchange(index).request.clone();
        let (status, detail) = match self.previous.and_then(|p| p.get(bound)) {
            None => (
                Status::Recorded,
                format!("{request}: no answer was recorded before"),
            ),
            Some(before) if before.same(&answer) => {
                (Status::Pass, format!("{request}: as recorded"))
            }
            Some(before) => (
                Status::Changed,
                format!("{request}: recorded before: {}", before.describe()),
            ),
        };
        findings.bound(check, status, answer.describe(), detail);
        self.answers.insert(bound.to_string(), answer);
        Ok(())
    }
}
