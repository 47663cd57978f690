//! The value forms of the filter language: times, durations, byte sizes, networks and
//! the fixed vocabularies.

use super::ast::Net;
use crate::calendar::days_from_civil;
use crate::fields::Field;
use crate::vocab;
use std::net::IpAddr;

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
pub(super) fn canonical_text(field: Field, v: &str) -> Option<&'static str> {
    vocab::canonical(vocab::vocabulary(field)?, v)
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
}
