//! Embeds the declarative fix knowledge in `fixers/servers/` into the binary, one entry per file
//! (as written, and as JSON: the check reads the JSON, which parses in a fraction of the time),
//! and the git commit the binary is built from, for `--version`.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

fn main() {
    embed_commit();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixers").join("servers");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    // Sorted by slug (the file stem), which `known_server` binary-searches.
    files.sort_by(|a, b| a.file_stem().cmp(&b.file_stem()));
    let mut table = String::from(
        "/// `fixers/servers/<slug>.toml`: (slug, contents), sorted by slug.\npub static KNOWN_SERVERS: &[(&str, &str)] = &[\n",
    );
    let mut json = String::from(
        "/// `fixers/servers/<slug>.toml` as JSON, in the order of `KNOWN_SERVERS`.\npub static KNOWN_SERVERS_JSON: &[&str] = &[\n",
    );
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let slug = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        writeln!(table, "    ({slug:?}, include_str!({:?})),", path.display().to_string()).unwrap_or_default();
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let value: serde_json::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{} is not TOML: {e}", path.display()));
        writeln!(json, "    {:?},", value.to_string()).unwrap_or_default();
    }
    table.push_str("];\n");
    json.push_str("];\n");
    table.push_str(&json);
    let out = Path::new(&env::var("OUT_DIR").unwrap_or_default()).join("known_servers.rs");
    fs::write(out, table).unwrap_or_else(|e| panic!("cannot write the embedded fixers table: {e}"));
}

/// `MCP_LINT_COMMIT`: the commit given by the release build (a wheel built from a source
/// archive has no repository), else `git rev-parse HEAD`, else `unknown`.
fn embed_commit() {
    println!("cargo:rerun-if-env-changed=MCP_LINT_COMMIT");
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .ok()
            .filter(|output| output.status.success())
            .and_then(|output| String::from_utf8(output.stdout).ok())
            .map(|text| text.trim().to_owned())
            .filter(|text| !text.is_empty())
    };
    let commit = env::var("MCP_LINT_COMMIT").ok().filter(|c| !c.is_empty()).or_else(|| {
        // Rebuilt when HEAD moves: the file HEAD, the branch it names, and packed refs.
        if let Some(git_dir) = git(&["rev-parse", "--absolute-git-dir"]) {
            let git_dir = Path::new(&git_dir);
            println!("cargo:rerun-if-changed={}", git_dir.join("HEAD").display());
            if let Some(reference) = git(&["symbolic-ref", "-q", "HEAD"]) {
                let path = git_dir.join(reference);
                if path.exists() {
                    println!("cargo:rerun-if-changed={}", path.display());
                }
            }
            if git_dir.join("packed-refs").exists() {
                println!("cargo:rerun-if-changed={}", git_dir.join("packed-refs").display());
            }
        }
        git(&["rev-parse", "--short=12", "HEAD"])
    });
    println!(
        "cargo:rustc-env=MCP_LINT_COMMIT={}",
        commit.as_deref().unwrap_or("unknown")
    );
}
