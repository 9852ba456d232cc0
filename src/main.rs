//! The `mcp-lint` binary: parse the command line, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = mcp_lint::cli::Cli::parse();
    match mcp_lint::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("mcp-lint: error: {error:#}");
            ExitCode::from(mcp_lint::EXIT_ERROR)
        }
    }
}
