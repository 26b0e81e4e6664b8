//! The reviewers' annotations on the initiative's statements, with their standing.

use std::fmt::Write;

use super::esc;
use crate::annotation::{target_label, Standing};
use crate::render::annotations::Shown;

pub(super) fn section(list: &[Shown]) -> String {
    let mut s = String::from("<div class=\"scroll\"><table class=\"annotations\">\n<thead><tr><th>statement</th><th>written</th><th>on</th><th>assessment</th><th>note</th><th>standing</th></tr></thead>\n<tbody>\n");
    for shown in list {
        let a = &shown.annotation;
        let standing = match &shown.standing {
            Standing::Current => "<span class=\"current\">current</span>".to_string(),
            Standing::Moved { rank } => format!("<span class=\"moved\">moved (now {rank})</span>"),
            Standing::Stale { reason } => {
                format!(
                    "<span class=\"stale\">stale</span><br><small>{}</small>",
                    esc(reason)
                )
            }
        };
        let mut note = format!("<span dir=\"auto\">{}</span>", esc(a.note.trim_end()));
        for t in &a.tags {
            let _ = write!(note, " <span class=\"tag\" dir=\"auto\">{}</span>", esc(t));
        }
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td class=\"nowrap\">{}<br><small dir=\"auto\">{}</small></td><td dir=\"auto\">{}</td><td>{}</td><td>{note}</td><td>{standing}</td></tr>",
            esc(a.statement.rsplit('/').next().unwrap_or(&a.statement)),
            esc(&a.date),
            esc(a.author.as_deref().unwrap_or_default()),
            esc(&target_label(a)),
            esc(&a.assessment.map(|x| x.to_string()).unwrap_or_default()),
        );
    }
    s.push_str("</tbody></table></div>\n");
    s
}
