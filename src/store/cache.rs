//! A cache of parsed statements, keyed by git blob id, under `.git/dossier/cache/`.
//!
//! It is content-addressed, so an entry can never be stale: a record whose bytes changed
//! has another blob id. The blob id of a work-tree file is taken from the git index only
//! when the file's size, mtime and inode still match the index entry and the entry is
//! older than the index itself (git's own rule for "racily clean" entries); otherwise the
//! file is read and hashed. A missing, truncated or corrupt entry is ignored and written
//! again. Nothing here is ever committed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::git::{blob_id_of, IndexStat};
use crate::record::Statement;

/// Bump when the cached form changes; old entries are then simply not found.
const VERSION: &str = "v2";

pub struct Cache {
    dir: PathBuf,
    index: HashMap<String, IndexStat>,
    index_written: Option<SystemTime>,
}

/// A cache entry: the statement, and the blob id it was parsed from.
#[derive(serde::Deserialize)]
struct Entry {
    blob: String,
    statement: Statement,
}

#[derive(serde::Serialize)]
struct EntryRef<'a> {
    blob: &'a str,
    statement: &'a Statement,
}

/// How a file was identified.
pub enum Identity {
    /// The index vouches for the blob id; the file was not read.
    Known(String),
    /// The file was read (and hashed).
    Read(String, Vec<u8>),
}

impl Cache {
    pub fn new(
        git_dir: &Path,
        index: HashMap<String, IndexStat>,
        index_written: Option<SystemTime>,
    ) -> Cache {
        Cache {
            dir: git_dir.join("dossier").join("cache").join(VERSION),
            index,
            index_written,
        }
    }

    /// The blob id of a work-tree file (`git_path` relative to the work tree's root).
    pub fn identify(&self, abs: &Path, git_path: &str) -> std::io::Result<Identity> {
        if let Some(stat) = self.index.get(git_path) {
            if let Ok(meta) = std::fs::metadata(abs) {
                if stat_matches(stat, &meta, self.index_written) {
                    return Ok(Identity::Known(stat.blob.clone()));
                }
            }
        }
        let bytes = crate::store::codec::read_capped(abs)?;
        let id = blob_id_of(&bytes).unwrap_or_default();
        Ok(Identity::Read(id, bytes))
    }

    /// The blob id of a work-tree file when the git index vouches for it (its stat
    /// matches), without reading the file; `None` otherwise.
    pub fn known_blob(&self, abs: &Path, git_path: &str) -> Option<String> {
        let stat = self.index.get(git_path)?;
        let meta = std::fs::metadata(abs).ok()?;
        stat_matches(stat, &meta, self.index_written).then(|| stat.blob.clone())
    }

    fn entry(&self, blob: &str) -> Option<PathBuf> {
        (blob.len() > 2).then(|| {
            self.dir
                .join(&blob[..2])
                .join(format!("{}.json", &blob[2..]))
        })
    }

    /// The cached statement for a blob, if there is a sound entry.
    /// The entry names the blob it was made from, and is ignored when that is not `blob`
    /// (a file copied or renamed under another name, or written by hand).
    pub fn get(&self, blob: &str) -> Option<Statement> {
        let bytes = std::fs::read(self.entry(blob)?).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        (entry.blob == blob).then_some(entry.statement)
    }

    /// Stores a statement parsed from a blob; failures are ignored (it is only a cache).
    pub fn put(&self, blob: &str, st: &Statement) {
        let entry = EntryRef {
            blob,
            statement: st,
        };
        if let (Some(path), Ok(json)) = (self.entry(blob), serde_json::to_vec(&entry)) {
            let _ = crate::fsio::write_derived(&path, &json);
        }
    }
}

#[cfg(unix)]
fn stat_matches(
    stat: &IndexStat,
    meta: &std::fs::Metadata,
    index_written: Option<SystemTime>,
) -> bool {
    use std::os::unix::fs::MetadataExt;
    let racy = match (meta.modified().ok(), index_written) {
        (Some(m), Some(w)) => m >= w,
        _ => true,
    };
    !racy
        && meta.len() == u64::from(stat.size)
        && meta.mtime() == i64::from(stat.mtime_secs)
        && meta.mtime_nsec() == i64::from(stat.mtime_nanos)
        && (stat.ino == 0 || meta.ino() as u32 == stat.ino)
}

#[cfg(not(unix))]
fn stat_matches(_: &IndexStat, _: &std::fs::Metadata, _: Option<SystemTime>) -> bool {
    false
}
