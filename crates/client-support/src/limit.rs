//! Page sizes whose documented bounds are part of their type.

use std::fmt;

/// A `limit` query parameter known to lie in `MIN..=MAX`, so a request that violates the
/// documented bounds cannot be built, let alone sent.
///
/// ```
/// use client_support::Limit;
///
/// type SpotifyLimit = Limit<1, 50>;
/// assert_eq!(SpotifyLimit::new(50)?.get(), 50);
/// let refused = SpotifyLimit::new(51).unwrap_err();
/// assert_eq!(refused.to_string(), "`limit` must be in 1..=50, got 51");
/// # Ok::<(), client_support::LimitOutOfRange>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Limit<const MIN: u32, const MAX: u32>(u32);

impl<const MIN: u32, const MAX: u32> Limit<MIN, MAX> {
    /// The smallest limit the API accepts.
    pub const MIN: Self = Self(MIN);
    /// The largest limit the API accepts: the fewest requests for a full walk.
    pub const MAX: Self = Self(MAX);

    /// Checks `value` against the documented bounds.
    pub fn new(value: u32) -> Result<Self, LimitOutOfRange> {
        Self::try_from(i64::from(value))
    }

    /// The value sent as `limit`.
    pub const fn get(self) -> u32 {
        self.0
    }

    /// The value as the generated operations take it (a `NonZero`): every API's limits
    /// start at 1, which is checked when the type is used, not when a value is made.
    ///
    /// ```
    /// type Limit = client_support::Limit<1, 50>;
    /// assert_eq!(Limit::MAX.nonzero().get(), 50);
    /// ```
    pub const fn nonzero(self) -> std::num::NonZeroU32 {
        const { assert!(MIN >= 1, "a limit that may be 0 is no NonZeroU32") };
        match std::num::NonZeroU32::new(self.0) {
            Some(value) => value,
            None => unreachable!(),
        }
    }
}

impl<const MIN: u32, const MAX: u32> TryFrom<i64> for Limit<MIN, MAX> {
    type Error = LimitOutOfRange;

    fn try_from(value: i64) -> Result<Self, Self::Error> {
        if (i64::from(MIN)..=i64::from(MAX)).contains(&value) {
            Ok(Self(value as u32))
        } else {
            Err(LimitOutOfRange {
                parameter: "limit",
                min: MIN,
                max: MAX,
                value,
            })
        }
    }
}

impl<const MIN: u32, const MAX: u32> fmt::Display for Limit<MIN, MAX> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A limit outside its documented bounds; nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimitOutOfRange {
    /// The query parameter.
    pub parameter: &'static str,
    /// The documented minimum.
    pub min: u32,
    /// The documented maximum.
    pub max: u32,
    /// The value that was refused.
    pub value: i64,
}

impl fmt::Display for LimitOutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` must be in {}..={}, got {}",
            self.parameter, self.min, self.max, self.value
        )
    }
}

impl std::error::Error for LimitOutOfRange {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_in_bounds_reaches_the_generated_operations_unchanged() {
        for n in 1..=100 {
            assert_eq!(Limit::<1, 100>::new(n).unwrap().nonzero().get(), n);
        }
        assert_eq!(Limit::<1, 60>::MAX.nonzero().get(), 60);
    }

    #[test]
    fn bounds_are_inclusive_and_everything_else_is_refused() {
        type L = Limit<1, 60>;
        assert_eq!(L::new(1).unwrap(), L::MIN);
        assert_eq!(L::new(60).unwrap(), L::MAX);
        for refused in [0, 61, u32::MAX] {
            let error = L::new(refused).unwrap_err();
            assert_eq!(
                (error.min, error.max, error.value),
                (1, 60, i64::from(refused))
            );
        }
        assert_eq!(L::try_from(-1).unwrap_err().value, -1);
    }
}
