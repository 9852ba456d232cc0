//! `toxic-flow`: the servers one agent gets together let text anyone can write reach private
//! data and send it out.

use std::path::Path;

use crate::dialect::Dialect;
use crate::finding::{Finding, Severity};
use crate::fix::knowledge::{self, KnownServer};
use crate::model::flows::{Flow, FlowKind, FlowRole, FlowTool, RolesFrom, classify_parts, text_parameters};
use crate::model::policy::Admission;
use crate::model::{McpConfig, Server, VersionSpec};
use crate::poison::{Json, ToolText};

use super::{FixAvailability, LintContext, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Looks at the tools of every server one agent gets from a client config, together, and
    /// reports each combination that closes the loop: a tool that reads private data (files, a
    /// private repository, a mailbox, a database), a tool that takes in text anyone can write
    /// (web pages, issues, other people's messages), and a tool that sends data where someone
    /// else can read it (a URL of the caller's choice, a posted message, a public repository).
    /// All three are an error (the "lethal trifecta"); text anyone can write, or private data,
    /// reaching a sink without the third role is a warning.
    ///
    /// Each tool is classed offline. The knowledge table (`fixers/servers/*.toml`, `[flows]`)
    /// classes the tools of well-known servers from their source and documentation; a tool it
    /// does not know is classed from its definition as `mcp-lint probe` recorded it: a string
    /// parameter taking a URL (`url`, `uri`, `endpoint`, ...) makes a tool both untrusted and a
    /// sink (it reads what is there and the URL carries data out), `openWorldHint: true` makes a
    /// read-only tool untrusted and any other tool a sink, a recipient parameter (`to`,
    /// `channel`, ...) makes a tool that is not read-only a sink, a repository parameter (`repo`)
    /// makes a read-only tool private and untrusted and any other a sink, and a path or query
    /// parameter makes a read-only, closed-world tool private. Nothing is guessed from names or
    /// descriptions. A server that was not probed is classed from the knowledge table (the tools
    /// of the release it launches, or of every catalogued release when it floats), and the
    /// finding says so; a server neither probed nor known is left out, and named.
    ///
    /// Allowlists count: a tool the client's allowlist does not expose (`includeTools`,
    /// `enabled_tools`, Copilot's `tools`, LiteLLM's enforced `allowed_tools`) or its denylist
    /// hides is not in the flow, and neither is a disabled server nor one Claude Code's managed
    /// settings keep from starting. One agent is what one config gives, with what its client
    /// merges in: in `~/.claude.json` the user-scope servers are one agent and each project's
    /// local-scope servers join them in that project only; under `check --user .` a project's
    /// `.mcp.json` is judged with the user's and its local-scope servers beside it (classed
    /// from the knowledge table), reported there when they make the flow worse than either file
    /// alone. Other clients' user and project files are not combined. Gateways (LiteLLM,
    /// agentgateway, Kubernetes routes) give each caller the servers its key or route grants,
    /// so their configs are not judged as one agent; nor is a Zed settings file whose agent
    /// profiles switch the servers' tools (the profile a thread runs decides). Approval prompts (Claude Code's
    /// `permissions`) are not read: a prompt the user answers by habit does not break a flow.
    ///
    /// ## Why is this bad?
    /// An agent obeys instructions in whatever text it reads. Text planted in an issue, a web
    /// page or a message can tell it to read a private file and post it, fetch a URL that carries
    /// it, or push it to a public repository. Every server may be pinned, allowlisted and
    /// authenticated and the combination still leaks.
    ///
    /// ## Example
    /// ```json
    /// { "mcpServers": {
    ///     "filesystem": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2026.8.31", "/home/me"] },
    ///     "fetch": { "command": "uvx", "args": ["mcp-server-fetch==2026.10.24"] } } }
    /// ```
    /// Use instead: give `fetch` to another agent, or deny it where the client allows tools.
    ///
    /// ## Fix
    /// Not fixed automatically: which tool to give up is the user's call. The message names the
    /// tools by role and server, and the help the fewest tools whose removal breaks the flow,
    /// and the servers to move to another agent.
    ///
    /// ## References
    /// - Simon Willison, "The lethal trifecta for AI agents" (2025)
    /// - OWASP Top 10 for LLM Applications 2025, LLM01 Prompt Injection and LLM06 Excessive Agency
    /// - MCP specification, tool annotations (`readOnlyHint`, `openWorldHint`)
    pub struct ToxicFlow {
        id: "toxic-flow",
        summary: "The servers one agent gets let injected text read private data and send it out",
        severity: Severity::Error,
        fix: FixAvailability::None,
    }
}

/// Tools named per server and role in a message before "and N more".
const SHOWN: usize = 2;

impl Rule for ToxicFlow {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_in(&self, config: &McpConfig, context: &LintContext, findings: &mut Vec<Finding>) {
        if !is_one_agent(config.dialect) || config.servers.is_empty() {
            return;
        }
        if config.zed_profiles_switch_tools() {
            return;
        }
        let Some(servers_route) = &config.servers_route else {
            return;
        };
        let file_name = context.path.and_then(Path::file_name).and_then(|n| n.to_str());
        let managed_servers = file_name == Some("managed-mcp.json");
        // Each server's tools, classed once and cut to what its client exposes.
        let mut members: Vec<Member> = Vec::new();
        for server in config.servers.iter().filter(|server| !server.disabled) {
            // As dead-config judges it: a deny, or an allowlist only managed settings decide.
            let blocked = context
                .policies
                .iter()
                .any(|managed| match managed.policy.admits(server, managed_servers) {
                    Admission::Allowed => false,
                    Admission::Denied(_) => true,
                    Admission::NotAllowed => managed.policy.allowlist_is_authoritative(),
                });
            if blocked {
                continue;
            }
            members.push(Member {
                name: server.name.clone(),
                local_project: crate::rules::local_scope_project(server).map(str::to_owned),
                limited: server.tools.allow.is_some(),
                tools: server_tools(server, context).map(|classed| {
                    classed
                        .into_iter()
                        .filter(|classed| exposes(config, server, &classed.tool))
                        .collect()
                }),
            });
        }
        let mut local_projects: Vec<String> = Vec::new();
        for project in members.iter().filter_map(|m| m.local_project.as_ref()) {
            if !local_projects.contains(project) {
                local_projects.push(project.clone());
            }
        }
        if local_projects.is_empty() {
            // One agent: the file's servers, with those a client merges in from the user's own
            // file (Claude Code's user and local scopes, under `check --user .`).
            let own: Vec<&Member> = members.iter().collect();
            let merged = scoped_members(config, context);
            let own_flow = flow_of(&own);
            if merged.is_empty() {
                if let Some((flow, by_default)) = own_flow {
                    findings.push(finding(servers_route, flow, by_default, None));
                }
                return;
            }
            let user: Vec<&Member> = merged.iter().collect();
            let all: Vec<&Member> = own.iter().copied().chain(merged.iter()).collect();
            let user_rank = flow_of(&user).map_or(0, |(flow, _)| rank(flow.kind));
            match (own_flow, flow_of(&all)) {
                // The user's servers make it worse than this file alone, and worse than they are
                // alone (where the user's own file reports them).
                (own, Some((flow, by_default)))
                    if rank(flow.kind) > own.as_ref().map_or(0, |(f, _)| rank(f.kind))
                        && rank(flow.kind) > user_rank =>
                {
                    let scoped: Vec<String> = merged.iter().map(|m| m.name.clone()).collect();
                    findings.push(finding(servers_route, flow, by_default, Some(&scoped)));
                }
                (Some((flow, by_default)), _) => findings.push(finding(servers_route, flow, by_default, None)),
                _ => {}
            }
            return;
        }
        // `~/.claude.json` with local scopes: the user-scope servers are one agent in every
        // project, and each project's agent gets its local servers beside them.
        let user: Vec<&Member> = members.iter().filter(|m| m.local_project.is_none()).collect();
        let user_flow = flow_of(&user);
        let user_rank = user_flow.as_ref().map_or(0, |(flow, _)| rank(flow.kind));
        if let Some((flow, by_default)) = user_flow {
            findings.push(finding(servers_route, flow, by_default, None));
        }
        for project in local_projects {
            let agent: Vec<&Member> = members
                .iter()
                .filter(|m| m.local_project.is_none() || m.local_project.as_deref() == Some(project.as_str()))
                .collect();
            if let Some((flow, by_default)) = flow_of(&agent)
                && rank(flow.kind) > user_rank
            {
                let route = crate::dialect::Route::root()
                    .key("projects")
                    .key(project.as_str())
                    .key("mcpServers");
                findings.push(finding(&route, flow, by_default, None));
            }
        }
    }
}

/// One server of an agent: its tools with their roles (None when not known), and whether its
/// client limits them with an allowlist.
struct Member {
    name: String,
    /// The project of a `~/.claude.json` local-scope server.
    local_project: Option<String>,
    limited: bool,
    tools: Option<Vec<Classed>>,
}

/// How bad a flow is: the trifecta over a source-to-sink pair.
fn rank(kind: FlowKind) -> u8 {
    match kind {
        FlowKind::Trifecta => 2,
        FlowKind::UntrustedToSink | FlowKind::PrivateToSink => 1,
    }
}

/// The flow the tools of `members` close, if any, and whether it is what exposure by default
/// gives (no server of it limits its tools).
fn flow_of(members: &[&Member]) -> Option<(Flow, bool)> {
    let with = |role: FlowRole| -> Vec<FlowTool> {
        members
            .iter()
            .flat_map(|member| member.tools.iter().flatten().map(move |classed| (member, classed)))
            .filter_map(|(member, classed)| {
                let (_, why) = classed.roles.iter().find(|(r, _)| *r == role)?;
                Some(FlowTool {
                    server: member.name.clone(),
                    tool: classed.tool.clone(),
                    from: classed.from,
                    why: why.clone(),
                })
            })
            .collect()
    };
    let (private, untrusted, sink) = (with(FlowRole::Private), with(FlowRole::Untrusted), with(FlowRole::Sink));
    let kind = match (!private.is_empty(), !untrusted.is_empty(), !sink.is_empty()) {
        (true, true, true) => FlowKind::Trifecta,
        (_, true, true) => FlowKind::UntrustedToSink,
        (true, false, true) => FlowKind::PrivateToSink,
        _ => return None,
    };
    let mut flow = Flow {
        kind,
        private,
        untrusted,
        sink,
        breaks: Vec::new(),
        unclassified: members
            .iter()
            .filter(|m| m.tools.is_none())
            .map(|m| m.name.clone())
            .collect(),
    };
    flow.breaks = breaks(&flow);
    let involved: Vec<String> = servers_of(&flow.private)
        .into_iter()
        .chain(servers_of(&flow.untrusted))
        .chain(servers_of(&flow.sink))
        .collect();
    let by_default = members
        .iter()
        .filter(|member| involved.contains(&member.name))
        .all(|member| !member.limited);
    Some((flow, by_default))
}

/// The servers of the user's own `~/.claude.json` that Claude Code gives an agent in this
/// project's folder beside this `.mcp.json`'s (user scope, and this project's local scope), when
/// the run reads both (`check --user .`): classed from the knowledge table by their package,
/// those this file does not redefine by name.
fn scoped_members(config: &McpConfig, context: &LintContext) -> Vec<Member> {
    use crate::rules::{Scope, SiblingLaunch};
    let Some(path) = context.path.filter(|_| config.dialect == Dialect::ClaudeCode) else {
        return Vec::new();
    };
    let Some(this) = context
        .scoped
        .iter()
        .find(|s| s.file == path && s.scope == Scope::Project)
    else {
        return Vec::new();
    };
    context
        .scoped
        .iter()
        .filter(|s| s.file != path)
        .filter(|s| s.scope == Scope::User || (s.scope == Scope::Local && s.project == this.project))
        .filter(|s| !config.servers.iter().any(|own| own.name == s.name))
        .map(|s| {
            let tools = match &s.launch {
                SiblingLaunch::Package { ecosystem, name, text } => knowledge::known_server(*ecosystem, name)
                    .filter(|known| known.flows.is_some())
                    .map(|known| {
                        let version = text
                            .strip_prefix(name.as_str())
                            .map(|v| v.trim_start_matches(['@', '=']));
                        table_tools(known, version)
                    }),
                SiblingLaunch::Remote { .. } => None,
            };
            let scope = if s.scope == Scope::User {
                "user scope"
            } else {
                "local scope"
            };
            Member {
                name: format!("{} ({scope}, {})", s.name, s.file.display()),
                local_project: None,
                limited: false,
                tools,
            }
        })
        .collect()
}

/// Whether a config of `dialect` is what one agent gets: a client's file or an agent's own
/// definition, not a gateway that grants servers per caller, nor a package's description.
fn is_one_agent(dialect: Dialect) -> bool {
    !matches!(
        dialect,
        Dialect::Litellm
            | Dialect::Helm
            | Dialect::Kubernetes
            | Dialect::DockerCompose
            | Dialect::DockerCatalog
            | Dialect::McpProxy
            | Dialect::Agentgateway
            | Dialect::ServerJson
            | Dialect::McpBundle
    )
}

/// A tool of a server with each role it has and why.
struct Classed {
    tool: String,
    from: RolesFrom,
    roles: Vec<(FlowRole, String)>,
}

/// The tools of `server` with their roles: what `probe` recorded (the knowledge table classing
/// the tools it knows), else the knowledge table's tools for the release it launches; None when
/// neither knows them.
fn server_tools(server: &Server, context: &LintContext) -> Option<Vec<Classed>> {
    let known = known_server(server);
    // The recorded tools borrowed from the lock: a tool the knowledge table classes is not
    // parsed at all, another only as far as its annotations and top-level parameters.
    if let Some(texts) = context.tools.and_then(|tools| tools.texts(&server.name)) {
        return Some(
            texts
                .iter()
                .map(|text| Classed {
                    tool: text.name.to_owned(),
                    from: RolesFrom::Probe,
                    roles: known
                        .and_then(|known| table_roles(known, text.name))
                        .unwrap_or_else(|| classify_text(text)),
                })
                .collect(),
        );
    }
    let known = known.filter(|known| known.flows.is_some())?;
    let version = server
        .launch
        .as_ref()
        .and_then(|launch| launch.package.as_ref())
        .and_then(|package| match &package.spec {
            VersionSpec::Exact(version) => Some(version.as_str()),
            _ => None,
        });
    Some(table_tools(known, version))
}

/// The roles of a recorded tool by its definition, parsed only as far as that needs.
fn classify_text(text: &ToolText<'_>) -> Vec<(FlowRole, String)> {
    let annotations: Option<serde_json::Value> = match text.annotations {
        Some(Json::Parsed(value)) => Some(value.clone()),
        Some(Json::Text(json)) => serde_json::from_str(json).ok(),
        None => None,
    };
    let parameters = match text.input_schema {
        Json::Parsed(schema) => text_parameters(schema),
        Json::Text(json) => serde_json::from_str::<SchemaParameters>(json)
            .map(|schema| {
                schema
                    .properties
                    .into_iter()
                    .filter(|(_, parameter)| parameter.takes_text())
                    .map(|(name, _)| name.to_ascii_lowercase())
                    .collect()
            })
            .unwrap_or_default(),
    };
    classify_parts(annotations.as_ref(), parameters)
}

/// An input schema read only for its top-level parameters and what each takes.
#[derive(serde::Deserialize)]
struct SchemaParameters {
    #[serde(default)]
    properties: std::collections::BTreeMap<String, Parameter>,
}

#[derive(serde::Deserialize)]
struct Parameter {
    #[serde(rename = "type")]
    kind: Option<serde_json::Value>,
    items: Option<Box<Parameter>>,
    #[serde(rename = "anyOf")]
    any_of: Option<serde::de::IgnoredAny>,
    #[serde(rename = "$ref")]
    reference: Option<serde::de::IgnoredAny>,
}

impl Parameter {
    /// As [`crate::model::flows::takes_text`] decides it from a parsed schema.
    fn takes_text(&self) -> bool {
        let is_string = |p: &Parameter| match &p.kind {
            Some(serde_json::Value::String(kind)) => kind == "string",
            Some(serde_json::Value::Array(kinds)) => kinds.iter().any(|k| k == "string"),
            None => p.any_of.is_none() && p.reference.is_none(),
            _ => false,
        };
        is_string(self)
            || (matches!(&self.kind, Some(serde_json::Value::String(k)) if k == "array")
                && self.items.as_deref().is_some_and(is_string))
    }
}

/// The tools the knowledge table gives a server of `known` at `version` (the catalogued release
/// that holds it; every tool of every release when it floats or is not catalogued).
fn table_tools(known: &KnownServer, version: Option<&str>) -> Vec<Classed> {
    let names: Vec<&str> = match version.and_then(|version| known.release_for(version)) {
        Some(release) => release.tools.iter().map(String::as_str).collect(),
        None => known.tools.iter().map(|(name, _)| name.as_str()).collect(),
    };
    names
        .into_iter()
        .map(|name| Classed {
            tool: name.to_owned(),
            from: RolesFrom::KnowledgeTable,
            roles: table_roles(known, name).unwrap_or_default(),
        })
        .collect()
}

/// A tool's roles by the knowledge table, each with the table as its reason.
fn table_roles(known: &KnownServer, tool: &str) -> Option<Vec<(FlowRole, String)>> {
    let roles = known.flow_roles(tool)?;
    let why = format!("mcp-lint's knowledge table of {}", known.package);
    Some(
        FlowRole::ALL
            .into_iter()
            .filter(|role| roles.has(*role))
            .map(|role| (role, why.clone()))
            .collect(),
    )
}

fn known_server(server: &Server) -> Option<&'static KnownServer> {
    let package = server.launch.as_ref()?.package.as_ref()?;
    knowledge::known_server(package.ecosystem, &package.name)
}

/// Whether the client offers `tool` of `server` to the agent: its allowlist names it (or is
/// `*`), and its denylist does not. An empty allowlist offers nothing, except LiteLLM's
/// unenforced one, which allows every tool.
fn exposes(config: &McpConfig, server: &Server, tool: &str) -> bool {
    let names = |list: &crate::model::StrList| list.items.iter().any(|item| item.value == tool || item.value == "*");
    if let Some(allow) = &server.tools.allow {
        let enforced = server.tools.enforced.as_ref().is_some_and(|flag| flag.value);
        let all = allow.items.is_empty() && config.dialect.is_litellm() && !enforced;
        if !all && !names(allow) {
            return false;
        }
    }
    if let Some(deny) = &server.tools.deny
        && deny.items.iter().any(|item| item.value == tool)
    {
        return false;
    }
    true
}

/// What would break the flow: the fewest tools of one role to deny, and the servers to give
/// another agent.
fn breaks(flow: &Flow) -> Vec<String> {
    let mut roles: Vec<(FlowRole, &Vec<FlowTool>)> = vec![(FlowRole::Sink, &flow.sink)];
    match flow.kind {
        FlowKind::Trifecta => {
            roles.push((FlowRole::Untrusted, &flow.untrusted));
            roles.push((FlowRole::Private, &flow.private));
        }
        FlowKind::UntrustedToSink => roles.push((FlowRole::Untrusted, &flow.untrusted)),
        FlowKind::PrivateToSink => roles.push((FlowRole::Private, &flow.private)),
    }
    // The role with the fewest tools first (the sink on a tie: it is where the data leaves).
    roles.sort_by_key(|(_, tools)| tools.len());
    let mut breaks = Vec::new();
    if let Some((role, tools)) = roles.first() {
        breaks.push(format!(
            "deny the tools that {} ({}) in the client's allowlist or tool settings",
            role.describe(),
            list(tools, usize::MAX)
        ));
    }
    let sink_servers = servers_of(&flow.sink);
    let source_servers: Vec<String> = servers_of(&flow.private)
        .into_iter()
        .chain(servers_of(&flow.untrusted))
        .collect();
    // Moving the sinks to another agent works only where no sink server is also a source.
    if sink_servers.iter().all(|server| !source_servers.contains(server)) {
        breaks.push(format!(
            "give {} to another agent (a config of its own)",
            sink_servers
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    breaks
}

fn servers_of(tools: &[FlowTool]) -> Vec<String> {
    let mut servers: Vec<String> = Vec::new();
    for tool in tools {
        if !servers.contains(&tool.server) {
            servers.push(tool.server.clone());
        }
    }
    servers
}

/// The tools grouped by server, each server's first `shown` tools named:
/// `` filesystem: `read_file`, `search_files` and 7 more; fetch: `fetch` ``.
fn list(tools: &[FlowTool], shown: usize) -> String {
    servers_of(tools)
        .iter()
        .map(|server| {
            let names: Vec<&str> = tools
                .iter()
                .filter(|tool| &tool.server == server)
                .map(|tool| tool.tool.as_str())
                .collect();
            let mut joined = names
                .iter()
                .take(shown)
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let rest = names.len().saturating_sub(shown);
            if rest > 0 {
                joined.push_str(&format!(" and {rest} more"));
            }
            format!("{server}: {joined}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The label of a flow that no allowlist of its servers narrows: the audit files it under
/// fail-closed (exposure by default), the others under governance.
pub const BY_DEFAULT: &str = "every tool exposed by default";

/// The finding of a flow at `route`; `scoped` names the servers merged in from the user's own
/// file, when they are what makes it.
fn finding(route: &crate::dialect::Route, flow: Flow, by_default: bool, scoped: Option<&[String]>) -> Finding {
    let info = &ToxicFlow::INFO;
    let part = |role: FlowRole, tools: &[FlowTool]| format!("{} ({})", role.describe(), list(tools, SHOWN));
    let (severity, message) = match flow.kind {
        FlowKind::Trifecta => (
            Severity::Error,
            format!(
                "toxic flow: one agent gets tools that {}, that {} and that {}: injected text can make it send the private data out",
                part(FlowRole::Private, &flow.private),
                part(FlowRole::Untrusted, &flow.untrusted),
                part(FlowRole::Sink, &flow.sink),
            ),
        ),
        FlowKind::UntrustedToSink => (
            Severity::Warning,
            format!(
                "untrusted text reaches a sink: one agent gets tools that {} and that {}: injected text can make it send out what it holds",
                part(FlowRole::Untrusted, &flow.untrusted),
                part(FlowRole::Sink, &flow.sink),
            ),
        ),
        FlowKind::PrivateToSink => (
            Severity::Warning,
            format!(
                "private data reaches a sink: one agent gets tools that {} and that {}",
                part(FlowRole::Private, &flow.private),
                part(FlowRole::Sink, &flow.sink),
            ),
        ),
    };
    let mut finding = Finding::new(info.id, severity, message, route)
        .on_key()
        .label(if by_default {
            BY_DEFAULT
        } else {
            "these servers together"
        })
        .help(format!("to break it, {}", flow.breaks.join(", or ")));
    let from_table = servers_of(
        &flow
            .private
            .iter()
            .chain(&flow.untrusted)
            .chain(&flow.sink)
            .filter(|tool| tool.from == RolesFrom::KnowledgeTable)
            .cloned()
            .collect::<Vec<_>>(),
    );
    if !from_table.is_empty() {
        finding = finding.note(format!(
            "the tools of {} are classed from mcp-lint's knowledge table, not probed: `mcp-lint probe` records what they list",
            from_table.join(", ")
        ));
    }
    if let Some(scoped) = scoped {
        finding = finding.note(format!(
            "with the servers Claude Code adds from the user's own file in this project: {}",
            scoped.join(", ")
        ));
    }
    if !flow.unclassified.is_empty() {
        finding = finding.note(format!(
            "not classed (neither probed nor in the knowledge table): {}",
            flow.unclassified.join(", ")
        ));
    }
    finding.flow(flow)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::flows::classify;
    use crate::model::tools::ToolDefinition;
    use serde_json::json;

    /// A tool read from the lock's text is classed as the parsed definition is.
    #[test]
    fn recorded_text_is_classed_as_the_parsed_tool() {
        let schemas = [
            json!({"type": "object", "properties": {"url": {"type": "string"}, "max": {"type": "integer"}}}),
            json!({"type": "object", "properties": {"urls": {"type": "array", "items": {"type": "string"}}}}),
            json!({"type": "object", "properties": {"Channel": {}, "text": {"type": ["string", "null"]}}}),
            json!({"type": "object", "properties": {"path": {"anyOf": [{"type": "string"}]}, "repo": {"$ref": "#/x"}}}),
            json!({"type": "object", "properties": {"query": {"type": "string"}, "owner": {"type": "string"}, "repo": {"type": "string"}}}),
            json!({"type": "object"}),
        ];
        let annotations = [
            None,
            Some(json!({"readOnlyHint": true, "openWorldHint": false})),
            Some(json!({"readOnlyHint": true, "openWorldHint": true})),
            Some(json!({"openWorldHint": true})),
        ];
        for schema in &schemas {
            for annotation in &annotations {
                let tool = ToolDefinition::from_listing(
                    &json!({"name": "t", "inputSchema": schema, "annotations": annotation}),
                )
                .expect("tool");
                let schema_text = schema.to_string();
                let annotation_text = annotation.as_ref().map(ToString::to_string);
                let text = ToolText {
                    name: "t",
                    description: None,
                    input_schema: Json::Text(&schema_text),
                    annotations: annotation_text.as_deref().map(Json::Text),
                };
                assert_eq!(classify_text(&text), classify(&tool), "{schema} {annotation:?}");
            }
        }
    }
}
