//! Dimension 3, MCP server onboarding: every server pinned to a verified version and locked, one
//! source of truth for what runs (not servers added at runtime into the database), and a CI
//! gate that checks each change.

use crate::audit::deployment::{Deployment, TextFile};
use crate::audit::{Assessment, Check, DimensionId, Effort, Evidence, GapKind, Observation, Severity};

use super::gateways_or_not_assessed;

pub static PINNED: Check = Check {
    id: "onboarding.pinned",
    dimension: DimensionId::Onboarding,
    kind: GapKind::Partial,
    looks_at: "packages and images pinned to exact versions and digests",
    why: "a floating server runs whatever was published last: one tampered release away from a supply-chain incident (OWASP LLM03)",
    remedy: "Pin every package and image to a verified version and digest (`mcp-lint --fix --unsafe-fixes`)",
    effort: Effort::S,
    likelihood: 2,
    impact: 3,
};

pub static LOCKED: Check = Check {
    id: "onboarding.locked",
    dimension: DimensionId::Onboarding,
    kind: GapKind::Partial,
    looks_at: "an `mcp-lint.lock` beside each config, agreeing with it",
    why: "without a lock nobody can tell whether a pinned version is the one that was reviewed and verified",
    remedy: "Commit the `mcp-lint.lock` that `mcp-lint --fix --unsafe-fixes` writes and run `mcp-lint check --locked` in CI",
    effort: Effort::S,
    likelihood: 2,
    impact: 2,
};

pub static DB_SOURCE: Check = Check {
    id: "onboarding.db-source",
    dimension: DimensionId::Onboarding,
    kind: GapKind::Partial,
    looks_at: "`store_model_in_db`, which lets models and MCP servers be added at runtime",
    why: "what runs can then differ from the reviewed files: a second source of truth outside review",
    remedy: "Keep servers in the reviewed config (`store_model_in_db: false`), or audit the database's entries as part of every change",
    effort: Effort::M,
    likelihood: 2,
    impact: 2,
};

pub static CI_GATE: Check = Check {
    id: "onboarding.ci-gate",
    dimension: DimensionId::Onboarding,
    kind: GapKind::Partial,
    looks_at: "a CI workflow or pre-commit hook that runs `mcp-lint check --locked`",
    why: "without a gate, a floating or unlisted server lands with the next merge",
    remedy: "Run the mcp-lint GitHub Action with `locked: true` (or `mcp-lint check --locked`) on every pull request",
    effort: Effort::S,
    likelihood: 3,
    impact: 2,
};

pub fn assess(deployment: &Deployment) -> Assessment {
    let gateways = match gateways_or_not_assessed(deployment, DimensionId::Onboarding) {
        Ok(gateways) => gateways,
        Err(not_assessed) if deployment.configs.is_empty() => return not_assessed,
        Err(_) => Vec::new(),
    };
    let mut assessment = Assessment::new(DimensionId::Onboarding);
    for config in deployment.configs_with_servers() {
        let servers = &config.report.config.servers;
        let packaged = servers
            .iter()
            .filter(|s| s.launch.as_ref().and_then(|l| l.package.as_ref()).is_some());
        let (total, pinned) = packaged.fold((0, 0), |(total, pinned), server| {
            let pin = server
                .launch
                .as_ref()
                .and_then(|l| l.package.as_ref())
                .is_some_and(|p| p.spec.is_pinned());
            (total + 1, pinned + usize::from(pin))
        });
        let at = config.line_of(&config.report.config.config_root, &[]);
        if total > 0 && pinned == total {
            assessment.observations.push(Observation::in_place(
                &PINNED,
                format!("all {total} packaged servers are pinned"),
                Some(at.clone()),
            ));
        }
        if total > 0 && config.locked {
            assessment.observations.push(Observation::in_place(
                &LOCKED,
                "an `mcp-lint.lock` records the verified pins",
                Some(at),
            ));
        } else if total > 0 {
            assessment.observations.push(Observation::gap(
                &LOCKED,
                Severity::Medium,
                "no `mcp-lint.lock` beside this config: its pins were never recorded as verified",
                Some(at),
            ));
        }
    }
    for config in &gateways {
        if let Some((node, evidence)) = config.setting(&["general_settings", "store_model_in_db"])
            && node.as_bool() == Some(true)
        {
            assessment.observations.push(Observation::gap(
                &DB_SOURCE,
                Severity::Medium,
                "`store_model_in_db: true`: models and MCP servers can be added through the API or UI and live only in the database",
                Some(evidence),
            ));
        }
    }
    assess_ci_gate(deployment, &mut assessment);
    assessment
}

/// The strongest gate found: a CI workflow with `--locked`, one without, a pre-commit hook, none.
fn assess_ci_gate(deployment: &Deployment, assessment: &mut Assessment) {
    let locked_in_ci = deployment.workflows.iter().find_map(|file| {
        let evidence = file.line_of("mcp-lint")?;
        let locked = file.text.contains("--locked") || has_locked_input(file);
        locked.then_some(evidence)
    });
    if let Some(evidence) = locked_in_ci {
        assessment.observations.push(Observation::in_place(
            &CI_GATE,
            "CI runs mcp-lint against the lock on every change",
            Some(evidence),
        ));
        return;
    }
    if let Some(evidence) = deployment.workflows.iter().find_map(|file| file.line_of("mcp-lint")) {
        assessment.observations.push(Observation::gap(
            &CI_GATE,
            Severity::Low,
            "CI runs mcp-lint, but not with `--locked`: a config that drifts from its lock passes",
            Some(evidence),
        ));
        return;
    }
    if let Some(evidence) = deployment.precommit.iter().find_map(|file| file.line_of("mcp-lint")) {
        assessment.observations.push(Observation::gap(
            &CI_GATE,
            Severity::Low,
            "only a pre-commit hook runs mcp-lint: it runs where developers install it, and can be skipped",
            Some(evidence),
        ));
        return;
    }
    let place = deployment.workflows.first().map(|file| Evidence {
        file: file.display.clone(),
        line: 1,
    });
    assessment.observations.push(Observation::gap(
        &CI_GATE,
        Severity::Medium,
        if deployment.workflows.is_empty() {
            "no CI workflow among the files runs mcp-lint".to_owned()
        } else {
            format!("none of the {} CI workflows runs mcp-lint", deployment.workflows.len())
        },
        place,
    ));
}

/// The mcp-lint Action with `locked: true`.
fn has_locked_input(file: &TextFile) -> bool {
    file.text.contains("mcp-lint/mcp-lint@") && file.text.lines().any(|line| line.trim() == "locked: true")
}
