//! Making text safe to show: control characters and bidi overrides become visible
//! `<U+XXXX>` marks, so a record cannot scramble a terminal or a table. Data (JSON, YAML)
//! keeps text as given; only human-readable output goes through here.

use std::borrow::Cow;

/// Whether `c` must be shown escaped: C0/C1 controls other than newline and tab, and the
/// bidi embedding, override and isolate controls, zero-width and line/paragraph separators.
pub fn needs_escape(c: char) -> bool {
    match c {
        '\n' | '\t' => false,
        c if c.is_control() => true,
        '\u{200B}'..='\u{200F}'
        | '\u{2028}'..='\u{202E}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{061C}' => true,
        _ => false,
    }
}

/// `<U+202E>` for one character.
pub fn escape_char(c: char) -> String {
    if needs_escape(c) || c.is_whitespace() && c != ' ' {
        format!("<U+{:04X}>", c as u32)
    } else {
        c.to_string()
    }
}

/// The text with every character that [`needs_escape`] shown as `<U+XXXX>`.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Like [`escape`], and newlines and tabs too: for one-line cells.
pub fn escape_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push_str("⏎ "),
            '\t' => out.push(' '),
            c if needs_escape(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_bidi_and_controls_only() {
        assert_eq!(escape("abc\u{202E}def"), "abc<U+202E>def");
        assert_eq!(escape("a\u{0007}b\nc\td"), "a<U+0007>b\nc\td");
        assert_eq!(escape("نوفمبر «да»"), "نوفمبر «да»");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(escape_line("a\nb\u{2066}"), "a⏎ b<U+2066>");
    }
}
