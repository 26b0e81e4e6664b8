//! Warnings about `source.retrieved`, the day an analyst read a source: a day later than
//! the record was first committed (or later than today) cannot be true, and one day on
//! many records is most likely the day they were written, not read. These are warnings:
//! the record is valid, the date is doubtful.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::codec::Problem;
use super::Store;
use crate::error::{Location, Result};
use crate::git::git_path;
use crate::record::{PartialDate, Statement};

/// A `retrieved` date on at least this many records...
pub const SHARED_MIN_RECORDS: usize = 5;
/// ...that are at least this share of the records with one is reported as shared.
pub const SHARED_MIN_SHARE: f64 = 0.5;

/// The earliest day a partial date can stand for.
fn earliest_day(d: PartialDate) -> (u16, u8, u8) {
    (d.year, d.month.unwrap_or(1), d.day.unwrap_or(1))
}

/// The civil day of a git time in its own offset.
fn day_of(secs: i64, offset_minutes: i32) -> (u16, u8, u8) {
    let (y, m, d) = crate::dates::day_of(secs, offset_minutes);
    (y.max(0) as u16, m as u8, d as u8)
}

fn show_day((y, m, d): (u16, u8, u8)) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

impl Store {
    /// Warnings about the `retrieved` dates of `list` (work-tree-relative path and
    /// statement), located in their files. `today` is the civil day of now (UTC).
    pub fn retrieval_warnings(
        &self,
        list: &[(PathBuf, Statement)],
        today: (u16, u8, u8),
    ) -> Result<Vec<Problem>> {
        let dated: Vec<(&PathBuf, &Statement, &str, PartialDate)> = list
            .iter()
            .filter_map(|(rel, st)| {
                let r = st.source.as_ref()?.retrieved.as_deref()?;
                Some((rel, st, r, PartialDate::parse(r)?))
            })
            .collect();
        if dated.is_empty() {
            return Ok(Vec::new());
        }
        let paths: Vec<String> = dated.iter().map(|(rel, ..)| git_path(rel)).collect();
        let first = self.repo().path_changes(&paths, &self.history_scope())?;
        let mut out = Vec::new();
        for ((rel, st, r, date), path) in dated.iter().zip(&paths) {
            let earliest = earliest_day(*date);
            let committed = first
                .get(path)
                .map(|c| day_of(c.first_time.0, c.first_time.1));
            let later_than = match committed {
                Some(day) if earliest > day => {
                    format!("the record's first commit ({})", show_day(day))
                }
                _ if earliest > today => format!("today ({})", show_day(today)),
                _ => continue,
            };
            out.push(Problem {
                location: self.place_of(rel, "source.retrieved"),
                field: "source.retrieved".into(),
                message: format!(
                    "`retrieved: {r}` is later than {later_than}: a source cannot have been read after the record was written"
                ),
                hint: Some(format!(
                    "set the day the source was read, or leave `retrieved` out when that is not known: `dossier edit {}`",
                    st.reference()
                )),
            });
        }
        let mut by_date: BTreeMap<&str, Vec<(&PathBuf, &Statement)>> = BTreeMap::new();
        for (rel, st, r, _) in &dated {
            by_date.entry(r).or_default().push((rel, st));
        }
        for (date, records) in by_date {
            let share = records.len() as f64 / dated.len() as f64;
            if records.len() < SHARED_MIN_RECORDS || share < SHARED_MIN_SHARE {
                continue;
            }
            let (rel, _) = records[0];
            let mut names: Vec<String> =
                records.iter().take(3).map(|(_, s)| s.id.clone()).collect();
            if records.len() > 3 {
                names.push(format!("and {} more", records.len() - 3));
            }
            out.push(Problem {
                location: self.place_of(rel, "source.retrieved"),
                field: "source.retrieved".into(),
                message: format!(
                    "`retrieved: {date}` is on {} of the {} records that have a retrieval date ({}): is it the day they were written rather than the day their sources were read?",
                    records.len(),
                    dated.len(),
                    names.join(", ")
                ),
                hint: Some(
                    "keep `retrieved` only where you know when a source was read; leave it out otherwise (`dossier edit REF`)"
                        .into(),
                ),
            });
        }
        out.sort_by(|a, b| a.location.cmp(&b.location));
        Ok(out)
    }

    /// Where a field stands in a statement file (the file alone when it does not read).
    fn place_of(&self, rel: &std::path::Path, field: &str) -> Location {
        match self.decode_file(rel) {
            Ok(d) => d.place(field),
            Err(_) => Location::file(self.display_path(rel)),
        }
    }
}

/// Today's civil day in UTC.
pub fn today() -> (u16, u8, u8) {
    let (y, m, d) = crate::dates::today_utc();
    (y.max(0) as u16, m as u8, d as u8)
}
