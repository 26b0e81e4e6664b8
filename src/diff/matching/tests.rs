use super::*;

fn matcher() -> Matcher {
    Matcher::new(MatchConfig::default(), Synonyms::default())
}

fn profiles(m: &Matcher, texts: &[&str]) -> Vec<Profile> {
    texts.iter().map(|t| m.profile(t, Some("en"), None)).collect()
}

fn pairs(m: &Matching) -> Vec<(usize, usize)> {
    m.pairs.iter().map(|p| (p.old, p.new)).collect()
}

#[test]
fn smoke() {
    let m = matcher();
    let old = profiles(&m, &["Joint air defence system", "Cyber security"]);
    let new = profiles(&m, &["Energy security", "Unified air defence system"]);
    let r = m.match_lists(&old, &new, &Constraints::default());
    assert_eq!(pairs(&r), [(0, 1)]);
}
