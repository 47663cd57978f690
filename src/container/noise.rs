//! Telling a record-like line from noise: prompts, command echoes, prose, fences and
//! other text pasted around flow log records.
//!
//! A line is record-like when at least two of its tokens, and at least half of them,
//! have the shape of a flow log value (an integer, `-`, an address, an AWS resource id,
//! an action or status word, a region or AZ id, a field name of a header). Prose and
//! shell commands have few such tokens among many words; a record is made of them.
//! Noise is skipped and counted as "not a record" with its reason, never an error; a
//! record-like line that fails to decode stays an error.

use crate::fields::Field;
use crate::record::parse_ipv4;

/// Why a line was judged not to be a record (reported with the skip count).
pub mod reason {
    /// Text with no flow log values among records.
    pub const PROSE: &str = "no flow log values (prose, a prompt or a command)";
    /// A shell prompt line.
    pub const PROMPT: &str = "a shell prompt or command";
    /// A Markdown fence line.
    pub const FENCE: &str = "a Markdown code fence";
    /// The alignment row under a Markdown table's header (`| --- | ---: |`).
    pub const TABLE_RULE: &str = "the alignment row of a Markdown table";
    /// A row of a Markdown table of groups or totals (`mdtable::is_group_header`).
    pub const GROUP_TABLE: &str = "a row of a table of groups (totals of many flows, not a record)";
    /// A non-event row of `aws logs … --output text`.
    pub const CLI_TEXT_ROW: &str = "an aws CLI text row (token or SEARCHEDLOGSTREAMS)";
    /// A key line of `--output yaml`.
    pub const YAML_KEY: &str = "a YAML key of aws CLI output";
    /// A line that continues a YAML message folded over several lines (the message is
    /// the record, counted on its first line).
    pub const YAML_FOLD: &str = "the rest of a folded YAML message";
    /// The second half of a record an e-mail client or chat wrapped at a space (the
    /// record is counted on its first line, rejoined).
    pub const WRAPPED: &str = "the rest of a record wrapped onto the next line (rejoined)";
    /// A `name⇥value` row of a Logs Insights result expanded in the console and copied
    /// (its `@message` row is the record).
    pub const FIELD_ROW: &str =
        "a field and its value from an expanded Logs Insights result (its @message is the record)";
    /// Brackets and keys around `"message": …` lines.
    pub const JSON_FRAMING: &str = "JSON around \"message\" lines";
}

/// Whether a line holds a token shaped like a flow log value (cells split at commas,
/// quotes and spaces): a CSV row does, a line of prose with a comma does not.
pub(crate) fn has_value(raw: &[u8]) -> bool {
    raw.split(|b| matches!(b, b' ' | b',' | b'"' | b'\t' | b'\r'))
        .any(|t| !t.is_empty() && value_like(t))
}

/// Whether one whitespace-free token has the shape of some flow log value or field name.
pub(crate) fn value_like(tok: &[u8]) -> bool {
    if tok == b"-" || (tok.len() <= 20 && !tok.is_empty() && tok.iter().all(u8::is_ascii_digit)) {
        return true;
    }
    const PREFIXES: [&[u8]; 5] = [b"eni-", b"vpc-", b"subnet-", b"i-", b"tgw-"];
    if PREFIXES
        .iter()
        .any(|p| tok.len() > p.len() && tok.starts_with(p) && tok[p.len()].is_ascii_alphanumeric())
    {
        return true;
    }
    if matches!(
        tok,
        b"ACCEPT"
            | b"REJECT"
            | b"OK"
            | b"NODATA"
            | b"SKIPDATA"
            | b"ingress"
            | b"egress"
            | b"IPv4"
            | b"IPv6"
            | b"EFA"
            | b"unknown"
            | b"xxxxxxxxxxxx"
    ) || tok.starts_with(b"TransitGateway")
    {
        return true;
    }
    if parse_ipv4(tok).is_some() {
        return true;
    }
    if tok.contains(&b':') && tok.len() <= 45 {
        if let Ok(s) = std::str::from_utf8(tok) {
            if s.parse::<std::net::Ipv6Addr>().is_ok() {
                return true;
            }
        }
    }
    if crate::binding::is_region(tok) || crate::binding::is_az_id(tok) {
        return true;
    }
    std::str::from_utf8(tok).is_ok_and(|s| Field::lookup(s).is_some())
}

/// Whether a line looks like a flow log record or header (see the module comment).
pub fn looks_like_record(line: &[u8]) -> bool {
    let (mut tokens, mut values) = (0usize, 0usize);
    for tok in line
        .split(|b| matches!(b, b' ' | b'\t'))
        .filter(|t| !t.is_empty())
    {
        tokens += 1;
        values += value_like(tok) as usize;
    }
    values >= 2 && values * 2 >= tokens
}

/// The reason a non-record line is noise, naming prompts specifically.
pub fn noise_reason(line: &[u8]) -> &'static str {
    let t = line.trim_ascii();
    if (t.starts_with(b"\"") && memchr::memmem::find(t, b"\":").is_some())
        || (!t.is_empty() && t.iter().all(|b| b"{}[],".contains(b)))
    {
        return reason::JSON_FRAMING;
    }
    let prompt = matches!(t, b"$" | b"#" | b">")
        || t.starts_with(b"$ ")
        || t.starts_with(b"# ")
        || t.starts_with(b"> ")
        || t.starts_with(b"aws ")
        || t.starts_with(b"PS ")
        || (t.starts_with(b"[")
            && (memchr::memmem::find(t, b"]$").is_some()
                || memchr::memmem::find(t, b"]#").is_some()))
        || memchr::memmem::find(t, b"$ aws ").is_some();
    if prompt {
        reason::PROMPT
    } else {
        reason::PROSE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_and_headers_are_record_like() {
        for l in [
            "2 123456789012 eni-0a1b 10.0.1.5 10.0.2.9 44308 443 6 12 4800 1764115200 1764115260 ACCEPT OK",
            "2 unknown eni-0a1b - - - - - - - 1538696170 1538696308 - NODATA",
            "version account-id interface-id srcaddr dstaddr",
            "ACCEPT OK",
            "eni-1 2600:1f18::1 443",
        ] {
            assert!(looks_like_record(l.as_bytes()), "{l}");
        }
    }

    #[test]
    fn prose_prompts_and_fences_are_not() {
        for l in [
            "[ec2-user@ip-172-31-31-219 ~]$ aws logs get-log-events --log-group-name vpc-flow-logs --log-stream-name eni-0a1b2c3d4e5f67890-all | grep -v ingestionTime",
            "Here are the flow logs I got from the console, why is 10.0.0.5 rejected?",
            "```",
            "b/38946380122396384936452436526836862474849162452410597376\tf/38946380124172730391316453880009716637009364254652907521",
            "I saw 3 packets at 10:00 from 10.0.0.1 to the instance",
            "",
        ] {
            assert!(!looks_like_record(l.as_bytes()), "{l}");
        }
        assert_eq!(
            noise_reason(b"[ec2-user@ip-172-31-31-219 ~]$ aws logs get-log-events"),
            reason::PROMPT
        );
        assert_eq!(noise_reason(b"Hi, see below"), reason::PROSE);
    }
}
