//! `dead-config`: configuration the client never reads.

use serde_json::Value;

use crate::dialect::{Dialect, Route};
use crate::finding::{Finding, Severity};
use crate::model::McpConfig;

use super::{FixAvailability, LintContext, Rule, RuleInfo, declare_rule};

mod server_policy;

declare_rule! {
    /// ## What it does
    /// Flags settings the client reads past without a word: servers under a key that client
    /// does not read (`servers` in a Cursor or Claude Code file), keys a server entry does not
    /// have in that client (`disabled` in Cursor, `disabledTools` in Claude Code), unknown keys in
    /// Codex server tables (Codex ignores them; with a suggestion where it looks like a slip, as
    /// `enable_tools` for `enabled_tools`), top-level Codex settings written below a
    /// `[mcp_servers.<name>]` header (TOML puts them in that server's table), LiteLLM
    /// `general_settings` (`master_key`, `require_key_mcp_access_defined`, `enable_jwt_auth`,
    /// `allow_requests_on_db_unavailable`, ...) written at the top level or under
    /// `litellm_settings`, where the proxy never reads them, a server name written twice in one map (the
    /// loader keeps the last), and a server map nested in itself (`mcpServers.mcpServers`).
    ///
    /// With Claude Code's managed settings in the run (`managed-settings.json`, read under
    /// `check --user` from `/etc/claude-code`, or named on the command line), also the servers of
    /// the run's Claude Code configs that it never starts: one a `deniedMcpServers` entry matches
    /// (by `serverName`, the exact `serverCommand` array, or a `serverUrl` pattern), and, where
    /// `allowManagedMcpServersOnly` makes the managed `allowedMcpServers` the only allowlist, one
    /// no entry admits (a stdio server by `serverCommand` when the list has such entries, a
    /// remote by `serverUrl` when it has those, otherwise by `serverName`; the servers of
    /// `managed-mcp.json` need no entry). Claude Code expands a `${VAR}` either side from its
    /// environment: a server that one could make match is not judged. And `allowManagedMcpServersOnly` in a
    /// user's or project's settings, where Claude Code never reads it.
    ///
    /// A key that changes nothing when ignored (`"disabled": false` where the client has no such
    /// switch) is not reported.
    ///
    /// ## Why is this bad?
    /// The setting you wrote is not the setting that runs. A misspelt allowlist is no allowlist,
    /// a `disabled: true` the client ignores leaves the server running, and a `sandbox_mode` that
    /// landed in a server table leaves Codex on its default sandbox.
    ///
    /// ## Example
    /// ```toml
    /// [mcp_servers.docs]
    /// url = "https://docs.example.com/mcp"
    ///
    /// sandbox_mode = "workspace-write"
    /// ```
    /// Use instead:
    /// ```toml
    /// sandbox_mode = "workspace-write"
    ///
    /// [mcp_servers.docs]
    /// url = "https://docs.example.com/mcp"
    /// ```
    ///
    /// ## Fix
    /// Not fixed automatically: whether to move, rename or delete the setting is the author's
    /// call. The message names the key the client reads, where there is one.
    ///
    /// ## References
    /// - DIALECTS.md section 12 (unknown keys: ignored by Codex, stripped by zod-based clients)
    /// - LiteLLM `proxy_server.py` (`general_settings.master_key`)
    pub struct DeadConfig {
        id: "dead-config",
        summary: "The client never reads this part of the config",
        severity: Severity::Warning,
        fix: FixAvailability::None,
    }
}

impl Rule for DeadConfig {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_in(&self, config: &McpConfig, context: &LintContext, findings: &mut Vec<Finding>) {
        self.check(config, findings);
        server_policy::blocked_servers(config, context, findings);
        server_policy::misplaced_managed_only(config, context, findings);
    }

    fn check(&self, config: &McpConfig, findings: &mut Vec<Finding>) {
        findings.extend(super::shape_findings(config, &Self::INFO, true));
        for issue in super::unreported_schema_issues(config, true) {
            if changes_nothing(config.value_at(&issue.route), &issue.route) {
                continue;
            }
            let server = config.server_containing(&issue.route);
            let message = match (config.dialect, server, issue.route.last_key()) {
                (Dialect::Codex, Some(server), Some(key)) if is_codex_top_level_key(key) => format!(
                    "`{key}` is a top-level Codex setting, but it sits in the `[mcp_servers.{}]` table (TOML puts every key after a table header in that table): Codex ignores it here",
                    server.name
                ),
                _ => issue.message.clone(),
            };
            let mut finding = Finding::new(Self::INFO.id, Self::INFO.default_severity, message, &issue.route)
                .on_key()
                .label("never read");
            if let Some(server) = server {
                finding = finding.server(&server.name, &server.route);
            }
            if config.dialect == Dialect::Codex && issue.route.last_key().is_some_and(is_codex_top_level_key) {
                finding = finding.help("move it above the first `[table]` header of the file");
            }
            findings.push(finding);
        }
        if config.dialect.is_litellm() {
            misplaced_general_settings(config, findings);
        }
    }
}

/// An ignored key whose value is what the client does anyway: `disabled: false`, `enabled: true`,
/// an empty `alwaysAllow: []` or `env: {}`. An empty allowlist is the exception: where it is read
/// it denies every tool, so losing it to a misspelling changes everything.
fn changes_nothing(value: Option<&Value>, route: &Route) -> bool {
    let key = route.last_key().unwrap_or_default();
    let allowlist = key.to_ascii_lowercase().replace(['_', '-'], "").contains("tools");
    match value {
        Some(Value::Bool(false)) => matches!(key, "disabled" | "disable"),
        Some(Value::Bool(true)) => key == "enabled",
        Some(Value::Array(items)) => items.is_empty() && !allowlist,
        Some(Value::Object(entries)) => entries.is_empty() && !allowlist,
        Some(Value::Null) => !allowlist,
        _ => false,
    }
}

/// Settings of Codex's `config.toml` that belong at the top of the file (Codex 0.169 schema and
/// its generated reference config).
fn is_codex_top_level_key(key: &str) -> bool {
    const KEYS: &[&str] = &[
        "approval_policy",
        "approvals_reviewer",
        "chatgpt_base_url",
        "cli_auth_credentials_store",
        "developer_instructions",
        "file_opener",
        "forced_login_method",
        "hide_agent_reasoning",
        "instructions",
        "mcp_oauth_credentials_store",
        "model",
        "model_auto_compact_token_limit",
        "model_context_window",
        "model_provider",
        "model_reasoning_effort",
        "model_reasoning_summary",
        "model_verbosity",
        "notify",
        "personality",
        "plan_mode_reasoning_effort",
        "profile",
        "review_model",
        "sandbox_mode",
        "service_tier",
        "show_raw_agent_reasoning",
        "tool_output_token_limit",
        "web_search",
    ];
    KEYS.contains(&key)
}

/// Settings LiteLLM's proxy reads only from `general_settings` (`general_settings.get(...)` in
/// `proxy_server.py` and the MCP auth code, LiteLLM 1.106.2). Written at the top level they are
/// ignored; under `litellm_settings` each is set as an attribute of the `litellm` module that no
/// code reads.
const GENERAL_SETTINGS: [&str; 10] = [
    "master_key",
    "require_key_mcp_access_defined",
    "enable_jwt_auth",
    "litellm_jwtauth",
    "allow_requests_on_db_unavailable",
    "store_model_in_db",
    "mcp_internal_ip_ranges",
    "alerting",
    "disable_spend_logs",
    "database_url",
];

/// A setting of `general_settings` written elsewhere: the proxy runs as if it were unset.
fn misplaced_general_settings(config: &McpConfig, findings: &mut Vec<Finding>) {
    let root = &config.config_root;
    for key in GENERAL_SETTINGS {
        // While `general_settings` lacks it, rbac-gap reports a misplaced
        // `require_key_mcp_access_defined` at its line, with what it leaves open.
        if key == "require_key_mcp_access_defined" && config.value_at(&root.key("general_settings").key(key)).is_none()
        {
            continue;
        }
        for (place, where_) in [
            (root.key(key), "at the top level"),
            (root.key("litellm_settings").key(key), "under `litellm_settings`"),
        ] {
            // `false` or null where the default is off changes nothing when ignored.
            if config
                .value_at(&place)
                .is_some_and(|value| !matches!(value, serde_json::Value::Null | serde_json::Value::Bool(false)))
            {
                findings.push(
                    Finding::new(
                        DeadConfig::INFO.id,
                        DeadConfig::INFO.default_severity,
                        format!(
                            "LiteLLM reads `{key}` only under `general_settings`: {where_} it is never read, and the proxy runs as if it were unset"
                        ),
                        &place,
                    )
                    .on_key()
                    .label("read only under general_settings")
                    .help(format!("move `{key}` under `general_settings`")),
                );
            }
        }
    }
}
