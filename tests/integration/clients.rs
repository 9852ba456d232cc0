//! Real clients load what mcp-lint writes: every Codex, Gemini CLI, Claude Code, opencode and
//! Qwen Code fixture that the client loads as written is fixed (`--fix --unsafe-fixes`), and the
//! client must load the fixed file too, list the same servers, report no error, launch the same
//! runners, and show moved secrets only as references. The clients come from npm at the versions
//! of `.ci/clients.txt` (`.ci/run` installs them and names their `node_modules/.bin` in
//! `MCP_LINT_CLIENTS`); each runs with `HOME` (and `CODEX_HOME`) in a temporary directory, and
//! the package runners it may start (`npx`, `uvx`, `docker`, `bunx`) are stand-ins on `PATH` that
//! record how they were launched and exit, so no server runs and nothing is fetched.
//!
//! Continue's `cn` and the Cline CLI have no command that lists servers without a model behind
//! it (and the Cline CLI is a compiled binary, with no loader to call): their facts come from
//! their source and a loopback listener, and are named where they are used.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use mcp_lint::harness;
use mcp_lint::{Environment, Settings};

use crate::common::{files_under, fixtures, mcp_lint, required_env, run};

/// The client that reads a fixture, by its path.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Client {
    Codex,
    Gemini,
    ClaudeCode,
    Opencode,
    Qwen,
}

fn client_of(relative: &Path) -> Option<Client> {
    let text = relative.to_string_lossy();
    if text.ends_with(".codex/config.toml") {
        Some(Client::Codex)
    } else if text.ends_with(".gemini/settings.json") {
        Some(Client::Gemini)
    } else if text.ends_with(".mcp.json") {
        Some(Client::ClaudeCode)
    } else if text.ends_with("opencode.json") || text.ends_with("opencode.jsonc") {
        Some(Client::Opencode)
    } else if text.ends_with(".qwen/settings.json") {
        Some(Client::Qwen)
    } else {
        None
    }
}

/// What the client made of the file in `project`: whether it loaded it, the server names it
/// lists, the package runners it started (each as `runner args...`), and everything it printed.
struct Loaded {
    ok: bool,
    names: Vec<String>,
    launches: Vec<String>,
    output: String,
}

/// The runners a client may start for a server, replaced by a script that writes its name and
/// arguments to a new file in the directory `$MCP_LINT_LAUNCHES` and exits with 1 (the client
/// reports the server failed).
const STAND_INS: [&str; 4] = ["npx", "uvx", "docker", "bunx"];

/// Writes the stand-ins into `dir`.
fn stand_ins(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    fs::create_dir_all(dir).expect("stand-in dir");
    // One file per launch: a client starts its servers at once, and appends to one file interleave.
    let script = "#!/bin/sh\nline=\"$(basename \"$0\")\"\nfor a in \"$@\"; do line=\"$line $a\"; done\nprintf '%s\\n' \"$line\" > \"$(mktemp \"$MCP_LINT_LAUNCHES/launch.XXXXXX\")\"\nexit 1\n";
    for runner in STAND_INS {
        let path = dir.join(runner);
        fs::write(&path, script).expect("stand-in");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}

/// `text` without ANSI colour sequences.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // ESC [ ... final byte in @..~
            for next in chars.by_ref() {
                if ('@'..='~').contains(&next) && next != '[' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn load(bin: &Path, client: Client, project: &Path) -> Loaded {
    let home = project.join("home");
    fs::create_dir_all(&home).expect("home");
    let runners = project.join("stand-ins");
    stand_ins(&runners);
    let launches = project.join("launches");
    let _ = fs::remove_dir_all(&launches);
    fs::create_dir_all(&launches).expect("launches dir");
    // Every client lists its servers with `PROGRAM mcp list`; Codex also prints JSON and keeps
    // its config under CODEX_HOME. opencode connects to every server it lists: the stand-ins
    // record those launches.
    let program = match client {
        Client::Codex => "codex",
        Client::Gemini => "gemini",
        Client::ClaudeCode => "claude",
        Client::Opencode => "opencode",
        Client::Qwen => "qwen",
    };
    // Claude Code also reads its machine-wide managed folder, which one test writes.
    let _reading =
        (client == Client::ClaudeCode).then(|| MACHINE_WIDE.read().unwrap_or_else(std::sync::PoisonError::into_inner));
    let mut command = Command::new(bin.join(program));
    command.args(["mcp", "list"]);
    if client == Client::Codex {
        command.arg("--json").env("CODEX_HOME", project.join(".codex"));
    }
    let output = command
        .current_dir(project)
        .env("HOME", &home)
        .env(
            "PATH",
            format!(
                "{}:{}:{}",
                runners.display(),
                bin.display(),
                std::env::var("PATH").unwrap_or_default()
            ),
        )
        .env("MCP_LINT_LAUNCHES", &launches)
        .env_remove("CODEX_API_KEY")
        .env_remove("OPENAI_API_KEY")
        .env_remove("ANTHROPIC_API_KEY")
        .env_remove("GEMINI_API_KEY")
        .output()
        .expect("the client runs");
    let stdout = plain(&String::from_utf8_lossy(&output.stdout));
    let text = format!("{stdout}\n{}", plain(&String::from_utf8_lossy(&output.stderr)));
    let names = match client {
        Client::Codex => serde_json::from_str::<serde_json::Value>(&stdout)
            .ok()
            .and_then(|list| {
                list.as_array().map(|servers| {
                    servers
                        .iter()
                        .filter_map(|s| s["name"].as_str().map(str::to_owned))
                        .collect()
                })
            })
            .unwrap_or_default(),
        // `○ name: command (stdio) - Disabled` (an untrusted folder lists servers, starts none),
        // written to stderr.
        Client::Gemini => text
            .lines()
            .filter_map(|line| {
                let rest = line.trim_start().strip_prefix(['○', '✓', '✗', '●'])?;
                Some(rest.trim_start().split_once(": ")?.0.to_owned())
            })
            .collect(),
        // `name: url (HTTP) - ⏸ Pending approval` before the diagnostics.
        Client::ClaudeCode => stdout
            .split("MCP config diagnostics")
            .next()
            .unwrap_or_default()
            .lines()
            .filter(|line| line.contains(" - "))
            .filter_map(|line| line.split_once(": ").map(|(name, _)| name.to_owned()))
            .collect(),
        // `●  ✗ name failed` (or `✓ name connected`), one server a line.
        Client::Opencode => text
            .lines()
            .filter_map(|line| line.trim_start().strip_prefix('●'))
            .filter_map(|rest| {
                rest.split_whitespace()
                    .find(|word| word.chars().any(char::is_alphanumeric))
                    .map(str::to_owned)
            })
            .collect(),
        // `● name: command args (stdio) - Pending approval`.
        Client::Qwen => text
            .lines()
            .filter_map(|line| line.trim_start().strip_prefix('●'))
            .filter_map(|rest| rest.trim_start().split_once(": ").map(|(name, _)| name.to_owned()))
            .collect(),
    };
    let mut launches: Vec<String> = files_under(&launches)
        .iter()
        .map(|file| fs::read_to_string(file).expect("a launch").trim_end().to_owned())
        .collect();
    launches.sort();
    let reported_error = text.contains("[Error]") || text.contains("Error loading") || text.contains("Invalid");
    Loaded {
        ok: output.status.success() && !reported_error,
        names,
        launches,
        output: text,
    }
}

/// The servers mcp-lint reads in `text`, and the secrets it found there.
fn servers_and_secrets(text: &str, name: &str) -> (Vec<String>, Vec<String>) {
    let mut settings = Settings::defaults();
    settings.environment = Environment::from_vars([]);
    let checked = harness::run(text, name, &settings);
    let secrets = checked
        .outcome
        .results
        .reports
        .first()
        .map(|report| report.secrets.clone())
        .unwrap_or_default();
    (checked.server_names(), secrets)
}

/// A scratch project holding `original` at `relative` (a Codex file goes to `.codex/`).
fn project_with(relative: &Path, original: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let name = relative.file_name().expect("a file name");
    let parent = relative.parent().and_then(|p| p.file_name());
    let at = match parent {
        Some(parent) if parent == ".codex" || parent == ".gemini" || parent == ".qwen" => {
            dir.path().join(parent).join(name)
        }
        _ => dir.path().join(name),
    };
    fs::create_dir_all(at.parent().expect("a parent")).expect("dirs");
    fs::write(&at, original).expect("write");
    (dir, at)
}

#[test]
#[ignore = "needs MCP_LINT_CLIENTS (codex, gemini, claude, opencode and qwen from npm; .ci/run installs them)"]
fn fixed_configs_load_in_the_real_clients() {
    let bin = PathBuf::from(required_env(
        "MCP_LINT_CLIENTS",
        "a node_modules/.bin with codex, gemini, claude, opencode and qwen",
    ));
    let root = fixtures();
    let mut checked = Vec::new();
    let mut failures = Vec::new();
    for file in files_under(&root) {
        let relative = file.strip_prefix(&root).expect("inside").to_owned();
        let Some(client) = client_of(&relative) else { continue };
        let original = fs::read(&file).expect("fixture readable");
        let (before_dir, _) = project_with(&relative, &original);
        let before = load(&bin, client, before_dir.path());
        if !before.ok {
            // The client refuses the fixture as written (the invalid-config cases): a fix is not
            // expected to repair it.
            continue;
        }
        // opencode starts what it lists: a fixture with a package runner and no launch would
        // mean the stand-ins were never reached, and the comparison below proves nothing.
        let runs_a_runner = STAND_INS
            .iter()
            .any(|runner| String::from_utf8_lossy(&original).contains(&format!("\"{runner}\"")));
        if client == Client::Opencode && runs_a_runner && before.launches.is_empty() {
            failures.push(format!(
                "{}: opencode launched nothing:\n{}",
                relative.display(),
                before.output
            ));
            continue;
        }
        let (dir, at) = project_with(&relative, &original);
        let target = at.strip_prefix(dir.path()).expect("inside");
        let mut command = mcp_lint(dir.path());
        command.args(["--fix", "--unsafe-fixes"]).arg(target);
        let fixed = run(command);
        assert!(
            !fixed.stderr.contains("panicked"),
            "{}: {}",
            relative.display(),
            fixed.stderr
        );
        let fixed_text = fs::read_to_string(&at).expect("fixed file");
        let after = load(&bin, client, dir.path());
        let (servers, _) = servers_and_secrets(&fixed_text, &target.to_string_lossy());
        let (_, secrets) = servers_and_secrets(&String::from_utf8_lossy(&original), &target.to_string_lossy());
        let mut listed = after.names.clone();
        listed.sort();
        let mut listed_before = before.names.clone();
        listed_before.sort();
        let problem = if !after.ok {
            Some("the client does not load the fixed file".to_owned())
        } else if listed != listed_before {
            Some(format!(
                "the client lists {listed:?} after the fix, {listed_before:?} before"
            ))
        } else if listed.is_empty() && !servers.is_empty() {
            Some("the client lists no server".to_owned())
        } else if runners(&after.launches) != runners(&before.launches) {
            Some(format!(
                "the client launches {:?} after the fix, {:?} before",
                after.launches, before.launches
            ))
        } else {
            secrets
                .iter()
                .find(|secret| after.output.contains(secret.as_str()))
                .map(|_| "a moved secret is still shown as a literal".to_owned())
        };
        match problem {
            Some(why) => failures.push(format!(
                "{} ({client:?}): {why}\n{}\n{}",
                relative.display(),
                fixed.stderr,
                after.output
            )),
            None => checked.push(format!("{client:?} {}", relative.display())),
        }
    }
    println!("loaded after the fix: {}", checked.join(", "));
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    for client in ["Codex", "Gemini", "ClaudeCode", "Opencode", "Qwen"] {
        assert!(
            checked.iter().filter(|c| c.starts_with(client)).count() >= 2,
            "too few {client} fixtures were loaded: {checked:?}"
        );
    }
}

/// The runner and the package each launch starts, without its version: a fix pins and moves
/// secrets, it never changes what runs.
fn runners(launches: &[String]) -> Vec<String> {
    let mut names: Vec<String> = launches
        .iter()
        .map(|launch| {
            launch
                .split_whitespace()
                .map(|word| {
                    let cut = word.rfind('@').filter(|at| *at > 0).or_else(|| word.find("=="));
                    cut.map_or(word, |at| &word[..at]).to_owned()
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    names.sort();
    names
}

/// A flat server map (no `mcpServers`) loads from a plugin's `.mcp.json` and not from a
/// project's, in the real Claude Code; mcp-lint reads the first as a plugin's servers and reports
/// the second as invalid-config.
#[test]
#[ignore = "needs MCP_LINT_CLIENTS (claude from npm; .ci/run installs it)"]
fn claude_code_reads_a_flat_map_only_as_a_plugin() {
    let bin = PathBuf::from(crate::common::required_env(
        "MCP_LINT_CLIENTS",
        "a node_modules/.bin with codex, gemini and claude",
    ));
    let flat = fs::read(crate::common::fixtures().join("clients/claude-plugin/.mcp.json")).expect("fixture");

    // As a plugin: `claude --plugin-dir DIR mcp list` in an empty project lists plugin:NAME:SERVER.
    let work = tempfile::tempdir().expect("tempdir");
    let plugin = work.path().join("plugin");
    fs::create_dir_all(plugin.join(".claude-plugin")).expect("mkdir");
    fs::write(
        plugin.join(".claude-plugin/plugin.json"),
        r#"{ "name": "firebase", "version": "1.0.0", "description": "test" }"#,
    )
    .expect("write");
    fs::write(plugin.join(".mcp.json"), &flat).expect("write");
    let project = work.path().join("project");
    fs::create_dir_all(project.join("home")).expect("mkdir");
    let output = claude_mcp_list(&bin, &project, &["--plugin-dir".as_ref(), plugin.as_os_str()]);
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        text.contains("plugin:firebase:firebase"),
        "the plugin's server is not listed:\n{text}"
    );
    let lint = crate::common::run({
        let mut command = crate::common::mcp_lint(&plugin);
        command.arg(".mcp.json").arg("--format").arg("json");
        command
    });
    assert!(lint.stdout.contains("\"servers\": 1"), "{}", lint.stdout);
    assert!(lint.stdout.contains("firebase-tools@latest"), "{}", lint.stdout);

    // As a project's `.mcp.json`: Claude Code reports the file and starts nothing.
    let (project, _) = project_with(Path::new(".mcp.json"), &flat);
    let loaded = load(&bin, Client::ClaudeCode, project.path());
    assert!(
        loaded.names.is_empty(),
        "a flat project file loaded: {:?}\n{}",
        loaded.names,
        loaded.output
    );
    assert!(loaded.output.contains("mcpServers"), "{}", loaded.output);
    let lint = crate::common::run({
        let mut command = crate::common::mcp_lint(project.path());
        command.arg(".mcp.json");
        command
    });
    assert!(lint.stdout.contains("error[invalid-config]"), "{}", lint.stdout);
}

/// A Gemini CLI extension's manifest is strict JSON (`JSON.parse` in `loadExtensionConfig`;
/// measured with Gemini CLI 0.61.0: a `//` comment gives "Failed to load extension config ...
/// Expected double-quoted property name" and no extension). Every `gemini-extension.json`
/// fixture, fixed, still links in the real Gemini CLI with the same servers.
#[test]
#[ignore = "needs MCP_LINT_CLIENTS (gemini from npm; .ci/run installs it)"]
fn fixed_gemini_extensions_still_load_in_gemini_cli() {
    let bin = PathBuf::from(required_env("MCP_LINT_CLIENTS", "a node_modules/.bin with gemini"));
    let root = fixtures();
    let manifests: Vec<PathBuf> = files_under(&root)
        .into_iter()
        .filter(|f| f.file_name().is_some_and(|n| n == "gemini-extension.json"))
        .collect();
    assert!(manifests.len() >= 3, "{manifests:?}");
    let link = |extension: &Path| -> String {
        let home = extension.parent().expect("parent").join("home");
        fs::create_dir_all(&home).expect("home");
        let gemini = |args: &[&str]| {
            let output = Command::new(bin.join("gemini"))
                .args(args)
                .current_dir(&home)
                .env("HOME", &home)
                .env(
                    "PATH",
                    format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default()),
                )
                .env_remove("GEMINI_API_KEY")
                .output()
                .expect("gemini runs");
            format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        };
        let linked = gemini(&["extensions", "link", &extension.to_string_lossy(), "--consent"]);
        format!("{linked}\n{}", gemini(&["extensions", "list"]))
    };
    for manifest in manifests {
        let original = fs::read(&manifest).expect("readable");
        let dir = tempfile::tempdir().expect("tempdir");
        let extension = dir.path().join("ext");
        fs::create_dir_all(&extension).expect("ext");
        let at = extension.join("gemini-extension.json");
        fs::write(&at, &original).expect("write");
        let before = link(&extension);
        let mut command = mcp_lint(&extension);
        command.args(["--fix", "--unsafe-fixes", "gemini-extension.json"]);
        let fixed = run(command);
        assert!(
            fixed.stderr.contains("Fixed "),
            "{}: {}",
            manifest.display(),
            fixed.stderr
        );
        let text = fs::read_to_string(&at).expect("fixed");
        serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|e| {
            panic!(
                "{}: the fixed manifest is no strict JSON ({e}):\n{text}",
                manifest.display()
            )
        });
        fs::remove_dir_all(dir.path().join("home")).expect("fresh home");
        let after = link(&extension);
        assert!(
            after.contains("linked successfully") && !after.contains("Failed to load"),
            "{}:\n{after}",
            manifest.display()
        );
        let servers = |listing: &str| -> Vec<String> {
            listing
                .split("MCP servers:")
                .nth(1)
                .unwrap_or_default()
                .lines()
                .skip(1)
                .map(str::trim)
                .take_while(|l| !l.is_empty() && !l.contains(':'))
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(servers(&after), servers(&before), "{}:\n{after}", manifest.display());
        assert!(!servers(&after).is_empty(), "{}:\n{after}", manifest.display());
    }
}

/// Claude Code's managed settings decide which servers it starts at all: the servers mcp-lint
/// reports as blocked (`dead-config`, "does not start server") are exactly those the real
/// Claude Code leaves out of `claude mcp list`, and every other server is listed. The managed
/// settings are handed over with `--managed-settings JSON` (the same result as the file in
/// `/etc/claude-code`, measured by hand with 2.1.332; the test writes nothing outside its
/// temporary folder). The fixture's drop-ins are left out here: the next test reads them.
#[test]
#[ignore = "needs MCP_LINT_CLIENTS (claude from npm; .ci/run installs it)"]
fn claude_code_starts_what_its_managed_settings_admit() {
    let bin = PathBuf::from(crate::common::required_env(
        "MCP_LINT_CLIENTS",
        "a node_modules/.bin with codex, gemini and claude",
    ));
    let fixture = crate::common::fixtures().join("managed-settings");
    let work = tempfile::tempdir().expect("tempdir");
    let managed = fs::read_to_string(fixture.join("etc/claude-code/managed-settings.json")).expect("fixture");
    fs::create_dir_all(work.path().join("etc/claude-code")).expect("mkdir");
    fs::write(work.path().join("etc/claude-code/managed-settings.json"), &managed).expect("write");
    let project = work.path().join("project");
    fs::create_dir_all(project.join("home")).expect("mkdir");
    fs::copy(fixture.join("project/.mcp.json"), project.join(".mcp.json")).expect("copy");

    let output = claude_mcp_list(&bin, &project, &["--managed-settings".as_ref(), managed.as_ref()]);
    let (listed, expected) = claude_against_mcp_lint(&output, work.path(), &project);
    assert_eq!(listed, expected);
}

/// The same with the managed settings where Claude Code reads them, `/etc/claude-code`, drop-ins
/// included (`managed-settings.d/10-team.json` admits a server the base allowlist leaves out and
/// denies one it admits; `.disabled.json` is not read): Claude Code merges the folder's files as
/// mcp-lint does. The test needs a machine without `/etc/claude-code` (the fresh one of .ci/run)
/// and removes what it wrote.
#[test]
#[ignore = "needs MCP_LINT_CLIENTS (claude from npm; .ci/run installs it) and root on a machine without /etc/claude-code"]
fn claude_code_merges_its_managed_drop_ins_as_mcp_lint_does() {
    let bin = PathBuf::from(crate::common::required_env(
        "MCP_LINT_CLIENTS",
        "a node_modules/.bin with codex, gemini and claude",
    ));
    // No other test runs Claude Code while this one has its managed folder in place.
    let _machine = MACHINE_WIDE.write().unwrap_or_else(std::sync::PoisonError::into_inner);
    let system = Path::new("/etc/claude-code");
    assert!(
        !system.exists(),
        "/etc/claude-code exists: this test writes its own there and needs a machine without one"
    );
    /// Removes `/etc/claude-code` however the test ends.
    struct Cleanup;
    impl Drop for Cleanup {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all("/etc/claude-code");
        }
    }
    let _cleanup = Cleanup;
    let fixture = crate::common::fixtures().join("managed-settings");
    for file in files_under(&fixture.join("etc/claude-code")) {
        let relative = file
            .strip_prefix(fixture.join("etc/claude-code"))
            .expect("under the fixture");
        let target = system.join(relative);
        fs::create_dir_all(target.parent().expect("a folder")).expect("mkdir /etc/claude-code (needs root)");
        fs::copy(&file, &target).expect("copy");
    }
    assert!(system.join("managed-settings.d/10-team.json").is_file());
    assert!(system.join("managed-settings.d/.disabled.json").is_file());
    let work = tempfile::tempdir().expect("tempdir");
    let project = work.path().join("project");
    fs::create_dir_all(project.join("home")).expect("mkdir");
    fs::copy(fixture.join("project/.mcp.json"), project.join(".mcp.json")).expect("copy");

    let output = claude_mcp_list_holding_the_machine(&bin, &project, &[]);
    let (listed, expected) = claude_against_mcp_lint(&output, &fixture, &project);
    assert_eq!(listed, expected);
    // The drop-in decides both ways: it admits `github` and denies `docs`.
    assert!(listed.contains(&"github".to_owned()), "{listed:?}");
    assert!(!listed.contains(&"docs".to_owned()), "{listed:?}");
}

/// What Claude Code reads machine-wide (`/etc/claude-code`): every test that runs it reads
/// under this lock, the one that writes its managed folder there holds it alone.
static MACHINE_WIDE: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// The servers `claude mcp list` listed (`output`) in `project`, and the servers of the
/// project's `.mcp.json` that mcp-lint, run on `lint_root`, does not report as blocked (both
/// sorted).
fn claude_against_mcp_lint(
    output: &std::process::Output,
    lint_root: &Path,
    project: &Path,
) -> (Vec<String>, Vec<String>) {
    let stdout = plain(&String::from_utf8_lossy(&output.stdout));
    let mut listed: Vec<String> = stdout
        .split("MCP config diagnostics")
        .next()
        .unwrap_or_default()
        .lines()
        .filter_map(|line| Some(line.split_once(": ")?.0.trim().to_owned()))
        .filter(|name| !name.contains(' '))
        .collect();
    listed.sort();

    let lint = crate::common::run({
        let mut command = crate::common::mcp_lint(lint_root);
        command.args(["--format", "json", "--select", "dead-config", "."]);
        command
    });
    let document: serde_json::Value = serde_json::from_str(&lint.stdout).expect("JSON output");
    let blocked: Vec<String> = document["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|finding| {
            finding["message"]
                .as_str()
                .is_some_and(|m| m.contains("does not start server"))
        })
        .filter_map(|finding| finding["server"].as_str().map(str::to_owned))
        .collect();
    assert!(
        blocked.len() >= 4,
        "the fixture blocks servers: {blocked:?}\n{}",
        lint.stdout
    );
    let config: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(project.join(".mcp.json")).expect("read")).expect("JSON");
    let mut expected: Vec<String> = config["mcpServers"]
        .as_object()
        .expect("servers")
        .keys()
        .filter(|name| !blocked.contains(name))
        .cloned()
        .collect();
    expected.sort();
    assert_eq!(
        listed, expected,
        "claude mcp list:\n{stdout}\nmcp-lint blocked {blocked:?}"
    );
    (listed, expected)
}

/// `claude OPTIONS mcp list` in `project`, with `project/home` as HOME and the installed clients
/// on PATH (read under [`MACHINE_WIDE`]).
fn claude_mcp_list(bin: &Path, project: &Path, options: &[&std::ffi::OsStr]) -> std::process::Output {
    let _reading = MACHINE_WIDE.read().unwrap_or_else(std::sync::PoisonError::into_inner);
    claude_mcp_list_holding_the_machine(bin, project, options)
}

/// [`claude_mcp_list`] for a caller that already holds [`MACHINE_WIDE`].
fn claude_mcp_list_holding_the_machine(
    bin: &Path,
    project: &Path,
    options: &[&std::ffi::OsStr],
) -> std::process::Output {
    Command::new(bin.join("claude"))
        .args(options)
        .args(["mcp", "list"])
        .current_dir(project)
        .env("HOME", project.join("home"))
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default()),
        )
        .env_remove("ANTHROPIC_API_KEY")
        .output()
        .expect("claude runs")
}
