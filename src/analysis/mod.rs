//! Analyses across many statements: the timeline matrix of priorities and principles
//! ([`timeline`]), where a phrase appears and whether it stayed ([`trace`]), and where each
//! sentence of a statement was first said ([`blame`]).
//!
//! Like [`crate::diff`], whose normalisation, similarity and item matching it reuses, this
//! module is pure: it takes statements (and initiatives), returns data, and never prints,
//! reads files or touches git. Renderers live in `render/analysis.rs` and `render/html.rs`.

pub mod blame;
pub mod index;
pub mod stemmed;
pub mod timeline;
pub mod trace;

use serde::Serialize;

use crate::record::{Initiative, PartialDate, Statement};

/// A statement as the analyses name it: enough to find it and say who said it when.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatementInfo {
    /// `<initiative>/<id>`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The statement's initiative.
    pub initiative: String,
    /// The statement's date, as recorded.
    pub date: String,
    /// The speaker's name, when recorded.
    pub speaker: Option<String>,
}

impl StatementInfo {
    /// The information of one statement.
    pub fn of(st: &Statement) -> StatementInfo {
        StatementInfo {
            reference: st.reference(),
            initiative: st.initiative.clone(),
            date: st.date.clone(),
            speaker: st.speaker.as_ref().map(|s| s.name.clone()),
        }
    }
}

/// Sorts statements into date order (earliest possible day first, undated last), then by
/// initiative and id: the order every analysis reads them in.
pub fn sort_statements<S: std::borrow::Borrow<Statement>>(list: &mut [S]) {
    list.sort_by(|a, b| {
        let (a, b) = (a.borrow(), b.borrow());
        let key = |s: &Statement| PartialDate::parse(&s.date).map_or((1, None), |d| (0, Some(d)));
        key(a)
            .cmp(&key(b))
            .then_with(|| a.initiative.cmp(&b.initiative))
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// The key that puts statement infos into the order of [`sort_statements`].
pub fn info_order(s: &StatementInfo) -> impl Ord {
    let date = PartialDate::parse(&s.date).map_or((1, None), |d| (0, Some(d)));
    (date, s.initiative.clone(), s.reference.clone())
}

/// The initiative `id` followed by the ones it supersedes, transitively (`2030`, `2025`,
/// `2020`...). Stops at an unknown id or a cycle.
pub fn lineage(initiatives: &[Initiative], id: &str) -> Vec<String> {
    let mut out = vec![id.to_string()];
    let mut current = id;
    while let Some(next) = initiatives
        .iter()
        .find(|i| i.id == current)
        .and_then(|i| i.supersedes.as_deref())
    {
        if out.iter().any(|seen| seen == next) {
            break;
        }
        out.push(next.to_string());
        current = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ini(id: &str, supersedes: Option<&str>) -> Initiative {
        Initiative {
            id: id.into(),
            title: id.into(),
            organization: None,
            horizon: None,
            status: None,
            supersedes: supersedes.map(Into::into),
            tags: Vec::new(),
            summary: None,
        }
    }

    #[test]
    fn lineage_follows_supersedes_and_survives_cycles() {
        let list = [
            ini("c2030", Some("c2025")),
            ini("c2025", Some("c2020")),
            ini("c2020", None),
            ini("x", Some("y")),
            ini("y", Some("x")),
        ];
        assert_eq!(lineage(&list, "c2030"), ["c2030", "c2025", "c2020"]);
        assert_eq!(lineage(&list, "x"), ["x", "y"]);
        assert_eq!(lineage(&list, "unknown"), ["unknown"]);
    }

    #[test]
    fn undated_statements_sort_last() {
        let st = |id: &str, date: &str| Statement {
            id: id.into(),
            date: date.into(),
            ..Statement::default()
        };
        let mut list = vec![st("b", "bad"), st("c", "2025-01-02"), st("a", "2024-12")];
        sort_statements(&mut list);
        let ids: Vec<&str> = list.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["a", "c", "b"]);
    }
}
