//! `dossier sync`: share statements through a git remote; settle conflicts.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use super::emit;
use super::resolve::How;
use crate::cli::SyncArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::escape::{escape, escape_line};
use crate::git::sync::{Choice, Conflict, PathChange, SyncOptions, SyncResult};
use crate::render::{self, progress::TransferBar};
use crate::store::merge::Labels;
use crate::store::{RefSpec, Store};

pub fn run(ctx: &Context, args: SyncArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    // A merge that plain git stopped (`git pull`, `git merge`, `git rebase`) comes first.
    let unmerged = store.repo().unmerged()?;
    if let (Some(reference), false) = (&args.resolve, unmerged.is_empty()) {
        return super::resolve::resolve_unmerged(&store, &args, reference, &unmerged, out);
    }
    if !unmerged.is_empty() {
        let names: Vec<String> = unmerged
            .iter()
            .map(|u| {
                store
                    .statement_ref(Path::new(&u.path))
                    .map(|(i, id)| format!("{i}/{id}"))
                    .unwrap_or_else(|| u.path.clone())
            })
            .collect();
        return Err(Error::new(format!(
            "git stopped a {} on {} unmerged file(s): {}",
            unmerged[0].operation,
            unmerged.len(),
            escape_line(&names.join(", "))
        ))
        .hint("settle each with `dossier sync --resolve REF --ours|--theirs|--edit` (or edit it and `git add` it), then finish with git (`git commit`), and sync"));
    }
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
    let merger = super::resolve::record_merger(&store);
    let result = store.repo().sync(SyncOptions {
        merge: &merger,
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
                if o.dry_run {
                    continue;
                }
                let problems = if store.statement_ref(Path::new(path)).is_some() {
                    match store.decode_file(Path::new(path)) {
                        Ok(d) => store.check_statement(&d, Path::new(path)),
                        Err(p) => p,
                    }
                } else if store.is_annotation_path(Path::new(path)) {
                    // Colleagues' annotations are checked like their records.
                    match store.decode_annotation_file(Path::new(path)) {
                        Ok(d) => store.check_annotation(&d, Path::new(path)),
                        Err(p) => p,
                    }
                } else {
                    continue;
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

/// Each conflict: who changed it on each side, then each conflicting field with its
/// base, ours and theirs (and what merged).
fn conflict_report(ctx: &Context, store: &Store, conflicts: &[Conflict]) -> String {
    render::merge::conflicts(
        &ctx.style,
        &super::resolve::conflict_views(store, conflicts),
    )
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
    let how = super::resolve::How::from_args(args)?;
    let labels = Labels {
        base: "base".into(),
        ours: super::resolve::side_label("ours", &conflict.ours),
        theirs: super::resolve::side_label("theirs", &conflict.theirs),
        marker_size: 7,
    };
    // --ours and --theirs keep that side in the conflicting fields only; the rest stays
    // merged. --edit opens the record with only the conflicting fields marked.
    let Some(content) = super::resolve::settle(
        store,
        Path::new(&conflict.path),
        conflict.base.as_deref(),
        conflict.ours.content.as_deref(),
        conflict.theirs.content.as_deref(),
        &labels,
        how,
    )?
    else {
        eprintln!("nothing settled: the editor was closed without a record");
        return Ok(exit::ERROR);
    };
    let choice = match how {
        How::Ours if content == conflict.ours.content => Choice::Ours,
        How::Theirs if content == conflict.theirs.content => Choice::Theirs,
        _ => Choice::Edited,
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
            match how {
                How::Ours => "ours in the conflicting fields",
                How::Theirs => "theirs in the conflicting fields",
                How::Edit => "edited",
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
