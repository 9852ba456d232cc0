//! The command-line parser that finds packages and images in `command` and `args`: any words,
//! never a panic (a multi-byte short option once sliced a character).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_lint::model::launcher;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let words: Vec<&str> = text.split('\0').collect();
    let Some((command, args)) = words.split_first() else { return };
    let _ = launcher::parse_launch(command, args);
    for word in &words {
        let _ = mcp_lint::resolve::oci::parse_reference(word);
    }
});
