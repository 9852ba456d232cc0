//! Audit inputs: the deployment's files, gathered and parsed once. MCP configs (LiteLLM, Helm
//! values, client configs) go through the check pipeline's collect, parse and lint stages with
//! every rule; the audit also reads Kubernetes manifests (with LiteLLM configs inside ConfigMaps),
//! CI workflows, `.pre-commit-config.yaml` and `mcp-lint.lock` files.

use std::path::{Path, PathBuf};

use crate::dialect::position::LineIndex;
use crate::dialect::{self, Dialect, Node, Route, Syntax};
use crate::rules::{self, LintContext, LockCheck};
use crate::run::check::{Collected, collect_and_parse};
use crate::run::collect::read_regular_file;
use crate::run::lint::{self, FileReport};
use crate::run::lock::Locks;
use crate::run::parse::{self, Parsed, SourceFile};

use super::{Evidence, Input};

/// An MCP config of the deployment, linted with every rule (offline, its lock read).
pub struct ConfigFile {
    pub report: FileReport,
    /// The path as the report shows it (with the ConfigMap it came from, for a rendered one).
    pub display: String,
    /// Lines before the config's first line in `display`'s file (a ConfigMap's block scalar).
    pub line_offset: usize,
    /// Whether an `mcp-lint.lock` sits beside it.
    pub locked: bool,
}

impl ConfigFile {
    pub fn is_gateway(&self) -> bool {
        matches!(self.report.dialect, Dialect::Litellm | Dialect::Helm)
    }

    pub fn is_helm(&self) -> bool {
        self.report.dialect == Dialect::Helm
    }

    /// The line of byte `offset` of the config's text.
    pub fn evidence(&self, offset: usize) -> Evidence {
        let source = &self.report.source;
        Evidence {
            file: self.display.clone(),
            line: source.lines.line_col(&source.text, offset).line + self.line_offset,
        }
    }

    /// The LiteLLM config's `section.key…` (`general_settings`, `master_key`), with its line.
    pub fn setting(&self, keys: &[&str]) -> Option<(&Node, Evidence)> {
        self.lookup(&self.report.config.config_root, keys)
    }

    /// The Helm chart's value at `keys` (beside `proxy_config`, under a wrapper chart's key).
    pub fn chart_value(&self, keys: &[&str]) -> Option<(&Node, Evidence)> {
        if !self.is_helm() {
            return None;
        }
        self.lookup(&self.chart_root(), keys)
    }

    /// Where the chart's values start: the parent of its `proxy_config`.
    pub fn chart_root(&self) -> Route {
        self.report
            .config
            .config_root
            .split_last()
            .map_or_else(Route::root, |(_, parent)| parent)
    }

    /// The line of the key at `keys` under `base`, or of the base itself.
    pub fn line_of(&self, base: &Route, keys: &[&str]) -> Evidence {
        let route = keys.iter().fold(base.clone(), |route, key| route.key(*key));
        let span = self
            .report
            .root
            .key_span_at(&route)
            .or_else(|| self.report.root.at(&route).map(|node| node.span))
            .or_else(|| self.report.root.at(base).map(|node| node.span))
            .unwrap_or_default();
        self.evidence(span.start)
    }

    fn lookup(&self, base: &Route, keys: &[&str]) -> Option<(&Node, Evidence)> {
        let route = keys.iter().fold(base.clone(), |route, key| route.key(*key));
        let node = self.report.root.at(&route)?;
        let span = self.report.root.key_span_at(&route).unwrap_or(node.span);
        Some((node, self.evidence(span.start)))
    }
}

/// One document of a Kubernetes manifest file.
pub struct ManifestDoc {
    pub display: String,
    pub kind: String,
    pub name: String,
    pub root: Node,
    /// The whole file's text and line index; the document's spans are offsets into that text.
    text: std::sync::Arc<(String, LineIndex)>,
    /// Where the document starts in the file.
    offset: usize,
}

impl ManifestDoc {
    pub fn evidence(&self, node: &Node) -> Evidence {
        let (text, lines) = &*self.text;
        Evidence {
            file: self.display.clone(),
            line: lines.line_col(text, self.offset + node.span.start).line,
        }
    }

    /// The containers of a workload's pod template (Deployment, StatefulSet, DaemonSet).
    pub fn containers(&self) -> Vec<&Node> {
        self.root
            .at(&Route::root().key("spec").key("template").key("spec").key("containers"))
            .and_then(Node::as_seq)
            .map(|items| items.iter().collect())
            .unwrap_or_default()
    }
}

/// A text file the audit reads by content (a CI workflow, a pre-commit config).
pub struct TextFile {
    pub display: String,
    pub text: String,
}

impl TextFile {
    /// The first line holding `needle`, 1-based.
    pub fn line_of(&self, needle: &str) -> Option<Evidence> {
        self.text
            .lines()
            .position(|line| line.contains(needle))
            .map(|index| Evidence {
                file: self.display.clone(),
                line: index + 1,
            })
    }
}

/// Everything the audit read.
#[derive(Default)]
pub struct Deployment {
    pub configs: Vec<ConfigFile>,
    /// The LiteLLM chart's values without a `proxy_config`: read for the chart's own settings
    /// (replicas, PDB, image), not as a gateway config, which then lives elsewhere.
    pub chart_values: Vec<ConfigFile>,
    pub manifests: Vec<ManifestDoc>,
    pub workflows: Vec<TextFile>,
    pub precommit: Vec<TextFile>,
    pub inputs: Vec<Input>,
    /// Claude Code's managed settings, one policy per managed folder.
    pub policies: Vec<crate::rules::ManagedPolicy>,
}

impl Deployment {
    pub fn gateways(&self) -> impl Iterator<Item = &ConfigFile> {
        self.configs.iter().filter(|config| config.is_gateway())
    }

    /// The LiteLLM chart's values, with or without a `proxy_config`.
    pub fn charts(&self) -> impl Iterator<Item = &ConfigFile> {
        self.configs
            .iter()
            .filter(|config| config.is_helm())
            .chain(&self.chart_values)
    }

    /// The configs of gateways other than LiteLLM that route MCP: agentgateway, Kubernetes
    /// resources (Envoy AI Gateway routes, ToolHive, kagent), mcp-proxy, Docker's MCP gateway.
    pub fn routing_gateways(&self) -> impl Iterator<Item = &ConfigFile> {
        self.configs.iter().filter(|config| {
            matches!(
                config.report.dialect,
                Dialect::Agentgateway | Dialect::Kubernetes | Dialect::McpProxy | Dialect::DockerCompose
            ) && !config.report.config.servers.is_empty()
        })
    }

    /// The configs that hold at least one server.
    pub fn configs_with_servers(&self) -> impl Iterator<Item = &ConfigFile> {
        self.configs.iter().filter(|c| !c.report.config.servers.is_empty())
    }

    pub fn workloads(&self) -> impl Iterator<Item = &ManifestDoc> {
        self.manifests.iter().filter(|doc| {
            matches!(
                doc.kind.as_str(),
                "Deployment" | "StatefulSet" | "DaemonSet" | "Rollout"
            )
        })
    }

    pub fn manifests_of(&self, kind: &str) -> impl Iterator<Item = &ManifestDoc> {
        self.manifests.iter().filter(move |doc| doc.kind == kind)
    }

    /// Reads the deployment under `paths`; unreadable inputs come back as `path:line:col: message`.
    pub fn gather(paths: &[PathBuf], max_file_size: u64) -> (Self, Vec<String>) {
        let mut deployment = Deployment::default();
        let Collected { parsed, failures, .. } = collect_and_parse(paths, None, max_file_size);
        let mut failures: Vec<String> = failures.iter().map(|f| f.line()).collect();
        let (locks, lock_failures) = Locks::load(parsed.iter().map(|p| p.source.path.as_path()));
        failures.extend(lock_failures.iter().map(|f| f.line()));
        // Claude Code's managed settings decide which of the deployment's servers start.
        let policies = crate::run::policies::managed_policies(&parsed);
        // A LiteLLM config inside a ConfigMap is read below with its manifest (which ConfigMap,
        // which key, beside which Deployment), not as a config file of its own.
        for parsed in parsed
            .into_iter()
            .filter(|p| !(p.source.embedded && p.dialect == Dialect::Litellm))
        {
            let path = parsed.source.path.clone();
            let lock = locks.beside(&path);
            let context = LintContext {
                path: Some(&path),
                policies: &policies,
                ..lock_context(lock)
            };
            let kind = kind_of(parsed.dialect);
            let report = lint::lint(parsed, rules::ALL, &context);
            deployment.inputs.push(Input {
                file: display(&path),
                kind: kind.to_owned(),
            });
            deployment.configs.push(ConfigFile {
                report,
                display: display(&path),
                line_offset: 0,
                locked: lock.is_some(),
            });
        }
        for path in walk(paths) {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let shown = display(&path);
            let in_workflows = path.parent().is_some_and(|dir| dir.ends_with(".github/workflows"));
            let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
            if !yaml || deployment.configs.iter().any(|c| c.display == shown) {
                continue;
            }
            let Ok(bytes) = read_regular_file(&path, max_file_size) else {
                continue;
            };
            let Ok(text) = String::from_utf8(bytes) else { continue };
            if in_workflows {
                deployment.inputs.push(Input {
                    file: shown.clone(),
                    kind: "CI workflow".to_owned(),
                });
                deployment.workflows.push(TextFile { display: shown, text });
            } else if name == ".pre-commit-config.yaml" {
                deployment.inputs.push(Input {
                    file: shown.clone(),
                    kind: "pre-commit config".to_owned(),
                });
                deployment.precommit.push(TextFile { display: shown, text });
            } else if text.contains("apiVersion:") && text.contains("kind:") {
                deployment.read_manifests(&path, shown, text, &locks);
            } else if let Some(chart) = chart_values(&path, text) {
                deployment.inputs.push(Input {
                    file: shown.clone(),
                    kind: "LiteLLM Helm values, without proxy_config".to_owned(),
                });
                deployment.chart_values.push(ConfigFile {
                    report: lint::lint(chart, &[], &LintContext::default()),
                    display: shown,
                    line_offset: 0,
                    locked: false,
                });
            }
        }
        deployment.policies = policies;
        (deployment, failures)
    }

    /// The Kubernetes documents of one file, and the LiteLLM configs its ConfigMaps carry.
    fn read_manifests(&mut self, path: &Path, shown: String, text: String, locks: &Locks) {
        let lines = LineIndex::new(&text);
        let shared = std::sync::Arc::new((text, lines));
        let mut kinds = Vec::new();
        for (offset, doc) in dialect::yaml::documents(&shared.0) {
            let Ok(root) = dialect::parse(Syntax::Yaml, doc) else {
                continue;
            };
            let Some(kind) = root.get("kind").and_then(Node::as_str).map(str::to_owned) else {
                continue;
            };
            let name = root
                .at(&Route::root().key("metadata").key("name"))
                .and_then(Node::as_str)
                .unwrap_or_default()
                .to_owned();
            if kind == "ConfigMap" {
                self.read_configmap(path, &shown, &root, &name, &shared, offset, locks);
            }
            kinds.push(kind.clone());
            self.manifests.push(ManifestDoc {
                display: shown.clone(),
                kind,
                name,
                root,
                text: shared.clone(),
                offset,
            });
        }
        if !kinds.is_empty() {
            kinds.sort();
            kinds.dedup();
            self.inputs.push(Input {
                file: shown,
                kind: format!("Kubernetes manifests: {}", kinds.join(", ")),
            });
        }
    }

    /// A rendered ConfigMap's `config.yaml` (block scalar) read as a LiteLLM config.
    #[allow(clippy::too_many_arguments)]
    fn read_configmap(
        &mut self,
        path: &Path,
        shown: &str,
        root: &Node,
        name: &str,
        file: &(String, LineIndex),
        offset: usize,
        locks: &Locks,
    ) {
        let Some(data) = root.get("data").and_then(Node::as_map) else {
            return;
        };
        for entry in data {
            let Some(inner) = entry.value.as_str() else { continue };
            let block = file.0[offset + entry.value.span.start..].starts_with(['|', '>']);
            if !block || !(inner.contains("mcp_servers") || inner.contains("general_settings")) {
                continue;
            }
            let source = SourceFile::new(path, inner.to_owned());
            let Ok(parsed) = parse::parse(source, Some(Dialect::Litellm)) else {
                continue;
            };
            let lock = locks.beside(path);
            let context = lock_context(lock);
            let report = lint::lint(parsed, rules::ALL, &context);
            self.inputs.push(Input {
                file: shown.to_owned(),
                kind: format!("LiteLLM config in ConfigMap `{name}`, key `{}`", entry.key),
            });
            self.configs.push(ConfigFile {
                report,
                display: shown.to_owned(),
                // The block's content starts on the line after its `|`.
                line_offset: file.1.line_col(&file.0, offset + entry.value.span.start).line,
                locked: lock.is_some(),
            });
        }
    }
}

/// The lint context of a config: its lock when there is one, so `lock-mismatch` reports drift;
/// a missing lock is one audit finding (onboarding), not one per server.
fn lock_context(lock: Option<&crate::resolve::lock::Lock>) -> LintContext<'_> {
    LintContext {
        registry: None,
        lock: lock.map(|lock| LockCheck::Present(lock)),
        tools: None,
        image_policies: None,
        files: None,
        siblings: &[],
        scoped: &[],
        path: None,
        policies: &[],
    }
}

fn kind_of(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Litellm => "LiteLLM config",
        Dialect::Helm => "LiteLLM Helm values",
        Dialect::DockerCompose => "Docker MCP gateway compose file",
        _ => "client config",
    }
}

/// Every file under `paths` (hidden ones included, `.gitignore` respected), sorted.
fn walk(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_file() {
            files.push(path.clone());
            continue;
        }
        let walker = ignore::WalkBuilder::new(path)
            .hidden(false)
            .filter_entry(|entry| entry.file_name() != ".git")
            .build();
        files.extend(
            walker
                .filter_map(Result::ok)
                .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
                .map(|entry| entry.into_path()),
        );
    }
    files.sort();
    files.dedup();
    files
}

fn display(path: &Path) -> String {
    let text = path.display().to_string();
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

/// A YAML file that is the LiteLLM chart's values without a `proxy_config` (the gateway's config
/// then comes from another file or a ConfigMap): its image is LiteLLM's, or it names the chart's
/// master-key secret. Parsed as chart values with no servers; no lint rule has anything to read.
fn chart_values(path: &Path, text: String) -> Option<Parsed> {
    let source = SourceFile::new(path, text);
    let root = dialect::parse(Syntax::Yaml, &source.text).ok()?;
    let litellm_image = root
        .at(&Route::root().key("image").key("repository"))
        .and_then(Node::as_str)
        .is_some_and(|repository| repository.contains("litellm"));
    let master_key_secret = ["masterkeySecretName", "masterkeySecretKey", "masterkey"]
        .iter()
        .any(|key| root.get(key).is_some());
    if !(litellm_image || master_key_secret) || root.get("proxy_config").is_some() {
        return None;
    }
    let config = crate::model::extract::extract(Dialect::Helm, &root);
    Some(Parsed {
        source,
        dialect: Dialect::Helm,
        root,
        config,
    })
}
