//! Statements in `Store::statements`' order (date, initiative, id), handed out a window at
//! a time, so a command that writes them as it goes (`log --format json`, `export`) holds
//! one window of records, not the store.
//!
//! The order needs every statement's date before the first is written. It comes from a
//! small derived file, `.git/dossier/order-v1.json` (blob id -> date, initiative, id; a
//! blob's key never changes, as the blob is its content), so a warm run reads each record
//! once; a record whose blob it does not hold is read (through the record cache, which
//! the second pass then hits) and the file is written again.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{Loaded, Store};
use crate::error::Result;
use crate::record::PartialDate;

const FILE: &str = "order-v1.json";
/// Statements read (in parallel) and handed out at a time.
const WINDOW: usize = 256;

/// What orders a statement: its date, initiative and id.
type Key = (String, String, String);

impl Store {
    /// Calls `each` with every statement (of one initiative, or all) in the order of
    /// [`Store::statements`], reading a window at a time; returns how many there were. A
    /// record that does not read is left out with a located warning, as there.
    pub fn each_statement(
        &self,
        initiative: Option<&str>,
        mut each: impl FnMut(Loaded) -> Result<()>,
    ) -> Result<usize> {
        let paths = self.statement_files(initiative)?;
        let loader = self.loader(paths.len());
        let file = self.repo.git_dir().join("dossier").join(FILE);
        let known: HashMap<String, Key> = std::fs::read(&file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let keyed = crate::parallel::map(&paths, |rel| {
            let blob = loader.blob_of(rel).ok();
            if let Some(key) = blob.as_ref().and_then(|b| known.get(b)) {
                return Ok((blob, key.clone(), false));
            }
            let (blob, loaded) = loader.load(rel);
            loaded.map(|st| (blob, (st.date, st.initiative, st.id), true))
        });
        let mut order: Vec<(Option<PartialDate>, Key, usize)> = Vec::with_capacity(paths.len());
        let mut now: HashMap<String, Key> = HashMap::with_capacity(paths.len());
        let mut fresh = false;
        let mut skipped = 0;
        for (k, got) in keyed.into_iter().enumerate() {
            match got {
                Ok((blob, key, new)) => {
                    fresh |= new;
                    if let Some(b) = blob {
                        now.insert(b, key.clone());
                    }
                    order.push((PartialDate::parse(&key.0), key, k));
                }
                Err(problems) => {
                    skipped += 1;
                    super::read::warn_skipped(&problems);
                }
            }
        }
        if fresh || now.len() != known.len() {
            if let Ok(bytes) = serde_json::to_vec(&now) {
                let _ = crate::fsio::write_derived(&file, &bytes);
            }
        }
        drop((now, known));
        order.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| a.1 .1.cmp(&b.1 .1))
                .then_with(|| a.1 .2.cmp(&b.1 .2))
        });
        let mut count = 0;
        for window in order.chunks(WINDOW) {
            let rels: Vec<&PathBuf> = window.iter().map(|(.., k)| &paths[*k]).collect();
            let loaded = crate::parallel::map(&rels, |rel| loader.load(rel).1);
            for (rel, got) in rels.into_iter().zip(loaded) {
                match got {
                    Ok(statement) => {
                        count += 1;
                        each(Loaded {
                            statement,
                            path: rel.clone(),
                        })?;
                    }
                    Err(problems) => {
                        // Changed under us since the first pass.
                        skipped += 1;
                        super::read::warn_skipped(&problems);
                    }
                }
            }
        }
        super::read::warn_skipped_count(skipped);
        Ok(count)
    }
}
