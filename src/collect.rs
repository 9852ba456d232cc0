//! Input discovery: explicit files, and directories walked with `.gitignore` respected.

use std::path::{Path, PathBuf};

use crate::dialect::detect::{self, PathHint};

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
