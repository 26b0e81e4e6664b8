//! After any failed sync, the next `dossier sync` works once the cause is gone, and
//! nothing is lost: for each kind of failure (a read-only file system, a path the file
//! system refuses, a sync killed in the middle of its checkout, the first sync of a store
//! without commits on a full disk, behind a stale lock, or killed) the test removes the
//! cause as an analyst would, runs `dossier sync` again, and compares with what existed
//! before: every commit of `git log --all` (Ada's store and the hub) and every record
//! file. A lock, a full disk and a cut push have theirs in `failed_sync.rs` and
//! `cut_push.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{dossier, run, Env, Out};
use crate::failed_sync::{ada_on_tmpfs, age, long_summary, team, Tmpfs};
use crate::sync::{file_url, head, hub_main, log_refs, sync, Team};

/// What must survive a failed sync: every commit either side made (author and subject:
/// a replay keeps both) and every record file (its blob) at Ada's HEAD and the hub's main.
pub(crate) struct Ledger {
    commits: BTreeSet<String>,
    records: BTreeMap<String, String>,
}

fn commits(env: &Env, repo: &Path, revs: &[&str]) -> BTreeSet<String> {
    let mut args = vec!["log", "--format=%an\u{1f}%s"];
    args.extend_from_slice(revs);
    env.git(repo, &args).lines().map(str::to_string).collect()
}

/// The record files (`.yaml`) of `rev` in `repo` and their blobs; none before a first
/// commit.
fn records(env: &Env, repo: &Path, rev: &str) -> BTreeMap<String, String> {
    let exists = env
        .git_command(repo)
        .args(["rev-parse", "--verify", "--quiet", rev])
        .stdout(Stdio::null())
        .status()
        .unwrap()
        .success();
    if !exists {
        return BTreeMap::new();
    }
    env.git(repo, &["ls-tree", "-r", rev])
        .lines()
        .filter_map(|l| {
            let (meta, path) = l.split_once('\t')?;
            let blob = meta.split_whitespace().nth(2)?;
            path.ends_with(".yaml")
                .then(|| (path.to_string(), blob.to_string()))
        })
        .collect()
}

impl Ledger {
    /// Takes stock of Ada's store and the hub (the two sides change different records).
    pub(crate) fn take(env: &Env, store: &Path, hub: &Path) -> Ledger {
        let mut all = commits(env, hub, &["--all"]);
        if !records(env, store, "HEAD").is_empty() {
            all.extend(commits(env, store, &["--all"]));
        }
        let mut files = records(env, hub, "refs/heads/main");
        for (path, blob) in records(env, store, "HEAD") {
            if let Some(theirs) = files.insert(path.clone(), blob.clone()) {
                assert!(
                    theirs == blob || path.ends_with("initiative.yaml"),
                    "the ledger wants the two sides to change different records: {path}"
                );
            }
        }
        Ledger {
            commits: all,
            records: files,
        }
    }

    /// After the sync that followed a failure: Ada's HEAD has every commit and every
    /// record, her work tree is HEAD, the hub has it all, `dossier check` passes.
    #[track_caller]
    pub(crate) fn assert_kept(&self, env: &Env, store: &Path, hub: &Path, what: &str) {
        let now = commits(env, store, &["HEAD"]);
        let lost: Vec<&String> = self.commits.difference(&now).collect();
        assert!(lost.is_empty(), "{what}: commits lost: {lost:?}");
        let files = records(env, store, "HEAD");
        for (path, blob) in &self.records {
            assert!(
                files.get(path) == Some(blob) || path.ends_with("initiative.yaml"),
                "{what}: {path} lost or changed"
            );
        }
        assert_eq!(
            env.git_status(store),
            "",
            "{what}: the work tree is not HEAD"
        );
        env.fsck(store);
        assert_eq!(head(env, store), hub_main(env, hub), "{what}: not pushed");
        dossier(env, store, &["check"]).ok();
    }
}

/// `dossier sync` after a failure, removing (as an analyst would, once the message names
/// it) a git lock a kill left behind; returns the successful run and the locks removed.
fn sync_after_kill(env: &Env, store: &Path, gitdir: &Path) -> (Out, usize) {
    let mut removed = 0;
    let mut out = sync(env, store, &[]);
    for _ in 0..3 {
        if out.code == 0 {
            break;
        }
        let lock = [
            "index.lock",
            "HEAD.lock",
            "refs/heads/main.lock",
            "refs/remotes/origin/main.lock",
        ]
        .into_iter()
        .find(|l| out.stderr.contains(l) && gitdir.join(l).exists())
        .unwrap_or_else(|| panic!("the sync after a kill failed without naming a lock\n{out}"));
        std::fs::remove_file(gitdir.join(lock)).unwrap();
        removed += 1;
        out = sync(env, store, &[]);
    }
    out.ok();
    (out, removed)
}

/// Starts `dossier sync` in `dir` and kills it (SIGKILL) the moment `trigger` (a file
/// its checkout writes) exists. Returns whether it was still running then.
fn kill_when_written(env: &Env, dir: &Path, trigger: &Path) -> bool {
    let mut child = env
        .command(dir)
        .args(["sync", "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while !trigger.exists() {
        if child.try_wait().unwrap().is_some() || start.elapsed() > Duration::from_secs(120) {
            break;
        }
        std::hint::spin_loop();
    }
    let running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    running
}

/// Bo records `n` large statements (30 KB each, so that a checkout takes a while) and
/// pushes them; returns their record paths, sorted (the order a checkout writes them).
fn bo_pushes_large_statements(t: &Team, n: usize, month: usize) -> Vec<String> {
    let mut paths = Vec::new();
    for i in 0..n {
        let out = run(t.bo.dossier_in(&t.b).args([
            "record",
            "cis-2030",
            "--date",
            // Days 1-28 only (February has no 29th in 2025), then the next year.
            &format!("{}-{month:02}-{:02}", 2025 + i / 28, i % 28 + 1),
            "--speaker",
            "Bo Source",
            "--lang",
            "en",
            "--summary",
            &long_summary(i),
        ]));
        out.ok();
        paths.push(crate::sync::record_path(out.stdout.trim()));
    }
    sync(&t.bo, &t.b, &[]).ok();
    paths.sort();
    paths
}

// ---------------------------------------------------------------------------------------
// The file system says no
// ---------------------------------------------------------------------------------------

fn remount(dir: &Path, how: &str) {
    let st = Command::new("mount")
        .args(["-o", &format!("remount,{how}")])
        .arg(dir)
        .status()
        .unwrap();
    assert!(st.success(), "remount {how}");
}

#[test]
fn a_read_only_file_system_has_its_own_message_and_the_next_sync_works() {
    let t = team();
    let Some(fs) = Tmpfs::mount(&t.ada.path("small"), "8m") else {
        return;
    };
    let a = ada_on_tmpfs(&t, &fs);
    t.ada.record(&a, "2024-02-01", "Ada Source", &["Training"]);
    bo_pushes_large_statements(&t, 3, 5);
    let ledger = Ledger::take(&t.ada, &a, &t.hub);
    let before = head(&t.ada, &a);
    remount(&fs.0, "ro");
    let out = sync(&t.ada, &a, &[]);
    remount(&fs.0, "rw");
    out.refused_with(&["the file system is read-only", "remount it read-write"]);
    for other in ["disk is full", "could not reach", "refused to write"] {
        assert!(!out.stderr.contains(other), "read as {other:?}\n{out}");
    }
    assert_eq!(head(&t.ada, &a), before, "the branch moved");
    assert_eq!(t.ada.git_status(&a), "", "the work tree was not put back");
    sync(&t.ada, &a, &[]).ok();
    ledger.assert_kept(&t.ada, &a, &t.hub, "after a read-only file system");
}

#[test]
fn a_path_the_file_system_refuses_has_its_own_message_and_the_next_sync_works() {
    let t = team();
    let Some(fs) = Tmpfs::mount(&t.ada.path("small"), "8m") else {
        return;
    };
    let a = ada_on_tmpfs(&t, &fs);
    t.ada.record(&a, "2024-02-01", "Ada Source", &["Training"]);
    bo_pushes_large_statements(&t, 3, 5);
    let ledger = Ledger::take(&t.ada, &a, &t.hub);
    // An immutable folder (as root; `chmod` does not stop root).
    let folder = a.join("cis-2030/statements");
    let chattr = |flag: &str| Command::new("chattr").arg(flag).arg(&folder).status();
    match chattr("+i") {
        Ok(st) if st.success() => {}
        other => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI must be able to make a folder immutable: {other:?}"
            );
            eprintln!("SKIPPED: chattr +i is not possible here ({other:?})");
            return;
        }
    }
    let before = head(&t.ada, &a);
    let out = sync(&t.ada, &a, &[]);
    assert!(chattr("-i").unwrap().success());
    out.refused_with(&[
        "the file system refused to write",
        "cis-2030/statements/",
        "ls -ld",
    ]);
    for other in ["disk is full", "read-only", "could not reach"] {
        assert!(!out.stderr.contains(other), "read as {other:?}\n{out}");
    }
    assert_eq!(head(&t.ada, &a), before, "the branch moved");
    assert_eq!(t.ada.git_status(&a), "", "the work tree was not put back");
    sync(&t.ada, &a, &[]).ok();
    ledger.assert_kept(&t.ada, &a, &t.hub, "after a refused path");
}

// ---------------------------------------------------------------------------------------
// Killed in the middle of the checkout
// ---------------------------------------------------------------------------------------

/// Ada has two commits of her own; Bo pushes 30 large statements; Ada's sync replays her
/// commits and is killed the moment its checkout has written the first of Bo's files
/// (the branch not moved yet). The next sync finishes it. A kill that lands too late
/// (the branch already moved) does not count; up to four rounds are tried.
#[test]
fn a_sync_killed_in_the_middle_of_its_checkout_is_finished_by_the_next_one() {
    let t = team();
    let gitdir = t.a.join(".git");
    let (mut landed, mut late, mut locks) = (0, 0, 0);
    for round in 0..4 {
        let bo = bo_pushes_large_statements(&t, 30, round + 1);
        for j in 0..2 {
            let date = format!("2024-{:02}-{:02}", round + 1, j + 1);
            t.ada.record(&t.a, &date, "Ada Source", &["Training"]);
        }
        let ledger = Ledger::take(&t.ada, &t.a, &t.hub);
        let before = head(&t.ada, &t.a);
        let first = t.a.join(&bo[0]);
        let running = kill_when_written(&t.ada, &t.a, &first);
        let written = bo.iter().filter(|p| t.a.join(p).exists()).count();
        let mid = running && first.exists() && head(&t.ada, &t.a) == before;
        if mid {
            landed += 1;
            eprintln!("round {round}: killed with {written} of Bo's 30 files written, the branch not moved");
        } else {
            late += 1;
        }
        let (_, removed) = sync_after_kill(&t.ada, &t.a, &gitdir);
        locks += removed;
        ledger.assert_kept(&t.ada, &t.a, &t.hub, &format!("round {round}"));
        if landed > 0 {
            break;
        }
    }
    assert!(
        landed > 0,
        "no kill landed in the middle of a checkout ({late} too late)"
    );
    eprintln!(
        "killed mid-checkout: {landed} kill(s) landed, {late} too late, {locks} stale lock(s) named and removed"
    );
}

// ---------------------------------------------------------------------------------------
// The first sync of a store without commits
// ---------------------------------------------------------------------------------------

/// A store without commits at `work` (its git directory at `gitdir`): `git init`, the
/// hub's `dossier.yaml` copied in (what makes the folder a store), the hub as origin.
fn empty_store(env: &Env, work: &Path, gitdir: &Path, hub: &Path) {
    env.git(
        env.dir.path(),
        &[
            "init",
            "-q",
            "--separate-git-dir",
            gitdir.to_str().unwrap(),
            work.to_str().unwrap(),
        ],
    );
    env.git(work, &["config", "core.worktree", work.to_str().unwrap()]);
    let settings = env.git(hub, &["show", "refs/heads/main:dossier.yaml"]);
    std::fs::write(work.join("dossier.yaml"), settings).unwrap();
    env.git(work, &["remote", "add", "origin", &file_url(hub)]);
}

/// Nothing but the analyst's `dossier.yaml` in `work`, and no branch.
#[track_caller]
fn still_empty(env: &Env, work: &Path, what: &str) {
    let mut files: Vec<String> = Vec::new();
    for entry in walk(work) {
        files.push(entry.strip_prefix(work).unwrap().display().to_string());
    }
    assert_eq!(files, ["dossier.yaml"], "{what}: files left behind");
    assert_eq!(
        env.git_status(work),
        "?? dossier.yaml\n",
        "{what}: the index changed"
    );
    let branch = env
        .git_command(work)
        .args(["rev-parse", "--verify", "--quiet", "HEAD"])
        .output()
        .unwrap();
    assert!(!branch.status.success(), "{what}: a branch was created");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if entry.file_name() == ".git" || entry.file_name() == "lost+found" {
            continue;
        }
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn the_first_sync_of_a_store_without_commits_is_a_transaction() {
    let t = team();
    let bo = bo_pushes_large_statements(&t, 5, 5);
    let ada = &t.ada;

    // Behind a stale lock: named before anything is written, never removed.
    let work = ada.path("first-locked");
    let gitdir = ada.path("first-locked.git");
    empty_store(ada, &work, &gitdir, &t.hub);
    let lock = gitdir.join("index.lock");
    std::fs::write(&lock, "").unwrap();
    age(&lock);
    let out = sync(ada, &work, &[]);
    out.refused_with(&["lock", "index.lock"]);
    assert!(lock.exists(), "dossier removed a git lock");
    still_empty(ada, &work, "behind a lock");
    std::fs::remove_file(&lock).unwrap();
    sync(ada, &work, &[]).ok();
    let ledger = Ledger::take(ada, &work, &t.hub);
    ledger.assert_kept(ada, &work, &t.hub, "first sync after a lock");
    assert_eq!(log_refs(ada, &work), log_refs(&t.bo, &t.b));

    // Killed in the middle of its checkout: the next sync finishes it.
    let work = ada.path("first-killed");
    let gitdir = ada.path("first-killed.git");
    empty_store(ada, &work, &gitdir, &t.hub);
    let running = kill_when_written(ada, &work, &work.join(&bo[0]));
    eprintln!(
        "first sync killed {} ({} of {} files written)",
        if running { "mid-checkout" } else { "too late" },
        bo.iter().filter(|p| work.join(p).exists()).count(),
        bo.len()
    );
    sync_after_kill(ada, &work, &gitdir);
    ledger.assert_kept(ada, &work, &t.hub, "first sync after a kill");

    // On a full disk: the files it wrote are removed, the analyst's dossier.yaml stays,
    // and once there is room the next sync goes through.
    let Some(fs) = Tmpfs::mount(&ada.path("small"), "2m") else {
        return;
    };
    let work = fs.0.join("first-full");
    let gitdir = ada.path("first-full.git");
    empty_store(ada, &work, &gitdir, &t.hub);
    let filler = fs.fill_leaving(48 * 1024);
    let out = sync(ada, &work, &[]);
    out.refused_with(&["the disk is full", "free some space"]);
    still_empty(ada, &work, "on a full disk");
    std::fs::remove_file(&filler).unwrap();
    sync(ada, &work, &[]).ok();
    ledger.assert_kept(ada, &work, &t.hub, "first sync after a full disk");
}
