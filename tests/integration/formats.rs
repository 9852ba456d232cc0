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

/// A copy of the fixture tree, so that `--fix` may write.
fn fixture_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for file in crate::common::files_under(&fixtures()) {
        let relative = file.strip_prefix(fixtures()).expect("under fixtures");
        let target = dir.path().join(relative);
        fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        fs::copy(&file, &target).expect("copy");
    }
    dir
}

/// `text` (a BOM kept in front, never counted) with `replacements` (fix, character offset,
/// length, new text) applied; None when the fixes interact (two of them overlap or insert at the
/// same place), since their order would decide and `--fix` settles that over rounds.
fn apply_replacements(text: &str, mut replacements: Vec<(usize, usize, usize, String)>) -> Option<String> {
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    replacements.sort_by_key(|r| (r.1, r.2));
    let chars: Vec<char> = body.chars().collect();
    let mut out = String::from(bom);
    let mut at = 0;
    let mut previous: Option<(usize, usize)> = None;
    for (fix, offset, length, new_text) in replacements {
        let same_place_other_fix = previous.is_some_and(|(p_fix, p_offset)| p_offset == offset && p_fix != fix);
        if offset < at || same_place_other_fix {
            return None;
        }
        out.extend(&chars[at..offset]);
        out.push_str(&new_text);
        at = offset + length;
        previous = Some((fix, offset));
    }
    out.extend(&chars[at..]);
    Some(out)
}

/// SARIF `fixes` are exact: over every fixture file, applying each result's replacements to the
/// file as read gives the bytes `--fix --unsafe-fixes` writes, wherever one fixing round does it
/// all (a fix planned on another's result cannot be a replacement of the file as read). The JSON
/// format's `fix` edits are the same edits at the same lines and columns.
#[test]
fn sarif_fixes_give_the_bytes_of_fix() {
    let read = fixture_copy();
    let (_, log) = sarif_of(read.path(), &["."]);
    let mut json = mcp_lint(read.path());
    json.arg(".").arg("--format").arg("json");
    let json: Value = serde_json::from_str(&run(json).stdout).expect("JSON output parses");
    let json_edits: Vec<&Value> = json["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d.get("fix"))
        .flat_map(|fix| fix["edits"].as_array().expect("edits"))
        .collect();

    let mut by_file: std::collections::BTreeMap<String, Vec<(usize, usize, usize, String)>> = Default::default();
    let mut sarif_edits = 0;
    let results = log["runs"][0]["results"].as_array().expect("results");
    let fixes = results
        .iter()
        .flat_map(|result| result.get("fixes").and_then(Value::as_array).into_iter().flatten());
    for (fix_id, fix) in fixes.enumerate() {
        {
            assert!(
                fix["description"]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{fix}"
            );
            for change in fix["artifactChanges"].as_array().expect("artifactChanges") {
                let uri = change["artifactLocation"]["uri"].as_str().expect("uri").to_owned();
                for replacement in change["replacements"].as_array().expect("replacements") {
                    let region = &replacement["deletedRegion"];
                    let json_edit = json_edits[sarif_edits];
                    for (sarif_key, json_key) in [
                        ("startLine", "line"),
                        ("startColumn", "column"),
                        ("endLine", "end_line"),
                        ("endColumn", "end_column"),
                    ] {
                        assert_eq!(region[sarif_key], json_edit[json_key], "{region} vs {json_edit}");
                    }
                    assert_eq!(replacement["insertedContent"]["text"], json_edit["new_text"]);
                    sarif_edits += 1;
                    by_file.entry(uri.clone()).or_default().push((
                        fix_id,
                        region["charOffset"].as_u64().expect("charOffset") as usize,
                        region["charLength"].as_u64().expect("charLength") as usize,
                        replacement["insertedContent"]["text"]
                            .as_str()
                            .expect("text")
                            .to_owned(),
                    ));
                }
            }
        }
    }
    assert_eq!(sarif_edits, json_edits.len(), "the same edits in both formats");

    let fixed = fixture_copy();
    let mut fix = mcp_lint(fixed.path());
    fix.arg(".").arg("--fix").arg("--unsafe-fixes");
    run(fix);
    let (mut same, mut interacting, mut differing) = (0, Vec::new(), Vec::new());
    for (uri, replacements) in by_file {
        let original = fs::read_to_string(read.path().join(&uri)).expect("the file SARIF names");
        let written = fs::read_to_string(fixed.path().join(&uri)).expect("the fixed file");
        match apply_replacements(&original, replacements) {
            Some(applied) if applied == written => same += 1,
            Some(_) => differing.push(uri),
            None => interacting.push(uri),
        }
    }
    // Most files' fixes touch different places; in the rest (two allowlist keys after one flow
    // mapping's last entry, two fixes adding one `general_settings`, two VS Code `inputs`) the
    // order of the fixes decides and `--fix` settles it over rounds.
    assert!(same >= 40, "{same} alike, interacting: {interacting:?}");
    assert!(differing.is_empty(), "SARIF fixes differ from --fix in {differing:?}");
}

/// The human output of a file of many findings is rendered over several threads and joined in
/// order: the text is the same as one thread's, byte for byte.
#[test]
fn human_output_is_the_same_on_any_number_of_threads() {
    let mut servers = serde_json::Map::new();
    for i in 0..700 {
        servers.insert(
            format!("tool-{i:04}"),
            serde_json::json!({ "command": "npx", "args": ["-y", format!("@acme-gen/mcp-tool-{i}")] }),
        );
    }
    let text = serde_json::to_string_pretty(&serde_json::json!({ "mcpServers": servers })).expect("JSON");
    let mut settings = mcp_lint::Settings::defaults();
    settings.environment = mcp_lint::Environment::from_vars([]);
    let harnessed = mcp_lint::harness::run(&text, ".mcp.json", &settings);
    let results = &harnessed.outcome.results;
    let findings: usize = results.reports.iter().map(|r| r.findings.len()).sum();
    assert!(findings >= 700, "{findings} findings");
    let one = mcp_lint::output::human::render_on(results, false, 1);
    for threads in [2, 3, 8] {
        assert!(
            one == mcp_lint::output::human::render_on(results, false, threads),
            "{threads} threads"
        );
    }
    assert_eq!(
        mcp_lint::output::human::render_on(results, true, 1),
        mcp_lint::output::human::render_on(results, true, 2)
    );
}
