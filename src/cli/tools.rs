//! The arguments of the helper commands: status, completions, man, config.

use clap::Args;

use crate::output::ReportFormat;

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Output format: table or json
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A command, for its own page (dossier-COMMAND)
    pub command: Option<String>,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Output format: table or json
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
}
