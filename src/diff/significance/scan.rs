//! The markers of one passage: commitment words, negations, numbers and years, each with
//! its span in the text. Words come from the shared language layer ([`Analyzer`]: the same
//! tokens, normalisation and Arabic clitics as every comparison).

use std::ops::Range;

use super::lexicon::{self, key, Compiled, Role};
use crate::diff::lang::{Analyzer, Lang};
use crate::diff::normalize::is_joiner;

/// A word of the passage.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    /// Byte range in the whole text.
    pub span: Range<usize>,
    /// Normalised ([`key`]).
    pub key: String,
    /// Normalised with Arabic clitics off and English spelling folded.
    pub base: String,
    pub lang: Option<Lang>,
    /// A stop word of its language (`the`, `в`, `في`).
    pub stop: bool,
}

/// What a marker says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Mark {
    /// Commitment strength: 3 must/will, 2 should, 1 may.
    Modal(u8),
    Negation,
    Number(f64),
    Year(i64),
}

#[derive(Debug, Clone)]
pub(crate) struct Marker {
    pub mark: Mark,
    /// Byte range in the whole text.
    pub span: Range<usize>,
    /// A number written in words (`one`), not digits.
    pub spelled: bool,
}

/// The words of `text[range]`.
pub(crate) fn words(text: &str, range: Range<usize>, an: &mut Analyzer) -> Vec<Word> {
    let part = text.get(range.clone()).unwrap_or_default();
    an.terms(part)
        .into_iter()
        .map(|t| {
            let span = range.start + t.span.start..range.start + t.span.end;
            let mut base = String::with_capacity(t.base.len());
            crate::diff::lang::fold_arabic_letters(&t.base, &mut base);
            Word {
                key: key(text.get(span.clone()).unwrap_or_default()),
                base,
                lang: t.lang,
                stop: t.stop,
                span,
            }
        })
        .collect()
}

impl Word {
    fn is(&self, w: &str) -> bool {
        self.key == w || self.base == w
    }
}

/// Whether `words[i]` and `words[i + 1]` stand next to each other: only whitespace, a
/// hyphen or an apostrophe between.
fn adjacent(text: &str, words: &[Word], i: usize) -> bool {
    match (words.get(i), words.get(i + 1)) {
        (Some(a), Some(b)) => text
            .get(a.span.end..b.span.start)
            .is_some_and(|gap| gap.chars().all(|c| c.is_whitespace() || is_joiner(c))),
        _ => false,
    }
}

/// The length of the longest phrase of `list` starting at `words[i]`.
fn phrase_at<'p>(
    text: &str,
    words: &[Word],
    i: usize,
    list: impl IntoIterator<Item = &'p Vec<String>>,
) -> Option<usize> {
    list.into_iter()
        .find(|p| {
            p.iter().enumerate().all(|(k, w)| {
                words.get(i + k).is_some_and(|word| word.is(w))
                    && (k == 0 || adjacent(text, words, i + k - 1))
            })
        })
        .map(Vec::len)
}

fn lexicon_of(word: &Word, hint: Option<Lang>) -> Option<&'static Compiled> {
    word.lang.or(hint).and_then(lexicon::of)
}

/// The markers among `words` (all of one passage of `text`, in order).
pub(crate) fn markers(text: &str, words: &[Word], hint: Option<Lang>) -> Vec<Marker> {
    let mut out = Vec::new();
    let (mut neg_until, mut modal_until, mut num_until) = (0, 0, 0);
    for i in 0..words.len() {
        let span_of = |n: usize| words[i].span.start..words[i + n - 1].span.end;
        if i >= num_until {
            if let Some((n, mark)) = number_at(text, words, i, hint) {
                num_until = i + n;
                if let Some(mark) = mark {
                    out.push(Marker {
                        mark,
                        span: span_of(n),
                        spelled: ascii_digits(&words[i].key).is_none(),
                    });
                }
                continue;
            }
        }
        if i < num_until {
            continue;
        }
        let Some(lex) = lexicon_of(&words[i], hint) else {
            continue;
        };
        if i >= neg_until && i >= modal_until {
            // A negated obligation that leaves the choice open: a permission, its negation
            // part of it.
            if let Some(n) = phrase_at(text, words, i, &lex.not_obliged) {
                (neg_until, modal_until) = (i + n, i + n);
                out.push(Marker {
                    mark: Mark::Modal(1),
                    span: span_of(n),
                    spelled: false,
                });
                continue;
            }
        }
        if i >= neg_until {
            if let Some(n) = phrase_at(text, words, i, &lex.not_negation) {
                neg_until = i + n;
            } else if let Some(n) = phrase_at(text, words, i, &lex.negation) {
                neg_until = i + n;
                if negates(text, words, i, lex) {
                    out.push(Marker {
                        mark: Mark::Negation,
                        span: span_of(n),
                        spelled: false,
                    });
                }
            }
        }
        if i >= modal_until {
            let found = lex
                .modal
                .iter()
                .find(|(p, _)| phrase_at(text, words, i, std::iter::once(p)).is_some());
            if let Some((p, level)) = found {
                modal_until = i + p.len();
                if is_modal(text, words, i, lex) {
                    out.push(Marker {
                        mark: Mark::Modal(*level),
                        span: span_of(p.len()),
                        spelled: false,
                    });
                }
            }
        }
    }
    out
}

/// The previous word, when only whitespace, a joiner or a full stop (`Art. 5`) stands
/// between it and `words[i]`.
fn prev<'w>(text: &str, words: &'w [Word], i: usize) -> Option<&'w Word> {
    let p = words.get(i.checked_sub(1)?)?;
    let gap = text.get(p.span.end..words[i].span.start)?;
    gap.chars()
        .all(|c| c.is_whitespace() || is_joiner(c) || c == '.')
        .then_some(p)
}

/// `no` before a number is `No. 5`; the `t` of a contraction only after an apostrophe.
fn negates(text: &str, words: &[Word], i: usize, lex: &Compiled) -> bool {
    let w = &words[i];
    if lex.lang == Lang::En && w.key == "t" {
        return text
            .get(..w.span.start)
            .and_then(|t| t.chars().next_back())
            .is_some_and(|c| matches!(c, '\'' | '\u{2019}'));
    }
    if lex.lang == Lang::En && w.key == "no" {
        return !words.get(i + 1).is_some_and(|n| is_digits(&n.key));
    }
    true
}

/// `May` as a month, `will` as a noun, `قد` before a past verb are not commitments.
fn is_modal(text: &str, words: &[Word], i: usize, lex: &Compiled) -> bool {
    let w = &words[i];
    let original = text.get(w.span.clone()).unwrap_or_default();
    let after_noun_word = prev(text, words, i).is_some_and(|p| lex.noun_after.contains(&p.key));
    match (lex.lang, w.key.as_str()) {
        (Lang::En, "may") => {
            let capital = original.starts_with('M');
            let next_is_number = words.get(i + 1).is_some_and(|n| is_digits(&n.key));
            !(next_is_number || capital && !sentence_start(text, w.span.start))
        }
        (Lang::En, "will" | "can" | "must") => !after_noun_word,
        // قد with an imperfect verb is "may"; with a past verb, "already".
        (Lang::Ar, "قد") => words
            .get(i + 1)
            .is_some_and(|n| n.key.starts_with(['ي', 'ت', 'ن']) && n.key.chars().count() >= 3),
        _ => true,
    }
}

fn sentence_start(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or_default().trim_end();
    before.is_empty() || before.ends_with(['.', '!', '?', ':', ';', '\n', '"', '«', '؟'])
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// The value of a digit in any script (Unicode decimal digits come in runs of ten).
fn digit_value(c: char) -> Option<u32> {
    const ZEROS: [u32; 38] = [
        0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
        0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
        0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
        0xFF10, 0x1D7CE,
    ];
    let u = u32::from(c);
    ZEROS
        .iter()
        .find(|&&z| (z..z + 10).contains(&u))
        .map(|z| u - z)
}

/// The ASCII digits of a word made only of digits (any script).
fn ascii_digits(word: &str) -> Option<String> {
    if word.is_empty() {
        return None;
    }
    word.chars()
        .map(|c| digit_value(c).and_then(|d| char::from_digit(d, 10)))
        .collect()
}

/// A number starting at `words[i]`: how many words it takes, and its marker (`None` for a
/// label number like `Article 3` or a list number `3.`, which are not quantities).
fn number_at(
    text: &str,
    words: &[Word],
    i: usize,
    hint: Option<Lang>,
) -> Option<(usize, Option<Mark>)> {
    let w = &words[i];
    let (n, value, year) = if let Some(first) = ascii_digits(&w.key) {
        digits_at(text, words, i, &first, hint)
    } else {
        let lex = lexicon_of(w, hint)?;
        let (n, value) = number_words_at(text, words, i, lex)?;
        let pronoun = n == 1
            && value == 1.0
            && prev(text, words, i).is_some_and(|p| lex.one_after.contains(&p.key));
        if pronoun {
            return Some((1, None));
        }
        (n, value, false)
    };
    if is_label(text, words, i, hint) {
        return Some((n, None));
    }
    let mark = if year {
        Mark::Year(value as i64)
    } else {
        Mark::Number(value)
    };
    Some((n, Some(mark)))
}

/// Digit groups from `words[i]`: thousands groups, one decimal part, a scale word after.
/// Returns the words taken, the value and whether it reads as a year.
fn digits_at(
    text: &str,
    words: &[Word],
    i: usize,
    first: &str,
    hint: Option<Lang>,
) -> (usize, f64, bool) {
    let decimal_sep = hint.and_then(lexicon::of).map_or('.', |l| l.decimal);
    let mut int = first.to_owned();
    let mut frac = String::new();
    let mut n = 1;
    while let Some(next) = words.get(i + n) {
        let gap = text
            .get(words[i + n - 1].span.end..next.span.start)
            .unwrap_or_default();
        let Some(group) = ascii_digits(&next.key) else {
            break;
        };
        let mut chars = gap.chars();
        let (Some(sep), None) = (chars.next(), chars.next()) else {
            break;
        };
        let thousands_sep = matches!(sep, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | '٬' | '\'')
            || (matches!(sep, ',' | '.') && sep != decimal_sep);
        if frac.is_empty() && group.len() == 3 && thousands_sep && (int.len() <= 3 || n > 1) {
            int.push_str(&group);
        } else if frac.is_empty() && (sep == decimal_sep || matches!(sep, '.' | '٫')) {
            frac = group;
            n += 1;
            break;
        } else {
            break;
        }
        n += 1;
    }
    let mut value: f64 = format!("{int}.{}", if frac.is_empty() { "0" } else { &frac })
        .parse()
        .unwrap_or(0.0);
    let year = n == 1
        && int.len() == 4
        && (1000..=2999).contains(&(value as i64))
        && reads_as_year(text, words, i, hint);
    if let Some(next) = words
        .get(i + n)
        .filter(|_| adjacent(text, words, i + n - 1))
    {
        if let Some(&(scale, Role::Scale | Role::Times)) = lexicon_of(next, hint)
            .and_then(|l| l.numbers.get(&next.key).or(l.numbers.get(&next.base)))
        {
            value *= scale;
            return (n + 1, value, false);
        }
    }
    (n, value, year)
}

/// Whether a lone four-digit number `words[i]` from 1000 to 2999 is a year rather than a
/// count, from the words around it: a year word after it (`года`, `AD`) or a year noun
/// before it (`year`, `عام`) says year; then, in English, a preposition of time before it
/// (`by 2030`); then a noun right after it says count (`2000 troops`, `2000 جندي`, `до
/// 2000 военнослужащих`); then a preposition of time says year; with no cue, a year.
fn reads_as_year(text: &str, words: &[Word], i: usize, hint: Option<Lang>) -> bool {
    let lex = hint.or(words[i].lang).and_then(lexicon::of);
    let Some(lex) = lex else { return true };
    let in_list = |w: &Word, list: &std::collections::HashSet<String>| {
        list.contains(&w.key) || list.contains(&w.base)
    };
    let next = words
        .get(i + 1)
        .filter(|_| adjacent(text, words, i) || next_after_space(text, words, i));
    let before = prev(text, words, i);
    if next.is_some_and(|w| in_list(w, &lex.year_after)) {
        return true;
    }
    if before.is_some_and(|w| in_list(w, &lex.year_nouns)) {
        return true;
    }
    let after_prep = before.is_some_and(|w| in_list(w, &lex.year_preps));
    if after_prep && lex.bare_years {
        return true;
    }
    let noun_after = next.is_some_and(|w| {
        !w.stop
            && ascii_digits(&w.key).is_none()
            && w.key.chars().all(char::is_alphabetic)
            && !lex.labels.contains(&w.key)
    });
    !noun_after
}

/// Whether only spaces stand between `words[i]` and the next word.
fn next_after_space(text: &str, words: &[Word], i: usize) -> bool {
    match (words.get(i), words.get(i + 1)) {
        (Some(a), Some(b)) => text
            .get(a.span.end..b.span.start)
            .is_some_and(|gap| !gap.is_empty() && gap.chars().all(|c| c == ' ' || c == '\u{a0}')),
        _ => false,
    }
}

/// A run of number words from `words[i]` (`twenty-five`, `двести пять`, `خمسة وعشرون`).
fn number_words_at(text: &str, words: &[Word], i: usize, lex: &Compiled) -> Option<(usize, f64)> {
    let look = |w: &Word| {
        lex.numbers
            .get(&w.key)
            .or_else(|| lex.numbers.get(&w.base))
            .copied()
    };
    let (mut total, mut group) = (0.0, 0.0);
    let mut n = 0;
    while let Some(w) = words.get(i + n) {
        if n > 0 && !adjacent(text, words, i + n - 1) {
            break;
        }
        let Some((v, role)) = look(w) else { break };
        match role {
            Role::Add => group += v,
            Role::Times => group = if group == 0.0 { v } else { group * v },
            Role::Scale => {
                total += if group == 0.0 { 1.0 } else { group } * v;
                group = 0.0;
            }
        }
        n += 1;
    }
    (n > 0).then_some((n, total + group))
}

/// A number that names a part of the text rather than a quantity: after a label word
/// (`Article 3`, `ст. 5`, `البند 2`) or `№ § #`, or opening its line as `3.` `3)` `(3)`.
fn is_label(text: &str, words: &[Word], i: usize, hint: Option<Lang>) -> bool {
    let start = words[i].span.start;
    let before = text.get(..start).unwrap_or_default();
    let line_before = before.rsplit('\n').next().unwrap_or_default();
    if before.trim_end().ends_with(['№', '§', '#']) {
        return true;
    }
    if let Some(p) = prev(text, words, i) {
        let lex = lexicon_of(p, hint);
        if lex.is_some_and(|l| l.labels.contains(&p.key) || l.labels.contains(&p.base)) {
            return true;
        }
    }
    let opens_line = line_before.trim_start_matches([' ', '\t', '(']).is_empty();
    let after = text.get(words[i].span.end..).unwrap_or_default();
    opens_line && (after.starts_with(". ") || after.starts_with(") ") || after.starts_with(".\n"))
}

/// The heading or article label of the line, when it is one: `Article 3`, `Статья 3`,
/// `المادة 3`, `Section 2`, a Markdown heading, or a numbered paragraph (`3.`).
pub(crate) fn heading_of(line: &str) -> Option<String> {
    let line = line.trim();
    if let Some(h) = line.strip_prefix('#') {
        let h = h.trim_start_matches('#').trim();
        return (!h.is_empty()).then(|| clip(h, 8));
    }
    let mut parts = line.split_whitespace();
    let first = parts.next()?;
    let second = parts.next();
    let is_heading_word = lexicon::all().any(|l| l.headings.contains(&key(first)));
    let numbered = |s: &str| {
        let s = s.trim_end_matches(['.', ':', ')']);
        !s.is_empty()
            && (s.chars().all(|c| digit_value(c).is_some() || c == '.')
                || s.chars().all(|c| "IVXLCivxlc".contains(c)))
    };
    if is_heading_word && second.is_some_and(numbered) {
        let second = second.unwrap_or_default().trim_end_matches(['.', ':']);
        return Some(format!("{first} {second}"));
    }
    let head = first.trim_end_matches(['.', ')']);
    if first.len() > head.len()
        && !head.is_empty()
        && head.chars().all(|c| digit_value(c).is_some() || c == '.')
        && second.is_some()
    {
        return Some(first.to_owned());
    }
    None
}

fn clip(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= n {
        words.join(" ")
    } else {
        format!("{} …", words[..n].join(" "))
    }
}
