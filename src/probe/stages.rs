//! The probe's stages beyond launching: `probe --check` (probe every server again and lint the
//! configs with what they list now against what the lock recorded: `tool-definition-drift`,
//! `suspicious-tool-description`) and `probe --fix` (the allowlists from the recorded tools).

use std::collections::HashMap;
use std::path::PathBuf;

use super::{ProbeOptions, ProbeOutcome, ServerOutcome, probe_configs};
use crate::model::tools::ToolListing;
use crate::rules::{LintContext, RecordedTools, Rule, ToolContext};

use crate::run::check::{collect_and_parse, findings_status};
use crate::run::lint::{self, FileFailure, FileReport};
use crate::run::lock::Locks;
use crate::run::outcome::{CheckOutcome, Emitted, Results, Status};
use crate::run::settings::Settings;
use crate::run::suppress::Suppressor;

/// The rules `probe --check` runs: the ones that read what servers list.
const TOOL_RULES: &[&str] = &["tool-definition-drift", "suspicious-tool-description"];

/// Probes the servers of the configs under `paths` and reports their drift from the locks. A
/// server that could not be probed is an error of the run (exit 2); the lock is not written.
pub fn check(paths: &[PathBuf], settings: &Settings, options: &ProbeOptions) -> (CheckOutcome, ProbeOutcome) {
    let collected = collect_and_parse(paths, settings.dialect, settings.max_file_size);
    let (locks, lock_failures) = Locks::load(collected.parsed.iter().map(|p| p.source.path.as_path()));
    let mut failures = collected.failures;
    failures.extend(lock_failures);
    let rules: Vec<&dyn Rule> = settings
        .rules
        .iter()
        .copied()
        .filter(|rule| TOOL_RULES.contains(&rule.info().id))
        .collect();
    let mut suppressor = Suppressor::new(settings);
    let probes = ProbeOutcome {
        servers: probe_configs(&collected.parsed, &settings.environment, options),
        failures: Vec::new(),
    };
    let mut reports: Vec<FileReport> = Vec::new();
    let mut probed = probes.servers.iter();
    for parsed in collected.parsed {
        let path = parsed.source.path.clone();
        let mut current: HashMap<String, ToolListing> = HashMap::new();
        for probe in probed.by_ref().take(parsed.config.servers.len()) {
            match &probe.outcome {
                ServerOutcome::Probed(listing) => {
                    current.insert(probe.server.clone(), listing.clone());
                }
                ServerOutcome::Failed { reason } => failures.push(FileFailure::new(
                    &path,
                    format!("server `{}` could not be probed: {reason}", probe.server),
                )),
                ServerOutcome::Skipped { .. } => {}
            }
        }
        let context = LintContext {
            registry: None,
            lock: None,
            tools: Some(ToolContext {
                config: path.file_name().and_then(|n| n.to_str()).unwrap_or_default(),
                recorded: locks.beside(&path).map(|lock| lock as &dyn RecordedTools),
                current: Some(&current),
            }),
            image_policies: None,
            files: None,
            siblings: &[],
            scoped: &[],
            path: None,
            policies: &[],
        };
        let mut report = lint::lint(parsed, &rules, &context);
        suppressor.apply(&mut report);
        report.findings.sort_by_key(|l| (l.primary.start, l.finding.rule));
        reports.push(report);
    }
    let status = if failures.is_empty() {
        findings_status(&reports, settings)
    } else {
        Status::Error
    };
    let mut reports = reports;
    crate::run::fix::plan_for_output(&mut reports, settings.format);
    let outcome = CheckOutcome {
        stdin: false,
        resolution: Vec::new(),
        fixes: None,
        locks_written: Vec::new(),
        stale_ignores: Vec::new(),
        skipped: collected.skipped,
        results: Results { reports, failures },
        emitted: Emitted::Report,
        status,
    };
    (outcome, probes)
}

/// `probe --fix`, once the tools are recorded in the locks: the fix stage of `check` with only the
/// allowlist rule, whose fixes (unsafe: tools stop being exposed) `--fix` on `probe` asks for.
pub fn fill_allowlists(
    paths: &[PathBuf],
    settings: &Settings,
    reporter: &crate::run::reporter::Reporter,
) -> (CheckOutcome, Settings) {
    let mut fixing = settings.clone();
    fixing.unsafe_fixes = true;
    fixing.rules = fixing
        .rules
        .iter()
        .copied()
        .filter(|rule| rule.info().id == "missing-tool-allowlist")
        .collect();
    (crate::run::check::check(paths, &fixing, reporter), fixing)
}
