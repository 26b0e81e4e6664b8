//! Going back: every sync that rewrote the branch (a replay) first keeps the old tip in
//! `refs/dossier/before-sync` (with a reflog, so every earlier one stays reachable too:
//! `git reflog refs/dossier/before-sync`), and `sync --undo` puts the branch back there.

use git2::Oid;

use crate::error::{Error, Result};
use crate::git::{git_err, Repo};

/// The branch before the last replaying sync.
pub const BEFORE_SYNC: &str = "refs/dossier/before-sync";
/// The branch as that sync left it: `--undo` goes back only from there.
const AFTER_SYNC: &str = "refs/dossier/after-sync";

/// What `sync --undo` did.
#[derive(Debug, Clone)]
pub struct Undone {
    pub from: String,
    pub to: String,
}

impl Repo {
    /// Keeps `before` (the branch before a replay) and `after` (its result). Failing to
    /// keep them stops the sync before the branch moves.
    pub(super) fn keep_before_sync(&self, before: Oid, after: Oid) -> Result<()> {
        let keep = |name: &str, id: Oid, msg: &str| -> Result<()> {
            self.repo
                .reference_ensure_log(name)
                .and_then(|_| self.repo.reference(name, id, true, msg))
                .map(|_| ())
                .map_err(|e| {
                    git_err(
                        &format!("keep the branch's old tip in {name} (the sync changed nothing)"),
                        e,
                    )
                })
        };
        keep(
            BEFORE_SYNC,
            before,
            "dossier sync: the branch before replaying",
        )?;
        keep(
            AFTER_SYNC,
            after,
            "dossier sync: the branch after replaying",
        )
    }

    /// Puts the branch (and the files the sync changed) back where the last replaying
    /// sync found it, provided nothing was committed since.
    pub fn undo_sync(&self) -> Result<Undone> {
        let branch_ref = self.branch_ref()?;
        let read = |name: &str| self.repo.refname_to_id(name).ok();
        let (Some(before), Some(after)) = (read(BEFORE_SYNC), read(AFTER_SYNC)) else {
            return Err(Error::new("there is no sync to undo")
                .hint("only a sync that replayed your commits can be undone; `git reflog` shows every move of the branch"));
        };
        let now = self
            .repo
            .refname_to_id(&branch_ref)
            .map_err(|e| git_err("read the branch", e))?;
        if now != after {
            return Err(Error::new(
                "the branch moved since the last sync that replayed it: undoing it would drop the later commits",
            )
            .cause(format!("the sync left it at {}, it is at {} now", short(after), short(now)))
            .hint(format!(
                "the branch before that sync is kept as {BEFORE_SYNC} ({}); go back with git if you mean to (`git reset --keep {}`)",
                short(before),
                short(before)
            )));
        }
        self.advance(&branch_ref, Some(now), before)?;
        let _ = self
            .repo
            .find_reference(AFTER_SYNC)
            .and_then(|mut r| r.delete());
        Ok(Undone {
            from: now.to_string(),
            to: before.to_string(),
        })
    }
}

fn short(id: Oid) -> String {
    id.to_string()[..10].to_string()
}
