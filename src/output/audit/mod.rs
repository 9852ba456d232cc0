//! The audit report's renderings: terminal (colour on a TTY), Markdown, a self-contained HTML
//! page and JSON. Every text that came from a file is escaped for its medium.

pub mod html;
pub mod json;
pub mod markdown;
pub mod terminal;

use crate::audit::{Report, Status};

/// The report formats of `mcp-lint audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Terminal,
    Markdown,
    Html,
    Json,
}

/// The report in `format` (terminal colour only when `color`).
pub fn render(report: &Report, format: ReportFormat, color: bool) -> String {
    match format {
        ReportFormat::Terminal => terminal::render(report, color),
        ReportFormat::Markdown => markdown::render(report),
        ReportFormat::Html => html::render(report),
        ReportFormat::Json => json::render(report),
    }
}

/// `green / yellow / red / not assessed` counts in words.
fn counts_line(report: &Report) -> String {
    let c = report.counts;
    format!(
        "{} green, {} yellow, {} red, {} not assessed",
        c.green, c.yellow, c.red, c.not_assessed
    )
}

/// A status as the matrix shows it.
fn status_word(status: Status) -> &'static str {
    match status {
        Status::Pass => "PASS",
        Status::Partial => "PARTIAL",
        Status::Absent => "ABSENT/UNSAFE",
        Status::NotAssessed => "NOT ASSESSED",
    }
}

/// `file:line`, or `file`, or nothing.
fn place(file: Option<&str>, line: Option<usize>) -> String {
    match (file, line) {
        (Some(file), Some(line)) => format!("{file}:{line}"),
        (Some(file), None) => file.to_owned(),
        _ => String::new(),
    }
}

/// ` <place>` as `show` writes a `file:line`, or nothing where the fact has no place.
fn place_suffix(file: Option<&str>, line: Option<usize>, show: impl Fn(&str) -> String) -> String {
    let at = place(file, line);
    if at.is_empty() { String::new() } else { show(&at) }
}

/// `text` with its first letter upper-cased.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}
