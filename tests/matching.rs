//! The matcher on the labelled set (`tests/fixtures/matching/`): F1 per language and false
//! pairs on unrelated lists stay above the floors measured when it was built (see
//! docs/benchmarks.md; `cargo bench --bench matching` prints the figures). A floor is
//! a guard against regressions, not a tuning target: nothing is tuned on test or test2.

// Test code reads the fixtures: clippy.toml's lists are for the library.
#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

mod labelled;

use dossier::diff::matching::{MatchConfig, Synonyms};
use labelled::{evaluate, load, matcher_for, total};

/// Every split: dev, the held-out test and test2.
const ALL: [&str; 3] = ["dev", "test", "test2"];

/// Lowest F1 accepted per language (all cases, built-in knowledge: abbreviations and
/// general vocabulary): a little under what was measured (0.845 to 0.876 on 2026-12-03),
/// so that a real regression fails and noise does not. The target is 0.9.
const F1_FLOOR: f64 = 0.83;

/// Most false pairs accepted per 50 items of unrelated lists (all cases). The target is
/// 1; the unrelated lists that share their boilerplate still get more (4.6 to 7.1 when
/// measured; docs/benchmarks.md says why), so this is the measured figure with a little
/// room: a guard against regressions, not the goal.
const FALSE_PER_50_CEILING: f64 = 7.5;

#[test]
fn each_language_keeps_its_f1_and_unrelated_lists_stay_apart() {
    for lang in ["en", "ru", "ar"] {
        let file = load(lang);
        let m = matcher_for(&file, MatchConfig::default(), Synonyms::with_builtin(&[]));
        let outcomes = evaluate(&file, &m, &ALL);
        let c = total(&outcomes);
        assert!(
            c.true_links + c.missed_links >= 80,
            "{lang}: the set shrank"
        );
        assert!(
            c.f1() >= F1_FLOOR,
            "{lang}: F1 {:.3} (precision {:.3}, recall {:.3}) fell below {F1_FLOOR}:\n{}",
            c.f1(),
            c.precision(),
            c.recall(),
            outcomes
                .iter()
                .flat_map(|o| o.details.iter().map(move |d| format!("  {}: {d}", o.name)))
                .collect::<Vec<_>>()
                .join("\n")
        );
        assert!(
            c.false_per_50() <= FALSE_PER_50_CEILING,
            "{lang}: {:.2} false pairs per 50 items of unrelated lists",
            c.false_per_50()
        );
    }
}

#[test]
fn cross_language_pairs_go_through_translations_and_say_so() {
    let file = load("cross");
    let m = matcher_for(&file, MatchConfig::default(), Synonyms::with_builtin(&[]));
    let c = total(&evaluate(&file, &m, &ALL));
    assert_eq!(c.false_links, 0, "a false pair across languages");
    assert!(
        c.recall() >= 0.85,
        "recall {:.3} across languages",
        c.recall()
    );
}

#[test]
fn store_synonyms_do_not_make_it_worse() {
    for lang in ["en", "ru", "ar"] {
        let file = load(lang);
        let builtin = matcher_for(&file, MatchConfig::default(), Synonyms::with_builtin(&[]));
        let store = matcher_for(
            &file,
            MatchConfig::default(),
            Synonyms::with_builtin(&file.synonyms),
        );
        let (b, s) = (
            total(&evaluate(&file, &builtin, &ALL)),
            total(&evaluate(&file, &store, &ALL)),
        );
        assert!(
            s.f1() + 0.02 >= b.f1(),
            "{lang}: synonyms took F1 from {:.3} to {:.3}",
            b.f1(),
            s.f1()
        );
    }
}
