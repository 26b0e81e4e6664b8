//! `dossier import FILE --initiative ID`: a statement started from a plain-text source.
//!
//! The detections come from [`crate::import::detect`]; flags override them. What was found
//! and what was not goes to standard error, then the record opens in the editor (or, with
//! `--yes`, is recorded as it is). The source is kept with the statement like
//! `record --source-document` keeps it.

use std::io::Write;

use super::emit;
use super::record::{from_flags, generate_id};
use crate::cli::ImportArgs;
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::import::{detect, Detected, Found};
use crate::record::{Quote, Source, Speaker, Statement};
use crate::render::analysis::{import_report, Detection};
use crate::render::Style;
use crate::store::codec::{self, Decoded};
use crate::store::{PendingFile, Store};

pub fn run(ctx: &Context, args: ImportArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    if !store.has_initiative(&args.initiative) {
        return Err(store.unknown_initiative(&args.initiative));
    }
    let bytes = crate::fsio::read(&args.file).map_err(|e| Error::io("read", &args.file, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::new(format!("{} is not UTF-8 text", args.file.display()))
            .cause(e)
            .hint("convert it to UTF-8 first, e.g. with iconv")
    })?;
    let detected = detect(text.strip_prefix('\u{feff}').unwrap_or(&text));
    let (mut st, mut extra) = from_flags(&store, &args.initiative, &args.fields, false)?;
    let report = merge(&mut st, &detected, &args);
    if st.source.as_ref().is_none_or(|s| s.document.is_none()) {
        let doc = store.take_source_document(&args.file)?;
        let source = st.source.get_or_insert_with(Source::default);
        source.document = Some(doc.path);
        source.sha256 = Some(doc.sha256);
        extra.extend(doc.copy);
    }
    if args.fields.id.is_none() && !st.date.is_empty() {
        st.id = generate_id(&st);
    }
    let stderr_style = Style {
        color: false,
        width: ctx.style.width,
        wide: ctx.style.wide,
    };
    eprint!("{}", import_report(&stderr_style, &args.file, &report));

    let origin = if args.yes {
        None
    } else {
        match edit(&store, &st, &extra)? {
            Some(decoded) => {
                st = decoded.record.clone();
                Some(decoded)
            }
            None => {
                eprintln!(
                    "nothing recorded: the editor was closed without a change (run with --yes to record the detections as they are)"
                );
                return Ok(exit::ERROR);
            }
        }
    };
    let (committed, _) = store.add_statement(&mut st, extra, origin.as_ref())?;
    emit(out, &format!("{}\n", st.reference()))?;
    eprintln!(
        "recorded {} (commit {} on {})",
        st.reference(),
        committed.id.get(..10).unwrap_or(&committed.id),
        committed.branch
    );
    Ok(0)
}

/// Fills what the flags left open with the detections; returns a line per field saying
/// where its value came from.
fn merge(st: &mut Statement, d: &Detected, args: &ImportArgs) -> Vec<Detection> {
    let f = &args.fields;
    let mut rows = Vec::new();
    let no_year = d.date_without_year.as_ref().map(|x| Found {
        value: String::new(),
        evidence: format!(
            "\"{}\" has no year, and none was found in the text",
            x.evidence
        ),
    });
    if let Some(date) = note(&mut rows, "date", f.date.as_deref(), d.date.as_ref()) {
        st.date = date;
    } else if let (Some(last), Some(why)) = (rows.last_mut(), no_year) {
        last.origin = why.evidence;
    }
    if let Some(lang) = note(
        &mut rows,
        "language",
        f.language.as_deref(),
        d.language.as_ref(),
    ) {
        st.language = lang;
    }
    let name = note(
        &mut rows,
        "speaker",
        f.speaker.as_deref(),
        d.speaker.as_ref(),
    );
    let role = note(&mut rows, "role", f.role.as_deref(), d.role.as_ref());
    st.speaker = name.map(|name| Speaker { name, role });
    let outlet = note(&mut rows, "outlet", f.outlet.as_deref(), d.outlet.as_ref());
    let published = d.date.as_ref().map(|x| Found {
        value: x.value.clone(),
        evidence: "the date of the item".into(),
    });
    let published = note(
        &mut rows,
        "published",
        f.published.as_deref(),
        published.as_ref(),
    );
    let source = st.source.get_or_insert_with(Source::default);
    source.outlet = outlet;
    source.published = published;

    if f.text_file.is_none() {
        st.text = (!d.body.trim().is_empty()).then(|| d.body.clone());
    }
    let paragraphs = d
        .body
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .count();
    let body = Found {
        value: format!(
            "{paragraphs} paragraphs, {} characters",
            d.body.chars().count()
        ),
        evidence: if d.dropped.is_empty() {
            "the whole file".into()
        } else {
            format!("without: {}", d.dropped.join(" | "))
        },
    };
    let text_flag = f.text_file.as_ref().map(|p| p.display().to_string());
    note(
        &mut rows,
        "text",
        text_flag.as_deref(),
        (!d.body.trim().is_empty()).then_some(&body),
    );

    if f.quotes.is_empty() {
        let detected_name = d.speaker.as_ref().map(|s| s.value.as_str());
        st.quotes = d
            .quotes
            .iter()
            .map(|q| Quote {
                text: q.text.clone(),
                // The analyst's rendering of the main speaker's name stands for it.
                speaker: match (&f.speaker, q.speaker.as_deref()) {
                    (Some(given), Some(s)) if Some(s) == detected_name => Some(given.clone()),
                    (_, s) => s.map(str::to_owned),
                },
            })
            .collect();
    }
    let quotes = Found {
        value: format!("{} passages", d.quotes.len()),
        evidence: "in double quotes, «», „“".into(),
    };
    let quote_flag = (!f.quotes.is_empty()).then(|| format!("{} from flags", f.quotes.len()));
    note(
        &mut rows,
        "quotes",
        quote_flag.as_deref(),
        (!d.quotes.is_empty()).then_some(&quotes),
    );
    if let Some(headline) = &d.headline {
        rows.push(Detection {
            field: "headline".into(),
            value: headline.clone(),
            origin: "the first line (not recorded: use it for --summary or --id)".into(),
            missing: false,
        });
    }
    rows
}

/// Records where a field's value came from (the flag, a detection or nowhere) and returns
/// the value.
fn note(
    rows: &mut Vec<Detection>,
    field: &str,
    flag: Option<&str>,
    found: Option<&Found>,
) -> Option<String> {
    let (value, origin, missing) = match (flag, found) {
        (Some(v), _) => (v.to_string(), "from the flag".to_string(), false),
        (None, Some(x)) => (x.value.clone(), x.evidence.clone(), false),
        (None, None) => (String::new(), "not found".to_string(), true),
    };
    rows.push(Detection {
        field: field.to_string(),
        value: value.clone(),
        origin,
        missing,
    });
    (!missing).then_some(value)
}

const TEMPLATE_HELP: &str = "\
# dossier: a statement imported from a source. Check each field against the source, fill
# in what was not found (kind, stage, venue, summary, priorities...), and save. Quitting,
# or saving without a change, records nothing. Lines starting with # are ignored.
";

/// Opens the editor on the filled record until it validates (with the source copy that is
/// about to be committed counted as present).
fn edit(
    store: &Store,
    st: &Statement,
    extra: &[PendingFile],
) -> Result<Option<Decoded<Statement>>> {
    let mut initial = String::from(TEMPLATE_HELP);
    initial.push_str(&codec::encode(st));
    if st.summary.is_none() {
        initial.push_str("summary: \"\"\n");
    }
    super::record::edit_new_record(store, "import", st, &initial, extra)
}
