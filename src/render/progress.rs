//! Transfer progress on a terminal (indicatif), on stderr; nothing when piped or quiet.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use crate::git::sync::Progress;

pub struct TransferBar {
    bar: Option<ProgressBar>,
}

impl TransferBar {
    /// A bar when stderr is a terminal and `quiet` is off.
    pub fn new(quiet: bool) -> TransferBar {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template(
                    "{msg:>10} {bar:30} {pos}/{len} objects, {binary_bytes}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        });
        TransferBar { bar }
    }

    pub fn update(&mut self, p: Progress) {
        let Some(bar) = &self.bar else { return };
        let (msg, objects, total) = match p {
            Progress::Receiving { objects, total, .. } => ("receiving", objects, total),
            Progress::Sending { objects, total, .. } => ("sending", objects, total),
        };
        bar.set_message(msg);
        bar.set_length(total as u64);
        bar.set_position(objects as u64);
    }

    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}
