//! The document model: one input file as womlint sees it.
//!
//! A [`Document`] keeps the original text untouched and describes it: the front matter, the
//! prose blocks (paragraphs, headings, list items, table cells) each with a map back to the
//! source bytes, the link destinations, the HTML comments, and the posts the draft is split
//! into. Rules only ever look at this model, never at Markdown events.

mod front_matter;
mod markdown;
mod plain;
mod prose;

use std::sync::{Arc, LazyLock, OnceLock};

use serde_json::Value;

pub use front_matter::FrontMatter;
pub use prose::{Block, BlockKind, BlockText, Piece};

use crate::span::{LineIndex, Span};

/// Extensions of the files womlint checks (a folder walk picks them up).
pub const EXTENSIONS: [&str; 4] = ["md", "markdown", "txt", "text"];

/// How a file is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    Markdown,
    PlainText,
}

impl DocumentKind {
    /// The kind for a path: `.txt` and `.text` are plain text, everything else Markdown.
    pub fn from_path(path: &str) -> Self {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".txt") || lower.ends_with(".text") {
            DocumentKind::PlainText
        } else {
            DocumentKind::Markdown
        }
    }
}

/// A language messages can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Lang {
    #[default]
    En,
    It,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" | "english" | "en-us" | "en-gb" | "en_us" | "en_gb" => Some(Lang::En),
            "it" | "italian" | "italiano" | "it-it" | "it_it" => Some(Lang::It),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::It => "it",
        }
    }
}

/// What a link or image points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// The destination exactly as written (`https://amzn.to/x`).
    pub destination: String,
    /// The whole link or image in the source (`[text](url)`).
    pub span: Span,
    /// Image alt text (empty for links).
    pub alt: String,
    pub is_image: bool,
    pub post: usize,
}

impl Link {
    /// The text pattern lists are run over: an image's alt text, a link's destination.
    pub fn searched_text(&self) -> &str {
        if self.is_image { &self.alt } else { &self.destination }
    }
}

/// An HTML comment (Markdown) or a directive line (plain text), where waivers live.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// The text inside `<!--` and `-->`, or the whole directive line; for a comment that is
    /// never closed, the rest of its first line.
    pub body: String,
    pub span: Span,
    /// False for a Markdown comment with no `-->`: the rest of the file is HTML to the parser,
    /// and `body` and `span` end with the comment's first line.
    pub closed: bool,
}

/// One piece a reader sees at once: a caption, a section of a newsletter, a script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Post {
    pub index: usize,
    /// From the first byte after the splitting heading or break to the next one.
    pub span: Span,
    /// The heading that started this post (`Post 2 — TikTok`), if any.
    pub heading: Option<String>,
    /// The platform the heading names (`tiktok`), if any.
    pub platform: Option<String>,
    /// The language of the post's prose (by its words), falling back to the document's.
    pub lang: Lang,
}

/// A parsed input file.
#[derive(Clone, Debug)]
pub struct Document {
    pub path: String,
    pub text: Arc<str>,
    pub kind: DocumentKind,
    pub front_matter: Option<FrontMatter>,
    pub blocks: Vec<Block>,
    pub links: Vec<Link>,
    pub comments: Vec<Comment>,
    pub posts: Vec<Post>,
    /// The document title: front matter `title`, else the first level-1 heading.
    pub title: Option<String>,
    pub lang: Lang,
    /// Where each line starts: indexed when first asked for (see [`Document::lines`]).
    lines: OnceLock<LineIndex>,
}

/// Front-matter values a document gets when its own front matter does not set them (from
/// configuration: "files under `it/` are Italian"). The file's own front matter always wins.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Defaults {
    pub lang: Option<Lang>,
    /// A platform name as `platform:` spells it (`instagram`).
    pub platform: Option<String>,
}

impl Defaults {
    pub fn is_empty(&self) -> bool {
        self.lang.is_none() && self.platform.is_none()
    }

    /// Adds the missing keys to `front_matter`, or makes a front matter of them (an empty span
    /// at `at`, no key lines) when the file has none.
    fn fill(&self, front_matter: Option<FrontMatter>, at: usize) -> Option<FrontMatter> {
        if self.is_empty() {
            return front_matter;
        }
        let mut fm = front_matter.unwrap_or_else(|| FrontMatter {
            span: Span::new(at, at),
            values: Default::default(),
            key_spans: Default::default(),
            error: None,
            error_span: None,
        });
        if let Some(lang) = self.lang {
            fm.values.entry("lang".to_owned()).or_insert_with(|| Value::String(lang.code().to_owned()));
        }
        if let Some(platform) = &self.platform {
            fm.values.entry("platform".to_owned()).or_insert_with(|| Value::String(platform.clone()));
        }
        Some(fm)
    }
}

impl Document {
    /// Where each line of the text starts: indexed on first need (most documents of a run
    /// have no finding to place).
    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// Parses `text` as the kind its path says.
    pub fn parse(path: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        Self::parse_with(path, text, &Defaults::default())
    }

    /// Parses `text` as the kind its path says, with `defaults` for missing front-matter keys.
    pub fn parse_with(path: impl Into<String>, text: impl Into<Arc<str>>, defaults: &Defaults) -> Self {
        let path = path.into();
        let kind = DocumentKind::from_path(&path);
        Self::parse_full(path, text, kind, defaults)
    }

    pub fn parse_as(path: impl Into<String>, text: impl Into<Arc<str>>, kind: DocumentKind) -> Self {
        Self::parse_full(path, text, kind, &Defaults::default())
    }

    /// Parses `text` as `kind`, with `defaults` for missing front-matter keys.
    pub fn parse_full(
        path: impl Into<String>,
        text: impl Into<Arc<str>>,
        kind: DocumentKind,
        defaults: &Defaults,
    ) -> Self {
        let path: String = path.into();
        let text: Arc<str> = text.into();
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let (front_matter, body_start) = match kind {
            DocumentKind::Markdown => match FrontMatter::split(&text, bom) {
                Some((fm, end)) => (Some(fm), end),
                None => (None, bom),
            },
            DocumentKind::PlainText => (None, bom),
        };
        let front_matter = defaults.fill(front_matter, bom);
        let mut parsed = match kind {
            DocumentKind::Markdown => markdown::parse(&text, body_start, Breaks::of(front_matter.as_ref())),
            DocumentKind::PlainText => plain::parse(&text, body_start),
        };
        parsed.blocks.shrink_to_fit();
        let fm_lang = front_matter.as_ref().and_then(|fm| fm.get_str("lang")).and_then(Lang::parse);
        // Each post's words are counted once; the document's are their sum (every block is in
        // a post).
        let votes: Vec<LangVotes> = match fm_lang {
            Some(_) => Vec::new(),
            None => parsed
                .posts
                .iter()
                .map(|raw| {
                    let range = post_range(&parsed.blocks, raw.index).unwrap_or(0..0);
                    LangVotes::count(parsed.blocks.get(range).unwrap_or_default().iter().map(|b| b.text.as_str()))
                })
                .collect(),
        };
        let total = votes.iter().fold(LangVotes::default(), |sum, v| sum.add(*v));
        let lang = fm_lang.unwrap_or_else(|| total.decide(Lang::En));
        let posts = parsed
            .posts
            .into_iter()
            .enumerate()
            .map(|(i, raw)| {
                let post_lang = votes.get(i).map_or(lang, |v| v.decide(lang));
                Post {
                    lang: fm_lang.unwrap_or(post_lang),
                    index: raw.index,
                    span: raw.span,
                    heading: raw.heading,
                    platform: raw.platform,
                }
            })
            .collect();
        let title = front_matter.as_ref().and_then(|fm| fm.get_str("title").map(str::to_owned)).or(parsed.title);
        Document {
            lines: OnceLock::new(),
            path,
            text,
            kind,
            front_matter,
            blocks: parsed.blocks,
            links: parsed.links,
            comments: parsed.comments,
            posts,
            title,
            lang,
        }
    }

    /// The blocks of one post, in order.
    pub fn post_blocks(&self, post: usize) -> &[Block] {
        self.blocks.get(self.post_block_range(post)).unwrap_or_default()
    }

    /// The indices of the blocks of one post (blocks come in post order).
    pub fn post_block_range(&self, post: usize) -> std::ops::Range<usize> {
        post_range(&self.blocks, post).unwrap_or(0..0)
    }

    /// The post with index `post`.
    pub fn post(&self, post: usize) -> Option<&Post> {
        self.post_position(post).and_then(|i| self.posts.get(i))
    }

    /// Where the post with index `post` is in [`Document::posts`] (posts come in index order).
    pub fn post_position(&self, post: usize) -> Option<usize> {
        self.posts.binary_search_by_key(&post, |p| p.index).ok()
    }

    /// The platform of a post: named by its heading, else the front matter's `platform`.
    pub fn platform_of(&self, post: &Post) -> Option<String> {
        post.platform.clone().or_else(|| declared_platform(self.front_matter.as_ref()))
    }
}

/// The range of `blocks` that belongs to `post`; blocks are in post order, as the parsers
/// emit them.
fn post_range(blocks: &[Block], post: usize) -> Option<std::ops::Range<usize>> {
    let start = blocks.partition_point(|b| b.post < post);
    let end = blocks.partition_point(|b| b.post <= post);
    (start < end).then_some(start..end)
}

/// What the format parsers hand back before languages are decided.
struct Parsed {
    /// The document's text, which finished blocks may share.
    source: Arc<str>,
    blocks: Vec<Block>,
    links: Vec<Link>,
    comments: Vec<Comment>,
    posts: Vec<RawPost>,
    title: Option<String>,
}

impl Parsed {
    fn new(source: &Arc<str>) -> Self {
        Parsed {
            source: Arc::clone(source),
            blocks: Vec::new(),
            links: Vec::new(),
            comments: Vec::new(),
            posts: Vec::new(),
            title: None,
        }
    }

    /// Keeps a finished block, without spare room (see [`Block::finish`]): a big file holds
    /// tens of thousands of blocks, most of one piece, and the room a growing vector leaves
    /// would otherwise triple what the pieces take.
    fn push_block(&mut self, mut block: Block) {
        block.finish(&self.source);
        // Grown by a quarter at a time, not doubled: a big export holds millions of blocks,
        // and a doubled vector would hold up to as much room again.
        if self.blocks.len() == self.blocks.capacity() {
            self.blocks.reserve_exact((self.blocks.len() / 4).max(64));
        }
        self.blocks.push(block);
    }
}

/// What a thematic break (`---`) is in a Markdown document: the start of the next post, or a
/// divider between sections of one page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Breaks {
    /// The front matter names a social platform: the document is a set of posts (captions,
    /// a thread), and each break starts the next.
    SplitPosts,
    /// A break starts the next post until the document has a title (`titled`: the front
    /// matter's `title`, else its first level-1 heading): from there on it reads as a page (an
    /// article, a landing page, a newsletter), and a break divides its sections, unless the
    /// line after it names an author (a reply in a thread).
    UntilTitled { titled: bool },
}

impl Breaks {
    fn of(front_matter: Option<&FrontMatter>) -> Breaks {
        if declared_platform(front_matter).is_some_and(|p| SOCIAL_PLATFORMS.contains(&p.as_str())) {
            return Breaks::SplitPosts;
        }
        Breaks::UntilTitled { titled: front_matter.is_some_and(|fm| fm.get_str("title").is_some()) }
    }
}

/// The front matter's `platform:`, trimmed and lowercased.
fn declared_platform(front_matter: Option<&FrontMatter>) -> Option<String> {
    front_matter.and_then(|fm| fm.get_str("platform")).map(|p| p.trim().to_lowercase())
}

/// The `platform:` values of social networks and messengers, where a document is a set of
/// posts whatever its headings.
const SOCIAL_PLATFORMS: &[&str] = &[
    "instagram",
    "tiktok",
    "youtube",
    "facebook",
    "linkedin",
    "x",
    "twitter",
    "threads",
    "pinterest",
    "snapchat",
    "twitch",
    "telegram",
    "whatsapp",
];

struct RawPost {
    index: usize,
    span: Span,
    heading: Option<String>,
    platform: Option<String>,
}

/// Platforms a post heading can name, with the spelling used in `platform:`.
const PLATFORMS: &[(&str, &str)] = &[
    ("instagram", "instagram"),
    ("ig", "instagram"),
    ("tiktok", "tiktok"),
    ("tik tok", "tiktok"),
    ("youtube", "youtube"),
    ("yt", "youtube"),
    ("facebook", "facebook"),
    ("fb", "facebook"),
    ("linkedin", "linkedin"),
    ("twitter", "x"),
    ("x", "x"),
    ("threads", "threads"),
    ("pinterest", "pinterest"),
    ("snapchat", "snapchat"),
    ("twitch", "twitch"),
    ("newsletter", "newsletter"),
    ("podcast", "podcast"),
    ("blog", "blog"),
];

/// The words for a post that a post heading may open with ("Post 2", "Reel 1 — TikTok").
const POST_KINDS: &[&str] = &[
    "post",
    "caption",
    "didascalia",
    "story",
    "stories",
    "storia",
    "storie",
    "reel",
    "reels",
    "video",
    "short",
    "shorts",
    "carousel",
    "carosello",
    "tweet",
    "thread",
    "pin",
    "frame",
    "description",
    "descrizione",
    "script",
    "copione",
    "email",
    "e-mail",
];

/// Matched against the lowercased heading, so the pattern needs no case-insensitive mode (which
/// would make it several times slower to compile), and built without the engines that pay only
/// on long texts: it runs over headings, and compiling it is part of checking a single file.
static POST_HEADING: LazyLock<Option<regex_automata::meta::Regex>> = LazyLock::new(|| {
    let platforms = PLATFORMS.iter().map(|(name, _)| regex::escape(name)).collect::<Vec<_>>().join("|");
    let kinds = POST_KINDS.join("|");
    let config = regex_automata::meta::Config::new().hybrid(false).onepass(false).auto_prefilter(false);
    regex_automata::meta::Builder::new()
        .configure(config)
        .build(&format!(
            r"^(?:(?:{kinds})\s*(?:n\.?\s*)?\d+(?:\s*[-–—:|·(].*)?|(?:{platforms})(?:\s+(?:{kinds}))?(?:\s*\d+)?(?:\s*[-–—:|·(].*)?)$"
        ))
        .ok()
});

/// When a reply in a thread was written, as its byline says after the author ("2y ago",
/// "13/07/2024, 08:12", "3 giorni fa", "March 3, 2024"). Small on purpose: it runs on the
/// rest of every short line that names someone and then a separator.
static WHEN_WRITTEN: LazyLock<Option<regex_automata::meta::Regex>> = LazyLock::new(|| {
    let relative = r"\d+\s*(?:y|yrs?|mo|w|d|h|m|mins?|years?|months?|weeks?|days?|hours?|minutes?|ann[io]|mes[ei]|settiman[ae]|giorn[io]|or[ae]|minut[io])\s*(?:ago|fa)|yesterday|ieri|today|oggi";
    // A date: in figures, or with a month written out and a year; with a month's name, the
    // year may be left out ("14 Oct", "12 mar"), as forums do within the current year.
    let month = "jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec|january|february|march|april|june|july|august|september|october|november|december|gen|mag|giu|lug|ago|set|ott|dic|gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre";
    let date = format!(
        r"\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{1,2}} [a-z]{{3,9}}\.? \d{{4}}|[a-z]{{3,9}}\.? \d{{1,2}},? \d{{4}}|\d{{1,2}} (?:{month})\.?|(?:{month})\.? \d{{1,2}}"
    );
    let time = r"(?:,?\s*(?:alle\s+|at\s+|ore\s+)?\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?)?";
    let config = regex_automata::meta::Config::new().hybrid(false).onepass(false).auto_prefilter(false);
    regex_automata::meta::Builder::new()
        .configure(config)
        .syntax(regex_automata::util::syntax::Config::new().case_insensitive(true).unicode(false).utf8(false))
        .build(&format!(r"^(?:{relative}|(?:{date}){time})\s*(?:\(edited\)|\(modificato\))?$"))
        .ok()
});

/// Whether `line` opens a reply in a thread: an author and when they wrote, on a line of their
/// own ("u/kestrel · 2y ago", "**pino.b** · 13/07/2024, 08:12", "@mara — 3 giorni fa"). Each
/// reply is its own post, written by its own author: a disclosure in one does not cover
/// another, and one author's connection does not make another's "I bought it myself" false.
fn is_byline(line: &str) -> bool {
    let line = line.trim();
    line.len() <= 80 && may_open_with_author(line) && names_author_and_time(line)
}

/// What separates the author of a byline from when they wrote.
const BYLINE_SEPARATORS: [char; 6] = ['·', '•', '|', '—', '–', '-'];

/// A quick test, run on every line of a plain text and on the first line of every paragraph:
/// whether what comes before the first separator of `line` (trimmed) could pass as an author
/// in [`names_author_and_time`]. Most lines of prose fail it within their first two words (a
/// space followed by a word, or a sign no name has), where looking for a separator would
/// read the whole line.
fn may_open_with_author(line: &str) -> bool {
    let mut after_space = false;
    for c in line.chars() {
        if BYLINE_SEPARATORS.contains(&c) {
            return true;
        }
        if c.is_whitespace() {
            after_space = true;
        } else if after_space || !(c.is_alphanumeric() || matches!(c, '_' | '.' | '*' | '@' | '/')) {
            // A name holds no space (the author is trimmed before the separator only) and
            // only these signs, around it (`**`, `u/`, `@`) or in it.
            return false;
        }
    }
    false
}

/// Whether `line` (trimmed) is an author's name, a separator and when they wrote.
fn names_author_and_time(line: &str) -> bool {
    let Some(when) = after_author(line) else { return false };
    when.starts_with(|c: char| c.is_ascii_alphanumeric())
        && WHEN_WRITTEN.as_ref().is_some_and(|re| re.is_match(when.as_bytes()))
}

/// Whether `line` reads as the head of a reply: an author's name, a separator and a few words
/// (a rank, a date: "**Fede_82** · Utente", "u/kestrel · 2y ago").
fn names_author(line: &str) -> bool {
    let line = line.trim();
    line.len() <= 80
        && may_open_with_author(line)
        && after_author(line).is_some_and(|rest| rest.split_whitespace().count() <= 4)
}

/// What follows the author's name and the separator of a byline (trimmed), if `line` opens
/// with one.
fn after_author(line: &str) -> Option<&str> {
    let at = line.find(BYLINE_SEPARATORS)?;
    let (author, rest) = line.split_at(at);
    let author = author.trim().trim_matches(|c| c == '*' || c == '_');
    let author = author.strip_prefix("u/").or_else(|| author.strip_prefix('@')).unwrap_or(author);
    let named = (2..=30).contains(&author.chars().count())
        && author.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'));
    named.then(|| rest.trim_start_matches(BYLINE_SEPARATORS).trim())
}

/// If a heading names a post or a platform, the platform it names (or an empty string).
fn post_heading_platform(heading: &str) -> Option<String> {
    if !may_name_post(heading) {
        return None;
    }
    let lower = heading.trim().to_lowercase();
    let matched = POST_HEADING.as_ref().is_some_and(|re| re.is_match(lower.as_str()));
    if !matched {
        return None;
    }
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    for (name, platform) in PLATFORMS {
        let hit = if name.contains(' ') { lower.contains(name) } else { words.contains(name) };
        if hit {
            return Some((*platform).to_owned());
        }
    }
    Some(String::new())
}

/// A quick test, run on every heading: whether it opens with a word for a post or a platform's
/// name, as every heading [`POST_HEADING`] takes does. Most headings are turned away here,
/// before they are lowered and matched.
fn may_name_post(heading: &str) -> bool {
    let opening = heading.trim_start().as_bytes();
    let opens_with =
        |word: &str| opening.get(..word.len()).is_some_and(|start| start.eq_ignore_ascii_case(word.as_bytes()));
    POST_KINDS.iter().copied().chain(PLATFORMS.iter().map(|(name, _)| *name)).any(opens_with)
}

/// The language a text is written in, by counting frequent function words.
#[cfg(test)]
fn guess_lang<'a>(texts: impl Iterator<Item = &'a str>) -> Lang {
    LangVotes::count(texts).decide(Lang::En)
}

/// How many very common English and Italian words a text has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct LangVotes {
    en: usize,
    it: usize,
}

/// Whether a word (ASCII letters lowercased) is a common English word, a common Italian one
/// ("è" and "È" are C3 A8 and C3 88).
fn vote(word: &[u8]) -> (bool, bool) {
    match word {
        b"the" | b"and" | b"of" | b"to" | b"is" | b"with" | b"for" | b"this" | b"my" | b"you" | b"it's" | b"i"
        | b"was" | b"your" | b"our" | b"on" | b"that" => (true, false),
        b"il" | b"che" | b"di" | b"\xC3\xA8" | b"\xC3\x88" | b"per" | b"con" | b"non" | b"una" | b"sono" | b"della"
        | b"del" | b"la" | b"le" | b"gli" | b"ho" | b"mi" | b"nel" | b"anche" => (false, true),
        _ => (false, false),
    }
}

impl LangVotes {
    fn count<'a>(texts: impl Iterator<Item = &'a str>) -> Self {
        let mut votes = LangVotes::default();
        for text in texts {
            // Words are runs of letters, digits and apostrophes, read a byte at a time: a
            // character is decoded only where a byte is not ASCII.
            let bytes = text.as_bytes();
            let (mut start, mut at) = (0, 0);
            while let Some(&byte) = bytes.get(at) {
                let (in_word, len) = if byte.is_ascii() {
                    (byte.is_ascii_alphanumeric() || byte == b'\'', 1)
                } else {
                    let c = text.get(at..).and_then(|rest| rest.chars().next()).unwrap_or(' ');
                    (c.is_alphanumeric() || c == '’', c.len_utf8())
                };
                if !in_word {
                    if at > start {
                        votes.tally(bytes.get(start..at).unwrap_or_default());
                    }
                    start = at + len;
                }
                at += len;
            }
            votes.tally(bytes.get(start..).unwrap_or_default());
        }
        votes
    }

    /// Counts one word. No list word is longer than five bytes; "è" is the only one not in
    /// ASCII.
    #[inline]
    fn tally(&mut self, word: &[u8]) {
        if word.is_empty() || word.len() > 5 {
            return;
        }
        let mut lowered = [0u8; 5];
        for (to, from) in lowered.iter_mut().zip(word) {
            *to = from.to_ascii_lowercase();
        }
        let (is_en, is_it) = vote(lowered.get(..word.len()).unwrap_or_default());
        self.en += usize::from(is_en);
        self.it += usize::from(is_it);
    }

    fn add(self, other: LangVotes) -> LangVotes {
        LangVotes { en: self.en + other.en, it: self.it + other.it }
    }

    /// The language with more votes, or `fallback` on a tie.
    fn decide(self, fallback: Lang) -> Lang {
        if self.en == self.it {
            fallback
        } else if self.it > self.en {
            Lang::It
        } else {
            Lang::En
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_in_post_order_and_found_by_post() {
        let text = "# Post 1 — Instagram\n\nFirst.\n\nSecond.\n\n---\n\nThird.\n\n## Post 3 — TikTok\n\nFourth.\n";
        for doc in [Document::parse("t.md", text), Document::parse("t.txt", text)] {
            assert!(doc.blocks.windows(2).all(|w| w[0].post <= w[1].post), "{}", doc.path);
            for post in &doc.posts {
                let expected: Vec<&str> =
                    doc.blocks.iter().filter(|b| b.post == post.index).map(|b| b.text.as_str()).collect();
                let found: Vec<&str> = doc.post_blocks(post.index).iter().map(|b| b.text.as_str()).collect();
                assert_eq!(found, expected, "{} post {}", doc.path, post.index);
                assert_eq!(doc.post(post.index).map(|p| p.index), Some(post.index));
            }
            assert_eq!(doc.posts.len(), 3, "{}", doc.path);
            assert!(doc.post_blocks(99).is_empty());
        }
    }

    #[test]
    fn post_headings_name_posts_or_platforms() {
        assert_eq!(post_heading_platform("Post 2 — TikTok").as_deref(), Some("tiktok"));
        assert_eq!(post_heading_platform("Instagram").as_deref(), Some("instagram"));
        assert_eq!(post_heading_platform("YouTube description").as_deref(), Some("youtube"));
        assert_eq!(post_heading_platform("Post 1 — Instagram carousel").as_deref(), Some("instagram"));
        assert_eq!(post_heading_platform("Post 3").as_deref(), Some(""));
        assert_eq!(post_heading_platform("What works"), None);
        assert_eq!(post_heading_platform("Why Instagram captions fail"), None);
        assert_eq!(post_heading_platform("Sponsored: Tramonto Travel"), None);
    }

    #[test]
    fn language_by_function_words() {
        assert_eq!(guess_lang(["Ho provato la crema e non mi è piaciuta"].into_iter()), Lang::It);
        assert_eq!(guess_lang(["I tried the cream and it was fine"].into_iter()), Lang::En);
        // Votes ignore case, "È" included, and count only whole words.
        assert_eq!(LangVotes::count(["È IL Che, the THE It's"].into_iter()), LangVotes { en: 3, it: 3 });
        assert_eq!(LangVotes::count(["theme, dice, Ilaria, anchenon, ilil"].into_iter()), LangVotes { en: 0, it: 0 });
    }

    #[test]
    fn defaults_fill_missing_keys_only() {
        let defaults = Defaults { lang: Some(Lang::It), platform: Some("instagram".to_owned()) };
        let doc = Document::parse_with("a.md", "The cream and the serum.\n", &defaults);
        assert_eq!(doc.lang, Lang::It);
        assert_eq!(doc.posts.first().and_then(|p| doc.platform_of(p)).as_deref(), Some("instagram"));
        let fm = doc.front_matter.as_ref().unwrap();
        assert!(fm.span.is_empty() && fm.key_spans.is_empty());
        let doc = Document::parse_with("a.md", "---\nlang: en\nplatform: tiktok\n---\nCiao, il siero.\n", &defaults);
        assert_eq!(doc.lang, Lang::En);
        assert_eq!(doc.posts.first().and_then(|p| doc.platform_of(p)).as_deref(), Some("tiktok"));
        let doc =
            Document::parse_with("a.txt", "Il siero e la crema.\n", &Defaults { lang: Some(Lang::En), platform: None });
        assert_eq!(doc.lang, Lang::En);
        assert_eq!(Document::parse("a.md", "x").front_matter, None);
    }

    #[test]
    fn front_matter_lang_wins() {
        let doc = Document::parse("a.md", "---\nlang: it\n---\nThe cream and the serum.\n");
        assert_eq!(doc.lang, Lang::It);
        assert_eq!(doc.posts.first().map(|p| p.lang), Some(Lang::It));
    }

    #[test]
    fn bylines_are_an_author_and_when_they_wrote() {
        assert!(WHEN_WRITTEN.is_some(), "the regex compiles");
        for line in [
            "u/kestrel · 2y ago",
            "**pino.b** · 13/07/2024, 08:12",
            "@mara — 3 giorni fa",
            "Kim_88 | March 3, 2024",
            "**mattyb_87** · 14 Oct",
            "Ghepardo_CBR · 12 mar, 09:20",
        ] {
            assert!(is_byline(line), "{line}");
        }
        for line in [
            "- 2 cups of flour",
            "**Sophie T.** · ✅ Verified Buyer · 2 weeks ago",
            "Price · €24",
            "Step 1 - 5 minutes",
            "Salmon · 12 pieces",
            "Peso · 12 kg",
        ] {
            assert!(!is_byline(line), "{line}");
        }
    }

    proptest::proptest! {
        /// The quick test never turns away a heading that the full test takes for a post's.
        #[test]
        fn the_quick_heading_test_keeps_every_post_heading(
            heading in "[ \t]{0,2}(?:[Pp]ost|REEL|Story|[Ii]nstagram|Tik [Tt]ok|[Yy]ou[Tt]ube|E-mail|Stories|What|Why|La|X)?[ a-zA-Z0-9—:·|(-]{0,16}",
        ) {
            let lower = heading.trim().to_lowercase();
            if POST_HEADING.as_ref().is_some_and(|re| re.is_match(lower.as_str())) {
                proptest::prop_assert!(may_name_post(&heading), "{:?}", heading);
            }
        }

        /// The quick test never turns away a line that the full test takes for a byline.
        #[test]
        fn the_quick_byline_test_keeps_every_byline(
            line in "[ a-zA-Zé0-9_.*@/,:!·•|—–-]{0,12}(?: ?[·|—-] ?(?:2y ago|13/07/2024, 08:12|3 giorni fa|oggi))?",
        ) {
            let trimmed = line.trim();
            if names_author_and_time(trimmed) {
                proptest::prop_assert!(may_open_with_author(trimmed), "{:?}", line);
            }
            proptest::prop_assert_eq!(is_byline(&line), trimmed.len() <= 80 && names_author_and_time(trimmed));
        }

        /// The byte scan counts the words a split at every character that is no letter, digit
        /// or apostrophe gives.
        #[test]
        fn votes_count_the_words_a_split_gives(text in "(?:[a-zA-Z' ,.]|è|È|’|é|😍|\u{200B}|ﬁ|\n){0,40}") {
            let mut split = LangVotes::default();
            for word in text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')) {
                split.tally(word.as_bytes());
            }
            proptest::prop_assert_eq!(LangVotes::count([text.as_str()].into_iter()), split);
        }
    }
}
