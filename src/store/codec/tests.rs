//! The codec on its own: round trips of odd texts, every problem located, hostile YAML.

use super::*;
use crate::record::Item;
use std::path::Path;

fn sample() -> Statement {
    Statement {
        id: "2024-11-07-lebedev".into(),
        initiative: "cis-2030".into(),
        date: "2024-11-07".into(),
        language: "no".into(),
        text: Some("Line one\n\n  indented, «да»\nلـ\"الدول الأعضاء\"\n".into()),
        priorities: vec![Item::new("yes"), Item::new("1e3"), Item::new("- dash")],
        ..Default::default()
    }
}

fn roundtrip(st: &Statement) -> Statement {
    let yaml = encode(st);
    match decode_statement(yaml.as_bytes(), Path::new("x.yaml")) {
        Ok(d) => d.record,
        Err(p) => panic!("{yaml}\n{p:?}"),
    }
}

#[test]
fn encodes_stably_and_reads_back() {
    let st = sample();
    let yaml = encode(&st);
    assert!(yaml.contains("date: \"2024-11-07\"\n"), "{yaml}");
    assert!(yaml.contains("language: \"no\"\n"), "{yaml}");
    assert!(
        yaml.contains("text: |\n  Line one\n\n    indented"),
        "{yaml}"
    );
    assert_eq!(roundtrip(&st), st);
}

#[test]
fn control_characters_stay_line_diffable() {
    let mut st = sample();
    st.text = Some("Page one\n\u{c}\nPage two\n  indented\ttab".into());
    let yaml = encode(&st);
    assert!(yaml.contains("Page one\\n\\\n"), "{yaml}");
    assert!(yaml.lines().count() > 4, "{yaml}");
    assert_eq!(roundtrip(&st), st);
}

/// Why the emitter is ours and not serde-saphyr's serializer (ARCHITECTURE.md): both read
/// back exactly (in dossier and in PyYAML), but for a text a block scalar cannot carry
/// (a form feed between pages) serde-saphyr writes one double-quoted line however long the
/// text, and ours breaks at the text's own line ends. If this test fails because
/// serde-saphyr learnt to do the same, the emitter can go.
#[test]
fn serde_saphyr_writes_a_paged_text_on_one_line() {
    let page = "A line of a long licence text, one of many.\n".repeat(40);
    let mut st = sample();
    st.text = Some(format!("{page}\u{c}\n{page}"));
    let theirs = serde_saphyr::to_string(&st).expect("serializes");
    let ours = encode(&st);
    let line_of = |yaml: &str| yaml.lines().filter(|l| l.contains("licence")).count();
    assert_eq!(line_of(&theirs), 1, "{theirs}");
    assert_eq!(line_of(&ours), 80, "{ours}");
    for yaml in [&theirs, &ours] {
        let back = decode_statement(yaml.as_bytes(), Path::new("x.yaml")).map(|d| d.record);
        assert_eq!(back.as_ref().ok(), Some(&st));
    }
}

#[test]
fn odd_texts_round_trip() {
    for text in [
        "",
        "\n",
        "a\n\n\n",
        " lead\nx",
        "\nfirst empty",
        "trail  \nx",
        "x\n \n",
        "tab\n\tx",
        "crlf\r\nx",
        "bidi \u{202E} x\ny",
        "# not a comment\n- nor a list",
    ] {
        let mut st = sample();
        st.text = Some(text.to_string());
        st.summary = Some(text.replace('\n', " ") + "s");
        assert_eq!(roundtrip(&st), st, "{text:?}");
    }
}

#[test]
fn reports_every_problem_with_places() {
    let yaml = "id: 2024-x\ninitiative: a\ndate: 2024-11-07\nlanguage: no\nspeeker:\n  name: X\npriorities:\n  - text: [1]\n";
    let problems = decode_statement(yaml.as_bytes(), Path::new("s.yaml")).unwrap_err();
    let shown: Vec<String> = problems
        .iter()
        .map(|p| {
            format!(
                "{} {} {}",
                p.location,
                p.field,
                p.hint.clone().unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(problems.len(), 3, "{shown:?}");
    assert!(shown[0].starts_with("s.yaml:4:11 language"), "{shown:?}");
    assert!(shown[0].contains("quote it: \"no\""), "{shown:?}");
    assert!(
        shown[1].starts_with("s.yaml:5:1 speeker") && shown[1].contains("`speaker`"),
        "{shown:?}"
    );
    assert!(
        shown[2].starts_with("s.yaml:8:11 priorities[1].text"),
        "{shown:?}"
    );
}

#[test]
fn refuses_hostile_yaml() {
    let cases: &[(&str, &str)] = &[
        ("id: &a x\ninitiative: *a\n", "malformed"),
        ("id: a\nid: b\n", "malformed"),
        (
            &format!("id: {}x{}\n", "[".repeat(10_000), "]".repeat(10_000)),
            "malformed",
        ),
        ("id: a\n\tdate: b\n", "malformed"),
    ];
    for (yaml, want) in cases {
        let problems = decode_statement(yaml.as_bytes(), Path::new("h.yaml")).unwrap_err();
        assert!(
            problems[0].message.contains(want),
            "{yaml:.40}: {problems:?}"
        );
    }
    let big = vec![b'a'; MAX_RECORD_BYTES + 1];
    let p = decode_statement(&big, Path::new("b.yaml")).unwrap_err();
    assert!(p[0].message.contains("capped at"), "{p:?}");
    let p = decode_statement(b"id: a\xff\n", Path::new("u.yaml")).unwrap_err();
    assert_eq!(p[0].location.to_string(), "u.yaml:1:6");
}

#[test]
fn accepts_bom_and_crlf() {
    let yaml = "\u{FEFF}id: 2024-11-07-x\r\ninitiative: a\r\ndate: \"2024-11-07\"\r\nlanguage: en\r\nsummary: S\r\n";
    let d = decode_statement(yaml.as_bytes(), Path::new("c.yaml")).unwrap();
    assert_eq!(d.record.summary.as_deref(), Some("S"));
}

// ---------------------------------------------------------------------------------------
// The schema tables and record.rs cannot drift apart

mod schema_matches_the_record_types {
    use super::super::schema::{Field, Shape, ANNOTATION, INITIATIVE, SETTINGS, STATEMENT};
    use super::*;
    use crate::record::{Initiative, Kind, Lists, Quote, Source, Speaker, Stage, StoreSettings};
    use serde_json::Value;

    // Every field is given (no `..Default::default()`): a field added to a record type
    // fails to compile here until it is added, and then fails the checks below until the
    // schema table has it too.
    fn full_statement() -> Statement {
        Statement {
            id: "2024-11-07-x".into(),
            initiative: "cis-2030".into(),
            date: "2024-11-07".into(),
            kind: Some(Kind::Speech),
            stage: Some(Stage::Drafting),
            speaker: Some(Speaker {
                name: "Sergei Lebedev".into(),
                role: Some("CIS Secretary General".into()),
            }),
            venue: Some("Moscow".into()),
            language: "ru".into(),
            text: Some("Текст.\nВторая строка.\n".into()),
            translations: [("en".to_string(), "Text.\n".to_string())].into(),
            summary: Some("A summary.".into()),
            priorities: vec![Item {
                key: Some("air-defence".into()),
                text: "Joint air defence".into(),
                translations: [("ru".to_string(), "Объединённая ПВО".to_string())].into(),
                same_as: vec!["2024-01-01-x#2".into()],
                not_same_as: vec!["2024-01-01-x#3".into()],
            }],
            principles: vec![Item {
                key: Some("equality".into()),
                text: "Equality".into(),
                translations: [("ru".to_string(), "Равенство".to_string())].into(),
                same_as: vec!["2024-01-01-x#equality".into()],
                not_same_as: vec!["2024-01-01-x#1".into()],
            }],
            lists: Some(Lists::Partial),
            quotes: vec![Quote {
                text: "Вторая строка".into(),
                speaker: Some("Sergei Lebedev".into()),
            }],
            source: Some(Source {
                outlet: Some("TASS".into()),
                title: Some("Заголовок".into()),
                title_translations: [("en".to_string(), "Headline".to_string())].into(),
                url: Some("https://tass.ru/x".into()),
                published: Some("2024-11-07".into()),
                retrieved: Some("2024-11-08".into()),
                document: Some("seeds/x.txt".into()),
                sha256: Some("ab".repeat(32)),
            }),
            tags: vec!["military".into()],
            notes: Some("Notes.".into()),
        }
    }

    fn full_initiative() -> Initiative {
        Initiative {
            id: "cis-2030".into(),
            title: "Concept".into(),
            organization: Some("CIS".into()),
            horizon: Some(2030),
            status: Some(Stage::Adopted),
            supersedes: Some("cis-2025".into()),
            tags: vec!["military".into()],
            summary: Some("One paragraph.".into()),
        }
    }

    fn full_settings() -> StoreSettings {
        StoreSettings {
            format: 1,
            default_language: Some("en".into()),
            match_threshold: Some(0.5),
            match_margin: Some(0.05),
            synonyms: vec![vec!["integral".into(), "unified".into()]],
        }
    }

    /// The problems with `value` (a fully populated record's serde form) against `fields`:
    /// a serialized field the schema lacks, a schema field the record lacks, another order.
    fn compare(path: &str, value: &Value, fields: &[Field], out: &mut Vec<String>) {
        let Value::Object(map) = value else {
            out.push(format!("{path}: the record's form is not a mapping"));
            return;
        };
        let record: Vec<&str> = map.keys().map(String::as_str).collect();
        let schema: Vec<&str> = fields.iter().map(|f| f.name).collect();
        if record != schema {
            out.push(format!(
                "{path}: record.rs writes {record:?}, the schema has {schema:?}"
            ));
        }
        for field in fields {
            let p = if path.is_empty() {
                field.name.to_string()
            } else {
                format!("{path}.{}", field.name)
            };
            let Some(v) = map.get(field.name) else {
                continue;
            };
            let ok = match field.shape {
                Shape::Text => v.is_string(),
                Shape::Int => v.is_u64() || v.is_i64(),
                Shape::Fraction => v.is_f64(),
                Shape::Texts => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
                Shape::TextGroups => v.as_array().is_some_and(|a| {
                    a.iter()
                        .all(|g| g.as_array().is_some_and(|g| g.iter().all(Value::is_string)))
                }),
                Shape::LangMap => v
                    .as_object()
                    .is_some_and(|m| m.values().all(Value::is_string)),
                Shape::Items | Shape::Quotes => {
                    let inner = if matches!(field.shape, Shape::Items) {
                        super::super::schema::ITEM
                    } else {
                        super::super::schema::QUOTE
                    };
                    for (i, item) in v.as_array().into_iter().flatten().enumerate() {
                        compare(&format!("{p}[{}]", i + 1), item, inner, out);
                    }
                    v.is_array()
                }
                Shape::Object(inner) => {
                    compare(&p, v, inner, out);
                    true
                }
            };
            if !ok {
                out.push(format!("{p}: the schema's shape does not fit {v}"));
            }
        }
    }

    /// The fields a record always writes are the schema's required ones.
    fn required(value: &Value, fields: &[Field]) -> Vec<String> {
        let written: Vec<&str> = value
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let required: Vec<&str> = fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name)
            .collect();
        if written == required {
            Vec::new()
        } else {
            vec![format!(
                "an empty record writes {written:?}, the schema requires {required:?}"
            )]
        }
    }

    #[test]
    fn statement() {
        let full = full_statement();
        let mut problems = Vec::new();
        compare(
            "",
            &serde_json::to_value(&full).unwrap(),
            STATEMENT,
            &mut problems,
        );
        problems.extend(required(
            &serde_json::to_value(Statement::default()).unwrap(),
            STATEMENT,
        ));
        assert!(problems.is_empty(), "{problems:#?}");
        assert_eq!(roundtrip(&full), full);
    }

    #[test]
    fn initiative() {
        let full = full_initiative();
        let mut problems = Vec::new();
        compare(
            "",
            &serde_json::to_value(&full).unwrap(),
            INITIATIVE,
            &mut problems,
        );
        let empty = Initiative {
            id: String::new(),
            title: String::new(),
            organization: None,
            horizon: None,
            status: None,
            supersedes: None,
            tags: Vec::new(),
            summary: None,
        };
        problems.extend(required(&serde_json::to_value(empty).unwrap(), INITIATIVE));
        assert!(problems.is_empty(), "{problems:#?}");
        let yaml = encode(&full);
        let back = decode_initiative(yaml.as_bytes(), Path::new("i.yaml")).map(|d| d.record);
        assert_eq!(back, Ok(full));
    }

    #[test]
    fn settings() {
        let full = full_settings();
        let mut problems = Vec::new();
        compare(
            "",
            &serde_json::to_value(&full).unwrap(),
            SETTINGS,
            &mut problems,
        );
        problems.extend(required(
            &serde_json::to_value(StoreSettings::default()).unwrap(),
            SETTINGS,
        ));
        assert!(problems.is_empty(), "{problems:#?}");
        let yaml = encode(&full);
        assert_eq!(
            decode_settings(yaml.as_bytes(), Path::new("d.yaml")),
            Ok(full)
        );
    }

    #[test]
    fn annotation() {
        use crate::annotation::{Annotation, Assessment, ChangeTarget, ItemTarget, Section};
        // Both targets, so that every field is written (the rules allow only one).
        let full = Annotation {
            id: "2026-01-02-3f2a9c1b".into(),
            statement: "cis-2030/2025-10-10-x".into(),
            blob: "a".repeat(40),
            item: Some(ItemTarget {
                section: Section::Priorities,
                rank: 2,
                key: Some("radar".into()),
                text: "Radar".into(),
            }),
            change: Some(ChangeTarget {
                id: "priorities:2".into(),
                from: "cis-2030/2025-09-24-y@".to_string() + &"c".repeat(40),
                from_blob: "b".repeat(40),
                status: "reworded".into(),
                before: Some("Joint radar".into()),
                after: Some("Radar".into()),
            }),
            assessment: Some(Assessment::Disputed),
            tags: vec!["radar".into()],
            note: "Only one report.\nSecond line.".into(),
            author: Some("Ada Analyst".into()),
            date: "2026-01-02".into(),
        };
        let mut problems = Vec::new();
        compare(
            "",
            &serde_json::to_value(&full).unwrap(),
            ANNOTATION,
            &mut problems,
        );
        assert!(problems.is_empty(), "{problems:#?}");
        let yaml = encode(&full);
        let back =
            super::super::decode_annotation(yaml.as_bytes(), Path::new("a.yaml")).map(|d| d.record);
        assert_eq!(back, Ok(full));
    }

    #[test]
    fn the_comparison_catches_drift() {
        // The check itself, on a planted mismatch: a field the schema lacks, one it has
        // that the record does not write, and a shape that does not fit.
        let mut value = serde_json::to_value(full_settings()).unwrap();
        value["format"] = Value::String("1".into());
        value["colour"] = Value::Bool(true);
        let mut problems = Vec::new();
        compare("", &value, &SETTINGS[..2], &mut problems);
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].contains("\"colour\""), "{problems:#?}");
        assert!(
            problems[1].starts_with("format: the schema's shape"),
            "{problems:#?}"
        );
    }
}

#[test]
fn encode_is_its_fields_in_turn() {
    let st = sample();
    let whole: String = crate::merge::FIELDS
        .iter()
        .map(|f| encode_field(&st, f))
        .collect();
    assert_eq!(whole, encode(&st));
}

#[test]
fn conflict_markers_are_an_unsettled_merge_naming_the_fields() {
    let text = "id: 2025-01-01-x\ninitiative: cis\n<<<<<<< ours\nsummary: a\n||||||| base\nsummary: b\n=======\nsummary: c\n>>>>>>> theirs\ndate: \"2025-01-01\"\nlanguage: en\n";
    let p = decode_statement(text.as_bytes(), std::path::Path::new("x.yaml")).unwrap_err();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].field, UNSETTLED);
    assert!(p[0].message.contains("`summary`"), "{}", p[0].message);
    assert_eq!(p[0].location.to_string(), "x.yaml:3:1");
}
