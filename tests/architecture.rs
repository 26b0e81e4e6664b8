//! The rules of ARCHITECTURE.md that clippy cannot check, checked here; each check is
//! itself tested on planted violations, so a check that stopped seeing anything fails.
//!
//! clippy.toml's disallowed lists resolve paths, so they hold wherever no `#![allow]`
//! lifts them. What they cannot say is checked here:
//! - that the allows stand only at the top of the owning modules ARCHITECTURE.md names;
//! - which owner uses which outside crate (an allow lifts every list at once, so git/
//!   could use comfy-table unseen by clippy): an outside crate must be named to be used,
//!   so a mention outside its owner is a use;
//! - the dependency direction between our own modules (`use crate::...`, `super::`
//!   paths and brace groups resolved to the module they name);
//! - that no file holds more than about 600 lines of code, tests aside.
// Test and bench code sets up stores, servers and processes: clippy.toml's lists are
// for the library and the binary.
#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use std::path::Path;

/// A source file: its path under `src/` (with `/`) and its text.
struct Source {
    path: String,
    text: String,
}

fn src(path: &str, text: &str) -> Source {
    Source {
        path: path.into(),
        text: text.into(),
    }
}

fn sources() -> Vec<Source> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<Source>) {
        for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(Source {
                    path: path
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                    text: std::fs::read_to_string(&path).unwrap(),
                });
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out.sort_by(|a, b| a.path.cmp(&b.path));
    assert!(out.len() > 40, "found only {} source files", out.len());
    out
}

/// The code of a file without comments, string and char literals (so a crate named in
/// a doc comment or a message is not a use).
fn code(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == '*' && b[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !prev_ident(&b, i) {
            // A raw string: r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && b.get(i + 2) == Some(&'\'') {
            out.push_str("' '");
            i += 3;
        } else if c == '\'' && next == Some('\\') {
            i += 2;
            while i < b.len() && b[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn prev_ident(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

/// Whether (comment-free) code uses the outside crate `name`: a path that starts with it
/// (`git2::Oid`, `::git2::Oid`, not `my_git2::` nor `export::csv`), or a `use` of it
/// (`use git2 as g;`, `use {git2::Oid};`).
fn uses_crate(code: &str, name: &str) -> bool {
    let code = squeeze(code);
    let in_path = code.match_indices(&format!("{name}::")).any(|(i, _)| {
        let before = &code[..i];
        let ident = before.ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let nested = before
            .strip_suffix("::")
            .is_some_and(|b| b.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '>'));
        !ident && !nested
    });
    in_path
        || use_paths(&code)
            .iter()
            .any(|p| p.trim_start_matches("::").split("::").next() == Some(name))
}

// ---------------------------------------------------------------------------------------
// Rule 1: the allows that lift clippy.toml's lists stand only in the owning modules

/// The owning modules: the only files that may lift clippy.toml's lists, each at its top.
const OWNERS: &[&str] = &[
    "commands/editor.rs",
    "fsio.rs",
    "git/mod.rs",
    "main.rs",
    "pager.rs",
    "render/mod.rs",
    "store/mod.rs",
    "tui/terminal.rs",
];

fn misplaced_allows(files: &[Source]) -> Vec<String> {
    let mut out = Vec::new();
    for f in files {
        let code = code(&f.text);
        for (n, line) in code.lines().enumerate() {
            let lifts = line.contains("allow")
                && (line.contains("disallowed_types")
                    || line.contains("disallowed_methods")
                    || line.contains("disallowed_macros"));
            if !lifts {
                continue;
            }
            let at_top = line.trim_start().starts_with("#![")
                && code
                    .lines()
                    .take(n)
                    .all(|l| l.trim().is_empty() || l.trim_start().starts_with("#!["));
            if !OWNERS.contains(&f.path.as_str()) {
                out.push(format!(
                    "{}:{}: lifts clippy.toml's lists but is not an owner in ARCHITECTURE.md",
                    f.path,
                    n + 1
                ));
            } else if !at_top {
                out.push(format!(
                    "{}:{}: an allow of clippy.toml's lists belongs at the top of the module",
                    f.path,
                    n + 1
                ));
            }
        }
    }
    out
}

#[test]
fn clippy_lists_are_lifted_only_at_the_top_of_their_owners() {
    let files = sources();
    let found = misplaced_allows(&files);
    assert!(found.is_empty(), "{found:#?}");
    for owner in OWNERS {
        assert!(
            files.iter().any(|f| f.path == *owner),
            "OWNERS names {owner}, which no longer exists"
        );
    }
}

#[test]
fn planted_allows_are_found() {
    let planted = [
        src(
            "diff/words.rs",
            "//! x\n#![allow(clippy::disallowed_methods)]\n",
        ),
        src(
            "git/mod.rs",
            "//! x\nuse a;\nfn f() {\n    #[allow(clippy::disallowed_types)]\n    let x = 1;\n}\n",
        ),
        src(
            "render/mod.rs",
            "//! x\n#![allow(clippy::disallowed_types, clippy::disallowed_macros)] // ok\n",
        ),
        src(
            "record.rs",
            "// #![allow(clippy::disallowed_types)] a comment\n",
        ),
    ];
    let found = misplaced_allows(&planted);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].starts_with("diff/words.rs:2: "), "{found:#?}");
    assert!(found[1].starts_with("git/mod.rs:4: "), "{found:#?}");
}

// ---------------------------------------------------------------------------------------
// Rule 2: each outside crate where the codemap says

/// An outside crate (as Rust names it) and the folders or files that may use it.
const CRATES: &[(&str, &[&str])] = &[
    ("git2", &["git/"]),
    ("auth_git2", &["git/"]),
    ("serde_saphyr", &["store/codec/"]),
    ("comfy_table", &["render/"]),
    ("indicatif", &["render/"]),
    ("csv", &["render/export.rs"]),
    ("tempfile", &["fsio.rs"]),
    ("rust_stemmers", &["diff/lang/"]),
    ("ratatui", &["tui/"]),
    ("crossterm", &["tui/"]),
    ("signal_hook", &["tui/terminal.rs"]),
];

fn misplaced_crates(files: &[Source]) -> Vec<String> {
    let mut out = Vec::new();
    for f in files {
        let code = code(&f.text);
        for (name, owners) in CRATES {
            if uses_crate(&code, name) && !owners.iter().any(|o| f.path.starts_with(o)) {
                out.push(format!(
                    "{} uses {name}, which belongs to {owners:?}",
                    f.path
                ));
            }
        }
        // Processes: started by the pager and the editor only.
        let spawns = code.contains("process::Command")
            || use_paths(&code)
                .iter()
                .any(|p| p.ends_with("process::Command"));
        if spawns && !["pager.rs", "commands/editor.rs"].contains(&f.path.as_str()) {
            out.push(format!("{} starts processes", f.path));
        }
    }
    out
}

#[test]
fn outside_crates_are_used_by_their_owners_only() {
    let found = misplaced_crates(&sources());
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn planted_crate_uses_are_found() {
    let planted = [
        src("store/mod.rs", "use serde_saphyr as y;\n"),
        src(
            "git/status.rs",
            "fn f() { let t = comfy_table::Table::new(); }\n",
        ),
        src("render/mod.rs", "use indicatif::ProgressBar;\n"),
        src("store/codec/mod.rs", "use serde_saphyr::Spanned;\n"),
        src(
            "diff/mod.rs",
            "/// git2 is not used here\nfn f() { let s = \"git2\"; }\n",
        ),
        src("commands/sync.rs", "use std::process::{Command, Stdio};\n"),
        src("render/diff.rs", "use crate::git2ish::X;\n"),
        src(
            "commands/export.rs",
            "fn f() { render::export::csv(); let my_git2 = 1; }\n",
        ),
        src("analysis/mod.rs", "use {std::io, ::tempfile::Builder};\n"),
    ];
    let found = misplaced_crates(&planted);
    assert_eq!(found.len(), 4, "{found:#?}");
    assert!(found[0].starts_with("store/mod.rs uses serde_saphyr"));
    assert!(found[1].starts_with("git/status.rs uses comfy_table"));
    assert!(found[2].starts_with("commands/sync.rs starts processes"));
    assert!(found[3].starts_with("analysis/mod.rs uses tempfile"));
}

// ---------------------------------------------------------------------------------------
// Rule 3: the dependency direction between our own modules

/// The top-level module a file belongs to (`render` for `render/html/chart.rs`).
fn module_of(path: &str) -> String {
    path.split('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".rs")
        .to_string()
}

/// The module path of a file: `render/html/chart.rs` is `render::html::chart`.
fn module_path(path: &str) -> Vec<String> {
    let mut parts: Vec<String> = path
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_string)
        .collect();
    if parts
        .last()
        .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
    {
        parts.pop();
    }
    parts
}

/// Every path a `use` tree names, braces expanded: `use a::{b, c::{d}}` names `a::b` and
/// `a::c::d`.
fn expand(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    match tree.find('{') {
        None => {
            for part in split_top(tree) {
                let part = part.split(" as ").next().unwrap_or("").trim();
                if !part.is_empty() {
                    out.push(format!("{prefix}{part}"));
                }
            }
        }
        Some(open) => {
            let head = tree[..open].trim();
            let close = tree.rfind('}').unwrap_or(tree.len());
            let inner = &tree[open + 1..close];
            for part in split_top(inner) {
                expand(&part, &format!("{prefix}{head}"), out);
            }
        }
    }
}

/// Splits at the commas that are not inside braces.
fn split_top(s: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth) = (Vec::new(), String::new(), 0);
    for c in s.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// Code on one line with single spaces and no spaces around `::`.
fn squeeze(code: &str) -> String {
    let code: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
    code.replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" ::", "::")
}

/// Every path the `use` declarations of some (comment-free) code name, braces expanded.
fn use_paths(code: &str) -> Vec<String> {
    let code = squeeze(code);
    let mut paths = Vec::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find("use ") {
        let ok = i == 0 || !rest[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let after = &rest[i + 4..];
        let end = after.find(';').unwrap_or(after.len());
        if ok {
            expand(&after[..end], "", &mut paths);
        }
        rest = &after[end.min(after.len())..];
    }
    paths
}

/// The top-level crate modules a file reaches: through `use` trees and through paths
/// written in the code (`crate::git::x`, `super::super::store`), resolved from the file's
/// own module path.
fn reached(path: &str, text: &str) -> Vec<String> {
    let code = squeeze(&code(text));
    let mut paths = use_paths(&code);
    // Paths in expressions and types.
    for (i, _) in code.match_indices("crate::") {
        if i > 0 && code[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let tail: String = code[i..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        paths.push(tail);
    }
    for (i, _) in code.match_indices("super::") {
        if i > 0 && code[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let tail: String = code[i..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        paths.push(tail);
    }
    let here = module_path(path);
    let mut out = Vec::new();
    for p in paths {
        let segs: Vec<&str> = p.split("::").filter(|s| !s.is_empty()).collect();
        let top = match segs.first() {
            Some(&"crate") | Some(&"dossier") => segs.get(1).map(|s| s.to_string()),
            Some(&"super") => {
                let ups = segs.iter().take_while(|s| **s == "super").count();
                // A file's `super` is its parent module; `mod.rs` is the module itself.
                let base = here.len().checked_sub(ups);
                match base {
                    Some(0) => segs.get(ups).map(|s| s.to_string()),
                    Some(_) => here.first().cloned(),
                    None => None,
                }
            }
            Some(&"self") => here.first().cloned(),
            _ => None,
        };
        if let Some(top) = top {
            if top != "self" && !top.is_empty() {
                out.push(top);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// What each module must not reach (ARCHITECTURE.md's dependency direction).
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "record",
        &[
            "store", "git", "diff", "analysis", "render", "commands", "cli", "context", "settings",
            "import",
        ],
    ),
    (
        "escape",
        &[
            "store", "git", "diff", "analysis", "render", "commands", "cli", "context", "settings",
        ],
    ),
    (
        "diff",
        &[
            "store", "git", "analysis", "render", "commands", "cli", "context", "settings",
            "import",
        ],
    ),
    (
        "merge",
        &[
            "store", "git", "analysis", "render", "commands", "cli", "context", "settings",
            "import",
        ],
    ),
    (
        "analysis",
        &[
            "store", "git", "render", "commands", "cli", "context", "settings", "import",
        ],
    ),
    (
        "import",
        &[
            "store", "git", "analysis", "render", "commands", "cli", "context", "settings",
        ],
    ),
    (
        "render",
        &[
            "store", "git", "commands", "cli", "context", "settings", "pager", "fsio",
        ],
    ),
    (
        "git",
        &[
            "store", "diff", "analysis", "render", "commands", "cli", "context", "import",
        ],
    ),
    (
        "fsio",
        &[
            "store", "git", "diff", "analysis", "render", "commands", "cli", "context", "settings",
        ],
    ),
    ("store", &["render", "commands", "cli", "context"]),
    (
        "tui",
        &[
            "store", "git", "commands", "cli", "context", "settings", "pager", "fsio", "import",
        ],
    ),
    (
        "output",
        &[
            "store", "git", "diff", "analysis", "render", "commands", "cli", "context", "settings",
            "record", "import", "fsio",
        ],
    ),
    (
        "dates",
        &[
            "store", "git", "diff", "analysis", "render", "commands", "cli", "context", "settings",
            "record", "import", "fsio",
        ],
    ),
];

/// Exceptions still in the code, each a (file, module) pair to remove as it is fixed; the
/// test fails when one is fixed but still listed, so the list only shrinks.
const NOT_YET: &[(&str, &str)] = &[
    ("render/export.rs", "store"),
    ("render/progress.rs", "git"),
    ("render/records.rs", "git"),
    ("render/records.rs", "store"),
    ("render/settings.rs", "settings"),
    ("render/status.rs", "git"),
];

fn wrong_direction(files: &[Source]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in files {
        let module = module_of(&f.path);
        let Some((_, forbidden)) = FORBIDDEN.iter().find(|(m, _)| *m == module) else {
            continue;
        };
        // Unit tests may build what they need from anywhere.
        let text = f.text.split("#[cfg(test)]").next().unwrap_or("");
        if f.path.ends_with("/tests.rs") || f.path.contains("/tests/") {
            continue; // a module's test file, or a folder of them
        }
        for top in reached(&f.path, text) {
            if forbidden.contains(&top.as_str()) {
                out.push((f.path.clone(), top));
            }
        }
    }
    out
}

#[test]
fn dependencies_point_the_way_architecture_md_says() {
    let found = wrong_direction(&sources());
    let new: Vec<String> = found
        .iter()
        .filter(|(f, m)| !NOT_YET.contains(&(f.as_str(), m.as_str())))
        .map(|(f, m)| format!("{f} reaches crate::{m}"))
        .collect();
    assert!(new.is_empty(), "{new:#?}");
    let fixed: Vec<&(&str, &str)> = NOT_YET
        .iter()
        .filter(|(f, m)| !found.iter().any(|(ff, mm)| ff == f && mm == m))
        .collect();
    assert!(
        fixed.is_empty(),
        "fixed, now remove from NOT_YET: {fixed:?}"
    );
}

#[test]
fn planted_wrong_directions_are_found() {
    let planted = [
        // A brace group, an alias, a path in an expression, and `super` from a sub-module.
        src(
            "render/records.rs",
            "use crate::{escape, git::Revision as R};\n",
        ),
        src(
            "render/html/chart.rs",
            "fn f() { let x = super::super::super::store::X; }\n",
        ),
        src(
            "diff/mod.rs",
            "fn f() -> crate :: store :: Store { todo!() }\n",
        ),
        src("git/mod.rs", "use crate::store::write_atomic;\n"),
        src("analysis/mod.rs", "use super::settings::Setting;\n"),
        // Allowed: a sibling in the same module, the record types, a comment, a test.
        src(
            "render/diff.rs",
            "use super::Style;\nuse crate::record::Statement;\n// crate::git\n",
        ),
        src(
            "diff/items.rs",
            "#[cfg(test)]\nmod tests { use crate::store::codec; }\n",
        ),
    ];
    let found: Vec<String> = wrong_direction(&planted)
        .into_iter()
        .map(|(f, m)| format!("{f} -> {m}"))
        .collect();
    assert_eq!(
        found,
        [
            "render/records.rs -> git",
            "render/html/chart.rs -> store",
            "diff/mod.rs -> store",
            "git/mod.rs -> store",
            "analysis/mod.rs -> settings",
        ]
    );
}

#[test]
fn the_comment_stripper_keeps_code_and_drops_text() {
    let c = code(
        "use a; // git2\nlet s = \"git2\"; let r = r#\"git2\"#; /* git2 */ let c = '\"'; git2::x",
    );
    assert!(!c.contains("git2\""), "{c}");
    assert_eq!(c.matches("git2").count(), 1, "{c}");
}

// ---------------------------------------------------------------------------------------
// Rule 4: a file holds one concern, about 600 lines of code at most (tests aside)

/// Lines of code (not blank, not comments) a source file may hold before its tests.
const MAX_CODE_LINES: usize = 600;

/// The lines of code of a file before its `#[cfg(test)]` module; test files count none.
fn code_lines(f: &Source) -> usize {
    if f.path.ends_with("/tests.rs") || f.path.contains("/tests/") {
        return 0;
    }
    code(&f.text)
        .lines()
        .take_while(|l| l.trim() != "#[cfg(test)]")
        .filter(|l| !l.trim().is_empty())
        .count()
}

fn oversized(files: &[Source]) -> Vec<String> {
    files
        .iter()
        .map(|f| (f, code_lines(f)))
        .filter(|(_, n)| *n > MAX_CODE_LINES)
        .map(|(f, n)| {
            format!(
                "{}: {n} lines of code (at most {MAX_CODE_LINES}, tests aside): split it along its seams",
                f.path
            )
        })
        .collect()
}

#[test]
fn no_file_holds_more_than_600_lines_of_code() {
    let found = oversized(&sources());
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn planted_oversized_files_are_found() {
    let body = |n: usize| "let x = 1;\n".repeat(n);
    let padded = format!(
        "//! x\n{}\n\n// a comment\n/* a\nblock */\n{}",
        body(MAX_CODE_LINES),
        "\n".repeat(50)
    );
    let planted = [
        src("a.rs", &body(MAX_CODE_LINES + 1)),
        src("b.rs", &padded),
        src(
            "c.rs",
            &format!("{}#[cfg(test)]\nmod tests {{\n{}}}\n", body(10), body(900)),
        ),
        src("d/tests.rs", &body(900)),
        src("d/tests/mod.rs", &body(900)),
        src(
            "e/mod.rs",
            &format!("{}\n#[cfg(test)]\n", body(MAX_CODE_LINES + 5)),
        ),
    ];
    let found = oversized(&planted);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].starts_with("a.rs: 601 lines"), "{found:#?}");
    assert!(found[1].starts_with("e/mod.rs: 605 lines"), "{found:#?}");
}
