//! `mcp-lint probe`: launch each configured server as its client would, ask it for its tools over
//! MCP, and report what it exposes. The only command that runs a server's code.

pub mod launch;
pub mod remote;
pub mod session;
pub mod stages;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Serialize;
use serde_json::{Value, json};

use crate::dialect::Dialect;
use crate::model::tools;
pub use crate::model::tools::{ToolDefinition, ToolKind, ToolListing};
use crate::model::{McpConfig, Server};
use crate::resolve::lock::{Lock, LockError, LockedServer};
use crate::run::check;
use crate::run::lint::FileFailure;
use crate::run::parse::Parsed;
use crate::run::settings::Environment;
pub use launch::{NotLaunched, RemoteSpec};
use remote::{HttpSession, HttpTransport};
use session::{LaunchSpec, PROTOCOL_VERSIONS, Rpc, Session, SessionError};

/// How `probe` runs servers.
#[derive(Debug, Clone)]
pub struct ProbeOptions {
    /// For each server, from launch to the last page of `tools/list`.
    pub timeout: Duration,
    /// Variables passed to every server besides the config's own `env`.
    pub pass_env: Vec<String>,
    /// The most a server may write to stdout in one session.
    pub output_limit: usize,
    /// Between closing stdin, SIGTERM and SIGKILL.
    pub grace: Duration,
    /// Reach remote servers too (`--remote`), over streamable HTTP or HTTP+SSE.
    pub remote: bool,
}

impl Default for ProbeOptions {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            pass_env: Vec::new(),
            output_limit: 16 << 20,
            grace: Duration::from_secs(2),
            remote: false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum ServerOutcome {
    Probed(ToolListing),
    /// Not launched, with why (a remote, a missing variable): not an error.
    Skipped {
        reason: String,
    },
    /// Launched and failed (timeout, crash, bad protocol): an error naming the server.
    Failed {
        reason: String,
    },
}

/// One configured server and what probing it gave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServerProbe {
    pub file: PathBuf,
    pub server: String,
    #[serde(flatten)]
    pub outcome: ServerOutcome,
}

/// Everything `probe` found.
#[derive(Debug, Default)]
pub struct ProbeOutcome {
    pub servers: Vec<ServerProbe>,
    pub failures: Vec<FileFailure>,
}

impl ProbeOutcome {
    pub fn has_errors(&self) -> bool {
        !self.failures.is_empty()
            || self
                .servers
                .iter()
                .any(|s| matches!(s.outcome, ServerOutcome::Failed { .. }))
    }
}

/// A server as a lock names it: the config file beside the lock, and the server's name there.
type ConfigServer = (String, String);

/// Records every probed server's tools in the `mcp-lint.lock` beside its config; entries of
/// servers no longer in a config this run read are dropped, other entries stay. Returns the locks
/// written, each with its number of servers.
pub fn record(outcome: &ProbeOutcome) -> Result<Vec<(PathBuf, usize)>, LockError> {
    let now = crate::resolve::lock::timestamp_now();
    // Per lock directory: what to record, and every (config file, server) its configs define now.
    let mut by_dir: Vec<(PathBuf, Vec<LockedServer>, Vec<ConfigServer>)> = Vec::new();
    for probe in &outcome.servers {
        let dir = probe.file.parent().map(Path::to_owned).unwrap_or_default();
        let config = probe
            .file
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let index = match by_dir.iter().position(|(d, _, _)| *d == dir) {
            Some(index) => index,
            None => {
                by_dir.push((dir, Vec::new(), Vec::new()));
                by_dir.len() - 1
            }
        };
        let (_, entries, defined) = &mut by_dir[index];
        defined.push((config.clone(), probe.server.clone()));
        if let ServerOutcome::Probed(listing) = &probe.outcome {
            entries.push(LockedServer::new(config, probe.server.clone(), listing, now.clone()));
        }
    }
    let mut written = Vec::new();
    for (dir, entries, defined) in by_dir {
        let existing = Lock::load(&dir)?;
        if entries.is_empty() && existing.is_none() {
            continue;
        }
        let mut lock = existing.unwrap_or_default();
        // A server gone from a config this run read is gone from the lock too.
        lock.servers.retain(|locked| {
            let config_read = defined.iter().any(|(config, _)| *config == locked.config);
            !config_read
                || defined
                    .iter()
                    .any(|(config, name)| *config == locked.config && *name == locked.name)
        });
        let count = entries.len();
        for entry in entries {
            lock.upsert_server(entry);
        }
        if lock.save(&dir)? {
            written.push((Lock::path_for(&dir), count));
        }
    }
    Ok(written)
}

/// Probes every server of the configs under `paths`.
pub fn probe_paths(
    paths: &[PathBuf],
    dialect: Option<Dialect>,
    max_file_size: u64,
    environment: &Environment,
    options: &ProbeOptions,
) -> ProbeOutcome {
    let collected = check::collect_and_parse(paths, dialect, max_file_size);
    ProbeOutcome {
        servers: probe_configs(&collected.parsed, environment, options),
        failures: collected.failures,
    }
}

/// How many servers are probed at once: most of a probe is waiting (a download, a server
/// starting), and each server is its own process group with its own deadline.
const AT_ONCE: usize = 4;

/// Probes every server of `parsed`, a few at a time; the results come in the configs' order.
pub fn probe_configs(parsed: &[Parsed], environment: &Environment, options: &ProbeOptions) -> Vec<ServerProbe> {
    let jobs: Vec<(&Parsed, &Server, PathBuf)> = parsed
        .iter()
        .flat_map(|parsed| {
            let dir = config_dir(&parsed.source.path);
            parsed
                .config
                .servers
                .iter()
                .map(move |server| (parsed, server, dir.clone()))
        })
        .collect();
    let results: Vec<std::sync::Mutex<Option<ServerOutcome>>> =
        jobs.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..AT_ONCE.min(jobs.len()) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((parsed, server, dir)) = jobs.get(index) else {
                        return;
                    };
                    let outcome = probe_server(&parsed.config, server, dir, environment, options);
                    if let Ok(mut slot) = results[index].lock() {
                        *slot = Some(outcome);
                    }
                }
            });
        }
    });
    jobs.iter()
        .zip(results)
        .map(|((parsed, server, _), result)| ServerProbe {
            file: parsed.source.path.clone(),
            server: server.name.clone(),
            outcome: result.into_inner().ok().flatten().unwrap_or(ServerOutcome::Failed {
                reason: "the probe of this server did not finish".into(),
            }),
        })
        .collect()
}

/// The absolute directory of a config file: where its servers run unless they name a `cwd`.
pub fn config_dir(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned())
}

/// Launches one server in a fresh HOME (or, with `--remote`, reaches a remote one), lists its
/// tools and takes it down.
pub fn probe_server(
    config: &McpConfig,
    server: &Server,
    config_dir: &Path,
    environment: &Environment,
    options: &ProbeOptions,
) -> ServerOutcome {
    let dialect = config.dialect;
    if options.remote && matches!(server.transport, crate::model::Transport::Remote(_)) {
        return match launch::remote_spec(dialect, server, environment) {
            Ok(spec) => match list_remote_tools(&spec, http_transport(config, server), options) {
                Ok(listing) => ServerOutcome::Probed(listing),
                Err(reason) => ServerOutcome::Failed {
                    reason: mask_values(&reason, spec.headers.iter().map(|(_, v)| v.as_str())),
                },
            },
            Err(reason) => ServerOutcome::Skipped {
                reason: reason.to_string(),
            },
        };
    }
    let home = match tempfile::Builder::new().prefix("mcp-lint-probe-home-").tempdir() {
        Ok(home) => home,
        Err(error) => {
            return ServerOutcome::Failed {
                reason: format!("cannot make a HOME for the server: {error}"),
            };
        }
    };
    let spec = match launch::launch_spec(dialect, server, config_dir, home.path(), environment, &options.pass_env) {
        Ok(spec) => spec,
        Err(reason) => {
            return ServerOutcome::Skipped {
                reason: reason.to_string(),
            };
        }
    };
    match list_tools(&spec, options) {
        Ok(probed) => ServerOutcome::Probed(probed),
        Err(reason) => ServerOutcome::Failed {
            reason: mask_env_values(&reason, &spec),
        },
    }
}

/// The older HTTP+SSE transport where the config says `sse` (its `type` or `transport`) or the
/// URL ends in `/sse`; streamable HTTP otherwise.
fn http_transport(config: &McpConfig, server: &Server) -> HttpTransport {
    let declared = ["type", "transport", "transportType"]
        .iter()
        .filter_map(|key| config.value_at(&server.route.key(*key)))
        .filter_map(Value::as_str)
        .any(|kind| kind.eq_ignore_ascii_case("sse"));
    let url_says = match &server.transport {
        crate::model::Transport::Remote(remote) => remote.url.value.trim_end_matches('/').ends_with("/sse"),
        _ => false,
    };
    if declared || url_says {
        HttpTransport::Sse
    } else {
        HttpTransport::Streamable
    }
}

/// One HTTP session: the same conversation as over stdio.
pub fn list_remote_tools(
    spec: &RemoteSpec,
    transport: HttpTransport,
    options: &ProbeOptions,
) -> Result<ToolListing, String> {
    let mut session = HttpSession::connect(
        &spec.url,
        spec.headers.clone(),
        transport,
        options.timeout,
        options.output_limit,
    )
    .map_err(|e| e.to_string())?;
    let result = converse(&mut session);
    session.close();
    result.map_err(|e| e.to_string())
}

/// One session: initialize, initialized, every page of tools/list, shutdown.
pub fn list_tools(spec: &LaunchSpec, options: &ProbeOptions) -> Result<ToolListing, String> {
    let mut session = Session::start(spec, options.timeout, options.output_limit).map_err(|e| e.to_string())?;
    let result = converse(&mut session);
    let stderr = session.stderr_tail();
    session.shut_down(options.grace);
    result.map_err(|error| {
        let last_line = stderr.lines().last().unwrap_or_default();
        match error {
            SessionError::Exited { .. } | SessionError::Spawn { .. } if !last_line.is_empty() => {
                let line: String = last_line.chars().take(300).collect();
                // Shown as written: every renderer neutralises terminal controls.
                format!("{error}; its stderr ends: {line}")
            }
            _ => error.to_string(),
        }
    })
}

fn converse(session: &mut impl Rpc) -> Result<ToolListing, SessionError> {
    let initialized = session.request(
        "initialize",
        json!({
            "protocolVersion": PROTOCOL_VERSIONS[0],
            "capabilities": {},
            "clientInfo": {"name": "mcp-lint", "version": env!("CARGO_PKG_VERSION")},
        }),
    )?;
    let protocol_version = initialized
        .get("protocolVersion")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if !PROTOCOL_VERSIONS.contains(&protocol_version.as_str()) {
        return Err(SessionError::Protocol(protocol_version));
    }
    let info = initialized.get("serverInfo");
    let text = |key: &str| {
        info.and_then(|i| i.get(key))
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (server_name, server_version) = (text("name"), text("version"));
    session.notify("notifications/initialized")?;
    let mut tools = Vec::new();
    let mut cursor: Option<String> = None;
    // A server that hands out cursors forever is stopped by the deadline; this bounds the pages
    // of one that answers fast.
    for _ in 0..1000 {
        let params = match &cursor {
            Some(cursor) => json!({"cursor": cursor}),
            None => json!({}),
        };
        let page = session.request("tools/list", params)?;
        let listed = page
            .get("tools")
            .and_then(Value::as_array)
            .ok_or_else(|| SessionError::Malformed {
                method: "tools/list".into(),
                message: "no `tools` list".into(),
            })?;
        tools.extend(listed.iter().filter_map(ToolDefinition::from_listing));
        cursor = page.get("nextCursor").and_then(Value::as_str).map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    let tools_digest = tools::list_digest(&tools);
    Ok(ToolListing {
        protocol_version,
        server_name,
        server_version,
        tools,
        tools_digest,
    })
}

/// Masks every value of the server's environment longer than a few characters in `text`: what a
/// server wrote on stderr may quote its own token.
fn mask_env_values(text: &str, spec: &LaunchSpec) -> String {
    mask_values(
        text,
        spec.env
            .iter()
            .filter(|(name, _)| !matches!(name.as_str(), "PATH" | "HOME" | "LANG" | "LC_ALL" | "TERM" | "TMPDIR"))
            .map(|(_, value)| value.as_str()),
    )
}

fn mask_values<'a>(text: &str, values: impl Iterator<Item = &'a str>) -> String {
    let values: Vec<&str> = values.filter(|value| value.len() >= 6).collect();
    if values.is_empty() {
        return text.to_owned();
    }
    crate::secrets::mask::SecretMasker::new(&values).mask(text)
}
