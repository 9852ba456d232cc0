//! `young-pinned-version`: a pinned version is younger than the release-age policy.

use crate::finding::{Finding, Severity};
use crate::model::McpConfig;
use crate::model::facts::human_duration;

use super::pinned::pinned;
use super::{FixAvailability, LintContext, Needs, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags an exactly pinned npm or PyPI version published less than `--min-release-age` ago
    /// (7 days by default). Needs registry answers (publish times): it runs with `--resolve`,
    /// under `--fix --unsafe-fixes`, and under `--offline` from the cache.
    ///
    /// ## Why is this bad?
    /// Malicious releases of popular packages are usually found and pulled within days. Waiting a
    /// week before adopting a release lets the ecosystem's scanners and users find them first; a
    /// pin to a release from this morning skips that safety margin.
    ///
    /// ## Example
    /// A config pinning `@example/mcp-server@1.3.0`, published two days ago.
    ///
    /// ## Fix
    /// Pin an older version (`mcp-lint --fix --unsafe-fixes` picks the newest one old enough), or
    /// wait. `--min-release-age 0` turns the policy off.
    ///
    /// ## References
    /// - npm `--before`, uv `--exclude-newer`: the same idea in the package managers
    /// - OWASP Top 10 for LLM Applications 2025, LLM03 Supply Chain
    pub struct YoungPinnedVersion {
        id: "young-pinned-version",
        summary: "A pinned version is younger than the release-age policy",
        severity: Severity::Warning,
        fix: FixAvailability::None,
    }
}

impl Rule for YoungPinnedVersion {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn needs(&self) -> Needs {
        Needs::Registry
    }

    fn check_in(&self, config: &McpConfig, context: &LintContext, findings: &mut Vec<Finding>) {
        // A server.json describes its author's own release, which is new by nature.
        let Some(view) = context
            .registry
            .filter(|_| config.dialect != crate::dialect::Dialect::ServerJson)
        else {
            return;
        };
        let Some(policy) = view.policy() else {
            return;
        };
        for pin in pinned(config, context) {
            let (server, package, version, route) = (pin.server, pin.package, pin.version, pin.route);
            let Some(release) = pin.release() else {
                continue;
            };
            if policy.old_enough(release) != Some(false) {
                continue;
            }
            let age = policy.age(release).unwrap_or_default();
            findings.push(
                Finding::new(
                    Self::INFO.id,
                    Self::INFO.default_severity,
                    format!(
                        "`{}@{version}` was published {} ago, within the {} release-age policy",
                        package.name,
                        human_duration(age),
                        human_duration(policy.min_release_age)
                    ),
                    route,
                )
                .server(&server.name, &server.route)
                .subfeature(package.text.clone())
                .label("too new")
                .help("pin an older release, or wait until it has been public for the policy's time"),
            );
        }
    }
}
