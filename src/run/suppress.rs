//! Suppress stage: what the project asks to leave out or weigh differently, applied to every
//! lint result before anything is fixed, counted or shown. mcp-lint.toml's `[[ignores]]` remove
//! single findings and its `[rules]` severities re-weigh them; rules left out by `--select`,
//! `--ignore` or the config never run at all (see [`Settings::rules`](super::settings::Settings)).

use crate::project_config::IgnoreTracker;
use crate::rules::{Needs, Rule};

use super::lint::FileReport;
use super::settings::Settings;

/// Applies the project's suppressions file by file and round by round, remembering which
/// `[[ignores]]` entries matched so that only the ones that never did are reported.
pub struct Suppressor<'a> {
    settings: &'a Settings,
    ignores: Option<IgnoreTracker<'a>>,
}

impl<'a> Suppressor<'a> {
    pub fn new(settings: &'a Settings) -> Self {
        let ignores = settings
            .project
            .as_deref()
            .zip(settings.project_dir())
            .map(|(project, dir)| IgnoreTracker::new(project, dir));
        Self { settings, ignores }
    }

    /// Removes the ignored findings of `report` and applies the project's severities.
    pub fn apply(&mut self, report: &mut FileReport) {
        let Some(project) = self.settings.project.as_deref() else {
            return;
        };
        for located in &mut report.findings {
            let finding = &mut located.finding;
            // A disabled server's findings stay informational whatever the project says.
            if finding.server_disabled {
                continue;
            }
            if let Some(severity) = project.severity_for(finding.rule) {
                finding.severity = severity;
            }
        }
        if let Some(ignores) = &mut self.ignores {
            ignores.apply(report);
        }
    }

    /// One line per `[[ignores]]` entry that matched no finding in this run, for rules that ran
    /// (`registry_ran`: whether registry answers were there for the rules that need them).
    pub fn stale_ignores(&self, registry_ran: bool) -> Vec<String> {
        let Some(ignores) = &self.ignores else {
            return Vec::new();
        };
        let rules: &[&dyn Rule] = &self.settings.rules;
        let locked = self.settings.locked;
        let ran = |id: &str| {
            rules.iter().any(|rule| {
                rule.info().id == id
                    && match rule.needs() {
                        Needs::File => true,
                        Needs::Registry => registry_ran,
                        Needs::Lock => locked,
                    }
            })
        };
        ignores.stale(&ran)
    }
}
