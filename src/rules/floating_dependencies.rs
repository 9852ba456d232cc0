//! `floating-dependencies`: a pinned npm package whose own dependencies still float.

use crate::finding::{Finding, Severity};
use crate::model::{Ecosystem, McpConfig};

use super::pinned::pinned;
use super::{FixAvailability, LintContext, Needs, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// For an exactly pinned npm package that does not ship `npm-shrinkwrap.json`, lists the
    /// dependencies whose ranges admit more than one version, and says whether the package runs
    /// install scripts. Information only. Needs registry answers (`--resolve`, `--fix
    /// --unsafe-fixes`, or `--offline` from the cache).
    ///
    /// ## Why is this bad?
    /// `npx pkg@1.2.3` fixes the package, not what it pulls in: every `^` dependency resolves
    /// again at install time, so a compromised transitive release still reaches the server. Install
    /// scripts run arbitrary code at that moment.
    ///
    /// ## Example
    /// `@example/mcp-server@1.2.0` depends on `zod@^3.23.0` and ships no shrinkwrap.
    ///
    /// ## Fix
    /// Nothing in the config can pin transitive dependencies. Prefer packages that publish a
    /// shrinkwrap, run the server from a lockfile-installed project, or a container image by digest.
    ///
    /// ## References
    /// - npm documentation, `npm-shrinkwrap.json`
    pub struct FloatingDependencies {
        id: "floating-dependencies",
        summary: "A pinned npm package still resolves its own dependencies by range",
        severity: Severity::Info,
        fix: FixAvailability::None,
    }
}

impl Rule for FloatingDependencies {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn needs(&self) -> Needs {
        Needs::Registry
    }

    fn check_in(&self, config: &McpConfig, context: &LintContext, findings: &mut Vec<Finding>) {
        for pin in pinned(config, context).filter(|p| p.package.ecosystem == Ecosystem::Npm) {
            let (server, package, version, route) = (pin.server, pin.package, pin.version, pin.route);
            let Some(release) = pin.release() else {
                continue;
            };
            if release.shrinkwrap == Some(true) || (release.floating_dependencies.is_empty() && !release.install_script)
            {
                continue;
            }
            let mut parts = Vec::new();
            if !release.floating_dependencies.is_empty() {
                let shown: Vec<&str> = release
                    .floating_dependencies
                    .iter()
                    .take(8)
                    .map(String::as_str)
                    .collect();
                let more = release.floating_dependencies.len().saturating_sub(shown.len());
                let more = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                parts.push(format!(
                    "{} dependencies float ({}{more})",
                    release.floating_dependencies.len(),
                    shown.join(", ")
                ));
            }
            if release.install_script {
                parts.push("it runs install scripts".to_owned());
            }
            let shrinkwrap = match release.shrinkwrap {
                Some(false) => "no npm-shrinkwrap.json",
                _ => "the registry does not say whether it ships npm-shrinkwrap.json",
            };
            findings.push(
                Finding::new(
                    Self::INFO.id,
                    Self::INFO.default_severity,
                    format!(
                        "`{}@{version}` is pinned, but {}; {shrinkwrap}",
                        package.name,
                        parts.join(", and ")
                    ),
                    route,
                )
                .server(&server.name, &server.route)
                .subfeature(package.text.clone())
                .label("transitive dependencies float")
                .help("prefer a container image pinned by digest, or a package that ships a shrinkwrap"),
            );
        }
    }
}
