//! The browser's whole state and how key events change it (The Elm Architecture): no
//! terminal here, so every screen and key sequence is testable. [`Model::update`] takes
//! a message and returns the next state; the view draws a state; the runner feeds keys.

use std::collections::HashMap;

use super::doc::{self, Doc, View};
use crate::diff::{diff_statements_in, normalize, DiffOptions, MatchContext, StatementDiff};
use crate::record::Statement;
use crate::render::columns::line_text;

/// A key, as the model understands it (the runner maps the terminal's events).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Tab,
    BackTab,
    Enter,
    Esc,
    Backspace,
    CtrlC,
}

/// What happens to the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    Key(Key),
    Resize(u16, u16),
}

/// Which pane the arrow keys move.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Statements,
    Diff,
    Items,
}

/// What the keys go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Normal,
    /// Typing a search.
    Search(String),
    /// The help overlay.
    Help,
}

/// A rectangle of the screen (plain numbers; the view makes ratatui's from them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Area {
    pub x: u16,
    pub y: u16,
    pub w: u16,
    pub h: u16,
}

impl Area {
    /// Inside a border.
    pub fn inner(self) -> Area {
        Area {
            x: self.x + 1,
            y: self.y + 1,
            w: self.w.saturating_sub(2),
            h: self.h.saturating_sub(2),
        }
    }
}

/// Where each pane goes for a screen size: a title line, the statements left, the diff
/// right with the items under it, a status line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub title: Area,
    pub statements: Area,
    pub diff: Area,
    pub items: Area,
    pub status: Area,
}

pub fn layout(w: u16, h: u16) -> Layout {
    let body = h.saturating_sub(2);
    let left = ((u32::from(w) * 3 / 10) as u16).clamp(24.min(w), 44);
    let right = w.saturating_sub(left);
    let items = ((u32::from(body) * 2 / 5) as u16).max(5.min(body));
    Layout {
        title: Area {
            x: 0,
            y: 0,
            w,
            h: 1,
        },
        statements: Area {
            x: 0,
            y: 1,
            w: left,
            h: body,
        },
        diff: Area {
            x: left,
            y: 1,
            w: right,
            h: body - items,
        },
        items: Area {
            x: left,
            y: 1 + body - items,
            w: right,
            h: items,
        },
        status: Area {
            x: 0,
            y: h.saturating_sub(1),
            w,
            h: 1,
        },
    }
}

/// Columns of the diff pane's left margin (the current change's bar).
pub const MARGIN: u16 = 2;

/// Lines each statement takes in the list.
pub const ROW_LINES: usize = 2;

/// What the diff engine needs, learned once over the initiative.
pub struct Engine {
    pub opts: DiffOptions,
    pub ctx: MatchContext,
}

impl Engine {
    /// The engine for these statements: items weighed over all of them, with sentences
    /// aligned (for the side-by-side view).
    pub fn new(statements: &[Statement], mut opts: DiffOptions) -> Engine {
        opts.sentences = true;
        let ctx = MatchContext::of(statements, opts.match_config(), &opts.synonyms);
        Engine { opts, ctx }
    }
}

pub struct Model {
    /// The initiative's id and title.
    pub title: String,
    /// In date order.
    pub statements: Vec<Statement>,
    pub selected: usize,
    /// The statement compared with, instead of the previous one (space).
    pub marked: Option<usize>,
    pub focus: Pane,
    pub view: View,
    pub mode: Mode,
    pub width: u16,
    pub height: u16,
    /// Colour on: marks are colours; off: wdiff's `[-…-]{+…+}` in the text too.
    pub color: bool,
    pub list_offset: usize,
    pub diff_scroll: usize,
    pub items_scroll: usize,
    /// The current change of the diff pane (0-based).
    pub change: usize,
    pub last_search: Option<String>,
    /// A line for the status bar (search results, hints).
    pub message: Option<String>,
    pub quit: bool,
    /// The diff pane's and the items pane's text for the current pair and width.
    pub diff_doc: Doc,
    pub items_doc: Doc,
    /// Badges of the statements whose diff is known: significant changes (`!N`), else
    /// changed items (`ΔN`).
    pub badges: HashMap<usize, String>,
    engine: Engine,
    diffs: HashMap<(usize, usize), StatementDiff>,
}

impl Model {
    /// A browser on `statements` (date order), the latest selected.
    pub fn new(
        title: String,
        statements: Vec<Statement>,
        engine: Engine,
        (width, height): (u16, u16),
        color: bool,
    ) -> Model {
        let selected = statements.len().saturating_sub(1);
        let mut m = Model {
            title,
            statements,
            selected,
            marked: None,
            focus: Pane::Statements,
            view: View::Inline,
            mode: Mode::Normal,
            width,
            height,
            color,
            list_offset: 0,
            diff_scroll: 0,
            items_scroll: 0,
            change: 0,
            last_search: None,
            message: None,
            quit: false,
            diff_doc: Doc::default(),
            items_doc: Doc::default(),
            badges: HashMap::new(),
            engine,
            diffs: HashMap::new(),
        };
        m.refresh();
        m
    }

    pub fn layout(&self) -> Layout {
        layout(self.width, self.height)
    }

    /// The pair shown: (older, newer) indices, or one statement alone.
    pub fn pair(&self) -> Option<(usize, usize)> {
        let other = match self.marked {
            Some(m) if m != self.selected => m,
            Some(_) => return None,
            None => self.selected.checked_sub(1)?,
        };
        Some((other.min(self.selected), other.max(self.selected)))
    }

    /// The diff of the pair shown, if there is one.
    pub fn current_diff(&self) -> Option<&StatementDiff> {
        self.pair().and_then(|p| self.diffs.get(&p))
    }

    /// The next state.
    pub fn update(mut self, msg: Msg) -> Model {
        self.message = None;
        match msg {
            Msg::Resize(w, h) => {
                self.width = w;
                self.height = h;
                self.refresh();
            }
            Msg::Key(key) => self.key(key),
        }
        self
    }

    fn key(&mut self, key: Key) {
        if key == Key::CtrlC {
            self.quit = true;
            return;
        }
        match self.mode.clone() {
            Mode::Help => self.mode = Mode::Normal,
            Mode::Search(mut q) => match key {
                Key::Esc => self.mode = Mode::Normal,
                Key::Enter => {
                    self.mode = Mode::Normal;
                    let q = if q.is_empty() {
                        self.last_search.clone().unwrap_or_default()
                    } else {
                        q
                    };
                    self.search(&q);
                }
                Key::Backspace => {
                    q.pop();
                    self.mode = Mode::Search(q);
                }
                Key::Char(c) => {
                    q.push(c);
                    self.mode = Mode::Search(q);
                }
                _ => {}
            },
            Mode::Normal => self.normal(key),
        }
    }

    fn normal(&mut self, key: Key) {
        let page = |a: Area| (a.h.saturating_sub(2) as usize).max(1);
        let l = self.layout();
        match key {
            Key::Char('q') => self.quit = true,
            Key::Char('?') => self.mode = Mode::Help,
            Key::Char('/') => self.mode = Mode::Search(String::new()),
            Key::Esc if self.marked.is_some() => {
                self.marked = None;
                self.refresh_pair();
            }
            Key::Tab => {
                self.focus = match self.focus {
                    Pane::Statements => Pane::Diff,
                    Pane::Diff => Pane::Items,
                    Pane::Items => Pane::Statements,
                }
            }
            Key::BackTab => {
                self.focus = match self.focus {
                    Pane::Statements => Pane::Items,
                    Pane::Diff => Pane::Statements,
                    Pane::Items => Pane::Diff,
                }
            }
            Key::Char('s') => {
                self.view = match self.view {
                    View::Inline => View::SideBySide,
                    View::SideBySide => View::Inline,
                };
                self.refresh_docs();
                self.change = self
                    .change
                    .min(self.diff_doc.changes.len().saturating_sub(1));
                self.show_change();
            }
            Key::Char('n') => self.step_change(1),
            Key::Char('N') => self.step_change(-1),
            Key::Char(']') => self.select(self.selected + 1),
            Key::Char('[') => self.select(self.selected.saturating_sub(1)),
            Key::Char(' ') => {
                self.marked = if self.marked == Some(self.selected) {
                    None
                } else {
                    Some(self.selected)
                };
                self.refresh_pair();
            }
            Key::Enter if self.focus == Pane::Statements => self.focus = Pane::Diff,
            Key::Up | Key::Char('k') => self.scroll(-1, 1),
            Key::Down | Key::Char('j') => self.scroll(1, 1),
            Key::PageUp => self.scroll(-1, page(l.diff)),
            Key::PageDown => self.scroll(1, page(l.diff)),
            Key::Home | Key::Char('g') => self.scroll(-1, usize::MAX / 2),
            Key::End | Key::Char('G') => self.scroll(1, usize::MAX / 2),
            _ => {}
        }
    }

    /// Moves the focused pane by `n` lines (or statements) in `dir`.
    fn scroll(&mut self, dir: i8, n: usize) {
        let step = |at: usize, max: usize| {
            if dir < 0 {
                at.saturating_sub(n)
            } else {
                at.saturating_add(n).min(max)
            }
        };
        match self.focus {
            Pane::Statements => {
                let to = step(self.selected, self.statements.len().saturating_sub(1));
                self.select(to);
            }
            Pane::Diff => {
                let max = self.diff_doc.lines.len().saturating_sub(1);
                self.diff_scroll = step(self.diff_scroll, max);
            }
            Pane::Items => {
                let max = self.items_doc.lines.len().saturating_sub(1);
                self.items_scroll = step(self.items_scroll, max);
            }
        }
    }

    fn select(&mut self, i: usize) {
        let i = i.min(self.statements.len().saturating_sub(1));
        if i != self.selected {
            self.selected = i;
            self.refresh_pair();
        }
    }

    fn step_change(&mut self, dir: i32) {
        let n = self.diff_doc.changes.len();
        if n == 0 {
            self.message = Some("no changes here".into());
            return;
        }
        self.change = if dir > 0 {
            (self.change + 1) % n
        } else {
            (self.change + n - 1) % n
        };
        self.show_change();
    }

    /// Scrolls the diff pane so the current change stands in its upper third.
    fn show_change(&mut self) {
        if let Some(&(start, _)) = self.diff_doc.changes.get(self.change) {
            let h = self.layout().diff.inner().h as usize;
            self.diff_scroll = start.saturating_sub(h / 3);
        }
    }

    /// The statements that match `q` (case, diacritics and the like aside, as `trace`
    /// compares): their wording, translations, speaker, id, summary, items and quotes.
    pub fn matches(&self, q: &str) -> Vec<usize> {
        let needle = normalize(q, false);
        if needle.trim().is_empty() {
            return Vec::new();
        }
        (0..self.statements.len())
            .filter(|&i| {
                let st = &self.statements[i];
                let mut hay: Vec<&str> = vec![&st.id];
                hay.extend(st.text.as_deref());
                hay.extend(st.translations.values().map(String::as_str));
                hay.extend(st.summary.as_deref());
                hay.extend(st.speaker.as_ref().map(|s| s.name.as_str()));
                hay.extend(
                    st.priorities
                        .iter()
                        .chain(&st.principles)
                        .map(|p| p.text.as_str()),
                );
                hay.extend(st.quotes.iter().map(|q| q.text.as_str()));
                hay.iter().any(|h| normalize(h, false).contains(&needle))
            })
            .collect()
    }

    /// Selects the next statement (after the selected one, wrapping) that matches, and
    /// scrolls its diff to the first line holding the words.
    fn search(&mut self, q: &str) {
        if q.is_empty() {
            return;
        }
        self.last_search = Some(q.to_string());
        let found = self.matches(q);
        let Some(&next) = found.iter().find(|&&i| i > self.selected).or(found.first()) else {
            self.message = Some(format!("no statement says “{q}”"));
            return;
        };
        self.select(next);
        let needle = normalize(q, false);
        if let Some(line) = self
            .diff_doc
            .lines
            .iter()
            .position(|l| normalize(&line_text(l), false).contains(&needle))
        {
            self.diff_scroll = line;
        }
        let k = found.iter().position(|&i| i == next).unwrap_or(0) + 1;
        self.message = Some(format!(
            "“{q}”: statement {} ({k} of {} that say it; / Enter for the next)",
            next + 1,
            found.len()
        ));
    }

    /// After the pair changed: diff, docs, scroll to the first change.
    fn refresh_pair(&mut self) {
        self.diff_scroll = 0;
        self.items_scroll = 0;
        self.change = 0;
        self.refresh();
        self.show_change();
    }

    /// Brings the derived state up to date: the list's scroll, the diffs of the pair and
    /// of the statements in view (for their badges), the panes' text.
    fn refresh(&mut self) {
        let rows = (self.layout().statements.inner().h as usize / ROW_LINES).max(1);
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + rows {
            self.list_offset = self.selected + 1 - rows;
        }
        if let Some(p) = self.pair() {
            self.ensure(p);
        }
        let end = (self.list_offset + rows).min(self.statements.len());
        for i in self.list_offset.max(1)..end {
            self.ensure((i - 1, i));
        }
        self.refresh_docs();
    }

    fn ensure(&mut self, (a, b): (usize, usize)) {
        if self.diffs.contains_key(&(a, b)) {
            return;
        }
        let d = diff_statements_in(
            &self.statements[a],
            &self.statements[b],
            &self.engine.opts,
            &self.engine.ctx,
        );
        if b == a + 1 {
            let sig = doc::significant(&d).len();
            let changed = doc::changed_items(&d);
            let badge = if sig > 0 {
                format!("!{sig}")
            } else if changed > 0 {
                format!("Δ{changed}")
            } else {
                String::new()
            };
            self.badges.insert(b, badge);
        }
        self.diffs.insert((a, b), d);
    }

    fn refresh_docs(&mut self) {
        let l = self.layout();
        let width = l.diff.inner().w.saturating_sub(MARGIN).max(8) as usize;
        let items_width = l.items.inner().w.max(8) as usize;
        let marks = !self.color;
        let st = &self.statements[self.selected];
        let pair = self.pair().and_then(|p| self.diffs.get(&p));
        let (diff_doc, items_doc) = match pair {
            Some(d) => (
                doc::diff_doc(d, self.view, width, marks),
                doc::items_doc(d, items_width, marks),
            ),
            None => {
                let why = if self.marked == Some(self.selected) {
                    "Marked: select another statement to compare it with (space unmarks)."
                } else {
                    "The first statement: nothing before it to compare with."
                };
                (
                    doc::alone_doc(st, why, width),
                    doc::items_alone(st, items_width),
                )
            }
        };
        self.diff_doc = diff_doc;
        self.items_doc = items_doc;
        let max = self.diff_doc.lines.len().saturating_sub(1);
        self.diff_scroll = self.diff_scroll.min(max);
        self.items_scroll = self
            .items_scroll
            .min(self.items_doc.lines.len().saturating_sub(1));
    }
}
