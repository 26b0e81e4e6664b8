//! The store: where records live (layout: ids <-> paths), opening and creating one, and
//! its initiatives. How statements are found is in `refs.rs` (`[initiative/]id[@rev]`),
//! how they are read (work tree, cache, in parallel) in `read.rs`, checking against the
//! store in `check.rs`, writing (one record, one commit) in `write.rs`.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // owns: the store's files; store/codec/ owns YAML (clippy.toml)

mod annotations;
pub mod cache;
mod check;
pub mod codec;
pub mod drivers;
pub mod merge;
mod ordered;
mod provenance;
mod read;
mod refs;
pub mod retrieval;
mod terms;
mod write;

pub use crate::fsio::{remove_stale_temp_files, write_atomic};
pub use annotations::LoadedAnnotation;
pub use check::{quote_provenance, QuoteFound, StoreChecker};
pub use read::{count_by_initiative, sort_by_date, Loader};
pub use refs::RefSpec;
pub use terms::SegmentView;
pub use write::{nfc_statement, PendingFile, SourceDocument};

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorKind, Result};
use crate::git::{Committed, Repo};
use crate::record::{self, Initiative, Statement, StoreSettings};

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

    /// The paths the history index records: initiatives and statements, never the
    /// source documents under `sources/` (one large folder that a walk of every commit
    /// would otherwise read each time a document is added) unless an initiative is named
    /// `sources`, nor annotations.
    pub fn history_scope(&self) -> crate::git::Scope {
        let dir = crate::git::git_path(&self.prefix);
        let under = |rest: &str| match dir.as_str() {
            "" => rest.to_string(),
            d => format!("{d}/{rest}"),
        };
        let patterns = [
            under(&format!("*/{INITIATIVE_FILE}")),
            under(&format!("*/{STATEMENTS_DIR}/*")),
        ];
        let sources_is_an_initiative = self.abs(&self.initiative_path(SOURCES_DIR)).is_file();
        let skip: Vec<String> = if sources_is_an_initiative {
            Vec::new()
        } else {
            vec![under(SOURCES_DIR)]
        };
        crate::git::Scope::of(&patterns, &skip)
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
}
