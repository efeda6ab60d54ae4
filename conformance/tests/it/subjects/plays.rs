//! Plays a property draws for a subject, a page of them as its simulation serves it, and the
//! runner that holds every subject to a property.

use std::ops::Range;

use futures_util::future::LocalBoxFuture;
use proptest::strategy::{BoxedStrategy, Strategy};
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;

use super::{Simulation, Subject};
use crate::common::{Kind, config};

/// Plays a property draws: when (Unix milliseconds, newest first), and, where a service's
/// plays have kinds (Amazon Music's entities), each one's kind.
#[derive(Clone, Debug)]
pub struct Plays {
    /// When each was played.
    pub times: Vec<i64>,
    /// Each one's kind, where plays have kinds; empty otherwise.
    pub kinds: Vec<Kind>,
}

impl Plays {
    /// Plays at `times`, of no kind.
    pub fn at(times: Vec<i64>) -> Self {
        Self {
            times,
            kinds: Vec::new(),
        }
    }
}

/// A page of a walk as its simulation serves it.
pub struct ServedPage {
    /// The page's body.
    pub body: Value,
    /// How many items the walk yields before it asks for this page.
    pub yielded_before: usize,
}

/// Runs `property` on the cases `strategy` draws, as `proptest!` would (the suite's
/// [`config`], failures kept beside `source_file`), and fails naming `subject` and its
/// smallest failing case.
pub fn hold_property<S: Strategy>(
    subject: &'static dyn Subject,
    source_file: &'static str,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    hold_property_in_at_most(subject, source_file, u32::MAX, strategy, property);
}

/// [`hold_property`], on at most `cases` cases (fewer if the suite's [`config`] says so),
/// for a property whose every case costs many requests.
pub fn hold_property_in_at_most<S: Strategy>(
    subject: &'static dyn Subject,
    source_file: &'static str,
    cases: u32,
    strategy: S,
    property: impl Fn(S::Value) -> Result<(), TestCaseError>,
) {
    let config = config();
    let mut runner = TestRunner::new(Config {
        source_file: Some(source_file),
        cases: config.cases.min(cases),
        ..config
    });
    if let Err(failure) = runner.run(&strategy, property) {
        panic!("{}: {failure}", subject.name());
    }
}

/// A subject's pages as its simulation serves them, for the properties that break one.
pub trait ServedPages {
    /// A page size and plays (at least one) for a walk of
    /// [`history_operation`](super::Subject::history_operation) one of whose pages is served with an
    /// item broken.
    fn broken_item_walks(&self) -> BoxedStrategy<(u32, Plays)>;

    /// Starts its simulation with `plays` in the history
    /// [`history_operation`](super::Subject::history_operation) reads, and no other.
    fn simulate_plays(&self, plays: &Plays) -> LocalBoxFuture<'static, Box<dyn Simulation>>;

    /// The keys a walk of `plays` yields, in the order it yields them.
    fn expected_keys(&self, plays: &Plays) -> Vec<String>;

    /// How many pages a walk of `plays` at `page_size` reads, each a request: the fewest its
    /// paging allows, one for an empty history (only the service can say there is nothing).
    fn pages(&self, plays: &Plays, page_size: u32) -> usize;

    /// Page `page` (from 0) of a walk of `plays` at `page_size`, as the simulation at
    /// `base_url` serves it.
    fn served_page<'a>(
        &'a self,
        base_url: &'a str,
        plays: &'a Plays,
        page_size: u32,
        page: usize,
    ) -> LocalBoxFuture<'a, ServedPage>;

    /// The items of `page`, a page of its history as served.
    fn items_of<'a>(&self, page: &'a mut Value) -> &'a mut Vec<Value>;

    /// Which of the `items` of a page at `page_size` can be broken without costing another
    /// item: any of them, unless the service asks for some of them again.
    fn breakable(&self, items: usize, _page_size: u32) -> Range<usize> {
        0..items
    }

    /// The member of an item that holds when it was played.
    fn time_field(&self) -> &'static str;

    /// The key a walk yields for `item`, an item of a page as served.
    fn raw_key(&self, item: &Value) -> String;
}
