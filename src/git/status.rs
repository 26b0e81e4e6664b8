//! The repository's state as plain data for `dossier status`: the branch, the store's
//! files changed but not committed, and how the branch stands against its upstream as of
//! the last fetch (nothing here touches the network).

use std::path::Path;

use git2::{Status, StatusOptions};
use serde::Serialize;

use super::{git_err, git_path, Repo};
use crate::error::Result;

/// What happened to a file that is not committed yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileState {
    /// Not known to git yet.
    New,
    Modified,
    Deleted,
    Renamed,
    /// A file or folder became a link, or the other way round.
    Typechange,
    /// Left unmerged by a git operation.
    Conflicted,
}

impl FileState {
    pub fn as_str(self) -> &'static str {
        match self {
            FileState::New => "new",
            FileState::Modified => "modified",
            FileState::Deleted => "deleted",
            FileState::Renamed => "renamed",
            FileState::Typechange => "typechange",
            FileState::Conflicted => "conflicted",
        }
    }
}

/// One file changed but not committed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangedFile {
    /// Work-tree-relative, with `/` separators.
    pub path: String,
    pub state: FileState,
    /// Whether the change is staged (in the index) rather than only in the work tree.
    pub staged: bool,
}

/// How the branch stands against the remote-tracking branch it syncs with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tracking {
    pub remote: String,
    /// `refs/remotes/<remote>/<branch>`, shortened to `<remote>/<branch>`.
    pub tracking_ref: String,
    /// `false` when the remote exists but nothing was fetched from it yet.
    pub fetched: bool,
    /// Local commits the remote does not have.
    pub ahead: usize,
    /// Remote commits (as of the last fetch) the branch does not have.
    pub behind: usize,
}

/// The repository facts `status` reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepoStatus {
    /// The checked-out branch (`None`: HEAD is detached).
    pub branch: Option<String>,
    /// Whether the branch has any commit.
    pub has_commits: bool,
    /// Files under the store's folder that differ from HEAD, sorted by path.
    pub changed: Vec<ChangedFile>,
    /// `None` when the repository has no remote.
    pub tracking: Option<Tracking>,
}

impl Repo {
    /// The state of the repository, looking only at files under `prefix` (work-tree-relative;
    /// empty for the whole work tree). Reads the remote-tracking refs as the last fetch left
    /// them.
    pub fn status(&self, prefix: &Path) -> Result<RepoStatus> {
        let branch = self
            .branch_ref()
            .ok()
            .map(|b| b.trim_start_matches("refs/heads/").to_string());
        let has_commits = self.has_commits();
        let changed = self.changed_files(prefix)?;
        let tracking = match &branch {
            Some(b) => self.tracking(b)?,
            None => None,
        };
        Ok(RepoStatus {
            branch,
            has_commits,
            changed,
            tracking,
        })
    }

    fn changed_files(&self, prefix: &Path) -> Result<Vec<ChangedFile>> {
        let mut opts = StatusOptions::new();
        opts.include_untracked(true)
            .recurse_untracked_dirs(true)
            .include_ignored(false)
            .renames_head_to_index(true);
        let spec = git_path(prefix);
        if !spec.is_empty() {
            opts.pathspec(&spec);
        }
        let statuses = self
            .repo
            .statuses(Some(&mut opts))
            .map_err(|e| git_err("read the work tree's status", e))?;
        let mut out: Vec<ChangedFile> = statuses
            .iter()
            .filter_map(|entry| {
                let path = entry.path().ok()?.to_string();
                let (state, staged) = classify(entry.status())?;
                Some(ChangedFile {
                    path,
                    state,
                    staged,
                })
            })
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// The upstream of `branch`: its configured remote, else `origin`, else the only remote.
    fn tracking(&self, branch: &str) -> Result<Option<Tracking>> {
        let names = self
            .repo
            .remotes()
            .map_err(|e| git_err("list the remotes", e))?;
        let names: Vec<String> = names.iter().flatten().flatten().map(String::from).collect();
        let config = self
            .repo
            .config()
            .map_err(|e| git_err("read git config", e))?;
        let configured = config
            .get_string(&format!("branch.{branch}.remote"))
            .ok()
            .filter(|r| names.contains(r));
        let remote = match configured {
            Some(r) => r,
            None if names.iter().any(|n| n == "origin") => "origin".to_string(),
            None if names.len() == 1 => names[0].clone(),
            None if names.is_empty() => return Ok(None),
            // Several remotes and none chosen: the first, as `sync` would ask to choose.
            None => names[0].clone(),
        };
        let tracking_ref = format!("{remote}/{branch}");
        let local = self
            .repo
            .refname_to_id(&format!("refs/heads/{branch}"))
            .ok();
        let remote_id = self
            .repo
            .refname_to_id(&format!("refs/remotes/{tracking_ref}"))
            .ok();
        let (ahead, behind) = match (local, remote_id) {
            (Some(l), Some(r)) => self
                .repo
                .graph_ahead_behind(l, r)
                .map_err(|e| git_err("compare the branch with the remote's", e))?,
            (Some(l), None) => (self.count_commits(l, None)?, 0),
            (None, Some(r)) => (0, self.count_commits(r, None)?),
            (None, None) => (0, 0),
        };
        Ok(Some(Tracking {
            remote,
            tracking_ref,
            fetched: remote_id.is_some(),
            ahead,
            behind,
        }))
    }
}

/// The state of one status entry and whether it is staged; `None` for clean or ignored.
fn classify(s: Status) -> Option<(FileState, bool)> {
    if s.is_conflicted() {
        return Some((FileState::Conflicted, false));
    }
    let worktree = [
        (Status::WT_NEW, FileState::New),
        (Status::WT_DELETED, FileState::Deleted),
        (Status::WT_RENAMED, FileState::Renamed),
        (Status::WT_TYPECHANGE, FileState::Typechange),
        (Status::WT_MODIFIED, FileState::Modified),
    ];
    let index = [
        (Status::INDEX_NEW, FileState::New),
        (Status::INDEX_DELETED, FileState::Deleted),
        (Status::INDEX_RENAMED, FileState::Renamed),
        (Status::INDEX_TYPECHANGE, FileState::Typechange),
        (Status::INDEX_MODIFIED, FileState::Modified),
    ];
    // What the work tree holds now matters most to the analyst; a staged-only change is
    // still uncommitted.
    if let Some((_, state)) = worktree.iter().find(|(flag, _)| s.contains(*flag)) {
        let staged = index.iter().any(|(flag, _)| s.contains(*flag));
        return Some((*state, staged));
    }
    index
        .iter()
        .find(|(flag, _)| s.contains(*flag))
        .map(|(_, state)| (*state, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_work_tree_before_index() {
        assert_eq!(classify(Status::CURRENT), None);
        assert_eq!(classify(Status::IGNORED), None);
        assert_eq!(
            classify(Status::WT_NEW),
            Some((FileState::New, false)),
            "untracked"
        );
        assert_eq!(
            classify(Status::INDEX_NEW | Status::WT_MODIFIED),
            Some((FileState::Modified, true))
        );
        assert_eq!(
            classify(Status::INDEX_DELETED),
            Some((FileState::Deleted, true))
        );
        assert_eq!(
            classify(Status::CONFLICTED | Status::WT_MODIFIED),
            Some((FileState::Conflicted, false))
        );
    }
}
