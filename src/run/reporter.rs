//! Progress: the one value through which long-running stages (asking the registries) show that
//! they are working. It draws on a terminal only, and only after a moment.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Shows progress on stderr when it is a terminal; silent otherwise.
#[derive(Debug, Clone, Copy)]
pub struct Reporter {
    enabled: bool,
}

impl Reporter {
    /// A reporter that draws when `enabled` (stderr is a terminal).
    pub fn new(enabled: bool) -> Self {
        Self { enabled }
    }

    /// A reporter that never draws (tests, the in-process harness, scripts).
    pub fn silent() -> Self {
        Self { enabled: false }
    }

    /// A spinner with `message`, shown once the task takes more than a moment; it disappears
    /// when the returned task is finished or dropped.
    pub fn task(&self, message: &'static str) -> Task {
        let bar = ProgressBar::hidden();
        if self.enabled {
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(message);
            let shown = bar.clone();
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(300));
                if !shown.is_finished() {
                    shown.set_draw_target(ProgressDrawTarget::stderr());
                    shown.enable_steady_tick(Duration::from_millis(120));
                }
            });
        }
        Task(bar)
    }
}

/// A task in progress; finishing it clears its line.
pub struct Task(ProgressBar);

impl Drop for Task {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
