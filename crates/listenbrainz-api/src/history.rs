//! Walking a user's listens page by page as one stream, oldest first.

use client_support::paging::page_budget;
use client_support::{Entry, Next, Outcome, Page, PageFuture, ProtocolError, Walk};

use crate::client::ListenBrainzClient;
use crate::error::Error;
use crate::query::{Count, ListensQuery, TimeWindow, UserName, Within};
use crate::types::{Listen, ListensPayload};

/// A walk through a user's listens: a `Stream` of `Result<Listen, Error>`, **oldest
/// first**, one page at a time; made by [`ListenBrainzClient::history`].
///
/// Read it with `futures_util::StreamExt` / `TryStreamExt`, or a page at a time with
/// [`next_page`](client_support::History::next_page). When it ends,
/// [`outcome`](client_support::History::outcome) says how, and
/// [`resume_point`](client_support::History::resume_point) gives the [`TimeWindow`] a new
/// walk starts from (pass it to [`ListensQuery::resume_from`]) to yield exactly the listens
/// this one has not yielded. Once it is complete,
/// [`sync_point`](client_support::History::sync_point) is what to keep for the next sync:
/// the window after the newest listen seen, open to the present.
///
/// A listen that does not decode is yielded as [`Error::MalformedItem`] in its place, and
/// the walk goes on with the page's other listens.
///
/// ```no_run
/// use futures_util::TryStreamExt;
/// use listenbrainz_api::{ListenBrainzClient, ListensQuery, TimeWindow, UserName};
///
/// # async fn run(client: ListenBrainzClient, kept: Option<TimeWindow>) -> Result<(), Box<dyn std::error::Error>> {
/// let query = ListensQuery::new(UserName::new("rob")?).resume_from(kept.unwrap_or_default());
/// let mut listens = client.history(query);
/// while let Some(listen) = listens.try_next().await? {
///     println!("{} {}", listen.listened_at, listen.track_metadata.track_name);
/// }
/// // Keep this (serde) and start from it next time: only newer listens come.
/// let next_time: Option<TimeWindow> = listens.sync_point();
/// # Ok(()) }
/// ```
pub type History = client_support::History<Listen, TimeWindow, Error>;

/// The listens a walk may yield before its page budget stops it, unless
/// [`ListenBrainzClientBuilder::max_pages`](crate::ListenBrainzClientBuilder::max_pages)
/// says otherwise: 2,000,000, more than the longest histories (a listen every three minutes,
/// day and night, for eleven years), in at most 2,001 pages of 1,000 (or 2,000,001 of 1).
pub const MAX_LISTENS_PER_WALK: usize = 2_000_000;

impl ListenBrainzClient {
    /// Every listen `query` selects, across pages, oldest first, as a [`History`] stream.
    ///
    /// Each page asks for the `count` oldest listens after the newest second the walk has
    /// finished (twice as many, up to 1000, while a page would hold that second alone), and
    /// ends the walk when it holds fewer than asked for (with both bounds
    /// sent, the server's query is exact, so a short page is the end). The listens of a
    /// full page's newest second are left to the next page, which asks for that second
    /// again: the server orders listens by time alone, so a page may hold only some of the
    /// listens of its last second, and the rest would be skipped.
    ///
    /// The stream ends after the first error, which it yields (the client's retry policy
    /// retries the failing page first, without skipping or repeating listens).
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use listenbrainz_api::{ListenBrainzClient, ListensQuery, UserName};
    ///
    /// # async fn all(client: ListenBrainzClient) -> Result<(), Box<dyn std::error::Error>> {
    /// let mut pages = client.history(ListensQuery::new(UserName::new("rob")?));
    /// while let Some(page) = pages.next_page().await {
    ///     // Store `page.items` and `page.resume_point` together: a crash loses nothing.
    ///     # let _ = page;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn history(&self, query: ListensQuery) -> History {
        let count = query.page_size();
        let max_pages = self
            .max_pages
            .unwrap_or_else(|| page_budget(MAX_LISTENS_PER_WALK, count.get() as usize));
        let walk = Listens {
            client: self.clone(),
            user: query.user,
            count,
        };
        History::new(walk, query.from, max_pages)
    }
}

/// How a walk through the listens pages: forward in time, from window to window.
struct Listens {
    client: ListenBrainzClient,
    user: UserName,
    count: Count,
}

impl Walk for Listens {
    type Item = Listen;
    type Position = TimeWindow;
    type Error = Error;

    fn scrubber(&self) -> client_support::scrub::Scrubber {
        self.client.sender.scrubber()
    }

    /// The page of the window `at`, with its `max_ts` fixed now: a window open to the
    /// present is sent with the present's bound, and the page is checked against the bound
    /// sent (a listen after it is no answer to the request).
    fn fetch(&self, at: TimeWindow) -> PageFuture<Listen, TimeWindow, Error> {
        let client = self.client.clone();
        let sent = match at.bounds(chrono::Utc::now().timestamp()) {
            Ok((_, max_ts)) => at.clone().before(max_ts),
            // Refused before sending: `fetch` says why.
            Err(_) => at.clone(),
        };
        let query = ListensQuery::new(self.user.clone()).resume_from(sent.clone());
        let mut count = self.count;
        Box::pin(async move {
            loop {
                let payload = client.fetch(&query.clone().count(count)).await?;
                // A page of the window's first second alone cannot move the walk on: the
                // same window is asked again with twice the count, up to the most.
                if count < Count::MAX && fills_first_second(&payload, &at, count) {
                    count = count.doubled();
                    continue;
                }
                return page(payload, &at, sent.before, count);
            }
        })
    }

    /// The window after `listen`: its second again, less it and those before it.
    fn position_after(&self, page: &TimeWindow, listen: &Listen, _index: usize) -> TimeWindow {
        TimeWindow {
            after: listen.listened_at.saturating_sub(1),
            before: page.before,
            within: Within::Through(listen.recording_msid.clone()),
        }
    }

    /// The window from `listen` on: its second again, less those before it.
    fn position_before(&self, page: &TimeWindow, listen: &Listen, _index: usize) -> TimeWindow {
        TimeWindow {
            after: listen.listened_at.saturating_sub(1),
            before: page.before,
            within: Within::Before(listen.recording_msid.clone()),
        }
    }

    fn open_ended(&self) -> bool {
        true
    }

    /// A walk that finds nothing leaves the next one starting where it did.
    fn sync_point_at_start(&self, start: &TimeWindow) -> Option<TimeWindow> {
        Some(start.clone())
    }

    /// After the newest listen seen, open to the present: the next walk from there yields
    /// exactly the listens newer than every listen seen (and those of its second that sort
    /// after it). The walk yields listens in that order, page after page, so the listen just
    /// yielded is the newest seen.
    fn sync_point_after(
        &self,
        _so_far: Option<&TimeWindow>,
        listen: &Listen,
    ) -> Option<TimeWindow> {
        Some(TimeWindow {
            after: listen.listened_at.saturating_sub(1),
            before: None,
            within: Within::Through(listen.recording_msid.clone()),
        })
    }
}

/// The page fetched at `at` (with `max_ts` the `before` sent), oldest first, without what
/// the walk yielded already, and what comes next.
fn page(
    payload: ListensPayload,
    at: &TimeWindow,
    sent_before: Option<i64>,
    count: Count,
) -> Result<Page<Listen, TimeWindow>, Error> {
    let sent = payload.listens.len();
    if sent > count.get() as usize {
        return Err(protocol(format!(
            "a page holds {sent} listens, more than the count of {count} asked for"
        )));
    }
    let first_second = at.after.saturating_add(1);
    for listen in payload.listens.iter().filter_map(Entry::item) {
        let time = listen.listened_at;
        if time <= at.after || sent_before.is_some_and(|before| time >= before) {
            return Err(protocol(format!(
                "a listen at {time} falls outside the window asked for (after {}, before \
                 {sent_before:?})",
                at.after
            )));
        }
    }
    let full = sent == count.get() as usize;
    let newest = payload
        .listens
        .iter()
        .filter_map(Entry::item)
        .map(|listen| listen.listened_at)
        .max();
    let next = match (full, newest) {
        (false, _) => Next::End(Outcome::Complete),
        (true, None) => {
            return Err(protocol(format!(
                "a full page of {sent} listens holds none that decodes, so no window follows it"
            )));
        }
        (true, Some(newest)) if newest == first_second => {
            return Err(protocol(format!(
                "a full page of {sent} listens all in the second {newest}, at the most the \
                 server serves: it cannot page within a second"
            )));
        }
        (true, Some(newest)) => Next::Page(TimeWindow {
            after: newest - 1,
            before: at.before,
            within: Within::Start,
        }),
    };
    // A full page leaves its newest second to the next page, which holds all of it.
    let kept = |listen: &Listen| {
        let left_for_next = full && Some(listen.listened_at) == newest;
        let yielded =
            listen.listened_at == first_second && !at.within.is_ahead(&listen.recording_msid);
        !left_for_next && !yielded
    };
    let mut items: Vec<(usize, Entry<Listen>)> = payload
        .listens
        .into_iter()
        .enumerate()
        .filter(|(_, entry)| entry.item().is_none_or(kept))
        .collect();
    // The server lists newest first; the walk yields oldest first, and the listens of one
    // second in `recording_msid` order, which the windows rely on. A malformed listen has no
    // time: it keeps its place, as sent, reversed.
    items.reverse();
    Ok(Page {
        items: in_order(items),
        next,
    })
}

/// Whether `payload`, asked for with `count`, is a full page whose listens are all of the
/// window's first second: the walk cannot go past that second with pages of this size.
fn fills_first_second(payload: &ListensPayload, at: &TimeWindow, count: Count) -> bool {
    let first_second = at.after.saturating_add(1);
    let mut listens = payload.listens.iter().filter_map(Entry::item).peekable();
    payload.listens.len() == count.get() as usize
        && listens.peek().is_some()
        && listens.all(|listen| listen.listened_at == first_second)
}

/// The well-formed listens sorted by (`listened_at`, `recording_msid`), each malformed one
/// left in its slot.
fn in_order(entries: Vec<(usize, Entry<Listen>)>) -> Vec<(usize, Entry<Listen>)> {
    let key = |entry: &Entry<Listen>| {
        entry
            .item()
            .map(|listen| (listen.listened_at, listen.recording_msid.clone()))
    };
    let (mut listens, slots): (Vec<_>, Vec<_>) = entries
        .into_iter()
        .map(|entry| match key(&entry.1) {
            Some(_) => (Some(entry), None),
            None => (None, Some(entry)),
        })
        .unzip();
    let mut sorted: Vec<_> = listens.drain(..).flatten().collect();
    sorted.sort_by_key(|(_, entry)| key(entry));
    let mut sorted = sorted.into_iter();
    slots
        .into_iter()
        .filter_map(|malformed| malformed.or_else(|| sorted.next()))
        .collect()
}

fn protocol(reason: String) -> Error {
    Error::Protocol(ProtocolError { reason })
}
