//! The record cache never gives stale content, and the benchmark's store generator works.

#[path = "../../benches/gen/mod.rs"]
mod gen;

use crate::common::{dossier, Env};

fn summary_of(env: &Env, dir: &std::path::Path, r: &str) -> String {
    let list = dossier(env, dir, &["log", "--format", "json"]).ok().json();
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == r)
        .map(|s| s["summary"].as_str().unwrap_or("").to_string())
        .unwrap_or_default()
}

fn cache_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.join(".git/dossier/cache")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

#[test]
fn the_cache_follows_hand_edits_checkouts_and_corruption() {
    let env = Env::new();
    let store = env.store("s");
    let r = env.record(&store, "2024-01-01", "Ada", &[]);
    let id = r.rsplit('/').next().unwrap().to_string();
    assert_eq!(summary_of(&env, &store, &id), "A statement.");
    assert!(!cache_files(&store).is_empty(), "log fills the cache");
    let file = store.join(format!("cis-2030/statements/{id}.yaml"));

    // Edited by hand (same length, so only the content differs).
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("A statement.", "B statement.")).unwrap();
    assert_eq!(summary_of(&env, &store, &id), "B statement.");
    env.git(&store, &["commit", "-qam", "hand edit"]);
    assert_eq!(summary_of(&env, &store, &id), "B statement.");

    // A checkout of the old revision.
    env.git(&store, &["checkout", "-q", "HEAD~1", "--", "."]);
    assert_eq!(summary_of(&env, &store, &id), "A statement.");
    env.git(&store, &["checkout", "-q", "HEAD", "--", "."]);
    assert_eq!(summary_of(&env, &store, &id), "B statement.");

    // Corrupt and truncated entries are ignored and written again.
    let entries = cache_files(&store);
    for (i, entry) in entries.iter().enumerate() {
        if i % 2 == 0 {
            std::fs::write(entry, b"{\"id\": ").unwrap();
        } else {
            std::fs::write(entry, b"not json at all \xff").unwrap();
        }
    }
    assert_eq!(summary_of(&env, &store, &id), "B statement.");
    let blob = env.git(&store, &["hash-object", file.to_str().unwrap()]);
    let blob = blob.trim();
    let entry = store.join(format!(
        ".git/dossier/cache/v2/{}/{}.json",
        &blob[..2],
        &blob[2..]
    ));
    let bytes = std::fs::read(&entry).expect("the current record's entry exists");
    let cached: serde_json::Value = serde_json::from_slice(&bytes).expect("and was rebuilt");
    // An entry names the blob it was made from, and holds the statement.
    assert_eq!(cached["blob"], blob);
    assert_eq!(cached["statement"]["summary"], "B statement.");
    // `check` reads through the same cache and still sees a broken record.
    std::fs::write(&file, "id: [").unwrap();
    let out = env.dossier_in(&store).arg("check").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // The cache is never committed and the work tree stays as git sees it.
    assert!(!env.git(&store, &["ls-files"]).contains("dossier/cache"));
}

#[test]
fn the_generator_builds_a_store_that_checks_clean() {
    let env = Env::new();
    let dir = env.path("gen");
    gen::generate(&dir, 30, 4, 1).expect("generate");
    let commits = env.git(&dir, &["rev-list", "--count", "HEAD"]);
    assert_eq!(
        commits.trim(),
        "35",
        "one commit per record: settings, 4 initiatives, 30 statements"
    );
    env.dossier_in(&dir).arg("check").assert().success();
    let out = env
        .dossier_in(&dir)
        .args(["log", "--format", "json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 30);
    let langs: std::collections::BTreeSet<String> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["language"].as_str().unwrap().to_string())
        .collect();
    assert!(langs.len() >= 2, "multilingual: {langs:?}");
    let words = list[0]["text"].as_str().unwrap().split_whitespace().count();
    assert!((200..=2100).contains(&words), "{words} words");
    env.fsck(&dir);
    // A reader that stops early (`| head`) ends dossier quietly with 0, as it does git.
    let bin = assert_cmd::cargo::cargo_bin!("dossier");
    let piped = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{}' log --format json | head -c 10 > /dev/null",
            bin.display()
        ))
        .current_dir(&dir)
        .env("HOME", &env.home)
        .output()
        .unwrap();
    assert!(out.stdout.len() > 200_000, "enough output to fill the pipe");
    assert_eq!(
        piped.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
    assert!(
        piped.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&piped.stderr)
    );
}

fn revisions(env: &Env, dir: &std::path::Path, r: &str) -> usize {
    let list = dossier(env, dir, &["history", r, "--format", "json"])
        .ok()
        .json();
    list.as_array().unwrap().len()
}

fn history_commits(env: &Env, dir: &std::path::Path, r: &str) -> Vec<String> {
    let list = dossier(env, dir, &["history", r, "--format", "json"])
        .ok()
        .json();
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| v["commit"].as_str().unwrap().to_string())
        .collect()
}

const HISTORY_FILE: &str = ".git/dossier/history-v3.bin";

#[test]
fn the_history_index_follows_new_commits_resets_and_corruption() {
    let env = Env::new();
    let store = env.store("s");
    let r = env.record(&store, "2024-01-01", "Ada", &[]);
    assert_eq!(revisions(&env, &store, &r), 1);
    let index = store.join(HISTORY_FILE);
    assert!(index.exists(), "history builds its index");
    // New commits after the index was built (one by dossier, one by plain git).
    env.dossier_in(&store)
        .env("EDITOR", "sed -i s/A.statement/B_statement/")
        .args(["edit", &r])
        .assert()
        .success();
    let file = store.join(format!(
        "cis-2030/statements/{}.yaml",
        r.rsplit('/').next().unwrap()
    ));
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("B_statement", "C_statement")).unwrap();
    env.git(&store, &["commit", "-qam", "by hand"]);
    assert_eq!(revisions(&env, &store, &r), 3);
    let at_three = std::fs::read(&index).unwrap();
    // History rewritten under it: the index is rebuilt.
    env.git(&store, &["reset", "-q", "--hard", "HEAD~2"]);
    assert_eq!(revisions(&env, &store, &r), 1);
    // An index of a tip that is no longer an ancestor of HEAD (sound, but stale).
    std::fs::write(&index, &at_three).unwrap();
    assert_eq!(revisions(&env, &store, &r), 1);
    let git = env.git(
        &store,
        &["log", "--format=%H", "--", file.to_str().unwrap()],
    );
    let git: Vec<String> = git.lines().map(str::to_string).collect();
    assert_eq!(git.len(), 1);
    // A damaged index (cut, garbage, one bit flipped anywhere) is rebuilt, not believed.
    let good = std::fs::read(&index).unwrap();
    let mut damaged: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"{\"tip\": 42".to_vec(),
        good[..good.len() / 2].to_vec(),
        good[..good.len() - 1].to_vec(),
    ];
    for at in [20, 40, 60, 80, good.len() - 3] {
        let mut b = good.clone();
        b[at] ^= 0x04;
        damaged.push(b);
    }
    for bytes in damaged {
        std::fs::write(&index, &bytes).unwrap();
        assert_eq!(history_commits(&env, &store, &r), git);
        assert_eq!(std::fs::read(&index).unwrap(), good, "and written again");
    }
    assert!(!env
        .git(&store, &["status", "--porcelain", "--ignored"])
        .contains("dossier"));
}

#[test]
fn the_history_index_agrees_with_git_log_on_a_generated_store() {
    let env = Env::new();
    let dir = env.path("gen");
    // Enough commits for the build to be split between threads (runs of 512 or more).
    gen::generate(&dir, 1100, 4, 3).expect("generate");
    // Later commits that touch records in several folders, one of them twice, then one
    // that removes a record.
    let files: Vec<String> = env
        .git(&dir, &["ls-files", "*/statements/*.yaml"])
        .lines()
        .map(str::to_string)
        .collect();
    for (k, f) in [&files[0], &files[15], &files[0], &files[39]]
        .iter()
        .enumerate()
    {
        let path = dir.join(f);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replacen("summary: ", &format!("summary: edit {k} "), 1),
        )
        .unwrap();
        env.git(&dir, &["commit", "-qam", &format!("edit {k}")]);
    }
    // Built here, then brought up to date by the commits below.
    let refs: Vec<String> = files
        .iter()
        .map(|f| {
            let (ini, rest) = f.split_once("/statements/").unwrap();
            format!("{ini}/{}", rest.trim_end_matches(".yaml"))
        })
        .collect();
    let _ = history_commits(&env, &dir, &refs[1]);
    env.git(&dir, &["rm", "-q", &files[7]]);
    env.git(&dir, &["commit", "-qm", "remove one"]);
    let path = dir.join(&files[20]);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("summary: ", "summary: again ", 1)).unwrap();
    env.git(&dir, &["commit", "-qam", "edit again"]);
    for fresh in [false, true] {
        if fresh {
            std::fs::remove_file(dir.join(HISTORY_FILE)).unwrap();
        }
        for (k, (f, r)) in files.iter().zip(&refs).enumerate() {
            if k == 7 || (k % 50 != 0 && ![15, 20, 1039].contains(&k)) {
                continue;
            }
            let git = env.git(&dir, &["log", "--format=%H", "--", f]);
            let git: Vec<String> = git.lines().map(str::to_string).collect();
            assert_eq!(
                history_commits(&env, &dir, r),
                git,
                "{f} (fresh index: {fresh})"
            );
        }
    }
}

/// `trace` through the term index answers exactly as the plain trace over every
/// statement does (the library's `analysis::trace::trace`, on `log`'s statements).
fn assert_trace_matches_the_plain_one(env: &Env, dir: &std::path::Path, phrases: &[&str]) {
    let list = dossier(env, dir, &["log", "--format", "json"]).ok().json();
    let statements: Vec<dossier::record::Statement> =
        serde_json::from_value(list).expect("statements");
    for phrase in phrases {
        let want = serde_json::to_value(dossier::analysis::trace::trace(&statements, phrase, None))
            .unwrap();
        let got = dossier(env, dir, &["trace", phrase, "--format", "json"])
            .ok()
            .json();
        assert_eq!(got, want, "trace {phrase:?}");
    }
}

#[test]
fn the_term_index_answers_as_the_plain_trace_through_edits_removals_and_corruption() {
    let env = Env::new();
    let dir = env.path("gen");
    gen::generate_shaped(&dir, 16, 3, 5, gen::Shape::Long).expect("generate");
    env.dossier_in(&dir).arg("check").assert().success();
    let phrases = [
        gen::RARE_PHRASE,
        gen::COMMON_WORD,
        "الدفاع الجوي",
        "no such words anywhere",
    ];
    assert_trace_matches_the_plain_one(&env, &dir, &phrases);
    let segments = dir.join(".git/dossier/terms-v1");
    assert!(segments.is_dir(), "trace builds its index");

    // A hand edit (a clitic form, and the rare phrase in another record), then a removal.
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(dir.join("initiative-000/statements"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let edited = text.replacen(
        "text: |",
        "text: |\n  والدفاع الجوي, hypersonic shield-programme.",
        1,
    );
    assert_ne!(text, edited);
    std::fs::write(&files[0], edited).unwrap();
    assert_trace_matches_the_plain_one(&env, &dir, &phrases);
    std::fs::remove_file(&files[1]).unwrap();
    assert_trace_matches_the_plain_one(&env, &dir, &phrases);

    // Damaged segments are rebuilt.
    for (i, e) in std::fs::read_dir(&segments).unwrap().enumerate() {
        let path = e.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let damaged = match i % 3 {
            0 => bytes[..bytes.len() / 2].to_vec(),
            1 => b"garbage".to_vec(),
            _ => bytes.iter().map(|b| b ^ 0x55).collect(),
        };
        std::fs::write(&path, damaged).unwrap();
    }
    assert_trace_matches_the_plain_one(&env, &dir, &phrases);
    assert!(!env
        .git(&dir, &["status", "--porcelain", "--ignored"])
        .contains("dossier"));
}

/// `log --format json` as the library's sorted list of every statement (of one initiative)
/// writes it: the order `log` streams in must be that one.
fn sorted_log(dir: &std::path::Path, initiative: Option<&str>) -> String {
    let store = dossier::store::Store::open(dir).expect("open");
    let list = store.statements(initiative).expect("statements");
    let rows: Vec<_> = list.iter().map(|l| &l.statement).collect();
    let mut out = Vec::new();
    dossier::render::json_to(&mut out, &rows).unwrap();
    String::from_utf8(out).unwrap()
}

fn streamed_log(env: &Env, dir: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec!["log", "--format", "json"];
    all.extend_from_slice(args);
    dossier(env, dir, &all).ok().stdout.clone()
}

#[test]
fn the_streamed_log_keeps_the_order_through_edits_new_dates_and_a_damaged_order_file() {
    let env = Env::new();
    let dir = env.path("gen");
    // Two windows of 256 records, in several initiatives.
    gen::generate(&dir, 300, 3, 11).expect("generate");
    let order = dir.join(".git/dossier/order-v1.json");
    assert_eq!(
        streamed_log(&env, &dir, &[]),
        sorted_log(&dir, None),
        "cold"
    );
    assert!(order.exists(), "the order file is written");
    assert_eq!(
        streamed_log(&env, &dir, &[]),
        sorted_log(&dir, None),
        "warm"
    );
    // A statement whose date becomes less precise (the year only) sorts elsewhere; one
    // edited by hand gets a new blob.
    let files: Vec<String> = env
        .git(&dir, &["ls-files", "*/statements/*.yaml"])
        .lines()
        .map(str::to_string)
        .collect();
    let f = dir.join(&files[200]);
    let text = std::fs::read_to_string(&f).unwrap();
    let line = text.lines().find(|l| l.starts_with("date: ")).unwrap();
    let year = line
        .trim_start_matches("date: ")
        .trim_matches(|c| c == '\'' || c == '"')[..4]
        .to_string();
    std::fs::write(&f, text.replacen(line, &format!("date: '{year}'"), 1)).unwrap();
    let g = dir.join(&files[3]);
    let text = std::fs::read_to_string(&g).unwrap();
    std::fs::write(&g, text.replacen("summary: ", "summary: edited ", 1)).unwrap();
    let after = sorted_log(&dir, None);
    assert!(after.contains(&format!("\"date\": \"{year}\"")));
    assert_eq!(streamed_log(&env, &dir, &[]), after, "after edits");
    // A damaged or foreign order file is not believed.
    for bytes in [&b""[..], b"{\"x\": 1", b"[1, 2, 3]"] {
        std::fs::write(&order, bytes).unwrap();
        assert_eq!(streamed_log(&env, &dir, &[]), after, "order file {bytes:?}");
    }
    // One initiative, and a store with none.
    let ini = files[0].split('/').next().unwrap();
    assert_eq!(
        streamed_log(&env, &dir, &[ini]),
        sorted_log(&dir, Some(ini))
    );
    let empty = env.path("empty");
    env.dossier().args(["init", "empty"]).assert().success();
    assert_eq!(streamed_log(&env, &empty, &[]), "[]\n");
}

#[test]
fn history_from_gits_commit_graph_agrees_with_the_index_and_git_log_and_builds_nothing() {
    let env = Env::new();
    let dir = env.path("gen");
    gen::generate(&dir, 300, 3, 5).expect("generate");
    let files: Vec<String> = env
        .git(&dir, &["ls-files", "*/statements/*.yaml"])
        .lines()
        .map(str::to_string)
        .collect();
    let edit = |f: &str, what: &str| {
        let path = dir.join(f);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replacen("summary: ", &format!("summary: {what} "), 1),
        )
        .unwrap();
        env.git(&dir, &["commit", "-qam", what]);
    };
    edit(&files[0], "before the graph");
    env.git(
        &dir,
        &["commit-graph", "write", "--reachable", "--changed-paths"],
    );
    // Commits the graph does not hold: on the branch, on a side branch, and a merge.
    edit(&files[0], "after the graph");
    let refs: Vec<String> = files
        .iter()
        .map(|f| {
            let (ini, rest) = f.split_once("/statements/").unwrap();
            format!("{ini}/{}", rest.trim_end_matches(".yaml"))
        })
        .collect();
    // One line of history (read from the graph alone, but for the newest commit).
    for k in [0, 7] {
        let git = env.git(&dir, &["log", "--format=%H", "--", &files[k]]);
        let git: Vec<String> = git.lines().map(str::to_string).collect();
        assert_eq!(history_commits(&env, &dir, &refs[k]), git, "{}", files[k]);
    }
    let main = env.git(&dir, &["rev-parse", "--abbrev-ref", "HEAD"]);
    env.git(&dir, &["checkout", "-qb", "side"]);
    edit(&files[10], "on the side");
    env.git(&dir, &["checkout", "-q", main.trim()]);
    edit(&files[20], "on the branch");
    env.git(&dir, &["merge", "-q", "--no-edit", "side"]);
    let sample = [0, 1, 10, 20, 150, 299];
    let by_graph: Vec<Vec<String>> = sample
        .iter()
        .map(|&k| history_commits(&env, &dir, &refs[k]))
        .collect();
    assert!(
        !dir.join(HISTORY_FILE).exists(),
        "one path is answered from the graph, no index built"
    );
    for (&k, got) in sample.iter().zip(&by_graph) {
        let git = env.git(&dir, &["log", "--format=%H", "--", &files[k]]);
        let git: Vec<String> = git.lines().map(str::to_string).collect();
        assert_eq!(got, &git, "{} from the graph", files[k]);
    }
    assert_eq!(by_graph[0].len(), 3);
    // Without the graph (or with a damaged one) the index is built, with the same answers.
    let graph = dir.join(".git/objects/info/commit-graph");
    let good = std::fs::read(&graph).unwrap();
    for damaged in [&good[..good.len() / 2], b"CGPH garbage"] {
        let _ = std::fs::remove_file(&graph);
        std::fs::write(&graph, damaged).unwrap();
        for (&k, want) in sample.iter().zip(&by_graph) {
            assert_eq!(&history_commits(&env, &dir, &refs[k]), want, "{}", files[k]);
        }
        assert!(dir.join(HISTORY_FILE).exists(), "the index is built");
        std::fs::remove_file(dir.join(HISTORY_FILE)).unwrap();
    }
}
