//! Writing: one commit of exactly the written files (compare-and-swap on the branch),
//! then atomic file writes and index updates, with notes that let the next run finish a
//! write a crash cut short; validation of new records; source documents. The atomic file
//! writes themselves are `crate::fsio`'s.

use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use super::codec::{self, Decoded};
use super::{record, sha256_hex, Store, SOURCES_DIR};
use crate::error::{Error, Result};
use crate::fsio::{owner_gone, write_atomic};
use crate::git::{CommitOutcome, Committed, Expect};
use crate::record::{Initiative, Statement};

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
    if let Some(src) = &mut st.source {
        if let Some(t) = &mut src.title {
            nfc(t);
        }
        for t in src.title_translations.values_mut() {
            nfc(t);
        }
    }
    for t in &mut st.tags {
        nfc(t);
    }
}

impl Store {
    /// Writes files (work-tree-relative path, content) as one commit, then into the work
    /// tree and the index. The commit comes first: if it cannot be made, nothing changed.
    ///
    /// A run killed after the branch moved but before the work tree and the index caught up
    /// is finished by the next write: each write first notes its files under
    /// `.git/dossier/pending/` and removes the note when done; see
    /// `Store::finish_interrupted_writes`.
    pub fn write(&self, files: &[PendingFile], message: &str) -> Result<Committed> {
        match self.write_expecting(files, message, &[])? {
            CommitOutcome::Committed(c) => Ok(c),
            CommitOutcome::Moved { path, .. } => Err(Error::new(format!(
                "{} changed while dossier committed",
                path.display()
            ))),
        }
    }

    /// [`Store::write`], committing only while HEAD still holds what `expect` says (see
    /// `Repo::commit_files_expecting`); when it does not, nothing changed.
    pub fn write_expecting(
        &self,
        files: &[PendingFile],
        message: &str,
        expect: &[Expect],
    ) -> Result<CommitOutcome> {
        self.repo.check_writable()?;
        self.repo.recover_interrupted_sync()?;
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
        let committed = match self.repo.commit_files_expecting(files, message, expect) {
            Ok(CommitOutcome::Committed(c)) => c,
            Ok(moved) => {
                let _ = std::fs::remove_file(&note);
                return Ok(moved);
            }
            Err(e) => {
                let _ = std::fs::remove_file(&note);
                return Err(e);
            }
        };
        // Committed: from here a failure leaves the note, and the next command of any kind
        // finishes the work tree and the index (`finish_interrupted_writes`).
        let after_commit = |e: Error| {
            let full = e.to_string().to_ascii_lowercase();
            let why = if full.contains("no space left") {
                "the disk is full"
            } else if full.contains("read-only file system") {
                "the file system is read-only"
            } else {
                "the file could not be written"
            };
            e.hint(format!(
                "the commit {} is made and nothing is lost, but {why}: once that is fixed, any dossier command (e.g. `dossier status`) writes the file and updates the index",
                &committed.id[..10]
            ))
        };
        for (rel, bytes) in files {
            write_atomic(&self.abs(rel), bytes).map_err(after_commit)?;
        }
        let paths: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
        self.repo.stage(&paths).map_err(after_commit)?;
        let _ = std::fs::remove_file(&note);
        Ok(CommitOutcome::Committed(committed))
    }

    /// Finishes the writes of runs that were killed between moving the branch and updating
    /// the work tree and the index (their notes under `.git/dossier/pending/` outlived
    /// them): each noted file that HEAD still holds as that run committed it is written
    /// and staged, unless the analyst has changed the file since. Notes of live runs are
    /// left alone; the others are removed.
    pub(super) fn finish_interrupted_writes(&self) -> Result<()> {
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
        let body = encode_checked(st, &rel)?;
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
        let body = encode_checked(st, rel)?;
        self.write(&[(rel.to_path_buf(), body)], message)
    }

    /// [`Store::replace_statement`] only while HEAD still holds `expected` (a blob id, or
    /// `None` for no file) at `rel`: an edit that a sync or another edit overtook is never
    /// written over it.
    pub fn replace_statement_expecting(
        &self,
        st: &mut Statement,
        rel: &Path,
        message: &str,
        origin: Option<&Decoded<Statement>>,
        expected: Option<String>,
    ) -> Result<CommitOutcome> {
        nfc_statement(st);
        self.validate_new(st, rel, &[], origin)?;
        let body = encode_checked(st, rel)?;
        let expect = [Expect {
            path: rel.to_path_buf(),
            blob: expected,
        }];
        self.write_expecting(&[(rel.to_path_buf(), body)], message, &expect)
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
        let bytes = crate::fsio::read_regular(file, super::MAX_SOURCE_BYTES).map_err(|e| {
            Error::new(format!("could not take the source document {}", file.display()))
                .cause(e)
                .hint(format!(
                    "give a regular file of at most {} MiB (a copy of the page or document, not a link, pipe or device)",
                    super::MAX_SOURCE_BYTES / (1024 * 1024)
                ))
        })?;
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

/// Encodes a statement and reads the bytes back as any later reader would: a record
/// whose bytes do not decode to the very same statement (a character YAML cannot carry,
/// an emitter bug) is refused before anything is written.
fn encode_checked(st: &Statement, rel: &Path) -> Result<Vec<u8>> {
    let body = codec::encode(st).into_bytes();
    record_size_ok(&body)?;
    let back = codec::decode_statement(&body, rel).map_err(|problems| {
        let why = problems
            .first()
            .map(|p| p.message.clone())
            .unwrap_or_default();
        Error::new("this record could not be read back once written, so it was not written")
            .cause(crate::escape::escape(&why))
            .hint(
                "remove the unusual characters (such as U+FFFE or U+FFFF) from the record's texts",
            )
            .invalid()
    })?;
    if back.record != *st {
        return Err(Error::new(
            "this record would read back differently from what was meant, so it was not written",
        )
        .hint("remove unusual characters from the record's texts; if it persists, report it with the record")
        .invalid());
    }
    Ok(body)
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
