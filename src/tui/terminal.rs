//! The runner: checks that there is a terminal, puts it in raw mode on the alternate
//! screen (ratatui's `try_init`, whose panic hook restores the terminal before the panic
//! is reported), draws the model, feeds it key and resize events until it quits, and
//! restores the terminal whatever happened. Ctrl-C arrives as a key in raw mode and quits;
//! SIGTERM and SIGHUP quit the same way (signal-hook sets a flag the loop reads).
//!
//! Testing aid: with `DOSSIER_BROWSE_TEST_PANIC=1`, the key `!` panics (the tmux test
//! checks that the terminal is restored after a panic).
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // owns: the terminal of `browse` (raw mode, alternate screen, standard input and output)

use std::io::IsTerminal;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
#[cfg(unix)]
use signal_hook::consts::{SIGHUP, SIGTERM};

use super::model::{Key, Model, Msg};
use super::view;
use crate::error::{Error, Result};

/// How long the loop waits for a key before it looks whether a signal came.
const SIGNAL_CHECK: Duration = Duration::from_millis(50);

/// Refuses when standard input or output is not a terminal.
pub fn require_terminal() -> Result<()> {
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        return Ok(());
    }
    Err(Error::new("`dossier browse` needs a terminal: standard input and output must both be one")
        .hint("for output to read or pipe, use `dossier log INITIATIVE` and `dossier diff INITIATIVE --steps`"))
}

/// The terminal's size, or 80x24 when it cannot say.
pub fn size() -> (u16, u16) {
    crossterm::terminal::size().unwrap_or((80, 24))
}

/// A terminal event as the model's message.
fn message(ev: Event) -> Option<Msg> {
    match ev {
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
            let key = match k.code {
                KeyCode::Char('c') if ctrl => Key::CtrlC,
                KeyCode::Char(c) if !ctrl => Key::Char(c),
                KeyCode::Up => Key::Up,
                KeyCode::Down => Key::Down,
                KeyCode::PageUp => Key::PageUp,
                KeyCode::PageDown => Key::PageDown,
                KeyCode::Home => Key::Home,
                KeyCode::End => Key::End,
                KeyCode::Tab => Key::Tab,
                KeyCode::BackTab => Key::BackTab,
                KeyCode::Enter => Key::Enter,
                KeyCode::Esc => Key::Esc,
                KeyCode::Backspace => Key::Backspace,
                _ => return None,
            };
            Some(Msg::Key(key))
        }
        _ => None,
    }
}

/// Runs the browser until the model quits.
pub fn run(mut model: Model) -> Result<()> {
    let fail = |e: std::io::Error| Error::new("the terminal failed").source(e);
    let test_panic = std::env::var("DOSSIER_BROWSE_TEST_PANIC").is_ok_and(|v| v == "1");
    // SIGTERM and SIGHUP (a `kill`, a closed terminal window) set a flag that the loop
    // reads between events, so the terminal is restored before the process ends.
    let stop = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    for signal in [SIGTERM, SIGHUP] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .map_err(|e| Error::new("could not watch for signals").source(e))?;
    }
    let mut terminal = ratatui::try_init().map_err(fail)?;
    let result = (|| -> std::io::Result<()> {
        let area = terminal.size()?;
        model = model.update(Msg::Resize(area.width, area.height));
        let mut dirty = true;
        loop {
            if stop.load(Ordering::Relaxed) {
                return Ok(());
            }
            if dirty {
                terminal.draw(|f| view::draw(&model, f))?;
                dirty = false;
            }
            // Waiting for an event at most this long, so a signal is seen soon.
            if !event::poll(SIGNAL_CHECK)? {
                continue;
            }
            let ev = event::read()?;
            dirty = true;
            let Some(msg) = message(ev) else {
                continue;
            };
            if test_panic && msg == Msg::Key(Key::Char('!')) {
                panic!("a test panic (DOSSIER_BROWSE_TEST_PANIC)");
            }
            model = model.update(msg);
            if model.quit {
                return Ok(());
            }
        }
    })();
    ratatui::try_restore().map_err(fail)?;
    result.map_err(fail)
}
