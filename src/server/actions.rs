//! The language server's code actions: each finding's fix as a quick fix, an inline ignore
//! directive, pinning (which asks the registries, so it runs only as a command the user picks)
//! and "fix all safe" as `source.fixAll.mcp-lint`.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, Command, TextEdit, Uri, WorkspaceEdit,
};

use crate::fix::Applicability;
use crate::model::{PackageRef, VersionSpec};
use crate::run::buffer::PINNING_RULES;
use crate::run::fix::PlannedFix;
use crate::run::lint::{FileReport, Located};

use super::positions::Positions;
use super::{FIX_ALL, PIN_COMMAND, diagnostic};

/// The arguments of [`PIN_COMMAND`]: the document as the action saw it, and the server to pin
/// (every unpinned package and image of the file when none).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct PinArguments {
    pub uri: Uri,
    pub version: i32,
    pub server: Option<String>,
}

/// The code actions for `params.range` of a linted document.
pub fn code_actions(
    params: &CodeActionParams,
    text: &str,
    version: i32,
    report: &FileReport,
    planned: &[Option<PlannedFix>],
) -> Vec<CodeActionOrCommand> {
    let uri = &params.text_document.uri;
    let lines = Positions::new(text);
    let wanted = |kind: &CodeActionKind| {
        params
            .context
            .only
            .as_ref()
            .is_none_or(|only| only.iter().any(|o| kind.as_str().starts_with(o.as_str())))
    };
    let in_range = |located: &Located| {
        let range = lines.range(located.primary.start, located.primary.end);
        !(range.end < params.range.start || params.range.end < range.start)
    };
    let mut actions = Vec::new();
    if wanted(&CodeActionKind::QUICKFIX) {
        for (located, fix) in report.findings.iter().zip(planned) {
            if !in_range(located) {
                continue;
            }
            if let Some(fix) = fix {
                let safe = fix.applicability == Applicability::Safe;
                actions.push(quick_fix(
                    if safe {
                        fix.title.clone()
                    } else {
                        format!("{} (unsafe: review it)", fix.title)
                    },
                    diagnostic(uri, located, &lines),
                    edit(uri, &lines, &fix.replacements),
                    safe,
                ));
            }
            if let Some(package) = pinnable(report, located).filter(|_| fix.is_none()) {
                let arguments = PinArguments {
                    uri: uri.clone(),
                    version,
                    server: located.finding.server.clone(),
                };
                let title = format!(
                    "Pin `{}` to its newest verified release (asks the registry; unsafe: review it)",
                    package.text
                );
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: title.clone(),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic(uri, located, &lines)]),
                    command: Some(Command {
                        title,
                        command: PIN_COMMAND.to_owned(),
                        arguments: Some(vec![serde_json::to_value(&arguments).unwrap_or_default()]),
                    }),
                    is_preferred: Some(false),
                    ..CodeAction::default()
                }));
            }
        }
        if !report.source.embedded {
            for located in report.findings.iter().filter(|located| in_range(located)) {
                if let Some((at, comment)) = ignore_directive(report, located) {
                    let position = lines.position(at);
                    let edit = WorkspaceEdit {
                        changes: Some(HashMap::from([(
                            uri.clone(),
                            vec![TextEdit {
                                range: lsp_types::Range::new(position, position),
                                new_text: comment,
                            }],
                        )])),
                        ..WorkspaceEdit::default()
                    };
                    let title = format!(
                        "Ignore `{}` here (an inline `mcp-lint: ignore` comment)",
                        located.finding.rule
                    );
                    actions.push(quick_fix(title, diagnostic(uri, located, &lines), edit, false));
                }
            }
        }
    }
    let fix_all = CodeActionKind::new(FIX_ALL);
    if wanted(&fix_all)
        && let Some(fixed) = fixed_safely(report, text)
    {
        actions.push(CodeActionOrCommand::CodeAction(CodeAction {
            title: "mcp-lint: fix all safe findings".to_owned(),
            kind: Some(fix_all),
            edit: Some(WorkspaceEdit {
                changes: Some(HashMap::from([(uri.clone(), vec![lines.edit_to(&fixed)])])),
                ..WorkspaceEdit::default()
            }),
            ..CodeAction::default()
        }));
    }
    actions
}

fn quick_fix(
    title: String,
    diagnostic: lsp_types::Diagnostic,
    edit: WorkspaceEdit,
    preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic]),
        edit: Some(edit),
        is_preferred: Some(preferred),
        ..CodeAction::default()
    })
}

/// The text with every safe fix applied, when that changes it.
fn fixed_safely(report: &FileReport, text: &str) -> Option<String> {
    let safe: Vec<&crate::fix::Fix> = report
        .findings
        .iter()
        .filter_map(|located| located.finding.fix.as_ref())
        .filter(|fix| fix.applicability == Applicability::Safe)
        .collect();
    if safe.is_empty() {
        return None;
    }
    let (fixed, _) = crate::run::fix::apply_chosen(report, &safe);
    // Written back as the file holds it: its byte order mark, its line ends.
    let fixed = report.source.disk_text(&fixed);
    (fixed != text).then_some(fixed)
}

/// The package or image of a pinning finding that a registry can pin (not a git or URL source).
fn pinnable<'r>(report: &'r FileReport, located: &Located) -> Option<&'r PackageRef> {
    let finding = &located.finding;
    if !PINNING_RULES.contains(&finding.rule) {
        return None;
    }
    let server = report
        .config
        .servers
        .iter()
        .find(|server| Some(&server.name) == finding.server.as_ref())?;
    let package = server.launch.as_ref()?.package.as_ref()?;
    (!matches!(package.spec, VersionSpec::Git { .. } | VersionSpec::Url(_))).then_some(package)
}

/// A fix's byte replacements as text edits of the document.
fn edit(uri: &Uri, lines: &Positions, replacements: &[crate::fix::engine::Splice]) -> WorkspaceEdit {
    let edits = replacements
        .iter()
        .map(|splice| TextEdit {
            range: lines.range(splice.start, splice.end),
            new_text: splice.text.clone(),
        })
        .collect();
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// An `mcp-lint: ignore[rule]` comment on its own line above the finding, indented as that line
/// (`//` in JSONC, `#` in YAML and TOML; strict JSON has no comments): where to insert it and
/// its text. None when the text with it would not parse, or the directive would not reach the
/// finding (inside a multi-line string, say).
fn ignore_directive(report: &FileReport, located: &Located) -> Option<(usize, String)> {
    let syntax = report.syntax();
    let marker = match syntax {
        crate::dialect::Syntax::Json => return None,
        crate::dialect::Syntax::Jsonc => "//",
        crate::dialect::Syntax::Yaml | crate::dialect::Syntax::Toml => "#",
    };
    let text = &report.source.text;
    let start = text.get(..located.primary.start)?.rfind('\n').map_or(0, |at| at + 1);
    let indent: String = text[start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    // The line's own ending: a CRLF file keeps CRLF.
    let crlf = text[start..]
        .find('\n')
        .is_some_and(|at| at > 0 && text.as_bytes()[start + at - 1] == b'\r');
    let line_end = if crlf { "\r\n" } else { "\n" };
    let comment = format!("{indent}{marker} mcp-lint: ignore[{}]{line_end}", located.finding.rule);
    let mut changed = text.clone();
    changed.insert_str(start, &comment);
    crate::dialect::parse(syntax, &changed).ok()?;
    let line = text[..start].matches('\n').count() + 1;
    let reaches = crate::run::directives::parse(&changed, syntax)
        .iter()
        .any(|d| d.line == line && d.target == line + 1 && d.rules.iter().any(|r| r == located.finding.rule));
    reaches.then_some((start, comment))
}
