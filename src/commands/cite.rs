//! `dossier cite REF...`: statements as citations for reference managers and LaTeX
//! (CSL-JSON, RIS, BibTeX, BibLaTeX), each naming the record, its commit and the source
//! document's hash so that a reader can check it against the store.

use std::collections::HashMap;
use std::io::Write;

use super::emit;
use crate::citation::{cite, Citation, Provenance};
use crate::cli::{CitationFormat, CiteArgs};
use crate::context::Context;
use crate::error::{exit, Error, Result};
use crate::record::Initiative;
use crate::render;
use crate::store::{write_atomic, Loaded, RefSpec, Store};

pub fn run(ctx: &Context, args: CiteArgs, out: &mut dyn Write) -> Result<i32> {
    let store = ctx.store()?;
    let mut cited: Vec<(Loaded, Option<String>)> = Vec::new();
    for r in &args.references {
        let is_initiative = !r.contains(['/', '@']) && store.has_initiative(r);
        if is_initiative {
            let list = store.statements(Some(r))?;
            if list.is_empty() {
                return Err(
                    Error::new(format!("the initiative `{r}` has no statements"))
                        .hint(format!("record one with `dossier record {r} ...`")),
                );
            }
            cited.extend(list.into_iter().map(|l| (l, None)));
        } else {
            let rev = RefSpec::parse(r).rev;
            cited.push((store.resolve(r)?, rev));
        }
    }
    // Each statement once, in the order asked for.
    let mut seen = std::collections::HashSet::new();
    cited.retain(|(l, rev)| seen.insert((l.statement.reference(), rev.clone())));
    let items = citations(&store, &cited)?;
    let text = write(&items, args.format);
    match &args.output {
        Some(path) if path.as_os_str() != "-" => {
            let path = ctx.cwd.join(path);
            write_atomic(&path, text.as_bytes())?;
            eprintln!(
                "wrote {} citation{} to {}",
                items.len(),
                if items.len() == 1 { "" } else { "s" },
                path.display()
            );
        }
        _ => emit(out, &text)?,
    }
    Ok(exit::OK)
}

/// The citations in a format.
pub(crate) fn write(items: &[Citation], format: CitationFormat) -> String {
    match format {
        CitationFormat::CslJson => render::citation::csl_json(items),
        CitationFormat::Ris => render::citation::ris(items),
        CitationFormat::Bibtex => render::citation::bib(items, render::citation::Bib::Bibtex),
        CitationFormat::Biblatex => render::citation::bib(items, render::citation::Bib::Biblatex),
    }
}

/// The citations of statements (with the revision they were read at, if any).
pub(crate) fn citations(store: &Store, list: &[(Loaded, Option<String>)]) -> Result<Vec<Citation>> {
    let current: Vec<_> = list
        .iter()
        .filter(|(_, rev)| rev.is_none())
        .map(|(l, _)| l.path.clone())
        .collect();
    let mut commits = store.committed_as(&current)?.into_iter();
    let mut initiatives: HashMap<String, Option<Initiative>> = HashMap::new();
    let mut out = Vec::with_capacity(list.len());
    for (loaded, rev) in list {
        let st = &loaded.statement;
        let commit = match rev {
            Some(rev) => Some(store.repo().resolve(rev)?),
            None => commits.next().flatten(),
        };
        if commit.is_none() {
            eprintln!(
                "warning: {} has changes that are not committed: its citation names no commit",
                st.reference()
            );
        }
        let ini = initiatives
            .entry(st.initiative.clone())
            .or_insert_with(|| store.initiative(&st.initiative).ok());
        let src = st.source.as_ref();
        let provenance = Provenance {
            reference: st.reference(),
            commit,
            document: src.and_then(|s| s.document.clone()),
            sha256: src.and_then(|s| s.sha256.clone()),
        };
        out.push(cite(st, ini.as_ref(), provenance));
    }
    Ok(out)
}
