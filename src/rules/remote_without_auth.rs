//! `remote-without-auth`: a remote server is configured with no credential of any kind.

use crate::finding::{Finding, Severity};
use crate::model::url::{self, HostKind};
use crate::model::{McpConfig, Server};

use super::{FixAvailability, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a remote (HTTP, SSE, WebSocket) server on a public host that a gateway (LiteLLM, its
    /// Helm chart) connects to with no credential at all: no `auth_type`, authentication token,
    /// header or OAuth settings.
    ///
    /// Desktop and IDE clients are left alone: Claude Code, VS Code, Cursor, Gemini CLI, Codex and
    /// others run the MCP authorization flow themselves (OAuth discovery from the server's 401),
    /// so a remote with no credential in the file is how an OAuth server is configured. So are
    /// servers on loopback and internal hosts (`*.svc.cluster.local`, single-label names), which
    /// network policy guards, and documentation servers that are public by design (DeepWiki,
    /// Context7, GitMCP, Microsoft Learn, ...).
    ///
    /// ## Why is this bad?
    /// A server anyone can call is a server anyone can feed. If it is yours, anyone who finds the
    /// URL can use its tools; if it is someone else's, nothing ties the answers you get to an
    /// account you control.
    ///
    /// ## Example
    /// ```json
    /// { "mcpServers": { "tickets": { "type": "http", "url": "https://tickets.example.com/mcp" } } }
    /// ```
    /// Use instead:
    /// ```json
    /// { "mcpServers": { "tickets": { "type": "http", "url": "https://tickets.example.com/mcp", "headers": { "Authorization": "Bearer ${TICKETS_TOKEN}" } } } }
    /// ```
    ///
    /// ## Fix
    /// Add the credential the server expects, through the client's reference syntax. Not fixed
    /// automatically: only the server's owner knows the scheme.
    ///
    /// ## References
    /// - MCP specification, Authorization
    /// - LiteLLM `auth_type` (DIALECTS.md section 9.1)
    pub struct RemoteWithoutAuth {
        id: "remote-without-auth",
        summary: "A remote server has no credential of any kind",
        severity: Severity::Info,
        fix: FixAvailability::None,
    }
}

impl Rule for RemoteWithoutAuth {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_server(&self, config: &McpConfig, server: &Server, findings: &mut Vec<Finding>) {
        // A gateway connects server to server and cannot run an interactive OAuth flow; the
        // other clients run it themselves when a server asks for it.
        if !config.dialect.is_litellm() {
            return;
        }
        let Some(remote) = server.remote() else {
            return;
        };
        if !server.auth.is_empty() {
            return;
        }
        // `auth_type: none` is an explicit choice that rbac-gap reports with more context.
        if server
            .litellm
            .as_ref()
            .and_then(|l| l.auth_type.as_ref())
            .is_some_and(|a| a.value == "none")
        {
            return;
        }
        // Templates (`{{URL}}`, `${VAR}`) have no host to judge.
        let Some(parts) = url::parse(&remote.url.value) else {
            return;
        };
        if url::host_kind(parts.host) != HostKind::Public || is_public_documentation(parts.host) {
            return;
        }
        findings.push(
            Finding::new(
                Self::INFO.id,
                Self::INFO.default_severity,
                format!("remote server `{}` is configured without any credential", server.name),
                &remote.url.route,
            )
            .server(&server.name, &server.route)
            .label("no auth header, token or OAuth")
            .help("add the credential the server expects through a variable reference"),
        );
    }
}

/// Hosts of MCP servers that serve public documentation to anyone, by design.
fn is_public_documentation(host: &str) -> bool {
    const HOSTS: [&str; 8] = [
        "mcp.deepwiki.com",
        "mcp.context7.com",
        "gitmcp.io",
        "learn.microsoft.com",
        "developers.openai.com",
        "docs.mcp.cloudflare.com",
        "mcp.docs.astro.build",
        "mcp.svelte.dev",
    ];
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    HOSTS
        .iter()
        .any(|known| host == *known || host.strip_suffix(known).is_some_and(|rest| rest.ends_with('.')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_documentation_hosts() {
        assert!(is_public_documentation("mcp.deepwiki.com"));
        assert!(is_public_documentation("idosal.gitmcp.io"));
        assert!(!is_public_documentation("evilgitmcp.io"));
        assert!(!is_public_documentation("tickets.example.com"));
    }
}
