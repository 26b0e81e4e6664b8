//! The analyses (`timeline`, `trace`, `blame`), `import` and `report`, driven through the
//! real binary: read-only against the bundled store, or in temporary stores when writing.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::{project_root, stdout, Env};

const INI: &str = "cis-military-cooperation-2030";
const SEED: &str = "seeds/000_5bbe46e39d76d928.txt";
const ADOPTED: [&str; 5] = [
    "air-defence-system",
    "communications-system",
    "rcb-monitoring-system",
    "radar-identification-system",
    "military-geographic-information-system",
];

fn bundled() -> PathBuf {
    project_root().join("tracked")
}

/// `dossier --store <bundled> ARGS` parsed as JSON.
fn json_of(env: &Env, args: &[&str]) -> Value {
    let mut cmd = env.dossier();
    cmd.arg("--store").arg(bundled()).args(args);
    let out = cmd.output().expect("dossier runs");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

#[test]
fn timeline_shows_the_adopted_priorities_and_when_each_first_appeared() {
    let env = Env::new();
    let t = json_of(&env, &["timeline", INI, "--format", "json"]);
    let columns = t["columns"].as_array().expect("columns");
    let dates: Vec<&str> = columns.iter().filter_map(|c| c["date"].as_str()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "columns in date order");
    let adoption = dates
        .iter()
        .position(|d| *d == "2025-10-10")
        .expect("the adoption is a column");
    let rows = t["rows"].as_array().expect("rows");
    for (rank, key) in ADOPTED.iter().enumerate() {
        let row = rows
            .iter()
            .find(|r| r["key"] == *key)
            .unwrap_or_else(|| panic!("no row for {key}"));
        assert_eq!(row["section"], "priority");
        let first = row["first"]["date"].as_str().unwrap_or_default();
        assert!(first <= "2025-10-10", "{key} first said {first}");
        assert_eq!(
            row["cells"][adoption]["rank"].as_u64(),
            Some(rank as u64 + 1),
            "{key} rank at adoption"
        );
    }
    let air = rows
        .iter()
        .find(|r| r["key"] == "air-defence-system")
        .expect("air defence row");
    assert_eq!(air["first"]["date"], "2025-09-24");
    assert!(air["first"]["ref"]
        .as_str()
        .is_some_and(|r| r.contains("lebedev-greeting")));
    assert_eq!(air["first"]["speaker"], "Sergei Lebedev");
    // Rows by first appearance, priorities before principles.
    let firsts: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["section"].as_str().unwrap_or_default(),
                r["first"]["date"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    let mut ordered = firsts.clone();
    ordered.sort_by_key(|(s, d)| (*s != "priority", *d));
    assert_eq!(firsts, ordered);
}

#[test]
fn timeline_table_markdown_csv_and_lineage() {
    let env = Env::new();
    let table = stdout(
        env.dossier()
            .arg("--store")
            .arg(bundled())
            .args(["timeline", INI]),
    );
    assert!(table.contains("Unified air defence"), "{table}");
    assert!(table.contains("2025 "), "narrow date headers: {table}");
    assert!(table.contains("11-07"), "{table}");
    assert!(table.lines().all(|l| unicode_width(l) <= 100), "{table}");
    let md = stdout(
        env.dossier()
            .arg("--store")
            .arg(bundled())
            .args(["timeline", INI, "--format", "markdown"]),
    );
    assert!(md.contains("| priority |"), "{md}");
    let csv = stdout(
        env.dossier()
            .arg("--store")
            .arg(bundled())
            .args(["timeline", INI, "--format", "csv"]),
    );
    assert!(csv.starts_with("section,key,text,"), "{csv}");
    assert!(csv.contains("priority,air-defence-system,Unified air defence system,2025-09-24"));
    // Several generations: columns from all of them, in date order.
    let t = json_of(&env, &["timeline", INI, "--lineage", "--format", "json"]);
    let inis: Vec<&str> = t["columns"]
        .as_array()
        .map(|c| c.iter().filter_map(|c| c["initiative"].as_str()).collect())
        .unwrap_or_default();
    assert!(inis.contains(&"cis-military-cooperation-2025"), "{inis:?}");
    assert_eq!(inis.last(), Some(&INI));
    // An unknown initiative is an error naming it.
    env.dossier()
        .arg("--store")
        .arg(bundled())
        .args(["timeline", "cis-military-cooperation-2031"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("cis-military-cooperation-2031"));
}

fn unicode_width(line: &str) -> usize {
    // Box-drawing, Latin, digits and the isolates used here are all one column or none.
    line.chars()
        .filter(|c| !matches!(c, '\u{2068}' | '\u{2069}'))
        .count()
}

#[test]
fn trace_finds_where_air_defence_first_appears_and_what_dropped_it() {
    let env = Env::new();
    let t = json_of(&env, &["trace", "air defence", "--format", "json"]);
    assert_eq!(t["first"]["date"], "2025-09-24");
    let rows = t["statements"].as_array().expect("rows");
    assert_eq!(rows[0]["presence"], "first");
    let hit = &rows[0]["hits"][0];
    assert!(hit["matched"]
        .as_str()
        .is_some_and(|m| m.eq_ignore_ascii_case("air defence")));
    assert!(
        rows.iter().any(|r| r["presence"] == "absent"),
        "the expert group's draft does not carry it"
    );
    assert!(rows
        .iter()
        .any(|r| r["statement"]["date"] == "2025-10-10" && r["presence"] == "present"));
    // Case and hyphens do not matter; the table says who said it first.
    let table = stdout(
        env.dossier()
            .arg("--store")
            .arg(bundled())
            .args(["trace", "AIR-DEFENCE"]),
    );
    assert!(table.contains("first in"), "{table}");
    assert!(table.contains("first"), "{table}");
    // The matched words are bracketed (a narrow column may wrap them).
    assert!(
        table.contains("[air defence]") || table.contains("[air ") && table.contains("defence]"),
        "{table}"
    );
    // Arabic: without diacritics and with a plain alef the seed's wording is found.
    let t = json_of(&env, &["trace", "الامين العام", "--format", "json"]);
    assert_eq!(t["first"]["date"], "2024-11-07");
    let none = stdout(
        env.dossier()
            .arg("--store")
            .arg(bundled())
            .args(["trace", "no such phrase anywhere"]),
    );
    assert!(none.contains("is not found"), "{none}");
    env.dossier()
        .arg("--store")
        .arg(bundled())
        .args(["trace", "  ,. "])
        .assert()
        .code(1);
}

#[test]
fn blame_finds_earlier_wording_by_key_and_similarity() {
    let env = Env::new();
    let b = json_of(
        &env,
        &[
            "blame",
            "2025-10-10-council-of-heads-of-state-adopts-concept-2030",
            "--format",
            "json",
        ],
    );
    let lines = b["lines"].as_array().expect("lines");
    let air = lines
        .iter()
        .find(|l| l["field"] == "priorities[1]")
        .expect("first priority");
    assert_eq!(air["origin"]["statement"]["date"], "2025-09-24");
    assert_eq!(air["origin"]["by_key"], true);
    assert!(
        lines.iter().any(|l| l["origin"].is_null()),
        "some passages are new"
    );
    let table = stdout(env.dossier().arg("--store").arg(bundled()).args([
        "blame",
        "2025-10-10-council-of-heads-of-state-adopts-concept-2030",
    ]));
    assert!(table.contains("new here"), "{table}");
    env.dossier()
        .arg("--store")
        .arg(bundled())
        .args([
            "blame",
            "2025-10-10-council-of-heads-of-state-adopts-concept-2030",
            "--threshold",
            "1.5",
        ])
        .assert()
        .code(1);
}

/// A new store holding the initiative the seed is about.
fn store_with_initiative(env: &Env) -> PathBuf {
    let dir = env.path("store");
    env.dossier().args(["init", "store"]).assert().success();
    env.dossier_in(&dir)
        .args([
            "initiative",
            "add",
            INI,
            "--title",
            "Concept of military cooperation until 2030",
        ])
        .assert()
        .success();
    dir
}

fn show_json(env: &Env, store: &Path, reference: &str) -> Value {
    let out = env
        .dossier_in(store)
        .args(["show", reference, "--format", "json"])
        .output()
        .expect("show runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn import_of_the_seed_detects_date_outlet_speaker_and_quotes() {
    let env = Env::new();
    let store = store_with_initiative(&env);
    let seed = project_root().join(SEED);
    let seed_text = std::fs::read_to_string(&seed).expect("seed");
    let out = env
        .dossier_in(&store)
        .arg("import")
        .arg(&seed)
        .args(["--initiative", INI, "--yes"])
        .output()
        .expect("import runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    // The detection report.
    for expected in [
        "2024-11-07",
        "TASS",
        "سيرغي ليبيديف",
        "المصدر: تاس",
        "7 passages",
    ] {
        assert!(err.contains(expected), "{expected} missing from:\n{err}");
    }
    let reference = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        reference.starts_with(&format!("{INI}/2024-11-07")),
        "{reference}"
    );
    let st = show_json(&env, &store, &reference);
    assert_eq!(st["date"], "2024-11-07");
    assert_eq!(st["language"], "ar");
    assert_eq!(st["source"]["outlet"], "TASS");
    assert_eq!(st["source"]["published"], "2024-11-07");
    // The speaker as the text writes it, with the role before the name.
    assert_eq!(st["speaker"]["name"], "سيرغي ليبيديف");
    assert_eq!(st["speaker"]["role"], "الأمين العام رابطة الدول المستقلة");
    let quotes = st["quotes"].as_array().expect("quotes");
    assert_eq!(quotes.len(), 7);
    for q in quotes {
        let text = q["text"].as_str().unwrap_or_default();
        assert!(seed_text.contains(text), "not exactly in the seed: {text}");
    }
    assert!(quotes[0]["text"]
        .as_str()
        .is_some_and(|t| t.starts_with("نحن نمر بأوقات عصيبة")));
    let text = st["text"].as_str().unwrap_or_default();
    assert!(text.starts_with("رابطة الدول المستقلة تبدأ"));
    assert!(!text.contains("المصدر") && !text.contains("Ru En"));
    // The source is kept with its hash, and the store checks clean.
    let doc = st["source"]["document"].as_str().unwrap_or_default();
    assert_eq!(doc, "sources/000_5bbe46e39d76d928.txt");
    assert_eq!(
        std::fs::read(store.join(doc)).expect("kept"),
        seed_text.as_bytes()
    );
    assert_eq!(st["source"]["sha256"].as_str().map(str::len), Some(64));
    env.dossier_in(&store).arg("check").assert().success();
    assert_eq!(env.git_status(&store), "");
}

#[test]
fn import_flags_override_detections() {
    let env = Env::new();
    let store = store_with_initiative(&env);
    let out = env
        .dossier_in(&store)
        .arg("import")
        .arg(project_root().join(SEED))
        .args([
            "--initiative",
            INI,
            "--speaker",
            "Sergei Lebedev",
            "--role",
            "CIS Secretary General",
            "--kind",
            "announcement",
            "--summary",
            "Lebedev announced the start of work on the 2030 concept.",
            "--yes",
        ])
        .output()
        .expect("import runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reference = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(reference.contains("2024-11-07-lebedev"), "{reference}");
    let st = show_json(&env, &store, &reference);
    assert_eq!(st["speaker"]["name"], "Sergei Lebedev");
    assert_eq!(st["speaker"]["role"], "CIS Secretary General");
    assert_eq!(st["kind"], "announcement");
    assert_eq!(st["date"], "2024-11-07");
    assert!(st["quotes"]
        .as_array()
        .is_some_and(|q| q.iter().all(|q| q["speaker"] == "Sergei Lebedev")));
    env.dossier_in(&store).arg("check").assert().success();
}

#[test]
fn import_points_at_a_source_already_in_the_repository() {
    let env = Env::new();
    let repo = env.path("repo");
    std::fs::create_dir_all(repo.join("seeds")).unwrap();
    copy_dir(&bundled(), &repo.join("tracked"));
    std::fs::copy(project_root().join(SEED), repo.join(SEED)).unwrap();
    env.git(&repo, &["init", "-q"]);
    env.git(&repo, &["add", "-A"]);
    env.git(&repo, &["commit", "-q", "-m", "copy of the bundled store"]);
    let store = repo.join("tracked");
    let out = env
        .dossier_in(&repo)
        .arg("--store")
        .arg(&store)
        .arg("import")
        .arg(repo.join(SEED))
        .args([
            "--initiative",
            INI,
            "--id",
            "2024-11-07-imported-seed",
            "--yes",
        ])
        .output()
        .expect("import runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let st = show_json(&env, &store, "2024-11-07-imported-seed");
    assert_eq!(st["source"]["document"], SEED);
    assert!(!store.join("sources").exists());
    env.dossier_in(&repo)
        .arg("--store")
        .arg(&store)
        .arg("check")
        .assert()
        .success();
}

#[test]
fn import_refuses_what_it_cannot_read() {
    let env = Env::new();
    let store = store_with_initiative(&env);
    std::fs::write(env.path("latin1.txt"), b"caf\xe9 said").unwrap();
    env.dossier_in(&store)
        .arg("import")
        .arg(env.path("latin1.txt"))
        .args(["--initiative", INI, "--yes"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("not UTF-8"));
    // Nothing to date the statement by: the error asks for --date, nothing is written.
    std::fs::write(env.path("undated.txt"), "Someone said something.\n").unwrap();
    env.dossier_in(&store)
        .arg("import")
        .arg(env.path("undated.txt"))
        .args(["--initiative", INI, "--yes"])
        .assert()
        .failure();
    assert_eq!(env.git_status(&store), "");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The report of the bundled 2030 concept, written into the test's folder.
fn write_report(env: &Env) -> PathBuf {
    let out = env
        .dossier()
        .arg("--store")
        .arg(bundled())
        .args(["report", INI])
        .output()
        .expect("report runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = env.path(&format!("{INI}-report.html"));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        path.display().to_string()
    );
    path
}

#[test]
fn report_is_one_self_contained_escaped_file() {
    let env = Env::new();
    let path = write_report(&env);
    let html = std::fs::read_to_string(&path).expect("written");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg"));
    assert!(html.contains("Concept of military cooperation of the CIS member states until 2030"));
    assert!(html.contains("lang=\"ar\" dir=\"rtl\"") || html.contains("dir=\"auto\""));
    assert!(html.contains("<del>") && html.contains("<ins>"));
    assert!(html.contains("Unified air defence system"));
    for bad in ["<script", " src=", "url(", "@import", "<link"] {
        assert!(!html.contains(bad), "{bad} in the report");
    }
    // Only plain links leave the page.
    for (i, _) in html.match_indices("href=\"") {
        let rest = &html[i + 6..];
        assert!(
            rest.starts_with("https://") || rest.starts_with("http://"),
            "{}",
            &rest[..40.min(rest.len())]
        );
    }
    // -o writes where asked.
    let other = env.path("out/cis.html");
    env.dossier()
        .arg("--store")
        .arg(bundled())
        .args(["report", INI, "-o"])
        .arg(&other)
        .assert()
        .success();
    assert!(other.is_file());
}

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
    .find(|p| p.is_file())
}

/// Distinct colours among the PNG's pixels (8-bit RGB or RGBA, filters undone), decoded
/// with Python's zlib; `None` when Python is not there.
fn png_colours(png: &Path) -> Option<usize> {
    const SCRIPT: &str = r#"
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n'
pos, idat, w, h, ctype = 8, b'', 0, 0, 0
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
bpp = {2: 3, 6: 4}[ctype]
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
colours = set()
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            line[i] = (line[i] + pr) & 255
    if y % 8 == 0:
        for i in range(0, stride, bpp * 4):
            colours.add(bytes(line[i:i + 3]))
    prev = line
print(len(colours))
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(SCRIPT)
        .arg(png)
        .output()
        .ok()?;
    if !out.status.success() {
        panic!(
            "the PNG does not decode: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

#[test]
fn report_renders_in_a_headless_browser() {
    let Some(browser) = chromium() else {
        crate::common::skip_unless_ci(
            "report_renders_in_a_headless_browser",
            "chromium is not installed (apt-get install chromium)",
        );
        return;
    };
    let env = Env::new();
    let html = write_report(&env);
    let png = env.path("report.png");
    let profile = env.path("chromium-profile");
    let out = Command::new(browser)
        .env("HOME", &env.home)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1200,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium runs");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(png.is_file(), "no screenshot; chromium said:\n{log}");
    for bad in ["Uncaught", "ERROR:CONSOLE", "Refused to"] {
        assert!(!log.contains(bad), "{bad} in chromium's log:\n{log}");
    }
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 30_000,
        "the screenshot is suspiciously small ({size} bytes)"
    );
    match png_colours(&png) {
        Some(n) => assert!(n > 20, "the screenshot is nearly blank ({n} colours)"),
        None => crate::common::skip_unless_ci(
            "the screenshot's colour count",
            "python3 could not read the PNG",
        ),
    }
}

/// The report as Chromium parsed it (`--dump-dom`): every statement's original and
/// translations are in it, each in a block with its language's direction (Arabic right
/// to left), and the key findings come first.
#[test]
fn the_browser_reads_each_statements_own_texts() {
    let Some(browser) = chromium() else {
        crate::common::skip_unless_ci(
            "the_browser_reads_each_statements_own_texts",
            "chromium is not installed (apt-get install chromium)",
        );
        return;
    };
    let env = Env::new();
    let html = write_report(&env);
    let profile = env.path("chromium-dom-profile");
    let out = Command::new(browser)
        .env("HOME", &env.home)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        dom.contains("<h2>Key findings</h2>"),
        "no DOM; chromium said:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dom.find("<h2>Key findings</h2>") < dom.find("<h2>Timeline</h2>"));
    let log = env
        .dossier()
        .arg("--store")
        .arg(bundled())
        .args(["log", INI, "--format", "json"])
        .output()
        .expect("log runs");
    let list: serde_json::Value = serde_json::from_slice(&log.stdout).expect("JSON");
    let mut checked = 0;
    for st in list.as_array().expect("a list") {
        let mut texts: Vec<(String, String)> = Vec::new();
        if let Some(t) = st["text"].as_str() {
            texts.push((st["language"].as_str().unwrap_or("").into(), t.into()));
        }
        if let Some(map) = st["translations"].as_object() {
            for (lang, t) in map {
                texts.push((lang.clone(), t.as_str().unwrap_or("").into()));
            }
        }
        for (lang, text) in texts {
            let first: String = text.lines().next().unwrap_or("").chars().take(60).collect();
            let first = first
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            let at = dom
                .find(&first)
                .unwrap_or_else(|| panic!("{lang} text of {} not in the page: {first}", st["id"]));
            let open = dom[..at]
                .rfind("<div class=\"wording\"")
                .expect("in a wording block");
            let tag = &dom[open..at];
            let dir = if lang == "ar" { "rtl" } else { "ltr" };
            assert!(
                tag.contains(&format!("lang=\"{lang}\""))
                    && tag.contains(&format!("dir=\"{dir}\"")),
                "{tag}"
            );
            checked += 1;
        }
    }
    // The bundled 2030 concept holds one Arabic original with its English translation.
    assert!(checked >= 2, "only {checked} texts checked");
    // Quotes carry where they were found.
    assert!(dom.contains("<th>found in</th>"), "no quotes table");
    assert!(
        dom.contains("✓ text</td>")
            || dom.contains("✓ translation</td>")
            || dom.contains("✓ source document</td>")
    );
}

/// The chart's labels as Chromium lays them out: a copy of the report (its
/// Content-Security-Policy dropped so that a probe may run) measures each `<text>` of the
/// chart with getBoundingClientRect, and every one lies inside the chart's own box; each
/// lane's label shows its priority in full (its lines joined equal its title), and no
/// label ends in an ellipsis.
#[test]
fn the_charts_labels_are_never_cut() {
    let Some(browser) = chromium() else {
        crate::common::skip_unless_ci(
            "the_charts_labels_are_never_cut",
            "chromium is not installed (apt-get install chromium)",
        );
        return;
    };
    let env = Env::new();
    let html = std::fs::read_to_string(write_report(&env)).unwrap();
    let csp = html
        .lines()
        .find(|l| l.contains("Content-Security-Policy"))
        .expect("the report has a CSP")
        .to_string();
    const PROBE: &str = r#"<script>
const svg = document.querySelector('svg');
const box = svg.getBoundingClientRect();
const rows = [];
for (const t of svg.querySelectorAll('text')) {
  const b = t.getBoundingClientRect();
  const title = t.querySelector('title');
  const shown = [...t.childNodes].filter(n => n.nodeName !== 'title')
    .map(n => n.textContent).join(' ').replace(/\s+/g, ' ').trim();
  const inside = b.left >= box.left - 0.5 && b.right <= box.right + 0.5
    && b.top >= box.top - 0.5 && b.bottom <= box.bottom + 0.5;
  rows.push([inside ? 'in' : 'OUT', shown, title ? title.textContent : '',
    [b.left - box.left, b.top - box.top, b.right - box.left, b.bottom - box.top, box.width, box.height]
      .map(v => v.toFixed(1)).join(',')].join('\t'));
}
const pre = document.createElement('pre');
pre.id = 'probe';
pre.textContent = rows.join('\n');
document.body.appendChild(pre);
</script>"#;
    let probed = html
        .replace(&csp, "")
        .replace("</body>", &format!("{PROBE}</body>"));
    let file = env.path("probed-report.html");
    std::fs::write(&file, probed).unwrap();
    let profile = env.path("chromium-chart-profile");
    let out = Command::new(browser)
        .env("HOME", &env.home)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1200,2000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let start = dom.find("<pre id=\"probe\">").unwrap_or_else(|| {
        panic!(
            "the probe did not run; chromium said:\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let body = &dom[start + "<pre id=\"probe\">".len()..];
    let body = &body[..body.find("</pre>").expect("the probe's end")];
    let body = body
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    let rows: Vec<Vec<&str>> = body.lines().map(|l| l.split('\t').collect()).collect();
    assert!(rows.len() > 10, "too few labels measured:\n{body}");
    let mut lanes = 0;
    for row in &rows {
        let [place, shown, title, at] = row[..] else {
            panic!("a bad probe row: {row:?}");
        };
        assert_eq!(place, "in", "{shown:?} is cut at the chart's edge ({at})");
        assert!(!shown.ends_with('…'), "{shown:?} is shortened");
        // A lane's label carries its priority as its title (the pause mark `≈` carries
        // its days): the lines say all of it.
        if !title.is_empty() && !title.ends_with(" days") {
            assert_eq!(
                shown.split_whitespace().collect::<Vec<_>>(),
                title.split_whitespace().collect::<Vec<_>>(),
                "a lane's label is not its whole priority"
            );
            lanes += 1;
        }
    }
    assert!(lanes > 3, "only {lanes} lane labels found:\n{body}");
}
