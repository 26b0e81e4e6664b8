//! Replaying local commits on top of the remote's (same authors, messages and content,
//! file modes kept), and moving the branch and the work tree to the result.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use git2::build::{CheckoutBuilder, TreeUpdateBuilder};
use git2::{FileMode, Oid};

use super::{Choice, PathChange};
use crate::error::{Error, Result};
use crate::git::{git_err, Repo};

/// A tree entry's mode as git2's `FileMode` (a folder never reaches here: changed paths
/// are files).
fn file_mode(mode: i32) -> FileMode {
    [
        FileMode::BlobExecutable,
        FileMode::Link,
        FileMode::Commit,
        FileMode::BlobGroupWritable,
    ]
    .into_iter()
    .find(|m| i32::from(*m) == mode)
    .unwrap_or(FileMode::Blob)
}

impl Repo {
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

    /// Replays the commits of `base..local` on top of `onto`, leaving out the changes to
    /// `skip` paths, then writes the `resolved` contents; returns the new tip.
    pub(super) fn replay(
        &self,
        base: Oid,
        local: Oid,
        onto: Oid,
        skip: &BTreeSet<String>,
        resolved: &BTreeMap<String, (Choice, String)>,
    ) -> Result<Oid> {
        let committer = self.signature("COMMITTER")?;
        let mut tip = self
            .repo
            .find_commit(onto)
            .map_err(|e| git_err("read a commit", e))?;
        for c in self.commits(
            local,
            Some(base),
            git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE,
        )? {
            let c = c?;
            let id = c.id();
            if c.parent_count() != 1 {
                return Err(Error::new(format!(
                    "commit {} is a merge: sync replays plain commits only",
                    &id.to_string()[..10]
                ))
                .hint("integrate this history with git itself (`git pull --rebase`), then sync"));
            }
            let parent = c.parent(0).map_err(|e| git_err("read a commit", e))?;
            let changes = self.changed_paths(Some(parent.id()), Some(id))?;
            let mut update = TreeUpdateBuilder::new();
            let mut any = false;
            for (path, change) in &changes {
                if skip.contains(path) {
                    continue;
                }
                any = true;
                match change {
                    PathChange::Deleted => {
                        update.remove(path.as_str());
                    }
                    _ => {
                        let entry = c.tree().ok().and_then(|t| t.get_path(Path::new(path)).ok());
                        if let Some(e) = entry {
                            // The mode as committed: an executable, a symbolic link or a
                            // gitlink stays what it is.
                            update.upsert(path.as_str(), e.id(), file_mode(e.filemode()));
                        }
                    }
                }
            }
            if !any {
                continue;
            }
            let base_tree = tip.tree().map_err(|e| git_err("read a tree", e))?;
            let tree_id = update
                .create_updated(&self.repo, &base_tree)
                .map_err(|e| git_err("build a tree", e))?;
            if tree_id == base_tree.id() {
                continue;
            }
            let tree = self
                .repo
                .find_tree(tree_id)
                .map_err(|e| git_err("read a tree", e))?;
            let new = self
                .repo
                .commit(
                    None,
                    &c.author(),
                    &committer,
                    c.message().unwrap_or(""),
                    &tree,
                    &[&tip],
                )
                .map_err(|e| git_err("replay a commit", e))?;
            tip = self
                .repo
                .find_commit(new)
                .map_err(|e| git_err("read a commit", e))?;
        }
        let mut update = TreeUpdateBuilder::new();
        let mut notes = Vec::new();
        for (path, (choice, blob)) in resolved {
            if *choice == Choice::Theirs {
                continue;
            }
            if blob.is_empty() {
                update.remove(path.as_str());
            } else {
                let id = Oid::from_str(blob).map_err(|e| git_err("read a resolution", e))?;
                update.upsert(path.as_str(), id, FileMode::Blob);
            }
            notes.push(format!(
                "{path} ({})",
                if *choice == Choice::Ours {
                    "ours"
                } else {
                    "edited"
                }
            ));
        }
        if !notes.is_empty() {
            let base_tree = tip.tree().map_err(|e| git_err("read a tree", e))?;
            let tree_id = update
                .create_updated(&self.repo, &base_tree)
                .map_err(|e| git_err("build a tree", e))?;
            if tree_id != base_tree.id() {
                let tree = self
                    .repo
                    .find_tree(tree_id)
                    .map_err(|e| git_err("read a tree", e))?;
                let author = self.signature("AUTHOR")?;
                let msg = format!("sync: resolve {}", notes.join(", "));
                let new = self
                    .repo
                    .commit(None, &author, &committer, &msg, &tree, &[&tip])
                    .map_err(|e| git_err("commit the resolution", e))?;
                tip = self
                    .repo
                    .find_commit(new)
                    .map_err(|e| git_err("read a commit", e))?;
            }
        }
        Ok(tip.id())
    }

    /// Moves the branch and the work tree from `old` to `new`, refusing to touch files
    /// with uncommitted changes. The branch moves by compare-and-swap.
    pub(super) fn advance(&self, branch_ref: &str, old: Oid, new: Oid) -> Result<()> {
        let changed: BTreeSet<String> = self
            .changed_paths(Some(old), Some(new))?
            .into_keys()
            .collect();
        let dirty = self.dirty(&changed)?;
        if !dirty.is_empty() {
            return Err(Error::new("you have uncommitted changes to records that the sync would change")
                .cause(format!("files: {}", dirty.join(", ")))
                .hint("commit them (`dossier edit` commits) or set them aside (`git stash`), then sync again"));
        }
        let target = self
            .repo
            .find_commit(new)
            .map_err(|e| git_err("read a commit", e))?;
        let mut co = CheckoutBuilder::new();
        co.safe();
        for p in &changed {
            co.path(p);
        }
        if !changed.is_empty() {
            self.repo
                .checkout_tree(target.as_object(), Some(&mut co))
                .map_err(|e| git_err("update the work tree", e))?;
        }
        match self
            .repo
            .reference_matching(branch_ref, new, true, old, "dossier sync")
        {
            Ok(_) => Ok(()),
            Err(e) => {
                // Put the work tree back as it was.
                if let Ok(back) = self.repo.find_commit(old) {
                    let mut co = CheckoutBuilder::new();
                    co.force();
                    for p in &changed {
                        co.path(p);
                    }
                    let _ = self.repo.checkout_tree(back.as_object(), Some(&mut co));
                }
                Err(git_err(
                    "move the branch (it moved while syncing; run sync again)",
                    e,
                ))
            }
        }
    }
}
