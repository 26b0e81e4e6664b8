//! Atomic file writes, and telling files that killed runs left from those of live ones: a
//! leaf module (std and tempfile only) that the store, git and the commands all use. It
//! also holds the few plain file operations the commands do on the analyst's own files (a
//! source text to import, an output path), so that outside store/ and git/ nothing else
//! touches the file system (clippy.toml).
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // owns: files, temp files

use std::path::Path;

use crate::error::{Error, Result};

/// Temp files are `.dossier-<pid>-XXXXXX.tmp`, so that a later run can tell the ones a
/// killed run left from those of a live one.
const TEMP_PREFIX: &str = ".dossier-";
const TEMP_SUFFIX: &str = ".tmp";
/// Where the system cannot say whether a process is alive (no `/proc`), a temp file or a
/// pending-write note this old is taken for one a killed run left.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

/// Whether the process `pid` that made a file is gone: by `/proc` where there is one (a
/// pid reused since counts as alive, and this process as alive), else by the file's age.
pub fn owner_gone(pid: Option<u32>, modified: Option<std::time::SystemTime>) -> bool {
    match pid {
        Some(pid) if Path::new("/proc/self").exists() => {
            pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()
        }
        _ => modified
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER),
    }
}

/// Removes the temp files of [`write_atomic`] in `dir` whose process is gone (a killed
/// run's). Best effort: a file that cannot be removed is left.
pub fn remove_stale_temp_files(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(middle) = name
            .to_str()
            .and_then(|n| n.strip_prefix(TEMP_PREFIX))
            .and_then(|n| n.strip_suffix(TEMP_SUFFIX))
        else {
            continue;
        };
        let pid = middle.split_once('-').and_then(|(p, _)| p.parse().ok());
        let modified = entry.metadata().and_then(|m| m.modified()).ok();
        if owner_gone(pid, modified) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Writes a file so that a crash leaves either the old or the new content: a temp file
/// in the same folder, flushed, renamed over the target, and the folder flushed. Temp
/// files that killed runs left in that folder are removed first.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    remove_stale_temp_files(dir);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .suffix(TEMP_SUFFIX)
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file in", dir, e))?;
    tmp.write_all(bytes)
        .map_err(|e| Error::io("write", tmp.path(), e))?;
    // Temporary files are private (0600); the file keeps the mode it had, or gets the
    // usual 0644 of a file git checks out.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode));
    }
    tmp.as_file()
        .sync_all()
        .map_err(|e| Error::io("flush", tmp.path(), e))?;
    tmp.persist(path)
        .map_err(|e| Error::io("replace", path, e.error))?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Writes derived data (a cache entry, an index): to a temporary name in the same folder, then
/// renamed into place, so a reader sees the whole entry or none. Unlike
/// [`write_atomic`] it neither flushes to disk nor scans the folder for
/// temp files: a file lost or cut by a crash is found unsound (it does not parse, or is
/// absent) and rebuilt from what it was derived from, which is the source of truth. The folder is
/// created only when the first write finds it missing.
pub fn write_derived(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SEQ: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".tmp-{}-{}",
        std::process::id(),
        SEQ.fetch_add(1, Ordering::Relaxed)
    ));
    if let Err(e) = std::fs::write(&tmp, bytes) {
        if e.kind() != std::io::ErrorKind::NotFound {
            return Err(e);
        }
        std::fs::create_dir_all(dir)?;
        std::fs::write(&tmp, bytes)?;
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// What a path is, when it is not a regular file: for messages.
fn not_regular(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_block_device() || t.is_char_device() {
            return Some("a device");
        }
    }
    if t.is_symlink() {
        Some("a symbolic link")
    } else if t.is_dir() {
        Some("a folder")
    } else if !t.is_file() {
        Some("not a regular file")
    } else {
        None
    }
}

/// Opens `path` for reading only when it is a regular file: a symbolic link (never
/// followed), a FIFO, a device or a folder is refused at once, without opening it (a FIFO
/// would block). The opened file is checked again, so a swap in between is caught.
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let refuse = |what: &str| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("it is {what}, not a regular file (dossier reads only regular files)"),
        )
    };
    let before = std::fs::symlink_metadata(path)?;
    if let Some(what) = not_regular(&before) {
        return Err(refuse(what));
    }
    let file = std::fs::File::open(path)?;
    let after = file.metadata()?;
    if let Some(what) = not_regular(&after) {
        return Err(refuse(what));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if (before.dev(), before.ino()) != (after.dev(), after.ino()) {
            return Err(refuse("a file that changed while it was opened"));
        }
    }
    Ok(file)
}

/// Reads a regular file (see [`open_regular`]) of at most `cap` bytes; a larger one is
/// refused by its size, before anything is read.
pub fn read_regular(path: &Path, cap: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let file = open_regular(path)?;
    let len = file.metadata()?.len();
    if len > cap {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("it is {len} bytes, over the cap of {cap} bytes"),
        ));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("it grew past the cap of {cap} bytes while it was read"),
        ));
    }
    Ok(bytes)
}

/// The bytes of a file the analyst named (a source text, a record to edit).
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    std::fs::read(path)
}

/// The text of a file the analyst named; an error when it is not UTF-8.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    std::fs::read_to_string(path)
}

/// Whether `path` is a regular file (following symbolic links).
pub fn is_file(path: &Path) -> bool {
    path.is_file()
}

/// Whether `path` is a folder (following symbolic links).
pub fn is_dir(path: &Path) -> bool {
    path.is_dir()
}

/// Whether `path` is a folder that holds something, or something other than a folder
/// (an unreadable folder counts as holding something).
pub fn is_occupied(path: &Path) -> bool {
    path.exists()
        && std::fs::read_dir(path)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
}

/// Whether anything is at `path` (a link counts, whatever it points at).
pub fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Removes what a failed command made at `dir`: the folder itself when the command
/// created it (`created`), else everything in it. Best effort; links are removed, never
/// followed.
pub fn clear_made(dir: &Path, created: bool) {
    if created {
        let _ = std::fs::remove_dir_all(dir);
        return;
    }
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        let _ = match entry.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(&p),
            _ => std::fs::remove_file(&p),
        };
    }
}

/// Why the file system refused a write, when it is a cause the analyst can remove: each
/// gets its own message (see `git::sync`'s errors and the store's writes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageProblem {
    /// No space left, or over a quota.
    Full,
    /// The file system is mounted read-only.
    ReadOnly,
    /// The file system refused this path: permission denied, or an immutable file or
    /// folder (`chattr +i`).
    Refused,
}

impl StorageProblem {
    /// The problem an I/O error is, if any (by its OS error number).
    pub fn of_io(e: &std::io::Error) -> Option<StorageProblem> {
        // ENOSPC, EDQUOT; EROFS; EACCES, EPERM (Linux numbers; elsewhere by kind).
        match e.raw_os_error() {
            Some(28 | 122) => return Some(StorageProblem::Full),
            Some(30) => return Some(StorageProblem::ReadOnly),
            Some(1 | 13) => return Some(StorageProblem::Refused),
            _ => {}
        }
        match e.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                Some(StorageProblem::Full)
            }
            std::io::ErrorKind::ReadOnlyFilesystem => Some(StorageProblem::ReadOnly),
            std::io::ErrorKind::PermissionDenied => Some(StorageProblem::Refused),
            _ => None,
        }
    }

    /// The problem an error's text names, if any: libgit2 reports the OS error as text
    /// (`could not write to 'PATH': No space left on device`).
    pub fn in_text(text: &str) -> Option<StorageProblem> {
        let t = text.to_ascii_lowercase();
        if t.contains("no space left") || t.contains("disk quota") || t.contains("disk full") {
            Some(StorageProblem::Full)
        } else if t.contains("read-only file system") {
            Some(StorageProblem::ReadOnly)
        } else if t.contains("permission denied") || t.contains("operation not permitted") {
            Some(StorageProblem::Refused)
        } else {
            None
        }
    }
}

/// The first path quoted in an error's text (libgit2 quotes it: `'PATH'`), if any.
pub fn quoted_path(text: &str) -> Option<&str> {
    let start = text.find('\'')? + 1;
    let len = text[start..].find('\'')?;
    Some(&text[start..start + len]).filter(|p| p.starts_with('/') || p.contains('/'))
}

/// A temporary folder for unit tests elsewhere in the crate (removed on drop).
#[cfg(test)]
pub type ScratchDir = tempfile::TempDir;

/// A new [`ScratchDir`].
#[cfg(test)]
pub fn scratch_dir() -> ScratchDir {
    tempfile::tempdir().expect("a temporary folder")
}

#[cfg(test)]
mod storage_tests {
    use super::*;

    #[test]
    fn storage_problems_are_told_apart() {
        use StorageProblem::*;
        for (text, want) in [
            (
                "could not write to '/a/b.yaml': No space left on device",
                Some(Full),
            ),
            ("failed to write: Disk quota exceeded", Some(Full)),
            (
                "could not open '/a/b' for writing: Read-only file system",
                Some(ReadOnly),
            ),
            (
                "could not open '/a/b' for writing: Operation not permitted",
                Some(Refused),
            ),
            (
                "failed to make directory '/a': Permission denied",
                Some(Refused),
            ),
            ("early EOF", None),
        ] {
            assert_eq!(StorageProblem::in_text(text), want, "{text}");
        }
        assert_eq!(
            quoted_path("could not write to '/a/b.yaml': No space left"),
            Some("/a/b.yaml")
        );
        assert_eq!(quoted_path("it's fine, isn't it"), None);
        let e = std::io::Error::from_raw_os_error(28);
        assert_eq!(StorageProblem::of_io(&e), Some(Full));
        let e = std::io::Error::from_raw_os_error(30);
        assert_eq!(StorageProblem::of_io(&e), Some(ReadOnly));
    }
}
