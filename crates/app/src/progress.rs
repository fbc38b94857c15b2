//! Progress bars for long work, silent when asked to be or when stderr is not a terminal.

use indicatif::{ProgressBar, ProgressStyle};

/// A progress reporter handed to long-running commands.
#[derive(Debug, Clone)]
pub struct Progress {
    quiet: bool,
}

impl Progress {
    /// `quiet` hides every bar (indicatif already hides them off a terminal).
    pub fn new(quiet: bool) -> Self {
        Progress { quiet }
    }

    /// A bar counting `len` items, or a spinner when the length is unknown.
    pub fn bar(&self, len: Option<u64>, message: &str) -> ProgressBar {
        if self.quiet {
            return ProgressBar::hidden();
        }
        let bar = match len {
            Some(len) => ProgressBar::new(len).with_style(
                ProgressStyle::with_template(
                    "{msg:>10} [{bar:40}] {human_pos}/{human_len} ({per_sec}, {eta})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            ),
            None => ProgressBar::new_spinner(),
        };
        bar.set_message(message.to_owned());
        bar
    }
}
