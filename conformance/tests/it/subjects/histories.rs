//! Whole histories of a subject, one for each operation that reads a page of its history:
//! drawn, simulated, and the keys a walk of each must yield.

use futures_util::future::LocalBoxFuture;
use proptest::strategy::BoxedStrategy;

use super::{Plays, Simulation};

/// A subject's whole histories, by the operation
/// ([`history_operations`](super::Subject::history_operations)) that walks them.
pub trait WholeHistories {
    /// The order a walk yields plays in, as a promise says it ("newest first").
    fn history_order(&self) -> &'static str;

    /// A page size and plays (empty now and then, ending on a page boundary often) for a
    /// walk of the whole history `operation_id` reads.
    fn whole_histories(&self, operation_id: &str) -> BoxedStrategy<(u32, Plays)>;

    /// Starts its simulation with `plays` in the history `operation_id` reads.
    fn simulate_history(
        &self,
        operation_id: &str,
        plays: &Plays,
    ) -> LocalBoxFuture<'static, Box<dyn Simulation>>;

    /// The keys a walk of `operation_id` over `plays` yields, in the order it yields them.
    fn history_keys(&self, operation_id: &str, plays: &Plays) -> Vec<String>;
}
