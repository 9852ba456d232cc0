//! What the language server lints with: the editor's settings (offline, the rule selection), the
//! `mcp-lint.toml` found from each document's folder, and the lock beside it, each read once and
//! read again when the editor says one of those files changed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::resolve::lock::Lock;
use crate::run::settings::Settings;

/// The files whose change the server is told of (`workspace/didChangeWatchedFiles`).
pub const WATCHED: [&str; 3] = ["**/mcp-lint.toml", "**/.mcp-lint.toml", "**/mcp-lint.lock"];

/// The editor's settings, from `initializationOptions` or `workspace/didChangeConfiguration`
/// (either the object itself or under an `mcp-lint` key, as VS Code sends a section).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ClientSettings {
    /// Never ask a registry, even for a pin the user picks.
    pub offline: bool,
    /// Run only these rules (as `--select`).
    pub select: Vec<String>,
    /// Leave these rules out (as `--ignore`).
    pub ignore: Vec<String>,
}

impl ClientSettings {
    /// The settings in `value`; `null` is the defaults.
    pub fn from_value(value: &serde_json::Value) -> Result<Self, String> {
        let value = value.get("mcp-lint").unwrap_or(value);
        if value.is_null() {
            return Ok(Self::default());
        }
        Self::deserialize(value).map_err(|error| format!("mcp-lint's editor settings: {error}"))
    }

    /// The command line `check` would be given for a buffer of `path` with these settings.
    pub fn arguments(&self, path: &Path, extra: &[&str]) -> Vec<std::ffi::OsString> {
        let mut arguments: Vec<std::ffi::OsString> = ["mcp-lint", "--stdin-filename"].map(Into::into).to_vec();
        arguments.push(path.as_os_str().to_owned());
        if !self.select.is_empty() {
            arguments.push(format!("--select={}", self.select.join(",")).into());
        }
        if !self.ignore.is_empty() {
            arguments.push(format!("--ignore={}", self.ignore.join(",")).into());
        }
        arguments.extend(extra.iter().map(Into::into));
        arguments
    }
}

/// The settings of every folder a document was opened from, and the locks beside them.
pub struct Workspace {
    pub client: ClientSettings,
    /// The editor tells the server when a watched file changes: what was read can be kept.
    pub watched: bool,
    settings: HashMap<PathBuf, Result<Arc<Settings>, String>>,
    locks: HashMap<PathBuf, Option<Arc<Lock>>>,
}

impl Workspace {
    pub fn new(client: ClientSettings, watched: bool) -> Self {
        Self {
            client,
            watched,
            settings: HashMap::new(),
            locks: HashMap::new(),
        }
    }

    /// Forgets what was read: a watched file changed, or the editor's settings did.
    pub fn forget(&mut self) {
        self.settings.clear();
        self.locks.clear();
    }

    /// The settings `check --stdin-filename PATH --offline` would lint `path` with: the
    /// editor's rule selection and the `mcp-lint.toml` found from the file's folder. An error
    /// (a bad mcp-lint.toml, an unknown rule) is said once per folder.
    pub fn lint_settings(&mut self, path: &Path) -> Result<Arc<Settings>, String> {
        let folder = folder_of(path);
        if let Some(known) = self.settings.get(&folder) {
            return known.clone();
        }
        let settings = self.settings_with(path, &["--offline"]).map(Arc::new);
        if self.watched {
            self.settings.insert(folder, settings.clone());
        }
        settings
    }

    /// Settings for `path` with more command-line options (pinning's `--fix --unsafe-fixes`).
    pub fn settings_with(&self, path: &Path, extra: &[&str]) -> Result<Settings, String> {
        let cli = <crate::cli::Cli as clap::Parser>::try_parse_from(self.client.arguments(path, extra))
            .map_err(|error| error.to_string())?;
        let project = crate::project_config::discover(&folder_of(path))
            .map_err(|error| error.to_string())?
            .map(|(_, config)| Arc::new(config));
        let mut environment = crate::Environment::capture();
        // Paths in mcp-lint.toml and the registries' settings are read from the file's folder.
        environment.cwd = folder_of(path);
        Settings::with_project(&cli.options.options(), project, environment).map_err(|error| error.to_string())
    }

    /// The lock beside `path`, if one is there and reads.
    pub fn lock_for(&mut self, path: &Path) -> Option<Arc<Lock>> {
        let folder = folder_of(path);
        if let Some(known) = self.locks.get(&folder) {
            return known.clone();
        }
        let lock = Lock::load(&folder).ok().flatten().map(Arc::new);
        if self.watched {
            self.locks.insert(folder, lock.clone());
        }
        lock
    }
}

fn folder_of(path: &Path) -> PathBuf {
    path.parent().map(PathBuf::from).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_come_as_an_object_or_a_section() {
        let plain = serde_json::json!({"offline": true, "select": ["inline-secret"]});
        let section = serde_json::json!({"mcp-lint": plain.clone()});
        let expected = ClientSettings {
            offline: true,
            select: vec!["inline-secret".to_owned()],
            ignore: Vec::new(),
        };
        assert_eq!(ClientSettings::from_value(&plain), Ok(expected.clone()));
        assert_eq!(ClientSettings::from_value(&section), Ok(expected));
        assert_eq!(
            ClientSettings::from_value(&serde_json::Value::Null),
            Ok(ClientSettings::default())
        );
        let typo = ClientSettings::from_value(&serde_json::json!({"ofline": true})).expect_err("a typo is an error");
        assert!(typo.contains("ofline"), "{typo}");
    }

    /// The VS Code extension's settings are the server's (and `path`, the extension's own): a
    /// setting added to one and not the other would be refused or never sent.
    #[test]
    fn the_vscode_extension_sends_what_the_server_reads() {
        let manifest: serde_json::Value =
            serde_json::from_str(include_str!("../../editors/vscode/package.json")).expect("package.json");
        let properties = manifest["contributes"]["configuration"]["properties"]
            .as_object()
            .expect("settings");
        let sent: serde_json::Map<String, serde_json::Value> = properties
            .iter()
            .filter_map(|(key, property)| {
                Some((key.strip_prefix("mcp-lint.")?.to_owned(), property["default"].clone()))
            })
            .filter(|(key, _)| key != "path")
            .collect();
        assert_eq!(sent.len(), 3, "{sent:?}");
        let settings = ClientSettings::from_value(&serde_json::Value::Object(sent)).expect("the server reads them");
        assert_eq!(settings, ClientSettings::default());
        assert_eq!(
            manifest["version"],
            env!("CARGO_PKG_VERSION"),
            "the extension's version is mcp-lint's"
        );
    }

    #[test]
    fn an_unknown_rule_is_an_error_not_silence() {
        let workspace = Workspace::new(
            ClientSettings {
                select: vec!["no-such-rule".to_owned()],
                ..ClientSettings::default()
            },
            false,
        );
        let error = workspace
            .settings_with(Path::new("/nowhere/.mcp.json"), &["--offline"])
            .err()
            .unwrap_or_default();
        assert!(error.contains("no-such-rule"), "{error}");
    }
}
