//! An editor's buffer as the language server sees it: linted offline as `check_text` lints it,
//! and, when the user picks it, pinned as `check --fix --unsafe-fixes` pins a file (the only
//! step here that asks the registries).

use std::path::Path;

use crate::model::McpConfig;
use crate::resolve::view::RegistryView;
use crate::rules::LintContext;

use super::check::{Facts, parse_source, tampering_in};
use super::files::RepositoryFiles;
use super::fix;
use super::lint::{self, FileReport};
use super::parse::{self, SourceFile};
use super::reporter::Reporter;
use super::resolve;
use super::settings::Settings;
use super::suppress::Suppressor;

/// The rules whose fixes need the registries.
pub const PINNING_RULES: [&str; 2] = ["unpinned-package", "unpinned-image"];

/// What an editor's buffer holds, linted as `check_text` lints it (nothing fixed).
pub enum Buffer {
    /// An MCP config, and what linting it found (for a config read inside the text, at the
    /// text's offsets, as `check` reports it).
    Config(Box<FileReport>),
    /// No MCP config: nothing to report.
    NotMcp,
    /// The text does not parse: where (a byte offset) and why.
    Invalid { offset: usize, message: String },
}

/// Lints `text` as the file at `path`, with `settings` (the language server's buffers).
pub fn lint_buffer(path: &Path, text: String, settings: &Settings) -> Buffer {
    let source = SourceFile::new(path, text);
    let parsed = match parse_source(source, settings.dialect) {
        Ok(parsed) => parsed,
        Err((_, parse::DocumentError::NotMcp { .. })) => return Buffer::NotMcp,
        Err((_, parse::DocumentError::Syntax { offset, message })) => return Buffer::Invalid { offset, message },
    };
    let files = RepositoryFiles::for_config(path, parsed.dialect);
    let context = LintContext {
        files: files.as_ref().map(|files| files as &dyn crate::rules::ProjectFiles),
        ..LintContext::default()
    };
    let mut suppressor = Suppressor::new(settings);
    let mut report = lint::lint(parsed, &settings.rules, &context);
    suppressor.apply(&mut report);
    Buffer::Config(Box::new(report))
}

/// A buffer with its packages and images pinned to the versions and digests the registries
/// verified.
pub struct PinnedBuffer {
    /// The new text, as the file holds it (its byte order mark kept).
    pub text: String,
    /// The new text's config, and the registries' answers: what the lock records.
    pub config: McpConfig,
    pub view: RegistryView,
    /// The title of each pin made.
    pub pinned: Vec<String>,
    /// Each package or image left as it was, and why (an unreachable registry, a 404).
    pub left: Vec<String>,
}

/// Why nothing could be pinned.
#[derive(Debug, thiserror::Error)]
pub enum PinError {
    #[error("{0}")]
    Unreadable(String),
    #[error("a config read inside another file's text is not rewritten")]
    Embedded,
    /// A digest mismatch: nothing in the file is touched.
    #[error("{0}; a digest mismatch may mean tampering, so nothing was changed")]
    Tampered(String),
    #[error("nothing to pin{}", if .0.is_empty() { String::new() } else { format!(": {}", .0.join("; ")) })]
    Nothing(Vec<String>),
}

/// Pins what `text` (the file at `path`) launches unpinned, only the server named `server`
/// when one is named, with `settings` (which must allow the network: `--fix --unsafe-fixes`).
/// Each package fails alone; a digest mismatch refuses the whole buffer.
pub fn pin_buffer(
    path: &Path,
    text: String,
    settings: &Settings,
    server: Option<&str>,
) -> Result<PinnedBuffer, PinError> {
    let source = SourceFile::new(path, text);
    let parsed =
        parse_source(source, settings.dialect).map_err(|(_, error)| PinError::Unreadable(error.to_string()))?;
    if parsed.source.embedded {
        return Err(PinError::Embedded);
    }
    let http = resolve::http(settings);
    let view = resolve::build_view(
        &[&parsed.config],
        settings,
        &settings.registries(),
        &http,
        &Reporter::silent(),
    );
    let mut facts = Facts::none();
    facts.view = Some(view);
    let context = facts.context_for(path);
    let mut suppressor = Suppressor::new(settings);
    let mut report = lint::lint(parsed, &settings.rules, &context);
    suppressor.apply(&mut report);
    let view = facts.view.as_ref().expect("set above");
    if let Some(error) = tampering_in(&report, view) {
        return Err(PinError::Tampered(error));
    }
    let mut chosen = Vec::new();
    let mut left = Vec::new();
    for located in &report.findings {
        let finding = &located.finding;
        if !PINNING_RULES.contains(&finding.rule) || server.is_some_and(|name| finding.server.as_deref() != Some(name))
        {
            continue;
        }
        match &finding.fix {
            Some(fix) => chosen.push(fix),
            None => left.push(format!(
                "server `{}`: {}",
                finding.server.as_deref().unwrap_or_default(),
                finding.notes.first().unwrap_or(&finding.message)
            )),
        }
    }
    if chosen.is_empty() {
        return Err(PinError::Nothing(left));
    }
    let (fixed, failed) = fix::apply_chosen(&report, &chosen);
    left.extend(failed.iter().map(|(fix, error)| format!("{}: {error}", fix.title)));
    let pinned = chosen
        .iter()
        .filter(|fix| !failed.iter().any(|(f, _)| std::ptr::eq(*f, **fix)))
        .map(|fix| fix.title.clone())
        .collect();
    let config = match parse::parse(report.source.with_text(fixed.clone()), Some(report.dialect)) {
        Ok(parsed) => parsed.config,
        Err((_, error)) => return Err(PinError::Unreadable(error.to_string())),
    };
    let text = report.source.disk_text(&fixed);
    drop(report);
    Ok(PinnedBuffer {
        text,
        config,
        view: facts.view.take().expect("set above"),
        pinned,
        left,
    })
}

/// Records in the lock beside `path` what the pins of `pinned` verified.
pub fn record_pins(path: &Path, pinned: &PinnedBuffer) -> Result<Vec<String>, crate::resolve::lock::LockError> {
    let configs = [(path, &pinned.config)];
    super::lock::update_locks(&configs, &configs, &pinned.view)
}
