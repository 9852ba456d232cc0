//! Lock stage: after writing, the pins this run verified are recorded in the `mcp-lint.lock`
//! beside each config; under `--locked`, the locks are loaded for the rules to compare.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::model::{Ecosystem, McpConfig, VersionSpec};
use crate::resolve::lock::{Lock, LockError, LockedArtifact, LockedImage, LockedPackage, ecosystem_name};
use crate::resolve::view::RegistryView;
use crate::resolve::{Release, oci};

use super::lint::FileFailure;

/// The lockfile beside each config directory of the run, loaded once (`--locked`).
#[derive(Debug, Default)]
pub struct Locks {
    /// Directory -> its lock, None when the directory has none.
    by_dir: Vec<(PathBuf, Option<Lock>)>,
}

impl Locks {
    /// Loads the lock beside each of `paths`; a lock that cannot be read is a failure.
    pub fn load<'p>(paths: impl Iterator<Item = &'p Path>) -> (Self, Vec<FileFailure>) {
        let mut locks = Locks::default();
        let mut failures = Vec::new();
        for path in paths {
            let dir = path.parent().map(PathBuf::from).unwrap_or_default();
            if locks.by_dir.iter().any(|(d, _)| *d == dir) {
                continue;
            }
            match Lock::load(&dir) {
                Ok(lock) => locks.by_dir.push((dir, lock)),
                Err(error) => failures.push(FileFailure::new(&Lock::path_for(&dir), error.to_string())),
            }
        }
        (locks, failures)
    }

    /// The lock beside the config at `path`, if any.
    pub fn beside(&self, path: &Path) -> Option<&Lock> {
        let dir = path.parent().unwrap_or(Path::new(""));
        self.by_dir
            .iter()
            .find(|(d, _)| d == dir)
            .and_then(|(_, lock)| lock.as_ref())
    }
}

/// Records in the lock beside each written config every pinned package whose artifacts this
/// run verified, and every image pinned by digest. A version the lock holds for a package that
/// the run's configs in that directory now pin to another version is dropped (a re-pin does not
/// leave the old one behind); packages no config of the run names stay. Returns what was written.
pub fn update_locks(
    written: &[(&Path, &McpConfig)],
    run: &[(&Path, &McpConfig)],
    view: &RegistryView,
) -> Result<Vec<String>, LockError> {
    let mut by_dir: Vec<(PathBuf, Vec<&McpConfig>)> = Vec::new();
    for (path, config) in written {
        let dir = path.parent().map(Path::to_owned).unwrap_or_default();
        match by_dir.iter_mut().find(|(d, _)| *d == dir) {
            Some((_, configs)) => configs.push(config),
            None => by_dir.push((dir, vec![config])),
        }
    }
    let now = crate::resolve::lock::timestamp_now();
    let mut messages = Vec::new();
    for (dir, configs) in by_dir {
        let mut lock = Lock::load(&dir)?.unwrap_or_default();
        let mut entries = 0;
        for server in configs.iter().flat_map(|c| c.servers.iter()) {
            let Some(package) = server.launch.as_ref().and_then(|l| l.package.as_ref()) else {
                continue;
            };
            match (&package.spec, package.ecosystem) {
                (VersionSpec::Exact(version), Ecosystem::Npm | Ecosystem::PyPi) => {
                    if let Some(release) = view.verified(package.ecosystem, &package.name, version) {
                        lock.upsert_package(locked_package(package.ecosystem, &package.name, release, &now));
                        entries += 1;
                    }
                }
                (VersionSpec::Digest { tag, digest }, Ecosystem::Oci) => {
                    // A digest names its content: the runtime checks it on every pull.
                    let name = oci::locked_name(&package.text);
                    lock.upsert_image(LockedImage {
                        name,
                        tag: tag.clone().unwrap_or_else(|| "latest".into()),
                        digest: digest.clone(),
                        resolved: now.clone(),
                    });
                    entries += 1;
                }
                _ => {}
            }
        }
        if entries > 0 {
            prune(
                &mut lock,
                run.iter()
                    .filter(|(p, _)| p.parent() == Some(dir.as_path()))
                    .map(|(_, c)| *c),
            );
        }
        if entries > 0 && lock.save(&dir)? {
            messages.push(format!(
                "Wrote {} ({} packages, {} images).",
                Lock::path_for(&dir).display(),
                lock.packages.len(),
                lock.images.len()
            ));
        }
    }
    Ok(messages)
}

/// Drops lock entries of packages (and images) that `configs` name, at versions (digests) none of
/// them pins any more.
fn prune<'a>(lock: &mut Lock, configs: impl Iterator<Item = &'a McpConfig>) {
    let mut named = BTreeSet::new();
    let mut pinned = BTreeSet::new();
    for package in configs
        .flat_map(|c| c.servers.iter())
        .filter_map(|s| s.launch.as_ref()?.package.as_ref())
    {
        match (&package.spec, package.ecosystem) {
            (VersionSpec::Digest { digest, .. }, Ecosystem::Oci) => {
                let name = oci::locked_name(&package.text);
                named.insert(("oci".to_owned(), name.clone()));
                pinned.insert(("oci".to_owned(), name, digest.clone()));
            }
            (spec, ecosystem) => {
                let ecosystem = ecosystem_name(ecosystem).to_owned();
                named.insert((ecosystem.clone(), package.name.clone()));
                if let VersionSpec::Exact(version) = spec {
                    pinned.insert((ecosystem, package.name.clone(), version.clone()));
                }
            }
        }
    }
    lock.packages.retain(|p| {
        !named.contains(&(p.ecosystem.clone(), p.name.clone()))
            || pinned.contains(&(p.ecosystem.clone(), p.name.clone(), p.version.clone()))
    });
    lock.images.retain(|i| {
        !named.contains(&("oci".to_owned(), i.name.clone()))
            || pinned.contains(&("oci".to_owned(), i.name.clone(), i.digest.clone()))
    });
}

fn locked_package(ecosystem: Ecosystem, name: &str, release: &Release, now: &str) -> LockedPackage {
    LockedPackage {
        ecosystem: ecosystem_name(ecosystem).to_owned(),
        name: name.to_owned(),
        version: release.version.clone(),
        resolved: now.to_owned(),
        artifacts: release
            .artifacts
            .iter()
            .map(|a| LockedArtifact {
                url: a.url.clone(),
                digest: a.digest.clone(),
            })
            .collect(),
    }
}

/// The lockfiles `verify` should check for `paths`: named lockfiles, and the lock beside every
/// config found.
pub fn locks_for(paths: &[PathBuf], config_paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs: BTreeSet<PathBuf> = BTreeSet::new();
    for path in paths {
        if path.file_name().is_some_and(|n| n == crate::resolve::lock::LOCK_FILE) {
            dirs.insert(path.parent().map(Path::to_owned).unwrap_or_default());
        } else if path.is_dir() && Lock::path_for(path).is_file() {
            dirs.insert(path.clone());
        }
    }
    for config in config_paths {
        let dir = config.parent().map(Path::to_owned).unwrap_or_default();
        if Lock::path_for(&dir).is_file() {
            dirs.insert(dir);
        }
    }
    dirs.into_iter().collect()
}
