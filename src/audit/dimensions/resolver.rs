//! The LiteLLM release a deployment runs, read from its files, and how that release's MCP
//! permission resolver answers an unexpected error: the reference audit's fail-open finding,
//! judged per version from each release's own source on PyPI instead of assumed.

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;

use crate::audit::Evidence;
use crate::audit::deployment::Deployment;

/// A LiteLLM release number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u32, pub u32, pub u32);

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

impl Version {
    /// The release named in an image tag or package pin: `v1.106.2@sha256:…`,
    /// `main-v1.80.0-stable`, `1.81.3`. None for `latest`, `main-stable` or a digest alone.
    pub fn in_tag(tag: &str) -> Option<Self> {
        static VERSION: OnceLock<Regex> = OnceLock::new();
        let pattern = VERSION.get_or_init(|| {
            Regex::new(r"(?:^|[^0-9.])v?(\d{1,4})\.(\d{1,4})\.(\d{1,4})").expect("the pattern compiles")
        });
        let tag = tag.split('@').next().unwrap_or(tag);
        if tag.starts_with("sha256:") {
            return None;
        }
        let found = pattern.captures(tag)?;
        let part = |i: usize| found.get(i)?.as_str().parse().ok();
        Some(Version(part(1)?, part(2)?, part(3)?))
    }
}

/// What `MCPServerManager.get_allowed_mcp_servers` returns when working out a caller's servers
/// raises an unexpected exception.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// Every registered server ("Returning default registry servers"): fails open, unbounded.
    EveryServer,
    /// No server: fails closed.
    NoServer,
    /// The servers marked `allow_all_keys` (`allow_all_server_ids`): fails open, bounded to what
    /// an operator made public.
    AllowAllKeys,
    /// The `allow_all_keys` servers and the servers users submitted at runtime.
    AllowAllKeysAndSubmitted,
}

/// The resolver's answer on error by release, from the `except Exception` branch of
/// `MCPServerManager.get_allowed_mcp_servers` in each wheel on PyPI
/// (`litellm/proxy/_experimental/mcp_server/mcp_server_manager.py`, moved to
/// `litellm/proxy/mcp_server/` in 1.109.0). Read on 2026-12-07 in 1.72.0 and 1.74.0 (no
/// resolver that catches errors), 1.75.0 to 1.85.0, 1.79.3, 1.80.9 to 1.80.17, 1.90.0 to 1.93.0,
/// 1.95.0, 1.100.0, 1.103.0, 1.105.0, 1.106.2, 1.108.0, 1.109.0 and 1.110.2; a release between
/// two read ones with the same answer is taken to give it. From (inclusive) to (exclusive).
pub const RESOLVER_ON_ERROR: &[(Version, Version, OnError)] = &[
    (Version(1, 75, 0), Version(1, 80, 0), OnError::EveryServer),
    (Version(1, 80, 0), Version(1, 80, 12), OnError::NoServer),
    (Version(1, 80, 12), Version(1, 92, 0), OnError::AllowAllKeys),
    (Version(1, 92, 0), Version(1, 110, 3), OnError::AllowAllKeysAndSubmitted),
];

/// The newest release the table was read from: a later one is not assessed.
pub const NEWEST_READ: Version = Version(1, 110, 2);

/// How `version`'s resolver answers an error, if the table knows the release.
pub fn on_error(version: Version) -> Option<OnError> {
    RESOLVER_ON_ERROR
        .iter()
        .find(|(from, to, _)| *from <= version && version < *to)
        .map(|(_, _, answer)| *answer)
}

/// The LiteLLM release the deployment runs, where its files name one: the chart's `image.tag`,
/// or the image of a rendered workload's LiteLLM container. With where it is written and the
/// text as written.
pub fn deployed_version(deployment: &Deployment) -> Option<(Version, Evidence, String)> {
    let from_chart = deployment.charts().find_map(|chart| {
        let (tag, evidence) = chart.chart_value(&["image", "tag"])?;
        let tag = tag.as_str()?;
        Some((Version::in_tag(tag)?, evidence, tag.to_owned()))
    });
    from_chart.or_else(|| {
        deployment.workloads().find_map(|workload| {
            workload.containers().into_iter().find_map(|container| {
                let image = container.get("image")?.as_str()?;
                let (name, tag) = image.split('@').next()?.rsplit_once(':')?;
                if !name.contains("litellm") {
                    return None;
                }
                Some((Version::in_tag(tag)?, workload.evidence(container), image.to_owned()))
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_release_is_read_from_its_tag() {
        assert_eq!(Version::in_tag("v1.106.2@sha256:4f2a"), Some(Version(1, 106, 2)));
        assert_eq!(Version::in_tag("main-v1.80.0-stable"), Some(Version(1, 80, 0)));
        assert_eq!(Version::in_tag("1.81.3"), Some(Version(1, 81, 3)));
        assert_eq!(Version::in_tag("main-stable"), None);
        assert_eq!(Version::in_tag("latest"), None);
        assert_eq!(Version::in_tag("sha256:1.2.3"), None, "a digest names no release");
    }

    /// The boundaries read from the releases' sources.
    #[test]
    fn each_release_answers_as_its_source_does() {
        assert_eq!(on_error(Version(1, 74, 15)), None, "before the table: not assessed");
        assert_eq!(on_error(Version(1, 75, 0)), Some(OnError::EveryServer));
        assert_eq!(on_error(Version(1, 79, 3)), Some(OnError::EveryServer));
        assert_eq!(on_error(Version(1, 80, 0)), Some(OnError::NoServer));
        assert_eq!(on_error(Version(1, 80, 11)), Some(OnError::NoServer));
        assert_eq!(on_error(Version(1, 80, 12)), Some(OnError::AllowAllKeys));
        assert_eq!(on_error(Version(1, 81, 0)), Some(OnError::AllowAllKeys));
        assert_eq!(on_error(Version(1, 91, 5)), Some(OnError::AllowAllKeys));
        assert_eq!(on_error(Version(1, 92, 0)), Some(OnError::AllowAllKeysAndSubmitted));
        assert_eq!(on_error(Version(1, 106, 2)), Some(OnError::AllowAllKeysAndSubmitted));
        assert_eq!(on_error(NEWEST_READ), Some(OnError::AllowAllKeysAndSubmitted));
        assert_eq!(on_error(Version(1, 111, 0)), None, "newer than the table: not assessed");
    }
}
