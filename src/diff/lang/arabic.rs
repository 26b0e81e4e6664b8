//! Arabic for comparison: the conjunction, prepositions and article that Arabic writes as
//! part of the next word (و، ف، ب، ك، ل، ال), and the letter forms that spelling varies on.
//!
//! Everything here works on words already normalised by
//! [`normalize_token_into`](crate::diff::normalize::normalize_token_into) (harakat and
//! tatweel gone, أ إ آ ٱ read as ا).

/// Letters a remainder must keep after a clitic is taken off: shorter words are left
/// whole (`وقت` is "time", not و + قت).
const MIN_AFTER_CONJUNCTION: usize = 3;
const MIN_AFTER_ARTICLE: usize = 2;
/// A lone ب or ك is taken off only before a remainder this long that starts like a
/// verbal noun or participle (ت، م، ا): `بتعزيز` → `تعزيز`, `بمشاركة` → `مشاركة`, while
/// `بحرية` (naval, not "with freedom") and `كامل` stay whole.
const MIN_AFTER_PREPOSITION: usize = 4;
/// A lone ل (the commonest of them) is taken off before any remainder this long:
/// `لدول` → `دول`, `لتعزيز` → `تعزيز`.
const MIN_AFTER_LAM: usize = 3;

/// The article-bearing prefixes, longest first: conjunction or preposition + ال, and لل
/// (ل + ال, whose alef is not written).
const ARTICLE_PREFIXES: [&str; 6] = ["وال", "فال", "بال", "كال", "لل", "ال"];

/// The word without the clitics written in front of it: an optional conjunction و (or
/// ف before the article), an optional preposition ب ك ل, and the article ال, as many
/// layers as there are (`وبالتعاون` → `تعاون`, `للأمن` → `امن`). Words that would be
/// left too short are not touched. What matters for comparison is that a word gives the
/// same result with or without its clitics (`البرنامج` and `برنامج` both stay
/// `برنامج`; `الوطنية` and `وطنية` both lose the و that may or may not be one): taking
/// off a letter that was part of the word is harmless as long as it is done the same way
/// every time and does not make it another word.
///
/// ```
/// use dossier::diff::lang::strip_arabic_clitics;
/// assert_eq!(strip_arabic_clitics("والتعاون"), "تعاون");
/// assert_eq!(strip_arabic_clitics("للامن"), "امن");
/// assert_eq!(strip_arabic_clitics("لتعزيز"), "تعزيز");
/// assert_eq!(strip_arabic_clitics("برنامج"), "برنامج");
/// assert_eq!(strip_arabic_clitics("وقت"), "وقت");
/// ```
pub fn strip_arabic_clitics(word: &str) -> &str {
    let mut w = word;
    // Each round takes off one layer; three are as many as Arabic stacks (و + ب + ال).
    for _ in 0..3 {
        let next = strip_one(w);
        if next.len() == w.len() {
            break;
        }
        w = next;
    }
    w
}

fn letters(s: &str) -> usize {
    s.chars().count()
}

fn strip_one(w: &str) -> &str {
    for prefix in ARTICLE_PREFIXES {
        if let Some(rest) = w.strip_prefix(prefix) {
            if letters(rest) >= MIN_AFTER_ARTICLE {
                return rest;
            }
        }
    }
    if let Some(rest) = w.strip_prefix('و') {
        if letters(rest) >= MIN_AFTER_CONJUNCTION {
            return rest;
        }
    }
    if let Some(rest) = w.strip_prefix('ل') {
        if letters(rest) >= MIN_AFTER_LAM {
            return rest;
        }
    }
    for prep in ['ب', 'ك'] {
        if let Some(rest) = w.strip_prefix(prep) {
            if letters(rest) >= MIN_AFTER_PREPOSITION && rest.starts_with(['ت', 'م', 'ا']) {
                return rest;
            }
        }
    }
    w
}

/// Folds the letters that Arabic spelling varies on in a stem: ى (alef maksura) as ي,
/// ة (teh marbuta) as ه, ؤ as و, ئ as ي, and a lone hamza ء dropped.
pub fn fold_arabic_letters(stem: &str, out: &mut String) {
    out.clear();
    for c in stem.chars() {
        match c {
            'ى' | 'ئ' => out.push('ي'),
            'ة' => out.push('ه'),
            'ؤ' => out.push('و'),
            'ء' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_conjunction_preposition_and_article() {
        for (word, stripped) in [
            ("والتعاون", "تعاون"),
            ("بالتعاون", "تعاون"),
            ("للتعاون", "تعاون"),
            ("التعاون", "تعاون"),
            ("وتعزيز", "تعزيز"),
            ("وبالتعاون", "تعاون"),
            ("فالامن", "امن"),
            ("لتعزيز", "تعزيز"),
            ("بمشاركة", "مشاركة"),
            ("لانشاء", "انشاء"),
            ("الجوي", "جوي"),
            ("لدول", "دول"),
        ] {
            assert_eq!(strip_arabic_clitics(word), stripped, "{word}");
        }
    }

    #[test]
    fn leaves_words_that_only_look_prefixed() {
        for word in [
            "برنامج",
            "بحرية",
            "كامل",
            "لغة",
            "بلدان",
            "وقت",
            "الى",
            "ال",
            "في",
        ] {
            assert_eq!(strip_arabic_clitics(word), word, "{word}");
        }
        // With or without the article, one form.
        assert_eq!(
            strip_arabic_clitics("البرنامج"),
            strip_arabic_clitics("برنامج")
        );
        assert_eq!(
            strip_arabic_clitics("الوطنية"),
            strip_arabic_clitics("وطنية")
        );
    }

    #[test]
    fn folds_spelling_variants() {
        let mut out = String::new();
        fold_arabic_letters("مستوى", &mut out);
        assert_eq!(out, "مستوي");
        fold_arabic_letters("منظومة", &mut out);
        assert_eq!(out, "منظومه");
    }
}
