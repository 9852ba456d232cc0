//! HTTP for the registry clients: timeouts, bounded retries with backoff, size limits, a disk
//! cache with a time-to-live and `ETag` revalidation, and an offline mode that makes no request.

use std::io::Read;
use std::thread;
use std::time::Duration;

use sha2::Digest as _;
use ureq::http::StatusCode;
use ureq::tls::{RootCerts, TlsConfig};
use ureq::{Agent, ResponseExt as _};

use super::cache::{Cache, CachedResponse};
use super::{DigestAlgorithm, ResolveError};

/// How the client behaves; tests shorten the waits.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// No request at all: only the cache answers.
    pub offline: bool,
    /// Per request, from connect to the last byte.
    pub timeout: Duration,
    /// Attempts for 429, 5xx and timeouts, the first included.
    pub attempts: u32,
    /// The first backoff; doubled on each retry (a `Retry-After` of up to 30 s wins).
    pub backoff: Duration,
    /// Metadata documents larger than this are refused.
    pub max_document: u64,
    /// Artifacts larger than this are refused.
    pub max_artifact: u64,
    /// How long a cached document is used without asking the registry again.
    pub ttl: Duration,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            offline: false,
            timeout: Duration::from_secs(30),
            attempts: 4,
            backoff: Duration::from_millis(500),
            max_document: 64 << 20,
            max_artifact: 512 << 20,
            ttl: Duration::from_secs(10 * 60),
        }
    }
}

/// A fetched document and the URL it finally came from (relative links resolve against it).
#[derive(Debug, Clone)]
pub struct Document {
    pub url: String,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
}

impl Document {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A request's extra headers: `Accept`, `Authorization`.
pub type Headers<'a> = &'a [(&'a str, String)];

pub struct Http {
    agent: Agent,
    cache: Option<Cache>,
    pub options: HttpOptions,
}

/// mcp-lint's HTTP client: the operating system's trust store, the environment's proxy, statuses
/// as answers rather than errors, a whole-request `timeout`, and at most `redirects` redirects.
pub fn agent(timeout: std::time::Duration, redirects: u32) -> Agent {
    Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(redirects)
        .user_agent(concat!("mcp-lint/", env!("CARGO_PKG_VERSION")))
        .proxy(ureq::Proxy::try_from_env())
        .tls_config(TlsConfig::builder().root_certs(RootCerts::PlatformVerifier).build())
        .build()
        .into()
}

impl Http {
    pub fn new(options: HttpOptions, cache: Option<Cache>) -> Self {
        Self {
            agent: agent(options.timeout, 5),
            cache,
            options,
        }
    }

    pub fn cache(&self) -> Option<&Cache> {
        self.cache.as_ref()
    }

    /// A metadata document, from the cache while fresh, revalidated with `If-None-Match` after.
    pub fn get_document(&self, url: &str, headers: Headers) -> Result<Document, ResolveError> {
        let key = cache_key(url, headers);
        let cached = self.cache.as_ref().and_then(|c| c.load(&key));
        if let Some(cached) = &cached
            && (self.options.offline || cached.age() < self.options.ttl)
        {
            if cached.is_not_found() {
                return Err(ResolveError::NotFound { url: url.to_owned() });
            }
            return Ok(cached.document());
        }
        if self.options.offline {
            return Err(ResolveError::Offline { url: url.to_owned() });
        }
        let mut request_headers: Vec<(&str, String)> = headers.to_vec();
        if let Some(etag) = cached.as_ref().and_then(|c| c.etag.clone()) {
            request_headers.push(("If-None-Match", etag));
        }
        let response = self.send("GET", url, &request_headers, self.options.max_document)?;
        if response.status == StatusCode::NOT_MODIFIED
            && let Some(cached) = cached
        {
            if let Some(cache) = &self.cache {
                cache.touch(&key, &cached);
            }
            return Ok(cached.document());
        }
        if let Err(error) = check_status(url, response.status) {
            // A 404 is an answer too: `--offline` later reads it from the cache.
            if let (ResolveError::NotFound { .. }, Some(cache)) = (&error, &self.cache) {
                cache.store(&key, &CachedResponse::not_found(url));
            }
            return Err(error);
        }
        let document = Document {
            url: response.url,
            body: response.body,
            headers: response.headers,
        };
        if let Some(cache) = &self.cache {
            cache.store(&key, &CachedResponse::new(&document));
        }
        Ok(document)
    }

    /// A HEAD request's status and headers (OCI manifests); never cached.
    pub fn head(&self, url: &str, headers: Headers) -> Result<(StatusCode, Vec<(String, String)>), ResolveError> {
        if self.options.offline {
            return Err(ResolveError::Offline { url: url.to_owned() });
        }
        let response = self.send("HEAD", url, headers, 0)?;
        Ok((response.status, response.headers))
    }

    /// A GET whose status the caller interprets (the OCI token challenge); never cached.
    pub fn get_raw(&self, url: &str, headers: Headers) -> Result<(StatusCode, Document), ResolveError> {
        if self.options.offline {
            return Err(ResolveError::Offline { url: url.to_owned() });
        }
        let response = self.send("GET", url, headers, self.options.max_document)?;
        Ok((
            response.status,
            Document {
                url: response.url,
                body: response.body,
                headers: response.headers,
            },
        ))
    }

    /// Downloads an artifact and hashes it while it streams; the bytes are not kept.
    pub fn hash_artifact(
        &self,
        url: &str,
        algorithm: DigestAlgorithm,
        headers: Headers,
    ) -> Result<Vec<u8>, ResolveError> {
        if self.options.offline {
            return Err(ResolveError::Offline { url: url.to_owned() });
        }
        self.with_retries(url, || {
            let mut response = self.call("GET", url, headers)?;
            let status = retry_on(url, &response)?;
            check_status(url, status).map_err(Attempt::Fail)?;
            let declared = response
                .headers()
                .get("content-length")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            if declared.is_some_and(|n| n > self.options.max_artifact) {
                return Err(Attempt::Fail(ResolveError::TooLarge {
                    url: url.to_owned(),
                    limit: self.options.max_artifact,
                }));
            }
            let mut reader = response.body_mut().as_reader();
            let mut hasher = Hasher::new(algorithm);
            let mut buffer = vec![0; 64 * 1024];
            let mut total: u64 = 0;
            loop {
                let read = reader.read(&mut buffer).map_err(|e| {
                    Attempt::Retry(
                        ResolveError::Transport {
                            url: url.to_owned(),
                            message: format!("the download broke off: {e}"),
                        },
                        None,
                    )
                })?;
                if read == 0 {
                    break;
                }
                total += read as u64;
                if total > self.options.max_artifact {
                    return Err(Attempt::Fail(ResolveError::TooLarge {
                        url: url.to_owned(),
                        limit: self.options.max_artifact,
                    }));
                }
                hasher.update(&buffer[..read]);
            }
            if let Some(declared) = declared
                && declared != total
            {
                return Err(Attempt::Retry(
                    ResolveError::Transport {
                        url: url.to_owned(),
                        message: format!("truncated download: {total} of {declared} bytes"),
                    },
                    None,
                ));
            }
            Ok(hasher.finish())
        })
    }

    /// One request (`GET` or `HEAD`) with `headers`; the status is for the caller to judge.
    fn call(&self, method: &str, url: &str, headers: Headers) -> Result<ureq::http::Response<ureq::Body>, Attempt> {
        let mut request = if method == "HEAD" {
            self.agent.head(url)
        } else {
            self.agent.get(url)
        };
        for (name, value) in headers {
            request = request.header(*name, value.as_str());
        }
        request.call().map_err(|e| transport_error(url, e))
    }

    fn send(&self, method: &str, url: &str, headers: Headers, limit: u64) -> Result<RawResponse, ResolveError> {
        self.with_retries(url, || {
            let mut response = self.call(method, url, headers)?;
            let status = retry_on(url, &response)?;
            let final_url = response.get_uri().to_string();
            let headers: Vec<(String, String)> = response
                .headers()
                .iter()
                .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
                .collect();
            let body = if method == "HEAD" {
                Vec::new()
            } else {
                response
                    .body_mut()
                    .with_config()
                    .limit(limit)
                    .read_to_vec()
                    .map_err(|e| match e {
                        ureq::Error::BodyExceedsLimit(_) => Attempt::Fail(ResolveError::TooLarge {
                            url: url.to_owned(),
                            limit,
                        }),
                        other => Attempt::Retry(
                            ResolveError::Transport {
                                url: url.to_owned(),
                                message: format!("the response broke off: {other}"),
                            },
                            None,
                        ),
                    })?
            };
            Ok(RawResponse {
                status,
                url: final_url,
                headers,
                body,
            })
        })
    }

    fn with_retries<T>(&self, url: &str, mut attempt: impl FnMut() -> Result<T, Attempt>) -> Result<T, ResolveError> {
        let mut wait = self.options.backoff;
        let mut last = None;
        for n in 0..self.options.attempts.max(1) {
            if n > 0 {
                thread::sleep(wait);
                wait *= 2;
            }
            match attempt() {
                Ok(value) => return Ok(value),
                Err(Attempt::Fail(error)) => return Err(error),
                Err(Attempt::Retry(error, after)) => {
                    if let Some(after) = after {
                        wait = after.min(Duration::from_secs(30));
                    }
                    last = Some(error);
                }
            }
        }
        Err(ResolveError::GaveUp {
            url: url.to_owned(),
            attempts: self.options.attempts.max(1),
            last: Box::new(last.unwrap_or(ResolveError::Transport {
                url: url.to_owned(),
                message: "no attempt was made".into(),
            })),
        })
    }
}

struct RawResponse {
    status: StatusCode,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

enum Attempt {
    Retry(ResolveError, Option<Duration>),
    Fail(ResolveError),
}

/// The response's status, or a retry for 429 and 5xx (after `Retry-After`, if it says).
fn retry_on(url: &str, response: &ureq::http::Response<ureq::Body>) -> Result<StatusCode, Attempt> {
    let status = response.status();
    if retryable(status) {
        return Err(Attempt::Retry(
            ResolveError::Status {
                url: url.to_owned(),
                status: status.as_u16(),
            },
            retry_after(response),
        ));
    }
    Ok(status)
}

fn retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
}

fn retry_after(response: &ureq::http::Response<ureq::Body>) -> Option<Duration> {
    let seconds = response
        .headers()
        .get("retry-after")?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

fn transport_error(url: &str, error: ureq::Error) -> Attempt {
    let resolve_error = ResolveError::Transport {
        url: url.to_owned(),
        message: error.to_string(),
    };
    match error {
        ureq::Error::Timeout(_) | ureq::Error::Io(_) | ureq::Error::ConnectionFailed => {
            Attempt::Retry(resolve_error, None)
        }
        _ => Attempt::Fail(resolve_error),
    }
}

fn check_status(url: &str, status: StatusCode) -> Result<(), ResolveError> {
    match status.as_u16() {
        200..=299 => Ok(()),
        404 | 410 => Err(ResolveError::NotFound { url: url.to_owned() }),
        401 | 403 => Err(ResolveError::Denied {
            url: url.to_owned(),
            status: status.as_u16(),
        }),
        other => Err(ResolveError::Status {
            url: url.to_owned(),
            status: other,
        }),
    }
}

/// The cache key of a request: its URL and the headers that change the answer (never a token).
fn cache_key(url: &str, headers: Headers) -> String {
    let mut hasher = sha2::Sha256::new();
    hasher.update(url.as_bytes());
    for (name, value) in headers {
        if name.eq_ignore_ascii_case("accept") {
            hasher.update(b"\0accept\0");
            hasher.update(value.as_bytes());
        }
    }
    hex(&hasher.finalize())
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

enum Hasher {
    Sha256(sha2::Sha256),
    Sha512(sha2::Sha512),
}

impl Hasher {
    fn new(algorithm: DigestAlgorithm) -> Self {
        match algorithm {
            DigestAlgorithm::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            DigestAlgorithm::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
        }
    }

    fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Sha256(h) => h.update(bytes),
            Hasher::Sha512(h) => h.update(bytes),
        }
    }

    fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Sha256(h) => h.finalize().to_vec(),
            Hasher::Sha512(h) => h.finalize().to_vec(),
        }
    }
}

/// The digest of bytes already in memory (an OCI manifest).
pub fn digest_of(algorithm: DigestAlgorithm, bytes: &[u8]) -> Vec<u8> {
    let mut hasher = Hasher::new(algorithm);
    hasher.update(bytes);
    hasher.finish()
}
