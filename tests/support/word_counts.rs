//! How many words git's and wdiff's word diffs call changed, read from their output: one
//! reading for `tests/licence_counts.rs` and `benches/wording.rs`, so the figures in
//! docs/benchmarks.md and the test's bound count the same way.

/// Words on the `+` and `-` lines of `git diff --word-diff=porcelain` output
/// (whitespace-separated, as git delimits them), headers left out.
pub fn porcelain_changed_words(out: &str) -> usize {
    out.lines()
        .skip_while(|l| !l.starts_with("@@"))
        .filter(|l| l.starts_with('+') || l.starts_with('-'))
        .map(|l| l[1..].split_whitespace().count())
        .sum()
}

/// Words of each file not in common, from `wdiff -s -1 -2 -3` output, a line per file
/// like `FILE: 2968 words  1592 54% common  128 4% deleted  1248 42% changed`; `None`
/// unless both lines are there and read.
pub fn wdiff_changed_words(out: &str) -> Option<usize> {
    let mut total = 0;
    let mut files = 0;
    for line in out.lines().filter(|l| l.contains(" words ")) {
        let fields: Vec<&str> = line.rsplit(": ").next()?.split_whitespace().collect();
        let words: usize = fields.first()?.parse().ok()?;
        let at = fields.iter().position(|f| *f == "common")?;
        let common: usize = fields.get(at.checked_sub(2)?)?.parse().ok()?;
        total += words.checked_sub(common)?;
        files += 1;
    }
    (files == 2).then_some(total)
}
