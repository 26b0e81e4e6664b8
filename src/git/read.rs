//! Reading the repository: the index's and a revision's content of a file, revisions
//! resolved, a folder listed at a revision, and walking commits.

use std::path::Path;

use git2::{ErrorCode, ObjectType, Oid};

use super::{git_err, git_path, Repo};
use crate::error::{Error, Result};

impl Repo {
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

    pub(super) fn commit_at(&self, rev: &str) -> Result<git2::Commit<'_>> {
        let obj = self.repo.revparse_single(rev).map_err(|e| {
            Error::new(format!("`{rev}` is not a revision of this repository"))
                .cause(e.message())
                .hint("use a commit id, a tag, a branch or HEAD~N; `dossier history REF` lists a record's revisions")
        })?;
        obj.peel_to_commit()
            .map_err(|e| git_err(&format!("read `{rev}` as a commit"), e))
    }

    pub(super) fn tree_at(&self, rev: &str) -> Result<git2::Tree<'_>> {
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

pub(super) fn blob_id(tree: &git2::Tree, path: &str) -> Option<Oid> {
    tree.get_path(Path::new(path))
        .ok()
        .filter(|e| e.kind() == Some(ObjectType::Blob))
        .map(|e| e.id())
}
