//! Integration tests: the real `mcp-lint` binary over fixtures, the shared corpus and the CLI contract.

mod audit;
mod bom;
mod cli;
mod clients;
mod common;
mod corpus;
mod editor;
mod fix;
mod fixtures;
mod formats;
mod hostile;
mod install;
mod judged;
mod leak;
mod litellm;
mod live;
mod lsp_client;
mod poison;
mod precommit;
mod probe;
mod project;
mod registry;
mod roundtrip;
mod server;
mod server_workspace;
mod suppress;
