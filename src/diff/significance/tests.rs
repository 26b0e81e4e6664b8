//! Unit tests of the detector on small hand-made pairs (the fixtures in
//! tests/fixtures/significance hold the larger set and its figures).

use super::judge::Found;
use super::*;
use crate::diff::words::diff_text;

fn found(old: &str, new: &str, lang: Lang) -> Vec<Found> {
    let d = diff_text(old, new, false, None);
    detect(&d.ops, Section::Wording, Some(lang))
        .into_iter()
        .map(|s| (s.kind, s.from, s.to, s.direction, s.change))
        .collect()
}

fn one(old: &str, new: &str, lang: Lang) -> (Kind, Option<Direction>, Change) {
    let f = found(old, new, lang);
    assert_eq!(f.len(), 1, "{old} -> {new}: {f:?}");
    (f[0].0, f[0].3, f[0].4)
}

#[test]
fn modality_both_ways_in_three_languages() {
    use Direction::*;
    let cases = [
        (
            "The states will strengthen the system.",
            "The states may strengthen the system.",
            Lang::En,
            Weakened,
        ),
        (
            "The states should act.",
            "The states must act.",
            Lang::En,
            Strengthened,
        ),
        (
            "The council is to adopt it.",
            "The council should adopt it.",
            Lang::En,
            Weakened,
        ),
        (
            "We strengthen the system.",
            "We could strengthen the system.",
            Lang::En,
            Weakened,
        ),
        (
            "Государства должны укрепить систему.",
            "Государства могут укрепить систему.",
            Lang::Ru,
            Weakened,
        ),
        (
            "Стороны следует привлечь.",
            "Стороны обязаны привлечь.",
            Lang::Ru,
            Strengthened,
        ),
        (
            "Мы укрепим систему.",
            "Мы можем укрепить систему.",
            Lang::Ru,
            Weakened,
        ),
        (
            "يجب تعزيز النظام.",
            "يمكن تعزيز النظام.",
            Lang::Ar,
            Weakened,
        ),
        (
            "ينبغي تعزيز النظام.",
            "يجب تعزيز النظام.",
            Lang::Ar,
            Strengthened,
        ),
        (
            "سيعزز المجلس النظام.",
            "قد يعزز المجلس النظام.",
            Lang::Ar,
            Weakened,
        ),
    ];
    for (a, b, lang, dir) in cases {
        assert_eq!(
            one(a, b, lang),
            (Kind::Modality, Some(dir), Change::Changed),
            "{a} -> {b}"
        );
    }
}

#[test]
fn negation_added_and_removed() {
    for (a, b, lang, change) in [
        (
            "The force is directed at them.",
            "The force is not directed at them.",
            Lang::En,
            Change::Added,
        ),
        (
            "It is no longer a priority.",
            "It is a priority.",
            Lang::En,
            Change::Removed,
        ),
        (
            "Сила направлена против них.",
            "Сила не направлена против них.",
            Lang::Ru,
            Change::Added,
        ),
        (
            "القوة موجهة ضدهم.",
            "القوة ليست موجهة ضدهم.",
            Lang::Ar,
            Change::Added,
        ),
        (
            "لن نشارك في التدريبات.",
            "نشارك في التدريبات.",
            Lang::Ar,
            Change::Removed,
        ),
    ] {
        assert_eq!(
            one(a, b, lang),
            (Kind::Negation, None, change),
            "{a} -> {b}"
        );
    }
}

#[test]
fn numbers_and_years_by_value() {
    assert_eq!(
        found(
            "Five brigades by 2030.",
            "Seven brigades by 2035.",
            Lang::En
        ),
        [
            (
                Kind::Number,
                Some("Five".into()),
                Some("Seven".into()),
                None,
                Change::Increased
            ),
            (
                Kind::Year,
                Some("2030".into()),
                Some("2035".into()),
                None,
                Change::Later
            ),
        ]
    );
    assert_eq!(
        one(
            "Программа до 2030 года.",
            "Программа до 2035 года.",
            Lang::Ru
        ),
        (Kind::Year, None, Change::Later)
    );
    assert_eq!(
        one("حتى عام ٢٠٣٥", "حتى عام 2030", Lang::Ar),
        (Kind::Year, None, Change::Earlier)
    );
    assert_eq!(
        one(
            "a budget of 1,500 million",
            "a budget of 1,200 million",
            Lang::En
        ),
        (Kind::Number, None, Change::Decreased)
    );
}

#[test]
fn noise_raises_nothing() {
    for (a, b, lang) in [
        (
            "by ٢٠٣٠ with ٥ brigades",
            "by 2030 with 5 brigades",
            Lang::En,
        ),
        ("five brigades", "5 brigades", Lang::En),
        ("1,000 troops", "1 000 troops", Lang::En),
        ("2.5 million", "2,500,000", Lang::En),
        ("Article 3 says so.", "Article 4 says so.", Lang::En),
        ("The states will act.", "The states shall act.", Lang::En),
        ("We can act.", "We could act.", Lang::En),
        ("in May 2025", "in June 2025", Lang::En),
        (
            "the political will of states",
            "the political resolve of states",
            Lang::En,
        ),
        ("не только оборона", "не только безопасность", Lang::Ru),
        ("пять бригад", "5 бригад", Lang::Ru),
        ("Статья 3 гласит.", "Статья 4 гласит.", Lang::Ru),
        ("«оборона»", "\"оборона\"", Lang::Ru),
        ("خمسة ألوية", "5 ألوية", Lang::Ar),
        ("لا بد من التعاون", "يجب التعاون", Lang::Ar),
        ("الْمَادَّة", "المادة", Lang::Ar),
        (
            "We will strengthen defence.",
            "We will strengthen defence. Exercises may follow.",
            Lang::En,
        ),
    ] {
        assert_eq!(found(a, b, lang), [], "{a} -> {b}");
    }
}

#[test]
fn places_give_lines_and_the_article_above() {
    let old = "Article 1\nText.\n\nArticle 2\nStates will act by 2030.\n";
    let new = "Article 1\nText.\n\nArticle 2\nStates will act by 2035.\n";
    let d = diff_text(old, new, false, None);
    let got = detect(&d.ops, Section::Wording, Some(Lang::En));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].place.from_line, Some(5));
    assert_eq!(got[0].place.to_line, Some(5));
    assert_eq!(got[0].place.heading.as_deref(), Some("Article 2"));
    assert_eq!(
        got[0].from_context.as_deref(),
        Some("States will act by 2030.")
    );
}

#[test]
fn texts_sharing_no_word_are_not_compared() {
    // A priority paired across languages: its "ops" replace it whole.
    assert_eq!(
        found("Deploy five brigades", "Развернуть 7 бригад", Lang::En),
        []
    );
}

#[test]
fn a_negated_obligation_is_a_permission_a_negated_must_a_prohibition() {
    use Direction::*;
    // `must` -> `must not`: as strong, inverted: a negation, no modality.
    assert_eq!(
        one("They must report.", "They must not report.", Lang::En),
        (Kind::Negation, None, Change::Added)
    );
    // Not required: the obligation is gone, the negation is part of it.
    assert_eq!(
        one(
            "They are required to report.",
            "They are not required to report.",
            Lang::En
        ),
        (Kind::Modality, Some(Weakened), Change::Changed)
    );
    assert_eq!(
        one(
            "Стороны не обязаны сообщать.",
            "Стороны обязаны сообщать.",
            Lang::Ru
        ),
        (Kind::Modality, Some(Strengthened), Change::Changed)
    );
    assert_eq!(
        one(
            "القرارات ملزمة للدول.",
            "القرارات غير ملزمة للدول.",
            Lang::Ar
        ),
        (Kind::Modality, Some(Weakened), Change::Changed)
    );
}

#[test]
fn a_four_digit_count_is_not_a_year() {
    let kinds = |old: &str, new: &str, lang| {
        found(old, new, lang)
            .into_iter()
            .map(|f| (f.0, f.4))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        kinds("Some 1500 troops came.", "Some 2000 troops came.", Lang::En),
        [(Kind::Number, Change::Increased)]
    );
    assert_eq!(
        kinds("By 2027 it ends.", "By 2029 it ends.", Lang::En),
        [(Kind::Year, Change::Later)]
    );
    assert_eq!(
        kinds("до 2000 военнослужащих", "до 2400 военнослужащих", Lang::Ru),
        [(Kind::Number, Change::Increased)]
    );
    assert_eq!(
        kinds("до 2030 года", "до 2035 года", Lang::Ru),
        [(Kind::Year, Change::Later)]
    );
    assert_eq!(
        kinds("شارك 2000 جندي", "شارك 2400 جندي", Lang::Ar),
        [(Kind::Number, Change::Increased)]
    );
    assert_eq!(
        kinds("حتى عام 2030 بمشاركة", "حتى عام 2035 بمشاركة", Lang::Ar),
        [(Kind::Year, Change::Later)]
    );
}

#[test]
fn a_long_rewrite_is_read_between_its_kept_words() {
    // Over 40 changed words in one stretch of edits: each change between two kept words
    // is judged on its own.
    let (mut old, mut new) = (String::new(), String::new());
    for i in 0..45 {
        old.push_str(&format!("old{i} kept{i} "));
        new.push_str(&format!("new{i} kept{i} "));
    }
    old.push_str("form 5 brigades.");
    new.push_str("form 7 brigades.");
    let d = diff_text(&old, &new, false, None);
    let pieces: Vec<_> = d.ops.iter().filter(|o| o.op != OpKind::Equal).collect();
    assert!(pieces.len() > 80, "one hunk of many changes: {pieces:?}");
    let f = found(&old, &new, Lang::En);
    assert_eq!(
        f.iter().map(|f| (f.0, f.4)).collect::<Vec<_>>(),
        [(Kind::Number, Change::Increased)],
        "{f:?}"
    );
}
