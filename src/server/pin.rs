//! The language server's pin command: the one step that asks the registries, run on its own
//! thread only when the user picks it, with `$/progress`, cancellation, and the edit applied
//! through `workspace/applyEdit` against the document version it was computed from.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use lsp_server::{ErrorCode, RequestId, Response};
use lsp_types::notification::Progress;
use lsp_types::request::{ApplyWorkspaceEdit, WorkDoneProgressCreate};
use lsp_types::{
    ApplyWorkspaceEditParams, DocumentChanges, MessageType, NumberOrString, OneOf,
    OptionalVersionedTextDocumentIdentifier, ProgressParams, ProgressParamsValue, TextDocumentEdit, WorkDoneProgress,
    WorkDoneProgressBegin, WorkDoneProgressCreateParams, WorkDoneProgressEnd, WorkspaceEdit,
};

use crate::run::buffer::{self, PinError};
use crate::run::settings::Settings;

use super::Outbox;
use super::actions::PinArguments;
use super::positions::Positions;

/// How long the editor may take to apply the edit or create the progress token.
const CLIENT_ANSWER: Duration = Duration::from_secs(60);

/// One pin the user picked: what it was computed from, and how to report it.
pub struct PinJob {
    pub id: RequestId,
    pub arguments: PinArguments,
    pub path: PathBuf,
    pub text: String,
    pub settings: Settings,
    /// Set by `$/cancelRequest` or a cancelled progress: nothing is applied after it.
    pub cancelled: Arc<AtomicBool>,
    /// The progress token: the client's (`workDoneToken`), or one to create.
    pub token: Option<NumberOrString>,
    pub create_token: bool,
}

/// Runs `job` to its answer: the edit applied and the lock written, or an error the user sees.
pub fn run(job: PinJob, outbox: &Outbox) {
    let progress = job.token.clone().filter(|token| {
        !job.create_token
            || outbox
                .request::<WorkDoneProgressCreate>(WorkDoneProgressCreateParams { token: token.clone() }, CLIENT_ANSWER)
                .is_some_and(|answer| answer.error.is_none())
    });
    let what = job.arguments.server.as_deref().map_or_else(
        || "every unpinned package and image".to_owned(),
        |name| format!("server `{name}`"),
    );
    if let Some(token) = &progress {
        report(
            outbox,
            token,
            WorkDoneProgress::Begin(WorkDoneProgressBegin {
                title: "mcp-lint: pinning".to_owned(),
                cancellable: Some(true),
                message: Some(format!("asking the registries for {what}")),
                percentage: None,
            }),
        );
    }
    let answer = pin(&job, outbox);
    if let Some(token) = &progress {
        let message = match &answer {
            Ok(done) => done.clone(),
            Err((_, message)) => message.clone(),
        };
        report(
            outbox,
            token,
            WorkDoneProgress::End(WorkDoneProgressEnd { message: Some(message) }),
        );
    }
    let response = match answer {
        Ok(done) => {
            outbox.show(MessageType::INFO, done);
            Response::new_ok(job.id, serde_json::Value::Null)
        }
        Err((code, message)) => {
            if !matches!(code, ErrorCode::RequestCanceled) {
                outbox.show(MessageType::ERROR, format!("mcp-lint: {message}"));
            }
            Response::new_err(job.id, code as i32, message)
        }
    };
    outbox.respond(response);
}

/// The pin itself: resolve, apply the edit to the version the action saw, record the lock.
fn pin(job: &PinJob, outbox: &Outbox) -> Result<String, (ErrorCode, String)> {
    let failed = |message: String| (ErrorCode::RequestFailed, message);
    let cancelled = || {
        (
            ErrorCode::RequestCanceled,
            "pinning was cancelled; nothing was changed".to_owned(),
        )
    };
    let pinned = buffer::pin_buffer(
        &job.path,
        job.text.clone(),
        &job.settings,
        job.arguments.server.as_deref(),
    )
    .map_err(|error| match error {
        PinError::Nothing(reasons) if reasons.is_empty() => failed("nothing to pin".to_owned()),
        PinError::Nothing(reasons) => failed(format!("nothing was pinned: {}", reasons.join("; "))),
        other => failed(other.to_string()),
    })?;
    if job.cancelled.load(Ordering::SeqCst) {
        return Err(cancelled());
    }
    let lines = Positions::new(&job.text);
    let edit = WorkspaceEdit {
        document_changes: Some(DocumentChanges::Edits(vec![TextDocumentEdit {
            // The version the pin was computed from: an editor whose buffer moved on refuses it.
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: job.arguments.uri.clone(),
                version: Some(job.arguments.version),
            },
            edits: vec![OneOf::Left(lines.edit_to(&pinned.text))],
        }])),
        ..WorkspaceEdit::default()
    };
    let answer = outbox
        .request::<ApplyWorkspaceEdit>(
            ApplyWorkspaceEditParams {
                label: Some("mcp-lint: pin".to_owned()),
                edit,
            },
            CLIENT_ANSWER,
        )
        .ok_or_else(|| failed("the editor did not answer the edit".to_owned()))?;
    let applied = answer
        .result
        .and_then(|result| serde_json::from_value::<lsp_types::ApplyWorkspaceEditResponse>(result).ok())
        .is_some_and(|result| result.applied);
    if !applied {
        return Err(failed(
            "the editor did not apply the pin (the document changed meanwhile?); nothing was changed".to_owned(),
        ));
    }
    let written = buffer::record_pins(&job.path, &pinned).map_err(|error| failed(error.to_string()))?;
    let mut message = format!("pinned {}", pinned.pinned.join("; "));
    if !written.is_empty() {
        message.push_str(&format!(". {}", written.join(" ")));
    }
    if !pinned.left.is_empty() {
        message.push_str(&format!(". Left as written: {}", pinned.left.join("; ")));
    }
    Ok(message)
}

fn report(outbox: &Outbox, token: &NumberOrString, progress: WorkDoneProgress) {
    outbox.notify::<Progress>(ProgressParams {
        token: token.clone(),
        value: ProgressParamsValue::WorkDone(progress),
    });
}
