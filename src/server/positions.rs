//! Byte offsets of a document as LSP positions: zero-based lines and UTF-16 code units, as the
//! protocol requires (a server name with an emoji or CJK text lands on the right column).

use lsp_types::{Position, Range};

/// Where each line of a text starts, to find an offset's line by binary search.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(at, _)| at + 1));
        Self { starts }
    }

    /// The position of byte `offset` of `text` (clamped to the text, and back to a character
    /// boundary).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|start| *start <= offset).saturating_sub(1);
        let start = self.starts[line];
        let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            u32::try_from(character).unwrap_or(u32::MAX),
        )
    }

    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(self.position(text, start), self.position(text, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_code_units() {
        let text = "{\n  \"🚀 ünï\": {\"command\": \"npx\"}\n}";
        let lines = LineIndex::new(text);
        let command = text.find("\"command\"").expect("command");
        // `  "🚀 ünï": {` before it: 2 + 1 + 2 (the emoji is a surrogate pair) + 1 + 3 + 4 = 13.
        assert_eq!(lines.position(text, command), Position::new(1, 13));
        assert_eq!(lines.position(text, 0), Position::new(0, 0));
        assert_eq!(lines.position(text, text.len()), Position::new(2, 1));
        // Inside a multi-byte character: back to its start.
        let inside = text.find('🚀').expect("emoji") + 1;
        assert_eq!(lines.position(text, inside), Position::new(1, 3));
    }
}
