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
/// them), or None. The sixteen bytes are read as two words, the dots found as a bit
/// mask, and each octet is read with one four-byte load and two multiplies.
#[inline(always)]
pub(crate) fn ipv4(line: &[u8], start: usize, end: usize) -> Option<u32> {
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
    // exactly three dots: three lowest bits cleared leave nothing
    let r1 = dots & dots.wrapping_sub(1);
    let r2 = r1 & r1.wrapping_sub(1);
    if dots == 0 || r1 == 0 || r2 == 0 || r2 & r2.wrapping_sub(1) != 0 {
        return None;
    }
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

/// An IPv6 address written in full canonical form (eight lowercase groups, no leading
/// zeros, no run of zero groups that `::` would shorten), as most flow log IPv6
/// addresses are. None for any other form (compressed, upper case, IPv4-mapped…), which
/// the standard parser then reads and checks.
#[inline]
pub(crate) fn ipv6_full(tok: &[u8]) -> Option<std::net::Ipv6Addr> {
    if !(15..=39).contains(&tok.len()) {
        return None;
    }
    let mut groups = [0u16; 8];
    let (mut g, mut v, mut digits) = (0usize, 0u32, 0u32);
    let mut zero_run = 0u32;
    for &b in tok.iter().chain(std::iter::once(&b':')) {
        if b == b':' {
            if digits == 0 || g == 8 {
                return None;
            }
            zero_run = if v == 0 { zero_run + 1 } else { 0 };
            if zero_run >= 2 {
                return None; // canonical form writes this as `::`
            }
            groups[g] = v as u16;
            g += 1;
            v = 0;
            digits = 0;
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
    }
    (g == 8).then(|| std::net::Ipv6Addr::from(groups))
}

/// The dictionary hash of an ID whose bytes are all printable ASCII (0x21..=0x7e), or
/// None when one is not: the check and the hash share one read of each eight bytes.
#[inline(always)]
pub(crate) fn printable_hash(tok: &[u8]) -> Option<u64> {
    let mut bad = 0u64;
    let h = crate::table::dict::hash_words(tok, |w| bad |= not_printable(w));
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
            assert_eq!(
                ipv4(s.as_bytes(), 0, n),
                crate::record::parse_ipv4(s.as_bytes()),
                "{s}"
            );
        }
    }

    #[test]
    fn full_ipv6_agrees_with_the_standard_parser() {
        let cases = [
            "2ae9:bd9c:a2af:dd0f:ef51:45d5:8f1b:1e21",
            "2382:bb61:8a53:f6de:6ec5:67ac:754a:b24",
            "2001:db8:0:1:0:2:0:3",
            "2001:db8:0:0:1:2:3:4",
            "2001:DB8:1:1:1:1:1:1",
            "2001:0db8:1:1:1:1:1:1",
            "2001:db8::1",
            "::ffff:1.2.3.4",
            "1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7:",
            ":1:2:3:4:5:6:7",
            "1:2:3:4:5:6:7:10000",
            "1:2:3:4:5:6:7:g",
            "0:1:0:1:0:1:0:1",
        ];
        for c in cases {
            let want = crate::record::parse_ipv6(c.as_bytes())
                .filter(|a| crate::record::ipv6_is_canonical(*a, c.as_bytes()));
            let got = ipv6_full(c.as_bytes());
            // the fast form is a subset: what it takes, it reads as the standard parser does
            if let Some(a) = got {
                assert_eq!(Some(a), want, "{c}");
            }
            if c.len() >= 15 && !c.contains("::") && want.is_some() && c.contains(':') {
                assert_eq!(got, want, "{c}");
            }
        }
        let mut rng = crate::testrng::Rng(99);
        for _ in 0..50_000 {
            let x = rng.next();
            let n = 15 + (x % 25) as usize;
            let s: String = (0..n)
                .map(|i| b"0123456789abcdef:::A"[((x >> (i % 60)) as usize + i * 5) % 20] as char)
                .collect();
            if let Some(a) = ipv6_full(s.as_bytes()) {
                let want = crate::record::parse_ipv6(s.as_bytes());
                assert_eq!(Some(a), want, "{s}");
                assert!(crate::record::ipv6_is_canonical(a, s.as_bytes()), "{s}");
            }
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
