//! Errors shown to the user as miette diagnostics: rule packs and configuration files.
//!
//! A pack or configuration path can come from a configuration file in a pull request, so the
//! file may not be what it was said to be (`extra_packs: [/proc/self/environ]`). What such an
//! error shows of the file is bounded: nothing of a file that does not look like YAML text
//! ([`looks_like_yaml`]), and of one that does, one short line around the error (see
//! [`crate::report::yaml_excerpt`]) and short quotations in the message.

use miette::{Diagnostic, LabeledSpan, SourceCode, SourceSpan};

use crate::config::ConfigError;
use crate::escape;
use crate::report::{Excerpt, render_error, yaml_excerpt};
use crate::rules::{PackError, PackSource};
use crate::span::Span;

/// The longest quotation of the file an error message keeps (`unknown field `…``), in
/// characters.
const QUOTED: usize = 40;

/// The longest message shown, in characters.
const MESSAGE: usize = 400;

/// A problem in a YAML file (a rule pack or a configuration file), pointing at its line.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct YamlDiagnostic {
    /// `womlint::invalid_pack` or `womlint::invalid_config`.
    pub code: &'static str,
    pub message: String,
    excerpt: Option<(Excerpt, SourceSpan)>,
    pub help: Option<String>,
}

impl Diagnostic for YamlDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.excerpt.as_ref().map(|(excerpt, _)| excerpt as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, span) = self.excerpt.as_ref()?;
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(Some("here".to_owned()), *span))))
    }
}

impl YamlDiagnostic {
    fn new(
        code: &'static str,
        path: &str,
        text: &str,
        message: &str,
        span: Option<Span>,
        help: Option<&String>,
    ) -> Self {
        let shown = looks_like_yaml(text);
        let message = quote_briefly(message, if shown { QUOTED } else { 0 });
        let (message, source) = match span {
            Some(span) if shown => (message, Some(yaml_excerpt(path, text, span))),
            Some(span) if !text.is_empty() => {
                let lines = crate::span::LineIndex::new(text);
                let at = lines.line_column(text, span.start);
                let message = format!(
                    "{message} (line {}, column {}; the file does not look like YAML text, so nothing of it is shown)",
                    at.line, at.column
                );
                (message, None)
            }
            _ => (message, None),
        };
        YamlDiagnostic {
            code,
            message: format!("{}: {}", escape::path(path), escape::text(&message)),
            excerpt: source,
            help: help.map(|h| escape::text_keeping(h, &['\n']).into_owned()),
        }
    }

    pub fn pack(error: &PackError, source: Option<&PackSource>) -> Self {
        let text = source.map_or("", |s| s.text.as_str());
        YamlDiagnostic::new("womlint::invalid_pack", &error.pack, text, &error.message, error.span, error.help.as_ref())
    }

    pub fn config(error: &ConfigError) -> Self {
        YamlDiagnostic::new(
            "womlint::invalid_config",
            &error.path,
            &error.text,
            &error.message,
            error.span,
            error.help.as_ref(),
        )
    }
}

/// Whether a file's text looks like YAML written by hand, so that a line of it may be shown
/// in an error: YAML allows every character in it (no NUL, no control character), and its
/// first line with content (not blank, a comment, a document marker or a directive) is a
/// mapping key, `name:` followed by a space or the end of the line, as every pack and
/// configuration starts. A `.env` file, `/etc/passwd`, a private key or a JSON file does not.
pub fn looks_like_yaml(text: &str) -> bool {
    if escape::first_unprintable_in_yaml(text).is_some() {
        return false;
    }
    let first = text.trim_start_matches('\u{feff}').lines().map(str::trim).find(|line| {
        !(line.is_empty() || line.starts_with('#') || line.starts_with('%') || *line == "---" || *line == "...")
    });
    first.is_some_and(is_mapping_key)
}

fn is_mapping_key(line: &str) -> bool {
    let Some((key, rest)) = line.split_once(':') else { return false };
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return false;
    }
    let quoted = key.len() >= 2
        && ((key.starts_with('"') && key.ends_with('"')) || (key.starts_with('\'') && key.ends_with('\'')));
    quoted
        || (!key.is_empty()
            && key.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | '$' | ' ')))
}

/// `message` with every quotation (between `` ` `` or `"` and the next `` ` ``, `'` or `"`)
/// cut to `keep` characters, and the whole to [`MESSAGE`] characters: the YAML reader quotes
/// the file's keys and values in its messages.
fn quote_briefly(message: &str, keep: usize) -> String {
    let mut out = String::with_capacity(message.len().min(MESSAGE));
    let mut quoted: Option<usize> = None;
    for c in message.chars() {
        match quoted {
            Some(_) if matches!(c, '`' | '\'' | '"') => {
                quoted = None;
                out.push(c);
            }
            Some(n) => {
                if n < keep {
                    out.push(c);
                } else if n == keep {
                    out.push('…');
                }
                quoted = Some(n + 1);
            }
            None => {
                if matches!(c, '`' | '"') {
                    quoted = Some(0);
                }
                out.push(c);
            }
        }
        if out.chars().count() >= MESSAGE {
            out.push('…');
            break;
        }
    }
    out
}

/// Prints every pack error with the YAML line it points at.
pub(crate) fn print_pack_errors(errors: &[PackError], sources: &[PackSource]) {
    let style = super::stderr_style();
    for error in errors {
        let source = sources.iter().find(|s| s.name == error.pack);
        super::to_stderr(&render_error(&YamlDiagnostic::pack(error, source), style));
    }
    stderr_line!("error: {} problem(s) in rule packs; nothing was checked", errors.len());
}

/// Prints every configuration error with the YAML line it points at.
pub(crate) fn print_config_errors(errors: &[ConfigError]) {
    let style = super::stderr_style();
    for error in errors {
        super::to_stderr(&render_error(&YamlDiagnostic::config(error), style));
    }
    stderr_line!("error: {} problem(s) in configuration files; nothing was checked", errors.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_looks_like_yaml() {
        assert!(looks_like_yaml("# a pack\n---\npack: acme\n"));
        assert!(looks_like_yaml("rules:\n  opinion: off\n"));
        assert!(looks_like_yaml("\"quoted key\": 1\n"));
        assert!(!looks_like_yaml("TOKEN=abc\nOTHER=x: y\n"), "a .env file");
        assert!(!looks_like_yaml("root:x:0:0:root:/root:/bin/bash\n"), "/etc/passwd");
        assert!(!looks_like_yaml("HOME=/root\0TOKEN=secret\0"), "/proc/self/environ");
        assert!(!looks_like_yaml("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blb\n"));
        assert!(!looks_like_yaml("{\"auths\": {}}\n"));
        assert!(!looks_like_yaml(""));
    }

    #[test]
    fn quotations_are_cut() {
        assert_eq!(
            quote_briefly("invalid type: string \"TOKEN=abc\", expected x", 0),
            "invalid type: string \"…\", expected x"
        );
        assert_eq!(
            quote_briefly("unknown field `fial_on`, expected `fail_on`", 40),
            "unknown field `fial_on`, expected `fail_on`"
        );
        assert_eq!(quote_briefly(&format!("bad `{}`", "x".repeat(100)), 3), "bad `xxx…`");
        assert!(quote_briefly(&"y".repeat(5000), 40).chars().count() <= MESSAGE + 1);
    }

    #[test]
    fn nothing_of_a_file_that_is_not_yaml_is_shown() {
        let error = ConfigError {
            path: "womlint.yaml".to_owned(),
            text: "SECRET=hunter2\nrules: x\n".to_owned(),
            message: "invalid type: string \"SECRET=hunter2 rules: x\", expected struct RawConfig".to_owned(),
            span: Some(Span::new(0, 6)),
            help: None,
        };
        let diagnostic = YamlDiagnostic::config(&error);
        let shown = render_error(&diagnostic, crate::report::HumanStyle::PLAIN);
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(diagnostic.message.contains("line 1, column 1"), "{shown}");
        assert!(!shown.contains("╭─["), "no excerpt: {shown}");
    }
}
