//! Progress display for long work, silent when asked to be or when stderr is not a terminal.

use indicatif::{ProgressBar, ProgressStyle};

/// A progress reporter handed to long-running commands.
#[derive(Debug, Clone)]
pub struct Progress {
    quiet: bool,
}

impl Progress {
    /// `quiet` hides everything (indicatif already hides it off a terminal).
    pub fn new(quiet: bool) -> Self {
        Progress { quiet }
    }

    /// A spinner with a message and the elapsed time. Why no percentage: reading, validating
    /// and committing run inside the io crate and the store, which report no intermediate
    /// counts; a spinner that keeps turning shows the work is alive without inventing a figure.
    pub fn spinner(&self, message: impl Into<String>) -> ProgressBar {
        if self.quiet {
            return ProgressBar::hidden();
        }
        let spinner = ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        spinner.enable_steady_tick(std::time::Duration::from_millis(120));
        spinner.set_message(message.into());
        spinner
    }
}
