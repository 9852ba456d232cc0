//! Planning an edit on a document: the splices (byte ranges and their new text) that make it,
//! in the file's own syntax, indentation, quoting, line endings and comment style.

use super::*;

/// The indentation step of the file: a tab, or the smallest run of leading spaces.
pub(super) fn indent_unit(text: &str) -> String {
    let mut smallest: Option<usize> = None;
    for line in text.lines().take(200) {
        let trimmed = line.trim_start_matches([' ', '\t']);
        if trimmed.is_empty() || trimmed.len() == line.len() {
            continue;
        }
        if line.starts_with('\t') {
            return "\t".to_owned();
        }
        let width = line.len() - line.trim_start_matches(' ').len();
        smallest = Some(smallest.map_or(width, |s| s.min(width)));
    }
    " ".repeat(smallest.unwrap_or(2))
}

/// The parts of a TOML dotted key as written in a header: `a."b.c" . d` -> `["a", "b.c", "d"]`.
pub(super) fn toml_dotted_key(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let (part, after) = match rest.as_bytes()[0] {
            quote @ (b'"' | b'\'') => {
                let close = rest[1..].find(quote as char).map_or(rest.len(), |i| i + 1);
                (&rest[1..close], rest.get(close + 1..).unwrap_or_default())
            }
            _ => {
                let dot = rest.find('.').unwrap_or(rest.len());
                (rest[..dot].trim(), &rest[dot..])
            }
        };
        parts.push(part);
        rest = after.trim_start().strip_prefix('.').unwrap_or(after).trim_start();
    }
    parts
}

pub(super) fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line holding `at`, before its `\r\n` or `\n`.
pub(super) fn line_end(text: &str, at: usize) -> usize {
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if end > at && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// The end of the last byte that belongs to `node`, nested values included.
pub(super) fn deep_end(node: &Node) -> usize {
    let children = match &node.value {
        NodeValue::Map(entries) => entries.iter().map(|e| deep_end(&e.value)).max(),
        NodeValue::Seq(items) => items.iter().map(deep_end).max(),
        _ => None,
    };
    children.map_or(node.span.end, |c| c.max(node.span.end))
}

pub(super) struct Doc<'a> {
    text: &'a str,
    syntax: Syntax,
    root: &'a Node,
    newline: &'static str,
    unit: String,
}

impl<'a> Doc<'a> {
    pub(super) fn new(text: &'a str, syntax: Syntax, root: &'a Node) -> Self {
        Doc {
            text,
            syntax,
            root,
            newline: if text.contains("\r\n") { "\r\n" } else { "\n" },
            unit: indent_unit(text),
        }
    }

    /// The splices that make `edit`, planned on this document's tree.
    pub(super) fn plan(&self, edit: &Edit) -> Result<Vec<Splice>, EditError> {
        match edit {
            Edit::Replace { route, value } => self.replace(route, value),
            Edit::ReplaceInString { route, find, replace } => self.replace_in_string(route, find, replace),
            Edit::ReplaceRange {
                route,
                start,
                end,
                expect,
                replace,
            } => self.replace_range(route, *start..*end, expect, replace),
            Edit::Insert {
                map,
                after,
                key,
                value,
                comment,
            } => self.insert(map, after.as_deref(), key, value, comment),
            Edit::Append { list, value } => self.append(list, value),
            Edit::Remove { route } => self.remove(route),
        }
    }

    pub(super) fn node(&self, route: &Route) -> Result<&Node, EditError> {
        self.root.at(route).ok_or_else(|| EditError::Missing(route.clone()))
    }

    pub(super) fn raw(&self, node: &Node) -> &str {
        &self.text[node.span.start..node.span.end]
    }

    pub(super) fn is_json(&self) -> bool {
        matches!(self.syntax, Syntax::Json | Syntax::Jsonc)
    }

    pub(super) fn comment_marker(&self) -> Option<&'static str> {
        match self.syntax {
            Syntax::Json => None,
            Syntax::Jsonc => Some("//"),
            Syntax::Yaml | Syntax::Toml => Some("#"),
        }
    }

    /// A flow collection (`[...]`, `{...}`) as opposed to a YAML block or a TOML table.
    pub(super) fn is_flow(&self, node: &Node) -> bool {
        self.is_json() || matches!(self.raw(node).as_bytes().first(), Some(b'[' | b'{'))
    }

    /// A TOML `[table]` or `[[array]]` entry: its key sits on a header line.
    pub(super) fn is_toml_header(&self, entry: &Entry) -> bool {
        self.syntax == Syntax::Toml
            && matches!(entry.value.value, NodeValue::Map(_) | NodeValue::Seq(_))
            && self.text[line_start(self.text, entry.key_span.start)..entry.key_span.start]
                .trim_start()
                .starts_with('[')
    }

    pub(super) fn scalar(&self, value: &Value, quote: Quote) -> String {
        match self.syntax {
            Syntax::Json | Syntax::Jsonc => render::json_inline(value),
            Syntax::Yaml => render::yaml_scalar(value, quote),
            Syntax::Toml => render::toml_inline(value, quote),
        }
    }

    /// The quoting of the first string among `nodes`, so that new strings match their neighbours.
    pub(super) fn quote_near<'n>(&self, nodes: impl IntoIterator<Item = &'n Node>) -> Quote {
        nodes
            .into_iter()
            .find(|n| matches!(n.value, NodeValue::Str(_)))
            .map_or(Quote::Plain, |n| Quote::of(self.raw(n)))
    }

    pub(super) fn replace(&self, route: &Route, value: &Value) -> Result<Vec<Splice>, EditError> {
        let node = self.node(route)?;
        if matches!(node.value, NodeValue::Map(_) | NodeValue::Seq(_)) && !self.is_flow(node) {
            return Err(EditError::Shape {
                route: route.clone(),
                expected: "a scalar or flow value",
            });
        }
        let quote = Quote::of(self.raw(node));
        let mut text = self.scalar(value, quote);
        // An empty YAML value (`key:`) sits right after its colon; the new one needs a space.
        if node.span.start == node.span.end && self.syntax == Syntax::Yaml {
            text.insert(0, ' ');
        }
        Ok(vec![Splice {
            start: node.span.start,
            end: node.span.end,
            text,
        }])
    }

    pub(super) fn replace_in_string(&self, route: &Route, find: &str, replace: &str) -> Result<Vec<Splice>, EditError> {
        let node = self.node(route)?;
        let NodeValue::Str(current) = &node.value else {
            return Err(EditError::Shape {
                route: route.clone(),
                expected: "a string",
            });
        };
        if !current.contains(find) {
            return Err(EditError::Missing(route.clone()));
        }
        // Splice inside the literal when both texts need no escaping, so the rest stays as written.
        let plain = |s: &str| {
            !s.chars()
                .any(|c| matches!(c, '"' | '\'' | '\\' | '#') || c.is_control())
        };
        let raw = self.raw(node);
        if plain(find)
            && plain(replace)
            && let Some(at) = raw.find(find)
        {
            let start = node.span.start + at;
            return Ok(vec![Splice {
                start,
                end: start + find.len(),
                text: replace.to_owned(),
            }]);
        }
        self.replace(route, &Value::String(current.replacen(find, replace, 1)))
    }

    pub(super) fn replace_range(
        &self,
        route: &Route,
        range: std::ops::Range<usize>,
        expect: &str,
        replace: &str,
    ) -> Result<Vec<Splice>, EditError> {
        let node = self.node(route)?;
        let NodeValue::Str(current) = &node.value else {
            return Err(EditError::Shape {
                route: route.clone(),
                expected: "a string",
            });
        };
        let Some(new) = replaced_range(current, range.start, range.end, expect, replace) else {
            return Err(EditError::Stale(route.clone()));
        };
        // Splice inside the literal where the text spells the value as it is read (no escapes)
        // and the new text needs none, so every other byte stays as written.
        let raw = self.raw(node);
        let quoted = raw.len() >= 2 && matches!(raw.as_bytes()[0], b'"' | b'\'');
        let inner = if quoted { &raw[1..raw.len() - 1] } else { raw };
        let plain = !replace
            .chars()
            .any(|c| matches!(c, '"' | '\'' | '\\' | '#') || c.is_control());
        if inner == current && plain {
            let start = node.span.start + usize::from(quoted) + range.start;
            return Ok(vec![Splice {
                start,
                end: start + (range.end - range.start),
                text: replace.to_owned(),
            }]);
        }
        self.replace(route, &Value::String(new))
    }

    pub(super) fn insert(
        &self,
        map_route: &Route,
        after: Option<&str>,
        key: &str,
        value: &Value,
        comment: &[String],
    ) -> Result<Vec<Splice>, EditError> {
        let map = self.node(map_route)?;
        let Some(entries) = map.as_map() else {
            return Err(EditError::Shape {
                route: map_route.clone(),
                expected: "a map",
            });
        };
        if entries.iter().any(|e| e.key == key) {
            return Err(EditError::Exists {
                map: map_route.clone(),
                key: key.to_owned(),
            });
        }
        // In TOML a plain key after a `[sub.table]` header would land in that sub-table.
        let candidates: Vec<&Entry> = entries.iter().filter(|e| !self.is_toml_header(e)).collect();
        let anchor = after
            .and_then(|a| candidates.iter().rev().find(|e| e.key == a))
            .or(candidates.last())
            .copied();
        let quote = self.quote_near(entries.iter().map(|e| &e.value));
        let Some(anchor) = anchor else {
            return self.insert_first(map_route, map, key, value, quote, comment);
        };
        let prefix = &self.text[line_start(self.text, anchor.key_span.start)..anchor.key_span.start];
        let flow_map = self.is_flow(map);
        if self.is_json() || (flow_map && self.syntax != Syntax::Toml) || self.in_inline_table(map, anchor) {
            let entry = match self.syntax {
                // Mid-line (`{ "a": 1, "b": 2 }`) a value spread over lines would break the line.
                Syntax::Json | Syntax::Jsonc if !prefix.trim().is_empty() => {
                    format!("{}: {}", render::json_string(key), render::json_inline(value))
                }
                Syntax::Json | Syntax::Jsonc => format!(
                    "{}: {}",
                    render::json_string(key),
                    render::json_block(value, prefix, &self.unit, self.newline)
                ),
                Syntax::Yaml => format!("{}: {}", render::yaml_key(key), render::yaml_flow(value, quote)),
                Syntax::Toml => format!("{} = {}", render::toml_key(key), render::toml_inline(value, quote)),
            };
            return Ok(self.insert_in_flow(anchor.key_span.start, deep_end(&anchor.value), &entry, comment));
        }
        // Block YAML and TOML tables: a new line after the anchor's last line, at its indentation.
        let indent = match self.syntax {
            Syntax::Yaml => prefix.replace('-', " "),
            _ => prefix.to_owned(),
        };
        let dotted_prefix = self.syntax == Syntax::Toml && indent.trim_end().ends_with('.');
        if !indent.trim().is_empty() && !dotted_prefix {
            return Err(EditError::NoPlace(map_route.clone()));
        }
        let lines = match self.syntax {
            Syntax::Yaml => {
                let block_seq = entries
                    .iter()
                    .any(|e| e.value.as_seq().is_some() && !self.is_flow(&e.value));
                render::yaml_block_entry(key, value, &indent, &self.unit, quote, block_seq)
            }
            _ => render::toml_entry_lines(key, value, &indent, &self.unit, quote),
        };
        // A dotted-key prefix (`server.env = ...`) is not indentation for the comment.
        let comment_indent = &indent[..indent.len() - indent.trim_start().len()];
        Ok(vec![self.lines_after(
            deep_end(&anchor.value),
            comment_indent,
            comment,
            &lines,
        )])
    }

    /// Whether `anchor` sits inside a TOML inline table (`{ a = 1 }`) rather than a `[table]`.
    pub(super) fn in_inline_table(&self, map: &Node, anchor: &Entry) -> bool {
        self.syntax == Syntax::Toml && self.raw(map).starts_with('{') && map.span.start < anchor.key_span.start
    }

    /// `comment` and `lines` as new lines after the line that holds `at`.
    pub(super) fn lines_after(&self, at: usize, indent: &str, comment: &[String], lines: &[String]) -> Splice {
        let mut text = String::new();
        if let Some(marker) = self.comment_marker() {
            for line in comment {
                text.push_str(&format!("{}{indent}{marker} {line}", self.newline));
            }
        }
        for line in lines {
            text.push_str(self.newline);
            text.push_str(line);
        }
        Splice::insert(line_end(self.text, at), text)
    }

    /// Inserts `item` after the element that starts at `start` and ends at `end`, in a list or map
    /// whose elements are separated by commas (JSON, TOML arrays and inline tables, YAML flow).
    pub(super) fn insert_in_flow(&self, start: usize, end: usize, item: &str, comment: &[String]) -> Vec<Splice> {
        let text = self.text;
        let prefix = &text[line_start(text, start)..start];
        let own_line = prefix.trim().is_empty();
        if !own_line {
            return vec![Splice::insert(end, format!(", {item}"))];
        }
        let comments: String = self
            .comment_marker()
            .map(|marker| {
                comment
                    .iter()
                    .map(|line| format!("{}{prefix}{marker} {line}", self.newline))
                    .collect()
            })
            .unwrap_or_default();
        match self.comma_after(end) {
            Some(comma) => {
                let rest = text[comma + 1..line_end(text, comma)].trim();
                if rest.is_empty() || self.is_comment(rest) {
                    vec![Splice::insert(
                        line_end(text, comma),
                        format!("{comments}{}{prefix}{item},", self.newline),
                    )]
                } else {
                    vec![Splice::insert(comma + 1, format!(" {item},"))]
                }
            }
            None => vec![
                Splice::insert(end, ","),
                Splice::insert(line_end(text, end), format!("{comments}{}{prefix}{item}", self.newline)),
            ],
        }
    }

    pub(super) fn is_comment(&self, text: &str) -> bool {
        match self.syntax {
            Syntax::Json | Syntax::Jsonc => text.starts_with("//") || text.starts_with("/*"),
            _ => text.starts_with('#'),
        }
    }

    /// The comma that follows the value ending at `end`, past whitespace and comments.
    pub(super) fn comma_after(&self, end: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut at = end;
        while at < bytes.len() {
            match bytes[at] {
                b',' => return Some(at),
                b' ' | b'\t' | b'\r' | b'\n' => at += 1,
                b'#' if !self.is_json() => at = self.text[at..].find('\n').map_or(bytes.len(), |i| at + i),
                b'/' if self.is_json() && bytes.get(at + 1) == Some(&b'/') => {
                    at = self.text[at..].find('\n').map_or(bytes.len(), |i| at + i);
                }
                b'/' if self.is_json() && bytes.get(at + 1) == Some(&b'*') => {
                    at = self.text[at + 2..].find("*/").map_or(bytes.len(), |i| at + 2 + i + 2);
                }
                _ => return None,
            }
        }
        None
    }

    /// The first entry of an empty map: inside `{}`, or right under a TOML `[table]` header.
    pub(super) fn insert_first(
        &self,
        map_route: &Route,
        map: &Node,
        key: &str,
        value: &Value,
        quote: Quote,
        comment: &[String],
    ) -> Result<Vec<Splice>, EditError> {
        let raw = self.raw(map);
        if raw.starts_with('{') && raw.ends_with('}') {
            let entry = match self.syntax {
                Syntax::Json | Syntax::Jsonc => format!("{}: {}", render::json_string(key), render::json_inline(value)),
                Syntax::Yaml => format!("{}: {}", render::yaml_key(key), render::yaml_flow(value, quote)),
                Syntax::Toml => format!("{} = {}", render::toml_key(key), render::toml_inline(value, quote)),
            };
            let open = map.span.start + 1;
            let close = map.span.end - 1;
            let inner = &self.text[open..close];
            if !inner.contains('\n') {
                let text = if self.syntax == Syntax::Yaml {
                    entry
                } else {
                    format!(" {entry} ")
                };
                return Ok(vec![Splice {
                    start: open,
                    end: close,
                    text,
                }]);
            }
            let indent = format!("{}{}", self.indent_at(close), self.unit);
            return Ok(vec![Splice::insert(open, format!("{}{indent}{entry}", self.newline))]);
        }
        if self.syntax == Syntax::Toml
            && let Some(header_end) = self.toml_header(map_route)
        {
            let lines = render::toml_entry_lines(key, value, "", &self.unit, quote);
            return Ok(vec![self.lines_after(header_end, "", comment, &lines)]);
        }
        Err(EditError::NoPlace(map_route.clone()))
    }

    /// The end of the `[a.b]` header line that opens the table at `route`.
    pub(super) fn toml_header(&self, route: &Route) -> Option<usize> {
        let want: Vec<&str> = route
            .components()
            .iter()
            .map(|c| match c {
                Component::Key(k) => Some(k.as_str()),
                Component::Index(_) => None,
            })
            .collect::<Option<_>>()?;
        let mut offset = 0;
        for line in self.text.split_inclusive('\n') {
            let trimmed = line.trim();
            if let Some(inner) = trimmed.strip_prefix('[').filter(|t| !t.starts_with('['))
                && let Some(close) = inner.find(']')
                && toml_dotted_key(&inner[..close]) == want
            {
                return Some(offset + line.trim_end().len());
            }
            offset += line.len();
        }
        None
    }

    pub(super) fn indent_at(&self, at: usize) -> &str {
        let start = line_start(self.text, at);
        let line = &self.text[start..];
        &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
    }

    pub(super) fn append(&self, list_route: &Route, value: &Value) -> Result<Vec<Splice>, EditError> {
        let list = self.node(list_route)?;
        let Some(items) = list.as_seq() else {
            return Err(EditError::Shape {
                route: list_route.clone(),
                expected: "a list",
            });
        };
        let quote = self.quote_near(items);
        let Some(last) = items.last() else {
            let raw = self.raw(list);
            if raw.starts_with('[') && raw.ends_with(']') {
                return Ok(vec![Splice {
                    start: list.span.start + 1,
                    end: list.span.end - 1,
                    text: self.scalar(value, quote),
                }]);
            }
            return Err(EditError::NoPlace(list_route.clone()));
        };
        if self.is_flow(list) {
            let item = match self.syntax {
                Syntax::Yaml => render::yaml_flow(value, quote),
                _ => self.scalar(value, quote),
            };
            return Ok(self.insert_in_flow(last.span.start, deep_end(last), &item, &[]));
        }
        // A YAML block sequence: `- item` at the dash column of the last item.
        let prefix = &self.text[line_start(self.text, last.span.start)..last.span.start];
        if prefix.trim() != "-" {
            return Err(EditError::NoPlace(list_route.clone()));
        }
        let line = format!("{prefix}{}", render::yaml_flow(value, quote));
        Ok(vec![self.lines_after(deep_end(last), "", &[], &[line])])
    }

    pub(super) fn remove(&self, route: &Route) -> Result<Vec<Splice>, EditError> {
        let Some((last, parent_route)) = route.split_last() else {
            return Err(EditError::NoPlace(route.clone()));
        };
        let parent = self.node(&parent_route)?;
        // The element (key or item) to remove, and its neighbours for the separators.
        let (elements, index): (Vec<(usize, usize)>, usize) = match (last, &parent.value) {
            (Component::Key(key), NodeValue::Map(entries)) => {
                let index = entries
                    .iter()
                    .rposition(|e| &e.key == key)
                    .ok_or_else(|| EditError::Missing(route.clone()))?;
                (
                    entries.iter().map(|e| (e.key_span.start, deep_end(&e.value))).collect(),
                    index,
                )
            }
            (Component::Index(i), NodeValue::Seq(items)) if *i < items.len() => {
                (items.iter().map(|n| (n.span.start, deep_end(n))).collect(), *i)
            }
            _ => return Err(EditError::Missing(route.clone())),
        };
        let (start, end) = elements[index];
        let text = self.text;
        let line_from = line_start(text, start);
        let flow = self.is_flow(parent);
        let prefix = text[line_from..start].trim();
        // A block sequence item owns its line from the dash: `  - item`.
        let block_item = !flow && matches!(last, Component::Index(_)) && prefix == "-";
        if block_item && elements.len() == 1 {
            // Removing the only item would leave a null where a list was.
            return Err(EditError::NoPlace(route.clone()));
        }
        let own_line = prefix.is_empty() || block_item;
        if own_line {
            let line_to = line_end(text, end);
            let after_newline = text[line_to..].find('\n').map_or(text.len(), |i| line_to + i + 1);
            // On the file's last line without a final newline, take the newline before it instead.
            let (cut_from, cut_to) = if after_newline == text.len() && !text.ends_with('\n') && line_from > 0 {
                let previous = if text[..line_from].ends_with("\r\n") { 2 } else { 1 };
                (line_from - previous, text.len())
            } else {
                (line_from, after_newline)
            };
            // A comment at the end of the removed line stays, on a line of its own.
            let tail = text[end..line_to].trim().trim_start_matches(',').trim_start();
            let kept = if self.is_comment(tail) {
                format!("{}{tail}{}", self.indent_at(start), &text[line_to..after_newline])
            } else {
                String::new()
            };
            let (cut_from, cut_to, kept) = if kept.is_empty() {
                (cut_from, cut_to, kept)
            } else {
                (line_from, after_newline, kept)
            };
            let mut splices = vec![Splice {
                start: cut_from,
                end: cut_to,
                text: kept,
            }];
            // The last element of a comma-separated list takes the comma before it along.
            if flow
                && index + 1 == elements.len()
                && index > 0
                && self.comma_after(end).is_none()
                && let Some(comma) = self.comma_after(elements[index - 1].1)
            {
                splices.push(Splice {
                    start: comma,
                    end: comma + 1,
                    text: String::new(),
                });
            }
            return Ok(splices);
        }
        if !flow {
            return Err(EditError::NoPlace(route.clone()));
        }
        // Inline: take the element and the separator after it, or before it for the last one.
        match self.comma_after(end) {
            Some(comma) => {
                let mut to = comma + 1;
                while text.as_bytes().get(to) == Some(&b' ') {
                    to += 1;
                }
                Ok(vec![Splice {
                    start,
                    end: to,
                    text: String::new(),
                }])
            }
            None if index > 0 => {
                let previous_end = elements[index - 1].1;
                Ok(vec![Splice {
                    start: previous_end,
                    end,
                    text: String::new(),
                }])
            }
            None => {
                // The only element: `{ "a" = 1 }` becomes `{}`, not `{  }`.
                let (open, close) = (parent.span.start + 1, parent.span.end.saturating_sub(1));
                let only_blank_around = open <= start
                    && end <= close
                    && text[open..start].trim().is_empty()
                    && text[end..close].trim().is_empty();
                let (start, end) = if only_blank_around { (open, close) } else { (start, end) };
                Ok(vec![Splice {
                    start,
                    end,
                    text: String::new(),
                }])
            }
        }
    }
}
