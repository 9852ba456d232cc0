//! Dialect backends: parse a config file into a [`tree::Node`] with spans, and know which client reads it.

pub mod detect;
pub mod json;
pub mod position;
pub mod references;
pub mod route;
pub mod shapes;
pub mod toml;
pub mod tree;
pub mod yaml;

use std::fmt;

use thiserror::Error;

pub use route::{Component, Route};
pub use tree::{Entry, Node, NodeValue, Span};

/// The concrete syntax a file is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Strict JSON: comments would break the client.
    Json,
    /// JSON with comments and trailing commas.
    Jsonc,
    Yaml,
    Toml,
}

/// Which client (or gateway) reads a config file; decides its shape and its rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum Dialect {
    /// Claude Desktop `claude_desktop_config.json`.
    ClaudeDesktop,
    /// Claude Code `.mcp.json`, `~/.claude.json`.
    ClaudeCode,
    /// Cursor `.cursor/mcp.json`.
    Cursor,
    /// VS Code `.vscode/mcp.json` and the Copilot `servers` format.
    Vscode,
    /// GitHub Copilot's portable `mcpServers` format with per-server `tools`
    /// (`~/.copilot/mcp-config.json`, or a `.mcp.json` in that shape).
    Copilot,
    /// Windsurf `mcp_config.json`.
    Windsurf,
    /// Gemini CLI `.gemini/settings.json`.
    Gemini,
    /// Qwen Code `.qwen/settings.json` (a Gemini CLI fork: the same server entries).
    Qwen,
    /// Cline `cline_mcp_settings.json`.
    Cline,
    /// Roo Code `.roo/mcp.json` and its global `mcp_settings.json`.
    Roo,
    /// Kilo Code `.kilocode/mcp.json` and its global `mcp_settings.json`.
    Kilo,
    /// Amazon Q Developer `.amazonq/mcp.json`, `~/.aws/amazonq/mcp.json`.
    AmazonQ,
    /// Kiro `.kiro/settings/mcp.json`, `~/.kiro/settings/mcp.json`.
    Kiro,
    /// Google Antigravity `mcp_config.json` under `~/.gemini/`.
    Antigravity,
    /// Any other `mcpServers` JSON file (plugins, unknown clients).
    McpJson,
    /// opencode `opencode.json` / `opencode.jsonc` (the `mcp` map).
    Opencode,
    /// Goose `config.yaml` (the `extensions` map).
    Goose,
    /// Zed `settings.json` (the `context_servers` map).
    Zed,
    /// Continue `.continue/config.yaml` and `.continue/mcpServers/*.yaml` (`mcpServers` as a list).
    Continue,
    /// The mcp-proxy gateway (TBXark) `config.json`: `mcpProxy` and `mcpServers`.
    McpProxy,
    /// A Docker MCP Gateway catalog (`registry:` entries run by image, or remote).
    DockerCatalog,
    /// A Kubernetes MCP server resource: ToolHive `MCPServer`, kagent `ToolServer`,
    /// `RemoteMCPServer` and `MCPServer`, Envoy AI Gateway `MCPRoute` (its backends).
    Kubernetes,
    /// A Docker Compose file running an MCP gateway (Docker's `docker/mcp-gateway`, or an MCP
    /// proxy image such as `ghcr.io/tbxark/mcp-proxy`): each gateway service is one server.
    DockerCompose,
    /// OpenAI Codex `config.toml`.
    Codex,
    /// LiteLLM proxy `config.yaml`.
    Litellm,
    /// Helm values of the LiteLLM chart (`proxy_config`).
    Helm,
    /// The MCP registry's `server.json`: what a server's author publishes (`packages`, `remotes`).
    ServerJson,
    /// An MCP bundle's `manifest.json` (`.mcpb`, formerly `.dxt`): `server.mcp_config`.
    McpBundle,
    /// A GitHub Copilot custom agent (`.github/agents/*.md`): `mcp-servers` in its YAML front
    /// matter, in the Copilot MCP format.
    CopilotAgent,
    /// A GitHub Agentic Workflow (`.github/workflows/*.md`): `mcp-servers` in its YAML front
    /// matter (`command`/`args`, `container`, or `url`; `allowed` tools).
    AgenticWorkflow,
    /// The agentgateway proxy's config: MCP `targets` (stdio, `mcp`/`sse` remotes) behind its
    /// listeners, in the `mcp:` shortcut or under `binds[].listeners[].routes[].backends[]`.
    Agentgateway,
}

impl Dialect {
    pub const ALL: [Dialect; 31] = [
        Dialect::ClaudeDesktop,
        Dialect::ClaudeCode,
        Dialect::Cursor,
        Dialect::Vscode,
        Dialect::Copilot,
        Dialect::Windsurf,
        Dialect::Gemini,
        Dialect::Qwen,
        Dialect::Cline,
        Dialect::Roo,
        Dialect::Kilo,
        Dialect::AmazonQ,
        Dialect::Kiro,
        Dialect::Antigravity,
        Dialect::McpJson,
        Dialect::Opencode,
        Dialect::Goose,
        Dialect::Zed,
        Dialect::Continue,
        Dialect::McpProxy,
        Dialect::DockerCatalog,
        Dialect::Kubernetes,
        Dialect::DockerCompose,
        Dialect::Codex,
        Dialect::Litellm,
        Dialect::Helm,
        Dialect::ServerJson,
        Dialect::McpBundle,
        Dialect::CopilotAgent,
        Dialect::AgenticWorkflow,
        Dialect::Agentgateway,
    ];

    /// The stable name used on the command line and in JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::ClaudeDesktop => "claude-desktop",
            Dialect::ClaudeCode => "claude-code",
            Dialect::Cursor => "cursor",
            Dialect::Vscode => "vscode",
            Dialect::Copilot => "copilot",
            Dialect::Windsurf => "windsurf",
            Dialect::Gemini => "gemini",
            Dialect::Qwen => "qwen",
            Dialect::Cline => "cline",
            Dialect::Roo => "roo",
            Dialect::Kilo => "kilo",
            Dialect::AmazonQ => "amazon-q",
            Dialect::Kiro => "kiro",
            Dialect::Antigravity => "antigravity",
            Dialect::McpJson => "mcp-json",
            Dialect::Opencode => "opencode",
            Dialect::Goose => "goose",
            Dialect::Zed => "zed",
            Dialect::Continue => "continue",
            Dialect::McpProxy => "mcp-proxy",
            Dialect::DockerCatalog => "docker-catalog",
            Dialect::Kubernetes => "kubernetes",
            Dialect::DockerCompose => "docker-compose",
            Dialect::Codex => "codex",
            Dialect::Litellm => "litellm",
            Dialect::Helm => "helm",
            Dialect::ServerJson => "server-json",
            Dialect::McpBundle => "mcpb",
            Dialect::CopilotAgent => "copilot-agent",
            Dialect::AgenticWorkflow => "agentic-workflow",
            Dialect::Agentgateway => "agentgateway",
        }
    }

    /// The client's display name for messages.
    pub fn client(self) -> &'static str {
        match self {
            Dialect::ClaudeDesktop => "Claude Desktop",
            Dialect::ClaudeCode => "Claude Code",
            Dialect::Cursor => "Cursor",
            Dialect::Vscode => "VS Code",
            Dialect::Copilot => "GitHub Copilot",
            Dialect::Windsurf => "Windsurf",
            Dialect::Gemini => "Gemini CLI",
            Dialect::Qwen => "Qwen Code",
            Dialect::Cline => "Cline",
            Dialect::Roo => "Roo Code",
            Dialect::Kilo => "Kilo Code",
            Dialect::AmazonQ => "Amazon Q Developer",
            Dialect::Kiro => "Kiro",
            Dialect::Antigravity => "Antigravity",
            Dialect::McpJson => "this client",
            Dialect::Opencode => "opencode",
            Dialect::Goose => "Goose",
            Dialect::Zed => "Zed",
            Dialect::Continue => "Continue",
            Dialect::McpProxy => "mcp-proxy",
            Dialect::DockerCatalog => "Docker MCP Gateway",
            Dialect::Kubernetes => "Kubernetes (ToolHive, kagent, Envoy AI Gateway)",
            Dialect::DockerCompose => "MCP gateway (compose)",
            Dialect::Codex => "Codex",
            Dialect::Litellm => "LiteLLM",
            Dialect::Helm => "LiteLLM (Helm chart)",
            Dialect::ServerJson => "MCP registry server.json",
            Dialect::McpBundle => "MCP bundle",
            Dialect::CopilotAgent => "GitHub Copilot custom agent",
            Dialect::AgenticWorkflow => "GitHub Agentic Workflows",
            Dialect::Agentgateway => "agentgateway",
        }
    }

    /// The syntax the client's parser accepts.
    pub fn syntax(self) -> Syntax {
        match self {
            // Roo and Kilo read with `JSON.parse`, Amazon Q with serde_json.
            Dialect::ClaudeDesktop
            | Dialect::ClaudeCode
            | Dialect::Cline
            | Dialect::Copilot
            | Dialect::Roo
            | Dialect::Kilo
            | Dialect::AmazonQ
            // mcp-proxy decodes its config with Go's encoding/json, and so does the registry's
            // mcp-publisher a server.json.
            | Dialect::McpProxy
            | Dialect::ServerJson
            // The mcpb tools read a bundle's manifest with `JSON.parse`.
            | Dialect::McpBundle => Syntax::Json,
            // Kiro's and Antigravity's parsers are not verified: read leniently, write no comments
            // (no fix writes one where the client has no allowlist).
            Dialect::Cursor
            | Dialect::Vscode
            | Dialect::Windsurf
            | Dialect::Gemini
            | Dialect::Qwen
            | Dialect::Kiro
            | Dialect::Antigravity
            | Dialect::Opencode
            | Dialect::Zed
            | Dialect::McpJson => Syntax::Jsonc,
            Dialect::Codex => Syntax::Toml,
            Dialect::Litellm
            | Dialect::Helm
            | Dialect::Goose
            | Dialect::Continue
            | Dialect::DockerCatalog
            | Dialect::Kubernetes
            | Dialect::DockerCompose
            | Dialect::CopilotAgent
            | Dialect::AgenticWorkflow
            | Dialect::Agentgateway => Syntax::Yaml,
        }
    }

    /// The key of the client's server map, below its config root (a Helm chart's LiteLLM config
    /// sits under `proxy_config`). The one table of where each client keeps its servers.
    pub fn servers_key(self) -> &'static str {
        match self {
            Dialect::Vscode => "servers",
            Dialect::Codex | Dialect::Litellm | Dialect::Helm => "mcp_servers",
            Dialect::Opencode => "mcp",
            Dialect::Goose => "extensions",
            Dialect::Zed => "context_servers",
            Dialect::DockerCatalog => "registry",
            Dialect::Kubernetes => "spec",
            Dialect::DockerCompose => "services",
            Dialect::ServerJson => "packages",
            Dialect::McpBundle => "server",
            Dialect::CopilotAgent | Dialect::AgenticWorkflow => "mcp-servers",
            Dialect::Agentgateway => "mcp",
            _ => "mcpServers",
        }
    }

    /// The other JSON family's server key, which this client does not read: servers under it are
    /// read with a warning that the client ignores them.
    pub fn ignored_servers_key(self) -> Option<&'static str> {
        match self {
            Dialect::Vscode => Some("mcpServers"),
            Dialect::Codex
            | Dialect::Litellm
            | Dialect::Helm
            | Dialect::Opencode
            | Dialect::Goose
            | Dialect::Zed
            | Dialect::ServerJson
            | Dialect::McpBundle
            | Dialect::CopilotAgent
            | Dialect::AgenticWorkflow
            | Dialect::Agentgateway => None,
            _ => Some("servers"),
        }
    }

    /// The keys leading to the server map from the document root, as the chart writes it.
    pub fn servers_path(self) -> &'static [&'static str] {
        match self {
            Dialect::Helm => &["proxy_config", "mcp_servers"],
            Dialect::Vscode => &["servers"],
            Dialect::Codex | Dialect::Litellm => &["mcp_servers"],
            Dialect::Opencode => &["mcp"],
            Dialect::Goose => &["extensions"],
            Dialect::Zed => &["context_servers"],
            Dialect::DockerCatalog => &["registry"],
            Dialect::Kubernetes => &["spec"],
            Dialect::DockerCompose => &["services"],
            Dialect::ServerJson => &["packages"],
            Dialect::McpBundle => &["server"],
            Dialect::CopilotAgent | Dialect::AgenticWorkflow => &["mcp-servers"],
            Dialect::Agentgateway => &["mcp", "targets"],
            _ => &["mcpServers"],
        }
    }

    /// The per-server key that turns a server off, and the value that does: `disabled: true`
    /// (Cline, Windsurf and the Roo/Kilo family), `enabled = false` (Codex). Other clients have none.
    pub fn off_switch(self) -> Option<(&'static str, bool)> {
        match self {
            Dialect::Cline
            | Dialect::Windsurf
            | Dialect::Roo
            | Dialect::Kilo
            | Dialect::AmazonQ
            | Dialect::Kiro
            | Dialect::Antigravity
            | Dialect::McpJson => Some(("disabled", true)),
            Dialect::Codex | Dialect::Opencode | Dialect::Goose | Dialect::Zed => Some(("enabled", false)),
            _ => None,
        }
    }

    /// Who reads files of this dialect, as a list of files names it: the client, or "generic
    /// mcpServers" for a file no known client owns.
    pub fn reader(self) -> &'static str {
        match self {
            Dialect::McpJson => "generic mcpServers",
            dialect => dialect.client(),
        }
    }

    /// What the client does with a key its server schema does not know. Measured with the real
    /// clients: Codex 0.171 reads past it; opencode 1.18.33 drops it in silence and connects the
    /// server (only a wrong type refuses the file); Gemini CLI 0.61.0 prints `Invalid
    /// configuration ... Unrecognized key(s)` and still lists and connects the server; Qwen Code
    /// 0.24.4 lists the server without a word.
    pub fn unknown_keys(self) -> UnknownKeys {
        match self {
            Dialect::Codex | Dialect::Opencode | Dialect::Qwen => UnknownKeys::Ignores,
            Dialect::Gemini => UnknownKeys::WarnsAndIgnores,
            _ => UnknownKeys::Refuses,
        }
    }

    /// True when the client runs the server without an unknown key rather than refusing it.
    pub fn ignores_unknown_keys(self) -> bool {
        self.unknown_keys() != UnknownKeys::Refuses
    }

    /// True for the LiteLLM gateway dialects (proxy config and Helm values).
    pub fn is_litellm(self) -> bool {
        matches!(self, Dialect::Litellm | Dialect::Helm)
    }
}

/// What a client does with a key its schema does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownKeys {
    /// The file (or the server) is refused.
    Refuses,
    /// Read past in silence: the key is dead config.
    Ignores,
    /// Reported at start-up, and the server runs without it: dead config, with a warning.
    WarnsAndIgnores,
}

impl UnknownKeys {
    /// What happens to the key, for a message: "Gemini CLI ignores it".
    pub fn fate(self, client: &str) -> String {
        match self {
            UnknownKeys::Refuses => format!("{client} rejects it"),
            UnknownKeys::Ignores => format!("{client} ignores it"),
            UnknownKeys::WarnsAndIgnores => {
                format!("{client} warns of it at start-up and runs the server without it")
            }
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A file that could not be parsed: where, and what is wrong.
#[derive(Debug, Clone, Error, PartialEq)]
#[error("{message}")]
pub struct ParseError {
    /// Byte offset into the text (after BOM removal) where the problem is.
    pub offset: usize,
    pub message: String,
}

impl ParseError {
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        Self {
            offset,
            message: message.into(),
        }
    }
}

/// Parses `text` (BOM already removed) in the given syntax.
pub fn parse(syntax: Syntax, text: &str) -> Result<Node, ParseError> {
    let root = match syntax {
        Syntax::Json => json::parse(text, false),
        Syntax::Jsonc => json::parse(text, true),
        Syntax::Yaml => yaml::parse(text),
        Syntax::Toml => toml::parse(text),
    }?;
    check_depth(&root)?;
    Ok(root)
}

/// Deepest nesting accepted in any syntax: no MCP config comes near it, and every walk over the
/// tree (its `Clone`, `Drop`, `to_json`) stays far from the stack's end.
pub const MAX_DEPTH: usize = 128;

/// Refuses a tree nested deeper than [`MAX_DEPTH`], found without recursion.
fn check_depth(root: &Node) -> Result<(), ParseError> {
    let mut pending: Vec<(&Node, usize)> = vec![(root, 1)];
    while let Some((node, depth)) = pending.pop() {
        if depth > MAX_DEPTH {
            return Err(ParseError::new(
                node.span.start,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        match &node.value {
            NodeValue::Map(entries) => pending.extend(entries.iter().map(|e| (&e.value, depth + 1))),
            NodeValue::Seq(items) => pending.extend(items.iter().map(|n| (n, depth + 1))),
            _ => {}
        }
    }
    Ok(())
}
