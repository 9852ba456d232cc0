//! Findings: what a rule reports, located symbolically by route so rules never handle bytes.

use std::fmt;

use serde::Serialize;

use crate::dialect::Route;
use crate::fix::{Applicability, Fix};

/// How serious a finding is; `--fail-on` compares against it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; never fails a run unless `--fail-on info`.
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A place in a document: a route, optionally narrowed to the key or to a substring of the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub route: Route,
    /// Point at the key of the entry rather than its value (a server's name, an unknown key).
    pub on_key: bool,
    /// A substring of the value's source text to underline (e.g. `@latest` inside `"pkg@latest"`).
    pub subfeature: Option<String>,
    /// A short lowercase note shown under the underline ("floating tag", "this server").
    pub label: String,
}

/// One problem found by one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// The server's name as written, or None for file-level findings.
    pub server: Option<String>,
    pub primary: Location,
    /// Secondary locations shown for context (e.g. the server's name).
    pub related: Vec<Location>,
    /// What to do about it, in words.
    pub help: Option<String>,
    /// The mcp-lint command that does it (`mcp-lint --fix --unsafe-fixes`), said after the help
    /// where mcp-lint can rewrite the file; the lint stage drops it for a config read inside
    /// another file.
    pub command: Option<String>,
    /// Sentences after the help: what stopped a fix, why it is left to the user.
    pub notes: Vec<String>,
    /// How to resolve this finding, as edits the fix engine applies.
    pub fix: Option<Fix>,
    /// Source text that must never be shown in full (secrets); renderers mask it in snippets.
    pub masked: Vec<String>,
    /// About a disabled server: kept at `info`, whatever a project config says of the rule.
    pub server_disabled: bool,
    /// A toxic flow's tools by role, as data for the JSON output.
    pub flow: Option<Box<crate::model::flows::Flow>>,
}

impl Finding {
    /// Starts a finding of `rule` at the value at `route`.
    pub fn new(rule: &'static str, severity: Severity, message: impl Into<String>, route: &Route) -> Self {
        Self {
            rule,
            severity,
            message: message.into(),
            server: None,
            primary: Location {
                route: route.clone(),
                on_key: false,
                subfeature: None,
                label: String::new(),
            },
            related: Vec::new(),
            help: None,
            command: None,
            notes: Vec::new(),
            fix: None,
            masked: Vec::new(),
            server_disabled: false,
            flow: None,
        }
    }

    /// The toxic flow this finding reports, as data.
    pub fn flow(mut self, flow: crate::model::flows::Flow) -> Self {
        self.flow = Some(Box::new(flow));
        self
    }

    /// The server this finding belongs to; also shows the server's name as related context.
    pub fn server(mut self, name: &str, route: &Route) -> Self {
        self.server = Some(name.to_owned());
        if &self.primary.route != route {
            self.related.push(Location {
                route: route.clone(),
                on_key: true,
                subfeature: None,
                label: "this server".into(),
            });
        }
        self
    }

    /// Point at the key of the primary route instead of its value.
    pub fn on_key(mut self) -> Self {
        self.primary.on_key = true;
        self
    }

    /// Underline only `text` inside the primary value, when it occurs there.
    pub fn subfeature(mut self, text: impl Into<String>) -> Self {
        self.primary.subfeature = Some(text.into());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.primary.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Names the mcp-lint command that resolves the finding ("`mcp-lint pin` does it").
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.command = Some(command.into());
        self
    }

    /// Adds a sentence after the help (what stopped a fix, for instance).
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// The help as printed: the advice, the command that does it, then the notes.
    pub fn help_text(&self) -> Option<String> {
        let mut text = self.help.clone();
        if let Some(command) = &self.command {
            text = Some(match text {
                Some(help) => format!("{help}: {command}"),
                None => command.clone(),
            });
        }
        for note in &self.notes {
            text = Some(match text {
                Some(help) => format!("{help}; {note}"),
                None => note.clone(),
            });
        }
        text
    }

    /// Keeps `secret` out of every rendering of the source.
    pub fn mask(mut self, secret: impl Into<String>) -> Self {
        self.masked.push(secret.into());
        self
    }

    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Whether `--fix` (with `--unsafe-fixes` where needed) can apply a fix for this finding.
    pub fn fix_available(&self) -> bool {
        self.fix
            .as_ref()
            .is_some_and(|f| f.applicability != Applicability::DisplayOnly && !f.edits.is_empty())
    }
}
