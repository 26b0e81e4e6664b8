//! The only git2 user: opening and creating repositories, one-record commits that move
//! the branch by compare-and-swap, reading files at a revision, and a record's history.
//!
//! Paths given to this module are relative to the work tree's root, with `/` separators.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // owns: git2, and the files of the repository (clippy.toml)

pub mod config;
pub mod drivers;
mod history;
mod index;
pub mod unmerged;
pub use history::{PathChanges, Revision, Scope};
pub use index::{blob_id_of, IndexStat};
pub mod status;
pub mod sync;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use git2::build::TreeUpdateBuilder;
use git2::{ErrorCode, FileMode, ObjectType, Oid, Repository, Signature};

use crate::error::{Error, Result};

/// How many times a commit is rebuilt when the branch moved while it was being made.
const CAS_ATTEMPTS: usize = 200;
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

/// A growing, jittered pause between attempts: 1 ms, 2 ms, 4 ms... up to 100 ms.
fn backoff(attempt: u32) -> Duration {
    let base = 1u64 << attempt.min(7);
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| {
            u64::from(d.subsec_nanos()) ^ u64::from(std::process::id())
        })
        % (base + 1);
    Duration::from_millis((base + jitter).min(100))
}

/// The error for a lock file that did not go away.
pub(crate) fn lock_error(path: &Path, waited: Duration) -> Error {
    Error::new(format!("a git lock file exists: {}", path.display()))
        .cause(format!(
            "it was still there after {:.1} s (dossier waits up to {} s for a running git \
             process, and not at all for a lock older than that)",
            waited.as_secs_f64(),
            LOCK_WAIT.as_secs()
        ))
        .hint(
            "another git process is running, or one crashed; if none is running, \
             remove that file yourself and try again (dossier never removes it)",
        )
}

/// Waits while `lock` exists, for up to [`LOCK_WAIT`]; a lock still there then, or older
/// than that already, is an error naming it.
pub(crate) fn wait_for_lock(lock: &Path, start: Instant) -> Result<()> {
    let mut attempt = 0;
    while let Ok(meta) = std::fs::symlink_metadata(lock) {
        let age = meta.modified().ok().and_then(|m| m.elapsed().ok());
        if start.elapsed() >= LOCK_WAIT || age.is_some_and(|a| a > LOCK_WAIT) {
            return Err(lock_error(lock, start.elapsed()));
        }
        std::thread::sleep(backoff(attempt));
        attempt += 1;
    }
    Ok(())
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

    fn signature(&self, who: &str) -> Result<Signature<'static>> {
        let config = self
            .repo
            .config()
            .map_err(|e| git_err("read git config", e))?;
        let env = |k: &str| {
            std::env::var(format!("GIT_{who}_{k}"))
                .ok()
                .filter(|v| !v.is_empty())
        };
        let name = env("NAME").or_else(|| config.get_string("user.name").ok());
        let email = env("EMAIL").or_else(|| config.get_string("user.email").ok());
        let (Some(name), Some(email)) = (name, email) else {
            return Err(Error::new("git does not know who you are: commits need a name and an email")
                .hint("run `git config --global user.name \"Your Name\"` and `git config --global user.email you@example.org`"));
        };
        let sig = match env("DATE") {
            Some(date) => {
                let (secs, offset) = crate::dates::parse_git_date(&date).ok_or_else(|| {
                    Error::new(format!(
                        "GIT_{who}_DATE is not a date git understands: {date}"
                    ))
                    .hint("use `@SECONDS +HHMM` or `YYYY-MM-DDTHH:MM:SS+HH:MM`")
                })?;
                Signature::new(&name, &email, &git2::Time::new(secs, offset))
            }
            None => Signature::now(&name, &email),
        };
        sig.map_err(|e| git_err("make a commit signature", e))
    }

    /// Who the next commit will be by, and when: name, email, seconds since the epoch
    /// and offset in minutes (from `GIT_AUTHOR_*` or git config, as commits take them).
    pub fn author(&self) -> Result<(String, String, i64, i32)> {
        let sig = self.signature("AUTHOR")?;
        let when = sig.when();
        Ok((
            sig.name().unwrap_or_default().to_string(),
            sig.email().unwrap_or_default().to_string(),
            when.seconds(),
            when.offset_minutes(),
        ))
    }

    /// Commits `files` (work-tree-relative path and content) on top of HEAD's tree, and
    /// only those: whatever else is staged or changed in the work tree stays out. The
    /// branch moves only if it still points where it did when the commit was built.
    pub fn commit_files(&self, files: &[(PathBuf, Vec<u8>)], message: &str) -> Result<Committed> {
        match self.commit_files_expecting(files, message, &[])? {
            CommitOutcome::Committed(c) => Ok(c),
            CommitOutcome::Moved { path, .. } => Err(Error::new(format!(
                "{} changed while dossier committed",
                path.display()
            ))),
        }
    }

    /// The content of the blob `id` (hex), or `None` when there is no such blob.
    pub fn blob_content(&self, id: &str) -> Option<Vec<u8>> {
        let oid = Oid::from_str(id).ok()?;
        self.repo.find_blob(oid).ok().map(|b| b.content().to_vec())
    }

    /// The blob id (hex) of `path` in HEAD, or `None` when HEAD lacks it (or there is no
    /// commit yet).
    pub fn head_blob(&self, path: &Path) -> Result<Option<String>> {
        if !self.has_commits() {
            return Ok(None);
        }
        let tree = self.tree_at("HEAD")?;
        Ok(blob_id(&tree, &git_path(path)).map(|b| b.to_string()))
    }

    /// [`Repo::commit_files`], moving the branch only while HEAD's tree still holds what
    /// each of `expect` says; otherwise nothing is committed and the first path that moved
    /// is returned with what it holds now.
    pub fn commit_files_expecting(
        &self,
        files: &[(PathBuf, Vec<u8>)],
        message: &str,
        expect: &[Expect],
    ) -> Result<CommitOutcome> {
        let branch = self.branch_ref()?;
        let author = self.signature("AUTHOR")?;
        let committer = self.signature("COMMITTER")?;
        let mut blobs = Vec::new();
        for (path, content) in files {
            let oid = self
                .repo
                .blob(content)
                .map_err(|e| git_err("store a record in git", e))?;
            blobs.push((git_path(path), oid));
        }
        let start = Instant::now();
        let mut locked = false;
        for attempt in 0..CAS_ATTEMPTS {
            if attempt > 0 {
                if locked {
                    // Another process is moving the branch: wait for its lock to go.
                    wait_for_lock(&self.repo.path().join(format!("{branch}.lock")), start)?;
                } else if start.elapsed() > 2 * LOCK_WAIT {
                    break;
                } else {
                    std::thread::sleep(backoff(attempt as u32 / 4));
                }
            }
            let parent = match self.repo.refname_to_id(&branch) {
                Ok(id) => Some(
                    self.repo
                        .find_commit(id)
                        .map_err(|e| git_err("read HEAD", e))?,
                ),
                Err(e) if e.code() == ErrorCode::NotFound => None,
                Err(e) => return Err(git_err("read the branch", e)),
            };
            let base = match &parent {
                Some(c) => c.tree().map_err(|e| git_err("read HEAD's tree", e))?,
                None => {
                    let empty = self
                        .repo
                        .treebuilder(None)
                        .and_then(|b| b.write())
                        .map_err(|e| git_err("make an empty tree", e))?;
                    self.repo
                        .find_tree(empty)
                        .map_err(|e| git_err("read a tree", e))?
                }
            };
            for want in expect {
                let now = blob_id(&base, &git_path(&want.path));
                if now.map(|b| b.to_string()) != want.blob {
                    let content = match now {
                        Some(id) => Some(
                            self.repo
                                .find_blob(id)
                                .map_err(|e| git_err("read a file from git", e))?
                                .content()
                                .to_vec(),
                        ),
                        None => None,
                    };
                    return Ok(CommitOutcome::Moved {
                        path: want.path.clone(),
                        blob: now.map(|b| b.to_string()),
                        content,
                    });
                }
            }
            let mut update = TreeUpdateBuilder::new();
            for (path, oid) in &blobs {
                update.upsert(path.as_str(), *oid, FileMode::Blob);
            }
            let tree_id = update
                .create_updated(&self.repo, &base)
                .map_err(|e| git_err("build the commit's tree", e))?;
            let tree = self
                .repo
                .find_tree(tree_id)
                .map_err(|e| git_err("read a tree", e))?;
            let parents: Vec<&git2::Commit> = parent.iter().collect();
            let commit = self
                .repo
                .commit(None, &author, &committer, message, &tree, &parents)
                .map_err(|e| git_err("make the commit", e))?;
            let reflog = format!("dossier: {}", message.lines().next().unwrap_or(""));
            let moved = match &parent {
                Some(p) => self
                    .repo
                    .reference_matching(&branch, commit, true, p.id(), &reflog),
                None => self.repo.reference(&branch, commit, false, &reflog),
            };
            match moved {
                Ok(_) => {
                    return Ok(CommitOutcome::Committed(Committed {
                        id: commit.to_string(),
                        branch: branch.trim_start_matches("refs/heads/").to_string(),
                    }))
                }
                Err(e)
                    if matches!(
                        e.code(),
                        ErrorCode::Modified | ErrorCode::Exists | ErrorCode::Locked
                    ) =>
                {
                    locked = e.code() == ErrorCode::Locked;
                    continue;
                }
                Err(e) => return Err(git_err("move the branch to the new commit", e)),
            }
        }
        Err(Error::new(format!(
            "the branch kept moving while dossier committed ({:.1} s)",
            start.elapsed().as_secs_f64()
        ))
        .hint("another process is committing to this repository; try again when it is done"))
    }

    /// Updates the index entries of `paths` from the work tree, so `git status` is clean
    /// for them; other entries are left as they were.
    ///
    /// This follows git's protocol, which libgit2's `add_path` + `write` alone does not:
    /// `index.lock` is taken first (waiting for another process's, up to [`LOCK_WAIT`]),
    /// then the index is read, changed and put in place, so that two writers cannot each
    /// write back the index as they read it and lose the other's entry.
    pub fn stage(&self, paths: &[PathBuf]) -> Result<()> {
        let git_dir = self.repo.path();
        let lock = git_dir.join("index.lock");
        let start = Instant::now();
        let mut attempt = 0;
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&lock)
            {
                Ok(_) => break,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    wait_for_lock(&lock, start)?;
                    attempt += 1;
                    std::thread::sleep(backoff(attempt / 8));
                }
                Err(e) => return Err(Error::io("create", &lock, e)),
            }
        }
        let staged = self.stage_locked(paths);
        let _ = std::fs::remove_file(&lock);
        staged
    }

    /// [`Repo::stage`] while holding `index.lock`: the new index is built in a side file
    /// (from a copy of the current one) and renamed over `.git/index`.
    fn stage_locked(&self, paths: &[PathBuf]) -> Result<()> {
        let git_dir = self.repo.path();
        let real = git_dir.join("index");
        let side_dir = git_dir.join("dossier");
        std::fs::create_dir_all(&side_dir).map_err(|e| Error::io("create", &side_dir, e))?;
        let side = side_dir.join(format!("index-{}", std::process::id()));
        match std::fs::copy(&real, &side) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let _ = std::fs::remove_file(&side);
            }
            Err(e) => return Err(Error::io("copy", &real, e)),
        }
        let result = (|| {
            let mut index =
                git2::Index::open(&side).map_err(|e| git_err("open the git index", e))?;
            self.repo
                .set_index(&mut index)
                .map_err(|e| git_err("open the git index", e))?;
            for path in paths {
                index.add_path(Path::new(&git_path(path))).map_err(|e| {
                    git_err(&format!("update the git index for {}", path.display()), e)
                })?;
            }
            index
                .write()
                .map_err(|e| git_err("write the git index", e))?;
            std::fs::rename(&side, &real).map_err(|e| Error::io("replace", &real, e))?;
            let mut index =
                git2::Index::open(&real).map_err(|e| git_err("open the git index", e))?;
            self.repo
                .set_index(&mut index)
                .map_err(|e| git_err("open the git index", e))
        })();
        let _ = std::fs::remove_file(&side);
        result
    }

    /// The content of `path` as the index has it (from `.git/index` as it is on disk), or
    /// `None` when the index has no entry for it.
    pub fn index_content(&self, path: &Path) -> Result<Option<Vec<u8>>> {
        let index = git2::Index::open(&self.repo.path().join("index"))
            .map_err(|e| git_err("open the git index", e))?;
        let Some(entry) = index.get_path(Path::new(&git_path(path)), 0) else {
            return Ok(None);
        };
        let blob = self
            .repo
            .find_blob(entry.id)
            .map_err(|e| git_err("read a file from git", e))?;
        Ok(Some(blob.content().to_vec()))
    }

    /// The content of `path` at revision `rev` (`HEAD~2`, a commit, a tag), or `None` when
    /// the file is not in that revision.
    pub fn read_at(&self, rev: &str, path: &Path) -> Result<Option<Vec<u8>>> {
        let tree = self.tree_at(rev)?;
        match tree.get_path(Path::new(&git_path(path))) {
            Ok(entry) => {
                let obj = entry
                    .to_object(&self.repo)
                    .map_err(|e| git_err("read a file from git", e))?;
                Ok(obj.as_blob().map(|b| b.content().to_vec()))
            }
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(git_err("read a file from git", e)),
        }
    }

    /// Resolves `rev` to its full commit id.
    pub fn resolve(&self, rev: &str) -> Result<String> {
        Ok(self.commit_at(rev)?.id().to_string())
    }

    fn commit_at(&self, rev: &str) -> Result<git2::Commit<'_>> {
        let obj = self.repo.revparse_single(rev).map_err(|e| {
            Error::new(format!("`{rev}` is not a revision of this repository"))
                .cause(e.message())
                .hint("use a commit id, a tag, a branch or HEAD~N; `dossier history REF` lists a record's revisions")
        })?;
        obj.peel_to_commit()
            .map_err(|e| git_err(&format!("read `{rev}` as a commit"), e))
    }

    fn tree_at(&self, rev: &str) -> Result<git2::Tree<'_>> {
        self.commit_at(rev)?
            .tree()
            .map_err(|e| git_err(&format!("read the tree of `{rev}`"), e))
    }

    /// The names of the entries directly under `dir` at `rev`, with whether each is a folder.
    pub fn list_at(&self, rev: &str, dir: &Path) -> Result<Vec<(String, bool)>> {
        let tree = self.tree_at(rev)?;
        let sub = if dir.as_os_str().is_empty() {
            tree
        } else {
            match tree.get_path(Path::new(&git_path(dir))) {
                Ok(entry) if entry.kind() == Some(ObjectType::Tree) => self
                    .repo
                    .find_tree(entry.id())
                    .map_err(|e| git_err("read a tree", e))?,
                _ => return Ok(Vec::new()),
            }
        };
        Ok(sub
            .iter()
            .filter_map(|e| {
                Some((
                    e.name().ok()?.to_string(),
                    e.kind() == Some(ObjectType::Tree),
                ))
            })
            .collect())
    }

    /// The commits reachable from `tip` and not from `hide`, in `sorting` order (newest
    /// first by default), as they are read.
    pub(crate) fn commits(
        &self,
        tip: Oid,
        hide: Option<Oid>,
        sorting: git2::Sort,
    ) -> Result<impl Iterator<Item = Result<git2::Commit<'_>>> + '_> {
        let walk_err = |e| git_err("walk the history", e);
        let mut walk = self.repo.revwalk().map_err(walk_err)?;
        walk.set_sorting(sorting).map_err(walk_err)?;
        walk.push(tip).map_err(walk_err)?;
        if let Some(h) = hide {
            walk.hide(h).map_err(walk_err)?;
        }
        Ok(walk.map(move |id| {
            let id = id.map_err(walk_err)?;
            self.repo
                .find_commit(id)
                .map_err(|e| git_err("read a commit", e))
        }))
    }

    /// How many commits are reachable from `tip` and not from `hide`.
    pub(crate) fn count_commits(&self, tip: Oid, hide: Option<Oid>) -> Result<usize> {
        let mut n = 0;
        for c in self.commits(tip, hide, git2::Sort::NONE)? {
            c?;
            n += 1;
        }
        Ok(n)
    }

    /// Whether HEAD exists (the repository has a commit).
    pub fn has_commits(&self) -> bool {
        self.repo.head().is_ok()
    }
}

fn blob_id(tree: &git2::Tree, path: &str) -> Option<Oid> {
    tree.get_path(Path::new(path))
        .ok()
        .filter(|e| e.kind() == Some(ObjectType::Blob))
        .map(|e| e.id())
}
