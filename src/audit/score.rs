//! The rubric of `docs/audit.md` applied: a status per dimension from its findings' severities,
//! the verdict from the statuses, the moves ranked by risk reduction per effort, the risks by
//! likelihood x impact, and a three-phase roadmap whose items trace to findings.

use std::collections::BTreeMap;

use super::deployment::Deployment;
use super::dimensions::{self, CHECKS};
use super::{
    Assessment, Check, Control, Counts, Dimension, Effort, GapKind, Move, Observation, Phase, Report, ReportFinding,
    Risk, Severity, Status, Verdict,
};

/// A gap for moves, risks and the roadmap: its check, finding id, severity, whether a fix
/// closes it, its message, and its dimension's title.
type Gap = (&'static Check, String, Severity, bool, String, &'static str);

/// How many risks the report ranks.
const TOP_RISKS: usize = 5;
/// How many moves the report names as the highest-leverage ones.
const TOP_MOVES: usize = 2;

/// The report of `assessments`.
pub fn report(deployment: &Deployment, assessments: Vec<Assessment>) -> Report {
    let mut dimensions_out = Vec::new();
    // (check, finding id, severity, fixable) of every gap, for moves, risks and the roadmap.
    let mut gaps: Vec<Gap> = Vec::new();
    for assessment in assessments {
        let dimension = dimension(assessment, &mut gaps);
        dimensions_out.push(dimension);
    }
    let mut counts = Counts::default();
    for dimension in &dimensions_out {
        match dimension.status {
            Status::Pass => counts.green += 1,
            Status::Partial => counts.yellow += 1,
            Status::Absent => counts.red += 1,
            Status::NotAssessed => counts.not_assessed += 1,
        }
    }
    let verdict = if counts.red > 0 {
        Verdict::NotReady
    } else if counts.yellow > 0 || counts.not_assessed > 0 {
        Verdict::ProductionReadyWithCaveats
    } else {
        Verdict::ProductionReady
    };
    let all_moves = moves(&gaps);
    Report {
        verdict,
        counts,
        dimensions: dimensions_out,
        moves: all_moves.iter().take(TOP_MOVES).cloned().collect(),
        risks: risks(&gaps),
        roadmap: roadmap(all_moves, &gaps),
        inventory: dimensions::secrets::inventory(deployment),
        inputs: deployment.inputs.clone(),
    }
}

/// Status apart from severity, as the reference audit scores: red when a control is absent or
/// fails open, yellow when controls have gaps of medium severity or more, green otherwise (low
/// gaps are listed, and the dimension's severity says how bad its worst gap is); grey when the
/// files cannot show the dimension.
pub fn status(assessment: &Assessment) -> Status {
    if assessment.not_assessed.is_some() {
        return Status::NotAssessed;
    }
    let gaps = || {
        assessment
            .observations
            .iter()
            .filter(|o| o.severity.is_some_and(|severity| severity >= Severity::Medium))
    };
    if gaps().any(|o| o.kind() == GapKind::FailsOpen) {
        Status::Absent
    } else if gaps().next().is_some() {
        Status::Partial
    } else {
        Status::Pass
    }
}

fn dimension(assessment: Assessment, gaps: &mut Vec<Gap>) -> Dimension {
    let status = status(&assessment);
    let id = assessment.dimension;
    let number = id.number();
    let mut found: Vec<&Observation> = assessment
        .observations
        .iter()
        .filter(|o| o.severity.is_some())
        .collect();
    found.sort_by(|a, b| b.severity.cmp(&a.severity).then_with(|| a.evidence.cmp(&b.evidence)));
    let findings: Vec<ReportFinding> = found
        .iter()
        .enumerate()
        .map(|(index, observation)| ReportFinding {
            id: format!("{number}.{}", index + 1),
            check: observation.check.id,
            severity: observation.severity.unwrap_or(Severity::Low),
            message: observation.message.clone(),
            why: observation.check.why,
            file: observation.evidence.as_ref().map(|e| e.file.clone()),
            line: observation.evidence.as_ref().map(|e| e.line),
            rule: observation.rule,
        })
        .collect();
    for (finding, observation) in findings.iter().zip(&found) {
        gaps.push((
            observation.check,
            finding.id.clone(),
            finding.severity,
            observation.fixable,
            finding.message.clone(),
            id.title(),
        ));
    }
    let controls: Vec<Control> = assessment
        .observations
        .iter()
        .filter(|o| o.severity.is_none())
        .map(|o| Control {
            check: o.check.id,
            message: o.message.clone(),
            file: o.evidence.as_ref().map(|e| e.file.clone()),
            line: o.evidence.as_ref().map(|e| e.line),
        })
        .collect();
    let summary = summary(&assessment, status, &findings, controls.len());
    let mut not_assessed: Vec<String> = assessment.not_assessed.into_iter().collect();
    not_assessed.extend(assessment.static_limits);
    Dimension {
        id,
        number,
        title: id.title(),
        status,
        severity: findings.iter().map(|f| f.severity).max(),
        summary,
        looked_at: CHECKS
            .iter()
            .filter(|c| c.dimension == id)
            .map(|c| c.looks_at)
            .collect(),
        controls,
        findings,
        not_assessed,
    }
}

fn summary(assessment: &Assessment, status: Status, findings: &[ReportFinding], controls: usize) -> String {
    if let Some(needs) = &assessment.not_assessed {
        return format!("Not assessed: {needs}.");
    }
    let worst = findings.first().map(|f| f.message.as_str()).unwrap_or_default();
    let more = findings.len().saturating_sub(1);
    let and_more = match more {
        0 => String::new(),
        1 => " (and 1 more finding)".to_owned(),
        n => format!(" (and {n} more findings)"),
    };
    match status {
        Status::Absent | Status::Partial => format!("{}{and_more}.", capitalise(worst)),
        _ if findings.is_empty() => format!("{} in place; no gap the files can show.", plural(controls, "control")),
        _ => format!("{} in place; minor: {worst}{and_more}.", plural(controls, "control")),
    }
}

/// `1 server is`, `2 servers are`: a count with its noun and verb agreeing.
pub(crate) fn plural_verb(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

/// `1 control`, `2 controls`.
fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// One move per check with gaps, ranked by the weight of what it closes per unit of effort.
fn moves(gaps: &[Gap]) -> Vec<Move> {
    let mut by_check: BTreeMap<&'static str, (&'static Check, Vec<String>, u32, bool)> = BTreeMap::new();
    for (check, id, severity, fixable, ..) in gaps {
        let entry = by_check.entry(check.id).or_insert((check, Vec::new(), 0, false));
        entry.1.push(id.clone());
        entry.2 += severity.weight();
        entry.3 |= *fixable;
    }
    let mut moves: Vec<Move> = by_check
        .into_values()
        .map(|(check, findings, weight, automated)| Move {
            title: check.remedy,
            check: check.id,
            effort: check.effort,
            leverage: f64::from(weight) / f64::from(check.effort.cost()),
            findings,
            automated,
        })
        .collect();
    moves.sort_by(|a, b| b.leverage.total_cmp(&a.leverage).then_with(|| a.check.cmp(b.check)));
    moves
}

/// The checks with gaps of medium severity or more, ranked by their worst severity, then by
/// likelihood x impact; each titled by its dimension and its worst finding, which names the
/// server.
fn risks(gaps: &[Gap]) -> Vec<Risk> {
    // Per check: the check, its findings, the worst severity and that finding's message.
    let mut by_check: BTreeMap<&'static str, (&'static Check, Vec<String>, Severity, String, &'static str)> =
        BTreeMap::new();
    for (check, id, severity, _, message, dimension) in gaps {
        let entry = by_check
            .entry(check.id)
            .or_insert((check, Vec::new(), *severity, message.clone(), dimension));
        entry.1.push(id.clone());
        if *severity > entry.2 {
            entry.2 = *severity;
            entry.3 = message.clone();
        }
    }
    let mut risks: Vec<Risk> = by_check
        .into_values()
        .filter(|(_, _, severity, _, _)| *severity >= Severity::Medium)
        .map(|(check, findings, severity, worst, dimension)| Risk {
            title: check.why,
            headline: format!("{dimension}: {worst}"),
            severity,
            check: check.id,
            likelihood: check.likelihood,
            impact: check.impact,
            score: check.likelihood * check.impact,
            findings,
        })
        .collect();
    risks.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.score.cmp(&a.score))
            .then_with(|| a.check.cmp(b.check))
    });
    risks.truncate(TOP_RISKS);
    risks
}

/// Three phases of 30 days: high-severity gaps that take days at most first, then the other
/// high and the medium ones, then the rest; by leverage within each.
fn roadmap(moves: Vec<Move>, gaps: &[Gap]) -> Vec<Phase> {
    let worst = |m: &Move| {
        gaps.iter()
            .filter(|(check, ..)| check.id == m.check)
            .map(|(_, _, severity, ..)| *severity)
            .max()
            .unwrap_or(Severity::Low)
    };
    let mut phases = [
        Phase {
            name: "Close the open doors",
            days: "Days 1-30",
            items: Vec::new(),
        },
        Phase {
            name: "Close the gaps",
            days: "Days 31-60",
            items: Vec::new(),
        },
        Phase {
            name: "Harden",
            days: "Days 61-90",
            items: Vec::new(),
        },
    ];
    for item in moves {
        let phase = match (worst(&item), item.effort) {
            (Severity::Critical, _) | (Severity::High, Effort::S | Effort::M) => 0,
            (Severity::High, Effort::L) | (Severity::Medium, Effort::S | Effort::M) => 1,
            _ => 2,
        };
        phases[phase].items.push(item);
    }
    phases.into_iter().collect()
}
