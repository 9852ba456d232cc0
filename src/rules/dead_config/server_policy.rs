//! `dead-config` for Claude Code's server policy: servers its managed settings keep it from
//! starting, and policy keys it reads only from managed settings.

use std::path::Path;

use crate::dialect::Dialect;
use crate::finding::Finding;
use crate::model::policy::Admission;
use crate::model::{McpConfig, Server, Transport};
use crate::rules::{LintContext, ManagedPolicy};

use super::DeadConfig;

/// The servers of a Claude Code config that the run's managed settings deny or leave off
/// their allowlist: Claude Code does not start them.
pub(super) fn blocked_servers(config: &McpConfig, context: &LintContext, findings: &mut Vec<Finding>) {
    if config.dialect != Dialect::ClaudeCode || context.policies.is_empty() {
        return;
    }
    let file_name = context.path.and_then(Path::file_name).and_then(|n| n.to_str());
    // `managed-mcp.json` holds the servers the organisation delivers: they need no allow entry.
    let managed_servers = file_name == Some("managed-mcp.json");
    for server in config.servers.iter().filter(|server| !server.disabled) {
        for managed in context.policies {
            if let Some(finding) = blocked(server, managed, managed_servers) {
                findings.push(finding);
                break;
            }
        }
    }
}

fn blocked(server: &Server, managed: &ManagedPolicy, managed_server: bool) -> Option<Finding> {
    let (message, help) = match managed.policy.admits(server, managed_server) {
        Admission::Allowed => return None,
        Admission::Denied(entry) => (
            format!(
                "Claude Code does not start server `{}`: the organisation's managed settings deny it ({} in `deniedMcpServers`, {}), and a deny wins over every allow",
                server.name,
                entry.describe(),
                managed.place(entry.source, &entry.route),
            ),
            "remove the server from this config, or ask the administrators who deploy the managed settings to lift the deny",
        ),
        Admission::NotAllowed if managed.policy.allowlist_is_authoritative() => {
            let by = match (&server.transport, managed.policy.judges_by()) {
                (Transport::Stdio(_), (true, _)) => "its command and arguments match no `serverCommand` entry",
                (Transport::Remote(_), (_, true)) => "its URL matches no `serverUrl` entry",
                _ => "its name matches no `serverName` entry",
            };
            (
                format!(
                    "Claude Code does not start server `{}`: the organisation's managed allowlist (`allowedMcpServers`, {}, with `allowManagedMcpServersOnly`) does not admit it: {by}",
                    server.name,
                    managed.places_of_key("allowedMcpServers"),
                ),
                "launch it exactly as an allowlist entry names it, or ask the administrators to add an entry for it",
            )
        }
        Admission::NotAllowed => return None,
    };
    Some(
        Finding::new(
            DeadConfig::INFO.id,
            DeadConfig::INFO.default_severity,
            message,
            &server.route,
        )
        .server(&server.name, &server.route)
        .on_key()
        .label("blocked by managed settings")
        .help(help),
    )
}

/// `allowManagedMcpServersOnly: true` in a settings file that is not managed settings: Claude
/// Code reads it only there ("When true (and set in managed settings)", its settings schema).
pub(super) fn misplaced_managed_only(config: &McpConfig, context: &LintContext, findings: &mut Vec<Finding>) {
    let Some(flag) = config
        .server_policy
        .as_ref()
        .and_then(|policy| policy.managed_only.as_ref())
    else {
        return;
    };
    let Some(path) = context.path else {
        return;
    };
    if !flag.value || crate::model::policy::is_managed_settings(path) {
        return;
    }
    findings.push(
        Finding::new(
            DeadConfig::INFO.id,
            DeadConfig::INFO.default_severity,
            "Claude Code reads `allowManagedMcpServersOnly` only from managed settings (`managed-settings.json`): here it is never read, and every settings file's `allowedMcpServers` still applies",
            &flag.route,
        )
        .on_key()
        .label("read only in managed settings")
        .help("set it in the managed settings your organisation deploys, or remove it here"),
    );
}
