//! The store end to end: `init`, `record` (flags, `--from`, `--edit`), `edit`, `show`,
//! `log`, `history` and `check`, driven through the built binary against real git
//! repositories. Every write must be exactly one commit touching exactly its files, and
//! every refusal must leave the repository (HEAD, index, work tree) as it was.
//!
//! Fixture records live in `tests/fixtures/records/` (see the README there): `invalid/`
//! files carry `# expect:` lines saying which problems `check` must report where.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::{dossier, project_root, run, script, Env, Out, Snapshot};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// `dossier record cis-2030 ARGS` in `dir`.
fn record(env: &Env, dir: &Path, args: &[&str]) -> Out {
    run(env.dossier_in(dir).arg("record").arg("cis-2030").args(args))
}

/// A refusal: non-zero exit, an `error:` on stderr naming each of `needles`, no panic,
/// nothing on stdout.
fn assert_refused(out: &Out, needles: &[&str]) {
    assert_ne!(out.code, 0, "expected a refusal\n{out}");
    assert!(!out.stderr.contains("panicked"), "dossier panicked\n{out}");
    assert!(out.stderr.contains("error:"), "no error message\n{out}");
    assert!(
        out.stdout.trim().is_empty(),
        "a refusal printed a result\n{out}"
    );
    for needle in needles {
        assert!(
            out.stderr.contains(needle),
            "stderr does not mention {needle:?}\n{out}"
        );
    }
}

/// HEAD, `git status` and every file under the test's folder: see `Env::snapshot`.
fn snapshot(env: &Env, repo: &Path) -> Snapshot {
    env.snapshot(repo, env.dir.path())
}

#[track_caller]
fn assert_unchanged(env: &Env, repo: &Path, before: &Snapshot, what: &str) {
    env.assert_unchanged(repo, env.dir.path(), before, what)
}

fn commit_count(env: &Env, repo: &Path) -> usize {
    env.git(repo, &["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap()
}

/// The files the last commit touched.
fn last_commit_files(env: &Env, repo: &Path) -> Vec<String> {
    env.git(repo, &["show", "--name-only", "--format=", "HEAD"])
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// The checks every dossier write must pass: one more commit, by the analyst, with this
/// message, touching exactly `files`; a clean status and a clean fsck afterwards.
fn assert_one_clean_commit(
    env: &Env,
    repo: &Path,
    commits_before: usize,
    message: &str,
    files: &[&str],
) {
    assert_eq!(
        commit_count(env, repo),
        commits_before + 1,
        "not exactly one new commit"
    );
    assert_eq!(
        env.git(repo, &["log", "-1", "--format=%an <%ae>"]).trim(),
        "Ada Analyst <ada@example.org>"
    );
    assert_eq!(env.git(repo, &["log", "-1", "--format=%s"]).trim(), message);
    let mut want: Vec<String> = files.iter().map(|s| s.to_string()).collect();
    want.sort();
    let mut got = last_commit_files(env, repo);
    got.sort();
    assert_eq!(got, want, "the commit touched other files");
    assert_eq!(
        env.git_status(repo),
        "",
        "the work tree is not clean after the write"
    );
    env.fsck(repo);
}

fn show_json(env: &Env, dir: &Path, reference: &str) -> Value {
    dossier(env, dir, &["show", reference, "--format", "json"])
        .ok()
        .json()
}

/// An editor that sets the venue of the record it is given to `venue`.
fn venue_editor(env: &Env, venue: &str) -> PathBuf {
    script(
        env,
        "venue-editor.sh",
        &format!(
            "#!/bin/sh\nset -e\ngrep -v '^venue:' \"$1\" > \"$1.tmp\"\necho 'venue: {venue}' >> \"$1.tmp\"\nmv \"$1.tmp\" \"$1\"\n"
        ),
    )
}

fn fixtures() -> PathBuf {
    project_root().join("tests/fixtures/records")
}

/// One problem a fixture declares with `# expect: LINE:COL FIELD | MESSAGE` (`-` for no
/// field), and the `# hint: TEXT` that may follow it.
#[derive(Debug)]
struct Expect {
    line_col: String,
    field: String,
    message: String,
    hint: Option<String>,
}

#[derive(Debug)]
struct Fixture {
    path: PathBuf,
    name: String,
    expects: Vec<Expect>,
    /// `# from: refused`: `dossier record cis-2030 --from FILE` refuses it, naming FILE at
    /// the first expected place.
    from_refused: bool,
}

fn invalid_fixtures() -> Vec<Fixture> {
    let dir = fixtures().join("invalid");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir)
        .expect("tests/fixtures/records/invalid")
        .flatten()
    {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut expects: Vec<Expect> = Vec::new();
        let mut from_refused = false;
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# expect: ") {
                let (left, message) = rest.split_once(" | ").unwrap_or_else(|| {
                    panic!("{}: `# expect: L:C FIELD | MESSAGE`", path.display())
                });
                let mut parts = left.split_whitespace();
                let line_col = parts.next().unwrap().to_string();
                let field = parts.next().unwrap_or("-");
                expects.push(Expect {
                    line_col,
                    field: if field == "-" {
                        String::new()
                    } else {
                        field.to_string()
                    },
                    message: message.to_string(),
                    hint: None,
                });
            } else if let Some(hint) = line.strip_prefix("# hint: ") {
                expects.last_mut().expect("# hint: after # expect:").hint = Some(hint.to_string());
            } else if line.trim() == "# from: refused" {
                from_refused = true;
            }
        }
        assert!(
            !expects.is_empty(),
            "{} declares no `# expect:`",
            path.display()
        );
        out.push(Fixture {
            name: path.file_name().unwrap().to_string_lossy().into_owned(),
            path,
            expects,
            from_refused,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(out.len() >= 10, "the invalid fixtures are missing");
    out
}

fn invalid_fixture(name: &str) -> Fixture {
    invalid_fixtures()
        .into_iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no fixture {name}"))
}

fn valid_fixtures() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(fixtures().join("valid"))
        .expect("tests/fixtures/records/valid")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    out.sort();
    assert!(!out.is_empty());
    out
}

/// A text with a latin-1 byte on line 5 (column 13 in characters).
const NOT_UTF8: &[u8] =
    b"id: 2025-02-01-latin\ninitiative: cis-2030\ndate: \"2025-02-01\"\nlanguage: fr\nsummary: caf\xe9\n";

/// `python3` with PyYAML, or a failure saying how to get it.
fn require_pyyaml() {
    let ok = Command::new("python3")
        .args(["-c", "import yaml"])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "python3 with the yaml module (PyYAML) is needed for this test: install python3-yaml \
         (apt-get install python3-yaml, or pip install pyyaml); CI installs it"
    );
}

/// Every statement and initiative file of the store at `root`, as PyYAML's `safe_load`
/// reads it, keyed by path relative to `root`. Values PyYAML turns into non-JSON types
/// come back as `{"__python__": ...}` so that they differ visibly; with `dates_as_text`,
/// a `datetime.date` becomes its `YYYY-MM-DD` text (hand-written records may leave a full
/// date unquoted: PyYAML reads the same day, see docs/format.md).
fn pyyaml_read_store(root: &Path, dates_as_text: bool) -> BTreeMap<String, Value> {
    const SCRIPT: &str = r#"
import datetime, glob, json, os, sys, yaml
root, dates_as_text = sys.argv[1], sys.argv[2] == "1"
def other(o):
    if dates_as_text and type(o) is datetime.date:
        return o.isoformat()
    return {"__python__": type(o).__name__ + ": " + repr(o)}
out = {}
for pattern in ("*/initiative.yaml", "*/statements/*.yaml"):
    for path in sorted(glob.glob(os.path.join(root, pattern))):
        with open(path, encoding="utf-8") as f:
            out[os.path.relpath(path, root)] = yaml.safe_load(f)
print(json.dumps(out, default=other))
"#;
    let out = Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(root)
        .arg(if dates_as_text { "1" } else { "0" })
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "PyYAML could not read the store: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let map: BTreeMap<String, Value> = serde_json::from_slice(&out.stdout).unwrap();
    map
}

/// Compares what PyYAML reads in every record of the store with what dossier reads.
fn assert_pyyaml_agrees(env: &Env, store: &Path, dates_as_text: bool) -> usize {
    let read = pyyaml_read_store(store, dates_as_text);
    let initiatives = dossier(
        env,
        store,
        &[
            "--store",
            store.to_str().unwrap(),
            "initiatives",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    let mut compared = 0;
    for (rel, py) in &read {
        let parts: Vec<&str> = rel.split('/').collect();
        let ours = if parts.len() == 2 {
            let mut found = initiatives
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["id"] == parts[0])
                .unwrap_or_else(|| panic!("dossier does not list the initiative of {rel}"))
                .clone();
            found.as_object_mut().unwrap().remove("statements");
            found
        } else {
            let reference = format!("{}/{}", parts[0], parts[2].trim_end_matches(".yaml"));
            dossier(
                env,
                store,
                &[
                    "--store",
                    store.to_str().unwrap(),
                    "show",
                    &reference,
                    "--format",
                    "json",
                ],
            )
            .ok()
            .json()
        };
        assert_eq!(
            py,
            &ours,
            "{rel}: PyYAML (left) and dossier (right) read different data:\n{}",
            std::fs::read_to_string(store.join(rel)).unwrap()
        );
        compared += 1;
    }
    compared
}

// ---------------------------------------------------------------------------------------
// init
// ---------------------------------------------------------------------------------------

#[test]
fn init_creates_a_git_repository_and_commits_the_settings() {
    let env = Env::new();
    let out = dossier(&env, env.dir.path(), &["init", "s"]);
    out.ok();
    let dir = env.path("s");
    assert!(dir.join("dossier.yaml").is_file());
    assert!(dir.join(".git").is_dir(), "git init did not run");
    assert!(
        std::fs::read_to_string(dir.join("dossier.yaml"))
            .unwrap()
            .contains("format: 1"),
        "dossier.yaml has no format version"
    );
    let log = env.git(&dir, &["log", "--format=%an <%ae>|%s"]);
    assert_eq!(log.lines().count(), 1, "{log}");
    assert!(log.starts_with("Ada Analyst <ada@example.org>|"), "{log}");
    // The attributes that let git merge records through dossier come with the store.
    assert_eq!(
        last_commit_files(&env, &dir),
        [".gitattributes", "dossier.yaml"]
    );
    assert_eq!(env.git_status(&dir), "");
    env.fsck(&dir);
}

#[test]
fn init_in_a_subfolder_of_a_repository_uses_that_repository() {
    let env = Env::new();
    let repo = env.path("repo");
    std::fs::create_dir_all(&repo).unwrap();
    env.git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("README"), "notes\n").unwrap();
    env.git(&repo, &["add", "README"]);
    env.git(&repo, &["commit", "-q", "-m", "first"]);
    let first = env.git(&repo, &["rev-parse", "HEAD"]);

    dossier(&env, &repo, &["init", "research/store"]).ok();
    let store = repo.join("research/store");
    assert!(store.join("dossier.yaml").is_file());
    assert!(
        !store.join(".git").exists(),
        "init ran git init inside an existing repository"
    );
    assert!(!repo.join("research/.git").exists());
    assert_eq!(commit_count(&env, &repo), 2);
    assert_eq!(
        env.git(&repo, &["rev-parse", "HEAD~1"]),
        first,
        "the old history is gone"
    );
    assert_eq!(
        last_commit_files(&env, &repo),
        [
            "research/store/.gitattributes",
            "research/store/dossier.yaml"
        ]
    );

    // Records then go in the same repository, under the store's folder.
    dossier(
        &env,
        &store,
        &["initiative", "add", "cis-2030", "--title", "T"],
    )
    .ok();
    env.record(&store, "2024-11-07", "Sergei Lebedev", &[]);
    assert_eq!(commit_count(&env, &repo), 4);
    let files = last_commit_files(&env, &repo);
    assert_eq!(files.len(), 1);
    assert!(
        files[0].starts_with("research/store/cis-2030/statements/2024-11-07-"),
        "{files:?}"
    );
    assert_eq!(env.git_status(&repo), "");
}

#[test]
fn init_twice_is_refused_and_changes_nothing() {
    let env = Env::new();
    let dir = env.store("s");
    let before = snapshot(&env, &dir);
    let out = dossier(&env, env.dir.path(), &["init", "s"]);
    assert_refused(&out, &["already a dossier store"]);
    let out = dossier(&env, &dir, &["init"]);
    assert_refused(&out, &["already a dossier store"]);
    assert_unchanged(&env, &dir, &before, "init twice");
}

// ---------------------------------------------------------------------------------------
// record
// ---------------------------------------------------------------------------------------

#[test]
fn record_with_flags_makes_one_clean_commit_per_statement() {
    let env = Env::new();
    let dir = env.store("s");
    for (date, speaker) in [
        ("2024-11-07", "Sergei Lebedev"),
        ("2025-09-24", "Viktor Khrenin"),
    ] {
        let before = commit_count(&env, &dir);
        let out = run(env.dossier_in(&dir).args([
            "record",
            "cis-2030",
            "--date",
            date,
            "--speaker",
            speaker,
            "--lang",
            "en",
            "--venue",
            "Moscow meeting",
            "--summary",
            "A statement.",
            "--priority",
            "Air defence",
        ]));
        out.ok();
        let reference = out.stdout.trim();
        let surname = speaker.rsplit(' ').next().unwrap().to_lowercase();
        assert_eq!(
            reference,
            format!("cis-2030/{date}-{surname}-moscow-meeting"),
            "{out}"
        );
        let id = reference.split('/').nth(1).unwrap();
        assert!(
            id.starts_with(date),
            "the generated id does not start with the date"
        );
        assert_one_clean_commit(
            &env,
            &dir,
            before,
            &format!("record {reference}"),
            &[&format!("cis-2030/statements/{id}.yaml")],
        );
        let st = show_json(&env, &dir, reference);
        assert_eq!(st["speaker"]["name"], speaker);
        assert_eq!(st["priorities"][0]["text"], "Air defence");
    }
}

#[test]
fn record_leaves_what_the_analyst_staged_alone() {
    let env = Env::new();
    let dir = env.store("s");
    std::fs::write(dir.join("other.txt"), "work in progress\n").unwrap();
    env.git(&dir, &["add", "other.txt"]);
    std::fs::write(dir.join("untracked.txt"), "scratch\n").unwrap();
    let before = commit_count(&env, &dir);
    let reference = env.record(&dir, "2024-11-07", "Sergei Lebedev", &["Air defence"]);
    assert_eq!(commit_count(&env, &dir), before + 1);
    let id = reference.split('/').nth(1).unwrap();
    assert_eq!(
        last_commit_files(&env, &dir),
        [format!("cis-2030/statements/{id}.yaml")]
    );
    let status = env.git_status(&dir);
    assert!(
        status.contains("A  other.txt"),
        "other.txt is no longer staged:\n{status}"
    );
    assert!(status.contains("?? untracked.txt"), "{status}");
    assert_eq!(
        status.lines().count(),
        2,
        "the record is not clean in git:\n{status}"
    );
    env.fsck(&dir);
}

#[test]
fn record_copies_a_source_document_from_outside_the_repository() {
    let env = Env::new();
    let dir = env.store("s");
    let doc = env.path("tass-2024-11-07.txt");
    std::fs::write(
        &doc,
        "Full text of the report, with a passage quoted exactly.\n",
    )
    .unwrap();
    let before = commit_count(&env, &dir);
    let out = record(
        &env,
        &dir,
        &[
            "--date",
            "2024-11-07",
            "--speaker",
            "Sergei Lebedev",
            "--lang",
            "en",
            "--summary",
            "S.",
            "--source-document",
            doc.to_str().unwrap(),
            "--quote",
            "a passage quoted exactly",
        ],
    );
    out.ok();
    let reference = out.stdout.trim();
    let id = reference.split('/').nth(1).unwrap();
    assert_one_clean_commit(
        &env,
        &dir,
        before,
        &format!("record {reference}"),
        &[
            "sources/tass-2024-11-07.txt",
            &format!("cis-2030/statements/{id}.yaml"),
        ],
    );
    assert_eq!(
        std::fs::read(dir.join("sources/tass-2024-11-07.txt")).unwrap(),
        std::fs::read(&doc).unwrap()
    );
    let sha = sha256sum(&doc);
    assert_eq!(sha.len(), 64);
    let st = show_json(&env, &dir, reference);
    assert_eq!(st["source"]["document"], "sources/tass-2024-11-07.txt");
    assert_eq!(st["source"]["sha256"], sha);
    // The quote is found in the source document.
    let shown = dossier(&env, &dir, &["show", reference]);
    assert!(shown.ok().stdout.contains("✓ source document"), "{shown}");
    dossier(&env, &dir, &["check"]).ok();
}

#[test]
fn record_points_at_a_source_document_already_in_the_repository() {
    let env = Env::new();
    let dir = env.store("s");
    std::fs::create_dir_all(dir.join("archive")).unwrap();
    std::fs::write(dir.join("archive/report.txt"), "The report.\n").unwrap();
    env.git(&dir, &["add", "archive/report.txt"]);
    env.git(&dir, &["commit", "-q", "-m", "archive"]);
    let before = commit_count(&env, &dir);
    let out = record(
        &env,
        &dir,
        &[
            "--date",
            "2024-11-07",
            "--lang",
            "en",
            "--summary",
            "S.",
            "--source-document",
            "archive/report.txt",
        ],
    );
    out.ok();
    let reference = out.stdout.trim();
    let id = reference.split('/').nth(1).unwrap();
    assert_one_clean_commit(
        &env,
        &dir,
        before,
        &format!("record {reference}"),
        &[&format!("cis-2030/statements/{id}.yaml")],
    );
    assert!(!dir.join("sources").exists(), "the document was copied");
    let st = show_json(&env, &dir, reference);
    assert_eq!(st["source"]["document"], "archive/report.txt");
    assert_eq!(
        st["source"]["sha256"],
        sha256sum(&dir.join("archive/report.txt"))
    );
}

/// The sha256 of a file, by the `sha256sum` CLI.
fn sha256sum(path: &Path) -> String {
    let out = Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum runs");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn record_reads_the_text_from_stdin_and_a_translation_from_a_file() {
    let env = Env::new();
    let dir = env.store("s");
    let en = env.path("en.txt");
    std::fs::write(&en, "The concept sets clear priorities.\n").unwrap();
    let out = run(env
        .dossier_in(&dir)
        .args([
            "record",
            "cis-2030",
            "--date",
            "2024-11-07",
            "--speaker",
            "Sergei Lebedev",
            "--lang",
            "ru",
            "--text-file",
            "-",
            "--translation",
            &format!("en={}", en.display()),
        ])
        .write_stdin("Концепция определяет ясные приоритеты.\n"));
    out.ok();
    let st = show_json(&env, &dir, out.stdout.trim());
    assert_eq!(st["text"], "Концепция определяет ясные приоритеты.\n");
    assert_eq!(
        st["translations"]["en"],
        "The concept sets clear priorities.\n"
    );
    assert_eq!(st["language"], "ru");
    assert!(
        st["id"].as_str().unwrap().starts_with("2024-11-07-lebedev"),
        "{st}"
    );
}

#[test]
fn record_from_a_yaml_file_keeps_every_field() {
    require_pyyaml();
    let env = Env::new();
    let dir = env.store("s");
    for file in valid_fixtures() {
        let before = commit_count(&env, &dir);
        let out = record(&env, &dir, &["--from", file.to_str().unwrap()]);
        out.ok();
        let reference = out.stdout.trim().to_string();
        let id = file.file_stem().unwrap().to_string_lossy().into_owned();
        assert_eq!(reference, format!("cis-2030/{id}"));
        assert_one_clean_commit(
            &env,
            &dir,
            before,
            &format!("record {reference}"),
            &[&format!("cis-2030/statements/{id}.yaml")],
        );
    }
    // What dossier reads back is what the hand-written files said (shorthand lists
    // become `{text: ...}`), and what PyYAML reads in the written records.
    let st = show_json(
        &env,
        &dir,
        "2024-11-07-lebedev-security-council-secretaries",
    );
    assert_eq!(st["priorities"][0]["key"], "clear-priorities");
    assert_eq!(
        st["priorities"][1],
        serde_json::json!({"text": "Unified air defence system"})
    );
    assert_eq!(st["tags"], serde_json::json!(["military", "security"]));
    assert_eq!(st["speaker"]["role"], "CIS Secretary General");
    assert!(st["text"].as_str().unwrap().starts_with("Концепция"));
    assert!(assert_pyyaml_agrees(&env, &dir, false) > valid_fixtures().len());
    dossier(&env, &dir, &["check"]).ok();
}

// ---------------------------------------------------------------------------------------
// The editor
// ---------------------------------------------------------------------------------------

const EDITOR_VALID: &str = r#"#!/bin/sh
cp "$1" "$(dirname "$0")/seen.yaml"
cat > "$1" <<'EOF'
id: 2025-09-24-khrenin-defence-ministers
initiative: cis-2030
date: "2025-09-24"
speaker:
  name: Viktor Khrenin
language: ru
summary: Khrenin on joint air defence.
priorities:
  - Joint air defence system
EOF
"#;

#[test]
fn record_edit_records_what_the_editor_saved() {
    let env = Env::new();
    let dir = env.store("s");
    let editor = script(&env, "editor.sh", EDITOR_VALID);
    let before = commit_count(&env, &dir);
    let out = run(env
        .dossier_in(&dir)
        .args(["record", "cis-2030", "--edit"])
        .env("EDITOR", &editor));
    out.ok();
    assert_eq!(
        out.stdout.trim(),
        "cis-2030/2025-09-24-khrenin-defence-ministers"
    );
    let template = std::fs::read_to_string(env.path("seen.yaml")).expect("the editor ran");
    assert!(template.contains("initiative: cis-2030"), "{template}");
    assert_one_clean_commit(
        &env,
        &dir,
        before,
        "record cis-2030/2025-09-24-khrenin-defence-ministers",
        &["cis-2030/statements/2025-09-24-khrenin-defence-ministers.yaml"],
    );
    let st = show_json(&env, &dir, "2025-09-24-khrenin-defence-ministers");
    assert_eq!(st["priorities"][0]["text"], "Joint air defence system");
}

#[test]
fn record_edit_reopens_an_invalid_record_with_the_problem_on_top() {
    let env = Env::new();
    let dir = env.store("s");
    let editor = script(
        &env,
        "editor.sh",
        r#"#!/bin/sh
dir=$(dirname "$0")
n=$(cat "$dir/count" 2>/dev/null || echo 0)
n=$((n + 1))
echo "$n" > "$dir/count"
cp "$1" "$dir/seen-$n.yaml"
if [ "$n" = 1 ]; then
cat > "$1" <<'EOF'
id: 2025-09-24-khrenin
initiative: cis-2030
date: "2025-13-24"
language: ru
summary: The month is wrong.
EOF
else
cat > "$1" <<'EOF'
id: 2025-09-24-khrenin
initiative: cis-2030
date: "2025-09-24"
language: ru
summary: The month is right.
EOF
fi
"#,
    );
    let before = commit_count(&env, &dir);
    let out = run(env
        .dossier_in(&dir)
        .args(["record", "cis-2030", "--edit"])
        .env("EDITOR", &editor));
    out.ok();
    assert_eq!(
        std::fs::read_to_string(env.path("count")).unwrap().trim(),
        "2",
        "the editor did not open twice"
    );
    let second = std::fs::read_to_string(env.path("seen-2.yaml")).unwrap();
    // One line on top says so; the problem itself is at the end, so that its line
    // numbers stay those of the file the analyst sees.
    let first_line = second.lines().next().unwrap();
    assert!(
        first_line.starts_with("# dossier:") && first_line.contains("did not validate"),
        "the second round does not say on top that there is a problem:\n{second}"
    );
    assert!(
        second.lines().any(|l| l.starts_with("# dossier:")
            && l.contains(".yaml:4:")
            && l.contains("`date`")
            && l.contains("2025-13-24")),
        "the second round does not show the problem at the date's line:\n{second}"
    );
    assert!(
        second.contains("\ndate: \"2025-13-24\"\n"),
        "the analyst's draft was not kept:\n{second}"
    );
    assert_one_clean_commit(
        &env,
        &dir,
        before,
        "record cis-2030/2025-09-24-khrenin",
        &["cis-2030/statements/2025-09-24-khrenin.yaml"],
    );
    assert_eq!(
        show_json(&env, &dir, "2025-09-24-khrenin")["summary"],
        "The month is right."
    );
}

#[test]
fn record_edit_with_the_template_unchanged_records_nothing() {
    let env = Env::new();
    let dir = env.store("s");
    let editor = script(
        &env,
        "editor.sh",
        "#!/bin/sh\ncp \"$1\" \"$(dirname \"$0\")/seen.yaml\"\n",
    );
    let before = snapshot(&env, &dir);
    let out = run(env
        .dossier_in(&dir)
        .args(["record", "cis-2030", "--edit"])
        .env("EDITOR", &editor));
    assert!(env.path("seen.yaml").is_file(), "the editor did not run");
    std::fs::remove_file(env.path("seen.yaml")).unwrap();
    assert_ne!(out.code, 0, "{out}");
    assert!(out.stderr.contains("nothing recorded"), "{out}");
    assert!(!out.stderr.contains("panicked"), "{out}");
    assert!(out.stdout.trim().is_empty(), "{out}");
    assert_unchanged(&env, &dir, &before, "unchanged template");
}

#[test]
fn edit_changes_a_record_in_one_commit_and_keeps_the_old_revision() {
    let env = Env::new();
    let dir = env.store("s");
    let reference = env.record(&dir, "2024-11-07", "Sergei Lebedev", &["Air defence"]);
    let id = reference.split('/').nth(1).unwrap().to_string();
    let editor = venue_editor(&env, "Minsk");
    let before = commit_count(&env, &dir);
    let out = run(env
        .dossier_in(&dir)
        .args(["edit", &id, "-m", "fix the venue"])
        .env("EDITOR", &editor));
    out.ok();
    assert_eq!(out.stdout.trim(), reference);
    assert_one_clean_commit(
        &env,
        &dir,
        before,
        "fix the venue",
        &[&format!("cis-2030/statements/{id}.yaml")],
    );
    assert_eq!(show_json(&env, &dir, &id)["venue"], "Minsk");
    let old = show_json(&env, &dir, &format!("{reference}@HEAD~1"));
    assert_eq!(
        old["venue"],
        Value::Null,
        "REF@HEAD~1 does not show the old version: {old}"
    );
    assert_eq!(old["speaker"]["name"], "Sergei Lebedev");
    let revisions = dossier(&env, &dir, &["history", &id, "--format", "json"])
        .ok()
        .json();
    let messages: Vec<&str> = revisions
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages, ["fix the venue", &format!("record {reference}")]);
}

// ---------------------------------------------------------------------------------------
// show, log, history
// ---------------------------------------------------------------------------------------

#[test]
fn show_prints_a_table_json_and_yaml() {
    let env = Env::new();
    let dir = env.store("s");
    let reference = env.record(
        &dir,
        "2024-11-07",
        "Sergei Lebedev",
        &["Joint air defence", "Training of officers"],
    );
    let table = dossier(&env, &dir, &["show", &reference]);
    table.ok();
    for want in [
        "Sergei Lebedev",
        "Joint air defence",
        "Training of officers",
        "2024-11-07",
        "Priorities",
    ] {
        assert!(table.stdout.contains(want), "show lacks {want:?}\n{table}");
    }
    let st = show_json(&env, &dir, &reference);
    assert_eq!(st["id"], reference.split('/').nth(1).unwrap());
    assert_eq!(st["initiative"], "cis-2030");
    assert_eq!(st["date"], "2024-11-07");
    assert_eq!(st["priorities"][1]["text"], "Training of officers");
    let yaml = dossier(&env, &dir, &["show", &reference, "--format", "yaml"]);
    let id = reference.split('/').nth(1).unwrap();
    assert_eq!(
        yaml.ok().stdout,
        std::fs::read_to_string(dir.join(format!("cis-2030/statements/{id}.yaml"))).unwrap(),
        "--format yaml is not the record as stored"
    );
}

#[test]
fn show_an_unknown_ref_suggests_the_closest() {
    let env = Env::new();
    let dir = env.store("s");
    let out = record(
        &env,
        &dir,
        &[
            "--date",
            "2024-11-07",
            "--speaker",
            "Sergei Lebedev",
            "--venue",
            "Security council",
            "--lang",
            "en",
            "--summary",
            "S.",
        ],
    );
    assert_eq!(
        out.stdout.trim(),
        "cis-2030/2024-11-07-lebedev-security-council"
    );
    let out = dossier(&env, &dir, &["show", "2024-11-07-lebedev-securty-council"]);
    assert_refused(
        &out,
        &[
            "there is no statement",
            "did you mean",
            "cis-2030/2024-11-07-lebedev-security-council",
        ],
    );
    assert_eq!(out.code, 2, "{out}");
}

#[test]
fn show_escapes_control_characters_and_json_keeps_them() {
    let env = Env::new();
    let dir = env.store("s");
    let text = env.path("text.txt");
    std::fs::write(&text, "Before \u{202E}reversed\u{202C} after \u{7} bell.\n").unwrap();
    let out = record(
        &env,
        &dir,
        &[
            "--date",
            "2024-11-07",
            "--lang",
            "en",
            "--summary",
            "Odd \u{202E} summary",
            "--text-file",
            text.to_str().unwrap(),
        ],
    );
    out.ok();
    let reference = out.stdout.trim();
    let shown = dossier(&env, &dir, &["show", reference]);
    shown.ok();
    assert!(
        shown
            .stdout
            .contains("Before <U+202E>reversed<U+202C> after <U+0007> bell."),
        "{shown}"
    );
    assert!(shown.stdout.contains("Odd <U+202E> summary"), "{shown}");
    assert!(
        !shown.stdout.contains('\u{202E}') && !shown.stdout.contains('\u{7}'),
        "a raw control character reached the terminal"
    );
    let st = show_json(&env, &dir, reference);
    assert_eq!(
        st["text"],
        "Before \u{202E}reversed\u{202C} after \u{7} bell.\n"
    );
    assert_eq!(st["summary"], "Odd \u{202E} summary");
}

#[test]
fn log_lists_statements_in_date_order() {
    let env = Env::new();
    let dir = env.store("s");
    // Recorded out of order; `2024-12` (month only) sorts before `2024-12-05`.
    for date in ["2025-09-24", "2024-12-05", "2024-11-07", "2024-12"] {
        record(
            &env,
            &dir,
            &[
                "--date",
                date,
                "--speaker",
                "Sergei Lebedev",
                "--lang",
                "en",
                "--summary",
                "S.",
            ],
        )
        .ok();
    }
    let dates = ["2024-11-07", "2024-12", "2024-12-05", "2025-09-24"];
    let table = dossier(&env, &dir, &["log"]);
    table.ok();
    let positions: Vec<usize> = dates
        .iter()
        .map(|d| {
            table
                .stdout
                .find(&format!(" {d} "))
                .unwrap_or_else(|| panic!("{d} missing\n{table}"))
        })
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "not in date order\n{table}"
    );
    let list = dossier(&env, &dir, &["log", "--format", "json"])
        .ok()
        .json();
    let list = list.as_array().expect("a JSON array");
    let got: Vec<&str> = list.iter().map(|s| s["date"].as_str().unwrap()).collect();
    assert_eq!(got, dates);
    for field in ["id", "initiative", "date", "speaker", "language", "summary"] {
        assert!(
            list[0].get(field).is_some(),
            "log --format json lacks `{field}`: {}",
            list[0]
        );
    }
    assert_eq!(list[0]["speaker"]["name"], "Sergei Lebedev");
}

#[test]
fn log_filters_by_initiative_and_suggests_a_close_one() {
    let env = Env::new();
    let dir = env.store("s");
    dossier(
        &env,
        &dir,
        &[
            "initiative",
            "add",
            "csto-2030",
            "--title",
            "CSTO collective security strategy",
        ],
    )
    .ok();
    env.record(&dir, "2024-11-07", "Sergei Lebedev", &[]);
    record(
        &env,
        &dir,
        &[
            "--date",
            "2024-12-01",
            "--lang",
            "en",
            "--summary",
            "Another.",
        ],
    )
    .ok();
    run(env.dossier_in(&dir).args([
        "record",
        "csto-2030",
        "--date",
        "2024-11-20",
        "--lang",
        "en",
        "--summary",
        "CSTO.",
    ]))
    .ok();

    let all = dossier(&env, &dir, &["log", "--format", "json"])
        .ok()
        .json();
    assert_eq!(all.as_array().unwrap().len(), 3);
    let cis = dossier(&env, &dir, &["log", "cis-2030", "--format", "json"])
        .ok()
        .json();
    let inis: Vec<&str> = cis
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["initiative"].as_str().unwrap())
        .collect();
    assert_eq!(inis, ["cis-2030", "cis-2030"]);
    let csto = dossier(&env, &dir, &["log", "csto-2030"]);
    assert!(
        csto.ok().stdout.contains("2024-11-20") && !csto.stdout.contains("2024-12-01"),
        "{csto}"
    );

    let out = dossier(&env, &dir, &["log", "cis-2003"]);
    assert_refused(
        &out,
        &[
            "there is no initiative `cis-2003`",
            "did you mean `cis-2030`",
        ],
    );
}

#[test]
fn history_lists_commit_author_date_and_message() {
    let env = Env::new();
    let dir = env.store("s");
    let reference = env.record(&dir, "2024-11-07", "Sergei Lebedev", &[]);
    let id = reference.split('/').nth(1).unwrap();
    let commit = env.git(&dir, &["rev-parse", "HEAD"]).trim().to_string();
    let table = run(env
        .dossier_in(&dir)
        .args(["history", &reference])
        .env("COLUMNS", "300"));
    table.ok();
    for want in [
        &commit[..10],
        "Ada Analyst",
        "<ada@example.org>",
        "2026-01-02 03:04 +0000",
        &format!("record {reference}"),
        &format!("cis-2030/statements/{id}.yaml"),
    ] {
        assert!(
            table.stdout.contains(want),
            "history lacks {want:?}\n{table}"
        );
    }
    let json = dossier(&env, &dir, &["history", id, "--format", "json"])
        .ok()
        .json();
    let revs = json.as_array().unwrap();
    assert_eq!(revs.len(), 1, "{json}");
    assert_eq!(revs[0]["commit"], commit);
    assert_eq!(revs[0]["author"], "Ada Analyst");
    assert_eq!(revs[0]["email"], "ada@example.org");
    assert_eq!(
        revs[0]["time"], 1767323045,
        "GIT_AUTHOR_DATE 2026-01-02T03:04:05Z"
    );
    assert_eq!(revs[0]["message"], format!("record {reference}"));
}

#[test]
fn history_follows_a_rename() {
    let env = Env::new();
    let dir = env.store("s");
    let text = env.path("text.txt");
    std::fs::write(
        &text,
        "The concept of military cooperation until 2030 sets clear priorities.\n\
         It names a joint air defence system, the training of officers,\n\
         common standards for equipment and regular joint exercises.\n",
    )
    .unwrap();
    let out = record(
        &env,
        &dir,
        &[
            "--id",
            "2024-11-07-old-name",
            "--date",
            "2024-11-07",
            "--lang",
            "en",
            "--text-file",
            text.to_str().unwrap(),
        ],
    );
    out.ok();
    let editor = venue_editor(&env, "Moscow");
    run(env
        .dossier_in(&dir)
        .args(["edit", "2024-11-07-old-name", "-m", "add the venue"])
        .env("EDITOR", &editor))
    .ok();

    let old = "cis-2030/statements/2024-11-07-old-name.yaml";
    let new = "cis-2030/statements/2024-11-07-new-name.yaml";
    env.git(&dir, &["mv", old, new]);
    let body = std::fs::read_to_string(dir.join(new)).unwrap();
    let body = body.replace("2024-11-07-old-name", "2024-11-07-new-name");
    std::fs::write(dir.join(new), body).unwrap();
    env.git(&dir, &["commit", "-q", "-a", "-m", "rename the statement"]);
    dossier(&env, &dir, &["check"]).ok();

    let json = dossier(
        &env,
        &dir,
        &[
            "history",
            "cis-2030/2024-11-07-new-name",
            "--format",
            "json",
        ],
    )
    .ok()
    .json();
    let got: Vec<(&str, &str)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["message"].as_str().unwrap(), r["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            ("rename the statement", new),
            ("add the venue", old),
            ("record cis-2030/2024-11-07-old-name", old),
        ]
    );
    let table = run(env
        .dossier_in(&dir)
        .args(["history", "2024-11-07-new-name"])
        .env("COLUMNS", "300"));
    assert!(
        table.ok().stdout.contains(old),
        "the path column does not show the old path\n{table}"
    );
}

// ---------------------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------------------

#[test]
fn check_passes_on_a_fresh_store() {
    let env = Env::new();
    let dir = env.store("s");
    let out = dossier(&env, &dir, &["check"]);
    out.ok();
    assert!(out.stdout.contains("no problems"), "{out}");
    env.record(&dir, "2024-11-07", "Sergei Lebedev", &["Air defence"]);
    let report = dossier(&env, &dir, &["check", "--format", "json"])
        .ok()
        .json();
    assert_eq!(report["records"], 2);
    assert_eq!(report["problems"], serde_json::json!([]));
}

#[test]
fn check_passes_on_the_bundled_store() {
    let tracked = project_root().join("tracked");
    if !tracked.join("dossier.yaml").is_file() {
        eprintln!(
            "skipped: there is no bundled store at {} yet",
            tracked.display()
        );
        return;
    }
    let env = Env::new();
    let out = run(env
        .dossier()
        .args(["--store", tracked.to_str().unwrap(), "check"]));
    assert_eq!(out.code, 0, "the bundled store has problems\n{out}");
}

/// A store with one good record and every invalid fixture (plus a non-UTF-8 file) in its
/// statements folder, and the source document the sha256 fixture points at.
fn damaged_store(env: &Env) -> PathBuf {
    let dir = env.store("s");
    env.record(&dir, "2024-11-07", "Sergei Lebedev", &["Air defence"]);
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    std::fs::write(dir.join("sources/doc.txt"), "doc\n").unwrap();
    let statements = dir.join("cis-2030/statements");
    for f in invalid_fixtures() {
        std::fs::copy(&f.path, statements.join(&f.name)).unwrap();
    }
    std::fs::write(statements.join("2025-02-01-latin.yaml"), NOT_UTF8).unwrap();
    env.git(&dir, &["add", "-A"]);
    env.git(&dir, &["commit", "-q", "-m", "damage"]);
    dir
}

#[test]
fn check_reports_every_problem_of_a_damaged_store_with_its_place() {
    let env = Env::new();
    let dir = damaged_store(&env);
    let before = snapshot(&env, &dir);
    let fixtures = invalid_fixtures();

    let report = dossier(&env, &dir, &["check", "--format", "json"]);
    assert_eq!(report.code, 1, "{report}");
    let json = report.json();
    assert_eq!(
        json["records"],
        fixtures.len() + 3,
        "1 initiative, 1 good record, the fixtures and the latin-1 file"
    );
    let problems = json["problems"].as_array().expect("a problems array");
    let mut claimed = vec![false; problems.len()];
    let mut expected = 0;
    for f in &fixtures {
        for e in &f.expects {
            expected += 1;
            let location = format!("cis-2030/statements/{}:{}", f.name, e.line_col);
            let found = problems.iter().enumerate().position(|(i, p)| {
                !claimed[i]
                    && p["location"] == location.as_str()
                    && p["field"] == e.field.as_str()
                    && p["message"].as_str().unwrap().contains(&e.message)
                    && e.hint
                        .as_ref()
                        .is_none_or(|h| p["hint"].as_str().is_some_and(|ph| ph.contains(h)))
            });
            match found {
                Some(i) => claimed[i] = true,
                None => panic!(
                    "check did not report {location} `{}`: {} (hint {:?})\n{report}",
                    e.field, e.message, e.hint
                ),
            }
        }
    }
    let latin = problems
        .iter()
        .position(|p| p["location"] == "cis-2030/statements/2025-02-01-latin.yaml:5:13")
        .unwrap_or_else(|| panic!("the non-UTF-8 file is not reported at 5:13\n{report}"));
    assert!(problems[latin]["message"]
        .as_str()
        .unwrap()
        .contains("UTF-8"));
    claimed[latin] = true;
    let unexpected: Vec<&Value> = problems
        .iter()
        .zip(&claimed)
        .filter(|(_, c)| !**c)
        .map(|(p, _)| p)
        .collect();
    assert!(
        unexpected.is_empty(),
        "problems no fixture declares: {unexpected:#?}"
    );
    assert_eq!(problems.len(), expected + 1);

    // The table says the same, one row per problem with file:line:column.
    let table = run(env.dossier_in(&dir).arg("check").env("COLUMNS", "400"));
    assert_eq!(table.code, 1, "{table}");
    for f in &fixtures {
        for e in &f.expects {
            let location = format!("cis-2030/statements/{}:{}", f.name, e.line_col);
            assert!(
                table.stdout.contains(&location),
                "the table lacks {location}\n{table}"
            );
            assert!(
                table.stdout.contains(&e.message),
                "the table lacks {:?}\n{table}",
                e.message
            );
        }
    }
    assert!(table.stdout.contains("did you mean `speaker`?"), "{table}");
    assert!(
        table.stdout.contains(&format!("{} problems", expected + 1)),
        "{table}"
    );
    assert_unchanged(&env, &dir, &before, "check");
}

// ---------------------------------------------------------------------------------------
// Bad input: a clear error, and nothing changes
// ---------------------------------------------------------------------------------------

#[test]
fn record_from_refuses_invalid_files_naming_file_line_and_column() {
    let env = Env::new();
    let dir = env.store("s");
    let mut tried = 0;
    for f in invalid_fixtures().into_iter().filter(|f| f.from_refused) {
        let before = snapshot(&env, &dir);
        let file = f.path.to_str().unwrap();
        let out = record(&env, &dir, &["--from", file]);
        let first = &f.expects[0];
        let place = format!("{file}:{}", first.line_col);
        let mut needles = vec![place.as_str(), first.message.as_str(), "Hint:"];
        if let Some(h) = &first.hint {
            needles.push(h);
        }
        assert_refused(&out, &needles);
        assert_unchanged(&env, &dir, &before, &f.name);
        tried += 1;
    }
    assert!(
        tried >= 5,
        "malformed, wrong type, unknown field, missing field, language: no"
    );
}

#[test]
fn unquoted_no_as_language_says_to_quote_it() {
    let env = Env::new();
    let dir = env.store("s");
    let before = snapshot(&env, &dir);
    let f = invalid_fixture("2024-11-07-language-no.yaml");
    let out = record(&env, &dir, &["--from", f.path.to_str().unwrap()]);
    assert_refused(&out, &["`language`", "boolean", "quote it: \"no\""]);
    assert_unchanged(&env, &dir, &before, "language: no");
    // Quoted, it is Norwegian.
    let quoted = env.path("quoted.yaml");
    let text = std::fs::read_to_string(&f.path)
        .unwrap()
        .replace("language: no", "language: \"no\"");
    std::fs::write(&quoted, text).unwrap();
    record(&env, &dir, &["--from", quoted.to_str().unwrap()]).ok();
    assert_eq!(
        show_json(&env, &dir, "2024-11-07-language-no")["language"],
        "no"
    );
}

#[test]
fn record_from_refuses_records_that_break_store_rules() {
    let env = Env::new();
    let dir = env.store("s");
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    std::fs::write(dir.join("sources/doc.txt"), "doc\n").unwrap();
    for (name, needles) in [
        (
            "2024-13-01-invalid-date.yaml",
            &["`2024-13-01` is not a date"][..],
        ),
        (
            "2024-11-07-bad-id.yaml",
            &["`B` is not allowed in an id"][..],
        ),
        (
            "2024-11-07-quote-not-found.yaml",
            &["`quotes[2]`", "not found"][..],
        ),
        (
            "2024-11-07-sha-mismatch.yaml",
            &["`source.sha256`", "30a4ab97"][..],
        ),
        (
            "2024-11-07-unknown-initiative.yaml",
            &["`cis-2031`", "not `cis-2030`"][..],
        ),
    ] {
        let before = snapshot(&env, &dir);
        let f = invalid_fixture(name);
        let out = record(&env, &dir, &["--from", f.path.to_str().unwrap()]);
        assert_refused(&out, needles);
        assert_unchanged(&env, &dir, &before, name);
    }
}

#[test]
fn record_from_locates_store_rule_problems_in_the_given_file() {
    let env = Env::new();
    let dir = env.store("s");
    for name in [
        "2024-13-01-invalid-date.yaml",
        "2024-11-07-bad-id.yaml",
        "2024-11-07-quote-not-found.yaml",
    ] {
        let f = invalid_fixture(name);
        let file = f.path.to_str().unwrap();
        let out = record(&env, &dir, &["--from", file]);
        assert_refused(&out, &[&format!("{file}:{}", f.expects[0].line_col)]);
    }
}

#[test]
fn wrong_type_errors_give_a_hint() {
    let env = Env::new();
    let dir = env.store("s");
    let f = invalid_fixture("2024-11-07-wrong-type-speaker.yaml");
    let file = f.path.to_str().unwrap();
    let out = record(&env, &dir, &["--from", file]);
    assert_refused(
        &out,
        &[&format!("{file}:6:10"), "expected a mapping", "Hint:"],
    );
}

#[test]
fn an_invalid_date_flag_is_refused() {
    let env = Env::new();
    let dir = env.store("s");
    let before = snapshot(&env, &dir);
    let out = record(
        &env,
        &dir,
        &["--date", "2024-13-01", "--lang", "en", "--summary", "S."],
    );
    assert_refused(&out, &["`2024-13-01` is not a date", "YYYY-MM-DD"]);
    assert_eq!(out.code, 1, "a validation failure exits 1\n{out}");
    assert_unchanged(&env, &dir, &before, "--date 2024-13-01");
}

#[test]
fn bad_ids_are_refused() {
    let env = Env::new();
    let dir = env.store("s");
    let long = format!("2024-11-07-{}", "a".repeat(70));
    assert_eq!(long.len(), 81);
    for (id, why) in [
        ("2024-11-07-a/b", "`/` is not allowed"),
        ("2024-11-07-../../../escaped", "`.` is not allowed"),
        ("../2024-11-07-up", "`.` is not allowed"),
        ("2024-11-07-a\\b", "`\\` is not allowed"),
        ("2024-11-07-Upper", "`U` is not allowed"),
        ("2024-11-07-two words", "is not allowed"),
        (long.as_str(), "at most 80 characters"),
    ] {
        let before = snapshot(&env, &dir);
        let out = record(
            &env,
            &dir,
            &[
                "--id",
                id,
                "--date",
                "2024-11-07",
                "--lang",
                "en",
                "--summary",
                "S.",
            ],
        );
        assert_refused(&out, &["`id`", why]);
        assert_unchanged(&env, &dir, &before, id);
    }
    let ok = "2024-11-07-".to_string() + &"a".repeat(69);
    record(
        &env,
        &dir,
        &[
            "--id",
            &ok,
            "--date",
            "2024-11-07",
            "--lang",
            "en",
            "--summary",
            "S.",
        ],
    )
    .ok();
}

#[test]
fn an_existing_statement_is_never_overwritten() {
    let env = Env::new();
    let dir = env.store("s");
    let reference = env.record(&dir, "2024-11-07", "Sergei Lebedev", &["Air defence"]);
    let id = reference.split('/').nth(1).unwrap();
    let file = dir.join(format!("cis-2030/statements/{id}.yaml"));
    let content = std::fs::read(&file).unwrap();
    let before = snapshot(&env, &dir);
    let out = record(
        &env,
        &dir,
        &[
            "--id",
            id,
            "--date",
            "2024-11-07",
            "--lang",
            "ru",
            "--summary",
            "Different.",
        ],
    );
    assert_refused(&out, &["exists already", "dossier edit"]);
    assert_eq!(std::fs::read(&file).unwrap(), content);
    // Through --from too.
    let from = env.path("again.yaml");
    std::fs::write(
        &from,
        format!(
            "id: {id}\ninitiative: cis-2030\ndate: \"2024-11-07\"\nlanguage: en\nsummary: Again.\n"
        ),
    )
    .unwrap();
    let out = record(&env, &dir, &["--from", from.to_str().unwrap()]);
    assert_refused(&out, &["exists already"]);
    assert_eq!(std::fs::read(&file).unwrap(), content);
    let _ = std::fs::remove_file(&from);
    assert_unchanged(&env, &dir, &before, "existing id");
}

#[test]
fn a_record_file_that_is_not_utf8_is_refused() {
    let env = Env::new();
    let dir = env.store("s");
    let file = env.path("latin.yaml");
    std::fs::write(&file, NOT_UTF8).unwrap();
    let before = snapshot(&env, &dir);
    let out = record(&env, &dir, &["--from", file.to_str().unwrap()]);
    assert_refused(&out, &["latin.yaml", "UTF-8", "Hint:"]);
    assert_unchanged(&env, &dir, &before, "not UTF-8");
}

#[test]
fn a_record_file_that_is_not_utf8_is_located() {
    let env = Env::new();
    let dir = env.store("s");
    let file = env.path("latin.yaml");
    std::fs::write(&file, NOT_UTF8).unwrap();
    let out = record(&env, &dir, &["--from", file.to_str().unwrap()]);
    assert_refused(&out, &[&format!("{}:5:13", file.display())]);
}

#[test]
fn a_missing_text_file_is_refused() {
    let env = Env::new();
    let dir = env.store("s");
    let before = snapshot(&env, &dir);
    let missing = env.path("no-such-text.txt");
    let out = record(
        &env,
        &dir,
        &[
            "--date",
            "2024-11-07",
            "--lang",
            "en",
            "--text-file",
            missing.to_str().unwrap(),
        ],
    );
    assert_refused(&out, &["no-such-text.txt", "Hint: check the path"]);
    assert_unchanged(&env, &dir, &before, "missing --text-file");
}

#[test]
fn empty_standard_input_is_refused() {
    let env = Env::new();
    let dir = env.store("s");
    let before = snapshot(&env, &dir);
    let out = run(env
        .dossier_in(&dir)
        .args([
            "record",
            "cis-2030",
            "--date",
            "2024-11-07",
            "--lang",
            "en",
            "--text-file",
            "-",
        ])
        .write_stdin(""));
    assert_refused(&out, &["standard input was empty", "Hint:"]);
    assert_unchanged(&env, &dir, &before, "empty stdin");
}

#[test]
fn an_unknown_initiative_is_refused_with_a_suggestion() {
    let env = Env::new();
    let dir = env.store("s");
    let before = snapshot(&env, &dir);
    let out = run(env.dossier_in(&dir).args([
        "record",
        "cis-2031",
        "--date",
        "2024-11-07",
        "--lang",
        "en",
        "--summary",
        "S.",
    ]));
    assert_refused(
        &out,
        &[
            "there is no initiative `cis-2031`",
            "did you mean `cis-2030`",
        ],
    );
    assert_unchanged(&env, &dir, &before, "unknown initiative");
}

// ---------------------------------------------------------------------------------------
// Exit codes and the repository's state
// ---------------------------------------------------------------------------------------

#[test]
fn exit_codes_are_0_ok_1_invalid_2_error() {
    let env = Env::new();
    let dir = env.store("s");
    let reference = env.record(&dir, "2024-11-07", "Sergei Lebedev", &[]);
    assert_eq!(dossier(&env, &dir, &["show", &reference]).code, 0);
    assert_eq!(dossier(&env, &dir, &["check"]).code, 0);
    let unknown = dossier(&env, &dir, &["show", "cis-2030/2030-01-01-nobody"]);
    assert_eq!(unknown.code, 2, "{unknown}");
    std::fs::copy(
        fixtures().join("invalid/2024-13-01-invalid-date.yaml"),
        dir.join("cis-2030/statements/2024-13-01-invalid-date.yaml"),
    )
    .unwrap();
    let check = dossier(&env, &dir, &["check"]);
    assert_eq!(check.code, 1, "{check}");
    let nowhere = dossier(&env, env.dir.path(), &["log"]);
    assert_eq!(nowhere.code, 2, "{nowhere}");
    assert!(
        nowhere.stderr.contains("no dossier store here"),
        "{nowhere}"
    );
}

#[test]
fn a_detached_head_is_refused() {
    let env = Env::new();
    let dir = env.store("s");
    env.git(&dir, &["checkout", "-q", "--detach"]);
    let before = snapshot(&env, &dir);
    let out = record(
        &env,
        &dir,
        &["--date", "2024-11-07", "--lang", "en", "--summary", "S."],
    );
    assert_refused(&out, &["HEAD is detached", "git switch"]);
    assert_unchanged(&env, &dir, &before, "detached HEAD");
}

#[test]
fn a_git_lock_file_is_refused_and_left_alone() {
    let env = Env::new();
    let dir = env.store("s");
    let lock = dir.join(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    let before = snapshot(&env, &dir);
    let out = record(
        &env,
        &dir,
        &["--date", "2024-11-07", "--lang", "en", "--summary", "S."],
    );
    assert_refused(&out, &["index.lock", "Hint:"]);
    assert!(lock.exists(), "dossier removed the lock file");
    assert_unchanged(&env, &dir, &before, "index.lock");
}

#[test]
fn a_store_outside_a_git_work_tree_is_refused() {
    let env = Env::new();
    let dir = env.store("s");
    let plain = env.path("plain");
    std::fs::create_dir_all(&plain).unwrap();
    std::fs::copy(dir.join("dossier.yaml"), plain.join("dossier.yaml")).unwrap();
    let out = dossier(&env, &plain, &["log"]);
    assert_refused(&out, &["not in a git work tree", "git init"]);
    let out = run(env.dossier_in(&plain).args([
        "record",
        "cis-2030",
        "--date",
        "2024-11-07",
        "--lang",
        "en",
        "--summary",
        "S.",
    ]));
    assert_refused(&out, &["not in a git work tree"]);
    assert!(!plain.join(".git").exists());
    let names: Vec<_> = std::fs::read_dir(&plain)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(names, ["dossier.yaml"]);
}

#[test]
fn a_missing_git_identity_is_refused() {
    let env = Env::new();
    let dir = env.store("s");
    std::fs::write(env.home.join(".gitconfig"), "").unwrap();
    let before = snapshot(&env, &dir);
    let out = record(
        &env,
        &dir,
        &["--date", "2024-11-07", "--lang", "en", "--summary", "S."],
    );
    assert_refused(&out, &["git config", "user.name", "user.email"]);
    assert_unchanged(&env, &dir, &before, "no git identity");
}

// ---------------------------------------------------------------------------------------
// PyYAML reads what dossier reads
// ---------------------------------------------------------------------------------------

#[test]
fn pyyaml_reads_every_record_as_dossier_does() {
    require_pyyaml();
    let env = Env::new();
    let dir = env.store("s");
    let form_feed = env.path("ff.txt");
    std::fs::write(
        &form_feed,
        "Page one, 2024-11-07.\n\u{c}\nPage two\n  indented line\n",
    )
    .unwrap();
    let leading = env.path("leading.txt");
    std::fs::write(
        &leading,
        "  A first line that starts with spaces.\nno\n2024-11-07\n",
    )
    .unwrap();
    let odd = env.path("odd.txt");
    std::fs::write(&odd, "tab\there and a trailing space \nnull\n").unwrap();
    let cases: &[&[&str]] = &[
        &[
            "--date",
            "2024-11-07",
            "--lang",
            "no",
            "--speaker",
            "Yes",
            "--venue",
            "null",
            "--text-file",
            form_feed.to_str().unwrap(),
            "--summary",
            "2024-11-07",
            "--priority",
            "yes",
            "--priority",
            "on",
            "--priority",
            "1e3",
            "--priority=- dash",
            "--principle",
            "~",
            "--tag",
            "true",
            "--notes",
            "#hash: not a comment",
        ],
        &[
            "--date",
            "2024-12",
            "--lang",
            "ru",
            "--text-file",
            leading.to_str().unwrap(),
            "--translation",
            &format!("en={}", odd.display()),
            "--summary",
            "key: value",
            "--outlet",
            "NO",
            "--published",
            "2024-12-01",
            "--url",
            "https://example.org/a?b=c#d",
        ],
        &[
            "--date",
            "2025",
            "--lang",
            "en",
            "--summary",
            "0x1F",
            "--priority",
            "'quoted'",
            "--priority",
            "\"double\"",
        ],
    ];
    for args in cases {
        record(&env, &dir, args).ok();
    }
    let st = show_json(&env, &dir, "2024-11-07-yes-null");
    assert_eq!(st["language"], "no");
    assert_eq!(st["priorities"][0]["text"], "yes");
    assert_eq!(
        st["text"],
        "Page one, 2024-11-07.\n\u{c}\nPage two\n  indented line\n"
    );
    // The form feed text stays line-diffable: not one enormous line.
    let yaml =
        std::fs::read_to_string(dir.join("cis-2030/statements/2024-11-07-yes-null.yaml")).unwrap();
    assert!(
        yaml.lines().filter(|l| l.contains("Page")).count() == 2,
        "the text is on one line:\n{yaml}"
    );
    assert_eq!(
        assert_pyyaml_agrees(&env, &dir, false),
        4,
        "1 initiative and 3 statements"
    );
}

#[test]
fn pyyaml_reads_every_bundled_record_as_dossier_does() {
    let tracked = project_root().join("tracked");
    if !tracked.join("dossier.yaml").is_file() {
        eprintln!(
            "skipped: there is no bundled store at {} yet",
            tracked.display()
        );
        return;
    }
    require_pyyaml();
    let env = Env::new();
    let n = assert_pyyaml_agrees(&env, &tracked, true);
    assert!(n > 0, "the bundled store holds no records");
}

#[cfg(unix)]
#[test]
fn records_are_written_readable_like_checked_out_files() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let store = env.store("s");
    let r = env.record(&store, "2024-01-01", "Ada", &[]);
    let file = store.join(format!(
        "cis-2030/statements/{}.yaml",
        r.rsplit('/').next().unwrap()
    ));
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "{:o}", mode);
}

#[test]
fn a_text_too_large_for_a_record_is_refused_before_anything_is_written() {
    let env = Env::new();
    let store = env.store("s");
    let head = env.git(&store, &["rev-parse", "HEAD"]);
    let big = env.path("big.txt");
    std::fs::write(&big, "word ".repeat(1_000_000)).unwrap();
    let out = dossier(
        &env,
        &store,
        &[
            "record",
            "cis-2030",
            "--date",
            "2024-01-01",
            "--lang",
            "en",
            "--text-file",
            big.to_str().unwrap(),
        ],
    );
    out.refused_with(&["4 MiB", "--source-document"]);
    assert_eq!(out.code, 1, "{out}");
    assert_eq!(env.git(&store, &["rev-parse", "HEAD"]), head);
    assert_eq!(env.git_status(&store), "");
}
