//! flowlens's second wasm module: the Parquet reader, loaded by the page only when a
//! Parquet file appears, so that the main module stays within its size budget.
//!
//! The two modules share no memory; what crosses is bytes. The page reads the file's
//! last bytes with `Blob.slice`, asks [`footer_length`] how many it needs, opens a
//! [`ParquetReader`] on them, then for each row group slices its byte range, hands it to
//! [`ParquetReader::begin_row_group`] and pulls batches with [`ParquetReader::next`].
//! Each batch (the format of `flowlens::rows`) goes to the main module's
//! `Decoder.pushRows`, which decodes its records with the same line decoder as text
//! input. All flow log knowledge stays in the `flowlens` core: this crate only adapts.

#[cfg(target_arch = "wasm32")]
mod wasm {
    use flowlens::parquet::{footer_len, ParquetFile, RowGroupRows, Window, TAIL_LEN};
    use flowlens::rows::BatchWriter;
    use std::sync::Arc;
    use wasm_bindgen::prelude::*;

    fn js_err(e: impl std::fmt::Display) -> JsError {
        JsError::new(&e.to_string())
    }

    /// How many bytes from the end of the file the footer needs, from the file's last
    /// 8 (or more) bytes. Throws with the reason when the file cannot be Parquet.
    #[wasm_bindgen(js_name = footerLength)]
    pub fn footer_length(tail: &[u8], file_len: f64) -> Result<f64, JsError> {
        Ok(footer_len(tail, file_len as u64).map_err(js_err)? as f64)
    }

    /// The bytes at the end of the file worth reading first (the footer is usually
    /// smaller: one read then suffices).
    #[wasm_bindgen(js_name = tailGuess)]
    pub fn tail_guess() -> f64 {
        (64 * 1024).max(TAIL_LEN) as f64
    }

    /// A row batch holding one error for the file as a whole (a read that failed, a
    /// file that is not Parquet after all) and the bytes it took.
    #[wasm_bindgen(js_name = fileError)]
    pub fn file_error(reason: &str, bytes: f64) -> Vec<u8> {
        let mut w = BatchWriter::default();
        w.error(0, reason, &[]);
        w.progress(bytes as u64);
        w.buf
    }

    /// One Parquet file: its footer, and the row group being read.
    #[wasm_bindgen]
    pub struct ParquetReader {
        file: ParquetFile,
        file_len: u64,
        rows: Option<RowGroupRows>,
        out: BatchWriter,
    }

    #[wasm_bindgen]
    impl ParquetReader {
        /// Reads the footer from the file's last bytes (at least `footerLength`).
        #[wasm_bindgen(constructor)]
        pub fn new(footer: &[u8], file_len: f64) -> Result<ParquetReader, JsError> {
            let file_len = file_len as u64;
            Ok(ParquetReader {
                file: ParquetFile::open(footer, file_len).map_err(js_err)?,
                file_len,
                rows: None,
                out: BatchWriter::default(),
            })
        }

        /// The batch that starts the file: its binding, and the bytes that are not in
        /// any row group's decoded columns (footer, magic, columns left out).
        pub fn binding(&self) -> Vec<u8> {
            let mut w = BatchWriter::default();
            self.file.binding(&mut w);
            let in_groups: u64 = (0..self.file.row_groups())
                .map(|i| {
                    let (s, e) = self.file.row_group_range(i);
                    e - s
                })
                .sum();
            w.progress(self.file_len.saturating_sub(in_groups));
            w.buf
        }

        #[wasm_bindgen(js_name = rowGroups)]
        pub fn row_groups(&self) -> usize {
            self.file.row_groups()
        }

        /// Rows in the whole file.
        pub fn rows(&self) -> f64 {
            self.file.rows() as f64
        }

        /// `[start, end)` of row group `i`'s bytes: what to slice from the file.
        #[wasm_bindgen(js_name = rowGroupRange)]
        pub fn row_group_range(&self, i: usize) -> Vec<f64> {
            let (s, e) = self.file.row_group_range(i);
            vec![s as f64, e as f64]
        }

        #[wasm_bindgen(js_name = rowGroupRows)]
        pub fn row_group_rows(&self, i: usize) -> f64 {
            self.file.row_group_rows(i) as f64
        }

        /// Starts row group `i` from its bytes (`rowGroupRange(i)` of the file). Returns a
        /// batch: empty, or one error naming the rows lost if it cannot be read.
        #[wasm_bindgen(js_name = beginRowGroup)]
        pub fn begin_row_group(&mut self, i: usize, bytes: Vec<u8>) -> Vec<u8> {
            let (start, end) = self.file.row_group_range(i);
            let mut w = BatchWriter::default();
            let window = Window {
                start,
                data: bytes.into(),
                file_len: self.file_len,
            };
            self.rows = None;
            match self.file.row_group(i, Arc::new(window)) {
                Ok(r) => self.rows = Some(r),
                Err(e) => w.error(self.file.first_row(i), &e.0, &[]),
            }
            w.progress(end - start);
            w.buf
        }

        /// The next batch of at most `max_rows` rows of the current row group; an empty
        /// array when it is done.
        pub fn next(&mut self, max_rows: usize) -> Vec<u8> {
            self.out.buf.clear();
            if let Some(r) = &mut self.rows {
                if !r.next_batch(max_rows, &mut self.out) {
                    self.rows = None;
                }
            }
            std::mem::take(&mut self.out.buf)
        }
    }
}
