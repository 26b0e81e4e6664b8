//! `dossier trace PHRASE`: where a phrase first appears, who said it, and whether it stayed.

use std::io::Write;

use super::emit;
use crate::analysis::trace::{phrase_words, trace};
use crate::cli::TraceArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::record;
use crate::render;

pub fn run(ctx: &Context, args: TraceArgs, out: &mut dyn Write) -> Result<i32> {
    if phrase_words(&args.phrase).is_empty() {
        return Err(Error::new("the phrase has no words to look for")
            .hint("give one or more words, e.g. `dossier trace \"air defence\"`")
            .invalid());
    }
    if let Some(p) = args.lang.as_deref().and_then(record::language_problem) {
        return Err(Error::new(p).invalid());
    }
    let store = ctx.store()?;
    let statements: Vec<_> = store
        .statements(args.initiative.as_deref())?
        .into_iter()
        .map(|l| l.statement)
        .collect();
    let t = trace(&statements, &args.phrase, args.lang.as_deref());
    let ids = store.statement_ids()?;
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    emit(
        out,
        &render::analysis::trace(&ctx.style, args.format, &t, &ids),
    )?;
    Ok(0)
}
