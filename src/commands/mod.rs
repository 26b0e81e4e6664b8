//! One file per subcommand, each with a `run`; this module only dispatches.

mod annotate;
mod blame;
mod browse;
pub(crate) mod check;
mod cite;
mod clone;
pub mod completions;
mod config;
mod diff;
mod edit;
mod editor;
mod export;
mod history;
mod import;
mod init;
mod initiative;
mod log;
mod match_;
mod merge_driver;
mod record;
mod remote;
mod report;
mod resolve;
mod setup_git;
mod show;
pub(crate) mod status;
mod sync;
mod textconv;
mod timeline;
mod trace;

use std::io::Write;

use crate::cli::Command;
use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};

pub fn run(ctx: &Context, command: Command, out: &mut dyn Write) -> Result<i32> {
    match command {
        Command::Init(args) => init::run(ctx, args, out),
        Command::Initiative(cmd) => initiative::run(ctx, cmd, out),
        Command::Initiatives(args) => initiative::run_list(ctx, args, out),
        Command::Record(args) => record::run(ctx, *args, out),
        Command::Edit(args) => edit::run(ctx, args, out),
        Command::Show(args) => show::run(ctx, args, out),
        Command::Log(args) => log::run(ctx, args, out),
        Command::Browse(args) => browse::run(ctx, args, out),
        Command::History(args) => history::run(ctx, args, out),
        Command::Check(args) => check::run(ctx, args, out),
        Command::Diff(args) => diff::run(ctx, *args, out),
        Command::Match(args) => match_::run(ctx, args, out),
        Command::Clone(args) => clone::run(ctx, args, out),
        Command::Remote(args) => remote::run(ctx, args, out),
        Command::Sync(args) => sync::run(ctx, args, out),
        Command::SetupGit(args) => setup_git::run(ctx, args, out),
        Command::MergeDriver(args) => merge_driver::run(ctx, args, out),
        Command::Textconv(args) => textconv::run(ctx, args, out),
        Command::Status(args) => status::run(ctx, args, out),
        Command::Export(args) => export::run(ctx, args, out),
        Command::Cite(args) => cite::run(ctx, args, out),
        Command::Annotate(args) => annotate::run(ctx, args, out),
        Command::Timeline(args) => timeline::run(ctx, args, out),
        Command::Trace(args) => trace::run(ctx, args, out),
        Command::Blame(args) => blame::run(ctx, args, out),
        Command::Import(args) => import::run(ctx, *args, out),
        Command::Report(args) => report::run(ctx, args, out),
        Command::Completions(args) => completions::run_completions(ctx, args, out),
        Command::Man(args) => completions::run_man(args, out),
        Command::Config(args) => config::run(ctx, args, out),
    }
}

/// Adds the command-line wording to an error from the library: which `dossier` command
/// helps next. The store and git say what is wrong (and what was probably meant); only
/// this layer knows the commands.
pub fn cli_wording(e: Error) -> Error {
    let about = e.subject.as_deref().unwrap_or("REF").to_string();
    match e.kind {
        ErrorKind::NoStore => e.hint(
            "run inside a store, pass --store DIR (or set DOSSIER_STORE), or create one with `dossier init DIR`",
        ),
        ErrorKind::UnknownInitiative if e.hints.is_empty() => {
            e.hint("create it with `dossier initiative add ID --title TITLE`")
        }
        ErrorKind::UnknownInitiative => e.hint("`dossier initiatives` lists them"),
        ErrorKind::UnknownStatement => e.hint("`dossier log` lists the statements"),
        ErrorKind::UnknownRevision => e.hint(format!("`dossier history {about}` lists its revisions")),
        ErrorKind::BrokenRecord => e.hint("run `dossier check` to see every problem in the store"),
        _ => e,
    }
}

/// Writes command output, turning a closed pipe into a quiet stop.
pub(crate) fn emit(out: &mut dyn Write, text: &str) -> Result<()> {
    out.write_all(text.as_bytes()).map_err(Error::output)
}
