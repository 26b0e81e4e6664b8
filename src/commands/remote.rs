//! `dossier remote [add NAME URL | remove NAME]`: plain git remotes.

use std::io::Write;

use super::emit;
use crate::cli::{RemoteAction, RemoteArgs};
use crate::context::Context;
use crate::error::Result;

pub fn run(ctx: &Context, args: RemoteArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let repo = store.repo();
    match args.action {
        None => {
            let mut text = String::new();
            for r in repo.remotes()? {
                text.push_str(&format!(
                    "{}\t{} (fetch)\n{}\t{} (push)\n",
                    r.name, r.fetch_url, r.name, r.push_url
                ));
            }
            emit(out, &text)?;
        }
        Some(RemoteAction::Add { name, url }) => {
            repo.add_remote(&name, &url)?;
            eprintln!("added remote {name}: {url}\nNext: dossier sync {name}");
        }
        Some(RemoteAction::Remove { name }) => {
            repo.remove_remote(&name)?;
            eprintln!("removed remote {name}");
        }
    }
    Ok(0)
}
