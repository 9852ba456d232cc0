//! `mcp-lint server`: a Language Server Protocol server on stdio, so editors show the findings
//! of the buffer as it is typed and apply the fixes where the findings are.
//!
//! Built on `lsp-server` and `lsp-types`, the pair rust-analyzer uses: a synchronous loop over
//! a channel of messages, which is all a linter of small files needs (no async runtime).
//! Documents are synced whole; each is linted from the editor's text, never the disk, with the
//! settings `check` would use for that path (`--stdin-filename PATH --offline`, and the
//! `mcp-lint.toml` found from the file's folder). Changes are coalesced: a document is linted
//! once the queue of incoming messages is empty, so a burst of keystrokes costs one lint.

mod positions;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use lsp_server::{Connection, ExtractError, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability,
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Hover, HoverContents, HoverParams,
    HoverProviderCapability, Location, MarkupContent, MarkupKind, NumberOrString, PublishDiagnosticsParams,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri, WorkspaceEdit,
};
use thiserror::Error;

use crate::finding::Severity;
use crate::fix::Applicability;
use crate::run::check::{self, Buffer};
use crate::run::fix::{PlannedFix, planned_fixes};
use crate::run::lint::FileReport;
use crate::run::settings::Settings;

use positions::Positions;

/// The code action kind of "fix every safe finding of this file".
pub const FIX_ALL: &str = "source.fixAll.mcp-lint";

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

struct Server {
    connection: Connection,
    documents: HashMap<Uri, Document>,
    /// Documents changed since they were last linted.
    dirty: HashSet<Uri>,
}

/// Serves one client on stdin and stdout until it says `exit`.
pub fn run() -> Result<(), ServerError> {
    let (connection, io_threads) = Connection::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(FIX_ALL)]),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let server_info = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "mcp-lint", "version": env!("CARGO_PKG_VERSION") },
    });
    let (id, _params) = connection.initialize_start()?;
    connection.initialize_finish(id, server_info)?;
    let mut server = Server {
        connection,
        documents: HashMap::new(),
        dirty: HashSet::new(),
    };
    server.serve()?;
    drop(server);
    io_threads.join()?;
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
                Message::Response(_) => {}
            }
            // Coalesce: lint only once no other message waits (a burst of changes lints once).
            if self.connection.receiver.is_empty() {
                self.lint_dirty()?;
            }
        }
        Ok(())
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
            _ => {}
        }
    }

    fn request(&mut self, request: Request) -> Result<(), ServerError> {
        let id = request.id.clone();
        match request.method.as_str() {
            CodeActionRequest::METHOD => match request.extract::<CodeActionParams>(CodeActionRequest::METHOD) {
                Ok((id, params)) => {
                    self.lint_dirty()?;
                    let actions = self.code_actions(&params);
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
            _ => self.respond(Response::new_err(
                request.id,
                lsp_server::ErrorCode::MethodNotFound as i32,
                format!("mcp-lint does not answer `{}`", request.method),
            )),
        }
    }

    /// A request whose parameters do not parse is answered with an error, and the server goes on.
    fn reject(&self, id: RequestId, error: ExtractError<Request>) -> Result<(), ServerError> {
        match error {
            ExtractError::JsonError { method, error } => self.respond(Response::new_err(
                id,
                lsp_server::ErrorCode::InvalidParams as i32,
                format!("`{method}`: {error}"),
            )),
            ExtractError::MethodMismatch(request) => self.respond(Response::new_err(
                request.id,
                lsp_server::ErrorCode::MethodNotFound as i32,
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
            let diagnostics = match lint(&uri, &document.text) {
                // A config read inside the text (a ConfigMap's block, an escaped string) is
                // reported at the buffer's offsets, as `check` reports it, and never rewritten:
                // no code actions.
                Buffer::Config(report) if report.source.embedded => {
                    if report.source.disk_text(&report.source.text).len() == document.text.len() {
                        diagnostics(&uri, &report, &lines)
                    } else {
                        Vec::new()
                    }
                }
                Buffer::Config(report) => {
                    let diagnostics = diagnostics(&uri, &report, &lines);
                    let planned = planned_fixes(&report);
                    document.linted = Some((*report, planned));
                    diagnostics
                }
                // Not (or no longer) an MCP config: nothing to say, earlier findings cleared.
                Buffer::NotMcp => Vec::new(),
                Buffer::Invalid { offset, message } => vec![Diagnostic {
                    range: lines.range(offset, offset),
                    severity: Some(DiagnosticSeverity::ERROR),
                    source: Some("mcp-lint".to_owned()),
                    message,
                    ..Diagnostic::default()
                }],
            };
            let version = document.version;
            self.publish(uri, diagnostics, Some(version))?;
        }
        Ok(())
    }

    /// On a finding: what it says and its rule's documentation (findings never hold a secret).
    fn hover(&self, params: &HoverParams) -> Option<Hover> {
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
        let position = at.position;
        let parts: Vec<String> = report
            .findings
            .iter()
            .filter(|located| {
                let range = lines.range(located.primary.start, located.primary.end);
                range.start <= position && position <= range.end
            })
            .map(|located| {
                let finding = &located.finding;
                let docs = crate::rules::by_id(finding.rule)
                    .map(|rule| rule.info().documentation())
                    .unwrap_or_default();
                format!("**{}**: {}\n\n{docs}", finding.rule, finding.message)
            })
            .collect();
        (!parts.is_empty()).then(|| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: parts.join("\n\n---\n\n"),
            }),
            range: None,
        })
    }

    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some(Document {
            text,
            linted: Some((report, planned)),
            ..
        }) = self.documents.get(uri)
        else {
            return Vec::new();
        };
        let lines = Positions::new(text);
        let wanted = |kind: &CodeActionKind| {
            params
                .context
                .only
                .as_ref()
                .is_none_or(|only| only.iter().any(|o| kind.as_str().starts_with(o.as_str())))
        };
        let mut actions = Vec::new();
        if wanted(&CodeActionKind::QUICKFIX) {
            for (located, fix) in report.findings.iter().zip(planned) {
                let Some(fix) = fix else { continue };
                let range = lines.range(located.primary.start, located.primary.end);
                if range.end < params.range.start || params.range.end < range.start {
                    continue;
                }
                let safe = fix.applicability == Applicability::Safe;
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: if safe {
                        fix.title.clone()
                    } else {
                        format!("{} (unsafe: review it)", fix.title)
                    },
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic(uri, located, &lines)]),
                    edit: Some(edit(uri, &lines, &fix.replacements)),
                    is_preferred: Some(safe),
                    ..CodeAction::default()
                }));
            }
        }
        if wanted(&CodeActionKind::QUICKFIX) && !report.source.embedded {
            for located in &report.findings {
                let range = lines.range(located.primary.start, located.primary.end);
                if range.end < params.range.start || params.range.end < range.start {
                    continue;
                }
                if let Some((at, comment)) = ignore_directive(report, located) {
                    let position = lines.position(at);
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: format!(
                            "Ignore `{}` here (an inline `mcp-lint: ignore` comment)",
                            located.finding.rule
                        ),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![diagnostic(uri, located, &lines)]),
                        edit: Some(WorkspaceEdit {
                            changes: Some(HashMap::from([(
                                uri.clone(),
                                vec![TextEdit {
                                    range: lsp_types::Range::new(position, position),
                                    new_text: comment,
                                }],
                            )])),
                            ..WorkspaceEdit::default()
                        }),
                        is_preferred: Some(false),
                        ..CodeAction::default()
                    }));
                }
            }
        }
        let fix_all = CodeActionKind::new(FIX_ALL);
        if wanted(&fix_all) {
            let safe: Vec<&crate::fix::Fix> = report
                .findings
                .iter()
                .filter_map(|located| located.finding.fix.as_ref())
                .filter(|fix| fix.applicability == Applicability::Safe)
                .collect();
            if !safe.is_empty() {
                let (fixed, _) = crate::run::fix::apply_chosen(report, &safe);
                // Written back as the file holds it: its byte order mark, its line ends.
                let fixed = report.source.disk_text(&fixed);
                if fixed != *text {
                    let whole = lines.whole();
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: "mcp-lint: fix all safe findings".to_owned(),
                        kind: Some(fix_all),
                        edit: Some(WorkspaceEdit {
                            changes: Some(HashMap::from([(
                                uri.clone(),
                                vec![TextEdit {
                                    range: whole,
                                    new_text: fixed,
                                }],
                            )])),
                            ..WorkspaceEdit::default()
                        }),
                        ..CodeAction::default()
                    }));
                }
            }
        }
        actions
    }
}

/// The buffer linted as `mcp-lint check --stdin-filename PATH --offline` lints it, with the
/// `mcp-lint.toml` found from the file's folder.
fn lint(uri: &Uri, text: &str) -> Buffer {
    let path = path_of(uri);
    let folder = path.parent().map(PathBuf::from).unwrap_or_default();
    let arguments = ["mcp-lint", "--offline", "--stdin-filename"];
    let cli = <crate::cli::Cli as clap::Parser>::try_parse_from(
        arguments.iter().map(std::ffi::OsStr::new).chain([path.as_os_str()]),
    );
    let Ok(cli) = cli else {
        return Buffer::NotMcp;
    };
    let project = crate::project_config::discover(&folder)
        .ok()
        .flatten()
        .map(|(_, config)| std::sync::Arc::new(config));
    let environment = crate::Environment::capture();
    let Ok(settings) = Settings::with_project(&cli.options, project, environment) else {
        return Buffer::NotMcp;
    };
    check::lint_buffer(&path, text.to_owned(), &settings)
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

fn diagnostic(uri: &Uri, located: &crate::run::lint::Located, lines: &Positions) -> Diagnostic {
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

/// A fix's byte replacements as text edits of the document.
fn edit(uri: &Uri, lines: &Positions, replacements: &[crate::fix::engine::Splice]) -> WorkspaceEdit {
    let edits = replacements
        .iter()
        .map(|splice| TextEdit {
            range: lines.range(splice.start, splice.end),
            new_text: splice.text.clone(),
        })
        .collect();
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// An `mcp-lint: ignore[rule]` comment on its own line above the finding, indented as that line
/// (`//` in JSONC, `#` in YAML and TOML; strict JSON has no comments): where to insert it and
/// its text. None when the text with it would not parse, or the directive would not reach the
/// finding (inside a multi-line string, say).
fn ignore_directive(report: &FileReport, located: &crate::run::lint::Located) -> Option<(usize, String)> {
    let syntax = report.syntax();
    let marker = match syntax {
        crate::dialect::Syntax::Json => return None,
        crate::dialect::Syntax::Jsonc => "//",
        crate::dialect::Syntax::Yaml | crate::dialect::Syntax::Toml => "#",
    };
    let text = &report.source.text;
    let start = text.get(..located.primary.start)?.rfind('\n').map_or(0, |at| at + 1);
    let indent: String = text[start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    // The line's own ending: a CRLF file keeps CRLF.
    let crlf = text[start..]
        .find('\n')
        .is_some_and(|at| at > 0 && text.as_bytes()[start + at - 1] == b'\r');
    let line_end = if crlf { "\r\n" } else { "\n" };
    let comment = format!("{indent}{marker} mcp-lint: ignore[{}]{line_end}", located.finding.rule);
    let mut changed = text.clone();
    changed.insert_str(start, &comment);
    crate::dialect::parse(syntax, &changed).ok()?;
    let line = text[..start].matches('\n').count() + 1;
    let reaches = crate::run::directives::parse(&changed, syntax)
        .iter()
        .any(|d| d.line == line && d.target == line + 1 && d.rules.iter().any(|r| r == located.finding.rule));
    reaches.then_some((start, comment))
}
