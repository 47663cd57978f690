//! The one calendar: the proleptic Gregorian one in UTC, without a date library. Input
//! timestamps (`container::time`), filter values (`query`) and every output that writes
//! ISO-8601 go through these functions.

use std::fmt::Write as _;

/// Formats unix seconds (and milliseconds) as ISO-8601 UTC: `2025-11-26T10:00:00Z`.
pub fn iso_time(secs: i64, millis: u16) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    let mut s = format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    );
    if millis != 0 {
        let _ = write!(s, ".{millis:03}");
    }
    s.push('Z');
    s
}

/// Unix seconds and milliseconds of a time written exactly as [`iso_time`] writes it
/// (`2025-11-26T10:00:00Z`, `2025-11-26T10:00:00.250Z`): no offset or missing zone, no
/// `.000`, and no impossible date (written again, it must give the same text).
pub(crate) fn parse_iso(text: &[u8]) -> Option<(i64, u16)> {
    let shape: &[u8] = match text.len() {
        20 => b"dddd-dd-ddTdd:dd:ddZ",
        24 => b"dddd-dd-ddTdd:dd:dd.dddZ",
        _ => return None,
    };
    let fits = text.iter().zip(shape).all(|(b, s)| {
        if *s == b'd' {
            b.is_ascii_digit()
        } else {
            b == s
        }
    });
    if !fits {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        text[r]
            .iter()
            .fold(0i64, |n, b| n * 10 + i64::from(b - b'0'))
    };
    let (m, d) = (num(5..7) as u32, num(8..10) as u32);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let secs = days_from_civil(num(0..4), m, d) * 86_400
        + num(11..13) * 3600
        + num(14..16) * 60
        + num(17..19);
    let millis = if text.len() == 24 {
        num(20..23) as u16
    } else {
        0
    };
    (iso_time(secs, millis).as_bytes() == text).then_some((secs, millis))
}

/// The civil date (year, month, day) of a day number counted from 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days from 1970-01-01 to the given civil date (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_times_written_as_flowlens_writes_them_parse_back() {
        assert_eq!(parse_iso(b"2014-12-14T04:06:50Z"), Some((1418530010, 0)));
        assert_eq!(
            parse_iso(b"2014-12-14T04:06:50.250Z"),
            Some((1418530010, 250))
        );
        assert_eq!(parse_iso(b"1970-01-01T00:00:00Z"), Some((0, 0)));
        for bad in [
            &b"2014-12-14T04:06:50"[..],
            b"2014-12-14T04:06:50.000Z",
            b"2014-12-14T04:06:50.25Z",
            b"2014-12-14 04:06:50Z",
            b"2014-02-30T04:06:50Z",
            b"2014-12-14T24:00:00Z",
            b"2014-12-14T04:60:50Z",
            b"2014-13-14T04:06:50Z",
            b"2014-12-14T04:06:50+00:00",
            b"",
        ] {
            assert_eq!(parse_iso(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn times_format_as_iso_utc() {
        assert_eq!(iso_time(0, 0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_time(1418530010, 0), "2014-12-14T04:06:50Z");
        assert_eq!(iso_time(1764115200, 250), "2025-11-26T00:00:00.250Z");
        for d in [-1000i64, 0, 59, 11_000, 20_418, 50_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }
}
