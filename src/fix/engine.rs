//! Applies one [`Edit`] to a document by splicing only the bytes it must change.
//!
//! The dialect backends give every key and value its byte span; the engine finds the place an
//! edit addresses, writes the new text in the style of its neighbours (indentation, quoting, flow
//! or block, CRLF) and leaves everything else byte for byte. The result is parsed again before
//! it is returned, so an edit can never hand back a file its client cannot read.

use serde_json::Value;
use thiserror::Error;

use super::render::{self, Quote};
use super::{Edit, Fix};
use crate::dialect::{self, Component, Entry, Node, NodeValue, ParseError, Route, Syntax};

/// Why an edit could not be applied; the file is then left as it was.
#[derive(Debug, Error, PartialEq, Clone)]
pub enum EditError {
    #[error("the text does not parse: {0}")]
    Parse(#[from] ParseError),
    #[error("nothing at `{0}` to edit")]
    Missing(Route),
    #[error("`{route}` is not {expected}")]
    Shape { route: Route, expected: &'static str },
    #[error("`{map}` already has `{key}`")]
    Exists { map: Route, key: String },
    #[error("`{0}` no longer holds what the edit was planned on")]
    Stale(Route),
    #[error("cannot place the edit at `{0}` without rewriting its neighbours")]
    NoPlace(Route),
    #[error("the edited text would no longer parse: {0}")]
    Broken(ParseError),
    #[error("the edited text would not hold what the edit meant at `{0}` (or would change something else)")]
    Unfaithful(Route),
}

/// Replaces the bytes `[start, end)` of the original text with `text`.
#[derive(Debug, Clone, PartialEq)]
pub struct Splice {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Splice {
    fn insert(at: usize, text: impl Into<String>) -> Self {
        Self {
            start: at,
            end: at,
            text: text.into(),
        }
    }
}

/// Applies `edit` to `text` written in `syntax`; the result parses in the same syntax.
pub fn apply_edit(text: &str, syntax: Syntax, edit: &Edit) -> Result<String, EditError> {
    let root = dialect::parse(syntax, text)?;
    let doc = Doc::new(text, syntax, &root);
    let splices = doc.plan(edit)?;
    let edited = splice(text, splices);
    let reparsed = dialect::parse(syntax, &edited).map_err(EditError::Broken)?;
    // The backend reads the result back: the data must be the old data with exactly this edit
    // applied, and nothing else changed (map order aside).
    if expected_data(root.to_json(), edit).as_ref() != Some(&reparsed.to_json()) {
        return Err(EditError::Unfaithful(edit_route(edit).clone()));
    }
    Ok(edited)
}

/// What [`apply_batch`] did with many fixes at once.
#[derive(Debug)]
pub struct Batch {
    /// The text with every batched fix applied, and its parse.
    pub text: String,
    pub root: Node,
    /// Per fix, in the order given: true when it went into `text`. A fix left out touched the
    /// same bytes or key as an earlier one, or could not be planned on the original tree (its
    /// later edits build on its earlier ones); the caller applies those one by one.
    pub applied: Vec<bool>,
    /// Per fix, the splices of the original text it went in as (empty for a fix left out).
    pub splices: Vec<Vec<Splice>>,
}

/// `fix` alone as splices of `text`, checked as [`apply_edit`] checks an edit: the spliced text
/// parses and holds exactly the fix's data. A fix whose later edits build on its earlier ones
/// cannot be planned on one tree and is an error here.
pub fn plan_fix(text: &str, syntax: Syntax, root: &Node, fix: &Fix) -> Result<Vec<Splice>, EditError> {
    let doc = Doc::new(text, syntax, root);
    let mut splices = Vec::new();
    let mut expected = Some(root.to_json());
    for edit in &fix.edits {
        splices.extend(doc.plan(edit)?);
        expected = expected.and_then(|data| expected_data(data, edit));
    }
    splices.dedup();
    let reparsed = dialect::parse(syntax, &splice(text, splices.clone())).map_err(EditError::Broken)?;
    if expected.as_ref() != Some(&reparsed.to_json()) {
        let route = fix
            .edits
            .first()
            .map_or_else(Route::root, |edit| edit_route(edit).clone());
        return Err(EditError::Unfaithful(route));
    }
    Ok(splices)
}

/// Applies many fixes to one parsed document in one pass: every fix is planned against the same
/// tree, fixes whose splices touch the bytes (or add the key) of an earlier fix are left out, the
/// rest are spliced together, and the result is parsed and checked against the intended data
/// once. Keeps a fix round linear in the size of the file, where applying fixes one at a time
/// parses the whole file twice per fix.
///
/// Returns None when the combined result does not parse or does not hold exactly the intended
/// data; the caller then applies the fixes one at a time, which names the fix at fault.
pub fn apply_batch(text: &str, syntax: Syntax, root: &Node, fixes: &[&Fix]) -> Option<Batch> {
    let doc = Doc::new(text, syntax, root);
    let mut applied = vec![false; fixes.len()];
    let mut taken: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut planned: Vec<(usize, Vec<Splice>)> = Vec::new();
    let mut added_keys: std::collections::HashSet<(Route, &str)> = std::collections::HashSet::new();
    for (index, fix) in fixes.iter().enumerate() {
        let Ok(splices) = fix
            .edits
            .iter()
            .map(|edit| doc.plan(edit))
            .collect::<Result<Vec<Vec<Splice>>, _>>()
        else {
            continue;
        };
        let splices: Vec<Splice> = splices.into_iter().flatten().collect();
        let keys: Vec<(Route, &str)> = fix
            .edits
            .iter()
            .filter_map(|edit| match edit {
                Edit::Insert { map, key, .. } => Some((map.clone(), key.as_str())),
                _ => None,
            })
            .collect();
        if keys.iter().any(|k| added_keys.contains(k)) {
            continue;
        }
        planned.push((index, splices));
        added_keys.extend(keys);
    }
    // Two fixes may not touch the same or adjacent bytes: their order would decide the result.
    // The same splice planned by two fixes is one edit both need (two servers that share a YAML
    // anchor's `url`), made once.
    for (slot, (_, splices)) in planned.iter().enumerate() {
        for (i, s) in splices.iter().enumerate() {
            taken.push((s.start, s.end, slot, i));
        }
    }
    taken.sort_unstable();
    let splice_of = |slot: usize, i: usize| &planned[slot].1[i];
    let mut conflicted = vec![false; planned.len()];
    let mut reach: Option<(usize, usize, usize)> = None;
    for &(start, end, slot, i) in &taken {
        // Two deletions that only meet (removed lines one after the other) commute.
        let deletions_that_meet = |reach_end: usize, reach_slot: usize, reach_i: usize| {
            start == reach_end
                && splice_of(slot, i).text.is_empty()
                && splice_of(reach_slot, reach_i).text.is_empty()
                && splice_of(slot, i).start < splice_of(slot, i).end
                && splice_of(reach_slot, reach_i).start < splice_of(reach_slot, reach_i).end
        };
        if let Some((reach_end, reach_slot, reach_i)) = reach
            && start <= reach_end
            && reach_slot != slot
            && splice_of(slot, i) != splice_of(reach_slot, reach_i)
            && !deletions_that_meet(reach_end, reach_slot, reach_i)
        {
            conflicted[slot.max(reach_slot)] = true;
        }
        if reach.is_none_or(|(reach_end, _, _)| end >= reach_end) {
            reach = Some((end, slot, i));
        }
    }
    let mut splices: Vec<Splice> = Vec::new();
    let mut per_fix: Vec<Vec<Splice>> = vec![Vec::new(); fixes.len()];
    let mut expected = Some(root.to_json());
    // Every route was read on the original tree: list items are removed last, the highest index
    // (and the deepest) first, so no removal shifts an index another edit still names.
    let mut removals: Vec<&Edit> = Vec::new();
    for (slot, (index, fix_splices)) in planned.into_iter().enumerate() {
        if conflicted[slot] {
            continue;
        }
        applied[index] = true;
        for splice in &fix_splices {
            if !splices.contains(splice) {
                splices.push(splice.clone());
            }
        }
        per_fix[index] = fix_splices;
        for edit in &fixes[index].edits {
            if shortened_list(edit).is_some() {
                removals.push(edit);
            } else {
                expected = expected.and_then(|data| expected_data(data, edit));
            }
        }
    }
    removals.sort_by(|a, b| edit_route(b).cmp(edit_route(a)));
    for edit in removals {
        expected = expected.and_then(|data| expected_data(data, edit));
    }
    let edited = splice(text, splices);
    let reparsed = dialect::parse(syntax, &edited).ok()?;
    if expected.as_ref() != Some(&reparsed.to_json()) {
        return None;
    }
    Some(Batch {
        text: edited,
        root: reparsed,
        applied,
        splices: per_fix,
    })
}

/// The list `edit` removes an item from: its later items move down one index.
pub fn shortened_list(edit: &Edit) -> Option<Route> {
    match edit {
        Edit::Remove { route } => match route.split_last()? {
            (Component::Index(_), list) => Some(list),
            _ => None,
        },
        _ => None,
    }
}

/// True when some edit of `fix` names a place inside one of `lists` by index, which a removal
/// from that list has made stale.
pub fn reads_through(fix: &Fix, lists: &[Route]) -> bool {
    fix.edits.iter().any(|edit| {
        let route = edit_route(edit);
        lists
            .iter()
            .any(|list| route.starts_with(list) && route.components().len() > list.components().len())
    })
}

fn edit_route(edit: &Edit) -> &Route {
    match edit {
        Edit::Replace { route, .. }
        | Edit::ReplaceInString { route, .. }
        | Edit::ReplaceRange { route, .. }
        | Edit::Remove { route } => route,
        Edit::Insert { map, .. } => map,
        Edit::Append { list, .. } => list,
    }
}

/// `text` with `start..end` replaced, if that range holds `expect`.
fn replaced_range(text: &str, start: usize, end: usize, expect: &str, replace: &str) -> Option<String> {
    (text.get(start..end)? == expect).then(|| format!("{}{replace}{}", &text[..start], &text[end..]))
}

/// The document's data as `edit` should leave it.
fn expected_data(mut data: Value, edit: &Edit) -> Option<Value> {
    fn at<'a>(data: &'a mut Value, route: &Route) -> Option<&'a mut Value> {
        route
            .components()
            .iter()
            .try_fold(data, |node, component| match component {
                Component::Key(key) => node.as_object_mut()?.get_mut(key),
                Component::Index(i) => node.as_array_mut()?.get_mut(*i),
            })
    }
    match edit {
        Edit::Replace { route, value } => *at(&mut data, route)? = value.clone(),
        Edit::ReplaceInString { route, find, replace } => {
            let target = at(&mut data, route)?;
            let text = target.as_str()?.replacen(find.as_str(), replace, 1);
            *target = Value::String(text);
        }
        Edit::ReplaceRange {
            route,
            start,
            end,
            expect,
            replace,
        } => {
            let target = at(&mut data, route)?;
            let text = replaced_range(target.as_str()?, *start, *end, expect, replace)?;
            *target = Value::String(text);
        }
        Edit::Insert { map, key, value, .. } => {
            at(&mut data, map)?.as_object_mut()?.insert(key.clone(), value.clone());
        }
        Edit::Append { list, value } => at(&mut data, list)?.as_array_mut()?.push(value.clone()),
        Edit::Remove { route } => {
            let (last, parent) = route.split_last()?;
            let parent = at(&mut data, &parent)?;
            match last {
                Component::Key(key) => {
                    parent.as_object_mut()?.shift_remove(key)?;
                }
                Component::Index(i) => {
                    let items = parent.as_array_mut()?;
                    (*i < items.len()).then(|| items.remove(*i))?;
                }
            }
        }
    }
    Some(data)
}

/// Applies splices from the end of the text backwards; at one offset, the first listed ends up first.
fn splice(text: &str, splices: Vec<Splice>) -> String {
    let mut ordered: Vec<(usize, Splice)> = splices.into_iter().enumerate().collect();
    ordered.sort_by_key(|(index, s)| std::cmp::Reverse((s.start, s.end, *index)));
    let mut out = text.to_owned();
    for (_, s) in ordered {
        out.replace_range(s.start..s.end, &s.text);
    }
    out
}

/// The indentation step of the file: a tab, or the smallest run of leading spaces.
fn indent_unit(text: &str) -> String {
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
fn toml_dotted_key(text: &str) -> Vec<&str> {
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

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line holding `at`, before its `\r\n` or `\n`.
fn line_end(text: &str, at: usize) -> usize {
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    if end > at && text.as_bytes()[end - 1] == b'\r' {
        end - 1
    } else {
        end
    }
}

/// The end of the last byte that belongs to `node`, nested values included.
fn deep_end(node: &Node) -> usize {
    let children = match &node.value {
        NodeValue::Map(entries) => entries.iter().map(|e| deep_end(&e.value)).max(),
        NodeValue::Seq(items) => items.iter().map(deep_end).max(),
        _ => None,
    };
    children.map_or(node.span.end, |c| c.max(node.span.end))
}

struct Doc<'a> {
    text: &'a str,
    syntax: Syntax,
    root: &'a Node,
    newline: &'static str,
    unit: String,
}

impl<'a> Doc<'a> {
    fn new(text: &'a str, syntax: Syntax, root: &'a Node) -> Self {
        Doc {
            text,
            syntax,
            root,
            newline: if text.contains("\r\n") { "\r\n" } else { "\n" },
            unit: indent_unit(text),
        }
    }

    /// The splices that make `edit`, planned on this document's tree.
    fn plan(&self, edit: &Edit) -> Result<Vec<Splice>, EditError> {
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

    fn node(&self, route: &Route) -> Result<&Node, EditError> {
        self.root.at(route).ok_or_else(|| EditError::Missing(route.clone()))
    }

    fn raw(&self, node: &Node) -> &str {
        &self.text[node.span.start..node.span.end]
    }

    fn is_json(&self) -> bool {
        matches!(self.syntax, Syntax::Json | Syntax::Jsonc)
    }

    fn comment_marker(&self) -> Option<&'static str> {
        match self.syntax {
            Syntax::Json => None,
            Syntax::Jsonc => Some("//"),
            Syntax::Yaml | Syntax::Toml => Some("#"),
        }
    }

    /// A flow collection (`[...]`, `{...}`) as opposed to a YAML block or a TOML table.
    fn is_flow(&self, node: &Node) -> bool {
        self.is_json() || matches!(self.raw(node).as_bytes().first(), Some(b'[' | b'{'))
    }

    /// A TOML `[table]` or `[[array]]` entry: its key sits on a header line.
    fn is_toml_header(&self, entry: &Entry) -> bool {
        self.syntax == Syntax::Toml
            && matches!(entry.value.value, NodeValue::Map(_) | NodeValue::Seq(_))
            && self.text[line_start(self.text, entry.key_span.start)..entry.key_span.start]
                .trim_start()
                .starts_with('[')
    }

    fn scalar(&self, value: &Value, quote: Quote) -> String {
        match self.syntax {
            Syntax::Json | Syntax::Jsonc => render::json_inline(value),
            Syntax::Yaml => render::yaml_scalar(value, quote),
            Syntax::Toml => render::toml_inline(value, quote),
        }
    }

    /// The quoting of the first string among `nodes`, so that new strings match their neighbours.
    fn quote_near<'n>(&self, nodes: impl IntoIterator<Item = &'n Node>) -> Quote {
        nodes
            .into_iter()
            .find(|n| matches!(n.value, NodeValue::Str(_)))
            .map_or(Quote::Plain, |n| Quote::of(self.raw(n)))
    }

    fn replace(&self, route: &Route, value: &Value) -> Result<Vec<Splice>, EditError> {
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

    fn replace_in_string(&self, route: &Route, find: &str, replace: &str) -> Result<Vec<Splice>, EditError> {
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

    fn replace_range(
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

    fn insert(
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
    fn in_inline_table(&self, map: &Node, anchor: &Entry) -> bool {
        self.syntax == Syntax::Toml && self.raw(map).starts_with('{') && map.span.start < anchor.key_span.start
    }

    /// `comment` and `lines` as new lines after the line that holds `at`.
    fn lines_after(&self, at: usize, indent: &str, comment: &[String], lines: &[String]) -> Splice {
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
    fn insert_in_flow(&self, start: usize, end: usize, item: &str, comment: &[String]) -> Vec<Splice> {
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

    fn is_comment(&self, text: &str) -> bool {
        match self.syntax {
            Syntax::Json | Syntax::Jsonc => text.starts_with("//") || text.starts_with("/*"),
            _ => text.starts_with('#'),
        }
    }

    /// The comma that follows the value ending at `end`, past whitespace and comments.
    fn comma_after(&self, end: usize) -> Option<usize> {
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
    fn insert_first(
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
    fn toml_header(&self, route: &Route) -> Option<usize> {
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

    fn indent_at(&self, at: usize) -> &str {
        let start = line_start(self.text, at);
        let line = &self.text[start..];
        &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
    }

    fn append(&self, list_route: &Route, value: &Value) -> Result<Vec<Splice>, EditError> {
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

    fn remove(&self, route: &Route) -> Result<Vec<Splice>, EditError> {
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

#[cfg(test)]
mod tests;
