//! The resolver: the only code that touches the network. It asks npm, PyPI and OCI registries
//! which versions exist, picks one by policy, verifies its artifacts' digests, and records them
//! in the lockfile.

pub mod cache;
pub mod http;
pub mod lock;
pub mod npm;
pub mod oci;
pub mod pypi;
pub mod settings;
pub mod view;

use std::sync::Mutex;

use thiserror::Error;

pub use crate::model::facts::{
    Artifact, DEFAULT_MIN_RELEASE_AGE, DigestAlgorithm, PackageInfo, Pick, Policy, Release, human_duration,
};
use http::Http;
use settings::Settings;

#[derive(Debug, Error, Clone, PartialEq)]
pub enum ResolveError {
    #[error("--offline: {url} is not in the cache, and no request may be made")]
    Offline { url: String },
    #[error("{url}: {message}")]
    Transport { url: String, message: String },
    #[error("{url}: the registry answered HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: access denied (HTTP {status}); check the registry's credentials")]
    Denied { url: String, status: u16 },
    #[error("{url}: not found")]
    NotFound { url: String },
    #[error("{url}: gave up after {attempts} attempts: {last}")]
    GaveUp {
        url: String,
        attempts: u32,
        last: Box<ResolveError>,
    },
    #[error("{url}: the response is larger than the limit of {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: the registry's answer is malformed: {message}")]
    Malformed { url: String, message: String },
    #[error("{package}: no version can be pinned: {reason}")]
    NoVersion { package: String, reason: String },
    #[error(
        "{package}: digest mismatch for {url}: the registry says {expected}, the downloaded bytes hash to {actual}; refusing to pin"
    )]
    DigestMismatch {
        package: String,
        url: String,
        expected: String,
        actual: String,
    },
}

impl ResolveError {
    /// A digest mismatch is a refusal, not a hiccup: it may mean a tampered artifact.
    pub fn is_tampering(&self) -> bool {
        matches!(self, ResolveError::DigestMismatch { .. })
    }
}

/// The newest release among `candidates` (newest first) that `matches` and the policy admits.
pub fn pick(
    package: &str,
    candidates: &[Release],
    matches: impl Fn(&Release) -> bool,
    policy: &Policy,
    allow_prerelease: bool,
) -> Result<Pick, ResolveError> {
    let mut skipped = Vec::new();
    for release in candidates.iter().filter(|r| matches(r)) {
        if release.prerelease && !allow_prerelease {
            continue;
        }
        if let Some(reason) = &release.withdrawn {
            skipped.push(format!("{} ({})", release.version, shorten(reason)));
            continue;
        }
        match policy.old_enough(release) {
            Some(true) => {}
            Some(false) => {
                let age = policy.age(release).unwrap_or_default();
                skipped.push(format!(
                    "{} (published {} ago, younger than the {} release-age policy)",
                    release.version,
                    human_duration(age),
                    human_duration(policy.min_release_age)
                ));
                continue;
            }
            None => {
                skipped.push(format!(
                    "{} (the registry gives no publish time, so the release-age policy cannot be checked; --min-release-age 0 accepts it)",
                    release.version
                ));
                continue;
            }
        }
        if release.artifacts.is_empty() {
            skipped.push(format!("{} (no files with a digest to verify)", release.version));
            continue;
        }
        return Ok(Pick {
            release: release.clone(),
            skipped,
        });
    }
    let reason = if skipped.is_empty() {
        "no published version matches".to_owned()
    } else {
        format!("every matching version was passed over: {}", skipped.join(", "))
    };
    Err(ResolveError::NoVersion {
        package: package.to_owned(),
        reason,
    })
}

fn shorten(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default().trim();
    if line.chars().count() > 80 {
        format!("{}...", line.chars().take(77).collect::<String>())
    } else {
        line.to_owned()
    }
}

/// Downloads every artifact of `release` and compares its hash with the published digest.
/// An artifact verified before (the cache keeps a record per digest and URL) is not downloaded
/// again: the digest names immutable content.
pub fn verify_release(http: &Http, package: &str, release: &Release, settings: &Settings) -> Result<(), ResolveError> {
    for artifact in &release.artifacts {
        verify_artifact(http, package, artifact, settings, true)?;
    }
    Ok(())
}

/// Downloads `artifact` and checks its digest; `trust_cache` skips artifacts verified before.
pub fn verify_artifact(
    http: &Http,
    package: &str,
    artifact: &Artifact,
    settings: &Settings,
    trust_cache: bool,
) -> Result<(), ResolveError> {
    if trust_cache
        && let Some(cache) = http.cache()
        && cache.verified(&artifact.digest).is_some_and(|v| v.url == artifact.url)
    {
        return Ok(());
    }
    let algorithm = artifact.algorithm().ok_or_else(|| ResolveError::Malformed {
        url: artifact.url.clone(),
        message: format!("unsupported digest `{}`", artifact.digest),
    })?;
    let headers = settings.auth_headers(&artifact.url);
    let actual_bytes = http.hash_artifact(&artifact.url, algorithm, &headers)?;
    let actual = format_digest(algorithm, &actual_bytes);
    if !digests_equal(&actual, &artifact.digest) {
        return Err(ResolveError::DigestMismatch {
            package: package.to_owned(),
            url: artifact.url.clone(),
            expected: artifact.digest.clone(),
            actual,
        });
    }
    if let Some(cache) = http.cache() {
        cache.record_verified(&artifact.digest, &artifact.url);
    }
    Ok(())
}

pub fn format_digest(algorithm: DigestAlgorithm, bytes: &[u8]) -> String {
    use base64::Engine as _;
    match algorithm {
        DigestAlgorithm::Sha512 => format!("sha512-{}", base64::engine::general_purpose::STANDARD.encode(bytes)),
        DigestAlgorithm::Sha256 => format!("sha256:{}", http::hex(bytes)),
    }
}

fn digests_equal(a: &str, b: &str) -> bool {
    if a.starts_with("sha256:") {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

/// Runs `work` over `items` on at most `limit` threads, keeping the input order.
pub fn bounded_parallel<T: Sync, R: Send>(items: &[T], limit: usize, work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = Mutex::new(0usize);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..limit.clamp(1, items.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let index = {
                        let Ok(mut next) = next.lock() else { return };
                        let index = *next;
                        *next += 1;
                        index
                    };
                    let Some(item) = items.get(index) else { return };
                    let result = work(item);
                    if let Ok(mut results) = results.lock() {
                        results[index] = Some(result);
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default().into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use jiff::Timestamp;

    use super::*;

    fn release(version: &str, days_old: i64) -> Release {
        Release {
            version: version.into(),
            published: Some(Timestamp::now() - jiff::SignedDuration::from_hours(24 * days_old)),
            artifacts: vec![Artifact {
                url: format!("https://r.test/{version}.tgz"),
                digest: "sha512-x".into(),
            }],
            ..Release::default()
        }
    }

    #[test]
    fn pick_skips_young_withdrawn_and_prereleases_and_says_why() {
        let mut deprecated = release("1.2.0", 30);
        deprecated.withdrawn = Some("Security issue, upgrade".into());
        let mut beta = release("1.4.0-beta.1", 30);
        beta.prerelease = true;
        let candidates = vec![beta, release("1.3.0", 2), deprecated, release("1.1.0", 60)];
        let policy = Policy::new(Duration::from_secs(7 * 86400));
        let pick = pick("pkg", &candidates, |_| true, &policy, false).expect("a pick");
        assert_eq!(pick.release.version, "1.1.0");
        assert_eq!(pick.skipped.len(), 2, "{:?}", pick.skipped);
        assert!(pick.skipped[0].starts_with("1.3.0 (published 2 days ago"));
        assert!(pick.skipped[1].contains("Security issue"));

        let none = super::pick("pkg", &candidates[..2], |_| true, &policy, false).expect_err("nothing old enough");
        assert!(none.to_string().contains("every matching version was passed over"));
        let zero = Policy::new(Duration::ZERO);
        assert_eq!(
            super::pick("pkg", &candidates, |_| true, &zero, false).map(|p| p.release.version),
            Ok("1.3.0".to_owned())
        );
    }

    #[test]
    fn bounded_parallel_keeps_order() {
        let items: Vec<u32> = (0..50).collect();
        assert_eq!(
            bounded_parallel(&items, 4, |n| n * 2),
            items.iter().map(|n| n * 2).collect::<Vec<_>>()
        );
    }
}
