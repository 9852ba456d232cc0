//! A language client in a test: `mcp-lint server` spoken to over stdio as an editor speaks to it
//! (Content-Length frames, requests with ids, the server's own requests answered).

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub(crate) struct Client {
    pub(crate) child: Child,
    pub(crate) stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    next_id: i64,
}

impl Client {
    pub(crate) fn start(dir: &std::path::Path) -> Self {
        Self::start_with(dir, &[])
    }

    /// A server started in `dir` with these environment variables (a loopback registry's).
    pub(crate) fn start_with(dir: &std::path::Path, env: &[(String, String)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mcp-lint"))
            .arg("server")
            .current_dir(dir)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("mcp-lint server starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = BufReader::new(child.stdout.take().expect("stdout"));
        Self {
            child,
            stdin,
            stdout,
            next_id: 1,
        }
    }

    /// A server started with `env` and initialized with these `initialize` parameters.
    pub(crate) fn initialized_with(dir: &std::path::Path, env: &[(String, String)], params: Value) -> Self {
        let mut client = Self::start_with(dir, env);
        client.request("initialize", params);
        client.notify("initialized", json!({}));
        client
    }

    /// Answers a request the server sent.
    pub(crate) fn answer(&mut self, request: &Value, result: Value) {
        self.send(&json!({"jsonrpc": "2.0", "id": request["id"], "result": result}));
    }

    /// A server started in `dir` and through the initialize handshake.
    pub(crate) fn initialized(dir: &std::path::Path) -> Self {
        let mut client = Self::start(dir);
        client.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": {}}),
        );
        client.notify("initialized", json!({}));
        client
    }

    /// Shuts the server down as an editor does; it must exit with code 0.
    pub(crate) fn finish(mut self) {
        self.request("shutdown", json!(null));
        self.notify("exit", json!(null));
        assert_eq!(self.child.wait().expect("exit").code(), Some(0));
    }

    pub(crate) fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.stdin.flush().expect("flush");
    }

    pub(crate) fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request without waiting for its answer; returns its id.
    pub(crate) fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    pub(crate) fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.read_until(|message| message["id"] == id)
    }

    pub(crate) fn read(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).expect("read") > 0,
                "the server closed its output"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.parse().expect("length");
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).expect("body");
        serde_json::from_slice(&body).expect("JSON")
    }

    pub(crate) fn read_until(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let started = Instant::now();
        loop {
            assert!(started.elapsed() < Duration::from_secs(20), "no answer in time");
            let message = self.read();
            if wanted(&message) {
                return message;
            }
        }
    }

    pub(crate) fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let published =
            self.read_until(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri);
        published["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

/// `text` with an LSP text edit applied (its positions in UTF-16 code units, as the protocol counts).
pub(crate) fn apply_edit(text: &str, edit: &Value) -> String {
    let offset = |position: &Value| {
        let line = position["line"].as_u64().expect("line") as usize;
        let character = position["character"].as_u64().expect("character") as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        let mut at = start;
        for c in text[start..].chars() {
            if units >= character || c == '\n' {
                break;
            }
            units += c.len_utf16();
            at += c.len_utf8();
        }
        at
    };
    let (start, end) = (offset(&edit["range"]["start"]), offset(&edit["range"]["end"]));
    format!(
        "{}{}{}",
        &text[..start],
        edit["newText"].as_str().expect("newText"),
        &text[end..]
    )
}
