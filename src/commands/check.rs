//! `dossier check`: every problem in the store, located.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::emit;
use crate::cli::CheckArgs;
use crate::context::Context;
use crate::error::{exit, Result};
use crate::record::{self, Statement};
use crate::render;
use crate::store::codec::{self, Decoded, Problem};
use crate::store::{retrieval, Store};

pub fn run(ctx: &Context, args: CheckArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let checked = check_store_full(&store)?;
    let warnings = store.retrieval_warnings(&checked.statements, retrieval::today())?;
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
    let one = |rel: &PathBuf| -> (Vec<Problem>, Names, Option<Statement>) {
        let (blob, loaded) = loader.load(rel);
        let st = match loaded {
            Err(p) => return (p, None, None),
            Ok(st) => st,
        };
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
            return (found, Some(names), light);
        }
        match loader.decode_file(rel) {
            Ok(d) => (checker.check(&d, rel, blob.as_deref()), Some(names), light),
            Err(p) => (p, None, None),
        }
    };
    let mut located: Vec<(PathBuf, String, String)> = Vec::new();
    let mut i = 0;
    crate::parallel::for_each(&paths, 1024, one, |(found, names, light)| -> Result<()> {
        problems.extend(found);
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
    })?;
    checker.save();
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
    })
}

fn file_problem(file: &Path, message: String) -> Problem {
    Problem {
        location: crate::error::Location::file(file),
        field: String::new(),
        message,
        hint: None,
    }
}
