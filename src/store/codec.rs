//! The only YAML user: records in, records out.
//!
//! Reading goes through serde-saphyr into a located `Node` tree, which is checked
//! against a schema so that every problem of a file is reported (with line and column),
//! not just the first; only a clean tree becomes a typed record. Writing goes through
//! our own emitter over the record's serde form, because the format promises things a
//! stock serializer does not: the same field order every time, literal block scalars for
//! multi-line text, quotes on every scalar a YAML 1.1 reader would take for something else,
//! and texts with control characters kept readable and line-diffable.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::error::{Error, Location};
use crate::record::{self, Initiative, Statement, StoreSettings};

/// Records larger than this are refused before parsing.
pub const MAX_RECORD_BYTES: usize = 4 * 1024 * 1024;

/// Reads a record file, but never more than one byte past [`MAX_RECORD_BYTES`]: a huge
/// file is refused by the decoder without having been read into memory.
pub fn read_capped(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_RECORD_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// One problem found in a record file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    #[serde(serialize_with = "ser_display")]
    pub location: Location,
    /// The field path (`priorities[2].text`), empty for the file as a whole.
    pub field: String,
    pub message: String,
    pub hint: Option<String>,
}

fn ser_display<S: serde::Serializer>(loc: &Location, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(loc)
}

impl Problem {
    pub fn into_error(self) -> Error {
        let msg = if self.field.is_empty() {
            self.message
        } else {
            format!("`{}`: {}", self.field, self.message)
        };
        let mut e = Error::new(msg).at(self.location).invalid();
        e.hint = self.hint;
        e
    }
}

/// Turns a list of problems into one error (the first in full, then a count).
pub fn problems_to_error(mut problems: Vec<Problem>) -> Error {
    let more = problems.len().saturating_sub(1);
    let first = problems.remove(0);
    let mut e = first.into_error();
    for p in problems {
        e = e.cause(format!("{}: `{}`: {}", p.location, p.field, p.message));
    }
    if more > 0 && e.hint.is_none() {
        e.hint = Some("fix each problem listed, then try again".into());
    }
    e
}

// ---------------------------------------------------------------------------------------
// The located tree
// ---------------------------------------------------------------------------------------

/// A YAML node with the places of its children.
#[derive(Debug, Clone)]
enum Node {
    Null,
    Bool,
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Node>>),
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a YAML value")
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
                Node::deserialize(d)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
                Ok(Node::Bool)
            }
            fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
                Ok(Node::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
                Ok(i64::try_from(v).map_or(Node::Float(v as f64), Node::Int))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
                Ok(Node::Float(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Node, E> {
                Ok(Node::Str(v.to_owned()))
            }
            fn visit_string<E>(self, v: String) -> Result<Node, E> {
                Ok(Node::Str(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Spanned<Node>>()? {
                    items.push(item);
                }
                Ok(Node::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<Node>>()? {
                    let value = map.next_value::<Spanned<Node>>()?;
                    entries.push((key, value));
                }
                Ok(Node::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

impl Node {
    fn type_name(&self) -> &'static str {
        match self {
            Node::Null => "nothing (null)",
            Node::Bool => "a boolean",
            Node::Int(_) | Node::Float(_) => "a number",
            Node::Str(_) => "text",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }
}

// ---------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum Shape {
    Text,
    Int,
    /// A number from 0 to 1.
    Fraction,
    /// A list of texts.
    Texts,
    /// A list of `{key?, text}` or plain texts.
    Items,
    /// A list of `{text, speaker?}` or plain texts.
    Quotes,
    /// A mapping of language tag to text.
    LangMap,
    Object(&'static [Field]),
}

struct Field {
    name: &'static str,
    shape: Shape,
    required: bool,
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

const SPEAKER: &[Field] = &[req("name", Shape::Text), f("role", Shape::Text)];
const ITEM: &[Field] = &[f("key", Shape::Text), req("text", Shape::Text)];
const QUOTE: &[Field] = &[req("text", Shape::Text), f("speaker", Shape::Text)];
const SOURCE: &[Field] = &[
    f("outlet", Shape::Text),
    f("title", Shape::Text),
    f("title_translations", Shape::LangMap),
    f("url", Shape::Text),
    f("published", Shape::Text),
    f("retrieved", Shape::Text),
    f("document", Shape::Text),
    f("sha256", Shape::Text),
];

const STATEMENT: &[Field] = &[
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
    f("quotes", Shape::Quotes),
    f("source", Shape::Object(SOURCE)),
    f("tags", Shape::Texts),
    f("notes", Shape::Text),
];

const INITIATIVE: &[Field] = &[
    req("id", Shape::Text),
    req("title", Shape::Text),
    f("organization", Shape::Text),
    f("horizon", Shape::Int),
    f("status", Shape::Text),
    f("supersedes", Shape::Text),
    f("tags", Shape::Texts),
    f("summary", Shape::Text),
];

const SETTINGS: &[Field] = &[
    req("format", Shape::Int),
    f("default_language", Shape::Text),
    f("match_threshold", Shape::Fraction),
];

/// Fields whose text must be one of a fixed list of words.
fn word_list(path: &str) -> Option<&'static [&'static str]> {
    match path {
        "kind" => Some(record::Kind::WORDS),
        "stage" | "status" => Some(record::Stage::WORDS),
        _ => None,
    }
}

/// Walks a tree against a schema, collecting problems and the place of every field.
struct Checker<'a> {
    file: &'a std::path::Path,
    source: &'a str,
    problems: Vec<Problem>,
    places: HashMap<String, Location>,
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

    fn object(&mut self, node: &Spanned<Node>, fields: &[Field], path: &str) -> Option<Value> {
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
                if let Some(words) = word_list(leaf) {
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

// ---------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------

/// A decoded record with the places of its fields, for locating later checks.
#[derive(Debug, Clone)]
pub struct Decoded<T> {
    pub record: T,
    places: HashMap<String, Location>,
    file: std::path::PathBuf,
}

impl<T> Decoded<T> {
    /// The same places, for another version of the record (e.g. after NFC).
    pub fn with_record<U>(&self, record: U) -> Decoded<U> {
        Decoded {
            record,
            places: self.places.clone(),
            file: self.file.clone(),
        }
    }

    /// A record that comes from no file (command-line flags): problems name `what`.
    pub fn unlocated(record: T, what: &std::path::Path) -> Decoded<T> {
        Decoded {
            record,
            places: HashMap::new(),
            file: what.to_path_buf(),
        }
    }

    /// Where a field (a path like `source.sha256` or `priorities[2]`) stands in the file;
    /// the nearest enclosing field's place when that one is not known.
    pub fn place(&self, field: &str) -> Location {
        let mut path = field;
        loop {
            if let Some(loc) = self.places.get(path) {
                return loc.clone();
            }
            match path.rfind(['.', '[']) {
                Some(i) => path = &path[..i],
                None => return Location::file(&self.file),
            }
        }
    }

    /// Problems of `(field, message)` pairs, located.
    pub fn locate(&self, problems: Vec<(String, String)>) -> Vec<Problem> {
        problems
            .into_iter()
            .map(|(field, message)| Problem {
                location: self.place(&field),
                field,
                message,
                hint: None,
            })
            .collect()
    }
}

fn parse_options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 16;
    budget.max_aliases = 0;
    budget.max_anchors = 0;
    budget.max_documents = 1;
    budget.max_nodes = 200_000;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.duplicate_keys = serde_saphyr::DuplicateKeyPolicy::Error;
    options
}

/// Checks bytes before parsing: size, UTF-8, NUL; strips a byte-order mark.
fn to_text<'a>(bytes: &'a [u8], file: &std::path::Path) -> Result<&'a str, Problem> {
    let problem = |location: Location, message: String, hint: Option<&str>| Problem {
        location,
        field: String::new(),
        message,
        hint: hint.map(str::to_string),
    };
    if bytes.len() > MAX_RECORD_BYTES {
        return Err(problem(
            Location::file(file),
            format!(
                "the record is larger than the cap: records are capped at {} bytes ({} MiB)",
                MAX_RECORD_BYTES,
                MAX_RECORD_BYTES / (1024 * 1024)
            ),
            Some("keep long source texts under sources/ and point at them with source.document"),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col(bytes, e.valid_up_to());
        problem(
            Location::at(file, line, col),
            "the file is not valid UTF-8".into(),
            Some("save the file as UTF-8"),
        )
    })?;
    if let Some(pos) = text.find('\0') {
        let (line, col) = line_col(bytes, pos);
        return Err(problem(
            Location::at(file, line, col),
            "the file holds a NUL byte".into(),
            Some("records are text: remove the NUL byte"),
        ));
    }
    Ok(text.strip_prefix('\u{FEFF}').unwrap_or(text))
}

fn line_col(bytes: &[u8], pos: usize) -> (u32, u32) {
    let before = &bytes[..pos.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line as u32, col as u32)
}

fn parse_tree(text: &str, file: &std::path::Path) -> Result<Spanned<Node>, Problem> {
    serde_saphyr::from_str_with_options::<Spanned<Node>>(text, parse_options()).map_err(|e| {
        let location = match e.location() {
            Some(l) => Location::at(file, l.line() as u32, l.column() as u32),
            None => Location::file(file),
        };
        let message = e.without_snippet().to_string();
        let message = message.lines().next().unwrap_or("malformed YAML");
        // The parser's own words, less what is meant for programmers or said twice: the
        // place (we give it in front) and advice on its options.
        let message = match message.rfind(" at line ") {
            Some(i) if message[i..].contains(", column ") => &message[..i],
            _ => message,
        };
        let message = message.replace(", set DuplicateKeyPolicy in Options if acceptable", "");
        let message = if message.contains("budget breached: Anchors")
            || message.contains("budget breached: Aliases")
        {
            "anchors (`&name`) and aliases (`*name`) are not allowed in records".to_string()
        } else if message.contains("budget breached: Depth") || message.contains("recursion limit")
        {
            "nested deeper than 16 levels".to_string()
        } else {
            message
        };
        let hint = if message.contains("budget")
            || message.contains("alias")
            || message.contains("anchor")
            || message.contains("nested deeper")
        {
            "records use no anchors or aliases and nest a few levels at most"
        } else if message.contains("uplicate") {
            "each field may appear once: remove the repeated one"
        } else {
            "fix the YAML syntax at that place (indentation, quotes, a missing `:`)"
        };
        Problem {
            location,
            field: String::new(),
            message: format!("malformed YAML: {message}"),
            hint: Some(hint.to_string()),
        }
    })
}

fn decode<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    file: &std::path::Path,
    schema: &'static [Field],
) -> Result<Decoded<T>, Vec<Problem>> {
    let text = to_text(bytes, file).map_err(|p| vec![p])?;
    let tree = parse_tree(text, file).map_err(|p| vec![p])?;
    let mut checker = Checker {
        file,
        source: text,
        problems: Vec::new(),
        places: HashMap::new(),
    };
    let value = checker.object(&tree, schema, "");
    if !checker.problems.is_empty() {
        return Err(checker.problems);
    }
    let value = value.unwrap_or(Value::Null);
    match serde_json::from_value::<T>(value) {
        Ok(record) => Ok(Decoded {
            record,
            places: checker.places,
            file: file.to_path_buf(),
        }),
        Err(e) => Err(vec![Problem {
            location: Location::file(file),
            field: String::new(),
            message: e.to_string(),
            hint: None,
        }]),
    }
}

/// Reads a statement record: syntax and schema problems, all of them, or the record.
/// Rules beyond the schema (ids, dates) are checked by [`record::statement_problems`].
pub fn decode_statement(
    bytes: &[u8],
    file: &std::path::Path,
) -> Result<Decoded<Statement>, Vec<Problem>> {
    decode(bytes, file, STATEMENT)
}

pub fn decode_initiative(
    bytes: &[u8],
    file: &std::path::Path,
) -> Result<Decoded<Initiative>, Vec<Problem>> {
    decode(bytes, file, INITIATIVE)
}

pub fn decode_settings(
    bytes: &[u8],
    file: &std::path::Path,
) -> Result<StoreSettings, Vec<Problem>> {
    decode(bytes, file, SETTINGS).map(|d| d.record)
}

// ---------------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------------

/// Writes a record as YAML in the store's stable form.
pub fn encode<T: Serialize>(record: &T) -> String {
    let value = serde_json::to_value(record).unwrap_or(Value::Null);
    let mut out = String::new();
    if let Value::Object(map) = &value {
        emit_map(&mut out, map, 0);
    }
    out
}

/// Writes a list of records as one YAML sequence in the same stable form (`[]` when empty).
pub fn encode_list<T: Serialize>(records: &[T]) -> String {
    let items: Vec<Value> = records
        .iter()
        .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
        .collect();
    if items.is_empty() {
        return "[]\n".into();
    }
    let mut out = String::new();
    emit_seq(&mut out, &items, 0);
    out
}

fn emit_map(out: &mut String, map: &serde_json::Map<String, Value>, indent: usize) {
    let mut first = true;
    for (key, value) in map {
        if !first || indent > 0 {
            push_indent(out, indent);
        }
        first = false;
        emit_entry(out, key, value, indent);
    }
}

fn emit_entry(out: &mut String, key: &str, value: &Value, indent: usize) {
    out.push_str(&scalar_inline(key));
    out.push(':');
    match value {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            emit_map(out, m, indent + 2);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            emit_seq(out, a, indent + 2);
        }
        _ => emit_scalar(out, value, indent + 2),
    }
}

fn emit_seq(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        push_indent(out, indent);
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => {
                let mut first = true;
                for (k, v) in m {
                    if !first {
                        push_indent(out, indent + 2);
                    }
                    first = false;
                    emit_entry(out, k, v, indent + 2);
                }
            }
            _ => {
                // A scalar after "- ": block scalars indent relative to the dash's content.
                let mut s = String::new();
                emit_scalar(&mut s, item, indent + 2);
                out.push_str(s.strip_prefix(' ').unwrap_or(&s));
            }
        }
    }
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// Writes `value` after a `key:` (with its leading space) and the line end.
fn emit_scalar(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::String(s) if is_multiline(s) => {
            if can_be_literal(s) {
                emit_literal(out, s, indent);
            } else {
                emit_double_quoted_lines(out, s, indent);
            }
        }
        Value::String(s) => {
            out.push(' ');
            out.push_str(&scalar_inline(s));
            out.push('\n');
        }
        Value::Number(n) => {
            let _ = writeln!(out, " {n}");
        }
        Value::Bool(b) => {
            let _ = writeln!(out, " {b}");
        }
        Value::Null => out.push_str(" null\n"),
        Value::Array(_) => out.push_str(" []\n"),
        Value::Object(_) => out.push_str(" {}\n"),
    }
}

fn is_multiline(s: &str) -> bool {
    s.contains('\n')
}

/// Characters a YAML block scalar cannot carry as they are.
fn unprintable(c: char) -> bool {
    match c {
        '\t' | '\n' => false,
        '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}' => true,
        c => c.is_control(),
    }
}

fn can_be_literal(s: &str) -> bool {
    if s.chars().any(unprintable) {
        return false;
    }
    // A text whose trailing line breaks are followed by spaces, or that is only line breaks,
    // is safer in quotes: chomping rules would not keep it exactly.
    let body = s.trim_end_matches('\n');
    if body.is_empty() || body.ends_with([' ', '\t']) && s.ends_with('\n') {
        return false;
    }
    // Lines made only of spaces directly after the header, or leading tabs, confuse
    // indentation detection in some readers.
    !body.lines().any(|l| l.starts_with('\t'))
}

fn emit_literal(out: &mut String, s: &str, indent: usize) {
    let trailing = s.len() - s.trim_end_matches('\n').len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let first_line = s.lines().next().unwrap_or("");
    // The indentation indicator counts from the parent node's indentation, not from the
    // line's start: our content always sits 2 columns further in than its key or dash.
    let indicator = if first_line.starts_with(' ')
        || (first_line.is_empty() && s.trim_start_matches('\n').starts_with(' '))
    {
        "2".to_string()
    } else {
        String::new()
    };
    let _ = writeln!(out, " |{indicator}{chomp}");
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        if !line.is_empty() {
            push_indent(out, indent);
            out.push_str(line);
        }
        out.push('\n');
    }
}

/// A double-quoted scalar that still breaks at the text's own line ends, so a text with
/// control characters stays readable and line-diffable.
fn emit_double_quoted_lines(out: &mut String, s: &str, indent: usize) {
    out.push_str(" \"");
    let mut lines = s.split('\n').peekable();
    while let Some(line) = lines.next() {
        let escaped = escape_double(line);
        out.push_str(&escaped);
        if lines.peek().is_some() {
            // `\n` is the line break itself; `\` at the end of the line folds away the
            // break in the YAML; the next line's indentation is then ignored by readers.
            out.push_str("\\n\\\n");
            push_indent(out, indent);
            if let Some(next) = lines.peek() {
                if next.starts_with(' ') {
                    out.push('\\');
                }
            }
        }
    }
    out.push_str("\"\n");
}

fn escape_double(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if unprintable(c) => {
                let n = c as u32;
                if n <= 0xFF {
                    let _ = write!(out, "\\x{n:02X}");
                } else {
                    let _ = write!(out, "\\u{n:04X}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A one-line scalar: plain when every YAML reader reads it back as the same text,
/// double-quoted otherwise.
fn scalar_inline(s: &str) -> String {
    if plain_is_safe(s) {
        s.to_string()
    } else {
        format!("\"{}\"", escape_double(s))
    }
}

/// Plain scalars are kept to texts that start with a letter, are not a YAML 1.1 or 1.2
/// boolean or null word, and hold nothing YAML gives meaning to.
fn plain_is_safe(s: &str) -> bool {
    const WORDS: &[&str] = &["y", "n", "yes", "no", "true", "false", "on", "off", "null"];
    let Some(first) = s.chars().next() else {
        return false;
    };
    first.is_alphabetic()
        && !WORDS.contains(&s.to_ascii_lowercase().as_str())
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s
            .chars()
            .any(|c| unprintable(c) || c == '\t' || crate::escape::needs_escape(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Item;
    use std::path::Path;

    fn sample() -> Statement {
        Statement {
            id: "2024-11-07-lebedev".into(),
            initiative: "cis-2030".into(),
            date: "2024-11-07".into(),
            language: "no".into(),
            text: Some("Line one\n\n  indented, «да»\nلـ\"الدول الأعضاء\"\n".into()),
            priorities: vec![Item::new("yes"), Item::new("1e3"), Item::new("- dash")],
            ..Default::default()
        }
    }

    fn roundtrip(st: &Statement) -> Statement {
        let yaml = encode(st);
        match decode_statement(yaml.as_bytes(), Path::new("x.yaml")) {
            Ok(d) => d.record,
            Err(p) => panic!("{yaml}\n{p:?}"),
        }
    }

    #[test]
    fn encodes_stably_and_reads_back() {
        let st = sample();
        let yaml = encode(&st);
        assert!(yaml.contains("date: \"2024-11-07\"\n"), "{yaml}");
        assert!(yaml.contains("language: \"no\"\n"), "{yaml}");
        assert!(
            yaml.contains("text: |\n  Line one\n\n    indented"),
            "{yaml}"
        );
        assert_eq!(roundtrip(&st), st);
    }

    #[test]
    fn control_characters_stay_line_diffable() {
        let mut st = sample();
        st.text = Some("Page one\n\u{c}\nPage two\n  indented\ttab".into());
        let yaml = encode(&st);
        assert!(yaml.contains("Page one\\n\\\n"), "{yaml}");
        assert!(yaml.lines().count() > 4, "{yaml}");
        assert_eq!(roundtrip(&st), st);
    }

    #[test]
    fn odd_texts_round_trip() {
        for text in [
            "",
            "\n",
            "a\n\n\n",
            " lead\nx",
            "\nfirst empty",
            "trail  \nx",
            "x\n \n",
            "tab\n\tx",
            "crlf\r\nx",
            "bidi \u{202E} x\ny",
            "# not a comment\n- nor a list",
        ] {
            let mut st = sample();
            st.text = Some(text.to_string());
            st.summary = Some(text.replace('\n', " ") + "s");
            assert_eq!(roundtrip(&st), st, "{text:?}");
        }
    }

    #[test]
    fn reports_every_problem_with_places() {
        let yaml = "id: 2024-x\ninitiative: a\ndate: 2024-11-07\nlanguage: no\nspeeker:\n  name: X\npriorities:\n  - text: [1]\n";
        let problems = decode_statement(yaml.as_bytes(), Path::new("s.yaml")).unwrap_err();
        let shown: Vec<String> = problems
            .iter()
            .map(|p| {
                format!(
                    "{} {} {}",
                    p.location,
                    p.field,
                    p.hint.clone().unwrap_or_default()
                )
            })
            .collect();
        assert_eq!(problems.len(), 3, "{shown:?}");
        assert!(shown[0].starts_with("s.yaml:4:11 language"), "{shown:?}");
        assert!(shown[0].contains("quote it: \"no\""), "{shown:?}");
        assert!(
            shown[1].starts_with("s.yaml:5:1 speeker") && shown[1].contains("`speaker`"),
            "{shown:?}"
        );
        assert!(
            shown[2].starts_with("s.yaml:8:11 priorities[1].text"),
            "{shown:?}"
        );
    }

    #[test]
    fn refuses_hostile_yaml() {
        let cases: &[(&str, &str)] = &[
            ("id: &a x\ninitiative: *a\n", "malformed"),
            ("id: a\nid: b\n", "malformed"),
            (
                &format!("id: {}x{}\n", "[".repeat(10_000), "]".repeat(10_000)),
                "malformed",
            ),
            ("id: a\n\tdate: b\n", "malformed"),
        ];
        for (yaml, want) in cases {
            let problems = decode_statement(yaml.as_bytes(), Path::new("h.yaml")).unwrap_err();
            assert!(
                problems[0].message.contains(want),
                "{yaml:.40}: {problems:?}"
            );
        }
        let big = vec![b'a'; MAX_RECORD_BYTES + 1];
        let p = decode_statement(&big, Path::new("b.yaml")).unwrap_err();
        assert!(p[0].message.contains("capped at"), "{p:?}");
        let p = decode_statement(b"id: a\xff\n", Path::new("u.yaml")).unwrap_err();
        assert_eq!(p[0].location.to_string(), "u.yaml:1:6");
    }

    #[test]
    fn accepts_bom_and_crlf() {
        let yaml = "\u{FEFF}id: 2024-11-07-x\r\ninitiative: a\r\ndate: \"2024-11-07\"\r\nlanguage: en\r\nsummary: S\r\n";
        let d = decode_statement(yaml.as_bytes(), Path::new("c.yaml")).unwrap();
        assert_eq!(d.record.summary.as_deref(), Some("S"));
    }
}
