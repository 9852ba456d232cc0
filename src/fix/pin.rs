//! How each runner writes an exact version, in the form the user already used.

use crate::model::{Launcher, PackageRef};

/// `package.text` rewritten to name exactly `version`: `pkg@1.2.3` for the npm runners and deno
/// (`npm:` stays outside the replaced text), uvx `pkg@1.2.3` or `pkg==1.2.3` as the user wrote
/// comparisons, pipx `pkg==1.2.3`. Extras (`pkg[cli]`) are kept.
pub fn pinned_text(launcher: Launcher, package: &PackageRef, version: &str) -> String {
    match launcher {
        Launcher::Uvx | Launcher::UvToolRun | Launcher::PipxRun => {
            let text = package.text.trim();
            // The name and its extras, up to the first version operator.
            let base_end = text.find(|c: char| "=<>!~@;, ".contains(c)).unwrap_or(text.len());
            let base = text[..base_end].trim_end();
            let wrote_comparison = text[base_end..].trim_start().starts_with(['=', '<', '>', '!', '~']);
            if launcher == Launcher::PipxRun || wrote_comparison {
                format!("{base}=={version}")
            } else {
                format!("{base}@{version}")
            }
        }
        _ => format!("{}@{version}", package.name),
    }
}

/// An image reference with its digest: `name:tag@sha256:...` (the tag stays for readers).
pub fn pinned_image(text: &str, digest: &str) -> String {
    let without_digest = text.split_once('@').map_or(text, |(name, _)| name);
    format!("{without_digest}@{digest}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::launcher::parse_launch;

    fn pin(command: &str, args: &[&str], version: &str) -> String {
        let launch = parse_launch(command, args).expect("a launch");
        let package = launch.package.expect("a package");
        let pinned = pinned_text(launch.launcher, &package, version);
        let line = std::iter::once(command)
            .chain(args.iter().copied())
            .collect::<Vec<_>>()
            .join(" ");
        line.replacen(&package.text, &pinned, 1)
    }

    #[test]
    fn each_runner_in_its_own_syntax() {
        for (command, args, want) in [
            (
                "npx",
                &["-y", "@sentry/mcp-server"][..],
                "npx -y @sentry/mcp-server@1.2.3",
            ),
            (
                "npx",
                &["-y", "@sentry/mcp-server@latest", "--flag"][..],
                "npx -y @sentry/mcp-server@1.2.3 --flag",
            ),
            ("npx", &["-y", "repomix@^1", "--mcp"][..], "npx -y repomix@1.2.3 --mcp"),
            (
                "npx",
                &["-y", "-p", "@a/b@^2", "b-cli"][..],
                "npx -y -p @a/b@1.2.3 b-cli",
            ),
            (
                "npx",
                &["-y", "--package=@a/b", "b-cli"][..],
                "npx -y --package=@a/b@1.2.3 b-cli",
            ),
            ("bunx", &["mcp-remote"][..], "bunx mcp-remote@1.2.3"),
            ("pnpm", &["dlx", "mcp-remote@next"][..], "pnpm dlx mcp-remote@1.2.3"),
            ("yarn", &["dlx", "mcp-remote"][..], "yarn dlx mcp-remote@1.2.3"),
            ("uvx", &["mcp-server-fetch"][..], "uvx mcp-server-fetch@1.2.3"),
            ("uvx", &["mcp-server-fetch@latest"][..], "uvx mcp-server-fetch@1.2.3"),
            (
                "uvx",
                &["--from", "mcp-atlassian>=0.11", "mcp-atlassian"][..],
                "uvx --from mcp-atlassian==1.2.3 mcp-atlassian",
            ),
            (
                "uvx",
                &["--from", "mcp-server[cli]", "mcp"][..],
                "uvx --from mcp-server[cli]@1.2.3 mcp",
            ),
            (
                "uv",
                &["tool", "run", "mcp-server-git"][..],
                "uv tool run mcp-server-git@1.2.3",
            ),
            (
                "pipx",
                &["run", "mcp-server-time"][..],
                "pipx run mcp-server-time==1.2.3",
            ),
            (
                "pipx",
                &["run", "--spec", "mcp-server-time>=1", "mcp-server-time"][..],
                "pipx run --spec mcp-server-time==1.2.3 mcp-server-time",
            ),
            ("deno", &["run", "-A", "npm:@a/b"][..], "deno run -A npm:@a/b@1.2.3"),
        ] {
            assert_eq!(pin(command, args, "1.2.3"), want, "{command} {args:?}");
        }
    }

    #[test]
    fn images_keep_their_tag() {
        assert_eq!(
            pinned_image("ghcr.io/github/github-mcp-server:v0.9.0", "sha256:ab"),
            "ghcr.io/github/github-mcp-server:v0.9.0@sha256:ab"
        );
        assert_eq!(pinned_image("mcp/fetch", "sha256:ab"), "mcp/fetch@sha256:ab");
    }
}
