//! The JSON output: a public contract (`version: 1`), documented in the README.

use serde::Serialize;

use crate::finding::Severity;

use super::Results;
use super::fixes::{LocatedFix, located_fixes};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    /// Every file read, as the client it belongs to.
    files: Vec<FileRead>,
    diagnostics: Vec<Diagnostic<'a>>,
    errors: Vec<Error<'a>>,
}

/// A file that was read: its dialect (as `--dialect` spells it) and how many servers it holds.
#[derive(Serialize)]
pub(super) struct FileRead {
    pub path: String,
    pub dialect: &'static str,
    pub client: &'static str,
    pub servers: usize,
}

/// The files of `results`, in the order they were read.
pub(super) fn files_read(results: &Results) -> Vec<FileRead> {
    results
        .reports
        .iter()
        .map(|report| FileRead {
            path: report.source.path.display().to_string(),
            dialect: report.dialect.name(),
            client: report.dialect.reader(),
            servers: report.config.servers.len(),
        })
        .collect()
}

#[derive(Serialize)]
struct Diagnostic<'a> {
    rule: &'a str,
    severity: Severity,
    path: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    server: Option<&'a str>,
    message: &'a str,
    fix_available: bool,
    /// The fix as edits of the file as read, where it can be given as such.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix>,
    /// A toxic flow's tools by role (`toxic-flow`).
    #[serde(skip_serializing_if = "Option::is_none")]
    flow: Option<&'a crate::model::flows::Flow>,
}

#[derive(Serialize)]
struct JsonFix {
    title: String,
    applicability: &'static str,
    edits: Vec<JsonEdit>,
}

#[derive(Serialize)]
struct JsonEdit {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    new_text: String,
}

impl From<LocatedFix> for JsonFix {
    fn from(fix: LocatedFix) -> Self {
        JsonFix {
            title: fix.title,
            applicability: fix.applicability.name(),
            edits: fix
                .edits
                .into_iter()
                .map(|edit| JsonEdit {
                    line: edit.line,
                    column: edit.column,
                    end_line: edit.end_line,
                    end_column: edit.end_column,
                    new_text: edit.new_text,
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct Error<'a> {
    path: String,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
}

/// Renders all results as one JSON document.
pub fn render(results: &Results) -> String {
    let mut diagnostics = Vec::new();
    for report in &results.reports {
        let source = &report.source;
        let fixes = located_fixes(report);
        for (located, fix) in report.findings.iter().zip(fixes) {
            let start = source.lines.line_col(&source.text, located.primary.start);
            let end = source.lines.line_col(&source.text, located.primary.end);
            diagnostics.push(Diagnostic {
                rule: located.finding.rule,
                severity: located.finding.severity,
                path: source.path.display().to_string(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                server: located.finding.server.as_deref(),
                message: &located.finding.message,
                fix_available: located.finding.fix_available(),
                fix: fix.map(JsonFix::from),
                flow: located.finding.flow.as_deref(),
            });
        }
    }
    let errors = results
        .failures
        .iter()
        .map(|failure| Error {
            path: failure.path.display().to_string(),
            line: failure.position.map(|p| p.0),
            column: failure.position.map(|p| p.1),
            message: &failure.message,
        })
        .collect();
    let document = Document {
        version: 1,
        files: files_read(results),
        diagnostics,
        errors,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("internal error: JSON output serialises");
    text.push('\n');
    text
}
