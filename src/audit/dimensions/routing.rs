//! Dimension 5, multi-LLM routing & cost controls: the `model_list` and its fallbacks, retries
//! and timeouts, a budget, rate limits per deployment, and rate limits per MCP server.

use crate::audit::deployment::{ConfigFile, Deployment};
use crate::audit::{Assessment, Check, DimensionId, Effort, GapKind, Observation, Severity};
use crate::dialect::Node;

use super::{first_setting, gateways_or_not_assessed};

pub static FALLBACKS: Check = Check {
    id: "routing.fallbacks",
    dimension: DimensionId::Routing,
    kind: GapKind::Partial,
    looks_at: "fallbacks between models (`router_settings.fallbacks`, `litellm_settings.fallbacks`, `default_fallbacks`)",
    why: "one provider's outage or rate limit then fails every request for that model",
    remedy: "Define fallbacks for each production model group",
    effort: Effort::S,
    likelihood: 2,
    impact: 2,
};

pub static RETRIES_TIMEOUTS: Check = Check {
    id: "routing.retries-timeouts",
    dimension: DimensionId::Routing,
    kind: GapKind::Partial,
    looks_at: "retries (`num_retries`) and timeouts (`timeout`, `request_timeout`)",
    why: "without a timeout a hung provider holds workers; without retries a transient error reaches the user",
    remedy: "Set `router_settings.num_retries` and `router_settings.timeout`",
    effort: Effort::S,
    likelihood: 2,
    impact: 1,
};

pub static BUDGET: Check = Check {
    id: "routing.budget",
    dimension: DimensionId::Routing,
    kind: GapKind::Partial,
    looks_at: "a proxy-wide budget (`litellm_settings.max_budget`, `budget_duration`)",
    why: "a runaway agent or a leaked key spends without a ceiling",
    remedy: "Set `litellm_settings.max_budget` and `budget_duration`, and budgets per team and key",
    effort: Effort::S,
    likelihood: 2,
    impact: 2,
};

pub static RATE_LIMITS: Check = Check {
    id: "routing.rate-limits",
    dimension: DimensionId::Routing,
    kind: GapKind::Partial,
    looks_at: "rate limits per deployment (`rpm`, `tpm`) or for the proxy (`max_parallel_requests`)",
    why: "one caller can exhaust the providers' quota for everyone",
    remedy: "Set `rpm`/`tpm` on each deployment and `max_parallel_requests` for keys",
    effort: Effort::S,
    likelihood: 2,
    impact: 1,
};

pub static MCP_RATE_LIMITS: Check = Check {
    id: "routing.mcp-rate-limits",
    dimension: DimensionId::Routing,
    kind: GapKind::Partial,
    looks_at: "per-MCP-server limits (`rpm`, `max_concurrent_requests`)",
    why: "an agent in a loop can hammer a tool server, and the system behind it, without limit",
    remedy: "Set `rpm` or `max_concurrent_requests` on each MCP server",
    effort: Effort::S,
    likelihood: 2,
    impact: 1,
};

pub fn assess(deployment: &Deployment) -> Assessment {
    let gateways = match gateways_or_not_assessed(deployment, DimensionId::Routing) {
        Ok(gateways) => gateways,
        Err(not_assessed) => return not_assessed,
    };
    let mut assessment = Assessment::new(DimensionId::Routing);
    let mut routed = false;
    for config in gateways {
        if let Some((models, evidence)) = config.setting(&["model_list"])
            && let Some(models) = models.as_seq().filter(|m| !m.is_empty())
        {
            routed = true;
            assess_models(config, models, evidence, &mut assessment);
        }
        assess_mcp_limits(config, &mut assessment);
    }
    if !routed {
        return Assessment::not_assessed(
            DimensionId::Routing,
            "no `model_list` in the gateway's config: its models may live in the database (`store_model_in_db`); give the config that lists them",
        );
    }
    assessment
        .static_limits
        .push("budgets and limits per key, team and user live in the proxy's database".into());
    assessment
}

fn assess_models(config: &ConfigFile, models: &[Node], evidence: crate::audit::Evidence, assessment: &mut Assessment) {
    let groups: std::collections::BTreeSet<&str> = models
        .iter()
        .filter_map(|m| m.get("model_name").and_then(Node::as_str))
        .collect();
    let routing = config.line_of(&config.report.config.config_root, &["router_settings"]);
    let fallbacks: &[&[&str]] = &[
        &["router_settings", "fallbacks"],
        &["litellm_settings", "fallbacks"],
        &["litellm_settings", "default_fallbacks"],
        &["router_settings", "default_fallbacks"],
        &["litellm_settings", "context_window_fallbacks"],
    ];
    match first_setting(config, fallbacks) {
        Some((_, at, key)) => assessment.observations.push(Observation::in_place(
            &FALLBACKS,
            format!("fallbacks are set (`{key}`)"),
            Some(at),
        )),
        None => assessment.observations.push(Observation::gap(
            &FALLBACKS,
            Severity::Medium,
            format!(
                "{} and no fallbacks: a provider outage fails its requests",
                if groups.len() == 1 {
                    "1 model group".to_owned()
                } else {
                    format!("{} model groups", groups.len())
                }
            ),
            Some(evidence.clone()),
        )),
    }
    let retries = first_setting(
        config,
        &[
            &["router_settings", "num_retries"],
            &["litellm_settings", "num_retries"],
        ],
    );
    let timeouts = first_setting(
        config,
        &[
            &["router_settings", "timeout"],
            &["litellm_settings", "request_timeout"],
        ],
    )
    .or_else(|| {
        models.iter().find_map(|m| {
            let params = m.get("litellm_params")?;
            params.get("timeout").map(|node| {
                (
                    node,
                    config.evidence(node.span.start),
                    "litellm_params.timeout".to_owned(),
                )
            })
        })
    });
    match (&retries, &timeouts) {
        (Some((_, at, r)), Some((_, _, t))) => assessment.observations.push(Observation::in_place(
            &RETRIES_TIMEOUTS,
            format!("retries (`{r}`) and timeouts (`{t}`) are set"),
            Some(at.clone()),
        )),
        _ => {
            let missing = match (&retries, &timeouts) {
                (None, None) => "neither retries nor timeouts are set",
                (None, Some(_)) => "no retries are set",
                _ => "no timeout is set",
            };
            assessment.observations.push(Observation::gap(
                &RETRIES_TIMEOUTS,
                Severity::Low,
                missing,
                Some(routing.clone()),
            ));
        }
    }
    match first_setting(config, &[&["litellm_settings", "max_budget"]]) {
        Some((_, at, _)) => assessment.observations.push(Observation::in_place(
            &BUDGET,
            "a proxy-wide budget is set (`max_budget`)",
            Some(at),
        )),
        None => assessment.observations.push(Observation::gap(
            &BUDGET,
            Severity::Medium,
            "no proxy-wide budget (`litellm_settings.max_budget`) in the files",
            Some(config.line_of(&config.report.config.config_root, &["litellm_settings"])),
        )),
    }
    let limited = models.iter().find(|m| {
        m.get("litellm_params")
            .is_some_and(|p| p.get("rpm").is_some() || p.get("tpm").is_some())
    });
    let parallel = first_setting(
        config,
        &[
            &["general_settings", "max_parallel_requests"],
            &["general_settings", "global_max_parallel_requests"],
        ],
    );
    match (limited, parallel) {
        (Some(model), _) => assessment.observations.push(Observation::in_place(
            &RATE_LIMITS,
            "deployments carry `rpm`/`tpm` limits",
            Some(config.evidence(model.span.start)),
        )),
        (None, Some((_, at, key))) => assessment.observations.push(Observation::in_place(
            &RATE_LIMITS,
            format!("parallel requests are capped (`{key}`)"),
            Some(at),
        )),
        (None, None) => assessment.observations.push(Observation::gap(
            &RATE_LIMITS,
            Severity::Low,
            "no deployment has `rpm`/`tpm` and no parallel-request cap is set",
            Some(evidence),
        )),
    }
}

fn assess_mcp_limits(config: &ConfigFile, assessment: &mut Assessment) {
    let Some((servers, evidence)) = config.setting(&["mcp_servers"]) else {
        return;
    };
    let Some(entries) = servers.as_map().filter(|e| !e.is_empty()) else {
        return;
    };
    let limited = entries
        .iter()
        .filter(|e| e.value.get("rpm").is_some() || e.value.get("max_concurrent_requests").is_some())
        .count();
    if limited == entries.len() {
        assessment.observations.push(Observation::in_place(
            &MCP_RATE_LIMITS,
            format!("every MCP server ({limited}) has a rate or concurrency limit"),
            Some(evidence),
        ));
    } else {
        assessment.observations.push(Observation::gap(
            &MCP_RATE_LIMITS,
            Severity::Low,
            format!(
                "{} of {} MCP servers have no `rpm` or `max_concurrent_requests`",
                entries.len() - limited,
                entries.len()
            ),
            Some(evidence),
        ));
    }
}
