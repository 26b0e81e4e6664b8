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

/// A place for a draft that survives a crash or a quit: `drafts/<name>-<pid>.yaml`, so
/// that two sessions editing the same record never share one. A draft that an earlier
/// session of `name` left (its process is gone) is taken over (with its `.base` file),
/// so that the editor offers it back.
pub fn draft_path(git_dir: &Path, name: &str) -> Result<PathBuf> {
    let dir = git_dir.join("dossier").join("drafts");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io("create", &dir, e))?;
    let mine = dir.join(format!("{name}-{}.yaml", std::process::id()));
    let mut kept: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file
            .strip_prefix(name)
            .and_then(|r| r.strip_prefix('-'))
            .and_then(|r| r.strip_suffix(".yaml"))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let modified = entry.metadata().and_then(|m| m.modified()).ok();
        if crate::fsio::owner_gone(Some(pid), modified) {
            kept.push((modified.unwrap_or(std::time::UNIX_EPOCH), entry.path()));
        }
    }
    kept.sort();
    if let Some((_, newest)) = kept.pop() {
        if std::fs::rename(&newest, &mine).is_ok() {
            let _ = std::fs::rename(newest.with_extension("base"), mine.with_extension("base"));
        }
    }
    Ok(mine)
}

/// Where the base of a draft is kept: next to it, `.base`, holding the blob id of the
/// record the draft was made from (empty: the record did not exist then).
fn base_file(draft: &Path) -> PathBuf {
    draft.with_extension("base")
}

/// The base a kept draft was made against (`Some(None)`: against no record), or `None`
/// when there is no kept draft with a base.
pub fn draft_base(draft: &Path) -> Option<Option<String>> {
    if !draft.is_file() {
        return None;
    }
    let b = std::fs::read_to_string(base_file(draft)).ok()?;
    Some(Some(b.trim().to_string()).filter(|b| !b.is_empty()))
}

/// Records the base of `draft` (a blob id, or `None` for no record).
pub fn set_draft_base(draft: &Path, base: Option<&str>) -> Result<()> {
    crate::fsio::write_atomic(&base_file(draft), base.unwrap_or("").as_bytes())
}

/// Keeps `text` as the draft, made against `base`.
pub fn keep_draft(draft: &Path, text: &str, base: Option<&str>) -> Result<()> {
    crate::fsio::write_atomic(draft, text.as_bytes())?;
    set_draft_base(draft, base)
}

/// Whether the draft is still there (kept by the editor loop).
pub fn draft_kept(draft: &Path) -> bool {
    draft.is_file()
}

/// Removes a draft and its base: its work was committed, or there was none.
pub fn discard(draft: &Path) {
    let _ = std::fs::remove_file(draft);
    let _ = std::fs::remove_file(base_file(draft));
}

/// The record in a draft: without the `# dossier:` lines an earlier round put on top
/// and at the end.
fn body(text: &str) -> &str {
    let mut rest = text;
    while rest.starts_with(HEADER_MARK) {
        rest = rest.split_once('\n').map_or("", |(_, r)| r);
    }
    loop {
        let trimmed = rest.strip_suffix('\n').unwrap_or(rest);
        match trimmed.rsplit_once('\n') {
            Some((head, last)) if last.starts_with(HEADER_MARK) => rest = &rest[..head.len() + 1],
            None if trimmed.starts_with(HEADER_MARK) => rest = "",
            _ => break,
        }
    }
    rest
}

/// Opens `draft` (holding `initial`) in the editor until `accept` takes its content.
/// Quitting without saving a change, or saving an empty file, gives up.
///
/// Typed work is never lost: a draft left by an earlier run (given up on, or refused) is
/// offered back instead of `initial`; giving up on a draft that differs from `initial`
/// keeps it and says where it is. `accept` sees the record with the one comment line that
/// a draft with problems starts with, so that the line numbers in its errors are those of
/// the draft the analyst is shown next. The draft is removed once `accept` took it.
pub fn edit_until_valid<T>(
    draft: &Path,
    initial: &str,
    mut accept: impl FnMut(&[u8], &Path) -> Result<T>,
) -> Result<Option<T>> {
    let kept = std::fs::read_to_string(draft)
        .ok()
        .filter(|k| !body(k).trim().is_empty() && body(k) != body(initial));
    let start = match kept {
        Some(k) => {
            eprintln!(
                "reopening the draft you left at {} (delete it to start from scratch)",
                draft.display()
            );
            k
        }
        None => initial.to_string(),
    };
    crate::fsio::write_atomic(draft, start.as_bytes())?;
    let mut last = start;
    let mut rounds = 0;
    loop {
        run_editor(draft)?;
        let now = std::fs::read_to_string(draft).map_err(|e| Error::io("read", draft, e))?;
        let content = body(&now);
        if content.trim().is_empty() || now == last {
            if content.trim().is_empty() || content == body(initial) {
                let _ = std::fs::remove_file(draft);
            } else {
                eprintln!(
                    "your draft is kept at {}: the next edit opens it again",
                    draft.display()
                );
            }
            return Ok(None);
        }
        // Validated as it will stand in the next round (the one line on top, then the
        // record), so that the line numbers of its problems are those the analyst sees.
        let as_shown = format!("{}{content}", top_line());
        match accept(as_shown.as_bytes(), draft) {
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
                last = with_header(&e.to_string(), content);
                crate::fsio::write_atomic(draft, last.as_bytes())?;
            }
        }
    }
}

/// The one comment line a draft with problems starts with.
fn top_line() -> String {
    format!("{HEADER_MARK} the record below did not validate: the problems are at the end of this file\n")
}

/// `content` with `problem` as `# dossier:` comment lines: one line on top (always one,
/// so that the line numbers in `problem`, counted in a file with that line, stay true),
/// the problem itself at the end.
pub fn with_header(problem: &str, content: &str) -> String {
    let mut out = top_line();
    out.push_str(content);
    if !content.ends_with('\n') {
        out.push('\n');
    }
    for line in problem.lines() {
        out.push_str(&format!("{HEADER_MARK} {line}\n"));
    }
    out.push_str(&format!(
        "{HEADER_MARK} fix the record above and save; to give up, quit without saving\n"
    ));
    out
}
