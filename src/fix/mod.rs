//! Fixes as data: a title, how safe applying it is, and edits addressed by route, never by byte.
//!
//! Rules build [`Fix`]es from the model; [`engine`] applies their [`Edit`]s through the file's
//! syntax, keeping every byte it does not have to touch; [`apply`] runs fixes over a file until
//! nothing more changes; [`write`] puts the result on disk atomically.

pub mod engine;
pub mod knowledge;
pub mod pin;
pub mod render;
pub mod write;

use serde_json::Value;

use crate::dialect::Route;

/// How safe a fix is to apply without a person looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// Advice only: shown, never applied.
    DisplayOnly,
    /// Changes behaviour (which tools are exposed, where a secret comes from): needs `--unsafe-fixes`.
    Unsafe,
    /// Keeps what the config means while removing the problem: applied by `--fix`.
    Safe,
}

impl Applicability {
    pub fn name(self) -> &'static str {
        match self {
            Applicability::DisplayOnly => "display-only",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}

/// One way to resolve a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    /// What the fix does, in the imperative: "Add `allowed_tools` with the server's read-only tools".
    pub title: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(title: impl Into<String>, applicability: Applicability, edits: Vec<Edit>) -> Self {
        Self {
            title: title.into(),
            applicability,
            edits,
        }
    }
}

/// A change to a document, addressed by route so that it means the same in every syntax.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Replace the value at `route` with `value`, in the quoting style the old value used.
    Replace { route: Route, value: Value },
    /// Replace the first occurrence of `find` inside the string at `route`.
    ReplaceInString {
        route: Route,
        find: String,
        replace: String,
    },
    /// Replace the bytes `start..end` of the string at `route` (as the client reads it, escapes
    /// decoded), which must hold `expect`: a secret moved by its position, never by a search that
    /// could find the same text elsewhere in the value (a user name equal to the password).
    ReplaceRange {
        route: Route,
        start: usize,
        end: usize,
        expect: String,
        replace: String,
    },
    /// Add `key: value` to the map at `map`, right after the entry `after` (or after the last entry).
    /// `comment` lines go above the new key where the syntax has comments.
    Insert {
        map: Route,
        after: Option<String>,
        key: String,
        value: Value,
        comment: Vec<String>,
    },
    /// Add `value` at the end of the list at `list`.
    Append { list: Route, value: Value },
    /// Remove the map entry or list item at `route`.
    Remove { route: Route },
}
