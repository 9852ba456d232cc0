//! Parse stage: a file's text becomes a document tree with value spans, its dialect is decided
//! once, and the tree is read into the server model. Everything later reads this result.

use std::path::PathBuf;

use thiserror::Error;

use crate::dialect::position::LineIndex;
use crate::dialect::{self, Dialect, Node, detect};
use crate::model::{self, McpConfig};

/// The UTF-8 byte order mark some editors write at the start of JSON files.
const BOM: &str = "\u{feff}";

/// A file's text as the tools read it, with the BOM removed and line starts indexed.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user named it (or as found while walking).
    pub path: PathBuf,
    /// The text without a leading BOM; every span and position refers to this.
    pub text: String,
    pub had_bom: bool,
    pub lines: LineIndex,
    /// An MCP config read inside another file (JSON in a YAML block scalar or escaped string, the
    /// resources of a manifest stream): reported at the host file's offsets, never rewritten.
    pub embedded: bool,
    /// For a config decoded from an escaped string of another file: that file and where each
    /// decoded byte was written in it. Reports are moved there once linted.
    pub origin: Option<std::sync::Arc<super::escaped::Origin>>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, raw: String) -> Self {
        let (text, had_bom) = match raw.strip_prefix(BOM) {
            Some(rest) => (rest.to_owned(), true),
            None => (raw, false),
        };
        let lines = LineIndex::new(&text);
        Self {
            path: path.into(),
            text,
            had_bom,
            lines,
            embedded: false,
            origin: None,
        }
    }

    /// The same file with other text (a fix's result), BOM kept.
    pub fn with_text(&self, text: String) -> Self {
        let lines = LineIndex::new(&text);
        Self {
            path: self.path.clone(),
            text,
            had_bom: self.had_bom,
            lines,
            embedded: self.embedded,
            origin: self.origin.clone(),
        }
    }

    /// The MCP config written as JSON in a literal block scalar of this YAML file (a Helm
    /// value `config.json: |`, a ConfigMap's data, a workflow step's `cat > mcp.json << 'EOF'`
    /// heredoc), as a text with the same byte offsets: every byte outside the block is blanked,
    /// newlines kept, so lines and columns are the YAML file's. None when no block holds an
    /// `mcpServers` object.
    pub fn embedded_json(&self) -> Option<SourceFile> {
        self.embedded().json
    }

    /// The configs written in this file's literal block scalars, found in one scan: MCP JSON
    /// (see [`SourceFile::embedded_json`]) and a LiteLLM config (see
    /// [`SourceFile::embedded_litellm`]).
    pub fn embedded(&self) -> Embedded {
        let lines = self.lines_with_offsets();
        let blocks = self.block_scalars(&lines);
        Embedded {
            json: self.json_in_blocks(&lines, &blocks),
            litellm: self.litellm_in_blocks(&lines, &blocks),
        }
    }

    fn json_in_blocks(&self, lines: &[(usize, &str)], blocks: &[(usize, usize)]) -> Option<SourceFile> {
        let text = &self.text;
        blocks.iter().copied().find_map(|(start, end)| {
            let (from, to) = (lines[start].0, lines[end - 1].0 + lines[end - 1].1.len());
            if !text[from..to].contains("\"mcpServers\"") {
                return None;
            }
            // A shell step writing the config with a heredoc: only its body is the JSON, and an
            // unquoted one as the shell expands it (GitHub Agentic Workflows' lock files pipe the
            // MCP gateway's config so: `cat << GH_AW_MCP_CONFIG_EOF | node start_mcp_gateway.cjs`).
            match heredocs(&lines[start..end])
                .into_iter()
                .find(|heredoc| text[heredoc.body.clone()].contains("\"mcpServers\""))
            {
                Some(heredoc) if !heredoc.quoted => Some(self.shell_expanded(heredoc.body)),
                Some(heredoc) => Some(self.view(heredoc.body)),
                None => Some(self.view(from..to)),
            }
        })
    }

    /// A LiteLLM config written as YAML in a block scalar of this file (a ConfigMap's
    /// `config.yaml: |`), as a view with this file's offsets. None when no block has a top-level
    /// `mcp_servers` key.
    pub fn embedded_litellm(&self) -> Option<SourceFile> {
        self.embedded().litellm
    }

    fn litellm_in_blocks(&self, lines: &[(usize, &str)], blocks: &[(usize, usize)]) -> Option<SourceFile> {
        blocks.iter().copied().find_map(|(start, end)| {
            let block = &lines[start..end];
            let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
            let top = block
                .iter()
                .find(|(_, line)| !line.trim().is_empty())
                .map(|(_, line)| indent(line))?;
            let has_servers = block
                .iter()
                .any(|(_, line)| indent(line) == top && line.trim_start().starts_with("mcp_servers:"));
            has_servers.then(|| self.view(lines[start].0..lines[end - 1].0 + lines[end - 1].1.len()))
        })
    }

    /// Each line of the text with its byte offset.
    fn lines_with_offsets(&self) -> Vec<(usize, &str)> {
        let mut offset = 0;
        self.text
            .split_inclusive('\n')
            .map(|line| {
                let at = offset;
                offset += line.len();
                (at, line)
            })
            .collect()
    }

    /// The literal block scalars (`key: |`) of a YAML text, as ranges of line indices (the
    /// lines after the key, more indented than it), non-empty.
    fn block_scalars(&self, lines: &[(usize, &str)]) -> Vec<(usize, usize)> {
        let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
        let mut blocks = Vec::new();
        let mut index = 0;
        while index < lines.len() {
            let (_, line) = lines[index];
            let trimmed = line.trim_end();
            let opens_block = trimmed
                .rsplit_once(':')
                .is_some_and(|(key, rest)| !key.trim().is_empty() && matches!(rest.trim(), "|" | "|-" | "|+"));
            index += 1;
            if !opens_block {
                continue;
            }
            let key_indent = indent(line);
            let start = index;
            while index < lines.len() && (lines[index].1.trim().is_empty() || indent(lines[index].1) > key_indent) {
                index += 1;
            }
            if start < index {
                blocks.push((start, index));
            }
        }
        blocks
    }

    /// The YAML front matter of this Markdown file (between a first line `---` and the next
    /// `---` or `...` line), as a view with this file's offsets. None without one.
    pub fn front_matter(&self) -> Option<SourceFile> {
        let text = &self.text;
        let first = text.lines().next()?;
        if first.trim_end() != "---" {
            return None;
        }
        let start = first.len() + usize::from(text[first.len()..].starts_with("\r\n")) + 1;
        let mut offset = start;
        for line in text.get(start..)?.split_inclusive('\n') {
            if matches!(line.trim_end(), "---" | "...") {
                return Some(self.view(start..offset));
            }
            offset += line.len();
        }
        None
    }

    /// The bytes of `range` as a text with this file's offsets: every byte outside it is blanked,
    /// newlines kept, so lines and columns stay the file's. A view is reported, never rewritten.
    fn view(&self, range: std::ops::Range<usize>) -> SourceFile {
        let blanked: String = self
            .text
            .char_indices()
            .map(|(at, c)| if range.contains(&at) || c == '\n' { c } else { ' ' })
            .collect();
        let mut source = SourceFile::new(self.path.clone(), blanked);
        source.embedded = true;
        source
    }

    /// The body of an unquoted heredoc of this file, as the shell hands it over, with where each
    /// byte came from (see [`super::escaped::shell_heredoc`]).
    fn shell_expanded(&self, body: std::ops::Range<usize>) -> SourceFile {
        let (decoded, ranges) = super::escaped::shell_heredoc(&self.text, body);
        let mut source = SourceFile::new(self.path.clone(), decoded);
        source.embedded = true;
        source.origin = Some(std::sync::Arc::new(super::escaped::Origin::new(
            self.text.clone(),
            ranges,
        )));
        source
    }

    /// The MCP JSON written as an escaped double-quoted string of this YAML file (an mcpo chart's
    /// `configJson`), decoded, with where each byte came from.
    pub fn escaped_json(&self, tree: Option<&Node>) -> Option<SourceFile> {
        let (decoded, origin) = super::escaped::mcp_json_string(&self.text, tree)?;
        let mut source = SourceFile::new(self.path.clone(), decoded);
        source.embedded = true;
        source.origin = Some(std::sync::Arc::new(origin));
        Some(source)
    }

    /// The bytes for the disk: the BOM, if the file had one, and `text`.
    pub fn disk_text(&self, text: &str) -> String {
        if self.had_bom {
            format!("{BOM}{text}")
        } else {
            text.to_owned()
        }
    }
}

/// Configs found in a file's block scalars.
pub struct Embedded {
    pub json: Option<SourceFile>,
    pub litellm: Option<SourceFile>,
}

/// A heredoc's body in a shell script: its byte range, and whether its delimiter is quoted
/// (`<< 'EOF'`: the body is taken as written; `<< EOF`: the shell expands it first).
struct Heredoc {
    body: std::ops::Range<usize>,
    quoted: bool,
}

/// The heredoc bodies in `lines` (each with its offset): the lines after `<< EOF` (or
/// `<<-'EOF'`, `<<"EOF"`) up to the line that is the delimiter alone.
fn heredocs(lines: &[(usize, &str)]) -> Vec<Heredoc> {
    let mut found = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let opening = index;
        index += 1;
        let Some((_, after)) = lines[opening].1.split_once("<<") else {
            continue;
        };
        let word: String = after
            .trim_start_matches(['-', '~'])
            .trim_start()
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != ';' && *c != '>' && *c != '|')
            .collect();
        let delimiter: String = word.chars().filter(|c| !matches!(c, '\'' | '"')).collect();
        if delimiter.is_empty() {
            continue;
        }
        let body = &lines[opening + 1..];
        let Some(end) = body.iter().position(|(_, line)| line.trim() == delimiter) else {
            continue;
        };
        index = opening + 1 + end + 1;
        let (Some(&(first, _)), Some(&(last_at, last))) = (body.first(), end.checked_sub(1).and_then(|e| body.get(e)))
        else {
            continue;
        };
        found.push(Heredoc {
            body: first..last_at + last.len(),
            quoted: word.len() != delimiter.len(),
        });
    }
    found
}

/// The byte range of the first heredoc body in `lines`.
#[cfg(test)]
fn heredoc_body(lines: &[(usize, &str)]) -> Option<std::ops::Range<usize>> {
    heredocs(lines).into_iter().next().map(|heredoc| heredoc.body)
}

/// One file parsed, its dialect decided, read into the model.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub source: SourceFile,
    pub dialect: Dialect,
    /// The document tree; routes resolve to spans through it.
    pub root: Node,
    pub config: McpConfig,
}

/// Why a file could not be read as an MCP config, located in the file where that means something.
#[derive(Debug, Error)]
pub enum DocumentError {
    #[error("{message}")]
    Syntax { offset: usize, message: String },
    #[error("not an MCP config: {reason}")]
    NotMcp {
        // Boxed: the error travels by value with its file through every parse.
        reason: Box<str>,
        /// The file's tree, for the readers of configs written inside it (an escaped string),
        /// so that the file is not parsed twice.
        tree: Option<Box<Node>>,
    },
}

/// Parses `source`; `dialect` overrides detection.
pub fn parse(source: SourceFile, dialect: Option<Dialect>) -> Result<Parsed, (SourceFile, DocumentError)> {
    let path_hint = detect::by_path(&source.path);
    let hint = dialect.map_or(path_hint, detect::PathHint::Known);
    let root = match dialect::parse(detect::syntax_for(hint), &source.text) {
        Ok(root) => root,
        Err(error) => {
            let message = match hint {
                detect::PathHint::Known(d) => format!("{} (read as {} config)", error.message, d.client()),
                _ => error.message,
            };
            return Err((
                source,
                DocumentError::Syntax {
                    offset: error.offset,
                    message,
                },
            ));
        }
    };
    let not_mcp = |source, root: Node| {
        let reason = match dialect {
            Some(dialect) => format!(
                "{} reads servers from `{}`, and this file has no such map",
                dialect.client(),
                dialect.servers_path().join(".")
            ),
            None => {
                "no `mcpServers`, `servers` or `mcp_servers` map was found (use --dialect to say which client reads it)"
                    .into()
            }
        };
        Err((
            source,
            DocumentError::NotMcp {
                reason: reason.into_boxed_str(),
                tree: Some(Box::new(root)),
            },
        ))
    };
    // A plugin manifest declares servers only in `mcpServers`; one that names a file
    // (`"./.mcp.json"`) leaves them to that file, which the walk reads on its own, and one without
    // it has none (its `author` and `repository` are metadata, not servers).
    let manifest_points_elsewhere = source.path.file_name().is_some_and(|n| n == "plugin.json")
        && root.get("mcpServers").is_none_or(|servers| servers.as_map().is_none());
    if manifest_points_elsewhere {
        return not_mcp(source, root);
    }
    let Some(dialect) = detect::by_content(hint, &root) else {
        return not_mcp(source, root);
    };
    let mut config = model::extract::extract(dialect, &root);
    config.found_by_content = found_by_content(&source.path, dialect);
    claude_plugin_servers(&source, dialect, &root, &mut config);
    strict_json_problems(&source, dialect, &root, &mut config);
    // A file whose name a client owns may hold no servers yet; any other file must show some,
    // or servers where its client does not read them.
    if config.servers_route.is_none()
        && !config.shape_problems.iter().any(|problem| problem.ignored)
        && !matches!(path_hint, detect::PathHint::Known(_))
    {
        return not_mcp(source, root);
    }
    Ok(Parsed {
        source,
        dialect,
        root,
        config,
    })
}

/// The model of a fixed text whose tree the fix engine already parsed (and checked): the dialect
/// stays the one decided for the file, and nothing is parsed again.
pub fn reparsed(before: &SourceFile, dialect: Dialect, text: String, root: Node) -> Parsed {
    let mut config = model::extract::extract(dialect, &root);
    config.found_by_content = found_by_content(&before.path, dialect);
    let source = before.with_text(text);
    claude_plugin_servers(&source, dialect, &root, &mut config);
    strict_json_problems(&source, dialect, &root, &mut config);
    Parsed {
        source,
        dialect,
        root,
        config,
    }
}

/// Whether a client's JSON shape was recognised at a place that client does not read (a
/// `registry.json` in the VS Code `servers` shape): the file is some program's own format, and
/// only what any reader would trip on is reported. Gateway formats name themselves by content.
fn found_by_content(path: &std::path::Path, dialect: Dialect) -> bool {
    matches!(detect::by_path(path), detect::PathHint::Maybe(_))
        && matches!(
            dialect,
            Dialect::Vscode | Dialect::Zed | Dialect::McpJson | Dialect::Copilot
        )
}

/// Servers at the top of a Claude Code `.mcp.json`, with no `mcpServers` around them: beside a
/// plugin's `.claude-plugin/plugin.json` Claude Code loads them; as a project's `.mcp.json` it
/// fails to parse the file (`mcpServers: Invalid input: expected record, received undefined`) and
/// starts none. Both measured with Claude Code 2.1.197 and 2.1.332 (`claude --plugin-dir`, `claude mcp list`).
fn claude_plugin_servers(source: &SourceFile, dialect: Dialect, root: &Node, config: &mut McpConfig) {
    // Claude Code's settings files set a server policy and hold no servers.
    if dialect == Dialect::ClaudeCode && model::policy::is_claude_settings(&source.path) {
        config.forget_servers();
        return;
    }
    if dialect != Dialect::ClaudeCode || config.servers_route.is_some() || !model::extract::has_flat_servers(root) {
        return;
    }
    let name = source.path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let plugin = name == ".mcp.json"
        && source
            .path
            .parent()
            .is_some_and(|dir| dir.join(".claude-plugin").join("plugin.json").is_file());
    if plugin {
        model::extract::read_plugin_servers(config, root);
        return;
    }
    for problem in &mut config.shape_problems {
        if problem.label == "outside the server map" {
            problem.ignored = false;
            problem.message = "servers at the top level with no `mcpServers` map: Claude Code refuses this file (`mcpServers: expected record`) and starts none of them; only a plugin's `.mcp.json`, beside `.claude-plugin/plugin.json`, may be written so".into();
        }
    }
}

/// A raw control character (a literal tab or line break) inside a string of a file its client
/// reads with strict `JSON.parse`: the parser here tolerates it, the client refuses the file.
fn strict_json_problems(source: &SourceFile, dialect: Dialect, root: &Node, config: &mut McpConfig) {
    if detect::syntax_for_file(&source.path, dialect) != dialect::Syntax::Json {
        return;
    }
    // Roo Code and Kilo Code read the file with `fs.readFile(…, "utf-8")`, which keeps a BOM,
    // then `JSON.parse`, which refuses it (McpHub.ts): the whole file is dropped.
    if source.had_bom && matches!(dialect, Dialect::Roo | Dialect::Kilo) {
        config.shape_problems.push(model::ShapeProblem {
            route: dialect::Route::root(),
            on_key: false,
            message: format!(
                "the file starts with a byte order mark: {} reads it with JSON.parse, which refuses it, so no server of this file starts; save it as UTF-8 without a BOM",
                dialect.client()
            ),
            label: "byte order mark",
            ignored: false,
        });
        return;
    }
    let bytes = source.text.as_bytes();
    let mut in_string = false;
    let mut escaped = false;
    for (at, &byte) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            } else if byte < 0x20 {
                let route = route_at(root, at).unwrap_or_default();
                config.shape_problems.push(model::ShapeProblem {
                    route,
                    on_key: false,
                    message: format!(
                        "a string holds a raw control character (U+{byte:04X}): {}'s strict JSON.parse refuses the whole file; write it escaped (`\\u{byte:04x}`)",
                        dialect.client()
                    ),
                    label: "raw control character",
                    ignored: false,
                });
                // One finding per file says it: the client stops at the first.
                return;
            }
        } else if byte == b'"' {
            in_string = true;
        }
    }
}

/// The route of the innermost node whose span holds byte `offset`.
fn route_at(root: &Node, offset: usize) -> Option<dialect::Route> {
    let mut route = dialect::Route::root();
    let mut node = root;
    'descend: loop {
        match &node.value {
            dialect::NodeValue::Map(entries) => {
                for entry in entries {
                    let holds = |span: dialect::Span| span.start <= offset && offset < span.end;
                    if holds(entry.value.span) {
                        route = route.key(entry.key.as_str());
                        node = &entry.value;
                        continue 'descend;
                    }
                    if holds(entry.key_span) {
                        return Some(route.key(entry.key.as_str()));
                    }
                }
                return Some(route);
            }
            dialect::NodeValue::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    if item.span.start <= offset && offset < item.span.end {
                        route = route.index(i);
                        node = item;
                        continue 'descend;
                    }
                }
                return Some(route);
            }
            _ => return Some(route),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::Route;

    #[test]
    fn an_unquoted_heredoc_is_read_as_the_shell_hands_it_over() {
        let text = "jobs:\n  a:\n    steps:\n      - run: |\n          cat << CONFIG_EOF | node gateway.js\n          {\"mcpServers\": {\"gh\": {\"container\": \"ghcr.io/github/github-mcp-server:v1.4.0\",\n            \"env\": {\"TOKEN\": \"\\${GH_TOKEN}\"}, \"labels\": ${{ steps.x.outputs.labels }}}},\n           \"gateway\": {\"port\": $PORT}}\n          CONFIG_EOF\n";
        let source = SourceFile::new("wf.lock.yml", text.to_owned());
        let inner = source.embedded_json().expect("the heredoc's JSON");
        let root = dialect::parse(dialect::Syntax::Json, &inner.text).expect("strict JSON once expanded");
        assert_eq!(
            root.at(&Route::root().key("mcpServers").key("gh").key("env").key("TOKEN"))
                .and_then(Node::as_str),
            Some("${GH_TOKEN}")
        );
        // Each decoded byte maps back to what wrote it in the workflow.
        let origin = inner.origin.as_ref().expect("an origin");
        let image = root
            .at(&Route::root().key("mcpServers").key("gh").key("container"))
            .expect("container");
        let span = origin.map(image.span);
        assert_eq!(
            &text[span.start..span.end],
            "\"ghcr.io/github/github-mcp-server:v1.4.0\""
        );
        let port = root.at(&Route::root().key("gateway").key("port")).expect("port");
        let span = origin.map(port.span);
        assert_eq!(&text[span.start..span.end], "$PORT");
        // A quoted heredoc is taken as written.
        let quoted = text.replace("cat << CONFIG_EOF", "cat << 'CONFIG_EOF'");
        let inner = SourceFile::new("wf.lock.yml", quoted)
            .embedded_json()
            .expect("the body");
        assert!(inner.origin.is_none() && inner.text.contains("$PORT"));
    }

    #[test]
    fn heredoc_bodies_are_found_with_any_quoting() {
        for opening in ["cat > a.json << EOF", "cat > a.json <<'EOF'", "cat <<-\"EOF\" > a.json"] {
            let text = format!("  {opening}\n  {{\"mcpServers\": {{}}}}\n  EOF\n  echo done\n");
            let mut at = 0;
            let lines: Vec<(usize, &str)> = text
                .split_inclusive('\n')
                .map(|line| {
                    at += line.len();
                    (at - line.len(), line)
                })
                .collect();
            let body = heredoc_body(&lines).expect(opening);
            assert_eq!(&text[body], "  {\"mcpServers\": {}}\n", "{opening}");
        }
        assert!(
            heredoc_body(&[(0, "cat << EOF\n"), (11, "{}\n")]).is_none(),
            "unterminated"
        );
    }
}
