//! The arguments of the commands that write and read records: init, initiative,
//! initiatives, record, edit, show, log, history, check, diff, import, annotate.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::output::{Format, ReportFormat, Section, ShowFormat};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to make a store of (default: the current folder)
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum InitiativeCommand {
    /// Add an initiative
    #[command(
        after_long_help = "Example:\n  dossier initiative add cis-military-cooperation-2030 --title \"Concept of military cooperation until 2030\" \\\n      --org CIS --horizon 2030 --status adopted --supersedes cis-military-cooperation-2025"
    )]
    Add(InitiativeAddArgs),
    /// Change an initiative's record (title, status, summary...) in your editor, as one git commit
    #[command(
        after_long_help = "The id cannot change; `supersedes` must name an existing initiative.\n\nExample:\n  dossier initiative edit cis-military-cooperation-2030 -m \"summary: only what the sources say\""
    )]
    Edit(InitiativeEditArgs),
}

#[derive(Debug, Args)]
pub struct InitiativeEditArgs {
    /// The initiative's id
    pub id: String,
    /// The commit message (default: "edit initiative ID")
    #[arg(long, short)]
    pub message: Option<String>,
}

#[derive(Debug, Args)]
pub struct InitiativeAddArgs {
    /// The initiative's id: a lowercase slug such as cis-military-cooperation-2030
    pub id: String,
    /// Its full title
    #[arg(long)]
    pub title: String,
    /// The organisation behind it (CIS, CSTO...)
    #[arg(long = "org")]
    pub organization: Option<String>,
    /// The year it looks ahead to
    #[arg(long)]
    pub horizon: Option<u32>,
    /// Where it stands: proposed, drafting, agreed, adopted, implementing, superseded, abandoned
    #[arg(long)]
    pub status: Option<String>,
    /// The initiative it replaces
    #[arg(long)]
    pub supersedes: Option<String>,
    /// A tag (repeat for more)
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// One paragraph in your words
    #[arg(long)]
    pub summary: Option<String>,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format: table, json or markdown
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The initiative the statement is about
    pub initiative: String,
    /// A whole record in YAML (`-` for standard input)
    #[arg(long, value_name = "FILE.yaml", conflicts_with = "edit")]
    pub from: Option<PathBuf>,
    /// Write the record in your editor ($VISUAL, $EDITOR), starting from a template
    #[arg(long)]
    pub edit: bool,
    #[command(flatten)]
    pub fields: FieldArgs,
}

/// The fields of a statement as flags.
#[derive(Debug, Args, Default)]
pub struct FieldArgs {
    /// The statement's id (default: DATE-SPEAKER-VENUE as a slug)
    #[arg(long, value_name = "SLUG")]
    pub id: Option<String>,
    /// When it was said: YYYY-MM-DD, or YYYY-MM or YYYY when only that is known
    #[arg(long)]
    pub date: Option<String>,
    /// Who said it
    #[arg(long)]
    pub speaker: Option<String>,
    /// The speaker's role
    #[arg(long)]
    pub role: Option<String>,
    /// Where it was said
    #[arg(long)]
    pub venue: Option<String>,
    /// The language of the text, a BCP 47 tag (ar, ru, en...)
    #[arg(long = "lang", value_name = "TAG")]
    pub language: Option<String>,
    /// announcement, speech, interview, press-release, draft, adopted-text or report
    #[arg(long)]
    pub kind: Option<String>,
    /// The initiative's stage as the statement reports it (drafting, agreed, adopted...)
    #[arg(long)]
    pub stage: Option<String>,
    /// The outlet that reported it
    #[arg(long)]
    pub outlet: Option<String>,
    /// The source's address
    #[arg(long)]
    pub url: Option<String>,
    /// When the source was published (YYYY-MM-DD)
    #[arg(long)]
    pub published: Option<String>,
    /// When you retrieved the source (YYYY-MM-DD)
    #[arg(long)]
    pub retrieved: Option<String>,
    /// One or two sentences in your words
    #[arg(long)]
    pub summary: Option<String>,
    /// The statement's wording in its original language, from a file (`-` for standard input)
    #[arg(long, value_name = "PATH")]
    pub text_file: Option<PathBuf>,
    /// A translation from a file: LANG=PATH (repeat for more)
    #[arg(long = "translation", value_name = "LANG=PATH")]
    pub translations: Vec<String>,
    /// A priority it names, in order (repeat for more)
    #[arg(long = "priority", value_name = "TEXT")]
    pub priorities: Vec<String>,
    /// A principle it states (repeat for more)
    #[arg(long = "principle", value_name = "TEXT")]
    pub principles: Vec<String>,
    /// An exact passage of the text or the source (repeat for more)
    #[arg(long = "quote", value_name = "TEXT")]
    pub quotes: Vec<String>,
    /// A tag (repeat for more)
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// The source text: copied under sources/ (unless already in the repository) with its sha256
    #[arg(long, value_name = "PATH")]
    pub source_document: Option<PathBuf>,
    /// Free notes
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// The statement: INITIATIVE/ID, or an ID that is unique in the store
    pub reference: String,
    /// The commit message (default: "edit INITIATIVE/ID")
    #[arg(long, short)]
    pub message: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The statement: INITIATIVE/ID or ID, with @REV for a git revision (ID@HEAD~1)
    pub reference: String,
    /// Output format: table (for reading), yaml or json (the record)
    #[arg(long, value_enum, default_value_t = ShowFormat::Table)]
    pub format: ShowFormat,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Only this initiative's statements
    pub initiative: Option<String>,
    /// Output format: table, json or markdown
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct BrowseArgs {
    /// The initiative to browse (left out: the statements of every initiative, in date
    /// order, so a lineage of concepts reads as one history)
    pub initiative: Option<String>,
    /// Compare the wording in this language (the text or a translation)
    #[arg(long, value_name = "TAG")]
    pub lang: Option<String>,
    /// Compare exactly: no case folding, no Unicode or Arabic normalisation
    #[arg(long)]
    pub strict: bool,
    /// Score (0 to 1) below which two items are not matched (default 0.4, or the store's
    /// match_threshold)
    #[arg(long, value_name = "X")]
    pub match_threshold: Option<f64>,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The statement: INITIATIVE/ID or ID
    pub reference: String,
    /// Output format: table, json or markdown
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format: table, json or markdown
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// An initiative (its two latest statements), or a statement ref (REF, REF@REV)
    pub a: String,
    /// A second statement ref to compare the first with (REF, REF@REV)
    pub b: Option<String>,
    /// With an initiative: the statement on or after this date to compare from
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// With an initiative: the statement on or before this date to compare to
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// With an initiative: every consecutive pair of statements in date order
    #[arg(long)]
    pub steps: bool,
    /// Only these sections (significant, priorities, principles, quotes, wording, metadata,
    /// summary)
    #[arg(long, value_enum, value_delimiter = ',')]
    pub only: Vec<Section>,
    /// Words of unchanged context around each change in the wording
    #[arg(long, default_value_t = 6, value_name = "N")]
    pub context: usize,
    /// Show the whole wording, not just the changes
    #[arg(long)]
    pub full: bool,
    /// Add a table aligning the sentences of the two wordings
    #[arg(long)]
    pub sentences: bool,
    /// Show the two wordings in two columns aligned by sentence, changes marked in each
    /// (table and Markdown output; default from git config dossier.diff.view)
    #[arg(long, conflicts_with = "inline")]
    pub side_by_side: bool,
    /// Show the wording as one text with the changed words marked (the default; overrides
    /// dossier.diff.view)
    #[arg(long)]
    pub inline: bool,
    /// Score (0 to 1) below which two items are not matched (default 0.4, or the store's
    /// match_threshold)
    #[arg(long, value_name = "X")]
    pub match_threshold: Option<f64>,
    /// Under each removed, added or not-mentioned item, the closest item of the other
    /// list and its score (JSON always has it as `nearest`)
    #[arg(long)]
    pub nearest: bool,
    /// Compare exactly: no case folding, no Unicode or Arabic normalisation
    #[arg(long)]
    pub strict: bool,
    /// Compare the wording in this language (the text or a translation)
    #[arg(long, value_name = "TAG")]
    pub lang: Option<String>,
    /// Exit with 1 when the versions differ
    #[arg(long)]
    pub exit_code: bool,
    /// Output format: table, json or markdown
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The source: a plain-text (UTF-8) news item or transcript
    pub file: PathBuf,
    /// The initiative the statement is about
    #[arg(long, value_name = "ID")]
    pub initiative: String,
    /// Record what was detected without opening the editor
    #[arg(long, short)]
    pub yes: bool,
    #[command(flatten)]
    pub fields: FieldArgs,
}

#[derive(Debug, Args)]
pub struct AnnotateArgs {
    /// The statement (INITIATIVE/ID or ID); for --change, the pair's later side
    pub reference: String,
    /// An item: N (the N-th priority), priorities:N, principles:N or quotes:N
    #[arg(long, value_name = "N", conflicts_with = "change")]
    pub item: Option<String>,
    /// A change between --from and REF, by its id (priorities:2, metadata:source.url, wording)
    #[arg(long, value_name = "ID")]
    pub change: Option<String>,
    /// The pair's earlier side (REF or REF@REV; default: the statement before REF)
    #[arg(long, value_name = "REF")]
    pub from: Option<String>,
    /// List the changes between --from and REF with their ids, and annotate nothing
    #[arg(long, conflicts_with_all = ["item", "change", "note", "tags", "assessment", "message"])]
    pub list: bool,
    /// The note
    #[arg(long, required_unless_present = "list")]
    pub note: Option<String>,
    /// A tag (repeat for more)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// significant, minor, confirmed, disputed, unverified or misleading
    #[arg(long, value_name = "WORD")]
    pub assessment: Option<String>,
    /// The commit message (default: "annotate REF: NOTE")
    #[arg(long, short)]
    pub message: Option<String>,
    /// Output format of --list: table or json
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
}
