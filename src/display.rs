//! Making untrusted text safe to look at: invisible and direction-changing characters
//! shown as visible escapes, long values cut for the grid, control characters escaped
//! for terminals, and spreadsheet formulas neutralised in CSV.
//!
//! Log text comes from whoever wrote the file. A right-to-left override (U+202E) can
//! make `eni-evil` read as something else, a zero-width space makes two equal-looking
//! values differ, an ESC sequence can rewrite a terminal, and a cell starting with `=`
//! runs as a formula when the CSV is opened in a spreadsheet.

use std::borrow::Cow;

/// Grid cells show at most this many characters of a value, then `…`; the detail panel
/// shows the whole value (at most [`crate::record::MAX_TEXT`] bytes).
pub const MAX_CELL_CHARS: usize = 256;

/// Characters that change how text around them reads without being visible: bidi
/// embeddings, overrides and isolates, marks, zero-width characters, the BOM, and other
/// format characters seen in the wild.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}'
        | '\u{180b}'..='\u{180f}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{206f}'
        | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}'
        | '\u{fff9}'..='\u{fffb}'
        | '\u{e0000}'..='\u{e007f}')
}

/// Whether `c` must be escaped to be seen: control characters and invisible ones.
fn needs_escape(c: char) -> bool {
    c.is_control() || is_invisible(c)
}

/// [`visible`], but line breaks and tabs stay as they are (a decoded v11 tag may hold
/// them; Markdown shows them as `<br>`, cells as spaces). Everything else is escaped.
pub fn visible_keeping_breaks(s: &str) -> Cow<'_, str> {
    if !s.contains(['\n', '\r', '\t']) {
        return visible(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut part = 0;
    for (i, c) in s.char_indices() {
        if matches!(c, '\n' | '\r' | '\t') {
            out.push_str(&visible(&s[part..i]));
            out.push(c);
            part = i + 1;
        }
    }
    out.push_str(&visible(&s[part..]));
    Cow::Owned(out)
}

/// `s` with every control or invisible character written as a visible `\u{202e}`
/// escape (and a backslash before a literal `\u{` so an escape cannot be forged).
/// Borrowed, at no cost, when there is nothing to escape (the common case).
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_escape) && !s.contains("\\u{") {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if needs_escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else if rest.starts_with("\\u{") {
            out.push('\\');
            out.push('\\');
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    Cow::Owned(out)
}

/// Cuts already-visible text to [`MAX_CELL_CHARS`] characters with `…`; `None` when it
/// fits.
pub fn truncate(s: &str) -> Option<String> {
    let (cut, _) = s.char_indices().nth(MAX_CELL_CHARS)?;
    let mut t = s[..cut].to_string();
    t.push('…');
    Some(t)
}

/// Text for a terminal: control characters (ESC, BEL, CR, the C1 range…) and invisible
/// ones escaped, so input cannot move the cursor, retitle the window or hide text.
pub fn terminal(s: &str) -> Cow<'_, str> {
    visible(s)
}

/// Characters that make a spreadsheet treat a cell as a formula when they start it
/// (OWASP "CSV injection"): `=`, `+`, `-`, `@`, TAB and CR.
pub fn is_formula_start(s: &str) -> bool {
    matches!(
        s.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_control_characters_are_escaped() {
        assert_eq!(visible("eni-0a1b"), Cow::Borrowed("eni-0a1b"));
        assert_eq!(visible("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(visible("a\u{200b}b\u{feff}"), "a\\u{200b}b\\u{feff}");
        assert_eq!(visible("\u{1b}]0;pwned\u{7}"), "\\u{1b}]0;pwned\\u{7}");
        assert_eq!(visible("x\u{85}y\r\n"), "x\\u{85}y\\u{d}\\u{a}");
        // A literal escape in the data cannot pass for one made here.
        assert_eq!(visible("\\u{202e}"), "\\\\u{202e}");
        assert_eq!(visible("é 東京"), Cow::Borrowed("é 東京"));
    }

    #[test]
    fn breaks_can_be_kept() {
        assert_eq!(
            visible_keeping_breaks("a\nb\u{202e}\tc"),
            "a\nb\\u{202e}\tc"
        );
        assert_eq!(visible_keeping_breaks("plain"), Cow::Borrowed("plain"));
    }

    #[test]
    fn formula_starts() {
        for s in ["=1+1", "+1", "-1", "-foo", "@SUM(A1)", "\tx", "\rx"] {
            assert!(is_formula_start(s), "{s:?}");
        }
        for s in ["", "1", "eni-1", " =1", "'=1", "ACCEPT"] {
            assert!(!is_formula_start(s), "{s:?}");
        }
    }
}
