//! `dossier diff` end to end: the bundled store, revisions of one record, normalisation
//! through the CLI, exit codes, formats, and table snapshots with colour on and off.
//!
//! Snapshots are insta's, in tests/cli/snapshots/; after an intended change rewrite them
//! with `INSTA_UPDATE=always cargo test --test cli` and review `git diff`.

use std::path::Path;

use serde_json::Value;

use crate::common::{dossier, project_root, run, Env};

const ADOPTION: &str =
    "cis-military-cooperation-2030/2025-10-10-council-of-heads-of-state-adopts-concept-2030";
const ANNOUNCEMENT: &str =
    "cis-military-cooperation-2030/2024-11-07-lebedev-security-council-secretaries";

fn bundled() -> String {
    project_root()
        .join("tracked")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn the_announcement_against_the_adoption_shows_the_adopted_priorities_as_added() {
    let env = Env::new();
    let store = bundled();
    let out = dossier(
        &env,
        env.dir.path(),
        &[
            "--store",
            &store,
            "diff",
            ANNOUNCEMENT,
            ADOPTION,
            "--format",
            "json",
        ],
    );
    out.ok();
    let d = out.json();
    assert_eq!(d["from"]["ref"], ANNOUNCEMENT);
    assert_eq!(d["to"]["ref"], ADOPTION);
    let added: Vec<&str> = d["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] == "added")
        .map(|p| p["to"].as_str().unwrap())
        .collect();
    assert_eq!(
        added,
        [
            "Unified air defence system",
            "Joint communications system",
            "Integrated system for monitoring and assessing the radiological, chemical and biological situation",
            "Unified radar identification system",
            "Unified military geographic information system of the armed forces",
        ]
    );
    let ranks: Vec<u64> = d["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] == "added")
        .map(|p| p["to_rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, [1, 2, 3, 4, 5]);
    // The metadata that changed, and the summary row for it.
    let fields: Vec<&str> = d["metadata"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for f in ["date", "kind", "stage", "venue", "language"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    assert_eq!(d["summary"]["priorities"]["added"], 5);
    // The adoption is recorded by its summary only (we hold no full text): the wording is
    // not compared, and the diff says so instead of showing everything as removed.
    assert!(d["wording"].is_null());
    assert!(
        d["notices"][0].as_str().unwrap().contains("has no wording"),
        "{}",
        d["notices"]
    );
}

#[test]
fn the_initiative_form_compares_its_two_latest_statements_and_steps_through_all() {
    let env = Env::new();
    let store = bundled();
    let d = dossier(
        &env,
        env.dir.path(),
        &[
            "--store",
            &store,
            "diff",
            "cis-military-cooperation-2030",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(d["to"]["ref"], ADOPTION);
    assert_eq!(d["from"]["date"], "2025-09-30");
    let steps = dossier(
        &env,
        env.dir.path(),
        &[
            "--store",
            &store,
            "diff",
            "cis-military-cooperation-2030",
            "--steps",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(
        steps.as_array().unwrap().len(),
        4,
        "five statements, four steps"
    );
    let ranged = dossier(
        &env,
        env.dir.path(),
        &[
            "--store",
            &store,
            "diff",
            "cis-military-cooperation-2030",
            "--from",
            "2024-11",
            "--to",
            "2025-09",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(ranged["from"]["date"], "2024-11-07");
    assert_eq!(ranged["to"]["date"], "2025-09-30");
}

/// A store with one statement recorded, then edited: returns (store, ref).
fn edited(env: &Env) -> (std::path::PathBuf, String) {
    let store = env.store("s");
    let text = env.path("text.txt");
    std::fs::write(
        &text,
        "We will strengthen joint air defence. Training rests on mutual enrichment.\n",
    )
    .unwrap();
    let r = run(env.dossier_in(&store).args([
        "record",
        "cis-2030",
        "--date",
        "2024-11-07",
        "--speaker",
        "Sergei Lebedev",
        "--lang",
        "en",
        "--venue",
        "Moscow",
        "--text-file",
        text.to_str().unwrap(),
        "--priority",
        "Clear priorities",
        "--priority",
        "New guidelines",
        "--summary",
        "The CIS will set clear priorities and new guidelines for its cooperation.",
    ]));
    r.ok();
    let reference = r.stdout.trim().to_string();
    let script = env.path("editor.sh");
    std::fs::write(
        &script,
        "#!/bin/sh\nsed -i -e 's/venue: Moscow/venue: Minsk/' -e 's/strengthen joint/reinforce the joint/' \
         -e 's/- text: Clear priorities/- text: Clear and firm priorities/' \
         -e 's/set clear priorities/set firm priorities/' \"$1\"\n",
    )
    .unwrap();
    run(env
        .dossier_in(&store)
        .env("EDITOR", format!("sh {}", script.display()))
        .args(["edit", &reference, "-m", "venue and wording"]))
    .ok();
    (store, reference)
}

#[test]
fn two_revisions_of_one_record_show_the_edit() {
    let env = Env::new();
    let (store, r) = edited(&env);
    let old = format!("{r}@HEAD~1");
    let d = dossier(&env, &store, &["diff", &old, &r, "--format", "json"])
        .ok()
        .json();
    let venue = d["metadata"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "venue")
        .expect("venue changed");
    assert_eq!(venue["from"], "Moscow");
    assert_eq!(venue["to"], "Minsk");
    // An edited summary comes with its word diff, shown inline in the table.
    let summary = d["metadata"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "summary")
        .expect("summary changed");
    assert!(
        summary["ops"].as_array().is_some_and(|o| o.len() > 1),
        "{summary}"
    );
    let meta = dossier(&env, &store, &["diff", &old, &r, "--only", "metadata"])
        .ok()
        .stdout
        .clone();
    assert!(
        meta.contains("[-clear-] {+firm+}") || meta.contains("[-clear-]{+firm+}"),
        "{meta}"
    );
    let reworded: Vec<&Value> = d["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["status"] == "reworded")
        .collect();
    assert_eq!(reworded.len(), 1, "{}", d["priorities"]);
    assert_eq!(reworded[0]["from"], "Clear priorities");
    // The ops rebuild both wordings exactly.
    let ops = d["wording"]["ops"].as_array().unwrap();
    let new: String = ops
        .iter()
        .filter(|o| o["op"] != "delete")
        .map(|o| o["text"].as_str().unwrap())
        .collect();
    let old_text: String = ops
        .iter()
        .filter(|o| o["op"] != "insert")
        .map(|o| {
            o.get("old_text")
                .and_then(Value::as_str)
                .unwrap_or_else(|| o["text"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        new,
        "We will reinforce the joint air defence. Training rests on mutual enrichment.\n"
    );
    assert_eq!(
        old_text,
        "We will strengthen joint air defence. Training rests on mutual enrichment.\n"
    );
    // `REF@REV` alone compares that revision with the current record.
    let d2 = dossier(&env, &store, &["diff", &old, "--format", "json"])
        .ok()
        .json();
    assert_eq!(d2["metadata"], d["metadata"]);
    // Exit codes: 1 only with --exit-code and a difference; 0 for the same version.
    assert_eq!(
        dossier(&env, &store, &["diff", &old, &r, "--exit-code"]).code,
        1
    );
    assert_eq!(dossier(&env, &store, &["diff", &old, &r]).code, 0);
    assert_eq!(
        dossier(&env, &store, &["diff", &r, &r, "--exit-code"]).code,
        0
    );
    // wdiff's marks when colour is off.
    let table = dossier(&env, &store, &["diff", &old, &r, "--only", "wording"])
        .ok()
        .stdout
        .clone();
    assert!(
        table.contains("[-strengthen-]") && table.contains("{+reinforce the+}"),
        "{table}"
    );
    // Markdown for reports.
    let md = dossier(&env, &store, &["diff", &old, &r, "--format", "markdown"])
        .ok()
        .stdout
        .clone();
    assert!(
        md.contains("| field | before | after |") && md.contains("| venue | Moscow | Minsk |"),
        "{md}"
    );
    // --sentences aligns the sentences: one reworded, one kept.
    let s = dossier(
        &env,
        &store,
        &["diff", &old, &r, "--sentences", "--format", "json"],
    )
    .ok()
    .json();
    let statuses: Vec<&str> = s["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["reworded", "kept"]);
}

#[test]
fn arabic_diacritics_compare_equal_unless_strict() {
    let env = Env::new();
    let store = env.store("s");
    for (id, word) in [("2024-11-07-a", "شكراً"), ("2024-11-08-b", "شكرا")] {
        let text = env.path(&format!("{id}.txt"));
        std::fs::write(&text, format!("{word} للتعاون\n")).unwrap();
        run(env.dossier_in(&store).args([
            "record",
            "cis-2030",
            "--date",
            &id[..10],
            "--id",
            id,
            "--lang",
            "ar",
            "--text-file",
            text.to_str().unwrap(),
        ]))
        .ok();
    }
    let d = dossier(
        &env,
        &store,
        &[
            "diff",
            "2024-11-07-a",
            "2024-11-08-b",
            "--only",
            "wording",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(d["wording"]["words_added"], 0, "{}", d["wording"]);
    assert_eq!(d["wording"]["words_removed"], 0);
    let strict = dossier(
        &env,
        &store,
        &[
            "diff",
            "2024-11-07-a",
            "2024-11-08-b",
            "--strict",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    assert_eq!(
        strict["wording"]["words_removed"], 1,
        "{}",
        strict["wording"]
    );
}

#[test]
fn bad_diff_requests_say_what_to_do() {
    let env = Env::new();
    let store = bundled();
    let out = dossier(
        &env,
        env.dir.path(),
        &["--store", &store, "diff", "cis-military-cooperation-2031"],
    );
    out.failed();
    assert!(
        out.stderr.contains("cis-military-cooperation-2030"),
        "a suggestion\n{out}"
    );
    let out = dossier(
        &env,
        env.dir.path(),
        &["--store", &store, "diff", ANNOUNCEMENT],
    );
    out.refused_with(&["@HEAD~1"]);
    let out = dossier(
        &env,
        env.dir.path(),
        &[
            "--store",
            &store,
            "diff",
            ANNOUNCEMENT,
            ADOPTION,
            "--match-threshold",
            "2",
        ],
    );
    out.failed();
}

fn table(env: &Env, store: &Path, colour: &str) -> String {
    let out = run(env.dossier_in(store).env("COLUMNS", "100").args([
        "--store",
        &bundled(),
        "--color",
        colour,
        "diff",
        "2025-09-24-lebedev-greeting-chiefs-of-staff-minsk",
        ADOPTION,
        "--only",
        "summary,priorities",
    ]));
    out.ok();
    out.stdout.clone()
}

#[test]
fn the_diff_table_at_a_fixed_width_with_colour_off_and_on() {
    let env = Env::new();
    let plain = table(&env, env.dir.path(), "never");
    assert!(!plain.contains('\x1b'));
    insta::assert_snapshot!("diff-priorities-plain", plain);
    let coloured = table(&env, env.dir.path(), "always");
    assert!(
        coloured.contains("\x1b[32m")
            || coloured.contains("\x1b[38;5;10m")
            || coloured.contains("\x1b["),
        "no colour"
    );
    insta::assert_snapshot!("diff-priorities-colour", coloured.replace('\x1b', "<ESC>"));
    // Within each table, every line has the same width.
    let mut tables: Vec<std::collections::BTreeSet<usize>> = Vec::new();
    for line in plain
        .lines()
        .filter(|l| l.starts_with(['┌', '│', '╞', '└']))
    {
        if line.starts_with('┌') {
            tables.push(Default::default());
        }
        if let Some(t) = tables.last_mut() {
            t.insert(unicode_width::UnicodeWidthStr::width(line));
        }
    }
    assert_eq!(tables.len(), 2, "{plain}");
    assert!(tables.iter().all(|t| t.len() == 1), "{plain}");
}
