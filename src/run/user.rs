//! Collect stage for `check --user`: the standard per-user config locations of every client, in
//! the current user's home only, each with the dialect its client reads it as.

use std::path::{Path, PathBuf};

use crate::dialect::Dialect;

/// The operating system whose locations apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
}

impl Os {
    pub fn current() -> Self {
        if cfg!(target_os = "macos") {
            Os::MacOs
        } else if cfg!(windows) {
            Os::Windows
        } else {
            Os::Linux
        }
    }
}

/// Every per-user config location on `os`, under `home` (and, on Windows, `appdata`, the
/// roaming application data folder), and Claude Code's managed folder, with its client's dialect. `copilot_home` is
/// `$COPILOT_HOME`, the Copilot CLI's configuration folder when set (`~/.copilot` otherwise:
/// `@github/copilot` 1.0.57 `app.js`). README "check --user" shows the same table.
pub fn locations(os: Os, home: &Path, appdata: Option<&Path>, copilot_home: Option<&Path>) -> Vec<(PathBuf, Dialect)> {
    let appdata = appdata.map_or_else(|| home.join("AppData").join("Roaming"), Path::to_path_buf);
    // The folder where VS Code keeps its user settings (and the extensions' global storage).
    let code_user = match os {
        Os::Linux => home.join(".config/Code/User"),
        Os::MacOs => home.join("Library/Application Support/Code/User"),
        Os::Windows => appdata.join("Code").join("User"),
    };
    let claude_desktop = match os {
        Os::Linux => home.join(".config/Claude"),
        Os::MacOs => home.join("Library/Application Support/Claude"),
        Os::Windows => appdata.join("Claude"),
    };
    let zed = match os {
        Os::Windows => appdata.join("Zed"),
        _ => home.join(".config/zed"),
    };
    let goose = match os {
        Os::Windows => appdata.join("Block").join("goose").join("config"),
        _ => home.join(".config/goose"),
    };
    let storage = code_user.join("globalStorage");
    let claude_managed = claude_managed_folder(os);
    vec![
        (
            claude_desktop.join("claude_desktop_config.json"),
            Dialect::ClaudeDesktop,
        ),
        (home.join(".claude.json"), Dialect::ClaudeCode),
        (home.join(".cursor/mcp.json"), Dialect::Cursor),
        (code_user.join("mcp.json"), Dialect::Vscode),
        (
            copilot_home
                .map_or_else(|| home.join(".copilot"), Path::to_path_buf)
                .join("mcp-config.json"),
            Dialect::Copilot,
        ),
        (home.join(".codeium/windsurf/mcp_config.json"), Dialect::Windsurf),
        (home.join(".gemini/settings.json"), Dialect::Gemini),
        (home.join(".qwen/settings.json"), Dialect::Qwen),
        (home.join(".gemini/antigravity/mcp_config.json"), Dialect::Antigravity),
        (
            storage.join("saoudrizwan.claude-dev/settings/cline_mcp_settings.json"),
            Dialect::Cline,
        ),
        // The Cline CLI (npm `cline` 3.0.65: `~/.cline/data` unless `--data-dir`, the file
        // overridable by CLINE_MCP_SETTINGS_PATH).
        (
            home.join(".cline/data/settings/cline_mcp_settings.json"),
            Dialect::Cline,
        ),
        (
            storage.join("rooveterinaryinc.roo-cline/settings/mcp_settings.json"),
            Dialect::Roo,
        ),
        (
            storage.join("kilocode.kilo-code/settings/mcp_settings.json"),
            Dialect::Kilo,
        ),
        (home.join(".aws/amazonq/mcp.json"), Dialect::AmazonQ),
        (home.join(".kiro/settings/mcp.json"), Dialect::Kiro),
        (home.join(".codex/config.toml"), Dialect::Codex),
        (zed.join("settings.json"), Dialect::Zed),
        (home.join(".continue/config.yaml"), Dialect::Continue),
        (home.join(".config/opencode/opencode.json"), Dialect::Opencode),
        (home.join(".config/opencode/opencode.jsonc"), Dialect::Opencode),
        (goose.join("config.yaml"), Dialect::Goose),
        // The organisation's Claude Code files, machine-wide: its server policy and servers.
        (claude_managed.join("managed-settings.json"), Dialect::ClaudeCode),
        (claude_managed.join("managed-mcp.json"), Dialect::ClaudeCode),
    ]
}

/// The folder of Claude Code's managed settings and `managed-mcp.json` (the one place outside
/// the user's home that `--user` reads: `@anthropic-ai/claude-code` 2.1.332).
fn claude_managed_folder(os: Os) -> PathBuf {
    match os {
        Os::Linux => PathBuf::from("/etc/claude-code"),
        Os::MacOs => PathBuf::from("/Library/Application Support/ClaudeCode"),
        Os::Windows => PathBuf::from(r"C:\Program Files\ClaudeCode"),
    }
}

/// The drop-ins of Claude Code's managed settings on `os` (`managed-settings.d/*.json` beside
/// `managed-settings.json`) that Claude Code reads, by name.
pub fn managed_drop_ins(os: Os) -> Vec<(PathBuf, Dialect)> {
    let folder = claude_managed_folder(os).join(crate::model::policy::MANAGED_DROP_INS);
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return Vec::new();
    };
    let mut drop_ins: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| crate::model::policy::is_managed_drop_in(path) && path.is_file())
        .collect();
    drop_ins.sort();
    drop_ins.into_iter().map(|path| (path, Dialect::ClaudeCode)).collect()
}

/// The locations of `locations` that hold a file.
pub fn present(locations: Vec<(PathBuf, Dialect)>) -> Vec<(PathBuf, Dialect)> {
    locations.into_iter().filter(|(path, _)| path.is_file()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every client has a location on every OS, each detected as its own client by path alone
    /// where the name is the client's (Goose on Windows and Claude Desktop need the table).
    #[test]
    fn every_client_everywhere() {
        for os in [Os::Linux, Os::MacOs, Os::Windows] {
            let table = locations(
                os,
                Path::new("/home/u"),
                Some(Path::new("/home/u/AppData/Roaming")),
                None,
            );
            for dialect in Dialect::ALL {
                // Gateways run from a deployment, not from a user's home.
                let expected = !matches!(
                    dialect,
                    Dialect::McpJson
                        | Dialect::Litellm
                        | Dialect::Helm
                        | Dialect::McpProxy
                        | Dialect::DockerCatalog
                        | Dialect::Kubernetes
                        | Dialect::DockerCompose
                        // A server's author publishes it; no client reads it from a home.
                        | Dialect::ServerJson
                        | Dialect::McpBundle
                        // Agents are Markdown files of a folder, not one file at a known place.
                        | Dialect::CopilotAgent
                        | Dialect::AgenticWorkflow
                        | Dialect::Agentgateway
                );
                assert_eq!(table.iter().any(|(_, d)| *d == dialect), expected, "{os:?}: {dialect}");
            }
            let managed = claude_managed_folder(os);
            assert!(
                table
                    .iter()
                    .all(|(path, _)| path.starts_with("/home/u") || path.starts_with(&managed)),
                "{os:?}"
            );
        }
    }
}
