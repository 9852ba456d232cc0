//! The audit report as one self-contained HTML page: inline CSS, no script, no resource from
//! elsewhere, readable on screen and on paper.

use std::fmt::Write as _;

use crate::audit::{LEGEND, Move, Report, Status};
use crate::output::escape_controls;

use super::{capitalised, counts_line, place, status_word};

const STYLE: &str = r#"
:root { --green: #1a7f37; --yellow: #9a6700; --red: #cf222e; --grey: #6e7781; --line: #d0d7de; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 0 auto; max-width: 1100px; padding: 2rem; }
h1 { font-size: 1.8rem; margin: 0 0 .25rem; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: .3rem; margin-top: 2.2rem; }
h3 { margin-top: 1.6rem; }
.verdict { font-size: 1.25rem; font-weight: 600; padding: .8rem 1rem; border-radius: 8px; border-left: 6px solid var(--grey); background: #f6f8fa; }
.verdict.not-ready { border-color: var(--red); } .verdict.production-ready-with-caveats { border-color: var(--yellow); } .verdict.production-ready { border-color: var(--green); }
.counts span { display: inline-block; margin-right: 1rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0; }
th, td { border: 1px solid var(--line); padding: .4rem .6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.status { font-weight: 700; white-space: nowrap; }
.pass { color: var(--green); } .partial { color: var(--yellow); } .absent { color: var(--red); } .not-assessed { color: var(--grey); }
.sev-critical { color: var(--red); font-weight: 700; text-decoration: underline; } .sev-high { color: var(--red); font-weight: 600; } .sev-medium { color: var(--yellow); font-weight: 600; } .sev-low { color: var(--grey); }
code { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; background: #f6f8fa; padding: .05rem .3rem; border-radius: 4px; }
.why { color: #57606a; }
footer { margin-top: 3rem; color: var(--grey); font-size: .85rem; }
@media print { body { padding: 0; max-width: none; } h2 { break-after: avoid; } tr, li { break-inside: avoid; } }
"#;

/// Text from a file (or the report) as HTML text: escaped, controls shown.
fn h(text: &str) -> String {
    let text = escape_controls(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Like [`h`], with `code spans` (the messages' backticks) set as `<code>`.
fn rich(text: &str) -> String {
    let escaped = h(text);
    if !escaped.matches('`').count().is_multiple_of(2) {
        return escaped;
    }
    escaped
        .split('`')
        .enumerate()
        .map(|(index, part)| {
            if index % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_owned()
            }
        })
        .collect()
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Partial => "partial",
        Status::Absent => "absent",
        Status::NotAssessed => "not-assessed",
    }
}

fn move_item(item: &Move) -> String {
    format!(
        "<strong>{}</strong> (effort {}; closes {}){}",
        rich(item.title),
        item.effort.name(),
        h(&item.findings.join(", ")),
        if item.automated {
            "; <code>mcp-lint --fix --unsafe-fixes</code> makes it"
        } else {
            ""
        }
    )
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>MCP gateway readiness audit</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    let verdict_class = match report.verdict {
        crate::audit::Verdict::ProductionReady => "production-ready",
        crate::audit::Verdict::ProductionReadyWithCaveats => "production-ready-with-caveats",
        crate::audit::Verdict::NotReady => "not-ready",
    };
    let c = report.counts;
    let header = &report.header;
    let _ = writeln!(out, "<h1>MCP gateway readiness audit</h1>");
    let targets: Vec<String> = header
        .targets
        .iter()
        .map(|t| format!("<code>{}</code>", h(t)))
        .collect();
    let commit = header
        .commit
        .as_deref()
        .map(|commit| format!(" at commit <code>{}</code>", h(commit)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<table class=\"header\">\n<tr><th>Date</th><td>{}</td></tr>\n<tr><th>Target</th><td>{}{commit}</td></tr>\n<tr><th>Tool</th><td>mcp-lint {} (<code>mcp-lint audit</code>)</td></tr>\n</table>",
        h(&header.date),
        targets.join(", "),
        h(header.mcp_lint_version)
    );
    let _ = writeln!(
        out,
        "<p class=\"verdict {verdict_class}\">Verdict: {}</p>",
        report.verdict.label()
    );
    let _ = writeln!(
        out,
        "<p class=\"counts\"><span class=\"pass\">{} green</span><span class=\"partial\">{} yellow</span><span class=\"absent\">{} red</span><span class=\"not-assessed\">{} not assessed</span></p>",
        c.green, c.yellow, c.red, c.not_assessed
    );
    let _ = writeln!(
        out,
        "<h2>Executive summary</h2>\n<p>{}</p>",
        rich(&report.summary.join(" "))
    );
    let _ = writeln!(
        out,
        "<h2>Scope, method and limitations</h2>\n<p>Scope: the files below, read as the gateway and its clients read them.</p>\n<ul>"
    );
    for input in &report.inputs {
        let _ = writeln!(out, "<li><code>{}</code> ({})</li>", h(&input.file), rich(&input.kind));
    }
    let _ = writeln!(
        out,
        "</ul>\n<p>Method: {}</p>\n<p>Limitations:</p>\n<ul>",
        rich(super::markdown::METHOD)
    );
    for limitation in &report.limitations {
        let _ = writeln!(out, "<li class=\"not-assessed\">{}</li>", rich(limitation));
    }
    let _ = writeln!(
        out,
        "</ul>\n<h2>Gap matrix</h2>\n<table>\n<tr><th>#</th><th>Dimension</th><th>Status</th><th>Finding</th><th>Severity</th></tr>"
    );
    for d in &report.dimensions {
        let severity = d.severity.map_or("-", |s| s.name());
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td><a href=\"#d{}\">{}</a></td><td class=\"status {}\">{}</td><td>{}</td><td class=\"sev-{severity}\">{severity}</td></tr>",
            d.number,
            d.number,
            d.title,
            status_class(d.status),
            status_word(d.status),
            rich(&d.summary)
        );
    }
    let _ = writeln!(out, "</table>\n<ul class=\"legend\">");
    for (status, means) in LEGEND {
        let _ = writeln!(
            out,
            "<li><span class=\"status {}\">{}</span> = {}</li>",
            status_class(status),
            status_word(status),
            h(means)
        );
    }
    let _ = writeln!(
        out,
        "</ul>\n<p>Status and severity are apart: the status says whether the control exists and holds, the severity how bad its worst gap is.</p>"
    );
    let _ = writeln!(out, "<h2>Findings by dimension</h2>");
    for d in &report.dimensions {
        let _ = writeln!(
            out,
            "<h3 id=\"d{}\">{}. {} <span class=\"status {}\">{}</span></h3>\n<p>{}</p>",
            d.number,
            d.number,
            d.title,
            status_class(d.status),
            status_word(d.status),
            rich(&d.summary)
        );
        let _ = writeln!(out, "<p>What we looked at:</p>\n<ul>");
        for what in &d.looked_at {
            let _ = writeln!(out, "<li>{}</li>", rich(what));
        }
        let _ = writeln!(out, "</ul>");
        if !d.findings.is_empty() || !d.controls.is_empty() {
            let _ = writeln!(
                out,
                "<p>What we found (the worst first):</p>\n<table>\n<tr><th>ID</th><th>Severity</th><th>Finding</th><th>Evidence</th></tr>"
            );
            for f in &d.findings {
                let _ = writeln!(
                    out,
                    "<tr><td>{}</td><td class=\"sev-{sev}\">{sev}</td><td>{}</td><td><code>{}</code></td></tr>",
                    f.id,
                    rich(&f.message),
                    h(&place(f.file.as_deref(), f.line)),
                    sev = f.severity.name()
                );
            }
            for control in &d.controls {
                let _ = writeln!(
                    out,
                    "<tr class=\"pass\"><td></td><td>in place</td><td>{}</td><td><code>{}</code></td></tr>",
                    rich(&control.message),
                    h(&place(control.file.as_deref(), control.line))
                );
            }
            let _ = writeln!(out, "</table>");
        }
        let whys = d.whys();
        if !whys.is_empty() {
            let _ = writeln!(out, "<p>Why it matters:</p>\n<ul class=\"why\">");
            for why in whys {
                let _ = writeln!(out, "<li>{}</li>", rich(&capitalised(why)));
            }
            let _ = writeln!(out, "</ul>");
        }
        if !d.not_assessed.is_empty() {
            let _ = writeln!(out, "<p>Not assessed (static-only):</p>\n<ul>");
            for what in &d.not_assessed {
                let _ = writeln!(out, "<li class=\"not-assessed\">{}</li>", rich(what));
            }
            let _ = writeln!(out, "</ul>");
        }
    }
    let _ = writeln!(
        out,
        "<h2>Verdict and top risks</h2>\n<p>{}</p>",
        rich(&report.summary[0])
    );
    if report.risks.is_empty() {
        let _ = writeln!(out, "<p>No risk of medium severity or more.</p>");
    } else {
        let _ = writeln!(
            out,
            "<table>\n<tr><th>#</th><th>Risk</th><th>Severity</th><th>Likelihood</th><th>Impact</th><th>Findings</th></tr>"
        );
        for (index, risk) in report.risks.iter().enumerate() {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td><strong>{}</strong><br>{}</td><td class=\"sev-{sev}\">{sev}</td><td>{}/3</td><td>{}/3</td><td>{}</td></tr>",
                index + 1,
                rich(&risk.headline),
                rich(&capitalised(risk.title)),
                risk.likelihood,
                risk.impact,
                h(&risk.findings.join(", ")),
                sev = risk.severity.name()
            );
        }
        let _ = writeln!(out, "</table>");
    }
    let _ = writeln!(out, "<h2>90-day roadmap</h2>");
    for phase in &report.roadmap {
        let _ = writeln!(out, "<h3>{}: {}</h3>", phase.days, phase.name);
        if !phase.items.is_empty() {
            let _ = writeln!(out, "<ul>");
            for item in &phase.items {
                let _ = writeln!(out, "<li>{}</li>", move_item(item));
            }
            let _ = writeln!(out, "</ul>");
        }
        let _ = writeln!(
            out,
            "<p class=\"outcome\">Expected outcome: {}</p>",
            rich(&phase.outcome)
        );
    }
    let _ = writeln!(out, "<h2>Credential inventory</h2>");
    if report.inventory.is_empty() {
        let _ = writeln!(out, "<p>No server receives a credential in these files.</p>");
    } else {
        let _ = writeln!(
            out,
            "<p>Every credential a server receives, so offboarding knows what to revoke (values never shown).</p>\n<table>\n<tr><th>Server</th><th>Credential</th><th>Given as</th><th>Where</th></tr>"
        );
        for cred in &report.inventory {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td><code>{}:{}</code></td></tr>",
                h(&cred.server),
                rich(&cred.field),
                h(&cred.source),
                h(&cred.file),
                cred.line
            );
        }
        let _ = writeln!(out, "</table>");
    }
    let _ = writeln!(
        out,
        "<h2>Evidence index</h2>\n<table>\n<tr><th>Evidence</th><th>Severity</th><th>Where</th><th>What the line shows</th><th>Rule</th></tr>"
    );
    for d in &report.dimensions {
        for f in &d.findings {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"sev-{sev}\">{sev}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                f.id,
                h(&place(f.file.as_deref(), f.line)),
                rich(&f.message),
                f.rule.unwrap_or(""),
                sev = f.severity.name()
            );
        }
        for control in &d.controls {
            let _ = writeln!(
                out,
                "<tr class=\"pass\"><td>{}. in place</td><td></td><td><code>{}</code></td><td>{}</td><td></td></tr>",
                d.number,
                h(&place(control.file.as_deref(), control.line)),
                rich(&control.message)
            );
        }
    }
    let _ = writeln!(
        out,
        "</table>\n<footer>{} &middot; {} &middot; generated by <code>mcp-lint audit</code> {}</footer>\n</body>\n</html>",
        h(&header.date),
        counts_line(report),
        h(header.mcp_lint_version)
    );
    out
}
