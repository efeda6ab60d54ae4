//! The simulations' integration tests, one module per service and one for their authorization
//! servers, in one test binary.

mod amazon;
mod sign_in;
mod spotify;

/// More pages than any walk here takes: no history here holds more than 120 plays, and no
/// page fewer than one. A page loop that gets there is following cursors round; it fails,
/// saying so, instead of requesting until memory runs out. (Every request also has a 5 s
/// timeout, so no page can stall a test either.)
pub(crate) const MAX_PAGES: usize = 200;

/// Fails the test once a page loop has fetched more than [`MAX_PAGES`] pages.
#[track_caller]
pub(crate) fn assert_within_max_pages(pages: usize) {
    assert!(
        pages <= MAX_PAGES,
        "the walk took more than {MAX_PAGES} pages: a cursor loop?"
    );
}
