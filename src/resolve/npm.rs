//! npm: packuments (abbreviated unless publish times are needed), scoped names, node-semver.

use std::cmp::Ordering;

use nodejs_semver::{Range, Version};
use serde_json::Value;

use super::http::{Document, Http};
use super::settings::Settings;
use super::{Artifact, PackageInfo, Release, ResolveError};
use crate::model::Ecosystem;

const ABBREVIATED: &str = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";

/// The packument URL: a scoped name's `/` is sent as `%2f`.
pub fn packument_url(registry: &str, name: &str) -> String {
    format!("{}/{}", registry.trim_end_matches('/'), name.replace('/', "%2f"))
}

/// Every release of `name`, newest first. `with_times` asks for the full document, the only one
/// that carries publish times (needed by the release-age policy).
pub fn package_info(
    http: &Http,
    settings: &Settings,
    name: &str,
    with_times: bool,
) -> Result<PackageInfo, ResolveError> {
    let url = packument_url(&settings.npm_registry, name);
    let mut headers = settings.auth_headers(&url);
    headers.push((
        "Accept",
        if with_times {
            "application/json".into()
        } else {
            ABBREVIATED.into()
        },
    ));
    let document = http.get_document(&url, &headers)?;
    parse_packument(&document, name)
}

/// Reads a packument, full or abbreviated (mirrors may send either whatever was asked).
pub fn parse_packument(document: &Document, name: &str) -> Result<PackageInfo, ResolveError> {
    let malformed = |message: String| ResolveError::Malformed {
        url: document.url.clone(),
        message,
    };
    let root: Value = serde_json::from_slice(&document.body).map_err(|e| malformed(format!("not JSON: {e}")))?;
    let versions = root
        .get("versions")
        .and_then(Value::as_object)
        .ok_or_else(|| malformed("no `versions` object".into()))?;
    let times = root.get("time").and_then(Value::as_object);
    let mut releases: Vec<Release> = versions
        .iter()
        .map(|(version, manifest)| release(version, manifest, times))
        .collect();
    releases.sort_by(|a, b| newest_first(&a.version, &b.version));
    let tags = root
        .get("dist-tags")
        .and_then(Value::as_object)
        .map(|tags| {
            tags.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    Ok(PackageInfo {
        ecosystem: Ecosystem::Npm,
        name: name.to_owned(),
        releases,
        tags,
    })
}

fn release(version: &str, manifest: &Value, times: Option<&serde_json::Map<String, Value>>) -> Release {
    let dist = manifest.get("dist");
    let text = |value: Option<&Value>| value.and_then(Value::as_str).map(str::to_owned);
    // npm's integrity is an SRI list; the sha512 entry is the one npm itself checks.
    let integrity = text(dist.and_then(|d| d.get("integrity"))).and_then(|sri| {
        sri.split_whitespace()
            .find(|s| s.starts_with("sha512-"))
            .map(str::to_owned)
    });
    let artifacts = match (text(dist.and_then(|d| d.get("tarball"))), integrity) {
        (Some(url), Some(digest)) => vec![Artifact { url, digest }],
        _ => Vec::new(),
    };
    let withdrawn = text(manifest.get("deprecated")).filter(|d| !d.trim().is_empty());
    let published = times
        .and_then(|t| t.get(version))
        .and_then(Value::as_str)
        .and_then(|t| t.parse::<jiff::Timestamp>().ok());
    let floating_dependencies = manifest
        .get("dependencies")
        .and_then(Value::as_object)
        .map(|deps| {
            deps.iter()
                .filter_map(|(dep, range)| {
                    let range = range.as_str().unwrap_or_default();
                    (!is_exact(range)).then(|| format!("{dep}@{range}"))
                })
                .collect()
        })
        .unwrap_or_default();
    let scripts = manifest.get("scripts").and_then(Value::as_object);
    let install_script = manifest.get("hasInstallScript").and_then(Value::as_bool) == Some(true)
        || scripts.is_some_and(|s| {
            ["preinstall", "install", "postinstall"]
                .iter()
                .any(|k| s.contains_key(*k))
        });
    Release {
        version: version.to_owned(),
        published,
        withdrawn,
        prerelease: Version::parse(version).is_ok_and(|v| v.is_prerelease()),
        artifacts,
        floating_dependencies,
        install_script,
        shrinkwrap: manifest.get("_hasShrinkwrap").and_then(Value::as_bool),
    }
}

/// `1.2.3` (or `=1.2.3`, `v1.2.3`) names one version; anything else admits several.
fn is_exact(range: &str) -> bool {
    let bare = range.trim().trim_start_matches('=').trim_start_matches('v');
    Version::parse(bare).is_ok() && !bare.contains(['x', 'X', '*'])
}

fn newest_first(a: &str, b: &str) -> Ordering {
    match (Version::parse(a), Version::parse(b)) {
        (Ok(a), Ok(b)) => b.cmp(&a),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

/// Whether `version` is in the node-semver `range` (`^1.2`, `~1.2.3`, `1.x || 2`, `1 - 2`).
pub fn satisfies(version: &str, range: &str) -> bool {
    match (Version::parse(version), Range::parse(range)) {
        (Ok(version), Ok(range)) => range.satisfies(&version),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(body: &str) -> Document {
        Document {
            url: "https://npm.registry.test/@example%2fmcp-server".into(),
            body: body.as_bytes().to_vec(),
            headers: Vec::new(),
        }
    }

    #[test]
    fn scoped_names_are_escaped() {
        assert_eq!(
            packument_url("https://registry.npmjs.org/", "@sentry/mcp-server"),
            "https://registry.npmjs.org/@sentry%2fmcp-server"
        );
        assert_eq!(
            packument_url("https://r.test/npm", "repomix"),
            "https://r.test/npm/repomix"
        );
    }

    #[test]
    fn node_semver_ranges() {
        for (version, range, expected) in [
            ("1.2.3", "^1.2", true),
            ("2.0.0", "^1.2", false),
            ("1.2.9", "~1.2.3", true),
            ("1.3.0", "~1.2.3", false),
            ("1.9.0", "1.x", true),
            ("3.1.0", "1.x || >=3", true),
            ("1.5.0", "1 - 2", true),
            ("0.0.42", "^0.0.41", false),
            ("1.0.0-beta.1", "^1.0.0-beta.0", true),
            ("1.2.3", "not a range", false),
        ] {
            assert_eq!(satisfies(version, range), expected, "{version} in {range}");
        }
    }

    #[test]
    fn packument_fields_are_read() {
        let info = parse_packument(
            &document(
                r#"{"name":"@example/mcp-server","dist-tags":{"latest":"1.10.0"},
                "time":{"1.2.0":"2026-09-01T10:00:00.000Z","1.10.0":"2026-10-01T10:00:00.000Z"},
                "versions":{
                  "1.2.0":{"deprecated":"Security issue","dist":{"tarball":"https://r.test/a-1.2.0.tgz","integrity":"sha512-AAA=","shasum":"ff"}},
                  "1.10.0":{"dependencies":{"zod":"^3.23.0","@modelcontextprotocol/sdk":"1.17.0"},"hasInstallScript":true,"_hasShrinkwrap":false,
                            "dist":{"tarball":"https://r.test/a-1.10.0.tgz","integrity":"sha1-x sha512-BBB="}},
                  "2.0.0-rc.1":{"dist":{"tarball":"https://r.test/a-2.0.0-rc.1.tgz","integrity":"sha512-CCC="}},
                  "0.1.0":{"dist":{"tarball":"https://r.test/a-0.1.0.tgz","shasum":"ee"}}
                }}"#,
            ),
            "@example/mcp-server",
        )
        .expect("parses");
        let versions: Vec<&str> = info.releases.iter().map(|r| r.version.as_str()).collect();
        assert_eq!(versions, ["2.0.0-rc.1", "1.10.0", "1.2.0", "0.1.0"]);
        let newest = info.release("1.10.0").expect("1.10.0");
        assert_eq!(newest.artifacts[0].digest, "sha512-BBB=");
        assert_eq!(newest.floating_dependencies, ["zod@^3.23.0"]);
        assert!(newest.install_script);
        assert_eq!(newest.shrinkwrap, Some(false));
        assert!(newest.published.is_some());
        assert_eq!(
            info.release("1.2.0").and_then(|r| r.withdrawn.clone()).as_deref(),
            Some("Security issue")
        );
        assert!(info.release("2.0.0-rc.1").is_some_and(|r| r.prerelease));
        assert!(
            info.release("0.1.0").is_some_and(|r| r.artifacts.is_empty()),
            "sha1 alone is not verifiable"
        );
        assert_eq!(info.tags.get("latest").map(String::as_str), Some("1.10.0"));
    }

    #[test]
    fn malformed_packuments_are_errors() {
        assert!(matches!(
            parse_packument(&document("{\"versions\": "), "x"),
            Err(ResolveError::Malformed { .. })
        ));
        assert!(matches!(
            parse_packument(&document("{\"name\": \"x\"}"), "x"),
            Err(ResolveError::Malformed { .. })
        ));
    }

    /// The shared samples: real packuments (trimmed) and a synthetic one in the full shape.
    #[test]
    #[ignore = "needs ../shared beside the repository"]
    fn shared_samples_parse() {
        let dir = crate::test_support::shared("registry-samples");
        for (file, name) in [
            (
                "npm/modelcontextprotocol__server-filesystem.packument.json",
                "@modelcontextprotocol/server-filesystem",
            ),
            ("npm/sentry__mcp-server.packument.json", "@sentry/mcp-server"),
            ("synthetic/npm-full-realshape.json", "@example/mcp-server"),
            ("synthetic/npm-abbreviated-realshape.json", "@example/mcp-server"),
        ] {
            let body = std::fs::read(dir.join(file)).expect("sample");
            let info = parse_packument(
                &Document {
                    url: "https://npm.registry.test/x".into(),
                    body,
                    headers: Vec::new(),
                },
                name,
            )
            .unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!info.releases.is_empty(), "{file}");
            assert!(
                info.releases.iter().any(|r| !r.artifacts.is_empty()),
                "{file}: no release with a sha512 integrity"
            );
        }
    }
}
