//! `rbac-gap` for agentgateway: routes to MCP targets that authenticate no caller, or whose
//! authentication lets a caller without credentials through (`mode: optional`, the default of
//! `jwtAuth`, `apiKey` and `basicAuth`).

use serde_json::json;

use crate::finding::{Finding, Severity};
use crate::fix::{Applicability, Edit, Fix};
use crate::model::McpConfig;
use crate::model::routes::{Authentication, GatewayRoute};

use super::RbacGap;

pub(super) fn check_routes(config: &McpConfig, findings: &mut Vec<Finding>) {
    // Top-level `policies` attach to routes by name: what is in force is not known here.
    if config.targeted_policies.is_some() {
        return;
    }
    for route in &config.gateway_routes {
        if route.authentication.is_empty() {
            findings.push(no_authentication(config, route));
        } else if route.authentication.iter().all(Authentication::lets_anonymous_through) {
            findings.extend(route.authentication.iter().map(|auth| fails_open(route, auth)));
        }
    }
}

fn no_authentication(config: &McpConfig, route: &GatewayRoute) -> Finding {
    let at = route.policies_or_route(config);
    Finding::new(
        RbacGap::INFO.id,
        Severity::Warning,
        format!(
            "{} authenticates no caller: anyone who reaches the gateway calls the tools of {}",
            route.describe(config),
            route.target_list()
        ),
        &at,
    )
    .on_key()
    .label("no caller authentication")
    .help("add `mcpAuthentication` (the MCP authorization flow) or `jwtAuth`, `apiKey` or `extAuthz` with `mode: strict` to the route's `policies`")
}

fn fails_open(route: &GatewayRoute, auth: &Authentication) -> Finding {
    let (message_mode, edit, at) = match &auth.mode {
        Some(mode) => (
            format!("its `mode` is `{}`", mode.value),
            Edit::Replace {
                route: mode.route.clone(),
                value: json!("strict"),
            },
            mode.route.clone(),
        ),
        None => (
            "it sets no `mode`, and agentgateway's default is `optional`".to_owned(),
            Edit::Insert {
                map: auth.route.clone(),
                after: None,
                key: "mode".to_owned(),
                value: json!("strict"),
                comment: Vec::new(),
            },
            auth.route.clone(),
        ),
    };
    let mut finding = Finding::new(
        RbacGap::INFO.id,
        Severity::Warning,
        format!(
            "`{}` lets a request without credentials through to {}: {message_mode}",
            auth.kind,
            route.target_list()
        ),
        &at,
    )
    .label("fails open")
    .help("set `mode: strict` so a request without valid credentials is refused");
    if auth.mode.is_none() {
        finding = finding.on_key();
    }
    finding.fix(Fix::new(
        format!(
            "Set `{}.mode: strict`: a request without valid credentials is refused",
            auth.kind
        ),
        Applicability::Unsafe,
        vec![edit],
    ))
}
