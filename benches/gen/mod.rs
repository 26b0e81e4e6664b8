//! A generator of realistic stores for benchmarks: N statements across a number of
//! initiatives, multilingual texts of 200 to 2,000 words, priorities and principles, and
//! one commit per statement, as a team's history would have. It writes one
//! `git fast-import` stream (no CLI run per statement), then checks the work tree out.
//!
//! Shared by `benches/scale.rs` and the small-N test in `tests/cli/scale.rs`.

#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use dossier::record::{Initiative, Item, Kind, Quote, Source, Speaker, Stage, Statement};
use dossier::store::codec;

/// A small deterministic generator (xorshift64*), so stores are the same on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

const EN: &[&str] = &[
    "cooperation",
    "security",
    "defence",
    "joint",
    "system",
    "air",
    "member",
    "states",
    "military",
    "priority",
    "development",
    "training",
    "forces",
    "concept",
    "medium",
    "term",
    "regional",
    "stability",
    "trust",
    "mutual",
    "programme",
    "exercises",
    "communications",
    "control",
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "for",
    "with",
    "on",
    "is",
    "will",
    "be",
];
const RU: &[&str] = &[
    "сотрудничество",
    "безопасность",
    "оборона",
    "совместной",
    "системы",
    "противовоздушной",
    "государств",
    "участников",
    "военного",
    "приоритет",
    "развитие",
    "подготовки",
    "сил",
    "концепции",
    "среднесрочной",
    "перспективе",
    "региональной",
    "стабильности",
    "доверия",
    "и",
    "в",
    "на",
    "с",
    "по",
    "для",
    "что",
    "это",
];
const AR: &[&str] = &[
    "التعاون",
    "الأمن",
    "الدفاع",
    "المشترك",
    "نظام",
    "الجوي",
    "الدول",
    "الأعضاء",
    "العسكري",
    "أولويات",
    "تطوير",
    "التدريب",
    "القوات",
    "مفهوم",
    "المدى",
    "المتوسط",
    "الإقليمي",
    "الاستقرار",
    "الثقة",
    "المتبادلة",
    "في",
    "من",
    "على",
    "إلى",
    "مع",
];
const NAMES: &[&str] = &[
    "Sergei Lebedev",
    "Yury Dashkin",
    "Valery Gerasimov",
    "Anna Petrova",
    "Omar Haddad",
];
const OUTLETS: &[&str] = &["TASS", "BelTA", "Kazinform", "RIA Novosti", "Sputnik"];

fn sentence(rng: &mut Rng, words: &[&str], n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(words));
    }
    s.push('.');
    s
}

/// A text of `words` words in paragraphs of a few sentences.
pub fn text(rng: &mut Rng, vocab: &[&str], words: usize) -> String {
    let mut out = String::new();
    let mut left = words;
    while left > 0 {
        for _ in 0..(3 + rng.below(4)) {
            let n = (6 + rng.below(14)).min(left);
            if n == 0 {
                break;
            }
            if !out.is_empty() && !out.ends_with('\n') {
                out.push(' ');
            }
            out.push_str(&sentence(rng, vocab, n));
            left -= n;
        }
        out.push_str("\n\n");
    }
    out.trim_end().to_string() + "\n"
}

/// The initiative ids of a generated store.
pub fn initiative_id(i: usize) -> String {
    format!("initiative-{i:03}")
}

/// Builds a statement like an analyst's: the i-th of the store.
/// The first 200 statements go to `initiative-000` (a long-running initiative, for
/// timelines); the others are spread over the rest.
pub fn statement(rng: &mut Rng, i: usize, initiatives: usize) -> Statement {
    let ini = if i < 200 || initiatives < 2 {
        initiative_id(0)
    } else {
        initiative_id(1 + i % (initiatives - 1))
    };
    let (lang, vocab) = match rng.below(3) {
        0 => ("en", EN),
        1 => ("ru", RU),
        _ => ("ar", AR),
    };
    let year = 2000 + (i * 7 / initiatives.max(1)) % 26;
    let date = format!(
        "{year:04}-{:02}-{:02}",
        1 + rng.below(12),
        1 + rng.below(28)
    );
    let words = 200 + rng.below(1801);
    let mut body = text(rng, vocab, words);
    mark(&mut body, i);
    let priorities = (0..rng.below(7))
        .map(|k| {
            let key = (rng.below(2) == 0).then(|| format!("priority-{k}"));
            let n = 4 + rng.below(6);
            Item {
                key,
                text: sentence(rng, EN, n),
                ..Item::default()
            }
        })
        .collect();
    let principles = (0..rng.below(6))
        .map(|_| {
            let n = 5 + rng.below(8);
            Item::new(sentence(rng, EN, n))
        })
        .collect();
    Statement {
        id: format!("{date}-statement-{i:05}"),
        initiative: ini,
        date,
        kind: Some(Kind::Speech),
        stage: Some(Stage::Drafting),
        speaker: Some(Speaker {
            name: rng.pick(NAMES).to_string(),
            role: Some("Secretary General".into()),
        }),
        venue: Some("Meeting of the council, Moscow".into()),
        language: lang.into(),
        text: Some(body),
        summary: Some(sentence(rng, EN, 20)),
        priorities,
        principles,
        source: Some(Source {
            outlet: Some(rng.pick(OUTLETS).to_string()),
            url: Some(format!("https://example.org/news/{i}")),
            published: None,
            retrieved: None,
            document: None,
            sha256: None,
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// The phrase one record in a thousand carries, for `trace`'s rare-phrase benchmark.
pub const RARE_PHRASE: &str = "hypersonic shield programme";
/// The word every third record carries, for `trace`'s common-word benchmark.
pub const COMMON_WORD: &str = "interoperability";

/// Adds the benchmark's marker phrases to the i-th record's text (no random draws, so
/// the rest of the store is the same with or without them).
fn mark(body: &mut String, i: usize) {
    if i % 1000 == 7 {
        body.push_str("\nThe joint hypersonic shield programme was named.\n");
    }
    if i % 3 == 0 {
        body.push_str("\nInteroperability of the forces was discussed.\n");
    }
}

/// The shape of a generated store's records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// 200 to 2,000 words in one language, a summary, up to 6 priorities and 5
    /// principles, no quotes, no source documents (the store of the first benchmarks).
    Short,
    /// 800 to 4,000 words with paragraphs in other languages, a vocabulary of thousands
    /// of words (so most phrases are rare), an English translation for half of the
    /// non-English records, 5 priorities and 3 principles, 4 quotes to verify (from the
    /// text, across a line break, from the translation and from the source document
    /// only), and a source document under `sources/` with its sha256.
    Long,
}

/// A larger vocabulary for the long shape: the base words first (the most frequent),
/// then made-up words from the language's letters, drawn with a Zipf-like skew.
fn vocabulary(base: &[&str], letters: &[&str], seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let mut out: Vec<String> = base.iter().map(|w| w.to_string()).collect();
    while out.len() < 4000 {
        let n = 2 + rng.below(4);
        let w: String = (0..n).map(|_| rng.pick(letters)).collect();
        out.push(w);
    }
    out
}

struct Vocabularies {
    en: Vec<String>,
    ru: Vec<String>,
    ar: Vec<String>,
}

fn vocabularies() -> &'static Vocabularies {
    static V: std::sync::OnceLock<Vocabularies> = std::sync::OnceLock::new();
    V.get_or_init(|| Vocabularies {
        en: vocabulary(
            EN,
            &[
                "ra", "te", "mi", "con", "st", "ver", "al", "po", "ling", "de", "ex", "un",
            ],
            11,
        ),
        ru: vocabulary(
            RU,
            &[
                "ра", "то", "ми", "ско", "ст", "вер", "ал", "по", "ние", "де", "ов", "ий",
            ],
            12,
        ),
        ar: vocabulary(
            AR,
            &["ال", "م", "ت", "س", "ك", "ر", "ن", "ي", "ة", "و", "ع", "ق"],
            13,
        ),
    })
}

/// A text of about `words` words from a skewed vocabulary, in paragraphs.
fn zipf_text(rng: &mut Rng, vocab: &[String], words: usize) -> String {
    let mut out = String::new();
    let mut left = words;
    while left > 0 {
        for _ in 0..(3 + rng.below(4)) {
            let n = (6 + rng.below(14)).min(left);
            if n == 0 {
                break;
            }
            if !out.is_empty() && !out.ends_with('\n') {
                out.push(' ');
            }
            for k in 0..n {
                if k > 0 {
                    out.push(' ');
                }
                // Log-uniform rank: a few words are everywhere, most are rare.
                let u = (rng.next() % 1_000_000) as f64 / 1_000_000.0;
                let rank = ((vocab.len() as f64).powf(u) as usize).saturating_sub(1);
                out.push_str(&vocab[rank.min(vocab.len() - 1)]);
            }
            out.push('.');
            left -= n;
        }
        out.push_str("\n\n");
    }
    out.trim_end().to_string() + "\n"
}

/// About `n` words cut from a sentence of `text`, at word boundaries (a quote).
fn cut_quote(rng: &mut Rng, text: &str, n: usize) -> String {
    let sentences: Vec<&str> = text
        .split(['.', '\n'])
        .map(str::trim)
        .filter(|s| s.split_whitespace().count() >= n)
        .collect();
    if sentences.is_empty() {
        return text
            .split_whitespace()
            .take(n)
            .collect::<Vec<_>>()
            .join(" ");
    }
    let s = sentences[rng.below(sentences.len())];
    let words: Vec<&str> = s.split_whitespace().collect();
    let start = rng.below(words.len() - n + 1);
    words[start..start + n].join(" ")
}

/// The long shape's i-th statement and its source document (path, bytes).
pub fn long_statement(rng: &mut Rng, i: usize, initiatives: usize) -> (Statement, String, Vec<u8>) {
    let mut st = statement(rng, i, initiatives);
    let v = vocabularies();
    let (own, others): (&[String], [&[String]; 2]) = match st.language.as_str() {
        "en" => (&v.en, [&v.ru, &v.ar]),
        "ru" => (&v.ru, [&v.en, &v.ar]),
        _ => (&v.ar, [&v.en, &v.ru]),
    };
    let words = 800 + rng.below(3201);
    let mut body = String::new();
    let mut left = words;
    while left > 0 {
        let n = (80 + rng.below(200)).min(left);
        let vocab = match rng.below(6) {
            0 => others[0],
            1 => others[1],
            _ => own,
        };
        body.push_str(&zipf_text(rng, vocab, n));
        body.push('\n');
        left -= n;
    }
    mark(&mut body, i);
    st.priorities = (0..5)
        .map(|k| {
            let n = 4 + rng.below(8);
            Item {
                key: (k % 2 == 0).then(|| format!("priority-{k}")),
                text: zipf_text(rng, &v.en, n).trim_end().to_string(),
                ..Item::default()
            }
        })
        .collect();
    st.principles = (0..3)
        .map(|_| {
            let n = 5 + rng.below(8);
            Item::new(zipf_text(rng, &v.en, n).trim_end())
        })
        .collect();
    if st.language != "en" && rng.below(2) == 0 {
        let tr = zipf_text(rng, &v.en, words / 2);
        st.translations.insert("en".into(), tr);
    }
    let extra = zipf_text(rng, own, 60);
    let (a, b, c, d) = (
        8 + rng.below(8),
        6 + rng.below(6),
        8 + rng.below(6),
        8 + rng.below(6),
    );
    let mut quotes = vec![
        cut_quote(rng, &body, a),
        // Across a line break in the text: matched with white space runs as one space.
        cut_quote(rng, &body, b).replacen(' ', "\n", 1),
    ];
    if let Some(tr) = st.translations.get("en") {
        quotes.push(cut_quote(rng, tr, c));
    }
    quotes.push(cut_quote(rng, &extra, d));
    st.quotes = quotes
        .into_iter()
        .map(|text| Quote {
            text,
            speaker: None,
        })
        .collect();
    let document = format!(
        "Home | News | Contacts | Login\n\n{}\n\n{}\n{}\n(c) {} 2025. All rights reserved.\n",
        st.summary.clone().unwrap_or_default(),
        body,
        extra,
        st.source
            .as_ref()
            .and_then(|s| s.outlet.clone())
            .unwrap_or_default()
    )
    .into_bytes();
    let path = format!("sources/{}.txt", st.id);
    if let Some(src) = st.source.as_mut() {
        src.document = Some(path.clone());
        src.sha256 = Some(dossier::store::sha256_hex(&document));
    }
    st.text = Some(body);
    (st, path, document)
}

fn data(stream: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    writeln!(stream, "data {}", bytes.len())?;
    stream.write_all(bytes)?;
    writeln!(stream)
}

/// Creates a store of `statements` statements across `initiatives` initiatives in `dir`
/// (a new git repository whose root is the store), one commit per record.
pub fn generate(
    dir: &Path,
    statements: usize,
    initiatives: usize,
    seed: u64,
) -> std::io::Result<()> {
    generate_shaped(dir, statements, initiatives, seed, Shape::Short)
}

/// [`generate`] with records of the given shape (the long shape's source documents are
/// committed with their record, in the same commit).
pub fn generate_shaped(
    dir: &Path,
    statements: usize,
    initiatives: usize,
    seed: u64,
    shape: Shape,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let git = |args: &[&str]| -> std::io::Result<()> {
        let ok = Command::new("git")
            .args(args)
            .current_dir(dir)
            .status()?
            .success();
        if ok {
            Ok(())
        } else {
            Err(std::io::Error::other(format!("git {args:?} failed")))
        }
    };
    git(&["init", "-q", "-b", "main"])?;
    let mut child = Command::new("git")
        .args(["fast-import", "--quiet", "--done"])
        .current_dir(dir)
        .stdin(Stdio::piped())
        .spawn()?;
    {
        let mut s = std::io::BufWriter::new(child.stdin.take().expect("piped stdin"));
        let mut rng = Rng::new(seed);
        let mut time = 1_600_000_000u64;
        let mut commit = |s: &mut std::io::BufWriter<_>,
                          files: &[(&str, &[u8])],
                          msg: &str|
         -> std::io::Result<()> {
            time += 3600;
            writeln!(s, "commit refs/heads/main")?;
            writeln!(s, "author Bench Analyst <bench@example.org> {time} +0000")?;
            writeln!(
                s,
                "committer Bench Analyst <bench@example.org> {time} +0000"
            )?;
            // After the first commit, fast-import continues the branch by itself.
            data(s, msg.as_bytes())?;
            for (path, body) in files {
                writeln!(s, "M 100644 inline {path}")?;
                data(s, body)?;
            }
            Ok(())
        };
        let settings = codec::encode(&dossier::record::StoreSettings::default());
        commit(
            &mut s,
            &[("dossier.yaml", settings.as_bytes())],
            "init dossier store",
        )?;
        for i in 0..initiatives {
            let ini = Initiative {
                id: initiative_id(i),
                title: format!("Generated initiative {i}"),
                organization: Some("CIS".into()),
                horizon: Some(2030),
                status: Some(Stage::Drafting),
                supersedes: None,
                tags: vec![],
                summary: None,
            };
            let path = format!("{}/initiative.yaml", ini.id);
            commit(
                &mut s,
                &[(&path, codec::encode(&ini).as_bytes())],
                &format!("add initiative {}", ini.id),
            )?;
        }
        for i in 0..statements {
            let (st, doc) = match shape {
                Shape::Short => (statement(&mut rng, i, initiatives), None),
                Shape::Long => {
                    let (st, path, bytes) = long_statement(&mut rng, i, initiatives);
                    (st, Some((path, bytes)))
                }
            };
            let path = format!("{}/statements/{}.yaml", st.initiative, st.id);
            let body = codec::encode(&st);
            let mut files: Vec<(&str, &[u8])> = vec![(&path, body.as_bytes())];
            if let Some((p, b)) = &doc {
                files.push((p, b));
            }
            commit(&mut s, &files, &format!("record {}", st.reference()))?;
        }
        writeln!(s, "done")?;
        s.flush()?;
    }
    if !child.wait()?.success() {
        return Err(std::io::Error::other("git fast-import failed"));
    }
    git(&["checkout", "-q", "-f", "main"])?;
    Ok(())
}
