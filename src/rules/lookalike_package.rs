//! `lookalike-package`: a package name one typo, one transposition or one scope away from a
//! well-known MCP server (the catalogue in `fixers/well-known.toml` and `fixers/servers/`).

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::finding::{Finding, Severity};
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

/// The catalogue, normalised as each registry compares names, with what a lookup needs: the npm
/// entries by their unscoped name, and, once a run has looked up more packages than a scan of
/// the catalogue is worth ([`INDEX_AFTER`]), every name and every name with one character
/// deleted keyed to the entries they come from (two names one Damerau edit apart always share
/// such a key), so that each further package costs the same whatever the catalogue's size.
struct Catalogue {
    entries: Vec<(Ecosystem, String)>,
    exact: HashSet<(Ecosystem, String)>,
    /// A name or a one-deletion variant of it -> the entries it comes from, in catalogue order;
    /// built on the lookup after the first [`INDEX_AFTER`] (a few thousand strings: more than
    /// a config of a few servers should pay at start-up).
    variants: OnceLock<HashMap<Ecosystem, HashMap<String, Vec<usize>>>>,
    /// How many packages this run has looked up.
    lookups: std::sync::atomic::AtomicUsize,
    /// An npm entry's name without its scope -> the scoped entries with that name.
    scoped_by_bare: HashMap<String, Vec<usize>>,
    /// Whether the entry's unscoped name is distinctive enough that another scope imitates it.
    distinctive: Vec<bool>,
}

fn catalogue() -> &'static Catalogue {
    static PARSED: OnceLock<Catalogue> = OnceLock::new();
    PARSED.get_or_init(|| {
        let table: toml::Table = WELL_KNOWN
            .parse()
            .expect("internal error: fixers/well-known.toml parses");
        let mut entries: Vec<(Ecosystem, String)> = Vec::new();
        for (key, ecosystem) in [("npm", Ecosystem::Npm), ("pypi", Ecosystem::PyPi)] {
            for name in table[key].as_array().into_iter().flatten().filter_map(|v| v.as_str()) {
                entries.push((ecosystem, normalise(ecosystem, name)));
            }
        }
        let mut seen = HashSet::new();
        entries.retain(|entry| seen.insert(entry.clone()));
        let mut bare_counts: HashMap<&str, usize> = HashMap::new();
        for (_, name) in &entries {
            *bare_counts.entry(split_scope(name).1).or_default() += 1;
        }
        let distinctive = entries
            .iter()
            .map(|(_, name)| {
                // A bare name as generic as `mcp` or `mcp-server` (`@stripe/mcp`,
                // `@sentry/mcp-server`, `@linear/mcp-server`) is every vendor's: only a
                // distinctive one is imitated by a scope.
                let bare = split_scope(name).1;
                bare.len() >= 8
                    && !matches!(bare, "mcp-server" | "mcp-server-stdio" | "server")
                    && bare_counts.get(bare) == Some(&1)
            })
            .collect();
        let mut scoped_by_bare: HashMap<String, Vec<usize>> = HashMap::new();
        for (index, (ecosystem, name)) in entries.iter().enumerate() {
            if let (Ecosystem::Npm, (Some(_), bare)) = (ecosystem, split_scope(name)) {
                scoped_by_bare.entry(bare.to_owned()).or_default().push(index);
            }
        }
        Catalogue {
            exact: entries.iter().cloned().collect(),
            entries,
            variants: OnceLock::new(),
            lookups: std::sync::atomic::AtomicUsize::new(0),
            scoped_by_bare,
            distinctive,
        }
    })
}

/// Calls `visit` with `name` itself and `name` with each one of its characters deleted, written
/// into one reused buffer (a lookup per package would otherwise allocate a string per character).
fn for_each_one_deletion(name: &str, mut visit: impl FnMut(&str)) {
    visit(name);
    let mut variant = String::with_capacity(name.len());
    for (at, c) in name.char_indices() {
        variant.clear();
        variant.push_str(&name[..at]);
        variant.push_str(&name[at + c.len_utf8()..]);
        visit(&variant);
    }
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

/// Lookups answered by a scan before the catalogue's index is built.
const INDEX_AFTER: usize = 64;

/// The first entry one Damerau edit from `name`, by a scan of the catalogue that compares only
/// the names that could be (a length within one, and the same first or last character: one edit
/// of a name of six or more characters cannot change both).
fn typo_by_scan(catalogue: &Catalogue, ecosystem: Ecosystem, name: &str) -> Option<usize> {
    let length = name.chars().count();
    let (first, last) = (name.chars().next(), name.chars().last());
    catalogue.entries.iter().position(|(e, known)| {
        *e == ecosystem
            && known.chars().count().abs_diff(length) <= 1
            && (known.chars().next() == first || known.chars().last() == last)
            && strsim::damerau_levenshtein(name, known) == 1
    })
}

/// The same answer by the index of one-deletion variants (built on first use).
fn typo_by_index(catalogue: &Catalogue, ecosystem: Ecosystem, name: &str) -> Option<usize> {
    let variants = catalogue.variants.get_or_init(|| {
        let mut variants: HashMap<Ecosystem, HashMap<String, Vec<usize>>> = HashMap::new();
        for (index, (ecosystem, known)) in catalogue.entries.iter().enumerate() {
            let by_name = variants.entry(*ecosystem).or_default();
            for_each_one_deletion(known, |variant| {
                let slot = by_name.entry(variant.to_owned()).or_default();
                if slot.last() != Some(&index) {
                    slot.push(index);
                }
            });
        }
        variants
    });
    let by_name = variants.get(&ecosystem)?;
    let mut typo: Option<usize> = None;
    for_each_one_deletion(name, |variant| {
        for &index in by_name.get(variant).into_iter().flatten() {
            if typo.is_some_and(|first| first <= index) {
                continue;
            }
            if strsim::damerau_levenshtein(name, &catalogue.entries[index].1) == 1 {
                typo = Some(index);
            }
        }
    });
    typo
}

/// The well-known name `name` imitates, and how: the first catalogue entry (in catalogue order)
/// that is one typo away from it, or whose distinctive name it carries under another scope.
fn lookalike(ecosystem: Ecosystem, name: &str) -> Option<(&'static str, &'static str)> {
    const TYPO: &str = "one typo (a letter added, dropped, changed or swapped) away from";
    let catalogue = catalogue();
    if catalogue.exact.contains(&(ecosystem, name.to_owned())) {
        return None;
    }
    let typo = if name.chars().count() < 6 {
        None
    } else if catalogue.lookups.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < INDEX_AFTER {
        typo_by_scan(catalogue, ecosystem, name)
    } else {
        typo_by_index(catalogue, ecosystem, name)
    };
    let (scope, bare) = split_scope(name);
    let scoped = (ecosystem == Ecosystem::Npm)
        .then(|| catalogue.scoped_by_bare.get(bare))
        .flatten()
        .into_iter()
        .flatten()
        .copied()
        .find(|&index| catalogue.distinctive[index] && split_scope(&catalogue.entries[index].1).0 != scope);
    match (typo, scoped) {
        (Some(typo), Some(scoped)) if scoped < typo => Some((catalogue.entries[scoped].1.as_str(), "the name of")),
        (Some(typo), _) => Some((catalogue.entries[typo].1.as_str(), TYPO)),
        (None, Some(scoped)) => Some((catalogue.entries[scoped].1.as_str(), "the name of")),
        (None, None) => None,
    }
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
    use crate::fix::knowledge;

    /// The catalogue scanned entry by entry, as the rule did before it had an index: the oracle
    /// the index must agree with.
    fn lookalike_by_scan(ecosystem: Ecosystem, name: &str) -> Option<(&'static str, &'static str)> {
        let entries = &catalogue().entries;
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

    /// Every one-edit variant of every catalogue name, and every name under other scopes: the
    /// index answers what the scan answers.
    #[test]
    fn the_index_agrees_with_the_scan() {
        let mut probes: Vec<(Ecosystem, String)> = Vec::new();
        for (ecosystem, name) in &catalogue().entries {
            let chars: Vec<char> = name.chars().collect();
            for at in 0..chars.len() {
                let mut dropped = chars.clone();
                dropped.remove(at);
                probes.push((*ecosystem, dropped.iter().collect()));
                let mut changed = chars.clone();
                changed[at] = if chars[at] == 'x' { 'y' } else { 'x' };
                probes.push((*ecosystem, changed.iter().collect()));
                let mut added = chars.clone();
                added.insert(at, 'q');
                probes.push((*ecosystem, added.iter().collect()));
                if at + 1 < chars.len() {
                    let mut swapped = chars.clone();
                    swapped.swap(at, at + 1);
                    probes.push((*ecosystem, swapped.iter().collect()));
                }
            }
            let bare = split_scope(name).1;
            probes.push((*ecosystem, format!("@someone-else/{bare}")));
            probes.push((*ecosystem, bare.to_owned()));
            probes.push((*ecosystem, name.clone()));
        }
        assert!(probes.len() > 1000);
        let catalogue = catalogue();
        for (ecosystem, name) in probes {
            assert_eq!(
                lookalike(ecosystem, &name),
                lookalike_by_scan(ecosystem, &name),
                "{name}"
            );
            if name.chars().count() >= 6 {
                assert_eq!(
                    typo_by_scan(catalogue, ecosystem, &name),
                    typo_by_index(catalogue, ecosystem, &name),
                    "{name}"
                );
            }
        }
    }

    /// The catalogue names every server of fixers/servers/ itself (read from well-known.toml, so
    /// that a lookup never parses the tool catalogue: 6 M instructions of a one-file check).
    #[test]
    fn every_catalogued_server_is_well_known() {
        let missing: Vec<String> = knowledge::known_servers()
            .map(|known| (known.ecosystem, normalise(known.ecosystem, &known.package)))
            .filter(|entry| !catalogue().exact.contains(entry))
            .map(|(ecosystem, name)| format!("{ecosystem:?} {name}"))
            .collect();
        assert!(missing.is_empty(), "add to fixers/well-known.toml: {missing:?}");
    }

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
