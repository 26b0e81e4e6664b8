//! The significance detector on the hand-labelled set (`tests/fixtures/significance/`):
//! precision and recall per language and split stay above the floors measured when it
//! was built (figures in docs/benchmarks.md; `cargo test --test significance --
//! --nocapture` prints them), and noise cases raise nothing on the tuning split.

// Test code reads the fixtures: clippy.toml's lists are for the library.
#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use std::path::Path;

use dossier::diff::diff_text;
use dossier::diff::lang::Lang;
use dossier::diff::significance::{detect, Section, Significant};
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    language: String,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    split: String,
    /// `base` (the first set) or `gaps` (written later for the detector's known gaps).
    #[serde(default = "base")]
    set: String,
    old: String,
    new: String,
    expect: Vec<String>,
}

fn base() -> String {
    "base".to_owned()
}

fn load(lang: &str) -> File {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/significance")
        .join(format!("{lang}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `KIND CHANGE` of a finding: the direction for modality, else the change.
fn label(s: &Significant) -> String {
    let word = |v: serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let kind = word(serde_json::to_value(s.kind).unwrap_or_default());
    let change = match s.direction {
        Some(d) => word(serde_json::to_value(d).unwrap_or_default()),
        None => word(serde_json::to_value(s.change).unwrap_or_default()),
    };
    format!("{kind} {change}")
}

#[derive(Default, Debug, Clone, Copy)]
struct Counts {
    hit: usize,
    false_alarm: usize,
    missed: usize,
    noise_cases: usize,
    noisy: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        let found = self.hit + self.false_alarm;
        if found == 0 {
            1.0
        } else {
            self.hit as f64 / found as f64
        }
    }
    fn recall(&self) -> f64 {
        let wanted = self.hit + self.missed;
        if wanted == 0 {
            1.0
        } else {
            self.hit as f64 / wanted as f64
        }
    }
}

/// Scores one language's cases of one split and set; the misses and false alarms as
/// lines.
fn score(file: &File, split: &str, set: &str) -> (Counts, Vec<String>) {
    let lang = Lang::from_tag(&file.language);
    let mut c = Counts::default();
    let mut notes = Vec::new();
    for case in file
        .cases
        .iter()
        .filter(|c| c.split == split && c.set == set)
    {
        let d = diff_text(&case.old, &case.new, false, None);
        let mut found: Vec<String> = detect(&d.ops, Section::Wording, lang)
            .iter()
            .map(label)
            .collect();
        if case.expect.is_empty() {
            c.noise_cases += 1;
            c.noisy += usize::from(!found.is_empty());
        }
        for e in &case.expect {
            match found.iter().position(|f| f == e) {
                Some(k) => {
                    found.remove(k);
                    c.hit += 1;
                }
                None => {
                    c.missed += 1;
                    notes.push(format!("{}: missed {e}", case.name));
                }
            }
        }
        for f in found {
            c.false_alarm += 1;
            notes.push(format!("{}: false {f}", case.name));
        }
    }
    (c, notes)
}

/// Floors a little under the figures measured (docs/benchmarks.md): a regression fails,
/// a change of one case on the held-out split does not.
const DEV_FLOOR: f64 = 0.99;
const TEST_FLOOR: f64 = 0.7;

#[test]
fn precision_and_recall_per_language_and_split() {
    // Every figure is printed before any floor fails, so one run gives them all.
    let mut under = Vec::new();
    for lang in ["en", "ru", "ar"] {
        let file = load(lang);
        assert!(file.cases.len() >= 35, "{lang}: the set shrank");
        for (set, split, floor) in [
            ("base", "dev", DEV_FLOOR),
            ("base", "test", TEST_FLOOR),
            ("gaps", "dev", DEV_FLOOR),
            ("gaps", "test", TEST_FLOOR),
        ] {
            let (c, notes) = score(&file, split, set);
            println!(
                "{lang} {set} {split:4}: precision {:.2} ({} of {} flagged), recall {:.2} ({} of {} expected), noise cases raising something {} of {}",
                c.precision(),
                c.hit,
                c.hit + c.false_alarm,
                c.recall(),
                c.hit,
                c.hit + c.missed,
                c.noisy,
                c.noise_cases
            );
            for n in &notes {
                println!("    {n}");
            }
            if c.precision() < floor || c.recall() < floor {
                under.push(format!(
                    "{lang} {set} {split}: precision {:.2}, recall {:.2} under {floor}:\n{}",
                    c.precision(),
                    c.recall(),
                    notes.join("\n")
                ));
            }
        }
    }
    assert!(under.is_empty(), "{}", under.join("\n"));
}
