//! Wording diff against `git diff --no-index --word-diff=porcelain`, side by side.
//!
//! Run with `cargo bench --bench wording`. Pairs: GFDL 1.2 vs 1.3, GPL-2 vs 3, LGPL-2.1
//! vs 3 and MPL-1.1 vs 2.0 (from /usr/share/common-licenses, skipped when missing; wdiff's
//! count too, `?` without wdiff) and generated texts of about 50,000 and
//! 500,000 words (fixed seed: Russian, Arabic and English paragraphs, ~2% of sentences
//! edited, a few paragraphs moved). For each pair it prints the median time of several runs
//! of each tool (alternating), their ratio, the changed words each reports and each one's
//! peak memory (maximum resident set of a process doing one diff). Ours is timed in process,
//! reading both files included; git's time includes starting the process.
// Test and bench code sets up stores, servers and processes: clippy.toml's lists are
// for the library and the binary.
#![allow(
    clippy::disallowed_types,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use dossier::diff::diff_text;

#[path = "../tests/support/word_counts.rs"]
mod word_counts;

const CHILD_ENV: &str = "DOSSIER_WORDING_BENCH_CHILD";

fn main() {
    if std::env::var_os(CHILD_ENV).is_some() {
        child();
        return;
    }
    let temp = tempfile::tempdir().expect("a temporary directory");
    // DOSSIER_WORDING_BENCH_DIR keeps the generated texts, e.g. to try other tools on them.
    let dir = std::env::var_os("DOSSIER_WORDING_BENCH_DIR")
        .map_or_else(|| temp.path().to_owned(), std::path::PathBuf::from);
    let mut pairs = Vec::new();
    let licenses = Path::new("/usr/share/common-licenses");
    for (from, to, name) in [
        ("GFDL-1.2", "GFDL-1.3", "GFDL-1.2 → GFDL-1.3"),
        ("GPL-2", "GPL-3", "GPL-2 → GPL-3"),
        ("LGPL-2.1", "LGPL-3", "LGPL-2.1 → LGPL-3"),
        ("MPL-1.1", "MPL-2.0", "MPL-1.1 → MPL-2.0"),
    ] {
        if licenses.join(from).exists() && licenses.join(to).exists() {
            pairs.push((name, licenses.join(from), licenses.join(to), 9));
        } else {
            println!("{name}: skipped, not in {}", licenses.display());
        }
    }
    for (name, words, runs) in [
        ("generated 50k words", 50_000, 9),
        ("generated 500k words", 500_000, 5),
    ] {
        let (old, new) = generate(words, 0x5eed_d055_1e55);
        let old_path = dir.join(format!("{words}-old.txt"));
        let new_path = dir.join(format!("{words}-new.txt"));
        std::fs::write(&old_path, old).expect("write");
        std::fs::write(&new_path, new).expect("write");
        pairs.push((name, old_path, new_path, runs));
    }

    println!(
        "{:<22} {:>8} {:>10} {:>10} {:>7} {:>13} {:>13} {:>13} {:>10} {:>10}",
        "pair",
        "words",
        "ours ms",
        "git ms",
        "ratio",
        "ours changed",
        "git changed",
        "wdiff changed",
        "ours MiB",
        "git MiB"
    );
    for (name, old_path, new_path, runs) in pairs {
        let words = std::fs::read_to_string(&old_path)
            .expect("read")
            .split_whitespace()
            .count();

        // Alternate the two, so that noise from other work on the machine hits both alike.
        let (mut ours, mut git) = (Vec::new(), Vec::new());
        let (mut ours_changed, mut git_changed, mut coarse) = (0, 0, false);
        for _ in 0..runs {
            let start = Instant::now();
            // Read the files too, as git does.
            let old = std::fs::read_to_string(&old_path).expect("read");
            let new = std::fs::read_to_string(&new_path).expect("read");
            let d = diff_text(&old, &new, false, start.checked_add(Duration::from_secs(2)));
            ours.push(start.elapsed());
            ours_changed = d.words_added + d.words_removed;
            coarse |= d.coarse;

            let start = Instant::now();
            let out = git_word_diff(&old_path, &new_path);
            git.push(start.elapsed());
            git_changed = word_counts::porcelain_changed_words(&out);
        }
        let (ours, git) = (median(ours), median(git));
        println!(
            "{:<22} {:>8} {:>10.1} {:>10.1} {:>7.2} {:>13} {:>13} {:>13} {:>10} {:>10}{}",
            name,
            words,
            ms(ours),
            ms(git),
            ours.as_secs_f64() / git.as_secs_f64(),
            ours_changed,
            git_changed,
            wdiff_changed(&old_path, &new_path),
            peak_mib_ours(&old_path, &new_path),
            peak_mib_git(&old_path, &new_path),
            if coarse {
                "  (deadline hit: coarse)"
            } else {
                ""
            },
        );
    }
}

fn git_word_diff(old: &Path, new: &Path) -> String {
    let out = Command::new("git")
        .args(["diff", "--no-index", "--no-color", "--word-diff=porcelain"])
        .arg(old)
        .arg(new)
        .output()
        .expect("git runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Words of each file not in common, from `wdiff -s`; `?` when wdiff is missing.
fn wdiff_changed(old: &Path, new: &Path) -> String {
    let Ok(out) = Command::new("wdiff")
        .args(["-s", "-1", "-2", "-3"])
        .arg(old)
        .arg(new)
        .output()
    else {
        return "?".into();
    };
    word_counts::wdiff_changed_words(&String::from_utf8_lossy(&out.stdout))
        .map_or_else(|| "?".into(), |n| n.to_string())
}

/// In a child process: one diff, then print the peak resident set in KiB.
fn child() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(old), Some(new)) = (args.get(1), args.get(2)) else {
        return;
    };
    let old = std::fs::read_to_string(old).expect("read");
    let new = std::fs::read_to_string(new).expect("read");
    let d = diff_text(
        &old,
        &new,
        false,
        Instant::now().checked_add(Duration::from_secs(2)),
    );
    std::hint::black_box(d);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .unwrap_or("0");
    print!("{peak}");
}

fn peak_mib_ours(old: &Path, new: &Path) -> String {
    let Ok(exe) = std::env::current_exe() else {
        return "?".into();
    };
    let out = Command::new(exe)
        .env(CHILD_ENV, "1")
        .arg(old)
        .arg(new)
        .output();
    kib_to_mib(
        out.ok()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned()),
    )
}

fn peak_mib_git(old: &Path, new: &Path) -> String {
    let out = Command::new("/usr/bin/time")
        .args([
            "-f",
            "%M",
            "git",
            "diff",
            "--no-index",
            "--no-color",
            "--word-diff=porcelain",
        ])
        .arg(old)
        .arg(new)
        .output();
    kib_to_mib(out.ok().and_then(|o| {
        String::from_utf8_lossy(&o.stderr)
            .lines()
            .last()
            .map(str::to_owned)
    }))
}

fn kib_to_mib(kib: Option<String>) -> String {
    kib.and_then(|k| k.trim().parse::<f64>().ok())
        .map_or("?".into(), |k| format!("{:.1}", k / 1024.0))
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// SplitMix64: a small, fixed, dependency-free generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, words: &[&'a str]) -> &'a str {
        words[self.below(words.len())]
    }
}

const RUSSIAN: &str = "военное сотрудничество государств участников содружества независимых \
    государств концепция развития до года стороны считают приоритетным направлением укрепление \
    объединённой системы противовоздушной обороны совместные учения подготовка кадров военных \
    вузах обмен информацией миротворческой деятельности коллективной безопасности министры \
    обороны совет рассмотрел проект плана мероприятий реализации первого этапа будет \
    осуществляться поэтапно с учётом национального законодательства общих угроз вызовов \
    терроризма экстремизма информационной сфере военно-техническое взаимодействие";
const ARABIC: &str = "التعاون العسكري بين الدول الأعضاء في رابطة الدول المستقلة مفهوم تطوير \
    حتى عام تعتبر الأطراف أن الأولوية هي تعزيز المنظومة الموحدة للدفاع الجوي التدريبات المشتركة \
    إعداد الكوادر في المعاهد العسكرية تبادل المعلومات أنشطة حفظ السلام الأمن الجماعي وزراء الدفاع \
    المجلس نظر في مشروع خطة التنفيذ المرحلة الأولى سيتم على مراحل مع مراعاة التشريعات الوطنية \
    التهديدات المشتركة الإرهاب التطرف المجال المعلوماتي";
const ENGLISH: &str = "military cooperation between the member states of the commonwealth of \
    independent states concept development until year parties consider priority strengthening \
    the joint air defence system exercises training of personnel in military academies exchange \
    of information peacekeeping activities collective security ministers of defence council \
    considered draft plan implementation first stage will be carried out gradually taking into \
    account national legislation common threats terrorism extremism information sphere";

/// An old and a new text of about `words` words: paragraphs on one line each, blank lines
/// between; in the new text ~2% of sentences edited and a few paragraphs moved.
fn generate(words: usize, seed: u64) -> (String, String) {
    let mut rng = Rng(seed);
    let vocab: [Vec<&str>; 3] = [RUSSIAN, ARABIC, ENGLISH].map(|v| v.split_whitespace().collect());
    let mut old_paragraphs: Vec<Vec<Vec<&str>>> = Vec::new();
    let mut count = 0;
    while count < words {
        let lang = rng.below(3);
        let mut paragraph = Vec::new();
        for _ in 0..3 + rng.below(6) {
            let sentence: Vec<&str> = (0..8 + rng.below(13))
                .map(|_| rng.pick(&vocab[lang]))
                .collect();
            count += sentence.len();
            paragraph.push(sentence);
        }
        old_paragraphs.push(paragraph);
    }
    let mut new_paragraphs = old_paragraphs.clone();
    for paragraph in &mut new_paragraphs {
        for sentence in paragraph.iter_mut() {
            if rng.below(50) != 0 {
                continue;
            }
            let lang_vocab = &vocab[rng.below(3)];
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(sentence.len());
                match rng.below(3) {
                    0 => sentence[at] = rng.pick(lang_vocab),
                    1 => sentence.insert(at, rng.pick(lang_vocab)),
                    _ if sentence.len() > 2 => {
                        sentence.remove(at);
                    }
                    _ => {}
                }
            }
        }
    }
    for _ in 0..3 {
        let from = rng.below(new_paragraphs.len());
        let paragraph = new_paragraphs.remove(from);
        let to = rng.below(new_paragraphs.len() + 1);
        new_paragraphs.insert(to, paragraph);
    }
    (render(&old_paragraphs), render(&new_paragraphs))
}

fn render(paragraphs: &[Vec<Vec<&str>>]) -> String {
    let mut out = String::new();
    for paragraph in paragraphs {
        for (i, sentence) in paragraph.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let arabic = sentence
                .first()
                .is_some_and(|w| w.chars().any(|c| ('\u{600}'..'\u{700}').contains(&c)));
            let mut words = sentence.iter();
            if let Some(first) = words.next() {
                let mut chars = first.chars();
                out.extend(chars.next().into_iter().flat_map(char::to_uppercase));
                out.push_str(chars.as_str());
            }
            for (k, word) in words.enumerate() {
                out.push_str(if k % 7 == 6 {
                    if arabic {
                        "، "
                    } else {
                        ", "
                    }
                } else {
                    " "
                });
                out.push_str(word);
            }
            out.push('.');
        }
        out.push_str("\n\n");
    }
    out
}
