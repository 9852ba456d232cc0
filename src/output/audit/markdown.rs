//! The audit report as Markdown: verdict, gap matrix, moves, risks, roadmap, the dimensions'
//! findings with their evidence, the credential inventory and the evidence index.

use std::fmt::Write as _;

use crate::audit::{LEGEND, Move, Report};
use crate::output::escape_controls;

use super::{counts_line, place_suffix, status_word};

/// Text from a file, safe inside a Markdown table cell or line.
fn md(text: &str) -> String {
    let text = escape_controls(text);
    let mut out = String::with_capacity(text.len());
    // Inside a code span an entity prints as written (`&lt;server&gt;`), and `<` is no markup.
    let mut in_code = false;
    for c in text.chars() {
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '|' => out.push_str("\\|"),
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn move_line(item: &Move) -> String {
    format!(
        "**{}** (effort {}; closes {}{})",
        md(item.title),
        item.effort.name(),
        item.findings.join(", "),
        if item.automated {
            "; `mcp-lint --fix --unsafe-fixes` makes it"
        } else {
            ""
        }
    )
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# MCP gateway readiness audit\n");
    let _ = writeln!(
        out,
        "**Verdict: {}** ({})\n",
        report.verdict.label(),
        counts_line(report)
    );
    let _ = writeln!(
        out,
        "Read from the deployment's own files, offline, by `mcp-lint audit`:\n"
    );
    for input in &report.inputs {
        let _ = writeln!(out, "- `{}` ({})", md(&input.file), md(&input.kind));
    }
    let _ = writeln!(out, "\n## Gap matrix\n");
    let _ = writeln!(out, "| # | Dimension | Status | Finding | Severity |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for d in &report.dimensions {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            d.number,
            d.title,
            status_word(d.status),
            md(&d.summary),
            d.severity.map_or("-", |s| s.name())
        );
    }
    let _ = writeln!(out);
    for (status, means) in LEGEND {
        let _ = writeln!(out, "- **{}** = {}", status_word(status), md(means));
    }
    let _ = writeln!(
        out,
        "\nStatus and severity are apart: the status says whether the control exists and holds, the severity how bad its worst gap is."
    );
    let _ = writeln!(out, "\n## The highest-leverage moves\n");
    if report.moves.is_empty() {
        let _ = writeln!(out, "None: no gap the files can show.");
    }
    for (index, item) in report.moves.iter().enumerate() {
        let _ = writeln!(out, "{}. {}", index + 1, move_line(item));
    }
    let _ = writeln!(out, "\n## Top risks\n");
    if report.risks.is_empty() {
        let _ = writeln!(out, "None of medium or high severity.");
    } else {
        let _ = writeln!(out, "| Risk | Severity | Likelihood | Impact | Findings |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for risk in &report.risks {
            let _ = writeln!(
                out,
                "| {} ({}) | {} | {}/3 | {}/3 | {} |",
                md(&risk.headline),
                md(risk.title),
                risk.severity.name(),
                risk.likelihood,
                risk.impact,
                risk.findings.join(", ")
            );
        }
    }
    let _ = writeln!(out, "\n## 90-day roadmap\n");
    for phase in &report.roadmap {
        let _ = writeln!(out, "### {}: {}\n", phase.days, phase.name);
        if phase.items.is_empty() {
            let _ = writeln!(out, "Nothing in this phase.\n");
            continue;
        }
        for item in &phase.items {
            let _ = writeln!(out, "- [ ] {}", move_line(item));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Dimensions");
    for d in &report.dimensions {
        let _ = writeln!(out, "\n### {}. {}: {}\n", d.number, d.title, status_word(d.status));
        let _ = writeln!(out, "{}\n", md(&d.summary));
        let _ = writeln!(out, "Looked at:\n");
        for what in &d.looked_at {
            let _ = writeln!(out, "- {}", md(what));
        }
        if !d.controls.is_empty() {
            let _ = writeln!(out, "\nIn place:\n");
            for control in &d.controls {
                let at = place_suffix(control.file.as_deref(), control.line, |at| format!(" (`{}`)", md(at)));
                let _ = writeln!(out, "- {}{at}", md(&control.message));
            }
        }
        if !d.findings.is_empty() {
            let _ = writeln!(out, "\nFindings:\n");
            for f in &d.findings {
                let at = place_suffix(f.file.as_deref(), f.line, |at| format!(" (`{}`)", md(at)));
                let _ = writeln!(
                    out,
                    "- **{}** {}: {}{at}. Why it matters: {}.",
                    f.id,
                    f.severity.name(),
                    md(&f.message),
                    md(f.why)
                );
            }
        }
        if !d.not_assessed.is_empty() {
            let _ = writeln!(out, "\nNot assessed (static-only):\n");
            for what in &d.not_assessed {
                let _ = writeln!(out, "- {}", md(what));
            }
        }
    }
    let _ = writeln!(out, "\n## Credential inventory\n");
    if report.inventory.is_empty() {
        let _ = writeln!(out, "No server receives a credential in these files.");
    } else {
        let _ = writeln!(
            out,
            "Every credential a server receives, so offboarding knows what to revoke (values never shown).\n"
        );
        let _ = writeln!(out, "| Server | Credential | Given as | Where |");
        let _ = writeln!(out, "|---|---|---|---|");
        for c in &report.inventory {
            let _ = writeln!(
                out,
                "| {} | {} | {} | `{}:{}` |",
                md(&c.server),
                md(&c.field),
                md(&c.source),
                md(&c.file),
                c.line
            );
        }
    }
    let _ = writeln!(out, "\n## Evidence index\n");
    let _ = writeln!(out, "| Finding | Severity | File | Line | Rule |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for d in &report.dimensions {
        for f in &d.findings {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                f.id,
                f.severity.name(),
                f.file.as_deref().map(md).unwrap_or_default(),
                f.line.map(|l| l.to_string()).unwrap_or_default(),
                f.rule.unwrap_or("")
            );
        }
    }
    out
}
