//! The user's own registry settings, honoured before any default: `.npmrc` (`registry=`,
//! `//host/:_authToken=`), `NPM_CONFIG_REGISTRY`, `UV_DEFAULT_INDEX` / `UV_INDEX_URL` /
//! `PIP_INDEX_URL`, and registry mirrors for container images. Tokens are never logged.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use base64::Engine as _;

pub const NPM_DEFAULT: &str = "https://registry.npmjs.org";
pub const PYPI_DEFAULT: &str = "https://pypi.org/simple";

#[derive(Clone, Default)]
pub struct Settings {
    /// The npm registry, without a trailing slash.
    pub npm_registry: String,
    /// `//host/path/` prefixes and their tokens, from `.npmrc`.
    npm_tokens: Vec<(String, String)>,
    /// The PEP 503 / 691 simple index, without a trailing slash.
    pub pypi_index: String,
    /// `user:password` from the index URL, sent as Basic auth to the index's host.
    pypi_credentials: Option<(String, String)>,
    /// Container registry host -> base URL (`MCP_LINT_REGISTRY_MIRRORS`), for mirrors and tests.
    pub oci_mirrors: BTreeMap<String, String>,
}

impl std::fmt::Debug for Settings {
    // Tokens stay out of every debug print.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("npm_registry", &self.npm_registry)
            .field("npm_tokens", &self.npm_tokens.len())
            .field("pypi_index", &self.pypi_index)
            .field("oci_mirrors", &self.oci_mirrors)
            .finish()
    }
}

impl Settings {
    /// Settings for configs in `project`, from `env` (the run's captured environment) and the
    /// `.npmrc` files of the project and the user's `home`.
    pub fn from_sources(project: &Path, env: &dyn Fn(&str) -> Option<String>, home: Option<PathBuf>) -> Self {
        let mut settings = Settings {
            npm_registry: NPM_DEFAULT.to_owned(),
            pypi_index: PYPI_DEFAULT.to_owned(),
            ..Settings::default()
        };
        // Lowest precedence first: the user's .npmrc, then the project's, then the environment.
        let user_npmrc = env("NPM_CONFIG_USERCONFIG")
            .map(PathBuf::from)
            .or_else(|| home.map(|h| h.join(".npmrc")));
        let project_npmrc = project.ancestors().map(|d| d.join(".npmrc")).find(|p| p.is_file());
        for path in [user_npmrc, project_npmrc].into_iter().flatten() {
            if let Ok(text) = fs::read_to_string(&path) {
                settings.read_npmrc(&text, env);
            }
        }
        if let Some(registry) = env("NPM_CONFIG_REGISTRY").or_else(|| env("npm_config_registry")) {
            settings.npm_registry = registry;
        }
        settings.npm_registry = settings.npm_registry.trim_end_matches('/').to_owned();

        if let Some(index) = env("UV_DEFAULT_INDEX")
            .or_else(|| env("UV_INDEX_URL"))
            .or_else(|| env("PIP_INDEX_URL"))
        {
            settings.set_pypi_index(&index);
        }
        if let Some(mirrors) = env("MCP_LINT_REGISTRY_MIRRORS") {
            for pair in mirrors.split(',') {
                if let Some((host, url)) = pair.split_once('=') {
                    settings
                        .oci_mirrors
                        .insert(host.trim().to_owned(), url.trim().trim_end_matches('/').to_owned());
                }
            }
        }
        settings
    }

    /// Applies one `.npmrc` file's `registry=` and `//host/:_authToken=` lines.
    pub fn read_npmrc(&mut self, text: &str, env: &dyn Fn(&str) -> Option<String>) {
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let (key, value) = (key.trim(), expand(value.trim().trim_matches('"'), env));
            if key == "registry" {
                self.npm_registry = value;
            } else if let Some(prefix) = key.strip_suffix(":_authToken")
                && prefix.starts_with("//")
            {
                self.npm_tokens.retain(|(p, _)| p != prefix);
                self.npm_tokens.push((prefix.to_owned(), value));
            }
        }
    }

    /// The PyPI index URL (`UV_INDEX_URL`, `PIP_INDEX_URL`); its userinfo becomes Basic auth for its host.
    pub fn set_pypi_index(&mut self, index: &str) {
        let index = index.trim().trim_end_matches('/');
        match url::Url::parse(index) {
            Ok(mut parsed) if !parsed.username().is_empty() => {
                let user = parsed.username().to_owned();
                let password = parsed.password().unwrap_or_default().to_owned();
                let _ = parsed.set_username("");
                let _ = parsed.set_password(None);
                self.pypi_credentials = Some((user, password));
                self.pypi_index = parsed.as_str().trim_end_matches('/').to_owned();
            }
            _ => self.pypi_index = index.to_owned(),
        }
    }

    /// The `Authorization` header for `url`, if the user configured a credential for its host.
    pub fn auth_headers(&self, url: &str) -> Vec<(&'static str, String)> {
        let bare = url.split_once("://").map_or(url, |(_, rest)| rest);
        let npm = self
            .npm_tokens
            .iter()
            .filter(|(prefix, _)| format!("//{bare}").starts_with(prefix.as_str()))
            .max_by_key(|(prefix, _)| prefix.len());
        if let Some((_, token)) = npm {
            return vec![("Authorization", format!("Bearer {token}"))];
        }
        if let Some((user, password)) = &self.pypi_credentials
            && host_of(url) == host_of(&self.pypi_index)
        {
            let basic = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            return vec![("Authorization", format!("Basic {basic}"))];
        }
        Vec::new()
    }
}

fn host_of(url: &str) -> Option<String> {
    url::Url::parse(url).ok()?.host_str().map(str::to_owned)
}

/// `${NAME}` references in `.npmrc` values, as npm expands them.
fn expand(value: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        match rest[start + 2..].find('}') {
            Some(end) => {
                let name = &rest[start + 2..start + 2 + end];
                out.push_str(&env(name).unwrap_or_default());
                rest = &rest[start + 3 + end..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npmrc_registry_tokens_and_environment_precedence() {
        let dir = tempfile::tempdir().expect("tempdir");
        let project = dir.path().join("repo");
        fs::create_dir_all(project.join(".vscode")).expect("mkdir");
        fs::write(
            project.join(".npmrc"),
            "# company mirror\nregistry=https://npm.corp.test/repo/\n//npm.corp.test/repo/:_authToken=${NPM_TOKEN}\n",
        )
        .expect("write");
        let env = |name: &str| match name {
            "NPM_TOKEN" => Some("s3cr3t".to_owned()),
            "UV_INDEX_URL" => Some("https://user:pw@pypi.corp.test/simple/".to_owned()),
            _ => None,
        };
        let settings = Settings::from_sources(&project.join(".vscode"), &env, None);
        assert_eq!(settings.npm_registry, "https://npm.corp.test/repo");
        assert_eq!(
            settings.auth_headers("https://npm.corp.test/repo/@a%2fb"),
            vec![("Authorization", "Bearer s3cr3t".to_owned())]
        );
        assert!(settings.auth_headers("https://registry.npmjs.org/a").is_empty());
        assert_eq!(settings.pypi_index, "https://pypi.corp.test/simple");
        assert!(
            settings.auth_headers("https://pypi.corp.test/simple/x/")[0]
                .1
                .starts_with("Basic ")
        );
        assert!(!format!("{settings:?}").contains("s3cr3t"));

        let env = |name: &str| (name == "NPM_CONFIG_REGISTRY").then(|| "https://env.test/".to_owned());
        assert_eq!(
            Settings::from_sources(&project, &env, None).npm_registry,
            "https://env.test"
        );
        let none = |_: &str| None;
        let defaults = Settings::from_sources(dir.path(), &none, None);
        assert_eq!(
            (defaults.npm_registry.as_str(), defaults.pypi_index.as_str()),
            (NPM_DEFAULT, PYPI_DEFAULT)
        );
    }
}
