//! Translation of a filter and sort to the query languages of the places flow logs live:
//! Athena SQL over the table AWS's Athena documentation creates for VPC flow logs
//! (columns of versions 2–5, underscore names, `-` kept as text in string columns and
//! NULL in integer ones), and CloudWatch Logs Insights (discovered field names for the
//! default format, a `parse @message` clause for custom formats).
//!
//! Both keep the engine's two-valued logic: a test of a missing value is false, `not`
//! negates (Athena leaves under `not` are wrapped in `coalesce(…, false)`). What cannot
//! be expressed is an error naming the field or construct, never an approximation.

use super::parse::{CmpOp, Expr, Leaf, Net, NumSrc};
use super::{Filter, SortField, SortKey};
use crate::fields::{Field, ALL_V5, DEFAULT_FORMAT};

// ------------------------------------------------------------------------ Athena

fn athena_col(f: Field) -> Result<String, String> {
    if !ALL_V5.contains(&f) {
        return Err(format!(
            "'{}' is not a column of the Athena table AWS documents for VPC flow logs (the fields of versions 2–5); add it to your table's DDL and filter on it by hand",
            f.name()
        ));
    }
    Ok(match f {
        Field::End => "\"end\"".to_string(),
        _ => f.name().replace('-', "_"),
    })
}

/// Whether the Athena column is a string (`-` for a missing value) or an integer (NULL).
fn athena_is_string(f: Field) -> bool {
    !f.kind().is_numeric()
}

fn sql_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn athena_table(name: &str) -> String {
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

/// The filter (and sort) as an Athena query: `SELECT * FROM table WHERE … ORDER BY …`.
/// CIDR tests use Athena engine v3's `contains(cidr, ipaddress)`. Errors for fields the
/// documented table lacks (versions 7+, Transit Gateway, `@timestamp`, `@logStream`).
pub fn to_athena(filter: &Filter, sort: &[SortKey], table_name: &str) -> Result<String, String> {
    let mut q = format!("SELECT *\nFROM {}", athena_table(table_name));
    if !filter.is_all() {
        q.push_str("\nWHERE ");
        q.push_str(&athena_expr(filter.expr(), false, true)?);
    }
    if !sort.is_empty() {
        let keys: Vec<String> = sort
            .iter()
            .map(|k| {
                let (col, string) = match k.field {
                    SortField::Duration => ("greatest(\"end\" - start, 0)".to_string(), false),
                    SortField::Field(f) => (athena_col(f)?, athena_is_string(f)),
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

fn athena_expr(e: &Expr, neg: bool, top: bool) -> Result<String, String> {
    let join = |items: &[Expr], op: &str| -> Result<String, String> {
        let parts: Vec<String> = items
            .iter()
            .map(|i| athena_expr(i, neg, false))
            .collect::<Result<_, _>>()?;
        let s = parts.join(op);
        Ok(if top { s } else { format!("({s})") })
    };
    match e {
        Expr::All => Ok("TRUE".into()),
        Expr::Not(inner) => Ok(format!("NOT {}", athena_expr(inner, true, false)?)),
        Expr::And(items) => join(items, " AND "),
        Expr::Or(items) => join(items, " OR "),
        Expr::Leaf(l) => {
            let s = athena_leaf(l)?;
            // integer and address tests can be NULL in SQL; keep them two-valued under NOT
            let nullable = match l {
                Leaf::Cmp { .. } | Leaf::NumIn { .. } | Leaf::Bits { .. } => true,
                Leaf::Net { nets, .. } => nets.iter().any(|n| !is_v4_host(n)),
                _ => false,
            };
            Ok(if neg && nullable {
                format!("coalesce({s}, false)")
            } else {
                s
            })
        }
    }
}

fn is_v4_host(n: &Net) -> bool {
    matches!(n, Net::V4 { prefix: 32, .. })
}

fn num_expr(src: NumSrc, athena: bool) -> Result<String, String> {
    match (src, athena) {
        (NumSrc::Duration, true) => Ok("greatest(\"end\" - start, 0)".into()),
        (NumSrc::Duration, false) => Ok("greatest(end - start, 0)".into()),
        (NumSrc::Field(f), true) => athena_col(f),
        (NumSrc::Field(_), false) => unreachable!(),
    }
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

fn athena_leaf(l: &Leaf) -> Result<String, String> {
    Ok(match l {
        Leaf::Cmp { src, op, lo, hi } => {
            let c = num_expr(*src, true)?;
            let s = cmp_sql(&c, *op, *lo, *hi, " AND ");
            s.replace(" or ", " OR ").replace("!=", "<>")
        }
        Leaf::NumIn { src, ranges } => ranges_sql(&num_expr(*src, true)?, ranges, true),
        Leaf::Bits { field, mask } => {
            format!("bitwise_and({}, {mask}) = {mask}", athena_col(*field)?)
        }
        Leaf::Net {
            field,
            nets,
            negate,
        } => {
            let c = athena_col(*field)?;
            let tests: Vec<String> = nets
                .iter()
                .map(|n| match n {
                    Net::V4 { prefix: 32, .. } => format!("{c} = '{n}'"),
                    Net::V6 { prefix: 128, .. } => {
                        format!("TRY_CAST({c} AS IPADDRESS) = IPADDRESS '{n}'")
                    }
                    _ => format!("contains('{n}', TRY_CAST({c} AS IPADDRESS))"),
                })
                .collect();
            let any = if tests.len() == 1 {
                tests[0].clone()
            } else {
                format!("({})", tests.join(" OR "))
            };
            if *negate {
                format!("({c} <> '-' AND NOT {})", paren(&any))
            } else {
                any
            }
        }
        Leaf::Text {
            field,
            values,
            negate,
        } => {
            let c = athena_col(*field)?;
            let list: Vec<String> = values.iter().map(|v| sql_str(v)).collect();
            match (list.len(), *negate) {
                (1, false) => format!("{c} = {}", list[0]),
                (_, false) => format!("{c} IN ({})", list.join(", ")),
                (1, true) => format!("({c} <> {} AND {c} <> '-')", list[0]),
                (_, true) => format!("({c} NOT IN ({}) AND {c} <> '-')", list.join(", ")),
            }
        }
        Leaf::Contains { field, needle } => athena_contains(*field, needle)?,
        Leaf::Exists { field } => {
            let c = athena_col(*field)?;
            if athena_is_string(*field) {
                format!("{c} <> '-'")
            } else {
                format!("{c} IS NOT NULL")
            }
        }
        Leaf::Search { needle } => {
            let parts: Vec<String> = ALL_V5
                .iter()
                .filter(|f| athena_is_string(**f))
                .map(|f| athena_contains(*f, needle))
                .collect::<Result<_, _>>()?;
            format!("({})", parts.join(" OR "))
        }
    })
}

fn paren(s: &str) -> String {
    if s.starts_with('(') {
        s.to_string()
    } else {
        format!("({s})")
    }
}

fn athena_contains(f: Field, needle: &str) -> Result<String, String> {
    let c = athena_col(f)?;
    let test = format!("strpos(lower({c}), {}) > 0", sql_str(needle));
    Ok(if "-".contains(needle) {
        format!("({c} <> '-' AND {test})")
    } else {
        test
    })
}

// ------------------------------------------------------------------------ Insights

/// The Logs Insights name of a field in a custom format's `parse` clause: the discovered
/// name where the default format has one, else the AWS name in camelCase.
fn camel(f: Field) -> String {
    if let Some(n) = f.insights_name() {
        return n.to_string();
    }
    let mut out = String::new();
    let mut up = false;
    for c in f.name().chars() {
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
        Ok(camel(f))
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

    fn num(&self, src: NumSrc) -> Result<String, String> {
        match src {
            NumSrc::Duration => {
                self.name(Field::Start)?;
                Ok(format!(
                    "greatest({} - {}, 0)",
                    self.name(Field::End)?,
                    self.name(Field::Start)?
                ))
            }
            NumSrc::Field(f) => self.name(f),
        }
    }

    fn leaf(&self, l: &Leaf) -> Result<String, String> {
        Ok(match l {
            Leaf::Cmp { src, op, lo, hi } => cmp_sql(&self.num(*src)?, *op, *lo, *hi, " and "),
            Leaf::NumIn { src, ranges } => ranges_sql(&self.num(*src)?, ranges, false),
            Leaf::Bits { field, mask } => {
                let c = self.name(*field)?;
                let bits: Vec<String> = (0..64)
                    .filter(|b| mask & (1u64 << b) != 0)
                    .map(|b| match b {
                        0 => format!("{c} % 2 = 1"),
                        b => format!("floor({c} / {}) % 2 = 1", 1u64 << b),
                    })
                    .collect();
                match bits.len() {
                    0 => format!("{c} >= 0"),
                    1 => bits[0].clone(),
                    _ => format!("({})", bits.join(" and ")),
                }
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
                if *negate {
                    format!("({c} != \"-\" and not {})", paren(&any))
                } else {
                    any
                }
            }
            Leaf::Text {
                field,
                values,
                negate,
            } => {
                let c = self.name(*field)?;
                let list: Vec<String> = values.iter().map(|v| insights_str(v)).collect();
                match (list.len(), *negate) {
                    (1, false) => format!("{c} = {}", list[0]),
                    (_, false) => format!("{c} in [{}]", list.join(", ")),
                    (1, true) => format!("({c} != {} and {c} != \"-\")", list[0]),
                    (_, true) => format!("({c} not in [{}] and {c} != \"-\")", list.join(", ")),
                }
            }
            Leaf::Contains { field, needle } => self.contains(*field, needle)?,
            Leaf::Exists { field } => {
                let c = self.name(*field)?;
                format!("(ispresent({c}) and {c} != \"-\")")
            }
            Leaf::Search { needle } => {
                let parts: Vec<String> = self
                    .fields
                    .iter()
                    .filter(|f| !f.kind().is_numeric())
                    .map(|f| self.contains(*f, needle))
                    .collect::<Result<_, _>>()?;
                if parts.is_empty() {
                    return Err("the data's format has no text fields to search".into());
                }
                format!("({})", parts.join(" or "))
            }
        })
    }

    fn contains(&self, f: Field, needle: &str) -> Result<String, String> {
        let c = self.name(f)?;
        let test = format!("{c} like /(?i){}/", regex_escape(needle));
        Ok(if "-".contains(needle) {
            format!("({c} != \"-\" and {test})")
        } else {
            test
        })
    }
}

fn insights_str(s: &str) -> String {
    let quoted = s.replace('\\', "\\\\").replace('"', "\\\"");
    format!("\"{}\"", escape_breaks(&quoted))
}

/// Line breaks and tabs as escapes: a raw newline in a query reads as a new `|` stage.
fn escape_breaks(s: &str) -> String {
    s.replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\/.^$|?*+()[]{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    escape_breaks(&out)
}

/// The filter (and sort) as a CloudWatch Logs Insights query over the log group the flow
/// log delivers to. `fields` is the data's format (event fields are ignored; empty means
/// the default format): the default format uses Insights' discovered names (`srcAddr`,
/// `dstPort`, `logStatus`…); any other format starts with
/// `parse @message "* * …" as version, accountId, …`.
pub fn to_insights(filter: &Filter, sort: &[SortKey], fields: &[Field]) -> Result<String, String> {
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
    };
    let names: Vec<String> = format.iter().map(|f| camel(*f)).collect();
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
        shown.push_str(&format!(", {} as duration", ins.num(NumSrc::Duration)?));
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
    Ok(lines.join("\n| "))
}
