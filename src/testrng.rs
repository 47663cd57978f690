//! The one test PRNG: xorshift64*, deterministic and dependency-free. The crate's unit
//! tests reach it as `crate::testrng::Rng`; the integration tests include this file from
//! `tests/common` (it uses nothing of the crate).

/// xorshift64* (Vigna): a 64-bit state, never zero.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

#[allow(dead_code)] // each test crate uses its own part of it
impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}
