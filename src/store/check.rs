//! Checking a statement against the store: its own rules, and that its initiative
//! exists, it sits where its ids say, its source document matches its hash and its quotes
//! stand in its text, a translation or the source document.
//!
//! The costly part, hashing the source document and finding the quotes, depends only on
//! the record's bytes and the document's, so a whole-store check ([`StoreChecker`]) keeps
//! its outcome in `.git/dossier/verdicts-v1`, keyed by the two blob ids: a record or a
//! document that changed has another id, and is checked afresh. Quotes are found with
//! one multi-pattern pass over each text's loose form (NFC, white space runs as one
//! space), not one scan per quote.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use aho_corasick::AhoCorasick;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use super::codec::{Decoded, Problem};
use super::{cache, record, sha256_hex, PendingFile, Store};
use crate::error::{Error, Result};
use crate::git::git_path;
use crate::record::Statement;

/// Bump when what a verdict holds, or how it is reached, changes.
const VERDICTS_FILE: &str = "verdicts-v1";

/// The part of a statement's check that depends only on its bytes and its source
/// document's.
#[derive(Debug, Clone, Default, PartialEq)]
struct Verdict {
    /// The source document's sha256, when the record names one that could be read.
    doc_sha256: Option<String>,
    /// Why the source document could not be used (not cached: it is not content).
    doc_error: Option<String>,
    /// Quotes (0-based) found nowhere.
    missing: Vec<usize>,
}

/// Where a statement's files are: the plain data a check needs, shareable by threads.
struct Layout<'a> {
    workdir: &'a Path,
    prefix: &'a Path,
}

impl Layout<'_> {
    fn statement_path(&self, initiative: &str, id: &str) -> PathBuf {
        self.prefix
            .join(initiative)
            .join(super::STATEMENTS_DIR)
            .join(format!("{id}.yaml"))
    }

    fn display_path(&self, rel: &Path) -> PathBuf {
        rel.strip_prefix(self.prefix).unwrap_or(rel).to_path_buf()
    }

    /// The repository path of a statement's source document, or why it is refused.
    fn document_path(&self, st: &Statement) -> Option<std::result::Result<String, Error>> {
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
        Some(Ok(doc.clone()))
    }

    fn read_document(&self, doc: &str) -> Result<Vec<u8>> {
        crate::fsio::read_regular(&self.workdir.join(doc), super::MAX_SOURCE_BYTES).map_err(|e| {
            Error::new(format!(
                "the source document {} cannot be read: {e}",
                crate::escape::escape(doc)
            ))
        })
    }
}

/// The checks of one statement that do not need its source document or quotes: its own
/// rules, its place, its initiative.
fn own_problems(
    layout: &Layout,
    decoded: &Decoded<Statement>,
    rel: &Path,
    has_initiative: &dyn Fn(&str) -> bool,
) -> Vec<Problem> {
    let st = &decoded.record;
    let mut problems = decoded.locate(record::statement_problems(st));
    let expected = layout.statement_path(&st.initiative, &st.id);
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
                layout.display_path(rel).display()
            ),
        )]));
    }
    if !has_initiative(&st.initiative) {
        problems.extend(decoded.locate(vec![(
            "initiative".into(),
            format!("there is no initiative `{}`", st.initiative),
        )]));
    }
    problems
}

/// A verdict as problems of the statement.
fn verdict_problems(decoded: &Decoded<Statement>, v: &Verdict) -> Vec<Problem> {
    let st = &decoded.record;
    let mut found = Vec::new();
    if let Some(e) = &v.doc_error {
        found.push(("source.document".to_string(), e.clone()));
    }
    if let (Some(actual), Some(sha)) = (
        &v.doc_sha256,
        st.source.as_ref().and_then(|s| s.sha256.as_ref()),
    ) {
        if actual != sha {
            found.push((
                "source.sha256".into(),
                format!("the source document's sha256 is {actual}, not the one recorded"),
            ));
        }
    }
    for i in &v.missing {
        found.push((
            format!("quotes[{}]", i + 1),
            "this quote is not found in the text, a translation or the source document".into(),
        ));
    }
    decoded.locate(found)
}

/// Reaches a verdict: the document's sha256 (read by `document` only when the record
/// names one) and the quotes found nowhere.
fn verdict(st: &Statement, document: Option<Result<Vec<u8>>>) -> Verdict {
    let mut v = Verdict::default();
    let doc_bytes = match document {
        Some(Ok(bytes)) => Some(bytes),
        Some(Err(e)) => {
            v.doc_error = Some(e.message.clone());
            None
        }
        None => None,
    };
    if let Some(bytes) = &doc_bytes {
        if st.source.as_ref().is_some_and(|s| s.sha256.is_some()) {
            v.doc_sha256 = Some(sha256_hex(bytes));
        }
    }
    let doc_text = doc_bytes.as_deref().map(String::from_utf8_lossy);
    v.missing = quotes_nowhere(st, doc_text.as_deref());
    v
}

/// The quotes (0-based) that stand neither in the text, nor a translation, nor the
/// document, after [`loose`] normalisation; each text is searched once for all of them.
fn quotes_nowhere(st: &Statement, document: Option<&str>) -> Vec<usize> {
    let mut left: Vec<(usize, String)> = Vec::new();
    let mut missing = Vec::new();
    for (i, q) in st.quotes.iter().enumerate() {
        let l = loose(&q.text).into_owned();
        if l.is_empty() {
            missing.push(i);
        } else {
            left.push((i, l));
        }
    }
    let texts = st
        .text
        .iter()
        .chain(st.translations.values())
        .map(String::as_str)
        .chain(document);
    for text in texts {
        if left.is_empty() {
            break;
        }
        let found = found_in(&loose(text), &left);
        let mut k = 0;
        left.retain(|_| {
            k += 1;
            !found[k - 1]
        });
    }
    missing.extend(left.into_iter().map(|(i, _)| i));
    missing.sort_unstable();
    missing
}

/// Which of `patterns` stand in `hay`, in one pass.
fn found_in(hay: &str, patterns: &[(usize, String)]) -> Vec<bool> {
    let mut found = vec![false; patterns.len()];
    if patterns.len() == 1 {
        found[0] = hay.contains(patterns[0].1.as_str());
        return found;
    }
    let Ok(ac) = AhoCorasick::new(patterns.iter().map(|(_, p)| p.as_str())) else {
        for (f, (_, p)) in found.iter_mut().zip(patterns) {
            *f = hay.contains(p.as_str());
        }
        return found;
    };
    let mut left = patterns.len();
    for m in ac.find_overlapping_iter(hay) {
        let k = m.pattern().as_usize();
        if !found[k] {
            found[k] = true;
            left -= 1;
            if left == 0 {
                break;
            }
        }
    }
    found
}

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
        let layout = Layout {
            workdir: self.repo.workdir(),
            prefix: &self.prefix,
        };
        let has = |ini: &str| self.abs(&self.initiative_path(ini)).is_file();
        let mut problems = own_problems(&layout, decoded, rel, &has);
        let st = &decoded.record;
        let document = self
            .pending_document(st, pending)
            .or_else(|| self.source_document(st));
        problems.extend(verdict_problems(decoded, &verdict(st, document)));
        problems
    }

    fn pending_document(&self, st: &Statement, pending: &[PendingFile]) -> Option<Result<Vec<u8>>> {
        let doc = st.source.as_ref()?.document.as_ref()?;
        pending
            .iter()
            .find(|(p, _)| git_path(p) == *doc)
            .map(|(_, b)| Ok(b.clone()))
    }

    /// The bytes of a statement's source document, when it names one.
    pub fn source_document(&self, st: &Statement) -> Option<Result<Vec<u8>>> {
        let layout = Layout {
            workdir: self.repo.workdir(),
            prefix: &self.prefix,
        };
        Some(
            layout
                .document_path(st)?
                .and_then(|doc| layout.read_document(&doc)),
        )
    }

    /// A checker for every statement of the store, shareable by worker threads.
    pub fn checker<'a>(&'a self, loader: &'a super::Loader) -> StoreChecker<'a> {
        let initiatives = self.initiative_ids().unwrap_or_default();
        let path = self.repo.git_dir().join("dossier").join(VERDICTS_FILE);
        StoreChecker {
            layout: Layout {
                workdir: self.repo.workdir(),
                prefix: &self.prefix,
            },
            initiatives: initiatives.into_iter().collect(),
            cache: loader.cache(),
            saved: read_verdicts(&path),
            used: Mutex::new(HashMap::new()),
            path,
        }
    }
}

/// Checks the statements of a whole store, with the verdicts of earlier checks.
pub struct StoreChecker<'a> {
    layout: Layout<'a>,
    initiatives: HashSet<String>,
    cache: Option<&'a cache::Cache>,
    saved: HashMap<(String, String), Verdict>,
    /// The verdicts this check used, to be saved.
    used: Mutex<HashMap<(String, String), Verdict>>,
    path: PathBuf,
}

impl StoreChecker<'_> {
    /// Every problem of one statement (`blob`: its record's blob id, when known).
    pub fn check(
        &self,
        decoded: &Decoded<Statement>,
        rel: &Path,
        blob: Option<&str>,
    ) -> Vec<Problem> {
        let has = |ini: &str| self.initiatives.contains(ini);
        let mut problems = own_problems(&self.layout, decoded, rel, &has);
        let st = &decoded.record;
        if st.quotes.is_empty() && st.source.as_ref().is_none_or(|s| s.document.is_none()) {
            return problems;
        }
        let doc = self.layout.document_path(st);
        // The document's blob id: from the git index when its stat vouches for it, else
        // from its bytes (which are then kept for the verdict).
        let mut doc_bytes: Option<Result<Vec<u8>>> = None;
        let doc_blob = match &doc {
            None => Some("-".to_string()),
            Some(Err(_)) => None,
            Some(Ok(path)) => {
                let known = self
                    .cache
                    .and_then(|c| c.known_blob(&self.layout.workdir.join(path), path));
                match known {
                    Some(b) => Some(b),
                    None => {
                        let read = self.layout.read_document(path);
                        let id = read.as_ref().ok().and_then(|b| crate::git::blob_id_of(b));
                        doc_bytes = Some(read);
                        id
                    }
                }
            }
        };
        let key = match (blob, doc_blob) {
            (Some(b), Some(d)) => Some((b.to_string(), d)),
            _ => None,
        };
        if let Some(v) = key.as_ref().and_then(|k| self.saved.get(k)) {
            self.remember(key.clone(), v.clone());
            problems.extend(verdict_problems(decoded, v));
            return problems;
        }
        let document = match doc {
            None => None,
            Some(Err(e)) => Some(Err(e)),
            Some(Ok(path)) => Some(doc_bytes.unwrap_or_else(|| self.layout.read_document(&path))),
        };
        let v = verdict(st, document);
        if v.doc_error.is_none() {
            self.remember(key, v.clone());
        }
        problems.extend(verdict_problems(decoded, &v));
        problems
    }

    fn remember(&self, key: Option<(String, String)>, v: Verdict) {
        if let Some(k) = key {
            self.used
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(k, v);
        }
    }

    /// Saves the verdicts this check used (and only those: the ones of records and
    /// documents that are gone are dropped), when they differ from the saved ones.
    pub fn save(self) {
        let used = self.used.into_inner().unwrap_or_else(|e| e.into_inner());
        if used == self.saved {
            return;
        }
        let mut out = String::with_capacity(used.len() * 140);
        for ((blob, doc), v) in &used {
            let missing: Vec<String> = v.missing.iter().map(usize::to_string).collect();
            out.push_str(&format!(
                "{blob} {doc} {} {}\n",
                v.doc_sha256.as_deref().unwrap_or("-"),
                if missing.is_empty() {
                    "-".to_string()
                } else {
                    missing.join(",")
                }
            ));
        }
        let _ = crate::fsio::write_derived(&self.path, out.as_bytes());
    }
}

/// The saved verdicts; an unreadable file or line is ignored (the checks are redone).
fn read_verdicts(path: &Path) -> HashMap<(String, String), Verdict> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return HashMap::new();
    };
    let mut out = HashMap::new();
    for line in text.lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        let [blob, doc, sha, missing] = parts.as_slice() else {
            continue;
        };
        let missing: Option<Vec<usize>> = if *missing == "-" {
            Some(Vec::new())
        } else {
            missing.split(',').map(|m| m.parse().ok()).collect()
        };
        let (Some(missing), true) = (missing, blob.len() == 40) else {
            continue;
        };
        out.insert(
            (blob.to_string(), doc.to_string()),
            Verdict {
                doc_sha256: (*sha != "-").then(|| sha.to_string()),
                doc_error: None,
                missing,
            },
        );
    }
    out
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
    if st.text.as_deref().is_some_and(|t| loose(t).contains(&*q)) {
        return QuoteFound::Text;
    }
    if st.translations.values().any(|t| loose(t).contains(&*q)) {
        return QuoteFound::Translation;
    }
    if document.is_some_and(|d| loose(d).contains(&*q)) {
        return QuoteFound::SourceDocument;
    }
    QuoteFound::Nowhere
}

/// NFC with every run of white space (no-break spaces included) as one space, and none
/// at either end. Text already in NFC (as records are stored) is not recomposed.
fn loose(s: &str) -> Cow<'_, str> {
    let nfc = is_nfc_quick(s.chars()) == IsNormalized::Yes;
    let plain = |s: &str| {
        let mut prev_space = true;
        !s.chars().any(|c| {
            let bad = if c.is_whitespace() {
                c != ' ' || prev_space
            } else {
                false
            };
            prev_space = c.is_whitespace();
            bad
        }) && !s.ends_with(' ')
    };
    if nfc && plain(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    let mut push = |c: char| {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    };
    if nfc {
        s.chars().for_each(&mut push);
    } else {
        s.nfc().for_each(&mut push);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Quote;

    #[test]
    fn loose_matching() {
        assert_eq!(loose(" a\u{a0}\n b "), "a b");
        assert_eq!(loose("a b"), "a b");
        assert!(matches!(loose("a b"), Cow::Borrowed(_)));
        // Decomposed é recomposed.
        assert_eq!(loose("e\u{301}t\u{e9}"), "\u{e9}t\u{e9}");
    }

    #[test]
    fn every_quote_is_looked_for_in_one_pass_per_text() {
        let mut st = Statement {
            text: Some("The joint air\ndefence system, and air defence.".into()),
            ..Statement::default()
        };
        st.translations
            .insert("ru".into(), "Объединённая система ПВО".into());
        for q in [
            "joint air defence",
            "air defence",
            "система ПВО",
            "in the document",
            "nowhere at all",
            "  ",
            "defence system, and",
        ] {
            st.quotes.push(Quote {
                text: q.into(),
                speaker: None,
            });
        }
        assert_eq!(
            quotes_nowhere(&st, Some("as said in the   document")),
            [4, 5]
        );
        assert_eq!(quotes_nowhere(&st, None), [3, 4, 5]);
        // The same answers as one quote at a time.
        for (i, q) in st.quotes.iter().enumerate() {
            let one = quote_provenance(&st, None, &q.text) == QuoteFound::Nowhere;
            assert_eq!(one, [3, 4, 5].contains(&i), "quote {i}");
        }
    }
}
