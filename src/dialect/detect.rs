//! Which dialect a file is: by its name and location first, then by what it contains.

use std::path::Path;

use super::{Dialect, Node, Syntax};

/// What a path alone says about a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathHint {
    /// A file name only one client uses (content may still refine it, e.g. `.mcp.json` in VS Code shape).
    Known(Dialect),
    /// A YAML or TOML file worth a look at its content.
    Maybe(Syntax),
    /// Not something mcp-lint reads when walking a directory.
    Unrelated,
}

/// Classifies a path by its file name and parent directories. A copy kept as an example
/// (`config.yaml.example`, `.mcp.json.sample`, `settings.json.dist`) is what its inner name says:
/// such copies are what users start from.
pub fn by_path(path: &Path) -> PathHint {
    if let Some(stem) = path
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| matches!(e.to_ascii_lowercase().as_str(), "example" | "sample" | "dist"))
        .and_then(|_| path.file_stem())
        && Path::new(stem).extension().is_some()
    {
        return by_path(&path.with_file_name(stem));
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let parent = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let grandparent = path
        .parent()
        .and_then(Path::parent)
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    // Antigravity keeps its `mcp_config.json` in its folder under `~/.gemini/`.
    let under_gemini = path
        .ancestors()
        .skip(1)
        .any(|dir| dir.file_name().is_some_and(|n| n == ".gemini"));
    let lower = name.to_ascii_lowercase();
    let dialect = match lower.as_str() {
        // A drop-in of Claude Code's managed settings (`managed-settings.d/*.json`).
        _ if is_managed_drop_in(path) => Some(Dialect::ClaudeCode),
        "claude_desktop_config.json" => Some(Dialect::ClaudeDesktop),
        ".mcp.json" | ".claude.json" | "managed-mcp.json" => Some(Dialect::ClaudeCode),
        // Claude Code's settings: its server policy (`allowedMcpServers`, `deniedMcpServers`)
        // in the managed file of the organisation, the user's and the project's.
        "managed-settings.json" => Some(Dialect::ClaudeCode),
        "settings.json" | "settings.local.json" if parent == ".claude" => Some(Dialect::ClaudeCode),
        "cline_mcp_settings.json" => Some(Dialect::Cline),
        "mcp_config.json" if under_gemini => Some(Dialect::Antigravity),
        "mcp_config.json" => Some(Dialect::Windsurf),
        "mcp-config.json" if parent == ".copilot" => Some(Dialect::Copilot),
        // The global settings of Roo Code and Kilo Code, in each extension's storage folder.
        "mcp_settings.json" if grandparent.to_ascii_lowercase().contains("kilo") => Some(Dialect::Kilo),
        "mcp_settings.json" => Some(Dialect::Roo),
        "mcp.json" => Some(match (parent, grandparent) {
            (".cursor", _) => Dialect::Cursor,
            (".vscode" | "Code" | "User", _) => Dialect::Vscode,
            // A Copilot CLI plugin's servers (`.mcp.json` or `.github/mcp.json` in the plugin's
            // folder, read with `JSON.parse`: `@github/copilot` 1.0.57 `app.js`).
            (".github", _) => Dialect::Copilot,
            (".roo", _) => Dialect::Roo,
            (".kilocode", _) => Dialect::Kilo,
            (".amazonq" | "amazonq", _) => Dialect::AmazonQ,
            ("settings", ".kiro") => Dialect::Kiro,
            _ => Dialect::McpJson,
        }),
        "settings.json" if matches!(parent, ".gemini" | "gemini-cli" | "GeminiCli") => Some(Dialect::Gemini),
        "settings.json" if matches!(parent, ".qwen" | "qwen-code") => Some(Dialect::Qwen),
        "settings.json" if matches!(parent, ".zed" | "zed") => Some(Dialect::Zed),
        "config.toml" if parent == ".codex" || parent == "codex" => Some(Dialect::Codex),
        // opencode's legacy `~/.config/opencode/config.json`.
        "config.json" if parent == "opencode" => Some(Dialect::Opencode),
        "opencode.json" | "opencode.jsonc" => Some(Dialect::Opencode),
        // A Claude Code plugin's manifest may hold its servers inline; a Gemini CLI extension's
        // manifest holds them in the settings format.
        "plugin.json" if parent == ".claude-plugin" => Some(Dialect::ClaudeCode),
        "gemini-extension.json" => Some(Dialect::Gemini),
        "qwen-extension.json" => Some(Dialect::Qwen),
        "config.yaml" | "config.yml" if parent == ".continue" => Some(Dialect::Continue),
        _ if parent == "mcpServers"
            && grandparent == ".continue"
            && (lower.ends_with(".yaml") || lower.ends_with(".yml")) =>
        {
            Some(Dialect::Continue)
        }
        _ if parent == "mcpServers" && grandparent == ".continue" && lower.ends_with(".json") => Some(Dialect::McpJson),
        "config.yaml" | "config.yml" if parent == "goose" => Some(Dialect::Goose),
        // A GitHub Agentic Workflow: Markdown beside the compiled `.lock.yml`, or a shared
        // component it imports (`.github/workflows/shared/mcp/*.md`).
        _ if lower.ends_with(".md") && under_workflows(path) => Some(Dialect::AgenticWorkflow),
        // A Copilot custom agent: the repository's, or the user's own.
        _ if lower.ends_with(".md") && parent == "agents" && matches!(grandparent, ".github" | ".copilot") => {
            Some(Dialect::CopilotAgent)
        }
        _ if lower.ends_with(".mcp.json") => Some(Dialect::ClaudeCode),
        _ => None,
    };
    if let Some(dialect) = dialect {
        return PathHint::Known(dialect);
    }
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("yaml" | "yml") => PathHint::Maybe(Syntax::Yaml),
        Some("toml") => PathHint::Maybe(Syntax::Toml),
        Some("json" | "jsonc" | "json5") => PathHint::Maybe(Syntax::Jsonc),
        _ => PathHint::Unrelated,
    }
}

/// The syntax a fix may write into the file at `path` read as `dialect`: the file's owner decides,
/// not the shape of its content. A `.mcp.json` holding the VS Code `servers` shape is still read
/// by Claude Code's strict `JSON.parse`, so it never gets a comment or a trailing comma.
///
/// Some files are strict JSON whatever their dialect: a Gemini CLI extension's
/// `gemini-extension.json` is read with `JSON.parse` (`loadExtensionConfig` in
/// packages/cli/src/config/extension-manager.ts), while its `settings.json` strips comments; a
/// Claude Code plugin's manifest is strict like its `.mcp.json`; and a `.json` file that no known
/// client owns is written as strict JSON, since nothing says its reader takes comments.
pub fn syntax_for_file(path: &Path, dialect: Dialect) -> Syntax {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let json_extension = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    match by_path(path) {
        PathHint::Known(owner) if owner.syntax() == Syntax::Json => Syntax::Json,
        _ if STRICT_JSON_FILES.contains(&name) => Syntax::Json,
        PathHint::Maybe(_) if json_extension => Syntax::Json,
        _ if json_extension && dialect == Dialect::McpJson => Syntax::Json,
        _ => dialect.syntax(),
    }
}

/// File names read with a strict JSON parser by the program that owns them, whatever dialect
/// their servers are written in.
const STRICT_JSON_FILES: &[&str] = &["gemini-extension.json", "plugin.json", "package.json", "server.json"];

/// The keys a file must contain, somewhere, to hold servers in any dialect: one pass over the
/// bytes finds the first of them (`mcpServer` covers `mcpServers` and its typo, `_servers` covers
/// `mcp_servers`, `context_servers` and `mcp_builtin_servers`).
const SERVER_KEYS: &[&str] = &[
    "mcpServer",
    "_servers",
    "\"servers\"",
    "mcpProxy",
    "extensions:",
    "registry:",
    "mcp-gateway",
    "mcp-proxy",
    "toolhive.stacklok.dev/",
    "kagent.dev/",
    "aigateway.envoyproxy.io/",
    // The MCP registry's server.json.
    "\"registryType\"",
    "modelcontextprotocol.io/schemas/",
    // An MCP bundle's manifest.
    "\"mcp_config\"",
    // agentgateway's MCP targets.
    "targets:",
];

/// The folder beside `managed-settings.json` whose `*.json` files (not those whose name starts
/// with `.`) Claude Code reads as more managed settings, by name, after the base file, with the
/// lists of all concatenated: measured with Claude Code 2.1.332 (an allowlist entry of a drop-in
/// admits a server the base file's list leaves out, a drop-in's deny applies, drop-ins apply
/// without a base file, and a hidden or non-JSON file is not read).
pub const MANAGED_DROP_INS: &str = "managed-settings.d";

/// Whether `path` is a drop-in of `managed-settings.d` that Claude Code reads.
pub fn is_managed_drop_in(path: &std::path::Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let in_drop_ins = path
        .parent()
        .and_then(std::path::Path::file_name)
        .is_some_and(|folder| folder == MANAGED_DROP_INS);
    in_drop_ins && name.ends_with(".json") && !name.starts_with('.')
}

/// A cheap look at raw bytes before parsing a file found by walking: may it hold MCP servers?
/// A byte search for the keys any dialect uses, then, for the keys other files use too, the
/// words that come with them in an MCP config.
pub fn may_hold_servers(bytes: &[u8]) -> bool {
    use std::sync::LazyLock;
    static KEYS: LazyLock<aho_corasick::AhoCorasick> =
        LazyLock::new(|| aho_corasick::AhoCorasick::new(SERVER_KEYS).expect("fixed patterns build"));
    let Some(first) = KEYS.find(bytes) else {
        return false;
    };
    // A Kubernetes CRD names these keys in the schema of its resources (an agent's
    // `mcpServer` field) and runs nothing: large, and never a config (unless a stream holds an
    // MCP resource beside it).
    let text = String::from_utf8_lossy(bytes);
    if memchr::memmem::find(bytes, b"\nkind: CustomResourceDefinition").is_some()
        && !text.lines().any(names_mcp_resource_kind)
    {
        return false;
    }
    match SERVER_KEYS[first.pattern().as_usize()] {
        "mcpServer"
        | "_servers"
        | "\"servers\""
        | "mcpProxy"
        | "\"registryType\""
        | "modelcontextprotocol.io/schemas/"
        | "\"mcp_config\"" => true,
        _ => mentions_servers(&text),
    }
}

/// Whether raw text mentions MCP servers, by the keys and the words that come with them.
pub fn mentions_servers(text: &str) -> bool {
    text.contains("mcp_servers")
        || text.contains("mcpServer")
        || text.contains("_servers")
        || text.contains("\"servers\"")
        || text.contains("\"mcpProxy\"")
        // A Goose config's extensions.
        || (text.contains("extensions:") && (text.contains("cmd:") || text.contains("uri:")))
        // A Docker MCP catalog.
        || (text.lines().any(|line| line.starts_with("registry:"))
            && (text.contains("image:") || text.contains("remote:")))
        // A compose file running an MCP gateway.
        || (text.contains("services:") && (text.contains("mcp-gateway") || text.contains("mcp-proxy")))
        // agentgateway's MCP targets.
        || (text.contains("targets:") && (text.contains("stdio:") || text.contains("host:")))
        // A Kubernetes MCP server resource (not the CRD that defines its kind).
        || ((text.contains("toolhive.stacklok.dev/")
            || text.contains("kagent.dev/")
            || text.contains("aigateway.envoyproxy.io/"))
            && text.lines().any(names_mcp_resource_kind))
}

/// The MCP registry's `server.json` (whatever the file is called): its `$schema` names the
/// registry's schema, or it has the registry's reverse-DNS `name` with `packages` that name a
/// `registryType` or `remotes` with a `url`.
fn is_registry_server(root: &Node) -> bool {
    let schema = root.get("$schema").and_then(Node::as_str).unwrap_or_default();
    if schema.contains("modelcontextprotocol.io/schemas/") && schema.ends_with("server.schema.json") {
        return true;
    }
    let named = root.get("name").and_then(Node::as_str).is_some_and(|n| n.contains('/'));
    let entries = |key: &str, member: &str| {
        root.get(key)
            .and_then(Node::as_seq)
            .is_some_and(|items| !items.is_empty() && items.iter().all(|item| item.get(member).is_some()))
    };
    named && (entries("packages", "registryType") || entries("remotes", "url"))
}

/// Whether `path` lies in a `.github/workflows` folder, at any depth.
fn under_workflows(path: &Path) -> bool {
    path.ancestors().skip(1).any(|dir| {
        dir.file_name().is_some_and(|n| n == "workflows")
            && dir.parent().and_then(Path::file_name).is_some_and(|n| n == ".github")
    })
}

/// An MCP bundle's `manifest.json` (`.mcpb`, or `.dxt` before the rename): a `manifest_version`
/// (or `dxt_version`) string and a `server` with an `mcp_config` or a bundle server `type`. A
/// browser extension's `manifest.json` has a number there and no `server`.
fn is_bundle_manifest(root: &Node) -> bool {
    let versioned = ["manifest_version", "dxt_version"]
        .iter()
        .any(|key| root.get(key).and_then(Node::as_str).is_some());
    let server = root.get("server");
    let runs = server.and_then(|s| s.get("mcp_config")).is_some()
        || server
            .and_then(|s| s.get("type"))
            .and_then(Node::as_str)
            .is_some_and(|kind| matches!(kind, "node" | "python" | "binary" | "uv"));
    versioned && runs
}

/// A `kind: MCPServer` line (any indentation and quoting, JSON too): the kinds of the Kubernetes
/// resources that run MCP servers. Their CRDs and the resources that only mention them in a
/// description do not have one of their own.
fn names_mcp_resource_kind(line: &str) -> bool {
    line.match_indices("kind").any(|(at, _)| {
        let after = line[at + "kind".len()..].trim_start_matches('"').trim_start();
        let Some(value) = after.strip_prefix(':') else {
            return false;
        };
        let value = value.trim_start().trim_start_matches(['"', '\'']);
        ["MCPServer", "ToolServer", "RemoteMCPServer", "MCPRoute"]
            .iter()
            .any(|kind| {
                value
                    .strip_prefix(kind)
                    .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
            })
    })
}

/// The dialect of a parsed document, given what its path said; None when it is no MCP config.
pub fn by_content(hint: PathHint, root: &Node) -> Option<Dialect> {
    // The mcp-proxy gateway's config, whatever its file is called.
    let mcp_proxy = root.get("mcpProxy").and_then(Node::as_map).is_some() && root.get("mcpServers").is_some();
    if mcp_proxy
        && matches!(
            hint,
            PathHint::Maybe(_) | PathHint::Known(Dialect::McpJson | Dialect::ClaudeCode)
        )
    {
        return Some(Dialect::McpProxy);
    }
    match hint {
        // The Copilot/VS Code `servers` shape also appears in `.mcp.json` files.
        PathHint::Known(Dialect::ClaudeCode)
            if root.get("mcpServers").is_none()
                && root.get("projects").is_none()
                && is_server_map(root.get("servers")) =>
        {
            Some(Dialect::Vscode)
        }
        PathHint::Known(Dialect::McpJson) if root.get("mcpServers").is_none() && is_server_map(root.get("servers")) => {
            Some(Dialect::Vscode)
        }
        PathHint::Known(Dialect::ClaudeCode | Dialect::McpJson) if is_copilot_shape(root.get("mcpServers")) => {
            Some(Dialect::Copilot)
        }
        // MCPHub (samanhappy/mcphub) keeps its servers in a `mcp_settings.json` too, beside its
        // `users`, `groups` and `systemConfig`: not Roo Code's file.
        PathHint::Known(Dialect::Roo | Dialect::Kilo)
            if ["users", "groups", "systemConfig"]
                .iter()
                .any(|key| root.get(key).is_some()) =>
        {
            Some(Dialect::McpJson)
        }
        PathHint::Known(dialect) => Some(dialect),
        PathHint::Maybe(Syntax::Yaml) => {
            // `mcp_builtin_servers` is a LiteLLM example's key that the proxy never reads:
            // read as LiteLLM so that dead-config says so.
            if root.get("mcp_servers").is_some() || root.get("mcp_builtin_servers").is_some() {
                Some(Dialect::Litellm)
            } else if !super::shapes::agentgateway_targets(root).is_empty() {
                Some(Dialect::Agentgateway)
            } else if is_goose_extensions(root.get("extensions")) {
                Some(Dialect::Goose)
            } else if root.get("mcpServers").and_then(Node::as_seq).is_some() {
                Some(Dialect::Continue)
            } else if is_docker_catalog(root.get("registry")) {
                Some(Dialect::DockerCatalog)
            } else if mcp_resource_kind(root).is_some()
                || root
                    .as_seq()
                    .is_some_and(|documents| documents.iter().any(|d| mcp_resource_kind(d).is_some()))
            {
                Some(Dialect::Kubernetes)
            } else if root
                .get("services")
                .and_then(Node::as_map)
                .is_some_and(|services| services.iter().any(|s| runs_mcp_gateway(&s.value)))
            {
                Some(Dialect::DockerCompose)
            } else if super::shapes::helm_config_root(root)
                // Under a chart key, only LiteLLM's own shape (a map of servers) says LiteLLM:
                // `litellm: mcp_servers: [- name: ...]` is some other tool's config.
                .is_some_and(|r| root.at(&r.key("mcp_servers")).and_then(Node::as_map).is_some())
            {
                Some(Dialect::Helm)
            } else {
                None
            }
        }
        PathHint::Maybe(Syntax::Toml) => root.get("mcp_servers").map(|_| Dialect::Codex),
        PathHint::Maybe(_) if is_registry_server(root) => Some(Dialect::ServerJson),
        PathHint::Maybe(_) if is_bundle_manifest(root) => Some(Dialect::McpBundle),
        PathHint::Maybe(_) => {
            if root.get("context_servers").and_then(Node::as_map).is_some() {
                Some(Dialect::Zed)
            } else if is_copilot_shape(root.get("mcpServers")) {
                Some(Dialect::Copilot)
            } else if root.get("mcpServers").is_some() {
                Some(Dialect::McpJson)
            } else if is_server_map(root.get("servers")) {
                Some(Dialect::Vscode)
            } else {
                None
            }
        }
        PathHint::Unrelated => None,
    }
}

/// The kind of a Kubernetes MCP server resource: ToolHive `MCPServer`, kagent `ToolServer`,
/// `RemoteMCPServer` or `MCPServer`, Envoy AI Gateway `MCPRoute`.
pub fn mcp_resource_kind(root: &Node) -> Option<&str> {
    let api = root.get("apiVersion").and_then(Node::as_str)?;
    let kind = root.get("kind").and_then(Node::as_str)?;
    let ours = (api.starts_with("toolhive.stacklok.dev/") && kind == "MCPServer")
        || (api.starts_with("kagent.dev/") && matches!(kind, "ToolServer" | "RemoteMCPServer" | "MCPServer"))
        || (api.starts_with("aigateway.envoyproxy.io/") && kind == "MCPRoute");
    ours.then_some(kind)
}

/// A compose service running Docker's MCP gateway image (`docker/mcp-gateway`, any tag or digest).
pub fn runs_mcp_gateway(service: &Node) -> bool {
    service
        .get("image")
        .and_then(Node::as_str)
        .is_some_and(|image| gateway_of_image(image).is_some())
}

/// The MCP gateway an image runs, by the image's name without tag or digest: Docker's MCP
/// gateway, or an MCP proxy that serves stdio servers over HTTP (TBXark's `mcp-proxy`, whose
/// config.json the `mcp-proxy` dialect reads, and sparfenyuk's).
pub fn gateway_of_image(image: &str) -> Option<Gateway> {
    let name = image.split('@').next().unwrap_or(image);
    let name = name
        .rsplit_once(':')
        .filter(|(_, tag)| !tag.contains('/'))
        .map_or(name, |(n, _)| n);
    match name {
        "docker/mcp-gateway" | "docker.io/docker/mcp-gateway" | "index.docker.io/docker/mcp-gateway" => {
            Some(Gateway::DockerMcpGateway)
        }
        "ghcr.io/tbxark/mcp-proxy" | "ghcr.io/sparfenyuk/mcp-proxy" => Some(Gateway::McpProxy),
        _ => None,
    }
}

/// A gateway image that compose files run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gateway {
    /// `docker/mcp-gateway`: its `command` flags (`--tools`, `--verify-signatures`) are read.
    DockerMcpGateway,
    /// An MCP proxy: only its image and environment are read; its servers live in its config.
    McpProxy,
}

/// A Docker MCP catalog's `registry` map: entries that run an `image` or name a `remote`.
fn is_docker_catalog(node: Option<&Node>) -> bool {
    node.and_then(Node::as_map).is_some_and(|entries| {
        !entries.is_empty()
            && entries
                .iter()
                .all(|e| e.value.get("image").is_some() || e.value.get("remote").is_some())
    })
}

/// Goose's `extensions` map: entries tagged with a Goose extension `type`, or with `cmd`.
fn is_goose_extensions(node: Option<&Node>) -> bool {
    node.and_then(Node::as_map).is_some_and(|entries| {
        !entries.is_empty()
            && entries.iter().any(|e| {
                e.value.get("cmd").is_some()
                    || matches!(
                        e.value.get("type").and_then(Node::as_str),
                        Some("stdio" | "streamable_http" | "builtin" | "platform")
                    )
            })
    })
}

/// Copilot's portable format: `type: "local"` or a `tools` list of names on some server.
fn is_copilot_shape(node: Option<&Node>) -> bool {
    let servers = node.and_then(Node::as_map).unwrap_or_default();
    servers.iter().any(|server| {
        server.value.get("type").and_then(Node::as_str) == Some("local")
            || server
                .value
                .get("tools")
                .and_then(Node::as_seq)
                .is_some_and(|tools| tools.iter().all(|t| t.as_str().is_some()))
    })
}

fn is_server_map(node: Option<&Node>) -> bool {
    node.and_then(Node::as_map)
        .is_some_and(|entries| entries.iter().all(|e| e.value.as_map().is_some()))
}

/// The syntax to parse a file with before its dialect is known.
pub fn syntax_for(hint: PathHint) -> Syntax {
    match hint {
        PathHint::Known(dialect) => dialect.syntax(),
        PathHint::Maybe(syntax) => syntax,
        PathHint::Unrelated => Syntax::Jsonc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known file names map to their client; other YAML/TOML/JSON is only a maybe.
    #[test]
    fn names_and_locations() {
        let cases = [
            ("claude_desktop_config.json", PathHint::Known(Dialect::ClaudeDesktop)),
            ("repo/.mcp.json", PathHint::Known(Dialect::ClaudeCode)),
            ("/home/u/.claude.json", PathHint::Known(Dialect::ClaudeCode)),
            ("repo/.cursor/mcp.json", PathHint::Known(Dialect::Cursor)),
            ("repo/.vscode/mcp.json", PathHint::Known(Dialect::Vscode)),
            ("/home/u/.copilot/mcp-config.json", PathHint::Known(Dialect::Copilot)),
            ("plugin/.github/mcp.json", PathHint::Known(Dialect::Copilot)),
            (
                "/home/u/.codeium/windsurf/mcp_config.json",
                PathHint::Known(Dialect::Windsurf),
            ),
            ("repo/.gemini/settings.json", PathHint::Known(Dialect::Gemini)),
            ("repo/.vscode/settings.json", PathHint::Maybe(Syntax::Jsonc)),
            (
                "/home/u/.config/opencode/config.json",
                PathHint::Known(Dialect::Opencode),
            ),
            ("repo/.mcp.json.sample", PathHint::Known(Dialect::ClaudeCode)),
            ("repo/config.yaml.example", PathHint::Maybe(Syntax::Yaml)),
            ("repo/settings.json5", PathHint::Maybe(Syntax::Jsonc)),
            ("repo/notes.example", PathHint::Unrelated),
            ("repo/.codex/config.toml", PathHint::Known(Dialect::Codex)),
            ("cline_mcp_settings.json", PathHint::Known(Dialect::Cline)),
            ("repo/.roo/mcp.json", PathHint::Known(Dialect::Roo)),
            (
                "/home/u/.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json",
                PathHint::Known(Dialect::Roo),
            ),
            ("repo/.kilocode/mcp.json", PathHint::Known(Dialect::Kilo)),
            (
                "/home/u/.config/Code/User/globalStorage/kilocode.kilo-code/settings/mcp_settings.json",
                PathHint::Known(Dialect::Kilo),
            ),
            ("repo/.amazonq/mcp.json", PathHint::Known(Dialect::AmazonQ)),
            ("/home/u/.aws/amazonq/mcp.json", PathHint::Known(Dialect::AmazonQ)),
            ("repo/.kiro/settings/mcp.json", PathHint::Known(Dialect::Kiro)),
            (
                "/home/u/.gemini/antigravity/mcp_config.json",
                PathHint::Known(Dialect::Antigravity),
            ),
            ("repo/other/settings/mcp.json", PathHint::Known(Dialect::McpJson)),
            ("repo/opencode.jsonc", PathHint::Known(Dialect::Opencode)),
            (
                "plugin/.claude-plugin/plugin.json",
                PathHint::Known(Dialect::ClaudeCode),
            ),
            ("ext/gemini-extension.json", PathHint::Known(Dialect::Gemini)),
            ("repo/.qwen/settings.json", PathHint::Known(Dialect::Qwen)),
            ("ext/qwen-extension.json", PathHint::Known(Dialect::Qwen)),
            ("ext/plugin.json", PathHint::Maybe(Syntax::Jsonc)),
            ("repo/.zed/settings.json", PathHint::Known(Dialect::Zed)),
            ("/home/u/.config/zed/settings.json", PathHint::Known(Dialect::Zed)),
            ("/home/u/.config/goose/config.yaml", PathHint::Known(Dialect::Goose)),
            ("repo/.continue/config.yaml", PathHint::Known(Dialect::Continue)),
            ("repo/.continue/mcpServers/sql.yaml", PathHint::Known(Dialect::Continue)),
            ("repo/.continue/mcpServers/sql.json", PathHint::Known(Dialect::McpJson)),
            ("deploy/litellm/config.yaml", PathHint::Maybe(Syntax::Yaml)),
            ("Cargo.toml", PathHint::Maybe(Syntax::Toml)),
            ("README.md", PathHint::Unrelated),
        ];
        for (path, expected) in cases {
            assert_eq!(by_path(Path::new(path)), expected, "{path}");
        }
    }

    /// Content decides between LiteLLM, Helm, Codex and VS Code shapes, and rejects unrelated files.
    #[test]
    fn content_refines() {
        let yaml = |text: &str| super::super::yaml::parse(text).expect("yaml");
        let maybe_yaml = PathHint::Maybe(Syntax::Yaml);
        assert_eq!(
            by_content(maybe_yaml, &yaml("mcp_servers:\n  a: {url: x}\n")),
            Some(Dialect::Litellm)
        );
        assert_eq!(
            by_content(maybe_yaml, &yaml("proxy_config:\n  mcp_servers:\n    a: {url: x}\n")),
            Some(Dialect::Helm)
        );
        assert_eq!(by_content(maybe_yaml, &yaml("name: ci\non: push\n")), None);
        let json = |text: &str| super::super::json::parse(text, true).expect("json");
        assert_eq!(
            by_content(
                PathHint::Known(Dialect::ClaudeCode),
                &json(r#"{"servers": {"a": {"command": "x"}}}"#)
            ),
            Some(Dialect::Vscode)
        );
        assert_eq!(
            by_content(
                PathHint::Known(Dialect::ClaudeCode),
                &json(r#"{"mcpServers": {"a": {"command": "x", "tools": ["*"]}}}"#)
            ),
            Some(Dialect::Copilot)
        );
        assert_eq!(
            by_content(
                PathHint::Known(Dialect::ClaudeCode),
                &json(r#"{"mcpServers": {"a": {"command": "x", "tools": [{"name": "t"}]}}}"#)
            ),
            Some(Dialect::ClaudeCode)
        );
        assert_eq!(
            by_content(PathHint::Maybe(Syntax::Jsonc), &json(r#"{"name": "pkg"}"#)),
            None
        );
        // Found by content: Copilot's shape, and not Roo's when MCPHub's keys are beside it.
        assert_eq!(
            by_content(
                PathHint::Maybe(Syntax::Jsonc),
                &json(r#"{"mcpServers": {"a": {"type": "local", "command": "x", "tools": ["*"]}}}"#)
            ),
            Some(Dialect::Copilot)
        );
        assert_eq!(
            by_content(
                PathHint::Known(Dialect::Roo),
                &json(r#"{"mcpServers": {"a": {"command": "x"}}, "users": [], "groups": []}"#)
            ),
            Some(Dialect::McpJson)
        );
        // Under a chart key, a list of servers is another tool's config, not LiteLLM's.
        assert_eq!(
            by_content(maybe_yaml, &yaml("litellm:\n  mcp_servers:\n    - name: a\n")),
            None
        );
        assert_eq!(
            by_content(
                maybe_yaml,
                &yaml("litellm:\n  proxy_config:\n    mcp_servers:\n      a: {url: x}\n")
            ),
            Some(Dialect::Helm)
        );
    }

    /// The byte test lets through every file that may hold servers and stops the files that share
    /// only a word with them: CRDs that describe an MCPServer, Helm values with an image
    /// `registry:`, a translation file.
    #[test]
    fn the_byte_test_finds_server_maps_by_their_keys() {
        let holds = [
            r#"{"mcpServers": {}}"#,
            r#"{"mcpServer": {"a": {"command": "npx"}}}"#,
            r#"{"servers": {"a": {"url": "https://x"}}}"#,
            r#"{"context_servers": {}}"#,
            "[mcp_servers.docs]\ncommand = \"npx\"\n",
            "extensions:\n  fetch:\n    cmd: uvx\n",
            "registry:\n  fetch:\n    image: mcp/fetch\n",
            "services:\n  gateway:\n    image: docker/mcp-gateway\n",
            "apiVersion: toolhive.stacklok.dev/v1alpha1\nkind: MCPServer\n",
            "apiVersion: kagent.dev/v1alpha1\nkind:   \"RemoteMCPServer\"\n",
            r#"{"apiVersion": "kagent.dev/v1alpha2", "kind": "ToolServer"}"#,
        ];
        for text in holds {
            assert!(may_hold_servers(text.as_bytes()), "{text}");
        }
        let holds_none = [
            r#"{"name": "@acme/app", "repository": {"type": "git", "url": "https://x"}}"#,
            "image:\n  registry: ghcr.io\n  repository: acme/app\n",
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  group: toolhive.stacklok.dev/\n  description: references an MCPServer\n",
            r#"{"title": "Servers", "empty": "No servers configured"}"#,
            "[project]\nname = \"acme\"\n",
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  properties:\n    mcpServer:\n      type: object\n",
        ];
        for text in holds_none {
            assert!(!may_hold_servers(text.as_bytes()), "{text}");
        }
    }
}
