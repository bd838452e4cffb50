//! Coarse regexes: large Unicode classes widened to every non-ASCII character, and long
//! bounded repetitions left unbounded.
//!
//! A class like `[\p{L}\p{N}]` compiles to about 330 NFA states forward and 1,400 in reverse,
//! and a pattern list repeats it in every pattern that names a brand after "sponsored by". The
//! lazy DFA sizes each thread's cache by those states, and the many byte ranges of the class
//! multiply the size of every DFA state. Widened to `[0-9A-Za-z\x{80}-\x{10FFFF}]` the same
//! class takes 13 states. A repetition like `[^\n]{0,80}` between two words makes the lazy
//! DFA count characters, in a new state for each count; `[^\n]*` needs one. Over the built-in
//! packs the regexes shrink from 12.9 to 4.2 MiB and their caches by half.
//!
//! A coarse regex matches everything the regex as written matches, and maybe more; a match is
//! taken as it is when it is short enough and every non-ASCII character in it is one on which
//! the widened classes agree with the classes as written (see [`Agreement`]), and is looked
//! for again with the regex as written otherwise.

use regex_syntax::hir::{Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition};

/// A class is widened when its non-ASCII part has more ranges than this: `\p{L}` has hundreds,
/// `\s` has nine, and a case-folded letter one or two (`k` also matches the Kelvin sign).
const LARGE_CLASS: usize = 32;

/// A small class names its non-ASCII characters (see [`coarsen`]) when it has at most this
/// many: `\s` names 18, `['’]` one, `[^.!?\n]` none (it holds them all).
const NAMED_CHARS: u32 = 64;

/// A bounded repetition is left unbounded when its bound is at least this (`{0,30}` is; `{1,3}`
/// costs the lazy DFA little).
const LONG_REPETITION: u32 = 20;

/// `hir` made coarse, and when its matches are its own; `None` when nothing in it is worth
/// widening (the regex is then compiled as it is).
///
/// A large class is widened to every non-ASCII character except those the pattern names
/// elsewhere (in a literal or a small class, as `’` in `['’]` or `€` in `(?:€|£)`), and then
/// those named characters, like the ones that every large class held as written, behave in
/// the coarse regex as in the regex as written.
pub(crate) fn coarsen(hir: &Hir) -> Option<(Hir, Agreement)> {
    let mut held = ClassUnicode::new([non_ascii()]);
    // The named characters, gathered first and made one class at the end (a union per class
    // would sort the growing set again each time).
    let mut named_ranges: Vec<ClassUnicodeRange> = Vec::new();
    let mut any_large = false;
    let mut any_long = false;
    visit(hir, &mut |node| match node.kind() {
        HirKind::Class(Class::Unicode(class)) if is_large(class) => {
            any_large = true;
            held.intersect(class);
        }
        HirKind::Class(Class::Unicode(class)) => {
            let beyond_ascii = class.ranges().iter().filter(|r| r.end() > '\x7f');
            let part: Vec<ClassUnicodeRange> =
                beyond_ascii.map(|r| ClassUnicodeRange::new(r.start().max('\u{80}'), r.end())).collect();
            let chars: u32 = part.iter().map(|r| u32::from(r.end()) - u32::from(r.start()) + 1).sum();
            if chars <= NAMED_CHARS {
                named_ranges.extend(part);
            }
        }
        HirKind::Literal(literal) if !literal.0.is_ascii() => {
            let text = String::from_utf8_lossy(&literal.0);
            named_ranges.extend(text.chars().filter(|c| !c.is_ascii()).map(|c| ClassUnicodeRange::new(c, c)));
        }
        HirKind::Repetition(rep) if is_long(rep) => any_long = true,
        _ => {}
    });
    if !any_large && !any_long {
        return None;
    }
    let named = ClassUnicode::new(named_ranges);
    let mut wide = ClassUnicode::new([non_ascii()]);
    wide.difference(&named);
    let coarse = widen(hir, &wide);
    held.union(&named);
    let agreement = Agreement {
        chars: held.ranges().iter().map(|r| (r.start(), r.end())).collect(),
        longest: if any_long { longest_agreed(hir) } else { usize::MAX },
    };
    Some((coarse, agreement))
}

/// The most characters a coarse match may have and still be sure to have kept every long
/// repetition within its bound: for each long repetition, its bound plus the fewest characters
/// the rest of its alternative takes (a repetition inside another one gets its bound alone),
/// and the least of those. `[^\n]{0,30}` between "thanks" and "for having" leaves room for a
/// 46-character match, not 30.
fn longest_agreed(hir: &Hir) -> usize {
    let alternatives = match hir.kind() {
        HirKind::Alternation(alternatives) => alternatives.as_slice(),
        _ => std::slice::from_ref(hir),
    };
    let mut longest = usize::MAX;
    for alternative in alternatives {
        let fewest = min_chars(alternative);
        visit_repetitions(alternative, false, &mut |rep, nested| {
            if !is_long(rep) {
                return;
            }
            let bound = rep.max.map_or(usize::MAX, |max| usize::try_from(max).unwrap_or(usize::MAX));
            let rest = if nested { 0 } else { fewest.saturating_sub(min_chars_of_repetition(rep)) };
            longest = longest.min(bound.saturating_add(rest));
        });
    }
    longest
}

/// Calls `f` on every repetition under `hir`, with whether it lies inside another repetition
/// that may go round more than once (an optional part, `(?:…)?`, goes round once at most).
fn visit_repetitions(hir: &Hir, nested: bool, f: &mut dyn FnMut(&Repetition, bool)) {
    match hir.kind() {
        HirKind::Repetition(rep) => {
            f(rep, nested);
            visit_repetitions(&rep.sub, nested || rep.max != Some(1), f);
        }
        HirKind::Capture(cap) => visit_repetitions(&cap.sub, nested, f),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => {
            parts.iter().for_each(|p| visit_repetitions(p, nested, f));
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
    }
}

/// The fewest characters any match of `hir` has.
fn min_chars(hir: &Hir) -> usize {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 0,
        HirKind::Literal(literal) => String::from_utf8_lossy(&literal.0).chars().count(),
        HirKind::Class(_) => 1,
        HirKind::Repetition(rep) => min_chars_of_repetition(rep),
        HirKind::Capture(cap) => min_chars(&cap.sub),
        HirKind::Concat(parts) => parts.iter().map(min_chars).fold(0, usize::saturating_add),
        HirKind::Alternation(parts) => parts.iter().map(min_chars).min().unwrap_or(0),
    }
}

fn min_chars_of_repetition(rep: &Repetition) -> usize {
    usize::try_from(rep.min).unwrap_or(usize::MAX).saturating_mul(min_chars(&rep.sub))
}

fn is_large(class: &ClassUnicode) -> bool {
    class.ranges().iter().filter(|r| r.end() > '\x7f').count() > LARGE_CLASS
}

/// A repetition with a long bound, each round of which takes at least one character (so that
/// a match of `n` characters went round at most `n` times).
fn is_long(rep: &Repetition) -> bool {
    rep.max.is_some_and(|max| max >= LONG_REPETITION) && rep.sub.properties().minimum_len().is_some_and(|n| n > 0)
}

fn non_ascii() -> ClassUnicodeRange {
    ClassUnicodeRange::new('\u{80}', char::MAX)
}

/// Calls `f` on `hir` and every node under it.
fn visit(hir: &Hir, f: &mut dyn FnMut(&Hir)) {
    f(hir);
    match hir.kind() {
        HirKind::Repetition(rep) => visit(&rep.sub, f),
        HirKind::Capture(cap) => visit(&cap.sub, f),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts.iter().for_each(|p| visit(p, f)),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => {}
    }
}

/// `hir` with its large classes joined with `wide` and its long repetitions unbounded.
fn widen(hir: &Hir, wide: &ClassUnicode) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) if is_large(class) => {
            let mut class = class.clone();
            class.union(wide);
            Hir::class(Class::Unicode(class))
        }
        HirKind::Repetition(rep) => {
            let max = if is_long(rep) { None } else { rep.max };
            Hir::repetition(Repetition { sub: Box::new(widen(&rep.sub, wide)), max, ..rep.clone() })
        }
        HirKind::Capture(cap) => Hir::capture(Capture { sub: Box::new(widen(&cap.sub, wide)), ..cap.clone() }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(|p| widen(p, wide)).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(|p| widen(p, wide)).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => hir.clone(),
    }
}

/// Where a coarse regex agrees with the regex as written.
///
/// Where the coarse regex matches a text no longer than `longest` characters whose non-ASCII
/// characters are all among `chars`, the regex as written finds the same match: the coarse
/// regex took a path through the pattern that the regex as written can take too (no widened
/// class took a character its class as written refuses, no repetition went round more often
/// than its bound), and no path it prefers (by leftmost-first order) matches, since the coarse
/// regex would have taken that one instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Agreement {
    /// The non-ASCII characters on which every widened class agrees with the class as
    /// written, as sorted, disjoint ranges: those all of them held, and those the pattern
    /// names.
    chars: Vec<(char, char)>,
    /// The most characters a match may have to be sure no repetition left unbounded went
    /// round more often than its bound (see [`longest_agreed`]; `usize::MAX` when none was).
    longest: usize,
}

impl Agreement {
    /// Whether the coarse regex's match `matched` is the regex's as written.
    pub(crate) fn admits(&self, matched: &str) -> bool {
        let short = matched.len() <= self.longest || matched.chars().count() <= self.longest;
        short && (matched.is_ascii() || matched.chars().filter(|c| !c.is_ascii()).all(|c| self.contains(c)))
    }

    fn contains(&self, c: char) -> bool {
        let at = self.chars.partition_point(|&(_, end)| end < c);
        self.chars.get(at).is_some_and(|&(start, _)| start <= c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pattern: &str) -> Hir {
        regex_syntax::ParserBuilder::new().case_insensitive(true).build().parse(pattern).unwrap()
    }

    #[test]
    fn only_large_classes_are_widened() {
        for small in [r"sponsored by", r"k\s+[^.!?\n]*", r"[àèéìòù]"] {
            assert!(coarsen(&parse(small)).is_none(), "{small}");
        }
        let (coarse, agreement) = coarsen(&parse(r"by @?[\p{L}\p{N}][\p{L}\p{N}_]*")).unwrap();
        assert_eq!(
            coarse.to_string(),
            parse(r"by @?[0-9A-Za-z\x{80}-\x{10FFFF}][0-9A-Z_a-z\x{80}-\x{10FFFF}]*").to_string()
        );
        assert!(agreement.admits("é2ñ") && agreement.admits("plain"));
        assert!(!agreement.admits("a’s") && !agreement.admits("🙂"));
    }

    #[test]
    fn agreed_characters_are_those_every_widened_class_held() {
        let (_, agreement) = coarsen(&parse(r"(?-i:\p{Lu})[\p{L}\p{N}]+ (?:[^\p{L}\s]|$)")).unwrap();
        // `\p{Lu}` and `[^\p{L}\s]` share no non-ASCII character.
        assert!(!agreement.admits("É") && !agreement.admits("—"));
        let (_, agreement) = coarsen(&parse(r"(?-i:\p{Lu})[\p{L}\p{N}]+")).unwrap();
        assert!(agreement.admits("ÉÀ") && !agreement.admits("é"));
    }

    #[test]
    fn long_repetitions_are_unbounded_and_longer_matches_looked_for_again() {
        let (coarse, agreement) = coarsen(&parse(r"how[^\n]{0,30}disclos[a-z]{1,3}")).unwrap();
        assert_eq!(coarse.to_string(), parse(r"how[^\n]*disclos[a-z]{1,3}").to_string());
        // "how", "disclos" and one letter take 11 characters of any match: 30 more are left.
        assert!(agreement.admits(&"x".repeat(41)) && agreement.admits(&"è".repeat(41)));
        assert!(!agreement.admits(&"x".repeat(42)));
        // A repetition inside another one gets its bound alone, unless that one is optional.
        let (_, agreement) = coarsen(&parse(r"(?:a[^\n]{0,30}b)+")).unwrap();
        assert!(agreement.admits(&"x".repeat(30)) && !agreement.admits(&"x".repeat(31)));
        let (_, agreement) = coarsen(&parse(r"by (?:[^\n]{0,30} )?for")).unwrap();
        assert!(agreement.admits(&"x".repeat(36)) && !agreement.admits(&"x".repeat(37)));
        // The least allowance of the list's alternatives counts.
        let (_, agreement) = coarsen(&parse(r"thanks[^\n]{0,20}for having|x[^\n]{0,25}")).unwrap();
        assert!(agreement.admits(&"x".repeat(26)) && !agreement.admits(&"x".repeat(27)));
        // A round that may take nothing does not bound the length of a match.
        assert!(coarsen(&parse(r"a(?:b?){0,40}")).is_none());
    }

    #[test]
    fn characters_the_pattern_names_stay_out_of_the_widened_classes() {
        let (coarse, agreement) = coarsen(&parse(r"(?:€|£)\s?[0-9]+|ti regal\p{L}*|l['’]ha")).unwrap();
        assert!(agreement.admits("€£’\u{a0}è"), "named, or held by the only large class");
        assert!(!agreement.admits("—") && !agreement.admits("🙂"));
        let regex = regex::Regex::new(&format!("^(?:{coarse})$")).unwrap();
        assert!(regex.is_match("ti regalè—") && !regex.is_match("ti regal’") && !regex.is_match("ti regal€"));
    }
}
