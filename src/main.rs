//! The `mcp-lint` binary: parse the command line, build the settings once, run the command's
//! pipeline, print its outcome and map it to an exit code.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Parser;

use mcp_lint::cli::{Cli, Command};
use mcp_lint::output::console::{self, write_stdout};
use mcp_lint::run::check;
use mcp_lint::run::reporter::Reporter;
use mcp_lint::{EXIT_ERROR, Environment, Settings, Status, output, rules};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(status) => ExitCode::from(status.exit_code()),
        Err(error) => {
            eprintln!("mcp-lint: error: {error:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run(cli: Cli) -> Result<Status> {
    if let Some(Command::Server) = cli.command {
        mcp_lint::server::run()?;
        return Ok(Status::Clean);
    }
    if let Some(Command::Completions { shell }) = cli.command {
        let mut command = <Cli as clap::CommandFactory>::command();
        clap_complete::generate(shell, &mut command, "mcp-lint", &mut std::io::stdout());
        return Ok(Status::Clean);
    }
    let settings = match Settings::new(&cli.options.options(), Environment::capture()) {
        Ok(settings) => settings,
        // A broken mcp-lint.toml is named with its place, as a file error is.
        Err(mcp_lint::run::settings::SettingsError::Project(error)) => {
            eprintln!("{error}");
            return Ok(Status::Error);
        }
        Err(error) => bail!(error),
    };
    let reporter = Reporter::new(settings.environment.stderr_is_terminal);
    let auditing = matches!(cli.command, Some(Command::Audit { .. }));
    if !auditing && !settings.format.is_check_format() {
        bail!("`--format markdown` and `--format html` are report formats of `mcp-lint audit`");
    }
    match cli.command {
        Some(Command::Audit { paths, output }) => audit(&paths, output.as_deref(), &settings),
        Some(Command::Bom { paths, output }) => bom(&paths, output.as_deref(), &settings),
        None => check_paths(&cli.paths, &settings, &reporter),
        Some(Command::Check { paths }) => check_paths(&paths, &settings, &reporter),
        Some(Command::Verify { paths }) => {
            if settings.offline {
                bail!("`verify` downloads every locked artifact again, so it cannot run with --offline");
            }
            let outcome = check::verify(&paths, &settings);
            console::print_verify(&outcome)?;
            Ok(outcome.status())
        }
        Some(Command::Pin { paths }) => output::wizard::run(&paths, &settings, &reporter),
        Some(Command::Probe {
            paths,
            yes,
            timeout,
            pass_env,
            check,
            remote,
        }) => {
            let options = mcp_lint::probe::ProbeOptions {
                timeout: std::time::Duration::from_secs(timeout.max(1)),
                pass_env,
                remote,
                ..mcp_lint::probe::ProbeOptions::default()
            };
            probe(&paths, yes, &options, check, &settings)
        }
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
            Ok(Status::Clean)
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
            Ok(Status::Clean)
        }
        Some(Command::Tools { files }) => {
            let outcome = mcp_lint::run::tools::examine_files(&files);
            print_tools(&outcome, &settings)?;
            Ok(outcome.status())
        }
        Some(Command::Completions { .. } | Command::Server) => Ok(Status::Clean),
    }
}

/// `mcp-lint tools`: one line per flagged tool (`path:line:col: severity[rule]: message`), or
/// the outcome as JSON; errors and the summary on stderr.
fn print_tools(outcome: &mcp_lint::run::tools::ToolsOutcome, settings: &Settings) -> Result<()> {
    match settings.format {
        output::Format::Json => write_stdout(&format!("{}\n", serde_json::to_string_pretty(outcome)?))?,
        output::Format::Human => {
            let mut text = String::new();
            for file in &outcome.files {
                for finding in &file.findings {
                    text.push_str(&format!(
                        "{}:{}:{}: {}[{}]: {}\n",
                        file.path.display(),
                        finding.line,
                        finding.column,
                        finding.severity.name(),
                        finding.rule,
                        finding.message
                    ));
                }
            }
            write_stdout(&text)?;
        }
        _ => bail!("`mcp-lint tools` prints `human` or `json`"),
    }
    for error in &outcome.errors {
        eprintln!("{error}");
    }
    let tools: usize = outcome.files.iter().map(|file| file.tools).sum();
    let flagged: usize = outcome.files.iter().map(|file| file.findings.len()).sum();
    eprintln!(
        "Examined {tools} tool{} in {} file{}: {flagged} flagged.",
        if tools == 1 { "" } else { "s" },
        outcome.files.len(),
        if outcome.files.len() == 1 { "" } else { "s" }
    );
    Ok(())
}

/// `mcp-lint probe`: runs the servers' code, so only after `--yes` or a yes on the terminal.
fn probe(
    paths: &[PathBuf],
    yes: bool,
    options: &mcp_lint::probe::ProbeOptions,
    check: bool,
    settings: &Settings,
) -> Result<Status> {
    use mcp_lint::probe::probe_paths;
    if !check && !matches!(settings.format, output::Format::Human | output::Format::Json) {
        bail!("`mcp-lint probe` prints a table (`human`) or `json`; `probe --check` prints findings in any format");
    }
    if check && settings.fix != mcp_lint::run::settings::FixMode::Off {
        bail!("`probe --check` writes nothing: run `probe --fix` on its own");
    }
    if !yes && !confirm_probe(settings)? {
        bail!(
            "nothing was run: `probe` launches the configured servers, which run their own code; pass --yes to allow it"
        );
    }
    if check {
        let (outcome, _) = mcp_lint::probe::stages::check(paths, settings, options);
        console::print_check(&outcome, settings)?;
        return Ok(outcome.status);
    }
    let outcome = probe_paths(
        paths,
        settings.dialect,
        settings.max_file_size,
        &settings.environment,
        options,
    );
    for failure in &outcome.failures {
        eprintln!("{}", output::escape_controls(&failure.line()));
    }
    let text = match settings.format {
        output::Format::Json => output::probe::render_json(&outcome),
        _ => output::probe::render_human(&outcome),
    };
    write_stdout(&text)?;
    for (lock, servers) in mcp_lint::probe::record(&outcome)? {
        eprintln!("Recorded the tools of {servers} server(s) in {}", lock.display());
    }
    if settings.fixing() {
        let reporter = Reporter::new(settings.environment.stderr_is_terminal);
        let (fixed, fixing) = mcp_lint::probe::stages::fill_allowlists(paths, settings, &reporter);
        console::print_check(&fixed, &fixing)?;
        if fixed.status == Status::Error {
            return Ok(Status::Error);
        }
    }
    Ok(if outcome.has_errors() {
        Status::Error
    } else {
        Status::Clean
    })
}

/// Asks on the terminal whether to run the servers; false (without asking) when stdin is no
/// terminal.
fn confirm_probe(settings: &Settings) -> Result<bool> {
    if !settings.environment.stdin_is_terminal {
        return Ok(false);
    }
    eprint!("mcp-lint probe launches every configured stdio server, which runs its own code. Continue? [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// `mcp-lint audit`: the report on stdout or in `output`; exit 1 when a dimension is red.
fn audit(paths: &[PathBuf], output: Option<&std::path::Path>, settings: &Settings) -> Result<Status> {
    use mcp_lint::output::audit::{ReportFormat, render};
    let format = match settings.format {
        output::Format::Human => ReportFormat::Terminal,
        output::Format::Json => ReportFormat::Json,
        output::Format::Markdown => ReportFormat::Markdown,
        output::Format::Html => ReportFormat::Html,
        other => bail!("`mcp-lint audit` writes terminal (`human`), markdown, html or json, not {other:?}"),
    };
    let outcome = mcp_lint::audit::audit(paths, settings.max_file_size, report_date());
    for failure in &outcome.failures {
        eprintln!("{}", output::escape_controls(failure));
    }
    if !outcome.failures.is_empty() {
        return Ok(Status::Error);
    }
    let color = settings.color && output.is_none();
    let text = render(&outcome.report, format, color);
    match output {
        Some(path) => std::fs::write(path, text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
        None => write_stdout(&text)?,
    }
    Ok(if outcome.report.has_red() {
        Status::Findings
    } else {
        Status::Clean
    })
}

/// `mcp-lint bom`: the inventory, or the files that could not be read (then nothing is written:
/// an inventory that silently lacks a file would be believed).
fn bom(paths: &[PathBuf], output: Option<&std::path::Path>, settings: &Settings) -> Result<Status> {
    if settings.fixing() {
        bail!("`mcp-lint bom` only reads the configs; run `--fix` with `check`");
    }
    let outcome = mcp_lint::bom::inventory_of(paths, settings);
    if !outcome.failures.is_empty() {
        console::print_failures(&outcome.failures)?;
        return Ok(Status::Error);
    }
    let mut text = serde_json::to_string_pretty(&outcome.bom)?;
    text.push('\n');
    match output {
        Some(path) => std::fs::write(path, text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?,
        None => write_stdout(&text)?,
    }
    Ok(Status::Clean)
}

fn check_paths(paths: &[PathBuf], settings: &Settings, reporter: &Reporter) -> Result<Status> {
    let outcome = if paths.len() == 1 && paths[0].as_os_str() == "-" {
        // The editor's buffer comes on stdin; the disk is never touched.
        let Some(path) = settings
            .stdin_filename
            .clone()
            .or_else(|| settings.dialect.map(|_| PathBuf::from("-")))
        else {
            bail!("reading a config from stdin (`-`) needs --stdin-filename PATH (or --dialect) to know its dialect");
        };
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(settings.max_file_size + 1)
            .read_to_end(&mut bytes)?;
        if bytes.len() as u64 > settings.max_file_size {
            bail!(
                "{}: the buffer on stdin is over the limit of {} bytes (--max-file-size)",
                path.display(),
                settings.max_file_size
            );
        }
        check::check_text(&path, bytes, settings)
    } else {
        check::check(paths, settings, reporter)
    };
    console::print_check(&outcome, settings)?;
    let status = outcome.status;
    // The process ends here: freeing every parsed tree and finding one by one would cost a
    // large run (thousands of servers) tens of milliseconds for nothing.
    std::mem::forget(outcome);
    Ok(status)
}

/// The audit report's date: `SOURCE_DATE_EPOCH`'s day when set (reproducible reports), else
/// today (UTC).
fn report_date() -> String {
    let now = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|seconds| seconds.trim().parse::<i64>().ok())
        .and_then(|seconds| jiff::Timestamp::from_second(seconds).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    now.to_zoned(jiff::tz::TimeZone::UTC).date().to_string()
}
