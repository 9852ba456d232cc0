//! Rules: one file each, reading only the server model and reporting findings by route.

mod auto_approved_tools;
mod bad_pinned_version;
mod conflicting_server;
mod dead_config;
mod deprecated_transport;
mod disabled_safeguard;
pub mod facts;
mod floating_dependencies;
mod inline_secret;
mod insecure_transport;
mod invalid_config;
mod lock_mismatch;
mod lookalike_package;
mod missing_launch_path;
mod missing_tool_allowlist;
mod pinned;
mod rbac_gap;
mod remote_without_auth;
mod suspicious_tool_description;
mod tool_definition_drift;
mod toxic_flow;
mod unexpanded_variable;
mod unknown_package;
mod unpinned_image;
mod unpinned_package;
mod young_pinned_version;

use crate::finding::{Finding, Severity};
use crate::model::{McpConfig, Server};
pub use conflicting_server::local_scope_project;
pub use facts::{
    LockFacts, ManagedPolicy, ProjectFiles, RecordedTools, RegistryFacts, Scope, SiblingLaunch, SiblingServer,
    ToolContext,
};
pub use toxic_flow::BY_DEFAULT as TOXIC_FLOW_BY_DEFAULT;

/// Whether a rule can offer fixes for its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    None,
    Sometimes,
    Always,
}

/// A rule's identity and documentation, captured from its doc comment by [`declare_rule!`].
#[derive(Debug)]
pub struct RuleInfo {
    /// The stable kebab-case id: users' configs and the JSON output depend on it.
    pub id: &'static str,
    /// One line: what the rule flags.
    pub summary: &'static str,
    pub default_severity: Severity,
    pub fix: FixAvailability,
    /// The rule's doc comment: What it does, Why is this bad?, Example, Fix, References.
    pub docs: &'static str,
}

impl RuleInfo {
    /// The documentation as Markdown, with the doc-comment indentation removed.
    pub fn documentation(&self) -> String {
        self.docs
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_owned()
    }
}

/// What a run knows beyond the file itself. A plain `check` never goes online: it knows only
/// what the lock beside the config recorded.
#[derive(Debug, Default, Clone, Copy)]
pub struct LintContext<'a> {
    /// Registry answers, when resolution was asked for (or `--offline` found them in the cache).
    pub registry: Option<&'a dyn RegistryFacts>,
    /// The lockfile beside this config, under `--locked`.
    pub lock: Option<LockCheck<'a>>,
    /// The servers' tools, as `probe` recorded them in the lock and as listed in this run.
    pub tools: Option<ToolContext<'a>>,
    /// How images must be pinned (`mcp-lint.toml`); None is the default policy.
    pub image_policies: Option<&'a crate::model::facts::ImagePolicies>,
    /// The repository of a project config, for the launch paths it names; None outside one.
    pub files: Option<&'a dyn ProjectFiles>,
    /// The servers of the run's project configs in the same repository, sorted by name.
    pub siblings: &'a [SiblingServer],
    /// The run's servers of the files a client merges by scope (the user's own file and the
    /// projects' files of Claude Code and Gemini CLI), sorted by name; empty unless the run
    /// holds a user's file and a project's file of one such client.
    pub scoped: &'a [SiblingServer],
    /// The config's path as the run shows it; None for a buffer or a config built in memory.
    pub path: Option<&'a std::path::Path>,
    /// The Claude Code managed settings of the run that set a server policy.
    pub policies: &'a [ManagedPolicy],
}

#[derive(Debug, Clone, Copy)]
pub enum LockCheck<'a> {
    /// No `mcp-lint.lock` beside the config.
    Missing,
    Present(&'a dyn LockFacts),
}

/// What a rule reads besides the file: it runs only in runs that have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// The file alone: every run.
    File,
    /// Registry answers: `--resolve`, `--fix --unsafe-fixes`.
    Registry,
    /// The lockfile: `--locked`.
    Lock,
}

pub trait Rule: Sync {
    fn info(&self) -> &'static RuleInfo;

    fn needs(&self) -> Needs {
        Needs::File
    }

    /// Checks the file with what the run knows beyond it (registry answers, the lockfile); rules
    /// that need neither implement [`Rule::check`] or [`Rule::check_server`] instead.
    fn check_in(&self, config: &McpConfig, _context: &LintContext, findings: &mut Vec<Finding>) {
        self.check(config, findings);
    }

    /// Checks the whole file; the default visits each server with [`Rule::check_server`].
    fn check(&self, config: &McpConfig, findings: &mut Vec<Finding>) {
        for server in &config.servers {
            self.check_server(config, server, findings);
        }
    }

    /// Checks one server; rules about single servers implement only this.
    fn check_server(&self, _config: &McpConfig, _server: &Server, _findings: &mut Vec<Finding>) {}
}

/// Declares a rule's unit struct and its [`RuleInfo`] from its doc comment.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            id: $id:literal,
            summary: $summary:literal,
            severity: $severity:expr,
            fix: $fix:expr $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const INFO: $crate::rules::RuleInfo = $crate::rules::RuleInfo {
                id: $id,
                summary: $summary,
                default_severity: $severity,
                fix: $fix,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
}
pub(crate) use declare_rule;

/// Every rule, in the order they are documented.
pub static ALL: &[&dyn Rule] = &[
    &unpinned_package::UnpinnedPackage,
    &unpinned_image::UnpinnedImage,
    &lookalike_package::LookalikePackage,
    &missing_tool_allowlist::MissingToolAllowlist,
    &auto_approved_tools::AutoApprovedTools,
    &inline_secret::InlineSecret,
    &insecure_transport::InsecureTransport,
    &unexpanded_variable::UnexpandedVariable,
    &deprecated_transport::DeprecatedTransport,
    &missing_launch_path::MissingLaunchPath,
    &conflicting_server::ConflictingServer,
    &remote_without_auth::RemoteWithoutAuth,
    &rbac_gap::RbacGap,
    &disabled_safeguard::DisabledSafeguard,
    &invalid_config::InvalidConfig,
    &dead_config::DeadConfig,
    &unknown_package::UnknownPackage,
    &bad_pinned_version::BadPinnedVersion,
    &young_pinned_version::YoungPinnedVersion,
    &floating_dependencies::FloatingDependencies,
    &lock_mismatch::LockMismatch,
    &suspicious_tool_description::SuspiciousToolDescription,
    &tool_definition_drift::ToolDefinitionDrift,
    &toxic_flow::ToxicFlow,
];

/// The rule that finds secrets; output masks what it finds even where it is not selected.
pub fn secret_rule() -> &'static dyn Rule {
    &inline_secret::InlineSecret
}

/// The rule with this id.
pub fn by_id(id: &str) -> Option<&'static dyn Rule> {
    ALL.iter().copied().find(|rule| rule.info().id == id)
}

/// Runs every rule in `rules` over `config`.
pub fn check_all(config: &McpConfig, rules: &[&dyn Rule], context: &LintContext) -> Vec<Finding> {
    let mut findings = Vec::new();
    for rule in rules {
        rule.check_in(config, context, &mut findings);
    }
    for finding in &mut findings {
        // A secret leaks and a broken entry breaks the file whether or not the server runs;
        // the rest matters once the server is enabled.
        let applies_when_disabled = matches!(finding.rule, "inline-secret" | "invalid-config");
        if !applies_when_disabled
            && config
                .server_containing(&finding.primary.route)
                .is_some_and(|server| server.disabled)
        {
            finding.severity = finding.severity.min(Severity::Info);
            finding.message.push_str(" (the server is disabled)");
            finding.server_disabled = true;
        }
    }
    findings
}

/// The shape problems of the file that the client refuses (`ignored` false: invalid-config) or
/// reads past (`ignored` true: dead-config), as findings of the rule `info`.
pub(crate) fn shape_findings<'a>(
    config: &'a McpConfig,
    info: &'static RuleInfo,
    ignored: bool,
) -> impl Iterator<Item = Finding> + 'a {
    config
        .shape_problems
        .iter()
        .filter(move |p| p.ignored == ignored)
        .map(|problem| {
            let finding = Finding::new(info.id, info.default_severity, problem.message.clone(), &problem.route)
                .label(problem.label);
            if problem.on_key { finding.on_key() } else { finding }
        })
}

/// The schema issues of that kind that no shape problem already says.
pub(crate) fn unreported_schema_issues(
    config: &McpConfig,
    ignored: bool,
) -> impl Iterator<Item = &crate::schema::SchemaIssue> {
    config
        .schema_issues()
        .iter()
        .filter(move |issue| issue.ignored == ignored)
        .filter(|issue| !config.shape_problems.iter().any(|p| p.route == issue.route))
}

/// The README's rule table, generated from the rules themselves (a test keeps the README current).
pub fn markdown_table() -> String {
    let mut table = String::from("| Rule | Default severity | Fix | What it flags |\n|---|---|---|---|\n");
    for rule in ALL {
        let info = rule.info();
        let fix = match info.fix {
            FixAvailability::None => "",
            FixAvailability::Sometimes => "sometimes",
            FixAvailability::Always => "yes",
        };
        table.push_str(&format!(
            "| `{}` | {} | {fix} | {} |\n",
            info.id,
            info.default_severity.name(),
            info.summary
        ));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rule ids are unique, kebab-case, and every rule documents the required sections.
    #[test]
    fn ids_unique_and_documented() {
        let mut ids: Vec<&str> = ALL.iter().map(|r| r.info().id).collect();
        ids.sort_unstable();
        let count = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), count, "duplicate rule ids");
        for rule in ALL {
            let info = rule.info();
            assert!(
                info.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} is not kebab-case",
                info.id
            );
            let docs = info.documentation();
            assert!(!info.summary.ends_with('.'), "{}: summaries are phrases", info.id);
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Fix",
                "## References",
            ] {
                assert!(docs.contains(section), "{} lacks {section}", info.id);
            }
        }
    }

    /// The README's rule table is the one the rules generate.
    #[test]
    fn readme_rule_table_is_current() {
        let readme = include_str!("../../README.md");
        let begin = "<!-- rules:begin -->\n";
        let start = readme.find(begin).expect("README has <!-- rules:begin -->") + begin.len();
        let end = readme
            .find("<!-- rules:end -->")
            .expect("README has <!-- rules:end -->");
        let table = markdown_table();
        if readme[start..end] != table && std::env::var_os("MCP_LINT_BLESS").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
            let updated = format!("{}{table}{}", &readme[..start], &readme[end..]);
            std::fs::write(path, updated).expect("README.md is writable");
            return;
        }
        assert_eq!(
            &readme[start..end],
            table,
            "README rule table is stale: run `MCP_LINT_BLESS=1 cargo test --lib readme_rule_table`"
        );
    }
}
