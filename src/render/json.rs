//! Pretty JSON that is safe on a terminal. serde_json escapes only U+0000..U+001F, so
//! DEL and the C1 controls (U+007F..U+009F, among them the 8-bit CSI U+009B and OSC
//! U+009D that some terminals obey) would reach the screen raw when JSON is printed
//! there. They are written as `\u009b` instead: the same JSON string, so programs read
//! exactly the text that was stored.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

/// Pretty JSON of `value` into `w`, every control character escaped.
pub fn to_writer_pretty<W: Write, T: Serialize + ?Sized>(
    w: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(w, Safe(PrettyFormatter::new()));
    value.serialize(&mut ser)
}

/// Pretty JSON of `value` as a string, every control character escaped.
pub fn to_string_pretty<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut buf = Vec::new();
    to_writer_pretty(&mut buf, value)?;
    // serde_json writes UTF-8 only.
    Ok(String::from_utf8(buf).unwrap_or_default())
}

/// serde_json's pretty formatter, with DEL and C1 controls escaped in strings.
struct Safe(PrettyFormatter<'static>);

fn is_c1(c: char) -> bool {
    ('\u{7f}'..='\u{9f}').contains(&c)
}

impl Formatter for Safe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((i, c)) = rest.char_indices().find(|&(_, c)| is_c1(c)) {
            writer.write_all(&rest.as_bytes()[..i])?;
            write!(writer, "\\u{:04x}", c as u32)?;
            rest = &rest[i + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c1_controls_are_escaped_and_read_back_the_same() {
        let text = "a\u{9b}2J b\u{1b}[2J c\u{7f} d\u{a0}é\u{9d}";
        let json = to_string_pretty(&serde_json::json!({ "t": [text] })).unwrap();
        assert!(!json.chars().any(|c| c.is_control() && c != '\n'), "{json}");
        assert!(
            json.contains("\\u009b2J") && json.contains("\\u001b[2J"),
            "{json}"
        );
        // The same layout as serde_json's own pretty printer.
        let plain = serde_json::to_string_pretty(&serde_json::json!({ "t": ["x"] })).unwrap();
        let ours = to_string_pretty(&serde_json::json!({ "t": ["x"] })).unwrap();
        assert_eq!(plain, ours);
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["t"][0], text);
    }
}
