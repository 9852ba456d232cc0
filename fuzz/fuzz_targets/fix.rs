//! The fix invariants on arbitrary input: the fixed text parses in the file's own syntax, keeps
//! every server under its name, and a second fix changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_lint::harness;
use mcp_lint::run::settings::FixMode;
use mcp_lint::Settings;

const NAMES: [&str; 6] = [".mcp.json", ".cursor/mcp.json", ".vscode/mcp.json", ".gemini/settings.json", ".codex/config.toml", "config.yaml"];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let name = NAMES[usize::from(selector) % NAMES.len()];
    let mut settings = Settings::defaults();
    settings.fix = FixMode::Write;
    settings.unsafe_fixes = true;
    let before = harness::run(text, name, &Settings::defaults());
    if before.failure().is_some() {
        return;
    }
    let first = harness::run(text, name, &settings);
    let Some(fixed) = first.fixed() else { return };
    let after = harness::run(fixed, name, &Settings::defaults());
    assert!(after.failure().is_none(), "the fixed text does not parse:\n{fixed}");
    assert_eq!(before.server_names(), after.server_names(), "a server was lost or added");
    let second = harness::run(fixed, name, &settings);
    assert_eq!(second.fixed(), Some(fixed), "a second fix changed the text");
});
