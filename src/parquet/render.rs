//! One row group's columns read in step, a batch of rows at a time, and each row
//! rendered as a flow log text record (single spaces, `-` for null).

use super::schema::{Col, Conv};
use super::{clean, ParquetError, ParquetFile};
use crate::rows::BatchWriter;
use parquet::column::reader::ColumnReaderImpl;
use parquet::data_type::{ByteArray, ByteArrayType, Int32Type, Int64Type, Int96, Int96Type};
use parquet::file::reader::ChunkReader;
use parquet::file::serialized_reader::SerializedPageReader;
use std::io::Write as _;
use std::sync::Arc;

enum Values {
    I32(ColumnReaderImpl<Int32Type>, Vec<i32>),
    I64(ColumnReaderImpl<Int64Type>, Vec<i64>),
    I96(ColumnReaderImpl<Int96Type>, Vec<Int96>),
    Bytes(ColumnReaderImpl<ByteArrayType>, Vec<ByteArray>),
}

struct Reader {
    col: Col,
    values: Values,
    defs: Vec<i16>,
    /// Next value (non-null) of this batch to render.
    next: usize,
}

/// The rows of one row group, rendered batch by batch (see [`RowGroupRows::next_batch`]).
pub struct RowGroupRows {
    readers: Vec<Reader>,
    group: usize,
    /// Row number of the next row to render (1-based, in the file).
    row: u64,
    end_row: u64,
    /// Index of the row being rendered within the batch read.
    at: usize,
    line: Vec<u8>,
    bad: Option<String>,
}

impl std::fmt::Debug for RowGroupRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RowGroupRows")
            .field("group", &self.group)
            .field("row", &self.row)
            .field("end_row", &self.end_row)
            .finish()
    }
}

impl RowGroupRows {
    pub(super) fn new<R: ChunkReader + 'static>(
        file: &ParquetFile,
        group: usize,
        reader: Arc<R>,
    ) -> Result<RowGroupRows, ParquetError> {
        let rg = file.meta.row_group(group);
        let total = usize::try_from(rg.num_rows().max(0)).unwrap_or(usize::MAX);
        let schema = file.meta.file_metadata().schema_descr();
        let first = file.first_row(group);
        let mut readers = Vec::with_capacity(file.plan.cols.len());
        for c in &file.plan.cols {
            let fail = |e: parquet::errors::ParquetError| {
                ParquetError(format!(
                    "row group {} (rows {}–{}), column '{}': {}",
                    group + 1,
                    first,
                    first + rg.num_rows().max(1) as u64 - 1,
                    c.name,
                    clean(&e)
                ))
            };
            let pages =
                SerializedPageReader::new(Arc::clone(&reader), rg.column(c.leaf), total, None)
                    .map_err(fail)?;
            let descr = schema.column(c.leaf);
            let pages = Box::new(pages);
            let values = match c.conv {
                Conv::I32 | Conv::U32 | Conv::I32Account => {
                    Values::I32(ColumnReaderImpl::new(descr, pages), Vec::new())
                }
                Conv::I64 | Conv::U64 | Conv::I64Account | Conv::Timestamp { .. } => {
                    Values::I64(ColumnReaderImpl::new(descr, pages), Vec::new())
                }
                Conv::Int96 => Values::I96(ColumnReaderImpl::new(descr, pages), Vec::new()),
                Conv::Text => Values::Bytes(ColumnReaderImpl::new(descr, pages), Vec::new()),
            };
            readers.push(Reader {
                col: c.clone(),
                values,
                defs: Vec::new(),
                next: 0,
            });
        }
        Ok(RowGroupRows {
            readers,
            group,
            row: first,
            end_row: first + total as u64,
            at: 0,
            line: Vec::with_capacity(256),
            bad: None,
        })
    }

    /// Renders up to `max_rows` more rows into `out` as records (or row errors). Returns
    /// false once the row group is done; a damaged page ends the row group with one error
    /// that names the rows lost.
    pub fn next_batch(&mut self, max_rows: usize, out: &mut BatchWriter) -> bool {
        if self.row >= self.end_row {
            return false;
        }
        let want = (max_rows.max(1) as u64).min(self.end_row - self.row) as usize;
        if let Err(e) = self.read(want) {
            self.lose_rest(&clean(&e), out);
            return false;
        }
        for at in 0..want {
            self.at = at;
            self.render_row(out);
            if self.bad.is_some() {
                break;
            }
            self.row += 1;
        }
        if let Some(why) = self.bad.take() {
            self.lose_rest(&why, out);
            return false;
        }
        self.row < self.end_row
    }

    fn lose_rest(&mut self, why: &str, out: &mut BatchWriter) {
        let lost = self.end_row - self.row;
        out.error(
            self.row,
            &format!(
                "row group {} is damaged: rows {}–{} ({} row{}) could not be read: {}",
                self.group + 1,
                self.row,
                self.end_row - 1,
                lost,
                if lost == 1 { "" } else { "s" },
                why
            ),
            &[],
        );
        self.row = self.end_row;
    }

    /// Reads `want` records from every column.
    fn read(&mut self, want: usize) -> parquet::errors::Result<()> {
        for r in &mut self.readers {
            r.defs.clear();
            r.next = 0;
            let defs = (r.col.max_def > 0).then_some(&mut r.defs);
            let got = match &mut r.values {
                Values::I32(c, v) => read_all(c, want, defs, v)?,
                Values::I64(c, v) => read_all(c, want, defs, v)?,
                Values::I96(c, v) => read_all(c, want, defs, v)?,
                Values::Bytes(c, v) => read_all(c, want, defs, v)?,
            };
            if got < want {
                return Err(parquet::errors::ParquetError::General(format!(
                    "column '{}' has {got} of the {want} rows expected",
                    r.col.name
                )));
            }
        }
        Ok(())
    }

    /// Renders the batch's next row: a record, or an error naming the field whose value
    /// no flow log text can hold.
    fn render_row(&mut self, out: &mut BatchWriter) {
        self.line.clear();
        let mut bad: Option<String> = None;
        let at = self.at;
        for (pos, r) in self.readers.iter_mut().enumerate() {
            if pos > 0 {
                self.line.push(b' ');
            }
            let present = r.col.max_def == 0 || r.defs.get(at).copied() == Some(r.col.max_def);
            if !present {
                self.line.push(b'-');
                continue;
            }
            let k = r.next;
            r.next += 1;
            let ok = match &r.values {
                Values::I32(_, v) => v.get(k).map(|&x| int(&mut self.line, r.col.conv, x as i64)),
                Values::I64(_, v) => v.get(k).map(|&x| int(&mut self.line, r.col.conv, x)),
                Values::I96(_, v) => v.get(k).map(|x| millis(&mut self.line, x.to_millis())),
                Values::Bytes(_, v) => v.get(k).map(|x| text(&mut self.line, x.data())),
            };
            match ok {
                Some(Ok(())) => {}
                Some(Err(why)) => {
                    bad.get_or_insert_with(|| {
                        format!("field {} '{}': {why}", pos + 1, r.col.field.name())
                    });
                }
                None => {
                    self.bad = Some(format!(
                        "column '{}' has fewer values than its definition levels say",
                        r.col.name
                    ));
                    return;
                }
            }
        }
        match bad {
            None => out.record(self.row, &self.line),
            Some(reason) => out.error(self.row, &reason, &self.line),
        }
    }
}

/// Reads up to `want` records (fewer only at the end of the column chunk).
fn read_all<T: parquet::data_type::DataType>(
    c: &mut ColumnReaderImpl<T>,
    want: usize,
    mut defs: Option<&mut Vec<i16>>,
    values: &mut Vec<T::T>,
) -> parquet::errors::Result<usize> {
    values.clear();
    let mut got = 0;
    while got < want {
        let (records, _, _) = c.read_records(want - got, defs.as_deref_mut(), None, values)?;
        if records == 0 {
            break;
        }
        got += records;
    }
    Ok(got)
}

fn int(line: &mut Vec<u8>, conv: Conv, v: i64) -> Result<(), String> {
    match conv {
        Conv::U32 => decimal(line, v as u32 as u64),
        Conv::U64 => decimal(line, v as u64),
        Conv::I32Account | Conv::I64Account if (0..1_000_000_000_000).contains(&v) => {
            let _ = write!(line, "{v:012}");
        }
        Conv::Timestamp { per_milli } => return millis(line, v.div_euclid(per_milli)),
        _ if v < 0 => {
            line.push(b'-');
            decimal(line, v.unsigned_abs());
        }
        _ => decimal(line, v as u64),
    }
    Ok(())
}

/// `v` in decimal, without the formatting machinery (this runs for most values).
#[inline]
fn decimal(line: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    line.extend_from_slice(&buf[i..]);
}

/// A timestamp in unix milliseconds as flow log time text: whole seconds as seconds,
/// others as the 13-digit milliseconds the text format accepts.
fn millis(line: &mut Vec<u8>, ms: i64) -> Result<(), String> {
    if ms < 0 {
        return Err(format!("timestamp {ms} ms is before 1970"));
    }
    if ms % 1000 == 0 {
        decimal(line, (ms / 1000) as u64);
    } else if ms >= 1_000_000_000_000 {
        decimal(line, ms as u64);
    } else {
        return Err(format!(
            "timestamp {ms} ms has milliseconds but is before 2001-09-09, which flow log time text cannot hold"
        ));
    }
    Ok(())
}

/// Text as is; the empty string is null like `-`. A space or tab cannot be inside a
/// flow log value (it would split the record), so such a value is refused.
fn text(line: &mut Vec<u8>, t: &[u8]) -> Result<(), String> {
    if t.is_empty() {
        line.push(b'-');
        return Ok(());
    }
    line.extend_from_slice(t);
    if t.iter().any(|b| *b == b' ' || *b == b'\t') {
        let shown = crate::table::truncate_raw(&t[..t.len().min(64)]);
        return Err(format!(
            "text with a space or tab cannot be a flow log value, found '{shown}'"
        ));
    }
    Ok(())
}
