//! Dimension 6, security, secrets & identity: no credential written in a file (configs and
//! manifests), references to the environment or a secret store instead, TLS to remote servers,
//! a credential for every remote, caller identity beyond shared keys (JWT / OIDC), MCP OAuth,
//! and the inventory of every credential each server receives.

use crate::audit::deployment::Deployment;
use crate::audit::{Assessment, Check, Credential, DimensionId, Effort, GapKind, Observation, Severity};
use crate::dialect::Node;
use crate::model::{KeyValue, Server, Transport};
use crate::secrets::{self, ValueContext};

use super::first_setting;

pub static INLINE: Check = Check {
    id: "secrets.inline",
    dimension: DimensionId::Secrets,
    kind: GapKind::FailsOpen,
    looks_at: "credentials written in configs, values and manifests",
    why: "a secret in a file is read by everyone with the repository, its history and every CI log that prints it",
    remedy: "Move every literal credential to the environment or a secret store (`mcp-lint --fix --unsafe-fixes` rewrites configs to references), then rotate it",
    effort: Effort::M,
    likelihood: 3,
    impact: 3,
};

pub static TRANSPORT: Check = Check {
    id: "secrets.transport",
    dimension: DimensionId::Secrets,
    kind: GapKind::FailsOpen,
    looks_at: "remote servers reached over TLS",
    why: "plain HTTP carries tool calls and their credentials in clear text",
    remedy: "Serve every remote over https",
    effort: Effort::M,
    likelihood: 2,
    impact: 2,
};

pub static LISTENER_TLS: Check = Check {
    id: "secrets.listener-tls",
    dimension: DimensionId::Secrets,
    kind: GapKind::Partial,
    looks_at: "gateway listeners that serve MCP with TLS (agentgateway `protocol: HTTPS` with a `tls` block)",
    why: "a plain HTTP listener carries callers' tokens and tool results in clear text unless a TLS-terminating proxy sits in front of it, which the gateway's file cannot show",
    remedy: "Terminate TLS on the listener (`protocol: HTTPS` with `tls.cert` and `tls.key`), or record the proxy in front of it",
    effort: Effort::S,
    likelihood: 1,
    impact: 2,
};

pub static UPSTREAM_AUTH: Check = Check {
    id: "secrets.upstream-auth",
    dimension: DimensionId::Secrets,
    kind: GapKind::FailsOpen,
    looks_at: "a credential for every remote server (token, header, OAuth)",
    why: "a server that asks for no credential answers anyone who can reach it",
    remedy: "Give every remote a credential (`auth_type` with a token from the environment, or OAuth)",
    effort: Effort::M,
    likelihood: 2,
    impact: 3,
};

pub static REFERENCES: Check = Check {
    id: "secrets.references",
    dimension: DimensionId::Secrets,
    kind: GapKind::Partial,
    looks_at: "credentials given by reference (`os.environ/`, `${VAR}`, `secretKeyRef`)",
    why: "references keep values out of the files and let them rotate without a change",
    remedy: "Give credentials by reference",
    effort: Effort::S,
    likelihood: 1,
    impact: 1,
};

pub static IDENTITY: Check = Check {
    id: "secrets.identity",
    dimension: DimensionId::Secrets,
    kind: GapKind::Partial,
    looks_at: "caller identity from an identity provider (`enable_jwt_auth`, `litellm_jwtauth`)",
    why: "with shared virtual keys only, a call cannot be tied to a person or workload, and offboarding means finding every key",
    remedy: "Enable JWT auth against your identity provider (`general_settings.enable_jwt_auth`, `litellm_jwtauth`)",
    effort: Effort::L,
    likelihood: 1,
    impact: 2,
};

pub fn assess(deployment: &Deployment) -> Assessment {
    if deployment.configs.is_empty() && deployment.manifests.is_empty() {
        return Assessment::not_assessed(DimensionId::Secrets, "no MCP config or manifest among the files");
    }
    let mut assessment = Assessment::new(DimensionId::Secrets);
    let references = inventory(deployment).iter().filter(|c| c.source != "literal").count();
    if references > 0 {
        assessment.observations.push(Observation::in_place(
            &REFERENCES,
            format!("{references} server credentials are given by reference"),
            None,
        ));
    }
    listener_tls(deployment, &mut assessment);
    for config in deployment.gateways() {
        let identity = first_setting(
            config,
            &[
                &["general_settings", "enable_jwt_auth"],
                &["general_settings", "litellm_jwtauth"],
            ],
        );
        match identity {
            Some((_, at, key)) => assessment.observations.push(Observation::in_place(
                &IDENTITY,
                format!("callers are identified by JWT (`{key}`)"),
                Some(at),
            )),
            None => assessment.observations.push(Observation::gap(
                &IDENTITY,
                Severity::Low,
                "callers are identified by virtual keys only: no JWT / OIDC auth is set",
                Some(config.line_of(&config.report.config.config_root, &["general_settings"])),
            )),
        }
        let oauth = config
            .report
            .config
            .servers
            .iter()
            .filter(|s| {
                s.litellm
                    .as_ref()
                    .and_then(|l| l.auth_type.as_ref())
                    .is_some_and(|a| a.value.starts_with("oauth2"))
            })
            .count();
        if oauth > 0 {
            assessment.observations.push(Observation::in_place(
                &UPSTREAM_AUTH,
                format!(
                    "{} with OAuth",
                    crate::audit::score::plural_verb(oauth, "server authenticates", "servers authenticate")
                ),
                Some(config.line_of(&config.report.config.config_root, &["mcp_servers"])),
            ));
        }
    }
    for workload in deployment.workloads() {
        for container in workload.containers() {
            let env = container.get("env").and_then(Node::as_seq).unwrap_or_default();
            for variable in env {
                let (Some(name), Some(value)) = (variable.get("name").and_then(Node::as_str), variable.get("value"))
                else {
                    continue;
                };
                let Some(text) = value.as_str() else { continue };
                if secrets::find_secret(ValueContext::Env { key: name }, text).is_some_and(|hit| !hit.placeholder) {
                    assessment.observations.push(Observation::gap(
                        &INLINE,
                        Severity::High,
                        format!(
                            "{} `{}`: env `{name}` holds a literal credential",
                            workload.kind, workload.name
                        ),
                        Some(workload.evidence(value)),
                    ));
                }
            }
        }
    }
    assessment
}

/// Every credential each server receives, and how it is given; never its value.
pub fn inventory(deployment: &Deployment) -> Vec<Credential> {
    let mut credentials = Vec::new();
    for config in &deployment.configs {
        for server in &config.report.config.servers {
            for (field, value) in credential_fields(server) {
                let offset = config.report.root.at(&value.route).map_or(0, |node| node.span.start);
                let evidence = config.evidence(offset);
                credentials.push(Credential {
                    server: server.name.clone(),
                    field,
                    source: source_of(&value.value),
                    file: evidence.file,
                    line: evidence.line,
                });
            }
        }
    }
    credentials
}

/// The fields of `server` that carry a credential: secret-named env entries and headers, the
/// credential fields a gateway reads, and a URL that holds one.
fn credential_fields(server: &Server) -> Vec<(String, &crate::model::Str)> {
    let mut fields = Vec::new();
    let named = |pair: &KeyValue| secrets::is_secret_name(&pair.key) || pair.key.eq_ignore_ascii_case("authorization");
    match &server.transport {
        Transport::Stdio(stdio) => {
            fields.extend(
                stdio
                    .env
                    .iter()
                    .filter(|p| named(p))
                    .map(|p| (format!("env `{}`", p.key), &p.value)),
            );
        }
        Transport::Remote(remote) => {
            fields.extend(
                remote
                    .headers
                    .iter()
                    .filter(|p| named(p))
                    .map(|p| (format!("header `{}`", p.key), &p.value)),
            );
            if !secrets::find_secrets(ValueContext::Url, &remote.url.value).is_empty() {
                fields.push(("the URL".to_owned(), &remote.url));
            }
        }
        Transport::Published(_) | Transport::Unknown => {}
    }
    fields.extend(
        server
            .credential_fields
            .iter()
            .map(|p| (format!("`{}`", p.key), &p.value)),
    );
    fields
}

/// How a credential is given: the reference it names, or `literal`.
fn source_of(value: &str) -> String {
    let trimmed = value.trim();
    if let Some(name) = trimmed.strip_prefix("os.environ/") {
        return format!("os.environ/{name}");
    }
    if let Some(start) = trimmed.find("${") {
        let end = trimmed[start..].find('}').map_or(trimmed.len(), |e| start + e + 1);
        return trimmed[start..end].to_owned();
    }
    if secrets::is_reference(trimmed) {
        return "reference".to_owned();
    }
    "literal".to_owned()
}

/// agentgateway's listeners that serve MCP: TLS on the listener, or a note that plain HTTP is
/// safe only behind a TLS-terminating proxy (not a rule finding: the file cannot show the proxy,
/// and one in front is the common deployment).
fn listener_tls(deployment: &Deployment, assessment: &mut Assessment) {
    // Every config: an agentgateway whose targets are all OpenAPI APIs has listeners and no server.
    for config in &deployment.configs {
        for listener in &config.report.config.gateway_listeners {
            let evidence = config.line_of(&listener.route, &[]);
            let place = if listener.route.components().len() == 1 {
                "the `mcp:` shortcut's listener".to_owned()
            } else {
                format!("listener `{}`", listener.route)
            };
            if listener.tls {
                assessment.observations.push(Observation::in_place(
                    &LISTENER_TLS,
                    format!(
                        "agentgateway {place} terminates TLS (`protocol: {}`)",
                        listener.protocol
                    ),
                    Some(evidence),
                ));
            } else {
                assessment.observations.push(Observation::gap(
                    &LISTENER_TLS,
                    Severity::Low,
                    format!(
                        "agentgateway {place} serves MCP over plain {}: callers' tokens cross the network in clear text unless a TLS-terminating proxy is in front",
                        listener.protocol
                    ),
                    Some(evidence),
                ));
            }
        }
    }
}
