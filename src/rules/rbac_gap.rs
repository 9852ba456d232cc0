//! `rbac-gap`: LiteLLM gateway settings that open MCP servers to every key or to nobody's key.

use serde_json::{Value, json};

use crate::dialect::{Dialect, Route};
use crate::finding::{Finding, Severity};
use crate::fix::{Applicability, Edit, Fix};
use crate::model::url::{self, HostKind};
use crate::model::{Gateway, LiteLlmServer, MasterKey, McpConfig, Server, Transport};
use crate::secrets::{self, SecretKind};

use super::{FixAvailability, Rule, RuleInfo, declare_rule};

mod agentgateway;

declare_rule! {
    /// ## What it does
    /// Checks the access control of a LiteLLM proxy config (or the `proxy_config` of the LiteLLM
    /// Helm chart) around its MCP servers:
    /// - `allow_all_keys: true` makes a server callable with every virtual key;
    /// - `auth_type: none` on a remote server sends no credential upstream;
    /// - `general_settings.master_key` missing, empty or written literally;
    /// - `require_key_mcp_access_defined` unset: a key with no MCP grants inherits every server of
    ///   its team;
    /// - `available_on_public_internet` left at its default `true` on a server with an internal URL
    ///   or a local command.
    ///
    ///
    /// The same for the gateways that authenticate their callers elsewhere: mcp-proxy without
    /// `authTokens`, and an Envoy AI Gateway `MCPRoute` without `spec.securityPolicy` (`oauth`,
    /// `apiKeyAuth` or `extAuth`) or whose `authorization.defaultAction` is `Allow`, and an
    /// agentgateway route (or its `mcp:` shortcut) to MCP targets with no authentication policy
    /// on it or its listener (`mcpAuthentication`, `jwtAuth`, `apiKey`, `basicAuth`, `oidc`,
    /// `extAuthz`), or whose authentication all lets a caller without credentials through:
    /// `jwtAuth`, `apiKey` and `basicAuth` default to `mode: optional` (agentgateway's source:
    /// "Warning: this allows requests without a JWT"). A config with top-level `policies`, which
    /// attach to routes by name, is not judged.
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
    /// `available_on_public_internet: false`; set agentgateway's optional authentication to
    /// `mode: strict`. Each changes who can call what, so each is unsafe.
    ///
    /// ## References
    /// - LiteLLM docs, MCP access control (`docs/mcp_control`)
    /// - LiteLLM 1.109.1 `proxy/_types.py`, `proxy/mcp_server/mcp_server_manager.py`
    /// - OWASP Top 10 for LLM Applications 2025, LLM06 Excessive Agency
    /// - agentgateway `crates/agentgateway/src/http/{jwt,apikey,basicauth}.rs` (`Mode`),
    ///   `src/types/local.rs` (`McpAuthenticationMode`, strict by default)
    pub struct RbacGap {
        id: "rbac-gap",
        summary: "A gateway opens its MCP servers to every caller or key",
        severity: Severity::Warning,
        fix: FixAvailability::Sometimes,
    }
}

impl Rule for RbacGap {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, config: &McpConfig, findings: &mut Vec<Finding>) {
        if config.dialect == Dialect::McpProxy {
            check_mcp_proxy(config, findings);
            return;
        }
        if config.dialect == Dialect::Kubernetes {
            check_mcp_routes(config, findings);
            return;
        }
        if config.dialect == Dialect::Agentgateway {
            agentgateway::check_routes(config, findings);
            return;
        }
        let (Some(gateway), Some(servers_route)) = (&config.gateway, &config.servers_route) else {
            return;
        };
        for server in &config.servers {
            self.check_server(config, server, findings);
        }
        let id = Self::INFO.id;
        if let Some(route) = everything_internal(config) {
            findings.push(
                Finding::new(
                    id,
                    Severity::Warning,
                    "`mcp_internal_ip_ranges` holds a range that covers every address: every caller counts as internal, so servers kept off the public internet are open to it",
                    &route,
                )
                .label("every address is internal")
                .help("list only the proxy's private networks (LiteLLM's default is RFC 1918 and loopback)"),
            );
        }
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
                .help(format!("set `master_key: {}`", master_key_reference(config.dialect)))
                .fix(general_setting(config, gateway, "master_key", json!(master_key_reference(config.dialect)))),
            ),
            Some(MasterKey::Empty(route)) => findings.push(
                Finding::new(id, Severity::Error, "`master_key` is empty: the proxy runs without authentication", route)
                    .label("empty master key")
                    .help(format!("set `master_key: {}`", master_key_reference(config.dialect)))
                    .fix(master_key_fix(config.dialect, route)),
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
                .help(format!(
                    "move it to the environment: `master_key: {}`",
                    master_key_reference(config.dialect)
                ))
                .fix(master_key_fix(config.dialect, &key.route)),
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
                .help("set `require_key_mcp_access_defined: true`")
                .fix(Fix::new(
                    "Set `require_key_mcp_access_defined: true`",
                    Applicability::Unsafe,
                    vec![Edit::Replace {
                        route: flag.route.clone(),
                        value: json!(true),
                    }],
                )),
            ),
            None => {
                // Written where LiteLLM never reads it: cited there, as the setting a reviewer sees.
                let misplaced = [
                    (config.config_root.key("litellm_settings"), "under `litellm_settings`"),
                    (config.config_root.clone(), "at the top level"),
                ]
                .into_iter()
                .map(|(section, place)| (section.key("require_key_mcp_access_defined"), place))
                .find(|(route, _)| config.value_at(route).is_some());
                let (message, at) = match &misplaced {
                    Some((route, place)) => (
                        format!(
                            "`require_key_mcp_access_defined` is written {place}, where LiteLLM never reads it: keys without MCP grants inherit every MCP server of their team"
                        ),
                        route,
                    ),
                    None => (
                        "`require_key_mcp_access_defined` is not set: keys without MCP grants inherit every MCP server of their team"
                            .to_owned(),
                        if gateway.has_general_settings { &gateway.general_settings } else { servers_route },
                    ),
                };
                findings.push(
                Finding::new(
                    id,
                    Severity::Warning,
                    message,
                    at,
                )
                .on_key()
                .label("keys inherit team servers")
                .help("add `require_key_mcp_access_defined: true` under `general_settings`")
                .fix(general_setting(config, gateway, "require_key_mcp_access_defined", json!(true))),
                );
            }
        }
    }

    fn check_server(&self, config: &McpConfig, server: &Server, findings: &mut Vec<Finding>) {
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
                .help("grant it through `access_groups` instead")
                .fix(access_group_instead(server, litellm, &flag.route)),
            );
        }
        if let Some(auth_type) = litellm.auth_type.as_ref()
            && auth_type.value == "none"
            && server.remote().is_some()
        {
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
        let internal = match &server.transport {
            Transport::Remote(remote) => url::parse(&remote.url.value)
                .is_some_and(|p| matches!(url::host_kind(p.host), HostKind::Internal | HostKind::Loopback)),
            Transport::Stdio(_) => true,
            Transport::Published(_) | Transport::Unknown => false,
        };
        let public = litellm.available_on_public_internet.as_ref();
        // Where every address is internal, there are no public callers to keep out: that range
        // is the finding (see `check`).
        if internal && public.is_none_or(|f| f.value) && everything_internal(config).is_none() {
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
            let edit = match public {
                Some(flag) => Edit::Replace {
                    route: flag.route.clone(),
                    value: json!(false),
                },
                None => Edit::Insert {
                    map: server.route.clone(),
                    after: Some(if server.remote().is_some() { "url" } else { "args" }.to_owned()),
                    key: "available_on_public_internet".into(),
                    value: json!(false),
                    comment: Vec::new(),
                },
            };
            let mut finding = at(message, route, Severity::Warning)
                .label("reachable from the internet")
                .help("set `available_on_public_internet: false`")
                .fix(Fix::new(
                    "Set `available_on_public_internet: false`",
                    Applicability::Unsafe,
                    vec![edit],
                ));
            if public.is_none() {
                finding = finding.on_key();
            }
            findings.push(finding);
        }
    }
}

/// Where the proxy's admin key comes from: LiteLLM's documented variable, or the one the Helm
/// chart fills from its `masterkeySecretName` secret.
/// The entry of `general_settings.mcp_internal_ip_ranges` that covers every address, if any.
/// Envoy AI Gateway's `MCPRoute` authenticates its callers with `spec.securityPolicy`
/// (`oauth`, `apiKeyAuth` or `extAuth`): without one, anyone who reaches the Gateway's listener
/// calls every tool of every backend the route aggregates. Its `authorization.defaultAction`
/// defaults to Deny; `Allow` lets every request that no rule matched through (api/v1beta1
/// mcp_route.go).
fn check_mcp_routes(config: &McpConfig, findings: &mut Vec<Finding>) {
    let id = RbacGap::INFO.id;
    let resources: Vec<Route> = match config.document.as_array() {
        Some(items) => (0..items.len()).map(|index| Route::root().index(index)).collect(),
        None => vec![Route::root()],
    };
    for resource in resources {
        let Some(value) = config.value_at(&resource) else {
            continue;
        };
        let is_route = value["kind"] == "MCPRoute"
            && value["apiVersion"]
                .as_str()
                .is_some_and(|api| api.starts_with("aigateway.envoyproxy.io/"));
        if !is_route {
            continue;
        }
        let name = value["metadata"]["name"].as_str().unwrap_or("(unnamed)");
        let policy = &value["spec"]["securityPolicy"];
        let authenticates = ["oauth", "apiKeyAuth", "extAuth"]
            .iter()
            .any(|key| policy.get(key).is_some_and(|v| !v.is_null()));
        if !authenticates {
            let at = if policy.is_null() {
                resource.key("kind")
            } else {
                resource.key("spec").key("securityPolicy")
            };
            findings.push(
                Finding::new(
                    id,
                    Severity::Warning,
                    format!(
                        "MCPRoute `{name}` authenticates no caller: anyone who reaches the Gateway calls every tool of its backends"
                    ),
                    &at,
                )
                .on_key()
                .label("no caller authentication")
                .help("add `spec.securityPolicy.oauth` (the MCP authorization flow), `apiKeyAuth` or `extAuth`"),
            );
        }
        let default_action = resource
            .key("spec")
            .key("securityPolicy")
            .key("authorization")
            .key("defaultAction");
        if config.value_at(&default_action).and_then(Value::as_str) == Some("Allow") {
            findings.push(
                Finding::new(
                    id,
                    Severity::Warning,
                    format!(
                        "MCPRoute `{name}` allows every request that no authorization rule matched (`defaultAction: Allow`)"
                    ),
                    &default_action,
                )
                .label("fails open")
                .help("leave `defaultAction` at its default, Deny, and allow the tools each caller needs with rules"),
            );
        }
    }
}

/// mcp-proxy (TBXark) authenticates callers with `options.authTokens`: a server without its own
/// list inherits `mcpProxy.options.authTokens`, and one that sets `[]` has none (config.go load
/// inherits only a missing list). No token means anyone who reaches the proxy calls every tool.
fn check_mcp_proxy(config: &McpConfig, findings: &mut Vec<Finding>) {
    let id = RbacGap::INFO.id;
    let tokens = |value: Option<&Value>| value.and_then(Value::as_array).map(|list| !list.is_empty());
    let proxy_route = Route::root().key("mcpProxy");
    let proxy = tokens(config.value_at(&proxy_route.key("options").key("authTokens"))).unwrap_or(false);
    let own: Vec<(&Server, Option<bool>)> = config
        .servers
        .iter()
        .map(|server| {
            let list = config.value_at(&server.route.key("options").key("authTokens"));
            (server, tokens(list))
        })
        .collect();
    let help = "add `options.authTokens` (on `mcpProxy` for every server) with tokens from the environment: `${PROXY_TOKEN}` under `--expand-env`";
    if !proxy && own.iter().all(|(_, has)| *has != Some(true)) && !config.servers.is_empty() {
        findings.push(
            Finding::new(
                id,
                Severity::Warning,
                "mcp-proxy has no `authTokens`: anyone who reaches its address calls every tool of every server",
                &proxy_route,
            )
            .on_key()
            .label("no auth tokens")
            .help(help),
        );
        return;
    }
    for (server, has) in own {
        let open = match has {
            Some(has) => !has,
            None => !proxy,
        };
        if open {
            findings.push(
                Finding::new(
                    id,
                    Severity::Warning,
                    format!(
                        "server `{}` takes calls without a token: {}",
                        server.name,
                        if has.is_some() {
                            "its `authTokens: []` replaces the proxy's tokens with none"
                        } else {
                            "it sets no `authTokens` and the proxy has none to inherit"
                        }
                    ),
                    &server.route,
                )
                .server(&server.name, &server.route)
                .on_key()
                .label("no auth tokens")
                .help(help),
            );
        }
    }
}

fn everything_internal(config: &McpConfig) -> Option<Route> {
    let ranges = config.config_root.key("general_settings").key("mcp_internal_ip_ranges");
    let items = config.value_at(&ranges)?.as_array()?;
    items
        .iter()
        .position(|item| item.as_str().is_some_and(|r| matches!(r.trim(), "0.0.0.0/0" | "::/0")))
        .map(|i| ranges.index(i))
}

fn master_key_reference(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Helm => "os.environ/PROXY_MASTER_KEY",
        _ => "os.environ/LITELLM_MASTER_KEY",
    }
}

fn master_key_fix(dialect: Dialect, route: &Route) -> Fix {
    let reference = master_key_reference(dialect);
    Fix::new(
        format!("Read the master key from the environment: `{reference}`"),
        Applicability::Unsafe,
        vec![Edit::Replace {
            route: route.clone(),
            value: json!(reference),
        }],
    )
}

/// Sets `general_settings.<key>`, creating `general_settings` when the file has none.
fn general_setting(config: &McpConfig, gateway: &Gateway, key: &str, value: Value) -> Fix {
    let shown = match &value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let edit = if gateway.has_general_settings {
        Edit::Insert {
            map: gateway.general_settings.clone(),
            after: None,
            key: key.to_owned(),
            value,
            comment: Vec::new(),
        }
    } else {
        Edit::Insert {
            map: config.config_root.clone(),
            after: None,
            key: "general_settings".into(),
            value: json!({ key: value }),
            comment: Vec::new(),
        }
    };
    Fix::new(
        format!("Set `general_settings.{key}: {shown}`"),
        Applicability::Unsafe,
        vec![edit],
    )
}

/// `allow_all_keys: true` becomes membership of an access group named after the server, so that
/// only keys and teams granted that group can call it.
fn access_group_instead(server: &Server, litellm: &LiteLlmServer, flag: &Route) -> Fix {
    let mut edits = Vec::new();
    match &litellm.access_groups {
        Some(groups) if groups.items.iter().any(|g| g.value == server.name) => {}
        Some(groups) => edits.push(Edit::Append {
            list: groups.route.clone(),
            value: json!(server.name),
        }),
        None => edits.push(Edit::Insert {
            map: server.route.clone(),
            after: Some("allow_all_keys".into()),
            key: "access_groups".into(),
            value: json!([server.name]),
            comment: Vec::new(),
        }),
    }
    edits.push(Edit::Remove { route: flag.clone() });
    Fix::new(
        format!(
            "Replace `allow_all_keys: true` with the access group `{}` (grant it to the keys and teams that need it)",
            server.name
        ),
        Applicability::Unsafe,
        edits,
    )
}
