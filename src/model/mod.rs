//! The one model of MCP servers that every rule reads, whatever file format it came from.
//!
//! Every field carries the [`Route`] it was read from, so a finding can point at the exact
//! value and a fix can edit it. Rules never see bytes, spans or syntax.

pub mod compose;
pub mod extract;
pub mod facts;
pub mod flows;
pub mod launcher;
pub mod policy;
pub mod routes;
pub mod tools;
pub mod url;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::dialect::{Component, Dialect, Route};
use crate::schema::SchemaIssue;

pub use launcher::{ArgPosition, Ecosystem, Launch, Launcher, PackageRef, VersionSpec};

/// A string read from the file and where it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Str {
    pub value: String,
    pub route: Route,
}

/// A boolean read from the file and where it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub value: bool,
    pub route: Route,
}

/// A list of strings read from the file (non-string items are skipped), and where it was.
#[derive(Debug, Clone, PartialEq)]
pub struct StrList {
    pub items: Vec<Str>,
    pub route: Route,
}

/// A `key: value` pair of a string map (env, headers); the route is the value's.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyValue {
    pub key: String,
    pub value: Str,
}

/// One parsed config file.
#[derive(Debug, Clone)]
pub struct McpConfig {
    pub dialect: Dialect,
    /// Where the map of servers lives (`mcpServers`, `servers`, `mcp_servers`, `proxy_config.mcp_servers`).
    pub servers_route: Option<Route>,
    /// The servers in file order; added with [`McpConfig::push_server`].
    pub servers: Vec<Server>,
    /// LiteLLM gateway settings (LiteLLM and Helm dialects only).
    pub gateway: Option<Gateway>,
    /// File-level approval bypasses (Gemini `autoAccept`).
    pub approvals: Vec<Approval>,
    /// Structure the client would misread, noticed while extracting (e.g. `servers` in a Cursor file).
    pub shape_problems: Vec<ShapeProblem>,
    /// The server policy a Claude Code settings file sets (`allowedMcpServers`, ...).
    pub server_policy: Option<policy::ServerPolicy>,
    /// The routes of a gateway that routes MCP (agentgateway), with the policies on them.
    pub gateway_routes: Vec<routes::GatewayRoute>,
    /// agentgateway's top-level `policies`, which attach to routes by name (not resolved here).
    pub targeted_policies: Option<Route>,
    /// agentgateway's targets reached over the network (MCP and OpenAPI), for their transport.
    pub gateway_targets: Vec<routes::GatewayTarget>,
    /// agentgateway's listeners that serve MCP routes.
    pub gateway_listeners: Vec<routes::GatewayListener>,
    /// The route of the document that holds the client config (root, or `proxy_config` in Helm values).
    pub config_root: Route,
    /// The whole document as plain data, for schema validation.
    pub document: serde_json::Value,
    /// The dialect was told by what the file holds, at a place no client reads (a walked
    /// `registry.json` in the VS Code `servers` shape): findings that only the client's own
    /// format would justify (an unknown key) are left out.
    pub found_by_content: bool,
    /// Each server's position in `servers` by the components of its route, so that finding the
    /// server of a route costs the route's length, not the number of servers.
    server_positions: HashMap<Vec<Component>, usize>,
    /// The file's schema issues, computed once for the rules that read them.
    schema_issues: OnceLock<Vec<SchemaIssue>>,
}

/// A structural surprise found while reading servers.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapeProblem {
    pub route: Route,
    pub on_key: bool,
    pub message: String,
    /// The label under the primary span.
    pub label: &'static str,
    /// The client reads past it without a word (dead config), rather than refusing the file.
    pub ignored: bool,
}

/// One MCP server entry.
#[derive(Debug, Clone)]
pub struct Server {
    /// The name as written in the file.
    pub name: String,
    /// The route of the server's entry (its key names the server).
    pub route: Route,
    pub transport: Transport,
    /// The runner and package parsed from `command` + `args`, when it is a package runner.
    pub launch: Option<Launch>,
    pub tools: ToolFilter,
    pub approvals: Vec<Approval>,
    /// `disabled: true` / `enabled: false`: the client does not start it.
    pub disabled: bool,
    /// Ways the server authenticates to a remote, other than headers (OAuth blocks, bearer env vars, `auth_type`).
    pub auth: Vec<Str>,
    /// Literal-valued fields that hold credentials by name (`authentication_token`, `client_secret`, ...).
    pub credential_fields: Vec<KeyValue>,
    /// LiteLLM-only access settings.
    pub litellm: Option<LiteLlmServer>,
}

/// How a client reaches a server.
#[derive(Debug, Clone, PartialEq)]
pub enum Transport {
    Stdio(Stdio),
    Remote(Remote),
    /// A package a registry's `server.json` publishes: the client installs it from its
    /// registry (the launch is the client's business, not written in the file).
    Published(Published),
    /// Neither a command nor a URL (the client rejects or skips it).
    Unknown,
}

/// A `server.json` package: `identifier` (a package name, a full image reference, or a bundle's
/// URL) at `version` (npm, PyPI and NuGet only).
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub registry_type: Str,
    pub identifier: Str,
    pub version: Option<Str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stdio {
    pub command: Str,
    pub args: Vec<Str>,
    pub env: Vec<KeyValue>,
    pub cwd: Option<Str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Remote {
    pub url: Str,
    pub headers: Vec<KeyValue>,
}

/// Which tools a server exposes, and what the client offers to restrict them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ToolFilter {
    /// The key this client reads as a per-server exposure allowlist, if it has one.
    pub allowlist_key: Option<&'static str>,
    pub allow: Option<StrList>,
    pub deny: Option<StrList>,
    /// LiteLLM `mcp_info.tool_allowlist_enforced`: an empty `allowed_tools` then denies everything.
    pub enforced: Option<Flag>,
}

/// A setting that lets tools run without the user's confirmation.
#[derive(Debug, Clone, PartialEq)]
pub struct Approval {
    pub route: Route,
    /// What the setting does, for the message: "`trust: true` skips every confirmation".
    pub description: String,
    /// True when it covers every tool of the server (or of every server).
    pub all_tools: bool,
}

/// LiteLLM per-server access control.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LiteLlmServer {
    pub transport: Option<Str>,
    pub auth_type: Option<Str>,
    pub allow_all_keys: Option<Flag>,
    pub access_groups: Option<StrList>,
    pub available_on_public_internet: Option<Flag>,
}

/// LiteLLM gateway-wide settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Gateway {
    /// The route of `general_settings` (may not exist in the file).
    pub general_settings: Route,
    pub has_general_settings: bool,
    pub master_key: Option<MasterKey>,
    pub require_key_mcp_access_defined: Option<Flag>,
}

/// `general_settings.master_key` as written.
#[derive(Debug, Clone, PartialEq)]
pub enum MasterKey {
    Value(Str),
    /// Present but null or empty: LiteLLM runs without authentication.
    Empty(Route),
}

impl McpConfig {
    /// Whether the file holds anything a client would start or miss: a server, servers where
    /// its client does not read them, or a gateway with settings of its own.
    pub fn holds_servers(&self) -> bool {
        !self.servers.is_empty()
            || !self.shape_problems.is_empty()
            || self.gateway.is_some()
            || self.server_policy.is_some()
    }

    /// A config of `dialect` with no servers yet.
    pub fn empty(dialect: Dialect, document: serde_json::Value) -> Self {
        Self {
            dialect,
            servers_route: None,
            servers: Vec::new(),
            gateway: None,
            approvals: Vec::new(),
            shape_problems: Vec::new(),
            server_policy: None,
            gateway_routes: Vec::new(),
            targeted_policies: None,
            gateway_targets: Vec::new(),
            gateway_listeners: Vec::new(),
            config_root: Route::root(),
            document,
            found_by_content: false,
            server_positions: HashMap::new(),
            schema_issues: OnceLock::new(),
        }
    }

    /// What the dialect's schema says of the file (wrong types, unknown keys), in document order.
    pub fn schema_issues(&self) -> &[SchemaIssue] {
        self.schema_issues.get_or_init(|| schema_issues_of(self))
    }

    /// Whether Zed's agent profiles of this settings file switch context servers' tools: which
    /// tools a thread gets then depends on the profile it runs, not on the server map alone.
    pub fn zed_profiles_switch_tools(&self) -> bool {
        self.dialect == Dialect::Zed
            && self.document["agent"]["profiles"]
                .as_object()
                .is_some_and(|profiles| profiles.values().any(|p| p.get("context_servers").is_some()))
    }

    /// Forgets every server and server shape read from the file: for a file of the client that
    /// holds none by definition (Claude Code's settings, whose `statusLine` has a `command`).
    pub fn forget_servers(&mut self) {
        self.servers.clear();
        self.server_positions.clear();
        self.servers_route = None;
        self.shape_problems.clear();
    }

    /// Adds a server; it is found by [`McpConfig::server_containing`] from then on.
    pub fn push_server(&mut self, server: Server) {
        self.server_positions
            .insert(server.route.components().to_vec(), self.servers.len());
        self.servers.push(server);
    }

    /// The server whose entry holds `route` (or is at it), if any.
    pub fn server_containing(&self, route: &Route) -> Option<&Server> {
        let components = route.components();
        (1..=components.len())
            .find_map(|length| self.server_positions.get(&components[..length]))
            .map(|&position| &self.servers[position])
    }

    /// The plain value at `route` in the file, if there is one.
    pub fn value_at(&self, route: &Route) -> Option<&serde_json::Value> {
        let mut value = &self.document;
        for component in route.components() {
            value = match component {
                crate::dialect::Component::Key(key) => value.get(key.as_str())?,
                crate::dialect::Component::Index(i) => value.get(*i)?,
            };
        }
        Some(value)
    }
}

impl Server {
    /// A server a gateway resource or service defines by what it runs alone: no tool filter,
    /// approvals, auth or gateway settings of its own.
    pub fn launched(name: String, route: Route, transport: Transport, launch: Option<Launch>) -> Self {
        Self {
            name,
            route,
            transport,
            launch,
            tools: ToolFilter::default(),
            approvals: Vec::new(),
            disabled: false,
            auth: Vec::new(),
            credential_fields: Vec::new(),
            litellm: None,
        }
    }

    /// Whether a LiteLLM server is granted through access groups (a non-empty `access_groups`).
    pub fn has_access_groups(&self) -> bool {
        self.litellm
            .as_ref()
            .and_then(|l| l.access_groups.as_ref())
            .is_some_and(|groups| !groups.items.is_empty())
    }

    pub fn stdio(&self) -> Option<&Stdio> {
        match &self.transport {
            Transport::Stdio(stdio) => Some(stdio),
            _ => None,
        }
    }

    pub fn remote(&self) -> Option<&Remote> {
        match &self.transport {
            Transport::Remote(remote) => Some(remote),
            _ => None,
        }
    }

    /// The route of the string that holds `position` of the command line (or, for a published
    /// package, its `identifier`).
    pub fn arg_route(&self, position: ArgPosition) -> Option<&Route> {
        match (&self.transport, position) {
            (Transport::Stdio(stdio), ArgPosition::Command) => Some(&stdio.command.route),
            (Transport::Stdio(stdio), ArgPosition::Arg(i)) => stdio.args.get(i).map(|a| &a.route),
            (Transport::Published(published), ArgPosition::Identifier) => Some(&published.identifier.route),
            _ => None,
        }
    }
}

/// Schema issues of the file; Helm values are checked as LiteLLM config where the chart nests it.
fn schema_issues_of(config: &McpConfig) -> Vec<SchemaIssue> {
    // A manifest stream's resources, each checked as the resource it is.
    if config.dialect == Dialect::Kubernetes
        && let Some(resources) = config.document.as_array()
    {
        return resources
            .iter()
            .enumerate()
            .flat_map(|(index, resource)| {
                crate::schema::validate(Dialect::Kubernetes, resource)
                    .into_iter()
                    .map(move |mut issue| {
                        let mut components = Route::root().index(index).components().to_vec();
                        components.extend(issue.route.components().iter().cloned());
                        issue.route = Route::from_components(components);
                        issue
                    })
            })
            .collect();
    }
    let nested = config.dialect == Dialect::Helm && config.config_root != Route::root().key("proxy_config");
    if !nested {
        let mut issues = crate::schema::validate(config.dialect, &config.document);
        if config.dialect == Dialect::Codex {
            // A project `.codex/config.toml` is merged over the user's: a server table holding
            // only switches (`enabled = false`) adjusts a server defined there, it is not broken.
            issues.retain(|issue| issue.on_key || !crate::schema::is_codex_overlay(config.value_at(&issue.route)));
        }
        if config.found_by_content {
            // Read as the client whose shape it has, at no place that client reads: a key that
            // client would not know is the file's own format (a server registry's `title`), not
            // an error. A wrong type still breaks any reader.
            issues.retain(|issue| !issue.on_key);
        }
        return issues;
    }
    let Some(sub) = config.value_at(&config.config_root) else {
        return Vec::new();
    };
    crate::schema::validate(Dialect::Litellm, sub)
        .into_iter()
        .map(|mut issue| {
            let mut components = config.config_root.components().to_vec();
            components.extend(issue.route.components().iter().cloned());
            issue.route = Route::from_components(components);
            issue
        })
        .collect()
}
