//! Lints one file: read, parse, detect the dialect, build the model, run the rules, locate findings.

use std::path::{Path, PathBuf};

use crate::collect::{self, Input};

use thiserror::Error;

use crate::dialect::position::LineIndex;
use crate::dialect::{self, Dialect, Node, Span, detect};
use crate::finding::{Finding, Location};
use crate::model::{self, McpConfig};
use crate::rules::{self, LintContext, Rule};

/// The UTF-8 byte order mark some editors write at the start of JSON files.
const BOM: &str = "\u{feff}";

/// A file's text as the tools read it, with the BOM removed and line starts indexed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user named it (or as found while walking).
    pub path: PathBuf,
    /// The text without a leading BOM; every span and position refers to this.
    pub text: String,
    pub had_bom: bool,
    pub lines: LineIndex,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, raw: String) -> Self {
        let (text, had_bom) = match raw.strip_prefix(BOM) {
            Some(rest) => (rest.to_owned(), true),
            None => (raw, false),
        };
        let lines = LineIndex::new(&text);
        Self {
            path: path.into(),
            text,
            had_bom,
            lines,
        }
    }
}

/// A finding resolved to a place in the file.
#[derive(Debug, Clone)]
pub struct Located {
    pub finding: Finding,
    pub primary: Span,
    pub related: Vec<(Span, String)>,
}

/// Everything mcp-lint learned about one file.
#[derive(Debug)]
pub struct FileReport {
    pub source: SourceFile,
    pub dialect: Dialect,
    pub config: McpConfig,
    pub findings: Vec<Located>,
}

/// Why a file could not be linted, located in the file where that means something.
#[derive(Debug, Error)]
pub enum LintError {
    #[error("{message}")]
    Syntax { offset: usize, message: String },
    #[error("not an MCP config: {reason}")]
    NotMcp { reason: String },
}

/// Lints `source`; `dialect` overrides detection.
pub fn lint(
    source: SourceFile,
    dialect: Option<Dialect>,
    rules: &[&dyn Rule],
    context: &LintContext,
) -> Result<FileReport, (SourceFile, LintError)> {
    let path_hint = detect::by_path(&source.path);
    let hint = dialect.map_or(path_hint, detect::PathHint::Known);
    let root = match dialect::parse(detect::syntax_for(hint), &source.text) {
        Ok(root) => root,
        Err(error) => {
            let message = match hint {
                detect::PathHint::Known(d) => format!("{} (read as {} config)", error.message, d.client()),
                _ => error.message,
            };
            return Err((
                source,
                LintError::Syntax {
                    offset: error.offset,
                    message,
                },
            ));
        }
    };
    let not_mcp = |source| {
        let reason = match dialect {
            Some(dialect) => format!(
                "{} reads servers from `{}`, and this file has no such map",
                dialect.client(),
                servers_key(dialect)
            ),
            None => {
                "no `mcpServers`, `servers` or `mcp_servers` map was found (use --dialect to say which client reads it)"
                    .into()
            }
        };
        Err((source, LintError::NotMcp { reason }))
    };
    let Some(dialect) = detect::by_content(hint, &root) else {
        return not_mcp(source);
    };
    let config = model::extract::extract(dialect, &root);
    // A file whose name a client owns may hold no servers yet; any other file must show some.
    if config.servers_route.is_none() && !matches!(path_hint, detect::PathHint::Known(_)) {
        return not_mcp(source);
    }
    let findings = rules::check_all(&config, rules, context)
        .into_iter()
        .map(|finding| locate(&root, &source.text, finding))
        .collect();
    Ok(FileReport {
        source,
        dialect,
        config,
        findings,
    })
}

/// Where a dialect keeps its servers, for messages.
fn servers_key(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Vscode => "servers",
        Dialect::Codex | Dialect::Litellm => "mcp_servers",
        Dialect::Helm => "proxy_config.mcp_servers",
        _ => "mcpServers",
    }
}

/// Reads and lints one input. None when a walked file turns out not to be an MCP config.
pub fn lint_input(
    input: &Input,
    dialect: Option<Dialect>,
    rules: &[&dyn Rule],
) -> Option<Result<FileReport, FileFailure>> {
    let path = input.path.as_path();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => return Some(Err(FileFailure::io(path, &error))),
    };
    let raw = match String::from_utf8(bytes) {
        Ok(raw) => raw,
        Err(error) if input.explicit => {
            return Some(Err(FileFailure {
                path: path.to_owned(),
                position: Some((1, 1)),
                message: format!(
                    "the file is not UTF-8 text (invalid byte at offset {})",
                    error.utf8_error().valid_up_to()
                ),
            }));
        }
        Err(_) => return None,
    };
    if dialect.is_none() && !collect::worth_parsing(input, &raw) {
        return None;
    }
    let known_name = matches!(detect::by_path(path), detect::PathHint::Known(_));
    match lint(SourceFile::new(path, raw), dialect, rules, &LintContext::default()) {
        Ok(report) => Some(Ok(report)),
        // Unrelated YAML/TOML found by walking (Helm templates, CI files) is not ours to judge.
        Err(_) if !input.explicit && !known_name && dialect.is_none() => None,
        Err((source, error)) => Some(Err(FileFailure::from_lint(&source, &error))),
    }
}

/// A file that produced an error instead of findings.
#[derive(Debug, Clone)]
pub struct FileFailure {
    pub path: PathBuf,
    /// 1-based line and column, when the error has a place in the file.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl FileFailure {
    pub fn io(path: &Path, error: &std::io::Error) -> Self {
        Self {
            path: path.to_owned(),
            position: None,
            message: format!("cannot read the file: {error}"),
        }
    }

    pub fn from_lint(source: &SourceFile, error: &LintError) -> Self {
        let position = match error {
            LintError::Syntax { offset, .. } => {
                let at = source.lines.line_col(&source.text, *offset);
                Some((at.line, at.column))
            }
            LintError::NotMcp { .. } => Some((1, 1)),
        };
        Self {
            path: source.path.clone(),
            position,
            message: error.to_string(),
        }
    }
}

/// Resolves a finding's symbolic locations to spans in `text`.
fn locate(root: &Node, text: &str, finding: Finding) -> Located {
    let primary = span_of(root, text, &finding.primary);
    let related = finding
        .related
        .iter()
        .map(|location| (span_of(root, text, location), location.label.clone()))
        .collect();
    Located {
        finding,
        primary,
        related,
    }
}

fn span_of(root: &Node, text: &str, location: &Location) -> Span {
    // A route that does not resolve (a key the rule expected) falls back to its nearest ancestor.
    let mut route = location.route.clone();
    let span = loop {
        let found = if location.on_key && route == location.route {
            root.key_span_at(&route)
        } else {
            root.at(&route).map(|n| n.span)
        };
        if let Some(span) = found {
            break span;
        }
        match route.split_last() {
            Some((_, parent)) => route = parent,
            None => break root.span,
        }
    };
    match &location.subfeature {
        Some(sub) if !sub.is_empty() => text
            .get(span.start..span.end)
            .and_then(|slice| slice.find(sub.as_str()))
            .map_or(span, |at| Span::new(span.start + at, span.start + at + sub.len())),
        _ => span,
    }
}
