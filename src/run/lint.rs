//! Lint stage: the rules read a parsed file's model (and the run's registry and lock facts) and
//! their findings are located at spans of the file.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::dialect::{Node, Span};
use crate::finding::{Finding, Location};
use crate::rules::{self, LintContext, Rule};

use super::parse::{DocumentError, Parsed, SourceFile};

/// A finding resolved to a place in the file.
#[derive(Debug, Clone)]
pub struct Located {
    pub finding: Finding,
    pub primary: Span,
    pub related: Vec<(Span, String)>,
}

/// Everything mcp-lint learned about one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub source: SourceFile,
    pub dialect: crate::dialect::Dialect,
    pub root: Node,
    pub config: crate::model::McpConfig,
    pub findings: Vec<Located>,
    /// Every secret the file holds, found whether or not `inline-secret` runs and kept when its
    /// findings are suppressed: output masks them all, whatever is reported.
    pub secrets: Vec<String>,
    /// Where those secrets are written in the text: output masks these bytes.
    pub secret_spans: Vec<Span>,
    /// Per finding, its fix as the edits another tool can apply, planned by the fix stage when
    /// the output shows them (JSON, SARIF: [`super::fix::plan_for_output`]); None otherwise.
    pub planned: Option<Vec<Option<super::fix::PlannedFix>>>,
}

impl FileReport {
    /// The syntax fixes may write into this file (see [`detect::syntax_for_file`]).
    pub fn syntax(&self) -> crate::dialect::Syntax {
        crate::dialect::detect::syntax_for_file(&self.source.path, self.dialect)
    }

    /// The parsed file, without the findings.
    pub fn parsed(&self) -> Parsed {
        Parsed {
            source: self.source.clone(),
            dialect: self.dialect,
            root: self.root.clone(),
            config: self.config.clone(),
        }
    }

    /// The parsed file, findings dropped.
    pub fn into_parsed(self) -> Parsed {
        Parsed {
            source: self.source,
            dialect: self.dialect,
            root: self.root,
            config: self.config,
        }
    }
}

/// Runs `rules` over a parsed file and locates their findings.
pub fn lint(parsed: Parsed, rules: &[&dyn Rule], context: &LintContext) -> FileReport {
    let findings = rules::check_all(&parsed.config, rules, context);
    let secret_rule = rules::secret_rule();
    let secret_findings = if rules.iter().any(|rule| rule.info().id == secret_rule.info().id) {
        Vec::new()
    } else {
        rules::check_all(&parsed.config, &[secret_rule], context)
    };
    let mut seen = HashSet::new();
    let secrets: Vec<String> = findings
        .iter()
        .chain(&secret_findings)
        .flat_map(|finding| &finding.masked)
        .filter(|secret| seen.insert(secret.as_str()))
        .cloned()
        .collect();
    // A config embedded in another file is reported, never rewritten: its text is a view.
    let findings: Vec<crate::finding::Finding> = if parsed.source.embedded {
        findings
            .into_iter()
            .map(|mut finding| {
                let had_fix = finding.fix.take().is_some();
                let had_command = finding.command.take().is_some();
                if had_fix || had_command {
                    finding.note("by hand: mcp-lint reads this config inside another file and does not rewrite it")
                } else {
                    finding
                }
            })
            .collect()
    } else {
        findings
    };
    let text = &parsed.source.text;
    let findings: Vec<Located> = findings
        .into_iter()
        .map(|finding| locate(&parsed.root, text, finding))
        .collect();
    let secret_located: Vec<Located> = secret_findings
        .into_iter()
        .map(|finding| locate(&parsed.root, text, finding))
        .collect();
    let secret_spans = super::mask::secret_spans(&parsed.root, text, findings.iter().chain(&secret_located));
    // A secret where a package name or a server name is expected (`npx -y ghp_...`) would be
    // quoted by a message: every text a finding prints is masked too.
    let mut findings = findings;
    if !secrets.is_empty() {
        let secret_refs: Vec<&str> = secrets.iter().map(String::as_str).collect();
        // Built once per file: a file with a thousand secrets and findings masks in linear time.
        let masker = crate::secrets::mask::SecretMasker::new(&secret_refs);
        for located in &mut findings {
            mask_finding_texts(&mut located.finding, &masker);
            for (_, label) in &mut located.related {
                *label = masker.mask(label);
            }
        }
    }
    let mut report = FileReport {
        source: parsed.source,
        dialect: parsed.dialect,
        root: parsed.root,
        config: parsed.config,
        findings,
        secrets,
        secret_spans,
        planned: None,
    };
    if let Some(origin) = report.source.origin.take() {
        move_to_host(&mut report, &origin);
    }
    report
}

/// A report of JSON decoded from an escaped string, moved to the file that holds the string:
/// every span at the escapes that wrote it, the text the file's own.
fn move_to_host(report: &mut FileReport, origin: &super::escaped::Origin) {
    for located in &mut report.findings {
        located.primary = origin.map(located.primary);
        for (span, _) in &mut located.related {
            *span = origin.map(*span);
        }
    }
    for span in &mut report.secret_spans {
        *span = origin.map(*span);
    }
    origin.map_tree(&mut report.root);
    report.source = report.source.with_text(origin.host_text.clone());
}

/// Masks every secret in the texts a finding prints: message, labels, help, notes, fix title.
fn mask_finding_texts(finding: &mut Finding, masker: &crate::secrets::mask::SecretMasker) {
    let mask = |text: &mut String| *text = masker.mask(text);
    mask(&mut finding.message);
    mask(&mut finding.primary.label);
    for location in &mut finding.related {
        mask(&mut location.label);
    }
    for text in finding
        .help
        .iter_mut()
        .chain(finding.command.iter_mut())
        .chain(finding.notes.iter_mut())
    {
        mask(text);
    }
    if let Some(fix) = &mut finding.fix {
        mask(&mut fix.title);
    }
}

/// A file that produced an error instead of findings.
#[derive(Debug, Clone)]
pub struct FileFailure {
    pub path: PathBuf,
    /// 1-based line and column, when the error has a place in the file.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl FileFailure {
    pub fn new(path: &Path, message: impl Into<String>) -> Self {
        Self {
            path: path.to_owned(),
            position: None,
            message: message.into(),
        }
    }

    pub fn io(path: &Path, error: &std::io::Error) -> Self {
        Self::new(path, format!("cannot read the file: {error}"))
    }

    pub fn from_document(source: &SourceFile, error: &DocumentError) -> Self {
        let position = match error {
            DocumentError::Syntax { offset, .. } => {
                let at = source.lines.line_col(&source.text, *offset);
                Some((at.line, at.column))
            }
            DocumentError::NotMcp { .. } => Some((1, 1)),
        };
        Self {
            path: source.path.clone(),
            position,
            message: error.to_string(),
        }
    }

    /// `path:line:col: message`, the form editors and CI logs link.
    pub fn line(&self) -> String {
        let place = match self.position {
            Some((line, column)) => format!("{}:{line}:{column}", self.path.display()),
            None => self.path.display().to_string(),
        };
        format!("{place}: {}", self.message)
    }
}

/// Resolves a finding's symbolic locations to spans in `text`.
fn locate(root: &Node, text: &str, finding: Finding) -> Located {
    let primary = span_of(root, text, &finding.primary);
    let related = finding
        .related
        .iter()
        .map(|location| (span_of(root, text, location), location.label.clone()))
        .collect();
    Located {
        finding,
        primary,
        related,
    }
}

pub(crate) fn span_of(root: &Node, text: &str, location: &Location) -> Span {
    // A route that does not resolve (a key the rule expected) falls back to its nearest ancestor.
    let mut route = location.route.clone();
    let span = loop {
        let found = if location.on_key && route == location.route {
            root.key_span_at(&route)
        } else {
            root.at(&route).map(|n| n.span)
        };
        if let Some(span) = found {
            break span;
        }
        match route.split_last() {
            Some((_, parent)) => route = parent,
            None => break root.span,
        }
    };
    match &location.subfeature {
        Some(sub) if !sub.is_empty() => text
            .get(span.start..span.end)
            .and_then(|slice| slice.find(sub.as_str()))
            .map_or(span, |at| Span::new(span.start + at, span.start + at + sub.len())),
        _ => span,
    }
}
