//! Suppression decides which findings exist before any fix is planned: `--select`, `--ignore`,
//! `[[ignores]]` and `[severity]` hold under `check`, `--fix`, `--diff` and stdin alike. A
//! suppressed finding is neither fixed, nor shown in a diff, nor counted, and an ignore that
//! matched a finding is never reported as unused. In-process through the harness where it can be,
//! through the binary for what only the binary does (diffs, stdin, files on disk).

use std::fs;
use std::path::Path;
use std::sync::Arc;

use clap::Parser as _;
use mcp_lint::cli::Cli;
use mcp_lint::harness::{self, Harnessed};
use mcp_lint::project_config::ProjectConfig;
use mcp_lint::{Environment, Settings, Status};

use crate::common::{mcp_lint, reported, run};

/// Two plain-http remotes (each an `insecure-transport` finding with an unsafe fix to https)
/// around a server with a floating package and a literal token in its environment.
const CONFIG: &str = r#"{
  "mcpServers": {
    "docs": { "url": "http://docs.example.com/mcp", "headers": { "Authorization": "Bearer ${env:DOCS_TOKEN}" } },
    "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"], "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A" } },
    "api": { "url": "http://api.example.com/mcp", "headers": { "Authorization": "Bearer ${env:API_TOKEN}" } }
  }
}
"#;

const TOKEN: &str = "ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A";

const IGNORE_DOCS: &str = r#"[[ignores]]
rule = "insecure-transport"
file = ".cursor/mcp.json"
server = "docs"
reason = "an internal mirror that only speaks http"
"#;

/// Settings as the command line `args` (after `mcp-lint`) and `project_toml` make them.
fn settings(args: &[&str], project_toml: Option<&str>) -> Settings {
    let cli = Cli::try_parse_from(std::iter::once("mcp-lint").chain(args.iter().copied())).expect("arguments parse");
    let project = project_toml.map(|toml| {
        Arc::new(ProjectConfig::parse(Path::new("project/mcp-lint.toml"), toml).expect("mcp-lint.toml parses"))
    });
    Settings::with_project(&cli.options.options(), project, Environment::from_vars([])).expect("settings")
}

fn lint(args: &[&str], project_toml: Option<&str>) -> Harnessed {
    harness::run(CONFIG, "project/.cursor/mcp.json", &settings(args, project_toml))
}

/// (rule, server) of every finding left.
fn left(run: &Harnessed) -> Vec<(&'static str, String)> {
    run.findings()
        .iter()
        .map(|l| (l.finding.rule, l.finding.server.clone().unwrap_or_default()))
        .collect()
}

fn fixed_rules(run: &Harnessed) -> Vec<(&'static str, String)> {
    run.applied()
        .iter()
        .map(|a| (a.rule, a.server.clone().unwrap_or_default()))
        .collect()
}

const FIX: &[&str] = &["--fix", "--unsafe-fixes", "--offline"];

#[test]
fn an_ignored_finding_is_not_fixed_and_its_ignore_is_used() {
    let fixed = lint(FIX, Some(IGNORE_DOCS));
    let text = fixed.fixed().expect("fixed text");
    assert!(
        text.contains("http://docs.example.com/mcp"),
        "the ignored url was rewritten:\n{text}"
    );
    assert!(
        text.contains("https://api.example.com/mcp"),
        "the other url was not fixed:\n{text}"
    );
    let applied = fixed_rules(&fixed);
    assert!(applied.contains(&("insecure-transport", "api".into())), "{applied:?}");
    assert!(!applied.contains(&("insecure-transport", "docs".into())), "{applied:?}");
    assert!(
        !left(&fixed).contains(&("insecure-transport", "docs".into())),
        "an ignored finding is not reported"
    );
    assert_eq!(fixed.outcome.stale_ignores, Vec::<String>::new());

    // The same ignore without --fix: the finding is gone and the ignore is used.
    let checked = lint(&[], Some(IGNORE_DOCS));
    assert!(!left(&checked).contains(&("insecure-transport", "docs".into())));
    assert!(left(&checked).contains(&("insecure-transport", "api".into())));
    assert_eq!(checked.outcome.stale_ignores, Vec::<String>::new());
}

#[test]
fn an_ignore_that_matches_nothing_is_reported_while_fixing_too() {
    let stale = IGNORE_DOCS.replace("\"docs\"", "\"nowhere\"");
    for args in [&[][..], FIX] {
        let outcome = lint(args, Some(&stale)).outcome;
        assert_eq!(outcome.stale_ignores.len(), 1, "{args:?}: {:?}", outcome.stale_ignores);
        assert!(
            outcome.stale_ignores[0].contains("matches no finding"),
            "{:?}",
            outcome.stale_ignores
        );
    }
}

#[test]
fn rules_left_out_are_neither_fixed_nor_counted() {
    for args in [
        &["--fix", "--unsafe-fixes", "--offline", "--ignore", "insecure-transport"][..],
        &["--fix", "--unsafe-fixes", "--offline", "--select", "inline-secret"][..],
    ] {
        let fixed = lint(args, None);
        let text = fixed.fixed().expect("fixed text");
        assert!(text.contains("http://docs.example.com/mcp"), "{args:?}:\n{text}");
        assert!(text.contains("http://api.example.com/mcp"), "{args:?}:\n{text}");
        assert!(
            !fixed.applied().iter().any(|a| a.rule == "insecure-transport"),
            "{args:?}"
        );
        assert!(
            !left(&fixed).iter().any(|(rule, _)| *rule == "insecure-transport"),
            "{args:?}"
        );
    }
    // mcp-lint.toml's `ignore` leaves the rule out the same way.
    let fixed = lint(FIX, Some("ignore = [\"insecure-transport\"]\n"));
    assert!(
        fixed
            .fixed()
            .expect("fixed text")
            .contains("http://api.example.com/mcp")
    );
}

#[test]
fn severity_overrides_hold_while_fixing() {
    // Offline with no cache, the package cannot be pinned: its finding stays, at the project's
    // severity, and below the default fail-on (warning) the run is clean.
    let project = "[severity]\nunpinned-package = \"info\"\n";
    let plain = lint(&["--select", "unpinned-package"], None);
    assert_eq!(plain.outcome.status, Status::Findings, "{:?}", left(&plain));
    for args in [
        &["--select", "unpinned-package"][..],
        &["--select", "unpinned-package", "--fix", "--unsafe-fixes", "--offline"][..],
    ] {
        let run = lint(args, Some(project));
        assert_eq!(left(&run), [("unpinned-package", "github".to_owned())], "{args:?}");
        assert!(
            run.findings()
                .iter()
                .all(|l| l.finding.severity == mcp_lint::finding::Severity::Info),
            "{args:?}"
        );
        assert_eq!(run.outcome.status, Status::Clean, "{args:?}");
    }
}

/// A project on disk: `.git`, `mcp-lint.toml` and `.cursor/mcp.json`.
fn project(toml: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(dir.path().join(".git")).expect("git root");
    fs::create_dir_all(dir.path().join(".cursor")).expect("dirs");
    fs::write(dir.path().join(".cursor/mcp.json"), CONFIG).expect("config");
    fs::write(dir.path().join("mcp-lint.toml"), toml).expect("mcp-lint.toml");
    dir
}

#[test]
fn diff_leaves_out_what_is_ignored() {
    let dir = project(IGNORE_DOCS);
    let mut command = mcp_lint(dir.path());
    command.args(["--diff", "--unsafe-fixes", ".cursor/mcp.json"]);
    let output = run(command);
    assert_eq!(output.code, 1, "a change to show: {}", output.stderr);
    assert!(
        output
            .stdout
            .contains("+    \"api\": { \"url\": \"https://api.example.com/mcp\""),
        "{}",
        output.stdout
    );
    assert!(!output.stdout.contains("https://docs.example.com"), "{}", output.stdout);
    assert!(!output.stderr.contains("matches no finding"), "{}", output.stderr);
    assert_eq!(
        fs::read_to_string(dir.path().join(".cursor/mcp.json")).expect("read"),
        CONFIG
    );

    // --fix writes the same: the ignored url stays, and the file re-lints without its finding.
    let mut command = mcp_lint(dir.path());
    command.args(["--fix", "--unsafe-fixes", ".cursor/mcp.json"]);
    let output = run(command);
    assert!(!output.stderr.contains("matches no finding"), "{}", output.stderr);
    let written = fs::read_to_string(dir.path().join(".cursor/mcp.json")).expect("read");
    assert!(written.contains("http://docs.example.com/mcp"), "{written}");
    assert!(written.contains("https://api.example.com/mcp"), "{written}");
    let mut command = mcp_lint(dir.path());
    command.args(["--format", "json", ".cursor/mcp.json"]);
    let after = run(command);
    let found = reported(&after.stdout);
    assert!(
        !found.iter().any(|(rule, _, _)| rule == "insecure-transport"),
        "{found:?}"
    );
    assert!(!after.stderr.contains("matches no finding"), "{}", after.stderr);
}

#[test]
fn stdin_honours_the_project_suppressions() {
    let dir = project(IGNORE_DOCS);
    let mut command = mcp_lint(dir.path());
    command
        .args(["--stdin-filename", ".cursor/mcp.json", "--fix", "--unsafe-fixes", "-"])
        .write_stdin(CONFIG);
    let output = run(command);
    assert!(
        output.stdout.contains("http://docs.example.com/mcp"),
        "{}",
        output.stdout
    );
    assert!(
        output.stdout.contains("https://api.example.com/mcp"),
        "{}",
        output.stdout
    );
    assert!(!output.stderr.contains("matches no finding"), "{}", output.stderr);
}

#[test]
fn a_suppressed_secret_is_still_masked() {
    // The token is accepted by an ignore, and with `--select` its rule does not even run: the
    // diff and the snippets of other findings still never show it.
    let ignore_secret = format!(
        "{IGNORE_DOCS}\n[[ignores]]\nrule = \"inline-secret\"\nfile = \".cursor/mcp.json\"\nserver = \"github\"\nreason = \"a read-only demo token\"\n"
    );
    for (toml, extra) in [(ignore_secret.as_str(), None), ("", Some("insecure-transport"))] {
        let dir = project(toml);
        for args in [&["--diff", "--unsafe-fixes"][..], &[][..]] {
            let mut command = mcp_lint(dir.path());
            command.args(args);
            if let Some(rule) = extra {
                command.args(["--select", rule]);
            }
            // A finding on the token's line: the dummy server's env is shown in every snippet of
            // `github`, and in the diff's context.
            command.arg(".cursor/mcp.json");
            let output = run(command);
            assert!(
                !output.stdout.contains(TOKEN) && !output.stderr.contains(TOKEN),
                "{args:?} {extra:?}: the token was printed:\n{}\n{}",
                output.stdout,
                output.stderr
            );
        }
    }
}

/// A Cursor config with comments: one directive on the line above a finding, one at the end of
/// a finding's line, one that matches nothing and one that names no rule.
const WITH_DIRECTIVES: &str = r#"{
  "mcpServers": {
    // mcp-lint: ignore[insecure-transport]
    "docs": { "url": "http://docs.example.com/mcp", "headers": { "Authorization": "Bearer ${env:DOCS_TOKEN}" } },
    "api": { "url": "http://api.example.com/mcp", "headers": { "Authorization": "Bearer ${env:API_TOKEN}" } }, // mcp-lint: ignore[insecure-transport, unpinned-package]
    "mirror": { "url": "http://mirror.example.com/mcp", "headers": { "Authorization": "Bearer ${env:MIRROR_TOKEN}" } },
    // mcp-lint: ignore[insecure-transprot]
    "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"] }
  }
}
"#;

#[test]
fn inline_directives_suppress_before_fixing() {
    for args in [&[][..], FIX, &["--diff", "--unsafe-fixes", "--offline"][..]] {
        let run = harness::run(WITH_DIRECTIVES, "project/.cursor/mcp.json", &settings(args, None));
        let transport: Vec<String> = left(&run)
            .into_iter()
            .filter(|(rule, _)| *rule == "insecure-transport")
            .map(|(_, server)| server)
            .collect();
        if args.is_empty() {
            assert_eq!(transport, ["mirror"], "only the unmarked server is reported");
        } else {
            assert!(transport.is_empty(), "{args:?}: {transport:?}");
            let text = run.fixed().expect("fixed text");
            assert!(text.contains("http://docs.example.com"), "{args:?}:\n{text}");
            assert!(text.contains("http://api.example.com"), "{args:?}:\n{text}");
            assert!(text.contains("https://mirror.example.com"), "{args:?}:\n{text}");
            assert!(
                text.contains("// mcp-lint: ignore[insecure-transport]"),
                "directives stay"
            );
        }
        // `unpinned-package` on the api line matches nothing; the misspelt rule is named.
        let stale = &run.outcome.stale_ignores;
        assert_eq!(stale.len(), 2, "{args:?}: {stale:?}");
        assert!(
            stale[0].starts_with("project/.cursor/mcp.json:5: this ignore matches no finding: rule `unpinned-package`"),
            "{stale:?}"
        );
        assert!(
            stale[1].contains(":7: `mcp-lint: ignore[insecure-transprot]` names no rule"),
            "{stale:?}"
        );
    }
    // A directive for a rule that did not run is not called unused.
    let run = harness::run(
        WITH_DIRECTIVES,
        "project/.cursor/mcp.json",
        &settings(&["--select", "insecure-transport"], None),
    );
    assert_eq!(run.outcome.stale_ignores.len(), 1, "{:?}", run.outcome.stale_ignores);
}
