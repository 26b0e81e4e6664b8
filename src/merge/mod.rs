//! Three-way merge of statements: a common `base` and two versions made from it (`ours`,
//! `theirs`) give one merged statement, or the list of fields both sides changed
//! differently. Pure: no I/O, no git, no printing.
//!
//! Today the unit is the field: each scalar field (`date`, `venue`, `summary`...) and each
//! list or map as a whole value (`priorities`, `quotes`, `translations`, `tags`) is taken
//! from whichever side changed it; a field both sides changed to different values is a
//! [`FieldConflict`]. Later steps merge inside a field (lists item by item, texts by words)
//! behind the same [`merge_statements`] entry point: callers (`dossier edit` racing a
//! concurrent change, and later `sync` and a git merge driver) only see "merged" or "these
//! fields conflict".

use serde::Serialize;

use crate::record::Statement;

/// One field both sides changed, each differently from the base and from each other.
/// Values are given as JSON so that any renderer can show them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldConflict {
    /// The field's name as the record format spells it (`summary`, `priorities`...).
    pub field: &'static str,
    pub base: serde_json::Value,
    pub ours: serde_json::Value,
    pub theirs: serde_json::Value,
}

/// A merge that did not go through: the fields that conflict, and the statement with every
/// other field merged (each conflicting field holds `ours`' value), for an analyst to
/// settle by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflicted {
    pub partial: Box<Statement>,
    pub conflicts: Vec<FieldConflict>,
}

/// The result of a merge: one statement, or the fields that conflict (never a guess).
pub type Merge = Result<Statement, Conflicted>;

/// The value of one field after a three-way merge, or `None` on a conflict.
fn pick<T: PartialEq + Clone>(base: &T, ours: &T, theirs: &T) -> Option<T> {
    if ours == theirs || theirs == base {
        Some(ours.clone())
    } else if ours == base {
        Some(theirs.clone())
    } else {
        None
    }
}

/// Merges `ours` and `theirs`, both made from `base`, field by field.
pub fn merge_statements(base: &Statement, ours: &Statement, theirs: &Statement) -> Merge {
    // Every field is named here: a field added to `Statement` fails to compile until the
    // merge knows it.
    let Statement {
        id: _,
        initiative: _,
        date: _,
        kind: _,
        stage: _,
        speaker: _,
        venue: _,
        language: _,
        text: _,
        translations: _,
        summary: _,
        priorities: _,
        principles: _,
        lists: _,
        quotes: _,
        source: _,
        tags: _,
        notes: _,
    } = base;
    let mut merged = ours.clone();
    let mut conflicts = Vec::new();
    macro_rules! fields {
        ($($field:ident),* $(,)?) => {$(
            match pick(&base.$field, &ours.$field, &theirs.$field) {
                Some(v) => merged.$field = v,
                None => conflicts.push(FieldConflict {
                    field: stringify!($field),
                    base: json(&base.$field),
                    ours: json(&ours.$field),
                    theirs: json(&theirs.$field),
                }),
            }
        )*};
    }
    fields!(
        id,
        initiative,
        date,
        kind,
        stage,
        speaker,
        venue,
        language,
        text,
        translations,
        summary,
        priorities,
        principles,
        lists,
        quotes,
        source,
        tags,
        notes,
    );
    if conflicts.is_empty() {
        Ok(merged)
    } else {
        Err(Conflicted {
            partial: Box::new(merged),
            conflicts,
        })
    }
}

fn json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st() -> Statement {
        Statement {
            id: "2025-01-01-x".into(),
            initiative: "cis".into(),
            date: "2025-01-01".into(),
            language: "en".into(),
            summary: Some("base".into()),
            venue: Some("Minsk".into()),
            ..Default::default()
        }
    }

    #[test]
    fn different_fields_merge() {
        let base = st();
        let mut ours = st();
        ours.summary = Some("ours".into());
        let mut theirs = st();
        theirs.venue = Some("Dushanbe".into());
        theirs.tags = vec!["t".into()];
        let m = merge_statements(&base, &ours, &theirs).unwrap();
        assert_eq!(m.summary.as_deref(), Some("ours"));
        assert_eq!(m.venue.as_deref(), Some("Dushanbe"));
        assert_eq!(m.tags, ["t"]);
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let base = st();
        let mut ours = st();
        ours.summary = Some("same".into());
        let theirs = ours.clone();
        assert_eq!(merge_statements(&base, &ours, &theirs).unwrap(), ours);
    }

    #[test]
    fn one_field_changed_differently_is_a_conflict_naming_it() {
        let base = st();
        let mut ours = st();
        ours.summary = Some("ours".into());
        ours.venue = Some("Astana".into());
        let mut theirs = st();
        theirs.summary = Some("theirs".into());
        let Conflicted {
            partial,
            conflicts: c,
        } = merge_statements(&base, &ours, &theirs).unwrap_err();
        assert_eq!(partial.venue.as_deref(), Some("Astana"));
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].field, "summary");
        assert_eq!(c[0].base, "base");
        assert_eq!(c[0].ours, "ours");
        assert_eq!(c[0].theirs, "theirs");
    }

    #[test]
    fn a_field_removed_on_one_side_and_changed_on_the_other_conflicts() {
        let base = st();
        let mut ours = st();
        ours.venue = None;
        let mut theirs = st();
        theirs.venue = Some("Baku".into());
        let c = merge_statements(&base, &ours, &theirs)
            .unwrap_err()
            .conflicts;
        assert_eq!(c[0].field, "venue");
        assert_eq!(c[0].ours, serde_json::Value::Null);
    }
}
