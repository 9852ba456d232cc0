//! `disabled-safeguard`: a gateway's command turns off a protection that is on by default.

use crate::dialect::Dialect;
use crate::finding::{Finding, Severity};
use crate::fix::{Applicability, Edit, Fix};
use crate::model::McpConfig;
use crate::model::compose::{GatewayFlag, gateway_flags};

use super::{FixAvailability, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reads the command of each compose service that runs Docker's MCP gateway
    /// (`docker/mcp-gateway`) and flags the flags that fail open:
    /// - `--verify-signatures=false`: server images run without their signatures checked;
    /// - `--block-secrets=false`: secrets pass to and from tools unfiltered;
    /// - `--allow-unauthenticated` on an HTTP transport (`--transport=sse|streaming`): any
    ///   caller that reaches the port gets every tool, with no `MCP_GATEWAY_AUTH_TOKEN`;
    /// - `--enable-all-servers`: every server of every catalog is started, not the ones named.
    ///
    /// Leaving a flag out is never reported: the gateway verifies signatures and blocks secrets
    /// by default, and requires its auth token on HTTP.
    ///
    /// ## Why is this bad?
    /// Each turns a gateway that fails closed into one that fails open. An unsigned or swapped
    /// image runs (OWASP LLM03), a token in a tool's answer reaches the model and its logs, an
    /// unauthenticated port hands the tools to anyone on the network, and a catalog's worth of
    /// servers is far more agency than any client needs (LLM06).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   gateway:
    ///     image: docker/mcp-gateway@sha256:…
    ///     command: [--transport=streaming, --servers=github-official, --verify-signatures=false]
    /// ```
    /// Use instead:
    /// ```yaml
    /// services:
    ///   gateway:
    ///     image: docker/mcp-gateway@sha256:…
    ///     command: [--transport=streaming, --servers=github-official]
    /// ```
    ///
    /// ## Fix
    /// Drops `--verify-signatures=false`, `--block-secrets=false` or `--allow-unauthenticated`,
    /// which restores the default. An image that was never signed, a tool that needs to see a
    /// secret or a client without the token then stops working, so the fix is unsafe.
    /// `--enable-all-servers` has no fix: only you know which servers to name in `--servers`.
    ///
    /// ## References
    /// - `docker/mcp-gateway` `cmd/docker-mcp/commands/gateway.go`: defaults
    ///   `VerifySignatures: true`, `BlockSecrets: true`; flags `--allow-unauthenticated`,
    ///   `--enable-all-servers`
    /// - OWASP Top 10 for LLM Applications 2025, LLM03 Supply Chain, LLM06 Excessive Agency
    pub struct DisabledSafeguard {
        id: "disabled-safeguard",
        summary: "A gateway's command turns off a protection that is on by default",
        severity: Severity::Warning,
        fix: FixAvailability::Sometimes,
    }
}

impl Rule for DisabledSafeguard {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, config: &McpConfig, findings: &mut Vec<Finding>) {
        if config.dialect != Dialect::DockerCompose {
            return;
        }
        for server in &config.servers {
            let flags = gateway_flags(config, server);
            let over_http = flags
                .iter()
                .any(|flag| flag.name == "transport" && flag.value.as_deref().is_some_and(|t| t != "stdio"));
            for flag in &flags {
                let Some(problem) = problem(flag, over_http) else {
                    continue;
                };
                let mut finding = Finding::new(
                    Self::INFO.id,
                    Self::INFO.default_severity,
                    format!("gateway `{}` {}", server.name, problem.what),
                    &flag.route,
                )
                .server(&server.name, &server.route)
                .label(problem.label)
                .help(problem.help);
                if flag.in_string {
                    finding = finding.subfeature(flag.text.clone());
                }
                if problem.drop_restores_default
                    && let Some(fix) = drop_flag(config, flag)
                {
                    finding = finding.fix(fix);
                }
                findings.push(finding);
            }
        }
    }
}

struct Problem {
    what: &'static str,
    label: &'static str,
    help: String,
    drop_restores_default: bool,
}

fn problem(flag: &GatewayFlag, over_http: bool) -> Option<Problem> {
    let enabled = flag.as_bool()?;
    match flag.name.as_str() {
        "verify-signatures" if !enabled => Some(Problem {
            what: "runs server images without verifying their signatures",
            label: "signature check off",
            help: format!("drop `{}`; the gateway verifies images by default", flag.text),
            drop_restores_default: true,
        }),
        "block-secrets" if !enabled => Some(Problem {
            what: "lets secrets pass to and from tools unfiltered",
            label: "secret blocking off",
            help: format!("drop `{}`; the gateway blocks secrets by default", flag.text),
            drop_restores_default: true,
        }),
        "allow-unauthenticated" if enabled && over_http => Some(Problem {
            what: "serves its tools over HTTP to any caller, without its auth token",
            label: "no authentication",
            help: format!("drop `{}` and give clients `MCP_GATEWAY_AUTH_TOKEN`", flag.text),
            drop_restores_default: true,
        }),
        "enable-all-servers" if enabled => Some(Problem {
            what: "starts every server of its catalogs",
            label: "every catalog server",
            help: format!(
                "replace `{}` with `--servers=<name>,<name>` naming only the servers the clients need",
                flag.text
            ),
            drop_restores_default: false,
        }),
        _ => None,
    }
}

/// Removes the flag: its list item, or the word and the space before (or after) it in a string.
fn drop_flag(config: &McpConfig, flag: &GatewayFlag) -> Option<Fix> {
    let edit = if flag.in_string {
        let line = config.value_at(&flag.route)?.as_str()?;
        let find = [format!(" {}", flag.text), format!("{} ", flag.text)]
            .into_iter()
            .find(|candidate| line.contains(candidate.as_str()))?;
        Edit::ReplaceInString {
            route: flag.route.clone(),
            find,
            replace: String::new(),
        }
    } else {
        Edit::Remove {
            route: flag.route.clone(),
        }
    };
    Some(Fix::new(
        format!("Drop `{}`", flag.text),
        Applicability::Unsafe,
        vec![edit],
    ))
}
