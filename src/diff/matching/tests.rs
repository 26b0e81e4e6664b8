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

#[test]
fn a_distinctive_word_on_each_side_is_a_conflict() {
    let m = learned(&[
        "Training of military doctors",
        "Training of military translators",
        "Training of military personnel",
        "Military training",
        "Air defence",
    ]);
    let p = |t: &str| m.profile(t, Some("en"), None);
    let s = m.score(
        &p("Training of military doctors"),
        &p("Training of military translators"),
    );
    let s = s.expect("scored");
    assert!(s.conflict > 0.0, "{s:?}");
    // A word only one side has is no conflict: nothing stands against it.
    let s = m.score(
        &p("Training of military doctors"),
        &p("Training of military"),
    );
    assert_eq!(s.expect("scored").conflict, 0.0);
    // The conflict weight takes it off the score.
    let mut strict = Matcher::new(
        MatchConfig {
            conflict: 0.5,
            ..MatchConfig::default()
        },
        Synonyms::default(),
    );
    for t in [
        "Training of military doctors",
        "Training of military translators",
    ] {
        let p = strict.profile(t, Some("en"), None);
        strict.learn(&p);
    }
    let (a, b) = (
        strict.profile("Training of military doctors", Some("en"), None),
        strict.profile("Training of military translators", Some("en"), None),
    );
    let s = strict.score(&a, &b).expect("scored");
    assert!(s.conflict > 0.0, "{s:?}");
    assert!(
        (s.value - (s.words + s.trigrams - s.conflict).max(0.0)).abs() < 0.002,
        "{s:?}"
    );
    // Weight 0: the conflict is still measured but takes nothing off.
    let mut none = Matcher::new(
        MatchConfig {
            conflict: 0.0,
            ..MatchConfig::default()
        },
        Synonyms::default(),
    );
    for t in [
        "Training of military doctors",
        "Training of military translators",
    ] {
        let p = none.profile(t, Some("en"), None);
        none.learn(&p);
    }
    let s = none.score(&a, &b).expect("scored");
    assert_eq!(s.conflict, 0.0, "{s:?}");
    assert!((s.value - (s.words + s.trigrams)).abs() < 0.002, "{s:?}");
}

#[test]
fn general_vocabulary_is_built_in() {
    let m = Matcher::new(MatchConfig::default(), Synonyms::with_builtin(&[]));
    let p = |t: &str, l: &str| m.profile(t, Some(l), None);
    for (a, b, l) in [
        ("Procurement of weapons", "Purchase of armaments", "en"),
        (
            "Борьба с наркотрафиком",
            "Противодействие незаконному обороту наркотиков",
            "ru",
        ),
        ("مكافحة تهريب الأسلحة", "التصدي لتهريب السلاح", "ar"),
    ] {
        let s = m.score(&p(a, l), &p(b, l)).expect("scored");
        assert_eq!(s.words, 1.0, "{a} / {b}: {s:?}");
    }
    // Without them (abbreviations only) the same pairs share nothing.
    let bare = Matcher::new(MatchConfig::default(), Synonyms::with_abbreviations(&[]));
    let s = bare
        .score(
            &bare.profile("Procurement of weapons", Some("en"), None),
            &bare.profile("Purchase of armaments", Some("en"), None),
        )
        .expect("scored");
    assert_eq!(s.words, 0.0, "{s:?}");
}

#[test]
fn long_posting_lists_are_read_only_when_the_short_ones_settle_nothing() {
    // 200 items share "cooperation" and "topic" (posting lists longer than SHORT); each
    // has a word of its own.
    let word = |i: usize| -> String {
        let (a, b) = (i / 26, i % 26);
        format!(
            "zq{}{}x",
            (b'a' + a as u8) as char,
            (b'a' + b as u8) as char
        )
    };
    let m = matcher();
    let old: Vec<Profile> = (0..200)
        .map(|i| {
            m.profile(
                &format!("Cooperation on topic {}", word(i)),
                Some("en"),
                None,
            )
        })
        .collect();
    let new = profiles(
        &m,
        &[
            &format!("Topic {} and cooperation", word(150)),
            "Cooperation on topic",
        ],
    );
    let r = m.match_lists(&old, &new, &Constraints::default());
    // The word of its own finds the pair; the long lists only add their weight.
    assert!(pairs(&r).contains(&(150, 0)), "{:?}", pairs(&r));
    // An item of common words only is looked up in the long lists.
    let near = r.nearest_new[1].expect("a nearest item through the long lists");
    assert!(near.score >= 0.4, "{near:?}");
    assert!(r.notices.is_empty(), "{:?}", r.notices);
}
