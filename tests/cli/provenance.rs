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
