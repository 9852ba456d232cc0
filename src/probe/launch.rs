//! How a client would launch a configured server: its command, arguments, working directory and
//! environment, with the client's variable references taken from mcp-lint's own environment.

use std::path::{Path, PathBuf};

use crate::dialect::Dialect;
use crate::model::{Server, Transport};
use crate::run::settings::Environment;

use super::session::LaunchSpec;

/// Why a server is not launched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotLaunched {
    /// Remote servers are reached only with `--remote`.
    Remote,
    Disabled,
    /// Neither a command nor a URL.
    NoCommand,
    /// A variable the config references is not set here.
    MissingVariable(String),
    /// A reference the client resolves at launch in a way probe cannot (`${input:id}`).
    Unresolvable(String),
    /// A credential header written in the config: probe sends credentials from the environment only.
    LiteralCredential(String),
}

/// How to reach a remote server: its URL and headers with the references resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteSpec {
    pub url: String,
    pub headers: Vec<(String, String)>,
}

/// Header names that carry a credential.
fn is_credential_header(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name == "authorization"
        || ["token", "key", "secret", "auth", "cookie", "password"]
            .iter()
            .any(|w| name.contains(w))
}

/// The request a client would make to the remote `server`. Credentials come from the environment
/// only: a credential header written literally in the config is not sent (the server is skipped,
/// and `inline-secret` has already said where the value belongs).
pub fn remote_spec(dialect: Dialect, server: &Server, environment: &Environment) -> Result<RemoteSpec, NotLaunched> {
    if server.disabled {
        return Err(NotLaunched::Disabled);
    }
    let Transport::Remote(remote) = &server.transport else {
        return Err(NotLaunched::NoCommand);
    };
    let url = expand(dialect, &remote.url.value, environment)?;
    let mut headers = Vec::new();
    for header in &remote.headers {
        let literal = expand(Dialect::ClaudeDesktop, &header.value.value, environment)?;
        let value = expand(dialect, &header.value.value, environment)?;
        if is_credential_header(&header.key) && value == literal && !crate::secrets::is_reference(&literal) {
            return Err(NotLaunched::LiteralCredential(header.key.clone()));
        }
        headers.push((header.key.clone(), value));
    }
    Ok(RemoteSpec { url, headers })
}

impl std::fmt::Display for NotLaunched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Remote => write!(f, "a remote server: probe reaches remote servers only with --remote"),
            Self::LiteralCredential(header) => write!(
                f,
                "its `{header}` header is written in the config; probe sends credentials only from the environment (`${{NAME}}`)"
            ),
            Self::Disabled => write!(f, "disabled in the config"),
            Self::NoCommand => write!(f, "no command to run"),
            Self::MissingVariable(name) => write!(f, "the config references ${name}, which is not set here"),
            Self::Unresolvable(reference) => {
                write!(f, "`{reference}` is resolved by the client at launch; probe cannot")
            }
        }
    }
}

/// Variables every server gets from mcp-lint's environment: the search path, the locale, and
/// where the machine's trust store is (a corporate CA), so that `npx` and `uvx` can download.
/// Paths, never a credential: proxies and package indexes (which may carry one in their URL) are
/// passed only when named with `--pass-env`.
const INHERITED: &[&str] = &[
    "PATH",
    "LANG",
    "LC_ALL",
    "TERM",
    "SYSTEMROOT",
    "TMPDIR",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "NODE_EXTRA_CA_CERTS",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
];

/// The launch of `server` (read from a config of `dialect` in `config_dir`), with `home` as its
/// HOME and only these variables: [`INHERITED`], the package caches, the config's `env` and the
/// `pass_env` names.
pub fn launch_spec(
    dialect: Dialect,
    server: &Server,
    config_dir: &Path,
    home: &Path,
    environment: &Environment,
    pass_env: &[String],
) -> Result<LaunchSpec, NotLaunched> {
    if server.disabled {
        return Err(NotLaunched::Disabled);
    }
    let stdio = match &server.transport {
        Transport::Stdio(stdio) => stdio,
        Transport::Remote(_) => return Err(NotLaunched::Remote),
        Transport::Published(_) | Transport::Unknown => return Err(NotLaunched::NoCommand),
    };
    let expand = |value: &str| expand(dialect, value, environment);
    let program = expand(&stdio.command.value)?;
    if program.trim().is_empty() {
        return Err(NotLaunched::NoCommand);
    }
    let args = stdio
        .args
        .iter()
        .map(|arg| expand(&arg.value))
        .collect::<Result<Vec<_>, _>>()?;
    let cwd = match &stdio.cwd {
        Some(cwd) => config_dir.join(expand(&cwd.value)?),
        None => config_dir.to_owned(),
    };
    let mut env: Vec<(String, String)> = INHERITED
        .iter()
        .filter_map(|name| {
            environment
                .var(name)
                .map(|value| ((*name).to_owned(), value.to_owned()))
        })
        .collect();
    env.push(("HOME".into(), home.display().to_string()));
    env.extend(package_caches(environment));
    for name in pass_env {
        if let Some(value) = environment.var(name) {
            env.push((name.clone(), value.to_owned()));
        }
    }
    for entry in &stdio.env {
        env.push((entry.key.clone(), expand(&entry.value.value)?));
    }
    Ok(LaunchSpec {
        program,
        args,
        cwd: Some(cwd),
        env,
    })
}

/// npm's and uv's caches where they are for the user running mcp-lint (unless set already):
/// the server's HOME is a fresh directory, and without them every probe downloads again.
fn package_caches(environment: &Environment) -> Vec<(String, String)> {
    let home = environment.home.clone().unwrap_or_default();
    let cache = |name: &str, default: PathBuf| {
        let value = environment
            .var(name)
            .map_or_else(|| default.display().to_string(), str::to_owned);
        (name.to_owned(), value)
    };
    let xdg_cache = environment
        .var("XDG_CACHE_HOME")
        .map_or_else(|| home.join(".cache"), PathBuf::from);
    vec![
        cache("npm_config_cache", home.join(".npm")),
        cache("UV_CACHE_DIR", xdg_cache.join("uv")),
        cache("UV_PYTHON_INSTALL_DIR", home.join(".local/share/uv/python")),
    ]
}

/// `value` as the client hands it to the server: its variable references replaced from
/// `environment`. Clients without a variable syntax pass the text as written.
fn expand(dialect: Dialect, value: &str, environment: &Environment) -> Result<String, NotLaunched> {
    if matches!(dialect, Dialect::ClaudeDesktop | Dialect::Cline | Dialect::Zed) {
        return Ok(value.to_owned());
    }
    // LiteLLM reads `os.environ/NAME` as the whole value.
    if dialect.is_litellm()
        && let Some(name) = value.strip_prefix("os.environ/")
    {
        return lookup(name, None, environment);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find(['$', '{']) {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let (reference, inner) = if let Some(body) = tail.strip_prefix("${") {
            match body.find('}') {
                Some(end) => (&tail[..end + 3], &body[..end]),
                None => break,
            }
        } else if let Some(body) = tail.strip_prefix("{env:") {
            match body.find('}') {
                Some(end) => (&tail[..end + 6], &body[..end]),
                None => break,
            }
        } else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
            continue;
        };
        let name = inner
            .strip_prefix("env:")
            .or_else(|| tail.starts_with("{env:").then_some(inner));
        let (name, default) = match name {
            Some(name) => (name, None),
            None => match inner.split_once(":-") {
                Some((name, default)) => (name, Some(default)),
                None => (inner, None),
            },
        };
        let is_variable = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !is_variable {
            return Err(NotLaunched::Unresolvable(reference.to_owned()));
        }
        out.push_str(&lookup(name, default, environment)?);
        rest = &tail[reference.len()..];
    }
    out.push_str(rest);
    Ok(out)
}

fn lookup(name: &str, default: Option<&str>, environment: &Environment) -> Result<String, NotLaunched> {
    match (environment.var(name), default) {
        (Some(value), _) => Ok(value.to_owned()),
        (None, Some(default)) => Ok(default.to_owned()),
        (None, None) => Err(NotLaunched::MissingVariable(name.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_come_from_the_environment() {
        let environment = Environment::from_vars([("TOKEN", "t0k"), ("DIR", "/srv")]);
        let expand = |dialect, value| expand(dialect, value, &environment);
        assert_eq!(expand(Dialect::ClaudeCode, "${DIR}/data"), Ok("/srv/data".into()));
        assert_eq!(expand(Dialect::Cursor, "Bearer ${env:TOKEN}"), Ok("Bearer t0k".into()));
        assert_eq!(expand(Dialect::Opencode, "{env:TOKEN}"), Ok("t0k".into()));
        assert_eq!(expand(Dialect::ClaudeCode, "${MISSING:-x}"), Ok("x".into()));
        assert_eq!(expand(Dialect::Litellm, "os.environ/TOKEN"), Ok("t0k".into()));
        assert_eq!(expand(Dialect::ClaudeCode, "cost: $5 {a}"), Ok("cost: $5 {a}".into()));
        assert_eq!(
            expand(Dialect::ClaudeCode, "${MISSING}"),
            Err(NotLaunched::MissingVariable("MISSING".into()))
        );
        assert_eq!(
            expand(Dialect::Vscode, "${input:token}"),
            Err(NotLaunched::Unresolvable("${input:token}".into()))
        );
        assert_eq!(
            expand(Dialect::ClaudeDesktop, "${TOKEN}"),
            Ok("${TOKEN}".into()),
            "no variable syntax"
        );
    }
}
