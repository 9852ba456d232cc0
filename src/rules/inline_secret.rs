//! `inline-secret`: a literal credential sits in the config instead of a reference to one.

use crate::dialect::Dialect;
use crate::finding::{Finding, Severity};
use crate::model::{McpConfig, Server, Str, Transport};
use crate::secrets::{self, SecretMatch, ValueContext};

use super::{FixAvailability, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags literal credentials in a server's env values, headers, arguments, URL and credential
    /// fields: known token shapes (GitHub `ghp_`/`github_pat_`, OpenAI and Anthropic `sk-`, Slack
    /// `xox?-`, AWS `AKIA`, GitLab `glpat-`, Sentry `sntrys_`, JWTs, `Bearer <literal>`), passwords in
    /// URLs and connection strings, and literal values under secret-looking names (`*_TOKEN`,
    /// `*_KEY`, `*SECRET*`, `*PASSWORD*`). The client's own references (`${VAR}`, `${VAR:-d}`,
    /// `${env:X}`, `${input:id}`, `os.environ/X`, `{{ ... }}`, `$VAR`) are never flagged. Obvious
    /// placeholders (`YOUR_TOKEN`, `<token>`, `xxx`, `changeme`) get an informational note.
    /// Output never shows a secret in full: at most a short prefix and its length.
    ///
    /// ## Why is this bad?
    /// Config files get committed, synced, pasted into issues and read by every tool on the
    /// machine, including the MCP servers themselves. A token in one is a token published.
    ///
    /// ## Example
    /// ```json
    /// { "mcpServers": { "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"],
    ///   "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_************************************" } } } }
    /// ```
    /// Use instead (Claude Code):
    /// ```json
    /// { "mcpServers": { "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"],
    ///   "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "${GITHUB_PERSONAL_ACCESS_TOKEN}" } } } }
    /// ```
    ///
    /// ## Fix
    /// Move the value into the environment and reference it in the dialect's syntax: Claude Code
    /// and Gemini `${NAME}`, Cursor and Windsurf `${env:NAME}`, VS Code an `inputs` entry with
    /// `password: true` referenced as `${input:id}`, LiteLLM `os.environ/NAME`, Codex `env_vars` or
    /// `bearer_token_env_var`. Claude Desktop has no reference syntax. Then rotate the secret: it
    /// has already been exposed.
    ///
    /// ## References
    /// - OWASP Top 10 for LLM Applications 2025, LLM02 Sensitive Information Disclosure
    /// - CWE-798: Use of Hard-coded Credentials
    pub struct InlineSecret {
        id: "inline-secret",
        summary: "A literal credential is written in the config",
        severity: Severity::Error,
        fix: FixAvailability::None,
    }
}

impl Rule for InlineSecret {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_server(&self, config: &McpConfig, server: &Server, findings: &mut Vec<Finding>) {
        let mut report = |context: ValueContext<'_>, field: &Str, place: String| {
            if let Some(hit) = secrets::find_secret(context, &field.value) {
                findings.push(finding(config.dialect, server, field, &hit, &place));
            }
        };
        match &server.transport {
            Transport::Stdio(stdio) => {
                for pair in &stdio.env {
                    report(
                        ValueContext::Env { key: &pair.key },
                        &pair.value,
                        format!("env `{}`", pair.key),
                    );
                }
                let mut previous: Option<&str> = Some(stdio.command.value.as_str());
                for (index, arg) in stdio.args.iter().enumerate() {
                    report(ValueContext::Arg { previous }, arg, format!("argument {}", index + 1));
                    previous = Some(arg.value.as_str());
                }
            }
            Transport::Remote(remote) => {
                report(ValueContext::Url, &remote.url, "the URL".into());
                for header in &remote.headers {
                    report(
                        ValueContext::Header { name: &header.key },
                        &header.value,
                        format!("header `{}`", header.key),
                    );
                }
            }
            Transport::Unknown => {}
        }
        for field in &server.credential_fields {
            report(
                ValueContext::Field { key: &field.key },
                &field.value,
                format!("`{}`", field.key),
            );
        }
    }
}

fn finding(dialect: Dialect, server: &Server, field: &Str, hit: &SecretMatch, place: &str) -> Finding {
    let secret = field.value.get(hit.start..hit.end).unwrap_or_default();
    let shown = secrets::redact(secret, hit.kind);
    let (severity, message, label) = if hit.placeholder {
        (
            Severity::Info,
            format!(
                "server `{}`: {place} holds a placeholder where a secret will go ({shown})",
                server.name
            ),
            "placeholder",
        )
    } else {
        (
            InlineSecret::INFO.default_severity,
            format!(
                "server `{}`: {place} holds a literal {} ({shown})",
                server.name,
                hit.kind.describe()
            ),
            "literal secret",
        )
    };
    Finding::new(InlineSecret::INFO.id, severity, message, &field.route)
        .server(&server.name, &server.route)
        .subfeature(secret.to_owned())
        .mask(secret.to_owned())
        .label(label)
        .help(reference_help(dialect, &hit.suggested_env))
}

/// How to reference `name` instead of the literal, in this dialect's syntax.
fn reference_help(dialect: Dialect, name: &str) -> String {
    match dialect {
        Dialect::ClaudeCode | Dialect::Gemini | Dialect::McpJson => {
            format!("set {name} in the environment and write `${{{name}}}`")
        }
        Dialect::Cursor | Dialect::Windsurf => format!("set {name} in the environment and write `${{env:{name}}}`"),
        Dialect::Vscode => format!(
            "add an `inputs` entry (`promptString`, `password: true`) and write `${{input:{}}}`",
            name.to_ascii_lowercase().replace('_', "-")
        ),
        Dialect::Copilot => format!(
            "store it as a Copilot secret named `COPILOT_MCP_{name}` and write that name as the value (Copilot CLI: `${{{name}}}`)"
        ),
        Dialect::Litellm | Dialect::Helm => format!("set {name} in the environment and write `os.environ/{name}`"),
        Dialect::Codex => format!("set {name} in the environment and name it in `env_vars` or `bearer_token_env_var`"),
        Dialect::ClaudeDesktop | Dialect::Cline => {
            format!(
                "{} has no variable syntax: keep the secret out of shared copies of this file and rotate it",
                dialect.client()
            )
        }
    }
}
