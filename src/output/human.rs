//! Human output: rustc-style snippets with the offending value underlined, and a summary line.

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::finding::Severity;

use super::{Results, mask_secrets};

/// Renders every finding and a summary; `color` adds ANSI styles.
pub fn render(results: &Results, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() }.decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    for report in &results.reports {
        let secrets: Vec<&str> = report
            .findings
            .iter()
            .flat_map(|l| l.finding.masked.iter().map(String::as_str))
            .collect();
        let text = mask_secrets(&report.source.text, &secrets);
        let path = report.source.path.display().to_string();
        for located in &report.findings {
            let finding = &located.finding;
            let level = match finding.severity {
                Severity::Error => Level::ERROR,
                Severity::Warning => Level::WARNING,
                Severity::Info => Level::INFO,
            };
            let mut snippet = Snippet::source(text.as_str())
                .path(path.as_str())
                .fold(true)
                .annotation(
                    AnnotationKind::Primary
                        .span(located.primary.start..located.primary.end)
                        .label(finding.primary.label.as_str()),
                );
            for (span, label) in &located.related {
                if span != &located.primary {
                    snippet =
                        snippet.annotation(AnnotationKind::Context.span(span.start..span.end).label(label.as_str()));
                }
            }
            let mut group = level
                .primary_title(finding.message.as_str())
                .id(finding.rule)
                .element(snippet);
            if let Some(help) = &finding.help {
                group = group.element(Level::HELP.message(help.as_str()));
            }
            let report: [Group<'_>; 1] = [group];
            out.push_str(&renderer.render(&report));
            out.push_str("\n\n");
        }
    }
    out.push_str(&summary(results));
    out
}

/// One line: how many findings of each severity in how many files.
pub fn summary(results: &Results) -> String {
    let count = |severity: Severity| {
        results
            .reports
            .iter()
            .flat_map(|r| &r.findings)
            .filter(|l| l.finding.severity == severity)
            .count()
    };
    let (errors, warnings, infos) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    let total = errors + warnings + infos;
    let files = results.reports.len();
    let mut line = if total == 0 {
        format!("No problems found in {} MCP config file{}", files, plural(files))
    } else {
        format!(
            "Found {total} problem{} ({errors} error{}, {warnings} warning{}, {infos} info) in {files} MCP config file{}",
            plural(total),
            plural(errors),
            plural(warnings),
            plural(files)
        )
    };
    let failed = results.failures.len();
    if failed > 0 {
        line.push_str(&format!("; {failed} file{} could not be checked", plural(failed)));
    }
    line.push('\n');
    line
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
