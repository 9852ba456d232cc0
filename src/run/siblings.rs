//! Facts stage for `conflicting-server`: the comparable servers of a run's project configs by
//! repository, and of the files a client merges by scope (the user's own and a project's).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::dialect::Dialect;
use crate::rules::{ProjectFiles, Scope, SiblingLaunch, SiblingServer};

use super::check::absolute;
use super::files::RepositoryFiles;
use super::parse::Parsed;

/// The comparable servers of the project configs of each repository in the run: what
/// `conflicting-server` compares a server with.
pub(super) fn siblings(
    parsed: &[Parsed],
    files: &HashMap<PathBuf, Arc<RepositoryFiles>>,
) -> Vec<(PathBuf, Vec<SiblingServer>)> {
    let mut by_root: Vec<(PathBuf, Vec<SiblingServer>)> = Vec::new();
    for p in parsed {
        let Some(repository) = files.get(&p.source.path) else {
            continue;
        };
        let servers = p.config.servers.iter().filter_map(|server| {
            // A server.json's package is what the repository publishes, not a launch.
            let launch = if p.dialect == Dialect::ServerJson {
                SiblingLaunch::published(p.config.value_at(&server.route)?)?
            } else {
                SiblingLaunch::of(server)?
            };
            let start = p.root.at(&server.route).map_or(0, |node| node.span.start);
            Some(SiblingServer {
                file: p.source.path.clone(),
                line: p.source.lines.line_col(&p.source.text, start).line,
                dialect: p.dialect,
                project: repository.project().to_owned(),
                name: server.name.clone(),
                launch,
                scope: Scope::Project,
            })
        });
        match by_root.iter_mut().find(|(root, _)| root == repository.root()) {
            Some((_, known)) => known.extend(servers),
            None => by_root.push((repository.root().to_owned(), servers.collect())),
        }
    }
    // One file alone compares with nothing.
    by_root.retain(|(_, servers)| servers.iter().any(|s| s.file != servers[0].file));
    // By name: a server finds its namesakes by binary search (linear in the servers, not square).
    for (_, servers) in &mut by_root {
        servers.sort_by(|a, b| a.name.cmp(&b.name));
    }
    by_root
}

/// The servers of the run's files that a client merges by scope and server name: Claude
/// Code's `~/.claude.json` (user scope, and each project's local scope) and `.mcp.json`
/// files, Gemini CLI's `~/.gemini/settings.json` and projects' `.gemini/settings.json`; only
/// when one client has both a user's file and a project's file in the run (`check --user .`).
pub(super) fn scoped(parsed: &[Parsed], home: Option<&Path>) -> Vec<SiblingServer> {
    // The user's own files first, known by name before any file system call: most runs hold
    // none, and then no project file is looked at (no stat, no canonicalize on the hot path).
    let user_files: Vec<&Parsed> = parsed
        .iter()
        .filter(|p| FileScope::may_be_users(&p.source.path, p.dialect))
        .filter(|p| matches!(FileScope::of(&p.source.path, p.dialect, home), Some(FileScope::User)))
        .collect();
    if user_files.is_empty() {
        return Vec::new();
    }
    let merged: HashSet<Dialect> = user_files.iter().map(|p| p.dialect).collect();
    let files: Vec<(&Parsed, FileScope)> = parsed
        .iter()
        .filter(|p| merged.contains(&p.dialect))
        .filter_map(|p| Some((p, FileScope::of(&p.source.path, p.dialect, home)?)))
        .collect();
    let with_project: HashSet<Dialect> = files
        .iter()
        .filter(|(_, scope)| matches!(scope, FileScope::Project(_)))
        .map(|(p, _)| p.dialect)
        .collect();
    let mut servers = Vec::new();
    for (p, file_scope) in &files {
        if !with_project.contains(&p.dialect) {
            continue;
        }
        for server in &p.config.servers {
            let Some(launch) = SiblingLaunch::of(server) else {
                continue;
            };
            let (scope, project) = match file_scope {
                FileScope::Project(folder) => (Scope::Project, folder.clone()),
                FileScope::User => match crate::rules::local_scope_project(server) {
                    Some(project) => (Scope::Local, PathBuf::from(project)),
                    None => (Scope::User, PathBuf::new()),
                },
            };
            let start = p.root.at(&server.route).map_or(0, |node| node.span.start);
            servers.push(SiblingServer {
                file: p.source.path.clone(),
                line: p.source.lines.line_col(&p.source.text, start).line,
                dialect: p.dialect,
                project,
                name: server.name.clone(),
                launch,
                scope,
            });
        }
    }
    servers.sort_by(|a, b| a.name.cmp(&b.name));
    servers
}

/// Which scope a file of a scope-merging client is read at.
enum FileScope {
    /// The user's own file.
    User,
    /// A project's file, and the folder the client runs in to read it.
    Project(PathBuf),
}

impl FileScope {
    /// Whether the file's name is one a user's own file of a scope-merging client has.
    fn may_be_users(path: &Path, dialect: Dialect) -> bool {
        let name = path.file_name().and_then(|name| name.to_str());
        match dialect {
            Dialect::ClaudeCode => name == Some(".claude.json"),
            Dialect::Gemini => name == Some("settings.json"),
            _ => false,
        }
    }

    fn of(path: &Path, dialect: Dialect, home: Option<&Path>) -> Option<Self> {
        let name = path.file_name()?.to_str()?;
        let folder = path.parent().unwrap_or(Path::new(""));
        // The user's own file is the one in their home, not a copy found in a repository.
        let at_home = |folder: &Path| home.is_some_and(|home| same_folder(folder, home));
        match dialect {
            Dialect::ClaudeCode if name == ".claude.json" => at_home(folder).then_some(Self::User),
            // A plugin's `.mcp.json` is namespaced by the plugin and replaces nothing.
            Dialect::ClaudeCode if name == ".mcp.json" && !folder.join(".claude-plugin").is_dir() => {
                Some(Self::Project(absolute(folder)))
            }
            Dialect::Gemini if name == "settings.json" && folder.file_name()? == ".gemini" => {
                let project = folder.parent().unwrap_or(Path::new(""));
                if at_home(project) {
                    Some(Self::User)
                } else {
                    Some(Self::Project(absolute(project)))
                }
            }
            _ => None,
        }
    }
}

/// Whether two paths name one folder (as written, or once made canonical).
fn same_folder(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}
