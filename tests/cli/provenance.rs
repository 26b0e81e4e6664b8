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

// ---------------------------------------------------------------------------------------
// Citations, read back by the clients analysts use: pandoc (CSL-JSON, BibTeX, BibLaTeX)
// and rispy (RIS).
// ---------------------------------------------------------------------------------------

/// Whether a tool the test needs is here. Under CI (`CI=true`) a missing tool fails the
/// test; elsewhere the test says it skipped.
fn have(what: &str, probe: &mut std::process::Command) -> bool {
    let ok = probe
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{what} is needed for this test (.ci/run installs it)"
        );
        eprintln!("skipped: {what} is not installed here");
    }
    ok
}

fn have_pandoc() -> bool {
    have(
        "pandoc",
        std::process::Command::new("pandoc").arg("--version"),
    )
}

fn have_python_module(module: &str) -> bool {
    have(
        &format!("python3 with {module}"),
        std::process::Command::new("python3").args(["-c", &format!("import {module}")]),
    )
}

/// Runs a program on `input` (stdin) with `args`; returns stdout, panicking with stderr
/// on failure.
fn pipe(program: &str, args: &[&str], input: &str) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} does not start: {e}"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}\n--- input ---\n{input}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Text with every character BibTeX, LaTeX, RIS or JSON could trip over.
const AWKWARD: &str = "Лебедев: «приоритет» & 100% {совместные} системы ~ \\ _ # $ ^";

/// A store with one fully described speech (source title and its translation, url,
/// published and retrieved dates, a stored source document) and one bare record.
/// Returns the store and the two refs.
fn citation_store(env: &Env) -> (std::path::PathBuf, String, String) {
    let store = env.store("s");
    std::fs::write(env.path("source.txt"), "Приоритет — совместные системы.\n").unwrap();
    let record = format!(
        r#"id: 2025-09-24-lebedev-minsk
initiative: cis-2030
date: "2025-09-24"
kind: speech
speaker:
  name: Sergei Lebedev
  role: CIS Secretary General
venue: Meeting of the CIS Committee of Chiefs of Staff, Minsk
language: ru
text: |
  Приоритет — совместные системы.
summary: Lebedev said the concept gives priority to joint systems.
source:
  outlet: news.rambler.ru
  title: "{title}"
  title_translations:
    en: "Lebedev: priority to joint systems"
  url: "https://news.rambler.ru/world/55-lebedev/?a=1&b=2%20c#top"
  published: "2025-09-25"
  retrieved: "2025-09-26"
tags:
  - military
"#,
        title = AWKWARD.replace('\\', "\\\\")
    );
    std::fs::write(env.path("speech.yaml"), record).unwrap();
    let speech = dossier(
        env,
        &store,
        &[
            "record",
            "cis-2030",
            "--from",
            env.path("speech.yaml").to_str().unwrap(),
        ],
    );
    speech.ok();
    let bare = dossier(
        env,
        &store,
        &[
            "record",
            "cis-2030",
            "--date",
            "2025-10",
            "--lang",
            "en",
            "--kind",
            "adopted-text",
            "--summary",
            "Adopted.",
            "--outlet",
            "BelTA",
            "--source-document",
            env.path("source.txt").to_str().unwrap(),
        ],
    );
    bare.ok();
    (
        store,
        speech.stdout.trim().to_string(),
        bare.stdout.trim().to_string(),
    )
}

/// The last commit that changed a record, as git says.
fn last_commit(env: &Env, store: &Path, reference: &str) -> String {
    let (ini, id) = reference.split_once('/').unwrap();
    env.git(
        store,
        &[
            "log",
            "-1",
            "--format=%H",
            "--",
            &format!("{ini}/statements/{id}.yaml"),
        ],
    )
    .trim()
    .to_string()
}

#[test]
fn cite_csl_json_follows_the_schema_and_pandoc_reads_and_renders_it() {
    let env = Env::new();
    let (store, speech, bare) = citation_store(&env);
    let out = dossier(&env, &store, &["cite", &speech, &bare]);
    out.ok();
    let items = out.json();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 2);
    let s = &items[0];
    assert_eq!(s["type"], "speech");
    assert_eq!(s["author"][0]["family"], "Lebedev");
    assert_eq!(s["author"][0]["given"], "Sergei");
    assert_eq!(s["title"], AWKWARD);
    assert_eq!(s["language"], "ru");
    assert_eq!(
        s["accessed"]["date-parts"][0],
        serde_json::json!([2025, 9, 26])
    );
    assert_eq!(s["custom"]["dossier-ref"], speech.as_str());
    assert_eq!(
        s["custom"]["dossier-commit"],
        last_commit(&env, &store, &speech).as_str()
    );
    assert_eq!(
        s["custom"]["translated-titles"]["en"],
        "Lebedev: priority to joint systems"
    );
    let b = &items[1];
    assert_eq!(b["type"], "legislation");
    assert_eq!(b["author"][0]["literal"], "CIS", "the issuing body");
    assert_eq!(b["title"], "Concept of military cooperation until 2030");
    assert!(
        b.get("accessed").is_none(),
        "no retrieved, no accessed: {b}"
    );
    assert_eq!(b["issued"]["date-parts"][0], serde_json::json!([2025, 10]));
    assert!(b["custom"]["source-sha256"]
        .as_str()
        .is_some_and(|h| h.len() == 64));

    // The CSL schema (which refuses unknown fields) accepts every item.
    let schema = crate::common::project_root().join("tests/fixtures/csl/csl-data.json");
    if have_python_module("jsonschema") {
        pipe(
            "python3",
            &[
                "-c",
                "import json,sys,jsonschema; jsonschema.validate(json.load(sys.stdin), json.load(open(sys.argv[1])))",
                schema.to_str().unwrap(),
            ],
            &out.stdout,
        );
    }
    if !have_pandoc() {
        return;
    }
    // pandoc reads every field back...
    let back: serde_json::Value = serde_json::from_str(&pipe(
        "pandoc",
        &["-f", "csljson", "-t", "csljson"],
        &out.stdout,
    ))
    .unwrap();
    let p = &back[0];
    assert_eq!(p["type"], "speech", "{p}");
    assert_eq!(p["title"], AWKWARD);
    assert_eq!(p["author"][0]["family"], "Lebedev");
    assert_eq!(
        p["issued"]["date-parts"][0],
        serde_json::json!([2025, 9, 24])
    );
    assert_eq!(
        p["accessed"]["date-parts"][0],
        serde_json::json!([2025, 9, 26])
    );
    assert_eq!(
        p["URL"],
        "https://news.rambler.ru/world/55-lebedev/?a=1&b=2%20c#top"
    );
    assert_eq!(p["container-title"], "news.rambler.ru");
    assert!(p["note"].as_str().is_some_and(|n| n.contains(&speech)));
    assert_eq!(back[1]["type"], "legislation");
    // ...and renders a bibliography from it.
    let bib = env.path("items.json");
    std::fs::write(&bib, &out.stdout).unwrap();
    let doc = format!(
        "See [@{}] and [@{}].\n",
        speech.rsplit('/').next().unwrap(),
        bare.rsplit('/').next().unwrap()
    );
    let rendered = pipe(
        "pandoc",
        &[
            "--citeproc",
            "--bibliography",
            bib.to_str().unwrap(),
            "-t",
            "plain",
            "--wrap=none",
        ],
        &doc,
    );
    assert!(
        !rendered.contains("???"),
        "an unresolved citation: {rendered}"
    );
    assert!(rendered.contains("Lebedev"), "{rendered}");
    assert!(rendered.contains("«приоритет» & 100%"), "{rendered}");
    assert!(
        rendered.contains("https://news.rambler.ru/world/55-lebedev/"),
        "{rendered}"
    );
    assert!(rendered.contains("CIS"), "{rendered}");
    assert!(rendered.contains("2025"), "{rendered}");
}

#[test]
fn cite_bibtex_and_biblatex_read_back_in_pandoc_with_every_field() {
    let env = Env::new();
    let (store, speech, bare) = citation_store(&env);
    if !have_pandoc() {
        return;
    }
    for (format, reader) in [("bibtex", "bibtex"), ("biblatex", "biblatex")] {
        let out = dossier(&env, &store, &["cite", &speech, &bare, "--format", format]);
        out.ok();
        assert!(
            out.stdout.starts_with("@misc{2025-09-24-lebedev-minsk,"),
            "{out}"
        );
        let back: serde_json::Value = serde_json::from_str(&pipe(
            "pandoc",
            &["-f", reader, "-t", "csljson"],
            &out.stdout,
        ))
        .unwrap();
        let p = &back[0];
        assert_eq!(p["id"], "2025-09-24-lebedev-minsk", "{format}: {p}");
        assert_eq!(p["author"][0]["family"], "Lebedev", "{format}: {p}");
        assert_eq!(p["author"][0]["given"], "Sergei", "{format}: {p}");
        // The title as published, exactly, then its translation (titleaddon).
        assert_eq!(
            p["title"],
            format!("{AWKWARD}. [Lebedev: priority to joint systems]"),
            "{format}: {p}"
        );
        assert_eq!(p["genre"], "Speech", "{format}: {p}");
        assert_eq!(p["publisher"], "news.rambler.ru", "{format}: {p}");
        assert_eq!(
            p["event"], "Meeting of the CIS Committee of Chiefs of Staff, Minsk",
            "{format}: {p}"
        );
        assert_eq!(
            p["issued"]["date-parts"][0],
            serde_json::json!([2025, 9, 24])
        );
        assert_eq!(
            p["accessed"]["date-parts"][0],
            serde_json::json!([2025, 9, 26])
        );
        assert_eq!(
            p["URL"],
            "https://news.rambler.ru/world/55-lebedev/?a=1&b=2%20c#top"
        );
        assert!(
            p["language"].as_str().is_some_and(|l| l.starts_with("ru")),
            "{p}"
        );
        let note = p["note"].as_str().unwrap_or_default();
        assert!(note.contains(&speech), "{format}: {note}");
        assert!(note.contains(&last_commit(&env, &store, &speech)), "{note}");
        let b = &back[1];
        assert_eq!(b["author"][0]["literal"], "CIS", "{format}: {b}");
        assert!(b.get("accessed").is_none(), "{format}: {b}");
        assert_eq!(b["issued"]["date-parts"][0], serde_json::json!([2025, 10]));
        if format == "biblatex" {
            assert_eq!(b["type"], "legislation", "{b}");
        }
        assert!(
            b["note"].as_str().is_some_and(|n| n.contains("sha256")),
            "{b}"
        );
    }
}

#[test]
fn cite_ris_reads_back_in_rispy_with_every_field() {
    let env = Env::new();
    let (store, speech, bare) = citation_store(&env);
    let out = dossier(&env, &store, &["cite", &speech, &bare, "--format", "ris"]);
    out.ok();
    assert!(out.stdout.starts_with("TY  - GEN\r\n"), "{out}");
    if !have_python_module("rispy") {
        return;
    }
    let parsed: serde_json::Value = serde_json::from_str(&pipe(
        "python3",
        &[
            "-c",
            "import json,sys,rispy; print(json.dumps(rispy.loads(sys.stdin.read())))",
        ],
        &out.stdout,
    ))
    .unwrap();
    let r = &parsed[0];
    assert_eq!(r["type_of_reference"], "GEN");
    assert_eq!(r["id"], "2025-09-24-lebedev-minsk");
    assert_eq!(r["authors"], serde_json::json!(["Lebedev, Sergei"]));
    assert_eq!(r["title"], AWKWARD);
    assert_eq!(r["translated_title"], "Lebedev: priority to joint systems");
    assert_eq!(r["type_of_work"], "Speech");
    assert_eq!(r["publisher"], "news.rambler.ru");
    assert_eq!(
        r["secondary_title"],
        "Meeting of the CIS Committee of Chiefs of Staff, Minsk"
    );
    assert_eq!(r["year"], "2025");
    assert_eq!(r["date"], "2025/09/24/");
    assert_eq!(r["access_date"], "2025/09/26/");
    assert_eq!(
        r["urls"],
        serde_json::json!(["https://news.rambler.ru/world/55-lebedev/?a=1&b=2%20c#top"])
    );
    assert_eq!(r["language"], "ru");
    assert_eq!(r["custom1"], speech.as_str());
    assert_eq!(r["custom2"], last_commit(&env, &store, &speech).as_str());
    assert_eq!(r["keywords"], serde_json::json!(["military"]));
    let b = &parsed[1];
    assert_eq!(b["type_of_reference"], "GOVDOC");
    assert_eq!(b["authors"], serde_json::json!(["CIS"]));
    assert_eq!(b["date"], "2025/10//");
    assert!(b.get("access_date").is_none(), "{b}");
    assert!(b["custom3"].as_str().is_some_and(|h| h.len() == 64), "{b}");
}

#[test]
fn a_citation_names_the_commit_it_was_read_at() {
    let env = Env::new();
    let (store, speech, _) = citation_store(&env);
    let commit_of = |args: &[&str]| {
        let out = dossier(&env, &store, args);
        out.ok();
        (out.json()[0]["custom"].clone(), out.stderr)
    };
    // REF@REV: that revision.
    let (custom, _) = commit_of(&["cite", &format!("{speech}@HEAD")]);
    let head = env.git(&store, &["rev-parse", "HEAD"]);
    assert_eq!(custom["dossier-commit"], head.trim());
    // A record changed by hand and not committed: no commit, and a warning.
    let file = store.join("cis-2030/statements/2025-09-24-lebedev-minsk.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("joint systems.", "joint systems!")).unwrap();
    let (custom, stderr) = commit_of(&["cite", &speech]);
    assert!(custom.get("dossier-commit").is_none(), "{custom}");
    assert_eq!(custom["uncommitted-changes"], true);
    assert!(stderr.contains("not committed"), "{stderr}");
    // An initiative cites all its statements, and export writes the same items.
    let all = dossier(&env, &store, &["cite", "cis-2030"]);
    all.ok();
    let export = dossier(&env, &store, &["export", "--format", "csl-json"]);
    export.ok();
    assert_eq!(all.json(), export.json());
    assert_eq!(all.json().as_array().unwrap().len(), 2);
    // Unknown refs and --items with citations are refused.
    dossier(&env, &store, &["cite", "2025-01-01-nobody"]).refused_with(&["2025-01-01-nobody"]);
    let out = dossier(&env, &store, &["export", "--format", "csl-json", "--items"]);
    assert_eq!(out.code, 1, "{out}");
}

#[test]
fn the_bundled_store_cites_without_inventing_a_retrieval_date() {
    let env = Env::new();
    let tracked = crate::common::project_root().join("tracked");
    let out = dossier(
        &env,
        &tracked,
        &[
            "--store",
            tracked.to_str().unwrap(),
            "export",
            "--format",
            "csl-json",
        ],
    );
    out.ok();
    let items = out.json();
    let items = items.as_array().unwrap();
    assert!(items.len() >= 9);
    for item in items {
        assert!(item.get("accessed").is_none(), "{item}");
        assert!(item["custom"]["dossier-ref"].is_string());
    }
    let adoption = items
        .iter()
        .find(|i| i["id"] == "2025-10-10-council-of-heads-of-state-adopts-concept-2030")
        .unwrap();
    assert_eq!(adoption["type"], "legislation");
    assert_eq!(adoption["author"][0]["literal"], "CIS");
    let seed = items
        .iter()
        .find(|i| i["id"] == "2024-11-07-lebedev-security-council-secretaries")
        .unwrap();
    assert_eq!(seed["language"], "ar");
    assert_eq!(
        seed["custom"]["source-sha256"],
        "98b5fe5cfcd0682993110f46fdff31bcbb2abb686b7539183fb877f743a5606d"
    );
    assert!(seed["custom"]["translated-titles"]["en"].is_string());
}

// ---------------------------------------------------------------------------------------
// Annotations
// ---------------------------------------------------------------------------------------

/// A store with two statements of cis-2030 (the second adds and rewords priorities).
fn annotated_store(env: &Env) -> (std::path::PathBuf, String, String) {
    let store = env.store("s");
    let a = env.record(
        &store,
        "2025-09-24",
        "Sergei Lebedev",
        &["Joint air defence system", "Joint communications system"],
    );
    let b = env.record(
        &store,
        "2025-10-10",
        "Sirojiddin Muhriddin",
        &[
            "Unified air defence system",
            "Joint communications system",
            "Unified radar identification system",
        ],
    );
    (store, a, b)
}

fn annotation_files(store: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let top = store.join("cis-2030/annotations");
    for dir in std::fs::read_dir(&top).into_iter().flatten().flatten() {
        for f in std::fs::read_dir(dir.path()).unwrap().flatten() {
            out.push(f.path());
        }
    }
    out.sort();
    out
}

#[test]
fn annotate_writes_one_validated_file_as_one_commit() {
    let env = Env::new();
    let (store, _, b) = annotated_store(&env);
    let before = commits(&env, &store);
    let out = dossier(
        &env,
        &store,
        &[
            "annotate",
            &b,
            "--item",
            "1",
            "--assessment",
            "significant",
            "--tag",
            "air-defence",
            "--note",
            "Air defence ranked first for the first time",
        ],
    );
    out.ok();
    assert_eq!(commits(&env, &store), before + 1);
    let files = annotation_files(&store);
    assert_eq!(files.len(), 1);
    let id = b.rsplit('/').next().unwrap();
    assert!(
        out.stdout
            .trim()
            .starts_with(&format!("cis-2030/annotations/{id}/2026-01-02-")),
        "{out}"
    );
    let stat = env.git(&store, &["show", "--stat", "--format=%an|%s", "HEAD"]);
    assert!(stat.starts_with("Ada Analyst|annotate cis-2030/"), "{stat}");
    assert!(stat.contains("1 file changed"), "{stat}");
    assert!(env.git_status(&store).is_empty(), "the work tree is clean");
    // The file reads the same in PyYAML, with the statement's blob id as git has it.
    let blob = env.git(
        &store,
        &["rev-parse", &format!("HEAD:cis-2030/statements/{id}.yaml")],
    );
    let yaml: serde_json::Value = serde_json::from_str(&pipe(
        "python3",
        &[
            "-c",
            "import json,sys,yaml; print(json.dumps(yaml.safe_load(sys.stdin)))",
        ],
        &std::fs::read_to_string(&files[0]).unwrap(),
    ))
    .unwrap();
    assert_eq!(yaml["statement"], b.as_str());
    assert_eq!(yaml["blob"], blob.trim());
    assert_eq!(yaml["item"]["section"], "priorities");
    assert_eq!(yaml["item"]["rank"], 1);
    assert_eq!(yaml["item"]["text"], "Unified air defence system");
    assert_eq!(yaml["assessment"], "significant");
    assert_eq!(yaml["author"], "Ada Analyst");
    assert_eq!(yaml["date"], "2026-01-02");
    let check = dossier(&env, &store, &["check"]);
    assert_eq!(check.code, 0, "{check}");
    // The initiative, two statements and the annotation.
    assert!(check.stdout.contains("4 records checked"), "{check}");

    // Bad requests change nothing.
    let snap = env.snapshot(&store, &store);
    for args in [
        vec!["annotate", &b, "--item", "9", "--note", "x"],
        vec!["annotate", &b, "--item", "principles:1", "--note", "x"],
        vec!["annotate", &b, "--assessment", "great", "--note", "x"],
        vec!["annotate", &b, "--change", "priorities:99", "--note", "x"],
        vec!["annotate", &b, "--note", " "],
        vec!["annotate", &format!("{b}@HEAD"), "--note", "x"],
        vec!["annotate", "2025-01-01-nobody", "--note", "x"],
    ] {
        let out = dossier(&env, &store, &args);
        out.failed();
        assert!(
            out.stderr.contains("Hint:") || out.stderr.contains("error"),
            "{args:?}: {out}"
        );
        env.assert_unchanged(&store, &store, &snap, &format!("{args:?}"));
    }
    let first = env.record(&store, "2025-01-01", "Nobody Else", &[]);
    let out = dossier(
        &env,
        &store,
        &[
            "annotate",
            &first,
            "--change",
            "priorities:1",
            "--note",
            "x",
        ],
    );
    out.refused_with(&["first statement", "--from"]);

    // A broken annotation (by hand, or from a colleague) is a located problem.
    let bad = store.join(format!(
        "cis-2030/annotations/{id}/2026-01-03-00000000.yaml"
    ));
    std::fs::write(
        &bad,
        format!("id: \"2026-01-03-00000000\"\nstatement: {b}\nblob: nope\nassessment: great\nnote: x\ndate: \"2026-01-03\"\n"),
    )
    .unwrap();
    let check = dossier(&env, &store, &["check", "--format", "json"]);
    assert_eq!(check.code, 1, "{check}");
    let problems = check.json()["problems"].as_array().unwrap().clone();
    assert!(
        problems.iter().any(|p| p["field"] == "assessment"
            && p["location"]
                .as_str()
                .is_some_and(|l| l.ends_with("2026-01-03-00000000.yaml:4:13"))),
        "{problems:?}"
    );
    std::fs::write(
        &bad,
        format!("id: \"2026-01-03-00000000\"\nstatement: {b}\nblob: nope\nnote: x\ndate: \"2026-01-03\"\n"),
    )
    .unwrap();
    let check = dossier(&env, &store, &["check", "--format", "json"]);
    assert!(
        check.json()["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["field"] == "blob"),
        "{check}"
    );
}

/// An editor that runs a sed expression on the record.
fn sed_editor(env: &Env, name: &str, expr: &str) -> std::path::PathBuf {
    script(env, name, &format!("#!/bin/sh\nsed -i '{expr}' \"$1\"\n"))
}

#[test]
fn annotations_show_up_next_to_what_they_are_about_and_go_stale_after_an_edit() {
    let env = Env::new();
    let (store, a, b) = annotated_store(&env);
    let list = dossier(
        &env,
        &store,
        &["annotate", &b, "--list", "--format", "json"],
    );
    list.ok();
    let changes = list.json();
    let reworded = changes
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["status"] == "reworded")
        .unwrap_or_else(|| panic!("a reworded priority: {changes}"))["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(reworded, "priorities:1");
    for args in [
        vec![
            "annotate",
            &b,
            "--change",
            &reworded,
            "--assessment",
            "significant",
            "--note",
            "Joint became unified",
        ],
        vec![
            "annotate",
            &b,
            "--item",
            "priorities:3",
            "--assessment",
            "unverified",
            "--note",
            "Only one report names it",
        ],
        vec![
            "annotate",
            &b,
            "--assessment",
            "confirmed",
            "--note",
            "Checked against the press service",
        ],
    ] {
        dossier(&env, &store, &args).ok();
    }
    let standing = |args: &[&str], key: &str| -> Vec<(String, String)> {
        let out = dossier(&env, &store, args);
        out.ok();
        let json = out.json();
        let list = if key.is_empty() {
            json.clone()
        } else {
            json[key].clone()
        };
        let mut v: Vec<(String, String)> = list
            .as_array()
            .unwrap_or(&Vec::new())
            .iter()
            .map(|a| {
                let on = if let Some(t) = a["target"].as_str() {
                    t
                } else if a["change"].is_object() {
                    "change"
                } else if a["item"].is_object() {
                    "item"
                } else {
                    "statement"
                };
                let s = &a["standing"];
                (on.to_string(), s.as_str().unwrap().to_string())
            })
            .collect();
        v.sort();
        v
    };
    let all_current = vec![
        ("change".to_string(), "current".to_string()),
        ("item".to_string(), "current".to_string()),
        ("statement".to_string(), "current".to_string()),
    ];
    assert_eq!(
        standing(&["timeline", "cis-2030", "--format", "json"], "annotations"),
        all_current
    );
    assert_eq!(
        standing(&["diff", &a, &b, "--format", "json"], "annotations"),
        vec![("change".to_string(), "current".to_string())]
    );
    assert_eq!(
        standing(&["diff", "cis-2030", "--format", "json"], "annotations"),
        vec![("change".to_string(), "current".to_string())],
        "the initiative form diffs the same pair"
    );
    let table = dossier(&env, &store, &["show", &b]);
    table.ok();
    assert!(table.stdout.contains("Annotations"), "{table}");
    assert!(table.stdout.contains("Joint became unified"), "{table}");
    assert!(table.stdout.contains("current"), "{table}");
    let diff = dossier(&env, &store, &["diff", &a, &b]);
    assert!(
        diff.stdout.contains("Annotations on these changes"),
        "{diff}"
    );
    let csv = dossier(
        &env,
        &store,
        &["export", "--annotations", "--format", "csv"],
    );
    csv.ok();
    assert!(
        csv.stdout.starts_with("id,statement,date,author,target,"),
        "{csv}"
    );
    assert_eq!(csv.stdout.lines().count(), 4, "{csv}");
    assert_eq!(
        dossier(
            &env,
            &store,
            &["export", "--annotations", "--format", "json"]
        )
        .json()
        .as_array()
        .unwrap()
        .len(),
        3
    );

    // An edit of the summary: the pair and the statement have changed, the item has not.
    let editor = sed_editor(
        &env,
        "summary.sh",
        "s/^summary: .*/summary: Another summary./",
    );
    crate::common::run(
        env.dossier_in(&store)
            .env("EDITOR", &editor)
            .args(["edit", &b]),
    )
    .ok();
    assert_eq!(
        standing(&["export", "--annotations", "--format", "json"], ""),
        vec![
            ("change".to_string(), "stale".to_string()),
            ("item".to_string(), "current".to_string()),
            ("statement".to_string(), "stale".to_string()),
        ]
    );
    let table = dossier(&env, &store, &["diff", &a, &b]);
    assert!(table.stdout.contains("stale"), "{table}");
    // The annotated item moves up, then is reworded.
    let editor = sed_editor(
        &env,
        "move.sh",
        "s/text: Joint communications system/text: TMP/; s/text: Unified radar identification system/text: Joint communications system/; s/text: TMP/text: Unified radar identification system/",
    );
    crate::common::run(
        env.dossier_in(&store)
            .env("EDITOR", &editor)
            .args(["edit", &b]),
    )
    .ok();
    let item = |env: &Env| {
        let rows = dossier(
            env,
            &store,
            &["export", "--annotations", "--format", "json"],
        )
        .json();
        rows.as_array()
            .unwrap()
            .iter()
            .find(|r| r["target"] == "item")
            .unwrap()["standing"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(item(&env), "moved");
    assert!(dossier(&env, &store, &["show", &b])
        .stdout
        .contains("moved (now 2)"));
    let editor = sed_editor(
        &env,
        "reword.sh",
        "s/Unified radar identification system/Radar identification/",
    );
    crate::common::run(
        env.dossier_in(&store)
            .env("EDITOR", &editor)
            .args(["edit", &b]),
    )
    .ok();
    assert_eq!(item(&env), "stale");
    // A revision pair: annotate how the record changed since its first version.
    let out = dossier(
        &env,
        &store,
        &[
            "annotate",
            &b,
            "--from",
            &format!("{b}@HEAD~3"),
            "--change",
            "metadata:summary",
            "--note",
            "Summary rewritten",
        ],
    );
    out.ok();
    let pinned = dossier(
        &env,
        &store,
        &["diff", &format!("{b}@HEAD~4"), &b, "--format", "json"],
    )
    .json();
    assert!(
        pinned["annotations"].as_array().is_some_and(|l| l
            .iter()
            .any(|a| a["note"] == "Summary rewritten" && a["standing"] == "current")),
        "{pinned}"
    );
    // The report has them too.
    let report = env.path("r.html");
    dossier(
        &env,
        &store,
        &["report", "cis-2030", "-o", report.to_str().unwrap()],
    )
    .ok();
    let html = std::fs::read_to_string(&report).unwrap();
    assert!(
        html.contains("Reviewers&#39; annotations") || html.contains("Reviewers' annotations"),
        "report"
    );
    assert!(html.contains("Only one report names it"));
    assert!(html.contains("class=\"stale\""));
}

#[test]
fn two_analysts_annotating_the_same_statement_at_once_never_conflict() {
    use crate::sync::{bare_hub, file_url, sync, Team};
    let ada = Env::new();
    let hub = ada.path("hub.git");
    bare_hub(&ada, &hub);
    let team = Team::new(ada, hub.clone(), &file_url(&hub));
    let reference = team.ada.record(
        &team.a,
        "2025-10-10",
        "Sergei Lebedev",
        &["Unified air defence system"],
    );
    sync(&team.ada, &team.a, &[]).ok();
    sync(&team.bo, &team.b, &[]).ok();
    dossier(
        &team.ada,
        &team.a,
        &[
            "annotate",
            &reference,
            "--item",
            "1",
            "--assessment",
            "significant",
            "--note",
            "Ada: first rank",
        ],
    )
    .ok();
    dossier(
        &team.bo,
        &team.b,
        &[
            "annotate",
            &reference,
            "--item",
            "1",
            "--assessment",
            "disputed",
            "--note",
            "Bo: only one source",
        ],
    )
    .ok();
    sync(&team.ada, &team.a, &[]).ok();
    let bo = sync(&team.bo, &team.b, &[]);
    bo.ok();
    assert!(
        !bo.stdout.contains("conflict") && !bo.stderr.contains("conflict"),
        "{bo}"
    );
    sync(&team.ada, &team.a, &[]).ok();
    team.assert_agree();
    for (env, dir) in [(&team.ada, &team.a), (&team.bo, &team.b)] {
        let rows = dossier(env, dir, &["export", "--annotations", "--format", "json"]).json();
        let mut notes: Vec<String> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                format!(
                    "{} {}",
                    r["author"].as_str().unwrap(),
                    r["note"].as_str().unwrap()
                )
            })
            .collect();
        notes.sort();
        assert_eq!(
            notes,
            [
                "Ada Analyst Ada: first rank",
                "Bo Analyst Bo: only one source"
            ]
        );
        assert_eq!(dossier(env, dir, &["check"]).code, 0);
    }
}

#[test]
fn a_broken_annotation_from_a_colleague_is_reported_when_it_comes_in() {
    use crate::sync::{bare_hub, file_url, sync, Team};
    let ada = Env::new();
    let hub = ada.path("hub.git");
    bare_hub(&ada, &hub);
    let team = Team::new(ada, hub.clone(), &file_url(&hub));
    let reference = team
        .ada
        .record(&team.a, "2025-10-10", "Sergei Lebedev", &["Air defence"]);
    sync(&team.ada, &team.a, &[]).ok();
    sync(&team.bo, &team.b, &[]).ok();
    // Bo commits a hand-written annotation with git itself: an unknown assessment.
    let id = reference.rsplit('/').next().unwrap();
    let dir = team.b.join(format!("cis-2030/annotations/{id}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("2026-01-02-0badc0de.yaml"),
        format!(
            "id: \"2026-01-02-0badc0de\"\nstatement: {reference}\nblob: \"{}\"\nassessment: wonderful\nnote: x\ndate: \"2026-01-02\"\n",
            "a".repeat(40)
        ),
    )
    .unwrap();
    team.bo.git(&team.b, &["add", "-A"]);
    team.bo
        .git(&team.b, &["commit", "-q", "-m", "annotate by hand"]);
    team.bo.git(&team.b, &["push", "-q", "origin", "main"]);
    let out = sync(&team.ada, &team.a, &[]);
    assert_eq!(out.code, 1, "{out}");
    assert!(
        out.stderr.contains("0badc0de.yaml") && out.stderr.contains("assessment"),
        "{out}"
    );
}
