//! Recognises literal credentials in config values, and the reference syntaxes that are not.

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
    UrlPassword,
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
            SecretKind::UrlPassword => "password in a URL",
            SecretKind::ConnectionStringPassword => "password in a connection string",
            SecretKind::NamedSecret => "value of a secret-named key",
        }
    }

    /// True for shapes whose first characters say what they are and reveal nothing.
    fn has_public_prefix(self) -> bool {
        !matches!(
            self,
            SecretKind::UrlPassword
                | SecretKind::ConnectionStringPassword
                | SecretKind::NamedSecret
                | SecretKind::BearerToken
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMatch {
    pub kind: SecretKind,
    /// Byte range of the secret itself inside the value.
    pub start: usize,
    pub end: usize,
    /// True for obvious placeholders: a lower-severity note, not a leak.
    pub placeholder: bool,
    /// UPPER_SNAKE env var name a fix should use.
    pub suggested_env: String,
}

/// Where a value sits, which decides which checks apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueContext<'a> {
    Env { key: &'a str },
    Header { name: &'a str },
    Field { key: &'a str },
    Arg { previous: Option<&'a str> },
    Url,
}

/// Token prefixes, the kind they mark, the minimum length of what follows, and the usual variable.
const PREFIXES: [(&str, SecretKind, usize, &str); 22] = [
    ("github_pat_", SecretKind::GitHubToken, 22, "GITHUB_TOKEN"),
    ("ghp_", SecretKind::GitHubToken, 30, "GITHUB_TOKEN"),
    ("gho_", SecretKind::GitHubToken, 30, "GITHUB_TOKEN"),
    ("ghu_", SecretKind::GitHubToken, 30, "GITHUB_TOKEN"),
    ("ghs_", SecretKind::GitHubToken, 30, "GITHUB_TOKEN"),
    ("ghr_", SecretKind::GitHubToken, 30, "GITHUB_TOKEN"),
    ("sk-ant-", SecretKind::AnthropicKey, 20, "ANTHROPIC_API_KEY"),
    ("sk-proj-", SecretKind::OpenAiKey, 20, "OPENAI_API_KEY"),
    ("sk_live_", SecretKind::StripeKey, 16, "STRIPE_SECRET_KEY"),
    ("rk_live_", SecretKind::StripeKey, 16, "STRIPE_SECRET_KEY"),
    ("sk-", SecretKind::OpenAiKey, 20, "OPENAI_API_KEY"),
    ("xoxb-", SecretKind::SlackToken, 10, "SLACK_BOT_TOKEN"),
    ("xoxp-", SecretKind::SlackToken, 10, "SLACK_TOKEN"),
    ("xoxa-", SecretKind::SlackToken, 10, "SLACK_TOKEN"),
    ("xoxr-", SecretKind::SlackToken, 10, "SLACK_TOKEN"),
    ("xoxs-", SecretKind::SlackToken, 10, "SLACK_TOKEN"),
    ("xapp-", SecretKind::SlackToken, 10, "SLACK_APP_TOKEN"),
    ("glpat-", SecretKind::GitLabToken, 16, "GITLAB_TOKEN"),
    ("sntrys_", SecretKind::SentryToken, 20, "SENTRY_AUTH_TOKEN"),
    ("sntryu_", SecretKind::SentryToken, 20, "SENTRY_AUTH_TOKEN"),
    ("hf_", SecretKind::HuggingFaceToken, 30, "HF_TOKEN"),
    ("npm_", SecretKind::NpmToken, 30, "NPM_TOKEN"),
];

const PLACEHOLDER_WORDS: [&str; 12] = [
    "your",
    "xxx",
    "changeme",
    "change_me",
    "placeholder",
    "example",
    "dummy",
    "replace",
    "insert",
    "here",
    "<",
    "todo",
];

fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '+' | '=')
}

/// The token-like run of characters starting at `start`.
fn token_end(value: &str, start: usize) -> usize {
    value[start..]
        .find(|c: char| !token_char(c))
        .map_or(value.len(), |i| start + i)
}

fn is_placeholder(secret: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    PLACEHOLDER_WORDS.iter().any(|w| lower.contains(w))
        || secret
            .chars()
            .all(|c| c == '*' || c == 'x' || c == 'X' || c == '.' || c == '-' || c == '_')
}

fn upper_snake(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim_start_matches('-').chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

fn secret_named(name: &str) -> bool {
    let upper = name.to_ascii_uppercase().replace('-', "_");
    [
        "TOKEN",
        "SECRET",
        "PASSWORD",
        "PASSWD",
        "API_KEY",
        "APIKEY",
        "CREDENTIAL",
        "AUTH",
        "PRIVATE_KEY",
        "ACCESS_KEY",
    ]
    .iter()
    .any(|w| upper.contains(w))
        || upper.ends_with("_KEY")
        || upper.ends_with("_PAT")
        || upper == "KEY"
        || upper == "PASSWORD"
}

/// True when the value is a client reference, not a literal.
pub fn is_reference(value: &str) -> bool {
    let v = value.trim();
    v.is_empty()
        || (v.starts_with("${") && v.ends_with('}'))
        || v.starts_with("os.environ/")
        || (v.starts_with("{{") && v.ends_with("}}"))
        || (v.starts_with('$') && v[1..].chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        || (v.len() > 2 && v.starts_with('%') && v.ends_with('%'))
}

/// True when `text` contains any reference syntax (so a value that mixes text and a reference is no literal).
fn contains_reference(text: &str) -> bool {
    text.contains("${") || text.contains("{{") || text.contains("os.environ/") || text.starts_with('$')
}

/// The first literal credential in `value`, if any. Never flags references.
pub fn find_secret(context: ValueContext<'_>, value: &str) -> Option<SecretMatch> {
    if is_reference(value) {
        return None;
    }
    if let Some(hit) = known_shape(value) {
        return Some(hit);
    }
    if let Some(hit) = url_password(value) {
        return Some(hit);
    }
    match context {
        ValueContext::Header { name } => {
            let lower = value.to_ascii_lowercase();
            for scheme in ["bearer ", "basic ", "token "] {
                if lower.starts_with(scheme) {
                    let start = scheme.len() + (value.len() - value[scheme.len()..].trim_start().len() - scheme.len());
                    let secret = &value[start..];
                    if is_reference(secret) || contains_reference(secret) || secret.is_empty() {
                        return None;
                    }
                    return Some(named(
                        SecretKind::BearerToken,
                        start,
                        value.len(),
                        secret,
                        &env_from_name(name),
                    ));
                }
            }
            secret_named(name)
                .then(|| named_literal(value, 0, value.len(), name))
                .flatten()
        }
        ValueContext::Env { key } | ValueContext::Field { key } => {
            let forced = matches!(context, ValueContext::Field { .. });
            (forced || secret_named(key))
                .then(|| named_literal(value, 0, value.len(), key))
                .flatten()
        }
        ValueContext::Arg { previous } => {
            // Ex) "--api-key=abc123", or "-e", "TOKEN=abc123"
            if let Some((flag, secret)) = value.split_once('=') {
                let flag_name = flag.trim_start_matches('-');
                if !flag_name.is_empty() && secret_named(flag_name) {
                    let start = flag.len() + 1;
                    return named_literal(secret, 0, secret.len(), flag_name).map(|mut m| {
                        m.start += start;
                        m.end += start;
                        m
                    });
                }
            }
            let flag = previous.filter(|p| p.starts_with('-'))?;
            secret_named(flag.trim_start_matches('-'))
                .then(|| named_literal(value, 0, value.len(), flag))
                .flatten()
        }
        ValueContext::Url => query_secret(value),
    }
}

fn env_from_name(name: &str) -> String {
    if name.eq_ignore_ascii_case("authorization") {
        "MCP_AUTH_TOKEN".into()
    } else {
        upper_snake(name)
    }
}

fn named(kind: SecretKind, start: usize, end: usize, secret: &str, env: &str) -> SecretMatch {
    SecretMatch {
        kind,
        start,
        end,
        placeholder: is_placeholder(secret),
        suggested_env: env.to_owned(),
    }
}

/// A literal under a secret name: flagged unless it is obviously not a secret.
fn named_literal(value: &str, start: usize, end: usize, name: &str) -> Option<SecretMatch> {
    let secret = &value[start..end];
    let trimmed = secret.trim();
    let not_secret = trimmed.len() < 4
        || contains_reference(trimmed)
        || matches!(
            trimmed.to_ascii_lowercase().as_str(),
            "true" | "false" | "none" | "null" | "yes" | "no"
        )
        || trimmed.parse::<f64>().is_ok()
        || trimmed.starts_with('/')
        || trimmed.starts_with("./")
        || trimmed.starts_with("~/")
        || (trimmed.contains("://") && url_password(trimmed).is_none());
    if not_secret {
        return None;
    }
    let env = upper_snake(name);
    Some(named(
        SecretKind::NamedSecret,
        start,
        end,
        secret,
        if env.is_empty() { "MCP_SECRET" } else { &env },
    ))
}

fn known_shape(value: &str) -> Option<SecretMatch> {
    for (i, _) in value.char_indices() {
        // A token starts at the beginning or after a non-token character.
        if i > 0 && value[..i].chars().next_back().is_some_and(token_char) {
            continue;
        }
        let rest = &value[i..];
        for (prefix, kind, min, env) in PREFIXES {
            if rest.starts_with(prefix) {
                let end = token_end(value, i);
                if end - i - prefix.len() >= min || is_placeholder(&value[i..end]) && end - i > prefix.len() + 3 {
                    return Some(named(kind, i, end, &value[i..end], env));
                }
            }
        }
        if (rest.starts_with("AKIA") || rest.starts_with("ASIA")) && rest.len() >= 20 {
            let candidate = &rest[..20];
            if candidate.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
                return Some(named(
                    SecretKind::AwsAccessKey,
                    i,
                    i + 20,
                    candidate,
                    "AWS_ACCESS_KEY_ID",
                ));
            }
        }
        if rest.starts_with("AIza") && rest.len() >= 39 {
            return Some(named(
                SecretKind::GoogleApiKey,
                i,
                token_end(value, i),
                &rest[..39],
                "GOOGLE_API_KEY",
            ));
        }
        if rest.starts_with("eyJ") {
            let end = token_end(value, i);
            let token = &value[i..end];
            if token.split('.').count() == 3 && token.len() > 30 {
                return Some(named(SecretKind::Jwt, i, end, token, "MCP_JWT"));
            }
        }
        if rest.starts_with("-----BEGIN") && rest.contains("PRIVATE KEY-----") {
            return Some(named(SecretKind::PrivateKey, i, value.len(), rest, "MCP_PRIVATE_KEY"));
        }
    }
    None
}

/// `scheme://user:password@host`, and `Password=...;` in connection strings.
fn url_password(value: &str) -> Option<SecretMatch> {
    if let Some(scheme_end) = value.find("://") {
        let authority_start = scheme_end + 3;
        let authority_end = value[authority_start..]
            .find(['/', '?', '#'])
            .map_or(value.len(), |i| authority_start + i);
        let authority = &value[authority_start..authority_end];
        if let Some(at) = authority.rfind('@')
            && let Some(colon) = authority[..at].find(':')
        {
            let start = authority_start + colon + 1;
            let end = authority_start + at;
            let secret = &value[start..end];
            if !secret.is_empty() && !contains_reference(secret) {
                return Some(named(SecretKind::UrlPassword, start, end, secret, "DATABASE_URL"));
            }
        }
    }
    let lower = value.to_ascii_lowercase();
    for key in ["password=", "pwd="] {
        if let Some(at) = lower.find(key) {
            let start = at + key.len();
            let end = value[start..].find(';').map_or(value.len(), |i| start + i);
            let secret = &value[start..end];
            if !secret.is_empty() && !contains_reference(secret) {
                return Some(named(
                    SecretKind::ConnectionStringPassword,
                    start,
                    end,
                    secret,
                    "DATABASE_PASSWORD",
                ));
            }
        }
    }
    None
}

/// `?token=...`, `&api_key=...` in a URL.
fn query_secret(value: &str) -> Option<SecretMatch> {
    let query_start = value.find('?')? + 1;
    let mut offset = query_start;
    for pair in value[query_start..].split('&') {
        if let Some((key, secret)) = pair.split_once('=')
            && secret_named(key)
            && !secret.is_empty()
            && !contains_reference(secret)
        {
            let start = offset + key.len() + 1;
            return Some(named(
                SecretKind::NamedSecret,
                start,
                start + secret.len(),
                secret,
                &upper_snake(key),
            ));
        }
        offset += pair.len() + 1;
    }
    None
}

/// A display form that never reveals the secret: at most a 4-character prefix, and the length.
pub fn redact(secret: &str, kind: SecretKind) -> String {
    let length = secret.chars().count();
    if kind.has_public_prefix() && length >= 16 {
        let prefix: String = secret.chars().take(4).collect();
        format!("{prefix}… ({length} chars)")
    } else {
        format!("… ({length} chars)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known shapes, named literals and URL passwords are found with their exact byte range.
    #[test]
    fn finds_secrets() {
        let cases: [(ValueContext<'_>, &str, &str, SecretKind); 9] = [
            (
                ValueContext::Env {
                    key: "GITHUB_PERSONAL_ACCESS_TOKEN",
                },
                "ghp_Zq4mV8rT2kLp9sXw3nB7cY6dF1gH5jK0aE2u",
                "ghp_Zq4mV8rT2kLp9sXw3nB7cY6dF1gH5jK0aE2u",
                SecretKind::GitHubToken,
            ),
            (
                ValueContext::Header { name: "Authorization" },
                "Bearer abcdef123456",
                "abcdef123456",
                SecretKind::BearerToken,
            ),
            (
                ValueContext::Env { key: "DB_URL" },
                "postgres://app:S3cr3t@db:5432/app",
                "S3cr3t",
                SecretKind::UrlPassword,
            ),
            (
                ValueContext::Env { key: "NEO4J_PASSWORD" },
                "demodemo",
                "demodemo",
                SecretKind::NamedSecret,
            ),
            (
                ValueContext::Arg { previous: None },
                "--api-key=top-secret",
                "top-secret",
                SecretKind::NamedSecret,
            ),
            (
                ValueContext::Arg {
                    previous: Some("--token"),
                },
                "abc123def456",
                "abc123def456",
                SecretKind::NamedSecret,
            ),
            (
                ValueContext::Field { key: "master_key" },
                "sk-1234",
                "sk-1234",
                SecretKind::NamedSecret,
            ),
            (
                ValueContext::Url,
                "https://x.example/mcp?token=q1w2e3r4",
                "q1w2e3r4",
                SecretKind::NamedSecret,
            ),
            (
                ValueContext::Env { key: "SLACK" },
                "xoxb-1234567890-abcdefghij",
                "xoxb-1234567890-abcdefghij",
                SecretKind::SlackToken,
            ),
        ];
        for (context, value, secret, kind) in cases {
            let hit = find_secret(context, value).unwrap_or_else(|| panic!("missed {value}"));
            assert_eq!(&value[hit.start..hit.end], secret, "{value}");
            assert_eq!(hit.kind, kind, "{value}");
        }
    }

    /// References, non-secret values and placeholders are told apart.
    #[test]
    fn references_and_placeholders() {
        for value in [
            "${GITHUB_TOKEN}",
            "${KEY:-}",
            "${env:X}",
            "${input:id}",
            "os.environ/X",
            "{{ TOKEN }}",
            "$VAR",
            "",
        ] {
            assert_eq!(
                find_secret(ValueContext::Env { key: "API_TOKEN" }, value),
                None,
                "{value}"
            );
        }
        assert_eq!(find_secret(ValueContext::Env { key: "NODE_ENV" }, "production"), None);
        assert_eq!(
            find_secret(ValueContext::Env { key: "API_KEY_FILE" }, "/run/secrets/key"),
            None
        );
        assert_eq!(
            find_secret(ValueContext::Header { name: "Authorization" }, "Bearer ${TOKEN}"),
            None
        );
        let placeholder = find_secret(ValueContext::Env { key: "GITHUB_TOKEN" }, "ghp_your_token_here").expect("hit");
        assert!(placeholder.placeholder);
        let placeholder = find_secret(ValueContext::Env { key: "API_KEY" }, "YOUR_API_KEY").expect("hit");
        assert!(placeholder.placeholder);
    }

    /// Redaction shows at most a four-character prefix of known shapes and nothing of passwords.
    #[test]
    fn redaction() {
        assert_eq!(
            redact("ghp_Zq4mV8rT2kLp9sXw3nB7cY6dF1gH5jK0aE2u", SecretKind::GitHubToken),
            "ghp_… (40 chars)"
        );
        assert_eq!(redact("demodemo", SecretKind::NamedSecret), "… (8 chars)");
        assert!(find_secret(ValueContext::Env { key: "K_TOKEN" }, "é€€€€€€€€").is_some());
    }
}
