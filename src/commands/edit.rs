//! `dossier edit REF`: change a statement in the editor, as one commit.

use std::io::Write;

use super::{editor, emit};
use crate::cli::EditArgs;
use crate::context::Context;
use crate::error::{Error, Result};
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
    let original = crate::fsio::read_text(&abs).map_err(|e| Error::io("read", &abs, e))?;
    let current = store
        .decode_file(&rel)
        .map_err(codec::problems_to_error)?
        .record;
    let draft = editor::draft_path(store.repo().git_dir(), &format!("edit-{}", current.id))?;
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
        eprintln!("no change: nothing committed");
        return Ok(0);
    };
    let mut st = decoded.record.clone();
    if st == current {
        eprintln!("no change: nothing committed");
        return Ok(0);
    }
    let message = args
        .message
        .unwrap_or_else(|| format!("edit {}", st.reference()));
    let c = store.replace_statement(&mut st, &rel, &message, Some(&decoded))?;
    emit(out, &format!("{}\n", st.reference()))?;
    eprintln!(
        "edited {} (commit {} on {})",
        st.reference(),
        &c.id[..10],
        c.branch
    );
    Ok(0)
}
