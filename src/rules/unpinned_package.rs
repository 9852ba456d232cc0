//! `unpinned-package`: a runner (npx, uvx, pipx, ...) fetches a package without an exact version.

use crate::finding::{Finding, Severity};
use crate::fix::{Applicability, Edit, Fix, pin};
use crate::model::facts::Release;
use crate::model::{Ecosystem, McpConfig, PackageRef, Server, VersionSpec};

use super::{FixAvailability, LintContext, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags servers started by a package runner (`npx`, `bunx`, `pnpm dlx`, `yarn dlx`, `uvx`,
    /// `uv tool run`, `pipx run`, `deno run npm:`/`jsr:`) whose package has no exact version: no
    /// version at all, a tag such as `@latest`, a range such as `@^1.2` or `>=1`, or a git/URL spec
    /// without a full commit id. Wrappers (`cmd /c`, `bash -c "..."`) are looked through.
    ///
    /// ## Why is this bad?
    /// The runner resolves the name again on every launch, so whatever is published next runs on
    /// the next start with the user's credentials: one compromised maintainer account or typo-squat
    /// away from a supply-chain incident (OWASP LLM03). `npx` also prefers any copy of the package in
    /// a local `node_modules`, silently.
    ///
    /// ## Example
    /// ```json
    /// { "mcpServers": { "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"] } } }
    /// ```
    /// Use instead:
    /// ```json
    /// { "mcpServers": { "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github@2025.4.8"] } } }
    /// ```
    ///
    /// ## Fix
    /// Pin the exact version in the runner's own syntax: `pkg@1.2.3` (npm runners, uvx),
    /// `pkg==1.2.3` (uvx, pipx), `--from 'pkg==1.2.3'`, `npm:pkg@1.2.3` (deno); everything else in
    /// the arguments stays byte-identical. The version is the newest that is not a prerelease, not
    /// deprecated or yanked, satisfies the range written (if any) and is older than
    /// `--min-release-age` (7 days by default); every artifact is downloaded and its digest checked
    /// against the registry's before it is offered, and recorded in `mcp-lint.lock`. The fix needs
    /// the registries (`--fix --unsafe-fixes`, not `--offline` unless the cache has the answers) and
    /// picks a new version, so it is unsafe.
    ///
    /// ## References
    /// - OWASP Top 10 for LLM Applications 2025, LLM03 Supply Chain
    /// - npm `npx` documentation: "without a version specifier npx matches whatever exists locally"
    /// - uv tool documentation: "Requesting specific versions"
    pub struct UnpinnedPackage {
        id: "unpinned-package",
        summary: "A package runner fetches a server without an exact version",
        severity: Severity::Error,
        fix: FixAvailability::Sometimes,
    }
}

impl Rule for UnpinnedPackage {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_in(&self, config: &McpConfig, context: &LintContext, findings: &mut Vec<Finding>) {
        if config.dialect == crate::dialect::Dialect::ServerJson {
            return published_without_version(config, findings);
        }
        for server in &config.servers {
            check_server(server, context, findings);
        }
    }
}

/// A server.json package of a versioned registry (npm, PyPI, NuGet) with no `version`: the
/// registry takes it, and every client that installs it gets whatever is newest then.
fn published_without_version(config: &McpConfig, findings: &mut Vec<Finding>) {
    let packages = config.document.get("packages").and_then(serde_json::Value::as_array);
    for (index, package) in packages.into_iter().flatten().enumerate() {
        let text = |key: &str| package.get(key).and_then(serde_json::Value::as_str);
        let versioned = matches!(text("registryType"), Some("npm" | "pypi" | "nuget"));
        let Some(identifier) = text("identifier").filter(|_| versioned && package.get("version").is_none()) else {
            continue;
        };
        let route = crate::dialect::Route::root().key("packages").index(index);
        findings.push(
            Finding::new(
                UnpinnedPackage::INFO.id,
                UnpinnedPackage::INFO.default_severity,
                format!("`{identifier}` is published without a version: every client that installs it takes whatever is newest"),
                &route.key("identifier"),
            )
            .server(identifier, &route)
            .label("no version")
            .help("add `\"version\"`: the exact release this server.json describes"),
        );
    }
}

/// `npx ts-node src/index.ts`: a TypeScript runner started on the project's own source. npx
/// takes it from the project's `node_modules` (pinned by the project's lockfile) before it would
/// fetch anything, so there is nothing here to pin.
fn runs_project_script(package: &PackageRef) -> bool {
    const SCRIPT_RUNNERS: [&str; 5] = ["ts-node", "tsx", "vite-node", "esno", "jiti"];
    package.ecosystem == Ecosystem::Npm
        && package.spec == VersionSpec::None
        && SCRIPT_RUNNERS.contains(&package.name.as_str())
}

/// `npx -c "<shell>"` / `npm exec --call "<shell>"` runs a shell string: whatever packages it
/// names are fetched by range or at their newest, and no pin can be written for them.
fn shell_call(server: &Server, launch: &crate::model::launcher::Launch, findings: &mut Vec<Finding>) {
    if launch.launcher != crate::model::launcher::Launcher::Npx {
        return;
    }
    let Some(stdio) = server.stdio() else {
        return;
    };
    let Some(at) = stdio
        .args
        .iter()
        .position(|a| matches!(a.value.as_str(), "-c" | "--call"))
    else {
        return;
    };
    let Some(script) = stdio.args.get(at + 1) else {
        return;
    };
    findings.push(
        Finding::new(
            UnpinnedPackage::INFO.id,
            UnpinnedPackage::INFO.default_severity,
            format!(
                "`{} {}` runs a shell string, not a pinned package: what it fetches cannot be pinned or verified",
                stdio.command.value, stdio.args[at].value
            ),
            &script.route,
        )
        .server(&server.name, &server.route)
        .label("shell string")
        .help("run the package itself (`npx -y <package>@<version>`) instead of a shell string"),
    );
}

fn check_server(server: &Server, context: &LintContext, findings: &mut Vec<Finding>) {
    let Some(launch) = &server.launch else {
        return;
    };
    let Some(package) = &launch.package else {
        shell_call(server, launch, findings);
        return;
    };
    if package.ecosystem == Ecosystem::Oci || package.spec.is_pinned() || runs_project_script(package) {
        return;
    }
    let Some(route) = server.arg_route(package.position) else {
        return;
    };
    let name = &package.name;
    let (message, label) = match &package.spec {
        VersionSpec::None => (
            format!("`{name}` runs without a version: every launch takes whatever is newest"),
            "no version".to_owned(),
        ),
        VersionSpec::Tag(tag) => (
            format!("`{name}@{tag}` follows a movable tag"),
            format!("floating tag `{tag}`"),
        ),
        VersionSpec::Range(range) => (
            format!("`{name}` is constrained to the range `{range}`, not one version"),
            format!("version range `{range}`"),
        ),
        VersionSpec::Git { commit: None, .. } => (
            format!("`{name}` comes from a git ref without a commit id"),
            "git ref without a commit".to_owned(),
        ),
        VersionSpec::Url(url) => (
            format!("`{url}` is fetched from a URL with no digest to check"),
            "unverified URL".to_owned(),
        ),
        _ => return,
    };
    let mut finding = Finding::new(
        UnpinnedPackage::INFO.id,
        UnpinnedPackage::INFO.default_severity,
        message,
        route,
    )
    .server(&server.name, &server.route)
    .subfeature(package.text.clone())
    .label(label)
    .help(match &package.spec {
        // A git or URL source has no registry version: its pin is a commit or a digest.
        VersionSpec::Git { .. } if package.ecosystem == Ecosystem::Npm => {
            "pin the commit: end the git URL with `#<full commit sha>`".to_owned()
        }
        VersionSpec::Git { .. } => "pin the commit: end the git URL with `@<full commit sha>`".to_owned(),
        VersionSpec::Url(_) => "use a registry release, or a URL with a hash the runner checks".to_owned(),
        _ => format!(
            "pin an exact version in {}'s syntax (e.g. {})",
            launch.launcher.name(),
            pinned_example(package.ecosystem, name)
        ),
    });
    if !matches!(package.spec, VersionSpec::Git { .. } | VersionSpec::Url(_)) {
        finding = finding.command("`mcp-lint --fix --unsafe-fixes` or `mcp-lint pin` do it");
    }
    match context.registry.and_then(|view| view.pin(package)) {
        Some(Ok(pick)) => {
            let pinned = pin::pinned_text(launch.launcher, package, &pick.release.version);
            let mut title = format!(
                "Pin `{}` to {} (verified {})",
                package.text,
                pick.release.version,
                digests_summary(&pick.release)
            );
            if !pick.skipped.is_empty() {
                title.push_str(&format!("; newer versions passed over: {}", pick.skipped.join(", ")));
            }
            finding = finding.fix(Fix::new(
                title,
                Applicability::Unsafe,
                vec![Edit::ReplaceInString {
                    route: route.clone(),
                    find: package.text.clone(),
                    replace: pinned,
                }],
            ));
        }
        Some(Err(error)) => finding = finding.note(format!("cannot pin: {error}")),
        None => {}
    }
    findings.push(finding);
}

fn digests_summary(release: &Release) -> String {
    match release.artifacts.as_slice() {
        [one] => one.digest.chars().take(23).collect::<String>() + "...",
        many => format!("{} files", many.len()),
    }
}

fn pinned_example(ecosystem: Ecosystem, name: &str) -> String {
    match ecosystem {
        Ecosystem::PyPi => format!("`{name}==1.2.3`"),
        _ => format!("`{name}@1.2.3`"),
    }
}
