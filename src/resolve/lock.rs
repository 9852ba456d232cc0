//! The lockfile beside a config (`mcp-lint.lock`): what was pinned and the digests that were
//! verified by downloading each artifact. Sorted and stable, so that it diffs well in review.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::Artifact;
use crate::model::Ecosystem;

pub const LOCK_FILE: &str = "mcp-lint.lock";
const VERSION: u32 = 1;
const HEADER: &str = "# mcp-lint.lock: the exact versions mcp-lint pinned in the configs beside it, and the digests it\n\
# verified by downloading every artifact. Written by `mcp-lint --fix --unsafe-fixes`; checked by\n\
# `mcp-lint check --locked` and re-verified by `mcp-lint verify`. Commit it with the configs.\n\n";

#[derive(Debug, Error)]
pub enum LockError {
    #[error("{path}: cannot read the lockfile: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{path}: the lockfile is not valid: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{path}: lockfile version {found} is newer than this mcp-lint understands ({VERSION})")]
    Version { path: PathBuf, found: u32 },
    #[error("{path}: cannot write the lockfile: {message}")]
    Write { path: PathBuf, message: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lock {
    pub version: u32,
    #[serde(default, rename = "package", skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<LockedPackage>,
    #[serde(default, rename = "image", skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<LockedImage>,
}

impl Default for Lock {
    fn default() -> Self {
        Self {
            version: VERSION,
            packages: Vec::new(),
            images: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedPackage {
    /// `npm` or `pypi`.
    pub ecosystem: String,
    pub name: String,
    pub version: String,
    /// When it was resolved and verified (RFC 3339).
    pub resolved: String,
    pub artifacts: Vec<LockedArtifact>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LockedArtifact {
    pub url: String,
    pub digest: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedImage {
    /// `registry/repository`, as resolved (Docker Hub short names expanded).
    pub name: String,
    pub tag: String,
    /// `sha256:<hex>` of the manifest (the index, for a multi-arch image).
    pub digest: String,
    pub resolved: String,
}

pub fn ecosystem_name(ecosystem: Ecosystem) -> &'static str {
    match ecosystem {
        Ecosystem::Npm => "npm",
        Ecosystem::PyPi => "pypi",
        Ecosystem::Oci => "oci",
        Ecosystem::Jsr => "jsr",
    }
}

impl LockedArtifact {
    pub fn artifact(&self) -> Artifact {
        Artifact {
            url: self.url.clone(),
            digest: self.digest.clone(),
        }
    }
}

impl Lock {
    pub fn path_for(dir: &Path) -> PathBuf {
        dir.join(LOCK_FILE)
    }

    /// The lock in `dir`, or None when there is none.
    pub fn load(dir: &Path) -> Result<Option<Lock>, LockError> {
        let path = Self::path_for(dir);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(LockError::Read {
                    path,
                    message: e.to_string(),
                });
            }
        };
        Self::parse(&path, &text).map(Some)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Lock, LockError> {
        let lock: Lock = toml::from_str(text).map_err(|e| LockError::Invalid {
            path: path.to_owned(),
            message: e.message().to_owned(),
        })?;
        if lock.version > VERSION {
            return Err(LockError::Version {
                path: path.to_owned(),
                found: lock.version,
            });
        }
        Ok(lock)
    }

    pub fn package(&self, ecosystem: Ecosystem, name: &str, version: &str) -> Option<&LockedPackage> {
        let ecosystem = ecosystem_name(ecosystem);
        self.packages
            .iter()
            .find(|p| p.ecosystem == ecosystem && p.name == name && p.version == version)
    }

    /// Adds or replaces a package entry; an unchanged entry keeps its `resolved` time.
    pub fn upsert_package(&mut self, mut entry: LockedPackage) {
        entry.artifacts.sort();
        entry.artifacts.dedup();
        match self
            .packages
            .iter_mut()
            .find(|p| p.ecosystem == entry.ecosystem && p.name == entry.name && p.version == entry.version)
        {
            Some(existing) if existing.artifacts == entry.artifacts => {}
            Some(existing) => *existing = entry,
            None => self.packages.push(entry),
        }
        self.sort();
    }

    pub fn upsert_image(&mut self, entry: LockedImage) {
        match self
            .images
            .iter_mut()
            .find(|i| i.name == entry.name && i.tag == entry.tag)
        {
            Some(existing) if existing.digest == entry.digest => {}
            Some(existing) => *existing = entry,
            None => self.images.push(entry),
        }
        self.sort();
    }

    fn sort(&mut self) {
        self.packages.sort_by(|a, b| {
            (a.ecosystem.as_str(), a.name.as_str(), a.version.as_str()).cmp(&(
                b.ecosystem.as_str(),
                b.name.as_str(),
                b.version.as_str(),
            ))
        });
        self.images
            .sort_by(|a, b| (a.name.as_str(), a.tag.as_str()).cmp(&(b.name.as_str(), b.tag.as_str())));
    }

    pub fn render(&self) -> String {
        let mut lock = self.clone();
        lock.version = VERSION;
        lock.sort();
        let body = toml::to_string_pretty(&lock).unwrap_or_default();
        format!("{HEADER}{body}")
    }

    /// Writes the lock into `dir` atomically, only when its text changed.
    pub fn save(&self, dir: &Path) -> Result<bool, LockError> {
        let path = Self::path_for(dir);
        let text = self.render();
        if fs::read_to_string(&path).is_ok_and(|old| old == text) {
            return Ok(false);
        }
        let write_error = |e: std::io::Error| LockError::Write {
            path: path.clone(),
            message: e.to_string(),
        };
        let mut file = tempfile::NamedTempFile::new_in(dir).map_err(write_error)?;
        file.write_all(text.as_bytes()).map_err(write_error)?;
        file.as_file().sync_all().map_err(write_error)?;
        file.persist(&path).map_err(|e| write_error(e.error))?;
        Ok(true)
    }
}

impl crate::rules::LockFacts for Lock {
    fn has_package(&self, ecosystem: Ecosystem, name: &str, version: &str) -> bool {
        self.package(ecosystem, name, version).is_some()
    }

    fn versions(&self, ecosystem: Ecosystem, name: &str) -> Vec<&str> {
        let ecosystem = ecosystem_name(ecosystem);
        self.packages
            .iter()
            .filter(|p| p.ecosystem == ecosystem && p.name == name)
            .map(|p| p.version.as_str())
            .collect()
    }

    fn image_name(&self, image: &str) -> String {
        super::oci::locked_name(image)
    }

    fn has_image(&self, name: &str, digest: &str) -> bool {
        self.images.iter().any(|i| i.name == name && i.digest == digest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(name: &str, version: &str, digest: &str) -> LockedPackage {
        LockedPackage {
            ecosystem: "npm".into(),
            name: name.into(),
            version: version.into(),
            resolved: "2026-12-01T00:00:00Z".into(),
            artifacts: vec![LockedArtifact {
                url: format!("https://r.test/{name}-{version}.tgz"),
                digest: digest.into(),
            }],
        }
    }

    #[test]
    fn sorted_stable_and_round_trips() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut lock = Lock::default();
        lock.upsert_package(package("zod-mcp", "1.0.0", "sha512-b"));
        lock.upsert_package(package("@a/mcp", "2.0.0", "sha512-a"));
        lock.upsert_image(LockedImage {
            name: "ghcr.io/github/github-mcp-server".into(),
            tag: "v0.9.0".into(),
            digest: "sha256:00".into(),
            resolved: "2026-12-01T00:00:00Z".into(),
        });
        assert!(lock.save(dir.path()).expect("saved"));
        assert!(
            !lock.save(dir.path()).expect("saved"),
            "an unchanged lock is not rewritten"
        );
        let loaded = Lock::load(dir.path()).expect("loads").expect("present");
        assert_eq!(loaded, lock);
        assert_eq!(loaded.packages[0].name, "@a/mcp");
        let text = fs::read_to_string(dir.path().join(LOCK_FILE)).expect("read");
        assert!(text.starts_with("# mcp-lint.lock"));

        // Re-resolving the same digests keeps the old time, so the file does not churn.
        let mut again = package("zod-mcp", "1.0.0", "sha512-b");
        again.resolved = "2027-01-01T00:00:00Z".into();
        lock.upsert_package(again);
        assert_eq!(lock.render(), text);
    }

    #[test]
    fn bad_locks_are_clear_errors() {
        let path = Path::new("mcp-lint.lock");
        assert!(matches!(
            Lock::parse(path, "version = "),
            Err(LockError::Invalid { .. })
        ));
        assert!(matches!(
            Lock::parse(path, "version = 9"),
            Err(LockError::Version { found: 9, .. })
        ));
        assert_eq!(Lock::load(Path::new("/nonexistent-dir")).ok(), Some(None));
    }
}
