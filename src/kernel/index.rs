//! The structural index of a record line: where its separators are, 64 bytes at a time.
//!
//! A line is read in 64-byte blocks; each block becomes two bit masks (spaces, tabs),
//! built with SSE2 on x86_64, `simd128` on wasm32 when the module is built with it, and
//! eight-byte SWAR words everywhere else. The decode kernel then walks the space bits
//! with `trailing_zeros`, so finding the end of a value costs a few instructions however
//! long it is, and there is no separate split pass or span vector.

/// Bytes per block of the index.
const BLOCK: usize = 64;

/// The space and tab bits of one 64-byte block (bit `i` is byte `base + i`).
#[derive(Debug, Clone, Copy)]
struct Masks {
    spaces: u64,
    tabs: u64,
}

/// Finds the masks of the 64 bytes at `block` (exactly 64 bytes).
#[inline(always)]
fn masks(block: &[u8; BLOCK]) -> Masks {
    #[cfg(target_arch = "x86_64")]
    {
        // SAFETY: SSE2 is part of the x86_64 baseline; the loads read the 64 bytes of
        // `block` (unaligned loads of a borrowed array).
        unsafe { masks_sse2(block) }
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        masks_simd128(block)
    }
    #[cfg(not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )))]
    {
        masks_swar(block)
    }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn masks_sse2(block: &[u8; BLOCK]) -> Masks {
    use std::arch::x86_64::*;
    let space = _mm_set1_epi8(b' ' as i8);
    let tab = _mm_set1_epi8(b'\t' as i8);
    let (mut spaces, mut tabs) = (0u64, 0u64);
    for k in 0..BLOCK / 16 {
        let v = _mm_loadu_si128(block.as_ptr().add(16 * k) as *const __m128i);
        let s = _mm_movemask_epi8(_mm_cmpeq_epi8(v, space)) as u32 as u64;
        let t = _mm_movemask_epi8(_mm_cmpeq_epi8(v, tab)) as u32 as u64;
        spaces |= s << (16 * k);
        tabs |= t << (16 * k);
    }
    Masks { spaces, tabs }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn masks_simd128(block: &[u8; BLOCK]) -> Masks {
    use core::arch::wasm32::*;
    let (mut spaces, mut tabs) = (0u64, 0u64);
    for k in 0..BLOCK / 16 {
        // SAFETY: the 16 bytes read are inside `block`; v128_load has no alignment need.
        let v = unsafe { v128_load(block.as_ptr().add(16 * k) as *const v128) };
        let s = u8x16_bitmask(u8x16_eq(v, u8x16_splat(b' '))) as u64;
        let t = u8x16_bitmask(u8x16_eq(v, u8x16_splat(b'\t'))) as u64;
        spaces |= s << (16 * k);
        tabs |= t << (16 * k);
    }
    Masks { spaces, tabs }
}

/// The portable fallback: eight bytes at a time.
#[allow(dead_code)] // the scalar fallback is compiled (and tested) on every target
#[inline(always)]
fn masks_swar(block: &[u8; BLOCK]) -> Masks {
    let (mut spaces, mut tabs) = (0u64, 0u64);
    for k in 0..BLOCK / 8 {
        let mut w = [0u8; 8];
        w.copy_from_slice(&block[8 * k..8 * k + 8]);
        let w = u64::from_le_bytes(w);
        spaces |= high_bits(zero_bytes(w ^ 0x2020_2020_2020_2020)) << (8 * k);
        tabs |= high_bits(zero_bytes(w ^ 0x0909_0909_0909_0909)) << (8 * k);
    }
    Masks { spaces, tabs }
}

/// The high bit of every zero byte of `x`, exactly (no false positives from borrows).
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    !(((x & LO7).wrapping_add(LO7)) | x | LO7)
}

/// Gathers the high bit of each byte into the low eight bits.
#[inline(always)]
fn high_bits(x: u64) -> u64 {
    ((x >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Walks the values of one line: each call gives the end of the next value. The end of
/// the line counts as a separator. Any tab makes the walk stop (`None`): tab-separated
/// lines are rare and the reference path handles them.
pub(crate) struct Separators<'a> {
    line: &'a [u8],
    /// Start of the current block.
    base: usize,
    /// Separator bits of the current block not handed out yet.
    bits: u64,
}

impl<'a> Separators<'a> {
    /// The walk of `line`, its first block indexed; None when that block has a tab.
    #[inline(always)]
    pub(crate) fn new(line: &'a [u8]) -> Option<Separators<'a>> {
        let bits = Self::block_bits(line, 0)?;
        Some(Separators {
            line,
            base: 0,
            bits,
        })
    }

    /// The separator bits of the block at `base` (`base <= line.len()`), with the line's
    /// end as one more separator; None when the block holds a tab.
    #[inline(always)]
    fn block_bits(line: &[u8], base: usize) -> Option<u64> {
        let m = match line.get(base..base + BLOCK) {
            Some(b) => {
                let b: &[u8; BLOCK] = b.try_into().ok()?;
                masks(b)
            }
            None if line.len() >= BLOCK => {
                // the last, partial block: the line's last 64 bytes, shifted so that
                // bit 0 is `base` (no copy)
                let rest = line.len() - base;
                let b: &[u8; BLOCK] = line[line.len() - BLOCK..].try_into().ok()?;
                let m = masks(b);
                let drop = (BLOCK - rest) as u32;
                Masks {
                    spaces: m.spaces.checked_shr(drop).unwrap_or(0) | 1u64 << rest,
                    tabs: m.tabs.checked_shr(drop).unwrap_or(0),
                }
            }
            None => {
                // a line shorter than a block: padded with a byte that is no separator
                let rest = &line[base..];
                let mut b = [b'x'; BLOCK];
                b[..rest.len()].copy_from_slice(rest);
                let mut m = masks(&b);
                m.spaces |= 1u64 << rest.len();
                m
            }
        };
        (m.tabs == 0).then_some(m.spaces)
    }

    /// The end of the next value (the position of the separator after it, or the line's
    /// length); None after the line's end or at a tab.
    #[inline(always)]
    pub(crate) fn next_end(&mut self) -> Option<usize> {
        while self.bits == 0 {
            self.base += BLOCK;
            if self.base > self.line.len() {
                return None;
            }
            self.bits = Self::block_bits(self.line, self.base)?;
        }
        let end = self.base + self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends(line: &[u8]) -> Option<Vec<usize>> {
        let mut s = Separators::new(line)?;
        let mut v = Vec::new();
        loop {
            let e = s.next_end()?;
            v.push(e);
            if e == line.len() {
                return Some(v);
            }
        }
    }

    #[test]
    fn every_space_and_the_end_are_separators() {
        assert_eq!(ends(b"a bb c"), Some(vec![1, 4, 6]));
        assert_eq!(ends(b""), Some(vec![0]));
        assert_eq!(ends(b"a\tb"), None);
        // block edges: a line of exactly 64 and 128 bytes, spaces on both sides of an edge
        let mut line = vec![b'x'; 128];
        line[63] = b' ';
        line[64] = b' ';
        assert_eq!(ends(&line), Some(vec![63, 64, 128]));
        assert_eq!(ends(&line[..64]), Some(vec![63, 64]));
        assert_eq!(ends(&line[..65]), Some(vec![63, 64, 65]));
    }

    #[test]
    fn simd_and_swar_masks_agree_with_a_byte_loop() {
        let mut rng = crate::testrng::Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..2000 {
            let mut b = [0u8; BLOCK];
            for byte in b.iter_mut() {
                let x = rng.next();
                *byte = [
                    b' ',
                    b'\t',
                    b'a',
                    b'1',
                    0x80,
                    0xa0,
                    0x09 | 0x80,
                    0x20 | 0x80,
                ][x as usize % 8];
            }
            let (mut s, mut t) = (0u64, 0u64);
            for (i, &c) in b.iter().enumerate() {
                s |= ((c == b' ') as u64) << i;
                t |= ((c == b'\t') as u64) << i;
            }
            for m in [masks(&b), masks_swar(&b)] {
                assert_eq!((m.spaces, m.tabs), (s, t));
            }
        }
    }
}
