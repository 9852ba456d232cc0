//! Plan and apply stage: the fixes the lint stage offered (after suppression) are applied
//! round by round, all of a round's fixes in one pass through the engine, the result checked by
//! parsing it once, and the file linted again from that parse until nothing more changes.

use std::collections::HashSet;

use crate::dialect::{self, Route, Syntax};
use crate::fix::engine::{self, EditError};
use crate::fix::{Applicability, Fix};
use crate::rules::{LintContext, Rule};

use super::lint::{self, FileReport};
use super::parse;
use super::suppress::Suppressor;

/// A fixed file needs at most a few rounds (an allowlist, then the flag that makes it deny);
/// more means two fixes undo each other, and the file is left as the last good round made it.
const MAX_ROUNDS: usize = 4;

/// Which fixes to apply.
#[derive(Debug, Clone, Copy)]
pub struct FixOptions {
    /// Also apply fixes that change behaviour.
    pub unsafe_fixes: bool,
}

impl FixOptions {
    pub fn applies(&self, applicability: Applicability) -> bool {
        match applicability {
            Applicability::Safe => true,
            Applicability::Unsafe => self.unsafe_fixes,
            Applicability::DisplayOnly => false,
        }
    }
}

/// A fix that was applied.
#[derive(Debug, Clone)]
pub struct Applied {
    pub rule: &'static str,
    pub server: Option<String>,
    pub title: String,
    pub applicability: Applicability,
}

/// A fix that could not be applied, and why; the file keeps every other fix.
#[derive(Debug, Clone)]
pub struct Refused {
    pub rule: &'static str,
    pub server: Option<String>,
    pub title: String,
    pub error: EditError,
}

/// What fixing one file did.
#[derive(Debug)]
pub struct FixOutcome {
    /// The file as fixed, linted (and suppressed) again: what is left.
    pub report: FileReport,
    /// The text before the first fix (without the BOM).
    pub original: String,
    /// Where the secrets of `original` are written.
    pub original_spans: Vec<crate::dialect::Span>,
    pub applied: Vec<Applied>,
    pub refused: Vec<Refused>,
    /// Unsafe fixes left unapplied because `--unsafe-fixes` was not given.
    pub unsafe_skipped: usize,
    /// Every secret the findings of any round showed masked: a diff masks them all.
    pub masked: Vec<String>,
}

impl FixOutcome {
    pub fn changed(&self) -> bool {
        self.report.source.text != self.original
    }
}

/// Applies every fix `options` allows to the linted file `report`, linting again between rounds.
pub fn fix(
    mut report: FileReport,
    rules: &[&dyn Rule],
    context: &LintContext,
    suppressor: &mut Suppressor,
    options: FixOptions,
) -> FixOutcome {
    let syntax = report.syntax();
    let original = report.source.text.clone();
    let original_spans = report.secret_spans.clone();
    let mut applied = Vec::new();
    let mut refused: Vec<Refused> = Vec::new();
    let mut unsafe_skipped = 0;
    let mut masked: Vec<String> = Vec::new();
    let mut masked_seen: HashSet<String> = HashSet::new();
    let mut given_up: HashSet<(&'static str, Route, String)> = HashSet::new();
    for _ in 0..MAX_ROUNDS {
        remember_masked(&report, &mut masked, &mut masked_seen);
        unsafe_skipped = 0;
        let mut planned: Vec<(usize, &Fix)> = Vec::new();
        for (index, located) in report.findings.iter().enumerate() {
            let finding = &located.finding;
            let Some(fix) = finding.fix.as_ref().filter(|f| !f.edits.is_empty()) else {
                continue;
            };
            if !options.applies(fix.applicability) {
                if fix.applicability == Applicability::Unsafe {
                    unsafe_skipped += 1;
                }
                continue;
            }
            if given_up.contains(&(finding.rule, finding.primary.route.clone(), fix.title.clone())) {
                continue;
            }
            planned.push((index, fix));
        }
        if planned.is_empty() {
            break;
        }
        let round = apply_round(&report, syntax, &planned);
        for (index, result) in round.results {
            let finding = &report.findings[index].finding;
            let Some(fix) = &finding.fix else { continue };
            match result {
                Ok(()) => applied.push(Applied {
                    rule: finding.rule,
                    server: finding.server.clone(),
                    title: fix.title.clone(),
                    applicability: fix.applicability,
                }),
                Err(error) => {
                    given_up.insert((finding.rule, finding.primary.route.clone(), fix.title.clone()));
                    refused.push(Refused {
                        rule: finding.rule,
                        server: finding.server.clone(),
                        title: fix.title.clone(),
                        error,
                    });
                }
            }
        }
        if !round.changed {
            break;
        }
        let Some(root) = round.root.or_else(|| dialect::parse(syntax, &round.text).ok()) else {
            // The engine checks every result parses; a failure here would be a bug, and the
            // file is left as the last round that parsed.
            break;
        };
        let parsed = parse::reparsed(&report.source, report.dialect, round.text, root);
        report = lint::lint(parsed, rules, context);
        suppressor.apply(&mut report);
    }
    FixOutcome {
        report,
        original,
        original_spans,
        applied,
        refused,
        unsafe_skipped,
        masked,
    }
}

/// One round's result: the new text (and its parse, when the batch made it), and per planned
/// fix whether it went in (`Ok`) or was refused. Fixes that found their key already added by
/// another fix of the round are in neither: the next round sees the new state.
struct Round {
    text: String,
    root: Option<crate::dialect::Node>,
    changed: bool,
    results: Vec<(usize, Result<(), EditError>)>,
}

/// Applies the planned fixes of a round: all at once where they touch different bytes, then the
/// rest one by one on the result.
fn apply_round(report: &FileReport, syntax: Syntax, planned: &[(usize, &Fix)]) -> Round {
    let fixes: Vec<&Fix> = planned.iter().map(|(_, fix)| *fix).collect();
    let mut round = Round {
        text: report.source.text.clone(),
        root: None,
        changed: false,
        results: Vec::new(),
    };
    let mut one_by_one: Vec<usize> = Vec::new();
    // Lists an applied fix removed an item from: an index into them is stale until re-parsed.
    let mut shortened: Vec<Route> = Vec::new();
    let note_removals = |fix: &Fix, shortened: &mut Vec<Route>| {
        shortened.extend(fix.edits.iter().filter_map(engine::shortened_list));
    };
    match engine::apply_batch(&report.source.text, syntax, &report.root, &fixes) {
        Some(batch) => {
            for (slot, &went_in) in batch.applied.iter().enumerate() {
                if went_in {
                    note_removals(planned[slot].1, &mut shortened);
                    round.results.push((planned[slot].0, Ok(())));
                } else {
                    one_by_one.push(slot);
                }
            }
            round.changed = batch.text != round.text;
            round.text = batch.text;
            round.root = Some(batch.root);
        }
        None => one_by_one.extend(0..planned.len()),
    }
    for slot in one_by_one {
        let (index, fix) = planned[slot];
        if engine::reads_through(fix, &shortened) {
            // Planned on indices a removal of this round has moved: the next round plans again.
            round.changed = true;
            continue;
        }
        match apply_fix(&round.text, syntax, fix) {
            Ok(fixed) if fixed != round.text => {
                note_removals(fix, &mut shortened);
                round.text = fixed;
                round.root = None;
                round.changed = true;
                round.results.push((index, Ok(())));
            }
            Ok(_) => {}
            // Another fix of this round already added the key, or changed the string this one
            // was planned on: the next round sees the new state and plans again.
            Err(EditError::Exists { .. } | EditError::Stale(_)) => round.changed = true,
            Err(error) => round.results.push((index, Err(error))),
        }
    }
    round
}

fn remember_masked(report: &FileReport, masked: &mut Vec<String>, seen: &mut HashSet<String>) {
    for secret in &report.secrets {
        if seen.insert(secret.clone()) {
            masked.push(secret.clone());
        }
    }
}

/// Applies every edit of one fix, in order: all of them, or none.
pub fn apply_fix(text: &str, syntax: Syntax, fix: &Fix) -> Result<String, EditError> {
    let mut current = text.to_owned();
    for edit in &fix.edits {
        current = engine::apply_edit(&current, syntax, edit)?;
    }
    Ok(current)
}

/// Applies chosen fixes (the pinning wizard's) to one file: the same engine, one pass where the
/// fixes touch different bytes. Returns the new text and the fixes that could not be applied.
pub fn apply_chosen<'f>(report: &FileReport, fixes: &[&'f Fix]) -> (String, Vec<(&'f Fix, EditError)>) {
    let planned: Vec<(usize, &Fix)> = fixes.iter().copied().enumerate().collect();
    let round = apply_round(report, report.syntax(), &planned);
    let failed = round
        .results
        .into_iter()
        .filter_map(|(index, result)| result.err().map(|error| (fixes[index], error)))
        .collect();
    (round.text, failed)
}

/// A finding's fix as replacements of the file's bytes, for outputs that hand fixes to other
/// tools (SARIF `fixes`, the JSON `fix`): applying them to the file as it was read gives what
/// this one fix alone makes of it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedFix {
    pub title: String,
    pub applicability: Applicability,
    /// Non-overlapping, in the order of the file.
    pub replacements: Vec<engine::Splice>,
}

/// Plans the fixes of every report for an output that shows them as edits (JSON, SARIF): the
/// fix stage's work, carried by the outcome, so that a renderer only renders.
pub fn plan_for_output(reports: &mut [FileReport], format: super::settings::Format) {
    if !format.shows_fix_edits() {
        return;
    }
    for report in reports {
        report.planned = Some(planned_fixes(report));
    }
}

/// Per finding of `report` (in its order), the fix as replacements where it can be given as
/// such: not display-only, planned on the text as read (a fix that builds on another one's
/// result cannot be), verified by parsing the result, and writing no secret of the file.
pub fn planned_fixes(report: &FileReport) -> Vec<Option<PlannedFix>> {
    let wanted: Vec<(usize, &Fix)> = report
        .findings
        .iter()
        .enumerate()
        .filter_map(|(index, located)| located.finding.fix.as_ref().map(|fix| (index, fix)))
        .filter(|(_, fix)| fix.applicability != Applicability::DisplayOnly)
        .collect();
    let mut planned: Vec<Option<PlannedFix>> = vec![None; report.findings.len()];
    if wanted.is_empty() {
        return planned;
    }
    let syntax = report.syntax();
    let text = &report.source.text;
    let fixes: Vec<&Fix> = wanted.iter().map(|(_, fix)| *fix).collect();
    let batch = engine::apply_batch(text, syntax, &report.root, &fixes);
    let mut secrets: Vec<&str> = report.secrets.iter().map(String::as_str).collect();
    secrets.extend(
        report
            .secret_spans
            .iter()
            .filter_map(|span| text.get(span.start..span.end)),
    );
    let masker = crate::secrets::mask::SecretMasker::new(&secrets);
    for (slot, (index, fix)) in wanted.into_iter().enumerate() {
        let splices = match &batch {
            Some(batch) if batch.applied[slot] => Ok(batch.splices[slot].clone()),
            _ => engine::plan_fix(text, syntax, &report.root, fix)
                // A fix whose later edits build on its earlier ones: its whole change, as one
                // replacement of the bytes between what it left alike at both ends.
                .or_else(|_| apply_fix(text, syntax, fix).map(|fixed| vec![changed_range(text, &fixed)])),
        };
        let Ok(mut replacements) = splices else { continue };
        if replacements
            .iter()
            .any(|splice| masker.mask(&splice.text) != splice.text)
        {
            continue;
        }
        replacements.sort_by_key(|splice| (splice.start, splice.end));
        planned[index] = Some(PlannedFix {
            title: fix.title.clone(),
            applicability: fix.applicability,
            replacements,
        });
    }
    planned
}

/// The one replacement that turns `before` into `after`: the bytes between their common prefix
/// and suffix, kept on character boundaries.
fn changed_range(before: &str, after: &str) -> engine::Splice {
    let prefix = before
        .char_indices()
        .zip(after.chars())
        .find(|((_, a), b)| a != b)
        .map_or(before.len().min(after.len()), |((at, _), _)| at);
    let suffix = before[prefix..]
        .chars()
        .rev()
        .zip(after[prefix..].chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    engine::Splice {
        start: prefix,
        end: before.len() - suffix,
        text: after[prefix..after.len() - suffix].to_owned(),
    }
}
