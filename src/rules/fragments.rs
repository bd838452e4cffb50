//! The literal fragments that every match of a pattern contains, which the gate and the
//! prefilter look for before any regex runs.
//!
//! Depends only on `regex-syntax` and [`super::rewrite`]: `build.rs` includes this file too and
//! computes the clauses of every built-in pattern once, at build time (see
//! [`super::builtin::builtin_clauses`]), so a run does not parse the built-in patterns for them.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind};

use super::rewrite::{normalize_pattern, widen_classes};

/// The most clauses a pattern is gated on.
const MAX_CLAUSES: usize = 4;

/// The most fragments of a clause kept beside a pattern's best clause.
const MAX_EXTRA_CLAUSE: usize = 16;

/// The shortest literal fragment the prefilter accepts (short ones only weaken it).
const MIN_FRAGMENT: usize = 1;

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

/// Words so frequent in copy that finding them says nothing.
const COMMON_WORDS: [&str; 24] = [
    "the", "and", "not", "for", "you", "this", "that", "with", "our", "are", "was", "can", "non", "che", "per", "con",
    "una", "del", "della", "sono", "più", "mio", "mia", "the",
];

/// A rough score of how rarely a fragment occurs in prose: its length, with rare symbols (`$`,
/// `€`, `#`) counting for more than letters and very common words counting for little.
fn selectivity(fragment: &str) -> usize {
    if COMMON_WORDS.contains(&fragment.to_lowercase().as_str()) {
        return 1;
    }
    fragment.chars().map(|c| if matches!(c, '@' | '#' | '$' | '€' | '£' | '%' | '|' | '/' | '=') { 3 } else { 1 }).sum()
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
            candidates.extend(exact_runs(parts).iter().filter_map(|run| fragments_of(run)));
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
/// `@` and `sent`.
pub(crate) fn pattern_clauses(pattern: &str) -> Option<Vec<Vec<String>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(false)
        .build()
        .parse(&widen_classes(&normalize_pattern(pattern)))
        .ok()?;
    let mut clauses = clauses_of(&hir);
    for kind in [ExtractKind::Prefix, ExtractKind::Suffix] {
        let mut extractor = Extractor::new();
        extractor.kind(kind).limit_total(2000).limit_class(20);
        let seq = extractor.extract(&hir);
        let Some(literals) = seq.literals() else { continue };
        if literals.is_empty() {
            continue;
        }
        let fragments: Option<Vec<String>> = literals.iter().map(|literal| fragment_of(literal.as_bytes())).collect();
        clauses.extend(fragments);
    }
    for clause in &mut clauses {
        clause.sort();
        clause.dedup();
    }
    clauses.retain(|clause| !clause.is_empty());
    clauses.sort();
    clauses.dedup();
    clauses.sort_by_key(|clause| std::cmp::Reverse(fragment_score(clause)));
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
/// its fragments contains one of `other`'s.
fn implies(clause: &[String], other: &[String]) -> bool {
    clause.iter().all(|fragment| other.iter().any(|o| fragment.contains(o.as_str())))
}

/// Whether looking for a clause pays: its every fragment is rare enough to narrow the search.
fn is_usable(clause: &[String]) -> bool {
    !clause.is_empty() && weakest(clause) >= 3
}

/// How selective a clause is: its shortest fragment (capped: beyond six letters a word is rare
/// enough), then fewer fragments.
fn fragment_score(set: &[String]) -> (usize, std::cmp::Reverse<usize>) {
    (weakest(set).min(6), std::cmp::Reverse(set.len()))
}

/// The clauses of `hir` (see [`pattern_clauses`]), weak ones included.
fn clauses_of(hir: &Hir) -> Vec<Vec<String>> {
    match hir.kind() {
        HirKind::Literal(literal) => fragment_of(&literal.0).map(|f| vec![vec![f]]).unwrap_or_default(),
        HirKind::Capture(capture) => clauses_of(&capture.sub),
        HirKind::Repetition(repetition) if repetition.min >= 1 => clauses_of(&repetition.sub),
        HirKind::Concat(parts) => {
            let mut clauses: Vec<Vec<String>> = parts.iter().flat_map(clauses_of).collect();
            clauses.extend(exact_runs(parts).iter().filter_map(|run| joined(run)));
            clauses
        }
        HirKind::Alternation(branches) => {
            let mut clause = Vec::new();
            for branch in branches {
                let best = clauses_of(branch).into_iter().max_by_key(|c| fragment_score(c));
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

/// The strings of each run of consecutive parts with few exact strings, joined: a run
/// (`#(?:prbox|prhaul)`) gives longer fragments than any of its parts alone.
fn exact_runs(parts: &[Hir]) -> Vec<Vec<String>> {
    let mut runs = Vec::new();
    let mut run: Option<Vec<String>> = None;
    for part in parts {
        match (exact(part), run.take()) {
            (Some(set), None) => run = Some(set),
            (Some(set), Some(prefix)) => run = product(&prefix, &set).or(Some(set)),
            (None, Some(prefix)) => runs.push(prefix),
            (None, None) => {}
        }
    }
    runs.extend(run);
    runs
}

/// The fragments of a set of exact strings, if every one has a fragment.
fn joined(strings: &[String]) -> Option<Vec<String>> {
    strings.iter().map(|s| fragment_of(s.as_bytes())).collect()
}

/// The fragment of a literal to search for in prose, lowercased: the longest run of
/// characters that the gate's ASCII case-insensitive search compares exactly as the
/// case-insensitive regex does (ASCII, and characters without case variants such as dashes,
/// typographic quotes and emoji).
fn fragment_of(bytes: &[u8]) -> Option<String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(err) => String::from_utf8_lossy(bytes.get(..err.valid_up_to()).unwrap_or_default()).into_owned(),
    };
    text.split(|c: char| !(c.is_ascii() || is_caseless(c)))
        .max_by_key(|run| run.len())
        .filter(|run| !run.is_empty())
        .map(str::to_ascii_lowercase)
}

/// Whether a case-insensitive regex matches `c` and nothing else.
pub(crate) fn is_caseless(c: char) -> bool {
    let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    class.case_fold_simple();
    class.ranges().iter().map(|r| r.len()).sum::<usize>() == 1
}

/// The longest run of a literal that copy cannot split with markup or spacing in the file.
fn longest_fragment(bytes: &[u8]) -> Option<String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(err) => String::from_utf8_lossy(bytes.get(..err.valid_up_to()).unwrap_or_default()).into_owned(),
    };
    let keep = |c: char| {
        !c.is_whitespace()
            && !matches!(
                c,
                '*' | '_' | '`' | '[' | ']' | '(' | ')' | '\\' | '<' | '>' | '&' | '!' | '\'' | '"' | '’' | '~' | '|'
            )
    };
    text.split(|c: char| !keep(c)).max_by_key(|run| run.len()).filter(|run| !run.is_empty()).map(str::to_owned)
}
