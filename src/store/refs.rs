//! References to statements: `[initiative/]id[@rev]` parsed, and found in the store's
//! layout (by initiative and id, by a unique id, or as it was at a git revision).

use std::path::PathBuf;

use super::{codec, Loaded, Store, STATEMENTS_DIR};
use crate::error::{Error, ErrorKind, Result};

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

impl Store {
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
