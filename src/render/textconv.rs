//! A record as lines for git's line diff (`dossier textconv`, git's `textconv` for
//! records): one field a line, the wording one sentence a line, priorities numbered by
//! rank, so that `git diff`, `git diff --word-diff` and `git log -p` on a record read as
//! a statement diff. A field's name starts its line; its content is indented (git's
//! hunk headers then name the field, see `diff.dossier.xfuncname`).

use crate::diff::normalize::sentences;
use crate::escape::{escape, escape_line};
use crate::record::{Initiative, Statement};

fn push_field(out: &mut String, name: &str, value: Option<&str>) {
    if let Some(v) = value {
        out.push_str(&format!("{name}: {}\n", escape_line(v)));
    }
}

/// A text one sentence a line (a line break inside a sentence starts another line), a
/// blank line between paragraphs.
fn push_text(out: &mut String, heading: &str, text: &str) {
    out.push_str(heading);
    out.push_str(":\n");
    let mut last_end = 0;
    for r in sentences(text) {
        let gap = &text[last_end..r.start];
        if last_end > 0 && gap.matches('\n').count() >= 2 {
            out.push('\n');
        }
        for line in text[r.clone()].split('\n') {
            out.push_str("    ");
            out.push_str(&escape(line.trim_end_matches('\r')));
            out.push('\n');
        }
        last_end = r.end;
    }
}

/// A statement as lines.
pub fn statement(st: &Statement) -> String {
    let mut out = format!("statement {}\n", escape_line(&st.reference()));
    push_field(&mut out, "date", Some(&st.date));
    push_field(&mut out, "kind", st.kind.map(|k| k.as_str()));
    push_field(&mut out, "stage", st.stage.map(|s| s.as_str()));
    if let Some(sp) = &st.speaker {
        let who = match &sp.role {
            Some(r) => format!("{} ({r})", sp.name),
            None => sp.name.clone(),
        };
        push_field(&mut out, "speaker", Some(&who));
    }
    push_field(&mut out, "venue", st.venue.as_deref());
    push_field(&mut out, "language", Some(&st.language));
    if let Some(src) = &st.source {
        push_field(&mut out, "source outlet", src.outlet.as_deref());
        push_field(&mut out, "source title", src.title.as_deref());
        for (lang, t) in &src.title_translations {
            push_field(&mut out, &format!("source title ({lang})"), Some(t));
        }
        push_field(&mut out, "source url", src.url.as_deref());
        push_field(&mut out, "source published", src.published.as_deref());
        push_field(&mut out, "source retrieved", src.retrieved.as_deref());
        push_field(&mut out, "source document", src.document.as_deref());
        push_field(&mut out, "source sha256", src.sha256.as_deref());
    }
    if !st.tags.is_empty() {
        push_field(&mut out, "tags", Some(&st.tags.join(", ")));
    }
    if let Some(s) = &st.summary {
        push_text(&mut out, "summary", s);
    }
    for (name, list) in [
        ("priorities", &st.priorities),
        ("principles", &st.principles),
    ] {
        if list.is_empty() {
            continue;
        }
        out.push_str(name);
        out.push_str(":\n");
        for (n, item) in list.iter().enumerate() {
            let key = item
                .key
                .as_deref()
                .map(|k| format!("  [{}]", escape_line(k)))
                .unwrap_or_default();
            if name == "priorities" {
                out.push_str(&format!(
                    "    {}. {}{key}\n",
                    n + 1,
                    escape_line(&item.text)
                ));
            } else {
                out.push_str(&format!("    - {}{key}\n", escape_line(&item.text)));
            }
        }
    }
    if !st.quotes.is_empty() {
        out.push_str("quotes:\n");
        for q in &st.quotes {
            let who = q
                .speaker
                .as_deref()
                .map(|s| format!(" ({})", escape_line(s)))
                .unwrap_or_default();
            out.push_str(&format!("    \"{}\"{who}\n", escape_line(&q.text)));
        }
    }
    if let Some(t) = &st.text {
        push_text(
            &mut out,
            &format!("text ({})", escape_line(&st.language)),
            t,
        );
    }
    for (lang, t) in &st.translations {
        push_text(&mut out, &format!("translation ({})", escape_line(lang)), t);
    }
    if let Some(n) = &st.notes {
        push_text(&mut out, "notes", n);
    }
    out
}

/// An initiative as lines.
pub fn initiative(ini: &Initiative) -> String {
    let mut out = format!("initiative {}\n", escape_line(&ini.id));
    push_field(&mut out, "title", Some(&ini.title));
    push_field(&mut out, "organization", ini.organization.as_deref());
    push_field(
        &mut out,
        "horizon",
        ini.horizon.map(|h| h.to_string()).as_deref(),
    );
    push_field(&mut out, "status", ini.status.map(|s| s.as_str()));
    push_field(&mut out, "supersedes", ini.supersedes.as_deref());
    if !ini.tags.is_empty() {
        push_field(&mut out, "tags", Some(&ini.tags.join(", ")));
    }
    if let Some(s) = &ini.summary {
        push_text(&mut out, "summary", s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Item;

    #[test]
    fn wording_is_one_sentence_a_line_and_priorities_are_ranked() {
        let st = Statement {
            id: "2025-01-01-x".into(),
            initiative: "cis".into(),
            date: "2025-01-01".into(),
            language: "en".into(),
            text: Some("First sentence. Second one!\n\nA new paragraph.".into()),
            priorities: vec![Item::new("Air defence"), Item::new("Training")],
            ..Default::default()
        };
        let out = statement(&st);
        assert!(
            out.contains(
                "text (en):\n    First sentence.\n    Second one!\n\n    A new paragraph.\n"
            ),
            "{out}"
        );
        assert!(
            out.contains("priorities:\n    1. Air defence\n    2. Training\n"),
            "{out}"
        );
    }
}
