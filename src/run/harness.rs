//! The in-process harness: one config text through the pipeline (parse, lint, suppress, plan,
//! apply and verify) with no process, no disk and no network. Tests, property tests and fuzz
//! targets drive mcp-lint through it.

use std::path::Path;

use super::check;
use super::fix::{Applied, Refused};
use super::lint::{FileFailure, Located};
use super::outcome::{CheckOutcome, Emitted};
use super::settings::{FixMode, Settings};

/// What the pipeline made of one text.
#[derive(Debug)]
pub struct Harnessed {
    pub outcome: CheckOutcome,
}

impl Harnessed {
    /// The findings left (after fixing, when the settings fix).
    pub fn findings(&self) -> &[Located] {
        self.outcome
            .results
            .reports
            .first()
            .map_or(&[], |report| report.findings.as_slice())
    }

    /// Why the text could not be linted, if it could not.
    pub fn failure(&self) -> Option<&FileFailure> {
        self.outcome.results.failures.first()
    }

    /// The fixed text (with the BOM, if the input had one), when the settings fix.
    pub fn fixed(&self) -> Option<&str> {
        match &self.outcome.emitted {
            Emitted::FixedText(text) => Some(text),
            _ => None,
        }
    }

    /// The fixes applied, in order.
    pub fn applied(&self) -> Vec<&Applied> {
        self.outcome
            .fixes
            .iter()
            .flat_map(|log| &log.files)
            .flat_map(|f| &f.applied)
            .collect()
    }

    /// The names of the servers of the (first) file, sorted: what a fix must keep.
    pub fn server_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .outcome
            .results
            .reports
            .first()
            .map(|report| report.config.servers.iter().map(|s| s.name.clone()).collect())
            .unwrap_or_default();
        names.sort();
        names
    }

    /// The fixes that could not be applied, with why.
    pub fn refused(&self) -> Vec<&Refused> {
        self.outcome
            .fixes
            .iter()
            .flat_map(|log| &log.files)
            .flat_map(|f| &f.refused)
            .collect()
    }
}

/// Lints (and, as `settings` say, fixes) `text` as if it were the file `name`; `--diff` is run
/// as `--fix` so that the fixed text is there to inspect.
pub fn run(text: &str, name: impl AsRef<Path>, settings: &Settings) -> Harnessed {
    let mut settings = settings.clone();
    if settings.fix == FixMode::Diff {
        settings.fix = FixMode::Write;
    }
    Harnessed {
        outcome: check::check_text(name.as_ref(), text.as_bytes().to_vec(), &settings),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixing() -> Settings {
        let mut settings = Settings::defaults();
        settings.fix = FixMode::Write;
        settings.unsafe_fixes = true;
        settings
    }

    #[test]
    fn lints_and_fixes_without_disk_or_network() {
        let text = "{\n  \"mcpServers\": {\n    \"docs\": { \"type\": \"http\", \"url\": \"http://mcp.example.com/mcp\" }\n  }\n}\n";
        let plain = run(text, "project/.mcp.json", &Settings::defaults());
        assert!(plain.findings().iter().any(|l| l.finding.rule == "insecure-transport"));
        assert_eq!(plain.fixed(), None);

        let fixed = run(text, "project/.mcp.json", &fixing());
        let output = fixed.fixed().expect("fixed text");
        assert!(output.contains("https://mcp.example.com/mcp"), "{output}");
        assert!(!fixed.findings().iter().any(|l| l.finding.rule == "insecure-transport"));
        assert!(fixed.applied().iter().any(|a| a.rule == "insecure-transport"));
        // A second fix changes nothing.
        let again = run(output, "project/.mcp.json", &fixing());
        assert_eq!(again.fixed(), Some(output));
    }

    #[test]
    fn a_broken_text_is_a_located_failure() {
        let broken = run("{ \"mcpServers\": ", "x/.mcp.json", &Settings::defaults());
        let failure = broken.failure().expect("a failure");
        assert!(failure.position.is_some());
        assert!(broken.findings().is_empty());
    }
}
