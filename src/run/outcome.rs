//! Outcomes: what a run found and did, as data. `main` and the renderers in `output` turn them
//! into text and an exit code; nothing in the pipeline prints.

use std::path::PathBuf;

use super::fix::{Applied, Refused};
use super::lint::{FileFailure, FileReport};

/// How a run ended, as the exit code says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// Nothing at or above `--fail-on`.
    Clean,
    /// Findings at or above `--fail-on` (or, for `--diff`, a change to show).
    Findings,
    /// An error: a file that could not be read, parsed or written, a registry failure.
    Error,
}

impl Status {
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Clean => crate::EXIT_CLEAN,
            Status::Findings => crate::EXIT_FINDINGS,
            Status::Error => crate::EXIT_ERROR,
        }
    }
}

/// All lint results of one run, in a stable order.
#[derive(Debug, Default)]
pub struct Results {
    pub reports: Vec<FileReport>,
    pub failures: Vec<FileFailure>,
}

/// The fixes of one file.
#[derive(Debug)]
pub struct FileFixes {
    pub path: PathBuf,
    pub applied: Vec<Applied>,
    pub refused: Vec<Refused>,
}

/// What `--fix` or `--diff` did over the run.
#[derive(Debug, Default)]
pub struct FixLog {
    /// `--diff`: nothing was written.
    pub dry_run: bool,
    pub files: Vec<FileFixes>,
    /// Files whose text the fixes changed.
    pub changed_files: usize,
    /// Unsafe fixes left out because `--unsafe-fixes` was not given.
    pub unsafe_skipped: usize,
}

impl FixLog {
    pub fn applied(&self) -> usize {
        self.files.iter().map(|f| f.applied.len()).sum()
    }
}

/// What goes to standard output.
#[derive(Debug)]
pub enum Emitted {
    /// The findings, in the chosen format.
    Report,
    /// `--diff`: the unified diff of every change.
    Diff(String),
    /// stdin with `--fix`: the fixed text (the findings left go to stderr).
    FixedText(String),
    /// Nothing: the input could not be read.
    Nothing,
}

/// Everything `check` (with or without `--fix` / `--diff`, from files or stdin) found and did.
#[derive(Debug)]
pub struct CheckOutcome {
    /// The input came from stdin: findings go to stderr when the fixed text takes stdout.
    pub stdin: bool,
    /// What the registries' answers mean for the run: `error: ...`, `warning: ...`, `note: ...`.
    pub resolution: Vec<String>,
    pub fixes: Option<FixLog>,
    /// `Wrote mcp-lint.lock (...)` lines.
    pub locks_written: Vec<String>,
    /// `[[ignores]]` entries that matched no finding.
    pub stale_ignores: Vec<String>,
    /// Files found by walking and left out, with why.
    pub skipped: Vec<super::collect::Skipped>,
    pub results: Results,
    pub emitted: Emitted,
    pub status: Status,
}

/// What `verify` found.
#[derive(Debug)]
pub struct VerifyOutcome {
    /// The lockfiles checked.
    pub locks: usize,
    /// Artifacts and manifests downloaded and compared.
    pub checked: usize,
    pub failures: Vec<String>,
}

impl VerifyOutcome {
    pub fn status(&self) -> Status {
        if self.failures.is_empty() && self.locks > 0 {
            Status::Clean
        } else {
            Status::Error
        }
    }
}
