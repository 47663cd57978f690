//! Column storage: adaptive-width integers, lazily allocated null bitmaps, interned text
//! and compact addresses. A default-format record costs about 30 bytes here, against the
//! ~110 bytes of its text.

use super::dict::Dict;
use crate::fields::{Field, Kind};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Unsigned integers stored at the narrowest width that holds every value so far:
/// ports and protocols stay one or two bytes, byte counts widen only when they must.
#[derive(Debug, Clone)]
pub enum UInts {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
    U64(Vec<u64>),
}

impl Default for UInts {
    fn default() -> Self {
        UInts::U8(Vec::new())
    }
}

impl UInts {
    #[inline(always)]
    pub fn push(&mut self, v: u64) {
        match self {
            UInts::U8(a) if v <= u8::MAX as u64 => a.push(v as u8),
            UInts::U16(a) if v <= u16::MAX as u64 => a.push(v as u16),
            UInts::U32(a) if v <= u32::MAX as u64 => a.push(v as u32),
            UInts::U64(a) => a.push(v),
            _ => self.widen_and_push(v),
        }
    }

    #[cold]
    #[inline(never)]
    fn widen_and_push(&mut self, v: u64) {
        self.widen(v);
        match self {
            UInts::U8(a) => a.push(v as u8),
            UInts::U16(a) => a.push(v as u16),
            UInts::U32(a) => a.push(v as u32),
            UInts::U64(a) => a.push(v),
        }
    }

    /// Widens to the width `v` needs, keeping the capacity reserved so far (see
    /// [`Column::reserve`]), so that a reservation made for the whole file survives.
    #[cold]
    fn widen(&mut self, v: u64) {
        fn wider<T>(from: &UInts, cast: impl Fn(u64) -> T) -> Vec<T> {
            let mut out = Vec::with_capacity(from.capacity());
            out.extend(from.iter().map(cast));
            out
        }
        *self = if v <= u16::MAX as u64 {
            UInts::U16(wider(self, |x| x as u16))
        } else if v <= u32::MAX as u64 {
            UInts::U32(wider(self, |x| x as u32))
        } else {
            UInts::U64(wider(self, |x| x))
        };
    }

    /// Values the current allocation holds.
    fn capacity(&self) -> usize {
        match self {
            UInts::U8(a) => a.capacity(),
            UInts::U16(a) => a.capacity(),
            UInts::U32(a) => a.capacity(),
            UInts::U64(a) => a.capacity(),
        }
    }

    /// Bytes a value takes at the current width.
    fn width(&self) -> usize {
        match self {
            UInts::U8(_) => 1,
            UInts::U16(_) => 2,
            UInts::U32(_) => 4,
            UInts::U64(_) => 8,
        }
    }

    fn reserve(&mut self, additional: usize) {
        match self {
            UInts::U8(a) => a.reserve(additional),
            UInts::U16(a) => a.reserve(additional),
            UInts::U32(a) => a.reserve(additional),
            UInts::U64(a) => a.reserve(additional),
        }
    }

    /// The largest value the current width holds.
    fn capacity_max(&self) -> u64 {
        match self {
            UInts::U8(_) => u8::MAX as u64,
            UInts::U16(_) => u16::MAX as u64,
            UInts::U32(_) => u32::MAX as u64,
            UInts::U64(_) => u64::MAX,
        }
    }

    /// The largest value its width must hold (the width's maximum: widths only grow
    /// when a value needs them).
    fn max(&self) -> u64 {
        match self {
            UInts::U8(_) => 0,
            UInts::U16(_) => u8::MAX as u64 + 1,
            UInts::U32(_) => u16::MAX as u64 + 1,
            UInts::U64(_) => u32::MAX as u64 + 1,
        }
    }

    /// Appends `map` of every value of `other`, first widening to hold `max` (at least
    /// every mapped value), in one typed loop.
    fn extend_mapped(&mut self, other: &UInts, max: u64, map: impl Fn(u64) -> u64) {
        if max > self.capacity_max() {
            self.widen(max);
        }
        let n = self.len() + other.len();
        // the same width on both sides (the usual case: files of one kind) in a loop of
        // its own, not a width test per value; other pairs value by value (a loop per
        // pair of widths cost the wasm module 8 KB)
        match (&mut *self, other) {
            (UInts::U8(a), UInts::U8(b)) => a.extend(b.iter().map(|&v| map(v.into()) as u8)),
            (UInts::U16(a), UInts::U16(b)) => a.extend(b.iter().map(|&v| map(v.into()) as u16)),
            (UInts::U32(a), UInts::U32(b)) => a.extend(b.iter().map(|&v| map(v.into()) as u32)),
            (UInts::U64(a), UInts::U64(b)) => a.extend(b.iter().map(|&v| map(v))),
            (UInts::U8(a), _) => a.extend(other.iter().map(|v| map(v) as u8)),
            (UInts::U16(a), _) => a.extend(other.iter().map(|v| map(v) as u16)),
            (UInts::U32(a), _) => a.extend(other.iter().map(|v| map(v) as u32)),
            (UInts::U64(a), _) => a.extend(other.iter().map(&map)),
        }
        debug_assert_eq!(self.len(), n);
    }

    /// Overwrites value `i` with `v`, which the current width holds.
    fn set(&mut self, i: usize, v: u64) {
        match self {
            UInts::U8(a) => a[i] = v as u8,
            UInts::U16(a) => a[i] = v as u16,
            UInts::U32(a) => a[i] = v as u32,
            UInts::U64(a) => a[i] = v,
        }
    }

    #[inline]
    pub fn get(&self, i: usize) -> u64 {
        match self {
            UInts::U8(a) => a[i] as u64,
            UInts::U16(a) => a[i] as u64,
            UInts::U32(a) => a[i] as u64,
            UInts::U64(a) => a[i],
        }
    }

    /// Drops values from `len` on.
    pub fn truncate(&mut self, len: usize) {
        match self {
            UInts::U8(a) => a.truncate(len),
            UInts::U16(a) => a.truncate(len),
            UInts::U32(a) => a.truncate(len),
            UInts::U64(a) => a.truncate(len),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            UInts::U8(a) => a.len(),
            UInts::U16(a) => a.len(),
            UInts::U32(a) => a.len(),
            UInts::U64(a) => a.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        (0..self.len()).map(move |i| self.get(i))
    }

    pub fn heap_bytes(&self) -> usize {
        match self {
            UInts::U8(a) => a.capacity(),
            UInts::U16(a) => a.capacity() * 2,
            UInts::U32(a) => a.capacity() * 4,
            UInts::U64(a) => a.capacity() * 8,
        }
    }

    fn shrink(&mut self) {
        match self {
            UInts::U8(a) => a.shrink_to_fit(),
            UInts::U16(a) => a.shrink_to_fit(),
            UInts::U32(a) => a.shrink_to_fit(),
            UInts::U64(a) => a.shrink_to_fit(),
        }
    }
}

/// A bitmap that costs nothing until its first set bit.
#[derive(Debug, Clone, Default)]
pub struct Bits(Vec<u64>);

impl Bits {
    #[inline]
    pub fn get(&self, i: usize) -> bool {
        self.0
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }
    #[inline(always)]
    pub fn set(&mut self, i: usize) {
        let w = i / 64;
        if w >= self.0.len() {
            self.grow_to(w);
        }
        self.0[w] |= 1u64 << (i % 64);
    }
    #[cold]
    #[inline(never)]
    fn grow_to(&mut self, w: usize) {
        self.0.resize(w + 1, 0);
    }
    /// Clears bit `i` (used when a half-appended row is rolled back).
    #[inline]
    pub fn clear(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w &= !(1u64 << (i % 64));
        }
    }
    pub fn any(&self) -> bool {
        self.0.iter().any(|w| *w != 0)
    }
    /// The positions of the set bits, in order.
    pub fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                (w != 0).then(|| {
                    let b = w.trailing_zeros() as usize;
                    w &= w - 1;
                    i * 64 + b
                })
            })
        })
    }
    /// Sets the bits of `other`, moved up by `base`.
    fn append_ones(&mut self, base: usize, other: &Bits) {
        // grown once to the last bit set (as setting them one by one would leave it)
        if let Some(last) = other.0.iter().rposition(|&w| w != 0) {
            let top = base + last * 64 + 63 - other.0[last].leading_zeros() as usize;
            if top / 64 >= self.0.len() {
                self.grow_to(top / 64);
            }
        }
        for r in other.ones() {
            self.set(base + r);
        }
    }

    /// The bitmap's words (bit `i` is bit `i % 64` of word `i / 64`), for serializing.
    pub fn words(&self) -> &[u64] {
        &self.0
    }
    pub fn from_words(words: Vec<u64>) -> Bits {
        Bits(words)
    }
    pub fn heap_bytes(&self) -> usize {
        self.0.capacity() * 8
    }
    fn shrink(&mut self) {
        self.0.shrink_to_fit();
    }
}

/// A decoded value, borrowed from the table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value<'a> {
    /// No value (`-` or absent).
    Null,
    /// An integer.
    UInt(u64),
    /// Unix time: whole seconds plus milliseconds (non-zero only for millisecond inputs).
    Time {
        /// Whole seconds.
        secs: u64,
        /// Milliseconds within the second.
        millis: u16,
    },
    /// CloudWatch event time in milliseconds.
    EventTime(u64),
    /// An address.
    Addr(IpAddr),
    /// Text, as stored.
    Text(&'a str),
}

impl Value<'_> {
    /// Whether the value is [`Value::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    /// Seconds as a float, for times; whole for integers.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::UInt(v) => Some(v as f64),
            Value::Time { secs, millis } => Some(secs as f64 + millis as f64 / 1000.0),
            Value::EventTime(ms) => Some(ms as f64),
            _ => None,
        }
    }
}

/// Storage for one column, by kind.
#[derive(Debug, Clone)]
pub enum Data {
    /// Integer fields; a null row holds 0.
    UInt(UInts),
    /// Times: seconds, plus milliseconds that stay unallocated until a value has some.
    Time { secs: UInts, millis: Vec<u16> },
    /// Addresses: an IPv4 address as u32, or (where `is_v6` is set) an index into `v6`.
    Addr {
        v4: Vec<u32>,
        is_v6: Bits,
        v6: Vec<Ipv6Addr>,
        v6_index: rustc_hash::FxHashMap<Ipv6Addr, u32>,
    },
    /// Text: dictionary codes.
    Code { codes: UInts, dict: Dict },
}

/// One column of the table.
#[derive(Debug, Clone)]
pub struct Column {
    pub field: Field,
    pub data: Data,
    pub nulls: Bits,
    len: usize,
}

/// Dictionary codes of the fixed vocabularies, so that summaries and filters can test
/// action and status without looking at text.
pub const ACCEPT: u32 = 0;
pub const REJECT: u32 = 1;
pub const STATUS_OK: u32 = 0;
pub const STATUS_NODATA: u32 = 1;
pub const STATUS_SKIPDATA: u32 = 2;

impl Column {
    pub fn new(field: Field) -> Column {
        let data = match field.kind() {
            Kind::UInt { .. } | Kind::EventTime => Data::UInt(UInts::default()),
            Kind::Time => Data::Time {
                secs: UInts::default(),
                millis: Vec::new(),
            },
            Kind::Addr => Data::Addr {
                v4: Vec::new(),
                is_v6: Bits::default(),
                v6: Vec::new(),
                v6_index: Default::default(),
            },
            Kind::Action => Data::Code {
                codes: UInts::default(),
                dict: Dict::seeded(&["ACCEPT", "REJECT"]),
            },
            Kind::LogStatus => Data::Code {
                codes: UInts::default(),
                dict: Dict::seeded(&["OK", "NODATA", "SKIPDATA"]),
            },
            Kind::Text | Kind::Tag => Data::Code {
                codes: UInts::default(),
                dict: Dict::default(),
            },
        };
        Column {
            field,
            data,
            nulls: Bits::default(),
            len: 0,
        }
    }

    /// A column from its parts (a serialized table read back), or None when they do not
    /// describe `len` rows: array lengths, dictionary codes and IPv6 indexes are checked,
    /// so that no later read can index out of bounds.
    pub fn from_parts(field: Field, data: Data, nulls: Bits, len: usize) -> Option<Column> {
        let kind_ok = matches!(
            (&data, field.kind()),
            (Data::UInt(_), Kind::UInt { .. } | Kind::EventTime)
                | (Data::Time { .. }, Kind::Time)
                | (Data::Addr { .. }, Kind::Addr)
                | (
                    Data::Code { .. },
                    Kind::Action | Kind::LogStatus | Kind::Text | Kind::Tag
                )
        );
        let ok = kind_ok
            && match &data {
                Data::UInt(u) => u.len() == len,
                Data::Time { secs, millis } => {
                    secs.len() == len && (millis.is_empty() || millis.len() == len)
                }
                Data::Addr { v4, is_v6, v6, .. } => {
                    v4.len() == len
                        && (0..len).all(|i| !is_v6.get(i) || (v4[i] as usize) < v6.len())
                }
                // a null row holds code 0 even in an empty dictionary
                Data::Code { codes, dict } => {
                    codes.len() == len
                        && (0..len).all(|i| nulls.get(i) || (codes.get(i) as usize) < dict.len())
                }
            };
        ok.then_some(Column {
            field,
            data,
            nulls,
            len,
        })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    pub fn is_null(&self, row: usize) -> bool {
        self.nulls.get(row)
    }

    /// Appends a null.
    #[inline(always)]
    pub fn push_null(&mut self) {
        self.nulls.set(self.len);
        match &mut self.data {
            Data::UInt(v) => v.push(0),
            Data::Time { secs, millis } => {
                secs.push(0);
                if !millis.is_empty() {
                    millis.push(0)
                }
            }
            Data::Addr { v4, .. } => v4.push(0),
            Data::Code { codes, .. } => codes.push(0),
        }
        self.len += 1;
    }

    /// Appends nulls until the column has `rows` rows (a column that appears with a
    /// later file or header is null for the rows before it).
    pub fn fill_nulls_to(&mut self, rows: usize) {
        while self.len < rows {
            self.push_null();
        }
    }

    #[inline(always)]
    pub fn push_uint(&mut self, v: u64) {
        match &mut self.data {
            Data::UInt(a) => a.push(v),
            Data::Time { secs, millis } => {
                secs.push(v);
                if !millis.is_empty() {
                    millis.push(0)
                }
            }
            _ => unreachable!("push_uint on a non-integer column"),
        }
        self.len += 1;
    }

    #[inline(always)]
    pub fn push_time(&mut self, s: u64, ms: u16) {
        if let Data::Time { secs, millis } = &mut self.data {
            // `millis` is empty until a value has milliseconds, then as long as `secs`.
            if !millis.is_empty() {
                millis.push(ms);
            } else if ms != 0 {
                millis.resize(secs.len(), 0);
                millis.push(ms);
            }
            secs.push(s);
            self.len += 1;
        } else {
            unreachable!("push_time on a non-time column")
        }
    }

    #[inline(always)]
    pub fn push_v4(&mut self, a: u32) {
        if let Data::Addr { v4, .. } = &mut self.data {
            v4.push(a);
            self.len += 1;
        } else {
            unreachable!("push_v4 on a non-address column")
        }
    }

    pub fn push_v6(&mut self, a: Ipv6Addr) {
        let idx = self.intern_v6(a);
        if let Data::Addr { v4, is_v6, .. } = &mut self.data {
            is_v6.set(v4.len());
            v4.push(idx);
            self.len += 1;
        }
    }

    /// Appends interned text (the bytes are valid UTF-8, checked by the record parser).
    #[inline(always)]
    pub fn push_text(&mut self, t: &[u8]) {
        if let Data::Code { codes, dict } = &mut self.data {
            codes.push(dict.intern(t) as u64);
            self.len += 1;
        } else {
            unreachable!("push_text on a non-text column")
        }
    }

    /// Appends text whose [`super::dict::hash`] is known (the decode kernel computes it
    /// while checking the bytes), so the value is hashed once.
    #[inline(always)]
    pub fn push_text_hashed(&mut self, t: &[u8], hash: u64) {
        if let Data::Code { codes, dict } = &mut self.data {
            codes.push(dict.intern_hashed(t, hash) as u64);
            self.len += 1;
        } else {
            unreachable!("push_text_hashed on a non-text column")
        }
    }

    /// Appends a code of a seeded vocabulary ([`ACCEPT`], [`STATUS_OK`]…) without a
    /// dictionary lookup.
    #[inline(always)]
    pub fn push_code(&mut self, code: u32) {
        if let Data::Code { codes, .. } = &mut self.data {
            codes.push(code as u64);
            self.len += 1;
        } else {
            unreachable!("push_code on a non-text column")
        }
    }

    /// The integer of a UInt or Time column (seconds), None when null.
    #[inline]
    pub fn uint(&self, row: usize) -> Option<u64> {
        if self.is_null(row) {
            return None;
        }
        match &self.data {
            Data::UInt(a) => Some(a.get(row)),
            Data::Time { secs, .. } => Some(secs.get(row)),
            _ => None,
        }
    }

    /// Calls `f` with the value of each non-null row of `rows` in an integer or time
    /// column (as [`Column::uint`] gives it; nothing for other kinds), the storage width
    /// and the null test chosen once rather than per row: summaries scan millions of rows.
    pub fn for_each_uint(&self, rows: impl Iterator<Item = usize>, f: impl FnMut(u64)) {
        match &self.data {
            Data::UInt(a) | Data::Time { secs: a, .. } => self.for_each_stored(a, rows, f),
            _ => {}
        }
    }

    /// Calls `f` with the dictionary code of each non-null row of `rows` in a text column
    /// (as [`Column::code`] gives it; nothing for other kinds), as `for_each_uint`.
    pub fn for_each_code(&self, rows: impl Iterator<Item = usize>, mut f: impl FnMut(u32)) {
        if let Data::Code { codes, .. } = &self.data {
            self.for_each_stored(codes, rows, |v| f(v as u32));
        }
    }

    fn for_each_stored(
        &self,
        a: &UInts,
        rows: impl Iterator<Item = usize>,
        mut f: impl FnMut(u64),
    ) {
        let nulls = self.nulls.any().then_some(&self.nulls);
        macro_rules! each {
            ($v:expr) => {
                match nulls {
                    None => rows.for_each(|r| f($v[r] as u64)),
                    Some(n) => rows.filter(|&r| !n.get(r)).for_each(|r| f($v[r] as u64)),
                }
            };
        }
        match a {
            UInts::U8(v) => each!(v),
            UInts::U16(v) => each!(v),
            UInts::U32(v) => each!(v),
            UInts::U64(v) => each!(v),
        }
    }

    /// The dictionary code of a text column, None when null.
    #[inline]
    pub fn code(&self, row: usize) -> Option<u32> {
        if self.is_null(row) {
            return None;
        }
        match &self.data {
            Data::Code { codes, .. } => Some(codes.get(row) as u32),
            _ => None,
        }
    }

    /// The dictionary of a text column (empty for other kinds).
    pub fn dict(&self) -> &[Box<str>] {
        match &self.data {
            Data::Code { dict, .. } => dict.values(),
            _ => &[],
        }
    }

    /// The address of an address column, None when null.
    #[inline]
    pub fn addr(&self, row: usize) -> Option<IpAddr> {
        if self.is_null(row) {
            return None;
        }
        match &self.data {
            Data::Addr { v4, is_v6, v6, .. } => Some(if is_v6.get(row) {
                IpAddr::V6(v6[v4[row] as usize])
            } else {
                IpAddr::V4(Ipv4Addr::from(v4[row]))
            }),
            _ => None,
        }
    }

    /// Time in milliseconds for Time columns (None when null).
    #[inline]
    pub fn time_ms(&self, row: usize) -> Option<u64> {
        if self.is_null(row) {
            return None;
        }
        match &self.data {
            Data::Time { secs, millis } => {
                Some(secs.get(row) * 1000 + millis.get(row).copied().unwrap_or(0) as u64)
            }
            Data::UInt(a) if self.field.kind() == Kind::EventTime => Some(a.get(row)),
            _ => None,
        }
    }

    pub fn value(&self, row: usize) -> Value<'_> {
        if row >= self.len || self.is_null(row) {
            return Value::Null;
        }
        match &self.data {
            Data::UInt(a) if self.field.kind() == Kind::EventTime => Value::EventTime(a.get(row)),
            Data::UInt(a) => Value::UInt(a.get(row)),
            Data::Time { secs, millis } => Value::Time {
                secs: secs.get(row),
                millis: millis.get(row).copied().unwrap_or(0),
            },
            Data::Addr { .. } => self.addr(row).map_or(Value::Null, Value::Addr),
            Data::Code { codes, dict } => Value::Text(&dict.values()[codes.get(row) as usize]),
        }
    }

    pub fn heap_bytes(&self) -> usize {
        self.nulls.heap_bytes()
            + match &self.data {
                Data::UInt(a) => a.heap_bytes(),
                Data::Time { secs, millis } => secs.heap_bytes() + millis.capacity() * 2,
                Data::Addr {
                    v4,
                    is_v6,
                    v6,
                    v6_index,
                } => {
                    v4.capacity() * 4
                        + is_v6.heap_bytes()
                        + v6.capacity() * 16
                        + v6_index.capacity() * 24
                }
                Data::Code { codes, dict } => codes.heap_bytes() + dict.heap_bytes(),
            }
    }

    /// Drops rows from `len` on: the rollback of a row whose later value turned out bad.
    /// (Interned text of the dropped row stays in the dictionary, unused.)
    pub fn truncate(&mut self, len: usize) {
        if self.len <= len {
            return;
        }
        for i in len..self.len {
            self.nulls.clear(i);
        }
        match &mut self.data {
            Data::UInt(a) => a.truncate(len),
            Data::Time { secs, millis } => {
                secs.truncate(len);
                millis.truncate(len);
            }
            Data::Addr { v4, is_v6, .. } => {
                for i in len..v4.len() {
                    is_v6.clear(i);
                }
                v4.truncate(len);
            }
            Data::Code { codes, .. } => codes.truncate(len),
        }
        self.len = len;
    }

    /// Makes room for `rows` more rows at the current widths, so that a column filled
    /// row by row does not grow by doubling. In wasm every doubling copies the column
    /// and leaves the old block behind in linear memory (a 9M-record file's 309 MB table
    /// grew wasm memory to 1.1 GB); see [`crate::Decoder::expect_file_bytes`]. Growth
    /// stays amortized (`Vec::reserve`: at least double when it must grow), so that the
    /// many files of a folder, each reserved for, do not copy the columns once a file.
    pub(crate) fn reserve(&mut self, rows: usize) {
        match &mut self.data {
            Data::UInt(a) => a.reserve(rows),
            Data::Time { secs, millis } => {
                secs.reserve(rows);
                if !millis.is_empty() {
                    millis.reserve(rows);
                }
            }
            Data::Addr { v4, .. } => v4.reserve(rows),
            Data::Code { codes, .. } => codes.reserve(rows),
        }
    }

    /// Bytes one more row takes in this column at its current widths (nulls and
    /// dictionaries aside).
    pub(crate) fn row_bytes(&self) -> usize {
        match &self.data {
            Data::UInt(a) => a.width(),
            Data::Time { secs, millis } => secs.width() + if millis.is_empty() { 0 } else { 2 },
            Data::Addr { .. } => 4,
            Data::Code { codes, .. } => codes.width(),
        }
    }

    pub(crate) fn shrink(&mut self) {
        self.nulls.shrink();
        match &mut self.data {
            Data::UInt(a) => a.shrink(),
            Data::Time { secs, millis } => {
                secs.shrink();
                millis.shrink_to_fit()
            }
            Data::Addr {
                v4,
                v6,
                v6_index,
                is_v6,
            } => {
                is_v6.shrink();
                v4.shrink_to_fit();
                v6.shrink_to_fit();
                *v6_index = Default::default();
            }
            Data::Code { codes, .. } => codes.shrink(),
        }
    }
}

impl Column {
    /// Appends every row of `other` (a column of the same field from another table):
    /// text codes are remapped through this column's dictionary, IPv6 addresses
    /// re-interned, integers re-widened as needed, nulls kept. Used to merge tables
    /// decoded in parallel; the cost is one pass over the rows plus one lookup per
    /// distinct text value.
    pub(crate) fn append(&mut self, other: &Column) {
        debug_assert_eq!(self.field, other.field);
        // a column that was created for an earlier segment is null-filled to its rows,
        // so its values line up with `len`
        let base = self.len;
        self.nulls.append_ones(base, &other.nulls);
        match (&mut self.data, &other.data) {
            (Data::UInt(a), Data::UInt(b)) => a.extend_mapped(b, b.max(), |v| v),
            (
                Data::Time { secs, millis },
                Data::Time {
                    secs: s2,
                    millis: m2,
                },
            ) => {
                if !m2.is_empty() || !millis.is_empty() {
                    millis.resize(secs.len(), 0);
                    match m2.is_empty() {
                        true => millis.resize(secs.len() + s2.len(), 0),
                        false => millis.extend_from_slice(m2),
                    }
                }
                secs.extend_mapped(s2, s2.max(), |v| v);
            }
            (
                Data::Addr { v4, is_v6, .. },
                Data::Addr {
                    v4: b4,
                    is_v6: bis,
                    v6: b6,
                    ..
                },
            ) => {
                let start = v4.len();
                v4.extend_from_slice(b4);
                is_v6.append_ones(start, bis);
                if !b6.is_empty() {
                    let remap: Vec<u32> = b6.iter().map(|a| self.intern_v6(*a)).collect();
                    if let Data::Addr { v4, .. } = &mut self.data {
                        for r in bis.ones() {
                            v4[start + r] = remap[b4[r] as usize];
                        }
                    }
                }
            }
            (
                Data::Code { codes, dict },
                Data::Code {
                    codes: c2,
                    dict: d2,
                },
            ) => {
                let remap: Vec<u32> = d2
                    .values()
                    .iter()
                    .map(|v| dict.intern(v.as_bytes()))
                    .collect();
                let max = remap.iter().copied().max().unwrap_or(0) as u64;
                codes.extend_mapped(c2, max, |c| remap.get(c as usize).map_or(0, |&m| m as u64));
                for r in other.nulls.ones() {
                    codes.set(base + r, 0); // a null row holds code 0, as push_null writes
                }
            }
            _ => unreachable!("append of columns of different kinds"),
        }
        self.len += other.len;
    }

    /// The index of an IPv6 address in this address column's list, added if new.
    fn intern_v6(&mut self, a: Ipv6Addr) -> u32 {
        let Data::Addr { v6, v6_index, .. } = &mut self.data else {
            unreachable!("intern_v6 on a non-address column")
        };
        if v6_index.len() < v6.len() {
            rebuild_v6_index(v6, v6_index);
        }
        let next = v6.len() as u32;
        let idx = *v6_index.entry(a).or_insert(next);
        if idx == next {
            v6.push(a);
        }
        idx
    }
}

/// The lookup from address to index is dropped when a table is finished (it costs more
/// than the addresses); a later append rebuilds it.
#[cold]
fn rebuild_v6_index(v6: &[Ipv6Addr], index: &mut rustc_hash::FxHashMap<Ipv6Addr, u32>) {
    index.clear();
    index.extend(v6.iter().enumerate().map(|(i, a)| (*a, i as u32)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uints_widen_and_keep_values() {
        let mut u = UInts::default();
        for v in [1u64, 255, 256, 70_000, 1 << 40, 3] {
            u.push(v);
        }
        assert!(matches!(u, UInts::U64(_)));
        assert_eq!(
            u.iter().collect::<Vec<_>>(),
            vec![1, 255, 256, 70_000, 1 << 40, 3]
        );
    }

    #[test]
    fn appends_keep_values_and_nulls_across_every_pair_of_widths() {
        // one value per width (and nulls at word edges), so every pair of widths meets
        let samples = [7u64, 300, 70_000, 1 << 40];
        for (i, &a) in samples.iter().enumerate() {
            for (j, &b) in samples.iter().enumerate() {
                let fill = |col: &mut Column, v: u64, n: usize| {
                    for r in 0..n {
                        match r % 64 {
                            0 | 63 => col.push_null(),
                            _ => col.push_uint(v + r as u64 % 3),
                        }
                    }
                };
                let mut left = Column::new(Field::Bytes);
                fill(&mut left, a, 70 + i);
                let mut right = Column::new(Field::Bytes);
                fill(&mut right, b, 130 + j);
                let mut one = left.clone();
                for r in 0..right.len {
                    match right.value(r) {
                        Value::UInt(v) => one.push_uint(v),
                        _ => one.push_null(),
                    }
                }
                left.append(&right);
                assert_eq!(left.len, one.len);
                assert_eq!(left.nulls.words(), one.nulls.words(), "widths {a} {b}");
                for r in 0..one.len {
                    assert_eq!(left.value(r), one.value(r), "row {r}, widths {a} {b}");
                }
            }
        }
    }

    #[test]
    fn columns_hold_nulls_times_addresses_and_text() {
        let mut t = Column::new(Field::Start);
        t.push_time(10, 0);
        t.push_null();
        t.push_time(11, 500);
        assert_eq!(
            t.value(0),
            Value::Time {
                secs: 10,
                millis: 0
            }
        );
        assert_eq!(t.value(1), Value::Null);
        assert_eq!(
            t.value(2),
            Value::Time {
                secs: 11,
                millis: 500
            }
        );
        assert_eq!(t.time_ms(2), Some(11_500));

        let mut a = Column::new(Field::SrcAddr);
        a.push_v4(u32::from(Ipv4Addr::new(10, 0, 0, 1)));
        a.push_v6("2001:db8::1".parse().unwrap());
        a.push_v6("2001:db8::1".parse().unwrap());
        assert_eq!(a.value(0), Value::Addr("10.0.0.1".parse().unwrap()));
        assert_eq!(a.value(2), Value::Addr("2001:db8::1".parse().unwrap()));

        let mut s = Column::new(Field::Action);
        s.push_text(b"REJECT");
        s.push_text(b"ACCEPT");
        assert_eq!(s.code(0), Some(REJECT));
        assert_eq!(s.code(1), Some(ACCEPT));
        assert_eq!(s.value(0), Value::Text("REJECT"));
    }
}
