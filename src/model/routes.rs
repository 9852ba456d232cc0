//! The routes of a gateway that routes MCP (agentgateway): the targets behind each one and the
//! policies in force on them, as agentgateway reads them.
//!
//! Facts from `agentgateway/agentgateway` (`crates/agentgateway/src/types/local.rs`,
//! `src/http/authorization.rs`, `src/mcp/rbac.rs`, `src/http/{jwt,apikey,basicauth}.rs`, and
//! `examples/mcp-authorization`): `mcpAuthorization.rules` (on a route's or a backend's
//! `policies`, or the `mcp:` shortcut's) are CEL expressions, a plain string or `allow:` an allow
//! rule, `deny:` and `require:` the others; with no rule at all every tool is allowed, with only
//! deny rules every tool they do not match, and with an allow rule only what one matches.
//! Callers are authenticated by `jwtAuth`, `mcpAuthentication`, `basicAuth`, `apiKey`, `oidc` or
//! `extAuthz` on the route (or the listener's gateway `policies`); `jwtAuth`, `apiKey` and
//! `basicAuth` default to `mode: optional`, which lets a request without credentials through
//! ("Warning: this allows requests without a JWT"), `mcpAuthentication` to `strict`.

use crate::dialect::{Node, Route};

use super::Str;

/// One route (or the `mcp:` shortcut) and the MCP targets behind it.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayRoute {
    /// The route's entry (`binds[0].listeners[0].routes[1]`), or `mcp` for the shortcut.
    pub route: Route,
    /// Where its policies are (or would be written): `<route>.policies`.
    pub policies: Route,
    /// The names of the targets behind it.
    pub targets: Vec<String>,
    pub tool_rules: ToolRules,
    /// The authentication policies in force on it (the route's and its listener's).
    pub authentication: Vec<Authentication>,
}

impl GatewayRoute {
    /// `the `mcp:` route`, `route `name``, or the route's place: for a message.
    pub fn describe(&self, config: &super::McpConfig) -> String {
        if self.route.components().len() == 1 {
            return "the `mcp:` route".to_owned();
        }
        match config.value_at(&self.route.key("name")).and_then(|v| v.as_str()) {
            Some(name) => format!("route `{name}`"),
            None => format!("route `{}`", self.route),
        }
    }

    /// The targets behind the route, for a message: `everything`, `mcp2`.
    pub fn target_list(&self) -> String {
        self.targets
            .iter()
            .map(|name| format!("`{name}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The route's `policies` where it has them, else the route itself: where a finding about
    /// its policies points.
    pub fn policies_or_route(&self, config: &super::McpConfig) -> Route {
        if config.value_at(&self.policies).is_some() {
            self.policies.clone()
        } else {
            self.route.clone()
        }
    }
}

/// What the `mcpAuthorization` rules in force say of tools.
#[derive(Debug, Clone, PartialEq)]
pub enum ToolRules {
    /// No `mcpAuthorization`: every tool of every target.
    Absent,
    /// `rules: []` (or rules none of which agentgateway reads): every tool, as with none. The
    /// route is the first `mcpAuthorization`'s.
    Empty(Route),
    /// Only `deny` (or `require`) rules: every tool they do not match.
    DenyOnly(Route),
    /// An allow rule: only the tools one matches (CEL, not evaluated here).
    Allow(Route),
}

/// An authentication policy on a route or its listener.
#[derive(Debug, Clone, PartialEq)]
pub struct Authentication {
    /// The policy's key (`jwtAuth`, `mcpAuthentication`, ...).
    pub kind: &'static str,
    pub route: Route,
    /// Its `mode`, as written.
    pub mode: Option<Str>,
}

impl Authentication {
    /// The policy keys that authenticate a caller.
    pub const KINDS: [&'static str; 6] = [
        "jwtAuth",
        "mcpAuthentication",
        "basicAuth",
        "apiKey",
        "oidc",
        "extAuthz",
    ];

    /// Whether a request without credentials gets through: an explicit `optional` or
    /// `permissive`, or no `mode` where agentgateway's default is `optional`.
    pub fn lets_anonymous_through(&self) -> bool {
        match self.mode.as_ref().map(|mode| mode.value.to_ascii_lowercase()) {
            Some(mode) => mode == "optional" || mode == "permissive",
            None => matches!(self.kind, "jwtAuth" | "basicAuth" | "apiKey"),
        }
    }
}

/// The routes of an agentgateway config with MCP targets behind them.
pub fn agentgateway_routes(root: &Node) -> Vec<GatewayRoute> {
    use crate::dialect::shapes::item_routes;
    let mut routes = Vec::new();
    let shortcut = Route::root().key("mcp");
    if root.at(&shortcut.key("targets")).is_some() {
        routes.push(gateway_route(root, &shortcut, &[], &[]));
    }
    for bind in item_routes(root, &Route::root().key("binds")) {
        for listener in item_routes(root, &bind.key("listeners")) {
            for route in item_routes(root, &listener.key("routes")) {
                let backends: Vec<Route> = item_routes(root, &route.key("backends"))
                    .filter(|backend| root.at(&backend.key("mcp").key("targets")).is_some())
                    .collect();
                if !backends.is_empty() {
                    let listener_policies = listener.key("policies");
                    routes.push(gateway_route(root, &route, &backends, &[listener_policies]));
                }
            }
        }
    }
    routes
}

/// One route: its targets (its own, or its `mcp` backends'), the MCP authorization of the route
/// and its backends, and the authentication of the route and of `outer` policy maps.
fn gateway_route(root: &Node, route: &Route, backends: &[Route], outer: &[Route]) -> GatewayRoute {
    let policies = route.key("policies");
    let target_lists: Vec<Route> = if backends.is_empty() {
        vec![route.key("targets")]
    } else {
        backends.iter().map(|b| b.key("mcp").key("targets")).collect()
    };
    let targets = target_lists
        .iter()
        .flat_map(|list| root.at(list).and_then(Node::as_seq).unwrap_or_default())
        .map(|target| target.get("name").and_then(Node::as_str).unwrap_or("target").to_owned())
        .collect();
    let rule_places: Vec<Route> = std::iter::once(policies.clone())
        .chain(backends.iter().map(|b| b.key("policies")))
        .map(|p| p.key("mcpAuthorization"))
        .filter(|p| root.at(p).is_some())
        .collect();
    let authentication = std::iter::once(&policies)
        .chain(outer)
        .flat_map(|place| {
            Authentication::KINDS.iter().filter_map(move |kind| {
                let at = place.key(*kind);
                let node = root.at(&at)?;
                let mode = node.get("mode").and_then(Node::as_str).map(|value| Str {
                    value: value.to_owned(),
                    route: at.key("mode"),
                });
                Some(Authentication { kind, route: at, mode })
            })
        })
        .collect();
    GatewayRoute {
        route: route.clone(),
        policies,
        targets,
        tool_rules: tool_rules(root, &rule_places),
        authentication,
    }
}

/// What the `mcpAuthorization` maps at `places` say, together (agentgateway merges them).
fn tool_rules(root: &Node, places: &[Route]) -> ToolRules {
    let Some(first) = places.first() else {
        return ToolRules::Absent;
    };
    let mut others = None;
    for place in places {
        let rules = place.key("rules");
        for (index, rule) in root
            .at(&rules)
            .and_then(Node::as_seq)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            if rule.as_str().is_some() || rule.get("allow").is_some() {
                return ToolRules::Allow(rules.index(index));
            }
            if rule.get("deny").is_some() || rule.get("require").is_some() {
                others.get_or_insert_with(|| rules.index(index));
            }
        }
    }
    match others {
        Some(route) => ToolRules::DenyOnly(route),
        None => ToolRules::Empty(first.clone()),
    }
}

/// An agentgateway target reached over the network (`mcp`, `sse` or `openapi` with a `host`):
/// an MCP server, or a REST API agentgateway turns into tools (`openapi`), which mcp-lint does
/// not read as a server (it does not speak MCP) but whose transport it judges all the same.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayTarget {
    /// The target's `name`.
    pub name: String,
    /// The target's entry.
    pub route: Route,
    /// `mcp`, `sse` or `openapi`.
    pub kind: &'static str,
    /// `host`, as written: a URI (`https://example.com/mcp`), a host with a port and no scheme
    /// (`example.com:443`), or a bare host beside `port` and `path`.
    pub host: Str,
    /// Whether `port` or `path` is set beside `host`.
    pub has_port: bool,
    pub has_path: bool,
    /// The target's `policies.backendTLS`, which makes agentgateway connect with TLS.
    pub backend_tls: bool,
}

/// How agentgateway connects to a network target (`McpBackendHost::process`,
/// `crates/agentgateway/src/types/local.rs` at 75b4e6ce).
#[derive(Debug, Clone, PartialEq)]
pub enum TargetConnection {
    /// TLS: an `https://` host, or a `backendTLS` policy on the target.
    Tls,
    /// Plain HTTP to this host. `scheme` is the `http` of an `http://` host as written (None
    /// where agentgateway implies it: a host without a scheme, or `host` with `port` and `path`).
    Plain { host: String, scheme: Option<String> },
    /// Not decidable from the file (a `${VAR}`, a template) or refused by agentgateway (a scheme
    /// other than http and https, `port` without `path`).
    Unknown,
}

impl GatewayTarget {
    pub fn connection(&self) -> TargetConnection {
        if self.backend_tls {
            return TargetConnection::Tls;
        }
        let host = self.host.value.trim();
        if host.contains(['$', '{', '}']) {
            return TargetConnection::Unknown;
        }
        match (self.has_port, self.has_path) {
            // `host`, `port` and `path`: `tls: false`, whatever the host says.
            (true, true) => TargetConnection::Plain {
                host: host.to_owned(),
                scheme: None,
            },
            (false, false) => match super::url::parse(host) {
                Some(parts) if parts.scheme == "https" => TargetConnection::Tls,
                Some(parts) if parts.scheme == "http" => TargetConnection::Plain {
                    host: parts.host.to_owned(),
                    scheme: Some(parts.scheme_text.to_owned()),
                },
                Some(_) => TargetConnection::Unknown,
                // No scheme: `Uri` defaults it to http (`example.com:443` is plain HTTP to 443).
                None if !host.contains("://") => match super::url::parse(&format!("http://{host}")) {
                    Some(parts) => TargetConnection::Plain {
                        host: parts.host.to_owned(),
                        scheme: None,
                    },
                    None => TargetConnection::Unknown,
                },
                None => TargetConnection::Unknown,
            },
            _ => TargetConnection::Unknown,
        }
    }
}

/// The network targets of an agentgateway config (`mcp`, `sse` and `openapi` targets with a
/// `host`; those naming a `backend` are resolved elsewhere and not read).
pub fn agentgateway_network_targets(root: &Node) -> Vec<GatewayTarget> {
    crate::dialect::shapes::agentgateway_targets(root)
        .into_iter()
        .filter_map(|route| {
            let (kind, spec) = ["mcp", "sse", "openapi"]
                .into_iter()
                .find_map(|kind| Some((kind, root.at(&route.key(kind))?)))?;
            let host = spec.get("host")?.as_str()?;
            Some(GatewayTarget {
                name: root
                    .at(&route.key("name"))
                    .and_then(Node::as_str)
                    .unwrap_or("target")
                    .to_owned(),
                kind,
                host: Str {
                    value: host.to_owned(),
                    route: route.key(kind).key("host"),
                },
                has_port: spec.get("port").is_some(),
                has_path: spec.get("path").is_some(),
                backend_tls: root.at(&route.key("policies").key("backendTLS")).is_some(),
                route,
            })
        })
        .collect()
}

/// A listener of an agentgateway config that serves MCP routes, or the `mcp:` shortcut's.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayListener {
    /// The listener's entry (`binds[0].listeners[0]`), or `mcp` for the shortcut.
    pub route: Route,
    /// Its `protocol` (`HTTP` when not set); the shortcut's is HTTP.
    pub protocol: String,
    /// Whether it terminates TLS itself (`protocol: HTTPS` or `TLS` with a `tls` block).
    pub tls: bool,
}

/// The listeners of an agentgateway config that serve MCP routes (the shortcut included).
pub fn agentgateway_listeners(root: &Node) -> Vec<GatewayListener> {
    use crate::dialect::shapes::item_routes;
    let mut listeners = Vec::new();
    let shortcut = Route::root().key("mcp");
    if root.at(&shortcut.key("targets")).is_some() {
        listeners.push(GatewayListener {
            route: shortcut,
            protocol: "HTTP".to_owned(),
            tls: false,
        });
    }
    for bind in item_routes(root, &Route::root().key("binds")) {
        for listener in item_routes(root, &bind.key("listeners")) {
            let serves_mcp = item_routes(root, &listener.key("routes")).any(|route| {
                item_routes(root, &route.key("backends")).any(|backend| root.at(&backend.key("mcp")).is_some())
            });
            if !serves_mcp {
                continue;
            }
            let protocol = root
                .at(&listener.key("protocol"))
                .and_then(Node::as_str)
                .unwrap_or("HTTP")
                .to_ascii_uppercase();
            let tls = matches!(protocol.as_str(), "HTTPS" | "TLS") && root.at(&listener.key("tls")).is_some();
            listeners.push(GatewayListener {
                route: listener,
                protocol,
                tls,
            });
        }
    }
    listeners
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(host: &str, has_port: bool, has_path: bool, backend_tls: bool) -> GatewayTarget {
        GatewayTarget {
            name: "t".to_owned(),
            route: Route::root(),
            kind: "mcp",
            host: Str {
                value: host.to_owned(),
                route: Route::root().key("host"),
            },
            has_port,
            has_path,
            backend_tls,
        }
    }

    fn plain(host: &str, scheme: Option<&str>) -> TargetConnection {
        TargetConnection::Plain {
            host: host.to_owned(),
            scheme: scheme.map(str::to_owned),
        }
    }

    /// As `McpBackendHost::process` decides it (agentgateway 75b4e6ce).
    #[test]
    fn connections_as_agentgateway_makes_them() {
        assert_eq!(
            target("https://a.example.com/mcp", false, false, false).connection(),
            TargetConnection::Tls
        );
        assert_eq!(
            target("HTTP://a.example.com/mcp", false, false, false).connection(),
            plain("a.example.com", Some("HTTP"))
        );
        assert_eq!(
            target("a.example.com:443", false, false, false).connection(),
            plain("a.example.com", None)
        );
        assert_eq!(
            target("[fd00::1]:8080/mcp", false, false, false).connection(),
            plain("fd00::1", None)
        );
        assert_eq!(
            target("a.internal", true, true, false).connection(),
            plain("a.internal", None)
        );
        assert_eq!(
            target("http://a.example.com", false, false, true).connection(),
            TargetConnection::Tls
        );
        // Refused by agentgateway, or not known offline.
        assert_eq!(
            target("a.internal", true, false, false).connection(),
            TargetConnection::Unknown
        );
        assert_eq!(
            target("ws://a.example.com", false, false, false).connection(),
            TargetConnection::Unknown
        );
        assert_eq!(
            target("${MCP_HOST}", false, false, false).connection(),
            TargetConnection::Unknown
        );
    }
}
