//! `"message": "…"` lines grep'd from `aws logs get-log-events` output and pasted with
//! whatever the terminal showed around them, and the bare JSON strings `jq
//! '.events[].message'` prints (one quoted message a line); decoded by the paste shape
//! (`paste.rs`).

use super::jstr;
use super::lines::is_blank;

/// What one line of pasted terminal output is.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Blank,
    /// A `"message": "…"` line; the decoded text is in the caller's buffer.
    Message,
    /// A `"message":` line whose string is not valid JSON: the reason.
    Invalid(&'static str),
    Other,
}

/// Classifies a line (without terminator), decoding a message string into `out`.
/// Accepts leading whitespace, `"message"`, `:`, a JSON string, an optional `,`; or a
/// JSON string alone (optional `,`) whose text has the shape of a record, as `jq
/// '.events[].message'` prints it. A quoted line that is not a record-like string (a
/// quote in prose, a broken escape) is `Other`: only `"message":` makes it certain.
pub(crate) fn classify(line: &[u8], out: &mut Vec<u8>) -> Kind {
    if is_blank(line) {
        return Kind::Blank;
    }
    let rest = line.trim_ascii_start();
    let Some(rest) = rest.strip_prefix(b"\"message\"") else {
        return bare_string(rest, out);
    };
    let Some(rest) = rest.trim_ascii_start().strip_prefix(b":") else {
        return Kind::Other;
    };
    let Some(body) = rest.trim_ascii_start().strip_prefix(b"\"") else {
        return Kind::Other;
    };
    out.clear();
    match jstr::decode(body, out) {
        Ok(n) => {
            let tail = body[n..].trim_ascii();
            if tail.is_empty() || tail == b"," {
                Kind::Message
            } else {
                Kind::Invalid("nothing but ',' after the message string")
            }
        }
        Err(e) => Kind::Invalid(e.0),
    }
}

/// A line that is one JSON string (and an optional `,`) holding a record: `jq`'s raw
/// output of `.events[].message` without `-r`.
fn bare_string(rest: &[u8], out: &mut Vec<u8>) -> Kind {
    let Some(body) = rest.strip_prefix(b"\"") else {
        return Kind::Other;
    };
    out.clear();
    match jstr::decode(body, out) {
        Ok(n) => {
            let tail = body[n..].trim_ascii();
            if (tail.is_empty() || tail == b",") && super::noise::looks_like_record(out) {
                Kind::Message
            } else {
                Kind::Other
            }
        }
        Err(_) => Kind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::super::noise::reason;
    use super::super::testkit::{msg, run_all, Ev};
    use super::super::{Shape, Skip};

    /// A prompt line, then the ACCEPT and the NODATA message of both tests' inputs.
    fn prompt_then_two_messages(evs: &[Ev]) {
        assert_eq!(evs[0], Ev::Skip(1, Skip::NotARecord(reason::PROMPT)));
        assert_eq!(
            evs[1],
            msg(
                2,
                "2 123 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT OK",
                None,
                None
            )
        );
        assert_eq!(
            evs[2],
            msg(3, "2 123 eni-1 - - - - - - - 1 2 - NODATA", None, None)
        );
    }

    #[test]
    fn grepd_message_lines_with_terminal_noise() {
        let input = concat!(
            "$ aws logs get-log-events --log-group-name vpc --log-stream-name eni-1-all | grep message\n",
            "            \"message\": \"2 123 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT OK\",\n",
            "\"message\":\"2 123 eni-1 - - - - - - - 1 2 - NODATA\"\n",
            "\n",
            "            \"timestamp\": 1764115200000,\n",
            "    \"message\" : \"tab\\there \\\"q\\\" \\u00e9\" ,\r\n",
            "        },\n",
            "    \"message\": \"broken \\x\",\n",
            "$ ",
        );
        let (evs, shape) = run_all(input.as_bytes());
        assert_eq!(shape, Some(Shape::MessageLines));
        prompt_then_two_messages(&evs);
        assert_eq!(evs[3], Ev::Skip(4, Skip::Blank));
        assert_eq!(evs[4], Ev::Skip(5, Skip::NotARecord(reason::JSON_FRAMING)));
        assert_eq!(evs[5], msg(6, "tab\there \"q\" é", None, None));
        assert_eq!(evs[6], Ev::Skip(7, Skip::NotARecord(reason::JSON_FRAMING)));
        assert!(matches!(&evs[7], Ev::Err { line: 8, reason, .. } if reason.contains("escape")));
        assert_eq!(evs[8], Ev::Skip(9, Skip::NotARecord(reason::PROMPT)));
        assert_eq!(evs.len(), 9);
    }

    #[test]
    fn jq_message_strings_are_messages() {
        // `aws logs get-log-events … | jq '.events[].message'`, pasted with its prompt
        let input = concat!(
            "$ aws logs get-log-events --log-group-name vpc --log-stream-name eni-1-all | jq '.events[].message'\n",
            "\"2 123 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT OK\"\n",
            "  \"2 123 eni-1 - - - - - - - 1 2 - NODATA\",\r\n",
            "\"a quoted remark, not a record\"\n",
            "\"2 123 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 40 1 2 ACCEPT OK\" trailing\n",
        );
        let (evs, shape) = run_all(input.as_bytes());
        assert_eq!(shape, Some(Shape::MessageLines));
        prompt_then_two_messages(&evs);
        assert!(
            matches!(evs[3], Ev::Skip(4, Skip::NotARecord(_))),
            "{:?}",
            evs[3]
        );
        // record-like text with something after the string goes to the line decoder,
        // which reports it as a bad line (tests/pastes.rs)
        assert!(matches!(&evs[4], Ev::Msg { line: 5, .. }), "{:?}", evs[4]);
        assert_eq!(evs.len(), 5);
    }

    #[test]
    fn a_message_line_deep_in_the_window_still_decides() {
        let mut input = String::from("$ aws logs get-log-events | grep message\n");
        for _ in 0..200 {
            input.push_str("some other line of terminal output\n");
        }
        input.push_str("  \"message\": \"2 1 eni-1 x\"");
        let (evs, shape) = run_all(input.as_bytes());
        assert_eq!(shape, Some(Shape::MessageLines));
        assert_eq!(evs.last(), Some(&msg(202, "2 1 eni-1 x", None, None)));
    }
}
