//! Reviewers' annotations: a note (with tags and an assessment) on a statement, on one of
//! its items (a priority, a principle, a quote), or on one change between two statements.
//!
//! Each annotation is its own small file (`<initiative>/annotations/<statement-id>/<id>.yaml`,
//! see docs/format.md), so that two analysts annotating at once never touch the same file.
//! An annotation names the git blob id of the statement it was written on (and, for a
//! change, of the other statement of the pair), so a later edit shows it as stale.
//!
//! No I/O here: the types, their rules, the change ids of a diff and an annotation's
//! standing against the statements as they are now.

use serde::{Deserialize, Serialize};

use crate::diff::{ItemChange, ItemStatus, StatementDiff};
use crate::record::{date_problem, id_problem, Statement};

/// One annotation, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    /// The file's name without `.yaml`: `YYYY-MM-DD-` and eight hex digits.
    pub id: String,
    /// The annotated statement, `<initiative>/<id>` (for a change: the pair's later side).
    pub statement: String,
    /// The git blob id of the statement's file when it was annotated.
    pub blob: String,
    /// The item annotated, when it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<ItemTarget>,
    /// The change annotated, when it is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<ChangeTarget>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Assessment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    pub note: String,
    /// Who wrote it (the commit's author name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// The day it was written, `YYYY-MM-DD`.
    pub date: String,
}

/// A priority, principle or quote of the statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemTarget {
    pub section: Section,
    /// Its 1-based place in the list when annotated.
    pub rank: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Its text when annotated.
    pub text: String,
}

/// One change between two statements (or two revisions of one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeTarget {
    /// The change's id in that diff: `priorities:2`, `metadata:source.url`, `wording`.
    pub id: String,
    /// The pair's other, earlier side: `<initiative>/<id>`, with `@<commit>` for a
    /// revision of it.
    pub from: String,
    /// The git blob id of that side's file.
    pub from_blob: String,
    /// What the change was, when annotated: `added`, `removed`, `reworded`, `moved`,
    /// `unchanged`, or `changed` (a field, the wording).
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

macro_rules! words {
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

words!(
    /// A reviewer's judgement.
    Assessment {
        Significant => "significant",
        Minor => "minor",
        Confirmed => "confirmed",
        Disputed => "disputed",
        Unverified => "unverified",
        Misleading => "misleading",
    }
);

words!(
    /// The lists of a statement an item can be in.
    Section {
        Priorities => "priorities",
        Principles => "principles",
        Quotes => "quotes",
    }
);

/// What an annotation is about, in words: `statement`, `priorities[2] "..."`, `change
/// priorities:2 since REF`.
pub fn target_label(a: &Annotation) -> String {
    if let Some(i) = &a.item {
        return format!("{}[{}] \u{201c}{}\u{201d}", i.section, i.rank, i.text);
    }
    if let Some(c) = &a.change {
        // The other side's id is enough: it is almost always the same initiative's.
        let from = c.from.rsplit('/').next().unwrap_or(&c.from);
        return format!("change {} since {from}", c.id);
    }
    "statement".into()
}

/// Problems in an annotation that the types alone do not rule out, as `(field, message)`.
pub fn annotation_problems(a: &Annotation) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let id_ok = a.id.len() == 19
        && crate::record::PartialDate::parse(&a.id[..10]).is_some_and(|d| d.day.is_some())
        && a.id.as_bytes()[10] == b'-'
        && a.id[11..]
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
    if !id_ok {
        out.push((
            "id".into(),
            "an annotation id is its date and eight lowercase hex digits, e.g. `2026-01-02-3f2a9c1b`"
                .into(),
        ));
    }
    match a.statement.split_once('/') {
        Some((ini, id)) if id_problem(ini).is_none() && id_problem(id).is_none() => {}
        _ => out.push((
            "statement".into(),
            "the statement is named `<initiative>/<statement-id>`".into(),
        )),
    }
    let blob = |s: &str| {
        s.len() == 40
            && s.bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    };
    if !blob(&a.blob) {
        out.push((
            "blob".into(),
            "a git blob id is 40 lowercase hex digits".into(),
        ));
    }
    if a.item.is_some() && a.change.is_some() {
        out.push((
            "change".into(),
            "an annotation is about the statement, one item or one change, not an item and a change"
                .into(),
        ));
    }
    if let Some(i) = &a.item {
        if i.rank == 0 {
            out.push(("item.rank".into(), "ranks start at 1".into()));
        }
        if i.text.trim().is_empty() {
            out.push(("item.text".into(), "the item's text is empty".into()));
        }
    }
    if let Some(c) = &a.change {
        if !blob(&c.from_blob) {
            out.push((
                "change.from_blob".into(),
                "a git blob id is 40 lowercase hex digits".into(),
            ));
        }
        let from = c.from.split('@').next().unwrap_or_default();
        if !from
            .split_once('/')
            .is_some_and(|(i, s)| id_problem(i).is_none() && id_problem(s).is_none())
        {
            out.push((
                "change.from".into(),
                "the other statement is named `<initiative>/<statement-id>`, with `@<commit>` for a revision".into(),
            ));
        }
        if c.id.trim().is_empty() {
            out.push(("change.id".into(), "the change's id is empty".into()));
        }
    }
    if a.note.trim().is_empty() {
        out.push(("note".into(), "the note is empty".into()));
    }
    if let Some(p) = date_problem(&a.date) {
        out.push(("date".into(), p));
    }
    for (i, t) in a.tags.iter().enumerate() {
        if t.trim().is_empty() {
            out.push((format!("tags[{}]", i + 1), "the tag is empty".into()));
        }
    }
    out
}

/// One change of a diff, as `annotate --change` names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `priorities:N`, `principles:N`, `quotes:N` (the N-th row of that section, in the
    /// order the diff lists them), `metadata:FIELD` or `wording`.
    pub id: String,
    pub status: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn status_word(s: ItemStatus) -> &'static str {
    s.word()
}

/// The changes of a diff that an annotation can name, in the diff's order.
pub fn changes(diff: &StatementDiff) -> Vec<Change> {
    let mut out = Vec::new();
    for (section, rows) in [
        ("priorities", &diff.priorities),
        ("principles", &diff.principles),
        ("quotes", &diff.quotes),
    ] {
        for (i, row) in rows.iter().enumerate() {
            out.push(item_change(section, i, row));
        }
    }
    for f in &diff.metadata {
        out.push(Change {
            id: format!("metadata:{}", f.field),
            status: "changed".into(),
            before: f.from.clone(),
            after: f.to.clone(),
        });
    }
    if diff.wording.as_ref().is_some_and(|w| w.diff.has_changes()) {
        out.push(Change {
            id: "wording".into(),
            status: "changed".into(),
            before: None,
            after: None,
        });
    }
    out
}

fn item_change(section: &str, i: usize, row: &ItemChange) -> Change {
    Change {
        id: format!("{section}:{}", i + 1),
        status: status_word(row.status).into(),
        before: row.from.clone(),
        after: row.to.clone(),
    }
}

/// Where an annotation stands against the statements as they are now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "standing", rename_all = "lowercase")]
pub enum Standing {
    /// Written on what is there now.
    Current,
    /// The item is still there, now at another rank.
    Moved { rank: usize },
    /// What it was written on has changed since.
    Stale { reason: String },
}

impl Standing {
    pub fn word(&self) -> String {
        match self {
            Standing::Current => "current".into(),
            Standing::Moved { rank } => format!("moved (now {rank})"),
            Standing::Stale { .. } => "stale".into(),
        }
    }
}

/// An annotation's standing: `blob` is the statement's blob id now, `from_blob` that of
/// the change's other side now (for a change).
pub fn standing(
    a: &Annotation,
    statement: &Statement,
    blob: &str,
    from_blob: Option<&str>,
) -> Standing {
    if let Some(c) = &a.change {
        return if a.blob == blob && from_blob == Some(c.from_blob.as_str()) {
            Standing::Current
        } else {
            Standing::Stale {
                reason: "a statement of the pair was edited after this annotation".into(),
            }
        };
    }
    if let Some(i) = &a.item {
        let list: Vec<&str> = match i.section {
            Section::Priorities => statement
                .priorities
                .iter()
                .map(|p| p.text.as_str())
                .collect(),
            Section::Principles => statement
                .principles
                .iter()
                .map(|p| p.text.as_str())
                .collect(),
            Section::Quotes => statement.quotes.iter().map(|q| q.text.as_str()).collect(),
        };
        // The same wording, wherever it is now: a reworded item (even under the same key)
        // is not what the reviewer judged.
        let found = list.iter().position(|t| *t == i.text);
        return match found {
            Some(p) if p + 1 == i.rank as usize => Standing::Current,
            Some(p) => Standing::Moved { rank: p + 1 },
            None => Standing::Stale {
                reason: format!("no {} item has this text any more", i.section),
            },
        };
    }
    if a.blob == blob {
        Standing::Current
    } else {
        Standing::Stale {
            reason: "the statement was edited after this annotation".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Item;

    fn annotation() -> Annotation {
        Annotation {
            id: "2026-01-02-3f2a9c1b".into(),
            statement: "cis-2030/2025-10-10-adoption".into(),
            blob: "a".repeat(40),
            item: None,
            change: None,
            assessment: Some(Assessment::Significant),
            tags: vec![],
            note: "First time air defence leads.".into(),
            author: None,
            date: "2026-01-02".into(),
        }
    }

    #[test]
    fn rules() {
        assert!(annotation_problems(&annotation()).is_empty());
        let mut bad = annotation();
        bad.id = "2026-01-02-XYZ".into();
        bad.blob = "b".into();
        bad.note = " ".into();
        let fields: Vec<String> = annotation_problems(&bad).into_iter().map(|p| p.0).collect();
        assert_eq!(fields, ["id", "blob", "note"]);
    }

    #[test]
    fn standing_follows_edits() {
        let mut st = Statement {
            priorities: vec![
                Item::new("Unified air defence system"),
                Item::new("Communications"),
            ],
            ..Default::default()
        };
        let mut a = annotation();
        assert_eq!(standing(&a, &st, &"a".repeat(40), None), Standing::Current);
        assert!(matches!(
            standing(&a, &st, &"c".repeat(40), None),
            Standing::Stale { .. }
        ));
        a.item = Some(ItemTarget {
            section: Section::Priorities,
            rank: 1,
            key: None,
            text: "Unified air defence system".into(),
        });
        assert_eq!(standing(&a, &st, &"c".repeat(40), None), Standing::Current);
        st.priorities.swap(0, 1);
        assert_eq!(
            standing(&a, &st, &"c".repeat(40), None),
            Standing::Moved { rank: 2 }
        );
        st.priorities[1].text = "Joint air defence".into();
        assert!(matches!(
            standing(&a, &st, &"c".repeat(40), None),
            Standing::Stale { .. }
        ));
        a.item = None;
        a.change = Some(ChangeTarget {
            id: "priorities:1".into(),
            from: "cis-2030/2025-09-24-greeting".into(),
            from_blob: "f".repeat(40),
            status: "reworded".into(),
            before: None,
            after: None,
        });
        assert_eq!(
            standing(&a, &st, &"a".repeat(40), Some(&"f".repeat(40))),
            Standing::Current
        );
        assert!(matches!(
            standing(&a, &st, &"a".repeat(40), Some(&"e".repeat(40))),
            Standing::Stale { .. }
        ));
    }
}
