//! The TOML backend: any bytes parse or fail with a located error, never a panic,
//! and a parsed tree's spans lie inside the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_lint::dialect::{self, Syntax};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for syntax in [Syntax::Toml] {
        match dialect::parse(syntax, text) {
            Ok(root) => assert!(root.span.end <= text.len()),
            Err(error) => assert!(error.offset <= text.len()),
        }
    }
});
