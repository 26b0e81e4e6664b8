//! The body of a source without its site chrome: a leading language switcher, photo
//! credits, the trailing source line and the captions just above it.

use super::lexicon::{PHOTO_LABELS, SOURCE_LABELS, SWITCHER_WORDS};

pub(super) fn is_blank(line: &str) -> bool {
    line.chars()
        .all(|c| c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}'))
}

fn is_language_switcher(line: &str) -> bool {
    let words: Vec<String> = line
        .split(|c: char| c.is_whitespace() || matches!(c, '|' | '/' | '·' | '•' | ','))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    (1..=8).contains(&words.len()) && words.iter().all(|w| SWITCHER_WORDS.contains(&w.as_str()))
}

/// Where `label` followed by a colon starts in `line` (at the start or after a space or
/// punctuation), and the text after the colon.
fn labelled<'a>(line: &'a str, label: &str) -> Option<(usize, &'a str)> {
    let lower = line.to_lowercase();
    // Lowercasing can change byte lengths: only trust positions when it did not.
    if lower.len() != line.len() {
        return None;
    }
    let want = label.to_lowercase();
    let mut from = 0;
    while let Some(found) = lower.get(from..).and_then(|l| l.find(&want)) {
        let at = from + found;
        let before_ok = line
            .get(..at)
            .and_then(|b| b.chars().next_back())
            .is_none_or(|c| !c.is_alphanumeric());
        let rest = line.get(at + want.len()..).unwrap_or_default();
        let rest_trimmed = rest.trim_start();
        if before_ok {
            if let Some(after) = rest_trimmed
                .strip_prefix(':')
                .or_else(|| rest_trimmed.strip_prefix('：'))
            {
                return Some((at, after.trim()));
            }
        }
        from = at + want.len().max(1);
    }
    None
}

fn is_photo_credit(line: &str) -> bool {
    PHOTO_LABELS
        .iter()
        .any(|l| labelled(line.trim(), l).is_some_and(|(at, _)| at == 0))
}

/// The label and outlet name of a source line.
fn source_line(line: &str) -> Option<(String, String)> {
    let line = line.trim();
    SOURCE_LABELS.iter().find_map(|l| {
        let (at, name) = labelled(line, l)?;
        let name = name.trim_end_matches(['.', '،', ',']).trim();
        (!name.is_empty() && name.split_whitespace().count() <= 6)
            .then(|| (line.get(at..).unwrap_or(line).to_string(), name.to_string()))
    })
}

/// A short line that does not end a sentence: a headline, subheading or caption.
pub(super) fn looks_like_caption(line: &str) -> bool {
    let t = line.trim();
    let words = t.split_whitespace().count();
    (1..=14).contains(&words) && !t.ends_with(['.', '!', '?', '؟', '…', ':', '؛', ';', ','])
}

/// The body, the dropped lines, and the source line (label text, outlet name) if any.
pub(super) fn extract_body(source: &str) -> (String, Vec<String>, Option<(String, String)>) {
    let lines: Vec<&str> = source
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut keep = vec![true; lines.len()];
    let mut dropped_at = Vec::new();
    // A leading language switcher.
    if let Some(i) = lines.iter().position(|l| !is_blank(l)) {
        if is_language_switcher(lines[i]) {
            keep[i] = false;
            dropped_at.push(i);
        }
    }
    // Trailing chrome, from the end.
    let mut source_found = None;
    let mut chrome = false;
    for i in (0..lines.len()).rev() {
        let line = lines[i];
        if is_blank(line) || !keep[i] {
            continue;
        }
        if let Some(found) = source_line(line) {
            source_found.get_or_insert(found);
        } else if !(is_photo_credit(line) || chrome && looks_like_caption(line)) {
            break;
        }
        chrome = true;
        keep[i] = false;
        dropped_at.push(i);
    }
    // Photo credits anywhere.
    for (i, line) in lines.iter().enumerate() {
        if keep[i] && is_photo_credit(line) {
            keep[i] = false;
            dropped_at.push(i);
        }
    }
    dropped_at.sort_unstable();
    let dropped = dropped_at
        .iter()
        .map(|&i| lines[i].trim().to_string())
        .collect();

    let mut body = String::new();
    let mut gap = false;
    for (i, line) in lines.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        if is_blank(line) {
            gap = true;
            continue;
        }
        if !body.is_empty() {
            body.push_str(if gap { "\n\n" } else { "\n" });
        }
        gap = false;
        body.push_str(line.trim_end());
    }
    (body, dropped, source_found)
}
