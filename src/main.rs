//! The `dossier` binary: parse, run, map the result to an exit code.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // owns: standard output and the exit code (clippy.toml)

use std::io::Write;

use clap::Parser;

fn main() {
    // A shell asking for completions (`COMPLETE=bash dossier -- dossier show cis`): print
    // the candidates and exit, before anything else runs.
    clap_complete::CompleteEnv::with_factory(dossier::commands::completions::command)
        .var(dossier::commands::completions::COMPLETE_VAR)
        .complete();
    let cli = dossier::cli::Cli::parse();
    if !cli.uses_network() {
        // libgit2 initialises OpenSSL eagerly, and OpenSSL then parses the whole system CA
        // bundle: about 25 ms on every command (measured with callgrind). A command that
        // never opens a connection gives it an empty bundle instead. Set before git2 starts
        // and before any thread exists.
        #[cfg(unix)]
        std::env::set_var("SSL_CERT_FILE", "/dev/null");
    }
    dossier::git::read_objects_as_git_does();
    if cli.uses_network() {
        // A stalled server ends the transfer: `--timeout`, else DOSSIER_TIMEOUT, else 30 s.
        let secs = cli
            .network_timeout()
            .or_else(|| std::env::var("DOSSIER_TIMEOUT").ok()?.parse().ok())
            .unwrap_or(dossier::git::DEFAULT_NETWORK_TIMEOUT_SECS);
        dossier::git::set_network_timeout(secs);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let code = match dossier::run(cli, &mut out) {
        Ok(code) => code,
        Err(e) if e.silent => e.exit_code,
        Err(e) => {
            let _ = out.flush();
            // Paths, names and messages in an error may come from a remote: escaped.
            eprintln!("error: {}", dossier::escape::escape(&e.to_string()));
            e.exit_code
        }
    };
    let _ = out.flush();
    std::process::exit(code);
}
