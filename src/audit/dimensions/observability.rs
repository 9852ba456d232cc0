//! Dimension 4, observability & tracing: callbacks that send traces and logs somewhere
//! (OpenTelemetry among them), failures logged as well as successes, spend logs kept, metrics
//! scraped.

use crate::audit::deployment::Deployment;
use crate::audit::{Assessment, Check, DimensionId, Effort, GapKind, Observation, Severity};

use super::{gateways_or_not_assessed, strings};

pub static CALLBACKS: Check = Check {
    id: "observability.callbacks",
    dimension: DimensionId::Observability,
    kind: GapKind::Partial,
    looks_at: "`litellm_settings.callbacks`, `success_callback`, `failure_callback` (OpenTelemetry, Langfuse, Datadog…)",
    why: "without a callback no trace or log of a tool call leaves the proxy: an incident cannot be reconstructed",
    remedy: "Send traces to your collector: `litellm_settings.callbacks: [\"otel\"]` with the OTEL exporter settings",
    effort: Effort::M,
    likelihood: 2,
    impact: 2,
};

pub static FAILURES_LOGGED: Check = Check {
    id: "observability.failures",
    dimension: DimensionId::Observability,
    kind: GapKind::Partial,
    looks_at: "failures logged as well as successes",
    why: "a `success_callback` alone hides the failed and refused calls, the ones an investigation needs",
    remedy: "Add a `failure_callback` (or use `callbacks`, which log both)",
    effort: Effort::S,
    likelihood: 2,
    impact: 1,
};

pub static SPEND_LOGS: Check = Check {
    id: "observability.spend-logs",
    dimension: DimensionId::Observability,
    kind: GapKind::Partial,
    looks_at: "`general_settings.disable_spend_logs`",
    why: "with spend logs off, there is no per-request record of which key called what",
    remedy: "Keep spend logs on (remove `disable_spend_logs`)",
    effort: Effort::S,
    likelihood: 1,
    impact: 2,
};

pub static METRICS: Check = Check {
    id: "observability.metrics",
    dimension: DimensionId::Observability,
    kind: GapKind::Partial,
    looks_at: "Prometheus metrics scraped (the chart's `serviceMonitor`, or the `prometheus` callback)",
    why: "without metrics, error rates and latency of the gateway go unseen until users report them",
    remedy: "Enable the chart's `serviceMonitor` or add the `prometheus` callback",
    effort: Effort::S,
    likelihood: 2,
    impact: 1,
};

pub fn assess(deployment: &Deployment) -> Assessment {
    let gateways = match gateways_or_not_assessed(deployment, DimensionId::Observability) {
        Ok(gateways) => gateways,
        Err(not_assessed) => return not_assessed,
    };
    let mut assessment = Assessment::new(DimensionId::Observability);
    for config in gateways {
        let settings_line = config.line_of(&config.report.config.config_root, &["litellm_settings"]);
        let both = config.setting(&["litellm_settings", "callbacks"]);
        let success = config.setting(&["litellm_settings", "success_callback"]);
        let failure = config.setting(&["litellm_settings", "failure_callback"]);
        let mut names: Vec<&str> = Vec::new();
        for (node, _) in [&both, &success, &failure].into_iter().flatten() {
            names.extend(strings(node));
        }
        if names.is_empty() {
            assessment.observations.push(Observation::gap(
                &CALLBACKS,
                Severity::Medium,
                "no logging or tracing callback: tool calls leave no trace outside the proxy",
                Some(settings_line.clone()),
            ));
        } else {
            let evidence = [&both, &success, &failure]
                .into_iter()
                .flatten()
                .next()
                .map(|(_, e)| e.clone());
            let otel = names.iter().any(|n| n.contains("otel") || n.contains("opentelemetry"));
            names.sort_unstable();
            names.dedup();
            assessment.observations.push(Observation::in_place(
                &CALLBACKS,
                format!(
                    "callbacks send {}{}",
                    names.join(", "),
                    if otel { " (OpenTelemetry traces)" } else { "" }
                ),
                evidence,
            ));
        }
        if let (Some((_, evidence)), None, None) = (&success, &failure, &both) {
            assessment.observations.push(Observation::gap(
                &FAILURES_LOGGED,
                Severity::Low,
                "`success_callback` without a `failure_callback`: failed calls are not logged",
                Some(evidence.clone()),
            ));
        }
        if let Some((node, evidence)) = config.setting(&["general_settings", "disable_spend_logs"])
            && node.as_bool() == Some(true)
        {
            assessment.observations.push(Observation::gap(
                &SPEND_LOGS,
                Severity::Medium,
                "`disable_spend_logs: true`: no per-request record of which key called what",
                Some(evidence),
            ));
        }
        let prometheus = names.contains(&"prometheus");
        let monitor = config
            .chart_value(&["serviceMonitor", "enabled"])
            .filter(|(node, _)| node.as_bool() == Some(true));
        if let Some((_, evidence)) = monitor {
            assessment.observations.push(Observation::in_place(
                &METRICS,
                "Prometheus scrapes the gateway (`serviceMonitor.enabled`)",
                Some(evidence),
            ));
        } else if prometheus {
            assessment.observations.push(Observation::in_place(
                &METRICS,
                "the `prometheus` callback exports metrics",
                Some(settings_line),
            ));
        } else if config.is_helm() {
            let at = config.line_of(&config.chart_root(), &["serviceMonitor"]);
            assessment.observations.push(Observation::gap(
                &METRICS,
                Severity::Low,
                "no metrics are scraped: `serviceMonitor` is off and no `prometheus` callback is set",
                Some(at),
            ));
        }
    }
    assessment.static_limits.push(
        "trace-context propagation and the collector's retention are set in the environment and the collector".into(),
    );
    assessment
}
