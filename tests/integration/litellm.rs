//! Proof against the real gateway: configs that `--fix --unsafe-fixes` wrote still load in
//! LiteLLM's own config code, and LiteLLM's own allowlist check denies every tool they do not list.
//!
//! Needs a Python with `litellm[proxy]` named by `MCP_LINT_LITELLM_PYTHON` (`.ci/run` installs
//! one): the test is ignored unless asked for, and fails where it is asked for without one.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{corpus, fixtures, mcp_lint, required_env, root, run};

/// LiteLLM config and Helm values files among the fixtures and the corpus, with their dialect.
fn gateway_files() -> Vec<(PathBuf, PathBuf, bool)> {
    let mut files = Vec::new();
    let mut visit = |base: &Path, dir: &Path| {
        let mut stack = vec![dir.to_owned()];
        while let Some(dir) = stack.pop() {
            for entry in fs::read_dir(&dir).into_iter().flatten().filter_map(Result::ok) {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                    let relative = path.strip_prefix(base).expect("inside").to_owned();
                    let text = relative.to_string_lossy().to_string();
                    let helm = text.contains("helm") || text.ends_with("values.yaml");
                    files.push((base.to_owned(), relative, helm));
                }
            }
        }
    };
    visit(&fixtures(), &fixtures());
    let corpus = corpus();
    visit(&corpus, &corpus.join("litellm"));
    visit(&corpus, &corpus.join("helm"));
    files.sort();
    files
}

/// Runs the proof over `files` in one Python process (importing LiteLLM takes seconds).
fn prove(python: &str, files: &[(PathBuf, bool)]) -> Vec<serde_json::Value> {
    let mut command = Command::new(python);
    command
        .arg(root().join("tests/litellm/prove_allowlists.py"))
        .env("LITELLM_LOCAL_MODEL_COST_MAP", "True");
    for (file, helm) in files {
        let prefix = if *helm { "helm:" } else { "" };
        command.arg(format!("{prefix}{}", file.display()));
    }
    let output = command.output().expect("python runs");
    let results: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    assert_eq!(
        results.len(),
        files.len(),
        "prove_allowlists.py answered for {} of {} files:\n{}",
        results.len(),
        files.len(),
        String::from_utf8_lossy(&output.stderr)
    );
    results
}

#[test]
#[ignore = "needs MCP_LINT_LITELLM_PYTHON (a Python with litellm[proxy]) and ../shared"]
fn fixed_gateway_configs_deny_unlisted_tools_in_litellm() {
    let python = required_env("MCP_LINT_LITELLM_PYTHON", "a Python with litellm[proxy]");
    let work = tempfile::tempdir().expect("tempdir");
    let mut copies = Vec::new();
    for (n, (base, relative, helm)) in gateway_files().into_iter().enumerate() {
        let dir = work.path().join(n.to_string());
        let path = dir.join(&relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::copy(base.join(&relative), &path).expect("copy");
        copies.push((dir, relative, helm));
    }
    let originals: Vec<(PathBuf, bool)> = copies.iter().map(|(d, r, h)| (d.join(r), *h)).collect();
    let before = prove(&python, &originals);

    let mut fixed = Vec::new();
    for ((dir, relative, helm), before) in copies.iter().zip(before) {
        let mut command = mcp_lint(dir);
        let dialect = if *helm { "helm" } else { "litellm" };
        command
            .args(["--fix", "--unsafe-fixes", "--dialect", dialect])
            .arg(relative);
        // Exit 2: not a gateway config, or one mcp-lint cannot read; nothing was written.
        if run(command).code != 2 {
            fixed.push((relative.clone(), dir.join(relative), *helm, before));
        }
    }
    let targets: Vec<(PathBuf, bool)> = fixed.iter().map(|(_, p, h, _)| (p.clone(), *h)).collect();
    let after = prove(&python, &targets);

    // The proof must be able to fail: unfixed files with an empty or missing allowlist do.
    let open_before = fixed
        .iter()
        .filter(|(_, _, _, before)| before["violations"].as_array().is_some_and(|v| !v.is_empty()))
        .count();
    assert!(
        open_before > 0,
        "no unfixed file let an unlisted tool through: the proof proves nothing"
    );

    let mut failures = Vec::new();
    let mut proven = 0;
    for ((name, _, _, before), after) in fixed.iter().zip(after) {
        let name = name.display();
        if before["error"].is_null() && !after["error"].is_null() {
            failures.push(format!(
                "{name}: LiteLLM loaded it before the fix, not after: {}",
                after["error"]
            ));
        }
        if after["loaded"].as_u64() < before["loaded"].as_u64() {
            failures.push(format!("{name}: LiteLLM loads fewer servers after the fix"));
        }
        if let Some(violations) = after["violations"].as_array().filter(|v| !v.is_empty()) {
            failures.push(format!("{name}: {violations:?}"));
        }
        if after["error"].is_null() && after["loaded"].as_u64() > Some(0) {
            proven += 1;
        }
    }
    eprintln!("{proven} fixed gateway configs proven in LiteLLM ({open_before} let unlisted tools through before)");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(proven >= 5, "only {proven} fixed configs were proven in LiteLLM");
}
