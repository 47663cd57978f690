//! Branch-light value parsers of the decode kernel: decimal integers eight digits per
//! multiply (SWAR), dotted-quad IPv4 with its dots found by a bit mask, and printable-ID
//! checks fused with the dictionary hash, so an ID's bytes are read once.
//!
//! Each parser answers `None` for anything it does not accept; the kernel then leaves
//! the line to the reference parser in `record.rs`, which gives the exact error.

/// Eight bytes of `line` from `at`, zero past its end (little-endian: byte `at` is the
/// low byte). Near the end the last eight bytes are read and shifted, not copied.
#[inline(always)]
pub(crate) fn load8(line: &[u8], at: usize) -> u64 {
    if let Some(b) = line.get(at..at + 8) {
        return u64::from_le_bytes(b.try_into().unwrap_or([0; 8]));
    }
    let n = line.len();
    if n >= 8 && at < n {
        let w = u64::from_le_bytes(line[n - 8..].try_into().unwrap_or([0; 8]));
        return w >> (8 * (at + 8 - n));
    }
    let mut b = [0u8; 8];
    let rest = line.get(at..).unwrap_or(&[]);
    b[..rest.len()].copy_from_slice(rest);
    u64::from_le_bytes(b)
}

/// Whether every byte of `w` is an ASCII digit.
#[inline(always)]
fn all_digits(w: u64) -> bool {
    let t = w ^ 0x3030_3030_3030_3030; // digits become 0..=9
                                       // a byte of t above 9 sets its high bit in t + 0x76, or already has it
    (t | t.wrapping_add(0x7676_7676_7676_7676)) & 0x8080_8080_8080_8080 == 0
}

/// The value of `n` (1..=8) ASCII digits in the low bytes of `w`, or None when one is
/// not a digit. Three multiplies, no loop over digits.
#[inline(always)]
fn digits8(w: u64, n: usize) -> Option<u64> {
    // the n digits moved to the top bytes (what follows them shifted out); the bytes
    // shifted in are filled with '0', leading zeros that do not change the value
    let pad = u64::MAX.checked_shr(8 * n as u32).unwrap_or(0);
    let w = (w << (8 * (8 - n))) | (0x3030_3030_3030_3030 & pad);
    if !all_digits(w) {
        return None;
    }
    let v = w & 0x0f0f_0f0f_0f0f_0f0f;
    let v = (v.wrapping_mul(10) + (v >> 8)) & 0x00ff_00ff_00ff_00ff;
    let v = (v.wrapping_mul(100) + (v >> 16)) & 0x0000_ffff_0000_ffff;
    Some((v.wrapping_mul(10000) + (v >> 32)) & 0xffff_ffff)
}

/// A decimal of 1..=16 digits at `line[start..end]`, read eight digits at a time; None
/// for anything else (longer values take the reference path).
#[inline(always)]
pub(crate) fn uint(line: &[u8], start: usize, end: usize) -> Option<u64> {
    let n = end - start;
    if n <= 8 {
        digits8(load8(line, start), n)
    } else if n <= 16 {
        let hi = digits8(load8(line, start), n - 8)?;
        let lo = digits8(load8(line, end - 8), 8)?;
        Some(hi * 100_000_000 + lo)
    } else {
        None
    }
}

/// A dotted-quad IPv4 address at `line[start..end]`, no leading zeros (as AWS writes
/// them), or None: all four octets at once with `simd128` in wasm ([`ipv4_simd128`]) or
/// SSSE3 on x86_64 where the CPU has it (detected at run time: [`ipv4_ssse3`]),
/// elsewhere eight bytes at a time ([`ipv4_swar`]).
#[inline(always)]
pub(crate) fn ipv4(line: &[u8], start: usize, end: usize) -> Option<u32> {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        ipv4_simd128(line, start, end)
    }
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("ssse3") {
            // SAFETY: the CPU has SSSE3 (checked just above).
            return unsafe { ipv4_ssse3(line, start, end) };
        }
        ipv4_swar(line, start, end)
    }
    #[cfg(not(any(
        all(target_arch = "wasm32", target_feature = "simd128"),
        target_arch = "x86_64"
    )))]
    {
        ipv4_swar(line, start, end)
    }
}

/// [`ipv4`] with SSSE3, the steps of [`ipv4_simd128`]: the shape's shuffle is `pshufb`,
/// the octets' values `pmaddubsw` then `pmaddwd`.
///
/// # Safety
/// The CPU must have SSSE3.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "ssse3")]
pub(crate) unsafe fn ipv4_ssse3(line: &[u8], start: usize, end: usize) -> Option<u32> {
    use std::arch::x86_64::*;
    let n = end - start;
    if !(7..=15).contains(&n) {
        return None;
    }
    let v = match line.get(start..start + 16) {
        // SAFETY: the sixteen bytes read are inside `line` (an unaligned load).
        Some(b) => unsafe { _mm_loadu_si128(b.as_ptr() as *const __m128i) },
        None => _mm_set_epi64x(load8(line, start + 8) as i64, load8(line, start) as i64),
    };
    let dots = _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'.' as i8))) as u32;
    let digits = _mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8));
    // a byte above 9 leaves something after subtracting 9 (saturating)
    let over = _mm_subs_epu8(digits, _mm_set1_epi8(9));
    let fine = _mm_movemask_epi8(_mm_cmpeq_epi8(over, _mm_setzero_si128())) as u32;
    let shape = ipv4_shape(n, dots, !fine)?;
    // SAFETY: both arrays are sixteen bytes, aligned to 16 (`Ipv4Shape`).
    let (shuffle, lead) = unsafe {
        (
            _mm_load_si128(shape.shuffle.as_ptr() as *const __m128i),
            _mm_load_si128(shape.lead.as_ptr() as *const __m128i),
        )
    };
    let lanes = _mm_shuffle_epi8(digits, shuffle);
    let zeros = _mm_cmpeq_epi8(lanes, _mm_setzero_si128());
    if _mm_movemask_epi8(_mm_and_si128(zeros, lead)) != 0 {
        return None; // a leading zero
    }
    let weights = _mm_setr_epi8(0, 100, 10, 1, 0, 100, 10, 1, 0, 100, 10, 1, 0, 100, 10, 1);
    let pairs = _mm_maddubs_epi16(lanes, weights);
    let octets = _mm_madd_epi16(pairs, _mm_set1_epi16(1));
    if _mm_movemask_epi8(_mm_cmpgt_epi32(octets, _mm_set1_epi32(255))) != 0 {
        return None;
    }
    let bytes = _mm_packus_epi16(_mm_packs_epi32(octets, octets), _mm_setzero_si128());
    Some((_mm_cvtsi128_si32(bytes) as u32).swap_bytes())
}

/// Where the digits of each octet go for one shape of address (the four octets' lengths,
/// 1..=3 each: 81 shapes): `shuffle` takes byte `shuffle[i]` of the address to byte `i`,
/// octet `k` right-aligned in bytes `4k..4k+4` (0x80: a zero byte), and `lead` marks the
/// first digit of each octet of two or three digits, which must not be a zero.
#[derive(Clone, Copy)]
#[repr(C, align(16))]
struct Ipv4Shape {
    shuffle: [u8; 16],
    lead: [u8; 16],
}

/// The shapes, indexed by `(l1-1)*27 + (l2-1)*9 + (l3-1)*3 + (l4-1)` for octets of
/// lengths l1..l4.
#[allow(dead_code)] // read by the vector parsers, and by the tests on every target
static IPV4_SHAPES: [Ipv4Shape; 81] = ipv4_shapes();

const fn ipv4_shapes() -> [Ipv4Shape; 81] {
    let mut out = [Ipv4Shape {
        shuffle: [0x80; 16],
        lead: [0; 16],
    }; 81];
    let mut idx = 0;
    while idx < 81 {
        let lens = [idx / 27 + 1, idx / 9 % 3 + 1, idx / 3 % 3 + 1, idx % 3 + 1];
        let (mut pos, mut k) = (0, 0);
        while k < 4 {
            let l = lens[k];
            let mut j = 0;
            while j < l {
                out[idx].shuffle[4 * k + 4 - l + j] = (pos + j) as u8;
                j += 1;
            }
            if l > 1 {
                out[idx].lead[4 * k + 4 - l] = 0xff;
            }
            pos += l + 1;
            k += 1;
        }
        idx += 1;
    }
    out
}

/// The shape of an address of `n` (7..=15) bytes from the vector parsers' bit masks of
/// its sixteen bytes, `dots` (the bytes that are `.`) and `not_digits` (the bytes that
/// are not `0`..=`9`): None unless, within the `n` bytes, there are exactly three dots,
/// every other byte is a digit and each octet has one to three digits.
#[inline(always)]
#[allow(dead_code)] // read by the vector parsers, and by the tests on every target
fn ipv4_shape(n: usize, dots: u32, not_digits: u32) -> Option<&'static Ipv4Shape> {
    let within = (1u32 << n) - 1;
    let dots = dots & within;
    if !three_dots(dots) || not_digits & within & !dots != 0 {
        return None;
    }
    let n = n as u32;
    let r1 = dots & dots.wrapping_sub(1);
    let r2 = r1 & r1.wrapping_sub(1);
    let (d1, d2, d3) = (
        dots.trailing_zeros(),
        r1.trailing_zeros(),
        r2.trailing_zeros(),
    );
    let l1 = d1.wrapping_sub(1);
    let l2 = d2.wrapping_sub(d1).wrapping_sub(2);
    let l3 = d3.wrapping_sub(d2).wrapping_sub(2);
    let l4 = n.wrapping_sub(d3).wrapping_sub(2);
    if l1.max(l2).max(l3).max(l4) > 2 {
        return None;
    }
    Some(&IPV4_SHAPES[(l1 * 27 + l2 * 9 + l3 * 3 + l4) as usize])
}

/// Whether `dots` has exactly three bits set.
#[inline(always)]
fn three_dots(dots: u32) -> bool {
    let r1 = dots & dots.wrapping_sub(1);
    let r2 = r1 & r1.wrapping_sub(1);
    dots != 0 && r1 != 0 && r2 != 0 && r2 & r2.wrapping_sub(1) == 0
}

/// [`ipv4`] with `simd128`: the sixteen bytes in one vector, the dots and non-digits as
/// bit masks, the octets' digits moved into four right-aligned lanes by the shape's
/// shuffle, and their values from two dot products.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn ipv4_simd128(line: &[u8], start: usize, end: usize) -> Option<u32> {
    use core::arch::wasm32::*;
    let n = end - start;
    if !(7..=15).contains(&n) {
        return None;
    }
    let v = match line.get(start..start + 16) {
        // SAFETY: the sixteen bytes read are inside `line`; v128_load has no alignment need.
        Some(b) => unsafe { v128_load(b.as_ptr() as *const v128) },
        None => u64x2(load8(line, start), load8(line, start + 8)),
    };
    let dots = u8x16_bitmask(u8x16_eq(v, u8x16_splat(b'.'))) as u32;
    let digits = u8x16_sub(v, u8x16_splat(b'0'));
    let not_digits = u8x16_bitmask(u8x16_gt(digits, u8x16_splat(9))) as u32;
    let shape = ipv4_shape(n, dots, not_digits)?;
    // SAFETY: both arrays are sixteen bytes; v128_load has no alignment need.
    let (shuffle, lead) = unsafe {
        (
            v128_load(shape.shuffle.as_ptr() as *const v128),
            v128_load(shape.lead.as_ptr() as *const v128),
        )
    };
    let lanes = u8x16_swizzle(digits, shuffle);
    if v128_any_true(v128_and(u8x16_eq(lanes, u8x16_splat(0)), lead)) {
        return None; // a leading zero
    }
    let weights = i16x8(0, 100, 10, 1, 0, 100, 10, 1);
    let lo = i32x4_dot_i16x8(u16x8_extend_low_u8x16(lanes), weights);
    let hi = i32x4_dot_i16x8(u16x8_extend_high_u8x16(lanes), weights);
    let octets = i32x4_add(
        i32x4_shuffle::<0, 2, 4, 6>(lo, hi),
        i32x4_shuffle::<1, 3, 5, 7>(lo, hi),
    );
    if v128_any_true(u32x4_gt(octets, u32x4_splat(255))) {
        return None;
    }
    let a = u32x4_extract_lane::<0>(octets);
    let b = u32x4_extract_lane::<1>(octets);
    let c = u32x4_extract_lane::<2>(octets);
    let d = u32x4_extract_lane::<3>(octets);
    Some(a << 24 | b << 16 | c << 8 | d)
}

/// [`ipv4`] in eight-byte words: the sixteen bytes are read as two words, the dots found
/// as a bit mask, and each octet is read with one four-byte load and two multiplies.
#[inline(always)]
#[allow(dead_code)] // the portable parser is compiled (and tested) on every target
pub(crate) fn ipv4_swar(line: &[u8], start: usize, end: usize) -> Option<u32> {
    let n = end - start;
    if !(7..=15).contains(&n) {
        return None;
    }
    let mut buf = [0u8; 20];
    buf[..8].copy_from_slice(&load8(line, start).to_le_bytes());
    buf[8..16].copy_from_slice(&load8(line, start + 8).to_le_bytes());
    let lo = u64::from_le_bytes(buf[..8].try_into().unwrap_or([0; 8]));
    let hi = u64::from_le_bytes(buf[8..16].try_into().unwrap_or([0; 8]));
    let dots = (dot_bits(lo) | dot_bits(hi) << 8) & ((1u32 << n) - 1);
    if !three_dots(dots) {
        return None;
    }
    let r1 = dots & dots.wrapping_sub(1);
    let r2 = r1 & r1.wrapping_sub(1);
    let d1 = dots.trailing_zeros() as usize & 15;
    let d2 = r1.trailing_zeros() as usize & 15;
    let d3 = r2.trailing_zeros() as usize & 15;
    let a = octet(&buf, 0, d1)?;
    let b = octet(&buf, d1 + 1, d2)?;
    let c = octet(&buf, d2 + 1, d3)?;
    let d = octet(&buf, d3 + 1, n)?;
    Some(a << 24 | b << 16 | c << 8 | d)
}

/// One bit per byte of `w` that is a dot.
#[inline(always)]
fn dot_bits(w: u64) -> u32 {
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = w ^ 0x2e2e_2e2e_2e2e_2e2e;
    let zero = !(((x & LO7).wrapping_add(LO7)) | x | LO7);
    (((zero >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56) as u32
}

/// An octet of 1..=3 digits at `buf[start..end]`, at most 255, without a leading zero.
#[inline(always)]
fn octet(buf: &[u8; 20], start: usize, end: usize) -> Option<u32> {
    let n = end.wrapping_sub(start);
    if n.wrapping_sub(1) > 2 {
        return None; // empty or longer than three digits
    }
    let start = start & 15;
    let w = u32::from_le_bytes(buf[start..start + 4].try_into().unwrap_or([0; 4]));
    // the n digits moved to the top bytes, '0' shifted in below them
    let shift = 8 * (4 - n as u32);
    let w = (w << shift) | (0x3030_3030 & ((1u32 << shift) - 1));
    let t = w ^ 0x3030_3030;
    if (t | t.wrapping_add(0x7676_7676)) & 0x8080_8080 != 0 {
        return None;
    }
    // a leading zero: the first digit (byte 4 - n) is 0 and more digits follow
    if n > 1 && (t >> (8 * (4 - n))) & 0xff == 0 {
        return None;
    }
    let v = (t.wrapping_mul(10) + (t >> 8)) & 0x00ff_00ff; // [_*10+d0, d1*10+d2]
    let v = (v & 0xff) * 100 + (v >> 16);
    (v <= 255).then_some(v)
}

/// An IPv6 address written exactly as its canonical text (RFC 5952, as `Ipv6Addr`'s
/// `Display` writes it: lowercase groups without leading zeros, the first longest run of
/// two or more zero groups as `::`), as AWS writes them, full or compressed. None for any
/// other text (upper case, leading zeros, a `::` that is not the canonical one, a dotted
/// IPv4 tail, the IPv4-mapped range that `Display` writes dotted…): the standard parser
/// then reads it and the kernel compares its rendering. So `Some` means both "this is the
/// address" and "it renders back as written", without formatting it.
#[inline]
pub(crate) fn ipv6_canonical(tok: &[u8]) -> Option<std::net::Ipv6Addr> {
    if !(2..=39).contains(&tok.len()) {
        return None;
    }
    let mut groups = [0u16; 8];
    // groups before the `::` (or all of them), then the groups after it
    let (mut g, mut v, mut digits) = (0usize, 0u32, 0u32);
    let mut gap: Option<usize> = None; // index in `groups` where `::` stands
    let mut i = 0;
    let n = tok.len();
    if tok[0] == b':' {
        if tok[1] != b':' {
            return None;
        }
        gap = Some(0);
        i = 2;
    }
    while i < n {
        let b = tok[i];
        if b == b':' {
            if digits == 0 || g == 8 {
                return None;
            }
            groups[g] = v as u16;
            g += 1;
            v = 0;
            digits = 0;
            if i + 1 < n && tok[i + 1] == b':' {
                if gap.is_some() {
                    return None; // a second `::`
                }
                gap = Some(g);
                i += 2;
                if i == n {
                    break; // a trailing `::`
                }
                continue;
            }
            i += 1;
            if i == n {
                return None; // a trailing single `:`
            }
            continue;
        }
        let d = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        } as u32;
        if digits == 4 || (digits == 1 && v == 0) {
            return None; // a fifth digit, or a leading zero
        }
        v = v << 4 | d;
        digits += 1;
        i += 1;
    }
    if digits > 0 {
        if g == 8 {
            return None;
        }
        groups[g] = v as u16;
        g += 1;
    }
    // the groups in full, and the zero run the text compressed (`at`, its length)
    let (out, written) = match gap {
        None if g == 8 => (groups, None),
        None => return None,
        Some(at) => {
            let run = 8 - g; // `g` explicit groups: `at` before the gap, the rest after it
            let mut full = [0u16; 8];
            full[..at].copy_from_slice(&groups[..at]);
            full[at + run..].copy_from_slice(&groups[at..g]);
            (full, Some((at, run)))
        }
    };
    // canonical text compresses exactly the run `Display` does
    if written != zero_run(&out) {
        return None;
    }
    let a = std::net::Ipv6Addr::from(out);
    // `Display` writes the IPv4-mapped range dotted (`::ffff:1.2.3.4`)
    if a.to_ipv4_mapped().is_some() {
        return None;
    }
    Some(a)
}

/// The zero groups `Ipv6Addr`'s `Display` writes as `::`: the first of the longest runs
/// of zero groups, when it is two groups or more (start, length).
#[inline]
fn zero_run(groups: &[u16; 8]) -> Option<(usize, usize)> {
    let (mut best, mut k) = (None, 0);
    let mut best_len = 1;
    while k < 8 {
        let start = k;
        while k < 8 && groups[k] == 0 {
            k += 1;
        }
        if k - start > best_len {
            best_len = k - start;
            best = Some((start, best_len));
        }
        k += 1;
    }
    best
}

/// The dictionary hash of an ID whose bytes are all printable ASCII (0x21..=0x7e), or
/// None when one is not: the check and the hash share one read of each eight bytes.
/// (The kernel reads IDs in place with [`printable_hash_at`]; this is its reference.)
#[cfg(test)]
pub(crate) fn printable_hash(tok: &[u8]) -> Option<u64> {
    let mut bad = 0u64;
    let h = crate::table::dict::hash_words(tok, |w| bad |= not_printable(w));
    (bad == 0).then_some(h)
}

/// The printable check and dictionary hash of `line[start..end]`, read in place: the last
/// partial word is loaded from the line ([`load8`]) and the bytes past `end` replaced
/// with the `!` padding [`crate::table::dict::hash_words`] gives them, so the hash is the
/// same without copying the remainder into a buffer (a `memcpy` call for each ID).
#[inline(always)]
pub(crate) fn printable_hash_at(line: &[u8], start: usize, end: usize) -> Option<u64> {
    use crate::table::dict::mix;
    const PAD: u64 = 0x2121_2121_2121_2121; // b'!' in every byte
    let mut h = (end - start) as u64;
    let mut bad = 0u64;
    let mut at = start;
    while at + 8 <= end {
        let w = load8(line, at);
        bad |= not_printable(w);
        h = mix(h, w);
        at += 8;
    }
    if at < end {
        let keep = u64::MAX >> (8 * (8 - (end - at)));
        let w = (load8(line, at) & keep) | (PAD & !keep);
        bad |= not_printable(w);
        h = mix(h, w);
    }
    (bad == 0).then_some(h)
}

/// Non-zero when a byte of `w` is outside 0x21..=0x7e.
#[inline(always)]
fn not_printable(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = w.wrapping_sub(0x21 * ONES) & !w; // some byte < 0x21 (exact as a test)
    let above = w.wrapping_add(ONES) | w; // some byte >= 0x7f
    (below | above) & HIGH
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Option<u64> {
        // padded with digits after the value, as a value mid-line is
        let line = format!("{s} 123456789");
        uint(line.as_bytes(), 0, s.len())
    }

    #[test]
    fn swar_integers_agree_with_a_byte_loop() {
        let mut rng = crate::testrng::Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..100_000 {
            let x = rng.next();
            let n = 1 + (x % 17) as usize;
            let s: String = (0..n)
                .map(|i| {
                    let r = (x >> (i * 3)) as usize;
                    if r.is_multiple_of(23) {
                        [b'/', b':', b'a', b' ', 0xb0u8][r % 5] as char
                    } else {
                        (b'0' + (r % 10) as u8) as char
                    }
                })
                .collect();
            let want = if n <= 16 && s.bytes().all(|b| b.is_ascii_digit()) {
                s.parse::<u64>().ok()
            } else {
                None
            };
            assert_eq!(u(&s), want, "{s:?}");
            // at the very end of the line, where the eight-byte load is padded
            assert_eq!(uint(s.as_bytes(), 0, s.len()), want, "{s:?} at end");
        }
        assert_eq!(u("0"), Some(0));
        assert_eq!(u("9999999999999999"), Some(9_999_999_999_999_999));
        assert_eq!(u("12345678"), Some(12_345_678));
    }

    /// The simd128 parser's steps in plain Rust (the shuffle and dot products as loops),
    /// so its shape table is checked natively too; the wasm test `tests/wasm_node.rs`
    /// runs the real one.
    fn ipv4_by_shape(tok: &[u8]) -> Option<u32> {
        let n = tok.len();
        if !(7..=15).contains(&n) {
            return None;
        }
        let mut v = [0u8; 16];
        v[..n].copy_from_slice(tok);
        let bits =
            |f: &dyn Fn(u8) -> bool| (0..16).filter(|&i| f(v[i])).fold(0u32, |m, i| m | 1 << i);
        let shape = ipv4_shape(n, bits(&|b| b == b'.'), bits(&|b| !b.is_ascii_digit()))?;
        let digits: Vec<u8> = v.iter().map(|b| b.wrapping_sub(b'0')).collect();
        let lanes: Vec<u8> = shape
            .shuffle
            .iter()
            .map(|&i| if i < 16 { digits[i as usize] } else { 0 })
            .collect();
        if (0..16).any(|i| shape.lead[i] != 0 && lanes[i] == 0) {
            return None;
        }
        let mut out = 0u32;
        for k in 0..4 {
            let o = lanes[4 * k + 1] as u32 * 100
                + lanes[4 * k + 2] as u32 * 10
                + lanes[4 * k + 3] as u32;
            if o > 255 {
                return None;
            }
            out = out << 8 | o;
        }
        Some(out)
    }

    #[test]
    fn ipv4_shapes_agree_with_the_reference_parser() {
        let mut rng = crate::testrng::Rng(17);
        for _ in 0..200_000 {
            let x = rng.next();
            let tok: String = if x.is_multiple_of(2) {
                // an address of random octets, some with leading zeros or above 255
                (0..4)
                    .map(|k| match (x >> (8 + k * 12)) % 8 {
                        0 => format!("0{}", (x >> (k * 5)) % 100),
                        1 => format!("{}", 250 + (x >> (k * 5)) % 10),
                        _ => format!("{}", (x >> (k * 7)) % 256),
                    })
                    .collect::<Vec<_>>()
                    .join(".")
            } else {
                let n = 7 + (x % 9) as usize;
                (0..n)
                    .map(|i| b"0123456789..x2"[((x >> (i * 4)) & 0xf) as usize % 14] as char)
                    .collect()
            };
            let want = crate::record::parse_ipv4(tok.as_bytes());
            assert_eq!(ipv4_by_shape(tok.as_bytes()), want, "{tok}");
            let line = format!("{tok} 10.0.0.1 443");
            assert_eq!(
                ipv4(line.as_bytes(), 0, tok.len()),
                want,
                "{tok} (mid-line)"
            );
            assert_eq!(
                ipv4(tok.as_bytes(), 0, tok.len()),
                want,
                "{tok} (at the end)"
            );
            assert_eq!(
                ipv4_swar(line.as_bytes(), 0, tok.len()),
                want,
                "{tok} (swar)"
            );
            #[cfg(target_arch = "x86_64")]
            if std::is_x86_feature_detected!("ssse3") {
                // SAFETY: the CPU has SSSE3.
                unsafe {
                    assert_eq!(
                        ipv4_ssse3(line.as_bytes(), 0, tok.len()),
                        want,
                        "{tok} (ssse3)"
                    );
                    assert_eq!(
                        ipv4_ssse3(tok.as_bytes(), 0, tok.len()),
                        want,
                        "{tok} (ssse3, at the end)"
                    );
                }
            }
        }
    }

    #[test]
    fn ipv4_agrees_with_the_reference_parser() {
        let cases = [
            "10.0.0.1",
            "255.255.255.255",
            "0.0.0.0",
            "1.2.3.4",
            "10.0.300.1",
            "10.0.0",
            "10.0.0.1.2",
            "010.0.0.1",
            "1.2.3.",
            ".1.2.3",
            "a.b.c.d",
            "1..2.3",
            "256.1.1.1",
            "1.2.3.04",
            "1.2.3.4a",
            "192.168.100.200",
        ];
        for c in cases {
            let line = format!("{c} 1.2");
            assert_eq!(
                ipv4(line.as_bytes(), 0, c.len()),
                crate::record::parse_ipv4(c.as_bytes()),
                "{c}"
            );
            assert_eq!(
                ipv4(c.as_bytes(), 0, c.len()),
                crate::record::parse_ipv4(c.as_bytes()),
                "{c} at end"
            );
        }
        let mut rng = crate::testrng::Rng(7);
        for _ in 0..50_000 {
            let x = rng.next();
            let n = 7 + (x % 9) as usize;
            let s: String = (0..n)
                .map(|i| b"0123456789..x2"[((x >> (i * 4)) & 0xf) as usize % 14] as char)
                .collect();
            let want = crate::record::parse_ipv4(s.as_bytes());
            assert_eq!(ipv4(s.as_bytes(), 0, n), want, "{s}");
            assert_eq!(ipv4_swar(s.as_bytes(), 0, n), want, "{s} (swar)");
            let padded = format!("{s} 10.0.0.1 443");
            assert_eq!(
                ipv4_swar(padded.as_bytes(), 0, n),
                want,
                "{s} (swar, mid-line)"
            );
            #[cfg(target_arch = "x86_64")]
            if std::is_x86_feature_detected!("ssse3") {
                // SAFETY: the CPU has SSSE3.
                unsafe {
                    assert_eq!(ipv4_ssse3(s.as_bytes(), 0, n), want, "{s} (ssse3)");
                    assert_eq!(
                        ipv4_ssse3(padded.as_bytes(), 0, n),
                        want,
                        "{s} (ssse3, mid-line)"
                    );
                }
            }
        }
    }

    /// What `ipv6_canonical` must answer: the address when `tok` is its `Display` text.
    fn canonical_reference(tok: &[u8]) -> Option<std::net::Ipv6Addr> {
        crate::record::parse_ipv6(tok).filter(|a| crate::record::ipv6_is_canonical(*a, tok))
    }

    #[test]
    fn canonical_ipv6_agrees_with_the_standard_parser_and_display() {
        let cases = [
            "2ae9:bd9c:a2af:dd0f:ef51:45d5:8f1b:1e21",
            "2382:bb61:8a53:f6de:6ec5:67ac:754a:b24",
            "2600:1f18:a721:6e3c::e668",
            "2001:db8:0:1:0:2:0:3",
            "2001:db8:0:0:1:2:3:4",
            "2001:db8::1:2:3:4",
            "2001:db8::1",
            "2001:db8:0::1",
            "2001:db8::0:1",
            "2001:0:0:1::1",
            "2001::1:0:0:1",
            "2001:0:0:1:0:0:0:1",
            "2001:0:0:1::1:0:0",
            "1::",
            "1:2:3:4:5:6:7::",
            "::1:2:3:4:5:6:7",
            "1:2:3:4:5:6::7",
            "::",
            "::1",
            "::2:3",
            "0::1",
            ":::1",
            "1:::2",
            "1::2::3",
            "1:",
            ":1",
            "2001:DB8:1:1:1:1:1:1",
            "2001:0db8:1:1:1:1:1:1",
            "::ffff:1.2.3.4",
            "::ffff:102:304",
            "::fffe:102:304",
            "::1.2.3.4",
            "::102:304",
            "64:ff9b::102:304",
            "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7:",
            ":1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:10000",
            "1:2:3:4:5:6:7:g",
            "0:1:0:1:0:1:0:1",
            "fe80::1%eth0",
        ];
        for c in cases {
            // a dotted tail is left to the standard parser (None); anything else is exact
            let want = canonical_reference(c.as_bytes()).filter(|_| !c.contains('.'));
            assert_eq!(ipv6_canonical(c.as_bytes()), want, "{c}");
        }
        // every address rendered by Display, then read back: mostly zero groups, so that
        // every placement of runs (ties, neighbours, ends) is met
        let mut rng = crate::testrng::Rng(99);
        for _ in 0..200_000 {
            let x = rng.next();
            let y = rng.next();
            let mut g = [0u16; 8];
            for (k, v) in g.iter_mut().enumerate() {
                let r = (x >> (k * 3)) & 7;
                *v = match r {
                    0..=3 => 0,
                    4 => 1,
                    5 => 0xffff,
                    _ => (y >> (k * 8)) as u16,
                };
            }
            let a = std::net::Ipv6Addr::from(g);
            let text = a.to_string();
            let want = canonical_reference(text.as_bytes());
            let got = ipv6_canonical(text.as_bytes());
            assert!(got.is_none() || got == want, "{text}");
            if a.to_ipv4_mapped().is_none() {
                assert_eq!(got, Some(a), "{text}");
            }
            // and the same address written other ways is never taken as canonical
            let full: String = g
                .iter()
                .map(|v| format!("{v:x}"))
                .collect::<Vec<_>>()
                .join(":");
            assert_eq!(
                ipv6_canonical(full.as_bytes()),
                canonical_reference(full.as_bytes()),
                "{full}"
            );
        }
        // random strings of the alphabet: a canonical answer is always the reference's
        for _ in 0..200_000 {
            let x = rng.next();
            let n = 2 + (x % 38) as usize;
            let s: String = (0..n)
                .map(|i| b"0123456789abcdef::::A0"[((x >> (i % 60)) as usize + i * 5) % 22] as char)
                .collect();
            assert_eq!(
                ipv6_canonical(s.as_bytes()),
                canonical_reference(s.as_bytes()),
                "{s}"
            );
        }
    }

    #[test]
    fn the_in_place_hash_is_the_dictionary_hash() {
        let mut rng = crate::testrng::Rng(5);
        for _ in 0..100_000 {
            let x = rng.next();
            let len = (x % 48) as usize;
            let line: Vec<u8> = (0..len)
                .map(|i| (x >> (i % 57)) as u8 % 0x7f + (i as u8 & 1))
                .collect();
            let s = ((x >> 8) as usize % (len + 1)).min(len);
            let e = s + ((x >> 16) as usize % (len - s + 1));
            if e == s {
                continue;
            }
            assert_eq!(
                printable_hash_at(&line, s, e),
                printable_hash(&line[s..e]),
                "{line:?} {s}..{e}"
            );
        }
    }

    #[test]
    fn printable_check_is_exact() {
        for b in 0u8..=255 {
            for at in 0..12 {
                let mut tok = b"eni-0a1b2c3".to_vec();
                tok.insert(at, b);
                let want = tok.iter().all(|c| (0x21..=0x7e).contains(c));
                assert_eq!(printable_hash(&tok).is_some(), want, "{b:#x} at {at}");
            }
        }
        assert_ne!(printable_hash(b"ab"), printable_hash(b"ab!"));
    }
}
