//! Text that goes to a terminal or a CI log, made safe to print.
//!
//! File names are chosen by whoever can open a pull request, and drafts, packs and
//! configurations hold whatever they hold. Printed raw, a newline in a file name starts a new
//! log line (`::add-mask::…` is then a GitHub workflow command), an escape sequence drives the
//! terminal, and bidirectional controls reorder what a reviewer reads. Everything womlint
//! prints from a file or a file name goes through [`text`] or [`path`] first: control
//! characters, bidirectional controls and line separators are shown as Rust-style escapes
//! (`\n`, `\u{1b}`, `\u{202e}`).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` is escaped: control characters (C0, DEL, C1), the bidirectional controls
/// (marks, embeddings, overrides and isolates) and the Unicode line and paragraph separators.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{2028}' | '\u{2029}')
}

/// Appends the escape of `c` to `out`.
pub fn push_escaped(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        other => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(other));
        }
    }
}

/// `text` with every character that [`needs_escape`] escaped, except those in `keep`.
pub fn text_keeping<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !text.chars().any(|c| needs_escape(c) && !keep.contains(&c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) && !keep.contains(&c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` on one line, every control character escaped.
pub fn text(text: &str) -> Cow<'_, str> {
    text_keeping(text, &[])
}

/// A path as printed: escaped like [`text`], and never starting with `::` (a GitHub workflow
/// command at the start of a line): such a relative path is shown as `./::…`.
pub fn path(path: &str) -> Cow<'_, str> {
    let escaped = text(path);
    if escaped.starts_with("::") { Cow::Owned(format!("./{escaped}")) } else { escaped }
}

/// The first character of `text` that YAML does not allow in a file (its printable set:
/// tab, line breaks, and everything from the space on except DEL, the C1 controls but NEL,
/// U+FFFE and U+FFFF), with its byte offset. A file that holds one is not YAML text, whatever
/// its name says: `/proc/self/environ` holds NUL bytes.
pub fn first_unprintable_in_yaml(text: &str) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| {
        let code = u32::from(c);
        !(matches!(c, '\t' | '\n' | '\r' | '\u{85}')
            || (0x20..0x7f).contains(&code)
            || (0xa0..=0xd7ff).contains(&code)
            || (0xe000..=0xfffd).contains(&code)
            || code >= 0x10000)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_separators_are_escaped() {
        assert_eq!(text("a\nb\r\tc\u{1b}[2J"), "a\\nb\\r\\tc\\u{1b}[2J");
        assert_eq!(text("#ad\u{202e}dA#\u{202c}"), "#ad\\u{202e}dA#\\u{202c}");
        assert_eq!(text("x\u{2028}y\u{85}z\u{7f}"), "x\\u{2028}y\\u{85}z\\u{7f}");
        assert!(matches!(text("caffè 👩‍💻 ok"), Cow::Borrowed(_)), "ordinary text is not copied");
        assert_eq!(text_keeping("a\tb\nc", &['\t', '\n']), "a\tb\nc");
    }

    #[test]
    fn yaml_printable_set() {
        assert_eq!(first_unprintable_in_yaml("a: b\n\tc: 'è'\r\n"), None);
        assert_eq!(first_unprintable_in_yaml("TOKEN=x\0PATH=y"), Some((7, '\0')));
        assert_eq!(first_unprintable_in_yaml("a\u{1b}"), Some((1, '\u{1b}')));
        assert_eq!(first_unprintable_in_yaml("\u{feff}a: \u{85}"), None);
    }

    #[test]
    fn paths_never_start_a_workflow_command() {
        assert_eq!(path("x\n::add-mask::secret.md"), "x\\n::add-mask::secret.md");
        assert_eq!(path("::error title=x::y.md"), "./::error title=x::y.md");
        assert_eq!(path("a/::b.md"), "a/::b.md");
    }
}
