//! Three-way merge of records: a common `base` and two versions made from it (`ours`,
//! `theirs`) give one merged record, or the fields both sides changed differently, each
//! with what clashed in the analyst's terms. Pure: no I/O, no git, no printing. The rules
//! are documented for analysts in `docs/merge.md`:
//!
//! - scalar fields (`date`, `kind`, `venue`, `summary`...) are taken from whichever side
//!   changed them; `speaker` and `source` field by field (`source.document` and
//!   `source.sha256` together);
//! - `tags` are a set: additions and removals of both sides are kept;
//! - `translations` (and `source.title_translations`) are maps keyed by language: each
//!   language merges on its own;
//! - `text`, `notes` and each translation merge word by word ([`text`]): edits to
//!   different words merge, edits to the same words conflict;
//! - priorities, principles and quotes merge item by item, with the order as data of its
//!   own ([`lists`]);
//! - the result must pass the record's own rules (`record::statement_problems`), or the
//!   fields named by the new problems conflict. Checks against the store (initiative,
//!   source hash, quotes) are the caller's, since they need the store.
//!
//! Callers: `dossier edit` racing a concurrent change, `sync` replaying local commits on
//! the remote's, and `dossier merge-driver` (git's merge driver for records).

mod lists;
pub mod text;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::record::{self, Item, Quote, Source, Speaker, Statement};
use lists::{merge_list, Elem, ItemMeta, ListKind};
pub use text::{merge_lines, merge_words, Markers};

/// One of the two sides of a merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The version being merged into (the local branch, git's `%A`).
    Ours,
    /// The version merged in (the remote's, git's `%B`).
    Theirs,
}

impl Side {
    pub fn other(self) -> Side {
        match self {
            Side::Ours => Side::Theirs,
            Side::Theirs => Side::Ours,
        }
    }
}

/// One field both sides changed, each differently from the base and from each other.
/// Values are given as JSON so that any renderer can show them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldConflict {
    /// The field's name as the record format spells it (`summary`, `priorities`...).
    pub field: &'static str,
    pub base: serde_json::Value,
    pub ours: serde_json::Value,
    pub theirs: serde_json::Value,
    /// What clashed inside the field, for people: "both sides moved 'Joint
    /// communications system': to 1 (ours) and to 4 (theirs)". Texts come from the
    /// records as given: escape them for display.
    pub details: Vec<String>,
}

/// A merge that did not go through: the fields that conflict, and the statement with every
/// other field merged, once with each clash settled for ours (`partial`) and once for
/// theirs (`partial_theirs`), for an analyst to settle by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflicted {
    pub partial: Box<Statement>,
    pub partial_theirs: Box<Statement>,
    pub conflicts: Vec<FieldConflict>,
}

/// The result of a merge: one statement, or the fields that conflict (never a guess).
pub type Merge = Result<Statement, Conflicted>;

/// How to merge.
#[derive(Debug, Clone, Copy)]
pub struct MergeOptions {
    /// Similarity (0 to 1) from which two wordings of an item are the same item, as in
    /// `diff --match-threshold`.
    pub match_threshold: f64,
}

impl Default for MergeOptions {
    fn default() -> Self {
        MergeOptions {
            match_threshold: crate::diff::DEFAULT_MATCH_THRESHOLD,
        }
    }
}

/// An item's text for a sentence: in single quotes, on one line, at most 60 characters.
pub(crate) fn quote(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = one_line.chars();
    let short: String = chars.by_ref().take(60).collect();
    if chars.next().is_some() {
        format!("'{short}…'")
    } else {
        format!("'{short}'")
    }
}

/// A value in a sentence: a text quoted, nothing as "nothing".
fn describe<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v).unwrap_or(serde_json::Value::Null) {
        serde_json::Value::Null => "nothing".into(),
        serde_json::Value::String(s) => quote(&s),
        other => quote(&other.to_string()),
    }
}

/// The clashes of one merge, by top-level field.
#[derive(Default)]
struct Clashes(BTreeMap<&'static str, Vec<String>>);

impl Clashes {
    fn add(&mut self, field: &'static str, details: impl IntoIterator<Item = String>) {
        let mut details = details.into_iter().peekable();
        if details.peek().is_some() {
            self.0.entry(field).or_default().extend(details);
        }
    }
}

/// The three-way pick of a value: `(value, clashed)`.
fn pick<T: PartialEq + Clone>(b: &T, o: &T, t: &T, prefer: Side) -> (T, bool) {
    if o == t || t == b {
        (o.clone(), false)
    } else if o == b {
        (t.clone(), false)
    } else {
        (
            match prefer {
                Side::Ours => o.clone(),
                Side::Theirs => t.clone(),
            },
            true,
        )
    }
}

/// A scalar field: one side's change, or a clash naming both.
fn scalar<T: PartialEq + Clone + Serialize>(
    name: &str,
    b: &T,
    o: &T,
    t: &T,
    prefer: Side,
    clashes: &mut Vec<String>,
) -> T {
    let (v, clash) = pick(b, o, t, prefer);
    if clash {
        clashes.push(format!(
            "both sides changed `{name}`: to {} (ours) and to {} (theirs)",
            describe(o),
            describe(t)
        ));
    }
    v
}

/// A text field, merged word by word when both sides changed it.
fn text_field(
    name: &str,
    b: &Option<String>,
    o: &Option<String>,
    t: &Option<String>,
    prefer: Side,
    clashes: &mut Vec<String>,
) -> Option<String> {
    let (v, clash) = pick(b, o, t, prefer);
    if !clash {
        return v;
    }
    match (b, o, t) {
        (Some(b), Some(o), Some(t)) => {
            let (merged, found) = merge_words(b, o, t, prefer);
            for c in found {
                clashes.push(format!(
                    "both sides changed the same words of `{name}`: {} became {} (ours) and {} (theirs)",
                    if c.base.trim().is_empty() { "(nothing)".to_string() } else { quote(&c.base) },
                    if c.ours.trim().is_empty() { "(nothing)".to_string() } else { quote(&c.ours) },
                    if c.theirs.trim().is_empty() { "(nothing)".to_string() } else { quote(&c.theirs) },
                ));
            }
            Some(merged)
        }
        (None, Some(_), Some(_)) => {
            clashes.push(format!("both sides added `{name}`, differently"));
            v
        }
        (Some(_), None, _) => {
            clashes.push(format!(
                "`{name}` was removed on our side and changed on theirs"
            ));
            v
        }
        _ => {
            clashes.push(format!(
                "`{name}` was removed on their side and changed on ours"
            ));
            v
        }
    }
}

/// A map of language to text: each language on its own, each text word by word.
fn text_map(
    name: &str,
    b: &BTreeMap<String, String>,
    o: &BTreeMap<String, String>,
    t: &BTreeMap<String, String>,
    prefer: Side,
    clashes: &mut Vec<String>,
) -> BTreeMap<String, String> {
    let keys: BTreeSet<&String> = b.keys().chain(o.keys()).chain(t.keys()).collect();
    let mut out = BTreeMap::new();
    for k in keys {
        let merged = text_field(
            &format!("{name}.{k}"),
            &b.get(k).cloned(),
            &o.get(k).cloned(),
            &t.get(k).cloned(),
            prefer,
            clashes,
        );
        if let Some(v) = merged {
            out.insert(k.clone(), v);
        }
    }
    out
}

/// A set kept in order: ours' order, less what theirs removed, plus what theirs added
/// (in theirs' order). Never a clash.
fn set(b: &[String], o: &[String], t: &[String]) -> Vec<String> {
    let mut out: Vec<String> = o
        .iter()
        .filter(|x| !b.contains(x) || t.contains(x))
        .cloned()
        .collect();
    for x in t {
        if !b.contains(x) && !out.contains(x) {
            out.push(x.clone());
        }
    }
    out
}

fn speaker(
    b: &Option<Speaker>,
    o: &Option<Speaker>,
    t: &Option<Speaker>,
    prefer: Side,
    clashes: &mut Vec<String>,
) -> Option<Speaker> {
    match (b, o, t) {
        (Some(b), Some(o), Some(t)) => Some(Speaker {
            name: scalar("speaker.name", &b.name, &o.name, &t.name, prefer, clashes),
            role: scalar("speaker.role", &b.role, &o.role, &t.role, prefer, clashes),
        }),
        _ => scalar("speaker", b, o, t, prefer, clashes),
    }
}

fn source(
    b: &Option<Source>,
    o: &Option<Source>,
    t: &Option<Source>,
    prefer: Side,
    clashes: &mut Vec<String>,
) -> Option<Source> {
    let empty = Source::default();
    let (bs, os, ts) = (
        b.as_ref().unwrap_or(&empty),
        o.as_ref().unwrap_or(&empty),
        t.as_ref().unwrap_or(&empty),
    );
    macro_rules! sub {
        ($f:ident) => {
            scalar(
                concat!("source.", stringify!($f)),
                &bs.$f,
                &os.$f,
                &ts.$f,
                prefer,
                clashes,
            )
        };
    }
    // The stored document and its hash go together.
    let (document, sha256) = scalar(
        "source.document",
        &(bs.document.clone(), bs.sha256.clone()),
        &(os.document.clone(), os.sha256.clone()),
        &(ts.document.clone(), ts.sha256.clone()),
        prefer,
        clashes,
    );
    let merged = Source {
        outlet: sub!(outlet),
        title: sub!(title),
        title_translations: text_map(
            "source.title_translations",
            &bs.title_translations,
            &os.title_translations,
            &ts.title_translations,
            prefer,
            clashes,
        ),
        url: sub!(url),
        published: sub!(published),
        retrieved: sub!(retrieved),
        document,
        sha256,
    };
    (merged != empty).then_some(merged)
}

fn items_in(list: &[Item]) -> Vec<Elem> {
    list.iter()
        .map(|i| Elem {
            key: i.key.clone(),
            text: i.text.clone(),
            speaker: None,
            meta: ItemMeta {
                translations: i.translations.clone(),
                same_as: i.same_as.clone(),
                not_same_as: i.not_same_as.clone(),
            },
        })
        .collect()
}

fn items_out(list: Vec<Elem>) -> Vec<Item> {
    list.into_iter()
        .map(|e| Item {
            key: e.key,
            text: e.text,
            translations: e.meta.translations,
            same_as: e.meta.same_as,
            not_same_as: e.meta.not_same_as,
        })
        .collect()
}

fn quotes_in(list: &[Quote]) -> Vec<Elem> {
    list.iter()
        .map(|q| Elem {
            key: None,
            text: q.text.clone(),
            speaker: q.speaker.clone(),
            meta: ItemMeta::default(),
        })
        .collect()
}

fn quotes_out(list: Vec<Elem>) -> Vec<Quote> {
    list.into_iter()
        .map(|e| Quote {
            text: e.text,
            speaker: e.speaker,
        })
        .collect()
}

/// One pass of the merge, with every clash settled for `prefer`.
fn merge_pass(
    base: &Statement,
    ours: &Statement,
    theirs: &Statement,
    opts: &MergeOptions,
    prefer: Side,
) -> (Statement, Clashes) {
    // Every field is named here: a field added to `Statement` fails to compile until the
    // merge knows it.
    let Statement {
        id: _,
        initiative: _,
        date: _,
        kind: _,
        stage: _,
        speaker: _,
        venue: _,
        language: _,
        text: _,
        translations: _,
        summary: _,
        priorities: _,
        principles: _,
        lists: _,
        quotes: _,
        source: _,
        tags: _,
        notes: _,
    } = base;
    let (b, o, t) = (base, ours, theirs);
    let mut all = Clashes::default();
    let mut c = Vec::new();
    macro_rules! plain {
        ($f:ident) => {{
            let v = scalar(stringify!($f), &b.$f, &o.$f, &t.$f, prefer, &mut c);
            all.add(stringify!($f), c.drain(..));
            v
        }};
    }
    macro_rules! with {
        ($f:literal, $e:expr) => {{
            let v = $e;
            all.add($f, c.drain(..));
            v
        }};
    }
    let list = |bl: Vec<Elem>, ol: Vec<Elem>, tl: Vec<Elem>, noun: &'static str, ranked: bool| {
        merge_list(
            &bl,
            &ol,
            &tl,
            ListKind { noun, ranked },
            opts.match_threshold,
            prefer,
        )
    };
    let merged = Statement {
        id: plain!(id),
        initiative: plain!(initiative),
        date: plain!(date),
        kind: plain!(kind),
        stage: plain!(stage),
        speaker: with!(
            "speaker",
            speaker(&b.speaker, &o.speaker, &t.speaker, prefer, &mut c)
        ),
        venue: plain!(venue),
        language: plain!(language),
        text: with!(
            "text",
            text_field("text", &b.text, &o.text, &t.text, prefer, &mut c)
        ),
        translations: with!(
            "translations",
            text_map(
                "translations",
                &b.translations,
                &o.translations,
                &t.translations,
                prefer,
                &mut c
            )
        ),
        summary: plain!(summary),
        lists: plain!(lists),
        priorities: {
            let (v, found) = list(
                items_in(&b.priorities),
                items_in(&o.priorities),
                items_in(&t.priorities),
                "priority",
                true,
            );
            all.add("priorities", found);
            items_out(v)
        },
        principles: {
            let (v, found) = list(
                items_in(&b.principles),
                items_in(&o.principles),
                items_in(&t.principles),
                "principle",
                false,
            );
            all.add("principles", found);
            items_out(v)
        },
        quotes: {
            let (v, found) = list(
                quotes_in(&b.quotes),
                quotes_in(&o.quotes),
                quotes_in(&t.quotes),
                "quote",
                false,
            );
            all.add("quotes", found);
            quotes_out(v)
        },
        source: with!(
            "source",
            source(&b.source, &o.source, &t.source, prefer, &mut c)
        ),
        tags: set(&b.tags, &o.tags, &t.tags),
        notes: with!(
            "notes",
            text_field("notes", &b.notes, &o.notes, &t.notes, prefer, &mut c)
        ),
    };
    (merged, all)
}

/// The top-level field a problem's field path (`priorities[2].key`) belongs to.
fn top_field(path: &str) -> &'static str {
    let head = path.split(['.', '[']).next().unwrap_or(path);
    FIELDS.iter().copied().find(|f| *f == head).unwrap_or("id")
}

/// Every field of a statement, in the record's order.
pub const FIELDS: &[&str] = &[
    "id",
    "initiative",
    "date",
    "kind",
    "stage",
    "speaker",
    "venue",
    "language",
    "text",
    "translations",
    "summary",
    "priorities",
    "principles",
    "quotes",
    "source",
    "tags",
    "notes",
];

/// One top-level field of a statement as JSON (null when left out).
pub fn field_value(st: &Statement, field: &str) -> serde_json::Value {
    match serde_json::to_value(st) {
        Ok(serde_json::Value::Object(mut m)) => m.remove(field).unwrap_or(serde_json::Value::Null),
        _ => serde_json::Value::Null,
    }
}

/// `merged` with the fields that clash taken from `other`.
fn fields_from(merged: &Statement, other: &Statement, clashes: &Clashes) -> Statement {
    let (Ok(serde_json::Value::Object(mut m)), Ok(serde_json::Value::Object(o))) =
        (serde_json::to_value(merged), serde_json::to_value(other))
    else {
        return other.clone();
    };
    for f in clashes.0.keys() {
        match o.get(*f) {
            Some(v) => m.insert(f.to_string(), v.clone()),
            None => m.remove(*f),
        };
    }
    serde_json::from_value(serde_json::Value::Object(m)).unwrap_or_else(|_| other.clone())
}

/// Merges `ours` and `theirs`, both made from `base`, with the default options.
pub fn merge_statements(base: &Statement, ours: &Statement, theirs: &Statement) -> Merge {
    merge_statements_with(base, ours, theirs, &MergeOptions::default())
}

/// Merges `ours` and `theirs`, both made from `base`: see the module documentation.
pub fn merge_statements_with(
    base: &Statement,
    ours: &Statement,
    theirs: &Statement,
    opts: &MergeOptions,
) -> Merge {
    if ours == theirs || theirs == base {
        return Ok(ours.clone());
    }
    if ours == base {
        return Ok(theirs.clone());
    }
    let (merged, mut clashes) = merge_pass(base, ours, theirs, opts, Side::Ours);
    // The result must stand on its own: a problem neither side had is the merge's.
    let had: BTreeSet<(String, String)> = record::statement_problems(ours)
        .into_iter()
        .chain(record::statement_problems(theirs))
        .collect();
    for (field, message) in record::statement_problems(&merged) {
        if !had.contains(&(field.clone(), message.clone())) {
            clashes.add(
                top_field(&field),
                [format!("merged, `{field}` would not pass check: {message}")],
            );
        }
    }
    if clashes.0.is_empty() {
        return Ok(merged);
    }
    let (theirs_pass, _) = merge_pass(base, ours, theirs, opts, Side::Theirs);
    // Settled for theirs only where they conflict: elsewhere (the order of an unranked
    // list, say) the two partial records agree.
    let partial_theirs = fields_from(&merged, &theirs_pass, &clashes);
    let conflicts = FIELDS
        .iter()
        .filter_map(|f| {
            let details = clashes.0.remove(f)?;
            Some(FieldConflict {
                field: f,
                base: field_value(base, f),
                ours: field_value(ours, f),
                theirs: field_value(theirs, f),
                details,
            })
        })
        .collect();
    Err(Conflicted {
        partial: Box::new(merged),
        partial_theirs: Box::new(partial_theirs),
        conflicts,
    })
}

/// Merges two versions of a record that is not a statement (an initiative, the store's
/// settings) field by field, as JSON objects: a field changed on one side is taken,
/// `tags` merge as a set, a field changed differently on both sides is a conflict
/// (`Err` with the fields' names).
pub fn merge_objects(
    base: &serde_json::Value,
    ours: &serde_json::Value,
    theirs: &serde_json::Value,
) -> Result<serde_json::Value, Vec<String>> {
    use serde_json::{Map, Value};
    let obj = |v: &'_ Value| -> Option<Map<String, Value>> { v.as_object().cloned() };
    let (Some(b), Some(o), Some(t)) = (obj(base), obj(ours), obj(theirs)) else {
        return Err(vec![String::new()]);
    };
    let mut keys: Vec<String> = o.keys().cloned().collect();
    for k in t.keys().chain(b.keys()) {
        if !keys.contains(k) {
            keys.push(k.clone());
        }
    }
    let mut out = Map::new();
    let mut conflicts = Vec::new();
    for k in keys {
        let (bv, ov, tv) = (b.get(&k), o.get(&k), t.get(&k));
        let strings = |v: Option<&Value>| -> Option<Vec<String>> {
            match v {
                None => Some(Vec::new()),
                Some(Value::Array(a)) => a.iter().map(|x| x.as_str().map(String::from)).collect(),
                _ => None,
            }
        };
        let merged = match (k.as_str(), strings(bv), strings(ov), strings(tv)) {
            ("tags", Some(bs), Some(os), Some(ts)) => {
                let s = set(&bs, &os, &ts);
                (!s.is_empty()).then(|| Value::from(s))
            }
            _ => {
                let (v, clash) = pick(&bv.cloned(), &ov.cloned(), &tv.cloned(), Side::Ours);
                if clash {
                    conflicts.push(k.clone());
                }
                v
            }
        };
        if let Some(v) = merged {
            out.insert(k, v);
        }
    }
    if conflicts.is_empty() {
        Ok(Value::Object(out))
    } else {
        Err(conflicts)
    }
}
