//! The field failures the reference audit connects to its findings, found per gateway server: a
//! write-enabled server any caller can drive with no per-tool limit (47 duplicate tickets), one
//! shared static credential for every user (a token alive weeks after offboarding), and a
//! server that brings the open web into the context with no guardrail on tool results (a
//! research agent that followed injected instructions).

use crate::audit::deployment::{ConfigFile, Deployment};
use crate::audit::{Check, DimensionId, Effort, GapKind, Observation, Severity};
use crate::dialect::Node;
use crate::model::{Server, Transport};

use super::strings;

pub static WRITE_UNLIMITED: Check = Check {
    id: "governance.write-unlimited",
    dimension: DimensionId::Governance,
    kind: GapKind::Partial,
    looks_at: "servers that write (ticketing, code hosting, messaging, shells, databases, files) reachable with no per-tool limit",
    why: "an agent in a loop, or steered by injected text, writes as often as it is asked: one support agent filed 47 duplicate tickets",
    remedy: "List only the read tools in `allowed_tools` (with `tool_allowlist_enforced`), or gate the write tools with a `tool_permission` guardrail",
    effort: Effort::S,
    likelihood: 2,
    impact: 3,
};

pub static SHARED_CREDENTIAL: Check = Check {
    id: "secrets.shared-credential",
    dimension: DimensionId::Secrets,
    kind: GapKind::Partial,
    looks_at: "one static credential that every caller of a server acts with",
    why: "revoking one person means rotating the token for everyone, so it is not done: a contractor's token stayed active three weeks after offboarding",
    remedy: "Give each caller their own identity upstream: `auth_type: oauth2_token_exchange` (RFC 8693) or per-user OAuth, and keep service tokens for read-only servers",
    effort: Effort::M,
    likelihood: 2,
    impact: 2,
};

pub static RESULT_GUARDRAIL: Check = Check {
    id: "fail-closed.result-guardrail",
    dimension: DimensionId::FailClosed,
    kind: GapKind::Partial,
    looks_at: "servers whose results come from the open web (fetch, browsers, search) with no guardrail on tool results (`mode: post_mcp_call`)",
    why: "a page the model reads can carry instructions it then follows with every other tool: a research agent obeyed text a web-fetch tool returned",
    remedy: "Run a guardrail in `mode: post_mcp_call` with `default_on: true`, so tool results are checked before the model reads them",
    effort: Effort::M,
    likelihood: 2,
    impact: 3,
};

/// What a server can do, by the words of its name, package, command and URL (`mcp-atlassian`,
/// `@modelcontextprotocol/server-github`, `mcp-server-fetch`).
const WRITES: &[(&str, &str)] = &[
    ("jira", "ticketing"),
    ("atlassian", "ticketing"),
    ("linear", "ticketing"),
    ("servicenow", "ticketing"),
    ("zendesk", "ticketing"),
    ("github", "code hosting"),
    ("gitlab", "code hosting"),
    ("bitbucket", "code hosting"),
    ("slack", "messaging"),
    ("gmail", "messaging"),
    ("outlook", "messaging"),
    ("shell", "a shell"),
    ("terminal", "a shell"),
    ("desktop-commander", "a shell"),
    ("postgres", "a database"),
    ("mysql", "a database"),
    ("mongodb", "a database"),
    ("filesystem", "files"),
    ("notion", "documents"),
    ("confluence", "documents"),
    ("kubernetes", "a cluster"),
];

const OPEN_WEB: &[&str] = &[
    "fetch",
    "browser",
    "puppeteer",
    "playwright",
    "firecrawl",
    "brave-search",
    "tavily",
    "exa-mcp",
    "scrape",
    "crawl",
    "web-search",
];

/// Verbs that begin a tool that changes something.
const WRITE_VERBS: &[&str] = &[
    "create",
    "update",
    "delete",
    "write",
    "edit",
    "merge",
    "push",
    "send",
    "post",
    "run",
    "execute",
    "exec",
    "add",
    "remove",
    "set",
    "transition",
    "comment",
    "assign",
    "close",
    "move",
    "upload",
    "drop",
    "insert",
];

/// `auth_type`s that give each caller their own upstream identity.
const PER_USER_AUTH: &[&str] = &[
    "oauth2_token_exchange",
    "oauth2_id_jag",
    "true_passthrough",
    "oauth_delegate",
];

/// The field-failure observations of every gateway server.
pub fn observations(deployment: &Deployment) -> Vec<Observation> {
    let mut found = Vec::new();
    for config in deployment.gateways() {
        let guarded_results = result_guardrail(config);
        let tool_permission = has_guardrail(config, |params| {
            params.get("guardrail").and_then(Node::as_str) == Some("tool_permission")
        });
        for server in &config.report.config.servers {
            let words = words_of(server);
            let evidence =
                Some(config.evidence(config.report.root.key_span_at(&server.route).unwrap_or_default().start));
            if let Some(what) = WRITES
                .iter()
                .find(|(word, _)| words.contains(word))
                .map(|(_, what)| *what)
            {
                if let Some(gap) = write_gap(server, what, tool_permission) {
                    found.push(Observation::gap(&WRITE_UNLIMITED, gap.0, gap.1, evidence.clone()));
                }
                if let Some(credential) = shared_credential(config, server) {
                    found.push(Observation::gap(
                        &SHARED_CREDENTIAL,
                        Severity::Low,
                        format!(
                            "server `{}` ({what}): every caller acts as one identity ({credential}); revoking one person means rotating it for all",
                            server.name
                        ),
                        evidence.clone(),
                    ));
                }
            }
            if !guarded_results && OPEN_WEB.iter().any(|word| words.contains(word)) {
                found.push(Observation::gap(
                    &RESULT_GUARDRAIL,
                    Severity::Medium,
                    format!(
                        "server `{}` brings the open web into the model's context, and no guardrail checks tool results (`mode: post_mcp_call`)",
                        server.name
                    ),
                    evidence,
                ));
            }
        }
    }
    found
}

/// Lower-case words a server is known by: its name, command, arguments (the package) and URL.
fn words_of(server: &Server) -> String {
    let mut words = server.name.to_ascii_lowercase();
    match &server.transport {
        Transport::Stdio(stdio) => {
            words.push(' ');
            words.push_str(&stdio.command.value.to_ascii_lowercase());
            for arg in &stdio.args {
                words.push(' ');
                words.push_str(&arg.value.to_ascii_lowercase());
            }
        }
        Transport::Remote(remote) => {
            words.push(' ');
            words.push_str(&remote.url.value.to_ascii_lowercase());
        }
        Transport::Published(_) | Transport::Unknown => {}
    }
    words
}

/// A write-enabled server's reach: every tool (no allowlist, high), or listed write tools with
/// no `tool_permission` guardrail to gate them (medium); None when only read tools are listed or
/// a guardrail gates the tools.
fn write_gap(server: &Server, what: &str, tool_permission: bool) -> Option<(Severity, String)> {
    if tool_permission {
        return None;
    }
    let Some(allowed) = server.tools.allow.as_ref() else {
        return Some((
            Severity::High,
            format!(
                "server `{}` ({what}) writes through the gateway with no per-tool limit: every tool, write ones included, runs for any caller granted the server, with no approval step",
                server.name
            ),
        ));
    };
    let writes: Vec<&str> = allowed
        .items
        .iter()
        .map(|item| item.value.as_str())
        .filter(|tool| is_write_tool(tool))
        .collect();
    (!writes.is_empty()).then(|| {
        (
            Severity::Medium,
            format!(
                "server `{}` ({what}) allows the write tools {} with no approval step or `tool_permission` guardrail",
                server.name,
                writes
                    .iter()
                    .map(|tool| format!("`{tool}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
    })
}

/// Whether an enforced allowlist limits the server to tools that only read.
pub fn read_only_by_allowlist(server: &Server) -> bool {
    let enforced = server.tools.enforced.as_ref().is_some_and(|flag| flag.value);
    enforced
        && server
            .tools
            .allow
            .as_ref()
            .is_some_and(|list| !list.items.is_empty() && list.items.iter().all(|tool| !is_write_tool(&tool.value)))
}

fn is_write_tool(tool: &str) -> bool {
    let lower = tool.to_ascii_lowercase();
    WRITE_VERBS
        .iter()
        .any(|verb| lower.starts_with(verb) && lower[verb.len()..].starts_with(['_', '-']))
}

/// The one static credential a server's callers share, described without its value: a bearer
/// token, an env token, a client-credentials OAuth identity. None for per-user auth.
fn shared_credential(config: &ConfigFile, server: &Server) -> Option<String> {
    let auth_type = server
        .litellm
        .as_ref()
        .and_then(|litellm| litellm.auth_type.as_ref())
        .map_or("", |auth| auth.value.as_str());
    if PER_USER_AUTH.contains(&auth_type) {
        return None;
    }
    let node = config.report.root.at(&server.route)?;
    if auth_type == "oauth2" {
        let flow = node.get("oauth2_flow").and_then(Node::as_str).unwrap_or_default();
        return (flow == "client_credentials").then(|| "an OAuth client-credentials identity".to_owned());
    }
    if node.get("authentication_token").is_some() {
        return Some("`authentication_token`".to_owned());
    }
    let Transport::Stdio(stdio) = &server.transport else {
        return None;
    };
    stdio
        .env
        .iter()
        .find(|pair| crate::secrets::is_secret_name(&pair.key))
        .map(|pair| format!("env `{}`", pair.key))
}

/// Whether a guardrail of the config checks tool results on every call.
fn result_guardrail(config: &ConfigFile) -> bool {
    has_guardrail(config, |params| {
        params.get("default_on").and_then(Node::as_bool) == Some(true)
            && params
                .get("mode")
                .map(strings)
                .unwrap_or_default()
                .contains(&"post_mcp_call")
    })
}

fn has_guardrail(config: &ConfigFile, test: impl Fn(&Node) -> bool) -> bool {
    config.setting(&["guardrails"]).is_some_and(|(guardrails, _)| {
        guardrails
            .as_seq()
            .unwrap_or_default()
            .iter()
            .filter_map(|guardrail| guardrail.get("litellm_params"))
            .any(&test)
    })
}
