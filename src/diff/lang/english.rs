//! English spelling variants read as one before stemming: British and American spellings
//! of the same word (`organisation` / `organization`, `defence` / `defense`,
//! `neighbour` / `neighbor`, `centre` / `center`, `programme` / `program`), which the
//! Snowball stemmer would otherwise keep apart.

use std::borrow::Cow;

/// Words ending in `-ise` (and its forms) that are not spellings of `-ize`.
const ISE_WORDS: &[&str] = &[
    "advertise",
    "advise",
    "apprise",
    "chastise",
    "circumcise",
    "comprise",
    "compromise",
    "concise",
    "demise",
    "despise",
    "devise",
    "disguise",
    "enterprise",
    "excise",
    "exercise",
    "expertise",
    "franchise",
    "improvise",
    "incise",
    "merchandise",
    "noise",
    "otherwise",
    "paradise",
    "poise",
    "praise",
    "precise",
    "premise",
    "promise",
    "raise",
    "revise",
    "rise",
    "supervise",
    "surmise",
    "surprise",
    "televise",
    "treatise",
    "wise",
    "arise",
    "cruise",
    "bruise",
    "reprise",
    "likewise",
    "clockwise",
    "anise",
];

/// Words ending in `-our` that have no `-or` spelling.
const OUR_WORDS: &[&str] = &[
    "amour",
    "contour",
    "devour",
    "dour",
    "flour",
    "four",
    "hour",
    "detour",
    "our",
    "paramour",
    "pour",
    "scour",
    "sour",
    "tour",
    "troubadour",
    "velour",
    "your",
];

/// The American spelling of a lowercase English word, or the word itself.
pub fn fold_spelling(word: &str) -> Cow<'_, str> {
    match word {
        "defence" | "defences" => return Cow::Owned(word.replace("defence", "defense")),
        "offence" | "offences" => return Cow::Owned(word.replace("offence", "offense")),
        "licence" | "licences" => return Cow::Owned(word.replace("licence", "license")),
        "programme" | "programmes" => return Cow::Owned(word.replace("programme", "program")),
        "centre" | "centres" | "centred" => return Cow::Owned(word.replace("centre", "center")),
        "judgement" | "judgements" => return Cow::Owned(word.replace("judgement", "judgment")),
        _ => {}
    }
    if word.len() < 6 || !word.is_ascii() {
        return Cow::Borrowed(word);
    }
    // -isation, -ise, -ised, -ises, -ising, -iser: -ization...
    for (suffix, z) in [
        ("isations", "izations"),
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("isers", "izers"),
        ("iser", "izer"),
        ("ise", "ize"),
    ] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.len() >= 3 && !is_listed(&format!("{stem}ise"), ISE_WORDS) {
                return Cow::Owned(format!("{stem}{z}"));
            }
            return Cow::Borrowed(word);
        }
    }
    // -yse (analyse, paralyse, catalyse) and its forms: -yze.
    for (suffix, z) in [
        ("ysed", "yzed"),
        ("yses", "yzes"),
        ("ysing", "yzing"),
        ("yse", "yze"),
    ] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.ends_with("al") {
                return Cow::Owned(format!("{stem}{z}"));
            }
        }
    }
    // -our, -ours, -oured, -ouring, -ourable, -ourite: -or...
    for suffix in [
        "ourable", "ourites", "ourite", "ouring", "oured", "ourly", "ours", "our",
    ] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.len() >= 3 && !is_listed(&format!("{stem}our"), OUR_WORDS) {
                return Cow::Owned(format!("{stem}or{}", &suffix[3..]));
            }
            return Cow::Borrowed(word);
        }
    }
    Cow::Borrowed(word)
}

/// `lemma` is one of `words`, or one of them after a prefix (`re-`, `over-`, `un-`...).
fn is_listed(lemma: &str, words: &[&str]) -> bool {
    const PREFIXES: &[&str] = &[
        "", "co", "counter", "de", "dis", "mis", "over", "pre", "re", "self", "sub", "super", "un",
        "under",
    ];
    words
        .iter()
        .any(|w| lemma.strip_suffix(w).is_some_and(|p| PREFIXES.contains(&p)))
}

#[cfg(test)]
mod tests {
    use super::fold_spelling;

    #[test]
    fn british_spellings_read_as_american() {
        for (gb, us) in [
            ("organisation", "organization"),
            ("organisations", "organizations"),
            ("modernise", "modernize"),
            ("modernising", "modernizing"),
            ("standardised", "standardized"),
            ("defence", "defense"),
            ("neighbourly", "neighborly"),
            ("neighbours", "neighbors"),
            ("labour", "labor"),
            ("favourable", "favorable"),
            ("centre", "center"),
            ("programmes", "programs"),
            ("analyse", "analyze"),
        ] {
            assert_eq!(fold_spelling(gb), us, "{gb}");
        }
    }

    #[test]
    fn words_that_only_look_british_stay() {
        for w in [
            "exercise",
            "exercises",
            "enterprise",
            "expertise",
            "promise",
            "compromise",
            "otherwise",
            "supervised",
            "revised",
            "hour",
            "contour",
            "four",
            "your",
            "rise",
            "noise",
            "paradise",
            "analysis",
            "house",
            "course",
            "precise",
            "detour",
        ] {
            assert_eq!(fold_spelling(w), w, "{w}");
        }
    }
}
