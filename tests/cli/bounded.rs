//! Bounded cost and derived data verified: whatever a colleague can push (a huge list, a
//! FIFO or an oversized source document, an unreadable record, a forged cache entry, a
//! reference that climbs out of the store) is refused or skipped with a clear message,
//! within seconds, and never believed.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{dossier, run, Env};

/// A record with `n` priorities, written as a file (as plain git would bring it).
fn write_many_priorities(store: &Path, id: &str, n: usize) {
    let mut yaml = format!(
        "id: {id}\ninitiative: cis-2030\ndate: \"{}\"\nlanguage: en\nsummary: Many.\npriorities:\n",
        &id[..10]
    );
    for i in 0..n {
        yaml.push_str(&format!("  - text: Priority number {i} of the plan\n"));
    }
    std::fs::write(store.join(format!("cis-2030/statements/{id}.yaml")), yaml).unwrap();
}

#[test]
fn two_records_of_100000_priorities_are_refused_in_seconds_and_the_rest_still_reads() {
    let env = Env::new();
    let store = env.store("s");
    let good = env.record(&store, "2025-01-01", "Good Source", &["Air defence"]);
    write_many_priorities(&store, "2025-02-01-many-a", 100_000);
    write_many_priorities(&store, "2025-02-02-many-b", 100_000);
    let mut slowest = Duration::ZERO;
    for args in [
        vec!["diff", "2025-02-01-many-a", "2025-02-02-many-b"],
        vec!["timeline", "cis-2030"],
        vec!["log", "cis-2030"],
        vec!["export", "--format", "json"],
        vec!["report", "cis-2030", "-o", "report.html"],
    ] {
        let start = Instant::now();
        let out = dossier(&env, &store, &args);
        slowest = slowest.max(start.elapsed());
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{args:?} took {:?}",
            start.elapsed()
        );
        assert!(
            out.stderr.contains("larger than the cap"),
            "{args:?}: no clear message\n{out}"
        );
        if args[0] == "diff" {
            out.failed();
        } else {
            out.ok();
            assert!(
                out.stderr.contains("2025-02-01-many-a.yaml"),
                "{args:?}: the skipped record is not named\n{out}"
            );
        }
    }
    let log = dossier(&env, &store, &["log", "--format", "json"]);
    assert!(
        log.stdout.contains(good.split('/').nth(1).unwrap()),
        "{log}"
    );
    eprintln!("100,000-priority records: 5 commands, the slowest {slowest:?}");
    // Under the byte cap, the list cap: 2,500 short priorities.
    write_many_priorities(&store, "2025-03-01-many-c", 2_500);
    let out = dossier(&env, &store, &["diff", "2025-03-01-many-c", &good]);
    out.failed();
    assert!(out.stderr.contains("at most 2000"), "{out}");
    assert!(out.stderr.contains("priorities"), "{out}");
}

#[test]
fn one_invalid_record_never_breaks_log_timeline_report_or_export() {
    let env = Env::new();
    let store = env.store("s");
    let good = env.record(&store, "2025-01-01", "Good Source", &["Air defence"]);
    std::fs::write(
        store.join("cis-2030/statements/2025-02-01-broken.yaml"),
        "id: 2025-02-01-broken\ninitiative: cis-2030\ndate: [not a date\n",
    )
    .unwrap();
    for args in [
        vec!["log", "cis-2030"],
        vec!["timeline", "cis-2030"],
        vec!["export", "--format", "csv"],
        vec!["report", "cis-2030", "-o", "r.html"],
    ] {
        let out = dossier(&env, &store, &args);
        out.ok();
        assert!(
            out.stderr.contains("2025-02-01-broken.yaml:"),
            "{args:?}: the bad record is not located\n{out}"
        );
    }
    let log = dossier(&env, &store, &["log", "--format", "json"]);
    assert!(log.stdout.contains(good.split('/').nth(1).unwrap()));
    // `check` still reports it, and fails.
    dossier(&env, &store, &["check"]).failed();
}

#[test]
fn a_fifo_or_an_oversized_source_document_is_refused_at_once() {
    let env = Env::new();
    let store = env.store("s");
    let fifo = env.path("pipe.txt");
    let st = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(st.success());
    let big = env.path("big.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(65 * 1024 * 1024)
        .unwrap();
    let link = env.path("link.txt");
    std::os::unix::fs::symlink("/etc/hostname", &link).unwrap();
    let mut refused = 0;
    for (doc, needle) in [
        (&fifo, "FIFO"),
        (&big, "over the cap"),
        (&link, "symbolic link"),
    ] {
        let before = env.snapshot(&store, &store);
        let start = Instant::now();
        let out = run(env.dossier_in(&store).args([
            "record",
            "cis-2030",
            "--date",
            "2025-01-01",
            "--speaker",
            "Some One",
            "--lang",
            "en",
            "--summary",
            "x",
            "--source-document",
            doc.to_str().unwrap(),
        ]));
        out.refused_with(&[needle]);
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
        env.assert_unchanged(&store, &store, &before, needle);
        refused += 1;
    }
    eprintln!("source documents: {refused} refused (FIFO, 65 MiB, symbolic link)");
}

#[test]
fn a_reference_that_leaves_the_store_is_refused() {
    let env = Env::new();
    let store = env.store("s");
    // A record-shaped file just outside the store, where `../x` would lead.
    std::fs::create_dir_all(env.path("statements")).unwrap();
    std::fs::write(
        env.path("statements/x.yaml"),
        "id: 2025-01-01-x\ninitiative: cis-2030\ndate: \"2025-01-01\"\nlanguage: en\nsummary: OUTSIDE THE STORE\n",
    )
    .unwrap();
    for reference in [
        "../x",
        "cis-2030/../../x",
        "/etc/passwd",
        "../../../etc/passwd",
    ] {
        for cmd in ["show", "history", "edit"] {
            let out = dossier(&env, &store, &[cmd, reference]);
            out.refused_with(&["not a statement of this store"]);
            assert!(!out.stdout.contains("OUTSIDE"), "{cmd} {reference}\n{out}");
        }
    }
}

#[test]
fn a_record_that_would_not_read_back_is_never_written() {
    let env = Env::new();
    let store = env.store("s");
    let before = env.snapshot(&store, &store);
    let out = dossier(
        &env,
        &store,
        &[
            "record",
            "cis-2030",
            "--date",
            "2025-01-01",
            "--speaker",
            "Some One",
            "--lang",
            "en",
            "--summary",
            "bad \u{FFFE} char",
        ],
    );
    out.refused_with(&["read back"]);
    assert_eq!(out.code, 1, "{out}");
    env.assert_unchanged(&store, &store, &before, "U+FFFE");
}

#[test]
fn a_forged_cache_entry_is_not_believed() {
    let env = Env::new();
    let store = env.store("s");
    let r = env.record(&store, "2025-01-01", "Real Source", &["Air defence"]);
    dossier(&env, &store, &["log"]).ok(); // fills the cache
    let id = r.split('/').nth(1).unwrap();
    let blob = env
        .git(
            &store,
            &["rev-parse", &format!("HEAD:cis-2030/statements/{id}.yaml")],
        )
        .trim()
        .to_string();
    // Every cache file is replaced by one that claims to be another blob's statement.
    let cache = store.join(".git/dossier/cache");
    let mut forged = 0;
    let mut stack = vec![cache.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json")
                && p.to_string_lossy().contains(&blob[2..])
            {
                let text = std::fs::read_to_string(&p).unwrap();
                let text = text
                    .replace("Real Source", "Forged Source")
                    .replace(&blob, &"0".repeat(40));
                std::fs::write(&p, text).unwrap();
                forged += 1;
            }
        }
    }
    assert!(forged > 0, "no cache entry found under {}", cache.display());
    let out = dossier(&env, &store, &["show", &r, "--format", "json"]);
    out.ok();
    assert!(out.stdout.contains("Real Source"), "{out}");
    assert!(
        !out.stdout.contains("Forged"),
        "the forged entry was believed\n{out}"
    );
}
