//! Suppress stage: what the project asks to leave out or weigh differently, applied to every
//! lint result before anything is fixed, counted or shown. Inline `mcp-lint: ignore[...]`
//! comments and mcp-lint.toml's `[[ignores]]` remove single findings and its `[severity]`
//! re-weighs them; rules left out by `--select`, `--ignore` or the config never run at all (see
//! [`Settings::rules`](super::settings::Settings)).

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::project_config::IgnoreTracker;
use crate::rules::{Needs, Rule};

use super::directives;
use super::lint::FileReport;
use super::settings::Settings;

/// Applies the project's suppressions file by file and round by round, remembering which
/// `[[ignores]]` entries matched so that only the ones that never did are reported.
pub struct Suppressor<'a> {
    settings: &'a Settings,
    ignores: Option<IgnoreTracker<'a>>,
    /// The inline directives of each file as its last round applied them.
    directives: BTreeMap<PathBuf, Vec<directives::Applied>>,
}

impl<'a> Suppressor<'a> {
    pub fn new(settings: &'a Settings) -> Self {
        let ignores = settings
            .project
            .as_deref()
            .zip(settings.project_dir())
            .map(|(project, dir)| IgnoreTracker::new(project, dir));
        Self {
            settings,
            ignores,
            directives: BTreeMap::new(),
        }
    }

    /// Removes the ignored findings of `report` and applies the project's severities.
    pub fn apply(&mut self, report: &mut FileReport) {
        let applied = directives::apply(report);
        if applied.is_empty() {
            self.directives.remove(&report.source.path);
        } else {
            self.directives.insert(report.source.path.clone(), applied);
        }
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
        let mut stale = Vec::new();
        for (path, applied) in &self.directives {
            for entry in applied {
                let directive = &entry.directive;
                for (id, &used) in directive.rules.iter().zip(&entry.used) {
                    let place = format!("{}:{}", path.display(), directive.line);
                    if crate::rules::by_id(id).is_none() {
                        stale.push(format!(
                            "{place}: `mcp-lint: ignore[{id}]` names no rule (`mcp-lint rules` lists them)"
                        ));
                    } else if !used && ran(id) {
                        stale.push(format!(
                            "{place}: this ignore matches no finding: rule `{id}` on line {} (remove it if the finding is gone)",
                            directive.target
                        ));
                    }
                }
            }
        }
        if let Some(ignores) = &self.ignores {
            stale.extend(ignores.stale(&ran));
        }
        stale
    }
}
