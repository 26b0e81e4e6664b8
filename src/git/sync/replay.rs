//! Replaying local commits on top of the remote's (same authors, messages and content,
//! file modes kept; a record both sides changed gets its merged or settled content in the
//! last local commit that touched it, with a trailer saying so). Moving the branch and the work tree to the result is `worktree.rs`'s.

use std::collections::BTreeMap;
use std::path::Path;

use git2::build::TreeUpdateBuilder;
use git2::{FileMode, Oid};

use super::{Choice, MergeInput, Merger, PathChange, Settled};
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

/// The trailer a replayed commit gets for a record settled in it.
fn trailer(path: &str, s: &Settled) -> String {
    let with = format!(
        "{} ({})",
        &s.theirs.commit[..s.theirs.commit.len().min(10)],
        s.theirs.author
    );
    match s.choice {
        Choice::Merged => format!("Dossier-Merged: {path} with {with}"),
        Choice::Ours => format!("Dossier-Resolved: {path} ours, against {with}"),
        Choice::Theirs => format!("Dossier-Resolved: {path} theirs, against {with}"),
        Choice::Edited => format!("Dossier-Resolved: {path} edited, against {with}"),
    }
}

/// `message` with `trailers` added (after a blank line, or to its trailer block).
fn with_trailers(message: &str, trailers: &[String]) -> String {
    if trailers.is_empty() {
        return message.to_string();
    }
    let body = message.trim_end();
    let last = body.rsplit("\n\n").next().unwrap_or("");
    let is_trailers = body.contains("\n\n")
        && last.lines().all(|l| {
            l.split_once(": ")
                .is_some_and(|(k, _)| !k.is_empty() && !k.contains(' '))
        });
    let sep = if is_trailers { "\n" } else { "\n\n" };
    format!("{body}{sep}{}\n", trailers.join("\n"))
}

impl Repo {
    /// Replays the commits of `base..local` on top of `onto`, each with its author and
    /// message. A record both sides changed (`settled`) gets its settled content in the
    /// last local commit that touched it, which says so in a trailer; an earlier local
    /// commit that touched it applies its own change merged (`merge`) with what the
    /// record holds by then, or leaves it to that last commit. Returns the new tip.
    pub(super) fn replay(
        &self,
        base: Oid,
        local: Oid,
        onto: Oid,
        settled: &BTreeMap<String, Settled>,
        merge: &Merger<'_>,
    ) -> Result<Oid> {
        let committer = self.signature("COMMITTER")?;
        let mut tip = self
            .repo
            .find_commit(onto)
            .map_err(|e| git_err("read a commit", e))?;
        let mut commits = Vec::new();
        for c in self.commits(
            local,
            Some(base),
            git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE,
        )? {
            let c = c?;
            if c.parent_count() != 1 {
                return Err(Error::new(format!(
                    "commit {} is a merge: sync replays plain commits only",
                    &c.id().to_string()[..10]
                ))
                .hint("integrate this history with git itself (`git pull --rebase`), then sync"));
            }
            let parent = c.parent(0).map_err(|e| git_err("read a commit", e))?;
            let changes = self.changed_paths(Some(parent.id()), Some(c.id()))?;
            commits.push((c, parent, changes));
        }
        // The last local commit touching each settled record.
        let mut last: BTreeMap<&str, usize> = BTreeMap::new();
        for (n, (_, _, changes)) in commits.iter().enumerate() {
            for path in changes.keys() {
                if settled.contains_key(path) {
                    last.insert(path.as_str(), n);
                }
            }
        }
        let blob_of = |commit: &git2::Commit<'_>, path: &str| -> Option<Vec<u8>> {
            let entry = commit.tree().ok()?.get_path(Path::new(path)).ok()?;
            self.repo
                .find_blob(entry.id())
                .ok()
                .map(|b| b.content().to_vec())
        };
        for (n, (c, parent, changes)) in commits.iter().enumerate() {
            let mut update = TreeUpdateBuilder::new();
            let mut trailers = Vec::new();
            let mut touches_settled = false;
            for (path, change) in changes {
                if let Some(s) = settled.get(path) {
                    touches_settled = true;
                    if last.get(path.as_str()) == Some(&n) {
                        if s.blob.is_empty() {
                            update.remove(path.as_str());
                        } else {
                            let id = Oid::from_str(&s.blob)
                                .map_err(|e| git_err("read a resolution", e))?;
                            update.upsert(path.as_str(), id, FileMode::Blob);
                        }
                        if s.choice != Choice::Theirs {
                            trailers.push(trailer(path, s));
                        }
                        continue;
                    }
                    // An earlier commit: its own change, merged with what is there now.
                    let merged = match (blob_of(c, path), blob_of(&tip, path)) {
                        (Some(mine), Some(now)) => merge(&MergeInput {
                            path,
                            base: blob_of(parent, path).as_deref(),
                            ours: &mine,
                            theirs: &now,
                        }),
                        _ => None,
                    };
                    match merged {
                        Some(bytes) => {
                            let id = self
                                .repo
                                .blob(&bytes)
                                .map_err(|e| git_err("store a merged record", e))?;
                            update.upsert(path.as_str(), id, FileMode::Blob);
                        }
                        None => trailers.push(format!(
                            "Dossier-Deferred: {path} (its change is settled in a later commit)"
                        )),
                    }
                    continue;
                }
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
            let base_tree = tip.tree().map_err(|e| git_err("read a tree", e))?;
            let tree_id = update
                .create_updated(&self.repo, &base_tree)
                .map_err(|e| git_err("build a tree", e))?;
            // A commit whose change the remote has already is dropped, as a rebase drops
            // it; one that touched a settled record keeps its message (a deferred change
            // says where it went).
            let deferred = trailers.iter().any(|t| t.starts_with("Dossier-Deferred"));
            if tree_id == base_tree.id() && !(touches_settled && deferred) {
                continue;
            }
            let tree = self
                .repo
                .find_tree(tree_id)
                .map_err(|e| git_err("read a tree", e))?;
            let message = with_trailers(c.message().unwrap_or(""), &trailers);
            let new = self
                .repo
                .commit(None, &c.author(), &committer, &message, &tree, &[&tip])
                .map_err(|e| git_err("replay a commit", e))?;
            tip = self
                .repo
                .find_commit(new)
                .map_err(|e| git_err("read a commit", e))?;
        }
        Ok(tip.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailers_go_after_a_blank_line_or_join_a_trailer_block() {
        let t = vec!["Dossier-Merged: a with b".to_string()];
        assert_eq!(
            with_trailers("edit x", &t),
            "edit x\n\nDossier-Merged: a with b\n"
        );
        assert_eq!(
            with_trailers("edit x\n\nSigned-off-by: A <a@x>\n", &t),
            "edit x\n\nSigned-off-by: A <a@x>\nDossier-Merged: a with b\n"
        );
        assert_eq!(with_trailers("edit x\n", &[]), "edit x\n");
    }
}
