//! `mcp-lint.toml`: found by walking up to the git root; rule selection, severities, ignores with
//! reasons, fail-on; errors located in the config file.

use std::fs;

use crate::common::{mcp_lint, reported as rules_reported, run};

const CONFIG: &str = r#"{ "mcpServers": {
  "docs": { "url": "http://docs.example.com/mcp", "headers": { "Authorization": "Bearer ${env:DOCS_TOKEN}" } },
  "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"] }
} }
"#;

fn project(toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(dir.path().join(".git")).expect("git root");
    fs::create_dir_all(dir.path().join("tools/.cursor")).expect("dirs");
    fs::write(dir.path().join("tools/.cursor/mcp.json"), CONFIG).expect("config");
    fs::write(dir.path().join("mcp-lint.toml"), toml).expect("mcp-lint.toml");
    dir
}

#[test]
fn project_config_selects_overrides_and_ignores() {
    let dir = project(
        r#"ignore = ["remote-without-auth"]
fail-on = "error"

[severity]
insecure-transport = "warning"

[[ignores]]
rule = "unpinned-package"
file = "tools/.cursor/mcp.json"
server = "github"
reason = "pinned by the platform image"

[[ignores]]
rule = "inline-secret"
file = "**/mcp.json"
server = "nowhere"
reason = "kept to show the unused-ignore warning"
"#,
    );
    // Run from a subdirectory: the file is found by walking up.
    let mut command = mcp_lint(&dir.path().join("tools"));
    command.args(["--format", "json", "."]);
    let output = run(command);
    let found = rules_reported(&output.stdout);
    assert!(
        found.contains(&("insecure-transport".into(), "docs".into(), "warning".into())),
        "severity override: {found:?}"
    );
    assert!(
        !found.iter().any(|(r, _, _)| r == "unpinned-package"),
        "ignored: {found:?}"
    );
    assert!(
        !found.iter().any(|(r, _, _)| r == "remote-without-auth"),
        "rule ignored: {found:?}"
    );
    assert_eq!(output.code, 0, "fail-on = error and only warnings left: {found:?}");
    assert!(
        output
            .stderr
            .contains("mcp-lint.toml:13: this ignore matches no finding"),
        "{}",
        output.stderr
    );

    // An ignore for a rule this run left out is not called unused.
    let mut command = mcp_lint(&dir.path().join("tools"));
    command.args(["--select", "insecure-transport", "."]);
    let selected = run(command);
    assert!(!selected.stderr.contains("matches no finding"), "{}", selected.stderr);

    // The command line still wins, and --no-config skips the file.
    let mut command = mcp_lint(&dir.path().join("tools"));
    command.args(["--fail-on", "warning", "--format", "json", "."]);
    assert_eq!(run(command).code, 1);
    let mut command = mcp_lint(&dir.path().join("tools"));
    command.args(["--no-config", "--format", "json", "."]);
    let unconfigured = rules_reported(&run(command).stdout);
    assert!(unconfigured.iter().any(|(r, _, _)| r == "unpinned-package"));
}

#[test]
fn a_broken_project_config_is_a_located_error() {
    let dir = project("select = [\"unpinned-pakage\"]\n");
    let mut command = mcp_lint(dir.path());
    command.arg(".");
    let output = run(command);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert!(output.stderr.contains("mcp-lint.toml:1:"), "{}", output.stderr);
    assert!(
        output.stderr.contains("unpinned-package"),
        "a suggestion: {}",
        output.stderr
    );
}
