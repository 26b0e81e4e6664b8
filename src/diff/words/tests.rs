use std::time::Duration;

use proptest::prelude::*;

use super::units::count_words;
use super::*;
use crate::diff::normalize::{tokens, TokenKind};
/// The (old, new) texts that `ops` claims to be the diff of.
fn rebuild(ops: &[WordOp]) -> (String, String) {
    let (mut old, mut new) = (String::new(), String::new());
    for op in ops {
        match op.op {
            OpKind::Equal => {
                new.push_str(&op.text);
                old.push_str(op.old_text.as_deref().unwrap_or(&op.text));
            }
            OpKind::Insert => new.push_str(&op.text),
            OpKind::Delete => old.push_str(&op.text),
        }
    }
    (old, new)
}

fn later() -> Option<Instant> {
    Instant::now().checked_add(Duration::from_secs(60))
}

fn shown(d: &TextDiff) -> Vec<(OpKind, &str)> {
    d.ops.iter().map(|o| (o.op, o.text.as_str())).collect()
}

#[test]
fn one_word_changed() {
    let d = diff_text(
        "Мы укрепим оборону. Second one.",
        "Мы усилим оборону. Second one.",
        false,
        later(),
    );
    use OpKind::*;
    assert_eq!(
        shown(&d),
        [
            (Equal, "Мы"),
            (Delete, " укрепим"),
            (Insert, " усилим"),
            (Equal, " оборону. Second one.")
        ]
    );
    assert_eq!(
        (d.words_added, d.words_removed, d.words_unchanged),
        (1, 1, 4)
    );
    assert!((d.similarity - 0.8).abs() < 1e-9);
}

#[test]
fn insertion_takes_its_space() {
    use OpKind::*;
    let d = diff_text(
        "Учения каждый год.",
        "Учения каждый год в Минске.",
        false,
        later(),
    );
    assert_eq!(
        shown(&d),
        [
            (Equal, "Учения каждый год"),
            (Insert, " в Минске"),
            (Equal, ".")
        ]
    );
    let d = diff_text("Exercises.", "New. Exercises.", false, later());
    assert_eq!(shown(&d), [(Insert, "New. "), (Equal, "Exercises.")]);
}

#[test]
fn punctuation_does_not_steer_words() {
    let old = "المجلس الجماعي، تطوير الدفاع";
    let new = "المجلس academies، الجماعي تطوير الدفاع";
    let d = diff_text(old, new, false, later());
    assert_eq!(
        (d.words_added, d.words_removed, d.words_unchanged),
        (1, 0, 4)
    );
    assert_eq!(rebuild(&d.ops), (old.to_owned(), new.to_owned()));
}

#[test]
fn folded_equal_keeps_old_text() {
    let d = diff_text("الأمنُ  القومي", "الامن القومي", false, later());
    assert!(!d.has_changes());
    assert_eq!(d.ops.len(), 1);
    assert_eq!(d.ops[0].text, "الامن القومي");
    assert_eq!(d.ops[0].old_text.as_deref(), Some("الأمنُ  القومي"));
    let strict = diff_text("الأمنُ  القومي", "الامن القومي", true, later());
    assert!(strict.has_changes());
}

#[test]
fn zero_deadline_falls_back_to_whole_regions() {
    let (old, new) = ("One two three. Four five.", "One two free. Four five.");
    let d = diff_text(old, new, false, Some(Instant::now()));
    assert!(d.coarse);
    assert_eq!(rebuild(&d.ops), (old.to_owned(), new.to_owned()));
    // The common start and end are kept; what is between is replaced whole.
    assert_eq!(
        shown(&d)[1..3],
        [(OpKind::Delete, " three."), (OpKind::Insert, " free.")]
    );
    assert!(!diff_text(old, new, false, None).coarse);
}

#[test]
fn moved_paragraph_is_deleted_and_inserted() {
    let old = "Alpha beta.\n\nGamma delta.\n\nEpsilon zeta.";
    let new = "Gamma delta.\n\nEpsilon zeta.\n\nAlpha beta.";
    let d = diff_text(old, new, false, later());
    assert_eq!(rebuild(&d.ops), (old.to_owned(), new.to_owned()));
    assert_eq!(
        (d.words_added, d.words_removed, d.words_unchanged),
        (2, 2, 4)
    );
}

fn text_strategy() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "state",
        "State",
        "security",
        "безопасность",
        "Ёлка",
        "елка",
        "оборона",
        "الأمن",
        "الامن",
        "امنٌ",
        "امن",
        "تعاون",
        "١٢",
        "12",
        ",",
        ".",
        "،",
        "؟",
        "«",
        "»",
        "-",
        "e\u{301}",
    ]);
    let gaps = prop::sample::select(vec!["", " ", "  ", "\u{a0}", "\n", "\n\n", "\u{64b}"]);
    let listed = prop::collection::vec((words, gaps), 0..40)
        .prop_map(|parts| parts.into_iter().flat_map(|(w, g)| [w, g]).collect());
    let random = "[a-zA-Zа-яА-ЯёЁء-ي٠-٩ \u{a0}\u{60c}\u{64b}\u{640}\u{301},.!?؟«»\n'-]{0,80}";
    prop_oneof![listed, random]
}

proptest! {
    #[test]
    fn ops_rebuild_both_sides(old in text_strategy(), new in text_strategy(), strict: bool) {
        let d = diff_text(&old, &new, strict, later());
        prop_assert_eq!(rebuild(&d.ops), (old, new));
        for pair in d.ops.windows(2) {
            prop_assert!(pair[0].op != pair[1].op || pair[0].old_text.is_some() != pair[1].old_text.is_some() || pair[0].moved != pair[1].moved);
        }
    }

    #[test]
    fn counts_words_like_the_tokenizer(text in text_strategy()) {
        let words = tokens(&text).filter(|t| t.kind == TokenKind::Word).count();
        prop_assert_eq!(count_words(&text), words);
    }

    #[test]
    fn identical_texts_have_no_changes(text in text_strategy(), strict: bool) {
        let d = diff_text(&text, &text, strict, later());
        prop_assert!(!d.has_changes());
        prop_assert_eq!(d.words_added + d.words_removed, 0);
        prop_assert!(d.ops.iter().all(|o| o.old_text.is_none()));
    }

    #[test]
    fn fathatan_is_ignored_unless_strict(word in "[a-zа-яب-ي]{1,8}") {
        let marked = format!("قال {word}\u{64b} هنا");
        let plain = format!("قال {word} هنا");
        prop_assert!(!diff_text(&marked, &plain, false, later()).has_changes());
        prop_assert!(diff_text(&marked, &plain, true, later()).has_changes());
    }

    #[test]
    fn zero_deadline_still_rebuilds(old in text_strategy(), new in text_strategy()) {
        let d = diff_text(&old, &new, false, Some(Instant::now()));
        prop_assert_eq!(rebuild(&d.ops), (old, new));
    }
}

fn fixture(name: &str) -> String {
    macro_rules! fixtures {
        ($($file:literal),*) => {
            match name {
                $($file => include_str!(concat!("../../../tests/fixtures/structure/", $file)),)*
                _ => panic!("no fixture {name}"),
            }
        };
    }
    fixtures!(
        "renumber-en-old.txt",
        "renumber-en-new.txt",
        "renumber-ru-old.txt",
        "renumber-ru-new.txt",
        "renumber-ar-old.txt",
        "renumber-ar-new.txt",
        "moved-en-old.txt",
        "moved-en-new.txt"
    )
    .to_owned()
}

#[test]
fn an_inserted_article_renumbers_the_rest_and_keeps_their_counterparts() {
    for lang in ["en", "ru", "ar"] {
        let old = fixture(&format!("renumber-{lang}-old.txt"));
        let new = fixture(&format!("renumber-{lang}-new.txt"));
        let d = diff_text(&old, &new, false, later());
        assert_eq!(rebuild(&d.ops), (old.clone(), new.clone()), "{lang}");
        let moves: Vec<(u64, u64)> = d
            .renumbered
            .iter()
            .map(|r| (r.from_value, r.to_value))
            .collect();
        assert_eq!(
            moves,
            [(3, 4), (4, 5), (5, 6), (6, 7), (7, 8), (8, 9)],
            "{lang}"
        );
        // The new article, and the few words added to the financing one; nothing removed.
        assert_eq!(d.words_removed, 0, "{lang}: {:#?}", shown(&d));
        let inserted: Vec<&str> = d
            .ops
            .iter()
            .filter(|o| o.op == OpKind::Insert)
            .map(|o| o.text.as_str())
            .collect();
        assert_eq!(inserted.len(), 2, "{lang}: {inserted:#?}");
        assert!(inserted[0].contains("3"), "{lang}: {inserted:#?}");
        assert!(
            inserted[1].split_whitespace().count() <= 4,
            "{lang}: {inserted:#?}"
        );
    }
}

#[test]
fn an_edited_article_is_diffed_against_its_counterpart_after_renumbering() {
    let body = [
        "The Parties shall exchange information through their competent authorities.",
        "The Parties shall hold joint exercises at least once a year.",
        "Each Party shall bear its own expenses, unless otherwise agreed.",
    ];
    let old: String = (0..3)
        .map(|i| format!("Article {}\n\n{}\n\n", i + 1, body[i]))
        .collect();
    let mut new = String::from("Article 1\n\nClassified information shall not be disclosed.\n\n");
    for (i, b) in body.iter().enumerate() {
        let b = b.replace("at least once a year", "at least twice every year");
        new.push_str(&format!("Article {}\n\n{b}\n\n", i + 2));
    }
    let d = diff_text(&old, &new, false, later());
    assert_eq!(rebuild(&d.ops), (old.clone(), new.clone()));
    assert_eq!(d.renumbered.len(), 3, "{:#?}", shown(&d));
    assert_eq!(d.words_removed, 2, "{:#?}", shown(&d));
    assert_eq!(d.words_added, 8 + 2, "{:#?}", shown(&d));
}

#[test]
fn a_moved_paragraph_is_a_move_with_the_edit_inside_it() {
    let old = fixture("moved-en-old.txt");
    let new = fixture("moved-en-new.txt");
    let d = diff_text(&old, &new, false, later());
    assert_eq!(rebuild(&d.ops), (old.clone(), new.clone()));
    assert_eq!(d.moves.len(), 1, "{:#?}", shown(&d));
    let m = &d.moves[0];
    assert!(old[m.old.clone()].starts_with("The Ministers agreed"));
    assert!(new[m.new.clone()].ends_with("2028."));
    let inner: Vec<(OpKind, &str)> = shown(&m.diff)
        .into_iter()
        .filter(|(k, _)| *k != OpKind::Equal)
        .collect();
    assert_eq!(
        inner,
        [(OpKind::Delete, " 2027"), (OpKind::Insert, " 2028")]
    );
    // Its two steps carry the move; nothing else does.
    let tagged: Vec<OpKind> = d
        .ops
        .iter()
        .filter(|o| o.moved == Some(0))
        .map(|o| o.op)
        .collect();
    assert_eq!(tagged, [OpKind::Delete, OpKind::Insert]);
    assert!(d
        .ops
        .iter()
        .all(|o| o.moved.is_none() || o.op != OpKind::Equal));
}

#[test]
fn a_rewritten_passage_in_place_is_not_a_move() {
    let old = "First paragraph stays here.\n\nThe Parties will strengthen joint air defence by 2030.\n\nLast one.";
    let new = "First paragraph stays here.\n\nThe Parties may strengthen joint air defence by 2035.\n\nLast one.";
    let d = diff_text(old, new, false, later());
    assert!(d.moves.is_empty(), "{:#?}", shown(&d));
}

#[test]
fn a_word_hyphenated_at_a_line_end_is_layout_unless_strict() {
    let old = "The Parties shall develop co-\noperation in the field of security.";
    let new = "The Parties shall develop cooperation in the field\nof security.";
    let d = diff_text(old, new, false, later());
    assert!(!d.has_changes(), "{:#?}", shown(&d));
    assert_eq!(rebuild(&d.ops), (old.to_owned(), new.to_owned()));
    assert!(diff_text(old, new, true, later()).has_changes());
    // The same with a hyphen kept in the new text, and in another script.
    let d = diff_text(
        old,
        "The Parties shall develop co-operation in the field of security.",
        false,
        later(),
    );
    assert!(!d.has_changes(), "{:#?}", shown(&d));
    let d = diff_text(
        "Стороны развивают взаимо-\nдействие.",
        "Стороны развивают взаимодействие.",
        false,
        later(),
    );
    assert!(!d.has_changes(), "{:#?}", shown(&d));
    // A hyphen before a space that is not a line end is not a break.
    let d = diff_text("co- operation", "cooperation", false, later());
    assert!(d.has_changes());
}
