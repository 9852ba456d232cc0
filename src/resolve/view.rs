//! What the registries said about every package and image of a run, gathered once (deduplicated
//! across files, resolved concurrently) and read by rules and fixes.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::http::Http;
use super::oci::{self, ImageRef};
use super::settings::Settings;
use super::{PackageInfo, Pick, Policy, Release, ResolveError, bounded_parallel, npm, pick, pypi, verify_release};
use crate::model::{Ecosystem, McpConfig, PackageRef, VersionSpec};

/// Requests in flight at once: enough that a config's packages resolve in one wave of metadata
/// and one of artifacts, few enough to be a polite client.
pub const CONCURRENCY: usize = 32;

/// A floating package spec as written: (ecosystem, name, spec text).
pub type PinKey = (Ecosystem, String, String);

/// An image pinned to the digest its tag points at now.
#[derive(Debug, Clone, PartialEq)]
pub struct ImagePin {
    pub image: ImageRef,
    pub digest: String,
}

#[derive(Debug, Default)]
pub struct RegistryView {
    pub policy: Option<Policy>,
    infos: HashMap<(Ecosystem, String), Result<PackageInfo, ResolveError>>,
    pins: HashMap<PinKey, Result<Pick, ResolveError>>,
    images: HashMap<String, Result<ImagePin, ResolveError>>,
    /// Versions the configs already pin (and versions chosen in `mcp-lint pin`) whose every
    /// artifact this run verified, or the cache had verified. The picks in `pins` are verified too.
    verified: HashMap<(Ecosystem, String, String), Release>,
    /// Verification failures of versions the configs already pin.
    exact_errors: Vec<ResolveError>,
}

/// How far to go. Pins are always verified (their artifacts downloaded and hashed) first.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub pins: bool,
    /// Images are resolved only when a rule that reads them runs (`unpinned-image`).
    pub images: bool,
}

pub fn spec_text(spec: &VersionSpec) -> String {
    match spec {
        VersionSpec::Exact(v) | VersionSpec::Range(v) | VersionSpec::Tag(v) => v.clone(),
        _ => String::new(),
    }
}

/// Whether the resolver can pin this spec: registry packages without a version, with a tag or
/// a range (git and URL specs have no registry to ask).
fn pinnable(package: &PackageRef) -> bool {
    matches!(package.ecosystem, Ecosystem::Npm | Ecosystem::PyPi)
        && matches!(
            package.spec,
            VersionSpec::None | VersionSpec::Tag(_) | VersionSpec::Range(_)
        )
}

impl RegistryView {
    pub fn info(&self, ecosystem: Ecosystem, name: &str) -> Option<&Result<PackageInfo, ResolveError>> {
        self.infos.get(&(ecosystem, key_name(ecosystem, name)))
    }

    pub fn pin(&self, package: &PackageRef) -> Option<&Result<Pick, ResolveError>> {
        self.pins.get(&(
            package.ecosystem,
            key_name(package.ecosystem, &package.name),
            spec_text(&package.spec),
        ))
    }

    /// Records a release verified outside the view (a version a person chose in `mcp-lint pin`).
    pub fn add_verified(&mut self, ecosystem: Ecosystem, name: &str, release: Release) {
        self.verified
            .insert((ecosystem, key_name(ecosystem, name), release.version.clone()), release);
    }

    /// A release of `name` whose artifacts this run verified: a pick, or a version already pinned.
    pub fn verified(&self, ecosystem: Ecosystem, name: &str, version: &str) -> Option<&Release> {
        let name = key_name(ecosystem, name);
        self.verified
            .get(&(ecosystem, name.clone(), version.to_owned()))
            .or_else(|| {
                self.pins
                    .iter()
                    .filter(|((e, n, _), _)| *e == ecosystem && *n == name)
                    .filter_map(|(_, pick)| pick.as_ref().ok())
                    .map(|pick| &pick.release)
                    .find(|release| release.version == version)
            })
    }

    pub fn image(&self, package: &PackageRef) -> Option<&Result<ImagePin, ResolveError>> {
        self.images.get(&package.text)
    }

    /// For each pin that passed over newer versions: what it chose and why.
    pub fn pick_notes(&self) -> Vec<String> {
        let mut notes: Vec<String> = self
            .pins
            .iter()
            .filter_map(|((_, name, _), pick)| {
                let pick = pick.as_ref().ok()?;
                (!pick.skipped.is_empty()).then(|| {
                    format!(
                        "note: {name}: pinning {}; newer versions passed over: {}",
                        pick.release.version,
                        pick.skipped.join(", ")
                    )
                })
            })
            .collect();
        notes.sort();
        notes
    }

    /// Every failure worth an error line, digest mismatches first (they mean refusal).
    pub fn errors(&self) -> Vec<&ResolveError> {
        let mut errors: Vec<&ResolveError> = self.infos.values().filter_map(|r| r.as_ref().err()).collect();
        errors.extend(self.pins.values().filter_map(|r| r.as_ref().err()));
        errors.extend(self.images.values().filter_map(|r| r.as_ref().err()));
        errors.extend(self.exact_errors.iter());
        errors.sort_by_key(|e| (!e.is_tampering(), e.to_string()));
        errors.dedup_by(|a, b| a.to_string() == b.to_string());
        errors
    }

    /// Builds the view for every package and image of `configs`.
    pub fn resolve(configs: &[&McpConfig], http: &Http, settings: &Settings, policy: Policy, scope: Scope) -> Self {
        // One job per registry package (names as the registry compares them), with every
        // floating spec to pin and every exact version to verify that the configs write for it.
        let mut packages: BTreeMap<(Ecosystem, String), Job> = BTreeMap::new();
        let mut images: BTreeSet<String> = BTreeSet::new();
        let mut any_pinned_npm = false;
        for server in configs.iter().flat_map(|c| c.servers.iter()) {
            let Some(package) = server.launch.as_ref().and_then(|l| l.package.as_ref()) else {
                continue;
            };
            match package.ecosystem {
                // Git and URL specs name no registry package: nothing to ask.
                Ecosystem::Npm | Ecosystem::PyPi if pinnable(package) || package.spec.is_exact() => {
                    let key = (package.ecosystem, key_name(package.ecosystem, &package.name));
                    let job = packages.entry(key).or_insert_with(|| Job::Package {
                        ecosystem: package.ecosystem,
                        name: package.name.clone(),
                        specs: BTreeSet::new(),
                        versions: BTreeSet::new(),
                    });
                    if let Job::Package { specs, versions, .. } = job {
                        match &package.spec {
                            VersionSpec::Exact(version) => {
                                versions.insert(version.clone());
                            }
                            spec => {
                                specs.insert(spec_text(spec));
                            }
                        }
                    }
                    any_pinned_npm |= package.ecosystem == Ecosystem::Npm && package.spec.is_exact();
                }
                Ecosystem::Oci if scope.pins && scope.images && !package.spec.is_pinned() => {
                    images.insert(package.text.clone());
                }
                _ => {}
            }
        }
        // Publish times come only with the full npm document.
        let with_times = !policy.min_release_age.is_zero() || any_pinned_npm;
        // One job per package and per image, all concurrent: a package's metadata, then at once
        // the artifacts of its pick and of the versions already pinned, so that no package waits
        // for another's answers.
        let mut jobs: Vec<Job> = packages.into_values().collect();
        jobs.extend(images.into_iter().map(Job::Image));
        let outcomes = bounded_parallel(&jobs, CONCURRENCY, |job| match job {
            Job::Package {
                ecosystem,
                name,
                specs,
                versions,
            } => {
                let info = match ecosystem {
                    Ecosystem::Npm => npm::package_info(http, settings, name, with_times),
                    _ => pypi::package_info(http, settings, name),
                };
                let mut picks = Vec::new();
                let mut checked = Vec::new();
                if scope.pins {
                    for spec in specs {
                        let pick = info.as_ref().map_err(Clone::clone).and_then(|info| {
                            let chosen = choose(info, spec, &policy)?;
                            verify_release(http, name, &chosen.release, settings)?;
                            Ok(chosen)
                        });
                        picks.push((spec.clone(), pick));
                    }
                    if let Ok(info) = &info {
                        // What the configs already pin goes into the lock too, once its
                        // artifacts check out.
                        for version in versions {
                            if let Some(release) = info.release(version) {
                                let label = format!("{name}@{version}");
                                checked.push(verify_release(http, &label, release, settings).map(|()| release.clone()));
                            }
                        }
                    }
                }
                Outcome::Package {
                    key: (*ecosystem, key_name(*ecosystem, name)),
                    info,
                    picks,
                    checked,
                }
            }
            Job::Image(text) => Outcome::Image(
                text.clone(),
                oci::parse_reference(text)
                    .ok_or_else(|| ResolveError::Malformed {
                        url: text.clone(),
                        message: "not an image reference".into(),
                    })
                    .and_then(|image| {
                        let digest = oci::resolve_digest(http, settings, &image)?;
                        Ok(ImagePin { image, digest })
                    }),
            ),
        });

        let mut infos = HashMap::new();
        let mut pins = HashMap::new();
        let mut images = HashMap::new();
        let mut verified = HashMap::new();
        let mut exact_errors = Vec::new();
        for outcome in outcomes {
            match outcome {
                Outcome::Package {
                    key,
                    info,
                    picks,
                    checked,
                } => {
                    for (spec, pick) in picks {
                        pins.insert((key.0, key.1.clone(), spec), pick);
                    }
                    for result in checked {
                        match result {
                            Ok(release) => {
                                verified.insert((key.0, key.1.clone(), release.version.clone()), release);
                            }
                            Err(error) => exact_errors.push(error),
                        }
                    }
                    infos.insert(key, info);
                }
                Outcome::Image(text, pin) => {
                    images.insert(text, pin);
                }
            }
        }
        Self {
            policy: Some(policy),
            infos,
            pins,
            images,
            verified,
            exact_errors,
        }
    }
}

enum Job {
    Package {
        ecosystem: Ecosystem,
        name: String,
        specs: BTreeSet<String>,
        versions: BTreeSet<String>,
    },
    Image(String),
}

enum Outcome {
    Package {
        key: (Ecosystem, String),
        info: Result<PackageInfo, ResolveError>,
        picks: Vec<(String, Result<Pick, ResolveError>)>,
        checked: Vec<Result<Release, ResolveError>>,
    },
    Image(String, Result<ImagePin, ResolveError>),
}

/// PyPI names compare normalised (PEP 503); npm names are exact.
fn key_name(ecosystem: Ecosystem, name: &str) -> String {
    match ecosystem {
        Ecosystem::PyPi => pypi::normalize(name),
        _ => name.to_owned(),
    }
}

/// The release a floating `spec` should be pinned to under `policy`.
pub fn choose(info: &PackageInfo, spec: &str, policy: &Policy) -> Result<Pick, ResolveError> {
    let name = &info.name;
    match (info.ecosystem, spec) {
        (_, "") | (_, "latest") => pick(name, &info.releases, |_| true, policy, false),
        (Ecosystem::Npm, tag) if info.tags.contains_key(tag) => {
            // A dist-tag other than `latest` names one version on purpose: take it, if the
            // policy admits it.
            let version = info.tags.get(tag).cloned().unwrap_or_default();
            pick(name, &info.releases, |r| r.version == version, policy, true)
        }
        (Ecosystem::Npm, range) => {
            let prerelease = range.contains('-');
            pick(
                name,
                &info.releases,
                |r| npm::satisfies(&r.version, range),
                policy,
                prerelease,
            )
        }
        (_, range) => pick(
            name,
            &info.releases,
            |r| pypi::satisfies(&r.version, range),
            policy,
            false,
        ),
    }
}

impl crate::rules::RegistryFacts for RegistryView {
    fn not_found(&self, ecosystem: Ecosystem, name: &str) -> bool {
        fn missing(error: &ResolveError) -> bool {
            match error {
                ResolveError::NotFound { .. } => true,
                ResolveError::GaveUp { last, .. } => missing(last),
                _ => false,
            }
        }
        matches!(self.info(ecosystem, name), Some(Err(error)) if missing(error))
    }

    fn package(&self, ecosystem: Ecosystem, name: &str) -> Option<Result<&PackageInfo, &dyn std::fmt::Display>> {
        self.info(ecosystem, name)
            .map(|answer| answer.as_ref().map_err(|e| e as &dyn std::fmt::Display))
    }

    fn pin(&self, package: &PackageRef) -> Option<Result<&Pick, &dyn std::fmt::Display>> {
        RegistryView::pin(self, package).map(|answer| answer.as_ref().map_err(|e| e as &dyn std::fmt::Display))
    }

    fn image_digest(&self, package: &PackageRef) -> Option<Result<&str, &dyn std::fmt::Display>> {
        self.image(package).map(|answer| match answer {
            Ok(pin) => Ok(pin.digest.as_str()),
            Err(error) => Err(error as &dyn std::fmt::Display),
        })
    }

    fn policy(&self) -> Option<&Policy> {
        self.policy.as_ref()
    }
}
