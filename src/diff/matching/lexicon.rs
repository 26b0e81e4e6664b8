//! What every store knows without being told: the abbreviations of the organisations and
//! terms policy texts name either way (`CSTO` / `Collective Security Treaty
//! Organization`, `ОДКБ` / `Организация Договора о коллективной безопасности`, `ПВО` /
//! `противовоздушная оборона`). Only abbreviations and their full forms: words that are
//! near in meaning but not the same ("joint" and "unified") are the store's to declare,
//! in `dossier.yaml`.

/// Groups of the same name written out and abbreviated.
pub const ABBREVIATIONS: &[&[&str]] = &[
    &["CIS", "Commonwealth of Independent States"],
    &["СНГ", "Содружество Независимых Государств"],
    &["رابطة الدول المستقلة", "كومنولث الدول المستقلة"],
    &["CSTO", "Collective Security Treaty Organization"],
    &["ОДКБ", "Организация Договора о коллективной безопасности"],
    &["منظمة معاهدة الأمن الجماعي", "منظمة الأمن الجماعي"],
    &["SCO", "Shanghai Cooperation Organization"],
    &["ШОС", "Шанхайская организация сотрудничества"],
    &["منظمة شنغهاي للتعاون", "منظمة شنغهاي"],
    &["EAEU", "EEU", "Eurasian Economic Union"],
    &["ЕАЭС", "Евразийский экономический союз"],
    &["UN", "United Nations"],
    &["ООН", "Организация Объединённых Наций"],
    &[
        "NATO",
        "North Atlantic Treaty Organization",
        "North Atlantic Alliance",
    ],
    &[
        "НАТО",
        "Североатлантический альянс",
        "Организация Североатлантического договора",
    ],
    &["الناتو", "حلف الناتو", "حلف شمال الأطلسي"],
    &[
        "OSCE",
        "Organization for Security and Co-operation in Europe",
    ],
    &[
        "ОБСЕ",
        "Организация по безопасности и сотрудничеству в Европе",
    ],
    &["BRICS", "БРИКС", "بريكس"],
    &["ПВО", "противовоздушная оборона"],
    &["ПРО", "противоракетная оборона"],
    &["РХБЗ", "радиационная, химическая и биологическая защита"],
    &["ОПК", "оборонно-промышленный комплекс"],
    &["ВПК", "военно-промышленный комплекс"],
    &["КСОР", "Коллективные силы оперативного реагирования"],
    &["CRRF", "Collective Rapid Reaction Forces"],
    &["WMD", "weapons of mass destruction"],
    &["ОМУ", "оружие массового уничтожения"],
];

/// The built-in groups as owned strings, for [`Synonyms::new`](super::Synonyms::new).
pub fn groups() -> Vec<Vec<String>> {
    ABBREVIATIONS
        .iter()
        .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
        .collect()
}
