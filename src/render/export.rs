//! Statements flattened for spreadsheets and other tools: one row per statement (or per
//! priority and principle), the same columns in CSV, JSON and YAML.
//!
//! Rows are ordered maps of column to value so that every format shares one set of
//! columns. Missing values are `null` in JSON and YAML and empty cells in CSV; lists stay
//! lists in JSON and YAML, while CSV joins priorities, principles and quotes with a line
//! break (one item per line of the cell) and tags with `", "`. Text is exported as stored
//! (no escaping of control or bidi characters): this is data, not terminal output.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::record::Statement;
use crate::store::Loaded;

/// A flat row: column name to value, in column order.
pub type Row = Map<String, Value>;

/// The columns and rows of a statement export. Translations get one `text_LANG` column
/// per language found in any statement, after `text`.
pub fn statement_rows(list: &[Loaded]) -> (Vec<String>, Vec<Row>) {
    let mut languages: Vec<String> = list
        .iter()
        .flat_map(|l| l.statement.translations.keys().cloned())
        .collect();
    languages.sort();
    languages.dedup();
    let rows: Vec<Row> = list
        .iter()
        .map(|l| statement_row(&l.statement, &languages))
        .collect();
    let columns = match rows.first() {
        Some(r) => r.keys().cloned().collect(),
        None => statement_row(&Statement::default(), &languages)
            .keys()
            .cloned()
            .collect(),
    };
    (columns, rows)
}

fn text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::String(s.to_string()))
}

fn list<'a>(items: impl Iterator<Item = &'a str>) -> Value {
    Value::Array(items.map(|s| Value::String(s.to_string())).collect())
}

fn statement_row(st: &Statement, languages: &[String]) -> Row {
    let src = st.source.as_ref();
    let mut row = Map::new();
    let mut put = |k: &str, v: Value| {
        row.insert(k.to_string(), v);
    };
    put("ref", Value::String(st.reference()));
    put("id", Value::String(st.id.clone()));
    put("initiative", Value::String(st.initiative.clone()));
    put("date", Value::String(st.date.clone()));
    put("kind", text(st.kind.map(|k| k.as_str())));
    put("stage", text(st.stage.map(|s| s.as_str())));
    put(
        "speaker",
        text(st.speaker.as_ref().map(|s| s.name.as_str())),
    );
    put(
        "role",
        text(st.speaker.as_ref().and_then(|s| s.role.as_deref())),
    );
    put("venue", text(st.venue.as_deref()));
    put("language", Value::String(st.language.clone()));
    put("outlet", text(src.and_then(|s| s.outlet.as_deref())));
    put("title", text(src.and_then(|s| s.title.as_deref())));
    put("url", text(src.and_then(|s| s.url.as_deref())));
    put("published", text(src.and_then(|s| s.published.as_deref())));
    put("retrieved", text(src.and_then(|s| s.retrieved.as_deref())));
    put("document", text(src.and_then(|s| s.document.as_deref())));
    put("summary", text(st.summary.as_deref()));
    put("text", text(st.text.as_deref()));
    for lang in languages {
        put(
            &format!("text_{lang}"),
            text(st.translations.get(lang).map(String::as_str)),
        );
    }
    put(
        "priorities",
        list(st.priorities.iter().map(|i| i.text.as_str())),
    );
    put(
        "principles",
        list(st.principles.iter().map(|i| i.text.as_str())),
    );
    put("quotes", list(st.quotes.iter().map(|q| q.text.as_str())));
    put("tags", list(st.tags.iter().map(String::as_str)));
    put("notes", text(st.notes.as_deref()));
    row
}

/// The columns of an item export.
pub const ITEM_COLUMNS: [&str; 6] = ["ref", "date", "section", "rank", "key", "text"];

/// One row per priority and principle, in statement order then list order; `rank` is the
/// item's 1-based place in its list.
pub fn item_rows(list: &[Loaded]) -> (Vec<String>, Vec<Row>) {
    let mut rows = Vec::new();
    for l in list {
        let st = &l.statement;
        for (section, items) in [("priority", &st.priorities), ("principle", &st.principles)] {
            for (i, item) in items.iter().enumerate() {
                let mut row = Map::new();
                row.insert("ref".into(), Value::String(st.reference()));
                row.insert("date".into(), Value::String(st.date.clone()));
                row.insert("section".into(), Value::String(section.into()));
                row.insert("rank".into(), Value::from(i + 1));
                row.insert("key".into(), text(item.key.as_deref()));
                row.insert("text".into(), Value::String(item.text.clone()));
                rows.push(row);
            }
        }
    }
    (ITEM_COLUMNS.iter().map(|c| c.to_string()).collect(), rows)
}

/// A CSV cell for a value: lists of sentences one per line, tags with commas.
fn cell(column: &str, value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => {
            let sep = if column == "tags" { ", " } else { "\n" };
            items
                .iter()
                .map(|v| cell(column, Some(v)))
                .collect::<Vec<_>>()
                .join(sep)
        }
        Some(other) => other.to_string(),
    }
}

/// CSV with a header row and RFC 4180 quoting (CRLF line ends), optionally after a UTF-8
/// byte-order mark.
pub fn csv(columns: &[String], rows: &[Row], bom: bool) -> Result<Vec<u8>> {
    let mut buffer = Vec::new();
    if bom {
        buffer.extend_from_slice("\u{FEFF}".as_bytes());
    }
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(buffer);
    let fail = |e: ::csv::Error| Error::new("could not write the CSV").cause(e);
    writer.write_record(columns).map_err(fail)?;
    for row in rows {
        writer
            .write_record(columns.iter().map(|c| cell(c, row.get(c))))
            .map_err(fail)?;
    }
    writer
        .into_inner()
        .map_err(|e| Error::new("could not write the CSV").cause(e.error()))
}

/// The columns of an annotation export.
pub const ANNOTATION_COLUMNS: [&str; 20] = [
    "id",
    "statement",
    "date",
    "author",
    "target",
    "section",
    "rank",
    "item",
    "change",
    "from",
    "change_status",
    "before",
    "after",
    "assessment",
    "tags",
    "note",
    "standing",
    "reason",
    "blob",
    "from_blob",
];

/// One row per annotation; `target` is `statement`, `item` or `change`; `standing` is
/// `current`, `moved` (the item is at another rank now) or `stale` (with `reason`).
pub fn annotation_rows(shown: &[crate::render::annotations::Shown]) -> (Vec<String>, Vec<Row>) {
    use crate::annotation::Standing;
    let rows = shown
        .iter()
        .map(|s| {
            let a = &s.annotation;
            let mut row = Map::new();
            let mut put = |k: &str, v: Value| {
                row.insert(k.to_string(), v);
            };
            put("id", Value::String(a.id.clone()));
            put("statement", Value::String(a.statement.clone()));
            put("date", Value::String(a.date.clone()));
            put("author", text(a.author.as_deref()));
            let target = if a.item.is_some() {
                "item"
            } else if a.change.is_some() {
                "change"
            } else {
                "statement"
            };
            put("target", Value::String(target.into()));
            let item = a.item.as_ref();
            let change = a.change.as_ref();
            put("section", text(item.map(|i| i.section.as_str())));
            put("rank", item.map_or(Value::Null, |i| Value::from(i.rank)));
            put("item", text(item.map(|i| i.text.as_str())));
            put("change", text(change.map(|c| c.id.as_str())));
            put("from", text(change.map(|c| c.from.as_str())));
            put("change_status", text(change.map(|c| c.status.as_str())));
            put("before", text(change.and_then(|c| c.before.as_deref())));
            put("after", text(change.and_then(|c| c.after.as_deref())));
            put("assessment", text(a.assessment.map(|x| x.as_str())));
            put("tags", list(a.tags.iter().map(String::as_str)));
            put("note", Value::String(a.note.clone()));
            let (standing, reason) = match &s.standing {
                Standing::Current => ("current", None),
                Standing::Moved { .. } => ("moved", None),
                Standing::Stale { reason } => ("stale", Some(reason.as_str())),
            };
            put("standing", Value::String(standing.into()));
            put("reason", text(reason));
            put("blob", Value::String(a.blob.clone()));
            put("from_blob", text(change.map(|c| c.from_blob.as_str())));
            row
        })
        .collect();
    (
        ANNOTATION_COLUMNS.iter().map(|c| c.to_string()).collect(),
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Item;

    fn loaded(st: Statement) -> Loaded {
        Loaded {
            statement: st,
            path: Default::default(),
        }
    }

    #[test]
    fn csv_quotes_and_joins_lists() {
        let mut st = Statement {
            id: "2024-01-01-a".into(),
            initiative: "cis".into(),
            date: "2024-01-01".into(),
            language: "ar".into(),
            text: Some("نص \"مقتبس\", ثم سطر\nجديد".into()),
            priorities: vec![Item::new("Air defence"), Item::new("Training")],
            tags: vec!["a".into(), "b".into()],
            ..Statement::default()
        };
        st.translations.insert("ru".into(), "Текст".into());
        let (cols, rows) = statement_rows(&[loaded(st)]);
        assert!(cols.iter().any(|c| c == "text_ru"), "{cols:?}");
        let out = String::from_utf8(csv(&cols, &rows, false).unwrap()).unwrap();
        assert!(out.starts_with("ref,id,initiative,date,"), "{out}");
        assert!(out.contains("\"نص \"\"مقتبس\"\", ثم سطر\nجديد\""), "{out}");
        assert!(out.contains("\"Air defence\nTraining\""), "{out}");
        assert!(out.contains("\"a, b\""), "{out}");
        assert!(out.ends_with("\r\n"), "{out:?}");
        let bom = csv(&cols, &rows, true).unwrap();
        assert!(bom.starts_with("\u{FEFF}ref".as_bytes()));
    }

    #[test]
    fn items_are_ranked_per_section() {
        let st = Statement {
            id: "x".into(),
            initiative: "cis".into(),
            date: "2024".into(),
            priorities: vec![Item::new("p1"), Item::new("p2")],
            principles: vec![Item {
                key: Some("sov".into()),
                text: "Sovereignty".into(),
                ..Item::default()
            }],
            ..Statement::default()
        };
        let (_, rows) = item_rows(&[loaded(st)]);
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1]["rank"], 2);
        assert_eq!(rows[2]["section"], "principle");
        assert_eq!(rows[2]["rank"], 1);
        assert_eq!(rows[2]["key"], "sov");
    }

    #[test]
    fn no_statements_still_have_a_header() {
        let (cols, rows) = statement_rows(&[]);
        let out = String::from_utf8(csv(&cols, &rows, false).unwrap()).unwrap();
        assert!(out.starts_with("ref,id,"), "{out}");
        assert_eq!(out.lines().count(), 1);
    }
}
