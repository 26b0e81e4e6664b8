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
            prop_assert!(pair[0].op != pair[1].op || pair[0].old_text.is_some() != pair[1].old_text.is_some());
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
