//! Arguments that carry a credential because the server's own documentation says so: a short
//! flag or a subcommand whose meaning depends on the program (`-H` is a header in one server and a
//! host in the next), so the general rules cannot read it and only a per-package table can.
//!
//! Each entry is quoted from the published artifact named beside it. A short flag not listed
//! here is never a secret's name: `mcp/grafana -t stdio` picks a transport.

use crate::model::launcher::{ArgPosition, Ecosystem, Launch};

use super::ValueContext;

/// What the word after `after` means.
#[derive(Debug, Clone, Copy)]
enum Meaning {
    /// The next argument is a credential the server reads as `variable`.
    Credential { variable: &'static str },
    /// The next two arguments are a header's name and its value (`-H Authorization "Bearer …"`).
    HeaderPair,
}

struct DocumentedArg {
    ecosystem: Ecosystem,
    package: &'static str,
    /// The flags or subcommand words that introduce the value.
    after: &'static [&'static str],
    meaning: Meaning,
}

const DOCUMENTED: &[DocumentedArg] = &[
    // @neondatabase/mcp-server-neon 0.3.7, dist/initConfig.js `parseArgs`: `start <NEON_API_KEY>`
    // (and `init <NEON_API_KEY>`), the key read from argv[3]; its README configures
    // `["-y", "@neondatabase/mcp-server-neon", "start", "<YOUR_NEON_API_KEY>"]`.
    DocumentedArg {
        ecosystem: Ecosystem::Npm,
        package: "@neondatabase/mcp-server-neon",
        after: &["start", "init"],
        meaning: Meaning::Credential {
            variable: "NEON_API_KEY",
        },
    },
    // mcp-proxy 0.13.0 (PyPI), mcp_proxy/__main__.py: `-H/--headers KEY VALUE`, `nargs=2`,
    // "Headers to pass to the SSE server".
    DocumentedArg {
        ecosystem: Ecosystem::PyPi,
        package: "mcp-proxy",
        after: &["-H", "--headers"],
        meaning: Meaning::HeaderPair,
    },
];

/// For each of `args`, the context its documentation gives it, where that differs from what the
/// general rules would read; `None` elsewhere.
pub fn contexts<'a>(launch: Option<&Launch>, args: &[&'a str]) -> Vec<Option<ValueContext<'a>>> {
    let mut contexts = vec![None; args.len()];
    let Some(package) = launch.and_then(|launch| launch.package.as_ref()) else {
        return contexts;
    };
    let ArgPosition::Arg(package_index) = package.position else {
        return contexts;
    };
    let Some(entry) = DOCUMENTED
        .iter()
        .find(|entry| entry.ecosystem == package.ecosystem && entry.package == package.name)
    else {
        return contexts;
    };
    let mut index = package_index + 1;
    while index < args.len() {
        if !entry.after.contains(&args[index]) {
            index += 1;
            continue;
        }
        match entry.meaning {
            Meaning::Credential { variable } if index + 1 < args.len() => {
                contexts[index + 1] = Some(ValueContext::Env { key: variable });
                index += 2;
            }
            Meaning::HeaderPair if index + 2 < args.len() => {
                contexts[index + 2] = Some(ValueContext::Header { name: args[index + 1] });
                index += 3;
            }
            _ => index += 1,
        }
    }
    contexts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::launcher::parse_launch;
    use crate::secrets::find_secrets;

    /// The byte ranges of the secrets found in each argument, read as the rule reads them.
    fn found(command: &str, args: &[&str]) -> Vec<Option<String>> {
        let launch = parse_launch(command, args);
        let documented = contexts(launch.as_ref(), args);
        let mut previous = Some(command);
        let mut out = Vec::new();
        for (arg, context) in args.iter().zip(documented) {
            let context = context.unwrap_or(ValueContext::Arg { previous });
            let hits = find_secrets(context, arg);
            out.push(hits.first().map(|hit| arg[hit.start..hit.end].to_owned()));
            previous = Some(arg);
        }
        out
    }

    #[test]
    fn neon_takes_its_key_after_start() {
        let key = "q7Zk2mWp9xTr4vNb8cLs3dHy6fJg1aQe";
        let hits = found("npx", &["-y", "@neondatabase/mcp-server-neon", "start", key]);
        assert_eq!(hits, vec![None, None, None, Some(key.to_owned())]);
        // The same word after another package is only a word.
        let hits = found("npx", &["-y", "some-other-server", "start", key]);
        assert_eq!(hits, vec![None, None, None, None]);
        // Before the package, `start` belongs to the runner.
        assert_eq!(found("npx", &["start", key]).last(), Some(&None));
    }

    #[test]
    fn mcp_proxy_header_pairs() {
        let value = "k8Jd2Lq9Zx4Vn7Rt";
        let hits = found(
            "uvx",
            &["mcp-proxy", "-H", "X-Api-Key", value, "https://mcp.example.com/sse"],
        );
        assert_eq!(hits, vec![None, None, None, Some(value.to_owned()), None]);
        // A header that is not a credential stays silent.
        let hits = found(
            "uvx",
            &[
                "mcp-proxy",
                "--headers",
                "X-Region",
                "eu-west-1-abc",
                "https://x.example/sse",
            ],
        );
        assert!(hits.iter().all(Option::is_none), "{hits:?}");
    }

    #[test]
    fn undocumented_short_flags_are_not_names() {
        // Grafana's image documents `-t` as the transport.
        let args = ["run", "--rm", "-i", "mcp/grafana", "-t", "stdio"];
        assert!(found("docker", &args).iter().all(Option::is_none));
        let args = ["-y", "@example/server", "-t", "q7Zk2mWp9xTr4vNb8cLs3dHy6fJg1aQe"];
        assert!(found("npx", &args).iter().all(Option::is_none));
    }
}
