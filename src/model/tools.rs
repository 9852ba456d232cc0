//! Tool definitions as a server lists them (`tools/list`), their canonical digests and what their
//! annotations say: what `probe` records in the lock and the tool rules read.

use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// One tool of `tools/list`, as the server defined it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolDefinition {
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(rename = "inputSchema")]
    pub input_schema: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Value>,
    /// `sha256:<hex>` of the canonical definition: name, description, inputSchema and annotations
    /// as JSON with sorted keys and no whitespace.
    pub digest: String,
}

/// What a tool may do, by its annotations and the MCP defaults (`readOnlyHint` false,
/// `destructiveHint` true): a tool that says nothing may destroy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToolKind {
    ReadOnly,
    Write,
    Destructive,
}

impl ToolDefinition {
    /// Reads one entry of a `tools/list` result; None when it has no name.
    pub fn from_listing(entry: &Value) -> Option<Self> {
        let name = entry.get("name")?.as_str()?.to_owned();
        let description = entry.get("description").and_then(Value::as_str).map(str::to_owned);
        let input_schema = entry.get("inputSchema").cloned().unwrap_or(Value::Null);
        let annotations = entry.get("annotations").filter(|a| !a.is_null()).cloned();
        let digest = definition_digest(&name, description.as_deref(), &input_schema, annotations.as_ref());
        Some(Self {
            name,
            description,
            input_schema,
            annotations,
            digest,
        })
    }

    fn hint(&self, name: &str) -> Option<bool> {
        self.annotations.as_ref()?.get(name)?.as_bool()
    }

    /// The definition the digest is taken of, as one JSON object.
    pub fn definition(&self) -> Value {
        definition(
            &self.name,
            self.description.as_deref(),
            &self.input_schema,
            self.annotations.as_ref(),
        )
    }

    pub fn kind(&self) -> ToolKind {
        if self.hint("readOnlyHint") == Some(true) {
            ToolKind::ReadOnly
        } else if self.hint("destructiveHint") == Some(false) {
            ToolKind::Write
        } else {
            ToolKind::Destructive
        }
    }
}

/// What one server answered to `initialize` and `tools/list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToolListing {
    pub protocol_version: String,
    pub server_name: String,
    pub server_version: String,
    pub tools: Vec<ToolDefinition>,
    /// [`list_digest`] of `tools`.
    pub tools_digest: String,
}

impl ToolListing {
    pub fn count(&self, kind: ToolKind) -> usize {
        self.tools.iter().filter(|tool| tool.kind() == kind).count()
    }

    pub fn tool(&self, name: &str) -> Option<&ToolDefinition> {
        self.tools.iter().find(|tool| tool.name == name)
    }
}

/// `sha256:<hex>` of a tool's canonical definition.
pub fn definition_digest(
    name: &str,
    description: Option<&str>,
    input_schema: &Value,
    annotations: Option<&Value>,
) -> String {
    sha256(canonical_json(&definition(name, description, input_schema, annotations)).as_bytes())
}

fn definition(name: &str, description: Option<&str>, input_schema: &Value, annotations: Option<&Value>) -> Value {
    let mut definition = Map::new();
    definition.insert("name".into(), Value::String(name.to_owned()));
    if let Some(description) = description {
        definition.insert("description".into(), Value::String(description.to_owned()));
    }
    definition.insert("inputSchema".into(), input_schema.clone());
    if let Some(annotations) = annotations {
        definition.insert("annotations".into(), annotations.clone());
    }
    Value::Object(definition)
}

/// One digest of a server's whole tool list: its tools' names and digests, sorted by name.
pub fn list_digest(tools: &[ToolDefinition]) -> String {
    let mut lines: Vec<String> = tools.iter().map(|t| format!("{}\t{}\n", t.name, t.digest)).collect();
    lines.sort();
    sha256(lines.concat().as_bytes())
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

/// JSON with every object's keys sorted and no whitespace: the same definition always gives the
/// same bytes, whatever order the server wrote its keys in.
pub fn canonical_json(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                Value::Object(keys.into_iter().map(|k| (k.clone(), sorted(&map[k]))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(value).to_string()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_digest_ignores_key_order_and_whitespace() {
        let a = ToolDefinition::from_listing(&json!({
            "name": "read", "description": "Reads.",
            "inputSchema": {"type": "object", "properties": {"b": {"type": "string"}, "a": {"type": "number"}}},
            "annotations": {"readOnlyHint": true, "title": "Read"}
        }))
        .expect("tool");
        let b = ToolDefinition::from_listing(&json!({
            "annotations": {"title": "Read", "readOnlyHint": true},
            "inputSchema": {"properties": {"a": {"type": "number"}, "b": {"type": "string"}}, "type": "object"},
            "description": "Reads.", "name": "read"
        }))
        .expect("tool");
        assert_eq!(a.digest, b.digest);
        assert!(a.digest.starts_with("sha256:") && a.digest.len() == 7 + 64);
        let changed = ToolDefinition::from_listing(&json!({
            "name": "read", "description": "Reads. And sends.",
            "inputSchema": {"type": "object", "properties": {"b": {"type": "string"}, "a": {"type": "number"}}},
            "annotations": {"readOnlyHint": true, "title": "Read"}
        }))
        .expect("tool");
        assert_ne!(a.digest, changed.digest);
        assert_eq!(
            canonical_json(&json!({"b": [ {"d": 1, "c": 2} ], "a": null})),
            r#"{"a":null,"b":[{"c":2,"d":1}]}"#
        );
    }

    #[test]
    fn kinds_follow_the_annotation_defaults() {
        let kind = |annotations: Value| {
            ToolDefinition::from_listing(&json!({"name": "t", "inputSchema": {}, "annotations": annotations}))
                .expect("tool")
                .kind()
        };
        assert_eq!(kind(json!({"readOnlyHint": true})), ToolKind::ReadOnly);
        assert_eq!(
            kind(json!({"readOnlyHint": false, "destructiveHint": false})),
            ToolKind::Write
        );
        assert_eq!(kind(json!({"destructiveHint": true})), ToolKind::Destructive);
        assert_eq!(kind(Value::Null), ToolKind::Destructive, "no annotations: the defaults");
        assert_eq!(
            kind(json!({"readOnlyHint": "yes"})),
            ToolKind::Destructive,
            "only a boolean counts"
        );
    }

    #[test]
    fn the_list_digest_is_order_free() {
        let tool = |name: &str| ToolDefinition::from_listing(&json!({"name": name, "inputSchema": {}})).expect("tool");
        let (a, b) = (tool("a"), tool("b"));
        assert_eq!(list_digest(&[a.clone(), b.clone()]), list_digest(&[b, a.clone()]));
        assert_ne!(list_digest(std::slice::from_ref(&a)), list_digest(&[a.clone(), a]));
    }
}
