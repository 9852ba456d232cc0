//! `invalid-config`: structure the client would reject or silently drop.

use crate::dialect::Route;
use crate::finding::{Finding, Severity};
use crate::model::McpConfig;

use super::{FixAvailability, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks each file against the JSON Schema of its dialect (vendored in `schemas/dialects/`):
    /// wrong types (`args` as a string, `env` values that are numbers), unknown keys where the
    /// client rejects them (Codex, VS Code, Gemini CLI), likely typos with a suggestion
    /// (`mcpServer`, `arg`, `envs`), servers under the key another client reads (`servers` in a
    /// Cursor file), and LiteLLM server names containing `-`.
    ///
    /// ## Why is this bad?
    /// Clients fail differently: Codex and VS Code refuse the file, Claude Code drops the server
    /// with a one-line log, zod-based clients strip unknown keys without a word. Either way the
    /// setting you wrote is not the setting that runs, and a dropped `includeTools` or `args`
    /// changes what a server can do.
    ///
    /// ## Example
    /// ```json
    /// { "mcpServers": { "fs": { "command": "npx", "arg": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/srv"] } } }
    /// ```
    /// Use instead:
    /// ```json
    /// { "mcpServers": { "fs": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/srv"] } } }
    /// ```
    ///
    /// ## Fix
    /// Not fixed automatically: a typo's intended key is a guess. The message names the suggestion.
    ///
    /// ## References
    /// - DIALECTS.md (field-by-field reference with sources) and `schemas/README.md`
    /// - LiteLLM `validate_mcp_server_name` (no `-` in server names)
    pub struct InvalidConfig {
        id: "invalid-config",
        summary: "The client would reject or silently drop part of this config",
        severity: Severity::Error,
        fix: FixAvailability::None,
    }
}

impl Rule for InvalidConfig {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, config: &McpConfig, findings: &mut Vec<Finding>) {
        findings.extend(super::shape_findings(config, &Self::INFO, false));
        for issue in super::unreported_schema_issues(config, false) {
            let server = server_of(config, &issue.route);
            let mut finding = Finding::new(
                Self::INFO.id,
                Self::INFO.default_severity,
                issue.message.clone(),
                &issue.route,
            )
            .label(if issue.on_key {
                "unexpected key"
            } else {
                "invalid value"
            });
            if let Some((name, route)) = server {
                finding = finding.server(name, route);
            }
            if issue.on_key {
                finding = finding.on_key();
            }
            findings.push(finding);
        }
    }
}

/// The server whose entry contains `route`, if any.
fn server_of<'a>(config: &'a McpConfig, route: &Route) -> Option<(&'a str, &'a Route)> {
    config.server_containing(route).map(|s| (s.name.as_str(), &s.route))
}
