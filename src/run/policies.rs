//! Facts stage for Claude Code's server policy: the managed settings files of a run
//! (`managed-settings.json`) that set `allowedMcpServers` or `deniedMcpServers`.

use crate::dialect::{Dialect, Route};
use crate::model::policy::is_managed_settings;
use crate::rules::ManagedPolicy;

use super::parse::Parsed;

/// The server policies of the run's managed settings files.
pub fn managed_policies(parsed: &[Parsed]) -> Vec<ManagedPolicy> {
    parsed
        .iter()
        .filter(|p| p.dialect == Dialect::ClaudeCode && is_managed_settings(&p.source.path))
        .filter_map(|p| {
            let policy = p.config.server_policy.clone()?;
            let line = |route: &Route| {
                let start = p.root.at(route).map_or(0, |node| node.span.start);
                (route.clone(), p.source.lines.line_col(&p.source.text, start).line)
            };
            let mut lines: Vec<(Route, usize)> = policy
                .allowed
                .iter()
                .flatten()
                .chain(&policy.denied)
                .map(|entry| line(&entry.route))
                .collect();
            lines.extend(
                ["allowedMcpServers", "deniedMcpServers"]
                    .iter()
                    .map(|key| line(&Route::root().key(*key))),
            );
            Some(ManagedPolicy {
                file: p.source.path.clone(),
                policy,
                lines,
            })
        })
        .collect()
}
