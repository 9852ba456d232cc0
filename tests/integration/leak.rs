//! No output ever carries a secret: a marker secret planted in every position and escape form
//! of every dialect must not appear, whole or as any 8-character piece, JSON-escaped or
//! percent-encoded, in any format (human, json, sarif, github), in `--diff`, in `--show-fixes`,
//! or on stderr. Through the binary and through the in-process harness.

use std::fs;
use std::path::Path;

use mcp_lint::harness;
use mcp_lint::output::{self, Format};
use mcp_lint::{Environment, Settings};

use crate::common::{mcp_lint, run};

/// Random-looking, 33 characters, found nowhere else.
pub(crate) const MARKER: &str = "Kq7Zr2Wx9Lm4Tp8Vb3Nc6Hy1Fd5Gs0Ja";

/// The marker with its first letter written as a JSON `\u` escape.
pub(crate) fn json_escaped() -> String {
    format!("\\u004b{}", &MARKER[1..])
}

/// (case, file name, text with `{M}` for the marker and `{E}` for its JSON-escaped spelling).
/// Every case has a finding (a floating package, a plain-http url) on the secret's line or within
/// a diff's context of it, so the outputs do show that line.
const CASES: &[(&str, &str, &str)] = &[
    (
        "claude-code env",
        ".mcp.json",
        r#"{ "mcpServers": { "a": { "command": "npx", "args": ["-y", "@acme/a"], "env": { "ACME_API_KEY": "{M}" } } } }"#,
    ),
    (
        "claude-code env, escaped",
        ".mcp.json",
        r#"{ "mcpServers": { "a": { "command": "npx", "args": ["-y", "@acme/a"], "env": { "ACME_TOKEN": "{E}" } } } }"#,
    ),
    (
        "claude-code bearer header",
        ".mcp.json",
        r#"{ "mcpServers": { "a": { "type": "http", "url": "http://a.example.com/mcp", "headers": { "Authorization": "Bearer {M}" } } } }"#,
    ),
    (
        "claude-code url userinfo",
        ".mcp.json",
        r#"{ "mcpServers": { "a": { "type": "http", "url": "http://svc:{M}@a.example.com/mcp" } } }"#,
    ),
    (
        "claude-code url path key",
        ".mcp.json",
        r#"{ "mcpServers": { "a": { "type": "http", "url": "http://a.example.com/mcp/{M}/sse" } } }"#,
    ),
    (
        "claude-code two secrets in one url",
        ".mcp.json",
        r#"{ "mcpServers": { "a": { "type": "http", "url": "http://svc:Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp@a.example.com/mcp?token={M}" } } }"#,
    ),
    (
        "claude-code url with \\/ escapes",
        ".mcp.json",
        r#"{ "mcpServers": { "a": { "type": "http", "url": "http:\/\/svc:{M}@a.example.com\/mcp" } } }"#,
    ),
    (
        "claude-desktop env",
        "claude_desktop_config.json",
        r#"{ "mcpServers": { "a": { "command": "npx", "args": ["-y", "@acme/a"], "env": { "ACME_API_KEY": "{M}" } } } }"#,
    ),
    (
        "windsurf serverUrl query",
        "mcp_config.json",
        r#"{ "mcpServers": { "a": { "serverUrl": "http://a.example.com/mcp?api_key={M}" } } }"#,
    ),
    (
        "cline env",
        "cline_mcp_settings.json",
        r#"{ "mcpServers": { "a": { "command": "npx", "args": ["-y", "@acme/a"], "env": { "ACME_TOKEN": "{M}" } } } }"#,
    ),
    (
        "litellm token double-quoted with an escape",
        "config.yaml",
        "mcp_servers:\n  a:\n    url: http://a.example.com/mcp\n    auth_type: bearer_token\n    authentication_token: \"\\x4b{R}\"\n",
    ),
    (
        "claude-code token where the package goes",
        ".mcp.json",
        r#"{ "mcpServers": { "a": { "command": "npx", "args": ["-y", "ghp_{M}abcd"] } } }"#,
    ),
    (
        "claude-code url query",
        ".mcp.json",
        r#"{ "mcpServers": { "a": { "type": "http", "url": "http://a.example.com/mcp?token={M}" } } }"#,
    ),
    (
        "claude-code flag=value",
        ".mcp.json",
        r#"{ "mcpServers": { "a": { "command": "npx", "args": ["-y", "@acme/a", "--api-key={M}"] } } }"#,
    ),
    (
        "claude-code flag value",
        ".mcp.json",
        r#"{ "mcpServers": { "a": { "command": "npx", "args": ["-y", "@acme/a", "--api-key", "{M}"] } } }"#,
    ),
    (
        "claude-code dsn in env",
        ".mcp.json",
        r#"{ "mcpServers": { "a": { "command": "npx", "args": ["-y", "@acme/a"], "env": { "DATABASE_URL": "postgresql://svc:{M}@db.example.com:5432/app" } } } }"#,
    ),
    (
        "cursor env, jsonc",
        ".cursor/mcp.json",
        "{\n  // a comment\n  \"mcpServers\": { \"a\": { \"command\": \"npx\", \"args\": [\"-y\", \"@acme/a@1.0.0\"], \"env\": { \"ACME_SECRET\": \"{M}\" } } }\n}\n",
    ),
    (
        "vscode header",
        ".vscode/mcp.json",
        r#"{ "servers": { "a": { "type": "http", "url": "http://a.example.com/mcp", "headers": { "X-Api-Key": "{M}" } } } }"#,
    ),
    (
        "litellm token plain",
        "config.yaml",
        "mcp_servers:\n  a:\n    url: http://a.example.com/mcp\n    auth_type: bearer_token\n    authentication_token: {M}\n",
    ),
    (
        "litellm token single-quoted",
        "config.yaml",
        "mcp_servers:\n  a:\n    url: http://a.example.com/mcp\n    auth_type: bearer_token\n    authentication_token: '{M}'\n",
    ),
    (
        "litellm token double-quoted",
        "config.yaml",
        "mcp_servers:\n  a:\n    url: http://a.example.com/mcp\n    auth_type: bearer_token\n    authentication_token: \"{M}\"\n",
    ),
    (
        "litellm token block scalar",
        "config.yaml",
        "mcp_servers:\n  a:\n    url: http://a.example.com/mcp\n    auth_type: bearer_token\n    authentication_token: |\n      {M}\n",
    ),
    (
        "litellm extra_headers as a mapping",
        "config.yaml",
        "mcp_servers:\n  a:\n    url: http://a.example.com/mcp\n    extra_headers:\n      X-Api-Key: {M}\n",
    ),
    (
        "litellm master key",
        "config.yaml",
        "general_settings:\n  master_key: {M}\nmcp_servers:\n  a:\n    url: http://a.example.com/mcp\n",
    ),
    (
        "helm token",
        "values.yaml",
        "proxy_config:\n  mcp_servers:\n    a:\n      url: http://a.example.com/mcp\n      auth_type: bearer_token\n      authentication_token: {M}\n",
    ),
    (
        "codex env basic string",
        ".codex/config.toml",
        "[mcp_servers.a]\ncommand = \"npx\"\nargs = [\"-y\", \"@acme/a@1.0.0\"]\nenv = { ACME_API_KEY = \"{M}\" }\n",
    ),
    (
        "codex env literal string",
        ".codex/config.toml",
        "[mcp_servers.a]\ncommand = \"npx\"\nargs = [\"-y\", \"@acme/a@1.0.0\"]\nenv = { ACME_API_KEY = '{M}' }\n",
    ),
    (
        "codex bearer_token",
        ".codex/config.toml",
        "[mcp_servers.a]\nurl = \"http://a.example.com/mcp\"\nbearer_token = \"{M}\"\n",
    ),
    (
        "JSON in a YAML block scalar",
        "values.yaml",
        "config.json: |\n  { \"mcpServers\": { \"a\": { \"command\": \"npx\", \"args\": [\"-y\", \"@acme/a\"],\n    \"env\": { \"ACME_API_KEY\": \"{M}\" } } } }\n",
    ),
    (
        "JSON in an escaped YAML string, the secret split by a line continuation",
        "values.yaml",
        "configJson: \"{\\\"mcpServers\\\": {\\\"a\\\": {\\\"command\\\": \\\"npx\\\", \\\"env\\\": {\\\"ACME_API_KEY\\\": \\\"Kq7Zr2Wx9Lm4Tp8V\\\n  b3Nc6Hy1Fd5Gs0Ja\\\"}}}}\"\n",
    ),
    (
        "gemini header",
        ".gemini/settings.json",
        r#"{ "mcpServers": { "a": { "httpUrl": "http://a.example.com/mcp", "headers": { "Authorization": "Bearer {M}" } } } }"#,
    ),
];

fn text(template: &str) -> String {
    template
        .replace("{M}", MARKER)
        .replace("{E}", &json_escaped())
        .replace("{R}", &MARKER[1..])
}

/// Every form in which output could carry the marker or a piece of it.
pub(crate) fn leaks(output: &str) -> Vec<String> {
    let mut found = Vec::new();
    let chars: Vec<char> = MARKER.chars().collect();
    for window in chars.windows(8) {
        let piece: String = window.iter().collect();
        if output.contains(&piece) {
            found.push(piece);
        }
    }
    for form in [json_escaped(), MARKER.replace('K', "%4B")] {
        if output.contains(&form) {
            found.push(form);
        }
    }
    found
}

fn write_case(dir: &Path, name: &str, template: &str) {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().expect("a parent")).expect("dirs");
    fs::write(&path, text(template)).expect("write");
}

#[test]
fn no_output_of_the_binary_carries_a_secret() {
    let mut failures = Vec::new();
    for (case, name, template) in CASES {
        for args in [
            &["--format", "human"][..],
            &["--format", "json"][..],
            &["--format", "sarif"][..],
            &["--format", "github"][..],
            &["--diff", "--unsafe-fixes"][..],
            &["--fix", "--unsafe-fixes", "--show-fixes"][..],
        ] {
            let dir = tempfile::tempdir().expect("tempdir");
            write_case(dir.path(), name, template);
            let mut command = mcp_lint(dir.path());
            command.args(args).arg(name);
            let output = run(command);
            assert!(!output.stderr.contains("panicked"), "{case}: {}", output.stderr);
            let pieces = leaks(&format!("{}\n{}", output.stdout, output.stderr));
            if !pieces.is_empty() {
                failures.push(format!(
                    "{case} {args:?}: {pieces:?}\n{}\n{}",
                    output.stdout, output.stderr
                ));
            }
        }
        // stdin mode: the findings go to stderr, the fixed buffer (the user's own) to stdout.
        let dir = tempfile::tempdir().expect("tempdir");
        let mut command = mcp_lint(dir.path());
        command
            .args(["--stdin-filename", name, "--fix", "--unsafe-fixes", "-"])
            .write_stdin(text(template));
        let output = run(command);
        let pieces = leaks(&output.stderr);
        if !pieces.is_empty() {
            failures.push(format!("{case} stdin: {pieces:?}\n{}", output.stderr));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn no_rendering_of_the_harness_carries_a_secret() {
    let mut failures = Vec::new();
    for (case, name, template) in CASES {
        let mut settings = Settings::defaults();
        settings.environment = Environment::from_vars([]);
        let checked = harness::run(&text(template), name, &settings);
        for format in [Format::Human, Format::Json, Format::Sarif, Format::Github] {
            let rendered = output::render(format, &checked.outcome.results, false);
            let pieces = leaks(&rendered);
            if !pieces.is_empty() {
                failures.push(format!("{case} {format:?}: {pieces:?}\n{rendered}"));
            }
        }
        // Messages and fix titles are printed on their own too.
        for located in checked.findings() {
            let finding = &located.finding;
            let fix_title = finding.fix.as_ref().map(|f| f.title.clone()).unwrap_or_default();
            let pieces = leaks(&format!(
                "{} {} {fix_title}",
                finding.message,
                finding.help_text().unwrap_or_default()
            ));
            if !pieces.is_empty() {
                failures.push(format!("{case} message: {pieces:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
