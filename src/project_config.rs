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
use crate::model::facts::{ImagePin, ImagePolicies};
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

/// `[unpinned-image] policies = { "PATTERN" = "digest" | "strict-digest" | "version" | "any" }`.
fn image_policies(raw: &RawImagePolicies) -> Result<ImagePolicies, Problem> {
    let mut pairs = Vec::new();
    for (pattern, policy) in &raw.policies {
        let pin = ImagePin::NAMES
            .iter()
            .find(|(name, _)| name == policy.get_ref())
            .map(|(_, pin)| *pin)
            .ok_or_else(|| {
                let names: Vec<&str> = ImagePin::NAMES.iter().map(|(name, _)| *name).collect();
                Problem::new(
                    Some(policy.span()),
                    format!(
                        "unknown image policy `{}`; expected one of {}",
                        policy.get_ref(),
                        names.join(", ")
                    ),
                )
            })?;
        if pattern.get_ref().contains('@') {
            return Err(Problem::new(
                Some(pattern.span()),
                format!(
                    "`{}`: a policy pattern names images without a digest",
                    pattern.get_ref()
                ),
            ));
        }
        pairs.push((pattern.get_ref().clone(), pin));
        ImagePolicies::new([(pattern.get_ref().clone(), pin)])
            .map_err(|message| Problem::new(Some(pattern.span()), message))?;
    }
    ImagePolicies::new(pairs).map_err(|message| Problem::new(None, message))
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
    /// `[unpinned-image] policies`.
    pub image_policies: ImagePolicies,
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
    pub fn matches_file(&self, relative: &str) -> bool {
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
        let image_policies = match &raw.unpinned_image {
            Some(section) => image_policies(section.get_ref())?,
            None => ImagePolicies::default(),
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
            image_policies,
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
    #[serde(default, rename = "unpinned-image")]
    unpinned_image: Option<Spanned<RawImagePolicies>>,
}

/// `[unpinned-image]`: how each image must be pinned.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawImagePolicies {
    #[serde(default)]
    policies: BTreeMap<Spanned<String>, Spanned<String>>,
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
pub(crate) fn normalize(path: &Path) -> PathBuf {
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
pub(crate) fn relative_to(dir: &Path, path: &Path) -> Option<String> {
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
mod tests {
    use super::*;
    use serde_json::Value;
    use std::fs;

    const SCHEMA: &str = include_str!("../schemas/mcp-lint-config.schema.json");

    fn parse(text: &str) -> Result<ProjectConfig, ConfigError> {
        ProjectConfig::parse(Path::new("mcp-lint.toml"), text)
    }

    fn error(text: &str) -> String {
        parse(text).expect_err("the config is rejected").to_string()
    }

    fn schema() -> Value {
        serde_json::from_str(SCHEMA).expect("the schema is JSON")
    }

    fn schema_accepts(toml_text: &str) -> bool {
        let doc: Value = toml::from_str(toml_text).expect("the test config is TOML");
        jsonschema::validator_for(&schema())
            .expect("the schema compiles")
            .is_valid(&doc)
    }

    fn keys(value: &Value) -> Vec<String> {
        let mut keys: Vec<String> = value.as_object().expect("an object").keys().cloned().collect();
        keys.sort();
        keys
    }

    fn write(path: &Path, text: &str) {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(path, text).expect("write");
    }

    /// The ```toml block of the module documentation.
    fn doc_example() -> String {
        let source = include_str!("project_config.rs");
        source
            .lines()
            .filter_map(|line| line.strip_prefix("//!"))
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .skip_while(|line| *line != "```toml")
            .skip(1)
            .take_while(|line| *line != "```")
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn discover_nearest_wins() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::create_dir(root.join(".git")).expect("mkdir");
        write(&root.join("mcp-lint.toml"), "fail-on = \"error\"\n");
        write(&root.join("sub/.mcp-lint.toml"), "fail-on = \"info\"\n");
        fs::create_dir_all(root.join("sub/deeper")).expect("mkdir");

        let (path, config) = discover(&root.join("sub/deeper")).expect("valid").expect("found");
        assert_eq!(path, root.join("sub/.mcp-lint.toml"));
        assert_eq!(config.fail_on, Some(Severity::Info));
        assert_eq!(config.path, path);

        let (path, config) = discover(root).expect("valid").expect("found");
        assert_eq!(path, root.join("mcp-lint.toml"));
        assert_eq!(config.fail_on, Some(Severity::Error));

        // A file stands for its directory.
        write(&root.join("sub/deeper/mcp.json"), "{}");
        let (path, _) = discover(&root.join("sub/deeper/mcp.json"))
            .expect("valid")
            .expect("found");
        assert_eq!(path, root.join("sub/.mcp-lint.toml"));
    }

    #[test]
    fn discover_stops_at_git_root() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outer = dir.path();
        write(&outer.join("mcp-lint.toml"), "fail-on = \"error\"\n");
        // A repository (`.git` directory) and a worktree (`.git` file) below the config.
        fs::create_dir_all(outer.join("repo/.git")).expect("mkdir");
        fs::create_dir_all(outer.join("repo/src")).expect("mkdir");
        write(&outer.join("worktree/.git"), "gitdir: /elsewhere\n");
        assert!(discover(&outer.join("repo/src")).expect("valid").is_none());
        assert!(discover(&outer.join("repo")).expect("valid").is_none());
        assert!(discover(&outer.join("worktree")).expect("valid").is_none());
        // Without a repository the walk goes on upwards.
        fs::create_dir_all(outer.join("plain/a")).expect("mkdir");
        let (path, _) = discover(&outer.join("plain/a")).expect("valid").expect("found");
        assert_eq!(path, outer.join("mcp-lint.toml"));
        // The git root itself is searched.
        write(&outer.join("repo/mcp-lint.toml"), "");
        let (path, _) = discover(&outer.join("repo/src")).expect("valid").expect("found");
        assert_eq!(path, outer.join("repo/mcp-lint.toml"));
    }

    #[test]
    fn discover_both_files_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::create_dir(root.join(".git")).expect("mkdir");
        write(&root.join("mcp-lint.toml"), "");
        write(&root.join(".mcp-lint.toml"), "");
        fs::create_dir(root.join("sub")).expect("mkdir");
        let error = discover(&root.join("sub")).expect_err("ambiguous");
        assert!(matches!(&error, ConfigError::BothFiles { dir } if dir == root));
        assert!(
            error
                .to_string()
                .contains("both mcp-lint.toml and .mcp-lint.toml are in this directory"),
            "{error}"
        );
    }

    #[test]
    fn discover_reports_an_invalid_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        fs::create_dir(root.join(".git")).expect("mkdir");
        write(&root.join("mcp-lint.toml"), "\nfail-on = \"fatal\"\n");
        let error = discover(root).expect_err("invalid");
        assert_eq!(
            error.to_string(),
            format!(
                "{}:2:11: `fatal` is not a severity: use info, warning or error",
                root.join("mcp-lint.toml").display()
            )
        );
    }

    #[test]
    fn empty_file_changes_nothing() {
        let config = parse("").expect("valid");
        assert!(rules::ALL.iter().all(|rule| config.rule_enabled(rule.info().id)));
        assert_eq!(config.fail_on, None);
        assert_eq!(config.min_release_age, None);
        assert_eq!(config.registries, Registries::default());
        assert!(config.ignores().is_empty());
        assert_eq!(config.severity_for("inline-secret"), None);
    }

    #[test]
    fn doc_example_parses() {
        let config = parse(&doc_example()).expect("the documented example is valid");
        assert!(config.rule_enabled("unpinned-package"));
        assert!(!config.rule_enabled("rbac-gap"), "not selected");
        assert!(!config.rule_enabled("remote-without-auth"), "ignored");
        assert_eq!(config.fail_on, Some(Severity::Error));
        assert_eq!(config.min_release_age, Some(Duration::from_secs(7 * 86_400)));
        assert_eq!(config.severity_for("unpinned-image"), Some(Severity::Error));
        assert_eq!(config.severity_for("inline-secret"), None);
        assert_eq!(
            config.registries,
            Registries {
                npm: Some("https://npm.corp.example".into()),
                pypi: Some("https://pypi.corp.example/simple".into()),
            }
        );
        let [entry] = config.ignores() else {
            panic!("one ignore")
        };
        assert_eq!(
            (entry.rule, entry.file.as_str(), entry.server.as_str(), entry.line),
            ("unpinned-image", ".vscode/mcp.json", "github", 14)
        );
    }

    #[test]
    fn select_and_ignore() {
        let config = parse("ignore = [\"inline-secret\"]\n").expect("valid");
        assert!(!config.rule_enabled("inline-secret"));
        assert!(config.rule_enabled("unpinned-package"));
        let config = parse("select = [\"inline-secret\", \"rbac-gap\"]\nignore = [\"rbac-gap\"]\n").expect("valid");
        assert!(config.rule_enabled("inline-secret"));
        assert!(!config.rule_enabled("rbac-gap"), "ignore wins over select");
        assert!(!config.rule_enabled("unpinned-package"));
        assert_eq!(
            error("select = []\n"),
            "mcp-lint.toml: `select` is empty, so no rule would run; remove it to run every rule"
        );
    }

    #[test]
    fn release_ages() {
        for (text, seconds) in [
            ("7d", 7 * 86_400),
            ("36h", 36 * 3_600),
            ("90m", 5_400),
            ("0", 0),
            ("2", 2 * 86_400),
        ] {
            let config = parse(&format!("min-release-age = \"{text}\"\n")).expect("valid");
            assert_eq!(config.min_release_age, Some(Duration::from_secs(seconds)), "{text}");
        }
        assert_eq!(
            error("min-release-age = \"7w\"\n"),
            "mcp-lint.toml:1:19: `7w`: the unit must be d, h, m or s"
        );
        assert_eq!(
            error("min-release-age = \"soon\"\n"),
            "mcp-lint.toml:1:19: `soon` is not an age such as 7d, 36h or 0"
        );
    }

    #[test]
    fn parse_errors_have_line_and_column() {
        assert_eq!(
            error("select = [\"inline-secret\"]\nfail-on = \n"),
            "mcp-lint.toml:2:11: string values must be quoted, expected literal string"
        );
        let message = error("fail-on = \"error\"\nfail-on = \"info\"\n");
        assert!(message.starts_with("mcp-lint.toml:2:1: "), "{message}");
        let message = error("select = \"inline-secret\"\n");
        assert!(message.starts_with("mcp-lint.toml:1:10: invalid type"), "{message}");
    }

    #[test]
    fn unknown_keys_are_errors_with_suggestions() {
        assert_eq!(
            error("\nselct = [\"inline-secret\"]\n"),
            "mcp-lint.toml:2:1: unknown key `selct`; did you mean `select`?"
        );
        assert_eq!(
            error("fail_on = \"error\"\n"),
            "mcp-lint.toml:1:1: unknown key `fail_on`; did you mean `fail-on`?"
        );
        assert_eq!(
            error("[registries]\nnpn = \"https://npm.example\"\n"),
            "mcp-lint.toml:2:1: unknown key `npn`; did you mean `npm`?"
        );
        let message = error("[[ignores]]\nrule = \"inline-secret\"\nline = 3\n");
        assert!(
            message.starts_with("mcp-lint.toml:3:1: unknown key `line`; the keys here are rule, file, server, reason"),
            "{message}"
        );
    }

    #[test]
    fn unknown_rule_with_suggestion() {
        assert_eq!(
            error("select = [\"inline-secret\", \"unpinned-pakage\"]\n"),
            "mcp-lint.toml:1:28: unknown rule `unpinned-pakage`; did you mean `unpinned-package`?"
        );
        assert_eq!(
            error("ignore = [\"unpinned_image\"]\n"),
            "mcp-lint.toml:1:11: unknown rule `unpinned_image`; did you mean `unpinned-image`?"
        );
        assert_eq!(
            error("[severity]\nmissing-tool-allowlst = \"error\"\n"),
            "mcp-lint.toml:2:1: unknown rule `missing-tool-allowlst`; did you mean `missing-tool-allowlist`?"
        );
        assert_eq!(
            error("ignore = [\"everything\"]\n"),
            "mcp-lint.toml:1:11: unknown rule `everything`; `mcp-lint rules` lists them"
        );
        let message =
            error("[[ignores]]\nrule = \"inline-secrets\"\nfile = \"a.json\"\nserver = \"a\"\nreason = \"b\"\n");
        assert_eq!(
            message,
            "mcp-lint.toml:2:8: unknown rule `inline-secrets`; did you mean `inline-secret`?"
        );
    }

    #[test]
    fn severities_must_parse() {
        let config =
            parse("fail-on = \"info\"\n[severity]\nrbac-gap = \"info\"\ninline-secret = \"warning\"\n").expect("valid");
        assert_eq!(config.fail_on, Some(Severity::Info));
        assert_eq!(config.severity_for("rbac-gap"), Some(Severity::Info));
        assert_eq!(config.severity_for("inline-secret"), Some(Severity::Warning));
        assert_eq!(
            error("[severity]\nrbac-gap = \"Error\"\n"),
            "mcp-lint.toml:2:12: `Error` is not a severity: use info, warning or error"
        );
        assert_eq!(
            error("fail-on = \"never\"\n"),
            "mcp-lint.toml:1:11: `never` is not a severity: use info, warning or error"
        );
    }

    #[test]
    fn image_policies_pick_the_name_then_the_longest_glob_then_star() {
        let config = parse(
            "[unpinned-image]\npolicies = { \"*\" = \"strict-digest\", \"ghcr.io/acme/*\" = \"version\", \"ghcr.io/acme/tools\" = \"any\", \"hashicorp/*\" = \"version\" }\n",
        )
        .expect("valid");
        let policies = &config.image_policies;
        assert_eq!(policies.for_image("ghcr.io/acme/tools"), ImagePin::Any);
        assert_eq!(policies.for_image("ghcr.io/acme/fetch"), ImagePin::Version);
        // `*` stays within one path segment, except as the whole pattern.
        assert_eq!(policies.for_image("ghcr.io/acme/team/fetch"), ImagePin::StrictDigest);
        assert_eq!(policies.for_image("hashicorp/terraform-mcp-server"), ImagePin::Version);
        assert_eq!(policies.for_image("mcp/fetch"), ImagePin::StrictDigest);
        assert_eq!(
            parse("").expect("valid").image_policies.for_image("mcp/fetch"),
            ImagePin::Digest
        );
        assert_eq!(
            error("[unpinned-image]\npolicies = { \"*\" = \"tag\" }\n"),
            "mcp-lint.toml:2:20: unknown image policy `tag`; expected one of digest, strict-digest, version, any"
        );
        assert_eq!(
            error("[unpinned-image]\npolicies = { \"mcp/fetch@sha256\" = \"any\" }\n"),
            "mcp-lint.toml:2:14: `mcp/fetch@sha256`: a policy pattern names images without a digest"
        );
        assert!(error("[unpinned-image]\npolicy = \"any\"\n").contains("unknown"));
    }

    #[test]
    fn ignore_without_reason_rejected() {
        let entry = "[[ignores]]\nrule = \"unpinned-image\"\nfile = \".vscode/mcp.json\"\nserver = \"github\"\n";
        let message = error(entry);
        assert!(
            message.starts_with("mcp-lint.toml:1:1: this [[ignores]] entry has no `reason`"),
            "{message}"
        );
        assert_eq!(
            error(&format!("{entry}reason = \"  \"\n")),
            "mcp-lint.toml:5:10: `reason` is empty: say why this finding is accepted"
        );
        let message = error("[[ignores]]\nrule = \"unpinned-image\"\nfile = \"a.json\"\nreason = \"r\"\n");
        assert!(message.contains("has no `server`"), "{message}");
        let message = error(&format!("{entry}reason = \"r\"\nline = 4\n"));
        assert!(message.contains("unknown key `line`"), "{message}");
    }

    #[test]
    fn ignore_files_are_relative_paths_or_globs() {
        let with_file = |file: &str| {
            format!("[[ignores]]\nrule = \"inline-secret\"\nfile = \"{file}\"\nserver = \"s\"\nreason = \"r\"\n")
        };
        assert_eq!(
            error(&with_file("/etc/mcp.json")),
            "mcp-lint.toml:3:8: `file` is relative to the directory of this config file, not absolute"
        );
        assert_eq!(
            error(&with_file("../mcp.json")),
            "mcp-lint.toml:3:8: `file` must be inside the directory of this config file (no `..`)"
        );
        let message = error(&with_file("configs/[a.json"));
        assert!(
            message.starts_with("mcp-lint.toml:3:8: `configs/[a.json` is not a valid glob"),
            "{message}"
        );
        let config = parse(&with_file("./configs/**/*.json")).expect("valid");
        let entry = &config.ignores()[0];
        assert_eq!(entry.file, "configs/**/*.json");
        assert!(entry.matches_file("configs/a.json"));
        assert!(entry.matches_file("configs/x/y/a.json"));
        assert!(!entry.matches_file("other/a.json"));
        let config = parse(&with_file("*.json")).expect("valid");
        assert!(config.ignores()[0].matches_file("mcp.json"));
        assert!(
            !config.ignores()[0].matches_file(".vscode/mcp.json"),
            "* stays in one directory"
        );
    }

    #[test]
    fn registries_are_urls_without_credentials() {
        assert_eq!(
            error("[registries]\nnpm = \"https://user:token@npm.example/\"\n"),
            "mcp-lint.toml:2:7: credentials do not belong in a committed file; put the token in .npmrc or the index URL in the environment (UV_INDEX_URL, PIP_INDEX_URL)"
        );
        assert_eq!(
            error("[registries]\npypi = \"ftp://pypi.example/simple\"\n"),
            "mcp-lint.toml:2:8: `ftp://pypi.example/simple`: a registry URL starts with https://"
        );
        let message = error("[registries]\nnpm = \"npm.example\"\n");
        assert!(
            message.starts_with("mcp-lint.toml:2:7: `npm.example` is not a URL"),
            "{message}"
        );
    }

    #[test]
    fn relative_report_paths_resolve_against_the_working_directory() {
        let dir = normalize(Path::new("some/project"));
        assert_eq!(
            relative_to(&dir, Path::new("./some/project/.vscode/../mcp.json")).as_deref(),
            Some("mcp.json")
        );
        assert_eq!(relative_to(&dir, Path::new("some/other/mcp.json")), None);
    }

    #[test]
    fn schema_rule_enums_match_rules_all() {
        let schema = schema();
        let ids: Vec<Value> = rules::ALL.iter().map(|rule| Value::from(rule.info().id)).collect();
        assert_eq!(
            schema["definitions"]["rule"]["enum"].as_array().expect("rule enum"),
            &ids,
            "definitions.rule.enum must list rules::ALL's ids, in order"
        );
        let mut sorted: Vec<String> = ids.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
        sorted.sort();
        assert_eq!(keys(&schema["properties"]["severity"]["properties"]), sorted);
        let rule_ref = Value::from("#/definitions/rule");
        assert_eq!(schema["properties"]["select"]["items"]["$ref"], rule_ref);
        assert_eq!(schema["properties"]["ignore"]["items"]["$ref"], rule_ref);
        assert_eq!(schema["definitions"]["ignore"]["properties"]["rule"]["$ref"], rule_ref);
        let severities: Vec<Value> = [Severity::Info, Severity::Warning, Severity::Error]
            .iter()
            .map(|s| Value::from(s.name()))
            .collect();
        assert_eq!(
            schema["definitions"]["severity"]["enum"]
                .as_array()
                .expect("severity enum"),
            &severities
        );
    }

    /// Every field of the serde structs, set: the schema's properties are exactly these keys,
    /// the schema accepts it, and so does the parser after a round trip through TOML.
    #[test]
    fn schema_properties_match_the_structs() {
        let s = |text: &str| Spanned::new(0..0, text.to_owned());
        // A struct literal, so a new field fails to compile here until the test covers it.
        let full = RawConfig {
            select: Some(vec![s("unpinned-package"), s("inline-secret")]),
            ignore: vec![s("rbac-gap")],
            fail_on: Some(s("error")),
            min_release_age: Some(s("36h")),
            severity: BTreeMap::from([(s("inline-secret"), s("error"))]),
            registries: Some(Spanned::new(
                0..0,
                RawRegistries {
                    npm: Some(s("https://npm.corp.example/")),
                    pypi: Some(s("https://pypi.corp.example/simple")),
                },
            )),
            ignores: vec![Spanned::new(
                0..0,
                RawIgnore {
                    rule: Some(s("unpinned-image")),
                    file: Some(s(".vscode/mcp.json")),
                    server: Some(s("github")),
                    reason: Some(s("pinned elsewhere")),
                },
            )],
            unpinned_image: Some(Spanned::new(
                0..0,
                RawImagePolicies {
                    policies: BTreeMap::from([(s("ghcr.io/acme/*"), s("version"))]),
                },
            )),
        };
        let json = serde_json::to_value(&full).expect("serializes");
        let schema = schema();
        assert_eq!(keys(&json), keys(&schema["properties"]), "top-level keys");
        assert_eq!(
            keys(&json["registries"]),
            keys(&schema["properties"]["registries"]["properties"]),
            "[registries] keys"
        );
        assert_eq!(
            keys(&json["ignores"][0]),
            keys(&schema["definitions"]["ignore"]["properties"]),
            "[[ignores]] keys"
        );
        assert_eq!(
            keys(&json["unpinned-image"]),
            keys(&schema["properties"]["unpinned-image"]["properties"]),
            "[unpinned-image] keys"
        );
        let mut required: Vec<String> = schema["definitions"]["ignore"]["required"]
            .as_array()
            .expect("required")
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        required.sort();
        assert_eq!(required, keys(&json["ignores"][0]), "every [[ignores]] key is required");
        let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
        let errors: Vec<String> = validator.iter_errors(&json).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        let text = toml::to_string(&full).expect("serializes as TOML");
        parse(&text).expect("the parser accepts what the schema accepts");
    }

    /// Accepted and rejected configs: the parser and the schema give the same verdict.
    #[test]
    fn parser_and_schema_agree() {
        let entry = "[[ignores]]\nrule = \"inline-secret\"\nfile = \"mcp.json\"\nserver = \"s\"\nreason = \"r\"\n";
        let cases: Vec<(String, bool)> = vec![
            (doc_example(), true),
            (String::new(), true),
            (entry.to_owned(), true),
            ("min-release-age = \"0\"\n".into(), true),
            ("selct = [\"inline-secret\"]\n".into(), false),
            (
                "[registries]\nnpm = \"https://npm.example\"\ncargo = \"https://x.example\"\n".into(),
                false,
            ),
            (format!("{entry}line = 3\n"), false),
            ("[severity]\nnot-a-rule = \"error\"\n".into(), false),
            ("[severity]\nrbac-gap = \"fatal\"\n".into(), false),
            ("select = [\"unpinned-pakage\"]\n".into(), false),
            ("select = []\n".into(), false),
            ("ignore = [\"nope\"]\n".into(), false),
            ("fail-on = \"never\"\n".into(), false),
            ("min-release-age = \"7w\"\n".into(), false),
            (entry.replace("reason = \"r\"", "reason = \" \""), false),
            (entry.replace("server = \"s\"\n", ""), false),
            (entry.replace("rule = \"inline-secret\"", "rule = \"secrets\""), false),
            (
                "[registries]\npypi = \"https://u:p@pypi.example/simple\"\n".into(),
                false,
            ),
        ];
        for (text, valid) in cases {
            assert_eq!(parse(&text).is_ok(), valid, "parser on:\n{text}");
            assert_eq!(schema_accepts(&text), valid, "schema on:\n{text}");
        }
    }
}
