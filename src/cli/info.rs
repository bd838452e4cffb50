//! `womlint rules` and `womlint explain RULE`.

use std::fmt::Write as _;

use serde_json::json;

use super::args::{ExplainArgs, RulesArgs};
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
        out = serde_json::to_string_pretty(&list).unwrap_or_default();
        out.push('\n');
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
    print!("{out}");
    ExitStatus::Clean
}

pub(super) fn explain(args: &ExplainArgs) -> ExitStatus {
    let Some(compiled) = load_root(&args.rules) else {
        return ExitStatus::Error;
    };
    let rules = &compiled.rules;
    let lang = Lang::parse(&args.lang).unwrap_or_default();
    if let Some(rule) = rules.rule(&args.rule) {
        print!("{}", crate::rules::explain(rule, rules, lang, ExplainFormat::Text));
        return ExitStatus::Clean;
    }
    if let Some(meta) = META_RULES.iter().find(|m| m.id == args.rule) {
        print!("{}", meta.explain(lang, ExplainFormat::Text));
        return ExitStatus::Clean;
    }
    eprintln!("error: no rule `{}`", args.rule);
    let ids = rules.rules.iter().map(|r| &*r.id).chain(META_RULES.iter().map(|m| m.id));
    if let Some(mean) = crate::suggest::did_you_mean(&args.rule, ids) {
        eprintln!("  help: {mean}");
    } else {
        let slug = args.rule.rsplit('/').next().unwrap_or(&args.rule);
        let close: Vec<&str> =
            rules.rules.iter().map(|r| &*r.id).filter(|id| !slug.is_empty() && id.contains(slug)).collect();
        if !close.is_empty() {
            eprintln!("  help: rules with `{slug}` in their id: {}", close.join(", "));
        }
    }
    eprintln!("`womlint rules` lists every rule");
    ExitStatus::Error
}
