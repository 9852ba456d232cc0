//! The pre-commit hooks of `.pre-commit-hooks.yaml`, installed by the real pre-commit framework
//! (`language: rust`: it builds this crate with `cargo install`) and run on a scratch repository
//! with the `.pre-commit-config.yaml` snippets the README gives.
//!
//! Needs a `pre-commit` executable named by `MCP_LINT_PRECOMMIT` (`.ci/run` installs one): the test
//! is ignored unless asked for, and fails where it is asked for without one. The first run builds the release binary (minutes); pre-commit
//! keeps the environment under `target/tmp/precommit/`, so a later run with the same sources
//! reuses it, and one with changed sources rebuilds only this crate.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{required_env, root};

/// The first run compiles every dependency in the release profile (fat LTO, one codegen unit).
const TIMEOUT: Duration = Duration::from_secs(45 * 60);

/// Where pre-commit's store, the build's target directory and the hooks' repository live between runs.
fn state() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("precommit")
}

/// A command without the `GIT_*` variables of an enclosing git hook, which would point git at
/// another repository, nor the ones that would colour mcp-lint's output.
fn command(program: impl AsRef<std::ffi::OsStr>, dir: &Path) -> Command {
    let mut command = Command::new(program);
    command.current_dir(dir);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("GIT_") {
            command.env_remove(name);
        }
    }
    for name in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE"] {
        command.env_remove(name);
    }
    command
}

/// Runs git, which must succeed; returns its stdout.
fn git(dir: &Path, args: &[&str], env: &[(&str, &Path)]) -> String {
    let mut git = command("git", dir);
    git.args(args);
    for (name, value) in env {
        git.env(name, value);
    }
    let output = git.output().expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("git's output is UTF-8")
}

/// The repository and revision pre-commit installs the hooks from: this repository at HEAD or,
/// when tracked files have uncommitted changes, a commit of them in a clone (what `pre-commit
/// try-repo` does; untracked files are left out, as there). The commit has fixed dates and the
/// clone a fixed path, so the same sources give the same repository and revision, and pre-commit
/// reuses the environment it built for them.
fn hooks_source() -> (PathBuf, String) {
    let root = root();
    let head = git(&root, &["rev-parse", "HEAD"], &[]).trim().to_owned();
    let dirty = !command("git", &root)
        .args(["diff", "--quiet", "--no-ext-diff", "HEAD"])
        .status()
        .expect("git runs")
        .success();
    if !dirty {
        return (root, head);
    }
    let shadow = state().join("repo");
    if shadow.exists() {
        fs::remove_dir_all(&shadow).expect("remove the previous clone");
    }
    fs::create_dir_all(state()).expect("mkdir");
    let shadow_arg = shadow.to_str().expect("a UTF-8 target directory");
    git(&root, &["clone", "--quiet", "--no-checkout", ".", shadow_arg], &[]);
    git(&shadow, &["checkout", "--quiet", &head, "-b", "_hooks"], &[]);
    // Stage this repository's changes into the clone's index and object store.
    let git_dir = shadow.join(".git");
    let (index, objects) = (git_dir.join("index"), git_dir.join("objects"));
    let env = [
        ("GIT_INDEX_FILE", index.as_path()),
        ("GIT_OBJECT_DIRECTORY", objects.as_path()),
    ];
    let staged = git(&root, &["diff", "--staged", "--name-only", "--no-ext-diff", "-z"], &[]);
    let staged: Vec<&str> = staged.split('\0').filter(|name| !name.is_empty()).collect();
    if !staged.is_empty() {
        let mut args = vec!["add", "--"];
        args.extend(&staged);
        git(&root, &args, &env);
    }
    git(&root, &["add", "-u"], &env);
    let mut commit = command("git", &shadow);
    commit
        .args([
            "-c",
            "commit.gpgsign=false",
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            "uncommitted changes",
        ])
        .env("GIT_AUTHOR_NAME", "mcp-lint tests")
        .env("GIT_AUTHOR_EMAIL", "tests@mcp-lint.invalid")
        .env("GIT_AUTHOR_DATE", "2000-01-01T00:00:00Z")
        .env("GIT_COMMITTER_NAME", "mcp-lint tests")
        .env("GIT_COMMITTER_EMAIL", "tests@mcp-lint.invalid")
        .env("GIT_COMMITTER_DATE", "2000-01-01T00:00:00Z");
    assert!(
        commit.status().expect("git runs").success(),
        "commit in {}",
        shadow.display()
    );
    let rev = git(&shadow, &["rev-parse", "HEAD"], &[]).trim().to_owned();
    (shadow, rev)
}

/// pre-commit's exit code and its combined output.
struct Outcome {
    code: i32,
    output: String,
}

/// `pre-commit run -c CONFIG HOOK --files FILES` in `repo`, with the timeout.
fn pre_commit(program: &str, repo: &Path, config: &Path, hook: &str, files: &[&str]) -> Outcome {
    pre_commit_with(program, repo, config, hook, files, &[])
}

/// [`pre_commit`] with more environment for the hooks (a wheelhouse, a registry).
fn pre_commit_with(
    program: &str,
    repo: &Path,
    config: &Path,
    hook: &str,
    files: &[&str],
    env: &[(&str, &str)],
) -> Outcome {
    let log_path = repo.with_extension(format!("{hook}.log"));
    let log = File::create(&log_path).expect("log file");
    let mut run = command(program, repo);
    run.arg("run")
        .arg("--config")
        .arg(config)
        .args(["--color", "never", hook, "--files"])
        .args(files)
        .env("PRE_COMMIT_HOME", state().join("home"))
        // cargo install's target directory: dependencies compiled once serve every later build.
        .env("CARGO_TARGET_DIR", state().join("cargo-target"))
        // The hooks' behaviour is under test, not the binary's speed: build it the quick way.
        .env("CARGO_PROFILE_RELEASE_LTO", "false")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
        .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
        // mcp-lint's registry cache: never the user's.
        .env("MCP_LINT_CACHE_DIR", repo.with_extension("cache"))
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log file"))
        .stderr(log);
    let started = Instant::now();
    let mut child = run.spawn().expect("pre-commit runs");
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for pre-commit") {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "pre-commit {hook} still running after {TIMEOUT:?}:\n{}",
                fs::read_to_string(&log_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    eprintln!("pre-commit run {hook}: {:.1?}", started.elapsed());
    Outcome {
        code: status.code().unwrap_or(-1),
        output: fs::read_to_string(&log_path).expect("pre-commit's output"),
    }
}

const MCP_JSON: &str = r#"{
  "mcpServers": {
    "docs": {
      "type": "http",
      "url": "http://docs.example.com/mcp",
      "headers": { "Authorization": "Bearer ${DOCS_TOKEN}" }
    }
  }
}
"#;

/// A client file that holds no servers: matched by the hooks' names, and no error.
const GEMINI_SETTINGS: &str = "{ \"theme\": \"GitHub\" }\n";

/// YAML that is no MCP config: named explicitly, mcp-lint would fail on it (exit 2).
const WORKFLOW: &str =
    "name: ci\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n";

const LITELLM: &str = "model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o

mcp_servers:
  docs:
    url: http://docs.example.com/mcp
    allowed_tools: [\"read_page\"]
";

const FILES: [(&str, &str); 4] = [
    (".mcp.json", MCP_JSON),
    (".gemini/settings.json", GEMINI_SETTINGS),
    (".github/workflows/ci.yml", WORKFLOW),
    ("deploy/litellm/config.yaml", LITELLM),
];

/// The contents of `FILES` in `repo` now.
fn contents(repo: &Path) -> Vec<String> {
    FILES
        .iter()
        .map(|(name, _)| fs::read_to_string(repo.join(name)).expect("read"))
        .collect()
}

#[test]
#[ignore = "needs MCP_LINT_PRECOMMIT (a pre-commit executable)"]
fn hooks_install_and_run_in_pre_commit() {
    let program = required_env("MCP_LINT_PRECOMMIT", "a pre-commit executable");
    let (source, rev) = hooks_source();
    let work = tempfile::tempdir().expect("tempdir");
    let repo = work.path().join("repo");
    fs::create_dir(&repo).expect("mkdir");
    git(&repo, &["init", "--quiet"], &[]);
    git(&repo, &["config", "user.email", "tests@mcp-lint.invalid"], &[]);
    git(&repo, &["config", "user.name", "mcp-lint tests"], &[]);
    for (name, text) in FILES {
        let path = repo.join(name);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
    git(&repo, &["add", "."], &[]);
    let names: Vec<&str> = FILES.iter().map(|(name, _)| *name).collect();
    let originals = contents(&repo);

    // The README's snippets, with this repository in place of the published one.
    let source = source.to_str().expect("a UTF-8 path").replace('\'', "''");
    let header = format!("repos:\n  - repo: '{source}'\n    rev: '{rev}'\n    hooks:\n");
    let plain = work.path().join("plain.yaml");
    fs::write(
        &plain,
        format!("{header}      - id: mcp-lint-rust\n      - id: mcp-lint-fix-rust\n"),
    )
    .expect("write");
    let custom = work.path().join("custom.yaml");
    fs::write(
        &custom,
        format!(
            "{header}      - id: mcp-lint-rust
        name: mcp-lint (LiteLLM)
        files: ^deploy/litellm/config\\.yaml$
      - id: mcp-lint-fix-rust
        args: [--offline, --fix]
"
        ),
    )
    .expect("write");

    // The check hook: the hooks' names pick the two client files out of the four, so the workflow
    // and the LiteLLM config (generic names) never reach mcp-lint, and the plain-HTTP remote fails
    // the commit.
    let check = pre_commit(&program, &repo, &plain, "mcp-lint-rust", &names);
    let out = &check.output;
    assert_eq!(check.code, 1, "{out}");
    assert!(out.contains("- hook id: mcp-lint-rust\n- exit code: 1\n"), "{out}");
    assert!(out.contains("error[insecure-transport]"), "{out}");
    assert!(out.contains(" --> .mcp.json:5:15\n"), "{out}");
    assert!(
        out.contains("Found 2 problems (1 error, 0 warnings, 1 info) in 2 MCP config files"),
        "{out}"
    );
    for absent in ["ci.yml", "deploy/litellm", "not an MCP config", "could not be checked"] {
        assert!(!out.contains(absent), "`{absent}` in:\n{out}");
    }
    assert_eq!(contents(&repo), originals, "the check hook wrote a file");

    // The fix hook narrowed to safe fixes: plain HTTP -> HTTPS is unsafe (the server must serve
    // TLS), so nothing is written, the hook says a fix is waiting, and the finding still fails.
    let fix = pre_commit(&program, &repo, &custom, "mcp-lint-fix-rust", &names);
    let out = &fix.output;
    assert_eq!(fix.code, 1, "{out}");
    assert!(out.contains("- hook id: mcp-lint-fix-rust\n- exit code: 1\n"), "{out}");
    assert!(out.contains("1 more fix is available with --unsafe-fixes"), "{out}");
    assert!(out.contains("error[insecure-transport]"), "{out}");
    assert!(!out.contains("files were modified by this hook"), "{out}");
    assert_eq!(contents(&repo), originals, "a safe-only fix hook wrote an unsafe fix");

    // A gateway config added by name: linted, and only it.
    let gateway = pre_commit(&program, &repo, &custom, "mcp-lint-rust", &names);
    let out = &gateway.output;
    assert_eq!(gateway.code, 1, "{out}");
    assert!(out.contains("mcp-lint (LiteLLM)"), "{out}");
    assert!(out.contains(" --> deploy/litellm/config.yaml:8:10\n"), "{out}");
    assert!(out.contains("in 1 MCP config file"), "{out}");
    assert!(!out.contains(".mcp.json"), "{out}");

    // The fix hook as shipped: it rewrites the URL in place, and pre-commit fails the commit
    // because a file changed, with the error fixed.
    let unsafe_fix = pre_commit(&program, &repo, &plain, "mcp-lint-fix-rust", &names);
    let out = &unsafe_fix.output;
    assert_eq!(unsafe_fix.code, 1, "{out}");
    assert!(out.contains("- files were modified by this hook"), "{out}");
    assert!(!out.contains("error[insecure-transport]"), "{out}");
    let mut expected = originals.clone();
    expected[0] = MCP_JSON.replace("http://docs", "https://docs");
    assert_eq!(contents(&repo), expected, "only the URL of .mcp.json changes");

    // Run again on the fixed file: nothing left to fix or fail.
    let again = pre_commit(&program, &repo, &plain, "mcp-lint-fix-rust", &names);
    let out = &again.output;
    assert_eq!(again.code, 0, "{out}");
    assert!(out.contains("Passed"), "{out}");
    assert_eq!(contents(&repo), expected, "a second fix changed something");
}

/// The `files` pattern of `.pre-commit-hooks.yaml`, shared by both hooks through a YAML anchor.
fn hooks_pattern() -> String {
    let manifest = fs::read_to_string(root().join(".pre-commit-hooks.yaml")).expect("the hooks file");
    let prefix = "files: &mcp-config-files '";
    let start = manifest.find(prefix).expect("the anchored pattern") + prefix.len();
    let length = manifest[start..].find('\'').expect("the closing quote");
    assert!(manifest.matches("files: *mcp-config-files").count() >= 2, "{manifest}");
    manifest[start..start + length].to_owned()
}

#[test]
fn readme_shows_the_hooks_file_pattern() {
    let readme = fs::read_to_string(root().join("README.md")).expect("README.md");
    let pattern = hooks_pattern();
    assert!(
        readme.contains(&format!("\n{pattern}\n")),
        "README.md's pre-commit section must show the hooks' pattern:\n{pattern}"
    );
}

/// The pre-commit mirror (`pre-commit-mirror/`) as the repository it is published as: a git
/// repository of that directory alone, committed with fixed dates.
fn mirror_repository(dir: &Path) -> (PathBuf, String) {
    let mirror = dir.join("mcp-lint-pre-commit");
    fs::create_dir_all(&mirror).expect("mkdir");
    for entry in fs::read_dir(root().join("pre-commit-mirror")).expect("pre-commit-mirror/") {
        let path = entry.expect("entry").path();
        fs::copy(&path, mirror.join(path.file_name().expect("a name"))).expect("copy");
    }
    git(&mirror, &["init", "--quiet"], &[]);
    git(&mirror, &["add", "."], &[]);
    let mut commit = command("git", &mirror);
    commit
        .args([
            "-c",
            "commit.gpgsign=false",
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            "mirror",
        ])
        .env("GIT_AUTHOR_NAME", "mcp-lint tests")
        .env("GIT_AUTHOR_EMAIL", "tests@mcp-lint.invalid")
        .env("GIT_AUTHOR_DATE", "2000-01-01T00:00:00Z")
        .env("GIT_COMMITTER_NAME", "mcp-lint tests")
        .env("GIT_COMMITTER_EMAIL", "tests@mcp-lint.invalid")
        .env("GIT_COMMITTER_DATE", "2000-01-01T00:00:00Z");
    assert!(commit.status().expect("git runs").success());
    let rev = git(&mirror, &["rev-parse", "HEAD"], &[]).trim().to_owned();
    (mirror, rev)
}

/// A Claude Code config with a floating npm package and a literal token.
const FLOATING_WITH_SECRET: &str = r#"{
  "mcpServers": {
    "example": {
      "command": "npx",
      "args": ["-y", "@example/mcp-server"],
      "env": { "EXAMPLE_API_KEY": "Kq7Zr2Wx9Lm4Tp8Vb3Nc6Hy1Fd5Gs0Ja" }
    }
  }
}
"#;

/// The mirror's hooks, installed by the real pre-commit from the wheel alone (pip may read only
/// the wheelhouse: no Rust, no source build): the check fails on the inline secret, the pin hook
/// pins the floating package (from the loopback registry) and the fix hook moves the secret out.
#[test]
#[ignore = "needs MCP_LINT_PRECOMMIT and MCP_LINT_WHEELHOUSE (pre-commit, and the wheel maturin built)"]
fn mirror_hooks_install_from_the_wheel() {
    let program = required_env("MCP_LINT_PRECOMMIT", "a pre-commit executable");
    let wheelhouse = crate::install::wheelhouse();
    let wheelhouse = wheelhouse.to_str().expect("a UTF-8 path");
    let mock = crate::registry::Mock::start();
    crate::registry::serve_npm(&mock, None);
    let registry = format!("{}/npm", mock.url);

    let work = tempfile::tempdir().expect("tempdir");
    let (mirror, rev) = mirror_repository(work.path());
    let repo = work.path().join("repo");
    fs::create_dir(&repo).expect("mkdir");
    git(&repo, &["init", "--quiet"], &[]);
    fs::write(repo.join(".mcp.json"), FLOATING_WITH_SECRET).expect("write");
    git(&repo, &["add", "."], &[]);
    let home = work.path().join("home");
    fs::create_dir(&home).expect("mkdir");
    let npmrc = home.join(".npmrc");
    let (home, npmrc) = (home.to_str().expect("UTF-8"), npmrc.to_str().expect("UTF-8"));
    let env = [
        ("PIP_NO_INDEX", "1"),
        ("PIP_FIND_LINKS", wheelhouse),
        ("NPM_CONFIG_REGISTRY", registry.as_str()),
        ("NPM_CONFIG_USERCONFIG", npmrc),
        ("HOME", home),
    ];
    let source = mirror.to_str().expect("a UTF-8 path").replace('\'', "''");
    let config = work.path().join("config.yaml");
    fs::write(
        &config,
        format!(
            "repos:\n  - repo: '{source}'\n    rev: '{rev}'\n    hooks:\n      - id: mcp-lint\n      - id: mcp-lint-fix\n      - id: mcp-lint-pin\n"
        ),
    )
    .expect("write");
    let files = [".mcp.json"];

    let check = pre_commit_with(&program, &repo, &config, "mcp-lint", &files, &env);
    let out = &check.output;
    assert_eq!(check.code, 1, "{out}");
    assert!(out.contains("error[inline-secret]"), "{out}");
    assert!(out.contains("error[unpinned-package]"), "{out}");
    assert!(!out.contains("Kq7Zr2Wx"), "the secret was printed: {out}");

    let pin = pre_commit_with(&program, &repo, &config, "mcp-lint-pin", &files, &env);
    let out = &pin.output;
    assert_eq!(pin.code, 1, "{out}");
    assert!(out.contains("- files were modified by this hook"), "{out}");
    let pinned = fs::read_to_string(repo.join(".mcp.json")).expect("read");
    assert!(pinned.contains("\"@example/mcp-server@1.2.0\""), "{pinned}");
    assert!(
        fs::read_to_string(repo.join("mcp-lint.lock")).is_ok_and(|lock| lock.contains("@example/mcp-server")),
        "the pin hook locks what it pinned"
    );
    // The pin hook applies the other fixes too: the secret moved to a variable.
    assert!(pinned.contains("\"${EXAMPLE_API_KEY}\""), "{pinned}");

    fs::write(
        repo.join(".mcp.json"),
        FLOATING_WITH_SECRET.replace("@example/mcp-server", "@example/mcp-server@1.2.0"),
    )
    .expect("write");
    let fix = pre_commit_with(&program, &repo, &config, "mcp-lint-fix", &files, &env);
    let out = &fix.output;
    assert_eq!(fix.code, 1, "{out}");
    assert!(out.contains("- files were modified by this hook"), "{out}");
    let fixed = fs::read_to_string(repo.join(".mcp.json")).expect("read");
    assert!(
        fixed.contains("\"${EXAMPLE_API_KEY}\"") && !fixed.contains("Kq7Zr2Wx"),
        "{fixed}"
    );

    let again = pre_commit_with(&program, &repo, &config, "mcp-lint", &files, &env);
    assert_eq!(again.code, 0, "{}", again.output);
}
