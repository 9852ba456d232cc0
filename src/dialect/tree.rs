//! The dialect-neutral document tree every backend produces: values with their byte spans.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use super::route::{Component, Route};

/// A half-open byte range `[start, end)` into the document text (after any BOM was removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }
}

/// One value of a parsed document, with the span of its source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: NodeValue,
    /// For scalars the scalar itself including quotes; for maps and sequences the whole block.
    pub span: Span,
    /// Key -> entry position for large maps, built on first lookup: a gateway config with
    /// thousands of servers would otherwise make every route lookup a scan of all of them.
    index: KeyIndex,
}

/// Maps with more entries than this get a hash index; smaller ones are scanned.
const INDEXED_MAP_LEN: usize = 16;

/// The lazily built key index of a map node. It is derived data: it never takes part in
/// equality and is not shown.
#[derive(Clone, Default)]
struct KeyIndex(OnceLock<HashMap<String, usize>>);

impl PartialEq for KeyIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for KeyIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyIndex")
    }
}

/// The shape of a node's value.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    /// A mapping, in source order. Duplicate keys are kept as written.
    Map(Vec<Entry>),
    Seq(Vec<Node>),
    Str(String),
    /// A number as written in the source (`42`, `1.5e3`, `0x1F` in YAML/TOML).
    Number(String),
    Bool(bool),
    Null,
    /// A TOML date-time, kept as text.
    DateTime(String),
}

/// A key of a mapping and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub value: Node,
}

impl Node {
    /// Moves every span of the tree (values and keys) through `map`: a tree parsed from a piece
    /// of a file, placed at that piece's offsets in the file.
    pub fn map_spans(&mut self, map: &impl Fn(Span) -> Span) {
        self.span = map(self.span);
        match &mut self.value {
            NodeValue::Map(entries) => {
                for entry in entries {
                    entry.key_span = map(entry.key_span);
                    entry.value.map_spans(map);
                }
            }
            NodeValue::Seq(items) => items.iter_mut().for_each(|item| item.map_spans(map)),
            _ => {}
        }
    }

    pub fn new(value: NodeValue, span: Span) -> Self {
        Self {
            value,
            span,
            index: KeyIndex::default(),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match &self.value {
            NodeValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            NodeValue::Map(entries) => Some(entries),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            NodeValue::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The value under `key` if this is a mapping (the last one wins, as in most loaders).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry under `key` if this is a mapping (the last one wins, as in most loaders).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        let entries = self.as_map()?;
        if entries.len() <= INDEXED_MAP_LEN {
            return entries.iter().rev().find(|e| e.key == key);
        }
        let index = self.index.0.get_or_init(|| {
            // Later duplicates overwrite earlier ones: the last key wins, as in the scan.
            entries.iter().enumerate().map(|(i, e)| (e.key.clone(), i)).collect()
        });
        index.get(key).map(|&i| &entries[i])
    }

    /// The node at `route`, if every component exists.
    pub fn at(&self, route: &Route) -> Option<&Node> {
        let mut node = self;
        for component in route.components() {
            node = match component {
                Component::Key(key) => node.get(key)?,
                Component::Index(i) => node.as_seq()?.get(*i)?,
            };
        }
        Some(node)
    }

    /// The span of the key that leads to `route` (for a map entry), else the value's span.
    pub fn key_span_at(&self, route: &Route) -> Option<Span> {
        let (last, parent) = route.split_last()?;
        let parent = self.at(&parent)?;
        match last {
            Component::Key(key) => parent.entry(key).map(|e| e.key_span),
            Component::Index(i) => parent.as_seq()?.get(*i).map(|n| n.span),
        }
    }

    /// A plain JSON value of this node, for schema validation and rule inspection.
    pub fn to_json(&self) -> Value {
        match &self.value {
            NodeValue::Map(entries) => {
                Value::Object(entries.iter().map(|e| (e.key.clone(), e.value.to_json())).collect())
            }
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Str(s) | NodeValue::DateTime(s) => Value::String(s.clone()),
            NodeValue::Number(n) => number_to_json(n),
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Null => Value::Null,
        }
    }
}

fn number_to_json(text: &str) -> Value {
    let cleaned = text.replace('_', "");
    if let Ok(i) = cleaned.parse::<i64>() {
        return Value::from(i);
    }
    if let Some(hex) = cleaned.strip_prefix("0x")
        && let Ok(i) = i64::from_str_radix(hex, 16)
    {
        return Value::from(i);
    }
    if let Ok(f) = cleaned.parse::<f64>()
        && let Some(n) = serde_json::Number::from_f64(f)
    {
        return Value::Number(n);
    }
    Value::String(text.to_owned())
}
