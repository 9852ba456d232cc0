//! `bad-pinned-version`: a pinned version does not exist, is deprecated (npm) or yanked (PyPI).

use crate::finding::{Finding, Severity};
use crate::model::{Ecosystem, McpConfig};

use super::pinned::pinned;
use super::{FixAvailability, LintContext, Needs, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Asks the registry about every exactly pinned npm or PyPI package and flags a version that
    /// was never published, that npm marks `deprecated`, or that PyPI marks yanked. Needs registry
    /// answers: it runs with `--resolve`, under `--fix --unsafe-fixes`, and under `--offline` from
    /// the cache; a plain `check` makes no request and skips it.
    ///
    /// ## Why is this bad?
    /// A version that does not exist makes the server fail to start (often a typo, sometimes a
    /// package that was removed for cause). Maintainers deprecate or yank a release when it is
    /// broken or unsafe; a pin keeps running it after everyone else moved on.
    ///
    /// ## Example
    /// ```json
    /// { "mcpServers": { "x": { "command": "npx", "args": ["-y", "@example/mcp-server@1.1.0"] } } }
    /// ```
    /// where npm says of 1.1.0: "Security issue, upgrade to 1.2.0".
    ///
    /// ## Fix
    /// Pin a version the registry still recommends: remove the version and run
    /// `mcp-lint --fix --unsafe-fixes` to pin the newest one the policy admits, or `mcp-lint pin`.
    ///
    /// ## References
    /// - npm documentation, `npm deprecate`
    /// - PEP 592, "Adding Yank Support to the Simple API"
    pub struct BadPinnedVersion {
        id: "bad-pinned-version",
        summary: "A pinned version does not exist, is deprecated or is yanked",
        severity: Severity::Error,
        fix: FixAvailability::None,
    }
}

impl Rule for BadPinnedVersion {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn needs(&self) -> Needs {
        Needs::Registry
    }

    fn check_in(&self, config: &McpConfig, context: &LintContext, findings: &mut Vec<Finding>) {
        for pin in pinned(config, context) {
            let (server, package, version, route, info) = (pin.server, pin.package, pin.version, pin.route, pin.info);
            let withdrawn = if package.ecosystem == Ecosystem::Npm {
                "deprecated"
            } else {
                "yanked"
            };
            let (message, label, severity) = match info.release(version) {
                None => (
                    format!("`{}` has no published version {version}", package.name),
                    "no such version".to_owned(),
                    Severity::Error,
                ),
                Some(release) => match &release.withdrawn {
                    Some(reason) => (
                        format!(
                            "`{}@{version}` is {withdrawn}: {}",
                            package.name,
                            reason.lines().next().unwrap_or_default()
                        ),
                        withdrawn.to_owned(),
                        Severity::Warning,
                    ),
                    None => continue,
                },
            };
            let newest = info
                .releases
                .iter()
                .find(|r| !r.prerelease && r.withdrawn.is_none())
                .map(|r| format!(" (the newest usable version is {})", r.version))
                .unwrap_or_default();
            findings.push(
                Finding::new(Self::INFO.id, severity, message, route)
                    .server(&server.name, &server.route)
                    .subfeature(package.text.clone())
                    .label(label)
                    .help(format!("pin a version the registry still offers{newest}")),
            );
        }
    }
}
