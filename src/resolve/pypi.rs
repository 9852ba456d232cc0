//! PyPI: the PEP 691 simple API (JSON, or PEP 503 HTML from older mirrors), PEP 503 names and
//! PEP 440 ordering.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use jiff::Timestamp;
use pep440_rs::{Version, VersionSpecifiers};
use serde_json::Value;
use url::Url;

use super::http::{Document, Http};
use super::settings::Settings;
use super::{Artifact, PackageInfo, Release, ResolveError};
use crate::model::Ecosystem;

/// PEP 691 JSON first; PEP 503 HTML from indexes that do not speak it.
const ACCEPT: &str = "application/vnd.pypi.simple.v1+json, text/html;q=0.1";

/// Source distribution extensions, longest first where one is a suffix of another.
const SDIST_EXTENSIONS: &[&str] = &[".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".zip", ".tar"];

/// PEP 503: runs of `-`, `_` and `.` become one `-`, lower case.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
        } else {
            if separator && !out.is_empty() {
                out.push('-');
            }
            separator = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Every release of `name` in the configured index, newest first (PEP 440 order).
pub fn package_info(http: &Http, settings: &Settings, name: &str) -> Result<PackageInfo, ResolveError> {
    let normalized = normalize(name);
    // PEP 508 names are ASCII letters, digits and separators; anything else would change the
    // URL's path (a `/`, a `?`) rather than name a project.
    if normalized.is_empty() || !normalized.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(ResolveError::NoVersion {
            package: name.to_owned(),
            reason: "not a valid PyPI project name".to_owned(),
        });
    }
    let url = format!("{}/{normalized}/", settings.pypi_index);
    let mut headers: Vec<(&str, String)> = vec![("Accept", ACCEPT.to_owned())];
    headers.extend(settings.auth_headers(&url));
    let document = http.get_document(&url, &headers)?;
    parse_simple(&document, name)
}

/// Whether `version` satisfies the PEP 440 specifiers `range` (`>=1,<2`, `~=1.4`).
pub fn satisfies(version: &str, range: &str) -> bool {
    match (
        Version::from_str(version.trim()),
        VersionSpecifiers::from_str(range.trim()),
    ) {
        (Ok(version), Ok(specifiers)) => specifiers.contains(&version),
        _ => false,
    }
}

/// One file of a project page, whatever the format it came in.
#[derive(Debug, Clone, Default)]
struct SimpleFile {
    filename: String,
    /// Absolute, without a fragment; None when it could not be resolved.
    url: Option<String>,
    /// Lower-case hex.
    sha256: Option<String>,
    /// Some(reason) when yanked; the reason may be empty.
    yanked: Option<String>,
    upload_time: Option<Timestamp>,
}

/// A project page of the simple API, PEP 691 JSON or PEP 503 HTML, as the package's releases.
pub fn parse_simple(document: &Document, name: &str) -> Result<PackageInfo, ResolveError> {
    let (listed, files) = if is_html(document) {
        (Vec::new(), parse_html(document))
    } else {
        parse_json(document)?
    };
    Ok(PackageInfo {
        ecosystem: Ecosystem::PyPi,
        name: name.to_owned(),
        releases: build_releases(&normalize(name), &listed, files),
        tags: BTreeMap::new(),
    })
}

fn is_html(document: &Document) -> bool {
    let content_type = document
        .header("content-type")
        .is_some_and(|ct| ct.to_ascii_lowercase().contains("html"));
    let body = document.body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&document.body);
    content_type || body.trim_ascii_start().starts_with(b"<")
}

fn malformed(document: &Document, message: impl Into<String>) -> ResolveError {
    ResolveError::Malformed {
        url: document.url.clone(),
        message: message.into(),
    }
}

/// PEP 691 JSON: the listed versions (absent before api-version 1.1) and the files.
fn parse_json(document: &Document) -> Result<(Vec<String>, Vec<SimpleFile>), ResolveError> {
    let body = document.body.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&document.body);
    let value: Value =
        serde_json::from_slice(body).map_err(|e| malformed(document, format!("not a PEP 691 JSON document: {e}")))?;
    let object = value
        .as_object()
        .ok_or_else(|| malformed(document, "a PEP 691 project page must be a JSON object"))?;
    let entries = object
        .get("files")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed(document, "a PEP 691 project page needs a `files` array"))?;
    let listed = match object.get("versions") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(versions)) => versions.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        Some(_) => return Err(malformed(document, "`versions` is not an array")),
    };
    let base = Url::parse(&document.url).ok();
    let mut files = Vec::with_capacity(entries.len());
    for entry in entries {
        let Some(entry) = entry.as_object() else {
            continue;
        };
        let url = entry
            .get("url")
            .and_then(Value::as_str)
            .and_then(|href| resolve_url(base.as_ref(), href))
            .map(String::from);
        let Some(filename) = entry
            .get("filename")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| url.as_deref().and_then(last_segment))
        else {
            continue;
        };
        let sha256 = entry
            .get("hashes")
            .and_then(|hashes| hashes.get("sha256"))
            .and_then(Value::as_str)
            .and_then(valid_sha256);
        let yanked = match entry.get("yanked") {
            Some(Value::Bool(true)) => Some(String::new()),
            Some(Value::String(reason)) => Some(reason.clone()),
            _ => None,
        };
        let upload_time = entry
            .get("upload-time")
            .and_then(Value::as_str)
            .and_then(|time| time.parse::<Timestamp>().ok());
        files.push(SimpleFile {
            filename,
            url,
            sha256,
            yanked,
            upload_time,
        });
    }
    Ok((listed, files))
}

/// PEP 503 HTML: one anchor per file, `href="URL#sha256=HEX"`, `data-yanked="reason"`.
fn parse_html(document: &Document) -> Vec<SimpleFile> {
    let html = String::from_utf8_lossy(&document.body);
    // ASCII lower-casing keeps every byte offset, so positions found in `lower` index `html`.
    let lower = html.to_ascii_lowercase();
    let mut base = Url::parse(&document.url).ok();
    let mut files = Vec::new();
    let mut position = 0;
    while let Some(found) = lower[position..].find('<') {
        let tag_start = position + found + 1;
        let tag_name_end = lower[tag_start..]
            .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
            .map_or(lower.len(), |end| tag_start + end);
        let tag = &lower[tag_start..tag_name_end];
        if tag != "a" && tag != "base" {
            position = tag_start;
            continue;
        }
        let (attributes, after_tag) = parse_attributes(&html, tag_name_end);
        let href = attributes
            .iter()
            .find(|(name, _)| name == "href")
            .and_then(|(_, value)| value.clone());
        if tag == "base" {
            if let Some(href) = href {
                base = resolve_url(base.as_ref(), &href).or(base);
            }
            position = after_tag;
            continue;
        }
        let text_end = lower[after_tag..]
            .find("</a")
            .map_or(lower.len(), |end| after_tag + end);
        let text = decode_entities(strip_tags(&html[after_tag..text_end]).trim());
        position = text_end;
        let Some(href) = href else {
            continue;
        };
        let Some(mut url) = resolve_url(base.as_ref(), &href) else {
            continue;
        };
        let sha256 = url.fragment().and_then(|fragment| {
            let (algorithm, hex) = fragment.split_once('=')?;
            algorithm
                .eq_ignore_ascii_case("sha256")
                .then_some(hex)
                .and_then(valid_sha256)
        });
        url.set_fragment(None);
        let url = url.to_string();
        let filename = if text.is_empty() {
            match last_segment(&url) {
                Some(segment) => segment,
                None => continue,
            }
        } else {
            text
        };
        let yanked = attributes
            .iter()
            .find(|(name, _)| name == "data-yanked")
            .map(|(_, reason)| reason.clone().unwrap_or_default());
        files.push(SimpleFile {
            filename,
            url: Some(url),
            sha256,
            yanked,
            upload_time: None,
        });
    }
    files
}

/// The attributes of a tag whose name ends at `start`, and the offset just past its `>`.
/// Values are entity-decoded; an attribute without a value is None.
fn parse_attributes(html: &str, start: usize) -> (Vec<(String, Option<String>)>, usize) {
    let bytes = html.as_bytes();
    let len = bytes.len();
    let mut attributes = Vec::new();
    let mut i = start;
    let skip_space = |mut i: usize| {
        while i < len && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        i
    };
    loop {
        while i < len && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= len {
            return (attributes, len);
        }
        if bytes[i] == b'>' {
            return (attributes, i + 1);
        }
        let name_start = i;
        while i < len && !(bytes[i].is_ascii_whitespace() || matches!(bytes[i], b'=' | b'>' | b'/')) {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        i = skip_space(i);
        if i < len && bytes[i] == b'=' {
            i = skip_space(i + 1);
            let value = if i < len && matches!(bytes[i], b'"' | b'\'') {
                let quote = bytes[i];
                let value_start = i + 1;
                i = value_start;
                while i < len && bytes[i] != quote {
                    i += 1;
                }
                let value = &html[value_start..i];
                if i < len {
                    i += 1;
                }
                value
            } else {
                let value_start = i;
                while i < len && !(bytes[i].is_ascii_whitespace() || bytes[i] == b'>') {
                    i += 1;
                }
                &html[value_start..i]
            };
            attributes.push((name, Some(decode_entities(value))));
        } else {
            attributes.push((name, None));
        }
    }
}

/// The text of an anchor without any markup inside it.
fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// HTML character references: the named ones an index emits, and numeric ones.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest[1..].find(';').filter(|&end| end <= 10).and_then(|end| {
            let entity = &rest[1..1 + end];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => entity.strip_prefix('#').and_then(|number| {
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => number.parse::<u32>().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            c.map(|c| (c, end + 2))
        });
        match decoded {
            Some((c, length)) => {
                out.push(c);
                rest = &rest[length..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `href` made absolute against the page's URL (an absolute `href` stays as it is).
fn resolve_url(base: Option<&Url>, href: &str) -> Option<Url> {
    let href = href.trim();
    match base {
        Some(base) => base.join(href).ok(),
        None => Url::parse(href).ok(),
    }
}

fn last_segment(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    let segment = url.path_segments()?.next_back()?;
    (!segment.is_empty()).then(|| segment.to_owned())
}

/// A sha256 in lower-case hex, or None if `hex` is not one.
fn valid_sha256(hex: &str) -> Option<String> {
    let hex = hex.trim();
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| hex.to_ascii_lowercase())
}

/// The version in a distribution's file name: `{name}-{version}-...whl`, `{name}-{version}.tar.gz`.
fn version_from_filename(filename: &str, normalized_name: &str) -> Option<String> {
    let lower = filename.to_ascii_lowercase();
    let version = if lower.ends_with(".whl") || lower.ends_with(".egg") {
        // Wheel and egg names escape `-` in the project name, so the version is the second field.
        filename[..filename.len() - 4].split('-').nth(1)?
    } else {
        let extension = SDIST_EXTENSIONS.iter().find(|ext| lower.ends_with(*ext))?;
        let stem = &filename[..filename.len() - extension.len()];
        // Source distributions may keep `-` in the name: the version follows the prefix that
        // normalizes to the project's name.
        stem.match_indices('-')
            .find(|(at, _)| normalize(&stem[..*at]) == normalized_name)
            .map(|(at, _)| &stem[at + 1..])?
    };
    (!version.is_empty()).then(|| version.to_owned())
}

/// Files grouped by version; PEP 440-equal spellings (`1.0`, `1.0.0`) share one group.
#[derive(Default)]
struct Groups {
    groups: Vec<Group>,
    by_version: HashMap<Version, usize>,
    by_text: HashMap<String, usize>,
}

struct Group {
    version: String,
    parsed: Option<Version>,
    files: Vec<SimpleFile>,
}

impl Groups {
    fn group(&mut self, version: &str) -> &mut Group {
        let parsed = Version::from_str(version).ok();
        let existing = match &parsed {
            Some(parsed) => self.by_version.get(parsed),
            None => self.by_text.get(version),
        };
        let index = match existing {
            Some(&index) => index,
            None => {
                let index = self.groups.len();
                match &parsed {
                    Some(parsed) => self.by_version.insert(parsed.clone(), index),
                    None => self.by_text.insert(version.to_owned(), index),
                };
                self.groups.push(Group {
                    version: version.to_owned(),
                    parsed,
                    files: Vec::new(),
                });
                index
            }
        };
        &mut self.groups[index]
    }
}

/// One release per version, newest first by PEP 440; versions that do not parse go last.
fn build_releases(normalized_name: &str, listed: &[String], files: Vec<SimpleFile>) -> Vec<Release> {
    let mut groups = Groups::default();
    for version in listed {
        groups.group(version);
    }
    for file in files {
        if let Some(version) = version_from_filename(&file.filename, normalized_name) {
            groups.group(&version).files.push(file);
        }
    }
    let mut groups = groups.groups;
    groups.sort_by(|a, b| match (&a.parsed, &b.parsed) {
        (Some(a), Some(b)) => b.cmp(a),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    groups.into_iter().map(release_of).collect()
}

fn release_of(group: Group) -> Release {
    let mut artifacts: Vec<Artifact> = Vec::new();
    for file in &group.files {
        if let (Some(url), Some(sha256)) = (&file.url, &file.sha256)
            && !artifacts.iter().any(|a| &a.url == url)
        {
            artifacts.push(Artifact {
                url: url.clone(),
                digest: format!("sha256:{sha256}"),
            });
        }
    }
    let withdrawn = (!group.files.is_empty() && group.files.iter().all(|f| f.yanked.is_some())).then(|| {
        group
            .files
            .iter()
            .filter_map(|f| f.yanked.as_deref())
            .map(str::trim)
            .find(|reason| !reason.is_empty())
            .unwrap_or("yanked")
            .to_owned()
    });
    Release {
        published: group.files.iter().filter_map(|f| f.upload_time).min(),
        withdrawn,
        prerelease: group.parsed.as_ref().is_some_and(Version::any_prerelease),
        artifacts,
        version: group.version,
        ..Release::default()
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn document(url: &str, content_type: &str, body: &str) -> Document {
        Document {
            url: url.to_owned(),
            body: body.as_bytes().to_vec(),
            headers: vec![("content-type".to_owned(), content_type.to_owned())],
        }
    }

    fn json(url: &str, body: &str) -> Document {
        document(url, "application/vnd.pypi.simple.v1+json", body)
    }

    fn versions(info: &PackageInfo) -> Vec<&str> {
        info.releases.iter().map(|r| r.version.as_str()).collect()
    }

    fn samples() -> PathBuf {
        crate::test_support::shared("registry-samples")
    }

    fn sample(dir: &std::path::Path, path: &str, url: &str, content_type: &str) -> Document {
        let body = std::fs::read_to_string(dir.join(path)).expect("read sample");
        document(url, content_type, &body)
    }

    const HASH_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const HASH_B: &str = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

    #[test]
    fn normalize_follows_pep_503() {
        assert_eq!(normalize("Foo.Bar__baz"), "foo-bar-baz");
        assert_eq!(normalize("mcp_server-time"), "mcp-server-time");
        assert_eq!(normalize("A--B"), "a-b");
    }

    #[test]
    fn json_relative_urls_resolve_against_the_response_url() {
        let body = format!(
            r#"{{"meta": {{"api-version": "1.0"}}, "name": "demo", "files": [
                {{"filename": "demo-1.0.0-py3-none-any.whl", "url": "../../packages/demo-1.0.0-py3-none-any.whl",
                  "hashes": {{"sha256": "{HASH_B}"}}}},
                {{"filename": "demo-1.0.0.tar.gz", "url": "/files/demo-1.0.0.tar.gz", "hashes": {{"sha256": "{HASH_A}"}}}},
                {{"filename": "demo-1.0.0.zip", "url": "https://cdn.test/demo-1.0.0.zip", "hashes": {{"md5": "00"}}}}
            ]}}"#
        );
        let info = parse_simple(&json("https://mirror.test/repo/simple/demo/", &body), "demo").expect("parses");
        assert_eq!(info.ecosystem, Ecosystem::PyPi);
        assert_eq!(
            versions(&info),
            ["1.0.0"],
            "api-version 1.0 has no `versions`: derived from files"
        );
        let release = &info.releases[0];
        assert_eq!(
            release.artifacts,
            [
                Artifact {
                    url: "https://mirror.test/repo/packages/demo-1.0.0-py3-none-any.whl".into(),
                    digest: format!("sha256:{}", HASH_B.to_ascii_lowercase()),
                },
                Artifact {
                    url: "https://mirror.test/files/demo-1.0.0.tar.gz".into(),
                    digest: format!("sha256:{HASH_A}"),
                },
            ],
            "the zip has no sha256, so it is no artifact"
        );
        assert_eq!(release.published, None);
        assert_eq!(release.withdrawn, None);
    }

    #[test]
    fn unordered_versions_are_ordered_by_pep_440() {
        let file = |v: &str, time: &str| {
            format!(
                r#"{{"filename": "demo-{v}-py3-none-any.whl", "url": "https://f.test/demo-{v}.whl", "hashes": {{"sha256": "{HASH_A}"}}, "upload-time": "{time}"}}"#
            )
        };
        let body = format!(
            r#"{{"meta": {{"api-version": "1.1"}}, "name": "demo",
                "versions": ["1.2.0", "not a version", "1.10.0", "0.9.0", "2.0.0rc1", "1.10.0.dev3"],
                "files": [{}, {}, {}]}}"#,
            file("1.2.0", "2024-01-01T00:00:00Z"),
            file("1.10.0", "2024-06-01T00:00:00.5Z"),
            file("2.0.0rc1", "2024-07-01T00:00:00Z"),
        );
        let info = parse_simple(&json("https://pypi.test/simple/demo/", &body), "demo").expect("parses");
        assert_eq!(
            versions(&info),
            ["2.0.0rc1", "1.10.0", "1.10.0.dev3", "1.2.0", "0.9.0", "not a version"]
        );
        let prerelease: Vec<bool> = info.releases.iter().map(|r| r.prerelease).collect();
        assert_eq!(prerelease, [true, false, true, false, false, false]);
        assert_eq!(
            info.release("1.10.0").and_then(|r| r.published),
            Some("2024-06-01T00:00:00.5Z".parse().expect("timestamp"))
        );
        assert!(info.release("0.9.0").is_some_and(|r| r.artifacts.is_empty()));
    }

    #[test]
    fn a_release_is_withdrawn_only_when_every_file_is_yanked() {
        let body = format!(
            r#"{{"meta": {{"api-version": "1.1"}}, "name": "demo", "versions": ["1.0", "2.0", "3.0"], "files": [
                {{"filename": "demo-1.0-py3-none-any.whl", "url": "a/1.whl", "hashes": {{"sha256": "{HASH_A}"}}, "yanked": true,
                  "upload-time": "2024-02-01T00:00:00Z"}},
                {{"filename": "demo-1.0.tar.gz", "url": "a/1.tgz", "hashes": {{"sha256": "{HASH_A}"}}, "yanked": true,
                  "upload-time": "2024-01-01T00:00:00Z"}},
                {{"filename": "demo-2.0-py3-none-any.whl", "url": "a/2.whl", "hashes": {{"sha256": "{HASH_A}"}}, "yanked": "broken wheel"}},
                {{"filename": "demo-2.0.tar.gz", "url": "a/2.tgz", "hashes": {{"sha256": "{HASH_A}"}}, "yanked": false}},
                {{"filename": "demo-3.0-py3-none-any.whl", "url": "a/3.whl", "hashes": {{"sha256": "{HASH_A}"}}, "yanked": false}},
                {{"filename": "demo-3.0.tar.gz", "url": "a/3.tgz", "hashes": {{"sha256": "{HASH_A}"}}, "yanked": "use 3.1"}}
            ]}}"#
        );
        let info = parse_simple(&json("https://pypi.test/simple/demo/", &body), "Demo").expect("parses");
        assert_eq!(info.name, "Demo");
        let withdrawn: Vec<Option<&str>> = info.releases.iter().map(|r| r.withdrawn.as_deref()).collect();
        assert_eq!(withdrawn, [None, None, Some("yanked")]);
        let one = info.release("1.0").expect("1.0");
        assert_eq!(one.published, Some("2024-01-01T00:00:00Z".parse().expect("timestamp")));
        assert_eq!(one.artifacts[0].url, "https://pypi.test/simple/demo/a/1.whl");
    }

    #[test]
    fn html_index_with_entities_relative_hrefs_and_data_yanked() {
        let html = format!(
            r#"<!DOCTYPE html>
<html><body><h1>Links for my.pkg</h1>
<A HREF="../../packages/my_pkg-1.0-py3-none-any.whl#sha256={HASH_A}" data-requires-python="&gt;=3.9">my_pkg-1.0-py3-none-any.whl</A><br/>
<a href="https://files.test/get?name=my.pkg-1.0.tar.gz&amp;x=1#sha256={HASH_B}">my.pkg-1.0.tar.gz</a>
<a data-yanked="" href="/p/my_pkg-1.1-py3-none-any.whl#sha256={HASH_A}">my_pkg-1.1-py3-none-any.whl</a>
<a href='/p/my_pkg-1.2-py3-none-any.whl#sha256={HASH_A}' data-yanked="bad &amp; broken" >my_pkg-1.2-py3-none-any.whl</a>
<a href="/p/my_pkg-1.3b1-py3-none-any.whl#md5=0123">my_pkg-1.3b1-py3-none-any.whl</a>
<a href="/p/README.txt">README.txt</a>
</body></html>"#
        );
        let doc = document("https://idx.test/simple/my-pkg/", "text/html; charset=utf-8", &html);
        let info = parse_simple(&doc, "My.Pkg").expect("parses");
        assert_eq!(versions(&info), ["1.3b1", "1.2", "1.1", "1.0"]);
        let one = info.release("1.0").expect("1.0");
        assert_eq!(
            one.artifacts.iter().map(|a| a.url.as_str()).collect::<Vec<_>>(),
            [
                "https://idx.test/packages/my_pkg-1.0-py3-none-any.whl",
                "https://files.test/get?name=my.pkg-1.0.tar.gz&x=1"
            ]
        );
        assert_eq!(
            one.artifacts[1].digest,
            format!("sha256:{}", HASH_B.to_ascii_lowercase())
        );
        assert_eq!(one.withdrawn, None);
        assert_eq!(info.release("1.1").and_then(|r| r.withdrawn.as_deref()), Some("yanked"));
        assert_eq!(
            info.release("1.2").and_then(|r| r.withdrawn.as_deref()),
            Some("bad & broken")
        );
        let beta = info.release("1.3b1").expect("1.3b1");
        assert!(beta.prerelease && beta.artifacts.is_empty());

        // No content type, but the body is markup: still HTML.
        let untyped = Document {
            headers: Vec::new(),
            ..doc
        };
        assert_eq!(parse_simple(&untyped, "my-pkg").expect("parses").releases.len(), 4);
    }

    #[test]
    fn html_base_element_changes_the_base() {
        let html = format!(
            r#"<html><head><base href="https://cdn.test/root/"></head><body>
<a href="demo-2.0.tar.gz#sha256={HASH_A}">demo-2.0.tar.gz</a></body></html>"#
        );
        let info =
            parse_simple(&document("https://idx.test/simple/demo/", "text/html", &html), "demo").expect("parses");
        assert_eq!(
            info.releases[0].artifacts[0].url,
            "https://cdn.test/root/demo-2.0.tar.gz"
        );
    }

    #[test]
    fn sdist_names_with_dashes_and_other_spellings() {
        let n = "my-cool-server";
        assert_eq!(
            version_from_filename("my-cool-server-1.2.3.tar.gz", n).as_deref(),
            Some("1.2.3")
        );
        assert_eq!(
            version_from_filename("My_Cool.Server-1.2.3.zip", n).as_deref(),
            Some("1.2.3")
        );
        assert_eq!(
            version_from_filename("my_cool_server-1.2.3.post1.tar.gz", n).as_deref(),
            Some("1.2.3.post1")
        );
        assert_eq!(
            version_from_filename("my_cool_server-1.2.3-1-py3-none-any.whl", n).as_deref(),
            Some("1.2.3")
        );
        assert_eq!(version_from_filename("other-server-1.0.tar.gz", n), None);
        assert_eq!(version_from_filename("my-cool-server.tar.gz", n), None);
        assert_eq!(version_from_filename("my-cool-server-1.0.exe", n), None);

        let body = format!(
            r#"{{"meta": {{"api-version": "1.1"}}, "name": "my-cool-server", "versions": ["1.2.3"], "files": [
                {{"filename": "my-cool-server-1.2.3.tar.gz", "url": "https://f.test/s.tgz", "hashes": {{"sha256": "{HASH_A}"}}}},
                {{"filename": "my_cool_server-1.2.3-py3-none-any.whl", "url": "https://f.test/w.whl", "hashes": {{"sha256": "{HASH_A}"}}}},
                {{"filename": "mystery.bin", "url": "https://f.test/m.bin", "hashes": {{"sha256": "{HASH_A}"}}}}
            ]}}"#
        );
        let info = parse_simple(
            &json("https://pypi.test/simple/my-cool-server/", &body),
            "my_cool_server",
        )
        .expect("parses");
        assert_eq!(versions(&info), ["1.2.3"]);
        assert_eq!(info.releases[0].artifacts.len(), 2);
    }

    #[test]
    fn equal_pep_440_spellings_share_a_release() {
        let body = format!(
            r#"{{"meta": {{"api-version": "1.1"}}, "name": "demo", "versions": ["1.0"], "files": [
                {{"filename": "demo-1.0.0-py3-none-any.whl", "url": "https://f.test/w.whl", "hashes": {{"sha256": "{HASH_A}"}}}}
            ]}}"#
        );
        let info = parse_simple(&json("https://pypi.test/simple/demo/", &body), "demo").expect("parses");
        assert_eq!(versions(&info), ["1.0"]);
        assert_eq!(info.releases[0].artifacts.len(), 1);
    }

    #[test]
    fn malformed_json_is_an_error() {
        for body in [
            "{\"files\": [",
            "[]",
            "{\"meta\": {}}",
            "",
            "{\"files\": [], \"versions\": 3}",
        ] {
            let error = parse_simple(&json("https://pypi.test/simple/demo/", body), "demo").expect_err(body);
            assert!(
                matches!(&error, ResolveError::Malformed { url, .. } if url == "https://pypi.test/simple/demo/"),
                "{body}: {error:?}"
            );
        }
    }

    #[test]
    fn entities_decode() {
        assert_eq!(decode_entities("a&amp;b&lt;&#62;&#x3D;&unknown;&"), "a&b<>=&unknown;&");
    }

    #[test]
    fn satisfies_pep_440_specifiers() {
        assert!(satisfies("1.5", ">=1,<2"));
        assert!(!satisfies("2.0", ">=1,<2"));
        assert!(satisfies("1.4.2", "~=1.4"));
        assert!(satisfies("1.9", "~=1.4"));
        assert!(!satisfies("2.0", "~=1.4"));
        assert!(satisfies("1.7.3", "==1.*"));
        assert!(!satisfies("2.0", "==1.*"));
        assert!(!satisfies("1.3", "!=1.3"));
        assert!(satisfies("1.3.1", "!=1.3"));
        assert!(satisfies("2026.8.18", ">=2026.1"));
        assert!(!satisfies("not a version", ">=1"));
        assert!(!satisfies("1.0", ">>1"));
    }

    #[test]
    #[ignore = "needs ../shared beside the repository"]
    fn shared_simple_v1_samples() {
        let dir = samples();
        let doc = sample(
            &dir,
            "pypi/mcp-server-time.simple-v1.json",
            "https://pypi.test/simple/mcp-server-time/",
            "application/vnd.pypi.simple.v1+json",
        );
        let info = parse_simple(&doc, "mcp-server-time").expect("parses");
        assert_eq!(info.releases.len(), 14);
        assert_eq!(
            versions(&info)[..6],
            [
                "2026.10.19",
                "2026.10.10",
                "2026.8.18",
                "2026.7.10",
                "2026.6.4",
                "2026.1.26"
            ]
        );
        assert_eq!(versions(&info).last(), Some(&"0.5.1"));
        let release = info.release("2026.8.18").expect("2026.8.18");
        assert_eq!(release.artifacts.len(), 2);
        assert_eq!(
            release.artifacts[1].digest,
            "sha256:ec1313feb558a848838217d922bd218e9f7ca217cb0f7b890ee75ab94bf962e0"
        );
        assert_eq!(
            release.published,
            Some("2026-08-18T16:06:24.385845Z".parse().expect("timestamp"))
        );
        assert!(info.releases.iter().all(|r| !r.prerelease && r.withdrawn.is_none()));

        for name in ["mcp-server-fetch", "mcp-server-git"] {
            let doc = sample(
                &dir,
                &format!("pypi/{name}.simple-v1.json"),
                &format!("https://pypi.test/simple/{name}/"),
                "application/vnd.pypi.simple.v1+json",
            );
            let info = parse_simple(&doc, name).expect("parses");
            assert_eq!(info.release("2026.8.18").map(|r| r.artifacts.len()), Some(2), "{name}");
            let parsed: Vec<Version> = info
                .releases
                .iter()
                .map(|r| Version::from_str(&r.version).expect("PEP 440"))
                .collect();
            assert!(
                parsed.windows(2).all(|pair| pair[0] > pair[1]),
                "{name}: {:?}",
                versions(&info)
            );
        }

        let doc = sample(
            &dir,
            "pypi/awslabs-core-mcp-server.simple-v1.json",
            "https://pypi.test/simple/awslabs-core-mcp-server/",
            "application/vnd.pypi.simple.v1+json",
        );
        let info = parse_simple(&doc, "awslabs.core-mcp-server").expect("parses");
        assert_eq!(info.releases.len(), 41);
        assert_eq!(info.releases[0].version, "1.0.27");
        assert_eq!(
            info.release("1.0.8").and_then(|r| r.withdrawn.as_deref()),
            Some("load individual MCPs")
        );
        assert_eq!(info.release("1.0.10").and_then(|r| r.withdrawn.as_deref()), None);

        // The legacy JSON API is no simple page.
        let doc = sample(
            &dir,
            "pypi/mcp-server-time.json-api.json",
            "https://pypi.test/pypi/mcp-server-time/json",
            "application/json",
        );
        assert!(matches!(
            parse_simple(&doc, "mcp-server-time"),
            Err(ResolveError::Malformed { .. })
        ));
    }

    #[test]
    #[ignore = "needs ../shared beside the repository"]
    fn shared_html_sample() {
        let dir = samples();
        let doc = sample(
            &dir,
            "pypi/mcp-server-time.simple.html",
            "https://pypi.test/simple/mcp-server-time/",
            "text/html",
        );
        let info = parse_simple(&doc, "mcp-server-time").expect("parses");
        assert_eq!(versions(&info), ["2026.8.18", "0.6.0", "0.5.1"]);
        assert_eq!(info.release("0.5.1").map(|r| r.artifacts.len()), Some(2));
        assert_eq!(
            info.releases[0].artifacts[0],
            Artifact {
                url: "https://files.pypi.test/packages/32/1a/5687ea89a5cb79f641141a7c010ff9c425bdf4e6cac02e8cfb49aa81f310/mcp_server_time-2026.8.18.tar.gz".into(),
                digest: "sha256:ec1313feb558a848838217d922bd218e9f7ca217cb0f7b890ee75ab94bf962e0".into(),
            }
        );
        assert!(info.releases.iter().all(|r| r.published.is_none()));
    }

    #[test]
    #[ignore = "needs ../shared beside the repository"]
    fn shared_synthetic_v1_4_sample_and_its_wheel() {
        let dir = samples();
        let doc = sample(
            &dir,
            "synthetic/pypi-simple-v1.4-realshape.json",
            "https://pypi.test/simple/example-mcp-server/",
            "application/vnd.pypi.simple.v1+json",
        );
        let info = parse_simple(&doc, "example_mcp_server").expect("parses");
        assert_eq!(versions(&info), ["1.10.0", "1.2.0", "1.0.0", "0.9.0"]);
        let newest = &info.releases[0];
        assert_eq!(newest.withdrawn.as_deref(), Some("broken entry point"));
        let release = info.release("1.2.0").expect("1.2.0");
        assert_eq!(release.withdrawn, None);
        assert_eq!(release.artifacts.len(), 2);
        assert_eq!(
            release.published,
            Some("2026-09-01T10:00:00.123456Z".parse().expect("timestamp"))
        );
        let wheel = std::fs::read(dir.join("synthetic/wheel.bin")).expect("wheel.bin");
        let digest = super::super::format_digest(
            super::super::DigestAlgorithm::Sha256,
            &super::super::http::digest_of(super::super::DigestAlgorithm::Sha256, &wheel),
        );
        assert_eq!(release.artifacts[0].digest, digest);
        assert!(
            release.artifacts[0]
                .url
                .ends_with("example_mcp_server-1.2.0-py3-none-any.whl")
        );
    }

    #[test]
    fn package_info_asks_the_configured_index_for_json_and_follows_redirects() {
        use std::sync::mpsc;

        let server = tiny_http::Server::http("127.0.0.1:0").expect("loopback server");
        let port = server.server_addr().to_ip().expect("ip address").port();
        let (sender, received) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            for _ in 0..2 {
                let Ok(request) = server.recv() else { return };
                let header = |name: &str| {
                    request
                        .headers()
                        .iter()
                        .find(|h| h.field.to_string().eq_ignore_ascii_case(name))
                        .map(|h| h.value.to_string())
                };
                let seen = (request.url().to_owned(), header("Accept"), header("Authorization"));
                let response = if request.url() == "/simple/foo-bar/" {
                    let location = format!("http://127.0.0.1:{port}/mirror/pkgs/foo-bar/");
                    tiny_http::Response::from_string("")
                        .with_status_code(301)
                        .with_header(tiny_http::Header::from_bytes("Location", location).expect("header"))
                } else {
                    let body = format!(
                        r#"{{"meta": {{"api-version": "1.1"}}, "name": "foo-bar", "versions": ["0.1"],
                            "files": [{{"filename": "foo_bar-0.1-py3-none-any.whl", "url": "../../files/w.whl",
                            "hashes": {{"sha256": "{HASH_A}"}}, "upload-time": "2025-01-01T00:00:00Z"}}]}}"#
                    );
                    tiny_http::Response::from_string(body).with_header(
                        tiny_http::Header::from_bytes("Content-Type", "application/vnd.pypi.simple.v1+json")
                            .expect("header"),
                    )
                };
                sender.send(seen).expect("send");
                request.respond(response).expect("respond");
            }
        });
        let index = format!("http://user:pw@127.0.0.1:{port}/simple/");
        let env = |name: &str| (name == "UV_INDEX_URL").then(|| index.clone());
        let dir = tempfile::tempdir().expect("tempdir");
        let settings = Settings::from_sources(dir.path(), &env, None);
        let options = super::super::http::HttpOptions {
            attempts: 1,
            ..Default::default()
        };
        let http = Http::new(options, None);
        let info = package_info(&http, &settings, "Foo_Bar").expect("package info");
        thread.join().expect("server thread");
        let (path, accept, authorization) = received.recv().expect("first request");
        assert_eq!(path, "/simple/foo-bar/");
        assert_eq!(accept.as_deref(), Some(ACCEPT));
        assert!(authorization.is_some_and(|a| a.starts_with("Basic ")));
        assert_eq!(info.name, "Foo_Bar");
        assert_eq!(
            info.releases[0].artifacts[0].url,
            format!("http://127.0.0.1:{port}/mirror/files/w.whl")
        );

        let invalid = package_info(&http, &settings, "../etc").expect_err("not a project name");
        assert!(matches!(invalid, ResolveError::NoVersion { .. }));
    }
}
