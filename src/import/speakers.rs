//! Speakers and roles: names next to a verb of saying, the main speaker, and who said
//! each quote.

use std::ops::Range;

use super::lexicon::{
    AFTER_VERB_STOPS, ARABIC_STOPS, ARABIC_VERBS, ARABIC_VERB_PREFIXES, ARTICLES, ENGLISH_VERBS,
    NOT_NAMES, PATRONYMIC_ENDINGS, RUSSIAN_VERBS,
};
use super::tokens::{is_punct, norm, Tok};
use super::Found;

/// A person named next to a verb of saying.
#[derive(Debug, Clone)]
pub(super) struct Person {
    name: String,
    role: Option<String>,
    /// The name's normalised words.
    words: Vec<String>,
    at: usize,
}

fn is_arabic_verb(n: &str) -> bool {
    ARABIC_VERBS.iter().any(|v| {
        let v = norm(v);
        n == v
            || ARABIC_VERB_PREFIXES
                .iter()
                .any(|p| n.strip_prefix(*p) == Some(v.as_str()))
    })
}

fn is_arabic_stop(n: &str) -> bool {
    ARABIC_STOPS.iter().any(|s| norm(s) == n)
}

/// A capitalised word that is not an acronym or a function word.
fn is_name_word(text: &str, norm: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.any(char::is_lowercase)
        && !NOT_NAMES.contains(&norm)
}

fn is_patronymic(norm: &str) -> bool {
    PATRONYMIC_ENDINGS.iter().any(|s| norm.ends_with(s))
}

fn slice(body: &str, from: &Tok, to: &Tok) -> String {
    body.get(from.range.start..to.range.end)
        .unwrap_or_default()
        .trim()
        .to_string()
}

pub(super) fn speakers(body: &str, toks: &[Tok]) -> Vec<Person> {
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if !t.word {
            continue;
        }
        let person = if is_arabic_verb(&t.norm) {
            arabic_speaker(body, toks, i)
        } else if RUSSIAN_VERBS.contains(&t.norm.as_str())
            || ENGLISH_VERBS.contains(&t.norm.as_str())
        {
            latin_or_cyrillic_speaker(body, toks, i)
        } else {
            None
        };
        out.extend(person);
    }
    out
}

/// After an Arabic verb: `[ROLE -] NAME` up to a comma, colon or particle.
fn arabic_speaker(body: &str, toks: &[Tok], verb: usize) -> Option<Person> {
    let mut seg: Vec<&Tok> = Vec::new();
    let mut dash = None;
    for t in toks.iter().skip(verb + 1) {
        if t.word {
            if is_arabic_stop(&t.norm) || is_arabic_verb(&t.norm) {
                break;
            }
            seg.push(t);
        } else if matches!(t.norm.as_str(), "-" | "–" | "—") && !seg.is_empty() && dash.is_none()
        {
            dash = Some(seg.len());
        } else {
            break;
        }
        if seg.len() > 14 {
            return None;
        }
    }
    let (role, name): (&[&Tok], &[&Tok]) = match dash {
        Some(d) => (&seg[..d], &seg[d..]),
        None => {
            let bare = seg
                .iter()
                .rev()
                .take_while(|t| !t.norm.starts_with("ال"))
                .count()
                .min(3);
            seg.split_at(seg.len() - bare)
        }
    };
    if name.is_empty() || name.len() > 4 || name.iter().any(|t| !all_arabic(&t.norm)) {
        return None;
    }
    Some(Person {
        name: slice(body, name[0], name[name.len() - 1]),
        role: role
            .first()
            .zip(role.last())
            .map(|(a, b)| slice(body, a, b)),
        words: name.iter().map(|t| t.norm.clone()).collect(),
        at: toks[verb].range.start,
    })
}

fn all_arabic(word: &str) -> bool {
    word.chars().all(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// Russian or English: `[ROLE] NAME VERB` or `VERB [ROLE] NAME`.
fn latin_or_cyrillic_speaker(body: &str, toks: &[Tok], verb: usize) -> Option<Person> {
    let text = |t: &Tok| body.get(t.range.clone()).unwrap_or_default();
    let name_like = |t: &&Tok| t.word && is_name_word(text(t), &t.norm);
    let pick = |run: &[&Tok]| -> usize {
        // Two words; three when the middle one is a patronymic.
        if run.len() >= 3 && is_patronymic(&run[1].norm) {
            3
        } else {
            run.len().min(2)
        }
    };
    let at = toks[verb].range.start;
    // Before the verb: the clause's words, nearest first, not past a line break.
    let mut before: Vec<&Tok> = Vec::new();
    for t in toks[..verb].iter().rev() {
        if !t.word || before.len() >= 12 {
            break;
        }
        before.push(t);
        if t.line_start {
            break;
        }
    }
    let run = before.iter().take_while(|t| name_like(t)).count();
    if run > 0 {
        let mut clause: Vec<&Tok> = before;
        clause.reverse();
        let name_len = pick(&clause[clause.len() - run..]);
        let (role, name) = clause.split_at(clause.len() - name_len);
        let role = role.iter().rev().take(8).rev().copied().collect::<Vec<_>>();
        return Some(person(body, name, span(body, &role), at));
    }
    // After the verb: role words, then the name.
    let mut after: Vec<&Tok> = Vec::new();
    for t in toks.iter().skip(verb + 1) {
        if !t.word || t.line_start || after.len() >= 12 {
            break;
        }
        after.push(t);
    }
    let start = after.iter().position(name_like)?;
    if after[..start]
        .iter()
        .any(|t| AFTER_VERB_STOPS.contains(&t.norm.as_str()))
    {
        return None;
    }
    let run: Vec<&Tok> = after[start..]
        .iter()
        .copied()
        .take_while(name_like)
        .collect();
    // English titles are capitalised too: the name is the run's last words.
    let name_len = pick(&run);
    let name = &run[run.len() - name_len..];
    let role_words: Vec<&Tok> = after[..start]
        .iter()
        .chain(&run[..run.len() - name_len])
        .copied()
        .collect();
    let role =
        span(body, &role_words).or_else(|| appositive(body, toks, verb + 1 + start + run.len()));
    Some(person(body, name, role, at))
}

/// The text from the first to the last of some tokens.
fn span(body: &str, words: &[&Tok]) -> Option<String> {
    words
        .first()
        .zip(words.last())
        .map(|(a, b)| slice(body, a, b))
}

/// `NAME, the CIS Secretary General,`: the words after the comma following the name.
fn appositive(body: &str, toks: &[Tok], after_name: usize) -> Option<String> {
    if !is_punct(toks.get(after_name), &[","]) {
        return None;
    }
    let words: Vec<&Tok> = toks
        .iter()
        .skip(after_name + 1)
        .take_while(|t| t.word)
        .take(9)
        .collect();
    if words.is_empty() || words.len() > 8 {
        return None;
    }
    let first = if ARTICLES.contains(&words[0].norm.as_str()) && words.len() > 1 {
        words[1]
    } else {
        words[0]
    };
    Some(slice(body, first, words[words.len() - 1]))
}

fn person(body: &str, name: &[&Tok], role: Option<String>, at: usize) -> Person {
    Person {
        name: slice(body, name[0], name[name.len() - 1]),
        role: role.filter(|r| !r.is_empty()),
        words: name.iter().map(|t| t.norm.clone()).collect(),
        at,
    }
}

/// The person named most often (by surname: the name's last word), under the fullest form
/// of the name, with the first role given.
pub(super) fn main_speaker(people: &[Person]) -> Option<(Found, Option<Found>)> {
    let surname = |p: &Person| p.words.last().cloned().unwrap_or_default();
    let mut best: Option<(usize, usize, String)> = None;
    for (i, p) in people.iter().enumerate() {
        let s = surname(p);
        let count = people.iter().filter(|q| surname(q) == s).count();
        let first = people.iter().position(|q| surname(q) == s).unwrap_or(i);
        if best
            .as_ref()
            .is_none_or(|(c, f, _)| count > *c || count == *c && first < *f)
        {
            best = Some((count, first, s));
        }
    }
    let (count, _, s) = best?;
    let group: Vec<&Person> = people.iter().filter(|p| surname(p) == s).collect();
    let fullest = group
        .iter()
        .max_by_key(|p| (p.words.len(), std::cmp::Reverse(p.at)))?;
    let role = group.iter().find_map(|p| p.role.clone());
    Some((
        Found {
            value: fullest.name.clone(),
            evidence: format!(
                "named next to a verb of saying {count} time{}",
                if count == 1 { "" } else { "s" }
            ),
        },
        role.map(|value| Found {
            value,
            evidence: format!("before the name \"{}\"", fullest.name),
        }),
    ))
}

fn paragraph_of(body: &str, at: usize) -> usize {
    body.get(..at).map_or(0, |b| b.matches("\n\n").count())
}

/// The person named nearest to a quote within its paragraph, under their fullest name.
pub(super) fn quote_speaker(body: &str, quote: &Range<usize>, people: &[Person]) -> Option<String> {
    let para = paragraph_of(body, quote.start);
    let near = people
        .iter()
        .filter(|p| paragraph_of(body, p.at) == para)
        .min_by_key(|p| {
            if p.at < quote.start {
                quote.start - p.at
            } else {
                p.at.saturating_sub(quote.end)
            }
        })?;
    let surname = near.words.last()?;
    people
        .iter()
        .filter(|p| p.words.last() == Some(surname))
        .max_by_key(|p| p.words.len())
        .map(|p| p.name.clone())
}
