//! Syncing through ordinary git remotes: fetch, fast-forward or replay local commits on
//! top of the remote's, push with retries, and never lose a commit. A record changed on
//! both sides is a conflict: it is reported as data, nothing is changed, and the analyst
//! settles it (`Resolution`) before the sync goes on.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use git2::build::{CheckoutBuilder, TreeUpdateBuilder};
use git2::{Direction, ErrorCode, FetchOptions, FileMode, Oid, PushOptions, RemoteCallbacks};
use serde::{Deserialize, Serialize};

use super::{git_err, git_path, Repo};
use crate::error::{Error, Result};

/// How many times a sync starts over when the remote moved between fetch and push.
const PUSH_ATTEMPTS: usize = 4;
/// How many times credentials are asked for before giving up.
const CREDENTIAL_ATTEMPTS: usize = 6;

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
}

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
    },
}

/// Settings for one sync.
pub struct SyncOptions<'a> {
    pub remote: Option<String>,
    pub push: bool,
    pub dry_run: bool,
    pub progress: &'a mut dyn FnMut(Progress),
}

/// Resolutions saved between `sync --resolve` and `sync --continue`.
#[derive(Debug, Default, Serialize, Deserialize)]
struct SavedResolutions {
    /// The remote tip the resolutions were made against.
    remote_tip: String,
    /// path -> (choice, blob id of the chosen content, or empty for a deletion)
    resolutions: BTreeMap<String, (Choice, String)>,
}

/// One remote as `git remote -v` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RemoteInfo {
    pub name: String,
    pub fetch_url: String,
    pub push_url: String,
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

/// Whether a push was refused because the remote branch moved under it: not a fast
/// forward any more, or (a push that raced another) the server could not update or lock
/// the ref because it changed while the push was in flight. Such a push is retried after
/// a new fetch; any other refusal (a hook, a protected branch) is an error.
fn remote_moved(message: &str) -> bool {
    const MOVED: &[&str] = &[
        "fast-forward",
        "fetch first",
        "stale",
        "failed to update ref",
        "failed to lock",
        "cannot lock ref",
    ];
    MOVED.iter().any(|m| message.contains(m))
}

fn callbacks<'a>(
    config: &'a git2::Config,
    auth: &'a auth_git2::GitAuthenticator,
    attempts: &'a std::cell::Cell<usize>,
    progress: &'a mut dyn FnMut(Progress),
) -> RemoteCallbacks<'a> {
    let mut cb = RemoteCallbacks::new();
    let mut creds = auth.credentials(config);
    cb.credentials(move |url, user, allowed| {
        attempts.set(attempts.get() + 1);
        if attempts.get() > CREDENTIAL_ATTEMPTS {
            return Err(git2::Error::from_str("no credential was accepted"));
        }
        creds(url, user, allowed)
    });
    let progress = std::rc::Rc::new(std::cell::RefCell::new(progress));
    let p = progress.clone();
    cb.transfer_progress(move |s| {
        (p.borrow_mut())(Progress::Receiving {
            objects: s.received_objects(),
            total: s.total_objects(),
            bytes: s.received_bytes(),
        });
        true
    });
    cb.push_transfer_progress(move |current, total, bytes| {
        (progress.borrow_mut())(Progress::Sending {
            objects: current,
            total,
            bytes,
        });
    });
    cb
}

fn auth_error(remote: &str, url: &str, attempts: usize, e: git2::Error) -> Error {
    let mut err =
        Error::new(format!("could not reach the remote `{remote}` ({url})")).cause(e.message());
    if e.code() == ErrorCode::Certificate || e.message().contains("hostkey") {
        err.hint = Some(
            "the server's host key is not known: check its fingerprint with the server's admin, then add it \
             to ~/.ssh/known_hosts (e.g. `ssh-keyscan -p PORT HOST >> ~/.ssh/known_hosts`, or connect once with `ssh`)"
                .into(),
        );
        return err;
    }
    if e.code() == ErrorCode::Auth || e.class() == git2::ErrorClass::Ssh || attempts > 0 {
        err = err.cause(format!(
            "credentials tried {attempts} time(s): ssh-agent, the keys in ~/.ssh, git's credential helpers, GIT_ASKPASS"
        ));
        err.hint = Some("check that your key or token is accepted by the server (`ssh -T`, or `git ls-remote URL`)".into());
    } else {
        err.hint = Some(
            "check the URL (`dossier remote`) and that the server is running and reachable".into(),
        );
    }
    err
}

impl Repo {
    /// The remotes, as `git remote -v` lists them.
    pub fn remotes(&self) -> Result<Vec<RemoteInfo>> {
        let names = self
            .repo
            .remotes()
            .map_err(|e| git_err("list the remotes", e))?;
        let mut out = Vec::new();
        for name in names.iter().flatten().flatten() {
            let r = self
                .repo
                .find_remote(name)
                .map_err(|e| git_err("read a remote", e))?;
            let fetch = r.url().ok().unwrap_or("").to_string();
            let push = r
                .pushurl()
                .ok()
                .flatten()
                .map(str::to_string)
                .unwrap_or_else(|| fetch.clone());
            out.push(RemoteInfo {
                name: name.to_string(),
                fetch_url: fetch,
                push_url: push,
            });
        }
        Ok(out)
    }

    pub fn add_remote(&self, name: &str, url: &str) -> Result<()> {
        self.repo
            .remote(name, url)
            .map(|_| ())
            .map_err(|e| git_err(&format!("add the remote `{name}`"), e))
    }

    pub fn remove_remote(&self, name: &str) -> Result<()> {
        self.repo
            .remote_delete(name)
            .map_err(|e| git_err(&format!("remove the remote `{name}`"), e))
    }

    /// Clones `url` into `dir` (which must not exist or be empty).
    pub fn clone_from(url: &str, dir: &Path, progress: &mut dyn FnMut(Progress)) -> Result<Repo> {
        let config = git2::Config::open_default().map_err(|e| git_err("read git config", e))?;
        let auth = auth_git2::GitAuthenticator::default();
        let attempts = std::cell::Cell::new(0);
        let mut fo = FetchOptions::new();
        fo.remote_callbacks(callbacks(&config, &auth, &attempts, progress));
        let repo = git2::build::RepoBuilder::new()
            .fetch_options(fo)
            .clone(url, dir)
            .map_err(|e| auth_error("origin", url, attempts.get(), e))?;
        Repo::from_repository(repo)
    }

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

    fn fetch(
        &self,
        remote: &str,
        branch: &str,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Option<Oid>> {
        let mut r = self
            .repo
            .find_remote(remote)
            .map_err(|e| git_err("open the remote", e))?;
        let url = r.url().ok().unwrap_or("").to_string();
        let config = self
            .repo
            .config()
            .map_err(|e| git_err("read git config", e))?;
        let auth = auth_git2::GitAuthenticator::default();
        let attempts = std::cell::Cell::new(0);
        // Does the remote have the branch at all? (A new, empty remote does not.)
        let refspec = format!("+refs/heads/{branch}:refs/remotes/{remote}/{branch}");
        let mut fo = FetchOptions::new();
        fo.remote_callbacks(callbacks(&config, &auth, &attempts, progress));
        r.fetch(&[refspec.as_str()], Some(&mut fo), None)
            .map_err(|e| auth_error(remote, &url, attempts.get(), e))?;
        let tracking = format!("refs/remotes/{remote}/{branch}");
        let heads = r
            .list()
            .map(|l| l.iter().any(|h| h.name() == format!("refs/heads/{branch}")))
            .unwrap_or(true);
        if !heads {
            return Ok(None);
        }
        match self.repo.refname_to_id(&tracking) {
            Ok(id) => Ok(Some(id)),
            Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(git_err("read the remote branch", e)),
        }
    }

    /// Pushes `branch`; `Ok(false)` when the remote rejected it because it moved.
    fn push(&self, remote: &str, branch: &str, progress: &mut dyn FnMut(Progress)) -> Result<bool> {
        let mut r = self
            .repo
            .find_remote(remote)
            .map_err(|e| git_err("open the remote", e))?;
        let url = r
            .pushurl()
            .ok()
            .flatten()
            .or(r.url().ok())
            .unwrap_or("")
            .to_string();
        let config = self
            .repo
            .config()
            .map_err(|e| git_err("read git config", e))?;
        let auth = auth_git2::GitAuthenticator::default();
        let attempts = std::cell::Cell::new(0);
        let rejected = std::cell::RefCell::new(None::<String>);
        {
            let mut cb = callbacks(&config, &auth, &attempts, progress);
            cb.push_update_reference(|_name, status| {
                if let Some(msg) = status {
                    *rejected.borrow_mut() = Some(msg.to_string());
                }
                Ok(())
            });
            let mut po = PushOptions::new();
            po.remote_callbacks(cb);
            let spec = format!("refs/heads/{branch}:refs/heads/{branch}");
            match r.push(&[spec.as_str()], Some(&mut po)) {
                Ok(()) => {}
                Err(e) if e.code() == ErrorCode::NotFastForward => return Ok(false),
                Err(e) => return Err(auth_error(remote, &url, attempts.get(), e)),
            }
        }
        if let Some(msg) = rejected.into_inner() {
            if remote_moved(&msg) {
                return Ok(false);
            }
            return Err(
                Error::new(format!("the remote `{remote}` refused the push: {msg}"))
                    .hint("check that you may push to it, and that the branch is not protected"),
            );
        }
        let head = self
            .repo
            .refname_to_id(&format!("refs/heads/{branch}"))
            .map_err(|e| git_err("read the branch", e))?;
        let _ = self.repo.reference(
            &format!("refs/remotes/{remote}/{branch}"),
            head,
            true,
            "dossier sync: pushed",
        );
        // Record the upstream so later syncs and `git status` know it.
        if let Ok(mut cfg) = self.repo.config() {
            let key = format!("branch.{branch}.remote");
            if cfg.get_string(&key).is_err() {
                let _ = cfg.set_str(&key, remote);
                let _ = cfg.set_str(
                    &format!("branch.{branch}.merge"),
                    &format!("refs/heads/{branch}"),
                );
            }
        }
        let _ = Direction::Push;
        Ok(true)
    }

    /// Paths that differ between two trees (no rename detection: records are files).
    fn changed_paths(
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

    fn blob_at(&self, commit: Oid, path: &str) -> Result<Option<Oid>> {
        let tree = self
            .repo
            .find_commit(commit)
            .and_then(|c| c.tree())
            .map_err(|e| git_err("read a tree", e))?;
        Ok(super::blob_id(&tree, path))
    }

    fn content(&self, blob: Option<Oid>) -> Option<Vec<u8>> {
        blob.and_then(|b| self.repo.find_blob(b).ok())
            .map(|b| b.content().to_vec())
    }

    /// The newest commit in `from..to` (first-parent order) that touched `path`.
    fn last_touch(&self, to: Oid, base: Oid, path: &str) -> Result<ConflictSide> {
        for c in self.commits(to, Some(base), git2::Sort::NONE)? {
            let c = c?;
            let id = c.id();
            let here = super::blob_id(&c.tree().map_err(|e| git_err("read a tree", e))?, path);
            let before = match c.parent(0) {
                Ok(p) => super::blob_id(&p.tree().map_err(|e| git_err("read a tree", e))?, path),
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

    fn resolutions_path(&self) -> PathBuf {
        self.git_dir().join("dossier").join("sync-resolutions.json")
    }

    fn load_resolutions(&self) -> SavedResolutions {
        std::fs::read(self.resolutions_path())
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    /// Settles one conflicting record for the next `sync --continue`: `content` is the
    /// chosen version (`None`: the record is deleted).
    pub fn save_resolution(
        &self,
        remote_tip: &str,
        path: &str,
        choice: Choice,
        content: Option<&[u8]>,
    ) -> Result<()> {
        let mut saved = self.load_resolutions();
        if saved.remote_tip != remote_tip {
            saved = SavedResolutions {
                remote_tip: remote_tip.to_string(),
                ..Default::default()
            };
        }
        let blob = match content {
            Some(c) => self
                .repo
                .blob(c)
                .map_err(|e| git_err("store a resolution", e))?
                .to_string(),
            None => String::new(),
        };
        saved.resolutions.insert(path.to_string(), (choice, blob));
        let file = self.resolutions_path();
        let json = serde_json::to_vec_pretty(&saved)
            .map_err(|e| Error::new("could not save the resolution").cause(e))?;
        crate::store::write_atomic(&file, &json)
    }

    /// The remote tip that pending conflicts are against, from the last fetch.
    pub fn remote_tip(&self, remote: Option<&str>) -> Result<(String, String)> {
        let branch = self.current_branch()?;
        let remote = self.pick_remote(remote, &branch)?;
        let id = self
            .repo
            .refname_to_id(&format!("refs/remotes/{remote}/{branch}"))
            .map_err(|_| Error::new("nothing was fetched yet").hint("run `dossier sync` first"))?;
        Ok((remote, id.to_string()))
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

    fn conflicts(&self, base: Oid, local: Oid, remote: Oid) -> Result<Vec<Conflict>> {
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
    fn replay(
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
                            let mode = if e.filemode() == i32::from(FileMode::BlobExecutable) {
                                FileMode::BlobExecutable
                            } else {
                                FileMode::Blob
                            };
                            update.upsert(path.as_str(), e.id(), mode);
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
    fn advance(&self, branch_ref: &str, old: Oid, new: Oid) -> Result<()> {
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

    /// Syncs the current branch with a remote.
    pub fn sync(&self, opts: SyncOptions<'_>) -> Result<SyncResult> {
        let branch = self.current_branch()?;
        let branch_ref = format!("refs/heads/{branch}");
        let remote = self.pick_remote(opts.remote.as_deref(), &branch)?;
        let mut incoming_all: BTreeMap<String, PathChange> = BTreeMap::new();
        for _ in 0..PUSH_ATTEMPTS {
            let local = match self.repo.refname_to_id(&branch_ref) {
                Ok(id) => Some(id),
                Err(e) if e.code() == ErrorCode::NotFound => None,
                Err(e) => return Err(git_err("read the branch", e)),
            };
            let remote_id = self.fetch(&remote, &branch, opts.progress)?;
            let (new_tip, outgoing) = match (local, remote_id) {
                (None, None) => {
                    return Err(
                        Error::new("neither this store nor the remote has any commit yet")
                            .hint("record something first"),
                    )
                }
                (Some(l), None) => (l, self.count_commits(l, None)?),
                (None, Some(r)) => {
                    let incoming = self.changed_paths(None, Some(r))?;
                    for p in incoming.keys() {
                        check_safe_path(p)?;
                    }
                    if !opts.dry_run {
                        let target = self
                            .repo
                            .find_commit(r)
                            .map_err(|e| git_err("read a commit", e))?;
                        self.repo
                            .checkout_tree(target.as_object(), Some(CheckoutBuilder::new().safe()))
                            .map_err(|e| git_err("update the work tree", e))?;
                        self.repo
                            .reference(&branch_ref, r, false, "dossier sync")
                            .map_err(|e| git_err("create the branch", e))?;
                    }
                    incoming_all.extend(incoming);
                    (r, 0)
                }
                (Some(l), Some(r)) => {
                    let base = self
                        .repo
                        .merge_base(l, r)
                        .map_err(|e| git_err("find where the branches parted", e))?;
                    let incoming = self.changed_paths(Some(l), Some(r))?;
                    for p in incoming.keys() {
                        check_safe_path(p)?;
                    }
                    if base == r {
                        (l, self.count_commits(l, Some(r))?)
                    } else if base == l {
                        if !opts.dry_run {
                            self.advance(&branch_ref, l, r)?;
                        }
                        incoming_all.extend(incoming);
                        (r, 0)
                    } else {
                        let saved = self.load_resolutions();
                        let conflicts = self.conflicts(base, l, r)?;
                        let resolved: BTreeMap<String, (Choice, String)> =
                            if saved.remote_tip == r.to_string() {
                                saved
                                    .resolutions
                                    .into_iter()
                                    .filter(|(p, _)| conflicts.iter().any(|c| &c.path == p))
                                    .collect()
                            } else {
                                BTreeMap::new()
                            };
                        let open: Vec<Conflict> = conflicts
                            .iter()
                            .filter(|c| !resolved.contains_key(&c.path))
                            .cloned()
                            .collect();
                        if !open.is_empty() {
                            return Ok(SyncResult::Conflicts {
                                remote,
                                conflicts: open,
                                resolved: resolved.len(),
                            });
                        }
                        let skip: BTreeSet<String> =
                            conflicts.iter().map(|c| c.path.clone()).collect();
                        let outgoing = self.count_commits(l, Some(r))?;
                        if opts.dry_run {
                            incoming_all.extend(incoming);
                            (l, outgoing)
                        } else {
                            let tip = self.replay(base, l, r, &skip, &resolved)?;
                            let changed_in = self.changed_paths(Some(l), Some(tip))?;
                            // Keep the old tip reachable, whatever was chosen.
                            let _ = self.repo.reference(
                                "refs/dossier/before-sync",
                                l,
                                true,
                                "dossier sync: the branch before replaying",
                            );
                            self.advance(&branch_ref, l, tip)?;
                            let outgoing = self.count_commits(tip, Some(r))?;
                            let _ = std::fs::remove_file(self.resolutions_path());
                            incoming_all.extend(
                                changed_in
                                    .into_iter()
                                    .filter(|(p, _)| incoming.contains_key(p)),
                            );
                            (tip, outgoing)
                        }
                    }
                }
            };
            let needs_push = outgoing > 0 || (remote_id.is_none() && local.is_some());
            if !opts.push || opts.dry_run || !needs_push {
                return Ok(SyncResult::Done(Outcome {
                    remote,
                    branch,
                    incoming: incoming_all,
                    outgoing,
                    pushed: false,
                    head: new_tip.to_string(),
                    dry_run: opts.dry_run,
                }));
            }
            if self.push(&remote, &branch, opts.progress)? {
                return Ok(SyncResult::Done(Outcome {
                    remote,
                    branch,
                    incoming: incoming_all,
                    outgoing,
                    pushed: true,
                    head: new_tip.to_string(),
                    dry_run: false,
                }));
            }
            // The remote moved between fetch and push: start over.
        }
        Err(Error::new(format!(
            "the remote `{remote}` kept moving: gave up after {PUSH_ATTEMPTS} attempts"
        ))
        .hint("others are pushing right now; run `dossier sync` again in a moment"))
    }
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
