//! Prose blocks: the readable text of one paragraph, heading, list item or table cell, with a
//! map from every byte of that text back to the source.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use crate::span::Span;

/// What a block is, as far as rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    /// A heading of the given level (1–6).
    Heading(u8),
    /// A heading that starts a new post (`## Post 2 — TikTok`); not part of the post's copy.
    PostHeading,
    TableCell,
}

/// A stretch of block text and the source bytes it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    /// Where the piece starts in [`Block::text`].
    pub text_start: usize,
    /// The source bytes it came from.
    pub source: Span,
    /// True when the block text equals the source bytes, so offsets map one to one.
    pub verbatim: bool,
}

/// The text of a block: while it is built and where markup was removed, a string of its own;
/// once built, when its words stand in the source as they are (most paragraphs of a big
/// export), a slice of the document's text, which is then held once rather than twice.
#[derive(Clone)]
pub struct BlockText(Repr);

#[derive(Clone)]
enum Repr {
    Own(String),
    Slice { source: Arc<str>, start: usize, end: usize },
}

impl BlockText {
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Own(text) => text,
            Repr::Slice { source, start, end } => source.get(*start..*end).unwrap_or_default(),
        }
    }

    /// Appends `more`; a slice becomes a string of its own first.
    fn push_str(&mut self, more: &str) {
        match &mut self.0 {
            Repr::Own(text) => text.push_str(more),
            Repr::Slice { .. } => self.0 = Repr::Own(format!("{}{more}", self.as_str())),
        }
    }

    fn shrink_to_fit(&mut self) {
        if let Repr::Own(text) = &mut self.0 {
            text.shrink_to_fit();
        }
    }
}

impl Deref for BlockText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for BlockText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for BlockText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for BlockText {}

impl PartialEq<str> for BlockText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for BlockText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The prose of one block as a reader sees it: markup removed, line breaks as spaces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: BlockText,
    pub pieces: Vec<Piece>,
    /// The post this block belongs to.
    pub post: usize,
    /// True inside a block quote (where testimonials live).
    pub quoted: bool,
    /// Characters of visible post text before this block (for the fold).
    pub visible_offset: usize,
}

impl Block {
    pub(crate) fn new(kind: BlockKind, post: usize, quoted: bool) -> Self {
        Block { kind, text: BlockText(Repr::Own(String::new())), pieces: Vec::new(), post, quoted, visible_offset: 0 }
    }

    /// Done with building: the text becomes a slice of `source` (the document's text) when
    /// it is one verbatim piece of it, and gives back its spare capacity otherwise, as do
    /// the pieces. `push` already compared a verbatim piece with the source, and a block of
    /// one piece holds nothing else, so the text is that slice.
    pub(crate) fn finish(&mut self, source: &Arc<str>) {
        if let [Piece { source: span, verbatim: true, .. }] = self.pieces[..]
            && !matches!(self.text.0, Repr::Slice { .. })
        {
            debug_assert_eq!(source.get(span.range()), Some(self.text.as_str()));
            self.text = BlockText(Repr::Slice { source: Arc::clone(source), start: span.start, end: span.end });
        } else {
            self.text.shrink_to_fit();
        }
        self.pieces.shrink_to_fit();
    }

    pub fn is_heading(&self) -> bool {
        matches!(self.kind, BlockKind::Heading(_) | BlockKind::PostHeading)
    }

    /// Appends `text` that came from `source` in `original` (the document's text).
    pub(crate) fn push(&mut self, text: &str, source: Span, original: &Arc<str>) {
        if text.is_empty() {
            return;
        }
        let verbatim = original.get(source.range()) == Some(text);
        if self.pieces.is_empty() {
            // Most blocks are one piece: room for one, which `finish` need not shrink.
            self.pieces.reserve_exact(1);
        }
        self.pieces.push(Piece { text_start: self.text.len(), source, verbatim });
        if verbatim && self.text.is_empty() {
            // The block's words as they stand in the source: shared, not copied, unless more
            // pieces follow (see `finish`).
            self.text = BlockText(Repr::Slice { source: Arc::clone(original), start: source.start, end: source.end });
        } else {
            self.text.push_str(text);
        }
    }

    /// Appends a single space standing for `source` (a line break, inline code, markup),
    /// unless the text already ends in whitespace.
    pub(crate) fn push_gap(&mut self, source: Span) {
        if self.text.is_empty() || self.text.ends_with(char::is_whitespace) {
            return;
        }
        self.pieces.push(Piece { text_start: self.text.len(), source, verbatim: false });
        self.text.push_str(" ");
    }

    /// The source bytes a range of [`Block::text`] came from. Verbatim pieces map exactly;
    /// other pieces widen to the whole piece. The result lies on char boundaries of
    /// `original`.
    pub fn source_span(&self, start: usize, end: usize, original: &str) -> Span {
        let first = self.piece_at(start);
        let last = self.piece_at(end.saturating_sub(1).max(start));
        let (Some(first), Some(last)) = (first, last) else {
            return Span::default().snap_to(original);
        };
        let from = if first.verbatim {
            first.source.start + start.saturating_sub(first.text_start).min(first.source.len())
        } else {
            first.source.start
        };
        let to = if last.verbatim {
            last.source.start + end.saturating_sub(last.text_start).min(last.source.len())
        } else {
            last.source.end
        };
        Span::new(from, to.max(from)).snap_to(original)
    }

    /// The source span of the whole block.
    pub fn span(&self) -> Span {
        match (self.pieces.first(), self.pieces.last()) {
            (Some(first), Some(last)) => Span::new(first.source.start, last.source.end),
            _ => Span::default(),
        }
    }

    fn piece_at(&self, offset: usize) -> Option<&Piece> {
        let index = self.pieces.partition_point(|p| p.text_start <= offset);
        self.pieces.get(index.checked_sub(1)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_pieces_map_exactly_and_others_widen() {
        let original: Arc<str> = Arc::from("Hi &amp; *bye* now");
        let mut block = Block::new(BlockKind::Paragraph, 0, false);
        block.push("Hi ", Span::new(0, 3), &original);
        block.push("&", Span::new(3, 8), &original);
        block.push(" ", Span::new(8, 9), &original);
        block.push("bye", Span::new(10, 13), &original);
        assert_eq!(block.text, "Hi & bye");
        let at = block.text.find("bye").unwrap();
        assert_eq!(block.source_span(at, at + 3, &original), Span::new(10, 13));
        assert_eq!(block.source_span(3, 4, &original), Span::new(3, 8));
        assert_eq!(block.source_span(0, block.text.len(), &original), Span::new(0, 13));
    }

    /// Whether `inner` lies inside `outer` in memory (shares it rather than copying it).
    fn within(outer: &str, inner: &str) -> bool {
        let range = outer.as_bytes().as_ptr_range();
        range.contains(&inner.as_ptr()) && inner.len() <= outer.len()
    }

    #[test]
    fn finished_blocks_share_verbatim_text_and_own_the_rest() {
        let original: Arc<str> = Arc::from("Hi there\nHi &amp; bye");
        let mut verbatim = Block::new(BlockKind::Paragraph, 0, false);
        verbatim.push("Hi there", Span::new(0, 8), &original);
        verbatim.finish(&original);
        assert_eq!(verbatim.text, "Hi there");
        assert!(within(&original, &verbatim.text));

        let mut rewritten = Block::new(BlockKind::Paragraph, 0, false);
        rewritten.push("Hi ", Span::new(9, 12), &original);
        rewritten.push("&", Span::new(12, 17), &original);
        rewritten.push(" bye", Span::new(17, 21), &original);
        rewritten.finish(&original);
        assert_eq!(rewritten.text, "Hi & bye");
        assert!(!within(&original, &rewritten.text));
        assert_eq!(rewritten.source_span(5, 8, &original), Span::new(18, 21));

        // A shared text that grows again becomes a copy, and stays correct.
        verbatim.push_gap(Span::new(8, 9));
        verbatim.push("Hi", Span::new(9, 11), &original);
        assert_eq!(verbatim.text, "Hi there Hi");
        assert!(!within(&original, &verbatim.text));
    }
}
