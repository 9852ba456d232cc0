//! `inline-secret`: a literal credential sits in the config instead of a reference to one.

use serde_json::json;

use crate::dialect::{Dialect, Route};
use crate::finding::{Finding, Severity};
use crate::fix::{Applicability, Edit, Fix};
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
    /// `${env:X}`, `${input:id}`, `os.environ/X`, `{{ ... }}`, `$VAR`) are never flagged, and
    /// neither are placeholders (`YOUR_TOKEN`, `<token>`, `xxx`, `changeme`) and documented
    /// dummies: they hold no secret.
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
        fix: FixAvailability::Sometimes,
    }
}

impl Rule for InlineSecret {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_server(&self, config: &McpConfig, server: &Server, findings: &mut Vec<Finding>) {
        let mut report = |context: ValueContext<'_>, field: &Str, place: String| {
            // A placeholder (`YOUR_TOKEN`, `<token>`, a documented dummy) is not a secret: nothing
            // to report, at any severity.
            // Every secret of the value: a URL may carry a password and a token.
            for hit in secrets::find_secrets(context, &field.value)
                .into_iter()
                .filter(|hit| !hit.placeholder)
            {
                let kind = match context {
                    ValueContext::Env { key } => Place::Env(key.to_owned()),
                    ValueContext::Header { name } => Place::Header(name.to_owned()),
                    ValueContext::Url => Place::Url,
                    ValueContext::Field { key } => Place::Field(key.to_owned()),
                    ValueContext::Arg { .. } => Place::Arg,
                };
                let secret = field.value.get(hit.start..hit.end).unwrap_or_default();
                findings.push(finding(config.dialect, server, field, &hit, &place).fix(reference_fix(
                    config,
                    server,
                    field,
                    secret,
                    &hit.suggested_env,
                    &kind,
                )));
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
    let message = format!(
        "server `{}`: {place} holds a literal {} ({shown})",
        server.name,
        hit.kind.describe()
    );
    Finding::new(
        InlineSecret::INFO.id,
        InlineSecret::INFO.default_severity,
        message,
        &field.route,
    )
    .server(&server.name, &server.route)
    .subfeature(secret.to_owned())
    .mask(secret.to_owned())
    .label("literal secret")
    .help(reference_help(dialect, &hit.suggested_env))
}

/// Where in a server a secret was found; decides how the dialect can reference it.
enum Place {
    Env(String),
    Header(String),
    Url,
    Arg,
    Field(String),
}

/// Moves the literal into the dialect's reference syntax. The title names the variable to set,
/// never the value.
fn reference_fix(config: &McpConfig, server: &Server, field: &Str, secret: &str, name: &str, place: &Place) -> Fix {
    let substitute = |reference: String, title: String| {
        Fix::new(
            title,
            Applicability::Unsafe,
            vec![Edit::ReplaceInString {
                route: field.route.clone(),
                find: secret.to_owned(),
                replace: reference,
            }],
        )
    };
    let advice = |why: &str| Fix::new(why.to_owned(), Applicability::DisplayOnly, Vec::new());
    // An env entry already names its variable: keep that name.
    let name = match place {
        Place::Env(key) if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            key.as_str()
        }
        _ => name,
    };
    match config.dialect {
        Dialect::ClaudeCode | Dialect::Gemini | Dialect::McpJson => substitute(
            format!("${{{name}}}"),
            format!("Reference `${{{name}}}` instead of the literal; set {name} in the environment"),
        ),
        Dialect::Cursor | Dialect::Windsurf => substitute(
            format!("${{env:{name}}}"),
            format!("Reference `${{env:{name}}}` instead of the literal; set {name} in the environment"),
        ),
        Dialect::Vscode => vscode_input_fix(config, field, secret, name),
        // LiteLLM resolves `os.environ/` in map values, not in plain strings of a list.
        Dialect::Litellm | Dialect::Helm if matches!(place, Place::Arg) => advice(
            "LiteLLM does not resolve `os.environ/` inside `args`: pass the secret through `env` as `os.environ/NAME` and let the server read it",
        ),
        Dialect::Litellm | Dialect::Helm => {
            // LiteLLM resolves `os.environ/` only as a whole value.
            let whole = secret == field.value;
            let variable = if whole {
                name.to_owned()
            } else {
                match place {
                    Place::Url => format!("{}_URL", env_name(&server.name)),
                    Place::Header(_) => name.to_owned(),
                    _ => format!("{}_{}", env_name(&server.name), env_name(&last_key(&field.route))),
                }
            };
            let title = if whole {
                format!("Read it from the environment: `os.environ/{variable}`; set {variable}")
            } else {
                format!(
                    "Move the whole value into the environment: `os.environ/{variable}` (LiteLLM resolves only whole values); set {variable} to the current value"
                )
            };
            Fix::new(
                title,
                Applicability::Unsafe,
                vec![Edit::Replace {
                    route: field.route.clone(),
                    value: json!(format!("os.environ/{variable}")),
                }],
            )
        }
        Dialect::Codex => codex_fix(config, server, field, secret, name, place)
            .unwrap_or_else(|| advice("Codex does not expand variables here: pass the secret through `env_vars`, `bearer_token_env_var` or `env_http_headers` instead")),
        Dialect::Copilot => advice(
            "Store the secret as a Copilot secret (`COPILOT_MCP_*`) and reference it by name; Copilot CLI reads `${NAME}`",
        ),
        Dialect::ClaudeDesktop | Dialect::Cline => advice(
            "This client has no variable syntax: keep the secret out of shared copies of this file and rotate it",
        ),
    }
}

/// VS Code prompts for an `inputs` entry once and stores it securely: add one, reference it.
fn vscode_input_fix(config: &McpConfig, field: &Str, secret: &str, name: &str) -> Fix {
    let id = name.to_ascii_lowercase().replace('_', "-");
    let inputs = config.document.get("inputs");
    let exists = inputs.and_then(|i| i.as_array()).is_some_and(|list| {
        list.iter()
            .any(|i| i.get("id").and_then(|v| v.as_str()) == Some(id.as_str()))
    });
    let input = json!({ "type": "promptString", "id": id, "description": name, "password": true });
    let mut edits = Vec::new();
    if !exists {
        edits.push(match inputs {
            Some(serde_json::Value::Array(_)) => Edit::Append {
                list: Route::root().key("inputs"),
                value: input,
            },
            _ => Edit::Insert {
                map: Route::root(),
                after: None,
                key: "inputs".into(),
                value: json!([input]),
                comment: Vec::new(),
            },
        });
    }
    edits.push(Edit::ReplaceInString {
        route: field.route.clone(),
        find: secret.to_owned(),
        replace: format!("${{input:{id}}}"),
    });
    Fix::new(
        format!("Prompt for it with an `inputs` entry (`password: true`) and reference `${{input:{id}}}`"),
        Applicability::Unsafe,
        edits,
    )
}

/// Codex passes secrets by the name of a variable: `env_vars`, `bearer_token_env_var`,
/// `env_http_headers`. None where it has no such setting (arguments, URLs).
fn codex_fix(config: &McpConfig, server: &Server, field: &Str, secret: &str, name: &str, place: &Place) -> Option<Fix> {
    // `Authorization: Bearer <token>` is what `bearer_token_env_var` sends.
    if let Place::Header(header) = place
        && header.eq_ignore_ascii_case("authorization")
        && field
            .value
            .strip_prefix("Bearer ")
            .is_some_and(|token| token.trim() == secret)
        && !document_has(config, &server.route.key("bearer_token_env_var"))
    {
        return Some(Fix::new(
            format!("Send the bearer token from the environment with `bearer_token_env_var = \"{name}\"`; set {name}"),
            Applicability::Unsafe,
            vec![
                Edit::Insert {
                    map: server.route.clone(),
                    after: Some("http_headers".into()),
                    key: "bearer_token_env_var".into(),
                    value: json!(name),
                    comment: Vec::new(),
                },
                Edit::Remove {
                    route: field.route.clone(),
                },
            ],
        ));
    }
    if secret != field.value {
        return None;
    }
    let edits = match place {
        // `env_vars` copies the variable of the same name from Codex's own environment.
        Place::Env(key) => {
            let env_vars = server.route.key("env_vars");
            vec![
                Edit::Remove {
                    route: field.route.clone(),
                },
                Edit::Insert {
                    map: server.route.clone(),
                    after: Some("env".into()),
                    key: "env_vars".into(),
                    value: json!([key]),
                    comment: Vec::new(),
                },
            ]
            .into_iter()
            .map(|edit| match edit {
                Edit::Insert { .. } if document_has(config, &env_vars) => Edit::Append {
                    list: env_vars.clone(),
                    value: json!(key),
                },
                other => other,
            })
            .collect()
        }
        Place::Field(key) if key == "bearer_token" => vec![
            Edit::Insert {
                map: server.route.clone(),
                after: Some("bearer_token".into()),
                key: "bearer_token_env_var".into(),
                value: json!(name),
                comment: Vec::new(),
            },
            Edit::Remove {
                route: field.route.clone(),
            },
        ],
        // `env_http_headers` maps a header to the variable that holds its whole value.
        Place::Header(header) => {
            let env_headers = server.route.key("env_http_headers");
            let add = if document_has(config, &env_headers) {
                Edit::Insert {
                    map: env_headers,
                    after: None,
                    key: header.clone(),
                    value: json!(name),
                    comment: Vec::new(),
                }
            } else {
                Edit::Insert {
                    map: server.route.clone(),
                    after: Some("http_headers".into()),
                    key: "env_http_headers".into(),
                    value: json!({ header.as_str(): name }),
                    comment: Vec::new(),
                }
            };
            vec![
                add,
                Edit::Remove {
                    route: field.route.clone(),
                },
            ]
        }
        _ => return None,
    };
    let title = match place {
        Place::Env(key) => format!("Pass {key} from the environment with `env_vars`; set {key}"),
        Place::Header(header) => {
            format!(
                "Send `{header}` from the environment with `env_http_headers`; set {name} to the whole header value"
            )
        }
        _ => format!("Read the token from the environment with `bearer_token_env_var = \"{name}\"`; set {name}"),
    };
    Some(Fix::new(title, Applicability::Unsafe, edits))
}

/// Whether the file has a value at `route`.
fn document_has(config: &McpConfig, route: &Route) -> bool {
    config.value_at(route).is_some()
}

fn last_key(route: &Route) -> String {
    match route.split_last() {
        Some((crate::dialect::Component::Key(key), _)) => key.clone(),
        _ => String::new(),
    }
}

/// `my-server.name` -> `MY_SERVER_NAME`.
fn env_name(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
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
