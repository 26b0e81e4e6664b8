//! `dossier sync`: share statements through a git remote; settle conflicts.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use super::{editor, emit};
use crate::cli::SyncArgs;
use crate::context::Context;
use crate::diff::{diff_statements, DiffOptions};
use crate::error::{exit, Error, Result};
use crate::escape::{escape, escape_line};
use crate::git::sync::{Choice, Conflict, PathChange, SyncOptions, SyncResult};
use crate::render::{self, diff::WordingView, progress::TransferBar};
use crate::store::{codec, nfc_statement, RefSpec, Store};

pub fn run(ctx: &Context, args: SyncArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    if let Some(reference) = &args.resolve {
        return resolve(ctx, &store, &args, reference, out);
    }
    if args.undo {
        let u = store.repo().undo_sync()?;
        emit(
            out,
            &format!(
                "undone: the branch is back at {} (it was at {}); the remote is unchanged, so the next `dossier sync` replays again\n",
                &u.to[..10],
                &u.from[..10]
            ),
        )?;
        return Ok(exit::OK);
    }
    let mut bar = TransferBar::new(args.quiet);
    let result = store.repo().sync(SyncOptions {
        remote: args.remote.clone(),
        push: !args.no_push,
        dry_run: args.dry_run,
        store: crate::git::git_path(store.prefix()),
        progress: &mut |p| bar.update(p),
    });
    bar.finish();
    match result? {
        SyncResult::Conflicts {
            remote,
            conflicts,
            resolved,
            stale,
        } => {
            emit(out, &conflict_report(ctx, &store, &conflicts))?;
            if stale > 0 {
                eprintln!(
                    "{stale} earlier decision(s) (`--resolve`) were made before your branch moved (a later commit): they are stale and were not applied; settle again"
                );
            }
            let mut e = Error::new(format!(
                "sync with `{remote}` stopped before changing anything: {} record{} changed on both sides{}",
                conflicts.len(),
                if conflicts.len() == 1 { " was" } else { "s were" },
                if resolved > 0 { format!(" ({resolved} already settled)") } else { String::new() }
            ));
            e.hints.push(
                "settle each with `dossier sync --resolve REF --ours` (keep yours), `--theirs` (keep the remote's) or `--edit`, then run `dossier sync --continue`"
                    .into(),
            );
            Err(e)
        }
        SyncResult::Done(o) => {
            let (new, edited, deleted, by_ini) = classify(&store, &o.incoming);
            let mut line = String::new();
            if o.dry_run {
                line.push_str("dry run: ");
            }
            line.push_str(&format!(
                "in: {new} new, {edited} edited, {deleted} removed statement(s)"
            ));
            if !by_ini.is_empty() {
                let parts: Vec<String> = by_ini.iter().map(|(i, n)| format!("{i}: {n}")).collect();
                line.push_str(&format!(" ({})", parts.join(", ")));
            }
            let verb = if o.pushed {
                "pushed to"
            } else if o.dry_run || args.no_push {
                "to push to"
            } else {
                "pushed to"
            };
            line.push_str(&format!(
                "; out: {} commit(s) {verb} {}",
                if o.pushed || o.dry_run || args.no_push {
                    o.outgoing
                } else {
                    0
                },
                o.remote
            ));
            line.push_str(&format!(
                "; {} at {}\n",
                o.branch,
                &o.head[..o.head.len().min(10)]
            ));
            emit(out, &escape(&line))?;
            // Records that came in are checked like local ones.
            let mut bad = 0;
            for path in o
                .incoming
                .iter()
                .filter(|(_, c)| **c != PathChange::Deleted)
                .map(|(p, _)| p)
            {
                if store.statement_ref(Path::new(path)).is_none() || o.dry_run {
                    continue;
                }
                let problems = match store.decode_file(Path::new(path)) {
                    Ok(d) => store.check_statement(&d, Path::new(path)),
                    Err(p) => p,
                };
                for p in problems {
                    bad += 1;
                    eprintln!(
                        "{}",
                        escape(&format!(
                            "warning: incoming record {}: `{}`: {}",
                            p.location, p.field, p.message
                        ))
                    );
                }
            }
            if bad > 0 {
                eprintln!("{bad} problem(s) in records that came in: fix them with `dossier edit`, or tell their author");
                return Ok(exit::DIFFERENT_OR_INVALID);
            }
            Ok(exit::OK)
        }
    }
}

/// Counts incoming statements: new, edited, removed, and per initiative.
fn classify(
    store: &Store,
    incoming: &BTreeMap<String, PathChange>,
) -> (usize, usize, usize, BTreeMap<String, usize>) {
    let (mut new, mut edited, mut deleted) = (0, 0, 0);
    let mut by_ini = BTreeMap::new();
    for (path, change) in incoming {
        let Some((ini, _)) = store.statement_ref(Path::new(path)) else {
            continue;
        };
        match change {
            PathChange::Added => new += 1,
            PathChange::Modified => edited += 1,
            PathChange::Deleted => deleted += 1,
        }
        *by_ini.entry(ini).or_insert(0) += 1;
    }
    (new, edited, deleted, by_ini)
}

fn when(secs: i64, offset: i32) -> String {
    render::records::format_time(secs, offset)
}

/// Each conflict: who changed it on each side, and a field-level diff of the two versions.
fn conflict_report(ctx: &Context, store: &Store, conflicts: &[Conflict]) -> String {
    let mut text = String::new();
    for c in conflicts {
        let name = store
            .statement_ref(Path::new(&c.path))
            .map(|(i, id)| format!("{i}/{id}"))
            .unwrap_or_else(|| c.path.clone());
        text.push_str(&render::heading(
            &ctx.style,
            &format!("conflict: {}", escape_line(&name)),
        ));
        text.push_str(&format!(
            "  ours:   {} at {} (commit {})\n  theirs: {} at {} (commit {})\n",
            escape_line(&c.ours.author),
            when(c.ours.time, c.ours.offset_minutes),
            &c.ours.commit[..10],
            escape_line(&c.theirs.author),
            when(c.theirs.time, c.theirs.offset_minutes),
            &c.theirs.commit[..10]
        ));
        let decode = |b: &Option<Vec<u8>>| {
            b.as_ref()
                .and_then(|b| codec::decode_statement(b, Path::new(&c.path)).ok())
                .map(|d| d.record)
        };
        match (decode(&c.ours.content), decode(&c.theirs.content)) {
            (Some(ours), Some(theirs)) => {
                let d = diff_statements(&ours, &theirs, &DiffOptions::default());
                let view = WordingView {
                    context: 6,
                    full: false,
                    only: vec![
                        crate::cli::Section::Metadata,
                        crate::cli::Section::Priorities,
                        crate::cli::Section::Principles,
                        crate::cli::Section::Quotes,
                        crate::cli::Section::Wording,
                    ],
                    nearest: false,
                };
                text.push_str("  (from ours to theirs)\n");
                text.push_str(&render::diff::diffs(
                    &ctx.style,
                    crate::cli::Format::Table,
                    &view,
                    &[d],
                ));
            }
            (None, Some(_)) => text.push_str("  deleted on our side, changed on theirs\n"),
            (Some(_), None) => {
                text.push_str("  changed on our side, deleted (or unreadable) on theirs\n")
            }
            (None, None) => text.push_str("  neither version reads as a record\n"),
        }
        text.push('\n');
    }
    text
}

fn resolve(
    ctx: &Context,
    store: &Store,
    args: &SyncArgs,
    reference: &str,
    out: &mut dyn Write,
) -> Result<i32> {
    let _ = ctx;
    let (_, tip) = store.repo().remote_tip(args.remote.as_deref())?;
    let conflicts = store.repo().pending_conflicts(args.remote.as_deref())?;
    let mut spec = RefSpec::parse(reference);
    spec.rev = None;
    let wanted = store
        .find_path(&spec)
        .ok()
        .map(|p| crate::git::git_path(&p));
    let conflict = conflicts
        .iter()
        .find(|c| {
            Some(&c.path) == wanted.as_ref() || c.path.ends_with(&format!("/{}.yaml", spec.id))
        })
        .ok_or_else(|| {
            let names: Vec<&str> = conflicts.iter().map(|c| c.path.as_str()).collect();
            Error::new(format!("`{reference}` is not in conflict")).hint(if names.is_empty() {
                "there are no conflicts: run `dossier sync`".to_string()
            } else {
                format!("the conflicts are: {}", escape_line(&names.join(", ")))
            })
        })?;
    let (choice, content) = if args.ours {
        (Choice::Ours, conflict.ours.content.clone())
    } else if args.theirs {
        (Choice::Theirs, conflict.theirs.content.clone())
    } else if args.edit {
        match edit_both(store, conflict)? {
            Some(bytes) => (Choice::Edited, Some(bytes)),
            None => {
                eprintln!("nothing settled: the editor was closed without a record");
                return Ok(exit::ERROR);
            }
        }
    } else {
        return Err(Error::new(
            "say how to settle it: --ours, --theirs or --edit",
        ));
    };
    store
        .repo()
        .save_resolution(&tip, &conflict.path, choice, content.as_deref())?;
    let left = conflicts.len() - 1;
    emit(
        out,
        &format!(
            "settled {} ({}). {}\n",
            escape_line(&conflict.path),
            match choice {
                Choice::Ours => "ours",
                Choice::Theirs => "theirs",
                Choice::Edited => "edited",
            },
            if left == 0 {
                "Next: dossier sync --continue".to_string()
            } else {
                format!("{left} other conflict(s) may remain; then: dossier sync --continue")
            }
        ),
    )?;
    Ok(exit::OK)
}

const OURS: &str = "<<<<<<< ours";
const SPLIT: &str = "=======";
const THEIRS: &str = ">>>>>>> theirs";

/// Opens the editor on both versions, marked; takes back one valid record.
fn edit_both(store: &Store, c: &Conflict) -> Result<Option<Vec<u8>>> {
    let ours = String::from_utf8_lossy(c.ours.content.as_deref().unwrap_or(b"")).into_owned();
    let theirs = String::from_utf8_lossy(c.theirs.content.as_deref().unwrap_or(b"")).into_owned();
    let initial = format!(
        "# dossier: conflict in {}: make one record of the two versions below,\n# dossier: delete the other and the marker lines, save and quit.\n{OURS} ({})\n{ours}{SPLIT}\n{theirs}{THEIRS} ({})\n",
        c.path, c.ours.author, c.theirs.author
    );
    let draft = editor::draft_path(store.repo().git_dir(), "sync-resolve")?;
    editor::edit_until_valid(&draft, &initial, |bytes, file| {
        let text = String::from_utf8_lossy(bytes);
        if text
            .lines()
            .any(|l| l.starts_with(OURS) || l == SPLIT || l.starts_with(THEIRS))
        {
            return Err(Error::new("the conflict markers are still there")
                .hint("keep one version, delete the markers"));
        }
        let mut st = codec::decode_statement(bytes, file)
            .map_err(codec::problems_to_error)?
            .record;
        nfc_statement(&mut st);
        let decoded = codec::decode_statement(bytes, file).map_err(codec::problems_to_error)?;
        store.validate_new(&st, Path::new(&c.path), &[], Some(&decoded))?;
        Ok(codec::encode(&st).into_bytes())
    })
}
