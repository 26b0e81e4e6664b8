//! The command line: clap derive types only. Help text lives in the doc comments.
//! This file holds the top level (global flags, the list of commands); each command's
//! arguments live with its kind: records.rs, analysis.rs, sync.rs, tools.rs.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

mod analysis;
mod records;
mod sync;
mod tools;

pub use analysis::*;
pub use records::*;
pub use sync::*;
pub use tools::*;

// The formats live in output.rs (render matches on them); named here too for the commands.
pub use crate::output::{
    CitationFormat, ColorChoice, ExportFormat, Format, ReportFormat, Section, ShowFormat,
    TimelineFormat, TraceFormat,
};

/// Follow what governments and international organisations say about an initiative over
/// time: statement records in a git-backed store, diffs between them, timelines.
#[derive(Debug, Parser)]
#[command(
    name = "dossier",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_long_help = "Examples:\n  dossier log cis-military-cooperation-2030\n  dossier diff cis-military-cooperation-2030\n  dossier check"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command; without one, inside a store, `dossier` shows its status and what to run next
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The store's folder (default: the nearest folder upwards holding dossier.yaml, else ./tracked)
    #[arg(long, global = true, env = "DOSSIER_STORE", value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Colour in output: auto (on a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb; CLICOLOR_FORCE forces it), always or never
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Never page output (diff, log, show, history, timeline, trace and blame use
    /// $DOSSIER_PAGER, git config dossier.pager, $PAGER or `less -FRX` on a terminal)
    #[arg(long, global = true)]
    pub no_pager: bool,
    /// Show every table column and whole ids, even where the table is then wider than the
    /// terminal (by default, at narrow widths columns give way in a documented order)
    #[arg(long, global = true)]
    pub wide: bool,
}

impl Cli {
    /// Whether this invocation may open a network connection (and so TLS).
    pub fn uses_network(&self) -> bool {
        matches!(self.command, Some(Command::Clone(_) | Command::Sync(_)))
    }

    /// `sync --timeout`, when given.
    pub fn network_timeout(&self) -> Option<u64> {
        match &self.command {
            Some(Command::Sync(a)) => a.timeout,
            _ => None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a store (runs `git init` when the folder is not in a git work tree)
    #[command(
        after_long_help = "Example:\n  dossier init ~/dossiers/cis\n  cd ~/dossiers/cis && dossier initiative add cis-military-cooperation-2030 --title \"...\""
    )]
    Init(InitArgs),
    /// Add an initiative (a concept, programme or treaty that statements are about), or edit one
    #[command(subcommand)]
    Initiative(InitiativeCommand),
    /// List the initiatives
    #[command(after_long_help = "Example:\n  dossier initiatives --format json")]
    Initiatives(ListArgs),
    /// Record a new statement about an initiative, as one git commit
    #[command(
        after_long_help = "Examples:\n  dossier record cis-military-cooperation-2030 --date 2025-09-24 --speaker \"Sergei Lebedev\" \\\n      --lang ru --kind speech --summary \"...\" --priority \"Joint air defence system\"\n  dossier record cis-military-cooperation-2030 --from statement.yaml\n  dossier record cis-military-cooperation-2030 --edit"
    )]
    Record(Box<RecordArgs>),
    /// Change a statement in your editor, as one git commit
    #[command(
        after_long_help = "Example:\n  dossier edit 2024-11-07-lebedev-security-council-secretaries -m \"fix the venue\""
    )]
    Edit(EditArgs),
    /// Show a statement for reading, or as data
    #[command(
        after_long_help = "Examples:\n  dossier show 2024-11-07-lebedev-security-council-secretaries\n  dossier show cis-military-cooperation-2030/2025-10-10-...@HEAD~1 --format yaml"
    )]
    Show(ShowArgs),
    /// List statements in date order
    #[command(after_long_help = "Example:\n  dossier log cis-military-cooperation-2030")]
    Log(LogArgs),
    /// Walk an initiative's statements in the terminal, each change in place
    #[command(
        after_long_help = "Left: the statements in date order (date, language, kind, speaker; a badge counts\nthe changed priorities and principles). Main: the diff of the selected statement\nagainst the previous one, or against the one marked with space; inline or side by\nside (s). Below it: the priorities, principles and quotes with their status and\nrank moves.\n\nKeys: [ ] previous/next statement, n N next/previous change, s inline or side by\nside, space mark, tab next pane, arrows/j k move, / search, ? keys, q quit.\n\nNeeds a terminal (standard input and output); otherwise use `dossier log` and\n`dossier diff INITIATIVE --steps`.\n\nExample:\n  dossier browse cis-military-cooperation-2030"
    )]
    Browse(BrowseArgs),
    /// List the git revisions of one statement, following renames
    #[command(
        after_long_help = "Example:\n  dossier history 2024-11-07-lebedev-security-council-secretaries"
    )]
    History(HistoryArgs),
    /// Validate the whole store and report every problem
    #[command(
        after_long_help = "Exit status: 0 clean, 1 problems found, 2 could not run. Warnings (a retrieval date\nlater than the record's first commit, or one date on most records) are listed but do\nnot change the exit status.\n\nExample:\n  dossier check --format json"
    )]
    Check(CheckArgs),
    /// Clone a store from a git remote and check it
    #[command(
        after_long_help = "Examples:\n  dossier clone ssh://git@example.org/team/cis-dossier.git\n  dossier clone /mnt/share/cis-dossier.git ~/dossiers/cis"
    )]
    Clone(CloneArgs),
    /// List, add or remove git remotes
    #[command(
        after_long_help = "Examples:\n  dossier remote\n  dossier remote add origin ssh://git@example.org/team/cis-dossier.git\n  dossier remote remove origin"
    )]
    Remote(RemoteArgs),
    /// Share your statements and get your colleagues': fetch, replay, push
    #[command(
        after_long_help = "A sync never loses a record: when the same record was changed on both sides it\nstops before changing anything and shows both versions. Settle each one with\n`--resolve REF --ours|--theirs|--edit`, then run `dossier sync --continue`.\n\nExamples:\n  dossier sync\n  dossier sync origin --dry-run\n  dossier sync --resolve 2025-10-10-council-of-heads-of-state --theirs\n  dossier sync --continue"
    )]
    Sync(SyncArgs),
    /// Let git merge and diff records as dossier does, in this clone: attributes and drivers
    #[command(
        name = "setup-git",
        after_long_help = "Writes `*.yaml merge=dossier diff=dossier` to the store's .gitattributes (committed,
so that colleagues get it too, when it was not there) and this clone's git config
entries that run dossier for them (merge.dossier.driver, diff.dossier.textconv; git
config is not shared, so each clone runs this once; `dossier init` and `dossier clone`
do it themselves). Then `git pull`, `git merge` and `git rebase` merge two changes to a
statement field by field, as `dossier sync` does, and `git diff` and `git log -p` show
statements as readable text. A clone without dossier merges and diffs records as plain
text. The merge rules are in docs/merge.md.

Example:
  dossier setup-git"
    )]
    SetupGit(SetupGitArgs),
    /// git's merge driver for records (run by git; see `dossier setup-git`)
    #[command(
        name = "merge-driver",
        after_long_help = "git runs it as `dossier merge-driver %O %A %B %P --marker-size %L --labels %S %X %Y`:
the base, ours (where the result goes) and theirs, and the record's path. Exits 0 with
the merged record written over OURS, or 1 with OURS holding the record with only its
conflicting fields marked (ours, base and theirs), which `dossier check` names and
`dossier sync --resolve REF` settles."
    )]
    MergeDriver(MergeDriverArgs),
    /// A record as lines for git's diff (git's textconv; see `dossier setup-git`)
    #[command(
        after_long_help = "Prints a statement field by field, its wording one sentence a line and its
priorities numbered, so that `git diff` and `git log -p` read as a statement diff.
A file that is not a record is printed as it is.

Example:
  dossier textconv cis-2030/statements/2025-10-10-adoption.yaml"
    )]
    Textconv(TextconvArgs),
    /// Compare two statements, or two revisions of one: wording, priorities, principles, metadata
    #[command(
        after_long_help = "Examples:\n  dossier diff cis-military-cooperation-2030            # its two latest statements\n  dossier diff A B                                      # two statements\n  dossier diff REF@HEAD~1 REF                           # two revisions of one record\n  dossier diff cis-military-cooperation-2030 --steps    # every consecutive pair\n  dossier diff A B --only priorities --format json"
    )]
    Diff(Box<DiffArgs>),
    /// The pairs the matcher proposes between two statements, and pins that confirm or reject one
    #[command(
        name = "match",
        after_long_help = "Shows, for the priorities and principles of two statements, each pair the matcher\nmakes (as `diff` does) with its score, the features behind it (shared words, close\nspellings, the language compared) and its margin over the runner-up, and for each\nitem left unpaired the closest candidate.\n\n--confirm OLD NEW pins the two items as one (`same_as`), --reject OLD NEW as two\n(`not_same_as`), --forget OLD NEW removes either pin. The pin is written on the\nitem of the later statement (by date; the second one given when the dates are the\nsame), naming the other item by its key when it has one, else by its position, as\none commit of that one record. Pins always win: diff, diff --steps, timeline, blame\nand report pair the items as pinned, whatever their score.\n\nExamples:\n  dossier match cis-military-cooperation-2030\n  dossier match A B --format json\n  dossier match A B --confirm 2 1\n  dossier match A B --reject principles:3 principles:1"
    )]
    Match(MatchArgs),
    /// The store at a glance: records, uncommitted changes, commits to push and pull, check
    #[command(
        after_long_help = "Commits to pull are counted as of the last fetch (`dossier sync` or `git fetch`);\nstatus itself never contacts the remote.\n\nExamples:\n  dossier status\n  dossier status --format json"
    )]
    Status(StatusArgs),
    /// Export statements for spreadsheets and other tools: CSV, JSON or YAML
    #[command(
        after_long_help = "One row per statement, in date order, with these columns: ref, id, initiative,\ndate, kind, stage, speaker, role, venue, language, outlet, title, url, published,\nretrieved, document, summary, text, text_LANG (one per translation language),\npriorities, principles, quotes, tags, notes.\n\nIn CSV, priorities, principles and quotes are joined in order with a line break\n(one item per line of the cell) and tags with \", \". JSON and YAML keep them as\nlists. With --items: one row per priority or principle instead, with the columns\nref, date, section, rank, key, text. With --format csl-json: one CSL-JSON citation per\nstatement, as `dossier cite` writes them. With --annotations: one row per annotation,\nwith the columns id, statement, date, author, target, section, rank, item, change,\nfrom, change_status, before, after, assessment, tags, note, standing, reason, blob,\nfrom_blob.\n\nCSV is UTF-8 with a header row and RFC 4180 quoting; --bom adds the byte-order\nmark Excel needs to read Arabic or Cyrillic text. With -o the file is written\natomically: a reader never sees half of it.\n\nExamples:\n  dossier export cis-military-cooperation-2030 -o statements.csv\n  dossier export --items --format json\n  dossier export cis-military-cooperation-2030 --format yaml -o all.yaml\n  dossier export --format csl-json -o dossier.json\n  dossier export --annotations --format csv -o annotations.csv"
    )]
    Export(ExportArgs),
    /// Annotate a statement, one of its items or one change, as its own file and one commit
    #[command(
        after_long_help = "An annotation is a reviewer's note, with tags and an assessment (significant,\nminor, confirmed, disputed, unverified, misleading), on the whole statement, on one\nitem (--item 2 for priority 2, principles:1, quotes:3, numbered as `show` lists\nthem) or on one change between two statements (--change ID, with the ids that\n--list gives; the other side is --from REF, by default the statement before REF in\nits initiative, or REF@REV for an earlier version of the same record).\n\nEach annotation is its own file under INITIATIVE/annotations/STATEMENT-ID/, so two\nanalysts annotating at once never conflict, and sync carries it like any record.\nIt names the git blob id of what it was written on: `show`, `diff`, `timeline` and\n`report` mark it stale once the statement (or either side of the pair) is edited.\n\nExamples:\n  dossier annotate 2025-10-10-council-of-heads-of-state-adopts-concept-2030 --item 1 \\\n      --assessment significant --note \"Air defence ranked first for the first time\"\n  dossier annotate 2025-10-10-council-of-heads-of-state-adopts-concept-2030 --list\n  dossier annotate 2025-10-10-council-of-heads-of-state-adopts-concept-2030 --change priorities:1 \\\n      --note \"Reworded from 'joint' to 'unified'\" --tag wording\n  dossier export --annotations --format csv -o annotations.csv"
    )]
    Annotate(AnnotateArgs),
    /// Statements as citations for Zotero, pandoc or LaTeX: CSL-JSON, RIS, BibTeX, BibLaTeX
    #[command(
        after_long_help = "Each REF is a statement (INITIATIVE/ID or ID, with @REV for a revision) or an\ninitiative (all its statements). The speaker is the author (for an adopted or draft text\nwithout one, the initiative's organisation); the kind gives the type (speech, interview,\nreport, legislation, news article); the venue is the event; source.title is the title\n(else a description in square brackets); the accessed date is given only when the\nrecord has `retrieved`. Every citation names its record, the commit it was read at and\nthe source document's sha256 (CSL `custom` and `note`, BibTeX `note`, RIS C1-C3 and\nN1). The mapping is documented in docs/citations.md.\n\nExamples:\n  dossier cite 2024-11-07-lebedev-security-council-secretaries\n  dossier cite cis-military-cooperation-2030 --format bibtex -o cis-2030.bib\n  dossier cite 2025-10-10-council-of-heads-of-state-adopts-concept-2030 --format ris > adoption.ris\n  pandoc paper.md --citeproc --bibliography cis-2030.json"
    )]
    Cite(CiteArgs),
    /// The priorities and principles of one or more initiatives as a matrix over time
    #[command(
        after_long_help = "Rows are the priorities, then the principles, matched across the statements the way\n`diff` matches them (pins, keys, then meaning), in order of first appearance. Columns\nare the statements in date order; a cell holds the priority's rank or a mark for a\nprinciple (`*`: worded differently than before), empty where the statement lacks it.\nSeveral initiatives (concept generations linked by `supersedes`) are followed as one.\n\nExamples:\n  dossier timeline cis-military-cooperation-2030\n  dossier timeline cis-military-cooperation-2030 --lineage --format csv > matrix.csv\n  dossier timeline cis-military-cooperation-2025 cis-military-cooperation-2030"
    )]
    Timeline(TimelineArgs),
    /// Where a phrase appears: first said when and by whom, and whether it stayed
    #[command(
        after_long_help = "Searches the text, translations, summary, priorities, principles and quotes, comparing\nnormalised words as `diff` does: case, Arabic diacritics and alef forms, Arabic-Indic\ndigits and ё do not matter, and an Arabic clitic on the first word is allowed. With --stem, words match by their stems\nin the language of the text they are in (plurals, case endings, the Arabic article and\nclitics on any word).\n\nExamples:\n  dossier trace \"air defence\"\n  dossier trace \"air defence systems\" --stem\n  dossier trace \"الدفاع الجوي\" --initiative cis-military-cooperation-2030\n  dossier trace \"non-aligned\" --format json"
    )]
    Trace(TraceArgs),
    /// For each sentence and item of a statement, the earliest statement that said it
    #[command(
        after_long_help = "Searches the statements of the same initiative and of the initiatives it supersedes\n(transitively) dated before it. A priority or principle counts as said before where\nthe matcher pairs it with an item of the same list, as `diff` does (pins, keys, then\nmeaning: the store's match_threshold); failing that, and for sentences, where an\nearlier sentence, summary sentence or item is at least --threshold similar.\n\nExamples:\n  dossier blame 2025-10-10-council-of-heads-of-state-adopts-concept-2030\n  dossier blame cis-military-cooperation-2030/2024-11-07-lebedev-security-council-secretaries --threshold 0.6"
    )]
    Blame(BlameArgs),
    /// Start a statement from a plain-text source: body, date, outlet, speaker, quotes
    #[command(
        after_long_help = "The source is kept under sources/ with its sha256 (or pointed at where it already is\nin the repository). What was detected, and what was not, is shown on standard error;\nthen your editor opens on the filled record, or with --yes it is recorded as it is.\nFlags override detections. The speaker and role are recorded as the text writes them\n(e.g. in Arabic script): pass --speaker and --role for another rendering.\n\nExamples:\n  dossier import seeds/000_5bbe46e39d76d928.txt --initiative cis-military-cooperation-2030\n  dossier import item.txt --initiative cis-2030 --speaker \"Sergei Lebedev\" --kind announcement --yes"
    )]
    Import(Box<ImportArgs>),
    /// Write one self-contained HTML report of an initiative
    #[command(
        after_long_help = "The report holds the initiative's header, the key findings (span, languages, the\nsignificant changes of each step, priorities added and removed), a timeline chart of\nits statements and priorities, the log, the timeline matrix, each statement's own\ntexts (original and translations, Arabic right to left) and quotes with where each was\nfound, and each consecutive diff with the wording redlined. It loads nothing from anywhere: styles and the chart are inline.\n\nExamples:\n  dossier report cis-military-cooperation-2030\n  dossier report cis-military-cooperation-2030 -o /tmp/cis-2030.html"
    )]
    Report(ReportArgs),
    /// Print a shell completion script
    #[command(
        after_long_help = "The script asks `dossier` itself on each Tab (COMPLETE=SHELL dossier -- WORDS), so\ncommands, flags, their values, initiative ids and statement refs (from --store on\nthe line, $DOSSIER_STORE or the current folder) always match the installed dossier.\n`COMPLETE=SHELL dossier` prints the same script.\n\nExamples:\n  echo 'source <(dossier completions bash)' >> ~/.bashrc\n  echo 'source <(dossier completions zsh)' >> ~/.zshrc\n  echo 'dossier completions fish | source' >> ~/.config/fish/config.fish"
    )]
    Completions(CompletionsArgs),
    /// Print the manual page (roff) of dossier, or of one command
    #[command(
        after_long_help = "Examples:\n  dossier man | man -l -\n  dossier man diff > dossier-diff.1"
    )]
    Man(ManArgs),
    /// Show each setting in force, its value and where it came from
    #[command(
        after_long_help = "Settings come from flags, the environment, your git config (`dossier.*` keys)\nand the store's dossier.yaml. Personal settings:\n  git config --global dossier.pager \"less -R\"      # \"\" or cat: no pager\n  git config --global dossier.color never           # auto, always, never\n  git config --global dossier.defaultLanguage ru    # record's --lang default\nStore settings (shared through the store) live in dossier.yaml:\n  default_language, match_threshold.\n\nExamples:\n  dossier config\n  dossier config --format json"
    )]
    Config(ConfigArgs),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
