//! Dimension 7, production readiness: more than one replica (or autoscaling), resources,
//! probes, a PodDisruptionBudget, the gateway image pinned by digest, alerting, guardrails
//! that block, and a config the gateway accepts. Read from the LiteLLM Helm chart's values or
//! the rendered Kubernetes manifests.

use crate::audit::deployment::{ConfigFile, Deployment, ManifestDoc};
use crate::audit::{Assessment, Check, DimensionId, Effort, GapKind, Observation, Severity};
use crate::dialect::{Node, Route};

use super::{first_setting, is_set};

pub static REPLICAS: Check = Check {
    id: "production.replicas",
    dimension: DimensionId::Production,
    kind: GapKind::Partial,
    looks_at: "more than one gateway replica, or autoscaling",
    why: "with one replica every restart, eviction or crash takes every MCP server and model offline",
    remedy: "Run at least two replicas (`replicaCount: 2` or autoscaling with `minReplicas: 2`)",
    effort: Effort::S,
    likelihood: 3,
    impact: 3,
};

pub static RESOURCES: Check = Check {
    id: "production.resources",
    dimension: DimensionId::Production,
    kind: GapKind::Partial,
    looks_at: "CPU and memory requests and limits",
    why: "without requests the scheduler overcommits the node; without limits one leak starves its neighbours",
    remedy: "Set `resources.requests` and `resources.limits` from load tests",
    effort: Effort::S,
    likelihood: 2,
    impact: 2,
};

pub static PROBES: Check = Check {
    id: "production.probes",
    dimension: DimensionId::Production,
    kind: GapKind::Partial,
    looks_at: "liveness and readiness probes",
    why: "without probes a hung pod keeps receiving traffic",
    remedy: "Keep the chart's liveness and readiness probes (or add them to the manifests)",
    effort: Effort::S,
    likelihood: 2,
    impact: 2,
};

pub static DISRUPTION_BUDGET: Check = Check {
    id: "production.disruption-budget",
    dimension: DimensionId::Production,
    kind: GapKind::Partial,
    looks_at: "a PodDisruptionBudget",
    why: "a node drain can evict every replica at once",
    remedy: "Enable the chart's `pdb` (`minAvailable: 1`)",
    effort: Effort::S,
    likelihood: 1,
    impact: 2,
};

pub static IMAGE_DIGEST: Check = Check {
    id: "production.image-digest",
    dimension: DimensionId::Production,
    kind: GapKind::Partial,
    looks_at: "the gateway image pinned by digest",
    why: "a tag can be moved: a restart may run another image than the one reviewed",
    remedy: "Pin the gateway image by digest (`image.tag: <version>@sha256:…`)",
    effort: Effort::S,
    likelihood: 1,
    impact: 3,
};

pub static ALERTING: Check = Check {
    id: "production.alerting",
    dimension: DimensionId::Production,
    kind: GapKind::Partial,
    looks_at: "alerting on failures, budgets and outages (`general_settings.alerting`)",
    why: "without alerts, failing providers and tool servers are noticed by users first",
    remedy: "Set `general_settings.alerting` (Slack, email, webhook) with `alert_types`",
    effort: Effort::S,
    likelihood: 2,
    impact: 2,
};

pub static GUARDRAILS: Check = Check {
    id: "production.guardrails",
    dimension: DimensionId::Production,
    kind: GapKind::Partial,
    looks_at: "guardrails on requests and tool calls",
    why: "without a guardrail, prompt injection and data leaks through tool calls pass unchecked",
    remedy: "Add guardrails on requests and MCP calls (`pre_call`, `pre_mcp_call`) that block",
    effort: Effort::M,
    likelihood: 2,
    impact: 2,
};

pub static KILL_SWITCH: Check = Check {
    id: "production.kill-switch",
    dimension: DimensionId::Production,
    kind: GapKind::Partial,
    looks_at: "a way to take one MCP server out of service without a redeploy (access groups to revoke)",
    why: "when a server misbehaves or its package is compromised, a redeploy is slower than revoking its access group",
    remedy: "Grant every MCP server through `access_groups`, so revoking the group from keys and teams disables it at runtime",
    effort: Effort::M,
    likelihood: 1,
    impact: 2,
};

pub static ROLLOUT: Check = Check {
    id: "production.rollout",
    dimension: DimensionId::Production,
    kind: GapKind::Partial,
    looks_at: "a staged rollout of the gateway in its manifests: an Argo Rollouts `Rollout` with a canary or blue-green strategy, or a Flagger `Canary`",
    why: "a bad release or config reaches every replica at once, with no step at which to stop it",
    remedy: "Roll the gateway out by canary or blue-green (Argo Rollouts or Flagger), with an analysis step that stops a bad release",
    effort: Effort::L,
    likelihood: 2,
    impact: 2,
};

pub static CONFIG_VALID: Check = Check {
    id: "production.config-valid",
    dimension: DimensionId::Production,
    kind: GapKind::Partial,
    looks_at: "configs the gateway and clients accept",
    why: "a config the gateway rejects fails the next rollout, or silently drops a server",
    remedy: "Fix what `mcp-lint check` reports as invalid-config",
    effort: Effort::S,
    likelihood: 3,
    impact: 2,
};

pub fn assess(deployment: &Deployment) -> Assessment {
    let charts: Vec<&ConfigFile> = deployment.charts().collect();
    let workloads: Vec<&ManifestDoc> = deployment
        .workloads()
        .filter(|w| w.containers().iter().any(|c| image_of(c).contains("litellm")))
        .collect();
    if charts.is_empty() && workloads.is_empty() {
        return Assessment::not_assessed(
            DimensionId::Production,
            "no Helm values of the LiteLLM chart and no rendered Kubernetes workload running a LiteLLM image: give the chart values or `helm template` output",
        );
    }
    let mut assessment = Assessment::new(DimensionId::Production);
    for chart in &charts {
        assess_chart(chart, &mut assessment);
    }
    for workload in &workloads {
        assess_workload(deployment, workload, &mut assessment);
    }
    assess_rollout(deployment, &workloads, &mut assessment);
    for config in deployment.gateways() {
        assess_gateway_settings(config, &mut assessment);
    }
    assessment
}

fn int(node: &Node) -> Option<i64> {
    match &node.value {
        crate::dialect::NodeValue::Number(text) => text.parse().ok(),
        crate::dialect::NodeValue::Str(text) => text.parse().ok(),
        _ => None,
    }
}

fn assess_chart(chart: &ConfigFile, assessment: &mut Assessment) {
    let root = chart.chart_root();
    let replicas = chart
        .chart_value(&["replicaCount"])
        .and_then(|(n, e)| int(n).map(|r| (r, e)));
    let autoscaling = ["autoscaling", "keda"].iter().find_map(|key| {
        chart
            .chart_value(&[key, "enabled"])
            .filter(|(n, _)| n.as_bool() == Some(true))
            .map(|(_, e)| (*key, e))
    });
    let min_replicas = autoscaling
        .as_ref()
        .and_then(|(key, _)| chart.chart_value(&[key, "minReplicas"]))
        .and_then(|(n, _)| int(n))
        .unwrap_or(1);
    match (replicas, autoscaling) {
        (_, Some((key, at))) if min_replicas >= 2 => assessment.observations.push(Observation::in_place(
            &REPLICAS,
            format!("`{key}` scales from {min_replicas} replicas"),
            Some(at),
        )),
        (Some((count, at)), None) if count >= 2 => {
            assessment
                .observations
                .push(Observation::in_place(&REPLICAS, format!("{count} replicas"), Some(at)))
        }
        (replicas, autoscaling) => {
            let at = autoscaling
                .map(|(_, e)| e)
                .or(replicas.map(|(_, e)| e))
                .unwrap_or_else(|| chart.line_of(&root, &["replicaCount"]));
            assessment.observations.push(Observation::gap(
                &REPLICAS,
                Severity::High,
                "one gateway replica (the chart's default `replicaCount: 1`, no autoscaling from 2)",
                Some(at),
            ));
        }
    }
    match chart.chart_value(&["resources"]) {
        Some((node, at)) if is_set(node) => {
            assessment
                .observations
                .push(Observation::in_place(&RESOURCES, "resources are set", Some(at)))
        }
        found => assessment.observations.push(Observation::gap(
            &RESOURCES,
            Severity::Medium,
            "no CPU or memory requests and limits (`resources` is empty)",
            Some(found.map(|(_, e)| e).unwrap_or_else(|| chart.line_of(&root, &[]))),
        )),
    }
    for probe in ["livenessProbe", "readinessProbe"] {
        if let Some((node, at)) = chart.chart_value(&[probe])
            && !is_set(node)
        {
            assessment.observations.push(Observation::gap(
                &PROBES,
                Severity::Medium,
                format!("`{probe}` is turned off"),
                Some(at),
            ));
        }
    }
    match chart.chart_value(&["pdb", "enabled"]) {
        Some((node, at)) if node.as_bool() == Some(true) => assessment.observations.push(Observation::in_place(
            &DISRUPTION_BUDGET,
            "a PodDisruptionBudget is enabled",
            Some(at),
        )),
        found => assessment.observations.push(Observation::gap(
            &DISRUPTION_BUDGET,
            Severity::Medium,
            "no PodDisruptionBudget (`pdb.enabled` is off)",
            Some(found.map(|(_, e)| e).unwrap_or_else(|| chart.line_of(&root, &[]))),
        )),
    }
    let tag = chart.chart_value(&["image", "tag"]);
    match &tag {
        Some((node, at)) if node.as_str().is_some_and(|t| t.contains("@sha256:")) => assessment.observations.push(
            Observation::in_place(&IMAGE_DIGEST, "the gateway image is pinned by digest", Some(at.clone())),
        ),
        _ => {
            let at = tag
                .map(|(_, e)| e)
                .or_else(|| chart.chart_value(&["image"]).map(|(_, e)| e))
                .unwrap_or_else(|| chart.line_of(&root, &[]));
            assessment.observations.push(Observation::gap(
                &IMAGE_DIGEST,
                Severity::Medium,
                "the gateway image is chosen by tag (or the chart's appVersion), not by digest",
                Some(at),
            ));
        }
    }
}

fn image_of(container: &Node) -> &str {
    container.get("image").and_then(Node::as_str).unwrap_or_default()
}

fn assess_workload(deployment: &Deployment, workload: &ManifestDoc, assessment: &mut Assessment) {
    let label = format!("{} `{}`", workload.kind, workload.name);
    let replicas = workload.root.get("spec").and_then(|s| s.get("replicas"));
    let scaled = deployment.manifests_of("HorizontalPodAutoscaler").any(|hpa| {
        hpa.root
            .get("spec")
            .and_then(|s| s.get("minReplicas"))
            .and_then(int)
            .unwrap_or(1)
            >= 2
            && hpa
                .root
                .get("spec")
                .and_then(|s| s.get("scaleTargetRef"))
                .and_then(|r| r.get("name"))
                .and_then(Node::as_str)
                == Some(workload.name.as_str())
    });
    match replicas.and_then(int) {
        _ if scaled => assessment.observations.push(Observation::in_place(
            &REPLICAS,
            format!("{label} is autoscaled from 2 replicas"),
            Some(workload.evidence(&workload.root)),
        )),
        Some(count) if count >= 2 => assessment.observations.push(Observation::in_place(
            &REPLICAS,
            format!("{label} runs {count} replicas"),
            replicas.map(|r| workload.evidence(r)),
        )),
        _ => assessment.observations.push(Observation::gap(
            &REPLICAS,
            Severity::High,
            format!("{label} runs one replica"),
            Some(workload.evidence(replicas.unwrap_or(&workload.root))),
        )),
    }
    for container in workload
        .containers()
        .into_iter()
        .filter(|c| image_of(c).contains("litellm"))
    {
        let at = Some(workload.evidence(container));
        if !container.get("resources").is_some_and(is_set) {
            assessment.observations.push(Observation::gap(
                &RESOURCES,
                Severity::Medium,
                format!("{label}: the gateway container has no resources"),
                at.clone(),
            ));
        }
        for probe in ["livenessProbe", "readinessProbe"] {
            if !container.get(probe).is_some_and(is_set) {
                assessment.observations.push(Observation::gap(
                    &PROBES,
                    Severity::Medium,
                    format!("{label}: no `{probe}`"),
                    at.clone(),
                ));
            }
        }
        if image_of(container).contains("@sha256:") {
            assessment.observations.push(Observation::in_place(
                &IMAGE_DIGEST,
                format!("{label}: the gateway image is pinned by digest"),
                at,
            ));
        } else {
            assessment.observations.push(Observation::gap(
                &IMAGE_DIGEST,
                Severity::Medium,
                format!("{label}: the gateway image `{}` is chosen by tag", image_of(container)),
                at,
            ));
        }
    }
    if deployment.manifests_of("PodDisruptionBudget").next().is_none() {
        assessment.observations.push(Observation::gap(
            &DISRUPTION_BUDGET,
            Severity::Medium,
            format!("no PodDisruptionBudget among the manifests for {label}"),
            Some(workload.evidence(&workload.root)),
        ));
    }
}

fn assess_gateway_settings(config: &ConfigFile, assessment: &mut Assessment) {
    let servers = &config.report.config.servers;
    if !servers.is_empty() {
        let ungrouped: Vec<&str> = servers
            .iter()
            .filter(|s| !s.has_access_groups())
            .map(|s| s.name.as_str())
            .collect();
        let at = Some(config.line_of(&config.report.config.config_root, &["mcp_servers"]));
        if ungrouped.is_empty() {
            assessment.observations.push(Observation::in_place(
                &KILL_SWITCH,
                "every MCP server can be revoked at runtime through its access group",
                at,
            ));
        } else {
            assessment.observations.push(Observation::gap(
                &KILL_SWITCH,
                Severity::Low,
                format!(
                    "{} of {} MCP servers ({}) can be taken out of service only by a redeploy: no access group to revoke",
                    ungrouped.len(),
                    servers.len(),
                    ungrouped.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                ),
                at,
            ));
        }
    }
    match first_setting(config, &[&["general_settings", "alerting"]]) {
        Some((_, at, _)) => assessment
            .observations
            .push(Observation::in_place(&ALERTING, "alerting is set", Some(at))),
        None => assessment.observations.push(Observation::gap(
            &ALERTING,
            Severity::Medium,
            "no alerting (`general_settings.alerting`): outages and budget overruns alert nobody",
            Some(config.line_of(&config.report.config.config_root, &["general_settings"])),
        )),
    }
    let guardrails = config.setting(&["guardrails"]).filter(|(node, _)| is_set(node));
    match guardrails {
        Some((node, at)) => {
            let blocking = node.as_seq().unwrap_or_default().iter().filter(|g| {
                let modes = g
                    .get("litellm_params")
                    .and_then(|p| p.get("mode"))
                    .map(super::strings)
                    .unwrap_or_default();
                modes.iter().any(|m| *m != "logging_only")
            });
            match blocking.count() {
                0 => assessment.observations.push(Observation::gap(
                    &GUARDRAILS,
                    Severity::Medium,
                    "every guardrail only logs: none blocks",
                    Some(at),
                )),
                n => assessment.observations.push(Observation::in_place(
                    &GUARDRAILS,
                    format!("{n} of the guardrails can block"),
                    Some(at),
                )),
            }
        }
        None => assessment.observations.push(Observation::gap(
            &GUARDRAILS,
            Severity::Medium,
            "no guardrails: requests and tool calls pass unchecked",
            Some(config.line_of(&config.report.config.config_root, &[])),
        )),
    }
}

/// A staged rollout where manifests show how the gateway is deployed: an Argo Rollouts `Rollout`
/// running a LiteLLM image with `strategy.canary` or `strategy.blueGreen`, or a Flagger
/// `Canary` whose target is a LiteLLM workload. Chart values alone cannot show one.
fn assess_rollout(deployment: &Deployment, workloads: &[&ManifestDoc], assessment: &mut Assessment) {
    let litellm_names: Vec<&str> = workloads.iter().map(|w| w.name.as_str()).collect();
    let argo = deployment.manifests_of("Rollout").find(|rollout| {
        let strategy = rollout.root.get("spec").and_then(|spec| spec.get("strategy"));
        let staged = strategy.is_some_and(|s| s.get("canary").is_some() || s.get("blueGreen").is_some());
        let runs_litellm = rollout.containers().iter().any(|c| image_of(c).contains("litellm"))
            || rollout
                .root
                .at(&Route::root().key("spec").key("workloadRef").key("name"))
                .and_then(Node::as_str)
                .is_some_and(|name| litellm_names.contains(&name));
        staged && runs_litellm
    });
    let flagger = deployment.manifests_of("Canary").find(|canary| {
        canary
            .root
            .at(&Route::root().key("spec").key("targetRef").key("name"))
            .and_then(Node::as_str)
            .is_some_and(|name| litellm_names.contains(&name))
    });
    match argo.or(flagger) {
        Some(staged) => assessment.observations.push(Observation::in_place(
            &ROLLOUT,
            format!("{} `{}` stages the gateway's rollout", staged.kind, staged.name),
            Some(staged.evidence(&staged.root)),
        )),
        None if !workloads.is_empty() => assessment.observations.push(Observation::gap(
            &ROLLOUT,
            Severity::Medium,
            format!(
                "{} `{}` rolls the gateway out to every replica at once: no canary or blue-green (Argo Rollouts, Flagger) among the manifests",
                workloads[0].kind, workloads[0].name
            ),
            Some(workloads[0].evidence(&workloads[0].root)),
        )),
        None => assessment.static_limits.push(
            "how the gateway is rolled out (canary, blue-green): chart values cannot show it; give the rendered manifests".to_owned(),
        ),
    }
}
