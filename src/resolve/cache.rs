//! The resolver's disk cache: registry documents (reused for a time-to-live, then revalidated by
//! `ETag`), and the record of every artifact digest already verified (immutable, kept forever).

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::http::Document;

/// The cache in `dir` (`$MCP_LINT_CACHE_DIR`, else the user's cache directory + `mcp-lint`).
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CachedResponse {
    pub url: String,
    pub fetched: u64,
    pub etag: Option<String>,
    pub headers: Vec<(String, String)>,
    #[serde(skip)]
    pub body: Vec<u8>,
}

/// The pseudo-header that marks a remembered 404 (no registry sends it).
const NOT_FOUND_HEADER: &str = "x-mcp-lint-not-found";

impl CachedResponse {
    pub fn new(document: &Document) -> Self {
        let etag = document.header("etag").map(str::to_owned);
        // Only the headers later readers use; never anything like a cookie.
        let headers = document
            .headers
            .iter()
            .filter(|(k, _)| {
                ["content-type", "docker-content-digest", "etag"]
                    .iter()
                    .any(|h| k.eq_ignore_ascii_case(h))
            })
            .cloned()
            .collect();
        Self {
            url: document.url.clone(),
            fetched: now(),
            etag,
            headers,
            body: document.body.clone(),
        }
    }

    /// A registry's 404, remembered like a document so that `--offline` knows it too.
    pub fn not_found(url: &str) -> Self {
        Self {
            url: url.to_owned(),
            fetched: now(),
            etag: None,
            headers: vec![(NOT_FOUND_HEADER.to_owned(), "404".to_owned())],
            body: Vec::new(),
        }
    }

    /// Whether this entry remembers a 404.
    pub fn is_not_found(&self) -> bool {
        self.headers.iter().any(|(k, _)| k == NOT_FOUND_HEADER)
    }

    pub fn age(&self) -> Duration {
        Duration::from_secs(now().saturating_sub(self.fetched))
    }

    pub fn document(&self) -> Document {
        Document {
            url: self.url.clone(),
            body: self.body.clone(),
            headers: self.headers.clone(),
        }
    }
}

/// A verified artifact: the bytes at `url` hashed to the digest the record is named after.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Verified {
    pub url: String,
    pub verified: u64,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

impl Cache {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    pub fn load(&self, key: &str) -> Option<CachedResponse> {
        let meta = fs::read(self.dir.join("http").join(format!("{key}.json"))).ok()?;
        let mut cached: CachedResponse = serde_json::from_slice(&meta).ok()?;
        cached.body = fs::read(self.dir.join("http").join(format!("{key}.body"))).ok()?;
        Some(cached)
    }

    /// Stores a response; a cache that cannot be written only costs time, so errors are ignored.
    pub fn store(&self, key: &str, response: &CachedResponse) {
        let dir = self.dir.join("http");
        let Ok(meta) = serde_json::to_vec(response) else {
            return;
        };
        // The body first: a reader that finds the metadata finds the body it describes.
        if write_atomically(&dir, &format!("{key}.body"), &response.body) {
            write_atomically(&dir, &format!("{key}.json"), &meta);
        }
    }

    /// Marks a cached response fresh again after a `304 Not Modified`.
    pub fn touch(&self, key: &str, response: &CachedResponse) {
        let mut fresh = response.clone();
        fresh.fetched = now();
        self.store(key, &fresh);
    }

    /// Whether an artifact with `digest` (`sha512-...`, `sha256:...`) was verified before.
    pub fn verified(&self, digest: &str) -> Option<Verified> {
        let bytes = fs::read(self.dir.join("verified").join(file_name(digest))).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    pub fn record_verified(&self, digest: &str, url: &str) {
        let record = Verified {
            url: url.to_owned(),
            verified: now(),
        };
        if let Ok(bytes) = serde_json::to_vec(&record) {
            write_atomically(&self.dir.join("verified"), &file_name(digest), &bytes);
        }
    }
}

/// A digest as a file name: base64's `/` and `+` and the separators become safe characters.
fn file_name(digest: &str) -> String {
    digest
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
        .collect()
}

fn write_atomically(dir: &Path, name: &str, bytes: &[u8]) -> bool {
    if fs::create_dir_all(dir).is_err() {
        return false;
    }
    let Ok(mut file) = tempfile::NamedTempFile::new_in(dir) else {
        return false;
    };
    file.write_all(bytes).is_ok() && file.persist(dir.join(name)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_and_verifications_round_trip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = Cache::new(dir.path().to_owned());
        let document = Document {
            url: "https://registry.test/a".into(),
            body: b"{\"name\":\"a\"}".to_vec(),
            headers: vec![("ETag".into(), "\"1\"".into()), ("Set-Cookie".into(), "x".into())],
        };
        cache.store("k", &CachedResponse::new(&document));
        let loaded = cache.load("k").expect("cached");
        assert_eq!(loaded.body, document.body);
        assert_eq!(loaded.etag.as_deref(), Some("\"1\""));
        assert!(loaded.headers.iter().all(|(k, _)| k != "Set-Cookie"));
        assert!(cache.verified("sha512-ab/c+=").is_none());
        cache.record_verified("sha512-ab/c+=", "https://registry.test/a.tgz");
        assert_eq!(
            cache.verified("sha512-ab/c+=").map(|v| v.url),
            Some("https://registry.test/a.tgz".to_owned())
        );
    }
}
