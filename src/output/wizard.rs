//! `mcp-lint pin`: the interactive pinning wizard. It offers exactly the pins `--fix
//! --unsafe-fixes` would make (the same fix objects, applied by the same engine), and lets a
//! person take another version or skip; nothing is written before the combined diff is confirmed.

use std::path::{Path, PathBuf};

use anyhow::Result;
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, FuzzySelect, Select};

use crate::fix::{Applicability, Edit, Fix, pin};
use crate::model::{Ecosystem, McpConfig, PackageRef, Server};
use crate::resolve::http::Http;
use crate::resolve::settings::Settings as RegistrySettings;
use crate::resolve::view::RegistryView;
use crate::resolve::{Release, verify_release};
use crate::rules::{LintContext, RegistryFacts};
use crate::run::check::{self, Collected};
use crate::run::lint::{self, FileFailure, FileReport};
use crate::run::outcome::Status;
use crate::run::reporter::Reporter;
use crate::run::settings::{FixMode, Settings};
use crate::run::{fix, lock, resolve, write};

/// One pin the person chose: which file, the fix to apply.
struct Choice {
    report: usize,
    fix: Fix,
}

/// Runs the wizard over the configs under `paths`; stdin and stderr must be terminals.
pub fn run(paths: &[PathBuf], settings: &Settings, reporter: &Reporter) -> Result<Status> {
    if !settings.environment.stdin_is_terminal || !settings.environment.stderr_is_terminal {
        eprintln!(
            "mcp-lint pin is interactive and needs a terminal; in scripts and CI use `mcp-lint --fix --unsafe-fixes` (same pins, no questions)"
        );
        return Ok(Status::Error);
    }
    // The wizard pins: it resolves and verifies as `--fix --unsafe-fixes` does.
    let mut settings = settings.clone();
    settings.fix = FixMode::Write;
    settings.unsafe_fixes = true;
    let settings = &settings;
    let rules = &settings.rules;
    let Collected { parsed, failures, .. } = check::collect_and_parse(paths, settings.dialect, settings.max_file_size);
    for failure in &failures {
        eprintln!("{}", failure.line());
    }
    let configs: Vec<&McpConfig> = parsed.iter().map(|p| &p.config).collect();
    let http = resolve::http(settings);
    let registries = settings.registries();
    let mut view = resolve::build_view(&configs, settings, &registries, &http, reporter);
    let verdict = resolve::verdict(&view);
    for line in verdict.errors.iter().chain(&verdict.notes) {
        eprintln!("{line}");
    }
    // A package whose registry could not be read is offered no pin; the others still are, and
    // the run ends with an error.
    // Each file linted once, with the registry's answers.
    let reports: Vec<FileReport> = {
        let context = LintContext {
            registry: Some(&view as &dyn RegistryFacts),
            lock: None,
            tools: None,
            image_policies: None,
            files: None,
            siblings: &[],
            scoped: &[],
            path: None,
            policies: &[],
        };
        parsed
            .into_iter()
            .map(|parsed| lint::lint(parsed, rules, &context))
            .collect()
    };

    let theme = ColorfulTheme::default();
    let mut choices: Vec<Choice> = Vec::new();
    let mut offered = 0;
    // Set by "this and every remaining one": the policy's pick, without more questions.
    let mut accept_rest = false;
    for (index, relinted) in reports.iter().enumerate() {
        for located in &relinted.findings {
            let finding = &located.finding;
            if !matches!(finding.rule, "unpinned-package" | "unpinned-image") {
                continue;
            }
            let Some(server) = finding
                .server
                .as_deref()
                .and_then(|name| relinted.config.servers.iter().find(|s| s.name == name))
            else {
                continue;
            };
            // A server.json's package is its author's to version, not pinned to a registry pick.
            let Some(package) = server
                .launch
                .as_ref()
                .filter(|l| l.launcher != crate::model::launcher::Launcher::Registry)
                .and_then(|l| l.package.as_ref())
            else {
                continue;
            };
            let at = relinted
                .source
                .lines
                .line_col(&relinted.source.text, located.primary.start);
            offered += 1;
            eprintln!(
                "\n{}:{}:{}: server `{}` runs `{}`",
                relinted.source.path.display(),
                at.line,
                at.column,
                server.name,
                package.text
            );
            let picked = if accept_rest && finding.fix.is_some() {
                let fix = finding.fix.clone();
                if let Some(fix) = &fix {
                    eprintln!("  {} (the policy's pick)", fix.title);
                }
                fix
            } else if package.ecosystem == Ecosystem::Oci {
                choose_image(&theme, finding.fix.as_ref(), &mut accept_rest)?
            } else {
                choose_package(
                    &theme,
                    &mut view,
                    (&http, &registries),
                    server,
                    package,
                    finding.fix.as_ref(),
                    &mut accept_rest,
                )?
            };
            if let Some(fix) = picked {
                choices.push(Choice { report: index, fix });
            }
        }
    }
    if offered == 0 {
        eprintln!("Nothing to pin: every package and image is pinned already.");
        return Ok(Status::Clean);
    }
    if choices.is_empty() {
        eprintln!("Nothing chosen; no file was changed.");
        return Ok(Status::Clean);
    }

    // Apply through the engine, per file, and show everything before writing anything.
    let mut changed: Vec<(usize, String)> = Vec::new();
    for (index, report) in reports.iter().enumerate() {
        let fixes: Vec<&Fix> = choices.iter().filter(|c| c.report == index).map(|c| &c.fix).collect();
        if fixes.is_empty() {
            continue;
        }
        let (text, failed) = fix::apply_chosen(report, &fixes);
        for (fix, error) in failed {
            eprintln!(
                "warning: {}: could not apply \"{}\": {error}",
                report.source.path.display(),
                fix.title
            );
        }
        if text != report.source.text {
            changed.push((index, text));
        }
    }
    let mut diff = String::new();
    for (index, text) in &changed {
        let report = &reports[*index];
        let secrets: Vec<String> = report.secrets.clone();
        diff.push_str(&write::unified_diff(
            &report.source,
            &report.secret_spans,
            text,
            report.syntax(),
            &secrets,
        ));
    }
    eprintln!();
    eprint!("{diff}");
    let confirmed = Confirm::with_theme(&theme)
        .with_prompt(format!(
            "Write these changes to {} file(s) and update mcp-lint.lock?",
            changed.len()
        ))
        .default(false)
        .interact_opt()?
        .unwrap_or(false);
    if !confirmed {
        eprintln!("Nothing was written.");
        return Ok(Status::Clean);
    }
    let mut failures = Vec::new();
    let mut written: Vec<(usize, McpConfig)> = Vec::new();
    for (index, text) in changed {
        let report = &reports[index];
        match write::write(&report.source, &text) {
            Ok(()) => {
                if let Ok(root) = crate::dialect::parse(report.syntax(), &text) {
                    written.push((index, crate::model::extract::extract(report.dialect, &root)));
                }
            }
            Err(failure) => failures.push(failure),
        }
    }
    let fixed: Vec<(&Path, &McpConfig)> = written
        .iter()
        .map(|(index, config)| (reports[*index].source.path.as_path(), config))
        .collect();
    // Every config this run read, as written now: the written ones in their new state.
    let mut run_configs: Vec<(&Path, &McpConfig)> = fixed.clone();
    run_configs.extend(
        reports
            .iter()
            .enumerate()
            .filter(|(index, _)| !written.iter().any(|(w, _)| w == index))
            .map(|(_, r)| (r.source.path.as_path(), &r.config)),
    );
    match lock::update_locks(&fixed, &run_configs, &view) {
        Ok(messages) => messages.iter().for_each(|m| eprintln!("{m}")),
        Err(error) => failures.push(FileFailure::new(Path::new(""), error.to_string())),
    }
    for failure in &failures {
        eprintln!("{}", failure.line());
    }
    eprintln!("Pinned {} of {offered} in {} file(s).", choices.len(), written.len());
    Ok(if failures.is_empty() && !verdict.tampered && !verdict.unresolved {
        Status::Clean
    } else {
        Status::Error
    })
}

fn choose_image(theme: &ColorfulTheme, policy: Option<&Fix>, accept_rest: &mut bool) -> Result<Option<Fix>> {
    let Some(fix) = policy else {
        eprintln!("  (no digest could be resolved; skipped)");
        return Ok(None);
    };
    let items = [fix.title.clone(), "skip".to_owned(), ACCEPT_REST.to_owned()];
    let chosen = Select::with_theme(theme)
        .with_prompt("Pin this image?")
        .items(&items)
        .default(0)
        .interact_opt()?;
    *accept_rest = chosen == Some(2);
    Ok(matches!(chosen, Some(0 | 2)).then(|| fix.clone()))
}

const ACCEPT_REST: &str = "this and every remaining one: the policy's pick, no more questions";

fn choose_package(
    theme: &ColorfulTheme,
    view: &mut RegistryView,
    (http, settings): (&Http, &RegistrySettings),
    server: &Server,
    package: &PackageRef,
    policy: Option<&Fix>,
    accept_rest: &mut bool,
) -> Result<Option<Fix>> {
    let Some(Ok(info)) = view.info(package.ecosystem, &package.name).cloned() else {
        eprintln!("  (the registry has no answer for `{}`; skipped)", package.name);
        return Ok(None);
    };
    let pick = view.pin(package).and_then(|p| p.as_ref().ok()).cloned();
    let newest = info
        .releases
        .iter()
        .find(|r| !r.prerelease && r.withdrawn.is_none())
        .cloned();
    let mut items: Vec<String> = Vec::new();
    let mut actions: Vec<Action> = Vec::new();
    if let (Some(pick), Some(_)) = (&pick, policy) {
        items.push(format!(
            "{} (the policy's pick; {})",
            pick.release.version,
            describe(view, &pick.release)
        ));
        actions.push(Action::Policy);
    }
    if let Some(newest) = &newest
        && pick.as_ref().is_none_or(|p| p.release.version != newest.version)
    {
        items.push(format!("{} (the newest; {})", newest.version, describe(view, newest)));
        actions.push(Action::Version(newest.version.clone()));
    }
    items.push("another version...".to_owned());
    actions.push(Action::Search);
    items.push("skip".to_owned());
    actions.push(Action::Skip);
    if pick.is_some() && policy.is_some() {
        items.push(ACCEPT_REST.to_owned());
        actions.push(Action::AcceptRest);
    }
    let chosen = Select::with_theme(theme)
        .with_prompt(format!("Pin `{}` to", package.name))
        .items(&items)
        .default(0)
        .interact_opt()?;
    let action = chosen.and_then(|i| actions.get(i).cloned()).unwrap_or(Action::Skip);
    let version = match action {
        Action::Skip => return Ok(None),
        Action::Policy => return Ok(policy.cloned()),
        Action::AcceptRest => {
            *accept_rest = true;
            return Ok(policy.cloned());
        }
        Action::Version(version) => version,
        Action::Search => {
            let versions: Vec<&Release> = info.releases.iter().collect();
            let labels: Vec<String> = versions
                .iter()
                .map(|r| format!("{} ({})", r.version, describe(view, r)))
                .collect();
            let Some(index) = FuzzySelect::with_theme(theme)
                .with_prompt("Version (type to search)")
                .items(&labels)
                .default(0)
                .interact_opt()?
            else {
                return Ok(None);
            };
            versions[index].version.clone()
        }
    };
    let Some(release) = info.release(&version).cloned() else {
        return Ok(None);
    };
    if release.artifacts.is_empty() {
        eprintln!(
            "  {} {version} has no artifact with a digest to verify; skipped",
            package.name
        );
        return Ok(None);
    }
    // A version the policy did not pick is verified now, before it is offered for writing.
    if let Err(error) = verify_release(http, &package.name, &release, settings) {
        eprintln!("  error: {error}; skipped");
        return Ok(None);
    }
    view.add_verified(package.ecosystem, &package.name, release);
    let Some(launch) = server.launch.as_ref() else {
        return Ok(None);
    };
    let Some(route) = server.arg_route(package.position) else {
        return Ok(None);
    };
    Ok(Some(Fix::new(
        format!("Pin `{}` to {version}", package.text),
        Applicability::Unsafe,
        vec![Edit::ReplaceInString {
            route: route.clone(),
            find: package.text.clone(),
            replace: pin::pinned_text(launch.launcher, package, &version),
        }],
    )))
}

#[derive(Clone)]
enum Action {
    Policy,
    AcceptRest,
    Version(String),
    Search,
    Skip,
}

/// `published 2026-11-10, verified sha512-AbCd...` and why a release is not the policy's.
fn describe(view: &RegistryView, release: &Release) -> String {
    let mut parts = Vec::new();
    match release.published {
        Some(published) => parts.push(format!("published {}", published.strftime("%Y-%m-%d"))),
        None => parts.push("publish date unknown".to_owned()),
    }
    if let Some(reason) = &release.withdrawn {
        parts.push(format!("withdrawn: {}", reason.lines().next().unwrap_or_default()));
    }
    if release.prerelease {
        parts.push("prerelease".to_owned());
    }
    if let Some(policy) = view.policy
        && policy.old_enough(release) == Some(false)
    {
        parts.push("younger than the release-age policy".to_owned());
    }
    if let Some(artifact) = release.artifacts.first() {
        let short: String = artifact.digest.chars().take(19).collect();
        let files = if release.artifacts.len() > 1 {
            format!(" (+{} files)", release.artifacts.len() - 1)
        } else {
            String::new()
        };
        parts.push(format!("digest {short}...{files}"));
    }
    parts.join(", ")
}
