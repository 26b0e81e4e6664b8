//! `dossier status`, and `dossier` alone: the store at a glance (and, alone, what to run
//! next; outside a store, the help).

use std::io::Write;

use clap::CommandFactory;

use super::check::check_store;
use super::emit;
use crate::cli::{Cli, ReportFormat, StatusArgs};
use crate::context::Context;
use crate::error::{exit, Result};
use crate::render::status::{CheckState, Drivers, StatusReport, Uncommitted};
use crate::render::{self};
use crate::store::{self, Store};

pub fn run(ctx: &Context, args: StatusArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let report = report(&store)?;
    emit(
        out,
        &render::status::status(&ctx.style, args.format, &report),
    )?;
    Ok(exit::OK)
}

/// `dossier` with no command: the status and what to run next inside a store, the help
/// outside one.
pub fn run_bare(ctx: &Context, out: &mut dyn Write) -> Result<i32> {
    if store::locate(ctx.store_dir.as_deref(), &ctx.cwd).is_err() {
        let help = Cli::command().render_long_help().to_string();
        emit(out, &help)?;
        return Ok(exit::OK);
    }
    let store = ctx.store()?;
    let report = report(&store)?;
    let mut text = render::status::status(&ctx.style, ReportFormat::Table, &report);
    text.push_str(&render::status::next_steps(&ctx.style, &report));
    emit(out, &text)?;
    Ok(exit::OK)
}

/// Gathers the facts: counts from the layout (no record is decoded for them), git's view
/// of the store's files and of the remote as last fetched, and a full check.
pub fn report(store: &Store) -> Result<StatusReport> {
    let ids = store.initiative_ids()?;
    let mut statements = 0;
    for id in &ids {
        statements += store.statement_paths(id)?.len();
    }
    let prefix = store
        .root()
        .strip_prefix(store.repo().workdir())
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let git = store.repo().status(&prefix)?;
    let uncommitted = git
        .changed
        .iter()
        .map(|c| {
            let rel = std::path::PathBuf::from(&c.path);
            Uncommitted {
                path: crate::git::git_path(&store.display_path(&rel)),
                reference: store.statement_ref(&rel).map(|(i, id)| format!("{i}/{id}")),
                state: c.state,
                staged: c.staged,
            }
        })
        .collect();
    let conflicts = match &git.tracking {
        Some(t) if t.fetched && t.ahead > 0 && t.behind > 0 => store
            .repo()
            .pending_conflicts(Some(&t.remote))
            .ok()
            .map(|c| super::resolve::unmergeable(store, &c)),
        _ => None,
    };
    let check = match check_store(store) {
        Ok((problems, records)) if problems.is_empty() => CheckState::Passes { records },
        Ok((problems, records)) => CheckState::Fails {
            records,
            problems: problems.len(),
        },
        Err(e) => CheckState::Error { message: e.message },
    };
    let git_drivers = match store.driver_state() {
        Ok(d) if d.ready() => Drivers::Configured,
        Ok(d) => match d.missing_program {
            Some(program) if d.attributes => Drivers::ProgramMissing { program },
            _ => Drivers::NotConfigured {
                missing: [
                    (!d.attributes).then(|| "the .gitattributes line".to_string()),
                    (d.merge_driver.is_none() || d.textconv.is_none())
                        .then(|| "the clone's git config".to_string()),
                ]
                .into_iter()
                .flatten()
                .collect(),
            },
        },
        Err(_) => Drivers::NotConfigured {
            missing: vec!["the clone's git config".into()],
        },
    };
    Ok(StatusReport {
        git_drivers,
        store: store.root().display().to_string(),
        branch: git.branch,
        initiatives: ids.len(),
        statements,
        uncommitted,
        remote: git.tracking,
        conflicts,
        check,
    })
}
