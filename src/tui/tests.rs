//! The browser without a terminal: screens drawn on ratatui's `TestBackend` and pinned
//! with insta at 80x24 and 160x48, and key sequences through `Model::update`, on the
//! made-up multilingual statements of tests/fixtures/multilingual (Arabic, Russian,
//! English).

use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;

use super::doc::View;
use super::model::{Engine, Key, Mode, Model, Msg, Pane};
use super::view;
use crate::diff::DiffOptions;
use crate::record::Statement;
use crate::render::display_width;
use crate::store::codec::decode_statement;

const FIXTURES: &[(&str, &str)] = &[
    (
        "a.yaml",
        include_str!("../../tests/fixtures/multilingual/2025-01-15-test-speaker-alpha-regional-security-meeting.yaml"),
    ),
    (
        "b.yaml",
        include_str!("../../tests/fixtures/multilingual/2025-03-02-test-speaker-beta-joint-systems-interview.yaml"),
    ),
    (
        "c.yaml",
        include_str!("../../tests/fixtures/multilingual/2025-06-30-test-speaker-gamma-adopts-made-up-concept-for-testing.yaml"),
    ),
    (
        "d.yaml",
        include_str!("../../tests/fixtures/multilingual/2025-07-01-test-speaker-alpha-follow-up.yaml"),
    ),
];

fn statements() -> Vec<Statement> {
    FIXTURES
        .iter()
        .map(|(name, text)| {
            decode_statement(text.as_bytes(), std::path::Path::new(name))
                .unwrap_or_else(|p| panic!("{name}: {p:?}"))
                .record
        })
        .collect()
}

fn model(w: u16, h: u16, color: bool) -> Model {
    let list = statements();
    let engine = Engine::new(&list, DiffOptions::default());
    Model::new(
        "cis-2030: A made-up concept for testing".into(),
        list,
        engine,
        (w, h),
        color,
    )
}

fn keys(m: Model, keys: &[Key]) -> Model {
    keys.iter().fold(m, |m, k| m.update(Msg::Key(*k)))
}

fn chars(m: Model, s: &str) -> Model {
    s.chars().fold(m, |m, c| m.update(Msg::Key(Key::Char(c))))
}

fn terminal(m: &Model) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(m.width, m.height)).expect("test backend");
    t.draw(|f| view::draw(m, f)).expect("draws");
    t
}

/// The screen as text, one line per row (a wide character's second cell skipped).
fn screen(m: &Model) -> String {
    let t = terminal(m);
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            let sym = buf[(x, y)].symbol();
            if skip > 0 {
                skip -= 1;
                continue;
            }
            line.push_str(sym);
            skip = display_width(sym).saturating_sub(1);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn screens_at_80x24() {
    let m = model(80, 24, false);
    insta::assert_snapshot!("inline_80x24", screen(&m));
    let m = chars(m, "s");
    assert_eq!(m.view, View::SideBySide);
    insta::assert_snapshot!("side_by_side_80x24", screen(&m));
    let m = chars(m, "?");
    insta::assert_snapshot!("help_80x24", screen(&m));
    let m = chars(keys(m, &[Key::Esc]), "[[[");
    assert_eq!(m.selected, 0);
    insta::assert_snapshot!("first_80x24", screen(&m));
}

#[test]
fn screens_at_160x48() {
    let m = chars(model(160, 48, false), "[");
    insta::assert_snapshot!("inline_160x48", screen(&m));
    let m = chars(m, "s");
    insta::assert_snapshot!("side_by_side_160x48", screen(&m));
}

#[test]
fn every_line_fits_its_pane() {
    for (w, h) in [(80, 24), (100, 30), (160, 48), (60, 20)] {
        let mut m = model(w, h, false);
        for _ in 0..2 {
            for _ in 0..4 {
                let l = m.layout();
                let dw = (l.diff.inner().w - super::model::MARGIN) as usize;
                let iw = l.items.inner().w as usize;
                let widest = super::doc::widest(&m.diff_doc);
                assert!(widest <= dw, "{w}x{h} diff {} wider than {dw}", widest);
                assert!(super::doc::widest(&m.items_doc) <= iw, "{w}x{h} items");
                m = chars(m, "[");
            }
            m = chars(m, "s]]]");
        }
    }
}

#[test]
fn statements_step_and_stop_at_the_ends() {
    let m = model(80, 24, false);
    assert_eq!(m.selected, 3);
    assert_eq!(m.pair(), Some((2, 3)));
    let m = chars(m, "]");
    assert_eq!(m.selected, 3);
    let m = chars(m, "[[");
    assert_eq!((m.selected, m.pair()), (1, Some((0, 1))));
    let m = keys(m, &[Key::Up, Key::Up]);
    assert_eq!((m.selected, m.pair()), (0, None));
    let m = keys(m, &[Key::Down, Key::End]);
    assert_eq!(m.selected, 3);
}

#[test]
fn space_marks_the_statement_to_compare_with() {
    let m = chars(model(80, 24, false), "[[[ ");
    assert_eq!((m.marked, m.pair()), (Some(0), None));
    let m = chars(m, "]]]");
    assert_eq!(m.pair(), Some((0, 3)));
    assert!(screen(&m).contains("◆2025-01-15 → 2025-07-01"));
    let m = keys(m, &[Key::Esc]);
    assert_eq!((m.marked, m.pair()), (None, Some((2, 3))));
}

#[test]
fn n_and_shift_n_walk_the_changes_and_wrap() {
    let m = model(80, 24, false);
    let n = m.diff_doc.changes.len();
    assert!(n >= 3, "{n} changes");
    assert_eq!(m.change, 0);
    let m = chars(m, "n");
    assert_eq!(m.change, 1);
    assert!(screen(&m).contains(&format!("change 2 of {n}")));
    let m = chars(m, "NN");
    assert_eq!(m.change, n - 1);
    // The current change is in view, marked in the margin.
    let (start, _) = m.diff_doc.changes[m.change];
    let h = m.layout().diff.inner().h as usize;
    assert!(m.diff_scroll <= start && start < m.diff_scroll + h);
    assert!(screen(&m).contains('▌'));
}

#[test]
fn tab_moves_the_focus_and_arrows_follow_it() {
    let m = keys(model(80, 24, false), &[Key::Tab]);
    assert_eq!(m.focus, Pane::Diff);
    let top = m.diff_scroll;
    let m = keys(m, &[Key::Down, Key::Down]);
    assert_eq!((m.selected, m.diff_scroll), (3, top + 2));
    let m = keys(m, &[Key::Tab]);
    assert_eq!(m.focus, Pane::Items);
    let m = keys(m, &[Key::Down]);
    assert_eq!(m.items_scroll, 1);
    let m = keys(m, &[Key::Tab, Key::BackTab, Key::BackTab]);
    assert_eq!(m.focus, Pane::Diff);
}

#[test]
fn search_finds_the_next_statement_that_says_it() {
    let m = chars(model(80, 24, false), "/");
    assert_eq!(m.mode, Mode::Search(String::new()));
    // Case and ё do not matter, as in `trace`.
    let m = keys(chars(m, "БЕТА"), &[Key::Enter]);
    assert_eq!(m.mode, Mode::Normal);
    assert_eq!(m.selected, 1);
    assert!(m.message.as_deref().unwrap_or("").contains("1 of 1"));
    // Enter on an empty search repeats the last one; a miss says so.
    let m = keys(chars(m, "/"), &[Key::Enter]);
    assert_eq!(m.selected, 1);
    let m = keys(chars(m, "/nowhere"), &[Key::Enter]);
    assert_eq!(m.selected, 1);
    assert!(screen(&m).contains("no statement says “nowhere”"));
    let m = keys(chars(m, "/x"), &[Key::Backspace, Key::Esc]);
    assert_eq!(
        (m.mode, m.last_search.as_deref()),
        (Mode::Normal, Some("nowhere"))
    );
}

#[test]
fn q_and_ctrl_c_quit_and_help_closes_on_any_key() {
    assert!(chars(model(80, 24, false), "q").quit);
    assert!(keys(model(80, 24, false), &[Key::CtrlC]).quit);
    let m = chars(model(80, 24, false), "?");
    assert_eq!(m.mode, Mode::Help);
    let m = chars(m, "q");
    assert!(!m.quit);
    assert_eq!(m.mode, Mode::Normal);
    // Ctrl-C quits from a search too.
    assert!(keys(chars(model(80, 24, false), "/ab"), &[Key::CtrlC]).quit);
}

#[test]
fn a_resize_rewraps_the_panes() {
    let m = model(80, 24, false);
    let narrow = m.diff_doc.lines.len();
    let m = m.update(Msg::Resize(160, 48));
    assert!(m.diff_doc.lines.len() < narrow);
    assert!(super::doc::widest(&m.diff_doc) > 60);
}

#[test]
fn badges_count_the_changed_items() {
    let m = model(80, 24, false);
    assert_eq!(m.badges.get(&0), None);
    assert!(m.badges[&3].starts_with('Δ'), "{:?}", m.badges);
}

#[test]
fn colours_mark_removed_and_added_words() {
    let m = model(80, 24, true);
    let t = terminal(&m);
    let buf = t.backend().buffer();
    let cells: Vec<_> = buf.content().iter().collect();
    assert!(cells
        .iter()
        .any(|c| c.fg == Color::Red && c.modifier.contains(Modifier::CROSSED_OUT)));
    assert!(cells.iter().any(|c| c.fg == Color::Green));
    // No wdiff marks when colours say it.
    assert!(!screen(&m).contains("{+"));
    assert!(screen(&model(80, 24, false)).contains("{+"));
}

#[test]
fn significant_changes_come_first_and_badge_the_statement() {
    let st = |id: &str, date: &str, text: &str| Statement {
        id: id.into(),
        initiative: "cis-2030".into(),
        date: date.into(),
        language: "en".into(),
        text: Some(text.into()),
        ..Statement::default()
    };
    let list = vec![
        st(
            "2025-01-01-a",
            "2025-01-01",
            "The member states will form 5 brigades by 2030. Exercises are held every year.",
        ),
        st(
            "2025-02-01-b",
            "2025-02-01",
            "The member states may form 7 brigades by 2035. Exercises are held every year.",
        ),
    ];
    let engine = Engine::new(&list, DiffOptions::default());
    let m = Model::new("t".into(), list, engine, (100, 30), false);
    let sig = super::doc::significant(m.current_diff().expect("a pair"));
    assert!(sig.len() >= 2, "{sig:?}");
    assert_eq!(m.badges[&1], format!("!{}", sig.len()));
    let text = screen(&m);
    assert!(text.contains("Significant changes"), "{text}");
    assert!(text.contains(&format!("!{}", sig.len())), "{text}");
    // They are changes too: the first one is current.
    assert_eq!(m.change, 0);
    assert!(text.contains("▌ ! "), "{text}");
}

#[test]
fn arabic_is_drawn_in_logical_order_for_the_terminal_to_shape() {
    // The two Arabic statements: mark the first (space), step back to the last.
    let m = chars(model(160, 48, false), "[[[ ]]]");
    assert_eq!((m.marked, m.selected), (Some(0), 3));
    let text = screen(&m);
    insta::assert_snapshot!("arabic_160x48", text);
    // Characters go to the terminal in the order they are read (logical order), for a
    // bidi terminal to lay out and shape: never reversed by us, never pre-shaped into
    // presentation forms.
    let phrase = "الاستقرار الإقليمي";
    assert!(text.contains(phrase), "{text}");
    let reversed: String = phrase.chars().rev().collect();
    assert!(!text.contains(&reversed), "{text}");
    assert!(
        !text
            .chars()
            .any(|c| ('\u{FB50}'..='\u{FDFF}').contains(&c)
                || ('\u{FE70}'..='\u{FEFF}').contains(&c)),
        "presentation forms on the screen:\n{text}"
    );
}
