//! What a tree from a remote may hold: paths that stay inside the work tree and out of
//! `.git`, and, under the store, only files and folders: a symbolic link (mode 120000)
//! could make dossier read or write outside the store, a gitlink (160000) names a commit
//! of another repository. Both are refused by name, before anything is written.

use git2::{FileMode, Oid};

use crate::error::{Error, Result};
use crate::escape::escape;
use crate::git::{git_err, Repo};

/// What a tree entry's mode makes it, when it is neither a file nor a folder.
fn link_kind(mode: i32) -> Option<&'static str> {
    if mode == i32::from(FileMode::Link) {
        Some("a symbolic link")
    } else if mode == i32::from(FileMode::Commit) {
        Some("a gitlink (a submodule's commit)")
    } else {
        None
    }
}

/// Whether `path` lies under the store's folder `prefix` (work-tree-relative, `/`; empty:
/// the whole work tree).
fn under(prefix: &str, path: &str) -> bool {
    prefix.is_empty()
        || path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|r| r.starts_with('/'))
}

fn refuse_link(path: &str, kind: &str) -> Error {
    Error::new(format!(
        "refused {kind} from the remote: `{}`",
        escape(path)
    ))
    .hint("a store holds only files and folders; ask whoever pushed it to replace it with the file itself, then sync again")
}

impl Repo {
    /// Refuses the entries that `to` brings in (compared with `from`) that are unsafe: a
    /// path leaving the work tree anywhere, a symbolic link or a gitlink under `store`.
    pub(super) fn check_incoming(&self, from: Option<Oid>, to: Oid, store: &str) -> Result<()> {
        let tree = |id: Oid| {
            self.repo
                .find_commit(id)
                .and_then(|c| c.tree())
                .map_err(|e| git_err("read a tree", e))
        };
        let new = tree(to)?;
        let old = match from {
            Some(f) => Some(tree(f)?),
            None => None,
        };
        let diff = self
            .repo
            .diff_tree_to_tree(old.as_ref(), Some(&new), None)
            .map_err(|e| git_err("compare two revisions", e))?;
        for d in diff.deltas() {
            let file = d.new_file();
            let Some(path) = file.path().map(crate::git::git_path) else {
                continue;
            };
            check_safe_path(&path)?;
            if d.status() == git2::Delta::Deleted {
                continue;
            }
            if let Some(kind) = link_kind(i32::from(file.mode())) {
                if under(store, &path) {
                    return Err(refuse_link(&path, kind));
                }
            }
        }
        Ok(())
    }

    /// The same check over a whole tree (a fresh clone, before its checkout), where the
    /// store is the folder holding `dossier.yaml` at the root or in `tracked/`.
    pub(super) fn check_cloned_tree(&self, commit: Oid) -> Result<()> {
        let tree = self
            .repo
            .find_commit(commit)
            .and_then(|c| c.tree())
            .map_err(|e| git_err("read a tree", e))?;
        let store = if tree.get_name("dossier.yaml").is_some() {
            ""
        } else {
            "tracked"
        };
        let mut found: Option<Result<()>> = None;
        tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            let path = format!("{dir}{}", String::from_utf8_lossy(entry.name_bytes()));
            if let Err(e) = check_safe_path(&path) {
                found = Some(Err(e));
                return git2::TreeWalkResult::Abort;
            }
            if let Some(kind) = link_kind(entry.filemode()) {
                if under(store, &path) {
                    found = Some(Err(refuse_link(&path, kind)));
                    return git2::TreeWalkResult::Abort;
                }
            }
            git2::TreeWalkResult::Ok
        })
        .or_else(|e| if found.is_some() { Ok(()) } else { Err(e) })
        .map_err(|e| git_err("read a tree", e))?;
        found.unwrap_or(Ok(()))
    }
}

/// Refuses a path that would write outside the work tree or into `.git`.
pub fn check_safe_path(path: &str) -> Result<()> {
    let bad = path.starts_with('/')
        || path.contains('\\')
        || path.contains('\0')
        || path.split('/').any(|c| {
            let lower = c.trim_end_matches(['.', ' ']).to_ascii_lowercase();
            c.is_empty() || c == "." || c == ".." || lower == ".git" || lower.starts_with("git~")
        });
    if bad {
        return Err(Error::new(format!(
            "refused a path from the remote: `{}`",
            crate::escape::escape(path)
        ))
        .hint(
            "it would write outside the store or into .git; ask whoever pushed it to remove it",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        for bad in [
            "../x",
            "a/../b",
            "/etc/passwd",
            ".git/config",
            "a/.GIT/hooks",
            "a\\b",
            "x/.git./y",
            "GIT~1/x",
        ] {
            assert!(check_safe_path(bad).is_err(), "{bad}");
        }
        for good in [
            "tracked/cis/statements/a.yaml",
            "dossier.yaml",
            ".gitignore",
        ] {
            assert!(check_safe_path(good).is_ok(), "{good}");
        }
    }
}
