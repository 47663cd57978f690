//! Redaction before sharing: account IDs masked, public addresses replaced by stable
//! pseudonyms from the documentation ranges, tag fields dropped. One [`Redactor`] is used
//! for a whole report, so a value gets the same replacement wherever it appears — in the
//! records, the file names, the filter, the title and the note — and a filter such as
//! `srcaddr = 52.94.1.7` still selects the same rows once rewritten.
//!
//! What counts as public is [`vocab::address_scope`]'s "public", except the reserved
//! pseudonym pools themselves (documentation and benchmarking ranges), which are not
//! anybody's address and are kept as they are: a pseudonym is never handed out when the
//! same address also appears, unredacted, in the data (see [`Redactor::reserve`]).

use crate::fields::{Field, Kind};
use crate::table::{write_plain, Value};
use crate::vocab;
use rustc_hash::{FxHashMap, FxHashSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// How account IDs are masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountMask {
    /// Left as they are.
    #[default]
    Keep,
    /// `xxxxxxxx9012`: the last 4 digits kept (two accounts with the same last digits
    /// look alike; a bare word, so it still works in a filter).
    Last4,
    /// `acct-0001`, `acct-0002`… in order of first appearance: stable within a report.
    Pseudonym,
}

/// What to redact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct RedactOptions {
    /// Which account IDs to replace.
    pub accounts: AccountMask,
    /// Replace public IPv4/IPv6 addresses by pseudonyms; private ones are kept.
    pub ips: bool,
    /// Drop the tag fields (`instance-tag`, `interface-tag`, `asg-tag`…).
    pub tags: bool,
}

impl RedactOptions {
    /// Everything, with account IDs keeping their last 4 digits.
    pub const ALL: RedactOptions = RedactOptions {
        accounts: AccountMask::Last4,
        ips: true,
        tags: true,
    };

    /// Whether nothing is redacted.
    pub fn is_none(&self) -> bool {
        self.accounts == AccountMask::Keep && !self.ips && !self.tags
    }

    /// The CLI's `--redact` list: `all`, or any of `accounts` (= `accounts=last4`),
    /// `accounts=pseudonym`, `ips`, `tags`, separated by commas; `none` for nothing.
    pub fn parse(spec: &str) -> Result<RedactOptions, String> {
        let mut o = RedactOptions::default();
        for part in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            match part {
                "all" => o = RedactOptions::ALL,
                "none" => o = RedactOptions::default(),
                "accounts" | "accounts=last4" | "account-ids" => o.accounts = AccountMask::Last4,
                "accounts=pseudonym" | "accounts=pseudonyms" => o.accounts = AccountMask::Pseudonym,
                "ips" | "addresses" | "public-ips" => o.ips = true,
                "tags" => o.tags = true,
                other => {
                    return Err(format!(
                    "unknown redaction '{other}': use all, accounts, accounts=pseudonym, ips, tags"
                ))
                }
            }
        }
        Ok(o)
    }

    /// A sentence for the report banner, empty when nothing is redacted.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        match self.accounts {
            AccountMask::Keep => {}
            AccountMask::Last4 => parts.push("account IDs masked (last 4 digits kept)"),
            AccountMask::Pseudonym => parts.push("account IDs replaced by pseudonyms"),
        }
        if self.ips {
            parts.push(
                "public addresses replaced by documentation-range pseudonyms (private ones kept)",
            );
        }
        if self.tags {
            parts.push("tag fields dropped");
        }
        parts.join("; ")
    }
}

/// Whether `f` holds an AWS account ID.
pub fn is_account_field(f: Field) -> bool {
    matches!(
        f,
        Field::AccountId | Field::TgwSrcVpcAccountId | Field::TgwDstVpcAccountId
    )
}

/// IPv4 pseudonym pools, in the order they are used: the three documentation /24s
/// (RFC 5737), then the benchmarking 198.18.0.0/15 (RFC 2544) once those 762 are used.
const V4_POOLS: [(u32, u32); 4] = [
    (0xCB00_7100, 24), // 203.0.113.0/24
    (0xC633_6400, 24), // 198.51.100.0/24
    (0xC000_0200, 24), // 192.0.2.0/24
    (0xC612_0000, 15), // 198.18.0.0/15
];

fn in_v4_pool(ip: Ipv4Addr) -> bool {
    let n = u32::from(ip);
    V4_POOLS
        .iter()
        .any(|&(net, len)| n >> (32 - len) == net >> (32 - len))
}

/// 2001:db8::/32 (RFC 3849).
fn in_v6_pool(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    s[0] == 0x2001 && s[1] == 0x0db8
}

/// Whether an address is replaced by a pseudonym when public addresses are redacted.
pub fn is_public(ip: IpAddr) -> bool {
    let reserved = match ip {
        IpAddr::V4(v4) => in_v4_pool(v4) || u32::from(v4) >> 24 == 0,
        IpAddr::V6(v6) => {
            in_v6_pool(v6)
                || v6.is_unspecified()
                || v6
                    .to_ipv4_mapped()
                    .is_some_and(|m| in_v4_pool(m) || u32::from(m) >> 24 == 0)
        }
    };
    !reserved && vocab::address_scope(ip) == "public"
}

/// Whether `b[..i]` ends with a percent escape (`%3D`): a boundary in the
/// percent-encoded tag values (`Name%3D52.94.1.7`).
fn after_percent_escape(b: &[u8], i: usize) -> bool {
    i >= 3 && b[i - 3] == b'%' && b[i - 2].is_ascii_hexdigit() && b[i - 1].is_ascii_hexdigit()
}

/// The state of one redaction: the replacements handed out so far.
#[derive(Debug, Default)]
pub struct Redactor {
    pub opts: RedactOptions,
    accounts: FxHashMap<String, String>,
    addrs: FxHashMap<IpAddr, IpAddr>,
    /// Pool addresses present in the data as they are: never handed out.
    reserved: FxHashSet<IpAddr>,
    next_v4: u32,
    next_v6: u128,
}

impl Redactor {
    pub fn new(opts: RedactOptions) -> Redactor {
        Redactor {
            opts,
            ..Default::default()
        }
    }

    /// Notes an address of the data that is kept as it is (one of the pseudonym pools),
    /// so that no other address is given it as its pseudonym.
    pub fn reserve(&mut self, ip: IpAddr) {
        if !is_public(ip) {
            self.reserved.insert(ip);
        }
    }

    /// [`Redactor::reserve`] for every address literal of a text.
    pub fn reserve_in_text(&mut self, s: &str) {
        for tok in s.split(|c: char| !(c.is_ascii_hexdigit() || c == ':' || c == '.')) {
            if let Ok(ip) = tok.trim_end_matches('.').parse::<IpAddr>() {
                self.reserve(ip);
            }
        }
    }

    /// Whether the field stays in redacted records.
    pub fn keeps(&self, f: Field) -> bool {
        !(self.opts.tags && f.kind() == Kind::Tag)
    }

    /// How many distinct account IDs and public addresses were replaced so far.
    pub fn replaced(&self) -> (usize, usize) {
        (self.accounts.len(), self.addrs.len())
    }

    /// The replacement of an account ID.
    pub fn account(&mut self, id: &str) -> String {
        match self.opts.accounts {
            AccountMask::Keep => id.to_string(),
            AccountMask::Last4 => {
                if let Some(m) = self.accounts.get(id) {
                    return m.clone();
                }
                let n = id.chars().count();
                let keep = if n > 4 && id.is_ascii() {
                    &id[n - 4..]
                } else {
                    ""
                };
                let m = format!("{}{keep}", "x".repeat(n.max(4) - keep.len()));
                self.accounts.insert(id.to_string(), m.clone());
                m
            }
            AccountMask::Pseudonym => {
                let next = self.accounts.len() + 1;
                self.accounts
                    .entry(id.to_string())
                    .or_insert_with(|| format!("acct-{next:04}"))
                    .clone()
            }
        }
    }

    /// The replacement of an address: itself unless public and `ips` is on.
    pub fn addr(&mut self, ip: IpAddr) -> IpAddr {
        if !self.opts.ips || !is_public(ip) {
            return ip;
        }
        if let Some(p) = self.addrs.get(&ip) {
            return *p;
        }
        let p = match ip {
            IpAddr::V4(_) => self.next_v4_pseudonym(),
            IpAddr::V6(_) => self.next_v6_pseudonym(),
        };
        self.addrs.insert(ip, p);
        p
    }

    fn next_v4_pseudonym(&mut self) -> IpAddr {
        loop {
            let i = self.next_v4;
            self.next_v4 += 1;
            // hosts .1–.254 of each /24, then 1.. of the /15
            let cand = if i < 762 {
                let (net, _) = V4_POOLS[(i / 254) as usize];
                Some(net + i % 254 + 1)
            } else if i - 762 < (1 << 17) - 2 {
                Some(V4_POOLS[3].0 + (i - 762) + 1)
            } else {
                None
            };
            let ip = match cand {
                Some(n) => IpAddr::V4(Ipv4Addr::from(n)),
                // beyond 131,832 distinct public IPv4 addresses: documentation IPv6
                None => return self.next_v6_pseudonym_in(0x2001_0db8_0004_u128 << 80),
            };
            if !self.reserved.contains(&ip) {
                return ip;
            }
        }
    }

    fn next_v6_pseudonym(&mut self) -> IpAddr {
        self.next_v6_pseudonym_in(0x2001_0db8_u128 << 96)
    }

    fn next_v6_pseudonym_in(&mut self, base: u128) -> IpAddr {
        loop {
            self.next_v6 += 1;
            let ip = IpAddr::V6(Ipv6Addr::from(base + self.next_v6));
            if !self.reserved.contains(&ip) {
                return ip;
            }
        }
    }

    /// Writes a value of field `f` as flow log text, redacted.
    pub fn write_value(&mut self, out: &mut String, f: Field, v: Value<'_>) {
        match v {
            Value::Text(t) if is_account_field(f) => out.push_str(&self.account(t)),
            Value::Text(t) => out.push_str(&self.text(t)),
            Value::Addr(a) => {
                let a = self.addr(a);
                write_plain(out, Value::Addr(a));
            }
            v => write_plain(out, v),
        }
    }

    /// Free text (file names, log stream names, the filter, the title, the note, text
    /// values): every public address literal and every 12-digit number standing alone
    /// (an account ID, as in `AWSLogs/123456789012/…`) is replaced as in the records.
    pub fn text(&mut self, s: &str) -> String {
        let s = if self.opts.ips {
            self.scrub_addresses(s)
        } else {
            s.to_string()
        };
        if self.opts.accounts == AccountMask::Keep {
            s
        } else {
            self.scrub_accounts(&s)
        }
    }

    /// Replaces public address literals: runs of `[0-9a-fA-F:.]` that start and end at a
    /// word boundary and parse as an address.
    fn scrub_addresses(&mut self, s: &str) -> String {
        let b = s.as_bytes();
        let is_word = |c: u8| c.is_ascii_alphanumeric();
        let is_addr_char = |c: u8| c.is_ascii_hexdigit() || c == b':' || c == b'.';
        let mut out = String::with_capacity(s.len());
        let (mut i, mut copied) = (0, 0);
        while i < b.len() {
            let starts = is_addr_char(b[i])
                && (i == 0
                    || !(is_word(b[i - 1]) || is_addr_char(b[i - 1]))
                    || after_percent_escape(b, i));
            if !starts {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < b.len() && is_addr_char(b[j]) {
                j += 1;
            }
            let run = s[i..j].trim_end_matches('.');
            let end = i + run.len();
            let bounded = end >= b.len() || !is_word(b[end]);
            match run.parse::<IpAddr>() {
                Ok(ip) if bounded && is_public(ip) => {
                    out.push_str(&s[copied..i]);
                    out.push_str(&self.addr(ip).to_string());
                    copied = end;
                    i = end;
                }
                // `%3D52.94.1.7`: the run began inside an escape; try again after it
                _ => i += 1,
            }
        }
        out.push_str(&s[copied..]);
        out
    }

    /// Replaces 12-digit numbers standing alone (not part of a longer word or number):
    /// `AWSLogs/123456789012/…`, `arn:aws:ecs:us-east-1:123456789012:cluster/x`.
    fn scrub_accounts(&mut self, s: &str) -> String {
        let b = s.as_bytes();
        let mut out = String::with_capacity(s.len());
        let (mut i, mut copied) = (0, 0);
        while i < b.len() {
            if !b[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let alone = (i == 0 || !b[i - 1].is_ascii_alphanumeric() || after_percent_escape(b, i))
                && (j == b.len() || !b[j].is_ascii_alphanumeric());
            if alone && j - i == 12 {
                out.push_str(&s[copied..i]);
                let masked = self.account(&s[i..j]);
                out.push_str(&masked);
                copied = j;
            }
            i = j;
        }
        out.push_str(&s[copied..]);
        out
    }

    /// Redacts every string of a JSON value (the saved view), keys excepted.
    pub fn json(&mut self, v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => *s = self.text(s),
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| self.json(x)),
            serde_json::Value::Object(o) => o.values_mut().for_each(|x| self.json(x)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn public_addresses_get_stable_documentation_pseudonyms() {
        let mut r = Redactor::new(RedactOptions::ALL);
        let a = r.addr(ip("52.94.1.7"));
        let b = r.addr(ip("3.5.140.2"));
        assert_eq!(a, ip("203.0.113.1"));
        assert_eq!(b, ip("203.0.113.2"));
        assert_eq!(r.addr(ip("52.94.1.7")), a, "stable");
        assert_eq!(r.addr(ip("10.1.2.3")), ip("10.1.2.3"), "private kept");
        assert_eq!(r.addr(ip("172.31.0.5")), ip("172.31.0.5"));
        assert_eq!(r.addr(ip("169.254.169.254")), ip("169.254.169.254"));
        assert_eq!(r.addr(ip("198.51.100.9")), ip("198.51.100.9"), "pool kept");
        assert_eq!(r.addr(ip("2600:1f18::1")), ip("2001:db8::1"));
        assert_eq!(r.addr(ip("fd00::1")), ip("fd00::1"));
        for _ in 0..800 {
            let n = r.next_v4;
            r.addr(IpAddr::V4(Ipv4Addr::from(0x3400_0000 + n)));
        }
        assert!(
            r.addrs.values().all(|p| !is_public(*p)),
            "never a public pseudonym"
        );
        let distinct: FxHashSet<_> = r.addrs.values().collect();
        assert_eq!(distinct.len(), r.addrs.len(), "injective");
    }

    #[test]
    fn reserved_addresses_are_never_handed_out() {
        let mut r = Redactor::new(RedactOptions::ALL);
        r.reserve(ip("203.0.113.1"));
        r.reserve_in_text("compare with 203.0.113.2, and 10.0.0.1");
        assert_eq!(r.addr(ip("52.94.1.7")), ip("203.0.113.3"));
    }

    #[test]
    fn accounts() {
        let mut r = Redactor::new(RedactOptions::ALL);
        assert_eq!(r.account("123456789012"), "xxxxxxxx9012");
        let mut p = Redactor::new(RedactOptions {
            accounts: AccountMask::Pseudonym,
            ..Default::default()
        });
        assert_eq!(p.account("123456789012"), "acct-0001");
        assert_eq!(p.account("210987654321"), "acct-0002");
        assert_eq!(p.account("123456789012"), "acct-0001");
    }

    #[test]
    fn free_text() {
        let mut r = Redactor::new(RedactOptions::ALL);
        assert_eq!(
            r.text("AWSLogs/123456789012/vpcflowlogs/123456789012_vpcflowlogs_x.log.gz"),
            "AWSLogs/xxxxxxxx9012/vpcflowlogs/xxxxxxxx9012_vpcflowlogs_x.log.gz"
        );
        assert_eq!(
            r.text("srcaddr = 52.94.1.7 and dstaddr in 10.0.0.0/8 and addr = 2600:1f18::5."),
            "srcaddr = 203.0.113.1 and dstaddr in 10.0.0.0/8 and addr = 2001:db8::1."
        );
        assert_eq!(
            r.text("Owner%3D123456789012%2Cip%3D52.94.1.7"),
            "Owner%3Dxxxxxxxx9012%2Cip%3D203.0.113.1"
        );
        // IDs that happen to hold digits are left alone
        for s in [
            "eni-0123456789abcdef0",
            "i-123456789012abcd",
            "1764115200",
            "2025-11-26T10:00:00Z",
            "x123456789012",
        ] {
            assert_eq!(r.text(s), s);
        }
        let mut none = Redactor::new(RedactOptions::default());
        assert_eq!(
            none.text("52.94.1.7 123456789012"),
            "52.94.1.7 123456789012"
        );
    }

    #[test]
    fn parse_spec() {
        assert_eq!(RedactOptions::parse("all").unwrap(), RedactOptions::ALL);
        let o = RedactOptions::parse("accounts=pseudonym, ips").unwrap();
        assert_eq!(o.accounts, AccountMask::Pseudonym);
        assert!(o.ips && !o.tags);
        assert!(RedactOptions::parse("ipz").is_err());
        assert!(RedactOptions::parse("").unwrap().is_none());
    }
}
