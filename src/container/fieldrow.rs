//! What the two field-row shapes share — a CSV with a column per field and JSON rows
//! given field by field (Logs Insights `fields …` exports): each turns its names into a
//! header line for the decoder and each row into a record line, by the same rules.

/// Whether space-separated names bind as a header line with at least two known field
/// names: one column named like a field (`action`) is too little to call another tool's
/// CSV or JSON a flow log export.
pub(crate) fn names_bind(names: &[u8]) -> bool {
    crate::binding::header(names).is_some_and(|h| h.fields.len() - h.unknown.len() >= 2)
}

/// Appends one value to a record line being built: a space before all but the first,
/// an empty value as `-` (Athena's and Logs Insights' null) so no value moves to
/// another field. False (the value still appended) when it holds whitespace, which no
/// flow log value does and which would split it in two.
pub(crate) fn push_value(line: &mut Vec<u8>, first: bool, value: &[u8]) -> bool {
    let value = value.trim_ascii();
    if !first {
        line.push(b' ');
    }
    line.extend_from_slice(if value.is_empty() { b"-" } else { value });
    !value.iter().any(u8::is_ascii_whitespace)
}

/// A column of the CloudWatch event time (`@timestamp`, or `timestamp` in a console
/// download): given as the record's event time, not as a field of its line.
pub(crate) fn is_timestamp_name(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"timestamp") || name.eq_ignore_ascii_case(b"@timestamp")
}

/// A column of the log stream's name, given as the record's `@logStream`.
pub(crate) fn is_stream_name(name: &[u8]) -> bool {
    name.eq_ignore_ascii_case(b"@logStream") || name.eq_ignore_ascii_case(b"logStreamName")
}
