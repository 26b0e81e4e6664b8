//! The labelled matching set (`tests/fixtures/matching/`), loaded and scored: shared by
//! the regression test (`tests/matching.rs`) and the benchmark (`benches/matching.rs`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use dossier::diff::matching::{Constraints, MatchConfig, Matcher, Synonyms};

#[derive(Debug, Deserialize)]
pub struct File {
    pub language: String,
    /// The synonym groups a store would declare.
    #[serde(default)]
    pub synonyms: Vec<Vec<String>>,
    pub cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
pub struct Case {
    pub name: String,
    pub split: String,
    pub old: Vec<Item>,
    pub new: Vec<Item>,
    pub pairs: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Item {
    Text(String),
    Full {
        text: String,
        #[serde(default)]
        translations: BTreeMap<String, String>,
    },
}

impl Item {
    pub fn text(&self) -> &str {
        match self {
            Item::Text(t) | Item::Full { text: t, .. } => t,
        }
    }
    pub fn translations(&self) -> Option<&BTreeMap<String, String>> {
        match self {
            Item::Text(_) => None,
            Item::Full { translations, .. } => Some(translations),
        }
    }
}

/// The files of the set: en, ru, ar, cross.
#[allow(dead_code)] // the benchmark reads it
pub const LANGUAGES: [&str; 4] = ["en", "ru", "ar", "cross"];

pub fn load(lang: &str) -> File {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/matching")
        .join(format!("{lang}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The links a case declares: `(old, new)`, 0-based.
pub fn gold(case: &Case) -> BTreeSet<(usize, usize)> {
    let mut out = BTreeSet::new();
    for p in &case.pairs {
        let (a, b) = p
            .split_once('=')
            .unwrap_or_else(|| panic!("{}: bad pair {p}", case.name));
        let side = |s: &str| -> Vec<usize> {
            s.split('+')
                .map(|n| n.trim().parse::<usize>().expect("a number") - 1)
                .collect()
        };
        for i in side(a) {
            for j in side(b) {
                out.insert((i, j));
            }
        }
    }
    out
}

/// Counts of one evaluation.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    pub true_links: usize,
    pub false_links: usize,
    pub missed_links: usize,
    /// Items in the unrelated cases (those with no pairs at all).
    pub unrelated_items: usize,
    /// Links made in the unrelated cases.
    pub unrelated_false: usize,
    pub cases: usize,
}

impl Counts {
    pub fn add(&mut self, o: Counts) {
        self.true_links += o.true_links;
        self.false_links += o.false_links;
        self.missed_links += o.missed_links;
        self.unrelated_items += o.unrelated_items;
        self.unrelated_false += o.unrelated_false;
        self.cases += o.cases;
    }
    pub fn precision(&self) -> f64 {
        let made = self.true_links + self.false_links;
        if made == 0 {
            1.0
        } else {
            self.true_links as f64 / made as f64
        }
    }
    pub fn recall(&self) -> f64 {
        let gold = self.true_links + self.missed_links;
        if gold == 0 {
            1.0
        } else {
            self.true_links as f64 / gold as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// False links per 50 items of unrelated lists.
    pub fn false_per_50(&self) -> f64 {
        if self.unrelated_items == 0 {
            0.0
        } else {
            self.unrelated_false as f64 * 50.0 / self.unrelated_items as f64
        }
    }
}

/// One case's outcome, for reports.
#[derive(Debug)]
#[allow(dead_code)] // the benchmark reads `details`; the test reads the lists
pub struct Outcome {
    pub name: String,
    pub split: String,
    pub counts: Counts,
    pub false_links: Vec<(usize, usize)>,
    pub missed: Vec<(usize, usize)>,
    /// One line per false or missed link: its score and the two texts.
    pub details: Vec<String>,
}

/// A matcher for one file: its settings, and every item of the file learned (the file
/// stands for a store, whose items give the document frequencies).
pub fn matcher_for(file: &File, config: MatchConfig, synonyms: Synonyms) -> Matcher {
    let mut m = Matcher::new(config, synonyms);
    let hint = hint(file);
    for case in &file.cases {
        for item in case.old.iter().chain(&case.new) {
            let p = m.profile(item.text(), hint, item.translations());
            m.learn(&p);
        }
    }
    m
}

fn hint(file: &File) -> Option<&str> {
    (file.language != "cross").then_some(file.language.as_str())
}

/// Matches every case of `file` (of the given splits) and scores the links.
pub fn evaluate(file: &File, m: &Matcher, splits: &[&str]) -> Vec<Outcome> {
    let hint = hint(file);
    let mut out = Vec::new();
    for case in file
        .cases
        .iter()
        .filter(|c| splits.contains(&c.split.as_str()))
    {
        let old: Vec<_> = case
            .old
            .iter()
            .map(|i| m.profile(i.text(), hint, i.translations()))
            .collect();
        let new: Vec<_> = case
            .new
            .iter()
            .map(|i| m.profile(i.text(), hint, i.translations()))
            .collect();
        let r = m.match_lists(&old, &new, &Constraints::default());
        let mut made: BTreeSet<(usize, usize)> = r.pairs.iter().map(|p| (p.old, p.new)).collect();
        for g in &r.groups {
            for &i in &g.old {
                for &j in &g.new {
                    made.insert((i, j));
                }
            }
        }
        let gold = gold(case);
        let false_links: Vec<_> = made.difference(&gold).copied().collect();
        let missed: Vec<_> = gold.difference(&made).copied().collect();
        let unrelated = gold.is_empty();
        let counts = Counts {
            true_links: made.intersection(&gold).count(),
            false_links: false_links.len(),
            missed_links: missed.len(),
            unrelated_items: if unrelated { old.len() + new.len() } else { 0 },
            unrelated_false: if unrelated { false_links.len() } else { 0 },
            cases: 1,
        };
        let mut details = Vec::new();
        for (what, list) in [("false", &false_links), ("missed", &missed)] {
            for &(i, j) in list {
                let s = m.score(&old[i], &new[j]);
                details.push(format!(
                    "{what} {}={} score {} (words {}, trigrams {}): {} | {}",
                    i + 1,
                    j + 1,
                    s.as_ref().map_or(-1.0, |s| s.value),
                    s.as_ref().map_or(-1.0, |s| s.words),
                    s.as_ref().map_or(-1.0, |s| s.trigrams),
                    case.old[i].text(),
                    case.new[j].text()
                ));
            }
        }
        out.push(Outcome {
            details,
            name: case.name.clone(),
            split: case.split.clone(),
            counts,
            false_links,
            missed,
        });
    }
    out
}

/// The sum of the outcomes' counts.
pub fn total(outcomes: &[Outcome]) -> Counts {
    let mut c = Counts::default();
    for o in outcomes {
        c.add(o.counts);
    }
    c
}
