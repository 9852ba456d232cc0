//! Helpers for driving the real binary hermetically from tests.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// Environment variables that would change the binary's behaviour or output.
const SCRUBBED_ENV: [&str; 6] = [
    "NO_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "NPM_CONFIG_REGISTRY",
    "PIP_INDEX_URL",
    "UV_INDEX_URL",
];

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `fixtures/` in the repository.
pub fn fixtures() -> PathBuf {
    root().join("fixtures")
}

/// The shared corpus beside the repository (`../shared/corpus`). Tests that read it are
/// `#[ignore = "needs ../shared beside the repository"]`; run with `--include-ignored` where it is
/// absent they fail, never pass.
pub fn corpus() -> PathBuf {
    shared("corpus")
}

/// `../shared/<sub>`, or a failure naming what is missing.
pub fn shared(sub: &str) -> PathBuf {
    let path = root().join("../shared").join(sub);
    assert!(
        path.is_dir(),
        "needs ../shared beside the repository: {} is absent",
        path.display()
    );
    path
}

/// The value of `var`, which an ignored test needs (`.ci/run` sets it), or a failure saying so.
pub fn required_env(var: &str, what: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| panic!("needs {var}: {what} (.ci/run sets it up)"))
}

/// The dialect each corpus directory holds (its files keep neutral names, so detection needs help).
pub fn corpus_dialect(dir: &str) -> &'static str {
    match dir {
        "claude-code" => "claude-code",
        "claude-desktop" => "claude-desktop",
        "cline" => "cline",
        "codex" => "codex",
        "cursor" => "cursor",
        "gemini-cli" => "gemini",
        "helm" => "helm",
        "litellm" => "litellm",
        "vscode" => "vscode",
        "windsurf" => "windsurf",
        "roo-code" => "roo",
        "kilo-code" => "kilo",
        "amazon-q" => "amazon-q",
        "antigravity" => "antigravity",
        "goose" => "goose",
        "opencode" => "opencode",
        "zed" => "zed",
        "docker" => "docker-catalog",
        "continue" => "continue",
        _ => "mcp-json",
    }
}

/// The dialect of one corpus file: its directory's, except for the Kubernetes resources of
/// ToolHive and kagent that the corpus keeps among the Helm files.
pub fn corpus_file_dialect(path: &str) -> &'static str {
    let (dir, name) = path.split_once('/').unwrap_or((path, ""));
    if dir == "helm"
        && (name.starts_with("toolhive-mcp")
            || name.starts_with("kagent-toolserver")
            || name.starts_with("kagent-remotemcpserver"))
    {
        return "kubernetes";
    }
    if path.starts_with("docker/") && name.contains("compose") {
        return "docker-compose";
    }
    // Servers written as JSON inside YAML (a block scalar, an escaped string, a workflow's
    // heredoc): read as a walk finds them.
    if matches!(
        path,
        "helm/ontoone-mcp-hub-block-json.values.yaml"
            | "helm/ontoone-mcpo-escaped-json-string.values.yaml"
            | "other/memvid-actions-workflow-heredoc-mcp-json.yml"
    ) {
        return "auto";
    }
    corpus_dialect(dir)
}

/// The binary for a subcommand (`rule`, `rules`), run from `dir` with a clean environment.
pub fn bare(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("mcp-lint").expect("internal error: binary built");
    command.current_dir(dir);
    for var in SCRUBBED_ENV {
        command.env_remove(var);
    }
    // Never the user's cache: what it holds would change the results.
    command.env("MCP_LINT_CACHE_DIR", root().join("target/test-cache-never-written"));
    // The loopback registry must be reached directly, even on a machine with a proxy.
    let no_proxy = loopback_no_proxy();
    command.env("NO_PROXY", &no_proxy).env("no_proxy", &no_proxy);
    command
}

/// The binary checking files, run from `dir`, offline, without colour, with a clean environment.
pub fn mcp_lint(dir: &Path) -> Command {
    let mut command = bare(dir);
    command.arg("--offline").arg("--color").arg("never");
    command
}

/// The binary's outcome in one comparable value.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(mut command: Command) -> Run {
    let Output { status, stdout, stderr } = command.output().expect("internal error: binary runs");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8(stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(stderr).expect("stderr is UTF-8"),
    }
}

impl Run {
    /// Exit code, stderr and stdout in one text, for snapshots.
    pub fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stderr\n{}--- stdout\n{}",
            self.code, self.stderr, self.stdout
        )
    }
}

/// `NO_PROXY` with the loopback addresses added to whatever the machine already has.
pub fn loopback_no_proxy() -> String {
    let existing = std::env::var("NO_PROXY")
        .or_else(|_| std::env::var("no_proxy"))
        .unwrap_or_default();
    let mut hosts: Vec<&str> = existing.split(',').map(str::trim).filter(|h| !h.is_empty()).collect();
    hosts.extend(["127.0.0.1", "localhost", "::1"]);
    hosts.join(",")
}

/// (rule, server, severity) of each diagnostic in `--format json` output.
pub fn reported(stdout: &str) -> Vec<(String, String, String)> {
    let document: serde_json::Value = serde_json::from_str(stdout).expect("JSON output");
    document["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let field = |name: &str| d[name].as_str().unwrap_or_default().to_owned();
            (field("rule"), field("server"), field("severity"))
        })
        .collect()
}

/// Every file under `dir`, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).expect("readable").filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.ends_with("README.md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}
