//! TOML backend: parses with `toml_edit` (spans kept) into the document tree.

use toml_edit::{Array, InlineTable, Item, Table, Value};

use super::ParseError;
use super::tree::{Entry, Node, NodeValue, Span};

/// Parses a TOML document.
pub fn parse(text: &str) -> Result<Node, ParseError> {
    let document = toml_edit::Document::parse(text).map_err(|error| {
        let offset = error.span().map_or(0, |s| s.start);
        let message = error.message().trim().replace('\n', " ");
        ParseError::new(offset, message)
    })?;
    let root = convert_table(document.as_table());
    Ok(Node::new(root.value, Span::new(0, text.len())))
}

fn to_span(range: Option<std::ops::Range<usize>>) -> Option<Span> {
    range.map(|r| Span::new(r.start, r.end))
}

/// The union of the spans of a container's children, for implicit tables that have none.
fn cover(children: impl Iterator<Item = Span>) -> Span {
    children
        .reduce(|a, b| Span::new(a.start.min(b.start), a.end.max(b.end)))
        .unwrap_or_default()
}

fn convert_table(table: &Table) -> Node {
    let entries: Vec<Entry> = table
        .iter()
        .filter_map(|(key, item)| {
            let (key_ref, _) = table.get_key_value(key)?;
            let value = convert_item(item)?;
            let key_span = to_span(key_ref.span()).unwrap_or(value.span);
            Some(Entry {
                key: key.to_owned(),
                key_span,
                value,
            })
        })
        .collect();
    let span = to_span(table.span()).unwrap_or_else(|| cover(entries.iter().flat_map(|e| [e.key_span, e.value.span])));
    Node::new(NodeValue::Map(entries), span)
}

fn convert_inline_table(table: &InlineTable) -> Node {
    let entries: Vec<Entry> = table
        .iter()
        .filter_map(|(key, value)| {
            let (key_ref, _) = table.get_key_value(key)?;
            let value = convert_value(value);
            let key_span = to_span(key_ref.span()).unwrap_or(value.span);
            Some(Entry {
                key: key.to_owned(),
                key_span,
                value,
            })
        })
        .collect();
    let span = to_span(table.span()).unwrap_or_else(|| cover(entries.iter().flat_map(|e| [e.key_span, e.value.span])));
    Node::new(NodeValue::Map(entries), span)
}

fn convert_array(array: &Array) -> Node {
    let items: Vec<Node> = array.iter().map(convert_value).collect();
    let span = to_span(array.span()).unwrap_or_else(|| cover(items.iter().map(|n| n.span)));
    Node::new(NodeValue::Seq(items), span)
}

fn convert_item(item: &Item) -> Option<Node> {
    match item {
        Item::None => None,
        Item::Value(value) => Some(convert_value(value)),
        Item::Table(table) => Some(convert_table(table)),
        Item::ArrayOfTables(tables) => {
            let items: Vec<Node> = tables.iter().map(convert_table).collect();
            let span = to_span(tables.span()).unwrap_or_else(|| cover(items.iter().map(|n| n.span)));
            Some(Node::new(NodeValue::Seq(items), span))
        }
    }
}

fn convert_value(value: &Value) -> Node {
    let span = to_span(value.span()).unwrap_or_default();
    match value {
        Value::String(s) => Node::new(NodeValue::Str(s.value().clone()), span),
        Value::Integer(i) => Node::new(NodeValue::Number(i.value().to_string()), span),
        Value::Float(f) => Node::new(NodeValue::Number(f.value().to_string()), span),
        Value::Boolean(b) => Node::new(NodeValue::Bool(*b.value()), span),
        Value::Datetime(d) => Node::new(NodeValue::DateTime(d.value().to_string()), span),
        Value::Array(array) => convert_array(array),
        Value::InlineTable(table) => convert_inline_table(table),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys and values of `[mcp_servers.x]` tables carry spans that slice the source.
    #[test]
    fn spans_slice_source() {
        let text = "[mcp_servers.ctx]\ncommand = \"npx\"\nargs = [\"-y\", \"pkg@latest\"]\n\n[mcp_servers.ctx.env]\nK = \"v\"\n";
        let root = parse(text).expect("parses");
        let server = root.get("mcp_servers").and_then(|s| s.get("ctx")).expect("server");
        let args = server.get("args").expect("args");
        let pkg = &args.as_seq().expect("seq")[1];
        assert_eq!(&text[pkg.span.start..pkg.span.end], "\"pkg@latest\"");
        let env = server.get("env").and_then(|e| e.entry("K")).expect("env K");
        assert_eq!(&text[env.key_span.start..env.key_span.end], "K");
        let key = root.get("mcp_servers").and_then(|s| s.entry("ctx")).expect("ctx");
        assert_eq!(&text[key.key_span.start..key.key_span.end], "ctx");
    }

    /// Syntax errors carry an offset and a one-line message.
    #[test]
    fn error_offset() {
        let error = parse("a = 1\nb = [\n").expect_err("unclosed");
        assert!(error.offset >= 6, "{error:?}");
        assert!(!error.message.contains('\n'));
    }
}
