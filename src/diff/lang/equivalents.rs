//! Data only: general words of policy and military texts that mean the same when two
//! items are compared (`procurement` / `purchase`, `weapons` / `armaments`, `борьба с` /
//! `противодействие`, `مكافحة` / `التصدي`), per language, for a language expert to edit.
//!
//! Each group is read like a synonym group of `dossier.yaml` (every member normalised,
//! Arabic clitics off, stemmed, stop words out), so one spelling stands for its
//! inflections; the matcher folds every member of a group into one term. The store's own
//! groups come on top and may add to these.
//!
//! What belongs here: vocabulary any analyst of these texts would accept as the same in
//! any document (near-synonyms, the nominal and verbal forms a stemmer cannot join, a
//! compound and its spelled-out form). What does not: words that are only sometimes the
//! same (`joint` / `common`, `security` / `safety`, `treaty` / `agreement`), or that
//! would join unrelated items (a word that is also a frequent word of another meaning:
//! Arabic `مشروع` is both "lawful" and "project", so `غير المشروع` is not here). These
//! groups were written from general policy vocabulary, not from the labelled set's
//! held-out cases (docs/benchmarks.md says which held-out links they touch).

/// English.
pub const EN: &[&[&str]] = &[
    &["weapons", "arms", "armaments", "weaponry"],
    &["procurement", "purchase", "purchases", "acquisition"],
    &[
        "countering",
        "combating",
        "fight against",
        "fighting",
        "counteraction",
        "struggle against",
    ],
    &["illegal", "illicit", "unlawful", "irregular"],
    &["strengthening", "reinforcement", "enhancing", "bolstering"],
    &["unified", "single", "integrated", "integral", "unitary"],
    &["personnel", "cadres"],
    &["training", "preparation"],
    &["exercises", "drills", "manoeuvres"],
    &["borders", "frontiers"],
    &["threats", "dangers"],
    &["equality", "equal rights", "parity"],
    &["transparency", "openness"],
    &["non-interference", "non-intervention"],
    &["readiness", "preparedness"],
    &["monitoring", "surveillance", "observation"],
    &["protection", "safeguarding", "guarding"],
    &["states", "countries"],
    &["framework", "basis"],
    &["legislation", "laws", "legal acts"],
    &["harmonisation", "approximation", "convergence"],
    &["prevention", "averting"],
    &["trafficking", "smuggling"],
    &["drugs", "narcotics", "narcotic drugs"],
    &["improvement", "upgrading", "refinement"],
];

/// Russian.
pub const RU: &[&[&str]] = &[
    &["оружие", "вооружение", "вооружения"],
    &["закупки", "закупка", "приобретение"],
    &["борьба с", "противодействие", "пресечение"],
    &["незаконный", "нелегальный", "противоправный"],
    &["укрепление", "усиление", "упрочение"],
    &["сотрудничество", "взаимодействие", "кооперация"],
    &["единый", "целостный", "интегрированный"],
    &["подготовка", "обучение"],
    &["кадры", "персонал"],
    &["совершенствование", "улучшение"],
    &["учения", "манёвры"],
    &["угрозы", "опасности"],
    &["равноправие", "равенство"],
    &["прозрачность", "открытость"],
    &["боеготовность", "боевая готовность"],
    &["мониторинг", "наблюдение"],
    &["защита", "охрана"],
    &["государства", "страны"],
    &["гармонизация", "сближение", "унификация"],
    &["предотвращение", "недопущение"],
    &["наркотрафик", "незаконный оборот наркотиков"],
    &["наркотики", "наркотические средства"],
];

/// Arabic.
pub const AR: &[&[&str]] = &[
    &["الأسلحة", "السلاح", "التسلح"],
    &["شراء", "اقتناء", "مشتريات"],
    &["مكافحة", "التصدي", "محاربة"],
    &["تعزيز", "تقوية", "توطيد"],
    &["موحد", "متكامل"],
    &["تدريب", "تأهيل"],
    &["الكوادر", "الأفراد"],
    &["تطوير", "تنمية"],
    &["مناورات", "تمارين"],
    &["تهديدات", "مخاطر"],
    &["المساواة", "التكافؤ", "تساوي"],
    &["الشفافية", "الانفتاح"],
    &["الجاهزية", "الاستعداد"],
    &["رصد", "مراقبة"],
    &["حماية", "صون"],
    &["الدول", "البلدان"],
    &["التشريعات", "القوانين"],
    &["منع", "درء"],
    &["تهريب", "الاتجار"],
    &["المخدرات", "المواد المخدرة"],
];

/// Every group, English, Russian, then Arabic, as owned strings.
pub fn groups() -> Vec<Vec<String>> {
    EN.iter()
        .chain(RU)
        .chain(AR)
        .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
        .collect()
}
