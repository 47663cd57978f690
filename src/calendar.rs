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
