//! The only git2 user: opening and creating repositories here; one-record commits that
//! move the branch by compare-and-swap (commit.rs), reading files at a revision and
//! walking commits (read.rs), git's lock files (lock.rs), and a record's history.
//!
//! Paths given to this module are relative to the work tree's root, with `/` separators.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // owns: git2, and the files of the repository (clippy.toml)

mod commit;
pub mod config;
pub mod drivers;
mod history;
mod index;
mod lock;
mod read;
pub mod unmerged;
pub use history::{PathChanges, Revision, Scope};
pub use index::{blob_id_of, IndexStat};
pub(crate) use lock::{lock_error, wait_for_lock};
use read::blob_id;
pub mod status;
pub mod sync;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use git2::{ErrorCode, Repository};

use crate::error::{Error, Result};

/// How long a write waits for a git lock that another process holds (and, at most, for the
/// branch to stop moving) before it gives up. A lock file older than this is taken for one
/// that a crashed process left: it is reported at once, and never removed.
pub const LOCK_WAIT: Duration = Duration::from_secs(5);

/// How long a transfer may go without a byte from the server, unless said otherwise.
pub const DEFAULT_NETWORK_TIMEOUT_SECS: u64 = 30;

/// Reads objects as git does: without hashing each one again on every read. libgit2
/// checks by default that an object read from the object database hashes to its id,
/// which is a third of the time of reading trees (`perf record` of building the history
/// index: SHA-1DC of every tree, every commit). Objects that came from a remote were
/// hashed when their pack was indexed on fetch, and `git fsck` finds a damaged one on
/// disk; a damaged tree or record still fails to parse. Call it from `main`, before any
/// thread exists (a C global).
pub fn read_objects_as_git_does() {
    git2::opts::strict_hash_verification(false);
}

/// Makes every network read and write of libgit2 (git://, http(s), and the socket under
/// ssh) give up after `secs` seconds without progress, so a stalled server ends a sync
/// with an error instead of hanging it.
///
/// Call it once, before any thread exists (`main` does): libgit2 keeps the setting in a C
/// global without synchronisation, which is why git2 marks its setter unsafe. This is the
/// crate's only `unsafe`.
#[allow(unsafe_code)]
pub fn set_network_timeout(secs: u64) {
    let ms = i32::try_from(secs.saturating_mul(1000)).unwrap_or(i32::MAX);
    // SAFETY: called from `main` before any thread is spawned (see above).
    unsafe {
        let _ = git2::opts::set_server_timeout_in_milliseconds(ms);
        let _ = git2::opts::set_server_connect_timeout_in_milliseconds(ms);
    }
}

/// An open repository with a work tree.
pub struct Repo {
    repo: Repository,
    workdir: PathBuf,
}

/// A commit that dossier made.
#[derive(Debug, Clone)]
pub struct Committed {
    pub id: String,
    pub branch: String,
}

/// What a commit expects HEAD to hold at a path when it moves the branch: the blob id
/// (hex) the writer started from, or `None` for "no such file". Checked inside the
/// compare-and-swap loop, against the very parent the commit is built on.
#[derive(Debug, Clone)]
pub struct Expect {
    pub path: PathBuf,
    pub blob: Option<String>,
}

/// The result of a commit made with expectations.
#[derive(Debug)]
pub enum CommitOutcome {
    Committed(Committed),
    /// HEAD no longer holds what the writer started from at `path`: nothing was committed.
    /// `blob` and `content` are what HEAD holds there now (`None`: deleted).
    Moved {
        path: PathBuf,
        blob: Option<String>,
        content: Option<Vec<u8>>,
    },
}

fn git_err(what: &str, e: git2::Error) -> Error {
    let hint = match e.code() {
        ErrorCode::Locked => Some(format!(
            "another git process holds a lock ({}); wait for it to finish, or if none is running, \
             remove the stale lock file yourself after checking nothing is using it",
            e.message()
        )),
        _ => None,
    };
    let mut err = Error::new(format!("could not {what}"))
        .kind(crate::error::ErrorKind::Git)
        .cause(e.message());
    err.hints.extend(hint);
    err
}

/// Turns a work-tree-relative path into git's form.
pub fn git_path(rel: &Path) -> String {
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

impl Repo {
    /// The repository whose work tree holds `dir`, if any.
    pub fn discover(dir: &Path) -> Result<Option<Repo>> {
        match Repository::discover(dir) {
            Ok(repo) => Repo::from_repository(repo).map(Some),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(git_err(
                &format!("open the git repository at {}", dir.display()),
                e,
            )),
        }
    }

    /// Creates a repository at `dir`.
    pub fn init(dir: &Path) -> Result<Repo> {
        let repo = Repository::init(dir)
            .map_err(|e| git_err(&format!("create a git repository at {}", dir.display()), e))?;
        Repo::from_repository(repo)
    }

    fn from_repository(repo: Repository) -> Result<Repo> {
        let Some(workdir) = repo.workdir() else {
            return Err(
                Error::new("the git repository is bare: a store needs a work tree")
                    .hint("clone it first: `dossier clone URL DIR`"),
            );
        };
        let workdir = workdir
            .canonicalize()
            .map_err(|e| Error::io("open", workdir, e))?;
        Ok(Repo { repo, workdir })
    }

    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// The git directory (`.git`), for files that are never committed.
    pub fn git_dir(&self) -> &Path {
        self.repo.path()
    }

    /// The branch HEAD points at, refusing a detached HEAD.
    fn branch_ref(&self) -> Result<String> {
        let head = self
            .repo
            .find_reference("HEAD")
            .map_err(|e| git_err("read HEAD", e))?;
        match head.symbolic_target().ok().flatten() {
            Some(target) => Ok(target.to_string()),
            None => Err(Error::new("HEAD is detached: dossier commits to a branch")
                .hint("switch to a branch first, e.g. `git switch main`")),
        }
    }

    /// Checks that a write can go ahead: a branch is checked out and no lock is held (a
    /// lock that another process holds is waited for, up to [`LOCK_WAIT`]).
    pub fn check_writable(&self) -> Result<()> {
        self.branch_ref()?;
        let start = Instant::now();
        for lock in ["index.lock", "HEAD.lock"] {
            wait_for_lock(&self.repo.path().join(lock), start)?;
        }
        Ok(())
    }
}
