//! Hover: over the words of a finding, what `womlint explain` says about its rule, as
//! Markdown, in the language of the finding's message.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use super::documents::OpenDocument;
use super::position::Encoding;
use crate::lint::META_RULES;
use crate::rules::{ExplainFormat, explain};

/// The hover at `position` of `document`, if a finding is there.
pub(crate) fn hover(document: &OpenDocument, position: Position, encoding: Encoding) -> Option<Hover> {
    let lines = document.lines(encoding);
    let offset = lines.offset(position);
    let here: Vec<_> =
        document.checked.findings.iter().filter(|f| f.span().start <= offset && offset <= f.span().end).collect();
    let first = here.first()?;
    let mut parts: Vec<String> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for finding in &here {
        if seen.contains(&&*finding.rule) {
            continue;
        }
        seen.push(&finding.rule);
        let rules = document.checked.rules.as_deref().map(|c| &c.rules);
        let text = match rules.and_then(|r| r.rule(&finding.rule).map(|rule| (rule, r))) {
            Some((rule, rules)) => explain(rule, rules, finding.lang, ExplainFormat::Markdown),
            None => match META_RULES.iter().find(|m| m.id == &*finding.rule) {
                Some(meta) => meta.explain(finding.lang, ExplainFormat::Markdown),
                None => format!("**`{}`**\n\n{}\n", finding.rule, finding.message),
            },
        };
        parts.push(text);
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: parts.join("\n---\n\n") }),
        range: Some(lines.range(first.span())),
    })
}
