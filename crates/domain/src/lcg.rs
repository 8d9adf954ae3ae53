//! A deterministic generator (Knuth's MMIX linear congruential generator), so demo data,
//! benchmark seeds and randomised tests come out the same on every run, without `rand`. Not
//! for anything secret.

#[derive(Debug, Clone)]
pub struct Lcg(pub u64);

impl Lcg {
    /// The next value below `n` (0 when `n` is 0).
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next(100) < percent
    }
}
