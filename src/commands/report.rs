//! `dossier report INITIATIVE`: one self-contained HTML file about an initiative.

use std::io::Write;
use std::path::PathBuf;

use super::emit;
use crate::analysis::timeline::timeline;
use crate::cli::ReportArgs;
use crate::context::Context;
use crate::diff::steps::diff_steps;
use crate::diff::DiffOptions;
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
    let mcx = super::timeline::match_context(&store, &statements, threshold, false);
    let matrix = timeline(&statements, &mcx);
    let opts = DiffOptions {
        match_threshold: threshold,
        ..DiffOptions::default()
    };
    let mut in_order: Vec<&crate::record::Statement> = statements.iter().collect();
    crate::analysis::sort_statements(&mut in_order);
    let diffs = diff_steps(&in_order, &opts, &mcx);
    let mut blobs = super::annotate::Blobs::new(&store);
    let mut annotations = Vec::new();
    for st in &statements {
        let (list, problems) = blobs.on_statement(st, &st.reference());
        super::annotate::warn_unreadable(&problems);
        annotations.extend(list);
    }
    // Where each quote was found, as `show` says it.
    let quotes_found: Vec<Vec<&str>> = statements
        .iter()
        .map(|st| {
            let doc = store
                .source_document(st)
                .and_then(|d| d.ok())
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            st.quotes
                .iter()
                .map(
                    |q| match crate::store::quote_provenance(st, doc.as_deref(), &q.text) {
                        crate::store::QuoteFound::Text => "text",
                        crate::store::QuoteFound::Translation => "translation",
                        crate::store::QuoteFound::SourceDocument => "source document",
                        crate::store::QuoteFound::Nowhere => "not found",
                    },
                )
                .collect()
        })
        .collect();
    let html = report(&Report {
        initiative: &initiative,
        statements: &statements,
        timeline: &matrix,
        diffs: &diffs,
        annotations: &annotations,
        quotes_found: &quotes_found,
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
