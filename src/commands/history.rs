//! `dossier history REF`

use std::io::Write;

use super::emit;
use crate::cli::HistoryArgs;
use crate::context::Context;
use crate::error::Result;
use crate::render;
use crate::store::RefSpec;

pub fn run(ctx: &Context, args: HistoryArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let mut spec = RefSpec::parse(&args.reference);
    spec.rev = None;
    let path = store.find_path(&spec)?;
    let revisions = store.repo().history(&path, &store.history_scope())?;
    emit(
        out,
        &render::records::history(&ctx.style, args.format, &revisions),
    )?;
    Ok(0)
}
