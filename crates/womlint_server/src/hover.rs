//! Hover: over the words of a finding, what `womlint explain` says about its rule, as
//! Markdown, in the language of the finding's message.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position};

use std::sync::OnceLock;

use super::documents::OpenDocument;
use super::position::Encoding;
use womlint_core::lint::META_RULES;
use womlint_core::rules::{ExplainFormat, Profile, Rule, RuleSet, RuleSetBuilder, builtin_sources, explain};

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
            Some((rule, rules)) => match with_builtin_examples(rule) {
                Some(rule) => explain(&rule, rules, finding.lang, ExplainFormat::Markdown),
                None => explain(rule, rules, finding.lang, ExplainFormat::Markdown),
            },
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

/// A built-in rule with its examples, when the rule set that checks copy has it without them
/// (it reads the built-in packs from a form that leaves them out); `None` for a rule that has
/// its examples, or that no built-in pack defines.
fn with_builtin_examples(rule: &Rule) -> Option<Rule> {
    if !rule.examples.is_empty() {
        return None;
    }
    // The built-in packs as their YAML gives them, read on the first hover that needs them.
    static BUILTIN: OnceLock<Option<RuleSet>> = OnceLock::new();
    let builtin = BUILTIN.get_or_init(|| RuleSetBuilder::with_sources(Profile::Union, builtin_sources()).build().ok());
    let examples = builtin.as_ref()?.rule(&rule.id)?.examples.clone();
    Some(Rule { examples, ..rule.clone() })
}
