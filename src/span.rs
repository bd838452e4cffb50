//! Byte spans into the original source text, and the conversion to line and column.
//!
//! Every position womlint reports is a byte range of the file exactly as it was read, so a
//! diagnostic can point at the words. Lines and columns are computed only when a report is
//! rendered, through [`LineIndex`].

use std::ops::Range;

/// A byte range `start..end` in a document's original text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`; `end` is raised to `start` if it is smaller.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end: end.max(start) }
    }

    pub fn len(self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }

    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Moves both ends to the nearest char boundaries of `text` that keep the span inside the
    /// text (the start moves left, the end moves right). Spans computed by arithmetic go through
    /// this before they leave the engine.
    pub fn snap_to(self, text: &str) -> Span {
        let mut start = self.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = self.end.clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        Span { start, end }
    }
}

impl From<Range<usize>> for Span {
    fn from(range: Range<usize>) -> Self {
        Span::new(range.start, range.end)
    }
}

/// A 1-based line and 1-based column counted in characters (Unicode scalar values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

/// Line starts of a text, for turning byte offsets into lines and character columns.
///
/// `\n`, `\r\n` and a lone `\r` each end a line. A UTF-8 byte order mark is not a character
/// of the first line: columns on line 1 start after it.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        Self::starting_at(text, if text.starts_with('\u{feff}') { 3 } else { 0 })
    }

    /// Line starts of a text in which a byte order mark is a character like any other (as an
    /// editor's buffer has it, for positions a language client counts).
    pub fn counting_bom(text: &str) -> Self {
        Self::starting_at(text, 0)
    }

    fn starting_at(text: &str, first: usize) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![first];
        let mut i = 0;
        while let Some(found) = memchr::memchr2(b'\n', b'\r', bytes.get(i..).unwrap_or_default()) {
            let at = i + found;
            let next = if bytes.get(at) == Some(&b'\r') && bytes.get(at + 1) == Some(&b'\n') { at + 2 } else { at + 1 };
            starts.push(next);
            i = next;
        }
        LineIndex { starts }
    }

    /// Number of lines (a text ending in a line break has an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The byte offset where 1-based `line` starts, if there is such a line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }

    /// Line and character column of byte `offset` (clamped into the text and moved left to a
    /// char boundary).
    pub fn line_column(&self, text: &str, offset: usize) -> LineColumn {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0).min(offset);
        let column = text.get(start..offset).map_or(0, |prefix| prefix.chars().count()) + 1;
        LineColumn { line, column }
    }

    /// The line and column of each of `offsets`, as [`LineIndex::line_column`] gives them, in
    /// one pass: the columns of offsets on one line are counted on from each other, not from
    /// the line's start each time (quadratic for many findings on an 8 MB line).
    pub fn line_columns(&self, text: &str, offsets: &[usize]) -> Vec<LineColumn> {
        let mut order: Vec<usize> = (0..offsets.len()).collect();
        order.sort_by_key(|&i| offsets.get(i).copied().unwrap_or(0));
        let mut out = vec![LineColumn { line: 1, column: 1 }; offsets.len()];
        // The last offset placed: its line, byte and column.
        let mut last: Option<(usize, usize, usize)> = None;
        for i in order {
            let mut offset = offsets.get(i).copied().unwrap_or(0).min(text.len());
            while !text.is_char_boundary(offset) {
                offset -= 1;
            }
            let line = self.starts.partition_point(|&s| s <= offset).max(1);
            let start = self.starts.get(line - 1).copied().unwrap_or(0);
            let (from, column) = match last {
                Some((last_line, byte, column)) if last_line == line && start <= byte && byte <= offset => {
                    (byte, column)
                }
                _ => (start.min(offset), 1),
            };
            let column = column + text.get(from..offset).map_or(0, |p| p.chars().count());
            last = Some((line, offset, column));
            if let Some(slot) = out.get_mut(i) {
                *slot = LineColumn { line, column };
            }
        }
        out
    }

    /// 1-based line of byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lc(text: &str, offset: usize) -> (usize, usize) {
        let at = LineIndex::new(text).line_column(text, offset);
        (at.line, at.column)
    }

    #[test]
    fn lines_and_columns_with_lf_crlf_and_cr() {
        let text = "ab\ncd\r\nef\rgh";
        assert_eq!(lc(text, 0), (1, 1));
        assert_eq!(lc(text, 1), (1, 2));
        assert_eq!(lc(text, 3), (2, 1));
        assert_eq!(lc(text, 7), (3, 1));
        assert_eq!(lc(text, 10), (4, 1));
        assert_eq!(lc(text, 12), (4, 3));
        assert_eq!(LineIndex::new(text).line_count(), 4);
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "città è #ad";
        let at = text.find("#ad").unwrap();
        assert_eq!(lc(text, at), (1, 9));
        // A tab is one character.
        assert_eq!(lc("\t#ad", 1), (1, 2));
        // Emoji with a ZWJ sequence counts its scalar values.
        let text = "👩‍💻 #ad";
        assert_eq!(lc(text, text.find('#').unwrap()), (1, 5));
    }

    #[test]
    fn bom_is_not_a_column() {
        let text = "\u{feff}#ad\nx";
        assert_eq!(lc(text, 3), (1, 1));
        assert_eq!(lc(text, 7), (2, 1));
    }

    #[test]
    fn offsets_inside_a_char_or_past_the_end_are_clamped() {
        let text = "è\n";
        assert_eq!(lc(text, 1), (1, 1));
        assert_eq!(lc(text, 99), (2, 1));
    }

    #[test]
    fn many_offsets_at_once_agree_with_one_at_a_time() {
        let text = "\u{feff}città\r\nè #ad\rx\n\n👩‍💻 end";
        let index = LineIndex::new(text);
        let offsets: Vec<usize> = (0..=text.len() + 2).rev().chain([5, 5, 0]).collect();
        let expected: Vec<LineColumn> = offsets.iter().map(|&o| index.line_column(text, o)).collect();
        assert_eq!(index.line_columns(text, &offsets), expected);
    }

    #[test]
    fn snap_keeps_spans_on_boundaries() {
        let text = "perché";
        let span = Span::new(5, 6).snap_to(text);
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        assert_eq!(span, Span::new(5, 7));
        assert_eq!(Span::new(50, 60).snap_to(text), Span::new(7, 7));
    }
}
