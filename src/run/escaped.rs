//! MCP JSON written as an escaped YAML string (an mcpo chart's `configJson: "{\n  \"mcpServers\"..."`):
//! the string is decoded with a map from each decoded byte back to the escape that wrote it, so
//! findings in the JSON are reported at the YAML file's own lines and columns.

use crate::dialect::tree::{NodeValue, Span};
use crate::dialect::{self, Node, Syntax};

/// Where each byte of a decoded text was written in its host file.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The host file's text (without BOM), which reports show.
    pub host_text: String,
    /// Host byte range of the escape (or character) that wrote each decoded byte, and one
    /// empty range at the end for the closing quote.
    ranges: Vec<(usize, usize)>,
}

impl Origin {
    /// An origin from the host's text and, for each decoded byte, the host range that wrote it.
    pub fn new(host_text: String, mut ranges: Vec<(usize, usize)>) -> Self {
        let end = ranges.last().map_or(0, |r| r.1);
        ranges.push((end, end));
        Self { host_text, ranges }
    }

    /// The host span of a decoded span: from the first byte's escape to the last one's end.
    pub fn map(&self, span: Span) -> Span {
        let at = |index: usize| self.ranges[index.min(self.ranges.len() - 1)];
        if span.end <= span.start {
            let start = at(span.start).0;
            return Span::new(start, start);
        }
        Span::new(at(span.start).0, at(span.end - 1).1)
    }

    /// Every span of a tree decoded from the host, moved to the host's offsets.
    pub fn map_tree(&self, node: &mut Node) {
        node.map_spans(&|span| self.map(span));
    }
}

/// The body of an unquoted shell heredoc (`cat << EOF`, not `<< 'EOF'`) as the shell hands it
/// over: `\$`, `` \` `` and `\\` lose their backslash, and a `$NAME` or `${NAME}` written where a
/// JSON value stands (`"port": $PORT`, or a GitHub Actions `${{ expression }}`) becomes the
/// number `0` (its value is known only at run time; inside a string it stays, a reference like
/// any other). Returns the text and, for
/// each of its bytes, the host range that wrote it.
pub fn shell_heredoc(host: &str, body: std::ops::Range<usize>) -> (String, Vec<(usize, usize)>) {
    let bytes = host.as_bytes();
    let mut out = String::new();
    let mut ranges = Vec::new();
    let mut in_string = false;
    let mut at = body.start;
    while at < body.end {
        let c = host[at..].chars().next().unwrap_or('\0');
        let width = c.len_utf8();
        if c == '\\' && at + 1 < body.end && matches!(bytes[at + 1], b'$' | b'`' | b'\\') {
            out.push(bytes[at + 1] as char);
            ranges.push((at, at + 2));
            at += 2;
            continue;
        }
        if c == '\\' && in_string && at + 1 < body.end {
            // A JSON escape inside a string: both bytes as written.
            out.push_str(&host[at..at + 2]);
            ranges.extend([(at, at + 1), (at + 1, at + 2)]);
            at += 2;
            continue;
        }
        if c == '"' {
            in_string = !in_string;
        }
        if c == '$' && !in_string {
            let rest = &host[at + 1..body.end];
            // A GitHub Actions expression (`${{ steps.x.outputs.y }}`), filled in before the
            // shell runs, is a value of its own too.
            let len = if let Some(inner) = rest.strip_prefix("{{") {
                inner.find("}}").map(|end| end + 5)
            } else if let Some(inner) = rest.strip_prefix('{') {
                inner.find('}').map(|end| end + 3)
            } else {
                let name = rest
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                    .count();
                (name > 0).then_some(name + 1)
            };
            if let Some(len) = len {
                out.push('0');
                ranges.push((at, at + len));
                at += len;
                continue;
            }
        }
        out.push(c);
        ranges.extend(std::iter::repeat_n((at, at + width), width));
        at += width;
    }
    (out, ranges)
}

/// The first double-quoted YAML string of `text` whose value holds an `mcpServers` object, decoded,
/// with where its bytes came from. None when there is none, or when this decoder and the YAML
/// parser disagree on its value (then nothing is reported at wrong places).
pub fn mcp_json_string(text: &str, tree: Option<&Node>) -> Option<(String, Origin)> {
    if !text.contains("mcpServers") {
        return None;
    }
    let parsed;
    let root = match tree {
        Some(root) => root,
        None => {
            parsed = dialect::parse(Syntax::Yaml, text).ok()?;
            &parsed
        }
    };
    let node = find(root)?;
    let (decoded, ranges) = decode_double_quoted(text, node.span.start)?;
    let NodeValue::Str(parsed) = &node.value else {
        return None;
    };
    (decoded == *parsed).then(|| {
        (
            decoded,
            Origin {
                host_text: text.to_owned(),
                ranges,
            },
        )
    })
}

/// A double-quoted string value whose text is JSON with `"mcpServers"`.
fn find(node: &Node) -> Option<&Node> {
    match &node.value {
        NodeValue::Str(value) if value.contains("\"mcpServers\"") && value.trim_start().starts_with('{') => Some(node),
        NodeValue::Map(entries) => entries.iter().find_map(|entry| find(&entry.value)),
        NodeValue::Seq(items) => items.iter().find_map(find),
        _ => None,
    }
}

/// Decodes the YAML double-quoted scalar opening at byte `open` (escapes, escaped line breaks,
/// line folding), recording each decoded byte's host range.
fn decode_double_quoted(text: &str, open: usize) -> Option<(String, Vec<(usize, usize)>)> {
    if !text[open..].starts_with('"') {
        return None;
    }
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    // Literal blanks at the end of a line are dropped by folding; kept until a non-break follows.
    let mut pending: Vec<(char, usize)> = Vec::new();
    let push = |out: &mut String, ranges: &mut Vec<(usize, usize)>, c: char, from: usize, to: usize| {
        out.push(c);
        ranges.extend(std::iter::repeat_n((from, to), c.len_utf8()));
    };
    let mut at = open + 1;
    let skip_blanks = |mut at: usize| {
        while at < bytes.len() && matches!(bytes[at], b' ' | b'\t') {
            at += 1;
        }
        at
    };
    let line_break = |at: usize| match bytes.get(at) {
        Some(b'\n') => Some(1),
        Some(b'\r') if bytes.get(at + 1) == Some(&b'\n') => Some(2),
        Some(b'\r') => Some(1),
        _ => None,
    };
    loop {
        let c = text[at..].chars().next()?;
        if c == '"' {
            for (c, from) in pending.drain(..) {
                push(&mut out, &mut ranges, c, from, from + 1);
            }
            ranges.push((at, at + 1));
            return Some((out, ranges));
        }
        if let Some(width) = line_break(at) {
            // Folding: trailing blanks go; one break is a space, each further empty line a newline.
            pending.clear();
            let fold_at = at;
            at = skip_blanks(at + width);
            let mut newlines = 0;
            while let Some(width) = line_break(at) {
                newlines += 1;
                at = skip_blanks(at + width);
            }
            if newlines == 0 {
                push(&mut out, &mut ranges, ' ', fold_at, fold_at + width);
            } else {
                for _ in 0..newlines {
                    push(&mut out, &mut ranges, '\n', fold_at, fold_at + width);
                }
            }
            continue;
        }
        if c == ' ' || c == '\t' {
            pending.push((c, at));
            at += 1;
            continue;
        }
        for (c, from) in pending.drain(..) {
            push(&mut out, &mut ranges, c, from, from + 1);
        }
        if c != '\\' {
            push(&mut out, &mut ranges, c, at, at + c.len_utf8());
            at += c.len_utf8();
            continue;
        }
        let escape = at;
        let code = text[at + 1..].chars().next()?;
        if let Some(width) = line_break(at + 1) {
            // An escaped line break joins the lines; the next line's indentation goes.
            at = skip_blanks(at + 1 + width);
            continue;
        }
        at += 1 + code.len_utf8();
        let hex = |digits: usize, at: &mut usize| {
            let value = u32::from_str_radix(text.get(*at..*at + digits)?, 16).ok()?;
            *at += digits;
            char::from_u32(value)
        };
        let decoded = match code {
            '0' => '\0',
            'a' => '\u{7}',
            'b' => '\u{8}',
            't' | '\t' => '\t',
            'n' => '\n',
            'v' => '\u{b}',
            'f' => '\u{c}',
            'r' => '\r',
            'e' => '\u{1b}',
            ' ' => ' ',
            '"' => '"',
            '/' => '/',
            '\\' => '\\',
            'N' => '\u{85}',
            '_' => '\u{a0}',
            'L' => '\u{2028}',
            'P' => '\u{2029}',
            'x' => hex(2, &mut at)?,
            'u' => hex(4, &mut at)?,
            'U' => hex(8, &mut at)?,
            _ => return None,
        };
        push(&mut out, &mut ranges, decoded, escape, at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decoder agrees with the YAML parser on escapes, escaped line breaks and folding, and
    /// maps each decoded byte to the escape that wrote it.
    #[test]
    fn decodes_like_the_parser_and_maps_back() {
        let text = "configJson: \"{\\n  \\\"mcpServers\\\": {\\\"a\\\"\\\n  : {\\\"command\\\":\n  \\\"npx\\\"}}}\\u00e9 x  \n\n  y\"\nother: 1\n";
        let (decoded, origin) = mcp_json_string(text, None).expect("found and agreed");
        assert_eq!(decoded, "{\n  \"mcpServers\": {\"a\": {\"command\": \"npx\"}}}é x\ny");
        let npx = decoded.find("\"npx\"").expect("npx");
        let host = origin.map(Span::new(npx, npx + 5));
        assert_eq!(&text[host.start..host.end], "\\\"npx\\\"");
        let e = decoded.find('é').expect("é");
        let host = origin.map(Span::new(e, e + 'é'.len_utf8()));
        assert_eq!(&text[host.start..host.end], "\\u00e9");
    }

    #[test]
    fn no_string_no_view() {
        assert!(mcp_json_string("a: \"{}\"\n", None).is_none());
        assert!(
            mcp_json_string("a: '{\"mcpServers\": {}}'\n", None).is_none(),
            "single-quoted: not this decoder's"
        );
    }
}
