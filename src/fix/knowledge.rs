//! The declarative knowledge fixes consume, embedded from `fixers/`: the tools of known servers
//! (classed read / write / destructive) and each client's recipe for a deny-until-filled allowlist.

use std::sync::OnceLock;

use thiserror::Error;
use toml_edit::{Document, Item};

use crate::dialect::Dialect;
use crate::model::launcher::Ecosystem;

include!(concat!(env!("OUT_DIR"), "/known_servers.rs"));

/// What a tool can do, from the server's own source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolClass {
    /// Only reads.
    Read,
    /// Creates or changes state, or sends data out.
    Write,
    /// Deletes, overwrites irreversibly, or runs arbitrary code.
    Destructive,
}

impl ToolClass {
    pub fn name(self) -> &'static str {
        match self {
            ToolClass::Read => "read",
            ToolClass::Write => "write",
            ToolClass::Destructive => "destructive",
        }
    }
}

/// One known server package and the tools it exposes.
#[derive(Debug, Clone, PartialEq)]
pub struct KnownServer {
    pub package: String,
    /// Npm or PyPi.
    pub ecosystem: Ecosystem,
    pub version: String,
    pub source: String,
    /// Every tool any catalogued release has, with its class.
    pub tools: Vec<(String, ToolClass)>,
    /// The releases `tools/catalogue.py` probed, grouped by identical tool lists.
    pub releases: Vec<Release>,
    /// `[flows]`: each tool's part in a toxic flow, from the server's own source and docs; None
    /// when the file has no such table (then a probed tool's definition decides).
    pub flows: Option<Vec<(String, crate::model::flows::Roles)>>,
}

/// A run of releases that list the same tools: every version from `from` to `to` (inclusive, in
/// the ecosystem's order) is taken to list `tools`, as the probed ones did.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub from: String,
    pub to: String,
    /// The versions that were launched and asked.
    pub probed: Vec<String>,
    pub tools: Vec<String>,
}

impl Release {
    /// `1.2.0` or `1.0.0 - 1.2.0`.
    pub fn range(&self) -> String {
        if self.from == self.to {
            self.from.clone()
        } else {
            format!("{} - {}", self.from, self.to)
        }
    }
}

impl KnownServer {
    pub fn tools_of(&self, class: ToolClass) -> impl Iterator<Item = &str> {
        self.tools
            .iter()
            .filter(move |(_, c)| *c == class)
            .map(|(n, _)| n.as_str())
    }

    /// The catalogued release run that holds `version`, if any.
    pub fn release_for(&self, version: &str) -> Option<&Release> {
        self.releases
            .iter()
            .find(|release| within(self.ecosystem, version, &release.from, &release.to))
    }

    /// The tools of `release` of `class`, in the release's order.
    pub fn release_tools_of<'a>(&'a self, release: &'a Release, class: ToolClass) -> impl Iterator<Item = &'a str> {
        release
            .tools
            .iter()
            .filter(move |tool| self.tools.iter().any(|(name, c)| name == *tool && *c == class))
            .map(String::as_str)
    }

    /// A tool's roles in a toxic flow by the table: None when the table does not know the tool
    /// (no `[flows]`, or a tool `[tools]` does not class), empty roles for a known tool it
    /// leaves out.
    pub fn flow_roles(&self, tool: &str) -> Option<crate::model::flows::Roles> {
        let flows = self.flows.as_ref()?;
        if !self.tools.iter().any(|(name, _)| name == tool) {
            return None;
        }
        Some(
            flows
                .iter()
                .find(|(name, _)| name == tool)
                .map(|(_, roles)| *roles)
                .unwrap_or_default(),
        )
    }

    /// Every version range the catalogue holds, for messages: `1.0.0 - 1.2.0, 2.0.0`.
    pub fn ranges(&self) -> String {
        self.releases.iter().map(Release::range).collect::<Vec<_>>().join(", ")
    }
}

/// Whether `from <= version <= to` in the ecosystem's version order.
fn within(ecosystem: Ecosystem, version: &str, from: &str, to: &str) -> bool {
    match ecosystem {
        Ecosystem::PyPi => {
            use std::str::FromStr as _;
            let parse = |v: &str| pep440_rs::Version::from_str(v.trim()).ok();
            match (parse(version), parse(from), parse(to)) {
                (Some(v), Some(from), Some(to)) => from <= v && v <= to,
                _ => false,
            }
        }
        _ => {
            let parse = |v: &str| nodejs_semver::Version::parse(v.trim()).ok();
            match (parse(version), parse(from), parse(to)) {
                (Some(v), Some(from), Some(to)) => from <= v && v <= to,
                _ => false,
            }
        }
    }
}

#[derive(Debug, Error, PartialEq)]
pub enum KnowledgeError {
    #[error("fixers/{file}: {message}")]
    Invalid { file: String, message: String },
}

/// The file name a package's knowledge lives in: `@scope/name` -> `scope__name`.
pub fn slug(package: &str) -> String {
    package.trim_start_matches('@').replace('/', "__").to_ascii_lowercase()
}

/// The known server for a package of `ecosystem`. Only its own file is parsed, once: a check
/// of a few servers must not pay for parsing the whole table.
pub fn known_server(ecosystem: Ecosystem, package: &str) -> Option<&'static KnownServer> {
    let wanted = slug(package);
    let index = KNOWN_SERVERS
        .binary_search_by(|(file, _)| (*file).cmp(wanted.as_str()))
        .ok()?;
    parsed(index).filter(|server| server.ecosystem == ecosystem)
}

/// Every server of `fixers/servers/`.
pub fn known_servers() -> impl Iterator<Item = &'static KnownServer> {
    (0..KNOWN_SERVERS.len()).filter_map(parsed)
}

/// The server of `KNOWN_SERVERS[index]`, parsed on first use (None if it does not parse: a test
/// holds every file to parse).
fn parsed(index: usize) -> Option<&'static KnownServer> {
    static PARSED: OnceLock<Vec<OnceLock<Option<KnownServer>>>> = OnceLock::new();
    let cells = PARSED.get_or_init(|| KNOWN_SERVERS.iter().map(|_| OnceLock::new()).collect());
    cells[index]
        .get_or_init(|| {
            let (file, _) = KNOWN_SERVERS[index];
            let document = serde_json::from_str(KNOWN_SERVERS_JSON[index]).ok()?;
            server_of(file, &document).ok()
        })
        .as_ref()
}

/// Parses one `fixers/servers/<slug>.toml` as written (a check reads the JSON the build made of
/// it instead, which parses in a fraction of the time).
pub fn parse_server(file: &str, text: &str) -> Result<KnownServer, KnowledgeError> {
    let invalid = |message: String| KnowledgeError::Invalid {
        file: format!("servers/{file}.toml"),
        message,
    };
    let document: serde_json::Value = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
    server_of(file, &document)
}

/// The server a knowledge file describes, from its document (read from TOML, or from the JSON
/// the build made of it).
fn server_of(file: &str, document: &serde_json::Value) -> Result<KnownServer, KnowledgeError> {
    let invalid = |message: String| KnowledgeError::Invalid {
        file: format!("servers/{file}.toml"),
        message,
    };
    let field = |key: &str| -> Result<String, KnowledgeError> {
        document
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| invalid(format!("`{key}` is missing or not a string")))
    };
    let tools_table = document
        .get("tools")
        .and_then(serde_json::Value::as_object)
        .ok_or_else(|| invalid("`[tools]` is missing".into()))?;
    let mut tools = Vec::new();
    for (name, class) in tools_table {
        let class = match class.as_str() {
            Some("read") => ToolClass::Read,
            Some("write") => ToolClass::Write,
            Some("destructive") => ToolClass::Destructive,
            other => {
                return Err(invalid(format!(
                    "tool `{name}` has class {other:?}, not read/write/destructive"
                )));
            }
        };
        tools.push((name.to_owned(), class));
    }
    if tools.is_empty() {
        return Err(invalid("`[tools]` is empty".into()));
    }
    let ecosystem = match field("ecosystem")?.as_str() {
        "npm" => Ecosystem::Npm,
        "pypi" => Ecosystem::PyPi,
        other => return Err(invalid(format!("`ecosystem` is {other:?}, not \"npm\" or \"pypi\""))),
    };
    let mut releases = Vec::new();
    if let Some(tables) = document.get("release").and_then(serde_json::Value::as_array) {
        for table in tables.iter().filter_map(serde_json::Value::as_object) {
            let text = |key: &str| -> Result<String, KnowledgeError> {
                table
                    .get(key)
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| invalid(format!("a `[[release]]` has no `{key}`")))
            };
            let list = |key: &str| -> Vec<String> {
                table
                    .get(key)
                    .and_then(serde_json::Value::as_array)
                    .map(|items| items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect())
                    .unwrap_or_default()
            };
            let release = Release {
                from: text("from")?,
                to: text("to")?,
                probed: list("probed"),
                tools: list("tools"),
            };
            if let Some(unclassed) = release.tools.iter().find(|t| !tools.iter().any(|(name, _)| name == *t)) {
                return Err(invalid(format!(
                    "release {} lists `{unclassed}`, which `[tools]` does not class",
                    release.range()
                )));
            }
            releases.push(release);
        }
    }
    // A file no probe has extended yet holds the tools of the one release it was read from.
    if releases.is_empty() {
        let version = field("version")?;
        releases.push(Release {
            from: version.clone(),
            to: version,
            probed: Vec::new(),
            tools: tools.iter().map(|(name, _)| name.clone()).collect(),
        });
    }
    let flows = match document.get("flows") {
        None => None,
        Some(item) => {
            let table = item
                .as_object()
                .ok_or_else(|| invalid("`[flows]` is not a table".into()))?;
            let mut flows = Vec::new();
            for (name, roles) in table {
                if !tools.iter().any(|(tool, _)| tool == name) {
                    return Err(invalid(format!(
                        "`[flows]` names `{name}`, which `[tools]` does not class"
                    )));
                }
                let mut set = crate::model::flows::Roles::default();
                for role in roles.as_array().into_iter().flatten() {
                    let role = role
                        .as_str()
                        .and_then(crate::model::flows::FlowRole::from_name)
                        .ok_or_else(|| {
                            invalid(format!(
                                "`[flows]` gives `{name}` a role that is not private, untrusted or sink"
                            ))
                        })?;
                    set.insert(role);
                }
                flows.push((name.to_owned(), set));
            }
            Some(flows)
        }
    };
    Ok(KnownServer {
        flows,
        package: field("package")?,
        ecosystem,
        version: field("version")?,
        source: field("source")?,
        tools,
        releases,
    })
}

/// How a client's allowlist behaves, from `fixers/allowlists.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct AllowlistRecipe {
    /// The per-server key (`allowed_tools`, `includeTools`, ...).
    pub key: String,
    /// What an empty list does: `allow-all`, `deny-all`, `ignored` or `unknown`.
    pub empty_means: String,
    /// Settings beside an empty list that make it deny: (dotted path under the server, value).
    pub deny_empty_requires: Vec<(String, bool)>,
}

static ALLOWLISTS: &str = include_str!("../../fixers/allowlists.toml");

/// The recipe of the section `dialect` reads (LiteLLM and Helm share one).
pub fn allowlist_recipe(dialect: Dialect) -> Option<AllowlistRecipe> {
    static PARSED: OnceLock<Option<Document<&'static str>>> = OnceLock::new();
    let document = PARSED.get_or_init(|| Document::parse(ALLOWLISTS).ok()).as_ref()?;
    let section = match dialect {
        Dialect::Litellm => "litellm",
        Dialect::Helm => "helm",
        Dialect::Gemini | Dialect::Qwen => "gemini",
        Dialect::Codex => "codex",
        Dialect::Copilot | Dialect::Vscode => "copilot",
        _ => return None,
    };
    let table = document.get(section)?.as_table_like()?;
    let text = |key: &str| table.get(key).and_then(Item::as_str).map(str::to_owned);
    let deny_empty_requires = table
        .get("deny_empty_requires")
        .and_then(Item::as_table_like)
        .map(|t| {
            t.iter()
                .filter_map(|(k, v)| v.as_bool().map(|b| (k.to_owned(), b)))
                .collect()
        })
        .unwrap_or_default();
    Some(AllowlistRecipe {
        key: text("key")?,
        empty_means: text("empty_means").unwrap_or_else(|| "unknown".into()),
        deny_empty_requires,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every embedded file parses, names its package in its file name, and classes every tool.
    #[test]
    fn every_known_server_parses() {
        for (file, text) in KNOWN_SERVERS {
            let server = parse_server(file, text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(slug(&server.package), *file, "file name must be the package's slug");
            assert!(server.source.starts_with("http"), "{file}: `source` must be a URL");
            // The build's JSON of the file says the same.
            let index = KNOWN_SERVERS.iter().position(|(f, _)| f == file).expect("listed");
            let json = serde_json::from_str(KNOWN_SERVERS_JSON[index]).expect("JSON");
            assert_eq!(server_of(file, &json).as_ref(), Ok(&server), "{file}: the JSON differs");
            // Found by its package through the binary search over the slugs.
            assert!(
                known_server(server.ecosystem, &server.package).is_some_and(|found| found.package == server.package),
                "{file}: not found by its package"
            );
        }
    }

    /// A version falls in a release run by the ecosystem's order (`1.10.0` after `1.9.0`, PEP 440
    /// for PyPI); a file without runs holds its own version only.
    #[test]
    fn releases_hold_their_ranges() {
        let text = "package = \"p\"\necosystem = \"npm\"\nversion = \"1.10.0\"\nsource = \"https://x\"\n\n[tools]\na = \"read\"\nb = \"write\"\n\n[[release]]\nfrom = \"1.2.0\"\nto = \"1.9.0\"\nprobed = [\"1.2.0\", \"1.9.0\"]\ntools = [\"a\"]\n\n[[release]]\nfrom = \"1.10.0\"\nto = \"1.10.0\"\ntools = [\"a\", \"b\"]\n";
        let server = parse_server("p", text).expect("parses");
        assert_eq!(server.release_for("1.5.3").map(|r| r.tools.len()), Some(1));
        assert_eq!(
            server.release_for("1.10.0").map(|r| r.tools.len()),
            Some(2),
            "1.10 sorts after 1.9"
        );
        assert!(server.release_for("1.1.0").is_none() && server.release_for("2.0.0").is_none());
        assert_eq!(server.ranges(), "1.2.0 - 1.9.0, 1.10.0");
        let release = server.release_for("1.10.0").expect("release");
        assert_eq!(
            server.release_tools_of(release, ToolClass::Write).collect::<Vec<_>>(),
            ["b"]
        );
        let unclassed = text.replace("tools = [\"a\", \"b\"]", "tools = [\"a\", \"c\"]");
        assert!(parse_server("p", &unclassed).is_err(), "a release tool must be classed");
        let single = "package = \"q\"\necosystem = \"pypi\"\nversion = \"2026.10.19\"\nsource = \"https://x\"\n[tools]\nt = \"read\"\n";
        let server = parse_server("q", single).expect("parses");
        assert!(server.release_for("2026.10.19").is_some());
        assert!(server.release_for("2026.8.18").is_none());
    }

    #[test]
    fn every_allowlist_recipe_parses() {
        for dialect in [
            Dialect::Litellm,
            Dialect::Helm,
            Dialect::Gemini,
            Dialect::Codex,
            Dialect::Copilot,
        ] {
            let recipe = allowlist_recipe(dialect).unwrap_or_else(|| panic!("{dialect}: no recipe"));
            assert!(!recipe.key.is_empty());
        }
    }
}
