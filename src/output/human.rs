//! Human output: rustc-style snippets with the offending value underlined, and a summary line.

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use std::ops::Range;

use crate::dialect::Span;
use crate::dialect::position::{LineIndex, clamp_to_char_boundary};
use crate::finding::Severity;

use super::{Neutralised, Results, escape_controls};
use crate::secrets::mask::mask_secrets;

/// Renders every finding and a summary; `color` adds ANSI styles.
pub fn render(results: &Results, color: bool) -> String {
    render_on(
        results,
        color,
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
    )
}

/// [`render`] on up to `threads` threads: the same text whatever their number.
pub fn render_on(results: &Results, color: bool, threads: usize) -> String {
    let mut out = String::new();
    for report in &results.reports {
        let secrets: Vec<&str> = report.secrets.iter().map(String::as_str).collect();
        let masked = crate::run::mask::mask(&mask_secrets(&report.source.text, &secrets), &report.secret_spans);
        // Control characters of the file are shown escaped, never sent to the terminal.
        let neutral = Neutralised::new(&masked);
        // Masking keeps byte offsets, so the source's line index holds for the masked text, and
        // for the neutralised one where nothing had to be escaped.
        let own_lines;
        let lines = if neutral.unchanged() {
            &report.source.lines
        } else {
            own_lines = LineIndex::new(&neutral.text);
            &own_lines
        };
        let file = ShownFile {
            neutral: &neutral,
            lines,
            path: escape_controls(&report.source.path.display().to_string()).into_owned(),
        };
        // Each finding renders on its own (most of a large file's output time): a file of many
        // findings is split over the cores, its parts joined in order.
        if threads > 1 && report.findings.len() >= PARALLEL_FROM {
            let chunk = report.findings.len().div_ceil(threads);
            let parts: Vec<String> = std::thread::scope(|scope| {
                let handles: Vec<_> = report
                    .findings
                    .chunks(chunk)
                    .map(|findings| scope.spawn(|| file.render_all(findings, color)))
                    .collect();
                handles
                    .into_iter()
                    .map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                    .collect()
            });
            out.extend(parts);
        } else {
            out.push_str(&file.render_all(&report.findings, color));
        }
    }
    out.push_str(&summary(results));
    out
}

/// Findings of one file from which rendering is split over threads.
const PARALLEL_FROM: usize = 512;

/// A file as its findings show it: masked, its control characters escaped, its lines indexed.
struct ShownFile<'a> {
    neutral: &'a Neutralised,
    lines: &'a LineIndex,
    path: String,
}

impl ShownFile<'_> {
    /// Every finding of `findings`, each followed by a blank line.
    fn render_all(&self, findings: &[crate::run::lint::Located], color: bool) -> String {
        let renderer = if color { Renderer::styled() } else { Renderer::plain() }.decor_style(DecorStyle::Ascii);
        let mut out = String::new();
        for located in findings {
            out.push_str(&self.render_one(&renderer, located));
            out.push_str("\n\n");
        }
        out
    }

    fn render_one(&self, renderer: &Renderer, located: &crate::run::lint::Located) -> String {
        let text = self.neutral.text.as_str();
        let lines = self.lines;
        let moved = |span: &Span| Span::new(self.neutral.offset(span.start), self.neutral.offset(span.end));
        let finding = &located.finding;
        let level = match finding.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::INFO,
        };
        let primary = moved(&located.primary);
        let related: Vec<(Span, String)> = located
            .related
            .iter()
            .filter(|(span, _)| span != &located.primary)
            .map(|(span, label)| (moved(span), escape_controls(label).into_owned()))
            .collect();
        // The snippet holds only the lines its annotations touch, so rendering a finding costs
        // the size of those lines, not of the file.
        let spans = std::iter::once(&primary).chain(related.iter().map(|(span, _)| span));
        let window = window(lines, text, spans);
        let local = |span: &Span| span.start - window.start..span.end - window.start;
        let label = escape_controls(&finding.primary.label);
        let mut snippet = Snippet::source(&text[window.clone()])
            .line_start(lines.line_of(window.start) + 1)
            .path(self.path.as_str())
            .fold(true)
            .annotation(AnnotationKind::Primary.span(local(&primary)).label(label.as_ref()));
        for (span, label) in &related {
            snippet = snippet.annotation(AnnotationKind::Context.span(local(span)).label(label.as_str()));
        }
        let message = escape_controls(&finding.message);
        // A help may hold lines (a definition's diff): each is escaped, the breaks are kept.
        let help = finding
            .help_text()
            .map(|help| help.lines().map(escape_controls).collect::<Vec<_>>().join("\n"));
        let mut group = level.primary_title(message.as_ref()).id(finding.rule).element(snippet);
        if let Some(help) = &help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let report: [Group<'_>; 1] = [group];
        renderer.render(&report)
    }
}

/// The byte range of the whole lines of `text` that hold every span, without the last line's
/// break: a snippet's source, cut out of a file however large.
fn window<'s>(lines: &LineIndex, text: &str, spans: impl Iterator<Item = &'s Span>) -> Range<usize> {
    let (mut low, mut high) = (usize::MAX, 0);
    for span in spans {
        low = low.min(clamp_to_char_boundary(text, span.start));
        high = high.max(clamp_to_char_boundary(text, span.end));
    }
    if low > high {
        return 0..0;
    }
    let start = lines.line_start(lines.line_of(low));
    let mut end = text[high..].find('\n').map_or(text.len(), |i| high + i);
    // A CRLF line ends before its `\r`, as it would inside a whole text.
    if end > high && text[..end].ends_with('\r') {
        end -= 1;
    }
    start..end
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
    // How the files were read: the clients whose configs they are, in the order met.
    let mut clients: Vec<&str> = Vec::new();
    for report in &results.reports {
        let client = report.dialect.reader();
        if !clients.contains(&client) {
            clients.push(client);
        }
    }
    if !clients.is_empty() {
        line.push_str(&format!(" ({})", clients.join(", ")));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    #[test]
    fn a_window_holds_the_whole_lines_of_its_spans() {
        let text = "one\r\ntwo three\r\nfour\r\nfive";
        let lines = LineIndex::new(text);
        let cut = |spans: &[Span]| &text[window(&lines, text, spans.iter())];
        let three = text.find("three").expect("in text");
        assert_eq!(cut(&[span(three, three + 5)]), "two three");
        let four = text.find("four").expect("in text");
        assert_eq!(cut(&[span(four, four + 4), span(1, 2)]), "one\r\ntwo three\r\nfour");
        let five = text.find("five").expect("in text");
        assert_eq!(cut(&[span(five, text.len())]), "five");
    }
}
