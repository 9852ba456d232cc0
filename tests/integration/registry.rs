//! Pinning against a loopback registry that serves npm, PyPI and OCI responses (built here with
//! real digests of the bytes it serves, plus the shared recorded samples), with fault injection:
//! each fault ends in a clear error or a correct pin, never in a half-written file.

use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use base64::Engine as _;
use sha2::Digest as _;

use crate::common::{Run, bare, run};

#[derive(Clone)]
pub(crate) enum Reply {
    Body {
        status: u16,
        body: Vec<u8>,
        headers: Vec<(String, String)>,
    },
    /// Waits longer than the client's timeout before answering.
    Slow(Duration, Box<Reply>),
    /// Claims more bytes than it sends, then closes.
    Truncated(Vec<u8>),
}

/// The binary without the suite's default `--offline`: these tests talk to the loopback registry.
fn online(dir: &Path) -> assert_cmd::Command {
    let mut command = bare(dir);
    command.args(["--color", "never"]);
    command
}

fn ok(body: impl Into<Vec<u8>>, content_type: &str) -> Reply {
    Reply::Body {
        status: 200,
        body: body.into(),
        headers: vec![("Content-Type".into(), content_type.into())],
    }
}

fn status(code: u16) -> Reply {
    Reply::Body {
        status: code,
        body: format!("status {code}").into_bytes(),
        headers: Vec::new(),
    }
}

/// (method, path, Authorization header) of each request the mock saw.
type Seen = Arc<Mutex<Vec<(String, String, Option<String>)>>>;
/// A fault case: name, how to break the mock, the message expected, or the pin expected.
type FaultCase = (&'static str, Box<dyn Fn(&Mock)>, &'static str, Option<&'static str>);

/// A loopback registry: each path answers with its queue of replies (the last one repeats).
pub(crate) struct Mock {
    pub(crate) url: String,
    routes: Arc<Mutex<HashMap<String, Vec<Reply>>>>,
    seen: Seen,
}

impl Mock {
    pub(crate) fn start() -> Self {
        // A thread per connection, no pool: the benchmark measures the client, not the server.
        let listener = TcpListener::bind("127.0.0.1:0").expect("loopback server");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let routes: Arc<Mutex<HashMap<String, Vec<Reply>>>> = Arc::default();
        let seen: Seen = Arc::default();
        let (routes_in, seen_in) = (routes.clone(), seen.clone());
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (routes, seen) = (routes_in.clone(), seen_in.clone());
                thread::spawn(move || serve_connection(stream, &routes, &seen));
            }
        });
        Self { url, routes, seen }
    }

    fn route(&self, path: &str, replies: Vec<Reply>) {
        self.routes.lock().expect("routes").insert(path.to_owned(), replies);
    }

    /// Makes `path` answer as it does, after `delay`.
    pub(crate) fn route_slowly(&self, path: &str, delay: Duration) {
        let mut routes = self.routes.lock().expect("routes");
        for reply in routes.get_mut(path).into_iter().flatten() {
            *reply = Reply::Slow(delay, Box::new(reply.clone()));
        }
    }

    pub(crate) fn requests(&self) -> usize {
        self.seen.lock().expect("seen").len()
    }

    fn authorizations(&self) -> Vec<Option<String>> {
        self.seen
            .lock()
            .expect("seen")
            .iter()
            .map(|(_, _, a)| a.clone())
            .collect()
    }
}

/// Serves the requests of one keep-alive connection until the client closes it.
fn serve_connection(
    stream: TcpStream,
    routes: &Mutex<HashMap<String, Vec<Reply>>>,
    seen: &Mutex<Vec<(String, String, Option<String>)>>,
) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = request_line.split_whitespace();
        let (method, target) = (
            parts.next().unwrap_or_default().to_owned(),
            parts.next().unwrap_or_default().to_owned(),
        );
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        let header = |name: &str| headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let path = target.split('?').next().unwrap_or_default().to_owned();
        seen.lock()
            .expect("seen")
            .push((method.clone(), path.clone(), header("authorization")));
        let reply = {
            let mut routes = routes.lock().expect("routes");
            match routes.get_mut(&path) {
                Some(queue) if queue.len() > 1 => queue.remove(0),
                Some(queue) => queue[0].clone(),
                None => status(404),
            }
        };
        if !write_reply(&mut writer, &method, reply, header("if-none-match")) {
            return;
        }
    }
}

/// Writes one response; false when the connection must close.
fn write_reply(writer: &mut TcpStream, method: &str, reply: Reply, if_none_match: Option<String>) -> bool {
    match reply {
        Reply::Slow(wait, then) => {
            thread::sleep(wait);
            write_reply(writer, method, *then, if_none_match)
        }
        Reply::Truncated(body) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len() * 2
            );
            let _ = writer.write_all(head.as_bytes());
            let _ = writer.write_all(&body);
            false
        }
        Reply::Body { status, body, headers } => {
            let tag = etag(&body);
            // Documents carry an ETag; a request that names it gets 304 Not Modified.
            if status == 200 && if_none_match.is_some_and(|t| t == tag) {
                return writer
                    .write_all(
                        format!("HTTP/1.1 304 Not Modified\r\nETag: {tag}\r\nContent-Length: 0\r\n\r\n").as_bytes(),
                    )
                    .is_ok();
            }
            let mut head = format!(
                "HTTP/1.1 {status} Status\r\nContent-Length: {}\r\nETag: {tag}\r\n",
                body.len()
            );
            for (name, value) in headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            let mut ok = writer.write_all(head.as_bytes()).is_ok();
            if method != "HEAD" {
                ok &= writer.write_all(&body).is_ok();
            }
            ok && writer.flush().is_ok()
        }
    }
}

fn etag(body: &[u8]) -> String {
    format!("\"{}\"", &sha256_hex(body)[..16])
}

fn sha512_sri(bytes: &[u8]) -> String {
    format!(
        "sha512-{}",
        base64::engine::general_purpose::STANDARD.encode(sha2::Sha512::digest(bytes))
    )
}

fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn days_ago(days: i64) -> String {
    (jiff::Timestamp::now() - jiff::SignedDuration::from_hours(24 * days)).to_string()
}

/// `@example/mcp-server`: 1.3.0 is two days old, 1.1.0 deprecated, 2.0.0-beta.1 a prerelease,
/// so the policy's pick is 1.2.0.
pub(crate) fn serve_npm(mock: &Mock, tarball: Option<Reply>) {
    let mut versions = serde_json::Map::new();
    let mut times = serde_json::Map::new();
    for (version, age, deprecated) in [
        ("1.0.0", 100, None),
        ("1.1.0", 60, Some("Security issue, upgrade to 1.2.0")),
        ("1.2.0", 20, None),
        ("1.3.0", 2, None),
        ("2.0.0-beta.1", 1, None),
    ] {
        let bytes = format!("tarball of {version}").into_bytes();
        let path = format!("/npm/@example/mcp-server/-/mcp-server-{version}.tgz");
        let mut manifest = serde_json::json!({
            "name": "@example/mcp-server",
            "version": version,
            "dependencies": {"zod": "^3.23.0", "@modelcontextprotocol/sdk": "1.17.0"},
            "_hasShrinkwrap": false,
            "dist": {"tarball": format!("{}{path}", mock.url), "integrity": sha512_sri(&bytes)},
        });
        if let Some(reason) = deprecated {
            manifest["deprecated"] = reason.into();
        }
        versions.insert(version.into(), manifest);
        times.insert(version.into(), days_ago(age).into());
        let reply = match (&tarball, version) {
            (Some(reply), "1.2.0") => reply.clone(),
            _ => ok(bytes, "application/octet-stream"),
        };
        mock.route(&path, vec![reply]);
    }
    let packument = serde_json::json!({
        "name": "@example/mcp-server",
        "dist-tags": {"latest": "1.3.0", "next": "2.0.0-beta.1"},
        "time": times,
        "versions": versions,
    });
    mock.route(
        "/npm/@example%2fmcp-server",
        vec![ok(packument.to_string(), "application/json")],
    );
}

/// `example-mcp-server`: PEP 691 JSON with relative file URLs, unordered versions; 1.10.0 is
/// yanked and 1.9.0 five days old, so the pick is 1.2.0 (a wheel and an sdist, both verified).
fn serve_pypi(mock: &Mock) {
    let mut files = Vec::new();
    for (version, age, yanked) in [("1.2.0", 30, false), ("1.10.0", 30, true), ("1.9.0", 5, false)] {
        for filename in [
            format!("example_mcp_server-{version}-py3-none-any.whl"),
            format!("example_mcp_server-{version}.tar.gz"),
        ] {
            let bytes = format!("contents of {filename}").into_bytes();
            let path = format!("/files/{filename}");
            files.push(serde_json::json!({
                "filename": filename,
                "url": format!("../../files/{filename}"),
                "hashes": {"sha256": sha256_hex(&bytes)},
                "upload-time": days_ago(age),
                "yanked": if yanked { serde_json::json!("broken entry point") } else { serde_json::json!(false) },
            }));
            mock.route(&path, vec![ok(bytes, "application/octet-stream")]);
        }
    }
    let index = serde_json::json!({
        "meta": {"api-version": "1.1"},
        "name": "example-mcp-server",
        "versions": ["1.9.0", "1.10.0", "1.2.0"],
        "files": files,
    });
    mock.route(
        "/simple/example-mcp-server/",
        vec![ok(index.to_string(), "application/vnd.pypi.simple.v1+json")],
    );
}

/// `ghcr.io/acme/mcp:v1` behind the bearer-token challenge.
fn serve_oci(mock: &Mock) -> String {
    let manifest =
        br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#.to_vec();
    let digest = format!("sha256:{}", sha256_hex(&manifest));
    let challenge = Reply::Body {
        status: 401,
        body: Vec::new(),
        headers: vec![(
            "WWW-Authenticate".into(),
            format!(
                "Bearer realm=\"{}/token\",service=\"registry.test\",scope=\"repository:acme/mcp:pull\"",
                mock.url
            ),
        )],
    };
    let found = Reply::Body {
        status: 200,
        body: manifest,
        headers: vec![
            ("Content-Type".into(), "application/vnd.oci.image.index.v1+json".into()),
            ("Docker-Content-Digest".into(), digest.clone()),
        ],
    };
    mock.route("/v2/acme/mcp/manifests/v1", vec![challenge, found.clone()]);
    mock.route(&format!("/v2/acme/mcp/manifests/{digest}"), vec![found]);
    mock.route("/token", vec![ok(r#"{"token":"registry-token"}"#, "application/json")]);
    digest
}

const CONFIG: &str = r#"{
  "mcpServers": {
    "example": { "command": "npx", "args": ["-y", "@example/mcp-server", "--stdio"] },
    "python": { "command": "uvx", "args": ["example-mcp-server"] },
    "image": { "command": "docker", "args": ["run", "-i", "--rm", "ghcr.io/acme/mcp:v1"] }
  }
}
"#;

/// A project directory with the config, and mcp-lint aimed at the mock.
struct Project {
    dir: tempfile::TempDir,
    mock_url: String,
    /// Short, so that the timeout fault is quick; the benchmark lengthens it.
    timeout_ms: u64,
}

impl Project {
    fn new(mock: &Mock, config: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join(".mcp.json"), config).expect("write config");
        fs::create_dir_all(dir.path().join("home")).expect("home");
        Self {
            dir,
            mock_url: mock.url.clone(),
            timeout_ms: 400,
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn config(&self) -> String {
        fs::read_to_string(self.path().join(".mcp.json")).expect("config")
    }

    fn lock(&self) -> Option<String> {
        fs::read_to_string(self.path().join("mcp-lint.lock")).ok()
    }

    fn run(&self, args: &[&str]) -> Run {
        run(self.command(args))
    }

    /// mcp-lint with `args`, aimed at the mock, with only the loopback registry reachable.
    fn command(&self, args: &[&str]) -> assert_cmd::Command {
        let mut command = online(self.path());
        command
            .args(args)
            .env("HOME", self.path().join("home"))
            .env("NPM_CONFIG_USERCONFIG", self.path().join("home/.npmrc"))
            .env("NPM_CONFIG_REGISTRY", format!("{}/npm", self.mock_url))
            .env("UV_INDEX_URL", format!("{}/simple", self.mock_url))
            .env("MCP_LINT_REGISTRY_MIRRORS", format!("ghcr.io={}", self.mock_url))
            .env("MCP_LINT_CACHE_DIR", self.path().join("cache"))
            .env("MCP_LINT_HTTP_TIMEOUT_MS", self.timeout_ms.to_string())
            .env("MCP_LINT_HTTP_BACKOFF_MS", "20")
            .env_remove("UV_DEFAULT_INDEX")
            .env_remove("PIP_INDEX_URL")
            .env_remove("HTTPS_PROXY")
            .env_remove("https_proxy")
            .env_remove("ALL_PROXY");
        command
    }
}

fn full_mock() -> (Mock, String) {
    let mock = Mock::start();
    serve_npm(&mock, None);
    serve_pypi(&mock);
    let digest = serve_oci(&mock);
    (mock, digest)
}

#[test]
fn pins_verifies_locks_and_verifies_again() {
    let (mock, digest) = full_mock();
    let project = Project::new(&mock, CONFIG);

    let diff = project.run(&["--diff", "--unsafe-fixes", ".mcp.json"]);
    assert_eq!(diff.code, 1, "{}", diff.stderr);
    assert!(diff.stdout.contains("+    \"example\": { \"command\": \"npx\", \"args\": [\"-y\", \"@example/mcp-server@1.2.0\", \"--stdio\"] },"), "{}", diff.stdout);
    assert_eq!(project.config(), CONFIG, "--diff wrote the config");
    assert!(project.lock().is_none(), "--diff wrote a lock");

    let fixed = project.run(&["--fix", "--unsafe-fixes", "--show-fixes", ".mcp.json"]);
    assert_ne!(fixed.code, 2, "{}", fixed.stderr);
    let config = project.config();
    // Only the package texts change; every other byte stays.
    let expected = CONFIG
        .replace("\"@example/mcp-server\"", "\"@example/mcp-server@1.2.0\"")
        .replace("\"example-mcp-server\"", "\"example-mcp-server@1.2.0\"")
        .replace("ghcr.io/acme/mcp:v1\"", &format!("ghcr.io/acme/mcp:v1@{digest}\""));
    assert_eq!(config, expected);
    assert!(
        fixed
            .stderr
            .contains("1.3.0 (published 2 days ago, younger than the 7 days release-age policy)"),
        "{}",
        fixed.stderr
    );

    let lock = project.lock().expect("a lock beside the config");
    for needle in [
        "name = \"@example/mcp-server\"",
        "version = \"1.2.0\"",
        &sha512_sri(b"tarball of 1.2.0"),
        &format!(
            "sha256:{}",
            sha256_hex(b"contents of example_mcp_server-1.2.0-py3-none-any.whl")
        ),
        &format!("sha256:{}", sha256_hex(b"contents of example_mcp_server-1.2.0.tar.gz")),
        &digest,
    ] {
        assert!(lock.contains(needle), "lock lacks {needle}:\n{lock}");
    }
    // The relative file URL was resolved against the index response.
    assert!(
        lock.contains(&format!("{}/files/example_mcp_server-1.2.0.tar.gz", mock.url)),
        "{lock}"
    );
    assert!(
        mock.authorizations()
            .iter()
            .flatten()
            .any(|a| a == "Bearer registry-token")
    );

    let again = project.run(&["--fix", "--unsafe-fixes", ".mcp.json"]);
    assert!(again.stderr.contains("Fixed 0 problems"), "{}", again.stderr);
    assert_eq!(project.config(), expected);
    assert_eq!(
        project.lock().as_deref(),
        Some(lock.as_str()),
        "a second run rewrote the lock"
    );

    let before = mock.requests();
    let locked = project.run(&[
        "--offline",
        "check",
        "--locked",
        "--select",
        "lock-mismatch",
        ".mcp.json",
    ]);
    assert_eq!(locked.code, 0, "{}{}", locked.stdout, locked.stderr);
    assert_eq!(mock.requests(), before, "--offline made a request");

    let verified = project.run(&["verify", "."]);
    assert_eq!(verified.code, 0, "{}", verified.stderr);
    assert!(
        verified.stderr.contains("Verified 4 artifacts and manifests"),
        "{}",
        verified.stderr
    );

    // The registry changes a published artifact: verify catches it.
    mock.route(
        "/npm/@example/mcp-server/-/mcp-server-1.2.0.tgz",
        vec![ok(b"tampered bytes".to_vec(), "application/octet-stream")],
    );
    let tampered = project.run(&["verify", "."]);
    assert_eq!(tampered.code, 2, "{}", tampered.stderr);
    assert!(tampered.stderr.contains("digest mismatch"), "{}", tampered.stderr);
    assert!(
        tampered.stderr.contains(&sha512_sri(b"tampered bytes")),
        "{}",
        tampered.stderr
    );
}

#[test]
fn locked_fails_when_the_config_drifts_from_the_lock() {
    let (mock, _) = full_mock();
    let project = Project::new(&mock, CONFIG);
    let missing = project.run(&[
        "--offline",
        "check",
        "--locked",
        "--select",
        "lock-mismatch",
        ".mcp.json",
    ]);
    assert_eq!(missing.code, 1, "{}", missing.stdout);
    assert!(
        missing.stdout.contains("there is no mcp-lint.lock beside this config"),
        "{}",
        missing.stdout
    );

    project.run(&["--fix", "--unsafe-fixes", ".mcp.json"]);
    let drifted = project
        .config()
        .replace("@example/mcp-server@1.2.0", "@example/mcp-server@1.0.0");
    fs::write(project.path().join(".mcp.json"), drifted).expect("edit");
    let check = project.run(&[
        "--offline",
        "check",
        "--locked",
        "--select",
        "lock-mismatch",
        ".mcp.json",
    ]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(
        check
            .stdout
            .contains("the config pins `@example/mcp-server@1.0.0`, mcp-lint.lock records 1.2.0"),
        "{}",
        check.stdout
    );

    // Locking again records the version now pinned and drops the one no config pins any more.
    let relocked = project.run(&["--fix", "--unsafe-fixes", ".mcp.json"]);
    assert_ne!(relocked.code, 2, "{}", relocked.stderr);
    let lock = project.lock().expect("lock");
    assert!(lock.contains(&sha512_sri(b"tarball of 1.0.0")), "{lock}");
    assert!(
        !lock.contains(&sha512_sri(b"tarball of 1.2.0")),
        "the old version stayed: {lock}"
    );
    assert!(lock.contains("example-mcp-server"), "the other package stays: {lock}");
    let check = project.run(&[
        "--offline",
        "check",
        "--locked",
        "--select",
        "lock-mismatch",
        ".mcp.json",
    ]);
    assert_eq!(check.code, 0, "{}", check.stdout);
}

#[test]
fn registry_rules_report_deprecated_young_and_floating() {
    let (mock, _) = full_mock();
    let config = r#"{ "mcpServers": {
  "old": { "command": "npx", "args": ["-y", "@example/mcp-server@1.1.0"] },
  "new": { "command": "npx", "args": ["-y", "@example/mcp-server@1.3.0"] },
  "gone": { "command": "npx", "args": ["-y", "@example/mcp-server@9.9.9"] }
} }
"#;
    let project = Project::new(&mock, config);
    let plain = project.run(&[
        "check",
        "--select",
        "bad-pinned-version,young-pinned-version",
        ".mcp.json",
    ]);
    assert_eq!(plain.code, 0, "a plain check must not go online: {}", plain.stdout);
    assert_eq!(mock.requests(), 0, "a plain check made a request");

    let resolved = project.run(&["check", "--resolve", "--format", "json", ".mcp.json"]);
    let found: Vec<(String, String)> = crate::common::reported(&resolved.stdout)
        .into_iter()
        .map(|(rule, server, _)| (rule, server))
        .collect();
    for expected in [
        ("bad-pinned-version", "old"),
        ("bad-pinned-version", "gone"),
        ("young-pinned-version", "new"),
        ("floating-dependencies", "old"),
    ] {
        assert!(
            found.iter().any(|(r, s)| r == expected.0 && s == expected.1),
            "missing {expected:?} in {found:?}"
        );
    }
    // Under --offline the same answers come from the cache, with no request.
    let before = mock.requests();
    let offline = project.run(&[
        "--offline",
        "check",
        "--resolve",
        "--select",
        "bad-pinned-version",
        ".mcp.json",
    ]);
    assert_eq!(mock.requests(), before);
    assert!(
        offline.stdout.contains("Security issue, upgrade to 1.2.0"),
        "{}",
        offline.stdout
    );
}

/// A registry's `server.json` is checked against the package registries it names, online only:
/// a published version that npm never had is an error at the package, a deprecated one a
/// warning, and the author's own new release is not "young" (it is new by nature).
#[test]
fn server_json_versions_are_checked_against_their_registry() {
    let (mock, _) = full_mock();
    let project = Project::new(&mock, "{}");
    let server_json = r#"{
  "$schema": "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json",
  "name": "io.github.example/mcp-server",
  "description": "An example server",
  "version": "9.9.9",
  "packages": [
    { "registryType": "npm", "identifier": "@example/mcp-server", "version": "9.9.9", "transport": { "type": "stdio" } },
    { "registryType": "npm", "identifier": "@example/mcp-server", "version": "1.1.0", "transport": { "type": "stdio" } },
    { "registryType": "npm", "identifier": "@example/mcp-server", "version": "1.3.0", "transport": { "type": "stdio" } }
  ]
}
"#;
    fs::write(project.path().join("server.json"), server_json).expect("write server.json");
    let plain = project.run(&["check", "--format", "json", "server.json"]);
    assert_eq!(plain.code, 0, "{}", plain.stdout);
    assert_eq!(mock.requests(), 0, "a plain check made a request");

    let resolved = project.run(&["check", "--resolve", "--format", "json", "server.json"]);
    let document: serde_json::Value = serde_json::from_str(&resolved.stdout).expect("JSON output");
    let found: Vec<(String, String)> = document["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap_or_default().to_owned(),
                d["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(
        found
            .iter()
            .any(|(rule, message)| rule == "bad-pinned-version" && message.contains("has no published version 9.9.9")),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(rule, message)| rule == "bad-pinned-version" && message.contains("is deprecated")),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(rule, _)| rule == "young-pinned-version"),
        "{found:?}"
    );
}

/// Each fault of the npm registry: a clear error naming the package, that package as written, the
/// PyPI package still pinned and locked, exit 2; or a correct pin after retrying.
#[test]
fn faults_end_in_a_clear_error_or_a_correct_pin() {
    let packument = "/npm/@example%2fmcp-server";
    let cases: Vec<FaultCase> = vec![
        (
            "500",
            Box::new(move |m: &Mock| m.route(packument, vec![status(500)])),
            "HTTP 500",
            None,
        ),
        (
            "timeout",
            Box::new(move |m: &Mock| {
                m.route(
                    packument,
                    vec![Reply::Slow(Duration::from_secs(3), Box::new(status(200)))],
                )
            }),
            "gave up after 4 attempts",
            None,
        ),
        (
            "malformed",
            Box::new(move |m: &Mock| m.route(packument, vec![ok("{\"versions\": {", "application/json")])),
            "malformed",
            None,
        ),
        (
            "truncated tarball",
            Box::new(|m: &Mock| serve_npm(m, Some(Reply::Truncated(b"tarball of".to_vec())))),
            "mcp-server-1.2.0.tgz: gave up after 4 attempts",
            None,
        ),
        (
            "oversized",
            Box::new(move |m: &Mock| m.route(packument, vec![ok(vec![b' '; 65536], "application/json")])),
            "larger than the limit",
            None,
        ),
        (
            "429 then success",
            Box::new(|m: &Mock| {
                serve_npm(m, None);
                let body = {
                    let routes = m.routes.lock().expect("routes");
                    routes["/npm/@example%2fmcp-server"].clone()
                };
                let mut replies = vec![status(429)];
                replies.extend(body);
                m.route("/npm/@example%2fmcp-server", replies);
            }),
            "",
            Some("@example/mcp-server@1.2.0"),
        ),
    ];
    for (name, setup, message, pinned) in cases {
        let mock = Mock::start();
        serve_npm(&mock, None);
        serve_pypi(&mock);
        setup(&mock);
        let config = r#"{ "mcpServers": {
  "example": { "command": "npx", "args": ["-y", "@example/mcp-server"] },
  "python": { "command": "uvx", "args": ["example-mcp-server"] }
} }
"#;
        let project = Project::new(&mock, config);
        let command = if name != "oversized" {
            project.run(&["--fix", "--unsafe-fixes", ".mcp.json"])
        } else {
            let mut command = project.command(&["--fix", "--unsafe-fixes", ".mcp.json"]);
            command.env("MCP_LINT_MAX_DOCUMENT_BYTES", "16384");
            run(command)
        };
        match pinned {
            Some(pin) => {
                assert_ne!(command.code, 2, "{name}: {}", command.stderr);
                assert!(project.config().contains(pin), "{name}: {}", project.config());
            }
            None => {
                assert_eq!(command.code, 2, "{name}: exit {}\n{}", command.code, command.stderr);
                assert!(command.stderr.contains(message), "{name}: {}", command.stderr);
                assert!(
                    command.stderr.contains("@example"),
                    "{name}: the error names the package: {}",
                    command.stderr
                );
                let after = project.config();
                assert!(
                    after.contains("\"@example/mcp-server\""),
                    "{name}: that package stays as written: {after}"
                );
                assert!(
                    after.contains("example-mcp-server@1.2.0"),
                    "{name}: the other package is pinned: {after}"
                );
                let lock = project.lock().unwrap_or_default();
                assert!(
                    lock.contains("example-mcp-server"),
                    "{name}: the verified package is locked: {lock}"
                );
                assert!(
                    !lock.contains("@example/mcp-server"),
                    "{name}: only verified entries are locked: {lock}"
                );
            }
        }
    }
}

/// The container registry answers 503 while npm and PyPI serve: the image stays as written with
/// an error naming it, both packages are pinned and locked, exit 2.
#[test]
fn an_unreachable_image_registry_blocks_only_the_image() {
    let mock = Mock::start();
    serve_npm(&mock, None);
    serve_pypi(&mock);
    mock.route("/v2/acme/mcp/manifests/v1", vec![status(503)]);
    let project = Project::new(&mock, CONFIG);
    let fixed = project.run(&["--fix", "--unsafe-fixes", ".mcp.json"]);
    assert_eq!(fixed.code, 2, "{}", fixed.stderr);
    assert!(fixed.stderr.contains("HTTP 503"), "{}", fixed.stderr);
    assert!(
        fixed.stderr.contains("acme/mcp"),
        "the error names the image: {}",
        fixed.stderr
    );
    let after = project.config();
    assert!(
        after.contains("\"ghcr.io/acme/mcp:v1\""),
        "the image stays as written: {after}"
    );
    assert!(after.contains("@example/mcp-server@1.2.0"), "{after}");
    assert!(after.contains("example-mcp-server@1.2.0"), "{after}");
    let lock = project.lock().expect("a lock of what was verified");
    assert!(
        lock.contains("@example/mcp-server") && lock.contains("example-mcp-server"),
        "{lock}"
    );
    assert!(!lock.contains("acme/mcp"), "{lock}");
}

/// A tarball whose bytes do not match its integrity may be tampering: the error names the package
/// and both digests, nothing in that file is changed (the other server is not pinned either),
/// exit 2.
#[test]
fn digest_mismatch_refuses_the_whole_file() {
    let mock = Mock::start();
    serve_npm(&mock, Some(ok(b"evil bytes".to_vec(), "application/octet-stream")));
    serve_pypi(&mock);
    let config = r#"{ "mcpServers": {
  "example": { "command": "npx", "args": ["-y", "@example/mcp-server"] },
  "python": { "command": "uvx", "args": ["example-mcp-server"] }
} }
"#;
    let project = Project::new(&mock, config);
    let fixed = project.run(&["--fix", "--unsafe-fixes", ".mcp.json"]);
    assert_eq!(fixed.code, 2, "{}", fixed.stderr);
    assert!(
        fixed.stderr.contains("@example/mcp-server: digest mismatch"),
        "{}",
        fixed.stderr
    );
    assert!(
        fixed.stderr.contains(&sha512_sri(b"tarball of 1.2.0")),
        "{}",
        fixed.stderr
    );
    assert!(fixed.stderr.contains(&sha512_sri(b"evil bytes")), "{}", fixed.stderr);
    assert_eq!(
        project.config(),
        config,
        "the file with a tampered package is not touched"
    );
    assert!(
        fixed.stderr.contains("nothing in this file was changed"),
        "{}",
        fixed.stderr
    );
}

/// `.npmrc` credentials go to the registry and nowhere else; the token is never printed.
#[test]
fn npmrc_token_is_sent_and_never_printed() {
    let (mock, _) = full_mock();
    let project = Project::new(&mock, CONFIG);
    fs::write(
        project.path().join(".npmrc"),
        format!(
            "registry={}/npm/\n//{}/npm/:_authToken=npm_s3cr3tT0kenValue\n",
            mock.url,
            mock.url.trim_start_matches("http://")
        ),
    )
    .expect("npmrc");
    let mut command = project.command(&["--diff", "--unsafe-fixes", ".mcp.json"]);
    command
        .env_remove("NPM_CONFIG_REGISTRY")
        .env_remove("npm_config_registry");
    let output = run(command);
    assert_eq!(output.code, 1, "{}", output.stderr);
    let seen = mock.seen.lock().expect("seen").clone();
    assert!(
        seen.iter()
            .filter(|(_, path, _)| path.starts_with("/npm/"))
            .all(|(_, _, auth)| auth.as_deref() == Some("Bearer npm_s3cr3tT0kenValue")),
        "{seen:?}"
    );
    assert!(
        seen.iter()
            .filter(|(_, path, _)| path.starts_with("/simple/"))
            .all(|(_, _, auth)| auth.is_none()),
        "the npm token leaked to another host: {seen:?}"
    );
    assert!(!output.stdout.contains("s3cr3t") && !output.stderr.contains("s3cr3t"));
}

/// The shared recorded samples, served as a registry: the synthetic npm packument's tarballs are
/// the bytes of `tarball.bin`, whose digest it records.
#[test]
#[ignore = "needs ../shared beside the repository"]
fn shared_samples_pin_through_the_loopback_registry() {
    let samples = crate::common::shared("registry-samples");
    let mock = Mock::start();
    let packument = fs::read_to_string(samples.join("synthetic/npm-full-realshape.json"))
        .expect("sample")
        .replace("https://npm.registry.test", &format!("{}/npm", mock.url));
    mock.route("/npm/@example%2fmcp-server", vec![ok(packument, "application/json")]);
    let tarball = fs::read(samples.join("synthetic/tarball.bin")).expect("tarball.bin");
    for version in ["1.1.0", "1.2.0", "1.3.0-beta.1"] {
        mock.route(
            &format!("/npm/@example/mcp-server/-/mcp-server-{version}.tgz"),
            vec![ok(tarball.clone(), "application/octet-stream")],
        );
    }
    let project = Project::new(
        &mock,
        r#"{ "mcpServers": { "x": { "command": "npx", "args": ["-y", "@example/mcp-server"] } } }
"#,
    );
    let fixed = project.run(&["--fix", "--unsafe-fixes", ".mcp.json"]);
    assert_ne!(fixed.code, 2, "{}", fixed.stderr);
    assert!(
        project.config().contains("@example/mcp-server@1.2.0"),
        "{}",
        project.config()
    );
    let lock = project.lock().expect("lock");
    assert!(
        lock.contains(
            "sha512-yZqKWs9iUdbdcZjjl8bxPycZqF82z5sRc3bmHj8qbX5nA0wzAL2nv5paNQXbuqSlvpVxqJYD3cnEPXGWtrKD6Q=="
        ),
        "{lock}"
    );
    let _ = fs::File::open(samples.join("synthetic/tarball.bin")).map(|mut f| {
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).map(|_| bytes)
    });
}

/// The resolution benchmark (numbers in the README): 30 unique packages against a registry whose
/// every answer takes `LATENCY`. Cold, the run should cost about two request latencies (one wave
/// of metadata, one of artifacts); warm, it makes no request; after the time-to-live, only
/// revalidations (304s); `--offline` with a lock, none.
#[test]
fn resolution_benchmark() {
    const LATENCY: Duration = Duration::from_millis(300);
    const PACKAGES: usize = 30;
    let mock = Mock::start();
    let mut servers = Vec::new();
    for n in 0..PACKAGES {
        let name = format!("@bench/server-{n}");
        let bytes = format!("tarball {n}").into_bytes();
        let tarball = format!("/npm/@bench/server-{n}/-/server-{n}-1.0.0.tgz");
        let packument = serde_json::json!({
            "name": name,
            "dist-tags": {"latest": "1.0.0"},
            "time": {"1.0.0": days_ago(30)},
            "versions": {"1.0.0": {"dist": {"tarball": format!("{}{tarball}", mock.url), "integrity": sha512_sri(&bytes)}}},
        });
        mock.route(
            &format!("/npm/@bench%2fserver-{n}"),
            vec![Reply::Slow(
                LATENCY,
                Box::new(ok(packument.to_string(), "application/json")),
            )],
        );
        mock.route(
            &tarball,
            vec![Reply::Slow(LATENCY, Box::new(ok(bytes, "application/octet-stream")))],
        );
        servers.push(format!(
            "\"s{n}\": {{ \"command\": \"npx\", \"args\": [\"-y\", \"{name}\"] }}"
        ));
    }
    let config = format!("{{ \"mcpServers\": {{\n  {}\n}} }}\n", servers.join(",\n  "));
    // One package alone: two requests in a row, plus the process's own cost.
    let mut single = Project::new(
        &mock,
        "{ \"mcpServers\": { \"s\": { \"command\": \"npx\", \"args\": [\"-y\", \"@bench/server-0\"] } } }\n",
    );
    single.timeout_ms = 10_000;
    let started = std::time::Instant::now();
    assert_ne!(single.run(&["--fix", "--unsafe-fixes", ".mcp.json"]).code, 2);
    let single_time = started.elapsed();
    let single_requests = mock.requests();

    let mut project = Project::new(&mock, &config);
    project.timeout_ms = 10_000;

    let started = std::time::Instant::now();
    let cold = project.run(&["--fix", "--unsafe-fixes", ".mcp.json"]);
    let cold_time = started.elapsed();
    assert_ne!(cold.code, 2, "{}", cold.stderr);
    assert!(project.config().contains("@bench/server-29@1.0.0"));
    let cold_requests = mock.requests() - single_requests;
    assert_eq!(cold_requests, 2 * PACKAGES, "one packument and one tarball each");

    // Warm: the same packages again (as a second config would) within the time-to-live.
    fs::write(project.path().join(".mcp.json"), &config).expect("reset");
    let started = std::time::Instant::now();
    let warm = project.run(&["--fix", "--unsafe-fixes", ".mcp.json"]);
    let warm_time = started.elapsed();
    assert_ne!(warm.code, 2, "{}", warm.stderr);
    let warm_requests = mock.requests() - cold_requests - single_requests;
    assert_eq!(warm_requests, 0, "a warm run asked the registry again");

    // After the time-to-live: conditional requests only, answered 304; artifacts are not fetched
    // again (their digests were verified before).
    fs::write(project.path().join(".mcp.json"), &config).expect("reset");
    let before = mock.requests();
    let mut command = project.command(&["--fix", "--unsafe-fixes", ".mcp.json"]);
    command.env("MCP_LINT_CACHE_TTL_SECS", "0");
    let stale = run(command);
    assert_ne!(stale.code, 2, "{}", stale.stderr);
    let revalidations = mock.requests() - before;
    assert_eq!(revalidations, PACKAGES, "only the packuments are revalidated");

    let before = mock.requests();
    let locked = project.run(&["--offline", "check", "--locked", ".mcp.json"]);
    assert_ne!(locked.code, 2, "{}", locked.stderr);
    assert_eq!(mock.requests(), before, "--offline with a lock made a request");

    let ratio = cold_time.as_secs_f64() / LATENCY.as_secs_f64();
    let versus_one = cold_time.as_secs_f64() / single_time.as_secs_f64();
    eprintln!(
        "resolution benchmark: {PACKAGES} packages, {} ms per request: cold {} ms = {ratio:.1}x one request ({cold_requests} requests); one package alone {} ms, so 30 cost {versus_one:.2}x one; warm {} ms (0 requests); stale: {revalidations} revalidations; --offline --locked: 0 requests",
        LATENCY.as_millis(),
        cold_time.as_millis(),
        single_time.as_millis(),
        warm_time.as_millis()
    );
    assert!(
        versus_one < 2.0,
        "30 packages took {versus_one:.2}x one package: resolution is not concurrent"
    );
}

/// `check --resolve` with a registry that fails: a clear error and exit 2, like any other error.
#[test]
fn check_resolve_reports_registry_failure_as_an_error() {
    let mock = Mock::start();
    mock.route("/npm/@example%2fmcp-server", vec![status(503)]);
    let project = Project::new(
        &mock,
        r#"{ "mcpServers": { "x": { "command": "npx", "args": ["-y", "@example/mcp-server@1.2.0"] } } }
"#,
    );
    let checked = project.run(&["check", "--resolve", ".mcp.json"]);
    assert_eq!(checked.code, 2, "{}", checked.stderr);
    assert!(checked.stderr.contains("HTTP 503"), "{}", checked.stderr);
}

/// `mcp-lint pin .mcp.json` on a pseudo-terminal, aimed at the mock registry.
fn pin_session(mock: &Mock, project: &Project) -> rexpect::session::PtySession {
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("mcp-lint"));
    command
        .current_dir(project.path())
        .args(["pin", ".mcp.json"])
        .env("TERM", "xterm")
        .env("HOME", project.path().join("home"))
        .env("NPM_CONFIG_USERCONFIG", project.path().join("home/.npmrc"))
        .env("NPM_CONFIG_REGISTRY", format!("{}/npm", mock.url))
        .env("UV_INDEX_URL", format!("{}/simple", mock.url))
        .env("MCP_LINT_CACHE_DIR", project.path().join("cache"))
        .env("NO_PROXY", crate::common::loopback_no_proxy())
        .env_remove("NO_COLOR");
    rexpect::session::spawn_command(command, Some(30_000)).expect("a pseudo-terminal")
}

/// Sends a key once the menu reads the terminal in raw mode.
fn key(session: &mut rexpect::session::PtySession, key: &str) {
    thread::sleep(Duration::from_millis(300));
    session.send(key).expect("a key");
    session.flush().expect("flush");
}

/// `mcp-lint pin` on a pseudo-terminal: take the policy's pick for one package, skip the other,
/// confirm, and check the file and the lock.
#[test]
fn pin_wizard_on_a_terminal() {
    let (mock, _) = full_mock();
    let config = r#"{ "mcpServers": {
  "example": { "command": "npx", "args": ["-y", "@example/mcp-server"] },
  "python": { "command": "uvx", "args": ["example-mcp-server"] }
} }
"#;
    let project = Project::new(&mock, config);

    // Without a terminal it refuses and points to --fix.
    let refused = project.run(&["pin", ".mcp.json"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("mcp-lint --fix --unsafe-fixes"),
        "{}",
        refused.stderr
    );

    let mut session = pin_session(&mock, &project);
    session
        .exp_string("Pin `@example/mcp-server` to")
        .expect("first question");
    session
        .exp_string("1.2.0 (the policy's pick")
        .expect("the policy's pick first");
    session.exp_string("skip").expect("the whole menu");
    key(&mut session, "\r");
    session
        .exp_string("Pin `example-mcp-server` to")
        .expect("second question");
    session.exp_string("skip").expect("the whole menu");
    // The policy's pick, the newest, another version..., skip: down three times.
    for _ in 0..3 {
        key(&mut session, "\x1b[B");
    }
    key(&mut session, "\r");
    session
        .exp_string("Write these changes")
        .expect("the confirmation, after the diff");
    key(&mut session, "y");
    session.exp_string("Pinned 1 of 2").expect("summary");
    session.exp_eof().expect("exit");

    let after = project.config();
    assert!(after.contains("\"@example/mcp-server@1.2.0\""), "{after}");
    assert!(
        after.contains("\"example-mcp-server\""),
        "the skipped package changed: {after}"
    );
    let lock = project.lock().expect("a lock");
    assert!(lock.contains(&sha512_sri(b"tarball of 1.2.0")), "{lock}");
    assert!(!lock.contains("example-mcp-server"), "{lock}");
}

/// "This and every remaining one": the policy's pick for all, one question, then the diff.
#[test]
fn pin_wizard_accepts_the_rest() {
    let (mock, _) = full_mock();
    let config = r#"{ "mcpServers": {
  "example": { "command": "npx", "args": ["-y", "@example/mcp-server"] },
  "python": { "command": "uvx", "args": ["example-mcp-server"] }
} }
"#;
    let project = Project::new(&mock, config);
    let mut session = pin_session(&mock, &project);
    session
        .exp_string("Pin `@example/mcp-server` to")
        .expect("first question");
    session.exp_string("no more questions").expect("the whole menu");
    for _ in 0..4 {
        key(&mut session, "\x1b[B");
    }
    key(&mut session, "\r");
    session
        .exp_string("(the policy's pick)")
        .expect("the second taken without a question");
    session.exp_string("Write these changes").expect("the confirmation");
    key(&mut session, "y");
    session.exp_string("Pinned 2 of 2").expect("summary");
    session.exp_eof().expect("exit");
    let after = project.config();
    assert!(after.contains("\"@example/mcp-server@1.2.0\""), "{after}");
    assert!(after.contains("\"example-mcp-server@1.2.0\""), "{after}");
}

/// The wizard's screens (the questions, the diff, the summary) never show a secret of the file:
/// the marker secret sits in an env value, a documented positional argument and a URL's query,
/// each written beside the line the wizard changes so the diff's context shows it.
#[test]
fn pin_wizard_screens_carry_no_secret() {
    use crate::leak::{MARKER, json_escaped, leaks};
    let (mock, _) = full_mock();
    let config = r#"{ "mcpServers": {
  "example": { "command": "npx", "args": ["-y", "@example/mcp-server", "--api-key", "{M}"],
    "env": { "EXAMPLE_TOKEN": "{E}" } },
  "remote": { "type": "http", "url": "https://tools.example.com/mcp?token={M}" },
  "python": { "command": "uvx", "args": ["example-mcp-server"] }
} }
"#
    .replace("{M}", MARKER)
    .replace("{E}", &json_escaped());
    let project = Project::new(&mock, &config);
    let mut session = pin_session(&mock, &project);
    let mut screens = String::new();
    screens += &session
        .exp_string("Pin `@example/mcp-server` to")
        .expect("first question");
    screens += &session.exp_string("skip").expect("the whole menu");
    key(&mut session, "\r");
    screens += &session
        .exp_string("Pin `example-mcp-server` to")
        .expect("second question");
    screens += &session.exp_string("skip").expect("the whole menu");
    key(&mut session, "\r");
    screens += &session
        .exp_string("Write these changes")
        .expect("the confirmation, after the diff");
    key(&mut session, "y");
    screens += &session.exp_string("Pinned 2 of 2").expect("summary");
    screens += &session.exp_eof().expect("exit");
    assert!(
        screens.contains("@example/mcp-server@1.2.0"),
        "the diff was shown: {screens}"
    );
    assert!(
        screens.contains("EXAMPLE_TOKEN") && screens.contains("--api-key"),
        "the secrets' lines were shown: {screens}"
    );
    let found = leaks(&screens);
    assert!(found.is_empty(), "the wizard printed {found:?}:\n{screens}");
    // The secrets are still in the file, as written: pinning does not move them.
    assert_eq!(project.config().matches(MARKER).count(), 2);
}

/// `HTTP_PROXY` (and `HTTPS_PROXY`, `ALL_PROXY`) is honoured: the request goes to the proxy; a host
/// in `NO_PROXY` is reached directly.
#[test]
fn proxies_from_the_environment_are_honoured() {
    let (mock, _) = full_mock();
    let proxy = Mock::start();
    let project = Project::new(&mock, CONFIG);
    let mut command = project.command(&["--diff", "--unsafe-fixes", "--ignore", "unpinned-image", ".mcp.json"]);
    command
        .env("HTTP_PROXY", &proxy.url)
        .env("NO_PROXY", "")
        .env("no_proxy", "");
    let proxied = run(command);
    let through_proxy = proxy.seen.lock().expect("seen").clone();
    // The client tunnels through the proxy to the registry's host.
    let registry_host = mock.url.trim_start_matches("http://");
    assert!(
        through_proxy
            .iter()
            .any(|(method, target, _)| method == "CONNECT" && target == registry_host),
        "the proxy saw no tunnel to the registry: {through_proxy:?}\n{}",
        proxied.stderr
    );
    assert_eq!(
        proxied.code, 2,
        "the proxy refused, so the run fails: {}",
        proxied.stderr
    );
    assert_eq!(mock.requests(), 0, "a request bypassed the proxy");

    let mut command = project.command(&["--diff", "--unsafe-fixes", "--ignore", "unpinned-image", ".mcp.json"]);
    command.env("HTTP_PROXY", &proxy.url).env("NO_PROXY", "127.0.0.1");
    let direct = run(command);
    assert_eq!(direct.code, 1, "{}", direct.stderr);
    assert!(direct.stdout.contains("@example/mcp-server@1.2.0"), "{}", direct.stdout);
    assert_eq!(proxy.requests(), through_proxy.len(), "NO_PROXY was not honoured");
}

/// "another version...": the searchable list; typing narrows it, the chosen version is verified
/// when picked and pinned.
#[test]
fn pin_wizard_searches_versions() {
    let (mock, _) = full_mock();
    let config = r#"{ "mcpServers": { "example": { "command": "npx", "args": ["-y", "@example/mcp-server"] } } }
"#;
    let project = Project::new(&mock, config);
    let mut session = pin_session(&mock, &project);
    session.exp_string("skip").expect("the whole menu");
    // The policy's pick, the newest, another version...: down twice.
    for _ in 0..2 {
        key(&mut session, "\x1b[B");
    }
    key(&mut session, "\r");
    session
        .exp_string("Version (type to search)")
        .expect("the searchable list");
    for c in ["1", ".", "0", ".", "0"] {
        key(&mut session, c);
    }
    key(&mut session, "\r");
    session.exp_string("Write these changes").expect("the confirmation");
    key(&mut session, "y");
    session.exp_string("Pinned 1 of 1").expect("summary");
    session.exp_eof().expect("exit");
    assert!(
        project.config().contains("\"@example/mcp-server@1.0.0\""),
        "{}",
        project.config()
    );
    let lock = project.lock().expect("a lock");
    assert!(lock.contains(&sha512_sri(b"tarball of 1.0.0")), "{lock}");
}

/// A package the registry answers 404 for is an `unknown-package` error once resolution runs
/// (and from the cache offline); a plain check asks nothing and says nothing.
#[test]
fn unknown_package_is_an_error_when_resolved() {
    let (mock, _) = full_mock();
    let config = r#"{ "mcpServers": {
  "known": { "command": "npx", "args": ["-y", "@example/mcp-server@1.2.0"] },
  "typo": { "command": "npx", "args": ["-y", "@example/mcp-servr@1.2.0"] }
} }
"#;
    let project = Project::new(&mock, config);
    let plain = project.run(&["check", "--select", "unknown-package", ".mcp.json"]);
    assert_eq!(plain.code, 0, "{}", plain.stdout);
    assert_eq!(mock.requests(), 0, "a plain check made a request");

    let resolved = project.run(&[
        "check",
        "--resolve",
        "--select",
        "unknown-package",
        "--format",
        "json",
        ".mcp.json",
    ]);
    let found: Vec<(String, String)> = crate::common::reported(&resolved.stdout)
        .into_iter()
        .map(|(rule, server, _)| (rule, server))
        .collect();
    assert_eq!(
        found,
        [("unknown-package".to_owned(), "typo".to_owned())],
        "{}",
        resolved.stdout
    );
    assert!(resolved.stdout.contains("does not exist on npm"), "{}", resolved.stdout);

    let before = mock.requests();
    let offline = project.run(&[
        "--offline",
        "check",
        "--resolve",
        "--select",
        "unknown-package",
        ".mcp.json",
    ]);
    assert_eq!(mock.requests(), before, "offline asked the registry");
    assert!(
        offline.stdout.contains("error[unknown-package]"),
        "{}{}",
        offline.stdout,
        offline.stderr
    );
}

/// A Kubernetes manifest stream is fixed in place: the image of the MCP resource in its second
/// document is pinned to the verified digest and locked; every other document and byte stays.
#[test]
fn pins_an_image_inside_a_manifest_stream() {
    let (mock, digest) = full_mock();
    let project = Project::new(&mock, CONFIG);
    let stream = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tools\ndata:\n  a: b\n---\n\
                  apiVersion: toolhive.stacklok.dev/v1beta1\nkind: MCPServer\nmetadata:\n  name: acme\n\
                  spec:\n  image: ghcr.io/acme/mcp:v1 # the acme server\n  transport: stdio\n---\n\
                  apiVersion: kagent.dev/v1alpha2\nkind: RemoteMCPServer\nmetadata:\n  name: docs\n\
                  spec:\n  url: https://docs.example.com/mcp\n";
    fs::write(project.path().join("stack.yaml"), stream).expect("write stream");
    let fixed = project.run(&["--fix", "--unsafe-fixes", "stack.yaml"]);
    assert_eq!(fixed.code, 0, "{}{}", fixed.stdout, fixed.stderr);
    let after = fs::read_to_string(project.path().join("stack.yaml")).expect("stream");
    assert_eq!(
        after,
        stream.replace("ghcr.io/acme/mcp:v1 #", &format!("ghcr.io/acme/mcp:v1@{digest} #"))
    );
    let lock = project.lock().expect("a lock beside the stream");
    assert!(lock.contains(&digest), "{lock}");
    let again = project.run(&["--fix", "--unsafe-fixes", "stack.yaml"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        fs::read_to_string(project.path().join("stack.yaml")).expect("stream"),
        after
    );
}
