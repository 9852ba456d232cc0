//! One MCP session over stdio: spawn the server in its own process group, speak JSON-RPC line by
//! line with a deadline and a bound on what is read, and take the whole group down afterwards.

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt as _;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use thiserror::Error;

/// Protocol versions this client speaks, newest first; the first is the one it asks for.
pub const PROTOCOL_VERSIONS: &[&str] = &["2025-06-18", "2025-03-26", "2024-11-05"];

/// Why a session failed. Messages never quote what the server wrote on stdout (it could echo its
/// environment); stderr is quoted masked, by the caller.
#[derive(Debug, Error)]
pub enum SessionError {
    #[error("cannot start `{command}`: {message}")]
    Spawn { command: String, message: String },
    #[error("timed out after {} s{during}", .after.as_secs())]
    Timeout { after: Duration, during: String },
    #[error("the server exited ({status}) before answering `{method}`")]
    Exited { status: String, method: String },
    #[error("the server wrote more than {limit} bytes to stdout")]
    TooMuchOutput { limit: usize },
    #[error("the server's answer to `{method}` is not JSON-RPC: {message}")]
    Malformed { method: String, message: String },
    #[error("the server answered `{method}` with error {code}: {message}")]
    Rpc { method: String, code: i64, message: String },
    #[error("the server speaks protocol `{0}`, which this client does not")]
    Protocol(String),
    #[error("{0}")]
    Http(String),
}

/// One side of a JSON-RPC conversation with a server, whatever carries it.
pub trait Rpc {
    /// Sends a request and returns its `result`.
    fn request(&mut self, method: &str, params: Value) -> Result<Value, SessionError>;
    fn notify(&mut self, method: &str) -> Result<(), SessionError>;
}

/// The `result` of an answer to `method`, or its error.
pub fn result_of(message: &Value, method: &str) -> Result<Value, SessionError> {
    if let Some(error) = message.get("error") {
        return Err(SessionError::Rpc {
            method: method.to_owned(),
            code: error.get("code").and_then(Value::as_i64).unwrap_or(0),
            message: error
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .chars()
                .take(200)
                .collect(),
        });
    }
    message.get("result").cloned().ok_or_else(|| SessionError::Malformed {
        method: method.to_owned(),
        message: "no `result` and no `error`".into(),
    })
}

/// What the server's reader thread hands over: one message, or why reading stopped.
enum Incoming {
    Message(Value),
    NotJson(String),
    TooLong,
    Closed,
}

/// A running server and the means to talk to it.
pub struct Session {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Incoming>,
    stderr: std::sync::Arc<std::sync::Mutex<Vec<u8>>>,
    deadline: Instant,
    timeout: Duration,
    next_id: u64,
    output_limit: usize,
}

/// How to launch one server.
pub struct LaunchSpec {
    pub program: String,
    pub args: Vec<String>,
    pub cwd: Option<std::path::PathBuf>,
    /// The whole environment of the server: nothing else is inherited.
    pub env: Vec<(String, String)>,
}

/// The last bytes of stderr kept for an error message.
const STDERR_TAIL: usize = 4096;

impl Session {
    /// Starts the server in a process group of its own, with only `spec.env` as its environment.
    pub fn start(spec: &LaunchSpec, timeout: Duration, output_limit: usize) -> Result<Self, SessionError> {
        let mut command = Command::new(&spec.program);
        command
            .args(&spec.args)
            .env_clear()
            .envs(spec.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0);
        if let Some(cwd) = &spec.cwd {
            command.current_dir(cwd);
        }
        let mut child = command.spawn().map_err(|e| SessionError::Spawn {
            command: spec.program.clone(),
            message: e.to_string(),
        })?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (sender, incoming) = mpsc::channel();
        thread::spawn(move || read_messages(stdout, output_limit, &sender));
        let tail = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let keep = tail.clone();
        thread::spawn(move || keep_tail(stderr, &keep));
        Ok(Self {
            stdin: child.stdin.take(),
            child,
            incoming,
            stderr: tail,
            deadline: Instant::now() + timeout,
            timeout,
            next_id: 1,
            output_limit,
        })
    }

    fn send(&mut self, message: &Value, method: &str) -> Result<(), SessionError> {
        let mut line = message.to_string();
        line.push('\n');
        let written = self
            .stdin
            .as_mut()
            .map(|stdin| stdin.write_all(line.as_bytes()).and_then(|()| stdin.flush()));
        match written {
            Some(Ok(())) => Ok(()),
            _ => Err(self.exited(method)),
        }
    }

    fn receive(&mut self, method: &str) -> Result<Value, SessionError> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        match self.incoming.recv_timeout(left) {
            Ok(Incoming::Message(message)) => Ok(message),
            Ok(Incoming::NotJson(message)) => Err(SessionError::Malformed {
                method: method.to_owned(),
                message,
            }),
            Ok(Incoming::TooLong) => Err(SessionError::TooMuchOutput {
                limit: self.output_limit,
            }),
            Ok(Incoming::Closed) | Err(RecvTimeoutError::Disconnected) => Err(self.exited(method)),
            Err(RecvTimeoutError::Timeout) => Err(SessionError::Timeout {
                after: self.timeout,
                during: format!(" waiting for the answer to `{method}`"),
            }),
        }
    }

    /// The error for a server that stopped talking: its exit status, once it is known.
    fn exited(&mut self, method: &str) -> SessionError {
        let until = Instant::now() + Duration::from_millis(500);
        let status = loop {
            match self.child.try_wait() {
                Ok(Some(status)) => break status.to_string(),
                Ok(None) if Instant::now() < until => thread::sleep(Duration::from_millis(10)),
                _ => break "closed its stdout".to_owned(),
            }
        };
        SessionError::Exited {
            status,
            method: method.to_owned(),
        }
    }

    /// The last lines the server wrote to stderr.
    pub fn stderr_tail(&self) -> String {
        let bytes = self.stderr.lock().map(|tail| tail.clone()).unwrap_or_default();
        String::from_utf8_lossy(&bytes).trim().to_owned()
    }

    /// Closes stdin, gives the server `grace` to exit, then signals its whole process group:
    /// SIGTERM, and SIGKILL to what is left after another `grace`. Nothing of it survives.
    pub fn shut_down(mut self, grace: Duration) {
        drop(self.stdin.take());
        let group = i32::try_from(self.child.id()).unwrap_or(0);
        let exited = wait_until(grace, || matches!(self.child.try_wait(), Ok(Some(_))));
        if group > 0 {
            // The server may be gone while what it started lives on in its group.
            signal_group(group, rustix::process::Signal::TERM);
            if !wait_until(grace, || {
                !group_alive(group) && (exited || matches!(self.child.try_wait(), Ok(Some(_))))
            }) {
                signal_group(group, rustix::process::Signal::KILL);
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Rpc for Session {
    /// Sends a request and waits for its answer until the session's deadline, answering what the
    /// server asks in between (`ping`; anything else is refused as not supported).
    fn request(&mut self, method: &str, params: Value) -> Result<Value, SessionError> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(
            &json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}),
            method,
        )?;
        loop {
            let message = self.receive(method)?;
            if let Some(asked) = message.get("method").and_then(Value::as_str) {
                if let Some(request_id) = message.get("id") {
                    let reply = if asked == "ping" {
                        json!({"jsonrpc": "2.0", "id": request_id, "result": {}})
                    } else {
                        json!({"jsonrpc": "2.0", "id": request_id, "error": {"code": -32601, "message": "not supported by mcp-lint probe"}})
                    };
                    self.send(&reply, method)?;
                }
                continue;
            }
            if message.get("id").and_then(Value::as_u64) != Some(id) {
                continue;
            }
            return result_of(&message, method);
        }
    }

    fn notify(&mut self, method: &str) -> Result<(), SessionError> {
        self.send(&json!({"jsonrpc": "2.0", "method": method}), method)
    }
}

fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + limit;
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= until {
            return false;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

fn signal_group(group: i32, signal: rustix::process::Signal) {
    // A group that is gone already answers ESRCH, which is what was wanted.
    if let Some(group) = rustix::process::Pid::from_raw(group) {
        let _ = rustix::process::kill_process_group(group, signal);
    }
}

/// True while some process of the group lives (a zombie counts until it is reaped).
fn group_alive(group: i32) -> bool {
    rustix::process::Pid::from_raw(group).is_some_and(|group| rustix::process::test_kill_process_group(group).is_ok())
}

/// Reads newline-delimited JSON-RPC messages, at most `limit` bytes in all.
fn read_messages(stdout: impl Read, limit: usize, sender: &mpsc::Sender<Incoming>) {
    let mut reader = BufReader::new(stdout);
    let mut used = 0usize;
    loop {
        let mut line = Vec::new();
        let allowed = (limit - used) as u64 + 1;
        match reader.by_ref().take(allowed).read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => {
                let _ = sender.send(Incoming::Closed);
                return;
            }
            Ok(read) => {
                used += read;
                if used > limit {
                    let _ = sender.send(Incoming::TooLong);
                    return;
                }
            }
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let incoming = match serde_json::from_str::<Value>(text) {
            Ok(message) if message.is_object() => Incoming::Message(message),
            Ok(_) => Incoming::NotJson("a message that is not a JSON object".into()),
            Err(error) => Incoming::NotJson(format!("not JSON ({error})")),
        };
        let stop = matches!(incoming, Incoming::NotJson(_));
        if sender.send(incoming).is_err() || stop {
            return;
        }
    }
}

/// Keeps the last [`STDERR_TAIL`] bytes of stderr; reads (and drops) the rest so the server never
/// blocks on a full pipe.
fn keep_tail(stderr: impl Read, tail: &std::sync::Mutex<Vec<u8>>) {
    let mut reader = BufReader::new(stderr);
    let mut buffer = [0u8; 8192];
    while let Ok(read) = reader.read(&mut buffer) {
        if read == 0 {
            return;
        }
        if let Ok(mut kept) = tail.lock() {
            kept.extend_from_slice(&buffer[..read]);
            let excess = kept.len().saturating_sub(STDERR_TAIL);
            kept.drain(..excess);
        }
    }
}
