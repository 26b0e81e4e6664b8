//! Moving the branch and the work tree together, as a transaction: git's locks are
//! checked before any file is touched (waited for, and named when stale), a note under
//! `.git/dossier/sync-checkout.json` says what is being done, the changed paths are
//! checked out, then the branch moves by compare-and-swap. When the checkout fails part
//! way (disk full, a lock) or the branch moved, the paths are put back as the branch has
//! them; when the process dies, the next sync or write finds the note and does the same.
//! A path that a commit made meanwhile changed (a concurrent `edit` or `record`) is never
//! touched, and neither is a file whose content is neither side's (the analyst's).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use git2::build::CheckoutBuilder;
use git2::Oid;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::git::{blob_id, blob_id_of, git_err, wait_for_lock, Repo};

const NOTE: &str = "sync-checkout.json";

/// What a sync is doing to the work tree, for the next run if this one dies.
#[derive(Debug, Serialize, Deserialize)]
struct Note {
    pid: u32,
    branch_ref: String,
    old: String,
    new: String,
    paths: Vec<String>,
}

/// Which files with content neither side has may be put back: those this run wrote (in
/// this process, since the checkout started), or none (recovering a killed run's: they may
/// be the analyst's).
#[derive(Clone, Copy)]
enum Unknown {
    WrittenSince(SystemTime),
    Keep,
}

impl Repo {
    fn checkout_note(&self) -> PathBuf {
        self.git_dir().join("dossier").join(NOTE)
    }

    /// Files with uncommitted changes (staged or not) among `paths`.
    fn dirty(&self, paths: &BTreeSet<String>) -> Result<Vec<String>> {
        let mut opts = git2::StatusOptions::new();
        opts.include_untracked(true).recurse_untracked_dirs(true);
        let statuses = self
            .repo
            .statuses(Some(&mut opts))
            .map_err(|e| git_err("read the work tree's status", e))?;
        Ok(statuses
            .iter()
            .filter_map(|s| s.path().ok().map(str::to_string))
            .filter(|p| paths.contains(p))
            .collect())
    }

    /// Waits for git's locks on the index and on `branch_ref` (another process's), and
    /// names a stale one, before anything is touched.
    pub(super) fn wait_for_locks(&self, branch_ref: &str) -> Result<()> {
        let start = Instant::now();
        wait_for_lock(&self.git_dir().join("index.lock"), start)?;
        wait_for_lock(&self.git_dir().join(format!("{branch_ref}.lock")), start)
    }

    /// Moves the branch and the work tree from `old` to `new`, refusing to touch files
    /// with uncommitted changes. The branch moves by compare-and-swap; on any failure the
    /// work tree is put back (see the module's header).
    pub(super) fn advance(&self, branch_ref: &str, old: Oid, new: Oid) -> Result<()> {
        self.recover_interrupted_sync()?;
        let changed: BTreeSet<String> = self
            .changed_paths(Some(old), Some(new))?
            .into_keys()
            .collect();
        let dirty = self.dirty(&changed)?;
        if !dirty.is_empty() {
            return Err(Error::new("you have uncommitted changes to records that the sync would change")
                .cause(format!("files: {}", crate::escape::escape(&dirty.join(", "))))
                .hint("commit them (`dossier edit` commits) or set them aside (`git stash`), then sync again"));
        }
        self.wait_for_locks(branch_ref)?;
        let note = Note {
            pid: std::process::id(),
            branch_ref: branch_ref.to_string(),
            old: old.to_string(),
            new: new.to_string(),
            paths: changed.iter().cloned().collect(),
        };
        let json = serde_json::to_vec(&note)
            .map_err(|e| Error::new("could not note the sync's work-tree update").cause(e))?;
        crate::fsio::write_atomic(&self.checkout_note(), &json)
            .map_err(|e| storage_hint(e.cause("nothing was changed")))?;
        let started = SystemTime::now();
        let moved = self.checkout_and_move(branch_ref, old, new, &changed);
        if moved.is_err() {
            // Put back what this run changed; what others committed meanwhile stays.
            let _ = self.settle(
                branch_ref,
                old,
                new,
                &changed,
                Unknown::WrittenSince(started),
            );
        }
        let _ = std::fs::remove_file(self.checkout_note());
        moved
    }

    fn checkout_and_move(
        &self,
        branch_ref: &str,
        old: Oid,
        new: Oid,
        changed: &BTreeSet<String>,
    ) -> Result<()> {
        let target = self
            .repo
            .find_commit(new)
            .map_err(|e| git_err("read a commit", e))?;
        if !changed.is_empty() {
            let mut co = CheckoutBuilder::new();
            co.safe();
            for p in changed {
                co.path(p);
            }
            self.repo
                .checkout_tree(target.as_object(), Some(&mut co))
                .map_err(|e| {
                    storage_hint(git_err("update the work tree", e).hint(
                        "nothing was lost: the files were put back as they were; run `dossier sync` again once the cause is gone",
                    ))
                })?;
        }
        match self
            .repo
            .reference_matching(branch_ref, new, true, old, "dossier sync")
        {
            Ok(_) => Ok(()),
            Err(e) if e.code() == git2::ErrorCode::Locked => Err(crate::git::lock_error(
                &self.git_dir().join(format!("{branch_ref}.lock")),
                std::time::Duration::ZERO,
            )),
            Err(e) => Err(git_err(
                "move the branch: it moved while syncing (another dossier or git command committed); the files were put back",
                e,
            )
            .hint("run `dossier sync` again: it starts from the new commit")),
        }
    }

    /// Makes each of `paths` what the branch holds now, where that is `old`'s or `new`'s
    /// version (a path a later commit changed is left alone) and the file holds `old`'s,
    /// `new`'s or no content (other content only as `unknown` allows). Returns the paths
    /// left alone because of their content.
    fn settle(
        &self,
        branch_ref: &str,
        old: Oid,
        new: Oid,
        paths: &BTreeSet<String>,
        unknown: Unknown,
    ) -> Result<Vec<String>> {
        let tree = |id: Oid| {
            self.repo
                .find_commit(id)
                .and_then(|c| c.tree())
                .map_err(|e| git_err("read a tree", e))
        };
        let tip = self
            .repo
            .refname_to_id(branch_ref)
            .map_err(|e| git_err("read the branch", e))?;
        let (old_tree, new_tree, tip_tree) = (tree(old)?, tree(new)?, tree(tip)?);
        let mut restore = Vec::new();
        let mut remove = Vec::new();
        let mut left = Vec::new();
        for p in paths {
            let (o, n, t) = (
                blob_id(&old_tree, p),
                blob_id(&new_tree, p),
                blob_id(&tip_tree, p),
            );
            if t != o && t != n {
                continue; // a commit made since changed it: not ours
            }
            let abs = self.workdir().join(p);
            let meta = std::fs::symlink_metadata(&abs).ok();
            let on_disk = match &meta {
                Some(m) if m.is_file() => std::fs::read(&abs)
                    .ok()
                    .and_then(|b| blob_id_of(&b))
                    .and_then(|b| Oid::from_str(&b).ok()),
                _ => None,
            };
            let known = on_disk.is_none() || on_disk == o || on_disk == n;
            let ours = match unknown {
                Unknown::WrittenSince(start) => meta
                    .as_ref()
                    .and_then(|m| m.modified().ok())
                    .is_some_and(|m| m >= start),
                Unknown::Keep => false,
            };
            if on_disk.is_some() && on_disk == t {
                restore.push(p.clone()); // the file is right; its index entry may not be
            } else if known || ours {
                if t.is_some() {
                    restore.push(p.clone());
                } else {
                    remove.push(p.clone());
                }
            } else {
                left.push(p.clone());
            }
        }
        if !restore.is_empty() {
            let mut co = CheckoutBuilder::new();
            co.force();
            for p in &restore {
                co.path(p);
            }
            self.repo
                .checkout_tree(tip_tree.as_object(), Some(&mut co))
                .map_err(|e| storage_hint(git_err("put the work tree back", e)))?;
        }
        if !remove.is_empty() {
            let mut index = self
                .repo
                .index()
                .map_err(|e| git_err("open the git index", e))?;
            for p in &remove {
                let _ = std::fs::remove_file(self.workdir().join(p));
                let _ = index.remove_path(Path::new(p));
            }
            index
                .write()
                .map_err(|e| storage_hint(git_err("write the git index", e)))?;
        }
        Ok(left)
    }

    /// Whether a note of unfinished work lies under `.git/dossier/` (a sync's checkout, or
    /// a write's files): cheap, for every command to look.
    pub fn has_pending_work(&self) -> bool {
        let dir = self.git_dir().join("dossier");
        dir.join(NOTE).exists()
            || std::fs::read_dir(dir.join("pending")).is_ok_and(|mut d| d.next().is_some())
    }

    /// Finishes or undoes the work-tree update of a sync that was killed (its note
    /// outlived it): the noted paths are made what the branch holds now. Called by every
    /// sync, and by every write through the store.
    pub fn recover_interrupted_sync(&self) -> Result<()> {
        let path = self.checkout_note();
        let Ok(bytes) = std::fs::read(&path) else {
            return Ok(());
        };
        let note: Option<Note> = serde_json::from_slice(&bytes).ok();
        let Some(note) = note else {
            let _ = std::fs::remove_file(&path);
            return Ok(());
        };
        if !crate::fsio::owner_gone(Some(note.pid), None) {
            return Ok(()); // a sync that is running now
        }
        let (Ok(old), Ok(new)) = (Oid::from_str(&note.old), Oid::from_str(&note.new)) else {
            let _ = std::fs::remove_file(&path);
            return Ok(());
        };
        self.wait_for_locks(&note.branch_ref)?;
        let paths: BTreeSet<String> = note.paths.into_iter().collect();
        let left = self.settle(&note.branch_ref, old, new, &paths, Unknown::Keep)?;
        for p in &left {
            eprintln!(
                "warning: {} was left as it is: an interrupted sync was finishing it, but it holds content of its own (see `git diff`)",
                crate::escape::escape(p)
            );
        }
        let _ = std::fs::remove_file(&path);
        Ok(())
    }
}

/// A hint for errors that come from the storage: disk full, read-only file system.
pub(crate) fn storage_hint(e: Error) -> Error {
    let text = e.to_string().to_ascii_lowercase();
    let said =
        if text.contains("no space left") || text.contains("disk full") || text.contains("quota") {
            "the disk is full: free some space, then run `dossier sync` again"
        } else if text.contains("read-only file system") {
            "the store is on a read-only file system: sync from a copy you can write to"
        } else {
            return e;
        };
    e.hint_first(said)
}
