//! Checks documents against the vendored dialect schemas and explains problems by route.
//!
//! Schemas live in `schemas/dialects/` (see `schemas/README.md`); each is compiled into a validator
//! at build time (`jsonschema`'s `validator` macro), so a run compiles nothing: compiling one at
//! run time, most of it checking the schema against its meta-schema, was most of a one-file check.
//! A subschema may carry `"x-message"`: that text (with `{subject}` filled in) replaces the generic
//! explanation of errors raised by its own keywords.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use jsonschema::ValidationError;
use jsonschema::error::ValidationErrorKind;
use serde_json::Value;

use crate::dialect::{Component, Dialect, Route};

/// One structural problem, located by route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaIssue {
    /// The offending value, or for an unknown or misspelled key the key's own entry.
    pub route: Route,
    /// True when the problem is the key itself (unknown key, typo, bad server name) rather than its value.
    pub on_key: bool,
    /// A one-line, user-facing message.
    pub message: String,
    /// The client reads past this key without a word (it is dead config), rather than refusing
    /// the file or the server.
    pub ignored: bool,
}

/// All structural problems of `doc` (the whole file as a JSON value) for `dialect`, in document order.
pub fn validate(dialect: Dialect, doc: &Value) -> Vec<SchemaIssue> {
    let document = schema_document(dialect);
    let typos = typo_issues(dialect, document, doc);
    let typo_routes: HashSet<&Route> = typos.iter().map(|t| &t.route).collect();
    let mut issues = Vec::new();
    for error in validators::errors(dialect, doc) {
        explain(dialect, document, doc, &error, &typo_routes, &mut issues);
    }
    issues.extend(typos);
    let mut seen = HashSet::new();
    issues.retain(|issue| seen.insert((issue.route.clone(), issue.on_key)));
    if issues.len() > 1 {
        let order = document_order(doc);
        issues.sort_by_key(|issue| (order.get(&issue.route).copied().unwrap_or(usize::MAX), !issue.on_key));
    }
    issues
}

/// A Codex server table that holds only the settings a config layer may adjust on a server
/// defined in another layer (the keys of Codex's `PluginMcpServerConfig`), and no transport.
pub fn is_codex_overlay(table: Option<&Value>) -> bool {
    const OVERLAY_KEYS: [&str; 5] = [
        "enabled",
        "enabled_tools",
        "disabled_tools",
        "default_tools_approval_mode",
        "tools",
    ];
    table
        .and_then(Value::as_object)
        .is_some_and(|table| !table.is_empty() && table.keys().all(|key| OVERLAY_KEYS.contains(&key.as_str())))
}

/// The dialects' schemas as validators made at build time, one per schema file.
mod validators {
    #![allow(clippy::all, clippy::pedantic, clippy::unwrap_used)]

    #[jsonschema::validator(path = "schemas/dialects/claude-desktop.schema.json")]
    struct ClaudeDesktopSchema;

    #[jsonschema::validator(path = "schemas/dialects/claude-code.schema.json")]
    struct ClaudeCodeSchema;

    #[jsonschema::validator(path = "schemas/dialects/cursor.schema.json")]
    struct CursorSchema;

    #[jsonschema::validator(path = "schemas/dialects/vscode.schema.json")]
    struct VscodeSchema;

    #[jsonschema::validator(path = "schemas/dialects/copilot.schema.json")]
    struct CopilotSchema;

    #[jsonschema::validator(path = "schemas/dialects/windsurf.schema.json")]
    struct WindsurfSchema;

    #[jsonschema::validator(path = "schemas/dialects/gemini.schema.json")]
    struct GeminiSchema;

    #[jsonschema::validator(path = "schemas/dialects/qwen.schema.json")]
    struct QwenSchema;

    #[jsonschema::validator(path = "schemas/dialects/cline.schema.json")]
    struct ClineSchema;

    #[jsonschema::validator(path = "schemas/dialects/roo.schema.json")]
    struct RooSchema;

    #[jsonschema::validator(path = "schemas/dialects/amazon-q.schema.json")]
    struct AmazonQSchema;

    #[jsonschema::validator(path = "schemas/dialects/mcp-json.schema.json")]
    struct McpJsonSchema;

    #[jsonschema::validator(path = "schemas/dialects/opencode.schema.json")]
    struct OpencodeSchema;

    #[jsonschema::validator(path = "schemas/dialects/goose.schema.json")]
    struct GooseSchema;

    #[jsonschema::validator(path = "schemas/dialects/zed.schema.json")]
    struct ZedSchema;

    #[jsonschema::validator(path = "schemas/dialects/continue.schema.json")]
    struct ContinueSchema;

    #[jsonschema::validator(path = "schemas/dialects/mcp-proxy.schema.json")]
    struct McpProxySchema;

    #[jsonschema::validator(path = "schemas/dialects/docker-catalog.schema.json")]
    struct DockerCatalogSchema;

    #[jsonschema::validator(path = "schemas/dialects/kubernetes.schema.json")]
    struct KubernetesSchema;

    #[jsonschema::validator(path = "schemas/dialects/docker-compose.schema.json")]
    struct DockerComposeSchema;

    #[jsonschema::validator(path = "schemas/dialects/codex.schema.json")]
    struct CodexSchema;

    #[jsonschema::validator(path = "schemas/dialects/litellm.schema.json")]
    struct LitellmSchema;

    #[jsonschema::validator(path = "schemas/dialects/helm.schema.json")]
    struct HelmSchema;

    #[jsonschema::validator(path = "schemas/dialects/server-json.schema.json")]
    struct ServerJsonSchema;

    #[jsonschema::validator(path = "schemas/dialects/mcpb.schema.json")]
    struct McpBundleSchema;

    #[jsonschema::validator(path = "schemas/dialects/copilot-agent.schema.json")]
    struct CopilotAgentSchema;

    #[jsonschema::validator(path = "schemas/dialects/agentic-workflow.schema.json")]
    struct AgenticWorkflowSchema;

    #[jsonschema::validator(path = "schemas/dialects/agentgateway.schema.json")]
    struct AgentgatewaySchema;

    use jsonschema::ValidationError;
    use serde_json::Value;

    use crate::dialect::Dialect;

    /// Every error of `doc` against the schema of `dialect`.
    pub(super) fn errors(dialect: Dialect, doc: &Value) -> Vec<ValidationError<'_>> {
        match dialect {
            Dialect::ClaudeDesktop => ClaudeDesktopSchema::iter_errors(doc).collect(),
            Dialect::ClaudeCode => ClaudeCodeSchema::iter_errors(doc).collect(),
            Dialect::Cursor => CursorSchema::iter_errors(doc).collect(),
            Dialect::Vscode => VscodeSchema::iter_errors(doc).collect(),
            Dialect::Copilot => CopilotSchema::iter_errors(doc).collect(),
            Dialect::Windsurf => WindsurfSchema::iter_errors(doc).collect(),
            Dialect::Gemini => GeminiSchema::iter_errors(doc).collect(),
            Dialect::Qwen => QwenSchema::iter_errors(doc).collect(),
            Dialect::Cline => ClineSchema::iter_errors(doc).collect(),
            Dialect::Roo | Dialect::Kilo => RooSchema::iter_errors(doc).collect(),
            Dialect::AmazonQ => AmazonQSchema::iter_errors(doc).collect(),
            Dialect::Kiro | Dialect::Antigravity | Dialect::McpJson => McpJsonSchema::iter_errors(doc).collect(),
            Dialect::Opencode => OpencodeSchema::iter_errors(doc).collect(),
            Dialect::Goose => GooseSchema::iter_errors(doc).collect(),
            Dialect::Zed => ZedSchema::iter_errors(doc).collect(),
            Dialect::Continue => ContinueSchema::iter_errors(doc).collect(),
            Dialect::McpProxy => McpProxySchema::iter_errors(doc).collect(),
            Dialect::DockerCatalog => DockerCatalogSchema::iter_errors(doc).collect(),
            Dialect::Kubernetes => KubernetesSchema::iter_errors(doc).collect(),
            Dialect::DockerCompose => DockerComposeSchema::iter_errors(doc).collect(),
            Dialect::Codex => CodexSchema::iter_errors(doc).collect(),
            Dialect::Litellm => LitellmSchema::iter_errors(doc).collect(),
            Dialect::Helm => HelmSchema::iter_errors(doc).collect(),
            Dialect::ServerJson => ServerJsonSchema::iter_errors(doc).collect(),
            Dialect::McpBundle => McpBundleSchema::iter_errors(doc).collect(),
            Dialect::CopilotAgent => CopilotAgentSchema::iter_errors(doc).collect(),
            Dialect::AgenticWorkflow => AgenticWorkflowSchema::iter_errors(doc).collect(),
            Dialect::Agentgateway => AgentgatewaySchema::iter_errors(doc).collect(),
        }
    }
}

/// The parsed schema documents (for the messages' `x-message` and the typo check), read on
/// first use.
static DOCUMENTS: [OnceLock<Value>; Dialect::ALL.len()] = [const { OnceLock::new() }; Dialect::ALL.len()];

/// The embedded text of a dialect's schema.
fn schema_source(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::ClaudeDesktop => include_str!("../schemas/dialects/claude-desktop.schema.json"),
        Dialect::ClaudeCode => include_str!("../schemas/dialects/claude-code.schema.json"),
        Dialect::Cursor => include_str!("../schemas/dialects/cursor.schema.json"),
        Dialect::Vscode => include_str!("../schemas/dialects/vscode.schema.json"),
        Dialect::Copilot => include_str!("../schemas/dialects/copilot.schema.json"),
        Dialect::Windsurf => include_str!("../schemas/dialects/windsurf.schema.json"),
        Dialect::Gemini => include_str!("../schemas/dialects/gemini.schema.json"),
        Dialect::Qwen => include_str!("../schemas/dialects/qwen.schema.json"),
        Dialect::Cline => include_str!("../schemas/dialects/cline.schema.json"),
        Dialect::Roo | Dialect::Kilo => include_str!("../schemas/dialects/roo.schema.json"),
        Dialect::AmazonQ => include_str!("../schemas/dialects/amazon-q.schema.json"),
        Dialect::Kiro | Dialect::Antigravity | Dialect::McpJson => {
            include_str!("../schemas/dialects/mcp-json.schema.json")
        }
        Dialect::Opencode => include_str!("../schemas/dialects/opencode.schema.json"),
        Dialect::Goose => include_str!("../schemas/dialects/goose.schema.json"),
        Dialect::Zed => include_str!("../schemas/dialects/zed.schema.json"),
        Dialect::Continue => include_str!("../schemas/dialects/continue.schema.json"),
        Dialect::McpProxy => include_str!("../schemas/dialects/mcp-proxy.schema.json"),
        Dialect::DockerCatalog => include_str!("../schemas/dialects/docker-catalog.schema.json"),
        Dialect::Kubernetes => include_str!("../schemas/dialects/kubernetes.schema.json"),
        Dialect::DockerCompose => include_str!("../schemas/dialects/docker-compose.schema.json"),
        Dialect::Codex => include_str!("../schemas/dialects/codex.schema.json"),
        Dialect::Litellm => include_str!("../schemas/dialects/litellm.schema.json"),
        Dialect::Helm => include_str!("../schemas/dialects/helm.schema.json"),
        Dialect::ServerJson => include_str!("../schemas/dialects/server-json.schema.json"),
        Dialect::McpBundle => include_str!("../schemas/dialects/mcpb.schema.json"),
        Dialect::CopilotAgent => include_str!("../schemas/dialects/copilot-agent.schema.json"),
        Dialect::AgenticWorkflow => include_str!("../schemas/dialects/agentic-workflow.schema.json"),
        Dialect::Agentgateway => include_str!("../schemas/dialects/agentgateway.schema.json"),
    }
}

/// The dialect's schema document, parsed the first time it is needed.
fn schema_document(dialect: Dialect) -> &'static Value {
    let slot = Dialect::ALL
        .iter()
        .position(|d| *d == dialect)
        .expect("internal error: dialect missing from Dialect::ALL");
    DOCUMENTS[slot].get_or_init(|| {
        serde_json::from_str(schema_source(dialect)).expect("internal error: embedded schema is not valid JSON")
    })
}

/// A step of a pattern that locates server maps in a document.
#[derive(Clone, Copy)]
enum Step {
    Key(&'static str),
    AnyKey,
}

/// Where each dialect keeps its maps of servers (the map itself, not its entries).
fn server_maps(dialect: Dialect) -> Vec<Vec<Step>> {
    let main: Vec<Step> = dialect.servers_path().iter().map(|key| Step::Key(key)).collect();
    let mut maps = vec![main];
    if dialect == Dialect::ClaudeCode {
        // ~/.claude.json: per-project servers.
        maps.push(vec![
            Step::Key("projects"),
            Step::AnyKey,
            Step::Key(dialect.servers_key()),
        ]);
    }
    maps
}

/// The length of the route of the server entry that contains `route`, if any.
fn server_depth(dialect: Dialect, route: &Route) -> Option<usize> {
    let components = route.components();
    server_maps(dialect).iter().find_map(|pattern| {
        let matches = components.len() > pattern.len()
            && pattern
                .iter()
                .zip(components)
                .all(|(step, component)| match (step, component) {
                    (Step::Key(key), Component::Key(actual)) => key == actual,
                    (Step::AnyKey, Component::Key(_)) => true,
                    _ => false,
                });
        matches.then_some(pattern.len() + 1)
    })
}

/// How a message names the place: relative to its server entry when inside one.
fn subject(dialect: Dialect, route: &Route) -> String {
    let components = route.components();
    match server_depth(dialect, route) {
        _ if components.is_empty() => "the document".to_owned(),
        Some(depth) if depth == components.len() => match components.last() {
            Some(Component::Key(name)) => format!("server `{name}`"),
            _ => format!("`{route}`"),
        },
        Some(depth) => format!("`{}`", route_tail(route, depth)),
        None => format!("`{route}`"),
    }
}

fn route_tail(route: &Route, from: usize) -> Route {
    Route::from_components(route.components()[from..].to_vec())
}

/// Every object of `doc` that lists the keys of one server, with its route.
fn server_entries(dialect: Dialect, doc: &Value) -> Vec<(Route, &Value)> {
    let mut entries = Vec::new();
    for pattern in server_maps(dialect) {
        let mut maps = vec![(Route::root(), doc)];
        for step in &pattern {
            maps = maps
                .into_iter()
                .flat_map(|(route, value)| match step {
                    Step::Key(key) => value
                        .get(*key)
                        .map(|v| (route.key(*key), v))
                        .into_iter()
                        .collect::<Vec<_>>(),
                    Step::AnyKey => value
                        .as_object()
                        .map(|map| map.iter().map(|(k, v)| (route.key(k.as_str()), v)).collect())
                        .unwrap_or_default(),
                })
                .collect();
        }
        for (route, map) in maps {
            for (name, entry) in map.as_object().into_iter().flatten() {
                entries.push((route.key(name.as_str()), entry));
            }
            // Continue's `mcpServers` is a list.
            for (index, entry) in map.as_array().into_iter().flatten().enumerate() {
                entries.push((route.index(index), entry));
            }
        }
    }
    entries
}

/// Turns one validator error into issues (an unknown-properties error names several keys).
fn explain(
    dialect: Dialect,
    schema: &Value,
    doc: &Value,
    error: &ValidationError<'_>,
    typo_routes: &HashSet<&Route>,
    issues: &mut Vec<SchemaIssue>,
) {
    let route = route_at(doc, error.instance_path().as_str());
    let instance = error.instance();
    let keyword_path = error.schema_path().as_str();
    let custom = custom_message(schema, keyword_path);
    let client = dialect.client();
    let on_key = matches!(
        error.kind(),
        ValidationErrorKind::Not { .. } | ValidationErrorKind::FalseSchema
    );
    // A key that breaks `propertyNames`: the build-time validator reports the key's own error
    // (its instance is the key) where the run-time one wraps it in `PropertyNames`.
    let bad_name = match error.kind() {
        ValidationErrorKind::PropertyNames { error: inner } => inner.instance().as_str(),
        _ if keyword_path.contains("/propertyNames/") => instance.as_str(),
        _ => None,
    };
    if let Some(name) = bad_name {
        let message = custom.unwrap_or_else(|| format!("`{name}` is not an allowed name here"));
        issues.push(SchemaIssue {
            route: route.key(name),
            on_key: true,
            message,
            ignored: false,
        });
        return;
    }
    let message = match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for key in unexpected {
                let route = route.key(key.as_str());
                if !typo_routes.contains(&route) {
                    let fate = dialect.unknown_keys().fate(client);
                    issues.push(SchemaIssue {
                        route,
                        on_key: true,
                        message: format!("unknown key `{key}`: {fate}"),
                        ignored: dialect.ignores_unknown_keys(),
                    });
                }
            }
            return;
        }
        ValidationErrorKind::Type { .. } => {
            let litellm_reference = instance.as_str().is_some_and(|s| s.starts_with("os.environ/"));
            if dialect.is_litellm() && litellm_reference {
                return; // resolved from the environment before LiteLLM reads the value
            }
            let parent = parent_schema(schema, keyword_path);
            let expected = parent.map_or_else(|| "another type".to_owned(), expected_phrase);
            format!("{{subject}} must be {expected}, found {}", found_phrase(instance))
        }
        ValidationErrorKind::Enum { options } => {
            let allowed: Vec<String> = options.as_array().into_iter().flatten().map(show).collect();
            format!(
                "{{subject}} must be one of {}; found {}",
                allowed.join(", "),
                found_value(instance)
            )
        }
        ValidationErrorKind::Constant { expected_value } => format!("{{subject}} must be {}", show(expected_value)),
        ValidationErrorKind::Required { property } => {
            format!(
                "{{subject}} is missing required key `{}`",
                property.as_str().unwrap_or_default()
            )
        }
        ValidationErrorKind::Pattern { pattern } => format!("{{subject}} must match `{pattern}`"),
        ValidationErrorKind::MinLength { limit: 1 } => "{subject} must not be empty".to_owned(),
        ValidationErrorKind::Minimum { limit } => format!("{{subject}} must be at least {limit}"),
        ValidationErrorKind::ExclusiveMinimum { limit } => format!("{{subject}} must be greater than {limit}"),
        ValidationErrorKind::Not { .. } | ValidationErrorKind::FalseSchema => {
            format!("{{subject}} is not allowed here: {client} rejects it")
        }
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
            format!("{{subject}} does not match any form {client} accepts")
        }
        // The schemas use `oneOf` for keys of which an entry takes exactly one (Claude Code's
        // `serverName`, `serverCommand`, `serverUrl`).
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            format!(
                "{{subject}} sets more than one of the keys of which {client} takes exactly one: it refuses the entry"
            )
        }
        _ => format!("{{subject}}: {}", error.masked()),
    };
    let mut message = custom
        .unwrap_or(message)
        .replace("{subject}", &subject(dialect, &route));
    // Antigravity drops a malformed server entry without a word (DIALECTS.md section 13): the
    // rest of the file loads, and the entry is dead config rather than a broken file.
    let dropped = dialect == Dialect::Antigravity && route.components().len() >= 2;
    if dropped {
        message.push_str("; Antigravity drops this server without a message");
    }
    issues.push(SchemaIssue {
        route,
        on_key,
        message,
        ignored: dropped,
    });
}

/// The route a JSON pointer names in `doc`: a token is an index where `doc` has an array there.
fn route_at(doc: &Value, pointer: &str) -> Route {
    let mut components = Vec::new();
    let mut node = Some(doc);
    for raw in pointer.split('/').skip(1) {
        let token = raw.replace("~1", "/").replace("~0", "~");
        let index = match node {
            Some(Value::Array(_)) => token.parse::<usize>().ok(),
            _ => None,
        };
        match index {
            Some(i) => {
                node = node.and_then(|n| n.get(i));
                components.push(Component::Index(i));
            }
            None => {
                node = node.and_then(|n| n.get(&token));
                components.push(Component::Key(token));
            }
        }
    }
    Route::from_components(components)
}

/// The `x-message` of the failing keyword's subschema, or of the subschema holding the keyword.
fn custom_message(schema: &Value, keyword_path: &str) -> Option<String> {
    let own = schema.pointer(keyword_path).and_then(|node| node.get("x-message"));
    let parent = parent_schema(schema, keyword_path).and_then(|node| node.get("x-message"));
    own.or(parent).and_then(Value::as_str).map(str::to_owned)
}

fn parent_schema<'a>(schema: &'a Value, keyword_path: &str) -> Option<&'a Value> {
    let (parent, _) = keyword_path.rsplit_once('/')?;
    schema.pointer(parent)
}

/// "an array of strings", "a string or null": what a subschema's `type` asks for.
fn expected_phrase(subschema: &Value) -> String {
    let types: Vec<&str> = match subschema.get("type") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let inner_type = |keyword: &str| {
        subschema
            .get(keyword)
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str)
    };
    let phrases: Vec<String> = types
        .iter()
        .map(|ty| match *ty {
            "array" if inner_type("items") == Some("string") => "an array of strings".to_owned(),
            "object" if inner_type("additionalProperties") == Some("string") => {
                "an object with string values".to_owned()
            }
            "integer" => "a whole number".to_owned(),
            "boolean" => "`true` or `false`".to_owned(),
            other => article(other),
        })
        .collect();
    phrases.join(" or ")
}

fn article(json_type: &str) -> String {
    match json_type {
        "null" => "null".to_owned(),
        "array" | "object" | "integer" => format!("an {json_type}"),
        _ => format!("a {json_type}"),
    }
}

fn found_phrase(value: &Value) -> String {
    article(match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    })
}

/// A scalar as written (`websocket`), anything else by its type.
fn found_value(value: &Value) -> String {
    match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => show(value),
        _ => found_phrase(value),
    }
}

fn show(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

/// Preorder position of every route in `doc`: the order a reader meets them in the file.
fn document_order(doc: &Value) -> HashMap<Route, usize> {
    fn walk(value: &Value, route: Route, order: &mut HashMap<Route, usize>) {
        let position = order.len();
        order.insert(route.clone(), position);
        match value {
            Value::Object(map) => map.iter().for_each(|(k, v)| walk(v, route.key(k.as_str()), order)),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .for_each(|(i, v)| walk(v, route.index(i), order)),
            _ => {}
        }
    }
    let mut order = HashMap::new();
    walk(doc, Route::root(), &mut order);
    order
}

/// Which objects typos are looked for in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Level {
    /// The document root (and LiteLLM's config root inside Helm values).
    Top,
    Server,
}

/// Known slips that edit distance misses: spellings (lowercase, no `_`/`-`), the keys they mean in
/// order of preference, and what to say when the dialect has none of them.
struct Slip {
    level: Level,
    spellings: &'static [&'static str],
    targets: &'static [&'static str],
    missing: Option<&'static str>,
    /// What follows when the client reads past the slip instead of refusing it.
    ignored_means: Option<&'static str>,
}

#[rustfmt::skip]
const SLIPS: &[Slip] = &[
    Slip { level: Level::Top, spellings: &["mcpservers", "mcpserver", "servers", "server", "contextservers"],
        targets: &["mcpServers", "servers", "mcp_servers"], missing: None, ignored_means: None },
    Slip { level: Level::Server, spellings: &["env", "envs", "environ", "environment", "environmentvariables", "envvars", "envvariables"],
        targets: &["env"], missing: None, ignored_means: None },
    Slip { level: Level::Server, spellings: &["cmd", "commandline", "executable", "exec"], targets: &["command"], missing: None, ignored_means: None },
    Slip { level: Level::Server, spellings: &["arg", "argv", "argument", "arguments"], targets: &["args"], missing: None, ignored_means: None },
    Slip { level: Level::Server, spellings: &["header", "headers", "httpheader", "httpheaders", "requestheaders", "staticheaders"],
        targets: &["headers", "http_headers", "static_headers"], missing: None, ignored_means: None },
    Slip { level: Level::Server, spellings: &["url", "uri", "serverurl", "serveruri", "httpurl", "endpoint", "baseurl"],
        targets: &["url", "serverUrl"], missing: None, ignored_means: None },
    Slip { level: Level::Server, spellings: &["allowedtools", "allowedtool", "allowtools", "includetools", "includetool", "enabledtools", "enabledtool"],
        targets: &["includeTools", "enabled_tools", "allowed_tools"],
        missing: Some("{client} has no per-server tool allowlist, so every tool of this server stays exposed"),
        ignored_means: Some("the allowlist is not read, so the server exposes every tool") },
    Slip { level: Level::Server, spellings: &["disallowedtools", "disallowedtool", "disabledtools", "disabledtool", "excludetools", "excludetool", "blockedtools", "deniedtools", "denytools"],
        targets: &["excludeTools", "disabled_tools", "disallowed_tools", "disabledTools"],
        missing: Some("{client} has no per-server tool denylist, so these tools stay exposed"),
        ignored_means: Some("the denylist is not read, so these tools stay exposed") },
    Slip { level: Level::Server, spellings: &["cwd", "workingdirectory", "workingdir", "workdir", "directory"], targets: &["cwd"],
        missing: Some("{client} has no working-directory setting for servers"), ignored_means: None },
    Slip { level: Level::Server, spellings: &["type", "transport"], targets: &["type", "transport"], missing: None, ignored_means: None },
    Slip { level: Level::Server, spellings: &["disabled", "disable"], targets: &["disabled", "enabled"],
        missing: Some("{client} has no per-server `disabled` switch, so this server still starts"), ignored_means: None },
    Slip { level: Level::Server, spellings: &["alwaysallow", "autoapprove"], targets: &["autoApprove", "alwaysAllow"], missing: None, ignored_means: None },
];

/// Unknown keys at the top level and in server entries that look like a key the dialect reads.
fn typo_issues(dialect: Dialect, schema: &Value, doc: &Value) -> Vec<SchemaIssue> {
    let mut levels = vec![(Route::root(), doc, "", Level::Top)];
    if dialect == Dialect::Helm
        && let Some(config) = doc.get("proxy_config")
    {
        levels.push((
            Route::root().key("proxy_config"),
            config,
            "/definitions/config",
            Level::Top,
        ));
    }
    for (route, entry) in server_entries(dialect, doc) {
        levels.push((route, entry, "/definitions/server", Level::Server));
    }
    let mut issues = Vec::new();
    for (route, object, pointer, level) in levels {
        let (Some(object), Some(subschema)) = (object.as_object(), resolve(schema, pointer)) else {
            continue;
        };
        let known: Vec<&str> = subschema
            .get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let strict = subschema.get("additionalProperties") == Some(&Value::Bool(false));
        for key in object.keys().filter(|k| !known.contains(&k.as_str())) {
            if let Some(message) = suggestion(dialect, key, &known, strict, level) {
                issues.push(SchemaIssue {
                    route: route.key(key.as_str()),
                    on_key: true,
                    message,
                    ignored: !strict || dialect.ignores_unknown_keys(),
                });
            }
        }
    }
    issues
}

/// The subschema at `pointer`, following one local `$ref`.
fn resolve<'a>(schema: &'a Value, pointer: &str) -> Option<&'a Value> {
    let node = schema.pointer(pointer)?;
    match node
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        Some(target) => schema.pointer(target),
        None => Some(node),
    }
}

fn normalise(key: &str) -> String {
    key.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The message for an unknown `key`, if it looks like a slip for one of `known`.
fn suggestion(dialect: Dialect, key: &str, known: &[&str], strict: bool, level: Level) -> Option<String> {
    let client = dialect.client();
    let unknown = if strict {
        format!("unknown key `{key}`: {}", dialect.unknown_keys().fate(client))
    } else {
        format!("`{key}` is not a key {client} reads")
    };
    if ["_", "$", "#", "//"].iter().any(|marker| key.starts_with(marker)) {
        return None; // comment-like keys are deliberate
    }
    let normalised = normalise(key);
    if let Some(slip) = SLIPS
        .iter()
        .find(|s| s.level == level && s.spellings.contains(&normalised.as_str()))
    {
        if let Some(target) = slip.targets.iter().find(|t| known.contains(t) && **t != key) {
            let read_past = !strict || dialect.ignores_unknown_keys();
            return Some(match slip.ignored_means {
                Some(means) if read_past => format!("{unknown}; did you mean `{target}`? As written, {means}"),
                _ => format!("{unknown}; did you mean `{target}`?"),
            });
        }
        return match slip.missing {
            Some(reason) if (!strict || dialect.ignores_unknown_keys()) && dialect != Dialect::McpJson => {
                Some(format!("{unknown}: {}", reason.replace("{client}", client)))
            }
            _ => None,
        };
    }
    let closest = known
        .iter()
        .map(|candidate| {
            (
                strsim::damerau_levenshtein(&normalised, &normalise(candidate)),
                *candidate,
            )
        })
        .filter(|(distance, candidate)| {
            let similarity = strsim::normalized_damerau_levenshtein(&normalised, &normalise(candidate));
            match distance {
                0 => true,
                1 => normalised.chars().count() >= 3,
                2 => similarity >= 0.8,
                _ => false,
            }
        })
        .min_by_key(|(distance, _)| *distance)?;
    Some(format!("{unknown}; did you mean `{}`?", closest.1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Validates `doc` and asserts the issues, in order, as (route, on_key, message fragment).
    fn check(dialect: Dialect, doc: Value, expected: &[(&str, bool, &str)]) {
        let issues = validate(dialect, &doc);
        let got: Vec<(String, bool, String)> = issues
            .iter()
            .map(|i| (i.route.to_string(), i.on_key, i.message.clone()))
            .collect();
        assert_eq!(got.len(), expected.len(), "{dialect}: {got:#?}");
        for ((route, on_key, message), (want_route, want_key, fragment)) in got.iter().zip(expected) {
            assert_eq!((route.as_str(), on_key), (*want_route, want_key), "{dialect}: {got:#?}");
            assert!(message.contains(fragment), "{dialect}: `{message}` lacks `{fragment}`");
        }
    }

    /// Every embedded schema is JSON, draft-07, self-contained, documented, and compiles.
    #[test]
    fn every_schema_parses_is_self_contained_and_compiles() {
        for dialect in Dialect::ALL {
            let source = schema_source(dialect);
            let document: Value = serde_json::from_str(source).expect("schema is JSON");
            assert!(!source.contains(r#""$ref": "http"#), "{dialect} has a remote $ref");
            assert_eq!(
                document["$schema"], "http://json-schema.org/draft-07/schema#",
                "{dialect}"
            );
            let comment = document["$comment"].as_str().expect("$comment names the sources");
            // server.json and bundles are formats beside the clients: their sources are their own.
            let source = match dialect {
                Dialect::ServerJson => "server.schema.json",
                Dialect::McpBundle => "MANIFEST.md",
                Dialect::Agentgateway => "agentgateway/agentgateway examples",
                _ => "DIALECTS.md section",
            };
            assert!(comment.contains(source), "{dialect}");
            assert!(
                resolve(&document, "/definitions/server").is_some(),
                "{dialect} lacks definitions/server"
            );
            assert!(
                std::ptr::eq(schema_document(dialect), schema_document(dialect)),
                "{dialect} parsed twice"
            );
        }
    }

    /// The validators made at build time say what `jsonschema`'s run-time validator of the same
    /// schema says, error for error (a `propertyNames` error unwrapped), on every JSON fixture
    /// whose name gives its dialect and on a document that breaks most keywords.
    #[test]
    fn build_time_validators_match_the_run_time_ones() {
        fn described(error: &ValidationError<'_>) -> String {
            let kind = match error.kind() {
                ValidationErrorKind::PropertyNames { error } => format!("{:?}", error.kind()),
                kind => format!("{kind:?}"),
            };
            // Nested errors (of `oneOf`, `anyOf`) differ only in where a keyword's absolute URI
            // is recorded: left out.
            let mut kind = kind;
            while let Some(start) = kind.find("absolute_keyword_location: ") {
                let end = kind[start..].find(", ..").map_or(kind.len(), |i| start + i);
                kind.replace_range(start..end, "");
            }
            format!(
                "{} {} {kind}",
                error.instance_path().as_str(),
                error.schema_path().as_str()
            )
        }
        let mut documents: Vec<(Dialect, Value)> = Vec::new();
        let mut stack = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("fixtures").filter_map(Result::ok) {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let crate::dialect::detect::PathHint::Known(dialect) = crate::dialect::detect::by_path(&path)
                    && let Ok(text) = std::fs::read_to_string(&path)
                    && let Ok(doc) = serde_json::from_str::<Value>(&text)
                {
                    documents.push((dialect, doc));
                }
            }
        }
        assert!(documents.len() > 40, "{} JSON fixtures", documents.len());
        let broken = json!({ "mcpServers": { "a": { "command": 5, "args": "x", "env": { "K": 1 }, "typo": 1 },
            "b": { "type": "http" }, "c d": { "url": 3 } }, "servers": [1], "mcp_servers": { "x-y": {} }, "extra": true });
        for dialect in Dialect::ALL {
            documents.push((dialect, broken.clone()));
        }
        for (dialect, doc) in &documents {
            let runtime = jsonschema::validator_for(schema_document(*dialect)).expect("the schema compiles");
            let expected: Vec<String> = runtime.iter_errors(doc).map(|e| described(&e)).collect();
            let mut got: Vec<String> = validators::errors(*dialect, doc).iter().map(described).collect();
            let mut expected_sorted = expected.clone();
            expected_sorted.sort();
            got.sort();
            assert_eq!(got, expected_sorted, "{dialect}: {doc}");
        }
    }

    /// JSON pointers become routes: numeric tokens are indices only inside arrays, `~1`/`~0` unescaped.
    #[test]
    fn pointer_tokens_become_keys_or_indices() {
        let doc = json!({ "a": [{ "0": { "x/y": { "t~": 1 } } }] });
        let route = route_at(&doc, "/a/0/0/x~1y/t~0");
        let expected = vec![
            Component::Key("a".into()),
            Component::Index(0),
            Component::Key("0".into()),
            Component::Key("x/y".into()),
            Component::Key("t~".into()),
        ];
        assert_eq!(route.components(), expected.as_slice());
        assert_eq!(route_at(&doc, ""), Route::root());
    }

    /// Clean documents of every dialect produce no issue.
    #[test]
    #[rustfmt::skip]
    fn clean_documents_have_no_issues() {
        let stdio = json!({ "command": "npx", "args": ["-y", "pkg@1.0.0"], "env": { "A": "1" } });
        let cases = [
            (Dialect::ClaudeDesktop, json!({ "globalShortcut": "x", "mcpServers": { "a": stdio } })),
            (Dialect::ClaudeCode, json!({ "mcpServers": { "a": stdio, "b": { "type": "http", "url": "https://x/mcp",
                "headers": { "A": "b" }, "note": "free text" } },
                "projects": { "/p": { "allowedTools": [], "mcpServers": { "c": stdio } } } })),
            (Dialect::Cursor, json!({ "mcpServers": { "a": stdio, "b": { "url": "https://x", "auth": { "CLIENT_ID": "i" } } } })),
            (Dialect::Vscode, json!({ "inputs": [{ "type": "promptString", "id": "k", "description": "Key", "password": true }],
                "servers": { "a": { "type": "stdio", "command": "uvx", "args": [], "env": { "PORT": 8080, "X": null } },
                "b": { "type": "http", "url": "https://x/mcp", "headers": { "A": "b" } } } })),
            (Dialect::Windsurf, json!({ "mcpServers": { "a": stdio, "b": { "serverUrl": "https://x", "disabled": true } } })),
            (Dialect::Gemini, json!({ "theme": "x", "mcp": { "allowed": ["a"] }, "mcpServers": { "a": { "command": "uvx",
                "includeTools": ["r"], "trust": false, "timeout": 30000 }, "b": { "httpUrl": "https://x" } } })),
            (Dialect::Cline, json!({ "mcpServers": { "a": { "command": "npx", "autoApprove": [], "disabled": false, "timeout": 60 },
                "b": { "type": "streamableHttp", "url": "https://x" } } })),
            (Dialect::McpJson, json!({ "mcpServers": { "a": stdio, "b": { "serverUrl": "https://x", "_comment": "c" } } })),
            (Dialect::Codex, json!({ "model": "o3", "mcp_servers": { "a": { "command": "npx", "enabled_tools": ["x"],
                "env_vars": ["T", { "name": "U", "source": "local" }], "tools": { "x": { "approval_mode": "approve" } } },
                "b": { "url": "https://x", "bearer_token_env_var": "T", "startup_timeout_sec": 2.5 } } })),
            (Dialect::Litellm, json!({ "model_list": [], "general_settings": { "master_key": "os.environ/K" },
                "litellm_settings": { "mcp_aliases": { "gh": "github_tools" } },
                "mcp_servers": { "github_tools": { "url": "https://x", "transport": "http", "auth_type": "bearer_token",
                    "timeout": "os.environ/T", "allowed_tools": ["a"], "scopes": "read" } },
                "guardrails": [{ "guardrail_name": "g", "litellm_params": { "guardrail": "presidio", "mode": "pre_mcp_call" } }] })),
            (Dialect::Helm, json!({ "image": {}, "envVars": { "LITELLM_ENABLE_MCP_STDIO": "false" },
                "proxy_config": { "mcp_servers": { "wiki_tools": { "url": "https://x", "allowed_tools": ["s"] } } } })),
        ];
        for (dialect, doc) in cases {
            check(dialect, doc, &[]);
        }
    }

    /// Wrong types, enums, missing keys and forbidden keys are explained per dialect by route.
    #[test]
    #[rustfmt::skip]
    fn negative_documents_are_explained_by_route() {
        check(Dialect::ClaudeDesktop, json!({ "mcpServers": { "a": { "url": "https://x" }, "b": "npx" } }), &[
            ("mcpServers.a", false, "server `a` has no `command`: Claude Desktop only starts local servers"),
            ("mcpServers.b", false, "server `b` must be an object, found a string"),
        ]);
        check(Dialect::ClaudeCode, json!({ "mcpServers": { "a": { "command": "npx", "args": "-y x", "env": { "P": 1 } },
            "b": { "url": "https://x" }, "c": { "type": "websocket", "url": "u" }, "d": { "type": "sse" } } }), &[
            ("mcpServers.a.args", false, "`args` must be an array of strings, found a string"),
            ("mcpServers.a.env.P", false, "`env.P` must be a string, found a number"),
            ("mcpServers.b", false, "add `\"type\": \"http\"`"),
            ("mcpServers.c.type", false, "must be one of `stdio`, `sse`"),
            ("mcpServers.d", false, "server `d` is missing required key `url`"),
        ]);
        check(Dialect::Cursor, json!({ "mcpServers": { "a": { "cwd": "." }, "b": { "type": "http", "auth": {} } } }), &[
            ("mcpServers.a", false, "needs `command` (local server) or `url`"),
            ("mcpServers.b", false, "missing required key `url`"),
            ("mcpServers.b.auth", false, "`auth` is missing required key `CLIENT_ID`"),
        ]);
        check(Dialect::Vscode, json!({ "inputs": [{ "type": "text", "id": "k", "description": "d", "secret": true }],
            "servers": { "a": { "type": "http", "url": "ftp://x", "command": "npx" }, "b": { "command": "npx", "disabled": true } } }), &[
            ("inputs[0].type", false, "must be one of `promptString`, `pickString`; found `text`"),
            ("inputs[0].secret", true, "unknown key `secret`: VS Code rejects it"),
            ("servers.a.url", false, "must start with `http://` or `https://`"),
            ("servers.a.command", true, "only for stdio servers"),
            ("servers.b.disabled", true, "unknown key `disabled`: VS Code rejects it"),
        ]);
        check(Dialect::Windsurf, json!({ "mcpServers": { "a": { "headers": { "A": "b" } } } }), &[
            ("mcpServers.a", false, "needs `command` (local server) or `serverUrl`"),
        ]);
        check(Dialect::Gemini, json!({ "mcpServers": { "a": { "command": "x", "trust": "yes", "workingDir": "." }, "b": {} } }), &[
            ("mcpServers.a.trust", false, "`trust` must be `true` or `false`, found a string"),
            ("mcpServers.a.workingDir", true, "unknown key `workingDir`: Gemini CLI warns of it at start-up and runs the server without it; did you mean `cwd`?"),
            ("mcpServers.b", false, "Gemini CLI cannot start it"),
        ]);
        check(Dialect::Cline, json!({ "mcpServers": { "a": { "type": "streamableHttp" }, "b": { "command": "x", "timeout": 0 } } }), &[
            ("mcpServers.a", false, "missing required key `url`"),
            ("mcpServers.b.timeout", false, "`timeout` must be at least 1"),
        ]);
        check(Dialect::McpJson, json!({ "mcpServers": { "a": { "command": ["npx"], "disabledTools": ["x"] } } }), &[
            ("mcpServers.a.command", false, "must be a string, found an array"),
        ]);
        check(Dialect::Codex, json!({ "mcp_servers": { "a": { "command": "x", "http_headers": {}, "disabled": true },
            "b": { "url": "u", "bearer_token": "t" }, "c": { "enabled": "yes" } } }), &[
            ("mcp_servers.a.http_headers", true, "not supported for a stdio server"),
            ("mcp_servers.a.disabled", true, "unknown key `disabled`: Codex ignores it; did you mean `enabled`?"),
            ("mcp_servers.b.bearer_token", true, "name it in `bearer_token_env_var`"),
            ("mcp_servers.c", false, "Codex reports an invalid transport"),
            ("mcp_servers.c.enabled", false, "must be `true` or `false`"),
        ]);
        check(Dialect::Litellm, json!({ "mcp_servers": { "a": { "url": "u", "transport": "websocket", "auth_type": "oauth2" },
            "b": { "transport": "stdio", "rpm": 1.5 } }, "guardrails": [{ "guardrail_name": "g" }] }), &[
            ("mcp_servers.a", false, "`auth_type: oauth2` but no `oauth2_flow`"),
            ("mcp_servers.a.transport", false, "must be one of `http`, `sse`, `stdio`; found `websocket`"),
            ("mcp_servers.b", false, "`transport: stdio` but no `command`"),
            ("mcp_servers.b.rpm", false, "`rpm` must be a whole number, found a number"),
            ("guardrails[0]", false, "missing required key `litellm_params`"),
        ]);
        check(Dialect::Helm, json!({ "proxy_config": { "mcp_servers": { "a": { "auth_type": "bearer" } } } }), &[
            ("proxy_config.mcp_servers.a.auth_type", false, "must be one of `none`, `api_key`"),
        ]);
    }

    /// Misspelled keys get "did you mean" in every dialect; far-off keys pass where unknown keys are allowed.
    #[test]
    #[rustfmt::skip]
    fn typos_get_suggestions() {
        let server = |key: &str| json!({ "command": "npx", key: ["x"] });
        let cases = [
            (Dialect::ClaudeCode, json!({ "mcpServer": {} }), "mcpServer", "`mcpServer` is not a key Claude Code reads; did you mean `mcpServers`?"),
            (Dialect::Codex, json!({ "mcp_server": {} }), "mcp_server", "did you mean `mcp_servers`?"),
            (Dialect::Vscode, json!({ "server": {} }), "server", "did you mean `servers`?"),
            (Dialect::Litellm, json!({ "mcpServers": {} }), "mcpServers", "did you mean `mcp_servers`?"),
            (Dialect::Cursor, json!({ "mcpServers": { "s": server("arg") } }), "mcpServers.s.arg", "did you mean `args`?"),
            (Dialect::Cline, json!({ "mcpServers": { "s": server("envs") } }), "mcpServers.s.envs", "did you mean `env`?"),
            (Dialect::Windsurf, json!({ "mcpServers": { "s": server("environment") } }), "mcpServers.s.environment", "`env`?"),
            (Dialect::ClaudeDesktop, json!({ "mcpServers": { "s": server("arguments") } }), "mcpServers.s.arguments", "`args`?"),
            (Dialect::McpJson, json!({ "mcpServers": { "s": { "commmand": "x" } } }), "mcpServers.s.commmand", "`command`?"),
            (Dialect::Cursor, json!({ "mcpServers": { "s": { "url": "u", "cmd": "x" } } }), "mcpServers.s.cmd", "`command`?"),
            (Dialect::ClaudeCode, json!({ "mcpServers": { "s": server("header") } }), "mcpServers.s.header", "`headers`?"),
            (Dialect::Gemini, json!({ "mcpServers": { "s": server("allowedTools") } }), "mcpServers.s.allowedTools", "`includeTools`?"),
            (Dialect::Codex, json!({ "mcp_servers": { "s": server("allowed_tool") } }), "mcp_servers.s.allowed_tool", "`enabled_tools`?"),
            (Dialect::Litellm, json!({ "mcp_servers": { "s": server("allowedTools") } }), "mcp_servers.s.allowedTools", "`allowed_tools`?"),
            (Dialect::ClaudeCode, json!({ "mcpServers": { "s": { "serverUrl": "https://x", "type": "http", "url": "u" } } }),
                "mcpServers.s.serverUrl", "`url`?"),
            (Dialect::ClaudeCode, json!({ "mcpServers": { "s": server("allowedTools") } }), "mcpServers.s.allowedTools",
                "no per-server tool allowlist"),
            (Dialect::ClaudeCode, json!({ "mcpServers": { "s": { "command": "x", "cwd": "." } } }), "mcpServers.s.cwd",
                "no working-directory setting"),
            (Dialect::Helm, json!({ "proxy_config": { "mcp_server": {} } }), "proxy_config.mcp_server", "`mcp_servers`?"),
        ];
        for (dialect, doc, route, fragment) in cases {
            check(dialect, doc, &[(route, true, fragment)]);
        }
        check(Dialect::Cursor, json!({ "mcpServers": { "s": { "serverURL": "https://x" } } }), &[
            ("mcpServers.s", false, "needs `command` (local server) or `url`"),
            ("mcpServers.s.serverURL", true, "`serverURL` is not a key Cursor reads; did you mean `url`?"),
        ]);
        let far = json!({ "$schema": "x", "_comment": "c", "note": "n",
            "mcpServers": { "s": { "command": "x", "_comment": "c", "note": "n", "comment": "c", "role": "r" } } });
        check(Dialect::ClaudeCode, far.clone(), &[]);
        check(Dialect::Cursor, far, &[]);
        check(Dialect::Windsurf, json!({ "mcpServers": { "s": { "serverUrl": "https://x" } } }), &[]);
    }

    /// LiteLLM names with `-` are reported on the key, with LiteLLM's own consequence.
    #[test]
    fn litellm_names_must_not_contain_dashes() {
        let doc = json!({ "mcp_servers": { "ok_one": { "url": "u" }, "github-tools": { "url": "u" } } });
        let issues = validate(Dialect::Litellm, &doc);
        assert_eq!(
            issues,
            vec![SchemaIssue {
                route: Route::root().key("mcp_servers").key("github-tools"),
                on_key: true,
                message: "LiteLLM server names must not contain `-` (LiteLLM refuses to start)".to_owned(),
                ignored: false,
            }]
        );
        let helm = json!({ "proxy_config": { "mcp_servers": { "a-b": {} } } });
        check(
            Dialect::Helm,
            helm,
            &[("proxy_config.mcp_servers.a-b", true, "must not contain `-`")],
        );
    }

    /// Issues come in document order, one per route and kind, even when several errors hit one place.
    #[test]
    fn issues_are_deduplicated_and_in_document_order() {
        let doc = json!({ "mcpServers": { "z": { "args": 1, "type": "stdio" }, "a": { "command": 2 } } });
        let issues = validate(Dialect::ClaudeCode, &doc);
        let routes: Vec<String> = issues.iter().map(|i| i.route.to_string()).collect();
        assert_eq!(routes, ["mcpServers.z", "mcpServers.z.args", "mcpServers.a.command"]);
    }

    /// Every corpus JSON (and Codex TOML) file validates against its directory's dialect without panicking.
    #[test]
    #[ignore = "needs ../shared beside the repository"]
    fn corpus_files_validate_without_panicking() {
        let root = crate::test_support::shared("corpus");
        let directories = std::fs::read_dir(&root).expect("corpus readable");
        let mut checked = 0;
        for directory in directories.flatten() {
            let dialect = match directory.file_name().to_str() {
                Some("claude-code") => Dialect::ClaudeCode,
                Some("claude-desktop") => Dialect::ClaudeDesktop,
                Some("codex") => Dialect::Codex,
                Some("cursor") => Dialect::Cursor,
                Some("gemini-cli") => Dialect::Gemini,
                Some("vscode") => Dialect::Vscode,
                Some("windsurf") => Dialect::Windsurf,
                Some("antigravity") => Dialect::McpJson,
                _ => continue, // YAML dialects need the YAML backend
            };
            for file in std::fs::read_dir(directory.path())
                .expect("readable corpus dir")
                .flatten()
            {
                let text = std::fs::read_to_string(file.path()).expect("readable corpus file");
                let doc = match file.path().extension().and_then(|e| e.to_str()) {
                    Some("json") => serde_json::from_str(&text).ok(),
                    Some("toml") => crate::dialect::toml::parse(&text).ok().map(|node| node.to_json()),
                    _ => None,
                };
                if let Some(doc) = doc {
                    for issue in validate(dialect, &doc) {
                        assert!(!issue.message.contains('{'), "unfilled placeholder: {}", issue.message);
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 0, "corpus present but nothing was checked");
    }
}
