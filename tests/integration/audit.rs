//! `mcp-lint audit` over the fixture deployments (fixtures/deployments/): a hardened one, one like the
//! original audit's target (three yellow edges), a bad one, and rendered manifests; each format
//! snapshotted from the real binary, the exit codes, the JSON contract, the rubric document,
//! and that nothing but the report is ever written.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::common::{fixtures, mcp_lint, root, run};

const DEPLOYMENTS: [&str; 5] = ["hardened", "caveats", "bad", "rendered", "reference"];

/// The report's date is fixed (`SOURCE_DATE_EPOCH`, 2026-12-07) and the commit of this
/// repository, which changes with every commit, is cut from what the tests compare.
fn audit(args: &[&str]) -> crate::common::Run {
    let mut command = mcp_lint(&fixtures());
    command.arg("audit").args(args).env("SOURCE_DATE_EPOCH", "1796601600");
    let mut outcome = run(command);
    assert!(!outcome.stderr.contains("panicked"), "{}", outcome.stderr);
    let commit = regex::Regex::new(r#"( at commit `[0-9a-f]{12}`| at commit <code>[0-9a-f]{12}</code>| at [0-9a-f]{12}|,\n  *"commit": "[0-9a-f]{12}")"#)
        .expect("pattern");
    outcome.stdout = commit.replace_all(&outcome.stdout, "").into_owned();
    outcome
}

fn json_report(deployment: &str) -> Value {
    let outcome = audit(&["--format", "json", &format!("deployments/{deployment}")]);
    serde_json::from_str(&outcome.stdout).unwrap_or_else(|e| panic!("{deployment}: {e}\n{}", outcome.stdout))
}

/// Every format of every fixture deployment, from the binary.
#[test]
fn audit_snapshots() {
    for deployment in DEPLOYMENTS {
        let path = format!("deployments/{deployment}");
        for (format, name) in [("human", "terminal"), ("markdown", "markdown"), ("json", "json")] {
            let outcome = audit(&["--format", format, &path]);
            insta::assert_snapshot!(format!("audit__{deployment}__{name}"), outcome.transcript());
        }
    }
}

/// The verdicts and statuses the fixtures were written to show, and exit 1 only with a red.
#[test]
fn verdicts_and_exit_codes() {
    let statuses = |report: &Value| -> BTreeMap<String, String> {
        report["dimensions"]
            .as_array()
            .expect("dimensions")
            .iter()
            .map(|d| {
                (
                    d["id"].as_str().expect("id").to_owned(),
                    d["status"].as_str().expect("status").to_owned(),
                )
            })
            .collect()
    };
    let hardened = json_report("hardened");
    assert_eq!(hardened["verdict"], "production-ready");
    assert!(
        statuses(&hardened).values().all(|s| s == "pass"),
        "{:?}",
        statuses(&hardened)
    );

    // The original audit's target: green but for the three edges it named.
    let caveats = json_report("caveats");
    assert_eq!(caveats["verdict"], "production-ready-with-caveats");
    let yellow: Vec<String> = statuses(&caveats)
        .into_iter()
        .filter(|(_, s)| s == "partial")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(yellow, ["fail-closed", "governance", "onboarding"]);
    assert_eq!(caveats["counts"]["red"], 0);

    // Status apart from severity: red only where a control is absent or fails open (requests
    // admitted when the database is down, secrets in the file); floating packages and a single
    // replica are gaps in controls that exist, partial however severe.
    let bad = json_report("bad");
    assert_eq!(bad["verdict"], "not-ready");
    // Each dimension's worst severity, `null` for none.
    let severities = |report: &Value| -> BTreeMap<String, String> {
        report["dimensions"]
            .as_array()
            .expect("dimensions")
            .iter()
            .map(|d| {
                let severity = d["severity"].as_str().unwrap_or("null").to_owned();
                (d["id"].as_str().expect("id").to_owned(), severity)
            })
            .collect()
    };
    for (dimension, status, severity) in [
        ("fail-closed", "absent", "high"),
        ("secrets", "absent", "high"),
        ("onboarding", "partial", "high"),
        ("production", "partial", "high"),
        ("governance", "partial", "medium"),
    ] {
        assert_eq!(statuses(&bad)[dimension], status, "{dimension}");
        assert_eq!(severities(&bad)[dimension], severity, "{dimension}");
    }
    for deployment in DEPLOYMENTS {
        let legend = &json_report(deployment)["legend"];
        assert_eq!(legend.as_array().map(Vec::len), Some(4), "{deployment}: the legend");
    }

    // Written to match the reference audit's LiteLLM gateway: its verdict, its three partial
    // dimensions and the severities it gives them, apart from the differences docs/audit.md
    // justifies ("The reference deployment").
    let reference = json_report("reference");
    assert_eq!(reference["verdict"], "production-ready-with-caveats");
    for (dimension, status, worst) in [
        ("governance", "partial", "high"),
        ("fail-closed", "partial", "critical"),
        ("onboarding", "partial", "high"),
        ("observability", "pass", "null"),
        ("routing", "pass", "low"),
        ("secrets", "pass", "low"),
        ("production", "pass", "low"),
    ] {
        assert_eq!(statuses(&reference)[dimension], status, "{dimension}");
        assert_eq!(severities(&reference)[dimension], worst, "{dimension}");
    }

    assert_eq!(audit(&["deployments/hardened"]).code, 0);
    assert_eq!(audit(&["deployments/caveats"]).code, 0);
    assert_eq!(audit(&["deployments/bad"]).code, 1);
    assert_eq!(audit(&["deployments/no-such-deployment"]).code, 2);
}

/// The JSON contract of docs/audit.md: every field, every finding cited at a file and line that
/// exist, and no secret of the files in any format.
#[test]
fn json_contract_and_evidence() {
    for deployment in DEPLOYMENTS {
        let report = json_report(deployment);
        assert_eq!(report["version"], 1);
        for key in [
            "header",
            "summary",
            "limitations",
            "legend",
            "verdict",
            "verdict_text",
            "counts",
            "dimensions",
            "moves",
            "risks",
            "roadmap",
            "inventory",
            "inputs",
        ] {
            assert!(report.get(key).is_some(), "{deployment}: no `{key}`");
        }
        assert_eq!(report["header"]["date"], "2026-12-07", "SOURCE_DATE_EPOCH's day");
        assert_eq!(report["header"]["mcp_lint_version"], env!("CARGO_PKG_VERSION"));
        for phase in report["roadmap"].as_array().expect("roadmap") {
            assert!(
                phase["outcome"].as_str().is_some_and(|o| !o.is_empty()),
                "{deployment}: a phase without an outcome"
            );
        }
        let dimensions = report["dimensions"].as_array().expect("dimensions");
        assert_eq!(dimensions.len(), 7);
        for dimension in dimensions {
            for key in ["id", "title", "status", "severity", "summary", "findings"] {
                assert!(
                    dimension.get(key).is_some(),
                    "{deployment}: a dimension without `{key}`"
                );
            }
            assert!(
                ["pass", "partial", "absent", "not-assessed"].contains(&dimension["status"].as_str().expect("status"))
            );
            for finding in dimension["findings"].as_array().expect("findings") {
                for key in ["severity", "message", "file", "line"] {
                    assert!(finding.get(key).is_some(), "{deployment}: a finding without `{key}`");
                }
                if let (Some(file), Some(line)) = (finding["file"].as_str(), finding["line"].as_u64()) {
                    let text = fs::read_to_string(fixtures().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
                    assert!(
                        line >= 1 && line as usize <= text.lines().count(),
                        "{file}:{line} is past the end"
                    );
                }
            }
        }
        // Every roadmap item traces to findings, and every finding is on the roadmap.
        let on_roadmap: Vec<&str> = report["roadmap"]
            .as_array()
            .expect("roadmap")
            .iter()
            .flat_map(|phase| phase["items"].as_array().expect("items"))
            .flat_map(|item| item["findings"].as_array().expect("findings"))
            .filter_map(Value::as_str)
            .collect();
        for dimension in dimensions {
            for finding in dimension["findings"].as_array().expect("findings") {
                let id = finding["id"].as_str().expect("id");
                assert!(
                    on_roadmap.contains(&id),
                    "{deployment}: finding {id} is on no roadmap item"
                );
            }
        }
    }
    // The bad deployment's literal master key and env secret are nowhere in any format.
    for format in ["human", "markdown", "html", "json"] {
        let outcome = audit(&["--format", format, "deployments/bad"]);
        for secret in ["8f2Kq7Zr2Wx9Lm4Tp8Vb3Nc6", "Qm7Vb3Nc6Hy1Fd5Gs0JaKq7Zr2"] {
            assert!(!outcome.stdout.contains(secret), "{format} printed a secret");
        }
    }
}

/// Findings cite the lines they are about, in plain files and inside a ConfigMap's block.
#[test]
fn evidence_lines_point_at_the_setting() {
    let line_of = |deployment: &str, needle: &str| -> (String, u64) {
        let report = json_report(deployment);
        let finding = report["dimensions"]
            .as_array()
            .expect("dimensions")
            .iter()
            .flat_map(|d| d["findings"].as_array().expect("findings").clone())
            .find(|f| f["message"].as_str().is_some_and(|m| m.contains(needle)))
            .unwrap_or_else(|| panic!("{deployment}: no finding about {needle}"));
        (
            finding["file"].as_str().expect("file").to_owned(),
            finding["line"].as_u64().expect("line"),
        )
    };
    let text_line = |file: &str, line: u64| {
        fs::read_to_string(fixtures().join(file))
            .expect("read")
            .lines()
            .nth(line as usize - 1)
            .expect("line")
            .to_owned()
    };
    let (file, line) = line_of("bad", "allow_requests_on_db_unavailable");
    assert!(
        text_line(&file, line).contains("allow_requests_on_db_unavailable: true"),
        "{file}:{line}"
    );
    let (file, line) = line_of("bad", "runs one replica");
    assert!(text_line(&file, line).contains("replicas: 1"), "{file}:{line}");
    let (file, line) = line_of("rendered", "require_key_mcp_access_defined");
    assert!(text_line(&file, line).contains("general_settings:"), "{file}:{line}");
    let (file, line) = line_of("caveats", "only logs");
    assert!(
        text_line(&file, line).contains("guardrail_name: mcp-audit-log"),
        "{file}:{line}"
    );
    // The reference deployment's findings, each at the line that shows it.
    for (needle, shown) in [
        ("LiteLLM 1.106.2 answers an error", "tag: \"v1.106.2@"),
        ("server `jira` (ticketing) writes", "jira:"),
        ("server `fetch` brings the open web", "fetch:"),
        ("every caller acts as one identity", "jira:"),
        ("`mcp-atlassian` runs without a version", "mcp-atlassian"),
    ] {
        let (file, line) = line_of("reference", needle);
        assert!(text_line(&file, line).contains(shown), "{needle}: {file}:{line}");
    }
    // Every finding and control of every deployment cites a line its file has, and not a blank
    // one.
    for deployment in DEPLOYMENTS {
        let report = json_report(deployment);
        for dimension in report["dimensions"].as_array().expect("dimensions") {
            let cited = dimension["findings"]
                .as_array()
                .into_iter()
                .chain(dimension["controls"].as_array())
                .flatten();
            for item in cited {
                let (Some(file), Some(line)) = (item["file"].as_str(), item["line"].as_u64()) else {
                    continue;
                };
                let text = fs::read_to_string(fixtures().join(file)).expect("read");
                let cited = text.lines().nth(line as usize - 1);
                assert!(
                    cited.is_some_and(|l| !l.trim().is_empty()),
                    "{deployment}: {file}:{line} ({})",
                    item["message"]
                );
            }
        }
    }
}

/// docs/audit.md has a line for every check, with what it looks at.
#[test]
fn the_rubric_documents_every_check() {
    let rubric = fs::read_to_string(root().join("docs/audit.md")).expect("docs/audit.md");
    for check in mcp_lint::audit::dimensions::CHECKS {
        let row = rubric
            .lines()
            .find(|line| line.starts_with(&format!("| `{}` |", check.id)))
            .unwrap_or_else(|| panic!("docs/audit.md has no row for {}", check.id));
        assert!(row.contains(&check.looks_at.replace('|', "\\|")), "{row}");
        assert!(
            row.contains(&format!("{} x {}", check.likelihood, check.impact)),
            "{row}"
        );
        let kind = match check.kind {
            mcp_lint::audit::GapKind::FailsOpen => "| fails open |",
            mcp_lint::audit::GapKind::Partial => "| partial |",
        };
        assert!(row.ends_with(kind), "{row}: its kind");
    }
}

/// Client configs alone: the gateway dimensions are not assessed, and say what they need.
#[test]
fn what_the_files_cannot_show_is_not_assessed() {
    let outcome = audit(&["--format", "json", "missing-tool-allowlist/cursor"]);
    let report: Value = serde_json::from_str(&outcome.stdout).expect("JSON");
    let dimensions = report["dimensions"].as_array().expect("dimensions");
    for id in ["fail-closed", "observability", "routing", "production"] {
        let dimension = dimensions.iter().find(|d| d["id"] == id).expect("dimension");
        assert_eq!(dimension["status"], "not-assessed", "{id}");
        assert!(
            dimension["summary"]
                .as_str()
                .is_some_and(|s| s.starts_with("Not assessed: ")),
            "{dimension}"
        );
    }
}

/// The files of `dir` and their contents.
fn snapshot_of(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    crate::common::files_under(dir)
        .into_iter()
        .map(|path| (path.display().to_string(), fs::read(&path).expect("read")))
        .collect()
}

/// `audit` writes nothing but the report it is told to write.
#[test]
fn audit_writes_only_its_report() {
    let work = tempfile::tempdir().expect("tempdir");
    for file in crate::common::files_under(&fixtures().join("deployments/bad")) {
        let target = work
            .path()
            .join(file.strip_prefix(fixtures().join("deployments/bad")).expect("prefix"));
        fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        fs::copy(&file, target).expect("copy");
    }
    let before = snapshot_of(work.path());
    let mut command = mcp_lint(work.path());
    command.args(["audit", "."]);
    assert_eq!(run(command).code, 1);
    assert_eq!(snapshot_of(work.path()), before, "a plain audit wrote a file");

    let report = tempfile::tempdir().expect("tempdir");
    let out = report.path().join("report.html");
    let mut command = mcp_lint(work.path());
    command.args(["audit", "--format", "html", "-o"]).arg(&out).arg(".");
    let outcome = run(command);
    assert_eq!(outcome.code, 1, "{}", outcome.stderr);
    assert!(outcome.stdout.is_empty(), "the report went to the file, not stdout");
    let html = fs::read_to_string(&out).expect("the report");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Not production-ready"));
    assert_eq!(snapshot_of(work.path()), before, "-o wrote beside the deployment");
}

/// The HTML report is one self-contained page: no script, nothing loaded from elsewhere.
#[test]
fn html_is_self_contained() {
    for deployment in DEPLOYMENTS {
        let html = audit(&["--format", "html", &format!("deployments/{deployment}")]).stdout;
        assert!(html.starts_with("<!DOCTYPE html>"), "{deployment}");
        for forbidden in ["<script", "<link", "src=", "@import", "url("] {
            assert!(!html.contains(forbidden), "{deployment}: `{forbidden}` in the page");
        }
        assert!(html.contains("<style>") && html.contains("@media print"));
    }
}

/// `--format sarif` and `--format github` belong to `check`; markdown and html to `audit`.
#[test]
fn formats_belong_to_their_command() {
    assert_eq!(audit(&["--format", "sarif", "deployments/bad"]).code, 2);
    let mut check = mcp_lint(&fixtures());
    check.args(["check", "--format", "markdown", "examples"]);
    let outcome = run(check);
    assert_eq!(outcome.code, 2);
    assert!(
        outcome.stderr.contains("report formats of `mcp-lint audit`"),
        "{}",
        outcome.stderr
    );
}

/// The HTML report rendered by a real headless Chromium (`MCP_LINT_CHROMIUM`; `.ci/run` installs
/// Debian's `chromium`): the screenshot has the window's size and is not blank (many colours,
/// the verdict's red among them, and a good share of non-white pixels). With
/// `MCP_LINT_BLESS=1` it also refreshes `docs/audit-report.png`, the README's picture.
#[test]
#[ignore = "needs MCP_LINT_CHROMIUM (a headless Chromium)"]
fn html_renders_in_chromium() {
    let chromium = crate::common::required_env("MCP_LINT_CHROMIUM", "a chromium executable");
    let work = tempfile::tempdir().expect("tempdir");
    let page = work.path().join("report.html");
    let html = audit(&["--format", "html", "deployments/bad"]).stdout;
    fs::write(&page, html).expect("write");
    let (width, height) = (1200, 2000);
    let shot = work.path().join("report.png");
    let output = std::process::Command::new(&chromium)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-extensions",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", work.path().join("profile").display()))
        .arg(format!("--window-size={width},{height}"))
        .arg(format!("--screenshot={}", shot.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        shot.exists(),
        "no screenshot: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let decoder = png::Decoder::new(fs::File::open(&shot).expect("the screenshot"));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).expect("a frame");
    assert_eq!((frame.width, frame.height), (width, height));
    let channels = frame.color_type.samples();
    let mut colours = std::collections::HashSet::new();
    let (mut ink, mut red) = (0usize, 0usize);
    for pixel in pixels[..frame.buffer_size()].chunks(channels) {
        let (r, g, b) = (pixel[0], pixel[1], pixel[2]);
        colours.insert((r, g, b));
        if (r, g, b) != (255, 255, 255) {
            ink += 1;
        }
        // The verdict's and the red statuses' colour (#cf222e), anti-aliasing allowed.
        if r > 170 && g < 90 && b < 90 {
            red += 1;
        }
    }
    let total = (width * height) as usize;
    assert!(colours.len() > 50, "only {} colours: a blank page", colours.len());
    assert!(ink * 100 > total * 3, "only {ink} of {total} pixels are not white");
    assert!(red > 200, "the red statuses are not on the page ({red} red pixels)");
    if std::env::var_os("MCP_LINT_BLESS").is_some() {
        fs::copy(&shot, root().join("docs/audit-report.png")).expect("bless the README's picture");
    }
}

/// The rendering defects a reviewer found, absent from every format of every fixture: raw
/// backticks in HTML, entities inside Markdown code spans, "1 servers", nested parentheses
/// around a redacted value, a compose gateway called a client config.
#[test]
fn reports_render_without_the_known_defects() {
    for deployment in DEPLOYMENTS {
        let path = format!("deployments/{deployment}");
        let html = audit(&["--format", "html", &path]).stdout;
        let markdown = audit(&["--format", "markdown", &path]).stdout;
        let human = audit(&[&path]).stdout;
        let body = html.split("<body>").nth(1).unwrap_or(&html);
        assert!(!body.contains('`'), "{deployment}: a raw backtick in the HTML");
        for span in markdown.split('`').skip(1).step_by(2) {
            assert!(
                !span.contains("&lt;") && !span.contains("&gt;"),
                "{deployment}: `{span}`"
            );
        }
        for text in [&html, &markdown, &human] {
            assert!(!text.contains(" 1 servers"), "{deployment}: 1 servers");
            assert!(!text.contains("chars))"), "{deployment}: nested parentheses");
            assert!(
                !text.contains("compose.yaml` (client config)"),
                "{deployment}: compose as a client"
            );
        }
    }
}

/// The chart's values without a `proxy_config` are read for what they hold (replicas, PDB, the
/// image pin), and the gateway dimensions say which file they need; a staged rollout in the
/// manifests is a control in place, its absence a gap.
#[test]
fn chart_values_alone_and_staged_rollouts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let chart = dir.path().join("chart");
    fs::create_dir_all(&chart).expect("dir");
    fs::write(
        chart.join("values.yaml"),
        "replicaCount: 3\nimage:\n  repository: ghcr.io/berriai/litellm-database\n  tag: \"v1.106.2@sha256:4f2a9c7e1b3d5f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d0f1a3c5e7b9d1f3a\"\npdb:\n  enabled: true\n  minAvailable: 2\nresources:\n  requests: { cpu: \"1\", memory: 2Gi }\n",
    )
    .expect("values");
    let report = |path: &Path| -> Value {
        let mut command = mcp_lint(path);
        command.args(["audit", "--format", "json", "."]);
        serde_json::from_str(&run(command).stdout).expect("JSON")
    };
    let alone = report(&chart);
    let dimension = |report: &Value, id: &str| -> Value {
        report["dimensions"]
            .as_array()
            .expect("dimensions")
            .iter()
            .find(|d| d["id"] == id)
            .cloned()
            .expect("dimension")
    };
    let production = dimension(&alone, "production");
    assert_eq!(production["status"], "pass", "{production}");
    assert_eq!(production["controls"].as_array().map(Vec::len), Some(4), "{production}");
    let fail_closed = dimension(&alone, "fail-closed");
    assert_eq!(fail_closed["status"], "not-assessed");
    assert!(
        fail_closed["summary"]
            .as_str()
            .is_some_and(|s| s.contains("no `proxy_config`")),
        "{fail_closed}"
    );

    let manifests = dir.path().join("manifests");
    fs::create_dir_all(&manifests).expect("dir");
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: gateway\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: litellm\n          image: ghcr.io/berriai/litellm:v1.106.2@sha256:4f2a9c7e1b3d5f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d0f1a3c5e7b9d1f3a\n";
    fs::write(manifests.join("deployment.yaml"), deployment).expect("manifest");
    let rollout = |report: &Value| -> Vec<Value> {
        let production = dimension(report, "production");
        let mut found: Vec<Value> = production["findings"].as_array().cloned().unwrap_or_default();
        found.extend(production["controls"].as_array().cloned().unwrap_or_default());
        found
            .into_iter()
            .filter(|f| f["check"] == "production.rollout")
            .collect()
    };
    let unstaged = rollout(&report(&manifests));
    assert_eq!(unstaged.len(), 1);
    assert_eq!(unstaged[0]["severity"], "medium", "{unstaged:?}");
    fs::write(
        manifests.join("canary.yaml"),
        "apiVersion: flagger.app/v1beta1\nkind: Canary\nmetadata:\n  name: gateway\nspec:\n  targetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: gateway\n",
    )
    .expect("canary");
    let staged = rollout(&report(&manifests));
    assert_eq!(staged.len(), 1);
    assert!(staged[0].get("severity").is_none(), "in place: {staged:?}");
}

/// Claude Code's managed settings as the organisation's server allowlist: in place when only
/// they decide (`allowManagedMcpServersOnly`), a gap when users' settings may add to them, and
/// named as what the files cannot show when a deployment of Claude Code configs has none.
#[test]
fn managed_settings_are_the_organisations_server_allowlist() {
    let governance = |dir: &Path| -> Value {
        let mut command = mcp_lint(dir);
        command.args(["audit", "--format", "json", "."]);
        let outcome = run(command);
        let report: Value = serde_json::from_str(&outcome.stdout).unwrap_or_else(|e| panic!("{e}\n{}", outcome.stdout));
        report["dimensions"][0].clone()
    };
    let checks = |list: &Value| -> Vec<String> {
        list.as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| item["check"].as_str().map(str::to_owned))
            .collect()
    };
    let work = tempfile::tempdir().expect("tempdir");
    let fixture = fixtures().join("managed-settings");
    let managed = fs::read_to_string(fixture.join("etc/claude-code/managed-settings.json")).expect("fixture");
    fs::create_dir_all(work.path().join("etc/claude-code")).expect("mkdir");
    fs::copy(fixture.join("project/.mcp.json"), work.path().join(".mcp.json")).expect("copy");
    let settings = work.path().join("etc/claude-code/managed-settings.json");

    fs::write(&settings, &managed).expect("write");
    let dimension = governance(work.path());
    assert!(
        checks(&dimension["controls"]).contains(&"governance.server-allowlist".to_owned()),
        "{dimension:#}"
    );

    fs::write(&settings, managed.replace("\"allowManagedMcpServersOnly\": true,", "")).expect("write");
    let dimension = governance(work.path());
    assert!(
        checks(&dimension["findings"]).contains(&"governance.server-allowlist".to_owned()),
        "{dimension:#}"
    );
    assert!(!checks(&dimension["controls"]).contains(&"governance.server-allowlist".to_owned()));

    fs::remove_file(&settings).expect("remove");
    let dimension = governance(work.path());
    assert!(!checks(&dimension["findings"]).contains(&"governance.server-allowlist".to_owned()));
    assert!(
        dimension.to_string().contains("/etc/claude-code/managed-settings.json"),
        "{dimension:#}"
    );
}

/// A gateway that is not LiteLLM is audited by what the rules find of its fail-open defaults:
/// agentgateway's optional authentication and empty `mcpAuthorization` land in the fail-closed
/// dimension (assessed, not "not assessed"), its missing allow rules in governance.
#[test]
fn agentgateway_policies_are_audited() {
    let report = audit_of("agentgateway/policies");
    let checks = |index: usize| finding_checks(&report, index);
    assert_ne!(
        report["dimensions"][1]["status"], "not-assessed",
        "{:#}",
        report["dimensions"][1]
    );
    let fail_closed = checks(1);
    assert_eq!(
        fail_closed
            .iter()
            .filter(|c| *c == "fail-closed.caller-authentication")
            .count(),
        2,
        "{fail_closed:?}"
    );
    assert!(
        fail_closed.contains(&"fail-closed.empty-rules".to_owned()),
        "{fail_closed:?}"
    );
    assert!(
        checks(0).contains(&"governance.tool-allowlist".to_owned()),
        "{:?}",
        checks(0)
    );
}

/// The audit shows a deployment's toxic flows: one that exposure by default gives (no server of
/// it limits its tools) under fail-closed, one that survives the allowlists under governance.
#[test]
fn toxic_flows_are_audited() {
    let checks_of = |dir: &str, index: usize| finding_checks(&audit_of(dir), index);
    assert!(
        checks_of("toxic-flow/trifecta", 1).contains(&"fail-closed.flows-by-default".to_owned()),
        "{:?}",
        checks_of("toxic-flow/trifecta", 1)
    );
    assert!(
        checks_of("toxic-flow/allowlists-leave-a-sink", 0).contains(&"governance.toxic-flows".to_owned()),
        "{:?}",
        checks_of("toxic-flow/allowlists-leave-a-sink", 0)
    );
}

/// The JSON audit of a fixtures folder.
fn audit_of(dir: &str) -> Value {
    let outcome = audit(&["--format", "json", dir]);
    serde_json::from_str(&outcome.stdout).unwrap_or_else(|e| panic!("{e}\n{}", outcome.stdout))
}

/// The checks of the findings of dimension `index` of an audit report.
fn finding_checks(report: &Value, index: usize) -> Vec<String> {
    report["dimensions"][index]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|finding| finding["check"].as_str().map(str::to_owned))
        .collect()
}

/// An agentgateway listener that serves MCP: in place where it terminates TLS itself, a low gap
/// (safe only behind a TLS-terminating proxy) where it serves plain HTTP, and insecure targets
/// land in the secrets dimension's transport check.
#[test]
fn agentgateway_listeners_and_targets_are_audited() {
    let transport = audit_of("agentgateway/transport");
    let secrets = &transport["dimensions"][5];
    let in_place: Vec<&str> = secrets["controls"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|control| control["check"].as_str())
        .collect();
    assert!(in_place.contains(&"secrets.listener-tls"), "{secrets:#}");
    let checks = finding_checks(&transport, 5);
    assert!(!checks.contains(&"secrets.listener-tls".to_owned()), "{checks:?}");
    assert!(checks.contains(&"secrets.transport".to_owned()), "{checks:?}");
    let plain = audit_of("agentgateway/binds");
    let checks = finding_checks(&plain, 5);
    assert!(checks.contains(&"secrets.listener-tls".to_owned()), "{checks:?}");
}
