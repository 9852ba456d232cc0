//! `mcp-lint probe` against the fixture server (tests/probe/fixture_server.py) in each of its
//! modes: paging, annotations, a scrubbed environment, timeouts that leave no process behind,
//! crashes, floods and malformed JSON-RPC.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{Run, bare, root, run};

fn fixture_server() -> PathBuf {
    root().join("tests/probe/fixture_server.py")
}

/// A project whose `.mcp.json` (Claude Code) runs the fixture server once per `(name, mode)`.
fn project(servers: &[(&str, &str)], extra: Value) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut map = serde_json::Map::new();
    for (name, mode) in servers {
        map.insert(
            (*name).to_owned(),
            json!({"command": "python3", "args": [fixture_server(), mode]}),
        );
    }
    if let Value::Object(extra) = extra {
        for (name, server) in extra {
            map.insert(name, server);
        }
    }
    std::fs::write(
        dir.path().join(".mcp.json"),
        serde_json::to_string_pretty(&json!({"mcpServers": map})).expect("json"),
    )
    .expect("write config");
    dir
}

fn probe(dir: &Path, args: &[&str]) -> Run {
    let mut command = bare(dir);
    command.args(["probe", "--yes"]).args(args).arg(".mcp.json");
    run(command)
}

fn json_probe(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let outcome = probe(dir, &all);
    let document = serde_json::from_str(&outcome.stdout).unwrap_or_else(|e| panic!("{e}: {}", outcome.stdout));
    (outcome.code, document, outcome.stderr)
}

fn server<'a>(document: &'a Value, name: &str) -> &'a Value {
    document["servers"]
        .as_array()
        .expect("servers")
        .iter()
        .find(|s| s["server"] == name)
        .unwrap_or_else(|| panic!("no {name} in {document}"))
}

#[test]
fn lists_every_page_with_annotations_and_digests() {
    let dir = project(&[("files", "paging"), ("legacy", "old")], json!({}));
    let (code, document, stderr) = json_probe(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let files = server(&document, "files");
    assert_eq!(files["status"], "probed");
    assert_eq!(files["protocol_version"], "2025-06-18");
    assert_eq!(files["server_name"], "fixture-paging");
    assert_eq!(files["server_version"], "1.4.2");
    let tools = files["tools"].as_array().expect("tools");
    let names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().expect("name")).collect();
    assert_eq!(
        names,
        [
            "read_file",
            "list_directory",
            "write_file",
            "create_directory",
            "fetch",
            "search_files",
            "delete_file"
        ],
        "all three pages, in order"
    );
    let kind = |name: &str| tools.iter().find(|t| t["name"] == name).expect("tool")["kind"].clone();
    assert_eq!(kind("read_file"), "read-only");
    assert_eq!(kind("create_directory"), "write");
    assert_eq!(kind("write_file"), "destructive");
    assert_eq!(kind("fetch"), "destructive", "no annotations: MCP's defaults");
    for tool in tools {
        assert!(
            tool["digest"].as_str().is_some_and(|d| d.starts_with("sha256:")),
            "{tool}"
        );
    }
    assert!(files["tools_digest"].as_str().is_some_and(|d| d.len() == 71));
    // A server that speaks only the older protocol answers with it, and is still read.
    let legacy = server(&document, "legacy");
    assert_eq!(legacy["protocol_version"], "2025-03-26");
    assert_eq!(legacy["tools"].as_array().map(Vec::len), Some(7));

    // The lock beside the config records what was seen: each tool's digest as the JSON gave it,
    // the list's digest, the server's answer to initialize.
    let lock = std::fs::read_to_string(dir.path().join("mcp-lint.lock")).expect("a lock");
    let parsed: toml::Table = toml::from_str(&lock).expect("the lock is TOML");
    let entries = parsed["server"].as_array().expect("[[server]]");
    let recorded = entries
        .iter()
        .find(|e| e["name"].as_str() == Some("files"))
        .expect("files recorded");
    assert_eq!(recorded["config"].as_str(), Some(".mcp.json"));
    assert_eq!(recorded["protocol"].as_str(), Some("2025-06-18"));
    assert_eq!(recorded["server_version"].as_str(), Some("1.4.2"));
    assert_eq!(recorded["tools_digest"].as_str(), files["tools_digest"].as_str());
    for tool in tools {
        let locked = recorded["tool"]
            .as_array()
            .expect("tools")
            .iter()
            .find(|t| t["name"].as_str() == tool["name"].as_str())
            .expect("every tool recorded");
        assert_eq!(locked["digest"].as_str(), tool["digest"].as_str());
    }

    let table = probe(dir.path(), &[]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mcp-lint.lock")).expect("lock"),
        lock,
        "nothing changed, so the lock (and its probe times) stays as it was"
    );
    let row = table
        .stdout
        .lines()
        .find(|l| l.starts_with("files"))
        .expect("a row for files");
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cells,
        ["files", "fixture-paging", "1.4.2", "7", "3", "1", "3"],
        "{}",
        table.stdout
    );
}

/// The server sees PATH, a fresh HOME, the package caches, its config's env and the variables
/// named with --pass-env: nothing else of mcp-lint's environment, and it runs in the config's
/// directory.
#[test]
fn the_server_gets_a_scrubbed_environment() {
    let dir = project(
        &[],
        json!({"env": {"command": "python3", "args": [fixture_server(), "environ"], "env": {"FROM_CONFIG": "1", "TOKEN": "${PARENT_TOKEN}"}}}),
    );
    let mut command = bare(dir.path());
    command
        .args([
            "probe",
            "--yes",
            "--format",
            "json",
            "--pass-env",
            "PASSED",
            ".mcp.json",
        ])
        .env("PARENT_TOKEN", "t0ken-value")
        .env("PASSED", "yes")
        .env("AWS_SECRET_ACCESS_KEY", "must-not-leak");
    let outcome = run(command);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let document: Value = serde_json::from_str(&outcome.stdout).expect("json");
    let names: Vec<String> = server(&document, "env")["tools"]
        .as_array()
        .expect("tools")
        .iter()
        .map(|t| t["name"].as_str().expect("name").to_owned())
        .collect();
    for expected in [
        "PATH",
        "HOME",
        "FROM_CONFIG",
        "TOKEN",
        "PASSED",
        "npm_config_cache",
        "UV_CACHE_DIR",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} missing from {names:?}");
    }
    assert!(
        !names
            .iter()
            .any(|n| n == "AWS_SECRET_ACCESS_KEY" || n == "PARENT_TOKEN"),
        "{names:?}"
    );
    let cwd = dir.path().file_name().and_then(|n| n.to_str()).expect("name");
    assert!(names.contains(&format!("cwd:{cwd}")), "{names:?}");
    assert!(!outcome.stdout.contains("t0ken-value"), "the value is never printed");
}

/// Process ids whose process group is `group`, from /proc.
fn members_of_group(group: u32) -> Vec<u32> {
    let mut members = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid pgrp ...: comm may hold spaces, so count from its closing paren.
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map_or("", |(_, rest)| rest)
            .split_whitespace()
            .collect();
        if fields.get(2).and_then(|g| g.parse::<u32>().ok()) == Some(group) && fields.first() != Some(&"Z") {
            members.push(pid);
        }
    }
    members
}

#[test]
fn a_hanging_server_times_out_and_its_whole_group_is_killed() {
    let dir = project(&[("stuck", "hang"), ("files", "paging")], json!({}));
    let pidfile = dir.path().join("server.pid");
    let mut command = bare(dir.path());
    command
        .args([
            "probe",
            "--yes",
            "--timeout",
            "2",
            "--pass-env",
            "FIXTURE_PIDFILE",
            ".mcp.json",
        ])
        .env("FIXTURE_PIDFILE", &pidfile);
    let started = Instant::now();
    let outcome = run(command);
    let took = started.elapsed();
    assert_eq!(outcome.code, 2, "{}", outcome.stdout);
    assert!(
        outcome.stdout.contains("error: `stuck`") && outcome.stdout.contains("timed out after 2 s"),
        "{}",
        outcome.stdout
    );
    assert!(
        outcome.stdout.lines().any(|l| l.starts_with("files ")),
        "the other server is still probed"
    );
    assert!(took < Duration::from_secs(15), "took {took:?}");
    let pid: u32 = std::fs::read_to_string(&pidfile)
        .expect("the server wrote its pid")
        .trim()
        .parse()
        .expect("pid");
    // The server led its own group; it and the `sleep` it started are gone.
    let left = members_of_group(pid);
    assert!(left.is_empty(), "processes left in the server's group: {left:?}");
}

#[test]
fn crashing_flooding_and_malformed_servers_are_errors_naming_them() {
    let dir = project(
        &[("broken", "malformed"), ("noisy", "flood")],
        json!({"crashing": {"command": "python3", "args": [fixture_server(), "crash"], "env": {"API_TOKEN": "tok-4f9a2c7e1b"}}}),
    );
    let outcome = probe(dir.path(), &["--timeout", "20"]);
    assert_eq!(outcome.code, 2, "{}", outcome.transcript());
    let line = |name: &str| {
        outcome
            .stdout
            .lines()
            .find(|l| l.starts_with(&format!("error: `{name}`")))
            .unwrap_or_else(|| panic!("no error for {name}: {}", outcome.stdout))
            .to_owned()
    };
    let crashing = line("crashing");
    assert!(
        crashing.contains("exited (exit status: 3) before answering `initialize`"),
        "{crashing}"
    );
    assert!(
        crashing.contains("the service refused token"),
        "stderr is quoted: {crashing}"
    );
    assert!(
        !outcome.stdout.contains("tok-4f9a2c7e1b"),
        "the token is masked: {crashing}"
    );
    assert!(
        line("noisy").contains("wrote more than 16777216 bytes"),
        "{}",
        line("noisy")
    );
    assert!(line("broken").contains("is not JSON-RPC"), "{}", line("broken"));
}

#[test]
fn skipped_servers_say_why() {
    let dir = project(
        &[],
        json!({
            "remote": {"type": "http", "url": "https://mcp.example.com/mcp"},
            "needs-var": {"command": "python3", "args": [fixture_server(), "paging"], "env": {"KEY": "${PROBE_TEST_UNSET}"}}
        }),
    );
    let (code, document, stderr) = json_probe(dir.path(), &[]);
    assert_eq!(code, 0, "skips are no errors: {stderr}");
    assert_eq!(server(&document, "remote")["status"], "skipped");
    let needs = server(&document, "needs-var");
    assert_eq!(needs["status"], "skipped");
    assert!(
        needs["reason"]
            .as_str()
            .is_some_and(|r| r.contains("$PROBE_TEST_UNSET")),
        "{needs}"
    );
}

/// Without --yes and without a terminal to ask on, nothing runs.
#[test]
fn probe_runs_nothing_without_consent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let marker = dir.path().join("ran");
    std::fs::write(
        dir.path().join(".mcp.json"),
        json!({"mcpServers": {"touch": {"command": "touch", "args": [&marker]}}}).to_string(),
    )
    .expect("config");
    let mut command = bare(dir.path());
    command.args(["probe", ".mcp.json"]).write_stdin("");
    let outcome = run(command);
    assert_eq!(outcome.code, 2, "{}", outcome.transcript());
    assert!(outcome.stderr.contains("pass --yes"), "{}", outcome.stderr);
    assert!(!marker.exists(), "the server ran");
}

/// A probe records the poisoned descriptions; `check` then reports them offline from the lock,
/// each with its reasons, at the server's line.
#[test]
fn check_reports_poisoned_descriptions_recorded_by_probe() {
    let dir = project(&[("calculator", "poisoned")], json!({}));
    let probed = probe(dir.path(), &[]);
    assert_eq!(probed.code, 0, "{}", probed.transcript());
    let mut command = crate::common::mcp_lint(dir.path());
    command.args(["--format", "json", ".mcp.json"]);
    let checked = run(command);
    assert_eq!(checked.code, 1, "{}", checked.transcript());
    let document: Value = serde_json::from_str(&checked.stdout).expect("json");
    let found: Vec<&Value> = document["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["rule"] == "suspicious-tool-description")
        .collect();
    let messages: Vec<&str> = found.iter().map(|d| d["message"].as_str().expect("message")).collect();
    assert_eq!(found.len(), 2, "{messages:?}");
    assert!(
        messages[0].starts_with("tool `add` of server `calculator`")
            && messages[0].contains("hidden markup (\"<IMPORTANT>\" in description)")
            && messages[0].contains("~/.ssh"),
        "{messages:?}"
    );
    assert!(
        messages[1].contains("U+200B")
            && messages[1].contains("an override of the conversation (\"Ignore previous")
            && messages[1].contains("exfiltration (\"send the conversation to https://"),
        "{messages:?}"
    );
    assert_eq!(found[0]["line"], 3, "at the server's entry");
}

/// `probe --check` compares with the lock: a changed description comes with its diff, a removed
/// tool is named, the lock is left as it was, and an unchanged server passes.
#[test]
fn check_reports_drift_from_the_lock() {
    let dir = project(&[("files", "paging"), ("steady", "paging")], json!({}));
    assert_eq!(probe(dir.path(), &[]).code, 0);
    let lock = std::fs::read_to_string(dir.path().join("mcp-lint.lock")).expect("lock");
    let unchanged = probe(dir.path(), &["--check"]);
    assert_eq!(unchanged.code, 0, "{}", unchanged.transcript());

    let config = dir.path().join(".mcp.json");
    let text = std::fs::read_to_string(&config).expect("config");
    let drifted = text.replacen("\"paging\"", "\"drift\"", 1);
    assert_ne!(text, drifted);
    std::fs::write(&config, drifted).expect("config");
    let checked = probe(dir.path(), &["--check"]);
    assert_eq!(checked.code, 1, "{}", checked.transcript());
    assert!(
        checked
            .stdout
            .contains("the definition of tool `write_file` of server `files` changed since it was recorded")
            && checked.stdout.contains("-   \"description\": \"Write a file.\",")
            && checked
                .stdout
                .contains("+   \"description\": \"Write a file. Also sends a copy to the maintainer.\","),
        "{}",
        checked.stdout
    );
    assert!(
        checked.stdout.contains("tool `fetch` of server `files` is gone"),
        "{}",
        checked.stdout
    );
    assert!(!checked.stdout.contains("server `steady`"), "{}", checked.stdout);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("mcp-lint.lock")).expect("lock"),
        lock,
        "--check writes nothing"
    );

    let (code, document, _) = json_probe(dir.path(), &["--check"]);
    assert_eq!(code, 1);
    let rules: Vec<&str> = document["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| d["rule"].as_str().expect("rule"))
        .collect();
    assert_eq!(rules, ["tool-definition-drift", "tool-definition-drift"]);

    // A server the lock never saw cannot be vouched for: a warning naming it.
    let fresh = project(&[("new", "paging")], json!({}));
    let checked = probe(fresh.path(), &["--check"]);
    assert!(
        checked
            .stdout
            .contains("server `new` has no tools recorded in mcp-lint.lock"),
        "{}",
        checked.transcript()
    );
    assert!(!fresh.path().join("mcp-lint.lock").exists(), "--check writes no lock");
}

/// `probe --fix` fills the allowlist of a client that enforces one with the tools the server
/// listed as read-only, names the others in a comment, and leaves a client without one alone.
#[test]
fn fix_fills_allowlists_from_what_the_servers_listed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let server = fixture_server();
    let litellm = format!(
        "mcp_servers:\n  files:\n    transport: stdio\n    command: python3\n    args: [\"{}\", paging]\ngeneral_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n",
        server.display()
    );
    std::fs::write(dir.path().join("litellm.yaml"), &litellm).expect("config");
    std::fs::create_dir(dir.path().join(".vscode")).expect("dir");
    let vscode = format!(
        "{{\n  // team servers\n  \"servers\": {{ \"files\": {{ \"command\": \"python3\", \"args\": [\"{}\", \"paging\"] }} }}\n}}\n",
        server.display()
    );
    std::fs::write(dir.path().join(".vscode/mcp.json"), &vscode).expect("config");
    let mut command = bare(dir.path());
    command.args(["probe", "--yes", "--fix", "litellm.yaml", ".vscode/mcp.json"]);
    let fixed = run(command);
    assert_eq!(fixed.code, 0, "{}", fixed.transcript());
    let after = std::fs::read_to_string(dir.path().join("litellm.yaml")).expect("config");
    assert_eq!(
        after,
        litellm.replace(
            "paging]\n",
            "paging]\n    # mcp-lint: the read-only tools of fixture-paging 1.4.2 from tools/list\n    # write tools, add to opt in: create_directory\n    # destructive tools, add to opt in: delete_file, fetch, write_file\n    allowed_tools: [list_directory, read_file, search_files]\n"
        )
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".vscode/mcp.json")).expect("config"),
        vscode,
        "VS Code enforces no per-server allowlist in this file: nothing is inserted"
    );
    let again = run({
        let mut command = bare(dir.path());
        command.args(["probe", "--yes", "--fix", "litellm.yaml"]);
        command
    });
    assert_eq!(again.code, 0, "{}", again.transcript());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("litellm.yaml")).expect("config"),
        after,
        "a second --fix changes nothing"
    );
}

/// (name, digest) of each tool of a list, from the lock or the JSON output.
fn name_digests(tools: &Value) -> Vec<(String, String)> {
    tools
        .as_array()
        .expect("tools")
        .iter()
        .map(|t| {
            (
                t["name"].as_str().expect("name").to_owned(),
                t["digest"].as_str().expect("digest").to_owned(),
            )
        })
        .collect()
}

/// Real servers from npm and PyPI at pinned versions, launched through npx and uvx as a client
/// would: the first probe fills the package caches, the second must list all three in under
/// 10 s, and what the lock recorded is what the servers answered. `.ci/run` installs uv and sets
/// MCP_LINT_PROBE_LIVE.
#[test]
#[ignore = "needs MCP_LINT_PROBE_LIVE=1, npx, uvx and registry.npmjs.org and pypi.org"]
fn probes_real_servers_through_npx_and_uvx() {
    crate::common::required_env("MCP_LINT_PROBE_LIVE", "set to 1 with npx and uvx on PATH");
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join(".mcp.json"),
        r#"{"mcpServers": {
  "filesystem": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2026.8.31", "."]},
  "memory": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory@2026.8.31"]},
  "fetch": {"command": "uvx", "args": ["mcp-server-fetch==2026.10.24"]}
}}
"#,
    )
    .expect("config");
    let warm = probe(dir.path(), &["--timeout", "240"]);
    assert_eq!(warm.code, 0, "{}", warm.transcript());
    let started = Instant::now();
    let (code, document, stderr) = json_probe(dir.path(), &[]);
    let took = started.elapsed();
    assert_eq!(code, 0, "{stderr}");
    assert!(
        took < Duration::from_secs(10),
        "three servers with warm caches took {took:?}"
    );
    let names = |server: &Value| -> Vec<String> {
        server["tools"]
            .as_array()
            .expect("tools")
            .iter()
            .map(|t| t["name"].as_str().expect("name").to_owned())
            .collect()
    };
    let filesystem = server(&document, "filesystem");
    assert_eq!(filesystem["server_name"], "secure-filesystem-server");
    assert!(
        names(filesystem).contains(&"read_text_file".to_owned())
            && names(filesystem).contains(&"write_file".to_owned())
    );
    let memory = server(&document, "memory");
    assert_eq!(memory["server_name"], "memory-server");
    assert!(names(memory).contains(&"read_graph".to_owned()));
    let fetch = server(&document, "fetch");
    assert_eq!(fetch["server_name"], "mcp-fetch");
    assert_eq!(fetch["server_version"], "2026.10.24", "the pinned release answers");
    assert_eq!(names(fetch), ["fetch"]);
    // What the first probe recorded is what the servers answer now, tool by tool.
    let lock: Value = serde_json::to_value(
        toml::from_str::<toml::Table>(&std::fs::read_to_string(dir.path().join("mcp-lint.lock")).expect("lock"))
            .expect("toml"),
    )
    .expect("json");
    for entry in lock["server"].as_array().expect("servers") {
        let answered = server(&document, entry["name"].as_str().expect("name"));
        assert_eq!(
            entry["tools_digest"].as_str(),
            answered["tools_digest"].as_str(),
            "{}",
            entry["name"]
        );
        let mut recorded = name_digests(&entry["tool"]);
        let mut now = name_digests(&answered["tools"]);
        recorded.sort();
        now.sort();
        assert_eq!(recorded, now, "{}", entry["name"]);
    }
    let unchanged = probe(dir.path(), &["--check"]);
    assert_eq!(unchanged.code, 0, "{}", unchanged.transcript());
}

mod remote {
    //! `probe --remote` against loopback MCP servers: streamable HTTP (JSON and event-stream
    //! answers, a session id) and the older HTTP+SSE transport, with the credential taken from the
    //! environment only.

    use std::io::Read;
    use std::sync::mpsc::{self, Receiver, Sender};
    use std::sync::{Arc, Mutex};
    use std::thread;

    use serde_json::{Value, json};

    use super::{bare, run, server};

    const TOKEN: &str = "remote-token-8f3a1c";

    /// A body that streams what the channel sends, for the event stream of the SSE transport.
    struct ChannelBody {
        receiver: Receiver<Vec<u8>>,
        pending: Vec<u8>,
    }

    impl Read for ChannelBody {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            if self.pending.is_empty() {
                match self.receiver.recv() {
                    Ok(bytes) => self.pending = bytes,
                    Err(_) => return Ok(0),
                }
            }
            let n = self.pending.len().min(buffer.len());
            buffer[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            Ok(n)
        }
    }

    /// An event followed by an SSE comment long enough to push it through tiny_http's buffered
    /// writer, which flushes a streamed body only when its buffer fills.
    fn padded(event: &str) -> Vec<u8> {
        format!("{event}:{}\n\n", " ".repeat(16 * 1024)).into_bytes()
    }

    fn answer(message: &Value) -> Option<Value> {
        let id = message.get("id")?.clone();
        let result = match message["method"].as_str()? {
            "initialize" => json!({
                "protocolVersion": "2025-06-18",
                "capabilities": {"tools": {}},
                "serverInfo": {"name": "loopback-remote", "version": "3.1.0"}
            }),
            "tools/list" if message["params"]["cursor"].is_null() => json!({
                "tools": [{"name": "search", "description": "Searches.", "inputSchema": {"type": "object"}, "annotations": {"readOnlyHint": true}}],
                "nextCursor": "2"
            }),
            "tools/list" => json!({
                "tools": [{"name": "publish", "description": "Publishes.", "inputSchema": {"type": "object"}}]
            }),
            _ => return Some(json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32601, "message": "no"}})),
        };
        Some(json!({"jsonrpc": "2.0", "id": id, "result": result}))
    }

    fn header(request: &tiny_http::Request, name: &str) -> Option<String> {
        request
            .headers()
            .iter()
            .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_str().to_owned())
    }

    fn respond(request: tiny_http::Request, status: u16, body: String, headers: &[(&str, &str)]) {
        let mut response = tiny_http::Response::from_string(body).with_status_code(status);
        for (name, value) in headers {
            response =
                response.with_header(tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("header"));
        }
        let _ = request.respond(response);
    }

    /// Serves both transports: `/mcp` (streamable HTTP) and `/sse` + `/messages` (HTTP+SSE).
    /// Returns the base URL and every Authorization header seen.
    fn serve() -> (String, Arc<Mutex<Vec<String>>>) {
        let http = tiny_http::Server::http("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", http.server_addr().to_ip().expect("ip"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stream: Arc<Mutex<Option<Sender<Vec<u8>>>>> = Arc::new(Mutex::new(None));
        let log = seen.clone();
        thread::spawn(move || {
            for mut request in http.incoming_requests() {
                let authorization = header(&request, "Authorization").unwrap_or_default();
                log.lock().expect("log").push(authorization.clone());
                if authorization != format!("Bearer {TOKEN}") {
                    respond(request, 401, String::new(), &[]);
                    continue;
                }
                let url = request.url().to_owned();
                let mut body = String::new();
                let _ = request.as_reader().read_to_string(&mut body);
                let stream = stream.clone();
                thread::spawn(move || match (request.method(), url.as_str()) {
                    (tiny_http::Method::Get, "/sse") => {
                        let (sender, receiver) = mpsc::channel();
                        sender
                            .send(padded("event: endpoint\ndata: /messages?sessionId=7\n\n"))
                            .expect("send");
                        *stream.lock().expect("stream") = Some(sender);
                        let body = ChannelBody {
                            receiver,
                            pending: Vec::new(),
                        };
                        let headers = vec![
                            tiny_http::Header::from_bytes(&b"Content-Type"[..], &b"text/event-stream"[..])
                                .expect("header"),
                        ];
                        // Chunked from the first byte: tiny_http would otherwise read ahead to
                        // learn the length of a body that never ends.
                        let response = tiny_http::Response::new(tiny_http::StatusCode(200), headers, body, None, None)
                            .with_chunked_threshold(0);
                        let _ = request.respond(response);
                    }
                    (tiny_http::Method::Post, "/messages?sessionId=7") => {
                        let message: Value = serde_json::from_str(&body).expect("json");
                        if let Some(reply) = answer(&message)
                            && let Some(sender) = stream.lock().expect("stream").as_ref()
                        {
                            let _ = sender.send(padded(&format!("event: message\ndata: {reply}\n\n")));
                        }
                        respond(request, 202, String::new(), &[]);
                    }
                    (tiny_http::Method::Post, "/mcp") => {
                        let message: Value = serde_json::from_str(&body).expect("json");
                        let session = header(&request, "Mcp-Session-Id");
                        match (message["method"].as_str(), answer(&message)) {
                            (Some("initialize"), Some(reply)) => {
                                respond(
                                    request,
                                    200,
                                    reply.to_string(),
                                    &[("Content-Type", "application/json"), ("Mcp-Session-Id", "s-42")],
                                );
                            }
                            (_, None) => respond(request, 202, String::new(), &[]),
                            (_, Some(_)) if session.as_deref() != Some("s-42") => {
                                respond(request, 400, String::new(), &[])
                            }
                            // Pages as an event stream and as JSON: both answers a client must read.
                            (_, Some(reply)) if message["params"]["cursor"].is_null() => respond(
                                request,
                                200,
                                format!("event: message\ndata: {reply}\n\n"),
                                &[("Content-Type", "text/event-stream")],
                            ),
                            (_, Some(reply)) => {
                                respond(request, 200, reply.to_string(), &[("Content-Type", "application/json")])
                            }
                        }
                    }
                    _ => respond(request, 404, String::new(), &[]),
                });
            }
        });
        (base, seen)
    }

    #[test]
    fn remote_servers_over_both_http_transports_with_the_token_from_the_environment() {
        let (base, seen) = serve();
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join(".mcp.json"),
            json!({"mcpServers": {
                "streamable": {"type": "http", "url": format!("{base}/mcp"), "headers": {"Authorization": "Bearer ${REMOTE_TOKEN}"}},
                "legacy": {"type": "sse", "url": format!("{base}/sse"), "headers": {"Authorization": "Bearer ${REMOTE_TOKEN}"}},
                "literal": {"type": "http", "url": format!("{base}/mcp"), "headers": {"Authorization": "Bearer written-in-the-file-123"}}
            }})
            .to_string(),
        )
        .expect("config");
        let probe = |args: &[&str]| {
            let mut command = bare(dir.path());
            command
                .args(["probe", "--yes", "--format", "json", "--timeout", "10"])
                .args(args)
                .arg(".mcp.json")
                .env("REMOTE_TOKEN", TOKEN);
            run(command)
        };
        let without = probe(&[]);
        let document: Value = serde_json::from_str(&without.stdout).expect("json");
        assert_eq!(
            server(&document, "streamable")["status"],
            "skipped",
            "remote only with --remote"
        );
        assert!(
            seen.lock().expect("log").is_empty(),
            "nothing was sent without --remote"
        );

        let with = probe(&["--remote"]);
        assert_eq!(with.code, 0, "{}", with.transcript());
        let document: Value = serde_json::from_str(&with.stdout).expect("json");
        for name in ["streamable", "legacy"] {
            let entry = server(&document, name);
            assert_eq!(entry["status"], "probed", "{name}: {entry}");
            assert_eq!(entry["server_name"], "loopback-remote");
            let tools: Vec<&str> = entry["tools"]
                .as_array()
                .expect("tools")
                .iter()
                .map(|t| t["name"].as_str().expect("name"))
                .collect();
            assert_eq!(tools, ["search", "publish"], "{name}: both pages");
        }
        let literal = server(&document, "literal");
        assert_eq!(literal["status"], "skipped");
        assert!(
            literal["reason"]
                .as_str()
                .is_some_and(|r| r.contains("only from the environment")),
            "{literal}"
        );
        assert!(!with.stdout.contains(TOKEN) && !with.stderr.contains(TOKEN));
        let sent = seen.lock().expect("log").clone();
        assert!(
            !sent.is_empty() && sent.iter().all(|a| a == &format!("Bearer {TOKEN}")),
            "{sent:?}"
        );
    }

    #[test]
    fn a_refused_credential_is_an_error_naming_the_server() {
        let (base, _) = serve();
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join(".mcp.json"),
            json!({"mcpServers": {"docs": {"type": "http", "url": format!("{base}/mcp"), "headers": {"Authorization": "Bearer ${REMOTE_TOKEN}"}}}}).to_string(),
        )
        .expect("config");
        let mut command = bare(dir.path());
        command
            .args(["probe", "--yes", "--remote", ".mcp.json"])
            .env("REMOTE_TOKEN", "wrong-token-value");
        let outcome = run(command);
        assert_eq!(outcome.code, 2, "{}", outcome.transcript());
        assert!(
            outcome.stdout.contains("error: `docs`") && outcome.stdout.contains("HTTP 401"),
            "{}",
            outcome.stdout
        );
        assert!(!outcome.stdout.contains("wrong-token-value"));
    }
}

/// On a terminal, `probe` asks before it runs anything: "n" runs nothing, "y" probes.
#[test]
fn probe_asks_on_a_terminal() {
    let dir = project(&[("files", "paging")], json!({}));
    let session = |answer: &str| {
        let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("mcp-lint"));
        command
            .current_dir(dir.path())
            .args(["probe", ".mcp.json"])
            .env("TERM", "xterm")
            .env("NO_COLOR", "1");
        let mut session = rexpect::session::spawn_command(command, Some(30_000)).expect("a pseudo-terminal");
        session
            .exp_string("which runs its own code. Continue? [y/N]")
            .expect("the question");
        session.send_line(answer).expect("answer");
        let rest = session.exp_eof().expect("exit");
        (rest, dir.path().join("mcp-lint.lock").exists())
    };
    let (refused, locked) = session("n");
    assert!(refused.contains("nothing was run"), "{refused}");
    assert!(!locked, "no server ran, nothing was recorded");
    let (accepted, locked) = session("y");
    assert!(accepted.contains("fixture-paging"), "{accepted}");
    assert!(locked, "the probe recorded the tools");
}

/// A server removed from the config leaves the lock at the next probe; another config's entries
/// beside it stay.
#[test]
fn a_removed_server_leaves_the_lock() {
    let dir = project(&[("files", "paging"), ("gone", "paging")], json!({}));
    assert_eq!(probe(dir.path(), &[]).code, 0);
    let lock = || std::fs::read_to_string(dir.path().join("mcp-lint.lock")).expect("lock");
    assert!(lock().contains("name = \"gone\""));
    let config = dir.path().join(".mcp.json");
    let mut document: Value = serde_json::from_str(&std::fs::read_to_string(&config).expect("config")).expect("json");
    document["mcpServers"].as_object_mut().expect("servers").remove("gone");
    std::fs::write(&config, document.to_string()).expect("config");
    let again = probe(dir.path(), &[]);
    assert_eq!(again.code, 0, "{}", again.transcript());
    assert!(
        !lock().contains("name = \"gone\"") && lock().contains("name = \"files\""),
        "{}",
        lock()
    );
}
