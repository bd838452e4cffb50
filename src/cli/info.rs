//! `womlint rules` and `womlint explain RULE`.

use std::fmt::Write as _;

use serde_json::json;

use super::args::{ExplainArgs, RulesArgs};
use super::setup::write_stdout;
use super::{ExitStatus, load_root};
use crate::document::Lang;
use crate::lint::META_RULES;
use crate::rules::ExplainFormat;

pub(super) fn rules(args: &RulesArgs) -> ExitStatus {
    let Some(compiled) = load_root(&args.rules) else {
        return ExitStatus::Error;
    };
    let rules = &compiled.rules;
    let mut out = String::new();
    if args.json {
        let list: Vec<_> = rules
            .rules
            .iter()
            .map(|r| {
                json!({
                    "id": r.id, "pack": r.pack, "principle": r.principle, "severity": r.severity,
                    "scope": r.scope, "check": r.check, "markets": r.markets,
                    "message": r.message, "references": r.references,
                })
            })
            .collect();
        // JSON escapes control characters itself; its escapes are the ones a reader parses.
        let mut json = serde_json::to_string_pretty(&list).unwrap_or_default();
        json.push('\n');
        return write_stdout(json.as_bytes());
    } else {
        for pack in &rules.packs {
            let _ = writeln!(out, "{} — {} ({})", pack.id, pack.title, pack.path);
            for rule in rules.rules.iter().filter(|r| r.pack == pack.id) {
                let markets = if rule.markets.is_empty() {
                    String::new()
                } else {
                    format!(
                        " [only with --jurisdiction {}]",
                        rule.markets.iter().map(|m| m.as_str()).collect::<Vec<_>>().join("|")
                    )
                };
                let _ = writeln!(out, "  {:<52} {:<8} {}{markets}", rule.id, rule.severity, rule.message.get(Lang::En));
            }
        }
        let _ = writeln!(out, "womlint — womlint's own rules");
        for meta in META_RULES {
            let _ = writeln!(out, "  {:<52} {:<8} {}", meta.id, meta.severity, meta.message.0);
        }
    }
    write_text(&out)
}

/// Writes text made of packs' titles, messages and examples to standard output, escaped (a
/// third-party pack is anyone's text); a closed pipe (`womlint rules | head`) ends it quietly.
pub(super) fn write_text(text: &str) -> ExitStatus {
    write_stdout(crate::escape::text_keeping(text, &['\n']).as_bytes())
}

pub(super) fn explain(args: &ExplainArgs) -> ExitStatus {
    let Some(compiled) = load_root(&args.rules) else {
        return ExitStatus::Error;
    };
    let rules = &compiled.rules;
    let lang = Lang::parse(&args.lang).unwrap_or_default();
    if let Some(rule) = rules.rule(&args.rule) {
        return write_text(&crate::rules::explain(rule, rules, lang, ExplainFormat::Text));
    }
    if let Some(meta) = META_RULES.iter().find(|m| m.id == args.rule) {
        return write_text(&meta.explain(lang, ExplainFormat::Text));
    }
    stderr_line!("error: no rule `{}`", crate::escape::text(&args.rule));
    let ids = rules.rules.iter().map(|r| &*r.id).chain(META_RULES.iter().map(|m| m.id));
    if let Some(mean) = crate::suggest::did_you_mean(&args.rule, ids) {
        stderr_line!("  help: {}", crate::escape::text(&mean));
    } else {
        let slug = args.rule.rsplit('/').next().unwrap_or(&args.rule);
        let close: Vec<&str> =
            rules.rules.iter().map(|r| &*r.id).filter(|id| !slug.is_empty() && id.contains(slug)).collect();
        if !close.is_empty() {
            stderr_line!("  help: rules with `{}` in their id: {}", crate::escape::text(slug), close.join(", "));
        }
    }
    stderr_line!("`womlint rules` lists every rule");
    ExitStatus::Error
}
