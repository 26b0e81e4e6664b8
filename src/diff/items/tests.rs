use std::collections::BTreeMap;

use super::*;
use crate::diff::matching::{MatchConfig, Synonyms};

fn entries<'a>(texts: &[&'a str]) -> Vec<Entry<'a>> {
    texts
        .iter()
        .map(|&text| Entry {
            lang: Some("en"),
            ..Entry::text(text)
        })
        .collect()
}

fn opts(ordered: bool) -> MatchOptions {
    MatchOptions {
        strict: false,
        ordered,
        deadline: None,
    }
}

/// A matcher that has learned the texts of both lists (as a diff learns its initiative).
fn matcher(lists: &[&[Entry<'_>]]) -> Matcher {
    let mut m = Matcher::new(MatchConfig::default(), Synonyms::with_builtin(&[]));
    for list in lists {
        for p in profiles(&m, list) {
            m.learn(&p);
        }
    }
    m
}

fn run(
    old: &[Entry<'_>],
    new: &[Entry<'_>],
    ordered: bool,
    pins: &Pinned,
    absence: &Absence,
) -> Compared {
    let m = matcher(&[old, new]);
    match_items(old, new, &opts(ordered), &m, pins, absence)
}

fn statuses(c: &Compared) -> Vec<ItemStatus> {
    c.rows.iter().map(|r| r.status).collect()
}

const A: &str = "Strengthen the joint air defence system of the CIS";
const B: &str = "Train officers in the military academies of member states";
const C: &str = "Hold joint exercises of the collective forces every year";
const C2: &str = "Hold joint exercises of the collective rapid forces every two years";
const D: &str = "Build a common database of military standards";

#[test]
fn moved_reworded_removed_added() {
    let c = run(
        &entries(&[A, B, C]),
        &entries(&[C2, A, D]),
        true,
        &Pinned::default(),
        &Absence::Removed,
    );
    let got: Vec<_> = c
        .rows
        .iter()
        .map(|r| (r.status, r.from_rank, r.to_rank, r.moved, r.movement))
        .collect();
    use ItemStatus::*;
    assert_eq!(
        got,
        [
            (Reworded, Some(3), Some(1), true, Some(2)),
            (Moved, Some(1), Some(2), true, Some(-1)),
            (Removed, Some(2), None, false, None),
            (Added, None, Some(3), false, None),
        ]
    );
    assert!(!c.rows[0].ops.is_empty());
    assert!(c.rows[0].similarity.is_some_and(|s| s > 0.5 && s < 1.0));
    let f = c.rows[0].features.as_ref().expect("features");
    assert_eq!(f.language, "en");
    assert!(c.rows[0].score.is_some_and(|s| (0.4..1.0).contains(&s)));
    // Removed and added rows name their nearest candidate.
    assert!(c.rows[2].nearest.is_some() || c.rows[3].nearest.is_some());
}

#[test]
fn insertion_before_does_not_move() {
    let c = run(
        &entries(&[A, B]),
        &entries(&[D, A, B]),
        true,
        &Pinned::default(),
        &Absence::Removed,
    );
    assert_eq!(
        statuses(&c),
        [
            ItemStatus::Added,
            ItemStatus::Unchanged,
            ItemStatus::Unchanged
        ]
    );
}

#[test]
fn keys_win_and_keep_apart() {
    let mut old = entries(&[A, B]);
    let mut new = entries(&[B, A]);
    old[0].key = Some("air");
    new[0].key = Some("air"); // the key pairs A with B's text
    old[1].key = Some("train");
    new[1].key = Some("other");
    let c = run(&old, &new, false, &Pinned::default(), &Absence::Removed);
    assert_eq!(
        statuses(&c),
        [ItemStatus::Reworded, ItemStatus::Removed, ItemStatus::Added]
    );
    assert_eq!(c.rows[0].key.as_deref(), Some("air"));
}

#[test]
fn pins_win_over_keys_and_scores() {
    // Same text, but an analyst said they are not the same; and two unlike texts pinned.
    let old = entries(&[A, B]);
    let new = entries(&[A, D]);
    let pins = Pinned {
        same: vec![(1, 1)],
        apart: HashSet::from([(0, 0)]),
    };
    let c = run(&old, &new, false, &pins, &Absence::Removed);
    let pinned: Vec<_> = c.rows.iter().filter(|r| r.pinned).collect();
    assert_eq!(pinned.len(), 1);
    assert_eq!((pinned[0].from_rank, pinned[0].to_rank), (Some(2), Some(2)));
    assert!(c
        .rows
        .iter()
        .all(|r| !(r.from_rank == Some(1) && r.to_rank == Some(1))));
}

#[test]
fn merged_and_split_rows_name_their_parts() {
    let old = entries(&[
        "Developing the joint air defence system",
        "Developing the joint communications system",
        "Military education",
    ]);
    let new = entries(&[
        "Developing the joint air defence and communications systems",
        "Military education and training of personnel",
    ]);
    let c = run(&old, &new, true, &Pinned::default(), &Absence::Removed);
    let merged = c
        .rows
        .iter()
        .find(|r| r.status == ItemStatus::Merged)
        .expect("a merge");
    let ranks: Vec<usize> = merged.parts.iter().map(|p| p.rank).collect();
    assert_eq!(ranks, [1, 2]);
    assert_eq!(merged.to_rank, Some(1));
    // And the other way round.
    let c = run(&new, &old, true, &Pinned::default(), &Absence::Removed);
    let split = c
        .rows
        .iter()
        .find(|r| r.status == ItemStatus::Split)
        .expect("a split");
    assert_eq!(split.parts.len(), 2);
    assert_eq!(split.from_rank, Some(1));
}

#[test]
fn a_partial_list_does_not_drop_what_it_leaves_out() {
    let said = Said {
        reference: "cis/2025-09-24-a".into(),
        date: "2025-09-24".into(),
    };
    let c = run(
        &entries(&[A, B]),
        &entries(&[A]),
        false,
        &Pinned::default(),
        &Absence::NotMentioned(said.clone()),
    );
    assert_eq!(
        statuses(&c),
        [ItemStatus::Unchanged, ItemStatus::NotMentioned]
    );
    assert_eq!(c.rows[1].last_said.as_ref(), Some(&said));
    assert!(!c.rows[1].status.is_change());
}

#[test]
fn across_languages_through_a_shared_translation_or_not_at_all() {
    let tr = |en: &str| BTreeMap::from([("en".to_owned(), en.to_owned())]);
    let (t1, t2) = (
        tr("Strengthening the joint air defence system"),
        tr("Energy security"),
    );
    let old = [
        Entry {
            lang: Some("ar"),
            translations: Some(&t1),
            ..Entry::text("تعزيز منظومة الدفاع الجوي المشتركة")
        },
        Entry {
            lang: Some("ar"),
            translations: Some(&t2),
            ..Entry::text("أمن الطاقة")
        },
    ];
    let (n1, n2) = (
        tr("Improving the unified air defence system"),
        tr("Information security"),
    );
    let new = [
        Entry {
            lang: Some("ru"),
            translations: Some(&n1),
            ..Entry::text("Совершенствование объединённой системы ПВО")
        },
        Entry {
            lang: Some("ru"),
            translations: Some(&n2),
            ..Entry::text("Информационная безопасность")
        },
    ];
    let c = run(&old, &new, false, &Pinned::default(), &Absence::Removed);
    let pair = c.rows.iter().find(|r| r.from_rank == Some(1)).expect("row");
    assert_eq!(pair.to_rank, Some(1));
    let f = pair.features.as_ref().expect("features");
    assert_eq!(f.language, "en");
    assert!(f.translated);
    // Without translations: nothing in common, said plainly.
    let old = [Entry {
        lang: Some("ar"),
        ..Entry::text("أمن الطاقة")
    }];
    let new = [Entry {
        lang: Some("ru"),
        ..Entry::text("Информационная безопасность")
    }];
    let c = run(&old, &new, false, &Pinned::default(), &Absence::Removed);
    assert_eq!(statuses(&c), [ItemStatus::Unmatched, ItemStatus::Unmatched]);
    assert!(
        c.notices[0].contains("share no language"),
        "{:?}",
        c.notices
    );
}

#[test]
fn quote_speaker_change_is_a_rewording() {
    let old = [Entry {
        speaker: Some("Lebedev"),
        ..Entry::text(A)
    }];
    let new = [Entry {
        speaker: Some("Shoigu"),
        ..Entry::text(A)
    }];
    let c = run(&old, &new, false, &Pinned::default(), &Absence::Removed);
    assert_eq!(c.rows[0].status, ItemStatus::Reworded);
    assert_eq!(c.rows[0].to_speaker.as_deref(), Some("Shoigu"));
}
