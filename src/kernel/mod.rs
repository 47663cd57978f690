//! The decode kernel: one pass over a record line that finds each value's end in the
//! structural index ([`index`]), types it with a branch-light parser ([`parse`]) and
//! appends it to its column at once.
//!
//! A binding is compiled into a [`Plan`] when it is made: one typed step per field with
//! its column resolved. The default format (the bulk of real logs) runs as a straight
//! sequence of those steps written out for its fourteen fields, with no decision about
//! a field's kind left for run time; any other binding walks its step list, one
//! predictable `match` per field. Anything unusual (a bad value, a wrong field count, a
//! tab or doubled space, a millisecond time, a long number) makes the kernel give up;
//! the half-appended row is rolled back and the reference parser in [`crate::record`]
//! decodes the line, so its result and its error text are the reference's exactly.

mod index;
pub(crate) mod parse;

use crate::container::Message;
use crate::fields::{Field, Kind, DEFAULT_FORMAT};
use crate::line_error::LineError;
use crate::record::{check_event, MAX_TEXT, TIME_MAX, TIME_MIN};
use crate::record::{decode_into, ipv6_is_canonical, parse_ipv6, Scratch, Slot};
use crate::table::column::{ACCEPT, REJECT, STATUS_NODATA, STATUS_OK, STATUS_SKIPDATA};
use crate::table::{Column, Table};
use index::Separators;

/// A binding compiled for the kernel: the fields' slots (for the reference path), the
/// [`Kind`] each value is typed as with its column, and the binding's name for the
/// field-count error.
#[derive(Debug, Clone)]
pub struct Plan {
    slots: Vec<Slot>,
    steps: Vec<(Kind, usize)>,
    /// Names the binding in field-count errors: "the header at line 1".
    what: String,
    /// The default format, in order: decoded by [`default_format`].
    default: bool,
    /// A field the kernel does not take (a CloudWatch event time in a record): every
    /// line goes to the reference path.
    reference_only: bool,
}

impl Plan {
    /// The plan of `slots`, named `what` in field-count errors ("the format").
    pub fn new(slots: Vec<Slot>, what: String) -> Plan {
        let steps: Vec<(Kind, usize)> = slots.iter().map(|s| (s.kind, s.column)).collect();
        let fields: Vec<Field> = slots.iter().map(|s| s.field).collect();
        Plan {
            default: fields == DEFAULT_FORMAT && steps.iter().map(|s| s.0).eq(DEFAULT_STEPS),
            reference_only: steps.iter().any(|s| s.0 == Kind::EventTime),
            slots,
            steps,
            what,
        }
    }

    /// A plan that decodes every line with the reference parser (for tests and fuzzing
    /// that compare the two).
    pub fn reference(slots: Vec<Slot>, what: String) -> Plan {
        Plan {
            reference_only: true,
            ..Plan::new(slots, what)
        }
    }

    /// Whether lines of this plan run the specialised default-format kernel.
    pub fn is_default_format(&self) -> bool {
        self.default && !self.reference_only
    }

    /// The fields' slots, in position order.
    pub fn slots(&self) -> &[Slot] {
        &self.slots
    }

    /// What the binding is called in field-count errors ("the header at line 1").
    pub fn what(&self) -> &str {
        &self.what
    }
}

/// The kinds of [`DEFAULT_FORMAT`], as [`default_format`] runs them: constants, so that
/// each of its steps is specialised (a test checks they are the catalogue's kinds).
const DEFAULT_STEPS: [Kind; 14] = [
    Kind::UInt { max: 255 },
    Kind::Text,
    Kind::Text,
    Kind::Addr,
    Kind::Addr,
    Kind::UInt { max: 65535 },
    Kind::UInt { max: 65535 },
    Kind::UInt { max: 255 },
    Kind::UInt { max: u64::MAX },
    Kind::UInt { max: u64::MAX },
    Kind::Time,
    Kind::Time,
    Kind::Action,
    Kind::LogStatus,
];

/// Decodes the record `m` into a new row of `table`: the kernel, or for what it does not
/// take the reference parser ([`decode_into`]), whose error is the result.
#[inline]
pub fn decode_line(
    table: &mut Table,
    plan: &Plan,
    m: Message<'_>,
    scratch: &mut Scratch,
) -> Result<(), LineError> {
    if m.timestamp_ms.is_some() || m.stream.is_some() {
        check_event(m.timestamp_ms, m.stream)?;
    }
    let rows = table.len();
    let done = if plan.reference_only {
        None
    } else if plan.default {
        default_format(table.columns_mut(), &plan.steps, m.text)
    } else {
        any_binding(table.columns_mut(), &plan.steps, m.text)
    };
    match done {
        Some(canonical) => {
            let original = (!canonical).then_some(m.text);
            table.commit_row(m.line, original, m.timestamp_ms, m.stream);
            Ok(())
        }
        None => {
            rollback(table, plan, rows);
            decode_into(table, &plan.slots, &plan.what, m, scratch)
        }
    }
}

/// Drops what the kernel appended of a row it gave up on.
#[cold]
#[inline(never)]
fn rollback(table: &mut Table, plan: &Plan, rows: usize) {
    for s in &plan.slots {
        table.column_mut(s.column).truncate(rows);
    }
}

/// The values of a line, one at a time.
struct Walk<'a> {
    line: &'a [u8],
    seps: Separators<'a>,
    /// Start of the next value.
    start: usize,
    /// No leading zeros or non-canonical IPv6 seen: the line renders back as it was.
    canonical: bool,
}

impl<'a> Walk<'a> {
    #[inline(always)]
    fn new(line: &'a [u8]) -> Option<Walk<'a>> {
        Some(Walk {
            line,
            seps: Separators::new(line)?,
            start: 0,
            canonical: true,
        })
    }

    /// The bounds of the next value; None at the line's end or at an empty value
    /// (a doubled, leading or trailing separator).
    #[inline(always)]
    fn next(&mut self) -> Option<(usize, usize)> {
        let start = self.start;
        let end = self.seps.next_end()?;
        if end <= start {
            return None;
        }
        self.start = end + 1;
        Some((start, end))
    }

    /// Whether the values read were all of the line.
    #[inline(always)]
    fn at_end(&self) -> bool {
        self.start == self.line.len() + 1
    }

    /// Decodes the next value as a value of `kind` into `col`.
    #[inline(always)]
    fn step(&mut self, kind: Kind, col: &mut Column) -> Option<()> {
        let (s, e) = self.next()?;
        let line = self.line;
        if e - s == 1 && line[s] == b'-' {
            col.push_null();
            return Some(());
        }
        match kind {
            Kind::UInt { max } => {
                let v = parse::uint(line, s, e)?;
                if v > max {
                    return None;
                }
                self.canonical &= e - s == 1 || line[s] != b'0';
                col.push_uint(v);
            }
            Kind::Time => {
                if e - s > 12 {
                    return None; // milliseconds: the reference path
                }
                let v = parse::uint(line, s, e)?;
                if !(TIME_MIN..=TIME_MAX).contains(&v) {
                    return None;
                }
                self.canonical &= line[s] != b'0';
                col.push_time(v, 0);
            }
            Kind::Addr => match parse::ipv4(line, s, e) {
                Some(a) => col.push_v4(a),
                None => {
                    let tok = &line[s..e];
                    match parse::ipv6_canonical(tok) {
                        Some(a) => col.push_v6(a),
                        None => {
                            let a = parse_ipv6(tok)?;
                            self.canonical &= ipv6_is_canonical(a, tok);
                            col.push_v6(a);
                        }
                    }
                }
            },
            Kind::Action => {
                let w = parse::load8(line, s) & 0xffff_ffff_ffff;
                let code = match (e - s, w) {
                    (6, ACCEPT_W) => ACCEPT,
                    (6, REJECT_W) => REJECT,
                    _ => return None,
                };
                col.push_code(code);
            }
            Kind::LogStatus => {
                let w = parse::load8(line, s);
                let code = match (e - s, w) {
                    (2, w) if w & 0xffff == OK_W => STATUS_OK,
                    (6, w) if w & 0xffff_ffff_ffff == NODATA_W => STATUS_NODATA,
                    (8, SKIPDATA_W) => STATUS_SKIPDATA,
                    _ => return None,
                };
                col.push_code(code);
            }
            // a CloudWatch event time in a record: the reference path
            Kind::EventTime => return None,
            // text and tags (one arm, so that the two cost one test)
            _ => {
                let tok = &line[s..e];
                if tok.len() > MAX_TEXT {
                    return None;
                }
                // non-ASCII or control bytes: the reference path judges
                let h = parse::printable_hash_at(line, s, e)?;
                col.push_text_hashed(tok, h);
            }
        }
        Some(())
    }
}

/// The little-endian words of the fixed vocabularies.
const ACCEPT_W: u64 = word(b"ACCEPT");
const REJECT_W: u64 = word(b"REJECT");
const OK_W: u64 = word(b"OK");
const NODATA_W: u64 = word(b"NODATA");
const SKIPDATA_W: u64 = word(b"SKIPDATA");

const fn word(s: &[u8]) -> u64 {
    let mut w = 0u64;
    let mut i = 0;
    while i < s.len() {
        w |= (s[i] as u64) << (8 * i);
        i += 1;
    }
    w
}

/// Any binding: its steps in a loop. Some(canonical) when the whole row was appended.
#[inline(never)]
fn any_binding(cols: &mut [Column], steps: &[(Kind, usize)], line: &[u8]) -> Option<bool> {
    let mut w = Walk::new(line)?;
    for &(kind, col) in steps {
        w.step(kind, &mut cols[col])?;
    }
    w.at_end().then_some(w.canonical)
}

/// The default format: its fourteen steps written out, each with its kind fixed here,
/// so the compiler specialises every one (only the columns come from the plan).
#[inline(never)]
fn default_format(cols: &mut [Column], steps: &[(Kind, usize)], line: &[u8]) -> Option<bool> {
    let [a, b, c, d, e, f, g, h, i, j, k, l, m, n] = steps else {
        return None;
    };
    let mut w = Walk::new(line)?;
    w.step(DEFAULT_STEPS[0], cols.get_mut(a.1)?)?;
    w.step(DEFAULT_STEPS[1], cols.get_mut(b.1)?)?;
    w.step(DEFAULT_STEPS[2], cols.get_mut(c.1)?)?;
    w.step(DEFAULT_STEPS[3], cols.get_mut(d.1)?)?;
    w.step(DEFAULT_STEPS[4], cols.get_mut(e.1)?)?;
    w.step(DEFAULT_STEPS[5], cols.get_mut(f.1)?)?;
    w.step(DEFAULT_STEPS[6], cols.get_mut(g.1)?)?;
    w.step(DEFAULT_STEPS[7], cols.get_mut(h.1)?)?;
    w.step(DEFAULT_STEPS[8], cols.get_mut(i.1)?)?;
    w.step(DEFAULT_STEPS[9], cols.get_mut(j.1)?)?;
    w.step(DEFAULT_STEPS[10], cols.get_mut(k.1)?)?;
    w.step(DEFAULT_STEPS[11], cols.get_mut(l.1)?)?;
    w.step(DEFAULT_STEPS[12], cols.get_mut(m.1)?)?;
    w.step(DEFAULT_STEPS[13], cols.get_mut(n.1)?)?;
    w.at_end().then_some(w.canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slots(fields: &[Field]) -> Vec<Slot> {
        fields
            .iter()
            .enumerate()
            .map(|(column, f)| Slot {
                field: *f,
                kind: f.kind(),
                column,
            })
            .collect()
    }

    #[test]
    fn the_default_format_gets_its_specialised_kernel() {
        let plan = |fields: &[Field]| Plan::new(slots(fields), "the format".into());
        assert!(plan(DEFAULT_FORMAT).is_default_format());
        let kinds: Vec<Kind> = DEFAULT_FORMAT.iter().map(|f| f.kind()).collect();
        assert_eq!(kinds, DEFAULT_STEPS, "the default format's kinds");
        assert!(!Plan::reference(slots(DEFAULT_FORMAT), "r".into()).is_default_format());
        let mut reordered = DEFAULT_FORMAT.to_vec();
        reordered.swap(5, 6);
        assert!(!plan(&reordered).is_default_format());
        assert!(!plan(&DEFAULT_FORMAT[..13]).is_default_format());
    }
}
