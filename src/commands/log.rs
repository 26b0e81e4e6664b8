//! `dossier log [INITIATIVE]`

use std::io::Write;

use super::emit;
use crate::cli::{Format, LogArgs};
use crate::context::Context;
use crate::error::Result;
use crate::render;

pub fn run(ctx: &Context, args: LogArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let list = store.statements(args.initiative.as_deref())?;
    if args.format == Format::Json {
        // Streamed: the whole store's records are not held a second time as text.
        let rows: Vec<_> = list.iter().map(|l| &l.statement).collect();
        render::json_to(out, &rows).map_err(crate::error::Error::output)?;
        return Ok(0);
    }
    let ids = store.statement_ids()?;
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    emit(
        out,
        &render::records::log(&ctx.style, args.format, &list, &ids),
    )?;
    Ok(0)
}
