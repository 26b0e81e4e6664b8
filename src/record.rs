//! The record types (initiatives, statements, store settings); the rules they obey are in
//! rules.rs.
//!
//! No I/O here: the codec turns YAML into these types, the store decides where they live,
//! and everything else reads them. Field order in the structs is the order records are
//! written in, so keep it stable.

mod rules;

use std::collections::BTreeMap;

pub use rules::{
    date_problem, id_problem, initiative_problems, language_problem, statement_problems,
    PartialDate,
};

use serde::{Deserialize, Serialize};

/// The store settings kept in `dossier.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreSettings {
    /// The store format version; see `docs/format.md`.
    pub format: u32,
    /// Language shown first when a statement has several (a BCP 47 tag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_language: Option<String>,
    /// Score below which two items are not matched by `diff` (0 to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_threshold: Option<f64>,
    /// How much better than its runner-up a pair must score to be made (0 to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub match_margin: Option<f64>,
    /// Groups of words or phrases that mean the same for matching items
    /// (`[integral, unified, single]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<Vec<String>>,
}

impl Default for StoreSettings {
    fn default() -> Self {
        StoreSettings {
            format: FORMAT_VERSION,
            default_language: None,
            match_threshold: None,
            match_margin: None,
            synonyms: Vec::new(),
        }
    }
}

/// The format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// An initiative: a concept, programme or treaty that statements are about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Initiative {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub horizon: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Stage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

/// One statement about an initiative, as an analyst recorded it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    pub id: String,
    pub initiative: String,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`: only as precise as the source.
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<Stage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<Speaker>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    /// BCP 47 tag of `text`.
    pub language: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub priorities: Vec<Item>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub principles: Vec<Item>,
    /// Whether `priorities` and `principles` are the statement's whole lists or only
    /// what it happened to mention; `None`: by `kind` ([`Statement::lists_complete`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lists: Option<Lists>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotes: Vec<Quote>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl Statement {
    /// `<initiative>/<id>`: how statements are named everywhere.
    pub fn reference(&self) -> String {
        format!("{}/{}", self.initiative, self.id)
    }

    /// The wording in `lang`: the original text when it is in that language, else a
    /// translation.
    pub fn wording_in(&self, lang: &str) -> Option<&str> {
        if self.language.eq_ignore_ascii_case(lang) {
            if let Some(text) = &self.text {
                return Some(text);
            }
        }
        self.translations
            .iter()
            .find(|(l, _)| l.eq_ignore_ascii_case(lang))
            .map(|(_, t)| t.as_str())
    }

    /// Whether its lists are complete: as `lists` says, else by kind (a draft or an
    /// adopted text lists everything; announcements, speeches, interviews, press
    /// releases, reports and statements of no kind mention what they mention).
    pub fn lists_complete(&self) -> bool {
        match self.lists {
            Some(l) => l == Lists::Complete,
            None => matches!(self.kind, Some(Kind::Draft | Kind::AdoptedText)),
        }
    }

    /// Languages in which this statement has wording, the original first.
    pub fn languages(&self) -> Vec<&str> {
        let mut langs = Vec::new();
        if self.text.is_some() {
            langs.push(self.language.as_str());
        }
        for lang in self.translations.keys() {
            if !langs.iter().any(|l| l.eq_ignore_ascii_case(lang)) {
                langs.push(lang);
            }
        }
        langs
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// A priority or a principle. `key` is an optional stable name that diff matches on first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub text: String,
    /// The item in other languages, by language tag: lets it match items worded in them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
    /// Items of earlier statements this one continues, whatever the wording: pins, as
    /// [`ItemRef`] strings (`STATEMENT-ID#N` or `STATEMENT-ID#KEY`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub same_as: Vec<String>,
    /// Items of other statements this one is not, however alike they read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_same_as: Vec<String>,
}

impl Item {
    pub fn new(text: impl Into<String>) -> Self {
        Item {
            text: text.into(),
            ..Item::default()
        }
    }
}

/// A reference to an item of a statement's list, as pins write it: `STATEMENT-ID#N`
/// (the item's 1-based position) or `STATEMENT-ID#KEY` (the item with that key). The
/// list is the one the pin stands in: a priority pins a priority.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ItemRef {
    /// The statement's id.
    pub statement: String,
    /// Which of its items.
    pub item: ItemAt,
}

/// Which item an [`ItemRef`] names.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ItemAt {
    /// The 1-based position.
    Rank(usize),
    /// The item with this key.
    Key(String),
}

impl ItemRef {
    /// Reads `STATEMENT-ID#N` or `STATEMENT-ID#KEY`; an all-digit part after `#` is a
    /// position.
    pub fn parse(s: &str) -> Option<ItemRef> {
        let (statement, item) = s.split_once('#')?;
        if id_problem(statement).is_some() || item.is_empty() {
            return None;
        }
        let item = if item.bytes().all(|b| b.is_ascii_digit()) {
            ItemAt::Rank(item.parse().ok().filter(|&n| n > 0)?)
        } else {
            id_problem(item)
                .is_none()
                .then(|| ItemAt::Key(item.to_owned()))?
        };
        Some(ItemRef {
            statement: statement.to_owned(),
            item,
        })
    }

    /// The index in `list` of the item it names.
    pub fn find(&self, list: &[Item]) -> Option<usize> {
        match &self.item {
            ItemAt::Rank(n) => (*n <= list.len()).then(|| n - 1),
            ItemAt::Key(k) => list.iter().position(|i| i.key.as_deref() == Some(k)),
        }
    }
}

impl std::fmt::Display for ItemRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.item {
            ItemAt::Rank(n) => write!(f, "{}#{n}", self.statement),
            ItemAt::Key(k) => write!(f, "{}#{k}", self.statement),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quote {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outlet: Option<String>,
    /// The headline or title of the source item, as published (in its own language).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Translations of `title`, by language tag.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub title_translations: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retrieved: Option<String>,
    /// Path of the stored source text, relative to the git work tree's root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $word)] $variant),+
        }

        impl $name {
            /// Every accepted word, in order.
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            pub fn parse(word: &str) -> Option<Self> {
                match word { $($word => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

word_enum!(
    /// What kind of utterance or document a statement is.
    Kind {
        Announcement => "announcement",
        Speech => "speech",
        Interview => "interview",
        PressRelease => "press-release",
        Draft => "draft",
        AdoptedText => "adopted-text",
        Report => "report",
    }
);

word_enum!(
    /// Whether a statement's lists are all it holds, or what it happened to mention.
    Lists {
        Complete => "complete",
        Partial => "partial",
    }
);

word_enum!(
    /// Where an initiative stands: an initiative's status, or the stage a statement reports.
    Stage {
        Proposed => "proposed",
        Drafting => "drafting",
        Agreed => "agreed",
        Adopted => "adopted",
        Implementing => "implementing",
        Superseded => "superseded",
        Abandoned => "abandoned",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for good in ["a", "2024-11-07-lebedev", "cis-2030"] {
            assert_eq!(id_problem(good), None, "{good}");
        }
        for bad in [
            "",
            "../x",
            "a/b",
            ".git",
            "A",
            "a b",
            "a--b",
            "-a",
            "a-",
            "a\\b",
            "con.",
            "a\u{202e}b",
            &"a".repeat(81),
        ] {
            assert!(id_problem(bad).is_some(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn dates() {
        for good in ["2024", "2024-12", "2024-02-29", "2025-10-10"] {
            assert!(PartialDate::parse(good).is_some(), "{good}");
        }
        for bad in [
            "24",
            "2023-02-29",
            "2024-13",
            "2024-1-01",
            "2024-11-07T10",
            "2024-11-31",
            "0000",
        ] {
            assert!(PartialDate::parse(bad).is_none(), "{bad}");
        }
        assert!(PartialDate::parse("2024-12").unwrap() < PartialDate::parse("2024-12-05").unwrap());
    }

    #[test]
    fn languages() {
        for good in ["ar", "ru", "en", "zh-Hant", "no", "en-GB"] {
            assert_eq!(language_problem(good), None, "{good}");
        }
        for bad in ["", "english", "e", "12", "ar_EG"] {
            assert!(language_problem(bad).is_some(), "{bad}");
        }
    }
}
