//! Resolve stage, the only one that touches the network: ask the registries (or the cache) about
//! every package and image of the run once, judge what they answered, and re-check lockfiles.

use std::path::Path;

use crate::model::McpConfig;
use crate::resolve::http::Http;
use crate::resolve::lock::{Lock, LockError, LockedArtifact, LockedImage};
use crate::resolve::settings::Settings as RegistrySettings;
use crate::resolve::view::{RegistryView, Scope};
use crate::resolve::{Policy, ResolveError, oci, verify_artifact};

use super::reporter::Reporter;
use super::settings::Settings;

/// The HTTP client for this run: its options and cache from the settings.
pub fn http(settings: &Settings) -> Http {
    Http::new(settings.http_options(), settings.cache())
}

/// Asks the registries (or the cache) about every package and image of `configs`, once each.
pub fn build_view(
    configs: &[&McpConfig],
    settings: &Settings,
    registries: &RegistrySettings,
    http: &Http,
    reporter: &Reporter,
) -> RegistryView {
    let scope = Scope {
        pins: settings.pins(),
        images: settings.rules.iter().any(|r| r.info().id == "unpinned-image"),
    };
    let _progress = if settings.offline {
        Reporter::silent().task("")
    } else {
        reporter.task("asking the registries")
    };
    RegistryView::resolve(configs, http, registries, Policy::new(settings.min_release_age), scope)
}

/// What the run should say about resolution, and whether it must stop before writing.
pub struct Verdict {
    pub errors: Vec<String>,
    pub notes: Vec<String>,
    /// A package or image could not be resolved (network trouble, a malformed answer): it stays
    /// as written, the other fixes apply, and the run exits 2.
    pub unresolved: bool,
    /// A digest mismatch: the run exits 2 even though other fixes were written.
    pub tampered: bool,
}

pub fn verdict(view: &RegistryView) -> Verdict {
    let mut verdict = Verdict {
        errors: Vec::new(),
        notes: Vec::new(),
        unresolved: false,
        tampered: false,
    };
    let mut offline = 0;
    for error in view.errors() {
        match error {
            ResolveError::Offline { .. } => offline += 1,
            ResolveError::DigestMismatch { .. } => {
                verdict.tampered = true;
                verdict.errors.push(format!("error: {error}"));
            }
            ResolveError::NotFound { .. } | ResolveError::NoVersion { .. } => {
                verdict.notes.push(format!("warning: {error}"));
            }
            _ => {
                verdict.unresolved = true;
                verdict.errors.push(format!("error: {error}"));
            }
        }
    }
    verdict.notes.extend(view.pick_notes());
    if offline > 0 {
        verdict.notes.push(format!(
            "note: {offline} registry answers are not in the cache; the checks and pins that need them were skipped (run without --offline to ask the registries)"
        ));
    }
    verdict
}

/// Downloads every artifact and manifest of the lock in `dir` again and compares digests.
pub fn verify_lock(dir: &Path, http: &Http, settings: &RegistrySettings) -> Result<(usize, Vec<String>), LockError> {
    let Some(lock) = Lock::load(dir)? else {
        return Ok((0, Vec::new()));
    };
    let mut jobs: Vec<(String, Option<LockedArtifact>, Option<LockedImage>)> = Vec::new();
    for package in &lock.packages {
        for artifact in &package.artifacts {
            jobs.push((
                format!("{}@{}", package.name, package.version),
                Some(artifact.clone()),
                None,
            ));
        }
    }
    for image in &lock.images {
        jobs.push((format!("{}:{}", image.name, image.tag), None, Some(image.clone())));
    }
    let results = crate::resolve::bounded_parallel(&jobs, 8, |(label, artifact, image)| {
        if let Some(artifact) = artifact {
            return verify_artifact(http, label, &artifact.artifact(), settings, false);
        }
        if let Some(image) = image {
            return oci::verify_manifest(http, settings, &image.name, &image.digest);
        }
        Ok(())
    });
    let failures = results
        .into_iter()
        .filter_map(Result::err)
        .map(|e| format!("{}: {e}", Lock::path_for(dir).display()))
        .collect();
    Ok((jobs.len(), failures))
}
