//! Properties of the three-way merge, over generated statements and edits.

use proptest::prelude::*;

use super::*;

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "air",
        "defence",
        "joint",
        "system",
        "training",
        "cyber",
        "space",
        "border",
        "совет",
        "концепция",
        "مفهوم",
        "الدفاع",
        "2030",
        "by",
        "the",
    ])
    .prop_map(String::from)
}

fn phrase() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..5).prop_map(|w| {
        let mut s = w.join(" ");
        if let Some(first) = s.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        s
    })
}

fn statement() -> impl Strategy<Value = Statement> {
    (
        prop::option::of(phrase()),
        prop::option::of(phrase()),
        prop::option::of(prop::sample::select(vec![Kind::Speech, Kind::Draft])),
        prop::collection::vec(phrase(), 0..5),
        prop::collection::vec(phrase(), 0..3),
        prop::collection::vec(prop::sample::select(vec!["a", "b", "c"]), 0..3),
        prop::collection::btree_map(prop::sample::select(vec!["en", "ru"]), phrase(), 0..2),
        phrase(),
    )
        .prop_map(
            |(venue, text, kind, pri, pro, tags, tr, summary)| Statement {
                id: "2025-01-01-x".into(),
                initiative: "cis".into(),
                date: "2025-01-01".into(),
                language: "en".into(),
                venue,
                text,
                kind,
                summary: Some(summary),
                priorities: pri.into_iter().map(Item::new).collect(),
                principles: pro.into_iter().map(Item::new).collect(),
                tags: {
                    let mut t: Vec<String> = tags.into_iter().map(String::from).collect();
                    t.sort();
                    t.dedup();
                    t
                },
                translations: tr.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
                ..Default::default()
            },
        )
}

/// One edit of a list of items.
#[derive(Debug, Clone)]
enum Edit {
    Move(usize, usize),
    Reword(usize, String),
    Remove(usize),
    Add(usize, String),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            (0..6usize, 0..6usize).prop_map(|(a, b)| Edit::Move(a, b)),
            (0..6usize, word()).prop_map(|(a, w)| Edit::Reword(a, w)),
            (0..6usize).prop_map(Edit::Remove),
            (0..6usize, phrase()).prop_map(|(a, p)| Edit::Add(a, p)),
        ],
        0..3,
    )
}

fn apply(list: &mut Vec<Item>, edits: &[Edit]) {
    for e in edits {
        let n = list.len();
        match e {
            Edit::Move(a, b) if n > 0 => {
                let x = list.remove(a % n);
                list.insert(b % n, x);
            }
            Edit::Reword(a, w) if n > 0 => {
                let t = &mut list[a % n].text;
                t.push(' ');
                t.push_str(w);
            }
            Edit::Remove(a) if n > 0 => {
                list.remove(a % n);
            }
            Edit::Add(a, p) => list.insert(a % (n + 1), Item::new(p.clone())),
            _ => {}
        }
    }
}

/// A change of a statement: some fields replaced by another statement's, and some
/// priorities and principles moved, reworded, removed or added.
fn changed(base: Statement) -> impl Strategy<Value = Statement> {
    (
        statement(),
        prop::collection::vec(any::<bool>(), 8),
        edits(),
        edits(),
    )
        .prop_map(move |(other, which, pri, pro)| {
            let mut s = base.clone();
            if which[0] {
                s.venue = other.venue.clone();
            }
            if which[1] {
                s.text = other.text.clone();
            }
            if which[2] {
                s.kind = other.kind;
            }
            if which[3] {
                s.priorities = other.priorities.clone();
            } else {
                apply(&mut s.priorities, &pri);
            }
            if which[4] {
                s.principles = other.principles.clone();
            } else {
                apply(&mut s.principles, &pro);
            }
            if which[5] {
                s.tags = other.tags.clone();
            }
            if which[6] {
                s.translations = other.translations.clone();
            }
            if which[7] {
                s.summary = other.summary.clone();
            }
            s
        })
}

fn three() -> impl Strategy<Value = (Statement, Statement, Statement)> {
    statement().prop_flat_map(|b| (Just(b.clone()), changed(b.clone()), changed(b)))
}

fn conflicting_fields(m: &Merge) -> Vec<&'static str> {
    match m {
        Ok(_) => Vec::new(),
        Err(c) => c.conflicts.iter().map(|c| c.field).collect(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn merging_a_change_with_an_unchanged_side_gives_the_change((b, o, _) in three()) {
        prop_assert_eq!(merge(&b, &o, &b).unwrap(), o.clone());
        prop_assert_eq!(merge(&b, &b, &o).unwrap(), o);
    }

    #[test]
    fn merge_is_symmetric_in_which_fields_merge((b, o, t) in three()) {
        let ot = merge(&b, &o, &t);
        let to = merge(&b, &t, &o);
        prop_assert_eq!(conflicting_fields(&ot), conflicting_fields(&to));
        if let (Ok(x), Ok(y)) = (&ot, &to) {
            // Only the order of unranked lists may depend on which side is ours.
            let mut x = x.clone();
            let mut y = y.clone();
            for s in [&mut x, &mut y] {
                s.principles.sort_by(|a, b| a.text.cmp(&b.text));
                s.quotes.sort_by(|a, b| a.text.cmp(&b.text));
                s.tags.sort();
            }
            prop_assert_eq!(x, y);
        }
    }

    #[test]
    fn the_result_always_decodes_as_itself((b, o, t) in three()) {
        let records: Vec<Statement> = match merge(&b, &o, &t) {
            Ok(m) => vec![m],
            Err(c) => vec![*c.partial, *c.partial_theirs],
        };
        for m in records {
            let bytes = crate::store::codec::encode(&m);
            let back = crate::store::codec::decode_statement(bytes.as_bytes(), std::path::Path::new("m.yaml"))
                .map_err(|p| TestCaseError::fail(format!("{p:?}\n{bytes}")))?;
            prop_assert_eq!(back.record, m);
        }
    }

    #[test]
    fn a_field_only_one_side_changed_never_conflicts((b, o, t) in three()) {
        let m = merge(&b, &o, &t);
        let changed_both = |f: &str| {
            let v = |s: &Statement| field_value(s, f);
            v(&o) != v(&b) && v(&t) != v(&b)
        };
        for f in conflicting_fields(&m) {
            prop_assert!(changed_both(f), "{f} conflicts but one side left it alone");
        }
    }
}

/// Keeps section `keep` (0: ours, 1: base, 2: theirs) of every marked block.
fn keep_one(marked: &str, keep: usize) -> String {
    let mut out = String::new();
    let mut section: Option<usize> = None;
    for line in marked.split_inclusive('\n') {
        if line.starts_with("<<<<<<<") {
            section = Some(0);
        } else if line.starts_with("|||||||") {
            section = Some(1);
        } else if line.starts_with("=======") {
            section = Some(2);
        } else if line.starts_with(">>>>>>>") {
            section = None;
        } else if section.is_none() || section == Some(keep) {
            out.push_str(line);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_marked_record_reads_once_one_version_of_each_field_is_kept((b, o, t) in three()) {
        let Err(c) = merge(&b, &o, &t) else { return Ok(()) };
        let marked = crate::store::merge::mark(&b, &c, &crate::store::merge::Labels::default());
        let file = std::path::Path::new("m.yaml");
        prop_assert!(crate::store::codec::decode_statement(marked.as_bytes(), file).is_err());
        for (keep, want) in [(0, &*c.partial), (2, &*c.partial_theirs)] {
            let kept = keep_one(&marked, keep);
            let back = crate::store::codec::decode_statement(kept.as_bytes(), file)
                .map_err(|p| TestCaseError::fail(format!("{p:?}\n{kept}")))?;
            prop_assert_eq!(&back.record, want);
        }
        // Keeping the base of each conflicting field reads too.
        let kept = keep_one(&marked, 1);
        prop_assert!(crate::store::codec::decode_statement(kept.as_bytes(), file).is_ok(), "{}", kept);
    }
}
