//! `unknown-package`: the registry answers that a package a server launches does not exist.

use crate::finding::{Finding, Severity};
use crate::model::{Ecosystem, McpConfig, VersionSpec};

use super::{FixAvailability, LintContext, Needs, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Asks the package's registry (npm or PyPI) about every package a server launches and
    /// reports the ones it answers HTTP 404 for. Needs registry answers (`--resolve`, `--fix
    /// --unsafe-fixes`, or `--offline` from the cache). A version that does not exist is
    /// `bad-pinned-version`'s.
    ///
    /// ## Why is this bad?
    /// The launch fails today; and the name is free, so anyone can publish a package under it
    /// tomorrow and the config will run that (dependency confusion).
    ///
    /// ## Example
    /// `npx -y @acme/mcp-servr` where the package is `@acme/mcp-server`.
    ///
    /// ## Fix
    /// Correct the name, or remove the server. No automatic fix.
    ///
    /// ## References
    /// - OWASP Top 10 for LLM Applications, LLM03: Supply Chain
    pub struct UnknownPackage {
        id: "unknown-package",
        summary: "The registry has no package of this name",
        severity: Severity::Error,
        fix: FixAvailability::None,
    }
}

impl Rule for UnknownPackage {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn needs(&self) -> Needs {
        Needs::Registry
    }

    fn check_in(&self, config: &McpConfig, context: &LintContext, findings: &mut Vec<Finding>) {
        let Some(registry) = context.registry else {
            return;
        };
        for server in &config.servers {
            let Some(package) = server.launch.as_ref().and_then(|l| l.package.as_ref()) else {
                continue;
            };
            let registry_name = match package.ecosystem {
                Ecosystem::Npm => "npm",
                Ecosystem::PyPi => "PyPI",
                _ => continue,
            };
            if matches!(package.spec, VersionSpec::Git { .. } | VersionSpec::Url(_))
                || !registry.not_found(package.ecosystem, &package.name)
            {
                continue;
            }
            let Some(route) = server.arg_route(package.position) else {
                continue;
            };
            findings.push(
                Finding::new(
                    Self::INFO.id,
                    Self::INFO.default_severity,
                    format!(
                        "`{}` does not exist on {registry_name} (the registry answered 404): the launch fails, and whoever publishes the name first decides what it runs",
                        package.name
                    ),
                    route,
                )
                .server(&server.name, &server.route)
                .subfeature(package.name.clone())
                .label("no such package")
                .help("correct the package name, or remove the server"),
            );
        }
    }
}
