//! `rbac-gap`: LiteLLM gateway settings that open MCP servers to every key or to nobody's key.

use crate::finding::{Finding, Severity};
use crate::model::url::{self, HostKind};
use crate::model::{MasterKey, McpConfig, Server, Transport};
use crate::secrets::{self, SecretKind};

use super::{FixAvailability, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks the access control of a LiteLLM proxy config (or the `proxy_config` of the LiteLLM
    /// Helm chart) around its MCP servers:
    /// - `allow_all_keys: true` makes a server callable with every virtual key;
    /// - `auth_type: none` on a remote server sends no credential upstream;
    /// - `auth_type: oauth2` without `oauth2_flow` makes LiteLLM refuse to start;
    /// - `general_settings.master_key` missing, empty or written literally;
    /// - `require_key_mcp_access_defined` unset: a key with no MCP grants inherits every server of
    ///   its team;
    /// - `available_on_public_internet` left at its default `true` on a server with an internal URL
    ///   or a local command.
    ///
    /// ## Why is this bad?
    /// A gateway is only as narrow as its widest grant. Each of these settings fails open: a new
    /// key, a new team member or an unauthenticated caller gets every tool of the server.
    ///
    /// ## Example
    /// ```yaml
    /// mcp_servers:
    ///   jira:
    ///     url: http://jira-mcp.tools.svc.cluster.local:8000/mcp
    ///     allow_all_keys: true
    /// general_settings:
    ///   master_key: sk-1234
    /// ```
    /// Use instead:
    /// ```yaml
    /// mcp_servers:
    ///   jira:
    ///     url: http://jira-mcp.tools.svc.cluster.local:8000/mcp
    ///     access_groups: [jira]
    ///     available_on_public_internet: false
    /// general_settings:
    ///   master_key: os.environ/LITELLM_MASTER_KEY
    ///   require_key_mcp_access_defined: true
    /// ```
    ///
    /// ## Fix
    /// Replace `allow_all_keys` with an `access_groups` entry, read the master key from
    /// `os.environ/LITELLM_MASTER_KEY`, set `require_key_mcp_access_defined: true` and
    /// `available_on_public_internet: false`. Each changes who can call what, so each is unsafe.
    ///
    /// ## References
    /// - LiteLLM docs, MCP access control (`docs/mcp_control`)
    /// - LiteLLM 1.109.1 `proxy/_types.py`, `proxy/mcp_server/mcp_server_manager.py`
    /// - OWASP Top 10 for LLM Applications 2025, LLM06 Excessive Agency
    pub struct RbacGap {
        id: "rbac-gap",
        summary: "A LiteLLM MCP server is open to every key, or the proxy has no master key",
        severity: Severity::Warning,
        fix: FixAvailability::None,
    }
}

impl Rule for RbacGap {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, config: &McpConfig, findings: &mut Vec<Finding>) {
        let (Some(gateway), Some(servers_route)) = (&config.gateway, &config.servers_route) else {
            return;
        };
        for server in &config.servers {
            self.check_server(config, server, findings);
        }
        let id = Self::INFO.id;
        match &gateway.master_key {
            None => findings.push(
                Finding::new(
                    id,
                    Severity::Warning,
                    "no `general_settings.master_key`: unless LITELLM_MASTER_KEY is set in the proxy's environment, every caller is admin",
                    if gateway.has_general_settings { &gateway.general_settings } else { servers_route },
                )
                .on_key()
                .label("no master key")
                .help("set `master_key: os.environ/LITELLM_MASTER_KEY`"),
            ),
            Some(MasterKey::Empty(route)) => findings.push(
                Finding::new(id, Severity::Error, "`master_key` is empty: the proxy runs without authentication", route)
                    .label("empty master key")
                    .help("set `master_key: os.environ/LITELLM_MASTER_KEY`"),
            ),
            Some(MasterKey::Value(key)) if !secrets::is_reference(&key.value) => findings.push(
                Finding::new(
                    id,
                    Severity::Error,
                    format!(
                        "`master_key` is written in the file ({}): anyone who reads it is admin of the proxy",
                        secrets::redact(&key.value, SecretKind::NamedSecret)
                    ),
                    &key.route,
                )
                .mask(key.value.clone())
                .label("literal master key")
                .help("move it to the environment: `master_key: os.environ/LITELLM_MASTER_KEY`"),
            ),
            Some(MasterKey::Value(_)) => {}
        }
        if config.servers.is_empty() {
            return;
        }
        match &gateway.require_key_mcp_access_defined {
            Some(flag) if flag.value => {}
            Some(flag) => findings.push(
                Finding::new(
                    id,
                    Severity::Warning,
                    "`require_key_mcp_access_defined: false`: keys without MCP grants inherit every MCP server of their team",
                    &flag.route,
                )
                .label("keys inherit team servers")
                .help("set `require_key_mcp_access_defined: true`"),
            ),
            None => findings.push(
                Finding::new(
                    id,
                    Severity::Warning,
                    "`require_key_mcp_access_defined` is not set: keys without MCP grants inherit every MCP server of their team",
                    if gateway.has_general_settings { &gateway.general_settings } else { servers_route },
                )
                .on_key()
                .label("keys inherit team servers")
                .help("add `require_key_mcp_access_defined: true` under `general_settings`"),
            ),
        }
    }

    fn check_server(&self, _config: &McpConfig, server: &Server, findings: &mut Vec<Finding>) {
        let Some(litellm) = &server.litellm else {
            return;
        };
        let id = Self::INFO.id;
        let at = |message: String, route, severity| {
            Finding::new(id, severity, message, route).server(&server.name, &server.route)
        };
        if let Some(flag) = litellm.allow_all_keys.as_ref().filter(|f| f.value) {
            findings.push(
                at(
                    format!(
                        "server `{}` is callable with every virtual key (`allow_all_keys: true`)",
                        server.name
                    ),
                    &flag.route,
                    Severity::Warning,
                )
                .label("open to every key")
                .help("grant it through `access_groups` instead"),
            );
        }
        if let Some(auth_type) = litellm.auth_type.as_ref() {
            if auth_type.value == "none" && server.remote().is_some() {
                findings.push(
                    at(
                        format!(
                            "server `{}` sends no credential upstream (`auth_type: none`)",
                            server.name
                        ),
                        &auth_type.route,
                        Severity::Warning,
                    )
                    .label("no upstream auth")
                    .help("set the `auth_type` the server expects and a token from `os.environ/`"),
                );
            }
            if auth_type.value == "oauth2" && litellm.oauth2_flow.is_none() {
                findings.push(
                    at(
                        format!(
                            "server `{}` uses `auth_type: oauth2` without `oauth2_flow`: LiteLLM refuses to start",
                            server.name
                        ),
                        &auth_type.route,
                        Severity::Error,
                    )
                    .label("oauth2 without a flow")
                    .help("add `oauth2_flow: client_credentials` or `authorization_code`"),
                );
            }
        }
        let internal = match &server.transport {
            Transport::Remote(remote) => url::parse(&remote.url.value)
                .is_some_and(|p| matches!(url::host_kind(p.host), HostKind::Internal | HostKind::Loopback)),
            Transport::Stdio(_) => true,
            Transport::Unknown => false,
        };
        let public = litellm.available_on_public_internet.as_ref();
        if internal && public.is_none_or(|f| f.value) {
            let (route, message) = match public {
                Some(flag) => (
                    &flag.route,
                    format!(
                        "internal server `{}` is marked `available_on_public_internet: true`",
                        server.name
                    ),
                ),
                None => (
                    &server.route,
                    format!(
                        "internal server `{}` is available to public-internet callers (`available_on_public_internet` defaults to true)",
                        server.name
                    ),
                ),
            };
            let mut finding = at(message, route, Severity::Warning)
                .label("reachable from the internet")
                .help("set `available_on_public_internet: false`");
            if public.is_none() {
                finding = finding.on_key();
            }
            findings.push(finding);
        }
    }
}
