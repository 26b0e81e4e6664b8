//! `dossier browse [INITIATIVE]`: loads the initiative's statements and hands them to the
//! terminal browser (`tui`).

use std::io::Write;

use crate::cli::BrowseArgs;
use crate::context::Context;
use crate::diff::DiffOptions;
use crate::error::{Error, Result};
use crate::tui::model::{Engine, Model};
use crate::tui::terminal;

pub fn run(ctx: &Context, args: BrowseArgs, _out: &mut dyn Write) -> Result<i32> {
    terminal::require_terminal()?;
    let model = load(ctx, &args, terminal::size())?;
    terminal::run(model)?;
    Ok(0)
}

/// The browser's model on the initiative `args` names, for a screen of `size`.
pub fn load(ctx: &Context, args: &BrowseArgs, size: (u16, u16)) -> Result<Model> {
    let store = ctx.store()?;
    let id = match &args.initiative {
        Some(id) => id.clone(),
        None => {
            let ids = store.initiative_ids()?;
            match ids.as_slice() {
                [one] => one.clone(),
                [] => {
                    return Err(Error::new("the store holds no initiative to browse")
                        .hint("add one with `dossier initiative add ID --title TITLE`"))
                }
                _ => {
                    return Err(Error::new(format!(
                        "the store holds {} initiatives: say which to browse",
                        ids.len()
                    ))
                    .hint(format!(
                        "e.g. `dossier browse {}`; `dossier initiatives` lists them",
                        ids[ids.len() - 1]
                    )))
                }
            }
        }
    };
    let initiative = store.initiative(&id)?;
    let statements: Vec<_> = store
        .statements(Some(&id))?
        .into_iter()
        .map(|l| l.statement)
        .collect();
    if statements.is_empty() {
        return Err(Error::new(format!("`{id}` has no statements to browse"))
            .hint(format!("record one with `dossier record {id}`")));
    }
    let threshold = super::timeline::match_threshold(None, &store)?;
    let opts = DiffOptions {
        strict: args.strict,
        lang: args.lang.clone(),
        ..super::timeline::store_options(&store, threshold)
    };
    let engine = Engine::new(&statements, opts);
    let title = format!("{id}: {}", initiative.title);
    Ok(Model::new(title, statements, engine, size, ctx.style.color))
}
