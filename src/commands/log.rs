//! `dossier log [INITIATIVE]`

use std::io::Write;

use super::emit;
use crate::cli::{Format, LogArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::render;

pub fn run(ctx: &Context, args: LogArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    if args.format == Format::Json {
        // Written as read, a window of records at a time: memory does not grow with the
        // store.
        let mut array = render::JsonArray::new(out);
        store.each_statement(args.initiative.as_deref(), |l| {
            array.push(&l.statement).map_err(Error::output)
        })?;
        array.finish().map_err(Error::output)?;
        return Ok(0);
    }
    let list = store.statements(args.initiative.as_deref())?;
    let ids = store.statement_ids()?;
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    emit(
        out,
        &render::records::log(&ctx.style, args.format, &list, &ids),
    )?;
    Ok(0)
}
