//! Embeds the declarative fix knowledge in `fixers/servers/` into the binary, one entry per file.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn main() {
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
    files.sort();
    let mut table = String::from(
        "/// `fixers/servers/<slug>.toml`: (slug, contents), sorted by slug.\npub static KNOWN_SERVERS: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let slug = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        writeln!(table, "    ({slug:?}, include_str!({:?})),", path.display().to_string()).unwrap_or_default();
    }
    table.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").unwrap_or_default()).join("known_servers.rs");
    fs::write(out, table).unwrap_or_else(|e| panic!("cannot write the embedded fixers table: {e}"));
}
