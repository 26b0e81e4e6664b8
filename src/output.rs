//! What the user asked the output to be: each command's formats and the colour choice.
//!
//! Each command takes the one enum naming exactly the formats it can write, so clap
//! refuses any other `--format` with the list of valid ones. Plain enums: `cli` offers
//! them, `render` and the commands match on them. A leaf: it uses nothing of ours.

use clap::ValueEnum;

/// `--color`: whether human output is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal (and CLICOLOR, CLICOLOR_FORCE, NO_COLOR and TERM allow)
    Auto,
    Always,
    Never,
}

/// Formats of the listings and reports that are a table, data or Markdown: `initiatives
/// list`, `log`, `history`, `check` and `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tables for reading in a terminal
    Table,
    /// JSON for other tools
    Json,
    /// Markdown tables for reports
    Markdown,
}

/// Formats of `show`: the statement for reading, or the record itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// Tables for reading in a terminal
    Table,
    /// The record as JSON
    Json,
    /// The record as stored
    Yaml,
}

/// Output formats of the timeline matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimelineFormat {
    /// For reading in a terminal
    Table,
    /// JSON for other tools
    Json,
    /// Markdown tables for reports
    Markdown,
    /// Comma-separated values, one row per item (RFC 4180)
    Csv,
}

/// Output formats of `trace`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TraceFormat {
    /// For reading in a terminal
    Table,
    /// JSON for other tools
    Json,
    /// Markdown tables for reports
    Markdown,
}

/// Formats of reports that are a table or data (`status`, `config`, `blame`, `annotate
/// --list`...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// For reading in a terminal
    Table,
    /// JSON for other tools
    Json,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// Comma-separated values with a header row (RFC 4180)
    Csv,
    /// An array of flat objects
    Json,
    /// A list of flat mappings
    Yaml,
    /// CSL-JSON citations (as `dossier cite --format csl-json`)
    CslJson,
}

/// Citation formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CitationFormat {
    /// CSL-JSON (Zotero, pandoc --citeproc, citeproc-js)
    CslJson,
    /// RIS (EndNote, Zotero, Mendeley)
    Ris,
    /// BibTeX (.bib for bibtex and natbib)
    Bibtex,
    /// BibLaTeX (.bib for biber)
    Biblatex,
}

/// The sections of a diff (`diff --only`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Section {
    /// Changes of commitment, negation, numbers and years.
    Significant,
    Summary,
    Metadata,
    Priorities,
    Principles,
    Quotes,
    Wording,
}
