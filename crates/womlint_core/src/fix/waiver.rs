//! `check --add-waiver REASON`: a waiver with that reason for every finding, in the comment
//! syntax of the file.
//!
//! In Markdown a finding on the first line of a paragraph gets
//! `<!-- womlint-disable-next-line RULES -- REASON -->` on a line of its own above it; one
//! further down a paragraph gets `<!-- womlint-disable-line RULES -- REASON -->` at the end of
//! its line, because a comment line inside a paragraph would split it in two. A `.txt` file
//! gets `womlint-disable-next-line RULES -- REASON` on a line of its own above the finding.
//! A finding in the front matter gets `womlint-disable-file` right after it. Line ends follow
//! the line's own (CRLF stays CRLF), and a byte order mark stays first.

use std::collections::BTreeMap;

use crate::document::{Document, DocumentKind};
use crate::finding::{Edit, Finding};
use crate::rules::Principle;
use crate::span::Span;

/// The edits that waive `findings` in `doc`, one waiver per line (naming every rule found on
/// it), with `reason`. womlint's own findings about waivers are not waived.
pub fn waiver_edits(doc: &Document, findings: &[Finding], reason: &str) -> Vec<Edit> {
    let text: &str = &doc.text;
    let reason = reason.replace("-->", "").replace(['\r', '\n'], " ");
    let reason = reason.trim();
    let markdown = doc.kind == DocumentKind::Markdown;
    let front_matter = doc.front_matter.as_ref().map(|fm| fm.span).filter(|s| !s.is_empty());
    // Rules per line start (`None`: the front matter).
    let mut lines: BTreeMap<Option<usize>, Vec<&str>> = BTreeMap::new();
    for finding in findings {
        if finding.principle == Principle::Womlint {
            continue;
        }
        let at = finding.span().start;
        let key = match front_matter {
            Some(fm) if fm.start <= at && at < fm.end => None,
            _ => Some(line_start(text, at)),
        };
        let rules = lines.entry(key).or_default();
        if !rules.contains(&&*finding.rule) {
            rules.push(&finding.rule);
        }
    }
    let directive = |kind: &str, rules: &[&str]| {
        let rules = rules.join(" ");
        if reason.is_empty() { format!("{kind} {rules}") } else { format!("{kind} {rules} -- {reason}") }
    };
    let comment = |body: String| if markdown { format!("<!-- {body} -->") } else { body };
    let mut edits = Vec::new();
    for (line, rules) in lines {
        let Some(start) = line else {
            let Some(fm) = front_matter else { continue };
            let end = fm.end;
            let eol = line_end_of(text, end.saturating_sub(1));
            let body = comment(directive("womlint-disable-file", &rules));
            // After the closing fence's line end (the fence may end the file without one).
            let at_end_of_text = !text.get(..end).is_some_and(|t| t.ends_with('\n'));
            let replacement = if at_end_of_text { format!("{eol}{body}") } else { format!("{body}{eol}") };
            edits.push(Edit { span: Span::new(end, end), replacement });
            continue;
        };
        let eol = line_end_of(text, start);
        let first_of_paragraph = start == 0 || previous_line_is_blank(text, start) || !markdown;
        if first_of_paragraph {
            let indent: String =
                text.get(start..).unwrap_or_default().chars().take_while(|c| *c == ' ' || *c == '\t').take(3).collect();
            let at = if start == 0 && text.starts_with('\u{feff}') { 3 } else { start };
            let body = comment(directive("womlint-disable-next-line", &rules));
            edits.push(Edit { span: Span::new(at, at), replacement: format!("{indent}{body}{eol}") });
        } else {
            let end = start + text.get(start..).and_then(|t| t.find(['\r', '\n'])).unwrap_or(text.len() - start);
            edits.push(Edit {
                span: Span::new(end, end),
                replacement: format!(" {}", comment(directive("womlint-disable-line", &rules))),
            });
        }
    }
    edits
}

fn line_start(text: &str, at: usize) -> usize {
    text.get(..at).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1)
}

/// The line end of the line holding `at`: `\r\n`, or `\n` (also for a last line without one,
/// following the file's first line end).
fn line_end_of(text: &str, at: usize) -> &'static str {
    let rest = text.get(at..).unwrap_or_default();
    let crlf = match rest.find('\n') {
        Some(i) => i > 0 && rest.as_bytes().get(i - 1) == Some(&b'\r'),
        None => text.contains("\r\n"),
    };
    if crlf { "\r\n" } else { "\n" }
}

fn previous_line_is_blank(text: &str, start: usize) -> bool {
    let before = text.get(..start.saturating_sub(1)).unwrap_or_default();
    let previous = before.get(line_start(before, before.len())..).unwrap_or_default();
    previous.trim().is_empty()
}
