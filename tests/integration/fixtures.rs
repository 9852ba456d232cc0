//! Snapshots of the real binary's human and JSON output over every fixture directory.

use std::fs;

use crate::common::{bare, fixtures, mcp_lint, run};

/// Every fixture directory: human output (rule-named directories run only that rule) and JSON.
#[test]
fn fixture_snapshots() {
    let mut dirs: Vec<String> = fs::read_dir(fixtures())
        .expect("fixtures/ exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 2, "fixtures/ should hold rule directories");
    let rules = String::from_utf8(bare(&fixtures()).arg("rules").output().expect("runs").stdout).expect("utf-8");
    for dir in dirs {
        let is_rule = rules.lines().any(|l| l.split_whitespace().next() == Some(dir.as_str()));
        let mut human = mcp_lint(&fixtures());
        human.arg(&dir);
        if is_rule {
            human.arg("--select").arg(&dir);
        }
        let human = run(human);
        assert!(!human.stderr.contains("panicked"), "{dir}: {}", human.stderr);
        insta::assert_snapshot!(format!("{dir}__human"), human.transcript());

        let mut json = mcp_lint(&fixtures());
        json.arg(&dir).arg("--format").arg("json");
        if is_rule {
            json.arg("--select").arg(&dir);
        }
        let json = run(json);
        let document: serde_json::Value = serde_json::from_str(&json.stdout)
            .unwrap_or_else(|e| panic!("{dir}: JSON output does not parse: {e}\n{}", json.stdout));
        assert_eq!(document["version"], 1);
        insta::assert_snapshot!(format!("{dir}__json"), json.transcript());
    }
}
