//! Output that fits: every line of every human output at 80, 120 and 200 columns is at
//! most that wide, measured the way a terminal draws it (each character's own width, so an
//! Arabic lam-alef pair takes two cells and harakat none), with Arabic, Russian and English
//! rows; the columns of each table line up; ids are never broken; tables at the three
//! widths are pinned with insta snapshots.

use std::path::{Path, PathBuf};

use unicode_width::UnicodeWidthChar;

use crate::common::{project_root, run, Env};

/// A store holding the made-up multilingual statements of tests/fixtures/multilingual.
pub(crate) fn multilingual(env: &Env) -> PathBuf {
    let dir = env.store("s");
    let fixtures = project_root().join("tests/fixtures/multilingual");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 4,
        "fixtures missing in {}",
        fixtures.display()
    );
    for f in files {
        run(env
            .dossier_in(&dir)
            .args(["record", "cis-2030", "--from"])
            .arg(&f))
        .ok();
    }
    dir
}

/// Columns a terminal gives `line` (escape sequences take none).
fn terminal_width(line: &str) -> usize {
    let mut w = 0;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                }
            }
            continue;
        }
        w += c.width().unwrap_or(0);
    }
    w
}

fn output(env: &Env, dir: &Path, width: usize, colour: &str, args: &[&str]) -> String {
    let out = run(env
        .dossier_in(dir)
        .env("COLUMNS", width.to_string())
        .args(["--no-pager", "--color", colour])
        .args(args));
    out.ok();
    out.stdout
}

/// The commands whose human output is checked, on the multilingual store.
const COMMANDS: &[&[&str]] = &[
    &["log", "cis-2030"],
    &["log"],
    &["initiatives"],
    &[
        "show",
        "2025-01-15-test-speaker-alpha-regional-security-meeting",
    ],
    &[
        "show",
        "2025-03-02-test-speaker-beta-joint-systems-interview",
    ],
    &[
        "show",
        "2025-06-30-test-speaker-gamma-adopts-made-up-concept-for-testing",
    ],
    &["diff", "cis-2030", "--steps", "--sentences"],
    &["diff", "cis-2030", "--steps", "--full"],
    &["diff", "2025-01-15-test", "2025-07-01", "--sentences"],
    &["timeline", "cis-2030"],
    &["trace", "الأمن"],
    &["trace", "безопасность"],
    &["trace", "security"],
    &["blame", "2025-07-01-test-speaker-alpha-follow-up"],
    &[
        "blame",
        "2025-06-30-test-speaker-gamma-adopts-made-up-concept-for-testing",
    ],
    &[
        "history",
        "2025-01-15-test-speaker-alpha-regional-security-meeting",
    ],
    &["check"],
];

#[test]
fn every_line_fits_80_120_and_200_columns_in_arabic_russian_and_english() {
    let env = Env::new();
    let dir = multilingual(&env);
    let mut checked = 0;
    for width in [80, 120, 200] {
        for colour in ["never", "always"] {
            for args in COMMANDS {
                let text = output(&env, &dir, width, colour, args);
                assert!(!text.trim().is_empty(), "{args:?} printed nothing");
                for (n, line) in text.lines().enumerate() {
                    let w = terminal_width(line);
                    assert!(
                        w <= width,
                        "`dossier {}` at {width} columns (colour {colour}): line {} is {w} wide\n{line}\n\n{text}",
                        args.join(" "),
                        n + 1
                    );
                    checked += 1;
                }
                tables_line_up(&text, args);
            }
        }
    }
    assert!(checked > 1000, "only {checked} lines checked");
}

/// Within each table every line has the same width and the column borders sit at the
/// same places, so no cell was measured narrower than the terminal draws it.
fn tables_line_up(text: &str, args: &[&str]) {
    let mut table: Vec<&str> = Vec::new();
    for line in text.lines() {
        let plain = strip(line);
        if plain.starts_with(['┌', '│', '╞', '├', '└']) {
            table.push(line);
            if plain.starts_with('└') {
                check_table(&table, args);
                table.clear();
            }
        }
    }
}

fn strip(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if ('\u{40}'..='\u{7e}').contains(&c) {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

fn check_table(lines: &[&str], args: &[&str]) {
    let borders = |line: &str| -> Vec<usize> {
        let mut at = Vec::new();
        let mut col = 0;
        for c in strip(line).chars() {
            if matches!(
                c,
                '│' | '┆'
                    | '┬'
                    | '┼'
                    | '╪'
                    | '┴'
                    | '┐'
                    | '┘'
                    | '┤'
                    | '╡'
                    | '┌'
                    | '└'
                    | '╞'
                    | '├'
            ) {
                at.push(col);
            }
            col += c.width().unwrap_or(0);
        }
        at
    };
    let first = borders(lines[0]);
    for line in lines {
        assert_eq!(
            borders(line),
            first,
            "`dossier {}`: a row's borders are off\n{}",
            args.join(" "),
            lines.join("\n")
        );
    }
}

#[test]
fn ids_are_never_broken_and_short_ids_resolve() {
    let env = Env::new();
    let dir = multilingual(&env);
    let log = output(&env, &dir, 80, "never", &["log", "cis-2030"]);
    // Every id shows on one line, whole or as a prefix marked with `…`.
    let ids = [
        "2025-01-15-test-speaker-alpha-regional-security-meeting",
        "2025-03-02-test-speaker-beta-joint-systems-interview",
        "2025-06-30-test-speaker-gamma-adopts-made-up-concept-for-testing",
        "2025-07-01-test-speaker-alpha-follow-up",
    ];
    for id in ids {
        let shown = log
            .lines()
            .flat_map(|l| l.split(['│', '┆']))
            .map(str::trim)
            .find(|cell| id == *cell || cell.strip_suffix('…').is_some_and(|p| id.starts_with(p)))
            .unwrap_or_else(|| panic!("{id} is not shown whole or as a prefix\n{log}"))
            .to_string();
        // The short form names the statement.
        let show = run(env
            .dossier_in(&dir)
            .args(["show", &shown, "--format", "json"]));
        show.ok();
        assert_eq!(show.json()["id"], id, "{shown} does not resolve to {id}");
    }
    assert!(
        log.contains("left out at 80 columns"),
        "dropped columns are named\n{log}"
    );
    let wide = output(&env, &dir, 80, "never", &["--wide", "log", "cis-2030"]);
    for id in ids {
        assert!(wide.contains(id), "--wide shows {id} whole\n{wide}");
    }
    for column in ["outlet", "stage", "princ"] {
        assert!(wide.contains(column), "--wide shows {column}\n{wide}");
    }
}

#[test]
fn tables_at_80_120_and_200_columns() {
    let env = Env::new();
    let dir = multilingual(&env);
    for width in [80, 120, 200] {
        for (name, args) in [
            ("log", &["log", "cis-2030"][..]),
            ("initiatives", &["initiatives"][..]),
            (
                "show-ar",
                &[
                    "show",
                    "2025-01-15-test-speaker-alpha-regional-security-meeting",
                ][..],
            ),
            (
                "diff-ar",
                &["diff", "2025-01-15-test", "2025-07-01", "--sentences"][..],
            ),
            ("diff-ru-en", &["diff", "2025-03-02", "2025-06-30"][..]),
            ("timeline", &["timeline", "cis-2030"][..]),
            ("trace-ar", &["trace", "الأمن"][..]),
        ] {
            let text = output(&env, &dir, width, "never", args);
            insta::assert_snapshot!(format!("{name}-{width}"), text);
        }
    }
}
