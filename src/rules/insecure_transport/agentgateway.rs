//! `insecure-transport` for agentgateway: the network targets behind its routes (MCP servers and
//! the REST APIs of `openapi` targets), connected to as agentgateway connects to them.

use serde_json::json;

use crate::finding::{Finding, Severity};
use crate::fix::{Applicability, Edit, Fix};
use crate::model::McpConfig;
use crate::model::routes::{GatewayTarget, TargetConnection};
use crate::model::url::{self, HostKind};

use super::InsecureTransport;

/// Every network target agentgateway reaches over plain HTTP, off the machine.
pub(super) fn check_targets(config: &McpConfig, findings: &mut Vec<Finding>) {
    for target in &config.gateway_targets {
        let TargetConnection::Plain { host, scheme } = target.connection() else {
            continue;
        };
        let severity = match url::host_kind(&host) {
            HostKind::Loopback => continue,
            HostKind::Internal => Severity::Warning,
            HostKind::Public => InsecureTransport::INFO.default_severity,
        };
        let what = if target.kind == "openapi" {
            "the OpenAPI target"
        } else {
            "target"
        };
        let (how, help, fix) = fix_for(config, target, scheme.as_deref());
        let mut finding = Finding::new(
            InsecureTransport::INFO.id,
            severity,
            format!(
                "agentgateway reaches {what} `{}` over plain http to `{host}` ({how})",
                target.name
            ),
            &target.host.route,
        )
        .label("clear text")
        .help(help)
        .fix(fix);
        // An `openapi` target is a REST API, not an MCP server of the config.
        if target.kind != "openapi" {
            finding = finding.server(&target.name, &target.route);
        }
        if let Some(scheme) = &scheme {
            finding = finding.subfeature(format!("{scheme}://"));
        }
        findings.push(finding);
    }
}

/// Why the connection is plain, what to do, and the fix that does it.
fn fix_for(config: &McpConfig, target: &GatewayTarget, scheme: Option<&str>) -> (&'static str, &'static str, Fix) {
    let host = &target.host;
    match scheme {
        Some(scheme) => (
            "an `http://` host",
            "use `https://`",
            Fix::new(
                "Use `https://`",
                Applicability::Unsafe,
                vec![Edit::ReplaceInString {
                    route: host.route.clone(),
                    find: format!("{scheme}://"),
                    replace: "https://".to_owned(),
                }],
            ),
        ),
        None if !(target.has_port && target.has_path) => (
            "a host without a scheme is reached over http",
            "write the host as an `https://` URL",
            Fix::new(
                "Write the host as an `https://` URL",
                Applicability::Unsafe,
                vec![Edit::Replace {
                    route: host.route.clone(),
                    value: json!(format!("https://{}", host.value.trim())),
                }],
            ),
        ),
        None => {
            let policies = target.route.key("policies");
            let edit = if config.value_at(&policies).is_some_and(serde_json::Value::is_object) {
                Edit::Insert {
                    map: policies,
                    after: None,
                    key: "backendTLS".to_owned(),
                    value: json!({}),
                    comment: Vec::new(),
                }
            } else {
                Edit::Insert {
                    map: target.route.clone(),
                    after: None,
                    key: "policies".to_owned(),
                    value: json!({ "backendTLS": {} }),
                    comment: Vec::new(),
                }
            };
            (
                "`host`, `port` and `path` connect without TLS",
                "add a `backendTLS` policy to the target (the server must serve TLS on that port)",
                Fix::new("Add a `backendTLS` policy", Applicability::Unsafe, vec![edit]),
            )
        }
    }
}
