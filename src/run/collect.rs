//! Collect stage: paths become inputs (explicit files, and directories walked with `.gitignore`
//! respected), and each input's bytes become a source file.

use std::path::{Path, PathBuf};

use crate::dialect::Dialect;
use crate::dialect::detect::{self, PathHint};

use super::lint::FileFailure;
use super::parse::SourceFile;

/// One input to lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    /// Named by the user: an error if it is no MCP config. Found by walking: skipped silently.
    pub explicit: bool,
}

/// Expands paths into the files to lint, in a stable order. Missing paths are returned as errors.
pub fn collect(paths: &[PathBuf]) -> (Vec<Input>, Vec<(PathBuf, String)>) {
    let mut inputs = Vec::new();
    let mut missing = Vec::new();
    for path in paths {
        if path.is_dir() {
            inputs.extend(walk(path));
        } else if path.exists() {
            inputs.push(Input {
                path: path.clone(),
                explicit: true,
            });
        } else {
            missing.push((path.clone(), "no such file or directory".to_owned()));
        }
    }
    (inputs, missing)
}

fn walk(root: &Path) -> Vec<Input> {
    let mut found: Vec<Input> = ignore::WalkBuilder::new(root)
        // Client configs live in dot-directories: `.cursor/`, `.vscode/`, `.gemini/`, `.codex/`.
        .hidden(false)
        .filter_entry(|entry| entry.file_name() != ".git" && entry.file_name() != "node_modules")
        .build()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .filter(|entry| wanted(entry.path()))
        .map(|entry| Input {
            path: entry.into_path(),
            explicit: false,
        })
        .collect();
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// Files worth reading while walking: known names, and YAML/TOML that may hold a gateway config.
fn wanted(path: &Path) -> bool {
    match detect::by_path(path) {
        PathHint::Known(_) => true,
        PathHint::Maybe(crate::dialect::Syntax::Yaml | crate::dialect::Syntax::Toml) => true,
        PathHint::Maybe(_) | PathHint::Unrelated => false,
    }
}

/// For walked YAML/TOML files: a cheap text check before parsing.
pub fn worth_parsing(input: &Input, text: &str) -> bool {
    input.explicit || matches!(detect::by_path(&input.path), PathHint::Known(_)) || detect::mentions_servers(text)
}

/// Reads one input's text. None when a walked file is not UTF-8 or, for walked YAML and TOML,
/// does not mention MCP servers at all: such files are not ours to judge.
pub fn read(input: &Input, dialect: Option<Dialect>) -> Option<Result<SourceFile, FileFailure>> {
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
    if dialect.is_none() && !worth_parsing(input, &raw) {
        return None;
    }
    Some(Ok(SourceFile::new(path, raw)))
}

/// Whether a parse failure of `input` is reported: a file the user named, or one whose name a
/// client owns. Unrelated YAML/TOML found by walking (Helm templates, CI files) is skipped.
pub fn must_parse(input: &Input, dialect: Option<Dialect>) -> bool {
    input.explicit || dialect.is_some() || matches!(detect::by_path(&input.path), PathHint::Known(_))
}
