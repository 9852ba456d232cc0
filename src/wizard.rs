//! `mcp-lint pin`: the interactive pinning wizard. It offers exactly the pins `--fix
//! --unsafe-fixes` would make (the same fix objects, applied by the same engine), and lets a
//! person take another version or skip; nothing is written before the combined diff is confirmed.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, FuzzySelect, Select};

use crate::cli::CheckOptions;
use crate::fix::apply::apply_fix;
use crate::fix::{Applicability, Edit, Fix, pin};
use crate::lint::{self, FileFailure, FileReport};
use crate::model::{Ecosystem, PackageRef, Server};
use crate::resolve::{Release, verify_release};
use crate::rules::LintContext;
use crate::{EXIT_CLEAN, EXIT_ERROR, failure_line, resolution};

/// One pin the person chose: which file, the fix to apply.
struct Choice {
    report: usize,
    fix: Fix,
}

pub fn run(paths: &[PathBuf], options: &CheckOptions) -> Result<ExitCode> {
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        eprintln!(
            "mcp-lint pin is interactive and needs a terminal; in scripts and CI use `mcp-lint --fix --unsafe-fixes` (same pins, no questions)"
        );
        return Ok(ExitCode::from(EXIT_ERROR));
    }
    // The wizard pins: it resolves and verifies as `--fix --unsafe-fixes` does.
    let mut args = options.clone();
    args.fix = true;
    args.unsafe_fixes = true;
    let rules = crate::selected_rules(&args)?;
    let linted = crate::lint_paths(paths, &args, &rules);
    for failure in &linted.failures {
        eprintln!("{}", failure_line(failure));
    }
    let reports: Vec<FileReport> = linted.reports;
    let http = resolution::http(&args);
    let settings = resolution::settings(&args);
    let mut view = resolution::build_view(&reports, &args, &rules, &http, &settings);
    let verdict = resolution::verdict(&view);
    for line in verdict.errors.iter().chain(&verdict.notes) {
        eprintln!("{line}");
    }
    if verdict.abort_writes {
        eprintln!("mcp-lint: the registries could not be read; nothing was changed");
        return Ok(ExitCode::from(EXIT_ERROR));
    }

    let theme = ColorfulTheme::default();
    let mut choices: Vec<Choice> = Vec::new();
    let mut offered = 0;
    // Set by "this and every remaining one": the policy's pick, without more questions.
    let mut accept_rest = false;
    for (index, report) in reports.iter().enumerate() {
        let context = LintContext {
            registry: Some(&view),
            lock: None,
        };
        let Ok(relinted) = lint::lint(report.source.clone(), Some(report.dialect), &rules, &context) else {
            continue;
        };
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
            let Some(package) = server.launch.as_ref().and_then(|l| l.package.as_ref()) else {
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
                    (&http, &settings),
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
        return Ok(ExitCode::from(EXIT_CLEAN));
    }
    if choices.is_empty() {
        eprintln!("Nothing chosen; no file was changed.");
        return Ok(ExitCode::from(EXIT_CLEAN));
    }

    // Apply through the engine, per file, and show everything before writing anything.
    let mut changed: Vec<(usize, String)> = Vec::new();
    for (index, report) in reports.iter().enumerate() {
        let fixes: Vec<&Fix> = choices.iter().filter(|c| c.report == index).map(|c| &c.fix).collect();
        if fixes.is_empty() {
            continue;
        }
        let mut text = report.source.text.clone();
        for fix in fixes {
            match apply_fix(&text, report.dialect.syntax(), fix) {
                Ok(fixed) => text = fixed,
                Err(error) => eprintln!(
                    "warning: {}: could not apply \"{}\": {error}",
                    report.source.path.display(),
                    fix.title
                ),
            }
        }
        if text != report.source.text {
            changed.push((index, text));
        }
    }
    let mut diff = String::new();
    for (index, text) in &changed {
        diff.push_str(&crate::unified_diff(&reports[*index], text));
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
        return Ok(ExitCode::from(EXIT_CLEAN));
    }
    let mut failures = Vec::new();
    let mut written = Vec::new();
    for (index, text) in &changed {
        let report = &reports[*index];
        let original = crate::disk_text(&report.source, &report.source.text);
        let fixed = crate::disk_text(&report.source, text);
        match crate::fix::write::write_atomically(&report.source.path, original.as_bytes(), fixed.as_bytes()) {
            Ok(()) => {
                if let Ok(relinted) = lint::lint(
                    crate::lint::SourceFile::new(&report.source.path, text.clone()),
                    Some(report.dialect),
                    &rules,
                    &LintContext::default(),
                ) {
                    written.push(relinted);
                }
            }
            Err(error) => failures.push(FileFailure {
                path: report.source.path.clone(),
                position: None,
                message: error.to_string(),
            }),
        }
    }
    let fixed: Vec<(&std::path::Path, &crate::model::McpConfig)> =
        written.iter().map(|r| (r.source.path.as_path(), &r.config)).collect();
    // Every config this run read, as written now: the written ones in their new state.
    let mut run_configs: Vec<(&std::path::Path, &crate::model::McpConfig)> = fixed.clone();
    run_configs.extend(
        reports
            .iter()
            .filter(|r| !written.iter().any(|w| w.source.path == r.source.path))
            .map(|r| (r.source.path.as_path(), &r.config)),
    );
    match resolution::update_locks(&fixed, &run_configs, &view) {
        Ok(messages) => messages.iter().for_each(|m| eprintln!("{m}")),
        Err(error) => failures.push(FileFailure {
            path: PathBuf::new(),
            position: None,
            message: error.to_string(),
        }),
    }
    for failure in &failures {
        eprintln!("{}", failure_line(failure));
    }
    eprintln!("Pinned {} of {offered} in {} file(s).", choices.len(), written.len());
    Ok(ExitCode::from(if failures.is_empty() && !verdict.tampered {
        EXIT_CLEAN
    } else {
        EXIT_ERROR
    }))
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
    view: &mut crate::resolve::view::RegistryView,
    (http, settings): (&crate::resolve::http::Http, &crate::resolve::settings::Settings),
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
fn describe(view: &crate::resolve::view::RegistryView, release: &Release) -> String {
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
