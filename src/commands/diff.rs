//! `dossier diff`: two statements, two revisions of one, or the steps of an initiative.

use std::io::Write;

use super::emit;
use crate::cli::{DiffArgs, Format};
use crate::context::Context;
use crate::diff::steps::diff_steps;
use crate::diff::{diff_statements_in, DiffOptions, MatchContext, StatementDiff};
use crate::error::{exit, Error, Result};
use crate::record::{PartialDate, Statement};
use crate::render::{self, diff::WordingView};
use crate::store::{codec, Loaded, RefSpec, Store};

pub fn run(ctx: &Context, args: DiffArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let threshold = super::timeline::match_threshold(args.match_threshold, &store)?;
    let (side_by_side, _) =
        crate::settings::diff_view(args.side_by_side, args.inline, &ctx.personal);
    let side_by_side = side_by_side && args.format != Format::Json;
    let opts = DiffOptions {
        strict: args.strict,
        lang: args.lang.clone(),
        sentences: args.sentences || side_by_side,
        ..super::timeline::store_options(&store, threshold)
    };
    let pairs = pairs(&store, &args)?;
    // Items are weighed by how common their words are in the initiatives compared, and
    // pinned as the analysts pinned them there.
    let mut initiatives: Vec<&str> = Vec::new();
    for (a, b) in &pairs {
        for st in [&a.statement, &b.statement] {
            if !initiatives.contains(&st.initiative.as_str())
                && store.has_initiative(&st.initiative)
            {
                initiatives.push(&st.initiative);
            }
        }
    }
    let mut around: Vec<Statement> = Vec::new();
    for id in &initiatives {
        around.extend(store.statements(Some(id))?.into_iter().map(|l| l.statement));
    }
    for (a, b) in &pairs {
        for st in [&a.statement, &b.statement] {
            if !around.contains(st) {
                around.push(st.clone()); // a revision, or a statement outside them
            }
        }
    }
    let mcx = MatchContext::of(&around, opts.match_config(), &opts.synonyms);
    let mut diffs: Vec<StatementDiff> = if args.steps {
        let mut list: Vec<&Statement> = pairs.iter().map(|(a, _)| &a.statement).collect();
        list.extend(pairs.last().map(|(_, b)| &b.statement));
        diff_steps(&list, &opts, &mcx)
    } else {
        pairs
            .iter()
            .map(|(a, b)| diff_statements_in(&a.statement, &b.statement, &opts, &mcx))
            .collect()
    };
    // Reviewers' annotations on these pairs' changes, current or stale.
    let mut blobs = super::annotate::Blobs::new(&store);
    let mut noted = Vec::new();
    for ((a, b), (sa, sb)) in pairs.iter().zip(pair_specs(&store, &args, &pairs)) {
        noted.push(blobs.on_pair((&a.statement, &sa), (&b.statement, &sb)));
    }
    for (d, shown) in diffs.iter_mut().zip(&noted) {
        d.annotations = shown
            .iter()
            .filter_map(|s| serde_json::to_value(s).ok())
            .collect();
    }
    let view = WordingView {
        context: args.context,
        full: args.full,
        only: args.only.clone(),
        nearest: args.nearest,
        sentences: args.sentences,
        side_by_side,
    };
    let mut text = render::diff::diffs(&ctx.style, args.format, &view, &diffs);
    if matches!(args.format, Format::Table | Format::Markdown) {
        let all: Vec<_> = noted.into_iter().flatten().collect();
        text.push_str(&render::annotations::section(
            &ctx.style,
            "Annotations on these changes",
            &all,
            true,
            args.format == Format::Markdown,
        ));
    }
    emit(out, &text)?;
    let differ = diffs.iter().any(StatementDiff::has_changes);
    Ok(if args.exit_code && differ {
        exit::DIFFERENT_OR_INVALID
    } else {
        exit::OK
    })
}

/// How each side of each pair was named: `REF` or `REF@REV` (for annotations' blob ids).
fn pair_specs(store: &Store, args: &DiffArgs, pairs: &[(Loaded, Loaded)]) -> Vec<(String, String)> {
    let explicit =
        args.b.is_some() || args.a.contains(['/', '@']) || !store.has_initiative(&args.a);
    let named = |spec: &str, l: &Loaded| match RefSpec::parse(spec).rev {
        Some(rev) => format!("{}@{rev}", l.statement.reference()),
        None => l.statement.reference(),
    };
    pairs
        .iter()
        .map(|(a, b)| {
            if explicit {
                let b_spec = args.b.clone().unwrap_or_default();
                (named(&args.a, a), named(&b_spec, b))
            } else {
                (a.statement.reference(), b.statement.reference())
            }
        })
        .collect()
}

/// The pairs of statements to compare, oldest first in each pair.
fn pairs(store: &Store, args: &DiffArgs) -> Result<Vec<(Loaded, Loaded)>> {
    let is_initiative =
        args.b.is_none() && !args.a.contains(['/', '@']) && store.has_initiative(&args.a);
    if !is_initiative {
        if args.steps || args.from.is_some() || args.to.is_some() {
            return Err(Error::new(format!("`{}` is not an initiative", args.a))
                .hint("--steps, --from and --to take an initiative: `dossier diff INITIATIVE --steps`"));
        }
        let a = store
            .resolve(&args.a)
            .map_err(|e| suggest_initiative(store, args, e))?;
        let b = match &args.b {
            Some(b) => store.resolve(b)?,
            None => {
                let spec = RefSpec::parse(&args.a);
                if spec.rev.is_none() {
                    return Err(Error::new(format!("`{}` alone has nothing to compare with", args.a))
                        .hint(format!(
                            "give a second statement, or a revision: `dossier diff {0}@HEAD~1 {0}`, or an initiative id",
                            args.a
                        )));
                }
                // REF@REV against the current record.
                store.resolve(&args.a[..args.a.find('@').unwrap_or(args.a.len())])?
            }
        };
        return Ok(vec![(a, b)]);
    }
    let list = store.statements(Some(&args.a))?;
    let date = |s: &str, flag: &str| {
        PartialDate::parse(s).ok_or_else(|| {
            Error::new(format!("{flag} `{s}` is not a date"))
                .hint("write YYYY-MM-DD, YYYY-MM or YYYY")
                .invalid()
        })
    };
    let from = args
        .from
        .as_deref()
        .map(|s| date(s, "--from"))
        .transpose()?;
    let to = args.to.as_deref().map(|s| date(s, "--to")).transpose()?;
    let within: Vec<Loaded> = list
        .into_iter()
        .filter(|l| {
            let d = PartialDate::parse(&l.statement.date);
            from.is_none_or(|f| d >= Some(f))
                && to.is_none_or(|t| d.is_some_and(|d| d <= t || same_period(d, t)))
        })
        .collect();
    if within.len() < 2 {
        return Err(Error::new(format!(
            "`{}` has {} statement{} in that range: a diff needs two",
            args.a,
            within.len(),
            if within.len() == 1 { "" } else { "s" }
        ))
        .hint(format!("`dossier log {}` lists them", args.a)));
    }
    if args.steps {
        return Ok(within
            .windows(2)
            .map(|w| (w[0].clone(), w[1].clone()))
            .collect());
    }
    if from.is_some() || to.is_some() {
        let first = within[0].clone();
        let last = within[within.len() - 1].clone();
        return Ok(vec![(first, last)]);
    }
    let n = within.len();
    Ok(vec![(within[n - 2].clone(), within[n - 1].clone())])
}

/// A lone word that names no statement may be a mistyped initiative: say so, since
/// `diff INITIATIVE` is the everyday form.
fn suggest_initiative(store: &Store, args: &DiffArgs, e: Error) -> Error {
    if args.b.is_some() || args.a.contains(['/', '@']) {
        return e;
    }
    let ids = store.initiative_ids().unwrap_or_default();
    let known: Vec<&str> = ids.iter().map(String::as_str).collect();
    match codec::did_you_mean(&args.a, &known) {
        Some(close) => e.hint(format!(
            "did you mean the initiative `{close}`? (`dossier diff {close}` compares its two latest statements)"
        )),
        None => e,
    }
}

/// Whether a day lies in the month or year a partial date names (`--to 2025-09` keeps
/// statements of 2025-09-30).
fn same_period(d: PartialDate, period: PartialDate) -> bool {
    d.year == period.year
        && (period.month.is_none() || d.month == period.month)
        && period.day.is_none()
}
