//! Reading the gateways' configs into servers: LiteLLM (and its Helm chart), agentgateway,
//! compose files running an MCP gateway, Docker's MCP catalog entries, and the Kubernetes
//! resources of ToolHive, kagent and Envoy AI Gateway.

use super::*;

/// LiteLLM proxy config, at the root or nested in Helm values.
pub(super) fn read_litellm(config: &mut McpConfig, root: &Node) {
    let base = if config.dialect == Dialect::Helm {
        helm_config_root(root).unwrap_or_else(|| Route::root().key("proxy_config"))
    } else {
        Route::root()
    };
    config.config_root = base.clone();
    read_server_map(config, root, &base.key(config.dialect.servers_key()));
    // A key of a LiteLLM example config that the proxy never reads: it reads MCP servers from
    // `mcp_servers` only (`proxy_server.py`, `config.get("mcp_servers")`) and no module of
    // LiteLLM 1.x names `mcp_builtin_servers`, so none of these servers ever starts.
    let builtin = base.key("mcp_builtin_servers");
    if root
        .at(&builtin)
        .and_then(Node::as_map)
        .is_some_and(|servers| !servers.is_empty())
    {
        config.shape_problems.push(ShapeProblem {
            route: builtin,
            on_key: true,
            message:
                "LiteLLM never reads `mcp_builtin_servers`: none of these servers starts; it reads `mcp_servers` only"
                    .into(),
            label: "never read",
            ignored: true,
        });
    }
    let general_route = base.key("general_settings");
    let general = root.at(&general_route);
    let master_route = general_route.key("master_key");
    let master_key = general.and_then(|g| g.get("master_key")).map(|node| match &node.value {
        NodeValue::Str(s) if !s.trim().is_empty() => MasterKey::Value(Str {
            value: s.clone(),
            route: master_route.clone(),
        }),
        _ => MasterKey::Empty(master_route.clone()),
    });
    config.gateway = Some(Gateway {
        has_general_settings: general.is_some(),
        master_key,
        require_key_mcp_access_defined: flag(root, &general_route.key("require_key_mcp_access_defined")),
        general_settings: general_route,
    });
}

/// agentgateway's MCP targets, each a server named by its `name`: `stdio` (`cmd`, `args`,
/// `env`) runs a command; `mcp` and `sse` reach a `host` (Streamable HTTP, SSE).
pub(super) fn read_agentgateway(config: &mut McpConfig, root: &Node) {
    for route in agentgateway_targets(root) {
        let name = string(root, &route.key("name")).map_or_else(|| "target".to_owned(), |s| s.value);
        let stdio = route.key("stdio");
        let transport = if let Some(command) = string(root, &stdio.key("cmd")) {
            Transport::Stdio(Stdio {
                command,
                args: string_list(root, &stdio.key("args"))
                    .map(|l| l.items)
                    .unwrap_or_default(),
                env: string_map(root, &stdio.key("env")),
                cwd: None,
            })
        } else if let Some(url) = ["mcp", "sse"]
            .iter()
            .find_map(|kind| string(root, &route.key(*kind).key("host")))
        {
            Transport::Remote(Remote {
                url,
                headers: Vec::new(),
            })
        } else {
            Transport::Unknown
        };
        let launch = launch_of(&transport);
        config.push_server(Server {
            name,
            route,
            tools: ToolFilter::default(),
            approvals: Vec::new(),
            auth: Vec::new(),
            credential_fields: Vec::new(),
            litellm: None,
            transport,
            launch,
            disabled: false,
        });
    }
    if !config.servers.is_empty() {
        config.servers_route = Some(Route::root());
    }
    config.gateway_routes = crate::model::routes::agentgateway_routes(root);
    config.gateway_targets = crate::model::routes::agentgateway_network_targets(root);
    config.gateway_listeners = crate::model::routes::agentgateway_listeners(root);
    let targeted = Route::root().key("policies");
    config.targeted_policies = root.at(&targeted).is_some().then_some(targeted);
}

/// The services of a compose file that run Docker's MCP gateway, each one server named by its
/// service: the image as the `docker run <image>` it is, `environment` (map form) as its env.
/// Other services (databases, clients) are not MCP servers and are not read.
pub(super) fn read_compose_gateways(config: &mut McpConfig, root: &Node) {
    let services = Route::root().key("services");
    let Some(entries) = root.at(&services).and_then(Node::as_map) else {
        return;
    };
    config.servers_route = Some(services.clone());
    for entry in entries {
        if !crate::dialect::detect::runs_mcp_gateway(&entry.value) {
            continue;
        }
        let route = services.key(entry.key.as_str());
        let Some(image) = string(root, &route.key("image")) else {
            continue;
        };
        let transport = docker_run(image, string_map(root, &route.key("environment")));
        let launch = launch_of(&transport);
        config.push_server(Server::launched(entry.key.clone(), route, transport, launch));
    }
}

/// A manifest stream is read as the sequence of its MCP resources (see `run::check`), each one
/// server.
pub(super) fn read_kubernetes(config: &mut McpConfig, root: &Node) {
    match root.as_seq() {
        Some(resources) => {
            for index in 0..resources.len() {
                read_kubernetes_resource(config, root, &Route::root().index(index));
            }
        }
        None => read_kubernetes_resource(config, root, &Route::root()),
    }
}

/// A Kubernetes MCP server resource is one server, named by `metadata.name`: ToolHive's
/// `MCPServer` runs `spec.image` (with `spec.env` as name/value pairs), kagent's `ToolServer`
/// runs `spec.config.stdio` or reaches `spec.config.sse` / `spec.config.streamableHttp`, and its
/// `RemoteMCPServer` reaches `spec.url`; kagent's (kmcp's) `MCPServer` runs `spec.deployment`
/// ([`read_kmcp_server`]).
pub(super) fn read_kubernetes_resource(config: &mut McpConfig, root: &Node, base: &Route) {
    let Some(kind) = root.at(base).and_then(crate::dialect::detect::mcp_resource_kind) else {
        return;
    };
    let kagent = root
        .at(&base.key("apiVersion"))
        .and_then(Node::as_str)
        .is_some_and(|api| api.starts_with("kagent.dev/"));
    if kagent && kind == "MCPServer" {
        read_kmcp_server(config, root, base);
        return;
    }
    if kind == "MCPRoute" {
        read_mcp_route(config, root, base);
        return;
    }
    let spec = base.key("spec");
    let name = root
        .at(&base.key("metadata").key("name"))
        .and_then(Node::as_str)
        .unwrap_or("(unnamed)")
        .to_owned();
    let transport = match kind {
        "MCPServer" => read_image_entry(root, &spec),
        "ToolServer" => {
            let config_route = spec.key("config");
            let stdio = config_route.key("stdio");
            if root.at(&stdio).is_some() {
                read_transport(Dialect::McpJson, root, &stdio)
            } else {
                ["streamableHttp", "sse"]
                    .iter()
                    .map(|key| config_route.key(*key))
                    .find(|route| root.at(route).is_some())
                    .map_or(Transport::Unknown, |route| {
                        read_transport(Dialect::McpJson, root, &route)
                    })
            }
        }
        _ => match string(root, &spec.key("url")) {
            Some(url) => Transport::Remote(Remote {
                url,
                headers: Vec::new(),
            }),
            None => Transport::Unknown,
        },
    };
    let launch = launch_of(&transport);
    config.servers_route = Some(Route::root());
    config.push_server(Server::launched(name, base.clone(), transport, launch));
}

/// Envoy AI Gateway's `MCPRoute` (aigateway.envoyproxy.io v1alpha1/v1beta1): each of
/// `spec.backendRefs` is an MCP server the route aggregates, named `<route>/<backend>`. Its
/// address lives in another resource (a Service or an Envoy Gateway `Backend`), so its transport
/// is unknown here; what the route says of it is its tool filter (`toolSelector`: `include` or
/// `includeRegex` expose only what they match, and an empty or missing one every tool, as
/// `internal/mcpproxy/config.go` `allows` reads it) and the API key it injects upstream
/// (`securityPolicy.apiKey.inline`, a literal credential).
pub(super) fn read_mcp_route(config: &mut McpConfig, root: &Node, base: &Route) {
    let route_name = root
        .at(&base.key("metadata").key("name"))
        .and_then(Node::as_str)
        .unwrap_or("(unnamed)")
        .to_owned();
    config.servers_route = Some(Route::root());
    for backend in item_routes(root, &base.key("spec").key("backendRefs")) {
        let name = string(root, &backend.key("name")).map_or_else(|| "(unnamed)".to_owned(), |s| s.value);
        let selector = backend.key("toolSelector");
        let non_empty = |key: &str| string_list(root, &selector.key(key)).filter(|list| !list.items.is_empty());
        let mut server = Server::launched(
            format!("{route_name}/{name}"),
            backend.clone(),
            Transport::Unknown,
            None,
        );
        server.tools = ToolFilter {
            allowlist_key: Some(MCP_ROUTE_ALLOWLIST),
            allow: non_empty("include").or_else(|| non_empty("includeRegex")),
            deny: non_empty("exclude").or_else(|| non_empty("excludeRegex")),
            enforced: None,
        };
        if let Some(inline) = string(root, &backend.key("securityPolicy").key("apiKey").key("inline")) {
            server.credential_fields.push(KeyValue {
                key: "apiKey".to_owned(),
                value: inline,
            });
        }
        config.push_server(server);
    }
}

/// The allowlist of an `MCPRoute` backend, as the findings name it.
pub const MCP_ROUTE_ALLOWLIST: &str = "toolSelector.include";

/// kagent's `MCPServer` (kmcp api/v1alpha1 `MCPServerDeployment`): `spec.deployment` runs `cmd`
/// with `args` and `env` (a map) in `image`, which the controller defaults by command when it is
/// not set (`uvx`: ghcr.io/astral-sh/uv:debian, `npx`: node:24-alpine3.21, in
/// transportadapter_translator.go). The command is the server, named by `metadata.name`; the
/// image it runs in and the `initContainer.image` are each read as an image the cluster pulls,
/// named `NAME (image)` and `NAME (initContainer)`, so that the image rules point at them.
pub(super) fn read_kmcp_server(config: &mut McpConfig, root: &Node, base: &Route) {
    let name = root
        .at(&base.key("metadata").key("name"))
        .and_then(Node::as_str)
        .unwrap_or("(unnamed)")
        .to_owned();
    let deployment = base.key("spec").key("deployment");
    config.servers_route = Some(Route::root());
    let command = string(root, &deployment.key("cmd"));
    let transport = match &command {
        Some(command) => Transport::Stdio(Stdio {
            command: command.clone(),
            args: string_list(root, &deployment.key("args"))
                .map(|list| list.items)
                .unwrap_or_default(),
            env: string_map(root, &deployment.key("env")),
            cwd: None,
        }),
        None => Transport::Unknown,
    };
    let launch = launch_of(&transport);
    config.push_server(Server::launched(name.clone(), base.clone(), transport, launch));
    for (label, route) in [
        ("image", deployment.clone()),
        ("initContainer", deployment.key("initContainer")),
    ] {
        let Some(image) = string(root, &route.key("image")) else {
            continue;
        };
        let at = image.route.clone();
        let transport = docker_run(image, Vec::new());
        let launch = launch_of(&transport);
        config.push_server(Server::launched(format!("{name} ({label})"), at, transport, launch));
    }
}

/// An entry that runs an `image` (Docker catalog, ToolHive), modelled as the `docker run <image>`
/// it becomes: each word's route is the `image` value itself, so that image rules point at it
/// and a digest pin edits it in place; `env` is a list of `{name, value}`.
pub(super) fn read_image_entry(root: &Node, route: &Route) -> Transport {
    let Some(image) = string(root, &route.key("image")) else {
        return Transport::Unknown;
    };
    let env = root
        .at(&route.key("env"))
        .and_then(Node::as_seq)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let key = item.get("name").and_then(Node::as_str)?.to_owned();
            let value = string(root, &route.key("env").index(index).key("value"))?;
            Some(KeyValue { key, value })
        })
        .collect();
    docker_run(image, env)
}

/// An image run by a gateway or an operator, as the `docker run <image>` it becomes: each word's
/// route is the image value itself, so that image rules point at it and a digest pin edits it in
/// place.
pub(super) fn docker_run(image: Str, env: Vec<KeyValue>) -> Transport {
    let at = |value: &str| Str {
        value: value.to_owned(),
        route: image.route.clone(),
    };
    Transport::Stdio(Stdio {
        command: at("docker"),
        args: vec![at("run"), image.clone()],
        env,
        cwd: None,
    })
}

/// A Docker MCP catalog entry: `remote.url` (with `remote.headers`), or an `image` the gateway
/// runs. The image is modelled as the `docker run <image>` it becomes, each word's route the
/// `image` value itself, so that image rules point at it and a digest pin edits it in place.
pub(super) fn read_docker_catalog_entry(root: &Node, route: &Route) -> Transport {
    let remote = route.key("remote");
    if let Some(url) = string(root, &remote.key("url")) {
        return Transport::Remote(Remote {
            url,
            headers: string_map(root, &remote.key("headers")),
        });
    }
    read_image_entry(root, route)
}

pub(super) fn read_litellm_server(root: &Node, route: &Route) -> LiteLlmServer {
    LiteLlmServer {
        transport: string(root, &route.key("transport")),
        auth_type: string(root, &route.key("auth_type")),
        allow_all_keys: flag(root, &route.key("allow_all_keys")),
        access_groups: string_list(root, &route.key("access_groups")),
        available_on_public_internet: flag(root, &route.key("available_on_public_internet")),
    }
}
