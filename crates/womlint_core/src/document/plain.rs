//! Plain text to prose blocks: paragraphs are separated by blank lines.

use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::markdown::set_visible_offsets;
use super::{Block, BlockKind, Comment, Parsed, RawPost, is_byline, post_heading_platform};
use crate::span::Span;

/// A line that holds a womlint directive (`womlint-disable …`), optionally behind a comment
/// marker; such lines are waivers, not copy. Misspelt ones (`womlint: disable`,
/// `womlint_disable`) are taken too, so that they are reported rather than read as copy.
static DIRECTIVE_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:#+|//|<!--)?\s*(womlint(?:[-_][a-z][a-z_-]*|\s*:?\s*(?:disable|enable|ignore)[a-z_-]*)\b.*?)\s*(?:-->)?\s*$",
    )
    .ok()
});

/// A same-line waiver at the end of a line of copy: `… <!-- womlint-disable-line RULE -- why -->`,
/// or after `#` or `//`.
static SAME_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:\s*<!--\s*|\s+(?:#|//)\s*|\s+)(womlint[-_]disable[-_]line\b.*?)\s*(?:-->)?\s*$").ok()
});

/// Whether `line` holds "womlint" in any case.
fn mentions_womlint(line: &str) -> bool {
    line.as_bytes().windows(7).any(|w| w.eq_ignore_ascii_case(b"womlint"))
}

pub(super) fn parse(source: &Arc<str>, body_start: usize) -> Parsed {
    let text: &str = source;
    let mut parsed = Parsed::new(source);
    let mut current: Option<Block> = None;
    let mut post = 0;
    let mut post_start = body_start;
    let mut post_heading: Option<(String, String)> = None;
    let mut at = body_start;
    let body = text.get(body_start..).unwrap_or_default();
    for raw_line in body.split_inclusive('\n') {
        let line_start = at;
        at += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim();
        let content = Span::new(line_start, line_start + line.len());
        // Both directive regexes need the word, and most lines lack it: they are not run there.
        let may_direct = mentions_womlint(line);
        if let Some(caps) = DIRECTIVE_LINE.as_ref().filter(|_| may_direct).and_then(|re| re.captures(line)) {
            let body = caps.get(1).map_or("", |m| m.as_str()).to_owned();
            parsed.comments.push(Comment { body, span: content, closed: true });
            continue;
        }
        // The copy of a line that ends with a same-line waiver is what comes before it.
        let (line, trimmed) = match SAME_LINE.as_ref().filter(|_| may_direct).and_then(|re| re.captures(line)) {
            Some(caps) => {
                let (Some(whole), Some(body)) = (caps.get(0), caps.get(1)) else { continue };
                let span = Span::new(line_start + whole.start(), line_start + line.len());
                parsed.comments.push(Comment { body: body.as_str().to_owned(), span, closed: true });
                let copy = line.get(..whole.start()).unwrap_or_default().trim_end();
                (copy, copy.trim())
            }
            None => (line, trimmed),
        };
        if trimmed.is_empty() {
            flush(&mut parsed, &mut current);
            continue;
        }
        // A reply in a thread starts a post of its own, at its byline.
        if is_byline(trimmed) {
            flush(&mut parsed, &mut current);
            if parsed.blocks.last().is_some_and(|b| b.post == post && b.kind != BlockKind::PostHeading) {
                close_post(&mut parsed, post, post_start, line_start, post_heading.take());
                post += 1;
                post_start = line_start;
            }
        }
        let is_break = trimmed.len() >= 3 && trimmed.chars().all(|c| c == '-' || c == '*' || c == '=' || c == '_');
        let heading = if current.is_none() && trimmed.chars().count() <= 60 {
            post_heading_platform(trimmed.trim_start_matches('#').trim_end_matches(':'))
        } else {
            None
        };
        if is_break || heading.is_some() {
            flush(&mut parsed, &mut current);
            let has_content = parsed.blocks.last().is_some_and(|b| b.post == post);
            if has_content || post_heading.is_some() {
                close_post(&mut parsed, post, post_start, line_start, post_heading.take());
                post += 1;
            }
            post_start = if is_break { at } else { line_start };
            if let Some(platform) = heading {
                let mut block = Block::new(BlockKind::PostHeading, post, false);
                let offset = line.len() - line.trim_start().len();
                block.push(trimmed, Span::new(line_start + offset, line_start + offset + trimmed.len()), source);
                parsed.push_block(block);
                post_heading = Some((trimmed.to_owned(), platform));
            }
            continue;
        }
        let block = current.get_or_insert_with(|| Block::new(BlockKind::Paragraph, post, false));
        if !block.text.is_empty() {
            block.push_gap(Span::new(line_start.saturating_sub(1), line_start));
        }
        let offset = line.len() - line.trim_start().len();
        block.push(line.trim(), Span::new(line_start + offset, line_start + offset + trimmed.len()), source);
    }
    flush(&mut parsed, &mut current);
    close_post(&mut parsed, post, post_start, text.len(), post_heading);
    set_visible_offsets(&mut parsed.blocks);
    parsed
}

fn flush(parsed: &mut Parsed, current: &mut Option<Block>) {
    if let Some(block) = current.take() {
        parsed.push_block(block);
    }
}

fn close_post(parsed: &mut Parsed, index: usize, start: usize, end: usize, heading: Option<(String, String)>) {
    let (heading, platform) = match heading {
        Some((heading, platform)) => (Some(heading), (!platform.is_empty()).then_some(platform)),
        None => (None, None),
    };
    parsed.posts.push(RawPost { index, span: Span::new(start, end), heading, platform });
}

#[cfg(test)]
mod tests {
    use crate::document::{BlockKind, Document};

    #[test]
    fn each_reply_of_a_thread_is_a_post() {
        let text = "Thread: sponsored posts\n\nu/kestrel · 2y ago\nFull disclosure, I work at an agency.\n    u/moss · 3 hours ago\nnested reply\n@mara — 3 giorni fa\nrisposta\n";
        let d = Document::parse("t.txt", text);
        let posts: Vec<_> = d.blocks.iter().map(|b| b.post).collect();
        assert_eq!(posts, vec![0, 1, 2, 3], "{:?}", d.blocks.iter().map(|b| &b.text).collect::<Vec<_>>());
        // A byline at the top of the file opens no empty post.
        let d = Document::parse("t.txt", "u/kestrel · 2y ago\nfirst\n");
        assert_eq!(d.posts.len(), 1);
    }

    #[test]
    fn paragraphs_posts_and_directives() {
        let text = "Hello there\nsecond line\n\nwomlint-disable-next-line x/y -- fine\nPost 2 - TikTok\ncode GIULIA10\n---\nlast\n";
        let d = Document::parse("a.txt", text);
        let texts: Vec<_> = d.blocks.iter().map(|b| (b.text.as_str(), b.post)).collect();
        assert_eq!(
            texts,
            vec![("Hello there second line", 0), ("Post 2 - TikTok", 1), ("code GIULIA10", 1), ("last", 2)]
        );
        assert_eq!(d.blocks[1].kind, BlockKind::PostHeading);
        assert_eq!(d.posts[1].platform.as_deref(), Some("tiktok"));
        assert_eq!(d.comments.len(), 1);
        let b = &d.blocks[0];
        let at = b.text.find("second").unwrap();
        assert_eq!(&d.text[b.source_span(at, at + 6, &d.text).range()], "second");
    }

    #[test]
    fn same_line_waivers_and_misspelt_directives_are_not_copy() {
        let text = "Use code GLOW20 <!-- womlint-disable-line relationship/x -- own code -->\nSee you # womlint-disable-line\n\
                    womlint: disable opinion\nWomlint_Enable\nwomlint is a linter\n";
        let d = Document::parse("a.txt", text);
        let texts: Vec<_> = d.blocks.iter().map(|b| b.text.as_str()).collect();
        // Directive lines do not split a paragraph.
        assert_eq!(texts, vec!["Use code GLOW20 See you womlint is a linter"]);
        let bodies: Vec<_> = d.comments.iter().map(|c| c.body.as_str()).collect();
        assert_eq!(
            bodies,
            vec![
                "womlint-disable-line relationship/x -- own code",
                "womlint-disable-line",
                "womlint: disable opinion",
                "Womlint_Enable"
            ]
        );
        assert_eq!(&d.text[d.comments[0].span.range()], " <!-- womlint-disable-line relationship/x -- own code -->");
        let b = &d.blocks[0];
        let at = b.text.find("See").unwrap();
        assert_eq!(&d.text[b.source_span(at, at + 3, &d.text).range()], "See");
    }

    #[test]
    fn markdown_syntax_in_text_files_is_text() {
        let d = Document::parse("a.txt", "`#ad` and <!-- x -->");
        assert_eq!(d.blocks[0].text, "`#ad` and <!-- x -->");
    }

    #[test]
    fn bom_and_crlf() {
        let d = Document::parse("a.txt", "\u{feff}Ciao\r\nmondo\r\n");
        assert_eq!(d.blocks[0].text, "Ciao mondo");
        assert_eq!(d.blocks[0].span().start, 3);
    }
}
