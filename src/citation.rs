//! A statement as a bibliographic item: who is its author (the speaker, or the issuing
//! body), what type of work it is, its title (as published, or described), its date,
//! where it was read, and the provenance that lets a reader check it against the store
//! (the record's ref and commit, the source document's sha256).
//!
//! Pure: the mapping from a record to a [`Citation`] happens here, the CSL-JSON, BibTeX
//! and RIS writers live in `render/citation.rs`. The mapping is documented in
//! `docs/citations.md`.

use crate::record::{Initiative, Kind, PartialDate, Statement};

/// What sort of work a statement is, as reference managers classify works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkType {
    /// A speech, an announcement or a written address by a named speaker.
    Speech,
    Interview,
    /// A news item that reports the statement.
    NewsArticle,
    /// A report, or a press release (`genre` says which).
    Report,
    /// An adopted text or a draft of one (`status` says `draft`).
    Legislation,
    /// Anything else.
    Document,
}

/// An author: a person (split into family and given names) or a body, written as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    Person { family: String, given: String },
    Literal(String),
}

impl Name {
    /// A person's name as recorded. `Family, Given` splits at the comma; otherwise the
    /// last word is the family name. A single word stays whole.
    pub fn person(name: &str) -> Name {
        let name = name.trim();
        if let Some((family, given)) = name.split_once(',') {
            let (family, given) = (family.trim(), given.trim());
            if !family.is_empty() && !given.is_empty() {
                return Name::Person {
                    family: family.into(),
                    given: given.into(),
                };
            }
        }
        match name.rsplit_once(char::is_whitespace) {
            Some((given, family)) if !given.trim().is_empty() => Name::Person {
                family: family.into(),
                given: given.trim().into(),
            },
            _ => Name::Literal(name.into()),
        }
    }
}

/// A date known to the year, month or day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl Date {
    pub fn parse(s: &str) -> Option<Date> {
        PartialDate::parse(s).map(|d| Date {
            year: d.year,
            month: d.month,
            day: d.day,
        })
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        let mut s = format!("{:04}", self.year);
        if let Some(m) = self.month {
            s.push_str(&format!("-{m:02}"));
            if let Some(d) = self.day {
                s.push_str(&format!("-{d:02}"));
            }
        }
        s
    }
}

/// Where a cited record stands in the store, so a reader can check the citation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Provenance {
    /// `<initiative>/<id>`.
    pub reference: String,
    /// The commit that last changed the record (for `REF@REV`, that revision); `None`
    /// when the cited file has changes that are not committed.
    pub commit: Option<String>,
    /// The stored source document and its sha256, when the record names one.
    pub document: Option<String>,
    pub sha256: Option<String>,
}

/// One statement as a bibliographic item.
#[derive(Debug, Clone, PartialEq)]
pub struct Citation {
    /// The citation key: the statement's id (unique in the store, a safe slug).
    pub key: String,
    pub work: WorkType,
    /// What kind of statement it is, in words (`Speech`, `Press release`...), when the
    /// type alone does not say it.
    pub genre: Option<String>,
    /// `draft` for a draft text.
    pub status: Option<String>,
    pub authors: Vec<Name>,
    /// The title as published (`source.title`), else a description in square brackets
    /// built from the record (`[Speech on the Concept of ...]`).
    pub title: String,
    /// Whether `title` is a description rather than a title as published.
    pub described: bool,
    /// Translations of a published title, by language tag.
    pub translated_titles: Vec<(String, String)>,
    /// The statement's date.
    pub issued: Option<Date>,
    /// When the source item was published, when that differs from `issued`.
    pub published: Option<Date>,
    /// When the analyst read the source (only when the record says).
    pub accessed: Option<Date>,
    /// The outlet that published what the statement was read in.
    pub outlet: Option<String>,
    pub url: Option<String>,
    /// Where it was said (the record's venue).
    pub event: Option<String>,
    /// The language of the statement's wording (BCP 47).
    pub language: String,
    /// The record's summary.
    pub summary: Option<String>,
    pub keywords: Vec<String>,
    pub provenance: Provenance,
}

impl Citation {
    /// One line for a citation's note field: the record, its commit, the source document
    /// and its hash, and the title's translations.
    pub fn note(&self) -> String {
        let p = &self.provenance;
        let mut parts = vec![match &p.commit {
            Some(c) => format!("dossier record {} at commit {c}", p.reference),
            None => format!("dossier record {} (with uncommitted changes)", p.reference),
        }];
        match (&p.document, &p.sha256) {
            (Some(d), Some(h)) => parts.push(format!("source document {d}, sha256 {h}")),
            (Some(d), None) => parts.push(format!("source document {d}")),
            (None, Some(h)) => parts.push(format!("source sha256 {h}")),
            (None, None) => {}
        }
        if let Some(d) = &self.published {
            parts.push(format!("published {}", d.iso()));
        }
        for (lang, t) in &self.translated_titles {
            parts.push(format!("title in {lang}: {t}"));
        }
        parts.join("; ")
    }
}

/// The words for a kind of statement in a description or a genre.
fn kind_words(kind: Option<Kind>) -> &'static str {
    match kind {
        Some(Kind::Announcement) => "Announcement",
        Some(Kind::Speech) => "Speech",
        Some(Kind::Interview) => "Interview",
        Some(Kind::PressRelease) => "Press release",
        Some(Kind::Draft) => "Draft",
        Some(Kind::AdoptedText) => "Adopted text",
        Some(Kind::Report) => "Report",
        None => "Statement",
    }
}

/// The citation of a statement about `initiative`, with its provenance.
pub fn cite(st: &Statement, initiative: Option<&Initiative>, provenance: Provenance) -> Citation {
    let src = st.source.as_ref();
    let outlet = src
        .and_then(|s| s.outlet.clone())
        .filter(|s| !s.trim().is_empty());
    let speaker = st
        .speaker
        .as_ref()
        .map(|s| s.name.trim())
        .filter(|n| !n.is_empty());
    let (work, genre, status) = match st.kind {
        Some(Kind::Speech) => (WorkType::Speech, None, None),
        Some(Kind::Announcement) if speaker.is_some() => {
            (WorkType::Speech, Some("Announcement"), None)
        }
        Some(Kind::Interview) => (WorkType::Interview, None, None),
        Some(Kind::PressRelease) => (WorkType::Report, Some("Press release"), None),
        Some(Kind::Report) => (WorkType::Report, None, None),
        Some(Kind::AdoptedText) => (WorkType::Legislation, None, None),
        Some(Kind::Draft) => (WorkType::Legislation, Some("Draft"), Some("draft")),
        Some(Kind::Announcement) | None if outlet.is_some() => (
            WorkType::NewsArticle,
            st.kind.map(|k| kind_words(Some(k))),
            None,
        ),
        Some(Kind::Announcement) | None => (WorkType::Document, None, None),
    };
    // The author: the speaker; for a text a body adopted or drafted, the initiative's
    // organisation; for a press release, the outlet that issued it.
    let authors = match (speaker, st.kind) {
        (Some(name), _) => vec![Name::person(name)],
        (None, Some(Kind::AdoptedText | Kind::Draft)) => initiative
            .and_then(|i| i.organization.clone())
            .map(Name::Literal)
            .into_iter()
            .collect(),
        (None, Some(Kind::PressRelease)) => outlet.clone().map(Name::Literal).into_iter().collect(),
        _ => Vec::new(),
    };
    let subject = initiative.map_or_else(|| st.initiative.clone(), |i| i.title.clone());
    let published_title = src
        .and_then(|s| s.title.clone())
        .filter(|t| !t.trim().is_empty());
    let (title, described) = match (&published_title, st.kind) {
        (Some(t), _) => (one_line(t), false),
        // An adopted or draft text is cited by the text's own name.
        (None, Some(Kind::AdoptedText | Kind::Draft)) => (one_line(&subject), false),
        (None, kind) => (
            format!("[{} on the {}]", kind_words(kind), one_line(&subject)),
            true,
        ),
    };
    let translated_titles = match &published_title {
        Some(_) => src
            .map(|s| {
                s.title_translations
                    .iter()
                    .map(|(l, t)| (l.clone(), one_line(t)))
                    .collect()
            })
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let issued = Date::parse(&st.date);
    let published = src
        .and_then(|s| s.published.as_deref())
        .and_then(Date::parse)
        .filter(|d| Some(*d) != issued);
    Citation {
        key: st.id.clone(),
        work,
        genre: genre.map(str::to_string),
        status: status.map(str::to_string),
        authors,
        title,
        described,
        translated_titles,
        issued,
        published,
        accessed: src
            .and_then(|s| s.retrieved.as_deref())
            .and_then(Date::parse),
        outlet: outlet.map(|o| one_line(&o)),
        url: src
            .and_then(|s| s.url.clone())
            .filter(|u| !u.trim().is_empty()),
        event: st.venue.as_deref().map(one_line).filter(|v| !v.is_empty()),
        language: st.language.clone(),
        summary: st.summary.as_deref().map(one_line),
        keywords: st.tags.clone(),
        provenance,
    }
}

/// Text on one line: every run of white space (line breaks included) as one space, and
/// control characters dropped. Citation fields are single-line in every format.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Source, Speaker};

    #[test]
    fn names() {
        assert_eq!(
            Name::person("Sergei Lebedev"),
            Name::Person {
                family: "Lebedev".into(),
                given: "Sergei".into()
            }
        );
        assert_eq!(
            Name::person("Xi, Jinping"),
            Name::Person {
                family: "Xi".into(),
                given: "Jinping".into()
            }
        );
        assert_eq!(
            Name::person("سيرغي ليبيديف"),
            Name::Person {
                family: "ليبيديف".into(),
                given: "سيرغي".into()
            }
        );
        assert_eq!(Name::person("Tokayev"), Name::Literal("Tokayev".into()));
    }

    fn statement(kind: Option<Kind>, speaker: Option<&str>, outlet: Option<&str>) -> Statement {
        Statement {
            id: "2025-10-10-x".into(),
            initiative: "cis-2030".into(),
            date: "2025-10-10".into(),
            kind,
            speaker: speaker.map(|n| Speaker {
                name: n.into(),
                role: None,
            }),
            language: "ru".into(),
            summary: Some("One\nsummary.".into()),
            source: Some(Source {
                outlet: outlet.map(Into::into),
                published: Some("2025-10-11".into()),
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    fn initiative() -> Initiative {
        Initiative {
            id: "cis-2030".into(),
            title: "Concept of military cooperation until 2030".into(),
            organization: Some("CIS".into()),
            horizon: None,
            status: None,
            supersedes: None,
            tags: Vec::new(),
            summary: None,
        }
    }

    #[test]
    fn types_authors_and_titles() {
        let ini = initiative();
        let c = cite(
            &statement(Some(Kind::Speech), Some("Sergei Lebedev"), Some("TASS")),
            Some(&ini),
            Provenance::default(),
        );
        assert_eq!(c.work, WorkType::Speech);
        assert_eq!(
            c.title,
            "[Speech on the Concept of military cooperation until 2030]"
        );
        assert!(c.described);
        assert_eq!(c.summary.as_deref(), Some("One summary."));
        assert_eq!(c.published.map(|d| d.iso()).as_deref(), Some("2025-10-11"));
        assert_eq!(c.accessed, None, "no retrieval date, no accessed date");

        let c = cite(
            &statement(Some(Kind::AdoptedText), None, Some("Fergana")),
            Some(&ini),
            Provenance::default(),
        );
        assert_eq!(c.work, WorkType::Legislation);
        assert_eq!(c.authors, vec![Name::Literal("CIS".into())]);
        assert_eq!(c.title, "Concept of military cooperation until 2030");
        assert!(!c.described);

        let c = cite(
            &statement(Some(Kind::PressRelease), None, Some("CIS press service")),
            Some(&ini),
            Provenance::default(),
        );
        assert_eq!(c.work, WorkType::Report);
        assert_eq!(c.genre.as_deref(), Some("Press release"));
        assert_eq!(c.authors, vec![Name::Literal("CIS press service".into())]);

        let c = cite(
            &statement(None, None, Some("BelTA")),
            Some(&ini),
            Provenance::default(),
        );
        assert_eq!(c.work, WorkType::NewsArticle);
        assert!(c.authors.is_empty(), "a report of a meeting has no author");
        let c = cite(
            &statement(Some(Kind::Draft), None, None),
            None,
            Provenance::default(),
        );
        assert_eq!(c.status.as_deref(), Some("draft"));
        assert!(c.authors.is_empty(), "no initiative, no issuing body");
    }
}
