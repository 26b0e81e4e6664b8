//! Quoted passages: straight and typographic double quotes, `«»` and `„“`, outermost only.

use std::ops::Range;

use super::MIN_QUOTE_WORDS;
use crate::diff::normalize::{tokens, TokenKind};

/// Byte ranges (inside the marks) of the outermost quoted passages of `body`.
pub(super) fn quotes(body: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for para in body.split("\n\n") {
        for r in quotes_in(para) {
            let words = para.get(r.clone()).map_or(0, |q| {
                tokens(q).filter(|t| t.kind == TokenKind::Word).count()
            });
            if words >= MIN_QUOTE_WORDS {
                out.push(offset + r.start..offset + r.end);
            }
        }
        offset += para.len() + 2;
    }
    out
}

fn quotes_in(para: &str) -> Vec<Range<usize>> {
    let chars: Vec<(usize, char)> = para.char_indices().collect();
    let is_letter = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '\u{0640}');
    let is_space_or_open =
        |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || "([{:—–-«„“".contains(c));
    let mut stack: Vec<(char, usize)> = Vec::new(); // (expected closer, content start)
    let mut out = Vec::new();
    for (k, &(i, c)) in chars.iter().enumerate() {
        let prev = k.checked_sub(1).and_then(|p| chars.get(p)).map(|p| p.1);
        let next = chars.get(k + 1).map(|n| n.1);
        let after = i + c.len_utf8();
        let close = |stack: &mut Vec<(char, usize)>, out: &mut Vec<Range<usize>>| {
            if let Some((_, start)) = stack.pop() {
                if stack.is_empty() {
                    out.push(start..i);
                }
            }
        };
        match c {
            '«' => stack.push(('»', after)),
            '„' => stack.push(('“', after)),
            '»' if stack.last().is_some_and(|s| s.0 == '»') => close(&mut stack, &mut out),
            '“' if stack.last().is_some_and(|s| s.0 == '“') => close(&mut stack, &mut out),
            '“' => stack.push(('”', after)),
            '”' if stack.last().is_some_and(|s| s.0 == '”' || s.0 == '“') => {
                close(&mut stack, &mut out)
            }
            '"' => {
                let opens = next.is_some_and(|n| !n.is_whitespace())
                    && (is_space_or_open(prev) || is_letter(prev) && is_letter(next));
                let closes = stack.last().is_some_and(|s| s.0 == '"')
                    && prev.is_some_and(|p| !p.is_whitespace());
                if closes && !(opens && is_letter(prev) && is_letter(next)) {
                    close(&mut stack, &mut out);
                } else if opens {
                    stack.push(('"', after));
                }
            }
            _ => {}
        }
    }
    out
}
