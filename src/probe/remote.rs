//! MCP over HTTP for `probe --remote`: the streamable HTTP transport (POST, answers as JSON or as
//! an event stream, `Mcp-Session-Id`) and the older HTTP+SSE one (a GET event stream that names
//! where to POST). Every read is bounded and every call ends by the session's deadline.

use std::io::{BufRead, BufReader, Read};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use ureq::Agent;

use super::session::{Rpc, SessionError};

/// Which HTTP transport a remote server speaks, from its config (`type: sse` is the older one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpTransport {
    Streamable,
    Sse,
}

/// A session with a remote server.
pub struct HttpSession {
    agent: Agent,
    url: String,
    headers: Vec<(String, String)>,
    deadline: Instant,
    timeout: Duration,
    limit: usize,
    next_id: u64,
    session_id: Option<String>,
    protocol: Option<String>,
    /// The older transport: where to POST, and the event stream the answers come on.
    sse: Option<(String, Receiver<Incoming>)>,
}

enum Incoming {
    Message(Value),
    Failed(String),
}

impl HttpSession {
    pub fn connect(
        url: &str,
        headers: Vec<(String, String)>,
        transport: HttpTransport,
        timeout: Duration,
        limit: usize,
    ) -> Result<Self, SessionError> {
        let mut session = Self {
            // No redirect is followed: a server does not send its caller's credential elsewhere.
            agent: crate::resolve::http::agent(timeout, 0),
            url: url.to_owned(),
            headers,
            deadline: Instant::now() + timeout,
            timeout,
            limit,
            next_id: 1,
            session_id: None,
            protocol: None,
            sse: None,
        };
        if transport == HttpTransport::Sse {
            session.open_event_stream()?;
        }
        Ok(session)
    }

    fn failed(&self, what: impl Into<String>) -> SessionError {
        SessionError::Http(what.into())
    }

    /// The older transport: GET the event stream; its first `endpoint` event says where to POST.
    fn open_event_stream(&mut self) -> Result<(), SessionError> {
        let mut request = self.agent.get(&self.url).header("Accept", "text/event-stream");
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let response = request
            .call()
            .map_err(|e| self.failed(format!("GET {}: {e}", self.url)))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(self.failed(format!("GET of the event stream answered HTTP {status}")));
        }
        let (sender, receiver) = mpsc::channel();
        let limit = self.limit;
        let body = response.into_body().into_reader();
        let (endpoint_sender, endpoint) = mpsc::channel();
        thread::spawn(move || {
            let mut endpoint_sender = Some(endpoint_sender);
            read_events(body, limit, |event, data| {
                if event == "endpoint" {
                    if let Some(sender) = endpoint_sender.take() {
                        let _ = sender.send(data.to_owned());
                    }
                    return true;
                }
                let incoming = match serde_json::from_str::<Value>(data) {
                    Ok(message) => Incoming::Message(message),
                    Err(error) => Incoming::Failed(format!("an event that is not JSON ({error})")),
                };
                sender.send(incoming).is_ok()
            })
            .err()
            .map(|error| sender.send(Incoming::Failed(error)));
        });
        let left = self.deadline.saturating_duration_since(Instant::now());
        let path = endpoint.recv_timeout(left).map_err(|_| SessionError::Timeout {
            after: self.timeout,
            during: " waiting for the event stream's `endpoint`".into(),
        })?;
        let post_to = join_url(&self.url, path.trim());
        if origin(&post_to) != origin(&self.url) {
            return Err(self.failed("the event stream named an endpoint on another origin; not followed"));
        }
        self.sse = Some((post_to, receiver));
        Ok(())
    }

    fn post(&mut self, message: &Value, method: &str, id: Option<u64>) -> Result<Option<Value>, SessionError> {
        let target = self
            .sse
            .as_ref()
            .map_or_else(|| self.url.clone(), |(url, _)| url.clone());
        let mut request = self
            .agent
            .post(&target)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream");
        for (name, value) in &self.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(session) = &self.session_id {
            request = request.header("Mcp-Session-Id", session.as_str());
        }
        if let Some(protocol) = &self.protocol {
            request = request.header("MCP-Protocol-Version", protocol.as_str());
        }
        let response = request
            .send(message.to_string().as_bytes())
            .map_err(|e| self.failed(format!("POST `{method}`: {e}")))?;
        let status = response.status().as_u16();
        match status {
            200 | 202 => {}
            401 | 403 => {
                return Err(self.failed(format!(
                    "the server refused `{method}` with HTTP {status}: give it its credential through the environment"
                )));
            }
            _ => return Err(self.failed(format!("the server answered `{method}` with HTTP {status}"))),
        }
        if let Some(session) = response.headers().get("Mcp-Session-Id").and_then(|v| v.to_str().ok()) {
            self.session_id = Some(session.to_owned());
        }
        let Some(id) = id else {
            return Ok(None);
        };
        if self.sse.is_some() {
            return self.await_event(id, method).map(Some);
        }
        if status == 202 {
            return Err(self.failed(format!("the server accepted `{method}` without answering it")));
        }
        let event_stream = response
            .headers()
            .get("Content-Type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/event-stream"));
        let body = response.into_body().into_reader();
        if event_stream {
            let mut answer = None;
            read_events(body, self.limit, |_, data| match serde_json::from_str::<Value>(data) {
                Ok(message) if message.get("id").and_then(Value::as_u64) == Some(id) => {
                    answer = Some(Ok(message));
                    false
                }
                Ok(_) => true,
                Err(error) => {
                    answer = Some(Err(format!("an event that is not JSON ({error})")));
                    false
                }
            })
            .map_err(|e| self.failed(e))?;
            return match answer {
                Some(Ok(message)) => Ok(Some(message)),
                Some(Err(message)) => Err(SessionError::Malformed {
                    method: method.to_owned(),
                    message,
                }),
                None => Err(self.failed(format!("the event stream ended without the answer to `{method}`"))),
            };
        }
        let mut bytes = Vec::new();
        body.take(self.limit as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| self.failed(e.to_string()))?;
        if bytes.len() > self.limit {
            return Err(SessionError::TooMuchOutput { limit: self.limit });
        }
        let parsed: Value = serde_json::from_slice(&bytes).map_err(|e| SessionError::Malformed {
            method: method.to_owned(),
            message: format!("not JSON ({e})"),
        })?;
        // A batch answer: the message with our id.
        let message = match parsed {
            Value::Array(items) => items
                .into_iter()
                .find(|m| m.get("id").and_then(Value::as_u64) == Some(id))
                .unwrap_or(Value::Null),
            other => other,
        };
        Ok(Some(message))
    }

    fn await_event(&mut self, id: u64, method: &str) -> Result<Value, SessionError> {
        let Some((_, receiver)) = &self.sse else {
            return Err(self.failed("no event stream"));
        };
        loop {
            let left = self.deadline.saturating_duration_since(Instant::now());
            match receiver.recv_timeout(left) {
                Ok(Incoming::Message(message)) if message.get("id").and_then(Value::as_u64) == Some(id) => {
                    return Ok(message);
                }
                Ok(Incoming::Message(_)) => {}
                Ok(Incoming::Failed(message)) => {
                    return Err(SessionError::Malformed {
                        method: method.to_owned(),
                        message,
                    });
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(SessionError::Timeout {
                        after: self.timeout,
                        during: format!(" waiting for the answer to `{method}`"),
                    });
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(self.failed(format!("the event stream closed before the answer to `{method}`")));
                }
            }
        }
    }

    /// Ends the session on the server's side, when it gave one (errors do not matter here).
    pub fn close(self) {
        if let Some(session) = &self.session_id {
            let mut request = self.agent.delete(&self.url).header("Mcp-Session-Id", session.as_str());
            for (name, value) in &self.headers {
                request = request.header(name.as_str(), value.as_str());
            }
            let _ = request.call();
        }
    }
}

impl Rpc for HttpSession {
    fn request(&mut self, method: &str, params: Value) -> Result<Value, SessionError> {
        if Instant::now() >= self.deadline {
            return Err(SessionError::Timeout {
                after: self.timeout,
                during: format!(" before `{method}`"),
            });
        }
        let id = self.next_id;
        self.next_id += 1;
        let message = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        let answer = self.post(&message, method, Some(id))?.unwrap_or(Value::Null);
        let result = super::session::result_of(&answer, method)?;
        if method == "initialize" {
            self.protocol = result.get("protocolVersion").and_then(Value::as_str).map(str::to_owned);
        }
        Ok(result)
    }

    fn notify(&mut self, method: &str) -> Result<(), SessionError> {
        self.post(&json!({"jsonrpc": "2.0", "method": method}), method, None)
            .map(|_| ())
    }
}

/// Reads server-sent events (`event:` and `data:` lines, blank line between events), at most
/// `limit` bytes, handing each to `on_event` until it returns false.
pub fn read_events(body: impl Read, limit: usize, mut on_event: impl FnMut(&str, &str) -> bool) -> Result<(), String> {
    let mut reader = BufReader::new(body.take(limit as u64 + 1));
    let (mut event, mut data) = (String::new(), String::new());
    let mut read = 0usize;
    loop {
        let mut line = String::new();
        let got = reader.read_line(&mut line).map_err(|e| e.to_string())?;
        read += got;
        if read > limit {
            return Err(format!("the event stream went over {limit} bytes"));
        }
        if got == 0 {
            return Ok(());
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if !data.is_empty() && !on_event(if event.is_empty() { "message" } else { &event }, &data) {
                return Ok(());
            }
            event.clear();
            data.clear();
        } else if let Some(value) = line.strip_prefix("event:") {
            event = value.trim().to_owned();
        } else if let Some(value) = line.strip_prefix("data:") {
            if !data.is_empty() {
                data.push('\n');
            }
            data.push_str(value.strip_prefix(' ').unwrap_or(value));
        }
    }
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..].find('/').map_or(url.len(), |i| after_scheme + i);
    &url[..end]
}

/// `path` (absolute, or relative to `base`'s origin when it starts with `/`) as a full URL.
fn join_url(base: &str, path: &str) -> String {
    if path.contains("://") {
        path.to_owned()
    } else if path.starts_with('/') {
        format!("{}{path}", origin(base))
    } else {
        let directory = base.rsplit_once('/').map_or(base, |(dir, _)| dir);
        format!("{directory}/{path}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_and_urls() {
        let stream =
            "event: endpoint\ndata: /messages?session=1\n\ndata: {\"id\":1}\n\n: comment\ndata: a\ndata: b\n\n";
        let mut seen = Vec::new();
        read_events(stream.as_bytes(), 1 << 20, |event, data| {
            seen.push((event.to_owned(), data.to_owned()));
            true
        })
        .expect("reads");
        assert_eq!(
            seen,
            [
                ("endpoint".to_owned(), "/messages?session=1".to_owned()),
                ("message".to_owned(), "{\"id\":1}".to_owned()),
                ("message".to_owned(), "a\nb".to_owned()),
            ]
        );
        assert!(read_events("data: x\n\n".repeat(100).as_bytes(), 50, |_, _| true).is_err());
        assert_eq!(
            join_url("http://127.0.0.1:9/sse", "/messages?s=1"),
            "http://127.0.0.1:9/messages?s=1"
        );
        assert_eq!(origin("https://a.example:8443/x/y"), "https://a.example:8443");
    }
}
