//! The outlet: from the source line or a Russian agency dateline, known agencies mapped to
//! their usual English names.

use super::body::is_blank;
use super::lexicon::OUTLETS;
use super::Found;
use crate::diff::normalize::normalize;

/// The usual English name of a known outlet.
pub fn known_outlet(name: &str) -> Option<String> {
    let wanted = normalize(name.trim().trim_matches(['/', '.', '«', '»', '"']), false);
    OUTLETS
        .iter()
        .find(|(_, names)| names.iter().any(|n| normalize(n, false) == wanted))
        .map(|(canonical, _)| (*canonical).to_string())
}

/// A Russian agency dateline: `МОСКВА, 7 ноября. /ТАСС/.`
pub(super) fn dateline_outlet(body: &str) -> Option<Found> {
    for line in body.lines().filter(|l| !is_blank(l)).take(4) {
        let mut parts = line.split('/');
        parts.next();
        if let Some(name) = parts.next() {
            if let Some(value) = known_outlet(name) {
                return Some(Found {
                    value,
                    evidence: format!("/{}/", name.trim()),
                });
            }
        }
    }
    None
}
