//! Trailing hashtag clusters: the wall of tags at the end of a caption, where a label is lost.

use crate::document::{Block, BlockKind};

/// A run of at least three hashtags that ends the post, with nothing but @mentions, emoji and
/// punctuation between them.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Cluster {
    /// Block index and byte offset where the cluster starts.
    start: (usize, usize),
    /// Block index and byte offset of each hashtag, in order.
    tags: Vec<(usize, usize)>,
}

impl Cluster {
    /// The 1-based position among the cluster's hashtags of the tag at `offset` of `block`,
    /// or `None` if that place is not inside the cluster.
    pub(super) fn rank_of(&self, block: usize, offset: usize) -> Option<usize> {
        if (block, offset) < self.start {
            return None;
        }
        let rank = self.tags.iter().take_while(|&&tag| tag <= (block, offset)).count();
        Some(rank.max(1))
    }
}

/// The trailing cluster of the post made of `blocks` (index and block, in order), if any.
pub(super) fn trailing_cluster(blocks: &[(usize, &Block)]) -> Option<Cluster> {
    let mut tags = Vec::new();
    let mut start = None;
    'blocks: for &(index, block) in blocks.iter().rev() {
        if block.kind == BlockKind::PostHeading {
            continue;
        }
        let text = &block.text;
        let mut end = text.len();
        for (offset, token) in tokens_rev(text) {
            if token.starts_with('#') && token.chars().nth(1).is_some_and(char::is_alphanumeric) {
                tags.push((index, offset));
            } else if !token.starts_with('@') && token.chars().any(char::is_alphanumeric) {
                start = Some((index, end));
                break 'blocks;
            }
            end = offset;
        }
        start = Some((index, 0));
    }
    tags.reverse();
    let start = start?;
    let start = tags.first().copied().map_or(start, |first| first.max(start));
    (tags.len() >= 3).then_some(Cluster { start, tags })
}

/// Whitespace-separated tokens with their offsets, last first: read from the end, so that a
/// long block before a few trailing tags is not split into words.
fn tokens_rev(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut end = text.len();
    std::iter::from_fn(move || {
        let before = text.get(..end)?.trim_end();
        if before.is_empty() {
            return None;
        }
        let start = before.char_indices().rev().find(|(_, c)| c.is_whitespace()).map_or(0, |(at, c)| at + c.len_utf8());
        end = start;
        Some((start, before.get(start..).unwrap_or_default()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    fn cluster(text: &str) -> Option<(Cluster, Document)> {
        let doc = Document::parse("t.md", text);
        let blocks: Vec<(usize, &Block)> = doc.blocks.iter().enumerate().collect();
        let c = trailing_cluster(&blocks)?;
        Some((c, doc))
    }

    #[test]
    fn finds_the_trailing_wall_and_ranks_tags() {
        let text = "Lovely day at the beach 🌊 #summer #beach #ad #sun";
        let (c, doc) = cluster(text).unwrap();
        let at = doc.blocks[0].text.find("#ad").unwrap();
        assert_eq!(c.rank_of(0, at), Some(3));
        let early = doc.blocks[0].text.find("beach").unwrap();
        assert_eq!(c.rank_of(0, early), None);
    }

    #[test]
    fn spans_paragraphs_and_skips_mentions_and_emoji() {
        let text = "Caption text here.\n\n#one @brand #two ✨ #three";
        let (c, _) = cluster(text).unwrap();
        assert_eq!(c.tags.len(), 3);
        assert_eq!(c.start, (1, 0));
    }

    proptest::proptest! {
        #[test]
        fn tokens_come_last_first_with_their_offsets(text in "[a#@ \u{a0}\n\u{2003}é🌊]{0,24}") {
            let mut forward: Vec<(usize, &str)> =
                text.split(char::is_whitespace).scan(0, |at, token| {
                    let start = *at;
                    *at += token.len() + text.get(start + token.len()..).and_then(|r| r.chars().next()).map_or(0, char::len_utf8);
                    Some((start, token))
                }).filter(|(_, token)| !token.is_empty()).collect();
            forward.reverse();
            proptest::prop_assert_eq!(tokens_rev(&text).collect::<Vec<_>>(), forward);
        }
    }

    #[test]
    fn two_tags_or_prose_after_are_not_a_cluster() {
        assert!(cluster("Text #a #b").is_none());
        assert!(cluster("#a #b #c and then more words").is_none());
    }
}
