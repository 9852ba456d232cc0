//! The rubric of `docs/audit.md` applied: a status per dimension from its findings' severities,
//! the verdict from the statuses, the moves ranked by risk reduction per effort, the risks by
//! likelihood x impact, and a three-phase roadmap whose items trace to findings.

use std::collections::BTreeMap;

use super::deployment::Deployment;
use super::dimensions::{self, CHECKS};
use super::{
    Assessment, Check, Control, Counts, Dimension, DimensionId, Effort, GapKind, Header, Move, Observation, Phase,
    Report, ReportFinding, Risk, Severity, Status, Verdict,
};

/// A gap, for moves, risks, the roadmap and its outcomes.
#[derive(Debug, Clone)]
struct Gap {
    check: &'static Check,
    /// The finding's id (`2.1`).
    id: String,
    severity: Severity,
    /// Whether `mcp-lint --fix --unsafe-fixes` closes it.
    fixable: bool,
    message: String,
    dimension: DimensionId,
    fails_open: bool,
}

/// How many risks the report ranks.
const TOP_RISKS: usize = 5;
/// How many moves the report names as the highest-leverage ones.
const TOP_MOVES: usize = 2;

/// The report of `assessments`.
pub fn report(deployment: &Deployment, assessments: Vec<Assessment>, header: Header) -> Report {
    let mut dimensions_out = Vec::new();
    let mut gaps: Vec<Gap> = Vec::new();
    for assessment in assessments {
        let dimension = dimension(assessment, &mut gaps);
        dimensions_out.push(dimension);
    }
    let statuses: Vec<Status> = dimensions_out.iter().map(|d| d.status).collect();
    let counts = counts(&statuses);
    let verdict = verdict(&counts);
    let all_moves = moves(&gaps);
    let risks = risks(&gaps);
    let roadmap = roadmap(all_moves.clone(), &gaps, &dimensions_out);
    let summary = summary_sentences(verdict, &counts, &risks, &all_moves);
    let mut limitations = vec![
        "Static only: mcp-lint read the files below, offline; it ran nothing, probed no server and read no database, so what lives only at runtime (keys, teams and their grants, servers registered through the API, the environment) is outside its view.".to_owned(),
    ];
    for d in &dimensions_out {
        limitations.extend(d.not_assessed.iter().map(|what| format!("{}: {what}", d.title)));
    }
    Report {
        header,
        summary,
        limitations,
        verdict,
        counts,
        dimensions: dimensions_out,
        moves: all_moves.iter().take(TOP_MOVES).cloned().collect(),
        risks,
        roadmap,
        inventory: dimensions::secrets::inventory(deployment),
        inputs: deployment.inputs.clone(),
    }
}

fn counts(statuses: &[Status]) -> Counts {
    let mut counts = Counts::default();
    for status in statuses {
        match status {
            Status::Pass => counts.green += 1,
            Status::Partial => counts.yellow += 1,
            Status::Absent => counts.red += 1,
            Status::NotAssessed => counts.not_assessed += 1,
        }
    }
    counts
}

/// The verdict follows the statuses, as the reference's does.
fn verdict(counts: &Counts) -> Verdict {
    if counts.red > 0 {
        Verdict::NotReady
    } else if counts.yellow > 0 || counts.not_assessed > 0 {
        Verdict::ProductionReadyWithCaveats
    } else {
        Verdict::ProductionReady
    }
}

/// The executive summary: the verdict in a sentence, the central risk, the two moves with the
/// most leverage and their effort.
fn summary_sentences(verdict: Verdict, counts: &Counts, risks: &[Risk], moves: &[Move]) -> Vec<String> {
    let mut sentences = vec![format!(
        "{}: of the seven dimensions, {} production-grade, {} partial and {} absent or unsafe{}.",
        verdict.label(),
        counts.green,
        counts.yellow,
        counts.red,
        if counts.not_assessed > 0 {
            format!(", {} not assessed from these files", counts.not_assessed)
        } else {
            String::new()
        }
    )];
    if let Some(risk) = risks.first() {
        sentences.push(format!(
            "The central risk ({}): {}.",
            risk.severity.name(),
            risk.headline.trim_end_matches('.')
        ));
    }
    let described: Vec<String> = moves
        .iter()
        .take(TOP_MOVES)
        .map(|m| {
            format!(
                "{} (effort {}, closes {})",
                m.title.trim_end_matches('.'),
                m.effort.name(),
                m.findings.join(", ")
            )
        })
        .collect();
    match described.as_slice() {
        [] => sentences.push("No move is needed for what the files can show.".to_owned()),
        [one] => sentences.push(format!("The highest-leverage move: {one}.")),
        [first, second, ..] => sentences.push(format!("The two highest-leverage moves: {first}; and {second}.")),
    }
    sentences
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
        gaps.push(Gap {
            check: observation.check,
            id: finding.id.clone(),
            severity: finding.severity,
            fixable: observation.fixable,
            message: finding.message.clone(),
            dimension: id,
            fails_open: observation.kind() == GapKind::FailsOpen,
        });
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
    for gap in gaps {
        let entry = by_check
            .entry(gap.check.id)
            .or_insert((gap.check, Vec::new(), 0, false));
        entry.1.push(gap.id.clone());
        entry.2 += gap.severity.weight();
        entry.3 |= gap.fixable;
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
    for gap in gaps {
        let entry = by_check.entry(gap.check.id).or_insert((
            gap.check,
            Vec::new(),
            gap.severity,
            gap.message.clone(),
            gap.dimension.title(),
        ));
        entry.1.push(gap.id.clone());
        if gap.severity > entry.2 {
            entry.2 = gap.severity;
            entry.3 = gap.message.clone();
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
fn roadmap(moves: Vec<Move>, gaps: &[Gap], dimensions: &[Dimension]) -> Vec<Phase> {
    let worst = |m: &Move| {
        gaps.iter()
            .filter(|gap| gap.check.id == m.check)
            .map(|gap| gap.severity)
            .max()
            .unwrap_or(Severity::Low)
    };
    let phase = |name, days| Phase {
        name,
        days,
        items: Vec::new(),
        outcome: String::new(),
    };
    let mut phases = [
        phase("Close the open doors", "Days 1-30"),
        phase("Close the gaps", "Days 31-60"),
        phase("Harden", "Days 61-90"),
    ];
    for item in moves {
        let phase = match (worst(&item), item.effort) {
            (Severity::Critical, _) | (Severity::High, Effort::S | Effort::M) => 0,
            (Severity::High, Effort::L) | (Severity::Medium, Effort::S | Effort::M) => 1,
            _ => 2,
        };
        phases[phase].items.push(item);
    }
    // Each phase's outcome: the statuses once its moves and the earlier phases' are done.
    let mut closed: Vec<String> = Vec::new();
    let mut before: Vec<Status> = dimensions.iter().map(|d| d.status).collect();
    for phase in &mut phases {
        let closing: Vec<String> = phase.items.iter().flat_map(|m| m.findings.iter().cloned()).collect();
        closed.extend(closing.iter().cloned());
        let after = statuses_after(&closed, gaps, dimensions);
        phase.outcome = outcome(closing.len(), &before, &after, dimensions);
        before = after;
    }
    phases.into_iter().collect()
}

/// Each dimension's status once the findings `closed` are closed.
fn statuses_after(closed: &[String], gaps: &[Gap], dimensions: &[Dimension]) -> Vec<Status> {
    dimensions
        .iter()
        .map(|d| {
            if d.status == Status::NotAssessed {
                return Status::NotAssessed;
            }
            let open: Vec<&Gap> = gaps
                .iter()
                .filter(|gap| gap.dimension == d.id && gap.severity >= Severity::Medium && !closed.contains(&gap.id))
                .collect();
            if open.iter().any(|gap| gap.fails_open) {
                Status::Absent
            } else if open.is_empty() {
                Status::Pass
            } else {
                Status::Partial
            }
        })
        .collect()
}

/// What a phase leaves: the findings it closes, the dimensions it makes production-grade and the
/// verdict the statuses then give.
fn outcome(closing: usize, before: &[Status], after: &[Status], dimensions: &[Dimension]) -> String {
    if closing == 0 {
        return "Nothing to do in this phase.".to_owned();
    }
    let raised: Vec<&str> = dimensions
        .iter()
        .zip(before.iter().zip(after))
        .filter(|(_, (was, now))| **was != Status::Pass && **now == Status::Pass)
        .map(|(d, _)| d.title)
        .collect();
    let counts = counts(after);
    let mut text = format!("Closes {}.", plural(closing, "finding"));
    if !raised.is_empty() {
        text.push_str(&format!(" Production-grade after it: {}.", raised.join(", ")));
    }
    text.push_str(&format!(
        " Verdict then: {} ({} green, {} yellow, {} red).",
        verdict(&counts).label(),
        counts.green,
        counts.yellow,
        counts.red
    ));
    text
}
