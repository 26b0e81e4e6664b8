//! The report's statement texts and its key findings: each statement's own wording (the
//! original and every translation, each with its `lang` and direction, so Arabic reads
//! right to left) and its quotes with where each was found (the text, a translation,
//! the source document, or nowhere); and, at the top, what a reader should see first.

use std::fmt::Write as _;

use super::{esc, lang_attrs};
use crate::diff::items::ItemStatus;
use crate::diff::StatementDiff;
use crate::record::Statement;

/// Each statement's texts and quotes. `found[i][k]` says where the k-th quote of the
/// i-th statement was found (`text`, `translation`, `source document`, `not found`).
pub(super) fn statements(list: &[Statement], found: &[Vec<&str>]) -> String {
    let mut s = String::new();
    for (i, st) in list.iter().enumerate() {
        let speaker = st.speaker.as_ref().map(|p| p.name.as_str()).unwrap_or("");
        let _ = writeln!(
            s,
            "<article class=\"statement\" id=\"st-{}\">\n<h3><span class=\"nowrap\">{}</span> <span dir=\"auto\">{}</span></h3>\n<p class=\"meta\"><span>{}</span></p>",
            esc(&st.id),
            esc(&st.date),
            esc(speaker),
            esc(&st.id)
        );
        if let Some(text) = &st.text {
            let _ = writeln!(
                s,
                "<h4>Original ({})</h4>\n<div class=\"wording\"{}>{}</div>",
                esc(&st.language),
                lang_attrs(&st.language),
                esc(text.trim_end())
            );
        }
        for (lang, text) in &st.translations {
            let _ = writeln!(
                s,
                "<h4>Translation ({})</h4>\n<div class=\"wording\"{}>{}</div>",
                esc(lang),
                lang_attrs(lang),
                esc(text.trim_end())
            );
        }
        if st.text.is_none() && st.translations.is_empty() {
            s.push_str("<p class=\"legend\">No wording recorded.</p>\n");
        }
        if !st.quotes.is_empty() {
            s.push_str("<h4>Quotes</h4>\n<table class=\"quotes\"><thead><tr><th>quote</th><th>speaker</th><th>found in</th></tr></thead><tbody>\n");
            for (k, q) in st.quotes.iter().enumerate() {
                let at = found
                    .get(i)
                    .and_then(|f| f.get(k))
                    .copied()
                    .unwrap_or("not checked");
                let (mark, class) = if at == "not found" || at == "not checked" {
                    ("✗", "status-removed")
                } else {
                    ("✓", "status-added")
                };
                let _ = writeln!(
                    s,
                    "<tr><td{}>{}</td><td dir=\"auto\">{}</td><td class=\"{class}\">{mark} {}</td></tr>",
                    lang_attrs(&st.language),
                    esc(&q.text),
                    esc(q.speaker.as_deref().unwrap_or("")),
                    esc(at)
                );
            }
            s.push_str("</tbody></table>\n");
        }
        s.push_str("</article>\n");
    }
    s
}

/// What a reader should see first: the span and languages, how many significant
/// changes there are (listed in the section that follows), and the priorities that
/// came and went.
pub(super) fn findings(list: &[Statement], diffs: &[StatementDiff]) -> String {
    let mut s = String::from("<ul class=\"findings\">\n");
    if let (Some(first), Some(last)) = (list.first(), list.last()) {
        let mut langs: Vec<&str> = list.iter().map(|st| st.language.as_str()).collect();
        langs.sort_unstable();
        langs.dedup();
        let _ = writeln!(
            s,
            "<li>{} statement{} from {} to {}, in {}.</li>",
            list.len(),
            if list.len() == 1 { "" } else { "s" },
            esc(&first.date),
            esc(&last.date),
            esc(&langs.join(", "))
        );
    }
    let significant: usize = diffs.iter().map(|d| d.significant.len()).sum();
    let _ = writeln!(
        s,
        "<li>{significant} significant change{} (commitment, negation, numbers, years){}</li>",
        if significant == 1 { "" } else { "s" },
        if significant == 0 {
            "."
        } else {
            ": see “Significant changes” below."
        }
    );
    for d in diffs {
        let words = |status: ItemStatus| -> Vec<String> {
            d.priorities
                .iter()
                .filter(|c| c.status == status)
                .filter_map(|c| c.to.as_deref().or(c.from.as_deref()))
                .map(|t| format!("“<span dir=\"auto\">{}</span>”", esc(t)))
                .collect()
        };
        let (added, removed) = (words(ItemStatus::Added), words(ItemStatus::Removed));
        if added.is_empty() && removed.is_empty() {
            continue;
        }
        let mut parts = Vec::new();
        if !added.is_empty() {
            parts.push(format!("priorities added: {}", added.join(", ")));
        }
        if !removed.is_empty() {
            parts.push(format!("removed: {}", removed.join(", ")));
        }
        let _ = writeln!(
            s,
            "<li><span class=\"nowrap\">{} → {}</span>: {}.</li>",
            esc(&d.from.date),
            esc(&d.to.date),
            parts.join("; ")
        );
    }
    s.push_str("</ul>\n");
    s
}
