//! The network side of a sync: one connection setup (credentials, progress, the errors a
//! transfer can end with) shared by fetch, push and clone, and the remotes' list.

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::rc::Rc;

use git2::{ErrorCode, FetchOptions, Oid, PushOptions, RemoteCallbacks};
use serde::Serialize;

use super::failure::{self, Transfer};
use super::Progress;
use crate::error::{Error, Result};
use crate::fsio::StorageProblem;
use crate::git::{git_err, Repo};

/// How many times credentials are asked for before giving up.
const CREDENTIAL_ATTEMPTS: usize = 6;

/// One remote as `git remote -v` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RemoteInfo {
    pub name: String,
    pub fetch_url: String,
    pub push_url: String,
}

/// What one connection needs, whichever way it goes: git config (for credential helpers),
/// the authenticator, and how many times credentials were asked for (for the message).
struct Connection {
    config: git2::Config,
    auth: auth_git2::GitAuthenticator,
    attempts: Cell<usize>,
    /// Whether the remote answered (refs read for a push, objects or messages received):
    /// a failure after that is a connection cut during the transfer.
    reached: Cell<bool>,
    way: Transfer,
    /// The remote's name and URL, for messages.
    name: String,
    url: String,
}

impl Connection {
    fn new(config: git2::Config, name: &str, url: &str, way: Transfer) -> Connection {
        Connection {
            config,
            auth: auth_git2::GitAuthenticator::default(),
            attempts: Cell::new(0),
            reached: Cell::new(false),
            way,
            name: name.to_string(),
            url: url.to_string(),
        }
    }

    /// Credentials (bounded attempts) and progress, for a fetch, a push or a clone.
    fn callbacks<'a>(&'a self, progress: &'a mut dyn FnMut(Progress)) -> RemoteCallbacks<'a> {
        let mut cb = RemoteCallbacks::new();
        let mut creds = self.auth.credentials(&self.config);
        let attempts = &self.attempts;
        cb.credentials(move |url, user, allowed| {
            attempts.set(attempts.get() + 1);
            if attempts.get() > CREDENTIAL_ATTEMPTS {
                return Err(git2::Error::from_str("no credential was accepted"));
            }
            creds(url, user, allowed)
        });
        let reached = &self.reached;
        cb.push_negotiation(move |_| {
            reached.set(true); // the remote's refs are read; the pack goes next
            Ok(())
        });
        cb.sideband_progress(move |_| {
            reached.set(true);
            true
        });
        let progress = Rc::new(RefCell::new(progress));
        let p = progress.clone();
        cb.transfer_progress(move |s| {
            reached.set(true);
            (p.borrow_mut())(Progress::Receiving {
                objects: s.received_objects(),
                total: s.total_objects(),
                bytes: s.received_bytes(),
            });
            true
        });
        cb.push_transfer_progress(move |current, total, bytes| {
            reached.set(true);
            (progress.borrow_mut())(Progress::Sending {
                objects: current,
                total,
                bytes,
            });
        });
        cb
    }

    /// The error for a transfer that failed: host key, a lock, the disk, a stalled
    /// server, a connection cut after the remote answered, credentials, or reachability.
    fn error(&self, e: git2::Error) -> Error {
        let (remote, url, attempts) = (&self.name, &self.url, self.attempts.get());
        let mut err =
            Error::new(format!("could not reach the remote `{remote}` ({url})")).cause(e.message());
        if e.code() == ErrorCode::Certificate || e.message().contains("hostkey") {
            err.hints.push(
                "the server's host key is not known: check its fingerprint with the server's admin, then add it \
                 to ~/.ssh/known_hosts (e.g. `ssh-keyscan -p PORT HOST >> ~/.ssh/known_hosts`, or connect once with `ssh`)"
                    .into(),
            );
            return err;
        }
        let m = e.message().to_ascii_lowercase();
        if e.code() == ErrorCode::Locked || m.contains(".lock") {
            return Error::new("a git lock file stopped the sync")
                .cause(e.message())
                .hint("another git process is running, or one crashed; if none is running, remove the lock file named above yourself and sync again (dossier never removes it)");
        }
        // The local disk (a fetch writes objects and refs). "Permission denied" counts
        // only from the file system: ssh says it too, of credentials.
        let local = matches!(
            e.class(),
            git2::ErrorClass::Os
                | git2::ErrorClass::Filesystem
                | git2::ErrorClass::Odb
                | git2::ErrorClass::Index
                | git2::ErrorClass::Reference
                | git2::ErrorClass::Indexer
        );
        match StorageProblem::in_text(&m) {
            Some(p @ (StorageProblem::Full | StorageProblem::ReadOnly)) => {
                return failure::storage_error_as(
                    Error::new(format!("could not store what came from `{remote}`"))
                        .cause(e.message())
                        .hint("nothing was changed"),
                    p,
                    &format!("store what came from `{remote}`"),
                );
            }
            Some(p @ StorageProblem::Refused) if local => {
                return failure::storage_error_as(
                    Error::new(format!("could not store what came from `{remote}`"))
                        .cause(e.message())
                        .hint("nothing was changed"),
                    p,
                    &format!("store what came from `{remote}`"),
                );
            }
            _ => {}
        }
        if e.code() == ErrorCode::Timeout || m.contains("timed out") || m.contains("timeout") {
            let mut err = Error::new(format!(
                "the remote `{remote}` ({url}) stopped answering: nothing came for the time allowed, so the transfer was given up"
            ))
            .cause(e.message());
            err.hints.push(
                "nothing was changed; try again later, or allow more time with `dossier sync --timeout SECONDS` (or DOSSIER_TIMEOUT)"
                    .into(),
            );
            return err;
        }
        let network = matches!(
            e.class(),
            git2::ErrorClass::Net
                | git2::ErrorClass::Os
                | git2::ErrorClass::Http
                | git2::ErrorClass::Ssl
                | git2::ErrorClass::Ssh
                | git2::ErrorClass::Callback
        );
        if self.reached.get() && network && e.code() != ErrorCode::Auth {
            return failure::cut(remote, url, self.way, e.message());
        }
        if e.code() == ErrorCode::Auth || e.class() == git2::ErrorClass::Ssh || attempts > 0 {
            err = err.cause(format!(
                "credentials tried {attempts} time(s): ssh-agent, the keys in ~/.ssh, git's credential helpers, GIT_ASKPASS"
            ));
            err.hints.push("check that your key or token is accepted by the server (`ssh -T`, or `git ls-remote URL`)".into());
        } else {
            err.hints.push(
                "check the URL (`dossier remote`) and that the server is running and reachable"
                    .into(),
            );
        }
        err
    }
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
        let conn = Connection::new(config, "origin", url, Transfer::Clone);
        let mut fo = FetchOptions::new();
        fo.remote_callbacks(conn.callbacks(progress));
        // No checkout yet: the tree is checked first (links, paths), then checked out.
        let mut no_checkout = git2::build::CheckoutBuilder::new();
        no_checkout.dry_run();
        let repo = git2::build::RepoBuilder::new()
            .fetch_options(fo)
            .with_checkout(no_checkout)
            .clone(url, dir)
            .map_err(|e| conn.error(e))?;
        let repo = Repo::from_repository(repo)?;
        if let Ok(head) = repo.repo.head().and_then(|h| h.peel_to_commit()) {
            repo.check_cloned_tree(head.id())?;
            let mut co = git2::build::CheckoutBuilder::new();
            co.force();
            repo.repo
                .checkout_head(Some(&mut co))
                .map_err(|e| git_err("check out the cloned store", e))?;
        }
        Ok(repo)
    }

    fn connection(&self, remote: &str, url: &str, way: Transfer) -> Result<Connection> {
        let config = self
            .repo
            .config()
            .map_err(|e| git_err("read git config", e))?;
        Ok(Connection::new(config, remote, url, way))
    }

    /// Fetches `branch` from `remote` into `refs/remotes/<remote>/<branch>`; `None` when
    /// the remote has no such branch (a new, empty remote).
    pub(super) fn fetch(
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
        let conn = self.connection(remote, &url, Transfer::Fetch)?;
        // A stale lock on the tracking ref is named as a lock, not as a network failure.
        crate::git::wait_for_lock(
            &self
                .git_dir()
                .join(format!("refs/remotes/{remote}/{branch}.lock")),
            std::time::Instant::now(),
        )?;
        let refspec = format!("+refs/heads/{branch}:refs/remotes/{remote}/{branch}");
        let mut fo = FetchOptions::new();
        fo.remote_callbacks(conn.callbacks(progress));
        r.fetch(&[refspec.as_str()], Some(&mut fo), None)
            .map_err(|e| conn.error(e))?;
        let tracking = format!("refs/remotes/{remote}/{branch}");
        // Does the remote have the branch at all? (A new, empty remote does not.)
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

    /// Pushes `branch`; `Ok(Err(why))` when the remote refused it because it moved (or
    /// could not lock the branch), with the remote's words.
    pub(super) fn push(
        &self,
        remote: &str,
        branch: &str,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<std::result::Result<(), String>> {
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
        let conn = self.connection(remote, &url, Transfer::Push)?;
        let rejected = RefCell::new(None::<String>);
        {
            let mut cb = conn.callbacks(progress);
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
                Err(e) if e.code() == ErrorCode::NotFastForward => {
                    return Ok(Err(e.message().to_string()))
                }
                Err(e) => return Err(conn.error(e)),
            }
        }
        if let Some(msg) = rejected.into_inner() {
            if remote_moved(&msg) {
                return Ok(Err(msg));
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
        Ok(Ok(()))
    }
}
