//! git's merge and diff drivers for records: the attribute that names them
//! (`*.yaml merge=dossier diff=dossier`, in the store's `.gitattributes`) and the clone's
//! own config entries that say what to run (`merge.dossier.driver`,
//! `diff.dossier.textconv`). Attributes travel with the repository; config entries do not,
//! so each clone sets them once (`dossier setup-git`). A clone without them, or without
//! dossier, merges and diffs records as plain text, as if the attributes were not there.

use std::path::Path;

use serde::Serialize;

use super::{git_err, Repo};
use crate::error::Result;

/// The driver's name in attributes and config.
pub const DRIVER: &str = "dossier";

/// The line the store's `.gitattributes` holds.
pub const ATTRIBUTES_LINE: &str = "*.yaml merge=dossier diff=dossier";

/// How the drivers stand in this clone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DriverState {
    /// A record's path has `merge=dossier` and `diff=dossier` (from any attributes file).
    pub attributes: bool,
    /// `merge.dossier.driver`, when set.
    pub merge_driver: Option<String>,
    /// `diff.dossier.textconv`, when set.
    pub textconv: Option<String>,
    /// The program the configured entries run, when it cannot be found.
    pub missing_program: Option<String>,
}

impl DriverState {
    /// Attributes and both config entries, and their program exists.
    pub fn ready(&self) -> bool {
        self.attributes
            && self.merge_driver.is_some()
            && self.textconv.is_some()
            && self.missing_program.is_none()
    }
}

/// `s` quoted for the shell git runs drivers with.
fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The program a shell command line starts with (unquoting a leading `'...'`).
fn program_of(command: &str) -> String {
    let c = command.trim_start();
    if let Some(rest) = c.strip_prefix('\'') {
        let mut out = String::new();
        let mut rest = rest;
        loop {
            match rest.find('\'') {
                Some(i) => {
                    out.push_str(&rest[..i]);
                    rest = &rest[i + 1..];
                    if let Some(r) = rest.strip_prefix("\\''") {
                        out.push('\'');
                        rest = r;
                    } else {
                        return out;
                    }
                }
                None => {
                    out.push_str(rest);
                    return out;
                }
            }
        }
    }
    c.split_whitespace().next().unwrap_or("").to_string()
}

/// Whether a program named as a shell would find it: a path that is a file, or a bare
/// name on `PATH`.
fn program_exists(program: &str) -> bool {
    if program.contains('/') {
        return Path::new(program).is_file();
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

impl Repo {
    /// How the drivers stand for a record at `sample` (work-tree-relative).
    pub fn driver_state(&self, sample: &Path) -> Result<DriverState> {
        let attr = |name: &str| {
            self.repo
                .get_attr(sample, name, git2::AttrCheckFlags::FILE_THEN_INDEX)
                .ok()
                .flatten()
                .map(str::to_string)
        };
        let attributes =
            attr("merge").as_deref() == Some(DRIVER) && attr("diff").as_deref() == Some(DRIVER);
        let config = self
            .repo
            .config()
            .map_err(|e| git_err("read git config", e))?;
        let get = |key: &str| config.get_string(key).ok().filter(|v| !v.trim().is_empty());
        let merge_driver = get("merge.dossier.driver");
        let textconv = get("diff.dossier.textconv");
        let missing_program = [&merge_driver, &textconv]
            .into_iter()
            .flatten()
            .map(|c| program_of(c))
            .find(|p| !program_exists(p));
        Ok(DriverState {
            attributes,
            merge_driver,
            textconv,
            missing_program,
        })
    }

    /// Writes this clone's config entries for the drivers, running `program` (an
    /// absolute path to dossier). Returns the entries as written.
    pub fn configure_drivers(&self, program: &str) -> Result<Vec<(String, String)>> {
        let mut config = self
            .repo
            .config()
            .and_then(|c| c.open_level(git2::ConfigLevel::Local))
            .map_err(|e| git_err("open the repository's git config", e))?;
        let prog = sh_quote(program);
        let entries = vec![
            (
                "merge.dossier.name".to_string(),
                "dossier: statements merged field by field".to_string(),
            ),
            (
                "merge.dossier.driver".to_string(),
                format!("{prog} merge-driver %O %A %B %P --marker-size %L --labels %S %X %Y"),
            ),
            (
                "diff.dossier.textconv".to_string(),
                format!("{prog} textconv"),
            ),
            // Hunk headers name the field a change is in (textconv's output puts each
            // field's name at the start of a line and its content indented).
            (
                "diff.dossier.xfuncname".to_string(),
                "^[a-z].*$".to_string(),
            ),
        ];
        for (k, v) in &entries {
            config
                .set_str(k, v)
                .map_err(|e| git_err(&format!("set {k} in the repository's git config"), e))?;
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_are_quoted_and_found_again() {
        for p in [
            "/usr/bin/dossier",
            "/home/o'neil/bin/dossier",
            "/a b/dossier",
        ] {
            let line = format!("{} merge-driver %O", sh_quote(p));
            assert_eq!(program_of(&line), p);
        }
        assert_eq!(program_of("dossier textconv"), "dossier");
    }
}
