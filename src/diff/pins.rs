//! What matching knows beyond two lists: the [`Matcher`] with the store's synonyms and the
//! term frequencies of the statements around (an initiative, its lineage), and the
//! analysts' pins (`same_as`, `not_same_as` on items), which always win over the score.
//!
//! Pins join items into classes: an item pinned `same_as` another is the same item, and so
//! is anything pinned to either (transitively, across statements). `not_same_as` keeps two
//! classes apart. Keys are not pins here: two items with one key are paired by the
//! matching itself, and pins beat keys.

use std::collections::{HashMap, HashSet};

use super::matching::{MatchConfig, Matcher, Synonyms};
use crate::record::{Item, ItemAt, ItemRef, Statement};

/// Which list of a statement an item is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum List {
    Priorities,
    Principles,
}

impl List {
    /// The statement's list of this kind.
    pub fn of(self, st: &Statement) -> &[Item] {
        match self {
            List::Priorities => &st.priorities,
            List::Principles => &st.principles,
        }
    }

    /// Its field name: `priorities` or `principles`.
    pub fn field(self) -> &'static str {
        match self {
            List::Priorities => "priorities",
            List::Principles => "principles",
        }
    }
}

/// An item of a statement: `(statement id, list, 0-based index)`.
pub type ItemId = (String, List, usize);

/// The pins of a set of statements, as classes of items that are the same and pairs of
/// classes that are not.
#[derive(Debug, Clone, Default)]
pub struct Pins {
    class: HashMap<ItemId, usize>,
    apart: HashSet<(usize, usize)>,
}

impl Pins {
    /// The pins the statements' items carry. A pin naming a statement or item not among
    /// them is ignored here (`dossier check` reports it).
    pub fn of<'a>(statements: impl IntoIterator<Item = &'a Statement> + Clone) -> Pins {
        let by_id: HashMap<&str, &Statement> = statements
            .clone()
            .into_iter()
            .map(|s| (s.id.as_str(), s))
            .collect();
        let mut parent: Vec<usize> = Vec::new();
        let mut index: HashMap<ItemId, usize> = HashMap::new();
        let mut node = |id: ItemId, parent: &mut Vec<usize>| -> usize {
            *index.entry(id).or_insert_with(|| {
                parent.push(parent.len());
                parent.len() - 1
            })
        };
        let resolve = |pin: &str, list: List| -> Option<ItemId> {
            let r = ItemRef::parse(pin)?;
            let target = by_id.get(r.statement.as_str())?;
            let at = r.find(list.of(target))?;
            Some((r.statement, list, at))
        };
        let mut same: Vec<(ItemId, ItemId)> = Vec::new();
        let mut not: Vec<(ItemId, ItemId)> = Vec::new();
        for st in statements {
            for list in [List::Priorities, List::Principles] {
                for (i, item) in list.of(st).iter().enumerate() {
                    let me: ItemId = (st.id.clone(), list, i);
                    for pin in &item.same_as {
                        if let Some(t) = resolve(pin, list) {
                            same.push((me.clone(), t));
                        }
                    }
                    for pin in &item.not_same_as {
                        if let Some(t) = resolve(pin, list) {
                            not.push((me.clone(), t));
                        }
                    }
                }
            }
        }
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for (a, b) in &same {
            let (a, b) = (node(a.clone(), &mut parent), node(b.clone(), &mut parent));
            let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
            if ra != rb {
                parent[ra] = rb;
            }
        }
        let mut apart_nodes = Vec::new();
        for (a, b) in &not {
            apart_nodes.push((node(a.clone(), &mut parent), node(b.clone(), &mut parent)));
        }
        let class: HashMap<ItemId, usize> = index
            .into_iter()
            .map(|(id, n)| (id, find(&mut parent, n)))
            .collect();
        let apart = apart_nodes
            .into_iter()
            .map(|(a, b)| {
                let (a, b) = (find(&mut parent, a), find(&mut parent, b));
                (a.min(b), a.max(b))
            })
            .collect();
        Pins { class, apart }
    }

    /// True when there are no pins at all.
    pub fn is_empty(&self) -> bool {
        self.class.is_empty()
    }

    /// The class an item is in, when it carries or is the target of a pin.
    pub fn class(&self, id: &ItemId) -> Option<usize> {
        self.class.get(id).copied()
    }

    /// Whether two classes were said to be different items.
    pub fn apart(&self, a: usize, b: usize) -> bool {
        self.apart.contains(&(a.min(b), a.max(b)))
    }

    /// Whether the analyst said two items are the same (`Some(true)`), not the same
    /// (`Some(false)`), or nothing (`None`).
    pub fn said(&self, a: &ItemId, b: &ItemId) -> Option<bool> {
        let (ca, cb) = (self.class.get(a)?, self.class.get(b)?);
        if ca == cb {
            Some(true)
        } else if self.apart.contains(&((*ca).min(*cb), (*ca).max(*cb))) {
            Some(false)
        } else {
            None
        }
    }
}

/// One pin as a record writes it: on which item, which field, and what it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pinned {
    pub list: List,
    /// The 0-based index of the item carrying the pin.
    pub item: usize,
    /// `same_as` or `not_same_as`.
    pub kind: &'static str,
    /// The 0-based index of the pin in that field.
    pub at: usize,
    /// The pin as written (`STATEMENT-ID#N` or `STATEMENT-ID#KEY`).
    pub pin: String,
}

impl Pinned {
    /// The pins of a statement's items.
    pub fn of(st: &Statement) -> Vec<Pinned> {
        let mut out = Vec::new();
        for list in [List::Priorities, List::Principles] {
            for (i, item) in list.of(st).iter().enumerate() {
                for (kind, pins) in [
                    ("same_as", &item.same_as),
                    ("not_same_as", &item.not_same_as),
                ] {
                    for (at, pin) in pins.iter().enumerate() {
                        out.push(Pinned {
                            list,
                            item: i,
                            kind,
                            at,
                            pin: pin.clone(),
                        });
                    }
                }
            }
        }
        out
    }

    /// Its place in the record: `priorities[2].same_as[1]` (1-based, as `check` shows).
    pub fn field(&self) -> String {
        format!(
            "{}[{}].{}[{}]",
            self.list.field(),
            self.item + 1,
            self.kind,
            self.at + 1
        )
    }
}

/// What pins may name: each statement of the store by id, with the keys of its items
/// per list (a pin names an item by position or by key).
#[derive(Debug, Clone, Default)]
pub struct Targets {
    lists: HashMap<String, [Vec<Option<String>>; 2]>,
}

/// One statement as a pin target: its id and the keys of its items per list.
#[derive(Debug, Clone, Default)]
pub struct Target {
    id: String,
    lists: [Vec<Option<String>>; 2],
}

impl Target {
    /// What pins may name of `st`.
    pub fn of(st: &Statement) -> Target {
        let keys = |list: &[Item]| list.iter().map(|i| i.key.clone()).collect::<Vec<_>>();
        Target {
            id: st.id.clone(),
            lists: [keys(&st.priorities), keys(&st.principles)],
        }
    }
}

impl Targets {
    /// Adds a statement's items as targets.
    pub fn add(&mut self, t: Target) {
        self.lists.insert(t.id, t.lists);
    }

    /// Why a pin names no item (`None` when it names one, or is not a reference at all:
    /// the record's own check reports that).
    pub fn dangling(&self, p: &Pinned) -> Option<String> {
        let r = ItemRef::parse(&p.pin)?;
        let Some(lists) = self.lists.get(&r.statement) else {
            return Some(format!(
                "`{}` names the statement `{}`, which is not in the store (removed, or its id changed)",
                p.pin, r.statement
            ));
        };
        let keys = match p.list {
            List::Priorities => &lists[0],
            List::Principles => &lists[1],
        };
        let plural = |n: usize| match (p.list, n) {
            (List::Priorities, 1) => "priority".to_owned(),
            (List::Priorities, _) => "priorities".to_owned(),
            (List::Principles, 1) => "principle".to_owned(),
            (List::Principles, _) => "principles".to_owned(),
        };
        match &r.item {
            ItemAt::Rank(n) if *n > keys.len() => Some(format!(
                "`{}` names {} {n} of `{}`, which has {} {}",
                p.pin,
                plural(1),
                r.statement,
                keys.len(),
                plural(keys.len())
            )),
            ItemAt::Key(k) if !keys.iter().any(|x| x.as_deref() == Some(k.as_str())) => {
                Some(format!(
                    "`{}` names the {} with the key `{k}` of `{}`, which has none",
                    p.pin,
                    plural(1),
                    r.statement
                ))
            }
            _ => None,
        }
    }
}

/// What matching needs besides the two lists: the matcher and the pins.
#[derive(Debug, Clone, Default)]
pub struct MatchContext {
    pub matcher: Matcher,
    pub pins: Pins,
}

impl MatchContext {
    /// A context that has learned the items (priorities and principles, with their
    /// translations) of `statements`, and knows their pins.
    pub fn of<'a>(
        statements: impl IntoIterator<Item = &'a Statement> + Clone,
        config: MatchConfig,
        store_synonyms: &[Vec<String>],
    ) -> MatchContext {
        let mut matcher = Matcher::new(config, Synonyms::with_builtin(store_synonyms));
        for st in statements.clone() {
            for item in st.priorities.iter().chain(&st.principles) {
                let p = matcher.profile(&item.text, Some(&st.language), Some(&item.translations));
                matcher.learn(&p);
            }
        }
        MatchContext {
            matcher,
            pins: Pins::of(statements),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(id: &str, items: Vec<Item>) -> Statement {
        Statement {
            id: id.into(),
            initiative: "cis".into(),
            date: id[..10].into(),
            language: "en".into(),
            principles: items,
            ..Statement::default()
        }
    }

    fn pinned(text: &str, same: &[&str], not: &[&str]) -> Item {
        Item {
            text: text.into(),
            same_as: same.iter().map(|s| (*s).to_owned()).collect(),
            not_same_as: not.iter().map(|s| (*s).to_owned()).collect(),
            ..Item::default()
        }
    }

    #[test]
    fn pins_join_transitively_and_keep_apart() {
        let a = st("2024-01-01-a", vec![Item::new("One"), Item::new("Two")]);
        let b = st(
            "2024-02-01-b",
            vec![pinned("Uno", &["2024-01-01-a#1"], &[])],
        );
        let c = st(
            "2024-03-01-c",
            vec![pinned("Eins", &["2024-02-01-b#1"], &["2024-01-01-a#2"])],
        );
        let pins = Pins::of([&a, &b, &c]);
        let id = |s: &str, i| (s.to_owned(), List::Principles, i);
        assert_eq!(
            pins.said(&id("2024-01-01-a", 0), &id("2024-03-01-c", 0)),
            Some(true)
        );
        assert_eq!(
            pins.said(&id("2024-01-01-a", 1), &id("2024-03-01-c", 0)),
            Some(false)
        );
        // b's item is c's, and c's is not a's second: so neither is b's.
        assert_eq!(
            pins.said(&id("2024-01-01-a", 1), &id("2024-02-01-b", 0)),
            Some(false)
        );
        // Items nobody pinned: nothing said.
        assert_eq!(
            pins.said(&id("2024-01-01-a", 0), &id("2024-02-01-b", 5)),
            None
        );
        // A priority pin does not reach principles; an unknown target is ignored.
        let d = st(
            "2024-04-01-d",
            vec![pinned("x", &["2099-01-01-nowhere#1"], &[])],
        );
        assert!(Pins::of([&d]).is_empty());
    }

    #[test]
    fn dangling_pins_are_told_apart_from_good_ones() {
        let mut keyed = Item::new("Two");
        keyed.key = Some("two".into());
        let a = st("2024-01-01-a", vec![Item::new("One"), keyed]);
        let b = st(
            "2024-02-01-b",
            vec![
                pinned(
                    "Uno",
                    &["2024-01-01-a#1", "2024-01-01-a#3"],
                    &["2024-01-01-a#two"],
                ),
                pinned(
                    "Dos",
                    &["2024-01-01-a#zwei", "2023-12-01-gone#1"],
                    &["not a pin"],
                ),
            ],
        );
        let mut targets = Targets::default();
        targets.add(Target::of(&a));
        targets.add(Target::of(&b));
        let found: Vec<(String, String)> = Pinned::of(&b)
            .iter()
            .filter_map(|p| targets.dangling(p).map(|why| (p.field(), why)))
            .collect();
        let fields: Vec<&str> = found.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            fields,
            [
                "principles[1].same_as[2]",
                "principles[2].same_as[1]",
                "principles[2].same_as[2]"
            ]
        );
        assert!(found[0].1.contains("which has 2 principles"), "{found:?}");
        assert!(found[1].1.contains("with the key `zwei`"), "{found:?}");
        assert!(found[2].1.contains("not in the store"), "{found:?}");
    }
}
