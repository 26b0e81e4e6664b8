//! Checking a statement against the store: its own rules, and that its initiative
//! exists, it sits where its ids say, its source document matches its hash and its quotes
//! stand in its text, a translation or the source document.

use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use super::codec::{Decoded, Problem};
use super::{record, sha256_hex, PendingFile, Store};
use crate::error::{Error, Result};
use crate::record::Statement;

impl Store {
    /// Checks a statement against the store: its own rules, and that its initiative
    /// exists, it sits where its ids say, its source document matches its hash and its
    /// quotes stand in its text, a translation or the source document.
    pub fn check_statement(&self, decoded: &Decoded<Statement>, rel: &Path) -> Vec<Problem> {
        self.check_statement_with(decoded, rel, &[])
    }

    /// [`Store::check_statement`], with files about to be committed alongside it.
    pub(super) fn check_statement_with(
        &self,
        decoded: &Decoded<Statement>,
        rel: &Path,
        pending: &[PendingFile],
    ) -> Vec<Problem> {
        let st = &decoded.record;
        let mut problems = decoded.locate(record::statement_problems(st));
        let expected = self.statement_path(&st.initiative, &st.id);
        if rel != expected {
            let field = if rel.parent() != expected.parent() {
                "initiative"
            } else {
                "id"
            };
            problems.extend(decoded.locate(vec![(
                field.into(),
                format!(
                    "the record says it is `{}` but the file is {}; they must agree",
                    st.reference(),
                    self.display_path(rel).display()
                ),
            )]));
        }
        if !self.abs(&self.initiative_path(&st.initiative)).is_file() {
            problems.extend(decoded.locate(vec![(
                "initiative".into(),
                format!("there is no initiative `{}`", st.initiative),
            )]));
        }
        let document = self
            .pending_document(st, pending)
            .or_else(|| self.source_document(st));
        if let (Some(src), Some(doc)) = (&st.source, &document) {
            match doc {
                Ok(bytes) => {
                    if let Some(sha) = &src.sha256 {
                        let actual = sha256_hex(bytes);
                        if &actual != sha {
                            problems.extend(decoded.locate(vec![(
                                "source.sha256".into(),
                                format!("the source document's sha256 is {actual}, not the one recorded"),
                            )]));
                        }
                    }
                }
                Err(e) => problems
                    .extend(decoded.locate(vec![("source.document".into(), e.message.clone())])),
            }
        }
        let doc_text = document
            .and_then(|d| d.ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned());
        for (i, q) in st.quotes.iter().enumerate() {
            if quote_provenance(st, doc_text.as_deref(), &q.text) == QuoteFound::Nowhere {
                problems.extend(decoded.locate(vec![(
                        format!("quotes[{}]", i + 1),
                        "this quote is not found in the text, a translation or the source document"
                            .into(),
                    )]));
            }
        }
        problems
    }

    fn pending_document(&self, st: &Statement, pending: &[PendingFile]) -> Option<Result<Vec<u8>>> {
        let doc = st.source.as_ref()?.document.as_ref()?;
        pending
            .iter()
            .find(|(p, _)| crate::git::git_path(p) == *doc)
            .map(|(_, b)| Ok(b.clone()))
    }

    /// The bytes of a statement's source document, when it names one.
    pub fn source_document(&self, st: &Statement) -> Option<Result<Vec<u8>>> {
        let doc = st.source.as_ref()?.document.as_ref()?;
        let path = Path::new(doc);
        if path.is_absolute()
            || path
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            return Some(Err(Error::new(format!(
                "`{doc}` must be a path inside the repository, relative to its root"
            ))));
        }
        let abs = self.repo.workdir().join(path);
        Some(
            crate::fsio::read_regular(&abs, super::MAX_SOURCE_BYTES).map_err(|e| {
                Error::new(format!(
                    "the source document {} cannot be read: {e}",
                    crate::escape::escape(doc)
                ))
            }),
        )
    }
}

/// Where a quote was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuoteFound {
    Text,
    Translation,
    SourceDocument,
    Nowhere,
}

/// Looks for a quote in the statement's text, its translations, then the source document,
/// after whitespace and Unicode normalisation.
pub fn quote_provenance(st: &Statement, document: Option<&str>, quote: &str) -> QuoteFound {
    let q = loose(quote);
    if q.is_empty() {
        return QuoteFound::Nowhere;
    }
    if st.text.as_deref().is_some_and(|t| loose(t).contains(&q)) {
        return QuoteFound::Text;
    }
    if st.translations.values().any(|t| loose(t).contains(&q)) {
        return QuoteFound::Translation;
    }
    if document.is_some_and(|d| loose(d).contains(&q)) {
        return QuoteFound::SourceDocument;
    }
    QuoteFound::Nowhere
}

/// NFC with every run of white space (no-break spaces included) as one space.
fn loose(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfc() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_matching() {
        assert_eq!(loose(" a\u{a0}\n b "), "a b");
    }
}
