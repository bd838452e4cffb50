//! Applying the fixes findings carry: edits merged without overlap, checked again, to a
//! fixpoint; the unified diff of what changed; the waivers `--add-waiver` writes. The command
//! line writes a fixed file whole or not at all (`cli::output`).

mod diff;
mod waiver;

use std::collections::{BTreeMap, BTreeSet};

pub use diff::unified_diff;
pub use waiver::waiver_edits;

use crate::finding::{Edit, Finding, Fix};
use crate::rules::Applicability;

/// Rounds of fixing and checking again, at most: a fix can make room for another one (a
/// label moved first clears the way for nothing else in the built-in packs), so two or three
/// rounds are the most a file needs; the bound stops a pack whose fixes undo each other.
pub const MAX_ROUNDS: usize = 10;

/// Which fixes to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FixMode {
    /// The least sure fixes applied: `Safe` applies only safe ones, `Unsafe` both.
    pub up_to: Applicability,
}

impl FixMode {
    pub fn allows(self, fix: &Fix) -> bool {
        fix.applicability <= self.up_to
    }
}

/// A text after fixing, with the last check of it (`C`: what the check gives).
#[derive(Debug)]
pub struct Fixed<C> {
    pub text: String,
    /// Findings repaired.
    pub applied: usize,
    /// The check of the fixed text.
    pub checked: C,
}

/// Whether two edits touch: they share bytes, or one inserts at a place the other edits or
/// inserts at too (the order of two insertions at one place would be a guess).
fn conflict(a: &Edit, b: &Edit) -> bool {
    if a.span.is_empty() || b.span.is_empty() {
        a.span.start <= b.span.end && b.span.start <= a.span.end
    } else {
        a.span.start < b.span.end && b.span.start < a.span.end
    }
}

/// `text` with the edits of `fixes` applied, taken in order; a fix with an edit that touches
/// one of a fix taken before is left out. Gives the text and which fixes were applied.
pub fn apply<'a>(text: &str, fixes: impl IntoIterator<Item = &'a Fix>) -> (String, Vec<bool>) {
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = Vec::new();
    for fix in fixes {
        let fits = fix.edits.iter().enumerate().all(|(i, e)| {
            text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
                && e.span.end <= text.len()
                && !taken.iter().any(|t| conflict(t, e))
                && !fix.edits.iter().skip(i + 1).any(|other| conflict(other, e))
        });
        applied.push(fits);
        if fits {
            taken.extend(&fix.edits);
        }
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for edit in taken {
        out.push_str(text.get(at..edit.span.start).unwrap_or_default());
        out.push_str(&edit.replacement);
        at = edit.span.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    (out, applied)
}

/// What identifies a finding whatever its position: its rule and the words it points at.
fn identity(text: &str, finding: &Finding) -> (String, String) {
    let words = text.get(finding.span().range()).unwrap_or_default();
    (finding.rule.to_string(), crate::finding::normalized_words(words))
}

/// How many findings of each rule. A fix may move the words a finding of another rule points
/// at (a label inserted first widens a sentence), so findings are counted per rule, not
/// matched by their words.
fn census(findings: &[Finding]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for finding in findings {
        *counts.entry(finding.rule.to_string()).or_insert(0) += 1;
    }
    counts
}

/// Whether `after` holds a finding `before` did not: more findings of one rule than there were.
fn brings_new(before: &BTreeMap<String, usize>, after: &[Finding]) -> bool {
    census(after).iter().any(|(rule, count)| before.get(rule).copied().unwrap_or(0) < *count)
}

/// Fixes `text` to a fixpoint, with `check` giving its findings: see [`fix_checked`].
pub fn fix_text(text: &str, mode: FixMode, check: &dyn Fn(&str) -> Vec<Finding>) -> Fixed<Vec<Finding>> {
    fix_checked(text, check(text), mode, check, Vec::as_slice)
}

/// Fixes `text`, whose check is `first`, to a fixpoint: each round applies the fixes `mode`
/// allows that do not touch each other, then checks the text again with `check` (`findings`
/// reads the findings of a check). A round that brings a finding the text did not have is
/// undone and its fixes tried one at a time, each with its fallbacks; a fix that brings one
/// on its own is never applied. A text with nothing to fix is checked once, by the caller.
pub fn fix_checked<C>(
    text: &str,
    first: C,
    mode: FixMode,
    check: &dyn Fn(&str) -> C,
    findings: fn(&C) -> &[Finding],
) -> Fixed<C> {
    let mut current = text.to_owned();
    let mut checked = first;
    let mut applied = 0;
    let mut refused: BTreeSet<(String, String)> = BTreeSet::new();
    for _ in 0..MAX_ROUNDS {
        // The fixes to try, each with what identifies its finding.
        let (candidates, identities): (Vec<Fix>, Vec<(String, String)>) = findings(&checked)
            .iter()
            .filter_map(|f| Some((f.fix.clone().filter(|fix| mode.allows(fix))?, identity(&current, f))))
            .filter(|(_, id)| !refused.contains(id))
            .unzip();
        if candidates.is_empty() {
            break;
        }
        let before = census(findings(&checked));
        let (next, taken) = apply(&current, &candidates);
        let next_checked = check(&next);
        if !brings_new(&before, findings(&next_checked)) {
            applied += taken.iter().filter(|t| **t).count();
            current = next;
            checked = next_checked;
            continue;
        }
        // One at a time: the first that brings nothing new is kept, the others that bring
        // something are refused, and the next round starts from the new text.
        let mut kept = None;
        'candidates: for (fix, id) in candidates.iter().zip(identities) {
            // The fix, then its fallbacks (the clear label of the other language, for a
            // market that does not accept the post's own).
            let mut option = Some(fix);
            while let Some(fix) = option {
                let (alone, _) = apply(&current, [fix]);
                let alone_checked = check(&alone);
                if !brings_new(&before, findings(&alone_checked)) {
                    kept = Some((alone, alone_checked));
                    break 'candidates;
                }
                option = fix.fallback.as_deref();
            }
            refused.insert(id);
        }
        let Some((next, next_checked)) = kept else { break };
        applied += 1;
        current = next;
        checked = next_checked;
    }
    Fixed { text: current, applied, checked }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    fn edit(start: usize, end: usize, with: &str) -> Edit {
        Edit { span: Span::new(start, end), replacement: with.to_owned() }
    }

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix { description: String::new(), applicability: Applicability::Safe, edits, fallback: None }
    }

    #[test]
    fn edits_apply_in_order_and_touching_ones_are_left_out() {
        let text = "hello #sp world #ad";
        let replace = fix(vec![edit(6, 9, "#ad")]);
        let insert = fix(vec![edit(0, 0, "#ad "), edit(15, 19, "")]);
        let same_place = fix(vec![edit(0, 0, "#ad ")]);
        let (out, applied) = apply(text, [&replace, &insert, &same_place]);
        assert_eq!(out, "#ad hello #ad world");
        assert_eq!(applied, vec![true, true, false]);
        let overlapping = fix(vec![edit(7, 8, "x")]);
        let (out, applied) = apply(text, [&replace, &overlapping]);
        assert_eq!(out, "hello #ad world #ad");
        assert_eq!(applied, vec![true, false]);
    }

    #[test]
    fn an_edit_off_a_char_boundary_is_never_applied() {
        let text = "è";
        let (out, applied) = apply(text, [&fix(vec![edit(1, 1, "x")])]);
        assert_eq!((out.as_str(), applied), ("è", vec![false]));
    }
}
