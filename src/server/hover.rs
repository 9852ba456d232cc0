//! What the language server shows on hover: over a finding, what it says and its rule's
//! documentation; over a package or image, what the lock records of it (version, digests, when
//! verified) and, after `probe`, the tools its server exposed.

use std::fmt::Write as _;

use lsp_types::Position;

use crate::model::{Ecosystem, PackageRef, Server, VersionSpec};
use crate::resolve::lock::{Lock, ecosystem_name};
use crate::resolve::oci;
use crate::run::lint::FileReport;

use super::positions::Positions;

/// The findings at `position`, each with its rule's documentation (findings never hold a secret).
pub fn findings_at(report: &FileReport, lines: &Positions, position: Position) -> Vec<String> {
    report
        .findings
        .iter()
        .filter(|located| {
            let range = lines.range(located.primary.start, located.primary.end);
            range.start <= position && position <= range.end
        })
        .map(|located| {
            let finding = &located.finding;
            let docs = crate::rules::by_id(finding.rule)
                .map(|rule| rule.info().documentation())
                .unwrap_or_default();
            format!("**{}**: {}\n\n{docs}", finding.rule, finding.message)
        })
        .collect()
}

/// What the lock knows of the package or image written at `position`, if one is.
pub fn package_at(report: &FileReport, lines: &Positions, position: Position, lock: Option<&Lock>) -> Option<String> {
    let (server, package) = report.config.servers.iter().find_map(|server| {
        let package = server.launch.as_ref()?.package.as_ref()?;
        // Where the rules point at a package: its text inside the argument that holds it.
        let location = crate::finding::Location {
            route: server.arg_route(package.position)?.clone(),
            on_key: false,
            subfeature: Some(package.text.clone()),
            label: String::new(),
        };
        let span = crate::run::lint::span_of(&report.root, &report.source.text, &location);
        let range = lines.range(span.start, span.end);
        (range.start <= position && position <= range.end).then_some((server, package))
    })?;
    Some(describe(report, server, package, lock))
}

fn describe(report: &FileReport, server: &Server, package: &PackageRef, lock: Option<&Lock>) -> String {
    let launcher = server.launch.as_ref().map_or("", |launch| launch.launcher.name());
    let kind = match package.ecosystem {
        Ecosystem::Oci => "image".to_owned(),
        ecosystem => format!("{} package", ecosystem_name(ecosystem)),
    };
    let mut text = format!("**{}**: {kind} run by `{launcher}`\n\n", package.name);
    let recorded = lock.and_then(|lock| recorded(lock, package));
    match (&package.spec, recorded) {
        (_, Some(record)) => text.push_str(&record),
        (spec, None) if spec.is_pinned() => text.push_str(
            "Pinned, but not in `mcp-lint.lock`: `mcp-lint check --fix --unsafe-fixes` verifies it and records its digests.",
        ),
        _ => text.push_str(
            "Floating: each start may run another release. Pin it (the quick fix, or `mcp-lint pin`) to a verified version.",
        ),
    }
    let config = report
        .source
        .path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    match lock.and_then(|lock| lock.server(config, &server.name)) {
        Some(probed) => {
            let _ = write!(
                text,
                "\n\nProbed {}: `{}` {} exposed {} tools (tools digest `{}`):",
                probed.probed,
                probed.server_name,
                probed.server_version,
                probed.tools.len(),
                probed.tools_digest
            );
            for tool in &probed.tools {
                let _ = write!(text, "\n- `{}`", tool.name);
            }
        }
        None => text.push_str("\n\nNot probed: `mcp-lint probe` records the tools it exposes."),
    }
    text
}

/// The lock's record of `package` at the version or digest the config names.
fn recorded(lock: &Lock, package: &PackageRef) -> Option<String> {
    match (&package.spec, package.ecosystem) {
        (VersionSpec::Exact(version), ecosystem @ (Ecosystem::Npm | Ecosystem::PyPi)) => {
            let locked = lock.package(ecosystem, &package.name, version)?;
            let mut text = format!("Locked at **{}**, verified {}:", locked.version, locked.resolved);
            for artifact in &locked.artifacts {
                let file = artifact.url.rsplit('/').next().unwrap_or(&artifact.url);
                let _ = write!(text, "\n- `{file}`: `{}`", artifact.digest);
            }
            Some(text)
        }
        (VersionSpec::Digest { digest, .. }, Ecosystem::Oci) => {
            let name = oci::locked_name(&package.text);
            let locked = lock.images.iter().find(|i| i.name == name && i.digest == *digest)?;
            Some(format!(
                "Locked: `{}:{}` at `{}`, verified {}.",
                locked.name, locked.tag, locked.digest, locked.resolved
            ))
        }
        _ => None,
    }
}
