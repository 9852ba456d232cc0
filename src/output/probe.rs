//! `probe` results: a table per server (tools, read-only, write, destructive) or one JSON document.

use serde_json::json;

use crate::probe::{ProbeOutcome, ServerOutcome, ToolKind};

use super::escape_controls;

/// The human table: one row per probed server, then the servers skipped or failed, with why.
pub fn render_human(outcome: &ProbeOutcome) -> String {
    let mut rows: Vec<[String; 6]> = vec![[
        "server".into(),
        "version".into(),
        "tools".into(),
        "read-only".into(),
        "write".into(),
        "destructive".into(),
    ]];
    let mut notes = Vec::new();
    // Servers of several files: each name with its file, as `file: server`.
    let files: std::collections::BTreeSet<&std::path::Path> =
        outcome.servers.iter().map(|probe| probe.file.as_path()).collect();
    for probe in &outcome.servers {
        let name = if files.len() > 1 {
            escape_controls(&format!("{}: {}", probe.file.display(), probe.server)).into_owned()
        } else {
            escape_controls(&probe.server).into_owned()
        };
        match &probe.outcome {
            ServerOutcome::Probed(server) => rows.push([
                name,
                escape_controls(&format!("{} {}", server.server_name, server.server_version))
                    .trim()
                    .to_owned(),
                server.tools.len().to_string(),
                server.count(ToolKind::ReadOnly).to_string(),
                server.count(ToolKind::Write).to_string(),
                server.count(ToolKind::Destructive).to_string(),
            ]),
            ServerOutcome::Skipped { reason } => {
                notes.push(format!(
                    "skipped `{}` ({}): {reason}",
                    probe.server,
                    probe.file.display()
                ));
            }
            ServerOutcome::Failed { reason } => {
                notes.push(format!(
                    "error: `{}` ({}): {reason}",
                    probe.server,
                    probe.file.display()
                ));
            }
        }
    }
    let mut text = String::new();
    if rows.len() > 1 {
        let widths: Vec<usize> = (0..6)
            .map(|column| rows.iter().map(|row| row[column].chars().count()).max().unwrap_or(0))
            .collect();
        for row in &rows {
            let cells: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(column, cell)| {
                    if column < 2 {
                        format!("{cell:<width$}", width = widths[column])
                    } else {
                        format!("{cell:>width$}", width = widths[column])
                    }
                })
                .collect();
            text.push_str(cells.join("  ").trim_end());
            text.push('\n');
        }
        text.push_str(
            "\nread-only: `readOnlyHint: true`; write: `destructiveHint: false`; destructive: the rest (MCP's defaults)\n",
        );
    }
    for note in notes {
        text.push_str(&escape_controls(&note));
        text.push('\n');
    }
    if outcome.servers.is_empty() {
        text.push_str("No servers to probe.\n");
    }
    text
}

/// The JSON document: `version`, then every server with its status and, when probed, its tools.
pub fn render_json(outcome: &ProbeOutcome) -> String {
    let servers: Vec<serde_json::Value> = outcome
        .servers
        .iter()
        .map(|probe| {
            let mut value = serde_json::to_value(probe).unwrap_or_default();
            if let (ServerOutcome::Probed(server), Some(object)) = (&probe.outcome, value.as_object_mut()) {
                let tools: Vec<serde_json::Value> = server
                    .tools
                    .iter()
                    .map(|tool| {
                        let mut entry = serde_json::to_value(tool).unwrap_or_default();
                        entry["kind"] = serde_json::to_value(tool.kind()).unwrap_or_default();
                        entry
                    })
                    .collect();
                object.insert("tools".into(), json!(tools));
            }
            value
        })
        .collect();
    let failures: Vec<serde_json::Value> = outcome
        .failures
        .iter()
        .map(|failure| json!({"file": failure.path, "message": failure.message}))
        .collect();
    let document = json!({"version": 1, "servers": servers, "errors": failures});
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}
