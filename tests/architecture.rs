//! The rules of ARCHITECTURE.md, checked: each outside crate is used where the codemap
//! says, and nothing but the renderers writes to the terminal.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source files (relative to `src/`, with `/`) whose code mentions `needle`, comments
/// and doc comments aside.
fn users(needle: &str) -> Vec<String> {
    users_where(|line| line.contains(needle))
}

fn users_where(matches: impl Fn(&str) -> bool) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let mut out: Vec<String> = files
        .iter()
        .filter(|f| {
            std::fs::read_to_string(f)
                .unwrap_or_default()
                .lines()
                .map(str::trim_start)
                .filter(|l| !l.starts_with("//"))
                .any(&matches)
        })
        .map(|f| {
            f.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    out.sort();
    out
}

#[test]
fn only_the_git_module_uses_git2() {
    for f in users("git2::") {
        assert!(f.starts_with("git/"), "{f} uses git2 outside src/git");
    }
}

#[test]
fn only_the_codec_uses_yaml() {
    for f in users("serde_saphyr") {
        assert!(
            f.starts_with("store/codec/"),
            "{f} uses serde-saphyr outside store/codec"
        );
    }
}

#[test]
fn only_the_renderers_use_comfy_table_and_indicatif() {
    for crate_name in ["comfy_table", "indicatif"] {
        for f in users(crate_name) {
            assert!(
                f.starts_with("render/"),
                "{f} uses {crate_name} outside src/render"
            );
        }
    }
}

#[test]
fn nothing_prints_to_stdout_but_through_the_writer_it_is_given() {
    // Status lines for people go to stderr (`eprintln!`), which is allowed.
    let printers = users_where(|line| {
        line.match_indices("print").any(|(i, _)| {
            let before = line[..i].chars().last();
            let after = &line[i + "print".len()..];
            before != Some('e') && (after.starts_with("ln!") || after.starts_with('!'))
        })
    });
    assert!(printers.is_empty(), "println!/print! in {printers:?}");
}

#[test]
fn the_pure_modules_do_no_io() {
    for f in users("std::fs").into_iter().chain(users("std::process")) {
        for pure in ["diff/", "analysis/", "record.rs", "import/", "escape.rs"] {
            assert!(!f.starts_with(pure), "{f} does I/O but is meant to be pure");
        }
    }
}

#[test]
fn only_the_language_layer_stems() {
    for f in users("rust_stemmers") {
        assert!(
            f.starts_with("diff/lang/"),
            "{f} stems outside src/diff/lang"
        );
    }
}
