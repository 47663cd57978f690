//! Parquet flow logs, as AWS delivers them to S3 ("Parquet format with Gzip
//! compression"), and as other writers produce them.
//!
//! A Parquet file is read whole-file style, never streamed: its footer (at the end)
//! says where every row group's column chunks are, so a reader fetches the footer
//! first, then one row group at a time — memory is the table plus one row group. The
//! browser does exactly that with `Blob.slice`; the CLI with a seekable file.
//!
//! Each row group is rendered as flow log text records (see [`crate::rows`]) and fed to
//! the ordinary [`Decoder`]: every value is typed by the same line decoder as a text
//! file, so a Parquet file and its text twin give identical tables. A record's source is
//! its file and 1-based row number.
//!
//! Detection is by the `PAR1` magic at the start of the file (and the end, for a
//! complete file), never by its name. What can go wrong with the file as a whole — cut
//! short, a damaged footer, a type that cannot be a flow log field, a file of some other
//! data — is one error for the file with the reason; a damaged row group is one error
//! naming the rows lost, and decoding goes on with the next row group.

mod render;
mod schema;

pub use render::RowGroupRows;
pub use schema::{Col, Conv, Plan};

use crate::rows::BatchWriter;
use crate::Decoder;
use parquet::basic::Compression;
use parquet::file::metadata::{ParquetMetaData, ParquetMetaDataReader};
use parquet::file::reader::{ChunkReader, Length};
use std::sync::Arc;

/// The 4 bytes at both ends of a Parquet file.
pub const MAGIC: &[u8; 4] = b"PAR1";
/// The last 8 bytes: the footer's length (u32 LE) and the magic.
pub const TAIL_LEN: u64 = 8;
/// Rows rendered per batch: small enough that a batch stays a few MB, large enough that
/// the per-batch overhead (crossing into the main wasm module) does not show.
pub const BATCH_ROWS: usize = 8192;

/// Whether the input is Parquet, from its first bytes. A file that starts with `PAR1`
/// is never flow log text; whether it is a *complete* Parquet file is for
/// [`footer_len`] to say.
pub fn is_parquet(head: &[u8]) -> bool {
    head.starts_with(MAGIC)
}

/// Why a Parquet file (or one of its row groups) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParquetError(pub String);

fn err<T>(s: impl Into<String>) -> Result<T, ParquetError> {
    Err(ParquetError(s.into()))
}

/// How many bytes at the end of the file hold the footer (its metadata and the 8-byte
/// tail), from the file's last 8 bytes `tail` and its length.
pub fn footer_len(tail: &[u8], file_len: u64) -> Result<u64, ParquetError> {
    if file_len < 12 || tail.len() < 8 {
        return err(format!(
            "Parquet file cut short: {file_len} bytes, too few for a Parquet file"
        ));
    }
    let tail = &tail[tail.len() - 8..];
    match &tail[4..] {
        b"PAR1" => {}
        b"PARE" => return err("encrypted Parquet (PARE footer), which flowlens cannot read"),
        _ => {
            return err(
                "Parquet file cut short or damaged: it starts with PAR1 but does not end with it",
            )
        }
    }
    let meta = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]) as u64;
    if meta + 12 > file_len {
        return err(format!(
            "damaged Parquet footer: it claims {meta} bytes of metadata in a file of {file_len} bytes"
        ));
    }
    Ok(meta + TAIL_LEN)
}

/// A Parquet file whose footer was read: its row groups and the binding of its columns.
#[derive(Debug, Clone)]
pub struct ParquetFile {
    meta: Arc<ParquetMetaData>,
    plan: Arc<Plan>,
    file_len: u64,
}

impl ParquetFile {
    /// Reads the footer: `footer` is the file's last [`footer_len`] (or more) bytes.
    pub fn open(footer: &[u8], file_len: u64) -> Result<ParquetFile, ParquetError> {
        let need = footer_len(footer, file_len)?;
        if (footer.len() as u64) < need {
            return err(format!(
                "internal: {} footer bytes given, {need} needed",
                footer.len()
            ));
        }
        let meta_bytes = &footer[footer.len() - need as usize..footer.len() - 8];
        let meta = ParquetMetaDataReader::decode_metadata(meta_bytes)
            .map_err(|e| ParquetError(format!("damaged Parquet footer: {}", clean(&e))))?;
        let plan = schema::plan(meta.file_metadata().schema_descr()).map_err(ParquetError)?;
        for rg in meta.row_groups() {
            for c in &plan.cols {
                let chunk = rg.column(c.leaf);
                let codec = chunk.compression();
                if !supported(codec) {
                    return err(format!(
                        "column '{}' is compressed with {codec}, which flowlens does not read \
                         (it reads gzip — what AWS writes —, snappy and uncompressed Parquet)",
                        c.name
                    ));
                }
                let (start, len) = chunk.byte_range();
                if start.checked_add(len).is_none_or(|end| end > file_len) {
                    return err(format!(
                        "damaged Parquet footer: column '{}' lies outside the file",
                        c.name
                    ));
                }
            }
        }
        Ok(ParquetFile {
            meta: Arc::new(meta),
            plan: Arc::new(plan),
            file_len,
        })
    }

    /// How the file's columns map to fields.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The binding entry that starts the file's row batches.
    pub fn binding(&self, out: &mut BatchWriter) {
        out.binding(&self.plan.header(), &self.plan.description());
    }

    /// Row groups in the file.
    pub fn row_groups(&self) -> usize {
        self.meta.num_row_groups()
    }

    /// Rows in the file.
    pub fn rows(&self) -> u64 {
        self.meta.file_metadata().num_rows().max(0) as u64
    }

    /// Rows in row group `i`.
    pub fn row_group_rows(&self, i: usize) -> u64 {
        self.meta.row_group(i).num_rows().max(0) as u64
    }

    /// The 1-based row number of row group `i`'s first row.
    pub fn first_row(&self, i: usize) -> u64 {
        1 + (0..i).map(|j| self.row_group_rows(j)).sum::<u64>()
    }

    /// The byte range `[start, end)` of row group `i`'s decoded columns: all a reader
    /// needs to fetch to decode it.
    pub fn row_group_range(&self, i: usize) -> (u64, u64) {
        let rg = self.meta.row_group(i);
        let mut range = (u64::MAX, 0);
        for c in &self.plan.cols {
            let (s, n) = rg.column(c.leaf).byte_range();
            range = (range.0.min(s), range.1.max(s + n));
        }
        if range.0 > range.1 {
            (0, 0)
        } else {
            range
        }
    }

    /// Starts decoding row group `i` from `reader`, which must hold at least the bytes of
    /// [`ParquetFile::row_group_range`] at their file offsets.
    pub fn row_group<R: ChunkReader + 'static>(
        &self,
        i: usize,
        reader: Arc<R>,
    ) -> Result<RowGroupRows, ParquetError> {
        render::RowGroupRows::new(self, i, reader)
    }
}

fn supported(c: Compression) -> bool {
    matches!(
        c,
        Compression::UNCOMPRESSED | Compression::GZIP(_) | Compression::SNAPPY
    )
}

/// A parquet crate error as a sentence (without its "Parquet error: " prefix).
pub(crate) fn clean(e: &parquet::errors::ParquetError) -> String {
    let s = e.to_string();
    s.strip_prefix("Parquet error: ")
        .or_else(|| s.strip_prefix("EOF: "))
        .unwrap_or(&s)
        .to_string()
}

/// A window of a file: the bytes of one row group at their file offsets, which is all
/// the browser holds of a Parquet file at a time.
#[derive(Debug, Clone)]
pub struct Window {
    /// File offset of the first byte of `data`.
    pub start: u64,
    /// The bytes.
    pub data: bytes::Bytes,
    /// The length of the whole file.
    pub file_len: u64,
}

impl Length for Window {
    fn len(&self) -> u64 {
        self.file_len
    }
}

impl ChunkReader for Window {
    type T = bytes::buf::Reader<bytes::Bytes>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        use bytes::Buf;
        let end = self.start + self.data.len() as u64;
        let rest = end.saturating_sub(start) as usize;
        Ok(self.get_bytes(start, rest)?.reader())
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<bytes::Bytes> {
        let from = start.checked_sub(self.start);
        let to = from.and_then(|f| f.checked_add(length as u64));
        match (from, to) {
            (Some(f), Some(t)) if t <= self.data.len() as u64 => {
                Ok(self.data.slice(f as usize..t as usize))
            }
            _ => Err(parquet::errors::ParquetError::EOF(format!(
                "bytes {start}..{} lie outside the row group read ({}..{})",
                start.saturating_add(length as u64),
                self.start,
                self.start + self.data.len() as u64
            ))),
        }
    }
}

/// Decodes a whole Parquet file into `decoder` as the input `name` (begun here): the
/// footer, then row group by row group. `reader` is the file (seekable) or its bytes.
///
/// The `parquet` crate is a large decoder of untrusted bytes; should it panic on some
/// damaged file, the panic is caught here (natively) and becomes an error for that file
/// or row group, and the other inputs still decode.
pub fn decode_into<R: ChunkReader + 'static>(decoder: &mut Decoder, name: &str, reader: R) {
    decoder.begin_file(name);
    let reader = Arc::new(reader);
    let mut out = BatchWriter::default();
    let opened = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| open_reader(&*reader)))
        .unwrap_or_else(|p| {
            err(format!(
                "internal error in the Parquet reader: {}",
                panic_text(&p)
            ))
        });
    let file = match opened {
        Ok(f) => f,
        Err(e) => {
            out.error(0, &e.0, &[]);
            out.progress(reader.len());
            decoder.push_rows(&out.buf);
            return;
        }
    };
    file.binding(&mut out);
    out.progress(reader.len() - file_bytes_of_row_groups(&file));
    decoder.push_rows(&out.buf);
    for i in 0..file.row_groups() {
        let mut out = BatchWriter::default();
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            match file.row_group(i, Arc::clone(&reader)) {
                Ok(mut rows) => {
                    while rows.next_batch(BATCH_ROWS, &mut out) {
                        decoder.push_rows(&out.buf);
                        out.buf.clear();
                    }
                }
                Err(e) => out.error(file.first_row(i), &e.0, &[]),
            }
        }));
        if let Err(p) = read {
            out.buf.clear();
            out.error(
                file.first_row(i),
                &format!(
                    "row group {} could not be read: internal error in the Parquet reader: {}",
                    i + 1,
                    panic_text(&p)
                ),
                &[],
            );
        }
        let (s, e) = file.row_group_range(i);
        out.progress(e - s);
        decoder.push_rows(&out.buf);
    }
}

/// Bytes of the file that the row groups' decoded columns take (the rest — footer,
/// magic, columns left out — is counted when the footer is read).
fn file_bytes_of_row_groups(file: &ParquetFile) -> u64 {
    (0..file.row_groups())
        .map(|i| {
            let (s, e) = file.row_group_range(i);
            e - s
        })
        .sum::<u64>()
        .min(file.file_len)
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

/// Checks both magics and reads the footer of a whole-file reader.
fn open_reader<R: ChunkReader>(reader: &R) -> Result<ParquetFile, ParquetError> {
    let len = reader.len();
    let read = |start: u64, n: u64| {
        reader
            .get_bytes(start, n as usize)
            .map_err(|e| ParquetError(format!("could not read the file: {}", clean(&e))))
    };
    if len < 4 || !is_parquet(&read(0, 4.min(len))?) {
        return err("not a Parquet file: it does not start with PAR1");
    }
    if len < 12 {
        return err(format!(
            "Parquet file cut short: {len} bytes, too few for a Parquet file"
        ));
    }
    let need = footer_len(&read(len - 8, 8)?, len)?;
    ParquetFile::open(&read(len - need, need)?, len)
}
