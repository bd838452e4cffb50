//! The repair a finding offers, as edits to the file: made when the finding is, from the rule's
//! `fix:` and what the finding points at.
//!
//! Every edit lands in prose: the label a fix replaces or moves must lie in one piece of a
//! block that stands in the file as it is (never in code, the front matter, a comment or a
//! link destination), and a label is inserted where the post's first block starts.

use crate::document::Document;
use crate::finding::{Edit, Fix};
use crate::rules::{FixKind, RuleFix};
use crate::span::Span;

/// The fix for a finding whose primary span is `label_at`, in a post whose copy starts at
/// `post_start`; `suggest` is the clear label in the post's language. `None` when the repair
/// cannot be made here.
pub(super) fn fix_for(
    doc: &Document,
    rule_fix: RuleFix,
    suggest: &str,
    label_at: Span,
    post_start: Option<usize>,
) -> Option<Fix> {
    let text: &str = &doc.text;
    let start = post_start.filter(|s| in_prose(doc, Span::new(*s, *s)))?;
    let insert = |label: &str| Edit { span: Span::new(start, start), replacement: format!("{label} ") };
    let first = |label: &str| format!("Insert “{label}” at the start of the post");
    let (description, edits) = match rule_fix.kind {
        FixKind::InsertLabel => {
            if suggest.trim().is_empty() {
                return None;
            }
            (first(suggest.trim()), vec![insert(suggest.trim())])
        }
        FixKind::ReplaceLabel => {
            let suggest = suggest.trim();
            if suggest.is_empty() || label_at.is_empty() || !in_prose(doc, label_at) {
                return None;
            }
            let label = text.get(label_at.range())?;
            let replace = format!("Replace “{label}” with “{suggest}”");
            if opens_post(text, start, label_at) && !label.contains(char::is_whitespace) {
                // In place: the clear label takes the weak one's place at the start (one word:
                // "Thanks @brand" keeps its words, and gets the label before them).
                (replace, vec![Edit { span: label_at, replacement: suggest.to_owned() }])
            } else if is_tag(label) && stands_alone(text, label_at) {
                // A weak hashtag later in the post goes, and the clear label opens the post.
                let edits = vec![insert(suggest), Edit { span: deletion(text, label_at), replacement: String::new() }];
                (format!("{replace} at the start of the post"), edits)
            } else {
                // Weak words in a sentence stay (taking them out would break it); the clear
                // label opens the post.
                (first(suggest), vec![insert(suggest)])
            }
        }
        FixKind::MoveLabelFirst => {
            if label_at.is_empty() || !in_prose(doc, label_at) || opens_post(text, start, label_at) {
                return None;
            }
            let label = text.get(label_at.range())?;
            if is_tag(label) && stands_alone(text, label_at) {
                let edits = vec![insert(label), Edit { span: deletion(text, label_at), replacement: String::new() }];
                (format!("Move “{label}” to the start of the post"), edits)
            } else if !suggest.trim().is_empty() {
                // A late sentence ("This post is an ad for …") stays where it is; the clear
                // label opens the post.
                (first(suggest.trim()), vec![insert(suggest.trim())])
            } else {
                return None;
            }
        }
    };
    Some(Fix { description, applicability: rule_fix.applicability, edits, fallback: None })
}

/// Whether `span` lies in prose: inside one verbatim piece of a block (an empty span may sit
/// at either end of one), or, empty, at the start of a block.
fn in_prose(doc: &Document, span: Span) -> bool {
    doc.blocks.iter().any(|block| {
        (span.is_empty() && block.span().start == span.start)
            || block.pieces.iter().any(|p| p.verbatim && p.source.contains(span))
    })
}

/// Whether only spaces lie between the post's start and `label`.
fn opens_post(text: &str, start: usize, label: Span) -> bool {
    label.start >= start && text.get(start..label.start).is_some_and(|gap| gap.chars().all(|c| c == ' ' || c == '\t'))
}

/// A hashtag: `#` and no space.
fn is_tag(label: &str) -> bool {
    label.starts_with('#') && !label.contains(char::is_whitespace)
}

/// Whether the label at `span` may be taken out: it is not the whole text of a link (which
/// would be left empty), nor glued to markup around it.
fn stands_alone(text: &str, span: Span) -> bool {
    let before = text.get(..span.start).and_then(|t| t.chars().next_back());
    let after = text.get(span.end..).and_then(|t| t.chars().next());
    let free = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || matches!(c, ',' | '.' | ';' | '!' | '?' | ':'));
    free(before) && free(after)
}

/// What to delete to take out `span`: the words and one space beside them, or the whole line
/// (with its line end) when nothing else is on it.
fn deletion(text: &str, span: Span) -> Span {
    let bytes = text.as_bytes();
    let line_start = text.get(..span.start).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
    let line_end = text.get(span.end..).and_then(|t| t.find('\n')).map_or(text.len(), |i| span.end + i);
    let before = text.get(line_start..span.start).unwrap_or_default();
    let after = text.get(span.end..line_end).unwrap_or_default().trim_end_matches('\r');
    if before.trim().is_empty() && after.trim().is_empty() {
        // Alone on its line: the line goes, line end included (the last line takes the line
        // end before it instead).
        return if line_end < text.len() {
            Span::new(line_start, line_end + 1)
        } else if line_start > 0 {
            let crlf = line_start >= 2 && bytes.get(line_start - 2) == Some(&b'\r');
            Span::new(line_start - if crlf { 2 } else { 1 }, text.len())
        } else {
            span
        };
    }
    if span.start > line_start && matches!(bytes.get(span.start - 1), Some(b' ' | b'\t')) {
        Span::new(span.start - 1, span.end)
    } else if matches!(bytes.get(span.end), Some(b' ' | b'\t')) {
        Span::new(span.start, span.end + 1)
    } else {
        span
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deletion_takes_one_space_or_the_whole_line() {
        let text = "a #x b\n#y\r\nc #z";
        let span = |word: &str| {
            let at = text.find(word).unwrap_or_default();
            Span::new(at, at + word.len())
        };
        assert_eq!(&text[deletion(text, span("#x")).range()], " #x");
        assert_eq!(&text[deletion(text, span("#y")).range()], "#y\r\n");
        assert_eq!(&text[deletion(text, span("#z")).range()], " #z");
        let alone = "first\r\n#ad";
        assert_eq!(&alone[deletion(alone, Span::new(7, 10)).range()], "\r\n#ad");
    }

    #[test]
    fn a_label_that_is_a_link_text_or_glued_to_markup_stays() {
        let text = "see [#ad](https://x.example) and *#sp* or #collab, ok";
        let span = |word: &str| {
            let at = text.find(word).unwrap_or_default();
            Span::new(at, at + word.len())
        };
        assert!(!stands_alone(text, span("#ad")));
        assert!(!stands_alone(text, span("#sp")));
        assert!(stands_alone(text, span("#collab")));
    }
}
