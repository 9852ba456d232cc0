//! Reading what a server's author publishes into servers: the MCP registry's `server.json`
//! packages and remotes, and an MCP bundle's `manifest.json`.

use super::*;

/// The MCP registry's `server.json`: each entry of `packages` and of `remotes` is one way to run
/// the server, read as a server named by its identifier (a package) or its place (`remotes[0]`).
/// A package's launch is the registry's business (the client installs `identifier` at
/// `version`), so it is read as no command; the literal `value` and `default` of its secret
/// environment variables (`isSecret`) are what a published file gives every user. A remote is a
/// remote, with its `headers` (a list of `{name, value}`).
pub(super) fn read_server_json(config: &mut McpConfig, root: &Node) {
    let packages = Route::root().key("packages");
    for (index, route) in item_routes(root, &packages).enumerate() {
        let name = string(root, &route.key("identifier")).map_or_else(|| format!("packages[{index}]"), |s| s.value);
        let mut credential_fields = Vec::new();
        for entry in item_routes(root, &route.key("environmentVariables")) {
            // Only a secret's literal is a credential: `ACME_REGION` with a default is a setting.
            let secret = flag(root, &entry.key("isSecret")).is_some_and(|f| f.value);
            let Some(key) = string(root, &entry.key("name")).filter(|_| secret) else {
                continue;
            };
            for field in ["value", "default"] {
                if let Some(value) = string(root, &entry.key(field)) {
                    credential_fields.push(KeyValue {
                        key: key.value.clone(),
                        value,
                    });
                }
            }
        }
        let transport = match (
            string(root, &route.key("registryType")),
            string(root, &route.key("identifier")),
        ) {
            (Some(registry_type), Some(identifier)) => Transport::Published(Published {
                registry_type,
                identifier,
                version: string(root, &route.key("version")),
            }),
            _ => Transport::Unknown,
        };
        let launch = match &transport {
            Transport::Published(p) => launcher::published_launch(
                &p.registry_type.value,
                &p.identifier.value,
                p.version.as_ref().map(|v| v.value.as_str()),
            ),
            _ => None,
        };
        let mut server = Server::launched(name, route, transport, launch);
        server.credential_fields = credential_fields;
        config.servers.push(server);
    }
    let remotes = Route::root().key("remotes");
    for (index, route) in item_routes(root, &remotes).enumerate() {
        let Some(url) = string(root, &route.key("url")) else {
            continue;
        };
        let headers: Vec<KeyValue> = item_routes(root, &route.key("headers"))
            .filter_map(|entry| {
                Some(KeyValue {
                    key: string(root, &entry.key("name"))?.value,
                    value: string(root, &entry.key("value")).or_else(|| string(root, &entry.key("default")))?,
                })
            })
            .collect();
        let transport = Transport::Remote(Remote { url, headers });
        config.servers.push(Server {
            // By place, not by URL: a fix (`http` to `https`) must not rename it.
            name: format!("remotes[{index}]"),
            route: route.clone(),
            tools: ToolFilter::default(),
            approvals: Vec::new(),
            auth: read_auth(Dialect::ServerJson, root, &route, &transport),
            credential_fields: Vec::new(),
            litellm: None,
            transport,
            launch: None,
            disabled: false,
        });
    }
    if !config.servers.is_empty() {
        config.servers_route = Some(Route::root());
    }
}

/// An MCP bundle's manifest: its one server is `server.mcp_config` (`command`, `args`, `env`,
/// where `${__dirname}` and `${user_config.KEY}` are the app's to fill in), named by the
/// manifest's `name`. A bundle of `type: uv` may leave `mcp_config` out: the app runs it.
pub(super) fn read_bundle(config: &mut McpConfig, root: &Node) {
    let route = Route::root().key("server").key("mcp_config");
    if root.at(&route).and_then(Node::as_map).is_none() {
        return;
    }
    let name = string(root, &Route::root().key("name")).map_or_else(|| "server".to_owned(), |s| s.value);
    config
        .servers
        .push(read_server(Dialect::McpBundle, root, &name, &route));
    config.servers_route = Some(Route::root().key("server"));
}
