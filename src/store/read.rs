//! Reading statements: from the work tree, in parallel over the machine's cores and
//! through the parsed-record cache (`Loader`), sorted by date.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{cache, codec, Loaded, Store};
use crate::error::{Location, Result};
use crate::git::git_path;
use crate::record::{PartialDate, Statement};
use codec::{Decoded, Problem};

impl Store {
    /// Decodes a statement file of the work tree (schema problems only).
    pub fn decode_file(&self, rel: &Path) -> std::result::Result<Decoded<Statement>, Vec<Problem>> {
        decode_at(&self.abs(rel), &self.display_path(rel))
    }

    /// Every statement (of one initiative, or all), sorted by date then id. A record that
    /// does not read is left out with a located warning on stderr (`dossier check` lists
    /// them all).
    pub fn statements(&self, initiative: Option<&str>) -> Result<Vec<Loaded>> {
        let paths = self.statement_files(initiative)?;
        let mut out = Vec::with_capacity(paths.len());
        let mut skipped = 0;
        for (path, loaded) in paths.iter().zip(self.load(&paths)) {
            match loaded {
                Ok(statement) => out.push(Loaded {
                    statement,
                    path: path.clone(),
                }),
                Err(problems) => {
                    skipped += 1;
                    warn_skipped(&problems);
                }
            }
        }
        warn_skipped_count(skipped);
        sort_by_date(&mut out);
        Ok(out)
    }

    /// The statement files (work-tree-relative) of one initiative, or of all.
    pub(super) fn statement_files(&self, initiative: Option<&str>) -> Result<Vec<PathBuf>> {
        let ids = match initiative {
            Some(id) => {
                if !self.abs(&self.initiative_path(id)).is_file() {
                    return Err(self.unknown_initiative(id));
                }
                vec![id.to_string()]
            }
            None => self.initiative_ids()?,
        };
        let mut paths = Vec::new();
        for id in &ids {
            paths.extend(self.statement_paths(id)?);
        }
        Ok(paths)
    }

    /// Reads statement files (work-tree-relative), in parallel over the machine's cores and
    /// through the parsed-record cache; one result per path, in order.
    pub fn load(&self, paths: &[PathBuf]) -> Vec<std::result::Result<Statement, Vec<Problem>>> {
        let loader = self.loader(paths.len());
        crate::parallel::map(paths, |rel| loader.load(rel).1)
    }

    /// A reader of statement files through the parsed-record cache, for `count` files: it
    /// holds only plain data, so it can be shared by worker threads (the repository
    /// handle cannot).
    pub fn loader(&self, count: usize) -> Loader {
        // For a handful of files, hashing them is cheaper than reading the whole index.
        let index = if count < 32 {
            Ok((Default::default(), None))
        } else {
            self.repo.index_stats(&git_path(&self.prefix))
        };
        Loader {
            cache: index
                .ok()
                .map(|(index, written)| cache::Cache::new(self.repo.git_dir(), index, written)),
            workdir: self.repo.workdir().to_path_buf(),
            prefix: self.prefix.clone(),
        }
    }
}

/// Reads statement files through the parsed-record cache; see [`Store::loader`].
pub struct Loader {
    cache: Option<cache::Cache>,
    workdir: PathBuf,
    prefix: PathBuf,
}

impl Loader {
    /// The cache this loader reads through, when the git index could be read.
    pub fn cache(&self) -> Option<&cache::Cache> {
        self.cache.as_ref()
    }

    /// The blob id of a statement file: from the git index when its stat vouches for
    /// it, else from its bytes.
    pub fn blob_of(&self, rel: &Path) -> std::result::Result<String, Vec<Problem>> {
        let abs = self.workdir.join(rel);
        let unreadable = |e: std::io::Error| {
            vec![Problem {
                location: Location::file(self.display_path(rel)),
                field: String::new(),
                message: format!("could not read the file: {e}"),
                hint: None,
            }]
        };
        if let Some(cache) = &self.cache {
            if let Some(b) = cache.known_blob(&abs, &git_path(rel)) {
                return Ok(b);
            }
        }
        let bytes = codec::read_capped(&abs).map_err(unreadable)?;
        Ok(crate::git::blob_id_of(&bytes).unwrap_or_default())
    }

    /// How a work-tree-relative path is shown: relative to the store.
    pub fn display_path(&self, rel: &Path) -> PathBuf {
        rel.strip_prefix(&self.prefix).unwrap_or(rel).to_path_buf()
    }

    /// Decodes a statement file afresh, with locations (schema problems only).
    pub fn decode_file(&self, rel: &Path) -> std::result::Result<Decoded<Statement>, Vec<Problem>> {
        decode_at(&self.workdir.join(rel), &self.display_path(rel))
    }

    /// One statement file (work-tree-relative): its blob id (when known) and the
    /// statement, or its problems.
    pub fn load(
        &self,
        rel: &PathBuf,
    ) -> (Option<String>, std::result::Result<Statement, Vec<Problem>>) {
        let abs = self.workdir.join(rel);
        let shown = rel.strip_prefix(&self.prefix).unwrap_or(rel).to_path_buf();
        let unreadable = |e: std::io::Error| {
            vec![Problem {
                location: Location::file(&shown),
                field: String::new(),
                message: format!("could not read the file: {e}"),
                hint: None,
            }]
        };
        let Some(cache) = &self.cache else {
            let parsed = codec::read_capped(&abs)
                .map_err(unreadable)
                .and_then(|bytes| codec::decode_statement(&bytes, &shown).map(|d| d.record));
            return (None, parsed);
        };
        let (blob, bytes) = match cache.identify(&abs, &git_path(rel)) {
            Ok(cache::Identity::Known(blob)) => (blob, None),
            Ok(cache::Identity::Read(blob, bytes)) => (blob, Some(bytes)),
            Err(e) => return (None, Err(unreadable(e))),
        };
        if let Some(st) = cache.get(&blob) {
            return (Some(blob), Ok(st));
        }
        let bytes = match bytes {
            Some(b) => b,
            None => match codec::read_capped(&abs) {
                Ok(b) => b,
                Err(e) => return (Some(blob), Err(unreadable(e))),
            },
        };
        match codec::decode_statement(&bytes, &shown) {
            Ok(d) => {
                cache.put(&blob, &d.record);
                (Some(blob), Ok(d.record))
            }
            Err(p) => (Some(blob), Err(p)),
        }
    }
}

/// One bad record (a colleague's, say) never hides the others: it is left out with a
/// located warning on stderr, and `check` lists every problem.
pub(super) fn warn_skipped(problems: &[Problem]) {
    if let Some(p) = problems.first() {
        eprintln!(
            "warning: skipped {}: `{}`: {}",
            crate::escape::escape(&p.location.to_string()),
            crate::escape::escape(&p.field),
            crate::escape::escape(&p.message)
        );
    }
}

/// The closing line after records were skipped.
pub(super) fn warn_skipped_count(skipped: usize) {
    if skipped > 0 {
        eprintln!(
            "warning: {skipped} record(s) could not be read and were left out; `dossier check` lists every problem"
        );
    }
}

/// Sorts statements by date (earliest possible day first), then initiative and id.
pub fn sort_by_date(list: &mut [Loaded]) {
    list.sort_by(|a, b| {
        let da = PartialDate::parse(&a.statement.date);
        let db = PartialDate::parse(&b.statement.date);
        da.cmp(&db)
            .then_with(|| a.statement.initiative.cmp(&b.statement.initiative))
            .then_with(|| a.statement.id.cmp(&b.statement.id))
    });
}

/// Statements grouped by initiative, for summaries.
pub fn count_by_initiative(list: &[Loaded]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for l in list {
        *counts.entry(l.statement.initiative.clone()).or_insert(0) += 1;
    }
    counts
}

/// Decodes the statement file at `abs`, its problems located at `shown`.
fn decode_at(abs: &Path, shown: &Path) -> std::result::Result<Decoded<Statement>, Vec<Problem>> {
    match codec::read_capped(abs) {
        Ok(bytes) => codec::decode_statement(&bytes, shown),
        Err(e) => Err(vec![Problem {
            location: Location::file(shown),
            field: String::new(),
            message: format!("could not read the file: {e}"),
            hint: None,
        }]),
    }
}
