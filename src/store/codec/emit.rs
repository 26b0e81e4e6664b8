//! The emitter: records in the store's stable YAML form. Fields in the order the record
//! types declare them; plain scalars only where every YAML 1.1 and 1.2 reader reads the
//! same text, double quotes otherwise; literal block scalars for multi-line text, and a
//! double-quoted form that still breaks at the text's own line ends for texts a block
//! scalar cannot carry (form feeds, other C0 controls).

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;

/// Writes a record as YAML in the store's stable form.
pub fn encode<T: Serialize>(record: &T) -> String {
    let value = serde_json::to_value(record).unwrap_or(Value::Null);
    let mut out = String::new();
    if let Value::Object(map) = &value {
        emit_map(&mut out, map, 0);
    }
    out
}

/// Writes one top-level field of a record, as [`encode`] writes it within the whole
/// record (nothing when the record leaves it out): the lines of `encode`'s output are
/// those of each field in turn.
pub fn encode_field<T: Serialize>(record: &T, field: &str) -> String {
    let mut out = String::new();
    if let Ok(Value::Object(map)) = serde_json::to_value(record) {
        if let Some(value) = map.get(field) {
            emit_entry(&mut out, field, value, 0);
        }
    }
    out
}

/// Writes a list of records as one YAML sequence in the same stable form (`[]` when empty).
pub fn encode_list<T: Serialize>(records: &[T]) -> String {
    let items: Vec<Value> = records
        .iter()
        .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
        .collect();
    if items.is_empty() {
        return "[]\n".into();
    }
    let mut out = String::new();
    emit_seq(&mut out, &items, 0);
    out
}

fn emit_map(out: &mut String, map: &serde_json::Map<String, Value>, indent: usize) {
    let mut first = true;
    for (key, value) in map {
        if !first || indent > 0 {
            push_indent(out, indent);
        }
        first = false;
        emit_entry(out, key, value, indent);
    }
}

fn emit_entry(out: &mut String, key: &str, value: &Value, indent: usize) {
    out.push_str(&scalar_inline(key));
    out.push(':');
    match value {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            emit_map(out, m, indent + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            emit_seq(out, a, indent + 2);
        }
        _ => emit_scalar(out, value, indent + 2),
    }
}

fn emit_seq(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        push_indent(out, indent);
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => {
                let mut first = true;
                for (k, v) in m {
                    if !first {
                        push_indent(out, indent + 2);
                    }
                    first = false;
                    emit_entry(out, k, v, indent + 2);
                }
            }
            Value::Array(a) if !a.is_empty() => {
                // A list in a list (synonym groups): `- - first` then `  - second`.
                let mut s = String::new();
                emit_seq(&mut s, a, indent + 2);
                out.push_str(&s[indent + 2..]);
            }
            _ => {
                // A scalar after "- ": block scalars indent relative to the dash's content.
                let mut s = String::new();
                emit_scalar(&mut s, item, indent + 2);
                out.push_str(s.strip_prefix(' ').unwrap_or(&s));
            }
        }
    }
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// Writes `value` after a `key:` (with its leading space) and the line end.
fn emit_scalar(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::String(s) if is_multiline(s) => {
            if can_be_literal(s) {
                emit_literal(out, s, indent);
            } else {
                emit_double_quoted_lines(out, s, indent);
            }
        }
        Value::String(s) => {
            out.push(' ');
            out.push_str(&scalar_inline(s));
            out.push('\n');
        }
        Value::Number(n) => {
            let _ = writeln!(out, " {n}");
        }
        Value::Bool(b) => {
            let _ = writeln!(out, " {b}");
        }
        Value::Null => out.push_str(" null\n"),
        Value::Array(_) => out.push_str(" []\n"),
        Value::Object(_) => out.push_str(" {}\n"),
    }
}

fn is_multiline(s: &str) -> bool {
    s.contains('\n')
}

/// Characters a YAML block scalar cannot carry as they are.
fn unprintable(c: char) -> bool {
    match c {
        '\t' | '\n' => false,
        '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' => true,
        c => c.is_control(),
    }
}

fn can_be_literal(s: &str) -> bool {
    if s.chars().any(unprintable) {
        return false;
    }
    // A text whose trailing line breaks are followed by spaces, or that is only line breaks,
    // is safer in quotes: chomping rules would not keep it exactly.
    let body = s.trim_end_matches('\n');
    if body.is_empty() || body.ends_with([' ', '\t']) && s.ends_with('\n') {
        return false;
    }
    // Lines made only of spaces directly after the header, or leading tabs, confuse
    // indentation detection in some readers.
    !body.lines().any(|l| l.starts_with('\t'))
}

fn emit_literal(out: &mut String, s: &str, indent: usize) {
    let trailing = s.len() - s.trim_end_matches('\n').len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let first_line = s.lines().next().unwrap_or("");
    // The indentation indicator counts from the parent node's indentation, not from the
    // line's start: our content always sits 2 columns further in than its key or dash.
    let indicator = if first_line.starts_with(' ')
        || (first_line.is_empty() && s.trim_start_matches('\n').starts_with(' '))
    {
        "2".to_string()
    } else {
        String::new()
    };
    let _ = writeln!(out, " |{indicator}{chomp}");
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        if !line.is_empty() {
            push_indent(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// A double-quoted scalar that still breaks at the text's own line ends, so a text with
/// control characters stays readable and line-diffable.
fn emit_double_quoted_lines(out: &mut String, s: &str, indent: usize) {
    out.push_str(" \"");
    let mut lines = s.split('\n').peekable();
    while let Some(line) = lines.next() {
        let escaped = escape_double(line);
        out.push_str(&escaped);
        if lines.peek().is_some() {
            // `\n` is the line break itself; `\` at the end of the line folds away the
            // break in the YAML; the next line's indentation is then ignored by readers.
            out.push_str("\\n\\\n");
            push_indent(out, indent);
            if let Some(next) = lines.peek() {
                if next.starts_with(' ') {
                    out.push('\\');
                }
            }
        }
    }
    out.push_str("\"\n");
}

fn escape_double(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if unprintable(c) => {
                let n = c as u32;
                if n <= 0xFF {
                    let _ = write!(out, "\\x{n:02X}");
                } else {
                    let _ = write!(out, "\\u{n:04X}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A one-line scalar: plain when every YAML reader reads it back as the same text,
/// double-quoted otherwise.
fn scalar_inline(s: &str) -> String {
    if plain_is_safe(s) {
        s.to_string()
    } else {
        format!("\"{}\"", escape_double(s))
    }
}

/// Plain scalars are kept to texts that start with a letter, are not a YAML 1.1 or 1.2
/// boolean or null word, and hold nothing YAML gives meaning to.
fn plain_is_safe(s: &str) -> bool {
    const WORDS: &[&str] = &["y", "n", "yes", "no", "true", "false", "on", "off", "null"];
    let Some(first) = s.chars().next() else {
        return false;
    };
    first.is_alphabetic()
        && !WORDS.contains(&s.to_ascii_lowercase().as_str())
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s
            .chars()
            .any(|c| unprintable(c) || c == '\t' || crate::escape::needs_escape(c))
}
