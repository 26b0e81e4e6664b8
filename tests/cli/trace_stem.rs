//! `trace --stem`: phrases matched on stems, per language, on the bundled store and on a
//! store with Russian and Arabic statements.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{dossier, project_root, Env};

/// The `(date, matched texts)` of each statement carrying the phrase.
fn carried(env: &Env, dir: &Path, args: &[&str]) -> Vec<(String, Vec<String>)> {
    let mut line = vec!["trace"];
    line.extend(args);
    line.extend(["--format", "json"]);
    let out = dossier(env, dir, &line);
    out.ok();
    let t: Value = out.json();
    t["statements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["presence"] != "absent")
        .map(|r| {
            (
                r["statement"]["date"].as_str().unwrap().to_owned(),
                r["hits"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| h["matched"].as_str().unwrap().to_owned())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn a_plural_finds_the_singular_on_the_bundled_store_only_with_stem() {
    let env = Env::new();
    let store = project_root().join("tracked");
    let store = store.to_str().unwrap();
    let plain = carried(
        &env,
        env.dir.path(),
        &["--store", store, "air defence systems"],
    );
    assert!(plain.is_empty(), "{plain:?}");
    let stemmed = carried(
        &env,
        env.dir.path(),
        &["--store", store, "air defence systems", "--stem"],
    );
    let dates: Vec<&str> = stemmed.iter().map(|(d, _)| d.as_str()).collect();
    assert!(dates.contains(&"2025-09-24"), "{stemmed:?}");
    assert!(dates.contains(&"2025-10-10"), "{stemmed:?}");
    assert!(
        stemmed
            .iter()
            .flat_map(|(_, m)| m)
            .any(|m| m.eq_ignore_ascii_case("air defence system")),
        "{stemmed:?}"
    );
    // A different phrase that shares a word is still not found.
    let none = carried(
        &env,
        env.dir.path(),
        &["--store", store, "air forces systems", "--stem"],
    );
    assert!(none.is_empty(), "{none:?}");
}

fn record(env: &Env, dir: &Path, name: &str, yaml: &str) {
    let file: PathBuf = env.path(name);
    std::fs::write(&file, yaml).unwrap();
    dossier(
        env,
        dir,
        &["record", "cis-2030", "--from", file.to_str().unwrap()],
    )
    .ok();
}

#[test]
fn russian_case_endings_and_arabic_clitics_with_stem() {
    let env = Env::new();
    let dir = env.store("s");
    record(
        &env,
        &dir,
        "ru.yaml",
        "id: 2025-09-24-ru\ninitiative: cis-2030\ndate: 2025-09-24\nlanguage: ru\n\
         text: Главы государств одобрили создание единой системы противовоздушной обороны.\n\
         priorities:\n  - Единая система ПВО\n",
    );
    record(
        &env,
        &dir,
        "ar.yaml",
        "id: 2025-10-10-ar\ninitiative: cis-2030\ndate: 2025-10-10\nlanguage: ar\n\
         text: وأكد القادة أهمية تطوير منظومة للدفاع الجوي الموحدة وبالدفاع الجوي.\n",
    );
    let plain = carried(&env, &dir, &["единая система"]);
    assert_eq!(plain.len(), 1, "only the priority, as worded: {plain:?}");
    let ru = carried(&env, &dir, &["единая система", "--stem"]);
    assert_eq!(ru.len(), 1, "{ru:?}");
    let mut matched = ru[0].1.clone();
    matched.sort();
    assert_eq!(matched, ["Единая система", "единой системы"]);
    let ru = carried(&env, &dir, &["противовоздушная оборона", "--stem"]);
    assert_eq!(ru[0].1, ["противовоздушной обороны"]);

    let plain = carried(&env, &dir, &["دفاع جوي"]);
    assert!(plain.is_empty(), "{plain:?}");
    let ar = carried(&env, &dir, &["دفاع جوي", "--stem"]);
    assert_eq!(ar.len(), 1, "{ar:?}");
    assert_eq!(ar[0].1, ["للدفاع الجوي", "وبالدفاع الجوي"]);
    // With --lang, only that language's wording is searched, stemmed in it.
    let none = carried(&env, &dir, &["دفاع جوي", "--stem", "--lang", "ru"]);
    assert!(none.is_empty(), "{none:?}");
}
