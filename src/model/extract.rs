//! Reads a parsed document of any dialect into the server model; the only dialect-aware reading code.

use std::collections::{HashMap, HashSet};

use crate::dialect::shapes::{agentgateway_targets, helm_config_root, item_routes};
use crate::dialect::{Dialect, Node, NodeValue, Route};

use super::{
    Approval, Flag, Gateway, KeyValue, LiteLlmServer, MasterKey, McpConfig, Published, Remote, Server, ShapeProblem,
    Stdio, Str, StrList, ToolFilter, Transport, launcher,
};

mod gateways;
mod published;

pub use gateways::MCP_ROUTE_ALLOWLIST;
use gateways::{
    docker_run, read_agentgateway, read_compose_gateways, read_docker_catalog_entry, read_kubernetes, read_litellm,
    read_litellm_server,
};
use published::{read_bundle, read_server_json};

/// Whether a header name carries a credential to a remote server (`Authorization`, `X-API-Key`, `X-Auth-Token`).
pub(crate) fn is_auth_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    matches!(
        name.as_str(),
        "authorization" | "proxy-authorization" | "cookie" | "apikey" | "api-key"
    ) || ["-key", "_key", "-token", "_token", "-secret", "-auth", "-authorization"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
}

/// LiteLLM server fields whose value is a credential by definition.
const LITELLM_CREDENTIAL_FIELDS: [&str; 8] = [
    "authentication_token",
    "auth_value",
    "client_secret",
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "id_jag_resource_client_secret",
    "client_private_key",
];

/// Reads every server of `root` as `dialect` describes them.
pub fn extract(dialect: Dialect, root: &Node) -> McpConfig {
    let mut config = McpConfig::empty(dialect, root.to_json());
    match dialect {
        Dialect::Kubernetes => read_kubernetes(&mut config, root),
        Dialect::DockerCompose => read_compose_gateways(&mut config, root),
        Dialect::Codex => read_server_map(&mut config, root, &Route::root().key(dialect.servers_key())),
        Dialect::Litellm | Dialect::Helm => read_litellm(&mut config, root),
        Dialect::ServerJson => read_server_json(&mut config, root),
        Dialect::McpBundle => read_bundle(&mut config, root),
        Dialect::Agentgateway => read_agentgateway(&mut config, root),
        _ => read_json_client(&mut config, root, dialect.servers_key(), dialect.ignored_servers_key()),
    }
    if dialect == Dialect::ClaudeCode {
        config.server_policy = super::policy::ServerPolicy::read(root);
    }
    config
}

/// A Claude Code plugin's `.mcp.json`, a flat map of servers with no `mcpServers` around them:
/// Claude Code loads it as `plugin:<plugin>:<server>` (measured with Claude Code 2.1.197 and 2.1.332).
pub fn read_plugin_servers(config: &mut McpConfig, root: &Node) {
    config.shape_problems.clear();
    read_server_map(config, root, &Route::root());
}

/// Whether `root` holds something shaped like servers at its top level or one level down, under
/// whatever key (`mcpServer`, a typo of `mcpServers`): a file the client would misread, worth
/// reporting even when it holds no server the client reads.
pub fn has_server_shapes(root: &Node) -> bool {
    has_flat_servers(root)
        || root
            .as_map()
            .is_some_and(|entries| entries.iter().any(|e| has_flat_servers(&e.value)))
}

/// Whether `root` holds servers at its top level (a plugin's flat map).
pub fn has_flat_servers(root: &Node) -> bool {
    root.as_map()
        .is_some_and(|entries| entries.iter().any(|e| looks_like_server(&e.value)))
}

/// Continue's `mcpServers` list: each item names itself with `name`.
fn read_server_list(config: &mut McpConfig, root: &Node, route: &Route) {
    let Some(items) = root.at(route).and_then(Node::as_seq) else {
        return;
    };
    config.servers_route = Some(route.clone());
    for (index, item) in items.iter().enumerate() {
        // `- uses: ./other.yaml` (or a hub slug) is a block defined elsewhere, with `with:` and
        // `override:` applied on top: the file it names is read on its own.
        if item.as_map().is_none() || item.get("uses").is_some() {
            continue;
        }
        let name = item
            .get("name")
            .and_then(Node::as_str)
            .map_or_else(|| format!("#{}", index + 1), str::to_owned);
        let server = read_server(config.dialect, root, &name, &route.index(index));
        config.push_server(server);
    }
}

/// JSON clients: the server map under `key`; `other` is the other family's key, read with a warning.
fn read_json_client(config: &mut McpConfig, root: &Node, key: &str, other: Option<&str>) {
    let route = Route::root().key(key);
    if config.dialect == Dialect::Continue {
        read_server_list(config, root, &route);
    } else if root.get(key).is_some() {
        read_server_map(config, root, &route);
    } else if let Some(other) = other
        && root.get(other).is_some()
    {
        let other_route = Route::root().key(other);
        config.shape_problems.push(ShapeProblem {
            route: other_route.clone(),
            on_key: true,
            message: format!(
                "{} reads servers from `{key}`, not `{other}`: these servers are ignored",
                config.dialect.client()
            ),
            label: "not read by this client",
            ignored: true,
        });
        read_server_map(config, root, &other_route);
    } else if let Some(entries) = root.as_map() {
        // A Claude Code plugin's `.mcp.json` is such a flat map, and loads: the parse stage,
        // which knows the file's place, reads it as one (run::parse::claude_plugin_servers).
        // Servers written at the top of the file, as a plugin's flat map: the client looks for
        // `key` and finds nothing.
        let flat: Vec<&crate::dialect::Entry> = entries.iter().filter(|e| looks_like_server(&e.value)).collect();
        if let Some(first) = flat.first() {
            config.shape_problems.push(ShapeProblem {
                route: Route::root().key(first.key.as_str()),
                on_key: true,
                message: format!(
                    "{} reads servers from `{key}`, and this file has none: {} at its top level never {}",
                    config.dialect.client(),
                    if flat.len() == 1 {
                        "the server".to_owned()
                    } else {
                        format!("the {} servers", flat.len())
                    },
                    if flat.len() == 1 { "starts" } else { "start" }
                ),
                label: "outside the server map",
                ignored: true,
            });
        }
    }
    if config.dialect == Dialect::ClaudeCode
        && let Some(projects) = root.get("projects").and_then(Node::as_map)
    {
        // Ex) ~/.claude.json: "projects": { "/home/me/app": { "mcpServers": { ... } } }
        for project in projects {
            if project.value.get("mcpServers").is_some() {
                let route = Route::root()
                    .key("projects")
                    .key(project.key.as_str())
                    .key("mcpServers");
                read_server_map(config, root, &route);
            }
        }
    }
    if config.dialect == Dialect::Gemini && root.get("autoAccept").and_then(Node::as_bool) == Some(true) {
        config.approvals.push(Approval {
            route: Route::root().key("autoAccept"),
            description: "`autoAccept: true` runs tools without asking".into(),
            all_tools: true,
        });
    }
    // Qwen Code's approval mode: `yolo` runs every tool call without asking (0.24.4
    // `tools.approvalMode`, whose options are plan, default, auto-edit, auto and yolo).
    let approval_mode = Route::root().key("tools").key("approvalMode");
    if config.dialect == Dialect::Qwen && string(root, &approval_mode).is_some_and(|mode| mode.value == "yolo") {
        config.approvals.push(Approval {
            route: approval_mode,
            description: "`tools.approvalMode: \"yolo\"` runs every tool without asking".into(),
            all_tools: true,
        });
    }
}

fn read_server_map(config: &mut McpConfig, root: &Node, route: &Route) {
    let Some(map_node) = root.at(route) else {
        return;
    };
    config.servers_route.get_or_insert_with(|| route.clone());
    let Some(entries) = map_node.as_map() else {
        config.shape_problems.push(ShapeProblem {
            route: route.clone(),
            on_key: false,
            message: format!(
                "`{}` must be a map from server name to server settings; {} cannot read this",
                route.last_key().unwrap_or_default(),
                config.dialect.client()
            ),
            label: "not a map of servers",
            ignored: false,
        });
        return;
    };
    // A name written twice: every loader keeps the last entry (JSON.parse, serde, PyYAML), so
    // only that one is a server; the earlier ones are dead config, said once per name.
    let last: HashMap<&str, usize> = entries.iter().enumerate().map(|(i, e)| (e.key.as_str(), i)).collect();
    let mut reported: HashSet<&str> = HashSet::new();
    for (index, entry) in entries.iter().enumerate() {
        let server_route = route.key(entry.key.as_str());
        if last[entry.key.as_str()] != index {
            if reported.insert(entry.key.as_str()) {
                config.shape_problems.push(ShapeProblem {
                    route: server_route,
                    on_key: true,
                    message: format!(
                        "server `{}` is defined more than once in this map: {} keeps this last entry and never reads the earlier ones",
                        entry.key,
                        config.dialect.client()
                    ),
                    label: "the entries above with this name are dropped",
                    ignored: true,
                });
            }
            continue;
        }
        // A Zed entry with neither `command` nor `url` names an extension's server, which the
        // extension launches: nothing here to read.
        if config.dialect == Dialect::Zed && !looks_like_server(&entry.value) {
            continue;
        }
        // Goose's built-in, platform, frontend and inline-Python extensions are Goose's own code,
        // and `sse` entries are kept only for old files: no server is launched from them.
        if config.dialect == Dialect::Goose
            && !matches!(
                entry.value.get("type").and_then(Node::as_str),
                Some("stdio" | "streamable_http")
            )
        {
            continue;
        }
        if entry.value.as_map().is_none() {
            // Ex) "_comment": "..." beside the servers; clients skip or reject these, invalid-config says which.
            continue;
        }
        if let Some(nested) = nested_server_map(config.dialect, &entry.key, &entry.value) {
            config.shape_problems.push(ShapeProblem {
                route: server_route,
                on_key: true,
                message: format!(
                    "`{}` sits inside `{}`, a level too deep: {} reads servers only from the outer map, so {} in it never {}",
                    entry.key,
                    route.last_key().unwrap_or_default(),
                    config.dialect.client(),
                    if nested == 1 { "the server".to_owned() } else { format!("the {nested} servers") },
                    if nested == 1 { "starts" } else { "start" }
                ),
                label: "never read: a level too deep",
                ignored: true,
            });
            continue;
        }
        let server = read_server(config.dialect, root, &entry.key, &server_route);
        config.push_server(server);
    }
}

/// Whether a map entry's value is a server's settings (it names a command or a URL).
fn looks_like_server(value: &Node) -> bool {
    let Some(fields) = value.as_map() else {
        return false;
    };
    let has = |key: &str| fields.iter().any(|f| f.key == key);
    if has("command") {
        return true;
    }
    if !(has("url") || has("serverUrl") || has("httpUrl")) {
        return false;
    }
    // Metadata carries a `url` too: a manifest's `"author": {"name", "url"}`, a package's
    // `"repository": {"type": "git", "url"}`. A remote server says how it is reached.
    let transport_type = value.get("type").and_then(Node::as_str).is_none_or(|t| {
        matches!(
            t,
            "http" | "sse" | "streamable-http" | "streamableHttp" | "ws" | "stdio"
        )
    });
    transport_type && !has("email") && !(has("name") && !has("type") && !has("headers"))
}

/// How many servers a server-map key repeated inside the server map holds
/// (`mcpServers.mcpServers.{...}`), if that is what `value` is.
fn nested_server_map(dialect: Dialect, key: &str, value: &Node) -> Option<usize> {
    if key != dialect.servers_key() && !matches!(key, "mcpServers" | "servers" | "mcp_servers") {
        return None;
    }
    let entries = value.as_map()?;
    let servers = entries.iter().filter(|e| looks_like_server(&e.value)).count();
    (servers > 0).then_some(servers)
}

/// The runner and package a transport's command line launches, if any.
fn launch_of(transport: &Transport) -> Option<super::Launch> {
    let Transport::Stdio(stdio) = transport else {
        return None;
    };
    let args: Vec<&str> = stdio.args.iter().map(|a| a.value.as_str()).collect();
    launcher::parse_launch(&stdio.command.value, &args)
}

fn read_server(dialect: Dialect, root: &Node, name: &str, route: &Route) -> Server {
    let transport = read_transport(dialect, root, route);
    let launch = launch_of(&transport);
    // Only a switch the client reads turns a server off; elsewhere `disabled` is dead config.
    let disabled = dialect
        .off_switch()
        .is_some_and(|(key, off)| flag(root, &route.key(key)).is_some_and(|f| f.value == off));
    Server {
        name: name.to_owned(),
        route: route.clone(),
        tools: read_tool_filter(dialect, root, route),
        approvals: read_approvals(dialect, root, route),
        auth: read_auth(dialect, root, route, &transport),
        credential_fields: read_credential_fields(dialect, root, route),
        litellm: dialect.is_litellm().then(|| read_litellm_server(root, route)),
        transport,
        launch,
        disabled,
    }
}

fn read_transport(dialect: Dialect, root: &Node, route: &Route) -> Transport {
    if dialect == Dialect::DockerCatalog {
        return read_docker_catalog_entry(root, route);
    }
    // An agentic workflow's `container`: the image the workflow's MCP gateway runs, with its
    // `version` (a tag, a digest, or `tag@digest`) written apart.
    if dialect == Dialect::AgenticWorkflow
        && let Some(mut image) = string(root, &route.key("container"))
    {
        if let Some(version) = string(root, &route.key("version")) {
            let version = version.value.trim();
            image.value = if version.starts_with("sha256:") {
                format!("{}@{version}", image.value)
            } else {
                format!("{}:{version}", image.value)
            };
        }
        return docker_run(image, string_map(root, &route.key("env")));
    }
    let command_key = if dialect == Dialect::Goose { "cmd" } else { "command" };
    let env_key = match dialect {
        Dialect::Opencode => "environment",
        Dialect::Goose => "envs",
        _ => "env",
    };
    let url_keys: &[&str] = match dialect {
        // Antigravity: `serverUrl` wins over `command`.
        Dialect::Windsurf | Dialect::Antigravity => &["serverUrl", "url"],
        Dialect::Gemini | Dialect::Qwen => &["httpUrl", "url"],
        Dialect::Goose => &["uri"],
        _ => &["url"],
    };
    // The key path of the headers sent on every request.
    let header_paths: &[&[&str]] = match dialect {
        Dialect::Codex => &[&["http_headers"]],
        Dialect::Litellm | Dialect::Helm => &[&["static_headers"]],
        // Continue's `requestOptions` (config-yaml `requestOptionsSchema`): `cn` 1.5.47 sends
        // these headers as written (seen on a loopback listener).
        Dialect::Continue => &[&["requestOptions", "headers"]],
        _ => &[&["headers"]],
    };
    let url = url_keys.iter().find_map(|k| string(root, &route.key(*k)));
    // Zed's older form: `"command": { "path": …, "args": [...], "env": {...} }`.
    if dialect == Dialect::Zed
        && url.is_none()
        && let Some(command) = string(root, &route.key("command").key("path"))
    {
        let inner = route.key("command");
        return Transport::Stdio(Stdio {
            command,
            args: string_list(root, &inner.key("args"))
                .map(|l| l.items)
                .unwrap_or_default(),
            env: string_map(root, &inner.key("env")),
            cwd: None,
        });
    }
    let command = string(root, &route.key(command_key)).or_else(|| {
        // Ex) opencode, and LiteLLM lists seen in the wild: command: ["python3", "-m", "server"]
        let list = string_list(root, &route.key(command_key))?;
        list.items.into_iter().next()
    });
    // Gemini and Codex prefer the URL when both are present; so do we.
    if let Some(url) = url
        && (command.is_none()
            || matches!(
                dialect,
                Dialect::Gemini | Dialect::Qwen | Dialect::Codex | Dialect::Antigravity
            ))
    {
        let headers = header_paths
            .iter()
            .flat_map(|path| string_map(root, &path.iter().fold(route.clone(), |at, key| at.key(*key))))
            .collect();
        return Transport::Remote(Remote { url, headers });
    }
    let Some(command) = command else {
        // The MCP gateway config of GitHub Agentic Workflows (gh-aw-mcpg) runs a server from its
        // `container` image, with `env` passed to it: the `docker run <image>` it becomes.
        if dialect == Dialect::McpJson
            && let Some(image) = string(root, &route.key("container"))
        {
            return docker_run(image, string_map(root, &route.key(env_key)));
        }
        return Transport::Unknown;
    };
    let mut args = string_list(root, &route.key("args"))
        .map(|l| l.items)
        .unwrap_or_default();
    if let Some(list) = string_list(root, &route.key(command_key)) {
        args = list.items.into_iter().skip(1).chain(args).collect();
    }
    Transport::Stdio(Stdio {
        command,
        args,
        env: string_map(root, &route.key(env_key)),
        cwd: string(root, &route.key("cwd")),
    })
}

fn read_tool_filter(dialect: Dialect, root: &Node, route: &Route) -> ToolFilter {
    let (allow_key, deny_key) = match dialect {
        Dialect::Gemini | Dialect::Qwen => (Some("includeTools"), Some("excludeTools")),
        Dialect::Codex => (Some("enabled_tools"), Some("disabled_tools")),
        Dialect::Litellm | Dialect::Helm => (Some("allowed_tools"), Some("disallowed_tools")),
        // GitHub Copilot's format: a per-server `tools` list of exposed tool names. VS Code's
        // `.vscode/mcp.json` has no tool fields: tools are picked in the chat view.
        Dialect::Copilot | Dialect::CopilotAgent => (Some("tools"), None),
        // GitHub Agentic Workflows: `allowed`, where `["*"]` allows every tool.
        Dialect::AgenticWorkflow => (Some("allowed"), None),
        // Roo, Kilo and Kiro hide the tools in `disabledTools`: a deny list, nothing enforced by default.
        Dialect::Roo | Dialect::Kilo | Dialect::Kiro => (None, Some("disabledTools")),
        // Goose: `available_tools`, where an empty list means every tool (is_tool_available).
        Dialect::Goose => (Some("available_tools"), None),
        _ => (None, None),
    };
    if dialect == Dialect::McpProxy {
        return mcp_proxy_tool_filter(root, route);
    }
    let mut filter = ToolFilter {
        allowlist_key: allow_key,
        allow: allow_key.and_then(|k| string_list(root, &route.key(k))),
        deny: deny_key.and_then(|k| string_list(root, &route.key(k))),
        enforced: None,
    };
    if dialect.is_litellm() {
        filter.enforced = flag(root, &route.key("mcp_info").key("tool_allowlist_enforced"));
    }
    filter
}

/// mcp-proxy's `options.toolFilter`: `mode: allow` with a non-empty `list` exposes only the
/// listed tools; `mode: block` hides them; an empty list, or another mode, filters nothing
/// (TBXark/mcp-proxy client.go addToolsToServer). A filter on `mcpProxy.options` is not
/// inherited by the servers (config.go load inherits only authTokens, panicIfInvalid, logEnabled).
fn mcp_proxy_tool_filter(root: &Node, route: &Route) -> ToolFilter {
    let filter = route.key("options").key("toolFilter");
    let mode = string(root, &filter.key("mode")).map(|m| m.value.to_ascii_lowercase());
    let list = string_list(root, &filter.key("list"));
    ToolFilter {
        allowlist_key: Some("options.toolFilter"),
        allow: list
            .clone()
            .filter(|l| mode.as_deref() == Some("allow") && !l.items.is_empty()),
        deny: list.filter(|_| mode.as_deref() == Some("block")),
        enforced: None,
    }
}

fn read_approvals(dialect: Dialect, root: &Node, route: &Route) -> Vec<Approval> {
    let mut approvals = Vec::new();
    match dialect {
        Dialect::Gemini | Dialect::Qwen if flag(root, &route.key("trust")).is_some_and(|f| f.value) => {
            approvals.push(Approval {
                route: route.key("trust"),
                description: "`trust: true` skips every tool confirmation for this server".into(),
                all_tools: true,
            });
        }
        Dialect::Codex => {
            if string(root, &route.key("default_tools_approval_mode")).is_some_and(|s| s.value == "approve") {
                approvals.push(Approval {
                    route: route.key("default_tools_approval_mode"),
                    description: "`default_tools_approval_mode = \"approve\"` runs every tool without asking".into(),
                    all_tools: true,
                });
            }
            let tools_route = route.key("tools");
            for tool in root.at(&tools_route).and_then(Node::as_map).unwrap_or_default() {
                let mode_route = tools_route.key(tool.key.as_str()).key("approval_mode");
                if string(root, &mode_route).is_some_and(|s| s.value == "approve") {
                    approvals.push(Approval {
                        route: mode_route,
                        description: format!("`approval_mode = \"approve\"` runs `{}` without asking", tool.key),
                        all_tools: false,
                    });
                }
            }
        }
        _ => {}
    }
    // The list of tools each client runs without asking: Roo and Kilo read only `alwaysAllow`
    // (their zod schema strips `autoApprove`), Amazon Q and Kiro only `autoApprove`; for Cline
    // and unknown clients both spellings count, as Cline's forks read one or the other.
    let keys: &[&str] = match dialect {
        Dialect::Codex | Dialect::Litellm | Dialect::Helm => &[],
        Dialect::Roo | Dialect::Kilo => &["alwaysAllow"],
        // Amazon Q reads approvals from its agent config (`allowedTools`), not from here: its
        // CustomToolConfig has no such key and serde skips it. opencode 1.18.33 drops both keys
        // in silence and Gemini CLI 0.61.0 runs the server without them (measured): dead config.
        Dialect::AmazonQ | Dialect::Opencode | Dialect::Gemini | Dialect::Qwen => &[],
        Dialect::Kiro => &["autoApprove"],
        _ => &["autoApprove", "alwaysAllow"],
    };
    {
        for &key in keys {
            if let Some(list) = string_list(root, &route.key(key))
                && !list.items.is_empty()
            {
                let all_tools = list.items.iter().any(|t| t.value == "*");
                let names: Vec<&str> = list.items.iter().map(|t| t.value.as_str()).collect();
                approvals.push(Approval {
                    route: list.route.clone(),
                    description: format!("`{key}` runs {} without asking", quote_list(&names)),
                    all_tools,
                });
            }
        }
    }
    approvals
}

/// The approved tools for a message: those whose names say they delete or run something first,
/// then those that write or send, so a long list never hides them in its "and N more".
fn quote_list(names: &[&str]) -> String {
    const SHOWN: usize = 4;
    let mut ordered: Vec<&str> = names.iter().copied().filter(|n| !n.is_empty()).collect();
    // A stable sort keeps the file's order within each group.
    ordered.sort_by_key(|name| risk(name));
    let acting = ordered.iter().filter(|name| risk(name) < Risk::Other).count();
    let mut text: Vec<String> = ordered.iter().take(SHOWN).map(|n| format!("`{n}`")).collect();
    if ordered.len() > SHOWN {
        let hidden_acting = acting.saturating_sub(SHOWN);
        let more = ordered.len() - SHOWN;
        text.push(if hidden_acting > 0 {
            format!("and {more} more ({hidden_acting} of them also write, delete or run commands)")
        } else {
            format!("and {more} more")
        });
    }
    text.join(", ")
}

/// What a tool's name says it does, most dangerous first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Risk {
    /// Deletes, or runs code or commands (`delete_file`, `execute_command`, `browser_evaluate`).
    Destructive,
    /// Writes, sends or acts (`write_file`, `merge_pull_request`, `browser_click`).
    Writes,
    Other,
}

fn risk(name: &str) -> Risk {
    const DESTRUCTIVE: [&str; 12] = [
        "delete", "remove", "drop", "execute", "exec", "run", "kill", "shell", "terminal", "evaluate", "eval",
        "install",
    ];
    const WRITES: [&str; 20] = [
        "write", "edit", "create", "update", "move", "rename", "push", "merge", "commit", "send", "post", "upload",
        "set", "change", "apply", "click", "fill", "type", "navigate", "replace",
    ];
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    if words.iter().any(|w| DESTRUCTIVE.contains(w)) {
        Risk::Destructive
    } else if words.iter().any(|w| WRITES.contains(w)) {
        Risk::Writes
    } else {
        Risk::Other
    }
}

fn read_auth(dialect: Dialect, root: &Node, route: &Route, transport: &Transport) -> Vec<Str> {
    let mut auth = Vec::new();
    if let Transport::Remote(remote) = transport {
        for header in &remote.headers {
            if is_auth_header(&header.key) {
                auth.push(header.value.clone());
            }
        }
    }
    let keys: &[&str] = match dialect {
        // An inline `bearer_token` is not listed: Codex refuses to start such a server.
        Dialect::Codex => &["bearer_token_env_var", "env_http_headers", "oauth"],
        Dialect::Litellm | Dialect::Helm => &["authentication_token", "auth_value", "client_id", "oauth2_flow"],
        Dialect::Gemini | Dialect::Qwen => &["oauth", "authProviderType"],
        Dialect::Cursor => &["auth"],
        _ => &["oauth", "headersHelper", "auth"],
    };
    for key in keys {
        let key_route = route.key(*key);
        if let Some(node) = root.at(&key_route) {
            auth.push(Str {
                value: node.as_str().unwrap_or_default().to_owned(),
                route: key_route,
            });
        }
    }
    if dialect.is_litellm() {
        // Ex) extra_headers: [Authorization]: the caller's credential is forwarded upstream.
        let forwarded = string_list(root, &route.key("extra_headers"))
            .into_iter()
            .flat_map(|l| l.items);
        auth.extend(forwarded.filter(|h| is_auth_header(&h.value)));
    }
    if dialect.is_litellm()
        && let Some(auth_type) = string(root, &route.key("auth_type"))
        && auth_type.value != "none"
    {
        auth.push(auth_type);
    }
    auth
}

fn read_credential_fields(dialect: Dialect, root: &Node, route: &Route) -> Vec<KeyValue> {
    let fields: Vec<Route> = match dialect {
        Dialect::Litellm | Dialect::Helm => LITELLM_CREDENTIAL_FIELDS.iter().map(|k| route.key(*k)).collect(),
        Dialect::Cursor => vec![route.key("auth").key("CLIENT_SECRET")],
        Dialect::Gemini | Dialect::Qwen => vec![route.key("oauth").key("clientSecret")],
        Dialect::Codex => vec![route.key("bearer_token")],
        _ => vec![route.key("oauth").key("clientSecret")],
    };
    fields
        .into_iter()
        .filter_map(|field| {
            let value = string(root, &field)?;
            Some(KeyValue {
                key: field.last_key().unwrap_or_default().to_owned(),
                value,
            })
        })
        .collect()
}

fn string(root: &Node, route: &Route) -> Option<Str> {
    let node = root.at(route)?;
    let value = match &node.value {
        NodeValue::Str(s) => s.clone(),
        NodeValue::Number(n) => n.clone(),
        _ => return None,
    };
    Some(Str {
        value,
        route: route.clone(),
    })
}

fn flag(root: &Node, route: &Route) -> Option<Flag> {
    let node = root.at(route)?;
    let value = match &node.value {
        NodeValue::Bool(b) => *b,
        // Ex) YAML written by hand: enabled: "false"
        NodeValue::Str(s) if s.eq_ignore_ascii_case("true") => true,
        NodeValue::Str(s) if s.eq_ignore_ascii_case("false") => false,
        _ => return None,
    };
    Some(Flag {
        value,
        route: route.clone(),
    })
}

fn string_list(root: &Node, route: &Route) -> Option<StrList> {
    let items = root.at(route)?.as_seq()?;
    Some(StrList {
        items: items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                Some(Str {
                    value: item.as_str()?.to_owned(),
                    route: route.index(i),
                })
            })
            .collect(),
        route: route.clone(),
    })
}

fn string_map(root: &Node, route: &Route) -> Vec<KeyValue> {
    let Some(entries) = root.at(route).and_then(Node::as_map) else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|entry| {
            let value = match &entry.value.value {
                NodeValue::Str(s) => s.clone(),
                NodeValue::Number(n) => n.clone(),
                NodeValue::Bool(b) => b.to_string(),
                _ => return None,
            };
            Some(KeyValue {
                key: entry.key.clone(),
                value: Str {
                    value,
                    route: route.key(entry.key.as_str()),
                },
            })
        })
        .collect()
}
