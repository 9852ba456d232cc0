//! The shapes of vendor tokens and other self-identifying secrets: a marker (`ghp_`, `sk-ant-`),
//! the characters that may follow and how many, JWTs and PEM private keys.

use super::placeholders::is_placeholder;
use super::{SecretKind, run_end};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Charset {
    Alnum,
    AlnumUnderscore,
    AlnumDash,
    Word,
    UpperDigit,
    Base64,
}

impl Charset {
    pub(super) fn contains(self, byte: u8) -> bool {
        byte.is_ascii_alphanumeric() && (self != Charset::UpperDigit || !byte.is_ascii_lowercase())
            || match self {
                Charset::AlnumUnderscore => byte == b'_',
                Charset::AlnumDash => byte == b'-',
                Charset::Word => matches!(byte, b'_' | b'-'),
                Charset::Base64 => matches!(byte, b'_' | b'-' | b'+' | b'/' | b'='),
                Charset::Alnum | Charset::UpperDigit => false,
            }
    }
}

/// A vendor token: marker, kind, the variable vendors document for it, what may follow and how much.
type Shape = (&'static str, SecretKind, &'static str, Charset, usize, usize);

pub(super) const MANY: usize = 512;

use SecretKind as K;

/// Longer markers come first: the first marker that matches decides the kind (`sk-ant-` before `sk-`).
#[rustfmt::skip]
pub(super) const SHAPES: &[Shape] = &[
    ("github_pat_", K::GitHubToken, "GITHUB_TOKEN", Charset::AlnumUnderscore, 22, MANY),
    ("ghp_", K::GitHubToken, "GITHUB_TOKEN", Charset::Alnum, 36, MANY),
    ("gho_", K::GitHubToken, "GITHUB_TOKEN", Charset::Alnum, 36, MANY),
    ("ghu_", K::GitHubToken, "GITHUB_TOKEN", Charset::Alnum, 36, MANY),
    ("ghs_", K::GitHubToken, "GITHUB_TOKEN", Charset::Alnum, 36, MANY),
    ("ghr_", K::GitHubToken, "GITHUB_TOKEN", Charset::Alnum, 36, MANY),
    ("sk-ant-", K::AnthropicKey, "ANTHROPIC_API_KEY", Charset::Word, 20, MANY),
    ("sk-proj-", K::OpenAiKey, "OPENAI_API_KEY", Charset::Word, 20, MANY),
    ("sk-svcacct-", K::OpenAiKey, "OPENAI_API_KEY", Charset::Word, 20, MANY),
    ("sk-admin-", K::OpenAiKey, "OPENAI_API_KEY", Charset::Word, 20, MANY),
    // Plain `sk-` keys are alphanumeric: hyphenated words after `sk-` are names, not keys.
    ("sk-", K::OpenAiKey, "OPENAI_API_KEY", Charset::Alnum, 20, MANY),
    ("sk_live_", K::StripeKey, "STRIPE_SECRET_KEY", Charset::Alnum, 16, MANY),
    ("rk_live_", K::StripeKey, "STRIPE_SECRET_KEY", Charset::Alnum, 16, MANY),
    ("xoxb-", K::SlackToken, "SLACK_BOT_TOKEN", Charset::AlnumDash, 10, MANY),
    ("xoxp-", K::SlackToken, "SLACK_TOKEN", Charset::AlnumDash, 10, MANY),
    ("xoxa-", K::SlackToken, "SLACK_TOKEN", Charset::AlnumDash, 10, MANY),
    ("xoxr-", K::SlackToken, "SLACK_TOKEN", Charset::AlnumDash, 10, MANY),
    ("xoxs-", K::SlackToken, "SLACK_TOKEN", Charset::AlnumDash, 10, MANY),
    ("xapp-", K::SlackToken, "SLACK_APP_TOKEN", Charset::AlnumDash, 10, MANY),
    ("AKIA", K::AwsAccessKey, "AWS_ACCESS_KEY_ID", Charset::UpperDigit, 16, 16),
    ("ASIA", K::AwsAccessKey, "AWS_ACCESS_KEY_ID", Charset::UpperDigit, 16, 16),
    ("glpat-", K::GitLabToken, "GITLAB_TOKEN", Charset::Word, 20, MANY),
    ("sntrys_", K::SentryToken, "SENTRY_AUTH_TOKEN", Charset::Base64, 20, MANY),
    ("sntryu_", K::SentryToken, "SENTRY_AUTH_TOKEN", Charset::Alnum, 20, MANY),
    ("AIza", K::GoogleApiKey, "GOOGLE_API_KEY", Charset::Word, 35, 35),
    ("hf_", K::HuggingFaceToken, "HF_TOKEN", Charset::Alnum, 30, MANY),
    ("npm_", K::NpmToken, "NPM_TOKEN", Charset::Alnum, 30, MANY),
];

/// The first vendor token in `value`: a strict match, or a placeholder written in the token's shape.
pub(super) fn find_shape(value: &str) -> Option<(SecretKind, &'static str, (usize, usize))> {
    let bytes = value.as_bytes();
    let loose = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'*' | b'<' | b'>') || b >= 0x80;
    for start in 0..bytes.len() {
        if start > 0 && bytes[start - 1].is_ascii_alphanumeric() {
            continue;
        }
        let rest = &bytes[start..];
        if rest.starts_with(b"eyJ")
            && let Some(end) = jwt_end(bytes, start)
        {
            return Some((SecretKind::Jwt, "MCP_JWT", (start, end)));
        }
        let Some(&(prefix, kind, env, charset, min, max)) = SHAPES.iter().find(|s| rest.starts_with(s.0.as_bytes()))
        else {
            continue;
        };
        let body_start = start + prefix.len();
        let end = run_end(bytes, body_start, |b| charset.contains(b));
        let body = &bytes[body_start..end];
        let bounded = bytes.get(end).is_none_or(|b| !b.is_ascii_alphanumeric());
        let slack_digits = kind != SecretKind::SlackToken || body.iter().any(u8::is_ascii_digit);
        if (min..=max).contains(&body.len()) && bounded && slack_digits {
            return Some((kind, env, (start, end)));
        }
        let loose_end = run_end(bytes, body_start, loose);
        if loose_end - body_start >= 3 && is_placeholder(&value[start..loose_end]) {
            return Some((kind, env, (start, loose_end)));
        }
    }
    None
}

/// End of a JWT starting at `start`: three base64url segments, the first two opening with `eyJ`.
pub(super) fn jwt_end(bytes: &[u8], start: usize) -> Option<usize> {
    let segment = |from: usize| run_end(bytes, from, |b| Charset::Word.contains(b));
    let header_end = segment(start);
    let payload_start = header_end + 1;
    let payload_end = (bytes.get(header_end) == Some(&b'.')).then(|| segment(payload_start))?;
    let signature_end = (bytes.get(payload_end) == Some(&b'.')).then(|| segment(payload_end + 1))?;
    let long_enough = header_end - start >= 10 && payload_end - payload_start >= 10 && signature_end - payload_end > 8;
    (long_enough && bytes[payload_start..].starts_with(b"eyJ")).then_some(signature_end)
}

/// `-----BEGIN … PRIVATE KEY-----` through its END line (or the end of the value).
pub(super) fn find_private_key(value: &str) -> Option<(usize, usize)> {
    let begin = value.find("-----BEGIN ")?;
    let label_start = begin + "-----BEGIN ".len();
    let label_end = label_start + value[label_start..].find("-----")?;
    if !value[label_start..label_end].ends_with("PRIVATE KEY") {
        return None;
    }
    let footer = value[label_end..]
        .find("-----END ")
        .map(|i| label_end + i + "-----END ".len());
    let end = footer
        .and_then(|f| value[f..].find("-----").map(|i| f + i + 5))
        .unwrap_or(value.len());
    Some((begin, end))
}
