//! mcp-lint: a linter for MCP (Model Context Protocol) server configuration files.
//!
//! Layers, data flowing one way: [`dialect`] backends parse a file and map routes to spans ->
//! [`model`] turns any dialect into one server model -> [`rules`] read the model and report
//! [`finding::Finding`]s by route -> [`output`] renders them at their line and column.

pub mod cli;
pub mod collect;
pub mod dialect;
pub mod finding;
pub mod fix;
pub mod lint;
pub mod model;
pub mod output;
pub mod project_config;
pub mod resolution;
pub mod resolve;
pub mod rules;
pub mod schema;
pub mod secrets;
pub mod wizard;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};

use std::path::PathBuf;

use crate::cli::{CheckOptions, Cli, ColorChoice, Command};
use crate::fix::apply::{FixOptions, FixOutcome};
use crate::lint::{FileFailure, FileReport, SourceFile};
use crate::output::{Format, Results};
use crate::resolve::lock::Lock;
use crate::rules::{LintContext, LockCheck, Needs, Rule};

/// Exit code: nothing at or above `--fail-on` was found.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: an error (unreadable or unparsable file, bad usage).
pub const EXIT_ERROR: u8 = 2;

/// Runs the command line and returns the process exit code.
pub fn run(mut cli: Cli) -> Result<ExitCode> {
    if !cli.options.no_config {
        let cwd = std::env::current_dir().unwrap_or_default();
        match project_config::discover(&cwd) {
            Ok(found) => cli.options.project = found.map(|(_, config)| std::sync::Arc::new(config)),
            Err(error) => {
                eprintln!("{error}");
                return Ok(ExitCode::from(EXIT_ERROR));
            }
        }
    }
    match cli.command {
        None => check(&cli.paths, &cli.options),
        Some(Command::Check { paths }) => check(&paths, &cli.options),
        Some(Command::Rule { name }) => {
            let Some(rule) = rules::by_id(&name) else {
                bail!("unknown rule `{name}`; `mcp-lint rules` lists them");
            };
            let info = rule.info();
            write_stdout(&format!(
                "# {}\n\n{}\n\n{}\n",
                info.id,
                info.summary,
                info.documentation()
            ))?;
            Ok(ExitCode::from(EXIT_CLEAN))
        }
        Some(Command::Verify { paths }) => verify(&paths, &cli.options),
        Some(Command::Pin { paths }) => wizard::run(&paths, &cli.options),
        Some(Command::Completions { shell }) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "mcp-lint", &mut std::io::stdout());
            Ok(ExitCode::from(EXIT_CLEAN))
        }
        Some(Command::Rules) => {
            let mut text = String::new();
            for rule in rules::ALL {
                let info = rule.info();
                text.push_str(&format!(
                    "{:<24} {:<8} {}\n",
                    info.id,
                    info.default_severity.name(),
                    info.summary
                ));
            }
            write_stdout(&text)?;
            Ok(ExitCode::from(EXIT_CLEAN))
        }
    }
}

/// `mcp-lint -` with `--stdin-filename PATH`: the editor's buffer comes on stdin; with `--fix`
/// the fixed text goes to stdout and the diagnostics to stderr. The disk is never touched.
fn check_stdin(args: &CheckOptions) -> Result<ExitCode> {
    let rules = selected_rules(args)?;
    let Some(path) = args
        .stdin_filename
        .clone()
        .or_else(|| args.dialect.map(|_| PathBuf::from("-")))
    else {
        bail!("reading a config from stdin (`-`) needs --stdin-filename PATH (or --dialect) to know its dialect");
    };
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut bytes)?;
    let Ok(raw) = String::from_utf8(bytes) else {
        eprintln!("{}:1:1: the input is not UTF-8 text", path.display());
        return Ok(ExitCode::from(EXIT_ERROR));
    };
    let source = SourceFile::new(&path, raw);
    let context = LintContext::default();
    let report = match lint::lint(source, args.dialect, &rules, &context) {
        Ok(report) => report,
        Err((source, error)) => {
            eprintln!("{}", failure_line(&FileFailure::from_lint(&source, &error)));
            return Ok(ExitCode::from(EXIT_ERROR));
        }
    };
    let fixing = args.fix || args.diff;
    let (report, fixed_text) = if fixing {
        let options = FixOptions {
            unsafe_fixes: args.unsafe_fixes,
        };
        let outcome = fix::apply::fix_source(&report.source, report.dialect, &rules, &context, options);
        let mut summary = FixSummary::default();
        summary.record(&report.source, &outcome, args.show_fixes);
        summary.print(args.diff, usize::from(outcome.changed(&report.source)))?;
        let fixed = disk_text(&report.source, &outcome.text);
        let relinted = lint::lint(
            SourceFile::new(&path, outcome.text.clone()),
            Some(report.dialect),
            &rules,
            &context,
        );
        let diff = args.diff.then(|| unified_diff(&report, &outcome.text));
        match relinted {
            Ok(relinted) => (relinted, Some((fixed, diff))),
            Err(_) => (report, Some((fixed, diff))),
        }
    } else {
        (report, None)
    };
    let mut reports = vec![report];
    apply_project_config(args, &rules, &mut reports, false);
    let failing = reports[0].findings.iter().any(|l| l.finding.severity >= args.fail_on());
    let results = Results {
        reports,
        failures: Vec::new(),
    };
    let rendered = output::render(args.format, &results, false);
    match fixed_text {
        // The buffer's new text on stdout, the findings still left on stderr.
        Some((fixed, None)) => {
            write_stdout(&fixed)?;
            eprint!("{rendered}");
        }
        Some((_, Some(diff))) => {
            write_stdout(&diff)?;
            let changed = !diff.is_empty();
            return Ok(ExitCode::from(if changed { EXIT_FINDINGS } else { EXIT_CLEAN }));
        }
        None => write_stdout(&rendered)?,
    }
    Ok(ExitCode::from(if failing { EXIT_FINDINGS } else { EXIT_CLEAN }))
}

/// Collects the MCP configs under `paths` and lints each once, on its own (no registry, no lock).
pub(crate) fn lint_paths(paths: &[PathBuf], args: &CheckOptions, rules: &[&dyn Rule]) -> Results {
    let (inputs, missing) = collect::collect(paths);
    let mut results = Results {
        reports: Vec::new(),
        failures: missing
            .into_iter()
            .map(|(path, message)| FileFailure {
                path,
                position: None,
                message,
            })
            .collect(),
    };
    for input in &inputs {
        match lint::lint_input(input, args.dialect, rules) {
            Some(Ok(report)) => results.reports.push(report),
            Some(Err(failure)) => results.failures.push(failure),
            None => {}
        }
    }
    results
}

/// mcp-lint.toml's per-rule severities and `[[ignores]]`, with a warning for each ignore that
/// matched nothing (unless its rule did not run this time).
fn apply_project_config(args: &CheckOptions, rules: &[&dyn Rule], reports: &mut [FileReport], registry_ran: bool) {
    let Some(project) = args.project.as_deref() else {
        return;
    };
    for located in reports.iter_mut().flat_map(|r| r.findings.iter_mut()) {
        let finding = &mut located.finding;
        // A disabled server's findings stay informational whatever the project says.
        if finding.server_disabled {
            continue;
        }
        if let Some(severity) = project.severity_for(finding.rule) {
            finding.severity = severity;
        }
    }
    let dir = project.path.parent().map(PathBuf::from).unwrap_or_default();
    // Only a rule that ran can have left an ignore unused.
    let ran = |id: &str| {
        rules.iter().any(|rule| {
            rule.info().id == id
                && match rule.needs() {
                    Needs::File => true,
                    Needs::Registry => registry_ran,
                    Needs::Lock => args.locked,
                }
        })
    };
    for warning in project.apply_ignores(&dir, reports, &ran) {
        eprintln!("warning: {warning}");
    }
}

/// `mcp-lint verify`: every artifact and manifest in the lockfiles is downloaded again and its
/// digest compared with the lock.
fn verify(paths: &[PathBuf], args: &CheckOptions) -> Result<ExitCode> {
    if args.offline {
        bail!("`verify` downloads every locked artifact again, so it cannot run with --offline");
    }
    let (inputs, _) = collect::collect(paths);
    let configs: Vec<PathBuf> = inputs.iter().map(|i| i.path.clone()).collect();
    let dirs = resolution::locks_for(paths, &configs);
    if dirs.is_empty() {
        eprintln!("mcp-lint: no mcp-lint.lock found beside the given configs (`--fix --unsafe-fixes` writes one)");
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    let http = resolve::http::Http::new(resolution::http_options(), resolve::cache::Cache::default_location());
    let settings = resolution::settings(args);
    let (mut checked, mut failures) = (0, Vec::new());
    for dir in &dirs {
        match resolution::verify_lock(dir, &http, &settings) {
            Ok((count, failed)) => {
                checked += count;
                failures.extend(failed);
            }
            Err(error) => failures.push(error.to_string()),
        }
    }
    for failure in &failures {
        eprintln!("error: {failure}");
    }
    let locks = if dirs.len() == 1 { "lockfile" } else { "lockfiles" };
    if failures.is_empty() {
        eprintln!(
            "Verified {checked} artifacts and manifests in {} {locks}: every digest matches.",
            dirs.len()
        );
        Ok(ExitCode::from(EXIT_CLEAN))
    } else {
        eprintln!(
            "{} of {checked} artifacts and manifests in {} {locks} failed verification.",
            failures.len(),
            dirs.len()
        );
        Ok(ExitCode::from(EXIT_ERROR))
    }
}

fn check(paths: &[PathBuf], args: &CheckOptions) -> Result<ExitCode> {
    if paths.len() == 1 && paths[0].as_os_str() == "-" {
        return check_stdin(args);
    }
    let rules = selected_rules(args)?;
    let mut results = lint_paths(paths, args, &rules);
    // Registry answers and lockfiles, when the run asks for them; then the files are linted
    // again with what they said.
    let wants_registry = resolution::wanted(args) && !results.reports.is_empty();
    let http = wants_registry.then(|| resolution::http(args));
    let settings = wants_registry.then(|| resolution::settings(args));
    let view = match (&http, &settings) {
        (Some(http), Some(settings)) => Some(resolution::build_view(&results.reports, args, &rules, http, settings)),
        _ => None,
    };
    let verdict = view.as_ref().map(resolution::verdict);
    if let Some(verdict) = &verdict {
        let mut stderr = std::io::stderr().lock();
        for line in verdict.errors.iter().chain(&verdict.notes) {
            writeln!(stderr, "{line}")?;
        }
    }
    let mut locks: Vec<(PathBuf, Option<Lock>)> = Vec::new();
    if args.locked {
        for report in &results.reports {
            let dir = report.source.path.parent().map(PathBuf::from).unwrap_or_default();
            if locks.iter().any(|(d, _)| *d == dir) {
                continue;
            }
            match Lock::load(&dir) {
                Ok(lock) => locks.push((dir, lock)),
                Err(error) => results.failures.push(FileFailure {
                    path: Lock::path_for(&dir),
                    position: None,
                    message: error.to_string(),
                }),
            }
        }
    }
    let context_for = |path: &std::path::Path| -> LintContext {
        let dir = path.parent().map(PathBuf::from).unwrap_or_default();
        LintContext {
            registry: view.as_ref(),
            lock: args.locked.then(|| match locks.iter().find(|(d, _)| *d == dir) {
                Some((_, Some(lock))) => LockCheck::Present(lock),
                _ => LockCheck::Missing,
            }),
        }
    };
    if view.is_some() || args.locked {
        let reports = std::mem::take(&mut results.reports);
        for report in reports {
            let context = context_for(&report.source.path);
            match lint::lint(report.source.clone(), Some(report.dialect), &rules, &context) {
                Ok(relinted) => results.reports.push(relinted),
                Err(_) => results.reports.push(report),
            }
        }
    }
    if verdict.as_ref().is_some_and(|v| v.abort_writes) && (args.fix || args.diff) {
        eprintln!(
            "mcp-lint: the registries could not be read, so nothing was fixed or written (fix the network, or leave a registry out with --ignore unpinned-image / unpinned-package)"
        );
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    // A digest mismatch, or registries that could not be read: the run reports an error.
    let tampered = verdict.as_ref().is_some_and(|v| v.tampered || v.abort_writes);

    let fixing = args.fix || args.diff;
    let mut changed_files = 0;
    if fixing {
        let options = FixOptions {
            unsafe_fixes: args.unsafe_fixes,
        };
        let mut diffs = String::new();
        let mut summary = FixSummary::default();
        let reports = std::mem::take(&mut results.reports);
        for report in reports {
            let context = context_for(&report.source.path);
            let outcome = fix::apply::fix_source(&report.source, report.dialect, &rules, &context, options);
            summary.record(&report.source, &outcome, args.show_fixes);
            if !outcome.changed(&report.source) {
                results.reports.push(report);
                continue;
            }
            changed_files += 1;
            if args.diff {
                diffs.push_str(&unified_diff(&report, &outcome.text));
                results.reports.push(report);
                continue;
            }
            match write_fixed(&report, &outcome, &rules, &context) {
                Ok(fixed) => results.reports.push(fixed),
                Err(failure) => {
                    results.failures.push(failure);
                    results.reports.push(report);
                }
            }
        }
        summary.print(args.diff, changed_files)?;
        if let Some(view) = &view
            && !args.diff
        {
            // Every config as it now is on disk, written or not: a config pinned by hand gets
            // its lock too.
            let run: Vec<(&std::path::Path, &model::McpConfig)> = results
                .reports
                .iter()
                .map(|r| (r.source.path.as_path(), &r.config))
                .collect();
            match resolution::update_locks(&run, &run, view) {
                Ok(messages) => {
                    for message in messages {
                        eprintln!("{message}");
                    }
                }
                Err(error) => results.failures.push(FileFailure {
                    path: PathBuf::new(),
                    position: None,
                    message: error.to_string(),
                }),
            }
        }
        if args.diff {
            write_stdout(&diffs)?;
            let code = if !results.failures.is_empty() || tampered {
                EXIT_ERROR
            } else if changed_files > 0 {
                EXIT_FINDINGS
            } else {
                EXIT_CLEAN
            };
            for failure in &results.failures {
                eprintln!("{}", failure_line(failure));
            }
            return Ok(ExitCode::from(code));
        }
    }
    apply_project_config(args, &rules, &mut results.reports, view.is_some());
    for report in &mut results.reports {
        report.findings.sort_by_key(|l| (l.primary.start, l.finding.rule));
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    // Human output names the failures on stderr; the machine formats carry them in the document.
    if args.format == Format::Human {
        let mut stderr = std::io::stderr().lock();
        for failure in &results.failures {
            writeln!(stderr, "{}", failure_line(failure))?;
        }
        if results.reports.is_empty() && results.failures.is_empty() {
            writeln!(stderr, "mcp-lint: no MCP config files found in the given paths")?;
        }
    }
    write_stdout(&output::render(args.format, &results, color))?;
    let failing = results
        .reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|l| l.finding.severity >= args.fail_on());
    let code = if !results.failures.is_empty() || tampered {
        EXIT_ERROR
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    Ok(ExitCode::from(code))
}

/// `path:line:col: message`, the form editors and CI logs link.
pub(crate) fn failure_line(failure: &FileFailure) -> String {
    let place = match failure.position {
        Some((line, column)) => format!("{}:{line}:{column}", failure.path.display()),
        None => failure.path.display().to_string(),
    };
    format!("{place}: {}", failure.message)
}

/// The text of the file on disk: the BOM, if it had one, and the text.
pub(crate) fn disk_text(source: &SourceFile, text: &str) -> String {
    if source.had_bom {
        format!("\u{feff}{text}")
    } else {
        text.to_owned()
    }
}

/// `--- a/path` / `+++ b/path` unified diff of one file's fix. Secrets the findings found are
/// masked on both sides (a removed line would otherwise print one in full), so a diff with a
/// secret in it is for review, not for `git apply`.
pub(crate) fn unified_diff(report: &FileReport, fixed: &str) -> String {
    let source = &report.source;
    let shown = source.path.display().to_string();
    let path = shown.trim_start_matches("./").trim_start_matches('/');
    let secrets: Vec<&str> = report
        .findings
        .iter()
        .flat_map(|f| f.finding.masked.iter().map(String::as_str))
        .collect();
    let before = output::mask_secrets(&disk_text(source, &source.text), &secrets);
    let after = output::mask_secrets(&disk_text(source, fixed), &secrets);
    similar::TextDiff::from_lines(&before, &after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

/// Writes the fixed text and lints it again, so the report shows what is left.
fn write_fixed(
    report: &FileReport,
    outcome: &FixOutcome,
    rules: &[&dyn Rule],
    context: &LintContext,
) -> Result<FileReport, FileFailure> {
    let source = &report.source;
    let original = disk_text(source, &source.text);
    let fixed = disk_text(source, &outcome.text);
    fix::write::write_atomically(&source.path, original.as_bytes(), fixed.as_bytes()).map_err(|error| FileFailure {
        path: source.path.clone(),
        position: None,
        message: error.to_string(),
    })?;
    lint::lint(
        SourceFile::new(&source.path, fixed),
        Some(report.dialect),
        rules,
        context,
    )
    .map_err(|(source, error)| {
        // The engine re-parses every edit, so this means a bug; say so rather than hide it.
        let mut failure = FileFailure::from_lint(&source, &error);
        failure.message = format!("internal error: the fixed file no longer lints: {}", failure.message);
        failure
    })
}

/// What `--fix` / `--diff` did, for the summary on stderr.
#[derive(Default)]
struct FixSummary {
    applied: usize,
    unsafe_skipped: usize,
    lines: Vec<String>,
}

impl FixSummary {
    fn record(&mut self, source: &SourceFile, outcome: &FixOutcome, show: bool) {
        self.applied += outcome.applied.len();
        self.unsafe_skipped += outcome.unsafe_skipped;
        let path = source.path.display();
        if show {
            for applied in &outcome.applied {
                let server = applied.server.as_deref().map(|s| format!(" `{s}`")).unwrap_or_default();
                self.lines.push(format!(
                    "  {path}: [{}]{server} {} ({})",
                    applied.rule,
                    applied.title,
                    applied.applicability.name()
                ));
            }
        }
        for refused in &outcome.refused {
            let server = refused.server.as_deref().map(|s| format!(" `{s}`")).unwrap_or_default();
            self.lines.push(format!(
                "warning: {path}: [{}]{server} could not apply \"{}\": {}",
                refused.rule, refused.title, refused.error
            ));
        }
    }

    fn print(&self, dry_run: bool, files: usize) -> Result<()> {
        let mut stderr = std::io::stderr().lock();
        for line in &self.lines {
            writeln!(stderr, "{line}")?;
        }
        let verb = if dry_run { "Would fix" } else { "Fixed" };
        let problems = if self.applied == 1 { "problem" } else { "problems" };
        let file_word = if files == 1 { "file" } else { "files" };
        writeln!(stderr, "{verb} {} {problems} in {files} {file_word}.", self.applied)?;
        if self.unsafe_skipped > 0 {
            writeln!(
                stderr,
                "{} more {} available with --unsafe-fixes.",
                self.unsafe_skipped,
                if self.unsafe_skipped == 1 {
                    "fix is"
                } else {
                    "fixes are"
                }
            )?;
        }
        Ok(())
    }
}

pub(crate) fn selected_rules(args: &CheckOptions) -> Result<Vec<&'static dyn Rule>> {
    for id in args.select.iter().chain(&args.ignore) {
        if rules::by_id(id).is_none() {
            bail!("unknown rule `{id}`; `mcp-lint rules` lists them");
        }
    }
    // The command line decides where it speaks; mcp-lint.toml decides the rest.
    let project = args.project.as_deref();
    Ok(rules::ALL
        .iter()
        .copied()
        .filter(|rule| {
            let id = rule.info().id;
            if args.select.is_empty() {
                project.is_none_or(|p| p.rule_enabled(id))
            } else {
                args.select.iter().any(|s| s == id)
            }
        })
        .filter(|rule| !args.ignore.iter().any(|id| id == rule.info().id))
        .collect())
}

/// Writes to stdout, treating a closed pipe (`mcp-lint | head`) as success.
fn write_stdout(text: &str) -> Result<()> {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
