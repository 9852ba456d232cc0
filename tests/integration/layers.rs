//! The layers of ARCHITECTURE.md held by a test over the sources: a top-level module of `src/`
//! may use only the modules of the layers below it, and no source file grows past 800 lines
//! before its tests.
//!
//! A small test rather than cargo-modules: it needs nothing installed (cargo-modules builds
//! rust-analyzer's crates, minutes on a new machine, and its output format changes between
//! releases), it runs in milliseconds with the other tests, and `crate::<module>` paths are how
//! this code base names another module (no `use super::super`, no glob re-exports across
//! layers), so reading them is exact.

use std::fs;
use std::path::Path;

use crate::common::root;

/// The layers, bottom first. A module may use the modules of lower layers only.
const LAYERS: &[&[&str]] = &[
    // Parsing files into trees with spans, and the dialects' shapes.
    &["dialect"],
    // Checking trees against the vendored schemas.
    &["schema"],
    // Reading trees into servers.
    &["model"],
    // What the rules and fixes are made of: secrets and their masking, edits.
    &["secrets", "fix"],
    &["finding"],
    &["poison"],
    &["rules"],
    // What a run knows beyond the file: registries, mcp-lint.toml.
    &["resolve", "project_config"],
    // The pipeline of stages.
    &["run"],
    // Commands composed of the pipeline.
    &["audit", "bom", "probe"],
    // Rendering outcomes.
    &["output"],
    // The edges: the command line, then the language server that parses it.
    &["cli"],
    &["server"],
];

const MAX_LINES: usize = 800;

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).expect("src is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The text of a file before its unit tests, with line comments blanked (a doc comment may
/// name a module above without using it).
fn code_lines(text: &str) -> Vec<String> {
    text.lines()
        .take_while(|line| line.trim() != "#[cfg(test)]")
        .map(|line| match line.find("//") {
            Some(at) => line[..at].to_owned(),
            None => line.to_owned(),
        })
        .collect()
}

#[test]
fn no_module_uses_one_above_it_and_no_file_is_too_long() {
    let src = root().join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("under src");
        let top = relative
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .expect("a file name")
            .trim_end_matches(".rs");
        // The binary and the crate root see everything.
        if matches!(top, "main" | "lib") {
            continue;
        }
        let Some(own) = layer_of(top) else {
            problems.push(format!(
                "src/{}: module `{top}` is in no layer of this test",
                relative.display()
            ));
            continue;
        };
        let text = fs::read_to_string(file).expect("readable");
        let lines = code_lines(&text);
        if lines.len() > MAX_LINES {
            problems.push(format!(
                "src/{}: {} lines before its tests (at most {MAX_LINES})",
                relative.display(),
                lines.len()
            ));
        }
        for (number, line) in lines.iter().enumerate() {
            for (at, _) in line.match_indices("crate::") {
                if line[at + "crate::".len()..].starts_with('{') {
                    problems.push(format!(
                        "src/{}:{}: name the module in each path (`crate::module::...`), which this test reads",
                        relative.display(),
                        number + 1
                    ));
                    continue;
                }
                let used: String = line[at + "crate::".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let Some(target) = layer_of(&used) else {
                    continue;
                };
                if used != top && target >= own {
                    problems.push(format!(
                        "src/{}:{}: `{top}` uses `{used}`, which is not in a layer below it",
                        relative.display(),
                        number + 1
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
