//! JSON and JSONC backend: parses with `jsonc-parser` into the span-carrying document tree.

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{CollectOptions, ParseOptions};

use super::ParseError;
use super::tree::{Entry, Node, NodeValue, Span};

/// Parses `text`; `lenient` allows what JSONC readers accept (comments, trailing commas).
///
/// Strict mode mirrors `JSON.parse`, which Claude Desktop, Claude Code and Cline use: a comment
/// there is not a style nit, it makes the client drop the whole file.
pub fn parse(text: &str, lenient: bool) -> Result<Node, ParseError> {
    let options = ParseOptions {
        allow_comments: lenient,
        allow_loose_object_property_names: false,
        allow_trailing_commas: lenient,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &options).map_err(|error| {
        let mut message = error.kind().to_string();
        if !lenient && message.to_lowercase().contains("comment") {
            message.push_str(" (this client reads strict JSON)");
        }
        ParseError::new(error.range().start, message)
    })?;
    match parsed.value {
        Some(value) => Ok(convert(&value)),
        None => Err(ParseError::new(0, "the file is empty: expected a JSON object")),
    }
}

fn span(range: jsonc_parser::common::Range) -> Span {
    Span::new(range.start, range.end)
}

fn convert(value: &Value<'_>) -> Node {
    match value {
        Value::StringLit(lit) => Node::new(NodeValue::Str(lit.value.to_string()), span(lit.range)),
        Value::NumberLit(lit) => Node::new(NodeValue::Number(lit.value.to_owned()), span(lit.range)),
        Value::BooleanLit(lit) => Node::new(NodeValue::Bool(lit.value), span(lit.range)),
        Value::NullKeyword(lit) => Node::new(NodeValue::Null, span(lit.range)),
        Value::Array(array) => Node::new(
            NodeValue::Seq(array.elements.iter().map(convert).collect()),
            span(array.range),
        ),
        Value::Object(object) => Node::new(
            NodeValue::Map(
                object
                    .properties
                    .iter()
                    .map(|prop| {
                        let (key, key_range) = match &prop.name {
                            ObjectPropName::String(lit) => (lit.value.to_string(), lit.range),
                            ObjectPropName::Word(word) => (word.value.to_owned(), word.range),
                        };
                        Entry {
                            key,
                            key_span: span(key_range),
                            value: convert(&prop.value),
                        }
                    })
                    .collect(),
            ),
            span(object.range),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spans slice exactly the source text of keys and values.
    #[test]
    fn spans_slice_source() {
        let text = "{\n  \"mcpServers\": {\"a\": {\"args\": [\"-y\", \"pkg@latest\"]}}\n}";
        let root = parse(text, false).expect("parses");
        let args = root
            .get("mcpServers")
            .and_then(|s| s.get("a"))
            .and_then(|a| a.get("args"))
            .expect("args");
        let pkg = &args.as_seq().expect("seq")[1];
        assert_eq!(&text[pkg.span.start..pkg.span.end], "\"pkg@latest\"");
        let entry = root.entry("mcpServers").expect("entry");
        assert_eq!(&text[entry.key_span.start..entry.key_span.end], "\"mcpServers\"");
    }

    /// Strict mode rejects comments and trailing commas; lenient mode accepts them.
    #[test]
    fn strictness() {
        let text = "{ // c\n \"a\": [1,],\n}";
        assert!(parse(text, false).is_err());
        assert!(parse(text, true).is_ok());
    }

    /// Errors carry the byte offset of the problem.
    #[test]
    fn error_offset() {
        let text = "{\n  \"a\": [1, 2\n}";
        let error = parse(text, true).expect_err("unclosed array");
        assert!(error.offset > 5, "{error:?}");
    }

    /// Empty and deeply nested input errors out instead of panicking.
    #[test]
    fn no_panic_inputs() {
        assert!(parse("", true).is_err());
        assert!(parse(&"[".repeat(100_000), true).is_err());
    }
}
