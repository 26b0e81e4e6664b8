//! Which wording two statements are compared in: the language asked for, else both
//! originals, else the first language both hold; why, in a notice, when it is not simply
//! both originals (or when there is none).

use crate::record::Statement;

/// The language to compare and both wordings in it, saying why in `notices` when it is not
/// simply both originals (or when there is none).
pub(super) fn shared_wording<'a>(
    from: &'a Statement,
    to: &'a Statement,
    lang: Option<&'a str>,
    notices: &mut Vec<String>,
) -> Option<(&'a str, &'a str, &'a str)> {
    if let Some(lang) = lang {
        let found = (from.wording_in(lang), to.wording_in(lang));
        if let (Some(old), Some(new)) = found {
            return Some((lang, old, new));
        }
        let missing: Vec<String> = [(found.0, from), (found.1, to)]
            .iter()
            .filter(|(text, _)| text.is_none())
            .map(|(_, st)| st.reference())
            .collect();
        notices.push(format!(
            "no `{lang}` wording in {}: the wording is not compared",
            missing.join(" and ")
        ));
        return None;
    }
    if from.language.eq_ignore_ascii_case(&to.language) {
        if let (Some(old), Some(new)) = (&from.text, &to.text) {
            return Some((&to.language, old, new));
        }
    }
    let shared = from
        .languages()
        .into_iter()
        .find_map(|l| Some((l, from.wording_in(l)?, to.wording_in(l)?)));
    let no_wording = |st: &Statement| st.languages().is_empty();
    let notice = match shared {
        Some((lang, _, _)) if !from.language.eq_ignore_ascii_case(&to.language) => format!(
            "the originals are in `{}` and `{}`: comparing the `{lang}` wording",
            from.language, to.language
        ),
        Some((lang, _, _)) => {
            format!("comparing the `{lang}` wording: one statement has no original text")
        }
        None if no_wording(from) && no_wording(to) => return None,
        None if no_wording(from) || no_wording(to) => {
            let without = if no_wording(from) { from } else { to };
            format!(
                "{} has no wording: the wording is not compared",
                without.reference()
            )
        }
        None => format!(
            "the statements share no language (`{}` and `{}`): the wording is not compared",
            from.languages().join("`, `"),
            to.languages().join("`, `")
        ),
    };
    notices.push(notice);
    shared
}
