//! `dossier blame REF`: for each passage of a statement, the earliest statement that said it.

use std::io::Write;

use super::emit;
use crate::analysis::blame::blame;
use crate::cli::BlameArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::render;

pub fn run(ctx: &Context, args: BlameArgs, out: &mut dyn Write) -> Result<i32> {
    if !(0.0..=1.0).contains(&args.threshold) {
        return Err(Error::new(format!(
            "--threshold {} is not between 0 and 1",
            args.threshold
        ))
        .invalid());
    }
    let store = ctx.store()?;
    let target = store.resolve(&args.reference)?.statement;
    let ids = super::timeline::initiatives(&store, std::slice::from_ref(&target.initiative), true)?;
    let candidates = super::timeline::statements_of(&store, &ids)?;
    let mut learned = candidates.clone();
    if !learned.iter().any(|s| s.reference() == target.reference()) {
        learned.push(target.clone()); // a revision, or a statement outside them
    }
    let threshold = super::timeline::match_threshold(None, &store)?;
    let mcx = super::timeline::match_context(&store, &learned, threshold, false);
    let b = blame(&target, &candidates, args.threshold, &mcx);
    let ids = store.statement_ids()?;
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    emit(
        out,
        &render::analysis::blame(&ctx.style, args.format, &b, &ids),
    )?;
    Ok(0)
}
