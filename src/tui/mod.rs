//! `dossier browse`: the interactive browser, the only user of ratatui and crossterm.
//! The Elm Architecture: [`model`] holds every piece of state and turns key events into
//! the next state (pure, testable without a terminal), [`doc`] builds the panes' text
//! from diff results, [`view`] draws a model, and [`terminal`] is the thin runner that
//! owns the terminal (raw mode, the alternate screen, restoring both on exit, Ctrl-C and
//! panics).

pub mod doc;
pub mod model;
pub mod terminal;
pub mod view;

#[cfg(test)]
mod tests;
