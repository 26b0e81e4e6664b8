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
    /// The statements that read, with their work-tree-relative paths.
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
    // Parse everything in parallel (and through the cache); locate problems found by the
    // store's rules by reading the file again only when there are some.
    for (rel, loaded) in paths.iter().zip(store.load(&paths)) {
        let st = match loaded {
            Err(p) => {
                problems.extend(p);
                continue;
            }
            Ok(st) => st,
        };
        let shown = store.display_path(rel);
        let quick = Decoded::unlocated(st, &shown);
        let mut found = store.check_statement(&quick, rel);
        let d = if found.is_empty() {
            quick
        } else {
            match store.decode_file(rel) {
                Ok(d) => {
                    found = store.check_statement(&d, rel);
                    d
                }
                Err(p) => {
                    problems.extend(p);
                    continue;
                }
            }
        };
        problems.extend(found);
        statements.push((rel.clone(), d.record.clone()));
        let st = &d.record;
        if let Some(other) = seen.insert(st.id.clone(), st.initiative.clone()) {
            if other != st.initiative {
                problems.extend(d.locate(vec![(
                    "id".into(),
                    format!(
                        "the id `{}` is also used in `{other}`; ids must be unique in the store",
                        st.id
                    ),
                )]));
            }
        }
    }
    problems.sort_by(|a, b| a.location.cmp(&b.location));
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
