//! `dossier report INITIATIVE`: one self-contained HTML file about an initiative.

use std::io::Write;
use std::path::PathBuf;

use super::emit;
use crate::analysis::timeline::timeline;
use crate::cli::ReportArgs;
use crate::context::Context;
use crate::diff::{diff_statements, DiffOptions};
use crate::error::Result;
use crate::fsio::write_atomic;
use crate::render::html::{report, Report};

pub fn run(ctx: &Context, args: ReportArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let initiative = store.initiative(&args.initiative)?;
    let threshold = super::timeline::match_threshold(None, &store)?;
    let statements: Vec<_> = store
        .statements(Some(&args.initiative))?
        .into_iter()
        .map(|l| l.statement)
        .collect();
    let matrix = timeline(&statements, threshold);
    let opts = DiffOptions {
        match_threshold: threshold,
        ..DiffOptions::default()
    };
    let diffs: Vec<_> = statements
        .windows(2)
        .map(|w| diff_statements(&w[0], &w[1], &opts))
        .collect();
    let mut blobs = super::annotate::Blobs::new(&store);
    let mut annotations = Vec::new();
    for st in &statements {
        let (list, problems) = blobs.on_statement(st, &st.reference());
        super::annotate::warn_unreadable(&problems);
        annotations.extend(list);
    }
    let html = report(&Report {
        initiative: &initiative,
        statements: &statements,
        timeline: &matrix,
        diffs: &diffs,
        annotations: &annotations,
    });
    let path = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("{}-report.html", args.initiative)));
    let path = ctx.cwd.join(path);
    write_atomic(&path, html.as_bytes())?;
    emit(out, &format!("{}\n", path.display()))?;
    eprintln!(
        "wrote the report on {} ({} statements) to {}",
        initiative.id,
        statements.len(),
        path.display()
    );
    Ok(0)
}
