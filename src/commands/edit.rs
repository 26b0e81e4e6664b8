//! `dossier edit REF`: change a statement in the editor, as one commit.
//!
//! The edit remembers the blob id of the record it opened (kept beside the draft, so a
//! draft reopened later keeps it too). The commit is made only while HEAD still holds that
//! blob: when a sync or another edit changed the record meanwhile, the two changes are
//! merged field by field (`crate::merge`) when they touch different fields; otherwise
//! nothing is committed, the draft is kept, and both changes are shown. A record deleted
//! meanwhile is never brought back by an edit.

use std::io::Write;

use super::{editor, emit};
use crate::cli::EditArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::escape::escape_line;
use crate::git::CommitOutcome;
use crate::merge::{merge_statements, FieldConflict};
use crate::store::{codec, nfc_statement, RefSpec};

pub fn run(ctx: &Context, args: EditArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let spec = RefSpec::parse(&args.reference);
    if spec.rev.is_some() {
        return Err(Error::new("only the current record can be edited, not a past revision")
            .hint("drop the @REV; to go back to it, copy it with `dossier show REF@REV --format yaml`"));
    }
    let rel = store.find_path(&spec)?;
    let abs = store.abs(&rel);
    let original = String::from_utf8(
        crate::store::codec::read_capped(&abs).map_err(|e| Error::io("read", &abs, e))?,
    )
    .map_err(|_| Error::new(format!("{} is not UTF-8", abs.display())))?;
    let current = store
        .decode_file(&rel)
        .map_err(codec::problems_to_error)?
        .record;
    let draft = editor::draft_path(store.repo().git_dir(), &format!("edit-{}", current.id))?;
    // The base: what a kept draft was made against, else the record as HEAD holds it now.
    let head_blob = store.repo().head_blob(&rel)?;
    let base_blob = editor::draft_base(&draft).unwrap_or_else(|| head_blob.clone());
    let base = match &base_blob {
        Some(b) if Some(b) != head_blob.as_ref() => store
            .repo()
            .blob_content(b)
            .and_then(|bytes| codec::decode_statement(&bytes, &rel).ok())
            .map(|d| d.record)
            .unwrap_or_else(|| current.clone()),
        _ => current.clone(),
    };
    editor::set_draft_base(&draft, base_blob.as_deref())?;
    let edited = editor::edit_until_valid(&draft, &original, |bytes, file| {
        let decoded = codec::decode_statement(bytes, file).map_err(codec::problems_to_error)?;
        let mut st = decoded.record.clone();
        if st.id != current.id || st.initiative != current.initiative {
            return Err(Error::new(
                "the id and initiative of a record cannot be changed by editing",
            )
            .hint(format!(
                "keep `id: {}` and `initiative: {}`",
                current.id, current.initiative
            )));
        }
        nfc_statement(&mut st);
        store.validate_new(&st, &rel, &[], Some(&decoded))?;
        Ok(decoded.with_record(st))
    })?;
    let Some(decoded) = edited else {
        if !editor::draft_kept(&draft) {
            editor::discard(&draft);
        }
        eprintln!("no change: nothing committed");
        return Ok(0);
    };
    let mut ours = decoded.record.clone();
    if ours == current && base_blob == head_blob {
        editor::discard(&draft);
        eprintln!("no change: nothing committed");
        return Ok(0);
    }
    let message = args
        .message
        .unwrap_or_else(|| format!("edit {}", ours.reference()));
    let mut base = base;
    let mut expected = base_blob;
    let mut origin = Some(&decoded);
    loop {
        let outcome = store.replace_statement_expecting(
            &mut ours.clone(),
            &rel,
            &message,
            origin,
            expected.clone(),
        );
        let (blob, content) = match outcome {
            Ok(CommitOutcome::Committed(c)) => {
                editor::discard(&draft);
                emit(out, &format!("{}\n", ours.reference()))?;
                eprintln!(
                    "edited {} (commit {} on {})",
                    ours.reference(),
                    &c.id[..10],
                    c.branch
                );
                return Ok(0);
            }
            Ok(CommitOutcome::Moved { blob, content, .. }) => (blob, content),
            Err(e) => {
                editor::keep_draft(&draft, &codec::encode(&ours), expected.as_deref())?;
                return Err(e.hint(format!(
                    "nothing was committed; your edit is kept at {}: `dossier edit {}` opens it again",
                    draft.display(),
                    ours.reference()
                )));
            }
        };
        let theirs = content.and_then(|b| codec::decode_statement(&b, &rel).ok().map(|d| d.record));
        let Some(theirs) = theirs else {
            editor::keep_draft(&draft, &codec::encode(&ours), blob.as_deref())?;
            return Err(Error::new(format!(
                "{} was changed meanwhile (deleted, or made unreadable) by another write or a sync: your edit was not committed",
                ours.reference()
            ))
            .hint(format!(
                "your edit is kept at {}; to bring the record back as you edited it: `dossier record {} --from {}`",
                draft.display(),
                ours.initiative,
                draft.display()
            )));
        };
        match merge_statements(&base, &ours, &theirs) {
            Ok(merged) => {
                if merged == theirs {
                    editor::discard(&draft);
                    eprintln!(
                        "no change: {} already holds your edit (changed meanwhile the same way)",
                        ours.reference()
                    );
                    return Ok(0);
                }
                eprintln!(
                    "{} was changed meanwhile in other fields: your edit is merged with that change",
                    ours.reference()
                );
                ours = merged;
                base = theirs;
                expected = blob;
                origin = None;
            }
            Err(c) => {
                let report = conflict_report(&c.conflicts);
                let text = editor::with_header(&report, &codec::encode(&c.partial));
                editor::keep_draft(&draft, &text, blob.as_deref())?;
                emit(out, &report)?;
                return Err(Error::new(format!(
                    "{} was changed meanwhile by another write or a sync, in the same field{} as your edit: nothing was committed",
                    ours.reference(),
                    if c.conflicts.len() == 1 { "" } else { "s" }
                ))
                .hint(format!(
                    "your edit, merged with the other change except in those fields, is kept at {}: run `dossier edit {}` to settle them (its header shows both values), then save",
                    draft.display(),
                    ours.reference()
                )));
            }
        }
    }
}

/// Both changes of each conflicting field, for people (escaped, one line each).
fn conflict_report(conflicts: &[FieldConflict]) -> String {
    let show = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "(none)".to_string(),
        serde_json::Value::String(s) => escape_line(s),
        other => escape_line(&other.to_string()),
    };
    let mut text = String::new();
    for c in conflicts {
        text.push_str(&format!(
            "conflict in `{}`:\n  before:         {}\n  your edit:      {}\n  changed to meanwhile: {}\n",
            c.field,
            show(&c.base),
            show(&c.ours),
            show(&c.theirs)
        ));
    }
    text
}
