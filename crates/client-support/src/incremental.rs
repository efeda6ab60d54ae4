//! Keeping a history incrementally, exactly once across runs, for a program that stores the
//! plays itself: what to ask for next, and which plays of an answer are new.
//!
//! The services are messier than their documents: a play can arrive hours late with an
//! older time, and a walk can be cut off anywhere (a crash, a deadline, a rate limit). So
//! every sync reads again an *overlap* below the newest play it has, and [`Seen`] remembers
//! the plays of that overlap to tell a play seen again from a new one. Persist one value
//! between runs (serde, in any format): [`Seen`] for a history asked for by time
//! (Spotify's `after=`, oldest first), [`NewestFirst`] for one walked newest first through
//! opaque page tokens (Amazon Music). Commit it together with the plays it admitted, and
//! each play is kept once however runs end.
//!
//! ```
//! use client_support::incremental::{PlayId, Seen};
//! use std::time::Duration;
//!
//! let mut seen = Seen::new(Duration::from_secs(3600), 2);
//! assert_eq!(seen.after_ms(), 0, "nothing seen: ask for everything");
//! assert!(seen.admit(PlayId::new(1_000, "play")));
//! assert!(!seen.admit(PlayId::new(1_000, "play")), "the same play again is not new");
//! assert!(seen.admit(PlayId::new(5_000, "play")));
//! // The next run asks again from just before the oldest play it still remembers.
//! assert_eq!(seen.after_ms(), 999);
//! let saved = serde_json::to_string(&seen)?;
//! assert_eq!(serde_json::from_str::<Seen>(&saved)?, seen);
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::collections::BTreeSet;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::paging::ResumePoint;

/// What names one play within its service: when it was played (Unix milliseconds) and a
/// key that tells apart two plays of that millisecond. Each client crate makes it for its
/// plays with [`Play::play_id`], by the rule its docs give.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PlayId {
    /// When it was played, Unix milliseconds.
    pub at_ms: i64,
    /// What names it within that millisecond.
    pub key: String,
}

impl PlayId {
    /// The play at `at_ms` named `key`.
    ///
    /// ```
    /// let id = client_support::incremental::PlayId::new(1_714_557_600_000, "play");
    /// assert_eq!((id.at_ms, id.key.as_str()), (1_714_557_600_000, "play"));
    /// ```
    pub fn new(at_ms: i64, key: impl Into<String>) -> Self {
        Self {
            at_ms,
            key: key.into(),
        }
    }
}

/// A play of a service's history: what names it.
pub trait Play {
    /// When it was played and what tells it apart from another play of that millisecond.
    fn play_id(&self) -> PlayId;
}

/// The plays a program has kept, as far back as it must remember them: every play within
/// `overlap` of the newest, and at least the newest `at_least` (the most a service keeps,
/// so that a late play it can still serve is never older than what is remembered). Older
/// plays are forgotten, so memory stays bounded however long the history grows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    overlap_ms: i64,
    at_least: usize,
    plays: BTreeSet<PlayId>,
}

impl Seen {
    /// Remembers the plays within `overlap` of the newest, and at least the newest
    /// `at_least`.
    pub fn new(overlap: Duration, at_least: usize) -> Self {
        Self {
            overlap_ms: i64::try_from(overlap.as_millis()).unwrap_or(i64::MAX),
            at_least,
            plays: BTreeSet::new(),
        }
    }

    /// Whether `play` is new; if it is, it is remembered (and older plays may be
    /// forgotten). Commit the plays it admitted together with this state.
    pub fn admit(&mut self, play: PlayId) -> bool {
        if self.plays.contains(&play) {
            return false;
        }
        if self.plays.len() >= self.at_least && self.oldest().is_some_and(|o| play < *o) {
            // Older than everything remembered: it is before the overlap, where what
            // was kept is no longer known. A walk that reads that far treats it as kept.
            return false;
        }
        self.plays.insert(play);
        self.forget_old();
        true
    }

    /// Where a history asked for by time starts (exclusive, Unix milliseconds): just
    /// before the oldest play remembered, so the overlap is read again; `0` when nothing
    /// is (every play after the epoch).
    pub fn after_ms(&self) -> i64 {
        self.oldest().map_or(0, |o| o.at_ms.saturating_sub(1))
    }

    /// The newest play remembered.
    pub fn newest(&self) -> Option<&PlayId> {
        self.plays.last()
    }

    /// The oldest play remembered: a walk newest first may stop below it.
    pub fn oldest(&self) -> Option<&PlayId> {
        self.plays.first()
    }

    /// How many plays are remembered.
    pub fn len(&self) -> usize {
        self.plays.len()
    }

    /// Whether no play is remembered (nothing kept yet).
    pub fn is_empty(&self) -> bool {
        self.plays.is_empty()
    }

    fn forget_old(&mut self) {
        let Some(newest) = self.plays.last().map(|p| p.at_ms) else {
            return;
        };
        let floor = newest.saturating_sub(self.overlap_ms);
        while self.plays.len() > self.at_least
            && self
                .plays
                .first()
                .is_some_and(|oldest| oldest.at_ms < floor)
        {
            self.plays.pop_first();
        }
    }
}

/// Where an incremental sync of a history walked newest first stands (Amazon Music: no
/// time filter, opaque page tokens): the plays seen, and a walk under way, if one was cut
/// off. Start each run's walk at [`NewestFirst::resume_point`], hand each page to
/// [`NewestFirst::page`], and persist this after each page together with what it admitted.
///
/// A walk goes down until it is below every play remembered (it has met what was kept),
/// or to the end of the history. While it is under way, nothing is forgotten and its floor
/// does not move, so a walk cut off and resumed (or started again from the top, when the
/// service no longer accepts its token) still reaches what was kept before it began.
///
/// ```
/// use client_support::incremental::{NewestFirst, PlayId};
/// use client_support::ResumePoint;
/// use std::time::Duration;
///
/// let mut sync = NewestFirst::new(Duration::from_secs(3600), 50);
/// assert_eq!(sync.resume_point(), ResumePoint::start());
/// // A first walk: one page, then the end of the history.
/// let new = sync.page(vec![PlayId::new(2_000, "b"), PlayId::new(1_000, "a")], |p| p.clone(), None);
/// assert_eq!(new.len(), 2);
/// assert!(sync.is_complete());
/// // The next run: the same plays again, then a new one on top.
/// let new = sync.page(vec![PlayId::new(3_000, "c"), PlayId::new(2_000, "b")], |p| p.clone(), None);
/// assert_eq!(new, [PlayId::new(3_000, "c")]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewestFirst {
    seen: Seen,
    walk: Option<WalkUnderWay>,
}

/// A walk newest first that was cut off: where to resume it, and how far down it goes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct WalkUnderWay {
    from: ResumePoint<String>,
    /// The oldest play remembered when it began; `None`: nothing was, it reads everything.
    floor: Option<PlayId>,
}

impl NewestFirst {
    /// Remembers the plays within `overlap` of the newest, and at least the newest
    /// `at_least`, between walks.
    pub fn new(overlap: Duration, at_least: usize) -> Self {
        Self {
            seen: Seen::new(overlap, at_least),
            walk: None,
        }
    }

    /// Where this run's walk starts: where the last one was cut off, else the top.
    pub fn resume_point(&self) -> ResumePoint<String> {
        self.walk
            .as_ref()
            .map_or_else(ResumePoint::start, |walk| walk.from.clone())
    }

    /// The service no longer accepts the saved page token: the walk starts again from the
    /// top, down to the same floor (what it admitted is remembered, so nothing twice).
    pub fn restart_from_top(&mut self) {
        if let Some(walk) = &mut self.walk {
            walk.from = ResumePoint::start();
        }
    }

    /// Takes one page of the walk: returns its new plays, newest first as given, and
    /// records where the walk stands. `after` is where the walk resumes after this page
    /// (the history's resume point), `None` when this was the last page. The walk is
    /// complete when the page reached below the floor or was the last.
    pub fn page<I>(
        &mut self,
        items: Vec<I>,
        id: impl Fn(&I) -> PlayId,
        after: Option<ResumePoint<String>>,
    ) -> Vec<I> {
        let walk = self.walk.get_or_insert_with(|| WalkUnderWay {
            from: ResumePoint::start(),
            floor: self.seen.oldest().cloned(),
        });
        let floor = walk.floor.clone();
        let mut reached_floor = false;
        let mut new = Vec::new();
        for item in items {
            let play = id(&item);
            if floor.as_ref().is_some_and(|floor| play < *floor) {
                reached_floor = true;
                continue;
            }
            if !self.seen.plays.contains(&play) {
                self.seen.plays.insert(play);
                new.push(item);
            }
        }
        match after {
            Some(after) if !reached_floor => walk.from = after,
            _ => {
                self.walk = None;
                self.seen.forget_old();
            }
        }
        new
    }

    /// Whether the walk may stop at `play`: it is below the floor, where what was kept
    /// before the walk began is (the plays after it in a newest-first walk are older
    /// still). Always `false` when nothing was kept: a first walk reads everything.
    pub fn is_below_floor(&self, play: &PlayId) -> bool {
        let floor = match &self.walk {
            Some(walk) => walk.floor.as_ref(),
            None => self.seen.oldest(),
        };
        floor.is_some_and(|floor| play < floor)
    }

    /// Whether no walk is under way: the last one met what was kept, or reached the end.
    pub fn is_complete(&self) -> bool {
        self.walk.is_none()
    }

    /// The plays remembered.
    pub fn seen(&self) -> &Seen {
        &self.seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const HOUR: Duration = Duration::from_secs(3600);

    fn id(at_ms: i64) -> PlayId {
        PlayId::new(at_ms, "play")
    }

    #[test]
    fn a_play_older_than_everything_remembered_is_not_new_once_enough_are() {
        let mut seen = Seen::new(Duration::ZERO, 2);
        assert!(seen.admit(id(10)));
        assert!(seen.admit(id(5)), "fewer than at_least: still taken");
        assert!(!seen.admit(id(1)), "older than the two remembered");
        assert!(seen.admit(id(7)), "between them: a late play, new");
        assert_eq!(seen.len(), 2, "the oldest forgotten: {seen:?}");
        assert_eq!(seen.after_ms(), 6);
    }

    #[test]
    fn plays_within_the_overlap_of_the_newest_are_remembered() {
        let hour_ms = 3_600_000;
        let mut seen = Seen::new(HOUR, 1);
        for at in [0, hour_ms / 2, hour_ms, hour_ms + 1] {
            assert!(seen.admit(id(at)));
        }
        assert_eq!(
            seen.oldest(),
            Some(&id(hour_ms / 2)),
            "0 is more than an hour below the newest"
        );
        assert_eq!(seen.newest(), Some(&id(hour_ms + 1)));
    }

    #[test]
    fn a_walk_cut_off_resumes_from_its_token_down_to_the_floor_it_began_with() {
        let mut sync = NewestFirst::new(Duration::ZERO, 2);
        sync.page(vec![id(20), id(10)], PlayId::clone, None);
        assert!(sync.is_complete());
        // Three new plays on top; the walk is cut off after its first page.
        let token = ResumePoint::at("page-2".to_string());
        let new = sync.page(vec![id(50), id(40)], PlayId::clone, Some(token.clone()));
        assert_eq!(new, [id(50), id(40)]);
        assert!(!sync.is_complete());
        let saved: NewestFirst =
            serde_json::from_str(&serde_json::to_string(&sync).unwrap()).unwrap();
        assert_eq!(saved.resume_point(), token);
        // Resumed: the floor is still the play at 10, though 40 and 50 are remembered now.
        let mut sync = saved;
        let new = sync.page(
            vec![id(30), id(20), id(10), id(5)],
            PlayId::clone,
            Some(ResumePoint::at("page-3".into())),
        );
        assert_eq!(new, [id(30)]);
        assert!(
            sync.is_complete(),
            "below the floor: the walk met what was kept"
        );
        assert_eq!(sync.resume_point(), ResumePoint::start());
        // The next walk's floor: the oldest of the two newest plays remembered.
        assert!(sync.is_below_floor(&id(30)) && !sync.is_below_floor(&id(40)));
    }

    #[test]
    fn a_walk_started_again_from_the_top_admits_nothing_twice() {
        let mut sync = NewestFirst::new(Duration::ZERO, 1);
        sync.page(vec![id(10)], PlayId::clone, None);
        sync.page(
            vec![id(30)],
            PlayId::clone,
            Some(ResumePoint::at("expired".into())),
        );
        sync.restart_from_top();
        assert_eq!(sync.resume_point(), ResumePoint::start());
        let new = sync.page(vec![id(30), id(20), id(10)], PlayId::clone, None);
        assert_eq!(new, [id(20)]);
    }

    proptest! {
        /// Whatever the order plays arrive in and however the runs are cut, a history
        /// asked for by time from `after_ms` admits each play once, and every play the
        /// service still serves (its newest `kept`) is admitted.
        #[test]
        fn every_play_the_service_serves_is_admitted_exactly_once(
            // Unix milliseconds after the epoch: `after=0` asks for every play after it.
            times in proptest::collection::btree_set(1i64..10_000, 1..120),
            kept in 1usize..60,
            cuts in proptest::collection::vec(1usize..40, 1..10),
        ) {
            let history: Vec<i64> = times.into_iter().collect();
            let mut seen = Seen::new(Duration::from_millis(500), kept);
            let mut admitted = Vec::new();
            let mut served_upto = 0usize;
            for cut in cuts.iter().chain(std::iter::once(&usize::MAX)) {
                served_upto = served_upto.saturating_add(*cut).min(history.len());
                // The service keeps its newest `kept` plays of those recorded so far.
                let recorded = &history[..served_upto];
                let kept_from = recorded.len().saturating_sub(kept);
                let after = seen.after_ms();
                for &at in recorded[kept_from..].iter().filter(|&&at| at > after) {
                    if seen.admit(id(at)) {
                        admitted.push(at);
                    }
                }
            }
            let mut unique = admitted.clone();
            unique.sort_unstable();
            unique.dedup();
            prop_assert_eq!(unique.len(), admitted.len(), "admitted twice: {:?}", admitted);
            let last_served = &history[history.len().saturating_sub(kept)..];
            for at in last_served {
                prop_assert!(admitted.contains(at), "{} never admitted", at);
            }
        }
    }
}
