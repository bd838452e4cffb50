//! Positions as the client counts them: a 0-based line and a 0-based character offset in the
//! negotiated encoding (UTF-16 code units unless the client offers UTF-8), to and from the
//! byte offsets the engine speaks.
//!
//! Every conversion clamps: a line past the end is the end of the text, a character past the
//! end of its line is the end of the line, and an offset inside a character (or inside a
//! UTF-16 surrogate pair) moves to a boundary. A client's bad position never panics.

use lsp_types::{Position, PositionEncodingKind, Range};

use crate::span::{LineIndex, Span};

/// How characters on a line are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    /// UTF-8 when the client offers it (the engine's own unit: no counting at all), else
    /// UTF-16, which every client must support.
    pub(crate) fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub(crate) fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }
    }

    fn width(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        }
    }
}

/// A text with its line starts, for converting positions.
pub(crate) struct Lines<'a> {
    pub(crate) text: &'a str,
    pub(crate) index: &'a LineIndex,
    pub(crate) encoding: Encoding,
}

impl Lines<'_> {
    /// The text of 0-based `line` without its line break, and where it starts.
    fn line(&self, line: usize) -> Option<(usize, &str)> {
        let start = self.index.line_start(line + 1)?;
        let end = self.index.line_start(line + 2).unwrap_or(self.text.len());
        let text = self.text.get(start..end)?;
        Some((start, text.trim_end_matches(['\n', '\r'])))
    }

    /// The byte offset of `position`, clamped into the text.
    pub(crate) fn offset(&self, position: Position) -> usize {
        let Some((start, line)) = self.line(position.line as usize) else { return self.text.len() };
        let wanted = position.character as usize;
        let mut units = 0;
        for (at, c) in line.char_indices() {
            if units >= wanted {
                return start + at;
            }
            units += self.encoding.width(c);
        }
        start + line.len()
    }

    /// The position of byte `offset` (clamped into the text, and moved left to a character).
    pub(crate) fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.index.line_of(offset);
        let start = self.index.line_start(line).unwrap_or(0).min(offset);
        let before = self.text.get(start..offset).unwrap_or_default();
        let character = match self.encoding {
            Encoding::Utf8 => before.len(),
            Encoding::Utf16 => before.encode_utf16().count(),
        };
        Position { line: to_u32(line - 1), character: to_u32(character) }
    }

    pub(crate) fn range(&self, span: Span) -> Range {
        Range { start: self.position(span.start), end: self.position(span.end) }
    }

    /// The byte span of `range`, its ends put in order.
    pub(crate) fn span(&self, range: Range) -> Span {
        let (a, b) = (self.offset(range.start), self.offset(range.end));
        Span::new(a.min(b), a.max(b))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    fn round_trip(text: &str, encoding: Encoding, needle: &str, expected: Position) {
        let index = LineIndex::counting_bom(text);
        let lines = Lines { text, index: &index, encoding };
        let offset = text.find(needle).unwrap();
        assert_eq!(lines.position(offset), expected, "{needle} in {text:?} ({encoding:?})");
        assert_eq!(lines.offset(expected), offset);
    }

    #[test]
    fn utf16_counts_surrogate_pairs_and_accents_once() {
        let text = "Città più bella 🌿👩‍💻 #ad\r\nperché 🍝 usa il codice GLOW20";
        // 🌿 is two UTF-16 units; 👩‍💻 is five (two pairs and a joiner).
        round_trip(text, Encoding::Utf16, "#ad", at(0, 24));
        round_trip(text, Encoding::Utf16, "GLOW20", at(1, 24));
        round_trip(text, Encoding::Utf8, "#ad", at(0, 34));
        round_trip(text, Encoding::Utf8, "GLOW20", at(1, 27));
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let text = "è🌿\nab";
        let index = LineIndex::counting_bom(text);
        let lines = Lines { text, index: &index, encoding: Encoding::Utf16 };
        assert_eq!(lines.offset(at(0, 99)), "è🌿".len());
        assert_eq!(lines.offset(at(7, 0)), text.len());
        // Inside the surrogate pair: the end of the character.
        assert_eq!(lines.offset(at(0, 2)), "è🌿".len());
        assert_eq!(lines.position(999), at(1, 2));
        // Inside a character: its start.
        assert_eq!(lines.position(1), at(0, 0));
        // A reversed range is put in order.
        assert_eq!(lines.span(Range { start: at(1, 1), end: at(0, 1) }), Span::new(2, text.len() - 1));
    }

    #[test]
    fn a_byte_order_mark_is_a_character() {
        let text = "\u{feff}#ad";
        round_trip(text, Encoding::Utf16, "#ad", at(0, 1));
    }
}
