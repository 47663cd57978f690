//! Sorting row ids by one or more columns: stable, nulls last in either direction.
//! Integer, time and text keys go through an LSD radix sort on u64 keys (text by the rank
//! of its dictionary value), so 10M rows sort in well under a second.

use super::parse::{lookup_target_with, suggest, Target, PSEUDO_NAMES};
use super::{QueryError, QueryErrorKind};
use crate::fields::{Field, Kind, FIELDS};
use crate::table::{Data, Table};

/// What a sort key orders by: a catalogue field or the `duration` pseudo-field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum SortField {
    /// A field of the table.
    Field(Field),
    /// `end − start`.
    Duration,
}

impl From<Field> for SortField {
    fn from(f: Field) -> Self {
        SortField::Field(f)
    }
}

impl SortField {
    /// The name a sort key uses (`bytes`, `duration`).
    pub fn name(self) -> &'static str {
        match self {
            SortField::Field(f) => f.name(),
            SortField::Duration => "duration",
        }
    }
}

/// One key of a sort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SortKey {
    /// What is sorted by.
    pub field: SortField,
    /// Descending (nulls still last).
    pub desc: bool,
}

impl SortKey {
    /// A key on a field (or `SortField::Duration`).
    pub fn new(field: impl Into<SortField>, desc: bool) -> SortKey {
        SortKey {
            field: field.into(),
            desc,
        }
    }
}

/// Parses `bytes:desc,start` (also `bytes desc`, `:asc`; names as in filters; `time`
/// means `start`). Empty text is no sort. A field named again is ignored (the first
/// key on it already decided), so there are never more keys than fields.
pub fn parse_sort(text: &str) -> Result<Vec<SortKey>, QueryError> {
    parse_sort_with(text, &[])
}

/// [`parse_sort`] for a table whose extra text columns hold the header names `extras`.
pub fn parse_sort_with(text: &str, extras: &[String]) -> Result<Vec<SortKey>, QueryError> {
    let mut out = Vec::new();
    let mut offset = 0;
    for part in text.split(',') {
        let start = offset + (part.len() - part.trim_start().len());
        offset += part.len() + 1;
        let p = part.trim();
        if p.is_empty() {
            if text.trim().is_empty() {
                continue;
            }
            return Err(error(text, start, start, "expected a field name".into()));
        }
        let (name, dir) = match p.split_once([':', ' ']) {
            Some((n, d)) => (n.trim(), Some(d.trim())),
            None => (p, None),
        };
        let end = start + p.len();
        let desc = match dir.map(str::to_ascii_lowercase).as_deref() {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(d) => {
                return Err(error(
                    text,
                    start + name.len() + 1,
                    end,
                    format!("unknown direction '{d}' (asc or desc)"),
                ))
            }
        };
        let field = match lookup_target_with(name, extras) {
            Some(Target::Field(f)) => SortField::Field(f),
            Some(Target::Duration) => SortField::Duration,
            Some(Target::Time) => SortField::Field(Field::Start),
            Some(_) => {
                return Err(error(
                    text,
                    start,
                    start + name.len(),
                    format!("cannot sort by '{name}': sort by its src or dst field"),
                ))
            }
            None => {
                let mut e = error(
                    text,
                    start,
                    start + name.len(),
                    format!("unknown field '{name}'"),
                );
                let cands = FIELDS
                    .iter()
                    .map(|d| d.name)
                    .chain(PSEUDO_NAMES.iter().copied());
                if let Some(s) = suggest(name, cands) {
                    e.hint = Some(format!("did you mean '{s}'?"));
                }
                return Err(e);
            }
        };
        // A repeated field can never break a tie its first occurrence left, so it is
        // dropped: 1,000 × `bytes` sorts once, not a thousand times.
        if !out.iter().any(|k: &SortKey| k.field == field) {
            out.push(SortKey { field, desc });
        }
    }
    Ok(out)
}

fn error(text: &str, start: usize, end: usize, what: String) -> QueryError {
    QueryError::at(QueryErrorKind::Sort, text, (start, end), what, None)
}

/// Sorts row ids by the keys: stable (equal keys keep their order), nulls last in
/// either direction. Numbers and times numerically (times to the millisecond), text by
/// value, addresses IPv4 before IPv6 and then numerically.
pub fn sort_rows(table: &Table, rows: &mut [u32], keys: &[SortKey]) {
    for key in keys.iter().rev() {
        sort_one(table, rows, *key);
    }
}

enum KeyFn<'a> {
    /// u64 key or None for null.
    U64(Box<dyn Fn(usize) -> Option<u64> + 'a>),
    /// Addresses with IPv6: compare.
    Addr(&'a crate::table::Column),
}

fn key_fn<'a>(table: &'a Table, f: SortField) -> Option<KeyFn<'a>> {
    match f {
        SortField::Duration => {
            let s = table.column(Field::Start)?;
            let e = table.column(Field::End)?;
            Some(KeyFn::U64(Box::new(move |r| {
                Some(e.uint(r)?.saturating_sub(s.uint(r)?))
            })))
        }
        SortField::Field(f) => {
            let col = table.column(f)?;
            match (&col.data, f.kind()) {
                (Data::Time { .. }, _) | (_, Kind::EventTime) => {
                    Some(KeyFn::U64(Box::new(move |r| col.time_ms(r))))
                }
                (Data::UInt(_), _) => Some(KeyFn::U64(Box::new(move |r| col.uint(r)))),
                (Data::Code { .. }, _) => {
                    let dict = col.dict();
                    let mut order: Vec<usize> = (0..dict.len()).collect();
                    crate::sorting::sort_indices(&mut order, &mut |a, b| dict[a].cmp(&dict[b]));
                    let mut rank = vec![0u64; dict.len()];
                    for (i, c) in order.iter().enumerate() {
                        rank[*c] = i as u64;
                    }
                    Some(KeyFn::U64(Box::new(move |r| {
                        col.code(r).map(|c| rank[c as usize])
                    })))
                }
                (Data::Addr { is_v6, v4, .. }, _) => {
                    if is_v6.any() {
                        Some(KeyFn::Addr(col))
                    } else {
                        Some(KeyFn::U64(Box::new(move |r| {
                            (!col.is_null(r)).then(|| v4[r] as u64)
                        })))
                    }
                }
            }
        }
    }
}

fn sort_one(table: &Table, rows: &mut [u32], key: SortKey) {
    let Some(kf) = key_fn(table, key.field) else {
        return; // no such column: every value is null, the order stays
    };
    match kf {
        KeyFn::U64(k) => {
            let mut keys = Vec::with_capacity(rows.len());
            let mut vals = Vec::with_capacity(rows.len());
            let mut nulls = Vec::new();
            for &r in rows.iter() {
                match k(r as usize) {
                    Some(v) => {
                        keys.push(if key.desc { !v } else { v });
                        vals.push(r);
                    }
                    None => nulls.push(r),
                }
            }
            radix_sort(&mut keys, &mut vals);
            rows[..vals.len()].copy_from_slice(&vals);
            rows[vals.len()..].copy_from_slice(&nulls);
        }
        KeyFn::Addr(col) => {
            let mut with: Vec<(std::net::IpAddr, u32)> = Vec::with_capacity(rows.len());
            let mut nulls = Vec::new();
            for &r in rows.iter() {
                match col.addr(r as usize) {
                    Some(a) => with.push((a, r)),
                    None => nulls.push(r),
                }
            }
            // one copy of the stable sort for both directions (ties keep their order)
            let desc = key.desc;
            with.sort_by(|a, b| {
                let o = a.0.cmp(&b.0);
                if desc {
                    o.reverse()
                } else {
                    o
                }
            });
            for (d, (_, r)) in rows.iter_mut().zip(&with) {
                *d = *r;
            }
            rows[with.len()..].copy_from_slice(&nulls);
        }
    }
}

/// Stable LSD radix sort of `vals` by `keys` (8-bit digits; digits where every key
/// agrees are skipped).
fn radix_sort(keys: &mut Vec<u64>, vals: &mut Vec<u32>) {
    let n = keys.len();
    if n < 2 {
        return;
    }
    if n < 256 {
        let mut idx: Vec<(u64, u32)> = keys.iter().copied().zip(vals.iter().copied()).collect();
        // fewer than 256: the shared sort
        crate::sorting::sort_by_key(&mut idx, |p| p.0);
        for (i, (k, v)) in idx.into_iter().enumerate() {
            keys[i] = k;
            vals[i] = v;
        }
        return;
    }
    let mut counts = vec![[0usize; 256]; 8];
    for &k in keys.iter() {
        for (d, c) in counts.iter_mut().enumerate() {
            c[((k >> (d * 8)) & 0xff) as usize] += 1;
        }
    }
    let mut k2 = vec![0u64; n];
    let mut v2 = vec![0u32; n];
    for (d, c) in counts.iter().enumerate() {
        if c.contains(&n) {
            continue;
        }
        let mut pos = [0usize; 256];
        let mut sum = 0;
        for (p, &x) in pos.iter_mut().zip(c.iter()) {
            *p = sum;
            sum += x;
        }
        let shift = d * 8;
        for (&k, &v) in keys.iter().zip(vals.iter()) {
            let b = ((k >> shift) & 0xff) as usize;
            let p = pos[b];
            k2[p] = k;
            v2[p] = v;
            pos[b] = p + 1;
        }
        std::mem::swap(keys, &mut k2);
        std::mem::swap(vals, &mut v2);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radix_is_stable_and_sorted() {
        let mut keys: Vec<u64> = (0..5000u64)
            .map(|i| (i * 7919) % 97 + ((i % 3) << 40))
            .collect();
        let mut vals: Vec<u32> = (0..5000).collect();
        let mut expect: Vec<(u64, u32)> = keys.iter().copied().zip(vals.iter().copied()).collect();
        expect.sort_by_key(|p| p.0);
        radix_sort(&mut keys, &mut vals);
        let got: Vec<(u64, u32)> = keys.into_iter().zip(vals).collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn sort_specs_parse() {
        assert_eq!(
            parse_sort("bytes:desc,start").unwrap(),
            vec![
                SortKey::new(Field::Bytes, true),
                SortKey::new(Field::Start, false)
            ]
        );
        assert_eq!(
            parse_sort("dstPort desc, duration").unwrap(),
            vec![
                SortKey::new(Field::DstPort, true),
                SortKey::new(SortField::Duration, false)
            ]
        );
        assert!(parse_sort("").unwrap().is_empty());
        let e = parse_sort("bytes:desc,dstprt").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown field 'dstprt' at 1:12 — did you mean 'dstport'?"
        );
        assert_eq!((e.start, e.end), (11, 17));
        assert!(parse_sort("bytes:down")
            .unwrap_err()
            .to_string()
            .contains("direction"));
        assert!(parse_sort("addr").is_err());
    }
}
