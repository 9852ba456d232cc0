//! What a run knows beyond the file, as the rules read it: registry answers and the lockfile,
//! behind read-only traits that the resolver implements, so that a rule reads plain data and can
//! be tested with a table in memory.

use std::fmt::{Debug, Display};

use crate::model::facts::{PackageInfo, Pick, Policy};
use crate::model::tools::ToolListing;
use crate::model::{Ecosystem, PackageRef};
use crate::poison::ToolText;

/// Registry answers gathered before the rules run.
pub trait RegistryFacts: Debug + Sync {
    /// What the registry says of a package: None when it was not asked, an error when it could
    /// not answer.
    fn package(&self, ecosystem: Ecosystem, name: &str) -> Option<Result<&PackageInfo, &dyn Display>>;

    /// The release a floating package would be pinned to (verified), or why none can be.
    fn pin(&self, package: &PackageRef) -> Option<Result<&Pick, &dyn Display>>;

    /// The digest an image's tag serves now, or why it could not be read.
    fn image_digest(&self, package: &PackageRef) -> Option<Result<&str, &dyn Display>>;

    /// The release-age policy the answers were judged by.
    fn policy(&self) -> Option<&Policy>;

    /// Whether the registry answered that this package does not exist (HTTP 404).
    fn not_found(&self, ecosystem: Ecosystem, name: &str) -> bool;
}

/// The repository a project config sits in, as far as a launch path needs it.
pub trait ProjectFiles: Debug + Sync {
    /// The folders a relative launch path may be relative to, as shown to the user (the
    /// config's folder and each one above it up to the repository's root: clients start
    /// servers from the project's root, which is one of them).
    fn bases(&self) -> Vec<String>;

    /// Whether `relative` (relative to `cwd`, itself relative to a base, when the server sets
    /// one) names something under one of the bases, or a path the repository ignores (a build
    /// output or an installed tool, made on each machine and never committed).
    fn accounts_for(&self, relative: &str, cwd: Option<&str>) -> bool;

    /// The folder the client opens for this config: the one holding it, or its client's
    /// dot-folder (`.cursor/`, `.vscode/`, `.kiro/settings/`).
    fn project(&self) -> &std::path::Path;
}

/// What a server of another project config of the same repository launches, for comparing a
/// server name that two files define (two clients' files of one project, or two `.mcp.json`
/// files that Claude Code merges).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiblingServer {
    /// The file that defines it (as the run shows it), its line, and the dialect it is read as.
    pub file: std::path::PathBuf,
    pub line: usize,
    pub dialect: crate::dialect::Dialect,
    /// The project folder of that file (see [`ProjectFiles::project`]); for a local-scope
    /// server, the project it is defined for; empty for a user-scope server.
    pub project: std::path::PathBuf,
    pub name: String,
    pub launch: SiblingLaunch,
    /// Where the client reads it from, when it merges scopes by server name.
    pub scope: Scope,
}

/// The scopes a client merges by server name (Claude Code: local over project over user;
/// Gemini CLI: project over user), each name taken from the strongest scope that has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The user's own file, in force in every project (`~/.claude.json`'s top-level
    /// `mcpServers`, `~/.gemini/settings.json`).
    User,
    /// A project's file (`.mcp.json`, `.gemini/settings.json`, every other client's).
    Project,
    /// A project's entry in the user's own file (`~/.claude.json`'s
    /// `projects.<path>.mcpServers`).
    Local,
}

/// What identifies a launch across clients: only what can be compared and shown without a
/// secret (a registry package and its version, a remote's host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiblingLaunch {
    /// A registry package or image: its ecosystem, name and the version text as written.
    Package {
        ecosystem: Ecosystem,
        name: String,
        text: String,
    },
    /// A remote server's host.
    Remote { host: String },
}

impl SiblingLaunch {
    /// What `server` launches, when it is comparable: a package from a registry (not a git or
    /// URL source, whose text may carry a token), or a remote with a host.
    pub fn of(server: &crate::model::Server) -> Option<Self> {
        if let Some(remote) = server.remote() {
            let host = crate::model::url::parse(&remote.url.value)?.host.to_ascii_lowercase();
            return Some(Self::Remote { host });
        }
        let package = server.launch.as_ref()?.package.as_ref()?;
        if matches!(
            package.spec,
            crate::model::VersionSpec::Git { .. } | crate::model::VersionSpec::Url(_)
        ) {
            return None;
        }
        Some(Self::Package {
            ecosystem: package.ecosystem,
            name: package.name.clone(),
            text: package.text.clone(),
        })
    }

    /// What a server.json package publishes, written as its runner would launch it
    /// (`@acme/weather-mcp@1.4.2`, `acme-weather-mcp==1.4.2`): npm and PyPI packages only.
    pub fn published(package: &serde_json::Value) -> Option<Self> {
        let text = |key: &str| package.get(key).and_then(serde_json::Value::as_str);
        let (ecosystem, separator) = match text("registryType")? {
            "npm" => (Ecosystem::Npm, "@"),
            "pypi" => (Ecosystem::PyPi, "=="),
            _ => return None,
        };
        let name = text("identifier")?.to_owned();
        let text = match text("version") {
            Some(version) => format!("{name}{separator}{version}"),
            None => name.clone(),
        };
        Some(Self::Package { ecosystem, name, text })
    }
}

/// Claude Code's managed settings of one folder of the run (`managed-settings.json` and the
/// drop-ins of `managed-settings.d`, read as one): the organisation's server policy, which every
/// Claude Code config of the run is under.
#[derive(Debug, Clone)]
pub struct ManagedPolicy {
    /// The files, as the run shows them: the base file first, then the drop-ins by name. An
    /// entry's `source` indexes this list.
    pub files: Vec<std::path::PathBuf>,
    /// Their policy, merged as Claude Code merges them.
    pub policy: crate::model::policy::ServerPolicy,
    /// The line of each list entry and of each list key, by file and route, for messages.
    pub lines: Vec<(usize, crate::dialect::Route, usize)>,
}

impl ManagedPolicy {
    /// `file:line` of the value at `route` in the managed file `source`.
    pub fn place(&self, source: usize, route: &crate::dialect::Route) -> String {
        let line = self
            .lines
            .iter()
            .find(|(file, r, _)| *file == source && r == route)
            .map_or(1, |(_, _, line)| *line);
        let file = self.files.get(source).or(self.files.first());
        format!("{}:{line}", file.map(|f| f.display().to_string()).unwrap_or_default())
    }

    /// `file:line` of every file of the policy that sets `key`, joined with "and".
    pub fn places_of_key(&self, key: &str) -> String {
        let route = crate::dialect::Route::root().key(key);
        let places: Vec<String> = (0..self.files.len())
            .filter(|source| self.lines.iter().any(|(file, r, _)| file == source && *r == route))
            .map(|source| self.place(source, &route))
            .collect();
        if places.is_empty() {
            self.place(0, &route)
        } else {
            places.join(" and ")
        }
    }
}

/// The `mcp-lint.lock` beside a config, as the rules read it.
pub trait LockFacts: Debug + Sync {
    /// Whether the lock records this exact package version.
    fn has_package(&self, ecosystem: Ecosystem, name: &str, version: &str) -> bool;

    /// The versions the lock records for a package.
    fn versions(&self, ecosystem: Ecosystem, name: &str) -> Vec<&str>;

    /// The name an image is locked under (`nginx` -> `docker.io/library/nginx`).
    fn image_name(&self, image: &str) -> String;

    /// Whether the lock records this image at this digest.
    fn has_image(&self, name: &str, digest: &str) -> bool;
}

/// What `mcp-lint probe` recorded in the lock of the tools each server listed.
pub trait RecordedTools: Debug + Sync {
    /// The listing recorded for the server `server` of the config file named `config` (beside
    /// the lock).
    fn recorded(&self, config: &str, server: &str) -> Option<ToolListing>;

    /// The same tools as the text the poisoning detector reads, borrowed from the lock: a lock of
    /// thousands of tools is read once, without a tree built for each schema.
    fn recorded_texts(&self, config: &str, server: &str) -> Option<Vec<ToolText<'_>>>;
}

/// The tool listings of one config's servers: recorded by an earlier probe, and (under
/// `probe --check`) answered by the servers in this run.
#[derive(Debug, Clone, Copy)]
pub struct ToolContext<'a> {
    /// The config's file name, which names its servers in the lock.
    pub config: &'a str,
    pub recorded: Option<&'a dyn RecordedTools>,
    /// Server name -> what it listed now; None when this run probed nothing.
    pub current: Option<&'a std::collections::HashMap<String, ToolListing>>,
}

impl<'a> ToolContext<'a> {
    pub fn recorded(&self, server: &str) -> Option<ToolListing> {
        self.recorded?.recorded(self.config, server)
    }

    pub fn current(&self, server: &str) -> Option<&ToolListing> {
        self.current?.get(server)
    }

    /// What the server lists now if this run asked it, else what the lock recorded.
    pub fn listing(&self, server: &str) -> Option<ToolListing> {
        self.current(server).cloned().or_else(|| self.recorded(server))
    }

    /// [`Self::listing`] as the text the poisoning detector reads, borrowed.
    pub fn texts(&self, server: &str) -> Option<Vec<ToolText<'a>>> {
        match self.current.and_then(|current| current.get(server)) {
            Some(listing) => Some(listing.tools.iter().map(ToolText::from).collect()),
            None => self.recorded?.recorded_texts(self.config, server),
        }
    }
}
