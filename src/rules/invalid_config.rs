//! `invalid-config`: structure the client would reject or silently drop.

use crate::dialect::Route;
use crate::finding::{Finding, Severity};
use crate::model::McpConfig;

use super::{FixAvailability, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Checks each file against the JSON Schema of its dialect (vendored in `schemas/dialects/`):
    /// wrong types (`args` as a string, `env` values that are numbers), unknown keys where the
    /// client rejects them (Codex, VS Code, Gemini CLI), likely typos with a suggestion
    /// (`mcpServer`, `arg`, `envs`), servers under the key another client reads (`servers` in a
    /// Cursor file), LiteLLM server names containing `-`, and a whole command line in `command`
    /// with no `args` where the client starts `command` without a shell (Claude Code, Gemini
    /// CLI, Qwen Code, Codex), and an empty or blank `command` of an enabled server (nothing
    /// starts; every client's spawn fails).
    ///
    /// ## Why is this bad?
    /// Clients fail differently: Codex and VS Code refuse the file, Claude Code drops the server
    /// with a one-line log, zod-based clients strip unknown keys without a word. Either way the
    /// setting you wrote is not the setting that runs, and a dropped `includeTools` or `args`
    /// changes what a server can do.
    ///
    /// ## Example
    /// ```json
    /// { "mcpServers": { "fs": { "command": "npx", "arg": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/srv"] } } }
    /// ```
    /// Use instead:
    /// ```json
    /// { "mcpServers": { "fs": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/srv"] } } }
    /// ```
    ///
    /// ## Fix
    /// Not fixed automatically: a typo's intended key is a guess. The message names the suggestion.
    ///
    /// ## References
    /// - DIALECTS.md (field-by-field reference with sources) and `schemas/README.md`
    /// - LiteLLM `validate_mcp_server_name` (no `-` in server names)
    pub struct InvalidConfig {
        id: "invalid-config",
        summary: "The client would reject or silently drop part of this config",
        severity: Severity::Error,
        fix: FixAvailability::None,
    }
}

impl Rule for InvalidConfig {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, config: &McpConfig, findings: &mut Vec<Finding>) {
        findings.extend(super::shape_findings(config, &Self::INFO, false));
        let schema_issues: Vec<_> = super::unreported_schema_issues(config, false).collect();
        for issue in &schema_issues {
            let server = server_of(config, &issue.route);
            let mut finding = Finding::new(
                Self::INFO.id,
                Self::INFO.default_severity,
                issue.message.clone(),
                &issue.route,
            )
            .label(if issue.on_key {
                "unexpected key"
            } else {
                "invalid value"
            });
            if let Some((name, route)) = server {
                finding = finding.server(name, route);
            }
            if issue.on_key {
                finding = finding.on_key();
            }
            findings.push(finding);
        }
        if config.dialect == crate::dialect::Dialect::ServerJson {
            registry_package_problems(config, findings);
        }
        for server in &config.servers {
            if let Some(finding) = command_line_in_command(config, server) {
                findings.push(finding);
            }
            // An empty command starts nothing in any client (`spawn("")` fails); a schema that
            // already says so is not said twice, and a disabled placeholder is left alone.
            if let Some(stdio) = server.stdio()
                && stdio.command.value.trim().is_empty()
                && !server.disabled
                && !schema_issues.iter().any(|issue| issue.route == stdio.command.route)
            {
                findings.push(
                    Finding::new(
                        Self::INFO.id,
                        Self::INFO.default_severity,
                        format!("server `{}` never starts: its `command` is empty", server.name),
                        &stdio.command.route,
                    )
                    .server(&server.name, &server.route)
                    .label("empty command")
                    .help("name the program to run (and its arguments in `args`), or remove the server"),
                );
            }
        }
    }
}

/// A whole command line written in `command` with no `args`, for a client that starts
/// `command` as one program name, without a shell: measured with Claude Code 2.1.332 (`claude
/// mcp list`: "ENOENT: Executable not found in $PATH: \"npx -y whole-pkg\""); Gemini CLI and
/// Qwen Code start servers with the MCP SDK's `StdioClientTransport` (no shell), Codex with
/// `Command::new`. A path with a space in it (`C:\Program Files\...`) is a program, not a line.
fn command_line_in_command(config: &McpConfig, server: &crate::model::Server) -> Option<Finding> {
    use crate::dialect::Dialect;
    if !matches!(
        config.dialect,
        Dialect::ClaudeCode | Dialect::Gemini | Dialect::Qwen | Dialect::Codex
    ) {
        return None;
    }
    let stdio = server.stdio()?;
    let command = stdio.command.value.trim();
    let mut words = command.split_whitespace();
    let program = words.next()?;
    let rest: Vec<&str> = words.collect();
    if rest.is_empty() || !stdio.args.is_empty() || command.contains('\\') || command.contains(['"', '\'']) {
        return None;
    }
    let args = rest
        .iter()
        .map(|word| format!("\"{word}\""))
        .collect::<Vec<_>>()
        .join(", ");
    Some(
        Finding::new(
            InvalidConfig::INFO.id,
            InvalidConfig::INFO.default_severity,
            format!(
                "server `{}` never starts: {} runs `command` as one program name, without a shell, and there is no program called `{command}`",
                server.name,
                config.dialect.client()
            ),
            &stdio.command.route,
        )
        .server(&server.name, &server.route)
        .label("a whole command line")
        .help(format!("split it: `\"command\": \"{program}\"` and `\"args\": [{args}]`")),
    )
}

/// What the MCP registry refuses in a server.json's packages beyond its schema: a `version` of
/// `latest` or a range (`^1.2.3`, `~1.2`, `>=1`, `1.x`, `1.*`: "Must be a specific version"), and
/// an MCPB package without its `fileSha256` ("Required for MCPB packages").
fn registry_package_problems(config: &McpConfig, findings: &mut Vec<Finding>) {
    let packages = config.document.get("packages").and_then(serde_json::Value::as_array);
    for (index, package) in packages.into_iter().flatten().enumerate() {
        let route = Route::root().key("packages").index(index);
        let identifier = package
            .get("identifier")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("this package");
        if let Some(version) = package.get("version").and_then(serde_json::Value::as_str) {
            let trimmed = version.trim();
            let range = trimmed.starts_with(['^', '~', '>', '<', '=', '*'])
                || trimmed.contains(['*', ' ', '|'])
                || trimmed.split('.').any(|part| part.eq_ignore_ascii_case("x"));
            if trimmed.eq_ignore_ascii_case("latest") || range {
                findings.push(
                    Finding::new(
                        InvalidConfig::INFO.id,
                        InvalidConfig::INFO.default_severity,
                        format!(
                            "`{identifier}` is published at version `{version}`, which is not a version: the registry accepts only an exact one"
                        ),
                        &route.key("version"),
                    )
                    .server(identifier, &route)
                    .label("not an exact version")
                    .help("write the exact version this server.json describes (`1.4.2`)"),
                );
            }
        }
        let mcpb = package.get("registryType").and_then(serde_json::Value::as_str) == Some("mcpb");
        if mcpb && package.get("fileSha256").is_none() {
            findings.push(
                Finding::new(
                    InvalidConfig::INFO.id,
                    InvalidConfig::INFO.default_severity,
                    format!("the MCPB bundle `{identifier}` has no `fileSha256`: the registry requires it, and clients check the download against it"),
                    &route,
                )
                .server(identifier, &route)
                .label("no fileSha256")
                .help("add `\"fileSha256\"`: the bundle's SHA-256 in hex (`sha256sum file.mcpb`)"),
            );
        }
    }
}

/// The server whose entry contains `route`, if any.
fn server_of<'a>(config: &'a McpConfig, route: &Route) -> Option<(&'a str, &'a Route)> {
    config.server_containing(route).map(|s| (s.name.as_str(), &s.route))
}
