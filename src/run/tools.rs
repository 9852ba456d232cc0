//! `mcp-lint tools`: a server's own tool definitions, saved from a `tools/list` answer, examined
//! for poisoning without launching anything, so a server's CI can lint its descriptions.

use std::path::{Path, PathBuf};

use serde::Serialize;
use thiserror::Error;

use crate::dialect::position::LineIndex;
use crate::dialect::{self, Node, Route, Syntax};
use crate::finding::Severity;
use crate::model::tools::ToolDefinition;
use crate::poison;
use crate::rules::by_id;

use super::outcome::Status;

/// Larger than any server's tool list; a bigger file is refused before it is read.
const MAX_BYTES: u64 = 64 << 20;

/// One poisoned tool, at its entry in the file.
#[derive(Debug, Clone, Serialize)]
pub struct ToolFinding {
    pub rule: &'static str,
    pub severity: Severity,
    pub tool: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// Each phrase with its class and place, as data.
    pub hits: Vec<HitRecord>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HitRecord {
    pub class: poison::Class,
    pub field: String,
    pub phrase: String,
}

/// What one file held.
#[derive(Debug, Clone, Serialize)]
pub struct ToolsFile {
    pub path: PathBuf,
    pub tools: usize,
    pub findings: Vec<ToolFinding>,
}

/// A file that could not be examined.
#[derive(Debug, Clone, Error, Serialize)]
pub enum ToolsError {
    #[error("{path}: {message}")]
    Read { path: String, message: String },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ToolsOutcome {
    pub files: Vec<ToolsFile>,
    pub errors: Vec<ToolsError>,
}

impl ToolsOutcome {
    pub fn status(&self) -> Status {
        if !self.errors.is_empty() {
            Status::Error
        } else if self.files.iter().any(|file| !file.findings.is_empty()) {
            Status::Findings
        } else {
            Status::Clean
        }
    }
}

/// Examines every file of `paths`: each a saved `tools/list` result (`{"tools": [...]}`), the
/// JSON-RPC answer holding one (`{"result": {"tools": [...]}}`) or a bare list of tools.
pub fn examine_files(paths: &[PathBuf]) -> ToolsOutcome {
    let mut outcome = ToolsOutcome::default();
    for path in paths {
        match examine_file(path) {
            Ok(file) => outcome.files.push(file),
            Err(error) => outcome.errors.push(error),
        }
    }
    outcome
}

fn examine_file(path: &Path) -> Result<ToolsFile, ToolsError> {
    let shown = path.display().to_string();
    let read_error = |message: String| ToolsError::Read {
        path: shown.clone(),
        message,
    };
    let size = std::fs::metadata(path).map_err(|e| read_error(e.to_string()))?.len();
    if size > MAX_BYTES {
        return Err(read_error(format!(
            "larger than {} MiB: not a tool list",
            MAX_BYTES >> 20
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| read_error(e.to_string()))?;
    let text = String::from_utf8(bytes).map_err(|_| read_error("not UTF-8".to_owned()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let index = LineIndex::new(text);
    let invalid = |offset: usize, message: String| {
        let at = index.line_col(text, offset);
        ToolsError::Invalid {
            path: shown.clone(),
            line: at.line,
            column: at.column,
            message,
        }
    };
    let root = dialect::parse(Syntax::Json, text).map_err(|e| invalid(e.offset, e.message.clone()))?;
    let entries = [
        Route::root(),
        Route::root().key("tools"),
        Route::root().key("result").key("tools"),
    ]
    .iter()
    .find_map(|route| root.at(route).and_then(Node::as_seq))
    .ok_or_else(|| {
        invalid(
            0,
            "no list of tools: expected a `tools/list` result (`{\"tools\": [...]}`), its JSON-RPC answer or a list"
                .to_owned(),
        )
    })?;
    let rule = by_id("suspicious-tool-description").expect("the rule exists");
    let mut findings = Vec::new();
    for (position, entry) in entries.iter().enumerate() {
        let Some(tool) = ToolDefinition::from_listing(&entry.to_json()) else {
            return Err(invalid(
                entry.span.start,
                format!("tool #{} has no `name`", position + 1),
            ));
        };
        let hits = poison::examine(&tool);
        if hits.is_empty() {
            continue;
        }
        let at = index.line_col(text, entry.span.start);
        findings.push(ToolFinding {
            rule: rule.info().id,
            severity: poison::severity(&hits),
            message: format!("tool `{}` instructs the model: {}", tool.name, poison::explain(&hits)),
            tool: tool.name,
            line: at.line,
            column: at.column,
            hits: hits
                .into_iter()
                .map(|hit| HitRecord {
                    class: hit.class,
                    field: hit.field,
                    phrase: hit.phrase,
                })
                .collect(),
        });
    }
    Ok(ToolsFile {
        path: path.to_owned(),
        tools: entries.len(),
        findings,
    })
}
