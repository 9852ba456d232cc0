//! `unexpanded-variable`: a reference the reading client does not expand reaches the server as
//! written.

use crate::dialect::Dialect;
use crate::dialect::references::{self, Expansion, Reference, Syntax};
use crate::finding::{Finding, Severity};
use crate::fix::{Applicability, Edit, Fix};
use crate::model::{McpConfig, Server, Str, Transport};

use super::{FixAvailability, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a variable reference, in a server's `command`, `args`, `env`, `url` or `headers`,
    /// written in a syntax the client that reads the file does not expand: a bare `$VAR` or
    /// `${env:VAR}` in Claude Code, `${VAR}` in VS Code, Roo Code, opencode or Continue, VS
    /// Code's `${input:id}` anywhere else, and any reference in Cline, Claude Desktop and Codex,
    /// which expand none. Each client's own syntax stays silent, with its predefined variables
    /// (`${workspaceFolder}`, `${userHome}`). Files of clients whose rules are not settled
    /// (Windsurf, Zed, Goose, Amazon Q, Kiro, gateways) are not checked.
    ///
    /// ## Why is this bad?
    /// The server starts with the reference's text as the value: `$NEO4J_PASS` becomes the
    /// database password, `Bearer ${LINEAR_API_KEY}` the credential sent to a remote server. It
    /// fails in ways that look like a wrong password or a server bug, and the literal is sent
    /// wherever the value goes.
    ///
    /// ## Example
    /// ```json
    /// { "mcpServers": { "neo4j": { "command": "uvx", "args": ["mcp-neo4j-cypher==0.3.0"],
    ///   "env": { "NEO4J_PASSWORD": "$NEO4J_PASS" } } } }
    /// ```
    /// Use instead (Claude Code):
    /// ```json
    /// { "mcpServers": { "neo4j": { "command": "uvx", "args": ["mcp-neo4j-cypher==0.3.0"],
    ///   "env": { "NEO4J_PASSWORD": "${NEO4J_PASS}" } } } }
    /// ```
    ///
    /// ## Fix
    /// Rewrites an environment reference in the client's syntax (`${VAR}`, `${env:VAR}`,
    /// `{env:VAR}`, `${{ secrets.VAR }}`). Unsafe: the variable must be set where the client
    /// runs (Continue reads secrets from its own store). No fix where the client has no syntax
    /// (Cline, Claude Desktop, Codex: name the variable in `env_vars`) or the reference names a
    /// VS Code input rather than a variable.
    ///
    /// ## References
    /// - Claude Code: `${VAR}` and `${VAR:-default}` only (DIALECTS.md section 2.3)
    /// - Cursor `@cursor/sdk` interpolation; VS Code variables reference
    /// - Gemini CLI / Qwen Code `resolveEnvVarsInString`; Roo Code McpHub `injectVariables`
    /// - opencode config substitution; Continue config-yaml secrets; Cline CLI 3.0.65 (measured)
    pub struct UnexpandedVariable {
        id: "unexpanded-variable",
        summary: "A variable reference the client does not expand reaches the server as written",
        severity: Severity::Warning,
        fix: FixAvailability::Sometimes,
    }
}

impl Rule for UnexpandedVariable {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_server(&self, config: &McpConfig, server: &Server, findings: &mut Vec<Finding>) {
        let Some(expansion) = Expansion::of(config.dialect) else {
            return;
        };
        for (field, value) in fields(server) {
            for reference in references::scan(&value.value) {
                if expansion.expands(&reference) {
                    continue;
                }
                findings.push(finding(expansion, server, &field, value, &reference));
            }
        }
    }
}

/// The values a client may expand, each with the field it is in, for messages.
fn fields(server: &Server) -> Vec<(String, &Str)> {
    let mut values = Vec::new();
    match &server.transport {
        Transport::Stdio(stdio) => {
            values.push(("`command`".to_owned(), &stdio.command));
            // A shell given a script expands it itself: its `$VAR`s are the shell's.
            let shell_script = is_shell(&stdio.command.value)
                && stdio
                    .args
                    .iter()
                    .any(|a| matches!(a.value.as_str(), "-c" | "-lc" | "-ic" | "/c" | "-Command"));
            if !shell_script {
                values.extend(stdio.args.iter().map(|arg| ("an argument".to_owned(), arg)));
            }
            values.extend(stdio.env.iter().map(|kv| (format!("`env.{}`", kv.key), &kv.value)));
        }
        Transport::Remote(remote) => {
            values.push(("`url`".to_owned(), &remote.url));
            values.extend(
                remote
                    .headers
                    .iter()
                    .map(|kv| (format!("header `{}`", kv.key), &kv.value)),
            );
        }
        Transport::Published(_) | Transport::Unknown => {}
    }
    values
}

fn is_shell(command: &str) -> bool {
    matches!(
        crate::model::launcher::stem(command).as_str(),
        "sh" | "bash" | "zsh" | "dash" | "fish" | "cmd" | "powershell" | "pwsh"
    )
}

fn finding(expansion: Expansion, server: &Server, field: &str, value: &Str, reference: &Reference) -> Finding {
    let mut finding = Finding::new(
        UnexpandedVariable::INFO.id,
        UnexpandedVariable::INFO.default_severity,
        format!(
            "server `{}`: `{}` in {field} reaches the server as written: {}",
            server.name,
            reference.text,
            expansion.summary()
        ),
        &value.route,
    )
    .server(&server.name, &server.route)
    .subfeature(reference.text.clone())
    .label("not expanded");
    // A VS Code input names a prompt, not a variable: only the user knows which variable holds it.
    let spelling = reference
        .name
        .as_deref()
        .filter(|_| reference.syntax != Syntax::VsCodeVariable)
        .and_then(|name| expansion.spelling(name).map(|spelled| (name, spelled)));
    match spelling {
        Some((name, spelled)) => {
            let where_set = if expansion.dialect() == Dialect::Continue {
                format!("store {name} as a Continue secret")
            } else {
                format!("set {name} where the client runs")
            };
            finding = finding.help(format!("write `{spelled}` and {where_set}")).fix(Fix::new(
                format!("Write `{spelled}`"),
                Applicability::Unsafe,
                vec![Edit::ReplaceInString {
                    route: value.route.clone(),
                    find: reference.text.clone(),
                    replace: spelled,
                }],
            ));
        }
        None if expansion.dialect() == Dialect::Codex => {
            let name = reference.name.as_deref().unwrap_or("the variable");
            finding = finding.help(if field.starts_with("`env.") {
                format!("list {name} in `env_vars` and drop this entry: Codex passes the variables it names through from its environment")
            } else {
                format!("name {name} in `bearer_token_env_var` or `env_http_headers` instead: Codex reads the value from its environment")
            });
        }
        None if expansion.spelling("VAR").is_none() => {
            finding = finding.help(format!(
                "{client} has no variable syntax: write the value itself in a copy kept out of version control, or start the server from a wrapper that reads the environment",
                client = expansion.dialect().client()
            ));
        }
        None => {
            finding = finding.help(format!(
                "write the variable that holds this value in the client's syntax (`{}`)",
                expansion.spelling("VAR").unwrap_or_default()
            ));
        }
    }
    finding
}
