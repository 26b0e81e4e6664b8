//! Significant changes end to end: a record edited in commitment, deadline, number and
//! negation shows them under `significant` in `diff` and `diff --steps` JSON; an edit
//! that only changes digits' script, quotes or spacing shows none.

use serde_json::Value;

use crate::common::{dossier, run, Env};

/// A store with one statement, recorded then edited by `sed` expressions: (store, ref).
fn recorded_then_edited(
    env: &Env,
    text: &str,
    priority: &str,
    seds: &[&str],
) -> (std::path::PathBuf, String) {
    let store = env.store("s");
    let file = env.path("text.txt");
    std::fs::write(&file, text).unwrap();
    let r = run(env.dossier_in(&store).args([
        "record",
        "cis-2030",
        "--date",
        "2024-11-07",
        "--speaker",
        "Sergei Lebedev",
        "--lang",
        "en",
        "--text-file",
        file.to_str().unwrap(),
        "--priority",
        priority,
    ]));
    r.ok();
    let reference = r.stdout.trim().to_string();
    let script = env.path("editor.sh");
    let args: Vec<String> = seds.iter().map(|e| format!("-e '{e}'")).collect();
    std::fs::write(
        &script,
        format!("#!/bin/sh\nsed -i {} \"$1\"\n", args.join(" ")),
    )
    .unwrap();
    run(env
        .dossier_in(&store)
        .env("EDITOR", format!("sh {}", script.display()))
        .args(["edit", &reference, "-m", "edit"]))
    .ok();
    (store, reference)
}

fn kinds(list: &Value) -> Vec<(String, String, String)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let f = |k: &str| s[k].as_str().unwrap_or("-").to_owned();
            (f("kind"), f("section"), f("change"))
        })
        .collect()
}

#[test]
fn commitment_deadline_number_and_negation_are_listed_first_in_json() {
    let env = Env::new();
    let (store, r) = recorded_then_edited(
        &env,
        "Article 1\nThe states will strengthen the joint system until 2030.\n\nArticle 2\nThe force is directed at partners.\n",
        "Deploy 5 brigades to the joint air defence system",
        &[
            "s/will strengthen/may strengthen/",
            "s/until 2030/until 2035/",
            "s/is directed/is not directed/",
            "s/Deploy 5 brigades/Deploy 7 brigades/",
        ],
    );
    let old = format!("{r}@HEAD~1");
    let d = dossier(&env, &store, &["diff", &old, &r, "--format", "json"])
        .ok()
        .json();
    let keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(&keys[..4], ["from", "to", "summary", "significant"]);
    let s = &d["significant"];
    assert_eq!(
        kinds(s),
        [
            ("number".into(), "priorities".into(), "increased".into()),
            ("modality".into(), "wording".into(), "changed".into()),
            ("year".into(), "wording".into(), "later".into()),
            ("negation".into(), "wording".into(), "added".into()),
        ],
        "{s:#}"
    );
    assert_eq!(s[0]["from"], "5");
    assert_eq!(s[0]["to"], "7");
    assert_eq!(s[0]["place"]["to_rank"], 1);
    assert_eq!(s[1]["from"], "will");
    assert_eq!(s[1]["to"], "may");
    assert_eq!(s[1]["direction"], "weakened");
    assert_eq!(s[1]["place"]["to_line"], 2);
    assert_eq!(s[1]["place"]["heading"], "Article 1");
    assert_eq!(s[2]["from"], "2030");
    assert_eq!(s[2]["to"], "2035");
    assert_eq!(s[3]["from"], Value::Null);
    assert_eq!(s[3]["to"], "not");
    assert_eq!(s[3]["place"]["heading"], "Article 2");
    assert_eq!(s[3]["place"]["from_line"], 5);

    assert_eq!(
        s[1]["to_context"], "The states may strengthen the joint system until",
        "context stays on its line"
    );

    // `diff --steps`: each pair has the key; a later statement promising again.
    let file = env.path("later.txt");
    std::fs::write(
        &file,
        "Article 1\nThe states must strengthen the joint system until 2035.\n\nArticle 2\nThe force is not directed at partners.\n",
    )
    .unwrap();
    run(env.dossier_in(&store).args([
        "record",
        "cis-2030",
        "--date",
        "2025-05-20",
        "--speaker",
        "Sergei Lebedev",
        "--lang",
        "en",
        "--text-file",
        file.to_str().unwrap(),
        "--priority",
        "Deploy 7 brigades to the joint air defence system",
    ]))
    .ok();
    let steps = dossier(
        &env,
        &store,
        &["diff", "cis-2030", "--steps", "--format", "json"],
    )
    .ok()
    .json();
    // One pair: printed as one object.
    let s = &steps["significant"];
    assert_eq!(
        kinds(s),
        [("modality".into(), "wording".into(), "changed".into())],
        "{s:#}"
    );
    assert_eq!(s[0]["direction"], "strengthened");
    assert_eq!(
        (s[0]["from"].as_str(), s[0]["to"].as_str()),
        (Some("may"), Some("must"))
    );
}

#[test]
fn digits_quotes_and_spacing_are_not_significant() {
    let env = Env::new();
    let (store, r) = recorded_then_edited(
        &env,
        "The states \"will\" strengthen  the system until 2030 with 5 brigades.\n",
        "Five brigades of the joint air defence system",
        &[
            "s/until 2030/until ٢٠٣٠/",
            "s/\"will\"/«will»/",
            "s/strengthen  the/strengthen the/",
            "s/with 5 brigades/with ٥ brigades/",
            "s/Five brigades of/5 brigades of/",
        ],
    );
    let old = format!("{r}@HEAD~1");
    let d = dossier(&env, &store, &["diff", &old, &r, "--format", "json"])
        .ok()
        .json();
    assert_eq!(d["significant"], Value::Array(Vec::new()), "{d:#}");
    assert_eq!(d["priorities"][0]["status"], "reworded");
}

#[test]
fn the_table_and_markdown_open_with_significant_changes() {
    let env = Env::new();
    let (store, r) = recorded_then_edited(
        &env,
        "Article 1\nThe states will strengthen the joint system until 2030.\n\nArticle 2\nThe force is directed at partners.\n",
        "Deploy 5 brigades to the joint air defence system",
        &[
            "s/will strengthen/may strengthen/",
            "s/until 2030/until 2035/",
            "s/is directed/is not directed/",
            "s/Deploy 5 brigades/Deploy 7 brigades/",
        ],
    );
    let old = format!("{r}@HEAD~1");
    for (name, args) in [
        ("table-plain", vec!["--color", "never"]),
        ("table-colour", vec!["--color", "always"]),
        ("markdown", vec!["--format", "markdown"]),
    ] {
        let mut all = vec!["--no-pager", "diff", old.as_str(), r.as_str()];
        all.extend(args);
        let out = run(env.dossier_in(&store).env("COLUMNS", "100").args(&all));
        out.ok();
        let text = out.stdout.clone();
        // The sections in order: significant changes first, metadata and counts last.
        let at = |h: &str| {
            text.find(h)
                .unwrap_or_else(|| panic!("{h} missing:\n{text}"))
        };
        assert!(at("Significant changes") < at("Priorities"), "{text}");
        assert!(at("Priorities") < at("Wording"), "{text}");
        assert!(at("Wording") < at("Summary"), "{text}");
        insta::assert_snapshot!(format!("significant-{name}"), text);
    }
    // --only significant shows that section alone.
    let only = dossier(&env, &store, &["diff", &old, &r, "--only", "significant"]);
    let text = &only.ok().stdout;
    assert!(
        text.contains("commitment weakened") && !text.contains("Priorities"),
        "{text}"
    );
}

#[test]
fn the_timeline_marks_the_statement_where_a_significant_change_happened() {
    let env = Env::new();
    let store = env.store("s");
    for (date, text, priority) in [
        (
            "2024-11-07",
            "The states will strengthen the system until 2030.\n",
            "Joint air defence system",
        ),
        (
            "2025-03-01",
            "The states will strengthen the system until 2030. Training goes on.\n",
            "Joint air defence system",
        ),
        (
            "2025-10-10",
            "The states may strengthen the system until 2035. Training goes on.\n",
            "Joint air defence system",
        ),
    ] {
        let file = env.path("text.txt");
        std::fs::write(&file, text).unwrap();
        run(env.dossier_in(&store).args([
            "record",
            "cis-2030",
            "--date",
            date,
            "--speaker",
            "Sergei Lebedev",
            "--lang",
            "en",
            "--text-file",
            file.to_str().unwrap(),
            "--priority",
            priority,
        ]))
        .ok();
    }
    let t = dossier(&env, &store, &["timeline", "cis-2030", "--format", "json"])
        .ok()
        .json();
    let marked = t["significant"].as_array().unwrap();
    assert_eq!(marked.len(), 1, "{:#}", t["significant"]);
    assert_eq!(marked[0]["column"], 2);
    assert_eq!(marked[0]["date"], "2025-10-10");
    assert_eq!(
        kinds(&marked[0]["changes"]),
        [
            ("modality".into(), "wording".into(), "changed".into()),
            ("year".into(), "wording".into(), "later".into()),
        ]
    );
    let out = run(env.dossier_in(&store).env("COLUMNS", "100").args([
        "--no-pager",
        "--color",
        "never",
        "timeline",
        "cis-2030",
    ]));
    out.ok();
    let table = out.stdout.clone();
    assert_eq!(
        table.matches("(!)").count(),
        2,
        "one column and the legend:\n{table}"
    );
    assert!(
        table.contains("2025-10-10  cis-2030/")
            && table.contains(": commitment weakened, year later"),
        "{table}"
    );
    insta::assert_snapshot!("significant-timeline", table);
    let md = dossier(
        &env,
        &store,
        &["timeline", "cis-2030", "--format", "markdown"],
    );
    assert!(md.ok().stdout.contains("2025-10-10 (!)"), "{}", md.stdout);
}

/// `DOSSIER_DIFF_DEADLINE=0`: every changed passage is given up at once, shown replaced
/// whole, and the table, Markdown and JSON say so; with the default deadline, nothing.
#[test]
fn a_wording_given_up_at_the_deadline_says_so_in_every_format() {
    let env = Env::new();
    let (store, r) = recorded_then_edited(
        &env,
        "Article 1\nThe states will strengthen the joint system until 2030.\n",
        "Deploy 5 brigades to the joint air defence system",
        &[
            "s/will strengthen/may strengthen/",
            "s/until 2030/until 2035/",
        ],
    );
    let old = format!("{r}@HEAD~1");
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let note = "some passages are shown as replaced whole rather than word by word";
    for format in ["table", "markdown", "json"] {
        let args = ["diff", &old, &r, "--format", format];
        let given_up = run(env
            .dossier_in(&store)
            .env("DOSSIER_DIFF_DEADLINE", "0")
            .args(args));
        given_up.ok();
        assert!(
            flat(&given_up.stdout).contains(note),
            "{format}:\n{}",
            given_up.stdout
        );
        let normal = dossier(&env, &store, &args);
        normal.ok();
        assert!(
            !flat(&normal.stdout).contains(note),
            "{format}:\n{}",
            normal.stdout
        );
    }
    let json = run(env
        .dossier_in(&store)
        .env("DOSSIER_DIFF_DEADLINE", "0")
        .args(["diff", &old, &r, "--format", "json"]))
    .ok()
    .json();
    let ops = json["wording"]["ops"].as_array().unwrap();
    let kinds: Vec<&str> = ops.iter().map(|o| o["op"].as_str().unwrap()).collect();
    // The changed line replaced whole: its kept words are not matched one by one.
    assert!(
        kinds.contains(&"delete") && kinds.contains(&"insert"),
        "{kinds:?}"
    );
    assert!(
        ops.iter().any(|o| o["op"] == "delete"
            && o["text"]
                .as_str()
                .unwrap()
                .contains("will strengthen the joint system")),
        "{ops:?}"
    );
}
