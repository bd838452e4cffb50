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
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars().peekable();
    let mut class_depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '[' => {
                class_depth += 1;
                out.push(c);
                // A `]` or `^]` right after the opening bracket is a literal.
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                if chars.peek() == Some(&']') {
                    out.push(']');
                    chars.next();
                }
            }
            ']' if class_depth > 0 => {
                class_depth -= 1;
                out.push(c);
            }
            _ => f(c, class_depth > 0, &mut chars, &mut out),
        }
    }
    out
}

/// The pattern with every Unicode class escape (`\p{L}`, `\w`, `\s`, …) widened to any
/// character, for literal extraction only. Building Unicode class tables is most of the cost of
/// parsing a pattern, and a wider pattern needs no more literals than the original: fragments
/// required by every match of the wider one are required by every match of the original.
pub(crate) fn widen_classes(pattern: &str) -> String {
    const ANY: &str = r"\x{0}-\x{10FFFF}";
    let any = |in_class: bool| if in_class { ANY.to_owned() } else { format!("[{ANY}]") };
    rewrite_pattern(pattern, |c, in_class, rest, out| {
        if c != '\\' {
            out.push(c);
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
            Some('w' | 'W' | 'd' | 'D' | 's' | 'S') => out.push_str(&any(in_class)),
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

    #[test]
    fn widened_classes_keep_literals_and_widen_escapes() {
        assert_eq!(widen_classes(r"@[\p{L}\p{N}_]+ sent"), r"@[\x{0}-\x{10FFFF}\x{0}-\x{10FFFF}_]+ sent");
        assert_eq!(widen_classes(r"a\w+b\.c\pL"), r"a[\x{0}-\x{10FFFF}]+b\.c[\x{0}-\x{10FFFF}]");
    }
}
