//! The metadata diff: which descriptive fields of a statement changed. Values are compared
//! exactly, as recorded; lists (tags) are shown joined by `, `.

use serde::Serialize;

use super::words::{diff_text, WordOp};
use crate::record::Statement;

/// Prose fields long enough that a reader wants to see what changed inside them.
const PROSE: &[&str] = &["summary", "notes", "venue", "speaker.role"];
/// Values at least this long (in characters, either side) get a word diff...
const PROSE_CHARS: usize = 40;
/// ...when at least this much of their wording is shared: an edit, not a rewrite.
const MIN_SIMILARITY: f64 = 0.5;

/// A field whose value differs; `null` stands for a missing value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// Dotted field name, e.g. `speaker.role` or `source.url`.
    pub field: &'static str,
    /// Value before.
    pub from: Option<String>,
    /// Value after.
    pub to: Option<String>,
    /// For a long prose value on both sides (summary, notes...) that was edited rather
    /// than rewritten (half its words kept): the word diff from `from` to `to`, in the same
    /// form as the wording's ops.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ops: Vec<WordOp>,
}

/// How many fields [`diff_fields`] compares.
pub const FIELD_COUNT: usize = 19;

fn fields(st: &Statement) -> [(&'static str, Option<String>); FIELD_COUNT] {
    let speaker = st.speaker.as_ref();
    let source = st.source.as_ref();
    let source_field =
        |get: fn(&crate::record::Source) -> &Option<String>| source.and_then(|s| get(s).clone());
    [
        ("initiative", Some(st.initiative.clone())),
        ("id", Some(st.id.clone())),
        ("date", Some(st.date.clone())),
        ("kind", st.kind.map(|k| k.as_str().to_owned())),
        ("stage", st.stage.map(|s| s.as_str().to_owned())),
        ("speaker.name", speaker.map(|s| s.name.clone())),
        ("speaker.role", speaker.and_then(|s| s.role.clone())),
        ("venue", st.venue.clone()),
        ("language", Some(st.language.clone())),
        ("summary", st.summary.clone()),
        ("source.outlet", source_field(|s| &s.outlet)),
        ("source.title", source_field(|s| &s.title)),
        ("source.url", source_field(|s| &s.url)),
        ("source.published", source_field(|s| &s.published)),
        ("source.document", source_field(|s| &s.document)),
        ("source.sha256", source_field(|s| &s.sha256)),
        ("tags", (!st.tags.is_empty()).then(|| st.tags.join(", "))),
        ("notes", st.notes.clone()),
        (
            "translations",
            (!st.translations.is_empty()).then(|| {
                st.translations
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            }),
        ),
    ]
}

/// The fields that differ between `from` and `to`, in a fixed order (identity first,
/// then who, where and what, then the source). `translations` compares the languages a
/// statement has translations in, not their wording.
pub fn diff_fields(from: &Statement, to: &Statement) -> Vec<FieldChange> {
    fields(from)
        .into_iter()
        .zip(fields(to))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, from), (_, to))| {
            let ops = match (&from, &to) {
                (Some(a), Some(b))
                    if PROSE.contains(&field)
                        && a.chars().count().max(b.chars().count()) >= PROSE_CHARS =>
                {
                    // A rewrite shows better side by side than as a word diff.
                    let d = diff_text(a, b, false, None);
                    if d.similarity >= MIN_SIMILARITY {
                        d.ops
                    } else {
                        Vec::new()
                    }
                }
                _ => Vec::new(),
            };
            FieldChange {
                field,
                from,
                to,
                ops,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Source, Speaker};

    #[test]
    fn reports_changed_fields_only() {
        let a = Statement {
            id: "2024-11-07-x".into(),
            date: "2024-11-07".into(),
            speaker: Some(Speaker {
                name: "A".into(),
                role: None,
            }),
            tags: vec!["air".into()],
            ..Statement::default()
        };
        let mut b = a.clone();
        b.speaker = Some(Speaker {
            name: "A".into(),
            role: Some("Minister".into()),
        });
        b.source = Some(Source {
            url: Some("https://x".into()),
            ..Source::default()
        });
        b.tags.push("cis".into());
        let got = diff_fields(&a, &b);
        let names: Vec<_> = got.iter().map(|c| c.field).collect();
        assert_eq!(names, ["speaker.role", "source.url", "tags"]);
        assert_eq!(got[2].to.as_deref(), Some("air, cis"));
        assert!(diff_fields(&a, &a).is_empty());
        assert!(
            got.iter().all(|c| c.ops.is_empty()),
            "short values get no word diff"
        );
    }

    #[test]
    fn long_prose_fields_carry_a_word_diff() {
        let a = Statement {
            summary: Some("The CIS began drafting a concept of military cooperation.".into()),
            ..Statement::default()
        };
        let mut b = a.clone();
        b.summary = Some("The CIS adopted a concept of military cooperation.".into());
        let got = diff_fields(&a, &b);
        let rebuilt: String = got[0]
            .ops
            .iter()
            .filter(|o| o.op != super::super::words::OpKind::Delete)
            .map(|o| o.text.as_str())
            .collect();
        assert_eq!(Some(rebuilt), b.summary);
    }
}
