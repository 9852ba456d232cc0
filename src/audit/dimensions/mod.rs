//! The seven dimensions, one module each: its checks (the rubric lines of `docs/audit.md`) and
//! the assessment that turns the deployment's files into observations. Findings of the lint
//! rules join the dimension their check belongs to, so a gap is reported once.

pub mod fail_closed;
pub mod field_failures;
pub mod governance;
pub mod observability;
pub mod onboarding;
pub mod production;
pub mod resolver;
pub mod routing;
pub mod secrets;

use crate::dialect::Node;
use crate::finding;

use super::deployment::{ConfigFile, Deployment};
use super::{Assessment, Check, DimensionId, Observation, Severity};

/// Every check of the rubric, by dimension (docs/audit.md has a line for each).
pub static CHECKS: &[&Check] = &[
    &governance::TOOL_ALLOWLIST,
    &governance::KEY_GRANTS,
    &governance::ALL_KEYS,
    &governance::PUBLIC_INTERNET,
    &governance::AUTO_APPROVE,
    &governance::TOOL_DESCRIPTIONS,
    &governance::SERVER_ALLOWLIST,
    &governance::TOXIC_FLOWS,
    &field_failures::WRITE_UNLIMITED,
    &fail_closed::MASTER_KEY,
    &fail_closed::EMPTY_ALLOWLIST,
    &fail_closed::EMPTY_RULES,
    &fail_closed::CALLER_AUTHENTICATION,
    &fail_closed::FLOWS_BY_DEFAULT,
    &fail_closed::INTERNAL_RANGES,
    &fail_closed::DB_UNAVAILABLE,
    &fail_closed::GUARDRAIL_MODE,
    &fail_closed::TOOL_PERMISSION_DEFAULT,
    &fail_closed::GATEWAY_SAFEGUARDS,
    &fail_closed::RESOLVER,
    &field_failures::RESULT_GUARDRAIL,
    &onboarding::PINNED,
    &onboarding::LOCKED,
    &onboarding::DB_SOURCE,
    &onboarding::CI_GATE,
    &observability::CALLBACKS,
    &observability::FAILURES_LOGGED,
    &observability::SPEND_LOGS,
    &observability::METRICS,
    &routing::FALLBACKS,
    &routing::RETRIES_TIMEOUTS,
    &routing::BUDGET,
    &routing::RATE_LIMITS,
    &routing::MCP_RATE_LIMITS,
    &secrets::INLINE,
    &secrets::TRANSPORT,
    &secrets::LISTENER_TLS,
    &secrets::UPSTREAM_AUTH,
    &secrets::REFERENCES,
    &secrets::IDENTITY,
    &field_failures::SHARED_CREDENTIAL,
    &production::REPLICAS,
    &production::RESOURCES,
    &production::PROBES,
    &production::DISRUPTION_BUDGET,
    &production::IMAGE_DIGEST,
    &production::ALERTING,
    &production::GUARDRAILS,
    &production::KILL_SWITCH,
    &production::ROLLOUT,
    &production::CONFIG_VALID,
];

/// Every dimension assessed, in the report's order.
pub fn assess_all(deployment: &Deployment) -> Vec<Assessment> {
    let mut from_rules = rule_observations(deployment);
    from_rules.extend(field_failures::observations(deployment));
    DimensionId::ALL
        .iter()
        .map(|&dimension| {
            let mut assessment = match dimension {
                DimensionId::Governance => governance::assess(deployment),
                DimensionId::FailClosed => fail_closed::assess(deployment),
                DimensionId::Onboarding => onboarding::assess(deployment),
                DimensionId::Observability => observability::assess(deployment),
                DimensionId::Routing => routing::assess(deployment),
                DimensionId::Secrets => secrets::assess(deployment),
                DimensionId::Production => production::assess(deployment),
            };
            let own: Vec<Observation> = from_rules
                .iter()
                .filter(|o| o.check.dimension == dimension)
                .cloned()
                .collect();
            // What the rules found is never dropped: a dimension the files cannot otherwise show
            // is assessed by those findings alone, and says what it could not look at.
            if !own.is_empty()
                && let Some(needs) = assessment.not_assessed.take()
            {
                assessment.static_limits.push(needs);
            }
            if assessment.not_assessed.is_none() {
                assessment.observations.extend(own);
            }
            assessment
        })
        .collect()
}

/// The check a lint finding belongs to, by its rule and (for rules that report several kinds of
/// gap) the label of its primary location.
fn check_of(rule: &str, label: Option<&str>) -> Option<&'static Check> {
    Some(match (rule, label) {
        ("missing-tool-allowlist", Some("empty list allows every tool")) => &fail_closed::EMPTY_ALLOWLIST,
        ("missing-tool-allowlist", Some("no rule allows every tool")) => &fail_closed::EMPTY_RULES,
        ("missing-tool-allowlist", _) => &governance::TOOL_ALLOWLIST,
        ("rbac-gap", Some("every address is internal")) => &fail_closed::INTERNAL_RANGES,
        ("rbac-gap", Some("no master key" | "empty master key")) => &fail_closed::MASTER_KEY,
        ("rbac-gap", Some("literal master key")) => &secrets::INLINE,
        ("rbac-gap", Some("keys inherit team servers")) => &governance::KEY_GRANTS,
        ("rbac-gap", Some("no caller authentication" | "fails open" | "no auth tokens")) => {
            &fail_closed::CALLER_AUTHENTICATION
        }
        ("rbac-gap", Some("open to every key")) => &governance::ALL_KEYS,
        ("rbac-gap", Some("no upstream auth")) => &secrets::UPSTREAM_AUTH,
        ("rbac-gap", _) => &governance::PUBLIC_INTERNET,
        ("auto-approved-tools", _) => &governance::AUTO_APPROVE,
        ("toxic-flow", Some(crate::rules::TOXIC_FLOW_BY_DEFAULT)) => &fail_closed::FLOWS_BY_DEFAULT,
        ("toxic-flow", _) => &governance::TOXIC_FLOWS,
        ("suspicious-tool-description", _) => &governance::TOOL_DESCRIPTIONS,
        ("disabled-safeguard", _) => &fail_closed::GATEWAY_SAFEGUARDS,
        ("unpinned-package" | "unpinned-image", _) => &onboarding::PINNED,
        ("lock-mismatch", _) => &onboarding::LOCKED,
        ("inline-secret", _) => &secrets::INLINE,
        ("insecure-transport", _) => &secrets::TRANSPORT,
        ("remote-without-auth", _) => &secrets::UPSTREAM_AUTH,
        ("invalid-config", _) | ("dead-config", Some("read only under general_settings")) => &production::CONFIG_VALID,
        _ => return None,
    })
}

/// The lint rules' findings over every config, as observations of their checks.
fn rule_observations(deployment: &Deployment) -> Vec<Observation> {
    let mut observations = Vec::new();
    for config in &deployment.configs {
        for located in &config.report.findings {
            let finding = &located.finding;
            let Some(check) = check_of(
                finding.rule,
                Some(finding.primary.label.as_str()).filter(|l| !l.is_empty()),
            ) else {
                continue;
            };
            let mut severity = match finding.severity {
                finding::Severity::Error => Severity::High,
                finding::Severity::Warning => Severity::Medium,
                finding::Severity::Info => Severity::Low,
            };
            // Open to every key, but read-only by an enforced allowlist: its exposure is small,
            // and it ranks below the gaps that let anyone write or run new code.
            if std::ptr::eq(check, &governance::ALL_KEYS)
                && finding
                    .server
                    .as_deref()
                    .and_then(|name| config.report.config.servers.iter().find(|s| s.name == name))
                    .is_some_and(field_failures::read_only_by_allowlist)
            {
                severity = Severity::Low;
            }
            observations.push(
                Observation::gap(
                    check,
                    severity,
                    finding.message.clone(),
                    Some(config.evidence(located.primary.start)),
                )
                .from_rule(
                    finding.rule,
                    finding
                        .fix
                        .as_ref()
                        .is_some_and(|fix| fix.applicability != crate::fix::Applicability::DisplayOnly),
                ),
            );
        }
    }
    observations
}

/// The gateways' configs, or the reason a gateway dimension cannot be assessed.
fn gateways_or_not_assessed(deployment: &Deployment, dimension: DimensionId) -> Result<Vec<&ConfigFile>, Assessment> {
    let gateways: Vec<&ConfigFile> = deployment.gateways().collect();
    if gateways.is_empty() && !deployment.chart_values.is_empty() {
        Err(Assessment::not_assessed(
            dimension,
            "the chart values hold no `proxy_config`: give the LiteLLM config the chart mounts (its config.yaml, or the ConfigMap in the rendered manifests)",
        ))
    } else if gateways.is_empty() {
        Err(Assessment::not_assessed(
            dimension,
            "no LiteLLM config or Helm values among the files: give the gateway's config.yaml, its chart values or the rendered manifests",
        ))
    } else {
        Ok(gateways)
    }
}

/// A setting that is set to something: not null, not an empty string, list or map, not false.
fn is_set(node: &Node) -> bool {
    use crate::dialect::NodeValue;
    match &node.value {
        NodeValue::Null | NodeValue::Bool(false) => false,
        NodeValue::Str(text) => !text.trim().is_empty(),
        NodeValue::Seq(items) => !items.is_empty(),
        NodeValue::Map(entries) => !entries.is_empty(),
        _ => true,
    }
}

/// The strings of a string or a list of strings.
fn strings(node: &Node) -> Vec<&str> {
    match node.as_seq() {
        Some(items) => items.iter().filter_map(Node::as_str).collect(),
        None => node.as_str().into_iter().collect(),
    }
}

/// The first of `candidates` (each a key path under the config root) that is set, with its line.
fn first_setting<'c>(config: &'c ConfigFile, candidates: &[&[&str]]) -> Option<(&'c Node, super::Evidence, String)> {
    candidates.iter().find_map(|keys| {
        config
            .setting(keys)
            .filter(|(node, _)| is_set(node))
            .map(|(node, evidence)| (node, evidence, keys.join(".")))
    })
}
