//! Appending one finished table to another: how tables decoded in parallel (one per
//! file, on separate threads) become the single table a query runs on, with rows in
//! file order and every row's source, error and count kept.

use super::{Counts, Table};

impl Table {
    /// Appends `other`'s rows, files, bindings, errors and counts after this table's.
    ///
    /// The result is the table that decoding `other`'s inputs after this table's would
    /// have built: rows keep their order, lines and original text; files are renumbered;
    /// columns one side lacks hold nulls; dictionaries are merged. At most
    /// `max_kept_errors` bad lines stay in detail, as when decoding in one go.
    pub fn append(&mut self, other: Table) {
        // labels and health-check verdicts were computed for the old rows
        self.annotations = std::sync::OnceLock::new();
        let row_base = self.rows;
        let file_base = self.files.len() as u32;

        for col in &other.columns {
            let i = self.ensure_column(col.field);
            self.columns[i].append(col);
        }
        let rows = row_base + other.rows;
        for c in &mut self.columns {
            c.fill_nulls_to(rows);
        }

        self.segments
            .extend(other.segments.into_iter().map(|mut s| {
                s.first_row += row_base;
                s.file += file_base;
                s
            }));
        self.line_marks.extend(
            other
                .line_marks
                .iter()
                .map(|&(r, line)| (r + row_base as u32, line)),
        );
        if other.rows > 0 {
            self.last_line = other.last_line;
        }
        self.raw_lines.extend(
            other
                .raw_lines
                .into_iter()
                .map(|(r, raw)| (r + row_base as u32, raw)),
        );
        let room = self.max_kept_errors.saturating_sub(self.errors.len());
        self.errors
            .extend(other.errors.into_iter().take(room).map(|mut e| {
                e.file += file_base;
                e
            }));
        self.files.extend(other.files.into_iter().map(|mut f| {
            f.first_row += row_base;
            f.end_row += row_base;
            f
        }));
        // Destructured so that a new count cannot be forgotten here.
        let Counts {
            records,
            errors,
            skipped_blank,
            skipped_header,
            skipped_control,
            skipped_other,
            not_records,
        } = other.counts;
        let a = &mut self.counts;
        a.records += records;
        a.errors += errors;
        a.skipped_blank += skipped_blank;
        a.skipped_header += skipped_header;
        a.skipped_control += skipped_control;
        a.skipped_other += skipped_other;
        for (reason, n) in not_records {
            *a.not_records.entry(reason).or_default() += n;
        }
        self.rows = rows;
        self.unbound.clear();
        self.finish_building();
    }
}
