//! The shared corpus of real configs: every file lints or fails cleanly; findings are snapshotted.

use std::fs;
use std::path::Path;

use crate::common::{corpus, corpus_dialect, mcp_lint, run};

/// Every corpus file exits 0, 1 or 2 without a panic; exit 2 comes with a located error.
#[test]
#[ignore = "needs ../shared beside the repository"]
fn corpus_lints_without_panics() {
    let corpus = corpus();
    let mut files = Vec::new();
    for dir in fs::read_dir(&corpus).expect("corpus readable").filter_map(Result::ok) {
        if !dir.path().is_dir() {
            continue;
        }
        for file in fs::read_dir(dir.path()).expect("dir readable").filter_map(Result::ok) {
            files.push(file.path());
        }
    }
    files.sort();
    assert!(files.len() >= 20, "the corpus should hold real configs");
    let mut summary = String::new();
    for file in &files {
        let relative = file.strip_prefix(&corpus).expect("inside corpus");
        let dir = relative
            .components()
            .next()
            .expect("dir")
            .as_os_str()
            .to_string_lossy()
            .into_owned();
        let mut command = mcp_lint(&corpus);
        command
            .arg("check")
            .arg("--format")
            .arg("json")
            .arg("--dialect")
            .arg(corpus_dialect(&dir))
            .arg(relative);
        let outcome = run(command);
        assert!(
            !outcome.stderr.contains("panicked"),
            "{}: {}",
            relative.display(),
            outcome.stderr
        );
        assert!(
            matches!(outcome.code, 0..=2),
            "{}: exit {}",
            relative.display(),
            outcome.code
        );
        let document: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("JSON output");
        if outcome.code == 2 {
            let errors = document["errors"].as_array().expect("errors");
            assert!(!errors.is_empty(), "{}: exit 2 without an error", relative.display());
        }
        summary.push_str(&describe(relative, &document));
    }
    insta::assert_snapshot!("corpus_findings", summary);
}

fn describe(path: &Path, document: &serde_json::Value) -> String {
    let mut text = format!("== {}\n", path.display());
    for error in document["errors"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            "  error {}:{}: {}\n",
            error["line"],
            error["column"],
            error["message"].as_str().unwrap_or_default()
        ));
    }
    for d in document["diagnostics"].as_array().into_iter().flatten() {
        text.push_str(&format!(
            "  {}:{} {} {} [{}] {}\n",
            d["line"],
            d["column"],
            d["severity"].as_str().unwrap_or_default(),
            d["rule"].as_str().unwrap_or_default(),
            d["server"].as_str().unwrap_or("-"),
            d["message"].as_str().unwrap_or_default()
        ));
    }
    text
}
