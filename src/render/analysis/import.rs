//! `import`'s report: each detected field, its value and where it was found.

use std::path::Path;

use crate::escape::escape_line;
use crate::render::{heading, styled, table, Label, Style};

/// A field of an imported statement and where its value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    /// The field.
    pub field: String,
    /// Its value (empty when missing).
    pub value: String,
    /// `from the flag`, the evidence of the detection, or why it is missing.
    pub origin: String,
    /// Nothing was found.
    pub missing: bool,
}

/// What was detected in a source, and what was not.
pub fn import_report(style: &Style, file: &Path, rows: &[Detection]) -> String {
    let mut out = heading(
        style,
        &format!("Detected in {}:", escape_line(&file.display().to_string())),
    );
    let body = rows
        .iter()
        .map(|d| {
            vec![
                d.field.clone().into(),
                if d.missing {
                    styled("(not found)", Label::Removed)
                } else {
                    d.value.clone().into()
                },
                styled(d.origin.clone(), Label::Dim),
            ]
        })
        .collect();
    out.push_str(&table(style, &["field", "value", "found in"], body));
    out
}
