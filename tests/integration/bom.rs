//! `mcp-lint bom`: the CycloneDX 1.6 inventory, validated against the official JSON schema
//! (tests/schemas/cyclonedx, formats asserted) and, where it is installed, loaded by a real
//! consumer (cyclonedx-python-lib).

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::{mcp_lint, root, run};

/// The official CycloneDX 1.6 schema with the SPDX and JSF schemas it references, no network.
fn validator() -> jsonschema::Validator {
    let dir = root().join("tests/schemas/cyclonedx");
    let read = |name: &str| -> Value {
        serde_json::from_str(&fs::read_to_string(dir.join(name)).expect("schema is vendored")).expect("schema parses")
    };
    let registry = jsonschema::Registry::new()
        .add("http://cyclonedx.org/schema/spdx.schema.json", read("spdx.schema.json"))
        .expect("spdx schema")
        .add(
            "http://cyclonedx.org/schema/jsf-0.82.schema.json",
            read("jsf-0.82.schema.json"),
        )
        .expect("jsf schema")
        .prepare()
        .expect("registry");
    jsonschema::options()
        .should_validate_formats(true)
        .with_registry(&registry)
        .build(&read("bom-1.6.schema.json"))
        .expect("schema compiles")
}

/// `mcp-lint bom ARGS` in `dir`: the document, valid against the schema.
fn bom_of(dir: &Path, args: &[&str]) -> Value {
    let mut command = mcp_lint(dir);
    command.arg("bom").args(args);
    let outcome = run(command);
    assert_eq!(outcome.code, 0, "{}\n{}", outcome.stderr, outcome.stdout);
    let document: Value = serde_json::from_str(&outcome.stdout).expect("the BOM is JSON");
    let errors: Vec<String> = validator()
        .iter_errors(&document)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the BOM violates CycloneDX 1.6:\n{}",
        errors.join("\n")
    );
    document
}

fn purls(document: &Value) -> Vec<String> {
    document["components"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["purl"].as_str().map(str::to_owned))
        .collect()
}

fn property<'a>(item: &'a Value, name: &str) -> Option<&'a str> {
    item["properties"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == format!("mcp-lint:{name}"))?["value"]
        .as_str()
}

/// The bundled examples: every server of every config is a service, each launched package a
/// component with its package URL, floating ones marked unpinned; the same inputs give the same
/// document, serial number included.
#[test]
fn the_bundled_examples_validate_and_list_every_server() {
    let examples = root().join("fixtures/examples");
    let document = bom_of(&root(), &[examples.to_str().expect("utf-8")]);
    assert_eq!(document["specVersion"], "1.6");
    assert_eq!(document["metadata"]["tools"]["components"][0]["name"], "mcp-lint");
    let services = document["services"].as_array().expect("services");
    // .codex 2, .gemini 2, .mcp.json 4, .vscode 2, litellm 2 (what `check` counts).
    assert_eq!(services.len(), 12, "{services:#?}");
    let purls = purls(&document);
    for expected in [
        "pkg:npm/%40modelcontextprotocol/server-filesystem@2025.8.21",
        "pkg:npm/%40modelcontextprotocol/server-github",
        "pkg:npm/%40sentry/mcp-server@0.17.1",
    ] {
        assert!(
            purls.iter().any(|p| p == expected),
            "{expected} missing from {purls:#?}"
        );
    }
    let floating = document["components"]
        .as_array()
        .expect("components")
        .iter()
        .find(|c| c["purl"] == "pkg:npm/%40modelcontextprotocol/server-github")
        .expect("the floating package");
    assert!(floating.get("version").is_none());
    assert_eq!(property(floating, "pinned"), Some("false"));
    for service in services {
        for key in ["client", "file", "server", "transport", "tool-allowlist"] {
            assert!(property(service, key).is_some(), "{key} missing: {service:#}");
        }
    }
    let again = bom_of(&root(), &[examples.to_str().expect("utf-8")]);
    assert_eq!(document, again, "the same inputs gave another document");
}

/// Package URLs of each ecosystem, the lock's digests as hashes (npm integrity as SHA-512,
/// wheels as SHA-256, the image digest), the tools `probe` recorded as data components, a remote
/// as a service with its authentication kind; and no secret anywhere in the document.
#[test]
fn purls_hashes_tools_and_no_secret() {
    let dir = tempfile::tempdir().expect("tempdir");
    let digest = "a".repeat(64);
    let config = format!(
        r#"{{"mcpServers": {{
  "fs": {{"command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "."], "env": {{"API_TOKEN": "ghp_R8x2kLm4Qz7vTn1Wp9Yb3Hc6Df0Ga5Je2Ku8"}}}},
  "time": {{"command": "uvx", "args": ["mcp-server-time==0.6.2"]}},
  "git": {{"command": "docker", "args": ["run", "-i", "--rm", "mcp/git@sha256:{digest}"]}},
  "docs": {{"type": "http", "url": "https://docs.example.com/mcp?token=sk_live_51HxQ2eLm8Rk3Tn4Wp6Yb2Hc7Df", "headers": {{"Authorization": "Bearer ${{DOCS_TOKEN}}"}}}}
}}}}
"#
    );
    fs::write(dir.path().join(".mcp.json"), config).expect("config");
    let sri = "sha512-yZqKWs9iUdbdcZjjl8bxPycZqF82z5sRc3bmHj8qbX5nA0wzAL2nv5paNQXbuqSlvpVxqJYD3cnEPXGWtrKD6Q==";
    let wheel = "b".repeat(64);
    let tool = "c".repeat(64);
    let lock = format!(
        r#"version = 1

[[package]]
ecosystem = "npm"
name = "@modelcontextprotocol/server-filesystem"
version = "2025.8.21"
resolved = "2026-12-01T00:00:00Z"
artifacts = [{{ url = "https://registry.npmjs.org/@modelcontextprotocol/server-filesystem/-/server-filesystem-2025.8.21.tgz", digest = "{sri}" }}]

[[package]]
ecosystem = "pypi"
name = "mcp-server-time"
version = "0.6.2"
resolved = "2026-12-01T00:00:00Z"
artifacts = [{{ url = "https://files.pythonhosted.org/packages/mcp_server_time-0.6.2-py3-none-any.whl", digest = "sha256:{wheel}" }}]

[[server]]
config = ".mcp.json"
name = "time"
protocol = "2025-06-18"
server_name = "mcp-time"
server_version = "1.9.4"
probed = "2026-12-01T00:00:00Z"
tools_digest = "sha256:{tool}"

[[server.tool]]
name = "get_current_time"
digest = "sha256:{tool}"
input_schema = '{{"type":"object"}}'
"#
    );
    fs::write(dir.path().join("mcp-lint.lock"), lock).expect("lock");
    let out = dir.path().join("bom.json");
    let mut command = mcp_lint(dir.path());
    command.args(["bom", "-o", "bom.json", "."]);
    let outcome = run(command);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    assert!(outcome.stdout.is_empty(), "-o writes the file, not stdout");
    let text = fs::read_to_string(&out).expect("bom.json");
    assert!(!text.contains("ghp_R8x2kLm4Qz7vTn1Wp9Yb3Hc6Df0Ga5Je2Ku8"), "{text}");
    assert!(!text.contains("sk_live_51HxQ2eLm8Rk3Tn4Wp6Yb2Hc7Df"), "{text}");
    assert!(!text.contains("Bearer"), "{text}");
    let document = bom_of(dir.path(), &["."]);
    let purls = purls(&document);
    for expected in [
        "pkg:npm/%40modelcontextprotocol/server-filesystem@2025.8.21".to_owned(),
        "pkg:pypi/mcp-server-time@0.6.2".to_owned(),
        format!("pkg:oci/git@sha256%3A{digest}?repository_url=docker.io/mcp/git"),
    ] {
        assert!(purls.contains(&expected), "{expected} missing from {purls:#?}");
    }
    let components = document["components"].as_array().expect("components");
    let by_purl = |purl: &str| components.iter().find(|c| c["purl"] == purl).expect(purl);
    let npm = by_purl("pkg:npm/%40modelcontextprotocol/server-filesystem@2025.8.21");
    assert_eq!(npm["hashes"][0]["alg"], "SHA-512");
    assert_eq!(
        npm["hashes"][0]["content"],
        "c99a8a5acf6251d6dd7198e397c6f13f2719a85f36cf9b117376e61e3f2a6d7e67034c3300bda7bf9a5a3505dbbaa4a5be9571a89603ddc9c43d7196b6b283e9"
    );
    assert_eq!(npm["externalReferences"][0]["type"], "distribution");
    let wheel_hash = &by_purl("pkg:pypi/mcp-server-time@0.6.2")["hashes"][0];
    assert_eq!(
        (wheel_hash["alg"].as_str(), wheel_hash["content"].as_str()),
        (Some("SHA-256"), Some(wheel.as_str()))
    );
    let image = by_purl(&format!(
        "pkg:oci/git@sha256%3A{digest}?repository_url=docker.io/mcp/git"
    ));
    assert_eq!(image["type"], "container");
    assert_eq!(image["hashes"][0]["content"], digest);
    let tool_component = components
        .iter()
        .find(|c| c["type"] == "data" && c["name"] == "get_current_time")
        .expect("the probed tool");
    assert_eq!(tool_component["hashes"][0]["content"], tool);
    let services = document["services"].as_array().expect("services");
    let docs = services.iter().find(|s| s["name"] == "docs").expect("remote");
    assert_eq!(docs["authenticated"], true);
    assert_eq!(property(docs, "authentication"), Some("header Authorization"));
    assert!(
        docs["endpoints"][0]
            .as_str()
            .is_some_and(|url| url.starts_with("https://docs.example.com/mcp"))
    );
    let time = services.iter().find(|s| s["name"] == "time").expect("time");
    assert_eq!(property(time, "tools-digest"), Some(format!("sha256:{tool}").as_str()));
    let time_ref = time["bom-ref"].as_str().expect("ref");
    let depends = document["dependencies"]
        .as_array()
        .expect("dependencies")
        .iter()
        .find(|d| d["ref"] == time_ref)
        .expect("time's dependencies");
    assert_eq!(depends["dependsOn"].as_array().map(Vec::len), Some(2), "{depends:#}");

    // A change to a config is a change of the document and of its serial number.
    let before = document["serialNumber"].clone();
    let config = fs::read_to_string(dir.path().join(".mcp.json")).expect("config");
    fs::write(dir.path().join(".mcp.json"), config.replace("0.6.2", "0.6.3")).expect("config");
    let after = bom_of(dir.path(), &["."]);
    assert_ne!(after["serialNumber"], before);
}

/// A file that cannot be read is an error naming it, exit 2, and no document: an inventory that
/// silently lacks a file would be believed.
#[test]
fn a_broken_config_gives_no_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join(".mcp.json"), "{\"mcpServers\": {\"x\": ").expect("config");
    let mut command = mcp_lint(dir.path());
    command.args(["bom", "."]);
    let outcome = run(command);
    assert_eq!(outcome.code, 2);
    assert!(outcome.stdout.is_empty(), "{}", outcome.stdout);
    assert!(outcome.stderr.contains(".mcp.json:1:"), "{}", outcome.stderr);
}

/// A generated repository of 1,000 servers is listed whole (the time it takes is measured in
/// tests/bench, not here).
#[test]
fn a_thousand_servers_are_listed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let servers: Vec<String> = (0..1000)
        .map(|i| format!(r#""s{i}": {{"command": "npx", "args": ["-y", "@acme-gen/mcp-tool-{i}@1.0.{i}"]}}"#))
        .collect();
    fs::write(
        dir.path().join(".mcp.json"),
        format!("{{\"mcpServers\": {{{}}}}}", servers.join(",\n")),
    )
    .expect("config");
    let document = bom_of(dir.path(), &["."]);
    assert_eq!(document["services"].as_array().map(Vec::len), Some(1000));
    assert_eq!(document["components"].as_array().map(Vec::len), Some(1000));
}

/// A real consumer loads the document: cyclonedx-python-lib's strict JSON validator for 1.6 and
/// its deserialiser (`.ci/run` installs it; `MCP_LINT_PYTHON` names the interpreter).
#[test]
#[ignore = "needs cyclonedx-python-lib (MCP_LINT_PYTHON)"]
fn cyclonedx_python_lib_loads_it() {
    let python = crate::common::required_env("MCP_LINT_PYTHON", "a Python with cyclonedx-python-lib[json-validation]");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("bom.json");
    let mut command = mcp_lint(&root());
    command.args(["bom", "-o", out.to_str().expect("utf-8"), "fixtures/examples"]);
    let outcome = run(command);
    assert_eq!(outcome.code, 0, "{}", outcome.stderr);
    let script = r#"
import json, sys
from cyclonedx.model.bom import Bom
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
text = open(sys.argv[1]).read()
error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
if error:
    sys.exit(f"invalid: {error}")
bom = Bom.from_json(json.loads(text))
print(len(bom.components), len(bom.services))
"#;
    let output = std::process::Command::new(python)
        .args(["-c", script, out.to_str().expect("utf-8")])
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let document: Value = serde_json::from_str(&fs::read_to_string(&out).expect("bom")).expect("json");
    let expected = format!(
        "{} {}",
        document["components"].as_array().map_or(0, Vec::len),
        document["services"].as_array().map_or(0, Vec::len)
    );
    assert_eq!(stdout.trim(), expected);
}
