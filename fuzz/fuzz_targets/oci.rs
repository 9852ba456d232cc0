//! The container registry's answers: a `Docker-Content-Digest`, a `WWW-Authenticate` bearer
//! challenge and a token endpoint's JSON, of any bytes, parse or fail, never a panic; an image
//! reference that parses names itself back in a form that parses to the same image.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mcp_lint::resolve::oci;
use mcp_lint::resolve::settings::Settings;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    if selector % 2 == 1 {
        let _ = oci::token_from_response(body);
        return;
    }
    let Ok(text) = std::str::from_utf8(body) else { return };
    if let Some(digest) = oci::parse_digest(text) {
        assert_eq!(oci::parse_digest(&digest).as_deref(), Some(digest.as_str()));
    }
    if let Some(challenge) = oci::parse_bearer_challenge(text) {
        assert!(!challenge.realm.is_empty(), "a challenge without a realm: {text:?}");
    }
    if let Some(image) = oci::parse_reference(text) {
        let _ = image.api_base(&Settings::default());
        let locked = oci::locked_name(text);
        let _ = oci::parse_reference(&locked);
    }
});
