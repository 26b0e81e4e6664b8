//! The statement's date: day and month names in Arabic, Russian and English, numeric
//! forms, the dateline first, the year completed from another mention.

use std::ops::Range;

use super::body::is_blank;
use super::lexicon::MONTHS;
use super::tokens::{is_punct, norm, Tok};
use super::Found;
use crate::record::PartialDate;

/// The month named at `toks[i..]` and how many tokens the name takes.
fn month_at(toks: &[Tok], i: usize) -> Option<(u8, usize)> {
    let first = toks.get(i).filter(|t| t.word)?;
    let second = toks.get(i + 1).filter(|t| t.word);
    for (month, names) in MONTHS {
        for name in *names {
            let parts: Vec<String> = name.split(' ').map(norm).collect();
            match parts.as_slice() {
                [one] if *one == first.norm => return Some((*month, 1)),
                [a, b] if *a == first.norm && second.is_some_and(|s| s.norm == *b) => {
                    return Some((*month, 2))
                }
                _ => {}
            }
        }
    }
    None
}

fn number(tok: Option<&Tok>, digits: std::ops::RangeInclusive<usize>) -> Option<u32> {
    let t = tok.filter(|t| t.word)?;
    (digits.contains(&t.norm.len()) && t.norm.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.norm.parse().ok())
        .flatten()
}

fn year(tok: Option<&Tok>) -> Option<u16> {
    number(tok, 4..=4)
        .filter(|y| (1900..=2199).contains(y))
        .map(|y| y as u16)
}

/// A date mention in the text.
#[derive(Debug, Clone)]
struct DateMention {
    year: Option<u16>,
    month: u8,
    day: u8,
    range: Range<usize>,
}

impl DateMention {
    fn valid(&self, year: u16) -> Option<String> {
        let s = format!("{year:04}-{:02}-{:02}", self.month, self.day);
        PartialDate::parse(&s).map(|_| s)
    }
}

fn date_mentions(toks: &[Tok]) -> Vec<DateMention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let start = toks[i].range.start;
        let span = |last: usize| start..toks.get(last).map_or(start, |t| t.range.end);
        // DAY MONTH [/ MONTH] [YEAR]
        if let (Some(day), Some((month, len))) = (number(toks.get(i), 1..=2), month_at(toks, i + 1))
        {
            let mut k = i + 1 + len;
            if is_punct(toks.get(k), &["/"]) {
                if let Some((_, alt)) = month_at(toks, k + 1) {
                    k += 1 + alt;
                }
            }
            let y = year(toks.get(k));
            let last = if y.is_some() { k } else { k - 1 };
            out.push(DateMention {
                year: y,
                month,
                day: day as u8,
                range: span(last),
            });
            i = last + 1;
            continue;
        }
        // MONTH DAY, YEAR
        if let Some((month, len)) = month_at(toks, i) {
            if let Some(day) = number(toks.get(i + len), 1..=2) {
                let mut k = i + len + 1;
                if is_punct(toks.get(k), &[","]) {
                    k += 1;
                }
                if let Some(y) = year(toks.get(k)) {
                    out.push(DateMention {
                        year: Some(y),
                        month,
                        day: day as u8,
                        range: span(k),
                    });
                    i = k + 1;
                    continue;
                }
            }
        }
        // DD.MM.YYYY
        if let (Some(day), true, Some(month), true, Some(y)) = (
            number(toks.get(i), 1..=2),
            is_punct(toks.get(i + 1), &["."]),
            number(toks.get(i + 2), 1..=2),
            is_punct(toks.get(i + 3), &["."]),
            year(toks.get(i + 4)),
        ) {
            if (1..=12).contains(&month) {
                out.push(DateMention {
                    year: Some(y),
                    month: month as u8,
                    day: day as u8,
                    range: span(i + 4),
                });
                i += 5;
                continue;
            }
        }
        // YYYY-MM-DD (one token: the hyphens join it)
        if let Some(d) = PartialDate::parse(&toks[i].norm).filter(|d| d.day.is_some()) {
            out.push(DateMention {
                year: Some(d.year),
                month: d.month.unwrap_or(1),
                day: d.day.unwrap_or(1),
                range: toks[i].range.clone(),
            });
        }
        i += 1;
    }
    out
}

/// The statement's date, or the day and month when no year completes them.
pub(super) fn detect_date(body: &str, toks: &[Tok]) -> (Option<Found>, Option<Found>) {
    let mentions = date_mentions(toks);
    let text_of = |m: &DateMention| body.get(m.range.clone()).unwrap_or_default().to_string();
    // The dateline: a date in the first four lines that hold something.
    let mut head_end = body.len();
    let (mut seen, mut pos) = (0, 0);
    for line in body.split('\n') {
        pos += line.len() + 1;
        if !is_blank(line) {
            seen += 1;
            if seen == 4 {
                head_end = pos.min(body.len());
                break;
            }
        }
    }
    let chosen = mentions
        .iter()
        .find(|m| m.range.start < head_end)
        .or_else(|| mentions.iter().find(|m| m.year.is_some()))
        .or_else(|| mentions.first());
    let Some(m) = chosen else {
        return (None, None);
    };
    if let Some(y) = m.year {
        return (
            m.valid(y).map(|value| Found {
                value,
                evidence: text_of(m),
            }),
            None,
        );
    }
    let same_day = mentions
        .iter()
        .find(|o| o.year.is_some() && o.month == m.month && o.day == m.day);
    let year_from = same_day.or_else(|| mentions.iter().find(|o| o.year.is_some()));
    match year_from.and_then(|o| Some((o, m.valid(o.year?)?))) {
        Some((o, value)) => (
            Some(Found {
                value,
                evidence: format!("{} (the year from \"{}\")", text_of(m), text_of(o)),
            }),
            None,
        ),
        None => (
            None,
            Some(Found {
                value: format!("--{:02}-{:02}", m.month, m.day),
                evidence: text_of(m),
            }),
        ),
    }
}
