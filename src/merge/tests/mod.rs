//! The merge rules, one field kind at a time; properties over generated records are in
//! `properties.rs`.

use super::*;
use crate::record::{Item, Kind, Quote, Source, Speaker, Stage, Statement};

fn st() -> Statement {
    Statement {
        id: "2025-01-01-x".into(),
        initiative: "cis".into(),
        date: "2025-01-01".into(),
        language: "en".into(),
        summary: Some("base".into()),
        venue: Some("Minsk".into()),
        ..Default::default()
    }
}

fn items(texts: &[&str]) -> Vec<Item> {
    texts.iter().map(|t| Item::new(*t)).collect()
}

fn texts(list: &[Item]) -> Vec<&str> {
    list.iter().map(|i| i.text.as_str()).collect()
}

fn merge(b: &Statement, o: &Statement, t: &Statement) -> Merge {
    merge_statements(b, o, t)
}

fn details(m: Merge) -> Vec<String> {
    m.unwrap_err()
        .conflicts
        .into_iter()
        .flat_map(|c| c.details)
        .collect()
}

// --- scalars -----------------------------------------------------------------------------

#[test]
fn different_fields_merge() {
    let base = st();
    let mut ours = st();
    ours.summary = Some("ours".into());
    ours.kind = Some(Kind::Speech);
    let mut theirs = st();
    theirs.venue = Some("Dushanbe".into());
    theirs.stage = Some(Stage::Adopted);
    let m = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(m.summary.as_deref(), Some("ours"));
    assert_eq!(m.venue.as_deref(), Some("Dushanbe"));
    assert_eq!(m.kind, Some(Kind::Speech));
    assert_eq!(m.stage, Some(Stage::Adopted));
}

#[test]
fn the_same_change_on_both_sides_is_no_conflict() {
    let base = st();
    let mut ours = st();
    ours.summary = Some("same".into());
    let theirs = ours.clone();
    assert_eq!(merge(&base, &ours, &theirs).unwrap(), ours);
}

#[test]
fn one_field_changed_differently_is_a_conflict_naming_it() {
    let base = st();
    let mut ours = st();
    ours.summary = Some("ours".into());
    ours.venue = Some("Astana".into());
    let mut theirs = st();
    theirs.summary = Some("theirs".into());
    let Conflicted {
        partial,
        partial_theirs,
        conflicts: c,
    } = merge(&base, &ours, &theirs).unwrap_err();
    assert_eq!(partial.venue.as_deref(), Some("Astana"));
    assert_eq!(partial_theirs.venue.as_deref(), Some("Astana"));
    assert_eq!(partial.summary.as_deref(), Some("ours"));
    assert_eq!(partial_theirs.summary.as_deref(), Some("theirs"));
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].field, "summary");
    assert_eq!(c[0].base, "base");
    assert_eq!(c[0].ours, "ours");
    assert_eq!(c[0].theirs, "theirs");
    assert_eq!(
        c[0].details,
        ["both sides changed `summary`: to 'ours' (ours) and to 'theirs' (theirs)"]
    );
}

#[test]
fn a_field_removed_on_one_side_and_changed_on_the_other_conflicts() {
    let base = st();
    let mut ours = st();
    ours.venue = None;
    let mut theirs = st();
    theirs.venue = Some("Baku".into());
    let c = merge(&base, &ours, &theirs).unwrap_err().conflicts;
    assert_eq!(c[0].field, "venue");
    assert_eq!(c[0].ours, serde_json::Value::Null);
    assert!(
        c[0].details[0].contains("to nothing (ours)"),
        "{:?}",
        c[0].details
    );
}

#[test]
fn speaker_and_source_merge_field_by_field() {
    let mut base = st();
    base.speaker = Some(Speaker {
        name: "Sergei Lebedev".into(),
        role: None,
    });
    let mut ours = base.clone();
    ours.speaker.as_mut().unwrap().role = Some("CIS Secretary General".into());
    ours.source = Some(Source {
        outlet: Some("TASS".into()),
        ..Default::default()
    });
    let mut theirs = base.clone();
    theirs.speaker.as_mut().unwrap().name = "Sergey Lebedev".into();
    theirs.source = Some(Source {
        url: Some("https://example.org/a".into()),
        ..Default::default()
    });
    let m = merge(&base, &ours, &theirs).unwrap();
    let sp = m.speaker.unwrap();
    assert_eq!(sp.name, "Sergey Lebedev");
    assert_eq!(sp.role.as_deref(), Some("CIS Secretary General"));
    let src = m.source.unwrap();
    assert_eq!(src.outlet.as_deref(), Some("TASS"));
    assert_eq!(src.url.as_deref(), Some("https://example.org/a"));
}

#[test]
fn a_source_document_and_its_hash_change_together() {
    let mut base = st();
    base.source = Some(Source {
        document: Some("sources/a.txt".into()),
        sha256: Some("a".repeat(64)),
        ..Default::default()
    });
    let mut ours = base.clone();
    ours.source.as_mut().unwrap().document = Some("sources/b.txt".into());
    ours.source.as_mut().unwrap().sha256 = Some("b".repeat(64));
    let mut theirs = base.clone();
    theirs.source.as_mut().unwrap().sha256 = Some("c".repeat(64));
    let c = merge(&base, &ours, &theirs).unwrap_err().conflicts;
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].field, "source");
}

// --- sets and maps -----------------------------------------------------------------------

#[test]
fn tags_merge_as_a_set() {
    let mut base = st();
    base.tags = vec!["a".into(), "b".into(), "c".into()];
    let mut ours = base.clone();
    ours.tags = vec!["a".into(), "c".into(), "d".into()]; // drops b, adds d
    let mut theirs = base.clone();
    theirs.tags = vec!["e".into(), "a".into(), "b".into()]; // drops c, adds e
    let m = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(m.tags, ["a", "d", "e"]);
}

#[test]
fn translations_merge_by_language() {
    let mut base = st();
    base.translations
        .insert("en".into(), "One two three.".into());
    let mut ours = base.clone();
    ours.translations.insert("ru".into(), "Раз два три.".into());
    ours.translations.insert("en".into(), "One 2 three.".into());
    let mut theirs = base.clone();
    theirs
        .translations
        .insert("ar".into(), "واحد اثنان ثلاثة.".into());
    theirs.translations.insert("en".into(), "One two 3.".into());
    let m = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(m.translations.len(), 3);
    assert_eq!(m.translations["en"], "One 2 3.");
    assert_eq!(m.translations["ru"], "Раз два три.");
}

#[test]
fn a_translation_removed_on_one_side_and_changed_on_the_other_conflicts() {
    let mut base = st();
    base.translations.insert("en".into(), "One.".into());
    let mut ours = base.clone();
    ours.translations.clear();
    let mut theirs = base.clone();
    theirs.translations.insert("en".into(), "Won.".into());
    let c = merge(&base, &ours, &theirs).unwrap_err().conflicts;
    assert_eq!(c[0].field, "translations");
    assert!(
        c[0].details[0].contains("translations.en"),
        "{:?}",
        c[0].details
    );
}

// --- text --------------------------------------------------------------------------------

#[test]
fn text_edits_to_different_words_merge() {
    let mut base = st();
    base.text = Some("The council discussed the concept.\nIt will be adopted in 2025.\n".into());
    let mut ours = base.clone();
    ours.text = Some("The council approved the concept.\nIt will be adopted in 2025.\n".into());
    let mut theirs = base.clone();
    theirs.text =
        Some("The council discussed the concept.\nIt will be adopted in October 2025.\n".into());
    let m = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(
        m.text.as_deref(),
        Some("The council approved the concept.\nIt will be adopted in October 2025.\n")
    );
}

#[test]
fn text_edits_to_the_same_words_conflict_naming_them() {
    let mut base = st();
    base.text = Some("Adopted by 2030.".into());
    let mut ours = base.clone();
    ours.text = Some("Adopted by 2031.".into());
    let mut theirs = base.clone();
    theirs.text = Some("Adopted by 2035.".into());
    let d = details(merge(&base, &ours, &theirs));
    assert_eq!(
        d,
        ["both sides changed the same words of `text`: '2030' became '2031' (ours) and '2035' (theirs)"]
    );
}

// --- ranked lists ------------------------------------------------------------------------

const FIVE: [&str; 5] = [
    "Joint air defence system",
    "Joint communications system",
    "Training of military personnel",
    "Military-technical cooperation",
    "Countering international terrorism",
];

#[test]
fn a_priority_reworded_on_one_side_and_moved_on_the_other_keeps_both() {
    let mut base = st();
    base.priorities = items(&FIVE);
    let mut ours = base.clone();
    ours.priorities[1].text = "A joint communications system".into();
    let mut theirs = base.clone();
    let moved = theirs.priorities.remove(1);
    theirs.priorities.insert(3, moved);
    let m = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(
        texts(&m.priorities),
        [
            FIVE[0],
            FIVE[2],
            FIVE[3],
            "A joint communications system",
            FIVE[4]
        ]
    );
}

#[test]
fn moves_of_different_priorities_on_both_sides_merge() {
    let mut base = st();
    base.priorities = items(&FIVE);
    let mut ours = base.clone();
    let last = ours.priorities.pop().unwrap();
    ours.priorities.insert(0, last); // terrorism to the top
    let mut theirs = base.clone();
    let first = theirs.priorities.remove(0);
    theirs.priorities.insert(2, first); // air defence down to 3
    let m = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(
        texts(&m.priorities),
        [FIVE[4], FIVE[1], FIVE[2], FIVE[0], FIVE[3]]
    );
}

#[test]
fn a_priority_moved_differently_on_both_sides_conflicts_in_domain_terms() {
    let mut base = st();
    base.priorities = items(&FIVE);
    let mut ours = base.clone();
    let x = ours.priorities.remove(1);
    ours.priorities.insert(0, x);
    let mut theirs = base.clone();
    let x = theirs.priorities.remove(1);
    theirs.priorities.insert(3, x);
    let c = merge(&base, &ours, &theirs).unwrap_err();
    assert_eq!(c.conflicts.len(), 1);
    assert_eq!(c.conflicts[0].field, "priorities");
    assert_eq!(
        c.conflicts[0].details,
        ["both sides moved 'Joint communications system': to 1 (ours) and to 4 (theirs)"]
    );
    assert_eq!(texts(&c.partial.priorities), texts(&ours.priorities));
    assert_eq!(
        texts(&c.partial_theirs.priorities),
        texts(&theirs.priorities)
    );
}

#[test]
fn the_same_priority_reworded_differently_on_both_sides_conflicts() {
    let mut base = st();
    base.priorities = items(&FIVE);
    let mut ours = base.clone();
    ours.priorities[0].text = "Unified air defence system".into();
    let mut theirs = base.clone();
    theirs.priorities[0].text = "Joint air and missile defence system".into();
    let d = details(merge(&base, &ours, &theirs));
    assert_eq!(
        d,
        ["both sides reworded the priority 'Joint air defence system': to 'Unified air defence system' (ours) and to 'Joint air and missile defence system' (theirs)"]
    );
}

#[test]
fn a_priority_removed_on_one_side_and_reworded_on_the_other_conflicts() {
    let mut base = st();
    base.priorities = items(&FIVE);
    let mut ours = base.clone();
    ours.priorities.remove(2);
    let mut theirs = base.clone();
    theirs.priorities[2].text = "Training of military personnel and cadets".into();
    let d = details(merge(&base, &ours, &theirs));
    assert!(d[0].contains("was removed on our side"), "{d:?}");
}

#[test]
fn additions_and_removals_on_both_sides_merge() {
    let mut base = st();
    base.priorities = items(&FIVE);
    let mut ours = base.clone();
    ours.priorities.remove(4);
    ours.priorities.insert(1, Item::new("Cyber security"));
    let mut theirs = base.clone();
    theirs.priorities.remove(0);
    theirs.priorities.push(Item::new("Space"));
    let m = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(
        texts(&m.priorities),
        ["Cyber security", FIVE[1], FIVE[2], FIVE[3], "Space"]
    );
}

#[test]
fn two_priorities_added_at_the_same_rank_conflict() {
    let mut base = st();
    base.priorities = items(&FIVE[..2]);
    let mut ours = base.clone();
    ours.priorities.push(Item::new("Cyber security"));
    let mut theirs = base.clone();
    theirs.priorities.push(Item::new("Outer space"));
    let d = details(merge(&base, &ours, &theirs));
    assert!(
        d[0].starts_with("both sides added a priority after 'Joint communications system'"),
        "{d:?}"
    );
}

#[test]
fn the_same_priority_added_on_both_sides_is_one() {
    let mut base = st();
    base.priorities = items(&FIVE[..2]);
    let mut ours = base.clone();
    ours.priorities.push(Item::new("Cyber security"));
    let theirs = ours.clone();
    let mut theirs2 = theirs.clone();
    theirs2.summary = Some("other".into());
    let m = merge(&base, &ours, &theirs2).unwrap();
    assert_eq!(texts(&m.priorities), [FIVE[0], FIVE[1], "Cyber security"]);
}

#[test]
fn keyed_priorities_match_by_key_whatever_their_wording() {
    let mut base = st();
    base.priorities = vec![
        Item {
            key: Some("air-defence".into()),
            text: "Joint air defence system".into(),
            ..Item::default()
        },
        Item {
            key: Some("comms".into()),
            text: "Joint communications system".into(),
            ..Item::default()
        },
    ];
    let mut ours = base.clone();
    ours.priorities[0].text = "Collective missile shield".into(); // unlike its old wording
    let mut theirs = base.clone();
    theirs.priorities.swap(0, 1);
    let m = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(
        texts(&m.priorities),
        ["Joint communications system", "Collective missile shield"]
    );
}

#[test]
fn a_key_given_twice_by_the_merge_is_a_conflict() {
    let mut base = st();
    base.priorities = items(&FIVE[..2]);
    let mut ours = base.clone();
    ours.priorities[0].key = Some("k".into());
    let mut theirs = base.clone();
    theirs.priorities[1].key = Some("k".into());
    let c = merge(&base, &ours, &theirs).unwrap_err().conflicts;
    assert_eq!(c[0].field, "priorities");
    assert!(c[0].details[0].contains("used twice"), "{:?}", c[0].details);
}

#[test]
fn unranked_lists_keep_both_sides_additions_without_conflict() {
    let mut base = st();
    base.principles = items(&["Equality", "Sovereignty"]);
    base.quotes = vec![Quote {
        text: "We agreed.".into(),
        speaker: None,
    }];
    let mut ours = base.clone();
    ours.principles.push(Item::new("Non-interference"));
    ours.quotes.push(Quote {
        text: "It is done.".into(),
        speaker: Some("Lebedev".into()),
    });
    let mut theirs = base.clone();
    theirs.principles.push(Item::new("Mutual respect"));
    theirs.quotes[0].speaker = Some("Rahmon".into());
    let m = merge(&base, &ours, &theirs).unwrap();
    assert_eq!(
        texts(&m.principles),
        [
            "Equality",
            "Sovereignty",
            "Non-interference",
            "Mutual respect"
        ]
    );
    assert_eq!(m.quotes.len(), 2);
    assert_eq!(m.quotes[0].speaker.as_deref(), Some("Rahmon"));
}

#[test]
fn initiatives_merge_field_by_field_and_tags_as_a_set() {
    use serde_json::json;
    let b = json!({"id": "x", "title": "T", "tags": ["a"]});
    let o = json!({"id": "x", "title": "T2", "tags": ["a", "b"]});
    let t = json!({"id": "x", "title": "T", "summary": "S", "tags": []});
    let m = merge_objects(&b, &o, &t).unwrap();
    assert_eq!(
        m,
        json!({"id": "x", "title": "T2", "tags": ["b"], "summary": "S"})
    );
    let t2 = json!({"id": "x", "title": "T3"});
    assert_eq!(merge_objects(&b, &o, &t2).unwrap_err(), ["title"]);
}

mod properties;
