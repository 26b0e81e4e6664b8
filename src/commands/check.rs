//! `dossier check`: every problem in the store, located.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::emit;
use crate::cli::CheckArgs;
use crate::context::Context;
use crate::diff::pins::{Pinned, Target, Targets};
use crate::error::{exit, Result};
use crate::record::{self, Statement};
use crate::render;
use crate::store::codec::{self, Decoded, Problem};
use crate::store::{retrieval, Store};

pub fn run(ctx: &Context, args: CheckArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let checked = check_store_full(&store)?;
    let mut warnings = store.retrieval_warnings(&checked.statements, retrieval::today())?;
    warnings.extend(checked.pin_warnings);
    warnings.sort_by(|a, b| a.location.cmp(&b.location));
    emit(
        out,
        &render::records::check_report(
            &ctx.style,
            args.format,
            &checked.problems,
            &warnings,
            checked.records,
        ),
    )?;
    // Warnings never change the exit code: only problems do.
    Ok(if checked.problems.is_empty() {
        exit::OK
    } else {
        exit::DIFFERENT_OR_INVALID
    })
}

/// What checking the store found.
pub struct Checked {
    pub problems: Vec<Problem>,
    /// How many records (initiatives and statements) were checked.
    pub records: usize,
    /// The statements that read and have a retrieval date, with their work-tree-relative
    /// paths; only their names, dates, language and source are kept (not their texts).
    pub statements: Vec<(PathBuf, Statement)>,
    /// Pins that name no item of the store (warnings).
    pub pin_warnings: Vec<Problem>,
}

/// Checks every initiative and statement; returns the problems and the number of records.
pub fn check_store(store: &Store) -> Result<(Vec<Problem>, usize)> {
    let checked = check_store_full(store)?;
    Ok((checked.problems, checked.records))
}

/// Checks every initiative and statement, keeping the statements that read.
pub fn check_store_full(store: &Store) -> Result<Checked> {
    let mut statements = Vec::new();
    let mut problems = Vec::new();
    let mut records = 0;
    let ids = store.initiative_ids()?;
    for id in &ids {
        records += 1;
        let rel = store.initiative_path(id);
        let shown = store.display_path(&rel);
        let bytes = match crate::fsio::read(&store.abs(&rel)) {
            Ok(b) => b,
            Err(e) => {
                problems.push(file_problem(
                    &shown,
                    format!("could not read the file: {e}"),
                ));
                continue;
            }
        };
        match codec::decode_initiative(&bytes, &shown) {
            Err(p) => problems.extend(p),
            Ok(d) => {
                let ini = &d.record;
                let mut found = record::initiative_problems(ini);
                if &ini.id != id {
                    found.push((
                        "id".into(),
                        format!("the record says `{}` but its folder is `{id}`", ini.id),
                    ));
                }
                if let Some(s) = &ini.supersedes {
                    if !ids.contains(s) {
                        found.push(("supersedes".into(), format!("there is no initiative `{s}`")));
                    }
                }
                problems.extend(d.locate(found));
            }
        }
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut paths = Vec::new();
    for id in &ids {
        paths.extend(store.statement_paths(id)?);
    }
    records += paths.len();
    // Parsed (through the cache) and checked in parallel, a window at a time, so only
    // one window of statements is held; problems found by the store's rules are located
    // by reading the file again only when there are some.
    let loader = store.loader(paths.len());
    let checker = store.checker(&loader);
    type Names = Option<(String, String)>;
    // What a statement's pins need: it as a target, and the pins it carries.
    type PinsOf = Option<(Target, Vec<Pinned>)>;
    let one = |rel: &PathBuf| -> (Vec<Problem>, Names, Option<Statement>, PinsOf) {
        let (blob, loaded) = loader.load(rel);
        let st = match loaded {
            Err(p) => return (p, None, None, None),
            Ok(st) => st,
        };
        let pins = Some((Target::of(&st), Pinned::of(&st)));
        let shown = loader.display_path(rel);
        let quick = Decoded::unlocated(st, &shown);
        let found = checker.check(&quick, rel, blob.as_deref());
        let st = &quick.record;
        let names = (st.id.clone(), st.initiative.clone());
        // What the retrieval-date warnings read, without the texts: memory stays flat.
        let light = st
            .source
            .as_ref()
            .is_some_and(|s| s.retrieved.is_some())
            .then(|| Statement {
                id: st.id.clone(),
                initiative: st.initiative.clone(),
                date: st.date.clone(),
                language: st.language.clone(),
                source: st.source.clone(),
                ..Statement::default()
            });
        if found.is_empty() {
            return (found, Some(names), light, pins);
        }
        match loader.decode_file(rel) {
            Ok(d) => (
                checker.check(&d, rel, blob.as_deref()),
                Some(names),
                light,
                pins,
            ),
            Err(p) => (p, None, None, None),
        }
    };
    let mut located: Vec<(PathBuf, String, String)> = Vec::new();
    let mut targets = Targets::default();
    let mut pinned: Vec<(PathBuf, String, Vec<Pinned>)> = Vec::new();
    let mut i = 0;
    crate::parallel::for_each(
        &paths,
        1024,
        one,
        |(found, names, light, pins)| -> Result<()> {
            problems.extend(found);
            if let Some((target, pins)) = pins {
                targets.add(target);
                if let (false, Some((id, initiative))) = (pins.is_empty(), &names) {
                    pinned.push((paths[i].clone(), format!("{initiative}/{id}"), pins));
                }
            }
            if let Some(st) = light {
                statements.push((paths[i].clone(), st));
            }
            if let Some((id, initiative)) = names {
                if let Some(other) = seen.insert(id.clone(), initiative.clone()) {
                    if other != initiative {
                        located.push((paths[i].clone(), id, other));
                    }
                }
            }
            i += 1;
            Ok(())
        },
    )?;
    checker.save();
    let pin_warnings = dangling_pins(store, &targets, &pinned);
    for (rel, id, other) in located {
        if let Ok(d) = store.decode_file(&rel) {
            problems.extend(d.locate(vec![(
                "id".into(),
                format!("the id `{id}` is also used in `{other}`; ids must be unique in the store"),
            )]));
        }
    }
    // Annotations: each file read and checked against the store.
    for rel in store.annotation_paths(None)? {
        records += 1;
        match store.decode_annotation_file(&rel) {
            Ok(d) => problems.extend(store.check_annotation(&d, &rel)),
            Err(p) => problems.extend(p),
        }
    }
    problems.sort_by(|a, b| a.location.cmp(&b.location));
    for p in problems.iter_mut().filter(|p| p.field == codec::UNSETTLED) {
        let more = "or settle the whole record with `dossier sync --resolve REF --ours|--theirs|--edit`, then `git commit`";
        p.hint = Some(match p.hint.take() {
            Some(h) => format!("{h}; {more}"),
            None => more.to_string(),
        });
    }
    Ok(Checked {
        problems,
        records,
        statements,
        pin_warnings,
    })
}

/// Warnings for the pins (`same_as`, `not_same_as`) that name no item of the store: the
/// matcher ignores them, so the pair they meant is no longer held.
fn dangling_pins(
    store: &Store,
    targets: &Targets,
    pinned: &[(PathBuf, String, Vec<Pinned>)],
) -> Vec<Problem> {
    let mut out = Vec::new();
    for (rel, reference, pins) in pinned {
        let found: Vec<(&Pinned, String)> = pins
            .iter()
            .filter_map(|p| targets.dangling(p).map(|why| (p, why)))
            .collect();
        if found.is_empty() {
            continue;
        }
        let decoded = store.decode_file(rel).ok();
        for (p, why) in found {
            let field = p.field();
            out.push(Problem {
                location: decoded.as_ref().map_or_else(
                    || crate::error::Location::file(store.display_path(rel)),
                    |d| d.place(&field),
                ),
                message: format!("{why}: the matcher ignores this pin"),
                hint: Some(format!(
                    "point it at the item it means or remove it with `dossier edit {reference}`, then pin the pair again with `dossier match OLD {reference} --confirm OLD_ITEM NEW_ITEM` (or `--reject`)"
                )),
                field,
            });
        }
    }
    out
}

fn file_problem(file: &Path, message: String) -> Problem {
    Problem {
        location: crate::error::Location::file(file),
        field: String::new(),
        message,
        hint: None,
    }
}
