//! What a tool can do in a toxic flow: read private data, take in text anyone can write, or send
//! data where someone else can read it; and how a tool's definition says so.
//!
//! The classification is offline and errs toward silence: a tool is given a role only when its
//! server's entry in the knowledge table (`fixers/servers/*.toml`, `[flows]`) names it, or when
//! its definition leaves little doubt: a string parameter that takes a URL (the tool reaches an
//! address the caller chooses: it reads what is there and sends whatever the URL carries), an
//! annotation that it reads the open world (`readOnlyHint` and `openWorldHint`) or writes to it
//! (`openWorldHint` without `readOnlyHint`), a recipient parameter (`to`, `recipient`, `channel`)
//! on a tool that is not read-only, a repository parameter (`repo`: read-only, it reads private
//! and public repositories; otherwise it writes to one), or a file path or query parameter on a
//! read-only tool of a closed world. Names and descriptions are not guessed from.

use serde::Serialize;
use serde_json::Value;

use super::tools::ToolDefinition;

/// A tool's part in a toxic flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlowRole {
    /// Reads data that is not public (files, private repositories, a mailbox, a database).
    Private,
    /// Takes in text anyone can write (web pages, issues, messages from others).
    Untrusted,
    /// Sends data where someone else can read it (a URL of the caller's choice, a message, a
    /// public repository).
    Sink,
}

impl FlowRole {
    pub const ALL: [FlowRole; 3] = [FlowRole::Private, FlowRole::Untrusted, FlowRole::Sink];

    /// The name the knowledge table and the JSON output use.
    pub fn name(self) -> &'static str {
        match self {
            FlowRole::Private => "private",
            FlowRole::Untrusted => "untrusted",
            FlowRole::Sink => "sink",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.name() == name)
    }

    /// What tools of this role do, for a message ("tools that ...").
    pub fn describe(self) -> &'static str {
        match self {
            FlowRole::Private => "read private data",
            FlowRole::Untrusted => "take in text anyone can write",
            FlowRole::Sink => "send data out",
        }
    }
}

/// The roles of one tool (a small set: at most the three roles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Roles {
    pub private: bool,
    pub untrusted: bool,
    pub sink: bool,
}

impl Roles {
    pub fn of(roles: &[FlowRole]) -> Self {
        let mut set = Self::default();
        for role in roles {
            set.insert(*role);
        }
        set
    }

    pub fn insert(&mut self, role: FlowRole) {
        match role {
            FlowRole::Private => self.private = true,
            FlowRole::Untrusted => self.untrusted = true,
            FlowRole::Sink => self.sink = true,
        }
    }

    pub fn has(self, role: FlowRole) -> bool {
        match role {
            FlowRole::Private => self.private,
            FlowRole::Untrusted => self.untrusted,
            FlowRole::Sink => self.sink,
        }
    }

    pub fn is_empty(self) -> bool {
        !(self.private || self.untrusted || self.sink)
    }
}

/// Parameter names that take an address the tool reaches.
const URL_PARAMETERS: [&str; 8] = [
    "url",
    "uri",
    "urls",
    "href",
    "link",
    "endpoint",
    "webhook",
    "webhook_url",
];

/// Parameter names that say where a message goes.
const RECIPIENT_PARAMETERS: [&str; 8] = [
    "to",
    "recipient",
    "recipients",
    "email_to",
    "channel",
    "channel_id",
    "chat_id",
    "phone_number",
];

/// Parameter names that say which code repository a tool works on.
const REPOSITORY_PARAMETERS: [&str; 3] = ["repo", "repository", "repo_name"];

/// Parameter names of a file or a query on the caller's own systems.
const PRIVATE_PARAMETERS: [&str; 10] = [
    "path",
    "paths",
    "file",
    "file_path",
    "filepath",
    "filename",
    "directory",
    "query",
    "sql",
    "cypher",
];

/// Each role a tool's definition gives it, with the reason, as a finding shows it.
pub fn classify(tool: &ToolDefinition) -> Vec<(FlowRole, String)> {
    classify_parts(tool.annotations.as_ref(), text_parameters(&tool.input_schema))
}

/// The names (lower-cased) of an input schema's top-level parameters that take text.
pub fn text_parameters(input_schema: &Value) -> Vec<String> {
    input_schema
        .get("properties")
        .and_then(Value::as_object)
        .map(|properties| {
            properties
                .iter()
                .filter(|(_, schema)| takes_text(schema))
                .map(|(name, _)| name.to_ascii_lowercase())
                .collect()
        })
        .unwrap_or_default()
}

/// [`classify`] from a tool's annotations and the parameters that take text (in any order: the
/// first by name decides a reason's wording).
pub fn classify_parts(annotations: Option<&Value>, mut parameters: Vec<String>) -> Vec<(FlowRole, String)> {
    parameters.sort();
    let hint = |name: &str| annotations.and_then(|a| a.get(name)).and_then(Value::as_bool);
    let read_only = hint("readOnlyHint") == Some(true);
    let open_world = hint("openWorldHint");
    let taken = |names: &[&str]| parameters.iter().find(|p| names.contains(&p.as_str())).cloned();
    let mut roles: Vec<(FlowRole, String)> = Vec::new();
    let mut add = |role: FlowRole, why: String| {
        if !roles.iter().any(|(r, _)| *r == role) {
            roles.push((role, why));
        }
    };
    if let Some(url) = taken(&URL_PARAMETERS) {
        add(
            FlowRole::Untrusted,
            format!("its `{url}` parameter reaches an address of the caller's choice"),
        );
        add(
            FlowRole::Sink,
            format!("its `{url}` parameter carries data to an address of the caller's choice"),
        );
    }
    match open_world {
        Some(true) if read_only => add(FlowRole::Untrusted, "`openWorldHint` on a read-only tool".to_owned()),
        Some(true) => add(
            FlowRole::Sink,
            "`openWorldHint` on a tool that is not read-only".to_owned(),
        ),
        _ => {}
    }
    if !read_only && let Some(recipient) = taken(&RECIPIENT_PARAMETERS) {
        add(
            FlowRole::Sink,
            format!("its `{recipient}` parameter names who receives what it sends"),
        );
    }
    // A repository of the caller's choice: private ones and public ones, whose issues and
    // files anyone can write, are read; writing to one publishes.
    if let Some(repository) = taken(&REPOSITORY_PARAMETERS) {
        if read_only {
            add(
                FlowRole::Private,
                format!("a read-only tool reading the `{repository}` it is given (private repositories included)"),
            );
            add(
                FlowRole::Untrusted,
                format!("a read-only tool reading the `{repository}` it is given (public ones are written by anyone)"),
            );
        } else {
            add(
                FlowRole::Sink,
                format!("its `{repository}` parameter names the repository it writes to"),
            );
        }
    }
    if read_only
        && open_world == Some(false)
        && let Some(place) = taken(&PRIVATE_PARAMETERS)
    {
        add(
            FlowRole::Private,
            format!("a read-only, closed-world tool reading the `{place}` it is given"),
        );
    }
    roles
}

/// Whether a parameter's schema takes a string (or a list of strings).
pub fn takes_text(schema: &Value) -> bool {
    let is_string = |schema: &Value| match schema.get("type") {
        Some(Value::String(kind)) => kind == "string",
        Some(Value::Array(kinds)) => kinds.iter().any(|k| k == "string"),
        // No type said: anything, a string included.
        None => schema.get("anyOf").is_none() && schema.get("$ref").is_none(),
        _ => false,
    };
    is_string(schema)
        || (schema.get("type").is_some_and(|k| k == "array") && schema.get("items").is_some_and(is_string))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The roles `classify` gives a tool, without the reasons.
    fn roles_from_definition(tool: &ToolDefinition) -> Roles {
        let mut roles = Roles::default();
        for (role, _) in classify(tool) {
            roles.insert(role);
        }
        roles
    }

    fn tool(annotations: Value, properties: Value) -> ToolDefinition {
        ToolDefinition::from_listing(&json!({
            "name": "t",
            "inputSchema": {"type": "object", "properties": properties},
            "annotations": annotations,
        }))
        .expect("a tool")
    }

    #[test]
    fn a_url_parameter_reads_and_sends() {
        // mcp-server-fetch 2026.10.24 as probed: read-only, open world, a `url`.
        let fetch = tool(
            json!({"readOnlyHint": true, "openWorldHint": true}),
            json!({"url": {"type": "string", "format": "uri"}, "max_length": {"type": "integer"}}),
        );
        assert_eq!(
            roles_from_definition(&fetch),
            Roles {
                private: false,
                untrusted: true,
                sink: true
            }
        );
    }

    #[test]
    fn annotations_and_parameters_decide_the_rest() {
        // server-filesystem's read_file: read-only, closed world, a path.
        let read_file = tool(
            json!({"readOnlyHint": true, "openWorldHint": false}),
            json!({"path": {"type": "string"}}),
        );
        assert_eq!(roles_from_definition(&read_file), Roles::of(&[FlowRole::Private]));
        // A message to a channel, with no annotations.
        let post = tool(
            json!(null),
            json!({"channel_id": {"type": "string"}, "text": {"type": "string"}}),
        );
        assert_eq!(roles_from_definition(&post), Roles::of(&[FlowRole::Sink]));
        // A path on a tool that does not say it is read-only or closed: nothing certain.
        let unknown = tool(json!(null), json!({"path": {"type": "string"}}));
        assert!(roles_from_definition(&unknown).is_empty());
        // A repository: read, it is private and public; written, it publishes.
        let get = tool(
            json!({"readOnlyHint": true}),
            json!({"owner": {"type": "string"}, "repo": {"type": "string"}}),
        );
        assert_eq!(
            roles_from_definition(&get),
            Roles::of(&[FlowRole::Private, FlowRole::Untrusted])
        );
        let push = tool(
            json!(null),
            json!({"repo": {"type": "string"}, "files": {"type": "array"}}),
        );
        assert_eq!(roles_from_definition(&push), Roles::of(&[FlowRole::Sink]));
        // A number named `url` is no address.
        let count = tool(json!(null), json!({"url": {"type": "integer"}}));
        assert!(roles_from_definition(&count).is_empty());
    }
}

/// Where a tool's roles came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RolesFrom {
    /// The tools `mcp-lint probe` recorded (the knowledge table classes those it knows).
    Probe,
    /// The knowledge table alone: the server was not probed.
    KnowledgeTable,
}

/// One tool of a flow, by server, and why it has the role it is listed under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowTool {
    pub server: String,
    pub tool: String,
    pub from: RolesFrom,
    pub why: String,
}

/// Which combination closes the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FlowKind {
    /// Private data, untrusted text and a sink: the lethal trifecta.
    Trifecta,
    /// Untrusted text and a sink: injected text can send out what the agent holds.
    UntrustedToSink,
    /// Private data and a sink, with no untrusted text among the tools.
    PrivateToSink,
}

/// A toxic flow among the tools one agent gets, as data (the JSON output carries it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flow {
    pub kind: FlowKind,
    pub private: Vec<FlowTool>,
    pub untrusted: Vec<FlowTool>,
    pub sink: Vec<FlowTool>,
    /// What would break it, each a sentence.
    pub breaks: Vec<String>,
    /// Servers whose tools are not known (not probed, not in the knowledge table).
    pub unclassified: Vec<String>,
}
