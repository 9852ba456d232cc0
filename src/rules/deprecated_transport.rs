//! `deprecated-transport`: a remote server is reached over HTTP+SSE, the transport the MCP
//! specification replaced, where the client offers Streamable HTTP.

use crate::dialect::Dialect;
use crate::finding::{Finding, Severity};
use crate::model::{McpConfig, Server};

use super::{FixAvailability, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a remote server configured with the HTTP+SSE transport where its client also speaks
    /// Streamable HTTP: `"type": "sse"` (Claude Code, VS Code, Cursor, Copilot), `type: sse`
    /// (Roo Code, Kilo Code, Continue, Goose), a server.json remote of `"type": "sse"` (the
    /// registry also takes `streamable-http`), LiteLLM `transport: sse`, Cline's `"type":
    /// "sse"` or a `url` without `type` (Cline reads that as SSE), and a Gemini CLI or Qwen Code
    /// `url` without `"type": "http"` (both read a bare `url` as SSE). Clients that speak only
    /// one transport, or whose choice is not settled, are not checked.
    ///
    /// ## Why is this bad?
    /// The MCP specification of 2025-03-26 replaced HTTP+SSE with Streamable HTTP; servers are
    /// dropping the old endpoint (often `/sse`, beside the new `/mcp`), and SSE keeps one long
    /// connection per session that proxies and load balancers cut. A config on the old transport
    /// stops working when its server retires the endpoint.
    ///
    /// ## Example
    /// ```json
    /// { "mcpServers": { "docs": { "type": "sse", "url": "https://mcp.example.com/sse" } } }
    /// ```
    /// Use instead (when the server serves Streamable HTTP there):
    /// ```json
    /// { "mcpServers": { "docs": { "type": "http", "url": "https://mcp.example.com/mcp" } } }
    /// ```
    ///
    /// ## Fix
    /// None: the endpoint of the new transport is often another path, which only the server's
    /// documentation (or `mcp-lint probe --remote`) tells. The help names the client's key.
    ///
    /// ## References
    /// - MCP specification 2025-03-26, Transports: Streamable HTTP replaces HTTP+SSE
    /// - Claude Code and VS Code `type`; Cline `src/services/mcp/schemas.ts`; Gemini CLI
    ///   `MCPServerConfig` (`url` is SSE unless `type` is `http`); LiteLLM `MCPTransport`
    pub struct DeprecatedTransport {
        id: "deprecated-transport",
        summary: "A remote server uses the HTTP+SSE transport the specification replaced",
        severity: Severity::Warning,
        fix: FixAvailability::None,
    }
}

impl Rule for DeprecatedTransport {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_server(&self, config: &McpConfig, server: &Server, findings: &mut Vec<Finding>) {
        if server.remote().is_none() {
            return;
        }
        let text = |key: &str| {
            config
                .value_at(&server.route.key(key))
                .and_then(serde_json::Value::as_str)
        };
        let declares_sse = |key: &str| text(key).is_some_and(|value| value.eq_ignore_ascii_case("sse"));
        // (the key to point at, what to write instead)
        let (key, instead): (&str, &str) = match config.dialect {
            Dialect::ClaudeCode | Dialect::Vscode | Dialect::Cursor | Dialect::Copilot | Dialect::CopilotAgent
                if declares_sse("type") =>
            {
                ("type", "`\"type\": \"http\"`")
            }
            Dialect::Roo | Dialect::Kilo | Dialect::Continue if declares_sse("type") => {
                ("type", "`type: streamable-http`")
            }
            Dialect::Goose if declares_sse("type") => ("type", "`type: streamable_http`"),
            // A published remote: every client that installs it from the registry meets it.
            Dialect::ServerJson if declares_sse("type") => ("type", "`\"type\": \"streamable-http\"`"),
            Dialect::Litellm | Dialect::Helm if declares_sse("transport") => ("transport", "`transport: http`"),
            Dialect::Cline if declares_sse("type") => ("type", "`\"type\": \"streamableHttp\"`"),
            Dialect::Cline if text("type").is_none() && text("url").is_some() => (
                "url",
                "`\"type\": \"streamableHttp\"` beside the `url` (without it Cline uses SSE)",
            ),
            Dialect::Gemini | Dialect::Qwen
                if text("httpUrl").is_none() && text("url").is_some() && text("type").is_none_or(|t| t != "http") =>
            {
                if config.dialect == Dialect::Gemini {
                    ("url", "`\"type\": \"http\"` beside the `url` (a bare `url` is SSE)")
                } else {
                    ("url", "`httpUrl` instead of `url` (a `url` is SSE)")
                }
            }
            _ => return,
        };
        findings.push(
            Finding::new(
                DeprecatedTransport::INFO.id,
                DeprecatedTransport::INFO.default_severity,
                format!(
                    "server `{}` uses the HTTP+SSE transport, which Streamable HTTP replaced (MCP 2025-03-26)",
                    server.name
                ),
                &server.route.key(key),
            )
            .server(&server.name, &server.route)
            .label("HTTP+SSE")
            .help(format!(
                "if the server serves Streamable HTTP (often at `/mcp` rather than `/sse`), write {instead}"
            )),
        );
    }
}
