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
