//! The command-line flags of Docker's MCP gateway as a compose service passes them.

use crate::dialect::Route;

use super::{McpConfig, Server};

/// Whether the compose service `server` runs Docker's MCP gateway (whose flags this module
/// reads), not another gateway image.
pub fn runs_docker_mcp_gateway(server: &Server) -> bool {
    server
        .launch
        .as_ref()
        .and_then(|launch| launch.package.as_ref())
        .is_some_and(|package| {
            crate::dialect::detect::gateway_of_image(&package.name)
                == Some(crate::dialect::detect::Gateway::DockerMcpGateway)
        })
}

/// One `--name[=value]` word of a gateway service's `command`.
#[derive(Debug, Clone, PartialEq)]
pub struct GatewayFlag {
    /// The flag without its dashes or value: `tools`, `verify-signatures`.
    pub name: String,
    /// What follows `=`, if anything.
    pub value: Option<String>,
    /// The word as written: `--verify-signatures=false`.
    pub text: String,
    /// The list item holding the word, or the whole string when `command` is one string.
    pub route: Route,
    /// True when `command` is one string and `route` is that string.
    pub in_string: bool,
}

impl GatewayFlag {
    /// The value a boolean flag takes: `--flag` alone is true; otherwise Go's `strconv.ParseBool`
    /// spellings, which is what cobra accepts. `None` when the value is no boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self.value.as_deref() {
            None => Some(true),
            Some("1" | "t" | "T" | "true" | "TRUE" | "True") => Some(true),
            Some("0" | "f" | "F" | "false" | "FALSE" | "False") => Some(false),
            Some(_) => None,
        }
    }
}

/// The flags in the `command` of the compose service `server` (a list or one string split on
/// whitespace); words that are no `--flag` (the `gateway run` of an explicit entrypoint) are
/// skipped.
pub fn gateway_flags(config: &McpConfig, server: &Server) -> Vec<GatewayFlag> {
    if !runs_docker_mcp_gateway(server) {
        return Vec::new();
    }
    let route = server.route.key("command");
    let words: Vec<(&str, Route, bool)> = match config.value_at(&route) {
        Some(serde_json::Value::String(line)) => line
            .split_whitespace()
            .map(|word| (word, route.clone(), true))
            .collect(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| Some((item.as_str()?, route.index(index), false)))
            .collect(),
        _ => Vec::new(),
    };
    words
        .into_iter()
        .filter_map(|(word, route, in_string)| {
            let flag = word.strip_prefix("--")?;
            let (name, value) = match flag.split_once('=') {
                Some((name, value)) => (name, Some(value.to_owned())),
                None => (flag, None),
            };
            Some(GatewayFlag {
                name: name.to_owned(),
                value,
                text: word.to_owned(),
                route,
                in_string,
            })
        })
        .collect()
}
