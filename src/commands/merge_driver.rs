//! `dossier merge-driver %O %A %B %P`: git's merge driver for the store's files. git
//! runs it (from the work tree's root) for each file both sides changed; it writes the
//! result over ours (`%A`) and exits 0, or writes ours with the conflicts marked and exits
//! 1 so that git stops with the file unmerged. What clashed is said on standard error,
//! which git shows during the merge.

use std::io::Write;
use std::path::Path;

use crate::cli::MergeDriverArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::escape::escape_line;
use crate::store::merge::{merge_file, FileMerge, Labels};
use crate::store::{self, Store, MAX_SOURCE_BYTES};

pub fn run(ctx: &Context, args: MergeDriverArgs, _out: &mut dyn Write) -> Result<i32> {
    let read = |p: &Path| {
        crate::fsio::read_regular(&ctx.cwd.join(p), MAX_SOURCE_BYTES)
            .map_err(|e| Error::io("read", p, e))
    };
    let base = read(&args.base)?;
    let ours = read(&args.ours)?;
    let theirs = read(&args.theirs)?;
    // The store the record belongs to, for the check a merged record must pass.
    let rel = args.path.clone();
    let near = ctx.cwd.join(rel.parent().unwrap_or(Path::new("")));
    let store = store::locate(None, &near)
        .ok()
        .and_then(|root| Store::open(&root).ok());
    let labels = {
        // git before 2.44 passes `%S %X %Y` as they are.
        let given = |i: usize, default: &str| {
            args.labels
                .get(i)
                .filter(|l| !l.starts_with('%') && !l.is_empty())
                .cloned()
                .unwrap_or_else(|| default.to_string())
        };
        Labels {
            base: format!("base: {}", given(0, "the common version")),
            ours: format!("ours: {}", given(1, "HEAD")),
            theirs: format!("theirs: {}", given(2, "the other side")),
            marker_size: args.marker_size,
        }
    };
    let shown = escape_line(&crate::git::git_path(&rel));
    match merge_file(store.as_ref(), &rel, Some(&base), &ours, &theirs, &labels) {
        FileMerge::Clean(bytes) => {
            if bytes != ours {
                crate::fsio::write_atomic(&ctx.cwd.join(&args.ours), &bytes)?;
            }
            eprintln!("dossier: merged {shown}");
            Ok(exit::OK)
        }
        FileMerge::Conflicted(c) => {
            crate::fsio::write_atomic(&ctx.cwd.join(&args.ours), &c.marked)?;
            eprintln!("dossier: conflict in {shown}:");
            for f in &c.fields {
                for d in &f.details {
                    eprintln!("  {}: {}", f.field, escape_line(d));
                }
            }
            if let Some(note) = &c.note {
                eprintln!("  {}", escape_line(note));
            }
            let name = store
                .as_ref()
                .and_then(|s| s.statement_ref(&rel))
                .map(|(i, id)| escape_line(&format!("{i}/{id}")))
                .unwrap_or_else(|| shown.clone());
            eprintln!(
                "  keep one version of each marked field and `git add` the file, or settle it with `dossier sync --resolve {name} --ours|--theirs|--edit`"
            );
            Ok(exit::DIFFERENT_OR_INVALID)
        }
    }
}
