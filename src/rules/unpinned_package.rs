//! `unpinned-package`: a runner (npx, uvx, pipx, ...) fetches a package without an exact version.

use crate::finding::{Finding, Severity};
use crate::model::{Ecosystem, McpConfig, Server, VersionSpec};

use super::{FixAvailability, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags servers started by a package runner (`npx`, `bunx`, `pnpm dlx`, `yarn dlx`, `uvx`,
    /// `uv tool run`, `pipx run`, `deno run npm:`/`jsr:`) whose package has no exact version: no
    /// version at all, a tag such as `@latest`, a range such as `@^1.2` or `>=1`, or a git/URL spec
    /// without a full commit id. Wrappers (`cmd /c`, `bash -c "..."`) are looked through.
    ///
    /// ## Why is this bad?
    /// The runner resolves the name again on every launch, so whatever is published next runs on
    /// the next start with the user's credentials: one compromised maintainer account or typo-squat
    /// away from a supply-chain incident (OWASP LLM03). `npx` also prefers any copy of the package in
    /// a local `node_modules`, silently.
    ///
    /// ## Example
    /// ```json
    /// { "mcpServers": { "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"] } } }
    /// ```
    /// Use instead:
    /// ```json
    /// { "mcpServers": { "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"] } } }
    /// ```
    ///
    /// ## Fix
    /// Pin the exact version in the runner's own syntax: `pkg@1.2.3` (npm runners, uvx),
    /// `pkg==1.2.3` (uvx, pipx), `--from 'pkg==1.2.3'`, `npm:pkg@1.2.3` (deno). Pinning picks a new
    /// version, so the fix is unsafe.
    ///
    /// ## References
    /// - OWASP Top 10 for LLM Applications 2025, LLM03 Supply Chain
    /// - npm `npx` documentation: "without a version specifier npx matches whatever exists locally"
    /// - uv tool documentation: "Requesting specific versions"
    pub struct UnpinnedPackage {
        id: "unpinned-package",
        summary: "A package runner fetches a server without an exact version",
        severity: Severity::Error,
        fix: FixAvailability::None,
    }
}

impl Rule for UnpinnedPackage {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_server(&self, _config: &McpConfig, server: &Server, findings: &mut Vec<Finding>) {
        let Some(launch) = &server.launch else {
            return;
        };
        let Some(package) = &launch.package else {
            return;
        };
        if package.ecosystem == Ecosystem::Oci || package.spec.is_pinned() {
            return;
        }
        let Some(route) = server.arg_route(package.position) else {
            return;
        };
        let name = &package.name;
        let (message, label) = match &package.spec {
            VersionSpec::None => (
                format!("`{name}` runs without a version: every launch takes whatever is newest"),
                "no version".to_owned(),
            ),
            VersionSpec::Tag(tag) => (
                format!("`{name}@{tag}` follows a movable tag"),
                format!("floating tag `{tag}`"),
            ),
            VersionSpec::Range(range) => (
                format!("`{name}` is constrained to the range `{range}`, not one version"),
                format!("version range `{range}`"),
            ),
            VersionSpec::Git { commit: None, .. } => (
                format!("`{name}` comes from a git ref without a commit id"),
                "git ref without a commit".to_owned(),
            ),
            VersionSpec::Url(url) => (
                format!("`{url}` is fetched from a URL with no digest to check"),
                "unverified URL".to_owned(),
            ),
            _ => return,
        };
        findings.push(
            Finding::new(Self::INFO.id, Self::INFO.default_severity, message, route)
                .server(&server.name, &server.route)
                .subfeature(package.text.clone())
                .label(label)
                .help(format!(
                    "pin an exact version in {}'s syntax (e.g. {}), or run `mcp-lint pin`",
                    launch.launcher.name(),
                    pinned_example(package.ecosystem, name)
                )),
        );
    }
}

fn pinned_example(ecosystem: Ecosystem, name: &str) -> String {
    match ecosystem {
        Ecosystem::PyPi => format!("`{name}==1.2.3`"),
        _ => format!("`{name}@1.2.3`"),
    }
}
