//! Dimension 2, fail-closed versus fail-open: controls that allow everything when they are
//! empty, missing or broken (an empty `allowed_tools`, no master key, every address internal,
//! requests let through when the database is down, guardrails that only log).

use crate::audit::deployment::{ConfigFile, Deployment};
use crate::audit::{Assessment, Check, DimensionId, Effort, GapKind, Observation, Severity};
use crate::dialect::Node;

use super::resolver::{self, OnError};
use super::{gateways_or_not_assessed, strings};

pub static MASTER_KEY: Check = Check {
    id: "fail-closed.master-key",
    dimension: DimensionId::FailClosed,
    kind: GapKind::FailsOpen,
    looks_at: "a master key, without which LiteLLM authenticates nobody",
    why: "with no master key every caller is admin: keys, budgets and MCP permissions are not checked",
    remedy: "Set `general_settings.master_key: os.environ/LITELLM_MASTER_KEY` from a secret",
    effort: Effort::S,
    likelihood: 2,
    impact: 3,
};

pub static EMPTY_ALLOWLIST: Check = Check {
    id: "fail-closed.empty-allowlist",
    dimension: DimensionId::FailClosed,
    kind: GapKind::FailsOpen,
    looks_at: "an empty `allowed_tools` without `mcp_info.tool_allowlist_enforced`",
    why: "LiteLLM reads an empty allowlist as \"every tool\" unless enforcement is on",
    remedy: "Set `mcp_info: {tool_allowlist_enforced: true}` beside every `allowed_tools`",
    effort: Effort::S,
    likelihood: 3,
    impact: 3,
};

pub static EMPTY_RULES: Check = Check {
    id: "fail-closed.empty-rules",
    dimension: DimensionId::FailClosed,
    kind: GapKind::FailsOpen,
    looks_at: "agentgateway `mcpAuthorization` with no rule (`rules: []`)",
    why: "agentgateway allows every tool when no rule is set: an emptied rule list opens everything",
    remedy: "Keep an allow rule in every `mcpAuthorization` (`mcp.tool.name == \"<tool>\"`) for the tools the targets may call",
    effort: Effort::S,
    likelihood: 3,
    impact: 3,
};

pub static CALLER_AUTHENTICATION: Check = Check {
    id: "fail-closed.caller-authentication",
    dimension: DimensionId::FailClosed,
    kind: GapKind::FailsOpen,
    looks_at: "a gateway that refuses callers without credentials (agentgateway authentication in `mode: strict`, an Envoy AI Gateway `MCPRoute` `securityPolicy`, mcp-proxy `authTokens`)",
    why: "a gateway that authenticates nobody, or lets a request without credentials through, gives every caller that reaches it the tools behind it",
    remedy: "Authenticate every caller at the gateway and refuse requests without valid credentials (agentgateway `mode: strict`)",
    effort: Effort::M,
    likelihood: 3,
    impact: 3,
};

pub static FLOWS_BY_DEFAULT: Check = Check {
    id: "fail-closed.flows-by-default",
    dimension: DimensionId::FailClosed,
    kind: GapKind::FailsOpen,
    looks_at: "toxic flows among servers none of which limits its tools: the flow is what exposing every tool by default gives",
    why: "a client that exposes every tool of a server unless told otherwise hands one agent private data, untrusted text and a way out together",
    remedy: "Give each server an allowlist of the tools the agent needs (the sink tools left out), or split the servers into separate agents",
    effort: Effort::S,
    likelihood: 2,
    impact: 3,
};

pub static INTERNAL_RANGES: Check = Check {
    id: "fail-closed.internal-ranges",
    dimension: DimensionId::FailClosed,
    kind: GapKind::FailsOpen,
    looks_at: "`mcp_internal_ip_ranges` that count every address as internal",
    why: "servers kept off the public internet are then open to the internet",
    remedy: "List only the proxy's private networks in `mcp_internal_ip_ranges`",
    effort: Effort::S,
    likelihood: 2,
    impact: 3,
};

pub static DB_UNAVAILABLE: Check = Check {
    id: "fail-closed.db-unavailable",
    dimension: DimensionId::FailClosed,
    kind: GapKind::FailsOpen,
    looks_at: "`allow_requests_on_db_unavailable`, which admits requests when key checks cannot run",
    why: "a database outage, or an attacker who causes one, turns key checks off",
    remedy: "Remove `allow_requests_on_db_unavailable` (or set it false) and make the database highly available",
    effort: Effort::S,
    likelihood: 1,
    impact: 3,
};

pub static GUARDRAIL_MODE: Check = Check {
    id: "fail-closed.guardrail-mode",
    dimension: DimensionId::FailClosed,
    kind: GapKind::Partial,
    looks_at: "guardrails that only log (`mode: logging_only`) or run only when a request asks (`default_on` unset)",
    why: "a guardrail that logs or must be asked for blocks nothing by default",
    remedy: "Run guardrails in a blocking mode (`pre_call`, `pre_mcp_call`) with `default_on: true`",
    effort: Effort::M,
    likelihood: 2,
    impact: 2,
};

pub static TOOL_PERMISSION_DEFAULT: Check = Check {
    id: "fail-closed.tool-permission-default",
    dimension: DimensionId::FailClosed,
    kind: GapKind::FailsOpen,
    looks_at: "the `tool_permission` guardrail's `default_action` for tools no rule names",
    why: "`default_action: allow` lets every tool no rule mentions through, new tools included",
    remedy: "Set the tool_permission guardrail's `default_action: deny` and list the allowed tools",
    effort: Effort::S,
    likelihood: 2,
    impact: 2,
};

pub static GATEWAY_SAFEGUARDS: Check = Check {
    id: "fail-closed.gateway-safeguards",
    dimension: DimensionId::FailClosed,
    kind: GapKind::FailsOpen,
    looks_at: "Docker MCP gateway flags that turn a default safeguard off (`--verify-signatures=false`, `--block-secrets=false`, `--allow-unauthenticated`, `--enable-all-servers`)",
    why: "each flag makes a gateway that fails closed fail open: unsigned images run, secrets pass, any caller is served",
    remedy: "Drop the flags and name the servers with `--servers` (`mcp-lint --fix --unsafe-fixes` drops the first three)",
    effort: Effort::S,
    likelihood: 2,
    impact: 3,
};

pub static RESOLVER: Check = Check {
    id: "fail-closed.resolver",
    dimension: DimensionId::FailClosed,
    kind: GapKind::Partial,
    looks_at: "how the LiteLLM release the deployment runs answers an error while working out a caller's MCP servers (`get_allowed_mcp_servers`, read from each release's source)",
    why: "on an unexpected error the resolver hands the caller a set of servers no grant gave it, instead of none",
    remedy: "Run a release whose resolver denies on error, or patch the `except` branch of `get_allowed_mcp_servers` to return no server, with a deny-on-error regression test; meanwhile keep `allow_all_keys` off servers that write",
    effort: Effort::S,
    likelihood: 1,
    impact: 3,
};

pub fn assess(deployment: &Deployment) -> Assessment {
    let gateways = match gateways_or_not_assessed(deployment, DimensionId::FailClosed) {
        Ok(gateways) => gateways,
        // Another gateway (agentgateway, an Envoy AI Gateway route, mcp-proxy, Docker's MCP
        // gateway): what the rules find of its fail-open defaults is assessed, the LiteLLM
        // settings are not there to look at.
        Err(_) if deployment.routing_gateways().next().is_some() => {
            let mut assessment = Assessment::new(DimensionId::FailClosed);
            assessment.static_limits.push(
                "the gateways here are not LiteLLM: their fail-open defaults are judged by the lint rules (caller authentication, empty allowlists, disabled safeguards); LiteLLM's own settings do not apply".into(),
            );
            return assessment;
        }
        Err(not_assessed) => return not_assessed,
    };
    let mut assessment = Assessment::new(DimensionId::FailClosed);
    assess_resolver(deployment, &gateways, &mut assessment);
    for config in gateways {
        if let Some((node, evidence)) = config.setting(&["general_settings", "allow_requests_on_db_unavailable"])
            && node.as_bool() == Some(true)
        {
            assessment.observations.push(Observation::gap(
                &DB_UNAVAILABLE,
                Severity::High,
                "`allow_requests_on_db_unavailable: true`: when the database cannot be reached, requests pass without their key being checked",
                Some(evidence),
            ));
        }
        if let Some((node, evidence)) = config.setting(&["general_settings", "master_key"])
            && node.as_str().is_some_and(|key| !key.trim().is_empty())
        {
            assessment.observations.push(Observation::in_place(
                &MASTER_KEY,
                "the proxy requires a key (`master_key` is set)",
                Some(evidence),
            ));
        }
        let Some((guardrails, _)) = config.setting(&["guardrails"]) else {
            continue;
        };
        for guardrail in guardrails.as_seq().unwrap_or_default() {
            assess_guardrail(config, guardrail, &mut assessment);
        }
    }
    assessment
}

fn assess_guardrail(config: &crate::audit::deployment::ConfigFile, guardrail: &Node, assessment: &mut Assessment) {
    let name = guardrail
        .get("guardrail_name")
        .and_then(Node::as_str)
        .unwrap_or("(unnamed)");
    let Some(params) = guardrail.get("litellm_params") else {
        return;
    };
    let evidence = Some(config.evidence(guardrail.span.start));
    let modes = params.get("mode").map(strings).unwrap_or_default();
    if !modes.is_empty() && modes.iter().all(|mode| *mode == "logging_only") {
        assessment.observations.push(Observation::gap(
            &GUARDRAIL_MODE,
            Severity::Medium,
            format!("guardrail `{name}` only logs (`mode: logging_only`): it blocks nothing"),
            evidence.clone(),
        ));
    } else if params.get("default_on").and_then(Node::as_bool) != Some(true) {
        assessment.observations.push(Observation::gap(
            &GUARDRAIL_MODE,
            Severity::Low,
            format!("guardrail `{name}` runs only for requests that name it (`default_on` is not true)"),
            evidence.clone(),
        ));
    } else {
        assessment.observations.push(Observation::in_place(
            &GUARDRAIL_MODE,
            format!("guardrail `{name}` runs on every request ({})", modes.join(", ")),
            evidence.clone(),
        ));
    }
    if params.get("guardrail").and_then(Node::as_str) == Some("tool_permission")
        && params.get("default_action").and_then(Node::as_str) == Some("allow")
    {
        assessment.observations.push(Observation::gap(
            &TOOL_PERMISSION_DEFAULT,
            Severity::Medium,
            format!("guardrail `{name}` allows every tool no rule names (`default_action: allow`)"),
            evidence,
        ));
    }
}

/// The fail-open resolver of the reference audit, judged for the release the files name.
fn assess_resolver(deployment: &Deployment, gateways: &[&ConfigFile], assessment: &mut Assessment) {
    if gateways.is_empty() {
        return;
    }
    let Some((version, evidence, written)) = resolver::deployed_version(deployment) else {
        assessment.static_limits.push(
            "how the MCP permission resolver answers an error: not assessed (static only), as no file names the LiteLLM release (a chart `image.tag` or a workload image with a version; a digest alone names none)"
                .to_owned(),
        );
        return;
    };
    let Some(answer) = resolver::on_error(version) else {
        assessment.static_limits.push(format!(
            "how the MCP permission resolver of LiteLLM {version} (`{written}`) answers an error: not assessed (static only), as its source was not read (the table covers 1.75.0 to {})",
            resolver::NEWEST_READ
        ));
        return;
    };
    // The servers every key reaches: what an error hands to any caller.
    let public: Vec<String> = gateways
        .iter()
        .flat_map(|config| {
            config.report.config.servers.iter().filter(|server| {
                server
                    .litellm
                    .as_ref()
                    .and_then(|litellm| litellm.allow_all_keys.as_ref())
                    .is_some_and(|flag| flag.value)
            })
        })
        .map(|server| format!("`{}`", server.name))
        .collect();
    let submitted = if answer == OnError::AllowAllKeysAndSubmitted {
        " and every server users submitted at runtime"
    } else {
        ""
    };
    let observation = match answer {
        OnError::NoServer => Observation::in_place(
            &RESOLVER,
            format!("LiteLLM {version} denies every MCP server when working out a caller's servers fails"),
            Some(evidence),
        ),
        OnError::EveryServer => {
            let mut gap = Observation::gap(
                &RESOLVER,
                Severity::Critical,
                format!(
                    "LiteLLM {version} answers an error while working out a caller's MCP servers with every registered server: any fault gives any caller every server"
                ),
                Some(evidence),
            );
            gap.kind = Some(GapKind::FailsOpen);
            gap
        }
        // Bounded to nothing these files define: the flaw is there, its reach here is small.
        OnError::AllowAllKeys | OnError::AllowAllKeysAndSubmitted if public.is_empty() => Observation::gap(
            &RESOLVER,
            Severity::Low,
            format!(
                "LiteLLM {version} answers an error while working out a caller's MCP servers with the `allow_all_keys` servers{submitted} instead of none; no server in these files is marked `allow_all_keys`, so it reaches no server they define"
            ),
            Some(evidence),
        ),
        OnError::AllowAllKeys | OnError::AllowAllKeysAndSubmitted => Observation::gap(
            &RESOLVER,
            Severity::Critical,
            format!(
                "LiteLLM {version} answers an error while working out a caller's MCP servers with the `allow_all_keys` servers{submitted} instead of none: {} reachable by any caller whose grants failed to resolve",
                public.join(", ")
            ),
            Some(evidence),
        ),
    };
    assessment.observations.push(observation);
}
