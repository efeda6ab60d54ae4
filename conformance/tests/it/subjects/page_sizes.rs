//! What a subject does with page sizes: what its client sends given none, and how its
//! simulation reads one outside the documented bounds.

use conformance::bounds;

/// A subject's page sizes, where services differ.
pub trait PageSizes {
    /// The smallest page size a walk of it pages past whatever the plays' times: a walk of
    /// plays a second apart at this size reads one play a page.
    fn smallest_page(&self) -> u32 {
        1
    }

    /// The page size its client sends in one request of a history operation given none.
    fn fetch_without_a_limit(&self) -> WithoutALimit;

    /// The page size its client sends in every request of a walk given none.
    fn walk_without_a_limit(&self) -> WithoutALimit;

    /// The status its simulation answers a request sent without a client, with a page size
    /// of `value`, outside the documented bounds: `400`, as every service documents.
    fn status_for_a_limit_outside(&self, _value: i64) -> u16 {
        400
    }

    /// Whether its client makes a page size from a `u32` only, not from any `i64` as the
    /// others do: a test then draws no page size outside `u32` for it.
    fn limit_is_a_u32(&self) -> bool {
        false
    }
}

/// What a client sends as the page size when it is given none.
#[derive(Clone, Copy)]
pub enum WithoutALimit {
    /// None: the documented default applies.
    SendsNone,
    /// The documented maximum, for the fewest requests.
    SendsTheMaximum,
}

impl WithoutALimit {
    /// The page size sent, of an operation documented as `limit`.
    pub fn sent(self, limit: &bounds::Limit) -> Option<u64> {
        match self {
            Self::SendsNone => None,
            Self::SendsTheMaximum => Some(limit.max),
        }
    }

    /// The page size served, of an operation documented as `limit`.
    pub fn served(self, limit: &bounds::Limit) -> u64 {
        self.sent(limit).unwrap_or(limit.default)
    }
}
