//! Where some dialects keep their servers in a tree, as routes: the shapes the detector
//! recognises a file by and the model reads servers from (so that neither reaches into the
//! other).

use super::{Node, Route};

/// Where a Helm values file keeps the LiteLLM config: `proxy_config`, or a wrapper chart's key.
pub fn helm_config_root(root: &Node) -> Option<Route> {
    let holds_config = |node: &Node| {
        ["mcp_servers", "general_settings", "model_list"]
            .iter()
            .any(|k| node.get(k).is_some())
    };
    if root.get("proxy_config").is_some_and(holds_config) {
        return Some(Route::root().key("proxy_config"));
    }
    let entries = root.as_map()?;
    for entry in entries {
        if holds_config(&entry.value) {
            return Some(Route::root().key(entry.key.as_str()));
        }
        for inner in entry.value.as_map().unwrap_or_default() {
            if holds_config(&inner.value) {
                return Some(Route::root().key(entry.key.as_str()).key(inner.key.as_str()));
            }
        }
    }
    None
}

/// The routes of the items of the list at `route` (none when there is no list).
pub fn item_routes(root: &Node, route: &Route) -> impl Iterator<Item = Route> {
    let count = root.at(route).and_then(Node::as_seq).map_or(0, |items| items.len());
    let route = route.clone();
    (0..count).map(move |index| route.index(index))
}

/// The routes of agentgateway's MCP targets: the `mcp:` shortcut's `targets`, and those of
/// every `mcp` backend of every route of every listener of every bind.
pub fn agentgateway_targets(root: &Node) -> Vec<Route> {
    let mut targets: Vec<Route> = item_routes(root, &Route::root().key("mcp").key("targets")).collect();
    for bind in item_routes(root, &Route::root().key("binds")) {
        for listener in item_routes(root, &bind.key("listeners")) {
            for route in item_routes(root, &listener.key("routes")) {
                for backend in item_routes(root, &route.key("backends")) {
                    targets.extend(item_routes(root, &backend.key("mcp").key("targets")));
                }
            }
        }
    }
    targets
}
