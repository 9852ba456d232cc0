//! The fix engine's promises, checked on every fixture and every corpus file after
//! `--fix --unsafe-fixes --offline`: untouched lines stay, style stays, the result lints without
//! what was fixed, a second run changes nothing, broken files are never written.

use std::fs;
use std::path::Path;

use similar::{ChangeTag, DiffOp, TextDiff};

use crate::common::{corpus, corpus_dialect, files_under, fixtures, mcp_lint, run};

/// The diagnostics of `file` as (rule, server, message, fix_available).
fn diagnostics(dir: &Path, file: &Path, dialect: Option<&str>) -> (i32, Vec<serde_json::Value>) {
    let mut command = mcp_lint(dir);
    command.args(["check", "--format", "json"]);
    if let Some(dialect) = dialect {
        command.args(["--dialect", dialect]);
    }
    command.arg(file);
    let outcome = run(command);
    let document: serde_json::Value = serde_json::from_str(&outcome.stdout).expect("JSON output");
    let list = document["diagnostics"].as_array().cloned().unwrap_or_default();
    (outcome.code, list)
}

fn fix(dir: &Path, file: &Path, dialect: Option<&str>) -> crate::common::Run {
    let mut command = mcp_lint(dir);
    command.args(["--fix", "--unsafe-fixes"]);
    if let Some(dialect) = dialect {
        command.args(["--dialect", dialect]);
    }
    command.arg(file);
    run(command)
}

/// Comment text (from the marker to the end of the line) in each line of `text`: `//` and `/*`
/// in JSON files, `#` elsewhere, each at the start of a line or after whitespace.
fn comments(text: &str, json: bool) -> Vec<String> {
    let markers: &[&str] = if json { &["//", "/*"] } else { &["#"] };
    text.lines()
        .filter_map(|line| {
            let at = markers
                .iter()
                .flat_map(|m| line.match_indices(m).map(|(i, _)| i))
                .filter(|&i| i == 0 || line[..i].ends_with([' ', '\t']))
                .min()?;
            Some(line[at..].trim_end().to_owned())
        })
        .filter(|c| c.len() > 2)
        .collect()
}

/// The file's indentation step when it indents with spaces: the smallest indentation used.
fn indent_width(text: &str) -> Option<usize> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && l.starts_with(' '))
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
}

/// Checks one file; returns a description of what broke, if anything.
fn check_file(relative: &Path, original: &[u8], dialect: Option<&str>) -> Result<usize, String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(relative);
    fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    fs::write(&path, original).expect("write");
    let (before_code, before) = diagnostics(dir.path(), relative, dialect);
    let fixable = before.iter().filter(|d| d["fix_available"] == true).count();

    let first = fix(dir.path(), relative, dialect);
    let fixed = fs::read(&path).expect("read back");
    if before_code == 2 {
        // Invariant 6: a file that does not parse is never written.
        return if fixed == original && first.code == 2 {
            Ok(0)
        } else {
            Err(format!("a broken file was written or exit was {}", first.code))
        };
    }
    if first.stderr.contains("could not apply") {
        return Err(format!("a fix was refused:\n{}", first.stderr));
    }
    let original_text = String::from_utf8(original.to_vec()).expect("UTF-8 fixture");
    let fixed_text = String::from_utf8(fixed.clone()).map_err(|_| "the fix wrote invalid UTF-8".to_owned())?;

    // Invariant 7: every server is kept, under its name.
    let servers = |text: &str| -> Vec<String> {
        let mut settings = mcp_lint::Settings::defaults();
        settings.dialect =
            dialect.and_then(|d| <mcp_lint::dialect::Dialect as clap::ValueEnum>::from_str(d, true).ok());
        mcp_lint::harness::run(text, relative, &settings).server_names()
    };
    if servers(&original_text) != servers(&fixed_text) {
        return Err(format!(
            "the servers changed: {:?} -> {:?}",
            servers(&original_text),
            servers(&fixed_text)
        ));
    }

    // Invariant 2: BOM, CRLF, the final newline and the indentation character are kept.
    let bom = |t: &str| t.starts_with('\u{feff}');
    if bom(&original_text) != bom(&fixed_text) {
        return Err("the BOM changed".into());
    }
    if original_text.contains("\r\n") && fixed_text.replace("\r\n", "").contains('\n') {
        return Err("a bare LF was written into a CRLF file".into());
    }
    if original_text.ends_with('\n') != fixed_text.ends_with('\n') {
        return Err("the final newline changed".into());
    }
    let tab_indented = |t: &str| t.lines().any(|l| l.starts_with('\t'));
    let space_indented = |t: &str| t.lines().any(|l| l.starts_with("  "));
    if !tab_indented(&original_text) && tab_indented(&fixed_text)
        || !space_indented(&original_text) && space_indented(&fixed_text) && tab_indented(&original_text)
    {
        return Err("new lines use another indentation character".into());
    }

    // Invariant 1: untouched lines stay, in order; every comment survives.
    let diff = TextDiff::from_lines(&original_text, &fixed_text);
    // New lines are indented in steps of the file's own width.
    if let Some(width) = indent_width(&original_text) {
        for change in diff.iter_all_changes().filter(|c| c.tag() == ChangeTag::Insert) {
            let line = change.value();
            let spaces = line.len() - line.trim_start_matches(' ').len();
            if !line.trim().is_empty() && spaces % width != 0 {
                return Err(format!("a new line is not indented in steps of {width}: {line:?}"));
            }
        }
    }
    // A rewritten region is a run of removed lines: one value (a multi-line list that a fix
    // empties is one), with the line before it when a comma had to be added.
    let rewritten = diff
        .ops()
        .iter()
        .filter(|op| matches!(op, DiffOp::Delete { .. } | DiffOp::Replace { .. }))
        .count();
    let applied = first
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("Fixed "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    // Each fix rewrites at most one region.
    if rewritten > applied {
        return Err(format!(
            "{rewritten} regions of original lines changed for {applied} fixes"
        ));
    }
    let json = relative.extension().is_some_and(|e| e == "json" || e == "jsonc");
    for comment in comments(&original_text, json) {
        if !fixed_text.contains(&comment) {
            return Err(format!("comment lost: {comment}"));
        }
    }
    // Strict JSON stays strict: the file's owner (its path, or the corpus directory's client)
    // decides, whatever shape the content has.
    let strict = strict_json_kind(relative, dialect);
    if strict && serde_json::from_str::<serde_json::Value>(fixed_text.trim_start_matches('\u{feff}')).is_err() {
        let original_strict =
            serde_json::from_str::<serde_json::Value>(original_text.trim_start_matches('\u{feff}')).is_ok();
        if original_strict {
            return Err("the fixed strict-JSON file no longer parses as strict JSON".into());
        }
    }
    if strict {
        let new_comments = comments(&fixed_text, true).len() > comments(&original_text, true).len();
        if new_comments {
            return Err("a comment was written into a strict-JSON file".into());
        }
    }

    // Invariant 3: the result parses as the same dialect and lints without what was fixed.
    let (after_code, after) = diagnostics(dir.path(), relative, dialect);
    if after_code == 2 {
        return Err("the fixed file no longer lints".into());
    }
    // The client must still accept the file: no structure problem that was not there before.
    let invalid = |list: &[serde_json::Value]| -> Vec<String> {
        list.iter()
            .filter(|d| d["rule"] == "invalid-config")
            .map(|d| d["message"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let before_invalid = invalid(&before);
    let introduced: Vec<String> = invalid(&after)
        .into_iter()
        .filter(|m| !before_invalid.contains(m))
        .collect();
    if !introduced.is_empty() {
        return Err(format!("the fix made the config invalid: {introduced:#?}"));
    }
    let left: Vec<_> = after.iter().filter(|d| d["fix_available"] == true).collect();
    if !left.is_empty() {
        return Err(format!("fixable findings left after --fix: {left:#?}"));
    }

    // Invariant 4: a second run changes nothing.
    let second = fix(dir.path(), relative, dialect);
    if fs::read(&path).expect("read") != fixed || !second.stderr.contains("Fixed 0 problems") {
        return Err(format!("the second --fix changed the file:\n{}", second.stderr));
    }
    Ok(fixable)
}

/// Whether the program that reads `relative` parses it with a strict JSON parser: Claude Code,
/// Claude Desktop and Cline (`JSON.parse`), Roo and Kilo (`JSON.parse` in McpHub.ts), Amazon Q
/// (serde_json), Copilot CLI, a Gemini CLI extension's manifest (`JSON.parse` in
/// extension-manager.ts `loadExtensionConfig`), a Claude Code plugin manifest, and any `.json`
/// file no known client owns (nothing says its reader takes comments).
fn strict_json_kind(relative: &Path, dialect: Option<&str>) -> bool {
    let name = relative.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let parent = relative
        .parent()
        .and_then(Path::file_name)
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    matches!(
        dialect,
        Some("claude-code" | "claude-desktop" | "cline" | "roo" | "kilo" | "amazon-q" | "copilot" | "mcp-proxy")
    ) || name.ends_with(".mcp.json")
        || matches!(
            name,
            "claude_desktop_config.json"
                | "cline_mcp_settings.json"
                | "mcp_settings.json"
                | "gemini-extension.json"
                | "plugin.json"
                | "mcp-config.json"
        )
        || (name == "mcp.json" && matches!(parent, ".roo" | ".kilocode" | ".amazonq"))
        || (name.ends_with(".json")
            && dialect.is_none()
            && !matches!(parent, ".cursor" | ".vscode" | ".gemini" | ".zed" | "User")
            && !matches!(name, "settings.json" | "opencode.json" | "mcp_config.json"))
}

#[test]
fn fixes_keep_every_fixture_intact() {
    let root = fixtures();
    let mut failures = Vec::new();
    let mut fixed = 0;
    for file in files_under(&root) {
        let relative = file.strip_prefix(&root).expect("inside fixtures");
        let original = fs::read(&file).expect("fixture readable");
        match check_file(relative, &original, None) {
            Ok(n) => fixed += n,
            Err(why) => failures.push(format!("{}: {why}", relative.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(fixed > 0, "no fixture had anything to fix");
}

#[test]
#[ignore = "needs ../shared beside the repository"]
fn fixes_keep_every_corpus_file_intact() {
    let corpus = corpus();
    let mut failures = Vec::new();
    for file in files_under(&corpus) {
        let relative = file.strip_prefix(&corpus).expect("inside corpus");
        let Some(dir) = relative.components().next().and_then(|c| c.as_os_str().to_str()) else {
            continue;
        };
        if relative.components().count() < 2 {
            continue;
        }
        let original = fs::read(&file).expect("corpus readable");
        if let Err(why) = check_file(relative, &original, Some(corpus_dialect(dir))) {
            failures.push(format!("{}: {why}", relative.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Writes keep the file's mode, and --diff writes nothing.
#[test]
fn diff_writes_nothing_and_fix_keeps_the_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.yaml");
    let text = "mcp_servers:\n  docs:\n    url: http://docs.example.com/mcp # plain\n    auth_type: bearer_token\n    authentication_token: os.environ/DOCS_TOKEN\n";
    fs::write(&path, text).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
    }
    let mut command = mcp_lint(dir.path());
    command.args(["--diff", "--unsafe-fixes", "config.yaml"]);
    let diff = run(command);
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    assert!(diff.stdout.contains("--- a/config.yaml") && diff.stdout.contains("+++ b/config.yaml"));
    assert!(
        diff.stdout.contains("+    url: https://docs.example.com/mcp # plain"),
        "{}",
        diff.stdout
    );
    assert_eq!(fs::read_to_string(&path).expect("read"), text, "--diff wrote the file");

    let mut command = mcp_lint(dir.path());
    command.args(["--fix", "config.yaml"]);
    let safe_only = run(command);
    assert!(
        safe_only.stderr.contains("available with --unsafe-fixes"),
        "{}",
        safe_only.stderr
    );

    let mut command = mcp_lint(dir.path());
    command.args(["--fix", "--unsafe-fixes", "--show-fixes", "config.yaml"]);
    let fixed = run(command);
    assert!(
        fixed.stderr.contains("[insecure-transport] `docs` Use `https://`"),
        "{}",
        fixed.stderr
    );
    assert!(
        fs::read_to_string(&path)
            .expect("read")
            .contains("url: https://docs.example.com/mcp # plain")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let mut command = mcp_lint(dir.path());
    command.args(["--diff", "--unsafe-fixes", "config.yaml"]);
    assert_eq!(run(command).code, 0, "nothing left to change");
}

/// What `--diff --unsafe-fixes` proposes for the style fixtures (CRLF, BOM, tabs, four-space
/// indentation, flow YAML, single quotes, no final newline) and the bundled example, as reviewed.
#[test]
fn proposed_fixes_snapshots() {
    for dir in ["fix-styles", "examples"] {
        let mut command = mcp_lint(&fixtures());
        command.args(["--diff", "--unsafe-fixes", dir]);
        let diff = run(command);
        assert_eq!(diff.code, 1, "{dir}: {}", diff.stderr);
        for secret in [
            "Tq3vX8mZ1rK7pL2wN9cY4bF6hJ0dS5aE",
            "Zq4mV8rT2kLp9sXw",
            "xY7zQ2vK9mR4tL8wP3nB",
        ] {
            assert!(!diff.stdout.contains(secret), "{dir}: the diff prints a secret in full");
        }
        // Carriage returns are made visible, so that a lost CRLF shows up in review.
        insta::assert_snapshot!(format!("{dir}__diff"), diff.transcript().replace('\r', "\u{240d}"));
    }
}

/// A read-only file is refused with a clear error and exit 2, stays byte-identical, and the
/// summary does not claim it was fixed.
#[cfg(unix)]
#[test]
fn a_read_only_file_is_refused_and_not_called_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(".mcp.json");
    let text = "{ \"mcpServers\": { \"docs\": { \"type\": \"http\", \"url\": \"http://docs.example.com/mcp\" } } }\n";
    fs::write(&path, text).expect("write");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o444)).expect("chmod");
    let mut command = mcp_lint(dir.path());
    command.args(["--fix", "--unsafe-fixes", ".mcp.json"]);
    let output = run(command);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert!(
        output.stderr.contains(".mcp.json: the file is read-only"),
        "{}",
        output.stderr
    );
    assert!(!output.stderr.contains("Fixed 1"), "{}", output.stderr);
    assert_eq!(fs::read_to_string(&path).expect("read"), text);
}

/// agentgateway denies unknown fields: every agentgateway fixture, as written and after
/// `--fix --unsafe-fixes --offline` (the `mcpAuthorization` allow rule that matches no tool
/// until filled in, `mode: strict` on authentication that lets anonymous callers through), is
/// valid against agentgateway's own config schema (vendored, tests/schemas/agentgateway), and
/// the fixed files report neither gap again.
#[test]
fn agentgateway_fixes_stay_valid_for_agentgateway() {
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(crate::common::root().join("tests/schemas/agentgateway/config.schema.json"))
            .expect("schema is vendored"),
    )
    .expect("schema parses");
    let validator = jsonschema::draft202012::new(&schema).expect("schema compiles");
    let work = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for file in files_under(&fixtures().join("agentgateway")) {
        let relative = file.strip_prefix(fixtures()).expect("under fixtures");
        let copy = work.path().join(relative);
        fs::create_dir_all(copy.parent().expect("parent")).expect("mkdir");
        fs::copy(&file, &copy).expect("copy");
        files.push(copy);
    }
    let valid = |path: &Path| {
        let text = fs::read_to_string(path).expect("read");
        let document = mcp_lint::dialect::yaml::parse(&text).expect("YAML").to_json();
        let errors: Vec<String> = validator
            .iter_errors(&document)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    };
    for file in &files {
        valid(file);
    }
    let mut command = mcp_lint(work.path());
    command.args(["--fix", "--unsafe-fixes", "agentgateway"]);
    let outcome = run(command);
    assert!(!outcome.stderr.contains("panicked"), "{}", outcome.stderr);
    let mut filled = 0;
    for file in &files {
        valid(file);
        let text = fs::read_to_string(file).expect("read");
        filled += text.matches("mcp-lint-fill-in-the-tools-this-server-may-call").count();
        let (_, after) = diagnostics(work.path(), file, None);
        let left: Vec<&serde_json::Value> = after
            .iter()
            .filter(|d| d["rule"] == "missing-tool-allowlist" || d["label"] == "fails open")
            .collect();
        assert!(left.is_empty(), "{}: {left:#?}\n{text}", file.display());
    }
    assert!(filled >= 4, "the fixes wrote the fill-in rules: {filled}");
}
