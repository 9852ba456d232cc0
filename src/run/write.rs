//! Write stage: a fixed file goes to disk atomically (refused if it changed since it was read),
//! or, for `--diff`, becomes a unified diff with the secrets the findings found masked.

use super::lint::FileFailure;
use super::mask;
use super::parse::SourceFile;
use crate::dialect::{Span, Syntax};
use crate::fix::write::write_atomically;

/// Writes `fixed` (text without the BOM) over the file `source` was read from, if the file
/// still holds what was read.
pub fn write(source: &SourceFile, fixed: &str) -> Result<(), FileFailure> {
    let original = source.disk_text(&source.text);
    let fixed = source.disk_text(fixed);
    write_atomically(&source.path, original.as_bytes(), fixed.as_bytes())
        .map_err(|error| FileFailure::new(&source.path, error.to_string()))
}

/// `--- a/path` / `+++ b/path` unified diff of one file's fix. Secrets are masked on both sides
/// (a removed line would otherwise print one in full): where they are written (`before_spans`
/// for the text as read, the fixed text read again for the other side), and wherever one of
/// `secrets` appears. A diff with a secret in it is for review, not for `git apply`.
pub fn unified_diff(
    source: &SourceFile,
    before_spans: &[Span],
    fixed: &str,
    syntax: Syntax,
    secrets: &[String],
) -> String {
    let shown = source.path.display().to_string();
    let path = shown.trim_start_matches("./").trim_start_matches('/');
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    let after_spans = mask::secret_spans_of_text(syntax, fixed);
    let before = source.disk_text(&mask::mask(
        &crate::secrets::mask::mask_secrets(&source.text, &secrets),
        before_spans,
    ));
    let after = source.disk_text(&mask::mask(
        &crate::secrets::mask::mask_secrets(fixed, &secrets),
        &after_spans,
    ));
    similar::TextDiff::from_lines(&before, &after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
