//! Output formats for lint results: human snippets and the JSON contract.

pub mod human;
pub mod json;

use crate::lint::{FileFailure, FileReport};

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-style snippets with the offending value underlined.
    Human,
    /// One JSON document (version 1), documented in the README.
    Json,
}

/// All results of one run, in a stable order.
pub struct Results {
    pub reports: Vec<FileReport>,
    pub failures: Vec<FileFailure>,
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
