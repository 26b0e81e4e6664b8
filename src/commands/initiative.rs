//! `dossier initiative add` and `dossier initiatives`

use std::io::Write;

use super::emit;
use crate::cli::{InitiativeCommand, ListArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::record::{Initiative, Stage};
use crate::render;
use crate::store::count_by_initiative;

pub fn run_add(ctx: &Context, cmd: InitiativeCommand, out: &mut dyn Write) -> Result<i32> {
    let InitiativeCommand::Add(a) = cmd;
    let status = match a.status.as_deref() {
        None => None,
        Some(s) => Some(Stage::parse(s).ok_or_else(|| {
            Error::new(format!("`{s}` is not a status"))
                .hint(format!("use one of: {}", Stage::WORDS.join(", ")))
                .invalid()
        })?),
    };
    let store = ctx.store()?;
    let ini = Initiative {
        id: a.id,
        title: a.title,
        organization: a.organization,
        horizon: a.horizon,
        status,
        supersedes: a.supersedes,
        tags: a.tags,
        summary: a.summary,
    };
    let c = store.add_initiative(&ini)?;
    emit(out, &format!("{}\n", ini.id))?;
    eprintln!("added initiative {} (commit {})", ini.id, &c.id[..10]);
    Ok(0)
}

pub fn run_list(ctx: &Context, args: ListArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let counts = count_by_initiative(&store.statements(None)?);
    let list: Vec<(Initiative, usize)> = store
        .initiatives()?
        .into_iter()
        .map(|i| {
            let n = counts.get(&i.id).copied().unwrap_or(0);
            (i, n)
        })
        .collect();
    emit(
        out,
        &render::records::initiatives(&ctx.style, args.format, &list),
    )?;
    Ok(0)
}
