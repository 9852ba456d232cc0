//! The findings' fixes as located text edits, for the formats that hand fixes to other tools
//! (JSON `fix`, SARIF `fixes`): each replacement by line and column (characters, end exclusive,
//! as every position in those formats) and by character offset and length, with its new text.

use crate::dialect::position::clamp_to_char_boundary;
use crate::fix::Applicability;
use crate::run::lint::FileReport;

/// One replacement of the file's text as read (after a BOM, which no offset counts).
#[derive(Debug, Clone)]
pub struct LocatedEdit {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Characters (Unicode code points) before the replaced range, and in it.
    pub char_offset: usize,
    pub char_length: usize,
    pub new_text: String,
}

/// A fix another tool can apply: what it does, how safe it is, and its edits.
#[derive(Debug, Clone)]
pub struct LocatedFix {
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<LocatedEdit>,
}

/// Per finding of `report`, its fix as located edits where the fix stage planned one (see
/// [`crate::run::fix::planned_fixes`]; nothing for a report it did not plan).
pub fn located_fixes(report: &FileReport) -> Vec<Option<LocatedFix>> {
    let planned = report
        .planned
        .clone()
        .unwrap_or_else(|| vec![None; report.findings.len()]);
    let source = &report.source;
    // Character offsets of every edge, counted in one walk over the text.
    let mut edges: Vec<usize> = planned
        .iter()
        .flatten()
        .flat_map(|fix| fix.replacements.iter().flat_map(|r| [r.start, r.end]))
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let mut chars_before = std::collections::HashMap::with_capacity(edges.len());
    let (mut byte, mut chars) = (0, 0);
    for edge in edges {
        let boundary = clamp_to_char_boundary(&source.text, edge).max(byte);
        chars += source.text[byte..boundary].chars().count();
        byte = boundary;
        chars_before.insert(edge, chars);
    }
    planned
        .into_iter()
        .map(|fix| {
            let fix = fix?;
            let edits = fix
                .replacements
                .iter()
                .map(|replacement| {
                    let start = source.lines.line_col(&source.text, replacement.start);
                    let end = source.lines.line_col(&source.text, replacement.end);
                    let char_offset = chars_before[&replacement.start];
                    LocatedEdit {
                        line: start.line,
                        column: start.column,
                        end_line: end.line,
                        end_column: end.column,
                        char_offset,
                        char_length: chars_before[&replacement.end] - char_offset,
                        new_text: replacement.text.clone(),
                    }
                })
                .collect();
            Some(LocatedFix {
                title: fix.title,
                applicability: fix.applicability,
                edits,
            })
        })
        .collect()
}
