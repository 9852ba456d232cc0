//! Masking a file's secrets in any text shown of it: the secrets' values, found by the secret
//! detector, replaced in one pass whatever their number, byte lengths kept so that spans still
//! point where they did. Below every stage that shows a text (lint, fix, write, output, probe).

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// Text with every secret replaced, keeping its length in bytes so that the findings' spans
/// still point where they did. One pass over the text whatever the number of secrets.
pub fn mask_secrets(text: &str, secrets: &[&str]) -> String {
    SecretMasker::new(secrets).mask(text)
}

/// The secrets of a file, ready to mask any number of texts: the automaton is built once.
pub struct SecretMasker {
    searcher: Option<AhoCorasick>,
    shown: Vec<String>,
    /// The automaton could not be built (too large): every text is masked whole.
    failed: bool,
}

impl SecretMasker {
    pub fn new(secrets: &[&str]) -> Self {
        let secrets: Vec<&str> = secrets.iter().copied().filter(|s| !s.is_empty()).collect();
        if secrets.is_empty() {
            return Self {
                searcher: None,
                shown: Vec::new(),
                failed: false,
            };
        }
        let shown = secrets.iter().map(|secret| masked_form(secret)).collect();
        // A file holds a few secrets: the automaton that is quickest to build is the right one.
        let searcher = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .match_kind(MatchKind::LeftmostLongest)
            .build(&secrets);
        Self {
            failed: searcher.is_err(),
            searcher: searcher.ok(),
            shown,
        }
    }

    /// `text` with every secret masked, byte lengths kept.
    pub fn mask(&self, text: &str) -> String {
        match &self.searcher {
            Some(searcher) => searcher.replace_all(text, &self.shown),
            // Mask everything rather than print a secret.
            None if self.failed => text
                .chars()
                .flat_map(|c| std::iter::repeat_n(if c.is_whitespace() { c } else { '*' }, c.len_utf8()))
                .collect(),
            None => text.to_owned(),
        }
    }
}

/// A secret as it may be shown: its first four characters when it is long enough that they
/// reveal nothing useful, then one star per byte of the rest.
fn masked_form(secret: &str) -> String {
    let long = secret.chars().count() >= 16;
    let mut shown = String::with_capacity(secret.len());
    for (i, c) in secret.chars().enumerate() {
        if long && i < 4 {
            shown.push(c);
        } else {
            shown.extend(std::iter::repeat_n('*', c.len_utf8()));
        }
    }
    shown
}
