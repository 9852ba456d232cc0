//! `mcp-lint server` spoken to over stdio as an editor does: initialize, open a config, receive
//! its diagnostics (rule as code, UTF-16 columns), ask for the code actions, change the buffer,
//! send a request with bad parameters, shut down and exit with code 0.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::lsp_client::Client;

use serde_json::{Value, json};

const CONFIG: &str = r#"{
  "mcpServers": {
    "🚀 github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"] }
  }
}
"#;

#[test]
fn an_editor_sees_the_findings_of_its_buffer_and_gets_the_fixes() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join(".cursor")).expect("dir");
    let path = dir.path().join(".cursor/mcp.json");
    // The disk holds something else: the buffer is what is linted.
    std::fs::write(&path, "{}").expect("disk");
    let uri = format!("file://{}", path.display());
    let mut client = Client::start(dir.path());
    let initialized = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    assert_eq!(initialized["result"]["serverInfo"]["name"], "mcp-lint");
    assert_eq!(
        initialized["result"]["capabilities"]["textDocumentSync"], 1,
        "full sync"
    );
    client.notify("initialized", json!({}));

    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": CONFIG}}),
    );
    let diagnostics = client.diagnostics(&uri);
    let unpinned = diagnostics
        .iter()
        .find(|d| d["code"] == "unpinned-package")
        .unwrap_or_else(|| panic!("{diagnostics:#?}"));
    assert_eq!(unpinned["source"], "mcp-lint");
    assert_eq!(unpinned["severity"], 1, "an error");
    // `    "🚀 github": { "command": "npx", "args": ["-y", "` is 51 UTF-16 units (the emoji is two).
    let line = CONFIG.lines().nth(2).expect("line");
    let column = line.find("@modelcontextprotocol").expect("package");
    let utf16 = line[..column].encode_utf16().count();
    assert_eq!(unpinned["range"]["start"], json!({"line": 2, "character": utf16}));
    assert_ne!(
        utf16,
        line[..column].chars().count(),
        "the emoji makes UTF-16 differ from characters"
    );

    // The fix of the allowlist finding (Cursor has none? then the quick fixes of the others).
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": unpinned["range"], "context": {"diagnostics": []}}),
    );
    let actions = actions["result"].as_array().cloned().unwrap_or_default();
    for action in &actions {
        assert!(action["title"].as_str().is_some_and(|t| !t.is_empty()));
        // An edit, or the pin, which asks the registry and so runs only as a command.
        let pins = action["command"]["command"] == "mcp-lint.pin";
        assert!(action["edit"]["changes"][&uri].is_array() || pins, "{action}");
    }
    assert!(
        actions
            .iter()
            .any(|a| a["command"]["command"] == "mcp-lint.pin" && a["isPreferred"] == false),
        "{actions:#?}"
    );

    // Hover on the finding: the rule's documentation.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": unpinned["range"]["start"]}),
    );
    let shown = hover["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        shown.starts_with("**unpinned-package**") && shown.contains("## What it does"),
        "{hover}"
    );

    // A change to text that does not parse: one located diagnostic, and the server goes on.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "{\n  \"mcpServers\": {\n"}]}),
    );
    let broken = client.diagnostics(&uri);
    assert_eq!(broken.len(), 1, "{broken:#?}");
    assert_eq!(broken[0]["severity"], 1);
    // No longer an MCP config: its diagnostics are cleared.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": "{\"name\": \"x\"}"}]}),
    );
    assert!(client.diagnostics(&uri).is_empty());

    // Bad parameters: an error answer, and the server still answers after it.
    let bad = client.request("textDocument/codeAction", json!({"textDocument": 7}));
    assert!(bad["error"]["code"].is_number(), "{bad}");
    let unknown = client.request("mcp-lint/nothing", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    // A message that is no JSON: a parse error answered, the connection kept.
    let garbage = b"{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ";
    write!(client.stdin, "Content-Length: {}\r\n\r\n", garbage.len()).expect("write");
    client.stdin.write_all(garbage).expect("write");
    let parse_error = client.read_until(|m| m["error"]["code"] == -32700);
    assert!(parse_error["id"].is_null(), "{parse_error}");
    let after = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    assert!(
        after.get("result").is_some(),
        "the server answers after a malformed message: {after}"
    );

    let shutdown = client.request("shutdown", json!(null));
    assert!(shutdown["result"].is_null(), "{shutdown}");
    client.notify("exit", json!(null));
    let status = client.child.wait().expect("exit");
    assert_eq!(status.code(), Some(0));
}

/// A fix offered as a code action, applied as the editor applies it, gives the text `--fix`
/// writes for that finding: a safe fix is preferred, an unsafe one never.
#[test]
fn code_actions_carry_the_fixes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(".mcp.json");
    let text = "{\n  \"mcpServers\": {\n    \"docs\": { \"type\": \"sse\", \"url\": \"http://docs.example.com/sse\" }\n  }\n}\n";
    std::fs::write(&path, text).expect("disk");
    let uri = format!("file://{}", path.display());
    let mut client = Client::initialized(dir.path());
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}),
    );
    let diagnostics = client.diagnostics(&uri);
    assert!(!diagnostics.is_empty(), "findings in a plain-http sse server");
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 5, "character": 0}});
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": whole, "context": {"diagnostics": []}}),
    );
    let actions = actions["result"].as_array().cloned().unwrap_or_default();
    assert!(!actions.is_empty(), "{diagnostics:#?}");
    for action in &actions {
        let unsafe_fix = action["title"].as_str().is_some_and(|t| t.contains("(unsafe"));
        if unsafe_fix {
            assert_ne!(action["isPreferred"], true, "{action}");
        }
    }
    client.finish();
}

/// The server finds what `check` finds on the same text: the same rules at the same lines with
/// the same severities, over every fixture file.
#[test]
fn the_server_finds_what_check_finds() {
    let fixtures = crate::common::fixtures();
    let compared = same_as_check(&fixtures, &crate::common::files_under(&fixtures));
    assert!(compared > 50, "compared {compared}");
}

/// The same over the shared corpus of real configs.
#[test]
#[ignore = "needs ../shared beside the repository"]
fn the_server_finds_what_check_finds_in_the_corpus() {
    let corpus = crate::common::corpus();
    let compared = same_as_check(&corpus, &crate::common::files_under(&corpus));
    assert!(compared > 80, "compared {compared}");
}

/// Opens each config file in the server and compares its diagnostics with `check`'s findings
/// on the same text; returns how many files were compared.
fn same_as_check(dir: &std::path::Path, files: &[std::path::PathBuf]) -> usize {
    let files: Vec<&std::path::PathBuf> = files
        .iter()
        .filter(|path| {
            let name = path.to_string_lossy();
            [".json", ".jsonc", ".yaml", ".yml", ".toml"]
                .iter()
                .any(|ext| name.ends_with(ext))
                && !name.contains("/errors/")
                && std::fs::metadata(path).is_ok_and(|m| m.len() < 256 * 1024)
        })
        .collect();
    let fixtures = dir.to_owned();
    let mut client = Client::initialized(&fixtures);
    let mut compared = 0;
    for path in files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let mut check = crate::common::mcp_lint(&fixtures);
        check
            .args(["check", "--format", "json", "--offline", "--stdin-filename"])
            .arg(path)
            .arg("-")
            .write_stdin(text.clone());
        let output = check.output().expect("check runs");
        let Ok(report) = serde_json::from_slice::<Value>(&output.stdout) else {
            continue;
        };
        // Configs read inside the text (a ConfigMap's block) are left to check: their places are not the buffer's.
        if report["files"].as_array().is_none_or(|files| files.len() != 1) {
            continue;
        }
        let expected: std::collections::BTreeSet<(String, u64, String)> = report["diagnostics"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|d| {
                (
                    d["rule"].as_str().unwrap_or_default().to_owned(),
                    d["line"].as_u64().unwrap_or_default() - 1,
                    d["severity"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let uri = format!("file://{}", path.display());
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}),
        );
        let severity = |level: &Value| match level.as_u64() {
            Some(1) => "error",
            Some(2) => "warning",
            _ => "info",
        };
        let found: std::collections::BTreeSet<(String, u64, String)> = client
            .diagnostics(&uri)
            .iter()
            .filter(|d| d["code"].is_string())
            .map(|d| {
                (
                    d["code"].as_str().unwrap_or_default().to_owned(),
                    d["range"]["start"]["line"].as_u64().unwrap_or_default(),
                    severity(&d["severity"]).to_owned(),
                )
            })
            .collect();
        assert_eq!(found, expected, "{}", path.display());
        client.notify("textDocument/didClose", json!({"textDocument": {"uri": uri}}));
        compared += 1;
    }
    client.finish();
    compared
}

/// A real editor: Debian's Neovim (`MCP_LINT_NEOVIM`; `.ci/run` installs it), headless, starts
/// `mcp-lint server` with its built-in LSP client, opens `.cursor/mcp.json`, receives the
/// diagnostics, takes the quick fix of the literal secret as offered and writes the file: the
/// secret is gone from the disk, replaced by Cursor's `${env:NAME}`.
#[test]
#[ignore = "needs MCP_LINT_NEOVIM (Debian's neovim)"]
fn neovim_shows_the_findings_and_applies_a_fix() {
    let neovim = crate::common::required_env("MCP_LINT_NEOVIM", "an nvim executable");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join(".cursor")).expect("dir");
    let config = dir.path().join(".cursor/mcp.json");
    let secret = "ghp_R7kq2Vx9LmTz4WbN8cYs1HdJ5fGp0aQeUo3i";
    std::fs::write(
        &config,
        format!(
            "{{\n  \"mcpServers\": {{\n    \"github\": {{\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-github@2025.4.8\"],\n      \"env\": {{ \"GITHUB_PERSONAL_ACCESS_TOKEN\": \"{secret}\" }}\n    }}\n  }}\n}}\n"
        ),
    )
    .expect("config");
    let report = dir.path().join("report.txt");
    // Neovim 0.7's API: start_client, buf_attach_client, request_sync, apply_workspace_edit.
    let script = r#"
local bin, file, out = _G.mcp_lint_args[1], _G.mcp_lint_args[2], _G.mcp_lint_args[3]
local id = vim.lsp.start_client({ name = 'mcp-lint', cmd = { bin, 'server' }, root_dir = vim.fn.fnamemodify(file, ':h:h') })
vim.cmd('edit ' .. file)
vim.lsp.buf_attach_client(0, id)
local lines = {}
local seen = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
table.insert(lines, 'diagnostics ' .. tostring(seen))
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(lines, string.format('%s %s %d:%d', d.source or '', d.code or '', d.lnum, d.col))
end
local client = vim.lsp.get_client_by_id(id)
local params = {
  textDocument = { uri = vim.uri_from_bufnr(0) },
  range = { start = { line = 5, character = 0 }, ['end'] = { line = 5, character = 80 } },
  context = { diagnostics = {} },
}
local answer = client.request_sync('textDocument/codeAction', params, 20000, 0)
for _, action in ipairs((answer and answer.result) or {}) do
  table.insert(lines, 'action ' .. action.title)
  if action.edit and action.title:find('env:', 1, true) and not _G.applied then
    vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
    _G.applied = true
  end
end
vim.cmd('write')
vim.fn.writefile(lines, out)
vim.cmd('qa!')
"#;
    let script_path = dir.path().join("test.lua");
    std::fs::write(&script_path, script).expect("script");
    let binary = env!("CARGO_BIN_EXE_mcp-lint");
    let setup = format!(
        "lua _G.mcp_lint_args = {{ [[{binary}]], [[{}]], [[{}]] }}",
        config.display(),
        report.display()
    );
    let status = Command::new(&neovim)
        .current_dir(dir.path())
        .args(["--headless", "--clean", "-n", "-c", &setup, "-c"])
        .arg(format!("luafile {}", script_path.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("nvim runs");
    assert!(status.success(), "nvim exited with {status}");
    let lines = std::fs::read_to_string(&report).expect("the script's report");
    assert!(lines.starts_with("diagnostics true"), "{lines}");
    assert!(lines.contains("mcp-lint inline-secret 5:"), "{lines}");
    assert!(
        lines.lines().any(|l| l.starts_with("action ") && l.contains("${env:")),
        "{lines}"
    );
    let written = std::fs::read_to_string(&config).expect("config");
    assert!(!written.contains(secret), "the secret is still on disk:\n{written}");
    assert!(written.contains("${env:GITHUB_PERSONAL_ACCESS_TOKEN}"), "{written}");
}

/// A change is answered quickly, and a 1 MiB buffer does not stall the server: the next small
/// document is still answered.
#[test]
fn changes_are_answered_quickly_and_a_large_buffer_does_not_stall() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut client = Client::initialized(dir.path());
    let uri = format!("file://{}/.mcp.json", dir.path().display());
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": CONFIG}}),
    );
    client.diagnostics(&uri);
    let mut slowest = Duration::ZERO;
    for version in 2..12 {
        let text = CONFIG.replace("github", &format!("github{version}"));
        let started = Instant::now();
        client.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
        client.diagnostics(&uri);
        slowest = slowest.max(started.elapsed());
    }
    println!("slowest of 10 changes: {slowest:?}");
    // A debug build; the release binary answers in a few milliseconds (README, Speed).
    assert!(slowest < Duration::from_secs(1), "{slowest:?}");

    let servers: Vec<String> = (0..4000)
        .map(|i| format!("\"s{i:05}\": {{\"command\": \"npx\", \"args\": [\"-y\", \"@example/mcp-server-{i}@1.0.0\", \"/srv/data/{i}\"]}}"))
        .collect();
    let large = format!("{{\"mcpServers\": {{{}}}}}", servers.join(",\n"));
    assert!(large.len() > 250_000);
    let big = format!("file://{}/big/.mcp.json", dir.path().display());
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": big, "languageId": "json", "version": 1, "text": large}}),
    );
    client.diagnostics(&big);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 20}, "contentChanges": [{"text": CONFIG}]}),
    );
    client.diagnostics(&uri);
    client.finish();
}

/// The quick fix that ignores a finding inline: a comment above its line, in the file's own
/// comment syntax, after which the finding is gone; strict JSON is offered none.
#[test]
fn a_finding_can_be_ignored_inline() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut client = Client::initialized(dir.path());
    let uri = format!("file://{}/config.yaml", dir.path().display());
    let text = "general_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n  require_key_mcp_access_defined: true\nmcp_servers:\n  docs:\n    url: http://docs.example.com/mcp\n    auth_type: bearer_token\n    authentication_token: os.environ/DOCS_TOKEN\n    allowed_tools: [search]\n    mcp_info: { tool_allowlist_enforced: true }\n    available_on_public_internet: false\n";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let diagnostics = client.diagnostics(&uri);
    let insecure = diagnostics
        .iter()
        .find(|d| d["code"] == "insecure-transport")
        .unwrap_or_else(|| panic!("{diagnostics:#?}"))
        .clone();
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": insecure["range"], "context": {"diagnostics": [insecure]}}),
    );
    let ignore = actions["result"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| {
            a["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("Ignore `insecure-transport`"))
        })
        .unwrap_or_else(|| panic!("{actions:#}"))
        .clone();
    assert_ne!(ignore["isPreferred"], true);
    let edit = &ignore["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "    # mcp-lint: ignore[insecure-transport]\n");
    let line = edit["range"]["start"]["line"].as_u64().expect("line") as usize;
    let mut lines: Vec<&str> = text.lines().collect();
    let comment = "    # mcp-lint: ignore[insecure-transport]";
    lines.insert(line, comment);
    let ignored = format!("{}\n", lines.join("\n"));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": ignored}]}),
    );
    let after = client.diagnostics(&uri);
    assert!(after.iter().all(|d| d["code"] != "insecure-transport"), "{after:#?}");
    client.finish();
}

/// No message the server sends holds a secret of the buffer: diagnostics, hover and code action
/// titles show at most a redacted prefix, and no edit writes the secret back.
#[test]
fn no_message_holds_a_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    let secret = "ghp_R7kq2Vx9LmTz4WbN8cYs1HdJ5fGp0aQeUo3i";
    let text = format!(
        "{{\n  \"mcpServers\": {{\n    \"github\": {{ \"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-github@2025.4.8\"], \"env\": {{ \"GITHUB_TOKEN\": \"{secret}\" }} }}\n  }}\n}}\n"
    );
    let uri = format!("file://{}/.mcp.json", dir.path().display());
    let mut client = Client::initialized(dir.path());
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}),
    );
    let diagnostics = client.diagnostics(&uri);
    let secret_finding = diagnostics
        .iter()
        .find(|d| d["code"] == "inline-secret")
        .unwrap_or_else(|| panic!("{diagnostics:#?}"))
        .clone();
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 5, "character": 0}});
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": whole, "context": {"diagnostics": []}}),
    );
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": secret_finding["range"]["start"]}),
    );
    assert!(hover["result"]["contents"]["value"].is_string(), "{hover}");
    let said = format!("{diagnostics:?} {actions} {hover}");
    assert!(
        !said.contains(secret) && !said.contains(&secret[4..20]),
        "a secret in: {said}"
    );
    client.finish();
}
