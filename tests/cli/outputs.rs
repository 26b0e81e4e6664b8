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
