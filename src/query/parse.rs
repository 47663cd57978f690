//! The filter language: lexer, parser and value forms. The parser resolves names and values
//! against the field catalogue, so the expression it builds is ready to evaluate (see
//! [`super::eval`]) or translate (see [`super::translate`]) without consulting the text.

use super::QueryError;
use crate::fields::{Field, Kind, FIELDS};
use crate::output::days_from_civil;
use crate::vocab;
use std::net::IpAddr;

// ------------------------------------------------------------------------ expression

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

/// What a numeric leaf reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumSrc {
    /// An integer field, `start`/`end` (whole seconds) or `@timestamp` (milliseconds).
    Field(Field),
    /// `end − start` in seconds (0 when end < start); null when either is null.
    Duration,
}

/// An IPv4 or IPv6 network (an address is a network of full length).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Net {
    V4 { base: u32, prefix: u8 },
    V6 { base: u128, prefix: u8 },
}

impl Net {
    pub fn mask4(prefix: u8) -> u32 {
        if prefix == 0 {
            0
        } else {
            u32::MAX << (32 - prefix as u32)
        }
    }
    pub fn mask6(prefix: u8) -> u128 {
        if prefix == 0 {
            0
        } else {
            u128::MAX << (128 - prefix as u32)
        }
    }
    /// Whether the network holds the address. An IPv4-mapped IPv6 address
    /// (`::ffff:a.b.c.d`) is its IPv4 address, as in Trino (Athena), which stores every
    /// IPv4 address that way: it is in IPv4 networks and in no IPv6 network.
    pub fn contains(&self, a: IpAddr) -> bool {
        let a = match a {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(a, IpAddr::V4),
            a => a,
        };
        match (*self, a) {
            (Net::V4 { base, prefix }, IpAddr::V4(a)) => u32::from(a) & Net::mask4(prefix) == base,
            (Net::V6 { base, prefix }, IpAddr::V6(a)) => u128::from(a) & Net::mask6(prefix) == base,
            _ => false,
        }
    }
}

impl std::fmt::Display for Net {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Net::V4 { base, prefix: 32 } => write!(f, "{}", std::net::Ipv4Addr::from(base)),
            Net::V4 { base, prefix } => write!(f, "{}/{prefix}", std::net::Ipv4Addr::from(base)),
            Net::V6 { base, prefix: 128 } => write!(f, "{}", std::net::Ipv6Addr::from(base)),
            Net::V6 { base, prefix } => write!(f, "{}/{prefix}", std::net::Ipv6Addr::from(base)),
        }
    }
}

/// A leaf test. Every test but `Exists` and `Search` is false on a null value.
#[derive(Clone, Debug, PartialEq)]
pub enum Leaf {
    /// `src op value`, where the value is an inclusive range `lo..=hi` (a single number,
    /// or a time given to the day or minute): `=` inside, `!=` outside, `<` below `lo`,
    /// `<=` up to `hi`, `>` above `hi`, `>=` from `lo`.
    Cmp {
        src: NumSrc,
        op: CmpOp,
        lo: u64,
        hi: u64,
    },
    /// `src in (…)` / `src in a..b`: inside any of the inclusive ranges.
    NumIn {
        src: NumSrc,
        ranges: Vec<(u64, u64)>,
    },
    /// `field has FLAG`: every bit of the mask set.
    Bits { field: Field, mask: u64 },
    /// Address in (or, negated, not in) any of the networks.
    Net {
        field: Field,
        nets: Vec<Net>,
        negate: bool,
    },
    /// Text equal to (or, negated, different from) one of the values, exactly.
    Text {
        field: Field,
        values: Vec<String>,
        negate: bool,
    },
    /// Text or address containing the (lower-cased) needle, case-insensitively.
    Contains { field: Field, needle: String },
    /// The field is not null.
    Exists { field: Field },
    /// Any text or address field contains the (lower-cased) needle.
    Search { needle: String },
    /// A term the labels and health-check verdicts answer (see [`crate::context`]).
    Context(crate::context::Test),
}

impl Leaf {
    /// The accepted inclusive ranges of a numeric leaf.
    pub fn ranges(&self) -> Vec<(u64, u64)> {
        match self {
            Leaf::Cmp { op, lo, hi, .. } => cmp_ranges(*op, *lo, *hi),
            Leaf::NumIn { ranges, .. } => merge_ranges(ranges.clone()),
            _ => Vec::new(),
        }
    }

    /// The catalogue fields this test reads (`duration` reads `start` and `end`).
    pub fn fields(&self, out: &mut Vec<Field>) {
        match self {
            Leaf::Cmp { src, .. } | Leaf::NumIn { src, .. } => match src {
                NumSrc::Field(f) => out.push(*f),
                NumSrc::Duration => out.extend([Field::Start, Field::End]),
            },
            Leaf::Bits { field, .. }
            | Leaf::Net { field, .. }
            | Leaf::Text { field, .. }
            | Leaf::Contains { field, .. }
            | Leaf::Exists { field } => out.push(*field),
            // Searches and context tests (labels, health checks) name no catalogue field.
            Leaf::Search { .. } | Leaf::Context(_) => {}
        }
    }
}

/// Sorts inclusive ranges and merges overlapping or adjacent ones, so that a test of a
/// value costs a binary search however long the attacker's `in (…)` list is.
pub fn merge_ranges(mut ranges: Vec<(u64, u64)>) -> Vec<(u64, u64)> {
    ranges.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::with_capacity(ranges.len());
    for (lo, hi) in ranges {
        match out.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

fn cmp_ranges(op: CmpOp, lo: u64, hi: u64) -> Vec<(u64, u64)> {
    let mut v = Vec::new();
    match op {
        CmpOp::Eq => v.push((lo, hi)),
        CmpOp::Ne => {
            if lo > 0 {
                v.push((0, lo - 1));
            }
            if hi < u64::MAX {
                v.push((hi + 1, u64::MAX));
            }
        }
        CmpOp::Lt if lo > 0 => v.push((0, lo - 1)),
        CmpOp::Le => v.push((0, hi)),
        CmpOp::Gt if hi < u64::MAX => v.push((hi + 1, u64::MAX)),
        CmpOp::Ge => v.push((lo, u64::MAX)),
        _ => {}
    }
    v
}

/// A compiled filter expression over catalogue fields (pseudo-fields are expanded).
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    /// Matches every row (the empty filter).
    All,
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Leaf(Leaf),
}

// ------------------------------------------------------------------------ lexer

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    /// An unquoted word: field names, keywords, values.
    Word(String),
    /// A quoted string (unescaped).
    Str(String),
    LParen,
    RParen,
    Comma,
    Op(CmpOp),
    Tilde,
    NotTilde,
    Bang,
    AndAnd,
    OrOr,
    End,
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

fn is_word_char(c: char) -> bool {
    !(c.is_whitespace() || "(),=!<>~\"'".contains(c))
}

fn lex(text: &str) -> Result<Vec<Token>, QueryError> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap();
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let two = b.get(i + 1).copied().unwrap_or(0);
        let (tok, len) = match c {
            '(' => (Tok::LParen, 1),
            ')' => (Tok::RParen, 1),
            ',' => (Tok::Comma, 1),
            '=' if two == b'=' => (Tok::Op(CmpOp::Eq), 2),
            '=' => (Tok::Op(CmpOp::Eq), 1),
            '!' if two == b'=' => (Tok::Op(CmpOp::Ne), 2),
            '!' if two == b'~' => (Tok::NotTilde, 2),
            '!' => (Tok::Bang, 1),
            '<' if two == b'=' => (Tok::Op(CmpOp::Le), 2),
            '<' if two == b'>' => (Tok::Op(CmpOp::Ne), 2),
            '<' => (Tok::Op(CmpOp::Lt), 1),
            '>' if two == b'=' => (Tok::Op(CmpOp::Ge), 2),
            '>' => (Tok::Op(CmpOp::Gt), 1),
            '~' => (Tok::Tilde, 1),
            '&' if two == b'&' => (Tok::AndAnd, 2),
            '|' if two == b'|' => (Tok::OrOr, 2),
            '"' | '\'' => {
                let mut s = String::new();
                let mut j = i + 1;
                let mut closed = false;
                while j < text.len() {
                    let d = text[j..].chars().next().unwrap();
                    j += d.len_utf8();
                    if d == c {
                        closed = true;
                        break;
                    }
                    if d == '\\' && j < text.len() {
                        let e = text[j..].chars().next().unwrap();
                        j += e.len_utf8();
                        s.push(e);
                    } else {
                        s.push(d);
                    }
                }
                if !closed {
                    return Err(err(text, start, text.len(), "unterminated string".into()));
                }
                (Tok::Str(s), j - i)
            }
            _ => {
                let mut j = i;
                while j < text.len() {
                    let d = text[j..].chars().next().unwrap();
                    if !is_word_char(d) {
                        break;
                    }
                    j += d.len_utf8();
                }
                (Tok::Word(text[i..j].to_string()), j - i)
            }
        };
        out.push(Token {
            tok,
            start,
            end: start + len,
        });
        i = start + len;
    }
    out.push(Token {
        tok: Tok::End,
        start: text.len(),
        end: text.len(),
    });
    Ok(out)
}

// ------------------------------------------------------------------------ errors

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, col)
}

/// An error at `start..end`: `what` becomes "`what` at L:C", then the suggestion if any.
fn err(text: &str, start: usize, end: usize, what: String) -> QueryError {
    err_hint(text, start, end, what, None)
}

fn err_hint(
    text: &str,
    start: usize,
    end: usize,
    what: String,
    hint: Option<String>,
) -> QueryError {
    let (l, c) = line_col(text, start);
    let mut message = format!("{what} at {l}:{c}");
    if let Some(h) = hint {
        message.push_str(" — ");
        message.push_str(&h);
    }
    QueryError {
        message,
        start,
        end,
    }
}

/// Edit distance with adjacent transpositions (optimal string alignment).
fn edit_distance(a: &str, b: &str) -> usize {
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

fn did_you_mean(s: Option<&str>) -> Option<String> {
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

// ------------------------------------------------------------------------ values

/// Parses unix seconds or ISO-8601 into an inclusive millisecond range: a date is its
/// whole day, a minute its 60 seconds, a second its 1000 ms; 13-digit numbers are
/// milliseconds. Times without a zone are UTC.
pub fn parse_time_ms(s: &str) -> Option<(u64, u64)> {
    if !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()) {
        let n: u64 = s.parse().ok()?;
        return Some(if s.len() >= 13 {
            (n, n)
        } else {
            let ms = n.checked_mul(1000)?;
            (ms, ms + 999)
        });
    }
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let t = s.get(r)?;
        if t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().ok()
        } else {
            None
        }
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) {
        return None;
    }
    let days = days_from_civil(y as i64, mo, d);
    if days < 0 {
        return None;
    }
    let day_ms = days as u64 * 86_400_000;
    if b.len() == 10 {
        return Some((day_ms, day_ms + 86_399_999));
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let rest = &s[11..];
    // split off the zone
    let (clock, zone_secs): (&str, i64) = if let Some(c) = rest.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else if let Some(p) = rest.rfind(['+', '-']) {
        let z = &rest[p + 1..];
        let zd: String = z.chars().filter(|c| *c != ':').collect();
        if zd.len() != 4 || !zd.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let zs = zd[..2].parse::<i64>().ok()? * 3600 + zd[2..].parse::<i64>().ok()? * 60;
        (&rest[..p], if &rest[p..p + 1] == "+" { zs } else { -zs })
    } else {
        (rest, 0)
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let field = |t: &str, max: u32| -> Option<u32> {
        if t.len() == 2 && t.bytes().all(|c| c.is_ascii_digit()) {
            t.parse().ok().filter(|v| *v <= max)
        } else {
            None
        }
    };
    let (h, mi, sec, frac, span) = match parts.as_slice() {
        [h, m] => (field(h, 23)?, field(m, 59)?, 0, 0, 60_000),
        [h, m, sec] => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            if !frac.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let ms = format!("{frac:0<3}")[..3].parse::<u64>().unwrap_or(0);
            (field(h, 23)?, field(m, 59)?, field(whole, 60)?, ms, 1000)
        }
        _ => return None,
    };
    let secs = days * 86_400 + (h * 3600 + mi * 60 + sec) as i64 - zone_secs;
    if secs < 0 {
        return None;
    }
    let lo = secs as u64 * 1000 + frac;
    Some(if frac != 0 {
        (lo, lo)
    } else {
        (lo, lo + span - 1)
    })
}

/// Parses a duration: `300` (seconds), `30s`, `5m`, `1h`, `1d`, `1w`; None for zero or
/// malformed text.
pub fn parse_duration(text: &str) -> Option<u64> {
    let t = text.trim().to_ascii_lowercase();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let n: u64 = t[..digits].parse().ok()?;
    let mult = match t[digits..].trim() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hr" | "hour" | "hours" => 3600,
        "d" | "day" | "days" => 86_400,
        "w" | "week" | "weeks" => 604_800,
        _ => return None,
    };
    n.checked_mul(mult).filter(|v| *v > 0)
}

/// Parses a byte size: `1500`, `10KiB`, `1.5MB`, `2G` (decimal units are powers of 1000,
/// `…iB` powers of 1024).
pub fn parse_size(text: &str) -> Option<u64> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    if num.is_empty() || num.starts_with('.') {
        return None;
    }
    let mult: f64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "t" | "tb" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024f64.powi(2),
        "gib" => 1024f64.powi(3),
        "tib" => 1024f64.powi(4),
        _ => return None,
    };
    if unit.is_empty() && !num.contains('.') {
        return num.parse().ok();
    }
    let v = num.parse::<f64>().ok()? * mult;
    (v.is_finite() && (0.0..1.8e19).contains(&v)).then(|| v.round() as u64)
}

/// Parses an address or CIDR network (host bits must be zero).
pub fn parse_net(s: &str) -> Result<Net, String> {
    let (addr, prefix) = match s.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (s, None),
    };
    let ip: IpAddr = addr
        .parse()
        .map_err(|_| format!("'{s}' is not an IP address or CIDR"))?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        None => max,
        Some(p) => match p.parse::<u8>() {
            Ok(p) if p <= max => p,
            _ => return Err(format!("'{s}': the prefix length must be 0–{max}")),
        },
    };
    Ok(match ip {
        IpAddr::V4(a) => {
            let a = u32::from(a);
            let m = Net::mask4(prefix);
            if a & !m != 0 {
                return Err(format!(
                    "'{s}' has host bits set; the network is {}/{prefix}",
                    std::net::Ipv4Addr::from(a & m)
                ));
            }
            Net::V4 { base: a, prefix }
        }
        // `::ffff:a.b.c.d/p` (p ≥ 96) is the IPv4 network a.b.c.d/(p − 96): see `contains`
        IpAddr::V6(a) if a.to_ipv4_mapped().is_some() && prefix >= 96 => {
            let v4 = u32::from(a.to_ipv4_mapped().unwrap());
            let prefix = prefix - 96;
            let m = Net::mask4(prefix);
            if v4 & !m != 0 {
                return Err(format!(
                    "'{s}' has host bits set; the network is ::ffff:{}/{}",
                    std::net::Ipv4Addr::from(v4 & m),
                    prefix + 96
                ));
            }
            Net::V4 { base: v4, prefix }
        }
        IpAddr::V6(a) => {
            let a = u128::from(a);
            let m = Net::mask6(prefix);
            if a & !m != 0 {
                return Err(format!(
                    "'{s}' has host bits set; the network is {}/{prefix}",
                    std::net::Ipv6Addr::from(a & m)
                ));
            }
            Net::V6 { base: a, prefix }
        }
    })
}

/// Canonical spellings of the fixed AWS vocabularies, for case-insensitive input.
fn canonical_text(field: Field, v: &str) -> Option<&'static str> {
    crate::catalogue::vocabulary(field)?
        .iter()
        .copied()
        .find(|s| s.eq_ignore_ascii_case(v))
}

// ------------------------------------------------------------------------ parser

struct Parser<'a> {
    text: &'a str,
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

/// Parses filter text into an expression. Empty text is [`Expr::All`].
pub fn parse(text: &str) -> Result<Expr, QueryError> {
    let toks = lex(text)?;
    if toks.len() == 1 {
        return Ok(Expr::All);
    }
    let mut p = Parser {
        text,
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
                if lookup_target(w).is_some() {
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
        let target = match lookup_target(name) {
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
                                did_you_mean(suggest(t, FLAG_NAMES.iter().copied()))
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
                did_you_mean(suggest(&v.text, ["ACCEPT", "REJECT"])),
            )),
            Field::LogStatus => Err(err_hint(
                self.text,
                v.start,
                v.end,
                format!("unknown log status '{}'", v.text),
                did_you_mean(suggest(&v.text, ["OK", "NODATA", "SKIPDATA"])),
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

const FLAG_NAMES: &[&str] = &[
    "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "SYN-ACK",
];

fn protocol_names() -> impl Iterator<Item = &'static str> {
    (0..=255u8).filter_map(vocab::protocol_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_parse_to_ranges() {
        let day = 1_764_115_200_000; // 2025-11-26T00:00:00Z
        assert_eq!(parse_time_ms("2025-11-26"), Some((day, day + 86_399_999)));
        assert_eq!(
            parse_time_ms("2025-11-26T10:00:00Z"),
            Some((day + 36_000_000, day + 36_000_999))
        );
        assert_eq!(
            parse_time_ms("2025-11-26T10:00"),
            Some((day + 36_000_000, day + 36_059_999))
        );
        assert_eq!(
            parse_time_ms("2025-11-26T11:00:00+01:00"),
            Some((day + 36_000_000, day + 36_000_999))
        );
        assert_eq!(parse_time_ms("1764115200"), Some((day, day + 999)));
        assert_eq!(parse_time_ms("1764115200123"), Some((day + 123, day + 123)));
        assert_eq!(parse_time_ms("2025-13-01"), None);
        assert_eq!(parse_time_ms("yesterday"), None);
    }

    #[test]
    fn sizes_and_durations() {
        assert_eq!(parse_size("1.5MB"), Some(1_500_000));
        assert_eq!(parse_size("10KiB"), Some(10_240));
        assert_eq!(parse_size("1500"), Some(1500));
        assert_eq!(parse_size("2gib"), Some(2 << 30));
        assert_eq!(parse_size("1.5XB"), None);
        assert_eq!(parse_duration("5m"), Some(300));
        assert_eq!(parse_duration("1h"), Some(3600));
        assert_eq!(parse_duration("30s"), Some(30));
        assert_eq!(parse_duration("1d"), Some(86_400));
        assert_eq!(parse_duration("300"), Some(300));
        assert_eq!(parse_duration("0"), None);
        assert_eq!(parse_duration("5x"), None);
    }

    #[test]
    fn nets_parse_and_check_host_bits() {
        assert_eq!(
            parse_net("10.0.0.0/8"),
            Ok(Net::V4 {
                base: 10 << 24,
                prefix: 8
            })
        );
        assert!(parse_net("10.0.0.1/8").unwrap_err().contains("10.0.0.0/8"));
        assert!(parse_net("2600:1f18::/32").is_ok());
        assert!(parse_net("10.0.0.0/33").is_err());
        assert!(parse_net("10.0.0").is_err());
        // IPv4-mapped IPv6 is IPv4
        let v4 = |s| parse_net(s).unwrap();
        assert_eq!(v4("::ffff:10.0.35.131"), v4("10.0.35.131"));
        assert_eq!(v4("::ffff:0:0/96"), v4("0.0.0.0/0"));
        assert_eq!(v4("::ffff:10.0.0.0/104"), v4("10.0.0.0/8"));
        assert_eq!(v4("::FFFF:a00:0/104"), v4("10.0.0.0/8"));
        assert!(parse_net("::ffff:10.0.0.1/104")
            .unwrap_err()
            .contains("::ffff:10.0.0.0/104"));
        let mapped: IpAddr = "::ffff:10.1.2.3".parse().unwrap();
        assert!(v4("10.0.0.0/8").contains(mapped));
        assert!(!v4("::/0").contains(mapped));
        assert!(v4("::/0").contains("2600::1".parse().unwrap()));
    }

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
