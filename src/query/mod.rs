//! The query engine: a filter language over the columnar table, sorting, top-N groups,
//! a time histogram, and translation of a filter to Athena SQL and CloudWatch Logs
//! Insights. Everything runs over column storage and row-id vectors (`Vec<u32>`), so the
//! page holds handles and small results, never per-row objects.
//!
//! # Filter language
//!
//! ```text
//! expr      := or
//! or        := and (("or" | "||") and)*
//! and       := unary (("and" | "&&") unary)*
//! unary     := ("not" | "!") unary | primary
//! primary   := "(" expr ")" | predicate | WORD | "QUOTED"
//! predicate := NAME ("=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">=") VALUE
//!            | NAME ["not"] "in" ( "(" VALUE ("," VALUE)* ")" | VALUE )
//!            | NAME ("~" | "!~") VALUE
//!            | NAME "has" FLAG
//!            | NAME "exists"
//! ```
//!
//! Precedence is `not` > `and` > `or`; keywords are case-insensitive. Logic is two-valued:
//! any test of a null value is false (`!=` included), and `not` simply negates, so
//! `not port = 22` keeps NODATA rows while `port != 22` does not.
//!
//! **Names**: AWS names (`log-status`), underscores (`log_status`), Logs Insights names
//! (`logStatus`, `srcAddr`, `interfaceId`), any case. Pseudo-fields:
//! - `addr` — srcaddr or dstaddr: positive tests (`=`, `in`, `~`, `exists`) hold when
//!   either side does; `addr != X` needs both sides to differ.
//! - `port` — srcport or dstport, likewise.
//! - `time` — the flow interval [start, end] against the value's span (a second, a
//!   minute, or a whole day for `2025-11-26`): `=`/`in` overlap, `!=` no overlap,
//!   `>= X` ends at or after X, `> X` ends after X's span, `<= X` starts at or before the
//!   end of X's span, `< X` starts before X.
//! - `duration` — `end − start` in seconds (values `300`, `30s`, `5m`, `1h`, `1d`).
//!
//! **Values**: integers; byte sizes for `bytes` (`1.5MB` = 1 500 000, `10KiB` = 10 240);
//! protocol names or numbers (`tcp`, `udp`, `icmp`, `ipv6-icmp`, `41`); TCP flag names
//! (`FIN SYN RST PSH ACK URG`, also `SYN-ACK`) for `tcp-flags`; action, log-status and the
//! other fixed AWS vocabularies (type, flow-direction, …) case-insensitively; times as
//! ISO-8601 (`2025-11-26T10:00:00Z`, `2025-11-26T10:00`, `2025-11-26`, with `Z` or an
//! offset; no zone means UTC) or unix seconds. A time value is a span, so `start =
//! 2025-11-26` is that day and `start > 2025-11-26` the days after. Times compare in
//! whole seconds (`@timestamp` in milliseconds). Addresses and CIDRs (IPv4 and IPv6);
//! ranges `a..b` (inclusive, either side may be left open: `1024..`). Quoted strings
//! (`'…'` or `"…"`, backslash escapes) for values with spaces or operator characters.
//!
//! **Operators by kind**: numbers and times take every comparison, `in` lists and
//! ranges, and `has` (all bits of the mask set); addresses take `=`, `!=` and `in` with
//! addresses or CIDRs; text takes `=`, `!=`, `in` (exact, case-sensitive except the
//! fixed vocabularies) and `~` (case-insensitive contains, also on addresses).
//!
//! A bare word or quoted string with no operator matches rows where any text field
//! (IDs, names, action, status, tags as written) or address contains it,
//! case-insensitively.

mod ast;
mod ddl;
mod eval;
mod group;
mod lexer;
mod parse;
mod sort;
mod translate;
mod values;

pub use ast::Net;
pub use ddl::{create_table, create_table_for, DdlColumn, Layout, Partitions, SqlType, Storage};
pub use group::{
    facet, histogram, top, Facet, Group, Histogram, Measure, UnknownMeasure, AUTO_BUCKETS,
    MAX_BUCKETS,
};
pub use sort::{parse_sort, parse_sort_with, sort_rows, SortField, SortKey};
pub use translate::{
    to_athena, to_athena_named, to_insights, to_insights_named, translate, translate_named, Target,
    INSIGHTS_LIMIT,
};
pub use values::{parse_duration, parse_net, parse_size, parse_time_ms};

use crate::table::Table;

/// Which text a [`QueryError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QueryErrorKind {
    /// The filter expression.
    Filter,
    /// The sort keys.
    Sort,
}

/// A filter or sort error: what is wrong, where (`start..end` in bytes, and the line
/// and column of `start`), and, where one is close, a suggestion. `Display` gives
/// "`message` at L:C", then " — `hint`".
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message} at {line}:{column}{}", hint_suffix(.hint))]
pub struct QueryError {
    /// Filter or sort.
    pub kind: QueryErrorKind,
    /// What is wrong, without the position.
    pub message: String,
    /// A suggestion ("did you mean 'dstport'?").
    pub hint: Option<String>,
    /// Byte offset where the offending text starts.
    pub start: usize,
    /// Byte offset where it ends.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column (in characters) of `start`.
    pub column: usize,
}

impl QueryError {
    /// An error about `text[start..end]`.
    pub(crate) fn at(
        kind: QueryErrorKind,
        text: &str,
        (start, end): (usize, usize),
        message: String,
        hint: Option<String>,
    ) -> QueryError {
        // A span that a parser computed inside a multi-byte character (seen by the sort
        // fuzz target on `;\u{85}:`) is widened to whole characters: it is sliced by
        // the page and by `line_col`.
        let floor = |mut i: usize| {
            i = i.min(text.len());
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            i
        };
        let start = floor(start);
        let mut end = end.min(text.len()).max(start);
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let (line, column) = parse::line_col(text, start);
        QueryError {
            kind,
            message,
            hint,
            start,
            end,
            line,
            column,
        }
    }

    /// The message and hint without the position (for a UI that marks the position).
    pub fn without_position(&self) -> String {
        match &self.hint {
            Some(h) => format!("{} — {h}", self.message),
            None => self.message.clone(),
        }
    }

    /// `start..end` as UTF-16 offsets into `text` (what JavaScript strings index by).
    pub fn utf16_span(&self, text: &str) -> (usize, usize) {
        let units = |at: usize| {
            let at = at.min(text.len());
            let at = (0..=at)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(0);
            text[..at].encode_utf16().count()
        };
        (units(self.start), units(self.end.max(self.start)))
    }
}

/// `" — hint"`, or nothing.
fn hint_suffix(hint: &Option<String>) -> String {
    hint.as_ref()
        .map_or_else(String::new, |h| format!(" — {h}"))
}

/// A compiled filter expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    expr: ast::Expr,
}

/// Times `[from, to)` in unix seconds of the [`time_field`]: the page's histogram
/// selection, given beside the filter text rather than spliced into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeWindow {
    /// The first second in the window.
    pub from: u64,
    /// The first second after it.
    pub to: u64,
}

/// The time the histogram buckets by and a [`TimeWindow`] selects on, for a table of
/// these fields: a flow's `start`, or where the table has none (a Logs Insights export
/// of some fields, such as `fields @timestamp, srcAddr, dstAddr`) the event's
/// `@timestamp`, which CloudWatch sets from the flow's `end`.
pub fn time_field(has: impl Fn(crate::fields::Field) -> bool) -> crate::fields::Field {
    use crate::fields::Field;
    if !has(Field::Start) && has(Field::EventTimestamp) {
        Field::EventTimestamp
    } else {
        Field::Start
    }
}

impl Filter {
    /// Parses filter text (see the module documentation). Empty or whitespace-only text
    /// matches every row.
    pub fn parse(text: &str) -> Result<Filter, QueryError> {
        Filter::parse_with(text, &[])
    }

    /// [`Filter::parse`] for a table whose extra text columns hold the header names
    /// `extras` ([`crate::Table::extra_names`]): those names are fields too.
    pub fn parse_with(text: &str, extras: &[String]) -> Result<Filter, QueryError> {
        Ok(Filter {
            expr: parse::parse_with(text, extras)?,
        })
    }

    /// The filter that matches every row.
    pub fn all() -> Filter {
        Filter {
            expr: ast::Expr::All,
        }
    }

    /// This filter and `field >= from and field < to`, `field` the table's
    /// [`time_field`] (`start`, or `@timestamp`, which holds milliseconds): the
    /// expression the text `(filter) and start >= FROM and start < TO` parses to, so that
    /// translations and the view are exactly those of the spliced text.
    pub fn within(self, window: TimeWindow, field: crate::fields::Field) -> Filter {
        use ast::{CmpOp, Expr, Leaf, NumSrc};
        let scale = match field.kind() {
            crate::fields::Kind::EventTime => 1000,
            _ => 1,
        };
        let start = |op, at: u64| {
            let at = at.saturating_mul(scale);
            Expr::Leaf(Leaf::Cmp {
                src: NumSrc::Field(field),
                op,
                lo: at,
                hi: at,
            })
        };
        let mut items = match self.expr {
            Expr::All => Vec::new(),
            e => vec![e],
        };
        items.push(start(CmpOp::Ge, window.from));
        items.push(start(CmpOp::Lt, window.to));
        Filter {
            expr: Expr::And(items),
        }
    }

    /// Whether the filter matches every row (empty text).
    pub fn is_all(&self) -> bool {
        self.expr == ast::Expr::All
    }

    /// Whether the filter tests labels or health checks (`healthcheck`, `srcaddr.label
    /// ~ …`): terms only a labelled table answers.
    pub fn uses_context(&self) -> bool {
        fn walk(e: &ast::Expr) -> bool {
            match e {
                ast::Expr::Leaf(ast::Leaf::Context(_)) => true,
                ast::Expr::Not(inner) => walk(inner),
                ast::Expr::And(items) | ast::Expr::Or(items) => items.iter().any(walk),
                _ => false,
            }
        }
        walk(&self.expr)
    }

    /// Whether one row passes (row at a time; use [`Filter::select`] for many rows).
    pub fn matches(&self, table: &Table, row: usize) -> bool {
        eval::matches(&self.expr, table, row)
    }

    /// The ids of the matching rows, in table order, computed column by column.
    pub fn select(&self, table: &Table) -> Vec<u32> {
        eval::select(&self.expr, table)
    }

    /// The catalogue fields the filter tests that `table` holds no column for, in
    /// order, without repeats. A test of an absent field is false on every row; the page
    /// and the CLI say so instead of quietly showing 0 rows.
    pub fn absent_fields(&self, table: &Table) -> Vec<crate::fields::Field> {
        let mut fields = Vec::new();
        let mut stack = vec![&self.expr];
        while let Some(e) = stack.pop() {
            match e {
                ast::Expr::All => {}
                ast::Expr::Not(inner) => stack.push(inner),
                ast::Expr::And(items) | ast::Expr::Or(items) => stack.extend(items.iter().rev()),
                ast::Expr::Leaf(leaf) => leaf.fields(&mut fields),
            }
        }
        let mut out = Vec::new();
        for f in fields {
            if table.column(f).is_none() && !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }

    pub(crate) fn expr(&self) -> &ast::Expr {
        &self.expr
    }
}

/// Renders an error under its source text with a caret line, for terminals:
/// ```text
/// dstprt = 22
/// ^^^^^^
/// ```
pub fn caret_lines(text: &str, e: &QueryError) -> String {
    let (line, col) = parse::line_col(text, e.start);
    let src = text.lines().nth(line - 1).unwrap_or("");
    let width = text.get(e.start..e.end.max(e.start)).map_or(1, |s| {
        s.split('\n').next().unwrap_or("").chars().count().max(1)
    });
    format!("{src}\n{}{}", " ".repeat(col - 1), "^".repeat(width))
}

#[cfg(test)]
mod tests;
