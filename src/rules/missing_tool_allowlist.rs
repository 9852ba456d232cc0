//! `missing-tool-allowlist`: a server exposes every tool because no allowlist restricts it.

use serde_json::{Value, json};

use crate::dialect::{Component, Dialect};
use crate::finding::{Finding, Severity};
use crate::fix::knowledge::{self, AllowlistRecipe, KnownServer, Release, ToolClass};
use crate::fix::{Applicability, Edit, Fix};
use crate::model::extract::MCP_ROUTE_ALLOWLIST;
use crate::model::tools::{ToolKind, ToolListing};
use crate::model::{McpConfig, Server, StrList, Transport, VersionSpec};

mod agentgateway;

use super::{FixAvailability, LintContext, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags servers that expose every tool they have because the client's per-server exposure
    /// allowlist is missing or allows everything: LiteLLM `allowed_tools`, Gemini CLI
    /// `includeTools`, Codex `enabled_tools`, the `tools` list of GitHub Copilot's format
    /// (`~/.copilot/mcp-config.json`), the `--tools` flag of Docker's MCP gateway run by compose,
    /// and agentgateway's `mcpAuthorization` on a route, its backends or the `mcp:` shortcut,
    /// which limits tools only with an allow rule (a plain CEL string or `allow:`): no rules, an
    /// empty `rules` and deny rules alone expose every tool (`src/http/authorization.rs`: "If
    /// there are no rule sets, everyone has access"); its CEL is not evaluated, so any allow rule
    /// counts as a list, and a config with top-level `policies` is not judged.
    /// A list of `["*"]` allows everything, and so does an empty LiteLLM
    /// `allowed_tools` unless `mcp_info.tool_allowlist_enforced: true` sits beside it. A denylist
    /// (`excludeTools`, `disabled_tools`, `disallowed_tools`) is not an allowlist: new tools of a new
    /// server version are exposed by default.
    ///
    /// Where the client cannot restrict tools in this file at all (Claude Desktop, Claude Code,
    /// Cursor, VS Code, Windsurf, Cline), it says once per file, at low severity, where that
    /// client can; for the generic `mcpServers` format, whose client is unknown, it says nothing.
    ///
    /// ## Why is this bad?
    /// Without an allowlist any caller can invoke any tool, write and external ones included
    /// (OWASP LLM06 Excessive Agency). A prompt injection in a fetched page can then delete a
    /// repository or post to a channel through a server that was added for reading.
    ///
    /// ## Example
    /// ```yaml
    /// mcp_servers:
    ///   github_tools:
    ///     url: https://mcp.example.com/github/mcp
    /// ```
    /// Use instead:
    /// ```yaml
    /// mcp_servers:
    ///   github_tools:
    ///     url: https://mcp.example.com/github/mcp
    ///     allowed_tools: [get_issue, list_issues]
    /// ```
    ///
    /// ## Fix
    /// Add the dialect's allowlist with the read-only tools the server needs. A skeleton must deny
    /// until it is filled in: in LiteLLM an empty `allowed_tools` allows every tool, so it needs
    /// `mcp_info: {tool_allowlist_enforced: true}` beside it. In agentgateway an allow rule that
    /// matches no tool (`mcp.tool.name == "mcp-lint-fill-in-the-tools-this-server-may-call"`) is
    /// added to the route's `mcpAuthorization`, since an empty `rules` allows every tool.
    ///
    /// ## References
    /// - OWASP Top 10 for LLM Applications 2025, LLM06 Excessive Agency
    /// - LiteLLM `proxy/mcp_server/utils.py` (allowlist applied only when non-empty or enforced)
    /// - agentgateway `crates/agentgateway/src/http/authorization.rs` (`RuleSets::validate`)
    /// - Gemini CLI `docs/tools/mcp-server.md` (`includeTools`, `excludeTools`)
    /// - Codex `codex-rs/core/src/config/types.rs` (`enabled_tools`, `disabled_tools`)
    pub struct MissingToolAllowlist {
        id: "missing-tool-allowlist",
        summary: "A server exposes every tool: no allowlist restricts it",
        severity: Severity::Warning,
        fix: FixAvailability::Sometimes,
    }
}

impl Rule for MissingToolAllowlist {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_in(&self, config: &McpConfig, context: &LintContext, findings: &mut Vec<Finding>) {
        let Some(servers_route) = &config.servers_route else {
            return;
        };
        // A server.json or a bundle describes a server for every client; allowlists are each
        // client's own.
        if matches!(
            config.dialect,
            crate::dialect::Dialect::ServerJson | crate::dialect::Dialect::McpBundle
        ) {
            return;
        }
        // agentgateway limits the tools of a route's targets with `mcpAuthorization` rules.
        if config.dialect == Dialect::Agentgateway {
            agentgateway::check_routes(config, findings);
            return;
        }
        // Servers under a key the client does not read are dead-config's to report.
        if config
            .shape_problems
            .iter()
            .any(|p| p.ignored && &p.route == servers_route)
        {
            return;
        }
        if config.dialect == Dialect::DockerCompose {
            compose_gateways_without_tools(config, findings);
            return;
        }
        if config.servers.iter().all(|s| s.tools.allowlist_key.is_none()) {
            // Zed switches tools in agent profiles of the same settings file: where a profile
            // names the servers' tools, the control is in use.
            let zed_profiles = config.zed_profiles_switch_tools();
            // Said once per file, and only where there is a client whose control to point at.
            if let Some(where_instead) = where_to_restrict(config.dialect)
                && !config.servers.is_empty()
                && !zed_profiles
            {
                findings.push(
                    Finding::new(
                        Self::INFO.id,
                        Severity::Info,
                        if config.dialect == Dialect::Zed {
                            format!("Zed has no tool list in `context_servers`: every tool of these servers is offered unless an agent profile turns it off; {where_instead}")
                        } else if matches!(config.dialect, Dialect::Roo | Dialect::Kilo | Dialect::Kiro) {
                            format!(
                                "{} has no per-server tool allowlist, only the deny list `disabledTools`: every tool a server offers, new ones included, is exposed unless named there",
                                config.dialect.client()
                            )
                        } else {
                            format!(
                                "{} cannot restrict which tools a server exposes in this file; {}",
                                config.dialect.client(),
                                where_instead
                            )
                        },
                        servers_route,
                    )
                    .on_key()
                    .label("every tool of these servers is exposed"),
                );
            }
            return;
        }
        // Copilot's portable `.mcp.json` names `tools` on some servers: the others lack it.
        // (A manifest stream's resources are each their own kind: only an MCPRoute has one.)
        let file_key = config
            .servers
            .iter()
            .find_map(|s| s.tools.allowlist_key)
            .filter(|_| config.dialect != Dialect::Kubernetes);
        for server in &config.servers {
            // A Codex layer that only switches a server defined in another layer says nothing
            // about that server's tools.
            if config.dialect == Dialect::Codex && crate::schema::is_codex_overlay(config.value_at(&server.route)) {
                continue;
            }
            if let Some(key) = server.tools.allowlist_key.or(file_key) {
                // What the server listed when probed: its own tools, before any catalogue.
                let listing = context.tools.and_then(|tools| tools.listing(&server.name));
                let facts = ToolFacts {
                    listing: listing.as_ref(),
                    version: running_version(server, context),
                };
                check_allowlist(config, server, key, &facts, findings);
            }
        }
    }
}

/// Docker's MCP gateway exposes every tool of the servers it runs unless its command names them
/// with `--tools` (or a `--tools-config` file). The command is the service's own, so the flag
/// is left for the user to write: no fix.
fn compose_gateways_without_tools(config: &McpConfig, findings: &mut Vec<Finding>) {
    let info = &MissingToolAllowlist::INFO;
    for server in &config.servers {
        // Another gateway (an MCP proxy) filters tools in its own config, read on its own.
        if !crate::model::compose::runs_docker_mcp_gateway(server) {
            continue;
        }
        let names_tools = crate::model::compose::gateway_flags(config, server)
            .iter()
            .any(|flag| matches!(flag.name.as_str(), "tools" | "tools-config"));
        if names_tools {
            continue;
        }
        findings.push(
            Finding::new(
                info.id,
                info.default_severity,
                format!(
                    "gateway `{}` exposes every tool of the servers it runs: its command has no `--tools`",
                    server.name
                ),
                &server.route,
            )
            .server(&server.name, &server.route)
            .on_key()
            .label("no tool allowlist")
            .help("add `--tools=<tool>,<tool>` (or `--tools-config=<file>`) to the gateway's `command`, naming only the tools the clients need"),
        );
    }
}

fn check_allowlist(config: &McpConfig, server: &Server, key: &str, facts: &ToolFacts, findings: &mut Vec<Finding>) {
    let info = &MissingToolAllowlist::INFO;
    let Some(allow) = &server.tools.allow else {
        let denylist = server
            .tools
            .deny
            .as_ref()
            .map(|_| " (a denylist still exposes every tool it does not name)")
            .unwrap_or_default();
        findings.push(
            Finding::new(
                info.id,
                info.default_severity,
                format!(
                    "server `{}` exposes every tool: it has no `{key}` allowlist{denylist}",
                    server.name
                ),
                &server.route,
            )
            .server(&server.name, &server.route)
            .on_key()
            .label("no tool allowlist")
            .help(format!("add `{key}` listing only the tools this server needs"))
            .fix(add_allowlist(config, server, key, facts)),
        );
        return;
    };
    if let Some(star) = allow.items.iter().find(|t| t.value.trim() == "*") {
        findings.push(
            Finding::new(
                info.id,
                info.default_severity,
                format!("server `{}` allows every tool: `{key}` contains `*`", server.name),
                &star.route,
            )
            .server(&server.name, &server.route)
            .label("allows every tool")
            .help(format!("list the tools by name in `{key}`"))
            .fix(replace_star(config, server, key, allow, facts)),
        );
        return;
    }
    let enforced = server.tools.enforced.as_ref().is_some_and(|f| f.value);
    if config.dialect.is_litellm() && allow.items.is_empty() && !enforced {
        findings.push(
            Finding::new(
                info.id,
                info.default_severity,
                format!(
                    "server `{}` has an empty `allowed_tools`, which LiteLLM treats as \"allow every tool\"",
                    server.name
                ),
                &allow.route,
            )
            .server(&server.name, &server.route)
            .label("empty list allows every tool")
            .help("list the tools by name, or add `mcp_info: {tool_allowlist_enforced: true}` so the empty list denies")
            .fix(Fix::new(
                "Add `mcp_info: {tool_allowlist_enforced: true}` so the empty `allowed_tools` denies every tool",
                Applicability::Unsafe,
                require_settings(
                    config,
                    server,
                    key,
                    &[("mcp_info.tool_allowlist_enforced".into(), true)],
                ),
            )),
        );
    }
}

/// Where a client without a per-server allowlist in its config file restricts tools instead;
/// None for a file whose client is not known (the generic `mcpServers` format).
fn where_to_restrict(dialect: Dialect) -> Option<&'static str> {
    let place = match dialect {
        Dialect::ClaudeCode => {
            "deny tools with `permissions.deny` (`mcp__<server>__<tool>`) in `.claude/settings.json`"
        }
        Dialect::Cursor => {
            "deny tools with `permissions.deny` (`Mcp(<server>:<tool>)`) in `.cursor/cli.json` or turn them off in Cursor's MCP settings"
        }
        Dialect::ClaudeDesktop => "turn tools off per server in Claude Desktop's connector settings",
        Dialect::Vscode => "choose the tools a chat may call in the Chat view's tool picker (Configure Tools)",
        Dialect::Windsurf => "turn tools off per server in Windsurf's MCP settings (Cascade)",
        Dialect::Cline => "turn tools off in Cline's MCP settings and keep `autoApprove` empty",
        Dialect::Roo | Dialect::Kilo | Dialect::Kiro => {
            "hide the tools it must not call with `disabledTools` (a deny list: this client has no allowlist)"
        }
        Dialect::DockerCatalog => {
            "run the gateway with `--tools` naming the tools each server may expose (the catalog's `tools` only describes them)"
        }
        Dialect::Zed => {
            "switch its tools per agent profile (`agent.profiles.<profile>.context_servers.<server>.tools.<tool>: false`)"
        }
        // opencode names an MCP server's tools `<server>_<tool>` and switches them in `tools`.
        Dialect::Opencode => {
            "turn its tools off in the top-level `tools` map (`\"<server>_*\": false`) and enable the ones an agent needs in that agent's `tools`"
        }
        // Amazon Q's and Antigravity's tool controls are not verified.
        Dialect::McpJson | Dialect::AmazonQ | Dialect::Antigravity => return None,
        // Continue's tool policies live in its settings, not in config.yaml: not verified.
        // ToolHive's `toolsFilter` (an MCPToolConfig) is not verified either.
        Dialect::Continue | Dialect::Kubernetes => return None,
        Dialect::DockerCompose => "run the gateway with `--tools` naming the tools it may expose",
        _ => "restrict tools in the client's settings or put the servers behind a gateway with an allowlist",
    };
    Some(place)
}

/// A name no server exposes: an allowlist holding only it denies every tool until a person
/// replaces it, in clients where an empty list would mean "every tool".
const FILL_IN: &str = "mcp-lint-fill-in-the-tools-this-server-may-call";

/// The version of the server's package that runs: the exact one written, or the release that
/// pinning would write (when the registries were asked).
fn running_version(server: &Server, context: &LintContext) -> Option<String> {
    let package = server.launch.as_ref()?.package.as_ref()?;
    match &package.spec {
        VersionSpec::Exact(version) => Some(version.clone()),
        _ => context
            .registry?
            .pin(package)?
            .ok()
            .map(|pick| pick.release.version.clone()),
    }
}

/// What decides a new allowlist beyond the file: the tools the server listed when probed, and the
/// version that runs (pinned, or the one resolution would pin).
struct ToolFacts<'a> {
    listing: Option<&'a ToolListing>,
    version: Option<String>,
}

/// What to put in a new allowlist: the known server's read-only tools, or a skeleton that denies.
struct Allowlist {
    tools: Vec<String>,
    /// Settings that must sit beside the list for it to deny (LiteLLM's enforced flag).
    requires: Vec<(String, bool)>,
    comment: Vec<String>,
    title: String,
}

fn allowlist_for(config: &McpConfig, server: &Server, key: &str, facts: &ToolFacts) -> Allowlist {
    if let Some(listing) = facts.listing {
        return listed_allowlist(config, server, key, listing);
    }
    let known = server
        .launch
        .as_ref()
        .and_then(|l| l.package.as_ref())
        .and_then(|p| knowledge::known_server(p.ecosystem, &p.name));
    let Some(known) = known else {
        return deny_skeleton(config, server, key);
    };
    // The catalogue knows releases, not packages: the list is the one of the version that runs.
    let why = match facts.version.as_deref() {
        None => format!("{} is not pinned, and its tools depend on the version", known.package),
        Some(version) => match known.release_for(version) {
            Some(release) if known.release_tools_of(release, ToolClass::Read).next().is_some() => {
                return known_allowlist(known, version, release, key);
            }
            Some(release) => {
                let mut skeleton = deny_skeleton(config, server, key);
                skeleton.comment = opt_in_comment(known, version, release);
                skeleton.title = format!("{}: {} {version} has no read-only tool", skeleton.title, known.package);
                return skeleton;
            }
            None => format!(
                "{} {version} is not in the catalogue, which holds {}",
                known.package,
                known.ranges()
            ),
        },
    };
    let mut skeleton = deny_skeleton(config, server, key);
    skeleton.comment = vec![format!("mcp-lint: {why}: this list denies every tool until filled in")];
    skeleton.title = format!("{}: {why}", skeleton.title);
    skeleton
}

/// A list that denies every tool until a person names the ones the server may call.
fn deny_skeleton(config: &McpConfig, server: &Server, key: &str) -> Allowlist {
    let recipe = knowledge::allowlist_recipe(config.dialect).unwrap_or(AllowlistRecipe {
        key: key.to_owned(),
        empty_means: "unknown".into(),
        deny_empty_requires: Vec::new(),
    });
    let comment = vec![format!(
        "mcp-lint: this list denies every tool until it names the ones `{}` may call",
        server.name
    )];
    match recipe.empty_means.as_str() {
        "deny-all" => Allowlist {
            tools: Vec::new(),
            requires: Vec::new(),
            comment,
            title: format!("Add an empty `{key}` (denies every tool until filled in)"),
        },
        "allow-all" if !recipe.deny_empty_requires.is_empty() => Allowlist {
            tools: Vec::new(),
            title: format!(
                "Add an empty `{key}` and {} so that it denies every tool until filled in",
                recipe
                    .deny_empty_requires
                    .iter()
                    .map(|(k, v)| format!("`{k}: {v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            requires: recipe.deny_empty_requires,
            comment,
        },
        // An empty list would allow everything (or its meaning is not established): a name that
        // matches no tool denies instead.
        _ => Allowlist {
            tools: vec![FILL_IN.to_owned()],
            requires: Vec::new(),
            comment,
            title: format!("Add `{key}` with a placeholder that matches no tool (denies every tool until filled in)"),
        },
    }
}

/// The read-only tools the server itself listed (`readOnlyHint: true`); the others stay off, named
/// in a comment where the syntax has comments and in the fix's title where it has none.
fn listed_allowlist(config: &McpConfig, server: &Server, key: &str, listing: &ToolListing) -> Allowlist {
    let of = |kind: ToolKind| -> Vec<String> {
        listing
            .tools
            .iter()
            .filter(|tool| tool.kind() == kind)
            .map(|tool| tool.name.clone())
            .collect()
    };
    let read = of(ToolKind::ReadOnly);
    let others: Vec<String> = [ToolKind::Write, ToolKind::Destructive]
        .into_iter()
        .flat_map(of)
        .collect();
    let source = format!(
        "{} {} from tools/list",
        listing.server_name.trim(),
        listing.server_version.trim()
    );
    let mut comment = vec![format!("mcp-lint: the read-only tools of {source}")];
    for (kind, label) in [(ToolKind::Write, "write"), (ToolKind::Destructive, "destructive")] {
        let names = of(kind);
        if !names.is_empty() {
            comment.extend(wrap(&format!("{label} tools, add to opt in: {}", names.join(", ")), 96));
        }
    }
    let unlisted = if others.is_empty() || config.dialect.syntax() != crate::dialect::Syntax::Json {
        String::new()
    } else {
        format!("; not listed: {}", others.join(", "))
    };
    if read.is_empty() {
        let mut skeleton = deny_skeleton(config, server, key);
        skeleton.comment = vec![format!(
            "mcp-lint: {source} has no read-only tool: this list denies every tool"
        )];
        skeleton.comment.extend(comment.into_iter().skip(1));
        skeleton.title = format!("{}: {source} lists no read-only tool{unlisted}", skeleton.title);
        return skeleton;
    }
    Allowlist {
        title: format!(
            "Add `{key}` with the {} read-only tools of {source} (write and destructive tools stay off){unlisted}",
            read.len()
        ),
        tools: read,
        requires: Vec::new(),
        comment,
    }
}

fn known_allowlist(known: &KnownServer, version: &str, release: &Release, key: &str) -> Allowlist {
    let tools: Vec<String> = known
        .release_tools_of(release, ToolClass::Read)
        .map(str::to_owned)
        .collect();
    let comment = opt_in_comment(known, version, release);
    Allowlist {
        title: format!(
            "Add `{key}` with the {} read-only tools of {} {version} (write and destructive tools stay off)",
            tools.len(),
            known.package
        ),
        tools,
        requires: Vec::new(),
        comment,
    }
}

/// Where the list comes from, then the write and destructive tools a person may add.
fn opt_in_comment(known: &KnownServer, version: &str, release: &Release) -> Vec<String> {
    let origin = if known.release_tools_of(release, ToolClass::Read).next().is_some() {
        format!(
            "mcp-lint: the read-only tools of {} {version} (catalogue: {})",
            known.package,
            release.range()
        )
    } else {
        format!(
            "mcp-lint: {} {version} has no read-only tool (catalogue: {}): this list denies every tool",
            known.package,
            release.range()
        )
    };
    let mut comment = vec![origin];
    for class in [ToolClass::Write, ToolClass::Destructive] {
        let names: Vec<&str> = known.release_tools_of(release, class).collect();
        if !names.is_empty() {
            comment.extend(wrap(
                &format!("{} tools, add to opt in: {}", class.name(), names.join(", ")),
                96,
            ));
        }
    }
    comment
}

/// Splits `text` at spaces into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if line.len() + 1 + word.len() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

fn add_allowlist(config: &McpConfig, server: &Server, key: &str, facts: &ToolFacts) -> Fix {
    let list = allowlist_for(config, server, key, facts);
    if config.dialect == Dialect::McpProxy {
        return mcp_proxy_allowlist(config, server, list);
    }
    if key == MCP_ROUTE_ALLOWLIST {
        return mcp_route_allowlist(config, server, list);
    }
    // Next to what decides the tools: the package in `args`, or the remote's URL key as written
    // (`url`, `httpUrl`, `serverUrl`, ...).
    let anchor = match &server.transport {
        Transport::Remote(remote) => match remote.url.route.split_last() {
            Some((Component::Key(key), parent)) if parent == server.route => key.clone(),
            _ => "url".to_owned(),
        },
        _ => "args".to_owned(),
    };
    let mut edits = vec![Edit::Insert {
        map: server.route.clone(),
        after: Some(anchor),
        key: key.to_owned(),
        value: json!(list.tools),
        comment: list.comment,
    }];
    edits.extend(require_settings(config, server, key, &list.requires));
    Fix::new(list.title, Applicability::Unsafe, edits)
}

/// mcp-proxy: `options.toolFilter = {mode: "allow", list: [...]}`, into the server's `options`
/// or with a new one. A list that is empty filters nothing there, so the skeleton names no tool.
fn mcp_proxy_allowlist(config: &McpConfig, server: &Server, list: Allowlist) -> Fix {
    let filter = json!({ "mode": "allow", "list": list.tools });
    let options = server.route.key("options");
    let existing = options.key("toolFilter");
    // A block list, an empty list or another mode filters (nearly) nothing: the allow list
    // takes its place.
    let edit = if config.value_at(&existing).is_some() {
        Edit::Replace {
            route: existing,
            value: filter,
        }
    } else if config.value_at(&options).is_some_and(serde_json::Value::is_object) {
        Edit::Insert {
            map: options,
            after: None,
            key: "toolFilter".to_owned(),
            value: filter,
            comment: Vec::new(),
        }
    } else {
        Edit::Insert {
            map: server.route.clone(),
            after: None,
            key: "options".to_owned(),
            value: json!({ "toolFilter": filter }),
            comment: Vec::new(),
        }
    };
    Fix::new(list.title, Applicability::Unsafe, vec![edit])
}

/// Envoy AI Gateway: `toolSelector.include` in the backend's `toolSelector` (an empty `include`
/// is replaced: it filters nothing), or a new `toolSelector`. The list names a tool no server
/// has until a person fills it in, so the backend exposes nothing meanwhile.
fn mcp_route_allowlist(config: &McpConfig, server: &Server, list: Allowlist) -> Fix {
    let selector = server.route.key("toolSelector");
    let include = selector.key("include");
    let edit = if config.value_at(&include).is_some() {
        Edit::Replace {
            route: include,
            value: json!(list.tools),
        }
    } else if config.value_at(&selector).is_some_and(serde_json::Value::is_object) {
        Edit::Insert {
            map: selector,
            after: None,
            key: "include".to_owned(),
            value: json!(list.tools),
            comment: list.comment,
        }
    } else {
        Edit::Insert {
            map: server.route.clone(),
            after: Some("name".to_owned()),
            key: "toolSelector".to_owned(),
            value: json!({ "include": list.tools }),
            comment: list.comment,
        }
    };
    Fix::new(list.title, Applicability::Unsafe, vec![edit])
}

/// `["*"]` becomes the list a missing allowlist would get; other entries stay.
fn replace_star(config: &McpConfig, server: &Server, key: &str, allow: &StrList, facts: &ToolFacts) -> Fix {
    let list = allowlist_for(config, server, key, facts);
    let mut edits: Vec<Edit> = list
        .tools
        .iter()
        .filter(|tool| !allow.items.iter().any(|t| &t.value == *tool))
        .map(|tool| Edit::Append {
            list: allow.route.clone(),
            value: Value::String(tool.clone()),
        })
        .collect();
    // Removed from the end so that the indices of earlier items stay valid.
    edits.extend(
        allow
            .items
            .iter()
            .rev()
            .filter(|t| t.value.trim() == "*")
            .map(|t| Edit::Remove { route: t.route.clone() }),
    );
    edits.extend(require_settings(config, server, key, &list.requires));
    Fix::new(
        format!("Drop `*` from `{key}`: {}", lowercase_first(&list.title)),
        Applicability::Unsafe,
        edits,
    )
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Edits that set each `parent.leaf: value` under the server, next to the allowlist.
fn require_settings(config: &McpConfig, server: &Server, key: &str, settings: &[(String, bool)]) -> Vec<Edit> {
    let mut edits = Vec::new();
    for (path, value) in settings {
        let (parent, leaf) = path.split_once('.').unwrap_or(("", path.as_str()));
        let parent_route = if parent.is_empty() {
            server.route.clone()
        } else {
            server.route.key(parent)
        };
        let leaf_route = parent_route.key(leaf);
        if config.value_at(&leaf_route).is_some() {
            edits.push(Edit::Replace {
                route: leaf_route,
                value: json!(value),
            });
        } else if parent.is_empty() || config.value_at(&parent_route).is_some_and(Value::is_object) {
            edits.push(Edit::Insert {
                map: parent_route,
                after: None,
                key: leaf.to_owned(),
                value: json!(value),
                comment: Vec::new(),
            });
        } else {
            edits.push(Edit::Insert {
                map: server.route.clone(),
                after: Some(key.to_owned()),
                key: parent.to_owned(),
                value: json!({ leaf: value }),
                comment: Vec::new(),
            });
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use crate::harness;
    use crate::run::settings::Settings;

    /// The title of the allowlist fix of the one server of a Codex config running `package`.
    fn title(package: &str) -> String {
        let text = format!("[mcp_servers.gh]\ncommand = \"npx\"\nargs = [\"-y\", \"{package}\"]\n");
        let checked = harness::run(&text, "project/.codex/config.toml", &Settings::defaults());
        checked
            .findings()
            .iter()
            .find(|l| l.finding.rule == "missing-tool-allowlist")
            .and_then(|l| l.finding.fix.as_ref())
            .map(|fix| fix.title.clone())
            .unwrap_or_default()
    }

    /// The catalogue's list is the one of the release that runs: an older GitHub server had no
    /// pull-request tools, a version outside every probed run and an unpinned one get the
    /// deny-until-filled list, saying why.
    #[test]
    fn the_allowlist_follows_the_pinned_release() {
        let newest = title("@modelcontextprotocol/server-github@2025.4.8");
        assert!(
            newest.contains("read-only tools of @modelcontextprotocol/server-github 2025.4.8"),
            "{newest}"
        );
        let oldest = title("@modelcontextprotocol/server-github@2025.1.23");
        assert!(oldest.contains("2025.1.23"), "{oldest}");
        let count = |title: &str| -> usize {
            title
                .split("the ")
                .nth(1)
                .and_then(|rest| rest.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        assert!(count(&oldest) < count(&newest), "{oldest} / {newest}");
        let unknown = title("@modelcontextprotocol/server-github@0.0.1");
        assert!(
            unknown.contains("0.0.1 is not in the catalogue, which holds 2025.1.23, 2025.3.19 - 2025.4.8"),
            "{unknown}"
        );
        let floating = title("@modelcontextprotocol/server-github");
        assert!(
            floating.contains("is not pinned, and its tools depend on the version"),
            "{floating}"
        );
        assert!(floating.starts_with("Add an empty `enabled_tools`"), "{floating}");
    }

    /// A registry that would pin every package to one release.
    #[derive(Debug)]
    struct PinsTo(crate::model::facts::Pick);

    impl crate::rules::RegistryFacts for PinsTo {
        fn package(
            &self,
            _: crate::model::Ecosystem,
            _: &str,
        ) -> Option<Result<&crate::model::facts::PackageInfo, &dyn std::fmt::Display>> {
            None
        }
        fn pin(
            &self,
            _: &crate::model::PackageRef,
        ) -> Option<Result<&crate::model::facts::Pick, &dyn std::fmt::Display>> {
            Some(Ok(&self.0))
        }
        fn image_digest(&self, _: &crate::model::PackageRef) -> Option<Result<&str, &dyn std::fmt::Display>> {
            None
        }
        fn policy(&self) -> Option<&crate::model::facts::Policy> {
            None
        }
        fn not_found(&self, _: crate::model::Ecosystem, _: &str) -> bool {
            false
        }
    }

    /// A floating package gets the list of the release pinning would write, named in the title.
    #[test]
    fn a_floating_package_gets_the_list_of_the_release_it_resolves_to() {
        let text = "[mcp_servers.gh]\ncommand = \"npx\"\nargs = [\"-y\", \"@modelcontextprotocol/server-github\"]\n";
        let source = crate::run::parse::SourceFile::new("project/.codex/config.toml", text.to_owned());
        let parsed = crate::run::parse::parse(source, None).expect("parses");
        let title = |version: &str| {
            let registry = PinsTo(crate::model::facts::Pick {
                release: crate::model::facts::Release {
                    version: version.to_owned(),
                    published: None,
                    withdrawn: None,
                    prerelease: false,
                    artifacts: Vec::new(),
                    floating_dependencies: Vec::new(),
                    install_script: false,
                    shrinkwrap: None,
                },
                skipped: Vec::new(),
            });
            let context = crate::rules::LintContext {
                registry: Some(&registry),
                ..Default::default()
            };
            let mut findings = Vec::new();
            crate::rules::Rule::check_in(&super::MissingToolAllowlist, &parsed.config, &context, &mut findings);
            findings
                .iter()
                .find_map(|f| f.fix.as_ref())
                .map(|fix| fix.title.clone())
                .unwrap_or_default()
        };
        let resolved = title("2025.1.23");
        assert!(
            resolved.contains("the 8 read-only tools of @modelcontextprotocol/server-github 2025.1.23"),
            "{resolved}"
        );
        let unknown = title("2024.1.1");
        assert!(unknown.contains("2024.1.1 is not in the catalogue"), "{unknown}");
    }
}
