//! Use versus mention, sentences and negation windows: text helpers of the engine.

/// Sentence ranges of a block text: a sentence ends after `.`, `!`, `?` or `…` followed by
/// whitespace (a closing quote or bracket may come between).
pub(super) fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    // A byte scan: every terminator starts with one of these bytes (`…` with 0xE2), and
    // decoding each character of every block cost more than the rest of this function.
    let mut at = 0;
    while let Some(found) =
        bytes.get(at..).and_then(|rest| rest.iter().position(|b| matches!(b, b'.' | b'!' | b'?' | 0xE2)))
    {
        let i = at + found;
        let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else { break };
        at = i + c.len_utf8();
        if !matches!(c, '.' | '!' | '?' | '…') {
            continue;
        }
        let mut end = at;
        let mut rest = text.get(end..).unwrap_or_default().chars();
        let mut next = rest.next();
        while let Some(closer @ ('"' | '”' | '»' | '’' | '\'' | ')' | ']' | '.' | '!' | '?')) = next {
            end += closer.len_utf8();
            next = rest.next();
        }
        at = end;
        let before = text.get(start..i).unwrap_or_default();
        let after = text.get(end..).unwrap_or_default();
        if next.is_none_or(char::is_whitespace) && !(c == '.' && is_abbreviation(before, after)) {
            out.push((start, end));
            start = end;
        }
    }
    if start < text.len() || out.is_empty() {
        out.push((start, text.len()));
    }
    out
}

/// Whether the word ending right before a full stop is an abbreviation ("e.g.", "ecc.", "No."
/// before a number) or an initial ("John D."), after which a sentence does not end.
fn is_abbreviation(before: &str, after: &str) -> bool {
    const ABBREVIATIONS: [&str; 22] = [
        "e.g", "i.e", "eg", "ie", "etc", "vs", "cf", "approx", "incl", "mr", "mrs", "ms", "dr", "st", "no", "es",
        "ecc", "p.es", "ad es", "sig", "dott", "pag",
    ];
    let word = before.rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or_default();
    let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    // "No." abbreviates a number only before one: "cosa funziona e cosa no. Il set…" ends.
    if word.eq_ignore_ascii_case("no") {
        return after.trim_start().starts_with(|c: char| c.is_ascii_digit());
    }
    // The abbreviations are ASCII, so comparing ASCII case is enough, and nothing is lowered
    // or copied: a long sentence full of full stops stays linear.
    let ends_with = |suffix: &str| {
        before
            .len()
            .checked_sub(suffix.len())
            .and_then(|at| before.get(at..))
            .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix))
    };
    initial || ABBREVIATIONS.iter().any(|a| word.eq_ignore_ascii_case(a)) || ends_with("ad es")
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

/// What ends a clause: punctuation, a bracket, a dash.
const CLAUSE_BREAKS: [char; 10] = [',', ';', ':', '(', ')', '—', '–', '.', '!', '?'];

/// Up to `n` words of `text[at..to]`, without the spaces that open them: the words right
/// after a match.
pub(super) fn words_right_after(text: &str, at: usize, to: usize, n: usize) -> &str {
    let after = text.get(at..to.max(at)).unwrap_or_default().trim_start();
    after.get(..words_after(after, n)).unwrap_or_default()
}

/// The part of a window after a match that is in the same clause as the match: what comes
/// before the first clause break (see [`same_clause`]).
pub(super) fn clause_start(window: &str) -> &str {
    let cut = window.find(CLAUSE_BREAKS).unwrap_or(window.len());
    window.get(..cut).unwrap_or_default()
}

/// The part of a negation window that is in the same clause as the words after it: what
/// follows the last clause break (`,` `;` `:` `(` `)` a dash) or the last contrasting
/// conjunction ("but", "ma", "però"). "Not sponsored, but @glowco sent me this" negates the
/// label, not the gift.
pub(super) fn same_clause(window: &str) -> &str {
    const CONTRAST: [&str; 8] = ["but", "yet", "however", "though", "ma", "però", "tuttavia", "eppure"];
    let mut cut = 0;
    let mut word_start = None;
    for (i, c) in window.char_indices() {
        if CLAUSE_BREAKS.contains(&c) && !(c == ',' && opens_list_item(window.get(i + 1..).unwrap_or_default())) {
            cut = i + c.len_utf8();
        }
        if c.is_alphanumeric() {
            word_start.get_or_insert(i);
        } else if let Some(start) = word_start.take() {
            let word = window.get(start..i).unwrap_or_default();
            if is_one_of(word, &CONTRAST) {
                cut = i;
            }
        }
    }
    window.get(cut..).unwrap_or_default()
}

/// Whether the words after a comma go on with a list ("sconti, regali o altri vantaggi",
/// "discounts, gifts or any other perk"): a coordinator within the next three words, before
/// any other break. Such a comma does not end the clause.
fn opens_list_item(rest: &str) -> bool {
    const COORDINATORS: [&str; 8] = ["and", "or", "nor", "e", "ed", "o", "od", "né"];
    let before_break = rest.split(CLAUSE_BREAKS).next().unwrap_or_default();
    before_break.split_whitespace().take(4).skip(1).any(|word| is_one_of(word, &COORDINATORS))
}

/// Whether `word`, lowercased, is one of `words` (given lowercase).
fn is_one_of(word: &str, words: &[&str]) -> bool {
    words.iter().any(|w| w.chars().eq(word.chars().flat_map(char::to_lowercase)))
}

/// Bidirectional controls: they reorder what a reader sees ("\u{202E}#ad" reads "da#").
pub(super) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether the match `m` holds a bidirectional control or sits right after one: the words
/// are not what a reader sees, so they do not count as a label.
pub(super) fn is_reordered(text: &str, (start, end): (usize, usize)) -> bool {
    let inside = text.get(start..end).unwrap_or_default();
    let before = text.get(..start).and_then(|b| b.chars().next_back());
    inside.chars().any(is_bidi_control) || before.is_some_and(is_bidi_control)
}

/// How far (in bytes) after a quote cue its quotation may open.
const QUOTE_REACH: usize = 40;

/// Quotation marks that open a reported quotation, with the mark that closes it. A straight
/// single quote is left out: in Italian it is mostly an apostrophe.
const QUOTE_PAIRS: [(char, char); 5] = [('"', '"'), ('“', '”'), ('«', '»'), ('„', '“'), ('‘', '’')];

/// Whether a text holds a mark that can open a reported quotation (a cheap test before any
/// cue is looked for).
pub(super) fn has_quotation_mark(text: &str) -> bool {
    text.contains(|c: char| QUOTE_PAIRS.iter().any(|&(open, _)| open == c))
}

/// Whether a block's text opens with a quotation mark (after blanks and list or emphasis marks).
pub(super) fn opens_with_quotation(text: &str) -> bool {
    text.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '>' | '-'))
        .chars()
        .next()
        .is_some_and(|c| QUOTE_PAIRS.iter().any(|&(open, _)| open == c))
}

/// The quotations that quote cues open: for each cue match, a quotation mark at most
/// [`QUOTE_REACH`] bytes after it (with no sentence end between) opens a quotation that runs
/// to its closing mark, or to the end of the text when it is never closed.
pub(super) fn reported_quotations(text: &str, cues: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &(_, cue_end) in cues {
        if out.last().is_some_and(|&(_, to)| cue_end < to) {
            continue;
        }
        let Some(after) = text.get(cue_end..) else { continue };
        let mut open = None;
        for (i, c) in after.char_indices() {
            if i > QUOTE_REACH || matches!(c, '.' | '!' | '?' | '\n') {
                break;
            }
            if let Some(&(_, close)) = QUOTE_PAIRS.iter().find(|&&(o, _)| o == c) {
                open = Some((cue_end + i + c.len_utf8(), close));
                break;
            }
        }
        let Some((from, close)) = open else { continue };
        let rest = text.get(from..).unwrap_or_default();
        let to = rest
            .char_indices()
            .find(|&(i, c)| {
                c == close
                    && rest.get(i + c.len_utf8()..).and_then(|r| r.chars().next()).is_none_or(|n| !n.is_alphanumeric())
            })
            .map_or(text.len(), |(i, _)| from + i);
        out.push((from, to));
    }
    out
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

/// The most words a quotation can hold and be a mention with no cue: a phrase set off in
/// quotation marks ("use my name" mechanics) is talked about, not said.
const MAX_CITED_WORDS: usize = 4;

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
    quoted_words(text, sentence, m).is_some_and(|words| words <= MAX_QUOTED_WORDS)
}

/// Whether `m` is a short phrase set off in quotation marks within its sentence, the whole
/// quotation no more than [`MAX_CITED_WORDS`] words.
pub(super) fn is_cited(text: &str, sentence: (usize, usize), m: (usize, usize)) -> bool {
    quoted_words(text, sentence, m).is_some_and(|words| words <= MAX_CITED_WORDS)
}

/// The number of words of the quotation `m` sits in, within its sentence, if it sits in one.
fn quoted_words(text: &str, sentence: (usize, usize), m: (usize, usize)) -> Option<usize> {
    let (Some(before), Some(after)) = (text.get(sentence.0..m.0), text.get(m.1..sentence.1)) else {
        return None;
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
        let words = quoted.split_whitespace().count();
        if words <= MAX_QUOTED_WORDS {
            return Some(words);
        }
    }
    None
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
        let text = "Cosa funziona e cosa no. Il set me l'hanno mandato. Il No. 5 resta.";
        let parts: Vec<&str> = sentences(text).iter().map(|&(a, b)| text[a..b].trim()).collect();
        assert_eq!(parts, vec!["Cosa funziona e cosa no.", "Il set me l'hanno mandato.", "Il No. 5 resta."]);
    }

    #[test]
    fn words_before_stops_at_n_words() {
        let text = "this is really not an #ad";
        let at = text.find("#ad").unwrap();
        assert_eq!(words_before(text, 0, at, 2).trim(), "not an");
        assert_eq!(words_before(text, 0, at, 9).trim(), "this is really not an");
    }

    #[test]
    fn words_after_a_match_stop_at_n_words_and_at_the_clause() {
        let text = "gifted by my sister, and I love it";
        let at = "gifted by".len();
        assert_eq!(words_right_after(text, at, text.len(), 2), "my sister,");
        assert_eq!(clause_start(words_right_after(text, at, text.len(), 3)), "my sister");
        assert_eq!(words_right_after(text, text.len(), text.len(), 3), "");
    }

    #[test]
    fn negation_stops_at_the_clause() {
        assert_eq!(same_clause("not sponsored, but "), " ");
        assert_eq!(same_clause("this is really not an "), "this is really not an ");
        assert_eq!(same_clause("Not an ad ma "), " ");
        assert_eq!(same_clause("nessuno "), "nessuno ");
        assert_eq!(same_clause("no gift; "), " ");
        // A comma inside a list does not end the clause; one before other words does.
        assert_eq!(
            same_clause("Non offriamo sconti, regali o altri vantaggi "),
            "Non offriamo sconti, regali o altri vantaggi "
        );
        assert_eq!(same_clause("We don't offer discounts, gifts or any "), "We don't offer discounts, gifts or any ");
        assert_eq!(same_clause("not an ad, @brand "), " @brand ");
        assert_eq!(same_clause("not sponsored, just my honest review and "), " just my honest review and ");
        // A word that only starts like a conjunction is no break.
        assert_eq!(same_clause("not butter "), "not butter ");
    }

    #[test]
    fn quote_cues_open_reported_quotations() {
        let text = "The caption read \"Use code JEN70 for 70% off!\" and nothing else.";
        let cue = text.find("caption").map(|i| (i, i + 7)).unwrap();
        let ranges = reported_quotations(text, &[cue]);
        let code = text.find("JEN70").unwrap();
        assert!(ranges.iter().any(|&(a, b)| a <= code && code < b));
        assert!(ranges.iter().all(|&(_, b)| b < text.find("nothing").unwrap()));
        // Unclosed: the quotation runs to the end of the text.
        let text = "Ha scritto: «mi hanno regalato la crema";
        let cue = text.find("scritto").map(|i| (i, i + 7)).unwrap();
        assert_eq!(reported_quotations(text, &[cue]), vec![(text.find('m').unwrap(), text.len())]);
        // A quotation mark after the sentence has ended is not opened by the cue.
        let text = "She wrote. \"Gifted by @x\"";
        let cue = text.find("wrote").map(|i| (i, i + 5)).unwrap();
        assert!(reported_quotations(text, &[cue]).is_empty());
        assert!(opens_with_quotation("  “Abbiamo la possibilità"));
        assert!(!opens_with_quotation("Abbiamo la possibilità"));
    }

    #[test]
    fn bidi_controls_reorder_a_match() {
        let text = "Love it \u{202E}#ad\u{202C} ok";
        let at = text.find("#ad").unwrap();
        assert!(is_reordered(text, (at, at + 3)));
        let text = "Love it #ad ok";
        let at = text.find("#ad").unwrap();
        assert!(!is_reordered(text, (at, at + 3)));
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
