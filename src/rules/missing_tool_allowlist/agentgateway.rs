//! `missing-tool-allowlist` for agentgateway: routes whose `mcpAuthorization` has no allow
//! rule, so every tool of their targets is exposed (none, `rules: []`, or deny rules only).

use serde_json::json;

use crate::finding::Finding;
use crate::fix::{Applicability, Edit, Fix};
use crate::model::McpConfig;
use crate::model::routes::{GatewayRoute, ToolRules};

use super::{FILL_IN, MissingToolAllowlist};

pub(super) fn check_routes(config: &McpConfig, findings: &mut Vec<Finding>) {
    // Top-level `policies` attach to routes by name: what is in force is not known here.
    if config.targeted_policies.is_some() {
        return;
    }
    let info = &MissingToolAllowlist::INFO;
    for route in config.gateway_routes.iter().filter(|r| !r.targets.is_empty()) {
        let (message, at, label, on_key, edit) = match &route.tool_rules {
            ToolRules::Allow(_) => continue,
            ToolRules::Absent => (
                format!(
                    "{} exposes every tool of {}: no `mcpAuthorization` rule limits them",
                    route.describe(config),
                    route.target_list()
                ),
                route.policies_or_route(config),
                "no tool allowlist",
                true,
                insert_rules(config, route),
            ),
            ToolRules::Empty(place) => (
                format!(
                    "{} exposes every tool of {}: `mcpAuthorization` has no rule, which agentgateway treats as \"allow every tool\"",
                    route.describe(config),
                    route.target_list()
                ),
                place.clone(),
                "no rule allows every tool",
                true,
                fill_empty(config, place),
            ),
            ToolRules::DenyOnly(rule) => (
                format!(
                    "{} exposes every tool of {} that a deny rule does not match: `mcpAuthorization` has no allow rule",
                    route.describe(config),
                    route.target_list()
                ),
                rule.clone(),
                "no tool allowlist",
                false,
                append_rule(&rule.split_last().map_or_else(|| rule.clone(), |(_, list)| list)),
            ),
        };
        let mut finding = Finding::new(info.id, info.default_severity, message, &at)
            .label(label)
            .help("allow the tools the targets may call with `mcpAuthorization.rules` (`'mcp.tool.name == \"read_file\"'`)")
            .fix(Fix::new(
                "Add an `mcpAuthorization` allow rule that matches no tool until you name the ones the targets may call",
                Applicability::Unsafe,
                edit,
            ));
        if on_key {
            finding = finding.on_key();
        }
        findings.push(finding);
    }
}

/// The allow rule that matches no tool: a placeholder a person replaces.
fn fill_in_rule() -> serde_json::Value {
    json!(format!("mcp.tool.name == \"{FILL_IN}\""))
}

fn insert_rules(config: &McpConfig, route: &GatewayRoute) -> Vec<Edit> {
    let rules = json!({ "rules": [fill_in_rule()] });
    if config
        .value_at(&route.policies)
        .is_some_and(serde_json::Value::is_object)
    {
        vec![Edit::Insert {
            map: route.policies.clone(),
            after: None,
            key: "mcpAuthorization".to_owned(),
            value: rules,
            comment: Vec::new(),
        }]
    } else {
        vec![Edit::Insert {
            map: route.route.clone(),
            after: None,
            key: "policies".to_owned(),
            value: json!({ "mcpAuthorization": rules }),
            comment: Vec::new(),
        }]
    }
}

/// Rules for an `mcpAuthorization` that has none: appended to its `rules` list, or written.
fn fill_empty(config: &McpConfig, place: &crate::dialect::Route) -> Vec<Edit> {
    let rules = place.key("rules");
    match config.value_at(place) {
        Some(value) if value.get("rules").is_some_and(serde_json::Value::is_array) => append_rule(&rules),
        Some(value) if value.is_object() => vec![Edit::Insert {
            map: place.clone(),
            after: None,
            key: "rules".to_owned(),
            value: json!([fill_in_rule()]),
            comment: Vec::new(),
        }],
        _ => vec![Edit::Replace {
            route: place.clone(),
            value: json!({ "rules": [fill_in_rule()] }),
        }],
    }
}

fn append_rule(list: &crate::dialect::Route) -> Vec<Edit> {
    vec![Edit::Append {
        list: list.clone(),
        value: fill_in_rule(),
    }]
}
