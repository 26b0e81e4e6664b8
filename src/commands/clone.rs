//! `dossier clone URL [DIR]`: clone a store and check it.

use std::io::Write;
use std::path::PathBuf;

use super::{check, emit};
use crate::cli::CloneArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::git::Repo;
use crate::render::progress::TransferBar;
use crate::store::{Store, SETTINGS_FILE};

pub fn run(ctx: &Context, args: CloneArgs, out: &mut dyn Write) -> Result<i32> {
    let dir = match args.dir {
        Some(d) => ctx.cwd.join(d),
        None => {
            let name = args
                .url
                .trim_end_matches('/')
                .rsplit(['/', ':'])
                .next()
                .unwrap_or("store")
                .trim_end_matches(".git")
                .to_string();
            ctx.cwd.join(if name.is_empty() {
                "store".to_string()
            } else {
                name
            })
        }
    };
    if crate::fsio::is_occupied(&dir) {
        return Err(
            Error::new(format!("{} exists and is not empty", dir.display()))
                .hint("name another folder: `dossier clone URL DIR`"),
        );
    }
    let created = !crate::fsio::exists(&dir);
    let mut bar = TransferBar::new(args.quiet);
    let cloned = Repo::clone_from(&args.url, &dir, &mut |p| bar.update(p));
    bar.finish();
    let repo = match cloned {
        Ok(repo) => repo,
        Err(e) => {
            // Leave nothing of a refused or failed clone behind.
            crate::fsio::clear_made(&dir, created);
            return Err(e);
        }
    };
    let root: PathBuf = [PathBuf::new(), PathBuf::from("tracked")]
        .into_iter()
        .map(|p| repo.workdir().join(p))
        .find(|p| crate::fsio::is_file(&p.join(SETTINGS_FILE)))
        .ok_or_else(|| {
            Error::new(format!(
                "cloned into {}, but it holds no dossier store",
                dir.display()
            ))
            .hint("check the URL; a store has a dossier.yaml at its root")
        })?;
    let store = Store::open(&root)?;
    // git merges and diffs records through dossier in this clone, as `setup-git` would.
    super::setup_git::configure(&store)?;
    let (problems, records) = check::check_store(&store)?;
    emit(
        out,
        &format!(
            "Cloned {} into {} ({} records).\n",
            args.url,
            store.root().display(),
            records
        ),
    )?;
    if problems.is_empty() {
        emit(out, "dossier check: no problems.\n")?;
        Ok(exit::OK)
    } else {
        emit(
            out,
            &crate::render::records::problems(
                &ctx.style,
                crate::cli::Format::Table,
                &problems,
                records,
            ),
        )?;
        Ok(exit::DIFFERENT_OR_INVALID)
    }
}
