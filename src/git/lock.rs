//! Waiting for git's lock files: a growing, jittered pause, up to [`LOCK_WAIT`], and the
//! error that names a lock that did not go away (dossier never removes one).

use std::path::Path;
use std::time::{Duration, Instant};

use super::LOCK_WAIT;
use crate::error::{Error, Result};

/// A growing, jittered pause between attempts: 1 ms, 2 ms, 4 ms... up to 100 ms.
pub(super) fn backoff(attempt: u32) -> Duration {
    let base = 1u64 << attempt.min(7);
    let jitter = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| {
            u64::from(d.subsec_nanos()) ^ u64::from(std::process::id())
        })
        % (base + 1);
    Duration::from_millis((base + jitter).min(100))
}

/// The error for a lock file that did not go away.
pub(crate) fn lock_error(path: &Path, waited: Duration) -> Error {
    Error::new(format!("a git lock file exists: {}", path.display()))
        .cause(format!(
            "it was still there after {:.1} s (dossier waits up to {} s for a running git \
             process, and not at all for a lock older than that)",
            waited.as_secs_f64(),
            LOCK_WAIT.as_secs()
        ))
        .hint(
            "another git process is running, or one crashed; if none is running, \
             remove that file yourself and try again (dossier never removes it)",
        )
}

/// Waits while `lock` exists, for up to [`LOCK_WAIT`]; a lock still there then, or older
/// than that already, is an error naming it.
pub(crate) fn wait_for_lock(lock: &Path, start: Instant) -> Result<()> {
    let mut attempt = 0;
    while let Ok(meta) = std::fs::symlink_metadata(lock) {
        let age = meta.modified().ok().and_then(|m| m.elapsed().ok());
        if start.elapsed() >= LOCK_WAIT || age.is_some_and(|a| a > LOCK_WAIT) {
            return Err(lock_error(lock, start.elapsed()));
        }
        std::thread::sleep(backoff(attempt));
        attempt += 1;
    }
    Ok(())
}
