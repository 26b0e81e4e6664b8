//! The store: where records live (layout), how they are found (refs) and read (from the
//! work tree through the cache, or from a git revision). Checking against the store is in
//! `check.rs`, writing (one record, one commit) in `write.rs`.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // owns: the store's files; store/codec/ owns YAML (clippy.toml)

mod annotations;
pub mod cache;
mod check;
pub mod codec;
pub mod drivers;
pub mod merge;
mod provenance;
pub mod retrieval;
mod terms;
mod write;

pub use crate::fsio::{remove_stale_temp_files, write_atomic};
pub use annotations::LoadedAnnotation;
pub use check::{quote_provenance, QuoteFound, StoreChecker};
pub use terms::SegmentView;
pub use write::{nfc_statement, PendingFile, SourceDocument};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind, Location, Result};
use crate::git::{git_path, Committed, Repo};
use crate::record::{self, Initiative, PartialDate, Statement, StoreSettings};
use codec::{Decoded, Problem};

/// The file that marks a store's root.
pub const SETTINGS_FILE: &str = "dossier.yaml";
const INITIATIVE_FILE: &str = "initiative.yaml";
const STATEMENTS_DIR: &str = "statements";
/// Source documents larger than this are refused, by their size, before being read.
pub const MAX_SOURCE_BYTES: u64 = 64 * 1024 * 1024;
/// Where copied source documents go, under the store's root.
pub const SOURCES_DIR: &str = "sources";

/// An open store.
pub struct Store {
    /// The store's folder (absolute).
    root: PathBuf,
    /// The store's folder relative to the work tree's root (empty when they are the same).
    prefix: PathBuf,
    repo: Repo,
    pub settings: StoreSettings,
}

/// A statement and where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub statement: Statement,
    /// Path relative to the work tree's root.
    pub path: PathBuf,
}

/// A parsed reference: `[initiative/]id[@rev]`.
#[derive(Debug, Clone, PartialEq)]
pub struct RefSpec {
    pub initiative: Option<String>,
    pub id: String,
    pub rev: Option<String>,
}

impl RefSpec {
    pub fn parse(s: &str) -> RefSpec {
        let (name, rev) = match s.split_once('@') {
            Some((n, r)) => (n, Some(r.to_string()).filter(|r| !r.is_empty())),
            None => (s, None),
        };
        // A short id as tables show it (`2025-09-24-lebedev…`) is a prefix like any other.
        let name = name.trim_end_matches('…').trim_end_matches(".yaml");
        if name.starts_with('/') || name.split('/').any(|c| c == ".." || c == ".") {
            // A path that climbs out (or starts at the root): kept as it is, so that
            // `Store::find_path` refuses it instead of reading something else.
            return RefSpec {
                initiative: Some("..".to_string()),
                id: name.to_string(),
                rev,
            };
        }
        match name.rsplit_once('/') {
            Some((ini, id)) => RefSpec {
                initiative: Some(
                    ini.rsplit('/')
                        .find(|p| *p != STATEMENTS_DIR)
                        .unwrap_or(ini)
                        .to_string(),
                ),
                id: id.to_string(),
                rev,
            },
            None => RefSpec {
                initiative: None,
                id: name.to_string(),
                rev,
            },
        }
    }
}

/// Where a store is: `--store`, else `$DOSSIER_STORE` (both passed in as `explicit`), else
/// the nearest ancestor of `cwd` holding `dossier.yaml`, else `./tracked` when it holds one.
pub fn locate(explicit: Option<&Path>, cwd: &Path) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        let dir = cwd.join(dir);
        if dir.join(SETTINGS_FILE).is_file() {
            return Ok(dir);
        }
        return Err(Error::new(format!(
            "{} is not a dossier store (no {SETTINGS_FILE})",
            dir.display()
        ))
        .hint(
            "create one with `dossier init DIR`, or point --store at a folder holding dossier.yaml",
        ));
    }
    for dir in cwd.ancestors() {
        if dir.join(SETTINGS_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
    }
    let bundled = cwd.join("tracked");
    if bundled.join(SETTINGS_FILE).is_file() {
        return Ok(bundled);
    }
    Err(Error::new("no dossier store here").kind(ErrorKind::NoStore))
}

fn read_file(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::io("read", path, e))
}

/// The sha256 of some bytes, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    /// Opens the store at `root`: it must hold `dossier.yaml` and sit in a git work tree.
    pub fn open(root: &Path) -> Result<Store> {
        let root = root
            .canonicalize()
            .map_err(|e| Error::io("open the store at", root, e))?;
        let settings_path = root.join(SETTINGS_FILE);
        let settings = codec::decode_settings(&read_file(&settings_path)?, &settings_path)
            .map_err(codec::problems_to_error)?;
        if settings.format > record::FORMAT_VERSION {
            return Err(Error::new(format!(
                "this store uses format {}, newer than this dossier understands ({})",
                settings.format,
                record::FORMAT_VERSION
            ))
            .hint("update dossier"));
        }
        let repo = Repo::discover(&root)?.ok_or_else(|| {
            Error::new(format!(
                "the store {} is not in a git work tree",
                root.display()
            ))
            .hint(format!(
                "run `git init` in {} (or `dossier init` there)",
                root.display()
            ))
        })?;
        let prefix = root
            .strip_prefix(repo.workdir())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let store = Store {
            root,
            prefix,
            repo,
            settings,
        };
        // Work that a killed or failed run left half done (a sync's checkout, a write's
        // file after its commit) is finished by the next command of any kind; best effort:
        // a read-only command on a read-only store goes on regardless.
        if store.repo.has_pending_work() {
            let _ = store.repo.recover_interrupted_sync();
            let _ = store.finish_interrupted_writes();
        }
        Ok(store)
    }

    /// Creates a store in `dir` (running `git init` when it is not in a work tree) and
    /// commits its `dossier.yaml`.
    pub fn init(dir: &Path) -> Result<(Store, Option<Committed>)> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
        let dir = dir.canonicalize().map_err(|e| Error::io("open", dir, e))?;
        if dir.join(SETTINGS_FILE).exists() {
            return Err(
                Error::new(format!("{} is already a dossier store", dir.display()))
                    .hint("use it as it is: `dossier --store DIR log`"),
            );
        }
        let repo = match Repo::discover(&dir)? {
            Some(repo) => repo,
            None => Repo::init(&dir)?,
        };
        repo.check_writable()?;
        let prefix = dir
            .strip_prefix(repo.workdir())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let settings = StoreSettings::default();
        let store = Store {
            root: dir,
            prefix,
            repo,
            settings,
        };
        let rel = store.prefix.join(SETTINGS_FILE);
        let body = codec::encode(&store.settings);
        // Records merge and diff through dossier where a clone sets it up (`setup-git`).
        let mut files = vec![(rel, body.into_bytes())];
        if !store.abs(&store.attributes_path()).exists() {
            files.push((
                store.attributes_path(),
                drivers::attributes_text().into_bytes(),
            ));
        }
        let committed = store.write(&files, "init dossier store")?;
        Ok((store, Some(committed)))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn repo(&self) -> &Repo {
        &self.repo
    }

    /// The store's folder relative to the work tree's root (empty when they are the same).
    pub fn prefix(&self) -> &Path {
        &self.prefix
    }

    /// Work-tree-relative path of a statement.
    pub fn statement_path(&self, initiative: &str, id: &str) -> PathBuf {
        self.prefix
            .join(initiative)
            .join(STATEMENTS_DIR)
            .join(format!("{id}.yaml"))
    }

    /// Work-tree-relative path of an initiative's file.
    pub fn initiative_path(&self, id: &str) -> PathBuf {
        self.prefix.join(id).join(INITIATIVE_FILE)
    }

    /// The `(initiative, id)` of a work-tree-relative statement path, or `None` for any
    /// other file.
    pub fn statement_ref(&self, rel: &Path) -> Option<(String, String)> {
        let inner = rel.strip_prefix(&self.prefix).ok()?;
        let parts: Vec<String> = inner
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        match parts.as_slice() {
            [ini, dir, file] if dir == STATEMENTS_DIR => {
                Some((ini.clone(), file.strip_suffix(".yaml")?.to_string()))
            }
            _ => None,
        }
    }

    /// Whether the initiative `id` has its file in the work tree.
    pub fn has_initiative(&self, id: &str) -> bool {
        self.abs(&self.initiative_path(id)).is_file()
    }

    /// Whether a file stands at the work-tree-relative path `rel`.
    pub fn has_file(&self, rel: &Path) -> bool {
        self.abs(rel).exists()
    }

    /// An absolute path for a work-tree-relative one.
    pub fn abs(&self, rel: &Path) -> PathBuf {
        self.repo.workdir().join(rel)
    }

    /// How a work-tree-relative path is shown to the analyst: relative to the store.
    pub fn display_path(&self, rel: &Path) -> PathBuf {
        rel.strip_prefix(&self.prefix).unwrap_or(rel).to_path_buf()
    }

    /// Every initiative's id, sorted.
    pub fn initiative_ids(&self) -> Result<Vec<String>> {
        let mut ids = Vec::new();
        let entries =
            std::fs::read_dir(&self.root).map_err(|e| Error::io("list", &self.root, e))?;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().join(INITIATIVE_FILE).is_file() {
                ids.push(name);
            }
        }
        ids.sort();
        Ok(ids)
    }

    /// Reads and checks one initiative.
    pub fn initiative(&self, id: &str) -> Result<Initiative> {
        let rel = self.initiative_path(id);
        let abs = self.abs(&rel);
        if !abs.is_file() {
            return Err(self.unknown_initiative(id));
        }
        let decoded = codec::decode_initiative(&read_file(&abs)?, &self.display_path(&rel))
            .map_err(codec::problems_to_error)?;
        Ok(decoded.record)
    }

    pub fn initiatives(&self) -> Result<Vec<Initiative>> {
        self.initiative_ids()?
            .iter()
            .map(|id| self.initiative(id))
            .collect()
    }

    /// The error for an initiative that does not exist, with the closest ones.
    pub fn unknown_initiative(&self, id: &str) -> Error {
        let ids = self.initiative_ids().unwrap_or_default();
        let known: Vec<&str> = ids.iter().map(String::as_str).collect();
        let hint = match codec::did_you_mean(id, &known) {
            Some(close) => format!("did you mean `{close}`?"),
            None if known.is_empty() => String::new(),
            None => format!("the initiatives are: {}", known.join(", ")),
        };
        Error::new(format!("there is no initiative `{id}`"))
            .kind(ErrorKind::UnknownInitiative)
            .about(id)
            .hint(hint)
    }

    /// The statement files of an initiative (work-tree-relative), sorted by name.
    pub fn statement_paths(&self, initiative: &str) -> Result<Vec<PathBuf>> {
        let dir = self.root.join(initiative).join(STATEMENTS_DIR);
        let mut out = Vec::new();
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(out);
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".yaml") && entry.path().is_file() {
                out.push(self.prefix.join(initiative).join(STATEMENTS_DIR).join(name));
            }
        }
        out.sort();
        Ok(out)
    }

    /// Every statement's id in the store (file names only, nothing is read): what a short
    /// id shown in a table must stay unique among.
    pub fn statement_ids(&self) -> Result<Vec<String>> {
        let mut ids = Vec::new();
        for ini in self.initiative_ids()? {
            for path in self.statement_paths(&ini)? {
                if let Some(stem) = path.file_stem() {
                    ids.push(stem.to_string_lossy().into_owned());
                }
            }
        }
        Ok(ids)
    }

    /// Decodes a statement file of the work tree (schema problems only).
    pub fn decode_file(&self, rel: &Path) -> std::result::Result<Decoded<Statement>, Vec<Problem>> {
        let shown = self.display_path(rel);
        match codec::read_capped(&self.abs(rel)) {
            Ok(bytes) => codec::decode_statement(&bytes, &shown),
            Err(e) => Err(vec![Problem {
                location: Location::file(&shown),
                field: String::new(),
                message: format!("could not read the file: {e}"),
                hint: None,
            }]),
        }
    }

    /// Every statement (of one initiative, or all), sorted by date then id. A record that
    /// does not read is left out with a located warning on stderr (`dossier check` lists
    /// them all).
    pub fn statements(&self, initiative: Option<&str>) -> Result<Vec<Loaded>> {
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
        let mut out = Vec::with_capacity(paths.len());
        let mut skipped = 0;
        for (path, loaded) in paths.iter().zip(self.load(&paths)) {
            match loaded {
                Ok(statement) => out.push(Loaded {
                    statement,
                    path: path.clone(),
                }),
                Err(problems) => {
                    // One bad record (a colleague's, say) never hides the others: it is
                    // left out with a located warning, and `check` lists every problem.
                    skipped += 1;
                    if let Some(p) = problems.first() {
                        eprintln!(
                            "warning: skipped {}: `{}`: {}",
                            crate::escape::escape(&p.location.to_string()),
                            crate::escape::escape(&p.field),
                            crate::escape::escape(&p.message)
                        );
                    }
                }
            }
        }
        if skipped > 0 {
            eprintln!(
                "warning: {skipped} record(s) could not be read and were left out; `dossier check` lists every problem"
            );
        }
        sort_by_date(&mut out);
        Ok(out)
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

    /// Finds a statement by reference (`initiative/id` or a unique `id`); with `@REV`, as it
    /// was at that revision.
    pub fn resolve(&self, spec: &str) -> Result<Loaded> {
        let r = RefSpec::parse(spec);
        let path = self.find_path(&r)?;
        match &r.rev {
            None => {
                // Through the cache: a large record is parsed once.
                let statement = self
                    .load(std::slice::from_ref(&path))
                    .pop()
                    .unwrap_or_else(|| Err(Vec::new()))
                    .map_err(|p| {
                        if p.is_empty() {
                            Error::new(format!("could not read {}", path.display()))
                        } else {
                            codec::problems_to_error(p)
                        }
                    })?;
                Ok(Loaded { statement, path })
            }
            Some(rev) => {
                let bytes = self.repo.read_at(rev, &path)?.ok_or_else(|| {
                    Error::new(format!(
                        "`{}` did not exist at revision `{rev}`",
                        self.display_path(&path).display()
                    ))
                    .kind(ErrorKind::UnknownRevision)
                    .about(r.id.clone())
                })?;
                let shown = PathBuf::from(format!("{}@{rev}", self.display_path(&path).display()));
                let decoded =
                    codec::decode_statement(&bytes, &shown).map_err(codec::problems_to_error)?;
                Ok(Loaded {
                    statement: decoded.record,
                    path,
                })
            }
        }
    }

    /// The work-tree-relative path a reference names (the file need not exist today when
    /// a revision is given).
    pub fn find_path(&self, r: &RefSpec) -> Result<PathBuf> {
        // A reference names a record inside the store: no `..`, no absolute path, no
        // separator or control character in a part (`show ../x` is refused, not read).
        let leaves = |part: &str| {
            part.is_empty()
                || part == "."
                || part == ".."
                || part.contains(['/', '\\', '\0'])
                || part.chars().any(char::is_control)
        };
        if leaves(&r.id) || r.initiative.as_deref().is_some_and(leaves) {
            let shown = match &r.initiative {
                Some(i) if i != ".." => format!("{i}/{}", r.id),
                _ => r.id.clone(),
            };
            return Err(Error::new(format!(
                "`{}` is not a statement of this store",
                crate::escape::escape(&shown)
            ))
            .hint("name a statement as INITIATIVE/ID or ID (`dossier log` lists them); paths outside the store are never read"));
        }
        if let Some(ini) = &r.initiative {
            let path = self.statement_path(ini, &r.id);
            if self.abs(&path).is_file()
                || r.rev.is_some() && self.abs(&self.initiative_path(ini)).is_file()
            {
                return Ok(path);
            }
            if !self.abs(&self.initiative_path(ini)).is_file() {
                return Err(self.unknown_initiative(ini));
            }
        }
        let mut found = Vec::new();
        let mut all = Vec::new();
        for ini in self.initiative_ids()? {
            if r.initiative.as_ref().is_some_and(|i| i != &ini) {
                continue;
            }
            for path in self.statement_paths(&ini)? {
                let id = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if id == r.id || (id.starts_with(&r.id) && r.id.len() >= 4) {
                    found.push((format!("{ini}/{id}"), path.clone()));
                }
                all.push(format!("{ini}/{id}"));
            }
        }
        // An exact id wins over prefixes.
        if let Some(exact) = found
            .iter()
            .find(|(name, _)| name.ends_with(&format!("/{}", r.id)))
        {
            if found
                .iter()
                .filter(|(name, _)| name.ends_with(&format!("/{}", r.id)))
                .count()
                == 1
            {
                return Ok(exact.1.clone());
            }
        }
        match found.len() {
            1 => Ok(found.remove(0).1),
            0 => {
                let wanted = match &r.initiative {
                    Some(i) => format!("{i}/{}", r.id),
                    None => r.id.clone(),
                };
                let known: Vec<&str> = all.iter().map(String::as_str).collect();
                let mut ranked: Vec<(f64, &str)> = known
                    .iter()
                    .map(|k| {
                        let tail = k.rsplit('/').next().unwrap_or(k);
                        (
                            strsim::jaro_winkler(&r.id, tail).max(strsim::jaro_winkler(&wanted, k)),
                            *k,
                        )
                    })
                    .filter(|(s, _)| *s >= 0.75)
                    .collect();
                ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
                let hint = if ranked.is_empty() {
                    String::new()
                } else {
                    let names: Vec<&str> = ranked.iter().take(3).map(|(_, k)| *k).collect();
                    format!("did you mean {}?", names.join(" or "))
                };
                Err(Error::new(format!("there is no statement `{wanted}`"))
                    .kind(ErrorKind::UnknownStatement)
                    .about(wanted.clone())
                    .hint(hint))
            }
            _ => {
                let names: Vec<String> = found.iter().map(|(n, _)| n.clone()).collect();
                Err(
                    Error::new(format!("`{}` names {} statements", r.id, names.len()))
                        .hint(format!("say which: {}", names.join(", "))),
                )
            }
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
        let shown = self.display_path(rel);
        match codec::read_capped(&self.workdir.join(rel)) {
            Ok(bytes) => codec::decode_statement(&bytes, &shown),
            Err(e) => Err(vec![Problem {
                location: Location::file(&shown),
                field: String::new(),
                message: format!("could not read the file: {e}"),
                hint: None,
            }]),
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refspecs() {
        assert_eq!(
            RefSpec::parse("cis/2024-x@HEAD~1"),
            RefSpec {
                initiative: Some("cis".into()),
                id: "2024-x".into(),
                rev: Some("HEAD~1".into())
            }
        );
        assert_eq!(RefSpec::parse("2024-x").initiative, None);
        assert_eq!(
            RefSpec::parse("cis/statements/2024-x.yaml")
                .initiative
                .as_deref(),
            Some("cis")
        );
    }
}
