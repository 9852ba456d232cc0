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

mod doc;

use doc::Doc;

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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
    // The splices already taken, so that one two fixes share is made once (a scan of the list
    // per splice was quadratic in the fixes).
    let mut taken_splices: std::collections::HashSet<Splice> = std::collections::HashSet::new();
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
            if taken_splices.insert(splice.clone()) {
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
    ordered.sort_by_key(|(index, s)| (s.start, s.end, *index));
    // One pass from the start: a replacement per splice in place would move the rest of the
    // text each time (a batch of thousands of fixes took quadratic time). Insertions at one
    // place keep their order; overlapping splices (never planned together) keep the old way.
    if ordered.windows(2).any(|pair| pair[1].1.start < pair[0].1.end) {
        let mut out = text.to_owned();
        for (_, s) in ordered.into_iter().rev() {
            out.replace_range(s.start..s.end, &s.text);
        }
        return out;
    }
    let added: usize = ordered.iter().map(|(_, s)| s.text.len()).sum();
    let mut out = String::with_capacity(text.len() + added);
    let mut cursor = 0;
    for (_, s) in &ordered {
        out.push_str(&text[cursor..s.start]);
        out.push_str(&s.text);
        cursor = s.end;
    }
    out.push_str(&text[cursor..]);
    out
}

#[cfg(test)]
mod tests;
