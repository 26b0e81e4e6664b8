//! Article and section labels at the start of a line: `Article 3`, `Статья 3`,
//! `المادة 3`, `3.`, `3.1`, `(a)`, `iv)`, and markdown-ish headings (`## Scope`).

use std::ops::Range;

/// Words that name a numbered part of a document, lowercased (en, ru, ar).
const PART_WORDS: &[&str] = &[
    "article",
    "section",
    "chapter",
    "part",
    "annex",
    "appendix",
    "schedule",
    "clause",
    "paragraph",
    "rule",
    "статья",
    "раздел",
    "глава",
    "часть",
    "пункт",
    "приложение",
    "параграф",
    "المادة",
    "مادة",
    "الفصل",
    "الباب",
    "البند",
    "الجزء",
    "الملحق",
    "القسم",
];

/// What kind of label a line starts with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LabelKind {
    /// A word and a number (`Article 3`): the word, lowercased.
    Part(String),
    /// A bare number (`3.`, `3)`, `3.1.`): how many levels it has.
    Number(usize),
    /// A letter in brackets or before one (`(a)`, `b)`).
    Letter,
    /// A roman numeral in brackets or before one (`(iv)`, `IV.`).
    Roman,
    /// A markdown heading (`#`s, then text): how many `#`s.
    Heading(usize),
}

/// A label at the start of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub kind: LabelKind,
    /// The bytes of its number in the line (empty for a markdown heading).
    pub number: Range<usize>,
    /// Its value, for renumbering: digits read in any script, letters and roman numerals
    /// by their place; none for headings.
    pub value: Option<u64>,
    /// The bytes of the whole label in the line (`Article 3`, `(a)`, `## Scope`), without
    /// the punctuation after it.
    pub span: Range<usize>,
    /// Whether the line is only the label (and a short title): a heading of what follows.
    pub heading_only: bool,
}

impl Label {
    /// How the label is shown: the label, or a heading's first words. `line` is the text
    /// its offsets are in.
    pub fn shown(&self, line: &str) -> String {
        let text = line.get(self.span.clone()).unwrap_or_default();
        clip(text.trim_start_matches('#').trim(), 8)
    }
}

/// The label a line starts with, if any.
pub fn label_of(line: &str) -> Option<Label> {
    let lead = line.len() - line.trim_start().len();
    let body = line.get(lead..)?.trim_end();
    let first = body.chars().next()?;
    if first == '#' {
        let level = body.chars().take_while(|&c| c == '#').count();
        let rest = body.get(level..)?;
        if level > 6 || !rest.starts_with([' ', '\t']) || rest.trim().is_empty() {
            return None;
        }
        return Some(Label {
            kind: LabelKind::Heading(level),
            number: lead..lead,
            value: None,
            span: lead..lead + body.len(),
            heading_only: true,
        });
    }
    if first == '(' {
        return bracketed(line, lead, body);
    }
    if first.is_alphabetic() {
        if let Some(label) = part(line, lead, body) {
            return Some(label);
        }
    }
    bare(line, lead, body)
}

/// `Article 3`, `Статья 3.`, `المادة 3`, `ARTICLE IV`.
fn part(line: &str, lead: usize, body: &str) -> Option<Label> {
    let word_end = body.find(char::is_whitespace)?;
    let word = body.get(..word_end)?;
    let lower = word.to_lowercase();
    if !PART_WORDS.contains(&lower.as_str()) {
        return None;
    }
    let after = body.get(word_end..)?;
    let gap = after.len() - after.trim_start().len();
    let rest = after.trim_start();
    let num_len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '.'))
        .unwrap_or(rest.len());
    let number = rest.get(..num_len)?.trim_end_matches('.');
    let value = number_value(number).or_else(|| roman_value(number))?;
    let start = lead + word_end + gap;
    let end = start + number.len();
    Some(Label {
        kind: LabelKind::Part(lower),
        number: start..end,
        value: Some(value),
        span: lead..end,
        heading_only: is_heading_only(line.get(end..).unwrap_or_default()),
    })
}

/// `(a)`, `(iv)`, `(3)`.
fn bracketed(line: &str, lead: usize, body: &str) -> Option<Label> {
    let close = body.find(')')?;
    let inner = body.get(1..close)?;
    let (kind, value) = classify(inner)?;
    let end = lead + close + 1;
    if !followed_by_space(line, end) {
        return None;
    }
    Some(Label {
        kind,
        number: lead + 1..lead + close,
        value: Some(value),
        span: lead..end,
        heading_only: is_heading_only(line.get(end..).unwrap_or_default()),
    })
}

/// `3.`, `3)`, `3.1.`, `a)`, `IV.`: a number followed by `.` or `)` and a space.
fn bare(line: &str, lead: usize, body: &str) -> Option<Label> {
    let len = body
        .find(|c: char| !(c.is_alphanumeric() || c == '.'))
        .unwrap_or(body.len());
    let mut token = body.get(..len)?;
    let closing = body.get(len..)?.starts_with(')');
    if !closing {
        token = token.strip_suffix('.')?;
    }
    let end = lead + len + usize::from(closing);
    if token.is_empty() || !followed_by_space(line, end) {
        return None;
    }
    let (kind, value) = classify(token)?;
    // A single letter before a dot (`a. `) is too often an initial; only `a)` counts.
    if kind == LabelKind::Letter && !closing {
        return None;
    }
    Some(Label {
        kind,
        number: lead..lead + token.len(),
        value: Some(value),
        span: lead..lead + token.len(),
        heading_only: is_heading_only(line.get(end..).unwrap_or_default()),
    })
}

/// A number (levels `3.1` read by their last part), one letter, or a roman numeral.
fn classify(token: &str) -> Option<(LabelKind, u64)> {
    if let Some(v) = number_value(token) {
        return Some((LabelKind::Number(token.split('.').count()), v));
    }
    let mut chars = token.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_lowercase() && c.is_alphabetic() && !"ivx".contains(c) {
            return Some((LabelKind::Letter, letter_value(c)?));
        }
    }
    roman_value(token).map(|v| (LabelKind::Roman, v))
}

/// `3`, `١٢`, `3.1` (the last part), in any script's decimal digits.
fn number_value(token: &str) -> Option<u64> {
    let last = token.rsplit('.').next()?;
    if last.is_empty() || last.len() > 24 || token.split('.').any(str::is_empty) {
        return None;
    }
    let mut value: u64 = 0;
    for part in token.split('.') {
        value = 0;
        for c in part.chars() {
            value = value.checked_mul(10)?.checked_add(u64::from(digit(c)?))?;
        }
    }
    Some(value)
}

fn digit(c: char) -> Option<u32> {
    if let Some(d) = c.to_digit(10) {
        return Some(d);
    }
    // Arabic-Indic and Persian digits.
    match u32::from(c) {
        u @ 0x660..=0x669 => Some(u - 0x660),
        u @ 0x6F0..=0x6F9 => Some(u - 0x6F0),
        _ => None,
    }
}

/// The place of a letter in its alphabet (Latin, Cyrillic, Arabic abjad order aside).
fn letter_value(c: char) -> Option<u64> {
    let u = u32::from(c);
    match u {
        0x61..=0x7A => Some(u64::from(u - 0x60)),
        0x430..=0x44F => Some(u64::from(u - 0x42F)),
        _ => None,
    }
}

fn roman_value(token: &str) -> Option<u64> {
    if token.is_empty() || token.len() > 8 {
        return None;
    }
    let upper = token.chars().all(|c| "IVXLC".contains(c));
    let lower = token.chars().all(|c| "ivxlc".contains(c));
    if !upper && !lower {
        return None;
    }
    let val = |c: char| match c.to_ascii_uppercase() {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        _ => 100,
    };
    let digits: Vec<u64> = token.chars().map(val).collect();
    let mut total = 0;
    for (i, &d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|&next| next > d) {
            total -= d as i64;
        } else {
            total += d as i64;
        }
    }
    u64::try_from(total).ok().filter(|&v| v > 0)
}

fn followed_by_space(line: &str, end: usize) -> bool {
    line.get(end..)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
}

/// What follows a label is a title rather than a passage: short, no sentence end.
fn is_heading_only(rest: &str) -> bool {
    let rest = rest
        .trim_start_matches(['.', ':', ')', '-', '—', '–'])
        .trim();
    rest.split_whitespace().count() <= 10 && !rest.ends_with(['.', ';', ',', '،', '؛'])
}

fn clip(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= n {
        words.join(" ")
    } else {
        format!("{} …", words[..n].join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(line: &str) -> Option<(String, Option<u64>, bool)> {
        label_of(line).map(|l| (l.shown(line), l.value, l.heading_only))
    }

    #[test]
    fn labels_in_three_languages() {
        assert_eq!(
            shown("Article 3"),
            Some(("Article 3".into(), Some(3), true))
        );
        assert_eq!(
            shown("Статья 12. Сотрудничество сторон"),
            Some(("Статья 12".into(), Some(12), true))
        );
        assert_eq!(shown("المادة ٤"), Some(("المادة ٤".into(), Some(4), true)));
        assert_eq!(
            shown("ARTICLE IV"),
            Some(("ARTICLE IV".into(), Some(4), true))
        );
        assert_eq!(
            shown("3. The Parties shall cooperate."),
            Some(("3".into(), Some(3), false))
        );
        assert_eq!(
            shown("(b) exchange information;"),
            Some(("(b)".into(), Some(2), false))
        );
        assert_eq!(
            shown("## Final provisions"),
            Some(("Final provisions".into(), None, true))
        );
        assert_eq!(shown("2.1. Scope"), Some(("2.1".into(), Some(1), true)));
    }

    #[test]
    fn prose_is_not_a_label() {
        for line in [
            "The article 3 of the law",
            "Articles of faith",
            "2030 is the horizon.",
            "a. b. smith",
            "#hashtag",
            "(see above) text",
            "Part of the plan",
            "",
        ] {
            assert_eq!(label_of(line), None, "{line}");
        }
    }
}
