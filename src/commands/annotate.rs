//! `dossier annotate REF [--item N | --change ID [--from REF]] --note TEXT`: a reviewer's
//! note on a statement, an item or a change, as its own file and one commit; and the
//! annotations that `show`, `diff`, `timeline`, `report` and `export` put next to what
//! they are about, with their standing (current, moved, stale).

use std::collections::HashMap;
use std::io::Write;

use sha2::{Digest, Sha256};

use super::emit;
use crate::annotation::{
    changes, standing, Annotation, Assessment, ChangeTarget, ItemTarget, Section,
};
use crate::cli::{AnnotateArgs, ReportFormat};
use crate::context::Context;
use crate::diff::{diff_statements, DiffOptions};
use crate::error::{exit, Error, Result};
use crate::record::Statement;
use crate::render::{self, annotations::Shown};
use crate::store::codec::Problem;
use crate::store::{Loaded, RefSpec, Store};

pub fn run(ctx: &Context, args: AnnotateArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    if RefSpec::parse(&args.reference).rev.is_some() {
        return Err(Error::new(
            "annotations are written on the current record, not a past revision",
        )
        .hint("drop the @REV; to annotate how a record changed, use `--change ID --from REF@REV`")
        .invalid());
    }
    let loaded = store.resolve(&args.reference)?;
    let st = &loaded.statement;
    let reference = st.reference();
    let pair = if args.list || args.change.is_some() {
        Some(pair_with(&store, &loaded, args.from.as_deref())?)
    } else {
        if args.from.is_some() {
            return Err(Error::new("--from names the other side of a change")
                .hint("use it with --change ID or --list")
                .invalid());
        }
        None
    };
    if args.list {
        let (from_spec, from) = pair.as_ref().expect("a pair for --list");
        let list = changes(&diff_statements(&from.statement, st, &diff_options(&store)));
        emit(
            out,
            &render::annotations::changes(
                &ctx.style,
                args.format == ReportFormat::Json,
                from_spec,
                &reference,
                &list,
            ),
        )?;
        return Ok(exit::OK);
    }
    let note = args.note.clone().unwrap_or_default();
    let assessment = match args.assessment.as_deref() {
        None => None,
        Some(w) => Some(Assessment::parse(w).ok_or_else(|| {
            Error::new(format!("`{w}` is not an assessment"))
                .hint(format!("use one of: {}", Assessment::WORDS.join(", ")))
                .invalid()
        })?),
    };
    let item = match &args.item {
        Some(sel) => Some(item_target(st, sel)?),
        None => None,
    };
    let change = match (&args.change, &pair) {
        (Some(id), Some((from_spec, from))) => {
            let list = changes(&diff_statements(&from.statement, st, &diff_options(&store)));
            let Some(c) = list.iter().find(|c| c.id == *id) else {
                let ids: Vec<&str> = list.iter().map(|c| c.id.as_str()).take(12).collect();
                return Err(Error::new(format!(
                    "the diff from {from_spec} to {reference} has no change `{id}`"
                ))
                .hint(format!(
                    "its changes are: {}; `dossier annotate {reference} --from {from_spec} --list` shows them",
                    ids.join(", ")
                ))
                .invalid());
            };
            Some(ChangeTarget {
                id: c.id.clone(),
                from: from_spec.clone(),
                from_blob: store.blob_of(from_spec)?,
                status: c.status.clone(),
                before: c.before.clone(),
                after: c.after.clone(),
            })
        }
        _ => None,
    };
    let (name, email, secs, offset) = store.repo().author()?;
    let day = render::records::format_time(secs, offset)[..10].to_string();
    let blob = store.blob_of(&reference)?;
    // The id's eight hex digits come from what is annotated, by whom and when (the
    // commit's own time, so GIT_AUTHOR_DATE pins it), and the first free one is taken:
    // the same annotation written again in the same second gets the next.
    let (ini, statement_id) = reference
        .split_once('/')
        .unwrap_or(("", reference.as_str()));
    let what = format!("{item:?}{change:?}");
    let when = format!("{secs}{offset:+}");
    let mut id = String::new();
    for nonce in 0u32.. {
        let mut hash = Sha256::new();
        let nonce = nonce.to_string();
        for part in [
            reference.as_str(),
            &blob,
            &note,
            &email,
            &what,
            &when,
            &nonce,
        ] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        let hex: String = hash.finalize()[..4]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        id = format!("{day}-{hex}");
        if !store.annotation_exists(ini, statement_id, &id)? {
            break;
        }
    }
    let annotation = Annotation {
        id,
        statement: reference.clone(),
        blob,
        item,
        change,
        assessment,
        tags: args.tags.clone(),
        note: unicode_nfc(&note),
        author: Some(name),
        date: day,
    };
    let message = args.message.clone().unwrap_or_else(|| {
        let first: String = note
            .lines()
            .next()
            .unwrap_or_default()
            .chars()
            .take(60)
            .collect();
        format!("annotate {reference}: {first}")
    });
    let (committed, rel) = store.add_annotation(&annotation, &message)?;
    emit(out, &format!("{}\n", store.display_path(&rel).display()))?;
    eprintln!(
        "annotated {} ({}, commit {} on {})",
        reference,
        crate::annotation::target_label(&annotation),
        &committed.id[..10],
        committed.branch
    );
    Ok(exit::OK)
}

fn unicode_nfc(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfc().collect()
}

/// The diff options `annotate` numbers changes with: `dossier diff`'s defaults.
fn diff_options(store: &Store) -> DiffOptions {
    DiffOptions {
        match_threshold: store
            .settings
            .match_threshold
            .unwrap_or(crate::diff::DEFAULT_MATCH_THRESHOLD),
        ..DiffOptions::default()
    }
}

/// The other side of a pair: `--from` (with a revision pinned to its commit), else the
/// statement before this one in its initiative (as `diff INITIATIVE --steps` pairs them).
fn pair_with(store: &Store, loaded: &Loaded, from: Option<&str>) -> Result<(String, Loaded)> {
    match from {
        Some(f) => {
            let other = store.resolve(f)?;
            let spec = RefSpec::parse(f);
            let name = match &spec.rev {
                Some(rev) => format!(
                    "{}@{}",
                    other.statement.reference(),
                    store.repo().resolve(rev)?
                ),
                None => other.statement.reference(),
            };
            Ok((name, other))
        }
        None => {
            let list = store.statements(Some(&loaded.statement.initiative))?;
            let at = list
                .iter()
                .position(|l| l.statement.id == loaded.statement.id)
                .unwrap_or(0);
            if at == 0 {
                return Err(Error::new(format!(
                    "{} is the first statement of its initiative: there is no change to annotate",
                    loaded.statement.reference()
                ))
                .hint("name the other side with --from REF (or REF@REV for an earlier version of this one)")
                .invalid());
            }
            let prev = list[at - 1].clone();
            Ok((prev.statement.reference(), prev))
        }
    }
}

/// `N` (the N-th priority), `priorities:N`, `principles:N` or `quotes:N` (singular
/// accepted).
fn item_target(st: &Statement, selector: &str) -> Result<ItemTarget> {
    let (section, n) = match selector.split_once(':') {
        Some((s, n)) => (s.trim(), n.trim()),
        None => ("priorities", selector.trim()),
    };
    let section = match section {
        "priority" | "priorities" | "p" => Section::Priorities,
        "principle" | "principles" => Section::Principles,
        "quote" | "quotes" | "q" => Section::Quotes,
        other => {
            return Err(
                Error::new(format!("`{other}` is not a list of the statement"))
                    .hint("use N (a priority), priorities:N, principles:N or quotes:N")
                    .invalid(),
            )
        }
    };
    let items: Vec<(Option<String>, String)> = match section {
        Section::Priorities => st
            .priorities
            .iter()
            .map(|i| (i.key.clone(), i.text.clone()))
            .collect(),
        Section::Principles => st
            .principles
            .iter()
            .map(|i| (i.key.clone(), i.text.clone()))
            .collect(),
        Section::Quotes => st.quotes.iter().map(|q| (None, q.text.clone())).collect(),
    };
    let rank: usize = n.parse().ok().filter(|r| *r >= 1).ok_or_else(|| {
        Error::new(format!("`{n}` is not an item number"))
            .hint("items are numbered from 1, as `dossier show` lists them")
            .invalid()
    })?;
    let Some((key, text)) = items.get(rank - 1).cloned() else {
        return Err(Error::new(format!(
            "{} has {} {section}; there is no {section} {rank}",
            st.reference(),
            items.len()
        ))
        .hint(format!("`dossier show {}` lists them", st.reference()))
        .invalid());
    };
    Ok(ItemTarget {
        section,
        rank: rank as u32,
        key,
        text,
    })
}

/// Blob ids of statements by reference (`INI/ID` or `INI/ID@REV`), read once each.
pub(crate) struct Blobs<'s> {
    store: &'s Store,
    known: HashMap<String, Option<String>>,
}

impl<'s> Blobs<'s> {
    pub(crate) fn new(store: &'s Store) -> Self {
        Blobs {
            store,
            known: HashMap::new(),
        }
    }

    pub(crate) fn of(&mut self, reference: &str) -> Option<String> {
        if let Some(b) = self.known.get(reference) {
            return b.clone();
        }
        let b = self.store.blob_of(reference).ok();
        self.known.insert(reference.to_string(), b.clone());
        b
    }

    /// Every annotation on `st` (as it stands at `spec`, a ref or `REF@REV`), with its
    /// standing; and the problems of annotation files that do not read.
    pub(crate) fn on_statement(
        &mut self,
        st: &Statement,
        spec: &str,
    ) -> (Vec<Shown>, Vec<Problem>) {
        let (list, problems) = self.store.annotations_of(&st.reference());
        if list.is_empty() {
            // Most statements have none: no need to read and hash their files.
            return (Vec::new(), problems);
        }
        let blob = self.of(spec).unwrap_or_default();
        let shown = list
            .into_iter()
            .map(|l| {
                let from_blob = l.annotation.change.as_ref().and_then(|c| self.of(&c.from));
                let standing = standing(&l.annotation, st, &blob, from_blob.as_deref());
                Shown {
                    annotation: l.annotation,
                    standing,
                }
            })
            .collect();
        (shown, problems)
    }

    /// The annotations on changes between `a` and `b` (refs or `REF@REV`, as diffed):
    /// those written on that pair, current only when both sides are as annotated.
    pub(crate) fn on_pair(&mut self, a: (&Statement, &str), b: (&Statement, &str)) -> Vec<Shown> {
        let (list, _) = self.store.annotations_of(&b.0.reference());
        if list.is_empty() {
            return Vec::new();
        }
        let a_blob = self.of(a.1);
        let b_blob = self.of(b.1);
        list.into_iter()
            .filter(|l| {
                l.annotation
                    .change
                    .as_ref()
                    .is_some_and(|c| c.from.split('@').next() == Some(a.0.reference().as_str()))
            })
            .map(|l| {
                let standing = standing(
                    &l.annotation,
                    b.0,
                    b_blob.as_deref().unwrap_or_default(),
                    a_blob.as_deref(),
                );
                Shown {
                    annotation: l.annotation,
                    standing,
                }
            })
            .collect()
    }
}

/// Prints the problems of annotation files that do not read, as warnings.
pub(crate) fn warn_unreadable(problems: &[Problem]) {
    for p in problems {
        eprintln!("warning: annotation {}: {}", p.location, p.message);
    }
}
