//! `dossier show REF[@REV]`

use std::io::Write;

use super::emit;
use crate::cli::{Format, ShowArgs};
use crate::context::Context;
use crate::error::Result;
use crate::render;
use crate::store::{codec, quote_provenance};

pub fn run(ctx: &Context, args: ShowArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let loaded = store.resolve(&args.reference)?;
    let st = &loaded.statement;
    let text = match args.format {
        Format::Yaml => codec::encode(st),
        Format::Json => render::json(st),
        Format::Table | Format::Markdown => {
            let doc = store
                .source_document(st)
                .and_then(|d| d.ok())
                .map(|b| String::from_utf8_lossy(&b).into_owned());
            let found: Vec<_> = st
                .quotes
                .iter()
                .map(|q| quote_provenance(st, doc.as_deref(), &q.text))
                .collect();
            let mut text = render::records::show(&ctx.style, st, &found);
            // The reviewers' annotations, with where each stands against this version.
            let spec = match crate::store::RefSpec::parse(&args.reference).rev {
                Some(rev) => format!("{}@{rev}", st.reference()),
                None => st.reference(),
            };
            let (shown, problems) = super::annotate::Blobs::new(&store).on_statement(st, &spec);
            super::annotate::warn_unreadable(&problems);
            text.push_str(&render::annotations::section(
                &ctx.style,
                "Annotations",
                &shown,
                false,
                args.format == Format::Markdown,
            ));
            text
        }
    };
    emit(out, &text)?;
    Ok(0)
}
