//! Writes new values in each syntax, following the quoting style of the text around them.

use serde_json::Value;

/// How the strings next to an edit are quoted, so that new ones look the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quote {
    /// YAML plain scalars (quoted only when they must be).
    Plain,
    Double,
    Single,
}

impl Quote {
    /// The quoting of an existing scalar's source text.
    pub fn of(raw: &str) -> Self {
        match raw.as_bytes().first() {
            Some(b'"') => Quote::Double,
            Some(b'\'') => Quote::Single,
            _ => Quote::Plain,
        }
    }
}

/// A JSON string literal (also valid as a YAML double-quoted and a TOML basic string).
pub fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{text}\""))
}

/// A value on one line in JSON: `["a", "b"]`, `{ "k": true }`.
pub fn json_inline(value: &Value) -> String {
    match value {
        Value::String(s) => json_string(s),
        Value::Array(items) => format!("[{}]", items.iter().map(json_inline).collect::<Vec<_>>().join(", ")),
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        Value::Object(map) => format!(
            "{{ {} }}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", json_string(k), json_inline(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// A JSON value that may span lines: long arrays put one item per line at `indent + unit`.
pub fn json_block(value: &Value, indent: &str, unit: &str, newline: &str) -> String {
    let inline = json_inline(value);
    match value {
        Value::Array(items) if inline.len() > 80 && !items.is_empty() => {
            let inner = format!("{indent}{unit}");
            let lines: Vec<String> = items
                .iter()
                .map(|item| format!("{inner}{}", json_block(item, &inner, unit, newline)))
                .collect();
            format!("[{newline}{}{newline}{indent}]", lines.join(&format!(",{newline}")))
        }
        _ => inline,
    }
}

/// Whether YAML reads `text` back as the same string when written without quotes.
fn yaml_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let reserved = matches!(
        text.to_ascii_lowercase().as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
    );
    (first.is_ascii_alphabetic() || first == '_' || first == '/')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || "_./@-:".contains(c))
        && !text.contains(": ")
        && !text.ends_with(':')
        && !reserved
        && text.parse::<f64>().is_err()
}

/// A YAML scalar in the given quoting style (plain falls back to double quotes when it must).
pub fn yaml_scalar(value: &Value, quote: Quote) -> String {
    match value {
        Value::String(s) => match quote {
            Quote::Plain if yaml_plain_safe(s) => s.clone(),
            Quote::Single => format!("'{}'", s.replace('\'', "''")),
            _ => json_string(s),
        },
        Value::Null => "null".to_owned(),
        Value::Array(_) | Value::Object(_) => yaml_flow(value, quote),
        other => other.to_string(),
    }
}

/// A YAML value in flow style: `[a, b]`, `{k: v}`.
pub fn yaml_flow(value: &Value, quote: Quote) -> String {
    match value {
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(|v| yaml_flow(v, quote)).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", yaml_key(k), yaml_flow(v, quote)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        scalar => yaml_scalar(scalar, quote),
    }
}

pub fn yaml_key(key: &str) -> String {
    yaml_scalar(&Value::String(key.to_owned()), Quote::Plain)
}

/// The lines of `key: value` in block style at `indent`; maps nest, lists use `seq` style.
pub fn yaml_block_entry(
    key: &str,
    value: &Value,
    indent: &str,
    unit: &str,
    quote: Quote,
    block_seq: bool,
) -> Vec<String> {
    let key = yaml_key(key);
    match value {
        Value::Object(map) if !map.is_empty() => {
            let mut lines = vec![format!("{indent}{key}:")];
            let inner = format!("{indent}{unit}");
            for (k, v) in map {
                lines.extend(yaml_block_entry(k, v, &inner, unit, quote, block_seq));
            }
            lines
        }
        Value::Array(items) if (block_seq || yaml_flow(value, quote).len() > 80) && !items.is_empty() => {
            let mut lines = vec![format!("{indent}{key}:")];
            for item in items {
                lines.push(format!("{indent}{unit}- {}", yaml_flow(item, quote)));
            }
            lines
        }
        other => vec![format!("{indent}{key}: {}", yaml_flow(other, quote))],
    }
}

/// A TOML key, bare when it can be.
pub fn toml_key(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        key.to_owned()
    } else {
        json_string(key)
    }
}

/// The lines of `key = value` in a table at `indent`: a long array gets one item per line.
/// (Inline tables stay on one line: TOML 1.0 forbids newlines inside them.)
pub fn toml_entry_lines(key: &str, value: &Value, indent: &str, unit: &str, quote: Quote) -> Vec<String> {
    let key = toml_key(key);
    let inline = toml_inline(value, quote);
    match value {
        Value::Array(items) if inline.len() > 80 && !items.is_empty() => {
            // `indent` may end in a dotted-key prefix (`server.`); only its whitespace indents items.
            let margin = &indent[..indent.len() - indent.trim_start().len()];
            let mut lines = vec![format!("{indent}{key} = [")];
            lines.extend(
                items
                    .iter()
                    .map(|item| format!("{margin}{unit}{},", toml_inline(item, quote))),
            );
            lines.push(format!("{margin}]"));
            lines
        }
        _ => vec![format!("{indent}{key} = {inline}")],
    }
}

/// A TOML value on one line: strings in the sibling's quoting, arrays, inline tables.
pub fn toml_inline(value: &Value, quote: Quote) -> String {
    match value {
        Value::String(s) if quote == Quote::Single && !s.contains('\'') && !s.contains('\n') => format!("'{s}'"),
        Value::String(s) => json_string(s),
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|v| toml_inline(v, quote))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        Value::Object(map) => format!(
            "{{ {} }}",
            map.iter()
                .map(|(k, v)| format!("{} = {}", toml_key(k), toml_inline(v, quote)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        // TOML has no null; the engine never asks for one.
        Value::Null => "\"\"".to_owned(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn yaml_quotes_only_when_needed() {
        assert_eq!(
            yaml_scalar(&json!("os.environ/LITELLM_MASTER_KEY"), Quote::Plain),
            "os.environ/LITELLM_MASTER_KEY"
        );
        assert_eq!(yaml_scalar(&json!("true"), Quote::Plain), "\"true\"");
        assert_eq!(yaml_scalar(&json!("1.0"), Quote::Plain), "\"1.0\"");
        assert_eq!(yaml_scalar(&json!("a: b"), Quote::Plain), "\"a: b\"");
        assert_eq!(yaml_scalar(&json!("it's"), Quote::Single), "'it''s'");
        assert_eq!(
            yaml_flow(&json!({"tool_allowlist_enforced": true}), Quote::Plain),
            "{tool_allowlist_enforced: true}"
        );
    }

    #[test]
    fn json_and_toml_values() {
        assert_eq!(json_inline(&json!(["a", "b"])), r#"["a", "b"]"#);
        assert_eq!(json_inline(&json!({"k": true})), r#"{ "k": true }"#);
        assert_eq!(toml_inline(&json!(["a"]), Quote::Double), r#"["a"]"#);
        assert_eq!(toml_inline(&json!("x"), Quote::Single), "'x'");
        assert_eq!(toml_key("a.b"), "\"a.b\"");
    }
}
