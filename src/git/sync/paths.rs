//! What a tree from a remote may hold: paths that stay inside the work tree and out of
//! `.git`.

use crate::error::{Error, Result};

/// Refuses a path that would write outside the work tree or into `.git`.
pub fn check_safe_path(path: &str) -> Result<()> {
    let bad = path.starts_with('/')
        || path.contains('\\')
        || path.contains('\0')
        || path.split('/').any(|c| {
            let lower = c.trim_end_matches(['.', ' ']).to_ascii_lowercase();
            c.is_empty() || c == "." || c == ".." || lower == ".git" || lower.starts_with("git~")
        });
    if bad {
        return Err(Error::new(format!(
            "refused a path from the remote: `{}`",
            crate::escape::escape(path)
        ))
        .hint(
            "it would write outside the store or into .git; ask whoever pushed it to remove it",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        for bad in [
            "../x",
            "a/../b",
            "/etc/passwd",
            ".git/config",
            "a/.GIT/hooks",
            "a\\b",
            "x/.git./y",
            "GIT~1/x",
        ] {
            assert!(check_safe_path(bad).is_err(), "{bad}");
        }
        for good in [
            "tracked/cis/statements/a.yaml",
            "dossier.yaml",
            ".gitignore",
        ] {
            assert!(check_safe_path(good).is_ok(), "{good}");
        }
    }
}
