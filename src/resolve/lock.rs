//! The lockfile beside a config (`mcp-lint.lock`): what was pinned and the digests that were
//! verified by downloading each artifact. Sorted and stable, so that it diffs well in review.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::Artifact;
use crate::model::Ecosystem;
use crate::model::tools::{ToolDefinition, ToolListing, canonical_json};
use crate::poison::{Json, ToolText};

pub const LOCK_FILE: &str = "mcp-lint.lock";
const VERSION: u32 = 1;
const HEADER: &str = "# mcp-lint.lock: the exact versions mcp-lint pinned in the configs beside it, and the digests it\n\
# verified by downloading every artifact. Written by `mcp-lint --fix --unsafe-fixes`; checked by\n\
# `mcp-lint check --locked` and re-verified by `mcp-lint verify`. Its [[server]] entries are the\n\
# tools `mcp-lint probe` saw each server expose, compared again by `mcp-lint probe --check`.\n\
# Commit it with the configs.\n\n";

#[derive(Debug, Error)]
pub enum LockError {
    #[error("{path}: cannot read the lockfile: {message}")]
    Read { path: PathBuf, message: String },
    #[error("{path}: the lockfile is not valid: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{path}: lockfile version {found} is newer than this mcp-lint understands ({VERSION})")]
    Version { path: PathBuf, found: u32 },
    #[error("{path}: cannot write the lockfile: {message}")]
    Write { path: PathBuf, message: String },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lock {
    pub version: u32,
    #[serde(default, rename = "package", skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<LockedPackage>,
    #[serde(default, rename = "image", skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<LockedImage>,
    /// What `mcp-lint probe` saw each server expose.
    #[serde(default, rename = "server", skip_serializing_if = "Vec::is_empty")]
    pub servers: Vec<LockedServer>,
}

impl Default for Lock {
    fn default() -> Self {
        Self {
            version: VERSION,
            packages: Vec::new(),
            images: Vec::new(),
            servers: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedPackage {
    /// `npm` or `pypi`.
    pub ecosystem: String,
    pub name: String,
    pub version: String,
    /// When it was resolved and verified (RFC 3339).
    pub resolved: String,
    pub artifacts: Vec<LockedArtifact>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LockedArtifact {
    pub url: String,
    pub digest: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedImage {
    /// `registry/repository`, as resolved (Docker Hub short names expanded).
    pub name: String,
    pub tag: String,
    /// `sha256:<hex>` of the manifest (the index, for a multi-arch image).
    pub digest: String,
    pub resolved: String,
}

/// One server's tools as `probe` saw them: what `probe --check` compares a new answer with, and
/// the descriptions `check` reads for hidden instructions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedServer {
    /// The config file beside the lock that defines the server, and the server's name in it.
    pub config: String,
    pub name: String,
    /// The MCP protocol version the server answered with.
    pub protocol: String,
    /// `serverInfo` of its `initialize` answer.
    pub server_name: String,
    pub server_version: String,
    /// When it was probed (RFC 3339).
    pub probed: String,
    /// sha256 of the sorted list of its tools' names and digests.
    pub tools_digest: String,
    #[serde(default, rename = "tool", skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<LockedTool>,
}

/// One tool's definition. `annotations` and `input_schema` are canonical JSON (sorted keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedTool {
    pub name: String,
    /// sha256 of the canonical definition (name, description, inputSchema, annotations).
    pub digest: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub input_schema: String,
}

impl LockedServer {
    pub fn new(config: String, name: String, listing: &ToolListing, probed: String) -> Self {
        Self {
            config,
            name,
            protocol: listing.protocol_version.clone(),
            server_name: listing.server_name.clone(),
            server_version: listing.server_version.clone(),
            probed,
            tools_digest: listing.tools_digest.clone(),
            tools: sorted_by_name(&listing.tools)
                .into_iter()
                .map(|tool| LockedTool {
                    name: tool.name.clone(),
                    digest: tool.digest.clone(),
                    annotations: tool.annotations.as_ref().map(canonical_json),
                    description: tool.description.clone(),
                    input_schema: canonical_json(&tool.input_schema),
                })
                .collect(),
        }
    }

    /// The recorded listing. A tool whose JSON no longer parses (a hand-edited lock) keeps its
    /// recorded digest, so it shows as changed rather than vanishing.
    pub fn listing(&self) -> ToolListing {
        let parse = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap_or(serde_json::Value::Null);
        ToolListing {
            protocol_version: self.protocol.clone(),
            server_name: self.server_name.clone(),
            server_version: self.server_version.clone(),
            tools: self
                .tools
                .iter()
                .map(|tool| ToolDefinition {
                    name: tool.name.clone(),
                    description: tool.description.clone(),
                    input_schema: parse(&tool.input_schema),
                    annotations: tool.annotations.as_deref().map(parse),
                    digest: tool.digest.clone(),
                })
                .collect(),
            tools_digest: self.tools_digest.clone(),
        }
    }
}

/// The tools in name order: the lock diffs by tool, whatever order the server lists them in.
fn sorted_by_name(tools: &[ToolDefinition]) -> Vec<&ToolDefinition> {
    let mut sorted: Vec<&ToolDefinition> = tools.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    sorted
}

/// Now, to the second, as the lock writes its `resolved` and `probed` times (RFC 3339).
pub fn timestamp_now() -> String {
    let now = jiff::Timestamp::now();
    now.round(jiff::Unit::Second).unwrap_or(now).to_string()
}

pub fn ecosystem_name(ecosystem: Ecosystem) -> &'static str {
    match ecosystem {
        Ecosystem::Npm => "npm",
        Ecosystem::PyPi => "pypi",
        Ecosystem::Oci => "oci",
        Ecosystem::Jsr => "jsr",
    }
}

impl LockedArtifact {
    pub fn artifact(&self) -> Artifact {
        Artifact {
            url: self.url.clone(),
            digest: self.digest.clone(),
        }
    }
}

impl Lock {
    pub fn path_for(dir: &Path) -> PathBuf {
        dir.join(LOCK_FILE)
    }

    /// The lock in `dir`, or None when there is none.
    pub fn load(dir: &Path) -> Result<Option<Lock>, LockError> {
        let path = Self::path_for(dir);
        let text = match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(LockError::Read {
                    path,
                    message: e.to_string(),
                });
            }
        };
        Self::parse(&path, &text).map(Some)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Lock, LockError> {
        // A lock of thousands of probed tools is megabytes of TOML.
        const MIN_PART: usize = 1 << 20;
        let parts = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(text.len() / MIN_PART);
        let parsed = match parse_in_parts(text, parts) {
            Some(lock) => Ok(lock),
            None => toml::from_str(text),
        };
        let lock: Lock = parsed.map_err(|e| LockError::Invalid {
            path: path.to_owned(),
            message: e.message().to_owned(),
        })?;
        if lock.version > VERSION {
            return Err(LockError::Version {
                path: path.to_owned(),
                found: lock.version,
            });
        }
        Ok(lock)
    }

    pub fn package(&self, ecosystem: Ecosystem, name: &str, version: &str) -> Option<&LockedPackage> {
        let ecosystem = ecosystem_name(ecosystem);
        self.packages
            .iter()
            .find(|p| p.ecosystem == ecosystem && p.name == name && p.version == version)
    }

    /// Adds or replaces a package entry; an unchanged entry keeps its `resolved` time.
    pub fn upsert_package(&mut self, mut entry: LockedPackage) {
        entry.artifacts.sort();
        entry.artifacts.dedup();
        match self
            .packages
            .iter_mut()
            .find(|p| p.ecosystem == entry.ecosystem && p.name == entry.name && p.version == entry.version)
        {
            Some(existing) if existing.artifacts == entry.artifacts => {}
            Some(existing) => *existing = entry,
            None => self.packages.push(entry),
        }
        self.sort();
    }

    pub fn upsert_image(&mut self, entry: LockedImage) {
        match self
            .images
            .iter_mut()
            .find(|i| i.name == entry.name && i.tag == entry.tag)
        {
            Some(existing) if existing.digest == entry.digest => {}
            Some(existing) => *existing = entry,
            None => self.images.push(entry),
        }
        self.sort();
    }

    /// Adds or replaces what probe saw of one server; an unchanged listing keeps its `probed`.
    pub fn upsert_server(&mut self, entry: LockedServer) {
        match self
            .servers
            .iter_mut()
            .find(|s| s.config == entry.config && s.name == entry.name)
        {
            Some(existing)
                if LockedServer {
                    probed: entry.probed.clone(),
                    ..existing.clone()
                } == entry => {}
            Some(existing) => *existing = entry,
            None => self.servers.push(entry),
        }
        self.sort();
    }

    /// What probe recorded of the server `name` of the config file `config` beside the lock.
    pub fn server(&self, config: &str, name: &str) -> Option<&LockedServer> {
        self.servers.iter().find(|s| s.config == config && s.name == name)
    }

    fn sort(&mut self) {
        self.packages.sort_by(|a, b| {
            (a.ecosystem.as_str(), a.name.as_str(), a.version.as_str()).cmp(&(
                b.ecosystem.as_str(),
                b.name.as_str(),
                b.version.as_str(),
            ))
        });
        self.images
            .sort_by(|a, b| (a.name.as_str(), a.tag.as_str()).cmp(&(b.name.as_str(), b.tag.as_str())));
        self.servers
            .sort_by(|a, b| (a.config.as_str(), a.name.as_str()).cmp(&(b.config.as_str(), b.name.as_str())));
    }

    pub fn render(&self) -> String {
        let mut lock = self.clone();
        lock.version = VERSION;
        lock.sort();
        let body = toml::to_string_pretty(&lock).unwrap_or_default();
        format!("{HEADER}{body}")
    }

    /// Writes the lock into `dir` atomically, only when its text changed.
    pub fn save(&self, dir: &Path) -> Result<bool, LockError> {
        let path = Self::path_for(dir);
        let text = self.render();
        if fs::read_to_string(&path).is_ok_and(|old| old == text) {
            return Ok(false);
        }
        let write_error = |e: std::io::Error| LockError::Write {
            path: path.clone(),
            message: e.to_string(),
        };
        let mut file = tempfile::NamedTempFile::new_in(dir).map_err(write_error)?;
        file.write_all(text.as_bytes()).map_err(write_error)?;
        file.as_file().sync_all().map_err(write_error)?;
        file.persist(&path).map_err(|e| write_error(e.error))?;
        Ok(true)
    }
}

/// The lock parsed in `parts` on as many threads: cut before `[[server]]` headers, each part
/// parsed alone, the servers joined in order. None for fewer than two parts, or when any part
/// fails or holds more than servers; then the whole text is parsed at once (and its errors
/// located in the whole file).
///
/// A cut can only fall on a real header: a `[[server]]` line inside a multi-line string leaves
/// the part before it with an unclosed string, which fails. TOML has no other construct that
/// spans lines.
fn parse_in_parts(text: &str, parts: usize) -> Option<Lock> {
    const HEADER: &str = "\n[[server]]\n";
    if parts < 2 {
        return None;
    }
    let mut cuts = vec![0];
    for part in 1..parts {
        let from = (text.len() * part / parts).max(*cuts.last()?);
        if let Some(found) = text[from..].find(HEADER) {
            cuts.push(from + found + 1);
        }
    }
    cuts.push(text.len());
    cuts.dedup();
    /// What a part after the first may hold: servers only.
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Servers {
        server: Vec<LockedServer>,
    }
    // Each part must hold exactly one server per header line: an inline `server = [...]` (an
    // error beside `[[server]]` headers, which the parts alone would not see) or a header line
    // inside a string falls back to the whole parse.
    let headers = |part: &str| part.lines().filter(|line| *line == "[[server]]").count();
    std::thread::scope(|scope| {
        let rest: Vec<_> = cuts[1..]
            .windows(2)
            .map(|cut| {
                let part = &text[cut[0]..cut[1]];
                scope.spawn(move || {
                    toml::from_str::<Servers>(part)
                        .ok()
                        .filter(|parsed| parsed.server.len() == headers(part))
                })
            })
            .collect();
        let first = &text[..cuts[1]];
        // The first part holds a header too, so that an inline `server` there is a TOML error.
        let mut lock: Lock = toml::from_str(first)
            .ok()
            .filter(|lock: &Lock| lock.servers.len() == headers(first) && headers(first) > 0)?;
        for part in rest {
            lock.servers.extend(part.join().ok()??.server);
        }
        Some(lock)
    })
}

impl crate::rules::RecordedTools for Lock {
    fn recorded(&self, config: &str, server: &str) -> Option<ToolListing> {
        self.server(config, server).map(LockedServer::listing)
    }

    fn recorded_texts(&self, config: &str, server: &str) -> Option<Vec<ToolText<'_>>> {
        let server = self.server(config, server)?;
        Some(
            server
                .tools
                .iter()
                .map(|tool| ToolText {
                    name: &tool.name,
                    description: tool.description.as_deref(),
                    input_schema: Json::Text(&tool.input_schema),
                    annotations: tool.annotations.as_deref().map(Json::Text),
                })
                .collect(),
        )
    }
}

impl crate::rules::LockFacts for Lock {
    fn has_package(&self, ecosystem: Ecosystem, name: &str, version: &str) -> bool {
        self.package(ecosystem, name, version).is_some()
    }

    fn versions(&self, ecosystem: Ecosystem, name: &str) -> Vec<&str> {
        let ecosystem = ecosystem_name(ecosystem);
        self.packages
            .iter()
            .filter(|p| p.ecosystem == ecosystem && p.name == name)
            .map(|p| p.version.as_str())
            .collect()
    }

    fn image_name(&self, image: &str) -> String {
        super::oci::locked_name(image)
    }

    fn has_image(&self, name: &str, digest: &str) -> bool {
        self.images.iter().any(|i| i.name == name && i.digest == digest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(name: &str, version: &str, digest: &str) -> LockedPackage {
        LockedPackage {
            ecosystem: "npm".into(),
            name: name.into(),
            version: version.into(),
            resolved: "2026-12-01T00:00:00Z".into(),
            artifacts: vec![LockedArtifact {
                url: format!("https://r.test/{name}-{version}.tgz"),
                digest: digest.into(),
            }],
        }
    }

    #[test]
    fn sorted_stable_and_round_trips() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut lock = Lock::default();
        lock.upsert_package(package("zod-mcp", "1.0.0", "sha512-b"));
        lock.upsert_package(package("@a/mcp", "2.0.0", "sha512-a"));
        lock.upsert_image(LockedImage {
            name: "ghcr.io/github/github-mcp-server".into(),
            tag: "v0.9.0".into(),
            digest: "sha256:00".into(),
            resolved: "2026-12-01T00:00:00Z".into(),
        });
        assert!(lock.save(dir.path()).expect("saved"));
        assert!(
            !lock.save(dir.path()).expect("saved"),
            "an unchanged lock is not rewritten"
        );
        let loaded = Lock::load(dir.path()).expect("loads").expect("present");
        assert_eq!(loaded, lock);
        assert_eq!(loaded.packages[0].name, "@a/mcp");
        let text = fs::read_to_string(dir.path().join(LOCK_FILE)).expect("read");
        assert!(text.starts_with("# mcp-lint.lock"));

        // Re-resolving the same digests keeps the old time, so the file does not churn.
        let mut again = package("zod-mcp", "1.0.0", "sha512-b");
        again.resolved = "2027-01-01T00:00:00Z".into();
        lock.upsert_package(again);
        assert_eq!(lock.render(), text);
    }

    #[test]
    fn bad_locks_are_clear_errors() {
        let path = Path::new("mcp-lint.lock");
        assert!(matches!(
            Lock::parse(path, "version = "),
            Err(LockError::Invalid { .. })
        ));
        assert!(matches!(
            Lock::parse(path, "version = 9"),
            Err(LockError::Version { found: 9, .. })
        ));
        assert_eq!(Lock::load(Path::new("/nonexistent-dir")).ok(), Some(None));
    }
}

#[cfg(test)]
mod server_tests {
    use serde_json::json;

    use super::*;
    use crate::model::tools::list_digest;

    /// The listing of server `s` 1.0.0 that lists `tools`.
    pub(super) fn listing_of(tools: Vec<ToolDefinition>) -> ToolListing {
        ToolListing {
            protocol_version: "2025-06-18".into(),
            server_name: "s".into(),
            server_version: "1.0.0".into(),
            tools_digest: list_digest(&tools),
            tools,
        }
    }

    #[test]
    fn a_recorded_listing_reads_back_with_the_same_digests() {
        let tools: Vec<ToolDefinition> = [
            json!({"name": "write", "description": "Writes.", "inputSchema": {"type": "object"}, "annotations": {"destructiveHint": true}}),
            json!({"name": "read", "inputSchema": {"type": "object", "properties": {"p": {"type": "string"}}}, "annotations": {"readOnlyHint": true, "title": null}}),
        ]
        .iter()
        .filter_map(ToolDefinition::from_listing)
        .collect();
        let listing = listing_of(tools);
        let entry = LockedServer::new(".mcp.json".into(), "s".into(), &listing, "2026-12-06T00:00:00Z".into());
        let mut lock = Lock::default();
        lock.upsert_server(entry.clone());
        let text = lock.render();
        let read = Lock::parse(Path::new("mcp-lint.lock"), &text).expect("parses");
        let back = read.server(".mcp.json", "s").expect("recorded").listing();
        assert_eq!(back.tools_digest, listing.tools_digest);
        for tool in &back.tools {
            let original = listing.tool(&tool.name).expect("same tools");
            assert_eq!(tool.definition(), original.definition(), "{}", tool.name);
            let recomputed = ToolDefinition::from_listing(&tool.definition()).expect("tool");
            assert_eq!(recomputed.digest, tool.digest, "{}", tool.name);
        }
        assert_eq!(back.tools[0].name, "read", "recorded in name order");
        // Probing again with nothing changed keeps the first probe time.
        lock.upsert_server(LockedServer {
            probed: "2026-12-07T00:00:00Z".into(),
            ..entry
        });
        assert_eq!(lock.servers[0].probed, "2026-12-06T00:00:00Z");
    }
}

#[cfg(test)]
mod parts_tests {
    use serde_json::json;

    use super::*;

    /// A lock with a package and `servers` probed servers; with `forged`, the middle one's
    /// description holds a `[[server]]` line of its own.
    fn lock(servers: usize, forged: bool) -> Lock {
        let mut lock = Lock::default();
        lock.upsert_package(LockedPackage {
            ecosystem: "npm".into(),
            name: "p".into(),
            version: "1.0.0".into(),
            resolved: "2026-12-01T00:00:00Z".into(),
            artifacts: Vec::new(),
        });
        for index in 0..servers {
            let description = if forged && index == servers / 2 {
                "Reads.\n[[server]]\nname = \"forged\"\n".to_owned()
            } else {
                format!("Reads item {index}.\nWith a second line.")
            };
            let tools: Vec<ToolDefinition> =
                [json!({"name": "read", "description": description, "inputSchema": {"type": "object"}})]
                    .iter()
                    .filter_map(ToolDefinition::from_listing)
                    .collect();
            let listing = super::server_tests::listing_of(tools);
            lock.upsert_server(LockedServer::new(
                ".mcp.json".into(),
                format!("s{index:03}"),
                &listing,
                "2026-12-06T00:00:00Z".into(),
            ));
        }
        lock
    }

    #[test]
    fn a_lock_read_in_parts_is_the_lock_read_whole() {
        let lock = lock(40, false);
        let text = lock.render();
        for parts in 2..6 {
            assert_eq!(parse_in_parts(&text, parts), Some(lock.clone()), "{parts} parts");
        }
        assert_eq!(parse_in_parts(&text, 1), None, "one part is the whole parse");
    }

    /// A header line inside a multi-line string (wherever the cuts fall), or a part that holds
    /// more than its headers say, sends the text to the whole parse, which judges it.
    #[test]
    fn a_doubtful_cut_falls_back_to_the_whole_parse() {
        for servers in [2, 3, 40] {
            let lock = lock(servers, true);
            let text = lock.render();
            for parts in 2..6 {
                assert_eq!(parse_in_parts(&text, parts), None, "{servers} servers, {parts} parts");
            }
            assert_eq!(Lock::parse(Path::new("mcp-lint.lock"), &text).expect("valid"), lock);
        }
        // An inline array beside the headers is invalid TOML: the parts must not accept it.
        let text = lock(40, false).render();
        let inline = text.replacen("version = 1\n", "version = 1\nserver = []\n", 1);
        assert!(toml::from_str::<Lock>(&inline).is_err());
        assert_eq!(parse_in_parts(&inline, 3), None);
        assert!(Lock::parse(Path::new("mcp-lint.lock"), &inline).is_err());
    }
}
