//! Facts stage for Claude Code's server policy: the managed settings of a run
//! (`managed-settings.json` and the drop-ins of `managed-settings.d`), each folder's files merged
//! into one policy as Claude Code merges them.

use std::collections::BTreeMap;
use std::path::Path;

use crate::dialect::{Dialect, Route};
use crate::model::policy::{ServerPolicy, is_managed_drop_in, is_managed_settings, managed_folder};
use crate::rules::ManagedPolicy;

use super::parse::Parsed;

/// The server policies of the run's managed settings, one per managed folder.
pub fn managed_policies(parsed: &[Parsed]) -> Vec<ManagedPolicy> {
    let mut folders: BTreeMap<&Path, Vec<&Parsed>> = BTreeMap::new();
    for p in parsed
        .iter()
        .filter(|p| p.dialect == Dialect::ClaudeCode && is_managed_settings(&p.source.path))
        .filter(|p| p.config.server_policy.is_some())
    {
        let folder = managed_folder(&p.source.path).unwrap_or(Path::new(""));
        folders.entry(folder).or_default().push(p);
    }
    folders
        .into_values()
        .map(|mut files| {
            // The base file, then the drop-ins by name: the order Claude Code reads them in.
            files.sort_by(|a, b| {
                let key = |p: &Parsed| {
                    (
                        is_managed_drop_in(&p.source.path),
                        p.source.path.file_name().map(ToOwned::to_owned),
                    )
                };
                key(a).cmp(&key(b))
            });
            let mut lines = Vec::new();
            for (source, p) in files.iter().enumerate() {
                let Some(policy) = &p.config.server_policy else {
                    continue;
                };
                let mut line = |route: &Route| {
                    let start = p.root.at(route).map_or(0, |node| node.span.start);
                    lines.push((
                        source,
                        route.clone(),
                        p.source.lines.line_col(&p.source.text, start).line,
                    ));
                };
                for entry in policy.allowed.iter().flatten().chain(&policy.denied) {
                    line(&entry.route);
                }
                for key in ["allowedMcpServers", "deniedMcpServers"] {
                    if p.root.get(key).is_some() {
                        line(&Route::root().key(key));
                    }
                }
            }
            ManagedPolicy {
                files: files.iter().map(|p| p.source.path.clone()).collect(),
                policy: ServerPolicy::merge(files.iter().filter_map(|p| p.config.server_policy.clone())),
                lines,
            }
        })
        .collect()
}
