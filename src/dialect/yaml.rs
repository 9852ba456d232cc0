//! YAML backend: parses YAML with saphyr-parser into the span-carrying document tree.
//!
//! What the spans cover (the fix engine splices text at these ranges, so this is a contract):
//!
//! - **Plain and quoted scalars**: exactly the scalar's source text, quotes included, without any
//!   anchor (`&a`) or tag (`!!str`) in front of it. A multi-line plain or quoted scalar spans all
//!   its lines.
//! - **Block scalars** (`|`, `>`): from the indicator (`|`, `|-`, `>+2`, ...) to the end of the last
//!   non-blank content line (its trailing spaces included, its line break excluded). The header
//!   comment, if any, is inside the span; trailing blank lines (content under `|+`) are not.
//! - **Empty values** (`key:` with nothing after it): a zero-width span just after the `:`.
//! - **Aliases** (`*name`): the alias itself; the children of the resolved clone keep the spans of
//!   the anchored source.
//! - **Block mappings**: from the first key to the end of the last value. **Block sequences**: from
//!   the first `-` to the end of the last item. Neither includes an anchor or tag in front of it.
//! - **Flow collections**: from the opening to the closing bracket, both included.
//! - **Entry::key_span**: the key node's span as above. A key that is itself a collection is keyed
//!   by its source text.
//! - **Merged entries** (`<<: *base`): the anchored source's key and value spans.
//!
//! No span ever ends with a line break, so CRLF files never have a `\r` inside a span's tail.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

use super::ParseError;
use super::tree::{Entry, Node, NodeValue, Span};

/// What one node costs in the expansion budget besides its text: aliases are charged the bytes
/// they expand to, so a "billion laughs" of long strings is stopped as early as one of many nodes.
const NODE_WEIGHT: usize = 32;

/// The expansion budget of a document: ten times its text, and at least 16 MiB.
fn expansion_budget(text: &str) -> usize {
    text.len().saturating_mul(10).max(16 << 20)
}

/// Deepest nesting accepted. The tree's `Clone`, `Drop` and `to_json` recurse, so an unbounded
/// depth would overflow the stack later even though this builder is iterative.
const MAX_DEPTH: usize = super::MAX_DEPTH;

const CORE_SCHEMA_HANDLE: &str = "tag:yaml.org,2002:";

/// Parses the first non-empty document of `text` (BOM already removed).
///
/// An empty stream, or one whose documents are all empty, yields an empty mapping. Later documents
/// are scanned for syntax errors but not built.
pub fn parse(text: &str) -> Result<Node, ParseError> {
    let offsets = ByteOffsets::new(text);
    let mut builder = Builder::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut documents: Vec<Node> = Vec::new();
    while let Some(result) = parser.next_event() {
        let (event, span) = result.map_err(|error| scan_error(&offsets, &error))?;
        let start = offsets.byte(span.start.index());
        let end = offsets.byte(span.end.index()).max(start);
        if let Some(root) = builder.on_event(event, start, end)?
            && !is_empty_document(&root)
        {
            documents.push(root);
        }
    }
    // A stream of several documents (a Kubernetes manifest file) is the list of its documents, at
    // their own offsets: every resource is read, and a fix edits it in place.
    Ok(match documents.len() {
        0 => Node::new(NodeValue::Map(Vec::new()), Span::new(0, 0)),
        1 => documents.remove(0),
        _ => {
            let span = Span::new(documents[0].span.start, documents[documents.len() - 1].span.end);
            Node::new(NodeValue::Seq(documents), span)
        }
    })
}

/// The documents of a YAML stream: (byte offset, text) split at `---` lines (a
/// Kubernetes manifest file, a multi-document Helm template output).
pub fn documents(text: &str) -> Vec<(usize, &str)> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end();
        if bare == "---" || bare.starts_with("--- ") {
            if at > start {
                docs.push((start, &text[start..at]));
            }
            start = at + line.len();
        }
        at += line.len();
    }
    if at > start {
        docs.push((start, &text[start..at]));
    }
    docs
}

/// Converts saphyr's marker indices (counted in chars) to byte offsets.
struct ByteOffsets {
    /// Byte offset of each char, plus the text length at the end; `None` for ASCII text, where
    /// chars and bytes coincide.
    char_starts: Option<Vec<usize>>,
    len: usize,
}

impl ByteOffsets {
    fn new(text: &str) -> Self {
        let char_starts = (!text.is_ascii()).then(|| {
            text.char_indices()
                .map(|(byte, _)| byte)
                .chain(std::iter::once(text.len()))
                .collect()
        });
        Self {
            char_starts,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.char_starts {
            None => char_index.min(self.len),
            Some(starts) => starts.get(char_index).copied().unwrap_or(self.len),
        }
    }
}

fn scan_error(offsets: &ByteOffsets, error: &ScanError) -> ParseError {
    ParseError::new(offsets.byte(error.marker().index()), clean_message(error.info()))
}

/// Drops saphyr's parser-state preamble ("while parsing a block mapping, ...") and turns the
/// scanner's ("while scanning a quoted scalar, found ...") into a trailing "in a quoted scalar".
fn clean_message(info: &str) -> String {
    // saphyr counts flow nesting in a u8.
    if info == "recursion limit exceeded" {
        return "flow collections nested too deeply".to_owned();
    }
    if let Some(rest) = info.strip_prefix("while parsing ")
        && let Some((_, message)) = rest.split_once(", ")
    {
        return message.to_owned();
    }
    if let Some(rest) = info.strip_prefix("while scanning ")
        && let Some((context, message)) = rest.split_once(", ")
    {
        return format!("{message} in {context}");
    }
    info.to_owned()
}

/// True for a document with no content at all (`---` alone, or only comments).
fn is_empty_document(root: &Node) -> bool {
    root.value == NodeValue::Null && root.span.start == root.span.end
}

/// A collection being built.
struct Frame {
    kind: FrameKind,
    flow: bool,
    anchor_id: usize,
    /// Where to look for the block sequence's first `-`: after the node's properties, or after the
    /// event that preceded the sequence.
    search_from: usize,
    /// Byte where the collection's event (properties included) starts.
    event_start: usize,
    first_child_event_start: Option<usize>,
    nodes_before: usize,
}

enum FrameKind {
    Map {
        entries: Vec<Entry>,
        merge_indices: Vec<usize>,
        pending_key: Option<PendingKey>,
    },
    Seq {
        items: Vec<Node>,
    },
}

struct PendingKey {
    text: String,
    span: Span,
    is_merge: bool,
}

struct Anchored {
    node: Node,
    node_count: usize,
}

struct Builder<'text> {
    text: &'text str,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Anchored>,
    /// The bytes the document has expanded to so far (see [`NODE_WEIGHT`]).
    node_count: usize,
    budget: usize,
    /// End byte of the previous event: block-scalar indicators and `-` live between it and the
    /// next event's content.
    previous_end: usize,
}

impl<'text> Builder<'text> {
    fn new(text: &'text str) -> Self {
        Self {
            text,
            stack: Vec::new(),
            anchors: HashMap::new(),
            node_count: 0,
            budget: expansion_budget(text),
            previous_end: 0,
        }
    }

    /// Feeds one event; returns the document's root node once it is complete.
    fn on_event(&mut self, event: Event<'_>, start: usize, end: usize) -> Result<Option<Node>, ParseError> {
        let root = match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing => None,
            Event::DocumentStart(_) => {
                self.stack.clear();
                self.anchors.clear();
                self.node_count = 0;
                None
            }
            Event::DocumentEnd => None,
            Event::Scalar(value, style, anchor_id, tag) => {
                self.note_child_start(start);
                let weight = NODE_WEIGHT + value.len();
                let node = self.scalar(&value, style, tag.as_deref(), anchor_id > 0, start, end);
                self.complete(node, anchor_id, weight, weight)?
            }
            Event::Alias(anchor_id) => {
                self.note_child_start(start);
                let node = self.alias(anchor_id, start, end)?;
                self.complete(node, 0, 0, 0)?
            }
            Event::MappingStart(anchor_id, ref tag) | Event::SequenceStart(anchor_id, ref tag) => {
                self.note_child_start(start);
                if self.stack.len() >= MAX_DEPTH {
                    return Err(ParseError::new(
                        start,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                let has_properties = anchor_id > 0 || tag.is_some();
                let content_start = if has_properties {
                    skip_properties(self.text, start, end)
                } else {
                    start
                };
                let flow = matches!(self.text.as_bytes().get(content_start), Some(b'{' | b'['));
                let kind = if matches!(event, Event::MappingStart(..)) {
                    FrameKind::Map {
                        entries: Vec::new(),
                        merge_indices: Vec::new(),
                        pending_key: None,
                    }
                } else {
                    FrameKind::Seq { items: Vec::new() }
                };
                self.stack.push(Frame {
                    kind,
                    flow,
                    anchor_id,
                    search_from: if has_properties {
                        content_start
                    } else {
                        self.previous_end.min(start)
                    },
                    event_start: content_start,
                    first_child_event_start: None,
                    nodes_before: self.node_count,
                });
                None
            }
            Event::MappingEnd | Event::SequenceEnd => match self.stack.pop() {
                Some(frame) => {
                    let anchor_id = frame.anchor_id;
                    let subtree_weight = self.node_count - frame.nodes_before + NODE_WEIGHT;
                    let node = self.finish_collection(frame, end);
                    self.complete(node, anchor_id, subtree_weight, NODE_WEIGHT)?
                }
                None => None,
            },
        };
        self.previous_end = end;
        Ok(root)
    }

    fn note_child_start(&mut self, start: usize) {
        if let Some(frame) = self.stack.last_mut()
            && frame.first_child_event_start.is_none()
        {
            frame.first_child_event_start = Some(start);
        }
    }

    /// Counts, registers and attaches a finished node; returns it if it is the document root.
    ///
    /// `subtree_nodes` is the node's size for later aliases; `added_nodes` what it adds to the
    /// document count beyond what its children already added.
    fn complete(
        &mut self,
        node: Node,
        anchor_id: usize,
        subtree_nodes: usize,
        added_nodes: usize,
    ) -> Result<Option<Node>, ParseError> {
        self.node_count += added_nodes;
        if self.node_count > self.budget {
            return Err(self.too_large(node.span.start));
        }
        if anchor_id > 0 {
            self.anchors.insert(
                anchor_id,
                Anchored {
                    node_count: subtree_nodes,
                    node: node.clone(),
                },
            );
        }
        let Some(frame) = self.stack.last_mut() else {
            return Ok(Some(node));
        };
        match &mut frame.kind {
            FrameKind::Seq { items } => items.push(node),
            FrameKind::Map {
                entries,
                merge_indices,
                pending_key,
            } => match pending_key.take() {
                None => {
                    // Only a plain `<<` merges; a quoted "<<" is an ordinary key.
                    let is_merge =
                        node.as_str() == Some("<<") && self.text.get(node.span.start..node.span.end) == Some("<<");
                    *pending_key = Some(PendingKey {
                        text: key_text(self.text, &node),
                        span: node.span,
                        is_merge,
                    });
                }
                Some(key) => {
                    if key.is_merge {
                        merge_indices.push(entries.len());
                    }
                    entries.push(Entry {
                        key: key.text,
                        key_span: key.span,
                        value: node,
                    });
                }
            },
        }
        Ok(None)
    }

    fn too_large(&self, offset: usize) -> ParseError {
        ParseError::new(
            offset,
            format!(
                "the document expands to more than {} bytes through its aliases (an alias bomb?): the limit is ten times the file, and at least 16 MiB",
                self.budget
            ),
        )
    }

    fn alias(&mut self, anchor_id: usize, start: usize, end: usize) -> Result<Node, ParseError> {
        let Some(anchored) = self.anchors.get(&anchor_id) else {
            return Err(ParseError::new(
                start,
                "alias refers to its own enclosing node (recursive anchor)",
            ));
        };
        // The node count check must precede the clone, or the clone itself is the bomb.
        if self.node_count + anchored.node_count > self.budget {
            return Err(self.too_large(start));
        }
        self.node_count += anchored.node_count;
        let mut node = anchored.node.clone();
        node.span = Span::new(start, end);
        Ok(node)
    }

    fn finish_collection(&self, frame: Frame, end_event_end: usize) -> Node {
        match frame.kind {
            FrameKind::Seq { items } => {
                let span = if frame.flow {
                    Span::new(frame.event_start, end_event_end)
                } else {
                    let dash = frame.first_child_event_start.and_then(|child_start| {
                        last_indicator(self.text, frame.search_from, child_start, |b| b == b'-')
                    });
                    let start = dash
                        .or_else(|| items.first().map(|item| item.span.start))
                        .unwrap_or(frame.event_start);
                    let end = items.last().map_or(start, |item| item.span.end);
                    Span::new(start, end.max(start))
                };
                Node::new(NodeValue::Seq(items), span)
            }
            FrameKind::Map {
                entries,
                merge_indices,
                pending_key,
            } => {
                let span = if frame.flow {
                    Span::new(frame.event_start, end_event_end)
                } else {
                    let start = entries
                        .first()
                        .map(|entry| entry.key_span.start)
                        .or(pending_key.as_ref().map(|key| key.span.start))
                        .unwrap_or(frame.event_start);
                    let end = entries.last().map_or(start, |entry| entry.value.span.end);
                    Span::new(start, end.max(start))
                };
                let entries = if merge_indices.is_empty() {
                    entries
                } else {
                    apply_merge_keys(entries, &merge_indices)
                };
                Node::new(NodeValue::Map(entries), span)
            }
        }
    }

    fn scalar(
        &self,
        value: &str,
        style: ScalarStyle,
        tag: Option<&Tag>,
        has_anchor: bool,
        start: usize,
        end: usize,
    ) -> Node {
        let has_properties = has_anchor || tag.is_some();
        let content_start = if has_properties {
            skip_properties(self.text, start, end)
        } else {
            start
        };
        let span = match style {
            ScalarStyle::Literal | ScalarStyle::Folded => self.block_scalar_span(content_start, end),
            ScalarStyle::Plain if value.is_empty() => {
                let at = if has_properties {
                    content_start
                } else {
                    self.empty_value_position(start)
                };
                Span::new(at, at)
            }
            ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted => {
                // saphyr's event can run past the closing quote (up to a trailing comment): end at the quote.
                let close = closing_quote(self.text, content_start, style == ScalarStyle::DoubleQuoted);
                Span::new(content_start, close.unwrap_or(end).max(content_start))
            }
            _ => Span::new(content_start, end.max(content_start)),
        };
        Node::new(resolve_scalar(value, style, tag), span)
    }

    /// saphyr places an empty value on the `:` or `-` before it, or on whatever token follows
    /// (possibly on the next line); the value belongs right after its indicator or key instead.
    fn empty_value_position(&self, raw_start: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut at = raw_start.min(bytes.len());
        if matches!(bytes.get(at), Some(b':' | b'-')) {
            at += 1;
        }
        while at > self.previous_end && matches!(bytes[at - 1], b' ' | b'\t' | b'\r' | b'\n') {
            at -= 1;
        }
        at
    }

    fn block_scalar_span(&self, content_start: usize, raw_end: usize) -> Span {
        let bytes = self.text.as_bytes();
        let start = if matches!(bytes.get(content_start), Some(b'|' | b'>')) {
            content_start
        } else {
            // saphyr starts the span at the first content line; the header is earlier.
            last_indicator(self.text, self.previous_end, content_start, |b| b == b'|' || b == b'>')
                .unwrap_or(content_start)
        };
        // saphyr ends the span at the next token, after trailing breaks and indentation.
        let last_content = bytes[start..raw_end]
            .iter()
            .rposition(|b| !b.is_ascii_whitespace())
            .map_or(start, |i| start + i);
        let line_end = bytes[last_content..raw_end]
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .map_or(raw_end, |i| last_content + i);
        Span::new(start, line_end.max(start))
    }
}

/// The key string of a mapping key: a scalar's value, else (`? [a, b]`) its source text.
fn key_text(text: &str, key: &Node) -> String {
    match &key.value {
        NodeValue::Str(s) | NodeValue::Number(s) | NodeValue::DateTime(s) => s.clone(),
        NodeValue::Bool(_) | NodeValue::Null | NodeValue::Map(_) | NodeValue::Seq(_) => {
            text.get(key.span.start..key.span.end).unwrap_or_default().to_owned()
        }
    }
}

/// Replaces each `<<` entry with the entries of the mapping(s) it names, except keys the mapping
/// sets explicitly (they win wherever they are) and keys an earlier merge source already gave.
fn apply_merge_keys(entries: Vec<Entry>, merge_indices: &[usize]) -> Vec<Entry> {
    let is_mergeable = |entry: &Entry| match &entry.value.value {
        NodeValue::Map(_) => true,
        NodeValue::Seq(items) => items.iter().all(|item| item.as_map().is_some()),
        _ => false,
    };
    let merges: HashSet<usize> = merge_indices
        .iter()
        .copied()
        .filter(|&i| entries.get(i).is_some_and(is_mergeable))
        .collect();
    let explicit: HashSet<String> = entries
        .iter()
        .enumerate()
        .filter(|(i, _)| !merges.contains(i))
        .map(|(_, entry)| entry.key.clone())
        .collect();
    let mut merged_keys: HashSet<String> = HashSet::new();
    let mut result = Vec::with_capacity(entries.len());
    for (index, entry) in entries.into_iter().enumerate() {
        if !merges.contains(&index) {
            result.push(entry);
            continue;
        }
        let sources = match entry.value.value {
            NodeValue::Map(source) => vec![source],
            NodeValue::Seq(items) => items
                .into_iter()
                .filter_map(|item| match item.value {
                    NodeValue::Map(source) => Some(source),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for source_entry in sources.into_iter().flatten() {
            if !explicit.contains(&source_entry.key) && merged_keys.insert(source_entry.key.clone()) {
                result.push(source_entry);
            }
        }
    }
    result
}

/// The byte after an anchor/tag prefix (`&a !!str `, possibly across lines and comments).
fn skip_properties(text: &str, start: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    let end = end.min(bytes.len());
    let mut pos = start;
    while pos < end {
        match bytes[pos] {
            b'&' | b'!' => {
                if bytes.get(pos + 1) == Some(&b'<') {
                    // Verbatim tag `!<...>`: may contain flow indicators.
                    pos = bytes[pos..end]
                        .iter()
                        .position(|&b| b == b'>')
                        .map_or(end, |i| pos + i + 1);
                } else {
                    pos += 1;
                    while pos < end
                        && !bytes[pos].is_ascii_whitespace()
                        && !matches!(bytes[pos], b',' | b'[' | b']' | b'{' | b'}')
                    {
                        pos += 1;
                    }
                }
                pos = skip_blanks_and_comments(bytes, pos, end);
            }
            _ => break,
        }
    }
    pos
}

fn skip_blanks_and_comments(bytes: &[u8], mut pos: usize, end: usize) -> usize {
    while pos < end {
        match bytes[pos] {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'#' => {
                while pos < end && bytes[pos] != b'\n' && bytes[pos] != b'\r' {
                    pos += 1;
                }
            }
            _ => break,
        }
    }
    pos
}

/// The last indicator byte in `[from, to)` outside comments that is followed by a blank, a line
/// break or `to`. Only indicators, blanks and comments lie between two events, so any `#` there
/// starts a comment.
fn last_indicator(text: &str, from: usize, to: usize, is_indicator: impl Fn(u8) -> bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let to = to.min(bytes.len());
    let mut found = None;
    let mut pos = from;
    while pos < to {
        let byte = bytes[pos];
        if byte == b'#' {
            while pos < to && bytes[pos] != b'\n' && bytes[pos] != b'\r' {
                pos += 1;
            }
            continue;
        }
        if is_indicator(byte) {
            found = Some(pos);
        }
        pos += 1;
    }
    found
}

/// Resolves a scalar by the YAML 1.2 core schema: plain scalars by their text, quoted and block
/// scalars to strings, core-schema tags as given. Other tags (`!Ref`, `!env`) are ignored.
fn resolve_scalar(value: &str, style: ScalarStyle, tag: Option<&Tag>) -> NodeValue {
    if let Some(tag) = tag {
        if tag.handle == CORE_SCHEMA_HANDLE {
            let resolved = match tag.suffix.as_str() {
                "str" => Some(NodeValue::Str(value.to_owned())),
                "null" => Some(NodeValue::Null),
                "bool" => parse_bool(value).map(NodeValue::Bool),
                "int" => is_int(value).then(|| NodeValue::Number(value.to_owned())),
                "float" => (is_int(value) || is_float(value)).then(|| NodeValue::Number(value.to_owned())),
                _ => None,
            };
            if let Some(resolved) = resolved {
                return resolved;
            }
            // A value its tag cannot hold (`!!int abc`) stays the text it is.
            return NodeValue::Str(value.to_owned());
        }
        // The non-specific tag `!` forces a string.
        if tag.handle.is_empty() && tag.suffix == "!" {
            return NodeValue::Str(value.to_owned());
        }
    }
    if style != ScalarStyle::Plain {
        return NodeValue::Str(value.to_owned());
    }
    match value {
        "" | "~" | "null" | "Null" | "NULL" => NodeValue::Null,
        _ => {
            if let Some(b) = parse_bool(value) {
                NodeValue::Bool(b)
            } else if is_int(value) || is_float(value) {
                NodeValue::Number(value.to_owned())
            } else {
                NodeValue::Str(value.to_owned())
            }
        }
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn all_digits(s: &str, radix: u32) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_digit(radix))
}

/// Core schema ints: `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`.
fn is_int(value: &str) -> bool {
    if let Some(octal) = value.strip_prefix("0o") {
        return all_digits(octal, 8);
    }
    if let Some(hex) = value.strip_prefix("0x") {
        return all_digits(hex, 16);
    }
    all_digits(value.strip_prefix(['-', '+']).unwrap_or(value), 10)
}

/// Core schema floats: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `[-+]?.inf`, `.nan`.
fn is_float(value: &str) -> bool {
    if matches!(value, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let unsigned = value.strip_prefix(['-', '+']).unwrap_or(value);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
        return true;
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (whole.is_empty() && all_digits(fraction, 10))
                || (all_digits(whole, 10) && (fraction.is_empty() || all_digits(fraction, 10)))
        }
        None => all_digits(mantissa, 10),
    };
    let exponent_ok = exponent.is_none_or(|e| all_digits(e.strip_prefix(['-', '+']).unwrap_or(e), 10));
    mantissa_ok && exponent_ok
}

/// The offset just past the quote that closes the quoted scalar opening at `start`.
fn closing_quote(text: &str, start: usize, double: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = if double { b'"' } else { b'\'' };
    if bytes.get(start) != Some(&quote) {
        return None;
    }
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if double => i += 2,
            b if b == quote && !double && bytes.get(i + 1) == Some(&quote) => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::dialect::route::Route;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    fn route(path: &str) -> Route {
        path.split('.').fold(Route::root(), |route, key| route.key(key))
    }

    /// Asserts that a scalar's span slices source text that spells its value.
    fn assert_scalar_matches_source(text: &str, node: &Node, context: &str) {
        let source = slice(text, node.span);
        if source.starts_with('*') {
            return; // an alias: its span is the alias, not the anchored scalar
        }
        match &node.value {
            NodeValue::Null => assert!(
                matches!(source, "" | "~" | "null" | "Null" | "NULL"),
                "{context}: null spans {source:?}"
            ),
            NodeValue::Bool(b) => assert_eq!(source.to_lowercase(), b.to_string(), "{context}"),
            NodeValue::Number(n) => assert_eq!(source, n, "{context}"),
            NodeValue::Str(value) => assert_str_matches_source(source, value, context),
            NodeValue::DateTime(_) => panic!("{context}: YAML produced a DateTime"),
            NodeValue::Map(_) | NodeValue::Seq(_) => {}
        }
    }

    fn assert_str_matches_source(source: &str, value: &str, context: &str) {
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        if let Some(inner) = source.strip_prefix('"') {
            let inner = inner.strip_suffix('"');
            assert!(inner.is_some(), "{context}: unterminated {source:?}");
            let inner = inner.unwrap_or_default();
            if !inner.contains('\\') {
                assert_eq!(words(inner), words(value), "{context}");
            }
        } else if let Some(inner) = source.strip_prefix('\'') {
            let inner = inner.strip_suffix('\'').unwrap_or_default();
            assert_eq!(words(&inner.replace("''", "'")), words(value), "{context}");
        } else if source.starts_with('|') || source.starts_with('>') {
            let body = source.split_once('\n').map_or("", |(_, body)| body);
            assert_eq!(words(body), words(value), "{context}: block {source:?}");
        } else {
            assert_eq!(words(source), words(value), "{context}");
        }
    }

    /// Walks the tree without recursion and checks every scalar and key span.
    fn assert_spans_match_source(text: &str, root: &Node, context: &str) {
        let mut pending = vec![root];
        while let Some(node) = pending.pop() {
            assert!(node.span.start <= node.span.end && node.span.end <= text.len());
            assert!(text.is_char_boundary(node.span.start) && text.is_char_boundary(node.span.end));
            assert!(!slice(text, node.span).ends_with(['\r', '\n']), "{context}");
            match &node.value {
                NodeValue::Map(entries) => {
                    for entry in entries {
                        let key = Node::new(NodeValue::Str(entry.key.clone()), entry.key_span);
                        if !slice(text, entry.key_span).starts_with(['[', '{']) {
                            assert_scalar_matches_source(text, &key, context);
                        }
                        pending.push(&entry.value);
                    }
                }
                NodeValue::Seq(items) => pending.extend(items),
                _ => assert_scalar_matches_source(text, node, context),
            }
        }
    }

    fn corpus_files(dialect: &str) -> Vec<PathBuf> {
        let dir = crate::test_support::shared("corpus").join(dialect);
        let entries = std::fs::read_dir(&dir).expect("corpus directory readable");
        let mut files: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
            .collect();
        files.sort();
        files
    }

    /// Every LiteLLM and Helm corpus file parses, and every scalar span spells its value.
    #[test]
    #[ignore = "needs ../shared beside the repository"]
    fn corpus_files_parse_with_matching_spans() {
        let files: Vec<PathBuf> = corpus_files("litellm")
            .into_iter()
            .chain(corpus_files("helm"))
            .collect();
        assert!(files.len() >= 2, "the corpus should hold LiteLLM and Helm files");
        for path in files {
            let text = std::fs::read_to_string(&path).expect("corpus file is UTF-8");
            let context = path.display().to_string();
            let root = parse(&text).unwrap_or_else(|e| panic!("{context}: {e:?}"));
            // A manifest stream is the list of its documents.
            let documents = root.as_seq().map_or_else(|| vec![&root], |docs| docs.iter().collect());
            assert!(
                documents.iter().all(|d| d.as_map().is_some_and(|m| !m.is_empty())),
                "{context}"
            );
            assert_spans_match_source(&text, &root, &context);
        }
    }

    /// Key and value spans of a nested entry slice exactly the key and the quoted value.
    #[test]
    fn nested_entry_spans() {
        let text = "model_list: []\nmcp_servers:\n  github_tools:\n    url: \"https://api.github.com/mcp\"\n    transport: http\n";
        let root = parse(text).expect("parses");
        let url = route("mcp_servers.github_tools.url");
        let value = root.at(&url).expect("url exists");
        assert_eq!(slice(text, value.span), "\"https://api.github.com/mcp\"");
        assert_eq!(value.as_str(), Some("https://api.github.com/mcp"));
        let key_span = root.key_span_at(&url).expect("key span");
        assert_eq!(slice(text, key_span), "url");
        assert_eq!(key_span.start, text.find("url").expect("url in text"));
        let server = root.at(&route("mcp_servers.github_tools")).expect("server");
        assert_eq!(
            slice(text, server.span),
            "url: \"https://api.github.com/mcp\"\n    transport: http"
        );
    }

    /// CRLF line endings: spans exclude the `\r`, and a last line without newline works.
    #[test]
    fn crlf_spans_exclude_carriage_returns() {
        let text = "a: 1\r\nb: \"x\"\r\nc:\r\n  - y\r\n  - z\r\nd: |\r\n  block\r\ne: last";
        let root = parse(text).expect("parses");
        assert_spans_match_source(text, &root, "crlf");
        assert_eq!(slice(text, root.get("b").expect("b").span), "\"x\"");
        assert_eq!(slice(text, root.get("c").expect("c").span), "- y\r\n  - z");
        let d = root.get("d").expect("d");
        assert_eq!(d.as_str(), Some("block\n"));
        assert_eq!(slice(text, d.span), "|\r\n  block");
        assert_eq!(slice(text, root.get("e").expect("e").span), "last");
        assert_eq!(root.span, Span::new(0, text.len()));
    }

    /// Non-ASCII comments and values before and inside mappings keep spans on byte boundaries.
    #[test]
    fn non_ascii_text_maps_chars_to_bytes() {
        let text = "# — → config ✓\nmcp_servers: # → servers\n  # — comment\n  tools:\n    name: \"héllo — wörld\"\n    url: https://x.example/→\n    note: ok # ✓ done\n";
        let root = parse(text).expect("parses");
        assert_spans_match_source(text, &root, "non-ascii");
        let tools = root.at(&route("mcp_servers.tools")).expect("tools");
        assert_eq!(slice(text, tools.get("name").expect("name").span), "\"héllo — wörld\"");
        assert_eq!(slice(text, tools.get("url").expect("url").span), "https://x.example/→");
        assert_eq!(slice(text, tools.get("note").expect("note").span), "ok");
        let note_key = tools.entry("note").expect("note entry").key_span;
        assert_eq!(slice(text, note_key), "note");
    }

    /// Block scalars span from the indicator to the end of their last content line.
    #[test]
    fn block_scalar_spans_cover_indicator_and_content() {
        let text = "a: |\n  line1\n  line2\n\nb: >- # folded | note\n  one\n  two\nc: &anchor !!str |+\n  kept\n\n# trailing comment\nd: end\n";
        let root = parse(text).expect("parses");
        let a = root.get("a").expect("a");
        assert_eq!(a.as_str(), Some("line1\nline2\n"));
        assert_eq!(slice(text, a.span), "|\n  line1\n  line2");
        let b = root.get("b").expect("b");
        assert_eq!(b.as_str(), Some("one two"));
        assert_eq!(slice(text, b.span), ">- # folded | note\n  one\n  two");
        let c = root.get("c").expect("c");
        assert_eq!(c.as_str(), Some("kept\n\n"));
        assert_eq!(slice(text, c.span), "|+\n  kept");
        assert_eq!(slice(text, root.get("d").expect("d").span), "end");
    }

    /// Flow collections span their brackets; their children have their own spans.
    #[test]
    fn flow_collections() {
        let text = "outer: {a: 1, b: [x, \"y\"], c: {}}\nlist: [p: 1, q]\n";
        let root = parse(text).expect("parses");
        let outer = root.get("outer").expect("outer");
        assert_eq!(slice(text, outer.span), "{a: 1, b: [x, \"y\"], c: {}}");
        assert_eq!(outer.get("a").expect("a").value, NodeValue::Number("1".into()));
        let b = outer.get("b").expect("b");
        assert_eq!(slice(text, b.span), "[x, \"y\"]");
        let items = b.as_seq().expect("seq");
        assert_eq!(slice(text, items[1].span), "\"y\"");
        assert_eq!(slice(text, outer.get("c").expect("c").span), "{}");
        let list = root.get("list").expect("list").as_seq().expect("seq");
        assert_eq!(slice(text, list[0].span), "p: 1");
        assert_eq!(list[1].as_str(), Some("q"));
        assert_spans_match_source(text, &root, "flow");
    }

    /// Aliases clone the anchored node under their own span; merge keys add non-overridden keys.
    #[test]
    fn anchors_aliases_and_merge_keys() {
        let text = "base: &base\n  transport: http\n  url: https://a\nauth: &auth\n  auth_type: api_key\n  transport: sse\nserver:\n  <<: *base\n  url: https://b\ncopy: *base\nboth:\n  <<: [*base, *auth]\n";
        let root = parse(text).expect("parses");
        let copy = root.get("copy").expect("copy");
        assert_eq!(slice(text, copy.span), "*base");
        assert_eq!(copy.to_json(), root.get("base").expect("base").to_json());

        let server = root.get("server").expect("server");
        let keys: Vec<&str> = server.as_map().expect("map").iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["transport", "url"]);
        assert_eq!(server.get("url").and_then(Node::as_str), Some("https://b"));
        let merged = server.entry("transport").expect("merged entry");
        assert_eq!(merged.key_span, Span::new(14, 23));
        assert_eq!(slice(text, merged.value.span), "http");

        let both = root.get("both").expect("both");
        assert_eq!(both.get("transport").and_then(Node::as_str), Some("http"));
        assert_eq!(both.get("auth_type").and_then(Node::as_str), Some("api_key"));
        assert_eq!(both.as_map().map(<[Entry]>::len), Some(3));
    }

    /// An exponential alias bomb is refused instead of exhausting memory.
    #[test]
    fn alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..12 {
            let previous = format!("*a{}", level - 1);
            let items = [previous.as_str(); 10].join(", ");
            text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        let error = parse(&text).expect_err("bomb is refused");
        assert!(error.message.contains("alias bomb"), "{error:?}");
    }

    /// Few nodes of long strings: the budget counts bytes, not nodes (a 16 KB file of aliases
    /// to 4 KB strings would expand past 60 GB).
    #[test]
    fn a_bomb_of_long_strings_is_refused() {
        let long = "x".repeat(4000);
        let mut text = format!("a0: &a0 [\"{long}\", \"{long}\", \"{long}\", \"{long}\"]\n");
        for level in 1..12 {
            let previous = format!("*a{}", level - 1);
            text.push_str(&format!(
                "a{level}: &a{level} [{previous}, {previous}, {previous}, {previous}]\n"
            ));
        }
        let error = parse(&text).expect_err("bomb is refused");
        assert!(error.message.contains("alias bomb"), "{error:?}");
        // An ordinary file with anchors stays well inside the budget.
        assert!(parse("a: &a {x: 1}\nb: *a\nc: {<<: *a, y: 2}\n").is_ok());
    }

    /// Multi-document streams yield the list of their non-empty documents, a single document
    /// itself; empty input an empty map.
    #[test]
    fn documents_split_at_separators() {
        let text = "a: 1\n---\nb: 2\n--- # c\nc: 3\n";
        let docs = documents(text);
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[1], (9, "b: 2\n"));
        assert_eq!(&text[docs[2].0..], "c: 3\n");
    }

    #[test]
    fn multi_document_streams() {
        let text = "---\n# only a comment\n---\na: 1\n---\nb: 2\n";
        let root = parse(text).expect("parses");
        assert_eq!(root.to_json(), serde_json::json!([{"a": 1}, {"b": 2}]));
        let second = root
            .at(&crate::dialect::Route::root().index(1))
            .expect("second document");
        assert_eq!(&text[second.span.start..second.span.end], "b: 2");
        let root = parse("---\na: 1\n...\n").expect("parses");
        assert_eq!(root.to_json(), serde_json::json!({"a": 1}));
        for empty in ["", "---\n", "# nothing\n", "---\n...\n---\n"] {
            let root = parse(empty).expect("parses");
            assert_eq!(root.as_map().map(<[Entry]>::len), Some(0), "{empty:?}");
        }
    }

    /// Plain scalars resolve by the YAML 1.2 core schema; quoted and block scalars stay strings.
    #[test]
    fn core_schema_typing() {
        let text = "n1: null\nn2: ~\nn3: NULL\nn4:\nb1: true\nb2: False\nb3: TRUE\nyes: yes\ni1: 42\ni2: -7\ni3: 0x1F\ni4: 0o17\nf1: 1.5\nf2: .inf\nf3: -.inf\nf4: .nan\nf5: 1e3\nq1: \"true\"\nq2: '42'\nblk: |\n  true\nver: 1.2.3\nt1: !!str 42\nt2: !!int \"42\"\nt3: !!bool \"true\"\nt4: !Ref 42\nt5: !env true\n";
        let root = parse(text).expect("parses");
        let value = |key: &str| root.get(key).map(|n| n.value.clone());
        let number = |s: &str| Some(NodeValue::Number(s.to_owned()));
        let string = |s: &str| Some(NodeValue::Str(s.to_owned()));
        for key in ["n1", "n2", "n3", "n4"] {
            assert_eq!(value(key), Some(NodeValue::Null), "{key}");
        }
        assert_eq!(value("b1"), Some(NodeValue::Bool(true)));
        assert_eq!(value("b2"), Some(NodeValue::Bool(false)));
        assert_eq!(value("b3"), Some(NodeValue::Bool(true)));
        assert_eq!(value("yes"), string("yes"));
        for (key, n) in [("i1", "42"), ("i2", "-7"), ("i3", "0x1F"), ("i4", "0o17")] {
            assert_eq!(value(key), number(n), "{key}");
        }
        for (key, n) in [
            ("f1", "1.5"),
            ("f2", ".inf"),
            ("f3", "-.inf"),
            ("f4", ".nan"),
            ("f5", "1e3"),
        ] {
            assert_eq!(value(key), number(n), "{key}");
        }
        assert_eq!(value("q1"), string("true"));
        assert_eq!(value("q2"), string("42"));
        assert_eq!(value("blk"), string("true\n"));
        assert_eq!(value("ver"), string("1.2.3"));
        assert_eq!(value("t1"), string("42"));
        assert_eq!(value("t2"), number("42"));
        assert_eq!(value("t3"), Some(NodeValue::Bool(true)));
        assert_eq!(value("t4"), number("42"));
        assert_eq!(value("t5"), Some(NodeValue::Bool(true)));
        assert_eq!(slice(text, root.get("t1").expect("t1").span), "42");
    }

    /// Duplicate keys are kept in order, and non-scalar keys are keyed by their source text.
    #[test]
    fn duplicate_and_complex_keys() {
        let root = parse("a: 1\na: 2\n? [x, y]\n: v\n").expect("parses");
        let keys: Vec<&str> = root.as_map().expect("map").iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["a", "a", "[x, y]"]);
        assert_eq!(
            root.get("a").map(|n| n.value.clone()),
            Some(NodeValue::Number("2".into()))
        );
    }

    /// Syntax errors carry the byte offset of the problem and a message without parser noise.
    #[test]
    fn error_offsets_are_bytes() {
        let text = "# — →\na: \"unclosed\n";
        let error = parse(text).expect_err("unclosed quote");
        assert_eq!(error.offset, text.find('"').expect("quote"));
        assert!(!error.message.starts_with("while"), "{error:?}");

        let text = "a: 1\n b: 2\n";
        let error = parse(text).expect_err("bad indentation");
        assert!(error.offset >= 5 && error.offset <= text.len(), "{error:?}");

        let text = "é: ok\nkey: [unclosed\n";
        let error = parse(text).expect_err("unclosed flow sequence");
        assert!(error.offset > text.find('[').expect("bracket"), "{error:?}");
        assert!(text.is_char_boundary(error.offset));
    }

    /// Malformed and hostile inputs return an error or a tree, never a panic or stack overflow.
    #[test]
    fn hostile_inputs_do_not_panic() {
        let deep_flow = "[".repeat(10_000);
        let deep_block: String = (0..2_000).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        let garbage: String = (0u32..2_000)
            .filter_map(|i| char::from_u32((i * 7919) % 0x3000))
            .collect();
        let inputs = [
            "a: \"unclosed",
            "a: 'unclosed\n",
            "a:\n\tb: 1\n",
            "key: [unclosed",
            "key: {a: 1",
            "---",
            "---\n",
            "...\n",
            ": :\n- - -\n? ? ?\n",
            "&a [*a]\n",
            "a: *missing\n",
            "!!int abc\n",
            "%YAML 1.2\n%YAML 1.2\n---\n",
            "\u{feff}a: 1\n",
            "a: |\n  x\n b\n",
            "\u{0}\u{1}\u{7f}\u{fffd}",
            deep_flow.as_str(),
            deep_block.as_str(),
            garbage.as_str(),
        ];
        for input in inputs {
            if let Ok(root) = parse(input) {
                assert_spans_match_source(input, &root, &input.chars().take(20).collect::<String>());
            }
        }
        let error = parse(&deep_flow).expect_err("too deep");
        assert!(error.message.contains("nested too deeply"), "{error:?}");
        let error = parse(&deep_block).expect_err("too deep");
        assert!(error.message.contains("nesting deeper"), "{error:?}");
    }

    /// Every prefix of a realistic config parses or errors without panicking.
    #[test]
    fn truncated_inputs_do_not_panic() {
        let text = "# — config\nmodel_list:\n  - model_name: gpt\n    litellm_params: {model: \"openai/gpt\", key: 'k'}\nmcp_servers:\n  a: &a\n    url: \"https://x\"\n    desc: |\n      multi\n  b:\n    <<: *a\n";
        for (end, _) in text.char_indices() {
            let _ = parse(&text[..end]);
        }
        assert!(parse(text).is_ok());
    }
}
