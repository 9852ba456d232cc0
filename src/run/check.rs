//! The commands as compositions of the stages: `check` (plain, `--fix`, `--diff`), stdin mode
//! and `verify`. Each returns an outcome; nothing here prints.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::dialect::{Dialect, Node, detect};
use crate::rules::{LintContext, LockCheck, ProjectFiles, RecordedTools, RegistryFacts, SiblingServer, ToolContext};

use super::collect::{self, Input};
use super::files::RepositoryFiles;
use super::fix::{self, FixOptions, FixOutcome};
use super::lint::{self, FileFailure, FileReport};
use super::lock::{self, Locks};
use super::outcome::{CheckOutcome, Emitted, FileFixes, FixLog, Results, Status, VerifyOutcome};
use super::parse::{self, Parsed, SourceFile};
use super::reporter::Reporter;
use super::resolve;
use super::settings::{FixMode, Settings};
use super::suppress::Suppressor;
use super::write;

/// The parsed configs under `paths`, and the files that failed.
pub struct Collected {
    pub parsed: Vec<Parsed>,
    pub failures: Vec<FileFailure>,
    /// Files found by walking and left out, with why (`--verbose`).
    pub skipped: Vec<collect::Skipped>,
}

/// Collect, read and parse stages: every MCP config under `paths`, parsed once.
pub fn collect_and_parse(paths: &[PathBuf], dialect: Option<Dialect>, max_file_size: u64) -> Collected {
    let (inputs, missing) = collect::collect(paths);
    let mut collected = Collected {
        parsed: Vec::new(),
        failures: missing
            .into_iter()
            .map(|(path, message)| FileFailure::new(&path, message))
            .collect(),
        skipped: Vec::new(),
    };
    for input in &inputs {
        match parse_input(input, dialect, max_file_size) {
            Ok(Ok(parsed)) => collected.parsed.push(parsed),
            Ok(Err(failure)) => collected.failures.push(failure),
            Err(skipped) => collected.skipped.push(skipped),
        }
    }
    collected
}

/// Collect, read and parse stages for files whose dialect is known (`check --user`): each is
/// read as its client reads it, and a file that fails is reported.
pub fn collect_and_parse_each(files: &[(PathBuf, Dialect)], max_file_size: u64) -> Collected {
    let mut collected = Collected {
        parsed: Vec::new(),
        failures: Vec::new(),
        skipped: Vec::new(),
    };
    for (path, dialect) in files {
        let input = Input {
            path: path.clone(),
            explicit: true,
        };
        match parse_input(&input, Some(*dialect), max_file_size) {
            Ok(Ok(parsed)) => collected.parsed.push(parsed),
            Ok(Err(failure)) => collected.failures.push(failure),
            Err(skipped) => collected.skipped.push(skipped),
        }
    }
    collected
}

/// The MCP configs inside a file that is not one itself: JSON in a YAML block scalar or an
/// escaped YAML string, or a LiteLLM config in a ConfigMap's block scalar, each parsed in place.
/// `dialect` is the one the user asked for: with `litellm` only a LiteLLM config in a block
/// scalar is looked for. (The MCP resources of a manifest stream need no such reading: the
/// stream parses as the list of its documents.)
/// `tree` is the file's own parse, when there was one, so that it is not parsed again.
fn embedded(source: &parse::SourceFile, dialect: Option<Dialect>, tree: Option<&Node>) -> Option<Parsed> {
    let is_yaml = matches!(source.path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"));
    let litellm = |inner: Option<SourceFile>| parse::parse(inner?, Some(Dialect::Litellm)).ok();
    match dialect {
        Some(Dialect::Litellm) => litellm(source.embedded_litellm()),
        None if is_yaml => {
            let found = source.embedded();
            match found.json.or_else(|| source.escaped_json(tree)) {
                Some(inner) => parse::parse(inner, Some(Dialect::McpJson)).ok(),
                None => litellm(found.litellm),
            }
        }
        _ => None,
    }
}

/// A file's text as an MCP config: itself, or the config inside it (JSON in a YAML block scalar),
/// or why it is none.
pub(super) fn parse_source(
    source: SourceFile,
    dialect: Option<Dialect>,
) -> Result<Parsed, (SourceFile, parse::DocumentError)> {
    // A Markdown file whose front matter holds the servers: only that part is read, at the
    // file's own lines (a Copilot custom agent, an agentic workflow).
    let front_matter = match dialect {
        Some(dialect) => Some(dialect),
        None => match detect::by_path(&source.path) {
            detect::PathHint::Known(dialect) => Some(dialect),
            _ => None,
        },
    }
    .filter(|d| matches!(d, Dialect::CopilotAgent | Dialect::AgenticWorkflow));
    if let Some(front_matter) = front_matter {
        return match source.front_matter() {
            Some(view) => parse::parse(view, Some(front_matter)).map_err(|(_, error)| (source, error)),
            None => Err((
                source,
                parse::DocumentError::NotMcp {
                    reason: "a Markdown file without YAML front matter".into(),
                    tree: None,
                },
            )),
        };
    }
    match parse::parse(source, dialect) {
        Ok(parsed) => Ok(parsed),
        Err((source, parse::DocumentError::NotMcp { reason, tree })) => {
            match embedded(&source, dialect, tree.as_deref()) {
                Some(parsed) => Ok(parsed),
                None => Err((source, parse::DocumentError::NotMcp { reason, tree: None })),
            }
        }
        // A file that is no YAML (a Helm template) may still hold a config in a block scalar.
        Err((source, error)) => match embedded(&source, dialect, None) {
            Some(parsed) => Ok(parsed),
            None => Err((source, error)),
        },
    }
}

fn parse_input(
    input: &Input,
    dialect: Option<Dialect>,
    max_file_size: u64,
) -> Result<Result<Parsed, FileFailure>, collect::Skipped> {
    let source = match collect::read_or_skip(input, dialect, max_file_size)? {
        Ok(source) => source,
        Err(failure) => return Ok(Err(failure)),
    };
    match parse_source(source, dialect) {
        // A file found by walking is a config only if it holds servers (or servers its client
        // would miss): a translation file named `mcp.json`, a desktop config with no
        // `mcpServers` yet, is not counted.
        Ok(parsed)
            if !input.explicit
                && dialect.is_none()
                && !parsed.config.holds_servers()
                && (!crate::model::extract::has_server_shapes(&parsed.root)
                    || crate::model::policy::is_claude_settings(&parsed.source.path)) =>
        {
            Err(collect::Skipped {
                path: input.path.clone(),
                reason: format!("holds no server (read as `{}`)", parsed.dialect.name()),
            })
        }
        Ok(parsed) => Ok(Ok(parsed)),
        // Not an MCP config, and the user did not name it: whatever its name, skipped.
        Err((_, error @ parse::DocumentError::NotMcp { .. })) if !input.explicit && dialect.is_none() => {
            Err(collect::Skipped {
                path: input.path.clone(),
                reason: format!("not read as an MCP config: {error}"),
            })
        }
        Err((_, error)) if !collect::must_parse(input, dialect) => Err(collect::Skipped {
            path: input.path.clone(),
            reason: format!("not read as an MCP config: {error}"),
        }),
        Err((source, error)) => Ok(Err(FileFailure::from_document(&source, &error))),
    }
}

/// What a run knows beyond the files: registry answers and locks, when it asked for them.
pub struct Facts {
    pub view: Option<crate::resolve::view::RegistryView>,
    pub verdict: Option<resolve::Verdict>,
    /// The lock beside each config: the tools `probe` recorded, and under `--locked` the pins.
    pub locks: Option<Locks>,
    /// `--locked`: the rules compare the configs with their locks.
    pub locked: bool,
    /// How images must be pinned, from `mcp-lint.toml`.
    pub image_policies: crate::model::facts::ImagePolicies,
    /// The repository around each project config, by the config's path.
    pub files: HashMap<PathBuf, Arc<RepositoryFiles>>,
    /// The comparable servers of the project configs of each repository, by its root.
    pub siblings: Vec<(PathBuf, Vec<SiblingServer>)>,
    /// The servers of the files a client merges by scope, when the run holds a user's file and
    /// a project's file of that client, sorted by name.
    pub scoped: Vec<SiblingServer>,
    /// The server policies of the run's Claude Code managed settings.
    pub policies: Vec<crate::rules::ManagedPolicy>,
}

impl Facts {
    /// No registry, no lock: a plain offline check.
    pub fn none() -> Self {
        Self {
            view: None,
            verdict: None,
            locks: None,
            locked: false,
            image_policies: crate::model::facts::ImagePolicies::default(),
            files: HashMap::new(),
            siblings: Vec::new(),
            scoped: Vec::new(),
            policies: Vec::new(),
        }
    }

    /// The rules' view of these facts for the config at `path`.
    pub fn context_for<'a>(&'a self, path: &'a Path) -> LintContext<'a> {
        let files = self.files.get(path).map(Arc::as_ref);
        let beside = self.locks.as_ref().and_then(|locks| locks.beside(path));
        LintContext {
            registry: self.view.as_ref().map(|v| v as &dyn RegistryFacts),
            lock: self.locked.then_some(match beside {
                Some(lock) => LockCheck::Present(lock),
                None => LockCheck::Missing,
            }),
            tools: Some(ToolContext {
                config: path.file_name().and_then(|name| name.to_str()).unwrap_or_default(),
                recorded: beside.map(|lock| lock as &dyn RecordedTools),
                current: None,
            }),
            image_policies: Some(&self.image_policies),
            files: files.map(|files| files as &dyn ProjectFiles),
            siblings: files
                .and_then(|files| self.siblings.iter().find(|(root, _)| root == files.root()))
                .map_or(&[], |(_, servers)| servers.as_slice()),
            scoped: &self.scoped,
            path: Some(path),
            policies: &self.policies,
        }
    }
}

/// Resolve stage for a run: registry answers when the settings ask for them, and the locks
/// under `--locked`.
pub fn gather_facts(
    parsed: &[Parsed],
    settings: &Settings,
    reporter: &Reporter,
    failures: &mut Vec<FileFailure>,
) -> Facts {
    let mut facts = Facts::none();
    if settings.wants_registry() && !parsed.is_empty() {
        let configs: Vec<&crate::model::McpConfig> = parsed.iter().map(|p| &p.config).collect();
        let http = resolve::http(settings);
        let view = resolve::build_view(&configs, settings, &settings.registries(), &http, reporter);
        facts.verdict = Some(resolve::verdict(&view));
        facts.view = Some(view);
    }
    // One small file per directory, read on every run: the tools `probe` recorded are checked
    // offline, and `--locked` compares the pins.
    let (locks, lock_failures) = Locks::load(parsed.iter().map(|p| p.source.path.as_path()));
    failures.extend(lock_failures);
    facts.locks = Some(locks);
    facts.locked = settings.locked;
    facts.files = RepositoryFiles::for_configs(parsed.iter().map(|p| (p.source.path.as_path(), p.dialect)));
    facts.siblings = super::siblings::siblings(parsed, &facts.files);
    facts.scoped = super::siblings::scoped(parsed, settings.environment.home.as_deref());
    facts.policies = super::policies::managed_policies(parsed);
    if let Some(project) = &settings.project {
        facts.image_policies = project.image_policies.clone();
    }
    facts
}

/// A path as an absolute one where it can be made one (a local scope names its project by its
/// absolute path).
pub(super) fn absolute(path: &Path) -> PathBuf {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    path.canonicalize().unwrap_or_else(|_| path.to_owned())
}

/// `mcp-lint check PATHS` with the settings' fix mode.
pub fn check(paths: &[PathBuf], settings: &Settings, reporter: &Reporter) -> CheckOutcome {
    let mut outcome = check_files(paths, settings, reporter);
    fix::plan_for_output(&mut outcome.results.reports, settings.format);
    outcome
}

/// Collect, read and parse stages of a run: the paths (`.` when none), or with `--user` the
/// user's own files at their clients' places and then the paths given with it.
pub fn collect_run(paths: &[PathBuf], settings: &Settings) -> Collected {
    if settings.user {
        let home = settings.environment.home.clone().unwrap_or_default();
        let appdata = settings.environment.var("APPDATA").map(PathBuf::from);
        let copilot_home = settings.environment.var("COPILOT_HOME").map(PathBuf::from);
        let locations = super::user::locations(
            super::user::Os::current(),
            &home,
            appdata.as_deref(),
            copilot_home.as_deref(),
        );
        let mut found = super::user::present(locations);
        found.extend(super::user::managed_drop_ins(super::user::Os::current()));
        let mut collected = collect_and_parse_each(&found, settings.max_file_size);
        if !paths.is_empty() {
            // The user's files and a project's, in one run: the project's servers meet the
            // user's ones they replace. A user's file found again by the walk is read once.
            let project = collect_and_parse(paths, settings.dialect, settings.max_file_size);
            let known: Vec<PathBuf> = collected.parsed.iter().map(|p| absolute(&p.source.path)).collect();
            collected.parsed.extend(
                project
                    .parsed
                    .into_iter()
                    .filter(|p| !known.contains(&absolute(&p.source.path))),
            );
            collected.failures.extend(project.failures);
            collected.skipped.extend(project.skipped);
        }
        collected
    } else if paths.is_empty() {
        collect_and_parse(&[PathBuf::from(".")], settings.dialect, settings.max_file_size)
    } else {
        collect_and_parse(paths, settings.dialect, settings.max_file_size)
    }
}

fn check_files(paths: &[PathBuf], settings: &Settings, reporter: &Reporter) -> CheckOutcome {
    let Collected {
        parsed,
        mut failures,
        skipped,
    } = collect_run(paths, settings);
    let facts = gather_facts(&parsed, settings, reporter, &mut failures);
    let mut suppressor = Suppressor::new(settings);
    let reports: Vec<FileReport> = parsed
        .into_iter()
        .map(|parsed| {
            let path = parsed.source.path.clone();
            let context = facts.context_for(&path);
            let mut report = lint::lint(parsed, &settings.rules, &context);
            suppressor.apply(&mut report);
            report
        })
        .collect();
    let mut outcome = CheckOutcome {
        skipped,
        stdin: false,
        resolution: facts
            .verdict
            .as_ref()
            .map(|v| v.errors.iter().chain(&v.notes).cloned().collect())
            .unwrap_or_default(),
        fixes: None,
        locks_written: Vec::new(),
        stale_ignores: Vec::new(),
        results: Results {
            reports: Vec::new(),
            failures,
        },
        emitted: Emitted::Report,
        status: Status::Clean,
    };
    let verdict = facts.verdict.as_ref();
    // A digest mismatch, or registries that could not be read: the run reports an error.
    let resolution_failed = verdict.is_some_and(|v| v.tampered || v.unresolved);
    if settings.fixing() {
        let mut log = FixLog {
            dry_run: settings.fix == FixMode::Diff,
            ..FixLog::default()
        };
        let mut diffs = String::new();
        for report in reports {
            // A digest mismatch may be tampering: nothing in that file is touched.
            if let Some(error) = facts.view.as_ref().and_then(|view| tampering_in(&report, view)) {
                outcome.results.failures.push(FileFailure::new(
                    &report.source.path,
                    format!("{error}; a digest mismatch may mean tampering, so nothing in this file was changed"),
                ));
                outcome.results.reports.push(report);
                continue;
            }
            let path = report.source.path.clone();
            let context = facts.context_for(&path);
            let fixed = fix_one(report, settings, &context, &mut suppressor);
            record(&mut log, &fixed);
            if !fixed.changed() {
                outcome.results.reports.push(fixed.report);
                continue;
            }
            log.changed_files += 1;
            let before = fixed.report.source.with_text(fixed.original.clone());
            if settings.fix == FixMode::Diff {
                diffs.push_str(&write::unified_diff(
                    &before,
                    &fixed.original_spans,
                    &fixed.report.source.text,
                    fixed.report.syntax(),
                    &fixed.masked,
                ));
                outcome.results.reports.push(fixed.report);
                continue;
            }
            match write::write(&before, &fixed.report.source.text) {
                Ok(()) => outcome.results.reports.push(fixed.report),
                Err(failure) => {
                    outcome.results.failures.push(failure);
                    // Nothing was written: nothing was fixed in this file.
                    log.changed_files -= 1;
                    if let Some(file) = log.files.last_mut()
                        && file.path == fixed.report.source.path
                    {
                        file.applied.clear();
                    }
                    // The file keeps its old text: report what that text has.
                    if let Ok(parsed) = parse::parse(before, Some(fixed.report.dialect)) {
                        let mut report = lint::lint(parsed, &settings.rules, &context);
                        suppressor.apply(&mut report);
                        outcome.results.reports.push(report);
                    }
                }
            }
        }
        if let Some(view) = &facts.view
            && settings.fix == FixMode::Write
        {
            // Every config as it now is on disk, written or not: a config pinned by hand gets
            // its lock too.
            let run: Vec<(&Path, &crate::model::McpConfig)> = outcome
                .results
                .reports
                .iter()
                .map(|r| (r.source.path.as_path(), &r.config))
                .collect();
            match lock::update_locks(&run, &run, view) {
                Ok(messages) => outcome.locks_written = messages,
                Err(error) => outcome
                    .results
                    .failures
                    .push(FileFailure::new(Path::new(""), error.to_string())),
            }
        }
        if settings.fix == FixMode::Diff {
            outcome.emitted = Emitted::Diff(diffs);
        }
        outcome.fixes = Some(log);
    } else {
        outcome.results.reports = reports;
    }
    outcome.stale_ignores = suppressor.stale_ignores(facts.view.is_some());
    for report in &mut outcome.results.reports {
        report.findings.sort_by_key(|l| (l.primary.start, l.finding.rule));
    }
    outcome.status = if !outcome.results.failures.is_empty() || resolution_failed {
        Status::Error
    } else if let Emitted::Diff(diff) = &outcome.emitted {
        if diff.is_empty() {
            Status::Clean
        } else {
            Status::Findings
        }
    } else {
        findings_status(&outcome.results.reports, settings)
    };
    outcome
}

/// The digest mismatch of a package or image this file runs, if the registries gave one.
pub(super) fn tampering_in(report: &FileReport, view: &crate::resolve::view::RegistryView) -> Option<String> {
    report
        .config
        .servers
        .iter()
        .filter_map(|server| server.launch.as_ref()?.package.as_ref())
        .find_map(|package| {
            let pin = view.pin(package).and_then(|r| r.as_ref().err());
            let image = view.image(package).and_then(|r| r.as_ref().err());
            pin.or(image).filter(|e| e.is_tampering()).map(ToString::to_string)
        })
}

/// Plan, apply and verify stages for one linted file.
fn fix_one(report: FileReport, settings: &Settings, context: &LintContext, suppressor: &mut Suppressor) -> FixOutcome {
    let options = FixOptions {
        unsafe_fixes: settings.unsafe_fixes,
    };
    fix::fix(report, &settings.rules, context, suppressor, options)
}

fn record(log: &mut FixLog, fixed: &FixOutcome) {
    log.unsafe_skipped += fixed.unsafe_skipped;
    if !fixed.applied.is_empty() || !fixed.refused.is_empty() {
        log.files.push(FileFixes {
            path: fixed.report.source.path.clone(),
            applied: fixed.applied.clone(),
            refused: fixed.refused.clone(),
        });
    }
}

pub(crate) fn findings_status(reports: &[FileReport], settings: &Settings) -> Status {
    let failing = reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|l| l.finding.severity >= settings.fail_on);
    if failing { Status::Findings } else { Status::Clean }
}

/// `mcp-lint - --stdin-filename PATH`: the editor's buffer; with `--fix` the fixed text is the
/// output and the findings left go to stderr. The disk is never touched, the network never asked.
pub fn check_text(path: &Path, bytes: Vec<u8>, settings: &Settings) -> CheckOutcome {
    let mut outcome = check_buffer(path, bytes, settings);
    fix::plan_for_output(&mut outcome.results.reports, settings.format);
    outcome
}

fn check_buffer(path: &Path, bytes: Vec<u8>, settings: &Settings) -> CheckOutcome {
    let mut outcome = CheckOutcome {
        skipped: Vec::new(),
        stdin: true,
        resolution: Vec::new(),
        fixes: None,
        locks_written: Vec::new(),
        stale_ignores: Vec::new(),
        results: Results::default(),
        emitted: Emitted::Nothing,
        status: Status::Error,
    };
    let Ok(raw) = String::from_utf8(bytes) else {
        outcome.results.failures.push(FileFailure {
            path: path.to_owned(),
            position: Some((1, 1)),
            message: "the input is not UTF-8 text".into(),
        });
        return outcome;
    };
    let original = SourceFile::new(path, raw);
    let parsed = match parse_source(original.clone(), settings.dialect) {
        Ok(parsed) => parsed,
        Err((source, error)) => {
            outcome
                .results
                .failures
                .push(FileFailure::from_document(&source, &error));
            return outcome;
        }
    };
    if parsed.source.embedded {
        return check_view(original, parsed, settings, outcome);
    }
    let files = RepositoryFiles::for_config(path, parsed.dialect);
    let context = LintContext {
        files: files.as_ref().map(|files| files as &dyn ProjectFiles),
        ..LintContext::default()
    };
    let mut suppressor = Suppressor::new(settings);
    let mut report = lint::lint(parsed, &settings.rules, &context);
    suppressor.apply(&mut report);
    if settings.fixing() {
        let fixed = fix_one(report, settings, &context, &mut suppressor);
        let mut log = FixLog {
            dry_run: settings.fix == FixMode::Diff,
            changed_files: usize::from(fixed.changed()),
            ..FixLog::default()
        };
        record(&mut log, &fixed);
        let text = fixed.report.source.disk_text(&fixed.report.source.text);
        if settings.fix == FixMode::Diff {
            let before = fixed.report.source.with_text(fixed.original.clone());
            let diff = write::unified_diff(
                &before,
                &fixed.original_spans,
                &fixed.report.source.text,
                fixed.report.syntax(),
                &fixed.masked,
            );
            outcome.status = if diff.is_empty() {
                Status::Clean
            } else {
                Status::Findings
            };
            outcome.emitted = Emitted::Diff(diff);
        } else {
            outcome.emitted = Emitted::FixedText(text);
        }
        outcome.fixes = Some(log);
        report = fixed.report;
    } else {
        outcome.emitted = Emitted::Report;
    }
    outcome.stale_ignores = suppressor.stale_ignores(false);
    if !matches!(outcome.emitted, Emitted::Diff(_)) {
        outcome.status = findings_status(std::slice::from_ref(&report), settings);
    }
    outcome.results.reports.push(report);
    outcome
}

/// `check_text` of a config read inside the text (a view): reported, never rewritten, so a
/// fix gives back the text as it came and a diff is empty.
fn check_view(original: SourceFile, parsed: Parsed, settings: &Settings, mut outcome: CheckOutcome) -> CheckOutcome {
    let files = RepositoryFiles::for_config(&original.path, parsed.dialect);
    let context = LintContext {
        files: files.as_ref().map(|files| files as &dyn ProjectFiles),
        ..LintContext::default()
    };
    let mut suppressor = Suppressor::new(settings);
    let mut report = lint::lint(parsed, &settings.rules, &context);
    suppressor.apply(&mut report);
    outcome.emitted = match settings.fix {
        _ if !settings.fixing() => Emitted::Report,
        FixMode::Diff => Emitted::Diff(String::new()),
        _ => Emitted::FixedText(original.disk_text(&original.text)),
    };
    if settings.fixing() {
        outcome.fixes = Some(FixLog {
            dry_run: settings.fix == FixMode::Diff,
            ..FixLog::default()
        });
    }
    outcome.stale_ignores = suppressor.stale_ignores(false);
    outcome.status = match outcome.emitted {
        Emitted::Diff(_) => Status::Clean,
        _ => findings_status(std::slice::from_ref(&report), settings),
    };
    outcome.results.reports.push(report);
    outcome
}

/// `mcp-lint verify`: every artifact and manifest in the lockfiles is downloaded again and its
/// digest compared with the lock.
pub fn verify(paths: &[PathBuf], settings: &Settings) -> VerifyOutcome {
    let (inputs, _) = collect::collect(paths);
    let configs: Vec<PathBuf> = inputs.iter().map(|i| i.path.clone()).collect();
    let dirs = lock::locks_for(paths, &configs);
    let mut outcome = VerifyOutcome {
        locks: dirs.len(),
        checked: 0,
        failures: Vec::new(),
    };
    if dirs.is_empty() {
        return outcome;
    }
    let http = resolve::http(settings);
    let registries = settings.registries();
    for dir in &dirs {
        match resolve::verify_lock(dir, &http, &registries) {
            Ok((count, failed)) => {
                outcome.checked += count;
                outcome.failures.extend(failed);
            }
            Err(error) => outcome.failures.push(error.to_string()),
        }
    }
    outcome
}
