//! The audit report on a terminal: the verdict, the gap matrix, the moves, the risks, the
//! roadmap and each dimension's findings with their evidence; colour only when asked (a TTY).

use std::fmt::Write as _;

use crate::audit::{LEGEND, Report, Severity, Status};
use crate::output::escape_controls;

use super::{counts_line, place, place_suffix, status_word};

struct Paint {
    color: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }

    fn status(&self, status: Status) -> String {
        let code = match status {
            Status::Pass => "32",
            Status::Partial => "33",
            Status::Absent => "31;1",
            Status::NotAssessed => "2",
        };
        self.wrap(code, &format!("{:<13}", status_word(status)))
    }

    fn severity(&self, severity: Severity) -> String {
        let code = match severity {
            Severity::Critical => "31;1",
            Severity::High => "31",
            Severity::Medium => "33",
            Severity::Low => "2",
        };
        self.wrap(code, severity.name())
    }
}

pub fn render(report: &Report, color: bool) -> String {
    let paint = Paint { color };
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint.bold("MCP gateway readiness audit"));
    let header = &report.header;
    let _ = writeln!(
        out,
        "{} · {}{} · mcp-lint {}",
        header.date,
        escape_controls(&header.targets.join(", ")),
        header.commit.as_deref().map(|c| format!(" at {c}")).unwrap_or_default(),
        header.mcp_lint_version
    );
    let _ = writeln!(
        out,
        "Verdict: {} ({})\n",
        paint.bold(report.verdict.label()),
        counts_line(report)
    );
    for d in &report.dimensions {
        let _ = writeln!(
            out,
            "  {} {} {:<34} {}",
            d.number,
            paint.status(d.status),
            d.title,
            escape_controls(&d.summary)
        );
    }
    let _ = writeln!(out);
    for (status, means) in LEGEND {
        let _ = writeln!(out, "  {} = {means}", paint.status(status));
    }
    if !report.moves.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Highest-leverage moves"));
        for (index, item) in report.moves.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. {} (effort {}; closes {}){}",
                index + 1,
                item.title,
                item.effort.name(),
                item.findings.join(", "),
                if item.automated {
                    " [mcp-lint --fix --unsafe-fixes]"
                } else {
                    ""
                }
            );
        }
    }
    if !report.risks.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            paint.bold("Top risks (by severity, then likelihood x impact)")
        );
        for risk in &report.risks {
            let _ = writeln!(
                out,
                "  {} {} ({})\n      {}",
                paint.severity(risk.severity),
                escape_controls(&risk.headline),
                risk.findings.join(", "),
                risk.title
            );
        }
    }
    let _ = writeln!(out, "\n{}", paint.bold("90-day roadmap"));
    for phase in &report.roadmap {
        let _ = writeln!(out, "  {} ({}):", phase.name, phase.days);
        if phase.items.is_empty() {
            let _ = writeln!(out, "    nothing");
        }
        for item in &phase.items {
            let _ = writeln!(
                out,
                "    - {} [{}] ({})",
                item.title,
                item.effort.name(),
                item.findings.join(", ")
            );
        }
    }
    for d in &report.dimensions {
        let _ = writeln!(
            out,
            "\n{} {}",
            paint.bold(&format!("{}. {}", d.number, d.title)),
            paint.status(d.status).trim_end()
        );
        for control in &d.controls {
            let at = place_suffix(control.file.as_deref(), control.line, |at| {
                format!(" {}", escape_controls(at))
            });
            let _ = writeln!(out, "  ok    {}{at}", escape_controls(&control.message));
        }
        for f in &d.findings {
            let at = place(f.file.as_deref(), f.line);
            let _ = writeln!(
                out,
                "  {:<5} {} {}\n        at {}",
                f.id,
                paint.severity(f.severity),
                escape_controls(&f.message),
                if at.is_empty() {
                    "(no single place)".to_owned()
                } else {
                    escape_controls(&at).into_owned()
                }
            );
        }
        for what in &d.not_assessed {
            let _ = writeln!(out, "  not assessed: {}", escape_controls(what));
        }
    }
    if !report.inventory.is_empty() {
        let _ = writeln!(out, "\n{}", paint.bold("Credential inventory (values never shown)"));
        for c in &report.inventory {
            let _ = writeln!(
                out,
                "  {}: {} from {} ({}:{})",
                escape_controls(&c.server),
                escape_controls(&c.field),
                escape_controls(&c.source),
                escape_controls(&c.file),
                c.line
            );
        }
    }
    out
}
