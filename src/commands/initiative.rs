//! `dossier initiative add`, `dossier initiative edit` and `dossier initiatives`

use std::io::Write;

use super::{editor, emit};
use crate::cli::{InitiativeAddArgs, InitiativeCommand, InitiativeEditArgs, ListArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::record::{self, Initiative, Stage};
use crate::render;
use crate::store::{codec, count_by_initiative};

pub fn run(ctx: &Context, cmd: InitiativeCommand, out: &mut dyn Write) -> Result<i32> {
    match cmd {
        InitiativeCommand::Add(a) => run_add(ctx, a, out),
        InitiativeCommand::Edit(a) => run_edit(ctx, a, out),
    }
}

fn run_add(ctx: &Context, a: InitiativeAddArgs, out: &mut dyn Write) -> Result<i32> {
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

/// Opens the initiative's record in the editor until it validates, then commits it alone.
fn run_edit(ctx: &Context, args: InitiativeEditArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let current = store.initiative(&args.id)?;
    let rel = store.initiative_path(&args.id);
    let abs = store.abs(&rel);
    let original = crate::fsio::read_text(&abs).map_err(|e| Error::io("read", &abs, e))?;
    let ids = store.initiative_ids()?;
    let draft = editor::draft_path(store.repo().git_dir(), &format!("initiative-{}", args.id))?;
    let edited = editor::edit_until_valid(&draft, &original, |bytes, file| {
        let decoded = codec::decode_initiative(bytes, file).map_err(codec::problems_to_error)?;
        let ini = &decoded.record;
        if ini.id != current.id {
            return Err(
                Error::new("the id of an initiative cannot be changed by editing")
                    .hint(format!("keep `id: {}`", current.id)),
            );
        }
        let mut found = record::initiative_problems(ini);
        if let Some(s) = &ini.supersedes {
            if !ids.contains(s) {
                found.push(("supersedes".into(), format!("there is no initiative `{s}`")));
            }
        }
        let problems = decoded.locate(found);
        if !problems.is_empty() {
            return Err(codec::problems_to_error(problems));
        }
        Ok(decoded.record)
    })?;
    let Some(ini) = edited.filter(|ini| *ini != current) else {
        eprintln!("no change: nothing committed");
        return Ok(0);
    };
    let message = args
        .message
        .unwrap_or_else(|| format!("edit initiative {}", ini.id));
    let c = store.write(&[(rel, codec::encode(&ini).into_bytes())], &message)?;
    emit(out, &format!("{}\n", ini.id))?;
    eprintln!(
        "edited initiative {} (commit {} on {})",
        ini.id,
        &c.id[..10],
        c.branch
    );
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
