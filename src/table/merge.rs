//! Appending one finished table to another: how tables decoded in parallel (one per
//! file, or one per part of a large file, on separate threads or workers) become the
//! single table a query runs on, with rows in file order and every row's source, error
//! and count kept.

use super::{Counts, FileInfo, Table};
use crate::fields::{Field, EXTRAS};

/// Why a table cannot be joined as the continuation of another.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContinuationError {
    /// There is no file to continue.
    #[error("there is no file to continue: the first part of a file is appended, not continued")]
    NoFile,
    /// A continuation is one part of one file.
    #[error("a continuation must hold one part of one file, not {0} files")]
    NotOneFile(usize),
}

/// Where an appended table's rows go.
#[derive(Clone, Copy)]
enum Join {
    /// Its files follow this table's.
    Files,
    /// Its one file is the next part of this table's last file, its lines numbered
    /// from 1 where the earlier parts' lines end: this is added to them.
    Continuation { line_offset: u64 },
}

impl Table {
    /// Appends `other`'s rows, files, bindings, errors and counts after this table's.
    ///
    /// The result is the table that decoding `other`'s inputs after this table's would
    /// have built: rows keep their order, lines and original text; files are renumbered;
    /// columns one side lacks hold nulls; dictionaries are merged. At most
    /// `max_kept_errors` bad lines stay in detail, as when decoding in one go.
    ///
    /// The columns keep the room they grew (amortized, so a folder of many tables is
    /// not copied once per table): call [`Table::finish_building`] after the last.
    pub fn append(&mut self, other: Table) {
        self.join(other, Join::Files);
    }

    /// The tables appended in order ([`Table::append`]) and finished, the columns the
    /// first has reserved once for all the rows, not grown table by table.
    pub fn concat(tables: Vec<Table>) -> Table {
        let mut tables = tables.into_iter();
        let Some(mut joined) = tables.next() else {
            return Table::default();
        };
        let rest: Vec<Table> = tables.collect();
        joined.reserve_rows(rest.iter().map(Table::len).sum(), usize::MAX);
        for t in rest {
            joined.append(t);
        }
        joined.finish_building();
        joined
    }

    /// Appends `other`, the table of the next part of this table's last file (decoded
    /// with [`crate::Decoder::continue_file`] from the carry the part before ended in),
    /// as the rest of that file: its rows, errors and counts join that file's entry, its
    /// lines and errors' lines are moved down by `line_offset` (the lines before it,
    /// when it was decoded from line 1; 0 when from its true first line), and the
    /// binding it continued is not listed again. With parts cut after a `\n` and each
    /// decoded from the right carry, the result is the table one decode of the whole
    /// file builds.
    pub fn append_continuation(
        &mut self,
        other: Table,
        line_offset: u64,
    ) -> Result<(), ContinuationError> {
        if self.files.is_empty() {
            return Err(ContinuationError::NoFile);
        }
        if other.files.len() != 1 {
            return Err(ContinuationError::NotOneFile(other.files.len()));
        }
        self.join(other, Join::Continuation { line_offset });
        Ok(())
    }

    fn join(&mut self, mut other: Table, how: Join) {
        // labels and health-check verdicts were computed for the old rows
        self.annotations = std::sync::OnceLock::new();
        let row_base = self.rows;
        let (file_base, line_offset) = match how {
            Join::Files => (self.files.len() as u32, 0),
            Join::Continuation { line_offset } => (self.files.len() as u32 - 1, line_offset),
        };
        let dropped = self.take_extras(&mut other);

        for col in other.columns.iter().filter(|c| !dropped.contains(&c.field)) {
            let i = self.ensure_column(col.field);
            self.columns[i].append(col);
        }
        let rows = row_base + other.rows;
        for c in &mut self.columns {
            c.fill_nulls_to(rows);
        }

        let mut segments = other.segments.into_iter().map(|mut s| {
            s.first_row += row_base;
            s.file += file_base;
            s
        });
        if let Join::Continuation { .. } = how {
            // the carried binding's run goes on: not a new run of rows
            let continued = |s: &super::Segment| {
                self.segments
                    .last()
                    .is_some_and(|l| l.file == s.file && l.fields == s.fields)
            };
            let mut segments = segments.by_ref().peekable();
            if segments
                .peek()
                .is_some_and(|s| s.first_row == row_base && continued(s))
            {
                segments.next();
            }
            let rest: Vec<_> = segments.collect();
            self.segments.extend(rest);
        } else {
            self.segments.extend(segments);
        }
        let mut marks = other
            .line_marks
            .iter()
            .map(|&(r, line)| (r + row_base as u32, line + line_offset))
            .peekable();
        // a mark only where a row's line is not the previous row's line + 1
        if row_base > 0
            && marks
                .peek()
                .is_some_and(|&(r, line)| r as usize == row_base && line == self.last_line + 1)
        {
            marks.next();
        }
        self.line_marks.extend(marks);
        if other.rows > 0 {
            self.last_line = other.last_line + line_offset;
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
                e.line += line_offset;
                e
            }));
        if let Join::Continuation { .. } = how {
            // lines that waited for their field count's binding are decided late: the
            // file's errors back in line order, as a decode of the whole file leaves them
            let from = self
                .errors
                .iter()
                .rposition(|e| e.file != file_base)
                .map_or(0, |i| i + 1);
            if !self.errors[from..].is_sorted_by_key(|e| e.line) {
                let mut tail = self.errors.split_off(from);
                crate::sorting::sort_by_key(&mut tail, |e| e.line);
                self.errors.append(&mut tail);
            }
        }
        let mut files = other.files.into_iter().map(|mut f| {
            f.first_row += row_base;
            f.end_row += row_base;
            f
        });
        if let Join::Continuation { .. } = how {
            if let (Some(last), Some(part)) = (self.files.last_mut(), files.next()) {
                continue_file(last, part);
            }
        }
        self.files.extend(files);
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
        // not shrunk to fit: more tables or parts may follow, and shrinking now would
        // copy every column again at the next ([`Table::finish_building`] comes after
        // the last)
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

/// Adds the summary of a file's next part to the file's: counts summed, its own
/// bindings after the file's, its end and whether it was stopped early.
fn continue_file(file: &mut FileInfo, part: FileInfo) {
    // Destructured so that a new summary field cannot be forgotten here.
    let FileInfo {
        name: _,
        shape: _,
        gzip: _,
        bytes,
        records,
        errors,
        skipped,
        not_records,
        not_record_reasons,
        first_row: _,
        end_row,
        bindings,
        stopped_early,
    } = part;
    file.bytes += bytes;
    file.records += records;
    file.errors += errors;
    file.skipped += skipped;
    file.not_records += not_records;
    let mut reasons: std::collections::BTreeMap<&'static str, u64> =
        file.not_record_reasons.drain(..).collect();
    for (reason, n) in not_record_reasons {
        *reasons.entry(reason).or_default() += n;
    }
    file.not_record_reasons = reasons.into_iter().collect();
    file.end_row = end_row;
    file.bindings.extend(bindings);
    file.stopped_early = stopped_early;
}
