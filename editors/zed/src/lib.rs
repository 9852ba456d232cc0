//! The mcp-lint extension for Zed: runs `mcp-lint server` (found on the worktree's `PATH`, or
//! at `lsp.mcp-lint.binary.path` in Zed's settings) beside the JSON, JSONC, YAML and TOML
//! language servers, and passes it `lsp.mcp-lint.initialization_options` (offline, select,
//! ignore).

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct McpLint;

impl zed::Extension for McpLint {
    fn new() -> Self {
        McpLint
    }

    fn language_server_command(&mut self, id: &LanguageServerId, worktree: &zed::Worktree) -> Result<zed::Command> {
        let configured = LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.binary)
            .and_then(|binary| binary.path);
        let command = configured.or_else(|| worktree.which("mcp-lint")).ok_or_else(|| {
            "mcp-lint is not on PATH: install it (cargo install mcp-lint) or set lsp.mcp-lint.binary.path".to_owned()
        })?;
        Ok(zed::Command {
            command,
            args: vec!["server".to_owned()],
            env: worktree.shell_env(),
        })
    }

    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(LspSettings::for_worktree(id.as_ref(), worktree)
            .ok()
            .and_then(|settings| settings.initialization_options))
    }
}

zed::register_extension!(McpLint);
