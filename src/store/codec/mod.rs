//! The only YAML user: records in, records out.
//!
//! Reading (this file) goes through serde-saphyr into a located tree (`tree.rs`), which
//! is checked against a schema (`schema.rs`) so that every problem of a file is reported
//! (with line and column), not just the first; only a clean tree becomes a typed record.
//! Writing goes through our own emitter (`emit.rs`) over the record's serde form, because
//! the format promises things a stock serializer does not: the same field order every
//! time, literal block scalars for multi-line text, quotes on every scalar a YAML 1.1
//! reader would take for something else, and texts with control characters kept readable
//! and line-diffable.

mod emit;
mod schema;
mod tree;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use serde::Serialize;
use serde_json::Value;
use serde_saphyr::Spanned;

use crate::error::{Error, Location};
use crate::record::{Initiative, Statement, StoreSettings};

pub use emit::{encode, encode_field, encode_list};
pub use schema::did_you_mean;

use schema::{Checker, Field, ANNOTATION, INITIATIVE, SETTINGS, STATEMENT};
use tree::Node;

/// Records larger than this are refused before parsing.
pub const MAX_RECORD_BYTES: usize = 4 * 1024 * 1024;

/// Reads a record file, but never more than one byte past [`MAX_RECORD_BYTES`]: a huge
/// file is refused by the decoder without having been read into memory. Only a regular
/// file is read: a symbolic link is not followed, a FIFO or a device is refused at once.
pub fn read_capped(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    crate::fsio::open_regular(path)?
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
        e.hints.extend(self.hint);
        e
    }
}

/// Turns a list of problems into one error: the first in full, each other one as a
/// `Caused by:` line, and every problem's own hint (a did-you-mean for each misspelt
/// field), those of the later problems naming their field.
pub fn problems_to_error(mut problems: Vec<Problem>) -> Error {
    if problems.is_empty() {
        return Error::new("the record does not read").invalid();
    }
    let more = problems.len() - 1;
    let first = problems.remove(0);
    let mut e = first.into_error();
    for p in problems {
        e = e.cause(format!("{}: `{}`: {}", p.location, p.field, p.message));
        if let Some(h) = p.hint {
            e = e.hint(if p.field.is_empty() {
                h
            } else {
                format!("`{}`: {h}", p.field)
            });
        }
    }
    if more > 0 {
        e = e.hint("fix each problem listed, then try again");
    }
    e
}

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

/// The `field` of the problem an unsettled merge conflict is (conflict markers left in
/// the file by git or by dossier), so that callers can say how to settle it.
pub const UNSETTLED: &str = "(merge conflict)";

/// Conflict markers at the start of lines (`<<<<<<<` ... `>>>>>>>`), which no record
/// written by dossier has: a merge left them. Names the fields inside them.
fn unsettled(text: &str, file: &std::path::Path) -> Option<Problem> {
    let mut first = None;
    let mut fields: Vec<String> = Vec::new();
    let mut inside = false;
    let mut closed = false;
    for (n, line) in text.lines().enumerate() {
        if line.starts_with("<<<<<<<") {
            first.get_or_insert(n + 1);
            inside = true;
        } else if line.starts_with(">>>>>>>") {
            inside = false;
            closed = first.is_some();
        } else if inside {
            if let Some((key, _)) = line.split_once(':') {
                let ok = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit());
                if ok && !fields.iter().any(|f| f == key) {
                    fields.push(key.to_string());
                }
            }
        }
    }
    let line = first.filter(|_| closed)?;
    let named = if fields.is_empty() {
        String::new()
    } else {
        format!(
            " in {}",
            fields
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Some(Problem {
        location: Location::at(file, line as u32, 1),
        field: UNSETTLED.into(),
        message: format!(
            "an unsettled merge conflict{named}: both sides changed the record, and the conflict markers (<<<<<<<, |||||||, =======, >>>>>>>) are still in the file"
        ),
        hint: Some(
            "keep one version of each marked field (ours, base or theirs) and delete the marker lines"
                .into(),
        ),
    })
}

fn decode<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    file: &std::path::Path,
    schema: &'static [Field],
) -> Result<Decoded<T>, Vec<Problem>> {
    let text = to_text(bytes, file).map_err(|p| vec![p])?;
    if let Some(p) = unsettled(text, file) {
        return Err(vec![p]);
    }
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
/// The most items one list of a statement (priorities, principles, quotes, tags,
/// translations) may hold: bounds what comparing two records can cost, whoever wrote them.
pub const MAX_LIST_ITEMS: usize = 2_000;

pub fn decode_statement(
    bytes: &[u8],
    file: &std::path::Path,
) -> Result<Decoded<Statement>, Vec<Problem>> {
    let decoded: Decoded<Statement> = decode(bytes, file, STATEMENT)?;
    let st = &decoded.record;
    for (field, len) in [
        ("priorities", st.priorities.len()),
        ("principles", st.principles.len()),
        ("quotes", st.quotes.len()),
        ("tags", st.tags.len()),
        ("translations", st.translations.len()),
    ] {
        if len > MAX_LIST_ITEMS {
            return Err(vec![Problem {
                location: decoded.place(field),
                field: field.to_string(),
                message: format!("{len} items; a list holds at most {MAX_LIST_ITEMS}"),
                hint: Some(
                    "split the statement, or keep the full list in its source document".into(),
                ),
            }]);
        }
    }
    Ok(decoded)
}

pub fn decode_initiative(
    bytes: &[u8],
    file: &std::path::Path,
) -> Result<Decoded<Initiative>, Vec<Problem>> {
    decode(bytes, file, INITIATIVE)
}

/// Reads an annotation file: syntax and schema problems, all of them, or the annotation.
/// Its own rules are [`crate::annotation::annotation_problems`].
pub fn decode_annotation(
    bytes: &[u8],
    file: &std::path::Path,
) -> Result<Decoded<crate::annotation::Annotation>, Vec<Problem>> {
    decode(bytes, file, ANNOTATION)
}

pub fn decode_settings(
    bytes: &[u8],
    file: &std::path::Path,
) -> Result<StoreSettings, Vec<Problem>> {
    decode(bytes, file, SETTINGS).map(|d| d.record)
}
