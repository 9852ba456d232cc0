//! `inline-secret`: a literal credential sits in the config instead of a reference to one.

use std::collections::{HashMap, HashSet};

use serde_json::{Value, json};

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
    /// `*_KEY`, `*SECRET*`, `*PASSWORD*`); in a LiteLLM config (and the Helm chart's
    /// `proxy_config`) also the gateway's own provider keys, `model_list[].litellm_params`
    /// `api_key`, the AWS keys and `azure_ad_token`. The client's own references (`${VAR}`, `${VAR:-d}`,
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

    fn check(&self, config: &McpConfig, findings: &mut Vec<Finding>) {
        if matches!(config.dialect, Dialect::Litellm | Dialect::Helm) {
            model_keys(config, findings);
        }
        let sites: Vec<Site<'_>> = config.servers.iter().flat_map(secret_sites).collect();
        let names = VariableNames::assign(config, &sites);
        for (site, name) in sites.iter().zip(names) {
            let Site {
                server,
                field,
                place,
                hit,
                ..
            } = site;
            findings.push(
                finding(config.dialect, server, field, hit, &site.described)
                    .fix(reference_fix(config, server, field, hit, &name, place)),
            );
        }
    }
}

/// The credential fields of a LiteLLM model's `litellm_params`: the gateway's own provider keys,
/// as published by a file as any server's token.
const MODEL_CREDENTIALS: [&str; 5] = [
    "api_key",
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "azure_ad_token",
];

/// Literal provider keys in `model_list[].litellm_params`, each moved to `os.environ/NAME` by
/// the fix (LiteLLM resolves `os.environ/` in every `litellm_params` value).
fn model_keys(config: &McpConfig, findings: &mut Vec<Finding>) {
    let models = config.config_root.key("model_list");
    let Some(list) = config.value_at(&models).and_then(Value::as_array) else {
        return;
    };
    let mut names: HashSet<String> = HashSet::new();
    for (index, model) in list.iter().enumerate() {
        let model_name = model.get("model_name").and_then(Value::as_str).unwrap_or("(unnamed)");
        for key in MODEL_CREDENTIALS {
            let route = models.index(index).key("litellm_params").key(key);
            let Some(value) = config.value_at(&route).and_then(Value::as_str) else {
                continue;
            };
            let Some(hit) = secrets::find_secret(ValueContext::Field { key }, value).filter(|hit| !hit.placeholder)
            else {
                continue;
            };
            let secret = value.get(hit.start..hit.end).unwrap_or_default();
            // One variable per secret: a second model with another key gets its own name.
            let mut variable = hit.suggested_env.clone();
            if !names.insert(variable.clone()) {
                variable = format!("{variable}_{}", env_name(model_name));
                names.insert(variable.clone());
            }
            let whole = secret == value.trim();
            let fix = if whole {
                Fix::new(
                    format!("Read it from the environment: `os.environ/{variable}`; set {variable}"),
                    Applicability::Unsafe,
                    vec![Edit::Replace {
                        route: route.clone(),
                        value: json!(format!("os.environ/{variable}")),
                    }],
                )
            } else {
                Fix::new(
                    format!(
                        "Move the whole value into the environment as `os.environ/{variable}` (LiteLLM resolves only whole values)"
                    ),
                    Applicability::DisplayOnly,
                    Vec::new(),
                )
            };
            findings.push(
                Finding::new(
                    InlineSecret::INFO.id,
                    InlineSecret::INFO.default_severity,
                    format!(
                        "model `{model_name}`: `litellm_params.{key}` holds a literal {} ({})",
                        hit.kind.describe(),
                        secrets::redact(secret, hit.kind)
                    ),
                    &route,
                )
                .subfeature(secret.to_owned())
                .mask(secret.to_owned())
                .label("literal provider key")
                .help(reference_help(config.dialect, &variable))
                .fix(fix),
            );
        }
    }
}

/// One secret of a server: where it is written, what kind it is.
struct Site<'a> {
    server: &'a Server,
    field: &'a Str,
    place: Place,
    /// How a message names the place (`env `API_KEY``, `argument 3`).
    described: String,
    hit: SecretMatch,
}

/// Every secret of `server`, in the order of its fields; placeholders and documented dummies
/// hold none, and a value may hold several (a URL's password and its token).
fn secret_sites(server: &Server) -> Vec<Site<'_>> {
    let mut fields: Vec<(ValueContext<'_>, &Str, Place, String)> = Vec::new();
    match &server.transport {
        Transport::Stdio(stdio) => {
            for pair in &stdio.env {
                fields.push((
                    ValueContext::Env { key: &pair.key },
                    &pair.value,
                    Place::Env(pair.key.clone()),
                    format!("env `{}`", pair.key),
                ));
            }
            let words: Vec<&str> = stdio.args.iter().map(|arg| arg.value.as_str()).collect();
            let documented = secrets::documented::contexts(server.launch.as_ref(), &words);
            let mut previous: Option<&str> = Some(stdio.command.value.as_str());
            for ((index, arg), documented) in stdio.args.iter().enumerate().zip(documented) {
                let described = match documented {
                    Some(ValueContext::Header { name }) => format!("argument {} (header `{name}`)", index + 1),
                    Some(ValueContext::Env { key }) => format!("argument {} (the server's `{key}`)", index + 1),
                    _ => format!("argument {}", index + 1),
                };
                fields.push((
                    documented.unwrap_or(ValueContext::Arg { previous }),
                    arg,
                    Place::Arg,
                    described,
                ));
                previous = Some(arg.value.as_str());
            }
        }
        Transport::Remote(remote) => {
            fields.push((ValueContext::Url, &remote.url, Place::Url, "the URL".into()));
            for header in &remote.headers {
                fields.push((
                    ValueContext::Header { name: &header.key },
                    &header.value,
                    Place::Header(header.key.clone()),
                    format!("header `{}`", header.key),
                ));
            }
        }
        Transport::Published(_) | Transport::Unknown => {}
    }
    for field in &server.credential_fields {
        fields.push((
            ValueContext::Field { key: &field.key },
            &field.value,
            Place::Field(field.key.clone()),
            format!("`{}`", field.key),
        ));
    }
    let mut sites = Vec::new();
    for (context, field, place, described) in fields {
        for hit in secrets::find_secrets(context, &field.value)
            .into_iter()
            .filter(|hit| !hit.placeholder)
        {
            sites.push(Site {
                server,
                field,
                place: place.clone(),
                described: described.clone(),
                hit,
            });
        }
    }
    sites
}

/// The variable each secret moves to: what it is and whose, one per distinct value, never a
/// name the file already references for something else. An env entry keeps its own name where
/// that is free (`API_KEY` -> `${API_KEY}`); three servers with three different `API_KEY`s get
/// `<SERVER>_API_KEY` each. Secrets elsewhere are always named for their server
/// (`BILLING_DB_PASSWORD`, `DOCS_TOKEN`).
struct VariableNames;

impl VariableNames {
    fn assign(config: &McpConfig, sites: &[Site<'_>]) -> Vec<String> {
        let mut taken: HashSet<String> = referenced_names(&config.document);
        let mut by_value: HashMap<&str, String> = HashMap::new();
        // A natural env name shared by sites with different values is no one's.
        let mut natural_values: HashMap<&str, HashSet<&str>> = HashMap::new();
        for site in sites {
            if let Place::Env(key) = &site.place {
                natural_values.entry(key.as_str()).or_default().insert(site.secret());
            }
        }
        let mut names = Vec::new();
        for site in sites {
            let secret = site.secret();
            if let Some(name) = by_value.get(secret) {
                names.push(name.clone());
                continue;
            }
            let owner = env_name(&site.server.name);
            // An env entry's name is the secret's own only when the secret is its whole value:
            // the password inside `DATABASE_URL`'s URL gets a variable of its own
            // (`DATABASE_PASSWORD`), and the URL keeps its shape around the reference.
            let whole_value = secret.len() == site.field.value.len();
            let natural = match &site.place {
                Place::Env(key) if is_variable_name(key) && whole_value => Some(key.clone()),
                Place::Env(key) if is_variable_name(key) => Some(site.hit.suggested_env.clone()),
                _ => None,
            };
            if let Place::Env(key) = &site.place
                && !whole_value
            {
                taken.insert(key.clone());
            }
            let base = natural.clone().unwrap_or_else(|| site.hit.suggested_env.clone());
            let qualified = if base.starts_with(&format!("{owner}_")) || base == owner {
                base.clone()
            } else {
                format!("{owner}_{base}")
            };
            let natural_free = natural
                .as_deref()
                .is_some_and(|n| !taken.contains(n) && natural_values.get(n).is_none_or(|values| values.len() == 1));
            let mut name = if natural_free { base } else { qualified };
            let stem = name.clone();
            let mut counter = 2;
            while taken.contains(&name) {
                name = format!("{stem}_{counter}");
                counter += 1;
            }
            taken.insert(name.clone());
            by_value.insert(secret, name.clone());
            names.push(name);
        }
        names
    }
}

impl Site<'_> {
    fn secret(&self) -> &str {
        self.field.value.get(self.hit.start..self.hit.end).unwrap_or_default()
    }
}

/// Whether `name` can be an environment variable's name.
fn is_variable_name(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit())
}

/// The variables the file already references (`${NAME}`, `${env:NAME}`, `os.environ/NAME`,
/// `${input:id}`, Codex's `env_vars` and `*_env_var` names), so a new reference never reuses one.
fn referenced_names(document: &Value) -> HashSet<String> {
    let mut names = HashSet::new();
    let mut pending = vec![(None::<&str>, document)];
    while let Some((key, value)) = pending.pop() {
        match value {
            Value::Object(map) => pending.extend(map.iter().map(|(k, v)| (Some(k.as_str()), v))),
            Value::Array(items) => pending.extend(items.iter().map(|v| (key, v))),
            Value::String(text) => {
                if key.is_some_and(|k| k == "env_vars" || k.ends_with("_env_var")) && is_variable_name(text) {
                    names.insert(text.clone());
                }
                for name in names_in(text) {
                    names.insert(name);
                }
            }
            _ => {}
        }
    }
    names
}

/// The names referenced inside one string.
fn names_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("${") {
        let after = &rest[open + 2..];
        let Some(close) = after.find('}') else { break };
        let inner = &after[..close];
        let inner = inner
            .strip_prefix("env:")
            .or_else(|| inner.strip_prefix("input:"))
            .unwrap_or(inner);
        let name: String = inner
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
            .collect();
        if !name.is_empty() {
            found.push(name);
        }
        rest = &after[close..];
    }
    if let Some(name) = text.strip_prefix("os.environ/") {
        found.push(name.to_owned());
    }
    found
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
#[derive(Clone)]
enum Place {
    Env(String),
    Header(String),
    Url,
    Arg,
    Field(String),
}

/// Moves the literal into the dialect's reference syntax. The title names the variable to set,
/// never the value.
fn reference_fix(
    config: &McpConfig,
    server: &Server,
    field: &Str,
    hit: &SecretMatch,
    name: &str,
    place: &Place,
) -> Fix {
    let secret = field.value.get(hit.start..hit.end).unwrap_or_default();
    let substitute = |reference: String, title: String| {
        Fix::new(
            title,
            Applicability::Unsafe,
            vec![replace_secret(field, hit, reference)],
        )
    };
    let advice = |why: &str| Fix::new(why.to_owned(), Applicability::DisplayOnly, Vec::new());
    match config.dialect {
        Dialect::ClaudeCode | Dialect::Gemini | Dialect::Qwen | Dialect::McpJson => substitute(
            format!("${{{name}}}"),
            format!("Reference `${{{name}}}` instead of the literal; set {name} in the environment"),
        ),
        // Roo and Kilo expand `${env:NAME}` anywhere in a server's config (utils/config.ts injectVariables).
        Dialect::Cursor | Dialect::Windsurf | Dialect::Roo | Dialect::Kilo => substitute(
            format!("${{env:{name}}}"),
            format!("Reference `${{env:{name}}}` instead of the literal; set {name} in the environment"),
        ),
        Dialect::Vscode => vscode_input_fix(config, field, hit, name),
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
                    _ => format!("{}_{}", env_name(&server.name), env_name(field.route.last_key().unwrap_or_default())),
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
        Dialect::AmazonQ | Dialect::Kiro | Dialect::Antigravity => advice(
            "This client's variable syntax is not verified: keep the secret out of shared copies of this file, pass it through the server's environment, and rotate it",
        ),
        // opencode substitutes `{env:NAME}` anywhere in its config text.
        Dialect::Opencode => substitute(
            format!("{{env:{name}}}"),
            format!("Reference `{{env:{name}}}` instead of the literal; set {name} in the environment"),
        ),
        // Continue: `${{ secrets.NAME }}` from its secret store (config-yaml TEMPLATE_VAR_REGEX).
        Dialect::Continue => substitute(
            format!("${{{{ secrets.{name} }}}}"),
            format!("Reference `${{{{ secrets.{name} }}}}` instead of the literal; store {name} as a Continue secret"),
        ),
        Dialect::Kubernetes => advice(
            "Move it to a Kubernetes Secret and reference it (`valueFrom.secretKeyRef`, or the operator's `secrets:`), then rotate it",
        ),
        Dialect::DockerCatalog => advice(
            "Declare it under the entry's `secrets:` (a Docker secret the gateway injects) instead of `env`, and rotate it",
        ),
        Dialect::DockerCompose => advice(&format!(
            "Write `${{{name}}}` and let compose interpolate it from the environment or an untracked `.env`, or use a compose `secrets:` entry; then rotate it"
        )),
        Dialect::McpProxy => advice(
            "mcp-proxy expands `${NAME}` only when started with `--expand-env`: keep the secret out of the file with it, and rotate it",
        ),
        Dialect::Agentgateway => advice(
            "Keep the secret out of the gateway's config (pass it through the environment the gateway runs in, or a backend auth policy) and rotate it",
        ),
        Dialect::AgenticWorkflow => advice(&format!(
            "Store it as a repository secret `{name}` and write `${{{{ secrets.{name} }}}}`; then rotate it"
        )),
        Dialect::CopilotAgent => advice(&format!(
            "Store it as a secret of the repository's `copilot` environment named `COPILOT_MCP_{name}` and write `${{{{ secrets.COPILOT_MCP_{name} }}}}`; then rotate it"
        )),
        Dialect::McpBundle => advice(&format!(
            "A bundle ships this value to every user: declare `{name}` in `user_config` with `sensitive: true` and write `${{user_config.{}}}` instead (the app asks each user and keeps it in the system keychain); rotate the shipped one",
            name.to_ascii_lowercase()
        )),
        Dialect::ServerJson => advice(
            "A published server.json gives this value to every user: drop the literal (`isSecret: true` with no `value` or `default` makes each client ask its user) and rotate it",
        ),
        Dialect::Zed => advice(
            "Zed has no variable syntax in `context_servers`: keep the secret out of shared copies of this file (a project's `.zed/settings.json` is often committed) and rotate it",
        ),
        Dialect::Goose => advice(
            "Goose keeps secrets in its secret store: remove the value from `envs`, store it with `goose configure`, and list its name in `env_keys`",
        ),
    }
}

/// VS Code prompts for an `inputs` entry once and stores it securely: add one, reference it.
fn vscode_input_fix(config: &McpConfig, field: &Str, hit: &SecretMatch, name: &str) -> Fix {
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
    edits.push(replace_secret(field, hit, format!("${{input:{id}}}")));
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
        // `env_vars` copies the variable of the same name from Codex's own environment: only
        // where that name is this secret's alone (another server's different `API_KEY` would
        // share it).
        Place::Env(key) if key != name => return None,
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

/// The edit that puts `reference` where the secret is written: by its position in the value,
/// so the same text elsewhere in it (a user name equal to the password) stays.
fn replace_secret(field: &Str, hit: &SecretMatch, reference: String) -> Edit {
    Edit::ReplaceRange {
        route: field.route.clone(),
        start: hit.start,
        end: hit.end,
        expect: field.value.get(hit.start..hit.end).unwrap_or_default().to_owned(),
        replace: reference,
    }
}

/// Whether the file has a value at `route`.
fn document_has(config: &McpConfig, route: &Route) -> bool {
    config.value_at(route).is_some()
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
        Dialect::ClaudeCode | Dialect::Gemini | Dialect::Qwen | Dialect::McpJson => {
            format!("set {name} in the environment and write `${{{name}}}`")
        }
        Dialect::Cursor | Dialect::Windsurf | Dialect::Roo | Dialect::Kilo => {
            format!("set {name} in the environment and write `${{env:{name}}}`")
        }
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
        Dialect::Opencode => format!("set {name} in the environment and write `{{env:{name}}}`"),
        Dialect::Goose => format!("store {name} in Goose's secret store (`goose configure`) and list it in `env_keys`"),
        Dialect::Continue => format!("store {name} as a Continue secret and write `${{{{ secrets.{name} }}}}`"),
        Dialect::Kubernetes => {
            format!("keep {name} in a Kubernetes Secret and reference it instead of writing the value")
        }
        Dialect::DockerCatalog => {
            format!("declare {name} under `secrets:` (a Docker secret) instead of writing it in `env`")
        }
        Dialect::DockerCompose => {
            format!(
                "write `${{{name}}}` (compose interpolates it from the environment or an untracked `.env`) instead of the value"
            )
        }
        Dialect::McpProxy => {
            format!("set {name} in the environment, write `${{{name}}}` and start mcp-proxy with `--expand-env`")
        }
        Dialect::Zed => {
            "Zed has no variable syntax here: keep the secret out of shared copies of this file and rotate it"
                .to_owned()
        }
        Dialect::Agentgateway => {
            "keep it out of the gateway's config: set it in the environment the gateway runs in".to_owned()
        }
        Dialect::AgenticWorkflow => {
            format!("store it as the repository secret `{name}` and write `${{{{ secrets.{name} }}}}`")
        }
        Dialect::CopilotAgent => format!(
            "store it as the `copilot` environment's secret `COPILOT_MCP_{name}` and write `${{{{ secrets.COPILOT_MCP_{name} }}}}`"
        ),
        Dialect::McpBundle => format!(
            "declare it in `user_config` with `sensitive: true` and write `${{user_config.{}}}`, so that each user gives their own, and rotate the shipped one",
            name.to_ascii_lowercase()
        ),
        Dialect::ServerJson => format!(
            "declare {name} with `isSecret: true` and no `value` or `default`, so that each client asks its user, and rotate the published one"
        ),
        Dialect::AmazonQ | Dialect::Kiro | Dialect::Antigravity => format!(
            "keep the secret out of shared copies of this file ({}'s variable syntax is not verified) and rotate it",
            dialect.client()
        ),
    }
}
