//! Dimension 1, tool-access governance & RBAC: per-server tool allowlists with enforcement,
//! which keys reach which servers (`allow_all_keys`, access groups,
//! `require_key_mcp_access_defined`), servers offered to the public internet, auto-approval.

use crate::audit::deployment::Deployment;
use crate::audit::{Assessment, Check, DimensionId, Effort, GapKind, Observation};

use super::gateways_or_not_assessed;

pub static TOOL_ALLOWLIST: Check = Check {
    id: "governance.tool-allowlist",
    dimension: DimensionId::Governance,
    kind: GapKind::Partial,
    looks_at: "a per-server tool allowlist the client or gateway enforces",
    why: "without one, any caller reaches every tool of the server, write and destructive tools included (OWASP LLM06)",
    remedy: "Add enforced tool allowlists to every server (`mcp-lint --fix --unsafe-fixes` inserts lists that deny until filled in)",
    effort: Effort::S,
    likelihood: 3,
    impact: 3,
};

pub static KEY_GRANTS: Check = Check {
    id: "governance.key-grants",
    dimension: DimensionId::Governance,
    kind: GapKind::Partial,
    looks_at: "`require_key_mcp_access_defined`: a key reaches only the MCP servers granted to it",
    why: "a key without its own MCP grants inherits every server of its team",
    remedy: "Set `general_settings.require_key_mcp_access_defined: true`",
    effort: Effort::S,
    likelihood: 2,
    impact: 2,
};

pub static ALL_KEYS: Check = Check {
    id: "governance.allow-all-keys",
    dimension: DimensionId::Governance,
    kind: GapKind::Partial,
    looks_at: "servers open to every virtual key (`allow_all_keys: true`)",
    why: "every key the proxy issues, for any team or tool, can call the server",
    remedy: "Replace `allow_all_keys` with `access_groups` granted to the teams that need the server",
    effort: Effort::M,
    likelihood: 3,
    impact: 3,
};

pub static PUBLIC_INTERNET: Check = Check {
    id: "governance.public-internet",
    dimension: DimensionId::Governance,
    kind: GapKind::Partial,
    looks_at: "internal servers offered to public-internet callers (`available_on_public_internet`)",
    why: "LiteLLM offers a server to callers outside `mcp_internal_ip_ranges` unless told not to",
    remedy: "Set `available_on_public_internet: false` on internal servers",
    effort: Effort::S,
    likelihood: 2,
    impact: 3,
};

pub static AUTO_APPROVE: Check = Check {
    id: "governance.auto-approve",
    dimension: DimensionId::Governance,
    kind: GapKind::Partial,
    looks_at: "client settings that run tools without confirmation",
    why: "an agent steered by injected content runs tools with nobody asked",
    remedy: "Turn off auto-approval for tools that write, delete or run code",
    effort: Effort::S,
    likelihood: 2,
    impact: 2,
};

pub static TOOL_DESCRIPTIONS: Check = Check {
    id: "governance.tool-descriptions",
    dimension: DimensionId::Governance,
    kind: GapKind::Partial,
    looks_at: "tool descriptions `mcp-lint probe` recorded in mcp-lint.lock, for instructions hidden from the user",
    why: "the model obeys a description it reads whether or not the tool is called: a poisoned one steers every session",
    remedy: "Remove the server or pin a release whose tools say only what they do, then probe and record again",
    effort: Effort::S,
    likelihood: 1,
    impact: 3,
};

pub static SERVER_ALLOWLIST: Check = Check {
    id: "governance.server-allowlist",
    dimension: DimensionId::Governance,
    kind: GapKind::Partial,
    looks_at: "an organisation's server allowlist the client enforces (Claude Code's managed `allowedMcpServers` with `allowManagedMcpServersOnly`)",
    why: "without it every user and every repository's `.mcp.json` adds the servers it likes, unreviewed packages included",
    remedy: "Deploy managed settings with `allowedMcpServers` naming the reviewed servers by exact `serverCommand` (pinned) and `serverUrl`, and `allowManagedMcpServersOnly: true`",
    effort: Effort::M,
    likelihood: 2,
    impact: 3,
};

pub static TOXIC_FLOWS: Check = Check {
    id: "governance.toxic-flows",
    dimension: DimensionId::Governance,
    kind: GapKind::Partial,
    looks_at: "the servers one agent gets together: a tool that reads private data, one that takes in text anyone can write and one that sends data out",
    why: "text planted in an issue, a page or a message can make the agent read private data and send it out, however well each server is pinned and allowlisted",
    remedy: "Split the servers that send data out from those that read private data or untrusted text into separate agents, or deny those tools in the allowlists",
    effort: Effort::M,
    likelihood: 2,
    impact: 3,
};

pub fn assess(deployment: &Deployment) -> Assessment {
    let mut assessment = Assessment::new(DimensionId::Governance);
    let gateways = match gateways_or_not_assessed(deployment, DimensionId::Governance) {
        Ok(gateways) => gateways,
        Err(not_assessed) if deployment.configs.is_empty() => return not_assessed,
        Err(_) => Vec::new(),
    };
    for config in deployment.configs_with_servers() {
        let servers = &config.report.config.servers;
        let enforced = servers
            .iter()
            .filter(|server| server.tools.allow.as_ref().is_some_and(|list| !list.items.is_empty()))
            .count();
        if enforced > 0 {
            let route = config.report.config.servers_route.clone().unwrap_or_default();
            let span = config.report.root.key_span_at(&route).unwrap_or_default();
            assessment.observations.push(Observation::in_place(
                &TOOL_ALLOWLIST,
                format!("{enforced} of {} servers list the tools they expose", servers.len()),
                Some(config.evidence(span.start)),
            ));
        }
    }
    for config in &gateways {
        if let Some((node, evidence)) = config.setting(&["general_settings", "require_key_mcp_access_defined"])
            && node.as_bool() == Some(true)
        {
            assessment.observations.push(Observation::in_place(
                &KEY_GRANTS,
                "keys reach only the MCP servers granted to them (`require_key_mcp_access_defined: true`)",
                Some(evidence),
            ));
        }
        let grouped = config
            .report
            .config
            .servers
            .iter()
            .filter(|s| s.has_access_groups())
            .count();
        if grouped > 0 {
            assessment.observations.push(Observation::in_place(
                &ALL_KEYS,
                format!(
                    "{} granted through access groups",
                    crate::audit::score::plural_verb(grouped, "server is", "servers are")
                ),
                Some(config.line_of(&config.report.config.config_root, &["mcp_servers"])),
            ));
        }
    }
    server_allowlists(deployment, &mut assessment);
    if !gateways.is_empty() {
        assessment.static_limits.push(
            "the MCP permissions of keys, teams and organisations (`object_permission`) live in the proxy's database"
                .into(),
        );
    }
    assessment
}

/// Claude Code's managed settings in the deployment: an allowlist only they set is in place;
/// one that users' and projects' settings may add to is a gap.
fn server_allowlists(deployment: &Deployment, assessment: &mut Assessment) {
    // One policy per managed folder: `managed-settings.json` and its drop-ins read as one.
    let managed = deployment.policies.len();
    for managed_policy in &deployment.policies {
        let policy = &managed_policy.policy;
        let Some(allowed) = &policy.allowed else {
            continue;
        };
        // The first file that sets the allowlist holds the evidence.
        let evidence = managed_policy
            .lines
            .iter()
            .find(|(_, route, _)| *route == crate::dialect::Route::root().key("allowedMcpServers"))
            .and_then(|(source, _, _)| managed_policy.files.get(*source))
            .and_then(|file| deployment.configs.iter().find(|c| c.report.source.path == *file))
            .map(|config| config.line_of(&crate::dialect::Route::root(), &["allowedMcpServers"]));
        if policy.allowlist_is_authoritative() {
            assessment.observations.push(Observation::in_place(
                &SERVER_ALLOWLIST,
                format!(
                    "Claude Code starts only the servers its managed settings admit ({} in `allowedMcpServers`, `allowManagedMcpServersOnly: true`)",
                    crate::audit::score::plural_verb(allowed.len(), "entry", "entries")
                ),
                evidence,
            ));
        } else {
            assessment.observations.push(Observation::gap(
                &SERVER_ALLOWLIST,
                crate::audit::Severity::Medium,
                "Claude Code's managed `allowedMcpServers` is set without `allowManagedMcpServersOnly`: a user's or project's settings add servers to it",
                evidence,
            ));
        }
    }
    let claude_code_servers = deployment
        .configs_with_servers()
        .any(|config| config.report.dialect == crate::dialect::Dialect::ClaudeCode);
    if managed == 0 && claude_code_servers {
        assessment.static_limits.push(
            "Claude Code's managed settings live on each machine (`/etc/claude-code/managed-settings.json`), not beside the configs: pass their folder to the audit to assess the organisation's server allowlist"
                .into(),
        );
    }
}
