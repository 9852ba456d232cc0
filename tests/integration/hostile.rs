//! Hostile input: each defect found by fuzzing the release binary, as a regression test. No
//! panic, and nothing from a config reaches a terminal or a CI log as a control character.

use std::fs;

use crate::common::{mcp_lint, run};

/// Whether `text` holds a character a terminal or a log would act on (a line break and a tab
/// are layout).
fn has_raw_control(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            || c == '\r'
    })
}

/// The launcher parser sliced a string inside a multi-byte character (release: abort, exit 134).
#[test]
fn a_multi_byte_docker_option_is_no_panic() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join(".mcp.json"),
        r#"{"mcpServers": {"a": {"command": "docker", "args": ["run", "-😀"]}}}"#,
    )
    .expect("write");
    let mut command = mcp_lint(dir.path());
    command.arg(".mcp.json");
    let output = run(command);
    assert!(matches!(output.code, 0..=2), "exit {}: {}", output.code, output.stderr);
    assert!(!output.stderr.contains("panicked"), "{}", output.stderr);
}

/// ESC, BEL and bidi controls in a server name and a package name (raw in YAML, escaped in JSON)
/// are shown escaped in the human and GitHub outputs and on stderr.
#[test]
fn control_characters_are_shown_not_obeyed() {
    let cases = [
        (
            "config.yaml",
            "mcp_servers:\n  a\u{1b}[31mred\u{202e}:\n    command: npx\n    args: [\"-y\", \"@evil/pk\u{7}g\"]\n"
                .to_owned(),
        ),
        (
            ".mcp.json",
            r#"{"mcpServers": {"a\u001b[31mred\u202e": {"command": "npx", "args": ["-y", "@evil/pk\u0007g"]}}}"#
                .to_owned(),
        ),
    ];
    for (name, text) in cases {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join(name), &text).expect("write");
        for format in ["human", "github"] {
            let mut command = mcp_lint(dir.path());
            command.args(["--format", format, name]);
            if name == "config.yaml" {
                command.args(["--dialect", "litellm"]);
            }
            let output = run(command);
            assert_eq!(output.code, 1, "{name} {format}: {}", output.stderr);
            assert!(
                !has_raw_control(&output.stdout) && !has_raw_control(&output.stderr),
                "{name} {format}: a raw control character was printed:\n{:?}",
                output.stdout
            );
            assert!(
                output.stdout.contains("\\u{7}"),
                "{name} {format}: shown escaped:\n{}",
                output.stdout
            );
        }
    }
}

/// A FIFO named on the command line was opened and blocked forever; a symlink to /dev/zero was
/// read until memory ran out. Both are refused from their metadata, at once.
#[cfg(unix)]
#[test]
fn only_regular_files_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("fifo.mcp.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.mcp.json")).expect("symlink");
    for name in ["fifo.mcp.json", "zero.mcp.json"] {
        let started = std::time::Instant::now();
        let mut command = mcp_lint(dir.path());
        command.arg(name).timeout(std::time::Duration::from_secs(20));
        let output = run(command);
        assert_eq!(output.code, 2, "{name}: {}", output.stderr);
        assert!(
            output.stderr.contains(&format!("{name}: not a regular file")),
            "{}",
            output.stderr
        );
        assert!(started.elapsed().as_secs() < 10, "{name}: took {:?}", started.elapsed());
    }
}

/// Files over the size limit are refused by name and limit; a smaller limit is a flag.
#[test]
fn the_file_size_is_capped() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = format!("{{ \"mcpServers\": {{}}, \"pad\": \"{}\" }}", "x".repeat(20_000));
    fs::write(dir.path().join(".mcp.json"), &big).expect("write");
    let mut command = mcp_lint(dir.path());
    command.args(["--max-file-size", "10KiB", ".mcp.json"]);
    let output = run(command);
    assert_eq!(output.code, 2, "{}", output.stderr);
    let expected = format!(
        ".mcp.json: the file is {} bytes, over the limit of 10240 bytes (--max-file-size)",
        big.len()
    );
    assert!(output.stderr.contains(&expected), "{}", output.stderr);
    let mut command = mcp_lint(dir.path());
    command.arg(".mcp.json");
    assert_ne!(run(command).code, 2, "the default limit is 8 MiB");
}

/// Invalid UTF-8 is reported at its line and column, with its byte offset.
#[test]
fn invalid_utf8_is_located() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join(".mcp.json"),
        b"{\n  \"mcpServers\": { \"a\xff\": {} }\n}\n",
    )
    .expect("write");
    let mut command = mcp_lint(dir.path());
    command.arg(".mcp.json");
    let output = run(command);
    assert_eq!(output.code, 2, "{}", output.stderr);
    assert!(
        output
            .stderr
            .contains(".mcp.json:2:21: the file is not UTF-8 text (invalid byte at offset 22)"),
        "{}",
        output.stderr
    );
}

/// A raw tab inside a string of strict JSON was accepted silently; the client's `JSON.parse`
/// refuses the file, so it is an `invalid-config` error at the character.
#[test]
fn a_raw_control_character_in_strict_json_is_invalid() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(
        dir.path().join(".mcp.json"),
        "{ \"mcpServers\": { \"a\": { \"command\": \"npx\", \"args\": [\"-y\", \"@acme/a@1.0.0\", \"tab\there\"] } } }\n",
    )
    .expect("write");
    let mut command = mcp_lint(dir.path());
    command.args(["--format", "json", ".mcp.json"]);
    let output = run(command);
    let found = crate::common::reported(&output.stdout);
    assert!(
        found
            .iter()
            .any(|(rule, _, severity)| rule == "invalid-config" && severity == "error"),
        "{found:?}"
    );
}
