//! Compiled pattern lists, and word boundaries checked in code.
//!
//! Unicode `\b` with case-insensitive matching pushes the regex crate off its fast engines on
//! non-ASCII text (30–40× slower on Italian), and the ASCII `\b` is wrong for Italian (it finds
//! `qualit` inside `qualità`). So patterns are compiled without `\b`, and a match is accepted
//! only when it does not continue a word on either side, by `char::is_alphanumeric`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use regex::RegexBuilder;
use regex_automata::meta::{self, Regex};
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind as RegexMatchKind};

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use regex_syntax::hir::Hir;

use super::builtin::StaticFragment;
use super::builtin::{builtin_raw_fragments, builtin_static_clauses};
use super::coarse::{Agreement, coarsen};
use super::factor::factor;
use super::fragments::{Edge, Fragment, char_after, char_before, is_caseless, pattern_clauses, raw_fragments, weakest};
pub(crate) use super::rewrite::normalize_pattern;
use super::rewrite::unfold_letter_classes;

/// Index of a matcher in [`super::RuleSet::matchers`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MatcherId(pub usize);

/// The most memory one compiled pattern list may take (a third-party pack can't exhaust it).
const SIZE_LIMIT: usize = 16 * 1024 * 1024;

/// How many words before a match of a `negatable` list a negator may stand, unless the pack
/// says otherwise (`negation_reach`).
pub(crate) const DEFAULT_NEGATION_REACH: usize = 4;

/// The lazy DFA cache of one regex, per thread. Every list has its own cache on every
/// thread, so this bounds memory; a larger cache bought no speed on the benchmark corpora.
const DFA_CACHE: usize = 2 * 1024 * 1024;

/// A list's regex.
#[derive(Clone, Debug)]
struct ListRegex {
    regex: Regex,
    /// For a coarse regex: which of its matches it takes as they are, and the regex as written
    /// for the others (compiled on first need).
    exact: Option<(Agreement, OnceLock<Option<Regex>>)>,
}

/// One compiled pattern list.
///
/// The regexes are compiled on first use: a run over one file needs only the lists its rules
/// reach, and compiling every list of the built-in packs up front would cost more than the
/// whole check of a small file. Lists from third-party packs are compiled when the pack is
/// loaded ([`Matcher::new`]), so their errors are reported then; the built-in packs are
/// compiled in full by the tests ([`Matcher::new_trusted`]).
#[derive(Clone, Debug)]
pub struct Matcher {
    /// The vocab name, or the pattern itself for an inline pattern.
    pub name: String,
    /// The patterns as written in the pack.
    patterns: Vec<String>,
    /// The patterns joined into one alternation, as compiled: built on first need, since most
    /// lists of a run over a few files are never compiled.
    alternation: OnceLock<String>,
    case_sensitive: bool,
    regex: OnceLock<Option<ListRegex>>,
    /// The same alternation followed by a non-word character or the end: used when the plain
    /// match ends inside a word, to find a longer alternative at the same start.
    guarded: OnceLock<Option<Regex>>,
    /// The patterns as written with the lazy DFA, for a coarse match where they do not match
    /// at all: it looks once through the rest of the text (see [`Matcher::search`]).
    rest_exact: OnceLock<Option<Regex>>,
    word_boundary: bool,
    /// Compiled for one document's few texts (a narrowed list): only the engines that are
    /// cheap to build (see [`Matcher::subset`]).
    small: bool,
    pub negatable: bool,
    /// How many words before a match a negator may stand to void it.
    pub negation_reach: usize,
    /// How many words beside a match a personal giver ("my wife", "mia madre") may stand to
    /// void it: the gift is from family or a friend, not from a brand. 0: never.
    pub giver_reach: usize,
    /// A match right after a meta-language cue ("labels like #sp") is a mention even when it is
    /// not quoted. Labels opt in; connection statements do not ("ad esempio, mi hanno regalato"
    /// is still a gift).
    pub cue_governed: bool,
    /// A match in a clause that forbids it is void: one opened by a negated imperative ("Non
    /// chiedete ai dipendenti di …", "Don't ask staff to …") or followed by a verdict of
    /// prohibition ("… are banned"). Instructions and offers opt in; first-person statements
    /// ("don't know why @brand sent me this") do not.
    pub prohibitable: bool,
}

impl Matcher {
    /// Compiles `patterns` into one alternation, now, so that an error is reported at once.
    pub fn new(
        name: &str,
        patterns: &[String],
        case_sensitive: bool,
        word_boundary: bool,
        negatable: bool,
    ) -> Result<Matcher, regex::Error> {
        let matcher = Matcher::new_trusted(name, patterns, case_sensitive, word_boundary, negatable);
        matcher.compile()?;
        Ok(matcher)
    }

    /// A matcher for patterns known to compile (the built-in packs): compiled on first use.
    pub fn new_trusted(
        name: &str,
        patterns: &[String],
        case_sensitive: bool,
        word_boundary: bool,
        negatable: bool,
    ) -> Matcher {
        Matcher {
            name: name.to_owned(),
            patterns: patterns.to_vec(),
            alternation: OnceLock::new(),
            case_sensitive,
            regex: OnceLock::new(),
            guarded: OnceLock::new(),
            rest_exact: OnceLock::new(),
            word_boundary,
            small: false,
            negatable,
            negation_reach: DEFAULT_NEGATION_REACH,
            giver_reach: 0,
            cue_governed: false,
            prohibitable: false,
        }
    }

    /// The same list with only the patterns at `keep` (indexes into its patterns, in order),
    /// compiled on first use with only the engines that are cheap to build: it serves one short
    /// document, where the faster ones would not repay their construction.
    pub fn subset(&self, keep: &[usize]) -> Matcher {
        let patterns: Vec<String> = keep.iter().filter_map(|i| self.patterns.get(*i).cloned()).collect();
        let mut subset =
            Matcher::new_trusted(&self.name, &patterns, self.case_sensitive, self.word_boundary, self.negatable);
        subset.cue_governed = self.cue_governed;
        subset.negation_reach = self.negation_reach;
        subset.giver_reach = self.giver_reach;
        subset.prohibitable = self.prohibitable;
        subset.small = true;
        subset
    }

    /// Sets how many words before a match a negator may stand.
    #[must_use]
    pub fn with_negation_reach(mut self, words: usize) -> Self {
        self.negation_reach = words;
        self
    }

    /// Sets how many words beside a match a personal giver may stand (0: never).
    #[must_use]
    pub fn with_giver_reach(mut self, words: usize) -> Self {
        self.giver_reach = words;
        self
    }

    /// Sets whether a clause that forbids a match voids it.
    #[must_use]
    pub fn with_prohibitable(mut self, prohibitable: bool) -> Self {
        self.prohibitable = prohibitable;
        self
    }

    /// Sets whether a cue right before or after a match makes it a mention.
    #[must_use]
    pub fn with_cue_governed(mut self, cue_governed: bool) -> Self {
        self.cue_governed = cue_governed;
        self
    }

    /// Compiles both regexes now (if not done yet) and returns the first error.
    pub fn compile(&self) -> Result<(), regex::Error> {
        if self.patterns.is_empty() {
            return Ok(());
        }
        if self.regex.get().is_none() {
            let hir = self.parse(self.alternation())?;
            let regex = self.build_list(&hir)?;
            // A coarse regex can be smaller than the regex as written is allowed to be, so
            // that one is compiled too, to report the error now.
            if let Some((_, exact)) = &regex.exact {
                let _ = exact.set(Some(self.build_anchored(&hir)?));
            }
            let _ = self.regex.set(Some(regex));
        }
        if self.guarded.get().is_none() {
            let guarded = self.build_anchored(&self.parse(&self.guarded_pattern())?)?;
            let _ = self.guarded.set(Some(guarded));
        }
        Ok(())
    }

    /// Compiles the list's regex now, if not done yet (what its first use would do).
    pub fn prepare(&self) {
        let _ = self.regex();
    }

    /// The list's regex: coarse when some of its classes are large (see [`super::coarse`]),
    /// unless it serves one document (which uses no lazy DFA, whose memory that saves).
    fn build_list(&self, hir: &Hir) -> Result<ListRegex, regex::Error> {
        if !self.small
            && let Some((coarse, agreement)) = coarsen(hir)
        {
            return Ok(ListRegex { regex: self.build(&coarse, false)?, exact: Some((agreement, OnceLock::new())) });
        }
        Ok(ListRegex { regex: self.build(hir, self.small)?, exact: None })
    }

    /// A regex searched only anchored, where a match ends a few characters in: the list as
    /// written, for the matches of its coarse regex that may not be its own (in Italian copy
    /// they are many: an accented letter the coarse classes do not agree on), and the guarded
    /// list. It gets the PikeVM alone: a lazy DFA costs more to build and fill than it saves
    /// (and needs a reverse NFA as large again), and the backtracker would clear a visited set
    /// the size of the rest of the text at each search.
    fn build_anchored(&self, hir: &Hir) -> Result<Regex, regex::Error> {
        compile_hir(hir, |config| config.hybrid(false).onepass(false).backtrack(false))
    }

    /// Parses `pattern` as the list's regexes compile it. A list shared by a run is left-factored
    /// (see [`factor`]): its lazy DFA computes each new state in less time. A list narrowed to
    /// one document runs without a lazy DFA, and is small: factoring would cost more than it
    /// saves.
    fn parse(&self, pattern: &str) -> Result<Hir, regex::Error> {
        let config = syntax::Config::new().case_insensitive(!self.case_sensitive).utf8(true);
        let hir = syntax::parse_with(pattern, &config).map_err(|err| regex::Error::Syntax(err.to_string()))?;
        Ok(if self.small { hir } else { factor(hir) })
    }

    /// Compiles `hir` (see [`compile_hir`]). With `small`, it skips the lazy DFA and the
    /// one-pass DFA, which cost more to build than they save on one document.
    fn build(&self, hir: &Hir, small: bool) -> Result<Regex, regex::Error> {
        compile_hir(hir, |config| {
            if small { config.hybrid(false).onepass(false) } else { config.hybrid_cache_capacity(DFA_CACHE) }
        })
    }

    /// The list anchored, ending where [`ends_word`] lets a match end: before a character that
    /// is no word character, or after one (an elided article: `dall'` before `azienda`).
    fn guarded_pattern(&self) -> String {
        format!(r"^({})(?:\b{{end-half}}|\b{{start-half}})", self.alternation())
    }

    /// The regex; `None` for an empty list (it matches nothing, and is never compiled), or if
    /// a trusted pattern list does not compile (the tests rule that out for the built-in
    /// packs), and then the list matches nothing.
    fn regex(&self) -> Option<&ListRegex> {
        if self.patterns.is_empty() {
            return None;
        }
        self.regex.get_or_init(|| self.parse(self.alternation()).and_then(|hir| self.build_list(&hir)).ok()).as_ref()
    }

    fn guarded(&self) -> Option<&Regex> {
        if self.patterns.is_empty() {
            return None;
        }
        self.guarded.get_or_init(|| self.build_anchored(&self.parse(&self.guarded_pattern()).ok()?).ok()).as_ref()
    }

    /// The heap memory of the compiled regexes (automata and prefilters, not the per-thread
    /// caches), in bytes; 0 for a list not compiled yet.
    pub fn memory_usage(&self) -> usize {
        let list = self.regex.get().and_then(Option::as_ref);
        let exact = list.and_then(|l| l.exact.as_ref()?.1.get()?.as_ref());
        let rest = self.rest_exact.get().and_then(Option::as_ref);
        let guarded = self.guarded.get().and_then(Option::as_ref);
        list.map(|l| &l.regex).into_iter().chain(exact).chain(rest).chain(guarded).map(Regex::memory_usage).sum()
    }

    /// The patterns as one alternation, as compiled (without the case-insensitivity flag).
    pub fn alternation(&self) -> &str {
        self.alternation.get_or_init(|| {
            if self.patterns.is_empty() {
                // Matches nothing.
                return r"[^\s\S]".to_owned();
            }
            let pattern = |p: &str| unfold_letter_classes(&normalize_pattern(p));
            self.patterns.iter().map(|p| format!("(?:{})", pattern(p))).collect::<Vec<_>>().join("|")
        })
    }

    /// Checks one pattern alone, for error messages that point at it. A syntax error is shown
    /// in the pattern as written, not in the form it is compiled in. A pattern that can match
    /// an empty text (``, `a*`, `(?:x)?`) is an error: it would match everywhere.
    pub fn check_pattern(pattern: &str) -> Result<(), regex::Error> {
        if let Err(err) = regex_syntax::Parser::new().parse(pattern) {
            return Err(regex::Error::Syntax(err.to_string()));
        }
        let normalized = normalize_pattern(pattern);
        RegexBuilder::new(&normalized).size_limit(SIZE_LIMIT).build()?;
        let hir = syntax::parse(&normalized).map_err(|err| regex::Error::Syntax(err.to_string()))?;
        if hir.properties().minimum_len() == Some(0) {
            return Err(regex::Error::Syntax(
                "error: the pattern can match an empty text, so it would match everywhere".to_owned(),
            ));
        }
        Ok(())
    }

    /// Whether the raw regex may match anywhere (no boundary check, and a coarse regex may
    /// match where the patterns do not): a fast pre-test.
    pub fn is_match_raw(&self, text: &str) -> bool {
        self.regex().is_some_and(|list| list.regex.is_match(text))
    }

    /// Every match in `text` that respects word boundaries, as byte ranges.
    pub fn find_iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize)> + 't {
        let regex = self.regex();
        let mut at = 0;
        std::iter::from_fn(move || {
            let regex = regex?;
            while at <= text.len() {
                let (start, end) = self.search(regex, text, at)?;
                at = if end > start { end } else { next_char(text, end) };
                if !self.word_boundary {
                    return Some((start, end));
                }
                if !starts_word(text, start, end) {
                    at = next_char(text, start);
                    continue;
                }
                if ends_word(text, end) {
                    return Some((start, end));
                }
                // The leftmost-first alternative ended inside a word; a longer one may not.
                if let Some(end) = self.guarded_end(text, start) {
                    at = end.max(next_char(text, start));
                    return Some((start, end));
                }
                at = next_char(text, start);
            }
            None
        })
    }

    /// The leftmost-first match of the patterns in `text` at or after `at`, as a byte range.
    fn search(&self, list: &ListRegex, text: &str, at: usize) -> Option<(usize, usize)> {
        let found = list.regex.search(&Input::new(text).range(at..))?;
        let Some((agreement, exact)) = &list.exact else { return Some((found.start(), found.end())) };
        if text.get(found.range()).is_some_and(|m| agreement.admits(m)) {
            return Some((found.start(), found.end()));
        }
        // Every match of the patterns as written is a match of the coarse regex at the same
        // start, so none starts before this one: their match at this start, if any, is the
        // leftmost one.
        let exact = exact.get_or_init(|| self.build_anchored(&self.parse(self.alternation()).ok()?).ok()).as_ref()?;
        let here = Input::new(text).range(found.start()..).anchored(Anchored::Yes);
        if let Some(own) = exact.search(&here) {
            return Some((own.start(), own.end()));
        }
        // None here: one search through the rest of the text, rather than one per coarse
        // match, keeps a line of many such candidates linear.
        let rest = self.rest_exact.get_or_init(|| self.build(&self.parse(self.alternation()).ok()?, false).ok());
        let found = rest.as_ref()?.search(&Input::new(text).range(next_char(text, found.start())..))?;
        Some((found.start(), found.end()))
    }

    /// Where a match that starts at `start` ends at a word's end, when some alternative does.
    /// The guarded regex ends with a zero-width assertion, so its match ends where its group
    /// does: a search finds it, with no captures (which would need a slower engine).
    fn guarded_end(&self, text: &str, start: usize) -> Option<usize> {
        let rest = text.get(start..)?;
        let found = self.guarded()?.search(&Input::new(rest).anchored(Anchored::Yes))?;
        (found.end() > 0 && ends_word(text, start + found.end())).then_some(start + found.end())
    }
}

/// Compiles `hir` as the `regex` crate would (leftmost-first, UTF-8, the same limits, its
/// errors), with the engines `engines` chooses and without a literal prefilter: the gate
/// already runs a list only over the blocks where one of its patterns can match, so a
/// prefilter costs time to build and saves none (measured: 2% fewer instructions without it,
/// over a small tree and over big files).
fn compile_hir(hir: &Hir, engines: impl FnOnce(meta::Config) -> meta::Config) -> Result<Regex, regex::Error> {
    let config = meta::Config::new()
        .match_kind(RegexMatchKind::LeftmostFirst)
        .utf8_empty(true)
        .nfa_size_limit(Some(SIZE_LIMIT))
        .auto_prefilter(false);
    meta::Builder::new().configure(engines(config)).build_from_hir(hir).map_err(|err| match err.size_limit() {
        Some(limit) => regex::Error::CompiledTooBig(limit),
        None => regex::Error::Syntax(err.to_string()),
    })
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn next_char(text: &str, at: usize) -> usize {
    char_after(text, at).map_or(at + 1, |c| at + c.len_utf8())
}

/// A match may start here: it does not continue a word (hashtags and handles count as words).
fn starts_word(text: &str, start: usize, end: usize) -> bool {
    let first = text.get(start..end).and_then(|m| m.chars().next());
    let needs_gap = first.is_some_and(|c| is_word(c) || c == '#' || c == '@');
    if !needs_gap {
        return true;
    }
    !char_before(text, start).is_some_and(is_word)
}

/// A match may end here: the last matched char and the next are not both word chars.
fn ends_word(text: &str, end: usize) -> bool {
    !(char_before(text, end).is_some_and(is_word) && char_after(text, end).is_some_and(is_word))
}

/// Patterns with their case sensitivity.
pub type PatternList = Vec<(String, bool)>;

/// One rule's way into the prefilter: its id and the pattern lists any of which must match.
pub type RuleGate = (String, Vec<PatternList>);

/// A set of pattern lists, by [`MatcherId`] index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatcherSet(Vec<u64>);

impl MatcherSet {
    fn empty(len: usize) -> Self {
        MatcherSet(vec![0; len.div_ceil(64)])
    }

    fn full(len: usize) -> Self {
        MatcherSet(vec![u64::MAX; len.div_ceil(64)])
    }

    fn insert(&mut self, index: usize) {
        if let Some(word) = self.0.get_mut(index / 64) {
            *word |= 1 << (index % 64);
        }
    }

    /// Whether the set holds `id`.
    pub fn contains(&self, id: MatcherId) -> bool {
        self.0.get(id.0 / 64).is_some_and(|word| word & (1 << (id.0 % 64)) != 0)
    }
}

/// Which pattern lists can match a text at all, found in one pass over it.
///
/// Every match of a pattern contains a fragment of each of the pattern's clauses (see
/// [`pattern_clauses`]: `@\w+ (?:just )?sent (?:me|us)` needs `@` and `sent`), so one
/// multi-literal search over a block for the fragments of every pattern tells which patterns
/// can match there: those with every clause found. A list is run only where one of its patterns
/// can match. The search ignores ASCII case, which covers what a case-insensitive regex matches
/// except two characters that fold to ASCII letters (the Kelvin sign and the long s): a text
/// holding one of them lets every list through. A list with a pattern without a usable clause
/// is always run.
#[derive(Debug)]
pub struct Gate {
    /// Over a tree: one automaton for every fragment, built once for the run.
    pub(crate) searcher: Option<AhoCorasick>,
    /// For a few texts: the fragments, each looked for on its own (see [`Gate::fragment_hits`]).
    fragments: Vec<Cow<'static, str>>,
    /// For a few texts too long for that: an automaton, built on first need.
    few_searcher: OnceLock<Option<AhoCorasick>>,
    /// For each fragment, the clauses it satisfies: a gated pattern, the clause's bit and
    /// whether the fragment counts only beside a character that is not a letter or a digit
    /// (before it, after it). Fragment `f`'s are `owners[owner_starts[f]..owner_starts[f + 1]]`.
    owners: Vec<Owner>,
    owner_starts: Vec<u32>,
    /// For each fragment, whether some owner needs to know what stands beside it.
    edged: Vec<bool>,
    /// For each gated pattern, its list and the bits of all its clauses.
    patterns: Vec<(usize, u64)>,
    /// Lists run on every text.
    always: MatcherSet,
    /// Lists never run over whole blocks (see [`Gate::build`]).
    windows: MatcherSet,
    /// Per list: the id of its first gated pattern (its patterns are numbered in a row), or
    /// `None` when the list is always run.
    first_pattern: Vec<Option<u32>>,
    /// Built for a few texts. Such a gate narrows a document's lists to the patterns found in
    /// it (see [`Gate::narrowed`]), and searches an ASCII-lowercased copy of each text. The
    /// fragments are lowercase, so that finds what an ASCII case-insensitive automaton finds,
    /// at the same offsets, and such an automaton takes twice the transitions to build. For a
    /// few texts building the automaton is most of the gate's cost; over a tree, copying
    /// every block would cost more than the build saves.
    few_texts: bool,
    len: usize,
}

/// The clauses of a gated pattern: borrowed from `build.rs`'s tables for a built-in pattern,
/// computed for a third-party one.
enum PatternClauses {
    Static(&'static [&'static [StaticFragment]]),
    Owned(Vec<Vec<Fragment>>),
}

impl PatternClauses {
    /// Calls `take` with each fragment of each clause: the clause's index, the fragment's text
    /// and what stands before and after it.
    fn for_each(&self, mut take: impl FnMut(usize, Cow<'static, str>, Edge, Edge)) {
        match self {
            PatternClauses::Static(clauses) => {
                for (at, clause) in clauses.iter().enumerate() {
                    for &(text, before, after) in *clause {
                        take(at, Cow::Borrowed(text), before, after);
                    }
                }
            }
            PatternClauses::Owned(clauses) => {
                for (at, clause) in clauses.iter().enumerate() {
                    for fragment in clause {
                        take(at, Cow::Owned(fragment.text.clone()), fragment.before, fragment.after);
                    }
                }
            }
        }
    }
}

/// The owners of `fragment` (see [`Gate::owners`]).
fn owners_of<'o>(owners: &'o [Owner], starts: &[u32], fragment: usize) -> &'o [Owner] {
    let from = starts.get(fragment).copied().unwrap_or(0) as usize;
    let to = starts.get(fragment + 1).copied().unwrap_or(0) as usize;
    owners.get(from..to).unwrap_or_default()
}

/// A clause that a fragment satisfies, and where (see [`Gate::owners`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Owner {
    pattern: u32,
    bit: u64,
    closed_before: bool,
    closed_after: bool,
}

/// What the gate lets through in a document's blocks.
#[derive(Debug)]
pub struct Candidates {
    /// Per block, the lists that can match it: a [`MatcherSet`]'s words, `words` per block,
    /// one after the other (one vector, not one per block: a big file has tens of thousands).
    blocks: Vec<u64>,
    words: usize,
    /// The blocks each list can match, in order, list after list: the same facts as `blocks`,
    /// so that a list is run over its blocks without a look at every other one. List `i`'s
    /// blocks are `lists[starts[i]..starts[i + 1]]` (two vectors per document, not one per
    /// list grown block by block).
    lists: Vec<u32>,
    starts: Vec<u32>,
    /// The lists the gate lets through every block (see [`Gate::build`]).
    everywhere: MatcherSet,
    /// The gated patterns that can match in the document.
    patterns: PatternsFound,
}

/// The gated patterns that can match in some text of a document, a bit each; all of them
/// when a text holds a character the search can't see.
#[derive(Debug)]
struct PatternsFound {
    bits: Vec<u64>,
    all: bool,
}

impl Candidates {
    /// Whether list `id` can match block `block`; true for a block the gate did not see.
    pub fn block_may_match(&self, block: usize, id: MatcherId) -> bool {
        let Some(word) = block.checked_mul(self.words).and_then(|at| at.checked_add(id.0 / 64)) else { return true };
        self.blocks.get(word).is_none_or(|word| word & (1 << (id.0 % 64)) != 0)
    }

    /// The blocks list `id` can match, in order.
    pub fn blocks_of(&self, id: MatcherId) -> impl Iterator<Item = usize> + '_ {
        let from = self.starts.get(id.0).map_or(0, |&at| at as usize);
        let to = self.starts.get(id.0 + 1).map_or(0, |&at| at as usize);
        let indexed = self.lists.get(from..to).into_iter().flatten().map(|&block| block as usize);
        let everywhere = if self.everywhere.contains(id) { 0..self.blocks.len() / self.words.max(1) } else { 0..0 };
        indexed.chain(everywhere)
    }

    /// Fills `lists` and `starts` from `blocks`: the blocks of each of `len` lists, in order.
    /// The lists let through everywhere are not indexed: they have every block.
    fn index_lists(&mut self, len: usize) {
        let words = self.words.max(1);
        let mut starts = vec![0u32; len + 1];
        let everywhere = &self.everywhere.0;
        let gated = |at: usize, word: u64| word & !everywhere.get(at % words).copied().unwrap_or(0);
        for (at, &word) in self.blocks.iter().enumerate() {
            for list in set_bits(at % words, gated(at, word)).filter(|&list| list < len) {
                if let Some(count) = starts.get_mut(list + 1) {
                    *count += 1;
                }
            }
        }
        counts_to_starts(&mut starts);
        let mut next = starts.clone();
        let mut lists = vec![0u32; starts.last().map_or(0, |&n| n as usize)];
        for (at, &word) in self.blocks.iter().enumerate() {
            let block = u32::try_from(at / words).unwrap_or(u32::MAX);
            for list in set_bits(at % words, gated(at, word)).filter(|&list| list < len) {
                if let Some(slot) = next.get_mut(list)
                    && let Some(entry) = lists.get_mut(*slot as usize)
                {
                    *entry = block;
                    *slot += 1;
                }
            }
        }
        self.lists = lists;
        self.starts = starts;
    }
}

/// Turns per-key counts, stored one slot on (`starts[k + 1]` is key `k`'s count), into where
/// each key's entries start: key `k`'s are `starts[k]..starts[k + 1]` of the filled vector.
fn counts_to_starts(starts: &mut [u32]) {
    let mut total = 0u32;
    for slot in starts.iter_mut() {
        total = total.saturating_add(*slot);
        *slot = total;
    }
}

/// The indexes of the bits set in `word`, the `at`-th word of a set.
fn set_bits(at: usize, word: u64) -> impl Iterator<Item = usize> {
    let mut rest = word;
    std::iter::from_fn(move || {
        (rest != 0).then(|| {
            let bit = rest.trailing_zeros() as usize;
            rest &= rest - 1;
            at * 64 + bit
        })
    })
}

impl Gate {
    /// Builds the gate for `matchers` (indexed as [`MatcherId`]s). The lists in `windows` are
    /// never run over whole blocks, only over a few words (negators, mention cues, titles):
    /// looking for their fragments in every block would cost more than it saves, so they are
    /// always let through. With `many_texts`, the search is built as a DFA: slower to build,
    /// faster over a whole tree.
    pub fn build(matchers: &[Matcher], windows: &[MatcherId], many_texts: bool) -> Gate {
        let len = matchers.len();
        let mut always = MatcherSet::empty(len);
        for id in windows {
            always.insert(id.0);
        }
        let window_set = always.clone();
        let mut fragments: Vec<Cow<'static, str>> = Vec::new();
        let mut index: HashMap<Cow<'static, str>, u32, foldhash::fast::FixedState> = HashMap::default();
        // Each clause a fragment satisfies, as (fragment, owner), gathered into one vector and
        // grouped by fragment at the end (one allocation, not one per fragment).
        let mut owned: Vec<(u32, Owner)> = Vec::new();
        let mut patterns: Vec<(usize, u64)> = Vec::new();
        let mut first_pattern = vec![None; len];
        for (list, matcher) in matchers.iter().enumerate() {
            if always.contains(MatcherId(list)) {
                continue;
            }
            // The edge of a match is a word boundary only where the list checks them.
            let closed = |edge: Edge| edge == Edge::Closed || (edge == Edge::Match && matcher.word_boundary);
            // The built-in patterns' clauses are borrowed from what `build.rs` wrote; only a
            // third-party pattern's are computed (and allocated) here.
            let clauses: Option<Vec<PatternClauses>> = matcher
                .patterns
                .iter()
                .map(|p| match builtin_static_clauses(p) {
                    Some(found) => found.map(PatternClauses::Static),
                    None => pattern_clauses(p).map(PatternClauses::Owned),
                })
                .collect();
            let Some(clauses) = clauses else {
                always.insert(list);
                continue;
            };
            if let Some(slot) = first_pattern.get_mut(list) {
                *slot = u32::try_from(patterns.len()).ok();
            }
            for pattern in &clauses {
                let Ok(id) = u32::try_from(patterns.len()) else {
                    always.insert(list);
                    continue;
                };
                let mut all = 0;
                pattern.for_each(|clause, text, before, after| {
                    let bit = 1u64 << clause;
                    all |= bit;
                    let key = if text.bytes().any(|b| b.is_ascii_uppercase()) {
                        Cow::Owned(text.to_ascii_lowercase())
                    } else {
                        text
                    };
                    let next = u32::try_from(fragments.len()).unwrap_or(u32::MAX);
                    let at = *index.entry(key).or_insert_with_key(|key| {
                        fragments.push(key.clone());
                        next
                    });
                    let owner = Owner { pattern: id, bit, closed_before: closed(before), closed_after: closed(after) };
                    owned.push((at, owner));
                });
                patterns.push((list, all));
            }
        }
        // Grouped by fragment, each owner once, in the order found.
        owned.sort_by_key(|(fragment, _)| *fragment);
        owned.dedup();
        let mut owner_starts = vec![0u32; fragments.len() + 1];
        for (fragment, _) in &owned {
            if let Some(count) = owner_starts.get_mut(*fragment as usize + 1) {
                *count += 1;
            }
        }
        counts_to_starts(&mut owner_starts);
        let owners: Vec<Owner> = owned.into_iter().map(|(_, owner)| owner).collect();
        // A separator between texts that no fragment holds lets a few texts be searched as one.
        if fragments.iter().any(|f| f.is_empty() || f.contains(TEXT_SEPARATOR)) {
            return Gate::open(len);
        }
        let searcher = if fragments.is_empty() || !many_texts {
            None
        } else {
            match AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .prefilter(false)
                .kind(Some(AhoCorasickKind::DFA))
                .match_kind(MatchKind::Standard)
                .build(fragments.iter().map(|f| f.as_bytes()))
            {
                Ok(searcher) => Some(searcher),
                Err(_) => return Gate::open(len),
            }
        };
        let edged = (0..fragments.len())
            .map(|fragment| {
                owners_of(&owners, &owner_starts, fragment).iter().any(|o| o.closed_before || o.closed_after)
            })
            .collect();
        // Over a tree the automaton holds the fragments.
        let fragments = if many_texts { Vec::new() } else { fragments };
        Gate {
            searcher,
            fragments,
            few_searcher: OnceLock::new(),
            owners,
            owner_starts,
            edged,
            patterns,
            always,
            windows: window_set,
            first_pattern,
            few_texts: !many_texts,
            len,
        }
    }

    /// A gate that lets every list through.
    fn open(len: usize) -> Gate {
        Gate {
            searcher: None,
            fragments: Vec::new(),
            few_searcher: OnceLock::new(),
            owners: Vec::new(),
            owner_starts: Vec::new(),
            edged: Vec::new(),
            patterns: Vec::new(),
            always: MatcherSet::full(len),
            windows: MatcherSet::empty(len),
            first_pattern: vec![None; len],
            few_texts: false,
            len,
        }
    }

    /// Whether list `id` is run over whole blocks (and so looked for by the gate).
    pub fn runs_over_blocks(&self, id: MatcherId) -> bool {
        !self.windows.contains(id)
    }

    /// The lists that can match somewhere in `text`.
    pub fn candidates(&self, text: &str) -> MatcherSet {
        let mut set = MatcherSet::empty(self.len);
        self.candidates_with(text, &mut Scratch::default(), None, &mut set.0);
        set
    }

    /// The lists that can match somewhere in each of `blocks` (the blocks of a document), and
    /// the patterns that can match in any of them or in any of `others` (the document's link
    /// destinations and alt text, which lists are also run over).
    pub fn candidates_of<'t>(
        &self,
        blocks: impl IntoIterator<Item = &'t str>,
        others: impl IntoIterator<Item = &'t str>,
    ) -> Candidates {
        let words = self.len.div_ceil(64);
        let blocks = blocks.into_iter();
        let mut found = Candidates {
            blocks: Vec::with_capacity(blocks.size_hint().0.saturating_mul(words)),
            words,
            lists: Vec::new(),
            starts: Vec::new(),
            everywhere: self.always.clone(),
            patterns: PatternsFound { bits: vec![0; self.patterns.len().div_ceil(64)], all: false },
        };
        SCRATCH.with_borrow_mut(|scratch| {
            if self.few_texts {
                // The fragments are looked for in every text at once.
                let mut texts: Vec<&str> = blocks.collect();
                let block_count = texts.len();
                texts.extend(others);
                let hits = self.few_hits(&texts, scratch);
                let mut rest = hits.as_deref();
                let mut other = vec![0; words];
                for (index, text) in texts.iter().enumerate() {
                    // This text's hits come first in what is left (they are in text order).
                    let mine = rest.map(|hits| {
                        let count = hits.partition_point(|hit| hit.0 as usize <= index);
                        let (mine, after) = hits.split_at(count);
                        rest = Some(after);
                        mine
                    });
                    let set = if index < block_count {
                        let at = found.blocks.len();
                        found.blocks.resize(at + words, 0);
                        found.blocks.get_mut(at..).unwrap_or_default()
                    } else {
                        &mut other[..]
                    };
                    self.take_hits(text, mine, scratch, Some(&mut found.patterns), set);
                }
                return;
            }
            for text in blocks {
                // Each block's set is written in place, at the end of `blocks`.
                let at = found.blocks.len();
                found.blocks.resize(at + words, 0);
                let set = found.blocks.get_mut(at..).unwrap_or_default();
                self.candidates_with(text, scratch, Some(&mut found.patterns), set);
            }
            let mut set = vec![0; words];
            for text in others {
                self.candidates_with(text, scratch, Some(&mut found.patterns), &mut set);
            }
        });
        found.index_lists(self.len);
        found
    }

    /// List `id` narrowed to the patterns that can match somewhere in the texts of
    /// `candidates`, when that leaves some out and this gate narrows (few texts checked: a
    /// smaller list compiles in less time than the whole list, and no other document would
    /// reuse the whole one). A pattern that matches nowhere in a text never changes which
    /// match an alternation finds in it, so the narrowed list finds the same matches in those
    /// texts.
    pub fn narrowed(&self, matcher: &Matcher, id: MatcherId, candidates: &Candidates) -> Option<Matcher> {
        if !self.few_texts || candidates.patterns.all {
            return None;
        }
        let first = (*self.first_pattern.get(id.0)?)? as usize;
        let keep: Vec<usize> = (0..matcher.patterns.len())
            .filter(|index| {
                let bit = first + index;
                candidates.patterns.bits.get(bit / 64).is_some_and(|word| word & (1 << (bit % 64)) != 0)
            })
            .collect();
        (keep.len() < matcher.patterns.len()).then(|| matcher.subset(&keep))
    }

    /// [`Gate::candidates`], written into `set` (the words of a [`MatcherSet`]), with the
    /// scratch space kept between calls (all clear between calls); the patterns found are
    /// added to `patterns`, when given.
    fn candidates_with(
        &self,
        text: &str,
        scratch: &mut Scratch,
        patterns: Option<&mut PatternsFound>,
        set: &mut [u64],
    ) {
        let hits = self.few_hits(&[text], scratch);
        self.take_hits(text, hits.as_deref(), scratch, patterns, set);
    }

    /// [`Gate::fragment_hits`] for a few short texts; `None` when the automaton searches them
    /// (over a tree, or texts too long to search once per fragment).
    fn few_hits(&self, texts: &[&str], scratch: &mut Scratch) -> Option<Vec<(u32, u32, u32)>> {
        if !self.few_texts || texts.iter().map(|t| t.len() + 1).sum::<usize>() > FEW_TEXTS_BYTES {
            return None;
        }
        Some(self.fragment_hits(texts, scratch))
    }

    /// The automaton that searches a gate's texts: built with the gate over a tree; for a
    /// few texts, on first need (texts too long to search once per fragment).
    fn searcher(&self) -> Option<&AhoCorasick> {
        if !self.few_texts {
            return self.searcher.as_ref();
        }
        self.few_searcher
            .get_or_init(|| {
                if self.fragments.is_empty() {
                    return None;
                }
                AhoCorasick::builder()
                    .prefilter(false)
                    .kind(Some(AhoCorasickKind::NoncontiguousNFA))
                    .match_kind(MatchKind::Standard)
                    .build(self.fragments.iter().map(|f| f.as_bytes()))
                    .ok()
            })
            .as_ref()
    }

    /// Where each fragment is found in `texts` (for a gate built for a few texts): the text,
    /// the fragment and where it starts, in the order of the texts. The texts are searched as
    /// one ASCII-lowercased string with a separator that no fragment holds: an index of where
    /// each pair of bytes starts in it gives the places to compare each fragment with. For a
    /// few kilobytes that takes a fraction of what building one automaton for every fragment
    /// takes (measured on a 5 KiB file: 0.9 M instructions against 10 M).
    fn fragment_hits(&self, texts: &[&str], scratch: &mut Scratch) -> Vec<(u32, u32, u32)> {
        let folded = &mut scratch.folded;
        folded.clear();
        let mut starts = Vec::with_capacity(texts.len());
        for text in texts {
            starts.push(folded.len());
            folded.push_str(text);
            folded.push(TEXT_SEPARATOR);
        }
        folded.make_ascii_lowercase();
        let haystack = folded.as_bytes();
        let index = PairIndex::new(haystack);
        let mut hits = Vec::new();
        let mut hit = |at: usize, fragment: usize| {
            let text = starts.partition_point(|&start| start <= at).saturating_sub(1);
            let start = at - starts.get(text).copied().unwrap_or(0);
            if let (Ok(text), Ok(fragment), Ok(start)) =
                (u32::try_from(text), u32::try_from(fragment), u32::try_from(start))
            {
                hits.push((text, fragment, start));
            }
        };
        for (fragment, needle) in self.fragments.iter().enumerate() {
            match needle.as_bytes() {
                [] => {}
                [byte] => memchr::memchr_iter(*byte, haystack).for_each(|at| hit(at, fragment)),
                bytes => {
                    for &at in index.starts_of(bytes) {
                        let at = at as usize;
                        if haystack.get(at..).is_some_and(|rest| rest.starts_with(bytes)) {
                            hit(at, fragment);
                        }
                    }
                }
            }
        }
        hits.sort_unstable();
        hits
    }

    /// Writes into `set` the lists that can match `text`, from the fragments the search
    /// found there (for a few texts: `hits`, this text's part of [`Gate::fragment_hits`]; over
    /// a tree the automaton is run here), and adds the patterns found to `patterns`.
    fn take_hits(
        &self,
        text: &str,
        hits: Option<&[(u32, u32, u32)]>,
        scratch: &mut Scratch,
        mut patterns: Option<&mut PatternsFound>,
        set: &mut [u64],
    ) {
        if hides_fragments(text) {
            if let Some(patterns) = patterns {
                patterns.all = true;
            }
            set.fill(u64::MAX);
            return;
        }
        for (word, always) in set.iter_mut().zip(self.always.0.iter().chain(std::iter::repeat(&0))) {
            *word = *always;
        }
        if scratch.seen.len() < self.edged.len() {
            scratch.seen.resize(self.edged.len(), 0);
        }
        if scratch.clauses.len() < self.patterns.len() {
            scratch.clauses.resize(self.patterns.len(), 0);
        }
        if let Some(hits) = hits {
            for &(_, fragment, start) in hits {
                let fragment = fragment as usize;
                let start = start as usize;
                let end = start + self.fragments.get(fragment).map_or(0, |f| f.len());
                self.take(text, fragment, start, end, scratch);
            }
        } else if let Some(searcher) = self.searcher() {
            // Over a few long texts, the automaton reads an ASCII-lowercased copy (the
            // fragments are lowercase): see [`Gate::few_texts`].
            let mut folded = std::mem::take(&mut scratch.folded);
            let haystack = if self.few_texts {
                folded.clear();
                folded.push_str(text);
                folded.make_ascii_lowercase();
                folded.as_str()
            } else {
                text
            };
            for hit in searcher.find_overlapping_iter(haystack) {
                self.take(text, hit.pattern().as_usize(), hit.start(), hit.end(), scratch);
            }
            scratch.folded = folded;
        } else if self.few_texts && !self.fragments.is_empty() {
            // The automaton did not build: let every list through, as for an open gate.
            if let Some(patterns) = patterns {
                patterns.all = true;
            }
            set.fill(u64::MAX);
            return;
        }
        for pattern in scratch.patterns.drain(..) {
            let Some(bits) = scratch.clauses.get_mut(pattern as usize) else { continue };
            if let Some(&(list, all)) = self.patterns.get(pattern as usize)
                && *bits == all
            {
                if let Some(word) = set.get_mut(list / 64) {
                    *word |= 1 << (list % 64);
                }
                if let Some(word) = patterns.as_deref_mut().and_then(|p| p.bits.get_mut(pattern as usize / 64)) {
                    *word |= 1 << (pattern % 64);
                }
            }
            *bits = 0;
        }
        for fragment in scratch.fragments.drain(..) {
            if let Some(seen) = scratch.seen.get_mut(fragment) {
                *seen = 0;
            }
        }
    }

    /// Takes one fragment found in `text` at `start..end`: the clauses it satisfies there.
    fn take(&self, text: &str, fragment: usize, start: usize, end: usize, scratch: &mut Scratch) {
        let (closed_before, closed_after) = if self.edged.get(fragment) == Some(&true) {
            let closed = |c: Option<char>| Edge::beside(c) == Edge::Closed;
            (closed(char_before(text, start)), closed(char_after(text, end)))
        } else {
            (true, true)
        };
        // A fragment found again in the same text adds nothing, unless it now stands where
        // it did not before (between a space and a comma, after it stood inside a word).
        let beside = usize::from(closed_before) << 1 | usize::from(closed_after);
        let Some(seen) = scratch.seen.get_mut(fragment) else { return };
        if *seen & (1 << beside) != 0 {
            return;
        }
        if *seen == 0 {
            scratch.fragments.push(fragment);
        }
        // Standing closed on a side also satisfies what needs that side open.
        *seen |= COVERED[beside];
        for owner in owners_of(&self.owners, &self.owner_starts, fragment) {
            if (owner.closed_before && !closed_before) || (owner.closed_after && !closed_after) {
                continue;
            }
            let Some(bits) = scratch.clauses.get_mut(owner.pattern as usize) else { continue };
            if *bits == 0 {
                scratch.patterns.push(owner.pattern);
            }
            *bits |= owner.bit;
        }
    }
}

/// The most text (in bytes) that a gate built for a few texts searches once per fragment; it
/// builds its automaton for more. For a few kilobytes the searches take a fraction of the
/// automaton's construction; a big file would be read thousands of times.
const FEW_TEXTS_BYTES: usize = 16 * 1024;

/// Where each pair of bytes of a text starts, by a key of the pair (keys may collide: a
/// candidate start is checked against the whole fragment): an index that finds every
/// fragment of two bytes or more in a few lookups, built in one pass over the text.
struct PairIndex {
    /// Bucket `k`'s starts are `starts[bounds[k]..bounds[k + 1]]`, in increasing order.
    bounds: Vec<u32>,
    starts: Vec<u32>,
}

impl PairIndex {
    const BUCKETS: usize = 4096;

    /// Twelve bits of the pair: the first byte's eight above the second's top four, mixed with
    /// the second's eight, so that letters, digits and the bytes of accented letters (which
    /// share their low bits) seldom share a bucket.
    fn key(first: u8, second: u8) -> usize {
        ((usize::from(first) << 4) ^ usize::from(second)) & (Self::BUCKETS - 1)
    }

    fn new(text: &[u8]) -> PairIndex {
        let mut bounds = vec![0u32; Self::BUCKETS + 1];
        for pair in text.windows(2) {
            if let [first, second] = pair
                && let Some(count) = bounds.get_mut(Self::key(*first, *second) + 1)
            {
                *count += 1;
            }
        }
        counts_to_starts(&mut bounds);
        let mut next = bounds.clone();
        let mut starts = vec![0u32; text.len().saturating_sub(1)];
        for (at, pair) in text.windows(2).enumerate() {
            if let [first, second] = pair
                && let Some(slot) = next.get_mut(Self::key(*first, *second))
            {
                if let Some(entry) = starts.get_mut(*slot as usize) {
                    *entry = u32::try_from(at).unwrap_or(u32::MAX);
                }
                *slot += 1;
            }
        }
        PairIndex { bounds, starts }
    }

    /// Where a fragment beginning with `bytes`' first two bytes may start.
    fn starts_of(&self, bytes: &[u8]) -> &[u32] {
        let [first, second, ..] = bytes else { return &[] };
        let key = Self::key(*first, *second);
        let from = self.bounds.get(key).copied().unwrap_or(0) as usize;
        let to = self.bounds.get(key + 1).copied().unwrap_or(0) as usize;
        self.starts.get(from..to).unwrap_or_default()
    }
}

/// What separates texts searched as one (see [`Gate::fragment_hits`]).
const TEXT_SEPARATOR: char = '\0';

/// Where a fragment was found, as a bit index: 2 when closed before it, plus 1 when closed
/// after it; for each, the bits of every place that finding covers.
const COVERED: [u8; 4] = [0b0001, 0b0011, 0b0101, 0b1111];

/// Whether `text` holds one of the two characters that a case-insensitive regex matches as an
/// ASCII letter (the Kelvin sign and the long s), which the gate's ASCII search can't see.
fn hides_fragments(text: &str) -> bool {
    // U+212A is E2 84 AA in UTF-8, U+017F is C5 BF: look for the lead bytes, a fast byte
    // search, then at what follows them.
    let bytes = text.as_bytes();
    memchr::memchr2_iter(0xE2, 0xC5, bytes).any(|at| match bytes.get(at) {
        Some(0xE2) => bytes.get(at + 1..at + 3) == Some(&[0x84, 0xAA][..]),
        _ => bytes.get(at + 1) == Some(&0xBF),
    })
}

thread_local! {
    /// Each thread's [`Scratch`], kept from one document to the next.
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

/// What [`Gate::candidates_with`] keeps between calls, to allocate once per thread. Its
/// vectors may be longer than a gate needs (another gate used them): all clear all the same.
#[derive(Default)]
struct Scratch {
    /// The ASCII-lowercased copy of the current text (for a gate built for few texts).
    folded: String,
    /// Per fragment: where it was found in the current text, a bit per [`COVERED`] index.
    seen: Vec<u8>,
    /// The fragments found in the current text.
    fragments: Vec<usize>,
    /// Per gated pattern: the bits of its clauses found in the current text.
    clauses: Vec<u64>,
    /// The patterns with a clause found in the current text.
    patterns: Vec<u32>,
}

/// A cheap test on raw file bytes that says whether any trigger could match, so that files
/// that cannot hold a finding are never parsed.
#[derive(Clone, Debug)]
pub struct Prefilter {
    /// `None` when some trigger has no usable literal: every file is parsed.
    searcher: Option<AhoCorasick>,
    /// Why the prefilter is off, for `womlint rules --verbose` and the tests.
    pub disabled_by: Option<String>,
    /// How many literal fragments it looks for.
    pub fragments: usize,
}

impl Prefilter {
    /// A prefilter that lets everything through.
    pub fn off(reason: impl Into<String>) -> Self {
        Prefilter { searcher: None, disabled_by: Some(reason.into()), fragments: 0 }
    }

    /// Builds the prefilter. Each gate is one rule's alternatives: pattern lists any of which
    /// must match for the rule to find anything (its triggers, or what it requires). The
    /// strongest alternative of each gate is used; a gate with no usable one switches the
    /// prefilter off.
    pub fn build(gates: &[RuleGate]) -> Prefilter {
        let mut fragments: Vec<String> = Vec::new();
        for (rule, alternatives) in gates {
            let best = alternatives
                .iter()
                .filter_map(|patterns| {
                    let mut set = Vec::new();
                    for (pattern, _) in patterns {
                        set.extend(builtin_raw_fragments(pattern).unwrap_or_else(|| raw_fragments(pattern))?);
                    }
                    (!set.is_empty()).then_some(set)
                })
                .max_by_key(|set| weakest(set));
            match best {
                Some(set) => fragments.extend(set),
                None => return Prefilter::off(format!("no literal to look for in the triggers of `{rule}`")),
            }
        }
        // The search ignores ASCII case only: keep the part of each fragment it compares
        // exactly as a case-insensitive regex would (`pubblicità` is looked for as `pubblicit`).
        let mut fragments: Vec<String> = fragments
            .iter()
            .filter_map(|f| {
                f.split(|c: char| !(c.is_ascii() || is_caseless(c)))
                    .max_by_key(|run| run.len())
                    .filter(|run| !run.is_empty())
                    .map(str::to_ascii_lowercase)
            })
            .collect();
        fragments.sort();
        fragments.dedup();
        if fragments.is_empty() {
            return Prefilter { searcher: None, disabled_by: None, fragments: 0 };
        }
        match AhoCorasick::builder().ascii_case_insensitive(true).match_kind(MatchKind::LeftmostFirst).build(&fragments)
        {
            Ok(searcher) => Prefilter { searcher: Some(searcher), disabled_by: None, fragments: fragments.len() },
            Err(err) => Prefilter::off(format!("prefilter did not build: {err}")),
        }
    }

    /// Whether `raw` (a whole file) may hold a trigger. Never false when a trigger is there.
    pub fn may_match(&self, raw: &str) -> bool {
        match &self.searcher {
            None => self.disabled_by.is_some(),
            // Two characters fold to ASCII letters in a case-insensitive regex: let them through.
            Some(searcher) => searcher.is_match(raw) || has_escapes(raw) || raw.contains(['\u{212A}', '\u{17F}']),
        }
    }

    /// The first literal found in `raw`, to see why a file went through.
    pub fn first_hit<'t>(&self, raw: &'t str) -> Option<&'t str> {
        let found = self.searcher.as_ref()?.find(raw)?;
        raw.get(found.start()..found.end())
    }

    pub fn is_active(&self) -> bool {
        self.searcher.is_some() || self.disabled_by.is_none()
    }
}

/// Markdown character references, backslash escapes and markup inside a word (`gift**ed**`,
/// `[gif](u)ted`, `gift<b>ed</b>`) change text between the file and the prose, so a literal
/// may be hidden in the raw bytes: such files always go through.
fn has_escapes(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    let splits_word = bytes.iter().enumerate().any(|(i, &b)| {
        let before = i.checked_sub(1).and_then(|j| bytes.get(j)).is_some_and(u8::is_ascii_alphanumeric);
        match b {
            // Emphasis with a letter on both sides: `gift**ed**`.
            b'*' | b'~' => {
                let run = bytes.get(i..).map_or(0, |rest| rest.iter().take_while(|&&c| c == b).count());
                before && bytes.get(i + run).is_some_and(u8::is_ascii_alphanumeric)
            }
            // A tag or a link that starts inside a word: `gift<b>ed`, `gift[ed](u)`.
            b'<' | b'[' => before,
            // A link that ends inside a word: `[gif](u)ted`.
            b')' | b']' => bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric),
            _ => false,
        }
    });
    if splits_word {
        return true;
    }
    memchr::memchr_iter(b'&', bytes).any(|i| {
        let rest = bytes.get(i + 1..).unwrap_or_default();
        let name_len = rest.iter().take(32).take_while(|b| b.is_ascii_alphanumeric() || **b == b'#').count();
        name_len > 0 && rest.get(name_len) == Some(&b';')
    }) || memchr::memchr_iter(b'\\', bytes).any(|i| bytes.get(i + 1).is_some_and(|b| b.is_ascii_punctuation()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::builtin::builtin_clauses;

    fn builtin_rules() -> crate::rules::RuleSet {
        let sources = crate::rules::builtin_sources();
        crate::rules::RuleSetBuilder::with_sources(crate::rules::Profile::Union, sources).build().unwrap()
    }

    fn matches(patterns: &[&str], text: &str) -> Vec<String> {
        let patterns: Vec<String> = patterns.iter().map(|p| (*p).to_owned()).collect();
        let m = Matcher::new("t", &patterns, false, true, false).unwrap();
        m.find_iter(text).map(|(s, e)| text[s..e].to_owned()).collect()
    }

    #[test]
    fn a_subset_keeps_the_chosen_patterns_and_the_flags() {
        let patterns: Vec<String> = ["#ad", "gifted", "sent me"].iter().map(|p| (*p).to_owned()).collect();
        let list = Matcher::new("t", &patterns, false, true, true).unwrap().with_cue_governed(true);
        let subset = list.subset(&[0, 2]);
        assert_eq!(subset.patterns, ["#ad", "sent me"]);
        assert!(subset.negatable && subset.cue_governed);
        let text = "#AD they SENT ME this, gifted";
        let found: Vec<&str> = subset.find_iter(text).map(|(s, e)| &text[s..e]).collect();
        assert_eq!(found, ["#AD", "SENT ME"]);
    }

    #[test]
    fn hashtags_do_not_match_inside_longer_tags() {
        assert!(matches(&["#ad"], "#adidas #adventure").is_empty());
        assert_eq!(matches(&["#ad"], "great shoes #ad"), vec!["#ad"]);
        assert!(matches(&["#ad"], "foo#ad").is_empty());
    }

    #[test]
    fn accented_words_have_real_boundaries() {
        assert!(matches(&["qualit"], "qualità").is_empty());
        assert_eq!(matches(&["pubblicità"], "Pubblicità: ciao"), vec!["Pubblicità"]);
        assert!(matches(&["perch"], "perché").is_empty());
        assert!(matches(&["ad"], "adesso").is_empty());
    }

    #[test]
    fn a_longer_alternative_is_found_when_the_first_ends_inside_a_word() {
        assert_eq!(matches(&["#ad", "#adv"], "caffè #adv"), vec!["#adv"]);
        assert_eq!(matches(&["spon", "sponsored"], "sponsored post"), vec!["sponsored"]);
        // At the end of the text, before accented letters and after them.
        assert_eq!(matches(&["spon", "sponsored"], "sponsored"), vec!["sponsored"]);
        assert_eq!(matches(&["qualit", "qualità"], "qualità, sempre"), vec!["qualità"]);
        assert_eq!(matches(&["caff", "caffè"], "il caffè!"), vec!["caffè"]);
        // No alternative ends a word: no match.
        assert!(matches(&["gift", "gifte"], "gifted").is_empty());
        assert!(matches(&["qualit", "qualità"], "qualitàx").is_empty());
    }

    #[test]
    fn a_longer_alternative_may_end_with_an_apostrophe() {
        // "da" ends inside "dall'azienda"; "dall'" ends at a word's edge though a letter follows.
        assert_eq!(matches(&["regalato (?:da|dall')"], "regalato dall'azienda"), ["regalato dall'"]);
        assert_eq!(matches(&["regalato (?:da|dall')"], "regalato dalla mamma"), Vec::<String>::new());
    }

    #[test]
    fn spaces_and_apostrophes_are_tolerant() {
        assert_eq!(matches(&["gifted by"], "gifted\n  by"), vec!["gifted\n  by"]);
        assert_eq!(matches(&["me l'hanno regalato"], "Me l’hanno regalato"), vec!["Me l’hanno regalato"]);
        assert_eq!(normalize_pattern("[a' ]x y"), r"[a'’ ]x(?:\s+)y");
        assert_eq!(matches(&["[0-9]+ ?%"], "20% off, 30 % off"), vec!["20%", "30 %"]);
        assert_eq!(normalize_pattern(r"\ a"), r"\ a");
    }

    #[test]
    fn case_sensitive_groups_still_work() {
        assert_eq!(
            matches(&[r"code (?-i:[A-Z]{3,}[0-9]{1,3})"], "use Code GIULIA10 or code giulia10"),
            vec!["Code GIULIA10"]
        );
    }

    #[test]
    fn every_builtin_pattern_list_compiles() {
        use crate::rules::{Market, Profile, RuleSetBuilder, builtin_sources};
        let profiles = [Profile::Union, Profile::Strict].into_iter().chain(Market::ALL.map(Profile::Market));
        for profile in profiles {
            let rules = RuleSetBuilder::with_sources(profile, builtin_sources())
                .build()
                .unwrap_or_else(|e| panic!("built-in packs: {e:?}"));
            for matcher in &rules.matchers {
                if let Err(err) = matcher.compile() {
                    panic!("built-in pattern list `{}` does not compile: {err}", matcher.name);
                }
            }
        }
    }

    #[test]
    fn only_two_non_ascii_characters_fold_to_ascii_letters() {
        // The gate compares fragments ignoring ASCII case only; this is the premise.
        let ascii_letter = Regex::new("(?i)^[a-z]$").unwrap();
        let folding: Vec<char> =
            (0x80..=0x10FFFF).filter_map(char::from_u32).filter(|c| ascii_letter.is_match(&c.to_string())).collect();
        assert_eq!(folding, vec!['\u{17F}', '\u{212A}']);
    }

    #[test]
    fn texts_with_the_two_folding_characters_are_told_apart() {
        for text in
            ["", "plain", "caffè “quoted” — ’", "\u{212A}elvin", "long \u{17F}", "Ž ſ", "\u{2129}\u{212B}", "é\u{17E}"]
        {
            assert_eq!(hides_fragments(text), text.contains(['\u{212A}', '\u{17F}']), "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_folding_character_test_matches_its_definition(
            chars in proptest::collection::vec(
                proptest::sample::select(vec!['a', 'é', 'Ž', 'ž', '’', '\u{2129}', '\u{212A}', '\u{212B}', '\u{17F}', '\u{17E}']),
                0..12,
            )
        ) {
            let text: String = chars.into_iter().collect();
            proptest::prop_assert_eq!(hides_fragments(&text), text.contains(['\u{212A}', '\u{17F}']));
        }
    }

    #[test]
    fn the_gate_lets_through_exactly_the_lists_that_can_match() {
        let lists = [
            Matcher::new("a", &["gifted (?:by|from)".to_owned()], false, true, false).unwrap(),
            Matcher::new("b", &["(?:they|@\\w+) paid (?:me|us)".to_owned()], false, true, false).unwrap(),
            Matcher::new("c", &["\\w+".to_owned()], false, true, false).unwrap(),
            Matcher::new("d", &["pubblicità".to_owned(), "più".to_owned()], false, true, false).unwrap(),
            Matcher::new("f", &["pubblicità".to_owned()], false, true, false).unwrap(),
            Matcher::new("e", &["(?-i:CODE)".to_owned()], true, true, false).unwrap(),
            Matcher::new("g", &["[—–] ?[A-Z][a-z]+".to_owned()], false, true, false).unwrap(),
        ];
        let gate = Gate::build(&lists, &[], false);
        let ids = |text: &str| {
            let set = gate.candidates(text);
            (0..lists.len()).filter(|i| set.contains(MatcherId(*i))).collect::<Vec<_>>()
        };
        assert_eq!(ids("nothing here"), vec![2]);
        assert_eq!(ids("GIFTED by them; @x PAID me"), vec![0, 1, 2]);
        assert_eq!(ids("code"), vec![2, 5]);
        assert_eq!(ids("PUBBLICITÀ"), vec![2, 3, 4]);
        assert_eq!(ids("\u{212A}"), vec![0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(ids("x"), vec![2]);
        assert_eq!(ids("— Mario"), vec![2, 6]);
        // Both clauses of `@\w+ … sent (?:me|us)` must be there.
        let sent = Matcher::new("s", &[r"@\w+ (?:just )?sent (?:me|us)".to_owned()], false, true, false).unwrap();
        let both = Gate::build(std::slice::from_ref(&sent), &[], true);
        assert!(!both.candidates("they sent me this").contains(MatcherId(0)));
        assert!(!both.candidates("ask @brand").contains(MatcherId(0)));
        assert!(both.candidates("@brand just SENT us").contains(MatcherId(0)));
        // Lists run only over windows are always let through, and looked for in no text.
        let window = Gate::build(std::slice::from_ref(&sent), &[MatcherId(0)], false);
        assert!(window.candidates("nothing").contains(MatcherId(0)));
        assert!(window.searcher.is_none());
        for text in ["They paid us well", "gifted\n from", "my code", "Pubblicità", "x PIÙ", "– Anna"] {
            let set = gate.candidates(text);
            for (i, m) in lists.iter().enumerate() {
                if m.find_iter(text).next().is_some() {
                    assert!(set.contains(MatcherId(i)), "{text:?}: list {i} can match but was gated out");
                }
            }
        }
        // A document's candidates, by block and by list, say the same.
        let texts = ["They paid us well", "nothing", "\u{212A} code", "gifted by Ada — Mario", "PIÙ"];
        let found = gate.candidates_of(texts, []);
        for i in 0..lists.len() {
            let by_block: Vec<usize> = (0..texts.len()).filter(|b| found.block_may_match(*b, MatcherId(i))).collect();
            assert_eq!(found.blocks_of(MatcherId(i)).collect::<Vec<_>>(), by_block, "list {i}");
        }
        let mut wide = MatcherSet::empty(200);
        for i in [0, 5, 63, 64, 127, 199] {
            wide.insert(i);
        }
        let indexes = wide.0.iter().enumerate().flat_map(|(at, &word)| set_bits(at, word));
        assert_eq!(indexes.collect::<Vec<_>>(), [0, 5, 63, 64, 127, 199]);
    }

    #[test]
    fn a_fragment_counts_only_where_the_pattern_puts_it() {
        let ad = Matcher::new("ad", &["not (?:an )?(?:ad|sponsored)".to_owned()], false, true, false).unwrap();
        let tag = Matcher::new("tag", &[r"#ad\b".to_owned()], false, true, false).unwrap();
        let loose = Matcher::new("loose", &["ad".to_owned()], false, false, false).unwrap();
        let lists = [ad, tag, loose];
        let gate = Gate::build(&lists, &[], true);
        let ids = |text: &str| {
            let set = gate.candidates(text);
            (0..lists.len()).filter(|i| set.contains(MatcherId(*i))).collect::<Vec<_>>()
        };
        // `ad` inside words, and `not` inside a word, can't start or end a match.
        assert_eq!(ids("I cannot say I made it, or read it"), vec![2]);
        assert_eq!(ids("Not an AD, honest"), vec![0, 2]);
        assert_eq!(ids("not ad"), vec![0, 2]);
        // Found inside a word first and standing alone later: still found.
        assert_eq!(ids("made it, and it is not an ad"), vec![0, 2]);
        assert_eq!(ids("#adv and #ads"), vec![2]);
        assert_eq!(ids("#adv and #ad"), vec![0, 1, 2]);
        // `#ad` can't follow a letter: the boundary check turns that match down.
        assert_eq!(ids("x#ad"), vec![0, 2]);
        for text in ["cannot ad", "not adverts", "not_ad", "not ad5", "#ad_x", "NOT\u{a0}AD"] {
            let set = gate.candidates(text);
            for (i, m) in lists.iter().enumerate() {
                if m.find_iter(text).next().is_some() {
                    assert!(set.contains(MatcherId(i)), "{text:?}: list {i} can match but was gated out");
                }
            }
        }
    }

    #[test]
    fn fragments_know_what_stands_beside_them() {
        use super::super::fragments::{Edge, Fragment};
        let clauses = |p: &str| pattern_clauses(p).unwrap_or_default();
        let has = |p: &str, text: &str, before: Edge, after: Edge| {
            let found = clauses(p).into_iter().flatten().find(|f| f.text == text);
            assert_eq!(found, Some(Fragment { text: text.to_owned(), before, after }), "{p}");
        };
        has("not (?:an )?(?:ad|sponsored)", "ad", Edge::Closed, Edge::Match);
        has("gifted (?:by|from)", "gifted", Edge::Match, Edge::Closed);
        has(r"^[>*_\s]*(?:ad|advert)\s*:", "ad", Edge::Closed, Edge::Closed);
        has("(?:gift|regal)\\p{L}* box", "box", Edge::Closed, Edge::Match);
        // A letter class or a digit may stand beside it; a class with no letter or digit may not.
        has(r"\p{L}+ad", "ad", Edge::Open, Edge::Match);
        has(r"ad[^\p{L}]", "ad", Edge::Match, Edge::Open);
        has(r"ad[\w--\p{L}]", "ad", Edge::Match, Edge::Open);
        has(r"ad\s+x", "ad", Edge::Match, Edge::Closed);
        // A match edge counts only beside a word character (the boundary checks ignore `!`).
        has("wow!", "wow!", Edge::Match, Edge::Open);
        // In a repetition, a round follows the one before; the last round ends the match.
        has("(?:ab)+", "ab", Edge::Open, Edge::Match);
        has("(?:ab,)+", "ab,", Edge::Match, Edge::Open);
    }

    #[test]
    fn clauses_need_every_part_and_skip_implied_ones() {
        let clauses = |p: &str| {
            let clauses = pattern_clauses(p).unwrap_or_default();
            clauses.into_iter().map(|c| c.into_iter().map(|f| f.text).collect::<Vec<_>>()).collect::<Vec<_>>()
        };
        assert_eq!(clauses(r"(?:they|@\w+) paid (?:me|us)"), [vec!["paid"], vec!["@", "they"]]);
        // `#` is implied by the joined fragments, and not looked for on its own.
        assert_eq!(clauses("#(?:prbox|prhaul)"), [vec!["#prbox", "#prhaul"]]);
        // A weak best clause is kept; without any, the pattern is not gated.
        assert_eq!(clauses("più"), [vec!["pi"]]);
        assert_eq!(pattern_clauses(r"\w+"), None);
    }

    #[test]
    fn the_gate_never_hides_a_match_in_the_builtin_examples() {
        let rules = builtin_rules();
        let gate = Gate::build(&rules.matchers, &[], false);
        let texts: Vec<&str> =
            rules.rules.iter().flat_map(|r| &r.examples).flat_map(|e| e.text.split("\n\n")).collect();
        assert!(texts.len() > 300);
        for text in texts {
            let set = gate.candidates(text);
            for (i, m) in rules.matchers.iter().enumerate() {
                if m.find_iter(text).next().is_some() {
                    assert!(set.contains(MatcherId(i)), "{text:?}: `{}` matches but was gated out", m.name);
                }
            }
        }
    }

    #[test]
    fn the_gate_for_a_few_texts_agrees_with_the_gate_for_a_tree_in_any_case() {
        let (rules, many, texts) = builtin_gate();
        let few = Gate::build(&rules.matchers, &[], false);
        assert!(few.few_texts && !many.few_texts);
        for text in texts {
            let upper = text.to_uppercase();
            let mixed: String =
                text.chars().enumerate().map(|(i, c)| if i % 3 == 0 { c.to_ascii_uppercase() } else { c }).collect();
            for text in [text.as_str(), &upper, &mixed] {
                assert_eq!(few.candidates(text), many.candidates(text), "{text:?}");
            }
        }
    }

    #[test]
    fn a_few_texts_searched_as_one_give_each_text_its_own_lists() {
        let (rules, many, texts) = builtin_gate();
        let few = Gate::build(&rules.matchers, &[], false);
        // A document's worth of texts at a time, searched as one string; then all of them,
        // more than a few texts are searched that way, so the automaton reads them.
        let chunks: Vec<&[String]> = texts.chunks(12).chain([texts.as_slice()]).collect();
        assert!(chunks.last().is_some_and(|all| all.iter().map(String::len).sum::<usize>() > FEW_TEXTS_BYTES));
        for chunk in chunks {
            let (blocks, links) = chunk.split_at(chunk.len() / 2);
            let found = few.candidates_of(blocks.iter().map(String::as_str), links.iter().map(String::as_str));
            let expected = many.candidates_of(blocks.iter().map(String::as_str), links.iter().map(String::as_str));
            assert_eq!(found.blocks, expected.blocks);
            assert_eq!(found.patterns.bits, expected.patterns.bits);
            for (index, block) in blocks.iter().enumerate() {
                let own = few.candidates(block);
                for list in 0..rules.matchers.len() {
                    assert_eq!(found.block_may_match(index, MatcherId(list)), own.contains(MatcherId(list)));
                }
            }
        }
    }

    #[test]
    fn the_pair_index_finds_every_start_of_every_pair() {
        let texts = ["", "a", "aaaa", "già più \0 perché d'accordo", "#ad #AD #a\u{200B}d 5/5 — ok", "x\u{1F600}y"];
        for text in texts {
            let bytes = text.as_bytes();
            let index = PairIndex::new(bytes);
            for needle in bytes.windows(2) {
                let naive: Vec<u32> = (0..bytes.len())
                    .filter(|&at| bytes.get(at..).is_some_and(|rest| rest.starts_with(needle)))
                    .map(|at| at as u32)
                    .collect();
                let found: Vec<u32> = index
                    .starts_of(needle)
                    .iter()
                    .copied()
                    .filter(|&at| bytes.get(at as usize..).is_some_and(|rest| rest.starts_with(needle)))
                    .collect();
                assert_eq!(found, naive, "{needle:?} in {text:?}");
            }
            assert!(index.starts_of(b"a").is_empty(), "a single byte has no pair");
        }
    }

    #[test]
    fn letter_classes_out_of_case_folding_change_no_built_in_list() {
        let (rules, _, _) = builtin_gate();
        for list in &rules.matchers {
            let as_written: Vec<String> =
                list.patterns.iter().map(|p| format!("(?:{})", normalize_pattern(p))).collect();
            let (written, compiled) = (list.parse(&as_written.join("|")), list.parse(list.alternation()));
            assert_eq!(written.ok(), compiled.ok(), "{}", list.alternation());
        }
    }

    /// The built-in lists, their gate, and the texts of their examples, built once.
    fn builtin_gate() -> &'static (crate::rules::RuleSet, Gate, Vec<String>) {
        static BUILT: OnceLock<(crate::rules::RuleSet, Gate, Vec<String>)> = OnceLock::new();
        BUILT.get_or_init(|| {
            let rules = builtin_rules();
            let gate = Gate::build(&rules.matchers, &[], true);
            let texts =
                rules.rules.iter().flat_map(|r| &r.examples).flat_map(|e| e.text.split("\n\n")).map(str::to_owned);
            let texts = texts.collect();
            (rules, gate, texts)
        })
    }

    /// `text` with each character inserted at its relative position (0 the start, 1 the end).
    fn with_insertions(text: &str, insertions: &[(f64, char)]) -> String {
        let mut text = text.to_owned();
        for &(at, c) in insertions {
            // Truncation is intended: a position in the text.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let mut at = (at * text.len() as f64) as usize;
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.insert(at, c);
        }
        text
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

        /// Letters, digits, underscores and signs glued onto the words of real copy move
        /// fragments into and out of words: the gate still lets through every list that matches.
        #[test]
        fn the_gate_never_hides_a_match_around_word_edges(
            example in 0usize..1000,
            edits in proptest::collection::vec((0.0f64..1.0, proptest::sample::select(
                vec!['a', 'Z', 'è', '7', '_', '#', '@', ' ', ',', '-', '\u{a0}', '’'],
            )), 0..6),
        ) {
            let (rules, gate, texts) = builtin_gate();
            let text = with_insertions(&texts[example % texts.len()], &edits);
            let set = gate.candidates(&text);
            for (i, m) in rules.matchers.iter().enumerate() {
                if m.find_iter(&text).next().is_some() {
                    proptest::prop_assert!(set.contains(MatcherId(i)), "{:?}: `{}` matches but was gated out", text, m.name);
                }
            }
        }
    }

    /// The same list as written, without a coarse regex: the reference for the coarse one.
    fn as_written(m: &Matcher) -> Matcher {
        m.subset(&(0..m.patterns.len()).collect::<Vec<_>>())
    }

    fn coarse_lists(rules: &crate::rules::RuleSet) -> Vec<&Matcher> {
        rules.matchers.iter().filter(|m| m.regex().is_some_and(|l| l.exact.is_some())).collect()
    }

    #[test]
    fn coarse_lists_find_what_the_patterns_as_written_find() {
        let (rules, _, _) = builtin_gate();
        let coarse = coarse_lists(rules);
        assert!(coarse.len() >= 10, "{}", coarse.len());
        let names = |m: &&Matcher| m.name.clone();
        let texts = [
            "Paid partnership with Verdeluce’s team",
            "Paid partnership with Élodie — thanks",
            "sponsored by 🙂Brand and sponsored by Brand🙂",
            "In collaborazione con Zefiro’ — grazie",
            "me l’ha regalato @brand: lascia una recensione e ricevi £9 o €24 di sconto",
            "invited by Élodie, guests of élodie, ospiti di Ñandú",
            "grazie a Chiara Ferragni per il regalo; thanks to Zoë Ünal for the free kit",
            "in collaboration —\nin collaborazione ✨",
        ];
        // Gaps around the bounds of `[^\n]{0,80}` and `[^.!?\n]{0,60}`.
        let gaps = [59, 61, 79, 81].map(|n| {
            let gap = "word ".repeat(n / 5) + &"é".repeat(n % 5);
            format!("How {gap}disclosure works\n1-star reviews {gap}just hide them")
        });
        for text in texts.iter().copied().chain(gaps.iter().map(String::as_str)) {
            for m in &coarse {
                let found: Vec<_> = m.find_iter(text).collect();
                assert_eq!(found, as_written(m).find_iter(text).collect::<Vec<_>>(), "{text:?} in {}", names(m));
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Letters, signs and symbols from beyond ASCII inserted into real copy: a coarse list
        /// finds exactly what its patterns as written find.
        #[test]
        fn coarse_lists_match_as_written_beyond_ascii(
            example in 0usize..1000,
            edits in proptest::collection::vec((0.0f64..1.0, proptest::sample::select(
                vec!['é', 'É', 'ß', '²', '’', '€', '£', '—', '\u{a0}', '🙂', '✨', '·', 'a', ' '],
            )), 1..8),
        ) {
            let (rules, _, texts) = builtin_gate();
            let text = with_insertions(&texts[example % texts.len()], &edits);
            for m in coarse_lists(rules) {
                let found: Vec<_> = m.find_iter(&text).collect();
                proptest::prop_assert_eq!(found, as_written(m).find_iter(&text).collect::<Vec<_>>(), "{:?} in {}", text, m.name);
            }
        }
    }

    #[test]
    fn trusted_matchers_compile_on_first_use() {
        let m = Matcher::new_trusted("t", &["gifted".to_owned()], false, true, false);
        assert!(m.regex.get().is_none());
        assert_eq!(m.find_iter("I was GIFTED this").count(), 1);
        let broken = Matcher::new_trusted("t", &["(".to_owned()], false, true, false);
        assert_eq!(broken.find_iter("(").count(), 0);
        assert!(broken.compile().is_err());
    }

    #[test]
    fn every_builtin_pattern_has_its_clauses_and_fragments_computed_at_build_time() {
        let rules = builtin_rules();
        let mut checked = 0;
        for matcher in &rules.matchers {
            for pattern in &matcher.patterns {
                assert_eq!(builtin_clauses(pattern), Some(pattern_clauses(pattern)), "{pattern}");
                assert_eq!(builtin_raw_fragments(pattern), Some(raw_fragments(pattern)), "{pattern}");
                checked += 1;
            }
        }
        assert!(checked > 500, "only {checked} patterns");
        assert_eq!(builtin_clauses("not a built-in pattern"), None);
        assert_eq!(builtin_raw_fragments("not a built-in pattern"), None);
    }

    #[test]
    fn raw_fragments_skip_classes() {
        assert_eq!(raw_fragments(r"(?:they|@[\p{L}_]+) paid (?:me|us)"), Some(vec!["paid".to_owned()]));
    }

    #[test]
    fn prefilter_finds_literals_and_refuses_literal_free_patterns() {
        let gate = |patterns: &[&str]| {
            ("r".to_owned(), vec![patterns.iter().map(|p| ((*p).to_owned(), false)).collect::<Vec<_>>()])
        };
        let p = Prefilter::build(&[
            gate(&["gifted (?:by|from)", r"#adv?"]),
            gate(&[r"(?:they|@[\p{L}_]+) paid (?:me|us)"]),
            gate(&[r"(?i)code (?-i:[A-Z]{3,}\d+)"]),
            // A weak trigger list (`ad`) is gated by what the rule requires instead.
            ("r".to_owned(), vec![vec![("ad".to_owned(), false)], vec![("sent me".to_owned(), false)]]),
        ]);
        assert!(p.is_active());
        assert!(p.may_match("Thanks, GIFTED by them"));
        assert!(p.may_match("ciao #ADV"));
        assert!(p.may_match("@brand PAID us well"));
        assert!(p.may_match("Use CODE X"));
        assert!(!p.may_match("nothing to see"));
        assert!(p.may_match("R&amp;D"));
        // Markup inside a word hides the literal from a raw search.
        assert!(p.may_match("they were gift**ed** by them"));
        assert!(!p.may_match("plain **bold** words"));
        assert!(p.may_match("they sent me this"));
        let off = Prefilter::build(&[gate(&[r"\w+"])]);
        assert!(off.may_match("anything"));
    }
}
