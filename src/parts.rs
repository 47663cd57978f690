//! One large plain-text file decoded in parts at once (the CLI's `--jobs` on a single
//! file; the page does the same with its decode workers in `www/split-decode.js`): the
//! first part fixes the binding, the others decode on threads assuming it, and each is
//! checked against the part before it and decoded again where the assumption was wrong
//! (see [`crate::carry`]). The table is the one a decode of the whole file builds.

use crate::carry::{Carry, PartEnd, PartStart, Waiting};
use crate::decoder::{DecodeOptions, Decoder};
use crate::table::Table;
use std::io;
use std::ops::Range;

/// Feeds the bytes `range` of the file to the decoder ([`Decoder::push`]).
pub type Feed<'a> = dyn Fn(Range<u64>, &mut Decoder) -> io::Result<()> + Sync + 'a;

/// What happened to the parts (for tests and `--verbose`-style reporting).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PartsReport {
    /// Parts the file was cut into.
    pub parts: usize,
    /// Parts decoded a second time because the carry they assumed was wrong or they
    /// met a header.
    pub redone: usize,
    /// The first part (or a later one) ended in a state no carry holds, so the file
    /// (or its rest) was decoded in one go.
    pub in_one_go: bool,
}

/// Cut points for `parts` parts of a file of `len` bytes: the first part about
/// `first` bytes, the rest equal, each cut moved to just after the next `\n` (found
/// with `newline_after(pos)`: the position after the first `\n` at or after `pos`, or
/// `None` at the end). Fewer cuts when lines are longer than parts.
pub fn line_cuts(
    len: u64,
    first: u64,
    parts: usize,
    mut newline_after: impl FnMut(u64) -> io::Result<Option<u64>>,
) -> io::Result<Vec<u64>> {
    let mut cuts = Vec::new();
    if parts < 2 || first >= len {
        return Ok(cuts);
    }
    let step = (len - first) / (parts as u64 - 1);
    let mut last = 0;
    for k in 0..parts as u64 - 1 {
        let nominal = (first + step * k).max(1);
        if nominal <= last {
            continue; // inside the part before (its last line is long)
        }
        match newline_after(nominal - 1)? {
            Some(cut) if cut < len => {
                if cut > last {
                    cuts.push(cut);
                    last = cut;
                }
            }
            _ => break,
        }
    }
    Ok(cuts)
}

/// The join of a file's parts, in order: which state each part must start from, whether
/// a part decoded ahead (from the first part's carry, at line 1, with no line waiting)
/// is right where it falls, and the line offset its table is appended with.
#[derive(Debug, Clone)]
pub struct Splice {
    name: String,
    /// What the parts decoded ahead start from.
    assumed: PartStart,
    /// The true state where the next part starts.
    carry: Carry,
    carry_bytes: Vec<u8>,
    waiting: Waiting,
    line: u64,
}

/// What to do with a part's table ([`Splice::take`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Take {
    /// Append it with [`Table::append_continuation`] and this line offset.
    Append(u64),
    /// Drop it: it ended in a state no carry holds, so the rest of the file, from its
    /// start, is decoded as one last part from this start.
    RestFrom(PartStart),
}

impl Splice {
    /// After the file's first part; `None` when its end cannot be carried (the file is
    /// then decoded in one go).
    pub fn begin(name: &str, first: &PartEnd) -> Option<Splice> {
        let carry = first.carry.clone()?;
        Some(Splice {
            name: name.to_string(),
            assumed: PartStart {
                carry: carry.clone(),
                waiting: Waiting::default(),
                first_line: 1,
            },
            carry_bytes: carry.to_bytes(),
            carry,
            waiting: first.waiting.clone(),
            line: first.first_line + first.lines,
        })
    }

    /// Where the parts decoded ahead start.
    pub fn assumed(&self) -> &PartStart {
        &self.assumed
    }

    /// The true start of the next part (to decode it again, or the rest in one go).
    pub fn start(&self) -> PartStart {
        PartStart {
            carry: self.carry.clone(),
            waiting: self.waiting.clone(),
            first_line: self.line,
        }
    }

    /// Whether the next part, decoded as `part` says, is what a decode of the whole file
    /// makes of its lines: it started from the true carry; from its true first line if
    /// it met a header; and from the true waiting lines, or from none when they could
    /// not have changed what became of its lines: it decided nothing, and the lines of
    /// a field count that waited before it would have kept waiting with its own (fewer
    /// than an inference's sample of each count, and not more in all than the decoder
    /// holds back).
    pub fn holds(&self, part: &PartEnd) -> bool {
        if part.started != self.carry_bytes || (part.met_header && part.first_line != self.line) {
            return false;
        }
        if part.started_waiting == self.waiting {
            return part.started_waiting.is_empty() || part.first_line == self.line;
        }
        let waited = |w: &Waiting, n: &usize| w.by_count.get(n).map_or(0, Vec::len);
        part.started_waiting.is_empty()
            && !part.decided
            && !part.stopped
            && part.carry.is_some()
            && part.unbound_counts.iter().all(|n| {
                let (before, mine) = (waited(&self.waiting, n), waited(&part.waiting, n));
                // its first line of the count waited too (no documented layout bound it)
                before == 0 || (mine > 0 && before + mine < crate::decoder::INFERENCE_SAMPLE)
            })
            && self.waiting.len() + part.waiting.len() <= crate::decoder::MAX_PENDING
    }

    /// Takes the next part, one that [`Splice::holds`]: its end becomes the next part's
    /// start. `last`: no part follows it.
    pub fn take(&mut self, part: PartEnd, last: bool) -> Take {
        let Some(carry) = part
            .carry
            .clone()
            .or_else(|| last.then(|| self.carry.clone()))
        else {
            return Take::RestFrom(self.start());
        };
        let offset = self.line - part.first_line;
        let mut waiting = part.waiting.shifted(offset);
        if part.started_waiting.is_empty() && !self.waiting.is_empty() {
            // decoded ahead with none waiting: the earlier lines still wait
            for (n, mut lines) in std::mem::take(&mut self.waiting.by_count) {
                let mine = waiting.by_count.entry(n).or_default();
                lines.append(mine);
                *mine = lines;
            }
        }
        self.waiting = waiting;
        self.line += part.lines;
        self.carry_bytes = carry.to_bytes();
        self.carry = carry;
        Take::Append(offset)
    }

    /// The table of the lines still waiting after the last part, decided as at the end
    /// of a whole file (append it with offset 0); `None` when none wait.
    pub fn flush(&self, options: &DecodeOptions) -> Option<Table> {
        if self.waiting.is_empty() {
            return None;
        }
        let mut d = Decoder::new(options.clone());
        d.continue_file(&self.name, &self.start());
        d.end_file();
        Some(d.finish())
    }
}

/// Decodes the file of `len` bytes cut at `cuts` (sorted; each just after a `\n`) on
/// up to `jobs` threads, `feed` reading each part. The table equals a decode of the
/// whole file with `options`.
pub fn decode_in_parts(
    name: &str,
    len: u64,
    cuts: &[u64],
    options: &DecodeOptions,
    jobs: usize,
    feed: &Feed<'_>,
) -> io::Result<(Table, PartsReport)> {
    let mut ranges = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for &c in cuts.iter().chain(std::iter::once(&len)) {
        ranges.push(start..c);
        start = c;
    }
    let mut report = PartsReport {
        parts: ranges.len(),
        ..PartsReport::default()
    };
    let part =
        |range: Range<u64>, from: Option<&PartStart>| decode_part(name, range, options, from, feed);
    let whole = || {
        let mut d = Decoder::new(options.clone());
        d.begin_file(name);
        feed(0..len, &mut d)?;
        io::Result::Ok(d.finish())
    };
    if ranges.len() == 1 {
        return Ok((whole()?, report));
    }
    let (mut table, first_end) = part(ranges[0].clone(), None)?;
    let Some(mut splice) = Splice::begin(name, &first_end) else {
        report.in_one_go = true;
        return Ok((whole()?, report));
    };
    let assumed = splice.assumed().clone();
    let guesses = in_parallel(&ranges[1..], jobs, |r| part(r.clone(), Some(&assumed)));
    for (k, guess) in guesses.into_iter().enumerate() {
        let range = ranges[k + 1].clone();
        let last = k + 2 == ranges.len();
        let (mut t, mut end) = guess?;
        if !splice.holds(&end) {
            report.redone += 1;
            (t, end) = part(range.clone(), Some(&splice.start()))?;
        }
        match splice.take(end, last) {
            Take::Append(offset) => append(&mut table, t, offset),
            Take::RestFrom(from) => {
                report.in_one_go = true;
                let (t, end) = part(range.start..len, Some(&from))?;
                let Take::Append(offset) = splice.take(end, true) else {
                    unreachable!("the last part always appends")
                };
                append(&mut table, t, offset);
                break;
            }
        }
    }
    if let Some(t) = splice.flush(options) {
        append(&mut table, t, 0);
    }
    table.finish_building();
    Ok((table, report))
}

fn append(table: &mut Table, part: Table, line_offset: u64) {
    table
        .append_continuation(part, line_offset)
        .expect("a part's table is one file, after the first part's");
}

/// One part: from the file's start, or from `from`.
fn decode_part(
    name: &str,
    range: Range<u64>,
    options: &DecodeOptions,
    from: Option<&PartStart>,
    feed: &Feed<'_>,
) -> io::Result<(Table, PartEnd)> {
    let mut d = Decoder::new(options.clone());
    match from {
        None => d.begin_file(name),
        Some(start) => d.continue_file(name, start),
    }
    feed(range, &mut d)?;
    let end = d.end_part();
    Ok((d.finish(), end))
}

/// `f` of every item, on up to `jobs` threads (in order of the items).
#[cfg(not(target_arch = "wasm32"))]
fn in_parallel<T: Sync, R: Send>(items: &[T], jobs: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let next = AtomicUsize::new(0);
    let out: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let r = f(item);
                *out[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            });
        }
    });
    out.into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every part was decoded")
        })
        .collect()
}

#[cfg(target_arch = "wasm32")]
fn in_parallel<T: Sync, R: Send>(items: &[T], _jobs: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    items.iter().map(f).collect()
}
