//! The store: where records live (layout), how they are found (refs), read (from the work
//! tree or from a git revision), checked, and written (one record, one commit).

pub mod cache;
pub mod codec;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Location, Result};
use crate::git::{git_path, Committed, Repo};
use crate::record::{self, Initiative, PartialDate, Statement, StoreSettings};
use codec::{Decoded, Problem};

/// The file that marks a store's root.
pub const SETTINGS_FILE: &str = "dossier.yaml";
const INITIATIVE_FILE: &str = "initiative.yaml";
const STATEMENTS_DIR: &str = "statements";
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

/// A file to commit: its work-tree-relative path and content.
pub type PendingFile = (PathBuf, Vec<u8>);

/// A source document taken for a statement.
pub struct SourceDocument {
    /// Its path relative to the repository's root, as `source.document` records it.
    pub path: String,
    pub sha256: String,
    /// The copy to commit under `sources/`, when it lay outside the repository.
    pub copy: Option<PendingFile>,
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
        let name = name.trim_end_matches(".yaml");
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
    Err(Error::new("no dossier store here")
        .hint("run inside a store, pass --store DIR (or set DOSSIER_STORE), or create one with `dossier init DIR`"))
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

/// Unicode NFC for every text of a record: what the analyst gave, in one canonical form.
pub fn nfc_statement(st: &mut Statement) {
    let nfc = |s: &mut String| {
        if !unicode_normalization::is_nfc(s) {
            *s = s.nfc().collect();
        }
    };
    for s in [
        &mut st.id,
        &mut st.initiative,
        &mut st.date,
        &mut st.language,
    ] {
        nfc(s);
    }
    for s in [&mut st.venue, &mut st.text, &mut st.summary, &mut st.notes]
        .into_iter()
        .flatten()
    {
        nfc(s);
    }
    if let Some(sp) = &mut st.speaker {
        nfc(&mut sp.name);
        if let Some(r) = &mut sp.role {
            nfc(r);
        }
    }
    st.translations = std::mem::take(&mut st.translations)
        .into_iter()
        .map(|(mut k, mut v)| {
            nfc(&mut k);
            nfc(&mut v);
            (k, v)
        })
        .collect();
    for item in st.priorities.iter_mut().chain(st.principles.iter_mut()) {
        nfc(&mut item.text);
    }
    for q in &mut st.quotes {
        nfc(&mut q.text);
    }
    for t in &mut st.tags {
        nfc(t);
    }
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
        Ok(Store {
            root,
            prefix,
            repo,
            settings,
        })
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
        let committed = store.write(&[(rel, body.into_bytes())], "init dossier store")?;
        Ok((store, Some(committed)))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn repo(&self) -> &Repo {
        &self.repo
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
            Some(close) => format!("did you mean `{close}`? (`dossier initiatives` lists them)"),
            None if known.is_empty() => {
                "create it with `dossier initiative add ID --title TITLE`".into()
            }
            None => format!("the initiatives are: {}", known.join(", ")),
        };
        Error::new(format!("there is no initiative `{id}`")).hint(hint)
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
    /// does not read is an error naming it (`dossier check` lists them all).
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
        for (path, loaded) in paths.iter().zip(self.load(&paths)) {
            let statement = loaded.map_err(|p| {
                codec::problems_to_error(p)
                    .hint("run `dossier check` to see every problem in the store")
            })?;
            out.push(Loaded {
                statement,
                path: path.clone(),
            });
        }
        sort_by_date(&mut out);
        Ok(out)
    }

    /// Reads statement files (work-tree-relative), in parallel over the machine's cores and
    /// through the parsed-record cache; one result per path, in order.
    pub fn load(&self, paths: &[PathBuf]) -> Vec<std::result::Result<Statement, Vec<Problem>>> {
        // For a handful of files, hashing them is cheaper than reading the whole index.
        let index = if paths.len() < 32 {
            Ok((Default::default(), None))
        } else {
            self.repo.index_stats(&git_path(&self.prefix))
        };
        let cache = match index {
            Ok((index, written)) => Some(cache::Cache::new(self.repo.git_dir(), index, written)),
            Err(_) => None,
        };
        // The workers share only plain data (the repository handle is not thread-safe).
        let workdir = self.repo.workdir().to_path_buf();
        let prefix = self.prefix.clone();
        let one = |rel: &PathBuf| -> std::result::Result<Statement, Vec<Problem>> {
            let abs = workdir.join(rel);
            let shown = rel.strip_prefix(&prefix).unwrap_or(rel).to_path_buf();
            let unreadable = |e: std::io::Error| {
                vec![Problem {
                    location: Location::file(&shown),
                    field: String::new(),
                    message: format!("could not read the file: {e}"),
                    hint: None,
                }]
            };
            let Some(cache) = &cache else {
                let bytes = codec::read_capped(&abs).map_err(unreadable)?;
                return codec::decode_statement(&bytes, &shown).map(|d| d.record);
            };
            let (blob, bytes) = match cache.identify(&abs, &git_path(rel)) {
                Ok(cache::Identity::Known(blob)) => (blob, None),
                Ok(cache::Identity::Read(blob, bytes)) => (blob, Some(bytes)),
                Err(e) => return Err(unreadable(e)),
            };
            if let Some(st) = cache.get(&blob) {
                return Ok(st);
            }
            let bytes = match bytes {
                Some(b) => b,
                None => codec::read_capped(&abs).map_err(unreadable)?,
            };
            let st = codec::decode_statement(&bytes, &shown)?.record;
            cache.put(&blob, &st);
            Ok(st)
        };
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        if threads < 2 || paths.len() < 64 {
            return paths.iter().map(one).collect();
        }
        let chunk = paths.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = paths
                .chunks(chunk)
                .map(|part| scope.spawn(|| part.iter().map(one).collect::<Vec<_>>()))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
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
                    .hint(format!("`dossier history {}` lists its revisions", r.id))
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
                if id == r.id
                    || (r.initiative.is_none() && id.starts_with(&r.id) && r.id.len() >= 4)
                {
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
                    "`dossier log` lists the statements".to_string()
                } else {
                    let names: Vec<&str> = ranked.iter().take(3).map(|(_, k)| *k).collect();
                    format!("did you mean {}?", names.join(" or "))
                };
                Err(Error::new(format!("there is no statement `{wanted}`")).hint(hint))
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

    /// Checks a statement against the store: its own rules, and that its initiative
    /// exists, it sits where its ids say, its source document matches its hash and its
    /// quotes stand in its text, a translation or the source document.
    pub fn check_statement(&self, decoded: &Decoded<Statement>, rel: &Path) -> Vec<Problem> {
        self.check_statement_with(decoded, rel, &[])
    }

    /// [`Store::check_statement`], with files about to be committed alongside it.
    fn check_statement_with(
        &self,
        decoded: &Decoded<Statement>,
        rel: &Path,
        pending: &[PendingFile],
    ) -> Vec<Problem> {
        let st = &decoded.record;
        let mut problems = decoded.locate(record::statement_problems(st));
        let expected = self.statement_path(&st.initiative, &st.id);
        if rel != expected {
            let field = if rel.parent() != expected.parent() {
                "initiative"
            } else {
                "id"
            };
            problems.extend(decoded.locate(vec![(
                field.into(),
                format!(
                    "the record says it is `{}` but the file is {}; they must agree",
                    st.reference(),
                    self.display_path(rel).display()
                ),
            )]));
        }
        if !self.abs(&self.initiative_path(&st.initiative)).is_file() {
            problems.extend(decoded.locate(vec![(
                "initiative".into(),
                format!("there is no initiative `{}`", st.initiative),
            )]));
        }
        let document = self
            .pending_document(st, pending)
            .or_else(|| self.source_document(st));
        if let (Some(src), Some(doc)) = (&st.source, &document) {
            match doc {
                Ok(bytes) => {
                    if let Some(sha) = &src.sha256 {
                        let actual = sha256_hex(bytes);
                        if &actual != sha {
                            problems.extend(decoded.locate(vec![(
                                "source.sha256".into(),
                                format!("the source document's sha256 is {actual}, not the one recorded"),
                            )]));
                        }
                    }
                }
                Err(e) => problems
                    .extend(decoded.locate(vec![("source.document".into(), e.message.clone())])),
            }
        }
        let doc_text = document
            .and_then(|d| d.ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        for (i, q) in st.quotes.iter().enumerate() {
            if quote_provenance(st, doc_text.as_deref(), &q.text) == QuoteFound::Nowhere {
                problems.extend(decoded.locate(vec![(
                        format!("quotes[{}]", i + 1),
                        "this quote is not found in the text, a translation or the source document"
                            .into(),
                    )]));
            }
        }
        problems
    }

    fn pending_document(&self, st: &Statement, pending: &[PendingFile]) -> Option<Result<Vec<u8>>> {
        let doc = st.source.as_ref()?.document.as_ref()?;
        pending
            .iter()
            .find(|(p, _)| crate::git::git_path(p) == *doc)
            .map(|(_, b)| Ok(b.clone()))
    }

    /// The bytes of a statement's source document, when it names one.
    pub fn source_document(&self, st: &Statement) -> Option<Result<Vec<u8>>> {
        let doc = st.source.as_ref()?.document.as_ref()?;
        let path = Path::new(doc);
        if path.is_absolute()
            || path
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            return Some(Err(Error::new(format!(
                "`{doc}` must be a path inside the repository, relative to its root"
            ))));
        }
        let abs = self.repo.workdir().join(path);
        Some(
            std::fs::read(&abs)
                .map_err(|e| Error::new(format!("the source document {doc} cannot be read: {e}"))),
        )
    }

    /// Writes files (work-tree-relative path, content) as one commit, then into the work
    /// tree and the index. The commit comes first: if it cannot be made, nothing changed.
    ///
    /// A run killed after the branch moved but before the work tree and the index caught up
    /// is finished by the next write: each write first notes its files under
    /// `.git/dossier/pending/` and removes the note when done; see
    /// [`Store::finish_interrupted_writes`].
    pub fn write(&self, files: &[PendingFile], message: &str) -> Result<Committed> {
        self.repo.check_writable()?;
        self.finish_interrupted_writes()?;
        let note_dir = self.repo.git_dir().join("dossier").join("pending");
        let note = note_dir.join(format!(
            "{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        let body: String = files
            .iter()
            .map(|(rel, bytes)| format!("{} {}\n", sha256_hex(bytes), crate::git::git_path(rel)))
            .collect();
        write_atomic(&note, body.as_bytes())?;
        let committed = match self.repo.commit_files(files, message) {
            Ok(c) => c,
            Err(e) => {
                let _ = std::fs::remove_file(&note);
                return Err(e);
            }
        };
        for (rel, bytes) in files {
            write_atomic(&self.abs(rel), bytes)?;
        }
        let paths: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
        self.repo.stage(&paths)?;
        let _ = std::fs::remove_file(&note);
        Ok(committed)
    }

    /// Finishes the writes of runs that were killed between moving the branch and updating
    /// the work tree and the index (their notes under `.git/dossier/pending/` outlived
    /// them): each noted file that HEAD still holds as that run committed it is written
    /// and staged, unless the analyst has changed the file since. Notes of live runs are
    /// left alone; the others are removed.
    fn finish_interrupted_writes(&self) -> Result<()> {
        let dir = self.repo.git_dir().join("dossier").join("pending");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(());
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let pid = name.split_once('-').and_then(|(p, _)| p.parse().ok());
            let modified = entry.metadata().and_then(|m| m.modified()).ok();
            if !owner_gone(pid, modified) {
                continue;
            }
            let note = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let mut finished = Vec::new();
            for line in note.lines() {
                let Some((sha, path)) = line.split_once(' ') else {
                    continue;
                };
                let rel = PathBuf::from(path);
                let committed = match self.repo.has_commits() {
                    true => self.repo.read_at("HEAD", &rel)?,
                    false => None,
                };
                let Some(committed) = committed.filter(|c| sha256_hex(c) == sha) else {
                    continue;
                };
                let abs = self.abs(&rel);
                let on_disk = std::fs::read(&abs).ok();
                let untouched = match &on_disk {
                    Some(b) if *b == committed => true,
                    Some(b) => self.repo.index_content(&rel)?.as_ref() == Some(b),
                    None => self.repo.index_content(&rel)?.is_none(),
                };
                if untouched {
                    if on_disk.as_ref() != Some(&committed) {
                        write_atomic(&abs, &committed)?;
                    }
                    finished.push(rel);
                }
            }
            if !finished.is_empty() {
                self.repo.stage(&finished)?;
            }
            let _ = std::fs::remove_file(entry.path());
        }
        Ok(())
    }

    /// Validates a new statement against the store and commits it. Never overwrites.
    pub fn add_statement(
        &self,
        st: &mut Statement,
        extra: Vec<PendingFile>,
        origin: Option<&Decoded<Statement>>,
    ) -> Result<(Committed, PathBuf)> {
        nfc_statement(st);
        let rel = self.statement_path(&st.initiative, &st.id);
        self.validate_new(st, &rel, &extra, origin)?;
        if self.abs(&rel).exists()
            || self.repo.has_commits() && self.repo.read_at("HEAD", &rel)?.is_some()
        {
            return Err(
                Error::new(format!("the statement `{}` exists already", st.reference()))
                    .hint(format!(
                        "choose another id with --id, or change it with `dossier edit {}`",
                        st.reference()
                    ))
                    .invalid(),
            );
        }
        let body = codec::encode(st).into_bytes();
        record_size_ok(&body)?;
        let mut files = extra;
        files.push((rel.clone(), body));
        let committed = self.write(&files, &format!("record {}", st.reference()))?;
        Ok((committed, rel))
    }

    /// Checks a statement that is about to be written, the way `check` would.
    /// Problems are located in `origin` (the file the analyst wrote) when there is one,
    /// else attributed to the command line.
    pub fn validate_new(
        &self,
        st: &Statement,
        rel: &Path,
        pending: &[PendingFile],
        origin: Option<&Decoded<Statement>>,
    ) -> Result<()> {
        if let Some(p) = record::id_problem(&st.initiative) {
            return Err(Error::new(format!("bad initiative id: {p}")).invalid());
        }
        if !self.abs(&self.initiative_path(&st.initiative)).is_file() {
            return Err(self.unknown_initiative(&st.initiative));
        }
        let decoded = match origin {
            Some(o) => o.with_record(st.clone()),
            None => Decoded::unlocated(st.clone(), Path::new("command line")),
        };
        let problems = self.check_statement_with(&decoded, rel, pending);
        if !problems.is_empty() {
            return Err(codec::problems_to_error(problems));
        }
        Ok(())
    }

    /// Commits a changed statement over its existing file.
    pub fn replace_statement(
        &self,
        st: &mut Statement,
        rel: &Path,
        message: &str,
        origin: Option<&Decoded<Statement>>,
    ) -> Result<Committed> {
        nfc_statement(st);
        self.validate_new(st, rel, &[], origin)?;
        let body = codec::encode(st).into_bytes();
        record_size_ok(&body)?;
        self.write(&[(rel.to_path_buf(), body)], message)
    }

    /// Creates an initiative.
    pub fn add_initiative(&self, ini: &Initiative) -> Result<Committed> {
        let problems = record::initiative_problems(ini);
        if let Some((field, msg)) = problems.into_iter().next() {
            return Err(Error::new(format!("`{field}`: {msg}")).invalid());
        }
        let rel = self.initiative_path(&ini.id);
        if self.abs(&rel).exists() {
            return Err(
                Error::new(format!("the initiative `{}` exists already", ini.id))
                    .hint("`dossier initiatives` lists them"),
            );
        }
        if let Some(sup) = &ini.supersedes {
            if !self.abs(&self.initiative_path(sup)).is_file() {
                return Err(self
                    .unknown_initiative(sup)
                    .cause("`--supersedes` must name an existing initiative"));
            }
        }
        let body = codec::encode(ini).into_bytes();
        self.write(&[(rel, body)], &format!("add initiative {}", ini.id))
    }

    /// A source document for a statement: its repository path and sha256, and, when it
    /// lies outside the repository, the copy to commit under `sources/`.
    pub fn take_source_document(&self, file: &Path) -> Result<SourceDocument> {
        let bytes = read_file(file)?;
        let sha = sha256_hex(&bytes);
        let abs = file
            .canonicalize()
            .map_err(|e| Error::io("open", file, e))?;
        if let Ok(inside) = abs.strip_prefix(self.repo.workdir()) {
            if !inside.starts_with(".git") {
                let rel = crate::git::git_path(inside);
                return Ok(SourceDocument {
                    path: rel,
                    sha256: sha,
                    copy: None,
                });
            }
        }
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| Error::new(format!("{} has no file name", file.display())))?;
        let rel = self.prefix.join(SOURCES_DIR).join(&name);
        if let Ok(existing) = std::fs::read(self.abs(&rel)) {
            if existing != bytes {
                return Err(Error::new(format!(
                    "{} exists already with other content",
                    self.display_path(&rel).display()
                ))
                .hint("rename the source file before recording it"));
            }
        }
        let rel_str = crate::git::git_path(&rel);
        Ok(SourceDocument {
            path: rel_str,
            sha256: sha,
            copy: Some((rel, bytes)),
        })
    }
}

/// Refuses to write a record that could not be read back (over the decoder's cap).
fn record_size_ok(body: &[u8]) -> Result<()> {
    if body.len() > codec::MAX_RECORD_BYTES {
        return Err(Error::new(format!(
            "the record would be {} bytes; records are capped at {} bytes ({} MiB)",
            body.len(),
            codec::MAX_RECORD_BYTES,
            codec::MAX_RECORD_BYTES / (1024 * 1024)
        ))
        .hint("keep long source texts with --source-document and record the passages that matter")
        .invalid());
    }
    Ok(())
}

/// Where a quote was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteFound {
    Text,
    Translation,
    SourceDocument,
    Nowhere,
}

/// Looks for a quote in the statement's text, its translations, then the source document,
/// after whitespace and Unicode normalisation.
pub fn quote_provenance(st: &Statement, document: Option<&str>, quote: &str) -> QuoteFound {
    let q = loose(quote);
    if q.is_empty() {
        return QuoteFound::Nowhere;
    }
    if st.text.as_deref().is_some_and(|t| loose(t).contains(&q)) {
        return QuoteFound::Text;
    }
    if st.translations.values().any(|t| loose(t).contains(&q)) {
        return QuoteFound::Translation;
    }
    if document.is_some_and(|d| loose(d).contains(&q)) {
        return QuoteFound::SourceDocument;
    }
    QuoteFound::Nowhere
}

/// NFC with every run of white space (no-break spaces included) as one space.
fn loose(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfc() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
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

/// Temp files are `.dossier-<pid>-XXXXXX.tmp`, so that a later run can tell the ones a
/// killed run left from those of a live one.
const TEMP_PREFIX: &str = ".dossier-";
const TEMP_SUFFIX: &str = ".tmp";
/// Where the system cannot say whether a process is alive (no `/proc`), a temp file or a
/// pending-write note this old is taken for one a killed run left.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(600);

/// Whether the process `pid` that made a file is gone: by `/proc` where there is one (a
/// pid reused since counts as alive, and this process as alive), else by the file's age.
fn owner_gone(pid: Option<u32>, modified: Option<std::time::SystemTime>) -> bool {
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

    #[test]
    fn loose_matching() {
        assert_eq!(loose(" a\u{a0}\n b "), "a b");
    }
}
