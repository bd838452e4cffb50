//! Left-factoring of pattern alternations.
//!
//! A list compiles its patterns into one alternation, `(?:p1)|(?:p2)|…`. Searched without an
//! anchor, every state of its lazy DFA holds the first state of every alternative, and
//! computing each new transition walks them all: a list of 300 patterns pays for 300 NFA
//! states at every new state. Grouped by what they start with, `sent me|sent it|gifted`
//! becomes `sent (?:me|it)|gifted`, whose states hold one alternative per distinct start.
//!
//! The factored regex matches what the alternation matches, and finds the same leftmost-first
//! match: alternatives keep their order within a group, and an alternative joins an earlier
//! group only when every group between them starts with bytes it cannot start with (so the
//! two never match at the same position, and their order does not matter).

use regex_syntax::hir::{Capture, Class, Hir, HirKind, Repetition};

/// How many groups an alternative looks back over for one with its start (bounds the work on a
/// list of many thousand patterns; past it, an alternative starts a group of its own).
const LOOK_BACK: usize = 64;

/// How many elements deep a shared prefix is factored (bounds the recursion on patterns that
/// share a long prefix; past it, the rest stays one alternation).
const DEPTH: usize = 64;

/// `hir` with every alternation in it left-factored.
pub(crate) fn factor(hir: Hir) -> Hir {
    if !has_alternation(&hir) {
        return hir;
    }
    match hir.into_kind() {
        HirKind::Alternation(alternatives) => {
            let sequences = alternatives.into_iter().map(|alternative| sequence(factor(alternative))).collect();
            factor_sequences(sequences, 0)
        }
        HirKind::Concat(parts) => Hir::concat(parts.into_iter().map(factor).collect()),
        HirKind::Capture(capture) => Hir::capture(Capture { sub: Box::new(factor(*capture.sub)), ..capture }),
        HirKind::Repetition(repetition) => {
            Hir::repetition(Repetition { sub: Box::new(factor(*repetition.sub)), ..repetition })
        }
        kind => rebuild(kind),
    }
}

fn has_alternation(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Alternation(_) => true,
        HirKind::Concat(parts) => parts.iter().any(has_alternation),
        HirKind::Capture(capture) => has_alternation(&capture.sub),
        HirKind::Repetition(repetition) => has_alternation(&repetition.sub),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => false,
    }
}

/// An alternative as the elements it matches in turn, last first (so that the first is popped
/// off the end).
fn sequence(hir: Hir) -> Vec<Hir> {
    let mut elements = match hir.into_kind() {
        HirKind::Concat(parts) => parts,
        HirKind::Empty => Vec::new(),
        kind => vec![rebuild(kind)],
    };
    elements.reverse();
    elements
}

/// The first element of a sequence, taken off it; of a literal, only its first character, so
/// that `sent` and `send` share `sen`.
fn pop_first(sequence: &mut Vec<Hir>) -> Option<Hir> {
    let first = sequence.pop()?;
    let HirKind::Literal(literal) = first.kind() else { return Some(first) };
    let width = match std::str::from_utf8(&literal.0).ok().and_then(|text| text.chars().next()) {
        Some(c) => c.len_utf8(),
        None => return Some(first),
    };
    if width >= literal.0.len() {
        return Some(first);
    }
    let (head, tail) = literal.0.split_at(width);
    sequence.push(Hir::literal(tail));
    Some(Hir::literal(head))
}

fn rebuild(kind: HirKind) -> Hir {
    match kind {
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(class) => Hir::class(class),
        HirKind::Look(look) => Hir::look(look),
        HirKind::Repetition(repetition) => Hir::repetition(repetition),
        HirKind::Capture(capture) => Hir::capture(capture),
        HirKind::Concat(parts) => Hir::concat(parts),
        HirKind::Alternation(alternatives) => Hir::alternation(alternatives),
    }
}

/// Alternatives that start with the same element.
struct Group {
    /// The element; `None` for the empty alternative.
    start: Option<Hir>,
    /// The bytes a match of the element can start with; `None` when not known.
    first: Option<FirstBytes>,
    /// What follows the element in each alternative, in order (last element first).
    rests: Vec<Vec<Hir>>,
}

fn factor_sequences(sequences: Vec<Vec<Hir>>, depth: usize) -> Hir {
    if depth >= DEPTH {
        return Hir::alternation(sequences.into_iter().map(concat).collect());
    }
    let mut groups: Vec<Group> = Vec::new();
    for mut rest in sequences {
        let Some(start) = pop_first(&mut rest) else {
            groups.push(Group { start: None, first: None, rests: vec![rest] });
            continue;
        };
        let first = first_bytes(&start);
        let mut joined = None;
        for (index, group) in groups.iter().enumerate().rev().take(LOOK_BACK) {
            if group.start.as_ref() == Some(&start) {
                joined = Some(index);
                break;
            }
            if !disjoint(group.first.as_ref(), first.as_ref()) {
                break;
            }
        }
        match joined.and_then(|index| groups.get_mut(index)) {
            Some(group) => group.rests.push(rest),
            None => groups.push(Group { start: Some(start), first, rests: vec![rest] }),
        }
    }
    Hir::alternation(
        groups
            .into_iter()
            .map(|group| {
                let Some(start) = group.start else { return Hir::empty() };
                let mut rests = group.rests;
                let rest = if rests.len() == 1 {
                    rests.pop().map_or_else(Hir::empty, concat)
                } else {
                    factor_sequences(rests, depth + 1)
                };
                Hir::concat(vec![start, rest])
            })
            .collect(),
    )
}

/// A sequence (last element first) as one expression.
fn concat(mut sequence: Vec<Hir>) -> Hir {
    sequence.reverse();
    Hir::concat(sequence)
}

/// A set of bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
struct FirstBytes([u64; 4]);

impl FirstBytes {
    fn range(&mut self, start: u8, end: u8) {
        for byte in start..=end {
            if let Some(word) = self.0.get_mut(usize::from(byte / 64)) {
                *word |= 1 << (byte % 64);
            }
        }
    }
}

fn disjoint(a: Option<&FirstBytes>, b: Option<&FirstBytes>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.0.iter().zip(b.0.iter()).all(|(x, y)| x & y == 0),
        _ => false,
    }
}

/// The bytes a match of `hir` can start with; `None` when not known (it may match empty text
/// first, or starts with an assertion).
fn first_bytes(hir: &Hir) -> Option<FirstBytes> {
    let mut set = FirstBytes([0; 4]);
    match hir.kind() {
        HirKind::Literal(literal) => {
            let byte = *literal.0.first()?;
            set.range(byte, byte);
        }
        HirKind::Class(Class::Unicode(class)) => {
            for range in class.ranges() {
                set.range(first_utf8_byte(range.start()), first_utf8_byte(range.end()));
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            for range in class.ranges() {
                set.range(range.start(), range.end());
            }
        }
        HirKind::Repetition(repetition) if repetition.min > 0 => return first_bytes(&repetition.sub),
        HirKind::Capture(capture) => return first_bytes(&capture.sub),
        HirKind::Concat(parts) => {
            let first = parts.first()?;
            return if first.properties().minimum_len().is_some_and(|len| len > 0) { first_bytes(first) } else { None };
        }
        HirKind::Alternation(alternatives) => {
            for alternative in alternatives {
                let bytes = first_bytes(alternative)?;
                for (word, other) in set.0.iter_mut().zip(bytes.0) {
                    *word |= other;
                }
            }
        }
        _ => return None,
    }
    Some(set)
}

/// The first byte of `c` in UTF-8: it grows with the code point, so a range of characters
/// starts with the bytes from its first character's to its last's.
fn first_utf8_byte(c: char) -> u8 {
    let mut buffer = [0; 4];
    c.encode_utf8(&mut buffer);
    buffer[0]
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::meta::Regex;
    use regex_syntax::ParserBuilder;

    fn parse(pattern: &str) -> Hir {
        ParserBuilder::new().case_insensitive(true).build().parse(pattern).unwrap()
    }

    fn finds(hir: &Hir, text: &str) -> Vec<(usize, usize)> {
        let regex = Regex::builder().build_from_hir(hir).unwrap();
        regex.find_iter(text).map(|m| (m.start(), m.end())).collect()
    }

    #[test]
    fn alternatives_that_start_alike_share_their_start() {
        let factored = factor(parse("sent me|sent it|gifted"));
        let HirKind::Alternation(groups) = factored.kind() else { panic!("{factored:?}") };
        assert_eq!(groups.len(), 2, "{factored:?}");
    }

    #[test]
    fn an_alternative_never_jumps_one_that_can_match_at_the_same_start() {
        // `\w+` can start where `ab` starts: `ac` stays after it, and `x\w+` wins on "xac".
        let hir = parse(r"ab|\w+|ac");
        let factored = factor(hir.clone());
        assert_eq!(finds(&hir, "ac ab x"), finds(&factored, "ac ab x"));
        let HirKind::Alternation(groups) = factored.kind() else { panic!("{factored:?}") };
        assert_eq!(groups.len(), 3, "{factored:?}");
    }

    #[test]
    fn a_shorter_alternative_keeps_its_precedence() {
        let hir = parse("sent|sent me|gift|gifted");
        assert_eq!(finds(&hir, "they sent me a gifted box"), finds(&factor(hir), "they sent me a gifted box"));
    }

    #[test]
    fn long_shared_prefixes_stop_at_the_depth_bound() {
        let long = "a".repeat(500);
        let hir = parse(&format!("{long}b|{long}c"));
        let text = format!("{long}c");
        assert_eq!(finds(&factor(hir.clone()), &text), finds(&hir, &text));
    }

    proptest::proptest! {
        #[test]
        fn factoring_never_changes_a_match(
            words in proptest::collection::vec("[abé ]{1,4}(?:\\w{0,2}| x)?", 1..12),
            text in "[abéx AB]{0,40}",
        ) {
            let pattern = words.iter().map(|w| format!("(?:{})", regex_syntax::escape(w))).collect::<Vec<_>>().join("|");
            let gap = format!("{pattern}|a(?:\\w+\\W+){{0,2}}b");
            for pattern in [pattern, gap] {
                let hir = parse(&pattern);
                proptest::prop_assert_eq!(finds(&hir, &text), finds(&factor(hir.clone()), &text), "{}", pattern);
            }
        }
    }
}
