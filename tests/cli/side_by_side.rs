//! `dossier diff --side-by-side`: the two wordings in two columns aligned by sentence,
//! changes marked in each, fitted to the width, right-to-left text isolated in its own
//! column; the same from git config `dossier.diff.view = side-by-side`; JSON untouched.
//! Pinned with insta at 80 and 160 columns on the made-up multilingual statements.

use std::path::Path;

use unicode_width::UnicodeWidthChar;

use crate::common::{run, Env};
use crate::fit::multilingual;

const ALPHA: &str = "2025-01-15-test-speaker-alpha-regional-security-meeting";
const FOLLOW_UP: &str = "2025-07-01-test-speaker-alpha-follow-up";
const BETA: &str = "2025-03-02-test-speaker-beta-joint-systems-interview";
const GAMMA: &str = "2025-06-30-test-speaker-gamma-adopts-made-up-concept-for-testing";

fn diff(env: &Env, dir: &Path, width: usize, args: &[&str]) -> String {
    let out = run(env
        .dossier_in(dir)
        .env("COLUMNS", width.to_string())
        .args(["--no-pager", "diff"])
        .args(args));
    out.ok();
    out.stdout
}

/// The side-by-side block: from its `before (` header to the end of the wording.
fn block(text: &str) -> Vec<&str> {
    text.lines()
        .skip_while(|l| !l.starts_with("before ("))
        .take_while(|l| !l.is_empty())
        .collect()
}

/// Display columns up to the gutter mark of a side-by-side line, isolates taking none.
fn gutter_at(line: &str) -> Option<(usize, char)> {
    let mut w = 0;
    let chars: Vec<char> = line.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        let around = i > 0 && chars[i - 1] == ' ' && chars.get(i + 1).is_none_or(|n| *n == ' ');
        if around && "│~-+↕".contains(*c) && w > 10 {
            return Some((w, *c));
        }
        w += c.width().unwrap_or(0);
    }
    None
}

#[test]
fn two_columns_aligned_by_sentence_at_80_and_160() {
    let env = Env::new();
    let dir = multilingual(&env);
    for width in [80, 160] {
        let ar = diff(
            &env,
            &dir,
            width,
            &[ALPHA, FOLLOW_UP, "--side-by-side", "--only", "wording"],
        );
        let en = diff(
            &env,
            &dir,
            width,
            &[
                BETA,
                GAMMA,
                "--side-by-side",
                "--only",
                "wording",
                "--lang",
                "en",
            ],
        );
        insta::assert_snapshot!(format!("side_by_side_ar_{width}"), ar);
        insta::assert_snapshot!(format!("side_by_side_en_{width}"), en);
        for text in [&ar, &en] {
            let lines = block(text);
            assert!(lines.len() > 4, "{text}");
            let side = (width - 3) / 2;
            for line in &lines {
                let w: usize = line.chars().map(|c| c.width().unwrap_or(0)).sum();
                assert!(w <= width, "{w} > {width}: {line}");
                // Every line's gutter stands in the same column.
                let (at, _) = gutter_at(line).unwrap_or_else(|| panic!("no gutter: {line:?}"));
                assert_eq!(at, side + 1, "{line:?}");
            }
        }
        // Changes are marked in each column: removed left, added right, reworded both.
        let lines = block(&ar);
        assert!(lines
            .iter()
            .any(|l| gutter_at(l).unwrap().1 == '-' && l.contains("[-")));
        assert!(lines
            .iter()
            .any(|l| gutter_at(l).unwrap().1 == '+' && l.contains("{+")));
        assert!(lines
            .iter()
            .any(|l| gutter_at(l).unwrap().1 == '~' && l.contains("{+ودائم+}")));
        // Arabic stays in its column: each side's text in its own isolate.
        for line in lines.iter().filter(|l| l.contains('ق')) {
            let (left, right) = line.split_at(line.find(" ~ ").or(line.find(" │ ")).unwrap_or(0));
            for part in [left, right] {
                if part.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
                    assert!(
                        part.contains('\u{2068}') && part.contains('\u{2069}'),
                        "{line:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn git_config_chooses_the_view_and_flags_win() {
    let env = Env::new();
    let dir = multilingual(&env);
    let args = [ALPHA, FOLLOW_UP, "--only", "wording"];
    let flag = diff(&env, &dir, 100, &[&args[..], &["--side-by-side"]].concat());
    let inline = diff(&env, &dir, 100, &args);
    assert_ne!(flag, inline);
    assert!(!inline.contains("before ("), "{inline}");
    env.git(&dir, &["config", "dossier.diff.view", "side-by-side"]);
    assert_eq!(diff(&env, &dir, 100, &args), flag);
    assert_eq!(
        diff(&env, &dir, 100, &[&args[..], &["--inline"]].concat()),
        inline
    );
    // JSON is data: the view changes nothing in it.
    let json = diff(&env, &dir, 100, &[ALPHA, FOLLOW_UP, "--format", "json"]);
    assert!(!json.contains("\"sentences\""), "{json}");
    let config = run(env.dossier_in(&dir).args(["config"]));
    config.ok();
    assert!(
        config.stdout.contains("diff.view") && config.stdout.contains("side-by-side"),
        "{config}"
    );
    env.git(&dir, &["config", "dossier.diff.view", "columns"]);
    assert_eq!(diff(&env, &dir, 100, &args), inline);
    let config = run(env.dossier_in(&dir).args(["config"]));
    assert!(config.stdout.contains("columns"), "{config}");
}

#[test]
fn side_by_side_in_markdown_is_a_table_of_sentence_pairs() {
    let env = Env::new();
    let dir = multilingual(&env);
    let md = diff(
        &env,
        &dir,
        80,
        &[
            ALPHA,
            FOLLOW_UP,
            "--side-by-side",
            "--format",
            "markdown",
            "--only",
            "wording",
        ],
    );
    insta::assert_snapshot!("side_by_side_markdown_ar", md);
    let table: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("| change | before ("))
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert!(table.len() > 3, "no side-by-side table\n{md}");
    assert_eq!(table[1], "|---|---|---|", "{md}");
    // Every row has three cells; the width of the terminal does not cut them.
    for row in table.iter().skip(2) {
        let cells = row.replace("\\|", "").matches('|').count();
        assert_eq!(cells, 4, "{row}");
    }
    assert_eq!(
        md,
        diff(
            &env,
            &dir,
            200,
            &[
                ALPHA,
                FOLLOW_UP,
                "--side-by-side",
                "--format",
                "markdown",
                "--only",
                "wording"
            ]
        ),
        "Markdown does not depend on the terminal's width"
    );
    // Removed left, added right, reworded with its marks on each side.
    assert!(
        table.iter().any(|r| r.starts_with("| removed | [-")),
        "{md}"
    );
    assert!(
        table.iter().any(|r| r.starts_with("| added |  | {+")),
        "{md}"
    );
    assert!(
        table
            .iter()
            .any(|r| r.starts_with("| reworded | ") && r.contains("{+ودائم+}")),
        "{md}"
    );
    // Not the inline view: no sentence appears twice in one cell.
    let inline = diff(
        &env,
        &dir,
        80,
        &[
            ALPHA, FOLLOW_UP, "--format", "markdown", "--only", "wording",
        ],
    );
    assert!(!inline.contains("| change | before ("), "{inline}");
}
