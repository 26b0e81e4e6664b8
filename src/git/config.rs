//! Personal settings kept in git config: the `dossier.*` keys with the file each value
//! came from, read the way git reads them (system, global, then the repository's own).

use std::path::Path;

use git2::{Config, ConfigLevel, Repository};
use serde::Serialize;

use super::git_err;
use crate::error::Result;

/// Which git config file a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    System,
    /// `~/.gitconfig` (or `~/.config/git/config`).
    Global,
    /// The repository's `.git/config`.
    Local,
    Worktree,
    Other,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::System => "system",
            Scope::Global => "global",
            Scope::Local => "local",
            Scope::Worktree => "worktree",
            Scope::Other => "other",
        }
    }
}

/// One `dossier.*` value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigEntry {
    /// The key as git normalises it: section and name in lowercase (`dossier.defaultlanguage`).
    pub key: String,
    pub value: String,
    pub scope: Scope,
}

/// The `dossier.*` entries in force for a repository holding `dir` (or, outside any
/// repository, in the user's and the system's files), lowest precedence first: when a key
/// repeats, the last one wins, as in git.
pub fn dossier_entries(dir: Option<&Path>) -> Result<Vec<ConfigEntry>> {
    let config = match dir.and_then(|d| Repository::discover(d).ok()) {
        Some(repo) => repo
            .config()
            .map_err(|e| git_err("read the repository's git config", e))?,
        None => Config::open_default().map_err(|e| git_err("read git config", e))?,
    };
    let mut out = Vec::new();
    let entries = config
        .entries(Some("^dossier\\."))
        .map_err(|e| git_err("read git config", e))?;
    entries
        .for_each(|entry| {
            let (Ok(key), Ok(value)) = (entry.name(), entry.value()) else {
                return;
            };
            out.push(ConfigEntry {
                key: key.to_ascii_lowercase(),
                value: value.to_string(),
                scope: scope(entry.level()),
            });
        })
        .map_err(|e| git_err("read git config", e))?;
    Ok(out)
}

fn scope(level: ConfigLevel) -> Scope {
    match level {
        ConfigLevel::ProgramData | ConfigLevel::System => Scope::System,
        ConfigLevel::XDG | ConfigLevel::Global => Scope::Global,
        ConfigLevel::Local => Scope::Local,
        ConfigLevel::Worktree => Scope::Worktree,
        _ => Scope::Other,
    }
}
