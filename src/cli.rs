//! The command line: `mcp-lint [check] [PATHS]`, `mcp-lint rule NAME`, `mcp-lint rules`.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::dialect::Dialect;
use crate::finding::Severity;
use crate::run::settings::{Format, Options};

/// `--version`: the release and the commit it was built from.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("MCP_LINT_COMMIT"), ")");

/// Lint and fix MCP server configs: unpinned packages and images, missing tool allowlists,
/// approval bypasses, inline secrets, plain-HTTP remotes and LiteLLM access gaps, at their exact
/// line and column. `--fix` edits in place keeping comments and formatting; `--fix
/// --unsafe-fixes` also pins packages and images to verified versions and digests.
#[derive(Debug, Parser)]
#[command(name = "mcp-lint", version = VERSION)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Files or directories to lint (`mcp-lint PATHS` is `mcp-lint check PATHS`) [default: .,
    /// or none with --user].
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub options: CheckOptions,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint config files and directories (the default command).
    Check {
        /// Files or directories to lint. Directories are walked, respecting .gitignore
        /// [default: ., or none with --user].
        paths: Vec<PathBuf>,
    },
    /// Print the documentation of one rule.
    Rule {
        /// The rule's id, e.g. `unpinned-package`.
        name: String,
    },
    /// List every rule with its default severity and summary.
    Rules,
    /// Pin floating packages and images interactively: for each, choose the version the policy
    /// picks, the newest, any other (searchable), or skip; then review the diff and confirm.
    Pin {
        /// Files or directories, as for `check`.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
    },
    /// Run the language server (LSP on stdio): editors show the findings as you type and apply
    /// the fixes as code actions. `mcp-lint server` in the editor's LSP settings.
    Server,
    /// Print a shell completion script (`mcp-lint completions bash > /etc/bash_completion.d/mcp-lint`).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the seven-dimension readiness report of an MCP gateway deployment (LiteLLM config,
    /// Helm values, manifests, client configs, CI workflows, mcp-lint.lock): verdict, gap matrix,
    /// moves, risks, roadmap and evidence. Read-only and offline; `--format` picks terminal
    /// (`human`), `markdown`, `html` or `json`. Exit 1 when a dimension is red.
    Audit {
        /// Files or directories of the deployment.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Write the report to this file instead of stdout.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Print the inventory of every MCP server the configs launch, as a CycloneDX 1.6 JSON
    /// document: each package and image with its package URL and the digests mcp-lint.lock
    /// verified (or marked unpinned), each server as a service (its file, client, transport,
    /// authentication kind, tool allowlist) and the tools `probe` recorded. Feed it to
    /// osv-scanner, grype, Trivy or Dependency-Track. Offline; `--user` for your own configs.
    Bom {
        /// Files or directories, as for `check` [default: ., or none with --user].
        paths: Vec<PathBuf>,
        /// Write the document to this file instead of stdout.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Launch each configured stdio server as its client would (scrubbed environment, fresh HOME,
    /// own process group, timeout), list its tools over MCP, and print what each exposes. This
    /// runs the servers' own code: it asks first on a terminal, and needs `--yes` elsewhere.
    /// With `--fix`, then fills each server's tool allowlist (where its client enforces one) with
    /// the tools it listed as read-only; the others stay off, named in a comment.
    Probe {
        /// Files or directories, as for `check`.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
        /// Run the servers without asking.
        #[arg(long)]
        yes: bool,
        /// Seconds each server has to start and list its tools; then its process group is killed.
        #[arg(long, value_name = "SECONDS", default_value_t = 30)]
        timeout: u64,
        /// Also give every server this variable of mcp-lint's environment (repeatable); the
        /// config's own `env` is always passed.
        #[arg(long = "pass-env", value_name = "NAME")]
        pass_env: Vec<String>,
        /// Compare what the servers list now with what mcp-lint.lock recorded, and report tools
        /// added, removed or changed (`tool-definition-drift`) as findings; writes nothing.
        #[arg(long)]
        check: bool,
        /// Reach remote servers too (streamable HTTP, or HTTP+SSE where the config says `sse`),
        /// with credentials only from the environment (`${NAME}` in their headers).
        #[arg(long)]
        remote: bool,
    },
    /// Examine a server's own tool definitions for poisoning, without launching it: each FILE is
    /// a saved `tools/list` result (`{"tools": [...]}`), its JSON-RPC answer, or a list of tools
    /// (for a server's CI: `npx @modelcontextprotocol/inspector --cli ... --method tools/list >
    /// tools.json`). Exit 1 when a tool is flagged.
    Tools {
        /// The saved tool lists.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Download every artifact in the lockfiles beside the configs again and check its digest
    /// (catches a registry that changed a published artifact).
    Verify {
        /// Config files, lockfiles or directories.
        #[arg(default_value = ".")]
        paths: Vec<PathBuf>,
    },
}

/// Options of `check`; global, so they may come before or after the subcommand.
#[derive(Debug, Clone, Args)]
pub struct CheckOptions {
    /// Output format.
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Read every file as this dialect instead of detecting it from name and content.
    #[arg(long, global = true, value_enum)]
    pub dialect: Option<Dialect>,

    /// Exit with 1 when a finding at or above this severity is reported [default: warning, or
    /// `fail-on` in mcp-lint.toml].
    #[arg(long, global = true, value_enum)]
    pub fail_on: Option<Severity>,

    /// With `-` as the path: read the config from standard input and take its dialect from
    /// PATH. With `--fix`, the fixed text goes to standard output and diagnostics to standard
    /// error; the disk is never touched (editor on-save integrations).
    #[arg(long, global = true, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    /// Make no network request at all: registry answers come only from the lockfile and the
    /// cache, and fixes that would need the network are left out.
    #[arg(long, global = true)]
    pub offline: bool,

    /// Ask the registries about the packages and images in the configs (only their names and
    /// versions leave the machine) and run the rules that need their answers. `--fix
    /// --unsafe-fixes` implies it, to pin floating packages.
    #[arg(long, global = true)]
    pub resolve: bool,

    /// Fail when a config and the `mcp-lint.lock` beside it disagree, or a pinned package or
    /// image is missing from the lock.
    #[arg(long, global = true)]
    pub locked: bool,

    /// Pin only versions published at least this long ago (`7d`, `36h`, `0` to disable)
    /// [default: 7d, or `min-release-age` in mcp-lint.toml].
    #[arg(long, global = true, value_name = "AGE", value_parser = crate::project_config::parse_age)]
    pub min_release_age: Option<Duration>,

    /// Refuse files larger than this (`8MiB`, `512KiB`, or bytes) [default: 8MiB].
    #[arg(long, global = true, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,

    /// Do not read mcp-lint.toml / .mcp-lint.toml.
    #[arg(long, global = true)]
    pub no_config: bool,

    /// Run only these rules (comma-separated ids).
    #[arg(long, global = true, value_delimiter = ',', value_name = "RULE")]
    pub select: Vec<String>,

    /// Skip these rules (comma-separated ids).
    #[arg(long, global = true, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,

    /// Apply safe fixes and write the files (atomically; a file that changed meanwhile is left alone).
    #[arg(long, global = true)]
    pub fix: bool,

    /// Also apply fixes that change behaviour: which tools are exposed, where a secret comes from.
    #[arg(long, global = true)]
    pub unsafe_fixes: bool,

    /// Print the unified diff of what --fix would do and write nothing; exit 1 if there is a change.
    #[arg(long, global = true)]
    pub diff: bool,

    /// List each fix applied (on stderr, so stdout stays machine-readable).
    #[arg(long, global = true)]
    pub show_fixes: bool,

    /// Also say which files found while walking were left out, and why (on stderr).
    #[arg(long, global = true)]
    pub verbose: bool,

    /// Check the current user's own configs of every client, at their standard locations, and
    /// the paths given with it (see README "check --user").
    #[arg(long, global = true)]
    pub user: bool,

    /// When to colour human output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is unset.
    Auto,
    Always,
    Never,
}

impl CheckOptions {
    /// What these options ask of a run, as the library takes it.
    pub fn options(&self) -> Options {
        Options {
            format: self.format,
            dialect: self.dialect,
            fail_on: self.fail_on,
            stdin_filename: self.stdin_filename.clone(),
            offline: self.offline,
            resolve: self.resolve,
            locked: self.locked,
            min_release_age: self.min_release_age,
            max_file_size: self.max_file_size,
            no_config: self.no_config,
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            fix: self.fix,
            unsafe_fixes: self.unsafe_fixes,
            diff: self.diff,
            show_fixes: self.show_fixes,
            verbose: self.verbose,
            user: self.user,
            color: match self.color {
                ColorChoice::Auto => None,
                ColorChoice::Always => Some(true),
                ColorChoice::Never => Some(false),
            },
        }
    }
}

/// `8MiB`, `512KiB`, `1GiB`, `65536` (bytes).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (number, unit) = text
        .find(|c: char| !c.is_ascii_digit())
        .map_or((text, ""), |at| text.split_at(at));
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" | "kb" => 1 << 10,
        "m" | "mib" | "mb" => 1 << 20,
        "g" | "gib" | "gb" => 1 << 30,
        other => return Err(format!("unknown size unit `{other}` (use KiB, MiB or GiB)")),
    };
    number
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("`{text}` is not a size (e.g. 8MiB)"))
}
