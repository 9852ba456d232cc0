//! `toxic-flow` over fixtures/toxic-flow: configs of servers whose real tool lists were recorded
//! by `mcp-lint probe` (server-filesystem 2026.8.31, server-memory 2026.8.31, server-github 2025.4.8, server-slack
//! 2025.4.25, mcp-server-fetch 2026.10.24; a fixture server for the classes read from tool
//! definitions), and two that were not probed. Each verdict is checked with its tools by role
//! and the reason each has its role, from the JSON output's `flow`.

use serde_json::Value;

use crate::common::{fixtures, mcp_lint, run};

/// The `toxic-flow` diagnostics of one fixture folder.
fn flows(dir: &str) -> Vec<Value> {
    let mut command = mcp_lint(&fixtures().join("toxic-flow"));
    command.args(["check", "--select", "toxic-flow", "--format", "json", dir]);
    let outcome = run(command);
    let document: Value =
        serde_json::from_str(&outcome.stdout).unwrap_or_else(|e| panic!("{dir}: {e}\n{}", outcome.stdout));
    document["diagnostics"].as_array().cloned().unwrap_or_default()
}

/// `(server, tool)` of each tool the flow lists under `role`, each with a reason.
fn tools(flow: &Value, role: &str) -> Vec<(String, String)> {
    flow[role]
        .as_array()
        .into_iter()
        .flatten()
        .map(|tool| {
            assert!(
                tool["why"].as_str().is_some_and(|why| !why.is_empty()),
                "no reason: {tool}"
            );
            (
                tool["server"].as_str().unwrap_or_default().to_owned(),
                tool["tool"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn has(list: &[(String, String)], server: &str, tool: &str) -> bool {
    list.iter().any(|(s, t)| s == server && t == tool)
}

/// The one flow of `dir`, with its severity and kind.
fn one_flow(dir: &str, severity: &str, kind: &str) -> Value {
    let found = flows(dir);
    assert_eq!(found.len(), 1, "{dir}: {found:#?}");
    assert_eq!(found[0]["severity"], severity, "{dir}: {:#}", found[0]);
    assert_eq!(found[0]["flow"]["kind"], kind, "{dir}: {:#}", found[0]);
    found[0]["flow"].clone()
}

#[test]
fn three_servers_close_the_loop() {
    let flow = one_flow("trifecta", "error", "trifecta");
    let (private, untrusted, sink) = (tools(&flow, "private"), tools(&flow, "untrusted"), tools(&flow, "sink"));
    assert!(has(&private, "filesystem", "read_file"), "{private:?}");
    assert!(has(&private, "slack", "slack_get_channel_history"), "{private:?}");
    // server-memory's graph, as probed: read_graph private, its writes send nothing out.
    assert!(has(&private, "memory", "read_graph"), "{private:?}");
    assert!(!has(&sink, "memory", "create_entities"), "{sink:?}");
    assert!(has(&untrusted, "slack", "slack_get_channel_history"), "{untrusted:?}");
    assert!(has(&untrusted, "fetch", "fetch"), "{untrusted:?}");
    assert!(
        has(&sink, "slack", "slack_post_message") && has(&sink, "fetch", "fetch"),
        "{sink:?}"
    );
    // Writing a local file sends nothing out.
    assert!(!has(&sink, "filesystem", "write_file"), "{sink:?}");
    assert!(flow["private"][0]["from"] == "probe", "{flow:#}");
}

#[test]
fn one_server_can_close_it_alone() {
    let flow = one_flow("one-server", "error", "trifecta");
    assert!(has(&tools(&flow, "private"), "github", "get_file_contents"));
    assert!(has(&tools(&flow, "untrusted"), "github", "get_issue"));
    assert!(has(&tools(&flow, "sink"), "github", "create_issue"));
    // Its sinks are also its sources: splitting servers cannot break it, denying tools can.
    let breaks: Vec<&str> = flow["breaks"]
        .as_array()
        .expect("breaks")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(breaks.len(), 1, "{breaks:?}");
    assert!(breaks[0].contains("send data out"), "{breaks:?}");
}

#[test]
fn untrusted_text_to_a_sink_is_a_warning() {
    let flow = one_flow("pair", "warning", "untrusted-to-sink");
    assert!(tools(&flow, "private").is_empty());
    assert_eq!(tools(&flow, "sink"), [("fetch".to_owned(), "fetch".to_owned())]);
}

#[test]
fn allowlists_cut_the_flow() {
    // Slack may only read, fetch is excluded: no sink is left.
    assert!(flows("allowlists-cut").is_empty(), "{:#?}", flows("allowlists-cut"));
    // The same with `slack_post_message` allowed: the flow is back, through that tool alone.
    let flow = one_flow("allowlists-leave-a-sink", "error", "trifecta");
    assert_eq!(
        tools(&flow, "sink"),
        [("slack".to_owned(), "slack_post_message".to_owned())]
    );
    assert!(!has(&tools(&flow, "untrusted"), "fetch", "fetch"));
}

#[test]
fn without_probe_data_the_knowledge_table_decides_and_says_so() {
    let found = flows("knowledge-table");
    assert_eq!(found.len(), 1, "{found:#?}");
    let flow = &found[0]["flow"];
    assert_eq!(flow["kind"], "trifecta");
    assert!(has(&tools(flow, "private"), "memory", "read_graph"));
    assert!(flow["sink"][0]["from"] == "knowledge-table", "{flow:#}");
    // The human output says the tools were not probed.
    let mut command = mcp_lint(&fixtures().join("toxic-flow"));
    command.args(["check", "--select", "toxic-flow", "knowledge-table"]);
    let human = run(command);
    assert!(human.stdout.contains("not probed"), "{}", human.stdout);
    assert!(flows("harmless").is_empty(), "{:#?}", flows("harmless"));
}

#[test]
fn definitions_class_tools_no_table_knows() {
    let flow = one_flow("probed-by-definition", "error", "trifecta");
    let why = |role: &str, tool: &str| -> String {
        flow[role]
            .as_array()
            .into_iter()
            .flatten()
            .find(|t| t["tool"] == tool)
            .and_then(|t| t["why"].as_str())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(why("private", "search_notes").contains("`query`"), "{flow:#}");
    assert!(why("sink", "notify").contains("`webhook_url`"), "{flow:#}");
    assert!(why("untrusted", "read_page").contains("openWorldHint"), "{flow:#}");
    // A read-only tool of a closed world with no private input is in no role.
    for role in ["private", "untrusted", "sink"] {
        assert!(!has(&tools(&flow, role), "notes", "word_count"), "{flow:#}");
    }
}

/// `~/.claude.json`: the user-scope servers are one agent in every project; a project's
/// local-scope servers join them in that project only. Nothing is combined across projects.
#[test]
fn each_project_of_the_users_file_is_its_own_agent() {
    let home = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        home.path().join(".claude.json"),
        r#"{
  "mcpServers": {
    "memory": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory@2026.8.31"]}
  },
  "projects": {
    "/work/app": {"mcpServers": {
      "fetch": {"command": "uvx", "args": ["mcp-server-fetch==2026.10.24"]}
    }},
    "/work/site": {"mcpServers": {
      "slack": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-slack@2025.4.25"]}
    }},
    "/work/notes": {"mcpServers": {
      "time": {"command": "uvx", "args": ["mcp-server-time==2026.10.19"]}
    }}
  }
}
"#,
    )
    .expect("write");
    let mut command = mcp_lint(home.path());
    command.args(["check", "--select", "toxic-flow", "--format", "json", ".claude.json"]);
    let outcome = run(command);
    let document: Value = serde_json::from_str(&outcome.stdout).expect("JSON");
    let found = document["diagnostics"].as_array().cloned().unwrap_or_default();
    // /work/app: memory (private) with fetch (untrusted, sink); /work/site: memory with slack;
    // /work/notes: memory and time close nothing. The user scope alone closes nothing either.
    assert_eq!(found.len(), 2, "{found:#?}");
    for finding in &found {
        assert_eq!(finding["flow"]["kind"], "trifecta", "{finding:#}");
        let servers: Vec<&str> = ["private", "untrusted", "sink"]
            .iter()
            .flat_map(|role| finding["flow"][role].as_array().into_iter().flatten())
            .filter_map(|tool| tool["server"].as_str())
            .collect();
        assert!(servers.contains(&"memory"), "{finding:#}");
        assert!(
            !(servers.contains(&"fetch") && servers.contains(&"slack")),
            "two projects' local servers combined: {finding:#}"
        );
    }
}

/// Under `check --user .`, a project's `.mcp.json` is judged with the servers Claude Code adds
/// from the user's own file: a user-scope `memory` (private) and a project `fetch` (untrusted,
/// a sink) close the loop that neither file closes alone, and the finding says where they came
/// from.
#[test]
fn the_users_servers_join_the_projects() {
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path().canonicalize().expect("canonical home");
    let project = h.join("work/app");
    std::fs::create_dir_all(&project).expect("mkdir");
    std::fs::write(
        h.join(".claude.json"),
        r#"{"mcpServers": {"memory": {"command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory@2026.8.31"]}}}"#,
    )
    .expect("write");
    std::fs::write(
        project.join(".mcp.json"),
        r#"{"mcpServers": {"fetch": {"command": "uvx", "args": ["mcp-server-fetch==2026.10.24"]}}}"#,
    )
    .expect("write");
    let judged = |user: bool| -> Vec<Value> {
        let mut command = mcp_lint(&project);
        command.env("HOME", &h);
        if user {
            command.arg("--user");
        }
        command.args(["--select", "toxic-flow", "--format", "json", "."]);
        let outcome = run(command);
        let document: Value = serde_json::from_str(&outcome.stdout).expect("JSON");
        document["diagnostics"].as_array().cloned().unwrap_or_default()
    };
    // The project alone: fetch is a pair (a warning).
    let alone = judged(false);
    assert_eq!(alone.len(), 1, "{alone:#?}");
    assert_eq!(alone[0]["flow"]["kind"], "untrusted-to-sink");
    // With the user's file: the trifecta, at the project's file.
    let merged = judged(true);
    assert_eq!(merged.len(), 1, "{merged:#?}");
    assert_eq!(merged[0]["flow"]["kind"], "trifecta", "{:#}", merged[0]);
    assert!(
        merged[0]["path"].as_str().is_some_and(|p| p.ends_with(".mcp.json")),
        "{:#}",
        merged[0]
    );
    let private = &merged[0]["flow"]["private"][0];
    assert!(
        private["server"]
            .as_str()
            .is_some_and(|s| s.starts_with("memory (user scope")),
        "{private:#}"
    );
    assert_eq!(private["from"], "knowledge-table");
}

/// A server Claude Code's managed settings keep from starting is in no flow; one an allowlist
/// leaves out only while users' settings may still add it stays in.
#[test]
fn managed_settings_cut_what_they_block() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("etc")).expect("mkdir");
    std::fs::write(
        dir.path().join(".mcp.json"),
        r#"{"mcpServers": {"fetch": {"command": "uvx", "args": ["mcp-server-fetch==2026.10.24"]}}}"#,
    )
    .expect("write");
    let flows_with = |managed: &str| -> usize {
        std::fs::write(dir.path().join("etc/managed-settings.json"), managed).expect("write");
        let mut command = mcp_lint(dir.path());
        command.args(["--select", "toxic-flow", "--format", "json", "."]);
        let document: Value = serde_json::from_str(&run(command).stdout).expect("JSON");
        document["diagnostics"].as_array().map_or(0, Vec::len)
    };
    assert_eq!(flows_with(r#"{"allowedMcpServers": [{"serverName": "docs"}]}"#), 1);
    assert_eq!(
        flows_with(r#"{"allowManagedMcpServersOnly": true, "allowedMcpServers": [{"serverName": "docs"}]}"#),
        0
    );
    assert_eq!(flows_with(r#"{"deniedMcpServers": [{"serverName": "fetch"}]}"#), 0);
}
