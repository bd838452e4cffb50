//! Rewrites of pattern text, done before a pattern is compiled or analysed.
//!
//! Plain text functions with no dependency beyond the standard library: `build.rs` includes
//! this file too, to analyse the built-in patterns at build time (see [`super::fragments`]).

/// Makes a pattern tolerant of how copy is typed: a space matches any run of whitespace and a
/// straight apostrophe also matches a typographic one. Character classes are left alone except
/// that a `'` inside one also admits `’`.
pub(crate) fn normalize_pattern(pattern: &str) -> String {
    rewrite_pattern(pattern, |c, in_class, rest, out| match c {
        '\\' => {
            out.push(c);
            if let Some(next) = rest.next() {
                out.push(next);
            }
        }
        '\'' if in_class => out.push_str("'’"),
        '\'' => out.push_str("['’]"),
        ' ' if !in_class => {
            while rest.peek() == Some(&' ') {
                rest.next();
            }
            // A group, so that a quantifier after the space (` ?`) applies to all of it.
            out.push_str(r"(?:\s+)");
        }
        _ => out.push(c),
    })
}

/// Copies a pattern through `f`, one character at a time, keeping character classes intact:
/// `f` gets each character outside the class brackets, whether it is inside a class, the rest
/// of the pattern (to consume an escape's argument) and the output.
fn rewrite_pattern(
    pattern: &str,
    mut f: impl FnMut(char, bool, &mut std::iter::Peekable<std::str::Chars<'_>>, &mut String),
) -> String {
    rewrite_classes(pattern, |c, in_class, _negated, rest, out| f(c, in_class, rest, out))
}

/// [`rewrite_pattern`], also telling `f` (third argument) whether some class around the
/// character is negated.
fn rewrite_classes(
    pattern: &str,
    mut f: impl FnMut(char, bool, bool, &mut std::iter::Peekable<std::str::Chars<'_>>, &mut String),
) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars().peekable();
    // Per open class, whether it is negated.
    let mut classes: Vec<bool> = Vec::new();
    while let Some(c) = chars.next() {
        match c {
            '[' => {
                out.push(c);
                // A `]` or `^]` right after the opening bracket is a literal.
                let negated = chars.peek() == Some(&'^');
                if negated {
                    out.push('^');
                    chars.next();
                }
                classes.push(negated);
                if chars.peek() == Some(&']') {
                    out.push(']');
                    chars.next();
                }
            }
            ']' if !classes.is_empty() => {
                classes.pop();
                out.push(c);
            }
            _ => f(c, !classes.is_empty(), classes.contains(&true), &mut chars, &mut out),
        }
    }
    out
}

/// The one character outside `\p{L}` whose case folds to a letter (U+0345 COMBINING GREEK
/// YPOGEGRAMMENI, with ι): with it, a class of letters is closed under case folding.
const FOLDS_TO_A_LETTER: &str = r"\x{345}";

/// The pattern with its classes of all letters (`\p{L}`, `[\p{L}\p{N}_]`) taken out of case
/// folding, as `(?-i:…)`: they match the same text either way (a letter's other case is a
/// letter; U+0345 is added, the one non-letter that folds to one), but case-folding a class
/// of hundreds of ranges is most of the cost of parsing a list. A class holding anything whose
/// case folding could add to it (other escapes, class operations) stays as written.
pub(crate) fn unfold_letter_classes(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            if let Some(after) = rest.strip_prefix(r"\p{L}").or_else(|| rest.strip_prefix(r"\pL")) {
                out.push_str(&format!(r"(?-i:[\p{{L}}{FOLDS_TO_A_LETTER}])"));
                rest = after;
                continue;
            }
            // An escape and its argument, as written.
            let len = rest.chars().take(2).map(char::len_utf8).sum::<usize>();
            out.push_str(rest.get(..len).unwrap_or(rest));
            rest = rest.get(len..).unwrap_or_default();
            continue;
        }
        if c == '[' {
            let end = class_end(rest);
            let class = rest.get(..end).unwrap_or(rest);
            match unfolded_class(class) {
                Some(unfolded) => out.push_str(&unfolded),
                None => out.push_str(class),
            }
            rest = rest.get(end..).unwrap_or_default();
            continue;
        }
        out.push(c);
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    out
}

/// The length of the class that opens `text` (at its `[`), nested classes included; all of
/// `text` when it is never closed.
fn class_end(text: &str) -> usize {
    let mut depth = 0usize;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' => {
                depth += 1;
                // A `]` or `^]` right after the opening bracket is a literal.
                if chars.peek().is_some_and(|&(_, n)| n == '^') {
                    chars.next();
                }
                if chars.peek().is_some_and(|&(_, n)| n == ']') {
                    chars.next();
                }
            }
            ']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// `class` (`[…]`, as written) out of case folding, when it holds `\p{L}` and otherwise only
/// `\p{N}` and characters that case folding cannot add to: digits, letters (in `\p{L}` already)
/// and a few punctuation marks.
fn unfolded_class(class: &str) -> Option<String> {
    let inner = class.strip_prefix('[')?.strip_suffix(']')?;
    let (negated, body) = match inner.strip_prefix('^') {
        Some(body) => (true, body),
        None => (false, inner),
    };
    let mut rest = body;
    let mut letters = false;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = [r"\p{L}", r"\pL"].iter().find_map(|p| rest.strip_prefix(p)) {
            letters = true;
            rest = after;
            continue;
        }
        if let Some(after) = [r"\p{N}", r"\pN"].iter().find_map(|p| rest.strip_prefix(p)) {
            rest = after;
            continue;
        }
        if c == '\\' {
            let escaped = rest.chars().nth(1)?;
            if !matches!(escaped, '.' | '-' | '_' | '\'' | '’' | '&' | '+') {
                return None;
            }
            rest = rest.get(1 + escaped.len_utf8()..)?;
            continue;
        }
        let inert = c.is_ascii_alphanumeric()
            || matches!(c, '_' | '.' | '-' | '\'' | '’' | '@' | '#' | '&' | '+')
            || (('\u{C0}'..='\u{24F}').contains(&c) && c.is_alphabetic());
        if !inert {
            return None;
        }
        rest = rest.get(c.len_utf8()..)?;
    }
    if !letters {
        return None;
    }
    // A `-` at either end of the class is a literal; next to the added character it would
    // make a range, so it is escaped.
    let body = match body.strip_suffix('-').filter(|b| !b.ends_with('\\')) {
        Some(head) => format!(r"{head}\-"),
        None => body.to_owned(),
    };
    let body = match body.strip_prefix('-') {
        Some(tail) => format!(r"\-{tail}"),
        None => body,
    };
    // Negated, the class under case folding leaves out U+0345 too.
    Some(if negated {
        format!("(?-i:[^{FOLDS_TO_A_LETTER}{body}])")
    } else {
        format!("(?-i:[{body}{FOLDS_TO_A_LETTER}])")
    })
}

/// The characters of `\s` (Unicode `White_Space`), as the inside of a class.
const WHITE_SPACE: &str = r"\t-\r\x20\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}";

/// The pattern with every Unicode class escape (`\p{L}`, `\w`, …) but `\s` widened to any
/// character, for literal extraction only. Building Unicode class tables is most of the cost of
/// parsing a pattern, and a wider pattern needs no more literals than the original: fragments
/// required by every match of the wider one are required by every match of the original.
/// Escapes inside a negated class, and every escape of a pattern with a class difference,
/// intersection or symmetric difference (`--`, `&&`, `~~`), stay as written: widened there,
/// they would narrow the class.
pub(crate) fn widen_classes(pattern: &str) -> String {
    const ANY: &str = r"\x{0}-\x{10FFFF}";
    if ["--", "&&", "~~"].iter().any(|operator| pattern.contains(operator)) {
        return pattern.to_owned();
    }
    let any = |in_class: bool| if in_class { ANY.to_owned() } else { format!("[{ANY}]") };
    rewrite_classes(pattern, |c, in_class, negated, rest, out| {
        if c != '\\' {
            out.push(c);
            return;
        }
        if negated {
            out.push(c);
            if let Some(next) = rest.next() {
                out.push(next);
            }
            return;
        }
        match rest.next() {
            Some('p' | 'P') => {
                // `\pL` or `\p{Letter}`.
                if rest.peek() == Some(&'{') {
                    for next in rest.by_ref() {
                        if next == '}' {
                            break;
                        }
                    }
                } else {
                    rest.next();
                }
                out.push_str(&any(in_class));
            }
            // White space stays exact (a short list): the gate needs to know that it is not a
            // letter or a digit.
            Some('s') if in_class => out.push_str(WHITE_SPACE),
            Some('s') => out.push_str(&format!("[{WHITE_SPACE}]")),
            Some('w' | 'W' | 'd' | 'D' | 'S') => out.push_str(&any(in_class)),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parsed pattern, case-insensitive or not.
    fn hir(pattern: &str, case_insensitive: bool) -> regex_syntax::hir::Hir {
        regex_syntax::ParserBuilder::new().case_insensitive(case_insensitive).build().parse(pattern).unwrap()
    }

    #[test]
    fn letter_classes_out_of_case_folding_match_the_same_text() {
        for pattern in [
            r"@[\p{L}\p{N}_]+",
            r"@[\p{L}\p{N}][\p{L}\p{N}_.]*",
            r"disclos\p{L}*",
            r"#\pL+",
            r"[^\p{L}\p{N}]",
            r"[a-zà-öø-ÿ\p{L}'’\-]+",
            // A `-` at an end of the class is a literal, not the start of a range.
            r"[\p{L}\p{N}'’-]+",
            r"[-\p{L}]+",
            r"[^-\p{L}]",
        ] {
            let unfolded = unfold_letter_classes(pattern);
            assert_ne!(unfolded, pattern, "{pattern}");
            assert_eq!(hir(&unfolded, true), hir(pattern, true), "{pattern} as {unfolded}");
        }
    }

    #[test]
    fn classes_that_folding_could_change_stay_as_written() {
        for pattern in
            [r"[\p{Lu}x]", r"(?-i:\p{Lu})", r"[\p{L}\s]", r"[\w--\p{L}]", r"[\p{N}_]", r"a\\pL", r"[\]\p{L}Ⓐ]"]
        {
            let unfolded = unfold_letter_classes(pattern);
            assert_eq!(hir(&unfolded, true), hir(pattern, true), "{pattern} as {unfolded}");
            assert!(!unfolded.contains("(?-i:["), "{pattern} as {unfolded}");
        }
    }

    #[test]
    fn widened_classes_keep_literals_and_widen_escapes() {
        assert_eq!(widen_classes(r"@[\p{L}\p{N}_]+ sent"), r"@[\x{0}-\x{10FFFF}\x{0}-\x{10FFFF}_]+ sent");
        assert_eq!(widen_classes(r"a\w+b\.c\pL"), r"a[\x{0}-\x{10FFFF}]+b\.c[\x{0}-\x{10FFFF}]");
        assert_eq!(widen_classes(r"a\sb[\s,]"), format!("a[{WHITE_SPACE}]b[{WHITE_SPACE},]"));
        // Widening these would narrow the class: they stay as written.
        assert_eq!(widen_classes(r"ad[^\p{L}]"), r"ad[^\p{L}]");
        assert_eq!(widen_classes(r"ad[\w--\p{L}]"), r"ad[\w--\p{L}]");
        assert_eq!(widen_classes(r"ad[\w&&\p{N}]"), r"ad[\w&&\p{N}]");
    }
}
