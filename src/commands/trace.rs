//! `dossier trace PHRASE`: where a phrase first appears, who said it, and whether it stayed.
//!
//! The phrase is looked up in the term index (`store/terms.rs`): only the statements that
//! hold all its words are read and searched; the others are named from the index.

use std::io::Write;

use super::emit;
use crate::analysis::stemmed;
use crate::analysis::trace::{assemble, first_word_forms, hits, phrase_words};
use crate::analysis::{info_order, StatementInfo};
use crate::cli::TraceArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::record;
use crate::render;
use crate::store::codec;

pub fn run(ctx: &Context, args: TraceArgs, out: &mut dyn Write) -> Result<i32> {
    let words = phrase_words(&args.phrase);
    if words.is_empty() {
        return Err(Error::new("the phrase has no words to look for")
            .hint("give one or more words, e.g. `dossier trace \"air defence\"`")
            .invalid());
    }
    if let Some(p) = args.lang.as_deref().and_then(record::language_problem) {
        return Err(Error::new(p).invalid());
    }
    let store = ctx.store()?;
    let ids = match &args.initiative {
        Some(id) => {
            if !store.has_initiative(id) {
                return Err(store.unknown_initiative(id));
            }
            vec![id.clone()]
        }
        None => store.initiative_ids()?,
    };
    let loader = store.loader(usize::MAX);
    let views = store.term_segments(&ids, &loader)?;
    let first_forms = first_word_forms(&words[0]);
    // Every statement by its info (for the rows that no longer carry the phrase), and the
    // files of those that hold all its words.
    let mut list: Vec<(StatementInfo, Option<std::path::PathBuf>)> = Vec::new();
    for view in views {
        // Stems are not in the index: with --stem every statement is read.
        let candidates = if args.stem {
            (0..view.segment.records.len() as u32).collect()
        } else {
            view.segment.candidates(&first_forms, &words[1..])
        };
        for (path, rec) in view.files {
            let info = view.segment.records[rec as usize].info.clone();
            let candidate = candidates.binary_search(&rec).is_ok();
            list.push((info, candidate.then_some(path)));
        }
    }
    list.sort_by_cached_key(|(info, _)| info_order(info));
    let lang = args.lang.as_deref();
    let stem = args.stem.then(|| stemmed::StemPhrase::new(&words));
    let found = crate::parallel::map(&list, |(_, path)| match path {
        None => Ok(Vec::new()),
        Some(p) => loader
            .load(p)
            .1
            .map(|st| match &stem {
                Some(p) => stemmed::hits(&st, p, lang),
                None => hits(&st, &words, lang),
            })
            .map_err(codec::problems_to_error),
    });
    let mut rows = Vec::with_capacity(list.len());
    for ((info, _), hits) in list.into_iter().zip(found) {
        rows.push((info, hits?));
    }
    let t = assemble(&args.phrase, rows);
    // Short ids in the table must stay unique among every id of the store.
    let all_ids = store.statement_ids()?;
    let all_ids: Vec<&str> = all_ids.iter().map(String::as_str).collect();
    emit(
        out,
        &render::analysis::trace(&ctx.style, args.format, &t, &all_ids),
    )?;
    Ok(0)
}
