//! `insecure-transport`: a remote server is reached over plain HTTP.

use crate::finding::{Finding, Severity};
use crate::fix::{Applicability, Edit, Fix};
use crate::model::url::{self, HostKind};
use crate::model::{McpConfig, Server};

use super::{FixAvailability, Rule, RuleInfo, declare_rule};

mod agentgateway;

declare_rule! {
    /// ## What it does
    /// Flags remote servers whose URL is `http://` or `ws://` to a host that is not loopback.
    /// Hosts on private addresses or cluster names (`*.svc.cluster.local`, `10.0.0.0/8`) are
    /// warnings; public hosts are errors.
    ///
    /// agentgateway's network targets (`mcp`, `sse`, and the REST APIs of `openapi` targets) are
    /// judged as agentgateway connects to them: plain HTTP for an `http://` host, for a host
    /// without a scheme (`example.com:443` too), and for `host` with `port` and `path`; TLS for an
    /// `https://` host or a `backendTLS` policy on the target.
    ///
    /// ## Why is this bad?
    /// Tool calls, their results and the credentials in the headers cross the network in clear
    /// text. Anyone on the path can read tokens and rewrite tool results, which is a prompt
    /// injection channel straight into the model. Inside a cluster the path is shorter, not safe.
    ///
    /// ## Example
    /// ```json
    /// { "mcpServers": { "docs": { "type": "http", "url": "http://mcp.example.com/mcp" } } }
    /// ```
    /// Use instead:
    /// ```json
    /// { "mcpServers": { "docs": { "type": "http", "url": "https://mcp.example.com/mcp" } } }
    /// ```
    ///
    /// ## Fix
    /// Use `https://` (or `wss://`). The server must serve TLS on that name, so the change is
    /// unsafe: check it first.
    ///
    /// ## References
    /// - MCP specification, Transports: "Servers SHOULD use HTTPS"
    /// - OWASP Top 10 2021, A02 Cryptographic Failures
    /// - agentgateway `crates/agentgateway/src/types/local.rs` (`McpBackendHost::process`)
    pub struct InsecureTransport {
        id: "insecure-transport",
        summary: "A remote server is reached over plain HTTP",
        severity: Severity::Error,
        fix: FixAvailability::Always,
    }
}

impl Rule for InsecureTransport {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, config: &McpConfig, findings: &mut Vec<Finding>) {
        if config.dialect == crate::dialect::Dialect::Agentgateway {
            agentgateway::check_targets(config, findings);
            return;
        }
        for server in &config.servers {
            self.check_server(config, server, findings);
        }
    }

    fn check_server(&self, _config: &McpConfig, server: &Server, findings: &mut Vec<Finding>) {
        let Some(remote) = server.remote() else {
            return;
        };
        let Some(parts) = url::parse(&remote.url.value) else {
            return;
        };
        if !matches!(parts.scheme.as_str(), "http" | "ws") {
            return;
        }
        let severity = match url::host_kind(parts.host) {
            HostKind::Loopback => return,
            HostKind::Internal => Severity::Warning,
            HostKind::Public => Self::INFO.default_severity,
        };
        let secure = if parts.scheme == "ws" { "wss" } else { "https" };
        findings.push(
            Finding::new(
                Self::INFO.id,
                severity,
                format!(
                    "server `{}` is reached over plain {} to `{}`",
                    server.name, parts.scheme, parts.host
                ),
                &remote.url.route,
            )
            .server(&server.name, &server.route)
            .subfeature(format!("{}://", parts.scheme_text))
            .label("clear text")
            .help(format!("use `{secure}://`"))
            .fix(Fix::new(
                format!("Use `{secure}://`"),
                Applicability::Unsafe,
                vec![Edit::ReplaceInString {
                    route: remote.url.route.clone(),
                    find: format!("{}://", parts.scheme_text),
                    replace: format!("{secure}://"),
                }],
            )),
        );
    }
}
