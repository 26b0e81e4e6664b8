//! The language, from the script of the letters.

use super::lexicon::{
    BELARUSIAN_LETTERS, ENGLISH_FUNCTION_WORDS, KAZAKH_LETTERS, UKRAINIAN_LETTERS,
};
use super::Found;

pub(super) fn detect_language(body: &str) -> Option<Found> {
    let (mut arabic, mut cyrillic, mut latin, mut letters) = (0usize, 0usize, 0usize, 0usize);
    let (mut uk, mut be, mut kk) = (0usize, 0usize, 0usize);
    for c in body.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        match c {
            '\u{0600}'..='\u{06FF}'
            | '\u{0750}'..='\u{077F}'
            | '\u{FB50}'..='\u{FDFF}'
            | '\u{FE70}'..='\u{FEFF}' => arabic += 1,
            '\u{0400}'..='\u{04FF}' => {
                cyrillic += 1;
                if UKRAINIAN_LETTERS.contains(&c) {
                    uk += 1;
                } else if BELARUSIAN_LETTERS.contains(&c) {
                    be += 1;
                } else if KAZAKH_LETTERS.contains(&c) {
                    kk += 1;
                }
            }
            c if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) => latin += 1,
            _ => {}
        }
    }
    if letters == 0 {
        return None;
    }
    let share = |n: usize| n * 100 / letters;
    let (tag, script, n) = if arabic >= cyrillic && arabic >= latin {
        ("ar", "Arabic", arabic)
    } else if cyrillic >= latin {
        let tag = if kk > 2 {
            "kk"
        } else if be > 2 && uk == 0 {
            "be"
        } else if uk > 2 {
            "uk"
        } else {
            "ru"
        };
        (tag, "Cyrillic", cyrillic)
    } else {
        let english = body
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| ENGLISH_FUNCTION_WORDS.contains(&w.to_lowercase().as_str()))
            .count();
        if english < 2 {
            return None;
        }
        ("en", "Latin", latin)
    };
    Some(Found {
        value: tag.to_string(),
        evidence: format!("{}% of the letters are {script}", share(n)),
    })
}
