//! Parses a server's command line into the launcher that runs it and the package it fetches.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    Npm,
    PyPi,
    Oci,
    Jsr,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Launcher {
    Npx,
    Bunx,
    PnpmDlx,
    Pnpx,
    YarnDlx,
    Uvx,
    UvToolRun,
    PipxRun,
    Docker,
    Podman,
    Deno,
    /// The client installs a package that a registry's `server.json` publishes.
    Registry,
}

impl Launcher {
    pub fn name(self) -> &'static str {
        match self {
            Launcher::Npx => "npx",
            Launcher::Bunx => "bunx",
            Launcher::PnpmDlx => "pnpm dlx",
            Launcher::Pnpx => "pnpx",
            Launcher::YarnDlx => "yarn dlx",
            Launcher::Uvx => "uvx",
            Launcher::UvToolRun => "uv tool run",
            Launcher::PipxRun => "pipx run",
            Launcher::Docker => "docker run",
            Launcher::Podman => "podman run",
            Launcher::Deno => "deno run",
            Launcher::Registry => "server.json",
        }
    }

    fn ecosystem(self) -> Ecosystem {
        match self {
            Launcher::Uvx | Launcher::UvToolRun | Launcher::PipxRun => Ecosystem::PyPi,
            Launcher::Docker | Launcher::Podman => Ecosystem::Oci,
            // Never parsed from a command line: a published package names its own ecosystem.
            _ => Ecosystem::Npm,
        }
    }
}

/// How exactly a package reference names its version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSpec {
    /// `pkg@1.2.3`, `pkg==1.2.3`: one exact release.
    Exact(String),
    /// `pkg@^1.2`, `pkg>=1,<2`, `pkg@1.x`: any of several releases.
    Range(String),
    /// `pkg@latest`, image `name:tag`: a movable name.
    Tag(String),
    /// No version at all.
    None,
    /// Image pinned by digest.
    Digest { tag: Option<String>, digest: String },
    /// A git spec; `commit` is Some only for a full 40-hex commit id.
    Git { url: String, commit: Option<String> },
    /// A tarball or wheel URL.
    Url(String),
}

impl VersionSpec {
    /// One registry version, written exactly.
    pub fn is_exact(&self) -> bool {
        matches!(self, VersionSpec::Exact(_))
    }

    pub fn is_pinned(&self) -> bool {
        matches!(
            self,
            VersionSpec::Exact(_) | VersionSpec::Digest { .. } | VersionSpec::Git { commit: Some(_), .. }
        )
    }
}

/// Where the text naming the package sits in the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgPosition {
    Command,
    Arg(usize),
    /// A `server.json` package's `identifier` (no command line).
    Identifier,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageRef {
    pub ecosystem: Ecosystem,
    /// Registry name without version, as written.
    pub name: String,
    pub spec: VersionSpec,
    /// Which string holds the package text.
    pub position: ArgPosition,
    /// The exact substring of that string that names the package with its version.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    pub launcher: Launcher,
    /// A shell or cmd wrapper around the runner (`bash -c`, `cmd /c`).
    pub wrapper: Option<String>,
    pub package: Option<PackageRef>,
}

/// One word of the command line and where it came from.
#[derive(Debug, Clone)]
struct Word<'a> {
    text: &'a str,
    position: ArgPosition,
}

/// The runner and package of `command args`; None for local scripts and binaries.
pub fn parse_launch(command: &str, args: &[&str]) -> Option<Launch> {
    let mut words = vec![Word {
        text: command,
        position: ArgPosition::Command,
    }];
    words.extend(args.iter().enumerate().map(|(i, a)| Word {
        text: a,
        position: ArgPosition::Arg(i),
    }));
    // A whole command line in `command` (`"command": "npx -y pkg"`) is split like a shell would.
    if args.is_empty() && command.contains(' ') {
        let script: Vec<Word<'_>> = shell_words(command)
            .into_iter()
            .map(|text| Word {
                text,
                position: ArgPosition::Command,
            })
            .collect();
        return parse_words(&script, None).map(without_placeholder);
    }
    parse_words(&words, None).map(without_placeholder)
}

/// A template's stand-in (`<your-mcp-server>`, `{{package}}`) names no package to pin.
fn without_placeholder(mut launch: Launch) -> Launch {
    if launch
        .package
        .as_ref()
        .is_some_and(|p| p.name.contains(['<', '>']) || p.name.contains("{{"))
    {
        launch.package = None;
    }
    launch
}

/// A program's name without its directory and Windows extension, lower-cased (`NPX.CMD` -> `npx`).
pub fn stem(program: &str) -> String {
    let base = program
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(program)
        .to_ascii_lowercase();
    base.trim_end_matches(".exe")
        .trim_end_matches(".cmd")
        .trim_end_matches(".bat")
        .to_owned()
}

fn parse_words(words: &[Word<'_>], wrapper: Option<String>) -> Option<Launch> {
    let first = words.first()?;
    let program = stem(first.text);
    let rest = &words[1..];
    match program.as_str() {
        // Ex) "command": "env", "args": ["FOO=1", "npx", "-y", "pkg"]
        "env" => {
            let skip = rest
                .iter()
                .take_while(|w| w.text.contains('=') || w.text.starts_with('-'))
                .count();
            parse_words(&rest[skip..], wrapper)
        }
        // Ex) "command": "cmd", "args": ["/c", "npx", "-y", "pkg"]
        "cmd" => {
            let at = rest
                .iter()
                .position(|w| w.text.eq_ignore_ascii_case("/c") || w.text.eq_ignore_ascii_case("/k"))?;
            parse_words(&rest[at + 1..], Some(format!("cmd {}", rest[at].text)))
        }
        "bash" | "sh" | "zsh" | "dash" => {
            let at = rest
                .iter()
                .position(|w| w.text.starts_with('-') && !w.text.starts_with("--") && w.text.contains('c'))?;
            let script = rest.get(at + 1)?;
            let label = format!("{program} {}", rest[at].text);
            shell_script(script, label)
        }
        "npx" => runner(Launcher::Npx, rest, wrapper),
        // `npm exec [--yes] PKG` and its alias `npm x` run a package as npx does.
        "npm" if rest.first().is_some_and(|w| matches!(w.text, "exec" | "x")) => {
            runner(Launcher::Npx, &rest[1..], wrapper)
        }
        "bunx" => runner(Launcher::Bunx, rest, wrapper),
        "bun" if rest.first().is_some_and(|w| w.text == "x") => runner(Launcher::Bunx, &rest[1..], wrapper),
        "pnpx" => runner(Launcher::Pnpx, rest, wrapper),
        "pnpm" => {
            let at = rest.iter().position(|w| w.text == "dlx")?;
            let before = package_option(&rest[..at]);
            let mut launch = runner(Launcher::PnpmDlx, &rest[at + 1..], wrapper)?;
            if let Some(package) = before {
                launch.package = Some(package_ref(Ecosystem::Npm, package.0, package.1));
            }
            Some(launch)
        }
        "yarn" if rest.first().is_some_and(|w| w.text == "dlx") => runner(Launcher::YarnDlx, &rest[1..], wrapper),
        "uvx" => runner(Launcher::Uvx, rest, wrapper),
        "uv" if rest.len() >= 2 && rest[0].text == "tool" && rest[1].text == "run" => {
            runner(Launcher::UvToolRun, &rest[2..], wrapper)
        }
        "pipx" if rest.first().is_some_and(|w| w.text == "run") => runner(Launcher::PipxRun, &rest[1..], wrapper),
        "docker" | "podman" => {
            let launcher = if program == "docker" {
                Launcher::Docker
            } else {
                Launcher::Podman
            };
            let run_at = match rest.first().map(|w| w.text) {
                Some("run") => 1,
                Some("container") if rest.get(1).is_some_and(|w| w.text == "run") => 2,
                _ => {
                    return Some(Launch {
                        launcher,
                        wrapper,
                        package: None,
                    });
                }
            };
            let image = container_image(&rest[run_at..]);
            Some(Launch {
                launcher,
                wrapper,
                package: image.map(|w| image_ref(w.text, w.position)),
            })
        }
        "deno" => {
            let operand = rest.iter().find(|w| w.text != "run" && !w.text.starts_with('-'))?;
            let (ecosystem, spec) = if let Some(spec) = operand.text.strip_prefix("npm:") {
                (Ecosystem::Npm, spec)
            } else if let Some(spec) = operand.text.strip_prefix("jsr:") {
                (Ecosystem::Jsr, spec)
            } else {
                return None;
            };
            let mut package = package_ref(ecosystem, spec, operand.position);
            package.text = spec.to_owned();
            Some(Launch {
                launcher: Launcher::Deno,
                wrapper,
                package: Some(package),
            })
        }
        _ => None,
    }
}

/// Options of the runners that take a value (the next word), so it is not mistaken for the package.
const VALUE_OPTIONS: [&str; 38] = [
    "--registry",
    "--cache",
    "--userconfig",
    "--prefix",
    "--from",
    "--with",
    "-w",
    "--with-editable",
    "--with-requirements",
    "--python",
    "--index",
    "--index-url",
    "-i",
    "--extra-index-url",
    "--default-index",
    "-c",
    "--constraints",
    "--overrides",
    "--exclude-newer",
    "--env-file",
    "--directory",
    "--project",
    "--cache-dir",
    "--config-file",
    "--refresh-package",
    "-P",
    "--upgrade-package",
    "--reinstall-package",
    "--index-strategy",
    "--keyring-provider",
    "--spec",
    "--pip-args",
    "-p",
    "--package",
    "--call",
    "--shell",
    "--allow-build",
    "--node-options",
];

/// `-p pkg` / `--package pkg` / `--package=pkg` / uvx `--from pkg` / pipx `--spec pkg`, among the
/// runner's own options (before the first operand or `--`).
fn package_option<'a>(words: &[Word<'a>]) -> Option<(&'a str, ArgPosition)> {
    let mut i = 0;
    while let Some(word) = words.get(i) {
        for option in ["--package=", "--from=", "--spec="] {
            if let Some(value) = word.text.strip_prefix(option) {
                return Some((value, word.position));
            }
        }
        if matches!(word.text, "-p" | "--package" | "--from" | "--spec") {
            let value = words.get(i + 1)?;
            return Some((value.text, value.position));
        }
        if word.text == "--" || !word.text.starts_with('-') {
            break;
        }
        i += if VALUE_OPTIONS.contains(&word.text) { 2 } else { 1 };
    }
    None
}

fn runner(launcher: Launcher, rest: &[Word<'_>], wrapper: Option<String>) -> Option<Launch> {
    let ecosystem = launcher.ecosystem();
    if let Some((text, position)) = package_option(rest) {
        return Some(Launch {
            launcher,
            wrapper,
            package: Some(package_ref(ecosystem, text, position)),
        });
    }
    let mut i = 0;
    while let Some(word) = rest.get(i) {
        if word.text == "--" {
            i += 1;
            break;
        }
        if !word.text.starts_with('-') {
            break;
        }
        // npx's `-c` runs a shell string: there is no package to name.
        if launcher == Launcher::Npx && matches!(word.text, "-c" | "--call") {
            return Some(Launch {
                launcher,
                wrapper,
                package: None,
            });
        }
        i += if VALUE_OPTIONS.contains(&word.text) { 2 } else { 1 };
    }
    let operand = rest.get(i);
    let package = operand.map(|w| package_ref(ecosystem, w.text, w.position));
    Some(Launch {
        launcher,
        wrapper,
        package,
    })
}

/// Options of `docker run` / `podman run` that take a value.
const DOCKER_VALUE_OPTIONS: [&str; 46] = [
    "-e",
    "--env",
    "--env-file",
    "-v",
    "--volume",
    "--mount",
    "--name",
    "-p",
    "--publish",
    "--network",
    "--net",
    "-w",
    "--workdir",
    "-u",
    "--user",
    "--entrypoint",
    "-l",
    "--label",
    "--label-file",
    "--add-host",
    "--cpus",
    "-m",
    "--memory",
    "--platform",
    "--pull",
    "--restart",
    "-h",
    "--hostname",
    "--dns",
    "--cap-add",
    "--cap-drop",
    "--device",
    "--security-opt",
    "--tmpfs",
    "--ulimit",
    "--log-driver",
    "--log-opt",
    "--ipc",
    "--pid",
    "--shm-size",
    "--gpus",
    "--runtime",
    "--expose",
    "--link",
    "--group-add",
    "--stop-signal",
];

fn container_image<'a, 'b>(words: &'b [Word<'a>]) -> Option<&'b Word<'a>> {
    let mut i = 0;
    while let Some(word) = words.get(i) {
        if !word.text.starts_with('-') {
            return Some(word);
        }
        // `-it` style bundles end in the option that takes a value (`-ie`); the last two bytes
        // are only an option when they are whole characters (`-😀` is none).
        let bundled_tail = word.text.get(word.text.len().saturating_sub(2)..);
        let takes_value = DOCKER_VALUE_OPTIONS.contains(&word.text)
            || (word.text.len() > 2
                && !word.text.starts_with("--")
                && bundled_tail.is_some_and(|tail| DOCKER_VALUE_OPTIONS.contains(&tail)));
        i += if takes_value && !word.text.contains('=') { 2 } else { 1 };
    }
    None
}

/// What a client installs for a `server.json` package: an npm or PyPI package at its
/// `version`, or an image by the full reference in `identifier`; None for other registry types
/// (NuGet, bundles) and for an image that writes its tag apart (`version`, before 2025-10-11),
/// whose reference is not one string to pin.
pub fn published_launch(registry_type: &str, identifier: &str, version: Option<&str>) -> Option<Launch> {
    let (ecosystem, spec) = match registry_type {
        "npm" => (Ecosystem::Npm, version.map_or(VersionSpec::None, classify_semver)),
        "pypi" => (
            Ecosystem::PyPi,
            version.map_or(VersionSpec::None, classify_semver_pep440),
        ),
        "oci" if version.is_none() => {
            let package = image_ref(identifier, ArgPosition::Identifier);
            return Some(Launch {
                launcher: Launcher::Registry,
                wrapper: None,
                package: Some(package),
            });
        }
        _ => return None,
    };
    Some(Launch {
        launcher: Launcher::Registry,
        wrapper: None,
        package: Some(PackageRef {
            ecosystem,
            name: identifier.to_owned(),
            spec,
            position: ArgPosition::Identifier,
            text: identifier.to_owned(),
        }),
    })
}

fn image_ref(text: &str, position: ArgPosition) -> PackageRef {
    let (name_tag, digest) = match text.split_once('@') {
        Some((name, digest)) => (name, Some(digest)),
        None => (text, None),
    };
    // A colon after the last slash is a tag; before it, a registry port.
    let slash = name_tag.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match name_tag[slash..].rfind(':') {
        Some(colon) => (&name_tag[..slash + colon], Some(&name_tag[slash + colon + 1..])),
        None => (name_tag, None),
    };
    let spec = match (digest, tag) {
        (Some(digest), tag) => VersionSpec::Digest {
            tag: tag.map(str::to_owned),
            digest: digest.to_owned(),
        },
        (None, Some(tag)) => VersionSpec::Tag(tag.to_owned()),
        (None, None) => VersionSpec::None,
    };
    PackageRef {
        ecosystem: Ecosystem::Oci,
        name: name.to_owned(),
        spec,
        position,
        text: text.to_owned(),
    }
}

fn package_ref(ecosystem: Ecosystem, text: &str, position: ArgPosition) -> PackageRef {
    let (name, spec) = match ecosystem {
        Ecosystem::PyPi => pypi_spec(text),
        _ => npm_spec(text),
    };
    PackageRef {
        ecosystem,
        name,
        spec,
        position,
        text: text.to_owned(),
    }
}

fn is_hex_commit(text: &str) -> bool {
    text.len() == 40 && text.chars().all(|c| c.is_ascii_hexdigit())
}

fn git_spec(url: &str, reference: Option<&str>) -> VersionSpec {
    VersionSpec::Git {
        url: url.to_owned(),
        commit: reference.filter(|r| is_hex_commit(r)).map(str::to_owned),
    }
}

fn npm_spec(text: &str) -> (String, VersionSpec) {
    if text.starts_with("git+") || text.starts_with("github:") || text.starts_with("git://") {
        let (url, reference) = text.split_once('#').map_or((text, None), |(u, r)| (u, Some(r)));
        return (url.to_owned(), git_spec(url, reference));
    }
    if text.starts_with("http://") || text.starts_with("https://") || text.starts_with("file:") {
        return (text.to_owned(), VersionSpec::Url(text.to_owned()));
    }
    let version_at = if let Some(rest) = text.strip_prefix('@') {
        rest.find('@').map(|i| i + 1)
    } else {
        text.find('@')
    };
    let Some(at) = version_at else {
        // Ex) "user/repo#abc": npm reads a bare `owner/repo` as a GitHub spec.
        if !text.starts_with('@') && text.contains('/') {
            let (url, reference) = text.split_once('#').map_or((text, None), |(u, r)| (u, Some(r)));
            return (url.to_owned(), git_spec(url, reference));
        }
        return (text.to_owned(), VersionSpec::None);
    };
    let (name, version) = (&text[..at], &text[at + 1..]);
    (name.to_owned(), classify_semver(version))
}

fn classify_semver(version: &str) -> VersionSpec {
    let bare = version.strip_prefix('v').unwrap_or(version);
    let core = bare.split(['-', '+']).next().unwrap_or(bare);
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return VersionSpec::Exact(version.to_owned());
    }
    let rangey = version.is_empty()
        || version
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || "^~<>=*xX".contains(c))
        || version.contains("||");
    if rangey {
        VersionSpec::Range(version.to_owned())
    } else {
        VersionSpec::Tag(version.to_owned())
    }
}

fn pypi_spec(text: &str) -> (String, VersionSpec) {
    if let Some(url) = text.strip_prefix("git+").map(|_| text) {
        let (repo, reference) = split_git_ref(url);
        return (repo.to_owned(), git_spec(repo, reference));
    }
    if let Some((name, url)) = text.split_once(" @ ") {
        let url = url.trim();
        if url.starts_with("git+") {
            let (repo, reference) = split_git_ref(url);
            return (name.trim().to_owned(), git_spec(repo, reference));
        }
        return (name.trim().to_owned(), VersionSpec::Url(url.to_owned()));
    }
    if text.starts_with("http://") || text.starts_with("https://") {
        return (text.to_owned(), VersionSpec::Url(text.to_owned()));
    }
    let end = text.find(|c: char| "=<>!~@;[ ".contains(c)).unwrap_or(text.len());
    let name = &text[..end];
    let mut rest = text[end..].trim_start();
    if rest.starts_with('[') {
        rest = rest.split_once(']').map_or("", |(_, r)| r).trim_start();
    }
    let spec = if let Some(version) = rest.strip_prefix('@') {
        match version {
            "latest" => VersionSpec::Tag(version.to_owned()),
            _ => classify_semver_pep440(version),
        }
    } else if let Some(version) = rest.strip_prefix("===").or_else(|| rest.strip_prefix("==")) {
        if version.contains('*') || version.contains(',') {
            VersionSpec::Range(rest.to_owned())
        } else {
            VersionSpec::Exact(version.to_owned())
        }
    } else if rest.is_empty() {
        VersionSpec::None
    } else {
        VersionSpec::Range(rest.to_owned())
    };
    (name.to_owned(), spec)
}

fn classify_semver_pep440(version: &str) -> VersionSpec {
    if version.chars().next().is_some_and(|c| c.is_ascii_digit()) && !version.contains('*') {
        VersionSpec::Exact(version.to_owned())
    } else {
        VersionSpec::Range(version.to_owned())
    }
}

fn split_git_ref(url: &str) -> (&str, Option<&str>) {
    let path_start = url.find("://").map_or(0, |i| i + 3);
    match url[path_start..].rfind('@') {
        Some(at) => (&url[..path_start + at], Some(&url[path_start + at + 1..])),
        None => (url, None),
    }
}

/// Finds the runner inside a `-c` script, after `cd x &&`, `exec` and the like.
fn shell_script(script: &Word<'_>, label: String) -> Option<Launch> {
    let words = shell_words(script.text);
    let commands = words.split(|w| matches!(*w, "&&" | ";" | "||" | "|"));
    for command in commands {
        let start = command.iter().position(|w| *w != "exec").unwrap_or(0);
        let inner: Vec<Word<'_>> = command[start..]
            .iter()
            .map(|t| Word {
                text: t,
                position: script.position,
            })
            .collect();
        if let Some(mut launch) = parse_words(&inner, Some(label.clone())) {
            if launch.wrapper.is_none() {
                launch.wrapper = Some(label);
            }
            return Some(launch);
        }
    }
    None
}

/// Splits a shell script into words, dropping quote characters (simple rules; no expansion).
fn shell_words(script: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = None;
    let mut quote: Option<char> = None;
    for (i, c) in script.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                if let Some(s) = start.take() {
                    words.push(&script[s..i]);
                }
                quote = None;
            }
            (Some(_), _) => {
                start.get_or_insert(i);
            }
            (None, '\'' | '"') => {
                if let Some(s) = start.take() {
                    words.push(&script[s..i]);
                }
                quote = Some(c);
                start = Some(i + 1);
            }
            (None, c) if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    words.push(&script[s..i]);
                }
            }
            (None, ';') => {
                if let Some(s) = start.take() {
                    words.push(&script[s..i]);
                }
                words.push(";");
            }
            (None, _) => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(s) = start {
        words.push(&script[s..]);
    }
    words.into_iter().filter(|w| !w.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMIT: &str = "3a1b2c3d4e5f60718293a4b5c6d7e8f901234567";
    const DIGEST: &str = "sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    /// One line per launch: `launcher ecosystem name spec position [wrapper]`, or `local`.
    fn describe(command: &str, args: &[&str]) -> String {
        let Some(launch) = parse_launch(command, args) else {
            return "local".to_owned();
        };
        let package = match &launch.package {
            None => "-".to_owned(),
            Some(package) => {
                let spec = match &package.spec {
                    VersionSpec::Exact(v) => format!("exact:{v}"),
                    VersionSpec::Range(v) => format!("range:{v}"),
                    VersionSpec::Tag(v) => format!("tag:{v}"),
                    VersionSpec::None => "none".to_owned(),
                    VersionSpec::Digest { tag, .. } => format!("digest:{}", tag.as_deref().unwrap_or("-")),
                    VersionSpec::Git { commit, .. } => format!("git:{}", if commit.is_some() { "commit" } else { "-" }),
                    VersionSpec::Url(_) => "url".to_owned(),
                };
                let position = match package.position {
                    ArgPosition::Command => "cmd".to_owned(),
                    ArgPosition::Arg(i) => format!("arg{i}"),
                    ArgPosition::Identifier => "identifier".to_owned(),
                };
                format!("{:?} {} {spec} {position}", package.ecosystem, package.name)
            }
        };
        let wrapper = launch.wrapper.map(|w| format!(" [{w}]")).unwrap_or_default();
        format!("{} {package}{wrapper}", launch.launcher.name())
    }

    #[test]
    fn command_lines() {
        let image = format!("mcp/fetch@{DIGEST}");
        let tagged_digest = format!("quay.io/acme/mcp:1.0@{DIGEST}");
        let serena_commit = format!("git+https://github.com/oraios/serena@{COMMIT}");
        #[rustfmt::skip]
        let table: Vec<(&str, Vec<&str>, &str)> = vec![
            // From ../shared/corpus.
            ("/usr/bin/mcp-rust-docs", vec!["--log-file", "/home/u/.gemini/mcp-logs/rust.log"], "local"),
            ("mcp-rust-docs", vec![], "local"),
            ("uvx", vec!["semanticscholar-mcp-server"], "uvx PyPi semanticscholar-mcp-server none arg0"),
            ("npx", vec!["-y", "@modelcontextprotocol/server-github"], "npx Npm @modelcontextprotocol/server-github none arg1"),
            ("npx", vec!["-y", "task-orchestrator-mcp"], "npx Npm task-orchestrator-mcp none arg1"),
            ("npm", vec!["exec", "--yes", "@acme/mcp"], "npx Npm @acme/mcp none arg2"),
            ("npm", vec!["x", "@acme/mcp@1.2.3"], "npx Npm @acme/mcp exact:1.2.3 arg1"),
            ("npm", vec!["exec", "--", "@acme/mcp@latest"], "npx Npm @acme/mcp tag:latest arg2"),
            ("npx", vec!["-y", "@modelcontextprotocol/server-sequential-thinking"], "npx Npm @modelcontextprotocol/server-sequential-thinking none arg1"),
            ("ai-archive-mcp", vec![], "local"),
            ("bash", vec!["-lc", "cd \"$(git rev-parse --show-toplevel)\" && exec bash scripts/mcp-launch.sh"], "local"),
            ("uvx", vec!["mcp-server-fetch"], "uvx PyPi mcp-server-fetch none arg0"),
            ("docker", vec!["run", "-i", "--rm", "mcp/git"], "docker run Oci mcp/git none arg3"),
            ("docker", vec!["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server"], "docker run Oci ghcr.io/github/github-mcp-server none arg5"),
            ("docker", vec!["run", "-i", "--rm", "-e", "SLACK_BOT_TOKEN", "-e", "SLACK_TEAM_ID", "mcp/slack"], "docker run Oci mcp/slack none arg7"),
            ("docker", vec!["run", "-i", "--rm", "-e", "SONARQUBE_TOKEN", "-e", "SONARQUBE_ORG", "-e", "SONARQUBE_URL", "mcp/sonarqube", "stdio"], "docker run Oci mcp/sonarqube none arg9"),
            ("docker", vec!["run", "-i", "--rm", "hashicorp/terraform-mcp-server"], "docker run Oci hashicorp/terraform-mcp-server none arg3"),
            ("docker", vec!["mcp", "gateway", "run"], "docker run -"),
            ("docker", vec!["run", "-i", "--rm", "--network", "host", "-e", "MCP_TIMEOUT=300", "-e", "MCP_LOG_LEVEL=INFO", "kali-mcp-server"], "docker run Oci kali-mcp-server none arg9"),
            ("npx", vec!["-y", "@google-cloud/cloud-run-mcp"], "npx Npm @google-cloud/cloud-run-mcp none arg1"),
            ("npx", vec!["-y", "firebase-tools@latest", "mcp"], "npx Npm firebase-tools tag:latest arg1"),
            ("npx", vec!["@microsoft/m365agentstoolkit-mcp@latest", "server", "start"], "npx Npm @microsoft/m365agentstoolkit-mcp tag:latest arg0"),
            ("node", vec!["--import", "tsx", "src/index.ts"], "local"),
            ("npx", vec!["-y", "chrome-devtools-mcp@latest", "--isolated", "--viewport=1440x900"], "npx Npm chrome-devtools-mcp tag:latest arg1"),
            ("python", vec!["mcp-servers/github/src/server.py"], "local"),
            ("python3", vec!["-m", "app.mcp_fastmcp_server"], "local"),
            ("npx", vec!["-y", "@upstash/context7-mcp@latest"], "npx Npm @upstash/context7-mcp tag:latest arg1"),
            ("agentic-codebase-mcp", vec!["serve", "--graph", "./agents/project.acb"], "local"),
            ("node", vec!["./my-custom-mcp-server.js"], "local"),
            // npm runners.
            ("npx", vec!["-y", "@modelcontextprotocol/server-filesystem@2025.8.21", "/Users/me"], "npx Npm @modelcontextprotocol/server-filesystem exact:2025.8.21 arg1"),
            ("npx", vec!["--yes", "-p", "@playwright/mcp@0.0.41", "mcp-server-playwright"], "npx Npm @playwright/mcp exact:0.0.41 arg2"),
            ("npx", vec!["--package=@sentry/mcp-server@^0.17", "--", "mcp-server"], "npx Npm @sentry/mcp-server range:^0.17 arg0"),
            ("npx", vec!["-y", "--", "@acme/mcp@1.0.0", "--stdio"], "npx Npm @acme/mcp exact:1.0.0 arg2"),
            ("npx", vec!["-y", "mcp-remote", "https://example.com/mcp"], "npx Npm mcp-remote none arg1"),
            ("npx", vec!["-y", "@acme/mcp@1.2.3-beta.1"], "npx Npm @acme/mcp exact:1.2.3-beta.1 arg1"),
            ("npx", vec!["-y", "acme-mcp@1.2"], "npx Npm acme-mcp range:1.2 arg1"),
            ("npx", vec!["-y", "acme-mcp@~1.2.3"], "npx Npm acme-mcp range:~1.2.3 arg1"),
            ("npx", vec!["-y", "acme-mcp@>=1.0.0 <2.0.0"], "npx Npm acme-mcp range:>=1.0.0 <2.0.0 arg1"),
            ("npx", vec!["--registry", "https://npm.example.com", "-y", "acme-mcp"], "npx Npm acme-mcp none arg3"),
            ("npx", vec!["-y", "github:modelcontextprotocol/servers#main"], "npx Npm github:modelcontextprotocol/servers git:- arg1"),
            ("npx", vec!["-y", "https://registry.example.com/acme-mcp-1.0.0.tgz"], "npx Npm https://registry.example.com/acme-mcp-1.0.0.tgz url arg1"),
            ("npx", vec!["-c", "acme-mcp --stdio"], "npx -"),
            ("C:\\Program Files\\nodejs\\npx.cmd", vec!["-y", "@acme/mcp"], "npx Npm @acme/mcp none arg1"),
            ("bunx", vec!["@upstash/context7-mcp@1.0.14"], "bunx Npm @upstash/context7-mcp exact:1.0.14 arg0"),
            ("bun", vec!["x", "acme-mcp@^2"], "bunx Npm acme-mcp range:^2 arg1"),
            ("pnpm", vec!["dlx", "@acme/mcp@1.2.3"], "pnpm dlx Npm @acme/mcp exact:1.2.3 arg1"),
            ("pnpm", vec!["--package=@acme/mcp@1.2.3", "dlx", "acme-mcp"], "pnpm dlx Npm @acme/mcp exact:1.2.3 arg0"),
            ("pnpx", vec!["@acme/mcp"], "pnpx Npm @acme/mcp none arg0"),
            ("yarn", vec!["dlx", "@acme/mcp@next"], "yarn dlx Npm @acme/mcp tag:next arg1"),
            // Python runners.
            ("uvx", vec!["mcp-server-git@2025.1.14"], "uvx PyPi mcp-server-git exact:2025.1.14 arg0"),
            ("uvx", vec!["mcp-server-time==0.6.2", "--local-timezone=UTC"], "uvx PyPi mcp-server-time exact:0.6.2 arg0"),
            ("uvx", vec!["--from", "mcp-atlassian==0.11.9", "mcp-atlassian"], "uvx PyPi mcp-atlassian exact:0.11.9 arg1"),
            ("uvx", vec!["--from", "git+https://github.com/oraios/serena", "serena", "start-mcp-server"], "uvx PyPi git+https://github.com/oraios/serena git:- arg1"),
            ("uvx", vec!["--from", serena_commit.as_str(), "serena"], "uvx PyPi git+https://github.com/oraios/serena git:commit arg1"),
            ("uvx", vec!["awslabs.aws-documentation-mcp-server@latest"], "uvx PyPi awslabs.aws-documentation-mcp-server tag:latest arg0"),
            ("uvx", vec!["mcp-server-fetch>=0.6"], "uvx PyPi mcp-server-fetch range:>=0.6 arg0"),
            ("uvx", vec!["--python", "3.12", "mcp-server-time"], "uvx PyPi mcp-server-time none arg2"),
            ("uvx", vec!["--from=acme-mcp==1.0.0", "acme"], "uvx PyPi acme-mcp exact:1.0.0 arg0"),
            ("uvx", vec!["--with", "httpx", "--from", "acme-mcp", "acme"], "uvx PyPi acme-mcp none arg3"),
            ("uvx", vec!["acme-mcp[cli]==1.0.0"], "uvx PyPi acme-mcp exact:1.0.0 arg0"),
            ("uv", vec!["tool", "run", "--python", "3.12", "mcp-server-time==0.6.2"], "uv tool run PyPi mcp-server-time exact:0.6.2 arg4"),
            ("pipx", vec!["run", "--spec", "mcp-server-fetch==0.6.2", "mcp-server-fetch"], "pipx run PyPi mcp-server-fetch exact:0.6.2 arg2"),
            ("pipx", vec!["run", "mcp-proxy"], "pipx run PyPi mcp-proxy none arg1"),
            // Containers.
            ("docker", vec!["run", "-i", "--rm", "-e", "GITHUB_TOKEN", "ghcr.io/github/github-mcp-server:v0.13.0"], "docker run Oci ghcr.io/github/github-mcp-server tag:v0.13.0 arg5"),
            ("docker", vec!["run", "--rm", "-i", image.as_str()], "docker run Oci mcp/fetch digest:- arg3"),
            ("podman", vec!["run", "-i", "--rm", "--network=bridge", "-v", "/tmp:/tmp:ro", tagged_digest.as_str()], "podman run Oci quay.io/acme/mcp digest:1.0 arg6"),
            ("docker", vec!["run", "-i", "--rm", "localhost:5000/team/mcp"], "docker run Oci localhost:5000/team/mcp none arg3"),
            ("docker", vec!["run", "-it", "--rm", "--env-file", ".env", "-p", "8080:8080", "--name", "pg", "mcp/postgres:latest", "postgresql://db/app"], "docker run Oci mcp/postgres tag:latest arg9"),
            ("docker", vec!["container", "run", "-i", "mcp/time"], "docker run Oci mcp/time none arg3"),
            ("docker", vec!["exec", "-i", "mcp-box", "acme-mcp"], "docker run -"),
            // Deno.
            ("deno", vec!["run", "-A", "npm:@modelcontextprotocol/server-memory@2025.4.25"], "deno run Npm @modelcontextprotocol/server-memory exact:2025.4.25 arg2"),
            ("deno", vec!["run", "--allow-net", "jsr:@acme/mcp"], "deno run Jsr @acme/mcp none arg2"),
            ("deno", vec!["run", "--allow-read", "server.ts"], "local"),
            // Wrappers and whole command lines.
            ("cmd", vec!["/c", "npx", "-y", "@modelcontextprotocol/server-github"], "npx Npm @modelcontextprotocol/server-github none arg3 [cmd /c]"),
            ("bash", vec!["-c", "npx -y @acme/mcp@latest"], "npx Npm @acme/mcp tag:latest arg1 [bash -c]"),
            ("sh", vec!["-c", "cd /srv && exec uvx mcp-server-time"], "uvx PyPi mcp-server-time none arg1 [sh -c]"),
            ("npx -y @acme/mcp@1.0.0", vec![], "npx Npm @acme/mcp exact:1.0.0 cmd"),
            ("env", vec!["NODE_ENV=production", "npx", "-y", "acme-mcp"], "npx Npm acme-mcp none arg3"),
        ];
        assert!(table.len() >= 40, "the issue asks for at least 40 command lines");
        let mut failures = Vec::new();
        for (command, args, expected) in &table {
            let got = describe(command, args);
            if got != *expected {
                failures.push(format!(
                    "{command} {args:?}\n   expected: {expected}\n        got: {got}"
                ));
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} rows differ:\n{}",
            failures.len(),
            table.len(),
            failures.join("\n")
        );
    }
}

#[cfg(test)]
mod hostile_input {
    use super::*;

    /// Found by fuzzing the release binary: a multi-byte character where a short option's last
    /// two bytes are looked at.
    #[test]
    fn multi_byte_options_do_not_panic() {
        for arg in ["-😀", "-é", "-ü-", "--😀", "-😀😀"] {
            let _ = parse_launch("docker", &["run", arg, "mcp/fetch"]);
            let _ = parse_launch("docker", &["run", arg]);
            let _ = parse_launch("npx", &["-y", arg]);
            let _ = parse_launch("uvx", &[arg]);
        }
    }
}
