//! Whole-command benchmark on a large generated store: each dossier command timed side by
//! side, in one run, with what a user would otherwise run (`cat`, `grep`, `git`).
//!
//! `cargo bench --bench scale` (env: `DOSSIER_SCALE_N`, default 10000; `DOSSIER_SCALE_RUNS`,
//! default 7; `DOSSIER_SCALE_DIR` keeps the store there). Prints a Markdown table of
//! medians and ratios for docs/benchmarks.md.
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

/// Runs `sh -c script(i)` in `dir` `runs` times (after one warm-up); the median wall time.
fn time_each(dir: &Path, runs: usize, script: &dyn Fn(usize) -> String) -> Duration {
    let mut times = Vec::with_capacity(runs);
    for i in 0..=runs {
        let script = script(i);
        let start = Instant::now();
        let status = Command::new("sh")
            .arg("-c")
            .arg(&script)
            .current_dir(dir)
            .env("COLUMNS", "120")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("sh runs");
        let took = start.elapsed();
        assert!(
            status.success() || status.code() == Some(1),
            "failed: {script}"
        );
        if i > 0 {
            times.push(took);
        }
    }
    times.sort();
    times[times.len() / 2]
}

/// [`time_each`] for a script that is the same every run.
fn time(dir: &Path, script: &str, runs: usize) -> Duration {
    time_each(dir, runs, &|_| script.to_string())
}

/// Peak resident memory (KiB) of one run, through GNU time.
fn peak_kib(dir: &Path, cmd: &[&str]) -> Option<u64> {
    let out = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .args(cmd)
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

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let n = env_usize("DOSSIER_SCALE_N", 10_000);
    let runs = env_usize("DOSSIER_SCALE_RUNS", 7);
    let keep = std::env::var_os("DOSSIER_SCALE_DIR").map(PathBuf::from);
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = keep.clone().unwrap_or_else(|| tmp.path().join("store"));
    let bin = dossier_bin();
    let bin = bin.to_string_lossy().to_string();

    if !dir.join("dossier.yaml").exists() {
        let start = Instant::now();
        gen::generate(&dir, n, 100, 42).expect("generate the store");
        eprintln!(
            "generated {n} statements in {:.1} s",
            start.elapsed().as_secs_f64()
        );
        // Two ~50,000-word statements for the diff row, and the git baselines' indexes.
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
            let ok = Command::new(&bin)
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
                .current_dir(&dir)
                .stdout(Stdio::null())
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            assert!(ok, "record {id}");
        }
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
    }

    let records: u64 = walk_yaml(&dir)
        .iter()
        .map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .sum();
    let cat = "find . -path ./.git -prune -o -name '*.yaml' -print0 | xargs -0 cat > /dev/null";
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
    let some_path = format!(
        "{}/statements/{}.yaml",
        &some_ref[..some_ref.find('/').unwrap_or(0)],
        &some_ref[some_ref.find('/').map_or(0, |i| i + 1)..]
    );

    let mut rows: Vec<(String, String, Duration, Duration, &str)> = Vec::new();
    let mut row =
        |what: &str, against: &str, ours: Duration, theirs: Duration, goal: &'static str| {
            rows.push((what.to_string(), against.to_string(), ours, theirs, goal));
        };

    let t_cat = time(&dir, cat, runs);
    row(
        "`log` (whole store)",
        "`cat` of every record",
        time(&dir, &format!("{bin} log --format json"), runs),
        t_cat,
        "≤ 3×",
    );
    row(
        "`check`",
        "`cat` of every record",
        time(&dir, &format!("{bin} check"), runs),
        t_cat,
        "≤ 5×",
    );
    let has_trace = Command::new(&bin)
        .args(["trace", "--help"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if has_trace {
        row(
            "`trace cooperation`",
            "`grep -ri cooperation .`",
            time(
                &dir,
                &format!("{bin} trace cooperation --format json"),
                runs,
            ),
            time(
                &dir,
                "grep -ri --exclude-dir=.git cooperation . > /dev/null",
                runs,
            ),
            "≤ 2×",
        );
    }
    row(
        "`history REF`",
        "`git log --format=%H -- PATH` (commit-graph)",
        time(
            &dir,
            &format!("{bin} history {some_ref} --format json"),
            runs,
        ),
        time(
            &dir,
            &format!("git log --format=%H -- {some_path} > /dev/null"),
            runs,
        ),
        "≤ 1×",
    );
    row("`diff` of two 50k-word statements", "`git diff --no-index --word-diff=porcelain`", time(&dir, &format!("{bin} diff initiative-001/2030-01-01-big-a initiative-001/2030-01-02-big-b --only wording --format json"), runs), time(&dir, "git diff --no-index --word-diff=porcelain old.txt new.txt > /dev/null; true", runs), "≤ 1×");
    let has_timeline = Command::new(&bin)
        .args(["timeline", "--help"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    if has_timeline {
        row(
            "`timeline` (200 statements)",
            "`log` of the same initiative",
            time(
                &dir,
                &format!("{bin} timeline initiative-000 --format json"),
                runs,
            ),
            time(
                &dir,
                &format!("{bin} log initiative-000 --format json"),
                runs,
            ),
            "≤ 3×",
        );
    }

    // Writes last: they add records to the store (ids unique to this run).
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let ours_record = time_each(&dir, runs, &|i| {
        format!("{bin} record initiative-002 --date 2031-01-01 --id 2031-01-01-bench-ours-{nonce}-{i} --lang en --summary s")
    });
    let theirs_record = time_each(&dir, runs, &|i| {
        format!(
            "f=initiative-002/statements/2031-01-02-bench-git-{nonce}-{i}.yaml; \
             printf 'id: 2031-01-02-bench-git-{nonce}-{i}\\ninitiative: initiative-002\\ndate: \"2031-01-02\"\\nlanguage: en\\nsummary: s\\n' > $f \
             && git add $f && git commit -q -m 'record initiative-002/2031-01-02-bench-git-{nonce}-{i}'"
        )
    });
    row(
        "`record` one statement (10k-commit repo)",
        "`git add FILE && git commit`",
        ours_record,
        theirs_record,
        "≤ 1×",
    );
    println!("Store: {n} statements + 2 of 50,000 words in 100 initiatives, {} MiB of records; medians of {runs} runs.\n", records / (1024 * 1024));
    println!("| dossier | against | dossier | other | ratio | goal |");
    println!("|---|---|---|---|---|---|");
    for (what, against, ours, theirs, goal) in &rows {
        println!(
            "| {what} | {against} | {} | {} | {:.2}× | {goal} |",
            ms(*ours),
            ms(*theirs),
            ours.as_secs_f64() / theirs.as_secs_f64()
        );
    }
    for (name, args) in [
        ("log", vec!["log", "--format", "json"]),
        ("check", vec!["check"]),
    ] {
        let mut cmd = vec![bin.as_str()];
        cmd.extend(args);
        if let Some(kib) = peak_kib(&dir, &cmd) {
            println!(
                "\nPeak memory of `{name}`: {:.1} MiB for {:.1} MiB of records ({:.2}×).",
                kib as f64 / 1024.0,
                records as f64 / 1048576.0,
                kib as f64 * 1024.0 / records as f64
            );
        }
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
