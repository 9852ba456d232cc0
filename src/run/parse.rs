//! Parse stage: a file's text becomes a document tree with value spans, its dialect is decided
//! once, and the tree is read into the server model. Everything later reads this result.

use std::path::PathBuf;

use thiserror::Error;

use crate::dialect::position::LineIndex;
use crate::dialect::{self, Dialect, Node, detect};
use crate::model::{self, McpConfig};

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

    /// The same file with other text (a fix's result), BOM kept.
    pub fn with_text(&self, text: String) -> Self {
        let lines = LineIndex::new(&text);
        Self {
            path: self.path.clone(),
            text,
            had_bom: self.had_bom,
            lines,
        }
    }

    /// The bytes for the disk: the BOM, if the file had one, and `text`.
    pub fn disk_text(&self, text: &str) -> String {
        if self.had_bom {
            format!("{BOM}{text}")
        } else {
            text.to_owned()
        }
    }
}

/// One file parsed, its dialect decided, read into the model.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub source: SourceFile,
    pub dialect: Dialect,
    /// The document tree; routes resolve to spans through it.
    pub root: Node,
    pub config: McpConfig,
}

/// Why a file could not be read as an MCP config, located in the file where that means something.
#[derive(Debug, Error)]
pub enum DocumentError {
    #[error("{message}")]
    Syntax { offset: usize, message: String },
    #[error("not an MCP config: {reason}")]
    NotMcp { reason: String },
}

/// Parses `source`; `dialect` overrides detection.
pub fn parse(source: SourceFile, dialect: Option<Dialect>) -> Result<Parsed, (SourceFile, DocumentError)> {
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
                DocumentError::Syntax {
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
                dialect.servers_path().join(".")
            ),
            None => {
                "no `mcpServers`, `servers` or `mcp_servers` map was found (use --dialect to say which client reads it)"
                    .into()
            }
        };
        Err((source, DocumentError::NotMcp { reason }))
    };
    let Some(dialect) = detect::by_content(hint, &root) else {
        return not_mcp(source);
    };
    let config = model::extract::extract(dialect, &root);
    // A file whose name a client owns may hold no servers yet; any other file must show some.
    if config.servers_route.is_none() && !matches!(path_hint, detect::PathHint::Known(_)) {
        return not_mcp(source);
    }
    Ok(Parsed {
        source,
        dialect,
        root,
        config,
    })
}

/// The model of a fixed text whose tree the fix engine already parsed (and checked): the dialect
/// stays the one decided for the file, and nothing is parsed again.
pub fn reparsed(before: &SourceFile, dialect: Dialect, text: String, root: Node) -> Parsed {
    let config = model::extract::extract(dialect, &root);
    Parsed {
        source: before.with_text(text),
        dialect,
        root,
        config,
    }
}
