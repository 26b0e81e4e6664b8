//! A sync that fails leaves the store usable: a stale lock is named as a lock, a full
//! disk is said so and the work tree is put back, a write whose file could not be written
//! after its commit is finished by the next command, and a sync killed at any moment
//! (several commits replayed) is finished or undone by the next one.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{dossier, Env};
use crate::hardening::{env_number, Rng};
use crate::recovery::Ledger;
use crate::sync::{bare_hub, file_url, head, hub_main, log_refs, sync, Team};

/// Ada's store published at a hub, and Bo's clone.
pub(crate) fn team() -> Team {
    let ada = Env::new();
    let hub = ada.path("hub.git");
    bare_hub(&ada, &hub);
    let url = file_url(&hub);
    Team::new(ada, hub, &url)
}

/// Makes `path` look an hour old (a lock a crashed process left).
pub(crate) fn age(path: &Path) {
    let st = Command::new("touch")
        .args(["-d", "1 hour ago"])
        .arg(path)
        .status()
        .unwrap();
    assert!(st.success());
}

#[test]
fn a_stale_ref_lock_is_named_as_a_lock_and_the_next_sync_works() {
    let t = team();
    let mut named = 0;
    for (n, lock) in [
        "refs/remotes/origin/main.lock",
        "refs/heads/main.lock",
        "index.lock",
    ]
    .into_iter()
    .enumerate()
    {
        // Each time a replay: Bo's new statement over one of Ada's.
        t.bo.record(
            &t.b,
            &format!("2025-04-0{}", n + 1),
            "Bo Source",
            &["Logistics"],
        );
        sync(&t.bo, &t.b, &[]).ok();
        t.ada.record(
            &t.a,
            &format!("2024-04-0{}", n + 1),
            "Ada Source",
            &["Training"],
        );
        let ledger = Ledger::take(&t.ada, &t.a, &t.hub);
        let path = t.a.join(".git").join(lock);
        std::fs::write(&path, "").unwrap();
        age(&path);
        let before = t.ada.snapshot(&t.a, &t.a);
        let out = sync(&t.ada, &t.a, &[]);
        out.refused_with(&["lock", lock]);
        assert!(
            !out.stderr.contains("could not reach") && !out.stderr.contains("moved while"),
            "a lock reported as something else\n{out}"
        );
        assert!(path.exists(), "dossier removed a git lock");
        t.ada.assert_unchanged(&t.a, &t.a, &before, lock);
        // The analyst removes it, as the message says, and syncs again.
        std::fs::remove_file(&path).unwrap();
        named += 1;
        sync(&t.ada, &t.a, &[]).ok();
        ledger.assert_kept(&t.ada, &t.a, &t.hub, lock);
    }
    eprintln!("stale git locks: {named} named, none removed, the next sync worked each time");
}

#[test]
fn a_lock_a_crashed_push_left_in_the_remote_is_named_not_called_a_moving_remote() {
    let t = team();
    t.ada
        .record(&t.a, "2024-05-01", "Ada Source", &["Training"]);
    let ledger = Ledger::take(&t.ada, &t.a, &t.hub);
    // A push that died on the remote's side leaves the branch's lock there.
    let path = t.hub.join("refs/heads/main.lock");
    std::fs::write(&path, "").unwrap();
    age(&path);
    let before = t.ada.snapshot(&t.a, &t.a);
    let out = sync(&t.ada, &t.a, &[]);
    out.refused_with(&[
        "could not lock its branch `main`",
        "refs/heads/main.lock",
        "the remote said:",
    ]);
    assert!(
        !out.stderr.contains("kept moving"),
        "a lock reported as a moving remote\n{out}"
    );
    assert!(path.exists(), "dossier removed the remote's lock");
    t.ada
        .assert_unchanged(&t.a, &t.a, &before, "the remote's lock");
    // Whoever looks after the remote removes it; the next sync pushes.
    std::fs::remove_file(&path).unwrap();
    sync(&t.ada, &t.a, &[]).ok();
    ledger.assert_kept(&t.ada, &t.a, &t.hub, "the remote's lock");
}

// ---------------------------------------------------------------------------------------
// A full disk
// ---------------------------------------------------------------------------------------

/// A tmpfs mounted for the test (root and `mount` needed), unmounted on drop.
pub(crate) struct Tmpfs(pub PathBuf);

impl Tmpfs {
    /// Mounts a tmpfs of `size` at `dir`; `None` (with a message) where that is not
    /// allowed, except under CI, where it is a failure.
    pub(crate) fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs(dir.to_path_buf())),
            other => {
                let why = match other {
                    Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
                    Err(e) => e.to_string(),
                };
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "CI must be able to mount a tmpfs for the full-disk tests: {why}"
                );
                eprintln!("SKIPPED: cannot mount a tmpfs here ({why})");
                None
            }
        }
    }

    /// Fills the file system, then frees `room` bytes.
    pub(crate) fn fill_leaving(&self, room: usize) -> PathBuf {
        use std::io::Write;
        let filler = self.0.join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let chunk = vec![b'x'; 4096];
        while f.write_all(&chunk).is_ok() {}
        let _ = f.flush();
        drop(f);
        let len = std::fs::metadata(&filler).unwrap().len();
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(&filler)
            .unwrap();
        file.set_len(len.saturating_sub(room as u64)).unwrap();
        filler
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Ada's work tree on a small tmpfs, her git directory on the ordinary disk (so commits
/// and fetches succeed and only the work tree's files fail), cloned from the hub.
pub(crate) fn ada_on_tmpfs(t: &Team, fs: &Tmpfs) -> PathBuf {
    let work = fs.0.join("a");
    let gitdir = t.ada.path("ada-on-tmpfs.git");
    t.ada.git(
        t.ada.dir.path(),
        &[
            "clone",
            "-q",
            "--separate-git-dir",
            gitdir.to_str().unwrap(),
            &file_url(&t.hub),
            work.to_str().unwrap(),
        ],
    );
    // libgit2 takes the git directory's parent for the work tree unless told.
    t.ada
        .git(&work, &["config", "core.worktree", work.to_str().unwrap()]);
    work
}

pub(crate) fn long_summary(i: usize) -> String {
    format!("Summary {i}: {}", "word ".repeat(6000))
}

#[test]
fn a_full_disk_during_a_sync_puts_the_work_tree_back_and_the_next_sync_works() {
    let t = team();
    let Some(fs) = Tmpfs::mount(&t.ada.path("small"), "2m") else {
        return;
    };
    let a = ada_on_tmpfs(&t, &fs);
    // Bo records five large statements (30 KB each) and pushes them.
    let mut bo_refs = Vec::new();
    for i in 0..5 {
        let out = crate::common::run(t.bo.dossier_in(&t.b).args([
            "record",
            "cis-2030",
            "--date",
            &format!("2025-05-0{}", i + 1),
            "--speaker",
            "Bo Source",
            "--lang",
            "en",
            "--summary",
            &long_summary(i),
        ]));
        out.ok();
        bo_refs.push(out.stdout.trim().to_string());
    }
    sync(&t.bo, &t.b, &[]).ok();
    // And Ada one of hers, so that the sync replays it over Bo's.
    t.ada.record(&a, "2024-05-01", "Ada Source", &["Training"]);
    let ledger = Ledger::take(&t.ada, &a, &t.hub);
    let before_head = head(&t.ada, &a);
    let filler = fs.fill_leaving(48 * 1024);
    let out = sync(&t.ada, &a, &[]);
    out.refused_with(&["disk is full"]);
    assert_eq!(head(&t.ada, &a), before_head, "the branch moved");
    assert_eq!(
        t.ada.git_status(&a),
        "",
        "the work tree was not put back\n{out}"
    );
    std::fs::remove_file(&filler).unwrap();
    let out = sync(&t.ada, &a, &[]);
    out.ok();
    ledger.assert_kept(&t.ada, &a, &t.hub, "after a full disk");
    for r in &bo_refs {
        assert!(log_refs(&t.ada, &a).contains(r), "{r} is missing");
    }
}

#[test]
fn a_record_committed_on_a_full_disk_is_finished_by_the_next_command() {
    let t = team();
    let Some(fs) = Tmpfs::mount(&t.ada.path("small"), "2m") else {
        return;
    };
    let a = ada_on_tmpfs(&t, &fs);
    let filler = fs.fill_leaving(0);
    let out = crate::common::run(t.ada.dossier_in(&a).args([
        "record",
        "cis-2030",
        "--date",
        "2025-06-01",
        "--speaker",
        "Ada Source",
        "--lang",
        "en",
        "--summary",
        &long_summary(1),
    ]));
    out.refused_with(&["commit", "nothing is lost", "disk is full"]);
    let committed = t.ada.git(&a, &["log", "-1", "--format=%s"]);
    assert!(committed.starts_with("record "), "{committed}");
    std::fs::remove_file(&filler).unwrap();
    // Any command finishes it: here `status`.
    dossier(&t.ada, &a, &["status"]).ok();
    let top = t
        .ada
        .git(&a, &["rev-parse", "--show-toplevel", "--git-dir"]);
    assert_eq!(
        t.ada.git_status(&a),
        "",
        "the record was not finished ({top})"
    );
    let id = committed.trim().trim_start_matches("record ").to_string();
    assert!(log_refs(&t.ada, &a).contains(&id));
}

// ---------------------------------------------------------------------------------------
// A sync killed at any moment
// ---------------------------------------------------------------------------------------

/// Ada and Bo record in turn; each of Ada's syncs replays her two new commits over Bo's
/// three and is killed with SIGKILL after a seeded delay (up to 1.2 times a whole sync's
/// duration, measured first). After each kill, the next `dossier sync` (after the test
/// removes a git lock the kill left, as an analyst would once the message names it) must
/// succeed, and then: the work tree, the index and HEAD agree, fsck is clean, the hub is
/// Ada's HEAD, and every statement either analyst recorded is there.
///
/// `DOSSIER_SYNC_KILLS` (default 12) and `DOSSIER_KILL_SEED` change the run.
#[test]
fn a_sync_killed_at_random_moments_is_finished_by_the_next_one() {
    let kills = env_number("DOSSIER_SYNC_KILLS", 12);
    let mut rng = Rng(env_number("DOSSIER_KILL_SEED", 0x5EED_D055));
    let t = team();
    let mut all: Vec<String> = log_refs(&t.ada, &t.a);
    let mut killed = 0;
    let mut locks = 0;
    let mut calibration = None::<Duration>;
    for i in 0..kills {
        for j in 0..3 {
            let n = i * 3 + j;
            let date = format!("2025-{:02}-{:02}", 1 + n / 28, 1 + n % 28);
            all.push(t.bo.record(&t.b, &date, "Bo Source", &["Logistics"]));
        }
        sync(&t.bo, &t.b, &[]).ok();
        for j in 0..2 {
            let n = i * 2 + j;
            let date = format!("2024-{:02}-{:02}", 1 + n / 28, 1 + n % 28);
            all.push(t.ada.record(&t.a, &date, "Ada Source", &["Training"]));
        }
        let mut child = t
            .ada
            .command(&t.a)
            .args(["sync", "--quiet"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        match calibration {
            None => {
                assert!(child.wait().unwrap().success(), "the first sync failed");
                calibration = Some(start.elapsed());
            }
            Some(full) => {
                let delay = rng.below((full.as_micros() as u64) * 12 / 10);
                while start.elapsed() < Duration::from_micros(delay) {
                    if child.try_wait().unwrap().is_some() {
                        break;
                    }
                    std::hint::spin_loop();
                }
                if child.try_wait().unwrap().is_none() {
                    killed += 1;
                }
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        // The next sync finishes the job; a lock the kill left is named, then removed.
        let mut out = sync(&t.ada, &t.a, &[]);
        for _ in 0..3 {
            if out.code == 0 {
                break;
            }
            // Do what the hint says: remove the lock file the message names (a kill can
            // leave one at any step: index, HEAD, a ref, libgit2's shallow.lock of a fetch).
            let named = named_lock(&out.stderr).unwrap_or_else(|| {
                let listing = Command::new("find")
                    .args([&t.a.join(".git"), &t.hub])
                    .args(["-name", "*.lock"])
                    .output()
                    .unwrap();
                panic!(
                    "the sync after a kill failed without naming a lock (locks present: {})\n{out}",
                    String::from_utf8_lossy(&listing.stdout)
                )
            });
            // A killed push over file:// is the process that writes the hub's ref, so
            // its lock can be left in the hub (the analyst owns that folder too).
            assert!(
                (named.starts_with(t.a.join(".git")) || named.starts_with(&t.hub))
                    && named.exists(),
                "the named lock {} is not a file in the store's .git or the hub\n{out}",
                named.display()
            );
            std::fs::remove_file(&named).unwrap();
            locks += 1;
            out = sync(&t.ada, &t.a, &[]);
        }
        out.ok();
        assert_eq!(
            t.ada.git_status(&t.a),
            "",
            "after kill {i}: work tree, index and HEAD disagree"
        );
        t.ada.fsck(&t.a);
        assert_eq!(
            head(&t.ada, &t.a),
            hub_main(&t.ada, &t.hub),
            "after kill {i}"
        );
        let mut want = all.clone();
        want.sort();
        assert_eq!(
            log_refs(&t.ada, &t.a),
            want,
            "after kill {i}: a statement is missing"
        );
    }
    eprintln!(
        "sync kill loop: {kills} syncs (each replaying 2 commits over 3), {killed} killed before they finished, {locks} stale git locks named and removed; a whole sync took {:?}",
        calibration.unwrap_or_default()
    );
}

/// The lock file a sync's error names: a path ending in `.lock`, as written in the
/// message (inside quotes or backticks, or bare).
fn named_lock(stderr: &str) -> Option<PathBuf> {
    stderr
        .split(|c: char| c == '\'' || c == '`' || c == '"' || c.is_whitespace())
        .find(|w| w.starts_with('/') && w.ends_with(".lock"))
        .map(PathBuf::from)
}
