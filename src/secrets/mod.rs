//! Recognises literal credentials in config values, and the reference syntaxes that are not.
//!
//! Every check scans bytes for ASCII markers instead of running regexes: this runs on every editor
//! save. Offsets found at ASCII bytes always fall on char boundaries, so no slice splits a char.

pub mod documented;
pub mod mask;
mod placeholders;
mod shapes;

use placeholders::{
    CONFIG_WORDS, GENERIC_NAMES, SENTINELS, contains_reference, is_placeholder, looks_like_env_name, looks_like_path,
    looks_numeric, looks_random,
};
pub use placeholders::{is_reference, is_secret_name};
use shapes::{find_private_key, find_shape};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    GitHubToken,
    OpenAiKey,
    AnthropicKey,
    SlackToken,
    AwsAccessKey,
    GitLabToken,
    SentryToken,
    GoogleApiKey,
    StripeKey,
    HuggingFaceToken,
    NpmToken,
    Jwt,
    PrivateKey,
    BearerToken,
    /// `Authorization: Basic <base64 of user:password>`.
    BasicCredentials,
    UrlPassword,
    /// A key written as a segment of a server URL's path (`/mcp/<key>/sse`).
    UrlPathKey,
    ConnectionStringPassword,
    NamedSecret,
}

impl SecretKind {
    pub fn describe(self) -> &'static str {
        match self {
            SecretKind::GitHubToken => "GitHub token",
            SecretKind::OpenAiKey => "OpenAI API key",
            SecretKind::AnthropicKey => "Anthropic API key",
            SecretKind::SlackToken => "Slack token",
            SecretKind::AwsAccessKey => "AWS access key id",
            SecretKind::GitLabToken => "GitLab token",
            SecretKind::SentryToken => "Sentry token",
            SecretKind::GoogleApiKey => "Google API key",
            SecretKind::StripeKey => "Stripe key",
            SecretKind::HuggingFaceToken => "Hugging Face token",
            SecretKind::NpmToken => "npm token",
            SecretKind::Jwt => "JSON Web Token",
            SecretKind::PrivateKey => "private key",
            SecretKind::BearerToken => "bearer token",
            SecretKind::BasicCredentials => "Basic credential (a user name and password in base64)",
            SecretKind::UrlPassword => "password in a URL",
            SecretKind::UrlPathKey => "key in the URL path",
            SecretKind::ConnectionStringPassword => "password in a connection string",
            SecretKind::NamedSecret => "value of a secret-named key",
        }
    }

    /// Token shapes open with a public marker (`ghp_`, `sk-`), so showing it reveals nothing.
    fn has_public_prefix(self) -> bool {
        !matches!(
            self,
            SecretKind::PrivateKey
                | SecretKind::BearerToken
                | SecretKind::BasicCredentials
                | SecretKind::UrlPassword
                | SecretKind::UrlPathKey
                | SecretKind::ConnectionStringPassword
                | SecretKind::NamedSecret
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMatch {
    pub kind: SecretKind,
    /// Byte range of the secret itself inside the value (e.g. only the token after "Bearer ", only the password in a URL).
    pub start: usize,
    pub end: usize,
    /// True for obvious placeholders (YOUR_TOKEN, <token>, xxx, changeme, ghp_your_token_here, sk-...): a note, not a leak.
    pub placeholder: bool,
    /// UPPER_SNAKE env var name a fix should use.
    pub suggested_env: String,
}

/// Where a value sits, which decides which checks apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueContext<'a> {
    /// An env var value; the key is the variable name.
    Env { key: &'a str },
    /// An HTTP header value; the key is the header name.
    Header { name: &'a str },
    /// A config field holding a credential by name (LiteLLM `authentication_token`, `client_secret`, `master_key`…).
    Field { key: &'a str },
    /// A command-line argument; `previous` is the arg before it (e.g. "--api-key" or "-e").
    Arg { previous: Option<&'a str> },
    /// A server URL.
    Url,
}

/// Length of a leading `Bearer `/`Basic ` (and `Token ` in headers), matched case-insensitively.
fn auth_scheme_len(value: &str, allow_token: bool) -> Option<usize> {
    let schemes = ["bearer ", "basic ", "token "];
    let allowed = if allow_token { &schemes[..] } else { &schemes[..2] };
    let opens = |scheme: &str| {
        value
            .get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
    };
    allowed.iter().find(|scheme| opens(scheme)).map(|scheme| scheme.len())
}

fn run_end(bytes: &[u8], from: usize, accept: impl Fn(u8) -> bool) -> usize {
    bytes[from.min(bytes.len())..]
        .iter()
        .position(|&b| !accept(b))
        .map_or(bytes.len(), |i| from + i)
}

/// `GitHub-Token` → `GIT_HUB_TOKEN`, `apiKey` → `API_KEY`, `--api-key` → `API_KEY`.
fn upper_snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut previous_lower = false;
    for c in name.trim_start_matches('-').chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && previous_lower && !out.ends_with('_') {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
            previous_lower = c.is_ascii_lowercase();
        } else {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            previous_lower = false;
        }
    }
    let trimmed = out.trim_end_matches('_');
    if trimmed.starts_with(|c: char| c.is_ascii_digit()) {
        format!("MCP_{trimmed}")
    } else {
        trimmed.to_owned()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Strictness {
    /// The position says "credential" (credential fields, `Bearer`): any literal counts.
    Credential,
    /// Only the name says "secret": the value must also look like one.
    Named,
}

/// The trimmed range of `value[start..end]` when it holds a literal secret.
fn literal_range(value: &str, start: usize, end: usize, strictness: Strictness) -> Option<(usize, usize)> {
    let raw = &value[start..end];
    let text = raw.trim();
    let start = start + (raw.len() - raw.trim_start().len());
    let range = Some((start, start + text.len()));
    if text.is_empty() || is_reference(text) || contains_reference(text) {
        return None;
    }
    if SENTINELS.contains(&text.to_ascii_lowercase()) {
        return None;
    }
    if strictness == Strictness::Credential || looks_random(text) {
        return range;
    }
    if text.contains("://") || looks_like_path(text) {
        return None;
    }
    if is_placeholder(text) {
        return range;
    }
    let ordinary = text.chars().count() < 6
        || looks_numeric(text)
        || looks_like_env_name(text)
        || text.starts_with('-')
        || CONFIG_WORDS.contains(&text.to_ascii_lowercase());
    (!ordinary).then_some(range?)
}

/// The name a literal sits under, which decides whether it is a secret and what to call the variable.
struct Label<'a> {
    name: Option<&'a str>,
    secret: bool,
    /// Env keys and flags already name a variable; field, header and query names defer to a token's shape.
    wins_over_shape: bool,
}

impl<'a> Label<'a> {
    const UNNAMED: Label<'static> = Label {
        name: None,
        secret: false,
        wins_over_shape: false,
    };

    fn named(name: &'a str, wins_over_shape: bool) -> Self {
        Label {
            name: Some(name),
            secret: is_secret_name(name),
            wins_over_shape,
        }
    }

    fn suggest_env(&self, kind: SecretKind, specific: Option<String>) -> String {
        let from_name = self
            .name
            .filter(|_| self.secret)
            .map(upper_snake)
            .filter(|n| !n.is_empty());
        match (from_name, specific) {
            (Some(name), _) if self.wins_over_shape && !GENERIC_NAMES.contains(&name) => name,
            (_, Some(specific)) => specific,
            (Some(name), None) if !GENERIC_NAMES.contains(&name) => name,
            (Some(name), None) if name.starts_with("AUTH") && kind == SecretKind::BasicCredentials => {
                "MCP_BASIC_AUTH".to_owned()
            }
            (Some(name), None) if name.starts_with("AUTH") => "MCP_AUTH_TOKEN".to_owned(),
            (Some(name), None) => format!("MCP_{name}"),
            (None, None) if kind == SecretKind::BearerToken => "MCP_AUTH_TOKEN".to_owned(),
            (None, None) if kind == SecretKind::BasicCredentials => "MCP_BASIC_AUTH".to_owned(),
            (None, None) => "MCP_SECRET".to_owned(),
        }
    }

    fn hit(
        &self,
        value: &str,
        kind: SecretKind,
        (start, end): (usize, usize),
        specific: Option<String>,
    ) -> SecretMatch {
        SecretMatch {
            kind,
            start,
            end,
            placeholder: is_placeholder(&value[start..end]),
            suggested_env: self.suggest_env(kind, specific),
        }
    }
}

/// The first literal credential in `value`, if any. Never flags references.
/// Every secret in `value`: all the credentials of its URLs where it holds any, else the one
/// [`find_secret`] finds.
pub fn find_secrets(context: ValueContext<'_>, value: &str) -> Vec<SecretMatch> {
    let Some(first) = find_secret(context, value) else {
        return Vec::new();
    };
    let (label, _) = label_for(context, value);
    let in_urls = url_secrets(value, &label);
    if in_urls.len() > 1 && in_urls.iter().any(|hit| hit.start == first.start) {
        in_urls
    } else {
        vec![first]
    }
}

pub fn find_secret(context: ValueContext<'_>, value: &str) -> Option<SecretMatch> {
    if is_reference(value) {
        return None;
    }
    let (label, literal_start) = label_for(context, value);
    if let Some((kind, env, range)) = find_shape(value) {
        return Some(label.hit(value, kind, range, Some(env.to_owned())));
    }
    if let Some(range) = find_private_key(value) {
        let mut hit = label.hit(value, SecretKind::PrivateKey, range, Some("MCP_PRIVATE_KEY".to_owned()));
        hit.placeholder = value[range.0..range.1].len() < 100 || is_placeholder(&value[range.0..range.1]);
        return Some(hit);
    }
    if let Some(hit) = find_in_urls(value, &label) {
        return Some(hit);
    }
    if let Some(hit) = find_connection_password(value, &label) {
        return Some(hit);
    }
    // Ex) mcp-remote: "args": ["--header", "Authorization: Bearer abc123"]
    if let ValueContext::Arg { .. } = context
        && let Some(colon) = value.find(':')
        && colon > 0
        && value.as_bytes()[..colon]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
        && let Some(mut hit) = find_secret(ValueContext::Header { name: &value[..colon] }, &value[colon + 1..])
    {
        hit.start += colon + 1;
        hit.end += colon + 1;
        return Some(hit);
    }
    let literal_start = literal_start + (value[literal_start..].len() - value[literal_start..].trim_start().len());
    let literal = &value[literal_start..];
    let scheme = auth_scheme_len(literal, matches!(context, ValueContext::Header { .. }));
    if let Some(scheme_len) = scheme {
        let start = literal_start + scheme_len;
        let range = literal_range(value, start, value.len(), Strictness::Credential)?;
        let basic = literal[..scheme_len].trim().eq_ignore_ascii_case("basic");
        let kind = if basic {
            SecretKind::BasicCredentials
        } else {
            SecretKind::BearerToken
        };
        return Some(label.hit(value, kind, range, None));
    }
    if !label.secret {
        return None;
    }
    let strictness = if let ValueContext::Field { .. } = context {
        Strictness::Credential
    } else {
        Strictness::Named
    };
    let range = literal_range(value, literal_start, value.len(), strictness)?;
    Some(label.hit(value, SecretKind::NamedSecret, range, None))
}

/// The name a value sits under and where its literal part starts (after `--flag=` or `NAME=` in args).
fn label_for<'a>(context: ValueContext<'a>, value: &'a str) -> (Label<'a>, usize) {
    match context {
        ValueContext::Env { key } => (Label::named(key, true), 0),
        ValueContext::Field { key } => (
            Label {
                secret: true,
                ..Label::named(key, false)
            },
            0,
        ),
        ValueContext::Header { name } => (Label::named(name, false), 0),
        ValueContext::Url => (Label::UNNAMED, 0),
        ValueContext::Arg { previous } => {
            // Ex) "--api-key=top-secret", or "-e", "GITHUB_TOKEN=ghp_…"
            if let Some(eq) = value.find('=') {
                let name = value[..eq].trim_start_matches('-');
                let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                if identifier {
                    return (Label::named(name, true), eq + 1);
                }
            }
            // Only long flags: what follows `-e` or `-k` depends on the program.
            match previous {
                Some(flag) if flag.starts_with("--") && !flag.contains('=') => (Label::named(flag, true), 0),
                _ => (Label::UNNAMED, 0),
            }
        }
    }
}

/// Passwords in `scheme://user:pass@host`, and secret-named query parameters (`?token=`, `&api_key=`).
fn find_in_urls(value: &str, label: &Label<'_>) -> Option<SecretMatch> {
    url_secrets(value, label).into_iter().next()
}

/// Every credential in the URLs of `value`, in order: the userinfo password, the values of
/// secret-named query parameters, and path segments that are keys (per-user server URLs).
fn url_secrets(value: &str, label: &Label<'_>) -> Vec<SecretMatch> {
    let mut hits = Vec::new();
    let bytes = value.as_bytes();
    let mut search_from = 0;
    while let Some(found) = value[search_from..].find("://") {
        let separator = search_from + found;
        search_from = separator + 3;
        let scheme_start = bytes[..separator]
            .iter()
            .rposition(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-')))
            .map_or(0, |i| i + 1);
        let scheme = &value[scheme_start..separator];
        let authority_start = separator + 3;
        let url_end = run_end(bytes, authority_start, |b| {
            !b.is_ascii_whitespace() && !b"\"'<>`".contains(&b)
        });
        let authority_end = run_end(bytes, authority_start, |b| !b"/?#".contains(&b)).min(url_end);
        let authority = &value[authority_start..authority_end];
        if let Some(at) = authority.rfind('@')
            && let Some(colon) = authority[..at].find(':')
            && let Some(range) = literal_range(
                value,
                authority_start + colon + 1,
                authority_start + at,
                Strictness::Credential,
            )
        {
            let specific = password_env(label.name.filter(|_| !label.secret), scheme);
            hits.push(label.hit(value, SecretKind::UrlPassword, range, Some(specific)));
        }
        let host = authority.rsplit('@').next().unwrap_or_default();
        let host = host.split(':').next().unwrap_or_default().to_ascii_lowercase();
        let path_end = value[authority_end..url_end]
            .find(['?', '#'])
            .map_or(url_end, |i| authority_end + i);
        let mut segment_start = authority_end;
        for segment in value[authority_end..path_end].split('/') {
            let start = segment_start;
            segment_start += segment.len() + 1;
            if is_path_key(&host, segment)
                && let Some(range) = literal_range(value, start, start + segment.len(), Strictness::Credential)
            {
                hits.push(label.hit(
                    value,
                    SecretKind::UrlPathKey,
                    range,
                    Some("MCP_SERVER_URL_KEY".to_owned()),
                ));
            }
        }
        let Some(question) = value[authority_end..url_end].find('?') else {
            continue;
        };
        let query_end = value[authority_end..url_end]
            .find('#')
            .map_or(url_end, |i| authority_end + i);
        let mut pair_start = authority_end + question + 1;
        while pair_start < query_end {
            let pair_end = value[pair_start..query_end]
                .find('&')
                .map_or(query_end, |i| pair_start + i);
            if let Some(eq) = value[pair_start..pair_end].find('=') {
                let name = &value[pair_start..pair_start + eq];
                // Azure SAS `sig=` is the credential of a shared-access URL.
                let param = Label {
                    secret: is_secret_name(name) || name == "sig",
                    ..Label::named(name, false)
                };
                if param.secret
                    && let Some(range) = literal_range(value, pair_start + eq + 1, pair_end, Strictness::Named)
                {
                    hits.push(param.hit(value, SecretKind::NamedSecret, range, None));
                }
            }
            pair_start = pair_end + 1;
        }
    }
    hits
}

/// Hosts whose MCP server URLs carry the caller's credential in a path segment.
const KEY_IN_PATH_HOSTS: [&str; 4] = ["composio.dev", "zapier.com", "pipedream.net", "smithery.ai"];

/// A URL path segment that is a key: a random-looking one anywhere, or an id (a UUID, a long
/// token) on a host known to put the credential there.
fn is_path_key(host: &str, segment: &str) -> bool {
    let known_host = KEY_IN_PATH_HOSTS
        .iter()
        .any(|known| host == *known || host.strip_suffix(known).is_some_and(|rest| rest.ends_with('.')));
    let uuid = segment.len() == 36
        && segment.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == '-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    (known_host && (uuid || (segment.len() >= 16 && looks_random(segment))))
        || (segment.len() >= 20 && looks_random(segment) && !is_placeholder(segment))
}

/// `Server=db;Password=…;` and `pwd=` in ADO/ODBC/JDBC-style connection strings.
fn find_connection_password(value: &str, label: &Label<'_>) -> Option<SecretMatch> {
    let lower = value.to_ascii_lowercase();
    for key in ["password=", "pwd=", "passwd="] {
        let Some(at) = lower.find(key) else {
            continue;
        };
        let after_separator = at > 0 && matches!(lower.as_bytes()[at - 1], b';' | b' ' | b'\t');
        // A lone `PASSWORD=x` arg is an assignment, left to the named-key check.
        if !(after_separator || (at == 0 && value.contains(';'))) {
            continue;
        }
        let start = at + key.len();
        let end = value[start..].find(';').map_or(value.len(), |i| start + i);
        let range = literal_range(value, start, end, Strictness::Credential)?;
        let specific = label
            .name
            .filter(|_| !label.secret)
            .map_or("DATABASE_PASSWORD".to_owned(), |n| password_env(Some(n), ""));
        return Some(label.hit(value, SecretKind::ConnectionStringPassword, range, Some(specific)));
    }
    None
}

/// `DATABASE_URL` → `DATABASE_PASSWORD`; with no usable key, from the scheme (`redis://` → `REDIS_PASSWORD`).
fn password_env(key: Option<&str>, scheme: &str) -> String {
    if let Some(key) = key.map(upper_snake).filter(|k| !k.is_empty()) {
        let suffixes = "_CONNECTION_STRING _CONN_STRING _CONN_STR _CONNECTION _CONN _URL _URI _DSN";
        let stem = suffixes
            .split(' ')
            .find_map(|suffix| key.strip_suffix(suffix))
            .unwrap_or(&key);
        if !stem.is_empty() {
            return format!("{stem}_PASSWORD");
        }
    }
    let base = scheme.split('+').next().unwrap_or_default().to_ascii_lowercase();
    let stem = match base.as_str() {
        "postgres" | "postgresql" => "POSTGRES".to_owned(),
        "bolt" | "neo4j" => "NEO4J".to_owned(),
        "redis" | "rediss" => "REDIS".to_owned(),
        "http" | "https" | "ws" | "wss" => "MCP_URL".to_owned(),
        "" => "DATABASE".to_owned(),
        other => upper_snake(other),
    };
    format!("{stem}_PASSWORD")
}

/// A display form that never reveals the secret: at most a 4-character prefix for known token shapes, plus the length.
pub fn redact(secret: &str, kind: SecretKind) -> String {
    let length = secret.chars().count();
    // Short values would lose too large a share to a 4-character prefix.
    if kind.has_public_prefix() && length >= 12 {
        let prefix: String = secret.chars().take(4).collect();
        format!("{prefix}…, {length} characters")
    } else {
        format!("{length} characters")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SecretKind::*;

    // Test tokens are assembled with `concat!` so this file never holds a scanner-shaped token literal.
    const GHP: &str = concat!("ghp_", "Zq4mV8rT2kLp9sXw3nB7cY6dF1gH5jK0aE2u");
    const PAT: &str = concat!("github_pat_", "11ABCDEFG0123456789_abcdefghijKLMNOP");
    const OPENAI: &str = concat!("sk-proj-", "Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dF");
    const OPENAI_LEGACY: &str = concat!("sk-", "Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5Nm7Qw9Er1Ty3U");
    const ANTHROPIC: &str = concat!("sk-ant-", "api03-Xy7Zq2Lm9Pk4Rt6Vw8Bn1Cd3");
    const SLACK: &str = concat!("xoxb-", "123456789012-1234567890123-AbCdEfGhIjKlMnOp");
    const AWS: &str = concat!("AKIA", "Q3EGRXN2ZLPB7M4T");
    const GOOGLE: &str = concat!("AIza", "SyD4f7Gh2Jk9Lm3Np6Qr8St1Uv4Wx7Yz0Ab");
    const GITLAB: &str = concat!("glpat-", "Xy7Zq2Lm9Pk4Rt6Vw8Bn");
    const SENTRY: &str = concat!(
        "sntryu_",
        "3f7a9c2e1b4d8f6a0c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a"
    );
    const STRIPE: &str = concat!("sk_live_", "51Hx7Zq2Lm9Pk4Rt6Vw8Bn1Cd");
    const HF: &str = concat!("hf_", "Xy7Zq2Lm9Pk4Rt6Vw8Bn1Cd3Ef5Gh7Jk9Ab");
    const NPM: &str = concat!("npm_", "Xy7Zq2Lm9Pk4Rt6Vw8Bn1Cd3Ef5Gh7Jk9Ab12");
    const JWT: &str = concat!(
        "eyJhbGciOiJIUzI1NiJ9",
        ".",
        "eyJzdWIiOiJtY3AtbGludCJ9",
        ".",
        "c2lnbmF0dXJlLXZhbHVl"
    );
    const PEM: &str = concat!(
        "-----BEGIN OPENSSH PRIVATE KEY-----\n",
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACB\n",
        "-----END OPENSSH PRIVATE KEY-----"
    );
    const AWS_SECRET: &str = "wJ8lrXUtnFqMI/K7MDxNG/bPxRfiCYzQ8t3KLq2B";

    fn env(key: &str) -> ValueContext<'_> {
        ValueContext::Env { key }
    }
    fn header(name: &str) -> ValueContext<'_> {
        ValueContext::Header { name }
    }
    fn field(key: &str) -> ValueContext<'_> {
        ValueContext::Field { key }
    }
    fn arg(previous: Option<&str>) -> ValueContext<'_> {
        ValueContext::Arg { previous }
    }

    /// (context, value, expected: (secret text, kind, placeholder, suggested env)).
    type Row = (
        ValueContext<'static>,
        &'static str,
        Option<(&'static str, SecretKind, bool, &'static str)>,
    );

    // One row per line keeps the table reviewable; rustfmt would spread each row over five lines.
    #[rustfmt::skip]
    fn rows() -> Vec<Row> {
        let url = ValueContext::Url;
        vec![
            // Known shapes.
            (env("GITHUB_PERSONAL_ACCESS_TOKEN"), GHP, Some((GHP, GitHubToken, false, "GITHUB_PERSONAL_ACCESS_TOKEN"))),
            (env("GH"), PAT, Some((PAT, GitHubToken, false, "GITHUB_TOKEN"))),
            (env("OPENAI_API_KEY"), OPENAI, Some((OPENAI, OpenAiKey, false, "OPENAI_API_KEY"))),
            (env("LLM"), OPENAI_LEGACY, Some((OPENAI_LEGACY, OpenAiKey, false, "OPENAI_API_KEY"))),
            (env("LLM_KEY"), ANTHROPIC, Some((ANTHROPIC, AnthropicKey, false, "LLM_KEY"))),
            (env("SLACK"), SLACK, Some((SLACK, SlackToken, false, "SLACK_BOT_TOKEN"))),
            (env("AWS_ACCESS_KEY_ID"), AWS, Some((AWS, AwsAccessKey, false, "AWS_ACCESS_KEY_ID"))),
            (env("GITLAB_PERSONAL_ACCESS_TOKEN"), GITLAB, Some((GITLAB, GitLabToken, false, "GITLAB_PERSONAL_ACCESS_TOKEN"))),
            (env("SENTRY_AUTH_TOKEN"), SENTRY, Some((SENTRY, SentryToken, false, "SENTRY_AUTH_TOKEN"))),
            (env("STRIPE_API_KEY"), STRIPE, Some((STRIPE, StripeKey, false, "STRIPE_API_KEY"))),
            (env("HF_TOKEN"), HF, Some((HF, HuggingFaceToken, false, "HF_TOKEN"))),
            (env("NPM_TOKEN"), NPM, Some((NPM, NpmToken, false, "NPM_TOKEN"))),
            (env("SESSION"), JWT, Some((JWT, Jwt, false, "MCP_JWT"))),
            (env("SSH_PRIVATE_KEY"), PEM, Some((PEM, PrivateKey, false, "SSH_PRIVATE_KEY"))),
            (arg(None), concat!("--token=", "ghp_", "Zq4mV8rT2kLp9sXw3nB7cY6dF1gH5jK0aE2u"), Some((GHP, GitHubToken, false, "GITHUB_TOKEN"))),
            (arg(Some("-e")), concat!("GITHUB_TOKEN=", "ghp_", "Zq4mV8rT2kLp9sXw3nB7cY6dF1gH5jK0aE2u"), Some((GHP, GitHubToken, false, "GITHUB_TOKEN"))),
            (arg(Some("--api-key")), ANTHROPIC, Some((ANTHROPIC, AnthropicKey, false, "API_KEY"))),
            (header("Authorization"), concat!("Bearer ", "ghp_", "Zq4mV8rT2kLp9sXw3nB7cY6dF1gH5jK0aE2u"), Some((GHP, GitHubToken, false, "GITHUB_TOKEN"))),
            (header("Private-Token"), GITLAB, Some((GITLAB, GitLabToken, false, "GITLAB_TOKEN"))),
            (url, concat!("https://maps.example.com/sse?key=", "AIza", "SyD4f7Gh2Jk9Lm3Np6Qr8St1Uv4Wx7Yz0Ab"), Some((GOOGLE, GoogleApiKey, false, "GOOGLE_API_KEY"))),
            // Authorization values.
            (header("Authorization"), "Bearer abc123def456ghi", Some(("abc123def456ghi", BearerToken, false, "MCP_AUTH_TOKEN"))),
            (header("Authorization"), "Basic dXNlcjpodW50ZXIy", Some(("dXNlcjpodW50ZXIy", BasicCredentials, false, "MCP_BASIC_AUTH"))),
            (header("X-Auth"), "Token f00dbabe12345678", Some(("f00dbabe12345678", BearerToken, false, "X_AUTH"))),
            (env("AUTH_HEADER"), "Bearer f00dbabe12345678", Some(("f00dbabe12345678", BearerToken, false, "MCP_AUTH_TOKEN"))),
            (arg(Some("--header")), "Authorization: Bearer f00dbabe12345678", Some(("f00dbabe12345678", BearerToken, false, "MCP_AUTH_TOKEN"))),
            (header("X-API-Key"), "a8f3k2m9q7w1", Some(("a8f3k2m9q7w1", NamedSecret, false, "X_API_KEY"))),
            // URLs and connection strings.
            (url, "https://api.example.com/mcp?api_key=q9Zr4Lm2Xv", Some(("q9Zr4Lm2Xv", NamedSecret, false, "API_KEY"))),
            (url, "https://user:hunter2pass@mcp.example.com/sse", Some(("hunter2pass", UrlPassword, false, "MCP_URL_PASSWORD"))),
            (env("DATABASE_URL"), "postgresql+asyncpg://toolregistry:devpassword@postgres.toolbox:5432/toolregistry", Some(("devpassword", UrlPassword, false, "DATABASE_PASSWORD"))),
            (env("NEO4J_URI"), "bolt://neo4j:s3cretPw@localhost:7687", Some(("s3cretPw", UrlPassword, false, "NEO4J_PASSWORD"))),
            (arg(None), "redis://:r3disPass@cache:6379/0", Some(("r3disPass", UrlPassword, false, "REDIS_PASSWORD"))),
            (env("SQL_CONNECTION_STRING"), "Server=db;User Id=sa;Password=Str0ng!Pass;", Some(("Str0ng!Pass", ConnectionStringPassword, false, "SQL_PASSWORD"))),
            // Literals under secret names, including the low-entropy ones the corpus holds.
            (env("NEO4J_PASSWORD"), "demodemo", Some(("demodemo", NamedSecret, false, "NEO4J_PASSWORD"))),
            (arg(None), "--api-key=top-secret", Some(("top-secret", NamedSecret, false, "API_KEY"))),
            (arg(Some("--password")), "hunter22", Some(("hunter22", NamedSecret, false, "MCP_PASSWORD"))),
            // LiteLLM's documented master key: a dummy, not a secret (rbac-gap still reports it).
            (field("master_key"), "sk-1234", Some(("sk-1234", OpenAiKey, true, "OPENAI_API_KEY"))),
            // Made only of stand-in words: a test fixture's credential, not a secret.
            (field("client_secret"), "litellm-test-secret", Some(("litellm-test-secret", NamedSecret, true, "CLIENT_SECRET"))),
            (field("authentication_token"), "1234", Some(("1234", NamedSecret, false, "AUTHENTICATION_TOKEN"))),
            (field("authentication_token"), GHP, Some((GHP, GitHubToken, false, "GITHUB_TOKEN"))),
            (field("master_key"), "sk-litellm-Hq7Zr2Kx9Vm4Tb8Nw1Lc", Some(("sk-litellm-Hq7Zr2Kx9Vm4Tb8Nw1Lc", NamedSecret, false, "MASTER_KEY"))),
            (env("AWS_SECRET_ACCESS_KEY"), AWS_SECRET, Some((AWS_SECRET, NamedSecret, false, "AWS_SECRET_ACCESS_KEY"))),
            (env("apiKey"), " s3cr3t-value ", Some(("s3cr3t-value", NamedSecret, false, "API_KEY"))),
            // Placeholders: reported as notes.
            (env("GITHUB_PERSONAL_ACCESS_TOKEN"), "ghp_your_github_personal_access_token", Some(("ghp_your_github_personal_access_token", GitHubToken, true, "GITHUB_PERSONAL_ACCESS_TOKEN"))),
            (env("SLACK_BOT_TOKEN"), "xoxb-your-slack-bot-token", Some(("xoxb-your-slack-bot-token", SlackToken, true, "SLACK_BOT_TOKEN"))),
            (env("SONARQUBE_TOKEN"), "your_sonarqube_token", Some(("your_sonarqube_token", NamedSecret, true, "SONARQUBE_TOKEN"))),
            (env("EMBEDDING_API_KEY"), "dummy-key", Some(("dummy-key", NamedSecret, true, "EMBEDDING_API_KEY"))),
            (field("api_key"), "sk-placeholder", Some(("sk-placeholder", OpenAiKey, true, "OPENAI_API_KEY"))),
            (env("NEO4J_PASSWORD"), "yourStrongPassword", Some(("yourStrongPassword", NamedSecret, true, "NEO4J_PASSWORD"))),
            (header("Authorization"), "Bearer <token>", Some(("<token>", BearerToken, true, "MCP_AUTH_TOKEN"))),
            (env("API_KEY"), "YOUR_API_KEY", Some(("YOUR_API_KEY", NamedSecret, true, "API_KEY"))),
            (env("OPENAI_API_KEY"), "sk-...", Some(("sk-...", OpenAiKey, true, "OPENAI_API_KEY"))),
            (env("GITHUB_TOKEN"), "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", Some(("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", GitHubToken, true, "GITHUB_TOKEN"))),
            (env("DB_PASSWORD"), "changeme", Some(("changeme", NamedSecret, true, "DB_PASSWORD"))),
            (env("AWS_ACCESS_KEY_ID"), "AKIAIOSFODNN7EXAMPLE", Some(("AKIAIOSFODNN7EXAMPLE", AwsAccessKey, true, "AWS_ACCESS_KEY_ID"))),
            (env("DATABASE_URL"), "postgres://user:password@localhost/db", Some(("password", UrlPassword, true, "DATABASE_PASSWORD"))),
            (env("TOKEN"), "my-token", Some(("my-token", NamedSecret, true, "MCP_TOKEN"))),
            // Reference syntaxes of every client: never flagged.
            (env("GITHUB_TOKEN"), "${GITHUB_TOKEN}", None),
            (env("SEMANTIC_SCHOLAR_API_KEY"), "${SEMANTIC_SCHOLAR_API_KEY:-}", None),
            (env("API_TOKEN"), "${API_TOKEN:-${FALLBACK_TOKEN}}", None),
            (env("KB_TOKEN"), "${env:KB_TOKEN}", None),
            (env("CRM_KEY"), "${input:crm-key}", None),
            (env("API_TOKEN"), "${workspaceFolder}", None),
            (field("api_key"), "os.environ/OPENAI_API_KEY", None),
            (url, "{{PLACES_MCP_URL}}", None),
            (env("API_TOKEN"), "${{ secrets.API_TOKEN }}", None),
            (env("REPO_TOKEN"), "$REPO_TOKEN", None),
            (env("API_TOKEN"), "%API_TOKEN%", None),
            (env("DB_PASSWORD"), "$(DATABASE_PASSWORD)", None),
            (env("API_TOKEN"), "", None),
            (header("Authorization"), "Bearer ${env:SEARCH_TOKEN}", None),
            (header("X-Key"), "${WEB_KEY:-none}", None),
            (arg(Some("--header")), "Authorization:${AUTH_HEADER}", None),
            (env("DB_URL"), "postgresql://$(DATABASE_USERNAME):$(DATABASE_PASSWORD)@$(DATABASE_HOST)/$(DATABASE_NAME)", None),
            (env("DB_URL"), "postgres://app:${PGPASSWORD}@db/app", None),
            (arg(Some("--api-key")), "os.environ/MCP_API_KEY", None),
            // Plainly not secrets.
            (env("NODE_ENV"), "production", None),
            (env("DEBUG"), "1", None),
            (env("API_TOKEN_CACHE"), "true", None),
            (env("API_KEY_FILE"), "/home/x/key.pem", None),
            (env("GOOGLE_APPLICATION_CREDENTIALS"), "./creds.json", None),
            (env("API_TOKEN"), "%APPDATA%\\mcp\\token", None),
            (env("API_TOKEN"), "$HOME/.config/token", None),
            (env("SLACK_TEAM_ID"), "your_slack_team_id", None),
            (env("NEO4J_URL"), "bolt://localhost:7687", None),
            (env("MAX_TOKENS"), "32000", None),
            (env("TOKEN_URL"), "http://127.0.0.1:0/token", None),
            (env("GITHUB_TOKEN"), "abc", None),
            (env("env_key"), "GITHUB_TOKEN", None),
            (env("NEXT_PUBLIC_KEY"), "pk_live_abcdef1234567890", None),
            (field("api_key"), "none", None),
            (field("api_key"), "ollama", None),
            (header("X-Team"), "core", None),
            (arg(None), "sha256:3f7a9c2e1b4d8f6a0c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a", None),
            (arg(Some("-e")), "GITHUB_PERSONAL_ACCESS_TOKEN", None),
            (arg(Some("--api-key")), "--verbose", None),
            (arg(Some("npx")), "@modelcontextprotocol/server-github@2025.4.8", None),
            (arg(None), "--config=token.json", None),
            (url, "https://gitmcp.io/owner/repo", None),
            (url, "https://mcp.example.com/sse?session=Xy7Zq2Lm9Pk4Rt6Vw8Bn", None),
        ]
    }

    /// Every table row: hit or miss, kind, placeholder flag, suggested variable, and the exact byte range.
    #[test]
    fn table() {
        let rows = rows();
        assert!(rows.len() >= 50);
        let mut failures = Vec::new();
        for (context, value, expected) in rows {
            let found = find_secret(context, value);
            let actual = found.as_ref().map(|hit| {
                (
                    &value[hit.start..hit.end],
                    hit.kind,
                    hit.placeholder,
                    hit.suggested_env.as_str(),
                )
            });
            if actual != expected {
                failures.push(format!(
                    "{context:?} {value:?}: expected {expected:?}, found {actual:?}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// `is_reference` accepts every client's reference syntax, alone or behind an auth scheme, and no literal.
    #[test]
    fn references() {
        #[rustfmt::skip]
        let references = [
            "${VAR}", "${VAR:-default}", "${env:X}", "${input:id}", "${workspaceFolder}", "os.environ/X", "{{ X }}",
            "${{ secrets.X }}", "$VAR", "%VAR%", "", "  ", "Bearer ${TOKEN}", "$(VAR)", "${A}${B}", "{env:GITHUB_TOKEN}", "Bearer {env:T}", "{file:~/.secrets/token}",
        ];
        let literals = [
            "token",
            "$",
            "${unclosed",
            "%VAR",
            "Bearer abc",
            "x${VAR}",
            "$1abc",
            "{{ open",
        ];
        references
            .iter()
            .for_each(|value| assert!(is_reference(value), "{value:?}"));
        literals
            .iter()
            .for_each(|value| assert!(!is_reference(value), "{value:?}"));
    }

    /// Redaction shows at most four characters of a secret, and none of passwords or named secrets.
    #[test]
    fn redaction() {
        assert_eq!(redact(GHP, GitHubToken), "ghp_…, 40 characters");
        assert_eq!(redact("hunter2-secret", NamedSecret), "14 characters");
        assert_eq!(redact("sk-1234", OpenAiKey), "7 characters");
        for (context, value, _) in rows() {
            if let Some(hit) = find_secret(context, value) {
                let secret = &value[hit.start..hit.end];
                let shown = redact(secret, hit.kind);
                let prefix = shown.split_once('…').map_or("", |(prefix, _)| prefix);
                assert!(prefix.chars().count() <= 4 && secret.starts_with(prefix), "{shown:?}");
            }
        }
    }

    /// Secret-looking names and non-secret look-alikes are told apart.
    #[test]
    fn secret_names() {
        let secret = [
            "GITHUB_TOKEN",
            "api-key",
            "X-API-Key",
            "clientSecret",
            "DB_PASS",
            "GITHUB_PAT",
            "Authorization",
        ];
        let other = [
            "TOKEN_URL",
            "MAX_TOKENS",
            "PUBLIC_KEY",
            "CLIENT_ID",
            "PATH",
            "AUTHOR",
            "existingSecret",
        ];
        secret.iter().for_each(|name| assert!(is_secret_name(name), "{name}"));
        other.iter().for_each(|name| assert!(!is_secret_name(name), "{name}"));
    }

    /// No panic on multibyte input in any context, and every range lands on char boundaries.
    #[test]
    fn multibyte_input() {
        #[rustfmt::skip]
        let values = [
            "é€😀ghp_ünïcödé", "Bearer ñandú-секрет-пароль", "postgres://ü:пароль@höst/db", "пароль-секретный",
            "${€}", "%é%", "$é", "ghp_é", "AKIAé", "eyJé.é.é", "-----BEGIN é PRIVATE KEY-----", "…", "sk-…",
            "https://h/?token=ключ&x", "Password=пароль;x", "Authorization: Basic 😀😀😀😀😀😀", "--token=日本語のトークン",
        ];
        let contexts = [
            env("API_TOKEN"),
            header("Authorization"),
            field("secret"),
            arg(Some("--token")),
            arg(None),
            ValueContext::Url,
        ];
        for value in values {
            for context in contexts {
                for (cut, _) in value.char_indices() {
                    for part in [&value[..cut], &value[cut..]] {
                        if let Some(hit) = find_secret(context, part) {
                            assert!(
                                part.is_char_boundary(hit.start) && part.is_char_boundary(hit.end),
                                "{part:?}"
                            );
                            redact(&part[hit.start..hit.end], hit.kind);
                        }
                    }
                }
            }
        }
    }

    /// The placeholders and documented dummies real configs carry are no secrets, in every
    /// position (the judged corpus reports none of them).
    #[test]
    fn placeholders_and_dummies_are_not_secrets() {
        let contexts = [
            ValueContext::Env { key: "API_KEY" },
            ValueContext::Header { name: "Authorization" },
            ValueContext::Field { key: "master_key" },
            ValueContext::Arg {
                previous: Some("--api-key"),
            },
        ];
        let values = [
            "YOUR_API_KEY",
            "your_token_here",
            "<token>",
            "[REDACTED]",
            "xxxxxxxxxxxxxxxx",
            "sk-1234",
            "ghp_your_token_here",
            "changeme",
            "test-api-key",
            "litellm-test-secret",
            "Bearer <your-token>",
        ];
        for context in contexts {
            for value in values {
                assert!(
                    find_secret(context, value).is_none_or(|hit| hit.placeholder),
                    "{context:?} {value:?} is reported as a secret"
                );
            }
        }
        let dsn = "postgresql://postgres:postgres@localhost:5432/app";
        assert!(find_secret(ValueContext::Env { key: "DATABASE_URL" }, dsn).is_none_or(|hit| hit.placeholder));
        // A real-looking password stays a secret.
        let real = "postgresql://svc:Q7we9Rx2mLp4@db.internal:5432/app";
        assert!(find_secret(ValueContext::Env { key: "DATABASE_URL" }, real).is_some_and(|hit| !hit.placeholder));
    }
}
