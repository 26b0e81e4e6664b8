//! `dossier browse [INITIATIVE]`: loads the initiative's statements (or every
//! initiative's, in date order) and hands them to the terminal browser (`tui`).

use std::io::Write;

use crate::cli::BrowseArgs;
use crate::context::Context;
use crate::diff::DiffOptions;
use crate::error::{Error, Result};
use crate::record::Statement;
use crate::store::Store;
use crate::tui::model::{Engine, Model};
use crate::tui::terminal;

pub fn run(ctx: &Context, args: BrowseArgs, _out: &mut dyn Write) -> Result<i32> {
    // The arguments and the store first, so that a mistake is named even without a
    // terminal; then the terminal.
    let store = ctx.store()?;
    let threshold = super::timeline::match_threshold(args.match_threshold, &store)?;
    terminal::require_terminal()?;
    let model = load(ctx, &store, &args, threshold, terminal::size())?;
    terminal::run(model)?;
    Ok(0)
}

/// The browser's model on the initiative `args` names (every initiative when it names
/// none), for a screen of `size`.
fn load(
    ctx: &Context,
    store: &Store,
    args: &BrowseArgs,
    threshold: f64,
    size: (u16, u16),
) -> Result<Model> {
    let (title, statements) = match &args.initiative {
        Some(id) => {
            let initiative = store.initiative(id)?;
            let statements = statements_of(store, Some(id))?;
            if statements.is_empty() {
                return Err(Error::new(format!("`{id}` has no statements to browse"))
                    .hint(format!("record one with `dossier record {id}`")));
            }
            (format!("{id}: {}", initiative.title), statements)
        }
        None => {
            let ids = store.initiative_ids()?;
            if ids.is_empty() {
                return Err(Error::new("the store holds no initiative to browse")
                    .hint("add one with `dossier initiative add ID --title TITLE`"));
            }
            let statements = statements_of(store, None)?;
            if statements.is_empty() {
                return Err(Error::new("the store holds no statements to browse")
                    .hint(format!("record one with `dossier record {}`", ids[0])));
            }
            let title = match ids.as_slice() {
                [one] => format!("{one}: {}", store.initiative(one)?.title),
                _ => format!("all {} initiatives: {}", ids.len(), ids.join(", ")),
            };
            (title, statements)
        }
    };
    let opts = DiffOptions {
        strict: args.strict,
        lang: args.lang.clone(),
        ..super::timeline::store_options(store, threshold)
    };
    let engine = Engine::new(&statements, opts);
    Ok(Model::new(title, statements, engine, size, ctx.style.color))
}

/// The statements of one initiative, or of all, in date order (then by id).
fn statements_of(store: &Store, initiative: Option<&str>) -> Result<Vec<Statement>> {
    Ok(store
        .statements(initiative)?
        .into_iter()
        .map(|l| l.statement)
        .collect())
}
