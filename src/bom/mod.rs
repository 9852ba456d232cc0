//! Inventory stage of `mcp-lint bom`: every server of the run's configs as a CycloneDX 1.6
//! service, the package or image it launches as a component with its package URL and the
//! digests its lock verified, and the tools `probe` recorded as data components. The document
//! depends only on its inputs (no timestamp; the serial number is a digest of the content), so a
//! change in CI is a change in the configs or their locks. Nothing in it is a secret: URLs and
//! commands are masked as every other output masks them.

pub mod cyclonedx;

use std::collections::BTreeMap;

use base64::Engine as _;
use sha2::{Digest as _, Sha256};

use crate::dialect::Dialect;
use crate::model::{Ecosystem, PackageRef, Server, Transport, VersionSpec};
use crate::resolve::lock::Lock;
use crate::secrets::mask::SecretMasker;
use std::path::PathBuf;

use crate::run::check::{self, Collected};
use crate::run::lint::{self, FileFailure, FileReport};
use crate::run::lock::Locks;
use crate::run::reporter::Reporter;
use crate::run::settings::Settings;

use cyclonedx::{
    Bom, Component, ComponentType, Dependency, ExternalReference, Hash, Metadata, Property, Service, Tools,
};

/// What `mcp-lint bom` found: the inventory of the run's servers, and the files that failed.
pub struct InventoryOutcome {
    pub bom: Bom,
    pub failures: Vec<FileFailure>,
}

/// `mcp-lint bom PATHS`: the configs read as `check` reads them (offline, every secret they hold
/// found so that it is masked), with the locks beside them.
pub fn inventory_of(paths: &[PathBuf], settings: &Settings) -> InventoryOutcome {
    let Collected {
        parsed, mut failures, ..
    } = check::collect_run(paths, settings);
    // The facts stage loads the locks beside the configs (read once, whatever their size).
    let facts = check::gather_facts(&parsed, settings, &Reporter::silent(), &mut failures);
    // No rule runs: the inventory needs the configs and their secrets (found whatever rules
    // run), not the findings.
    let reports: Vec<FileReport> = parsed
        .into_iter()
        .map(|parsed| {
            let path = parsed.source.path.clone();
            lint::lint(parsed, &[], &facts.context_for(&path))
        })
        .collect();
    let empty = Locks::default();
    InventoryOutcome {
        bom: inventory(&reports, facts.locks.as_ref().unwrap_or(&empty)),
        failures,
    }
}

/// The inventory of `reports`' servers, with what the lock beside each config recorded.
pub fn inventory(reports: &[FileReport], locks: &Locks) -> Bom {
    let mut components: BTreeMap<String, Component> = BTreeMap::new();
    let mut services = Vec::new();
    let mut dependencies = Vec::new();
    for report in reports {
        // What a repository publishes (server.json) is no server that any client launches here.
        if report.dialect == Dialect::ServerJson {
            continue;
        }
        let secrets: Vec<&str> = report.secrets.iter().map(String::as_str).collect();
        let masker = SecretMasker::new(&secrets);
        let lock = locks.beside(&report.source.path);
        let file = report.source.path.display().to_string();
        let config_name = report
            .source
            .path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default();
        for server in &report.config.servers {
            let start = report.root.at(&server.route).map_or(0, |node| node.span.start);
            let line = report.source.lines.line_col(&report.source.text, start).line;
            let service_ref = format!("server:{file}:{line}#{}", server.name);
            let mut depends_on = Vec::new();
            if let Some(package) = server.launch.as_ref().and_then(|launch| launch.package.as_ref()) {
                let component = package_component(package, lock, &masker);
                let reference = component.bom_ref.clone().unwrap_or_default();
                components.entry(reference.clone()).or_insert(component);
                depends_on.push(reference);
            }
            if let Some(recorded) = lock.and_then(|lock| lock.server(config_name, &server.name)) {
                for tool in &recorded.tools {
                    let reference = format!("tool:{service_ref}/{}", tool.name);
                    components.insert(
                        reference.clone(),
                        Component {
                            kind: ComponentType::Data,
                            bom_ref: Some(reference.clone()),
                            group: Some(server.name.clone()),
                            name: tool.name.clone(),
                            version: None,
                            hashes: hash_of(&tool.digest).into_iter().collect(),
                            purl: None,
                            external_references: Vec::new(),
                            properties: vec![Property::new("kind", "mcp-tool")],
                        },
                    );
                    depends_on.push(reference);
                }
            }
            services.push(service(
                report,
                server,
                &service_ref,
                (&file, line),
                config_name,
                lock,
                &masker,
            ));
            if !depends_on.is_empty() {
                dependencies.push(Dependency {
                    reference: service_ref,
                    depends_on,
                });
            }
        }
    }
    let mut bom = Bom {
        bom_format: "CycloneDX",
        spec_version: "1.6",
        serial_number: String::new(),
        version: 1,
        metadata: Metadata {
            tools: Tools {
                components: vec![Component {
                    kind: ComponentType::Application,
                    bom_ref: None,
                    group: None,
                    name: "mcp-lint".into(),
                    version: Some(env!("CARGO_PKG_VERSION").into()),
                    hashes: Vec::new(),
                    purl: None,
                    external_references: Vec::new(),
                    properties: Vec::new(),
                }],
            },
            properties: Vec::new(),
        },
        components: components.into_values().collect(),
        services,
        dependencies,
    };
    bom.serial_number = serial_number(&bom);
    bom
}

/// A name-based UUID of the document's content (the first 16 bytes of its SHA-256, with the
/// version 5 and RFC 4122 variant bits the schema's pattern asks for).
fn serial_number(bom: &Bom) -> String {
    let content = serde_json::to_vec(bom).unwrap_or_default();
    let digest = Sha256::digest(&content);
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// One server as a service: where it is configured and how it is reached.
fn service(
    report: &FileReport,
    server: &Server,
    service_ref: &str,
    (file, line): (&str, usize),
    config_name: &str,
    lock: Option<&Lock>,
    masker: &SecretMasker,
) -> Service {
    let mut properties = vec![
        Property::new("client", report.dialect.client()),
        Property::new("dialect", report.dialect.name()),
        Property::new("file", format!("{file}:{line}")),
        Property::new("server", server.name.clone()),
    ];
    let (transport, endpoints, authenticated) = match &server.transport {
        Transport::Stdio(stdio) => {
            properties.push(Property::new("command", masker.mask(&stdio.command.value)));
            ("stdio", Vec::new(), None)
        }
        Transport::Remote(remote) => {
            let kinds = authentication(server);
            properties.push(Property::new(
                "authentication",
                if kinds.is_empty() {
                    "none".to_owned()
                } else {
                    kinds.join(", ")
                },
            ));
            ("remote", vec![masker.mask(&remote.url.value)], Some(!kinds.is_empty()))
        }
        Transport::Published(_) => ("published", Vec::new(), None),
        Transport::Unknown => ("unknown", Vec::new(), None),
    };
    properties.push(Property::new("transport", transport));
    properties.push(Property::new(
        "tool-allowlist",
        match &server.tools.allow {
            Some(allow) => allow
                .items
                .iter()
                .map(|tool| masker.mask(&tool.value))
                .collect::<Vec<_>>()
                .join(", "),
            None if server.tools.allowlist_key.is_some() => "none: every tool is exposed".to_owned(),
            None => "none: the client has no per-server allowlist in this file".to_owned(),
        },
    ));
    if let Some(deny) = &server.tools.deny {
        let denied: Vec<String> = deny.items.iter().map(|tool| masker.mask(&tool.value)).collect();
        properties.push(Property::new("tool-denylist", denied.join(", ")));
    }
    if server.disabled {
        properties.push(Property::new("disabled", "true"));
    }
    if let Some(recorded) = lock.and_then(|lock| lock.server(config_name, &server.name)) {
        properties.push(Property::new("tools-digest", recorded.tools_digest.clone()));
        properties.push(Property::new("probed", recorded.probed.clone()));
        properties.push(Property::new(
            "server-info",
            format!("{} {}", recorded.server_name, recorded.server_version),
        ));
    }
    Service {
        bom_ref: service_ref.to_owned(),
        name: server.name.clone(),
        endpoints,
        authenticated,
        properties,
    }
}

/// How a remote server is given credentials, by kind: the credential headers' names and the
/// keys that configure other ways (OAuth, a bearer token's variable). Never a value.
fn authentication(server: &Server) -> Vec<String> {
    use crate::dialect::route::Component as Step;
    let mut kinds: Vec<String> = Vec::new();
    for way in &server.auth {
        match way.route.components() {
            [.., Step::Key(map), Step::Key(name)] if map.to_ascii_lowercase().contains("header") => {
                kinds.push(format!("header {name}"));
            }
            [.., Step::Key(key)] => kinds.push(key.clone()),
            _ => {}
        }
    }
    if let Transport::Remote(remote) = &server.transport {
        for header in remote
            .headers
            .iter()
            .filter(|h| crate::model::extract::is_auth_header(&h.key))
        {
            kinds.push(format!("header {}", header.key));
        }
    }
    kinds.sort();
    kinds.dedup();
    kinds
}

/// The component of a registry package or image: its package URL, the version and digests when
/// the config pins it, and whether it floats.
fn package_component(package: &PackageRef, lock: Option<&Lock>, masker: &SecretMasker) -> Component {
    let mut properties = Vec::new();
    let mut hashes = Vec::new();
    let mut external_references = Vec::new();
    let (kind, group, name, version, purl) = match package.ecosystem {
        Ecosystem::Oci => {
            let full = crate::resolve::oci::locked_name(&package.text);
            let name = full.rsplit('/').next().unwrap_or(&full).to_ascii_lowercase();
            let (version, tag) = match &package.spec {
                VersionSpec::Digest { tag, digest } => (Some(digest.clone()), tag.clone()),
                VersionSpec::Tag(tag) => (None, Some(tag.clone())),
                _ => (None, None),
            };
            if let Some(digest) = &version {
                hashes.extend(hash_of(digest));
            }
            // Written as the purl specification's canonical OCI example writes one
            // (`pkg:oci/debian@sha256%3A244f...?repository_url=docker.io/library/debian&tag=latest`):
            // the digest's colon encoded, the repository URL and tag as they are (an image
            // reference has no character these would need encoded), qualifiers sorted.
            let mut purl = format!("pkg:oci/{name}");
            if let Some(digest) = &version {
                purl.push('@');
                purl.push_str(&digest.replace(':', "%3A"));
            }
            purl.push_str("?repository_url=");
            purl.push_str(&full);
            if let Some(tag) = &tag {
                purl.push_str("&tag=");
                purl.push_str(tag);
            }
            let purl = Some(purl);
            (ComponentType::Container, None, full, version, purl)
        }
        ecosystem => {
            let (ty, namespace, base) = match ecosystem {
                Ecosystem::Npm => match package.name.strip_prefix('@').and_then(|rest| rest.split_once('/')) {
                    Some((scope, base)) => ("npm", Some(format!("@{scope}")), base.to_owned()),
                    None => ("npm", None, package.name.clone()),
                },
                Ecosystem::PyPi => ("pypi", None, package.name.clone()),
                _ => ("generic", Some("jsr".to_owned()), package.name.clone()),
            };
            let version = match &package.spec {
                VersionSpec::Exact(version) => Some(version.clone()),
                _ => None,
            };
            if let (Some(version), Some(lock)) = (&version, lock)
                && let Some(locked) = lock.package(package.ecosystem, &package.name, version)
            {
                for artifact in &locked.artifacts {
                    let hash = hash_of(&artifact.digest);
                    hashes.extend(hash.clone());
                    external_references.push(ExternalReference {
                        kind: "distribution",
                        url: masker.mask(&artifact.url),
                        hashes: hash.into_iter().collect(),
                    });
                }
                properties.push(Property::new("verified", locked.resolved.clone()));
            }
            let purl = packageurl::PackageUrl::new(ty, base.clone()).ok().map(|mut purl| {
                if let Some(namespace) = &namespace {
                    let _ = purl.with_namespace(namespace.clone());
                }
                if let Some(version) = &version {
                    let _ = purl.with_version(version.clone());
                }
                purl.to_string()
            });
            let group = namespace.filter(|_| ty == "npm");
            (ComponentType::Library, group, base, version, purl)
        }
    };
    let pinned = package.spec.is_pinned();
    properties.push(Property::new("pinned", pinned.to_string()));
    if !pinned {
        properties.push(Property::new("version-spec", masker.mask(&spec_text(&package.spec))));
    }
    Component {
        kind,
        bom_ref: Some(purl.clone().unwrap_or_else(|| format!("package:{}", package.name))),
        group,
        name,
        version,
        hashes,
        purl,
        external_references,
        properties,
    }
}

/// What a floating reference asks for, for the `version-spec` property.
fn spec_text(spec: &VersionSpec) -> String {
    match spec {
        VersionSpec::Exact(version) => version.clone(),
        VersionSpec::Range(range) => format!("range {range}"),
        VersionSpec::Tag(tag) => format!("tag {tag}"),
        VersionSpec::None => "none: whatever is newest".to_owned(),
        VersionSpec::Digest { digest, .. } => digest.clone(),
        VersionSpec::Git { url, commit } => match commit {
            Some(commit) => format!("git {url}#{commit}"),
            None => format!("git {url}"),
        },
        VersionSpec::Url(url) => format!("url {url}"),
    }
}

/// A digest as the lock writes it (`sha256:<hex>`, npm's `sha512-<base64>`) as a CycloneDX
/// hash; None for another form.
fn hash_of(digest: &str) -> Option<Hash> {
    if let Some(hex) = digest.strip_prefix("sha256:") {
        return (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then(|| Hash {
            alg: "SHA-256",
            content: hex.to_ascii_lowercase(),
        });
    }
    if let Some(encoded) = digest.strip_prefix("sha512-") {
        let bytes = base64::engine::general_purpose::STANDARD.decode(encoded).ok()?;
        return (bytes.len() == 64).then(|| Hash {
            alg: "SHA-512",
            content: bytes.iter().map(|b| format!("{b:02x}")).collect(),
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_become_hex_hashes() {
        let sha256 = format!("sha256:{}", "A".repeat(64));
        assert_eq!(
            hash_of(&sha256),
            Some(Hash {
                alg: "SHA-256",
                content: "a".repeat(64)
            })
        );
        let sri = format!(
            "sha512-{}",
            base64::engine::general_purpose::STANDARD.encode([0xabu8; 64])
        );
        assert_eq!(
            hash_of(&sri).map(|h| (h.alg, h.content)),
            Some(("SHA-512", "ab".repeat(64)))
        );
        assert_eq!(hash_of("md5-xyz"), None);
        assert_eq!(hash_of("sha256:short"), None);
    }
}
