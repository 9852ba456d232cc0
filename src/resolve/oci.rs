//! Container images: the OCI Distribution API with the bearer-token challenge, Docker Hub short
//! names, and the manifest digest checked against the bytes.

use ureq::http::StatusCode;

use super::http::{self, Http};
use super::settings::Settings;
use super::{DigestAlgorithm, ResolveError};

/// The registry Docker Hub's short names (`nginx`, `user/app`) live on.
pub const DOCKER_HUB: &str = "docker.io";
/// Docker Hub's API host: `docker.io` itself serves no Distribution API.
pub const DOCKER_HUB_API: &str = "https://registry-1.docker.io";

/// What the manifest request accepts: a multi-arch index first, then a single manifest.
pub const MANIFEST_MEDIA_TYPES: [&str; 4] = [
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
];

/// `[registry/]repository[:tag][@digest]`, with Docker Hub's defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ImageRef {
    pub registry: String,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// The name an image is locked under: `registry/repository`, Docker Hub short names expanded
/// (`nginx` -> `docker.io/library/nginx`); the text as written when it does not parse.
pub fn locked_name(text: &str) -> String {
    parse_reference(text).map_or_else(
        || text.split(['@', ':']).next().unwrap_or(text).to_owned(),
        |image| format!("{}/{}", image.registry, image.repository),
    )
}

impl ImageRef {
    /// The base URL of the registry's Distribution API: a configured mirror first.
    pub fn api_base(&self, settings: &Settings) -> String {
        if let Some(mirror) = settings.oci_mirrors.get(&self.registry) {
            return mirror.trim_end_matches('/').to_owned();
        }
        if self.registry == DOCKER_HUB {
            DOCKER_HUB_API.to_owned()
        } else {
            format!("https://{}", self.registry)
        }
    }

    /// `registry/repository:tag`, or `registry/repository@digest` when only a digest is given.
    fn label(&self) -> String {
        match (&self.tag, &self.digest) {
            (Some(tag), _) => format!("{}/{}:{tag}", self.registry, self.repository),
            (None, Some(digest)) => format!("{}/{}@{digest}", self.registry, self.repository),
            (None, None) => format!("{}/{}:latest", self.registry, self.repository),
        }
    }
}

/// `[registry[:port]/]repository[:tag][@sha256:<64 hex>]`, as `docker pull` reads it. The first
/// component names a registry only if it has a `.` or a `:` or is `localhost`; otherwise the image
/// is on Docker Hub, where a one-component name is an official image (`nginx` is
/// `docker.io/library/nginx`). None for anything Docker would call an invalid reference format.
pub fn parse_reference(text: &str) -> Option<ImageRef> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let (name_tag, digest) = match text.split_once('@') {
        Some((name_tag, digest)) => (name_tag, Some(parse_digest(digest)?)),
        None => (text, None),
    };
    let (name, tag) = match name_tag.rfind(':') {
        Some(colon) if !name_tag[colon + 1..].contains('/') => (&name_tag[..colon], Some(&name_tag[colon + 1..])),
        _ => (name_tag, None),
    };
    if let Some(tag) = tag
        && !valid_tag(tag)
    {
        return None;
    }
    let components: Vec<&str> = name.split('/').collect();
    let (registry, path) = match components.split_first() {
        Some((first, rest)) if !rest.is_empty() && is_registry(first) => {
            if !valid_registry(first) {
                return None;
            }
            let host = first.to_ascii_lowercase();
            let host = if host == "index.docker.io" {
                DOCKER_HUB.to_owned()
            } else {
                host
            };
            (host, rest)
        }
        _ => (DOCKER_HUB.to_owned(), components.as_slice()),
    };
    if !path.iter().all(|c| valid_component(c)) {
        return None;
    }
    let mut repository = path.join("/");
    if registry == DOCKER_HUB && path.len() == 1 {
        repository = format!("library/{repository}");
    }
    if repository.len() > 255 {
        return None;
    }
    Some(ImageRef {
        registry,
        repository,
        tag: tag.map(str::to_owned),
        digest,
    })
}

fn is_registry(component: &str) -> bool {
    component.contains('.') || component.contains(':') || component == "localhost"
}

/// `host[:port]`, the host a DNS name, an IPv4 address or a bracketed IPv6 address.
fn valid_registry(text: &str) -> bool {
    let (host_ok, port) = if let Some(rest) = text.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return false;
        };
        let address_ok = !inside.is_empty() && inside.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
        match after {
            "" => (address_ok, None),
            _ => match after.strip_prefix(':') {
                Some(port) => (address_ok, Some(port)),
                None => return false,
            },
        }
    } else {
        let (host, port) = match text.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        };
        let label_ok = |label: &str| {
            !label.is_empty()
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        };
        (host.split('.').all(label_ok), port)
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.chars().all(|c| c.is_ascii_digit()));
    host_ok && port_ok
}

/// A path component: `[a-z0-9]+` runs joined by `.`, `_`, `__` or any run of `-`.
fn valid_component(component: &str) -> bool {
    let alphanumeric = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = component.as_bytes();
    if !bytes.first().is_some_and(alphanumeric) || !bytes.last().is_some_and(alphanumeric) {
        return false;
    }
    let mut rest = component;
    while !rest.is_empty() {
        let run = rest.bytes().take_while(alphanumeric).count();
        rest = &rest[run..];
        let separator_len = rest.bytes().take_while(|b| !alphanumeric(b)).count();
        let separator = &rest[..separator_len];
        let separator_ok =
            separator.is_empty() || matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if !separator_ok {
            return false;
        }
        rest = &rest[separator_len..];
    }
    true
}

/// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
fn valid_tag(tag: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    tag.len() <= 128 && tag.chars().next().is_some_and(word) && tag.chars().all(|c| word(c) || c == '.' || c == '-')
}

/// `sha256:<64 lowercase hex>`, the only digest form accepted.
pub fn parse_digest(text: &str) -> Option<String> {
    let hex = text.strip_prefix("sha256:")?;
    (hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))).then(|| text.to_owned())
}

/// The digest (`sha256:<hex>`) `image`'s tag points at, checked against the manifest's bytes.
///
/// `HEAD /v2/<repository>/manifests/<tag>` (answering a bearer challenge with an anonymous token),
/// then `GET` of the same manifest: its bytes must hash to the `Docker-Content-Digest` the registry
/// announces. An image pinned by digest alone is fetched by that digest and checked against it.
pub fn resolve_digest(http: &Http, settings: &Settings, image: &ImageRef) -> Result<String, ResolveError> {
    let reference = match (&image.tag, &image.digest) {
        (Some(tag), _) => tag.clone(),
        (None, Some(digest)) => digest.clone(),
        (None, None) => "latest".to_owned(),
    };
    let url = format!(
        "{}/v2/{}/manifests/{reference}",
        image.api_base(settings),
        image.repository
    );
    let mut client = Client {
        http,
        repository: &image.repository,
        token: None,
    };
    let head = client.request(Method::Head, &url)?;
    let get = client.request(Method::Get, &url)?;

    let announced = header(&get.headers, "docker-content-digest")
        .or_else(|| header(&head.headers, "docker-content-digest"))
        .map(|value| {
            let value = value.trim().to_ascii_lowercase();
            parse_digest(&value).ok_or_else(|| ResolveError::Malformed {
                url: url.clone(),
                message: format!("unsupported Docker-Content-Digest `{value}`"),
            })
        })
        .transpose()?;
    let actual = format!(
        "sha256:{}",
        http::hex(&http::digest_of(DigestAlgorithm::Sha256, &get.body))
    );
    let pinned = image.tag.is_none().then_some(image.digest.as_ref()).flatten();
    for expected in [announced.as_ref(), pinned].into_iter().flatten() {
        if *expected != actual {
            return Err(ResolveError::DigestMismatch {
                package: image.label(),
                url: url.clone(),
                expected: expected.clone(),
                actual,
            });
        }
    }
    Ok(actual)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Head,
    Get,
}

struct Answer {
    status: StatusCode,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// One image's requests: the `Accept` list, and the bearer token once a challenge gave one.
struct Client<'a> {
    http: &'a Http,
    repository: &'a str,
    token: Option<String>,
}

impl Client<'_> {
    fn call(&self, method: Method, url: &str) -> Result<Answer, ResolveError> {
        let mut headers: Vec<(&str, String)> = vec![("Accept", MANIFEST_MEDIA_TYPES.join(", "))];
        if let Some(token) = &self.token {
            headers.push(("Authorization", format!("Bearer {token}")));
        }
        match method {
            Method::Head => self.http.head(url, &headers).map(|(status, headers)| Answer {
                status,
                headers,
                body: Vec::new(),
            }),
            Method::Get => self.http.get_raw(url, &headers).map(|(status, document)| Answer {
                status,
                headers: document.headers,
                body: document.body,
            }),
        }
    }

    /// A manifest request; a first 401 with a bearer challenge fetches a token and asks again.
    fn request(&mut self, method: Method, url: &str) -> Result<Answer, ResolveError> {
        let mut answer = self.call(method, url)?;
        if answer.status == StatusCode::UNAUTHORIZED && self.token.is_none() {
            let challenge = answer
                .headers
                .iter()
                .filter(|(name, _)| name.eq_ignore_ascii_case("www-authenticate"))
                .find_map(|(_, value)| parse_bearer_challenge(value))
                .ok_or_else(|| ResolveError::Denied {
                    url: url.to_owned(),
                    status: 401,
                })?;
            self.token = Some(fetch_token(self.http, &challenge, self.repository)?);
            answer = self.call(method, url)?;
        }
        match answer.status.as_u16() {
            200..=299 => Ok(answer),
            404 => Err(ResolveError::NotFound { url: url.to_owned() }),
            status @ (401 | 403) => Err(ResolveError::Denied {
                url: url.to_owned(),
                status,
            }),
            status => Err(ResolveError::Status {
                url: url.to_owned(),
                status,
            }),
        }
    }
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BearerChallenge {
    pub realm: String,
    pub service: Option<String>,
    pub scope: Option<String>,
}

/// The parameters of a `Bearer` challenge: quoted values (with `\` escapes, commas allowed
/// inside) or bare tokens, separated by commas. None for another scheme or without a realm.
pub fn parse_bearer_challenge(value: &str) -> Option<BearerChallenge> {
    let value = value.trim_start();
    let scheme_len = value.find(char::is_whitespace).unwrap_or(value.len());
    if !value[..scheme_len].eq_ignore_ascii_case("bearer") {
        return None;
    }
    let mut challenge = BearerChallenge::default();
    let mut realm = None;
    let mut chars = value[scheme_len..].chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace() || *c == ',').is_some() {}
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && *c != ',') {
            key.push(c);
        }
        let key = key.trim().to_ascii_lowercase();
        if key.is_empty() || chars.next() != Some('=') {
            // The end, or a token without `=`: another challenge starts.
            break;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut param = String::new();
        if chars.next_if_eq(&'"').is_some() {
            while let Some(c) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => param.extend(chars.next()),
                    c => param.push(c),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| *c != ',') {
                param.push(c);
            }
            param = param.trim().to_owned();
        }
        match key.as_str() {
            "realm" => realm = Some(param),
            "service" => challenge.service = Some(param),
            "scope" => challenge.scope = Some(param),
            _ => {}
        }
    }
    challenge.realm = realm.filter(|r| !r.is_empty())?;
    Some(challenge)
}

/// An anonymous pull token from the challenge's realm: `token`, or OAuth's `access_token`.
fn fetch_token(http: &Http, challenge: &BearerChallenge, repository: &str) -> Result<String, ResolveError> {
    let mut url = url::Url::parse(&challenge.realm).map_err(|e| ResolveError::Malformed {
        url: challenge.realm.clone(),
        message: format!("the token realm is not a URL: {e}"),
    })?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(ResolveError::Malformed {
            url: challenge.realm.clone(),
            message: "the token realm is not an HTTP URL".into(),
        });
    }
    let scope = challenge
        .scope
        .clone()
        .unwrap_or_else(|| format!("repository:{repository}:pull"));
    {
        let mut query = url.query_pairs_mut();
        if let Some(service) = &challenge.service {
            query.append_pair("service", service);
        }
        query.append_pair("scope", &scope);
    }
    let url = url.to_string();
    let (status, document) = http.get_raw(&url, &[])?;
    if !status.is_success() {
        return Err(ResolveError::Denied {
            url,
            status: status.as_u16(),
        });
    }
    token_from_response(&document.body).map_err(|message| ResolveError::Malformed { url, message })
}

/// The token of a token endpoint's answer: `token`, or OAuth's `access_token`.
pub fn token_from_response(body: &[u8]) -> Result<String, String> {
    let json: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("the token response is not JSON: {e}"))?;
    ["token", "access_token"]
        .iter()
        .find_map(|key| json.get(key).and_then(|v| v.as_str()).filter(|t| !t.is_empty()))
        .map(str::to_owned)
        .ok_or_else(|| "the token response has neither `token` nor `access_token`".to_owned())
}

/// Fetches the manifest `digest` of `name` (`registry/repository`) again and checks its bytes
/// (`mcp-lint verify`).
pub fn verify_manifest(http: &Http, settings: &Settings, name: &str, digest: &str) -> Result<(), ResolveError> {
    let image = parse_reference(&format!("{name}@{digest}")).ok_or_else(|| ResolveError::Malformed {
        url: name.to_owned(),
        message: format!("`{name}@{digest}` is not an image reference"),
    })?;
    let served = resolve_digest(http, settings, &image)?;
    if served.eq_ignore_ascii_case(digest) {
        Ok(())
    } else {
        Err(ResolveError::DigestMismatch {
            package: name.to_owned(),
            url: format!(
                "{}/v2/{}/manifests/{digest}",
                image.api_base(settings),
                image.repository
            ),
            expected: digest.to_owned(),
            actual: served,
        })
    }
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::{Arc, Mutex};
    use std::thread::JoinHandle;
    use std::time::Duration;

    use super::*;
    use crate::resolve::http::HttpOptions;

    /// The digest the sample README gives for `mcp-github-latest.index.json`.
    const README_DIGEST: &str = "sha256:7b97f08845bd1945698e75bfba1bfa84a6dc2699c5fead0c124b6dd3ed3372f0";
    const TOKEN: &str = "eyJhbGciOi.synthetic.jwt";
    const DIGEST_A: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    fn image(registry: &str, repository: &str, tag: Option<&str>, digest: Option<&str>) -> ImageRef {
        ImageRef {
            registry: registry.into(),
            repository: repository.into(),
            tag: tag.map(Into::into),
            digest: digest.map(Into::into),
        }
    }

    #[test]
    fn parse_reference_table() {
        let rows: Vec<(String, Option<ImageRef>)> = vec![
            ("nginx".into(), Some(image("docker.io", "library/nginx", None, None))),
            (
                "nginx:1.27-alpine".into(),
                Some(image("docker.io", "library/nginx", Some("1.27-alpine"), None)),
            ),
            ("mcp/github".into(), Some(image("docker.io", "mcp/github", None, None))),
            (
                "mcp/github:latest".into(),
                Some(image("docker.io", "mcp/github", Some("latest"), None)),
            ),
            (
                "docker.io/nginx".into(),
                Some(image("docker.io", "library/nginx", None, None)),
            ),
            (
                "index.docker.io/mcp/github".into(),
                Some(image("docker.io", "mcp/github", None, None)),
            ),
            (
                "ghcr.io/github/github-mcp-server:v0.5.0".into(),
                Some(image("ghcr.io", "github/github-mcp-server", Some("v0.5.0"), None)),
            ),
            (
                "localhost:5000/x".into(),
                Some(image("localhost:5000", "x", None, None)),
            ),
            ("localhost/x:1".into(), Some(image("localhost", "x", Some("1"), None))),
            (
                "registry.example.com:8443/team/sub/app_name__x.y--z:1.0".into(),
                Some(image(
                    "registry.example.com:8443",
                    "team/sub/app_name__x.y--z",
                    Some("1.0"),
                    None,
                )),
            ),
            (
                format!("mcp/github@{DIGEST_A}"),
                Some(image("docker.io", "mcp/github", None, Some(DIGEST_A))),
            ),
            (
                format!("ghcr.io/a/b:v1@{DIGEST_A}"),
                Some(image("ghcr.io", "a/b", Some("v1"), Some(DIGEST_A))),
            ),
            ("[::1]:5000/x:t".into(), Some(image("[::1]:5000", "x", Some("t"), None))),
            ("[::1]/x".into(), Some(image("[::1]", "x", None, None))),
            // A lone first component with a dot is a repository, not a registry.
            (
                "foo.bar".into(),
                Some(image("docker.io", "library/foo.bar", None, None)),
            ),
            // Invalid references.
            ("".into(), None),
            ("   ".into(), None),
            ("Nginx".into(), None),
            ("ghcr.io/Org/app".into(), None),
            ("mcp//github".into(), None),
            ("mcp/github/".into(), None),
            ("-nginx".into(), None),
            ("a___b".into(), None),
            ("a.-b".into(), None),
            ("nginx:".into(), None),
            ("nginx:-bad".into(), None),
            (format!("nginx:{}", "t".repeat(129)), None),
            ("nginx@sha256:abc".into(), None),
            (format!("nginx@sha256:{}", "A".repeat(64)), None),
            (format!("nginx@md5:{}", "a".repeat(64)), None),
            ("nginx@".into(), None),
            ("bad_host.example.com/x".into(), None),
            ("localhost:port/x".into(), None),
            ("[zz]:5000/x".into(), None),
            ("[::1/x".into(), None),
            ("a b".into(), None),
        ];
        for (text, expected) in rows {
            assert_eq!(parse_reference(&text), expected, "{text:?}");
        }
    }

    fn settings_with(mirrors: Option<String>) -> Settings {
        let env = move |name: &str| {
            if name == "MCP_LINT_REGISTRY_MIRRORS" {
                mirrors.clone()
            } else {
                None
            }
        };
        Settings::from_sources(Path::new("/nonexistent/project"), &env, None)
    }

    #[test]
    fn api_base_uses_mirrors_then_defaults() {
        let settings = settings_with(Some(
            "ghcr.io=http://127.0.0.1:9/, quay.io = https://mirror.test".into(),
        ));
        let base = |text: &str| parse_reference(text).expect("valid").api_base(&settings);
        assert_eq!(base("ghcr.io/a/b"), "http://127.0.0.1:9");
        assert_eq!(base("quay.io/a/b:1"), "https://mirror.test");
        assert_eq!(base("nginx"), "https://registry-1.docker.io");
        assert_eq!(base("localhost:5000/x"), "https://localhost:5000");
        assert_eq!(base("registry.gitlab.com/g/p"), "https://registry.gitlab.com");
    }

    #[test]
    fn bearer_challenge_parsing() {
        assert_eq!(
            parse_bearer_challenge(
                r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:mcp/github:pull""#
            ),
            Some(BearerChallenge {
                realm: "https://auth.docker.io/token".into(),
                service: Some("registry.docker.io".into()),
                scope: Some("repository:mcp/github:pull".into()),
            })
        );
        assert_eq!(
            parse_bearer_challenge(
                r#"bearer  scope="repository:a/b:pull,push" , realm="https://x.test/t?a=\"1\"",error=insufficient_scope"#
            ),
            Some(BearerChallenge {
                realm: r#"https://x.test/t?a="1""#.into(),
                service: None,
                scope: Some("repository:a/b:pull,push".into()),
            })
        );
        assert_eq!(
            parse_bearer_challenge("Bearer realm=https://x.test/token, service=reg"),
            Some(BearerChallenge {
                realm: "https://x.test/token".into(),
                service: Some("reg".into()),
                scope: None,
            })
        );
        assert_eq!(parse_bearer_challenge(r#"Basic realm="registry""#), None);
        assert_eq!(parse_bearer_challenge(r#"Bearer service="x""#), None);
        assert_eq!(parse_bearer_challenge("Bearer"), None);
    }

    // The loopback registry.

    fn samples() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/registry-samples/oci")
    }

    /// The sample index's bytes and digest: the README's when the samples are there, else an
    /// inline index and its computed digest.
    fn index_body() -> (Vec<u8>, String) {
        match std::fs::read(samples().join("mcp-github-latest.index.json")) {
            Ok(bytes) => (bytes, README_DIGEST.to_owned()),
            Err(_) => {
                let body =
                    br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"#
                        .to_vec();
                let digest = format!("sha256:{}", http::hex(&http::digest_of(DigestAlgorithm::Sha256, &body)));
                (body, digest)
            }
        }
    }

    fn token_body() -> Vec<u8> {
        std::fs::read(samples().join("token-response.json")).unwrap_or_else(|_| {
            format!(r#"{{"token":"{TOKEN}","access_token":"{TOKEN}","expires_in":300}}"#).into_bytes()
        })
    }

    #[derive(Clone)]
    struct MockConfig {
        repository: String,
        tag: String,
        require_token: bool,
        token_status: u16,
        token_body: Vec<u8>,
        manifest_status: u16,
        /// What the GET serves.
        body: Vec<u8>,
        /// Docker-Content-Digest on the HEAD and on the GET.
        head_digest: Option<String>,
        get_digest: Option<String>,
    }

    impl MockConfig {
        fn new() -> Self {
            let (body, digest) = index_body();
            Self {
                repository: "mcp/github".into(),
                tag: "latest".into(),
                require_token: true,
                token_status: 200,
                token_body: token_body(),
                manifest_status: 200,
                body,
                head_digest: Some(digest.clone()),
                get_digest: Some(digest),
            }
        }
    }

    #[derive(Debug, Clone)]
    struct Seen {
        method: String,
        url: String,
        authorization: Option<String>,
        accept: Option<String>,
    }

    struct Mock {
        server: Arc<tiny_http::Server>,
        port: u16,
        seen: Arc<Mutex<Vec<Seen>>>,
        thread: Option<JoinHandle<()>>,
    }

    impl Mock {
        fn start(config: MockConfig) -> Self {
            let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind the loopback registry"));
            let port = server.server_addr().to_ip().expect("an IP address").port();
            let seen = Arc::new(Mutex::new(Vec::new()));
            let thread = {
                let (server, seen) = (Arc::clone(&server), Arc::clone(&seen));
                std::thread::spawn(move || {
                    for request in server.incoming_requests() {
                        let get = |name: &'static str| {
                            request
                                .headers()
                                .iter()
                                .find(|h| h.field.equiv(name))
                                .map(|h| h.value.as_str().to_owned())
                        };
                        let entry = Seen {
                            method: request.method().as_str().to_owned(),
                            url: request.url().to_owned(),
                            authorization: get("Authorization"),
                            accept: get("Accept"),
                        };
                        let response = respond(&config, port, &entry);
                        seen.lock().expect("lock").push(entry);
                        let _ = request.respond(response);
                    }
                })
            };
            Self {
                server,
                port,
                seen,
                thread: Some(thread),
            }
        }

        fn base(&self) -> String {
            format!("http://127.0.0.1:{}", self.port)
        }

        fn seen(&self) -> Vec<Seen> {
            self.seen.lock().expect("lock").clone()
        }
    }

    impl Drop for Mock {
        fn drop(&mut self) {
            self.server.unblock();
            if let Some(thread) = self.thread.take() {
                let _ = thread.join();
            }
        }
    }

    fn with_header(
        response: tiny_http::Response<std::io::Cursor<Vec<u8>>>,
        name: &str,
        value: &str,
    ) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
        response.with_header(tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a header"))
    }

    /// The README's flow, with the token realm on the mock itself.
    fn respond(config: &MockConfig, port: u16, seen: &Seen) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
        let (path, query) = seen.url.split_once('?').unwrap_or((seen.url.as_str(), ""));
        let scope = format!("repository:{}:pull", config.repository);
        if path == "/token" {
            let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
            let wanted = [
                ("service".to_owned(), "registry.docker.io".to_owned()),
                ("scope".to_owned(), scope),
            ];
            if pairs != wanted {
                return tiny_http::Response::from_string(format!("unexpected query {pairs:?}")).with_status_code(400);
            }
            return tiny_http::Response::from_data(config.token_body.clone()).with_status_code(config.token_status);
        }
        if path != format!("/v2/{}/manifests/{}", config.repository, config.tag) {
            return tiny_http::Response::from_string("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}")
                .with_status_code(404);
        }
        if config.require_token && seen.authorization.as_deref() != Some(&format!("Bearer {TOKEN}")) {
            let challenge =
                format!(r#"Bearer realm="http://127.0.0.1:{port}/token",service="registry.docker.io",scope="{scope}""#);
            let response =
                tiny_http::Response::from_string("{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}").with_status_code(401);
            return with_header(response, "WWW-Authenticate", &challenge);
        }
        if config.manifest_status != 200 {
            return tiny_http::Response::from_string("no").with_status_code(config.manifest_status);
        }
        let digest = if seen.method == "HEAD" {
            &config.head_digest
        } else {
            &config.get_digest
        };
        let mut response = with_header(
            tiny_http::Response::from_data(config.body.clone()),
            "Content-Type",
            "application/vnd.oci.image.index.v1+json",
        );
        if let Some(digest) = digest {
            response = with_header(response, "Docker-Content-Digest", digest);
        }
        response
    }

    fn fast_http() -> Http {
        Http::new(
            HttpOptions {
                attempts: 1,
                backoff: Duration::from_millis(1),
                timeout: Duration::from_secs(10),
                ..HttpOptions::default()
            },
            None,
        )
    }

    fn hub_settings(mock: &Mock) -> Settings {
        settings_with(Some(format!("docker.io={}", mock.base())))
    }

    fn github_image() -> ImageRef {
        parse_reference("mcp/github:latest").expect("valid")
    }

    #[test]
    fn happy_path_returns_the_announced_digest() {
        let mock = Mock::start(MockConfig::new());
        let (body, expected) = index_body();
        assert_eq!(
            format!("sha256:{}", http::hex(&http::digest_of(DigestAlgorithm::Sha256, &body))),
            expected,
            "the sample's bytes hash to the README's digest"
        );
        let digest = resolve_digest(&fast_http(), &hub_settings(&mock), &github_image()).expect("resolves");
        assert_eq!(digest, expected);
        if samples().is_dir() {
            assert_eq!(digest, README_DIGEST);
        }
        let seen = mock.seen();
        let summary: Vec<(&str, &str, bool)> = seen
            .iter()
            .map(|s| {
                (
                    s.method.as_str(),
                    s.url.split('?').next().unwrap_or_default(),
                    s.authorization.is_some(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("HEAD", "/v2/mcp/github/manifests/latest", false),
                ("GET", "/token", false),
                ("HEAD", "/v2/mcp/github/manifests/latest", true),
                ("GET", "/v2/mcp/github/manifests/latest", true),
            ]
        );
        for request in seen.iter().filter(|s| s.url.starts_with("/v2/")) {
            let accept = request.accept.as_deref().expect("an Accept header");
            for media_type in MANIFEST_MEDIA_TYPES {
                assert!(accept.contains(media_type), "{accept}");
            }
        }
    }

    #[test]
    fn challenge_then_bearer_token_with_access_token_only() {
        let mock = Mock::start(MockConfig {
            token_body: format!(r#"{{"access_token":"{TOKEN}","expires_in":300}}"#).into_bytes(),
            ..MockConfig::new()
        });
        let digest = resolve_digest(&fast_http(), &hub_settings(&mock), &github_image()).expect("resolves");
        assert_eq!(digest, index_body().1);
        let seen = mock.seen();
        assert_eq!(seen[0].method, "HEAD");
        assert_eq!(seen[0].authorization, None);
        assert!(seen[1].url.starts_with("/token?"), "{seen:?}");
        let bearer = format!("Bearer {TOKEN}");
        assert!(
            seen[2..]
                .iter()
                .all(|s| s.authorization.as_deref() == Some(bearer.as_str())),
            "{seen:?}"
        );
        assert_eq!(seen.len(), 4, "one token request, then HEAD and GET: {seen:?}");
    }

    #[test]
    fn open_registry_needs_no_token() {
        let mock = Mock::start(MockConfig {
            require_token: false,
            ..MockConfig::new()
        });
        let digest = resolve_digest(&fast_http(), &hub_settings(&mock), &github_image()).expect("resolves");
        assert_eq!(digest, index_body().1);
        assert!(
            mock.seen()
                .iter()
                .all(|s| s.authorization.is_none() && s.url.starts_with("/v2/"))
        );
    }

    #[test]
    fn tampered_body_is_a_digest_mismatch() {
        let (mut body, announced) = index_body();
        body.extend_from_slice(b" ");
        let tampered = format!("sha256:{}", http::hex(&http::digest_of(DigestAlgorithm::Sha256, &body)));
        let mock = Mock::start(MockConfig {
            body,
            ..MockConfig::new()
        });
        let error = resolve_digest(&fast_http(), &hub_settings(&mock), &github_image()).expect_err("tampered");
        assert!(error.is_tampering());
        assert_eq!(
            error,
            ResolveError::DigestMismatch {
                package: "docker.io/mcp/github:latest".into(),
                url: format!("{}/v2/mcp/github/manifests/latest", mock.base()),
                expected: announced,
                actual: tampered,
            }
        );
    }

    #[test]
    fn head_digest_is_used_when_the_get_has_none() {
        let (body, announced) = index_body();
        let mock = Mock::start(MockConfig {
            get_digest: None,
            head_digest: Some(DIGEST_A.into()),
            ..MockConfig::new()
        });
        let error = resolve_digest(&fast_http(), &hub_settings(&mock), &github_image()).expect_err("mismatch");
        assert!(matches!(&error, ResolveError::DigestMismatch { expected, actual, .. }
            if expected == DIGEST_A && *actual == announced));
        drop(mock);

        let mock = Mock::start(MockConfig {
            get_digest: None,
            head_digest: None,
            body,
            ..MockConfig::new()
        });
        let digest = resolve_digest(&fast_http(), &hub_settings(&mock), &github_image()).expect("no header");
        assert_eq!(
            digest, announced,
            "without a header the body's own digest is the answer"
        );
    }

    #[test]
    fn digest_pinned_image_is_fetched_by_digest_and_checked() {
        let (_, announced) = index_body();
        let mock = Mock::start(MockConfig {
            tag: announced.clone(),
            ..MockConfig::new()
        });
        let pinned = parse_reference(&format!("mcp/github@{announced}")).expect("valid");
        assert_eq!(
            resolve_digest(&fast_http(), &hub_settings(&mock), &pinned),
            Ok(announced.clone())
        );
        drop(mock);

        let mock = Mock::start(MockConfig {
            tag: DIGEST_A.into(),
            head_digest: None,
            get_digest: None,
            ..MockConfig::new()
        });
        let pinned = parse_reference(&format!("mcp/github@{DIGEST_A}")).expect("valid");
        let error = resolve_digest(&fast_http(), &hub_settings(&mock), &pinned).expect_err("other bytes");
        assert!(matches!(&error, ResolveError::DigestMismatch { package, expected, .. }
            if package == &format!("docker.io/mcp/github@{DIGEST_A}") && expected == DIGEST_A));
    }

    #[test]
    fn missing_tag_is_not_found() {
        let mock = Mock::start(MockConfig::new());
        let missing = parse_reference("mcp/github:nope").expect("valid");
        let error = resolve_digest(&fast_http(), &hub_settings(&mock), &missing).expect_err("404");
        assert_eq!(
            error,
            ResolveError::NotFound {
                url: format!("{}/v2/mcp/github/manifests/nope", mock.base())
            }
        );
    }

    #[test]
    fn other_statuses_and_token_failures() {
        let mock = Mock::start(MockConfig {
            manifest_status: 418,
            ..MockConfig::new()
        });
        let error = resolve_digest(&fast_http(), &hub_settings(&mock), &github_image()).expect_err("418");
        assert!(matches!(error, ResolveError::Status { status: 418, .. }), "{error:?}");
        drop(mock);

        let mock = Mock::start(MockConfig {
            token_status: 401,
            ..MockConfig::new()
        });
        let error = resolve_digest(&fast_http(), &hub_settings(&mock), &github_image()).expect_err("denied");
        assert!(
            matches!(&error, ResolveError::Denied { url, status: 401 } if url.contains("/token?")),
            "{error:?}"
        );
        drop(mock);

        let mock = Mock::start(MockConfig {
            token_body: b"{}".to_vec(),
            ..MockConfig::new()
        });
        let error = resolve_digest(&fast_http(), &hub_settings(&mock), &github_image()).expect_err("no token");
        assert!(matches!(error, ResolveError::Malformed { .. }), "{error:?}");
    }

    #[test]
    fn mirror_mapping_from_settings() {
        let mock = Mock::start(MockConfig::new());
        let env_value = format!("ghcr.io={}", mock.base());
        let env = move |name: &str| (name == "MCP_LINT_REGISTRY_MIRRORS").then(|| env_value.clone());
        let settings = Settings::from_sources(Path::new("/nonexistent/project"), &env, None);
        let image = parse_reference("ghcr.io/mcp/github:latest").expect("valid");
        assert_eq!(image.api_base(&settings), mock.base());
        assert_eq!(resolve_digest(&fast_http(), &settings, &image), Ok(index_body().1));
        assert!(
            mock.seen()
                .iter()
                .any(|s| s.method == "GET" && s.url == "/v2/mcp/github/manifests/latest")
        );
    }
}
