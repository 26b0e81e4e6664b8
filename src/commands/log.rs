//! `dossier log [INITIATIVE]`

use std::io::Write;

use super::emit;
use crate::cli::LogArgs;
use crate::context::Context;
use crate::error::Result;
use crate::render;

pub fn run(ctx: &Context, args: LogArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let list = store.statements(args.initiative.as_deref())?;
    emit(out, &render::records::log(&ctx.style, args.format, &list))?;
    Ok(0)
}
