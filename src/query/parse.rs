//! The filter parser: tokens (see [`super::lexer`]) to an expression (see
//! [`super::ast`]), resolving names and values (see [`super::values`]) against the field
//! catalogue, with errors that say where and what was meant.

use super::ast::*;
use super::lexer::*;
use super::values::*;
use super::{QueryError, QueryErrorKind};
use crate::fields::{Field, Kind, FIELDS};
use crate::vocab;

// ------------------------------------------------------------------------ errors

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// A filter error at `start..end`.
pub(super) fn err(text: &str, start: usize, end: usize, what: String) -> QueryError {
    err_hint(text, start, end, what, None)
}

/// A filter error at `start..end` with a suggestion.
pub(super) fn err_hint(
    text: &str,
    start: usize,
    end: usize,
    what: String,
    hint: Option<String>,
) -> QueryError {
    QueryError::at(QueryErrorKind::Filter, text, (start, end), what, hint)
}

/// Edit distance with adjacent transpositions (optimal string alignment).
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = (a[i - 1] != b[j - 1]) as usize;
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

fn normal(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The candidate closest to `word` (ignoring case, hyphens and underscores), if close.
///
/// Only words of at most [`SUGGEST_MAX_LEN`] characters are compared, and only with
/// candidates whose length is within the allowed distance, so a megabyte of unknown
/// name costs no more than reading it.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if word.len() > 4 * SUGGEST_MAX_LEN {
        return None;
    }
    let w = normal(word);
    let wlen = w.chars().count();
    if wlen > SUGGEST_MAX_LEN {
        return None;
    }
    let limit = (wlen / 3).clamp(1, 3);
    candidates
        .into_iter()
        .filter(|c| normal(c).chars().count().abs_diff(wlen) <= limit)
        .map(|c| {
            let n = normal(c);
            let other_start = n.chars().next() != w.chars().next();
            ((edit_distance(&w, &n), other_start), c)
        })
        .filter(|((d, _), _)| *d <= limit)
        .min_by_key(|(k, _)| *k)
        .map(|(_, c)| c)
}

/// The longest word "did you mean" compares (field names are at most 30 characters).
pub const SUGGEST_MAX_LEN: usize = 40;

pub(super) fn did_you_mean(s: Option<&str>) -> Option<String> {
    s.map(|s| format!("did you mean '{s}'?"))
}

// ------------------------------------------------------------------------ names

/// A name on the left of an operator: a catalogue field or a pseudo-field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Field(Field),
    /// srcaddr or dstaddr.
    Addr,
    /// srcport or dstport.
    Port,
    /// The flow interval [start, end].
    Time,
    /// end − start.
    Duration,
}

pub const PSEUDO_NAMES: &[&str] = &["addr", "port", "time", "duration"];

pub fn lookup_target(name: &str) -> Option<Target> {
    match name.to_ascii_lowercase().as_str() {
        "addr" | "address" | "ip" => return Some(Target::Addr),
        "port" => return Some(Target::Port),
        "time" => return Some(Target::Time),
        "duration" => return Some(Target::Duration),
        _ => {}
    }
    Field::lookup(name).map(Target::Field)
}

/// The target `name` means: a catalogue field or pseudo-field, else the extra text column
/// holding a header's unknown name (`extras[k]` is the name of `EXTRAS[k]`).
pub fn lookup_target_with(name: &str, extras: &[String]) -> Option<Target> {
    lookup_target(name).or_else(|| {
        extras
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name))
            .map(|k| Target::Field(crate::fields::EXTRAS[k]))
    })
}

/// The bare words meaning "is a load-balancer health check".
fn is_healthcheck_word(w: &str) -> bool {
    [
        "healthcheck",
        "healthchecks",
        "health-check",
        "health-checks",
    ]
    .iter()
    .any(|k| w.eq_ignore_ascii_case(k))
}

/// `srcaddr.label`, `dstaddr.type`, `addr.label`, `interface.type` (also
/// `interface-id.…`, `eni.…`): a label test rather than a field.
pub fn context_target(name: &str) -> Option<(crate::context::Side, crate::context::Prop)> {
    use crate::context::{Prop, Side};
    let (base, prop) = name.rsplit_once('.')?;
    let prop = match prop.to_ascii_lowercase().as_str() {
        "label" | "name" => Prop::Label,
        "type" | "kind" => Prop::Type,
        _ => return None,
    };
    let side = match lookup_target(base) {
        Some(Target::Addr) => Side::Addr,
        Some(Target::Field(Field::SrcAddr | Field::PktSrcAddr)) => Side::Src,
        Some(Target::Field(Field::DstAddr | Field::PktDstAddr)) => Side::Dst,
        Some(Target::Field(Field::InterfaceId)) => Side::Interface,
        _ if ["interface", "eni", "resource"].contains(&base.to_ascii_lowercase().as_str()) => {
            Side::Interface
        }
        _ => return None,
    };
    Some((side, prop))
}

fn name_candidates() -> impl Iterator<Item = &'static str> {
    FIELDS
        .iter()
        .map(|d| d.name)
        .chain(PSEUDO_NAMES.iter().copied())
}

const KEYWORDS: &[&str] = &["and", "or", "not", "in", "has", "exists"];

fn is_kw(t: &Tok, kw: &str) -> bool {
    matches!(t, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
}

// ------------------------------------------------------------------------ parser

struct Parser<'a> {
    text: &'a str,
    /// The table's extra column names (see [`lookup_target_with`]).
    extras: &'a [String],
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
}

/// A value token: its text, span, and whether it was quoted.
struct Val {
    text: String,
    start: usize,
    end: usize,
    quoted: bool,
}

/// Parses filter text into an expression (empty text is [`Expr::All`]) for a table whose
/// extra text columns hold the header names `extras` (none: `&[]`).
pub fn parse_with(text: &str, extras: &[String]) -> Result<Expr, QueryError> {
    let toks = lex(text)?;
    if toks.len() == 1 {
        return Ok(Expr::All);
    }
    let mut p = Parser {
        text,
        extras,
        toks,
        pos: 0,
        depth: 0,
    };
    let e = p.or()?;
    let t = p.peek().clone();
    if t.tok != Tok::End {
        let what = if t.tok == Tok::RParen {
            "unmatched ')'".to_string()
        } else {
            format!(
                "expected 'and', 'or' or the end, found {}",
                describe(&t.tok)
            )
        };
        return Err(err(text, t.start, t.end, what));
    }
    Ok(e)
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Word(w) => format!("'{w}'"),
        Tok::Str(s) => format!("\"{s}\""),
        Tok::LParen => "'('".into(),
        Tok::RParen => "')'".into(),
        Tok::Comma => "','".into(),
        Tok::Op(o) => format!("'{}'", o.symbol()),
        Tok::Tilde => "'~'".into(),
        Tok::NotTilde => "'!~'".into(),
        Tok::Bang => "'!'".into(),
        Tok::AndAnd => "'&&'".into(),
        Tok::OrOr => "'||'".into(),
        Tok::End => "the end".into(),
    }
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.toks[self.pos]
    }
    fn peek_at(&self, k: usize) -> &Token {
        &self.toks[(self.pos + k).min(self.toks.len() - 1)]
    }
    fn next(&mut self) -> Token {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn error<T>(&self, t: &Token, what: String) -> Result<T, QueryError> {
        Err(err(self.text, t.start, t.end, what))
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut items = vec![self.and()?];
        while is_kw(&self.peek().tok, "or") || self.peek().tok == Tok::OrOr {
            self.next();
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap()
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut items = vec![self.unary()?];
        while is_kw(&self.peek().tok, "and") || self.peek().tok == Tok::AndAnd {
            self.next();
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap()
        } else {
            Expr::And(items)
        })
    }

    /// Counts a run of `not`/`!` without recursing (a link of 100,000 `!` must not
    /// overflow the stack) and folds it: logic is two-valued, so `!!x` is `x`.
    fn unary(&mut self) -> Result<Expr, QueryError> {
        let mut nots = 0usize;
        while is_kw(&self.peek().tok, "not") || self.peek().tok == Tok::Bang {
            self.next();
            nots += 1;
        }
        let e = self.primary()?;
        Ok(if nots % 2 == 1 {
            Expr::Not(Box::new(e))
        } else {
            e
        })
    }

    fn primary(&mut self) -> Result<Expr, QueryError> {
        let t = self.next();
        match &t.tok {
            Tok::LParen => {
                self.depth += 1;
                if self.depth > 200 {
                    return self.error(&t, "parentheses nested too deeply".into());
                }
                let e = self.or()?;
                let close = self.next();
                if close.tok != Tok::RParen {
                    return Err(err(
                        self.text,
                        t.start,
                        t.end,
                        format!(
                            "unclosed '(' (found {} instead of ')')",
                            describe(&close.tok)
                        ),
                    ));
                }
                self.depth -= 1;
                Ok(e)
            }
            Tok::Word(w) => {
                let next = &self.peek().tok;
                let is_pred = matches!(next, Tok::Op(_) | Tok::Tilde | Tok::NotTilde)
                    || ["in", "has", "exists"].iter().any(|k| is_kw(next, k))
                    || (is_kw(next, "not") && is_kw(&self.peek_at(1).tok, "in"));
                if is_pred {
                    return self.predicate(&t, w);
                }
                if KEYWORDS.iter().any(|k| w.eq_ignore_ascii_case(k)) {
                    return self.error(
                        &t,
                        format!("expected a field, a value or '(', found the keyword '{w}'"),
                    );
                }
                if lookup_target_with(w, self.extras).is_some() {
                    return self.error(
                        &t,
                        format!(
                            "expected an operator after '{w}' (=, !=, <, <=, >, >=, in, ~, has, exists)"
                        ),
                    );
                }
                if is_healthcheck_word(w) {
                    return Ok(Expr::Leaf(Leaf::Context(crate::context::Test::HealthCheck)));
                }
                Ok(search(w))
            }
            Tok::Str(s) => Ok(search(s)),
            Tok::End => self.error(&t, "expected a condition, found the end".into()),
            other => self.error(
                &t,
                format!("expected a condition, found {}", describe(other)),
            ),
        }
    }

    fn predicate(&mut self, name_tok: &Token, name: &str) -> Result<Expr, QueryError> {
        if let Some((side, prop)) = context_target(name) {
            return self.context_predicate(name, side, prop);
        }
        let target = match lookup_target_with(name, self.extras) {
            Some(t) => t,
            None => {
                return Err(err_hint(
                    self.text,
                    name_tok.start,
                    name_tok.end,
                    format!("unknown field '{name}'"),
                    did_you_mean(suggest(name, name_candidates())),
                ))
            }
        };
        let op_tok = self.next();
        match op_tok.tok.clone() {
            Tok::Op(op) => {
                let v = self.value()?;
                self.compare(target, name, op, &v)
            }
            Tok::Tilde | Tok::NotTilde => {
                let v = self.value()?;
                let e = self.contains(target, name, &op_tok, &v)?;
                Ok(if op_tok.tok == Tok::NotTilde {
                    Expr::Not(Box::new(e))
                } else {
                    e
                })
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("exists") => Ok(exists(target)),
            Tok::Word(w) if w.eq_ignore_ascii_case("has") => {
                let v = self.value()?;
                self.has(target, name, &op_tok, &v)
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("in") => self.in_list(target, name),
            Tok::Word(w) if w.eq_ignore_ascii_case("not") => {
                self.next(); // `in`, checked by the caller
                Ok(Expr::Not(Box::new(self.in_list(target, name)?)))
            }
            _ => self.error(&op_tok, "expected an operator".into()),
        }
    }

    /// `srcaddr.label ~ web`, `interface.type = elb`, `addr.label in (a, b)`.
    fn context_predicate(
        &mut self,
        name: &str,
        side: crate::context::Side,
        prop: crate::context::Prop,
    ) -> Result<Expr, QueryError> {
        use crate::context::{Prop, Test};
        let op_tok = self.next();
        let (contains, negate, vals) = match op_tok.tok {
            Tok::Op(CmpOp::Eq) => (false, false, vec![self.value()?]),
            Tok::Op(CmpOp::Ne) => (false, true, vec![self.value()?]),
            Tok::Tilde => (true, false, vec![self.value()?]),
            Tok::NotTilde => (true, true, vec![self.value()?]),
            Tok::Word(ref w) if w.eq_ignore_ascii_case("in") => {
                let mut vals = Vec::new();
                let open = self.next();
                if open.tok != Tok::LParen {
                    return self.error(&open, "expected '(' after 'in'".into());
                }
                loop {
                    vals.push(self.value()?);
                    let t = self.next();
                    match t.tok {
                        Tok::Comma => continue,
                        Tok::RParen => break,
                        ref other => {
                            return self.error(
                                &t,
                                format!("expected ',' or ')', found {}", describe(other)),
                            )
                        }
                    }
                }
                (false, false, vals)
            }
            _ => {
                return self.error(
                    &op_tok,
                    format!("{name} takes =, !=, ~, !~ or in (a label is text)"),
                )
            }
        };
        if prop == Prop::Type && !contains {
            for v in &vals {
                let t = v.text.to_ascii_lowercase();
                if !crate::context::KINDS.contains(&t.as_str()) {
                    return Err(err_hint(
                        self.text,
                        v.start,
                        v.end,
                        format!("unknown resource type '{}'", v.text),
                        did_you_mean(suggest(&t, crate::context::KINDS.iter().copied())).or(Some(
                            format!("types are {}", crate::context::KINDS.join(" ")),
                        )),
                    ));
                }
            }
        }
        let e = Expr::Leaf(Leaf::Context(Test::Label {
            side,
            prop,
            contains,
            values: vals.iter().map(|v| v.text.to_lowercase()).collect(),
        }));
        Ok(if negate { Expr::Not(Box::new(e)) } else { e })
    }

    fn value(&mut self) -> Result<Val, QueryError> {
        let t = self.next();
        match t.tok {
            Tok::Word(w) => Ok(Val {
                text: w,
                start: t.start,
                end: t.end,
                quoted: false,
            }),
            Tok::Str(s) => Ok(Val {
                text: s,
                start: t.start,
                end: t.end,
                quoted: true,
            }),
            ref other => self.error(&t, format!("expected a value, found {}", describe(other))),
        }
    }

    fn verr<T>(&self, v: &Val, what: String) -> Result<T, QueryError> {
        Err(err(self.text, v.start, v.end, what))
    }

    fn in_list(&mut self, target: Target, name: &str) -> Result<Expr, QueryError> {
        let mut vals = Vec::new();
        if self.peek().tok == Tok::LParen {
            let open = self.next();
            loop {
                vals.push(self.value()?);
                let t = self.next();
                match t.tok {
                    Tok::Comma => continue,
                    Tok::RParen => break,
                    Tok::End => {
                        return Err(err(self.text, open.start, open.end, "unclosed '('".into()))
                    }
                    ref other => {
                        return self.error(
                            &t,
                            format!("expected ',' or ')', found {}", describe(other)),
                        )
                    }
                }
            }
        } else {
            vals.push(self.value()?);
        }
        self.membership(target, name, &vals)
    }

    // ---------------------------------------------------------------- typed predicates

    /// Parses a numeric value for `src`: an inclusive range.
    fn num_value(&self, target: Target, name: &str, v: &Val) -> Result<(u64, u64), QueryError> {
        let t = v.text.trim();
        let field = match target {
            Target::Field(f) => Some(f),
            Target::Port => Some(Field::DstPort),
            _ => None,
        };
        let kind = field.map(Field::kind);
        let r = match (target, kind) {
            (Target::Duration, _) => parse_duration(t)
                .or_else(|| (t == "0").then_some(0))
                .map(|d| (d, d)),
            (Target::Time, _) | (_, Some(Kind::Time)) => {
                parse_time_ms(t).map(|(a, b)| (a / 1000, b / 1000))
            }
            (_, Some(Kind::EventTime)) => parse_time_ms(t),
            _ => {
                let f = field.unwrap();
                let parsed = match f {
                    Field::Bytes => parse_size(t),
                    _ => t.parse::<u64>().ok(),
                };
                let parsed = parsed.or_else(|| match f {
                    Field::Protocol => vocab::protocol_from_name(t).map(u64::from),
                    Field::TcpFlags => vocab::tcp_flag_from_name(t).map(u64::from),
                    _ => None,
                });
                match parsed {
                    Some(n) => {
                        let max = match f.kind() {
                            Kind::UInt { max } => max,
                            _ => u64::MAX,
                        };
                        if n > max {
                            return self
                                .verr(v, format!("{n} is out of range for {name} (0–{max})"));
                        }
                        Some((n, n))
                    }
                    None => {
                        return match f {
                            Field::Protocol => Err(err_hint(
                                self.text,
                                v.start,
                                v.end,
                                format!("unknown protocol '{t}'"),
                                did_you_mean(suggest(t, protocol_names())).or(Some(
                                    "give a name (tcp, udp, icmp, ipv6-icmp…) or a number".into(),
                                )),
                            )),
                            Field::TcpFlags => Err(err_hint(
                                self.text,
                                v.start,
                                v.end,
                                format!("unknown TCP flag '{t}'"),
                                did_you_mean(suggest(t, vocab::tcp_flag_words()))
                                    .or(Some("flags are FIN SYN RST PSH ACK URG".into())),
                            )),
                            Field::Bytes => self.verr(
                                v,
                                format!("'{t}' is not a byte count (like 1500, 10KiB or 1.5MB)"),
                            ),
                            _ => self.verr(v, format!("'{t}' is not a number ({name})")),
                        };
                    }
                }
            }
        };
        match r {
            Some(r) => Ok(r),
            None => match target {
                Target::Duration => {
                    self.verr(v, format!("'{t}' is not a duration (like 300, 30s, 5m, 1h)"))
                }
                _ => self.verr(
                    v,
                    format!(
                        "'{t}' is not a time (ISO-8601 like 2025-11-26T10:00:00Z or 2025-11-26, or unix seconds)"
                    ),
                ),
            },
        }
    }

    /// A numeric range value `a..b` (either side may be open) or a single value.
    fn num_range(&self, target: Target, name: &str, v: &Val) -> Result<(u64, u64), QueryError> {
        if let Some((a, b)) = v.text.split_once("..") {
            let part = |s: &str, off: usize| Val {
                text: s.to_string(),
                start: v.start + off,
                end: v.start + off + s.len(),
                quoted: v.quoted,
            };
            let lo = if a.is_empty() {
                0
            } else {
                self.num_value(target, name, &part(a, 0))?.0
            };
            let hi = if b.is_empty() {
                u64::MAX
            } else {
                self.num_value(target, name, &part(b, a.len() + 2))?.1
            };
            if lo > hi {
                return self.verr(v, format!("the range '{}' is empty", v.text));
            }
            return Ok((lo, hi));
        }
        self.num_value(target, name, v)
    }

    fn compare(&self, target: Target, name: &str, op: CmpOp, v: &Val) -> Result<Expr, QueryError> {
        match target {
            Target::Addr => {
                let e = |f| self.compare(Target::Field(f), name, op, v);
                let (a, b) = (e(Field::SrcAddr)?, e(Field::DstAddr)?);
                Ok(pair(op == CmpOp::Ne, a, b))
            }
            Target::Port => {
                let e = |f| self.compare(Target::Field(f), name, op, v);
                let (a, b) = (e(Field::SrcPort)?, e(Field::DstPort)?);
                Ok(pair(op == CmpOp::Ne, a, b))
            }
            Target::Time => {
                let (lo, hi) = self.num_value(target, name, v)?;
                Ok(time_cmp(op, lo, hi))
            }
            Target::Duration => {
                let (lo, hi) = self.num_value(target, name, v)?;
                Ok(Expr::Leaf(Leaf::Cmp {
                    src: NumSrc::Duration,
                    op,
                    lo,
                    hi,
                }))
            }
            Target::Field(f) => match f.kind() {
                Kind::UInt { .. } | Kind::Time | Kind::EventTime => {
                    let (lo, hi) = self.num_value(target, name, v)?;
                    Ok(Expr::Leaf(Leaf::Cmp {
                        src: NumSrc::Field(f),
                        op,
                        lo,
                        hi,
                    }))
                }
                Kind::Addr => {
                    if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                        return self.verr(
                            v,
                            format!(
                                "'{}' does not apply to addresses ({name}); use =, != or in CIDR",
                                op.symbol()
                            ),
                        );
                    }
                    let net = parse_net(v.text.trim()).or_else(|e| self.verr(v, e))?;
                    Ok(Expr::Leaf(Leaf::Net {
                        field: f,
                        nets: vec![net],
                        negate: op == CmpOp::Ne,
                    }))
                }
                _ => {
                    if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                        return self.verr(
                            v,
                            format!(
                                "'{}' does not apply to text ({name}); use =, !=, in or ~",
                                op.symbol()
                            ),
                        );
                    }
                    let text = self.text_value(f, v)?;
                    Ok(Expr::Leaf(Leaf::Text {
                        field: f,
                        values: vec![text],
                        negate: op == CmpOp::Ne,
                    }))
                }
            },
        }
    }

    fn text_value(&self, f: Field, v: &Val) -> Result<String, QueryError> {
        if let Some(c) = canonical_text(f, &v.text) {
            return Ok(c.to_string());
        }
        match f {
            Field::Action => Err(err_hint(
                self.text,
                v.start,
                v.end,
                format!("unknown action '{}'", v.text),
                did_you_mean(suggest(&v.text, vocab::words(vocab::ACTIONS))),
            )),
            Field::LogStatus => Err(err_hint(
                self.text,
                v.start,
                v.end,
                format!("unknown log status '{}'", v.text),
                did_you_mean(suggest(&v.text, vocab::words(vocab::LOG_STATUSES))),
            )),
            _ if v.text.is_empty() || v.text == "-" => self.verr(
                v,
                format!(
                    "'{}' never matches; to test for null use 'not {f} exists'",
                    v.text
                ),
            ),
            _ => Ok(v.text.clone()),
        }
    }

    fn contains(
        &self,
        target: Target,
        name: &str,
        op: &Token,
        v: &Val,
    ) -> Result<Expr, QueryError> {
        let needle = v.text.to_lowercase();
        let leaf = |f| {
            Expr::Leaf(Leaf::Contains {
                field: f,
                needle: needle.clone(),
            })
        };
        match target {
            Target::Addr => Ok(Expr::Or(vec![leaf(Field::SrcAddr), leaf(Field::DstAddr)])),
            Target::Field(f) if !f.kind().is_numeric() => Ok(leaf(f)),
            _ => self.error(
                op,
                format!("'~' applies to text and address fields; '{name}' is a number"),
            ),
        }
    }

    fn has(&self, target: Target, name: &str, op: &Token, v: &Val) -> Result<Expr, QueryError> {
        match target {
            Target::Field(f) if matches!(f.kind(), Kind::UInt { .. }) => {
                let (mask, _) = self.num_value(target, name, v)?;
                Ok(Expr::Leaf(Leaf::Bits { field: f, mask }))
            }
            _ => self.error(
                op,
                format!(
                    "'has' tests bits of an integer field (tcp-flags has SYN); '{name}' is not one"
                ),
            ),
        }
    }

    fn membership(&self, target: Target, name: &str, vals: &[Val]) -> Result<Expr, QueryError> {
        match target {
            Target::Addr | Target::Port => {
                let (a, b) = if target == Target::Addr {
                    (Field::SrcAddr, Field::DstAddr)
                } else {
                    (Field::SrcPort, Field::DstPort)
                };
                Ok(Expr::Or(vec![
                    self.membership(Target::Field(a), name, vals)?,
                    self.membership(Target::Field(b), name, vals)?,
                ]))
            }
            Target::Time => {
                let mut alts = Vec::new();
                for v in vals {
                    let (lo, hi) = self.num_range(target, name, v)?;
                    alts.push(time_cmp(CmpOp::Eq, lo, hi));
                }
                Ok(if alts.len() == 1 {
                    alts.pop().unwrap()
                } else {
                    Expr::Or(alts)
                })
            }
            Target::Duration => Ok(Expr::Leaf(Leaf::NumIn {
                src: NumSrc::Duration,
                ranges: vals
                    .iter()
                    .map(|v| self.num_range(target, name, v))
                    .collect::<Result<_, _>>()?,
            })),
            Target::Field(f) => match f.kind() {
                Kind::UInt { .. } | Kind::Time | Kind::EventTime => Ok(Expr::Leaf(Leaf::NumIn {
                    src: NumSrc::Field(f),
                    ranges: vals
                        .iter()
                        .map(|v| self.num_range(target, name, v))
                        .collect::<Result<_, _>>()?,
                })),
                Kind::Addr => Ok(Expr::Leaf(Leaf::Net {
                    field: f,
                    nets: vals
                        .iter()
                        .map(|v| parse_net(v.text.trim()).or_else(|e| self.verr(v, e)))
                        .collect::<Result<_, _>>()?,
                    negate: false,
                })),
                _ => Ok(Expr::Leaf(Leaf::Text {
                    field: f,
                    values: vals
                        .iter()
                        .map(|v| self.text_value(f, v))
                        .collect::<Result<_, _>>()?,
                    negate: false,
                })),
            },
        }
    }
}

/// `addr`/`port` expansion: either side for positive tests, both sides for `!=`.
fn pair(both: bool, a: Expr, b: Expr) -> Expr {
    if both {
        Expr::And(vec![a, b])
    } else {
        Expr::Or(vec![a, b])
    }
}

fn exists(target: Target) -> Expr {
    let e = |f| Expr::Leaf(Leaf::Exists { field: f });
    match target {
        Target::Field(f) => e(f),
        Target::Addr => Expr::Or(vec![e(Field::SrcAddr), e(Field::DstAddr)]),
        Target::Port => Expr::Or(vec![e(Field::SrcPort), e(Field::DstPort)]),
        Target::Time | Target::Duration => Expr::And(vec![e(Field::Start), e(Field::End)]),
    }
}

fn search(word: &str) -> Expr {
    Expr::Leaf(Leaf::Search {
        needle: word.to_lowercase(),
    })
}

fn start_end(op_s: CmpOp, s: u64, op_e: CmpOp, e: u64) -> (Expr, Expr) {
    let leaf = |f, op, v| {
        Expr::Leaf(Leaf::Cmp {
            src: NumSrc::Field(f),
            op,
            lo: v,
            hi: v,
        })
    };
    (leaf(Field::Start, op_s, s), leaf(Field::End, op_e, e))
}

/// The `time` pseudo-field: the flow interval [start, end] against the value's range
/// [lo, hi] (seconds). `=` overlaps, `!=` does not overlap (both times present), `>=`
/// some of the flow is at or after lo, `>` after hi, `<=` at or before hi, `<` before lo.
fn time_cmp(op: CmpOp, lo: u64, hi: u64) -> Expr {
    let leaf = |f, op, v| {
        Expr::Leaf(Leaf::Cmp {
            src: NumSrc::Field(f),
            op,
            lo: v,
            hi: v,
        })
    };
    match op {
        CmpOp::Eq => {
            let (a, b) = start_end(CmpOp::Le, hi, CmpOp::Ge, lo);
            Expr::And(vec![a, b])
        }
        CmpOp::Ne => {
            let (a, b) = start_end(CmpOp::Gt, hi, CmpOp::Lt, lo);
            Expr::And(vec![
                Expr::Or(vec![a, b]),
                Expr::Leaf(Leaf::Exists {
                    field: Field::Start,
                }),
                Expr::Leaf(Leaf::Exists { field: Field::End }),
            ])
        }
        CmpOp::Ge => leaf(Field::End, CmpOp::Ge, lo),
        CmpOp::Gt => leaf(Field::End, CmpOp::Gt, hi),
        CmpOp::Le => leaf(Field::Start, CmpOp::Le, hi),
        CmpOp::Lt => leaf(Field::Start, CmpOp::Lt, lo),
    }
}

fn protocol_names() -> impl Iterator<Item = &'static str> {
    (0..=255u8).filter_map(vocab::protocol_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_are_close() {
        assert_eq!(suggest("dstprt", name_candidates()), Some("dstport"));
        assert_eq!(suggest("log_stat", name_candidates()), Some("log-status"));
        assert_eq!(suggest("zzzzzz", name_candidates()), None);
        assert_eq!(suggest("tpc", protocol_names()), Some("TCP"));
    }

    #[test]
    fn positions_are_line_and_column() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("é x", 3), (1, 3));
    }
}
