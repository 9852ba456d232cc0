//! Editor on-save mode (`-` with `--stdin-filename`) and shell completions.

use std::io::Write;
use std::process::Stdio;

use crate::common::bare;

fn with_stdin(dir: &std::path::Path, args: &[&str], input: &str) -> (i32, String, String) {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("mcp-lint"));
    command
        .current_dir(dir)
        .args(["--offline", "--color", "never"])
        .args(args)
        .env("MCP_LINT_CACHE_DIR", dir.join("cache"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("runs");
    // A run that refuses its arguments exits without reading stdin: a broken pipe is its answer.
    match child.stdin.take().expect("stdin").write_all(input.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        written => written.expect("write stdin"),
    }
    let output = child.wait_with_output().expect("exits");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const BUFFER: &str = "{\r\n  // on save\r\n  \"mcpServers\": {\r\n    \"docs\": { \"url\": \"http://docs.example.com/mcp\", \"headers\": { \"Authorization\": \"Bearer ${env:DOCS_TOKEN}\" } }\r\n  }\r\n}";

#[test]
fn stdin_fix_prints_the_fixed_buffer_and_touches_no_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, stdout, stderr) = with_stdin(
        dir.path(),
        &["--stdin-filename", ".cursor/mcp.json", "--fix", "--unsafe-fixes", "-"],
        BUFFER,
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        BUFFER.replace("http://docs", "https://docs"),
        "the fixed buffer, CRLF and all"
    );
    assert!(stderr.contains("Fixed 1 problem"), "{stderr}");
    let entries: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert!(
        entries.iter().all(|e| e == "cache"),
        "the disk was touched: {entries:?}"
    );

    // Without --fix: the diagnostics, on stdout, named after the editor's path.
    let (code, stdout, _) = with_stdin(dir.path(), &["--stdin-filename", ".cursor/mcp.json", "-"], BUFFER);
    assert_eq!(code, 1);
    assert!(stdout.contains(".cursor/mcp.json:4:"), "{stdout}");
    assert!(stdout.contains("insecure-transport"), "{stdout}");

    // A buffer that does not parse: located error, exit 2, nothing on stdout.
    let (code, stdout, stderr) = with_stdin(
        dir.path(),
        &["--stdin-filename", ".cursor/mcp.json", "--fix", "-"],
        "{ \"mcpServers\": { ",
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.starts_with(".cursor/mcp.json:1:"), "{stderr}");

    let (code, _, stderr) = with_stdin(dir.path(), &["-"], BUFFER);
    assert_eq!(code, 2);
    assert!(stderr.contains("--stdin-filename"), "{stderr}");
}

/// Servers read inside a YAML buffer (JSON in a block scalar) are reported but never rewritten:
/// `--fix` gives the buffer back byte for byte. The resources of a manifest stream are the
/// stream's own: every one is reported, not only the first, and fixed in place.
#[test]
fn stdin_fix_of_configs_inside_yaml_gives_the_buffer_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = crate::common::root();
    {
        let fixture = "fixtures/gateways/json-in-yaml/values.yaml";
        let buffer = std::fs::read_to_string(root.join(fixture)).expect("fixture");
        let (code, stdout, stderr) = with_stdin(
            dir.path(),
            &["--stdin-filename", "values.yaml", "--fix", "--unsafe-fixes", "-"],
            &buffer,
        );
        assert_eq!(code, 1, "{fixture}: the findings remain\n{stderr}");
        assert_eq!(stdout, buffer, "{fixture}: the buffer comes back unchanged");
        let (code, stdout, stderr) =
            with_stdin(dir.path(), &["--stdin-filename", "values.yaml", "--diff", "-"], &buffer);
        assert_eq!((code, stdout.as_str()), (0, ""), "{fixture}: nothing to diff\n{stderr}");
    }
    let stream = std::fs::read_to_string(root.join("fixtures/gateways/kubernetes/fetch-stack.yaml")).expect("fixture");
    let (_, stdout, _) = with_stdin(dir.path(), &["--stdin-filename", "stack.yaml", "-"], &stream);
    assert!(
        stdout.contains("stack.yaml:15:10") && stdout.contains("stack.yaml:25:8"),
        "{stdout}"
    );
    assert!(stdout.contains("in 1 MCP config file"), "{stdout}");
    let (code, stdout, stderr) = with_stdin(
        dir.path(),
        &["--stdin-filename", "stack.yaml", "--fix", "--unsafe-fixes", "-"],
        &stream,
    );
    assert_eq!(code, 1, "the unpinned image stays (the test runs offline)\n{stderr}");
    assert_eq!(
        stdout,
        stream.replace(
            "url: http://search.example.com/mcp",
            "url: https://search.example.com/mcp"
        ),
        "the second resource is fixed in place, every other byte kept"
    );
}

#[test]
fn completions_for_each_shell() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (shell, marker) in [
        ("bash", "_mcp__lint()"),
        ("zsh", "#compdef mcp-lint"),
        ("fish", "complete -c mcp-lint"),
    ] {
        let output = bare(dir.path()).args(["completions", shell]).output().expect("runs");
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8_lossy(&output.stdout);
        assert!(script.contains(marker), "{shell}: {script:.200}");
        assert!(script.contains("unsafe-fixes"), "{shell}: options are completed");
    }
}

/// The VS Code extension as users install it: the `.vsix` that `.ci/run` packages with `vsce`
/// from `editors/vscode` (`MCP_LINT_VSIX`) holds the extension, its manifest and the language
/// client it starts `mcp-lint server` with, and nothing of the developer's.
#[test]
#[ignore = "needs MCP_LINT_VSIX (the packaged VS Code extension)"]
fn the_vscode_extension_package_holds_the_client() {
    let vsix = crate::common::required_env("MCP_LINT_VSIX", "the packaged VS Code extension");
    let listing = std::process::Command::new("python3")
        .args(["-m", "zipfile", "-l", &vsix])
        .output()
        .expect("python3 lists the package");
    assert!(listing.status.success(), "{}", String::from_utf8_lossy(&listing.stderr));
    let listing = String::from_utf8(listing.stdout).expect("UTF-8");
    for entry in [
        "extension/package.json",
        "extension/extension.js",
        "extension/node_modules/vscode-languageclient/lib/node/main.js",
        "extension/node_modules/vscode-jsonrpc/lib/node/main.js",
    ] {
        assert!(listing.contains(entry), "{entry} missing from the package:\n{listing}");
    }
    assert!(
        !listing.contains(".vsix ") && !listing.contains(".gitignore"),
        "a developer's file in the package:\n{listing}"
    );
    // The extension's code starts the server with `server` and sends the server's settings.
    let code =
        std::fs::read_to_string(crate::common::root().join("editors/vscode/extension.js")).expect("extension.js");
    assert!(
        code.contains("args: ['server']") && code.contains("initializationOptions"),
        "{code}"
    );
}
