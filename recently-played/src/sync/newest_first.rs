//! The newest-first strategy, for a service that pages through opaque tokens and has no
//! time filter (Amazon Music): the sync walks newest first until it is
//! [`OVERLAP`](super::OVERLAP) older than the *anchor*, the newest play of the last complete
//! walk; meeting a play at or before the anchor proves the walk reached what is stored.
//! While such a walk is under way, each page is committed with the walk's page token and
//! its first play; a sync that finds one under way first finishes it from that token (or,
//! if the service no longer accepts the token, walks again from the top down to the same
//! anchor), then walks from the top. Once a sync is complete, the service may add to what
//! it stored ([`NewestFirst::after_walk`]: Amazon Music looks up the tracks it has not seen).

use client_support::{DocumentedError, Error, History, ResumePoint};
use futures_util::future::LocalBoxFuture;
use listening_record::{ListeningRecord, RecordError};

use super::{Control, Failed, Progress, Synced, Tally, failed, pages};
use crate::service::{self, Service, Target};
use crate::store::{Gap, Pending, Store};

/// What a service offers the strategy.
pub(crate) trait NewestFirst {
    /// A play, as the client decodes it.
    type Item: TryInto<ListeningRecord, Error = RecordError> + Send + Unpin + 'static;
    /// Its documented error body.
    type Body: DocumentedError + Send + Unpin + 'static;

    /// The history newest first, from `from` (a page token and the plays of that page
    /// already stored).
    fn from(
        &self,
        from: ResumePoint<String>,
    ) -> History<Self::Item, ResumePoint<String>, Error<Self::Body>>;

    /// Run after a complete sync, with what it stored: what to add to the plays, and a note
    /// for the sync's report. A failure here is the sync's, though the plays stay stored.
    fn after_walk<'a>(
        &'a self,
        target: &'a Target,
        store: &'a mut Store,
    ) -> LocalBoxFuture<'a, Result<Option<String>, Failed>>;
}

/// One sync of `service` through `walk`.
pub(crate) async fn sync<W: NewestFirst>(
    walk: &W,
    service: &Service,
    target: &Target,
    store: &mut Store,
    control: &mut Control,
) -> Result<Synced, Failed> {
    let key = service.key;
    let mut state = store.state(key)?;
    let mut progress = Progress::new(service.name);
    let mut tally = Tally::default();
    let mut gap = None;

    // A walk under way first: finish it, from its page token down to the old anchor.
    // Then the walk from the top, down to the newest anchor.
    let mut resuming = state.pending.clone();
    loop {
        let (from, top) = match &resuming {
            Some(pending) => (
                ResumePoint {
                    cursor: pending.cursor.clone(),
                    skip: pending.skip,
                },
                pending.top.clone(),
            ),
            None => (ResumePoint::start(), None),
        };
        let anchor = state.anchor.clone();
        // Reading on past the anchor by the overlap stores what arrived late.
        let floor = anchor
            .as_ref()
            .map(|(ms, _)| ms.saturating_sub(super::OVERLAP.as_millis() as i64));
        let mut top = top;
        // The oldest new play of this walk, for its gap's note.
        tally.oldest_new = None;
        let mut history = walk.from(from);
        let reached = std::cell::Cell::new(false);
        let pages_before = tally.pages;
        let walked = pages(
            service,
            &mut history,
            |records, after| {
                if top.is_none() {
                    top = records.first().map(|r| (r.played_at_ms(), r.key.clone()));
                }
                let after = after.unwrap_or_default();
                state.pending = Some(Pending {
                    top: top.clone(),
                    cursor: after.cursor,
                    skip: after.skip,
                });
                let committed = store.commit_page(key, &records, &state)?;
                Ok(tally.count(committed, control, &mut progress))
            },
            |record| {
                let at = record.played_at_ms();
                reached.set(reached.get() || anchor.as_ref().is_some_and(|(ms, _)| at <= *ms));
                floor.is_some_and(|floor| at < floor)
            },
            |e| failed(service, target, e),
        )
        .await;
        let interrupted = match walked {
            // The saved page token is no longer accepted (opaque tokens expire): the walk
            // starts again from the top, down to the same anchor, and the overlap and the
            // unique key keep it exactly once.
            Err(e) if e.refused_request && resuming.is_some() && tally.pages == pages_before => {
                eprintln!(
                    "{}: the page token saved by an unfinished sync is no longer accepted; \
                     walking again from the newest play.",
                    service.name
                );
                state.pending = None;
                store.commit_page(key, &[], &state)?;
                resuming = None;
                continue;
            }
            walked => walked?,
        };
        if interrupted && !reached.get() {
            return Ok(Synced {
                new: tally.new,
                stored: store.count(key)?,
                pages: tally.pages,
                gap,
                note: None,
                interrupted: true,
            });
        }
        // Complete, or read past the anchor: what this walk stored joins the stored history.
        if !reached.get() && anchor.is_some() && top.is_some() {
            let found = Gap {
                after_ms: anchor.as_ref().map(|a| a.0),
                before_ms: tally.oldest_new,
                new_plays: tally.new,
                note: format!(
                    "the walk reached the end of {}'s history without meeting the newest \
                     play stored before ({}): the service no longer lists it, and plays \
                     between it and {} may be lost. Poll more often.",
                    service.name,
                    anchor
                        .as_ref()
                        .map_or_else(String::new, |a| service::rfc3339(a.0)),
                    tally
                        .oldest_new
                        .map_or_else(|| "the oldest new play".into(), service::rfc3339),
                ),
            };
            store.record_gap(key, &found)?;
            gap = Some(found);
        }
        state.anchor = top.or(anchor);
        state.pending = None;
        store.commit_page(key, &[], &state)?;
        if resuming.take().is_none() {
            break;
        }
    }
    drop(progress);
    let note = walk.after_walk(target, store).await?;
    Ok(Synced {
        new: tally.new,
        stored: store.count(key)?,
        pages: tally.pages,
        gap,
        note,
        interrupted: false,
    })
}
