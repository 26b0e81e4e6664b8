//! `dossier setup-git`: git merges and diffs the store's records through dossier in this
//! clone (the store's `.gitattributes`, and this clone's config entries for the drivers).

use std::io::Write;

use super::emit;
use crate::cli::SetupGitArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::escape::escape_line;
use crate::git::drivers::ATTRIBUTES_LINE;
use crate::store::Store;

pub fn run(ctx: &Context, args: SetupGitArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let report = setup(&store, !args.no_attributes)?;
    emit(out, &report)?;
    Ok(exit::OK)
}

/// The path of the running dossier, for git to run again.
fn program() -> Result<String> {
    let exe = std::env::current_exe()
        .map_err(|e| Error::new("could not tell where the dossier program is").cause(e))?;
    exe.to_str().map(str::to_string).ok_or_else(|| {
        Error::new(format!(
            "the dossier program's path is not UTF-8: {}",
            exe.display()
        ))
        .hint(
            "install dossier under a UTF-8 path (`cargo install --path .` puts it in ~/.cargo/bin)",
        )
    })
}

/// Writes this clone's config entries for the drivers (nothing committed).
pub fn configure(store: &Store) -> Result<()> {
    store.repo().configure_drivers(&program()?)?;
    Ok(())
}

/// Sets the drivers up (the attributes too when `attributes`); says what it did.
pub fn setup(store: &Store, attributes: bool) -> Result<String> {
    let mut text = String::new();
    let file = store.attributes_path();
    if attributes {
        match store.ensure_attributes()? {
            Some(c) => text.push_str(&format!(
                "added `{ATTRIBUTES_LINE}` to {} (commit {} on {}): share it with `dossier sync`\n",
                file.display(),
                &c.id[..10],
                c.branch
            )),
            None => text.push_str(&format!("{} names the drivers already\n", file.display())),
        }
    }
    let program = program()?;
    store.repo().configure_drivers(&program)?;
    text.push_str(&format!(
        "this clone's git config runs {} as the merge driver (merge.dossier.driver) and diff text converter (diff.dossier.textconv) for records\n",
        escape_line(&program)
    ));
    let state = store.driver_state()?;
    if !state.attributes {
        text.push_str(&format!(
            "note: records do not have the attributes yet: add `{ATTRIBUTES_LINE}` to {} (or run `dossier setup-git` without --no-attributes)\n",
            file.display()
        ));
    }
    Ok(text)
}
