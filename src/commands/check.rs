//! `dossier check`: every problem in the store, located.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use super::emit;
use crate::cli::CheckArgs;
use crate::context::Context;
use crate::error::{exit, Result};
use crate::record;
use crate::render;
use crate::store::codec::{self, Decoded, Problem};
use crate::store::Store;

pub fn run(ctx: &Context, args: CheckArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let (problems, records) = check_store(&store)?;
    emit(
        out,
        &render::records::problems(&ctx.style, args.format, &problems, records),
    )?;
    Ok(if problems.is_empty() {
        exit::OK
    } else {
        exit::DIFFERENT_OR_INVALID
    })
}

/// Checks every initiative and statement; returns the problems and the number of records.
pub fn check_store(store: &Store) -> Result<(Vec<Problem>, usize)> {
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
    Ok((problems, records))
}

fn file_problem(file: &Path, message: String) -> Problem {
    Problem {
        location: crate::error::Location::file(file),
        field: String::new(),
        message,
        hint: None,
    }
}
