//! `dossier record INITIATIVE`: a new statement from flags, a YAML file or the editor.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use super::{editor, emit};
use crate::cli::{FieldArgs, RecordArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::record::{Item, Kind, Quote, Source, Speaker, Stage, Statement};
use crate::store::codec::{self, Decoded};
use crate::store::{PendingFile, Store};

pub fn run(ctx: &Context, args: RecordArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    if !store.has_initiative(&args.initiative) {
        return Err(store.unknown_initiative(&args.initiative));
    }
    // `origin` is the file the analyst wrote, for locating problems in it.
    let (mut st, extra, origin) = if let Some(from) = &args.from {
        let decoded = from_file(&args.initiative, from)?;
        (decoded.record.clone(), Vec::new(), Some(decoded))
    } else {
        let (st, extra) = from_flags(&store, &args.initiative, &args.fields, !args.edit)?;
        if args.edit {
            match edit_new(&store, st)? {
                Some(decoded) => (decoded.record.clone(), extra, Some(decoded)),
                None => {
                    eprintln!("nothing recorded: the editor was closed without a record");
                    return Ok(crate::error::exit::ERROR);
                }
            }
        } else {
            (st, extra, None)
        }
    };
    let (committed, _) = store.add_statement(&mut st, extra, origin.as_ref())?;
    emit(out, &format!("{}\n", st.reference()))?;
    eprintln!(
        "recorded {} (commit {} on {})",
        st.reference(),
        &committed.id[..10],
        committed.branch
    );
    Ok(0)
}

/// Reads a file, or standard input for `-` (which must not be empty).
fn read_bytes(path: &Path, what: &str) -> Result<Vec<u8>> {
    if path == Path::new("-") {
        let mut buf = Vec::new();
        // A text or record over the record cap is refused later; never read more.
        let cap = codec::MAX_RECORD_BYTES as u64 + 1;
        std::io::stdin()
            .take(cap)
            .read_to_end(&mut buf)
            .map_err(|e| {
                Error::new(format!("could not read {what} from standard input")).cause(e)
            })?;
        if buf.is_empty() {
            return Err(
                Error::new(format!("standard input was empty: no {what} was given")).hint(
                    "pipe the text in, e.g. `dossier record ... --text-file - < statement.txt`",
                ),
            );
        }
        Ok(buf)
    } else {
        codec::read_capped(path).map_err(|e| Error::io(&format!("read the {what} file"), path, e))
    }
}

/// A text file (or standard input) that must be UTF-8.
fn read_input(path: &Path, what: &str) -> Result<String> {
    let bytes = read_bytes(path, what)?;
    if bytes.len() > codec::MAX_RECORD_BYTES {
        return Err(Error::new(format!(
            "the {what} in {} is larger than a record may be ({} MiB)",
            path.display(),
            codec::MAX_RECORD_BYTES / (1024 * 1024)
        ))
        .hint("keep the whole document with --source-document and record the passages that matter")
        .invalid());
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::new(format!("the {what} in {} is not UTF-8", path.display()))
            .cause(e)
            .hint("convert it to UTF-8 first, e.g. with iconv")
    })
}

fn from_file(initiative: &str, from: &Path) -> Result<Decoded<Statement>> {
    let bytes = read_bytes(from, "record")?;
    let shown = if from == Path::new("-") {
        PathBuf::from("<stdin>")
    } else {
        from.to_path_buf()
    };
    let decoded = codec::decode_statement(&bytes, &shown).map_err(codec::problems_to_error)?;
    let st = &decoded.record;
    if st.initiative != initiative {
        return Err(Error::new(format!(
            "the record is about `{}`, not `{initiative}`",
            st.initiative
        ))
        .hint(format!(
            "run `dossier record {} --from {}`",
            st.initiative,
            from.display()
        ))
        .invalid());
    }
    Ok(decoded)
}

/// Builds a statement from flags. With `require`, missing required flags are errors.
pub(super) fn from_flags(
    store: &Store,
    initiative: &str,
    f: &FieldArgs,
    require: bool,
) -> Result<(Statement, Vec<PendingFile>)> {
    let missing = |flag: &str| {
        Error::new(format!("{flag} is required"))
            .hint("give it as a flag, or use --edit or --from FILE.yaml")
            .invalid()
    };
    let date = match &f.date {
        Some(d) => d.clone(),
        None if require => return Err(missing("--date")),
        None => String::new(),
    };
    let language = match f
        .language
        .clone()
        .or_else(|| crate::settings::record_language(store))
    {
        Some(l) => l,
        None if require => return Err(missing("--lang")),
        None => String::new(),
    };
    let kind = match &f.kind {
        Some(k) => Some(Kind::parse(k).ok_or_else(|| {
            Error::new(format!("`{k}` is not a kind"))
                .hint(format!("use one of: {}", Kind::WORDS.join(", ")))
                .invalid()
        })?),
        None => None,
    };
    let stage = match &f.stage {
        Some(s) => Some(Stage::parse(s).ok_or_else(|| {
            Error::new(format!("`{s}` is not a stage"))
                .hint(format!("use one of: {}", Stage::WORDS.join(", ")))
                .invalid()
        })?),
        None => None,
    };
    let text = f
        .text_file
        .as_deref()
        .map(|p| read_input(p, "text"))
        .transpose()?;
    let mut translations = BTreeMap::new();
    for t in &f.translations {
        let (lang, path) = t.split_once('=').ok_or_else(|| {
            Error::new(format!("`{t}` is not LANG=PATH"))
                .hint("e.g. --translation en=lebedev-en.txt")
                .invalid()
        })?;
        translations.insert(
            lang.to_string(),
            read_input(Path::new(path), "translation")?,
        );
    }
    let speaker = f.speaker.as_ref().map(|name| Speaker {
        name: name.clone(),
        role: f.role.clone(),
    });
    let mut extra = Vec::new();
    let mut source = Source {
        outlet: f.outlet.clone(),
        url: f.url.clone(),
        published: f.published.clone(),
        retrieved: f.retrieved.clone(),
        ..Default::default()
    };
    if let Some(doc) = &f.source_document {
        let doc = store.take_source_document(doc)?;
        source.document = Some(doc.path);
        source.sha256 = Some(doc.sha256);
        extra.extend(doc.copy);
    }
    let st = Statement {
        id: f.id.clone().unwrap_or_default(),
        initiative: initiative.to_string(),
        date,
        kind,
        stage,
        speaker,
        venue: f.venue.clone(),
        language,
        text,
        translations,
        summary: f.summary.clone(),
        priorities: f.priorities.iter().map(Item::new).collect(),
        principles: f.principles.iter().map(Item::new).collect(),
        lists: None,
        quotes: f
            .quotes
            .iter()
            .map(|q| Quote {
                text: q.clone(),
                speaker: f.speaker.clone(),
            })
            .collect(),
        source: (source != Source::default()).then_some(source),
        tags: f.tags.clone(),
        notes: f.notes.clone(),
    };
    let mut st = st;
    if st.id.is_empty() && !st.date.is_empty() {
        st.id = generate_id(&st);
    }
    Ok((st, extra))
}

/// `DATE-SURNAME-VENUE-WORDS` as a slug of at most 80 characters.
pub fn generate_id(st: &Statement) -> String {
    let mut parts = vec![st.date.clone()];
    if let Some(sp) = &st.speaker {
        let surname = sp.name.split_whitespace().last().unwrap_or("");
        parts.push(slug(surname));
    }
    if let Some(venue) = &st.venue {
        parts.push(slug(
            &venue
                .split_whitespace()
                .take(4)
                .collect::<Vec<_>>()
                .join(" "),
        ));
    } else if let Some(summary) = &st.summary {
        parts.push(slug(
            &summary
                .split_whitespace()
                .take(4)
                .collect::<Vec<_>>()
                .join(" "),
        ));
    }
    let mut id = String::new();
    for part in parts.iter().filter(|p| !p.is_empty()) {
        for word in part.split('-') {
            if id.len() + word.len() + 1 > 80 {
                break;
            }
            if !id.is_empty() {
                id.push('-');
            }
            id.push_str(word);
        }
    }
    if id == st.date {
        id.push_str("-statement");
    }
    id
}

/// A lowercase ASCII slug; Cyrillic is transliterated, other scripts are dropped.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let t: &str = match c {
            'a'..='z' | '0'..='9' => {
                out.push(c);
                continue;
            }
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' | 'ы' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ю' => "yu",
            'я' => "ya",
            'ъ' | 'ь' => "",
            _ => "-",
        };
        out.push_str(t);
    }
    out.split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

const TEMPLATE_HELP: &str = "\
# dossier: a new statement. Fill in the fields and save; quit without saving to give up.
# Required: id (starts with the date), initiative, date (YYYY-MM-DD, YYYY-MM or YYYY),
# language (ar, ru, en...), and text or summary. Lines starting with # are ignored.
# Optional fields: kind, stage, speaker {name, role}, venue, text, translations {LANG: text},
# summary, priorities [- text], principles [- text], quotes [- text: ..., speaker: ...],
# source {outlet, url, published, retrieved, document, sha256}, tags, notes.
";

fn edit_new(store: &Store, st: Statement) -> Result<Option<Decoded<Statement>>> {
    let mut initial = String::from(TEMPLATE_HELP);
    initial.push_str(&codec::encode(&st));
    if st.text.is_none() {
        initial.push_str("text: |\n  \n");
    }
    if st.summary.is_none() {
        initial.push_str("summary: \"\"\n");
    }
    edit_new_record(store, "new", &st, &initial, &[])
}

/// Opens the editor on `initial` (a new record starting from `st`) until it holds a valid
/// statement that does not exist yet; `pending` are files about to be committed with it
/// (a copied source document). Empty `summary` and `text` left from the template are
/// dropped, and a missing id is made from the fields. Shared by `record --edit` and
/// `import`.
pub(super) fn edit_new_record(
    store: &Store,
    kind: &str,
    st: &Statement,
    initial: &str,
    pending: &[PendingFile],
) -> Result<Option<Decoded<Statement>>> {
    let name = format!(
        "{kind}-{}",
        if st.id.is_empty() {
            "statement"
        } else {
            &st.id
        }
    );
    let draft = editor::draft_path(store.repo().git_dir(), &name)?;
    editor::edit_until_valid(&draft, initial, |bytes, file| {
        let decoded = codec::decode_statement(bytes, file).map_err(codec::problems_to_error)?;
        let mut st = decoded.record.clone();
        if st.summary.as_deref().is_some_and(|s| s.trim().is_empty()) {
            st.summary = None;
        }
        if st.text.as_deref().is_some_and(|t| t.trim().is_empty()) {
            st.text = None;
        }
        if st.id.is_empty() && !st.date.is_empty() {
            st.id = generate_id(&st);
        }
        let rel = store.statement_path(&st.initiative, &st.id);
        if store.has_file(&rel) {
            return Err(
                Error::new(format!("the statement `{}` exists already", st.reference()))
                    .hint("choose another id"),
            );
        }
        let mut check = st.clone();
        crate::store::nfc_statement(&mut check);
        store.validate_new(&check, &rel, pending, Some(&decoded))?;
        Ok(decoded.with_record(st))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Сергей Лебедев"), "sergei-lebedev");
        assert_eq!(slug("12th meeting, Moscow"), "12th-meeting-moscow");
        assert_eq!(slug("سيرغي"), "");
    }

    #[test]
    fn ids_from_fields() {
        let st = Statement {
            date: "2024-11-07".into(),
            speaker: Some(Speaker {
                name: "Sergei Lebedev".into(),
                role: None,
            }),
            venue: Some("12th meeting of the secretaries of security councils".into()),
            ..Default::default()
        };
        assert_eq!(generate_id(&st), "2024-11-07-lebedev-12th-meeting-of-the");
    }
}
