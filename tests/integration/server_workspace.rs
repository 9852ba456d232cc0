//! `mcp-lint server` beyond one buffer: the editor's settings (rule selection, offline), the
//! project's `mcp-lint.toml` read again when the editor says it changed, hover over a package
//! with what the lock records, and pinning (against a loopback registry) as a command with
//! progress, cancellation and an edit the editor applies.

use std::path::Path;
use std::time::Duration;

use serde_json::{Value, json};

use crate::common::loopback_no_proxy;
use crate::lsp_client::Client;
use crate::registry::{Mock, serve_npm};

const CONFIG: &str = r#"{
  "mcpServers": {
    "example": { "command": "npx", "args": ["-y", "@example/mcp-server"] },
    "notes": { "command": "node", "args": ["notes.js"], "env": { "NOTES_TOKEN": "ghp_0123456789abcdefghijABCDEFGHIJ012345" } }
  }
}
"#;

fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The environment that aims the server at `mock` and nowhere else.
fn registry_env(mock_url: &str, dir: &Path, timeout_ms: u64) -> Vec<(String, String)> {
    std::fs::create_dir_all(dir.join("home")).expect("home");
    [
        ("HOME", dir.join("home").display().to_string()),
        ("NPM_CONFIG_USERCONFIG", dir.join("home/.npmrc").display().to_string()),
        ("NPM_CONFIG_REGISTRY", format!("{mock_url}/npm")),
        ("UV_INDEX_URL", format!("{mock_url}/simple")),
        ("MCP_LINT_CACHE_DIR", dir.join("cache").display().to_string()),
        ("MCP_LINT_HTTP_TIMEOUT_MS", timeout_ms.to_string()),
        ("MCP_LINT_HTTP_BACKOFF_MS", "20".to_owned()),
        ("NO_PROXY", loopback_no_proxy()),
        ("no_proxy", loopback_no_proxy()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

fn rules_of(diagnostics: &[Value]) -> Vec<String> {
    let mut rules: Vec<String> = diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str().map(str::to_owned))
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

fn open(client: &mut Client, uri: &str, text: &str) -> Vec<Value> {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}),
    );
    client.diagnostics(uri)
}

#[test]
fn the_editor_settings_select_rules_and_a_bad_one_is_said() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(".mcp.json");
    let uri = uri_of(&path);
    let mut client = Client::initialized_with(
        dir.path(),
        &[],
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "initializationOptions": {"select": ["inline-secret"]}}),
    );
    assert_eq!(rules_of(&open(&mut client, &uri, CONFIG)), ["inline-secret"]);

    // Changed settings (as VS Code sends a section): the document is linted again.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"mcp-lint": {"ignore": ["inline-secret"]}}}),
    );
    let rules = rules_of(&client.diagnostics(&uri));
    assert!(rules.contains(&"unpinned-package".to_owned()), "{rules:?}");
    assert!(!rules.contains(&"inline-secret".to_owned()), "{rules:?}");

    // A rule that does not exist: said once, clearly, and nothing linted with other settings.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"select": ["no-such-rule"]}}),
    );
    let said = client.read_until(|m| m["method"] == "window/showMessage");
    let message = said["params"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("no-such-rule"), "{said}");
    assert_eq!(said["params"]["type"], 1, "an error");
    assert!(client.diagnostics(&uri).is_empty());
    client.finish();
}

#[test]
fn mcp_lint_toml_is_read_again_when_it_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(".mcp.json");
    let uri = uri_of(&path);
    let mut client = Client::start(dir.path());
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}}),
    );
    client.notify("initialized", json!({}));
    // The server asks to be told of mcp-lint.toml and the lock.
    let registration = client.read_until(|m| m["method"] == "client/registerCapability");
    let watchers = registration["params"]["registrations"][0]["registerOptions"]["watchers"].to_string();
    assert!(
        watchers.contains("**/mcp-lint.toml") && watchers.contains("**/mcp-lint.lock"),
        "{watchers}"
    );
    client.answer(&registration, Value::Null);

    let before = rules_of(&open(&mut client, &uri, CONFIG));
    assert!(before.contains(&"unpinned-package".to_owned()), "{before:?}");

    std::fs::write(dir.path().join("mcp-lint.toml"), "ignore = [\"unpinned-package\"]\n").expect("toml");
    // Until the editor says so, the settings read stay (no disk read per keystroke)...
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": CONFIG}]}),
    );
    assert!(rules_of(&client.diagnostics(&uri)).contains(&"unpinned-package".to_owned()));
    // ...and once it does, they are read again and every open document linted again.
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&dir.path().join("mcp-lint.toml")), "type": 1}]}),
    );
    let after = rules_of(&client.diagnostics(&uri));
    assert!(!after.contains(&"unpinned-package".to_owned()), "{after:?}");
    assert!(after.contains(&"inline-secret".to_owned()), "{after:?}");

    // A broken mcp-lint.toml: said, with its path, and no findings from settings not the user's.
    std::fs::write(dir.path().join("mcp-lint.toml"), "ignore = [\"unpinned-package\"\n").expect("toml");
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&dir.path().join("mcp-lint.toml")), "type": 2}]}),
    );
    let said = client.read_until(|m| m["method"] == "window/showMessage");
    assert!(
        said["params"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("mcp-lint.toml"),
        "{said}"
    );
    client.finish();
}

#[test]
fn hover_on_a_package_shows_the_lock_and_the_probed_tools() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(".mcp.json");
    let uri = uri_of(&path);
    let text = CONFIG.replace("\"@example/mcp-server\"", "\"@example/mcp-server@1.2.0\"");
    std::fs::write(
        dir.path().join("mcp-lint.lock"),
        r#"version = 1

[[package]]
ecosystem = "npm"
name = "@example/mcp-server"
version = "1.2.0"
resolved = "2026-12-01T10:00:00Z"

[[package.artifacts]]
url = "https://registry.npmjs.org/@example/mcp-server/-/mcp-server-1.2.0.tgz"
digest = "sha512-bG9ja2VkIGRpZ2VzdA=="

[[server]]
config = ".mcp.json"
name = "example"
protocol = "2025-06-18"
server_name = "example-server"
server_version = "1.2.0"
probed = "2026-12-02T11:00:00Z"
tools_digest = "sha256:0f0f"

[[server.tool]]
name = "search_issues"
digest = "sha256:aaaa"
input_schema = "{}"
"#,
    )
    .expect("lock");
    let mut client = Client::initialized(dir.path());
    open(&mut client, &uri, &text);
    let line = text
        .lines()
        .position(|l| l.contains("@example/mcp-server"))
        .expect("line");
    let column = text
        .lines()
        .nth(line)
        .and_then(|l| l.find("mcp-server@"))
        .expect("column");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": column}}),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
    for needle in [
        "**@example/mcp-server**: npm package run by `npx`",
        "Locked at **1.2.0**, verified 2026-12-01T10:00:00Z",
        "`mcp-server-1.2.0.tgz`: `sha512-bG9ja2VkIGRpZ2VzdA==`",
        "Probed 2026-12-02T11:00:00Z: `example-server` 1.2.0 exposed 1 tools",
        "- `search_issues`",
    ] {
        assert!(shown.contains(needle), "{needle} not in:\n{shown}");
    }

    // An unpinned one says it floats; the secret of the other server is in no hover.
    let floating = CONFIG.to_owned();
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": floating}]}),
    );
    client.diagnostics(&uri);
    for (line, text) in floating.lines().enumerate() {
        for character in [text.len() / 3, text.len() / 2, text.len() * 3 / 4] {
            let hover = client.request(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
            );
            assert!(!hover.to_string().contains("0123456789abcdefghij"), "{hover}");
        }
    }
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": column}}),
    );
    assert!(hover.to_string().contains("Floating"), "{hover}");

    // A package written as a URL with a token in it: the hover names it masked.
    let token = "ghp_R7kq2Vx9LmTz4WbN8cYs1HdJ5fGp0aQeUo3i";
    let with_url = CONFIG.replace(
        "\"@example/mcp-server\"",
        &format!("\"https://deploy:{token}@npm.example.com/mcp-server-1.2.0.tgz\""),
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": with_url}]}),
    );
    client.diagnostics(&uri);
    let column = with_url
        .lines()
        .nth(line)
        .and_then(|l| l.find("npm.example.com"))
        .expect("column");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": column}}),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        shown.contains("npm.example.com"),
        "the hover shows the package: {hover}"
    );
    assert!(!hover.to_string().contains(token), "{hover}");
    client.finish();
}

/// What the editor asks pinning for: the action's command, sent as `workspace/executeCommand`.
fn pin_command(client: &mut Client, uri: &str) -> Value {
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 6, "character": 0}});
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": whole, "context": {"diagnostics": []}}),
    );
    let actions = actions["result"].as_array().cloned().unwrap_or_default();
    let pin = actions
        .iter()
        .find(|a| a["command"]["command"] == "mcp-lint.pin")
        .unwrap_or_else(|| panic!("no pin action: {actions:#?}"));
    assert_ne!(pin["isPreferred"], true, "pinning is unsafe: never preferred");
    assert!(pin["edit"].is_null(), "the pin is computed only when picked");
    pin["command"].clone()
}

fn progress_client(dir: &Path, env: &[(String, String)], options: Value) -> Client {
    Client::initialized_with(
        dir,
        env,
        json!({"processId": null, "rootUri": null, "initializationOptions": options, "capabilities": {
            "window": {"workDoneProgress": true},
            "workspace": {"applyEdit": true, "workspaceEdit": {"documentChanges": true}}}}),
    )
}

#[test]
fn pinning_asks_the_registry_only_when_picked_with_progress() {
    let mock = Mock::start();
    serve_npm(&mock, None);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(".mcp.json");
    let uri = uri_of(&path);
    let env = registry_env(&mock.url, dir.path(), 5_000);
    let mut client = progress_client(dir.path(), &env, Value::Null);
    open(&mut client, &uri, CONFIG);
    let command = pin_command(&mut client, &uri);
    assert_eq!(mock.requests(), 0, "linting and offering the action asked no registry");

    let id = client.send_request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    let create = client.read_until(|m| m["method"] == "window/workDoneProgress/create");
    let token = create["params"]["token"].clone();
    client.answer(&create, Value::Null);
    let begin = client.read_until(|m| m["method"] == "$/progress");
    assert_eq!(begin["params"]["token"], token);
    assert_eq!(begin["params"]["value"]["kind"], "begin");
    assert_eq!(begin["params"]["value"]["cancellable"], true);
    let apply = client.read_until(|m| m["method"] == "workspace/applyEdit");
    let change = &apply["params"]["edit"]["documentChanges"][0];
    assert_eq!(
        change["textDocument"]["version"], 1,
        "the edit names the version it was made from"
    );
    assert_eq!(change["edits"].as_array().map(Vec::len), Some(1), "{change}");
    // Only the package text is replaced, not the whole buffer.
    assert_eq!(change["edits"][0]["newText"], "@1.2.0", "{change}");
    let pinned = crate::lsp_client::apply_edit(CONFIG, &change["edits"][0]);
    // The policy's pick (1.3.0 is two days old, 1.1.0 deprecated), only the package text changed.
    assert_eq!(
        pinned,
        CONFIG.replace("\"@example/mcp-server\"", "\"@example/mcp-server@1.2.0\"")
    );
    client.answer(&apply, json!({"applied": true}));
    let end = client.read_until(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end");
    assert!(
        end["params"]["value"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("1.2.0"),
        "{end}"
    );
    let answer = client.read_until(|m| m["id"] == id);
    assert!(answer["error"].is_null(), "{answer}");
    let lock = std::fs::read_to_string(dir.path().join("mcp-lint.lock")).expect("the lock is written");
    assert!(
        lock.contains("version = \"1.2.0\"") && lock.contains("sha512-"),
        "{lock}"
    );
    client.finish();
}

#[test]
fn pinning_offline_or_unreachable_says_why_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(".mcp.json");
    let uri = uri_of(&path);
    // Offline by the editor's setting: refused before any request.
    let mut client = progress_client(dir.path(), &[], json!({"offline": true}));
    open(&mut client, &uri, CONFIG);
    let command = pin_command(&mut client, &uri);
    let answer = client.request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("offline"),
        "{answer}"
    );
    client.finish();

    // A registry nobody answers at: the error names the package, and no edit is sent.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    let url = format!("http://{}", closed.local_addr().expect("address"));
    drop(closed);
    let env = registry_env(&url, dir.path(), 500);
    let mut client = progress_client(dir.path(), &env, Value::Null);
    open(&mut client, &uri, CONFIG);
    let command = pin_command(&mut client, &uri);
    let id = client.send_request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    let create = client.read_until(|m| m["method"] == "window/workDoneProgress/create");
    client.answer(&create, Value::Null);
    let answer = client.read_until(|m| {
        assert_ne!(m["method"], "workspace/applyEdit", "nothing to apply: {m}");
        m["id"] == id
    });
    let message = answer["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("server `example`: cannot pin:") && message.contains("@example%2fmcp-server"),
        "{answer}"
    );
    assert!(!message.contains("ghp_"), "{answer}");
    client.finish();
}

#[test]
fn a_cancelled_pin_applies_nothing() {
    let mock = Mock::start();
    // The packument answers slowly: the cancel arrives while the registry is asked.
    let dir = tempfile::tempdir().expect("tempdir");
    serve_npm(&mock, None);
    slow_packument(&mock);
    let path = dir.path().join(".mcp.json");
    let uri = uri_of(&path);
    let env = registry_env(&mock.url, dir.path(), 10_000);
    let mut client = progress_client(dir.path(), &env, Value::Null);
    open(&mut client, &uri, CONFIG);
    let command = pin_command(&mut client, &uri);
    let id = client.send_request(
        "workspace/executeCommand",
        json!({"command": command["command"], "arguments": command["arguments"]}),
    );
    let create = client.read_until(|m| m["method"] == "window/workDoneProgress/create");
    client.answer(&create, Value::Null);
    client.notify("$/cancelRequest", json!({"id": id}));
    let answer = client.read_until(|m| {
        assert_ne!(m["method"], "workspace/applyEdit", "a cancelled pin sent an edit: {m}");
        m["id"] == id
    });
    assert_eq!(answer["error"]["code"], -32800, "{answer}");
    assert!(!dir.path().join("mcp-lint.lock").exists());
    client.finish();
}

/// The packument of `@example/mcp-server`, answered after a second and a half.
fn slow_packument(mock: &Mock) {
    mock.route_slowly("/npm/@example%2fmcp-server", Duration::from_millis(1500));
}
