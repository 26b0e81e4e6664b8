//! Precision, recall and F1 of item matching on the labelled set
//! (`tests/fixtures/matching/`), per language and overall, on the dev and the held-out
//! test and test2 cases; then the matcher's speed on lists of 50 and of 100,000 items.
//!
//! `cargo bench --bench matching` (env: `DOSSIER_MATCH_SCALE`, default 100000, the items
//! per list of the large run; `DOSSIER_MATCH_VERBOSE=1` lists every false and missed
//! link; `DOSSIER_MATCH_DEV_ONLY=1` shows the dev cases only, for tuning without seeing
//! the held-out ones; `DM_KNOWLEDGE=abbreviations|builtin|store` one kind of knowledge
//! only; `DM_T`, `DM_M`, `DM_C` the threshold, margin and conflict weight;
//! `DM_QUALITY_ONLY=1` no timing; `DM_LARGE_RUNS` runs of the large case, default 3). Prints Markdown for docs/benchmarks.md.

// Bench code reads the fixtures and prints: clippy.toml's lists are for the library.
#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

#[path = "../tests/labelled/mod.rs"]
mod labelled;

use std::time::{Duration, Instant};

use dossier::diff::matching::{Constraints, MatchConfig, Matcher, Synonyms};
use labelled::{evaluate, load, matcher_for, total, Counts, LANGUAGES};

fn row(name: &str, c: &Counts) -> String {
    format!(
        "| {name} | {} | {} | {} | {:.3} | {:.3} | {:.3} | {:.2} |",
        c.true_links,
        c.false_links,
        c.missed_links,
        c.precision(),
        c.recall(),
        c.f1(),
        c.false_per_50()
    )
}

/// Which synonym groups the matcher is given.
#[derive(Clone, Copy, PartialEq)]
enum Knowledge {
    /// The built-in abbreviations only (what the matcher knew before the general
    /// vocabulary of `diff::lang::equivalents`).
    Abbreviations,
    /// The built-in abbreviations and general vocabulary.
    Builtin,
    /// Those and the groups the fixture file declares, as a store would.
    Store,
}

fn quality(config: MatchConfig, knowledge: Knowledge, verbose: bool) {
    println!(
        "threshold {}, margin {}, conflict weight {}, synonyms: {}\n",
        config.threshold,
        config.margin,
        config.conflict,
        match knowledge {
            Knowledge::Abbreviations => "built-in abbreviations only",
            Knowledge::Builtin => "built-in abbreviations and general vocabulary",
            Knowledge::Store => "built-in and the store's groups",
        }
    );
    let dev_only = std::env::var_os("DOSSIER_MATCH_DEV_ONLY").is_some();
    for (title, splits) in [
        ("dev", &["dev"][..]),
        ("test (held out)", &["test"][..]),
        ("test2 (held out, written 2026-12-03)", &["test2"][..]),
        ("all", &["dev", "test", "test2"][..]),
    ] {
        if dev_only && title != "dev" {
            continue; // while tuning: the held-out cases stay unseen
        }
        println!("### {title}\n");
        println!("| language | true links | false links | missed | precision | recall | F1 | false per 50 unrelated items |");
        println!("|---|---|---|---|---|---|---|---|");
        let mut overall = Counts::default();
        for lang in LANGUAGES {
            let file = load(lang);
            let synonyms = match knowledge {
                Knowledge::Abbreviations => Synonyms::with_abbreviations(&[]),
                Knowledge::Builtin => Synonyms::with_builtin(&[]),
                Knowledge::Store => Synonyms::with_builtin(&file.synonyms),
            };
            let m = matcher_for(&file, config, synonyms);
            let outcomes = evaluate(&file, &m, splits);
            let c = total(&outcomes);
            if lang != "cross" {
                overall.add(c);
            }
            println!("{}", row(lang, &c));
            if verbose {
                for o in &outcomes {
                    for d in &o.details {
                        eprintln!("  {lang}/{} [{}] {d}", o.name, o.split);
                    }
                }
            }
        }
        println!("{}\n", row("**en + ru + ar**", &overall));
    }
}

/// Lists of `n` generated items: every new item a rewording of an old one (a word
/// swapped, the order changed), from a vocabulary large enough that items differ.
fn generated(n: usize, seed: u64) -> (Vec<String>, Vec<String>) {
    const WORDS: &[&str] = &[
        "joint",
        "air",
        "defence",
        "system",
        "training",
        "officers",
        "exercises",
        "border",
        "security",
        "cooperation",
        "medicine",
        "communications",
        "radar",
        "monitoring",
        "standards",
        "logistics",
        "peacekeeping",
        "intelligence",
        "cyber",
        "energy",
        "terrorism",
        "extremism",
        "drugs",
        "migration",
        "navy",
        "space",
        "archives",
        "education",
        "science",
        "industry",
        "procurement",
        "legislation",
        "forces",
    ];
    let mut state = seed;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut old = Vec::with_capacity(n);
    let mut new = Vec::with_capacity(n);
    for i in 0..n {
        let mut words: Vec<String> = (0..5)
            .map(|_| WORDS[(next() % WORDS.len() as u64) as usize].to_owned())
            .collect();
        // A rare word per item, as real items have (a place, a name, a number).
        words.push(format!("w{i}x{}", next() % 1000));
        old.push(words.join(" "));
        words.rotate_left(1);
        let k = (next() % 5) as usize;
        words[k] = WORDS[(next() % WORDS.len() as u64) as usize].to_owned();
        new.push(words.join(" "));
    }
    (old, new)
}

fn time_lists(n: usize, runs: usize) -> (Duration, usize) {
    let (old, new) = generated(n, 0x9e37_79b9_7f4a_7c15 ^ n as u64);
    let mut times = Vec::new();
    let mut paired = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let mut m = Matcher::new(MatchConfig::default(), Synonyms::default());
        let old_p: Vec<_> = old.iter().map(|t| m.profile(t, Some("en"), None)).collect();
        let new_p: Vec<_> = new.iter().map(|t| m.profile(t, Some("en"), None)).collect();
        for p in old_p.iter().chain(&new_p) {
            m.learn(p);
        }
        let r = m.match_lists(&old_p, &new_p, &Constraints::default());
        times.push(start.elapsed());
        paired = r.pairs.len();
    }
    times.sort();
    (times[times.len() / 2], paired)
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // `cargo bench -- --list` (and cargo test --benches) expect no work
    }
    let verbose = std::env::var_os("DOSSIER_MATCH_VERBOSE").is_some();
    let get = |k: &str| std::env::var(k).ok().and_then(|v| v.parse::<f64>().ok());
    let config = MatchConfig {
        threshold: get("DM_T").unwrap_or(MatchConfig::default().threshold),
        margin: get("DM_M").unwrap_or(MatchConfig::default().margin),
        conflict: get("DM_C").unwrap_or(MatchConfig::default().conflict),
        ..MatchConfig::default()
    };
    let knowledge = match std::env::var("DM_KNOWLEDGE").as_deref() {
        Ok("abbreviations") => vec![Knowledge::Abbreviations],
        Ok("builtin") => vec![Knowledge::Builtin],
        Ok("store") => vec![Knowledge::Store],
        _ => vec![
            Knowledge::Abbreviations,
            Knowledge::Builtin,
            Knowledge::Store,
        ],
    };
    for k in knowledge {
        quality(config, k, verbose);
    }
    if std::env::var_os("DM_QUALITY_ONLY").is_some() {
        return;
    }

    let scale: usize = std::env::var("DOSSIER_MATCH_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    println!("### speed\n");
    println!("| items per list | median time | pairs made |");
    println!("|---|---|---|");
    let large_runs: usize = std::env::var("DM_LARGE_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    for (n, runs) in [(50, 51), (1_000, 11), (scale, large_runs.max(1))] {
        let (t, paired) = time_lists(n, runs);
        println!("| {n} | {:.1} ms | {paired} |", t.as_secs_f64() * 1000.0);
    }
}
