//! The registry answer parsers: an npm packument and a PyPI simple index (JSON and HTML) of any
//! bytes parse or fail with an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_lint::resolve::http::Document;
use mcp_lint::resolve::{npm, pypi};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let content_type = match selector % 3 {
        0 => "application/json",
        1 => "application/vnd.pypi.simple.v1+json",
        _ => "text/html",
    };
    let document = Document {
        url: "https://registry.example/pkg".to_owned(),
        body: body.to_vec(),
        headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
    };
    let _ = npm::parse_packument(&document, "@scope/pkg");
    let _ = pypi::parse_simple(&document, "pkg");
});
