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
pub mod rules;
pub mod schema;
pub mod secrets;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};

use std::path::PathBuf;

use crate::cli::{CheckOptions, Cli, ColorChoice, Command};
use crate::lint::FileFailure;
use crate::output::{Format, Results};
use crate::rules::Rule;

/// Exit code: nothing at or above `--fail-on` was found.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: an error (unreadable or unparsable file, bad usage).
pub const EXIT_ERROR: u8 = 2;

/// Runs the command line and returns the process exit code.
pub fn run(cli: Cli) -> Result<ExitCode> {
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

fn check(paths: &[PathBuf], args: &CheckOptions) -> Result<ExitCode> {
    let rules = selected_rules(args)?;
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
        match lint::lint_input(input, args.dialect, &rules) {
            Some(Ok(report)) => results.reports.push(report),
            Some(Err(failure)) => results.failures.push(failure),
            None => {}
        }
    }
    for report in &mut results.reports {
        report.findings.sort_by_key(|l| (l.primary.start, l.finding.rule));
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    match args.format {
        Format::Json => write_stdout(&output::json::render(&results))?,
        Format::Human => {
            let mut stderr = std::io::stderr().lock();
            for failure in &results.failures {
                let place = match failure.position {
                    Some((line, column)) => format!("{}:{line}:{column}", failure.path.display()),
                    None => failure.path.display().to_string(),
                };
                writeln!(stderr, "{place}: {}", failure.message)?;
            }
            if results.reports.is_empty() && results.failures.is_empty() {
                writeln!(stderr, "mcp-lint: no MCP config files found in the given paths")?;
            }
            write_stdout(&output::human::render(&results, color))?;
        }
    }
    let failing = results
        .reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|l| l.finding.severity >= args.fail_on);
    let code = if !results.failures.is_empty() {
        EXIT_ERROR
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    Ok(ExitCode::from(code))
}

fn selected_rules(args: &CheckOptions) -> Result<Vec<&'static dyn Rule>> {
    for id in args.select.iter().chain(&args.ignore) {
        if rules::by_id(id).is_none() {
            bail!("unknown rule `{id}`; `mcp-lint rules` lists them");
        }
    }
    Ok(rules::ALL
        .iter()
        .copied()
        .filter(|rule| args.select.is_empty() || args.select.iter().any(|id| id == rule.info().id))
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
