//! A finished table as bytes and back. The page decodes several files at once, one per
//! Worker of its decode pool; each worker's table moves to the worker that merges and
//! queries them as one transferable buffer ([`Table::to_bytes`]), where it is rebuilt
//! ([`Table::from_bytes`]) and appended ([`Table::append`]).
//!
//! Both ends are the same build of the same module, so the format promises nothing
//! across versions: a magic and a version number guard it and anything else is refused
//! with a [`WireError`], never a panic. Little-endian throughout; columns are written as
//! their raw arrays (narrow integers stay narrow), dictionaries as their values in code
//! order. Labels and health-check verdicts are not carried: the merged table computes
//! them again from its own context files.

use super::column::{Bits, Column, Data, UInts};
use super::dict::Dict;
use super::{BindingInfo, Counts, DecodeError, FileInfo, Origin, Segment, Table, NO_COLUMN};
use crate::container::{Binary, Shape};
use crate::fields::Field;
use std::net::Ipv6Addr;

const MAGIC: &[u8; 4] = b"FLTB";
const VERSION: u32 = 3;

/// Why bytes could not be read back as a table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// The bytes do not start as this build's tables do.
    #[error("not a table serialized by this build of flowlens")]
    NotATable,
    /// The bytes end before the table does.
    #[error("the serialized table is cut short")]
    Truncated,
    /// A part of the table is inconsistent (what, in words).
    #[error("the serialized table is damaged: {0}")]
    Damaged(&'static str),
}

// ─── writing ────────────────────────────────────────────────────────────────────

/// Little-endian writing, shared with the annotations' wire format (`context::wire`).
pub(crate) struct Writer(pub(crate) Vec<u8>);

impl Writer {
    pub(crate) fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub(crate) fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub(crate) fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    pub(crate) fn bool(&mut self, v: bool) {
        self.u8(v as u8);
    }
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.len(b.len());
        self.0.extend_from_slice(b);
    }
    pub(crate) fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn field(&mut self, f: Field) {
        self.u32(f.index() as u32);
    }
    fn fields(&mut self, fs: &[Field]) {
        self.len(fs.len());
        for &f in fs {
            self.field(f);
        }
    }
    pub(crate) fn words<T: Copy, const N: usize>(&mut self, v: &[T], to: impl Fn(T) -> [u8; N]) {
        self.len(v.len());
        self.0.reserve(v.len() * N);
        for &x in v {
            self.0.extend_from_slice(&to(x));
        }
    }
    fn uints(&mut self, u: &UInts) {
        match u {
            UInts::U8(a) => {
                self.u8(1);
                self.bytes(a);
            }
            UInts::U16(a) => {
                self.u8(2);
                self.words(a, u16::to_le_bytes);
            }
            UInts::U32(a) => {
                self.u8(4);
                self.words(a, u32::to_le_bytes);
            }
            UInts::U64(a) => {
                self.u8(8);
                self.words(a, u64::to_le_bytes);
            }
        }
    }
    fn bits(&mut self, b: &Bits) {
        self.words(b.words(), u64::to_le_bytes);
    }
    fn shape(&mut self, s: Option<Shape>) {
        let (tag, known) = match s {
            None => (0, None),
            Some(Shape::Lines) => (1, None),
            Some(Shape::MessageLines) => (2, None),
            Some(Shape::AwsText) => (3, None),
            Some(Shape::Yaml) => (4, None),
            Some(Shape::Paste) => (5, None),
            Some(Shape::Binary(Binary::Parquet)) => (6, None),
            Some(Shape::Binary(Binary::Known(name))) => (7, Some(name)),
            Some(Shape::Binary(Binary::Other)) => (8, None),
            Some(Shape::Json) => (9, None),
            Some(Shape::Csv) => (10, None),
            Some(Shape::Parquet) => (11, None),
            Some(Shape::Tsv) => (12, None),
        };
        self.u8(tag);
        if let Some(name) = known {
            self.str(name);
        }
    }
    fn column(&mut self, c: &Column) {
        self.field(c.field);
        self.len(c.len());
        self.bits(&c.nulls);
        match &c.data {
            Data::UInt(u) => {
                self.u8(0);
                self.uints(u);
            }
            Data::Time { secs, millis } => {
                self.u8(1);
                self.uints(secs);
                self.words(millis, u16::to_le_bytes);
            }
            Data::Addr { v4, is_v6, v6, .. } => {
                self.u8(2);
                self.words(v4, u32::to_le_bytes);
                self.bits(is_v6);
                self.words(v6, |a: Ipv6Addr| a.octets());
            }
            Data::Code { codes, dict } => {
                self.u8(3);
                self.uints(codes);
                self.len(dict.len());
                for v in dict.values() {
                    self.str(v);
                }
            }
        }
    }
    pub(crate) fn binding(&mut self, b: &BindingInfo) {
        self.fields(&b.fields);
        self.u8(b.origin as u8);
        self.bool(b.header_line.is_some());
        self.u64(b.header_line.unwrap_or(0));
        self.str(&b.description);
        self.u32(b.confidence.to_bits());
        self.len(b.ambiguous.len());
        for (pos, alts) in &b.ambiguous {
            self.len(*pos);
            self.fields(alts);
        }
        self.bool(b.guessed);
        self.len(b.extra_names.len());
        for (f, name) in &b.extra_names {
            self.field(*f);
            self.str(name);
        }
    }
    fn file(&mut self, f: &FileInfo) {
        self.str(&f.name);
        self.shape(f.shape);
        self.bool(f.gzip);
        for v in [f.bytes, f.records, f.errors, f.skipped, f.not_records] {
            self.u64(v);
        }
        self.len(f.not_record_reasons.len());
        for (reason, n) in &f.not_record_reasons {
            self.str(reason);
            self.u64(*n);
        }
        self.len(f.first_row);
        self.len(f.end_row);
        self.len(f.bindings.len());
        for b in &f.bindings {
            self.binding(b);
        }
        self.bool(f.stopped_early);
    }
}

// ─── reading ────────────────────────────────────────────────────────────────────

/// Reading what [`Writer`] wrote; every read is checked (a short or damaged buffer is an
/// error, never a panic).
pub(crate) struct Reader<'a> {
    pub(crate) buf: &'a [u8],
    pub(crate) at: usize,
}

pub(crate) type Res<T> = Result<T, WireError>;

impl<'a> Reader<'a> {
    pub(crate) fn take(&mut self, n: usize) -> Res<&'a [u8]> {
        let end = self.at.checked_add(n).ok_or(WireError::Truncated)?;
        let s = self.buf.get(self.at..end).ok_or(WireError::Truncated)?;
        self.at = end;
        Ok(s)
    }
    pub(crate) fn array<const N: usize>(&mut self) -> Res<[u8; N]> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    pub(crate) fn u8(&mut self) -> Res<u8> {
        Ok(self.take(1)?[0])
    }
    pub(crate) fn u32(&mut self) -> Res<u32> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    pub(crate) fn u64(&mut self) -> Res<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    /// A length or index: at most what the rest of the buffer could hold, so a damaged
    /// count cannot make a huge allocation.
    pub(crate) fn len(&mut self) -> Res<usize> {
        let n = self.u64()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= self.buf.len())
            .ok_or(WireError::Damaged("a length past the end"))
    }
    pub(crate) fn bool(&mut self) -> Res<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(WireError::Damaged("a flag that is neither 0 nor 1")),
        }
    }
    pub(crate) fn bytes(&mut self) -> Res<&'a [u8]> {
        let n = self.len()?;
        self.take(n)
    }
    pub(crate) fn string(&mut self) -> Res<String> {
        String::from_utf8(self.bytes()?.to_vec())
            .map_err(|_| WireError::Damaged("text that is not UTF-8"))
    }
    pub(crate) fn static_str(&mut self) -> Res<&'static str> {
        let s = self.string()?;
        known_static(&s).ok_or(WireError::Damaged("too many distinct reasons"))
    }
    fn field(&mut self) -> Res<Field> {
        crate::fields::FIELDS
            .get(self.u32()? as usize)
            .map(|d| d.field)
            .ok_or(WireError::Damaged("an unknown field"))
    }
    fn fields(&mut self) -> Res<Vec<Field>> {
        let n = self.len()?;
        (0..n).map(|_| self.field()).collect()
    }
    pub(crate) fn words<T, const N: usize>(&mut self, from: impl Fn([u8; N]) -> T) -> Res<Vec<T>> {
        let n = self.len()?;
        let raw = self.take(n.checked_mul(N).ok_or(WireError::Truncated)?)?;
        Ok(raw
            .chunks_exact(N)
            .map(|c| from(c.try_into().expect("chunks of N")))
            .collect())
    }
    fn uints(&mut self) -> Res<UInts> {
        Ok(match self.u8()? {
            1 => UInts::U8(self.bytes()?.to_vec()),
            2 => UInts::U16(self.words(u16::from_le_bytes)?),
            4 => UInts::U32(self.words(u32::from_le_bytes)?),
            8 => UInts::U64(self.words(u64::from_le_bytes)?),
            _ => return Err(WireError::Damaged("an unknown integer width")),
        })
    }
    fn bits(&mut self) -> Res<Bits> {
        Ok(Bits::from_words(self.words(u64::from_le_bytes)?))
    }
    fn shape(&mut self) -> Res<Option<Shape>> {
        Ok(Some(match self.u8()? {
            0 => return Ok(None),
            1 => Shape::Lines,
            2 => Shape::MessageLines,
            3 => Shape::AwsText,
            4 => Shape::Yaml,
            5 => Shape::Paste,
            6 => Shape::Binary(Binary::Parquet),
            7 => Shape::Binary(Binary::Known(self.static_str()?)),
            8 => Shape::Binary(Binary::Other),
            9 => Shape::Json,
            10 => Shape::Csv,
            11 => Shape::Parquet,
            12 => Shape::Tsv,
            _ => return Err(WireError::Damaged("an unknown input shape")),
        }))
    }
    fn column(&mut self) -> Res<Column> {
        let field = self.field()?;
        let len = self.len()?;
        let nulls = self.bits()?;
        let data = match self.u8()? {
            0 => Data::UInt(self.uints()?),
            1 => Data::Time {
                secs: self.uints()?,
                millis: self.words(u16::from_le_bytes)?,
            },
            2 => {
                let v4 = self.words(u32::from_le_bytes)?;
                let is_v6 = self.bits()?;
                let v6: Vec<Ipv6Addr> = self.words(Ipv6Addr::from)?;
                let v6_index = v6.iter().enumerate().map(|(i, a)| (*a, i as u32)).collect();
                Data::Addr {
                    v4,
                    is_v6,
                    v6,
                    v6_index,
                }
            }
            3 => {
                let codes = self.uints()?;
                let n = self.len()?;
                let values = (0..n).map(|_| self.string()).collect::<Res<Vec<_>>>()?;
                Data::Code {
                    codes,
                    dict: Dict::from_values(values),
                }
            }
            _ => return Err(WireError::Damaged("an unknown column kind")),
        };
        Column::from_parts(field, data, nulls, len)
            .ok_or(WireError::Damaged("a column whose arrays disagree"))
    }
    pub(crate) fn binding(&mut self) -> Res<BindingInfo> {
        let fields = self.fields()?;
        let origin = match self.u8()? {
            0 => Origin::Header,
            1 => Origin::Format,
            2 => Origin::Layout,
            3 => Origin::Inferred,
            4 => Origin::Parquet,
            _ => return Err(WireError::Damaged("an unknown binding origin")),
        };
        let has_header = self.bool()?;
        let header = self.u64()?;
        let description = self.string()?;
        let confidence = f32::from_bits(self.u32()?);
        let n = self.len()?;
        let ambiguous = (0..n)
            .map(|_| Ok((self.len()?, self.fields()?)))
            .collect::<Res<Vec<_>>>()?;
        let guessed = self.bool()?;
        let n = self.len()?;
        let extra_names = (0..n)
            .map(|_| Ok((self.field()?, self.string()?)))
            .collect::<Res<Vec<_>>>()?;
        Ok(BindingInfo {
            fields,
            origin,
            header_line: has_header.then_some(header),
            description,
            confidence,
            ambiguous,
            guessed,
            extra_names,
        })
    }
    fn file(&mut self) -> Res<FileInfo> {
        let name = self.string()?;
        let shape = self.shape()?;
        let gzip = self.bool()?;
        let [bytes, records, errors, skipped, not_records] = [
            self.u64()?,
            self.u64()?,
            self.u64()?,
            self.u64()?,
            self.u64()?,
        ];
        let n = self.len()?;
        let not_record_reasons = (0..n)
            .map(|_| Ok((self.static_str()?, self.u64()?)))
            .collect::<Res<Vec<_>>>()?;
        let first_row = self.len()?;
        let end_row = self.len()?;
        let n = self.len()?;
        let bindings = (0..n).map(|_| self.binding()).collect::<Res<Vec<_>>>()?;
        let stopped_early = self.bool()?;
        Ok(FileInfo {
            name,
            shape,
            gzip,
            bytes,
            records,
            errors,
            skipped,
            not_records,
            not_record_reasons,
            first_row,
            end_row,
            bindings,
            stopped_early,
        })
    }
}

/// The `&'static str` a reason or binding origin is held as. The core makes them from
/// literals; read back, each distinct text is leaked once and reused, and at most a few
/// hundred are accepted (a table has a handful), so the leak stays bounded.
fn known_static(s: &str) -> Option<&'static str> {
    use std::sync::{Mutex, OnceLock};
    static SEEN: OnceLock<Mutex<Vec<&'static str>>> = OnceLock::new();
    let mut seen = SEEN
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(&k) = seen.iter().find(|k| **k == s) {
        return Some(k);
    }
    if seen.len() >= 512 {
        return None;
    }
    let k: &'static str = Box::leak(s.to_owned().into_boxed_str());
    seen.push(k);
    Some(k)
}

impl Table {
    /// The table as bytes for [`Table::from_bytes`] in another instance of this build.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.write(None)
    }

    /// The table with only the columns of `fields` (those it has), for
    /// [`Table::from_bytes`]: what the context module needs of a table to label it
    /// (`crates/flowlens-context`), without the other columns, the bad lines and the
    /// original text of rows.
    pub fn columns_to_bytes(&self, fields: &[Field]) -> Vec<u8> {
        self.write(Some(fields))
    }

    fn write(&self, only: Option<&[Field]>) -> Vec<u8> {
        let keep = |f: Field| only.is_none_or(|o| o.contains(&f));
        let full = only.is_none();
        // the new index of each kept column
        let mut new_index = vec![usize::MAX; self.columns.len()];
        let mut kept = 0;
        for (i, c) in self.columns.iter().enumerate() {
            if keep(c.field) {
                new_index[i] = kept;
                kept += 1;
            }
        }
        let mut w = Writer(Vec::with_capacity(self.heap_bytes() / 2 + 1024));
        w.0.extend_from_slice(MAGIC);
        w.u32(VERSION);
        w.len(self.rows);
        w.len(kept);
        for c in self.columns.iter().filter(|c| keep(c.field)) {
            w.column(c);
        }
        w.len(self.segments.len());
        for s in &self.segments {
            w.len(s.first_row);
            w.u32(s.file);
            let fields: Vec<Field> = s.fields.iter().copied().filter(|&f| keep(f)).collect();
            w.fields(&fields);
        }
        let unbound: Vec<usize> = self
            .unbound
            .iter()
            .map(|&u| new_index[u])
            .filter(|&u| u != usize::MAX)
            .collect();
        w.len(unbound.len());
        for u in unbound {
            w.len(u);
        }
        w.len(self.line_marks.len());
        for &(row, line) in &self.line_marks {
            w.u32(row);
            w.u64(line);
        }
        w.u64(self.last_line);
        // in row order, so that equal tables give equal bytes
        let mut raw: Vec<u64> = if full {
            self.raw_lines.keys().map(|&r| r as u64).collect()
        } else {
            Vec::new()
        };
        crate::sorting::sort_u64(&mut raw);
        w.len(raw.len());
        for row in raw {
            let row = row as u32;
            w.u32(row);
            w.bytes(&self.raw_lines[&row]);
        }
        let errors = if full { &self.errors[..] } else { &[] };
        w.len(errors.len());
        for e in errors {
            w.u32(e.file);
            w.u64(e.line);
            w.u8(e.kind as u8);
            w.str(&e.reason);
            w.str(&e.raw);
        }
        w.len(self.files.len());
        for f in &self.files {
            w.file(f);
        }
        let c = &self.counts;
        for v in [
            c.records,
            c.errors,
            c.skipped_blank,
            c.skipped_header,
            c.skipped_control,
            c.skipped_other,
        ] {
            w.u64(v);
        }
        w.len(c.not_records.len());
        for (reason, n) in &c.not_records {
            w.str(reason);
            w.u64(*n);
        }
        w.len(self.max_kept_errors);
        w.len(self.extra_names.len());
        for name in &self.extra_names {
            w.str(name);
        }
        w.0
    }

    /// A table from [`Table::to_bytes`]. Damaged or foreign bytes are an error.
    pub fn from_bytes(bytes: &[u8]) -> Result<Table, WireError> {
        let mut r = Reader { buf: bytes, at: 0 };
        if r.take(4).ok() != Some(&MAGIC[..]) || r.u32().ok() != Some(VERSION) {
            return Err(WireError::NotATable);
        }
        let mut t = Table {
            rows: r.len()?,
            ..Table::default()
        };
        let n = r.len()?;
        for _ in 0..n {
            let c = r.column()?;
            if c.len() != t.rows {
                return Err(WireError::Damaged(
                    "a column of another length than the table",
                ));
            }
            let slot = &mut t.column_of[c.field.index()];
            if *slot != NO_COLUMN || t.columns.len() >= NO_COLUMN as usize {
                return Err(WireError::Damaged("a field with two columns"));
            }
            *slot = t.columns.len() as u8;
            t.columns.push(c);
        }
        let n = r.len()?;
        for _ in 0..n {
            let first_row = r.len()?;
            let file = r.u32()?;
            let fields = r.fields()?;
            t.segments.push(Segment {
                first_row,
                file,
                fields,
            });
        }
        let n = r.len()?;
        for _ in 0..n {
            let u = r.len()?;
            if u >= t.columns.len() {
                return Err(WireError::Damaged("an unbound column that does not exist"));
            }
            t.unbound.push(u);
        }
        let n = r.len()?;
        for _ in 0..n {
            t.line_marks.push((r.u32()?, r.u64()?));
        }
        t.last_line = r.u64()?;
        let n = r.len()?;
        for _ in 0..n {
            let row = r.u32()?;
            t.raw_lines.insert(row, r.bytes()?.into());
        }
        let n = r.len()?;
        for _ in 0..n {
            t.errors.push(DecodeError {
                file: r.u32()?,
                line: r.u64()?,
                kind: *crate::ErrorKind::ALL
                    .get(r.u8()? as usize)
                    .ok_or(WireError::Damaged("an unknown error kind"))?,
                reason: r.string()?,
                raw: r.string()?,
            });
        }
        let n = r.len()?;
        for _ in 0..n {
            t.files.push(r.file()?);
        }
        let [records, errors, skipped_blank, skipped_header, skipped_control, skipped_other] =
            [r.u64()?, r.u64()?, r.u64()?, r.u64()?, r.u64()?, r.u64()?];
        let mut not_records = std::collections::BTreeMap::new();
        let n = r.len()?;
        for _ in 0..n {
            not_records.insert(r.static_str()?, r.u64()?);
        }
        // Every count named, as `Table::append` (merge.rs) names them when it destructures
        // `Counts`: the two read alike because each lists every count, and that is the
        // point — a count added to `Counts` is a compile error in both, never a silent 0.
        t.counts = Counts {
            records,
            errors,
            skipped_blank,
            skipped_header,
            skipped_control,
            skipped_other,
            not_records,
        };
        t.max_kept_errors = r.u64()? as usize;
        let n = r.len()?;
        if n > crate::fields::EXTRAS.len() {
            return Err(WireError::Damaged("more extra columns than there are"));
        }
        for _ in 0..n {
            t.extra_names.push(r.string()?);
        }
        if r.at != bytes.len() {
            return Err(WireError::Damaged("bytes after the end"));
        }
        // Rows must point at files and segments that exist: the readers index them.
        let files = t.files.len() as u32;
        if t.segments
            .iter()
            .any(|s| s.file >= files || s.first_row > t.rows)
            || t.errors.iter().any(|e| e.file >= files)
            || t.files
                .iter()
                .any(|f| f.first_row > f.end_row || f.end_row > t.rows)
            || (t.rows > 0 && t.segments.is_empty())
            || t.segments.windows(2).any(|w| w[0].first_row > w[1].first_row)
            // line numbers are counted from the marks: each after the last, inside the table
            || t.line_marks.windows(2).any(|w| w[0].0 >= w[1].0)
            || t.line_marks.last().is_some_and(|m| m.0 as usize >= t.rows.max(1))
        {
            return Err(WireError::Damaged("rows that point at no file"));
        }
        Ok(t)
    }
}
