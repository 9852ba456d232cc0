//! Settings: the one value a run is configured by, built once from the command line,
//! `mcp-lint.toml` and the environment, then passed down to every stage.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use thiserror::Error;

use crate::dialect::Dialect;
use crate::finding::Severity;
use crate::project_config::{self, ConfigError, ProjectConfig};
use crate::resolve::cache::Cache;
use crate::resolve::http::HttpOptions;
use crate::rules::{self, Rule};

/// The environment as the run started, read once: no stage reads `std::env` itself.
#[derive(Clone, Default)]
pub struct Environment {
    vars: BTreeMap<String, String>,
    pub cwd: PathBuf,
    pub home: Option<PathBuf>,
    /// Whether stdin, stderr and stdout are terminals (the wizard, progress and colour depend
    /// on them).
    pub stdin_is_terminal: bool,
    pub stderr_is_terminal: bool,
    pub stdout_is_terminal: bool,
}

impl std::fmt::Debug for Environment {
    // Variables hold tokens: only their number is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment")
            .field("vars", &self.vars.len())
            .field("cwd", &self.cwd)
            .finish_non_exhaustive()
    }
}

impl Environment {
    /// The process's environment, working directory and terminals.
    pub fn capture() -> Self {
        use std::io::IsTerminal;
        Self {
            vars: std::env::vars().collect(),
            cwd: std::env::current_dir().unwrap_or_default(),
            home: dirs::home_dir(),
            stdin_is_terminal: std::io::stdin().is_terminal(),
            stderr_is_terminal: std::io::stderr().is_terminal(),
            stdout_is_terminal: std::io::stdout().is_terminal(),
        }
    }

    /// An environment with only these variables (tests, the in-process harness).
    pub fn from_vars<'a>(vars: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Self {
            vars: vars.into_iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect(),
            ..Self::default()
        }
    }

    pub fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    fn is_set(&self, name: &str) -> bool {
        self.vars.contains_key(name)
    }
}

/// The largest config file read unless `--max-file-size` says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 << 20;

/// What a fixing run does with the fixed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    /// Report only.
    Off,
    /// `--fix`: write the files (or, reading stdin, print the fixed text).
    Write,
    /// `--diff`: print what `--fix` would change, write nothing.
    Diff,
}

/// Why the settings could not be built: exit 2 before any file is read.
#[derive(Debug, Error)]
pub enum SettingsError {
    #[error(transparent)]
    Project(#[from] ConfigError),
    #[error("unknown rule `{0}`; `mcp-lint rules` lists them")]
    UnknownRule(String),
}

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// rustc-style snippets with the offending value underlined.
    #[default]
    Human,
    /// One JSON document (version 1), documented in the README.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
    /// Markdown (`audit` only).
    Markdown,
    /// One self-contained HTML page (`audit` only).
    Html,
}

impl Format {
    /// The formats that show each finding's fix as edits.
    pub fn shows_fix_edits(self) -> bool {
        matches!(self, Format::Json | Format::Sarif)
    }

    /// The formats `check` prints; the others are reports of `audit`.
    pub fn is_check_format(self) -> bool {
        !matches!(self, Format::Markdown | Format::Html)
    }
}

/// What the command line (or an editor's settings) asks of a run, before mcp-lint.toml and the
/// environment are applied: plain data, so that the library never sees the command line's types.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub format: Format,
    pub dialect: Option<Dialect>,
    pub fail_on: Option<Severity>,
    pub stdin_filename: Option<PathBuf>,
    pub offline: bool,
    pub resolve: bool,
    pub locked: bool,
    pub min_release_age: Option<Duration>,
    pub max_file_size: Option<u64>,
    /// Do not look for mcp-lint.toml.
    pub no_config: bool,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub fix: bool,
    pub unsafe_fixes: bool,
    pub diff: bool,
    pub show_fixes: bool,
    pub verbose: bool,
    pub user: bool,
    /// Colour forced on or off; None colours when stdout is a terminal and NO_COLOR is unset.
    pub color: Option<bool>,
}

/// Everything a run is configured by.
#[derive(Clone)]
pub struct Settings {
    pub format: Format,
    /// Read every file as this dialect instead of detecting it.
    pub dialect: Option<Dialect>,
    pub fail_on: Severity,
    /// With `-` as the path: the name that gives stdin its dialect.
    pub stdin_filename: Option<PathBuf>,
    pub offline: bool,
    /// `--resolve`: ask the registries even without pinning.
    pub resolve: bool,
    pub locked: bool,
    pub min_release_age: Duration,
    /// Files larger than this are refused (`--max-file-size`).
    pub max_file_size: u64,
    /// The rules this run runs, after `--select`, `--ignore` and mcp-lint.toml.
    pub rules: Vec<&'static dyn Rule>,
    /// The project configuration (`[[ignores]]`, severities, registries), when one was found.
    pub project: Option<Arc<ProjectConfig>>,
    pub fix: FixMode,
    pub unsafe_fixes: bool,
    pub show_fixes: bool,
    /// Say which walked files were left out, and why.
    pub verbose: bool,
    /// Check the user's configs at their clients' standard locations instead of paths.
    pub user: bool,
    /// Colour the human output.
    pub color: bool,
    pub environment: Environment,
}

impl Settings {
    /// Settings for a run with these command-line options in `environment`; mcp-lint.toml is
    /// found by walking up from the working directory unless `--no-config`.
    pub fn new(options: &Options, environment: Environment) -> Result<Self, SettingsError> {
        let project = if options.no_config {
            None
        } else {
            project_config::discover(&environment.cwd)?.map(|(_, config)| Arc::new(config))
        };
        Self::with_project(options, project, environment)
    }

    /// Settings with the given project configuration (or none), not looked up on disk.
    pub fn with_project(
        options: &Options,
        project: Option<Arc<ProjectConfig>>,
        environment: Environment,
    ) -> Result<Self, SettingsError> {
        let rules = selected_rules(&options.select, &options.ignore, project.as_deref())?;
        let fix = if options.diff {
            FixMode::Diff
        } else if options.fix {
            FixMode::Write
        } else {
            FixMode::Off
        };
        let color = options
            .color
            .unwrap_or_else(|| environment.stdout_is_terminal && !environment.is_set("NO_COLOR"));
        Ok(Self {
            format: options.format,
            dialect: options.dialect,
            fail_on: options
                .fail_on
                .or_else(|| project.as_ref().and_then(|p| p.fail_on))
                .unwrap_or(Severity::Warning),
            stdin_filename: options.stdin_filename.clone(),
            offline: options.offline,
            resolve: options.resolve,
            locked: options.locked,
            min_release_age: options
                .min_release_age
                .or_else(|| project.as_ref().and_then(|p| p.min_release_age))
                .unwrap_or(crate::resolve::DEFAULT_MIN_RELEASE_AGE),
            max_file_size: options.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
            rules,
            project,
            fix,
            unsafe_fixes: options.unsafe_fixes,
            show_fixes: options.show_fixes,
            verbose: options.verbose,
            user: options.user,
            color,
            environment,
        })
    }

    pub fn fixing(&self) -> bool {
        self.fix != FixMode::Off
    }

    /// Whether this run needs registry answers: to pin (`--fix --unsafe-fixes`) or because the
    /// user asked (`--resolve`). With `--offline` too, they come from the cache alone.
    pub fn wants_registry(&self) -> bool {
        self.resolve || self.pins()
    }

    /// Whether fixes may pin packages and images (which needs the registries): unsafe fixes with
    /// a pinning rule selected (`--select missing-tool-allowlist --fix --unsafe-fixes` stays
    /// offline).
    pub fn pins(&self) -> bool {
        self.fixing()
            && self.unsafe_fixes
            && self
                .rules
                .iter()
                .any(|rule| matches!(rule.info().id, "unpinned-package" | "unpinned-image"))
    }

    /// The HTTP client's options: the defaults, with `MCP_LINT_HTTP_TIMEOUT_MS`,
    /// `MCP_LINT_HTTP_BACKOFF_MS`, `MCP_LINT_MAX_DOCUMENT_BYTES` and `MCP_LINT_CACHE_TTL_SECS`
    /// for slow networks, strict freshness, and the fault-injection tests.
    pub fn http_options(&self) -> HttpOptions {
        let number = |name: &str| self.environment.var(name).and_then(|v| v.trim().parse::<u64>().ok());
        let defaults = HttpOptions::default();
        HttpOptions {
            offline: self.offline,
            timeout: number("MCP_LINT_HTTP_TIMEOUT_MS").map_or(defaults.timeout, Duration::from_millis),
            backoff: number("MCP_LINT_HTTP_BACKOFF_MS").map_or(defaults.backoff, Duration::from_millis),
            max_document: number("MCP_LINT_MAX_DOCUMENT_BYTES").unwrap_or(defaults.max_document),
            ttl: number("MCP_LINT_CACHE_TTL_SECS").map_or(defaults.ttl, Duration::from_secs),
            ..defaults
        }
    }

    /// The response cache: `MCP_LINT_CACHE_DIR`, else the platform's cache directory.
    pub fn cache(&self) -> Option<Cache> {
        match self.environment.var("MCP_LINT_CACHE_DIR") {
            Some(dir) => Some(Cache::new(PathBuf::from(dir))),
            None => dirs::cache_dir().map(|d| Cache::new(d.join("mcp-lint"))),
        }
    }

    /// The user's registry settings; `[registries]` in mcp-lint.toml applies where the
    /// environment does not name one (the environment is the user's, the file the project's
    /// default).
    pub fn registries(&self) -> crate::resolve::settings::Settings {
        let env = &self.environment;
        let mut settings = crate::resolve::settings::Settings::from_sources(
            &env.cwd,
            &|name| env.var(name).map(str::to_owned),
            env.home.clone(),
        );
        if let Some(project) = self.project.as_deref() {
            if let Some(npm) = &project.registries.npm
                && !env.is_set("NPM_CONFIG_REGISTRY")
                && !env.is_set("npm_config_registry")
            {
                settings.npm_registry = npm.clone();
            }
            if let Some(pypi) = &project.registries.pypi
                && !["UV_DEFAULT_INDEX", "UV_INDEX_URL", "PIP_INDEX_URL"]
                    .iter()
                    .any(|v| env.is_set(v))
            {
                settings.pypi_index = pypi.clone();
            }
        }
        settings
    }

    /// The directory the project configuration's paths are relative to.
    pub fn project_dir(&self) -> Option<&Path> {
        self.project
            .as_deref()
            .map(|p| p.path.parent().unwrap_or(Path::new("")))
    }
}

/// The rules a run runs: `--select` (else mcp-lint.toml's choice), minus `--ignore`.
fn selected_rules(
    select: &[String],
    ignore: &[String],
    project: Option<&ProjectConfig>,
) -> Result<Vec<&'static dyn Rule>, SettingsError> {
    if let Some(unknown) = select.iter().chain(ignore).find(|id| rules::by_id(id).is_none()) {
        return Err(SettingsError::UnknownRule(unknown.clone()));
    }
    // The command line decides where it speaks; mcp-lint.toml decides the rest.
    Ok(rules::ALL
        .iter()
        .copied()
        .filter(|rule| {
            let id = rule.info().id;
            if select.is_empty() {
                project.is_none_or(|p| p.rule_enabled(id))
            } else {
                select.iter().any(|s| s == id)
            }
        })
        .filter(|rule| !ignore.iter().any(|id| id == rule.info().id))
        .collect())
}

impl Settings {
    /// The defaults of a plain `mcp-lint check` with no mcp-lint.toml and an empty environment:
    /// every rule, offline, human output without colour, nothing fixed.
    pub fn defaults() -> Self {
        Self {
            format: Format::Human,
            dialect: None,
            fail_on: Severity::Warning,
            stdin_filename: None,
            offline: true,
            resolve: false,
            locked: false,
            min_release_age: crate::resolve::DEFAULT_MIN_RELEASE_AGE,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            rules: rules::ALL.to_vec(),
            project: None,
            fix: FixMode::Off,
            unsafe_fixes: false,
            show_fixes: false,
            verbose: false,
            user: false,
            color: false,
            environment: Environment::default(),
        }
    }
}
