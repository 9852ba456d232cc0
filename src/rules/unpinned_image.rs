//! `unpinned-image`: a container runner starts an image that is not pinned by digest.

use crate::finding::{Finding, Severity};
use crate::fix::{Applicability, Edit, Fix, pin};
use crate::model::{Ecosystem, McpConfig, Server, VersionSpec};

use super::{FixAvailability, LintContext, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags servers started with `docker run` or `podman run` whose image has no `@sha256:`
    /// digest: a bare name (which means `:latest`) or a tag.
    ///
    /// ## Why is this bad?
    /// Tags move. Whoever can push to the repository (or the registry in between) decides what runs
    /// next, with the environment and volumes the config hands to the container. Only a digest names
    /// one immutable image.
    ///
    /// ## Example
    /// ```json
    /// { "mcpServers": { "github": { "command": "docker", "args": ["run", "-i", "--rm", "ghcr.io/github/github-mcp-server"] } } }
    /// ```
    /// Use instead:
    /// ```json
    /// { "mcpServers": { "github": { "command": "docker", "args": ["run", "-i", "--rm", "ghcr.io/github/github-mcp-server:v0.9.0@sha256:<64 hex digits>"] } } }
    /// ```
    ///
    /// ## Fix
    /// Resolve the tag to the digest the registry serves (`Docker-Content-Digest`) and append it:
    /// `image:tag@sha256:<digest>`. Keep the tag for readers; the digest is what the runtime uses.
    /// The manifest is downloaded and its sha256 compared with the digest header before the pin
    /// is offered. The fix needs the registry (`--fix --unsafe-fixes`) and is unsafe.
    ///
    /// ## References
    /// - Docker documentation, "Pull an image by digest (immutable identifier)"
    /// - OWASP Top 10 for LLM Applications 2025, LLM03 Supply Chain
    pub struct UnpinnedImage {
        id: "unpinned-image",
        summary: "A container image is referenced by tag instead of digest",
        severity: Severity::Error,
        fix: FixAvailability::Sometimes,
    }
}

impl Rule for UnpinnedImage {
    fn info(&self) -> &'static RuleInfo {
        &Self::INFO
    }

    fn check_in(&self, config: &McpConfig, context: &LintContext, findings: &mut Vec<Finding>) {
        for server in &config.servers {
            check_server(server, context, findings);
        }
    }
}

/// A one-word image name that no official Docker Hub image has (`kali-mcp-server`): an image
/// built on this machine with `docker build -t NAME`. It has no registry digest to pin to, and
/// Docker Hub's `library/` namespace, where a pull would look, takes no uploads from strangers.
fn is_local_build(name: &str) -> bool {
    /// Official images that MCP configs run servers in.
    const OFFICIAL: &[&str] = &[
        "alpine",
        "bash",
        "buildpack-deps",
        "busybox",
        "debian",
        "docker",
        "golang",
        "haproxy",
        "httpd",
        "mongo",
        "mysql",
        "nginx",
        "node",
        "openjdk",
        "postgres",
        "python",
        "redis",
        "ruby",
        "rust",
        "traefik",
        "ubuntu",
    ];
    !name.contains('/') && !OFFICIAL.contains(&name)
}

fn check_server(server: &Server, context: &LintContext, findings: &mut Vec<Finding>) {
    let Some(launch) = &server.launch else {
        return;
    };
    let Some(package) = &launch.package else {
        return;
    };
    if package.ecosystem != Ecosystem::Oci || package.spec.is_pinned() || is_local_build(&package.name) {
        return;
    }
    let Some(route) = server.arg_route(package.position) else {
        return;
    };
    let (message, label) = match &package.spec {
        VersionSpec::Tag(tag) => (
            format!(
                "image `{}:{tag}` is pinned by a movable tag, not a digest",
                package.name
            ),
            format!("tag `{tag}` without digest"),
        ),
        _ => (
            format!(
                "image `{}` has no tag or digest: it runs whatever `latest` is",
                package.name
            ),
            "no digest".to_owned(),
        ),
    };
    let mut finding = Finding::new(
        UnpinnedImage::INFO.id,
        UnpinnedImage::INFO.default_severity,
        message,
        route,
    )
    .server(&server.name, &server.route)
    .subfeature(package.text.clone())
    .label(label)
    .help("pin the image by digest: `image:tag@sha256:<digest>`");
    match context.registry.and_then(|view| view.image_digest(package)) {
        Some(Ok(digest)) => {
            finding = finding.fix(Fix::new(
                format!("Pin `{}` to the digest its tag serves now, {}", package.text, digest),
                Applicability::Unsafe,
                vec![Edit::ReplaceInString {
                    route: route.clone(),
                    find: package.text.clone(),
                    replace: pin::pinned_image(&package.text, digest),
                }],
            ));
        }
        Some(Err(error)) => finding = finding.note(format!("cannot pin: {error}")),
        None => {}
    }
    findings.push(finding);
}
