//! `missing-launch-path`: a project config starts a server from a relative path (the command,
//! or the script an interpreter runs) that is not in the repository.

use crate::finding::{Finding, Severity};
use crate::model::{McpConfig, Str};

use super::{FixAvailability, LintContext, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// In a project's config (Claude Code `.mcp.json`, `.cursor/mcp.json`, `.vscode/mcp.json`,
    /// `.gemini/settings.json` and the other files a repository holds), checks the relative
    /// paths a server is started from: a `command` written as a path (`./bin/server`,
    /// `scripts/run.sh`), and the scripts an interpreter is given (`node build/index.js`,
    /// `python3 tools/server.py`, `bash scripts/start.sh`). A path is found if it is there
    /// relative to the server's `cwd` or to any folder from the config's up to the repository's
    /// root (clients start servers from the project's root, and mcp-lint does not guess which
    /// folder the editor opened).
    ///
    /// Not checked: absolute paths and `~` (they belong to one machine), paths with a variable
    /// (`${workspaceFolder}/...`), packages (`npx -y @scope/pkg@1.2.3` names no file), a path the
    /// repository's `.gitignore` ignores or under `node_modules` or a virtualenv (made by a build
    /// or an install on each machine), and files in no git repository (a user's own config).
    ///
    /// ## Why is this bad?
    /// The server never starts: the client reports a spawn error (or, for an interpreter, the
    /// interpreter exits at once), often only in a log, and the tools the project expects are
    /// not there. A renamed or moved script, or a path written relative to the wrong folder, is
    /// the usual cause.
    ///
    /// ## Example
    /// ```json
    /// { "mcpServers": { "notes": { "command": "node", "args": ["tools/notes-server.js"] } } }
    /// ```
    /// where the script is `tools/notes/server.js`. Use instead:
    /// ```json
    /// { "mcpServers": { "notes": { "command": "node", "args": ["tools/notes/server.js"] } } }
    /// ```
    ///
    /// ## Fix
    /// None: the right path is the author's to say.
    ///
    /// ## References
    /// - Claude Code, Cursor and VS Code start stdio servers with `spawn(command, args)` from
    ///   the project's folder (or the server's `cwd`)
    pub struct MissingLaunchPath {
        id: "missing-launch-path",
        summary: "A server is started from a relative path that is not in the repository",
        severity: Severity::Warning,
        fix: FixAvailability::None,
    }
}

/// Interpreters whose first script argument is a file to run.
const INTERPRETERS: [&str; 15] = [
    "node", "nodejs", "python", "python3", "bun", "deno", "tsx", "ts-node", "bash", "sh", "zsh", "ruby", "php", "perl",
    "pwsh",
];

/// What a script an interpreter runs ends with.
const SCRIPT_ENDINGS: [&str; 14] = [
    ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".py", ".sh", ".bash", ".rb", ".php", ".pl", ".ps1", ".jsx",
];

impl Rule for MissingLaunchPath {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_in(&self, config: &McpConfig, context: &LintContext, findings: &mut Vec<Finding>) {
        let Some(files) = context.files else {
            return;
        };
        for server in &config.servers {
            let Some(stdio) = server.stdio() else {
                continue;
            };
            // A `cwd` mcp-lint cannot place (absolute, with a variable) leaves the paths alone.
            let cwd = match &stdio.cwd {
                Some(cwd) if !relative_path(&cwd.value) => continue,
                Some(cwd) => Some(cwd.value.as_str()),
                None => None,
            };
            let mut paths: Vec<(&Str, &str)> = Vec::new();
            let command = stdio.command.value.trim();
            if relative_path(command) && command.contains('/') {
                paths.push((&stdio.command, "the command"));
            }
            let program = command.rsplit('/').next().unwrap_or(command).trim_end_matches(".exe");
            if INTERPRETERS.contains(&program) {
                for arg in &stdio.args {
                    let value = arg.value.as_str();
                    if relative_path(value) && SCRIPT_ENDINGS.iter().any(|ending| value.ends_with(ending)) {
                        paths.push((arg, "the script"));
                    }
                }
            }
            for (written, what) in paths {
                if files.accounts_for(written.value.trim(), cwd) {
                    continue;
                }
                let looked = match cwd {
                    Some(cwd) => format!("under `{cwd}` in {}", files.bases().join(", ")),
                    None => files.bases().join(", "),
                };
                findings.push(
                    Finding::new(
                        Self::INFO.id,
                        Self::INFO.default_severity,
                        format!(
                            "server `{}` never starts: {what} `{}` is not in this repository (looked in {looked})",
                            server.name, written.value
                        ),
                        &written.route,
                    )
                    .server(&server.name, &server.route)
                    .label("not in the repository")
                    .help(
                        "correct the path, or commit the file; a file a build makes belongs in .gitignore, and then mcp-lint leaves it alone",
                    ),
                );
            }
        }
    }
}

/// A path relative to some folder: not absolute, not the home directory, no variable or
/// Windows drive, not an option, not a URL.
fn relative_path(value: &str) -> bool {
    let value = value.trim();
    let drive = value.len() > 1 && value.as_bytes()[1] == b':';
    let elsewhere = value.starts_with(['/', '~', '-', '\\']) || value.contains("://") || drive;
    let variable = value.contains(['$', '%', '{', '}', '\\']);
    !value.is_empty() && !elsewhere && !variable && !value.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_counts_as_a_relative_path() {
        for yes in [
            "./bin/server",
            "scripts/run.sh",
            "build/index.js",
            "../tools/x.py",
            "server.js",
        ] {
            assert!(relative_path(yes), "{yes}");
        }
        for no in [
            "/usr/bin/node",
            "~/bin/x",
            "${workspaceFolder}/x.js",
            "$HOME/x.js",
            "C:\\x\\y.js",
            "C:/x/y.js",
            "--require",
            "https://x/y.js",
            "node server.js",
            "",
        ] {
            assert!(!relative_path(no), "{no}");
        }
    }
}
