//! The arguments of the commands that talk to remotes and to git: clone, remote, sync,
//! setup-git, merge-driver, textconv.

use std::path::PathBuf;

use clap::{Args, Subcommand};

#[derive(Debug, Args)]
pub struct CloneArgs {
    /// The remote: a path, file://, git://, ssh://, user@host:path or https:// URL
    pub url: String,
    /// The folder to clone into (default: named after the URL)
    pub dir: Option<PathBuf>,
    /// No progress output
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct RemoteArgs {
    #[command(subcommand)]
    pub action: Option<RemoteAction>,
}

#[derive(Debug, Subcommand)]
pub enum RemoteAction {
    /// Add a remote
    Add {
        /// Its name, e.g. origin
        name: String,
        /// Its URL: a path, file://, git://, ssh://, user@host:path or https://
        url: String,
    },
    /// Remove a remote
    Remove {
        /// Its name
        name: String,
    },
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The remote to sync with (default: the branch's upstream, else origin)
    pub remote: Option<String>,
    /// Fetch and integrate, but do not push
    #[arg(long)]
    pub no_push: bool,
    /// Say what would come in and go out, changing nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Settle one conflicting record (with --ours, --theirs or --edit)
    #[arg(long, value_name = "REF")]
    pub resolve: Option<String>,
    /// Keep your version of the record
    #[arg(long, requires = "resolve", conflicts_with_all = ["theirs", "edit"])]
    pub ours: bool,
    /// Keep the remote's version of the record
    #[arg(long, requires = "resolve", conflicts_with = "edit")]
    pub theirs: bool,
    /// Write the record yourself, starting from both versions
    #[arg(long, requires = "resolve")]
    pub edit: bool,
    /// Go on with the sync once every conflict is settled
    #[arg(long = "continue", conflicts_with = "resolve")]
    pub continue_: bool,
    /// Put the branch back where it was before the last sync that replayed it
    /// (`refs/dossier/before-sync`, whose reflog keeps every earlier one)
    #[arg(long, conflicts_with_all = ["resolve", "continue_", "dry_run"])]
    pub undo: bool,
    /// Seconds without a byte from the server before a sync gives up (default 30)
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
    /// No progress output
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct SetupGitArgs {
    /// Write the config entries only: leave .gitattributes as it is
    #[arg(long)]
    pub no_attributes: bool,
}

#[derive(Debug, Args)]
pub struct MergeDriverArgs {
    /// The common base (git's %O)
    pub base: PathBuf,
    /// Ours, overwritten with the result (git's %A)
    pub ours: PathBuf,
    /// Theirs (git's %B)
    pub theirs: PathBuf,
    /// The record's path in the repository (git's %P)
    pub path: PathBuf,
    /// The length of conflict markers (git's %L)
    #[arg(long, default_value_t = 7)]
    pub marker_size: usize,
    /// The names of base, ours and theirs in conflict markers (git's %S %X %Y)
    #[arg(long, num_args = 3, value_names = ["BASE", "OURS", "THEIRS"], allow_hyphen_values = true)]
    pub labels: Vec<String>,
}

#[derive(Debug, Args)]
pub struct TextconvArgs {
    /// The file to print
    pub file: PathBuf,
}
