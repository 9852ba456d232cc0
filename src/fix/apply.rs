//! Runs fixes over one file until nothing more changes: apply, re-parse, re-lint, repeat.

use std::collections::HashSet;

use super::engine::{self, EditError};
use super::{Applicability, Fix};
use crate::dialect::{Dialect, Route};
use crate::lint::{self, SourceFile};
use crate::rules::{LintContext, Rule};

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
#[derive(Debug)]
pub struct Refused {
    pub rule: &'static str,
    pub server: Option<String>,
    pub title: String,
    pub error: EditError,
}

/// What fixing one file did.
#[derive(Debug)]
pub struct FixOutcome {
    /// The fixed text (without the BOM, like [`SourceFile::text`]).
    pub text: String,
    pub applied: Vec<Applied>,
    pub refused: Vec<Refused>,
    /// Unsafe fixes left unapplied because `--unsafe-fixes` was not given.
    pub unsafe_skipped: usize,
}

impl FixOutcome {
    pub fn changed(&self, source: &SourceFile) -> bool {
        self.text != source.text
    }
}

/// Applies every fix `options` allows to `source`, read as `dialect`, re-linting between rounds.
pub fn fix_source(
    source: &SourceFile,
    dialect: Dialect,
    rules: &[&dyn Rule],
    context: &LintContext,
    options: FixOptions,
) -> FixOutcome {
    let syntax = dialect.syntax();
    let mut text = source.text.clone();
    let mut applied = Vec::new();
    let mut refused: Vec<Refused> = Vec::new();
    let mut unsafe_skipped = 0;
    let mut given_up: HashSet<(&'static str, Route, String)> = HashSet::new();
    for _ in 0..MAX_ROUNDS {
        let Ok(report) = lint::lint(
            SourceFile::new(&source.path, text.clone()),
            Some(dialect),
            rules,
            context,
        ) else {
            break;
        };
        unsafe_skipped = 0;
        let mut changed = false;
        for located in &report.findings {
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
            let key = (finding.rule, finding.primary.route.clone(), fix.title.clone());
            if given_up.contains(&key) {
                continue;
            }
            match apply_fix(&text, syntax, fix) {
                Ok(fixed) if fixed != text => {
                    text = fixed;
                    changed = true;
                    applied.push(Applied {
                        rule: finding.rule,
                        server: finding.server.clone(),
                        title: fix.title.clone(),
                        applicability: fix.applicability,
                    });
                }
                Ok(_) => {}
                // Another fix of this round already added the key; the next round sees the new state.
                Err(EditError::Exists { .. }) => changed = true,
                Err(error) => {
                    given_up.insert(key);
                    refused.push(Refused {
                        rule: finding.rule,
                        server: finding.server.clone(),
                        title: fix.title.clone(),
                        error,
                    });
                }
            }
        }
        if !changed {
            break;
        }
    }
    FixOutcome {
        text,
        applied,
        refused,
        unsafe_skipped,
    }
}

/// All edits of one fix, or none of them.
/// Applies every edit of one fix, in order.
pub fn apply_fix(text: &str, syntax: crate::dialect::Syntax, fix: &Fix) -> Result<String, EditError> {
    let mut current = text.to_owned();
    for edit in &fix.edits {
        current = engine::apply_edit(&current, syntax, edit)?;
    }
    Ok(current)
}
