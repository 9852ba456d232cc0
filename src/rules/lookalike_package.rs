//! `lookalike-package`: a package name one typo, one transposition or one scope away from a
//! well-known MCP server (the catalogue in `fixers/well-known.toml` and `fixers/servers/`).

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::finding::{Finding, Severity};
use crate::fix::knowledge;
use crate::model::{Ecosystem, McpConfig};

use super::{FixAvailability, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Compares the name of every npm and PyPI package a server launches with a catalogue of
    /// well-known MCP servers. A name that is not in the catalogue but is one edit (a letter
    /// added, dropped or changed), one transposition, or one scope away from a name that is, is
    /// reported. Offline: the catalogue is built in.
    ///
    /// ## Why is this bad?
    /// Registries let anyone publish a name next to a popular one. `npx -y` runs whatever holds
    /// the misspelt name, with the user's files and credentials (typosquatting, OWASP LLM03).
    ///
    /// ## Example
    /// `npx -y @modelcontextprotocol/server-filesytem` (a letter dropped from `filesystem`), or
    /// `npx -y @modelcontext-protocol/server-github` (another scope).
    ///
    /// ## Fix
    /// Write the well-known name if that is what was meant; otherwise check who publishes the
    /// package before running it. No automatic fix: only a person knows which server was meant.
    ///
    /// ## References
    /// - OWASP Top 10 for LLM Applications, LLM03: Supply Chain
    pub struct LookalikePackage {
        id: "lookalike-package",
        summary: "A package name is one typo or one scope away from a well-known MCP server",
        severity: Severity::Warning,
        fix: FixAvailability::None,
    }
}

static WELL_KNOWN: &str = include_str!("../../fixers/well-known.toml");

/// The catalogue, normalised as each registry compares names.
fn catalogue() -> &'static [(Ecosystem, String)] {
    static PARSED: OnceLock<Vec<(Ecosystem, String)>> = OnceLock::new();
    PARSED.get_or_init(|| {
        let table: toml::Table = WELL_KNOWN
            .parse()
            .expect("internal error: fixers/well-known.toml parses");
        let mut names: Vec<(Ecosystem, String)> = Vec::new();
        for (key, ecosystem) in [("npm", Ecosystem::Npm), ("pypi", Ecosystem::PyPi)] {
            for name in table[key].as_array().into_iter().flatten().filter_map(|v| v.as_str()) {
                names.push((ecosystem, normalise(ecosystem, name)));
            }
        }
        names.extend(
            knowledge::known_servers().map(|known| (known.ecosystem, normalise(known.ecosystem, &known.package))),
        );
        let mut seen = HashSet::new();
        names.retain(|entry| seen.insert(entry.clone()));
        names
    })
}

/// npm names are compared as written (lowercase); PyPI names as PEP 503 says.
fn normalise(ecosystem: Ecosystem, name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    match ecosystem {
        Ecosystem::PyPi => {
            let mut out = String::with_capacity(lower.len());
            for c in lower.chars() {
                let c = if matches!(c, '_' | '.') { '-' } else { c };
                if !(c == '-' && out.ends_with('-')) {
                    out.push(c);
                }
            }
            out
        }
        _ => lower,
    }
}

/// `@scope/name` split; an unscoped name has no scope.
fn split_scope(name: &str) -> (Option<&str>, &str) {
    match name.strip_prefix('@').and_then(|rest| rest.split_once('/')) {
        Some((scope, bare)) => (Some(scope), bare),
        None => (None, name),
    }
}

/// The well-known name `name` imitates, and how.
fn lookalike(ecosystem: Ecosystem, name: &str) -> Option<(&'static str, &'static str)> {
    let entries = catalogue();
    if entries.iter().any(|(e, known)| *e == ecosystem && known == name) {
        return None;
    }
    let (scope, bare) = split_scope(name);
    for (_, known) in entries.iter().filter(|(e, _)| *e == ecosystem) {
        if name.chars().count() >= 6 && strsim::damerau_levenshtein(name, known) == 1 {
            return Some((
                known.as_str(),
                "one typo (a letter added, dropped, changed or swapped) away from",
            ));
        }
        let (known_scope, known_bare) = split_scope(known);
        // A bare name as generic as `mcp` or `mcp-server` (`@stripe/mcp`, `@sentry/mcp-server`,
        // `@linear/mcp-server`) is every vendor's: only a distinctive one is imitated by a scope.
        let distinctive = known_bare.len() >= 8
            && !matches!(known_bare, "mcp-server" | "mcp-server-stdio" | "server")
            && entries
                .iter()
                .filter(|(_, other)| split_scope(other).1 == known_bare)
                .count()
                == 1;
        if ecosystem == Ecosystem::Npm
            && known_scope.is_some()
            && distinctive
            && bare == known_bare
            && scope != known_scope
        {
            return Some((known.as_str(), "the name of"));
        }
    }
    None
}

impl Rule for LookalikePackage {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check(&self, config: &McpConfig, findings: &mut Vec<Finding>) {
        for server in &config.servers {
            let Some(package) = server.launch.as_ref().and_then(|l| l.package.as_ref()) else {
                continue;
            };
            if !matches!(package.ecosystem, Ecosystem::Npm | Ecosystem::PyPi) {
                continue;
            }
            let name = normalise(package.ecosystem, &package.name);
            let Some((known, how)) = lookalike(package.ecosystem, &name) else {
                continue;
            };
            let Some(route) = server.arg_route(package.position) else {
                continue;
            };
            let scoped = how == "the name of";
            findings.push(
                Finding::new(
                    Self::INFO.id,
                    Self::INFO.default_severity,
                    if scoped {
                        format!(
                            "`{}` has the name of the well-known `{known}` under another scope: whoever owns that scope decides what runs",
                            package.name
                        )
                    } else {
                        format!(
                            "`{}` is {how} the well-known `{known}`: a typo here runs whatever a stranger published under this name",
                            package.name
                        )
                    },
                    route,
                )
                .server(&server.name, &server.route)
                .subfeature(package.name.clone())
                .label(if scoped { "another scope" } else { "lookalike name" })
                .help(format!(
                    "if you meant `{known}`, write `{known}`; otherwise check who publishes `{}` before running it",
                    package.name
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_and_real_names() {
        let npm = |name: &str| lookalike(Ecosystem::Npm, &normalise(Ecosystem::Npm, name)).map(|(k, _)| k);
        let pypi = |name: &str| lookalike(Ecosystem::PyPi, &normalise(Ecosystem::PyPi, name)).map(|(k, _)| k);
        assert_eq!(
            npm("@modelcontextprotocol/server-filesytem"),
            Some("@modelcontextprotocol/server-filesystem")
        );
        assert_eq!(
            npm("@modelcontextprotocol/server-gihtub"),
            Some("@modelcontextprotocol/server-github")
        );
        assert_eq!(
            npm("@modelcontext-protocol/server-github"),
            Some("@modelcontextprotocol/server-github")
        );
        assert_eq!(
            npm("@upstash/context7-mpc"),
            Some("@upstash/context7-mcp"),
            "a transposition"
        );
        assert_eq!(npm("@upstash/contxt7-mpc"), None, "two edits away: not a near miss");
        assert_eq!(npm("@upstash/contex7-mcp"), Some("@upstash/context7-mcp"));
        assert_eq!(pypi("mcp-server-fetc"), Some("mcp-server-fetch"));
        // Real names, and the same PyPI project spelt another way, are no lookalikes.
        for real in [
            "@modelcontextprotocol/server-github",
            "@modelcontextprotocol/server-gitlab",
            "@playwright/mcp",
            "mcp-remote",
        ] {
            assert_eq!(npm(real), None, "{real}");
        }
        assert_eq!(pypi("mcp_server_fetch"), None);
        assert_eq!(pypi("MCP-Server-Git"), None);
        // Short names are left alone: too many real packages sit one letter apart.
        assert_eq!(npm("mcp"), None);
        assert_eq!(npm("@linear/mcp-server"), None, "every vendor's `mcp-server`");
    }
}
