//! Moving the branch and the work tree together, as a transaction: git's locks are
//! checked before any file is touched (waited for, and named when stale), a note under
//! `.git/dossier/sync-checkout.json` says what is being done, the changed paths are
//! checked out, then the branch moves by compare-and-swap. When the checkout fails part
//! way (disk full, a lock) or the branch moved, the paths are put back as the branch has
//! them; when the process dies, the next sync or write finds the note and does the same.
//! A path that a commit made meanwhile changed (a concurrent `edit` or `record`) is never
//! touched, and neither is a file whose content is neither side's (the analyst's); a file
//! that holds the start of the new content is one a killed checkout cut short (libgit2
//! writes in place), and is put back.
//!
//! The first sync of a store without commits (`old` is `None`) goes the same way: the
//! branch is created only if nobody created it meanwhile, and a file the analyst already
//! had with the incoming content (the `dossier.yaml` that makes it a store) is taken over
//! as it is, never removed by a rollback.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use git2::build::CheckoutBuilder;
use git2::Oid;
use serde::{Deserialize, Serialize};

use super::failure::storage_error;
use crate::error::{Error, Result};
use crate::git::{blob_id, blob_id_of, git_err, wait_for_lock, Repo};

const NOTE: &str = "sync-checkout.json";

/// What a sync is doing to the work tree, for the next run if this one dies.
#[derive(Debug, Serialize, Deserialize)]
struct Note {
    pid: u32,
    branch_ref: String,
    /// The branch's tip before (all zeros: the branch did not exist yet).
    old: String,
    new: String,
    paths: Vec<String>,
    /// Paths whose file was already there, untracked, with the new content: never
    /// removed by a rollback (they are the analyst's).
    #[serde(default)]
    kept: Vec<String>,
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

    /// Files with uncommitted changes (staged or not) among `paths`, and apart from them
    /// the untracked files that already hold what `new` has there (taken over as they are).
    fn dirty(
        &self,
        paths: &BTreeSet<String>,
        new: &git2::Tree<'_>,
    ) -> Result<(Vec<String>, BTreeSet<String>)> {
        let mut opts = git2::StatusOptions::new();
        opts.include_untracked(true).recurse_untracked_dirs(true);
        let statuses = self
            .repo
            .statuses(Some(&mut opts))
            .map_err(|e| git_err("read the work tree's status", e))?;
        let mut dirty = Vec::new();
        let mut kept = BTreeSet::new();
        for s in statuses.iter() {
            let Some(p) = s.path().ok().map(str::to_string) else {
                continue;
            };
            if !paths.contains(&p) {
                continue;
            }
            let same = s.status() == git2::Status::WT_NEW
                && self.file_blob(&p).is_some()
                && self.file_blob(&p) == blob_id(new, &p);
            if same {
                kept.insert(p);
            } else {
                dirty.push(p);
            }
        }
        Ok((dirty, kept))
    }

    /// The blob id of the regular file at `path` in the work tree (no link followed).
    fn file_blob(&self, path: &str) -> Option<Oid> {
        let abs = self.workdir().join(path);
        let meta = std::fs::symlink_metadata(&abs).ok()?;
        if !meta.is_file() {
            return None;
        }
        std::fs::read(&abs)
            .ok()
            .and_then(|b| blob_id_of(&b))
            .and_then(|b| Oid::from_str(&b).ok())
    }

    /// Waits for git's locks on the index and on `branch_ref` (another process's), and
    /// names a stale one, before anything is touched.
    pub(super) fn wait_for_locks(&self, branch_ref: &str) -> Result<()> {
        let start = Instant::now();
        wait_for_lock(&self.git_dir().join("index.lock"), start)?;
        wait_for_lock(&self.git_dir().join(format!("{branch_ref}.lock")), start)
    }

    /// Moves the branch and the work tree from `old` to `new` (`old` is `None` for a
    /// branch that does not exist yet), refusing to touch files with uncommitted changes.
    /// The branch moves by compare-and-swap; on any failure the work tree is put back (see
    /// the module's header).
    pub(super) fn advance(&self, branch_ref: &str, old: Option<Oid>, new: Oid) -> Result<()> {
        self.advance_with(branch_ref, old, new, &mut || {})
    }

    /// [`Repo::advance`], running `between` after the checkout and before the branch
    /// moves (tests use it to commit concurrently).
    fn advance_with(
        &self,
        branch_ref: &str,
        old: Option<Oid>,
        new: Oid,
        between: &mut dyn FnMut(),
    ) -> Result<()> {
        self.recover_interrupted_sync()?;
        let changed: BTreeSet<String> = self.changed_paths(old, Some(new))?.into_keys().collect();
        let new_tree = self
            .repo
            .find_commit(new)
            .and_then(|c| c.tree())
            .map_err(|e| git_err("read a tree", e))?;
        let (dirty, kept) = self.dirty(&changed, &new_tree)?;
        if !dirty.is_empty() {
            let files = crate::escape::escape(&dirty.join(", ")).into_owned();
            return Err(match old {
                Some(_) => Error::new("you have uncommitted changes to records that the sync would change")
                    .cause(format!("files: {files}"))
                    .hint("commit them (`dossier edit` commits) or set them aside (`git stash`), then sync again"),
                None => Error::new("this store has no commits yet, and files of its own where the remote has different ones")
                    .cause(format!("files: {files}"))
                    .hint("nothing was changed; to start from the remote's store, clone it instead: `dossier clone URL DIR` (then record your statements there)"),
            });
        }
        self.wait_for_locks(branch_ref)?;
        let note = Note {
            pid: std::process::id(),
            branch_ref: branch_ref.to_string(),
            old: old.unwrap_or(Oid::ZERO_SHA1).to_string(),
            new: new.to_string(),
            paths: changed.iter().cloned().collect(),
            kept: kept.iter().cloned().collect(),
        };
        let json = serde_json::to_vec(&note)
            .map_err(|e| Error::new("could not note the sync's work-tree update").cause(e))?;
        crate::fsio::write_atomic(&self.checkout_note(), &json).map_err(|e| {
            storage_error(
                e.hint("nothing was changed"),
                "note the sync's work-tree update",
            )
        })?;
        let started = SystemTime::now();
        let moved =
            self.checkout_and_move(branch_ref, old, &new_tree, new, &changed, &kept, between);
        if moved.is_err() {
            // Put back what this run changed; what others committed meanwhile stays.
            let _ = self.settle(
                &note.branch_ref,
                old,
                new,
                &changed,
                &kept,
                Unknown::WrittenSince(started),
            );
        }
        let _ = std::fs::remove_file(self.checkout_note());
        moved
    }

    #[allow(clippy::too_many_arguments)]
    fn checkout_and_move(
        &self,
        branch_ref: &str,
        old: Option<Oid>,
        target: &git2::Tree<'_>,
        new: Oid,
        changed: &BTreeSet<String>,
        kept: &BTreeSet<String>,
        between: &mut dyn FnMut(),
    ) -> Result<()> {
        let put_back = "nothing was lost: the files were put back as they were; run `dossier sync` again once the cause is gone";
        let to_write: Vec<&String> = changed.iter().filter(|p| !kept.contains(*p)).collect();
        if !to_write.is_empty() {
            let mut co = CheckoutBuilder::new();
            co.safe();
            for p in &to_write {
                co.path(p);
            }
            self.repo
                .checkout_tree(target.as_object(), Some(&mut co))
                .map_err(|e| {
                    storage_error(
                        git_err("update the work tree", e).hint(put_back),
                        "update the work tree",
                    )
                })?;
        }
        if !kept.is_empty() {
            // Files already there with the new content: only the index learns of them.
            let mut index = self
                .repo
                .index()
                .map_err(|e| git_err("open the git index", e))?;
            for p in kept {
                index
                    .add_path(Path::new(p))
                    .map_err(|e| git_err("add a file to the git index", e))?;
            }
            index.write().map_err(|e| {
                storage_error(
                    git_err("write the git index", e).hint(put_back),
                    "write the git index",
                )
            })?;
        }
        between();
        let moved = match old {
            Some(old) => self
                .repo
                .reference_matching(branch_ref, new, true, old, "dossier sync"),
            // A new branch: created only if nobody created it meanwhile.
            None => self.repo.reference(branch_ref, new, false, "dossier sync"),
        };
        match moved {
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
        old: Option<Oid>,
        new: Oid,
        paths: &BTreeSet<String>,
        kept: &BTreeSet<String>,
        unknown: Unknown,
    ) -> Result<Vec<String>> {
        let tree = |id: Oid| {
            self.repo
                .find_commit(id)
                .and_then(|c| c.tree())
                .map_err(|e| git_err("read a tree", e))
        };
        // The branch as it is now: it may not exist (a first sync that failed).
        let tip = match self.repo.refname_to_id(branch_ref) {
            Ok(id) => Some(id),
            Err(e) if e.code() == git2::ErrorCode::NotFound => None,
            Err(e) => return Err(git_err("read the branch", e)),
        };
        let old_tree = old.map(tree).transpose()?;
        let new_tree = tree(new)?;
        let tip_tree = tip.map(tree).transpose()?;
        let in_tree = |t: &Option<git2::Tree<'_>>, p: &str| t.as_ref().and_then(|t| blob_id(t, p));
        let mut restore = Vec::new();
        let mut remove = Vec::new();
        let mut unindex = Vec::new();
        let mut left = Vec::new();
        for p in paths {
            let (o, n, t) = (
                in_tree(&old_tree, p),
                blob_id(&new_tree, p),
                in_tree(&tip_tree, p),
            );
            if t != o && t != n {
                continue; // a commit made since changed it: not ours
            }
            if kept.contains(p) {
                // The analyst's file from before this sync: never removed or rewritten;
                // only the index entry this sync added goes, if the branch lacks it.
                if t.is_none() {
                    unindex.push(p.clone());
                }
                continue;
            }
            let abs = self.workdir().join(p);
            let meta = std::fs::symlink_metadata(&abs).ok();
            let bytes = match &meta {
                Some(m) if m.is_file() => std::fs::read(&abs).ok(),
                _ => None,
            };
            let on_disk = bytes
                .as_deref()
                .and_then(blob_id_of)
                .and_then(|b| Oid::from_str(&b).ok());
            // A checkout writes a file in place: one killed in the middle leaves the
            // start of the new content (never the analyst's).
            let cut_short = bytes.as_deref().is_some_and(|b| {
                n.and_then(|n| self.repo.find_blob(n).ok())
                    .is_some_and(|blob| blob.content().starts_with(b))
            });
            let known = on_disk.is_none() || on_disk == o || on_disk == n || cut_short;
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
        if let (false, Some(tip_tree)) = (restore.is_empty(), &tip_tree) {
            let mut co = CheckoutBuilder::new();
            co.force();
            for p in &restore {
                co.path(p);
            }
            self.repo
                .checkout_tree(tip_tree.as_object(), Some(&mut co))
                .map_err(|e| {
                    storage_error(
                        git_err("put the work tree back", e),
                        "put the work tree back",
                    )
                })?;
        }
        if !remove.is_empty() || !unindex.is_empty() {
            let mut index = self
                .repo
                .index()
                .map_err(|e| git_err("open the git index", e))?;
            for p in &remove {
                let _ = std::fs::remove_file(self.workdir().join(p));
                let _ = index.remove_path(Path::new(p));
            }
            for p in &unindex {
                let _ = index.remove_path(Path::new(p));
            }
            index.write().map_err(|e| {
                storage_error(git_err("write the git index", e), "write the git index")
            })?;
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
        let old = (!old.is_zero()).then_some(old);
        self.wait_for_locks(&note.branch_ref)?;
        let paths: BTreeSet<String> = note.paths.into_iter().collect();
        let kept: BTreeSet<String> = note.kept.into_iter().collect();
        let left = self.settle(&note.branch_ref, old, new, &paths, &kept, Unknown::Keep)?;
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

#[cfg(test)]
#[path = "worktree_tests.rs"]
mod tests;
