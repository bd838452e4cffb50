//! "Did you mean": the known name closest to one the user typed (a rule id in a configuration
//! or a waiver, a pack id, a directive, a key, a value), when one is close enough to be the
//! name meant.

/// The candidate closest to `typed`, if one is close: at most two edits away (a transposition
/// counts as one), or a fifth of the candidate's length for long ids, or the first half or
/// more of the candidate (`warn` for `warning`, a rule id without its last word). A name
/// typed without its `principle/` part is compared with the part after the `/` as well
/// (`undisclosed-code` finds `relationship/undisclosed-code`). Ties go to the first candidate
/// in sorted order, so the answer never depends on the order candidates come in. An exact
/// match is no suggestion.
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == typed {
            return None;
        }
        let Some(distance) = distance(typed, candidate) else { continue };
        if best.is_none_or(|(d, c)| (distance, candidate) < (d, c)) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// How far `typed` is from `candidate`, when it is close enough to suggest.
fn distance(typed: &str, candidate: &str) -> Option<usize> {
    let whole = within(typed, candidate);
    let slug =
        (!typed.contains('/')).then(|| candidate.split_once('/').and_then(|(_, slug)| within(typed, slug))).flatten();
    match (whole, slug) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn within(typed: &str, candidate: &str) -> Option<usize> {
    let lowered = typed.to_lowercase();
    let distance = strsim::osa_distance(&lowered, candidate);
    let (typed_len, candidate_len) = (lowered.chars().count(), candidate.chars().count());
    let limit = 2.max(candidate_len / 5);
    // A two-letter name two edits away from anything is no evidence of a typo.
    let edited = distance <= limit && distance < candidate_len.max(typed_len);
    let cut_short = typed_len >= 4 && 2 * typed_len >= candidate_len && candidate.starts_with(&lowered);
    (edited || cut_short).then_some(distance)
}

/// ` (did you mean `X`?)`-style help: "did you mean `X`?" when a candidate is close.
pub fn did_you_mean<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(typed, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// "did you mean" for a deserializer's "unknown field `x`, expected one of a, b, c" message
/// (names quoted or not), when one of the expected names is close to `x`.
pub fn for_unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (typed, rest) = rest.split_once('`')?;
    let expected = rest.split_once("expected ")?.1;
    let expected = expected.strip_prefix("one of ").unwrap_or(expected);
    let names = expected.split(',').map(|n| n.trim().trim_matches('`')).filter(|n| !n.is_empty());
    did_you_mean(typed, names)
}

/// "did you mean" for a message that quotes the name typed and lists the names expected, such
/// as "unknown market `ukk` (expected us, uk, it or eu)".
pub fn for_expected(message: &str) -> Option<String> {
    let (_, rest) = message.split_once('`')?;
    let (typed, rest) = rest.split_once('`')?;
    let list = rest.split_once("(expected ")?.1.split_once(')')?.0;
    let names = list.split([',', ' ']).map(|n| n.trim().trim_matches('`')).filter(|n| !n.is_empty() && *n != "or");
    did_you_mean(typed, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 5] = [
        "relationship/ambiguous-label-only",
        "relationship/undisclosed-code",
        "relationship/undisclosed-connection",
        "opinion/false-independence",
        "womlint/unused-waiver",
    ];

    #[test]
    fn typos_find_the_id_meant() {
        assert_eq!(closest("relationship/undisclosd-code", IDS), Some("relationship/undisclosed-code"));
        assert_eq!(closest("relationship/ambiguous-label", IDS), Some("relationship/ambiguous-label-only"));
        assert_eq!(closest("opinion/flase-independence", IDS), Some("opinion/false-independence"));
        assert_eq!(closest("undisclosed-code", IDS), Some("relationship/undisclosed-code"));
        assert_eq!(closest("Womlint/Unused-Waiver", IDS), Some("womlint/unused-waiver"));
        assert_eq!(closest("relationship/undisclosed-conection", IDS), Some("relationship/undisclosed-connection"));
    }

    #[test]
    fn far_names_and_exact_names_get_no_suggestion() {
        assert_eq!(closest("identity/sockpuppet", IDS), None);
        assert_eq!(closest("relationship/undisclosed-code", IDS), None);
        assert_eq!(closest("", IDS), None);
        assert_eq!(closest("ab", ["xy"]), None);
        assert_eq!(closest("warn", ["error", "warning", "info"]), Some("warning"));
        assert_eq!(closest("fial_on", ["fail_on", "packs"]), Some("fail_on"));
    }

    #[test]
    fn unknown_fields_of_a_deserializer() {
        let message = "unknown field `fial_on`, expected one of packs, jurisdiction, fail_on";
        assert_eq!(for_unknown_field(message).as_deref(), Some("did you mean `fail_on`?"));
        let message = "unknown field `flagg`, expected one of `flag`, `pass`";
        assert_eq!(for_unknown_field(message).as_deref(), Some("did you mean `flag`?"));
        assert_eq!(for_unknown_field("unknown field `zzz`, expected `flag`"), None);
        assert_eq!(for_unknown_field("expected sequence start"), None);
    }

    #[test]
    fn names_expected_in_a_message() {
        let message = "unknown market `ukk` (expected us, uk, it or eu)";
        assert_eq!(for_expected(message).as_deref(), Some("did you mean `uk`?"));
        let message = "`warn` is not a rule setting (expected off, error, warning or info)";
        assert_eq!(for_expected(message).as_deref(), Some("did you mean `warning`?"));
        assert_eq!(for_expected("unknown check `nope` (expected forbidden or placement)"), None);
        assert_eq!(for_expected("an empty rule id"), None);
    }

    #[test]
    fn ties_do_not_depend_on_the_order() {
        assert_eq!(closest("ab-c", ["ab-d", "ab-e"]), Some("ab-d"));
        assert_eq!(closest("ab-c", ["ab-e", "ab-d"]), Some("ab-d"));
    }
}
