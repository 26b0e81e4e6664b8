//! What the git index says of the store's files: enough to tell, as git does, whether a
//! file in the work tree is still the blob the index names without reading it.

use git2::{ObjectType, Oid};

use super::{git_err, Repo};
use crate::error::Result;

/// What the git index knows of a file: enough to tell, as git does, whether the file in
/// the work tree is still the blob the index names without reading it.
#[derive(Debug, Clone)]
pub struct IndexStat {
    pub size: u32,
    pub mtime_secs: i32,
    pub mtime_nanos: u32,
    pub ino: u32,
    /// The blob id, hex.
    pub blob: String,
}

/// The blob id git would give these bytes (hex).
pub fn blob_id_of(bytes: &[u8]) -> Option<String> {
    Oid::hash_object(ObjectType::Blob, bytes)
        .ok()
        .map(|o| o.to_string())
}

impl Repo {
    /// The index entries under `prefix` (git paths), and when the index was written (for
    /// git's "racily clean" rule: an entry as new as the index itself is not trusted).
    pub fn index_stats(
        &self,
        prefix: &str,
    ) -> Result<(
        std::collections::HashMap<String, IndexStat>,
        Option<std::time::SystemTime>,
    )> {
        let index = self
            .repo
            .index()
            .map_err(|e| git_err("open the git index", e))?;
        let written = std::fs::metadata(self.repo.path().join("index"))
            .and_then(|m| m.modified())
            .ok();
        let mut out = std::collections::HashMap::new();
        for e in index.iter() {
            let Ok(path) = std::str::from_utf8(&e.path) else {
                continue;
            };
            if !path.starts_with(prefix) || e.flags & 0x3000 != 0 {
                continue;
            }
            out.insert(
                path.to_string(),
                IndexStat {
                    size: e.file_size,
                    mtime_secs: e.mtime.seconds(),
                    mtime_nanos: e.mtime.nanoseconds(),
                    ino: e.ino,
                    blob: e.id.to_string(),
                },
            );
        }
        Ok((out, written))
    }
}
