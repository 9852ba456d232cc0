//! `auto-approved-tools`: settings that let tools run without asking the user.

use serde_json::json;

use crate::dialect::Component;
use crate::finding::{Finding, Severity};
use crate::fix::{Applicability, Edit, Fix};
use crate::model::{Approval, McpConfig, Server};

use super::{FixAvailability, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags approval bypasses: Gemini CLI `trust: true` on a server and `autoAccept: true` for the
    /// whole file, Cline `autoApprove` (and the older `alwaysAllow`) lists, Codex
    /// `default_tools_approval_mode = "approve"` and per-tool `approval_mode = "approve"`.
    /// Bypasses that cover every tool are errors; lists of named tools are warnings.
    ///
    /// ## Why is this bad?
    /// The confirmation prompt is the last human check between a prompt-injected model and a
    /// tool with side effects. Auto-approval removes it, usually for tools that were harmless
    /// when the setting was written and are not after the next server update.
    ///
    /// ## Example
    /// ```json
    /// { "mcpServers": { "shell": { "command": "uvx", "args": ["shell-mcp==1.0.0"], "trust": true } } }
    /// ```
    /// Use instead:
    /// ```json
    /// { "mcpServers": { "shell": { "command": "uvx", "args": ["shell-mcp==1.0.0"], "trust": false } } }
    /// ```
    ///
    /// ## Fix
    /// Remove the bypass, or narrow it to read-only tools by name. Not fixed automatically: which
    /// tools are harmless is the user's call.
    ///
    /// ## References
    /// - Gemini CLI `docs/tools/mcp-server.md` (`trust`), `docs/reference/configuration.md` (`autoAccept`)
    /// - Cline `src/services/mcp/schemas.ts` (`autoApprove`)
    /// - Codex `codex-rs/core/config.schema.json` (`approval_mode`)
    pub struct AutoApprovedTools {
        id: "auto-approved-tools",
        summary: "Tools run without the user's confirmation",
        severity: Severity::Warning,
        fix: FixAvailability::Always,
    }
}

impl Rule for AutoApprovedTools {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, config: &McpConfig, findings: &mut Vec<Finding>) {
        for approval in &config.approvals {
            findings.push(report(approval, None));
        }
        for server in &config.servers {
            self.check_server(config, server, findings);
        }
    }

    fn check_server(&self, _config: &McpConfig, server: &Server, findings: &mut Vec<Finding>) {
        for approval in &server.approvals {
            findings.push(report(approval, Some(server)));
        }
    }
}

fn report(approval: &Approval, server: Option<&Server>) -> Finding {
    let severity = if approval.all_tools {
        Severity::Error
    } else {
        AutoApprovedTools::INFO.default_severity
    };
    let scope = match server {
        Some(server) => format!("server `{}`: ", server.name),
        None => "every server: ".to_owned(),
    };
    let mut finding = Finding::new(
        AutoApprovedTools::INFO.id,
        severity,
        format!("{scope}{}", approval.description),
        &approval.route,
    )
    .label(if approval.all_tools {
        "no confirmation for any tool"
    } else {
        "no confirmation"
    })
    .help("remove the bypass, or keep it to read-only tools");
    if let Some(server) = server {
        finding = finding.server(&server.name, &server.route);
    }
    if let Some(fix) = ask_again(approval) {
        finding = finding.fix(fix);
    }
    finding
}

/// Turns the bypass off in place: `true` -> `false`, a list of tools -> `[]`, `approve` -> `prompt`.
fn ask_again(approval: &Approval) -> Option<Fix> {
    let (Component::Key(key), _) = approval.route.split_last()? else {
        return None;
    };
    let (value, title) = match key.as_str() {
        "trust" | "autoAccept" => (
            json!(false),
            format!("Set `{key}: false` so every tool call is confirmed"),
        ),
        "autoApprove" | "alwaysAllow" => (json!([]), format!("Empty `{key}` so every tool call is confirmed")),
        "default_tools_approval_mode" | "approval_mode" => (
            json!("prompt"),
            format!("Set `{key} = \"prompt\"` so tool calls are confirmed"),
        ),
        _ => return None,
    };
    Some(Fix::new(
        title,
        Applicability::Unsafe,
        vec![Edit::Replace {
            route: approval.route.clone(),
            value,
        }],
    ))
}
