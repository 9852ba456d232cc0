//! Where a file's secrets are, as byte ranges of its own text, and that text with those bytes
//! masked: what every output that shows the file (snippets, diffs, the wizard) prints instead.
//!
//! A secret is found in a value as the client reads it (escapes decoded); it is masked in the
//! text as written. Where the two differ (`\u0041`, `\/`, a YAML block scalar), the whole value is
//! masked, so no escape form can carry a secret past the mask.

use crate::dialect::{Node, NodeValue, Span, Syntax};
use crate::secrets::{self, ValueContext};

use super::lint::Located;

/// The byte ranges of `text` that hold secrets: every string value the secret detector flags in
/// its place (under its key, or as a list item), and the values the findings point at.
pub fn secret_spans<'a>(root: &Node, text: &str, findings: impl IntoIterator<Item = &'a Located>) -> Vec<Span> {
    let mut spans = Vec::new();
    walk(root, None, text, &mut spans);
    for located in findings.into_iter().filter(|l| !l.finding.masked.is_empty()) {
        let span = located.primary;
        let exact = text
            .get(span.start..span.end)
            .is_some_and(|raw| located.finding.masked.iter().any(|secret| secret == raw));
        if exact {
            spans.push(span);
        } else if let Some(node) = root.at(&located.finding.primary.route) {
            spans.push(inner(node, text));
        }
    }
    normalise(spans)
}

/// The secret spans of a text the fixes or the wizard wrote: its own values, read again.
pub fn secret_spans_of_text(syntax: Syntax, text: &str) -> Vec<Span> {
    match crate::dialect::parse(syntax, text) {
        Ok(root) => secret_spans(&root, text, []),
        // A text that does not parse is never written; mask it whole rather than guess.
        Err(_) => vec![Span::new(0, text.len())],
    }
}

/// `text` with every byte of `spans` replaced by `*` (line breaks kept, so lines and columns stay
/// where they were).
pub fn mask(text: &str, spans: &[Span]) -> String {
    if spans.is_empty() {
        return text.to_owned();
    }
    let mut bytes = text.as_bytes().to_vec();
    for span in spans {
        let end = span.end.min(bytes.len());
        for byte in &mut bytes[span.start.min(end)..end] {
            if !matches!(*byte, b'\n' | b'\r') {
                *byte = b'*';
            }
        }
    }
    // Whole bytes of multi-byte characters became `*`, and the rest was valid UTF-8 before.
    String::from_utf8(bytes).unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

fn walk(node: &Node, key: Option<&str>, text: &str, spans: &mut Vec<Span>) {
    match &node.value {
        NodeValue::Map(entries) => {
            for entry in entries {
                walk(&entry.value, Some(entry.key.as_str()), text, spans);
            }
        }
        NodeValue::Seq(items) => {
            let mut previous: Option<&str> = None;
            for item in items {
                match item.as_str() {
                    Some(value) => {
                        let context = ValueContext::Arg { previous };
                        flag(item, value, context, text, spans);
                        previous = Some(value);
                    }
                    None => walk(item, None, text, spans),
                }
            }
        }
        NodeValue::Str(value) => {
            let context = match key {
                Some(key) => ValueContext::Env { key },
                None => ValueContext::Arg { previous: None },
            };
            flag(node, value, context, text, spans);
        }
        _ => {}
    }
}

fn flag(node: &Node, value: &str, context: ValueContext<'_>, text: &str, spans: &mut Vec<Span>) {
    let hits: Vec<_> = secrets::find_secrets(context, value)
        .into_iter()
        .filter(|hit| !hit.placeholder)
        .collect();
    if hits.is_empty() {
        return;
    }
    let inner = inner(node, text);
    // Where the text spells the value as it is read, only the secrets' own bytes are masked.
    if text.get(inner.start..inner.end) == Some(value) {
        spans.extend(
            hits.iter()
                .map(|hit| Span::new(inner.start + hit.start, inner.start + hit.end)),
        );
    } else {
        spans.push(inner);
    }
}

/// The span of a scalar without its quotes.
fn inner(node: &Node, text: &str) -> Span {
    let span = node.span;
    let raw = text.get(span.start..span.end).unwrap_or_default();
    let quoted = raw.len() >= 2
        && matches!(raw.as_bytes()[0], b'"' | b'\'')
        && raw.as_bytes()[raw.len() - 1] == raw.as_bytes()[0];
    if quoted {
        Span::new(span.start + 1, span.end - 1)
    } else {
        span
    }
}

/// Sorted, without duplicates.
fn normalise(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| (s.start, s.end));
    spans.dedup();
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(syntax: Syntax, text: &str) -> Vec<String> {
        secret_spans_of_text(syntax, text)
            .iter()
            .map(|s| text[s.start..s.end].to_owned())
            .collect()
    }

    #[test]
    fn secrets_are_found_where_they_are_written() {
        let token = "ghp_Zq4mV8rT2kLp9sXw3nB7cY6dF1gH5jK0aE2u";
        let plain = format!(r#"{{ "mcpServers": {{ "a": {{ "env": {{ "GITHUB_TOKEN": "{token}" }} }} }} }}"#);
        assert_eq!(spans(Syntax::Json, &plain), [token]);
        // An escape in the value: the whole value is masked, as written.
        let escaped = plain.replace("ghp_Z", "ghp_\\u005a");
        let found = spans(Syntax::Json, &escaped);
        assert_eq!(found, ["ghp_\\u005aq4mV8rT2kLp9sXw3nB7cY6dF1gH5jK0aE2u"]);
        let masked = mask(&escaped, &secret_spans_of_text(Syntax::Json, &escaped));
        assert!(!masked.contains("q4mV8rT2"), "{masked}");
        // A field the model does not know, under a secret-looking key, in YAML.
        let yaml = "mcp_servers:\n  a:\n    extra_headers:\n      X-Api-Key: Q7we9Rx2mLp4Zt8Kv3Nb\n";
        assert_eq!(spans(Syntax::Yaml, yaml), ["Q7we9Rx2mLp4Zt8Kv3Nb"]);
        // A reference is no secret.
        assert!(
            spans(
                Syntax::Json,
                r#"{ "mcpServers": { "a": { "env": { "GITHUB_TOKEN": "${GITHUB_TOKEN}" } } } }"#
            )
            .is_empty()
        );
    }

    #[test]
    fn masking_keeps_lines_and_bytes() {
        let text = "a: ü-secret\nb: x\n";
        let masked = mask(text, &[Span::new(3, 12)]);
        assert_eq!(masked.len(), text.len());
        assert_eq!(masked.lines().count(), 2);
        assert!(masked.starts_with("a: *********\n"), "{masked}");
    }
}
