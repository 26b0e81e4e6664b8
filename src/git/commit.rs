//! One-record commits: who a commit is by (`GIT_AUTHOR_*` or git config), the commit
//! built from HEAD's tree plus exactly the written files, moving the branch by
//! compare-and-swap while HEAD still holds what the writer started from, and staging the
//! written files.

use std::path::{Path, PathBuf};
use std::time::Instant;

use git2::build::TreeUpdateBuilder;
use git2::{ErrorCode, FileMode, Oid, Signature};

use super::lock::backoff;
use super::{
    blob_id, git_err, git_path, wait_for_lock, CommitOutcome, Committed, Expect, Repo, LOCK_WAIT,
};
use crate::error::{Error, Result};

/// How many times a commit is rebuilt when the branch moved while it was being made.
const CAS_ATTEMPTS: usize = 200;

impl Repo {
    pub(super) fn signature(&self, who: &str) -> Result<Signature<'static>> {
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
}
