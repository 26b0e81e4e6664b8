//! `dossier match A B`: the pairs the matcher proposes between two statements, and the
//! pins (`same_as`, `not_same_as`) that confirm, reject or forget one.
//!
//! A pin is written on the item of the later statement (by date; the second given when
//! the dates are the same), naming the other item by its key when it has one, else by
//! its position: one commit of that one record, made only while HEAD still holds the
//! record as it was read. When the other record already carries a pin between the two
//! items, that record is the one changed, so that a pair never holds two pins that say
//! different things.

use std::io::Write;

use super::emit;
use crate::cli::{MatchArgs, ReportFormat};
use crate::context::Context;
use crate::diff::proposals::proposals;
use crate::diff::{diff_statements_in, List, MatchContext};
use crate::error::{exit, Error, Result};
use crate::git::CommitOutcome;
use crate::record::{ItemRef, PartialDate, Statement};
use crate::render;
use crate::store::{codec, Loaded, RefSpec, Store};

/// What to do with a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pin {
    Confirm,
    Reject,
    Forget,
}

pub fn run(ctx: &Context, args: MatchArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let threshold = super::timeline::match_threshold(args.match_threshold, &store)?;
    let (a, b) = pair(&store, &args)?;
    let opts = super::timeline::store_options(&store, threshold);
    let pin = match (&args.confirm, &args.reject, &args.forget) {
        (Some(v), _, _) => Some((Pin::Confirm, v.clone())),
        (_, Some(v), _) => Some((Pin::Reject, v.clone())),
        (_, _, Some(v)) => Some((Pin::Forget, v.clone())),
        _ => None,
    };
    let Some((what, items)) = pin else {
        let around = statements_around(&store, &a.statement, &b.statement)?;
        let mcx = MatchContext::of(&around, opts.match_config(), &opts.synonyms);
        let d = diff_statements_in(&a.statement, &b.statement, &opts, &mcx);
        let p = proposals(&d);
        let names = (args.a.as_str(), args.b.as_deref());
        emit(
            out,
            &render::matching::proposals(&ctx.style, args.format, &p, names),
        )?;
        return Ok(exit::OK);
    };
    for (spec, side) in [(args.a.as_str(), &a), (args.b.as_deref().unwrap_or(""), &b)] {
        if RefSpec::parse(spec).rev.is_some() {
            return Err(Error::new(format!(
                "a pin is written on the current records, not on a revision (`{spec}`)"
            ))
            .hint(format!(
                "drop the @REV: `dossier match {} ...`",
                side.statement.reference()
            ))
            .invalid());
        }
    }
    if a.statement.id == b.statement.id {
        return Err(Error::new(format!(
            "{} is both sides: an item is pinned to an item of another statement",
            a.statement.reference()
        ))
        .hint("name two statements: `dossier match OLD NEW --confirm OLD_ITEM NEW_ITEM`")
        .invalid());
    }
    let (list, old_at, new_at) = selectors(&a.statement, &b.statement, &items[0], &items[1])?;
    write_pin(
        ctx,
        &store,
        what,
        list,
        (&a, old_at),
        (&b, new_at),
        &args,
        out,
    )
}

/// The two statements: `A B`, or an initiative's two latest.
fn pair(store: &Store, args: &MatchArgs) -> Result<(Loaded, Loaded)> {
    if let Some(b) = &args.b {
        return Ok((store.resolve(&args.a)?, store.resolve(b)?));
    }
    if !args.a.contains(['/', '@']) && store.has_initiative(&args.a) {
        let list = store.statements(Some(&args.a))?;
        if list.len() < 2 {
            return Err(Error::new(format!(
                "`{}` has {} statement{}: matching needs two",
                args.a,
                list.len(),
                if list.len() == 1 { "" } else { "s" }
            ))
            .hint(format!("`dossier log {}` lists them", args.a)));
        }
        let n = list.len();
        return Ok((list[n - 2].clone(), list[n - 1].clone()));
    }
    store.resolve(&args.a)?;
    Err(
        Error::new(format!("`{}` alone has nothing to match with", args.a))
            .hint(format!(
                "name the newer statement too: `dossier match {} NEW`, or give an initiative id",
                args.a
            ))
            .invalid(),
    )
}

/// The statements whose items the matcher learns (the initiatives of both), with both.
fn statements_around(store: &Store, a: &Statement, b: &Statement) -> Result<Vec<Statement>> {
    let mut around: Vec<Statement> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for st in [a, b] {
        if !seen.contains(&st.initiative.as_str()) && store.has_initiative(&st.initiative) {
            seen.push(&st.initiative);
            around.extend(
                store
                    .statements(Some(&st.initiative))?
                    .into_iter()
                    .map(|l| l.statement),
            );
        }
    }
    for st in [a, b] {
        if !around.contains(st) {
            around.push(st.clone());
        }
    }
    Ok(around)
}

/// Reads `N` (a priority), `priorities:N` or `principles:N`; a bare number on one side
/// takes the list the other side names.
fn selectors(a: &Statement, b: &Statement, old: &str, new: &str) -> Result<(List, usize, usize)> {
    let (la, na) = selector(old)?;
    let (lb, nb) = selector(new)?;
    let list = match (la, lb) {
        (Some(x), Some(y)) if x != y => {
            return Err(Error::new(format!(
                "`{old}` and `{new}` are in different lists: a priority is pinned to a priority, a principle to a principle"
            ))
            .hint("name two items of one list, e.g. --confirm principles:2 principles:1")
            .invalid())
        }
        (Some(x), _) | (None, Some(x)) => x,
        (None, None) => List::Priorities,
    };
    let at = |st: &Statement, n: usize| -> Result<usize> {
        let len = list.of(st).len();
        if n > len {
            return Err(Error::new(format!(
                "{} has {len} {}; there is no {} {n}",
                st.reference(),
                list.field(),
                singular(list)
            ))
            .hint(format!(
                "`dossier match` lists the items of both with their numbers; `dossier show {}` too",
                st.reference()
            ))
            .invalid());
        }
        Ok(n - 1)
    };
    Ok((list, at(a, na)?, at(b, nb)?))
}

fn selector(s: &str) -> Result<(Option<List>, usize)> {
    let (list, n) = match s.split_once(':') {
        Some((l, n)) => {
            let list = match l.trim() {
                "priority" | "priorities" | "p" => List::Priorities,
                "principle" | "principles" => List::Principles,
                other => {
                    return Err(
                        Error::new(format!("`{other}` is not a list that can be pinned"))
                            .hint("use N (a priority), priorities:N or principles:N")
                            .invalid(),
                    )
                }
            };
            (Some(list), n.trim())
        }
        None => (None, s.trim()),
    };
    let n = n.parse::<usize>().ok().filter(|n| *n >= 1).ok_or_else(|| {
        Error::new(format!("`{s}` is not an item number"))
            .hint("items are numbered from 1, as `dossier match` and `dossier show` list them: N, priorities:N or principles:N")
            .invalid()
    })?;
    Ok((list, n))
}

fn singular(list: List) -> &'static str {
    match list {
        List::Priorities => "priority",
        List::Principles => "principle",
    }
}

/// How a pin names the item `at` of `st`'s `list`: by key when it has one, else by
/// position.
fn name_of(st: &Statement, list: List, at: usize) -> String {
    match &list.of(st)[at].key {
        Some(k) => format!("{}#{k}", st.id),
        None => format!("{}#{}", st.id, at + 1),
    }
}

/// Whether a pin string names the item `at` of `target`'s `list`.
fn names(pin: &str, target: &Statement, list: List, at: usize) -> bool {
    ItemRef::parse(pin)
        .filter(|r| r.statement == target.id)
        .and_then(|r| r.find(list.of(target)))
        == Some(at)
}

/// The pins between the item `at` of `carrier` and the item `other_at` of `other`, as
/// `(in same_as, in not_same_as)`.
fn pins_on(
    carrier: &Statement,
    at: usize,
    other: &Statement,
    other_at: usize,
    list: List,
) -> (bool, bool) {
    let item = &list.of(carrier)[at];
    (
        item.same_as.iter().any(|p| names(p, other, list, other_at)),
        item.not_same_as
            .iter()
            .any(|p| names(p, other, list, other_at)),
    )
}

#[allow(clippy::too_many_arguments)]
fn write_pin(
    ctx: &Context,
    store: &Store,
    what: Pin,
    list: List,
    (a, a_at): (&Loaded, usize),
    (b, b_at): (&Loaded, usize),
    args: &MatchArgs,
    out: &mut dyn Write,
) -> Result<i32> {
    // The later statement carries the pin, unless the other already holds one between
    // the two items.
    let a_later = match (
        PartialDate::parse(&a.statement.date),
        PartialDate::parse(&b.statement.date),
    ) {
        (Some(x), Some(y)) => x > y,
        _ => false,
    };
    let (later, earlier) = if a_later {
        ((a, a_at), (b, b_at))
    } else {
        ((b, b_at), (a, a_at))
    };
    let on_later = pins_on(
        &later.0.statement,
        later.1,
        &earlier.0.statement,
        earlier.1,
        list,
    );
    let on_earlier = pins_on(
        &earlier.0.statement,
        earlier.1,
        &later.0.statement,
        later.1,
        list,
    );
    let has = |p: (bool, bool)| p.0 || p.1;
    let ((carrier, c_at), (target, t_at)) = if !has(on_later) && has(on_earlier) {
        (earlier, later)
    } else {
        (later, earlier)
    };
    let carrier_is_later = carrier.path == later.0.path;
    let other_side = if carrier_is_later {
        on_earlier
    } else {
        on_later
    };
    let target_name = name_of(&target.statement, list, t_at);
    let carrier_item = format!("{}:{}", list.field(), c_at + 1);
    let pair_words = format!(
        "{} {} {} and {} {} {}",
        carrier.statement.reference(),
        singular(list),
        c_at + 1,
        target.statement.reference(),
        singular(list),
        t_at + 1
    );
    // A pin the other record holds that this write would contradict (or, to forget,
    // would leave behind) is the analyst's to settle.
    let contradicts = match what {
        Pin::Confirm => other_side.1,
        Pin::Reject => other_side.0,
        Pin::Forget => has(other_side),
    };
    if contradicts {
        let (other, other_at) = if carrier_is_later { earlier } else { later };
        return Err(Error::new(format!(
            "both records hold a pin between {pair_words}"
        ))
        .hint(format!(
            "remove the one in {} {} {} with `dossier edit {}` (its `same_as` / `not_same_as`), then run this again",
            other.statement.reference(),
            list.field(),
            other_at + 1,
            other.statement.reference()
        ))
        .invalid());
    }

    let rel = carrier.path.clone();
    let abs = store.abs(&rel);
    let head = store.repo().read_at("HEAD", &rel)?;
    let on_disk = codec::read_capped(&abs).map_err(|e| Error::io("read", &abs, e))?;
    if head.as_deref() != Some(on_disk.as_slice()) {
        return Err(Error::new(format!(
            "{} has changes that are not committed: the pin is not written over them",
            store.display_path(&rel).display()
        ))
        .hint(
            "commit them (`git commit`) or put the file back (`git restore`), then run this again",
        )
        .invalid());
    }
    let expected = store.repo().head_blob(&rel)?;
    let decoded = store.decode_file(&rel).map_err(codec::problems_to_error)?;
    let mut st = decoded.record.clone();
    let item = match list {
        List::Priorities => &mut st.priorities[c_at],
        List::Principles => &mut st.principles[c_at],
    };
    let target_st = &target.statement;
    let before = (item.same_as.clone(), item.not_same_as.clone());
    item.same_as.retain(|p| !names(p, target_st, list, t_at));
    item.not_same_as
        .retain(|p| !names(p, target_st, list, t_at));
    match what {
        Pin::Confirm => item.same_as.push(target_name.clone()),
        Pin::Reject => item.not_same_as.push(target_name.clone()),
        Pin::Forget => {}
    }
    let after = (item.same_as.clone(), item.not_same_as.clone());
    let (verb, field) = match what {
        Pin::Confirm => ("pinned as the same item", "same_as"),
        Pin::Reject => ("pinned as different items", "not_same_as"),
        Pin::Forget => ("pin removed", ""),
    };
    if before == after {
        let already = match what {
            Pin::Forget => return Err(Error::new(format!("there is no pin between {pair_words}"))
                .hint("`dossier match` without --forget shows the pairs; pins are marked `pinned`")
                .invalid()),
            _ => format!("already {verb}: {pair_words}; nothing committed"),
        };
        eprintln!("{already}");
        return Ok(exit::OK);
    }
    let message = args.message.clone().unwrap_or_else(|| match what {
        Pin::Forget => format!("match: forget the pin between {pair_words}"),
        _ => format!(
            "match: {} {carrier_item} {field} {target_name}",
            carrier.statement.reference()
        ),
    });
    let outcome =
        store.replace_statement_expecting(&mut st, &rel, &message, Some(&decoded), expected)?;
    let c = match outcome {
        CommitOutcome::Committed(c) => c,
        CommitOutcome::Moved { .. } => {
            return Err(Error::new(format!(
                "{} was changed meanwhile by another write or a sync: the pin was not written",
                carrier.statement.reference()
            ))
            .hint("run the same `dossier match` again: it reads the record afresh"))
        }
    };
    let report = serde_json::json!({
        "pin": if what == Pin::Forget { serde_json::Value::Null } else { field.into() },
        "forgotten": what == Pin::Forget,
        "record": carrier.statement.reference(),
        "item": carrier_item,
        "names": target_name,
        "commit": c.id,
    });
    let text = match args.format {
        ReportFormat::Json => render::json(&report),
        ReportFormat::Table => {
            render::matching::pinned(&ctx.style, verb, &pair_words, field, &target_name)
        }
    };
    emit(out, &text)?;
    eprintln!(
        "{verb}: {} (commit {} on {})",
        carrier.statement.reference(),
        &c.id[..10],
        c.branch
    );
    Ok(exit::OK)
}
