//! The `dossier` binary: parse, run, map the result to an exit code.

use std::io::Write;

use clap::Parser;

fn main() {
    let cli = dossier::cli::Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let code = match dossier::run(cli, &mut out) {
        Ok(code) => code,
        Err(e) if e.message.contains("Broken pipe") => dossier::error::exit::OK,
        Err(e) => {
            let _ = out.flush();
            eprintln!("error: {e}");
            e.exit_code
        }
    };
    let _ = out.flush();
    std::process::exit(code);
}
