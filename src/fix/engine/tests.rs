//! Each edit in each syntax: the exact bytes before and after.

use serde_json::json;

use super::*;

fn route(path: &str) -> Route {
    let mut route = Route::root();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        route = match part.parse::<usize>() {
            Ok(i) => route.index(i),
            Err(_) => route.key(part),
        };
    }
    route
}

fn insert(map: &str, after: Option<&str>, key: &str, value: Value) -> Edit {
    Edit::Insert {
        map: route(map),
        after: after.map(str::to_owned),
        key: key.to_owned(),
        value,
        comment: Vec::new(),
    }
}

#[track_caller]
fn check(syntax: Syntax, before: &str, edit: Edit, after: &str) {
    let got = apply_edit(before, syntax, &edit).unwrap_or_else(|e| panic!("{edit:?}: {e}"));
    assert_eq!(got, after, "\n--- before\n{before}\n--- got\n{got}\n--- want\n{after}");
}

#[test]
fn json_insert_after_a_middle_key_keeps_comments_and_order() {
    check(
        Syntax::Jsonc,
        "{\n  \"a\": {\n    \"command\": \"npx\", // runner\n    \"args\": [\"-y\"]\n  }\n}\n",
        insert("a", Some("command"), "type", json!("stdio")),
        "{\n  \"a\": {\n    \"command\": \"npx\", // runner\n    \"type\": \"stdio\",\n    \"args\": [\"-y\"]\n  }\n}\n",
    );
}

#[test]
fn json_insert_after_the_last_key_adds_the_comma_and_keeps_crlf() {
    check(
        Syntax::Json,
        "{\r\n\t\"a\": {\r\n\t\t\"url\": \"https://x\"\r\n\t}\r\n}",
        insert("a", None, "headers", json!({"X": "1"})),
        "{\r\n\t\"a\": {\r\n\t\t\"url\": \"https://x\",\r\n\t\t\"headers\": { \"X\": \"1\" }\r\n\t}\r\n}",
    );
}

#[test]
fn json_insert_keeps_trailing_comma_style_and_inline_objects() {
    check(
        Syntax::Jsonc,
        "{\n  \"a\": 1,\n}\n",
        insert("", None, "b", json!(2)),
        "{\n  \"a\": 1,\n  \"b\": 2,\n}\n",
    );
    check(
        Syntax::Json,
        "{\"s\": { \"command\": \"x\", \"args\": [] }}",
        insert("s", Some("command"), "cwd", json!(".")),
        "{\"s\": { \"command\": \"x\", \"cwd\": \".\", \"args\": [] }}",
    );
    check(
        Syntax::Json,
        "{\"s\": {}}",
        insert("s", None, "env", json!({})),
        "{\"s\": { \"env\": {} }}",
    );
}

#[test]
fn json_append_and_remove() {
    check(
        Syntax::Json,
        "{\"tools\": [\"a\"]}",
        Edit::Append {
            list: route("tools"),
            value: json!("b"),
        },
        "{\"tools\": [\"a\", \"b\"]}",
    );
    check(
        Syntax::Json,
        "{\n  \"a\": 1,\n  \"b\": 2\n}\n",
        Edit::Remove { route: route("b") },
        "{\n  \"a\": 1\n}\n",
    );
    check(
        Syntax::Json,
        "{ \"a\": 1, \"b\": 2 }",
        Edit::Remove { route: route("a") },
        "{ \"b\": 2 }",
    );
}

#[test]
fn yaml_insert_follows_indentation_quoting_and_block_style() {
    check(
        Syntax::Yaml,
        "mcp_servers:\n  gh:   # github\n    url: \"https://x/mcp\"\n    transport: http\n\ngeneral_settings: {}\n",
        insert("mcp_servers.gh", Some("url"), "allowed_tools", json!(["get_issue"])),
        "mcp_servers:\n  gh:   # github\n    url: \"https://x/mcp\"\n    allowed_tools: [\"get_issue\"]\n    transport: http\n\ngeneral_settings: {}\n",
    );
    check(
        Syntax::Yaml,
        "s:\n  args:\n    - a\n    - b\n  env:\n    K: v\n",
        insert("s", Some("args"), "allowed_tools", json!(["x", "z"])),
        "s:\n  args:\n    - a\n    - b\n  allowed_tools:\n    - x\n    - z\n  env:\n    K: v\n",
    );
    check(
        Syntax::Yaml,
        "s:\r\n  url: http://x # plain\r\n",
        insert("s", None, "mcp_info", json!({"tool_allowlist_enforced": true})),
        "s:\r\n  url: http://x # plain\r\n  mcp_info:\r\n    tool_allowlist_enforced: true\r\n",
    );
}

#[test]
fn yaml_items_of_a_list_and_flow_maps() {
    check(
        Syntax::Yaml,
        "list:\n  - name: a\n    url: x\n",
        insert("list.0", Some("name"), "k", json!(1)),
        "list:\n  - name: a\n    k: 1\n    url: x\n",
    );
    check(
        Syntax::Yaml,
        "s: {url: x}\n",
        insert("s", None, "k", json!(true)),
        "s: {url: x, k: true}\n",
    );
    check(
        Syntax::Yaml,
        "s:\n  tools:\n  - a\n",
        Edit::Append {
            list: route("s.tools"),
            value: json!("b"),
        },
        "s:\n  tools:\n  - a\n  - b\n",
    );
}

#[test]
fn yaml_replace_keeps_the_quoting_and_remove_takes_the_line() {
    check(
        Syntax::Yaml,
        "g:\n  master_key: 'sk-1234' # literal\n",
        Edit::Replace {
            route: route("g.master_key"),
            value: json!("os.environ/LITELLM_MASTER_KEY"),
        },
        "g:\n  master_key: 'os.environ/LITELLM_MASTER_KEY' # literal\n",
    );
    check(
        Syntax::Yaml,
        "s:\n  url: x\n  allow_all_keys: true\n  auth_type: none",
        Edit::Remove {
            route: route("s.auth_type"),
        },
        "s:\n  url: x\n  allow_all_keys: true",
    );
    check(
        Syntax::Yaml,
        "s:\n  url: \"http://h/mcp\"\n",
        Edit::ReplaceInString {
            route: route("s.url"),
            find: "http://".into(),
            replace: "https://".into(),
        },
        "s:\n  url: \"https://h/mcp\"\n",
    );
}

#[test]
fn remove_keeps_a_trailing_comment() {
    check(
        Syntax::Yaml,
        "s:\n  url: x\n  allow_all_keys: true   # every key\n  transport: http\n",
        Edit::Remove {
            route: route("s.allow_all_keys"),
        },
        "s:\n  url: x\n  # every key\n  transport: http\n",
    );
}

#[test]
fn toml_insert_stays_in_its_table() {
    check(
        Syntax::Toml,
        "[mcp_servers.ctx]\ncommand = \"npx\" # runner\nargs = [\"-y\"]\n\n[mcp_servers.ctx.env]\nK = \"v\"\n",
        insert("mcp_servers.ctx", None, "enabled_tools", json!(["a"])),
        "[mcp_servers.ctx]\ncommand = \"npx\" # runner\nargs = [\"-y\"]\nenabled_tools = [\"a\"]\n\n[mcp_servers.ctx.env]\nK = \"v\"\n",
    );
    check(
        Syntax::Toml,
        "[mcp_servers.ctx.env]\nK = 'v'\n\n[mcp_servers.ctx]\n",
        insert("mcp_servers.ctx", None, "command", json!("npx")),
        "[mcp_servers.ctx.env]\nK = 'v'\n\n[mcp_servers.ctx]\ncommand = \"npx\"\n",
    );
    check(
        Syntax::Toml,
        "[mcp_servers]\ns = { command = 'uvx', args = ['x'] }\n",
        insert("mcp_servers.s", Some("command"), "enabled_tools", json!(["t"])),
        "[mcp_servers]\ns = { command = 'uvx', enabled_tools = ['t'], args = ['x'] }\n",
    );
    check(
        Syntax::Toml,
        "[mcp_servers]\ns.command = \"uvx\"\ns.args = [\"x\"]\n",
        insert("mcp_servers.s", None, "enabled_tools", json!(["t"])),
        "[mcp_servers]\ns.command = \"uvx\"\ns.args = [\"x\"]\ns.enabled_tools = [\"t\"]\n",
    );
}

#[test]
fn comments_only_where_the_syntax_has_them() {
    let edit = Edit::Insert {
        map: route("s"),
        after: None,
        key: "tools".into(),
        value: json!(["read"]),
        comment: vec!["opt in: write".into()],
    };
    check(
        Syntax::Jsonc,
        "{\n  \"s\": {\n    \"command\": \"x\"\n  }\n}\n",
        edit.clone(),
        "{\n  \"s\": {\n    \"command\": \"x\",\n    // opt in: write\n    \"tools\": [\"read\"]\n  }\n}\n",
    );
    check(
        Syntax::Json,
        "{\n  \"s\": {\n    \"command\": \"x\"\n  }\n}\n",
        edit.clone(),
        "{\n  \"s\": {\n    \"command\": \"x\",\n    \"tools\": [\"read\"]\n  }\n}\n",
    );
    check(
        Syntax::Yaml,
        "s:\n  command: x\n",
        edit,
        "s:\n  command: x\n  # opt in: write\n  tools: [read]\n",
    );
}

#[test]
fn refusals() {
    let text = "{\"s\": {\"a\": 1}}";
    assert!(matches!(
        apply_edit(text, Syntax::Json, &insert("s", None, "a", json!(2))),
        Err(EditError::Exists { .. })
    ));
    assert!(matches!(
        apply_edit(text, Syntax::Json, &insert("t", None, "a", json!(2))),
        Err(EditError::Missing(_))
    ));
    assert!(matches!(
        apply_edit("{", Syntax::Json, &insert("", None, "a", json!(2))),
        Err(EditError::Parse(_))
    ));
}

#[test]
fn json_insert_into_a_one_line_object_stays_on_that_line() {
    let tools: Vec<String> = (0..12).map(|i| format!("tool_number_{i}")).collect();
    check(
        Syntax::Jsonc,
        "{\n  \"a\": { \"command\": \"npx\", \"args\": [\"-y\"], \"env\": {} }\n}\n",
        insert("a", Some("args"), "tools", json!(tools)),
        &format!(
            "{{\n  \"a\": {{ \"command\": \"npx\", \"args\": [\"-y\"], \"tools\": {}, \"env\": {{}} }}\n}}\n",
            serde_json::to_string(&tools)
                .expect("strings serialize")
                .replace(",", ", ")
        ),
    );
}

#[test]
fn toml_long_array_goes_one_item_per_line_in_the_table_style() {
    let tools: Vec<String> = (0..8).map(|i| format!("tool_number_{i}")).collect();
    let mut want = String::from("[mcp_servers.a]\ncommand = \"npx\"\nargs = [\"-y\"]\nenabled_tools = [\n");
    for tool in &tools {
        want.push_str(&format!("  \"{tool}\",\n"));
    }
    want.push_str("]\nenabled = true\n");
    check(
        Syntax::Toml,
        "[mcp_servers.a]\ncommand = \"npx\"\nargs = [\"-y\"]\nenabled = true\n",
        insert("mcp_servers.a", Some("args"), "enabled_tools", json!(tools)),
        &want,
    );
}

#[test]
fn yaml_long_list_goes_block_style() {
    let tools: Vec<String> = (0..8).map(|i| format!("tool_number_{i}")).collect();
    let mut want = String::from("s:\n  url: https://x\n  allowed_tools:\n");
    for tool in &tools {
        want.push_str(&format!("    - {tool}\n"));
    }
    want.push_str("  transport: http\n");
    check(
        Syntax::Yaml,
        "s:\n  url: https://x\n  transport: http\n",
        insert("s", Some("url"), "allowed_tools", json!(tools)),
        &want,
    );
}

#[test]
fn removing_the_only_inline_element_leaves_empty_braces() {
    check(
        Syntax::Toml,
        "[s]\nh = { \"Authorization\" = \"Bearer x\" }\n",
        Edit::Remove {
            route: route("s.h.Authorization"),
        },
        "[s]\nh = {}\n",
    );
    check(
        Syntax::Yaml,
        "s: {tools: [ '*' ]}\n",
        Edit::Remove {
            route: route("s.tools.0"),
        },
        "s: {tools: []}\n",
    );
}

/// Every edit is checked against the data it should produce; this is that expectation.
#[test]
fn expected_data_is_the_edit_applied_to_the_data() {
    let data = json!({"s": {"args": ["-y", "pkg"], "env": {"A": "1", "B": "2"}}});
    let cases = [
        (
            Edit::ReplaceInString {
                route: route("s.args.1"),
                find: "pkg".into(),
                replace: "pkg@1.2.3".into(),
            },
            json!({"s": {"args": ["-y", "pkg@1.2.3"], "env": {"A": "1", "B": "2"}}}),
        ),
        (
            insert("s", Some("args"), "tools", json!([])),
            json!({"s": {"args": ["-y", "pkg"], "env": {"A": "1", "B": "2"}, "tools": []}}),
        ),
        (
            Edit::Remove {
                route: route("s.env.A"),
            },
            json!({"s": {"args": ["-y", "pkg"], "env": {"B": "2"}}}),
        ),
        (
            Edit::Remove {
                route: route("s.args.0"),
            },
            json!({"s": {"args": ["pkg"], "env": {"A": "1", "B": "2"}}}),
        ),
        (
            Edit::Append {
                list: route("s.args"),
                value: json!("--stdio"),
            },
            json!({"s": {"args": ["-y", "pkg", "--stdio"], "env": {"A": "1", "B": "2"}}}),
        ),
    ];
    for (edit, want) in cases {
        assert_eq!(expected_data(data.clone(), &edit), Some(want), "{edit:?}");
    }
    assert_eq!(expected_data(data, &Edit::Remove { route: route("s.nope") }), None);
}

#[test]
fn remove_takes_a_block_sequence_item_with_its_dash() {
    check(
        Syntax::Yaml,
        "c:\n  - --a\n  - --b=false # off\n  - --c\n",
        Edit::Remove { route: route("c.1") },
        "c:\n  - --a\n  # off\n  - --c\n",
    );
    check(
        Syntax::Yaml,
        "c:\n- --a\n- --b",
        Edit::Remove { route: route("c.1") },
        "c:\n- --a",
    );
}

#[test]
fn a_batch_removes_items_of_one_list_by_their_original_indices() {
    let text = "c:\n  - --a\n  - --b=false\n  - --c\n  - --d\nx: [1, 2]\n";
    let root = dialect::parse(Syntax::Yaml, text).expect("yaml");
    let remove = |path: &str| {
        Fix::new(
            "drop",
            crate::fix::Applicability::Unsafe,
            vec![Edit::Remove { route: route(path) }],
        )
    };
    let (second, third, fourth) = (remove("c.1"), remove("c.2"), remove("c.3"));
    let replace = Fix::new(
        "x",
        crate::fix::Applicability::Safe,
        vec![Edit::Replace {
            route: route("x.1"),
            value: json!(3),
        }],
    );
    let batch =
        apply_batch(text, Syntax::Yaml, &root, &[&second, &fourth, &third, &replace]).expect("the batch re-parses");
    assert_eq!(batch.applied, vec![true; 4]);
    assert_eq!(batch.text, "c:\n  - --a\nx: [1, 3]\n");
    assert!(reads_through(&replace, &[route("x")]));
    assert!(!reads_through(&replace, &[route("c")]));
    assert_eq!(shortened_list(&second.edits[0]), Some(route("c")));
}
