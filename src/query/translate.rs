//! Translation of a filter and sort to the query languages of the places flow logs live:
//! Athena SQL over the table AWS's Athena documentation creates for VPC flow logs
//! (columns of versions 2–5, underscore names, `-` kept as text in string columns and
//! NULL in integer ones), and CloudWatch Logs Insights (discovered field names for the
//! default format, a `parse @message` clause for custom formats).
//!
//! Both keep the engine's two-valued logic: a test of a missing value is false, `not`
//! negates (Athena leaves under `not` are wrapped in `coalesce(…, false)`). What cannot
//! be expressed is an error naming the field or construct, never an approximation.

use super::ast::{CmpOp, Expr, Leaf, Net, NumSrc};
use super::{Filter, SortField, SortKey};
use crate::fields::{Field, ALL_V5, DEFAULT_FORMAT, EXTRAS};

// ------------------------------------------------------------------------ Athena

/// The largest integer literal Trino's parser accepts (BIGINT); larger ones are an error
/// ("Invalid numeric literal"), and no BIGINT column holds a larger value anyway.
const BIGINT_MAX: u64 = i64::MAX as u64;

/// Whether a field can be a column of an Athena table over flow log files: every record
/// field can; the CloudWatch event fields (`@timestamp`, `@logStream`) are not in the files.
pub(crate) fn is_athena_field(f: Field) -> bool {
    !matches!(f, Field::EventTimestamp | Field::LogStream)
}

/// The SQL column name of a field: the AWS name with underscores, `"end"` quoted (a
/// reserved word in Trino).
pub(crate) fn athena_name(f: Field) -> String {
    match f {
        Field::End => "\"end\"".to_string(),
        _ => f.name().replace('-', "_"),
    }
}

/// The header name an extra column holds (`extras[k]` is the name of `EXTRAS[k]`, as
/// [`crate::Table::extra_names`]), or an error naming the column when there is none.
fn extra_name(f: Field, extras: &[String]) -> Option<Result<&str, String>> {
    let k = EXTRAS.iter().position(|e| *e == f)?;
    Some(extras.get(k).map(String::as_str).ok_or_else(|| {
        format!(
            "'{}' holds values under a header name that was not given, so it cannot be named in a query",
            f.name()
        )
    }))
}

/// The Athena column of an extra (unknown-header) column: its header name as AWS names
/// columns (lower case, `-` as `_`), always double-quoted, so that any name (a reserved
/// word, a space, a quote) is one identifier.
pub(crate) fn athena_extra_name(name: &str) -> String {
    format!(
        "\"{}\"",
        name.to_lowercase().replace('-', "_").replace('"', "\"\"")
    )
}

/// The Athena column of `f`: [`athena_name`], or for an extra column its header's name.
pub(crate) fn athena_column(f: Field, extras: &[String]) -> Result<String, String> {
    match extra_name(f, extras) {
        Some(name) => Ok(athena_extra_name(name?)),
        None => Ok(athena_name(f)),
    }
}

/// The columns of the table a query runs over.
struct Athena {
    fields: Vec<Field>,
    documented: bool,
    /// The header names of the extra columns (see [`extra_name`]).
    extras: Vec<String>,
}

impl Athena {
    fn col(&self, f: Field) -> Result<String, String> {
        if !is_athena_field(f) {
            return Err(format!(
                "'{}' is a CloudWatch Logs event field, not part of the flow log records in S3, so an Athena table has no such column",
                f.name()
            ));
        }
        if !self.fields.contains(&f) {
            return Err(if self.documented {
                format!(
                    "'{}' is not a column of the Athena table AWS documents for VPC flow logs (the fields of versions 2–5); create the table for your data's fields with `flowlens --emit athena-table FILE` and translate with the same FILE",
                    f.name()
                )
            } else {
                format!(
                    "'{}' is not one of the data's fields, so the table made for it has no such column",
                    f.name()
                )
            });
        }
        athena_column(f, &self.extras)
    }
}

/// Whether the Athena column is a string (`-` for a missing value in AWS's text DDL, or
/// NULL where the table maps `-` to NULL) or an integer (NULL).
fn athena_is_string(f: Field) -> bool {
    !f.kind().is_numeric()
}

/// A SQL string literal. Trino string literals hold any character but `'` (doubled).
fn sql_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub(crate) fn athena_table(name: &str) -> String {
    let simple = !name.is_empty()
        && name
            .split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    if simple {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "\"\""))
    }
}

/// The filter (and sort) as an Athena (engine v3, Trino) query:
/// `SELECT * FROM table WHERE … ORDER BY …`.
///
/// `fields` are the table's flow log columns: the data's fields, for the table
/// [`super::create_table`] makes from the same data; empty means the table AWS's Athena
/// documentation creates (the fields of versions 2–5). The query holds on either kind
/// of table: AWS's text DDL (`-` stays the text `-` in string columns, NULL in integer
/// ones) and tables where `-` is NULL everywhere (`serialization.null.format`, Parquet).
///
/// - Two-valued logic: every leaf under `NOT` is wrapped in `coalesce(…, false)`, so a
///   test of a missing value is false and `not` simply negates, as in flowlens.
/// - Addresses: `TRY_CAST(col AS IPADDRESS) = IPADDRESS '…'` for one address; CIDRs use
///   `contains(cidr, ip)` inside a `CASE` on the address family of the value (its
///   canonical text has a `:`), because Trino builds before trinodb/trino#18997 raise
///   "IP address version should be the same" when the families differ. IPv4-mapped IPv6
///   (`::ffff:a.b.c.d`) is its IPv4 address, as Trino stores it.
/// - Integer literals beyond BIGINT are clamped (no BIGINT holds them; Trino's parser
///   rejects them).
///
/// Errors name fields the table lacks and `@timestamp` / `@logStream`.
pub fn to_athena(
    filter: &Filter,
    sort: &[SortKey],
    table_name: &str,
    fields: &[Field],
) -> Result<String, String> {
    to_athena_named(filter, sort, table_name, fields, &[])
}

/// [`to_athena`] for a table whose extra columns hold the header names `extras`
/// ([`crate::Table::extra_names`]): a filter or sort on one names its column.
pub fn to_athena_named(
    filter: &Filter,
    sort: &[SortKey],
    table_name: &str,
    fields: &[Field],
    extras: &[String],
) -> Result<String, String> {
    let documented = fields.iter().all(|f| !is_athena_field(*f));
    let ctx = Athena {
        fields: if documented {
            ALL_V5.to_vec()
        } else {
            fields
                .iter()
                .copied()
                .filter(|f| is_athena_field(*f))
                .collect()
        },
        documented,
        extras: extras.to_vec(),
    };
    let mut q = format!("SELECT *\nFROM {}", athena_table(table_name));
    if !filter.is_all() {
        q.push_str("\nWHERE ");
        q.push_str(&ctx.expr(filter.expr(), false, true)?);
    }
    if !sort.is_empty() {
        let keys: Vec<String> = sort
            .iter()
            .map(|k| {
                let (col, string) = match k.field {
                    SortField::Duration => (ctx.num(NumSrc::Duration)?, false),
                    SortField::Field(f) => (ctx.col(f)?, athena_is_string(f)),
                };
                let dir = if k.desc { " DESC" } else { " ASC" };
                Ok(format!(
                    "{col}{dir}{}",
                    if string { "" } else { " NULLS LAST" }
                ))
            })
            .collect::<Result<_, String>>()?;
        q.push_str("\nORDER BY ");
        q.push_str(&keys.join(", "));
    }
    Ok(q)
}

impl Athena {
    fn expr(&self, e: &Expr, neg: bool, top: bool) -> Result<String, String> {
        let join = |items: &[Expr], op: &str| -> Result<String, String> {
            let parts: Vec<String> = items
                .iter()
                .map(|i| self.expr(i, neg, false))
                .collect::<Result<_, _>>()?;
            let s = parts.join(op);
            Ok(if top { s } else { format!("({s})") })
        };
        match e {
            Expr::All => Ok("TRUE".into()),
            Expr::Not(inner) => Ok(format!("NOT {}", paren(&self.expr(inner, true, false)?))),
            Expr::And(items) => join(items, " AND "),
            Expr::Or(items) => join(items, " OR "),
            // Any leaf can be NULL on some table (integer columns, and string columns
            // where `-` is NULL); under NOT, NULL would drop the row where flowlens
            // keeps it, so the leaf is made two-valued.
            Expr::Leaf(l) if neg => Ok(format!("coalesce({}, false)", self.leaf(l)?)),
            Expr::Leaf(l) => self.leaf(l),
        }
    }

    fn num(&self, src: NumSrc) -> Result<String, String> {
        match src {
            NumSrc::Duration => Ok(format!(
                "greatest({} - {}, 0)",
                self.col(Field::End)?,
                self.col(Field::Start)?
            )),
            NumSrc::Field(f) => self.col(f),
        }
    }

    fn leaf(&self, l: &Leaf) -> Result<String, String> {
        Ok(match l {
            Leaf::Cmp { src, op, lo, hi } => {
                let c = self.num(*src)?;
                if *hi <= BIGINT_MAX {
                    cmp_sql(&c, *op, *lo, *hi, " AND ")
                        .replace(" or ", " OR ")
                        .replace("!=", "<>")
                } else {
                    ranges_sql(&c, &clamp_bigint(&l.ranges()), true)
                }
            }
            Leaf::NumIn { src, ranges } => {
                ranges_sql(&self.num(*src)?, &clamp_bigint(ranges), true)
            }
            Leaf::Bits { field, mask } => {
                format!("bitwise_and({}, {mask}) = {mask}", self.col(*field)?)
            }
            Leaf::Net {
                field,
                nets,
                negate,
            } => {
                let c = self.col(*field)?;
                let any = net_sql(&c, nets);
                negated_if::<Self>(&c, any, *negate)?
            }
            Leaf::Text {
                field,
                values,
                negate,
            } => text_in(self, *field, values, *negate)?,
            Leaf::Contains { field, needle } => contains(self, *field, needle)?,
            Leaf::Exists { field } => {
                let c = self.col(*field)?;
                if athena_is_string(*field) {
                    format!("{c} <> '-'")
                } else {
                    format!("{c} IS NOT NULL")
                }
            }
            Leaf::Context(t) => return Err(context_refusal(t, "Athena")),
            Leaf::Search { needle } => search(self, needle)?,
        })
    }
}

/// What Athena SQL and Logs Insights spell differently in the leaves they translate
/// alike (text lists, substring tests, the bare-word search): one translation of each
/// such leaf, written against this.
trait Dialect {
    /// `AND` / `and`.
    const AND: &'static str;
    /// `OR` / `or`.
    const OR: &'static str;
    /// `<>` / `!=`.
    const NE: &'static str;
    /// `NOT` / `not`.
    const NOT: &'static str;
    /// `IN (` … `)` / `in [` … `]`, and their negation.
    const IN: (&'static str, &'static str, &'static str);
    /// What a search says when no field can hold its text.
    const NO_TEXT: &'static str;
    /// The column of a field, or why the query language has none.
    fn column(&self, f: Field) -> Result<String, String>;
    /// The data's fields.
    fn fields(&self) -> &[Field];
    /// Whether a bare-word search looks at this field.
    fn searched(f: Field) -> bool;
    /// A string literal.
    fn literal(s: &str) -> Result<String, String>;
    /// A case-insensitive substring test of column `c`.
    fn substring(c: &str, needle: &str) -> String;
}

impl Dialect for Athena {
    const AND: &'static str = "AND";
    const OR: &'static str = "OR";
    const NE: &'static str = "<>";
    const NOT: &'static str = "NOT";
    const IN: (&'static str, &'static str, &'static str) = ("IN (", ")", "NOT IN (");
    const NO_TEXT: &'static str = "the table has no text columns to search";
    fn column(&self, f: Field) -> Result<String, String> {
        self.col(f)
    }
    fn fields(&self) -> &[Field] {
        &self.fields
    }
    fn searched(f: Field) -> bool {
        athena_is_string(f)
    }
    fn literal(s: &str) -> Result<String, String> {
        Ok(sql_str(s))
    }
    fn substring(c: &str, needle: &str) -> String {
        format!("strpos(lower({c}), {}) > 0", sql_str(needle))
    }
}

impl Dialect for Insights {
    const AND: &'static str = "and";
    const OR: &'static str = "or";
    const NE: &'static str = "!=";
    const NOT: &'static str = "not";
    const IN: (&'static str, &'static str, &'static str) = ("in [", "]", "not in [");
    const NO_TEXT: &'static str = "the data's format has no text fields to search";
    fn column(&self, f: Field) -> Result<String, String> {
        self.name(f)
    }
    fn fields(&self) -> &[Field] {
        &self.fields
    }
    fn searched(f: Field) -> bool {
        !f.kind().is_numeric()
    }
    fn literal(s: &str) -> Result<String, String> {
        insights_str(s)
    }
    fn substring(c: &str, needle: &str) -> String {
        format!("{c} like /(?i){}/", regex_escape(needle))
    }
}

/// `field = v` / `field in (…)`, or their negation, which also needs the field present
/// (not `-`), as flowlens's `!=` does.
fn text_in<D: Dialect>(
    d: &D,
    field: Field,
    values: &[String],
    negate: bool,
) -> Result<String, String> {
    let c = d.column(field)?;
    let list: Vec<String> = values
        .iter()
        .map(|v| D::literal(v))
        .collect::<Result<_, _>>()?;
    let (and, ne, (open, close, not_open)) = (D::AND, D::NE, D::IN);
    let dash = D::literal("-")?;
    Ok(match (list.len(), negate) {
        (1, false) => format!("{c} = {}", list[0]),
        (_, false) => format!("{c} {open}{}{close}", list.join(", ")),
        (1, true) => format!("({c} {ne} {} {and} {c} {ne} {dash})", list[0]),
        (_, true) => format!(
            "({c} {not_open}{}{close} {and} {c} {ne} {dash})",
            list.join(", ")
        ),
    })
}

/// `test`, or under `negate` its negation on a present (not `-`) column `c`.
fn negated_if<D: Dialect>(c: &str, test: String, negate: bool) -> Result<String, String> {
    Ok(if negate {
        let (ne, dash, and, not) = (D::NE, D::literal("-")?, D::AND, D::NOT);
        format!("({c} {ne} {dash} {and} {not} {})", paren(&test))
    } else {
        test
    })
}

/// A case-insensitive substring test; a needle that `-` contains must not match the `-`
/// of a missing value.
fn contains<D: Dialect>(d: &D, f: Field, needle: &str) -> Result<String, String> {
    let c = d.column(f)?;
    let test = D::substring(&c, needle);
    Ok(if "-".contains(needle) {
        format!("({c} {} {} {} {test})", D::NE, D::literal("-")?, D::AND)
    } else {
        test
    })
}

/// A bare word: a substring of any searched field.
fn search<D: Dialect>(d: &D, needle: &str) -> Result<String, String> {
    let parts: Vec<String> = d
        .fields()
        .iter()
        .filter(|f| D::searched(**f))
        .map(|f| contains(d, *f, needle))
        .collect::<Result<_, _>>()?;
    if parts.is_empty() {
        return Err(D::NO_TEXT.into());
    }
    Ok(format!("({})", parts.join(&format!(" {} ", D::OR))))
}

/// `c op value` for the numeric comparison semantics of [`Leaf::Cmp`].
fn cmp_sql(c: &str, op: CmpOp, lo: u64, hi: u64, and: &str) -> String {
    match op {
        CmpOp::Eq if lo == hi => format!("{c} = {lo}"),
        CmpOp::Eq => format!("({c} >= {lo}{and}{c} <= {hi})"),
        CmpOp::Ne if lo == hi => format!("{c} != {lo}"),
        CmpOp::Ne => format!("({c} < {lo} or {c} > {hi})"),
        CmpOp::Lt => format!("{c} < {lo}"),
        CmpOp::Le => format!("{c} <= {hi}"),
        CmpOp::Gt => format!("{c} > {hi}"),
        CmpOp::Ge => format!("{c} >= {lo}"),
    }
}

fn ranges_sql(c: &str, ranges: &[(u64, u64)], sql: bool) -> String {
    let (and, or) = if sql {
        (" AND ", " OR ")
    } else {
        (" and ", " or ")
    };
    if ranges.is_empty() {
        return if sql { "FALSE".into() } else { "1 = 0".into() };
    }
    let points: Vec<String> = ranges
        .iter()
        .filter(|(a, b)| a == b)
        .map(|(a, _)| a.to_string())
        .collect();
    let mut parts = Vec::new();
    match points.len() {
        0 => {}
        1 => parts.push(format!("{c} = {}", points[0])),
        _ if sql => parts.push(format!("{c} IN ({})", points.join(", "))),
        _ => parts.push(format!("{c} in [{}]", points.join(", "))),
    }
    for &(a, b) in ranges.iter().filter(|(a, b)| a != b) {
        parts.push(match (a, b) {
            (0, u64::MAX) => format!("{c} >= 0"),
            (0, b) => format!("{c} <= {b}"),
            (a, u64::MAX) => format!("{c} >= {a}"),
            (a, b) if sql => format!("{c} BETWEEN {a} AND {b}"),
            (a, b) => format!("({c} >= {a}{and}{c} <= {b})"),
        });
    }
    if parts.len() == 1 {
        parts.pop().unwrap()
    } else {
        format!("({})", parts.join(or))
    }
}

/// The ranges as BIGINT ranges: ends beyond BIGINT are cut (an open end stays open).
fn clamp_bigint(ranges: &[(u64, u64)]) -> Vec<(u64, u64)> {
    ranges
        .iter()
        .filter(|(lo, _)| *lo <= BIGINT_MAX)
        .map(|&(lo, hi)| (lo, if hi >= BIGINT_MAX { u64::MAX } else { hi }))
        .collect()
}

/// An address column in any of the networks. Single addresses compare as IPADDRESS
/// (IPv4-mapped IPv6 equals its IPv4 address in Trino); networks go through `contains`
/// only for values of their own family, decided by the canonical text of the value
/// (Trino renders IPv4 and IPv4-mapped addresses as dotted quads), inside a `CASE` so
/// that Trino never evaluates `contains` on the other family.
fn net_sql(c: &str, nets: &[Net]) -> String {
    let ip = format!("TRY_CAST({c} AS IPADDRESS)");
    let mut tests = Vec::new();
    let mut v4 = Vec::new();
    let mut v6 = Vec::new();
    for n in nets {
        match n {
            Net::V4 { prefix: 32, .. } | Net::V6 { prefix: 128, .. } => {
                tests.push(format!("{ip} = IPADDRESS '{n}'"))
            }
            Net::V4 { .. } => v4.push(format!("contains('{n}', {ip})")),
            Net::V6 { .. } => v6.push(format!("contains('{n}', {ip})")),
        }
    }
    let or = |v: &[String]| {
        if v.len() == 1 {
            v[0].clone()
        } else {
            format!("({})", v.join(" OR "))
        }
    };
    if !v4.is_empty() || !v6.is_empty() {
        let family = format!("strpos(CAST({ip} AS VARCHAR), ':')");
        let mut case = "CASE".to_string();
        if !v4.is_empty() {
            case.push_str(&format!(" WHEN {family} = 0 THEN {}", or(&v4)));
        }
        if !v6.is_empty() {
            case.push_str(&format!(" WHEN {family} > 0 THEN {}", or(&v6)));
        }
        case.push_str(" ELSE FALSE END");
        tests.push(case);
    }
    or(&tests)
}

/// `s` in parentheses, unless one pair already encloses all of it (or it is one call).
fn paren(s: &str) -> String {
    let call = s.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
    if is_wrapped(s) || (call.len() < s.len() && is_wrapped(call)) {
        s.to_string()
    } else {
        format!("({s})")
    }
}

/// Whether the `(` at the start closes at the very end (quoted text and backslash-escaped
/// characters skipped).
fn is_wrapped(s: &str) -> bool {
    if !s.starts_with('(') || !s.ends_with(')') {
        return false;
    }
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let n = s.chars().count();
    for (i, c) in s.chars().enumerate() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q != '\'' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\'' | '"' => quote = Some(c),
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && i + 1 < n {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

// ------------------------------------------------------------------------ Insights

/// The most rows a Logs Insights query returns (`| limit` accepts at most 10,000;
/// without it the console shows 1,000).
pub const INSIGHTS_LIMIT: usize = 10_000;

/// The Logs Insights name of a field in a custom format's `parse` clause: the discovered
/// name where the default format has one (`startTime`, `srcAddr`…), else the AWS name in
/// camelCase.
pub(crate) fn camel(f: Field) -> String {
    match f.insights_name() {
        Some(n) => n.to_string(),
        None => camel_case(f.name()),
    }
}

/// `pkt-srcaddr` → `pktSrcaddr`: each `-` dropped and the letter after it upper-cased.
fn camel_case(name: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in name.chars() {
        if c == '-' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

struct Insights {
    /// The data's flow log fields (no event fields).
    fields: Vec<Field>,
    /// The header names of the extra columns (see [`extra_name`]).
    extras: Vec<String>,
}

/// The Logs Insights name of an extra column: its header name in camelCase, as for the
/// catalogue's fields; a name that is not one word of letters, digits and `_` after that
/// cannot be a field of the `parse` clause, and is an error naming it.
fn insights_extra_name(name: &str) -> Result<String, String> {
    let out = camel_case(name);
    let word = out.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && out.chars().next().is_some_and(|c| !c.is_ascii_digit());
    if !word {
        return Err(format!(
            "the column '{name}' (an unknown header name) cannot be a Logs Insights field: a field of the parse clause is one word of letters, digits and _"
        ));
    }
    Ok(out)
}

impl Insights {
    fn name(&self, f: Field) -> Result<String, String> {
        match f {
            Field::EventTimestamp => return Ok("@timestamp".into()),
            Field::LogStream => return Ok("@logStream".into()),
            _ => {}
        }
        if !self.fields.contains(&f) {
            return Err(format!(
                "'{}' is not in the data's format, so Logs Insights has no such field",
                f.name()
            ));
        }
        self.column(f)
    }

    /// The `parse` clause's name of a field of the format.
    fn column(&self, f: Field) -> Result<String, String> {
        match extra_name(f, &self.extras) {
            Some(name) => insights_extra_name(name?),
            None => Ok(camel(f)),
        }
    }

    fn expr(&self, e: &Expr, top: bool) -> Result<String, String> {
        let join = |items: &[Expr], op: &str| -> Result<String, String> {
            let parts: Vec<String> = items
                .iter()
                .map(|i| self.expr(i, false))
                .collect::<Result<_, _>>()?;
            let s = parts.join(op);
            Ok(if top { s } else { format!("({s})") })
        };
        match e {
            Expr::All => Ok("1 = 1".into()),
            Expr::Not(inner) => Ok(format!("not {}", paren(&self.expr(inner, false)?))),
            Expr::And(items) => join(items, " and "),
            Expr::Or(items) => join(items, " or "),
            Expr::Leaf(l) => self.leaf(l),
        }
    }

    /// The numeric expression and the fields it reads (for the `-` guards).
    fn num(&self, src: NumSrc) -> Result<(String, Vec<String>), String> {
        match src {
            NumSrc::Duration => {
                let (s, e) = (self.name(Field::Start)?, self.name(Field::End)?);
                Ok((format!("greatest({e} - {s}, 0)"), vec![s, e]))
            }
            // `@timestamp` is a time, compared as epoch milliseconds
            NumSrc::Field(Field::EventTimestamp) => Ok(("toMillis(@timestamp)".into(), vec![])),
            NumSrc::Field(f) => {
                let n = self.name(f)?;
                Ok((n.clone(), vec![n]))
            }
        }
    }

    fn leaf(&self, l: &Leaf) -> Result<String, String> {
        Ok(match l {
            Leaf::Cmp { src, op, lo, hi } => {
                let (c, read) = self.num(*src)?;
                let test = cmp_sql(&c, *op, *lo, *hi, " and ");
                // NODATA and SKIPDATA records hold `-` in their numeric fields; only an
                // equality can never match `-`, every other test is guarded
                dash_guard(&read, test, *op == CmpOp::Eq && lo == hi)
            }
            Leaf::NumIn { src, ranges } => {
                let (c, read) = self.num(*src)?;
                let points = ranges.iter().all(|(a, b)| a == b);
                dash_guard(&read, ranges_sql(&c, ranges, false), points)
            }
            Leaf::Bits { field, mask } => {
                let c = self.name(*field)?;
                let bits: Vec<String> = (0..64)
                    .filter(|b| mask & (1u64 << b) != 0)
                    .map(|b| match b {
                        0 => format!("{c} % 2 = 1"),
                        b => format!("floor({c} / {}) % 2 = 1", 1u64 << b),
                    })
                    .collect();
                let test = match bits.len() {
                    0 => format!("{c} >= 0"),
                    1 => bits[0].clone(),
                    _ => format!("({})", bits.join(" and ")),
                };
                dash_guard(&[c], test, false)
            }
            Leaf::Net {
                field,
                nets,
                negate,
            } => {
                let c = self.name(*field)?;
                let tests: Vec<String> = nets
                    .iter()
                    .map(|n| match n {
                        Net::V4 { prefix: 32, .. } => format!("{c} = \"{n}\""),
                        Net::V4 { .. } => format!("isIpv4InSubnet({c}, \"{n}\")"),
                        Net::V6 { prefix: 128, .. } => format!("isIpv6InSubnet({c}, \"{n}/128\")"),
                        Net::V6 { .. } => format!("isIpv6InSubnet({c}, \"{n}\")"),
                    })
                    .collect();
                let any = if tests.len() == 1 {
                    tests[0].clone()
                } else {
                    format!("({})", tests.join(" or "))
                };
                negated_if::<Self>(&c, any, *negate)?
            }
            Leaf::Text {
                field,
                values,
                negate,
            } => text_in(self, *field, values, *negate)?,
            Leaf::Contains { field, needle } => contains(self, *field, needle)?,
            Leaf::Exists { field } => {
                let c = self.name(*field)?;
                format!("(ispresent({c}) and {c} != \"-\")")
            }
            Leaf::Context(t) => return Err(context_refusal(t, "Logs Insights")),
            Leaf::Search { needle } => search(self, needle)?,
        })
    }
}

/// `test` preceded by `field != "-"` for each field it reads, unless it cannot match `-`.
fn dash_guard(read: &[String], test: String, safe: bool) -> String {
    if safe || read.is_empty() {
        return test;
    }
    let guards: Vec<String> = read.iter().map(|c| format!("{c} != \"-\"")).collect();
    format!("({} and {test})", guards.join(" and "))
}

/// A Logs Insights string literal: `\` and `"` escaped, and newlines, carriage returns
/// and tabs as `\n`, `\r`, `\t` (a raw newline would end the query line); other control
/// characters have no documented escape and are refused.
fn insights_str(s: &str) -> Result<String, String> {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                return Err(format!(
                    "the value {s:?} holds a control character (U+{:04X}) that a Logs Insights string cannot hold",
                    c as u32
                ))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    Ok(out)
}

/// The needle as a regex matching itself: metacharacters and `/` (the delimiter)
/// backslash-escaped, control characters as `\xHH` / `\x{HHHH}`.
fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\/.^$|?*+()[]{}".contains(c) {
            out.push('\\');
            out.push(c);
        } else if c.is_control() {
            if (c as u32) < 0x100 {
                out.push_str(&format!("\\x{:02x}", c as u32));
            } else {
                out.push_str(&format!("\\x{{{:x}}}", c as u32));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The query languages a view's filter and sort translate to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Athena SQL over the table AWS's Athena documentation creates.
    Athena,
    /// CloudWatch Logs Insights over the log group.
    Insights,
}

impl std::str::FromStr for Target {
    type Err = String;

    fn from_str(s: &str) -> Result<Target, String> {
        match s {
            "athena" => Ok(Target::Athena),
            "insights" => Ok(Target::Insights),
            other => Err(format!(
                "unknown query language '{other}' (athena or insights)"
            )),
        }
    }
}

/// The filter and sort of a view as a `target` query: the one choice of fields the CLI
/// (`--emit`) and the page's translation module share — `fields` is the table's fields
/// ([`crate::Table::fields`]), which are the data's format for Insights' `parse` and the
/// columns Athena may name.
pub fn translate(
    target: Target,
    filter: &Filter,
    sort: &[SortKey],
    fields: &[Field],
    athena_table: &str,
) -> Result<String, String> {
    translate_named(target, filter, sort, fields, &[], athena_table)
}

/// [`translate`] for a table whose extra (unknown-header) columns hold the header names
/// `extras` ([`crate::Table::extra_names`]): a filter or sort on one of them names it
/// as the dialect requires (see [`to_athena_named`], [`to_insights_named`]).
pub fn translate_named(
    target: Target,
    filter: &Filter,
    sort: &[SortKey],
    fields: &[Field],
    extras: &[String],
    athena_table: &str,
) -> Result<String, String> {
    match target {
        Target::Athena => to_athena_named(filter, sort, athena_table, fields, extras),
        Target::Insights => to_insights_named(filter, sort, fields, extras),
    }
}

/// The filter (and sort) as a CloudWatch Logs Insights query over the log group the flow
/// log delivers to. `fields` is the data's format (event fields are ignored; empty means
/// the default format).
///
/// - The default format uses the names Insights discovers for it (AWS, "Supported logs
///   and discovered fields"): `version`, `accountId`, `interfaceId`, `srcAddr`,
///   `dstAddr`, `srcPort`, `dstPort`, `protocol`, `packets`, `bytes`, `startTime`,
///   `endTime`, `action`, `logStatus`. Any other format starts with
///   `parse @message "* * …" as version, accountId, …`, which defines the names.
/// - NODATA and SKIPDATA records hold `-` in the numeric fields: every numeric test but
///   equality is guarded with `field != "-"`, so `dstPort != 22` drops them as flowlens
///   does; text negations are guarded the same way.
/// - `@timestamp` compares as `toMillis(@timestamp)`.
/// - The query ends with `| limit 10000` (the most Insights returns; without a limit the
///   console shows 1,000 rows).
pub fn to_insights(filter: &Filter, sort: &[SortKey], fields: &[Field]) -> Result<String, String> {
    to_insights_named(filter, sort, fields, &[])
}

/// [`to_insights`] for a table whose extra columns hold the header names `extras`
/// ([`crate::Table::extra_names`]): each is a field of the `parse` clause under its own
/// name in camelCase (an error names one that cannot be, or that clashes with another).
pub fn to_insights_named(
    filter: &Filter,
    sort: &[SortKey],
    fields: &[Field],
    extras: &[String],
) -> Result<String, String> {
    let mut format: Vec<Field> = fields
        .iter()
        .copied()
        .filter(|f| !matches!(f, Field::EventTimestamp | Field::LogStream))
        .collect();
    if format.is_empty() {
        format = DEFAULT_FORMAT.to_vec();
    }
    let default = format == DEFAULT_FORMAT;
    let ins = Insights {
        fields: format.clone(),
        extras: extras.to_vec(),
    };
    let names: Vec<String> = format
        .iter()
        .map(|f| ins.column(*f))
        .collect::<Result<_, _>>()?;
    // an extra column's name may be the name Insights gives another field
    if let Some(n) = names
        .iter()
        .enumerate()
        .find_map(|(i, n)| names[..i].contains(n).then_some(n))
    {
        return Err(format!(
            "two columns would both be the Logs Insights field {n} (an unknown header name spelled like a known field)"
        ));
    }
    let mut lines = Vec::new();
    if !default {
        lines.push(format!(
            "parse @message \"{}\" as {}",
            vec!["*"; names.len()].join(" "),
            names.join(", ")
        ));
    }
    let mut shown = names.join(", ");
    if sort.iter().any(|k| k.field == SortField::Duration) {
        shown.push_str(&format!(", {} as duration", ins.num(NumSrc::Duration)?.0));
    }
    lines.push(format!("fields @timestamp, {shown}"));
    if !filter.is_all() {
        lines.push(format!("filter {}", ins.expr(filter.expr(), true)?));
    }
    if !sort.is_empty() {
        let keys: Vec<String> = sort
            .iter()
            .map(|k| {
                let c = match k.field {
                    SortField::Duration => "duration".to_string(),
                    SortField::Field(f) => ins.name(f)?,
                };
                Ok(format!("{c} {}", if k.desc { "desc" } else { "asc" }))
            })
            .collect::<Result<_, String>>()?;
        lines.push(format!("sort {}", keys.join(", ")));
    }
    lines.push(format!("limit {INSIGHTS_LIMIT}"));
    Ok(lines.join("\n| "))
}

/// Label and health-check terms are answered by flowlens from context files and the
/// whole table; the query engines have neither.
fn context_refusal(t: &crate::context::Test, engine: &str) -> String {
    format!(
        "'{}' cannot be translated: {engine} has no labels or health-check verdicts (flowlens computes them from context files and the rhythm of the whole log); filter by addresses or interface ids instead",
        t.describe()
    )
}
