//! What the two field-row shapes share — a CSV with a column per field and JSON rows
//! given field by field (Logs Insights `fields …` exports): each turns its names into a
//! header line for the decoder and each row into a record line, by the same rules.

use crate::binding::Header;

/// Whether space-separated names bind as a header line with at least two known field
/// names: one column named like a field (`action`) is too little to call another tool's
/// CSV or JSON a flow log export.
pub(crate) fn names_bind(names: &[u8]) -> bool {
    bound_header(names).is_some()
}

/// The header space-separated names bind as, when they do by [`names_bind`]'s rule.
pub(crate) fn bound_header(names: &[u8]) -> Option<Header> {
    crate::binding::header(names).filter(|h| h.fields.len() - h.unknown.len() >= 2)
}

/// The field columns of a header row (CSV, Markdown): every column but the event time
/// and stream ones, `@` metadata names (`@log`, `@ptr`) last since a header starts with a
/// field. Their names go into `header` as a header line; returns the columns in that
/// order and what the line binds as. `None` when a name is empty or holds a space (a
/// cell holding a space-separated header is not a column) or the names do not bind.
pub(crate) fn field_columns(
    names: &[&[u8]],
    timestamp: Option<usize>,
    stream: Option<usize>,
    header: &mut Vec<u8>,
) -> Option<(Vec<usize>, Header)> {
    let rest = (0..names.len()).filter(|i| Some(*i) != timestamp && Some(*i) != stream);
    let (meta, fields): (Vec<usize>, Vec<usize>) = rest.partition(|i| names[*i].starts_with(b"@"));
    let values: Vec<usize> = fields.into_iter().chain(meta).collect();
    header.clear();
    for &i in &values {
        let name = names[i];
        if name.is_empty() || name.iter().any(u8::is_ascii_whitespace) {
            return None;
        }
        if !header.is_empty() {
            header.push(b' ');
        }
        header.extend_from_slice(name);
    }
    Some((values, bound_header(header)?))
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
