//! Lint of arbitrary bytes under each dialect, through the in-process harness, and every
//! renderer over the result: no panic, the human and GitHub outputs never carry a raw control
//! character (terminal and CI-log injection), and no output carries a secret the run found.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_lint::harness;
use mcp_lint::output::{self, Format};
use mcp_lint::Settings;

/// A file name per dialect, chosen by the first byte, so detection by path is fuzzed too.
const NAMES: [&str; 12] = [
    "claude_desktop_config.json",
    ".mcp.json",
    ".cursor/mcp.json",
    ".vscode/mcp.json",
    ".copilot/mcp-config.json",
    "mcp_config.json",
    ".gemini/settings.json",
    "cline_mcp_settings.json",
    "mcp.json",
    ".codex/config.toml",
    "config.yaml",
    "values.yaml",
];

fn raw_control(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let name = NAMES[usize::from(selector) % NAMES.len()];
    let checked = harness::run(text, name, &Settings::defaults());
    let secrets: Vec<&String> = checked
        .outcome
        .results
        .reports
        .iter()
        .flat_map(|report| &report.secrets)
        // Written once, in the value it was found in: a copy elsewhere (a key named like it) is
        // not the finding's to mask.
        .filter(|secret| secret.len() >= 8 && text.matches(secret.as_str()).count() == 1)
        .collect();
    for format in [Format::Human, Format::Json, Format::Sarif, Format::Github] {
        let rendered = output::render(format, &checked.outcome.results, false);
        if matches!(format, Format::Human | Format::Github) {
            assert!(!raw_control(&rendered), "{format:?} printed a raw control character");
        }
        for secret in &secrets {
            // Only SARIF carries the reported rules' documentation, whose examples name real
            // images and packages: there a "secret" equal to such fixed text is not the input's
            // to leak. Every other format prints no documentation, so nothing is exempt.
            let in_docs = format == Format::Sarif
                && mcp_lint::rules::ALL.iter().any(|rule| {
                    rule.info().docs.contains(secret.as_str()) || rule.info().summary.contains(secret.as_str())
                });
            assert!(in_docs || !rendered.contains(secret.as_str()), "{format:?} printed a secret it found");
        }
    }
});
