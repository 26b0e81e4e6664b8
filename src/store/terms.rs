//! Where the term index lives: one segment per initiative under
//! `.git/dossier/terms-v1/<initiative>`, keyed by the blob ids of its statement files and
//! brought up to date whenever it is read: only statements whose blob the segment does not
//! hold yet are read and tokenised. A missing or damaged segment is rebuilt; it is derived
//! data, never committed (see `analysis/index.rs` for what it holds).

use std::path::PathBuf;

use super::{codec, Loader, Store};
use crate::analysis::index::{IndexedRecord, Segment};
use crate::analysis::trace::statement_terms;
use crate::analysis::StatementInfo;
use crate::error::Result;

const DIR: &str = "terms-v1";

/// One initiative's segment, up to date, and its statement files with their record.
pub struct SegmentView {
    pub segment: Segment,
    /// Each statement file (work-tree-relative) and its record in the segment.
    pub files: Vec<(PathBuf, u32)>,
}

impl Store {
    /// The term index segments of these initiatives, each brought up to date with the
    /// work tree. A statement that does not read is an error naming it.
    pub fn term_segments(
        &self,
        initiatives: &[String],
        loader: &Loader,
    ) -> Result<Vec<SegmentView>> {
        let mut paths: Vec<(usize, PathBuf)> = Vec::new();
        for (k, ini) in initiatives.iter().enumerate() {
            paths.extend(self.statement_paths(ini)?.into_iter().map(|p| (k, p)));
        }
        let blobs = crate::parallel::map(&paths, |(_, rel)| loader.blob_of(rel));
        let dir = self.repo.git_dir().join("dossier").join(DIR);
        let mut out = Vec::with_capacity(initiatives.len());
        let mut at = 0;
        for (k, ini) in initiatives.iter().enumerate() {
            let mut files: Vec<(PathBuf, String)> = Vec::new();
            while at < paths.len() && paths[at].0 == k {
                let blob = blobs[at].clone().map_err(|p| {
                    codec::problems_to_error(p)
                        .hint("run `dossier check` to see every problem in the store")
                })?;
                files.push((paths[at].1.clone(), blob));
                at += 1;
            }
            out.push(self.segment_for(&dir.join(ini), files, loader)?);
        }
        Ok(out)
    }

    fn segment_for(
        &self,
        file: &std::path::Path,
        files: Vec<(PathBuf, String)>,
        loader: &Loader,
    ) -> Result<SegmentView> {
        let saved = std::fs::read(file).ok().and_then(Segment::decode);
        if let Some(seg) = &saved {
            let by_blob = seg.by_blob();
            let found: Option<Vec<u32>> = files
                .iter()
                .map(|(_, b)| by_blob.get(b.as_str()).copied())
                .collect();
            // Up to date, and not mostly records that are gone: used as it is.
            if let Some(found) = found {
                if seg.records.len() <= 2 * files.len().max(8) {
                    drop(by_blob);
                    let files = files.into_iter().map(|(p, _)| p).zip(found).collect();
                    return Ok(SegmentView {
                        segment: saved.expect("checked above"),
                        files,
                    });
                }
            }
        }
        let mut builder = saved.map(Segment::into_builder).unwrap_or_default();
        let current: std::collections::HashSet<&str> =
            files.iter().map(|(_, b)| b.as_str()).collect();
        builder.retain(|r| current.contains(r.blob.as_str()));
        let known: std::collections::HashSet<String> =
            builder.records.iter().map(|r| r.blob.clone()).collect();
        let mut fresh: Vec<&(PathBuf, String)> =
            files.iter().filter(|(_, b)| !known.contains(b)).collect();
        fresh.sort_by(|a, b| a.1.cmp(&b.1));
        fresh.dedup_by(|a, b| a.1 == b.1);
        let parsed = crate::parallel::map(&fresh, |(rel, blob)| {
            let (_, st) = loader.load(rel);
            st.map(|st| {
                (
                    IndexedRecord {
                        blob: blob.clone(),
                        info: StatementInfo::of(&st),
                    },
                    statement_terms(&st),
                )
            })
        });
        for p in parsed {
            let (record, terms) = p.map_err(|p| {
                codec::problems_to_error(p)
                    .hint("run `dossier check` to see every problem in the store")
            })?;
            builder.add(record, terms);
        }
        let bytes = builder.encode();
        let _ = crate::fsio::write_derived(file, &bytes);
        let segment = Segment::decode(bytes).ok_or_else(|| {
            crate::error::Error::new("could not read back the term index just built")
        })?;
        let by_blob = segment.by_blob();
        let files = files
            .into_iter()
            .filter_map(|(p, b)| Some((p, *by_blob.get(b.as_str())?)))
            .collect();
        drop(by_blob);
        Ok(SegmentView { segment, files })
    }
}
