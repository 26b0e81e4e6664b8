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
        let bytes = match std::fs::read(store.abs(&rel)) {
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
    let one = |rel: &std::path::PathBuf| -> (Vec<Problem>, Option<(String, String)>) {
        let (blob, loaded) = loader.load(rel);
        let st = match loaded {
            Err(p) => return (p, None),
            Ok(st) => st,
        };
        let shown = loader.display_path(rel);
        let quick = Decoded::unlocated(st, &shown);
        let found = checker.check(&quick, rel, blob.as_deref());
        let names = (quick.record.id.clone(), quick.record.initiative.clone());
        if found.is_empty() {
            return (found, Some(names));
        }
        match loader.decode_file(rel) {
            Ok(d) => (checker.check(&d, rel, blob.as_deref()), Some(names)),
            Err(p) => (p, None),
        }
    };
    let mut located: Vec<(std::path::PathBuf, String, String)> = Vec::new();
    let mut i = 0;
    crate::parallel::for_each(&paths, 1024, one, |(found, names)| -> Result<()> {
        problems.extend(found);
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
