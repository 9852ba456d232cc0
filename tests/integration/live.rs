//! Live pinning against the real npm registry and PyPI (`MCP_LINT_LIVE=1`, set by `.ci/run`):
//! the lock's digests must equal what each registry publishes and what the downloaded bytes hash
//! to. The relation is asserted, never a version number that will move.

use std::fs;

use base64::Engine as _;
use sha2::Digest as _;

use crate::common::{bare, required_env, run};

/// A GET through the operating system's trust store, as mcp-lint's own client does.
fn get(url: &str) -> Vec<u8> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .proxy(ureq::Proxy::try_from_env())
        .build()
        .into();
    let mut response = agent.get(url).call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .unwrap_or_else(|e| panic!("GET {url}: {e}"))
}

#[test]
#[ignore = "needs MCP_LINT_LIVE=1 and registry.npmjs.org and pypi.org"]
fn pins_real_packages_with_the_registries_digests() {
    required_env(
        "MCP_LINT_LIVE",
        "set to 1 to pin against registry.npmjs.org and pypi.org",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let config = r#"{
  "mcpServers": {
    "filesystem": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "/srv/docs"] },
    "fetch": { "command": "uvx", "args": ["mcp-server-fetch"] }
  }
}
"#;
    fs::write(dir.path().join(".mcp.json"), config).expect("write");
    let mut command = bare(dir.path());
    command
        .args(["--color", "never", "--fix", "--unsafe-fixes", ".mcp.json"])
        .env("MCP_LINT_CACHE_DIR", dir.path().join("cache"))
        .env("HOME", dir.path());
    let fixed = run(command);
    assert_ne!(fixed.code, 2, "{}", fixed.stderr);

    let lock: toml::Table = toml::from_str(&fs::read_to_string(dir.path().join("mcp-lint.lock")).expect("a lock"))
        .expect("the lock parses");
    let packages = lock["package"].as_array().expect("packages");
    let text = fs::read_to_string(dir.path().join(".mcp.json")).expect("config");
    let mut checked = 0;
    for package in packages {
        let (ecosystem, name, version) = (
            package["ecosystem"].as_str().expect("ecosystem"),
            package["name"].as_str().expect("name"),
            package["version"].as_str().expect("version"),
        );
        let locked: Vec<(String, String)> = package["artifacts"]
            .as_array()
            .expect("artifacts")
            .iter()
            .map(|a| {
                (
                    a["url"].as_str().expect("url").to_owned(),
                    a["digest"].as_str().expect("digest").to_owned(),
                )
            })
            .collect();
        match ecosystem {
            "npm" => {
                assert!(text.contains(&format!("\"{name}@{version}\"")), "{text}");
                let manifest: serde_json::Value = serde_json::from_slice(&get(&format!(
                    "https://registry.npmjs.org/{}/{version}",
                    name.replace('/', "%2f")
                )))
                .expect("json");
                let published = manifest["dist"]["integrity"].as_str().expect("integrity");
                assert_eq!(locked.len(), 1);
                assert_eq!(locked[0].1, published, "lock vs registry");
                let bytes = get(&locked[0].0);
                let actual = format!(
                    "sha512-{}",
                    base64::engine::general_purpose::STANDARD.encode(sha2::Sha512::digest(&bytes))
                );
                assert_eq!(actual, published, "bytes vs registry");
                checked += 1;
            }
            "pypi" => {
                assert!(text.contains(&format!("\"{name}@{version}\"")), "{text}");
                // The project document: mirrors answer 404 for the per-version endpoint.
                let project: serde_json::Value =
                    serde_json::from_slice(&get(&format!("https://pypi.org/pypi/{name}/json"))).expect("json");
                let mut published: Vec<String> = project["releases"][version]
                    .as_array()
                    .expect("the release's files")
                    .iter()
                    .map(|u| format!("sha256:{}", u["digests"]["sha256"].as_str().expect("sha256")))
                    .collect();
                let mut in_lock: Vec<String> = locked.iter().map(|(_, d)| d.clone()).collect();
                published.sort();
                in_lock.sort();
                assert_eq!(in_lock, published, "every file of the release, as PyPI lists them");
                for (url, digest) in &locked {
                    let actual: String = sha2::Sha256::digest(get(url))
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect();
                    assert_eq!(format!("sha256:{actual}"), *digest, "bytes vs registry for {url}");
                }
                checked += 1;
            }
            other => panic!("unexpected ecosystem {other}"),
        }
    }
    assert_eq!(checked, 2, "both packages are locked: {lock:?}");

    let mut verify = bare(dir.path());
    verify
        .args(["verify", "."])
        .env("MCP_LINT_CACHE_DIR", dir.path().join("cache"))
        .env("HOME", dir.path());
    let verified = run(verify);
    assert_eq!(verified.code, 0, "{}", verified.stderr);
}
