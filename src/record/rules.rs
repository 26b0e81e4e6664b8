//! The rules records obey, each as the problems it finds (never a panic): ids, partial
//! dates, language tags, and a statement's or an initiative's fields taken together.

use super::{Initiative, ItemRef, Statement};

/// Why an id is not acceptable, or `None` when it is. Ids are lowercase slugs:
/// `[a-z0-9]` with single `-` between them, 1 to 80 characters.
pub fn id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("an id cannot be empty".into());
    }
    let chars = id.chars().count();
    if chars > 80 {
        return Some(format!(
            "an id has at most 80 characters; this one has {chars}"
        ));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        let shown = crate::escape::escape_char(bad);
        return Some(format!(
            "`{shown}` is not allowed in an id: use lowercase letters a-z, digits and single `-`"
        ));
    }
    if id.starts_with('-') || id.ends_with('-') {
        return Some("an id cannot start or end with `-`".into());
    }
    if id.contains("--") {
        return Some("an id cannot hold `--`: use single `-` between words".into());
    }
    None
}

/// Why a date is not acceptable, or `None`: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, a real day.
pub fn date_problem(date: &str) -> Option<String> {
    match PartialDate::parse(date) {
        Some(_) => None,
        None => Some(format!(
            "`{date}` is not a date: write YYYY-MM-DD, or YYYY-MM or YYYY when only that much is known"
        )),
    }
}

/// A date known to the year, month or day. Orders by its earliest possible day, so a
/// statement dated `2024-12` sorts before one of `2024-12-05`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn parse(s: &str) -> Option<PartialDate> {
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Option<u32> {
            (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        };
        let year = num(parts.first()?, 4)?;
        if year == 0 {
            return None;
        }
        let month = match parts.get(1) {
            Some(m) => Some(num(m, 2).filter(|m| (1..=12).contains(m))?),
            None => None,
        };
        let day = match parts.get(2) {
            Some(d) => {
                let d = num(d, 2)?;
                let max = days_in_month(year, month?);
                Some(Some(d).filter(|d| (1..=max).contains(d))?)
            }
            None => None,
        };
        if parts.len() > 3 {
            return None;
        }
        Some(PartialDate {
            year: year as u16,
            month: month.map(|m| m as u8),
            day: day.map(|d| d as u8),
        })
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Why a language tag is not a plausible BCP 47 tag, or `None`.
pub fn language_problem(tag: &str) -> Option<String> {
    let ok = !tag.is_empty()
        && tag.split('-').enumerate().all(|(i, part)| {
            let len_ok = if i == 0 {
                (2..=3).contains(&part.len())
            } else {
                (1..=8).contains(&part.len())
            };
            len_ok && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
        && tag
            .split('-')
            .next()
            .is_some_and(|p| p.chars().all(|c| c.is_ascii_alphabetic()));
    (!ok).then(|| {
        format!(
            "`{tag}` is not a language tag: use a BCP 47 tag such as `ar`, `ru`, `en` or `zh-Hant`"
        )
    })
}

/// Problems in a statement that the types alone do not rule out. Each is `(field, message)`.
pub fn statement_problems(st: &Statement) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(p) = id_problem(&st.id) {
        out.push(("id".into(), p));
    }
    if let Some(p) = id_problem(&st.initiative) {
        out.push(("initiative".into(), p));
    }
    if let Some(p) = date_problem(&st.date) {
        out.push(("date".into(), p));
    }
    if let Some(p) = language_problem(&st.language) {
        out.push(("language".into(), p));
    }
    for lang in st.translations.keys() {
        if let Some(p) = language_problem(lang) {
            out.push((format!("translations.{lang}"), p));
        }
    }
    if st.text.as_deref().is_none_or(|t| t.trim().is_empty())
        && st.summary.as_deref().is_none_or(|t| t.trim().is_empty())
    {
        out.push((
            "text".into(),
            "a statement needs its wording (`text`) or at least a `summary`".into(),
        ));
    }
    if !st.id.starts_with(&st.date) || st.id.len() == st.date.len() {
        out.push((
            "id".into(),
            format!(
                "a statement id starts with its date and a few words, e.g. `{}-speaker-venue`",
                st.date
            ),
        ));
    }
    for (field, list) in [
        ("priorities", &st.priorities),
        ("principles", &st.principles),
    ] {
        for (i, item) in list.iter().enumerate() {
            if item.text.trim().is_empty() {
                out.push((format!("{field}[{}]", i + 1), "the text is empty".into()));
            }
            for lang in item.translations.keys() {
                if let Some(p) = language_problem(lang) {
                    out.push((format!("{field}[{}].translations.{lang}", i + 1), p));
                }
            }
            for (name, pins) in [
                ("same_as", &item.same_as),
                ("not_same_as", &item.not_same_as),
            ] {
                for (k, pin) in pins.iter().enumerate() {
                    match ItemRef::parse(pin) {
                        None => out.push((
                            format!("{field}[{}].{name}[{}]", i + 1, k + 1),
                            format!("`{pin}` does not name an item: write STATEMENT-ID#N (its position) or STATEMENT-ID#KEY"),
                        )),
                        Some(r) if r.statement == st.id => out.push((
                            format!("{field}[{}].{name}[{}]", i + 1, k + 1),
                            "an item cannot be pinned to its own statement".to_owned(),
                        )),
                        Some(_) => {}
                    }
                }
            }
            if let Some(both) = item.same_as.iter().find(|p| item.not_same_as.contains(p)) {
                out.push((
                    format!("{field}[{}].not_same_as", i + 1),
                    format!("`{both}` is in both `same_as` and `not_same_as`: keep one"),
                ));
            }
            if let Some(key) = &item.key {
                if let Some(p) = id_problem(key) {
                    out.push((format!("{field}[{}].key", i + 1), p));
                }
                if list[..i].iter().any(|o| o.key.as_ref() == Some(key)) {
                    out.push((
                        format!("{field}[{}].key", i + 1),
                        format!("the key `{key}` is used twice in {field}"),
                    ));
                }
            }
        }
    }
    if let Some(src) = &st.source {
        for lang in src.title_translations.keys() {
            if let Some(p) = language_problem(lang) {
                out.push((format!("source.title_translations.{lang}"), p));
            }
        }
        for (field, value) in [
            ("source.published", &src.published),
            ("source.retrieved", &src.retrieved),
        ] {
            if let Some(p) = value.as_deref().and_then(date_problem) {
                out.push((field.into(), p));
            }
        }
        if let Some(sha) = &src.sha256 {
            if sha.len() != 64
                || !sha
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            {
                out.push((
                    "source.sha256".into(),
                    "a sha256 is 64 lowercase hex digits".into(),
                ));
            }
        }
        if src.sha256.is_some() && src.document.is_none() {
            out.push((
                "source.sha256".into(),
                "a sha256 belongs with `source.document`, the file it is the hash of".into(),
            ));
        }
    }
    out
}

/// Problems in an initiative that the types alone do not rule out.
pub fn initiative_problems(ini: &Initiative) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(p) = id_problem(&ini.id) {
        out.push(("id".into(), p));
    }
    if ini.title.trim().is_empty() {
        out.push(("title".into(), "the title is empty".into()));
    }
    if let Some(s) = &ini.supersedes {
        if let Some(p) = id_problem(s) {
            out.push(("supersedes".into(), p));
        }
        if s == &ini.id {
            out.push((
                "supersedes".into(),
                "an initiative cannot supersede itself".into(),
            ));
        }
    }
    out
}
