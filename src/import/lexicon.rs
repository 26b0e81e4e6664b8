//! The words the importer looks for, by language: data only, no logic.
//!
//! A language expert can extend any list here without reading the code that uses it; each
//! list says what it is for, and the section headers name the file that uses it. Write
//! words in lower case (`SWITCHER_WORDS` and the labels aside, which are compared without
//! regard to case). Arabic verbs and stops, month names and outlets are compared after
//! diff's normalisation (diacritics, tatweel and alef forms dropped, `ё` read as `е`), so
//! one spelling per word is enough; the other word lists are compared with normalised
//! tokens as they stand, and a test below checks that each entry already is in that form.

// ---------------------------------------------------------------------------------------
// Site chrome (body.rs)

/// Names and codes of languages as a site's language switcher shows them.
pub const SWITCHER_WORDS: &[&str] = &[
    "ru",
    "en",
    "ar",
    "fr",
    "de",
    "es",
    "zh",
    "uz",
    "kz",
    "kk",
    "tj",
    "by",
    "be",
    "uk",
    "ua",
    "tr",
    "fa",
    "rus",
    "eng",
    "ara",
    "русский",
    "рус",
    "english",
    "eng.",
    "عربي",
    "العربية",
    "français",
    "deutsch",
    "español",
    "中文",
    "o'zbek",
    "қазақ",
    "беларуская",
    "українська",
];

/// Labels that start a photo credit.
pub const PHOTO_LABELS: &[&str] = &[
    "الصورة",
    "صورة",
    "المصور",
    "Фото",
    "Фотография",
    "Photo",
    "Image",
    "Picture",
    "Credit",
    "Photo credit",
];

/// Labels that start a source line.
pub const SOURCE_LABELS: &[&str] = &["المصدر", "Источник", "Source", "Джерело", "Крыніца"];

// ---------------------------------------------------------------------------------------
// Outlets (outlet.rs)

/// Known outlets: the names they go by in Arabic, Russian and English, and the name to record.
pub const OUTLETS: &[(&str, &[&str])] = &[
    (
        "TASS",
        &[
            "تاس",
            "وكالة تاس",
            "ТАСС",
            "TASS",
            "tass.ru",
            "tass.com",
            "ИТАР-ТАСС",
        ],
    ),
    (
        "RIA Novosti",
        &[
            "ريا نوفوستي",
            "وكالة ريا نوفوستي",
            "РИА Новости",
            "RIA Novosti",
            "ria.ru",
        ],
    ),
    ("Sputnik", &["سبوتنيك", "Спутник", "Sputnik"]),
    (
        "Interfax",
        &["إنترفاكس", "انترفاكس", "Интерфакс", "Interfax"],
    ),
    ("BelTA", &["بيلتا", "БелТА", "BelTA"]),
    ("RT", &["آر تي", "روسيا اليوم", "RT", "Russia Today"]),
    ("Izvestia", &["إزفيستيا", "Известия", "Izvestia"]),
    (
        "Kommersant",
        &["كوميرسانت", "Коммерсантъ", "Коммерсант", "Kommersant"],
    ),
    ("Xinhua", &["شينخوا", "Синьхуа", "Xinhua"]),
    ("Kazinform", &["Казинформ", "Kazinform"]),
];

// ---------------------------------------------------------------------------------------
// Dates (dates.rs)

/// Month names (one or two words), by month number.
pub const MONTHS: &[(u8, &[&str])] = &[
    (
        1,
        &[
            "يناير",
            "كانون الثاني",
            "января",
            "январь",
            "january",
            "jan",
        ],
    ),
    (
        2,
        &["فبراير", "شباط", "февраля", "февраль", "february", "feb"],
    ),
    (3, &["مارس", "آذار", "марта", "март", "march", "mar"]),
    (
        4,
        &[
            "أبريل",
            "إبريل",
            "نيسان",
            "апреля",
            "апрель",
            "april",
            "apr",
        ],
    ),
    (5, &["مايو", "أيار", "мая", "май", "may"]),
    (
        6,
        &["يونيو", "يونيه", "حزيران", "июня", "июнь", "june", "jun"],
    ),
    (
        7,
        &["يوليو", "يوليه", "تموز", "июля", "июль", "july", "jul"],
    ),
    (8, &["أغسطس", "آب", "августа", "август", "august", "aug"]),
    (
        9,
        &[
            "سبتمبر",
            "أيلول",
            "сентября",
            "сентябрь",
            "september",
            "sep",
            "sept",
        ],
    ),
    (
        10,
        &[
            "أكتوبر",
            "تشرين الأول",
            "октября",
            "октябрь",
            "october",
            "oct",
        ],
    ),
    (
        11,
        &[
            "نوفمبر",
            "تشرين الثاني",
            "ноября",
            "ноябрь",
            "november",
            "nov",
        ],
    ),
    (
        12,
        &[
            "ديسمبر",
            "كانون الأول",
            "декабря",
            "декабрь",
            "december",
            "dec",
        ],
    ),
];

// ---------------------------------------------------------------------------------------
// Speakers (speakers.rs)

/// Arabic verbs of saying; the name follows them (`صرح الأمين العام - سيرغي ليبيديف`).
pub const ARABIC_VERBS: &[&str] = &[
    "صرح", "قال", "أضاف", "أكد", "أشار", "أوضح", "أعلن", "ذكر", "يرى", "تابع", "شدد", "لفت",
];

/// Prefixes that attach to an Arabic verb of saying (`وقال`, `فأضاف`).
pub const ARABIC_VERB_PREFIXES: &[char] = &['و', 'ف'];

/// Arabic words that end the role-and-name run after a verb of saying.
pub const ARABIC_STOPS: &[&str] = &[
    "أن",
    "أنه",
    "أنها",
    "إن",
    "إنه",
    "بأن",
    "خلال",
    "في",
    "على",
    "إلى",
    "من",
    "عن",
    "مع",
    "أمام",
    "لدى",
    "اليوم",
    "أمس",
    "أيضا",
    "بعد",
    "قبل",
    "هذا",
    "ذلك",
    "لوكالة",
    "للصحفيين",
    "لوسائل",
];

/// Russian verbs of saying, both genders.
pub const RUSSIAN_VERBS: &[&str] = &[
    "заявил",
    "заявила",
    "сказал",
    "сказала",
    "отметил",
    "отметила",
    "подчеркнул",
    "подчеркнула",
    "сообщил",
    "сообщила",
    "добавил",
    "добавила",
    "пояснил",
    "пояснила",
];

/// English verbs of saying.
pub const ENGLISH_VERBS: &[&str] = &[
    "said",
    "says",
    "stated",
    "told",
    "added",
    "noted",
    "stressed",
    "announced",
];

/// Capitalised words that are not names (pronouns, function words, common titles).
pub const NOT_NAMES: &[&str] = &[
    "он",
    "она",
    "они",
    "как",
    "также",
    "это",
    "при",
    "по",
    "в",
    "на",
    "кроме",
    "об",
    "he",
    "she",
    "they",
    "it",
    "we",
    "i",
    "this",
    "the",
    "but",
    "and",
    "also",
    "as",
    "in",
    "on",
    "a",
    "an",
    "officials",
    "minister",
];

/// Words that cannot stand between a verb of saying and the speaker's name after it.
pub const AFTER_VERB_STOPS: &[&str] = &[
    "on",
    "in",
    "at",
    "that",
    "during",
    "to",
    "with",
    "for",
    "after",
    "before",
    "что",
    "на",
    "в",
    "во",
    "при",
    "за",
    "после",
    "о",
    "об",
];

/// Endings of Russian patronymics (`Сергеевич`, `Ивановна`): a name of three words.
pub const PATRONYMIC_ENDINGS: &[&str] = &["вич", "вна", "чна", "ична"];

/// Articles dropped at the start of an appositive role (`Lebedev, the CIS Secretary General,`).
pub const ARTICLES: &[&str] = &["the", "a", "an"];

// ---------------------------------------------------------------------------------------
// Language (language.rs)

/// English function words: Latin text with at least two of them is taken for English.
pub const ENGLISH_FUNCTION_WORDS: &[&str] = &["the", "and", "of", "to", "is"];

/// Cyrillic letters found in Ukrainian and not in Russian.
pub const UKRAINIAN_LETTERS: &[char] = &['і', 'ї', 'є', 'ґ', 'І', 'Ї', 'Є', 'Ґ'];

/// Cyrillic letters found in Belarusian and not in Russian.
pub const BELARUSIAN_LETTERS: &[char] = &['ў', 'Ў'];

/// Cyrillic letters found in Kazakh and not in Russian.
pub const KAZAKH_LETTERS: &[char] = &['ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ'];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::tokens::norm;

    #[test]
    fn word_lists_compared_as_they_stand_are_in_normalised_form() {
        for (list, words) in [
            ("RUSSIAN_VERBS", RUSSIAN_VERBS),
            ("ENGLISH_VERBS", ENGLISH_VERBS),
            ("NOT_NAMES", NOT_NAMES),
            ("AFTER_VERB_STOPS", AFTER_VERB_STOPS),
            ("PATRONYMIC_ENDINGS", PATRONYMIC_ENDINGS),
            ("ARTICLES", ARTICLES),
            ("ENGLISH_FUNCTION_WORDS", ENGLISH_FUNCTION_WORDS),
        ] {
            for w in words {
                assert_eq!(norm(w), *w, "{list}: write {w:?} as {:?}", norm(w));
            }
        }
        for w in SWITCHER_WORDS {
            assert_eq!(w.to_lowercase(), *w, "SWITCHER_WORDS: {w:?} in lower case");
        }
    }

    #[test]
    fn every_month_has_names() {
        let months: Vec<u8> = MONTHS.iter().map(|(m, _)| *m).collect();
        assert_eq!(months, (1..=12).collect::<Vec<u8>>());
        assert!(MONTHS.iter().all(|(_, names)| !names.is_empty()));
    }
}
