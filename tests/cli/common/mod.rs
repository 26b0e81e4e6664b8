//! The hermetic test environment: every test gets its own HOME, git config, pinned
//! dates and a fixed width, and a store that is a real git repository.

#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::Command as Cmd;

/// The repository's root (for the bundled store and seeds).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Env {
    pub dir: tempfile::TempDir,
    pub home: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let home = dir.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::write(
            home.join(".gitconfig"),
            "[user]\n\tname = Ada Analyst\n\temail = ada@example.org\n[init]\n\tdefaultBranch = main\n[protocol \"file\"]\n\tallow = always\n",
        )
        .unwrap();
        Env { dir, home }
    }

    /// A path inside the test's folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn apply(&self, cmd: &mut Command) {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", "2026-01-02T03:04:05+00:00")
            .env("GIT_COMMITTER_DATE", "2026-01-02T03:04:05+00:00")
            .env("COLUMNS", "100")
            .env("LANG", "C.UTF-8")
            .env("NO_COLOR", "1");
    }

    /// `dossier` as a plain process in `cwd`, for tests that spawn, kill or time it.
    pub fn command(&self, cwd: &Path) -> Command {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("dossier"));
        self.apply(&mut cmd);
        cmd.current_dir(cwd);
        cmd
    }

    /// `dossier ARGS` run in `cwd`.
    pub fn dossier_in(&self, cwd: &Path) -> Cmd {
        Cmd::from_std(self.command(cwd))
    }

    /// `dossier ARGS` run in the test's folder.
    pub fn dossier(&self) -> Cmd {
        self.dossier_in(self.dir.path())
    }

    /// The real git CLI in `cwd`, as a process to run (for git commands that may fail).
    pub fn git_command(&self, cwd: &Path) -> Command {
        let mut cmd = Command::new("git");
        self.apply(&mut cmd);
        cmd.current_dir(cwd);
        cmd
    }

    /// The real git CLI in `cwd`; returns stdout, panics on failure.
    pub fn git(&self, cwd: &Path, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        self.apply(&mut cmd);
        let out = cmd.current_dir(cwd).args(args).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// A new store at `name` with one initiative `cis-2030`; returns its path.
    pub fn store(&self, name: &str) -> PathBuf {
        let dir = self.path(name);
        self.dossier().args(["init", name]).assert().success();
        self.dossier_in(&dir)
            .args([
                "initiative",
                "add",
                "cis-2030",
                "--title",
                "Concept of military cooperation until 2030",
                "--org",
                "CIS",
                "--horizon",
                "2030",
                "--status",
                "adopted",
            ])
            .assert()
            .success();
        dir
    }

    /// Records a small statement with flags; returns its ref.
    pub fn record(&self, store: &Path, date: &str, speaker: &str, priorities: &[&str]) -> String {
        let mut cmd = self.dossier_in(store);
        cmd.args([
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
        ]);
        for p in priorities {
            cmd.args(["--priority", p]);
        }
        let out = cmd.assert().success().get_output().stdout.clone();
        String::from_utf8(out).unwrap().trim().to_string()
    }

    /// Everything git reports as changed, staged or untracked.
    pub fn git_status(&self, cwd: &Path) -> String {
        self.git(cwd, &["status", "--porcelain"])
    }

    pub fn fsck(&self, cwd: &Path) {
        self.git(cwd, &["fsck", "--full", "--strict"]);
    }
}

/// What "nothing changed" compares: HEAD, `git status`, and every file under a folder
/// (content included; `.git` folders and the test's HOME left out).
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub head: String,
    pub status: String,
    pub files: std::collections::BTreeMap<PathBuf, Vec<u8>>,
}

impl Env {
    /// The state of `repo`, with the files under `root`.
    pub fn snapshot(&self, repo: &Path, root: &Path) -> Snapshot {
        fn walk(dir: &Path, skip: &Path, out: &mut std::collections::BTreeMap<PathBuf, Vec<u8>>) {
            let Ok(entries) = std::fs::read_dir(dir) else {
                return;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if entry.file_name() == ".git" || path == skip {
                    continue;
                }
                if entry.file_type().is_ok_and(|t| t.is_dir()) {
                    walk(&path, skip, out);
                } else if let Ok(bytes) = std::fs::read(&path) {
                    out.insert(path, bytes);
                }
            }
        }
        let mut files = std::collections::BTreeMap::new();
        walk(root, &self.home, &mut files);
        Snapshot {
            head: self.git(repo, &["rev-parse", "HEAD"]),
            status: self.git_status(repo),
            files,
        }
    }

    /// Asserts that `repo` and the files under `root` are as `before`.
    #[track_caller]
    pub fn assert_unchanged(&self, repo: &Path, root: &Path, before: &Snapshot, what: &str) {
        let after = self.snapshot(repo, root);
        assert_eq!(before.head, after.head, "{what}: HEAD moved");
        assert_eq!(before.status, after.status, "{what}: git status changed");
        let changed: Vec<&PathBuf> = before
            .files
            .keys()
            .chain(after.files.keys())
            .filter(|k| before.files.get(*k) != after.files.get(*k))
            .collect();
        assert!(changed.is_empty(), "{what}: files changed: {changed:?}");
    }
}

/// Writes an executable file (a fake editor, pager or git hook) at `path`.
pub fn executable(path: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, body).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.to_path_buf()
}

/// An executable script named `name` in the test's folder.
pub fn script(env: &Env, name: &str, body: &str) -> PathBuf {
    executable(&env.path(name), body)
}

pub fn stdout(cmd: &mut Cmd) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

/// What a command did, and how long it took.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: std::time::Duration,
}

impl Out {
    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(self.code, 0, "expected success\n{self}");
        self
    }

    /// A failure that is not a crash.
    #[track_caller]
    pub fn failed(&self) -> &Self {
        assert_ne!(self.code, 0, "expected a failure\n{self}");
        assert!(
            !self.stderr.contains("panicked") && self.code != 101,
            "dossier crashed\n{self}"
        );
        self
    }

    /// A refusal with an error message and a hint naming each of `needles`.
    #[track_caller]
    pub fn refused_with(&self, needles: &[&str]) {
        self.failed();
        assert!(self.stderr.contains("error:"), "no error message\n{self}");
        assert!(self.stderr.contains("Hint:"), "no hint\n{self}");
        for n in needles {
            assert!(self.stderr.contains(n), "stderr lacks {n:?}\n{self}");
        }
    }

    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e})\n{self}"))
    }
}

impl std::fmt::Display for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cut = |s: &str| s.chars().take(4000).collect::<String>();
        write!(
            f,
            "exit {} after {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code,
            self.elapsed,
            cut(&self.stdout),
            cut(&self.stderr)
        )
    }
}

/// Anything that runs to completion and gives its output: a plain process or assert_cmd's.
pub trait Runs {
    fn run_to_end(&mut self) -> std::io::Result<std::process::Output>;
}

impl Runs for Command {
    fn run_to_end(&mut self) -> std::io::Result<std::process::Output> {
        self.output()
    }
}

impl Runs for Cmd {
    fn run_to_end(&mut self) -> std::io::Result<std::process::Output> {
        self.output()
    }
}

/// Runs a command and keeps what it did.
pub fn run(cmd: &mut impl Runs) -> Out {
    let start = std::time::Instant::now();
    let out = cmd.run_to_end().expect("the command runs");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: start.elapsed(),
    }
}

/// `dossier ARGS` in `dir`, as the analyst of `env`.
pub fn dossier(env: &Env, dir: &Path, args: &[&str]) -> Out {
    run(env.dossier_in(dir).args(args))
}

/// A test that cannot run here (a tool it needs is missing): under CI (`CI=true`, where
/// .ci/run installs every tool) this fails the test; elsewhere it says so on stderr and
/// the caller returns.
pub fn skip_unless_ci(test: &str, why: &str) {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{test} cannot run: {why}; under CI=true every tool the tests need must be installed (.ci/run does it)"
    );
    eprintln!("SKIPPED {test}: {why}");
}
