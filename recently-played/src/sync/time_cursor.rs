//! The time-cursor strategy, for a service that serves the plays after a time (Spotify):
//! each sync asks for the plays after the earlier of the service's window of kept plays
//! and [`OVERLAP`](super::OVERLAP) before the newest stored play, oldest first, committing
//! page by page; a sync stopped anywhere is resumed by the next one's overlap.
//!
//! A service that keeps only its newest `KEPT` plays can serve a play, late or not, only if
//! fewer than `KEPT` plays are newer, all of which are stored: it is newer than the
//! `KEPT`-th newest stored play, and the walk asks for it. A service that keeps every play
//! (ListenBrainz) has only the overlap.

use std::fmt::Debug;

use client_support::{DocumentedError, Error, History, Outcome};
use listening_record::{ListeningRecord, RecordError};

use super::{Control, Failed, Progress, Synced, Tally, failed, pages};
use crate::service::{self, Service, Target};
use crate::store::{Gap, Store, SyncState};

/// What a service offers the strategy.
pub(crate) trait TimeCursor {
    /// A play, as the client decodes it.
    type Item: TryInto<ListeningRecord, Error = RecordError> + Send + Unpin + 'static;
    /// Where its walks stand.
    type Position: Clone + PartialEq + Debug + Send + Sync + Unpin + 'static;
    /// Its documented error body.
    type Body: DocumentedError + Send + Unpin + 'static;

    /// The most plays the service keeps (Spotify: its newest 50); `None`: all of them.
    const KEPT: Option<usize>;

    /// Every play strictly after `after_ms` (Unix milliseconds), oldest first.
    fn after(&self, after_ms: i64) -> History<Self::Item, Self::Position, Error<Self::Body>>;

    /// Whether the service still holds the play at `ms`; `None` when it will not say (a
    /// private session).
    async fn still_holds(&self, ms: i64) -> Result<Option<bool>, Error<Self::Body>>;
}

/// One sync of `service` through `cursor`.
pub(crate) async fn sync<C: TimeCursor>(
    cursor: &C,
    service: &Service,
    target: &Target,
    store: &mut Store,
    control: &mut Control,
) -> Result<Synced, Failed> {
    let key = service.key;
    let prior_newest = store.newest(key)?;
    // With nothing stored, everything the service keeps, oldest first (`after=0`).
    let start = store
        .overlap_start(key, C::KEPT.unwrap_or(1), super::OVERLAP.as_millis() as i64)?
        .unwrap_or(0);
    let mut history = cursor.after(start);
    let mut progress = Progress::new(service.name);
    let mut tally = Tally::default();
    let interrupted = pages(
        service,
        &mut history,
        |records, _| {
            let committed = store.commit_page(key, &records, &SyncState::default())?;
            Ok(tally.count(committed, control, &mut progress))
        },
        |_| false,
        |e| failed(service, target, e),
    )
    .await?;
    drop(progress);
    let note = (history.outcome() == Some(Outcome::PrivateSession)).then(|| {
        format!(
            "private session: {} hides the history; nothing synced, try later.",
            service.name
        )
    });
    let gap = match prior_newest {
        Some((stored, _)) if tally.new > 0 && !interrupted => {
            let holds = cursor
                .still_holds(stored)
                .await
                .map_err(|e| failed(service, target, &e))?;
            (holds == Some(false)).then(|| gap::<C>(service, stored, tally.oldest_new, tally.new))
        }
        _ => None,
    };
    if let Some(gap) = &gap {
        store.record_gap(key, gap)?;
    }
    Ok(Synced {
        new: tally.new,
        stored: store.count(key)?,
        pages: tally.pages,
        gap,
        note,
        interrupted,
    })
}

/// After a walk that found new plays, the service no longer holds the newest play stored
/// before it: its window moved past it, and the plays between may be lost. (When it still
/// holds it, its window reached back to what was stored: the window only moves forward,
/// and the walk came before the check.)
fn gap<C: TimeCursor>(service: &Service, stored: i64, oldest_new: Option<i64>, new: usize) -> Gap {
    Gap {
        after_ms: Some(stored),
        before_ms: oldest_new,
        new_plays: new,
        note: format!(
            "{name} no longer holds the newest play stored before this poll ({}); plays \
             between it and {} may be lost. {name} keeps only the last {} plays (about \
             2.5 h of listening): poll more often (sync --watch polls every {} min).",
            service::rfc3339(stored),
            oldest_new.map_or_else(|| "the oldest new play".to_string(), service::rfc3339),
            C::KEPT.unwrap_or(usize::MAX),
            super::DEFAULT_EVERY.as_secs() / 60,
            name = service.name,
        ),
    }
}
