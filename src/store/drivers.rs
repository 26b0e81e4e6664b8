//! The store's `.gitattributes`, which names dossier's merge and diff drivers for its
//! records (`*.yaml merge=dossier diff=dossier`), and how the drivers stand in this clone.

use std::path::{Path, PathBuf};

use super::Store;
use crate::error::{Error, Result};
use crate::git::drivers::{DriverState, ATTRIBUTES_LINE};
use crate::git::Committed;

/// The attributes file's name, in the store's folder.
pub const ATTRIBUTES_FILE: &str = ".gitattributes";

/// The store's `.gitattributes` as `dossier init` writes it.
pub fn attributes_text() -> String {
    format!(
        "# Records merge field by field and diff as statements where dossier is set up\n# (`dossier setup-git`); elsewhere git treats them as plain text.\n{ATTRIBUTES_LINE}\n"
    )
}

/// Whether an attributes file's text names the drivers for every record.
fn has_line(text: &str) -> bool {
    text.lines().any(|l| {
        let words: Vec<&str> = l.split_whitespace().collect();
        words.first() == Some(&"*.yaml")
            && words.contains(&"merge=dossier")
            && words.contains(&"diff=dossier")
    })
}

impl Store {
    /// Work-tree-relative path of the store's `.gitattributes`.
    pub fn attributes_path(&self) -> PathBuf {
        self.prefix.join(ATTRIBUTES_FILE)
    }

    /// Adds the drivers' line to the store's `.gitattributes` and commits it, unless it
    /// is there already. Returns the commit, if one was made.
    pub fn ensure_attributes(&self) -> Result<Option<Committed>> {
        let rel = self.attributes_path();
        let abs = self.abs(&rel);
        let old = if abs.exists() {
            String::from_utf8(super::read_file(&abs)?).map_err(|_| {
                Error::new(format!("{} is not UTF-8 text", abs.display()))
                    .hint("fix or remove it, then run this again")
            })?
        } else {
            String::new()
        };
        if has_line(&old) {
            return Ok(None);
        }
        let mut text = old;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&attributes_text());
        let committed = self.write(
            &[(rel, text.into_bytes())],
            "setup-git: records merge field by field and diff as statements",
        )?;
        Ok(Some(committed))
    }

    /// How the drivers stand for the store's records in this clone.
    pub fn driver_state(&self) -> Result<DriverState> {
        let sample = self
            .prefix
            .join("initiative")
            .join(super::STATEMENTS_DIR)
            .join("statement.yaml");
        self.repo.driver_state(Path::new(&sample))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_is_found_in_any_order_of_attributes() {
        assert!(has_line(&attributes_text()));
        assert!(has_line("*.yaml diff=dossier merge=dossier\n"));
        assert!(!has_line("# *.yaml merge=dossier diff=dossier\n"));
        assert!(!has_line("*.yaml merge=dossier\n"));
    }
}
