//! Syncing through ordinary git remotes: fetch, fast-forward or replay local commits on
//! top of the remote's, push with retries, and never lose a commit. A record changed on
//! both sides is a conflict: it is reported as data, nothing is changed, and the analyst
//! settles it (`Resolution`) before the sync goes on.
//!
//! - `transport.rs`: one connection setup for fetch, push and clone; the remotes' list;
//! - `conflicts.rs`: changed paths and conflicting records, as data;
//! - `replay.rs`: replaying local commits, moving the branch and the work tree;
//! - `resolutions.rs`: the decisions saved between `--resolve` and `--continue`;
//! - `paths.rs`: what a tree from a remote may hold;
//! - `undo.rs`: the old tip kept before a replay, and `sync --undo`;
//! - `worktree.rs`: moving the branch and the work tree together, as a transaction;
//! - `failure.rs`: the messages of a failed sync, one per cause an analyst can remove.

mod conflicts;
mod failure;
mod paths;
mod replay;
mod resolutions;
mod transport;
mod undo;
mod worktree;

pub use paths::check_safe_path;
pub use transport::RemoteInfo;
pub use undo::{Undone, BEFORE_SYNC};

use std::collections::BTreeMap;

use git2::{ErrorCode, Oid};
use serde::{Deserialize, Serialize};

use super::{git_err, Repo};
use crate::error::{Error, Result};

/// How many times a sync starts over when the remote moved between fetch and push.
const PUSH_ATTEMPTS: usize = 4;

/// Transfer progress, for a renderer to show.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    Receiving {
        objects: usize,
        total: usize,
        bytes: usize,
    },
    Sending {
        objects: usize,
        total: usize,
        bytes: usize,
    },
}

/// What a path went through between two trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PathChange {
    Added,
    Modified,
    Deleted,
}

/// One side of a conflict.
#[derive(Debug, Clone, Serialize)]
pub struct ConflictSide {
    pub commit: String,
    pub author: String,
    pub time: i64,
    pub offset_minutes: i32,
    /// The record's content on that side (`None`: deleted there).
    #[serde(skip)]
    pub content: Option<Vec<u8>>,
}

/// A record changed differently on both sides since they parted.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub path: String,
    pub ours: ConflictSide,
    pub theirs: ConflictSide,
    #[serde(skip)]
    pub base: Option<Vec<u8>>,
}

/// How one conflicting record was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Choice {
    Ours,
    Theirs,
    Edited,
    /// Merged by the record merger (the two sides changed different parts).
    Merged,
}

/// Three versions of a record for the record merger: the base (`None`: both sides added
/// it), ours and theirs.
pub struct MergeInput<'a> {
    pub path: &'a str,
    pub base: Option<&'a [u8]>,
    pub ours: &'a [u8],
    pub theirs: &'a [u8],
}

/// Merges two versions of a file made from a common one: the merged bytes, or `None`
/// when they conflict. Supplied by the caller (git knows nothing of records).
pub type Merger<'a> = dyn Fn(&MergeInput<'_>) -> Option<Vec<u8>> + 'a;

/// What a sync did.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub remote: String,
    pub branch: String,
    /// Paths that came in from the remote, with what happened to them.
    pub incoming: BTreeMap<String, PathChange>,
    /// Local commits that went out (or would, with --no-push / --dry-run).
    pub outgoing: usize,
    pub pushed: bool,
    /// Where the branch points now.
    pub head: String,
    pub dry_run: bool,
}

/// The result of a sync: done, or stopped on conflicts with nothing changed.
#[derive(Debug)]
pub enum SyncResult {
    Done(Outcome),
    Conflicts {
        remote: String,
        conflicts: Vec<Conflict>,
        resolved: usize,
        /// Decisions saved earlier were dropped: the local branch moved since they were
        /// taken (a later commit), so they are asked for again.
        stale: usize,
    },
}

/// Settings for one sync.
pub struct SyncOptions<'a> {
    pub remote: Option<String>,
    pub push: bool,
    pub dry_run: bool,
    /// The store's folder, relative to the work tree (`/` separators; empty: the root):
    /// where symbolic links and gitlinks from the remote are refused.
    pub store: String,
    pub progress: &'a mut dyn FnMut(Progress),
    /// Merges a record changed on both sides; only what it cannot merge is a conflict.
    pub merge: &'a Merger<'a>,
}

/// How a record changed on both sides was settled, for the replay: the choice, the blob
/// of the settled content (empty: deleted), and the remote's side it was settled against.
#[derive(Debug, Clone)]
pub(super) struct Settled {
    pub choice: Choice,
    pub blob: String,
    pub theirs: ConflictSide,
}

/// Where the local branch stands once it has the remote's commits (or would, in a dry
/// run): its tip, the local commits the remote lacks, and whether a push is due.
struct Integrated {
    tip: Oid,
    outgoing: usize,
    needs_push: bool,
}

/// One round of fetching and bringing the branches together.
enum Step {
    Ready(Integrated),
    Conflicts {
        open: Vec<Conflict>,
        resolved: usize,
        stale: usize,
    },
}

/// What one round works on.
struct Round<'a> {
    branch_ref: &'a str,
    store: &'a str,
    dry_run: bool,
    merge: &'a Merger<'a>,
    /// Paths that came in, over every round.
    incoming: &'a mut BTreeMap<String, PathChange>,
}

impl Repo {
    fn current_branch(&self) -> Result<String> {
        Ok(self
            .branch_ref()?
            .trim_start_matches("refs/heads/")
            .to_string())
    }

    fn pick_remote(&self, wanted: Option<&str>, branch: &str) -> Result<String> {
        if let Some(w) = wanted {
            self.repo.find_remote(w).map_err(|_| {
                Error::new(format!("there is no remote `{w}`"))
                    .hint("`dossier remote` lists them; `dossier remote add NAME URL` adds one")
            })?;
            return Ok(w.to_string());
        }
        let config = self
            .repo
            .config()
            .map_err(|e| git_err("read git config", e))?;
        if let Ok(r) = config.get_string(&format!("branch.{branch}.remote")) {
            return Ok(r);
        }
        let names = self
            .repo
            .remotes()
            .map_err(|e| git_err("list the remotes", e))?;
        let names: Vec<&str> = names.iter().flatten().flatten().collect();
        if names.contains(&"origin") {
            return Ok("origin".into());
        }
        match names.as_slice() {
            [one] => Ok(one.to_string()),
            [] => Err(Error::new("this store has no remote to sync with")
                .hint("add one: `dossier remote add origin URL`")),
            _ => Err(
                Error::new("this store has several remotes and none is called origin").hint(
                    format!("say which: `dossier sync NAME` ({})", names.join(", ")),
                ),
            ),
        }
    }

    /// Where `branch_ref` points, or `None` before the first commit.
    fn tip_of(&self, branch_ref: &str) -> Result<Option<Oid>> {
        match self.repo.refname_to_id(branch_ref) {
            Ok(id) => Ok(Some(id)),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(git_err("read the branch", e)),
        }
    }

    /// Syncs the current branch with a remote.
    pub fn sync(&self, opts: SyncOptions<'_>) -> Result<SyncResult> {
        let branch = self.current_branch()?;
        let branch_ref = format!("refs/heads/{branch}");
        let remote = self.pick_remote(opts.remote.as_deref(), &branch)?;
        if !opts.dry_run {
            self.recover_interrupted_sync()?;
        }
        let mut incoming = BTreeMap::new();
        // Where the branch was when this sync began: an earlier round may replay it.
        let began = self.tip_of(&branch_ref)?;
        // What the remote said when it last refused a push.
        let mut refused = String::new();
        for _ in 0..PUSH_ATTEMPTS {
            let local = self.tip_of(&branch_ref)?;
            let remote_id = self.fetch(&remote, &branch, opts.progress)?;
            let mut round = Round {
                branch_ref: &branch_ref,
                store: &opts.store,
                dry_run: opts.dry_run,
                merge: opts.merge,
                incoming: &mut incoming,
            };
            let done = match self.integrate(&mut round, local, remote_id)? {
                Step::Conflicts {
                    open,
                    resolved,
                    stale,
                } => {
                    return Ok(SyncResult::Conflicts {
                        remote,
                        conflicts: open,
                        resolved,
                        stale,
                    })
                }
                Step::Ready(done) => done,
            };
            let outcome = |pushed| Outcome {
                remote: remote.clone(),
                branch: branch.clone(),
                incoming: incoming.clone(),
                outgoing: done.outgoing,
                pushed,
                head: done.tip.to_string(),
                dry_run: opts.dry_run,
            };
            if !opts.push || opts.dry_run || !done.needs_push {
                return Ok(SyncResult::Done(outcome(false)));
            }
            let pushed = self
                .push(&remote, &branch, opts.progress)
                .map_err(|e| match began {
                    // The branch was replayed here; only sending it failed.
                    Some(before) if before != done.tip => failure::push_failed_after_replay(
                        &remote,
                        &before.to_string(),
                        &done.tip.to_string(),
                        e,
                    ),
                    _ => e,
                })?;
            match pushed {
                Ok(()) => return Ok(SyncResult::Done(outcome(true))),
                // The remote moved between fetch and push: start over.
                Err(why) => refused = why,
            }
        }
        Err(failure::push_kept_refused(
            &remote,
            &branch,
            PUSH_ATTEMPTS,
            &refused,
        ))
    }

    /// Brings the local branch (`local`) and the fetched remote tip together.
    fn integrate(
        &self,
        round: &mut Round<'_>,
        local: Option<Oid>,
        remote_id: Option<Oid>,
    ) -> Result<Step> {
        let ready = |tip, outgoing, needs_push| {
            Ok(Step::Ready(Integrated {
                tip,
                outgoing,
                needs_push,
            }))
        };
        match (local, remote_id) {
            (None, None) => Err(
                Error::new("neither this store nor the remote has any commit yet")
                    .hint("record something first"),
            ),
            // A new remote: everything goes out.
            (Some(l), None) => ready(l, self.count_commits(l, None)?, true),
            (None, Some(r)) => {
                self.first_checkout(round, r)?;
                ready(r, 0, false)
            }
            (Some(l), Some(r)) => self.bring_together(round, l, r),
        }
    }

    /// A store without commits takes the remote's branch as it is, through the same
    /// transaction as any other work-tree update (`worktree.rs`): locks checked first, a
    /// note, the branch created only if nobody created it meanwhile, and a rollback that
    /// never removes a file the analyst had or a concurrent commit wrote.
    fn first_checkout(&self, round: &mut Round<'_>, r: Oid) -> Result<()> {
        self.check_incoming(None, r, round.store)?;
        let incoming = self.changed_paths(None, Some(r))?;
        if !round.dry_run {
            self.advance(round.branch_ref, None, r)?;
        }
        round.incoming.extend(incoming);
        Ok(())
    }

    /// Both sides have commits: nothing to do, a fast-forward, or a replay.
    fn bring_together(&self, round: &mut Round<'_>, l: Oid, r: Oid) -> Result<Step> {
        let base = self
            .repo
            .merge_base(l, r)
            .map_err(|e| git_err("find where the branches parted", e))?;
        self.check_incoming(Some(l), r, round.store)?;
        let incoming = self.changed_paths(Some(l), Some(r))?;
        if base == r {
            let outgoing = self.count_commits(l, Some(r))?;
            return Ok(Step::Ready(Integrated {
                tip: l,
                outgoing,
                needs_push: outgoing > 0,
            }));
        }
        if base == l {
            if !round.dry_run {
                self.advance(round.branch_ref, Some(l), r)?;
            }
            round.incoming.extend(incoming);
            return Ok(Step::Ready(Integrated {
                tip: r,
                outgoing: 0,
                needs_push: false,
            }));
        }
        self.replay_diverged(round, base, l, r, incoming)
    }

    /// The branches parted: stop on conflicts that are not settled yet, else replay the
    /// local commits on top of the remote's and apply the settled ones.
    fn replay_diverged(
        &self,
        round: &mut Round<'_>,
        base: Oid,
        l: Oid,
        r: Oid,
        incoming: BTreeMap<String, PathChange>,
    ) -> Result<Step> {
        let saved = self.load_resolutions();
        let conflicts = self.conflicts(base, l, r)?;
        let in_conflict = |p: &String| conflicts.iter().any(|c| &c.path == p);
        let (mut resolved, stale): (BTreeMap<String, (Choice, String)>, usize) =
            if saved.remote_tip != r.to_string() {
                (BTreeMap::new(), 0)
            } else if saved.local_tip != l.to_string() {
                // Decided against another local tip: a later commit may have changed the
                // record since, and the decision would drop it. Ask again.
                let stale = saved.resolutions.keys().filter(|p| in_conflict(p)).count();
                (BTreeMap::new(), stale)
            } else {
                let kept = saved
                    .resolutions
                    .into_iter()
                    .filter(|(p, _)| in_conflict(p))
                    .collect();
                (kept, 0)
            };
        let settled_by_hand = resolved.len();
        // Records both sides changed in different parts merge; only the rest is asked.
        let mut open: Vec<Conflict> = Vec::new();
        for c in &conflicts {
            if resolved.contains_key(&c.path) {
                continue;
            }
            let merged = match (&c.ours.content, &c.theirs.content) {
                (Some(o), Some(t)) => (round.merge)(&MergeInput {
                    path: &c.path,
                    base: c.base.as_deref(),
                    ours: o,
                    theirs: t,
                }),
                _ => None,
            };
            match merged {
                Some(bytes) => {
                    let blob = if round.dry_run {
                        String::new()
                    } else {
                        self.repo
                            .blob(&bytes)
                            .map_err(|e| git_err("store a merged record", e))?
                            .to_string()
                    };
                    resolved.insert(c.path.clone(), (Choice::Merged, blob));
                }
                None => open.push(c.clone()),
            }
        }
        if !open.is_empty() {
            return Ok(Step::Conflicts {
                open,
                resolved: settled_by_hand,
                stale,
            });
        }
        if round.dry_run {
            round.incoming.extend(incoming);
            return Ok(Step::Ready(Integrated {
                tip: l,
                outgoing: self.count_commits(l, Some(r))?,
                needs_push: false,
            }));
        }
        let settled: BTreeMap<String, Settled> = conflicts
            .iter()
            .filter_map(|c| {
                let (choice, blob) = resolved.get(&c.path)?.clone();
                Some((
                    c.path.clone(),
                    Settled {
                        choice,
                        blob,
                        theirs: c.theirs.clone(),
                    },
                ))
            })
            .collect();
        let tip = self.replay(base, l, r, &settled, round.merge)?;
        let changed_in = self.changed_paths(Some(l), Some(tip))?;
        // Keep the old tip reachable, whatever was chosen: a ref with a reflog, so that
        // every earlier one stays too, and `sync --undo` can go back.
        self.keep_before_sync(l, tip)?;
        self.advance(round.branch_ref, Some(l), tip)?;
        let outgoing = self.count_commits(tip, Some(r))?;
        let _ = std::fs::remove_file(self.resolutions_path());
        round.incoming.extend(
            changed_in
                .into_iter()
                .filter(|(p, _)| incoming.contains_key(p)),
        );
        Ok(Step::Ready(Integrated {
            tip,
            outgoing,
            needs_push: outgoing > 0,
        }))
    }
}
