use super::*;

fn matcher() -> Matcher {
    Matcher::new(MatchConfig::default(), Synonyms::default())
}

fn profiles(m: &Matcher, texts: &[&str]) -> Vec<Profile> {
    texts
        .iter()
        .map(|t| m.profile(t, Some("en"), None))
        .collect()
}

fn pairs(m: &Matching) -> Vec<(usize, usize)> {
    m.pairs.iter().map(|p| (p.old, p.new)).collect()
}

fn learned(texts: &[&str]) -> Matcher {
    let mut m = matcher();
    for p in profiles(&m, texts) {
        m.learn(&p);
    }
    m
}

#[test]
fn rare_words_decide_and_shared_boilerplate_does_not() {
    // Without frequencies every word weighs the same: "security" pairs the two.
    let m = matcher();
    let old = profiles(&m, &["Joint air defence system", "Cyber security"]);
    let new = profiles(&m, &["Energy security", "Unified air defence system"]);
    let r = m.match_lists(&old, &new, &Constraints::default());
    assert_eq!(pairs(&r), [(1, 0), (0, 1)]);
    // Learned over a store where "security" is everywhere, it weighs little.
    let m = learned(&[
        "Joint air defence system",
        "Cyber security",
        "Energy security",
        "Food security",
        "Information security",
        "Border security",
        "Collective security",
        "Unified air defence system",
    ]);
    let old = profiles(&m, &["Joint air defence system", "Cyber security"]);
    let new = profiles(&m, &["Energy security", "Unified air defence system"]);
    let r = m.match_lists(&old, &new, &Constraints::default());
    assert_eq!(pairs(&r), [(0, 1)]);
    let s = r.pairs[0].score.as_ref().expect("scored");
    assert!(s.value >= 0.4 && s.value < 1.0, "{s:?}");
    assert_eq!(s.language, "en");
    assert!(!s.translated);
}
