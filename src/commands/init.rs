//! `dossier init [DIR]`

use std::io::Write;

use super::emit;
use crate::cli::InitArgs;
use crate::context::Context;
use crate::error::Result;
use crate::store::Store;

pub fn run(ctx: &Context, args: InitArgs, out: &mut dyn Write) -> Result<i32> {
    let dir = ctx.cwd.join(args.dir.unwrap_or_default());
    let (store, committed) = Store::init(&dir)?;
    // The store's .gitattributes came with the first commit; this clone runs the drivers.
    super::setup_git::setup(&store, true)?;
    let commit = committed
        .map(|c| format!(" (commit {} on {})", &c.id[..10], c.branch))
        .unwrap_or_default();
    emit(
        out,
        &format!(
            "Created a dossier store in {}{commit}.\ngit merges its records field by field and diffs them as statements in this clone (`dossier setup-git` sets up other clones).\nNext: dossier --store {} initiative add ID --title TITLE\n",
            store.root().display(),
            store.root().display()
        ),
    )?;
    Ok(0)
}
