//! Citations written for reference managers and typesetting: CSL-JSON (Zotero, pandoc,
//! citeproc-js), BibLaTeX and BibTeX (LaTeX), and RIS (EndNote, Zotero, Mendeley).
//!
//! The CSL-JSON items are serde types whose field names and shapes follow the CSL 1.0.2
//! input schema (`tests/fixtures/csl/csl-data.json` checks them). BibTeX and RIS are
//! written by hand: both are line formats with a handful of escapes, and the BibTeX
//! escapes must be LaTeX's (`\textasciitilde{}`, `\textbackslash{}`), which a BibLaTeX
//! round-trip library does not give. The mapping from records is `citation.rs`'s.

use serde::Serialize;

use crate::citation::{Citation, Date, Name, WorkType};

/// CSL-JSON: an array of items, pretty-printed.
pub fn csl_json(items: &[Citation]) -> String {
    let csl: Vec<CslItem> = items.iter().map(CslItem::of).collect();
    let mut s = super::json::to_string_pretty(&csl).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct CslItem<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    citation_key: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName<'a>>,
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    genre: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    container_title: Option<&'a str>,
    /// CSL 1.0.2's name for the event, and 1.0.1's (`event`) for older processors.
    #[serde(skip_serializing_if = "Option::is_none")]
    event_title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessed: Option<CslDate>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    language: &'a str,
    #[serde(rename = "abstract", skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    keyword: Option<String>,
    note: String,
    custom: CslCustom<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum CslName<'a> {
    Person { family: &'a str, given: &'a str },
    Literal { literal: &'a str },
}

#[derive(Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    parts: Vec<Vec<u16>>,
}

impl CslDate {
    fn of(d: Option<Date>) -> Option<CslDate> {
        let d = d?;
        let mut parts = vec![d.year];
        if let Some(m) = d.month {
            parts.push(u16::from(m));
            if let Some(day) = d.day {
                parts.push(u16::from(day));
            }
        }
        Some(CslDate { parts: vec![parts] })
    }
}

/// What CSL has no variable for, under `custom` (CSL 1.0.2's place for key-value data).
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
struct CslCustom<'a> {
    dossier_ref: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    dossier_commit: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    uncommitted_changes: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_document: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_sha256: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<String>,
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    translated_titles: serde_json::Map<String, serde_json::Value>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    title_described: bool,
}

impl<'a> CslItem<'a> {
    fn of(c: &'a Citation) -> CslItem<'a> {
        let kind = match c.work {
            WorkType::Speech => "speech",
            WorkType::Interview => "interview",
            WorkType::NewsArticle => "article-newspaper",
            WorkType::Report => "report",
            WorkType::Legislation => "legislation",
            WorkType::Document => "document",
        };
        let p = &c.provenance;
        CslItem {
            id: &c.key,
            kind,
            citation_key: &c.key,
            author: c
                .authors
                .iter()
                .map(|a| match a {
                    Name::Person { family, given } => CslName::Person { family, given },
                    Name::Literal(literal) => CslName::Literal { literal },
                })
                .collect(),
            title: &c.title,
            genre: c.genre.as_deref(),
            status: c.status.as_deref(),
            container_title: c.outlet.as_deref(),
            event_title: c.event.as_deref(),
            event: c.event.as_deref(),
            issued: CslDate::of(c.issued),
            accessed: CslDate::of(c.accessed),
            url: c.url.as_deref(),
            language: &c.language,
            summary: c.summary.as_deref(),
            keyword: (!c.keywords.is_empty()).then(|| c.keywords.join(", ")),
            note: c.note(),
            custom: CslCustom {
                dossier_ref: &p.reference,
                dossier_commit: p.commit.as_deref(),
                uncommitted_changes: p.commit.is_none(),
                source_document: p.document.as_deref(),
                source_sha256: p.sha256.as_deref(),
                published: c.published.map(|d| d.iso()),
                translated_titles: c
                    .translated_titles
                    .iter()
                    .map(|(l, t)| (l.clone(), serde_json::Value::String(t.clone())))
                    .collect(),
                title_described: c.described,
            },
        }
    }
}

/// Which flavour of `.bib` to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bib {
    /// BibLaTeX (biber): `@report`, `@legislation`, `date`, `urldate`, `langid`.
    Biblatex,
    /// Classic BibTeX (natbib, bibtex8): `@techreport`, `@misc`, `year` and `month`;
    /// BibLaTeX's fields that BibTeX styles do not know are kept (they are ignored).
    Bibtex,
}

/// A `.bib` file: one entry per citation.
pub fn bib(items: &[Citation], flavour: Bib) -> String {
    let mut out = String::new();
    for (i, c) in items.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&bib_entry(c, flavour));
    }
    out
}

fn bib_entry(c: &Citation, flavour: Bib) -> String {
    let classic = flavour == Bib::Bibtex;
    let (ty, outlet_field) = match (c.work, classic) {
        (WorkType::NewsArticle, false) => ("article", "journaltitle"),
        (WorkType::NewsArticle, true) => ("article", "journal"),
        (WorkType::Report, false) => ("report", "institution"),
        (WorkType::Report, true) => ("techreport", "institution"),
        (WorkType::Legislation, false) => ("legislation", "howpublished"),
        _ => ("misc", "howpublished"),
    };
    // (field, value, protect the case with an extra pair of braces)
    let mut fields: Vec<(&str, String, bool)> = Vec::new();
    if !c.authors.is_empty() {
        let names: Vec<String> = c.authors.iter().map(bib_name).collect();
        fields.push(("author", names.join(" and "), false));
    }
    fields.push(("title", tex(&c.title), true));
    if !c.translated_titles.is_empty() {
        let t: Vec<String> = c.translated_titles.iter().map(|(_, t)| t.clone()).collect();
        fields.push(("titleaddon", tex(&format!("[{}]", t.join("; "))), true));
    }
    let genre = c.genre.clone().or_else(|| match c.work {
        WorkType::Speech => Some("Speech".into()),
        WorkType::Interview => Some("Interview".into()),
        WorkType::Report => Some("Report".into()),
        _ => None,
    });
    if let Some(g) = genre {
        fields.push(("type", tex(&g), false));
    }
    if c.work == WorkType::NewsArticle && !classic {
        fields.push(("entrysubtype", "newspaper".into(), false));
    }
    if let Some(o) = &c.outlet {
        fields.push((outlet_field, tex(o), true));
    }
    if let Some(e) = &c.event {
        fields.push(("eventtitle", tex(e), true));
    }
    if let Some(d) = c.issued {
        if classic {
            fields.push(("year", d.year.to_string(), false));
            if let Some(m) = d.month {
                fields.push(("month", MONTHS[usize::from(m) - 1].to_string(), false));
            }
            if d.day.is_some() {
                fields.push(("date", d.iso(), false));
            }
        } else {
            fields.push(("date", d.iso(), false));
        }
    }
    if c.status.as_deref() == Some("draft") {
        fields.push(("pubstate", "draft".into(), false));
    }
    if let Some(u) = &c.url {
        fields.push(("url", bib_url(u), false));
    }
    if let Some(a) = c.accessed {
        fields.push(("urldate", a.iso(), false));
    }
    if let Some(id) = babel_language(&c.language) {
        fields.push(("langid", id.into(), false));
    }
    if let Some(s) = &c.summary {
        fields.push(("abstract", tex(s), false));
    }
    if !c.keywords.is_empty() {
        fields.push(("keywords", tex(&c.keywords.join(", ")), false));
    }
    fields.push(("note", tex(&c.note()), false));
    let mut out = format!("@{ty}{{{},\n", c.key);
    for (name, value, protect) in fields {
        // `month = oct` is a macro: no braces.
        if name == "month" {
            out.push_str(&format!("  {name} = {value},\n"));
        } else if protect {
            out.push_str(&format!("  {name} = {{{{{value}}}}},\n"));
        } else {
            out.push_str(&format!("  {name} = {{{value}}},\n"));
        }
    }
    out.push_str("}\n");
    out
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// `Family, Given` for a person (a part holding the word `and` braced, so BibTeX does
/// not split it); a body in braces, so it is never split or abbreviated.
fn bib_name(n: &Name) -> String {
    let part = |s: &str| {
        let t = tex(s);
        if s.split_whitespace().any(|w| w.eq_ignore_ascii_case("and")) || s.contains(',') {
            format!("{{{t}}}")
        } else {
            t
        }
    };
    match n {
        Name::Person { family, given } => format!("{}, {}", part(family), part(given)),
        Name::Literal(l) => format!("{{{}}}", tex(l)),
    }
}

/// Text for a BibTeX field: LaTeX's special characters escaped, on one line.
pub fn tex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URL for a BibTeX `url` field, which is read verbatim: only what would break the
/// field (braces, backslashes, white space) is percent-encoded.
fn bib_url(u: &str) -> String {
    let mut out = String::with_capacity(u.len());
    for c in u.chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            c if c.is_whitespace() || c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The babel/polyglossia name BibLaTeX's `langid` takes for a language tag, for the
/// languages these stores hold most; `None` for the others (the tag is in the note).
fn babel_language(tag: &str) -> Option<&'static str> {
    let primary = tag.split('-').next()?.to_ascii_lowercase();
    Some(match primary.as_str() {
        "ar" => "arabic",
        "ru" => "russian",
        "en" => "english",
        "fr" => "french",
        "de" => "german",
        "es" => "spanish",
        "it" => "italian",
        "pt" => "portuguese",
        "tr" => "turkish",
        "uk" => "ukrainian",
        "be" => "belarusian",
        "kk" => "kazakh",
        "fa" => "persian",
        "zh" => "chinese",
        "hy" => "armenian",
        "ka" => "georgian",
        "pl" => "polish",
        "he" => "hebrew",
        _ => return None,
    })
}

/// RIS: one record per citation, `TAG  - value` lines ending in CRLF, `ER  - ` last.
pub fn ris(items: &[Citation]) -> String {
    let mut out = String::new();
    for c in items {
        let mut line = |tag: &str, value: &str| {
            let value = ris_value(value);
            if !value.is_empty() || tag == "ER" {
                out.push_str(&format!("{tag}  - {value}\r\n"));
            }
        };
        let ty = match c.work {
            WorkType::NewsArticle => "NEWS",
            WorkType::Report => "RPRT",
            WorkType::Legislation => "GOVDOC",
            WorkType::Speech | WorkType::Interview | WorkType::Document => "GEN",
        };
        line("TY", ty);
        line("ID", &c.key);
        for a in &c.authors {
            match a {
                Name::Person { family, given } => line("AU", &format!("{family}, {given}")),
                Name::Literal(l) => line("AU", l),
            }
        }
        line("TI", &c.title);
        if let Some((_, t)) = c
            .translated_titles
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case("en"))
            .or(c.translated_titles.first())
        {
            line("TT", t);
        }
        let work_words = c.genre.clone().or_else(|| match c.work {
            WorkType::Speech => Some("Speech".into()),
            WorkType::Interview => Some("Interview".into()),
            WorkType::Legislation => Some("Adopted text".into()),
            _ => None,
        });
        if let Some(w) = work_words {
            line("M3", &w);
        }
        // A news item's secondary title is the newspaper; anything else's is the
        // occasion (meeting, summit) it was said at, and the outlet is its publisher.
        let news = c.work == WorkType::NewsArticle;
        if let Some(o) = &c.outlet {
            line(if news { "T2" } else { "PB" }, o);
        }
        if let Some(e) = &c.event {
            line(if news { "T3" } else { "T2" }, e);
        }
        if let Some(d) = c.issued {
            line("PY", &d.year.to_string());
            line("DA", &ris_date(d));
        }
        if let Some(a) = c.accessed {
            line("Y2", &ris_date(a));
        }
        if let Some(u) = &c.url {
            line("UR", u);
        }
        line("LA", &c.language);
        if let Some(s) = &c.summary {
            line("AB", s);
        }
        for k in &c.keywords {
            line("KW", k);
        }
        line("N1", &c.note());
        let p = &c.provenance;
        line("C1", &p.reference);
        if let Some(commit) = &p.commit {
            line("C2", commit);
        }
        if let Some(sha) = &p.sha256 {
            line("C3", sha);
        }
        line("ER", "");
    }
    out
}

/// `YYYY/MM/DD/`, with the parts not known left empty (`2015/10//`).
fn ris_date(d: Date) -> String {
    let part = |v: Option<u8>| v.map(|v| format!("{v:02}")).unwrap_or_default();
    format!("{:04}/{}/{}/", d.year, part(d.month), part(d.day))
}

/// A RIS value: one line, no control characters.
fn ris_value(s: &str) -> String {
    crate::citation::one_line(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_escapes_what_latex_would_misread() {
        assert_eq!(
            tex("a~b\\c^d&e%f$g#h_i{j}\nk"),
            "a\\textasciitilde{}b\\textbackslash{}c\\textasciicircum{}d\\&e\\%f\\$g\\#h\\_i\\{j\\} k"
        );
        assert_eq!(
            bib_url("https://x.org/a b{c}"),
            "https://x.org/a%20b%7Bc%7D"
        );
        assert_eq!(
            bib_name(&Name::Literal("Ministry of Defence and Security".into())),
            "{Ministry of Defence and Security}"
        );
    }

    #[test]
    fn ris_dates() {
        assert_eq!(
            ris_date(Date {
                year: 2015,
                month: Some(10),
                day: None
            }),
            "2015/10//"
        );
    }
}
