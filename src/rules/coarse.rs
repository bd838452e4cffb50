//! Coarse regexes: large Unicode classes widened to every non-ASCII character.
//!
//! A class like `[\p{L}\p{N}]` compiles to about 330 NFA states forward and 1,400 in reverse,
//! and a pattern list repeats it in every pattern that names a brand after "sponsored by". The
//! lazy DFA sizes each thread's cache by those states, and the many byte ranges of the class
//! multiply the size of every DFA state. Widened to `[0-9A-Za-z\x{80}-\x{10FFFF}]` the same
//! class takes 13 states; over the built-in packs the regexes shrink from 12.9 to 5.6 MiB and
//! their caches by a third.
//!
//! A coarse regex matches everything the regex as written matches, and maybe more; a match is
//! taken as it is when every non-ASCII character in it is one that each widened class held as
//! written (see [`Kept`]), and is looked for again with the regex as written otherwise.

use regex_syntax::hir::{Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition};

/// A class is widened when its non-ASCII part has more ranges than this: `\p{L}` has hundreds,
/// `\s` has nine, and a case-folded letter one or two (`k` also matches the Kelvin sign).
const LARGE_CLASS: usize = 32;

/// A small class names its non-ASCII characters (see [`coarsen`]) when it has at most this
/// many: `\s` names 18, `['’]` one, `[^.!?\n]` none (it holds them all).
const NAMED_CHARS: u32 = 64;

/// `hir` with its large classes widened, and the characters its matches may hold as they are;
/// `None` when no class is large (the regex is then compiled as it is).
///
/// A large class is widened to every non-ASCII character except those the pattern names
/// elsewhere (in a literal or a small class, as `’` in `['’]` or `€` in `(?:€|£)`), and then
/// those named characters, like the ones that every large class held as written, behave in
/// the coarse regex as in the regex as written.
pub(crate) fn coarsen(hir: &Hir) -> Option<(Hir, Kept)> {
    let mut held = ClassUnicode::new([non_ascii()]);
    let mut named = ClassUnicode::empty();
    let mut any_large = false;
    visit(hir, &mut |node| match node.kind() {
        HirKind::Class(Class::Unicode(class)) if is_large(class) => {
            any_large = true;
            held.intersect(class);
        }
        HirKind::Class(Class::Unicode(class)) => {
            let mut part = class.clone();
            part.intersect(&ClassUnicode::new([non_ascii()]));
            let chars: u32 = part.ranges().iter().map(|r| u32::from(r.end()) - u32::from(r.start()) + 1).sum();
            if chars <= NAMED_CHARS {
                named.union(&part);
            }
        }
        HirKind::Literal(literal) => {
            let text = String::from_utf8_lossy(&literal.0);
            named.union(&ClassUnicode::new(
                text.chars().filter(|c| !c.is_ascii()).map(|c| ClassUnicodeRange::new(c, c)),
            ));
        }
        _ => {}
    });
    if !any_large {
        return None;
    }
    let mut wide = ClassUnicode::new([non_ascii()]);
    wide.difference(&named);
    let coarse = widen(hir, &mut |class| {
        is_large(class).then(|| {
            let mut class = class.clone();
            class.union(&wide);
            class
        })
    });
    held.union(&named);
    Some((coarse, Kept(held.ranges().iter().map(|r| (r.start(), r.end())).collect())))
}

fn is_large(class: &ClassUnicode) -> bool {
    class.ranges().iter().filter(|r| r.end() > '\x7f').count() > LARGE_CLASS
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

/// `hir` with every Unicode class `f` returns a replacement for replaced.
fn widen(hir: &Hir, f: &mut dyn FnMut(&ClassUnicode) -> Option<ClassUnicode>) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => match f(class) {
            Some(wide) => Hir::class(Class::Unicode(wide)),
            None => hir.clone(),
        },
        HirKind::Repetition(rep) => Hir::repetition(Repetition { sub: Box::new(widen(&rep.sub, f)), ..rep.clone() }),
        HirKind::Capture(cap) => Hir::capture(Capture { sub: Box::new(widen(&cap.sub, f)), ..cap.clone() }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(|p| widen(p, f)).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(|p| widen(p, f)).collect()),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(Class::Bytes(_)) | HirKind::Look(_) => hir.clone(),
    }
}

/// The non-ASCII characters on which every widened class of a pattern list agrees with the
/// class as written, as sorted, disjoint ranges: those all of them held, and those the
/// pattern names.
///
/// Where the coarse regex matches a text whose non-ASCII characters are all kept, the regex as
/// written finds the same match: the coarse regex took a path through the pattern that the
/// regex as written can take too, and no path it prefers (by leftmost-first order) matches,
/// since the coarse regex would have taken that one instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Kept(Vec<(char, char)>);

impl Kept {
    /// Whether every non-ASCII character of `text` is kept.
    pub(crate) fn admits(&self, text: &str) -> bool {
        text.is_ascii() || text.chars().filter(|c| !c.is_ascii()).all(|c| self.contains(c))
    }

    fn contains(&self, c: char) -> bool {
        let at = self.0.partition_point(|&(_, end)| end < c);
        self.0.get(at).is_some_and(|&(start, _)| start <= c)
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
        let (coarse, kept) = coarsen(&parse(r"by @?[\p{L}\p{N}][\p{L}\p{N}_]*")).unwrap();
        assert_eq!(
            coarse.to_string(),
            parse(r"by @?[0-9A-Za-z\x{80}-\x{10FFFF}][0-9A-Z_a-z\x{80}-\x{10FFFF}]*").to_string()
        );
        assert!(kept.admits("é2ñ") && kept.admits("plain"));
        assert!(!kept.admits("a’s") && !kept.admits("🙂"));
    }

    #[test]
    fn kept_characters_are_those_every_widened_class_held() {
        let (_, kept) = coarsen(&parse(r"(?-i:\p{Lu})[\p{L}\p{N}]+ (?:[^\p{L}\s]|$)")).unwrap();
        // `\p{Lu}` and `[^\p{L}\s]` share no non-ASCII character.
        assert!(!kept.admits("É") && !kept.admits("—"));
        let (_, kept) = coarsen(&parse(r"(?-i:\p{Lu})[\p{L}\p{N}]+")).unwrap();
        assert!(kept.admits("ÉÀ") && !kept.admits("é"));
    }

    #[test]
    fn characters_the_pattern_names_stay_out_of_the_widened_classes() {
        let (coarse, kept) = coarsen(&parse(r"(?:€|£)\s?[0-9]+|ti regal\p{L}*|l['’]ha")).unwrap();
        assert!(kept.admits("€£’\u{a0}è"), "named, or held by the only large class");
        assert!(!kept.admits("—") && !kept.admits("🙂"));
        let regex = regex::Regex::new(&format!("^(?:{coarse})$")).unwrap();
        assert!(regex.is_match("ti regalè—") && !regex.is_match("ti regal’") && !regex.is_match("ti regal€"));
    }
}
