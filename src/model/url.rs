//! Just enough URL reading for the rules: scheme, host, and where the host lives.

use std::net::IpAddr;

/// The parts of a server URL the rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts<'a> {
    /// Lower-cased scheme (`http`, `https`, `ws`, `wss`).
    pub scheme: String,
    /// Host without port or brackets.
    pub host: &'a str,
    /// The `http` in `http://` as written, for pointing at it.
    pub scheme_text: &'a str,
}

/// Where a host is, as far as the text of its name tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostKind {
    /// `localhost`, `127.0.0.0/8`, `::1`, `*.localhost`: never leaves the machine.
    Loopback,
    /// Private addresses and cluster or intranet names (`10.x`, `*.svc.cluster.local`, `*.internal`, single labels).
    Internal,
    Public,
}

/// Splits `url` into its scheme and host; None for templates (`{{URL}}`, `${VAR}`) and non-URLs.
pub fn parse(url: &str) -> Option<UrlParts<'_>> {
    let url = url.trim();
    let (scheme_text, rest) = url.split_once("://")?;
    if scheme_text.is_empty() || !scheme_text.chars().all(|c| c.is_ascii_alphanumeric() || c == '+') {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(bracketed) = host_port.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    if host.is_empty() || host.contains(['{', '}', '$', '%']) {
        return None;
    }
    Some(UrlParts {
        scheme: scheme_text.to_ascii_lowercase(),
        host,
        scheme_text,
    })
}

/// Classifies a host name or address.
pub fn host_kind(host: &str) -> HostKind {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if let Ok(ip) = host.parse::<IpAddr>() {
        return match ip {
            IpAddr::V4(v4) if v4.is_loopback() => HostKind::Loopback,
            IpAddr::V4(v4) if v4.is_private() || v4.is_link_local() || v4.is_unspecified() => HostKind::Internal,
            IpAddr::V6(v6) if v6.is_loopback() => HostKind::Loopback,
            IpAddr::V6(v6) if v6.is_unspecified() || (v6.segments()[0] & 0xfe00) == 0xfc00 => HostKind::Internal,
            _ => HostKind::Public,
        };
    }
    if let Some(embedded) = wildcard_dns_address(&host) {
        return host_kind(embedded);
    }
    if host == "localhost" || host.ends_with(".localhost") {
        return HostKind::Loopback;
    }
    const INTERNAL_SUFFIXES: [&str; 7] = [
        ".svc",
        ".cluster.local",
        ".internal",
        ".local",
        ".lan",
        ".home.arpa",
        ".corp",
    ];
    if !host.contains('.')
        || INTERNAL_SUFFIXES.iter().any(|s| host.ends_with(s))
        || host.contains(".svc.")
        || host == "host.docker.internal"
    {
        return HostKind::Internal;
    }
    HostKind::Public
}

/// The address a wildcard-DNS name stands for (`app.127.0.0.1.nip.io` is 127.0.0.1).
fn wildcard_dns_address(host: &str) -> Option<&str> {
    const SERVICES: [&str; 4] = [".nip.io", ".sslip.io", ".xip.io", ".traefik.me"];
    let name = SERVICES.iter().find_map(|s| host.strip_suffix(s))?;
    let labels: Vec<&str> = name.rsplit('.').take(4).collect();
    if labels.len() < 4 {
        return None;
    }
    let start = (name.len() + 1).checked_sub(labels.iter().map(|l| l.len() + 1).sum::<usize>())?;
    let address = name.get(start..)?;
    address.parse::<IpAddr>().is_ok().then_some(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hosts are classified by their text: loopback, internal names and addresses, public names.
    #[test]
    fn classifies_hosts() {
        let cases = [
            ("http://localhost:8080/mcp", HostKind::Loopback),
            ("http://127.0.0.1:4000", HostKind::Loopback),
            ("http://[::1]:3000/sse", HostKind::Loopback),
            ("http://jira-mcp.aviary.svc.cluster.local:8000/mcp", HostKind::Internal),
            ("http://mcp-server:8000/mcp", HostKind::Internal),
            ("http://10.0.3.4/mcp", HostKind::Internal),
            ("http://gateway.platform.127.0.0.1.nip.io/mcp/all", HostKind::Loopback),
            ("http://app.10.0.0.7.sslip.io/mcp", HostKind::Internal),
            ("http://203.0.113.9.nip.io/mcp", HostKind::Public),
            ("https://user:pw@mcp.example.com/mcp", HostKind::Public),
        ];
        for (url, kind) in cases {
            let parts = parse(url).expect(url);
            assert_eq!(host_kind(parts.host), kind, "{url}");
        }
        assert_eq!(parse("{{PLACES_MCP_URL}}"), None);
        assert_eq!(parse("${env:URL}/mcp"), None);
    }
}
