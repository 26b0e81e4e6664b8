//! The arguments of the commands that read across statements: timeline, trace, blame,
//! report, export, cite.

use std::path::PathBuf;

use clap::Args;

use crate::output::{CitationFormat, ExportFormat, ReportFormat, TimelineFormat, TraceFormat};

#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// The initiatives (statements of all of them, in date order)
    #[arg(required = true, value_name = "INITIATIVE")]
    pub initiatives: Vec<String>,
    /// Also the initiatives these supersede, transitively
    #[arg(long)]
    pub lineage: bool,
    /// Score (0 to 1) below which two items are not matched (default: the store's, else 0.4)
    #[arg(long, value_name = "X")]
    pub match_threshold: Option<f64>,
    /// Output format: table, json, markdown or csv
    #[arg(long, value_enum, default_value_t = TimelineFormat::Table)]
    pub format: TimelineFormat,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    /// The phrase: one or more words
    pub phrase: String,
    /// Only this initiative's statements
    #[arg(long, value_name = "ID")]
    pub initiative: Option<String>,
    /// Only the wording in this language (the text or a translation) and its quotes
    #[arg(long = "lang", value_name = "TAG")]
    pub lang: Option<String>,
    /// Match words by their stems (per language: "air defence systems" finds "air defence
    /// system", Russian case endings and Arabic clitics too); reads every statement
    #[arg(long)]
    pub stem: bool,
    /// Output format: table, json or markdown
    #[arg(long, value_enum, default_value_t = TraceFormat::Table)]
    pub format: TraceFormat,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// An initiative (its two latest statements), or the older statement (REF, REF@REV)
    pub a: String,
    /// The newer statement (REF, REF@REV)
    pub b: Option<String>,
    /// Pin a pair as the same item: OLD_ITEM of the first statement, NEW_ITEM of the
    /// second (N for priority N, priorities:N, principles:N)
    #[arg(long, num_args = 2, value_names = ["OLD_ITEM", "NEW_ITEM"], conflicts_with_all = ["reject", "forget"])]
    pub confirm: Option<Vec<String>>,
    /// Pin a pair as different items (never paired, however alike they read)
    #[arg(long, num_args = 2, value_names = ["OLD_ITEM", "NEW_ITEM"], conflicts_with = "forget")]
    pub reject: Option<Vec<String>>,
    /// Remove a pin (confirmed or rejected) between the two items
    #[arg(long, num_args = 2, value_names = ["OLD_ITEM", "NEW_ITEM"])]
    pub forget: Option<Vec<String>>,
    /// The commit message of the pin (default: says which items)
    #[arg(long, short, value_name = "TEXT")]
    pub message: Option<String>,
    /// Score (0 to 1) below which two items are not matched (default: the store's, else 0.4)
    #[arg(long, value_name = "X")]
    pub match_threshold: Option<f64>,
    /// Output format: table or json
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct BlameArgs {
    /// The statement: INITIATIVE/ID or ID, with @REV for a git revision
    pub reference: String,
    /// Similarity (0 to 1) from which an earlier passage counts as the same
    #[arg(long, default_value_t = 0.8, value_name = "X")]
    pub threshold: f64,
    /// Output format: table or json
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The initiative
    pub initiative: String,
    /// Where to write the report (default: INITIATIVE-report.html in the current folder)
    #[arg(long, short, value_name = "FILE.html")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Only this initiative's statements
    pub initiative: Option<String>,
    /// Output format: csv, json, yaml or csl-json
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Write to this file (atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// One row per priority and principle instead of one per statement
    #[arg(long, conflicts_with = "annotations")]
    pub items: bool,
    /// One row per annotation on the statements, with its standing (current, moved, stale)
    #[arg(long)]
    pub annotations: bool,
    /// Start the CSV with a UTF-8 byte-order mark (for Excel)
    #[arg(long)]
    pub bom: bool,
}

#[derive(Debug, Args)]
pub struct CiteArgs {
    /// Statements (INITIATIVE/ID, ID, REF@REV) or initiatives (all their statements)
    #[arg(required = true, value_name = "REF")]
    pub references: Vec<String>,
    /// Output format: csl-json, ris, bibtex or biblatex
    #[arg(long, value_enum, default_value_t = CitationFormat::CslJson)]
    pub format: CitationFormat,
    /// Write to this file (atomically) instead of standard output
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}
