//! Inline suppression: a comment `mcp-lint: ignore[rule, ...]` in a config that allows comments
//! (JSONC, YAML, TOML) accepts the findings of those rules on its line, or, when the comment is
//! alone on its line, on the next line. Like `[[ignores]]`, it decides which findings exist
//! before anything is fixed, counted or shown; one that accepts nothing is reported.

use crate::dialect::Syntax;
use crate::dialect::position::LineIndex;

use super::lint::FileReport;

/// The text that starts a directive inside a comment.
const MARKER: &str = "mcp-lint: ignore[";

/// One `mcp-lint: ignore[...]` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The 1-based line the comment is on.
    pub line: usize,
    /// The 1-based line whose findings it accepts.
    pub target: usize,
    /// The rule ids as written.
    pub rules: Vec<String>,
}

/// The directives of `text`, found only in comments (never inside a string value).
pub fn parse(text: &str, syntax: Syntax) -> Vec<Directive> {
    if syntax == Syntax::Json || !text.contains(MARKER) {
        return Vec::new();
    }
    let mut directives = Vec::new();
    for (index, line) in text.split('\n').enumerate() {
        let Some(comment) = comment_start(line, syntax) else {
            continue;
        };
        let body = &line[comment..];
        let Some(at) = body.find(MARKER) else {
            continue;
        };
        let list = &body[at + MARKER.len()..];
        let Some(close) = list.find(']') else {
            continue;
        };
        let rules = list[..close]
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
            .collect();
        let alone = line[..comment].trim().is_empty();
        directives.push(Directive {
            line: index + 1,
            target: if alone { index + 2 } else { index + 1 },
            rules,
        });
    }
    directives
}

/// Where the comment of `line` starts, if it has one: `//` (JSONC) or `#` (YAML, TOML) outside
/// a string.
fn comment_start(line: &str, syntax: Syntax) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut previous: Option<char> = None;
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let before = previous.replace(c);
        if let Some(open) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && open == '"' {
                escaped = true;
            } else if c == open {
                quote = None;
            }
            continue;
        }
        // In YAML a quote opens a string only where a value starts (`it's` is plain text), and
        // `#` starts a comment only after a space (`http://host/#frag` is not one).
        let value_starts = before.is_none_or(|b| b.is_whitespace() || matches!(b, ':' | '[' | '{' | ',' | '-'));
        match (c, syntax) {
            ('"' | '\'', Syntax::Yaml) if value_starts => quote = Some(c),
            ('#', Syntax::Yaml) if before.is_none_or(char::is_whitespace) => return Some(at),
            ('"', Syntax::Jsonc | Syntax::Toml) => quote = Some('"'),
            ('\'', Syntax::Toml) => quote = Some('\''),
            ('#', Syntax::Toml) => return Some(at),
            ('/', Syntax::Jsonc) if chars.peek().is_some_and(|&(_, next)| next == '/' || next == '*') => {
                return Some(at);
            }
            _ => {}
        }
    }
    None
}

/// A directive after it was applied to a file: which of its rules accepted a finding.
#[derive(Debug, Clone)]
pub struct Applied {
    pub directive: Directive,
    pub used: Vec<bool>,
}

/// Removes the findings of `report` that a directive accepts; returns every directive with what
/// it accepted.
pub fn apply(report: &mut FileReport) -> Vec<Applied> {
    let directives = parse(&report.source.text, report.syntax());
    if directives.is_empty() {
        return Vec::new();
    }
    let mut applied: Vec<Applied> = directives
        .into_iter()
        .map(|directive| Applied {
            used: vec![false; directive.rules.len()],
            directive,
        })
        .collect();
    // Directives by the line they accept findings on (a few per file: a scan per finding is
    // bounded by them, not by the file).
    let lines: &LineIndex = &report.source.lines;
    report.findings.retain(|located| {
        let line = lines.line_of(located.primary.start) + 1;
        let mut accepted = false;
        for entry in applied.iter_mut().filter(|a| a.directive.target == line) {
            if let Some(position) = entry.directive.rules.iter().position(|id| id == located.finding.rule) {
                entry.used[position] = true;
                accepted = true;
            }
        }
        !accepted
    });
    applied
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_are_read_from_comments_only() {
        let yaml = "mcp_servers:\n  # mcp-lint: ignore[insecure-transport]\n  a:\n    url: \"http://x # mcp-lint: ignore[rbac-gap]\" # mcp-lint: ignore[ remote-without-auth , inline-secret ]\n";
        let found = parse(yaml, Syntax::Yaml);
        assert_eq!(
            found,
            [
                Directive {
                    line: 2,
                    target: 3,
                    rules: vec!["insecure-transport".into()]
                },
                Directive {
                    line: 4,
                    target: 4,
                    rules: vec!["remote-without-auth".into(), "inline-secret".into()]
                },
            ]
        );
        let jsonc = "{\n  \"a\": { \"url\": \"http://x\" } // mcp-lint: ignore[insecure-transport]\n  /* mcp-lint: ignore[rbac-gap] */\n  \"b\": \"// mcp-lint: ignore[inline-secret]\"\n}";
        let found = parse(jsonc, Syntax::Jsonc);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].line, found[0].target), (2, 2));
        assert_eq!((found[1].line, found[1].target), (3, 4));
        // Strict JSON has no comments.
        assert!(parse(jsonc, Syntax::Json).is_empty());
        // TOML: a literal string may hold a `#`.
        let toml = "[mcp_servers.a]\nurl = 'http://x#frag' # mcp-lint: ignore[insecure-transport]\n";
        assert_eq!(parse(toml, Syntax::Toml)[0].target, 2);
        // YAML: an apostrophe in plain text opens no string; `#` inside a word is no comment.
        let yaml =
            "a:\n  note: it's plain # mcp-lint: ignore[rbac-gap]\n  url: http://x/#mcp-lint: ignore[inline-secret]\n";
        let found = parse(yaml, Syntax::Yaml);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rules, ["rbac-gap"]);
    }
}
