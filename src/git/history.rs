//! A history index: for every path, the commits that changed it, kept under
//! `.git/dossier/history-v1.json` and brought up to date incrementally (only the commits
//! made since it was last written are read). `dossier history` then answers without
//! walking the whole history, as git does with its commit-graph's changed-path filters.
//!
//! A commit "changes" a path when the path's blob differs from its first parent's (for a
//! merge: from every parent's, git's TREESAME rule). The index is rebuilt from scratch
//! when the branch no longer descends from the commit it was built at, and ignored when
//! unreadable; it is derived data, never committed.

use std::collections::HashMap;

use git2::Oid;
use serde::{Deserialize, Serialize};

use super::{git_err, Repo};
use crate::error::Result;

#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    /// The commit the index was built at.
    tip: String,
    /// path -> commits that changed it, newest first.
    paths: HashMap<String, Vec<String>>,
}

impl Repo {
    fn history_index_path(&self) -> std::path::PathBuf {
        self.git_dir().join("dossier").join("history-v1.json")
    }

    /// Paths changed by one commit, by the TREESAME rule.
    fn commit_changes(&self, commit: &git2::Commit) -> Result<Vec<String>> {
        let tree = commit.tree().map_err(|e| git_err("read a tree", e))?;
        let mut per_parent: Vec<Vec<String>> = Vec::new();
        let parents: Vec<git2::Commit> = commit.parents().collect();
        let diff_paths = |old: Option<&git2::Tree>| -> Result<Vec<String>> {
            let diff = self
                .repo
                .diff_tree_to_tree(old, Some(&tree), None)
                .map_err(|e| git_err("compare two revisions", e))?;
            Ok(diff
                .deltas()
                .filter_map(|d| {
                    let f = if d.status() == git2::Delta::Deleted {
                        d.old_file()
                    } else {
                        d.new_file()
                    };
                    f.path().map(super::git_path)
                })
                .collect())
        };
        if parents.is_empty() {
            return diff_paths(None);
        }
        for p in &parents {
            let ptree = p.tree().map_err(|e| git_err("read a tree", e))?;
            per_parent.push(diff_paths(Some(&ptree))?);
        }
        let mut changed = per_parent.remove(0);
        for other in &per_parent {
            changed.retain(|p| other.contains(p));
        }
        Ok(changed)
    }

    /// The history index, brought up to date with HEAD (and saved when it changed).
    fn history_index(&self) -> Result<Index> {
        let head = match self.repo.head().ok().and_then(|h| h.target()) {
            Some(h) => h,
            None => return Ok(Index::default()),
        };
        let saved: Index = std::fs::read(self.history_index_path())
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        if saved.tip == head.to_string() {
            return Ok(saved);
        }
        let base = Oid::from_str(&saved.tip)
            .ok()
            .filter(|t| self.repo.graph_descendant_of(head, *t).unwrap_or(false));
        let mut index = if base.is_some() {
            saved
        } else {
            Index::default()
        };
        // New commits come newest first; gather them, then put them in front of the
        // older entries of each path.
        let mut fresh: HashMap<String, Vec<String>> = HashMap::new();
        for commit in self.commits(head, base, git2::Sort::TOPOLOGICAL | git2::Sort::TIME)? {
            let commit = commit?;
            let id = commit.id();
            for path in self.commit_changes(&commit)? {
                fresh.entry(path).or_default().push(id.to_string());
            }
        }
        for (path, mut commits) in fresh {
            let entry = index.paths.entry(path).or_default();
            commits.append(entry);
            *entry = commits;
        }
        index.tip = head.to_string();
        if let Ok(json) = serde_json::to_vec(&index) {
            let _ = crate::fsio::write_atomic(&self.history_index_path(), &json);
        }
        Ok(index)
    }

    /// The commits that changed `path` (a git path), newest first, from the index.
    pub(super) fn indexed_changes(&self, path: &str) -> Result<Vec<Oid>> {
        let index = self.history_index()?;
        Ok(index
            .paths
            .get(path)
            .map(|list| list.iter().filter_map(|c| Oid::from_str(c).ok()).collect())
            .unwrap_or_default())
    }
}

/// When a path was first changed and which commit changed it last, from the history index.
#[derive(Debug, Clone)]
pub struct PathChanges {
    /// The author time of the oldest commit that changed the path (seconds since the
    /// epoch, offset in minutes).
    pub first_time: (i64, i32),
    /// The newest commit that changed it (full hex id).
    pub last: String,
}

impl Repo {
    /// For each of `paths` (git paths) that some commit changed: when it was first
    /// changed, and the commit that changed it last. One history-index read and one commit
    /// lookup per path, however many paths.
    pub fn path_changes(&self, paths: &[String]) -> Result<HashMap<String, PathChanges>> {
        let index = self.history_index()?;
        let mut out = HashMap::new();
        for path in paths {
            let Some(list) = index.paths.get(path) else {
                continue;
            };
            let (Some(newest), Some(oldest)) = (list.first(), list.last()) else {
                continue;
            };
            let Ok(id) = Oid::from_str(oldest) else {
                continue;
            };
            let commit = self
                .repo
                .find_commit(id)
                .map_err(|e| git_err("read a commit", e))?;
            let when = commit.author().when();
            out.insert(
                path.clone(),
                PathChanges {
                    first_time: (when.seconds(), when.offset_minutes()),
                    last: newest.clone(),
                },
            );
        }
        Ok(out)
    }
}
