//! `--format sarif` against the official SARIF 2.1.0 schema, and `--format github` annotations.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::{bare, fixtures, mcp_lint, root, run};

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

const UNPINNED: &str = r#"{"mcpServers": {"time": {"command": "uvx", "args": ["mcp-server-time"]}}}"#;
const BROKEN: &str = "{\n  \"mcpServers\": {\n    \"x\": {\"command\": \"npx\",,}\n}\n";

/// The vendored OASIS schema (tests/schemas/README.md says where it came from), formats asserted.
fn sarif_validator() -> jsonschema::Validator {
    let text = fs::read_to_string(root().join("tests/schemas/sarif-schema-2.1.0.json")).expect("schema is vendored");
    let schema: Value = serde_json::from_str(&text).expect("schema parses");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

/// Parses `text` as SARIF and fails with every schema violation.
fn valid_sarif(validator: &jsonschema::Validator, text: &str) -> Value {
    let log: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("SARIF does not parse: {e}\n{text}"));
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF violates the schema:\n{}", errors.join("\n"));
    log
}

fn sarif_of(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut command = mcp_lint(dir);
    command.args(args).arg("--format").arg("sarif");
    let outcome = run(command);
    assert!(!outcome.stderr.contains("panicked"), "{}", outcome.stderr);
    (outcome.code, valid_sarif(&sarif_validator(), &outcome.stdout))
}

/// Every fixture directory at once: the log validates, and its results are the JSON format's
/// diagnostics at the same places.
#[test]
fn sarif_over_fixtures_validates_against_the_official_schema() {
    let validator = sarif_validator();
    // The validator is not vacuous: a log without `version` is rejected.
    let mut broken: Value = serde_json::json!({"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "runs": []});
    assert!(!validator.is_valid(&broken));
    broken["version"] = "2.1.0".into();
    assert!(validator.is_valid(&broken));

    let mut sarif = mcp_lint(&fixtures());
    sarif.arg(".").arg("--format").arg("sarif");
    let sarif = run(sarif);
    assert!(!sarif.stderr.contains("panicked"), "{}", sarif.stderr);
    let log = valid_sarif(&validator, &sarif.stdout);
    let mut json = mcp_lint(&fixtures());
    json.arg(".").arg("--format").arg("json");
    let json = run(json);
    assert_eq!(sarif.code, json.code, "both formats exit alike");
    let document: Value = serde_json::from_str(&json.stdout).expect("JSON output parses");

    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "mcp-lint");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    let diagnostics = document["diagnostics"].as_array().expect("diagnostics");
    assert!(results.len() > 50, "the fixtures hold many findings: {}", results.len());
    assert_eq!(results.len(), diagnostics.len());
    for (result, diagnostic) in results.iter().zip(diagnostics) {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert_eq!(result["ruleId"], diagnostic["rule"]);
        let level = match diagnostic["severity"].as_str() {
            Some("info") => "note",
            other => other.expect("severity"),
        };
        assert_eq!(result["level"], level);
        assert_eq!(result["message"]["text"], diagnostic["message"]);
        assert_eq!(result["properties"]["fixAvailable"], diagnostic["fix_available"]);
        assert_eq!(
            result["properties"].get("server").unwrap_or(&Value::Null),
            &diagnostic["server"]
        );
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(
            !uri.starts_with("./") && !uri.starts_with('/') && !uri.contains('\\'),
            "{uri}"
        );
        assert_eq!(uri, diagnostic["path"].as_str().expect("path").trim_start_matches("./"));
        let region = &location["region"];
        assert_eq!(region["startLine"], diagnostic["line"]);
        assert_eq!(region["startColumn"], diagnostic["column"]);
        assert_eq!(region["endLine"], diagnostic["end_line"]);
        assert_eq!(region["endColumn"], diagnostic["end_column"]);
    }
    // fixtures/errors holds files that fail to parse: one notification each, as in `errors`.
    let invocation = &run["invocations"][0];
    let notifications = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    let errors = document["errors"].as_array().expect("errors");
    assert!(!errors.is_empty());
    assert_eq!(notifications.len(), errors.len());
    assert_eq!(invocation["executionSuccessful"], false);
}

/// The driver describes every rule `mcp-lint rules` lists, with its documentation as help.
#[test]
fn sarif_driver_lists_every_rule_with_help() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), ".mcp.json", UNPINNED);
    let (_, log) = sarif_of(dir.path(), &["."]);
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    let listed = run({
        let mut c = bare(dir.path());
        c.arg("rules");
        c
    })
    .stdout;
    let listed: Vec<(&str, &str)> = listed
        .lines()
        .map(|line| {
            let mut words = line.split_whitespace();
            (words.next().expect("id"), words.next().expect("severity"))
        })
        .collect();
    assert_eq!(rules.len(), listed.len());
    for (id, severity) in listed {
        let rule = rules
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} is not in tool.driver.rules"));
        for field in ["name", "/shortDescription/text", "/fullDescription/text"] {
            let value = if field.starts_with('/') {
                rule.pointer(field)
            } else {
                rule.get(field)
            };
            assert!(
                value.and_then(Value::as_str).is_some_and(|t| !t.is_empty()),
                "{id}: {field}"
            );
        }
        let help = rule["help"]["text"].as_str().expect("help.text");
        assert!(
            help.contains("## What it does") && help.contains("## Fix"),
            "{id}: {help}"
        );
        assert_eq!(rule["help"]["markdown"], help);
        let level = if severity == "info" { "note" } else { severity };
        assert_eq!(rule["defaultConfiguration"]["level"], level, "{id}");
    }
    assert_eq!(rules[0]["name"], "UnpinnedPackage");
}

/// A file that does not parse is a tool execution notification at its place, and the run is not
/// successful; the other files are still reported.
#[test]
fn sarif_reports_broken_files_as_notifications() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a/.mcp.json", BROKEN);
    write(dir.path(), "b/.mcp.json", UNPINNED);
    let (code, log) = sarif_of(dir.path(), &["."]);
    assert_eq!(code, 2);
    let run = &log["runs"][0];
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notifications = invocation["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    assert_eq!(notifications.len(), 1, "{notifications:?}");
    let notification = &notifications[0];
    assert_eq!(notification["level"], "error");
    assert!(
        notification["message"]["text"].as_str().is_some_and(|t| !t.is_empty()),
        "{notification}"
    );
    let location = &notification["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "a/.mcp.json");
    assert_eq!(location["region"]["startLine"], 3);
    assert!(location["region"]["startColumn"].as_u64().is_some(), "{location}");
    let results = run["results"].as_array().expect("results");
    assert!(results.iter().any(|r| r["ruleId"] == "unpinned-package"), "{results:?}");

    // A path that does not exist: a notification with the path and no region.
    let (code, log) = sarif_of(dir.path(), &["missing/.mcp.json"]);
    assert_eq!(code, 2);
    let notification = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "missing/.mcp.json"
    );
    assert!(notification["locations"][0]["physicalLocation"].get("region").is_none());

    // A clean run: successful, no notifications.
    let (code, log) = sarif_of(dir.path(), &["b", "--select", "remote-without-auth"]);
    assert_eq!(code, 0);
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    assert!(invocation.get("toolExecutionNotifications").is_none());
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}

/// GitHub annotations for one fixture directory: one workflow command a line, nothing else.
#[test]
fn github_annotations_snapshot() {
    let mut command = mcp_lint(&fixtures());
    command
        .arg("insecure-transport")
        .arg("--select")
        .arg("insecure-transport")
        .arg("--format")
        .arg("github");
    let outcome = run(command);
    assert!(!outcome.stdout.is_empty());
    for line in outcome.stdout.lines() {
        assert!(
            line.starts_with("::error file=")
                || line.starts_with("::warning file=")
                || line.starts_with("::notice file="),
            "{line}"
        );
    }
    insta::assert_snapshot!("insecure-transport__github", outcome.transcript());
}

/// Broken and missing files are `::error` commands, at their place when they have one.
#[test]
fn github_reports_failures() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a/.mcp.json", BROKEN);
    let mut command = mcp_lint(dir.path());
    command.arg("a").arg("missing.json").arg("--format").arg("github");
    let outcome = run(command);
    assert_eq!(outcome.code, 2);
    let lines: Vec<&str> = outcome.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", outcome.stdout);
    assert!(
        lines.iter().any(|l| l.starts_with("::error file=missing.json::")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("::error file=a/.mcp.json,line=3,col=")),
        "{lines:?}"
    );
}
