//! The user's registry settings: an `.npmrc` of any text and any index URL (`UV_INDEX_URL`,
//! `PIP_INDEX_URL`) parse without a panic, and a credential goes only where it was configured:
//! an npm token never to a host its `//host/` prefix does not name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_lint::resolve::settings::Settings;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.splitn(3, '\0');
    let (npmrc, index, url) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let mut settings = Settings::default();
    settings.read_npmrc(npmrc, &|name| (name == "NPM_TOKEN").then(|| "from-the-environment".to_owned()));
    settings.set_pypi_index(index);
    let headers = settings.auth_headers(url);
    let _ = format!("{settings:?}");
    // A bearer header means some `//prefix:_authToken` line is a prefix of the URL without its scheme.
    if headers.iter().any(|(_, value)| value.starts_with("Bearer ")) {
        let bare = url.split_once("://").map_or(url, |(_, rest)| rest);
        let configured = npmrc.lines().any(|line| {
            line.trim()
                .split_once('=')
                .and_then(|(key, _)| key.trim().strip_suffix(":_authToken"))
                .is_some_and(|prefix| prefix.starts_with("//") && format!("//{bare}").starts_with(prefix))
        });
        assert!(configured, "a token sent to {url:?} from {npmrc:?}");
    }
});
