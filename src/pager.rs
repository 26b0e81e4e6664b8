//! Paging long output, as git does. The output of `diff`, `log`, `show`, `history`,
//! `timeline`, `trace` and `blame` goes through a pager when standard output is a terminal: `--no-pager` turns it off, else the
//! first of `$DOSSIER_PAGER`, git config `dossier.pager`, `$PAGER` and `less -FRX` is run
//! with `sh -c` (an empty value or `cat` means no pager). `LESS=FRX` and `LV=-c` are set
//! for the pager when unset, as git sets them.
//!
//! The command's output is collected first and handed to the pager whole, so a command
//! that prints nothing never starts one, and a pager that cannot be started (missing
//! program) costs nothing: the output goes to standard output with a warning.
//!
//! Testing aid: `DOSSIER_PAGER_FORCE=1` uses the pager even when standard output is not a
//! terminal, so tests can check which pager runs with a fake one that records its input.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // owns: the pager process and standard output (clippy.toml)

use std::io::{IsTerminal, Write};
use std::process::{Command as Process, Stdio};

use crate::cli::Command;
use crate::commands;
use crate::context::Context;
use crate::error::{Error, Result};

/// Whether a command's output is long enough to page. Short or machine-minded commands
/// (`status`, `check`, `export`...) never page.
pub fn pages(command: &Command) -> bool {
    matches!(
        command,
        Command::Diff(_)
            | Command::Log(_)
            | Command::Show(_)
            | Command::History(_)
            | Command::Timeline(_)
            | Command::Trace(_)
            | Command::Blame(_)
    )
}

/// Whether `DOSSIER_PAGER_FORCE=1` asks for paging without a terminal (tests).
fn forced() -> bool {
    std::env::var("DOSSIER_PAGER_FORCE").is_ok_and(|v| v == "1")
}

/// The pager command to use for `command`, if any.
pub fn choose(ctx: &Context, command: &Command) -> Option<String> {
    if !pages(command) || !(forced() || std::io::stdout().is_terminal()) {
        return None;
    }
    ctx.pager.value.clone()
}

/// Runs `command`, through the pager when one applies.
pub fn run_paged(ctx: &Context, command: Command, out: &mut dyn Write) -> Result<i32> {
    let Some(pager) = choose(ctx, &command) else {
        return commands::run(ctx, command, out);
    };
    let mut buffer = Vec::new();
    let result = commands::run(ctx, command, &mut buffer);
    // Show what was produced even when the command then failed; the error follows on
    // stderr once the pager is closed.
    page(&pager, &buffer, out)?;
    result
}

/// Shows `bytes` through `pager` (a shell command), falling back to `out` when the pager
/// cannot be started.
pub fn page(pager: &str, bytes: &[u8], out: &mut dyn Write) -> Result<()> {
    if bytes.is_empty() {
        return Ok(());
    }
    let mut process = shell(pager);
    process.stdin(Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        process.env("LESS", "FRX");
    }
    if std::env::var_os("LV").is_none() {
        process.env("LV", "-c");
    }
    let mut child = match process.spawn() {
        Ok(child) => child,
        Err(e) => {
            warn_unusable(pager, &e.to_string());
            return write_out(out, bytes);
        }
    };
    if let Some(mut stdin) = child.stdin.take() {
        match stdin.write_all(bytes) {
            // A pager that quits before reading everything (the analyst pressed q)
            // closes the pipe: that is not an error.
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => return Err(Error::new("could not write to the pager").cause(e)),
        }
    }
    let status = child
        .wait()
        .map_err(|e| Error::new(format!("could not wait for the pager `{pager}`")).cause(e))?;
    // 126 and 127: the shell could not run the pager at all, so nothing was shown.
    if matches!(status.code(), Some(126 | 127)) {
        warn_unusable(pager, &format!("it exited with {status}"));
        return write_out(out, bytes);
    }
    Ok(())
}

fn shell(command: &str) -> Process {
    if cfg!(windows) {
        let mut p = Process::new("cmd");
        p.arg("/C").arg(command);
        p
    } else {
        let mut p = Process::new("sh");
        p.arg("-c").arg(command);
        p
    }
}

fn warn_unusable(pager: &str, why: &str) {
    eprintln!(
        "warning: could not use the pager `{pager}` ({why}); set DOSSIER_PAGER or git config \
         dossier.pager, or pass --no-pager"
    );
}

fn write_out(out: &mut dyn Write, bytes: &[u8]) -> Result<()> {
    out.write_all(bytes).map_err(Error::output)
}
