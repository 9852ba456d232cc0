//! The command-line contract: exit codes, error format, JSON fields, discovery, secrecy.

use std::fs;

use crate::common::{bare, fixtures, mcp_lint, root, run};

fn write(dir: &std::path::Path, path: &str, text: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

const CLEAN: &str = r#"{"mcpServers": {"time": {"command": "uvx", "args": ["mcp-server-time==0.6.2"]}}}"#;
const UNPINNED: &str = r#"{"mcpServers": {"time": {"command": "uvx", "args": ["mcp-server-time"]}}}"#;

/// Exit 0 when clean, 1 with findings at or above --fail-on, and --fail-on moves the bar.
#[test]
fn exit_codes_follow_fail_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "clean/.mcp.json", CLEAN);
    write(dir.path(), "bad/.mcp.json", UNPINNED);
    let code = |args: &[&str]| {
        run({
            let mut c = mcp_lint(dir.path());
            c.args(args);
            c
        })
        .code
    };
    // The Claude Code note about where to restrict tools is info: below the default bar.
    assert_eq!(code(&["clean"]), 0);
    assert_eq!(code(&["clean", "--fail-on", "info"]), 1);
    assert_eq!(code(&["bad"]), 1);
    assert_eq!(code(&["bad", "--fail-on", "error"]), 1);
    assert_eq!(code(&["bad", "--select", "remote-without-auth"]), 0);
    assert_eq!(code(&["bad", "--select", "no-such-rule"]), 2);
    // Options go before or after the `check` subcommand; `check` is never taken for a path.
    assert_eq!(code(&["check", "bad"]), 1);
    assert_eq!(code(&["--fail-on", "error", "check", "clean"]), 0);
    assert_eq!(code(&["check", "--fail-on", "info", "clean"]), 1);
}

/// A broken file is reported as path:line:col with exit 2, and the other files are still linted.
#[test]
fn broken_file_is_located_and_others_still_linted() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a/.mcp.json",
        "{\n  \"mcpServers\": {\n    \"x\": {\"command\": \"npx\",,}\n}\n",
    );
    write(dir.path(), "b/.mcp.json", UNPINNED);
    let outcome = run({
        let mut c = mcp_lint(dir.path());
        c.arg(".");
        c
    });
    assert_eq!(outcome.code, 2);
    assert!(outcome.stderr.contains("a/.mcp.json:3:"), "{}", outcome.stderr);
    assert!(outcome.stdout.contains("unpinned-package"), "{}", outcome.stdout);
}

/// A file named explicitly that is no MCP config is an error; found by walking it is skipped.
#[test]
fn unrelated_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "package.json", r#"{"name": "x", "version": "1.0.0"}"#);
    write(dir.path(), "ci.yaml", "on: push\njobs: {}\n");
    write(dir.path(), ".mcp.json", CLEAN);
    let named = run({
        let mut c = mcp_lint(dir.path());
        c.arg("package.json");
        c
    });
    assert_eq!(named.code, 2);
    assert!(
        named.stderr.contains("package.json:1:1: not an MCP config"),
        "{}",
        named.stderr
    );
    let walked = run({
        let mut c = mcp_lint(dir.path());
        c.args(["--format", "json", "."]);
        c
    });
    assert_eq!(walked.code, 0, "{}", walked.transcript());
    let document: serde_json::Value = serde_json::from_str(&walked.stdout).expect("json");
    assert_eq!(document["errors"].as_array().map(Vec::len), Some(0));
}

/// Walking respects .gitignore and finds configs in dot-directories.
#[test]
fn walk_respects_gitignore() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join(".git")).expect("git dir");
    write(dir.path(), ".gitignore", "ignored/\n");
    write(dir.path(), "ignored/.mcp.json", UNPINNED);
    write(dir.path(), ".cursor/mcp.json", UNPINNED);
    let outcome = run({
        let mut c = mcp_lint(dir.path());
        c.args(["--format", "json"]);
        c
    });
    let document: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("json");
    let paths: Vec<&str> = document["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["path"].as_str())
        .collect();
    assert!(paths.iter().any(|p| p.ends_with(".cursor/mcp.json")), "{paths:?}");
    assert!(!paths.iter().any(|p| p.contains("ignored")), "{paths:?}");
}

/// JSON diagnostics carry every contract field with 1-based positions of the offending value.
#[test]
fn json_contract_fields_and_positions() {
    let dir = tempfile::tempdir().expect("tempdir");
    // CRLF and a BOM must not shift positions.
    let text = "\u{feff}{\r\n  \"mcpServers\": {\r\n    \"time\": {\"command\": \"uvx\", \"args\": [\"mcp-server-time\"]}\r\n  }\r\n}\r\n";
    write(dir.path(), ".mcp.json", text);
    let outcome = run({
        let mut c = mcp_lint(dir.path());
        c.args(["--format", "json", "--select", "unpinned-package", ".mcp.json"]);
        c
    });
    let document: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("json");
    let diagnostic = &document["diagnostics"][0];
    for field in [
        "rule",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "server",
        "message",
        "fix_available",
    ] {
        assert!(diagnostic.get(field).is_some(), "missing {field}: {diagnostic}");
    }
    assert_eq!(diagnostic["rule"], "unpinned-package");
    assert_eq!(diagnostic["server"], "time");
    assert_eq!(diagnostic["line"], 3);
    // `    "time": {"command": "uvx", "args": ["` is 41 characters; the package starts after the quote.
    assert_eq!(diagnostic["column"], 42);
    assert_eq!(diagnostic["end_column"], 57);
}

/// No output format ever shows a secret in full.
#[test]
fn secrets_never_printed_in_full() {
    let dir = tempfile::tempdir().expect("tempdir");
    let token = "ghp_Zq4mV8rT2kLp9sXw3nB7cY6dF1gH5jK0aE2u";
    write(
        dir.path(),
        ".mcp.json",
        &format!(
            r#"{{"mcpServers": {{"gh": {{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"], "env": {{"GITHUB_PERSONAL_ACCESS_TOKEN": "{token}"}}}}}}}}"#
        ),
    );
    for format in ["human", "json"] {
        let outcome = run({
            let mut c = mcp_lint(dir.path());
            c.args(["--format", format, ".mcp.json"]);
            c
        });
        assert!(outcome.stdout.contains("inline-secret"), "{format}: {}", outcome.stdout);
        assert!(
            !outcome.stdout.contains(&token[4..]),
            "{format} leaks the token:\n{}",
            outcome.stdout
        );
        assert!(
            !outcome.stderr.contains(&token[4..]),
            "{format} leaks the token on stderr"
        );
    }
}

/// `rule NAME` prints the rule's documentation; `rules` lists every rule.
#[test]
fn rule_docs() {
    let outcome = run({
        let mut c = bare(&root());
        c.args(["rule", "missing-tool-allowlist"]);
        c
    });
    assert_eq!(outcome.code, 0);
    assert!(outcome.stdout.contains("## Why is this bad?"));
    assert!(outcome.stdout.contains("tool_allowlist_enforced"));
    let listed = run({
        let mut c = bare(&root());
        c.arg("rules");
        c
    });
    insta::assert_snapshot!("rules_list", listed.stdout);
    let unknown = run({
        let mut c = bare(&root());
        c.args(["rule", "nope"]);
        c
    });
    assert_eq!(unknown.code, 2);
}

/// The README's example command finds problems in the bundled example configs.
#[test]
fn bundled_example_has_findings() {
    let outcome = run({
        let mut c = mcp_lint(&root());
        c.arg(fixtures().join("examples"));
        c
    });
    assert_eq!(outcome.code, 1, "{}", outcome.transcript());
    for rule in [
        "unpinned-package",
        "inline-secret",
        "missing-tool-allowlist",
        "rbac-gap",
        "auto-approved-tools",
    ] {
        assert!(outcome.stdout.contains(rule), "example lacks {rule}");
    }
}

/// Walking reads a JSON file whose name mentions MCP for what it holds (generic `mcpServers`, or
/// the VS Code `servers` shape), and `--verbose` says which walked files were left out and why.
#[test]
fn configs_are_found_by_content_and_verbose_names_the_skipped() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "team-mcp.json",
        r#"{"mcpServers":{"a":{"command":"npx","args":["-y","some-pkg"]}}}"#,
    );
    write(
        dir.path(),
        "mcp-servers.json",
        r#"{"servers":{"b":{"type":"http","url":"https://x.example.com/mcp"}}}"#,
    );
    write(dir.path(), "mcp-notes.json", r#"{"name":"notes"}"#);
    // No name says MCP: found by what they hold.
    write(
        dir.path(),
        "archive/claude-config.json",
        r#"{"mcpServers":{"c":{"command":"npx","args":["x"]}}}"#,
    );
    write(
        dir.path(),
        "testdata/zed.jsonc",
        "{\n  // Zed settings\n  \"context_servers\": {\"d\": {\"command\": \"uvx\", \"args\": [\"y\"],},},\n}\n",
    );
    // A translation file named like a config, with no server: not a config.
    write(
        dir.path(),
        "locales/en/mcp.json",
        r#"{"title": "MCP Servers", "empty": "No servers configured"}"#,
    );
    write(dir.path(), "ci/build.yaml", "jobs: {}\n");
    let mut quiet = mcp_lint(dir.path());
    quiet.args(["--format", "json", "."]);
    let quiet = run(quiet);
    let document: serde_json::Value = serde_json::from_str(&quiet.stdout).expect("JSON");
    let read: Vec<(String, String)> = document["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().expect("path").to_owned(),
                f["dialect"].as_str().expect("dialect").to_owned(),
            )
        })
        .collect();
    assert_eq!(
        read,
        [
            ("./archive/claude-config.json".to_owned(), "mcp-json".to_owned()),
            ("./mcp-servers.json".to_owned(), "vscode".to_owned()),
            ("./team-mcp.json".to_owned(), "mcp-json".to_owned()),
            ("./testdata/zed.jsonc".to_owned(), "zed".to_owned()),
        ],
    );
    assert!(!quiet.stderr.contains("skipped"), "{}", quiet.stderr);

    let mut verbose = mcp_lint(dir.path());
    verbose.args(["--verbose", "."]);
    let verbose = run(verbose);
    for (path, why) in [
        ("./mcp-notes.json", "holds no key of an MCP server map"),
        ("./ci/build.yaml", "holds no key of an MCP server map"),
        ("./locales/en/mcp.json", "holds no server (read as `mcp-json`)"),
    ] {
        let line = verbose
            .stderr
            .lines()
            .find(|l| l.starts_with(&format!("skipped {path}: ")))
            .unwrap_or_else(|| panic!("{path} is not listed: {}", verbose.stderr));
        assert!(line.contains(why), "{line}");
    }
}

/// `check --user` reads the current user's configs at their clients' standard locations, each
/// as its client reads it, and nothing else (the working directory's configs are not walked).
#[test]
fn user_scans_the_standard_locations() {
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path();
    write(
        h,
        ".cursor/mcp.json",
        r#"{"mcpServers":{"a":{"command":"npx","args":["-y","cursor-pkg"]}}}"#,
    );
    write(
        h,
        ".codex/config.toml",
        "[mcp_servers.b]\ncommand = \"uvx\"\nargs = [\"codex-pkg\"]\n",
    );
    write(
        h,
        ".config/zed/settings.json",
        "// zed\n{\"context_servers\":{\"c\":{\"command\":\"uvx\",\"args\":[\"zed-pkg\"]}}}",
    );
    write(
        h,
        ".config/goose/config.yaml",
        "extensions:\n  d:\n    enabled: true\n    type: stdio\n    name: d\n    cmd: npx\n    args: [\"-y\", \"goose-pkg\"]\n",
    );
    write(
        h,
        ".qwen/settings.json",
        "// qwen\n{\"mcpServers\":{\"f\":{\"command\":\"npx\",\"args\":[\"-y\",\"qwen-pkg\"]}}}",
    );
    // The Cline CLI's own place (npm `cline` 3.0.65), beside the extension's.
    write(
        h,
        ".cline/data/settings/cline_mcp_settings.json",
        r#"{"mcpServers":{"g":{"command":"npx","args":["-y","cline-pkg"]}}}"#,
    );
    write(
        h,
        "project/.mcp.json",
        r#"{"mcpServers":{"e":{"command":"npx","args":["-y","project-pkg"]}}}"#,
    );
    let mut command = mcp_lint(&h.join("project"));
    command.env("HOME", h).args(["--user", "--format", "json"]);
    let outcome = run(command);
    let document: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("JSON");
    let mut read: Vec<String> = document["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["dialect"].as_str().expect("dialect").to_owned())
        .collect();
    read.sort();
    assert_eq!(
        read,
        ["cline", "codex", "cursor", "goose", "qwen", "zed"],
        "{}",
        outcome.stdout
    );
    assert!(!outcome.stdout.contains("project-pkg"), "the project was walked");
    assert_eq!(outcome.code, 1, "the floating packages are errors");
}

/// The Copilot CLI keeps its configuration in `$COPILOT_HOME` when it is set (`@github/copilot`
/// 1.0.57): `check --user` reads `mcp-config.json` there instead of `~/.copilot`.
#[test]
fn user_reads_copilot_home() {
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path();
    write(
        h,
        ".copilot/mcp-config.json",
        r#"{"mcpServers":{"old":{"command":"npx","args":["-y","default-place-pkg"]}}}"#,
    );
    write(
        h,
        "elsewhere/copilot/mcp-config.json",
        r#"{"mcpServers":{"new":{"command":"npx","args":["-y","copilot-home-pkg"]}}}"#,
    );
    let mut command = mcp_lint(h);
    command
        .env("HOME", h)
        .env("COPILOT_HOME", h.join("elsewhere/copilot"))
        .args(["--user", "--format", "json"]);
    let outcome = run(command);
    assert!(outcome.stdout.contains("copilot-home-pkg"), "{}", outcome.stdout);
    assert!(!outcome.stdout.contains("default-place-pkg"), "{}", outcome.stdout);
}

/// `check --user PATHS` reads the user's files and the paths in one run: a project's server
/// replaces the user-scope server of that name (Claude Code's `.mcp.json` over
/// `~/.claude.json`, Gemini CLI's `.gemini/settings.json` over `~/.gemini/settings.json`), and
/// a local-scope server replaces the project's; each is a warning at the one that wins, and a
/// server defined alike in both scopes, or a client whose merging is not known, says nothing.
#[test]
fn user_and_project_files_meet_in_one_run() {
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path().canonicalize().expect("canonical home");
    let project = h.join("work/app");
    let claude = format!(
        r#"{{
  "mcpServers": {{
    "github": {{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"]}},
    "same": {{"command": "npx", "args": ["-y", "same-pkg@1.0.0"]}}
  }},
  "projects": {{
    "{}": {{"mcpServers": {{"sentry": {{"command": "npx", "args": ["-y", "@sentry/mcp-server@0.20.0"]}}}}}}
  }}
}}
"#,
        project.display()
    );
    write(&h, ".claude.json", &claude);
    write(
        &h,
        ".gemini/settings.json",
        r#"{"mcpServers":{"docs":{"httpUrl":"https://docs.example.com/mcp"}}}"#,
    );
    write(
        &h,
        ".cursor/mcp.json",
        r#"{"mcpServers":{"github":{"command":"npx","args":["-y","@modelcontextprotocol/server-github@2025.1.1"]}}}"#,
    );
    write(
        &project,
        ".mcp.json",
        r#"{"mcpServers":{
  "github":{"command":"npx","args":["-y","@modelcontextprotocol/server-github@2025.5.1"]},
  "same":{"command":"npx","args":["-y","same-pkg@1.0.0"]},
  "sentry":{"command":"npx","args":["-y","@sentry/mcp-server@0.21.0"]}
}}
"#,
    );
    write(
        &project,
        ".gemini/settings.json",
        r#"{"mcpServers":{"docs":{"httpUrl":"https://mirror.example.org/mcp"}}}"#,
    );
    write(
        &project,
        ".cursor/mcp.json",
        r#"{"mcpServers":{"github":{"command":"npx","args":["-y","@modelcontextprotocol/server-github@2025.5.1"]}}}"#,
    );
    let mut command = mcp_lint(&project);
    command
        .env("HOME", &h)
        .args(["--user", "--select", "conflicting-server", "--format", "json", "."]);
    let outcome = run(command);
    let document: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("JSON");
    let mut said: Vec<String> = document["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|f| f["severity"] == "warning")
        .map(|f| {
            let file = f["path"].as_str().expect("path");
            let place = if file.starts_with(h.to_str().expect("utf-8")) && !file.contains("work/app") {
                "user"
            } else {
                "project"
            };
            format!(
                "{place} {}: {}",
                f["server"].as_str().unwrap_or_default(),
                f["message"].as_str().expect("message")
            )
        })
        .collect();
    said.sort();
    assert_eq!(said.len(), 3, "{said:#?}\n{}", outcome.stdout);
    assert!(
        said[0].starts_with("project docs: server `docs` replaces the user-scope server of")
            && said[0].contains("a trusted folder's settings override the user's")
            && said[0].contains("`mirror.example.org` here, `docs.example.com` there"),
        "{said:#?}"
    );
    assert!(
        said[1].starts_with("project github: server `github` replaces the user-scope server of")
            && said[1].contains("project scope overrides user scope")
            && said[1].contains("`@modelcontextprotocol/server-github@2025.5.1` here, `@modelcontextprotocol/server-github@2025.4.8` there"),
        "{said:#?}"
    );
    assert!(
        said[2].starts_with("user sentry: server `sentry` of ")
            && said[2].contains("replaces the project's server of")
            && said[2].contains("local scope overrides project scope"),
        "{said:#?}"
    );
    // Each file once, the user's and the project's.
    assert_eq!(
        document["files"].as_array().expect("files").len(),
        6,
        "{}",
        outcome.stdout
    );
}

/// A repository of thousands of files: every JSON, YAML and TOML file is a candidate, and only
/// the ones that hold servers are read as configs, wherever they are and whatever their name.
/// (The walk's cost against `grep -rlE` is in tests/bench/run.sh and the README.)
#[test]
fn a_large_walk_reads_exactly_the_files_that_hold_servers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = r#"{"mcpServers":{"fs":{"command":"npx","args":["-y","@modelcontextprotocol/server-filesystem@2026.8.31","."]}}}"#;
    let mut expected = Vec::new();
    for package in 0..300 {
        let base = format!("packages/pkg-{package:03}");
        write(
            dir.path(),
            &format!("{base}/package.json"),
            r#"{"name":"x","repository":{"type":"git","url":"https://x"}}"#,
        );
        write(
            dir.path(),
            &format!("{base}/tsconfig.json"),
            r#"{"compilerOptions":{"outDir":"dist"}}"#,
        );
        write(
            dir.path(),
            &format!("{base}/src/index.ts"),
            "export const servers = [];\n",
        );
        write(
            dir.path(),
            &format!("{base}/locales/en/messages.json"),
            r#"{"servers": "Servers"}"#,
        );
        write(
            dir.path(),
            &format!("{base}/chart/values.yaml"),
            "image:\n  registry: ghcr.io\n  tag: 1.0.0\n",
        );
        write(
            dir.path(),
            &format!("{base}/pyproject.toml"),
            "[project]\nname = \"x\"\n",
        );
        if package % 25 == 0 {
            let path = format!("{base}/config/claude-config.json");
            write(dir.path(), &path, config);
            expected.push(format!("./{path}"));
        }
    }
    expected.sort();
    let mut check = mcp_lint(dir.path());
    check.args(["--format", "json", "."]);
    let out = run(check);
    let document: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let mut read: Vec<String> = document["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_owned())
        .collect();
    read.sort();
    assert_eq!(read, expected);
    assert!(
        document["errors"].as_array().expect("errors").is_empty(),
        "{}",
        out.stdout
    );
}

/// Claude Code's settings files set a server policy and hold no servers: a `.claude/settings.json`
/// with a `statusLine` command, hooks and `env` is not an MCP config (its `statusLine` is no
/// server), and named on the command line it has nothing to report.
#[test]
fn claude_settings_hold_no_servers() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        ".claude/settings.json",
        r#"{
  "permissions": {"allow": ["Bash(npm run lint)"]},
  "statusLine": {"type": "command", "command": "~/.claude/statusline.sh"},
  "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "echo hi"}]}]},
  "env": {"FOO": "bar"}
}
"#,
    );
    let walked = run({
        let mut command = mcp_lint(dir.path());
        command.args(["--format", "json", "."]);
        command
    });
    let document: serde_json::Value = serde_json::from_str(&walked.stdout).expect("JSON");
    assert_eq!(document["files"].as_array().map(Vec::len), Some(0), "{}", walked.stdout);
    let named = run({
        let mut command = mcp_lint(dir.path());
        command.args(["--format", "json", ".claude/settings.json"]);
        command
    });
    let document: serde_json::Value = serde_json::from_str(&named.stdout).expect("JSON");
    assert_eq!(
        document["diagnostics"].as_array().map(Vec::len),
        Some(0),
        "{}",
        named.stdout
    );
}
