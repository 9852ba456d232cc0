//! What a probed server sends back: any bytes as an HTTP event stream, and any `tools/list` page.
//! The event reader stays within its bound and never panics; every tool read from a page keeps
//! its digest through the canonical definition and through the lock (written, parsed, read back).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mcp_lint::model::tools::{ToolDefinition, ToolListing, list_digest};
use mcp_lint::probe::remote::read_events;
use mcp_lint::resolve::lock::{Lock, LockedServer};

fuzz_target!(|data: &[u8]| {
    // The reader's bound: the events it hands over never hold more than `limit` bytes in all,
    // and a stream longer than `limit` is an error, not a longer read. A small limit so that
    // the fuzzer's inputs cross it.
    const LIMIT: usize = 256;
    let mut total = 0usize;
    let result = read_events(data, LIMIT, |_, event| {
        total += event.len();
        assert!(total <= LIMIT, "{total} bytes of events from a stream bounded at {LIMIT}");
        true
    });
    if data.len() > LIMIT {
        assert!(result.is_err(), "a stream of {} bytes was read whole under a bound of {LIMIT}", data.len());
    }
    let Ok(page) = serde_json::from_slice::<serde_json::Value>(data) else { return };
    let entries = page.get("tools").and_then(|t| t.as_array()).cloned().unwrap_or_default();
    let tools: Vec<ToolDefinition> = entries.iter().filter_map(ToolDefinition::from_listing).collect();
    for tool in &tools {
        let again = ToolDefinition::from_listing(&tool.definition()).expect("a definition has a name");
        assert_eq!(again.digest, tool.digest);
        let _ = tool.kind();
    }
    let listing = ToolListing {
        protocol_version: "2025-06-18".into(),
        server_name: "fuzz".into(),
        server_version: "1".into(),
        tools_digest: list_digest(&tools),
        tools,
    };
    let mut lock = Lock::default();
    lock.upsert_server(LockedServer::new(".mcp.json".into(), "s".into(), &listing, "2026-12-06T00:00:00Z".into()));
    let read = Lock::parse(Path::new("mcp-lint.lock"), &lock.render()).expect("a written lock parses");
    let back = read.server(".mcp.json", "s").expect("recorded").listing();
    assert_eq!(back.tools.len(), listing.tools.len());
    for tool in &back.tools {
        let original = listing.tools.iter().find(|t| t.name == tool.name && t.digest == tool.digest);
        assert!(original.is_some(), "{} changed in the lock", tool.name);
        let recomputed = ToolDefinition::from_listing(&tool.definition()).expect("tool");
        assert_eq!(recomputed.digest, tool.digest, "{}", tool.name);
    }
});
