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
