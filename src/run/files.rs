//! The repository around a project config, for the launch paths it names: which folders a
//! relative path may be relative to, whether it is there, and whether the repository ignores it.
//! Read only when a rule asks (most configs name no relative path), a few `stat`s per path.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use ignore::gitignore::{Gitignore, GitignoreBuilder};

use crate::dialect::Dialect;
use crate::rules::ProjectFiles;

/// Folders installed or built on each machine: a launch path into one is made, not committed,
/// even where no `.gitignore` says so.
const MADE_ON_EACH_MACHINE: [&str; 4] = ["node_modules", ".venv", "venv", "__pypackages__"];

#[derive(Debug)]
pub struct RepositoryFiles {
    /// The config's folder, then each folder above it up to the repository's root.
    bases: Vec<PathBuf>,
    root: PathBuf,
    /// The folder the client opens: the one holding the config, or its client's dot-folder
    /// (`.cursor/`, `.vscode/`, `.kiro/settings/`).
    project: PathBuf,
    /// The `.gitignore` files from the root down to the config's folder, read on first need.
    ignored: OnceLock<Option<Gitignore>>,
}

impl RepositoryFiles {
    /// The repository around the project config at `path` of `dialect`; None for a file in no
    /// repository (a user's own config, a loose file), or a dialect whose files are the user's
    /// and never a project's.
    pub fn for_config(path: &Path, dialect: Dialect) -> Option<Self> {
        if !project_dialect(dialect) {
            return None;
        }
        Self::for_folder(folder_of(path))
    }

    /// The repositories of a run's configs, by config path: each folder is looked up once (a
    /// walk up to `.git` per folder, not per file), and its configs share what was found.
    pub fn for_configs<'p>(configs: impl Iterator<Item = (&'p Path, Dialect)>) -> HashMap<PathBuf, Arc<Self>> {
        let mut by_folder: HashMap<&Path, Option<Arc<Self>>> = HashMap::new();
        let mut by_config = HashMap::new();
        for (path, _) in configs.filter(|(_, dialect)| project_dialect(*dialect)) {
            let folder = folder_of(path);
            let found = by_folder
                .entry(folder)
                .or_insert_with(|| Self::for_folder(folder).map(Arc::new));
            if let Some(found) = found {
                by_config.insert(path.to_owned(), Arc::clone(found));
            }
        }
        by_config
    }

    fn for_folder(parent: &Path) -> Option<Self> {
        let folder = std::path::absolute(parent).ok()?;
        // A buffer named after a path whose folder is not there (a scratch name, a test's)
        // stands in no repository.
        if !folder.is_dir() {
            return None;
        }
        let mut bases = Vec::new();
        for dir in folder.ancestors() {
            bases.push(dir.to_owned());
            if dir.join(".git").exists() {
                let inside = folder.strip_prefix(dir).unwrap_or(Path::new(""));
                let before_dot_folder: PathBuf = inside
                    .components()
                    .take_while(|c| !c.as_os_str().to_string_lossy().starts_with('.'))
                    .collect();
                return Some(Self {
                    project: dir.join(before_dot_folder),
                    root: dir.to_owned(),
                    bases,
                    ignored: OnceLock::new(),
                });
            }
        }
        None
    }

    /// The repository's root: the configs of one repository are compared with each other.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn ignores(&self, path: &Path) -> bool {
        let ignored = self.ignored.get_or_init(|| {
            let mut builder = GitignoreBuilder::new(&self.root);
            // From the root down, as git reads them.
            for dir in self.bases.iter().rev() {
                let file = dir.join(".gitignore");
                if file.is_file() {
                    builder.add(file);
                }
            }
            builder.build().ok()
        });
        let Ok(relative) = path.strip_prefix(&self.root) else {
            return false;
        };
        // A path under an ignored folder is ignored, whether or not the folder exists.
        ignored
            .as_ref()
            .is_some_and(|ignored| ignored.matched_path_or_any_parents(relative, false).is_ignore())
    }
}

/// The dialects whose files a repository holds and whose clients start servers from the
/// project: the others (Claude Desktop, Windsurf, Cline, Antigravity, the gateways) are a
/// user's or a deployment's.
/// The folder of the config at `path` (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

fn project_dialect(dialect: Dialect) -> bool {
    matches!(
        dialect,
        Dialect::ClaudeCode
            | Dialect::Cursor
            | Dialect::Vscode
            | Dialect::Copilot
            | Dialect::CopilotAgent
            | Dialect::AgenticWorkflow
            // What the repository publishes: its client configs are compared with it.
            | Dialect::ServerJson
            | Dialect::Gemini
            | Dialect::Qwen
            | Dialect::Roo
            | Dialect::Kilo
            | Dialect::AmazonQ
            | Dialect::Kiro
            | Dialect::Opencode
            | Dialect::Continue
            | Dialect::Zed
            | Dialect::Codex
    )
}

impl ProjectFiles for RepositoryFiles {
    fn bases(&self) -> Vec<String> {
        self.bases
            .iter()
            .map(|dir| match dir.strip_prefix(&self.root) {
                Ok(inside) if inside.as_os_str().is_empty() => "the repository's root".to_owned(),
                Ok(inside) => format!("`{}`", inside.display()),
                Err(_) => format!("`{}`", dir.display()),
            })
            .collect()
    }

    fn accounts_for(&self, relative: &str, cwd: Option<&str>) -> bool {
        let relative = Path::new(relative);
        if relative
            .components()
            .any(|c| MADE_ON_EACH_MACHINE.iter().any(|made| c.as_os_str() == *made))
        {
            return true;
        }
        let candidates: Vec<PathBuf> = self
            .bases
            .iter()
            .map(|base| match cwd {
                Some(cwd) => base.join(cwd).join(relative),
                None => base.join(relative),
            })
            .collect();
        candidates.iter().any(|path| path.exists()) || candidates.iter().any(|path| self.ignores(path))
    }

    fn project(&self) -> &Path {
        &self.project
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repository() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join(".git")).expect("git");
        std::fs::create_dir_all(dir.path().join(".cursor")).expect("cursor");
        std::fs::create_dir_all(dir.path().join("scripts")).expect("scripts");
        std::fs::write(dir.path().join("scripts/server.js"), "").expect("script");
        std::fs::write(dir.path().join(".gitignore"), "/dist\n*.generated.js\n").expect("ignore");
        dir
    }

    #[test]
    fn paths_from_the_project_root_or_the_config_folder_are_found() {
        let dir = repository();
        let files =
            RepositoryFiles::for_config(&dir.path().join(".cursor/mcp.json"), Dialect::Cursor).expect("a repository");
        assert!(files.accounts_for("scripts/server.js", None));
        assert!(files.accounts_for("./scripts/server.js", None));
        assert!(files.accounts_for("../scripts/server.js", None), "relative to .cursor/");
        assert!(files.accounts_for("server.js", Some("scripts")));
        assert!(!files.accounts_for("scripts/missing.js", None));
        assert!(!files.accounts_for("server.js", Some("elsewhere")));
        assert_eq!(files.bases(), ["`.cursor`", "the repository's root"]);
        assert_eq!(files.project(), std::path::absolute(dir.path()).expect("absolute"));
        std::fs::create_dir_all(dir.path().join("packages/app/.kiro/settings")).expect("kiro");
        let nested =
            RepositoryFiles::for_config(&dir.path().join("packages/app/.kiro/settings/mcp.json"), Dialect::Kiro)
                .expect("a repository");
        assert_eq!(
            nested.project(),
            std::path::absolute(dir.path().join("packages/app")).expect("absolute")
        );
    }

    #[test]
    fn ignored_and_installed_paths_are_made_not_missing() {
        let dir = repository();
        let files =
            RepositoryFiles::for_config(&dir.path().join(".mcp.json"), Dialect::ClaudeCode).expect("a repository");
        assert!(files.accounts_for("dist/index.js", None), "an ignored build output");
        assert!(files.accounts_for("src/tools.generated.js", None));
        assert!(files.accounts_for("node_modules/.bin/server", None));
        assert!(!files.accounts_for("build/index.js", None));
    }

    #[test]
    fn configs_of_one_folder_share_one_lookup() {
        let dir = repository();
        let (cursor, claude, desktop) = (
            dir.path().join(".cursor/mcp.json"),
            dir.path().join(".cursor/other.json"),
            dir.path().join("claude_desktop_config.json"),
        );
        let found = RepositoryFiles::for_configs(
            [
                (cursor.as_path(), Dialect::Cursor),
                (claude.as_path(), Dialect::ClaudeCode),
                (desktop.as_path(), Dialect::ClaudeDesktop),
            ]
            .into_iter(),
        );
        assert!(Arc::ptr_eq(&found[&cursor], &found[&claude]), "one folder, one lookup");
        assert!(!found.contains_key(&desktop), "a user's dialect is not looked up");
    }

    #[test]
    fn a_file_in_no_repository_or_of_a_user_dialect_is_not_checked() {
        let loose = tempfile::tempdir().expect("tempdir");
        assert!(RepositoryFiles::for_config(&loose.path().join(".mcp.json"), Dialect::ClaudeCode).is_none());
        let dir = repository();
        assert!(
            RepositoryFiles::for_config(&dir.path().join("claude_desktop_config.json"), Dialect::ClaudeDesktop)
                .is_none()
        );
    }
}
