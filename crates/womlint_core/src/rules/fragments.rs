//! The literal fragments that every match of a pattern contains, which the gate and the
//! prefilter look for before any regex runs.
//!
//! Depends only on `regex-syntax` and [`super::rewrite`]: `build.rs` includes this file too and
//! computes the clauses of every built-in pattern once, at build time (see
//! [`super::builtin::builtin_clauses`]), so a run does not parse the built-in patterns for them.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};

use super::rewrite::{normalize_pattern, widen_classes};

/// The most clauses a pattern is gated on.
const MAX_CLAUSES: usize = 4;

/// The most fragments of a clause kept beside a pattern's best clause.
const MAX_EXTRA_CLAUSE: usize = 16;

/// The shortest literal fragment the prefilter accepts (short ones only weaken it).
const MIN_FRAGMENT: usize = 1;

/// What may stand right beside a fragment in a text the pattern matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Edge {
    /// Anything.
    Open,
    /// The edge of the match: nothing that continues the word, when the list checks word
    /// boundaries (a list that does not, treats it as open).
    Match,
    /// Never a letter or a digit (a space, punctuation, the start or the end of the text).
    Closed,
}

impl Edge {
    /// The edge beside a character that may (or can't) be a letter or a digit.
    fn facing(alnum: bool) -> Edge {
        if alnum { Edge::Open } else { Edge::Closed }
    }

    /// The edge that `c` (none: the start or the end of the text) puts beside a fragment.
    pub(crate) fn beside(c: Option<char>) -> Edge {
        Edge::facing(c.is_some_and(char::is_alphanumeric))
    }
}

/// The character that ends at byte `at` of `text`, if any.
pub(crate) fn char_before(text: &str, at: usize) -> Option<char> {
    text.get(..at)?.chars().next_back()
}

/// The character that starts at byte `at` of `text`, if any.
pub(crate) fn char_after(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

/// A literal fragment of a pattern: text that every match of the pattern (or of one branch)
/// contains, and what may stand beside it. `ad` in `not (?:an )?ad` follows a space and ends
/// the match, so a text where `ad` only occurs inside words (`made`, `read`) can't match.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Fragment {
    /// Lowercase.
    pub text: String,
    pub before: Edge,
    pub after: Edge,
}

impl Fragment {
    /// A fragment with its edges; an edge of the match counts only beside a word character
    /// (the boundary checks ignore a match that starts or ends with punctuation).
    fn new(text: String, before: Edge, after: Edge) -> Fragment {
        let beside_word = |c: Option<char>, hashes: bool| {
            c.is_some_and(|c| c.is_alphanumeric() || c == '_' || (hashes && (c == '#' || c == '@')))
        };
        let before = match before {
            Edge::Match if !beside_word(text.chars().next(), true) => Edge::Open,
            edge => edge,
        };
        let after = match after {
            Edge::Match if !beside_word(text.chars().next_back(), false) => Edge::Open,
            edge => edge,
        };
        Fragment { text, before, after }
    }

    /// Whether finding `self` means `other` is there too: `other` is inside it, and what
    /// stands beside it there is known to be what `other` needs.
    fn covers(&self, other: &Fragment) -> bool {
        self.text.match_indices(other.text.as_str()).any(|(start, found)| {
            let end = start + found.len();
            let before = if start == 0 { self.before } else { Edge::beside(char_before(&self.text, start)) };
            let after = if end == self.text.len() { self.after } else { Edge::beside(char_after(&self.text, end)) };
            before >= other.before && after >= other.after
        })
    }
}

/// Literal fragments at least one of which appears in any text the pattern matches, or
/// `None` if there is no such set of useful fragments.
pub(crate) fn raw_fragments(pattern: &str) -> Option<Vec<String>> {
    // The prefilter ignores case anyway; inline `(?i)` would only multiply the literals.
    let pattern = widen_classes(&normalize_pattern(pattern).replace("(?i)", ""));
    let hir = regex_syntax::ParserBuilder::new().case_insensitive(false).build().parse(&pattern).ok()?;
    let fragments = required(&hir)?;
    (weakest(&fragments) >= MIN_FRAGMENT).then(|| fragments.into_iter().map(|f| f.to_lowercase()).collect())
}

/// The most strings an exact literal set may grow to.
const MAX_EXACT: usize = 64;

/// Every string `hir` can match, if that is a small finite set.
fn exact(hir: &Hir) -> Option<Vec<String>> {
    match hir.kind() {
        HirKind::Literal(literal) => std::str::from_utf8(&literal.0).ok().map(|s| vec![s.to_owned()]),
        // `(?:$|€|£)` becomes a class: a small one is a set of literals.
        HirKind::Class(Class::Unicode(class)) => {
            let size: u32 = class.ranges().iter().map(|r| u32::from(r.end()) - u32::from(r.start()) + 1).sum();
            (size <= 8).then(|| class.ranges().iter().flat_map(|r| r.start()..=r.end()).map(String::from).collect())
        }
        HirKind::Capture(capture) => exact(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min == 0 && repetition.max == Some(1) => {
            let mut set = exact(&repetition.sub)?;
            set.push(String::new());
            Some(set)
        }
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for branch in branches {
                all.extend(exact(branch)?);
            }
            (all.len() <= MAX_EXACT).then_some(all)
        }
        HirKind::Concat(parts) => parts.iter().try_fold(vec![String::new()], |acc, part| product(&acc, &exact(part)?)),
        _ => None,
    }
}

/// Every concatenation of a string of `left` with one of `right`, if the result stays small.
fn product(left: &[String], right: &[String]) -> Option<Vec<String>> {
    (left.len() * right.len() <= MAX_EXACT)
        .then(|| left.iter().flat_map(|l| right.iter().map(move |r| format!("{l}{r}"))).collect())
}

/// The longest usable fragment of each string, if every string has one.
fn fragments_of(strings: &[String]) -> Option<Vec<String>> {
    strings.iter().map(|s| longest_fragment(s.as_bytes())).collect()
}

/// How well a set narrows the search: the score of its weakest fragment.
pub(crate) fn weakest(fragments: &[String]) -> usize {
    fragments.iter().map(|f| selectivity(f)).min().unwrap_or(0)
}

/// Words so frequent in copy that finding them says nothing (over `small`, "in", "on" and
/// "is" were found 560,000 times, a quarter of what the gate found).
const COMMON_WORDS: [&str; 50] = [
    "the", "and", "not", "for", "you", "this", "that", "with", "our", "are", "was", "can", "non", "che", "per", "con",
    "una", "del", "della", "sono", "più", "mio", "mia", "in", "on", "is", "it", "of", "to", "at", "as", "or", "an",
    "be", "by", "my", "me", "we", "so", "di", "il", "la", "le", "lo", "un", "da", "si", "mi", "one", "all",
];

/// A rough score of how rarely a fragment occurs in prose: its length, with rare symbols (`$`,
/// `€`, `#`, and any symbol or punctuation beyond ASCII: `—`, `«`, `★`) counting for more than
/// letters and very common words counting for little.
fn selectivity(fragment: &str) -> usize {
    if COMMON_WORDS.contains(&fragment.to_lowercase().as_str()) {
        return 1;
    }
    let rare = |c: char| matches!(c, '@' | '#' | '$' | '%' | '|' | '/' | '=') || !(c.is_ascii() || c.is_alphanumeric());
    fragment.chars().map(|c| if rare(c) { 3 } else { 1 }).sum()
}

/// A set of literal fragments one of which every match of `hir` contains.
fn required(hir: &Hir) -> Option<Vec<String>> {
    match hir.kind() {
        HirKind::Literal(literal) => longest_fragment(&literal.0).map(|f| vec![f]),
        HirKind::Class(_) => exact(hir).and_then(|set| fragments_of(&set)),
        HirKind::Capture(capture) => required(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min >= 1 => required(&repetition.sub),
        // A concatenation needs every part: the part (or run of literal parts, joined) with the
        // strongest set will do.
        HirKind::Concat(parts) => {
            let mut candidates: Vec<Vec<String>> = parts.iter().filter_map(required).collect();
            candidates.extend(exact_runs(parts).iter().filter_map(|(_, _, run)| fragments_of(run)));
            candidates.into_iter().max_by_key(|set| weakest(set))
        }
        // An alternation needs one branch: every branch must have a set.
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for branch in branches {
                all.extend(required(branch)?);
            }
            all.sort();
            all.dedup();
            Some(all)
        }
        _ => None,
    }
}

/// Clauses of literal fragments such that the prose of any text the pattern matches holds a
/// fragment of every clause, or `None` if the pattern has no usable clause (then it can match
/// anywhere, as far as the gate knows).
///
/// A sequence needs each of its parts, so it contributes the clauses of every part; an
/// alternation needs one of its branches, so it contributes one clause: the best clause of
/// each branch, together. The prefixes and the suffixes of every match are clauses too.
/// Weak clauses (a common word, two letters) are dropped: they cost more to look for than they
/// save. `(?:they|@\w+) paid (?:me|us)` gives `paid`; `@\w+ (?:just )?sent (?:me|us)` gives
/// `@` and `sent`. Each fragment also says what may stand beside it (see [`Edge`]).
pub(crate) fn pattern_clauses(pattern: &str) -> Option<Vec<Vec<Fragment>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(false)
        .build()
        .parse(&widen_classes(&normalize_pattern(pattern)))
        .ok()?;
    let mut clauses = clauses_of(&hir, Edge::Match, Edge::Match);
    for prefix in [true, false] {
        let mut extractor = Extractor::new();
        extractor
            .kind(if prefix { ExtractKind::Prefix } else { ExtractKind::Suffix })
            .limit_total(2000)
            .limit_class(20);
        let seq = extractor.extract(&hir);
        let Some(literals) = seq.literals() else { continue };
        if literals.is_empty() {
            continue;
        }
        // A prefix starts the match and, when exact, ends it too; a suffix the other way.
        let fragments: Option<Vec<Fragment>> = literals
            .iter()
            .map(|literal| {
                let whole = if literal.is_exact() { Edge::Match } else { Edge::Open };
                let (before, after) = if prefix { (Edge::Match, whole) } else { (whole, Edge::Match) };
                fragment_of(literal.as_bytes(), before, after)
            })
            .collect();
        clauses.extend(fragments);
    }
    for clause in &mut clauses {
        clause.sort();
        clause.dedup();
    }
    clauses.retain(|clause| !clause.is_empty());
    clauses.sort();
    clauses.dedup();
    // The same fragments known in more places (`ad` after a space, not only before the end)
    // come first, and imply the others.
    clauses.sort_by_key(|clause| std::cmp::Reverse((fragment_score(clause), edges_known(clause))));
    // The best clause is kept even when weak (`più`); a few others when they narrow cheaply
    // and are not implied by one kept already (`#` by `#ad`).
    let mut clauses = clauses.into_iter();
    let mut kept = vec![clauses.next()?];
    for clause in clauses {
        if kept.len() == MAX_CLAUSES {
            break;
        }
        if is_usable(&clause) && clause.len() <= MAX_EXTRA_CLAUSE && !kept.iter().any(|k| implies(k, &clause)) {
            kept.push(clause);
        }
    }
    Some(kept)
}

/// Whether finding a fragment of `clause` means a fragment of `other` is there too: each of
/// its fragments covers one of `other`'s.
fn implies(clause: &[Fragment], other: &[Fragment]) -> bool {
    clause.iter().all(|fragment| other.iter().any(|o| fragment.covers(o)))
}

/// How rarely a clause's weakest fragment occurs (see [`selectivity`]). What stands beside a
/// fragment does not count: finding more fragments costs more than the runs it saves.
fn clause_strength(clause: &[Fragment]) -> usize {
    clause.iter().map(|f| selectivity(&f.text)).min().unwrap_or(0)
}

/// How much a clause knows of what stands beside its fragments.
fn edges_known(clause: &[Fragment]) -> usize {
    clause.iter().map(|f| f.before as usize + f.after as usize).sum()
}

/// Whether looking for a clause pays: its every fragment is rare enough to narrow the search.
fn is_usable(clause: &[Fragment]) -> bool {
    !clause.is_empty() && clause_strength(clause) >= 3
}

/// How selective a clause is: its weakest fragment (capped: beyond six letters a word is rare
/// enough), then fewer fragments.
fn fragment_score(set: &[Fragment]) -> (usize, std::cmp::Reverse<usize>) {
    (clause_strength(set).min(6), std::cmp::Reverse(set.len()))
}

/// What a part of a pattern puts at its ends: whether it can match nothing, and whether its
/// first or last character can be a letter or a digit.
#[derive(Clone, Copy)]
struct Shape {
    empty: bool,
    alnum_first: bool,
    alnum_last: bool,
}

fn shape(hir: &Hir) -> Shape {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Shape { empty: true, alnum_first: false, alnum_last: false },
        HirKind::Literal(literal) => {
            let text = String::from_utf8_lossy(&literal.0);
            let alnum = |c: Option<char>| c.is_none_or(char::is_alphanumeric);
            Shape {
                empty: text.is_empty(),
                alnum_first: alnum(text.chars().next()),
                alnum_last: alnum(text.chars().next_back()),
            }
        }
        HirKind::Class(class) => {
            let alnum = match class {
                Class::Unicode(class) => {
                    class.ranges().iter().any(|r| (r.start()..=r.end()).any(char::is_alphanumeric))
                }
                Class::Bytes(class) => class
                    .ranges()
                    .iter()
                    .any(|r| (r.start()..=r.end()).any(|b| !b.is_ascii() || b.is_ascii_alphanumeric())),
            };
            Shape { empty: false, alnum_first: alnum, alnum_last: alnum }
        }
        HirKind::Repetition(repetition) => {
            let sub = shape(&repetition.sub);
            Shape { empty: repetition.min == 0 || sub.empty, ..sub }
        }
        HirKind::Capture(capture) => shape(&capture.sub),
        HirKind::Concat(parts) => {
            // The first character comes from the first part that is not empty, as seen by a
            // neighbour before the sequence; the last one the other way.
            let shapes: Vec<Shape> = parts.iter().map(shape).collect();
            let first = nearest_edge(shapes.iter().map(|s| (false, s.alnum_first, s.empty)), Edge::Closed);
            let last = nearest_edge(shapes.iter().rev().map(|s| (false, s.alnum_last, s.empty)), Edge::Closed);
            Shape {
                empty: shapes.iter().all(|s| s.empty),
                alnum_first: first == Edge::Open,
                alnum_last: last == Edge::Open,
            }
        }
        HirKind::Alternation(branches) => {
            let shapes: Vec<Shape> = branches.iter().map(shape).collect();
            Shape {
                empty: shapes.iter().any(|s| s.empty),
                alnum_first: shapes.iter().any(|s| s.alnum_first),
                alnum_last: shapes.iter().any(|s| s.alnum_last),
            }
        }
    }
}

/// A part of a sequence as its neighbours see it: its [`Shape`], and whether it asserts the
/// start (or the end) of the text or of a line, where nothing or a line break stands beside it.
struct Part {
    shape: Shape,
    starts_line: bool,
    ends_line: bool,
}

fn parts_of(parts: &[Hir]) -> Vec<Part> {
    parts
        .iter()
        .map(|part| {
            let look = match part.kind() {
                HirKind::Look(look) => Some(*look),
                _ => None,
            };
            Part {
                shape: shape(part),
                starts_line: matches!(look, Some(Look::Start | Look::StartLF | Look::StartCRLF)),
                ends_line: matches!(look, Some(Look::End | Look::EndLF | Look::EndCRLF)),
            }
        })
        .collect()
}

/// What stands before part `at` of a sequence whose own context is `outer`.
fn edge_before(parts: &[Part], at: usize, outer: Edge) -> Edge {
    let neighbours = parts.get(..at).unwrap_or_default().iter().rev();
    nearest_edge(neighbours.map(|part| (part.starts_line, part.shape.alnum_last, part.shape.empty)), outer)
}

/// What stands after part `at` of a sequence whose own context is `outer`.
fn edge_after(parts: &[Part], at: usize, outer: Edge) -> Edge {
    let neighbours = parts.get(at + 1..).unwrap_or_default().iter();
    nearest_edge(neighbours.map(|part| (part.ends_line, part.shape.alnum_first, part.shape.empty)), outer)
}

/// The edge that the nearest neighbours of a part put beside it, given for each neighbour,
/// nearest first: whether it asserts a line edge on that side, whether its facing character
/// can be a letter or a digit, and whether it can match nothing (then the next one counts too).
fn nearest_edge(neighbours: impl Iterator<Item = (bool, bool, bool)>, outer: Edge) -> Edge {
    for (line_edge, alnum, empty) in neighbours {
        if line_edge {
            return Edge::Closed;
        }
        if alnum {
            return Edge::Open;
        }
        if !empty {
            return Edge::Closed;
        }
    }
    outer
}

/// The clauses of `hir` (see [`pattern_clauses`]), weak ones included, when what stands before
/// and after its match is `before` and `after`.
fn clauses_of(hir: &Hir, before: Edge, after: Edge) -> Vec<Vec<Fragment>> {
    match hir.kind() {
        HirKind::Literal(literal) => fragment_of(&literal.0, before, after).map(|f| vec![vec![f]]).unwrap_or_default(),
        HirKind::Capture(capture) => clauses_of(&capture.sub, before, after),
        HirKind::Repetition(repetition) if repetition.min >= 1 => {
            // A second round follows the first.
            let (before, after) = if repetition.max == Some(1) {
                (before, after)
            } else {
                let sub = shape(&repetition.sub);
                (before.min(Edge::facing(sub.alnum_last)), after.min(Edge::facing(sub.alnum_first)))
            };
            clauses_of(&repetition.sub, before, after)
        }
        HirKind::Concat(hirs) => {
            let parts = parts_of(hirs);
            let mut clauses: Vec<Vec<Fragment>> = hirs
                .iter()
                .enumerate()
                .flat_map(|(at, hir)| clauses_of(hir, edge_before(&parts, at, before), edge_after(&parts, at, after)))
                .collect();
            for (first, last, strings) in exact_runs(hirs) {
                clauses.extend(joined(&strings, edge_before(&parts, first, before), edge_after(&parts, last, after)));
            }
            clauses
        }
        HirKind::Alternation(branches) => {
            let mut clause = Vec::new();
            for branch in branches {
                let best = clauses_of(branch, before, after).into_iter().max_by_key(|c| fragment_score(c));
                let Some(best) = best else { return Vec::new() };
                clause.extend(best);
                if clause.len() > 2000 {
                    return Vec::new();
                }
            }
            clause.sort();
            clause.dedup();
            vec![clause]
        }
        _ => Vec::new(),
    }
}

/// The strings of each run of consecutive parts with few exact strings, joined, with the
/// indexes of its first and last part: a run (`#(?:prbox|prhaul)`) gives longer fragments than
/// any of its parts alone.
fn exact_runs(parts: &[Hir]) -> Vec<(usize, usize, Vec<String>)> {
    let mut runs = Vec::new();
    let mut run: Option<(usize, Vec<String>)> = None;
    for (at, part) in parts.iter().enumerate() {
        match (exact(part), run.take()) {
            (Some(set), None) => run = Some((at, set)),
            (Some(set), Some((first, prefix))) => {
                run = Some(product(&prefix, &set).map_or((at, set), |joined| (first, joined)));
            }
            (None, Some((first, strings))) => runs.push((first, at - 1, strings)),
            (None, None) => {}
        }
    }
    runs.extend(run.map(|(first, strings)| (first, parts.len().saturating_sub(1), strings)));
    runs
}

/// The fragments of a set of exact strings, if every one has a fragment.
fn joined(strings: &[String], before: Edge, after: Edge) -> Option<Vec<Fragment>> {
    strings.iter().map(|s| fragment_of(s.as_bytes(), before, after)).collect()
}

/// The fragment of a literal to search for in prose, lowercased: the longest run of
/// characters that the gate's ASCII case-insensitive search compares exactly as the
/// case-insensitive regex does (ASCII, and characters without case variants such as dashes,
/// typographic quotes and emoji). `before` and `after` stand beside the literal; inside it,
/// what stands beside the run is known.
fn fragment_of(bytes: &[u8], before: Edge, after: Edge) -> Option<Fragment> {
    let text = valid_prefix(bytes);
    let (start, run) = runs(text, |c| c.is_ascii() || is_caseless(c)).max_by_key(|(_, run)| run.len())?;
    let end = start + run.len();
    let before = if start == 0 { before } else { Edge::beside(char_before(text, start)) };
    let after = if end == text.len() { after } else { Edge::beside(char_after(text, end)) };
    Some(Fragment::new(run.to_ascii_lowercase(), before, after))
}

/// The longest prefix of `bytes` that is UTF-8 (a literal may end inside a character).
fn valid_prefix(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            bytes.get(..err.valid_up_to()).and_then(|valid| std::str::from_utf8(valid).ok()).unwrap_or_default()
        }
    }
}

/// The maximal non-empty runs of characters that `keep` keeps, with their byte offsets.
fn runs(text: &str, keep: impl Fn(char) -> bool) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split(move |c: char| !keep(c))
        .map(move |run| {
            let start = at;
            at += run.len() + text.get(start + run.len()..).and_then(|t| t.chars().next()).map_or(0, char::len_utf8);
            (start, run)
        })
        .filter(|(_, run)| !run.is_empty())
}

/// Whether a case-insensitive regex matches `c` and nothing else.
pub(crate) fn is_caseless(c: char) -> bool {
    let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    class.case_fold_simple();
    class.ranges().iter().map(|r| r.len()).sum::<usize>() == 1
}

/// The longest run of a literal that copy cannot split with markup or spacing in the file.
fn longest_fragment(bytes: &[u8]) -> Option<String> {
    let text = valid_prefix(bytes);
    let keep = |c: char| {
        !c.is_whitespace()
            && !matches!(
                c,
                '*' | '_' | '`' | '[' | ']' | '(' | ')' | '\\' | '<' | '>' | '&' | '!' | '\'' | '"' | '’' | '~' | '|'
            )
    };
    text.split(|c: char| !keep(c)).max_by_key(|run| run.len()).filter(|run| !run.is_empty()).map(str::to_owned)
}
