//! Merging two versions of one file of the store, made from a common base: what git's
//! merge driver (`dossier merge-driver`) and `sync` do with a record both sides changed.
//!
//! A statement is merged field by field (`crate::merge`), written in the store's stable
//! form, read back, and checked against the store like any write; a result that would not
//! pass `check` is a conflict. An initiative, an annotation or the store's settings merge
//! field by field too. Any other file, or a version that does not read as a record, is merged line by
//! line as git would. A conflict comes with the file marked for a person: for a statement,
//! only the conflicting fields, each as ours, base and theirs, so that keeping one of the
//! three (and deleting the marker lines) gives a valid record.

use std::collections::BTreeSet;
use std::path::Path;

use super::{codec, Store, SETTINGS_FILE};
use crate::annotation::{annotation_problems, Annotation};
use crate::escape::escape_line;
use crate::merge::{self, FieldConflict, MergeOptions, Side};
use crate::record::{self, Initiative, Statement, StoreSettings};

/// The names git gives the three versions (`%S`, `%X`, `%Y`) and the markers' length
/// (`%L`).
#[derive(Debug, Clone)]
pub struct Labels {
    pub base: String,
    pub ours: String,
    pub theirs: String,
    pub marker_size: usize,
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            base: "base".into(),
            ours: "ours".into(),
            theirs: "theirs".into(),
            marker_size: 7,
        }
    }
}

/// What merging one file gave.
#[derive(Debug, Clone)]
pub enum FileMerge {
    /// The merged file.
    Clean(Vec<u8>),
    Conflicted(Box<FileConflict>),
}

/// A file both sides changed in ways that do not merge.
#[derive(Debug, Clone)]
pub struct FileConflict {
    /// The file with what conflicts marked (`<<<<<<<`, `|||||||`, `=======`, `>>>>>>>`).
    pub marked: Vec<u8>,
    /// A statement's conflicting fields, each with what clashed.
    pub fields: Vec<FieldConflict>,
    /// The record with every conflict settled for ours, and for theirs (everything else
    /// merged); `None` where that cannot be said (a side that is not a record).
    pub settled_ours: Option<Vec<u8>>,
    pub settled_theirs: Option<Vec<u8>>,
    /// Why the file merged line by line, when it did.
    pub note: Option<String>,
}

/// What a file of the store is, by its path.
enum FileKind {
    Statement,
    Annotation,
    Initiative,
    Settings,
    Other,
}

fn kind_of(store: Option<&Store>, rel: &Path) -> FileKind {
    let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if !name.ends_with(".yaml") {
        return FileKind::Other;
    }
    let parent = rel
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str());
    let statement = match store {
        Some(s) => s.statement_ref(rel).is_some(),
        None => parent == Some(super::STATEMENTS_DIR),
    };
    let annotation = match store {
        Some(s) => s.is_annotation_path(rel),
        None => {
            rel.parent()
                .and_then(Path::parent)
                .and_then(|p| p.file_name())
                .and_then(|n| n.to_str())
                == Some("annotations")
        }
    };
    if statement {
        FileKind::Statement
    } else if annotation {
        FileKind::Annotation
    } else if name == super::INITIATIVE_FILE {
        FileKind::Initiative
    } else if name == SETTINGS_FILE {
        FileKind::Settings
    } else {
        FileKind::Other
    }
}

/// Merges `ours` and `theirs` of the file at `rel` (work-tree-relative), both made from
/// `base` (`None`: both sides added the file). With a store, a merged statement is also
/// checked against it.
pub fn merge_file(
    store: Option<&Store>,
    rel: &Path,
    base: Option<&[u8]>,
    ours: &[u8],
    theirs: &[u8],
    labels: &Labels,
) -> FileMerge {
    if ours == theirs || base == Some(theirs) {
        return FileMerge::Clean(ours.to_vec());
    }
    if base == Some(ours) {
        return FileMerge::Clean(theirs.to_vec());
    }
    match kind_of(store, rel) {
        FileKind::Statement => merge_statement_file(store, rel, base, ours, theirs, labels),
        FileKind::Initiative => merge_record_file::<Initiative>(
            rel,
            base,
            ours,
            theirs,
            labels,
            |b, p| codec::decode_initiative(b, p).ok().map(|d| d.record),
            |i| record::initiative_problems(i).is_empty(),
        ),
        FileKind::Annotation => merge_record_file::<Annotation>(
            rel,
            base,
            ours,
            theirs,
            labels,
            |b, p| codec::decode_annotation(b, p).ok().map(|d| d.record),
            |a| annotation_problems(a).is_empty(),
        ),
        FileKind::Settings => merge_record_file::<StoreSettings>(
            rel,
            base,
            ours,
            theirs,
            labels,
            |b, p| codec::decode_settings(b, p).ok(),
            |_| true,
        ),
        FileKind::Other => by_lines(base, ours, theirs, labels, None),
    }
}

/// Git's line merge, with the base in each conflict.
fn by_lines(
    base: Option<&[u8]>,
    ours: &[u8],
    theirs: &[u8],
    labels: &Labels,
    note: Option<String>,
) -> FileMerge {
    let text = |b: &[u8]| String::from_utf8(b.to_vec()).ok();
    let (Some(b), Some(o), Some(t)) = (text(base.unwrap_or(b"")), text(ours), text(theirs)) else {
        // Not text: nothing to mark; ours stays as it is.
        return FileMerge::Conflicted(Box::new(FileConflict {
            marked: ours.to_vec(),
            fields: Vec::new(),
            settled_ours: Some(ours.to_vec()),
            settled_theirs: Some(theirs.to_vec()),
            note: Some("a version is not UTF-8 text: nothing could be merged".into()),
        }));
    };
    let markers = merge::Markers {
        base: &labels.base,
        ours: &labels.ours,
        theirs: &labels.theirs,
        size: labels.marker_size,
    };
    let (merged, conflicts) = merge::merge_lines(&b, &o, &t, &markers);
    if conflicts == 0 {
        return FileMerge::Clean(merged.into_bytes());
    }
    FileMerge::Conflicted(Box::new(FileConflict {
        marked: merged.into_bytes(),
        fields: Vec::new(),
        settled_ours: None,
        settled_theirs: None,
        note,
    }))
}

/// An initiative or the settings: field by field as JSON objects; a conflict is shown as
/// a line conflict of the records in their stable form.
fn merge_record_file<T: serde::Serialize + serde::de::DeserializeOwned>(
    rel: &Path,
    base: Option<&[u8]>,
    ours: &[u8],
    theirs: &[u8],
    labels: &Labels,
    decode: impl Fn(&[u8], &Path) -> Option<T>,
    valid: impl Fn(&T) -> bool,
) -> FileMerge {
    let b = base.and_then(|b| decode(b, rel));
    let (o, t) = (decode(ours, rel), decode(theirs, rel));
    let (Some(b), Some(o), Some(t)) = (b, o, t) else {
        return by_lines(
            base,
            ours,
            theirs,
            labels,
            Some("a version does not read as a record: merged line by line".into()),
        );
    };
    let json = |v: &T| serde_json::to_value(v).unwrap_or(serde_json::Value::Null);
    if let Ok(m) = merge::merge_objects(&json(&b), &json(&o), &json(&t)) {
        if let Ok(rec) = serde_json::from_value::<T>(m) {
            let bytes = codec::encode(&rec).into_bytes();
            if valid(&rec) && decode(&bytes, rel).is_some() {
                return FileMerge::Clean(bytes);
            }
        }
    }
    let enc = |v: &T| codec::encode(v).into_bytes();
    match by_lines(Some(&enc(&b)), &enc(&o), &enc(&t), labels, None) {
        FileMerge::Clean(bytes) => FileMerge::Conflicted(Box::new(FileConflict {
            marked: bytes,
            fields: Vec::new(),
            settled_ours: Some(enc(&o)),
            settled_theirs: Some(enc(&t)),
            note: Some("the merged record would not be valid".into()),
        })),
        FileMerge::Conflicted(mut c) => {
            c.settled_ours = Some(enc(&o));
            c.settled_theirs = Some(enc(&t));
            FileMerge::Conflicted(c)
        }
    }
}

fn merge_statement_file(
    store: Option<&Store>,
    rel: &Path,
    base: Option<&[u8]>,
    ours: &[u8],
    theirs: &[u8],
    labels: &Labels,
) -> FileMerge {
    let decode = |b: &[u8]| codec::decode_statement(b, rel).ok().map(|d| d.record);
    // Both sides added the record: every field either set alike or a conflict.
    let b = match base {
        Some(b) => decode(b),
        None => Some(Statement::default()),
    };
    let (Some(b), Some(o), Some(t)) = (b, decode(ours), decode(theirs)) else {
        let note = "a version does not read as a statement: merged line by line";
        return match by_lines(base, ours, theirs, labels, Some(note.into())) {
            // Clean lines that do not make a record are still for a person to settle.
            FileMerge::Clean(bytes) if decode(&bytes).is_none() => {
                FileMerge::Conflicted(Box::new(FileConflict {
                    marked: bytes,
                    fields: Vec::new(),
                    settled_ours: None,
                    settled_theirs: None,
                    note: Some(note.into()),
                }))
            }
            other => other,
        };
    };
    let opts = MergeOptions {
        match_threshold: store
            .and_then(|s| s.settings.match_threshold)
            .unwrap_or(crate::diff::DEFAULT_MATCH_THRESHOLD),
    };
    let c = match merge::merge_statements_with(&b, &o, &t, &opts) {
        Ok(m) => match checked(store, rel, &m, &b, &o, &t) {
            Ok(bytes) => return FileMerge::Clean(bytes),
            Err(fields) => merge::Conflicted {
                partial: Box::new(with_fields(&m, &o, &fields)),
                partial_theirs: Box::new(with_fields(&m, &t, &fields)),
                conflicts: fields,
            },
        },
        Err(c) => c,
    };
    let marked = mark(&b, &c, labels);
    FileMerge::Conflicted(Box::new(FileConflict {
        marked: marked.into_bytes(),
        settled_ours: Some(codec::encode(&*c.partial).into_bytes()),
        settled_theirs: Some(codec::encode(&*c.partial_theirs).into_bytes()),
        fields: c.conflicts,
        note: None,
    }))
}

/// The merged statement's bytes when they read back as it and pass the store's check
/// (problems ours or theirs had already aside), or the fields whose problems are new.
fn checked(
    store: Option<&Store>,
    rel: &Path,
    merged: &Statement,
    base: &Statement,
    ours: &Statement,
    theirs: &Statement,
) -> Result<Vec<u8>, Vec<FieldConflict>> {
    let bytes = codec::encode(merged).into_bytes();
    let problems = |st: &Statement| -> Vec<(String, String)> {
        let Some(store) = store else {
            return Vec::new();
        };
        let decoded = codec::Decoded::unlocated(st.clone(), rel);
        store
            .check_statement(&decoded, rel)
            .into_iter()
            .map(|p| (p.field, p.message))
            .collect()
    };
    let fail = |field: &str, detail: String| FieldConflict {
        field: top(field),
        base: merge::field_value(base, top(field)),
        ours: merge::field_value(ours, top(field)),
        theirs: merge::field_value(theirs, top(field)),
        details: vec![detail],
    };
    match codec::decode_statement(&bytes, rel) {
        Ok(d) if d.record == *merged => {}
        _ => {
            return Err(vec![fail(
                "text",
                "the merged record does not read back as itself".into(),
            )])
        }
    }
    let had: BTreeSet<(String, String)> =
        problems(ours).into_iter().chain(problems(theirs)).collect();
    let mut new: Vec<FieldConflict> = Vec::new();
    for (field, message) in problems(merged).into_iter().filter(|p| !had.contains(p)) {
        let c = fail(
            &field,
            format!("merged, `{field}` would not pass check: {message}"),
        );
        match new.iter_mut().find(|n| n.field == c.field) {
            Some(n) => n.details.extend(c.details),
            None => new.push(c),
        }
    }
    if new.is_empty() {
        Ok(bytes)
    } else {
        Err(new)
    }
}

/// The top-level field a problem's path (`priorities[2].key`) is in.
fn top(path: &str) -> &'static str {
    let head = path.split(['.', '[']).next().unwrap_or("");
    merge::FIELDS
        .iter()
        .copied()
        .find(|f| *f == head)
        .unwrap_or("text")
}

/// `merged` with the `fields` of `side`.
fn with_fields(merged: &Statement, side: &Statement, fields: &[FieldConflict]) -> Statement {
    let (Ok(serde_json::Value::Object(mut m)), Ok(serde_json::Value::Object(s))) =
        (serde_json::to_value(merged), serde_json::to_value(side))
    else {
        return merged.clone();
    };
    for f in fields {
        match s.get(f.field) {
            Some(v) => m.insert(f.field.to_string(), v.clone()),
            None => m.remove(f.field),
        };
    }
    serde_json::from_value(serde_json::Value::Object(m)).unwrap_or_else(|_| merged.clone())
}

/// A statement with only its conflicting fields marked: each as ours (everything that
/// merged included), base and theirs, with what clashed in comments above it. Keeping
/// one of the three and deleting the marker lines gives a record.
pub fn mark(base: &Statement, c: &merge::Conflicted, labels: &Labels) -> String {
    let m = |ch: char| ch.to_string().repeat(labels.marker_size.max(7));
    let label = |l: &str| {
        if l.is_empty() {
            String::new()
        } else {
            format!(" {}", escape_line(l))
        }
    };
    let mut out = String::new();
    out.push_str(&format!(
        "# dossier: both sides changed this record. Only the field{} marked below conflict{}: for each,\n# dossier: keep one version (ours, base or theirs), delete the marker lines, and save.\n",
        if c.conflicts.len() == 1 { "" } else { "s" },
        if c.conflicts.len() == 1 { "s" } else { "" },
    ));
    for f in merge::FIELDS {
        let Some(fc) = c.conflicts.iter().find(|x| x.field == *f) else {
            out.push_str(&codec::encode_field(&*c.partial, f));
            continue;
        };
        for d in &fc.details {
            out.push_str(&format!("# dossier: {}\n", escape_line(d)));
        }
        out.push_str(&format!("{}{}\n", m('<'), label(&labels.ours)));
        out.push_str(&codec::encode_field(&*c.partial, f));
        out.push_str(&format!("{}{}\n", m('|'), label(&labels.base)));
        out.push_str(&codec::encode_field(base, f));
        out.push_str(&format!("{}\n", m('=')));
        out.push_str(&codec::encode_field(&*c.partial_theirs, f));
        out.push_str(&format!("{}{}\n", m('>'), label(&labels.theirs)));
    }
    out
}

/// Which side a settlement keeps for the conflicting fields.
pub fn settled(c: &FileConflict, side: Side) -> Option<&[u8]> {
    match side {
        Side::Ours => c.settled_ours.as_deref(),
        Side::Theirs => c.settled_theirs.as_deref(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const RECORD: &str = "id: \"2025-01-01-x\"\ninitiative: cis\ndate: \"2025-01-01\"\nlanguage: en\nsummary: A statement.\npriorities:\n  - text: One\n  - text: Two\n";

    /// A record with some of its bytes replaced: often still a record, often not.
    fn mangled() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec((0..RECORD.len(), any::<u8>()), 0..4).prop_map(|edits| {
            let mut b = RECORD.as_bytes().to_vec();
            for (at, byte) in edits {
                b[at] = byte;
            }
            b
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn hostile_versions_never_panic_and_a_clean_statement_reads(
            b in mangled(), o in mangled(), t in prop::collection::vec(any::<u8>(), 0..200),
        ) {
            let rel = Path::new("cis/statements/2025-01-01-x.yaml");
            for (x, y, z) in [(&b, &o, &t), (&b, &t, &o), (&t, &o, &b)] {
                match merge_file(None, rel, Some(x), y, z, &Labels::default()) {
                    FileMerge::Clean(bytes) => {
                        // Clean is one of the inputs unchanged, or a record that reads.
                        prop_assert!(
                            bytes == *y || bytes == *z
                                || codec::decode_statement(&bytes, rel).is_ok()
                        );
                    }
                    FileMerge::Conflicted(_) => {}
                }
            }
        }
    }
}
