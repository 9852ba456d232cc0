//! The language server's stdio transport: LSP's `Content-Length` frames read and written on
//! threads, as lsp-server's own transport does, except that a malformed message is answered
//! with a JSON-RPC error and the connection goes on (lsp-server's ends it).

use std::io::{self, BufRead, Read, Write};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, Sender, bounded, unbounded};
use lsp_server::{Connection, ErrorCode, Message};

/// A message larger than this is refused and skipped: an editor's buffer is far smaller, and
/// reading a length a peer made up must not take the machine's memory.
pub const MAX_MESSAGE: usize = 64 << 20;

/// The reader and writer threads behind a [`Connection`].
pub struct Transport {
    reader: JoinHandle<io::Result<()>>,
    writer: JoinHandle<io::Result<()>>,
}

impl Transport {
    /// Waits for both threads: the writer once every sender is gone, the reader once the
    /// client said `exit` or closed its end.
    pub fn join(self) -> io::Result<()> {
        let written = self
            .writer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("writer panicked")));
        let read = self
            .reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("reader panicked")));
        written.and(read)
    }
}

/// A connection over this process's stdin and stdout.
pub fn stdio() -> (Connection, Transport) {
    let (to_client, outgoing) = bounded::<Message>(0);
    let (to_server, incoming) = bounded::<Message>(0);
    // The reader's own answers (to messages that never reach the server) go out beside the
    // server's messages.
    let (errors, error_frames) = unbounded::<String>();
    let writer = thread::Builder::new()
        .name("mcp-lint-lsp-writer".to_owned())
        .spawn(move || write_frames(&mut io::stdout(), &outgoing, &error_frames))
        .expect("a thread starts");
    let reader = thread::Builder::new()
        .name("mcp-lint-lsp-reader".to_owned())
        .spawn(move || read_frames(&mut io::stdin().lock(), &to_server, &errors))
        .expect("a thread starts");
    let connection = Connection {
        sender: to_client,
        receiver: incoming,
    };
    (connection, Transport { reader, writer })
}

/// Writes each message as one frame until the server drops its sender.
fn write_frames(out: &mut impl Write, messages: &Receiver<Message>, errors: &Receiver<String>) -> io::Result<()> {
    loop {
        crossbeam_channel::select! {
            recv(messages) -> message => match message {
                Ok(message) => {
                    let mut out = out.by_ref();
                    message.write(&mut out)?;
                }
                Err(_) => return Ok(()),
            },
            recv(errors) -> frame => if let Ok(frame) = frame {
                write!(out, "Content-Length: {}\r\n\r\n{frame}", frame.len())?;
                out.flush()?;
            },
        }
    }
}

/// Reads frames until `exit` or the end of input, handing each message to the server and
/// answering the ones that are not messages.
fn read_frames(input: &mut impl BufRead, server: &Sender<Message>, errors: &Sender<String>) -> io::Result<()> {
    loop {
        let body = match read_frame(input)? {
            Frame::End => return Ok(()),
            Frame::Body(body) => body,
            Frame::Refused(problem) => {
                let _ = errors.send(error_frame(
                    &serde_json::Value::Null,
                    ErrorCode::InvalidRequest,
                    &problem,
                ));
                continue;
            }
        };
        match message_of(&body) {
            Ok(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if server.send(message).is_err() || exit {
                    return Ok(());
                }
            }
            Err(answer) => {
                let _ = errors.send(answer);
            }
        }
    }
}

enum Frame {
    End,
    Body(Vec<u8>),
    /// A frame that was skipped, and why.
    Refused(String),
}

/// One frame: headers to the blank line, then `Content-Length` bytes.
fn read_frame(input: &mut impl BufRead) -> io::Result<Frame> {
    let mut length: Option<usize> = None;
    let mut problem: Option<String> = None;
    let mut seen_header = false;
    loop {
        let mut line = Vec::new();
        // A header line is short; a peer that never ends one must not fill the memory.
        if input.by_ref().take(4096).read_until(b'\n', &mut line)? == 0 {
            return Ok(Frame::End);
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if seen_header {
                break;
            }
            continue;
        }
        seen_header = true;
        match line.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("Content-Length") => {
                match value.trim().parse::<usize>() {
                    Ok(value) => length = Some(value),
                    Err(_) => problem = Some(format!("the Content-Length header `{}` is not a number", value.trim())),
                }
            }
            Some(_) => {}
            None => problem = Some("a header line has no `:`".to_owned()),
        }
    }
    if let Some(problem) = problem {
        return Ok(Frame::Refused(problem));
    }
    let Some(length) = length else {
        return Ok(Frame::Refused("the message has no Content-Length header".to_owned()));
    };
    if length > MAX_MESSAGE {
        io::copy(&mut input.by_ref().take(length as u64), &mut io::sink())?;
        return Ok(Frame::Refused(format!(
            "a message of {length} bytes is larger than mcp-lint reads ({} MiB)",
            MAX_MESSAGE >> 20
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Frame::Body(body))
}

/// The message a body holds, or the error frame that answers it: JSON-RPC's parse error for
/// text that is no JSON, invalid request (with the request's id where it has one) for JSON that
/// is no message.
fn message_of(body: &[u8]) -> Result<Message, String> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|error| {
        error_frame(
            &serde_json::Value::Null,
            ErrorCode::ParseError,
            &format!("not JSON: {error}"),
        )
    })?;
    let id = match value.get("id") {
        Some(id @ (serde_json::Value::Number(_) | serde_json::Value::String(_))) => id.clone(),
        _ => serde_json::Value::Null,
    };
    let invalid = |error: String| {
        error_frame(
            &id,
            ErrorCode::InvalidRequest,
            &format!("not a JSON-RPC message: {error}"),
        )
    };
    // Classified by its members, not by trying each shape in turn: `{"id": 7, "method": 12}` is
    // a bad request, not a response that carries nothing.
    let has = |member: &str| value.get(member).is_some();
    match (has("method"), has("id")) {
        (true, true) => serde_json::from_value(value).map(Message::Request),
        (true, false) => serde_json::from_value(value).map(Message::Notification),
        (false, _) if has("result") || has("error") => serde_json::from_value(value).map(Message::Response),
        (false, _) => return Err(invalid("it has neither a method nor a result".to_owned())),
    }
    .map_err(|error| invalid(error.to_string()))
}

fn error_frame(id: &serde_json::Value, code: ErrorCode, message: &str) -> String {
    serde_json::json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": { "code": code as i32, "message": message },
    })
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> (Vec<Message>, Vec<serde_json::Value>) {
        let (to_server, incoming) = unbounded();
        let (errors, error_frames) = unbounded();
        read_frames(&mut io::Cursor::new(input), &to_server, &errors).expect("read");
        drop((to_server, errors));
        let answers = error_frames
            .iter()
            .map(|frame| serde_json::from_str(&frame).expect("JSON"))
            .collect();
        (incoming.iter().collect(), answers)
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn malformed_messages_are_answered_and_the_next_is_read() {
        let good = r#"{"jsonrpc":"2.0","id":3,"method":"shutdown"}"#;
        let input = [
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":7,"method":12}"#),
            "Content-Length: x\r\n\r\n".to_owned(),
            format!("Content-Length: {}\r\n\r\n", MAX_MESSAGE + 1) + &" ".repeat(MAX_MESSAGE + 1),
            frame(good),
        ]
        .concat();
        let (messages, answers) = frames(input.as_bytes());
        assert_eq!(messages.len(), 1, "the good message after the bad ones is read");
        let codes: Vec<i64> = answers
            .iter()
            .map(|a| a["error"]["code"].as_i64().unwrap_or(0))
            .collect();
        assert_eq!(codes, [-32700, -32600, -32600, -32600]);
        assert_eq!(answers[0]["id"], serde_json::Value::Null);
        assert_eq!(answers[1]["id"], 7, "an invalid request is answered with its id");
    }

    #[test]
    fn a_header_without_an_end_does_not_fill_the_memory() {
        let endless = "X".repeat(1 << 20);
        let (messages, answers) = frames(endless.as_bytes());
        assert!(messages.is_empty());
        assert!(answers.len() <= 1);
    }

    #[test]
    fn reading_stops_at_exit() {
        let input = [
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#),
        ]
        .concat();
        let (messages, _) = frames(input.as_bytes());
        assert_eq!(messages.len(), 1);
    }
}
