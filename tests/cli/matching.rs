//! `dossier match`: the proposed pairs with their scores, and pins written as one-record
//! commits that `diff` then follows.

use std::path::Path;

use serde_json::Value;

use crate::common::{dossier, Env};

fn two(env: &Env) -> (std::path::PathBuf, String, String) {
    let dir = env.store("s");
    let a = env.record(
        &dir,
        "2025-01-10",
        "Ada",
        &["Unified air defence system", "Joint naval exercises"],
    );
    let b = env.record(
        &dir,
        "2025-02-10",
        "Bea",
        &["Manoeuvres at sea", "Single air defence system"],
    );
    (dir, a, b)
}

/// The priority rows of `diff A B` as `(status, from_rank, to_rank, pinned)`.
fn priority_rows(env: &Env, dir: &Path, a: &str, b: &str) -> Vec<(String, Value, Value, bool)> {
    let out = dossier(env, dir, &["diff", a, b, "--format", "json"]);
    out.ok();
    out.json()["priorities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["status"].as_str().unwrap().to_owned(),
                r["from_rank"].clone(),
                r["to_rank"].clone(),
                r["pinned"].as_bool().unwrap_or(false),
            )
        })
        .collect()
}

#[test]
fn match_shows_scores_features_and_nearest() {
    let env = Env::new();
    let (dir, a, b) = two(&env);
    let out = dossier(&env, &dir, &["match", &a, &b, "--format", "json"]);
    out.ok();
    let j = out.json();
    assert_eq!(j["from"]["ref"], a.as_str());
    let rows = j["rows"].as_array().unwrap();
    let air = rows
        .iter()
        .find(|r| r["from_rank"] == 1 && r["to_rank"] == 2)
        .unwrap_or_else(|| panic!("the air defence pair is proposed\n{out}"));
    assert_eq!(air["list"], "priorities");
    assert!(air["score"].as_f64().unwrap() >= 0.4, "{air}");
    assert_eq!(air["features"]["language"], "en");
    assert!(air["features"]["words"].as_f64().unwrap() > 0.0);
    // The naval exercises are left unpaired.
    assert!(rows
        .iter()
        .any(|r| r["from_rank"] == 2 && r["to_rank"].is_null()));
    // The table names the pair and how to pin one.
    let out = dossier(&env, &dir, &["--wide", "match", &a, &b]);
    out.ok();
    assert!(out.stdout.contains("reworded"), "{out}");
    assert!(out.stdout.contains("--confirm OLD NEW"), "{out}");
    assert!(out.stdout.contains("words "), "{out}");
    // An initiative alone: its two latest statements.
    let out = dossier(&env, &dir, &["match", "cis-2030", "--format", "json"]);
    out.ok();
    assert_eq!(out.json()["to"]["ref"], b.as_str());
}

#[test]
fn confirm_writes_one_record_and_diff_follows_the_pin() {
    let env = Env::new();
    let (dir, a, b) = two(&env);
    let before = priority_rows(&env, &dir, &a, &b);
    assert!(
        !before.iter().any(|r| r.1 == 2 && r.2 == 1),
        "naval and sea paired already: {before:?}"
    );
    let head = env.git(&dir, &["rev-parse", "HEAD"]);
    let out = dossier(&env, &dir, &["match", &a, &b, "--confirm", "2", "1"]);
    out.ok();
    assert!(out.stdout.contains("same_as"), "{out}");
    // One commit on top, by the analyst, touching only the later record.
    assert_eq!(env.git(&dir, &["rev-parse", "HEAD~1"]), head, "one commit");
    let files = env.git(&dir, &["show", "--name-only", "--format=%an", "HEAD"]);
    let lines: Vec<&str> = files.lines().filter(|l| !l.is_empty()).collect();
    let b_id = b.split('/').nth(1).unwrap();
    assert_eq!(
        lines,
        [
            "Ada Analyst",
            &format!("cis-2030/statements/{b_id}.yaml")[..]
        ]
    );
    let stat = env.git(&dir, &["show", "--stat", "--format=", "HEAD"]);
    assert!(stat.contains("1 file changed"), "{stat}");
    let record =
        std::fs::read_to_string(dir.join(format!("cis-2030/statements/{b_id}.yaml"))).unwrap();
    let a_id = a.split('/').nth(1).unwrap();
    assert!(record.contains(&format!("{a_id}#2")), "{record}");
    assert!(env.git_status(&dir).is_empty(), "work tree clean");
    let out = dossier(&env, &dir, &["check"]);
    out.ok();

    // diff pairs them now, marked pinned; the score-made pair stays.
    let after = priority_rows(&env, &dir, &a, &b);
    assert!(
        after
            .iter()
            .any(|r| r.1 == 2 && r.2 == 1 && r.3 && r.0 == "reworded"),
        "{after:?}"
    );
    assert!(after.iter().any(|r| r.1 == 1 && r.2 == 2), "{after:?}");
    // match shows it pinned.
    let out = dossier(&env, &dir, &["match", &a, &b, "--format", "json"]);
    let j = out.json();
    assert!(j["rows"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["from_rank"] == 2 && r["to_rank"] == 1 && r["pinned"] == true));

    // Confirming again changes nothing.
    let head = env.git(&dir, &["rev-parse", "HEAD"]);
    let out = dossier(&env, &dir, &["match", &a, &b, "--confirm", "2", "1"]);
    out.ok();
    assert!(out.stderr.contains("already"), "{out}");
    assert_eq!(env.git(&dir, &["rev-parse", "HEAD"]), head);

    // Forgetting it puts things back as they were.
    let out = dossier(&env, &dir, &["match", &a, &b, "--forget", "2", "1"]);
    out.ok();
    assert_eq!(priority_rows(&env, &dir, &a, &b), before);
}

#[test]
fn reject_keeps_a_scored_pair_apart_and_steps_and_timeline_follow() {
    let env = Env::new();
    let (dir, a, b) = two(&env);
    // Arguments in either order: the later statement carries the pin.
    let out = dossier(
        &env,
        &dir,
        &["match", &b, &a, "--reject", "priorities:2", "priorities:1"],
    );
    out.ok();
    let b_id = b.split('/').nth(1).unwrap();
    let a_id = a.split('/').nth(1).unwrap();
    let record =
        std::fs::read_to_string(dir.join(format!("cis-2030/statements/{b_id}.yaml"))).unwrap();
    assert!(
        record.contains("not_same_as") && record.contains(&format!("{a_id}#1")),
        "{record}"
    );
    let rows = priority_rows(&env, &dir, &a, &b);
    assert!(!rows.iter().any(|r| r.1 == 1 && r.2 == 2), "{rows:?}");
    // diff --steps and timeline: the two air defence items are two rows.
    let out = dossier(
        &env,
        &dir,
        &["diff", "cis-2030", "--steps", "--format", "json"],
    );
    out.ok();
    let steps = out.json();
    let pri = steps["priorities"].as_array().unwrap();
    assert!(
        !pri.iter().any(|r| r["from_rank"] == 1 && r["to_rank"] == 2),
        "{pri:?}"
    );
    let out = dossier(&env, &dir, &["timeline", "cis-2030", "--format", "json"]);
    out.ok();
    let t = out.json();
    let text = t.to_string();
    assert!(
        text.contains("Unified air defence system") && text.contains("Single air defence system"),
        "{text}"
    );
    // Confirming turns the rejection into a pin, on the same record.
    let out = dossier(&env, &dir, &["match", &a, &b, "--confirm", "1", "2"]);
    out.ok();
    let record =
        std::fs::read_to_string(dir.join(format!("cis-2030/statements/{b_id}.yaml"))).unwrap();
    assert!(!record.contains("not_same_as"), "{record}");
    let rows = priority_rows(&env, &dir, &a, &b);
    assert!(rows.iter().any(|r| r.1 == 1 && r.2 == 2 && r.3), "{rows:?}");
}

#[test]
fn bad_pins_are_refused_with_a_hint_and_change_nothing() {
    let env = Env::new();
    let (dir, a, b) = two(&env);
    let head = env.git(&dir, &["rev-parse", "HEAD"]);
    let rev = format!("{a}@HEAD");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["match", &a, &b, "--confirm", "9", "1"],
            "no priority 9",
        ),
        (
            vec!["match", &a, &b, "--confirm", "principles:1", "priorities:1"],
            "different lists",
        ),
        (
            vec!["match", &a, &b, "--confirm", "principles:1", "1"],
            "no principle 1",
        ),
        (
            vec!["match", &a, &b, "--confirm", "x", "1"],
            "not an item number",
        ),
        (
            vec!["match", &a, &b, "--confirm", "quotes:1", "1"],
            "can be pinned",
        ),
        (vec!["match", &rev, &b, "--confirm", "1", "1"], "revision"),
        (vec!["match", &a, &a, "--confirm", "1", "1"], "both sides"),
        (vec!["match", &a, &b, "--forget", "1", "1"], "no pin"),
        (vec!["match", &a], "nothing to match with"),
        (
            vec!["match", &a, &b, "--match-threshold", "2"],
            "between 0 and 1",
        ),
    ];
    for (args, needle) in &cases {
        let out = dossier(&env, &dir, args);
        out.refused_with(&[needle]);
        assert_eq!(env.git(&dir, &["rev-parse", "HEAD"]), head, "{args:?}");
    }
    // A record with uncommitted changes is not written over.
    let b_id = b.split('/').nth(1).unwrap();
    let file = dir.join(format!("cis-2030/statements/{b_id}.yaml"));
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("notes: mine\n");
    std::fs::write(&file, &text).unwrap();
    let out = dossier(&env, &dir, &["match", &a, &b, "--confirm", "2", "1"]);
    out.refused_with(&["not committed", "git restore"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    assert_eq!(env.git(&dir, &["rev-parse", "HEAD"]), head);
}

#[test]
fn check_warns_about_pins_that_name_no_item() {
    let env = Env::new();
    let (dir, a, b) = two(&env);
    let out = dossier(&env, &dir, &["match", &a, &b, "--confirm", "2", "1"]);
    out.ok();
    let out = dossier(&env, &dir, &["match", &a, &b, "--reject", "1", "1"]);
    out.ok();
    let out = dossier(&env, &dir, &["check", "--format", "json"]);
    out.ok();
    assert!(
        out.json()["warnings"].as_array().unwrap().is_empty(),
        "{out}"
    );

    // The earlier statement loses its second priority: the confirmed pin names nothing.
    let (a_id, b_id) = (a.split('/').nth(1).unwrap(), b.split('/').nth(1).unwrap());
    let a_file = dir.join(format!("cis-2030/statements/{a_id}.yaml"));
    let text = std::fs::read_to_string(&a_file).unwrap();
    let shorter = text.replace("- text: Joint naval exercises\n", "");
    assert_ne!(text, shorter, "{text}");
    std::fs::write(&a_file, shorter).unwrap();
    env.git(&dir, &["commit", "-qam", "drop a priority"]);

    let out = dossier(&env, &dir, &["check"]);
    assert_eq!(out.code, 0, "a warning does not fail the check\n{out}");
    assert!(out.stdout.contains("1 warning"), "{out}");
    let j = dossier(&env, &dir, &["check", "--format", "json"]).json();
    let w = j["warnings"].as_array().unwrap();
    assert_eq!(w.len(), 1, "{j}");
    let hint = w[0]["hint"].as_str().unwrap();
    assert!(hint.contains(&format!("dossier edit {b}")), "{hint}");
    assert!(hint.contains("--confirm"), "{hint}");
    assert_eq!(w[0]["field"], "priorities[1].same_as[1]", "{j}");
    let message = w[0]["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("{a_id}#2")) && message.contains("which has 1 priority"),
        "{message}"
    );
    // Located at the pin itself: file:line:column of the value.
    let location = w[0]["location"].as_str().unwrap();
    let b_file = format!("cis-2030/statements/{b_id}.yaml");
    assert!(location.contains(&b_file), "{location}");
    let record = std::fs::read_to_string(dir.join(&b_file)).unwrap();
    let pin_line = record
        .lines()
        .position(|l| l.contains(&format!("{a_id}#2")))
        .unwrap()
        + 1;
    let mut parts = location.rsplit(':');
    let (_col, line) = (parts.next().unwrap(), parts.next().unwrap());
    assert_eq!(line, pin_line.to_string(), "{location}\n{record}");

    // The earlier statement gone: both pins (confirmed and rejected) name nothing.
    env.git(
        &dir,
        &["rm", "-q", &format!("cis-2030/statements/{a_id}.yaml")],
    );
    env.git(&dir, &["commit", "-qm", "remove a"]);
    let j = dossier(&env, &dir, &["check", "--format", "json"]).json();
    let w = j["warnings"].as_array().unwrap();
    let mut fields: Vec<&str> = w.iter().map(|w| w["field"].as_str().unwrap()).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        ["priorities[1].not_same_as[1]", "priorities[1].same_as[1]"],
        "{j}"
    );
    assert!(w.iter().all(|w| w["message"]
        .as_str()
        .unwrap()
        .contains("which is not in the store")));
}
