//! Appending one finished table to another: how tables decoded in parallel (one per
//! file, on separate threads) become the single table a query runs on, with rows in
//! file order and every row's source, error and count kept.

use super::{Counts, Table};
use crate::fields::{Field, EXTRAS};

impl Table {
    /// Appends `other`'s rows, files, bindings, errors and counts after this table's.
    ///
    /// The result is the table that decoding `other`'s inputs after this table's would
    /// have built: rows keep their order, lines and original text; files are renumbered;
    /// columns one side lacks hold nulls; dictionaries are merged. At most
    /// `max_kept_errors` bad lines stay in detail, as when decoding in one go.
    pub fn append(&mut self, mut other: Table) {
        // labels and health-check verdicts were computed for the old rows
        self.annotations = std::sync::OnceLock::new();
        let row_base = self.rows;
        let file_base = self.files.len() as u32;
        let dropped = self.take_extras(&mut other);

        for col in other.columns.iter().filter(|c| !dropped.contains(&c.field)) {
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

    /// Renames `other`'s extra text columns to the ones this table gives their header
    /// names (the same name shares a column, a different one never does). Returns the
    /// columns of `other` left out because this table has no extra column free for
    /// them; their bindings say so.
    fn take_extras(&mut self, other: &mut Table) -> Vec<Field> {
        let mut moved: Vec<(Field, Field)> = Vec::new();
        let mut dropped: Vec<Field> = Vec::new();
        for (k, name) in other.extra_names.iter().enumerate() {
            let from = EXTRAS[k];
            match self.extra_column(name) {
                Some(to) => moved.push((from, to)),
                None => dropped.push(from),
            }
        }
        let to = |f: Field| moved.iter().find(|m| m.0 == f).map_or(f, |m| m.1);
        for c in &mut other.columns {
            c.field = to(c.field);
        }
        for s in &mut other.segments {
            s.fields.retain(|f| !dropped.contains(f));
            s.fields.iter_mut().for_each(|f| *f = to(*f));
        }
        for b in other.files.iter_mut().flat_map(|f| f.bindings.iter_mut()) {
            for (col, name) in &b.extra_names {
                if dropped.contains(col) {
                    b.description.push_str(&format!(
                        "; unknown field '{name}' left out: the files have more unknown field names than the {} text columns a table keeps",
                        EXTRAS.len()
                    ));
                }
            }
            b.fields.retain(|f| !dropped.contains(f));
            b.fields.iter_mut().for_each(|f| *f = to(*f));
            b.extra_names.retain(|(col, _)| !dropped.contains(col));
            b.extra_names
                .iter_mut()
                .for_each(|(col, _)| *col = to(*col));
        }
        dropped
    }
}
