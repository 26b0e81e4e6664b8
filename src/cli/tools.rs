//! The arguments of the helper commands: status, completions, man, config,
//! __complete-refs.

use clap::{Args, ValueEnum};

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

/// What `__complete-refs` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RefKind {
    /// Initiative ids
    Initiatives,
    /// Statement refs (INITIATIVE/ID) and their ids
    Statements,
    /// Both
    All,
}

#[derive(Debug, Args)]
pub struct CompleteRefsArgs {
    /// What to list
    #[arg(value_enum, default_value_t = RefKind::All)]
    pub kind: RefKind,
}
