//! The run's own messages: what a check found and did, as stdout (the report, a diff or fixed
//! text) and stderr (registry notes, the fix summary, failures, stale ignores).

use std::io::{self, Write};

use crate::output::{self, Format, escape_controls};
use crate::run::lint::FileFailure;
use crate::run::outcome::{CheckOutcome, Emitted, FixLog, VerifyOutcome};
use crate::run::settings::Settings;

/// Prints `outcome` the way the command line shows it.
pub fn print_check(outcome: &CheckOutcome, settings: &Settings) -> io::Result<()> {
    let mut stderr = io::stderr().lock();
    // Every line here may carry a config value (a package, a server, a path): controls escaped.
    for line in &outcome.resolution {
        writeln!(stderr, "{}", escape_controls(line))?;
    }
    if let Some(log) = &outcome.fixes {
        for line in fix_summary(log, settings.show_fixes).lines() {
            writeln!(stderr, "{}", escape_controls(line))?;
        }
    }
    for line in &outcome.locks_written {
        writeln!(stderr, "{line}")?;
    }
    for warning in &outcome.stale_ignores {
        writeln!(stderr, "warning: {}", escape_controls(warning))?;
    }
    if settings.verbose {
        for skipped in &outcome.skipped {
            let line = format!("skipped {}: {}", skipped.path.display(), skipped.reason);
            writeln!(stderr, "{}", escape_controls(&line))?;
        }
    }
    let failures_on_stderr =
        outcome.stdin || settings.format == Format::Human || matches!(outcome.emitted, Emitted::Diff(_));
    if failures_on_stderr {
        for failure in &outcome.results.failures {
            writeln!(stderr, "{}", escape_controls(&failure.line()))?;
        }
    }
    match &outcome.emitted {
        Emitted::Nothing => Ok(()),
        Emitted::Diff(diff) => write_stdout(diff),
        Emitted::FixedText(text) => {
            write_stdout(text)?;
            // The buffer's new text on stdout, the findings still left on stderr.
            write!(stderr, "{}", output::render(settings.format, &outcome.results, false))
        }
        Emitted::Report => {
            if !outcome.stdin
                && settings.format == Format::Human
                && outcome.results.reports.is_empty()
                && outcome.results.failures.is_empty()
            {
                writeln!(stderr, "mcp-lint: no MCP config files found in the given paths")?;
            }
            write_stdout(&output::render(
                settings.format,
                &outcome.results,
                settings.color && !outcome.stdin,
            ))
        }
    }
}

/// What `--fix` / `--diff` did: each fix with `--show-fixes`, each refusal, and the counts.
pub fn fix_summary(log: &FixLog, show: bool) -> String {
    let mut out = String::new();
    for file in &log.files {
        let path = file.path.display();
        if show {
            for applied in &file.applied {
                let server = applied.server.as_deref().map(|s| format!(" `{s}`")).unwrap_or_default();
                out.push_str(&format!(
                    "  {path}: [{}]{server} {} ({})\n",
                    applied.rule,
                    applied.title,
                    applied.applicability.name()
                ));
            }
        }
        for refused in &file.refused {
            let server = refused.server.as_deref().map(|s| format!(" `{s}`")).unwrap_or_default();
            out.push_str(&format!(
                "warning: {path}: [{}]{server} could not apply \"{}\": {}\n",
                refused.rule, refused.title, refused.error
            ));
        }
    }
    let verb = if log.dry_run { "Would fix" } else { "Fixed" };
    let applied = log.applied();
    let problems = if applied == 1 { "problem" } else { "problems" };
    let files = log.changed_files;
    let file_word = if files == 1 { "file" } else { "files" };
    out.push_str(&format!("{verb} {applied} {problems} in {files} {file_word}.\n"));
    if log.unsafe_skipped > 0 {
        let fixes = if log.unsafe_skipped == 1 { "fix is" } else { "fixes are" };
        out.push_str(&format!(
            "{} more {fixes} available with --unsafe-fixes.\n",
            log.unsafe_skipped
        ));
    }
    out
}

/// Prints the files a command could not read, one `path:line:col: what is wrong` each.
pub fn print_failures(failures: &[FileFailure]) -> io::Result<()> {
    let mut stderr = io::stderr().lock();
    for failure in failures {
        writeln!(stderr, "{}", escape_controls(&failure.line()))?;
    }
    Ok(())
}

/// Prints what `verify` found.
pub fn print_verify(outcome: &VerifyOutcome) -> io::Result<()> {
    let mut stderr = io::stderr().lock();
    if outcome.locks == 0 {
        return writeln!(
            stderr,
            "mcp-lint: no mcp-lint.lock found beside the given configs (`--fix --unsafe-fixes` writes one)"
        );
    }
    for failure in &outcome.failures {
        writeln!(stderr, "error: {}", escape_controls(failure))?;
    }
    let locks = if outcome.locks == 1 { "lockfile" } else { "lockfiles" };
    if outcome.failures.is_empty() {
        writeln!(
            stderr,
            "Verified {} artifacts and manifests in {} {locks}: every digest matches.",
            outcome.checked, outcome.locks
        )
    } else {
        writeln!(
            stderr,
            "{} of {} artifacts and manifests in {} {locks} failed verification.",
            outcome.failures.len(),
            outcome.checked,
            outcome.locks
        )
    }
}

/// Writes to stdout, treating a closed pipe (`mcp-lint | head`) as success.
pub fn write_stdout(text: &str) -> io::Result<()> {
    match io::stdout().lock().write_all(text.as_bytes()) {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
