//! The JSON output: a public contract (`version: 1`), documented in the README.

use serde::Serialize;

use crate::finding::Severity;

use super::Results;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    diagnostics: Vec<Diagnostic<'a>>,
    errors: Vec<Error<'a>>,
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
        for located in &report.findings {
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
        diagnostics,
        errors,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("internal error: JSON output serialises");
    text.push('\n');
    text
}
