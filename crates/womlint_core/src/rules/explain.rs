//! What `womlint explain RULE` says about a rule: what it checks, how to fix it, the
//! references and the examples; as plain text for a terminal, or as Markdown for an editor's
//! hover.

use std::fmt::Write as _;

use super::{Rule, RuleSet};
use crate::document::Lang;

/// How an explanation is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExplainFormat {
    /// For a terminal: aligned `key: value` lines, indented lists.
    Text,
    /// For an editor (a language server's hover): headings, lists and code blocks.
    Markdown,
}

/// Everything about `rule` (a rule of `rules`), in `lang`.
pub fn explain(rule: &Rule, rules: &RuleSet, lang: Lang, format: ExplainFormat) -> String {
    let md = format == ExplainFormat::Markdown;
    let it = lang == Lang::It;
    let mut out = String::new();
    let pack = rules.packs.iter().find(|p| p.id == rule.pack).map_or(rule.pack.as_str(), |p| p.title.as_str());
    if md {
        let _ = writeln!(out, "**`{}`**\n", rule.id);
    } else {
        let _ = writeln!(out, "{}", rule.id);
        let _ = writeln!(out, "{}\n", "=".repeat(rule.id.chars().count()));
    }
    let _ = writeln!(out, "{}\n", rule.message.get(lang));
    let scope = serde_json::to_value(rule.scope).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
    let mut facts = vec![
        ("principle", rule.principle.as_str().to_owned()),
        ("severity", rule.severity.to_string()),
        ("scope", scope),
        ("pack", format!("{} ({})", rule.pack, pack)),
    ];
    if !rule.markets.is_empty() {
        let markets: Vec<&str> = rule.markets.iter().map(|m| m.as_str()).collect();
        facts.push(("markets", format!("{} (runs with --jurisdiction)", markets.join(", "))));
    }
    for (key, value) in facts {
        if md {
            let _ = writeln!(out, "- {key}: {value}");
        } else {
            let _ = writeln!(out, "{:<11}{value}", format!("{key}:"));
        }
    }
    let _ = writeln!(out);
    if !rule.help.is_empty() {
        let head = if it { "Come correggere" } else { "How to fix it" };
        if md {
            let _ = writeln!(out, "**{head}**: {}\n", rule.help.get(lang));
        } else {
            let _ = writeln!(out, "{head}:\n  {}\n", rule.help.get(lang));
        }
    }
    if !rule.suggest.is_empty() {
        let head = if it { "Dicitura suggerita" } else { "Suggested label" };
        if md {
            let _ = writeln!(out, "**{head}**: `{}`\n", rule.suggest.get(lang));
        } else {
            let _ = writeln!(out, "{head}: {}\n", rule.suggest.get(lang));
        }
    }
    if !rule.references.is_empty() {
        let head = if it { "Riferimenti" } else { "References" };
        let _ = if md { writeln!(out, "**{head}**\n") } else { writeln!(out, "{head}:") };
        let indent = if md { "" } else { "  " };
        for reference in &rule.references {
            let _ = match (&reference.url, md) {
                (Some(url), true) => writeln!(out, "- [{reference}]({url})"),
                (Some(url), false) => writeln!(out, "{indent}- {reference} <{url}>"),
                (None, _) => writeln!(out, "{indent}- {reference}"),
            };
        }
        let _ = writeln!(out);
    }
    if rule.examples.is_empty() {
        return out;
    }
    let head = if it { "Esempi" } else { "Examples" };
    let _ = if md { writeln!(out, "**{head}**\n") } else { writeln!(out, "{head}:") };
    for example in &rule.examples {
        if md {
            let mark = if example.must_flag { "✗ flagged" } else { "✓ passes" };
            let _ = writeln!(out, "- {mark}:\n  ```text\n  {}\n  ```", example.text.trim_end().replace('\n', "\n  "));
        } else {
            let mark = if example.must_flag { "✗ flagged:" } else { "✓ passes: " };
            let text = example.text.replace('\n', "\n              ");
            let _ = writeln!(out, "  {mark} {text}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Profile, RuleSetBuilder, builtin_sources};

    #[test]
    fn markdown_and_text_say_the_same_things() {
        let rules = RuleSetBuilder::with_sources(Profile::Union, builtin_sources()).build().unwrap();
        let rule = rules.rule("relationship/undisclosed-connection").unwrap();
        let text = explain(rule, &rules, Lang::En, ExplainFormat::Text);
        let md = explain(rule, &rules, Lang::En, ExplainFormat::Markdown);
        assert!(text.starts_with("relationship/undisclosed-connection\n====="));
        assert!(text.contains("\nseverity:  error\n"));
        assert!(md.starts_with("**`relationship/undisclosed-connection`**\n"));
        assert!(md.contains("\n- severity: error\n"));
        assert!(md.contains("**How to fix it**: "));
        assert!(md.contains("\n- ✗ flagged:\n  ```text\n"));
        // Every reference with a link is a Markdown link.
        for reference in rule.references.iter().filter(|r| r.url.is_some()) {
            assert!(md.contains(&format!("- [{reference}]({})", reference.url.as_deref().unwrap())));
        }
        let italian = explain(rule, &rules, Lang::It, ExplainFormat::Markdown);
        assert!(italian.contains("**Come correggere**: ") && italian.contains("**Esempi**"));
    }
}
