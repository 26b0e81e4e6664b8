//! `dossier config`: each setting in force, its value and where it came from.

use super::{json, styled, table, Label, Style, Styled};
use crate::output::ReportFormat;
use crate::settings::Setting;

pub fn settings(style: &Style, format: ReportFormat, list: &[Setting]) -> String {
    if format == ReportFormat::Json {
        return json(list);
    }
    let rows: Vec<Vec<Styled>> = list
        .iter()
        .map(|s| {
            let value = match (&s.value, &s.problem) {
                (Some(v), None) => styled(v.clone(), Label::Plain),
                (Some(v), Some(p)) => styled(format!("{v}\n({p})"), Label::Removed),
                (None, Some(p)) => styled(format!("(none: {p})"), Label::Dim),
                (None, None) => styled("(none)", Label::Dim),
            };
            vec![
                s.name.into(),
                value,
                s.origin.to_string().into(),
                styled(s.about, Label::Dim),
            ]
        })
        .collect();
    table(style, &["setting", "value", "from", "what it does"], rows)
}
