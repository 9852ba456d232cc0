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
        r#"ignore = ["remote-without-auth", "toxic-flow"]
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

/// `[unpinned-image] policies`: an exact version tag is a warning by default, accepted under
/// `version`, an error under `strict-digest`; no tag or `latest` stays an error (from the wild:
/// `hashicorp/terraform-mcp-server:0.4.0` was an error like `:latest`).
#[test]
fn image_policies_set_how_images_are_pinned() {
    let config = r#"{ "mcpServers": {
  "terraform": { "command": "docker", "args": ["run", "-i", "--rm", "hashicorp/terraform-mcp-server:0.4.0"] },
  "acme": { "command": "docker", "args": ["run", "-i", "--rm", "ghcr.io/acme/tools:v1.2.3"] },
  "fetch": { "command": "docker", "args": ["run", "-i", "--rm", "mcp/fetch:latest"] },
  "bare": { "command": "docker", "args": ["run", "-i", "--rm", "mcp/time"] }
} }
"#;
    let severities = |toml: &str| -> Vec<(String, String)> {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir_all(dir.path().join(".git")).expect("git root");
        fs::write(dir.path().join(".mcp.json"), config).expect("config");
        fs::write(dir.path().join("mcp-lint.toml"), toml).expect("mcp-lint.toml");
        let mut check = mcp_lint(dir.path());
        check.args(["--format", "json", "--select", "unpinned-image", "."]);
        let out = run(check);
        let document: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
        document["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .map(|d| {
                (
                    d["server"].as_str().unwrap_or_default().to_owned(),
                    d["severity"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect()
    };
    assert_eq!(
        severities(""),
        pairs(&[
            ("terraform", "warning"),
            ("acme", "warning"),
            ("fetch", "error"),
            ("bare", "error")
        ])
    );
    assert_eq!(
        severities("[unpinned-image]\npolicies = { \"hashicorp/*\" = \"version\", \"*\" = \"strict-digest\" }\n"),
        pairs(&[("acme", "error"), ("fetch", "error"), ("bare", "error")])
    );
    assert_eq!(
        severities("[unpinned-image]\npolicies = { \"ghcr.io/acme/tools\" = \"any\", \"mcp/*\" = \"any\" }\n"),
        pairs(&[("terraform", "warning")])
    );
}
