//! Synonym groups: words and phrases the analyst says mean the same for matching
//! (`synonyms` in `dossier.yaml`: integral ≈ unified ≈ single; ПВО ≈ противовоздушная
//! оборона; متكامل ≈ موحد). Each member is read like any item text (normalised, clitics
//! off, stemmed, stop words dropped), so one spelling covers its inflections: `единая`
//! also stands for `единой`, `unified` for `unify`.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::diff::lang::Analyzer;

use super::profile::content_terms;

/// The groups, as sequences of stems, ready to fold a text's stems.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    /// First stem of a member -> (the member's stems, group number), longest first.
    by_first: HashMap<String, Vec<(Vec<String>, usize)>>,
    /// Each group's members as given, for explaining a match.
    groups: Vec<Vec<String>>,
}

impl Synonyms {
    /// Groups of words or phrases, each group a list of two or more members.
    pub fn new(groups: &[Vec<String>]) -> Synonyms {
        let mut by_first: HashMap<String, Vec<(Vec<String>, usize)>> = HashMap::new();
        let mut analyzer = Analyzer::new(None);
        for (g, members) in groups.iter().enumerate() {
            for m in members {
                let stems: Vec<String> = content_terms(&mut analyzer, m)
                    .into_iter()
                    .map(|t| t.stem)
                    .collect();
                if let Some(first) = stems.first() {
                    by_first
                        .entry(first.clone())
                        .or_default()
                        .push((stems.clone(), g));
                }
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|m| std::cmp::Reverse(m.0.len()));
            list.dedup();
        }
        Synonyms {
            by_first,
            groups: groups.to_vec(),
        }
    }

    /// The built-in groups ([`lexicon`](super::lexicon): abbreviations of
    /// organisations and terms; [`equivalents`](crate::diff::lang::equivalents): general
    /// policy vocabulary per language) followed by the store's own.
    pub fn with_builtin(store: &[Vec<String>]) -> Synonyms {
        let mut all = super::lexicon::groups();
        all.extend(crate::diff::lang::equivalents::groups());
        all.extend(store.iter().cloned());
        Synonyms::new(&all)
    }

    /// The built-in abbreviations only (no general vocabulary), then the store's groups:
    /// what the matcher knew before [`equivalents`](crate::diff::lang::equivalents), for
    /// measuring what those add.
    pub fn with_abbreviations(store: &[Vec<String>]) -> Synonyms {
        let mut all = super::lexicon::groups();
        all.extend(store.iter().cloned());
        Synonyms::new(&all)
    }

    /// True when there are no groups.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The members of group `g`, as the analyst wrote them.
    pub fn members(&self, g: usize) -> &[String] {
        self.groups.get(g).map_or(&[], Vec::as_slice)
    }

    /// How many stems from `at` a group member spells (0 when none does): what
    /// [`fold`](Self::fold) replaces there.
    pub fn span_at(&self, stems: &[&str], at: usize) -> usize {
        let Some(first) = stems.get(at) else {
            return 0;
        };
        self.by_first
            .get(*first)
            .and_then(|members| {
                members.iter().find(|(seq, _)| {
                    seq.len() <= stems.len() - at
                        && seq.iter().zip(&stems[at..]).all(|(a, b)| a == b)
                })
            })
            .map_or(0, |(seq, _)| seq.len())
    }

    /// `stems` with every run that spells a group member (the longest first, left to
    /// right) replaced by the group's term, `≈N`.
    pub fn fold<'a>(&self, stems: &[&'a str]) -> Vec<Cow<'a, str>> {
        let mut out = Vec::with_capacity(stems.len());
        let mut i = 0;
        while i < stems.len() {
            let hit = self.by_first.get(stems[i]).and_then(|members| {
                members.iter().find(|(seq, _)| {
                    seq.len() <= stems.len() - i && seq.iter().zip(&stems[i..]).all(|(a, b)| a == b)
                })
            });
            match hit {
                Some((seq, g)) => {
                    out.push(Cow::Owned(group_term(*g)));
                    i += seq.len();
                }
                None => {
                    out.push(Cow::Borrowed(stems[i]));
                    i += 1;
                }
            }
        }
        out
    }

    /// The group numbers a text's stems touch.
    pub fn groups_in(&self, stems: &[&str]) -> Vec<usize> {
        let mut out: Vec<usize> = self
            .fold(stems)
            .iter()
            .filter_map(|s| s.strip_prefix('≈').and_then(|n| n.parse().ok()))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The term standing for group `g` (`≈` never occurs in a stem: it is not a letter).
pub(crate) fn group_term(g: usize) -> String {
    format!("≈{g}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(list: &[&[&str]]) -> Synonyms {
        Synonyms::new(
            &list
                .iter()
                .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn folds_words_and_phrases_in_any_inflection() {
        let s = groups(&[
            &["integral", "unified", "single"],
            &["ПВО", "противовоздушная оборона"],
        ]);
        let fold = |stems: &[&str]| -> Vec<String> {
            s.fold(stems).into_iter().map(|c| c.into_owned()).collect()
        };
        assert_eq!(fold(&["integr", "system"]), ["≈0", "system"]);
        assert_eq!(fold(&["unifi", "system"]), ["≈0", "system"]);
        assert_eq!(
            fold(&["един", "систем", "противовоздушн", "оборон"]),
            ["един", "систем", "≈1"]
        );
        assert_eq!(fold(&["пво"]), ["≈1"]);
        assert_eq!(fold(&["оборон"]), ["оборон"]);
        assert_eq!(s.members(1)[0], "ПВО");
        assert_eq!(s.groups_in(&["unifi", "пво"]), [0, 1]);
        assert!(Synonyms::default().is_empty());
    }
}
