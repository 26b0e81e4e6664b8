//! The report on small initiatives: structure, escaping, directions, links, the chart.

use super::chart::{day_number, positions, wrap_label};
use super::*;
use crate::analysis::timeline::timeline;
use crate::analysis::StatementInfo;
use crate::diff::{diff_statements, DiffOptions};
use crate::record::Item;

fn st(id: &str, date: &str, lang: &str, text: &str, priorities: &[&str]) -> Statement {
    Statement {
        id: id.into(),
        initiative: "cis".into(),
        date: date.into(),
        language: lang.into(),
        text: Some(text.into()),
        priorities: priorities.iter().map(|p| Item::new(*p)).collect(),
        ..Statement::default()
    }
}

#[test]
fn escapes_everything_and_loads_nothing() {
    let ini = Initiative {
        id: "cis".into(),
        title: "<script>alert(1)</script> & \"co\"".into(),
        organization: Some("CIS".into()),
        horizon: Some(2030),
        status: None,
        supersedes: None,
        tags: vec!["x<y".into()],
        summary: Some("bidi \u{202e}override".into()),
    };
    let mut a = st(
        "2024-a",
        "2024-11-07",
        "ar",
        "نص <b>عربي</b> أول.",
        &["Air defence <x>"],
    );
    a.source = Some(crate::record::Source {
        outlet: Some("Evil".into()),
        url: Some("javascript:alert(1)".into()),
        ..Default::default()
    });
    let b = st(
        "2025-b",
        "2025-10-10",
        "ar",
        "نص عربي ثان.",
        &["Air defence <x>", "Radar"],
    );
    let list = vec![a, b];
    let t = timeline(
        &list,
        &crate::diff::MatchContext::of(
            &list,
            crate::diff::DiffOptions::default().match_config(),
            &[],
        ),
    );
    let diffs = vec![diff_statements(&list[0], &list[1], &DiffOptions::default())];
    let annotations = vec![crate::render::annotations::Shown {
        annotation: crate::annotation::Annotation {
            id: "2026-01-02-3f2a9c1b".into(),
            statement: "cis/2025-b".into(),
            blob: "a".repeat(40),
            item: None,
            change: None,
            assessment: Some(crate::annotation::Assessment::Disputed),
            tags: vec!["<i>tag</i>".into()],
            note: "<script>alert(2)</script> disputed".into(),
            author: Some("Ada".into()),
            date: "2026-01-02".into(),
        },
        standing: crate::annotation::Standing::Stale {
            reason: "edited".into(),
        },
    }];
    let html = report(&Report {
        initiative: &ini,
        statements: &list,
        timeline: &t,
        diffs: &diffs,
        annotations: &annotations,
        quotes_found: &[],
    });
    assert!(html.contains("Reviewers' annotations"));
    assert!(html.contains("&lt;script&gt;alert(2)"));
    assert!(html.contains("&lt;i&gt;tag&lt;/i&gt;"));
    assert!(html.contains("class=\"stale\""));
    assert!(!html.contains("<script"), "no script, escaped or not");
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains("<b>عربي"));
    assert!(!html.contains("href=\"javascript"));
    assert!(html.contains("&lt;U+202E&gt;"));
    assert!(!html.contains('\u{202e}'));
    assert!(html.contains("lang=\"ar\" dir=\"rtl\""));
    assert!(html.contains("<del>") || html.contains("<ins>"));
    assert!(html.contains("<svg"));
    // Nothing to fetch: no src attributes, no url(), no @import, no external link
    // other than plain anchors.
    for bad in [" src=", "url(", "@import", "<link", "<img"] {
        assert!(!html.contains(bad), "{bad}");
    }
}

#[test]
fn days_and_positions() {
    assert_eq!(day_number("1970-01-01"), Some(0));
    assert_eq!(day_number("2024-11-07"), Some(20034));
    assert_eq!(day_number("2024"), day_number("2024-01-01"));
    assert_eq!(day_number("nonsense"), None);
    let cols: Vec<StatementInfo> = ["2024-11-07", "2025-09-24", "2025-09-24", "2025-10-10"]
        .iter()
        .map(|d| StatementInfo {
            date: (*d).into(),
            ..StatementInfo::default()
        })
        .collect();
    let (xs, width) = positions(&cols);
    assert!(xs.windows(2).all(|w| w[1] > w[0]), "{xs:?}");
    assert!(
        xs[1] - xs[0] > xs[3] - xs[2],
        "a long pause takes more room"
    );
    assert!(width > xs[3]);
    let (one, _) = positions(&cols[..1]);
    assert_eq!(one.len(), 1);
    assert!(positions(&[]).0.is_empty());
}

#[test]
fn significant_changes_come_first() {
    let ini = Initiative {
        id: "cis".into(),
        title: "CIS".into(),
        organization: None,
        horizon: None,
        status: None,
        supersedes: None,
        tags: vec![],
        summary: None,
    };
    let a = st(
        "2024-a",
        "2024-11-07",
        "en",
        "States will act <now> until 2030.",
        &[],
    );
    let b = st(
        "2025-b",
        "2025-10-10",
        "en",
        "States may act <now> until 2035.",
        &[],
    );
    let list = vec![a, b];
    let ctx = crate::diff::MatchContext::of(&list, DiffOptions::default().match_config(), &[]);
    let t = timeline(&list, &ctx);
    let diffs = vec![diff_statements(&list[0], &list[1], &DiffOptions::default())];
    let html = report(&Report {
        initiative: &ini,
        statements: &list,
        timeline: &t,
        diffs: &diffs,
        annotations: &[],
        quotes_found: &[],
    });
    let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(at("<h2>Significant changes</h2>") < at("<h2>Timeline</h2>"));
    assert!(html.contains("commitment weakened"));
    assert!(
        html.contains("States <del>will</del> act &lt;now&gt; until"),
        "{html}"
    );
    assert!(html.contains("until <ins>2035</ins>."));
    assert!(html.contains("year later"));
}

#[test]
fn each_statement_shows_its_own_texts_and_quotes_and_findings_come_first() {
    let ini = Initiative {
        id: "cis".into(),
        title: "T".into(),
        organization: None,
        horizon: None,
        status: None,
        supersedes: None,
        tags: Vec::new(),
        summary: None,
    };
    let mut a = st(
        "2024-a",
        "2024-11-07",
        "ar",
        "قال إن <الأمن> لا يتجزأ.",
        &["Air defence"],
    );
    a.translations
        .insert("en".into(), "He said security is indivisible.".into());
    a.quotes = vec![
        crate::record::Quote {
            text: "الأمن لا يتجزأ".into(),
            speaker: Some("Lebedev".into()),
        },
        crate::record::Quote {
            text: "made up".into(),
            speaker: None,
        },
    ];
    let b = st(
        "2025-b",
        "2025-10-10",
        "en",
        "The states will form 5 brigades by 2030.",
        &["Air defence", "Radar fields"],
    );
    let c = st(
        "2025-c",
        "2025-11-10",
        "en",
        "The states may form 7 brigades by 2035.",
        &["Air defence", "Radar fields"],
    );
    let list = vec![a, b, c];
    let mcx = crate::diff::MatchContext::of(&list, DiffOptions::default().match_config(), &[]);
    let t = timeline(&list, &mcx);
    let diffs = vec![
        diff_statements(&list[0], &list[1], &DiffOptions::default()),
        diff_statements(&list[1], &list[2], &DiffOptions::default()),
    ];
    let found = vec![vec!["text", "not found"], vec![], vec![]];
    let html = report(&Report {
        initiative: &ini,
        statements: &list,
        timeline: &t,
        diffs: &diffs,
        annotations: &[],
        quotes_found: &found,
    });
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing"))
    };
    // The original, right to left, escaped; the translation left to right.
    assert!(html.contains(
        "<div class=\"wording\" lang=\"ar\" dir=\"rtl\">قال إن &lt;الأمن&gt; لا يتجزأ.</div>"
    ));
    assert!(html.contains("<h4>Translation (en)</h4>\n<div class=\"wording\" lang=\"en\" dir=\"ltr\">He said security is indivisible.</div>"));
    // Quotes with where they were found.
    assert!(html.contains("✓ text</td>"));
    assert!(html.contains("✗ not found</td>"));
    // Key findings first: the span, the significant changes, the priorities that came.
    assert!(at("<h2>Key findings</h2>") < at("<h2>Timeline</h2>"));
    assert!(at("<h2>The statements' own words</h2>") < at("<h2>What changed"));
    assert!(html.contains("3 statements from 2024-11-07 to 2025-11-10, in ar, en."));
    assert!(!diffs[1].significant.is_empty());
    assert!(html.contains(&format!(
        "{} significant changes",
        diffs[1].significant.len() + diffs[0].significant.len()
    )));
    assert!(html.contains("priorities added: “<span dir=\"auto\">Radar fields</span>”"));
}

#[test]
fn chart_labels_wrap_and_keep_every_word() {
    let text = "Joint air defence of the member states along the external borders, and training";
    let lines = wrap_label(text, 20);
    assert!(lines.iter().all(|l| l.chars().count() <= 20), "{lines:?}");
    assert_eq!(lines.join(" "), text);
    assert_eq!(wrap_label("short", 20), ["short"]);
    // A word longer than a line is split, not cut.
    let long = "a".repeat(45);
    let parts = wrap_label(&long, 20);
    assert_eq!(parts.concat(), long);
    assert_eq!(parts.len(), 3);
    // Arabic counts by characters like any other script.
    let ar = "إنشاء منظومة دفاع جوي مشتركة للدول الأعضاء";
    assert_eq!(wrap_label(ar, 12).join(" "), ar);
}
