//! `lock-mismatch`: under `--locked`, a config and the `mcp-lint.lock` beside it disagree.

use crate::finding::{Finding, Severity};
use crate::model::{Ecosystem, McpConfig, VersionSpec};

use super::{FixAvailability, LintContext, LockCheck, Needs, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Runs only with `--locked`. Every npm and PyPI package must be pinned to an exact version
    /// that `mcp-lint.lock` (beside the config) records with its verified digests, and every
    /// container image must be pinned to the digest the lock records for it. A missing lock, a
    /// package missing from it, or a different version or digest is a finding.
    ///
    /// ## Why is this bad?
    /// The lock is the record of what was verified. A config that drifted from it (a hand edit, a
    /// merge) runs something nobody checked; `--locked` in CI keeps the two in step.
    ///
    /// ## Example
    /// The config pins `repomix@1.18.1`; the lock records `repomix` 1.18.0.
    ///
    /// ## Fix
    /// Run `mcp-lint --fix --unsafe-fixes` to pin, verify and lock again, and commit the lock.
    ///
    /// ## References
    /// - `cargo build --locked`, `npm ci`, `uv sync --locked`: the same contract
    pub struct LockMismatch {
        id: "lock-mismatch",
        summary: "A config and its mcp-lint.lock disagree (with --locked)",
        severity: Severity::Error,
        fix: FixAvailability::None,
    }
}

impl Rule for LockMismatch {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn needs(&self) -> Needs {
        Needs::Lock
    }

    fn check_in(&self, config: &McpConfig, context: &LintContext, findings: &mut Vec<Finding>) {
        let Some(lock) = context.lock else {
            return;
        };
        for server in &config.servers {
            let Some(package) = server.launch.as_ref().and_then(|l| l.package.as_ref()) else {
                continue;
            };
            let Some(route) = server.arg_route(package.position) else {
                continue;
            };
            let problem = match lock {
                LockCheck::Missing => match package.ecosystem {
                    Ecosystem::Npm | Ecosystem::PyPi | Ecosystem::Oci => {
                        Some(("there is no mcp-lint.lock beside this config".to_owned(), "not locked"))
                    }
                    Ecosystem::Jsr => None,
                },
                LockCheck::Present(lock) => match (package.ecosystem, &package.spec) {
                    (Ecosystem::Npm | Ecosystem::PyPi, VersionSpec::Exact(version)) => {
                        if lock.has_package(package.ecosystem, &package.name, version) {
                            None
                        } else {
                            let others = lock.versions(package.ecosystem, &package.name);
                            Some(if others.is_empty() {
                                (
                                    format!("`{}@{version}` is not in mcp-lint.lock", package.name),
                                    "not locked",
                                )
                            } else {
                                (
                                    format!(
                                        "the config pins `{}@{version}`, mcp-lint.lock records {}",
                                        package.name,
                                        others.join(", ")
                                    ),
                                    "differs from the lock",
                                )
                            })
                        }
                    }
                    (Ecosystem::Npm | Ecosystem::PyPi, _) => Some((
                        format!("`{}` has no exact version, so the lock cannot hold it", package.name),
                        "not locked",
                    )),
                    (Ecosystem::Oci, VersionSpec::Digest { digest, .. }) => {
                        let name = lock.image_name(&package.text);
                        if lock.has_image(&name, digest) {
                            None
                        } else {
                            Some((format!("image `{name}@{digest}` is not in mcp-lint.lock"), "not locked"))
                        }
                    }
                    (Ecosystem::Oci, _) => Some((
                        format!("image `{}` has no digest, so the lock cannot hold it", package.text),
                        "not locked",
                    )),
                    (Ecosystem::Jsr, _) => None,
                },
            };
            if let Some((message, label)) = problem {
                findings.push(
                    Finding::new(Self::INFO.id, Self::INFO.default_severity, message, route)
                        .server(&server.name, &server.route)
                        .subfeature(package.text.clone())
                        .label(label)
                        .help("pin, verify and lock again, then commit mcp-lint.lock")
                        .command("`mcp-lint --fix --unsafe-fixes` does it"),
                );
            }
        }
    }
}
