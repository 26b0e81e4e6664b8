//! The escape audit: a colleague with push access (Mallory, a real second clone) puts
//! terminal escapes everywhere a tree or a commit can hold them: the author name, commit
//! messages, file and folder names, and the fields of records. Ada then syncs, settles the
//! conflict, races an edit against his change, and runs every command that prints for
//! people. No ESC, BEL or C1 control from him reaches her terminal, in either stream;
//! with `--color always` the only escapes are dossier's own colours (SGR).
//!
//! The sequences: ESC [2J (clear the screen), OSC 8 (a hyperlink), OSC 52 (write the
//! clipboard), and the 8-bit CSI (U+009B) some terminals honour.

use std::path::{Path, PathBuf};

use crate::common::{dossier, run, Env, Out};
use crate::races::SlowEditor;
use crate::sync::{analyst_bo, edit_summary, published, record_path, sync, Published};

const CLEAR: &str = "\u{1b}[2J";
const OSC8: &str = "\u{1b}]8;;http://evil.example/\u{7}click\u{1b}]8;;\u{7}";
const OSC52: &str = "\u{1b}]52;c;ZXZpbA==\u{7}";
const CSI8: &str = "\u{9b}2J";

/// All four sequences after `text`.
fn hostile(text: &str) -> String {
    format!("{text}{CLEAR}{OSC8}{OSC52}{CSI8}")
}

/// The same sequences as a YAML double-quoted scalar's escapes.
fn hostile_yaml(text: &str) -> String {
    format!(
        "\"{text}\\e[2J\\e]8;;http://evil.example/\\aclick\\e]8;;\\a\\e]52;c;ZXZpbA==\\a\\u009b2J\""
    )
}

/// What the audit found: each output scanned, and each one that showed an escaped mark
/// (the hostile text did reach it, made harmless).
#[derive(Default)]
struct Audit {
    scanned: Vec<String>,
    marked: Vec<String>,
    leaks: Vec<String>,
    /// Outputs expected to show a hostile string (escaped) that did not.
    unmarked: Vec<String>,
}

impl Audit {
    /// Scans both streams: no control character other than newline and tab; with
    /// `colour`, ESC only as the start of an SGR sequence (`ESC [ digits ; m`).
    fn scan(&mut self, out: &Out, what: &str, colour: bool) {
        for (stream, text) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            if let Some(bad) = first_leak(text, colour) {
                self.leaks.push(format!(
                    "{what} ({stream}): raw {bad:?} in\n{}",
                    text.chars().take(3000).collect::<String>()
                ));
            }
        }
        assert!(
            !out.stderr.contains("panicked") && out.code != 101,
            "{what} crashed\n{out}"
        );
        if out.stdout.contains("<U+001B>") || out.stderr.contains("<U+001B>") {
            self.marked.push(what.to_string());
        }
        self.scanned.push(what.to_string());
        if std::env::var_os("DOSSIER_AUDIT_SHOW").is_some() {
            eprintln!("=== {what}\n{}", printable_out(out));
        }
    }

    /// Runs `dossier ARGS` in `dir` and scans it.
    fn run(&mut self, env: &Env, dir: &Path, args: &[&str]) -> Out {
        let out = dossier(env, dir, args);
        self.scan(&out, &printable(&args.join(" ")), false);
        out
    }

    /// Notes whether an output whose name starts with `what` showed the hostile text
    /// escaped (else scanning it would prove nothing).
    fn expect_marked(&mut self, what: &str) {
        if !self.marked.iter().any(|m| m.starts_with(what)) {
            self.unmarked.push(what.to_string());
        }
    }
}

/// The first character that must not reach a terminal raw, with what follows it.
fn first_leak(text: &str, colour: bool) -> Option<String> {
    for (i, c) in text.char_indices() {
        if c == '\n' || c == '\t' || !c.is_control() {
            continue;
        }
        if colour && c == '\u{1b}' {
            let rest = &text[i + 1..];
            if let Some(body) = rest.strip_prefix('[') {
                let params = body
                    .find(|ch: char| !(ch.is_ascii_digit() || ch == ';'))
                    .unwrap_or(body.len());
                if body[params..].starts_with('m') {
                    continue;
                }
            }
        }
        return Some(text[i..].chars().take(12).collect());
    }
    None
}

/// A command line shown in a failure message without its escapes.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '^' } else { c })
        .collect()
}

fn printable_out(out: &Out) -> String {
    let keep = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_control() && c != '\n' { '^' } else { c })
            .collect()
    };
    format!(
        "exit {}\n--- stdout\n{}--- stderr\n{}",
        out.code,
        keep(&out.stdout),
        keep(&out.stderr)
    )
}

/// Sets `summary:` in a record file to `yaml` (a YAML scalar as written).
fn set_summary(file: &Path, yaml: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    let changed: String = text
        .lines()
        .map(|l| {
            if l.starts_with("summary:") {
                format!("summary: {yaml}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert_ne!(text, changed, "no summary line in {}", file.display());
    std::fs::write(file, changed).unwrap();
}

fn write(path: PathBuf, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn nothing_a_colleague_pushes_reaches_the_terminal_raw() {
    // Ada publishes a store with one statement; Mallory clones it with dossier.
    let Published {
        ada,
        url,
        a,
        shared,
        ..
    } = published();
    let mal = analyst_bo();
    dossier(&mal, mal.dir.path(), &["clone", &url, "m", "--quiet"]).ok();
    let m = mal.path("m");
    mal.git(&m, &["config", "user.name", &hostile("Mallory")]);

    // 1. Through dossier itself: a statement whose every text holds the escapes.
    let speaker = hostile("Mal Speaker");
    let out = run(mal.dossier_in(&m).args([
        "record",
        "cis-2030",
        "--id",
        "2025-04-01-mallory",
        "--date",
        "2025-04-01",
        "--speaker",
        &speaker,
        "--venue",
        &hostile("Hall"),
        "--lang",
        "en",
        "--summary",
        &hostile("A summary"),
        "--priority",
        &hostile("Joint air defence"),
        "--priority",
        &hostile("Border"),
    ]));
    out.ok();
    let mallory = "cis-2030/2025-04-01-mallory";
    let out = run(mal.dossier_in(&m).args([
        "annotate",
        mallory,
        "--note",
        &hostile("A note"),
        "--tag",
        "wording",
        "-m",
        &hostile("annotated"),
    ]));
    out.ok();
    // 2. Through plain git: the shared record's summary, a record whose file name holds
    // the escapes, a folder (an "initiative") named with them, a stray file; one commit
    // with a hostile message.
    set_summary(
        &m.join(record_path(&shared)),
        &hostile_yaml("Mallory's reading"),
    );
    write(
        m.join(format!("cis-2030/statements/2025-05-05-{OSC52}x.yaml")),
        "id: x\n",
    );
    write(
        m.join(format!("evil{CLEAR}/initiative.yaml")),
        &format!("id: {}\ntitle: T\n", hostile_yaml("evil")),
    );
    write(
        m.join(format!("evil{CLEAR}/statements/2025-06-06-{OSC8}.yaml")),
        &format!("id: {}\n", hostile_yaml("x")),
    );
    write(m.join(format!("cis-2030/notes{CSI8}.txt")), "notes\n");
    mal.git(&m, &["add", "-A"]);
    mal.git(
        &m,
        &[
            "commit",
            "-q",
            "-m",
            &hostile("innocent"),
            "-m",
            &hostile("body"),
        ],
    );
    mal.git(&m, &["push", "-q", "origin", "main"]);

    // Ada changed the same summary meanwhile: her sync stops on the conflict.
    edit_summary(
        &ada,
        &a,
        &shared,
        "Ada reads it as a commitment.",
        "Ada's reading",
    );
    let mut audit = Audit::default();
    let out = sync(&ada, &a, &[]);
    out.failed();
    assert!(out.stdout.contains("Mallory"), "no conflict view\n{out}");
    audit.scan(&out, "sync (conflict view)", false);
    audit.expect_marked("sync (conflict view)");
    let out = run(ada
        .dossier_in(&a)
        .args(["--color", "always", "sync", "--quiet"]));
    audit.scan(&out, "sync --color always (conflict view)", true);

    // (`--resolve` names the file, which is Ada's: nothing of Mallory's to show.)
    let out = audit.run(
        &ada,
        &a,
        &["sync", "--quiet", "--resolve", &shared, "--theirs"],
    );
    out.ok();
    let out = audit.run(&ada, &a, &["sync", "--quiet", "--continue"]);
    assert!(out.stdout.contains("in:"), "the sync did not finish\n{out}");
    audit.expect_marked("sync --quiet --continue");

    // Everything Ada can ask about what came in.
    let bad_file = format!("cis-2030/statements/2025-05-05-{OSC52}x.yaml");
    let hostile_ref = format!("cis-2030/2025-05-05-{OSC52}x");
    let commands: Vec<Vec<&str>> = vec![
        vec![],
        vec!["status"],
        vec!["log"],
        vec!["log", "cis-2030"],
        vec!["log", "--format", "markdown"],
        vec!["initiatives"],
        vec!["show", &shared],
        vec!["show", mallory],
        vec!["history", &shared],
        vec!["history", mallory],
        vec!["history", "cis-2030"],
        vec!["diff", &shared],
        vec!["diff", &shared, mallory],
        vec!["diff", &shared, mallory, "--format", "markdown"],
        vec!["diff", "cis-2030"],
        vec!["timeline", "cis-2030"],
        vec!["timeline", "cis-2030", "--format", "markdown"],
        vec!["trace", "Joint air defence"],
        vec!["blame", mallory],
        vec!["check"],
        vec!["show", mallory, "--format", "yaml"],
        vec!["show", mallory, "--format", "json"],
        vec!["show", &hostile_ref],
        vec!["edit", &hostile_ref],
        vec!["diff", &hostile_ref, mallory],
        vec!["show", &bad_file],
        vec!["annotate", mallory, "--list"],
        vec!["config"],
    ];
    for args in &commands {
        audit.run(&ada, &a, args);
    }
    // Export is data for other programs (CSV keeps every byte, as JSON does): only its
    // messages are for people.
    let out = dossier(&ada, &a, &["export", "cis-2030", "--format", "csv"]);
    out.ok();
    audit.scan(
        &Out {
            stdout: String::new(),
            ..out
        },
        "export (stderr)",
        false,
    );
    // Ada starts fixing the bad record by hand: status lists the file as uncommitted.
    std::fs::write(a.join(&bad_file), "id: x\nlanguage: en\n").unwrap();
    audit.run(&ada, &a, &["status"]);
    audit.run(&ada, &a, &[]);
    for what in [
        "status",
        "log",
        "show cis-2030/2025-04-01-mallory",
        "history",
        "diff",
        "timeline",
        "trace",
        "check",
        "show cis-2030/2025-05-05-",
    ] {
        audit.expect_marked(what);
    }
    for args in [
        vec!["log"],
        vec!["show", mallory],
        vec!["history", &shared],
        vec!["diff", &shared, mallory],
        vec!["timeline", "cis-2030"],
    ] {
        let mut full = vec!["--color", "always"];
        full.extend(args.iter().copied());
        let out = dossier(&ada, &a, &full);
        audit.scan(&out, &printable(&full.join(" ")), true);
    }

    // An edit racing his next change to the same field shows both changes.
    dossier(&mal, &m, &["sync", "--quiet"]).ok();
    let slow = SlowEditor::new(&ada, "slow", "s/^summary: .*/summary: Ada again./");
    let child = slow.start_edit(&ada, &a, &shared);
    set_summary(
        &m.join(record_path(&shared)),
        &hostile_yaml("Mallory again"),
    );
    mal.git(&m, &["commit", "-q", "-am", &hostile("again")]);
    mal.git(&m, &["push", "-q", "origin", "main"]);
    audit.run(&ada, &a, &["sync", "--quiet"]).ok();
    let out = slow.finish(child);
    out.refused_with(&["changed meanwhile"]);
    audit.scan(&out, "edit (changed meanwhile)", false);
    audit.expect_marked("edit (changed meanwhile)");

    // A third analyst clones the hub: the clone's check names the hostile paths.
    let cy = Env::new();
    let out = dossier(&cy, cy.dir.path(), &["clone", &url, "c", "--quiet"]);
    audit.scan(&out, "clone", false);
    audit.expect_marked("clone");

    eprintln!(
        "escape audit: {} outputs scanned, {} showed a hostile string escaped, {} leaked",
        audit.scanned.len(),
        audit.marked.len(),
        audit.leaks.len()
    );
    assert!(
        audit.leaks.is_empty(),
        "{} output(s) let a raw control character through:\n\n{}",
        audit.leaks.len(),
        audit.leaks.join("\n\n")
    );
    assert!(
        audit.unmarked.is_empty(),
        "the hostile text never reached these outputs (scanning them proves nothing): {:?}",
        audit.unmarked
    );
}
