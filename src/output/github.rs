//! GitHub Actions output: one workflow command per finding, shown as an annotation on the diff.
//!
//! `::error file=PATH,line=L,col=C,endLine=EL,endColumn=EC,title=RULE::MESSAGE`, with `warning`
//! for warnings and `notice` for info. Files that could not be checked are `::error` commands at
//! their position, when they have one. Columns are the JSON format's (characters, end exclusive).

use crate::finding::Severity;

use super::{Results, slash_path};

/// Renders every finding, then every failure, one command a line.
pub fn render(results: &Results) -> String {
    let mut out = String::new();
    for report in &results.reports {
        let source = &report.source;
        let file = escape_property(&slash_path(&source.path));
        for located in &report.findings {
            let finding = &located.finding;
            let start = source.lines.line_col(&source.text, located.primary.start);
            let end = source.lines.line_col(&source.text, located.primary.end);
            out.push_str(&format!(
                "::{} file={file},line={},col={},endLine={},endColumn={},title={}::{}\n",
                command(finding.severity),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(finding.rule),
                escape_data(&finding.message),
            ));
        }
    }
    for failure in &results.failures {
        let mut properties = Vec::new();
        if !failure.path.as_os_str().is_empty() {
            properties.push(format!("file={}", escape_property(&slash_path(&failure.path))));
            if let Some((line, column)) = failure.position {
                properties.push(format!("line={line},col={column}"));
            }
        }
        out.push_str(&format!(
            "::error{}{}::{}\n",
            if properties.is_empty() { "" } else { " " },
            properties.join(","),
            escape_data(&failure.message)
        ));
    }
    out
}

/// The workflow command for a severity.
fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// Escapes a command's message: `%`, CR and LF as the workflow-command rules say, then every
/// other control character shown escaped (`\u{1b}`), so a config value cannot drive the log.
fn escape_data(text: &str) -> String {
    let escaped = text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    super::escape_controls(&escaped).into_owned()
}

/// Escapes a property value: as the message, plus `:` and `,`, which end a value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_messages_and_properties() {
        let text = "50% done,\r\nnext: a::b";
        assert_eq!(escape_data(text), "50%25 done,%0D%0Anext: a::b");
        assert_eq!(escape_property(text), "50%25 done%2C%0D%0Anext%3A a%3A%3Ab");
        // `%` first, so the escapes themselves are not escaped again.
        assert_eq!(escape_data("%0A"), "%250A");
        // Terminal and log controls from a config value are shown, not obeyed.
        assert_eq!(escape_data("a\u{1b}[31mb\u{7}\u{202e}"), "a\\u{1b}[31mb\\u{7}\\u{202e}");
        assert_eq!(escape_property("%3A,"), "%253A%2C");
        assert_eq!(escape_data("plain `text`"), "plain `text`");
    }

    #[test]
    fn severities_map_to_commands() {
        assert_eq!(command(Severity::Error), "error");
        assert_eq!(command(Severity::Warning), "warning");
        assert_eq!(command(Severity::Info), "notice");
    }
}
