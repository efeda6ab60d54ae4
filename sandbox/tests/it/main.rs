//! The simulations' integration tests, one module per service and one for their authorization
//! servers, in one test binary.

mod amazon;
mod listenbrainz;
mod sign_in;
mod spotify;

/// More pages than any walk here takes: no walked history here holds more than 400 plays,
/// and no walk takes more than 120 pages. A page loop that gets there is following cursors round; it fails,
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
