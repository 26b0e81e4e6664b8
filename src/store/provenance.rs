//! Which commit a record's current content comes from, for citations that a reader can
//! check against the store: the commit that last changed it, when the file in the work
//! tree is what HEAD holds.

use std::path::PathBuf;

use super::Store;
use crate::error::Result;
use crate::git::git_path;

impl Store {
    /// For each work-tree-relative statement path: the commit that last changed it, or
    /// `None` when the file differs from HEAD's version (uncommitted changes) or was never
    /// committed.
    pub fn committed_as(&self, paths: &[PathBuf]) -> Result<Vec<Option<String>>> {
        let names: Vec<String> = paths.iter().map(|p| git_path(p)).collect();
        let changes = self.repo().path_changes(&names, &self.history_scope())?;
        let mut out = Vec::with_capacity(paths.len());
        for (rel, name) in paths.iter().zip(&names) {
            let Some(last) = changes.get(name) else {
                out.push(None);
                continue;
            };
            let head = self.repo().read_at("HEAD", rel)?;
            let now = std::fs::read(self.abs(rel)).ok();
            out.push((head.is_some() && head == now).then(|| last.last.clone()));
        }
        Ok(out)
    }
}
