//! Registry facts as plain data: what a registry says of a package and its releases, and the
//! release-age policy. The resolver produces them; rules and fixes read them without any
//! network code.

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::Timestamp;

use super::Ecosystem;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    Sha256,
    Sha512,
}

/// One downloadable file of a release and the digest its registry publishes for it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Artifact {
    pub url: String,
    /// `sha512-<base64>` (npm integrity) or `sha256:<hex>` (PyPI, OCI).
    pub digest: String,
}

impl Artifact {
    pub fn algorithm(&self) -> Option<DigestAlgorithm> {
        if self.digest.starts_with("sha512-") {
            Some(DigestAlgorithm::Sha512)
        } else if self.digest.starts_with("sha256:") {
            Some(DigestAlgorithm::Sha256)
        } else {
            None
        }
    }
}

/// One published version of a package, as its registry describes it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Release {
    pub version: String,
    pub published: Option<Timestamp>,
    /// Why the registry withdrew it: npm `deprecated`, PyPI yanked (with its reason, if any).
    pub withdrawn: Option<String>,
    pub prerelease: bool,
    pub artifacts: Vec<Artifact>,
    /// npm: dependencies whose range admits more than one version (`name@range`).
    pub floating_dependencies: Vec<String>,
    /// npm: the package runs install scripts.
    pub install_script: bool,
    /// npm: the tarball ships `npm-shrinkwrap.json` (None: the registry does not say).
    pub shrinkwrap: Option<bool>,
}

/// What a registry knows of a package: its releases, newest first, and its tags.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageInfo {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub releases: Vec<Release>,
    pub tags: BTreeMap<String, String>,
}

impl PackageInfo {
    pub fn release(&self, version: &str) -> Option<&Release> {
        self.releases.iter().find(|r| r.version == version)
    }
}

/// The default minimum release age: a week, long enough for the ecosystem's scanners and users
/// to find a malicious release first.
pub const DEFAULT_MIN_RELEASE_AGE: Duration = Duration::from_secs(7 * 24 * 3600);

/// Which release a pin may take.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub min_release_age: Duration,
    pub now: Timestamp,
}

impl Policy {
    pub fn new(min_release_age: Duration) -> Self {
        Self {
            min_release_age,
            now: Timestamp::now(),
        }
    }

    /// How long ago `release` was published, if the registry says.
    pub fn age(&self, release: &Release) -> Option<Duration> {
        let published = release.published?;
        let seconds = self.now.as_second().saturating_sub(published.as_second());
        Some(Duration::from_secs(u64::try_from(seconds).unwrap_or(0)))
    }

    /// Whether `release` is old enough (None: its publish time is unknown).
    pub fn old_enough(&self, release: &Release) -> Option<bool> {
        if self.min_release_age.is_zero() {
            return Some(true);
        }
        self.age(release).map(|age| age >= self.min_release_age)
    }
}

/// A release chosen for pinning, and why newer ones were passed over.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub release: Release,
    pub skipped: Vec<String>,
}

pub fn human_duration(duration: Duration) -> String {
    let hours = duration.as_secs() / 3600;
    if hours >= 48 {
        format!("{} days", hours / 24)
    } else if hours >= 1 {
        format!("{hours} hours")
    } else {
        format!("{} minutes", duration.as_secs() / 60)
    }
}
