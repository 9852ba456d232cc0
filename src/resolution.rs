//! Glue between a run and the resolver: whether to ask the registries at all, the view rules
//! read, the lockfiles beside the configs, and `mcp-lint verify`.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::CheckOptions;
use crate::lint::FileReport;
use crate::model::{Ecosystem, McpConfig, VersionSpec};
use crate::resolve::cache::Cache;
use crate::resolve::http::{Http, HttpOptions};
use crate::resolve::lock::{Lock, LockError, LockedArtifact, LockedImage, LockedPackage, ecosystem_name};
use crate::resolve::settings::Settings;
use crate::resolve::view::{RegistryView, Scope};
use crate::resolve::{Policy, Release, ResolveError, oci, verify_artifact};
use crate::rules::Rule;

/// Whether this run needs registry answers: to pin (`--fix --unsafe-fixes`) or because the user
/// asked (`--resolve`). With `--offline` too, they come from the cache alone.
pub fn wanted(args: &CheckOptions) -> bool {
    args.resolve || ((args.fix || args.diff) && args.unsafe_fixes)
}

pub fn http(args: &CheckOptions) -> Http {
    let options = HttpOptions {
        offline: args.offline,
        ..http_options()
    };
    Http::new(options, Cache::default_location())
}

/// The defaults, with `MCP_LINT_HTTP_TIMEOUT_MS`, `MCP_LINT_HTTP_BACKOFF_MS`,
/// `MCP_LINT_MAX_DOCUMENT_BYTES` and `MCP_LINT_CACHE_TTL_SECS` for slow networks, strict
/// freshness, and the fault-injection tests.
pub fn http_options() -> HttpOptions {
    let number = |name: &str| std::env::var(name).ok().and_then(|v| v.trim().parse::<u64>().ok());
    let defaults = HttpOptions::default();
    HttpOptions {
        timeout: number("MCP_LINT_HTTP_TIMEOUT_MS").map_or(defaults.timeout, Duration::from_millis),
        backoff: number("MCP_LINT_HTTP_BACKOFF_MS").map_or(defaults.backoff, Duration::from_millis),
        max_document: number("MCP_LINT_MAX_DOCUMENT_BYTES").unwrap_or(defaults.max_document),
        ttl: number("MCP_LINT_CACHE_TTL_SECS").map_or(defaults.ttl, Duration::from_secs),
        ..defaults
    }
}

/// The user's registry settings; `[registries]` in mcp-lint.toml applies where the environment
/// does not name one (the environment is the user's, the file the project's default).
pub fn settings(args: &CheckOptions) -> Settings {
    let mut settings = Settings::from_environment(&std::env::current_dir().unwrap_or_default());
    if let Some(project) = args.project.as_deref() {
        let set = |name: &str| std::env::var_os(name).is_some();
        if let Some(npm) = &project.registries.npm
            && !set("NPM_CONFIG_REGISTRY")
            && !set("npm_config_registry")
        {
            settings.npm_registry = npm.clone();
        }
        if let Some(pypi) = &project.registries.pypi
            && !["UV_DEFAULT_INDEX", "UV_INDEX_URL", "PIP_INDEX_URL"]
                .iter()
                .any(|v| set(v))
        {
            settings.pypi_index = pypi.clone();
        }
    }
    settings
}

/// Asks the registries (or the cache) about every package and image of `reports`, once each.
pub fn build_view(
    reports: &[FileReport],
    args: &CheckOptions,
    rules: &[&dyn Rule],
    http: &Http,
    settings: &Settings,
) -> RegistryView {
    let configs: Vec<&McpConfig> = reports.iter().map(|r| &r.config).collect();
    let scope = Scope {
        pins: (args.fix || args.diff) && args.unsafe_fixes,
        images: rules.iter().any(|r| r.info().id == "unpinned-image"),
    };
    let progress = spinner(http.options.offline);
    let view = RegistryView::resolve(&configs, http, settings, Policy::new(args.min_release_age()), scope);
    progress.finish_and_clear();
    view
}

/// A spinner on a terminal once resolution takes more than a moment; nothing otherwise.
fn spinner(offline: bool) -> ProgressBar {
    let bar = ProgressBar::hidden();
    if offline || !std::io::stderr().is_terminal() {
        return bar;
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}").unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message("asking the registries");
    let shown = bar.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        if !shown.is_finished() {
            shown.set_draw_target(ProgressDrawTarget::stderr());
            shown.enable_steady_tick(Duration::from_millis(120));
        }
    });
    bar
}

/// What the run should say about resolution, and whether it must stop before writing.
pub struct Verdict {
    pub errors: Vec<String>,
    pub notes: Vec<String>,
    /// Network trouble: nothing may be written.
    pub abort_writes: bool,
    /// A digest mismatch: the run exits 2 even though other fixes were written.
    pub tampered: bool,
}

pub fn verdict(view: &RegistryView) -> Verdict {
    let mut verdict = Verdict {
        errors: Vec::new(),
        notes: Vec::new(),
        abort_writes: false,
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
                verdict.abort_writes = true;
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
    let now = jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .unwrap_or(jiff::Timestamp::now())
        .to_string();
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
    let mut named = std::collections::BTreeSet::new();
    let mut pinned = std::collections::BTreeSet::new();
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

/// Downloads every artifact and manifest of the lock in `dir` again and compares digests.
pub fn verify_lock(dir: &Path, http: &Http, settings: &Settings) -> Result<(usize, Vec<String>), LockError> {
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
