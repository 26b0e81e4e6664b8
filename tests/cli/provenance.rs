//! Provenance: editing initiatives, `check`'s warnings about retrieval dates, annotations
//! and citations (read back by pandoc and rispy).

use std::path::Path;

use crate::common::{dossier, script, Env};

/// An editor that replaces the file it is given with `content`.
fn replacing_editor(env: &Env, name: &str, content: &str) -> std::path::PathBuf {
    let body = env.path(&format!("{name}.yaml"));
    std::fs::write(&body, content).unwrap();
    script(
        env,
        &format!("{name}.sh"),
        &format!("#!/bin/sh\ncp '{}' \"$1\"\n", body.display()),
    )
}

fn commits(env: &Env, store: &Path) -> usize {
    env.git(store, &["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

#[test]
fn initiative_edit_commits_the_record_alone_and_refuses_a_bad_one() {
    let env = Env::new();
    let store = env.store("s");
    let before = commits(&env, &store);
    let good = replacing_editor(
        &env,
        "good",
        "id: cis-2030\ntitle: Concept of military cooperation until 2030\norganization: CIS\nhorizon: 2030\nstatus: adopted\nsummary: Approved in Dushanbe on 10 October 2025, as the CIS Executive Committee reported.\n",
    );
    let out = dossier(
        &env,
        &store,
        &[
            "initiative",
            "edit",
            "cis-2030",
            "-m",
            "summary: as reported",
        ],
    );
    assert_ne!(out.code, 0, "no editor set: {out}");
    let out = crate::common::run(env.dossier_in(&store).env("EDITOR", &good).args([
        "initiative",
        "edit",
        "cis-2030",
        "-m",
        "summary: as reported",
    ]));
    out.ok();
    assert_eq!(commits(&env, &store), before + 1);
    let show = env.git(&store, &["show", "--stat", "--format=%s", "HEAD"]);
    assert!(show.starts_with("summary: as reported"), "{show}");
    assert!(show.contains("cis-2030/initiative.yaml"), "{show}");
    assert!(show.contains("1 file changed"), "{show}");
    let list = dossier(&env, &store, &["initiatives", "--format", "json"]);
    assert!(list.json()[0]["summary"]
        .as_str()
        .is_some_and(|s| s.starts_with("Approved in Dushanbe")));
    // A changed id, an unknown `supersedes` or an unknown field never commits.
    for (name, body) in [
        ("id", "id: cis-2031\ntitle: T\n"),
        ("sup", "id: cis-2030\ntitle: T\nsupersedes: cis-2025\n"),
        ("field", "id: cis-2030\ntitle: T\nsumary: x\n"),
    ] {
        let bad = replacing_editor(&env, name, body);
        // The editor is reopened on a bad record; an editor that writes the same bad
        // record again makes no change, and nothing is committed.
        let snap = env.snapshot(&store, &store);
        let out = crate::common::run(env.dossier_in(&store).env("EDITOR", &bad).args([
            "initiative",
            "edit",
            "cis-2030",
        ]));
        assert_eq!(commits(&env, &store), before + 1, "{name}: {out}");
        env.assert_unchanged(&store, &store, &snap, name);
    }
}

/// Records a statement with a retrieval date; returns its ref.
fn record_retrieved(env: &Env, store: &Path, date: &str, speaker: &str, retrieved: &str) -> String {
    let out = dossier(
        env,
        store,
        &[
            "record",
            "cis-2030",
            "--date",
            date,
            "--speaker",
            speaker,
            "--lang",
            "en",
            "--summary",
            "A statement.",
            "--outlet",
            "TASS",
            "--retrieved",
            retrieved,
        ],
    );
    out.ok();
    out.stdout.trim().to_string()
}

#[test]
fn check_warns_about_retrieval_dates_it_cannot_believe_without_failing() {
    let env = Env::new();
    let store = env.store("s");
    // Commits are dated 2026-01-02 in the test environment.
    let late = record_retrieved(&env, &store, "2025-11-07", "Sergei Lebedev", "2026-03-01");
    record_retrieved(&env, &store, "2025-11-08", "Yury Dashkin", "2026-01-02");
    let out = dossier(&env, &store, &["check"]);
    assert_eq!(out.code, 0, "warnings do not fail the check\n{out}");
    assert!(out.stdout.contains("warning"), "{out}");
    assert!(out.stdout.contains("no problems; 1 warning."), "{out}");
    let json = dossier(&env, &store, &["check", "--format", "json"]).json();
    let warnings = json["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{json}");
    assert_eq!(warnings[0]["field"], "source.retrieved");
    let message = warnings[0]["message"].as_str().unwrap();
    assert!(
        message.contains("2026-03-01") && message.contains("2026-01-02"),
        "{message}"
    );
    let id = late.rsplit('/').next().unwrap();
    assert!(
        warnings[0]["location"]
            .as_str()
            .is_some_and(|l| l.contains(id) && l.ends_with(":14")),
        "located at the value: {json}"
    );
    assert!(json["problems"].as_array().unwrap().is_empty());

    // An uncommitted record dated in the future is compared with today.
    let path = store.join("cis-2030/statements/2025-11-09-draft.yaml");
    std::fs::write(
        &path,
        "id: 2025-11-09-draft\ninitiative: cis-2030\ndate: \"2025-11-09\"\nlanguage: en\nsummary: S.\nsource:\n  retrieved: \"2999-01-01\"\n",
    )
    .unwrap();
    let json = dossier(&env, &store, &["check", "--format", "json"]).json();
    assert!(
        json["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["message"]
                .as_str()
                .is_some_and(|m| m.contains("later than today"))),
        "{json}"
    );
    std::fs::remove_file(&path).unwrap();

    // A problem still fails the check, warnings or not.
    std::fs::write(
        store.join("cis-2030/statements/2025-11-10-bad.yaml"),
        "id: 2025-11-10-bad\ninitiative: cis-2030\ndate: \"2025-11-10\"\nlanguage: en\n",
    )
    .unwrap();
    let out = dossier(&env, &store, &["check"]);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stdout.contains("1 problem and 1 warning"), "{out}");
}

#[test]
fn check_warns_when_one_retrieval_date_is_on_most_records() {
    let env = Env::new();
    let store = env.store("s");
    for (i, name) in ["Ana", "Bo", "Cy", "Di"].iter().enumerate() {
        record_retrieved(
            &env,
            &store,
            &format!("2025-11-0{}", i + 1),
            name,
            "2025-12-01",
        );
    }
    let count = |env: &Env| {
        dossier(env, &store, &["check", "--format", "json"]).json()["warnings"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(count(&env), 0, "four records on one day are ordinary");
    record_retrieved(&env, &store, "2025-11-05", "Ed", "2025-12-01");
    let json = dossier(&env, &store, &["check", "--format", "json"]).json();
    let warnings = json["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{json}");
    assert!(warnings[0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("on 5 of the 5 records")));
    // Other days on as many records again: no longer most of them.
    for (i, name) in ["Fa", "Gu", "Ha", "Io", "Ju", "Ko"].iter().enumerate() {
        record_retrieved(
            &env,
            &store,
            &format!("2025-11-1{i}"),
            name,
            &format!("2025-12-1{i}"),
        );
    }
    assert_eq!(count(&env), 0);
}
