//! `dossier timeline INITIATIVE...`: the priorities and principles as a matrix over time.

use std::io::Write;

use super::emit;
use crate::analysis::{
    lineage,
    timeline::{significant_steps, timeline},
};
use crate::cli::{TimelineArgs, TimelineFormat};
use crate::context::Context;
use crate::diff::{DiffOptions, MatchContext, DEFAULT_MATCH_THRESHOLD};
use crate::error::{Error, Result};
use crate::record::Statement;
use crate::render;
use crate::store::Store;

pub fn run(ctx: &Context, args: TimelineArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let threshold = match_threshold(args.match_threshold, &store)?;
    let ids = initiatives(&store, &args.initiatives, args.lineage)?;
    let statements = statements_of(&store, &ids)?;
    let mcx = match_context(&store, &statements, threshold, false);
    let mut t = timeline(&statements, &mcx);
    let opts = DiffOptions {
        match_threshold: threshold,
        ..DiffOptions::default()
    };
    t.significant = significant_steps(&statements, &opts, &mcx);
    // Reviewers' annotations on the statements of the columns.
    let mut blobs = super::annotate::Blobs::new(&store);
    let mut shown = Vec::new();
    for st in &statements {
        let (list, problems) = blobs.on_statement(st, &st.reference());
        super::annotate::warn_unreadable(&problems);
        shown.extend(list);
    }
    t.annotations = shown
        .iter()
        .filter_map(|s| serde_json::to_value(s).ok())
        .collect();
    let mut text = render::analysis::timeline(&ctx.style, args.format, &ids, &t)?;
    if matches!(
        args.format,
        TimelineFormat::Table | TimelineFormat::Markdown
    ) {
        text.push_str(&render::annotations::section(
            &ctx.style,
            "Annotations",
            &shown,
            true,
            args.format == TimelineFormat::Markdown,
        ));
    }
    emit(out, &text)?;
    Ok(0)
}

/// The matcher for these statements: the store's settings and synonyms, the frequencies
/// of the statements' items, their pins.
pub(super) fn match_context(
    store: &Store,
    statements: &[Statement],
    threshold: f64,
    strict: bool,
) -> MatchContext {
    let opts = DiffOptions {
        strict,
        ..store_options(store, threshold)
    };
    MatchContext::of(statements, opts.match_config(), &opts.synonyms)
}

/// Diff options from the store's matching settings (margin, synonym groups) with this
/// threshold; the rest as diff's defaults.
pub(super) fn store_options(store: &Store, threshold: f64) -> DiffOptions {
    DiffOptions {
        match_threshold: threshold,
        match_margin: store
            .settings
            .match_margin
            .unwrap_or(crate::diff::matching::DEFAULT_MARGIN),
        synonyms: store.settings.synonyms.clone(),
        deadline: crate::settings::diff_deadline(),
        ..DiffOptions::default()
    }
}

/// The threshold to match items with: the flag, the store's setting, or diff's default.
pub(super) fn match_threshold(flag: Option<f64>, store: &Store) -> Result<f64> {
    let threshold = flag
        .or(store.settings.match_threshold)
        .unwrap_or(DEFAULT_MATCH_THRESHOLD);
    if !(0.0..=1.0).contains(&threshold) {
        return Err(Error::new(format!(
            "the match threshold {threshold} is not between 0 and 1"
        ))
        .hint("give a score from 0 (match anything) to 1 (identical only), e.g. --match-threshold 0.5 (or match_threshold in dossier.yaml)")
        .invalid());
    }
    Ok(threshold)
}

/// The initiatives asked for (each checked to exist), with their predecessors when
/// `with_lineage`, without repeats.
pub(super) fn initiatives(
    store: &Store,
    asked: &[String],
    with_lineage: bool,
) -> Result<Vec<String>> {
    let all = if with_lineage {
        store.initiatives()?
    } else {
        Vec::new()
    };
    let mut ids: Vec<String> = Vec::new();
    for id in asked {
        store.initiative(id)?;
        let chain = if with_lineage {
            lineage(&all, id)
        } else {
            vec![id.clone()]
        };
        for c in chain {
            if !ids.contains(&c) && store.has_initiative(&c) {
                ids.push(c);
            }
        }
    }
    Ok(ids)
}

/// Every statement of these initiatives.
pub(super) fn statements_of(store: &Store, ids: &[String]) -> Result<Vec<Statement>> {
    let mut out = Vec::new();
    for id in ids {
        out.extend(store.statements(Some(id))?.into_iter().map(|l| l.statement));
    }
    Ok(out)
}
