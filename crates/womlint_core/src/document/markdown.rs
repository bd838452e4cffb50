//! Markdown to prose blocks, through pulldown-cmark with byte offsets.

use std::sync::Arc;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{Block, BlockKind, Breaks, Comment, Link, Parsed, RawPost, is_byline, names_author, post_heading_platform};
use crate::span::Span;

/// A body of more than twice this many bytes is parsed a piece at a time (see [`parse_in_pieces`]).
const PIECE: usize = 1024 * 1024;

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS);

/// Parses the Markdown body of `text` starting at `body_start` (after the front matter);
/// `breaks` says what a thematic break is in it.
pub(super) fn parse(source: &Arc<str>, body_start: usize, breaks: Breaks) -> Parsed {
    parse_in_pieces(source, body_start, PIECE, breaks)
}

/// Parses the body a piece of about `piece` bytes at a time, with the same result as parsing it
/// whole. pulldown-cmark builds a tree of every block and inline item of what it parses,
/// about three times the size of the text: a 100 MB export took 300 MB for it alone.
///
/// A piece ends before a heading or a thematic break at the start of a line after a blank
/// line ([`piece_ends`]), where every block but a fenced code block or an HTML block (a
/// comment, `<pre>`, …) is closed. A piece where one of those two runs into its end is not
/// taken: from there on, the rest is parsed whole. A body with a link reference or footnote
/// definition, which any part of the document may use, is parsed whole.
fn parse_in_pieces(source: &Arc<str>, body_start: usize, piece: usize, breaks: Breaks) -> Parsed {
    let text: &str = source;
    let mut builder = Builder::new(source, body_start, breaks);
    let mut at = body_start;
    let mut events: Vec<(Event<'_>, Span)> = Vec::new();
    for end in piece_ends(text, body_start, piece) {
        let Some(part) = text.get(at..end) else { break };
        events.clear();
        events.extend(Parser::new_ext(part, OPTIONS).into_offset_iter().map(|(event, range)| {
            let span = Span::new(range.start + at, range.end + at);
            (event, span)
        }));
        let blank_from = at + part.trim_end().len();
        let open_at_end = events.iter().any(|(event, span)| {
            matches!(event, Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock)) && span.end > blank_from + 1
        });
        if open_at_end {
            break;
        }
        for (event, span) in events.drain(..) {
            builder.event(event, span);
        }
        at = end;
    }
    let rest = text.get(at..).unwrap_or_default();
    for (event, range) in Parser::new_ext(rest, OPTIONS).into_offset_iter() {
        builder.event(event, Span::new(range.start + at, range.end + at));
    }
    builder.finish()
}

/// Where the pieces of a body end: at the start of the first line, after `piece` bytes or more
/// since the last end, that is a heading (`#` to `######` and a space) or a thematic break
/// (`---`, `***`, `___`) at the first column, after a blank line. None when the body is under
/// two pieces, or has a line that may define a link reference or a footnote (`[x]:`).
fn piece_ends(text: &str, body_start: usize, piece: usize) -> Vec<usize> {
    let body = text.get(body_start..).unwrap_or_default();
    if body.len() <= piece.saturating_mul(2) {
        return Vec::new();
    }
    let mut ends = Vec::new();
    let (mut last, mut blank_before, mut at) = (body_start, false, body_start);
    for line in body.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let indented = content.len() - content.trim_start_matches(' ').len();
        if indented <= 3 && content.trim_start_matches(' ').starts_with('[') && content.contains("]:") {
            return Vec::new();
        }
        if blank_before && at - last >= piece && at < text.len() && starts_a_section(content) {
            ends.push(at);
            last = at;
        }
        blank_before = content.trim().is_empty();
        at += line.len();
    }
    ends
}

/// Whether a line, at the first column, is an ATX heading or a thematic break of one character.
fn starts_a_section(line: &str) -> bool {
    let hashes = line.len() - line.trim_start_matches('#').len();
    if (1..=6).contains(&hashes) {
        return line.get(hashes..).is_none_or(|rest| rest.is_empty() || rest.starts_with([' ', '\t']));
    }
    let line = line.trim_end();
    line.len() >= 3 && ['-', '*', '_'].iter().any(|&c| line.chars().all(|x| x == c))
}

struct Builder<'a> {
    /// The document's text, shared with the blocks that are one piece of it.
    source: &'a Arc<str>,
    parsed: Parsed,
    current: Option<Block>,
    post: usize,
    post_start: usize,
    post_heading: Option<(String, String)>,
    quote_depth: usize,
    code_depth: usize,
    heading: Option<u8>,
    image: Option<Link>,
    html: Vec<Span>,
    breaks: Breaks,
    /// Whether a post heading has been seen: a document of post headings is a set of posts.
    post_headings: bool,
    /// Inside an HTML block, whose text between the tags is prose a reader sees.
    html_block: bool,
    /// Inside an HTML block, what ends the part a reader does not see (a comment, a script).
    html_skip: Option<&'static str>,
}

impl<'a> Builder<'a> {
    fn new(source: &'a Arc<str>, body_start: usize, breaks: Breaks) -> Self {
        Builder {
            source,
            parsed: Parsed::new(source),
            current: None,
            post: 0,
            post_start: body_start,
            post_heading: None,
            quote_depth: 0,
            code_depth: 0,
            heading: None,
            image: None,
            html: Vec::new(),
            breaks,
            post_headings: false,
            html_block: false,
            html_skip: None,
        }
    }

    fn event(&mut self, event: Event<'_>, span: Span) {
        match event {
            Event::Start(tag) => self.start(tag, span),
            Event::End(tag) => self.end(tag, span),
            Event::Text(text) => {
                if self.code_depth > 0 {
                } else if let Some(image) = self.image.as_mut() {
                    image.alt.push_str(&text);
                } else {
                    let source = self.source;
                    self.block().push(&text, span, source);
                }
            }
            Event::Code(_) | Event::SoftBreak | Event::HardBreak | Event::FootnoteReference(_) => {
                if self.image.is_none() && self.code_depth == 0 {
                    self.block().push_gap(span);
                }
            }
            Event::Html(html) if self.html_block => {
                self.html.push(span);
                if self.code_depth == 0 {
                    self.html_text(&html, span.start);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                self.html.push(span);
                if let Some(block) = self.current.as_mut() {
                    block.push_gap(span);
                }
            }
            Event::Rule => {
                self.flush();
                // On a page (a titled document that is no set of social posts), a break
                // divides sections of one text: a claim above it and its small print below
                // are read together. A break before a reply's byline still ends a post.
                let page = match self.breaks {
                    Breaks::SplitPosts => false,
                    Breaks::UntilTitled { titled } => {
                        (titled || self.parsed.title.is_some())
                            && !self.post_headings
                            && !names_author(next_line(self.source, span.end))
                    }
                };
                if !page {
                    self.new_post(span.start, span.end, None);
                }
            }
            Event::InlineMath(_) | Event::DisplayMath(_) | Event::TaskListMarker(_) => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>, span: Span) {
        match tag {
            Tag::Paragraph | Tag::Item | Tag::FootnoteDefinition(_) | Tag::TableHead | Tag::TableRow => self.flush(),
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(heading_level(level));
            }
            Tag::TableCell => {
                self.flush();
                self.current = Some(Block::new(BlockKind::TableCell, self.post, self.quote_depth > 0));
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote_depth += 1;
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.code_depth += 1;
            }
            Tag::HtmlBlock => {
                self.flush();
                self.html_block = true;
            }
            Tag::Link { dest_url, .. } => self.parsed.links.push(Link {
                destination: dest_url.into_string(),
                span,
                alt: String::new(),
                is_image: false,
                post: self.post,
            }),
            Tag::Image { dest_url, .. } => {
                self.image = Some(Link {
                    destination: dest_url.into_string(),
                    span,
                    alt: String::new(),
                    is_image: true,
                    post: self.post,
                });
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, span: Span) {
        match tag {
            TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::FootnoteDefinition => self.flush(),
            TagEnd::Heading(_) => self.end_heading(span),
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            TagEnd::CodeBlock => self.code_depth = self.code_depth.saturating_sub(1),
            TagEnd::HtmlBlock => {
                self.flush();
                self.html_block = false;
                self.html_skip = None;
            }
            TagEnd::Image => {
                if let Some(image) = self.image.take() {
                    self.parsed.links.push(image);
                }
            }
            _ => {}
        }
    }

    fn end_heading(&mut self, span: Span) {
        let level = self.heading.take().unwrap_or(1);
        let Some(mut block) = self.current.take() else {
            return;
        };
        block.kind = BlockKind::Heading(level);
        let heading = block.text.trim().to_owned();
        if level == 1 && self.parsed.title.is_none() {
            self.parsed.title = Some(heading.clone());
        }
        if let Some(platform) = post_heading_platform(&heading) {
            self.post_headings = true;
            self.new_post(span.start, span.start, Some((heading, platform)));
            block.kind = BlockKind::PostHeading;
            block.post = self.post;
        }
        self.parsed.push_block(block);
    }

    /// The text of one line of an HTML block (at `at` in the source) between its tags, as
    /// prose: a `<div>` or `<small>` disclosure is read like a paragraph. Comments, scripts,
    /// styles and preformatted text are left out; a tag that starts a block of its own (`<p>`,
    /// `<div>`, `<br>`, `<li>`…) ends the paragraph before it.
    fn html_text(&mut self, html: &str, at: usize) {
        let mut i = 0;
        while i < html.len() {
            let rest = html.get(i..).unwrap_or_default();
            if let Some(end) = self.html_skip {
                match find_ascii_caseless(rest, end) {
                    Some(found) => {
                        i += found + end.len();
                        self.html_skip = None;
                        continue;
                    }
                    None => return,
                }
            }
            if rest.starts_with("<!--") {
                self.html_skip = Some("-->");
                i += 4;
                continue;
            }
            if rest.starts_with('<') {
                let Some(close) = rest.find('>') else {
                    // A tag that runs on to the next line.
                    self.html_skip = Some(">");
                    return;
                };
                let tag = rest.get(1..close).unwrap_or_default();
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                if !tag.starts_with('/') {
                    self.html_skip = match name.as_str() {
                        "script" => Some("</script>"),
                        "style" => Some("</style>"),
                        "pre" => Some("</pre>"),
                        "textarea" => Some("</textarea>"),
                        _ => None,
                    };
                }
                if BLOCK_TAGS.contains(&name.as_str()) {
                    self.flush();
                } else if let Some(block) = self.current.as_mut() {
                    block.push_gap(Span::new(at + i, at + i + close + 1));
                }
                i += close + 1;
                continue;
            }
            let next = rest.find('<').unwrap_or(rest.len());
            let segment = rest.get(..next).unwrap_or_default();
            let text = segment.trim();
            if !text.is_empty() {
                let start = at + i + (segment.len() - segment.trim_start().len());
                let span = Span::new(start, start + text.len());
                let source = self.source;
                let block = self.block();
                block.push_gap(span);
                block.push(text, span, source);
            }
            i += next;
        }
    }

    /// Ends the current post at `end` and starts the next at `start`.
    fn new_post(&mut self, end: usize, start: usize, heading: Option<(String, String)>) {
        // Blocks come in post order: only the last can belong to the current post.
        let has_content = self.parsed.blocks.last().is_some_and(|b| b.post == self.post);
        if has_content || self.post_heading.is_some() {
            self.close_post(end);
            self.post += 1;
        }
        self.post_start = start;
        self.post_heading = heading;
    }

    fn close_post(&mut self, end: usize) {
        let (heading, platform) = match self.post_heading.take() {
            Some((heading, platform)) => (Some(heading), (!platform.is_empty()).then_some(platform)),
            None => (None, None),
        };
        self.parsed.posts.push(RawPost { index: self.post, span: Span::new(self.post_start, end), heading, platform });
    }

    fn block(&mut self) -> &mut Block {
        let kind = match self.heading {
            Some(level) => BlockKind::Heading(level),
            None => BlockKind::Paragraph,
        };
        let (post, quoted) = (self.post, self.quote_depth > 0);
        self.current.get_or_insert_with(|| Block::new(kind, post, quoted))
    }

    fn flush(&mut self) {
        if let Some(mut block) = self.current.take()
            && !block.text.trim().is_empty()
        {
            // A reply in a thread starts a post of its own, at its byline.
            let start = block.span().start;
            let has_content =
                self.parsed.blocks.last().is_some_and(|b| b.post == self.post && b.kind != BlockKind::PostHeading);
            let opens_reply =
                || is_byline(self.source.get(start..).and_then(|rest| rest.lines().next()).unwrap_or_default());
            if block.kind == BlockKind::Paragraph && block.post == self.post && has_content && opens_reply() {
                self.new_post(start, start, None);
                block.post = self.post;
                for link in self.parsed.links.iter_mut().filter(|link| link.span.start >= start) {
                    link.post = self.post;
                }
            }
            self.parsed.push_block(block);
        }
    }

    fn finish(mut self) -> Parsed {
        self.flush();
        let end = self.source.len();
        self.close_post(end);
        self.parsed.comments = html_comments(self.source, &self.html);
        set_visible_offsets(&mut self.parsed.blocks);
        self.parsed
    }
}

/// HTML elements that start a block of their own: their text is a paragraph apart.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "tr",
    "td",
    "th",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "blockquote",
    "details",
    "summary",
    "figure",
    "figcaption",
    "hr",
    "dd",
    "dt",
    "main",
    "nav",
    "center",
];

/// Where `needle` (ASCII, lowercase) first occurs in `haystack`, whatever the case of its
/// letters there.
fn find_ascii_caseless(haystack: &str, needle: &str) -> Option<usize> {
    let (haystack, needle) = (haystack.as_bytes(), needle.as_bytes());
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .find(|&at| haystack.get(at..at + needle.len()).is_some_and(|window| window.eq_ignore_ascii_case(needle)))
}

/// The first line after `at` that holds more than white space (empty at the end).
fn next_line(text: &str, at: usize) -> &str {
    text.get(at..).unwrap_or_default().lines().map(str::trim).find(|line| !line.is_empty()).unwrap_or_default()
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The `<!-- … -->` comments inside the HTML the parser reported (adjacent pieces joined, since
/// a multi-line comment arrives as one event per line).
fn html_comments(text: &str, html: &[Span]) -> Vec<Comment> {
    let mut merged: Vec<Span> = Vec::new();
    for &span in html {
        match merged.last_mut() {
            Some(last) if text.get(last.end..span.start).is_some_and(|gap| gap.trim().is_empty()) => {
                *last = last.cover(span);
            }
            _ => merged.push(span),
        }
    }
    let mut comments = Vec::new();
    for region in merged {
        let Some(html) = text.get(region.range()) else { continue };
        let mut at = 0;
        while let Some(open) = html.get(at..).and_then(|rest| rest.find("<!--")) {
            let body_start = at + open + 4;
            let Some(close) = html.get(body_start..).and_then(|rest| rest.find("-->")) else {
                let line = html.get(body_start..).and_then(|rest| rest.lines().next()).unwrap_or_default();
                comments.push(Comment {
                    body: line.to_owned(),
                    span: Span::new(region.start + at + open, region.start + body_start + line.len()),
                    closed: false,
                });
                break;
            };
            let body_end = body_start + close;
            comments.push(Comment {
                body: html.get(body_start..body_end).unwrap_or_default().to_owned(),
                span: Span::new(region.start + at + open, region.start + body_end + 3),
                closed: true,
            });
            at = body_end + 3;
        }
    }
    comments
}

/// Counts, for each block, the visible characters of its post that come before it.
pub(super) fn set_visible_offsets(blocks: &mut [Block]) {
    let mut post = usize::MAX;
    let mut seen = 0;
    for block in blocks {
        if block.post != post {
            post = block.post;
            seen = 0;
        }
        block.visible_offset = seen;
        if block.kind != BlockKind::PostHeading {
            seen += block.text.chars().count() + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::document::{BlockKind, Document};

    fn doc(text: &str) -> Document {
        Document::parse("t.md", text)
    }

    fn texts(doc: &Document) -> Vec<&str> {
        doc.blocks.iter().map(|b| b.text.as_str()).collect()
    }

    #[test]
    fn code_comments_and_front_matter_are_not_prose() {
        let d = doc("---\nsponsored: true\n---\nUse `#ad` here\n\n```\n#ad gifted\n```\n\n<!-- add #ad -->\nEnd");
        assert_eq!(texts(&d), vec!["Use  here", "End"]);
        assert_eq!(d.comments.len(), 1);
        assert_eq!(d.comments[0].body.trim(), "add #ad");
        assert_eq!(&d.text[d.comments[0].span.range()], "<!-- add #ad -->");
    }

    #[test]
    fn an_unclosed_comment_hides_the_rest_and_says_so() {
        let d = doc("Intro\n\n<!-- womlint-disable-next-line x -- reason\n@glowco sent me this.\n\nMore.\n");
        assert_eq!(texts(&d), vec!["Intro"]);
        assert_eq!(d.comments.len(), 1);
        assert!(!d.comments[0].closed);
        assert_eq!(d.comments[0].body, " womlint-disable-next-line x -- reason");
        assert!(d.text[d.comments[0].span.range()].starts_with("<!-- womlint"));
    }

    #[test]
    fn soft_breaks_become_spaces_and_map_back() {
        let d = doc("in *collaborazione*\ncon @brand");
        let block = &d.blocks[0];
        assert_eq!(block.text, "in collaborazione con @brand");
        let at = block.text.find("collaborazione con").unwrap();
        let span = block.source_span(at, at + "collaborazione con".len(), &d.text);
        assert_eq!(&d.text[span.range()], "collaborazione*\ncon");
    }

    #[test]
    fn entities_and_escapes() {
        let d = doc("R&amp;D \\#ad");
        let block = &d.blocks[0];
        assert_eq!(block.text, "R&D #ad");
        let at = block.text.find("#ad").unwrap();
        assert_eq!(&d.text[block.source_span(at, at + 3, &d.text).range()], "#ad");
    }

    #[test]
    fn links_and_images() {
        let d = doc("See [the tent](https://amzn.to/x?tag=me-21) ![a gifted tent](t.png)");
        assert_eq!(d.blocks[0].text, "See the tent ");
        assert_eq!(d.links.len(), 2);
        assert_eq!(d.links[0].destination, "https://amzn.to/x?tag=me-21");
        assert!(d.links[1].is_image);
        assert_eq!(d.links[1].alt, "a gifted tent");
    }

    #[test]
    fn each_reply_of_a_thread_is_a_post() {
        let d = doc(
            "**Forum › Skincare**\n\n**lalla_84** · 12/07/2024, 21:14\nFirst reply\n\n**Giorgio_Rm** · 12/07/2024, 21:40\nSecond reply with a [link](https://x.example)\n",
        );
        assert_eq!(d.posts.len(), 3, "{:?}", d.posts);
        let second = d.blocks.iter().find(|b| b.text.contains("Second reply")).unwrap();
        assert_eq!(second.post, 2);
        assert!(d.links.iter().all(|l| l.post == 2));
        // A review line with a badge between the name and the date opens no post.
        let reviews = doc("Reviews\n\n**Sophie T.** · ✅ Verified Buyer · 2 weeks ago\nLovely.\n");
        assert_eq!(reviews.posts.len(), 1);
    }

    #[test]
    fn posts_split_at_post_headings_and_rules() {
        let d = doc("# Plan\n\n## Post 1 — Instagram\n\n#ad one\n\n## Post 2 — TikTok\n\ntwo\n\n---\n\nthree\n");
        assert_eq!(d.posts.len(), 4);
        assert_eq!(d.posts[1].platform.as_deref(), Some("instagram"));
        assert_eq!(d.posts[2].platform.as_deref(), Some("tiktok"));
        let two = d.blocks.iter().find(|b| b.text == "two").unwrap();
        assert_eq!(two.post, 2);
        let three = d.blocks.iter().find(|b| b.text == "three").unwrap();
        assert_eq!(three.post, 3);
        assert!(d.blocks.iter().any(|b| b.kind == BlockKind::PostHeading && b.post == 2));
        assert_eq!(d.title.as_deref(), Some("Plan"));
    }

    #[test]
    fn the_text_of_an_html_block_is_prose() {
        let text = "<div class=\"note\">\n<p>#ad: affiliate <b>links</b> here.</p><p>Second</p>\n<!-- use my code X -->\n<script>\nvar code = \"TRAIL10\";\n</script>\n<PRE>\nraw\n</pre>\n</div>\n";
        let d = doc(text);
        assert_eq!(texts(&d), ["#ad: affiliate links here.", "Second"]);
        for block in &d.blocks {
            for piece in &block.pieces {
                if piece.verbatim {
                    let copied = block.text.get(piece.text_start..piece.text_start + piece.source.len());
                    assert_eq!(copied, text.get(piece.source.range()), "{piece:?}");
                }
            }
        }
        let first = &d.blocks[0];
        let start = first.source_span(0, 3, &d.text);
        assert_eq!(&text[start.range()], "#ad");
        assert_eq!(d.comments.len(), 1);
    }

    #[test]
    fn a_break_divides_a_page_but_splits_posts() {
        let post_of = |d: &Document, text: &str| d.blocks.iter().find(|b| b.text == text).map(|b| b.post);
        // A titled page: the small print below the break belongs to the text above it.
        let page = doc("# Best cards of 2026\n\nWe are 100% independent.\n\n---\n\nSmall print: issuers pay us.\n");
        assert_eq!(page.posts.len(), 1, "{:?}", page.posts);
        assert_eq!(post_of(&page, "Small print: issuers pay us."), Some(0));
        let titled = doc("---\ntitle: Offers\n---\nOne\n\n---\n\nTwo\n");
        assert_eq!(titled.posts.len(), 1, "{:?}", titled.posts);
        // Before the title, and where nothing gives one, a break starts the next post.
        let untitled = doc("First caption #ad\n\n---\n\nSecond caption\n");
        assert_eq!(post_of(&untitled, "Second caption"), Some(1));
        let late = doc("Intro\n\n---\n\n# Title\n\nText\n\n---\n\nMore\n");
        assert_eq!(late.posts.len(), 2, "{:?}", late.posts);
        // Captions for a social platform stay apart, titled or not.
        let social = doc("---\nplatform: instagram\n---\n# Launch week\n\nOne\n\n---\n\nTwo\n");
        assert_eq!(post_of(&social, "Two"), Some(1));
        // A thread's reply after a break is a post of its own.
        let thread = doc(
            "# Green coffee myths\n\n**Fede_82** · Member\n\nLost 35 kg.\n\n---\n\n**Marghe_run** · Member\n\nCapsules, 39,90 a box.\n",
        );
        assert_eq!(post_of(&thread, "Capsules, 39,90 a box."), Some(1));
    }

    #[test]
    fn article_headings_do_not_split() {
        let d = doc("# Guide\n\nIntro\n\n## What works\n\nText\n\n## What does not\n\nMore");
        assert_eq!(d.posts.len(), 1);
    }

    #[test]
    fn tight_lists_quotes_and_tables() {
        let d = doc("- one\n- two\n\n> quoted\n\n| a | b |\n|---|---|\n| c | d |\n");
        assert_eq!(texts(&d), vec!["one", "two", "quoted", "a", "b", "c", "d"]);
        assert!(d.blocks[2].quoted);
        assert_eq!(d.blocks[3].kind, BlockKind::TableCell);
    }

    #[test]
    fn visible_offsets_count_characters() {
        let d = doc("città\n\n#ad");
        assert_eq!(d.blocks[1].visible_offset, 6);
    }

    /// What a parse gives, to compare: blocks, links, comments and posts.
    fn outline(parsed: &super::Parsed) -> String {
        let posts: Vec<_> = parsed.posts.iter().map(|p| (p.index, p.span, &p.heading, &p.platform)).collect();
        format!("{:?}\n{:?}\n{:?}\n{posts:?}\n{:?}", parsed.blocks, parsed.links, parsed.comments, parsed.title)
    }

    #[test]
    fn pieces_parse_as_the_whole() {
        let sections = [
            "# Post 1 — Instagram\n\n@glowco sent me this *serum*. [Shop](https://amzn.to/x)\n",
            "---\n\n- one\n- two\n\n  still two\n",
            "## Code\n\n```\n#ad not prose\n\n# not a heading\n\n```\n",
            "## Open fence\n\n~~~\ncode\n\n# inside the fence\n\nstill code\n",
            "<!-- a comment\n\n# inside the comment\n\n-->\nafter\n",
            "> quoted\n\n# after the quote\n\n| a | b |\n|---|---|\n| c | d |\n",
            "Setext\n---\n\ntext\n\n***\n\n<div>\nhtml\n</div>\n",
        ];
        for skip in 0..sections.len() {
            let text: String = sections.iter().cycle().skip(skip).take(40).map(|s| format!("{s}\n")).collect();
            let source: std::sync::Arc<str> = std::sync::Arc::from(text.as_str());
            let whole =
                outline(&super::parse_in_pieces(&source, 0, usize::MAX, super::Breaks::UntilTitled { titled: false }));
            for piece in [1, 7, 64, 300] {
                assert!(super::piece_ends(&source, 0, piece).len() > 1 || piece == 300, "{piece}");
                assert_eq!(
                    outline(&super::parse_in_pieces(&source, 0, piece, super::Breaks::UntilTitled { titled: false })),
                    whole,
                    "pieces of {piece} bytes"
                );
            }
        }
        // A reference definition anywhere: parsed whole.
        let text = format!("{}\n[x]: https://amzn.to/x\n", "# h\n\n[see][x]\n\n".repeat(50));
        assert!(super::piece_ends(&text, 0, 8).is_empty());
    }

    #[test]
    fn crlf_and_bom() {
        let d = doc("\u{feff}---\r\nplatform: tiktok\r\n---\r\nLine one\r\nline two\r\n");
        assert_eq!(d.front_matter.as_ref().and_then(|f| f.get_str("platform")), Some("tiktok"));
        assert_eq!(d.blocks[0].text, "Line one line two");
        let span = d.blocks[0].span();
        assert!(d.text.is_char_boundary(span.start));
    }
}
