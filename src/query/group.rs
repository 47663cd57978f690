//! Top-N groups and the time histogram, over a set of row ids (the current filter).

use crate::fields::Field;
use crate::output::display_value;
use crate::table::column::REJECT;
use crate::table::{Column, Data, Table, UInts};
use rustc_hash::{FxHashMap, FxHashSet};

/// What groups are ranked by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Count,
    Bytes,
    Packets,
    /// The number of distinct non-null values of a field in the group.
    Distinct(Field),
}

impl Measure {
    /// The names a measure is given by (`by` of the page's `top`).
    pub const NAMES: &'static [&'static str] = &["count", "bytes", "packets"];
}

/// A measure name that is not one of [`Measure::NAMES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown measure '{0}' (count, bytes or packets)")]
pub struct UnknownMeasure(pub String);

impl std::str::FromStr for Measure {
    type Err = UnknownMeasure;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "count" => Ok(Measure::Count),
            "bytes" => Ok(Measure::Bytes),
            "packets" => Ok(Measure::Packets),
            _ => Err(UnknownMeasure(s.to_string())),
        }
    }
}

/// One group of rows sharing the values of the group-by fields.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Group {
    /// The display text of each group-by value (times ISO, protocol names, decoded tags);
    /// `-` for null.
    pub keys: Vec<String>,
    /// Per key: "" when the display text is the value to filter on, else the stored
    /// text (a tag as written, a value with escaped characters).
    pub filters: Vec<String>,
    pub count: u64,
    pub bytes: u64,
    pub packets: u64,
    /// Distinct values of the `distinct_of` field, when asked for.
    pub distinct: Option<u64>,
    /// Earliest `start` and latest `end` of the group (unix seconds).
    pub first: Option<u64>,
    pub last: Option<u64>,
    /// The group's first row: read typed key values from it (`table.value(row, field)`).
    #[serde(skip)]
    pub row: u32,
}

/// A group-by key of one row: the value's identity as a u64 (dictionary code, integer,
/// IPv4 word or IPv6 index with bit 32 set), None for null.
fn key_of(col: &Column, row: usize) -> Option<u64> {
    if col.is_null(row) {
        return None;
    }
    match &col.data {
        Data::UInt(u) => Some(u.get(row)),
        Data::Time { secs, .. } => Some(secs.get(row)),
        Data::Code { codes, .. } => Some(codes.get(row)),
        Data::Addr { v4, is_v6, .. } => Some(v4[row] as u64 | ((is_v6.get(row) as u64) << 32)),
    }
}

struct Acc {
    count: u64,
    bytes: u64,
    packets: u64,
    /// Earliest start (u64::MAX: none) and latest end (0 with `has_last` false: none):
    /// plain integers keep the per-group state small for group-bys over millions of
    /// distinct addresses.
    first: u64,
    last: u64,
    has_last: bool,
    row: u32,
    /// Allocated only when distinct values are asked for.
    distinct: Option<Box<FxHashSet<u64>>>,
}

/// Groups `rows` by the fields and returns the top `limit` groups (0: all) by `order`,
/// largest first; ties by count, then by key text. Each group carries count, bytes,
/// packets, first start and last end; `distinct` counts the distinct values of
/// `distinct_of` — or of the field of `Measure::Distinct`, which takes precedence.
/// A field without a column groups as null (`-`).
pub fn top(
    table: &Table,
    rows: &[u32],
    by_fields: &[Field],
    order: Measure,
    limit: usize,
    distinct_of: Option<Field>,
) -> Vec<Group> {
    let distinct_field = match order {
        Measure::Distinct(f) => Some(f),
        _ => distinct_of,
    };
    let cols: Vec<Option<&Column>> = by_fields.iter().map(|f| table.column(*f)).collect();
    let dcol = distinct_field.map(|f| table.column(f));
    let col = |f| table.column(f);
    let (bytes, packets, start, end) = (
        col(Field::Bytes),
        col(Field::Packets),
        col(Field::Start),
        col(Field::End),
    );
    // One field with few possible values (a dictionary column, ports, protocols): a
    // direct table from key to group, the last slot for null. Otherwise hash maps, with
    // small fixed-size keys for one or two fields.
    let dense_size = match cols.as_slice() {
        [Some(c)] => match &c.data {
            Data::Code { dict, .. } if dict.len() <= 1 << 20 => Some(dict.len()),
            Data::UInt(UInts::U8(_)) => Some(1 << 8),
            Data::UInt(UInts::U16(_)) => Some(1 << 16),
            _ => None,
        },
        _ => None,
    };
    let mut dense: Vec<u32> = vec![u32::MAX; dense_size.map_or(0, |n| n + 1)];
    let mut one: FxHashMap<(u64, u64), usize> = FxHashMap::default();
    let mut two: FxHashMap<[u64; 3], usize> = FxHashMap::default();
    let mut index: FxHashMap<Box<[u64]>, usize> = FxHashMap::default();
    let mut accs: Vec<Acc> = Vec::new();
    let mut scratch: Vec<u64> = vec![0; cols.len() + 1];
    for &r in rows {
        let row = r as usize;
        let mut null_bits = 0u64;
        for (i, c) in cols.iter().enumerate() {
            scratch[i] = match c.and_then(|c| key_of(c, row)) {
                Some(k) => k,
                None => {
                    null_bits |= 1 << (i % 64);
                    0
                }
            };
        }
        scratch[cols.len()] = null_bits;
        let dense_slot = dense_size.map(|n| {
            if null_bits != 0 {
                n
            } else {
                scratch[0] as usize
            }
        });
        let found = match (dense_slot, cols.len()) {
            (Some(k), _) => Some(dense[k] as usize).filter(|g| *g != u32::MAX as usize),
            (None, 1) => one.get(&(scratch[0], null_bits)).copied(),
            (None, 2) => two.get(&[scratch[0], scratch[1], null_bits]).copied(),
            (None, _) => index.get(&scratch[..]).copied(),
        };
        let gi = match found {
            Some(g) => g,
            None => {
                accs.push(Acc {
                    count: 0,
                    bytes: 0,
                    packets: 0,
                    first: u64::MAX,
                    last: 0,
                    has_last: false,
                    row: r,
                    distinct: None,
                });
                let gi = accs.len() - 1;
                match (dense_slot, cols.len()) {
                    (Some(k), _) => dense[k] = gi as u32,
                    (None, 1) => {
                        one.insert((scratch[0], null_bits), gi);
                    }
                    (None, 2) => {
                        two.insert([scratch[0], scratch[1], null_bits], gi);
                    }
                    (None, _) => {
                        index.insert(scratch.clone().into_boxed_slice(), gi);
                    }
                }
                gi
            }
        };
        let a = &mut accs[gi];
        a.count += 1;
        a.bytes = a
            .bytes
            .wrapping_add(bytes.and_then(|c| c.uint(row)).unwrap_or(0));
        a.packets = a
            .packets
            .wrapping_add(packets.and_then(|c| c.uint(row)).unwrap_or(0));
        if let Some(s) = start.and_then(|c| c.uint(row)) {
            a.first = a.first.min(s);
        }
        if let Some(e) = end.and_then(|c| c.uint(row)) {
            a.last = a.last.max(e);
            a.has_last = true;
        }
        if let Some(Some(dc)) = dcol {
            if let Some(k) = key_of(dc, row) {
                a.distinct.get_or_insert_with(Default::default).insert(k);
            }
        }
    }
    let measure = |a: &Acc| match order {
        Measure::Count => a.count,
        Measure::Bytes => a.bytes,
        Measure::Packets => a.packets,
        Measure::Distinct(_) => a.distinct.as_ref().map_or(0, |d| d.len() as u64),
    };
    // Rank by (measure, count) first and render display keys only for the groups that
    // can make the cut (the top `limit` and whatever ties the last of them): a group-by
    // over millions of distinct addresses must not format millions of strings.
    let mut ranked: Vec<(u64, u64, u32)> = accs
        .iter()
        .enumerate()
        .map(|(i, a)| (measure(a), a.count, i as u32))
        .collect();
    let rank = |a: &(u64, u64, u32), b: &(u64, u64, u32)| b.0.cmp(&a.0).then(b.1.cmp(&a.1));
    if limit > 0 && limit < ranked.len() {
        ranked.select_nth_unstable_by(limit - 1, rank);
        let cut = ranked[limit - 1];
        let (head, tail) = ranked.split_at(limit);
        let ties: Vec<(u64, u64, u32)> = tail
            .iter()
            .filter(|t| t.0 == cut.0 && t.1 == cut.1)
            .copied()
            .collect();
        ranked = head.iter().copied().chain(ties).collect();
    }
    let mut groups: Vec<(u64, Group)> = ranked
        .into_iter()
        .map(|(m, _, i)| {
            let a = &accs[i as usize];
            let keys: Vec<String> = by_fields
                .iter()
                .map(|f| display_value(table, a.row as usize, *f))
                .collect();
            let filters = by_fields
                .iter()
                .zip(&keys)
                .map(|(f, shown)| match table.value(a.row as usize, *f) {
                    crate::table::Value::Text(raw) if raw != shown => raw.to_string(),
                    _ => String::new(),
                })
                .collect();
            (
                m,
                Group {
                    keys,
                    filters,
                    count: a.count,
                    bytes: a.bytes,
                    packets: a.packets,
                    distinct: distinct_field
                        .map(|_| a.distinct.as_ref().map_or(0, |d| d.len() as u64)),
                    first: (a.first != u64::MAX).then_some(a.first),
                    last: a.has_last.then_some(a.last),
                    row: a.row,
                },
            )
        })
        .collect();
    groups.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.count.cmp(&a.1.count))
            .then_with(|| a.1.keys.cmp(&b.1.keys))
    });
    if limit > 0 {
        groups.truncate(limit);
    }
    groups.into_iter().map(|(_, g)| g).collect()
}

/// Records, bytes, packets and rejected records per time bucket, by `start`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Histogram {
    /// Start of the first bucket (unix seconds, a multiple of the bucket size).
    pub start: u64,
    pub bucket_secs: u64,
    pub records: Vec<u64>,
    pub bytes: Vec<u64>,
    pub packets: Vec<u64>,
    pub rejects: Vec<u64>,
}

/// Bucket sizes the automatic choice picks from.
pub const AUTO_BUCKETS: &[u64] = &[
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400,
];

/// Most buckets a histogram has, whatever the span or the size asked for: a smaller
/// explicit size is doubled until it fits (the CLI prints one line per bucket, the page
/// draws them).
pub const MAX_BUCKETS: u64 = 10_000;

/// Buckets `rows` by their `start` (rows without one are left out). `bucket_secs`:
/// an explicit size; None picks the smallest of [`AUTO_BUCKETS`] that covers the span
/// in at most `target_buckets` buckets (else whole days, doubled until it does; at most
/// [`MAX_BUCKETS`] either way). Buckets are aligned to
/// multiples of their size (so days start at 00:00 UTC), and every bucket from the
/// first row's to the last row's is present, empty ones as zeros.
pub fn histogram(
    table: &Table,
    rows: &[u32],
    bucket_secs: Option<u64>,
    target_buckets: usize,
) -> Histogram {
    let start_col = table.column(Field::Start);
    let mut lo = u64::MAX;
    let mut hi = 0;
    if let Some(c) = start_col {
        for &r in rows {
            if let Some(s) = c.uint(r as usize) {
                lo = lo.min(s);
                hi = hi.max(s);
            }
        }
    }
    let target = target_buckets.max(1) as u64;
    let target = target.min(MAX_BUCKETS);
    let mut size = match bucket_secs.filter(|s| *s > 0) {
        Some(s) => s,
        None if lo > hi => AUTO_BUCKETS[0],
        None => match AUTO_BUCKETS.iter().find(|&&s| hi / s - lo / s < target) {
            Some(&s) => s,
            // Longer spans: whole days, doubled until the target holds.
            None => {
                let mut s = 86_400u64;
                while hi / s - lo / s >= target {
                    s = s.saturating_mul(2);
                }
                s
            }
        },
    };
    if lo > hi {
        return Histogram {
            start: 0,
            bucket_secs: size,
            records: vec![],
            bytes: vec![],
            packets: vec![],
            rejects: vec![],
        };
    }
    while hi / size - lo / size >= MAX_BUCKETS {
        size = size.saturating_mul(2);
    }
    let first = lo / size;
    let n = (hi / size - first + 1) as usize;
    let mut h = Histogram {
        start: first * size,
        bucket_secs: size,
        records: vec![0; n],
        bytes: vec![0; n],
        packets: vec![0; n],
        rejects: vec![0; n],
    };
    let (Some(sc), bytes, packets, action) = (
        start_col,
        table.column(Field::Bytes),
        table.column(Field::Packets),
        table.column(Field::Action),
    ) else {
        return h;
    };
    for &r in rows {
        let row = r as usize;
        let Some(s) = sc.uint(row) else { continue };
        let b = (s / size - first) as usize;
        h.records[b] += 1;
        h.bytes[b] = h.bytes[b].wrapping_add(bytes.and_then(|c| c.uint(row)).unwrap_or(0));
        h.packets[b] = h.packets[b].wrapping_add(packets.and_then(|c| c.uint(row)).unwrap_or(0));
        if action.and_then(|c| c.code(row)) == Some(REJECT) {
            h.rejects[b] += 1;
        }
    }
    h
}
