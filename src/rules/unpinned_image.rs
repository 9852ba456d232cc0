//! `unpinned-image`: a container runner starts an image that is not pinned by digest.

use crate::finding::{Finding, Severity};
use crate::fix::{Applicability, Edit, Fix, pin};
use crate::model::facts::{ImagePin, is_exact_version_tag};
use crate::model::launcher::Launcher;
use crate::model::{Ecosystem, McpConfig, Server, VersionSpec};

use super::{FixAvailability, LintContext, Rule, RuleInfo, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags servers started with `docker run` or `podman run` whose image has no `@sha256:`
    /// digest: a bare name (which means `:latest`) or a moving tag (`latest`, `main`, `3.12-slim`)
    /// is an error; an exact version tag (`0.4.0`, `v1.0.4`: major.minor.patch) is a warning.
    ///
    /// An image that a registry's `server.json` publishes (an `oci` package's `identifier`) is
    /// checked the same way: every client that installs the server pulls what its tag names
    /// then. It is reported without a fix (its author publishes the digest).
    ///
    /// ## Configuration
    /// `mcp-lint.toml` sets a policy per image, as zizmor's `unpinned-uses` does per action: the
    /// image's own name first, then the longest matching glob, then `*`.
    /// ```toml
    /// [unpinned-image]
    /// policies = { "*" = "digest", "ghcr.io/acme/*" = "version", "mcp/*" = "strict-digest" }
    /// ```
    /// `digest` (the default) warns on a version tag; `strict-digest` makes it an error;
    /// `version` accepts a version tag (no tag or a moving tag is still an error); `any` checks
    /// nothing for those images.
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
    let policy = context
        .image_policies
        .map_or(ImagePin::Digest, |policies| policies.for_image(&package.name));
    let exact_tag = matches!(&package.spec, VersionSpec::Tag(tag) if is_exact_version_tag(tag));
    let severity = match policy {
        ImagePin::Any => return,
        ImagePin::Version if exact_tag => return,
        ImagePin::Digest if exact_tag => Severity::Warning,
        _ => UnpinnedImage::INFO.default_severity,
    };
    let (message, label, help) = match &package.spec {
        VersionSpec::Tag(tag) if exact_tag => (
            format!(
                "image `{}:{tag}` is pinned to a version tag, not a digest",
                package.name
            ),
            format!("tag `{tag}` without digest"),
            "whoever can push to the repository can point a version tag at another image, with no trace in this file; a digest names one image: `image:tag@sha256:<digest>` (the tag stays for readers). To accept version tags of images you trust, set `[unpinned-image] policies` in mcp-lint.toml",
        ),
        VersionSpec::Tag(tag) => (
            format!(
                "image `{}:{tag}` is pinned by a movable tag, not a digest",
                package.name
            ),
            format!("tag `{tag}` without digest"),
            "pin the image by digest: `image:tag@sha256:<digest>`",
        ),
        _ => (
            format!(
                "image `{}` has no tag or digest: it runs whatever `latest` is",
                package.name
            ),
            "no digest".to_owned(),
            "pin the image by digest: `image:tag@sha256:<digest>`",
        ),
    };
    let published = launch.launcher == Launcher::Registry;
    let help = if published {
        // A server.json: every client that installs the server pulls what the tag names then.
        "every client that installs this server pulls whatever the tag names when it installs; publish the image by digest (`\"identifier\": \"registry/owner/image@sha256:<digest>\"`)"
    } else {
        help
    };
    let mut finding = Finding::new(UnpinnedImage::INFO.id, severity, message, route)
        .server(&server.name, &server.route)
        .subfeature(package.text.clone())
        .label(label)
        .help(help);
    // The registry's acceptance of a tag and a digest in one identifier is not known here: a
    // server.json's image is pinned by its author, not rewritten.
    match context
        .registry
        .filter(|_| !published)
        .and_then(|view| view.image_digest(package))
    {
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
