//! The filter expression the parser builds: resolved against the field catalogue, so it is
//! ready to evaluate (see [`super::eval`]) or translate (see [`super::translate`])
//! without consulting the text.

use crate::fields::Field;
use std::net::IpAddr;

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
    /// An IPv4 network.
    V4 {
        /// The network address, host bits zero.
        base: u32,
        /// The prefix length (0–32).
        prefix: u8,
    },
    /// An IPv6 network.
    V6 {
        /// The network address, host bits zero.
        base: u128,
        /// The prefix length (0–128).
        prefix: u8,
    },
}

impl Net {
    /// The netmask of an IPv4 prefix length.
    pub fn mask4(prefix: u8) -> u32 {
        if prefix == 0 {
            0
        } else {
            u32::MAX << (32 - prefix as u32)
        }
    }
    /// The netmask of an IPv6 prefix length.
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
    // the shared sort: a list as long as a query, parsed once
    crate::sorting::sort(&mut ranges);
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
