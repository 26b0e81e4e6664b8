//! Annotations in the store: where they live
//! (`<initiative>/annotations/<statement-id>/<annotation-id>.yaml`, one file each, so
//! concurrent annotations never conflict), reading them, checking them against the store,
//! and writing a new one as one commit. The blob ids that tell an annotation's standing
//! come from here too.

use std::path::{Path, PathBuf};

use super::codec::{self, Decoded, Problem};
use super::{RefSpec, Store};
use crate::annotation::{annotation_problems, Annotation};
use crate::error::{Error, Location, Result};
use crate::git::{blob_id_of, git_path, Committed};

/// The folder of an initiative's annotations.
const ANNOTATIONS_DIR: &str = "annotations";

/// An annotation and its work-tree-relative path.
#[derive(Debug, Clone)]
pub struct LoadedAnnotation {
    pub annotation: Annotation,
    pub path: PathBuf,
}

impl Store {
    /// Work-tree-relative folder of a statement's annotations.
    pub fn annotation_dir(&self, initiative: &str, statement: &str) -> PathBuf {
        self.prefix
            .join(initiative)
            .join(ANNOTATIONS_DIR)
            .join(statement)
    }

    /// Work-tree-relative path of an annotation.
    pub fn annotation_path(&self, initiative: &str, statement: &str, id: &str) -> PathBuf {
        self.annotation_dir(initiative, statement)
            .join(format!("{id}.yaml"))
    }

    /// Whether an annotation `id` of the statement exists, in the work tree or in HEAD.
    pub fn annotation_exists(&self, initiative: &str, statement: &str, id: &str) -> Result<bool> {
        let rel = self.annotation_path(initiative, statement, id);
        Ok(self.abs(&rel).exists()
            || self.repo().has_commits() && self.repo().read_at("HEAD", &rel)?.is_some())
    }

    /// Whether a work-tree-relative path is where an annotation file goes.
    pub fn is_annotation_path(&self, rel: &Path) -> bool {
        let Ok(inner) = rel.strip_prefix(&self.prefix) else {
            return false;
        };
        let parts: Vec<_> = inner.components().collect();
        parts.len() == 4
            && parts[1].as_os_str() == ANNOTATIONS_DIR
            && parts[3].as_os_str().to_string_lossy().ends_with(".yaml")
    }

    /// The annotation files of one statement (`initiative/id`), sorted by name.
    pub fn annotation_paths_of(&self, reference: &str) -> Vec<PathBuf> {
        let Some((ini, id)) = reference.split_once('/') else {
            return Vec::new();
        };
        let dir = self.annotation_dir(ini, id);
        let mut out: Vec<PathBuf> = yaml_files(&self.abs(&dir))
            .into_iter()
            .map(|name| dir.join(name))
            .collect();
        out.sort();
        out
    }

    /// Every annotation file of the store (of one initiative, or all), sorted.
    pub fn annotation_paths(&self, initiative: Option<&str>) -> Result<Vec<PathBuf>> {
        let ids = match initiative {
            Some(i) => vec![i.to_string()],
            None => self.initiative_ids()?,
        };
        let mut out = Vec::new();
        for ini in ids {
            let top = self.prefix.join(&ini).join(ANNOTATIONS_DIR);
            let Ok(entries) = std::fs::read_dir(self.abs(&top)) else {
                continue;
            };
            let mut folders: Vec<String> = entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            folders.sort();
            for folder in folders {
                let dir = top.join(&folder);
                let mut files: Vec<PathBuf> = yaml_files(&self.abs(&dir))
                    .into_iter()
                    .map(|name| dir.join(name))
                    .collect();
                files.sort();
                out.extend(files);
            }
        }
        Ok(out)
    }

    /// Reads one annotation file (schema problems only).
    pub fn decode_annotation_file(
        &self,
        rel: &Path,
    ) -> std::result::Result<Decoded<Annotation>, Vec<Problem>> {
        let shown = self.display_path(rel);
        match codec::read_capped(&self.abs(rel)) {
            Ok(bytes) => codec::decode_annotation(&bytes, &shown),
            Err(e) => Err(vec![Problem {
                location: Location::file(&shown),
                field: String::new(),
                message: format!("could not read the file: {e}"),
                hint: None,
            }]),
        }
    }

    /// The annotations of one statement that read; the problems of those that do not.
    pub fn annotations_of(&self, reference: &str) -> (Vec<LoadedAnnotation>, Vec<Problem>) {
        self.read_annotations(&self.annotation_paths_of(reference))
    }

    /// Reads annotation files: those that read, and the problems of those that do not.
    pub fn read_annotations(&self, paths: &[PathBuf]) -> (Vec<LoadedAnnotation>, Vec<Problem>) {
        let mut ok = Vec::new();
        let mut bad = Vec::new();
        for rel in paths {
            match self.decode_annotation_file(rel) {
                Ok(d) => ok.push(LoadedAnnotation {
                    annotation: d.record,
                    path: rel.clone(),
                }),
                Err(p) => bad.extend(p),
            }
        }
        (ok, bad)
    }

    /// Checks an annotation against the store: its own rules, that it sits where its ids
    /// say, and that the statements it names exist.
    pub fn check_annotation(&self, d: &Decoded<Annotation>, rel: &Path) -> Vec<Problem> {
        let a = &d.record;
        let mut found = annotation_problems(a);
        if let Some((ini, id)) = a.statement.split_once('/') {
            let expected = self.annotation_path(ini, id, &a.id);
            if rel != expected {
                found.push((
                    "statement".into(),
                    format!(
                        "the annotation says it is `{}` on `{}` but the file is {}; they must agree",
                        a.id,
                        a.statement,
                        self.display_path(rel).display()
                    ),
                ));
            } else if !self.abs(&self.statement_path(ini, id)).is_file() {
                found.push((
                    "statement".into(),
                    format!("there is no statement `{}`", a.statement),
                ));
            }
        }
        if let Some(c) = &a.change {
            let from = RefSpec::parse(&c.from);
            if let Some(ini) = &from.initiative {
                let exists =
                    self.abs(&self.statement_path(ini, &from.id)).is_file() || from.rev.is_some();
                if !exists {
                    found.push((
                        "change.from".into(),
                        format!("there is no statement `{}`", c.from),
                    ));
                }
            }
        }
        d.locate(found)
    }

    /// The git blob id of a statement's file as the reference names it: in the work tree,
    /// or at the revision of `REF@REV`.
    pub fn blob_of(&self, reference: &str) -> Result<String> {
        let spec = RefSpec::parse(reference);
        let path = self.find_path(&spec)?;
        let bytes = match &spec.rev {
            Some(rev) => self.repo().read_at(rev, &path)?.ok_or_else(|| {
                Error::new(format!(
                    "`{}` did not exist at revision `{rev}`",
                    self.display_path(&path).display()
                ))
            })?,
            None => {
                let abs = self.abs(&path);
                std::fs::read(&abs).map_err(|e| Error::io("read", &abs, e))?
            }
        };
        blob_id_of(&bytes).ok_or_else(|| Error::new("could not hash the record"))
    }

    /// Validates a new annotation the way `check` would and commits its file alone.
    pub fn add_annotation(&self, a: &Annotation, message: &str) -> Result<(Committed, PathBuf)> {
        let (ini, id) = a
            .statement
            .split_once('/')
            .ok_or_else(|| Error::new(format!("`{}` is not a statement ref", a.statement)))?;
        let rel = self.annotation_path(ini, id, &a.id);
        let body = codec::encode(a);
        // What is committed is exactly what `check` will read back.
        let decoded = codec::decode_annotation(body.as_bytes(), &self.display_path(&rel))
            .map_err(codec::problems_to_error)?;
        let problems = self.check_annotation(&decoded, &rel);
        if !problems.is_empty() {
            return Err(codec::problems_to_error(problems));
        }
        if self.annotation_exists(ini, id, &a.id)? {
            return Err(Error::new(format!(
                "the annotation {} exists already",
                git_path(&self.display_path(&rel))
            ))
            .hint("try again: a new annotation gets a new id"));
        }
        let committed = self.write(&[(rel.clone(), body.into_bytes())], message)?;
        Ok((committed, rel))
    }
}

/// The `.yaml` files directly in `dir` (none when it does not exist).
fn yaml_files(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") && !n.starts_with('.'))
        .collect()
}
