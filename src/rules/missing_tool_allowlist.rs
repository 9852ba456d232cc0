//! `missing-tool-allowlist`: a server exposes every tool because no allowlist restricts it.

use crate::dialect::Dialect;
use crate::finding::{Finding, Severity};
use crate::model::{McpConfig, Server};

use super::{FixAvailability, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags servers that expose every tool they have because the client's per-server exposure
    /// allowlist is missing or allows everything: LiteLLM `allowed_tools`, Gemini CLI
    /// `includeTools`, Codex `enabled_tools`, the `tools` list of GitHub Copilot's format in
    /// `.vscode/mcp.json`. A list of `["*"]` allows everything, and so does an empty LiteLLM
    /// `allowed_tools` unless `mcp_info.tool_allowlist_enforced: true` sits beside it. A denylist
    /// (`excludeTools`, `disabled_tools`, `disallowed_tools`) is not an allowlist: new tools of a new
    /// server version are exposed by default.
    ///
    /// Where the client cannot restrict tools in this file at all (Claude Desktop, Claude Code,
    /// Cursor, Windsurf, Cline), it says once per file, at low severity, where that client can.
    ///
    /// ## Why is this bad?
    /// Without an allowlist any caller can invoke any tool, write and external ones included
    /// (OWASP LLM06 Excessive Agency). A prompt injection in a fetched page can then delete a
    /// repository or post to a channel through a server that was added for reading.
    ///
    /// ## Example
    /// ```yaml
    /// mcp_servers:
    ///   github_tools:
    ///     url: https://mcp.example.com/github/mcp
    /// ```
    /// Use instead:
    /// ```yaml
    /// mcp_servers:
    ///   github_tools:
    ///     url: https://mcp.example.com/github/mcp
    ///     allowed_tools: [get_issue, list_issues]
    /// ```
    ///
    /// ## Fix
    /// Add the dialect's allowlist with the read-only tools the server needs. A skeleton must deny
    /// until it is filled in: in LiteLLM an empty `allowed_tools` allows every tool, so it needs
    /// `mcp_info: {tool_allowlist_enforced: true}` beside it.
    ///
    /// ## References
    /// - OWASP Top 10 for LLM Applications 2025, LLM06 Excessive Agency
    /// - LiteLLM `proxy/mcp_server/utils.py` (allowlist applied only when non-empty or enforced)
    /// - Gemini CLI `docs/tools/mcp-server.md` (`includeTools`, `excludeTools`)
    /// - Codex `codex-rs/core/src/config/types.rs` (`enabled_tools`, `disabled_tools`)
    pub struct MissingToolAllowlist {
        id: "missing-tool-allowlist",
        summary: "A server exposes every tool: no allowlist restricts it",
        severity: Severity::Warning,
        fix: FixAvailability::None,
    }
}

impl Rule for MissingToolAllowlist {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, config: &McpConfig, findings: &mut Vec<Finding>) {
        let Some(servers_route) = &config.servers_route else {
            return;
        };
        if config.servers.iter().all(|s| s.tools.allowlist_key.is_none()) {
            if !config.servers.is_empty() {
                findings.push(
                    Finding::new(
                        Self::INFO.id,
                        Severity::Info,
                        format!(
                            "{} cannot restrict which tools a server exposes in this file; {}",
                            config.dialect.client(),
                            where_to_restrict(config.dialect)
                        ),
                        servers_route,
                    )
                    .on_key()
                    .label("every tool of these servers is exposed"),
                );
            }
            return;
        }
        // Copilot's portable `.mcp.json` names `tools` on some servers: the others lack it.
        let file_key = config.servers.iter().find_map(|s| s.tools.allowlist_key);
        for server in &config.servers {
            if let Some(key) = server.tools.allowlist_key.or(file_key) {
                check_allowlist(config, server, key, findings);
            }
        }
    }
}

fn check_allowlist(config: &McpConfig, server: &Server, key: &str, findings: &mut Vec<Finding>) {
    let info = &MissingToolAllowlist::INFO;
    let Some(allow) = &server.tools.allow else {
        let denylist = server
            .tools
            .deny
            .as_ref()
            .map(|_| " (a denylist still exposes every tool it does not name)")
            .unwrap_or_default();
        findings.push(
            Finding::new(
                info.id,
                info.default_severity,
                format!(
                    "server `{}` exposes every tool: it has no `{key}` allowlist{denylist}",
                    server.name
                ),
                &server.route,
            )
            .server(&server.name, &server.route)
            .on_key()
            .label("no tool allowlist")
            .help(format!("add `{key}` listing only the tools this server needs")),
        );
        return;
    };
    if let Some(star) = allow.items.iter().find(|t| t.value.trim() == "*") {
        findings.push(
            Finding::new(
                info.id,
                info.default_severity,
                format!("server `{}` allows every tool: `{key}` contains `*`", server.name),
                &star.route,
            )
            .server(&server.name, &server.route)
            .label("allows every tool")
            .help(format!("list the tools by name in `{key}`")),
        );
        return;
    }
    let enforced = server.tools.enforced.as_ref().is_some_and(|f| f.value);
    if config.dialect.is_litellm() && allow.items.is_empty() && !enforced {
        findings.push(
            Finding::new(
                info.id,
                info.default_severity,
                format!(
                    "server `{}` has an empty `allowed_tools`, which LiteLLM treats as \"allow every tool\"",
                    server.name
                ),
                &allow.route,
            )
            .server(&server.name, &server.route)
            .label("empty list allows every tool")
            .help(
                "list the tools by name, or add `mcp_info: {tool_allowlist_enforced: true}` so the empty list denies",
            ),
        );
    }
}

/// Where a client without a per-server allowlist in its config file restricts tools instead.
fn where_to_restrict(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::ClaudeCode => {
            "deny tools with `permissions.deny` (`mcp__<server>__<tool>`) in `.claude/settings.json`"
        }
        Dialect::Cursor => {
            "deny tools with `permissions.deny` (`Mcp(<server>:<tool>)`) in `.cursor/cli.json` or turn them off in Cursor's MCP settings"
        }
        Dialect::ClaudeDesktop => "turn tools off per server in Claude Desktop's connector settings",
        Dialect::Windsurf => "turn tools off per server in Windsurf's MCP settings (Cascade)",
        Dialect::Cline => "turn tools off in Cline's MCP settings and keep `autoApprove` empty",
        _ => "restrict tools in the client's settings or put the servers behind a gateway with an allowlist",
    }
}
