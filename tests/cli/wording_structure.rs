//! The structure of the wording in `dossier diff`: articles inserted and renumbered (en,
//! ru, ar fixtures in tests/fixtures/structure/) are reported once and each article is
//! diffed against its true counterpart; every change is shown under its place (the
//! article and the lines in both texts), in the table and in the JSON.

use std::path::{Path, PathBuf};

use crate::common::{project_root, run, Env};

fn fixture(name: &str) -> PathBuf {
    project_root().join("tests/fixtures/structure").join(name)
}

/// A store with two statements of `cis-2030` whose wordings are the two fixtures.
fn pair(env: &Env, lang: &str, old: &str, new: &str) -> PathBuf {
    let store = env.store(&format!("s-{lang}"));
    for (date, file) in [("2024-01-01", old), ("2024-02-01", new)] {
        run(env.dossier_in(&store).args([
            "record",
            "cis-2030",
            "--date",
            date,
            "--speaker",
            "Ada",
            "--lang",
            lang,
            "--text-file",
            fixture(file).to_str().unwrap_or_default(),
        ]))
        .ok();
    }
    store
}

fn diff(env: &Env, store: &Path, extra: &[&str]) -> crate::common::Out {
    let out = run(env
        .dossier_in(store)
        .env("COLUMNS", "100")
        .args([
            "--no-pager",
            "--color",
            "never",
            "diff",
            "cis-2030",
            "--only",
            "wording",
        ])
        .args(extra));
    out.ok();
    out
}

#[test]
fn an_inserted_article_is_reported_once_and_the_edit_under_its_own_article() {
    let env = Env::new();
    for (lang, word, edit) in [
        (
            "en",
            "articles 3–8 renumbered to 4–9",
            "{+within available funds+}",
        ),
        (
            "ru",
            "статьи 3–8 renumbered to 4–9",
            "{+в пределах выделенных средств,+}",
        ),
        (
            "ar",
            "المواد 3–8 renumbered to 4–9",
            "{+في حدود الموارد المتاحة+}",
        ),
    ] {
        let store = pair(
            &env,
            lang,
            &format!("renumber-{lang}-old.txt"),
            &format!("renumber-{lang}-new.txt"),
        );
        let text = diff(&env, &store, &[]).stdout.clone();
        assert!(
            text.contains(&format!("renumbered: {word}")),
            "{lang}: {text}"
        );
        assert!(text.contains(edit), "{lang}: {text}");
        // Nothing of the old articles is shown deleted: only the new article and the edit.
        assert!(!text.contains("[-"), "{lang}: {text}");
        if lang == "en" {
            insta::assert_snapshot!("wording-renumbered-en", text);
        }

        let json = diff(&env, &store, &["--format", "json"]).json();
        let w = &json["wording"];
        assert_eq!(w["words_removed"], 0, "{lang}");
        assert_eq!(w["renumbered"][0]["count"], 6, "{lang}");
        assert_eq!(w["renumbered"][0]["text"], word, "{lang}");
        let changes = w["changes"].as_array().cloned().unwrap_or_default();
        assert_eq!(changes.len(), 2, "{lang}: {changes:#?}");
        // The new article 3, and the edit of the financing article (6, now 7).
        let heading = |c: &serde_json::Value, side: &str| {
            c[side]["heading"].as_str().unwrap_or_default().to_owned()
        };
        assert!(
            heading(&changes[0], "to").ends_with(" 3"),
            "{lang}: {changes:#?}"
        );
        assert!(
            heading(&changes[1], "from").ends_with(" 6"),
            "{lang}: {changes:#?}"
        );
        assert!(
            heading(&changes[1], "to").ends_with(" 7"),
            "{lang}: {changes:#?}"
        );
        let line = |c: &serde_json::Value, side: &str| c[side]["line"].as_u64().unwrap_or(0);
        let old_text = std::fs::read_to_string(fixture(&format!("renumber-{lang}-old.txt")))
            .unwrap_or_default();
        let expected_old_line = old_text
            .lines()
            .position(|l| l.contains("ما لم") || l.contains("unless") || l.contains("если не"))
            .map_or(0, |i| i as u64 + 1);
        assert_eq!(line(&changes[1], "from"), expected_old_line, "{lang}");
        assert_eq!(line(&changes[1], "to"), expected_old_line + 5, "{lang}");
        let ops = w["ops"].as_array().cloned().unwrap_or_default();
        assert!(changes[1]["ops"][1].as_u64().unwrap_or(0) as usize <= ops.len());
    }
}

#[test]
fn context_never_runs_into_another_paragraph() {
    let env = Env::new();
    let store = pair(&env, "en", "moved-en-old.txt", "moved-en-new.txt");
    // Two words of context: the edit of the last paragraph but one does not bring the
    // words of the paragraph before it.
    let text = diff(&env, &store, &["--context", "30"]).stdout.clone();
    for hunk in text.split("\n@ ").skip(1) {
        let body: Vec<&str> = hunk.lines().skip(1).collect();
        assert!(
            !body.join("\n").trim().contains("\n\n"),
            "a hunk crosses a paragraph break: {hunk}"
        );
    }
    assert!(text.contains("@ line"), "{text}");
}

#[test]
fn a_moved_paragraph_is_shown_moved_with_its_edit_in_every_format() {
    let env = Env::new();
    let store = pair(&env, "en", "moved-en-old.txt", "moved-en-new.txt");
    let text = diff(&env, &store, &[]).stdout.clone();
    insta::assert_snapshot!("wording-moved-en", text);
    assert!(text.contains("[moved to line 9]"), "{text}");
    assert!(
        text.contains(
            "{moved and edited from line 5: … command posts by the end of [-2027-] {+2028+}.}"
        ),
        "{text}"
    );
    let md = diff(&env, &store, &["--format", "markdown"]).stdout.clone();
    assert!(md.contains("[moved to line 9]"), "{md}");
    assert!(md.contains("{moved and edited from line 5:"), "{md}");

    let json = diff(&env, &store, &["--format", "json"]).json();
    let w = &json["wording"];
    assert_eq!(w["moves"].as_array().map(Vec::len), Some(1), "{w:#}");
    assert_eq!(w["moves"][0]["from"]["line"], 5);
    assert_eq!(w["moves"][0]["to"]["line"], 9);
    let inner: Vec<String> = w["moves"][0]["ops"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter(|o| o["op"] != "equal")
        .map(|o| {
            format!(
                "{}{}",
                o["op"].as_str().unwrap_or(""),
                o["text"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert_eq!(inner, ["delete 2027", "insert 2028"]);
    let tagged: Vec<&str> = w["ops"]
        .as_array()
        .map(|ops| {
            ops.iter()
                .filter(|o| o["moved"] == 0)
                .map(|o| o["op"].as_str().unwrap_or(""))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(tagged, ["delete", "insert"]);
    assert_eq!(json["summary"]["wording"]["moved"], 1);

    let out = run(env.dossier_in(&store).args(["report", "cis-2030"]));
    out.ok();
    let html = std::fs::read_to_string(out.stdout.trim()).unwrap_or_default();
    assert!(
        html.contains("<span class=\"moved-away\">[moved to line 9]</span>"),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"moved-from\">moved from line 5:</span>"),
        "{html}"
    );
    assert!(html.contains("<del> 2027</del><ins> 2028</ins>"), "{html}");
}

#[test]
fn a_word_hyphenated_across_a_line_end_is_layout_only_unless_strict() {
    let env = Env::new();
    let store = env.store("s-hyphen");
    let old = "The Parties shall develop co-\noperation in the field of collective\nsecurity on the basis of equality.\n";
    let new = "The Parties shall develop cooperation in the field of\ncollective security on the basis of\nequality.\n";
    for (date, text) in [("2024-01-01", old), ("2024-02-01", new)] {
        let file = env.path("text.txt");
        std::fs::write(&file, text).unwrap_or_default();
        run(env.dossier_in(&store).args([
            "record",
            "cis-2030",
            "--date",
            date,
            "--speaker",
            "Ada",
            "--lang",
            "en",
            "--text-file",
            file.to_str().unwrap_or_default(),
        ]))
        .ok();
    }
    let json = diff(&env, &store, &["--format", "json"]).json();
    assert_eq!(json["wording"]["words_added"], 0, "{:#}", json["wording"]);
    assert_eq!(json["wording"]["words_removed"], 0, "{:#}", json["wording"]);
    let text = diff(&env, &store, &[]).stdout.clone();
    assert!(!text.contains("Wording"), "{text}");
    let strict = diff(&env, &store, &["--strict"]).stdout.clone();
    assert!(strict.contains("[-co-"), "{strict}");
}
