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

/// How an image must be pinned, set per image in `mcp-lint.toml` (`[unpinned-image] policies`),
/// as zizmor's `unpinned-uses` policies are per action.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ImagePin {
    /// A digest is asked for: an exact version tag is a warning, no tag or a moving tag an error.
    #[default]
    Digest,
    /// Only a digest passes: an exact version tag is an error too.
    StrictDigest,
    /// An exact version tag passes; no tag or a moving tag is an error.
    Version,
    /// The image is not checked.
    Any,
}

impl ImagePin {
    /// The names `mcp-lint.toml` uses, with each policy.
    pub const NAMES: [(&'static str, ImagePin); 4] = [
        ("digest", ImagePin::Digest),
        ("strict-digest", ImagePin::StrictDigest),
        ("version", ImagePin::Version),
        ("any", ImagePin::Any),
    ];

    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, pin)| *pin == self)
            .map_or("digest", |(name, _)| name)
    }
}

/// The image policies of a project: an image's own name first, then the longest pattern that
/// matches it (`ghcr.io/acme/*`), then `*`; [`ImagePin::Digest`] where none matches.
#[derive(Debug, Clone, Default)]
pub struct ImagePolicies {
    /// (pattern, matcher, policy), longest pattern first.
    entries: Vec<(String, globset::GlobMatcher, ImagePin)>,
}

impl ImagePolicies {
    /// Policies from (pattern, policy) pairs; a pattern is a glob over image names without tag or
    /// digest (`*` does not cross `/`, `**` does). Err names the pattern that is no glob.
    pub fn new(pairs: impl IntoIterator<Item = (String, ImagePin)>) -> Result<Self, String> {
        let mut entries = Vec::new();
        for (pattern, pin) in pairs {
            let glob = globset::GlobBuilder::new(&pattern)
                .literal_separator(pattern != "*")
                .build()
                .map_err(|error| format!("`{pattern}` is not a glob: {}", error.kind()))?;
            entries.push((pattern, glob.compile_matcher(), pin));
        }
        entries.sort_by_key(|(pattern, _, _)| std::cmp::Reverse(pattern.len()));
        Ok(Self { entries })
    }

    /// The policy for the image `name` (as written, without tag or digest).
    pub fn for_image(&self, name: &str) -> ImagePin {
        self.entries
            .iter()
            .find(|(pattern, _, _)| pattern == name)
            .or_else(|| self.entries.iter().find(|(_, matcher, _)| matcher.is_match(name)))
            .map_or(ImagePin::Digest, |(_, _, pin)| *pin)
    }
}

/// Whether an image tag names one release exactly (`0.4.0`, `v1.0.4`, `2025.1.23`,
/// `1.2.3-alpine`): at least major.minor.patch. `latest`, `main`, `3.12-slim` and `20` move to
/// each new release of their line.
pub fn is_exact_version_tag(tag: &str) -> bool {
    let version = tag.strip_prefix('v').unwrap_or(tag);
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod image_tag_tests {
    use super::is_exact_version_tag;

    #[test]
    fn exact_version_tags_name_one_release() {
        for tag in ["0.4.0", "v1.0.4", "2025.1.23", "1.2.3-alpine", "1.2.3.4"] {
            assert!(is_exact_version_tag(tag), "{tag}");
        }
        for tag in ["latest", "main", "3.12-slim", "20", "1.18", "v1", "stable", "1.2.x", ""] {
            assert!(!is_exact_version_tag(tag), "{tag}");
        }
    }
}
