//! Shell completion and `dossier man [COMMAND]`.
//!
//! Completion is clap_complete's dynamic completion (as jj does it): the shell runs
//! `COMPLETE=SHELL dossier -- WORDS...` on each Tab, and the binary answers with the
//! candidates from [`command`], our command line with store-backed candidates added
//! (initiative ids and statement refs, found from `--store` on the line, `$DOSSIER_STORE`
//! or the current folder). `dossier completions SHELL` prints the shell's registration,
//! the same as `COMPLETE=SHELL dossier` does.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::CommandFactory;
use clap_complete::env::EnvCompleter;
use clap_complete::{ArgValueCandidates, CompletionCandidate, Shell};

use super::emit;
use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::store::{self, Store};

const BIN: &str = "dossier";

/// The environment variable that turns a run into a completion request.
pub const COMPLETE_VAR: &str = "COMPLETE";

/// What an argument completes to from the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refs {
    /// Initiative ids.
    Initiatives,
    /// Statement refs (INITIATIVE/ID) and bare statement ids.
    Statements,
    /// Both.
    All,
}

/// Each argument that takes initiatives or statements: (command path, argument id, what).
pub const COMPLETED: &[(&[&str], &str, Refs)] = &[
    (&["show"], "reference", Refs::Statements),
    (&["edit"], "reference", Refs::Statements),
    (&["history"], "reference", Refs::Statements),
    (&["annotate"], "reference", Refs::Statements),
    (&["blame"], "reference", Refs::Statements),
    (&["sync"], "resolve", Refs::Statements),
    (&["diff"], "a", Refs::All),
    (&["diff"], "b", Refs::Statements),
    (&["match"], "a", Refs::All),
    (&["match"], "b", Refs::Statements),
    (&["cite"], "references", Refs::All),
    (&["log"], "initiative", Refs::Initiatives),
    (&["browse"], "initiative", Refs::Initiatives),
    (&["record"], "initiative", Refs::Initiatives),
    (&["export"], "initiative", Refs::Initiatives),
    (&["report"], "initiative", Refs::Initiatives),
    (&["import"], "initiative", Refs::Initiatives),
    (&["trace"], "initiative", Refs::Initiatives),
    (&["timeline"], "initiatives", Refs::Initiatives),
    (&["initiative", "edit"], "id", Refs::Initiatives),
];

/// The command line as completion sees it: [`Cli`] with the store's candidates on the
/// arguments of [`COMPLETED`]. `main` hands it to clap_complete before parsing.
pub fn command() -> clap::Command {
    let mut cmd = Cli::command();
    for (path, arg, refs) in COMPLETED {
        cmd = with_candidates(cmd, path, arg, *refs);
    }
    cmd
}

fn with_candidates(cmd: clap::Command, path: &[&str], arg: &str, refs: Refs) -> clap::Command {
    match path.split_first() {
        Some((sub, rest)) => cmd.mut_subcommand(*sub, |s| with_candidates(s, rest, arg, refs)),
        None => cmd.mut_arg(arg, |a| {
            a.add(ArgValueCandidates::new(move || candidates(refs)))
        }),
    }
}

/// The candidates of `refs` from the store the line names, or none (quietly) when there
/// is no store: completion never fails loudly.
fn candidates(refs: Refs) -> Vec<CompletionCandidate> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let Ok(cwd) = std::env::current_dir() else {
        return Vec::new();
    };
    let given = store_on_line(&args).or_else(|| {
        std::env::var_os("DOSSIER_STORE")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    let Ok(root) = store::locate(given.as_deref(), &cwd) else {
        return Vec::new();
    };
    let Ok(store) = Store::open(&root) else {
        return Vec::new();
    };
    ref_lines(&store, refs)
        .into_iter()
        .map(CompletionCandidate::new)
        .collect()
}

/// `--store DIR` or `--store=DIR` among the words being completed (after the first `--`
/// of `dossier -- dossier WORDS...`).
fn store_on_line(args: &[OsString]) -> Option<PathBuf> {
    let start = args.iter().position(|a| a == "--").map_or(0, |i| i + 1);
    let words = &args[start..];
    for (i, word) in words.iter().enumerate() {
        if word == "--store" {
            return words.get(i + 1).map(PathBuf::from);
        }
        if let Some(dir) = word.to_str().and_then(|w| w.strip_prefix("--store=")) {
            return Some(PathBuf::from(dir));
        }
    }
    None
}

/// Initiative ids, then statement refs and bare statement ids, from the layout alone (no
/// record is read).
fn ref_lines(store: &Store, refs: Refs) -> Vec<String> {
    let ids = store.initiative_ids().unwrap_or_default();
    let mut lines = Vec::new();
    if matches!(refs, Refs::Initiatives | Refs::All) {
        lines.extend(ids.iter().cloned());
    }
    if matches!(refs, Refs::Statements | Refs::All) {
        let mut bare = Vec::new();
        for ini in &ids {
            for path in store.statement_paths(ini).unwrap_or_default() {
                if let Some((i, id)) = store.statement_ref(&path) {
                    lines.push(format!("{i}/{id}"));
                    bare.push(id);
                }
            }
        }
        bare.sort();
        bare.dedup();
        lines.extend(bare);
    }
    lines
}

/// `dossier completions SHELL`: the registration clap_complete writes for `SHELL`, which
/// calls this binary with `COMPLETE=SHELL` on each Tab: as it was called (`dossier`, found
/// on `PATH`), or by its full path when it was called by a path (`./target/debug/dossier`),
/// exactly as `COMPLETE=SHELL dossier` writes it.
pub fn run_completions(ctx: &Context, args: CompletionsArgs, out: &mut dyn Write) -> Result<i32> {
    let shell: &dyn EnvCompleter = match args.shell {
        Shell::Bash => &clap_complete::env::Bash,
        Shell::Zsh => &clap_complete::env::Zsh,
        Shell::Fish => &clap_complete::env::Fish,
        Shell::PowerShell => &clap_complete::env::Powershell,
        Shell::Elvish => &clap_complete::env::Elvish,
        _ => {
            return Err(Error::new(format!("no completion for {}", args.shell))
                .hint("the shells are bash, zsh, fish, powershell and elvish")
                .invalid())
        }
    };
    let called = std::env::args_os()
        .next()
        .map_or_else(|| PathBuf::from(BIN), PathBuf::from);
    let completer = if called.components().count() > 1 {
        ctx.cwd.join(called)
    } else {
        called
    };
    let mut script = Vec::new();
    shell
        .write_registration(
            COMPLETE_VAR,
            BIN,
            BIN,
            &completer.to_string_lossy(),
            &mut script,
        )
        .map_err(|e| Error::new("could not write the completion script").cause(e))?;
    let script = String::from_utf8(script)
        .map_err(|e| Error::new("the completion script is not UTF-8").cause(e))?;
    emit(out, &script)?;
    Ok(exit::OK)
}

/// `dossier man [COMMAND]`: the roff page of dossier or of `dossier-COMMAND`.
pub fn run_man(args: ManArgs, out: &mut dyn Write) -> Result<i32> {
    let mut root = Cli::command();
    // Building sets each command's full name (`dossier show`) for its synopsis.
    root.build();
    let page = match &args.command {
        None => root,
        Some(name) => {
            let found = root
                .get_subcommands()
                .find(|c| {
                    !c.is_hide_set()
                        && (c.get_name() == name || c.get_all_aliases().any(|a| a == name))
                })
                .cloned();
            match found {
                Some(sub) => {
                    let page_name = format!("{BIN}-{}", sub.get_name());
                    sub.display_name(page_name)
                }
                None => {
                    let names: Vec<&str> = root
                        .get_subcommands()
                        .filter(|c| !c.is_hide_set())
                        .map(|c| c.get_name())
                        .collect();
                    let hint = match crate::store::codec::did_you_mean(name, &names) {
                        Some(close) => format!("did you mean `dossier man {close}`?"),
                        None => format!("the commands are: {}", names.join(", ")),
                    };
                    return Err(Error::new(format!("there is no command `{name}`"))
                        .hint(hint)
                        .invalid());
                }
            }
        }
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut roff)
        .map_err(|e| Error::new("could not write the manual page").cause(e))?;
    let roff =
        String::from_utf8(roff).map_err(|e| Error::new("the manual page is not UTF-8").cause(e))?;
    emit(out, &roff)?;
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_completed_argument_exists_and_the_command_line_stays_valid() {
        // `mut_subcommand` and `mut_arg` panic on a name that is not there.
        let cmd = command();
        cmd.clone().debug_assert();
        for (path, arg, _) in COMPLETED {
            let mut sub = &cmd;
            for name in *path {
                sub = sub.find_subcommand(name).expect("the command exists");
            }
            let found = sub.get_arguments().find(|a| a.get_id() == *arg);
            assert!(found.is_some(), "{path:?} has no argument {arg}");
        }
    }

    #[test]
    fn the_store_on_the_line_is_found_after_the_escape() {
        let line = |words: &[&str]| -> Vec<OsString> { words.iter().map(OsString::from).collect() };
        assert_eq!(
            store_on_line(&line(&["dossier", "--", "dossier", "--store", "s", "show"])),
            Some(PathBuf::from("s"))
        );
        assert_eq!(
            store_on_line(&line(&["dossier", "--", "dossier", "--store=t", "show"])),
            Some(PathBuf::from("t"))
        );
        assert_eq!(
            store_on_line(&line(&["dossier", "--", "dossier", "show"])),
            None
        );
    }
}
