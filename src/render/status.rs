//! The store at a glance (`dossier status`, and `dossier` alone): records counted, what is
//! not committed, how the branch stands against its remote, whether `check` passes, and
//! for `dossier` alone the commands that make sense next.

use serde::Serialize;

use super::{json, Label, Style};
use crate::cli::ReportFormat;
use crate::escape::escape_line;
use crate::git::status::{FileState, Tracking};

/// Uncommitted files listed before "and N more".
const LISTED: usize = 10;

/// What `status` reports, as plain data.
#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    /// The store's folder.
    pub store: String,
    /// The checked-out branch (`None`: HEAD is detached).
    pub branch: Option<String>,
    pub initiatives: usize,
    pub statements: usize,
    /// Files of the store changed but not committed.
    pub uncommitted: Vec<Uncommitted>,
    /// How the branch stands against its remote (`None`: no remote).
    pub remote: Option<Tracking>,
    /// Records changed both here and on the remote since they parted: a sync will stop on
    /// them. `None` when not computed (not both ahead and behind).
    pub conflicts: Option<usize>,
    pub check: CheckState,
    /// Whether git merges and diffs records through dossier in this clone.
    pub git_drivers: Drivers,
}

/// How git's merge and diff drivers for records stand in this clone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Drivers {
    Configured,
    /// What is missing: `attributes` (the store's .gitattributes line) and/or `config`
    /// (this clone's `merge.dossier.driver` / `diff.dossier.textconv`).
    NotConfigured {
        missing: Vec<String>,
    },
    /// The configured program is gone (dossier moved or was removed).
    ProgramMissing {
        program: String,
    },
}

/// One uncommitted file of the store.
#[derive(Debug, Clone, Serialize)]
pub struct Uncommitted {
    /// Relative to the store's folder.
    pub path: String,
    /// `INITIATIVE/ID` when the file is a statement.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub state: FileState,
    pub staged: bool,
}

/// Whether `dossier check` passes.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "lowercase")]
pub enum CheckState {
    Passes {
        records: usize,
    },
    Fails {
        records: usize,
        problems: usize,
    },
    /// The check could not run (an unreadable folder...).
    Error {
        message: String,
    },
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The status as a few labelled lines, or JSON.
pub fn status(style: &Style, format: ReportFormat, r: &StatusReport) -> String {
    if format == ReportFormat::Json {
        return json(r);
    }
    let mut lines: Vec<(&str, String)> = Vec::new();
    let branch = match &r.branch {
        Some(b) => format!("on branch {}", escape_line(b)),
        None => style.paint(Label::Changed, "HEAD is detached"),
    };
    lines.push(("store", format!("{} ({branch})", escape_line(&r.store))));
    lines.push((
        "records",
        format!(
            "{}, {}",
            plural(r.initiatives, "initiative", "initiatives"),
            plural(r.statements, "statement", "statements")
        ),
    ));
    let uncommitted = if r.uncommitted.is_empty() {
        "nothing: every record is committed".to_string()
    } else {
        let mut s = style.paint(
            Label::Changed,
            &format!(
                "{} changed but not committed",
                plural(r.uncommitted.len(), "file", "files")
            ),
        );
        for u in r.uncommitted.iter().take(LISTED) {
            let name = u.reference.as_deref().unwrap_or(&u.path);
            let staged = if u.staged { ", staged" } else { "" };
            s.push_str(&format!(
                "\n  {:<10} {}{staged}",
                u.state.as_str(),
                escape_line(name)
            ));
        }
        if r.uncommitted.len() > LISTED {
            s.push_str(&format!("\n  … and {} more", r.uncommitted.len() - LISTED));
        }
        s
    };
    lines.push(("uncommitted", uncommitted));
    lines.push(("remote", remote_line(style, r)));
    let check = match &r.check {
        CheckState::Passes { records } => style.paint(
            Label::Added,
            &format!("passes ({} checked)", plural(*records, "record", "records")),
        ),
        CheckState::Fails { records, problems } => style.paint(
            Label::Removed,
            &format!(
                "fails: {} in {} (run `dossier check`)",
                plural(*problems, "problem", "problems"),
                plural(*records, "record", "records")
            ),
        ),
        CheckState::Error { message } => style.paint(
            Label::Removed,
            &format!("could not run: {}", escape_line(message)),
        ),
    };
    lines.push(("check", check));
    let drivers = match &r.git_drivers {
        Drivers::Configured => "configured: git merges records field by field and diffs them as statements".to_string(),
        Drivers::NotConfigured { missing } => style.paint(
            Label::Changed,
            &format!(
                "not configured in this clone ({} missing): git merges records as plain text; run `dossier setup-git`",
                missing.join(" and ")
            ),
        ),
        Drivers::ProgramMissing { program } => style.paint(
            Label::Changed,
            &format!(
                "configured to run {}, which is gone: run `dossier setup-git` again",
                escape_line(program)
            ),
        ),
    };
    lines.push(("git drivers", drivers));
    let width = lines.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (label, value) in lines {
        // Continuation lines line up under the value.
        let value = value.replace('\n', &format!("\n{:width$} ", ""));
        out.push_str(&format!(
            "{} {value}\n",
            style.paint(Label::Dim, &format!("{label:<width$}"))
        ));
    }
    out
}

fn remote_line(style: &Style, r: &StatusReport) -> String {
    let Some(t) = &r.remote else {
        return "no remote (add one with `dossier remote add origin URL`)".into();
    };
    let name = escape_line(&t.tracking_ref);
    if !t.fetched {
        return format!(
            "{name}: never fetched; {} to push (run `dossier sync`)",
            plural(t.ahead, "commit", "commits")
        );
    }
    if t.ahead == 0 && t.behind == 0 {
        return format!("{name}: up to date (as of the last fetch)");
    }
    let mut parts = Vec::new();
    if t.ahead > 0 {
        parts.push(format!("{} to push", plural(t.ahead, "commit", "commits")));
    }
    if t.behind > 0 {
        parts.push(format!("{} to pull", plural(t.behind, "commit", "commits")));
    }
    let mut s = format!(
        "{name}: {} (as of the last fetch; run `dossier sync`)",
        style.paint(Label::Changed, &parts.join(", "))
    );
    if let Some(n) = r.conflicts.filter(|n| *n > 0) {
        s.push_str(&format!(
            "\n{}",
            style.paint(
                Label::Removed,
                &format!(
                    "{} changed on both sides: sync will ask you to settle {}",
                    plural(n, "record", "records"),
                    if n == 1 { "it" } else { "them" }
                )
            )
        ));
    }
    s
}

/// What to run next, for `dossier` alone: the urgent first, then the everyday.
pub fn next_steps(style: &Style, r: &StatusReport) -> String {
    let mut steps: Vec<(&str, String)> = Vec::new();
    if let Some(t) = &r.remote {
        if !t.fetched || t.ahead > 0 || t.behind > 0 {
            steps.push((
                "dossier sync",
                "share your commits and get your colleagues'".into(),
            ));
        }
    } else {
        steps.push((
            "dossier remote add origin URL",
            "connect the store to a shared remote".into(),
        ));
    }
    if matches!(r.check, CheckState::Fails { .. } | CheckState::Error { .. }) {
        steps.push(("dossier check", "see every problem and where it is".into()));
    }
    if r.git_drivers != Drivers::Configured {
        steps.push((
            "dossier setup-git",
            "let `git pull` and `git diff` merge and show records as dossier does".into(),
        ));
    }
    if !r.uncommitted.is_empty() {
        steps.push((
            "git status",
            "review the uncommitted files (commit them with git, or undo with `git restore`)"
                .into(),
        ));
    }
    if r.initiatives == 0 {
        steps.push((
            "dossier initiative add ID --title TITLE",
            "add the first initiative".into(),
        ));
    } else {
        steps.push((
            "dossier record INITIATIVE --edit",
            "record a statement in your editor".into(),
        ));
        if r.statements > 0 {
            steps.push(("dossier log", "list the statements in date order".into()));
        }
        if r.statements > 1 {
            steps.push((
                "dossier diff INITIATIVE",
                "compare its two latest statements".into(),
            ));
        }
    }
    steps.push(("dossier --help", "every command".into()));
    let width = steps.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    let mut out = format!("\n{}\n", style.paint(Label::Header, "Next:"));
    for (cmd, why) in steps {
        out.push_str(&format!(
            "  {cmd:<width$}  {}\n",
            style.paint(Label::Dim, &why)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> StatusReport {
        StatusReport {
            store: "/s".into(),
            branch: Some("main".into()),
            initiatives: 1,
            statements: 2,
            uncommitted: Vec::new(),
            remote: None,
            conflicts: None,
            check: CheckState::Passes { records: 3 },
            git_drivers: Drivers::Configured,
        }
    }

    const PLAIN: Style = Style {
        color: false,
        width: 100,
        wide: false,
    };

    #[test]
    fn clean_store_without_remote() {
        let out = status(&PLAIN, ReportFormat::Table, &report());
        assert!(out.contains("1 initiative, 2 statements"), "{out}");
        assert!(out.contains("no remote"), "{out}");
        assert!(out.contains("passes (3 records checked)"), "{out}");
        let next = next_steps(&PLAIN, &report());
        assert!(next.contains("dossier remote add origin URL"), "{next}");
        assert!(next.contains("dossier diff INITIATIVE"), "{next}");
    }

    #[test]
    fn ahead_and_behind_with_conflicts() {
        let mut r = report();
        r.remote = Some(Tracking {
            remote: "origin".into(),
            tracking_ref: "origin/main".into(),
            fetched: true,
            ahead: 1,
            behind: 2,
        });
        r.conflicts = Some(1);
        let out = status(&PLAIN, ReportFormat::Table, &r);
        assert!(out.contains("1 commit to push, 2 commits to pull"), "{out}");
        assert!(out.contains("1 record changed on both sides"), "{out}");
    }
}
