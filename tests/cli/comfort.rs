//! Everyday comfort, end to end: `status` (and `dossier` alone) in each state of the store
//! and its remote, `export` read back by Python's csv and json modules, shell completions
//! and the man page, the pager and how it is chosen, `config`, and the suggestions that
//! follow a mistake.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::{dossier, run, Env};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// A store with two statements; returns the store and the two refs.
fn store_with_two(env: &Env) -> (PathBuf, String, String) {
    let s = env.store("s");
    let a = env.record(&s, "2024-11-07", "Sergei Lebedev", &["Air defence"]);
    let b = env.record(&s, "2025-09-24", "Ali Dashkin", &["Funds"]);
    (s, a, b)
}

/// The store's `status --format json`.
fn status_json(env: &Env, store: &Path) -> Value {
    dossier(env, store, &["status", "--format", "json"])
        .ok()
        .json()
}

/// A bare repository at `name` that `store` pushes to as `origin`.
fn bare_remote(env: &Env, store: &Path, name: &str) -> PathBuf {
    let remote = env.path(name);
    env.git(env.dir.path(), &["init", "--bare", "-b", "main", name]);
    env.git(
        store,
        &["remote", "add", "origin", remote.to_str().unwrap()],
    );
    env.git(store, &["push", "-u", "origin", "main"]);
    remote
}

/// An executable shell script in the test's folder (the shebang added).
fn script(env: &Env, name: &str, body: &str) -> PathBuf {
    crate::common::script(env, name, &format!("#!/bin/sh\n{body}\n"))
}

/// A fake pager that records what it was given in `file`.
fn recording_pager(env: &Env, name: &str) -> (PathBuf, PathBuf) {
    let file = env.path(&format!("{name}.seen"));
    let pager = script(env, name, &format!("cat > '{}'", file.display()));
    (pager, file)
}

/// Runs `python3 -c CODE ARGS...` outside the hermetic environment (python may need the
/// real HOME); returns stdout, failing the test on any error.
fn python(code: &str, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(code)
        .args(args)
        .output()
        .expect("python3 is needed for this test (CI has it)");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn has(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

// ---------------------------------------------------------------------------------------
// status
// ---------------------------------------------------------------------------------------

#[test]
fn status_of_a_clean_store_without_remote() {
    let env = Env::new();
    let (s, _, _) = store_with_two(&env);
    let out = dossier(&env, &s, &["status"]);
    out.ok();
    assert!(out.stdout.contains("1 initiative, 2 statements"), "{out}");
    assert!(
        out.stdout.contains("nothing: every record is committed"),
        "{out}"
    );
    assert!(out.stdout.contains("no remote"), "{out}");
    assert!(out.stdout.contains("passes (3 records checked)"), "{out}");
    assert!(out.stdout.contains("on branch main"), "{out}");
    let j = status_json(&env, &s);
    assert_eq!(j["statements"], 2);
    assert_eq!(j["initiatives"], 1);
    assert_eq!(j["uncommitted"], Value::Array(vec![]));
    assert_eq!(j["remote"], Value::Null);
    assert_eq!(j["check"]["result"], "passes");
}

#[test]
fn status_lists_an_uncommitted_change_to_a_record() {
    let env = Env::new();
    let (s, a, b) = store_with_two(&env);
    let file = s.join(format!(
        "cis-2030/statements/{}.yaml",
        a.split('/').nth(1).unwrap()
    ));
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("notes: checked against the transcript\n");
    std::fs::write(&file, text).unwrap();
    let out = dossier(&env, &s, &["status"]);
    out.ok();
    assert!(
        out.stdout.contains("1 file changed but not committed"),
        "{out}"
    );
    assert!(out.stdout.contains(&format!("modified   {a}")), "{out}");
    assert!(out.stdout.contains("passes"), "{out}");
    let j = status_json(&env, &s);
    assert_eq!(j["uncommitted"][0]["ref"], a.as_str());
    assert_eq!(j["uncommitted"][0]["state"], "modified");
    assert_eq!(j["uncommitted"][0]["staged"], false);

    // A broken record: check fails, and status says so (and still exits 0).
    let other = s.join(format!(
        "cis-2030/statements/{}.yaml",
        b.split('/').nth(1).unwrap()
    ));
    std::fs::write(&other, "id: [unclosed\n").unwrap();
    let out = dossier(&env, &s, &["status"]);
    out.ok();
    assert!(out.stdout.contains("fails: "), "{out}");
    assert!(out.stdout.contains("run `dossier check`"), "{out}");
    let j = status_json(&env, &s);
    assert_eq!(j["check"]["result"], "fails");
    assert_eq!(j["uncommitted"].as_array().unwrap().len(), 2, "{j}");
}

#[test]
fn status_counts_commits_to_push_to_a_bare_remote() {
    let env = Env::new();
    let (s, _, _) = store_with_two(&env);
    bare_remote(&env, &s, "remote.git");
    let j = status_json(&env, &s);
    assert_eq!(j["remote"]["tracking_ref"], "origin/main");
    assert_eq!(j["remote"]["ahead"], 0);
    assert_eq!(j["remote"]["behind"], 0);
    let out = dossier(&env, &s, &["status"]);
    assert!(out.stdout.contains("origin/main: up to date"), "{out}");

    env.record(&s, "2025-10-10", "Council of Heads of State", &["Concept"]);
    let j = status_json(&env, &s);
    assert_eq!(j["remote"]["ahead"], 1, "{j}");
    assert_eq!(j["remote"]["behind"], 0, "{j}");
    let out = dossier(&env, &s, &["status"]);
    assert!(out.stdout.contains("1 commit to push"), "{out}");
    assert!(!out.stdout.contains("to pull"), "{out}");
}

#[test]
fn status_counts_commits_to_pull_as_of_the_last_fetch() {
    let env = Env::new();
    let (s, _, _) = store_with_two(&env);
    let remote = bare_remote(&env, &s, "remote.git");
    env.git(
        env.dir.path(),
        &["clone", remote.to_str().unwrap(), "colleague"],
    );
    let colleague = env.path("colleague");
    env.record(
        &colleague,
        "2025-10-10",
        "Council of Heads of State",
        &["Concept"],
    );
    env.record(&colleague, "2025-10-11", "Expert Group", &["Draft"]);
    env.git(&colleague, &["push", "origin", "main"]);

    // Not fetched yet: status never contacts the remote.
    let j = status_json(&env, &s);
    assert_eq!(j["remote"]["behind"], 0, "{j}");

    env.git(&s, &["fetch", "origin"]);
    let j = status_json(&env, &s);
    assert_eq!(j["remote"]["behind"], 2, "{j}");
    assert_eq!(j["remote"]["ahead"], 0, "{j}");
    let out = dossier(&env, &s, &["status"]);
    assert!(out.stdout.contains("2 commits to pull"), "{out}");
    assert!(out.stdout.contains("as of the last fetch"), "{out}");
    // Records on disk are still this clone's: 2 statements.
    assert!(out.stdout.contains("2 statements"), "{out}");

    // `dossier` alone suggests syncing.
    let bare = dossier(&env, &s, &[]);
    bare.ok();
    assert!(bare.stdout.contains("2 commits to pull"), "{bare}");
    assert!(bare.stdout.contains("Next:"), "{bare}");
    assert!(bare.stdout.contains("dossier sync"), "{bare}");
}

#[test]
fn dossier_alone_shows_status_in_a_store_and_help_outside() {
    let env = Env::new();
    let (s, _, _) = store_with_two(&env);
    let out = dossier(&env, &s, &[]);
    out.ok();
    assert!(out.stdout.contains("1 initiative, 2 statements"), "{out}");
    assert!(out.stdout.contains("Next:"), "{out}");
    assert!(out.stdout.contains("dossier log"), "{out}");
    assert!(
        out.stdout.contains("dossier remote add origin URL"),
        "{out}"
    );

    let outside = env.path("elsewhere");
    std::fs::create_dir_all(&outside).unwrap();
    let out = dossier(&env, &outside, &[]);
    out.ok();
    assert!(out.stdout.contains("Usage: dossier"), "{out}");
    assert!(out.stdout.contains("status"), "{out}");
    assert!(!out.stdout.contains("Next:"), "{out}");
}

// ---------------------------------------------------------------------------------------
// export
// ---------------------------------------------------------------------------------------

const ARABIC: &str = "قال الأمين العام: \"نحن نعمل، معاً\"\nسطر ثانٍ";
const RUSSIAN: &str = "Система ПВО, «единая»; ещё \"кавычки\"";

/// A store with an Arabic statement (quotes, commas, a line break) and a Russian one.
fn multilingual_store(env: &Env) -> (PathBuf, String, String) {
    let s = env.store("s");
    let ar = env.path("ar.yaml");
    std::fs::write(
        &ar,
        format!(
            "id: 2025-09-24-arab-league\ninitiative: cis-2030\ndate: 2025-09-24\nlanguage: ar\n\
             speaker:\n  name: أحمد أبو الغيط\n  role: الأمين العام\ntext: {}\n\
             priorities:\n  - text: الدفاع الجوي\n  - key: training\n    text: \"التدريب، المشترك\"\n\
             tags:\n  - air-defence\n  - arabic\n",
            serde_json::to_string(ARABIC).unwrap()
        ),
    )
    .unwrap();
    dossier(
        env,
        &s,
        &["record", "cis-2030", "--from", ar.to_str().unwrap()],
    )
    .ok();
    let ru = env.path("ru.txt");
    std::fs::write(&ru, RUSSIAN).unwrap();
    let out = dossier(
        env,
        &s,
        &[
            "record",
            "cis-2030",
            "--date",
            "2024-11-07",
            "--speaker",
            "Сергей Лебедев",
            "--lang",
            "ru",
            "--text-file",
            ru.to_str().unwrap(),
            "--summary",
            "Лебедев о ПВО",
            "--priority",
            "Объединённая система ПВО",
            "--principle",
            "Суверенитет",
        ],
    );
    out.ok();
    (
        s,
        "cis-2030/2025-09-24-arab-league".into(),
        out.stdout.trim().to_string(),
    )
}

const READ_CSV: &str = r#"
import csv, json, sys
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    print(json.dumps(list(csv.DictReader(f)), ensure_ascii=False))
"#;

#[test]
fn export_csv_round_trips_arabic_and_russian_through_pythons_csv_module() {
    let env = Env::new();
    let (s, ar, ru) = multilingual_store(&env);
    let file = env.path("out/statements.csv");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    let out = dossier(&env, &s, &["export", "-o", file.to_str().unwrap()]);
    out.ok();
    assert!(out.stdout.is_empty(), "{out}");
    assert!(out.stderr.contains("exported 2 statements"), "{out}");
    // Written atomically: no temporary file left beside it.
    let names: Vec<String> = std::fs::read_dir(file.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["statements.csv".to_string()]);

    let rows: Value = serde_json::from_str(&python(READ_CSV, &[file.to_str().unwrap()])).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    // Date order: the Russian statement (2024) first.
    assert_eq!(rows[0]["ref"], ru.as_str());
    assert_eq!(rows[0]["text"], RUSSIAN);
    assert_eq!(rows[0]["speaker"], "Сергей Лебедев");
    assert_eq!(rows[0]["principles"], "Суверенитет");
    assert_eq!(rows[1]["ref"], ar.as_str());
    assert_eq!(rows[1]["text"], ARABIC);
    assert_eq!(rows[1]["role"], "الأمين العام");
    assert_eq!(rows[1]["priorities"], "الدفاع الجوي\nالتدريب، المشترك");
    assert_eq!(rows[1]["tags"], "air-defence, arabic");
    assert_eq!(rows[1]["kind"], "", "missing values are empty cells");

    // --items: one row per priority and principle.
    let items = env.path("items.csv");
    dossier(
        &env,
        &s,
        &["export", "--items", "-o", items.to_str().unwrap()],
    )
    .ok();
    let rows: Value = serde_json::from_str(&python(READ_CSV, &[items.to_str().unwrap()])).unwrap();
    let rows = rows.as_array().unwrap();
    let keys: Vec<&str> = rows[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["ref", "date", "section", "rank", "key", "text"]);
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(rows[1]["section"], "principle");
    assert_eq!(rows[3]["rank"], "2");
    assert_eq!(rows[3]["key"], "training");
    assert_eq!(rows[3]["text"], "التدريب، المشترك");

    // --bom puts the mark Excel needs before the header.
    let out = dossier(&env, &s, &["export", "--bom"]);
    assert!(out.ok().stdout.starts_with("\u{FEFF}ref,id,"), "{out}");
}

#[test]
fn export_json_and_yaml_keep_text_and_lists() {
    let env = Env::new();
    let (s, ar, _) = multilingual_store(&env);
    let file = env.path("statements.json");
    dossier(
        &env,
        &s,
        &[
            "export",
            "cis-2030",
            "--format",
            "json",
            "-o",
            file.to_str().unwrap(),
        ],
    )
    .ok();
    let read = python(
        "import json,sys; print(json.dumps(json.load(open(sys.argv[1], encoding='utf-8')), ensure_ascii=False))",
        &[file.to_str().unwrap()],
    );
    let rows: Value = serde_json::from_str(&read).unwrap();
    assert_eq!(rows[1]["ref"], ar.as_str());
    assert_eq!(rows[1]["text"], ARABIC);
    assert_eq!(rows[1]["priorities"][1], "التدريب، المشترك");
    assert_eq!(rows[0]["text"], RUSSIAN);
    assert_eq!(rows[0]["kind"], Value::Null);
    assert!(
        rows[0]
            .as_object()
            .unwrap()
            .values()
            .all(|v| !v.is_object()),
        "flat"
    );

    let out = dossier(&env, &s, &["export", "--format", "yaml"]);
    out.ok();
    assert!(out.stdout.starts_with("- ref: "), "{out}");
    let yaml = env.path("statements.yaml");
    std::fs::write(&yaml, &out.stdout).unwrap();
    let read = python(
        "import json,sys,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1], encoding='utf-8')), ensure_ascii=False, default=str))",
        &[yaml.to_str().unwrap()],
    );
    let from_yaml: Value = serde_json::from_str(&read).unwrap();
    assert_eq!(from_yaml, rows, "YAML and JSON exports agree");
}

#[test]
fn export_refuses_an_unknown_initiative_with_a_suggestion() {
    let env = Env::new();
    let (s, _, _) = store_with_two(&env);
    dossier(&env, &s, &["export", "cis-2031"]).refused_with(&["did you mean `cis-2030`"]);
    dossier(&env, &s, &["export", "--format", "json", "--bom"]).refused_with(&["--bom"]);
}

// ---------------------------------------------------------------------------------------
// completions and man
// ---------------------------------------------------------------------------------------

/// The candidates the binary gives bash for `words` (the last one being completed), as
/// the registered script asks for them: `COMPLETE=bash dossier -- WORDS...` with the
/// index of the word under the cursor.
fn candidates(env: &Env, dir: &Path, words: &[&str], extra: &[(&str, &str)]) -> Vec<String> {
    let mut cmd = env.command(dir);
    cmd.env("COMPLETE", "bash")
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .env("_CLAP_IFS", "\n")
        .arg("--")
        .args(words);
    for (k, v) in extra {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "completing {words:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn completions_are_generated_for_each_shell() {
    let env = Env::new();
    for (shell, marker) in [
        (
            "bash",
            "complete -o nospace -o bashdefault -o nosort -F _clap_complete_dossier dossier",
        ),
        ("zsh", "compdef _clap_dynamic_completer_dossier dossier"),
        (
            "fish",
            "complete --keep-order --exclusive --command dossier",
        ),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[dossier]"),
    ] {
        let out = dossier(&env, env.dir.path(), &["completions", shell]);
        out.ok();
        assert!(out.stdout.contains(marker), "{shell}: no {marker:?}\n{out}");
        // The script asks the binary itself, by the variable `main` answers to.
        assert!(out.stdout.contains("COMPLETE"), "{shell}\n{out}");
        // The same as clap_complete's own `COMPLETE=SHELL dossier`.
        let mut cmd = env.command(env.dir.path());
        let direct = cmd.env("COMPLETE", shell).output().unwrap();
        assert!(direct.status.success(), "COMPLETE={shell} dossier failed");
        assert_eq!(
            String::from_utf8_lossy(&direct.stdout),
            out.stdout,
            "{shell}"
        );
    }
    for (shell, syntax_check) in [("bash", "-n"), ("zsh", "-n"), ("fish", "--no-execute")] {
        // CI installs neither zsh nor fish: only bash is required.
        if shell != "bash" && !has(shell) {
            continue;
        }
        let file = env.path(&format!("completion.{shell}"));
        let out = dossier(&env, env.dir.path(), &["completions", shell]);
        std::fs::write(&file, &out.stdout).unwrap();
        let check = Command::new(shell)
            .arg(syntax_check)
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{shell} {syntax_check}: {}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
}

#[test]
fn the_binary_completes_refs_and_initiatives_from_the_store() {
    let env = Env::new();
    let (s, a, b) = store_with_two(&env);
    let bare_a = a.split('/').nth(1).unwrap();
    let bare_b = b.split('/').nth(1).unwrap();
    let none: &[(&str, &str)] = &[];

    // A statement ref by its prefix, and only that one.
    assert_eq!(
        candidates(&env, &s, &["dossier", "show", "cis-2030/2024"], none),
        [a.as_str()]
    );
    // Initiatives only where an initiative goes (flags come after them).
    let log = candidates(&env, &s, &["dossier", "log", ""], none);
    assert_eq!(log[0], "cis-2030", "{log:?}");
    assert!(!log.iter().any(|c| c.contains('/')), "{log:?}");
    assert!(log.contains(&"--format".to_string()), "{log:?}");
    // An option's values are the option's, not refs.
    let formats = candidates(
        &env,
        &s,
        &["dossier", "diff", "cis-2030", "--format", ""],
        none,
    );
    assert!(formats.contains(&"json".to_string()), "{formats:?}");
    assert!(
        !formats.iter().any(|c| c.starts_with("cis-2030")),
        "{formats:?}"
    );
    // After an option and its value, a bare id prefix completes to the bare id.
    assert_eq!(
        candidates(
            &env,
            &s,
            &["dossier", "show", "--format", "json", "2025"],
            none
        ),
        [bare_b.to_string()]
    );
    // diff's first argument: initiatives and statements; cite: several.
    let diff = candidates(&env, &s, &["dossier", "diff", ""], none);
    for want in ["cis-2030", a.as_str(), b.as_str(), bare_a] {
        assert!(diff.contains(&want.to_string()), "{want} in {diff:?}");
    }
    let cite = candidates(&env, &s, &["dossier", "cite", &a, "cis-2030/2025"], none);
    assert_eq!(cite, [b.as_str()]);
    // An option that takes a statement, and a nested command that takes an initiative.
    assert_eq!(
        candidates(
            &env,
            &s,
            &["dossier", "sync", "--resolve", "cis-2030/2025"],
            none
        ),
        [b.as_str()]
    );
    assert_eq!(
        candidates(&env, &s, &["dossier", "initiative", "edit", "cis"], none),
        ["cis-2030"]
    );
    // Commands still complete.
    assert_eq!(candidates(&env, &s, &["dossier", "sta"], none), ["status"]);

    // Outside the store: --store on the line, or $DOSSIER_STORE, says where it is.
    let outside = env.dir.path();
    let store = s.to_str().unwrap();
    assert_eq!(
        candidates(
            &env,
            outside,
            &["dossier", "--store", store, "show", "cis-2030/2024"],
            none
        ),
        [a.as_str()]
    );
    let eq = format!("--store={store}");
    assert_eq!(
        candidates(
            &env,
            outside,
            &["dossier", &eq, "show", "cis-2030/2024"],
            none
        ),
        [a.as_str()]
    );
    assert_eq!(
        candidates(
            &env,
            outside,
            &["dossier", "show", "cis-2030/2024"],
            &[("DOSSIER_STORE", store)]
        ),
        [a.as_str()]
    );
    // No store anywhere: no candidates, and quietly (the helper checks stderr is empty).
    assert!(candidates(&env, outside, &["dossier", "show", "cis"], none).is_empty());
}

#[test]
fn bash_sources_the_script_and_completes_from_the_store() {
    let env = Env::new();
    let (s, a, b) = store_with_two(&env);
    let script_file = env.path("dossier.bash");
    std::fs::write(
        &script_file,
        dossier(&env, &s, &["completions", "bash"])
            .ok()
            .stdout
            .clone(),
    )
    .unwrap();
    let bin_dir = PathBuf::from(assert_cmd::cargo::cargo_bin!("dossier"))
        .parent()
        .unwrap()
        .to_path_buf();
    // What bash's programmable completion does on Tab: COMP_WORDS and COMP_CWORD set,
    // the function `complete -p dossier` names called with the command, the word under
    // the cursor and the one before it.
    let probe = format!(
        r#"source '{}'
fn=$(complete -p dossier | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
t() {{ COMP_WORDS=("$@"); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); COMP_TYPE=9; COMPREPLY=()
      "$fn" dossier "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
      local IFS=' '; echo "$* => ${{COMPREPLY[*]}}"; }}
echo "function: $fn"
t dossier show cis-2030/2024
t dossier log cis
t dossier diff {a} cis-2030/2025
t dossier sta
"#,
        script_file.display()
    );
    let out = Command::new("bash")
        .arg("-c")
        .arg(probe)
        .current_dir(&s)
        .env_clear()
        .env(
            "PATH",
            format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap()),
        )
        .env("HOME", &env.home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = |start: &str| {
        text.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| {
                panic!(
                    "no {start:?} in\n{text}\n{}",
                    String::from_utf8_lossy(&out.stderr)
                )
            })
            .to_string()
    };
    assert_eq!(line("function: "), "function: _clap_complete_dossier");
    assert_eq!(
        line("dossier show cis-2030/2024 "),
        format!("dossier show cis-2030/2024 => {a}")
    );
    assert_eq!(line("dossier log cis "), "dossier log cis => cis-2030");
    assert_eq!(
        line(&format!("dossier diff {a} cis-2030/2025 ")),
        format!("dossier diff {a} cis-2030/2025 => {b}")
    );
    assert_eq!(line("dossier sta "), "dossier sta => status");
}

#[test]
fn man_page_renders() {
    let env = Env::new();
    let out = dossier(&env, env.dir.path(), &["man"]);
    out.ok();
    assert!(
        out.stdout.lines().any(|l| l.starts_with(".TH dossier 1")),
        "{out}"
    );
    let sub = dossier(&env, env.dir.path(), &["man", "diff"]);
    assert!(sub.ok().stdout.contains(".TH dossier-diff 1"), "{sub}");
    assert!(sub.stdout.contains("match\\-threshold"), "{sub}");
    dossier(&env, env.dir.path(), &["man", "dif"]).refused_with(&["dossier man diff"]);
    if has("man") {
        let file = env.path("dossier.1");
        std::fs::write(&file, &out.stdout).unwrap();
        let rendered = Command::new("man")
            .arg("-l")
            .arg(&file)
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .env("MANWIDTH", "100")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&rendered.stdout);
        assert!(
            rendered.status.success(),
            "man -l failed: {}",
            String::from_utf8_lossy(&rendered.stderr)
        );
        assert!(
            text.contains("SYNOPSIS") && text.contains("--no-pager"),
            "{text}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// pager
// ---------------------------------------------------------------------------------------

#[test]
fn the_pager_is_chosen_like_git_chooses_it() {
    let env = Env::new();
    let (s, a, _) = store_with_two(&env);
    let (dossier_pager, dossier_seen) = recording_pager(&env, "dossier-pager");
    let (pager, pager_seen) = recording_pager(&env, "pager");
    let plain = dossier(&env, &s, &["--no-pager", "log"]).stdout;
    assert!(plain.contains("Lebedev"), "{plain}");
    let forced = |args: &[&str], envs: &[(&str, &Path)]| {
        let _ = std::fs::remove_file(&dossier_seen);
        let _ = std::fs::remove_file(&pager_seen);
        let mut cmd = env.dossier_in(&s);
        cmd.env("DOSSIER_PAGER_FORCE", "1").args(args);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        run(&mut cmd)
    };

    // DOSSIER_PAGER wins over PAGER, and gets the whole output.
    let out = forced(
        &["log"],
        &[("DOSSIER_PAGER", &dossier_pager), ("PAGER", &pager)],
    );
    out.ok();
    assert!(out.stdout.is_empty(), "the pager had it\n{out}");
    assert_eq!(std::fs::read_to_string(&dossier_seen).unwrap(), plain);
    assert!(!pager_seen.exists());

    // PAGER alone.
    let out = forced(&["show", &a], &[("PAGER", &pager)]);
    out.ok();
    assert!(std::fs::read_to_string(&pager_seen)
        .unwrap()
        .contains("Lebedev"));

    // --no-pager: straight to stdout.
    let out = forced(&["--no-pager", "log"], &[("DOSSIER_PAGER", &dossier_pager)]);
    assert_eq!(out.ok().stdout, plain);
    assert!(!dossier_seen.exists());

    // Commands that are not long never page.
    let out = forced(&["status"], &[("DOSSIER_PAGER", &dossier_pager)]);
    assert!(out.ok().stdout.contains("statements"));
    assert!(!dossier_seen.exists());

    // git config dossier.pager comes between DOSSIER_PAGER and PAGER.
    env.git(
        &s,
        &[
            "config",
            "--global",
            "dossier.pager",
            dossier_pager.to_str().unwrap(),
        ],
    );
    let out = forced(&["log"], &[("PAGER", &pager)]);
    out.ok();
    assert!(dossier_seen.exists() && !pager_seen.exists(), "{out}");

    // Piped without DOSSIER_PAGER_FORCE: no pager at all.
    let mut cmd = env.dossier_in(&s);
    cmd.env("DOSSIER_PAGER", &dossier_pager).arg("log");
    let _ = std::fs::remove_file(&dossier_seen);
    let out = run(&mut cmd);
    assert_eq!(out.ok().stdout, plain);
    assert!(!dossier_seen.exists());
}

#[test]
fn a_pager_that_cannot_start_leaves_the_output_on_stdout() {
    let env = Env::new();
    let (s, _, _) = store_with_two(&env);
    let out = run(env
        .dossier_in(&s)
        .env("DOSSIER_PAGER_FORCE", "1")
        .env("DOSSIER_PAGER", "no-such-pager-anywhere")
        .arg("log"));
    out.ok();
    assert!(out.stdout.contains("Lebedev"), "{out}");
    assert!(out.stderr.contains("could not use the pager"), "{out}");
}

// ---------------------------------------------------------------------------------------
// config
// ---------------------------------------------------------------------------------------

fn setting<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {list}"))
}

#[test]
fn config_shows_each_setting_and_where_it_came_from() {
    let env = Env::new();
    let s = env.store("s");
    let j = dossier(&env, &s, &["config", "--format", "json"])
        .ok()
        .json();
    assert_eq!(setting(&j, "pager")["value"], "less -FRX");
    assert_eq!(setting(&j, "pager")["origin"]["source"], "default");
    assert_eq!(setting(&j, "default_language")["value"], Value::Null);
    assert_eq!(setting(&j, "store")["origin"]["source"], "found");
    assert_eq!(setting(&j, "color")["value"], "never");
    assert_eq!(setting(&j, "color")["origin"]["variable"], "NO_COLOR");

    // The store file, then personal git config over it.
    let yaml = s.join("dossier.yaml");
    let mut text = std::fs::read_to_string(&yaml).unwrap();
    text.push_str("default_language: ru\nmatch_threshold: 0.7\n");
    std::fs::write(&yaml, text).unwrap();
    let j = dossier(&env, &s, &["config", "--format", "json"])
        .ok()
        .json();
    assert_eq!(setting(&j, "default_language")["value"], "ru");
    assert_eq!(
        setting(&j, "default_language")["origin"]["source"],
        "store_file"
    );
    assert_eq!(setting(&j, "match_threshold")["value"], "0.7");

    env.git(&s, &["config", "--global", "dossier.defaultLanguage", "ar"]);
    env.git(&s, &["config", "--global", "dossier.color", "always"]);
    let out = run(env
        .dossier_in(&s)
        .env("DOSSIER_PAGER", "most")
        .args(["config", "--format", "json"]));
    let j = out.ok().json();
    let lang = setting(&j, "default_language");
    assert_eq!(lang["value"], "ar");
    assert_eq!(lang["origin"]["source"], "git_config");
    assert_eq!(lang["origin"]["scope"], "global");
    assert_eq!(setting(&j, "color")["value"], "always");
    assert_eq!(setting(&j, "pager")["origin"]["variable"], "DOSSIER_PAGER");

    // A local value wins over the global one.
    env.git(&s, &["config", "dossier.defaultLanguage", "en"]);
    let j = dossier(&env, &s, &["config", "--format", "json"])
        .ok()
        .json();
    assert_eq!(setting(&j, "default_language")["value"], "en");
    assert_eq!(setting(&j, "default_language")["origin"]["scope"], "local");

    // record uses it when --lang is not given.
    let out = dossier(
        &env,
        &s,
        &[
            "record",
            "cis-2030",
            "--date",
            "2025-01-01",
            "--speaker",
            "X",
            "--summary",
            "S.",
        ],
    );
    let reference = out.ok().stdout.trim().to_string();
    let shown = dossier(&env, &s, &["show", &reference, "--format", "json"])
        .ok()
        .json();
    assert_eq!(shown["language"], "en");

    // The table names the source in words.
    let table = dossier(&env, &s, &["config"]).ok().stdout.clone();
    assert!(table.contains("git config (local)"), "{table}");
    assert!(table.contains("dossier.defaultLanguage"), "{table}");
}

// ---------------------------------------------------------------------------------------
// suggestions after a mistake
// ---------------------------------------------------------------------------------------

#[test]
fn an_unknown_ref_suggests_the_closest_in_every_command() {
    let env = Env::new();
    let (s, a, _) = store_with_two(&env);
    let typo = a.split('/').nth(1).unwrap().replace("lebedev", "lebedv");
    for cmd in ["show", "history", "edit"] {
        dossier(&env, &s, &[cmd, &typo]).refused_with(&[&format!("did you mean {a}")]);
    }
    dossier(&env, &s, &["diff", &typo, &a]).refused_with(&[&format!("did you mean {a}")]);
    dossier(&env, &s, &["show", &format!("{typo}@HEAD")])
        .refused_with(&[&format!("did you mean {a}")]);
}

#[test]
fn an_unknown_initiative_suggests_the_closest() {
    let env = Env::new();
    let (s, _, _) = store_with_two(&env);
    for args in [
        vec!["log", "cis-2031"],
        vec!["show", "cis-2031/2024-11-07-x"],
        vec!["export", "cis-2031"],
        vec!["diff", "cis-2031"],
        vec!["record", "cis-2031", "--date", "2024-01-01", "--lang", "en"],
    ] {
        dossier(&env, &s, &args).refused_with(&["cis-2030"]);
    }
}

#[test]
fn an_ambiguous_ref_lists_the_candidates() {
    let env = Env::new();
    let (s, a, b) = store_with_two(&env);
    // A unique prefix is enough.
    let out = dossier(&env, &s, &["show", "2024-11", "--format", "json"]);
    assert_eq!(out.ok().json()["date"], "2024-11-07");
    let c = env.record(&s, "2024-11-08", "Ivan Petrov", &[]);
    for cmd in ["show", "history", "edit"] {
        let out = dossier(&env, &s, &[cmd, "2024-11"]);
        out.refused_with(&["names 2 statements", "say which", &a, &c]);
        assert!(!out.stderr.contains(&b), "{out}");
    }
}

#[test]
fn an_unknown_field_in_a_record_suggests_the_right_one() {
    let env = Env::new();
    let s = env.store("s");
    let file = env.path("typo.yaml");
    std::fs::write(
        &file,
        "id: 2024-11-07-x\ninitiative: cis-2030\ndate: 2024-11-07\nlanguage: en\nspeakr:\n  name: X\n",
    )
    .unwrap();
    let out = dossier(
        &env,
        &s,
        &["record", "cis-2030", "--from", file.to_str().unwrap()],
    );
    out.refused_with(&[
        "typo.yaml:5:1",
        "unknown field `speakr`",
        "did you mean `speaker`",
    ]);
}

#[test]
fn each_problem_of_a_record_keeps_its_own_hint() {
    let env = Env::new();
    let s = env.store("s");
    let file = env.path("typos.yaml");
    std::fs::write(
        &file,
        "id: 2024-11-07-x\ninitiative: cis-2030\ndate: 2024-11-07\nlanguage: en\nspeakr:\n  name: X\nsumary: S\nkind: speach\n",
    )
    .unwrap();
    let out = dossier(
        &env,
        &s,
        &["record", "cis-2030", "--from", file.to_str().unwrap()],
    );
    out.refused_with(&[
        "typos.yaml:5:1",
        "Hint: did you mean `speaker`?",
        "Hint: `sumary`: did you mean `summary`?",
        "Hint: `kind`: did you mean `speech`?",
        "Hint: fix each problem listed, then try again",
    ]);
    assert_eq!(out.code, 1, "{out}");
}

#[test]
fn command_names_in_hints_come_from_the_command_layer() {
    let env = Env::new();
    let s = env.store("s");
    dossier(&env, &s, &["log", "cis-2031"]).refused_with(&[
        "there is no initiative `cis-2031`",
        "Hint: did you mean `cis-2030`?",
        "Hint: `dossier initiatives` lists them",
    ]);
    let empty = env.path("nowhere");
    std::fs::create_dir_all(&empty).unwrap();
    dossier(&env, &empty, &["log", "cis-2030"])
        .refused_with(&["no dossier store here", "Hint: run inside a store"]);
}

/// Colour follows the conventions other tools read (no-color.org, CLICOLOR and
/// CLICOLOR_FORCE), through anstream: forced on a pipe by a non-empty CLICOLOR_FORCE, off
/// with NO_COLOR whatever else says; `config` says which one decided.
#[test]
fn colour_follows_no_color_clicolor_and_clicolor_force() {
    let env = Env::new();
    let (s, _, _) = store_with_two(&env);
    let log = |vars: &[(&str, &str)]| {
        let mut cmd = env.dossier_in(&s);
        cmd.env_remove("NO_COLOR").args(["--no-pager", "log"]);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let out = run(&mut cmd);
        out.ok();
        out.stdout.contains("\x1b[")
    };
    assert!(!log(&[]), "a pipe gets no colour by default");
    assert!(
        log(&[("CLICOLOR_FORCE", "1")]),
        "CLICOLOR_FORCE=1 forces colour"
    );
    assert!(
        !log(&[("CLICOLOR_FORCE", "")]),
        "an empty CLICOLOR_FORCE forces nothing"
    );
    assert!(
        !log(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]),
        "NO_COLOR wins over CLICOLOR_FORCE"
    );
    assert!(
        log(&[("CLICOLOR", "0"), ("TERM", "dumb"), ("CLICOLOR_FORCE", "1")]),
        "CLICOLOR_FORCE wins over CLICOLOR=0 and TERM=dumb"
    );

    let config = |vars: &[(&str, &str)]| {
        let mut cmd = env.dossier_in(&s);
        cmd.env_remove("NO_COLOR")
            .args(["config", "--format", "json"]);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let out = run(&mut cmd);
        setting(&out.ok().json(), "color").clone()
    };
    let forced = config(&[("CLICOLOR_FORCE", "1")]);
    assert_eq!(forced["value"], "always");
    assert_eq!(forced["origin"]["variable"], "CLICOLOR_FORCE");
    let off = config(&[("CLICOLOR", "0")]);
    assert_eq!(off["value"], "never");
    assert_eq!(off["origin"]["variable"], "CLICOLOR");
    assert_eq!(config(&[])["origin"]["source"], "default");
}
