//! Evaluation of a parsed filter. [`select`] works a column at a time: each leaf becomes a
//! bitset (one bit per row) computed by a tight loop over the column's storage — integer
//! ranges on the narrow integer vectors, text tests resolved once over the dictionary and
//! then looked up by code, address tests on the IPv4 words with the (few) IPv6 addresses
//! tested once each — and `and`/`or`/`not` combine bitsets word by word. [`matches`] is
//! the row-at-a-time version of the same semantics.

use super::ast::{Expr, Leaf, Net, NumSrc};
use crate::fields::Field;
use crate::table::{Column, Data, Table, UInts, Value};
use memchr::memmem;
use std::net::IpAddr;

type Bitset = Vec<u64>;

fn words(n: usize) -> usize {
    n.div_ceil(64)
}

fn tail_mask(n: usize) -> u64 {
    match n % 64 {
        0 => u64::MAX,
        r => (1u64 << r) - 1,
    }
}

fn ones(n: usize) -> Bitset {
    let mut v = vec![u64::MAX; words(n)];
    if let Some(last) = v.last_mut() {
        *last = tail_mask(n);
    }
    v
}

/// The ids of the rows the expression keeps, in order.
pub fn select(expr: &Expr, table: &Table) -> Vec<u32> {
    let n = table.len();
    if matches!(expr, Expr::All) {
        return (0..n as u32).collect();
    }
    let bits = eval(expr, table, n);
    let count: usize = bits.iter().map(|w| w.count_ones() as usize).sum();
    let mut out = Vec::with_capacity(count);
    for (wi, &w) in bits.iter().enumerate() {
        let mut w = w;
        let base = (wi * 64) as u32;
        while w != 0 {
            out.push(base + w.trailing_zeros());
            w &= w - 1;
        }
    }
    out
}

fn eval(expr: &Expr, table: &Table, n: usize) -> Bitset {
    match expr {
        Expr::All => ones(n),
        Expr::Not(e) => {
            let mut b = eval(e, table, n);
            for w in &mut b {
                *w = !*w;
            }
            if let Some(last) = b.last_mut() {
                *last &= tail_mask(n);
            }
            b
        }
        Expr::And(items) => {
            let mut acc = eval(&items[0], table, n);
            for e in &items[1..] {
                if acc.iter().all(|w| *w == 0) {
                    break;
                }
                let b = eval(e, table, n);
                acc.iter_mut().zip(&b).for_each(|(a, b)| *a &= b);
            }
            acc
        }
        Expr::Or(items) => {
            let mut acc = eval(&items[0], table, n);
            for e in &items[1..] {
                let b = eval(e, table, n);
                acc.iter_mut().zip(&b).for_each(|(a, b)| *a |= b);
            }
            acc
        }
        Expr::Leaf(l) => leaf_bits(l, table, n),
    }
}

// ------------------------------------------------------------------------ loops

/// Bits of `pred` over `vals[..n]` (rows past the slice are 0).
#[inline]
fn words_by<T: Copy + Into<u64>>(vals: &[T], n: usize, pred: impl Fn(u64) -> bool) -> Bitset {
    let mut out = vec![0u64; words(n)];
    let vals = &vals[..n.min(vals.len())];
    for (w, chunk) in out.iter_mut().zip(vals.chunks(64)) {
        let mut bits = 0u64;
        for (j, &v) in chunk.iter().enumerate() {
            bits |= (pred(v.into()) as u64) << j;
        }
        *w = bits;
    }
    out
}

fn uints_by(u: &UInts, n: usize, pred: impl Fn(u64) -> bool + Copy) -> Bitset {
    match u {
        UInts::U8(a) => words_by(a, n, pred),
        UInts::U16(a) => words_by(a, n, pred),
        UInts::U32(a) => words_by(a, n, pred),
        UInts::U64(a) => words_by(a, n, pred),
    }
}

/// Bits of the rows where the column is present and not null.
fn present(col: &Column, n: usize) -> Bitset {
    let len = col.len().min(n);
    if !col.nulls.any() {
        let mut b = ones(len);
        b.resize(words(n), 0);
        return b;
    }
    let mut out = vec![0u64; words(n)];
    for (wi, w) in out.iter_mut().enumerate() {
        let base = wi * 64;
        let mut bits = 0u64;
        for j in 0..64.min(len.saturating_sub(base)) {
            bits |= (!col.nulls.get(base + j) as u64) << j;
        }
        *w = bits;
    }
    out
}

fn and_into(a: &mut Bitset, b: &Bitset) {
    a.iter_mut().zip(b).for_each(|(a, b)| *a &= b);
}

/// Drops null rows from `bits` when the null placeholder could have passed the test.
fn mask_nulls(bits: &mut Bitset, col: &Column, n: usize, placeholder_passes: bool) {
    if placeholder_passes && col.nulls.any() {
        and_into(bits, &present(col, n));
    }
}

/// Whether `v` is in one of the inclusive ranges. Long lists come sorted and merged
/// ([`Leaf::ranges`]), so they take a binary search instead of a scan.
fn in_ranges(ranges: &[(u64, u64)], v: u64) -> bool {
    if ranges.len() <= 8 {
        return ranges.iter().any(|&(lo, hi)| v.wrapping_sub(lo) <= hi - lo);
    }
    let i = ranges.partition_point(|&(lo, _)| lo <= v);
    i > 0 && v <= ranges[i - 1].1
}

fn range_bits(u: &UInts, n: usize, ranges: &[(u64, u64)]) -> Bitset {
    match (ranges, u) {
        ([], _) => vec![0; words(n)],
        (&[(lo, hi)], _) => {
            let span = hi - lo;
            uints_by(u, n, move |v| v.wrapping_sub(lo) <= span)
        }
        (_, UInts::U8(a)) => {
            let lut: Vec<bool> = (0..256u64).map(|v| in_ranges(ranges, v)).collect();
            words_by(a, n, |v| lut[v as usize])
        }
        (_, UInts::U16(a)) => {
            let lut: Vec<bool> = (0..65_536u64).map(|v| in_ranges(ranges, v)).collect();
            words_by(a, n, |v| lut[v as usize])
        }
        _ => uints_by(u, n, |v| in_ranges(ranges, v)),
    }
}

/// The integers of a numeric column: seconds of a time column, values otherwise.
fn ints(col: &Column) -> Option<&UInts> {
    match &col.data {
        Data::UInt(u) => Some(u),
        Data::Time { secs, .. } => Some(secs),
        _ => None,
    }
}

fn duration_bits(table: &Table, n: usize, ranges: &[(u64, u64)]) -> Bitset {
    let (Some(s), Some(e)) = (table.column(Field::Start), table.column(Field::End)) else {
        return vec![0; words(n)];
    };
    let (Some(su), Some(eu)) = (ints(s), ints(e)) else {
        return vec![0; words(n)];
    };
    let len = n.min(su.len()).min(eu.len());
    let mut out = vec![0u64; words(n)];
    let mut sb = [0u64; 64];
    let mut eb = [0u64; 64];
    for (wi, w) in out.iter_mut().enumerate() {
        let base = wi * 64;
        let m = 64.min(len.saturating_sub(base));
        if m == 0 {
            break;
        }
        load(su, base, &mut sb[..m]);
        load(eu, base, &mut eb[..m]);
        let mut bits = 0u64;
        for j in 0..m {
            bits |= (in_ranges(ranges, eb[j].saturating_sub(sb[j])) as u64) << j;
        }
        *w = bits;
    }
    let zero_passes = in_ranges(ranges, 0);
    mask_nulls(&mut out, s, n, zero_passes);
    mask_nulls(&mut out, e, n, zero_passes);
    out
}

fn load(u: &UInts, start: usize, buf: &mut [u64]) {
    let m = buf.len();
    match u {
        UInts::U8(a) => buf
            .iter_mut()
            .zip(&a[start..start + m])
            .for_each(|(d, s)| *d = *s as u64),
        UInts::U16(a) => buf
            .iter_mut()
            .zip(&a[start..start + m])
            .for_each(|(d, s)| *d = *s as u64),
        UInts::U32(a) => buf
            .iter_mut()
            .zip(&a[start..start + m])
            .for_each(|(d, s)| *d = *s as u64),
        UInts::U64(a) => buf.copy_from_slice(&a[start..start + m]),
    }
}

/// Bits of the rows whose dictionary code is accepted (`acc[code]`).
fn code_bits(col: &Column, n: usize, acc: &[bool]) -> Bitset {
    let Data::Code { codes, .. } = &col.data else {
        return vec![0; words(n)];
    };
    let mut bits = match acc.iter().filter(|a| **a).count() {
        0 => vec![0; words(n)],
        1 => {
            let c = acc.iter().position(|a| *a).unwrap() as u64;
            uints_by(codes, n, move |v| v == c)
        }
        _ => uints_by(codes, n, |v| acc.get(v as usize).copied().unwrap_or(false)),
    };
    mask_nulls(&mut bits, col, n, acc.first().copied().unwrap_or(false));
    bits
}

/// Networks grouped by prefix length, each group a hash set of masked bases: whether an
/// address is in any of them costs one lookup per distinct prefix length (at most 33
/// for IPv4, 129 for IPv6), whatever the list's length.
struct NetSet {
    v4: Vec<(u32, rustc_hash::FxHashSet<u32>)>,
    v6: Vec<(u128, rustc_hash::FxHashSet<u128>)>,
}

impl NetSet {
    fn new(nets: &[Net]) -> NetSet {
        let mut set = NetSet {
            v4: Vec::new(),
            v6: Vec::new(),
        };
        fn put<T: std::hash::Hash + Eq + Copy>(
            groups: &mut Vec<(T, rustc_hash::FxHashSet<T>)>,
            mask: T,
            base: T,
        ) {
            match groups.iter_mut().find(|(m, _)| *m == mask) {
                Some((_, bases)) => {
                    bases.insert(base);
                }
                None => groups.push((mask, std::iter::once(base).collect())),
            }
        }
        for n in nets {
            match *n {
                Net::V4 { base, prefix } => put(&mut set.v4, Net::mask4(prefix), base),
                Net::V6 { base, prefix } => put(&mut set.v6, Net::mask6(prefix), base),
            }
        }
        set
    }

    fn contains_v4(&self, a: u32) -> bool {
        self.v4.iter().any(|(m, bases)| bases.contains(&(a & m)))
    }

    /// As [`Net::contains`] for any of the networks (an IPv4-mapped IPv6 address is its
    /// IPv4 address).
    fn contains(&self, a: IpAddr) -> bool {
        let a = match a {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(a, IpAddr::V4),
            a => a,
        };
        match a {
            IpAddr::V4(a) => self.contains_v4(u32::from(a)),
            IpAddr::V6(a) => {
                let a = u128::from(a);
                self.v6.iter().any(|(m, bases)| bases.contains(&(a & m)))
            }
        }
    }
}

fn net_parts(nets: &[Net]) -> Vec<(u32, u32)> {
    nets.iter()
        .filter_map(|n| match *n {
            Net::V4 { base, prefix } => Some((base, Net::mask4(prefix))),
            _ => None,
        })
        .collect()
}

/// Bits of an address column from a test of IPv4 words (`v4`) and of each distinct IPv6
/// address (`acc6`, by index).
fn addr_bits(col: &Column, n: usize, v4test: impl Fn(u32) -> bool, acc6: &[bool]) -> Bitset {
    let Data::Addr { v4, is_v6, .. } = &col.data else {
        return vec![0; words(n)];
    };
    let mut bits = words_by(v4, n, |v| v4test(v as u32));
    if is_v6.any() {
        for (wi, w) in bits.iter_mut().enumerate() {
            let base = wi * 64;
            for j in 0..64.min(n.min(v4.len()).saturating_sub(base)) {
                let i = base + j;
                if is_v6.get(i) {
                    let m = acc6.get(v4[i] as usize).copied().unwrap_or(false);
                    *w = (*w & !(1u64 << j)) | ((m as u64) << j);
                }
            }
        }
    }
    mask_nulls(&mut bits, col, n, v4test(0));
    bits
}

/// Writes an IPv4 address in dotted-quad form; returns the length.
fn write_v4(a: u32, buf: &mut [u8; 15]) -> usize {
    let mut k = 0;
    for (i, oct) in a.to_be_bytes().iter().enumerate() {
        if i > 0 {
            buf[k] = b'.';
            k += 1;
        }
        let o = *oct;
        if o >= 100 {
            buf[k] = b'0' + o / 100;
            k += 1;
        }
        if o >= 10 {
            buf[k] = b'0' + o / 10 % 10;
            k += 1;
        }
        buf[k] = b'0' + o % 10;
        k += 1;
    }
    k
}

fn contains_bits(col: &Column, n: usize, needle: &str) -> Bitset {
    match &col.data {
        Data::Code { dict, .. } => {
            let acc: Vec<bool> = dict
                .values()
                .iter()
                .map(|v| v.to_lowercase().contains(needle))
                .collect();
            code_bits(col, n, &acc)
        }
        Data::Addr { v6, .. } => {
            let acc6: Vec<bool> = v6.iter().map(|a| a.to_string().contains(needle)).collect();
            let finder = memmem::Finder::new(needle.as_bytes());
            let v4_possible = needle.bytes().all(|c| c.is_ascii_digit() || c == b'.');
            addr_bits(
                col,
                n,
                |a| {
                    if !v4_possible {
                        return false;
                    }
                    let mut buf = [0u8; 15];
                    let k = write_v4(a, &mut buf);
                    finder.find(&buf[..k]).is_some()
                },
                &acc6,
            )
        }
        _ => vec![0; words(n)],
    }
}

fn leaf_bits(leaf: &Leaf, table: &Table, n: usize) -> Bitset {
    let none = || vec![0u64; words(n)];
    match leaf {
        Leaf::Cmp { src, .. } | Leaf::NumIn { src, .. } => {
            let ranges = leaf.ranges();
            match src {
                NumSrc::Duration => duration_bits(table, n, &ranges),
                NumSrc::Field(f) => {
                    let Some(col) = table.column(*f) else {
                        return none();
                    };
                    let Some(u) = ints(col) else { return none() };
                    let mut b = range_bits(u, n, &ranges);
                    mask_nulls(&mut b, col, n, in_ranges(&ranges, 0));
                    b
                }
            }
        }
        Leaf::Bits { field, mask } => {
            let Some(col) = table.column(*field) else {
                return none();
            };
            let Some(u) = ints(col) else { return none() };
            let m = *mask;
            let mut b = uints_by(u, n, move |v| v & m == m);
            mask_nulls(&mut b, col, n, m == 0);
            b
        }
        Leaf::Net {
            field,
            nets,
            negate,
        } => {
            let Some(col) = table.column(*field) else {
                return none();
            };
            let Data::Addr { v6, .. } = &col.data else {
                return none();
            };
            let neg = *negate;
            // each distinct IPv6 address tested once; a long list through the prefix
            // sets (cost: distinct addresses × prefix lengths, not × the list)
            let acc6: Vec<bool> = if nets.len() <= 8 {
                v6.iter()
                    .map(|a| nets.iter().any(|net| net.contains(IpAddr::V6(*a))) != neg)
                    .collect()
            } else {
                let set = NetSet::new(nets);
                v6.iter()
                    .map(|a| set.contains(IpAddr::V6(*a)) != neg)
                    .collect()
            };
            let parts = net_parts(nets);
            match parts.as_slice() {
                [] => addr_bits(col, n, |_| neg, &acc6),
                &[(base, mask)] => addr_bits(col, n, move |a| (a & mask == base) != neg, &acc6),
                _ if parts.len() <= 8 => addr_bits(
                    col,
                    n,
                    |a| parts.iter().any(|&(b, m)| a & m == b) != neg,
                    &acc6,
                ),
                // Many CIDRs: one hash lookup per distinct prefix length (at most 33).
                _ => {
                    let set = NetSet::new(nets);
                    addr_bits(col, n, |a| set.contains_v4(a) != neg, &acc6)
                }
            }
        }
        Leaf::Text {
            field,
            values,
            negate,
        } => {
            let Some(col) = table.column(*field) else {
                return none();
            };
            // Hashed once: dictionary × list would grow with the attacker's list.
            let set: std::collections::HashSet<&str> = values.iter().map(String::as_str).collect();
            let acc: Vec<bool> = col
                .dict()
                .iter()
                .map(|v| set.contains(&**v) != *negate)
                .collect();
            code_bits(col, n, &acc)
        }
        Leaf::Contains { field, needle } => match table.column(*field) {
            Some(col) => contains_bits(col, n, needle),
            None => none(),
        },
        Leaf::Exists { field } => match table.column(*field) {
            Some(col) => present(col, n),
            None => none(),
        },
        Leaf::Search { needle } => {
            let mut acc = none();
            for col in table.columns() {
                if searchable(col) {
                    let b = contains_bits(col, n, needle);
                    acc.iter_mut().zip(&b).for_each(|(a, b)| *a |= b);
                }
            }
            acc
        }
        Leaf::Context(test) => {
            let keep = table.annotations().test(test);
            let mut b = none();
            for (r, k) in keep.iter().enumerate().take(n) {
                if *k {
                    b[r / 64] |= 1 << (r % 64);
                }
            }
            b
        }
    }
}

/// Columns a bare word searches: text (IDs, names, action, status, tags) and addresses.
pub fn searchable(col: &Column) -> bool {
    matches!(col.data, Data::Code { .. } | Data::Addr { .. })
}

// ------------------------------------------------------------------------ row at a time

fn num_of(table: &Table, src: NumSrc, row: usize) -> Option<u64> {
    match src {
        NumSrc::Field(f) => table.column(f)?.uint(row),
        NumSrc::Duration => {
            let s = table.column(Field::Start)?.uint(row)?;
            let e = table.column(Field::End)?.uint(row)?;
            Some(e.saturating_sub(s))
        }
    }
}

fn value_contains(v: Value<'_>, needle: &str) -> bool {
    match v {
        Value::Text(t) => t.to_lowercase().contains(needle),
        Value::Addr(IpAddr::V4(a)) => {
            let mut buf = [0u8; 15];
            let k = write_v4(u32::from(a), &mut buf);
            memmem::find(&buf[..k], needle.as_bytes()).is_some()
        }
        Value::Addr(a) => a.to_string().contains(needle),
        _ => false,
    }
}

/// Whether one row passes the expression.
pub fn matches(expr: &Expr, table: &Table, row: usize) -> bool {
    match expr {
        Expr::All => true,
        Expr::Not(e) => !matches(e, table, row),
        Expr::And(items) => items.iter().all(|e| matches(e, table, row)),
        Expr::Or(items) => items.iter().any(|e| matches(e, table, row)),
        Expr::Leaf(l) => leaf_matches(l, table, row),
    }
}

fn leaf_matches(leaf: &Leaf, table: &Table, row: usize) -> bool {
    match leaf {
        // Row at a time (a reference path): the list as written, scanned.
        Leaf::NumIn { src, ranges } => num_of(table, *src, row)
            .is_some_and(|v| ranges.iter().any(|&(lo, hi)| v.wrapping_sub(lo) <= hi - lo)),
        Leaf::Cmp { src, .. } => {
            num_of(table, *src, row).is_some_and(|v| in_ranges(&leaf.ranges(), v))
        }
        Leaf::Bits { field, mask } => {
            num_of(table, NumSrc::Field(*field), row).is_some_and(|v| v & mask == *mask)
        }
        Leaf::Net {
            field,
            nets,
            negate,
        } => table
            .column(*field)
            .and_then(|c| c.addr(row))
            .is_some_and(|a| nets.iter().any(|n| n.contains(a)) != *negate),
        Leaf::Text {
            field,
            values,
            negate,
        } => match table.value(row, *field) {
            Value::Text(t) => values.iter().any(|v| v == t) != *negate,
            _ => false,
        },
        Leaf::Contains { field, needle } => value_contains(table.value(row, *field), needle),
        Leaf::Exists { field } => !table.value(row, *field).is_null(),
        Leaf::Search { needle } => table
            .columns()
            .iter()
            .filter(|c| searchable(c))
            .any(|c| value_contains(c.value(row), needle)),
        Leaf::Context(test) => table
            .annotations()
            .test(test)
            .get(row)
            .copied()
            .unwrap_or(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn v4_text_matches_std() {
        let mut buf = [0u8; 15];
        for a in [0u32, 0x0a00_0001, 0xffff_ffff, 0x6464_0a09, 0x0102_0304] {
            let k = write_v4(a, &mut buf);
            assert_eq!(
                std::str::from_utf8(&buf[..k]).unwrap(),
                Ipv4Addr::from(a).to_string()
            );
        }
    }

    #[test]
    fn bitset_helpers() {
        assert_eq!(ones(65), vec![u64::MAX, 1]);
        assert_eq!(ones(64), vec![u64::MAX]);
        assert_eq!(tail_mask(3), 7);
        assert!(in_ranges(&[(5, 5)], 5));
        assert!(!in_ranges(&[(5, 5)], 4));
        assert!(in_ranges(&[(0, u64::MAX)], u64::MAX));
    }
}

#[cfg(test)]
mod net_set_tests {
    use super::*;

    #[test]
    fn net_set_agrees_with_each_network() {
        let nets: Vec<Net> = [
            "10.0.0.0/8",
            "192.0.2.7",
            "2001:db8::/32",
            "2600:1f18:aaaa::/48",
            "2600:1f18:bbbb::1",
            "::/0",
        ]
        .iter()
        .map(|t| crate::query::parse_net(t).unwrap())
        .collect();
        let set = NetSet::new(&nets);
        for a in [
            "10.1.2.3",
            "11.0.0.1",
            "192.0.2.7",
            "192.0.2.8",
            "::ffff:10.0.0.1",
            "2001:db8:1::5",
            "2600:1f18:aaaa:1::9",
            "2600:1f18:bbbb::1",
            "2600:1f18:bbbb::2",
            "fe80::1",
        ] {
            let ip: IpAddr = a.parse().unwrap();
            assert_eq!(set.contains(ip), nets.iter().any(|n| n.contains(ip)), "{a}");
        }
        // without ::/0 an unlisted IPv6 address is out
        let set = NetSet::new(&nets[..5]);
        assert!(!set.contains("fe80::1".parse().unwrap()));
        assert!(set.contains("2600:1f18:aaaa:ffff::1".parse().unwrap()));
    }
}
