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

use dossier::record::{Initiative, Item, Kind, Source, Speaker, Stage, Statement};
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
    let priorities = (0..rng.below(7))
        .map(|k| {
            let key = (rng.below(2) == 0).then(|| format!("priority-{k}"));
            let n = 4 + rng.below(6);
            Item {
                key,
                text: sentence(rng, EN, n),
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
        text: Some(text(rng, vocab, words)),
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
                          path: &str,
                          body: &[u8],
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
            writeln!(s, "M 100644 inline {path}")?;
            data(s, body)
        };
        let settings = codec::encode(&dossier::record::StoreSettings::default());
        commit(
            &mut s,
            "dossier.yaml",
            settings.as_bytes(),
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
                &path,
                codec::encode(&ini).as_bytes(),
                &format!("add initiative {}", ini.id),
            )?;
        }
        for i in 0..statements {
            let st = statement(&mut rng, i, initiatives);
            let path = format!("{}/statements/{}.yaml", st.initiative, st.id);
            commit(
                &mut s,
                &path,
                codec::encode(&st).as_bytes(),
                &format!("record {}", st.reference()),
            )?;
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
