//! `conflicting-server`: two clients' project files of one repository define a server of the
//! same name that launches something else.

use crate::dialect::Dialect;
use crate::finding::{Finding, Severity};
use crate::model::{McpConfig, Server};

use super::{FixAvailability, LintContext, Rule, RuleInfo, Scope, SiblingLaunch, declare_rule};

declare_rule! {
    /// ## What it does
    /// Compares the servers of the project configs of one repository that different clients
    /// read (`.mcp.json` for Claude Code, `.cursor/mcp.json`, `.vscode/mcp.json`,
    /// `.gemini/settings.json`, ...): a server name that two of them define, launching another
    /// package, another version of the same package (or one pinned and one floating), or a
    /// remote on another host, is reported in each file, naming the other.
    ///
    /// Only what can be compared without guessing is compared: registry packages and images by
    /// name and version, remotes by host. Local commands, arguments and environments differ
    /// between clients in syntax alone (`${env:X}` against `${X}`) and are not compared. Only
    /// files of one run and one project are compared: one git repository, and one folder the
    /// clients open (the one holding `.mcp.json`, `.cursor/`, `.vscode/`), so the projects of
    /// a monorepo are each their own.
    ///
    /// In `~/.claude.json`, a project's local-scope server (`projects.<path>.mcpServers`) that
    /// a user-scope server of the same name also defines, differently, replaces it in that
    /// project (local scope overrides user scope): a warning at the local one.
    ///
    /// With `check --user PATHS`, the user's own files meet the projects' files of the same
    /// client: a project's server replaces the user-scope server of that name (Claude Code's
    /// `.mcp.json` over `~/.claude.json`; Gemini CLI's trusted `.gemini/settings.json` over
    /// `~/.gemini/settings.json`, whose `mcpServers` it merges name by name, as
    /// `@google/gemini-cli` 0.61.0's settings schema says), and a project's local-scope server in
    /// `~/.claude.json` replaces the project's `.mcp.json` one: a warning at the one that wins.
    /// Clients whose merging is not known (Cursor's, VS Code's) are not compared this way.
    ///
    /// A repository that publishes its server (`server.json`) and launches it from its own
    /// client configs at another version, or floating, is told so (info), naming the published
    /// version.
    ///
    /// Claude Code also reads the `.mcp.json` of every folder from the filesystem's root down to
    /// where it runs and merges them, nearer files overriding farther ones: a server that a
    /// subproject's `.mcp.json` defines again, differently, silently replaces the repository's
    /// (a warning, in the nearer file).
    ///
    /// ## Why is this bad?
    /// The team believes "the `github` server" is one thing; each client runs its own. A
    /// version pinned and reviewed in one file is floating in the other, and an upgrade made in
    /// one is missing from the other.
    ///
    /// ## Example
    /// `.mcp.json`:
    /// ```json
    /// { "mcpServers": { "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"] } } }
    /// ```
    /// `.cursor/mcp.json`:
    /// ```json
    /// { "mcpServers": { "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"] } } }
    /// ```
    /// Use the same pinned version in both.
    ///
    /// ## Fix
    /// None: which of the two is meant is the team's choice.
    ///
    /// ## References
    /// - DIALECTS.md: where each client reads its project's servers, keyed by name; Claude
    ///   Code's `.mcp.json` chain (every directory from the root down to the cwd, nearer wins)
    /// - OWASP LLM03 (supply chain): one reviewed pin, not one per client
    pub struct ConflictingServer {
        id: "conflicting-server",
        summary: "Two clients' project files run different servers under one name",
        severity: Severity::Info,
        fix: FixAvailability::None,
    }
}

impl Rule for ConflictingServer {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_in(&self, config: &McpConfig, context: &LintContext, findings: &mut Vec<Finding>) {
        if config.dialect == Dialect::ClaudeCode {
            local_over_user_scope(config, findings);
        }
        across_scopes(config, context, findings);
        let Some(files) = context.files.filter(|_| !context.siblings.is_empty()) else {
            return;
        };
        let project = files.project();
        // Only the `.mcp.json` files of the folders above are merged (not `~/.claude.json`).
        let in_mcp_json_chain =
            config.dialect == Dialect::ClaudeCode && context.tools.is_some_and(|tools| tools.config == ".mcp.json");
        for server in &config.servers {
            let Some(launch) = SiblingLaunch::of(server) else {
                continue;
            };
            // What this repository publishes in its server.json, launched here at another version.
            for published in context.siblings.iter().filter(|o| o.dialect == Dialect::ServerJson) {
                if let (
                    SiblingLaunch::Package { name, text, .. },
                    SiblingLaunch::Package {
                        name: published_name,
                        text: published_text,
                        ..
                    },
                ) = (&launch, &published.launch)
                    && name == published_name
                    && text != published_text
                    && config.dialect != Dialect::ServerJson
                {
                    findings.push(
                        Finding::new(
                            ConflictingServer::INFO.id,
                            ConflictingServer::INFO.default_severity,
                            format!(
                                "server `{}` launches `{text}`, but this repository's `{}:{}` publishes `{published_text}`",
                                server.name,
                                published.file.display(),
                                published.line
                            ),
                            &server.route,
                        )
                        .on_key()
                        .server(&server.name, &server.route)
                        .label("another version than the one published")
                        .help("launch the version the server.json publishes, so that the repository runs what its users install"),
                    );
                }
            }
            // Sorted by name: the namesakes are one run of the slice.
            let from = context.siblings.partition_point(|o| o.name < server.name);
            let namesakes = context.siblings[from..]
                .iter()
                .take_while(|o| o.name == server.name)
                .filter(|o| o.dialect != Dialect::ServerJson);
            for other in namesakes.filter(|o| o.launch != launch) {
                let relation = if other.dialect.client() != config.dialect.client() && other.project == project {
                    Relation::OtherClient
                } else if in_mcp_json_chain
                    && other.file.file_name().is_some_and(|name| name == ".mcp.json")
                    && other.project != project
                    && project.starts_with(&other.project)
                {
                    Relation::Replaces
                } else {
                    continue;
                };
                findings.push(finding(server, &launch, other, relation));
            }
        }
    }
}

/// The project a local-scope server of `~/.claude.json` is defined for
/// (`projects.<path>.mcpServers`); None for any other server.
pub fn local_scope_project(server: &Server) -> Option<&str> {
    use crate::dialect::route::Component;
    match server.route.components() {
        [Component::Key(first), Component::Key(project), ..] if first == "projects" => Some(project),
        _ => None,
    }
}

/// `~/.claude.json`: a project's local-scope server (`projects.<path>.mcpServers`) of the same
/// name as a user-scope one (top-level `mcpServers`) replaces it in that project (Claude Code's
/// scopes: local over project over user), reported at the local one when they differ.
fn local_over_user_scope(config: &McpConfig, findings: &mut Vec<Finding>) {
    for local in &config.servers {
        let Some(project) = local_scope_project(local) else {
            continue;
        };
        let user = config
            .servers
            .iter()
            .find(|user| user.name == local.name && local_scope_project(user).is_none());
        let (Some(user), Some(launch)) = (user, SiblingLaunch::of(local)) else {
            continue;
        };
        let Some(user_launch) = SiblingLaunch::of(user).filter(|other| *other != launch) else {
            continue;
        };
        let difference = difference(&launch, &user_launch);
        let mut finding = Finding::new(
            ConflictingServer::INFO.id,
            Severity::Warning,
            format!(
                "server `{}` of `{project}` replaces the user-scope server of that name when Claude Code runs there (local scope overrides user scope), with {difference}",
                local.name
            ),
            &local.route,
        )
        .on_key()
        .server(&local.name, &local.route)
        .label("replaces the user-scope server")
        .help("give one of them another name, or remove the one that is not meant");
        finding.related.push(crate::finding::Location {
            route: user.route.clone(),
            on_key: true,
            subfeature: None,
            label: "the user-scope server it replaces".into(),
        });
        findings.push(finding);
    }
}

/// Across the files of one client that merges scopes by name (a run of `check --user` and a
/// project): a project's server replaces the user's server of that name, and a local-scope
/// server of `~/.claude.json` replaces the one of the project's `.mcp.json`; each reported at
/// the one that wins, when they launch different things.
fn across_scopes(config: &McpConfig, context: &LintContext, findings: &mut Vec<Finding>) {
    let Some(path) = context.path.filter(|_| !context.scoped.is_empty()) else {
        return;
    };
    let client = config.dialect.client();
    for server in &config.servers {
        let Some(launch) = SiblingLaunch::of(server) else {
            continue;
        };
        let from = context.scoped.partition_point(|o| o.name < server.name);
        let namesakes = &context.scoped[from..];
        let namesakes = &namesakes[..namesakes.partition_point(|o| o.name == server.name)];
        let local = local_scope_project(server);
        let Some(this) = namesakes.iter().find(|o| {
            o.file == path
                && match local {
                    Some(project) => o.scope == Scope::Local && o.project == std::path::Path::new(project),
                    None => o.scope != Scope::Local,
                }
        }) else {
            continue;
        };
        for other in namesakes
            .iter()
            .filter(|o| o.file != path && o.dialect == config.dialect && o.launch != launch)
        {
            let difference = difference(&launch, &other.launch);
            let place = format!("`{}:{}`", other.file.display(), other.line);
            let message = match (this.scope, other.scope) {
                (Scope::Project, Scope::User) => format!(
                    "server `{}` replaces the user-scope server of {place} when {client} runs in this project ({}), with {difference}",
                    server.name,
                    if config.dialect == Dialect::Gemini {
                        "a trusted folder's settings override the user's"
                    } else {
                        "project scope overrides user scope"
                    }
                ),
                (Scope::Local, Scope::Project) if this.project.starts_with(&other.project) => format!(
                    "server `{}` of `{}` replaces the project's server of {place} when {client} runs there (local scope overrides project scope), with {difference}",
                    server.name,
                    this.project.display()
                ),
                _ => continue,
            };
            findings.push(
                Finding::new(ConflictingServer::INFO.id, Severity::Warning, message, &server.route)
                    .on_key()
                    .server(&server.name, &server.route)
                    .label("replaces a server of another scope")
                    .help("give one of them another name, or remove the one that is not meant"),
            );
        }
    }
}

/// How the other definition meets this one.
enum Relation {
    /// Another client's file of the same project: each client runs its own.
    OtherClient,
    /// A farther `.mcp.json` that Claude Code merges with this nearer one: this one wins.
    Replaces,
}

fn finding(server: &Server, launch: &SiblingLaunch, other: &super::SiblingServer, relation: Relation) -> Finding {
    let difference = difference(launch, &other.launch);
    let place = format!("`{}:{}`", other.file.display(), other.line);
    let (severity, message, help) = match relation {
        Relation::OtherClient => (
            ConflictingServer::INFO.default_severity,
            format!(
                "server `{}` is also defined for {} in {place}, with {difference}",
                server.name,
                other.dialect.client()
            ),
            "make the two definitions launch the same thing (the same pinned version), or give them different names",
        ),
        Relation::Replaces => (
            Severity::Warning,
            format!(
                "server `{}` silently replaces the one of {place} when Claude Code runs in this folder or below (nearer `.mcp.json` files override farther ones), with {difference}",
                server.name
            ),
            "give one of them another name, or define the server once in the farther file",
        ),
    };
    Finding::new(ConflictingServer::INFO.id, severity, message, &server.route)
        .on_key()
        .server(&server.name, &server.route)
        .label("defined differently elsewhere")
        .help(help)
}

/// What differs between two launches, for a message.
fn difference(launch: &SiblingLaunch, other: &SiblingLaunch) -> String {
    match (launch, other) {
        (
            SiblingLaunch::Package { name, text, .. },
            SiblingLaunch::Package {
                name: other_name,
                text: other_text,
                ..
            },
        ) if name == other_name => {
            format!("another version: `{text}` here, `{other_text}` there")
        }
        (SiblingLaunch::Package { text, .. }, SiblingLaunch::Package { text: other_text, .. }) => {
            format!("another package: `{text}` here, `{other_text}` there")
        }
        (SiblingLaunch::Remote { host }, SiblingLaunch::Remote { host: other_host }) => {
            format!("another host: `{host}` here, `{other_host}` there")
        }
        (SiblingLaunch::Package { text, .. }, SiblingLaunch::Remote { host }) => {
            format!("another server: the package `{text}` here, a remote at `{host}` there")
        }
        (SiblingLaunch::Remote { host }, SiblingLaunch::Package { text, .. }) => {
            format!("another server: a remote at `{host}` here, the package `{text}` there")
        }
    }
}
