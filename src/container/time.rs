//! Timestamp text as CloudWatch writes it (`2025-11-26T10:00:00.000Z`, `2025-11-26 10:00:00.000`,
//! or unix milliseconds), turned into unix milliseconds with the crate's one calendar
//! (`crate::calendar`).

/// Reads `n` ASCII digits at `at` as a number.
fn digits(s: &[u8], at: usize, n: usize) -> Option<i64> {
    let field = s.get(at..at + n)?;
    field.iter().try_fold(0i64, |acc, &b| {
        b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0'))
    })
}

/// A date-time found at the start of some text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateTime {
    /// Unix milliseconds (UTC).
    pub ms: i64,
    /// Bytes of text it took.
    pub len: usize,
    /// The date/time separator: `T` or a space.
    pub sep: u8,
    /// Whether it ended with `Z`.
    pub zulu: bool,
}

/// Parses `YYYY-MM-DD[T ]HH:MM:SS(.f+)?Z?` at the start of `s` (fraction: up to 9 digits,
/// truncated to milliseconds). Trailing text is left for the caller to judge.
pub(crate) fn scan(s: &[u8]) -> Option<DateTime> {
    if s.len() < 19 || s[4] != b'-' || s[7] != b'-' || s[13] != b':' || s[16] != b':' {
        return None;
    }
    let sep = s[10];
    if sep != b'T' && sep != b' ' {
        return None;
    }
    let (year, month, day) = (digits(s, 0, 4)?, digits(s, 5, 2)?, digits(s, 8, 2)?);
    let (hour, min, sec) = (digits(s, 11, 2)?, digits(s, 14, 2)?, digits(s, 17, 2)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || min > 59 || sec > 60 {
        return None;
    }
    let mut len = 19;
    let mut frac_ms = 0i64;
    if s.get(len) == Some(&b'.') {
        let n = s[len + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if n == 0 || n > 9 {
            return None;
        }
        for i in 0..3 {
            frac_ms = frac_ms * 10 + digits(s, len + 1 + i, 1).filter(|_| i < n).unwrap_or(0);
        }
        len += 1 + n;
    }
    let zulu = s.get(len) == Some(&b'Z');
    if zulu {
        len += 1;
    }
    let days = crate::calendar::days_from_civil(year, month as u32, day as u32);
    let ms = ((days * 24 + hour) * 60 + min) * 60_000 + sec * 1000 + frac_ms;
    Some(DateTime { ms, len, sep, zulu })
}

/// The CloudWatch export-to-S3 line prefix `2018-09-22T20:28:14.000Z ` (with its space):
/// returns its time and the length to cut.
#[inline]
pub(crate) fn export_prefix(line: &[u8]) -> Option<(i64, usize)> {
    // Cheap shape test first: this runs on every plain line.
    if line.len() < 21 || line[10] != b'T' || line[4] != b'-' || !line[0].is_ascii_digit() {
        return None;
    }
    let dt = scan(line)?;
    (dt.zulu && line.get(dt.len) == Some(&b' ')).then_some((dt.ms, dt.len + 1))
}

/// A whole timestamp cell or value: unix milliseconds as an integer, or a date-time with
/// `T` or space, optional `Z`, nothing after it (surrounding spaces ignored).
pub(crate) fn parse_text(s: &[u8]) -> Option<i64> {
    let s = s.trim_ascii();
    if s.is_empty() {
        return None;
    }
    let int = s.strip_prefix(b"-").unwrap_or(s);
    if !int.is_empty() && int.len() <= 18 && int.iter().all(u8::is_ascii_digit) {
        return std::str::from_utf8(s).ok()?.parse().ok();
    }
    let dt = scan(s)?;
    (dt.len == s.len()).then_some(dt.ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(scan(b"1970-01-01T00:00:00Z").map(|d| d.ms), Some(0));
        assert_eq!(
            scan(b"2025-11-26T00:00:00.000Z").map(|d| d.ms),
            Some(1_764_115_200_000)
        );
        assert_eq!(
            parse_text(b"2025-11-26 10:00:00.5"),
            Some(1_764_151_200_500)
        );
        assert_eq!(parse_text(b" 1764115200000 "), Some(1_764_115_200_000));
        assert_eq!(
            parse_text(b"2000-02-29T12:00:00.123456Z"),
            Some(951_825_600_123)
        );
        assert_eq!(parse_text(b"2025-13-01 00:00:00"), None);
        assert_eq!(parse_text(b"2025-11-26 10:00:00x"), None);
        assert_eq!(parse_text(b"soon"), None);
    }

    #[test]
    fn export_prefix_needs_zulu_and_space() {
        let line = b"2018-09-22T20:28:14.000Z 2 633112549318 eni-1";
        assert_eq!(export_prefix(line), Some((1_537_648_094_000, 25)));
        assert_eq!(
            export_prefix(b"2018-09-22T20:28:14.000 2 633112549318"),
            None
        );
        assert_eq!(
            export_prefix(b"2018-09-22T20:28:14Z 2 633112549318"),
            Some((1_537_648_094_000, 21))
        );
        assert_eq!(
            export_prefix(b"2 633112549318 eni-1 10.0.0.1 10.0.0.2"),
            None
        );
    }
}
