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

/// Files worth a look while walking: every JSON, JSONC, JSON5, YAML and TOML file and every file
/// name a client owns. What they hold decides whether they are parsed ([`worth_parsing`]).
fn wanted(path: &Path) -> bool {
    !matches!(detect::by_path(path), PathHint::Unrelated)
}

/// Whether a file is parsed: one the user named or whose name a client owns always is; a file
/// found by walking only if a byte search finds a key that holds servers in some dialect.
pub fn worth_parsing(input: &Input, bytes: &[u8]) -> bool {
    input.explicit || matches!(detect::by_path(&input.path), PathHint::Known(_)) || detect::may_hold_servers(bytes)
}

/// Why a walked file was not read as an MCP config (`--verbose` lists them).
#[derive(Debug, Clone)]
pub struct Skipped {
    pub path: PathBuf,
    pub reason: String,
}

/// Reads one input's text, or says why a walked file is skipped: it holds no key of a server map
/// (tested on its bytes, before anything is decoded or parsed), or it is not UTF-8.
pub fn read_or_skip(
    input: &Input,
    dialect: Option<Dialect>,
    max_size: u64,
) -> Result<Result<SourceFile, FileFailure>, Skipped> {
    let skip = |reason: &str| {
        Err(Skipped {
            path: input.path.clone(),
            reason: reason.to_owned(),
        })
    };
    let path = input.path.as_path();
    let bytes = match read_regular_file(path, max_size) {
        Ok(bytes) => bytes,
        Err(failure) => return Ok(Err(failure)),
    };
    if dialect.is_none() && !worth_parsing(input, &bytes) {
        return skip(
            "holds no key of an MCP server map (`mcpServers`, `servers`, `mcp_servers`, `context_servers`, ...)",
        );
    }
    let raw = match String::from_utf8(bytes) {
        Ok(raw) => raw,
        Err(error) if input.explicit => {
            let offset = error.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&error.as_bytes()[..offset]).into_owned();
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
            return Ok(Err(FileFailure {
                path: path.to_owned(),
                position: Some((line, column)),
                message: format!("the file is not UTF-8 text (invalid byte at offset {offset})"),
            }));
        }
        Err(_) => return skip("not UTF-8 text"),
    };
    Ok(Ok(SourceFile::new(path, raw)))
}

/// The bytes of the regular file at `path` (a symlink is followed to one), at most `max_size`.
/// A FIFO, device, socket or directory is refused from its metadata, without an open that could
/// block or read forever.
pub fn read_regular_file(path: &Path, max_size: u64) -> Result<Vec<u8>, FileFailure> {
    use std::io::Read;
    let metadata = std::fs::metadata(path).map_err(|e| FileFailure::io(path, &e))?;
    if !metadata.is_file() {
        return Err(FileFailure::new(
            path,
            "not a regular file (a FIFO, device, socket or directory): mcp-lint reads only regular files",
        ));
    }
    let too_large = |size: u64| {
        FileFailure::new(
            path,
            format!("the file is {size} bytes, over the limit of {max_size} bytes (--max-file-size)"),
        )
    };
    if metadata.len() > max_size {
        return Err(too_large(metadata.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| FileFailure::io(path, &e))?;
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // A file that grows while it is read is still cut at the limit.
    file.take(max_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| FileFailure::io(path, &e))?;
    if bytes.len() as u64 > max_size {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Whether a parse failure of `input` is reported: a file the user named, or one whose name a
/// client owns. Unrelated YAML/TOML found by walking (Helm templates, CI files) is skipped.
pub fn must_parse(input: &Input, dialect: Option<Dialect>) -> bool {
    input.explicit || dialect.is_some() || matches!(detect::by_path(&input.path), PathHint::Known(_))
}
