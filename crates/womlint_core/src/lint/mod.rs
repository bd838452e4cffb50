//! The engine: runs a [`RuleSet`] over a [`Document`] and returns [`Finding`]s.
//!
//! Per document it matches each pattern list once per block (lazily, only for lists some
//! enabled rule uses), drops matches that are mentions or negated, then evaluates each rule
//! per scope unit (document, post, paragraph, sentence) and reports one finding per unit.

mod examples;
mod fixes;
mod hashtags;
mod mention;
mod repeated;
mod suppress;

use std::borrow::Cow;
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

pub use examples::{ExampleFailure, ExampleReport, run_examples};
pub use suppress::{
    Directive, DirectiveKind, INVALID_FRONT_MATTER, INVALID_WAIVER, META_RULES, MetaRule, UNCLOSED_COMMENT,
    UNUSED_WAIVER, WAIVER_WITHOUT_REASON, WaiverRules, apply_waivers, parse_directives, unclosed_comments,
};

use crate::document::{Block, BlockKind, Document, Lang, Link};
use crate::finding::{Finding, Label};
use crate::rules::{
    Candidates, CheckKind, FrontMatterCondition, Matcher, MatcherId, PlacementKind, Report, Rule, RuleSet, Scope,
    SearchTarget, Trait,
};
use crate::span::Span;

/// Whether a raw file may hold a finding at all; when false, parsing it can be skipped.
///
/// Sound by construction: every rule needs a literal of its triggers (or of what it
/// requires) in the file, or a front-matter condition that holds.
pub fn may_have_findings(raw: &str, rules: &RuleSet) -> bool {
    if rules.prefilter().may_match(raw) || raw.contains("womlint") || raw.contains("<!--") {
        return true;
    }
    let body = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    if !crate::document::FrontMatter::opens(body) {
        return false;
    }
    let conditions: Vec<&FrontMatterCondition> =
        rules.rules.iter().flat_map(|r| r.when_front_matter.iter().chain(&r.requires_front_matter)).collect();
    if conditions.is_empty() {
        return false;
    }
    // Front matter alone can trigger a rule (`sponsored: true`): decide on the parsed header.
    let bom = raw.len() - body.len();
    match crate::document::FrontMatter::split(raw, bom) {
        Some((fm, _)) => fm.error.is_some() || conditions.iter().any(|c| condition_holds(c, |k| fm.values_of(k))),
        None => false,
    }
}

/// Runs every rule of `rules` over `doc`.
pub fn lint(doc: &Document, rules: &RuleSet) -> Vec<Finding> {
    let engine = Engine::new(doc, rules);
    let mut findings = Vec::new();
    for rule in &rules.rules {
        if rules.profile.runs(&rule.markets) {
            engine.run_rule(rule, &mut findings);
        }
    }
    findings.sort_by(|a, b| a.span().cmp(&b.span()).then_with(|| a.rule.cmp(&b.rule)));
    findings.dedup_by(|a, b| a.rule == b.rule && a.span() == b.span());
    findings
}

/// The owner a statement of ownership names: the first capitalised word of three letters or
/// more among the next four words of `rest` ("Dormio" in " Dormio Sleep Ltd", "Dormiflex" in
/// " Dormiflex S.r.l.").
fn owner_name(rest: &str) -> Option<&str> {
    rest.split_whitespace().take(4).map(|w| w.trim_matches(|c: char| !c.is_alphanumeric())).find(|w| {
        w.chars().next().is_some_and(char::is_uppercase) && w.chars().filter(|c| c.is_alphabetic()).count() >= 3
    })
}

/// The words of `text`, as runs of letters and digits ("dormio", "co" and "uk" in
/// "dormio.co.uk").
fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// A match of a pattern list in the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Hit {
    /// Where it is in the source.
    span: Span,
    post: usize,
    /// The block it is in (for a link: the block around it, if any).
    block: Option<usize>,
    /// The sentence within the block.
    sentence: usize,
    /// Visible characters of the post before it (for the fold).
    visible: usize,
    /// Byte range in the block text.
    local: (usize, usize),
}

/// Where a rule's `requires` lists match, per unit of its scope.
#[derive(Default)]
struct Requires {
    /// The first hit of each unit (hits come in document order).
    first: BTreeMap<(usize, usize), Hit>,
    /// With `within`: where each unit's hits are, in visible characters, in order.
    at: BTreeMap<(usize, usize), Vec<usize>>,
}

/// A block's index and its words, as [`repeated`] compares them.
type BlockWords = (usize, Vec<u64>);

/// The longest document (in bytes) whose lists are narrowed and built without the lazy DFA. A
/// longer one uses the whole lists, shared by every document of the run: on a 1.6 MB export,
/// the cheap engines alone took 0.81 s against 0.36 s.
const SMALL_DOCUMENT: usize = 64 * 1024;

/// How many words after a match a verdict of prohibition may end ("… style offers are banned").
const PROHIBITION_REACH: usize = 8;

/// How many words before a match the negated imperative that opens its clause may stand.
const CLAUSE_REACH: usize = 24;

struct Engine<'a> {
    doc: &'a Document,
    rules: &'a RuleSet,
    prose: Vec<OnceCell<Vec<Hit>>>,
    links: Vec<OnceCell<Vec<Hit>>>,
    alts: Vec<OnceCell<Vec<Hit>>>,
    /// Sentence ranges per block, split when a hit first needs them.
    sentences: Vec<OnceCell<Vec<(usize, usize)>>>,
    /// Per block: the byte ranges of its text that report someone else's words, found when a
    /// hit first needs them.
    reported: Vec<OnceCell<Vec<(usize, usize)>>>,
    /// Per trait: holds for the document, or per post.
    traits: Vec<OnceCell<Vec<bool>>>,
    /// Posts that hold copy (not just headings).
    content_posts: Vec<usize>,
    /// Per block: its section (the run of blocks from one heading to the next, within a post).
    section_of: Vec<usize>,
    /// Per section: its post (non-decreasing, like the blocks).
    section_post: Vec<usize>,
    /// What the gate lets through in each block (when the rule set has a gate).
    candidates: OnceCell<Candidates>,
    /// Per list: the list narrowed to the patterns that can match in this document's blocks,
    /// when the gate narrows lists.
    narrowed: Vec<OnceCell<Option<Matcher>>>,
    /// Where the last count of visible characters stopped: (block, byte, characters before
    /// it in the block). The hits of a block come in order, so each count goes on from the
    /// last instead of starting again at the block's start (quadratic in a long block).
    counted: Cell<(usize, usize, usize)>,
    /// The meta-language cues of the last sentence a mention was looked for in, found once
    /// for every match in it.
    cues: RefCell<Option<SentenceCues>>,
    /// Whether the document is a list of questions and answers (see [`Engine::is_faq_question`]).
    faq: OnceCell<bool>,
}

/// The cue matches of one sentence (block, sentence): cues before a label and after it.
struct SentenceCues {
    at: (usize, usize),
    cues: Vec<(usize, usize)>,
    after: Vec<(usize, usize)>,
}

impl<'a> Engine<'a> {
    fn new(doc: &'a Document, rules: &'a RuleSet) -> Self {
        let mut content_posts: Vec<usize> = doc.blocks.iter().filter(|b| !b.is_heading()).map(|b| b.post).collect();
        content_posts.dedup();
        let (section_of, section_post) = sections(&doc.blocks);
        Engine {
            doc,
            rules,
            prose: (0..rules.matchers.len()).map(|_| OnceCell::new()).collect(),
            links: (0..rules.matchers.len()).map(|_| OnceCell::new()).collect(),
            alts: (0..rules.matchers.len()).map(|_| OnceCell::new()).collect(),
            sentences: (0..doc.blocks.len()).map(|_| OnceCell::new()).collect(),
            reported: (0..doc.blocks.len()).map(|_| OnceCell::new()).collect(),
            traits: (0..rules.traits.len()).map(|_| OnceCell::new()).collect(),
            content_posts,
            section_of,
            section_post,
            candidates: OnceCell::new(),
            narrowed: (0..rules.matchers.len()).map(|_| OnceCell::new()).collect(),
            counted: Cell::new((usize::MAX, 0, 0)),
            cues: RefCell::new(None),
            faq: OnceCell::new(),
        }
    }

    /// Whether block `block` is a question heading of a page of questions and answers (two
    /// headings or more that end with a question mark): "Can I post my promo code?" asks what
    /// a reader may do, it does not say what the author did.
    fn is_faq_question(&self, block: &Block) -> bool {
        let is_question = |b: &Block| matches!(b.kind, BlockKind::Heading(_)) && b.text.trim_end().ends_with('?');
        is_question(block)
            && *self.faq.get_or_init(|| self.doc.blocks.iter().filter(|b| is_question(b)).nth(1).is_some())
    }

    /// Whether list `id` can match anywhere in block `block` (false only when the gate rules it
    /// out: the list's regex would find nothing there).
    fn may_match(&self, block: usize, id: MatcherId) -> bool {
        self.candidates().is_none_or(|found| found.block_may_match(block, id))
    }

    fn candidates(&self) -> Option<&Candidates> {
        let gate = self.rules.gate.get()?;
        Some(self.candidates.get_or_init(|| {
            let links = self.doc.links.iter().map(Link::searched_text);
            gate.candidates_of(self.doc.blocks.iter().map(|b| b.text.as_str()), links)
        }))
    }

    /// List `id` as run over this document's blocks and links: when the gate narrows lists and
    /// the document is short, narrowed to the patterns that can match in them and built with
    /// the engines that are cheap to build; the whole list (compiled once for the run)
    /// otherwise.
    fn narrowed_matcher(&self, id: MatcherId) -> &Matcher {
        let matcher = self.rules.matcher(id);
        if self.doc.text.len() > SMALL_DOCUMENT {
            return matcher;
        }
        let narrowed = self.narrowed.get(id.0).and_then(|cell| {
            cell.get_or_init(|| self.rules.gate.get()?.narrowed(matcher, id, self.candidates()?)).as_ref()
        });
        narrowed.unwrap_or(matcher)
    }

    /// Every accepted prose match of a pattern list.
    fn prose_hits(&self, id: MatcherId) -> &[Hit] {
        let Some(cell) = self.prose.get(id.0) else { return &[] };
        cell.get_or_init(|| {
            let matcher = self.narrowed_matcher(id);
            let mut hits = Vec::new();
            // With a gate, only the blocks it lets this list through; without one, all.
            let gated = self.candidates();
            let ungated = 0..if gated.is_some() { 0 } else { self.doc.blocks.len() };
            let blocks = gated.into_iter().flat_map(|found| found.blocks_of(id)).chain(ungated);
            for (index, block) in blocks.filter_map(|index| Some((index, self.doc.blocks.get(index)?))) {
                if block.kind == BlockKind::PostHeading || !matcher.is_match_raw(&block.text) {
                    continue;
                }
                for (start, end) in matcher.find_iter(&block.text) {
                    let sentence = self.sentence_of(index, start);
                    // A label is what a reader sees: not one reordered by bidi controls.
                    if matcher.cue_governed && mention::is_reordered(&block.text, (start, end)) {
                        continue;
                    }
                    if self.is_reported(index, start) {
                        continue;
                    }
                    // A short quotation cites the words of a label or a statement (the lists
                    // that can be negated or governed by a cue); a testimonial is quoted use.
                    let citable = matcher.negatable || matcher.cue_governed;
                    if citable && mention::is_cited(&block.text, self.sentence_range(index, sentence), (start, end)) {
                        continue;
                    }
                    // A question heading of a questions-and-answers page asks; it states
                    // nothing, whatever it holds ("How do I earn £50 for each friend?").
                    if self.is_faq_question(block) {
                        continue;
                    }
                    if self.is_mention(index, sentence, (start, end), matcher.cue_governed)
                        || (matcher.negatable && self.is_negated(index, sentence, start, matcher.negation_reach))
                        || (matcher.prohibitable && self.is_forbidden(index, sentence, (start, end)))
                        || (matcher.giver_reach > 0
                            && self.is_personal(index, sentence, (start, end), matcher.giver_reach))
                    {
                        continue;
                    }
                    hits.push(Hit {
                        span: block.source_span(start, end, &self.doc.text),
                        post: block.post,
                        block: Some(index),
                        sentence,
                        visible: self.visible_at(index, start),
                        local: (start, end),
                    });
                }
            }
            hits
        })
    }

    /// Every match of a pattern list in link destinations (or, with `images`, in the alt
    /// text of images); the span is the whole link or image.
    fn link_hits(&self, id: MatcherId, images: bool) -> &[Hit] {
        let cells = if images { &self.alts } else { &self.links };
        let Some(cell) = cells.get(id.0) else { return &[] };
        cell.get_or_init(|| {
            let matcher = self.narrowed_matcher(id);
            let mut hits = Vec::new();
            for link in &self.doc.links {
                if link.is_image != images || matcher.find_iter(link.searched_text()).next().is_none() {
                    continue;
                }
                let range = self.doc.post_block_range(link.post);
                let block = self.doc.blocks.get(range.clone()).and_then(|blocks| {
                    let at = Span::new(link.span.start, link.span.start);
                    // The first block that holds it: blocks are in order and do not overlap.
                    let i = blocks.partition_point(|b| b.span().end < at.start);
                    blocks.get(i).filter(|b| b.span().contains(at)).map(|_| range.start + i)
                });
                let (visible, sentence) = match block.and_then(|i| self.doc.blocks.get(i).map(|b| (i, b))) {
                    Some((i, b)) => {
                        let local = local_offset(b, link.span.start);
                        (self.visible_at(i, local), self.sentence_of(i, local))
                    }
                    None => (0, 0),
                };
                hits.push(Hit { span: link.span, post: link.post, block, sentence, visible, local: (0, 0) });
            }
            hits
        })
    }

    fn sentences(&self, block: usize) -> &[(usize, usize)] {
        match (self.sentences.get(block), self.doc.blocks.get(block)) {
            (Some(cell), Some(b)) => cell.get_or_init(|| mention::sentences(&b.text)),
            _ => &[],
        }
    }

    fn sentence_of(&self, block: usize, offset: usize) -> usize {
        // Sentences are in order and do not overlap: the last one starting at or before it.
        let sentences = self.sentences(block);
        let i = sentences.partition_point(|&(a, _)| a <= offset).saturating_sub(1);
        sentences.get(i).filter(|&&(a, b)| a <= offset && offset < b.max(a + 1)).map_or(0, |_| i)
    }

    /// Visible characters of block `index`'s post before byte `local` of its text.
    fn visible_at(&self, index: usize, local: usize) -> usize {
        let Some(block) = self.doc.blocks.get(index) else { return 0 };
        let (last, byte, chars) = self.counted.get();
        let (from, before) = if last == index && byte <= local { (byte, chars) } else { (0, 0) };
        let count = before + block.text.get(from..local).map_or(0, |p| p.chars().count());
        self.counted.set((index, local, count));
        block.visible_offset + count
    }

    /// The cues of a sentence, found on the first match that needs them.
    fn sentence_cues<T>(&self, block: usize, sentence: usize, look: impl FnOnce(&SentenceCues) -> T) -> T {
        let mut cached = self.cues.borrow_mut();
        if cached.as_ref().is_none_or(|c| c.at != (block, sentence)) {
            let text = self.doc.blocks.get(block).map_or("", |b| b.text.as_str());
            let (from, to) = self.sentence_range(block, sentence);
            let sentence_text = text.get(from..to).unwrap_or_default();
            let find = |id: Option<MatcherId>| -> Vec<(usize, usize)> {
                match id.filter(|id| self.may_match(block, *id)) {
                    Some(id) => {
                        self.rules.matcher(id).find_iter(sentence_text).map(|(s, e)| (s + from, e + from)).collect()
                    }
                    None => Vec::new(),
                }
            };
            let cues = find(self.rules.mention_cue);
            let after = find(self.rules.mention_cue_after);
            *cached = Some(SentenceCues { at: (block, sentence), cues, after });
        }
        let empty = SentenceCues { at: (block, sentence), cues: Vec::new(), after: Vec::new() };
        look(cached.as_ref().unwrap_or(&empty))
    }

    fn sentence_range(&self, block: usize, sentence: usize) -> (usize, usize) {
        self.sentences(block).get(sentence).copied().unwrap_or((0, 0))
    }

    fn is_mention(&self, block: usize, sentence: usize, (start, end): (usize, usize), cue_governed: bool) -> bool {
        if self.rules.mention_cue.is_none() {
            return false;
        }
        let Some(text) = self.doc.blocks.get(block).map(|b| b.text.as_str()) else { return false };
        let (from, to) = self.sentence_range(block, sentence);
        if text.get(from..to).is_none() {
            return false;
        }
        if !cue_governed {
            // Only a quotation makes these a mention: look for a cue only when quoted.
            return mention::is_quoted(text, (from, to), (start, end))
                && self.sentence_cues(block, sentence, |found| !found.cues.is_empty());
        }
        self.sentence_cues(block, sentence, |found| {
            mention::is_mention(text, (from, to), (start, end), &found.cues, &found.after)
        })
    }

    /// Whether the words at `at` in block `block` report someone else's words: a quotation
    /// opened by a quote cue ("the caption read: \"…\""), or a block quote, or a paragraph that
    /// opens with a quotation mark, right after a block that ends with a colon and holds a
    /// quote cue ("She wrote on Instagram:").
    fn is_reported(&self, block: usize, at: usize) -> bool {
        let (Some(cell), Some(cue)) = (self.reported.get(block), self.rules.quote_cue) else { return false };
        let ranges = cell.get_or_init(|| {
            let Some(b) = self.doc.blocks.get(block) else { return Vec::new() };
            let cue = self.rules.matcher(cue);
            if self.introduced_by_frame(block, cue) {
                return vec![(0, b.text.len())];
            }
            if !mention::has_quotation_mark(&b.text) || !cue.is_match_raw(&b.text) {
                return Vec::new();
            }
            mention::reported_quotations(&b.text, &cue.find_iter(&b.text).collect::<Vec<_>>())
        });
        ranges.iter().any(|&(from, to)| from <= at && at < to)
    }

    /// Whether block `block` quotes what the block before it introduces: it is a block quote
    /// (or continues one) or opens with a quotation mark, and the nearest block before it
    /// outside the quotation, in the same post, ends with a colon and holds a quote cue.
    fn introduced_by_frame(&self, block: usize, cue: &Matcher) -> bool {
        let blocks = &self.doc.blocks;
        let Some(b) = blocks.get(block) else { return false };
        if !b.quoted && !mention::opens_with_quotation(&b.text) {
            return false;
        }
        let mut i = block;
        while i > 0 {
            i -= 1;
            let Some(prev) = blocks.get(i) else { return false };
            if prev.post != b.post || prev.kind == BlockKind::PostHeading {
                return false;
            }
            if b.quoted && prev.quoted {
                continue;
            }
            let text = prev.text.trim_end();
            let tail = text.get(text.len().saturating_sub(160)..).or(Some(text)).unwrap_or_default();
            return text.ends_with(':') && cue.find_iter(tail).next().is_some();
        }
        false
    }

    fn is_negated(&self, block: usize, sentence: usize, start: usize, reach: usize) -> bool {
        let Some(negator) = self.rules.negator.filter(|id| self.may_match(block, *id)) else { return false };
        let Some(text) = self.doc.blocks.get(block).map(|b| b.text.as_str()) else { return false };
        let (from, _) = self.sentence_range(block, sentence);
        let window = mention::same_clause(mention::words_before(text, from, start, reach));
        let window_at = start.saturating_sub(window.len());
        // "Don't forget to", "non esitate a": a negator that opens an idiom asks for the thing.
        self.rules.matcher(negator).find_iter(window).any(|(_, end)| !self.asks(block, text, window_at + end, start))
    }

    /// Whether a word of the `negation_idiom` vocab opens the words of `text` from `at` (up to
    /// `to`): the negator or prohibition right before it asks for the thing ("don't forget to").
    fn asks(&self, block: usize, text: &str, at: usize, to: usize) -> bool {
        self.opens_with(block, self.rules.negation_idiom, mention::words_right_after(text, at, to, 2))
    }

    /// Whether a match of the list `id` (if the pack set defines it and it may match in
    /// `block`) starts `text`.
    fn opens_with(&self, block: usize, id: Option<MatcherId>, text: &str) -> bool {
        id.filter(|id| self.may_match(block, *id)).is_some_and(|id| self.starts(id, text))
    }

    /// Whether the first match of the list `id` in `text` starts it.
    fn starts(&self, id: MatcherId, text: &str) -> bool {
        self.rules.matcher(id).find_iter(text).next().is_some_and(|(at, _)| at == 0)
    }

    /// Whether the match names a practice the text forbids: its clause opens with a negated
    /// imperative (`prohibiting`: "Non chiedete a parenti o dipendenti di recensire come se
    /// fossero clienti", "Don't ask staff to …"; not an idiom of asking, "don't forget to"), or
    /// a verdict of prohibition follows it in the same clause (`prohibited_after`: "'5 stars =
    /// 10% off' offers are banned").
    fn is_forbidden(&self, block: usize, sentence: usize, (start, end): (usize, usize)) -> bool {
        let Some(text) = self.doc.blocks.get(block).map(|b| b.text.as_str()) else { return false };
        let (from, to) = self.sentence_range(block, sentence);
        // A match that is itself a prohibition is the instruction ("Non usate la mail aziendale
        // e non scrivete che lavorate con noi"), whatever frames it.
        if self.opens_with(block, self.rules.prohibiting, text.get(start..end).unwrap_or_default()) {
            return false;
        }
        if let Some(after) = self.rules.prohibited_after.filter(|id| self.may_match(block, *id)) {
            let window = mention::clause_start(mention::words_right_after(text, end, to, PROHIBITION_REACH));
            if self.rules.matcher(after).find_iter(window).next().is_some() {
                return true;
            }
        }
        let Some(opening) = self.rules.prohibiting.filter(|id| self.may_match(block, *id)) else { return false };
        let clause = mention::same_clause(mention::words_before(text, from, start, CLAUSE_REACH));
        let words = clause.trim_start_matches(|c: char| !c.is_alphanumeric());
        let words_at = start - words.len();
        self.rules
            .matcher(opening)
            .find_iter(words)
            .next()
            .is_some_and(|(at, opening_end)| at == 0 && !self.asks(block, text, words_at + opening_end, start))
    }

    /// Whether a personal giver ("my wife", "da mia sorella") ends right before the match
    /// (within `reach` words, in the same clause) or starts right after it: the gift is
    /// personal. "My friends at @glowco sent me" names a brand between them, and is a gift.
    /// What starts right after it may also be a replacement for a fault (`replacement_goods`):
    /// sent back, not given.
    fn is_personal(&self, block: usize, sentence: usize, (start, end): (usize, usize), reach: usize) -> bool {
        let giver = self.rules.personal_giver.filter(|id| self.may_match(block, *id));
        let replacement = self.rules.replacement_goods.filter(|id| self.may_match(block, *id));
        if giver.is_none() && replacement.is_none() {
            return false;
        }
        let Some(text) = self.doc.blocks.get(block).map(|b| b.text.as_str()) else { return false };
        let (from, to) = self.sentence_range(block, sentence);
        let after = mention::clause_start(mention::words_right_after(text, end, to, reach));
        let starts_after = |id: MatcherId| self.starts(id, after);
        // A replacement for a fault is sent back, not given ("mi ha mandato una base nuova").
        if replacement.is_some_and(starts_after) {
            return true;
        }
        let Some(giver) = giver else { return false };
        let before = mention::same_clause(mention::words_before(text, from, start, reach));
        // The giver ends right before the match, or only adverbs stand between ("my neighbour
        // kindly lent me").
        self.rules.matcher(giver).find_iter(before).any(|(_, end)| before.get(end..).is_some_and(only_adverbs))
            || starts_after(giver)
    }

    /// Hits of several lists, in document order.
    fn hits(&self, ids: &[MatcherId], search: &[SearchTarget]) -> Vec<Hit> {
        let mut all = Vec::new();
        for id in ids {
            if search.contains(&SearchTarget::Prose) {
                all.extend_from_slice(self.prose_hits(*id));
            }
            if search.contains(&SearchTarget::Links) {
                all.extend_from_slice(self.link_hits(*id, false));
            }
            if search.contains(&SearchTarget::Alt) {
                all.extend_from_slice(self.link_hits(*id, true));
            }
        }
        all.sort_by_key(|h| (h.span.start, h.span.end));
        all.dedup_by_key(|h| h.span);
        all
    }

    fn unit_of(&self, scope: Scope, hit: &Hit) -> (usize, usize) {
        match scope {
            Scope::Sentence => (hit.block.unwrap_or(usize::MAX), hit.sentence),
            _ => self.block_unit(scope, hit.block, hit.post),
        }
    }

    /// The scope unit of a block of `post` (a sentence scope takes the whole block).
    fn block_unit(&self, scope: Scope, block: Option<usize>, post: usize) -> (usize, usize) {
        match scope {
            Scope::Document => (0, 0),
            Scope::Post => (post, 0),
            Scope::Section => (block.and_then(|b| self.section_of.get(b).copied()).unwrap_or(usize::MAX), 0),
            Scope::Paragraph | Scope::Sentence => (block.unwrap_or(usize::MAX), 0),
        }
    }

    fn run_rule(&self, rule: &Rule, out: &mut Vec<Finding>) {
        // Filters on the front matter (all but `platform`, which a post heading may set) hold
        // for every post or for none: check them before any list is matched.
        let document_wide = |c: &&FrontMatterCondition| c.key != "platform";
        if !rule.filter.iter().filter(document_wide).all(|c| self.fm_holds(c, None))
            || rule.filter_not.iter().filter(document_wide).any(|c| self.fm_holds(c, None))
        {
            return;
        }
        if rule.check == CheckKind::Repeated {
            self.run_repeated(rule, out);
            return;
        }
        let triggers = self.hits(&rule.when, &rule.search);
        let mut units: BTreeMap<(usize, usize), Vec<Hit>> = BTreeMap::new();
        for hit in triggers {
            units.entry(self.unit_of(rule.scope, &hit)).or_default().push(hit);
        }
        let fm_trigger = self.front_matter_trigger(rule);
        if fm_trigger.is_some() {
            match rule.scope {
                Scope::Document => {
                    units.entry((0, 0)).or_default();
                }
                _ => {
                    for post in &self.content_posts {
                        units.entry((*post, 0)).or_default();
                    }
                }
            }
        }
        if units.is_empty() {
            // Nothing to evaluate: leave `requires` and `unless` unmatched (and uncompiled).
            return;
        }
        // The first `requires` hit of each unit (hits come in document order), and the units
        // with an `unless` hit: matched when a unit first needs them, so that a rule whose
        // triggers all fall where its traits or filters rule it out matches neither.
        let requires = OnceCell::new();
        let requires = || requires.get_or_init(|| self.requires_of(rule));
        let unless = OnceCell::new();
        let unless = || {
            unless.get_or_init(|| {
                self.hits(&rule.unless, &[SearchTarget::Prose, SearchTarget::Links])
                    .iter()
                    .map(|h| self.unit_of(rule.scope, h))
                    .collect::<BTreeSet<(usize, usize)>>()
            })
        };
        let requires_fm = rule.requires_front_matter.iter().any(|c| self.fm_holds(c, None));
        for (unit, mut hits) in units {
            if let Some(reach) = rule.within {
                // Only the triggers with a `requires` match close by count.
                let near = requires().at.get(&unit).map(Vec::as_slice).unwrap_or_default();
                hits.retain(|h| {
                    let from = near.partition_point(|&at| at + reach < h.visible);
                    near.get(from).is_some_and(|&at| at <= h.visible + reach)
                });
                if hits.is_empty() {
                    continue;
                }
            }
            let post = hits.first().map_or(if rule.scope == Scope::Post { unit.0 } else { 0 }, |h| h.post);
            let section = match rule.scope {
                Scope::Section => Some(unit.0),
                _ => hits.first().and_then(|h| h.block).and_then(|b| self.section_of.get(b).copied()),
            };
            if !self.filters_hold(rule, post) || !self.traits_hold(rule, post, section) {
                continue;
            }
            let has_requires = rule.requires.is_empty() && rule.requires_front_matter.is_empty()
                || requires_fm
                || requires().first.contains_key(&unit);
            if !has_requires {
                continue;
            }
            if rule.check == CheckKind::Placement {
                let first_trigger = requires().first.get(&unit).map(|h| (h.block, h.visible));
                if let Some(finding) = self.placement(rule, post, &hits, first_trigger) {
                    out.push(finding);
                }
                continue;
            }
            if unless().contains(&unit) {
                continue;
            }
            if rule.check == CheckKind::OwnerPromoted {
                let (Some(hit), Some(owner)) = (hits.first(), self.owner_promoted(rule, unit)) else { continue };
                let primary = Label { span: hit.span, text: self.primary_text(rule, post) };
                let related = vec![Label {
                    span: owner.span,
                    text: self.lang_text(
                        post,
                        "owned by a brand it promotes",
                        "di proprietà di un marchio che promuove",
                    ),
                }];
                out.push(self.finding(rule, post, primary, related));
                continue;
            }
            if rule.report == Report::Each && hits.len() > 1 {
                for hit in &hits {
                    let primary = Label { span: hit.span, text: self.primary_text(rule, post) };
                    out.push(self.finding(rule, post, primary, Vec::new()));
                }
                continue;
            }
            let primary = match (hits.first(), &fm_trigger) {
                (Some(hit), _) => Label { span: hit.span, text: self.primary_text(rule, post) },
                (None, Some(span)) => Label { span: *span, text: self.primary_text(rule, post) },
                (None, None) => continue,
            };
            let mut related: Vec<Label> = hits
                .iter()
                .skip(1)
                .map(|h| Label { span: h.span, text: self.lang_text(post, "also here", "anche qui") })
                .collect();
            if let (Some(span), false) = (&fm_trigger, hits.is_empty()) {
                related.push(Label {
                    span: *span,
                    text: self.lang_text(post, "the front matter says so", "lo dice il front matter"),
                });
            }
            out.push(self.finding(rule, post, primary, related));
        }
    }

    /// The first `requires` match of `unit` whose owner (see [`owner_name`]) another block of
    /// the unit names too, as one of its words ("Dormio Cloud Hybrid", "dormio.co.uk"). The
    /// owners are gathered first and the unit's words are looked up among them in one pass, so
    /// a long file of many statements stays linear in its length.
    fn owner_promoted(&self, rule: &Rule, unit: (usize, usize)) -> Option<Hit> {
        let statements: Vec<(Hit, String)> = self
            .hits(&rule.requires, &[SearchTarget::Prose])
            .into_iter()
            .filter(|h| self.unit_of(rule.scope, h) == unit)
            .filter_map(|h| {
                let block = self.doc.blocks.get(h.block?)?;
                let owner = owner_name(block.text.get(h.local.1..).unwrap_or_default())?;
                Some((h, owner.to_lowercase()))
            })
            .collect();
        if statements.is_empty() {
            return None;
        }
        // Per owner, up to two blocks that name it: one of them is not the statement's own.
        let mut named: HashMap<&str, [Option<usize>; 2]> =
            statements.iter().map(|(_, owner)| (owner.as_str(), [None, None])).collect();
        let lengths: HashSet<usize> = named.keys().map(|owner| owner.len()).collect();
        let mut lower = String::new();
        for (index, block) in self.doc.blocks.iter().enumerate() {
            if self.block_unit(rule.scope, Some(index), block.post) != unit {
                continue;
            }
            for word in words_of(&block.text) {
                // An ASCII word keeps its length when lowercased: most words need no lookup.
                if word.is_ascii() && !lengths.contains(&word.len()) {
                    continue;
                }
                lower.clear();
                lower.extend(word.chars().flat_map(char::to_lowercase));
                if let Some(blocks) = named.get_mut(lower.as_str()) {
                    match blocks {
                        [None, _] => blocks[0] = Some(index),
                        [Some(first), None] if *first != index => blocks[1] = Some(index),
                        _ => {}
                    }
                }
            }
        }
        statements.iter().find_map(|(h, owner)| {
            let blocks = named.get(owner.as_str())?;
            blocks.iter().flatten().any(|&index| Some(index) != h.block).then_some(*h)
        })
    }

    /// Where a rule's `requires` lists match, per unit of its scope.
    fn requires_of(&self, rule: &Rule) -> Requires {
        let mut requires = Requires::default();
        for hit in self.hits(&rule.requires, &[SearchTarget::Prose, SearchTarget::Links]) {
            let unit = self.unit_of(rule.scope, &hit);
            if rule.within.is_some() {
                requires.at.entry(unit).or_default().push(hit.visible);
            }
            requires.first.entry(unit).or_insert(hit);
        }
        for offsets in requires.at.values_mut() {
            offsets.sort_unstable();
        }
        requires
    }

    /// A `repeated` rule: the blocks of a unit that give the words of an earlier block of the
    /// same unit as their own (see [`repeated`]), in the units with a `requires` match (every
    /// unit when the rule has none) and none of `unless`. The copies are found first, by
    /// hashing words, so that the lists are matched only in a document that has some.
    fn run_repeated(&self, rule: &Rule, out: &mut Vec<Finding>) {
        // Per unit, its blocks long enough to compare: their index and their words.
        let mut units: BTreeMap<(usize, usize), Vec<BlockWords>> = BTreeMap::new();
        for (index, block) in self.doc.blocks.iter().enumerate() {
            if matches!(block.kind, BlockKind::Heading(_) | BlockKind::PostHeading)
                || block.text.len() < repeated::MIN_BYTES
                || !repeated::is_testimonial(&block.text, block.quoted)
            {
                continue;
            }
            let words = repeated::words(&block.text);
            if words.len() < repeated::MIN_WORDS {
                continue;
            }
            units.entry(self.block_unit(rule.scope, Some(index), block.post)).or_default().push((index, words));
        }
        let copies: Vec<((usize, usize), usize, usize)> = units
            .iter()
            .flat_map(|(unit, blocks)| {
                let words: Vec<&[u64]> = blocks.iter().map(|(_, w)| w.as_slice()).collect();
                repeated::repeats(&words)
                    .into_iter()
                    .filter_map(move |(later, earlier)| Some((*unit, blocks.get(later)?.0, blocks.get(earlier)?.0)))
            })
            .collect();
        if copies.is_empty() {
            return;
        }
        let units_of = |ids: &[MatcherId]| -> BTreeSet<(usize, usize)> {
            self.hits(ids, &[SearchTarget::Prose, SearchTarget::Links])
                .iter()
                .map(|h| self.unit_of(rule.scope, h))
                .collect()
        };
        let required = (!rule.requires.is_empty()).then(|| units_of(&rule.requires));
        let unless = units_of(&rule.unless);
        for (unit, later, earlier) in copies {
            if required.as_ref().is_some_and(|units| !units.contains(&unit)) || unless.contains(&unit) {
                continue;
            }
            let (Some(block), Some(first)) = (self.doc.blocks.get(later), self.doc.blocks.get(earlier)) else {
                continue;
            };
            let section = self.section_of.get(later).copied();
            if !self.filters_hold(rule, block.post) || !self.traits_hold(rule, block.post, section) {
                continue;
            }
            let span = |b: &Block| b.source_span(0, b.text.len(), &self.doc.text);
            let primary = Label { span: span(block), text: self.primary_text(rule, block.post) };
            let related = vec![Label {
                span: span(first),
                text: self.lang_text(block.post, "the same words, earlier", "le stesse parole, prima"),
            }];
            out.push(self.finding(rule, block.post, primary, related));
        }
    }

    fn primary_text(&self, rule: &Rule, post: usize) -> Cow<'static, str> {
        let (en, it) = match rule.check {
            CheckKind::RequireDisclosure => ("needs a disclosure", "richiede una dicitura"),
            CheckKind::AmbiguousLabel => ("not a clear label", "dicitura non chiara"),
            CheckKind::Placement => ("too late to be seen", "troppo tardi per essere vista"),
            CheckKind::Forbidden => ("here", "qui"),
            CheckKind::Repeated => ("repeats an earlier testimonial", "ripete una testimonianza precedente"),
            CheckKind::OwnerPromoted => ("claims independence", "si dice indipendente"),
        };
        self.lang_text(post, en, it)
    }

    fn lang_text(&self, post: usize, en: &'static str, it: &'static str) -> Cow<'static, str> {
        Cow::Borrowed(match self.post_lang(post) {
            Lang::En => en,
            Lang::It => it,
        })
    }

    fn post_lang(&self, post: usize) -> Lang {
        self.doc.post(post).map_or(self.doc.lang, |p| p.lang)
    }

    fn finding(&self, rule: &Rule, post: usize, primary: Label, mut related: Vec<Label>) -> Finding {
        let lang = self.post_lang(post);
        let post_start = self.post_start(post);
        let suggestion = (!rule.suggest.is_empty()).then(|| rule.suggest.shared(lang));
        if matches!(rule.check, CheckKind::RequireDisclosure | CheckKind::AmbiguousLabel | CheckKind::Placement)
            && let Some(start) = post_start.filter(|s| *s < primary.span.start)
        {
            let text = self.lang_text(
                post,
                "the post starts here: the label belongs here",
                "il post inizia qui: la dicitura va qui",
            );
            related.push(Label { span: Span::new(start, start), text });
        }
        let fix = rule.fix.and_then(|rule_fix| {
            let make = |label: &str| fixes::fix_for(self.doc, rule_fix, label, primary.span, post_start);
            let other = match lang {
                Lang::En => Lang::It,
                Lang::It => Lang::En,
            };
            let (label, other_label) = (rule.suggest.get(lang), rule.suggest.get(other));
            let mut fix = make(label)?;
            if other_label != label {
                fix.fallback = make(other_label).map(Box::new);
            }
            Some(fix)
        });
        Finding {
            rule: Arc::clone(&rule.id),
            principle: rule.principle,
            severity: rule.severity,
            message: rule.message.shared(lang),
            help: rule.help.shared(lang),
            primary,
            related,
            fix_at: suggestion.as_ref().and(post_start).map(|s| Span::new(s, s)),
            fix,
            suggestion,
            lang,
        }
    }

    /// The first byte of a post's copy.
    fn post_start(&self, post: usize) -> Option<usize> {
        self.doc.post_blocks(post).iter().find(|b| b.kind != BlockKind::PostHeading).map(|b| b.span().start)
    }

    fn front_matter_trigger(&self, rule: &Rule) -> Option<Span> {
        if rule.when_front_matter.is_empty() {
            return None;
        }
        let fm = self.doc.front_matter.as_ref()?;
        if !rule.when_front_matter.iter().all(|c| self.fm_holds(c, None)) {
            return None;
        }
        let key = rule.when_front_matter.first().map(|c| c.key.as_str())?;
        Some(fm.key_spans.get(key).copied().unwrap_or(fm.span))
    }

    /// A front-matter condition, with `platform` read per post.
    fn fm_holds(&self, condition: &FrontMatterCondition, post: Option<usize>) -> bool {
        if condition.key == "platform"
            && let Some(post) = post.and_then(|p| self.doc.post(p))
        {
            let platform = self.doc.platform_of(post);
            return condition_holds(condition, |_| platform.iter().cloned().collect());
        }
        let Some(fm) = self.doc.front_matter.as_ref() else {
            return condition_holds(condition, |_| Vec::new());
        };
        condition_holds(condition, |key| fm.values_of(key))
    }

    /// Whether the front matter gives `key` a value (a post heading's platform does not count).
    fn fm_declares(&self, key: &str) -> bool {
        self.doc.front_matter.as_ref().is_some_and(|fm| !fm.values_of(key).is_empty())
    }

    fn filters_hold(&self, rule: &Rule, post: usize) -> bool {
        rule.filter.iter().all(|c| self.fm_holds(c, Some(post)))
            && !rule.filter_not.iter().any(|c| self.fm_holds(c, Some(post)))
    }

    fn traits_hold(&self, rule: &Rule, post: usize, section: Option<usize>) -> bool {
        rule.traits.iter().all(|t| self.trait_holds(*t, post, section))
            && !rule.skip_traits.iter().any(|t| self.trait_holds(*t, post, section))
    }

    fn trait_holds(&self, index: usize, post: usize, section: Option<usize>) -> bool {
        let (Some(cell), Some(t)) = (self.traits.get(index), self.rules.traits.get(index)) else { return false };
        let values = cell.get_or_init(|| self.evaluate_trait(t));
        let area = match t.scope {
            Scope::Section => section,
            Scope::Post => self.doc.post_position(post),
            _ => Some(0),
        };
        area.and_then(|a| values.get(a)).copied().unwrap_or(false)
    }

    /// Whether a trait holds in each area of its scope: per post (in the order of
    /// `doc.posts`), per section, or for the whole document. One pass over the hits and
    /// headings, whatever the number of areas.
    fn evaluate_trait(&self, t: &Trait) -> Vec<bool> {
        let sections = self.section_post.len();
        let count = match t.scope {
            Scope::Post => self.doc.posts.len(),
            Scope::Section => sections,
            _ => 1,
        };
        // Marks the areas a block, or a hit outside any block (a link), lies in.
        let mark_areas = |out: &mut [bool], block: Option<usize>, post: usize| {
            let areas = match t.scope {
                Scope::Post => self.doc.post_position(post).map_or(0..0, |a| a..a + 1),
                Scope::Section => match block.and_then(|b| self.section_of.get(b)) {
                    Some(&s) => s..s + 1,
                    None => {
                        let start = self.section_post.partition_point(|p| *p < post);
                        start..self.section_post.partition_point(|p| *p <= post)
                    }
                },
                _ => 0..1,
            };
            for slot in out.get_mut(areas).unwrap_or_default() {
                *slot = true;
            }
        };
        let mark = |ids: &[MatcherId], out: &mut [bool]| {
            for id in ids {
                for hit in self.prose_hits(*id) {
                    mark_areas(out, hit.block, hit.post);
                }
            }
        };
        // Front matter that names what the document is, as something else ("doc_type: brief"
        // for the explainer trait), outweighs what the words suggest: a brief that names the
        // FTC is still a brief.
        let declared_otherwise = !t.front_matter.is_empty()
            && t.front_matter.iter().all(|c| self.fm_declares(&c.key) && !self.fm_holds(c, None));
        if declared_otherwise {
            return vec![false; count];
        }
        let text_matches = |ids: &[MatcherId], text: &str| {
            ids.iter().any(|id| self.rules.matcher(*id).find_iter(text).next().is_some())
        };
        let mut holds = vec![self.doc.title.as_deref().is_some_and(|title| text_matches(&t.titles, title)); count];
        for (area, slot) in holds.iter_mut().enumerate() {
            let post = match t.scope {
                Scope::Post => self.doc.posts.get(area).map(|p| p.index),
                Scope::Section => self.section_post.get(area).copied(),
                _ => None,
            };
            *slot = *slot || t.front_matter.iter().any(|c| self.fm_holds(c, post));
        }
        if !t.headings.is_empty() {
            for (index, block) in self.doc.blocks.iter().enumerate() {
                if block.is_heading() && text_matches(&t.headings, &block.text) {
                    mark_areas(&mut holds, Some(index), block.post);
                }
            }
        }
        mark(&t.patterns, &mut holds);
        if !holds.contains(&true) {
            // Nothing for `unless` to take back: its lists are not matched.
            return holds;
        }
        let mut unless = vec![false; count];
        mark(&t.unless, &mut unless);
        // What takes a trait back may be in a link: an affiliate tag in a destination makes
        // the page copy that sells, not an article about selling.
        for id in &t.unless {
            for hit in self.link_hits(*id, false) {
                mark_areas(&mut unless, hit.block, hit.post);
            }
        }
        holds.iter().zip(&unless).map(|(holds, unless)| *holds && !unless).collect()
    }

    /// The placement check for one post: `labels` are the rule's `when` hits there.
    fn placement(
        &self,
        rule: &Rule,
        post: usize,
        labels: &[Hit],
        first_trigger: Option<(Option<usize>, usize)>,
    ) -> Option<Finding> {
        let first = labels.first()?;
        let platform = self.doc.post(post).and_then(|p| self.doc.platform_of(p));
        let range = self.doc.post_block_range(post);
        let blocks: Vec<(usize, &Block)> = range.clone().zip(self.doc.blocks.get(range).unwrap_or_default()).collect();
        let fold = match &platform {
            Some(p) => self.rules.platforms.get(p).copied().flatten(),
            // A post of no known platform that reads as a social caption gets the fold of
            // the `caption` profile.
            None if reads_as_caption(&blocks) => self.rules.platforms.get(CAPTION).copied().flatten(),
            None => None,
        };
        let first_block = blocks.iter().find(|(_, b)| !b.is_heading()).map(|(i, _)| *i);
        let cluster = hashtags::trailing_cluster(&blocks);
        // A label the reader can see the start of before "more" is early enough.
        let early = |h: &Hit| match fold {
            Some(fold) => h.visible < fold,
            None => {
                h.block == first_block
                    || first_trigger
                        .is_none_or(|(block, visible)| block.is_none() || h.block <= block && h.visible <= visible)
            }
        };
        let buried = |h: &Hit| match (&cluster, h.block) {
            (Some(c), Some(block)) => c.rank_of(block, h.local.0).is_some_and(|rank| rank > 3 || !early(h)),
            _ => false,
        };
        let all_buried = labels.iter().all(buried);
        let primary = match rule.placement? {
            PlacementKind::HashtagCluster if all_buried => first,
            PlacementKind::Fold if !all_buried => {
                let visible: Vec<&Hit> = labels.iter().filter(|h| !buried(h)).collect();
                if visible.iter().any(|h| early(h)) {
                    return None;
                }
                visible.first().copied()?
            }
            _ => return None,
        };
        let label = Label { span: primary.span, text: self.primary_text(rule, post) };
        Some(self.finding(rule, post, label, Vec::new()))
    }
}

/// The platform profile for posts of no known platform that read as social captions.
const CAPTION: &str = "caption";

/// The longest caption the big platforms allow (Instagram: 2,200 characters).
const CAPTION_LENGTH: usize = 2200;

/// Whether a post of no known platform reads as a social caption: short, no headings, and a
/// hashtag or an @mention in its text.
fn reads_as_caption(blocks: &[(usize, &Block)]) -> bool {
    let copy = || blocks.iter().map(|(_, b)| b).filter(|b| b.kind != BlockKind::PostHeading);
    let length = copy().next_back().map_or(0, |b| b.visible_offset + b.text.chars().count());
    let tagged = copy().any(|b| {
        b.text
            .match_indices(['#', '@'])
            .any(|(at, _)| b.text.get(at + 1..).and_then(|rest| rest.chars().next()).is_some_and(char::is_alphanumeric))
    });
    length <= CAPTION_LENGTH && tagged && !copy().any(|b| b.is_heading())
}

/// The section of each block, and the post of each section: a new section starts at every
/// heading and at every post.
fn sections(blocks: &[Block]) -> (Vec<usize>, Vec<usize>) {
    let mut section_of = Vec::with_capacity(blocks.len());
    let mut section_post = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let same = i > 0 && !block.is_heading() && section_post.last() == Some(&block.post);
        if !same {
            section_post.push(block.post);
        }
        section_of.push(section_post.len() - 1);
    }
    (section_of, section_post)
}

/// The offset in a block's text of a source byte (the start of the piece holding it).
fn local_offset(block: &Block, source: usize) -> usize {
    // The last piece starting at or before it (pieces are in source order).
    let index = block.pieces.partition_point(|p| p.source.start <= source).checked_sub(1);
    index.and_then(|i| block.pieces.get(i)).map_or(0, |p| {
        p.text_start + if p.verbatim { source.saturating_sub(p.source.start).min(p.source.len()) } else { 0 }
    })
}

/// Whether `words` are only adverbs ("kindly", "gentilmente", "just"), or none.
fn only_adverbs(words: &str) -> bool {
    const SHORT: [&str; 12] =
        ["just", "so", "very", "also", "always", "then", "once", "già", "anche", "sempre", "appena", "poi"];
    words.split_whitespace().all(|word| {
        let word = word.to_lowercase();
        (word.len() > 4 && (word.ends_with("ly") || word.ends_with("mente"))) || SHORT.contains(&word.as_str())
    })
}

/// Whether a condition holds, given the values of a key.
fn condition_holds(condition: &FrontMatterCondition, values_of: impl Fn(&str) -> Vec<String>) -> bool {
    let values: Vec<String> = values_of(&condition.key).iter().map(|v| crate::rules::normalize_bool(v)).collect();
    if condition.values.iter().any(|v| v == "*") {
        return !values.is_empty();
    }
    values.iter().any(|v| {
        condition.values.contains(v)
            || head_words(v).is_some_and(|heads| heads.iter().any(|h| condition.values.iter().any(|c| c == h)))
    })
}

/// The words that may name what a value of several words is: its last (English puts the head
/// last: "brand ambassador", "store_employee") and its first (Italian puts it first: "partner
/// commerciale"). None for one word, or when a word says the role is over or denied ("former
/// employee", "ex partner", "not an affiliate").
fn head_words(value: &str) -> Option<[&str; 2]> {
    let words: Vec<&str> = value.split([' ', '_', '-']).filter(|w| !w.is_empty()).collect();
    let denied = words.iter().any(|w| matches!(*w, "former" | "ex" | "past" | "not" | "no" | "non" | "previous"));
    match (words.first(), words.last()) {
        (Some(first), Some(last)) if words.len() > 1 && !denied => Some([*first, *last]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_is_the_capitalised_name_after_the_statement() {
        assert_eq!(owner_name(" Dormio Sleep Ltd."), Some("Dormio"));
        assert_eq!(owner_name(" Dormiflex S.r.l. – P.IVA 0123"), Some("Dormiflex"));
        assert_eq!(owner_name(" the Nestwell Media group"), Some("Nestwell"));
        assert_eq!(owner_name(", funded by or affiliated with any mattress company"), None);
        assert_eq!(owner_name(" a UK company"), None);
    }

    #[test]
    fn a_name_counts_as_a_whole_word_only() {
        let names = |text: &str, name: &str| words_of(text).any(|w| w.to_lowercase() == name);
        assert!(names("1. Dormio Cloud Hybrid", "dormio"));
        assert!(names("code SLEEPWISE20 at dormio.co.uk", "dormio"));
        assert!(names("🥇 1. Dormiflex Cloud Memory", "dormiflex"));
        assert!(!names("the Condormio range", "dormio"));
        assert!(!names("Owner10 Ltd", "owner1"));
    }

    #[test]
    fn a_value_of_several_words_holds_for_its_head() {
        let condition = FrontMatterCondition { key: "author_role".to_owned(), values: vec!["ambassador".to_owned()] };
        for (value, holds) in [
            ("ambassador", true),
            ("brand ambassador", true),
            ("brand_ambassador", true),
            ("ambassador di marca", true),
            ("former brand ambassador", false),
            ("ex-ambassador", false),
            ("programme manager", false),
            ("consumer", false),
        ] {
            assert_eq!(condition_holds(&condition, |_| vec![value.to_owned()]), holds, "{value}");
        }
    }

    #[test]
    fn adverbs_may_stand_between_a_giver_and_a_gift() {
        for words in ["", " ", " kindly", " very kindly ", " gentilmente", " just"] {
            assert!(only_adverbs(words), "{words:?}");
        }
        for words in [" sent", " and @brand", " la", " fly"] {
            assert!(!only_adverbs(words), "{words:?}");
        }
    }

    #[test]
    fn sections_start_at_headings_and_posts() {
        let doc = Document::parse("t.md", "Intro.\n\n## A\n\nOne.\n\nTwo.\n\n---\n\nThree.\n\n## B\n\nFour.\n");
        let texts: Vec<&str> = doc.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Intro.", "A", "One.", "Two.", "Three.", "B", "Four."]);
        let (section_of, section_post) = sections(&doc.blocks);
        assert_eq!(section_of, [0, 1, 1, 1, 2, 3, 3]);
        assert_eq!(section_post, [0, 0, 1, 1]);
    }
}
