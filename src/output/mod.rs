//! Render stage: outcomes become text. Lint results in every format (human snippets, the JSON
//! contract, SARIF, GitHub annotations), the run's messages on stderr, and the pinning wizard's
//! terminal screens.

pub mod console;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod wizard;

use std::path::{Component, Path};

pub use crate::run::outcome::Results;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style snippets with the offending value underlined.
    Human,
    /// One JSON document (version 1), documented in the README.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: one annotation per finding.
    Github,
}

/// The document `format` prints for `results` (human output without colour unless `color`).
pub fn render(format: Format, results: &Results, color: bool) -> String {
    match format {
        Format::Human => human::render(results, color),
        Format::Json => json::render(results),
        Format::Sarif => sarif::render(results),
        Format::Github => github::render(results),
    }
}

/// Text with every secret replaced, keeping its length in characters so columns stay right.
pub fn mask_secrets(text: &str, secrets: &[&str]) -> String {
    let mut masked = text.to_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        let shown: String = secret
            .chars()
            .enumerate()
            .map(|(i, c)| if i < 4 && secret.chars().count() >= 16 { c } else { '*' })
            .collect();
        masked = masked.replace(secret, &shown);
    }
    masked
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
