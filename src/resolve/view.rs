//! What the registries said about every package and image of a run, gathered once (deduplicated
//! across files, resolved concurrently) and read by rules and fixes.

use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

use super::http::Http;
use super::oci::{self, ImageRef};
use super::settings::Settings;
use super::{PackageInfo, Pick, Policy, Release, ResolveError, bounded_parallel, npm, pick, pypi, verify_release};
use crate::model::{Ecosystem, McpConfig, PackageRef, VersionSpec};

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
    /// Releases whose every artifact this run verified (or the cache had verified): the picks,
    /// and the versions the configs already pin.
    verified: HashMap<(Ecosystem, String, String), Release>,
    /// Verification failures of versions the configs already pin.
    exact_errors: Vec<ResolveError>,
    /// Requests made while building the view (0 under --offline).
    pub requests: usize,
}

/// How far to go: `verify` downloads artifacts before anything is offered as a pin.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub pins: bool,
    pub verify: bool,
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

    pub fn verified(&self, ecosystem: Ecosystem, name: &str, version: &str) -> Option<&Release> {
        self.verified
            .get(&(ecosystem, key_name(ecosystem, name), version.to_owned()))
    }

    pub fn image(&self, package: &PackageRef) -> Option<&Result<ImagePin, ResolveError>> {
        self.images.get(&package.text)
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
        let mut packages: BTreeSet<(EcosystemKey, String)> = BTreeSet::new();
        let mut floating: BTreeSet<(EcosystemKey, String, String)> = BTreeSet::new();
        let mut exact: BTreeSet<(EcosystemKey, String, String)> = BTreeSet::new();
        let mut images: BTreeSet<String> = BTreeSet::new();
        let mut any_pinned_npm = false;
        for server in configs.iter().flat_map(|c| c.servers.iter()) {
            let Some(package) = server.launch.as_ref().and_then(|l| l.package.as_ref()) else {
                continue;
            };
            match package.ecosystem {
                Ecosystem::Npm | Ecosystem::PyPi => {
                    let eco = EcosystemKey(package.ecosystem);
                    packages.insert((eco, package.name.clone()));
                    if pinnable(package) {
                        floating.insert((eco, package.name.clone(), spec_text(&package.spec)));
                    }
                    if let VersionSpec::Exact(version) = &package.spec {
                        exact.insert((eco, package.name.clone(), version.clone()));
                    }
                    any_pinned_npm |= package.ecosystem == Ecosystem::Npm && package.spec.is_pinned();
                }
                Ecosystem::Oci if scope.pins && !package.spec.is_pinned() => {
                    images.insert(package.text.clone());
                }
                _ => {}
            }
        }
        let before = http.requests();
        // Publish times come only with the full npm document.
        let with_times = !policy.min_release_age.is_zero() || any_pinned_npm;
        let packages: Vec<(EcosystemKey, String)> = packages.into_iter().collect();
        let infos = bounded_parallel(&packages, 8, |(eco, name)| match eco.0 {
            Ecosystem::Npm => npm::package_info(http, settings, name, with_times),
            _ => pypi::package_info(http, settings, name),
        });
        let infos: HashMap<(Ecosystem, String), Result<PackageInfo, ResolveError>> = packages
            .iter()
            .zip(infos)
            .map(|((eco, name), info)| ((eco.0, key_name(eco.0, name)), info))
            .collect();

        let mut pins = HashMap::new();
        if scope.pins {
            let floating: Vec<(EcosystemKey, String, String)> = floating.into_iter().collect();
            let picks = bounded_parallel(&floating, 8, |(eco, name, spec)| {
                let info = match infos.get(&(eco.0, key_name(eco.0, name))) {
                    Some(Ok(info)) => info,
                    Some(Err(error)) => return Err(error.clone()),
                    None => {
                        return Err(ResolveError::NoVersion {
                            package: name.clone(),
                            reason: "not resolved".into(),
                        });
                    }
                };
                let chosen = choose(info, spec, &policy)?;
                if scope.verify {
                    verify_release(http, name, &chosen.release, settings)?;
                }
                Ok(chosen)
            });
            pins = floating
                .iter()
                .zip(picks)
                .map(|((eco, name, spec), pick)| ((eco.0, key_name(eco.0, name), spec.clone()), pick))
                .collect();
        }

        let mut verified: HashMap<(Ecosystem, String, String), Release> = pins
            .iter()
            .filter_map(|((eco, name, _), pick)| {
                let pick = pick.as_ref().ok()?;
                Some(((*eco, name.clone(), pick.release.version.clone()), pick.release.clone()))
            })
            .collect();
        let mut exact_errors = Vec::new();
        if scope.pins && scope.verify {
            // What the configs already pin goes into the lock too, once its artifacts check out.
            let exact: Vec<(EcosystemKey, String, String)> = exact.into_iter().collect();
            let checked = bounded_parallel(&exact, 8, |(eco, name, version)| {
                let Some(Ok(info)) = infos.get(&(eco.0, key_name(eco.0, name))) else {
                    return None;
                };
                let release = info.release(version)?;
                Some(verify_release(http, &format!("{name}@{version}"), release, settings).map(|()| release.clone()))
            });
            for ((eco, name, version), result) in exact.into_iter().zip(checked) {
                match result {
                    Some(Ok(release)) => {
                        verified.insert((eco.0, key_name(eco.0, &name), version), release);
                    }
                    Some(Err(error)) => exact_errors.push(error),
                    None => {}
                }
            }
        }

        let images: Vec<String> = images.into_iter().collect();
        let resolved = bounded_parallel(&images, 8, |text| {
            let image = oci::parse_reference(text).ok_or_else(|| ResolveError::Malformed {
                url: text.clone(),
                message: "not an image reference".into(),
            })?;
            let digest = oci::resolve_digest(http, settings, &image)?;
            Ok(ImagePin { image, digest })
        });
        let images = images.into_iter().zip(resolved).collect();
        Self {
            policy: Some(policy),
            infos,
            pins,
            images,
            verified,
            exact_errors,
            requests: http.requests() - before,
        }
    }
}

/// Ecosystems ordered for the sets above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct EcosystemKey(Ecosystem);

impl PartialOrd for EcosystemKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for EcosystemKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.0 as u8).cmp(&(other.0 as u8))
    }
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

/// The default minimum release age: a week, as the issue asks and as npm's `--before` users do.
pub const DEFAULT_MIN_RELEASE_AGE: Duration = Duration::from_secs(7 * 24 * 3600);
