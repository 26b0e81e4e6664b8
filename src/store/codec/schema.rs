//! The schema of each record file, as tables of fields and their shapes, and the checker
//! that walks a located tree against them, collecting every problem with its place and a
//! hint, and turning a clean tree into the record's serde form.

use std::collections::HashMap;

use serde_json::Value;
use serde_saphyr::Spanned;

use super::tree::Node;
use super::Problem;
use crate::error::Location;
use crate::record;

#[derive(Clone, Copy)]
pub(super) enum Shape {
    Text,
    Int,
    /// A number from 0 to 1.
    Fraction,
    /// A list of texts.
    Texts,
    /// A list of lists of texts (synonym groups).
    TextGroups,
    /// A list of `{key?, text}` or plain texts.
    Items,
    /// A list of `{text, speaker?}` or plain texts.
    Quotes,
    /// A mapping of language tag to text.
    LangMap,
    Object(&'static [Field]),
}

pub(super) struct Field {
    pub(super) name: &'static str,
    pub(super) shape: Shape,
    pub(super) required: bool,
}

const fn f(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        shape,
        required: false,
    }
}

const fn req(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        shape,
        required: true,
    }
}

pub(super) const SPEAKER: &[Field] = &[req("name", Shape::Text), f("role", Shape::Text)];
pub(super) const ITEM: &[Field] = &[
    f("key", Shape::Text),
    req("text", Shape::Text),
    f("translations", Shape::LangMap),
    f("same_as", Shape::Texts),
    f("not_same_as", Shape::Texts),
];
pub(super) const QUOTE: &[Field] = &[req("text", Shape::Text), f("speaker", Shape::Text)];
pub(super) const SOURCE: &[Field] = &[
    f("outlet", Shape::Text),
    f("title", Shape::Text),
    f("title_translations", Shape::LangMap),
    f("url", Shape::Text),
    f("published", Shape::Text),
    f("retrieved", Shape::Text),
    f("document", Shape::Text),
    f("sha256", Shape::Text),
];

pub(super) const STATEMENT: &[Field] = &[
    req("id", Shape::Text),
    req("initiative", Shape::Text),
    req("date", Shape::Text),
    f("kind", Shape::Text),
    f("stage", Shape::Text),
    f("speaker", Shape::Object(SPEAKER)),
    f("venue", Shape::Text),
    req("language", Shape::Text),
    f("text", Shape::Text),
    f("translations", Shape::LangMap),
    f("summary", Shape::Text),
    f("priorities", Shape::Items),
    f("principles", Shape::Items),
    f("lists", Shape::Text),
    f("quotes", Shape::Quotes),
    f("source", Shape::Object(SOURCE)),
    f("tags", Shape::Texts),
    f("notes", Shape::Text),
];

pub(super) const INITIATIVE: &[Field] = &[
    req("id", Shape::Text),
    req("title", Shape::Text),
    f("organization", Shape::Text),
    f("horizon", Shape::Int),
    f("status", Shape::Text),
    f("supersedes", Shape::Text),
    f("tags", Shape::Texts),
    f("summary", Shape::Text),
];

pub(super) const ANNOTATION_ITEM: &[Field] = &[
    req("section", Shape::Text),
    req("rank", Shape::Int),
    f("key", Shape::Text),
    req("text", Shape::Text),
];
pub(super) const ANNOTATION_CHANGE: &[Field] = &[
    req("id", Shape::Text),
    req("from", Shape::Text),
    req("from_blob", Shape::Text),
    req("status", Shape::Text),
    f("before", Shape::Text),
    f("after", Shape::Text),
];
pub(super) const ANNOTATION: &[Field] = &[
    req("id", Shape::Text),
    req("statement", Shape::Text),
    req("blob", Shape::Text),
    f("item", Shape::Object(ANNOTATION_ITEM)),
    f("change", Shape::Object(ANNOTATION_CHANGE)),
    f("assessment", Shape::Text),
    f("tags", Shape::Texts),
    req("note", Shape::Text),
    f("author", Shape::Text),
    req("date", Shape::Text),
];

pub(super) const SETTINGS: &[Field] = &[
    req("format", Shape::Int),
    f("default_language", Shape::Text),
    f("match_threshold", Shape::Fraction),
    f("match_margin", Shape::Fraction),
    f("synonyms", Shape::TextGroups),
];

/// Fields (by their whole path) whose text must be one of a fixed list of words.
fn word_list(path: &str) -> Option<&'static [&'static str]> {
    match path {
        "kind" => Some(record::Kind::WORDS),
        "stage" | "status" => Some(record::Stage::WORDS),
        "lists" => Some(record::Lists::WORDS),
        "assessment" => Some(crate::annotation::Assessment::WORDS),
        "item.section" => Some(crate::annotation::Section::WORDS),
        _ => None,
    }
}

/// Walks a tree against a schema, collecting problems and the place of every field.
pub(super) struct Checker<'a> {
    pub(super) file: &'a std::path::Path,
    pub(super) source: &'a str,
    pub(super) problems: Vec<Problem>,
    pub(super) places: HashMap<String, Location>,
}

impl Checker<'_> {
    fn loc(&self, node: &Spanned<Node>) -> Location {
        let l = node.referenced;
        Location::at(self.file, l.line() as u32, l.column() as u32)
    }

    fn problem(&mut self, at: Location, field: &str, message: String, hint: Option<String>) {
        self.problems.push(Problem {
            location: at,
            field: field.to_string(),
            message,
            hint,
        });
    }

    /// The source text of the line a node starts on, trimmed after the key.
    fn raw_scalar(&self, node: &Spanned<Node>) -> Option<String> {
        let line = self
            .source
            .lines()
            .nth(node.referenced.line().checked_sub(1)? as usize)?;
        let col = node.referenced.column().saturating_sub(1) as usize;
        let rest: String = line.chars().skip(col).collect();
        let rest = rest.split(" #").next()?.trim();
        (!rest.is_empty()).then(|| rest.to_string())
    }

    pub(super) fn object(
        &mut self,
        node: &Spanned<Node>,
        fields: &[Field],
        path: &str,
    ) -> Option<Value> {
        let Node::Map(entries) = &node.value else {
            let at = self.loc(node);
            let required: Vec<String> = fields
                .iter()
                .filter(|f| f.required)
                .map(|f| format!("`{}: ...`", f.name))
                .collect();
            let hint = if path.is_empty() {
                "a record is a mapping of `field: value` lines".to_string()
            } else {
                format!(
                    "give its fields on indented lines under `{}:`, e.g. {}",
                    path.rsplit('.').next().unwrap_or(path),
                    required.join(", ")
                )
            };
            self.problem(
                at,
                path,
                format!(
                    "expected a mapping of fields, found {}",
                    node.value.type_name()
                ),
                Some(hint),
            );
            return None;
        };
        let mut out = serde_json::Map::new();
        let mut ok = true;
        for (key, value) in entries {
            let Node::Str(name) = &key.value else {
                let at = self.loc(key);
                self.problem(at, path, "a field name must be text".into(), None);
                ok = false;
                continue;
            };
            let field_path = join(path, name);
            let Some(field) = fields.iter().find(|f| f.name == name) else {
                let at = self.loc(key);
                let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
                let hint = match did_you_mean(name, &known) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!("the known fields here are: {}", known.join(", ")),
                };
                self.problem(
                    at,
                    &field_path,
                    format!("unknown field `{name}`"),
                    Some(hint),
                );
                ok = false;
                continue;
            };
            self.places.insert(field_path.clone(), self.loc(value));
            if matches!(value.value, Node::Null) && !field.required {
                continue;
            }
            match self.value(value, field.shape, &field_path) {
                Some(v) => {
                    out.insert(name.clone(), v);
                }
                None => ok = false,
            }
        }
        for field in fields.iter().filter(|f| f.required) {
            let present = out.contains_key(field.name)
                || entries
                    .iter()
                    .any(|(k, _)| matches!(&k.value, Node::Str(n) if n == field.name));
            if !present {
                let at = self.loc(node);
                self.problem(
                    at,
                    &join(path, field.name),
                    format!("the required field `{}` is missing", field.name),
                    Some(format!("add `{}: ...`", field.name)),
                );
                ok = false;
            }
        }
        ok.then_some(Value::Object(out))
    }

    fn value(&mut self, node: &Spanned<Node>, shape: Shape, path: &str) -> Option<Value> {
        match shape {
            Shape::Text => self.text(node, path).map(Value::String),
            Shape::Int => match node.value {
                Node::Int(i) => Some(Value::from(i)),
                _ => self.wrong(node, path, "a whole number"),
            },
            Shape::Fraction => match node.value {
                Node::Float(x) if (0.0..=1.0).contains(&x) => Some(Value::from(x)),
                Node::Int(i @ 0..=1) => Some(Value::from(i as f64)),
                _ => self.wrong(node, path, "a number from 0 to 1"),
            },
            Shape::Object(fields) => self.object(node, fields, path),
            Shape::Texts => {
                let items = self.seq(node, path)?;
                let mut out = Vec::new();
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    match self.text(item, &format!("{path}[{}]", i + 1)) {
                        Some(t) => out.push(Value::String(t)),
                        None => ok = false,
                    }
                }
                ok.then_some(Value::Array(out))
            }
            Shape::TextGroups => {
                let groups = self.seq(node, path)?;
                let mut out = Vec::new();
                let mut ok = true;
                for (i, group) in groups.iter().enumerate() {
                    let p = format!("{path}[{}]", i + 1);
                    match self.value(group, Shape::Texts, &p) {
                        Some(Value::Array(members)) if members.len() >= 2 => {
                            out.push(Value::Array(members))
                        }
                        Some(_) => {
                            let at = self.loc(group);
                            self.problem(
                                at,
                                &p,
                                "a synonym group needs two or more members".into(),
                                Some("write the words that mean the same in one list: `- [integral, unified, single]`".into()),
                            );
                            ok = false;
                        }
                        None => ok = false,
                    }
                }
                ok.then_some(Value::Array(out))
            }
            Shape::Items | Shape::Quotes => {
                let fields = if matches!(shape, Shape::Items) {
                    ITEM
                } else {
                    QUOTE
                };
                let items = self.seq(node, path)?;
                let mut out = Vec::new();
                let mut ok = true;
                for (i, item) in items.iter().enumerate() {
                    let item_path = format!("{path}[{}]", i + 1);
                    self.places.insert(item_path.clone(), self.loc(item));
                    let v = match &item.value {
                        Node::Str(_) => self
                            .text(item, &item_path)
                            .map(|t| serde_json::json!({ "text": t })),
                        _ => self.object(item, fields, &item_path),
                    };
                    match v {
                        Some(v) => out.push(v),
                        None => ok = false,
                    }
                }
                ok.then_some(Value::Array(out))
            }
            Shape::LangMap => {
                let Node::Map(entries) = &node.value else {
                    return self.wrong(node, path, "a mapping of language tags to texts");
                };
                let mut out = serde_json::Map::new();
                let mut ok = true;
                for (key, value) in entries {
                    let lang = match &key.value {
                        Node::Str(s) => s.clone(),
                        _ => {
                            self.wrong::<()>(key, path, "a language tag");
                            ok = false;
                            continue;
                        }
                    };
                    let p = join(path, &lang);
                    self.places.insert(p.clone(), self.loc(value));
                    match self.text(value, &p) {
                        Some(t) => {
                            out.insert(lang, Value::String(t));
                        }
                        None => ok = false,
                    }
                }
                ok.then_some(Value::Object(out))
            }
        }
    }

    fn seq<'n>(&mut self, node: &'n Spanned<Node>, path: &str) -> Option<&'n [Spanned<Node>]> {
        match &node.value {
            Node::Seq(items) => Some(items),
            _ => self.wrong(node, path, "a list"),
        }
    }

    fn text(&mut self, node: &Spanned<Node>, path: &str) -> Option<String> {
        match &node.value {
            Node::Str(s) => {
                let leaf = path.rsplit('.').next().unwrap_or(path);
                // By the whole path: an annotation's `change.status` is not a stage.
                if let Some(words) = word_list(path) {
                    if !words.contains(&s.as_str()) {
                        let at = self.loc(node);
                        let hint = match did_you_mean(s, words) {
                            Some(close) => format!("did you mean `{close}`?"),
                            None => format!("use one of: {}", words.join(", ")),
                        };
                        self.problem(at, path, format!("`{s}` is not a {leaf}"), Some(hint));
                        return None;
                    }
                }
                Some(s.clone())
            }
            Node::Bool | Node::Int(_) | Node::Float(_) | Node::Null => {
                let raw = self.raw_scalar(node);
                let at = self.loc(node);
                let (message, hint) = match &raw {
                    Some(raw) => (
                        format!(
                            "expected text, found {} (`{raw}` unquoted is read as {} by YAML readers)",
                            node.value.type_name(),
                            node.value.type_name()
                        ),
                        Some(format!("quote it: \"{raw}\"")),
                    ),
                    None => (format!("expected text, found {}", node.value.type_name()), None),
                };
                self.problem(at, path, message, hint);
                None
            }
            _ => self.wrong(node, path, "text"),
        }
    }

    fn wrong<T>(&mut self, node: &Spanned<Node>, path: &str, expected: &str) -> Option<T> {
        let at = self.loc(node);
        let hint = match expected {
            "a list" => Some(format!(
                "write one item a line, each starting with `- `, under `{}:`",
                path.rsplit('.').next().unwrap_or(path)
            )),
            "text" => Some(
                "write the text after the colon, or as a block: `field: |` and indented lines"
                    .into(),
            ),
            "a whole number" => Some("write digits only, e.g. `horizon: 2030`".into()),
            _ => None,
        };
        self.problem(
            at,
            path,
            format!("expected {expected}, found {}", node.value.type_name()),
            hint,
        );
        None
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// The closest known word, when it is close enough to be what was meant.
pub fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(word, k), *k))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}
