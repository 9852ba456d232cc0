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
    if let Some(Command::Completions { shell }) = cli.command {
        let mut command = <Cli as clap::CommandFactory>::command();
        clap_complete::generate(shell, &mut command, "mcp-lint", &mut std::io::stdout());
        return Ok(Status::Clean);
    }
    let settings = match Settings::new(&cli.options, Environment::capture()) {
        Ok(settings) => settings,
        // A broken mcp-lint.toml is named with its place, as a file error is.
        Err(mcp_lint::run::settings::SettingsError::Project(error)) => {
            eprintln!("{error}");
            return Ok(Status::Error);
        }
        Err(error) => bail!(error),
    };
    let reporter = Reporter::new(settings.environment.stderr_is_terminal);
    match cli.command {
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
        Some(Command::Completions { .. }) => Ok(Status::Clean),
    }
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
    Ok(outcome.status)
}
