//! Use versus mention, sentences and negation windows: text helpers of the engine.

/// Sentence ranges of a block text: a sentence ends after `.`, `!`, `?` or `…` followed by
/// whitespace (a closing quote or bracket may come between).
pub(super) fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?' | '…') {
            let mut end = i + c.len_utf8();
            while let Some(&(j, next)) = chars.peek() {
                if matches!(next, '"' | '”' | '»' | '’' | '\'' | ')' | ']' | '.' | '!' | '?') {
                    end = j + next.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            let before = text.get(start..i).unwrap_or_default();
            if chars.peek().is_none_or(|&(_, next)| next.is_whitespace()) && !(c == '.' && is_abbreviation(before)) {
                out.push((start, end));
                start = end;
            }
        }
    }
    if start < text.len() || out.is_empty() {
        out.push((start, text.len()));
    }
    out
}

/// Whether the word ending right before a full stop is an abbreviation ("e.g.", "ecc.") or an
/// initial ("John D."), after which a sentence does not end.
fn is_abbreviation(before: &str) -> bool {
    const ABBREVIATIONS: [&str; 22] = [
        "e.g", "i.e", "eg", "ie", "etc", "vs", "cf", "approx", "incl", "mr", "mrs", "ms", "dr", "st", "no", "es",
        "ecc", "p.es", "ad es", "sig", "dott", "pag",
    ];
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or_default();
    let lower = word.to_lowercase();
    let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    initial || ABBREVIATIONS.contains(&lower.as_str()) || before.to_lowercase().ends_with("ad es")
}

/// The text of up to `n` words before `at`, not reaching back past `from`.
pub(super) fn words_before(text: &str, from: usize, at: usize, n: usize) -> &str {
    let Some(before) = text.get(from..at) else { return "" };
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in before.char_indices().rev() {
        if c.is_whitespace() {
            if in_word {
                words += 1;
                if words == n {
                    return before.get(i..).unwrap_or_default();
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    before
}

/// The length in bytes of the start of `text` that holds its first `n` words (all of it when
/// it has fewer).
fn words_after(text: &str, n: usize) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if in_word {
                words += 1;
                if words == n {
                    return i;
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    text.len()
}

/// How far (in bytes) a meta-language cue may be from the words it governs.
const CUE_REACH: usize = 40;
/// The most words a quotation can hold and still be a quoted label.
const MAX_QUOTED_WORDS: usize = 12;

/// Whether the match `m` in `text` is talked about rather than used: quoted in a sentence with
/// a meta-language cue, or right after such a cue (or right before an `after` cue such as
/// "is not a disclosure"). `cues` and `after` are cue matches within the sentence.
pub(super) fn is_mention(
    text: &str,
    sentence: (usize, usize),
    m: (usize, usize),
    cues: &[(usize, usize)],
    after: &[(usize, usize)],
) -> bool {
    if cues.is_empty() && after.is_empty() {
        return false;
    }
    // Cues come in order: only the nearest one on each side can be close enough.
    let nearest_before = cues.partition_point(|&(_, end)| end <= m.0).checked_sub(1).and_then(|i| cues.get(i));
    let governed_before = nearest_before.is_some_and(|&(_, end)| m.0 - end <= CUE_REACH);
    let nearest_after = after.get(after.partition_point(|&(start, _)| start < m.1));
    let governed_after = nearest_after.is_some_and(|&(start, _)| start - m.1 <= CUE_REACH);
    governed_before || governed_after || is_quoted(text, sentence, m)
}

/// Whether `m` sits inside a short quotation within its sentence.
pub(super) fn is_quoted(text: &str, sentence: (usize, usize), m: (usize, usize)) -> bool {
    let (Some(before), Some(after)) = (text.get(sentence.0..m.0), text.get(m.1..sentence.1)) else {
        return false;
    };
    // A quotation holds at most MAX_QUOTED_WORDS words, so its quotes are within one word
    // more of the match: looking further (over a long sentence, for each match) would only
    // find longer ones.
    let near_before = before.len() - words_before(text, sentence.0, m.0, MAX_QUOTED_WORDS + 1).len();
    let near_after = words_after(after, MAX_QUOTED_WORDS + 1);
    for (open, close) in [('"', '"'), ('“', '”'), ('«', '»'), ('‘', '’'), ('\'', '\''), ('“', '"'), ('"', '”')]
    {
        let Some(open_at) = before.get(near_before..).and_then(|b| b.rfind(open)).map(|i| i + near_before) else {
            continue;
        };
        // A straight quote or apostrophe opens only at the start of a word.
        if matches!(open, '\'' | '‘') {
            let prev = before.get(..open_at).and_then(|p| p.chars().next_back());
            if prev.is_some_and(char::is_alphanumeric) {
                continue;
            }
        }
        let inside_before = before.get(open_at + open.len_utf8()..).unwrap_or_default();
        if inside_before.contains(close) && open == close {
            continue;
        }
        let close_at = after.get(..near_after).unwrap_or_default().char_indices().find(|&(i, c)| {
            c == close
                && after.get(i + c.len_utf8()..).and_then(|r| r.chars().next()).is_none_or(|n| !n.is_alphanumeric())
        });
        let Some((close_at, _)) = close_at else { continue };
        let quoted = format!(
            "{inside_before}{}{}",
            text.get(m.0..m.1).unwrap_or_default(),
            after.get(..close_at).unwrap_or_default()
        );
        if quoted.split_whitespace().count() <= MAX_QUOTED_WORDS {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_sentences() {
        let s = sentences("One. Two! \"Three?\" Four");
        let text = "One. Two! \"Three?\" Four";
        let parts: Vec<&str> = s.iter().map(|&(a, b)| text[a..b].trim()).collect();
        assert_eq!(parts, vec!["One.", "Two!", "\"Three?\"", "Four"]);
        assert_eq!(sentences("amzn.to/x ok"), vec![(0, 12)]);
        let text = "Avoid labels, e.g. \"#sp\". Ask John D. first.";
        let parts: Vec<&str> = sentences(text).iter().map(|&(a, b)| text[a..b].trim()).collect();
        assert_eq!(parts, vec!["Avoid labels, e.g. \"#sp\".", "Ask John D. first."]);
    }

    #[test]
    fn words_before_stops_at_n_words() {
        let text = "this is really not an #ad";
        let at = text.find("#ad").unwrap();
        assert_eq!(words_before(text, 0, at, 2).trim(), "not an");
        assert_eq!(words_before(text, 0, at, 9).trim(), "this is really not an");
    }

    #[test]
    fn quotes_and_cues() {
        let text = "Avoid labels like \"#sp\" at all costs.";
        let at = text.find("#sp").unwrap();
        assert!(is_quoted(text, (0, text.len()), (at, at + 3)));
        let text = "I love l'olio #adv";
        let at = text.find("#adv").unwrap();
        assert!(!is_quoted(text, (0, text.len()), (at, at + 4)));
        let text = "Hashtags like #sp or #spon are not valid.";
        let cue = text.find("like").map(|i| (i, i + 4)).unwrap();
        let at = text.find("#spon").unwrap();
        assert!(is_mention(text, (0, text.len()), (at, at + 5), &[cue], &[]));
        assert!(!is_mention(text, (0, text.len()), (at, at + 5), &[], &[]));
    }
}
