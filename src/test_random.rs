//! A small seeded random source for the tests that compare a fast path with the plain
//! form it replaces on many generated inputs: the same seed gives the same inputs, so a
//! failure is there on every run.

/// Xorshift64: quick and good enough to pick characters and words.
pub(crate) struct Random(u64);

impl Random {
    /// A source starting from `seed` (not 0).
    pub(crate) fn new(seed: u64) -> Random {
        Random(seed.max(1))
    }

    /// A number in `0..n` (`n` > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    /// A text of up to `max_len` pieces: a third of them from `rare`, the rest from
    /// `common` (mostly letters, as in a letter, so that runs of plain bytes occur).
    pub(crate) fn text(&mut self, max_len: usize, rare: &[&str], common: &[char]) -> String {
        let len = self.below(max_len);
        let mut s = String::new();
        for _ in 0..len {
            if self.below(3) == 0 {
                s.push_str(rare[self.below(rare.len())]);
            } else {
                s.push(common[self.below(common.len())]);
            }
        }
        s
    }
}
