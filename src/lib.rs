//! mcp-lint: a linter and auto-fixer for MCP (Model Context Protocol) server configuration files.
//!
//! The run is a pipeline of stages in [`run`] with typed data between them (its module docs
//! draw it): [`dialect`] backends parse a file into a tree with spans, [`model`] reads any
//! dialect into one server model, [`rules`] report [`finding::Finding`]s by route, [`fix`]
//! applies their edits, [`resolve`] is the only code that touches the network, and [`output`]
//! renders the outcomes. The library returns outcomes; the binary prints them.

pub mod audit;
pub mod bom;
pub mod cli;
pub mod dialect;
pub mod finding;
pub mod fix;
pub mod model;
pub mod output;
pub mod poison;
pub mod probe;
pub mod project_config;
pub mod resolve;
pub mod rules;
pub mod run;
pub mod schema;
pub mod secrets;
pub mod server;

pub use run::harness;
pub use run::outcome::{CheckOutcome, Status};
pub use run::settings::{Environment, Settings};

/// Exit code: nothing at or above `--fail-on` was found.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: an error (unreadable or unparsable file, bad usage).
pub const EXIT_ERROR: u8 = 2;

/// What unit tests share.
#[cfg(test)]
pub(crate) mod test_support {
    use std::path::PathBuf;

    /// The reason given by tests that read `../shared` (the corpus and registry samples beside
    /// the repository); `.ci/run` runs them with `--include-ignored`.
    pub const NEEDS_SHARED: &str = "needs ../shared beside the repository";

    /// `../shared/<sub>`, which a test marked `#[ignore = "needs ../shared ..."]` requires: it
    /// fails, never passes, when the directory is absent.
    pub fn shared(sub: &str) -> PathBuf {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared").join(sub);
        assert!(dir.is_dir(), "{NEEDS_SHARED}: {} is absent", dir.display());
        dir
    }
}
