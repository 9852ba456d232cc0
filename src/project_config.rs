//! The project configuration file, `mcp-lint.toml` (or `.mcp-lint.toml`): rule selection,
//! severities, registries and accepted findings, shared by everyone who lints the repository.
//!
//! [`discover`] finds the nearest file between a directory and its git root; [`ProjectConfig`]
//! answers the questions the command line asks of it. Every key is checked: a misspelled key,
//! rule id or severity is an error at its line and column, never silently ignored.
//!
//! ```toml
//! # mcp-lint.toml
//! select = ["unpinned-package", "unpinned-image", "inline-secret"]   # run only these
//! ignore = ["remote-without-auth"]                                    # never run these
//! fail-on = "error"                                                   # info | warning | error
//! min-release-age = "7d"                                              # 7d, 36h, 90m, 3600s, 0
//!
//! [severity]                                                          # per-rule severity
//! unpinned-image = "error"
//!
//! [registries]                                                        # no credentials here
//! npm = "https://npm.corp.example/"
//! pypi = "https://pypi.corp.example/simple"
//!
//! [[ignores]]                                                         # an accepted finding
//! rule = "unpinned-image"
//! file = ".vscode/mcp.json"                                           # relative path or glob
//! server = "github"
//! reason = "pinned by Renovate in the image build"
//! ```
//!
//! The JSON Schema of this format is `schemas/mcp-lint-config.schema.json`; a test keeps it in
//! step with the structs below.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use globset::{GlobBuilder, GlobMatcher};
use serde::{Deserialize, Serialize};
use thiserror::Error;
use toml::Spanned;

use crate::dialect::position::LineIndex;
use crate::finding::Severity;
use crate::lint::FileReport;
use crate::rules;

/// The names a project config may have, in the order they are looked for in each directory.
pub const FILE_NAMES: [&str; 2] = ["mcp-lint.toml", ".mcp-lint.toml"];

/// Why the project config could not be found or used.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The file exists but could not be read.
    #[error("{}: cannot read the file: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// `mcp-lint.toml` and `.mcp-lint.toml` side by side: which one counts would be a guess.
    #[error(
        "{}: both mcp-lint.toml and .mcp-lint.toml are in this directory; keep one of them",
        .dir.display()
    )]
    BothFiles { dir: PathBuf },
    /// The file is not valid TOML or breaks a rule of the format; rendered `path:line:col: message`.
    #[error("{}: {message}", place(.path, .position))]
    Invalid {
        path: PathBuf,
        /// 1-based line and column, when the problem has a place in the file.
        position: Option<(usize, usize)>,
        message: String,
    },
}

/// `path:line:col`, or `path` alone.
fn place(path: &Path, position: &Option<(usize, usize)>) -> String {
    match position {
        Some((line, column)) => format!("{}:{line}:{column}", path.display()),
        None => path.display().to_string(),
    }
}

/// A validated project config.
#[derive(Debug, Clone)]
pub struct ProjectConfig {
    /// The file it was read from, as given to [`ProjectConfig::load`] (used in messages).
    pub path: PathBuf,
    /// `fail-on`: the severity at which a run fails, when the file sets it.
    pub fail_on: Option<Severity>,
    /// `min-release-age`, when the file sets it (same syntax and meaning as `--min-release-age`).
    pub min_release_age: Option<Duration>,
    /// `[registries]`.
    pub registries: Registries,
    /// `select`: None runs every rule.
    select: Option<Vec<&'static str>>,
    ignore: Vec<&'static str>,
    severity: BTreeMap<&'static str, Severity>,
    ignores: Vec<IgnoreEntry>,
}

/// `[registries]`: the npm registry and PyPI simple index to ask instead of the public ones.
/// URLs are `http(s)://` without credentials (those stay in `.npmrc` or the environment) and
/// are stored without a trailing slash, as [`crate::resolve::settings::Settings`] keeps them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registries {
    pub npm: Option<String>,
    pub pypi: Option<String>,
}

/// One `[[ignores]]` entry: a finding the project accepts, and why.
#[derive(Debug, Clone)]
pub struct IgnoreEntry {
    /// The rule id (known to exist).
    pub rule: &'static str,
    /// A path relative to the config file's directory, or a glob over such paths (`/` separators;
    /// `*` stays within one directory, `**` crosses them).
    pub file: String,
    /// The server's name as written in the config.
    pub server: String,
    pub reason: String,
    /// The 1-based line of the entry in the config file.
    pub line: usize,
    matcher: GlobMatcher,
}

impl IgnoreEntry {
    /// Whether `relative` (a path relative to the config's directory, `/`-separated) is this
    /// entry's file.
    fn matches_file(&self, relative: &str) -> bool {
        relative == self.file || self.matcher.is_match(relative)
    }
}

impl ProjectConfig {
    /// Reads and validates the config file at `path`.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_owned(),
            source,
        })?;
        Self::parse(path, &text)
    }

    /// Validates `text`, the contents of the config file at `path` (used only in messages).
    pub fn parse(path: &Path, text: &str) -> Result<Self, ConfigError> {
        let invalid = |problem: Problem| {
            let position = problem.span.map(|span| {
                let at = LineIndex::new(text).line_col(text, span.start);
                (at.line, at.column)
            });
            ConfigError::Invalid {
                path: path.to_owned(),
                position,
                message: problem.message,
            }
        };
        let raw: RawConfig = toml::from_str(text).map_err(|error| {
            invalid(Problem {
                span: error.span(),
                message: explain_toml_error(error.message()),
            })
        })?;
        let lines = LineIndex::new(text);
        Self::validate(path.to_owned(), raw, &|offset| lines.line_col(text, offset).line).map_err(invalid)
    }

    fn validate(path: PathBuf, raw: RawConfig, line_of: &dyn Fn(usize) -> usize) -> Result<Self, Problem> {
        let select = match raw.select {
            Some(ids) if ids.is_empty() => {
                return Err(Problem::new(
                    None,
                    "`select` is empty, so no rule would run; remove it to run every rule",
                ));
            }
            Some(ids) => Some(ids.iter().map(rule_id).collect::<Result<Vec<_>, _>>()?),
            None => None,
        };
        let ignore = raw.ignore.iter().map(rule_id).collect::<Result<Vec<_>, _>>()?;
        let fail_on = raw.fail_on.as_ref().map(severity).transpose()?;
        let min_release_age = raw
            .min_release_age
            .as_ref()
            .map(|age| parse_age(age.get_ref()).map_err(|message| Problem::new(Some(age.span()), message)))
            .transpose()?;
        let mut severities = BTreeMap::new();
        for (id, level) in &raw.severity {
            severities.insert(rule_id(id)?, severity(level)?);
        }
        let registries = match &raw.registries {
            Some(registries) => Registries {
                npm: registries.get_ref().npm.as_ref().map(registry_url).transpose()?,
                pypi: registries.get_ref().pypi.as_ref().map(registry_url).transpose()?,
            },
            None => Registries::default(),
        };
        let ignores = raw
            .ignores
            .iter()
            .map(|entry| ignore_entry(entry, line_of))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            path,
            fail_on,
            min_release_age,
            registries,
            select,
            ignore,
            severity: severities,
            ignores,
        })
    }

    /// Whether the rule `id` runs under this config: listed in `select` (or no `select`), and not
    /// in `ignore`. The command line's `--select` / `--ignore` are the caller's to combine.
    pub fn rule_enabled(&self, id: &str) -> bool {
        self.select.as_ref().is_none_or(|ids| ids.contains(&id)) && !self.ignore.contains(&id)
    }

    /// The severity `[severity]` gives the rule `id`, if any; it replaces the rule's default.
    pub fn severity_for(&self, id: &str) -> Option<Severity> {
        self.severity.get(id).copied()
    }

    /// The `[[ignores]]` entries, in file order.
    pub fn ignores(&self) -> &[IgnoreEntry] {
        &self.ignores
    }

    /// Removes the findings the `[[ignores]]` entries accept and returns one warning line per
    /// entry that matched nothing (`path:LINE: this ignore matches no finding: ...`).
    ///
    /// A finding is accepted when its rule and server equal an entry's, and its file, relative
    /// to `config_dir` (the directory of the config file), equals the entry's `file` or matches
    /// it as a glob. Report paths may be relative to the working directory or absolute.
    ///
    /// No warning is given for an entry whose rule this config disables, or whose file is not
    /// among `reports` (a run over some files says nothing about the others). Call it with the
    /// final reports, after every rule that will run has run: an entry for a rule left out of
    /// this run (say `young-pinned-version` without `--resolve`) would otherwise be reported as
    /// unused, so a caller that runs a subset of the rules should drop those warnings.
    pub fn apply_ignores(&self, config_dir: &Path, reports: &mut [FileReport]) -> Vec<String> {
        let dir = normalize(config_dir);
        let mut used = vec![false; self.ignores.len()];
        let mut file_seen = vec![false; self.ignores.len()];
        for report in reports.iter_mut() {
            let Some(relative) = relative_to(&dir, &report.source.path) else {
                continue;
            };
            let entries: Vec<usize> = (0..self.ignores.len())
                .filter(|&i| self.ignores[i].matches_file(&relative))
                .collect();
            for &i in &entries {
                file_seen[i] = true;
            }
            report.findings.retain(|located| {
                let finding = &located.finding;
                let hit = entries.iter().copied().find(|&i| {
                    let entry = &self.ignores[i];
                    entry.rule == finding.rule && finding.server.as_deref() == Some(entry.server.as_str())
                });
                if let Some(i) = hit {
                    used[i] = true;
                }
                hit.is_none()
            });
        }
        self.ignores
            .iter()
            .enumerate()
            .filter(|&(i, entry)| !used[i] && file_seen[i] && self.rule_enabled(entry.rule))
            .map(|(_, entry)| {
                format!(
                    "{}:{}: this ignore matches no finding: rule `{}`, file `{}`, server `{}` (remove it if the finding is gone)",
                    self.path.display(),
                    entry.line,
                    entry.rule,
                    entry.file,
                    entry.server
                )
            })
            .collect()
    }
}

/// Finds the project config for `start` (a directory; a file stands for its directory): the
/// nearest `mcp-lint.toml` or `.mcp-lint.toml` in `start` or an ancestor, up to and including
/// the git root (the first directory containing `.git`), or up to the filesystem root outside a
/// repository. Returns the file's path (relative to the working directory when `start` was
/// relative and the file is below it) and its validated contents.
pub fn discover(start: &Path) -> Result<Option<(PathBuf, ProjectConfig)>, ConfigError> {
    let mut dir = normalize(start);
    if dir.is_file()
        && let Some(parent) = dir.parent()
    {
        dir = parent.to_owned();
    }
    for dir in dir.ancestors() {
        let found: Vec<PathBuf> = FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .filter(|path| path.is_file())
            .collect();
        match found.as_slice() {
            [_, _] => return Err(ConfigError::BothFiles { dir: dir.to_owned() }),
            [path] => {
                let path = shown_path(start, path);
                let config = ProjectConfig::load(&path)?;
                return Ok(Some((path, config)));
            }
            _ => {}
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    Ok(None)
}

/// `7d`, `36h`, `90m`, `3600s`, or a bare number of days: the syntax of `--min-release-age`.
pub fn parse_age(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => (&text[..at], &text[at..]),
        None => (text, "d"),
    };
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not an age such as 7d, 36h or 0"))?;
    let seconds = match unit {
        "d" => 86_400,
        "h" => 3_600,
        "m" => 60,
        "s" => 1,
        _ => return Err(format!("`{text}`: the unit must be d, h, m or s")),
    };
    number
        .checked_mul(seconds)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("`{text}` is too long an age"))
}

/// The file format as serde reads it; spans locate the problems validation finds.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    min_release_age: Option<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    registries: Option<Spanned<RawRegistries>>,
    #[serde(default)]
    ignores: Vec<Spanned<RawIgnore>>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawRegistries {
    #[serde(default)]
    npm: Option<Spanned<String>>,
    #[serde(default)]
    pypi: Option<Spanned<String>>,
}

/// Every field is optional here so a missing one gets a message of ours, at the entry.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    #[serde(default)]
    rule: Option<Spanned<String>>,
    #[serde(default)]
    file: Option<Spanned<String>>,
    #[serde(default)]
    server: Option<Spanned<String>>,
    #[serde(default)]
    reason: Option<Spanned<String>>,
}

/// A validation problem, at a byte range of the file when it has one.
struct Problem {
    span: Option<Range<usize>>,
    message: String,
}

impl Problem {
    fn new(span: Option<Range<usize>>, message: impl Into<String>) -> Self {
        Self {
            span,
            message: message.into(),
        }
    }
}

/// toml's message, with serde's "unknown field `x`, expected one of ..." turned into a
/// "did you mean" when one of the expected keys is close.
fn explain_toml_error(message: &str) -> String {
    let message = message.trim();
    if message.starts_with("unknown field") {
        let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
        if let [unknown, expected @ ..] = quoted.as_slice() {
            return match closest(unknown, expected) {
                Some(key) => format!("unknown key `{unknown}`; did you mean `{key}`?"),
                None => format!("unknown key `{unknown}`; the keys here are {}", expected.join(", ")),
            };
        }
    }
    message.to_owned()
}

/// The candidate closest to `text`, if it is close enough to be a slip.
fn closest<'a>(text: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let normalise = |s: &str| s.to_ascii_lowercase().replace('_', "-");
    let text = normalise(text);
    candidates
        .iter()
        .map(|candidate| {
            (
                strsim::normalized_damerau_levenshtein(&text, &normalise(candidate)),
                *candidate,
            )
        })
        .filter(|(similarity, _)| *similarity >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

/// The known rule id `id` names, or an error with a suggestion.
fn rule_id(id: &Spanned<String>) -> Result<&'static str, Problem> {
    if let Some(rule) = rules::by_id(id.get_ref()) {
        return Ok(rule.info().id);
    }
    let ids: Vec<&str> = rules::ALL.iter().map(|rule| rule.info().id).collect();
    let hint = match closest(id.get_ref(), &ids) {
        Some(near) => format!("did you mean `{near}`?"),
        None => "`mcp-lint rules` lists them".to_owned(),
    };
    Err(Problem::new(
        Some(id.span()),
        format!("unknown rule `{}`; {hint}", id.get_ref()),
    ))
}

fn severity(text: &Spanned<String>) -> Result<Severity, Problem> {
    [Severity::Info, Severity::Warning, Severity::Error]
        .into_iter()
        .find(|level| level.name() == text.get_ref())
        .ok_or_else(|| {
            Problem::new(
                Some(text.span()),
                format!("`{}` is not a severity: use info, warning or error", text.get_ref()),
            )
        })
}

fn registry_url(text: &Spanned<String>) -> Result<String, Problem> {
    let problem = |message: String| Problem::new(Some(text.span()), message);
    let value = text.get_ref().trim();
    let url = url::Url::parse(value).map_err(|error| problem(format!("`{value}` is not a URL: {error}")))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(problem(format!("`{value}`: a registry URL starts with https://")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(problem(
            "credentials do not belong in a committed file; put the token in .npmrc or the index URL in the environment (UV_INDEX_URL, PIP_INDEX_URL)".to_owned(),
        ));
    }
    Ok(value.trim_end_matches('/').to_owned())
}

fn ignore_entry(entry: &Spanned<RawIgnore>, line_of: &dyn Fn(usize) -> usize) -> Result<IgnoreEntry, Problem> {
    let raw = entry.get_ref();
    let required = |field: &Option<Spanned<String>>, name: &str| -> Result<Spanned<String>, Problem> {
        field.clone().ok_or_else(|| {
            Problem::new(
                Some(entry.span()),
                format!("this [[ignores]] entry has no `{name}`: each one names a rule, file, server and reason"),
            )
        })
    };
    let rule = rule_id(&required(&raw.rule, "rule")?)?;
    let file = required(&raw.file, "file")?;
    let server = required(&raw.server, "server")?;
    let reason = required(&raw.reason, "reason")?;
    if reason.get_ref().trim().is_empty() {
        return Err(Problem::new(
            Some(reason.span()),
            "`reason` is empty: say why this finding is accepted",
        ));
    }
    if server.get_ref().is_empty() {
        return Err(Problem::new(Some(server.span()), "`server` is empty"));
    }
    let file_text = file.get_ref().replace('\\', "/");
    let file_text = file_text.trim_start_matches("./").to_owned();
    let file_problem = |message: &str| Problem::new(Some(file.span()), message.to_owned());
    if file_text.is_empty() {
        return Err(file_problem("`file` is empty"));
    }
    if file_text.starts_with('/') || Path::new(&file_text).is_absolute() {
        return Err(file_problem(
            "`file` is relative to the directory of this config file, not absolute",
        ));
    }
    if file_text.split('/').any(|part| part == "..") {
        return Err(file_problem(
            "`file` must be inside the directory of this config file (no `..`)",
        ));
    }
    let matcher = GlobBuilder::new(&file_text)
        .literal_separator(true)
        .build()
        .map_err(|error| file_problem(&format!("`{file_text}` is not a valid glob: {}", error.kind())))?
        .compile_matcher();
    Ok(IgnoreEntry {
        rule,
        file: file_text,
        server: server.into_inner(),
        reason: reason.into_inner(),
        line: line_of(entry.span().start),
        matcher,
    })
}

/// `path` made absolute against the working directory, with `.` and `..` resolved lexically
/// (symlinks are left alone, so a path means what it says).
fn normalize(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to the normalized directory `dir`, `/`-separated, if it is inside it.
fn relative_to(dir: &Path, path: &Path) -> Option<String> {
    let path = normalize(path);
    let relative = path.strip_prefix(dir).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// The path to show for a discovered file: relative to the working directory when `start` was
/// relative and the file is below it, absolute otherwise.
fn shown_path(start: &Path, found: &Path) -> PathBuf {
    if start.is_relative()
        && let Ok(cwd) = std::env::current_dir()
        && let Ok(relative) = found.strip_prefix(normalize(&cwd))
    {
        return relative.to_owned();
    }
    found.to_owned()
}

#[cfg(test)]
mod tests {}
