//! Files a git command left unmerged (a `git pull`, `git merge`, `git rebase` or
//! `git cherry-pick` that stopped on a conflict): their three versions from the index,
//! who made each side, and settling one (the file written and staged, as `git add` does).

use std::path::Path;

use super::sync::ConflictSide;
use super::{git_err, Repo};
use crate::error::{Error, Result};

/// One unmerged file, as git's index holds it (stages 1, 2 and 3).
#[derive(Debug, Clone)]
pub struct Unmerged {
    /// Work-tree-relative, with `/`.
    pub path: String,
    pub base: Option<Vec<u8>>,
    pub ours: Option<Vec<u8>>,
    pub theirs: Option<Vec<u8>>,
    /// The commits the two sides are (HEAD, and MERGE_HEAD or the commit being replayed).
    pub ours_side: ConflictSide,
    pub theirs_side: ConflictSide,
    /// What stopped: `merge`, `rebase` or `cherry-pick`.
    pub operation: &'static str,
}

impl Repo {
    /// The git operation under way, if any, and the ref naming the other side.
    fn operation(&self) -> Option<(&'static str, &'static str)> {
        match self.repo.state() {
            git2::RepositoryState::Merge => Some(("merge", "MERGE_HEAD")),
            git2::RepositoryState::Rebase
            | git2::RepositoryState::RebaseInteractive
            | git2::RepositoryState::RebaseMerge => Some(("rebase", "REBASE_HEAD")),
            git2::RepositoryState::CherryPick | git2::RepositoryState::CherryPickSequence => {
                Some(("cherry-pick", "CHERRY_PICK_HEAD"))
            }
            _ => None,
        }
    }

    /// A commit as one side of a conflict.
    fn side(&self, refname: &str) -> ConflictSide {
        let commit = self
            .repo
            .revparse_single(refname)
            .ok()
            .and_then(|o| o.peel_to_commit().ok());
        match commit {
            Some(c) => {
                let a = c.author();
                ConflictSide {
                    commit: c.id().to_string(),
                    author: format!("{} <{}>", a.name().unwrap_or("?"), a.email().unwrap_or("")),
                    time: a.when().seconds(),
                    offset_minutes: a.when().offset_minutes(),
                    content: None,
                }
            }
            None => ConflictSide {
                commit: String::new(),
                author: String::new(),
                time: 0,
                offset_minutes: 0,
                content: None,
            },
        }
    }

    /// The files git left unmerged (none when no git operation stopped on a conflict).
    pub fn unmerged(&self) -> Result<Vec<Unmerged>> {
        let index = self
            .repo
            .index()
            .map_err(|e| git_err("read the index", e))?;
        if !index.has_conflicts() {
            return Ok(Vec::new());
        }
        let (operation, other) = self.operation().unwrap_or(("merge", "MERGE_HEAD"));
        let (ours_side, theirs_side) = (self.side("HEAD"), self.side(other));
        let blob = |e: &Option<git2::IndexEntry>| {
            e.as_ref()
                .and_then(|e| self.repo.find_blob(e.id).ok())
                .map(|b| b.content().to_vec())
        };
        let mut out = Vec::new();
        for c in index
            .conflicts()
            .map_err(|e| git_err("read the index's conflicts", e))?
        {
            let c = c.map_err(|e| git_err("read the index's conflicts", e))?;
            let path = [&c.our, &c.their, &c.ancestor]
                .into_iter()
                .flatten()
                .next()
                .map(|e| String::from_utf8_lossy(&e.path).into_owned())
                .unwrap_or_default();
            out.push(Unmerged {
                path,
                base: blob(&c.ancestor),
                ours: blob(&c.our),
                theirs: blob(&c.their),
                ours_side: ours_side.clone(),
                theirs_side: theirs_side.clone(),
                operation,
            });
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// Settles an unmerged file: writes `content` (`None`: deletes it) and stages it.
    pub fn settle_unmerged(&self, path: &str, content: Option<&[u8]>) -> Result<()> {
        super::sync::check_safe_path(path)?;
        let abs = self.workdir.join(path);
        match content {
            Some(bytes) => crate::fsio::write_atomic(&abs, bytes)?,
            None => {
                if abs.exists() {
                    std::fs::remove_file(&abs).map_err(|e| Error::io("remove", &abs, e))?;
                }
            }
        }
        let mut index = self
            .repo
            .index()
            .map_err(|e| git_err("read the index", e))?;
        let rel = Path::new(path);
        let staged = match content {
            Some(_) => index.add_path(rel),
            None => index.remove_path(rel),
        };
        staged
            .and_then(|_| index.write())
            .map_err(|e| git_err(&format!("stage {path}"), e))
    }
}
