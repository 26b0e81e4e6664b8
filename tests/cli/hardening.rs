//! Hardening: what dossier does under SIGKILL, with concurrent writers and git locks, and
//! with hostile YAML, ids, paths and text. Each test prints its figures (processes,
//! records, kills, timings) on stderr; `cargo test --test cli hardening:: -- --nocapture`
//! shows them, and docs/reliability.md quotes the last run.
//!
//! Hostile record files live in `tests/fixtures/hostile/` (its README says what each must
//! give); the ones too large to commit (100 MB) are made here.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::common::{project_root, run, script, Env, Out, Snapshot};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// The most a single hostile-input run may take. The goal is well under a second; 3 s
/// because CI runs this binary's tests in parallel
/// on 2 cores next to the kill loop and the 8 concurrent writers, so a 1 s bound would
/// measure the scheduler rather than dossier.
const HOSTILE_RUN_LIMIT: Duration = Duration::from_secs(3);

/// `dossier` as a plain process with no standard input (spawned, killed and timed here).
fn dossier_cmd(env: &Env, cwd: &Path) -> Command {
    let mut cmd = env.command(cwd);
    cmd.stdin(Stdio::null());
    cmd
}

fn dossier(env: &Env, dir: &Path, args: &[&str]) -> Out {
    run(dossier_cmd(env, dir).args(args))
}

/// A refusal: non-zero exit, `error:` naming each of `needles`, no panic, no stack
/// overflow, nothing on stdout.
fn assert_refused(out: &Out, needles: &[&str]) {
    assert_ne!(out.code, 0, "expected a refusal\n{out}");
    assert!(
        !out.stderr.contains("panicked") && !out.stderr.contains("overflow"),
        "dossier crashed\n{out}"
    );
    assert!(out.code == 1 || out.code == 2, "killed by a signal?\n{out}");
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

pub(crate) fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A small seeded generator (splitmix64): the same seed gives the same kill moments.
pub(crate) struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

/// HEAD, `git status` and every file of the repository's work tree: see `Env::snapshot`.
fn snapshot(env: &Env, repo: &Path) -> Snapshot {
    env.snapshot(repo, repo)
}

#[track_caller]
fn assert_unchanged(env: &Env, repo: &Path, before: &Snapshot, what: &str) {
    env.assert_unchanged(repo, repo, before, what)
}

/// Calls `f` with every file under `dir`, recursively.
fn walk(dir: &Path, f: &mut dyn FnMut(&Path)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            walk(&path, f);
        } else {
            f(&path);
        }
    }
}

/// dossier's temporary files (`.dossier-*.tmp`) anywhere under `dir`, `.git` included.
fn temp_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    walk(dir, &mut |p| {
        let name = p.file_name().unwrap().to_string_lossy();
        if name.starts_with(".dossier-") && name.ends_with(".tmp") {
            found.push(p.to_path_buf());
        }
    });
    found
}

/// The statement files in the work tree's `cis-2030/statements/`.
fn statement_files(store: &Path) -> BTreeSet<String> {
    std::fs::read_dir(store.join("cis-2030/statements"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".yaml") && !n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default()
}

/// The statement files in HEAD's tree.
fn committed_statement_files(env: &Env, store: &Path) -> BTreeSet<String> {
    env.git(
        store,
        &["ls-tree", "--name-only", "HEAD", "cis-2030/statements/"],
    )
    .lines()
    .map(|l| l.rsplit('/').next().unwrap().to_string())
    .collect()
}

fn subjects(env: &Env, store: &Path) -> Vec<String> {
    env.git(store, &["log", "--format=%s"])
        .lines()
        .map(str::to_string)
        .collect()
}

/// The git lock files a killed git process can leave behind.
const GIT_LOCKS: &[&str] = &["index.lock", "HEAD.lock", "refs/heads/main.lock"];

// ---------------------------------------------------------------------------------------
// 1. Durable writes under SIGKILL
// ---------------------------------------------------------------------------------------

/// `dossier record` and `dossier edit` killed with SIGKILL at random moments (a seeded
/// delay after the spawn, drawn up to 1.2 times a full run's duration: the delay is what
/// is tested). After every kill no record file is torn; after the next run, the work tree,
/// the index and HEAD agree (`git status` clean), `git fsck --full` is clean, there is one
/// record file per `record` commit, `dossier check` passes and no temp file is left.
///
/// `DOSSIER_KILLS` (default 200) and `DOSSIER_KILL_SEED` change the run.
#[test]
fn sigkill_at_random_moments_leaves_the_old_or_the_new_state() {
    let kills = env_number("DOSSIER_KILLS", 200);
    let seed = env_number("DOSSIER_KILL_SEED", 0x5EED_D055);
    let env = Env::new();
    let store = env.store("s");
    let base = env.record(&store, "2024-01-01", "Base Speaker", &[]);
    let base_file = store.join(format!(
        "cis-2030/statements/{}.yaml",
        base.split('/').nth(1).unwrap()
    ));
    // Each edit sets the venue to the editor's pid, so every edit is a change.
    let editor = script(
        &env,
        "editor.sh",
        "#!/bin/sh\nset -e\ngrep -v '^venue:' \"$1\" > \"$1.new\"\necho \"venue: Room $$\" >> \"$1.new\"\nmv \"$1.new\" \"$1\"\n",
    );
    let record_cmd = |i: u64| {
        let mut cmd = dossier_cmd(&env, &store);
        cmd.args([
            "record",
            "cis-2030",
            "--id",
            &format!("2024-01-02-k{i}"),
            "--date",
            "2024-01-02",
            "--lang",
            "en",
            "--summary",
            "Killed or not.",
        ]);
        cmd
    };
    let edit_cmd = || {
        let mut cmd = dossier_cmd(&env, &store);
        cmd.args(["edit", &base]).env("EDITOR", &editor);
        cmd
    };
    // How long a full run takes here and now.
    let time = |mut cmd: Command| {
        let start = Instant::now();
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        start.elapsed()
    };
    let full_record = time(record_cmd(1_000_000));
    let full_edit = time(edit_cmd());

    let mut rng = Rng(seed);
    let mut completed = Vec::new();
    let mut missing_after_kill = BTreeSet::new();
    let (mut killed, mut finished_first, mut stale_locks) = (0, 0, BTreeMap::new());
    let started = Instant::now();
    for i in 0..kills {
        let is_edit = i % 2 == 1;
        let (mut cmd, full) = if is_edit {
            (edit_cmd(), full_edit)
        } else {
            (record_cmd(i), full_record)
        };
        cmd.stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0);
        // A quarter of the kills anywhere in the run (up to 1.2 times its usual length),
        // the rest in its last 70%, where it writes.
        let full = full.as_micros() as u64;
        let delay = Duration::from_micros(if i % 4 == 0 {
            rng.below(full * 6 / 5)
        } else {
            full / 2 + rng.below(full * 7 / 10)
        });
        let mut child = cmd.spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().unwrap();
        // The editor the killed `edit` started, if any, goes with it.
        let _ = Command::new("kill")
            .args(["-9", "--", &format!("-{}", child.id())])
            .stderr(Stdio::null())
            .status();
        if status.signal() == Some(9) {
            killed += 1;
            let name = format!("2024-01-02-k{i}.yaml");
            if !is_edit && !store.join("cis-2030/statements").join(&name).exists() {
                missing_after_kill.insert(name);
            }
        } else {
            finished_first += 1;
            assert!(status.success(), "run {i} failed on its own: {status}");
            if !is_edit {
                completed.push(format!("2024-01-02-k{i}.yaml"));
            }
        }
        // git's own lock files are never removed by dossier: an analyst who finds one after
        // a crash removes it, as git's message says; so does this test.
        for lock in GIT_LOCKS {
            let path = store.join(".git").join(lock);
            if path.exists() {
                *stale_locks.entry(*lock).or_insert(0) += 1;
                std::fs::remove_file(&path).unwrap();
            }
        }
        // No torn record at any moment.
        for name in statement_files(&store) {
            let path = store.join("cis-2030/statements").join(&name);
            let bytes = std::fs::read(&path).unwrap();
            if let Err(p) = dossier::store::codec::decode_statement(&bytes, &path) {
                panic!("after kill {i} ({delay:?}), {name} is torn: {p:?}");
            }
        }
    }
    let loop_time = started.elapsed();
    let temps_left_by_kills = temp_files(&store).len();
    let notes_left_by_kills = std::fs::read_dir(store.join(".git/dossier/pending"))
        .map(|d| d.count())
        .unwrap_or(0);

    // The next runs: a record and an edit, both complete.
    let out = run(&mut record_cmd(2_000_000));
    out.ok();
    let out = run(&mut edit_cmd());
    out.ok();

    assert_eq!(
        env.git_status(&store),
        "",
        "work tree, index and HEAD disagree"
    );
    env.git(&store, &["fsck", "--full", "--strict", "--no-dangling"]);
    let check = dossier(&env, &store, &["check"]);
    check.ok();
    let record_commits = subjects(&env, &store)
        .iter()
        .filter(|s| s.starts_with("record "))
        .count();
    let on_disk = statement_files(&store);
    let committed = committed_statement_files(&env, &store);
    assert_eq!(on_disk, committed, "the work tree's records are not HEAD's");
    assert_eq!(
        on_disk.len(),
        record_commits,
        "one record file per `record` commit"
    );
    for name in &completed {
        assert!(on_disk.contains(name), "{name} completed but is missing");
    }
    let left = temp_files(&store);
    assert!(left.is_empty(), "temp files left: {left:?}");
    let base_now = std::fs::read_to_string(&base_file).unwrap();
    assert!(base_now.contains("venue: Room "), "{base_now}");
    // Records of killed runs that HEAD has: the kill came after the branch moved.
    let loop_committed = on_disk
        .iter()
        .filter(|n| {
            n.starts_with("2024-01-02-k")
                && !["2024-01-02-k1000000.yaml", "2024-01-02-k2000000.yaml"].contains(&n.as_str())
        })
        .count();
    let finished_late = on_disk
        .iter()
        .filter(|n| missing_after_kill.contains(*n))
        .count();
    let edits = subjects(&env, &store)
        .iter()
        .filter(|s| s.starts_with("edit "))
        .count();
    eprintln!(
        "kill loop: seed {seed:#x}, {kills} runs ({} record, {} edit), {killed} killed, \
         {finished_first} finished before the kill; a full record took {full_record:?}, an edit \
         {full_edit:?}; loop records committed {loop_committed} ({} by runs that finished, {} \
         by killed runs after the branch moved, {finished_late} of those finished by a later \
         run), edit commits {edits}; pending-write notes left by kills {notes_left_by_kills}, \
         temp files left by kills {temps_left_by_kills} (0 after the next run), stale git \
         locks removed by the test {stale_locks:?}; loop {loop_time:?}",
        kills.div_ceil(2),
        kills / 2,
        completed.len(),
        loop_committed - completed.len(),
    );
}

/// A temp file that a killed run left in a folder dossier writes to is removed by the next
/// write; one whose process is still alive is not.
#[test]
fn the_next_write_removes_temp_files_of_killed_runs_only() {
    let env = Env::new();
    let store = env.store("s");
    let dir = store.join("cis-2030/statements");
    std::fs::create_dir_all(&dir).unwrap();
    // A pid that is not running: a child that has exited and been reaped.
    let mut gone = Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    let dead = dir.join(format!(".dossier-{}-abcdef.tmp", gone.id()));
    let alive = dir.join(format!(".dossier-{}-ghijkl.tmp", std::process::id()));
    std::fs::write(&dead, "half a rec").unwrap();
    std::fs::write(&alive, "being written").unwrap();
    env.record(&store, "2024-11-07", "Someone", &[]);
    assert!(!dead.exists(), "the killed run's temp file is still there");
    assert!(alive.exists(), "a live process's temp file was removed");
    std::fs::remove_file(&alive).unwrap();
}

// ---------------------------------------------------------------------------------------
// 2. Concurrent writers and git locks
// ---------------------------------------------------------------------------------------

/// 8 processes record 25 statements each at the same time on one store: every record is
/// committed exactly once, in a linear history, and nothing is lost (`DOSSIER_WRITERS`,
/// `DOSSIER_RECORDS_PER_WRITER` change the run).
#[test]
fn concurrent_writers_commit_every_record_once_in_a_linear_history() {
    let writers = env_number("DOSSIER_WRITERS", 8);
    let per_writer = env_number("DOSSIER_RECORDS_PER_WRITER", 25);
    let env = Env::new();
    let store = env.store("s");
    let commits_before: u64 = env
        .git(&store, &["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap();
    let start = Instant::now();
    let failures: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..writers)
            .map(|w| {
                let (env, store) = (&env, &store);
                scope.spawn(move || {
                    let mut failures = Vec::new();
                    for r in 0..per_writer {
                        let id = format!("2024-05-01-w{w}-r{r}");
                        let out = dossier(
                            env,
                            store,
                            &[
                                "record",
                                "cis-2030",
                                "--id",
                                &id,
                                "--date",
                                "2024-05-01",
                                "--lang",
                                "en",
                                "--summary",
                                &format!("Writer {w}, record {r}."),
                            ],
                        );
                        if out.code != 0 {
                            failures.push(format!("{id}: {out}"));
                        }
                    }
                    failures
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    let elapsed = start.elapsed();
    assert!(
        failures.is_empty(),
        "{} of {} writes failed; first: {}",
        failures.len(),
        writers * per_writer,
        failures[0]
    );
    let total = writers * per_writer;
    let count: u64 = env
        .git(&store, &["rev-list", "--count", "HEAD"])
        .trim()
        .parse()
        .unwrap();
    assert_eq!(count, commits_before + total, "commits lost or doubled");
    assert_eq!(env.git(&store, &["log", "--merges", "--oneline"]), "");
    let subjects = subjects(&env, &store);
    let committed = committed_statement_files(&env, &store);
    for w in 0..writers {
        for r in 0..per_writer {
            let id = format!("2024-05-01-w{w}-r{r}");
            let n = subjects
                .iter()
                .filter(|s| *s == &format!("record cis-2030/{id}"))
                .count();
            assert_eq!(n, 1, "{id} was committed {n} times");
            assert!(committed.contains(&format!("{id}.yaml")), "{id} missing");
        }
    }
    assert_eq!(committed.len() as u64, total);
    assert_eq!(statement_files(&store), committed);
    assert_eq!(env.git_status(&store), "", "the index lost an entry");
    env.fsck(&store);
    assert!(temp_files(&store).is_empty());
    dossier(&env, &store, &["check"]).ok();
    eprintln!(
        "concurrent writers: {writers} processes x {per_writer} records = {total} commits in \
         {elapsed:?}, linear, none lost"
    );
}

/// A git lock held by a live process is waited for: the write goes through once it is
/// released (here after 700 ms).
#[test]
fn a_live_git_lock_is_waited_for() {
    let env = Env::new();
    let store = env.store("s");
    for (n, lock) in GIT_LOCKS.iter().enumerate() {
        let path = store.join(".git").join(lock);
        std::fs::write(&path, "").unwrap();
        let start = Instant::now();
        let child = dossier_cmd(&env, &store)
            .args([
                "record",
                "cis-2030",
                "--id",
                &format!("2024-06-0{}-locked", n + 1),
                "--date",
                &format!("2024-06-0{}", n + 1),
                "--lang",
                "en",
                "--summary",
                "Waited.",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(700));
        std::fs::remove_file(&path).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{lock}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(start.elapsed() >= Duration::from_millis(700));
        eprintln!(
            "{lock} held 700 ms: the write went through after {:?}",
            start.elapsed()
        );
    }
    assert_eq!(env.git_status(&store), "");
    env.fsck(&store);
}

/// A lock older than the wait bound is stale: refused at once with a message naming the
/// file, and left where it is.
#[test]
fn a_stale_git_lock_is_named_and_never_removed() {
    let env = Env::new();
    let store = env.store("s");
    for lock in GIT_LOCKS {
        let path = store.join(".git").join(lock);
        std::fs::write(&path, "").unwrap();
        let old = std::time::SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let before = snapshot(&env, &store);
        let out = dossier(
            &env,
            &store,
            &[
                "record",
                "cis-2030",
                "--date",
                "2024-06-01",
                "--lang",
                "en",
                "--summary",
                "S.",
            ],
        );
        assert_refused(&out, &[&path.display().to_string(), "Hint:", "remove"]);
        assert!(out.elapsed < HOSTILE_RUN_LIMIT, "{lock}: waited {out}");
        assert!(path.exists(), "dossier removed {lock}");
        std::fs::remove_file(&path).unwrap();
        assert_unchanged(&env, &store, &before, lock);
        eprintln!("stale {lock}: refused in {:?}", out.elapsed);
    }
}

// ---------------------------------------------------------------------------------------
// 3. Hostile YAML
// ---------------------------------------------------------------------------------------

fn hostile(name: &str) -> PathBuf {
    project_root().join("tests/fixtures/hostile").join(name)
}

/// A hostile record file and what dossier must make of it.
struct HostileCase {
    file: PathBuf,
    /// `LINE:COL` of the problem, or `None` for the file as a whole.
    place: Option<&'static str>,
    /// What the message or the hint says.
    says: &'static str,
}

/// Refused hostile files: each gives one clear problem, located where there is a place,
/// in well under a second, through `check` (dropped into a store) and `record --from`, and
/// neither crashes nor changes the store. The 100 MB file is made here.
#[test]
fn hostile_yaml_is_refused_with_a_located_message() {
    let env = Env::new();
    let store = env.store("s");
    let huge = env.path("huge-100mb.yaml");
    {
        use std::io::Write;
        let mut f = std::io::BufWriter::new(std::fs::File::create(&huge).unwrap());
        f.write_all(b"id: 2024-11-07-huge\ninitiative: cis-2030\ndate: \"2024-11-07\"\nlanguage: en\ntext: ")
            .unwrap();
        let line = vec![b'a'; 1 << 20];
        for _ in 0..100 {
            f.write_all(&line).unwrap();
        }
        f.write_all(b"\n").unwrap();
    }
    let case = |name: &str, place, says| HostileCase {
        file: hostile(name),
        place,
        says,
    };
    let cases = [
        case(
            "alias-bomb.yaml",
            Some("5:7"),
            "anchors (`&name`) and aliases (`*name`) are not allowed",
        ),
        case(
            "anchors-and-aliases.yaml",
            Some("6:3"),
            "anchors (`&name`) and aliases",
        ),
        case(
            "deep-flow-10000.yaml",
            Some("6:262"),
            "nested deeper than 16 levels",
        ),
        case(
            "deep-block-10000.yaml",
            Some("7:33"),
            "nested deeper than 16 levels",
        ),
        case(
            "duplicate-key.yaml",
            Some("6:1"),
            "duplicate mapping key: summary",
        ),
        case("yaml11-boolean.yaml", Some("6:8"), "quote it: \"no\""),
        case("tab-indentation.yaml", Some("7:2"), "tabs disallowed"),
        case("invalid-utf8.yaml", Some("5:11"), "not valid UTF-8"),
        case("nul-byte.yaml", Some("5:11"), "NUL byte"),
        HostileCase {
            file: huge.clone(),
            place: None,
            says: "records are capped at 4194304 bytes (4 MiB)",
        },
    ];
    let mut slowest = (Duration::ZERO, String::new());
    for c in &cases {
        let name = c.file.file_name().unwrap().to_string_lossy().into_owned();
        // Through `record --from`.
        let before = snapshot(&env, &store);
        let out = dossier(
            &env,
            &store,
            &["record", "cis-2030", "--from", c.file.to_str().unwrap()],
        );
        let at = match c.place {
            Some(p) => format!("{}:{p}: ", c.file.display()),
            None => format!("{}: ", c.file.display()),
        };
        assert_refused(&out, &[&at, c.says, "Hint:"]);
        assert!(out.elapsed < HOSTILE_RUN_LIMIT, "{name}: too slow\n{out}");
        assert!(
            !out.stderr.contains("DuplicateKeyPolicy") && !out.stderr.contains(" at line "),
            "{name}: the parser's own words leak\n{out}"
        );
        slowest = slowest.max((out.elapsed, format!("record --from {name}")));
        assert_unchanged(&env, &store, &before, &name);
        // Through `check`, dropped into the store.
        std::fs::create_dir_all(store.join("cis-2030/statements")).unwrap();
        let dropped = store.join("cis-2030/statements").join(&name);
        std::fs::copy(&c.file, &dropped).unwrap();
        let out = dossier(&env, &store, &["check", "--format", "json"]);
        assert_eq!(out.code, 1, "{name}: check must report it\n{out}");
        assert!(out.elapsed < HOSTILE_RUN_LIMIT, "{name}: too slow\n{out}");
        slowest = slowest.max((out.elapsed, format!("check {name}")));
        let problems = out.json()["problems"].as_array().unwrap().clone();
        assert_eq!(problems.len(), 1, "{name}: {problems:?}");
        let p = &problems[0];
        let want = match c.place {
            Some(place) => format!("cis-2030/statements/{name}:{place}"),
            None => format!("cis-2030/statements/{name}"),
        };
        assert_eq!(p["location"], want.as_str(), "{name}");
        let said = format!("{} {}", p["message"], p["hint"]);
        assert!(
            said.contains(&c.says.replace('"', "\\\"")),
            "{name}: {said}"
        );
        // The table form too: no crash, the place shown.
        let table = dossier(&env, &store, &["check"]);
        assert_eq!(table.code, 1, "{table}");
        assert!(table.stdout.contains("1 problem"), "{table}");
        std::fs::remove_file(&dropped).unwrap();
    }
    std::fs::remove_file(&huge).unwrap();
    eprintln!(
        "hostile YAML: {} files refused through record --from and check; slowest run {:?} ({})",
        cases.len(),
        slowest.0,
        slowest.1
    );
}

/// A byte-order mark with CRLF line ends, and tabs inside texts, are accepted and read as
/// meant, through `record --from` and `check`.
#[test]
fn bom_crlf_and_tabs_inside_texts_are_accepted() {
    let env = Env::new();
    let store = env.store("s");
    for (name, id, field, want) in [
        ("bom-crlf.yaml", "2024-11-07-bom-crlf", "text", "one\ntwo\n"),
        (
            "tab-in-text.yaml",
            "2024-11-07-tab-in-text",
            "summary",
            "a\tb",
        ),
        (
            "tab-in-text.yaml",
            "2024-11-07-tab-in-text",
            "text",
            "col one\tcol two\nx\t\ty\n",
        ),
    ] {
        let reference = format!("cis-2030/{id}");
        let file = store.join(format!("cis-2030/statements/{id}.yaml"));
        if !file.exists() {
            let out = dossier(
                &env,
                &store,
                &[
                    "record",
                    "cis-2030",
                    "--from",
                    hostile(name).to_str().unwrap(),
                ],
            );
            out.ok();
            assert!(out.elapsed < HOSTILE_RUN_LIMIT, "{out}");
        }
        let shown = dossier(&env, &store, &["show", &reference, "--format", "json"]);
        assert_eq!(shown.ok().json()[field], want, "{name} {field}");
    }
    // Dropped into the store as they are, `check` accepts them.
    for (name, id) in [
        ("bom-crlf.yaml", "2024-11-07-bom-crlf"),
        ("tab-in-text.yaml", "2024-11-07-tab-in-text"),
    ] {
        std::fs::copy(
            hostile(name),
            store.join(format!("cis-2030/statements/{id}.yaml")),
        )
        .unwrap();
    }
    dossier(&env, &store, &["check"]).ok();
}

// ---------------------------------------------------------------------------------------
// 4. Hostile ids and paths
// ---------------------------------------------------------------------------------------

/// Ids that would escape the folder, name git's folder, clash on other systems or hide
/// what they are: refused through `--id`, through `--from` and as initiative ids, and the
/// store is unchanged. What is refused is shown escaped.
#[test]
fn hostile_ids_are_refused_and_change_nothing() {
    let env = Env::new();
    let store = env.store("s");
    // The NFC id that the NFD twin below is the twin of cannot exist (ids are ASCII), so
    // its ASCII base does, and both accented forms must be refused.
    let existing = "2024-11-07-cafe";
    dossier(
        &env,
        &store,
        &[
            "record",
            "cis-2030",
            "--id",
            existing,
            "--date",
            "2024-11-07",
            "--lang",
            "en",
            "--summary",
            "S.",
        ],
    )
    .ok();
    let ids: &[(&str, &str)] = &[
        ("../x", "../x"),
        ("a/b", "a/b"),
        (".git", ".git"),
        (".GIT", ".GIT"),
        ("CON", "CON"),
        ("2024-11-07-x.", "2024-11-07-x."),
        ("2024-11-07-a\\b", "2024-11-07-a\\\\b"),
        ("2024-11-07-cafe\u{301}", "2024-11-07-cafe\\u0301"),
        ("2024-11-07-caf\u{e9}", "2024-11-07-caf\\u00E9"),
        ("2024-11-07-\u{202E}gnp.exe", "2024-11-07-\\u202Egnp.exe"),
        ("2024-11-07-a\u{0}b", "2024-11-07-a\\0b"),
    ];
    let mut refusals = 0;
    for (id, yaml_escaped) in ids {
        let shown = dossier::escape::escape(id).into_owned();
        let before = snapshot(&env, &store);
        // --id (an argument cannot hold a NUL byte: that one only through --from).
        if !id.contains('\0') {
            let out = dossier(
                &env,
                &store,
                &[
                    "record",
                    "cis-2030",
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
            assert_refused(&out, &["id"]);
            assert_no_raw_controls(&out, id);
            refusals += 1;
            let out = dossier(&env, &store, &["initiative", "add", id, "--title", "T"]);
            assert_refused(&out, &["id"]);
            assert_no_raw_controls(&out, id);
            refusals += 1;
        }
        // --from
        let file = env.path("hostile-id.yaml");
        std::fs::write(
            &file,
            format!(
                "id: \"{yaml_escaped}\"\ninitiative: cis-2030\ndate: \"2024-11-07\"\nlanguage: en\nsummary: S.\n"
            ),
        )
        .unwrap();
        let out = dossier(
            &env,
            &store,
            &["record", "cis-2030", "--from", file.to_str().unwrap()],
        );
        assert_refused(&out, &["id"]);
        assert_no_raw_controls(&out, id);
        if shown != *id {
            assert!(
                out.stderr.contains("<U+"),
                "{id:?} not shown escaped\n{out}"
            );
        }
        refusals += 1;
        std::fs::remove_file(&file).unwrap();
        assert_unchanged(&env, &store, &before, &format!("{id:?}"));
    }
    eprintln!(
        "hostile ids: {} ids, {refusals} refusals, store unchanged",
        ids.len()
    );
}

/// No control or bidi character reaches a terminal raw.
fn assert_no_raw_controls(out: &Out, what: &str) {
    for text in [&out.stdout, &out.stderr] {
        if let Some(c) = text
            .chars()
            .find(|&c| c != '\n' && c != '\t' && dossier::escape::needs_escape(c))
        {
            panic!("{what:?}: a raw U+{:04X} in the output\n{out}", c as u32);
        }
    }
}

/// A commit arriving by sync whose tree would write outside the store (`..`) or into git's
/// folder (`.GIT`) is refused by name, and nothing is written anywhere.
#[test]
fn a_synced_tree_that_escapes_the_store_is_refused() {
    let env = Env::new();
    let hub = env.path("hub.git");
    env.git(
        env.dir.path(),
        &["init", "--quiet", "--bare", hub.to_str().unwrap()],
    );
    let store = env.store("a");
    dossier(
        &env,
        &store,
        &["remote", "add", "origin", hub.to_str().unwrap()],
    )
    .ok();
    dossier(&env, &store, &["sync"]).ok();
    for (entry, shown) in [("..", "../escaped.txt"), (".GIT", ".GIT/escaped.txt")] {
        // Plumbing in the hub: the current tree plus a folder named `entry`.
        let git = |args: &[&str], input: &str| -> String {
            let mut child = Command::new("git")
                .arg("--git-dir")
                .arg(&hub)
                .args(args)
                .env("HOME", &env.home)
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "git {args:?}");
            String::from_utf8(out.stdout).unwrap().trim().to_string()
        };
        let blob = git(&["hash-object", "-w", "--stdin"], "evil\n");
        let sub = git(&["mktree"], &format!("100644 blob {blob}\tescaped.txt\n"));
        let mut listing = git(&["ls-tree", "refs/heads/main"], "");
        listing.push_str(&format!("\n040000 tree {sub}\t{entry}\n"));
        let tree = git(&["mktree"], &listing);
        let commit = git(
            &[
                "commit-tree",
                &tree,
                "-p",
                "refs/heads/main",
                "-m",
                "hostile tree",
            ],
            "",
        );
        let old = git(&["rev-parse", "refs/heads/main"], "");
        git(&["update-ref", "refs/heads/main", &commit], "");

        let before = snapshot(&env, &store);
        let out = dossier(&env, &store, &["sync"]);
        assert_refused(&out, &["refused a path from the remote", shown]);
        assert_unchanged(&env, &store, &before, entry);
        let mut written = Vec::new();
        walk(env.dir.path(), &mut |p| {
            if p.file_name().is_some_and(|n| n == "escaped.txt") {
                written.push(p.to_path_buf());
            }
        });
        assert!(written.is_empty(), "written: {written:?}");
        git(&["update-ref", "refs/heads/main", &old], "");
    }
}

// ---------------------------------------------------------------------------------------
// 5. Hostile text
// ---------------------------------------------------------------------------------------

/// The lines of tables (those starting with a border character), grouped by table.
fn tables(output: &str) -> Vec<Vec<&str>> {
    let mut out: Vec<Vec<&str>> = Vec::new();
    let mut current = Vec::new();
    for line in output.lines() {
        let is_table = line.chars().next().is_some_and(|c| "┌│╞├└╭╰".contains(c));
        if is_table {
            current.push(line);
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Every line of every table has the same display width as the table's first line.
fn assert_tables_aligned(out: &Out, what: &str) -> usize {
    let tables = tables(&out.stdout);
    for table in &tables {
        let width = table[0].width();
        for line in table {
            assert_eq!(
                line.width(),
                width,
                "{what}: a table line is {} wide, not {width}: {:.200}",
                line.width(),
                line
            );
        }
    }
    tables.len()
}

/// Texts with bidi overrides, controls, form feeds, a 5,000-character word and a
/// 100,000-character line: shown escaped and aligned in every table (`show`, `log`,
/// `diff`, `check`), kept byte for byte in JSON and YAML, and diffed cleanly.
#[test]
fn hostile_text_is_escaped_for_people_and_kept_for_programs() {
    let env = Env::new();
    let store = env.store("s");
    let long_word = "x".repeat(5_000);
    let long_line = "word ".repeat(20_000);
    let text_a = format!(
        "Opening: \u{202E}txet desrever\u{202C} and a bell \u{7} here.\nPage one.\n\u{c}\nPage two.\n{long_word}\n{long_line}\nEnd.\n"
    );
    let text_b = text_a.replace("Page two.", "Page two, amended.");
    let mut refs = Vec::new();
    for (id, text, venue) in [
        ("2024-11-07-hostile-a", &text_a, "Hall \u{202E}A"),
        ("2024-12-07-hostile-b", &text_b, "Hall \u{202E}B"),
    ] {
        let file = env.path(&format!("{id}.txt"));
        std::fs::write(&file, text).unwrap();
        let out = dossier(
            &env,
            &store,
            &[
                "record",
                "cis-2030",
                "--id",
                id,
                "--date",
                &id[..10],
                "--lang",
                "en",
                "--speaker",
                "Speaker \u{202E}Name",
                "--venue",
                venue,
                "--priority",
                &format!("Priority \u{202E}one {long_word}"),
                "--text-file",
                file.to_str().unwrap(),
            ],
        );
        out.ok();
        assert_no_raw_controls(&out, id);
        refs.push(format!("cis-2030/{id}"));
    }
    // JSON and YAML keep the text as given.
    let json = dossier(&env, &store, &["show", &refs[0], "--format", "json"]);
    let json = json.ok().json();
    assert_eq!(
        json["text"],
        text_a.as_str(),
        "JSON does not give the text back"
    );
    assert_eq!(json["venue"], "Hall \u{202E}A");
    let yaml = dossier(&env, &store, &["show", &refs[0], "--format", "yaml"]);
    yaml.ok();
    assert!(
        yaml.stdout.contains('\u{202E}'),
        "YAML must keep the text as given"
    );
    let back = dossier::store::codec::decode_statement(yaml.stdout.as_bytes(), Path::new("-"))
        .expect("show --format yaml reads back");
    assert_eq!(back.record.text.as_deref(), Some(text_a.as_str()));

    // Every human-readable output: escaped, and tables aligned.
    let mut checked = Vec::new();
    for args in [
        vec!["show", refs[0].as_str()],
        vec!["log"],
        vec!["diff", refs[0].as_str(), refs[1].as_str()],
        vec!["diff", refs[0].as_str(), refs[1].as_str(), "--full"],
        vec![
            "diff",
            refs[0].as_str(),
            refs[1].as_str(),
            "--format",
            "markdown",
        ],
        vec!["history", refs[0].as_str()],
    ] {
        let out = dossier(&env, &store, &args);
        assert!(out.code == 0 || out.code == 1, "{args:?}\n{out}");
        assert_no_raw_controls(&out, &args.join(" "));
        // Markdown tables are not padded: only terminal tables must line up.
        let n = if args.contains(&"markdown") {
            0
        } else {
            assert_tables_aligned(&out, &args.join(" "))
        };
        checked.push(format!("{} ({n} tables)", args.join(" ")));
    }
    let show = dossier(&env, &store, &["show", &refs[0]]);
    assert!(show.stdout.contains("<U+202E>"), "{show}");
    assert!(
        show.stdout.contains("<U+000C>") || show.stdout.contains("<U+0007>"),
        "{show}"
    );
    let diff = dossier(&env, &store, &["diff", &refs[0], &refs[1]]);
    assert!(diff.stdout.contains("<U+202E>"), "{diff}");
    assert!(diff.stdout.contains("amended"), "{diff}");

    // The diff's JSON rebuilds both texts exactly.
    let out = dossier(
        &env,
        &store,
        &["diff", &refs[0], &refs[1], "--format", "json"],
    );
    assert!(out.code == 0 || out.code == 1, "{out}");
    let d = out.json();
    let d = if d.is_array() { d[0].clone() } else { d };
    let (old, new) = rebuild(&d["wording"]["ops"]);
    assert_eq!(old, text_a);
    assert_eq!(new, text_b);
    assert_eq!(d["wording"]["words_added"], 1, "{}", d["wording"]);

    // `check` names a hostile file name and an unknown hostile field escaped.
    std::fs::write(
        store.join("cis-2030/statements/2024-11-07-\u{202E}lmth.yaml"),
        "id: 2024-11-07-x\ninitiative: cis-2030\ndate: \"2024-11-07\"\nlanguage: en\nsummary: S.\n\"ven\\u202Eue\": x\n",
    )
    .unwrap();
    let out = dossier(&env, &store, &["check"]);
    assert_eq!(out.code, 1, "{out}");
    assert_no_raw_controls(&out, "check");
    assert!(out.stdout.contains("<U+202E>"), "{out}");
    assert_tables_aligned(&out, "check");
    eprintln!("hostile text: escaped and aligned in {checked:?} and check");
}

/// Wording ops back to the two texts: `equal` and `insert` make the new one; `equal` (its
/// `old_text` where present) and `delete` make the old one.
fn rebuild(ops: &Value) -> (String, String) {
    let (mut old, mut new) = (String::new(), String::new());
    for op in ops.as_array().expect("ops") {
        let text = op["text"].as_str().unwrap();
        match op["op"].as_str().unwrap() {
            "equal" => {
                new.push_str(text);
                old.push_str(op["old_text"].as_str().unwrap_or(text));
            }
            "insert" => new.push_str(text),
            "delete" => old.push_str(text),
            other => panic!("op {other}"),
        }
    }
    (old, new)
}

/// Licence texts carry page breaks (form feeds): such a source text is stored without
/// loss and diffs cleanly against an amended copy.
#[test]
fn a_licence_text_with_page_breaks_round_trips_and_diffs_cleanly() {
    let env = Env::new();
    let store = env.store("s");
    let system = Path::new("/usr/share/common-licenses/LGPL-2.1");
    let crafted = "TERMS AND CONDITIONS\n\u{c}\n  0. This License applies to any software library.\n\u{c}\n  1. You may copy and distribute verbatim copies.\n\u{c}\n\tEND OF TERMS AND CONDITIONS\n".to_string();
    let mut texts = vec![("crafted", crafted)];
    match std::fs::read_to_string(system) {
        Ok(t) => texts.push(("lgpl", t)),
        Err(_) => eprintln!("skipped {}: not on this machine", system.display()),
    }
    for (name, text) in texts {
        assert!(text.contains('\u{c}'), "{name} has no form feed");
        let amended = text.replacen("copy", "copy, modify", 1);
        let mut refs = Vec::new();
        for (n, t) in [(1, &text), (2, &amended)] {
            let id = format!("2024-0{n}-01-licence-{name}");
            let file = env.path(&format!("{id}.txt"));
            std::fs::write(&file, t).unwrap();
            dossier(
                &env,
                &store,
                &[
                    "record",
                    "cis-2030",
                    "--id",
                    &id,
                    "--date",
                    &id[..10],
                    "--lang",
                    "en",
                    "--text-file",
                    file.to_str().unwrap(),
                ],
            )
            .ok();
            let reference = format!("cis-2030/{id}");
            let json = dossier(&env, &store, &["show", &reference, "--format", "json"]);
            assert_eq!(
                json.ok().json()["text"],
                t.as_str(),
                "{name} changed in the store"
            );
            refs.push(reference);
        }
        let out = dossier(
            &env,
            &store,
            &["diff", &refs[0], &refs[1], "--format", "json"],
        );
        assert!(out.code == 0 || out.code == 1, "{out}");
        let d = out.json();
        let d = if d.is_array() { d[0].clone() } else { d };
        let (old, new) = rebuild(&d["wording"]["ops"]);
        assert_eq!(
            (old.as_str(), new.as_str()),
            (text.as_str(), amended.as_str())
        );
        assert_eq!(
            d["wording"]["words_added"], 1,
            "{name}: {}",
            d["wording"]["words_added"]
        );
        assert_eq!(d["wording"]["words_removed"], 0, "{name}");
        let table = dossier(&env, &store, &["diff", &refs[0], &refs[1]]);
        assert_no_raw_controls(&table, name);
        assert_tables_aligned(&table, name);
    }
    dossier(&env, &store, &["check"]).ok();
    env.fsck(&store);
}

/// A terminal escape sequence in a record (here SGR: `ESC[8m` conceals the text after it,
/// `ESC[31m` paints it as "removed") must be shown escaped like every other control
/// character, in every table.
#[test]
fn an_escape_sequence_in_a_record_is_shown_escaped() {
    let env = Env::new();
    let store = env.store("s");
    let mut refs = Vec::new();
    for (id, venue) in [
        ("2024-11-07-sgr-a", "Hall A"),
        ("2024-12-07-sgr-b", "Hall \u{1b}[8mB\u{1b}[31m"),
    ] {
        dossier(
            &env,
            &store,
            &[
                "record",
                "cis-2030",
                "--id",
                id,
                "--date",
                &id[..10],
                "--lang",
                "en",
                "--speaker",
                &format!("Speaker {}", &venue[5..]),
                "--venue",
                venue,
                "--summary",
                &format!("Summary {venue}"),
            ],
        )
        .ok();
        refs.push(format!("cis-2030/{id}"));
    }
    let mut leaks = Vec::new();
    for args in [
        vec!["show", refs[1].as_str()],
        vec!["log"],
        vec!["diff", refs[0].as_str(), refs[1].as_str()],
    ] {
        let out = dossier(&env, &store, &args);
        if out.stdout.contains('\u{1b}') {
            leaks.push(args.join(" "));
        }
    }
    assert!(
        leaks.is_empty(),
        "a raw ESC reaches the terminal in: {leaks:?}"
    );
}
