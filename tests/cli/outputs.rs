//! The command line's surface: each command accepts only the formats it can write (clap
//! refuses any other with the list of valid ones).

use crate::common::{dossier, Env};

/// Each command with a `--format`, what it must refuse and what it must list as valid.
const FORMATS: &[(&[&str], &str, &str)] = &[
    (&["initiatives"], "yaml", "table, json, markdown"),
    (&["log"], "yaml", "table, json, markdown"),
    (&["history", "x"], "yaml", "table, json, markdown"),
    (&["check"], "yaml", "table, json, markdown"),
    (&["diff", "cis-2030"], "yaml", "table, json, markdown"),
    (&["show", "x"], "markdown", "table, json, yaml"),
    (&["status"], "markdown", "table, json"),
    (&["config"], "yaml", "table, json"),
    (&["trace", "x"], "csv", "table, json, markdown"),
    (
        &["timeline", "cis-2030"],
        "yaml",
        "table, json, markdown, csv",
    ),
    (&["export"], "table", "csv, json, yaml, csl-json"),
    (&["cite", "x"], "json", "csl-json, ris, bibtex, biblatex"),
];

#[test]
fn each_command_refuses_a_format_it_cannot_write_and_lists_the_valid_ones() {
    let env = Env::new();
    let dir = env.store("s");
    for (args, wrong, valid) in FORMATS {
        let mut line: Vec<&str> = args.to_vec();
        line.extend(["--format", wrong]);
        let out = dossier(&env, &dir, &line);
        assert_eq!(out.code, 2, "{line:?} accepted --format {wrong}\n{out}");
        assert!(
            out.stderr
                .contains(&format!("invalid value '{wrong}' for '--format <FORMAT>'"))
                && out.stderr.contains(&format!("[possible values: {valid}]")),
            "{line:?}: not refused by clap with the valid formats\n{out}"
        );
        assert!(out.stdout.is_empty(), "{line:?} printed\n{out}");
    }
}

/// Every human output pinned: each command's table (and Markdown where it has one) on the
/// multilingual fixture store at 100 columns, colour off and, for the coloured ones, on;
/// the errors a user meets first; the help pages. Paths of the test's folder read `[TMP]`.
#[test]
fn every_human_output_is_pinned_by_a_snapshot() {
    let env = Env::new();
    let dir = crate::fit::multilingual(&env);
    let alpha = "2025-01-15-test-speaker-alpha-regional-security-meeting";
    let follow = "2025-07-01-test-speaker-alpha-follow-up";
    let cases: &[(&str, &[&str])] = &[
        ("status", &["status"]),
        ("dossier-alone", &[]),
        ("initiatives", &["initiatives"]),
        (
            "initiatives-markdown",
            &["initiatives", "--format", "markdown"],
        ),
        ("log", &["log"]),
        ("log-markdown", &["log", "--format", "markdown"]),
        ("show", &["show", alpha]),
        ("show-yaml", &["show", alpha, "--format", "yaml"]),
        ("history", &["history", alpha]),
        ("check", &["check"]),
        ("diff", &["diff", alpha, follow]),
        (
            "diff-markdown",
            &["diff", alpha, follow, "--format", "markdown"],
        ),
        ("diff-steps", &["diff", "cis-2030", "--steps"]),
        ("timeline", &["timeline", "cis-2030"]),
        (
            "timeline-markdown",
            &["timeline", "cis-2030", "--format", "markdown"],
        ),
        ("trace", &["trace", "security"]),
        ("blame", &["blame", follow]),
        ("match", &["match", alpha, follow]),
        ("config", &["config"]),
        ("error-unknown-ref", &["show", "no-such-statement"]),
        ("error-unknown-command", &["sohw"]),
        ("error-bad-format", &["log", "--format", "yaml"]),
        (
            "error-missing-file",
            &["record", "cis-2030", "--from", "missing.yaml"],
        ),
        ("help", &["--help"]),
        ("help-diff", &["diff", "--help"]),
    ];
    let tmp = env.dir.path().display().to_string();
    let mut pinned = 0;
    for (name, args) in cases {
        for colour in ["never", "always"] {
            if colour == "always"
                && !matches!(*name, "log" | "diff" | "diff-steps" | "timeline" | "check")
            {
                continue;
            }
            let out = crate::common::run(
                env.dossier_in(&dir)
                    .env("COLUMNS", "100")
                    .args(["--no-pager", "--color", colour])
                    .args(*args),
            );
            assert!(
                !out.stderr.contains("panicked") && out.code != 101,
                "{name} crashed\n{out}"
            );
            let text = format!(
                "exit: {}\n--- stdout ---\n{}--- stderr ---\n{}",
                out.code, out.stdout, out.stderr
            )
            .replace('\x1b', "<ESC>");
            // The test's folder is a temporary path: named `[TMP]`, and a table row
            // holding it (padded to its length) replaced whole.
            let text: String = text
                .lines()
                .map(|l| match (l.contains(&tmp), l.contains('┆')) {
                    (true, true) => "[a row naming the test's folder]".to_string(),
                    _ => l.replace(&tmp, "[TMP]"),
                })
                .collect::<Vec<_>>()
                .join("\n");
            let snapshot = if colour == "always" {
                format!("{name}-colour")
            } else {
                name.to_string()
            };
            insta::assert_snapshot!(snapshot, text);
            pinned += 1;
        }
    }
    eprintln!("{pinned} outputs pinned");
}

/// The messages of the commands that write: `record`, `edit`, `annotate` (the statement,
/// an item, a change; its file's id comes from what is annotated, by whom and when, so
/// it and the commits after it are the same on every run), `remote add`, `sync`
/// (publishing, then nothing to do) and `clone`, pinned like the reading ones.
#[test]
fn the_messages_of_the_writing_commands_are_pinned_by_snapshots() {
    let env = Env::new();
    let dir = env.store("s");
    let hub = env.path("hub.git");
    crate::sync::bare_hub(&env, &hub);
    let fixture = crate::common::project_root().join(
        "tests/fixtures/multilingual/2025-01-15-test-speaker-alpha-regional-security-meeting.yaml",
    );
    let fixture = fixture.to_str().unwrap().to_string();
    let alpha = "2025-01-15-test-speaker-alpha-regional-security-meeting";
    let url = crate::sync::file_url(&hub);
    let clone_to = env.path("c");
    let clone_to = clone_to.to_str().unwrap().to_string();
    let cases: Vec<(&str, Vec<&str>, Option<&str>)> = vec![
        (
            "record",
            vec!["record", "cis-2030", "--from", &fixture],
            None,
        ),
        (
            "edit",
            vec!["edit", alpha],
            Some("sed -i s/Made-up.test.statement/A_made-up_test_statement/"),
        ),
        ("edit-unchanged", vec!["edit", alpha], Some("true")),
        (
            "annotate",
            vec![
                "annotate",
                alpha,
                "--note",
                "Read against the source.",
                "--assessment",
                "confirmed",
            ],
            None,
        ),
        (
            "annotate-again",
            vec![
                "annotate",
                alpha,
                "--note",
                "Read against the source.",
                "--assessment",
                "confirmed",
            ],
            None,
        ),
        (
            "annotate-item",
            vec![
                "annotate",
                alpha,
                "--item",
                "1",
                "--note",
                "The first priority.",
                "--tag",
                "air",
            ],
            None,
        ),
        ("remote-add", vec!["remote", "add", "origin", &url], None),
        ("sync-publish", vec!["sync"], None),
        ("sync-nothing", vec!["sync"], None),
        ("clone", vec!["clone", &url, &clone_to], None),
    ];
    let tmp = env.dir.path().display().to_string();
    for (name, args, editor) in cases {
        let mut cmd = env.dossier_in(&dir);
        cmd.env("COLUMNS", "100")
            .args(["--no-pager", "--color", "never"]);
        if let Some(e) = editor {
            cmd.env("EDITOR", e).env("VISUAL", e);
        }
        let out = crate::common::run(cmd.args(&args));
        assert!(
            !out.stderr.contains("panicked") && out.code != 101,
            "{name} crashed\n{out}"
        );
        let text = format!(
            "exit: {}\n--- stdout ---\n{}--- stderr ---\n{}",
            out.code, out.stdout, out.stderr
        )
        .replace(&tmp, "[TMP]");
        // Drafts are named by the process that made them.
        let text = text
            .split(".yaml")
            .map(|part| match part.rsplit_once('-') {
                Some((head, pid)) if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) => {
                    format!("{head}-[PID]")
                }
                _ => part.to_string(),
            })
            .collect::<Vec<_>>()
            .join(".yaml");
        insta::assert_snapshot!(format!("write-{name}"), text);
    }
}

/// The sync's conflict view (a record both analysts changed), colour off and on, and what
/// `sync --resolve` and `sync --continue` say, pinned at 100 columns.
#[test]
fn the_sync_conflict_view_and_its_resolution_are_pinned_by_snapshots() {
    let c = crate::sync::conflicted();
    let team = &c.team;
    let tmp = [
        team.ada.dir.path().display().to_string(),
        team.bo.dir.path().display().to_string(),
    ];
    let pin = |name: &str, args: &[&str], colour: &str| {
        let mut cmd = team.bo.dossier_in(&team.b);
        cmd.env("COLUMNS", "100")
            .args(["--no-pager", "--color", colour, "sync", "--quiet"])
            .args(args);
        let out = crate::common::run(&mut cmd);
        assert!(
            !out.stderr.contains("panicked") && out.code != 101,
            "{name} crashed\n{out}"
        );
        let mut text = format!(
            "exit: {}\n--- stdout ---\n{}--- stderr ---\n{}",
            out.code, out.stdout, out.stderr
        );
        for t in &tmp {
            text = text.replace(t, "[TMP]");
        }
        insta::assert_snapshot!(name.to_string(), text);
        out
    };
    // The view changes nothing, so it can be shown twice.
    let plain = pin("sync-conflict", &[], "never");
    assert_eq!(plain.code, 2, "{plain}");
    assert!(plain.stdout.contains(crate::sync::BO_SUMMARY), "{plain}");
    assert!(!plain.stdout.contains('\x1b'), "{plain}");
    let coloured = pin("sync-conflict-colour", &[], "always");
    assert!(coloured.stdout.contains('\x1b'), "no colour\n{coloured}");
    let resolved = pin(
        "sync-resolve-ours",
        &["--resolve", &c.shared, "--ours"],
        "never",
    );
    assert_eq!(resolved.code, 0, "{resolved}");
    let done = pin("sync-continue", &["--continue"], "never");
    assert_eq!(done.code, 0, "{done}");
}
