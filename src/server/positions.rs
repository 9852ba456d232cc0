//! Byte offsets of a document as LSP positions: zero-based lines and UTF-16 code units, as the
//! protocol requires (a server name with an emoji or CJK text lands on the right column).

use lsp_types::{Position, Range, TextEdit};

use crate::dialect::position::{LineIndex, clamp_to_char_boundary};

/// Positions in an editor's buffer. Spans of mcp-lint's reports count bytes of the text without
/// a leading byte order mark (as every reader strips it); a buffer that keeps one is counted
/// past it.
pub struct Positions<'a> {
    text: &'a str,
    lines: LineIndex,
    /// Bytes of the buffer before the report's offset 0 (a BOM).
    shift: usize,
}

impl<'a> Positions<'a> {
    pub fn new(text: &'a str) -> Self {
        let shift = if text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        Self {
            text,
            lines: LineIndex::new(text),
            shift,
        }
    }

    /// The position of byte `offset` of the report's text (clamped to the buffer, and back to a
    /// character boundary).
    pub fn position(&self, offset: usize) -> Position {
        self.buffer_position(offset + self.shift)
    }

    /// The position of byte `offset` of the buffer itself (its byte order mark counted).
    fn buffer_position(&self, offset: usize) -> Position {
        let offset = clamp_to_char_boundary(self.text, offset);
        let line = self.lines.line_of(offset);
        let start = self.lines.line_start(line);
        let character: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(character).unwrap_or(u32::MAX),
        )
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The one edit that makes this buffer `new`: only the middle between their common start
    /// and end is replaced, so the editor keeps its cursor, folds and undo steps outside it.
    pub fn edit_to(&self, new: &str) -> TextEdit {
        let old = self.text;
        let prefix = old
            .char_indices()
            .zip(new.chars())
            .find(|((_, a), b)| a != b)
            .map_or(old.len().min(new.len()), |((at, _), _)| at);
        let suffix = old[prefix..]
            .chars()
            .rev()
            .zip(new[prefix..].chars().rev())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a.len_utf8())
            .sum::<usize>();
        TextEdit {
            range: Range::new(self.buffer_position(prefix), self.buffer_position(old.len() - suffix)),
            new_text: new[prefix..new.len() - suffix].to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_code_units() {
        let text = "{\n  \"🚀 ünï\": {\"command\": \"npx\"}\n}";
        let lines = Positions::new(text);
        let command = text.find("\"command\"").expect("command");
        // `  "🚀 ünï": {` before it: 2 + 1 + 2 (the emoji is a surrogate pair) + 1 + 3 + 4 = 13.
        assert_eq!(lines.position(command), Position::new(1, 13));
        assert_eq!(lines.position(0), Position::new(0, 0));
        assert_eq!(lines.position(text.len()), Position::new(2, 1));
        // Inside a multi-byte character: back to its start.
        let inside = text.find('🚀').expect("emoji") + 1;
        assert_eq!(lines.position(inside), Position::new(1, 3));
    }

    #[test]
    fn an_edit_replaces_only_what_changed() {
        let old = "{\n  \"🚀\": [\"-y\", \"pkg\"],\n  \"b\": [\"pkg\"]\n}\n";
        let new = old.replace("\"pkg\"]", "\"pkg@1.2.0\"]");
        let edit = Positions::new(old).edit_to(&new);
        assert_eq!(
            edit.range.start,
            Position::new(1, 19),
            "after the first `pkg`, in UTF-16"
        );
        assert_eq!(edit.range.end, Position::new(2, 12));
        assert_eq!(edit.new_text, "@1.2.0\"],\n  \"b\": [\"pkg@1.2.0");
        // Applied, it gives the new text.
        let lines = Positions::new(old);
        let (start, end) = (
            byte_at(old, edit.range.start, &lines),
            byte_at(old, edit.range.end, &lines),
        );
        assert_eq!(format!("{}{}{}", &old[..start], edit.new_text, &old[end..]), new);
        let same = Positions::new(old).edit_to(old);
        assert!(same.new_text.is_empty() && same.range.start == same.range.end);
    }

    fn byte_at(text: &str, position: Position, lines: &Positions) -> usize {
        (0..=text.len())
            .filter(|at| text.is_char_boundary(*at))
            .find(|at| lines.buffer_position(*at) == position)
            .expect("a byte at that position")
    }

    #[test]
    fn a_kept_byte_order_mark_is_counted_past() {
        let buffer = "\u{feff}{\n  \"a\": 1\n}";
        let lines = Positions::new(buffer);
        // Offset 4 of the text without the mark is the `"` of line 1.
        assert_eq!(lines.position(4), Position::new(1, 2));
        assert_eq!(lines.buffer_position(buffer.len()), Position::new(2, 1));
    }
}
