//! Claude Code's server policy: `allowedMcpServers`, `deniedMcpServers` and
//! `allowManagedMcpServersOnly` in its settings files, which decide whether it starts a server
//! at all, and how it matches a server against them.
//!
//! Facts from `@anthropic-ai/claude-code` 2.1.332 (the bundled JavaScript of its Linux binary;
//! docs/client-facts.md): an entry has exactly one of `serverName`, `serverCommand` (the
//! `[command, ...args]` array, compared item by item) and `serverUrl` (a pattern where `*` spans
//! anything); a deny entry wins over every allow entry; no `allowedMcpServers` allows every
//! server and `[]` none; a stdio server is judged by the `serverCommand` entries when the list
//! has any (its name no longer admits it), a remote one by the `serverUrl` entries when it has
//! any, and otherwise both by `serverName`. Servers the organisation delivers itself
//! (`managed-mcp.json`) need no allow entry.

use crate::dialect::{Node, Route};

use super::{Server, Str, Transport};

/// The file name of Claude Code's managed settings (in `/etc/claude-code` on Linux,
/// `/Library/Application Support/ClaudeCode` on macOS, `C:\Program Files\ClaudeCode` on
/// Windows: `@anthropic-ai/claude-code` 2.1.332).
pub const MANAGED_SETTINGS: &str = "managed-settings.json";

pub use crate::dialect::detect::{MANAGED_DROP_INS, is_managed_drop_in};

/// Whether `path` is a Claude Code managed settings file: `managed-settings.json` or a drop-in
/// of `managed-settings.d`.
pub fn is_managed_settings(path: &std::path::Path) -> bool {
    path.file_name().is_some_and(|name| name == MANAGED_SETTINGS) || is_managed_drop_in(path)
}

/// The managed folder a managed settings file belongs to (`/etc/claude-code` for
/// `managed-settings.json` and for `managed-settings.d/10-x.json` alike): the files of one folder
/// make one policy.
pub fn managed_folder(path: &std::path::Path) -> Option<&std::path::Path> {
    if is_managed_drop_in(path) {
        path.parent()?.parent()
    } else {
        path.parent()
    }
}

/// Whether `path` is one of Claude Code's settings files (managed, a project's
/// `.claude/settings.json` or `.claude/settings.local.json`, the user's `~/.claude/settings.json`):
/// they set a server policy, never servers (their `statusLine`, `hooks` and `env` are not).
pub fn is_claude_settings(path: &std::path::Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let in_claude_folder = path
        .parent()
        .and_then(std::path::Path::file_name)
        .is_some_and(|folder| folder == ".claude");
    is_managed_settings(path) || (in_claude_folder && matches!(name, "settings.json" | "settings.local.json"))
}

/// The MCP server policy one Claude Code settings file sets.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServerPolicy {
    /// `allowedMcpServers`: None when the file sets no allowlist (every server allowed).
    pub allowed: Option<Vec<PolicyEntry>>,
    /// `deniedMcpServers`.
    pub denied: Vec<PolicyEntry>,
    /// `allowManagedMcpServersOnly: true`: only managed settings' allowlist applies.
    pub managed_only: Option<super::Flag>,
    /// A list is not a list: nothing is judged by a policy the client may read otherwise. (An
    /// entry the schema refuses is dropped and the others apply: measured with Claude Code
    /// 2.1.332.)
    pub unreadable: bool,
}

/// One entry of an allow or deny list.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyEntry {
    pub route: Route,
    pub matcher: ServerMatcher,
    /// Which of the files merged into one managed policy holds the entry (0 in a file read alone).
    pub source: usize,
}

/// What an entry matches a server by.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerMatcher {
    /// `serverName`: the server's name in its config.
    Name(String),
    /// `serverCommand`: `[command, ...args]`, item by item.
    Command(Vec<Str>),
    /// `serverUrl`: a URL pattern, `*` spanning anything.
    Url(String),
}

/// Whether Claude Code starts a server under a policy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Admission<'a> {
    /// Allowed, or not decidable offline (a `${VAR}` the client expands from the environment).
    Allowed,
    /// A deny entry matches it.
    Denied(&'a PolicyEntry),
    /// An allowlist is set and no entry of it matches the server.
    NotAllowed,
}

impl ServerPolicy {
    /// Reads the policy keys of a settings document; None when it sets none.
    pub fn read(root: &Node) -> Option<Self> {
        let mut unreadable = false;
        let mut list = |key: &str| {
            let route = Route::root().key(key);
            let Some(items) = root.get(key)?.as_seq() else {
                unreadable = true;
                return None;
            };
            let entries: Vec<PolicyEntry> = items
                .iter()
                .enumerate()
                .filter_map(|(index, item)| PolicyEntry::read(item, route.index(index)))
                .collect();
            Some(entries)
        };
        let allowed = list("allowedMcpServers");
        let denied = list("deniedMcpServers").unwrap_or_default();
        let managed_only = root
            .get("allowManagedMcpServersOnly")
            .and_then(Node::as_bool)
            .map(|value| super::Flag {
                value,
                route: Route::root().key("allowManagedMcpServersOnly"),
            });
        let policy = Self {
            allowed,
            denied,
            managed_only,
            unreadable,
        };
        let sets_any = ["allowedMcpServers", "deniedMcpServers", "allowManagedMcpServersOnly"]
            .iter()
            .any(|key| root.get(key).is_some());
        sets_any.then_some(policy)
    }

    /// The policy of several settings files read as one, in the order given: their lists
    /// concatenated (an allowlist only where some file sets one), the last `allowManagedMcpServersOnly`
    /// that is set, and unreadable if any list is. Each entry's `source` is its file's index.
    pub fn merge(parts: impl IntoIterator<Item = Self>) -> Self {
        let mut merged = Self::default();
        for (source, part) in parts.into_iter().enumerate() {
            let tag = |entries: Vec<PolicyEntry>| entries.into_iter().map(move |entry| PolicyEntry { source, ..entry });
            if let Some(allowed) = part.allowed {
                merged.allowed.get_or_insert_with(Vec::new).extend(tag(allowed));
            }
            merged.denied.extend(tag(part.denied));
            if part.managed_only.is_some() {
                merged.managed_only = part.managed_only;
            }
            merged.unreadable |= part.unreadable;
        }
        merged
    }

    /// Whether only this (managed) file's allowlist applies, so a server it does not list is
    /// not started whatever a user's or project's settings add.
    pub fn allowlist_is_authoritative(&self) -> bool {
        self.managed_only.as_ref().is_some_and(|flag| flag.value) && self.allowed.is_some()
    }

    /// Whether the allowlist has `serverCommand` entries (then they alone judge stdio servers)
    /// and `serverUrl` entries (then they alone judge remote ones).
    pub fn judges_by(&self) -> (bool, bool) {
        let entries = self.allowed.iter().flatten();
        let by_command = entries.clone().any(|e| matches!(e.matcher, ServerMatcher::Command(_)));
        let by_url = entries.clone().any(|e| matches!(e.matcher, ServerMatcher::Url(_)));
        (by_command, by_url)
    }

    /// Whether Claude Code starts `server` under this policy. `managed_server`: a server the
    /// organisation delivers (`managed-mcp.json`), which needs no allow entry.
    pub fn admits(&self, server: &Server, managed_server: bool) -> Admission<'_> {
        if self.unreadable {
            return Admission::Allowed;
        }
        if let Some(entry) = self.denied.iter().find(|entry| entry.matches(server) == Some(true)) {
            return Admission::Denied(entry);
        }
        let Some(allowed) = &self.allowed else {
            return Admission::Allowed;
        };
        if managed_server {
            return Admission::Allowed;
        }
        let (by_command, by_url) = self.judges_by();
        let judged_by = |entry: &&PolicyEntry| match (&server.transport, &entry.matcher) {
            (Transport::Stdio(_), ServerMatcher::Command(_)) => true,
            (Transport::Stdio(_), ServerMatcher::Name(_)) => !by_command,
            (Transport::Remote(_), ServerMatcher::Url(_)) => true,
            (Transport::Remote(_), ServerMatcher::Name(_)) => !by_url,
            _ => false,
        };
        let mut undecided = false;
        for entry in allowed.iter().filter(judged_by) {
            match entry.matches(server) {
                Some(true) => return Admission::Allowed,
                Some(false) => {}
                None => undecided = true,
            }
        }
        if undecided || !matches!(server.transport, Transport::Stdio(_) | Transport::Remote(_)) {
            Admission::Allowed
        } else {
            Admission::NotAllowed
        }
    }
}

impl PolicyEntry {
    fn read(item: &Node, route: Route) -> Option<Self> {
        let text = |key: &str| item.get(key).and_then(Node::as_str).map(str::to_owned);
        let command = item.get("serverCommand").and_then(Node::as_seq).map(|items| {
            items
                .iter()
                .enumerate()
                .filter_map(|(index, node)| {
                    Some(Str {
                        value: node.as_str()?.to_owned(),
                        route: route.key("serverCommand").index(index),
                    })
                })
                .collect::<Vec<_>>()
        });
        // An entry with more or less than one matcher is refused by Claude Code's schema (and
        // reported as invalid-config): the client drops it and applies the others.
        let matcher = match (text("serverName"), command, text("serverUrl")) {
            (Some(name), None, None) if is_server_name(&name) => ServerMatcher::Name(name),
            (None, Some(command), None) if !command.is_empty() => ServerMatcher::Command(command),
            (None, None, Some(url)) => ServerMatcher::Url(url),
            _ => return None,
        };
        Some(Self {
            route,
            matcher,
            source: 0,
        })
    }

    /// Whether the entry matches `server`: None when that is not decidable offline (a `${VAR}`
    /// either side, which Claude Code expands from the environment before comparing).
    pub fn matches(&self, server: &Server) -> Option<bool> {
        match (&self.matcher, &server.transport) {
            (ServerMatcher::Name(name), _) => Some(*name == server.name),
            (ServerMatcher::Command(command), Transport::Stdio(stdio)) => {
                let launched: Vec<&str> = std::iter::once(stdio.command.value.as_str())
                    .chain(stdio.args.iter().map(|arg| arg.value.as_str()))
                    .collect();
                if launched.len() != command.len() {
                    return Some(false);
                }
                // A `${VAR}` either side may expand to anything: the other items still decide
                // a mismatch.
                let mut decided = true;
                for (launched, item) in launched.iter().zip(command) {
                    if launched.contains("${") || item.value.contains("${") {
                        decided = false;
                    } else if *launched != item.value {
                        return Some(false);
                    }
                }
                decided.then_some(true)
            }
            (ServerMatcher::Url(pattern), Transport::Remote(remote)) => {
                if pattern.contains("${") || remote.url.value.contains("${") {
                    return None;
                }
                if glob_matches(pattern, &remote.url.value) {
                    return Some(true);
                }
                // Claude Code compares parsed URLs (host case, a trailing slash, a query): a
                // pattern whose host matches is given the benefit of the doubt.
                match (host_of(pattern), host_of(&remote.url.value)) {
                    (Some(pattern), Some(host)) if glob_matches(&pattern, &host) => None,
                    (Some(_), Some(_)) => Some(false),
                    _ => None,
                }
            }
            _ => Some(false),
        }
    }

    /// What the entry matches by, for a message: `serverName "x"`, `serverCommand [...]`.
    pub fn describe(&self) -> String {
        match &self.matcher {
            ServerMatcher::Name(name) => format!("serverName `{name}`"),
            ServerMatcher::Command(command) => {
                let items: Vec<&str> = command.iter().map(|item| item.value.as_str()).collect();
                format!("serverCommand `{}`", items.join(" "))
            }
            ServerMatcher::Url(url) => format!("serverUrl `{url}`"),
        }
    }
}

/// Whether `name` is a name Claude Code's schema takes in an entry (`^[a-zA-Z0-9_-]+$`).
fn is_server_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// The lower-cased host of a URL or URL pattern, when it has a scheme.
fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = host.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Whether `text` matches `pattern`, where `*` matches any run of characters (case-insensitive).
fn glob_matches(pattern: &str, text: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let text = text.to_ascii_lowercase();
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::dialect::Dialect;

    /// Each server of `servers` (an `mcpServers` map) as Claude Code judges it under `policy`.
    fn judged(policy: &str, servers: &str) -> Vec<(String, &'static str)> {
        let policy =
            ServerPolicy::read(&crate::dialect::json::parse(policy, false).expect("policy")).expect("sets one");
        let root = crate::dialect::json::parse(&format!(r#"{{"mcpServers": {servers}}}"#), false).expect("servers");
        let config = crate::model::extract::extract(Dialect::ClaudeCode, &root);
        config
            .servers
            .iter()
            .map(|server| {
                let verdict = match policy.admits(server, false) {
                    Admission::Allowed => "allowed",
                    Admission::Denied(_) => "denied",
                    Admission::NotAllowed => "not allowed",
                };
                (server.name.clone(), verdict)
            })
            .collect()
    }

    const SERVERS: &str = r#"{
        "fs": { "command": "npx", "args": ["-y", "pkg@1.0.0"] },
        "fs-floating": { "command": "npx", "args": ["-y", "pkg"] },
        "tokened": { "command": "npx", "args": ["-y", "${PKG}"] },
        "docs": { "type": "http", "url": "https://docs.example.com/mcp" },
        "github": { "type": "http", "url": "https://api.githubcopilot.com/mcp/" }
    }"#;

    fn verdicts(policy: &str) -> Vec<&'static str> {
        judged(policy, SERVERS)
            .into_iter()
            .map(|(_, verdict)| verdict)
            .collect()
    }

    /// The rules read from Claude Code 2.1.332's source, as `claude mcp list` showed them
    /// (`tests/integration/clients.rs` holds the real client to the fixture's cases).
    #[test]
    fn admission_follows_claude_code() {
        // No allowlist: every server; a deny by name wins.
        assert_eq!(
            verdicts(r#"{"deniedMcpServers": [{"serverName": "docs"}]}"#),
            ["allowed", "allowed", "allowed", "denied", "allowed"]
        );
        // `[]` admits nothing.
        assert_eq!(
            verdicts(r#"{"allowedMcpServers": []}"#),
            [
                "not allowed",
                "not allowed",
                "not allowed",
                "not allowed",
                "not allowed"
            ]
        );
        // Command entries judge stdio servers (a `${VAR}` that could match is not judged);
        // with no URL entry, remotes are judged by name.
        assert_eq!(
            verdicts(
                r#"{"allowedMcpServers": [{"serverCommand": ["npx", "-y", "pkg@1.0.0"]}, {"serverName": "github"}, {"serverName": "fs-floating"}]}"#
            ),
            ["allowed", "not allowed", "allowed", "not allowed", "allowed"]
        );
        // URL entries judge remotes: a name no longer admits one.
        assert_eq!(
            verdicts(
                r#"{"allowedMcpServers": [{"serverUrl": "https://*.example.com/*"}, {"serverName": "github"}, {"serverName": "fs"}]}"#
            ),
            ["allowed", "not allowed", "not allowed", "allowed", "not allowed"]
        );
        // A refused entry is dropped and the others apply.
        assert_eq!(
            verdicts(
                r#"{"allowedMcpServers": [{"serverName": "fs", "serverCommand": ["x"]}, {"serverName": "bad name"}, {"serverName": "docs"}]}"#
            ),
            ["not allowed", "not allowed", "not allowed", "allowed", "not allowed"]
        );
        // A list that is not a list: nothing is judged.
        assert_eq!(
            verdicts(r#"{"allowedMcpServers": {"serverName": "docs"}}"#),
            ["allowed", "allowed", "allowed", "allowed", "allowed"]
        );
    }

    #[test]
    fn managed_servers_need_no_allow_entry_but_are_denied() {
        let policy = ServerPolicy::read(
            &crate::dialect::json::parse(
                r#"{"allowedMcpServers": [], "deniedMcpServers": [{"serverName": "fs"}]}"#,
                false,
            )
            .expect("policy"),
        )
        .expect("sets one");
        let root = crate::dialect::json::parse(&format!(r#"{{"mcpServers": {SERVERS}}}"#), false).expect("servers");
        let config = crate::model::extract::extract(Dialect::ClaudeCode, &root);
        assert!(matches!(policy.admits(&config.servers[0], true), Admission::Denied(_)));
        assert_eq!(policy.admits(&config.servers[1], true), Admission::Allowed);
    }

    #[test]
    fn globs_span_anything() {
        assert!(glob_matches("https://*.example.com/*", "https://mcp.eu.example.com/v1"));
        assert!(glob_matches("*", "http://anything"));
        assert!(!glob_matches("https://*.example.com/*", "https://example.org/x"));
        assert!(glob_matches("https://a.example.com/mcp", "HTTPS://A.example.com/mcp"));
        assert!(!glob_matches(
            "https://a.example.com/mcp",
            "https://a.example.com/mcp/x"
        ));
        assert!(!glob_matches("ab*ba", "aba"));
    }

    #[test]
    fn hosts_of_patterns() {
        assert_eq!(host_of("https://*.Example.com/*").as_deref(), Some("*.example.com"));
        assert_eq!(host_of("https://u:p@h.io:8443/x").as_deref(), Some("h.io"));
        assert_eq!(host_of("example.com/*"), None);
    }

    /// A managed folder's files read as one (measured with Claude Code 2.1.332): lists
    /// concatenated, an allowlist only where a file sets one, each entry knowing its file.
    #[test]
    fn drop_ins_add_to_the_managed_lists() {
        let read = |json: &str| {
            ServerPolicy::read(&crate::dialect::json::parse(json, false).expect("json")).expect("sets one")
        };
        let merged = ServerPolicy::merge([
            read(r#"{"allowedMcpServers": [{"serverName": "alpha"}]}"#),
            read(r#"{"allowedMcpServers": [{"serverName": "beta"}], "deniedMcpServers": [{"serverName": "alpha"}]}"#),
        ]);
        let allowed = merged.allowed.as_ref().expect("an allowlist");
        assert_eq!(allowed.len(), 2);
        assert_eq!((allowed[0].source, allowed[1].source), (0, 1));
        assert_eq!(merged.denied[0].source, 1);
        // An empty list in a drop-in, with no list in the base file, admits nothing.
        let merged = ServerPolicy::merge([
            read(r#"{"deniedMcpServers": []}"#),
            read(r#"{"allowedMcpServers": []}"#),
        ]);
        assert_eq!(merged.allowed.as_deref().map(<[PolicyEntry]>::len), Some(0));
        let merged = ServerPolicy::merge([read(r#"{"deniedMcpServers": []}"#)]);
        assert!(merged.allowed.is_none());
    }

    #[test]
    fn drop_ins_are_managed_settings() {
        use std::path::Path;
        assert!(is_managed_settings(Path::new(
            "/etc/claude-code/managed-settings.d/10-team.json"
        )));
        assert!(!is_managed_settings(Path::new(
            "/etc/claude-code/managed-settings.d/.off.json"
        )));
        assert!(!is_managed_settings(Path::new(
            "/etc/claude-code/managed-settings.d/notes.txt"
        )));
        assert_eq!(
            managed_folder(Path::new("/etc/claude-code/managed-settings.d/10-team.json")),
            Some(Path::new("/etc/claude-code"))
        );
        assert!(matches!(
            crate::dialect::detect::by_path(Path::new("/etc/claude-code/managed-settings.d/mcp.json")),
            crate::dialect::detect::PathHint::Known(Dialect::ClaudeCode)
        ));
    }
}
