//! Top-N groups and the time histogram, over a set of row ids (the current filter).

use crate::fields::Field;
use crate::output::display_value;
use crate::table::column::REJECT;
use crate::table::{Column, Data, Table, UInts};
use rustc_hash::{FxHashMap, FxHashSet};

/// What groups are ranked by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Rank by the number of records.
    Count,
    /// Rank by bytes.
    Bytes,
    /// Rank by packets.
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
    /// Records in the group.
    pub count: u64,
    /// Bytes of the group.
    pub bytes: u64,
    /// Packets of the group.
    pub packets: u64,
    /// Distinct values of the `distinct_of` field, when asked for.
    pub distinct: Option<u64>,
    /// Earliest `start` and latest `end` of the group (unix seconds).
    pub first: Option<u64>,
    /// Latest `end` of the group (unix seconds).
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

impl Acc {
    fn new(row: u32) -> Acc {
        Acc {
            count: 0,
            bytes: 0,
            packets: 0,
            first: u64::MAX,
            last: 0,
            has_last: false,
            row,
            distinct: None,
        }
    }

    /// The group's value of `order`.
    fn measure(&self, order: Measure) -> u64 {
        match order {
            Measure::Count => self.count,
            Measure::Bytes => self.bytes,
            Measure::Packets => self.packets,
            Measure::Distinct(_) => self.distinct_count(),
        }
    }

    fn distinct_count(&self) -> u64 {
        self.distinct.as_ref().map_or(0, |d| d.len() as u64)
    }
}

/// The columns a group sums and spans.
struct Volume<'a> {
    bytes: Option<&'a Column>,
    packets: Option<&'a Column>,
    start: Option<&'a Column>,
    end: Option<&'a Column>,
    /// The column whose distinct values are counted, when asked for.
    distinct: Option<&'a Column>,
}

impl Volume<'_> {
    /// Adds row `row` to the group `a`.
    #[inline]
    fn add(&self, a: &mut Acc, row: usize) {
        a.count += 1;
        a.bytes = a
            .bytes
            .wrapping_add(self.bytes.and_then(|c| c.uint(row)).unwrap_or(0));
        a.packets = a
            .packets
            .wrapping_add(self.packets.and_then(|c| c.uint(row)).unwrap_or(0));
        if let Some(s) = self.start.and_then(|c| c.uint(row)) {
            a.first = a.first.min(s);
        }
        if let Some(e) = self.end.and_then(|c| c.uint(row)) {
            a.last = a.last.max(e);
            a.has_last = true;
        }
        if let Some(k) = self.distinct.and_then(|dc| key_of(dc, row)) {
            a.distinct.get_or_insert_with(Default::default).insert(k);
        }
    }
}

/// Phase 1: one accumulator per group of `rows` by the key columns, in order of first
/// appearance. One field with few possible values (a dictionary column, ports,
/// protocols) indexes a direct table from key to group, the last slot for null;
/// otherwise hash maps, with small fixed-size keys for one or two fields.
fn accumulate(rows: &[u32], cols: &[Option<&Column>], volume: &Volume<'_>) -> Vec<Acc> {
    let dense_size = match cols {
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
                accs.push(Acc::new(r));
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
        volume.add(&mut accs[gi], row);
    }
    accs
}

/// Phase 2: `(measure, count, group)` of the groups that can make the cut — the top
/// `limit` and whatever ties the last of them — so that display keys are rendered only
/// for those: a group-by over millions of distinct addresses must not format millions
/// of strings. `skip`: a group left out (a facet's rows with no value).
fn contenders(
    accs: &[Acc],
    skip: Option<usize>,
    order: Measure,
    limit: usize,
) -> Vec<(u64, u64, u32)> {
    let mut ranked: Vec<(u64, u64, u32)> = accs
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != skip)
        .map(|(i, a)| (a.measure(order), a.count, i as u32))
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
    ranked
}

/// Phase 3: the group as the caller sees it, with display keys and filter texts.
fn render(table: &Table, by_fields: &[Field], a: &Acc, with_distinct: bool) -> Group {
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
    Group {
        keys,
        filters,
        count: a.count,
        bytes: a.bytes,
        packets: a.packets,
        distinct: with_distinct.then(|| a.distinct_count()),
        first: (a.first != u64::MAX).then_some(a.first),
        last: a.has_last.then_some(a.last),
        row: a.row,
    }
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
    let grouping = Grouping::new(table, by_fields, order, distinct_of);
    let accs = grouping.accumulate(rows);
    grouping.ranked(&accs, None, limit)
}

/// The top values of one field, as the page's facets list them: the rows with no value
/// (`-`, or a field no input has) are not a value, so they are never ranked among the
/// values; they are counted apart, for a "(no value)" entry that filters with
/// `not field exists`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Facet {
    /// The top `limit` values, as [`top`] ranks them, none of them null.
    pub values: Vec<Group>,
    /// The rows with no value, as one group (its key `-`); None when every row has one.
    pub missing: Option<Group>,
}

/// The facet of `field` over `rows`: its top `limit` values by `order` (0: all) and,
/// apart, the rows that have no value ([`Facet`]).
pub fn facet(table: &Table, rows: &[u32], field: Field, order: Measure, limit: usize) -> Facet {
    let by = [field];
    let grouping = Grouping::new(table, &by, order, None);
    let accs = grouping.accumulate(rows);
    let col = table.column(field);
    let missing = accs
        .iter()
        .position(|a| col.is_none_or(|c| c.is_null(a.row as usize)));
    Facet {
        values: grouping.ranked(&accs, missing, limit),
        missing: missing.map(|i| render(table, &[field], &accs[i], false)),
    }
}

/// What a group-by reads: the key fields and their columns, the measure, and the
/// columns every group sums and spans.
struct Grouping<'a> {
    table: &'a Table,
    by_fields: &'a [Field],
    cols: Vec<Option<&'a Column>>,
    order: Measure,
    volume: Volume<'a>,
    /// Groups count distinct values (asked for, whether or not the field has a column).
    with_distinct: bool,
}

impl<'a> Grouping<'a> {
    fn new(
        table: &'a Table,
        by_fields: &'a [Field],
        order: Measure,
        distinct_of: Option<Field>,
    ) -> Grouping<'a> {
        let distinct_field = match order {
            Measure::Distinct(f) => Some(f),
            _ => distinct_of,
        };
        Grouping {
            table,
            by_fields,
            cols: by_fields.iter().map(|f| table.column(*f)).collect(),
            order,
            volume: Volume {
                bytes: table.column(Field::Bytes),
                packets: table.column(Field::Packets),
                start: table.column(Field::Start),
                end: table.column(Field::End),
                distinct: distinct_field.and_then(|f| table.column(f)),
            },
            with_distinct: distinct_field.is_some(),
        }
    }

    fn accumulate(&self, rows: &[u32]) -> Vec<Acc> {
        accumulate(rows, &self.cols, &self.volume)
    }

    /// Phases 2 to 4: the contenders (all groups but `skip`), rendered, in their final
    /// order, cut to `limit`.
    fn ranked(&self, accs: &[Acc], skip: Option<usize>, limit: usize) -> Vec<Group> {
        let with_distinct = self.with_distinct;
        let mut groups: Vec<(u64, Group)> = contenders(accs, skip, self.order, limit)
            .into_iter()
            .map(|(m, _, i)| {
                let a = &accs[i as usize];
                (m, render(self.table, self.by_fields, a, with_distinct))
            })
            .collect();
        // Phase 4: the final order, and the cut.
        crate::sorting::sort_by(&mut groups, |a, b| {
            b.0.cmp(&a.0)
                .then(b.1.count.cmp(&a.1.count))
                .then_with(|| a.1.keys.cmp(&b.1.keys))
        });
        if limit > 0 {
            groups.truncate(limit);
        }
        groups.into_iter().map(|(_, g)| g).collect()
    }
}

/// Records, bytes, packets and rejected records per time bucket, by the table's
/// [`super::time_field`] (`start`, else `@timestamp`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Histogram {
    /// The field bucketed by: `start`, or `@timestamp` for a table without `start`.
    pub field: &'static str,
    /// Start of the first bucket (unix seconds, a multiple of the bucket size).
    pub start: u64,
    /// The size of a bucket in seconds.
    pub bucket_secs: u64,
    /// Records per bucket.
    pub records: Vec<u64>,
    /// Bytes per bucket.
    pub bytes: Vec<u64>,
    /// Packets per bucket.
    pub packets: Vec<u64>,
    /// Rejected records per bucket.
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

/// Buckets `rows` by their `start`, or for a table without a start column by their
/// `@timestamp`, in whole seconds (rows without one are left out). `bucket_secs`:
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
    let field = super::time_field(|f| table.column(f).is_some());
    let start_col = table.column(field);
    let per_second = match field.kind() {
        crate::fields::Kind::EventTime => 1000,
        _ => 1,
    };
    let seconds = |row: usize| start_col.and_then(|c| c.uint(row)).map(|t| t / per_second);
    let mut lo = u64::MAX;
    let mut hi = 0;
    for &r in rows {
        if let Some(s) = seconds(r as usize) {
            lo = lo.min(s);
            hi = hi.max(s);
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
            field: field.name(),
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
        field: field.name(),
        start: first * size,
        bucket_secs: size,
        records: vec![0; n],
        bytes: vec![0; n],
        packets: vec![0; n],
        rejects: vec![0; n],
    };
    let (Some(_), bytes, packets, action) = (
        start_col,
        table.column(Field::Bytes),
        table.column(Field::Packets),
        table.column(Field::Action),
    ) else {
        return h;
    };
    for &r in rows {
        let row = r as usize;
        let Some(s) = seconds(row) else { continue };
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
