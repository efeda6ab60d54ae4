//! A small deterministic generator for the `realistic` histories: the same seed gives the same
//! history on every machine and every run.

/// SplitMix64: tiny, fast, and good enough to vary test data.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// A number in `low..=high`.
    pub(crate) fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.below(high - low + 1)
    }

    /// True with probability `1/n`.
    pub(crate) fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// `len` characters drawn from `alphabet`.
    pub(crate) fn string(&mut self, alphabet: &[u8], len: usize) -> String {
        (0..len).map(|_| char::from(*self.pick(alphabet))).collect()
    }
}

pub(crate) const BASE62: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub(crate) const UPPER_ALNUM: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
pub(crate) const LOWER_BASE32: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";

const ADJECTIVES: &[&str] = &[
    "Electric", "Quiet", "Golden", "Midnight", "Paper", "Velvet", "Hollow", "Neon", "Silver",
    "Wild", "Broken", "Distant", "Lucid", "Crimson", "Endless", "Northern",
];
const NOUNS: &[&str] = &[
    "Harbour",
    "Signals",
    "Gardens",
    "Motel",
    "Rivers",
    "Machines",
    "Lanterns",
    "Satellites",
    "Orchard",
    "Weather",
    "Mirrors",
    "Highway",
    "Echoes",
    "Tides",
    "Parade",
    "Static",
];

/// A made-up title such as "Velvet Satellites".
pub(crate) fn title(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(ADJECTIVES), rng.pick(NOUNS))
}

/// A made-up artist name such as "The Hollow Echoes".
pub(crate) fn artist_name(rng: &mut Rng) -> String {
    if rng.one_in(2) {
        format!("The {} {}", rng.pick(ADJECTIVES), rng.pick(NOUNS))
    } else {
        format!("{} {}", rng.pick(NOUNS), rng.pick(NOUNS))
    }
}
