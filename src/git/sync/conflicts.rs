//! Conflicts as data: the paths two commits changed, and the records changed differently
//! on both sides since they parted, with who changed each last and every version's bytes.

use std::collections::BTreeMap;

use git2::Oid;

use super::{Conflict, ConflictSide, PathChange};
use crate::error::Result;
use crate::git::{blob_id, git_err, git_path, Repo};

impl Repo {
    /// Paths that differ between two trees (no rename detection: records are files).
    pub(super) fn changed_paths(
        &self,
        from: Option<Oid>,
        to: Option<Oid>,
    ) -> Result<BTreeMap<String, PathChange>> {
        let tree = |id: Option<Oid>| -> Result<Option<git2::Tree<'_>>> {
            match id {
                Some(id) => Ok(Some(
                    self.repo
                        .find_commit(id)
                        .and_then(|c| c.tree())
                        .map_err(|e| git_err("read a tree", e))?,
                )),
                None => Ok(None),
            }
        };
        let (a, b) = (tree(from)?, tree(to)?);
        let diff = self
            .repo
            .diff_tree_to_tree(a.as_ref(), b.as_ref(), None)
            .map_err(|e| git_err("compare two revisions", e))?;
        let mut out = BTreeMap::new();
        for d in diff.deltas() {
            let change = match d.status() {
                git2::Delta::Added => PathChange::Added,
                git2::Delta::Deleted => PathChange::Deleted,
                _ => PathChange::Modified,
            };
            let file = if change == PathChange::Deleted {
                d.old_file()
            } else {
                d.new_file()
            };
            if let Some(p) = file.path() {
                out.insert(git_path(p), change);
            }
        }
        Ok(out)
    }

    pub(super) fn blob_at(&self, commit: Oid, path: &str) -> Result<Option<Oid>> {
        let tree = self
            .repo
            .find_commit(commit)
            .and_then(|c| c.tree())
            .map_err(|e| git_err("read a tree", e))?;
        Ok(blob_id(&tree, path))
    }

    pub(super) fn content(&self, blob: Option<Oid>) -> Option<Vec<u8>> {
        blob.and_then(|b| self.repo.find_blob(b).ok())
            .map(|b| b.content().to_vec())
    }

    /// The newest commit in `from..to` (first-parent order) that touched `path`.
    fn last_touch(&self, to: Oid, base: Oid, path: &str) -> Result<ConflictSide> {
        for c in self.commits(to, Some(base), git2::Sort::NONE)? {
            let c = c?;
            let id = c.id();
            let here = blob_id(&c.tree().map_err(|e| git_err("read a tree", e))?, path);
            let before = match c.parent(0) {
                Ok(p) => blob_id(&p.tree().map_err(|e| git_err("read a tree", e))?, path),
                Err(_) => None,
            };
            if here != before {
                let a = c.author();
                return Ok(ConflictSide {
                    commit: id.to_string(),
                    author: format!("{} <{}>", a.name().unwrap_or("?"), a.email().unwrap_or("")),
                    time: a.when().seconds(),
                    offset_minutes: a.when().offset_minutes(),
                    content: self.content(here),
                });
            }
        }
        Ok(ConflictSide {
            commit: to.to_string(),
            author: String::new(),
            time: 0,
            offset_minutes: 0,
            content: self.content(self.blob_at(to, path)?),
        })
    }

    /// The conflicts between the branch and the last fetched remote tip (no fetch).
    pub fn pending_conflicts(&self, remote: Option<&str>) -> Result<Vec<Conflict>> {
        let (_, tip) = self.remote_tip(remote)?;
        let local = self
            .repo
            .refname_to_id(&self.branch_ref()?)
            .map_err(|e| git_err("read the branch", e))?;
        let remote_id = Oid::from_str(&tip).map_err(|e| git_err("read the remote tip", e))?;
        let base = self
            .repo
            .merge_base(local, remote_id)
            .map_err(|e| git_err("find where the branches parted", e))?;
        self.conflicts(base, local, remote_id)
    }

    pub(super) fn conflicts(&self, base: Oid, local: Oid, remote: Oid) -> Result<Vec<Conflict>> {
        let ours = self.changed_paths(Some(base), Some(local))?;
        let theirs = self.changed_paths(Some(base), Some(remote))?;
        let mut out = Vec::new();
        for path in ours.keys().filter(|p| theirs.contains_key(*p)) {
            let a = self.blob_at(local, path)?;
            let b = self.blob_at(remote, path)?;
            if a == b {
                continue;
            }
            out.push(Conflict {
                path: path.clone(),
                ours: self.last_touch(local, base, path)?,
                theirs: self.last_touch(remote, base, path)?,
                base: self.content(self.blob_at(base, path)?),
            });
        }
        Ok(out)
    }
}
