//! The audit report as Markdown: verdict, gap matrix, moves, risks, roadmap, the dimensions'
//! findings with their evidence, the credential inventory and the evidence index.

use std::fmt::Write as _;

use crate::audit::{LEGEND, Move, Report};
use crate::output::escape_controls;

use super::{capitalised, counts_line, place_suffix, status_word};

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

/// What the audit did, in the report's words (the method of the reference audit, applied by a
/// tool).
pub(super) const METHOD: &str = "Read-only inspection of the deployment's own files: the gateway's config, its Helm values or rendered manifests, client configs, CI workflows and the lock. Seven dimensions, each assessed by the checks of docs/audit.md; every finding cites a file and line, and every status in the gap matrix traces to the evidence index. A control that exists but only takes effect when an operator turns it on is recorded as such: the default is what most deployments run. What the files cannot show is listed as not assessed (static only), never implied.";

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let header = &report.header;
    let _ = writeln!(
        out,
        "# MCP gateway readiness audit
"
    );
    let _ = writeln!(
        out,
        "| | |
|---|---|"
    );
    let _ = writeln!(out, "| Date | {} |", md(&header.date));
    let targets: Vec<String> = header.targets.iter().map(|t| format!("`{}`", md(t))).collect();
    let commit = header
        .commit
        .as_deref()
        .map(|commit| format!(" at commit `{commit}`"))
        .unwrap_or_default();
    let _ = writeln!(out, "| Target | {}{commit} |", targets.join(", "));
    let _ = writeln!(
        out,
        "| Tool | mcp-lint {} (`mcp-lint audit`) |",
        header.mcp_lint_version
    );
    let _ = writeln!(
        out,
        "| Verdict | **{}** ({}) |",
        report.verdict.label(),
        counts_line(report)
    );
    let _ = writeln!(out, "\n## Executive summary\n");
    let _ = writeln!(out, "{}", md(&report.summary.join(" ")));
    let _ = writeln!(out, "\n## Scope, method and limitations\n");
    let _ = writeln!(
        out,
        "Scope: the files below, read as the gateway and its clients read them.\n"
    );
    for input in &report.inputs {
        let _ = writeln!(out, "- `{}` ({})", md(&input.file), md(&input.kind));
    }
    let _ = writeln!(out, "\nMethod: {}\n", md(METHOD));
    let _ = writeln!(out, "Limitations:\n");
    for limitation in &report.limitations {
        let _ = writeln!(out, "- {}", md(limitation));
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
    let _ = writeln!(out, "\n## Findings by dimension");
    for d in &report.dimensions {
        let _ = writeln!(out, "\n### {}. {}: {}\n", d.number, d.title, status_word(d.status));
        let _ = writeln!(out, "{}\n", md(&d.summary));
        let _ = writeln!(out, "What we looked at:\n");
        for what in &d.looked_at {
            let _ = writeln!(out, "- {}", md(what));
        }
        if !d.findings.is_empty() || !d.controls.is_empty() {
            let _ = writeln!(out, "\nWhat we found (the worst first):\n");
        }
        for f in &d.findings {
            let at = place_suffix(f.file.as_deref(), f.line, |at| format!(" (`{}`)", md(at)));
            let _ = writeln!(out, "- **{}** {}: {}{at}", f.id, f.severity.name(), md(&f.message));
        }
        for control in &d.controls {
            let at = place_suffix(control.file.as_deref(), control.line, |at| format!(" (`{}`)", md(at)));
            let _ = writeln!(out, "- in place: {}{at}", md(&control.message));
        }
        let whys = d.whys();
        if !whys.is_empty() {
            let _ = writeln!(out, "\nWhy it matters:\n");
            for why in whys {
                let _ = writeln!(out, "- {}", md(&capitalised(why)));
            }
        }
        if !d.not_assessed.is_empty() {
            let _ = writeln!(out, "\nNot assessed (static-only):\n");
            for what in &d.not_assessed {
                let _ = writeln!(out, "- {}", md(what));
            }
        }
    }
    let _ = writeln!(out, "\n## Verdict and top risks\n");
    let _ = writeln!(out, "{}\n", md(&report.summary[0]));
    if report.risks.is_empty() {
        let _ = writeln!(out, "No risk of medium severity or more.");
    } else {
        let _ = writeln!(out, "| # | Risk | Severity | Likelihood | Impact | Findings |");
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for (index, risk) in report.risks.iter().enumerate() {
            let _ = writeln!(
                out,
                "| {} | **{}** {} | {} | {}/3 | {}/3 | {} |",
                index + 1,
                md(&risk.headline),
                md(&capitalised(risk.title)),
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
        for item in &phase.items {
            let _ = writeln!(out, "- [ ] {}", move_line(item));
        }
        if !phase.items.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(out, "Expected outcome: {}\n", md(&phase.outcome));
    }
    let _ = writeln!(out, "## Credential inventory\n");
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
    let _ = writeln!(out, "| Evidence | Severity | Where | What the line shows | Rule |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for d in &report.dimensions {
        for f in &d.findings {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                f.id,
                f.severity.name(),
                place_suffix(f.file.as_deref(), f.line, |at| format!("`{}`", md(at))),
                md(&f.message),
                f.rule.unwrap_or("")
            );
        }
        for control in &d.controls {
            let _ = writeln!(
                out,
                "| {}. in place | - | {} | {} | |",
                d.number,
                place_suffix(control.file.as_deref(), control.line, |at| format!("`{}`", md(at))),
                md(&control.message)
            );
        }
    }
    out
}
