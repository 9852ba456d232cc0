//! Telling a secret from what only looks like one: references to variables (`${TOKEN}`,
//! `os.environ/KEY`), template text and documented dummies, names that say "secret", and
//! values that are paths, numbers or too regular to be random.

use super::shapes::Charset;
use super::{auth_scheme_len, upper_snake};

/// Substrings (lowercase) that only template text contains.
pub(super) const PLACEHOLDER_MARKERS: &str = "\
    your xxx *** ... … changeme change_me change-me placeholder example dummy replace insert redacted \
    fake sample _here -here todo";

/// Whether `lower` (lowercase) holds one of [`PLACEHOLDER_MARKERS`]. Asked only of the few
/// values that look like secrets, so a search per marker costs less than building an automaton
/// (which was most of a one-file check's secret scan).
fn has_placeholder_marker(lower: &str) -> bool {
    PLACEHOLDER_MARKERS
        .split_whitespace()
        .any(|marker| memchr::memmem::find(lower.as_bytes(), marker.as_bytes()).is_some())
}

/// Values that documentation and images ship as examples or defaults, known to everyone: LiteLLM's
/// `sk-1234` master key in its docs, the default passwords of database and broker images
/// (`postgres:postgres@localhost`). Not secrets (a literal LiteLLM master key is still an
/// `rbac-gap`: anyone who read the docs can use it).
pub(super) static DOCUMENTED_DUMMIES: WordList =
    WordList::new("sk-1234 sk-12345 sk-123456 sk-1234567890 postgres root admin guest mysql redis rabbitmq mongo");

/// Words that test fixtures and examples build stand-in credentials from (`litellm-test-secret`,
/// `test-api-key`, `Custom raw-auth-value`): a value made of nothing else holds no secret.
pub(super) static STAND_IN_WORDS: WordList = WordList::new(
    "test testing secret token key api apikey bearer auth value password pass client custom raw my \
    your the a an dummy sample fake demo example litellm mcp local dev string access id",
);

/// Values that name the secret instead of being one (`password`, `my-token`): template text too.
pub(super) static GENERIC_WORDS: WordList =
    WordList::new("password pass passwd secret token key apikey accesstoken authtoken bearertoken secretkey test");

/// Literal values that tools document as "no key" (vLLM `EMPTY`, Ollama's dummy key): never secrets.
pub(super) static SENTINELS: WordList = WordList::new(
    "none null nil empty undefined n/a na not-needed not_needed notneeded unused no-key nokey ollama \
    lm-studio lmstudio true false yes no on off -",
);

/// Config vocabulary that shows up under secret-looking keys (auth types, modes), not passwords.
pub(super) static CONFIG_WORDS: WordList = WordList::new(
    "production development staging default local localhost enabled disabled required optional bearer \
    basic oauth oauth2 header query stdio http https debug info warning error readonly public private \
    internal external automatic manual always never prompt approve inherit keychain keyring environment \
    bearer_token api_key",
);

/// A key whose last word is one of these describes a secret (where, how long), it does not hold one.
pub(super) static NON_SECRET_SUFFIXES: WordList = WordList::new(
    "URL URI URLS FILE PATH DIR ENDPOINT HOST PORT ID NAME TYPE TTL EXPIRY EXPIRES EXPIRATION HEADER ENV \
    VAR MODE ENABLED DISABLED LIMIT COUNT TIMEOUT LENGTH SIZE FORMAT PREFIX REGION USER USERNAME ISSUER \
    SCOPE SCOPES AUDIENCE LOCATION REQUIRED METHOD PROVIDER KIND FIELD PARAM VERSION",
);

/// Words that turn `*_KEY` into a non-secret (`PUBLIC_KEY`, `CACHE_KEY`, Helm `existingSecret`).
pub(super) static NON_SECRET_QUALIFIERS: WordList =
    WordList::new("PUBLIC PUBLISHABLE EXISTING SORT PARTITION CACHE MAX MIN");

/// Names too vague to be the variable a fix introduces: prefixed with `MCP_` unless the token shape names one.
pub(super) static GENERIC_NAMES: WordList =
    WordList::new("TOKEN KEY SECRET PASSWORD PASS PASSWD PAT AUTH AUTHORIZATION CREDENTIAL CREDENTIALS");

/// A list of words written as one space-separated string (readable where it is defined), split
/// into a set on first use: a key or value is looked up in it for every server, so a scan of the
/// string per lookup made the lists most of a large config's secret checks.
pub(super) struct WordList {
    text: &'static str,
    words: std::sync::OnceLock<std::collections::HashSet<&'static str>>,
}

impl WordList {
    pub(super) const fn new(text: &'static str) -> Self {
        Self {
            text,
            words: std::sync::OnceLock::new(),
        }
    }

    /// Whether `word` is one of the list's words.
    pub(super) fn contains(&self, word: &str) -> bool {
        self.words.get_or_init(|| self.text.split(' ').collect()).contains(word)
    }
}

/// File extensions that name a key or config file, not hold one.
static KEY_FILE_EXTENSIONS: WordList = WordList::new("pem json key crt p12 pfx txt env yaml yml toml");

/// True when the whole value (or the credential part) is a client reference rather than a literal.
pub fn is_reference(value: &str) -> bool {
    let trimmed = value.trim();
    let credential = auth_scheme_len(trimmed, true).map_or(trimmed, |n| trimmed[n..].trim_start());
    // LiteLLM resolves `os.environ/` only when it opens the whole scalar.
    credential.starts_with("os.environ/") || only_references(credential)
}

pub(super) fn only_references(text: &str) -> bool {
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        match crate::dialect::references::reference_len(rest) {
            Some(len) => rest = rest[len..].trim_start(),
            None => return false,
        }
    }
    true
}

/// Interpolation anywhere in the text, or a value built on one (`%APPDATA%\key`, `$HOME/.token`):
/// a literal that embeds a reference is not a complete secret.
pub(super) fn contains_reference(text: &str) -> bool {
    ["${", "{{", "$(", "os.environ/"]
        .iter()
        .any(|marker| text.contains(marker))
        || crate::dialect::references::reference_len(text).is_some()
}

pub(super) fn is_secret_word(word: &str) -> bool {
    word == "KEY"
        || word.ends_with("TOKEN")
        || word.contains("SECRET")
        || word.contains("PASSWORD")
        || word.contains("PASSWD")
        || word.starts_with("CREDENTIAL")
        || word.starts_with("AUTHORIZ")
        || matches!(
            word,
            "PASS" | "PAT" | "AUTH" | "PASSPHRASE" | "APIKEY" | "MASTERKEY" | "ACCESSKEY" | "PRIVATEKEY" | "AUTHKEY"
        )
}

/// `*_TOKEN`, `*_KEY`, `*SECRET*`, `*PASSWORD*`, `*_PAT`, `*CREDENTIAL*`, `AUTH*`, header and flag names alike.
pub fn is_secret_name(name: &str) -> bool {
    let snake = upper_snake(name);
    let mut words = snake.split('_').filter(|w| !w.is_empty());
    let Some(last) = words.clone().next_back() else {
        return false;
    };
    if words.clone().any(|w| NON_SECRET_QUALIFIERS.contains(w)) {
        return false;
    }
    (is_secret_word(last) || !NON_SECRET_SUFFIXES.contains(last)) && words.any(is_secret_word)
}

pub(super) fn is_placeholder(secret: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    let squeezed: String = lower.chars().filter(|c| !matches!(c, '_' | '-' | ' ')).collect();
    let generic = squeezed.strip_prefix("my").unwrap_or(&squeezed);
    has_placeholder_marker(&lower)
        || lower.find('<').is_some_and(|open| lower[open..].contains('>'))
        || GENERIC_WORDS.contains(generic)
        || DOCUMENTED_DUMMIES.contains(&lower)
        || lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|word| !word.is_empty())
            .all(|word| STAND_IN_WORDS.contains(word))
        || secret
            .chars()
            .all(|c| matches!(c, 'x' | 'X' | '*' | '.' | '-' | '_' | '0' | '#'))
}

/// Shannon entropy in bits per byte.
pub(super) fn shannon_entropy(text: &str) -> f64 {
    let mut counts = [0u32; 256];
    for byte in text.bytes() {
        counts[usize::from(byte)] += 1;
    }
    let len = text.len() as f64;
    counts
        .iter()
        .filter(|&&n| n > 0)
        .map(|&n| f64::from(n) / len)
        .map(|p| -p * p.log2())
        .sum()
}

/// Random-looking key material: long, high entropy, base64 alphabet, mixed case and digits. Such a
/// value is a secret even when it starts with `/` (base64 can) or would pass as a word.
pub(super) fn looks_random(text: &str) -> bool {
    let bytes = text.as_bytes();
    text.len() >= 16
        && bytes.iter().all(|&b| Charset::Base64.contains(b))
        && bytes.iter().any(u8::is_ascii_uppercase)
        && bytes.iter().any(u8::is_ascii_lowercase)
        && bytes.iter().any(u8::is_ascii_digit)
        && shannon_entropy(text) >= 3.5
}

pub(super) fn looks_like_path(text: &str) -> bool {
    let bytes = text.as_bytes();
    let drive = bytes.len() > 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && b"\\/".contains(&bytes[2]);
    let extension = text
        .rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && KEY_FILE_EXTENSIONS.contains(&ext.to_ascii_lowercase()));
    drive
        || extension
        || ["/", "./", "../", "~/", "~\\", ".\\"]
            .iter()
            .any(|p| text.starts_with(p))
}

/// `GITHUB_TOKEN` as a value names a variable (Goose `env_keys`, Codex `*_env_var`), it is not one.
pub(super) fn looks_like_env_name(text: &str) -> bool {
    text.contains('_')
        && text.starts_with(|c: char| c.is_ascii_uppercase())
        && text
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

pub(super) fn looks_numeric(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'))
}
