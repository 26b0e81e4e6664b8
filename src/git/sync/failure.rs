//! What a failed sync says. Each cause an analyst can remove has a message of its own: a
//! full disk, a read-only file system, a path the file system refused, a connection cut
//! during a transfer, and a push that failed after the branch was replayed (the branch
//! changed; only the push failed). Each says what was left as it was and what to run
//! next, and the next `dossier sync` does it once the cause is gone.

use crate::error::Error;
use crate::fsio::{quoted_path, StorageProblem};

/// Which way a transfer went, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Transfer {
    Fetch,
    Push,
    Clone,
}

/// `e` with a message of its own when its cause is the file system's (full, read-only,
/// a refused path); `doing` says what could not be done ("update the work tree"). The
/// original message, causes and hints follow; anything else comes back unchanged.
pub(crate) fn storage_error(e: Error, doing: &str) -> Error {
    let text = e.to_string();
    let Some(problem) = StorageProblem::in_text(&text) else {
        return e;
    };
    storage_error_as(e, problem, doing)
}

/// [`storage_error`] for a problem already known.
pub(super) fn storage_error_as(e: Error, problem: StorageProblem, doing: &str) -> Error {
    let text = e.to_string();
    let path = quoted_path(&text).map(str::to_string);
    let at = |p: &Option<String>| p.as_ref().map(|p| format!(" ({p})")).unwrap_or_default();
    let (message, hint) = match problem {
        StorageProblem::Full => (
            format!("the disk is full: could not {doing}"),
            format!(
                "free some space on the disk that holds the store{}, then run `dossier sync` again",
                at(&path)
            ),
        ),
        StorageProblem::ReadOnly => (
            format!("the file system is read-only: could not {doing}"),
            "remount it read-write (or sync a clone on a disk you can write to: `dossier clone URL DIR`), then run `dossier sync` again"
                .to_string(),
        ),
        StorageProblem::Refused => (
            match &path {
                Some(p) => format!("the file system refused to write `{p}`: could not {doing}"),
                None => format!("the file system refused a write: could not {doing}"),
            },
            "check that you may write to that file and its folder (`ls -ld`; `lsattr` shows an immutable one), then run `dossier sync` again"
                .to_string(),
        ),
    };
    let mut out = Error::new(message).kind(e.kind);
    if !out.message.ends_with(&e.message) {
        out.causes.push(e.message.clone());
    }
    out.causes.extend(e.causes.iter().cloned());
    out.hints.push(hint);
    out.hints.extend(e.hints.iter().cloned());
    out.exit_code = e.exit_code;
    out
}

/// A transfer that reached the remote and then lost the connection.
pub(super) fn cut(remote: &str, url: &str, way: Transfer, cause: &str) -> Error {
    let (during, then) = match way {
        Transfer::Push => (
            "the push",
            "nothing is lost: your commits are all here; run `dossier sync` again once the connection is back (it fetches first, so it sends only what the remote lacks, even if part of this push arrived)",
        ),
        Transfer::Fetch => (
            "the fetch",
            "nothing was changed; run `dossier sync` again once the connection is back",
        ),
        Transfer::Clone => (
            "the clone",
            "nothing was kept; run `dossier clone` again once the connection is back",
        ),
    };
    Error::new(format!(
        "the connection to `{remote}` ({url}) was cut during {during}"
    ))
    .kind(crate::error::ErrorKind::Git)
    .cause(cause)
    .hint(then)
    .hint("if it keeps happening, check the network and the server (a proxy or a size limit may cut long transfers)")
}

/// A push that failed after this sync replayed the local commits on the remote's: the
/// branch changed (from `before`, kept in `refs/dossier/before-sync`, to `after`); only
/// the push failed, and the next sync only pushes.
pub(super) fn push_failed_after_replay(remote: &str, before: &str, after: &str, e: Error) -> Error {
    let short = |id: &str| id[..id.len().min(10)].to_string();
    let mut err = Error::new(format!(
        "your branch changed, but only the push failed: your commits were replayed on `{remote}`'s (the branch moved from {} to {}), then {}",
        short(before),
        short(after),
        e.message
    ))
    .kind(e.kind);
    err.causes = e.causes;
    err.hints.push(format!(
        "nothing is lost: run `dossier sync` again once the cause is gone, and it will only push (the replay is done){}",
        e.hints.first().map(|h| format!("; {h}")).unwrap_or_default()
    ));
    err.hints.extend(e.hints.into_iter().skip(1));
    err.hints.push(format!(
        "to put your branch back as it was before this sync, run `dossier sync --undo` (the old tip is kept as {})",
        super::BEFORE_SYNC
    ));
    err.exit_code = crate::error::exit::ERROR;
    err
}

/// Every push of one sync was refused as if the remote had moved: either others keep
/// pushing, or (the remote's words say "lock") its branch stays locked, as a push that
/// crashed on the remote's side leaves it. `refused` is what the remote said last.
pub(super) fn push_kept_refused(
    remote: &str,
    branch: &str,
    attempts: usize,
    refused: &str,
) -> Error {
    let err = if refused.contains("lock") {
        Error::new(format!(
            "the remote `{remote}` could not lock its branch `{branch}` on any of {attempts} attempts"
        ))
        .hint("another push to it may be running: run `dossier sync` again in a moment")
        .hint(format!(
            "if it keeps failing, a push that crashed left `refs/heads/{branch}.lock` in the remote repository: whoever looks after the remote removes it once no push is running (dossier never removes it)"
        ))
    } else {
        Error::new(format!(
            "the remote `{remote}` kept moving: gave up after {attempts} attempts"
        ))
        .hint("others are pushing right now; run `dossier sync` again in a moment")
    };
    if refused.is_empty() {
        err
    } else {
        err.cause(format!("the remote said: {refused}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_storage_problem_has_its_own_message() {
        let e = |cause: &str| {
            storage_error(
                Error::new("could not update the work tree").cause(cause),
                "update the work tree",
            )
        };
        let full = e("could not write to '/s/a.yaml': No space left on device");
        assert!(full.message.starts_with("the disk is full"), "{full}");
        assert!(full.to_string().contains("/s/a.yaml"));
        let ro = e("could not open '/s/a.yaml' for writing: Read-only file system");
        assert!(
            ro.message.starts_with("the file system is read-only"),
            "{ro}"
        );
        let refused = e("could not open '/s/a.yaml' for writing: Operation not permitted");
        assert!(
            refused.message.contains("refused to write `/s/a.yaml`"),
            "{refused}"
        );
        let other = e("1 conflict prevents checkout");
        assert_eq!(other.message, "could not update the work tree");
    }

    #[test]
    fn a_push_failed_after_a_replay_says_the_branch_changed_and_what_to_run() {
        let cause = cut("origin", "git://h/x", Transfer::Push, "early EOF");
        let e = push_failed_after_replay("origin", &"a".repeat(40), &"b".repeat(40), cause);
        let text = e.to_string();
        assert!(
            text.contains("your branch changed, but only the push failed"),
            "{text}"
        );
        assert!(text.contains("was cut during the push"), "{text}");
        assert!(text.contains("run `dossier sync` again"), "{text}");
        assert!(text.contains("dossier sync --undo"), "{text}");
    }
}
