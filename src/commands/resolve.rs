//! Settling one record both sides changed, for `sync --resolve`: the choices (`--ours`
//! and `--theirs` keep that side in the conflicting fields only, everything else merged;
//! `--edit` opens the record with only its conflicting fields marked), and the same for a
//! record that plain git left unmerged (`git pull`, `git merge` or `git rebase` stopped):
//! there the settled record is written and staged, and git's own command finishes.

use std::io::Write;
use std::path::Path;

use super::{editor, emit};
use crate::cli::SyncArgs;
use crate::error::{exit, Error, Result};
use crate::escape::escape_line;
use crate::git::sync::{Conflict, ConflictSide, MergeInput};
use crate::git::unmerged::Unmerged;
use crate::merge::FIELDS;
use crate::render::merge::{ConflictView, SideView};
use crate::store::merge::{merge_file, FileMerge, Labels};
use crate::store::{codec, nfc_statement, RefSpec, Store};

/// How an analyst settles a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Ours,
    Theirs,
    Edit,
}

impl How {
    pub fn from_args(args: &SyncArgs) -> Result<How> {
        if args.ours {
            Ok(How::Ours)
        } else if args.theirs {
            Ok(How::Theirs)
        } else if args.edit {
            Ok(How::Edit)
        } else {
            Err(Error::new("say how to settle it: --ours, --theirs or --edit").hint(
                "--ours and --theirs keep that side's value in the conflicting fields (everything else stays merged); --edit opens the record with those fields marked",
            ))
        }
    }
}

/// A side's label in conflict markers: who made it, and the commit.
pub fn side_label(which: &str, side: &ConflictSide) -> String {
    let commit = &side.commit[..side.commit.len().min(10)];
    if side.author.is_empty() {
        format!("{which} ({commit})")
    } else {
        format!("{which}: {} (commit {commit})", side.author)
    }
}

/// The content that settles the record (`None`: deleted), or `None` when the analyst
/// gave up in the editor.
#[allow(clippy::too_many_arguments)]
pub fn settle(
    store: &Store,
    rel: &Path,
    base: Option<&[u8]>,
    ours: Option<&[u8]>,
    theirs: Option<&[u8]>,
    labels: &Labels,
    how: How,
) -> Result<Option<Option<Vec<u8>>>> {
    // A record deleted on one side: keep the deletion or the other side whole.
    let (Some(o), Some(t)) = (ours, theirs) else {
        return Ok(match how {
            How::Ours => Some(ours.map(<[u8]>::to_vec)),
            How::Theirs => Some(theirs.map(<[u8]>::to_vec)),
            How::Edit => {
                let kept = ours.or(theirs).unwrap_or(b"");
                edit_record(store, rel, &String::from_utf8_lossy(kept))?.map(Some)
            }
        });
    };
    let merged = merge_file(Some(store), rel, base, o, t, labels);
    let content = match (how, merged) {
        (How::Edit, FileMerge::Clean(bytes)) => {
            return Ok(edit_record(store, rel, &String::from_utf8_lossy(&bytes))?.map(Some))
        }
        (How::Edit, FileMerge::Conflicted(c)) => {
            return Ok(edit_record(store, rel, &String::from_utf8_lossy(&c.marked))?.map(Some))
        }
        (_, FileMerge::Clean(bytes)) => bytes,
        (How::Ours, FileMerge::Conflicted(c)) => c.settled_ours.unwrap_or_else(|| o.to_vec()),
        (How::Theirs, FileMerge::Conflicted(c)) => c.settled_theirs.unwrap_or_else(|| t.to_vec()),
    };
    Ok(Some(Some(content)))
}

/// Opens the editor on `initial` until it holds a valid record without conflict markers.
pub fn edit_record(store: &Store, rel: &Path, initial: &str) -> Result<Option<Vec<u8>>> {
    let draft = editor::draft_path(store.repo().git_dir(), "sync-resolve")?;
    let statement = store.statement_ref(rel).is_some();
    editor::edit_until_valid(&draft, initial, |bytes, file| {
        if !statement {
            let text = String::from_utf8_lossy(bytes);
            if text
                .lines()
                .any(|l| l.starts_with("<<<<<<<") || l.starts_with(">>>>>>>"))
            {
                return Err(Error::new("the conflict markers are still there")
                    .hint("keep one version of each marked part, delete the marker lines"));
            }
            return Ok(bytes.to_vec());
        }
        let decoded = codec::decode_statement(bytes, file).map_err(codec::problems_to_error)?;
        let mut st = decoded.record.clone();
        nfc_statement(&mut st);
        store.validate_new(&st, rel, &[], Some(&decoded))?;
        Ok(codec::encode(&st).into_bytes())
    })
}

/// `sync --resolve REF` while git has files unmerged: settles one and stages it.
pub fn resolve_unmerged(
    store: &Store,
    args: &SyncArgs,
    reference: &str,
    unmerged: &[Unmerged],
    out: &mut dyn Write,
) -> Result<i32> {
    let how = How::from_args(args)?;
    let mut spec = RefSpec::parse(reference);
    spec.rev = None;
    let wanted = store
        .find_path(&spec)
        .ok()
        .map(|p| crate::git::git_path(&p));
    let u = unmerged
        .iter()
        .find(|u| {
            Some(&u.path) == wanted.as_ref()
                || u.path == reference
                || u.path.ends_with(&format!("/{}.yaml", spec.id))
        })
        .ok_or_else(|| {
            let names: Vec<&str> = unmerged.iter().map(|u| u.path.as_str()).collect();
            Error::new(format!(
                "`{reference}` is not among the files git left unmerged"
            ))
            .hint(format!("they are: {}", escape_line(&names.join(", "))))
        })?;
    let rel = Path::new(&u.path);
    let labels = Labels {
        base: "base".into(),
        ours: side_label("ours", &u.ours_side),
        theirs: side_label("theirs", &u.theirs_side),
        marker_size: 7,
    };
    let Some(content) = settle(
        store,
        rel,
        u.base.as_deref(),
        u.ours.as_deref(),
        u.theirs.as_deref(),
        &labels,
        how,
    )?
    else {
        eprintln!("nothing settled: the editor was closed without a record");
        return Ok(exit::ERROR);
    };
    store.repo().settle_unmerged(&u.path, content.as_deref())?;
    let name = store
        .statement_ref(rel)
        .map(|(i, id)| format!("{i}/{id}"))
        .unwrap_or_else(|| u.path.clone());
    let left = unmerged.len() - 1;
    let finish = match u.operation {
        "rebase" => "git rebase --continue",
        "cherry-pick" => "git cherry-pick --continue",
        _ => "git commit --no-edit",
    };
    emit(
        out,
        &format!(
            "settled {} ({}) and staged it. {}\n",
            escape_line(&name),
            match how {
                How::Ours => "ours in the conflicting fields",
                How::Theirs => "theirs in the conflicting fields",
                How::Edit => "edited",
            },
            if left == 0 {
                format!(
                    "Every file is merged: finish the {} with `{finish}`",
                    u.operation
                )
            } else {
                format!("{left} other file(s) are still unmerged (`git status` lists them)")
            }
        ),
    )?;
    Ok(exit::OK)
}

/// The record merger `sync` uses: a file of the store that is a record merges field by
/// field (checked like a write); anything else is left to the analyst.
pub fn record_merger(store: &Store) -> impl Fn(&MergeInput<'_>) -> Option<Vec<u8>> + '_ {
    move |m: &MergeInput<'_>| {
        let rel = Path::new(m.path);
        let record =
            rel.starts_with(store.prefix()) && rel.extension().is_some_and(|e| e == "yaml");
        if !record {
            return None;
        }
        match merge_file(
            Some(store),
            rel,
            m.base,
            m.ours,
            m.theirs,
            &Labels::default(),
        ) {
            FileMerge::Clean(bytes) => Some(bytes),
            FileMerge::Conflicted(_) => None,
        }
    }
}

/// How many of `conflicts` the record merger cannot merge (what a sync would stop on).
pub fn unmergeable(store: &Store, conflicts: &[Conflict]) -> usize {
    let merge = record_merger(store);
    conflicts
        .iter()
        .filter(|c| match (&c.ours.content, &c.theirs.content) {
            (Some(o), Some(t)) => merge(&MergeInput {
                path: &c.path,
                base: c.base.as_deref(),
                ours: o,
                theirs: t,
            })
            .is_none(),
            _ => true,
        })
        .count()
}

fn side_view(s: &ConflictSide) -> SideView {
    SideView {
        author: s.author.clone(),
        when: crate::render::records::format_time(s.time, s.offset_minutes),
        commit: s.commit.clone(),
    }
}

/// What to show of each conflict: its conflicting fields with base, ours and theirs, and
/// the fields that merged.
pub fn conflict_views(store: &Store, conflicts: &[Conflict]) -> Vec<ConflictView> {
    conflicts
        .iter()
        .map(|c| {
            let rel = Path::new(&c.path);
            let name = store
                .statement_ref(rel)
                .map(|(i, id)| format!("{i}/{id}"))
                .unwrap_or_else(|| c.path.clone());
            let mut view = ConflictView {
                name,
                ours: side_view(&c.ours),
                theirs: side_view(&c.theirs),
                fields: Vec::new(),
                merged: Vec::new(),
                note: None,
            };
            let (Some(o), Some(t)) = (&c.ours.content, &c.theirs.content) else {
                view.note = Some(
                    if c.ours.content.is_none() {
                        "deleted on our side, changed on theirs"
                    } else {
                        "changed on our side, deleted on theirs"
                    }
                    .into(),
                );
                return view;
            };
            match merge_file(
                Some(store),
                rel,
                c.base.as_deref(),
                o,
                t,
                &Labels::default(),
            ) {
                FileMerge::Clean(_) => {
                    view.note = Some("merges field by field: nothing to settle".into())
                }
                FileMerge::Conflicted(fc) => {
                    view.note = fc.note.clone();
                    if fc.fields.is_empty() && fc.note.is_none() {
                        view.note = Some("the versions do not merge".into());
                    }
                    view.fields = fc.fields.clone();
                }
            }
            // Which other fields each side changed.
            let decode = |b: &[u8]| codec::decode_statement(b, rel).ok().map(|d| d.record);
            let base = c.base.as_deref().and_then(decode);
            if let (Some(b), Some(o), Some(t)) = (base, decode(o), decode(t)) {
                for f in FIELDS {
                    if view.fields.iter().any(|x| x.field == *f) {
                        continue;
                    }
                    let v = |s| crate::merge::field_value(s, f);
                    let (bo, bt) = (v(&o) != v(&b), v(&t) != v(&b));
                    let from = match (bo, bt) {
                        (true, true) => "both",
                        (true, false) => "ours",
                        (false, true) => "theirs",
                        (false, false) => continue,
                    };
                    view.merged.push((f.to_string(), from));
                }
            }
            view
        })
        .collect()
}
