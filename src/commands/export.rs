//! `dossier export [INITIATIVE]`: statements (or their priorities and principles, or the
//! annotations on them) as CSV,
//! JSON or YAML for spreadsheets and other tools, to standard output or atomically to a
//! file.

use std::io::Write;

use super::emit;
use crate::cli::{CitationFormat, ExportArgs, ExportFormat};
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::fsio::write_atomic;
use crate::render;
use crate::store::codec;

pub fn run(ctx: &Context, args: ExportArgs, out: &mut dyn Write) -> Result<i32> {
    if args.bom && args.format != ExportFormat::Csv {
        return Err(Error::new("--bom is only for CSV")
            .hint("drop --bom, or export with --format csv")
            .invalid());
    }
    if (args.items || args.annotations) && args.format == ExportFormat::CslJson {
        return Err(
            Error::new("--items and --annotations are not for citations")
                .hint("export them with --format csv, json or yaml")
                .invalid(),
        );
    }
    let store = ctx.store()?;
    let list = store.statements(args.initiative.as_deref())?;
    let (columns, rows) = if args.annotations {
        let mut blobs = super::annotate::Blobs::new(&store);
        let mut shown = Vec::new();
        for l in &list {
            let (one, problems) = blobs.on_statement(&l.statement, &l.statement.reference());
            super::annotate::warn_unreadable(&problems);
            shown.extend(one);
        }
        render::export::annotation_rows(&shown)
    } else if args.items {
        render::export::item_rows(&list)
    } else {
        render::export::statement_rows(&list)
    };
    let bytes = match args.format {
        ExportFormat::Csv => render::export::csv(&columns, &rows, args.bom)?,
        ExportFormat::Json => render::json(&rows).into_bytes(),
        ExportFormat::Yaml => codec::encode_list(&rows).into_bytes(),
        ExportFormat::CslJson => {
            let cited: Vec<_> = list.iter().map(|l| (l.clone(), None)).collect();
            let items = super::cite::citations(&store, &cited)?;
            super::cite::write(&items, CitationFormat::CslJson).into_bytes()
        }
    };
    let what = if args.annotations {
        format!(
            "{} annotation{}",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" }
        )
    } else if args.items {
        format!(
            "{} item{}",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "{} statement{}",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" }
        )
    };
    match &args.output {
        Some(path) if path.as_os_str() != "-" => {
            let path = ctx.cwd.join(path);
            if crate::fsio::is_dir(&path) {
                return Err(Error::new(format!("{} is a folder", path.display()))
                    .hint("give a file name: `-o statements.csv`"));
            }
            write_atomic(&path, &bytes)?;
            eprintln!("exported {what} to {}", path.display());
        }
        _ => {
            // CSV, JSON and YAML are all UTF-8 text.
            let text = String::from_utf8(bytes)
                .map_err(|e| Error::new("the export is not valid UTF-8").cause(e))?;
            emit(out, &text)?;
        }
    }
    Ok(exit::OK)
}
