//! Editing a record in the analyst's editor: open, validate, and on a problem open again
//! with the problem on top. Nothing is lost: the draft stays under `.git/dossier/drafts`
//! until it is committed.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // owns: the editor process and its drafts (clippy.toml)

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::{Error, Result};

const HEADER_MARK: &str = "# dossier:";
/// How many times the editor opens on a record that does not validate before giving up.
const MAX_ROUNDS: usize = 20;

/// The editor command: `$VISUAL`, then `$EDITOR`.
fn editor() -> Result<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
        .ok_or_else(|| {
            Error::new("no editor is set")
                .hint("set one, e.g. `export EDITOR=nano`, or record with flags or --from FILE")
        })
}

fn run_editor(file: &Path) -> Result<()> {
    let editor = editor()?;
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg("dossier-editor")
        .arg(file)
        .status()
        .map_err(|e| Error::new(format!("could not start the editor `{editor}`")).cause(e))?;
    if !status.success() {
        return Err(
            Error::new(format!("the editor `{editor}` failed ({status})"))
                .hint(format!("your draft is kept at {}", file.display())),
        );
    }
    Ok(())
}

/// A place for a draft that survives a crash or a quit.
pub fn draft_path(git_dir: &Path, name: &str) -> Result<PathBuf> {
    let dir = git_dir.join("dossier").join("drafts");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
    Ok(dir.join(format!("{name}.yaml")))
}

/// Strips the problem header that an earlier round put on top.
fn body(text: &str) -> &str {
    let mut rest = text;
    while rest.starts_with(HEADER_MARK) {
        rest = rest.split_once('\n').map_or("", |(_, r)| r);
    }
    rest
}

/// Opens `draft` (holding `initial`) in the editor until `accept` takes its content.
/// Quitting without saving a change, or saving an empty file, gives up (the draft is kept).
pub fn edit_until_valid<T>(
    draft: &Path,
    initial: &str,
    mut accept: impl FnMut(&[u8], &Path) -> Result<T>,
) -> Result<Option<T>> {
    crate::fsio::write_atomic(draft, initial.as_bytes())?;
    let mut last = initial.to_string();
    let mut rounds = 0;
    loop {
        run_editor(draft)?;
        let now = std::fs::read_to_string(draft).map_err(|e| Error::io("read", draft, e))?;
        let content = body(&now);
        if content.trim().is_empty() || now == last {
            return Ok(None);
        }
        match accept(content.as_bytes(), draft) {
            Ok(v) => {
                let _ = std::fs::remove_file(draft);
                return Ok(Some(v));
            }
            Err(e) => {
                rounds += 1;
                if rounds >= MAX_ROUNDS {
                    return Err(e.hint(format!(
                        "your draft is kept at {}; fix it and record it with --from that file",
                        draft.display()
                    )));
                }
                let mut header = String::new();
                for line in e.to_string().lines() {
                    header.push_str(&format!("{HEADER_MARK} {line}\n"));
                }
                header.push_str(&format!("{HEADER_MARK} fix the record below and save; to give up, quit without saving\n"));
                last = format!("{header}{content}");
                crate::fsio::write_atomic(draft, last.as_bytes())?;
            }
        }
    }
}
