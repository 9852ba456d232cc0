//! `mcp-lint server`: a Language Server Protocol server on stdio, so editors show the findings
//! of the buffer as it is typed and apply the fixes where the findings are.
//!
//! Built on `lsp-server` and `lsp-types`, the pair rust-analyzer uses: a synchronous loop over
//! a channel of messages, which is all a linter of small files needs (no async runtime); the
//! one slow step, pinning (it asks the registries), runs on its own thread when the user picks
//! it. Documents are synced whole; each is linted from the editor's text, never the disk, with
//! the settings `check` would use for that path (`--stdin-filename PATH --offline`, the editor's
//! rule selection, and the `mcp-lint.toml` found from the file's folder, read again when the
//! editor says it changed). Changes are coalesced: a document is linted once the queue of
//! incoming messages is empty, so a burst of keystrokes costs one lint.

mod actions;
mod hover;
mod pin;
mod positions;
mod settings;
mod transport;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crossbeam_channel::Sender;
use lsp_server::{Connection, ErrorCode, ExtractError, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    Cancel, DidChangeConfiguration, DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument,
    DidOpenTextDocument, Notification as _, PublishDiagnostics, ShowMessage, WorkDoneProgressCancel,
};
use lsp_types::request::{CodeActionRequest, ExecuteCommand, HoverRequest, RegisterCapability, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeActionProviderCapability, Diagnostic,
    DiagnosticRelatedInformation, DiagnosticSeverity, ExecuteCommandOptions, ExecuteCommandParams, FileSystemWatcher,
    GlobPattern, Hover, HoverContents, HoverParams, HoverProviderCapability, InitializeParams, Location, MarkupContent,
    MarkupKind, MessageType, NumberOrString, PublishDiagnosticsParams, Registration, RegistrationParams,
    ServerCapabilities, ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, Uri,
};
use thiserror::Error;

use crate::finding::Severity;
use crate::run::buffer::{self, Buffer};
use crate::run::fix::{PlannedFix, planned_fixes};
use crate::run::lint::FileReport;

use positions::Positions;
use settings::{ClientSettings, Workspace};

/// The code action kind of "fix every safe finding of this file".
pub const FIX_ALL: &str = "source.fixAll.mcp-lint";
/// The command that pins packages and images: it asks the registries, so only when picked.
pub const PIN_COMMAND: &str = "mcp-lint.pin";

#[derive(Debug, Error)]
pub enum ServerError {
    #[error("the language server protocol failed: {0}")]
    Protocol(#[from] lsp_server::ProtocolError),
    #[error("cannot write to the client: {0}")]
    Send(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Json(#[from] serde_json::Error),
}

/// One open document: the editor's text and what linting it found.
struct Document {
    version: i32,
    text: String,
    /// The lint of `text`, once linted: the report and each finding's fix as byte replacements.
    linted: Option<(FileReport, Vec<Option<PlannedFix>>)>,
}

/// The way to the client from any thread: messages, and the answers to the server's requests.
#[derive(Clone)]
pub struct Outbox {
    sender: Sender<Message>,
    /// The server's requests still waiting for the client's answer, by id.
    pending: Arc<Mutex<HashMap<RequestId, Sender<Response>>>>,
    next_id: Arc<AtomicI32>,
}

impl Outbox {
    fn send(&self, message: Message) {
        // The client gone: the loop ends on its own when the input closes.
        let _ = self.sender.send(message);
    }

    fn respond(&self, response: Response) {
        self.send(Message::Response(response));
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(N::METHOD.to_owned(), params)));
    }

    fn show(&self, kind: MessageType, message: String) {
        self.notify::<ShowMessage>(ShowMessageParams { typ: kind, message });
    }

    /// Sends a request and waits for its answer (never from the loop that receives answers).
    fn request<R: lsp_types::request::Request>(&self, params: R::Params, timeout: Duration) -> Option<Response> {
        let (id, answer) = self.start_request::<R>(params);
        let response = answer.recv_timeout(timeout).ok();
        self.pending.lock().map(|mut pending| pending.remove(&id)).ok();
        response
    }

    /// Sends a request whose answer the caller may wait for on the returned channel.
    fn start_request<R: lsp_types::request::Request>(
        &self,
        params: R::Params,
    ) -> (RequestId, crossbeam_channel::Receiver<Response>) {
        let id = RequestId::from(format!("mcp-lint-{}", self.next_id.fetch_add(1, Ordering::SeqCst)));
        let (sender, answer) = crossbeam_channel::bounded(1);
        if let Ok(mut pending) = self.pending.lock() {
            pending.insert(id.clone(), sender);
        }
        self.send(Message::Request(Request::new(id.clone(), R::METHOD.to_owned(), params)));
        (id, answer)
    }

    /// Hands the client's answer to whoever waits for it.
    fn deliver(&self, response: Response) {
        let waiting = self
            .pending
            .lock()
            .ok()
            .and_then(|mut pending| pending.remove(&response.id));
        if let Some(waiting) = waiting {
            let _ = waiting.send(response);
        }
    }
}

/// A pin running on its thread: how to stop it.
struct Running {
    token: Option<NumberOrString>,
    cancelled: Arc<AtomicBool>,
}

struct Server {
    connection: Connection,
    outbox: Outbox,
    documents: HashMap<Uri, Document>,
    /// Documents changed since they were last linted.
    dirty: HashSet<Uri>,
    workspace: Workspace,
    /// The client shows `$/progress` it did not ask for (`window.workDoneProgress`).
    progress: bool,
    /// Pins running, by the id of the command that started them.
    running: Arc<Mutex<HashMap<RequestId, Running>>>,
    /// Errors already shown (a bad mcp-lint.toml is said once, not on every keystroke).
    said: HashSet<String>,
}

/// Serves one client on stdin and stdout until it says `exit`.
pub fn run() -> Result<(), ServerError> {
    let (connection, transport) = transport::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(FIX_ALL)]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec![PIN_COMMAND.to_owned()],
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    };
    let server_info = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "mcp-lint", "version": env!("CARGO_PKG_VERSION") },
    });
    let (id, params) = connection.initialize_start()?;
    connection.initialize_finish(id, server_info)?;
    let initialize: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let client = initialize
        .initialization_options
        .as_ref()
        .map(ClientSettings::from_value);
    let watched = initialize
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files)
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false);
    let progress = initialize
        .capabilities
        .window
        .as_ref()
        .and_then(|w| w.work_done_progress)
        .unwrap_or(false);
    let outbox = Outbox {
        sender: connection.sender.clone(),
        pending: Arc::default(),
        next_id: Arc::new(AtomicI32::new(1)),
    };
    let mut server = Server {
        connection,
        outbox,
        documents: HashMap::new(),
        dirty: HashSet::new(),
        workspace: Workspace::new(ClientSettings::default(), watched),
        progress,
        running: Arc::default(),
        said: HashSet::new(),
    };
    match client {
        Some(Ok(client)) => server.workspace.client = client,
        Some(Err(error)) => server.say(error),
        None => {}
    }
    if watched {
        server.watch();
    }
    server.serve()?;
    // A pin still running answers on its own; nothing new is applied after shutdown.
    if let Ok(running) = server.running.lock() {
        running
            .values()
            .for_each(|job| job.cancelled.store(true, Ordering::SeqCst));
    }
    drop(server);
    transport.join()?;
    Ok(())
}

impl Server {
    fn serve(&mut self) -> Result<(), ServerError> {
        while let Ok(message) = self.connection.receiver.recv() {
            match message {
                Message::Request(request) => {
                    if self.connection.handle_shutdown(&request)? {
                        return Ok(());
                    }
                    self.request(request)?;
                }
                Message::Notification(notification) => self.notification(notification),
                Message::Response(response) => self.outbox.deliver(response),
            }
            // Coalesce: lint only once no other message waits (a burst of changes lints once).
            if self.connection.receiver.is_empty() {
                self.lint_dirty()?;
            }
        }
        Ok(())
    }

    /// Asks the client to say when mcp-lint.toml or the lock changes.
    fn watch(&self) {
        let watchers: Vec<FileSystemWatcher> = settings::WATCHED
            .iter()
            .map(|glob| FileSystemWatcher {
                glob_pattern: GlobPattern::String((*glob).to_owned()),
                kind: None,
            })
            .collect();
        let registration = Registration {
            id: "mcp-lint-watch".to_owned(),
            method: DidChangeWatchedFiles::METHOD.to_owned(),
            register_options: Some(serde_json::json!({ "watchers": watchers })),
        };
        // Its answer is only an acknowledgement: not waited for.
        let _ = self.outbox.start_request::<RegisterCapability>(RegistrationParams {
            registrations: vec![registration],
        });
    }

    /// Shows an error once.
    fn say(&mut self, message: String) {
        if self.said.insert(message.clone()) {
            self.outbox.show(MessageType::ERROR, message);
        }
    }

    /// Every open document linted again (the settings changed).
    fn relint_all(&mut self) {
        self.workspace.forget();
        self.said.clear();
        self.dirty.extend(self.documents.keys().cloned());
    }

    fn notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(params) =
                    notification.extract::<lsp_types::DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                {
                    let document = params.text_document;
                    self.dirty.insert(document.uri.clone());
                    self.documents.insert(
                        document.uri,
                        Document {
                            version: document.version,
                            text: document.text,
                            linted: None,
                        },
                    );
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) =
                    notification.extract::<lsp_types::DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
                {
                    // Full sync: the last change holds the whole text.
                    let uri = params.text_document.uri;
                    if let (Some(document), Some(change)) =
                        (self.documents.get_mut(&uri), params.content_changes.into_iter().last())
                    {
                        document.version = params.text_document.version;
                        document.text = change.text;
                        document.linted = None;
                        self.dirty.insert(uri.clone());
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) =
                    notification.extract::<lsp_types::DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                {
                    let uri = params.text_document.uri;
                    self.documents.remove(&uri);
                    self.dirty.remove(&uri);
                    // A closed document keeps no diagnostics.
                    let _ = self.publish(uri, Vec::new(), None);
                }
            }
            // mcp-lint.toml or the lock changed: read them again, lint everything again.
            DidChangeWatchedFiles::METHOD => self.relint_all(),
            DidChangeConfiguration::METHOD => {
                if let Ok(params) =
                    notification.extract::<lsp_types::DidChangeConfigurationParams>(DidChangeConfiguration::METHOD)
                {
                    match ClientSettings::from_value(&params.settings) {
                        Ok(client) => {
                            self.workspace.client = client;
                            self.relint_all();
                        }
                        Err(error) => self.say(error),
                    }
                }
            }
            Cancel::METHOD => {
                if let Ok(params) = notification.extract::<lsp_types::CancelParams>(Cancel::METHOD) {
                    let id = match params.id {
                        NumberOrString::Number(n) => RequestId::from(n),
                        NumberOrString::String(s) => RequestId::from(s),
                    };
                    if let Some(job) = self
                        .running
                        .lock()
                        .ok()
                        .and_then(|r| r.get(&id).map(|j| j.cancelled.clone()))
                    {
                        job.store(true, Ordering::SeqCst);
                    }
                }
            }
            WorkDoneProgressCancel::METHOD => {
                if let Ok(params) =
                    notification.extract::<lsp_types::WorkDoneProgressCancelParams>(WorkDoneProgressCancel::METHOD)
                    && let Ok(running) = self.running.lock()
                {
                    running
                        .values()
                        .filter(|job| job.token.as_ref() == Some(&params.token))
                        .for_each(|job| job.cancelled.store(true, Ordering::SeqCst));
                }
            }
            _ => {}
        }
    }

    fn request(&mut self, request: Request) -> Result<(), ServerError> {
        let id = request.id.clone();
        match request.method.as_str() {
            CodeActionRequest::METHOD => match request.extract::<CodeActionParams>(CodeActionRequest::METHOD) {
                Ok((id, params)) => {
                    self.lint_dirty()?;
                    let actions = match self.documents.get(&params.text_document.uri) {
                        Some(Document {
                            text,
                            version,
                            linted: Some((report, planned)),
                        }) => actions::code_actions(&params, text, *version, report, planned),
                        _ => Vec::new(),
                    };
                    self.respond(Response::new_ok(id, actions))
                }
                Err(error) => self.reject(id, error),
            },
            HoverRequest::METHOD => match request.extract::<HoverParams>(HoverRequest::METHOD) {
                Ok((id, params)) => {
                    self.lint_dirty()?;
                    let hover = self.hover(&params);
                    self.respond(Response::new_ok(id, hover))
                }
                Err(error) => self.reject(id, error),
            },
            ExecuteCommand::METHOD => match request.extract::<ExecuteCommandParams>(ExecuteCommand::METHOD) {
                Ok((id, params)) => {
                    self.execute(id, params);
                    Ok(())
                }
                Err(error) => self.reject(id, error),
            },
            _ => self.respond(Response::new_err(
                request.id,
                ErrorCode::MethodNotFound as i32,
                format!("mcp-lint does not answer `{}`", request.method),
            )),
        }
    }

    /// `workspace/executeCommand`: the pin, on its own thread; refused offline.
    fn execute(&mut self, id: RequestId, params: ExecuteCommandParams) {
        let fail = |server: &Self, code: ErrorCode, message: String| {
            server.outbox.show(MessageType::ERROR, format!("mcp-lint: {message}"));
            server
                .outbox
                .respond(Response::new_err(id.clone(), code as i32, message));
        };
        if params.command != PIN_COMMAND {
            return fail(
                self,
                ErrorCode::InvalidParams,
                format!("mcp-lint has no command `{}`", params.command),
            );
        }
        let arguments = params
            .arguments
            .first()
            .and_then(|value| serde_json::from_value::<actions::PinArguments>(value.clone()).ok());
        let Some(arguments) = arguments else {
            return fail(
                self,
                ErrorCode::InvalidParams,
                format!("`{PIN_COMMAND}` takes {{uri, version, server}}"),
            );
        };
        if self.workspace.client.offline {
            return fail(
                self,
                ErrorCode::RequestFailed,
                "pinning asks the registries, and mcp-lint is set to work offline (the editor's `offline` setting); nothing was pinned".to_owned(),
            );
        }
        let Some(document) = self.documents.get(&arguments.uri) else {
            return fail(
                self,
                ErrorCode::InvalidParams,
                "the document to pin is not open".to_owned(),
            );
        };
        if document.version != arguments.version {
            return fail(
                self,
                ErrorCode::ContentModified,
                "the document changed since the action was offered; ask for it again".to_owned(),
            );
        }
        let path = path_of(&arguments.uri);
        let settings = match self.workspace.settings_with(&path, &["--fix", "--unsafe-fixes"]) {
            Ok(settings) => settings,
            Err(error) => return fail(self, ErrorCode::RequestFailed, error),
        };
        let cancelled = Arc::new(AtomicBool::new(false));
        let (token, create_token) = match params.work_done_progress_params.work_done_token {
            Some(token) => (Some(token), false),
            None if self.progress => (
                Some(NumberOrString::String(format!(
                    "mcp-lint-pin-{}",
                    self.outbox.next_id.fetch_add(1, Ordering::SeqCst)
                ))),
                true,
            ),
            None => (None, false),
        };
        let job = pin::PinJob {
            id: id.clone(),
            arguments,
            path,
            text: document.text.clone(),
            settings,
            cancelled: cancelled.clone(),
            token: token.clone(),
            create_token,
        };
        if let Ok(mut running) = self.running.lock() {
            running.insert(id.clone(), Running { token, cancelled });
        }
        let outbox = self.outbox.clone();
        let running = self.running.clone();
        let job_id = id.clone();
        let started = std::thread::Builder::new()
            .name("mcp-lint-pin".to_owned())
            .spawn(move || {
                pin::run(job, &outbox);
                if let Ok(mut running) = running.lock() {
                    running.remove(&job_id);
                }
            });
        if let Err(error) = started {
            // No thread, so no answer from it: the request is answered here, under its own id.
            if let Ok(mut running) = self.running.lock() {
                running.remove(&id);
            }
            fail(self, ErrorCode::InternalError, error.to_string());
        }
    }

    /// A request whose parameters do not parse is answered with an error, and the server goes on.
    fn reject(&self, id: RequestId, error: ExtractError<Request>) -> Result<(), ServerError> {
        match error {
            ExtractError::JsonError { method, error } => self.respond(Response::new_err(
                id,
                ErrorCode::InvalidParams as i32,
                format!("`{method}`: {error}"),
            )),
            ExtractError::MethodMismatch(request) => self.respond(Response::new_err(
                request.id,
                ErrorCode::MethodNotFound as i32,
                format!("mcp-lint does not answer `{}`", request.method),
            )),
        }
    }

    fn respond(&self, response: Response) -> Result<(), ServerError> {
        self.connection
            .sender
            .send(Message::Response(response))
            .map_err(|e| ServerError::Send(e.to_string()))
    }

    fn publish(&self, uri: Uri, diagnostics: Vec<Diagnostic>, version: Option<i32>) -> Result<(), ServerError> {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.connection
            .sender
            .send(Message::Notification(Notification::new(
                PublishDiagnostics::METHOD.to_owned(),
                params,
            )))
            .map_err(|e| ServerError::Send(e.to_string()))
    }

    /// Lints every changed document from its text and publishes its diagnostics.
    fn lint_dirty(&mut self) -> Result<(), ServerError> {
        for uri in std::mem::take(&mut self.dirty) {
            let Some(document) = self.documents.get_mut(&uri) else {
                continue;
            };
            let lines = Positions::new(&document.text);
            let path = path_of(&uri);
            let linted = self
                .workspace
                .lint_settings(&path)
                .map(|settings| buffer::lint_buffer(&path, document.text.clone(), &settings));
            let diagnostics = match linted {
                // A config read inside the text (a ConfigMap's block, an escaped string) is
                // reported at the buffer's offsets, as `check` reports it, and never rewritten:
                // no code actions.
                Ok(Buffer::Config(report)) if report.source.embedded => {
                    if report.source.disk_text(&report.source.text).len() == document.text.len() {
                        diagnostics(&uri, &report, &lines)
                    } else {
                        Vec::new()
                    }
                }
                Ok(Buffer::Config(report)) => {
                    let diagnostics = diagnostics(&uri, &report, &lines);
                    let planned = planned_fixes(&report);
                    document.linted = Some((*report, planned));
                    diagnostics
                }
                // Not (or no longer) an MCP config: nothing to say, earlier findings cleared.
                Ok(Buffer::NotMcp) => Vec::new(),
                Ok(Buffer::Invalid { offset, message }) => vec![Diagnostic {
                    range: lines.range(offset, offset),
                    severity: Some(DiagnosticSeverity::ERROR),
                    source: Some("mcp-lint".to_owned()),
                    message,
                    ..Diagnostic::default()
                }],
                // The settings cannot be read (a bad mcp-lint.toml, an unknown rule): said once,
                // and nothing is linted with settings that are not the user's.
                Err(error) => {
                    let version = document.version;
                    self.say(format!("mcp-lint: {error}"));
                    self.publish(uri, Vec::new(), Some(version))?;
                    continue;
                }
            };
            let version = document.version;
            self.publish(uri, diagnostics, Some(version))?;
        }
        Ok(())
    }

    /// On a finding: what it says and its rule's documentation; on a package or image: what the
    /// lock records of it and the tools `probe` saw.
    fn hover(&mut self, params: &HoverParams) -> Option<Hover> {
        let at = &params.text_document_position_params;
        let Document {
            text,
            linted: Some((report, _)),
            ..
        } = self.documents.get(&at.text_document.uri)?
        else {
            return None;
        };
        let lines = Positions::new(text);
        let mut parts = hover::findings_at(report, &lines, at.position);
        let lock = self.workspace.lock_for(&report.source.path);
        if let Some(package) = hover::package_at(report, &lines, at.position, lock.as_deref()) {
            parts.push(package);
        }
        // A package written as a URL can carry a token: masked as every output masks it.
        let secrets: Vec<&str> = report.secrets.iter().map(String::as_str).collect();
        (!parts.is_empty()).then(|| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: crate::secrets::mask::mask_secrets(&parts.join("\n\n---\n\n"), &secrets),
            }),
            range: None,
        })
    }
}

/// The file a `file://` URI names, percent-escapes decoded; another scheme's path as it is.
fn path_of(uri: &Uri) -> PathBuf {
    let raw = uri.path().as_str();
    let mut bytes = Vec::with_capacity(raw.len());
    let mut rest = raw.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%'
            && let Some(hex) = tail.get(..2)
            && let Ok(byte) = u8::from_str_radix(std::str::from_utf8(hex).unwrap_or("zz"), 16)
        {
            bytes.push(byte);
            rest = &tail[2..];
            continue;
        }
        bytes.push(first);
        rest = tail;
    }
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

fn diagnostics(uri: &Uri, report: &FileReport, lines: &Positions) -> Vec<Diagnostic> {
    report
        .findings
        .iter()
        .map(|located| diagnostic(uri, located, lines))
        .collect()
}

pub(crate) fn diagnostic(uri: &Uri, located: &crate::run::lint::Located, lines: &Positions) -> Diagnostic {
    let finding = &located.finding;
    let severity = match finding.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let related: Vec<DiagnosticRelatedInformation> = located
        .related
        .iter()
        .map(|(span, label)| DiagnosticRelatedInformation {
            location: Location {
                uri: uri.clone(),
                range: lines.range(span.start, span.end),
            },
            message: label.clone(),
        })
        .collect();
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    Diagnostic {
        range: lines.range(located.primary.start, located.primary.end),
        severity: Some(severity),
        code: Some(NumberOrString::String(finding.rule.to_owned())),
        source: Some("mcp-lint".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Diagnostic::default()
    }
}
