//! JSON string bodies, byte by byte: escapes, `\uXXXX` and surrogate pairs, across any
//! chunk boundary. Shared by the streaming JSON shape and the `"message": "…"` line shape.

/// Where the lexer is inside a string body (after the opening quote).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Esc {
    /// Plain characters.
    Plain,
    /// Just after a backslash.
    Backslash,
    /// Inside `\uXXXX`: `n` hex digits read so far, value accumulated.
    Hex { n: u8, value: u16 },
}

/// What a string body byte did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StrStep {
    /// The byte was part of the string.
    More,
    /// The byte was the closing quote.
    End,
}

/// Why a string body is not valid JSON: the description of what was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StrError(pub &'static str);

/// A push-style decoder of one JSON string body into UTF-8 bytes.
#[derive(Debug, Clone)]
pub(crate) struct StrLexer {
    esc: Esc,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
}

const REPLACEMENT: char = '\u{fffd}';

fn push_char(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

impl StrLexer {
    pub(crate) fn new() -> Self {
        StrLexer {
            esc: Esc::Plain,
            high: None,
        }
    }

    /// Whether the next byte may be taken in bulk by [`plain_run`] (no escape in progress).
    #[inline]
    pub(crate) fn is_plain(&self) -> bool {
        self.esc == Esc::Plain && self.high.is_none()
    }

    /// A lone high surrogate is not valid Unicode: it becomes U+FFFD rather than an error,
    /// as browsers' `JSON.parse` followed by UTF-8 encoding would do.
    fn flush_high(&mut self, out: &mut Vec<u8>) {
        if self.high.take().is_some() {
            push_char(out, REPLACEMENT);
        }
    }

    /// Feeds one byte of the string body, appending decoded bytes to `out`.
    pub(crate) fn byte(&mut self, b: u8, out: &mut Vec<u8>) -> Result<StrStep, StrError> {
        match self.esc {
            Esc::Plain => {
                // Inside a pending surrogate pair only `\u` may follow.
                if b != b'\\' {
                    self.flush_high(out);
                }
                match b {
                    b'"' => {
                        *self = StrLexer::new();
                        return Ok(StrStep::End);
                    }
                    b'\\' => self.esc = Esc::Backslash,
                    0..=0x1f => return Err(StrError("a string character or '\"'")),
                    _ => out.push(b),
                }
            }
            Esc::Backslash => {
                let plain = match b {
                    b'"' => b'"',
                    b'\\' => b'\\',
                    b'/' => b'/',
                    b'b' => 0x08,
                    b'f' => 0x0c,
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    b'u' => {
                        self.esc = Esc::Hex { n: 0, value: 0 };
                        return Ok(StrStep::More);
                    }
                    _ => return Err(StrError("an escape (one of \"\\/bfnrtu) after '\\'")),
                };
                self.flush_high(out);
                out.push(plain);
                self.esc = Esc::Plain;
            }
            Esc::Hex { n, value } => {
                let digit = match b {
                    b'0'..=b'9' => b - b'0',
                    b'a'..=b'f' => b - b'a' + 10,
                    b'A'..=b'F' => b - b'A' + 10,
                    _ => return Err(StrError("a hex digit in '\\uXXXX'")),
                };
                let value = value << 4 | u16::from(digit);
                if n < 3 {
                    self.esc = Esc::Hex { n: n + 1, value };
                } else {
                    self.esc = Esc::Plain;
                    self.code_unit(value, out);
                }
            }
        }
        Ok(StrStep::More)
    }

    fn code_unit(&mut self, unit: u16, out: &mut Vec<u8>) {
        match unit {
            0xd800..=0xdbff => {
                self.flush_high(out);
                self.high = Some(unit);
            }
            0xdc00..=0xdfff => match self.high.take() {
                Some(high) => {
                    let c =
                        0x10000 + ((u32::from(high) - 0xd800) << 10) + (u32::from(unit) - 0xdc00);
                    push_char(out, char::from_u32(c).unwrap_or(REPLACEMENT));
                }
                None => push_char(out, REPLACEMENT),
            },
            _ => {
                self.flush_high(out);
                push_char(out, char::from_u32(u32::from(unit)).unwrap_or(REPLACEMENT));
            }
        }
    }

    /// Forgets any escape in progress (after an error).
    pub(crate) fn reset(&mut self) {
        *self = StrLexer::new();
    }
}

/// The length of the run of plain string bytes at the start of `s`: up to the first quote,
/// backslash or control byte. Lets callers copy string bodies in bulk.
#[inline]
pub(crate) fn plain_run(s: &[u8]) -> usize {
    let stop = memchr::memchr2(b'"', b'\\', s).unwrap_or(s.len());
    s[..stop].iter().position(|&b| b < 0x20).unwrap_or(stop)
}

/// Decodes a complete string body starting just after its opening quote into `out`;
/// returns the length consumed including the closing quote.
pub(crate) fn decode(s: &[u8], out: &mut Vec<u8>) -> Result<usize, StrError> {
    let mut lexer = StrLexer::new();
    let mut i = 0;
    while i < s.len() {
        if lexer.is_plain() {
            let n = plain_run(&s[i..]);
            out.extend_from_slice(&s[i..i + n]);
            i += n;
            if i == s.len() {
                break;
            }
        }
        let step = lexer.byte(s[i], out)?;
        i += 1;
        if step == StrStep::End {
            return Ok(i);
        }
    }
    Err(StrError("'\"' closing the string"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Result<(String, usize), StrError> {
        let mut out = Vec::new();
        let n = decode(s.as_bytes(), &mut out)?;
        Ok((String::from_utf8(out).expect("utf8"), n))
    }

    #[test]
    fn escapes_and_surrogates() {
        assert_eq!(
            dec(r#"a\"b\\c\/\n\t\u00e9"x"#),
            Ok(("a\"b\\c/\n\té".into(), 20))
        );
        assert_eq!(dec(r#"\ud83d\ude00""#).map(|r| r.0), Ok("😀".into()));
        assert_eq!(dec(r#"\ud83dx""#).map(|r| r.0), Ok("\u{fffd}x".into()));
        assert_eq!(
            dec(r#"\ude00\ud83d""#).map(|r| r.0),
            Ok("\u{fffd}\u{fffd}".into())
        );
        assert!(dec(r#"\x""#).is_err());
        assert!(dec(r#"\u12g4""#).is_err());
        assert!(dec("abc").is_err());
        assert!(dec("a\nb\"").is_err());
    }
}
