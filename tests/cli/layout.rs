//! Layout-only differences in the wording: a copy re-wrapped, with CRLF line ends, runs of
//! spaces, no-break spaces and trailing whitespace, plus one real edit, shows only the
//! edit (no `<U+000D>`, no page of unchanged text); `--strict` still shows the layout.

use crate::common::{run, Env};

fn paragraph(k: usize) -> String {
    (0..60)
        .map(|i| format!("word{k}x{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_rewrapped_crlf_copy_shows_only_its_real_edit() {
    let env = Env::new();
    let store = env.store("s");
    let paras: Vec<String> = (0..12).map(paragraph).collect();
    // The old text: each paragraph wrapped at 8 words a line, LF.
    let wrap = |p: &str, n: usize, end: &str, pad: &str| {
        p.split(' ')
            .collect::<Vec<_>>()
            .chunks(n)
            .map(|c| c.join(pad))
            .collect::<Vec<_>>()
            .join(&format!(" {end}"))
    };
    let old: String = paras
        .iter()
        .map(|p| wrap(p, 8, "\n", " "))
        .collect::<Vec<_>>()
        .join("\n\n");
    // The new one: wrapped at 11 words, CRLF, double spaces and NBSP, trailing spaces,
    // and one word changed.
    let new: String = paras
        .iter()
        .map(|p| wrap(p, 11, "  \r\n", "\u{a0} "))
        .collect::<Vec<_>>()
        .join("\r\n\r\n")
        .replace("word6x30", "changed");
    for (date, text) in [("2024-01-01", &old), ("2024-02-01", &new)] {
        let file = env.path("text.txt");
        std::fs::write(&file, text).unwrap();
        run(env.dossier_in(&store).args([
            "record",
            "cis-2030",
            "--date",
            date,
            "--speaker",
            "Ada",
            "--lang",
            "en",
            "--text-file",
            file.to_str().unwrap(),
        ]))
        .ok();
    }
    let diff = |extra: &[&str]| {
        let out = run(env
            .dossier_in(&store)
            .env("COLUMNS", "100")
            .args([
                "--no-pager",
                "--color",
                "never",
                "diff",
                "cis-2030",
                "--only",
                "wording",
            ])
            .args(extra));
        out.ok();
        out.stdout.clone()
    };
    let text = diff(&[]);
    assert!(
        text.contains("[-word6x30-]") && text.contains("{+changed+}"),
        "{text}"
    );
    assert!(!text.contains("U+000D"), "{text}");
    assert!(
        text.lines().count() <= 10,
        "only the edit and its context:\n{text}"
    );
    assert!(text.contains("1 words added, 1 removed"), "{text}");
    // --strict compares the layout too.
    let strict = diff(&["--strict"]);
    assert!(strict.lines().count() > 30, "{strict}");
}
