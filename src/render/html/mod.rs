//! The HTML report of an initiative: one self-contained file.
//!
//! Everything is inline: the styles, and the timeline chart as SVG. The page loads
//! nothing (a Content-Security-Policy says so to the browser), runs no script, and names
//! no font it would have to fetch; the only addresses in it are plain links to sources,
//! and only `http:` and `https:` ones. Every text from the records is HTML-escaped, with
//! control and bidi characters shown as `<U+XXXX>`, and carries `dir="auto"` (or the
//! statement's `lang` and direction) so Arabic reads right to left and Russian and English
//! left to right.

//!
//! The page is put together here; its parts have a file each: `style.css` (inlined with
//! `include_str!`), `chart.rs` (the SVG timeline), `tables.rs` (the statements and the
//! priorities-over-time matrix), `texts.rs` (the key findings at the top, and each
//! statement's texts and quotes), `significant.rs` (the significant changes, right after)
//! and `redline.rs` (each consecutive pair's changes).

mod annotations;
mod chart;
mod redline;
mod significant;
mod tables;
mod texts;

#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use crate::analysis::timeline::Timeline;
use crate::diff::StatementDiff;
use crate::record::{Initiative, Statement};

/// The report's styles.
const STYLE: &str = include_str!("style.css");

/// What the report shows.
pub struct Report<'a> {
    /// The initiative.
    pub initiative: &'a Initiative,
    /// Its statements, in date order.
    pub statements: &'a [Statement],
    /// The timeline matrix of those statements.
    pub timeline: &'a Timeline,
    /// Each consecutive pair's diff, in order.
    pub diffs: &'a [StatementDiff],
    /// Reviewers' annotations on the statements, with their standing.
    pub annotations: &'a [crate::render::annotations::Shown],
    /// Where each statement's quotes were found: `text`, `translation`, `source
    /// document` or `not found`, by statement then quote.
    pub quotes_found: &'a [Vec<&'a str>],
}

/// Text for HTML: control and bidi characters made visible, then `& < > " '` escaped.
pub fn esc(text: &str) -> String {
    let shown = crate::escape::escape(text);
    let mut out = String::with_capacity(shown.len() + 16);
    for c in shown.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Languages written right to left.
fn is_rtl_language(tag: &str) -> bool {
    let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "ar" | "fa" | "he" | "ur" | "ps" | "yi" | "dv" | "ckb" | "sd" | "ug"
    )
}

/// `lang` and `dir` attributes for a text in `lang`.
pub(super) fn lang_attrs(lang: &str) -> String {
    if crate::record::language_problem(lang).is_some() {
        return " dir=\"auto\"".into();
    }
    let dir = if is_rtl_language(lang) { "rtl" } else { "ltr" };
    format!(" lang=\"{}\" dir=\"{dir}\"", esc(lang))
}

/// A link for an `http(s)` address, plain text for anything else.
pub(super) fn link(url: &str, label: &str) -> String {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        format!(
            "<a href=\"{}\" rel=\"noreferrer noopener\">{}</a>",
            esc(url.trim()),
            esc(label)
        )
    } else {
        esc(label)
    }
}

/// The whole report as one HTML document.
pub fn report(r: &Report<'_>) -> String {
    let ini = r.initiative;
    let mut out = String::with_capacity(64 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", esc(&ini.title));
    let _ = writeln!(out, "<style>\n{STYLE}</style>\n</head>\n<body>");

    // Header.
    out.push_str("<header>\n");
    let _ = writeln!(out, "<h1 dir=\"auto\">{}</h1>", esc(&ini.title));
    let mut meta = vec![format!("<span>{}</span>", esc(&ini.id))];
    if let Some(o) = &ini.organization {
        meta.push(format!("<span dir=\"auto\">{}</span>", esc(o)));
    }
    if let Some(h) = ini.horizon {
        meta.push(format!("<span>horizon {h}</span>"));
    }
    if let Some(s) = ini.status {
        meta.push(format!("<span>status: <b>{}</b></span>", esc(s.as_str())));
    }
    if let Some(s) = &ini.supersedes {
        meta.push(format!("<span>supersedes {}</span>", esc(s)));
    }
    meta.push(format!("<span>{} statements</span>", r.statements.len()));
    let _ = writeln!(out, "<p class=\"meta\">{}</p>", meta.join(""));
    if !ini.tags.is_empty() {
        out.push_str("<p>");
        for t in &ini.tags {
            let _ = write!(out, "<span class=\"tag\" dir=\"auto\">{}</span>", esc(t));
        }
        out.push_str("</p>\n");
    }
    if let Some(s) = &ini.summary {
        let _ = writeln!(out, "<p class=\"summary\" dir=\"auto\">{}</p>", esc(s));
    }
    out.push_str("</header>\n");

    if r.statements.is_empty() {
        out.push_str("<p>No statements are recorded for this initiative yet.</p>\n");
    } else {
        out.push_str("<section>\n<h2>Key findings</h2>\n");
        out.push_str(&texts::findings(r.statements, r.diffs));
        out.push_str("</section>\n");
        if !r.diffs.is_empty() {
            out.push_str("<section>\n<h2>Significant changes</h2>\n");
            out.push_str(&significant::section(r.diffs));
            out.push_str("</section>\n");
        }
        out.push_str("<section>\n<h2>Timeline</h2>\n");
        out.push_str(&chart::chart(r.timeline));
        out.push_str("</section>\n");
        out.push_str("<section>\n<h2>Statements</h2>\n");
        out.push_str(&tables::log(r.statements));
        out.push_str("</section>\n");
        out.push_str("<section>\n<h2>Priorities and principles over time</h2>\n");
        out.push_str(&tables::matrix(r.timeline));
        out.push_str("</section>\n");
        out.push_str("<section>\n<h2>The statements' own words</h2>\n");
        out.push_str(&texts::statements(r.statements, r.quotes_found));
        out.push_str("</section>\n");
        out.push_str("<section>\n<h2>What changed, statement by statement</h2>\n");
        if r.diffs.is_empty() {
            out.push_str("<p>One statement only: nothing to compare yet.</p>\n");
        }
        for d in r.diffs {
            out.push_str(&redline::diff(d));
        }
        out.push_str("</section>\n");
        if !r.annotations.is_empty() {
            out.push_str("<section>\n<h2>Reviewers' annotations</h2>\n");
            out.push_str(&annotations::section(r.annotations));
            out.push_str("</section>\n");
        }
    }
    let _ = writeln!(
        out,
        "<footer>Made by dossier {} from the records of {}.</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION"),
        esc(&ini.id)
    );
    out
}
