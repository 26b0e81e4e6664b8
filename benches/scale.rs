//! Whole-command benchmark on a large generated store: each dossier command timed side by
//! side with what a user would otherwise run (`cat`, `grep -ri`, `rg -i`, `git log --
//! PATH`, `git clone`), the two alternating run by run, then the medians, their ratio and
//! the peak memory of each side.
//!
//! `cargo bench --bench scale`, with:
//! - `DOSSIER_SCALE_N` statements (default 10000);
//! - `DOSSIER_SCALE_SHAPE` `short` (default) or `long` (see `benches/gen`);
//! - `DOSSIER_SCALE_RUNS` timed runs of each side (default 5, after one warm-up pair);
//! - `DOSSIER_SCALE_DIR` where the store is generated once and then reused;
//! - `DOSSIER_SCALE_ROWS` a comma-separated list of row names to run (default all);
//! - `DOSSIER_SCALE_GENERATE_ONLY=1` to stop once the store exists.
//!
//! Prints a Markdown table for docs/benchmarks.md, each row with the commands it timed.
// Test and bench code sets up stores, servers and processes: clippy.toml's lists are
// for the library and the binary.
#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

#[path = "gen/mod.rs"]
mod gen;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn env_usize(key: &str, default: usize) -> usize {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn dossier_bin() -> PathBuf {
    // Built here so the timings are of the sources as they are (a no-op when fresh).
    let ok = Command::new("cargo")
        .args(["build", "--release", "--locked", "--bin", "dossier"])
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    assert!(ok, "could not build the dossier binary");
    let exe = std::env::current_exe().expect("bench path");
    let dir = exe.parent().and_then(Path::parent).expect("target dir");
    dir.join("dossier")
}

fn sh(dir: &Path, script: &str) -> Command {
    let mut c = Command::new("sh");
    c.arg("-c")
        .arg(script)
        .current_dir(dir)
        .env("COLUMNS", "120")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// Runs `script` once (after `setup`, untimed); its wall time.
fn run_once(dir: &Path, setup: Option<&str>, script: &str) -> Duration {
    if let Some(s) = setup {
        let ok = sh(dir, s).status().map(|s| s.success()).unwrap_or(false);
        assert!(ok, "setup failed: {s}");
    }
    let start = Instant::now();
    let status = sh(dir, script).status().expect("sh runs");
    let took = start.elapsed();
    assert!(
        status.success() || status.code() == Some(1),
        "failed: {script}"
    );
    took
}

/// Peak resident memory (KiB) of one run of `script`, through GNU time.
fn peak_kib(dir: &Path, setup: Option<&str>, script: &str) -> Option<u64> {
    if let Some(s) = setup {
        sh(dir, s).status().ok()?;
    }
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M", "sh", "-c", script])
        .current_dir(dir)
        .stdout(Stdio::null())
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// One row: our command against theirs, each with an optional untimed setup.
struct Row {
    name: &'static str,
    what: String,
    ours: String,
    ours_setup: Option<String>,
    theirs: String,
    theirs_setup: Option<String>,
    goal: &'static str,
}

fn ms(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 10_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else {
        format!("{ms:.1} ms")
    }
}

fn main() {
    let n = env_usize("DOSSIER_SCALE_N", 10_000);
    let runs = env_usize("DOSSIER_SCALE_RUNS", 5).max(1);
    let shape = match std::env::var("DOSSIER_SCALE_SHAPE").as_deref() {
        Ok("long") => gen::Shape::Long,
        _ => gen::Shape::Short,
    };
    let only: Option<Vec<String>> = std::env::var("DOSSIER_SCALE_ROWS")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let keep = std::env::var_os("DOSSIER_SCALE_DIR").map(PathBuf::from);
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = keep.clone().unwrap_or_else(|| tmp.path().join("store"));
    let bin = dossier_bin();
    let bin = bin.to_string_lossy().to_string();

    if !dir.join("dossier.yaml").exists() {
        let start = Instant::now();
        gen::generate_shaped(&dir, n, 100, 42, shape).expect("generate the store");
        eprintln!(
            "generated {n} statements in {:.1} s",
            start.elapsed().as_secs_f64()
        );
        add_big_pair(&dir, &bin);
        for args in [
            &["gc", "-q"][..],
            &["commit-graph", "write", "--reachable", "--changed-paths"][..],
        ] {
            Command::new("git")
                .args(args)
                .current_dir(&dir)
                .status()
                .expect("git");
        }
        eprintln!("store ready after {:.1} s", start.elapsed().as_secs_f64());
    }
    if std::env::var_os("DOSSIER_SCALE_GENERATE_ONLY").is_some() {
        return;
    }

    let records: u64 = walk_yaml(&dir)
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    let some_ref = {
        let out = Command::new("git")
            .args(["log", "-1", "--format=%s", "--", "initiative-050"])
            .current_dir(&dir)
            .output()
            .expect("git");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .trim_start_matches("record ")
            .to_string()
    };
    let (ini, id) = some_ref
        .split_once('/')
        .expect("a record in initiative-050");
    let some_path = format!("{ini}/statements/{id}.yaml");
    let clone = dir.with_extension("clone");
    let clone_s = clone.to_string_lossy().to_string();
    let dir_s = dir.to_string_lossy().to_string();
    let cat = "find . -path ./.git -prune -o -name '*.yaml' -print0 | xargs -0 cat > /dev/null";
    let cat_in = |d: &str| {
        format!(
            "find {d} -path {d}/.git -prune -o -name '*.yaml' -print0 | xargs -0 cat > /dev/null"
        )
    };
    let fresh_clone = format!("rm -rf {clone_s} && git clone -q {dir_s} {clone_s}");
    let rare = gen::RARE_PHRASE;
    let common = gen::COMMON_WORD;

    let mut rows = vec![
        Row {
            name: "log",
            what: "`log --format json`, whole store".into(),
            ours: format!("{bin} log --format json > /dev/null"),
            ours_setup: None,
            theirs: cat.into(),
            theirs_setup: None,
            goal: "≤ 3×",
        },
        Row {
            name: "log-table",
            what: "`log`, whole store, as a table".into(),
            ours: format!("{bin} --no-pager log > /dev/null"),
            ours_setup: None,
            theirs: cat.into(),
            theirs_setup: None,
            goal: "≤ 3×",
        },
        Row {
            name: "export",
            what: "`export --format csv`, whole store".into(),
            ours: format!("{bin} export --format csv > /dev/null"),
            ours_setup: None,
            theirs: cat.into(),
            theirs_setup: None,
            goal: "≤ 3×",
        },
        Row {
            name: "check",
            what: "`check`".into(),
            ours: format!("{bin} check > /dev/null"),
            ours_setup: None,
            theirs: cat.into(),
            theirs_setup: None,
            goal: "≤ 2×",
        },
        Row {
            name: "check-cold",
            what: "`check`, no derived data (`.git/dossier` removed)".into(),
            ours: format!("{bin} check > /dev/null"),
            ours_setup: Some("rm -rf .git/dossier".into()),
            theirs: cat.into(),
            theirs_setup: None,
            goal: "≤ 2×",
        },
        Row {
            name: "trace-rare",
            what: format!("`trace \"{rare}\" --format json` (1 record in 1,000)"),
            ours: format!("{bin} trace '{rare}' --format json > /dev/null"),
            ours_setup: None,
            theirs: format!("rg -i '{rare}' . > /dev/null"),
            theirs_setup: None,
            goal: "≤ 2×",
        },
        Row {
            name: "trace-common",
            what: format!("`trace {common} --format json` (every third record)"),
            ours: format!("{bin} trace {common} --format json > /dev/null"),
            ours_setup: None,
            theirs: format!("rg -i {common} . > /dev/null"),
            theirs_setup: None,
            goal: "≤ 3×",
        },
        Row {
            name: "trace-grep",
            what: format!("`trace {common} --format json` against grep"),
            ours: format!("{bin} trace {common} --format json > /dev/null"),
            ours_setup: None,
            theirs: format!("grep -ri --exclude-dir=.git {common} . > /dev/null"),
            theirs_setup: None,
            goal: "≤ 2×",
        },
        Row {
            name: "history",
            what: "`history REF` (warm)".into(),
            ours: format!("{bin} history {some_ref} --format json > /dev/null"),
            ours_setup: None,
            theirs: format!("git log --format=%H -- {some_path} > /dev/null"),
            theirs_setup: None,
            goal: "≤ 1×",
        },
        Row {
            name: "diff",
            what: "`diff` of two 50k-word statements (`--only wording --format json`)".into(),
            ours: format!("{bin} diff initiative-001/2030-01-01-big-a initiative-001/2030-01-02-big-b --only wording --format json > /dev/null"),
            ours_setup: None,
            theirs: "git diff --no-index --word-diff=porcelain old.txt new.txt > /dev/null; true".into(),
            theirs_setup: None,
            goal: "≤ 1×",
        },
        Row {
            name: "timeline",
            what: "`timeline` (200 statements) against `log` of the same initiative".into(),
            ours: format!("{bin} timeline initiative-000 --format json > /dev/null"),
            ours_setup: None,
            theirs: format!("{bin} log initiative-000 --format json > /dev/null"),
            theirs_setup: None,
            goal: "≤ 3×",
        },
        Row {
            name: "report",
            what: "`report` of a 200-statement initiative against `cat` of its records".into(),
            ours: format!("{bin} report initiative-000 -o /tmp/dossier-bench-report.html > /dev/null"),
            ours_setup: None,
            theirs: "cat initiative-000/statements/*.yaml > /dev/null".into(),
            theirs_setup: None,
            goal: "< 1 s",
        },
        Row {
            name: "clone",
            what: "`dossier clone` (path) against `git clone` (path)".into(),
            ours: format!("{bin} clone {dir_s} {clone_s} > /dev/null"),
            ours_setup: Some(format!("rm -rf {clone_s}")),
            theirs: format!("git clone -q {dir_s} {clone_s}"),
            theirs_setup: Some(format!("rm -rf {clone_s}")),
            goal: "≤ 2× + check",
        },
        Row {
            name: "first-log",
            what: "first `log --format json` in a fresh `git clone`".into(),
            ours: format!("{bin} --store {clone_s} log --format json > /dev/null"),
            ours_setup: Some(fresh_clone.clone()),
            theirs: cat_in(&clone_s),
            theirs_setup: None,
            goal: "≤ 3×",
        },
        Row {
            name: "first-history",
            what: "first `history REF` in a fresh `git clone`".into(),
            ours: format!("{bin} --store {clone_s} history {some_ref} --format json > /dev/null"),
            ours_setup: Some(fresh_clone.clone()),
            theirs: format!("git -C {clone_s} log --format=%H -- {some_path} > /dev/null"),
            theirs_setup: None,
            goal: "≤ 10×",
        },
    ];
    if let Some(only) = &only {
        rows.retain(|r| only.iter().any(|o| o == r.name));
    }

    println!(
        "Store: {n} statements ({shape:?} shape) + 2 of 50,000 words in 100 initiatives, \
         {} MiB of records; medians of {runs} alternating runs after a warm-up pair.\n",
        records / (1024 * 1024)
    );
    println!(
        "| row | dossier | other | ratio | goal | peak MiB, dossier | peak MiB, other | commands |"
    );
    println!("|---|---:|---:|---:|---|---:|---:|---|");
    for row in &rows {
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        for i in 0..=runs {
            let a = run_once(&dir, row.ours_setup.as_deref(), &row.ours);
            let b = run_once(&dir, row.theirs_setup.as_deref(), &row.theirs);
            if i > 0 {
                ours.push(a);
                theirs.push(b);
            }
        }
        let (ours, theirs) = (median(ours), median(theirs));
        let peak = |setup: &Option<String>, script: &str| {
            peak_kib(&dir, setup.as_deref(), script)
                .map_or("?".to_string(), |k| format!("{:.1}", k as f64 / 1024.0))
        };
        let p_ours = peak(&row.ours_setup, &row.ours);
        let p_theirs = peak(&row.theirs_setup, &row.theirs);
        let shown = |s: &str| s.replace(&bin, "dossier").replace(" > /dev/null", "");
        println!(
            "| {} | {} | {} | {:.2}× | {} | {p_ours} | {p_theirs} | `{}` vs `{}` |",
            row.what,
            ms(ours),
            ms(theirs),
            ours.as_secs_f64() / theirs.as_secs_f64(),
            row.goal,
            shown(&row.ours),
            shown(&row.theirs),
        );
    }

    // Writes last: they add records to the store (ids unique to this run).
    if only
        .as_ref()
        .is_none_or(|o| o.iter().any(|r| r == "record"))
    {
        let nonce = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        for i in 0..=runs {
            let a = run_once(&dir, None, &format!("{bin} record initiative-002 --date 2031-01-01 --id 2031-01-01-bench-ours-{nonce}-{i} --lang en --summary s"));
            let b = run_once(&dir, None, &format!(
                "f=initiative-002/statements/2031-01-02-bench-git-{nonce}-{i}.yaml; \
                 printf 'id: 2031-01-02-bench-git-{nonce}-{i}\\ninitiative: initiative-002\\ndate: \"2031-01-02\"\\nlanguage: en\\nsummary: s\\n' > $f \
                 && git add $f && git commit -q -m 'record initiative-002/2031-01-02-bench-git-{nonce}-{i}'"
            ));
            if i > 0 {
                ours.push(a);
                theirs.push(b);
            }
        }
        let (ours, theirs) = (median(ours), median(theirs));
        println!(
            "| `record` one statement | {} | {} | {:.2}× | ≤ 1× | | | `dossier record initiative-002 ...` vs `git add FILE && git commit` |",
            ms(ours),
            ms(theirs),
            ours.as_secs_f64() / theirs.as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&clone);
}

/// Two ~50,000-word statements for the diff row (and their texts for git's side).
fn add_big_pair(dir: &Path, bin: &str) {
    let mut rng = gen::Rng::new(7);
    let base = gen::text(
        &mut rng,
        &[
            "alpha",
            "beta",
            "gamma",
            "delta",
            "безопасность",
            "الأمن",
            "cooperation",
        ],
        50_000,
    );
    let mut changed = base.clone();
    for (k, w) in [
        ("alpha beta", "beta alpha"),
        ("gamma delta", "delta gamma gamma"),
    ] {
        changed = changed.replacen(k, w, 40);
    }
    std::fs::write(dir.join("old.txt"), &base).expect("write");
    std::fs::write(dir.join("new.txt"), &changed).expect("write");
    for (id, file) in [
        ("2030-01-01-big-a", "old.txt"),
        ("2030-01-02-big-b", "new.txt"),
    ] {
        let ok = Command::new(bin)
            .args([
                "record",
                "initiative-001",
                "--date",
                &id[..10],
                "--id",
                id,
                "--lang",
                "en",
                "--text-file",
                file,
            ])
            .current_dir(dir)
            .stdout(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "record {id}");
    }
}

fn walk_yaml(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml") {
                out.push(p);
            }
        }
    }
    out
}
