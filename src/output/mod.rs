//! Render stage: outcomes become text. Lint results in every format (human snippets, the JSON
//! contract, SARIF, GitHub annotations), the run's messages on stderr, and the pinning wizard's
//! terminal screens.

pub mod audit;
pub mod console;
pub mod fixes;
pub mod github;
pub mod human;
pub mod json;
pub mod probe;
pub mod sarif;
pub mod wizard;

use std::path::{Component, Path};

pub use crate::run::outcome::Results;

pub use crate::run::settings::Format;

/// The document `format` prints for `results` (human output without colour unless `color`).
pub fn render(format: Format, results: &Results, color: bool) -> String {
    match format {
        Format::Human => human::render(results, color),
        Format::Json => json::render(results),
        Format::Sarif => sarif::render(results),
        Format::Github => github::render(results),
        // main refuses these for `check` before any run; the human text is what they would hold.
        Format::Markdown | Format::Html => human::render(results, false),
    }
}

/// Whether `c` would act on a terminal or a CI log instead of showing: C0 and C1 controls (a tab
/// and a line break excepted where `keep_layout`) and the bidirectional overrides and isolates.
fn is_control(c: char, keep_layout: bool) -> bool {
    match c {
        '\t' | '\n' | '\r' => !keep_layout,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
        '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// `text` with every control character shown escaped (`\u{1b}`), line breaks and tabs included:
/// for one-line messages built from config values (a server name, a package name).
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(|c| is_control(c, false)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_control(c, false) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A source text with its control characters shown escaped (line breaks and tabs kept), and
/// where each byte offset of the original moved to.
pub struct Neutralised {
    pub text: String,
    /// (offset in the original just after a control character, bytes added up to there).
    shifts: Vec<(usize, usize)>,
}

impl Neutralised {
    pub fn new(text: &str) -> Self {
        let mut shifts = Vec::new();
        if !text.chars().any(|c| is_control(c, true)) {
            return Self {
                text: text.to_owned(),
                shifts,
            };
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut added = 0;
        for (at, c) in text.char_indices() {
            if is_control(c, true) {
                let escaped = format!("\\u{{{:x}}}", u32::from(c));
                added += escaped.len() - c.len_utf8();
                out.push_str(&escaped);
                shifts.push((at + c.len_utf8(), added));
            } else {
                out.push(c);
            }
        }
        Self { text: out, shifts }
    }

    /// Whether nothing was escaped (offsets are unchanged).
    pub fn unchanged(&self) -> bool {
        self.shifts.is_empty()
    }

    /// Where byte `offset` of the original is in the neutralised text.
    pub fn offset(&self, offset: usize) -> usize {
        let before = self.shifts.partition_point(|&(end, _)| end <= offset);
        offset + before.checked_sub(1).map_or(0, |i| self.shifts[i].1)
    }
}

/// The path as the user gave it, with forward slashes and without a leading `./`.
pub fn slash_path(path: &Path) -> String {
    let mut out = String::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::Prefix(prefix) => out.push_str(&prefix.as_os_str().to_string_lossy()),
            Component::RootDir => {
                if !out.ends_with('/') {
                    out.push('/');
                }
            }
            Component::ParentDir | Component::Normal(_) => {
                if !out.is_empty() && !out.ends_with('/') {
                    out.push('/');
                }
                out.push_str(&component.as_os_str().to_string_lossy());
            }
        }
    }
    out
}
