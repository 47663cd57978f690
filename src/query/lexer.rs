//! The filter language's tokens.

use super::ast::CmpOp;
use super::parse::err;
use super::QueryError;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    /// An unquoted word: field names, keywords, values.
    Word(String),
    /// A quoted string (unescaped).
    Str(String),
    LParen,
    RParen,
    Comma,
    Op(CmpOp),
    Tilde,
    NotTilde,
    Bang,
    AndAnd,
    OrOr,
    End,
}

#[derive(Clone, Debug)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) start: usize,
    pub(super) end: usize,
}

pub(super) fn is_word_char(c: char) -> bool {
    !(c.is_whitespace() || "(),=!<>~\"'".contains(c))
}

pub(super) fn lex(text: &str) -> Result<Vec<Token>, QueryError> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let c = text[i..].chars().next().unwrap();
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let two = b.get(i + 1).copied().unwrap_or(0);
        let (tok, len) = match c {
            '(' => (Tok::LParen, 1),
            ')' => (Tok::RParen, 1),
            ',' => (Tok::Comma, 1),
            '=' if two == b'=' => (Tok::Op(CmpOp::Eq), 2),
            '=' => (Tok::Op(CmpOp::Eq), 1),
            '!' if two == b'=' => (Tok::Op(CmpOp::Ne), 2),
            '!' if two == b'~' => (Tok::NotTilde, 2),
            '!' => (Tok::Bang, 1),
            '<' if two == b'=' => (Tok::Op(CmpOp::Le), 2),
            '<' if two == b'>' => (Tok::Op(CmpOp::Ne), 2),
            '<' => (Tok::Op(CmpOp::Lt), 1),
            '>' if two == b'=' => (Tok::Op(CmpOp::Ge), 2),
            '>' => (Tok::Op(CmpOp::Gt), 1),
            '~' => (Tok::Tilde, 1),
            '&' if two == b'&' => (Tok::AndAnd, 2),
            '|' if two == b'|' => (Tok::OrOr, 2),
            '"' | '\'' => {
                let mut s = String::new();
                let mut j = i + 1;
                let mut closed = false;
                while j < text.len() {
                    let d = text[j..].chars().next().unwrap();
                    j += d.len_utf8();
                    if d == c {
                        closed = true;
                        break;
                    }
                    if d == '\\' && j < text.len() {
                        let e = text[j..].chars().next().unwrap();
                        j += e.len_utf8();
                        s.push(e);
                    } else {
                        s.push(d);
                    }
                }
                if !closed {
                    return Err(err(text, start, text.len(), "unterminated string".into()));
                }
                (Tok::Str(s), j - i)
            }
            _ => {
                let mut j = i;
                while j < text.len() {
                    let d = text[j..].chars().next().unwrap();
                    if !is_word_char(d) {
                        break;
                    }
                    j += d.len_utf8();
                }
                (Tok::Word(text[i..j].to_string()), j - i)
            }
        };
        out.push(Token {
            tok,
            start,
            end: start + len,
        });
        i = start + len;
    }
    out.push(Token {
        tok: Tok::End,
        start: text.len(),
        end: text.len(),
    });
    Ok(out)
}
