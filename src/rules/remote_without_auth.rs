//! `remote-without-auth`: a remote server is configured with no credential of any kind.

use crate::finding::{Finding, Severity};
use crate::model::url::{self, HostKind};
use crate::model::{McpConfig, Server};

use super::{FixAvailability, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags remote (HTTP, SSE, WebSocket) servers that carry no credential at all: no
    /// authorization or API-key header, no OAuth block, no `auth_type`, no bearer-token variable,
    /// no header helper. Loopback servers are skipped. It is informational: public documentation
    /// servers need no credential, and some servers authenticate the user interactively.
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

    fn check_server(&self, _config: &McpConfig, server: &Server, findings: &mut Vec<Finding>) {
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
        if url::parse(&remote.url.value).is_some_and(|p| url::host_kind(p.host) == HostKind::Loopback) {
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
