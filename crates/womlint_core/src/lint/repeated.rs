//! Repeated testimonials: the same words given as two people's own ("the same testimonial
//! under different names", ASA, Conservatory Outlet).
//!
//! Blocks that read as testimonials (quoted, or signed after a dash) are compared by their
//! words, lowercased: two blocks of at least [`MIN_WORDS`] words
//! repeat each other when they have as many words and differ in at most one word in
//! [`WORDS_PER_CHANGE`] ("orangery" for "conservatory"). Each block is hashed whole and by
//! halves, so a copy with one word changed still shares a half with its original: the cost is
//! linear in the text, with a check word by word only for blocks that share a half.

use std::collections::HashMap;

/// The fewest words a block needs to count as a testimonial that can be repeated: shorter
/// ones ("Would recommend.", "Great service, thank you!") are said by many people.
pub(super) const MIN_WORDS: usize = 12;

/// The fewest bytes [`MIN_WORDS`] words take, with the spaces between them: a shorter block
/// is passed over without a look.
pub(super) const MIN_BYTES: usize = 2 * MIN_WORDS - 1;

/// One changed word is allowed in this many.
const WORDS_PER_CHANGE: usize = 8;

/// Candidates kept per half: a half repeated more often than this is boilerplate.
const MAX_PER_HALF: usize = 8;

/// The blocks that repeat an earlier one, as `(later, earlier)` indexes into `blocks`, in order.
/// `blocks` holds the words of each block of one unit (a section, a post), as [`words`] gives
/// them.
pub(super) fn repeats(blocks: &[&[u64]]) -> Vec<(usize, usize)> {
    let mut by_half: HashMap<(bool, u64), Vec<usize>> = HashMap::new();
    let mut out = Vec::new();
    for (index, words) in blocks.iter().enumerate() {
        if words.len() < MIN_WORDS {
            continue;
        }
        let (first, second) = words.split_at(words.len() / 2);
        let keys = [(false, hash(first)), (true, hash(second))];
        let earlier = keys
            .iter()
            .filter_map(|key| by_half.get(key))
            .flatten()
            .copied()
            .find(|&other| blocks.get(other).is_some_and(|o| nearly_equal(o, words)));
        if let Some(earlier) = earlier {
            out.push((index, earlier));
            continue;
        }
        for key in keys {
            let list = by_half.entry(key).or_default();
            if list.len() < MAX_PER_HALF {
                list.push(index);
            }
        }
    }
    out
}

/// The words of the testimonial in `text`, lowercased and without punctuation, each as a
/// hash: what its quotation marks hold, else what comes before a signature's dash ("— Mr &
/// Mrs Lowe"). Nothing is allocated but the list.
pub(super) fn words(text: &str) -> Vec<u64> {
    const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const FNV_PRIME: u64 = 0x0100_0000_01b3;
    let mut out = Vec::new();
    let mut word: Option<u64> = None;
    for c in said(text).chars() {
        if c.is_ascii_alphanumeric() || c == '\'' {
            let hash = word.unwrap_or(FNV_OFFSET);
            word = Some((hash ^ u64::from(c.to_ascii_lowercase())).wrapping_mul(FNV_PRIME));
        } else if !c.is_ascii() && (c.is_alphanumeric() || c == '’') {
            let mut hash = word.unwrap_or(FNV_OFFSET);
            for lower in c.to_lowercase() {
                hash = (hash ^ u64::from(u32::from(lower))).wrapping_mul(FNV_PRIME);
            }
            word = Some(hash);
        } else if let Some(hash) = word.take() {
            out.push(hash);
        }
    }
    out.extend(word);
    out
}

/// Whether a block reads as a testimonial: in a block quote, opened by a quotation mark (after
/// any rating stars), or signed after a dash at its end ("— Sandra W., Preston").
pub(super) fn is_testimonial(text: &str, quoted: bool) -> bool {
    if quoted {
        return true;
    }
    let opening = text.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '★' | '⭐' | '☆' | '*'));
    if opening.starts_with(['"', '“', '«', '„']) {
        return true;
    }
    // An em or en dash (E2 80 94, E2 80 93 in UTF-8) among the last bytes.
    let tail = text.as_bytes().get(text.len().saturating_sub(SIGNATURE_REACH)..).unwrap_or_default();
    memchr::memchr_iter(0xE2, tail).any(|at| matches!(tail.get(at + 1..at + 3), Some([0x80, 0x93 | 0x94])))
}

/// How far from a block's end, in bytes, the dash of a signature may stand.
const SIGNATURE_REACH: usize = 80;

/// The part of a block that is the testimonial itself, without its signature: what its
/// quotation marks hold when little but a signature follows them; when more follows, the
/// quotation is a headline over the testimonial (`**"Worth every penny"**` and the customer's
/// words below it), and the words are what follows it.
fn said(text: &str) -> &str {
    const OPEN: [char; 4] = ['"', '“', '«', '„'];
    const CLOSE: [char; 3] = ['"', '”', '»'];
    if let Some(open) = text.find(OPEN) {
        let inner = text.get(open + 1..).unwrap_or_default();
        if let Some(close) = inner.rfind(CLOSE) {
            let after = inner.get(close + 1..).unwrap_or_default();
            if after.len() <= SIGNATURE_REACH {
                return inner.get(..close).unwrap_or_default();
            }
            return unsigned(after);
        }
    }
    unsigned(text)
}

/// `text` without a signature after a dash ("— Mr & Mrs Lowe").
fn unsigned(text: &str) -> &str {
    text.rfind(['—', '–']).and_then(|dash| text.get(..dash)).unwrap_or(text)
}

fn hash(words: &[u64]) -> u64 {
    words.iter().fold(0x9e37_79b9_7f4a_7c15, |acc, w| (acc.rotate_left(5) ^ w).wrapping_mul(0x0100_0000_01b3))
}

fn nearly_equal(a: &[u64], b: &[u64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).filter(|(x, y)| x != y).count() <= (a.len() / WORDS_PER_CHANGE).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(texts: &[&str]) -> Vec<(usize, usize)> {
        let blocks: Vec<Vec<u64>> = texts.iter().map(|t| words(t)).collect();
        repeats(&blocks.iter().map(Vec::as_slice).collect::<Vec<_>>())
    }

    const THANKS: &str = "We would like to thank everyone at Brightview, from the first visit to your showroom to the completion of our orangery.";

    #[test]
    fn a_quoted_headline_is_not_the_testimonial() {
        let headed = |title: &str, name: &str| format!("**\"{title}\"**\n{THANKS} The fitters were tidy.\n*{name}*");
        assert_eq!(
            units(&[
                &headed("From the first visit...", "Mr & Mrs Archer, Blackburn"),
                &headed("Couldn't be happier", "Mr & Mrs Cobley, Morecambe")
            ]),
            [(1, 0)]
        );
        assert!(units(&[&headed("Great", "A"), "\"Great\" — B"]).is_empty());
    }

    #[test]
    fn the_same_words_twice_repeat() {
        assert_eq!(units(&[THANKS, "Really pleased, would recommend.", THANKS]), [(2, 0)]);
    }

    #[test]
    fn one_word_changed_still_repeats_but_a_rewrite_does_not() {
        let swapped = THANKS.replace("orangery", "conservatory");
        assert_eq!(units(&[THANKS, &swapped]), [(1, 0)]);
        let rewritten =
            "Everyone at Brightview was lovely, from the showroom visit to the day our orangery was finished.";
        assert!(units(&[THANKS, rewritten]).is_empty());
    }

    #[test]
    fn signatures_are_not_part_of_the_words() {
        let signed = |name: &str| format!("\"{THANKS}\"\n— {name}");
        assert_eq!(units(&[&signed("Mr & Mrs Holden, Blackburn"), &signed("Sandra W., Preston")]), [(1, 0)]);
        let unquoted = |name: &str| format!("{THANKS} — {name}");
        assert_eq!(units(&[&unquoted("Mr & Mrs Holden, Blackburn"), &unquoted("Sandra W., Preston")]), [(1, 0)]);
    }

    #[test]
    fn testimonials_are_quoted_or_signed() {
        assert!(is_testimonial("★★★★★ \"Lovely work.\"", false));
        assert!(is_testimonial("Lovely work, tidy fitters. — Sandra W., Preston", false));
        assert!(is_testimonial("Lovely work, tidy fitters.", true));
        assert!(!is_testimonial("Orders placed before noon leave our warehouse the same day.", false));
        // The tail is cut on a character boundary, whatever the letters.
        assert!(!is_testimonial(&"é".repeat(101), false));
    }

    #[test]
    fn short_blocks_never_repeat() {
        assert!(units(&["Would recommend to anyone.", "Would recommend to anyone."]).is_empty());
    }

    #[test]
    fn case_and_punctuation_do_not_matter() {
        let shouted = THANKS.to_uppercase().replace(',', "");
        assert_eq!(units(&[THANKS, &shouted]), [(1, 0)]);
    }
}
