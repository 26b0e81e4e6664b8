//! dossier: follow what governments and international organisations say about an
//! initiative over time.
//!
//! Statements are YAML records in a git-backed store ([`store`], [`git`]); [`diff`]
//! compares them; [`render`] turns results into tables, Markdown or JSON; [`commands`]
//! wires a parsed command line ([`cli`]) to all of these. See ARCHITECTURE.md for the
//! codemap and the rules between modules.

pub mod analysis;
pub mod annotation;
pub mod citation;
pub mod cli;
pub mod commands;
pub mod context;
pub mod dates;
pub mod diff;
pub mod error;
pub mod escape;
pub mod fsio;
pub mod git;
pub mod import;
pub mod merge;
pub mod output;
pub mod pager;
pub mod parallel;
pub mod record;
pub mod render;
pub mod settings;
pub mod store;
pub mod tui;

pub use error::{Error, Result};

/// Runs a parsed command line, writing its output to `out`; returns the exit code.
pub fn run(cli: cli::Cli, out: &mut dyn std::io::Write) -> Result<i32> {
    let ctx = context::Context::new(&cli.global).map_err(commands::cli_wording)?;
    match cli.command {
        None => commands::status::run_bare(&ctx, out),
        Some(command) => pager::run_paged(&ctx, command, out),
    }
    .map_err(commands::cli_wording)
}
